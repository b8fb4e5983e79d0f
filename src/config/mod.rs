//! The config file: TOML in the platform config dir (`--config PATH` overrides). Defaults, then
//! the file, then environment, then flags. Every error names the file, the line and the fault.

mod error;
mod file;
mod gcloud;
mod url;
mod validate;
mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::ConfigError;
pub use views::{pane_word, ScopeKind, ScopeSel, View, VIEW_PANES};

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
        credential: AzureCredential,
    },
}

/// Where an Azure account gets its token (`credential = "..."`). `Default` tries the
/// environment, workload identity, managed identity and the Azure CLI in that order; each other
/// choice uses that source alone (a laptop need not wait on a metadata endpoint it lacks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AzureCredential {
    #[default]
    Default,
    AzureCli,
    Environment,
    ManagedIdentity,
    WorkloadIdentity,
}

impl AzureCredential {
    pub const ALL: [AzureCredential; 5] = [
        AzureCredential::Default,
        AzureCredential::AzureCli,
        AzureCredential::Environment,
        AzureCredential::ManagedIdentity,
        AzureCredential::WorkloadIdentity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AzureCredential::Default => "default",
            AzureCredential::AzureCli => "azure-cli",
            AzureCredential::Environment => "environment",
            AzureCredential::ManagedIdentity => "managed-identity",
            AzureCredential::WorkloadIdentity => "workload-identity",
        }
    }

    pub fn parse(s: &str) -> Option<AzureCredential> {
        AzureCredential::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    pub instances: Duration,
    pub disks: Duration,
    pub load_balancers: Duration,
    pub networks: Duration,
    /// Calls in flight at once per provider.
    pub max_concurrency: usize,
}

impl Default for Refresh {
    fn default() -> Self {
        Refresh {
            instances: Duration::from_secs(15),
            disks: Duration::from_secs(30),
            load_balancers: Duration::from_secs(30),
            networks: Duration::from_secs(60),
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

    /// Key and value compare without regard to case (`env=prod` protects `Env=PROD`): a tag
    /// written another way must not slip past the guardrail.
    pub fn matches(&self, tags: &crate::domain::Tags) -> bool {
        let same = |a: &str, b: &str| a == b || a.to_lowercase() == b.to_lowercase();
        tags.iter().any(|(k, v)| {
            same(k, &self.key) && self.value.as_deref().is_none_or(|want| same(v, want))
        })
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
    /// Saved views, in file order (the palette lists them).
    pub views: Vec<View>,
}

/// Monthly budgets in USD: the header warns when the projection passes one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Budget {
    pub monthly: Option<f64>,
    pub accounts: BTreeMap<String, f64>,
}

/// The most a config file may hold. Real ones are a few KiB; this stops `--config /dev/zero`
/// (or a log file named by mistake) from being read until memory runs out.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// The longest sandbox delays the config or environment may ask for: a minute per call, an
/// hour per transition (beyond that a number is a mistake, and the clock arithmetic overflows).
pub const MAX_LATENCY_MS: u64 = 60_000;
pub const MAX_TRANSITION_MS: u64 = 3_600_000;

impl Config {
    /// Read `path`. A missing file is an empty config unless `must_exist`.
    pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        let mut cfg = match read_capped(path) {
            Ok(bytes) => Config::parse_bytes(&bytes, path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Config::default(),
            Err(e) => {
                return Err(ConfigError::io(path, e));
            }
        };
        cfg.apply_env()?;
        Ok(cfg)
    }

    /// Check the size and the encoding, then parse: what [`Config::load`] does with a file's
    /// bytes.
    pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Config, ConfigError> {
        if bytes.len() > MAX_CONFIG_BYTES {
            return Err(ConfigError {
                source: path.display().to_string(),
                line: None,
                column: None,
                message: "is larger than 1 MiB, which no config file is (is it the right file?)"
                    .into(),
            });
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Config::parse(text, path),
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                let text = std::str::from_utf8(good).unwrap_or_default();
                let bad = bytes[e.valid_up_to()];
                Err(ConfigError::at(
                    path,
                    text,
                    text.len(),
                    format!("invalid UTF-8 (byte 0x{bad:02x}): a config file is UTF-8 text"),
                ))
            }
        }
    }

    /// Parse and validate config text; `path` is only for messages. A byte order mark is
    /// allowed (some editors write one).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::parse_in(text, path, &gcloud::Env::process())
    }

    /// `parse`, with what a GCP account without `project` may look at given (tests).
    pub(crate) fn parse_in(
        text: &str,
        path: &Path,
        env: &gcloud::Env,
    ) -> Result<Config, ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: file::FileConfig =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, &e))?;
        let mut cfg = validate::validate(raw, path, text, env)?;
        cfg.source = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Environment beats the file: `NEPHOS_SANDBOX_TRANSITION_MS`, `NEPHOS_SANDBOX_LATENCY_MS`,
    /// `NEPHOS_SANDBOX_FAULTS`.
    fn apply_env(&mut self) -> Result<(), ConfigError> {
        let ms = |k: &str, max: u64| -> Result<Option<Duration>, ConfigError> {
            match std::env::var(k) {
                Ok(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n <= max => Ok(Some(Duration::from_millis(n))),
                    Ok(_) => Err(ConfigError::env(
                        k,
                        format!("{} is more than the most allowed, {max} ms", v.trim()),
                    )),
                    Err(_) => Err(ConfigError::env(
                        k,
                        format!("'{v}' is not a number of milliseconds"),
                    )),
                },
                Err(_) => Ok(None),
            }
        };
        if let Some(d) = ms("NEPHOS_SANDBOX_TRANSITION_MS", MAX_TRANSITION_MS)? {
            self.sandbox.transition = d;
        }
        if let Some(d) = ms("NEPHOS_SANDBOX_LATENCY_MS", MAX_LATENCY_MS)? {
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

/// At most [`MAX_CONFIG_BYTES`] + 1 bytes of `path`: enough to tell that it is too big.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
