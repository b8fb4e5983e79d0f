//! Where nephos keeps things: the config file, the data dir (sandbox cloud, journal, inventory
//! snapshot) and the state dir (logs). Each can be moved with an environment variable, which is
//! how the tests keep to a temporary directory.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_file: PathBuf,
    /// True when the config path was named (`--config`, `NEPHOS_CONFIG`): then it must exist.
    pub config_named: bool,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
}

impl Paths {
    /// `--config` beats `NEPHOS_CONFIG` beats the platform config dir; `NEPHOS_DATA_DIR` and
    /// `NEPHOS_STATE_DIR` beat the platform data and state dirs.
    pub fn resolve(config_flag: Option<PathBuf>) -> Paths {
        let dirs = directories::ProjectDirs::from("", "", "nephos");
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let fallback = || std::env::temp_dir().join("nephos");
        let named = config_flag.or_else(|| env("NEPHOS_CONFIG"));
        let config_named = named.is_some();
        let config_file = named.unwrap_or_else(|| {
            dirs.as_ref()
                .map(|d| d.config_dir().join("config.toml"))
                .unwrap_or_else(|| fallback().join("config.toml"))
        });
        let data_dir = env("NEPHOS_DATA_DIR").unwrap_or_else(|| {
            dirs.as_ref()
                .map(|d| d.data_dir().to_path_buf())
                .unwrap_or_else(fallback)
        });
        let state_dir = env("NEPHOS_STATE_DIR").unwrap_or_else(|| {
            dirs.as_ref()
                .and_then(|d| d.state_dir().map(|p| p.to_path_buf()))
                .unwrap_or_else(|| data_dir.join("state"))
        });
        Paths {
            config_file,
            config_named,
            data_dir,
            state_dir,
        }
    }

    pub fn journal(&self) -> PathBuf {
        self.data_dir.join("journal.jsonl")
    }

    pub fn sandbox_dir(&self) -> PathBuf {
        self.data_dir.join("sandbox")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.state_dir.join("logs")
    }
}
