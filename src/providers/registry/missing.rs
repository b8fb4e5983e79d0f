use async_trait::async_trait;

use crate::config::{AccountConfig, ProviderSettings};
use crate::domain::{Described, ResourceKind, ResourceRef};
use crate::providers::{
    AccountInfo, Capabilities, CloudProvider, ErrorKind, ListScope, ProviderError, Resources,
    Result,
};

pub struct MissingAdapter {
    info: AccountInfo,
    caps: Capabilities,
}

impl MissingAdapter {
    pub fn new(a: &AccountConfig, read_only: bool) -> Self {
        let native_id = match &a.settings {
            ProviderSettings::Aws { profile, .. } => profile.clone().unwrap_or_default(),
            ProviderSettings::Gcp { project, .. } => project.clone(),
            ProviderSettings::Azure { subscription, .. } => subscription.clone(),
        };
        MissingAdapter {
            info: AccountInfo {
                name: a.name.as_str().into(),
                provider: a.provider,
                sandbox: false,
                read_only,
                native_id,
                regions: a.regions.clone(),
            },
            caps: Capabilities {
                ops: Default::default(),
                lb_kinds: Vec::new(),
                spot: false,
                wait_poll: std::time::Duration::from_secs(2),
            },
        }
    }

    fn error(&self) -> ProviderError {
        ProviderError::new(
            ErrorKind::Unsupported,
            format!("this build of nephos has no {} adapter", self.info.provider),
        )
        .with_hint(format!(
            "build with `--features {}`, or try the sandbox with --demo",
            self.info.provider
        ))
    }
}

#[async_trait]
impl CloudProvider for MissingAdapter {
    fn account(&self) -> &AccountInfo {
        &self.info
    }
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }
    async fn list_scopes(&self, _kind: ResourceKind) -> Result<Vec<ListScope>> {
        Err(self.error())
    }
    async fn list(&self, _scope: &ListScope, _kind: ResourceKind) -> Result<Resources> {
        Err(self.error())
    }
    async fn describe(&self, _r: &ResourceRef) -> Result<Described> {
        Err(self.error())
    }
}
