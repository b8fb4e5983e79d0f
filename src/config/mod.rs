//! The config file: TOML in the platform config dir (`--config PATH` overrides). Defaults, then
//! the file, then environment, then flags. Every error names the file, the line and the fault.

mod error;
mod file;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::ConfigError;

use crate::domain::ProviderKind;

/// One account as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountConfig {
    pub name: String,
    pub provider: ProviderKind,
    pub read_only: bool,
    /// Empty: every region the account has enabled (`regions = "all"`).
    pub regions: Vec<String>,
    pub settings: ProviderSettings,
}

/// The provider's own settings. None of these is a secret: credentials stay where each
/// vendor's CLI keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderSettings {
    Aws {
        profile: Option<String>,
        endpoint_url: Option<String>,
    },
    Gcp {
        project: String,
        credentials_file: Option<PathBuf>,
        endpoint_url: Option<String>,
    },
    Azure {
        subscription: String,
        tenant: Option<String>,
        resource_groups: Vec<String>,
        endpoint_url: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    pub instances: Duration,
    pub disks: Duration,
    pub load_balancers: Duration,
    /// Calls in flight at once per provider.
    pub max_concurrency: usize,
}

impl Default for Refresh {
    fn default() -> Self {
        Refresh {
            instances: Duration::from_secs(15),
            disks: Duration::from_secs(30),
            load_balancers: Duration::from_secs(30),
            max_concurrency: 8,
        }
    }
}

/// A tag that makes a resource protected: `key=value`, or `key` for any value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedTag {
    pub key: String,
    pub value: Option<String>,
}

impl ProtectedTag {
    pub fn parse(s: &str) -> ProtectedTag {
        match s.split_once('=') {
            Some((k, v)) => ProtectedTag {
                key: k.trim().to_string(),
                value: Some(v.trim().to_string()),
            },
            None => ProtectedTag {
                key: s.trim().to_string(),
                value: None,
            },
        }
    }

    pub fn matches(&self, tags: &crate::domain::Tags) -> bool {
        match (tags.get(&self.key), &self.value) {
            (Some(v), Some(want)) => v == want,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guardrails {
    pub read_only: bool,
    pub protected_tags: Vec<ProtectedTag>,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            read_only: false,
            protected_tags: vec![ProtectedTag::parse("env=prod")],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UiConfig {
    pub theme: Option<String>,
    pub mouse: bool,
    pub colors: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    pub transition: Duration,
    pub latency: Duration,
    pub faults: Vec<crate::providers::sandbox::faults::Fault>,
    /// List the sandbox Azure account per resource group (these) instead of per subscription.
    pub azure_resource_groups: Vec<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            transition: Duration::from_secs(3),
            latency: Duration::from_millis(40),
            faults: Vec::new(),
            azure_resource_groups: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// The file this came from, if one was read.
    pub source: Option<PathBuf>,
    pub accounts: Vec<AccountConfig>,
    pub refresh: Refresh,
    pub guardrails: Guardrails,
    pub ui: UiConfig,
    pub sandbox: SandboxConfig,
    /// Key bindings as written; the console validates them (bad entries become warnings).
    pub keymap: toml::Table,
    pub log_level: Option<String>,
    pub budget: Budget,
}

/// Monthly budgets in USD: the header warns when the projection passes one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Budget {
    pub monthly: Option<f64>,
    pub accounts: BTreeMap<String, f64>,
}

impl Config {
    /// Read `path`. A missing file is an empty config unless `must_exist`.
    pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        let mut cfg = match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Config::default(),
            Err(e) => {
                return Err(ConfigError::io(path, e));
            }
        };
        cfg.apply_env()?;
        Ok(cfg)
    }

    /// Parse and validate config text; `path` is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: file::FileConfig =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, &e))?;
        let mut cfg = validate::validate(raw, path, text)?;
        cfg.source = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Environment beats the file: `NEPHOS_SANDBOX_TRANSITION_MS`, `NEPHOS_SANDBOX_LATENCY_MS`,
    /// `NEPHOS_SANDBOX_FAULTS`.
    fn apply_env(&mut self) -> Result<(), ConfigError> {
        let ms = |k: &str| -> Result<Option<Duration>, ConfigError> {
            match std::env::var(k) {
                Ok(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(|n| Some(Duration::from_millis(n)))
                    .map_err(|_| {
                        ConfigError::env(k, format!("'{v}' is not a number of milliseconds"))
                    }),
                Err(_) => Ok(None),
            }
        };
        if let Some(d) = ms("NEPHOS_SANDBOX_TRANSITION_MS")? {
            self.sandbox.transition = d;
        }
        if let Some(d) = ms("NEPHOS_SANDBOX_LATENCY_MS")? {
            self.sandbox.latency = d;
        }
        if let Ok(spec) = std::env::var("NEPHOS_SANDBOX_FAULTS") {
            self.sandbox.faults = crate::providers::sandbox::faults::parse(&spec)
                .map_err(|e| ConfigError::env("NEPHOS_SANDBOX_FAULTS", e))?;
        }
        Ok(())
    }

    pub fn account(&self, name: &str) -> Option<&AccountConfig> {
        self.accounts.iter().find(|a| a.name == name)
    }
}
