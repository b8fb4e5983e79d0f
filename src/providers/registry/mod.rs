//! From configured accounts to providers. The sandbox is always built in; each cloud adapter
//! exists only when its cargo feature is on.

use std::sync::Arc;

use crate::config::{AccountConfig, Config};
use crate::paths::Paths;
use crate::providers::sandbox::{SandboxCloud, SandboxSettings};
use crate::providers::CloudProvider;

/// The sandbox cloud the config and paths describe.
pub fn sandbox_cloud(cfg: &Config, paths: &Paths) -> Arc<SandboxCloud> {
    SandboxCloud::open(SandboxSettings {
        dir: paths.sandbox_dir(),
        transition: cfg.sandbox.transition,
        latency: cfg.sandbox.latency,
        faults: cfg.sandbox.faults.clone(),
        azure_resource_groups: cfg.sandbox.azure_resource_groups.clone(),
    })
}

/// A provider for an account whose adapter is not part of this build: every call answers with
/// an error that says so, so the account shows that error while the others work.
pub mod missing;

pub fn build(
    cfg: &Config,
    paths: &Paths,
    demo: bool,
    read_only: bool,
) -> Vec<Arc<dyn CloudProvider>> {
    if demo {
        return sandbox_cloud(cfg, paths).providers(read_only || cfg.guardrails.read_only);
    }
    cfg.accounts
        .iter()
        .map(|a| account_provider(a, read_only || cfg.guardrails.read_only))
        .collect()
}

fn account_provider(a: &AccountConfig, read_only: bool) -> Arc<dyn CloudProvider> {
    let read_only = read_only || a.read_only;
    match a.provider {
        #[cfg(feature = "aws")]
        crate::domain::ProviderKind::Aws => {
            Arc::new(crate::providers::aws::AwsProvider::new(a, read_only))
        }
        #[cfg(feature = "azure")]
        crate::domain::ProviderKind::Azure => {
            Arc::new(crate::providers::azure::AzureProvider::new(a, read_only))
        }
        #[cfg(feature = "gcp")]
        crate::domain::ProviderKind::Gcp => {
            Arc::new(crate::providers::gcp::GcpProvider::new(a, read_only))
        }
        // Reached only when an adapter's feature is off.
        #[allow(unreachable_patterns)]
        _ => Arc::new(missing::MissingAdapter::new(a, read_only)),
    }
}
