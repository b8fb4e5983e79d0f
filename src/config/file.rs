//! The config file's shape, as serde reads it. Unknown keys are errors, so a typo is caught
//! with its line rather than silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub accounts: Vec<Spanned<AccountFile>>,
    pub refresh: Option<RefreshFile>,
    pub guardrails: Option<GuardrailsFile>,
    pub ui: Option<UiFile>,
    pub sandbox: Option<SandboxFile>,
    pub keymap: Option<toml::Table>,
    pub log_level: Option<Spanned<String>>,
    pub budget: Option<BudgetFile>,
    #[serde(default)]
    pub views: Vec<Spanned<ViewFile>>,
}

/// A saved view: `[[views]] name, pane, filter, sort, scope`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewFile {
    pub name: Spanned<String>,
    pub pane: Spanned<String>,
    pub filter: Option<Spanned<String>>,
    pub sort: Option<Spanned<String>>,
    pub scope: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    pub monthly: Option<Spanned<f64>>,
    #[serde(default)]
    pub accounts: BTreeMap<String, Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFile {
    pub name: Spanned<String>,
    pub provider: Spanned<String>,
    #[serde(default)]
    pub read_only: bool,
    pub regions: Option<Spanned<Regions>>,
    // AWS
    pub profile: Option<Spanned<String>>,
    pub endpoint_url: Option<Spanned<String>>,
    // GCP
    pub project: Option<Spanned<String>>,
    pub credentials_file: Option<Spanned<String>>,
    // Azure
    pub subscription: Option<Spanned<String>>,
    pub tenant: Option<Spanned<String>>,
    pub resource_groups: Option<Spanned<Vec<String>>>,
    pub credential: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Regions {
    List(Vec<String>),
    Word(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshFile {
    pub instances: Option<Spanned<u64>>,
    pub disks: Option<Spanned<u64>>,
    pub load_balancers: Option<Spanned<u64>>,
    pub networks: Option<Spanned<u64>>,
    pub max_concurrency: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardrailsFile {
    #[serde(default)]
    pub read_only: bool,
    pub protected_tags: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiFile {
    pub theme: Option<Spanned<String>>,
    #[serde(default)]
    pub mouse: bool,
    #[serde(default)]
    pub colors: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxFile {
    pub transition_ms: Option<Spanned<u64>>,
    pub latency_ms: Option<Spanned<u64>>,
    pub faults: Option<Vec<Spanned<String>>>,
    pub azure_resource_groups: Option<Vec<String>>,
}
