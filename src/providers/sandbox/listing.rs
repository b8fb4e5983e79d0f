//! How each sandbox account lists, as its provider does: AWS one region at a time, GCP once per
//! project (an aggregated list of every region and zone), Azure once per subscription, or once
//! per resource group when `[sandbox] azure_resource_groups` names some. A list that reaches
//! past the account's regions keeps only the rows inside them.

use crate::domain::{ProviderKind, ResourceKind, ResourceRef, Str};
use crate::providers::{ListScope, ProviderError, Resources, Result, ScopeLevel};

use super::{convert, faults, shapes, Reading, SandboxProvider};

/// The list scope a sandbox row comes from when no resource groups are configured: its AWS
/// region, the GCP project, the Azure subscription. For tests that deliver rows as pollers do.
pub fn scope_of(r: &ResourceRef) -> ListScope {
    let shape = shapes::for_provider(r.provider);
    match r.provider {
        ProviderKind::Aws => ListScope::aws_region(&r.region),
        ProviderKind::Gcp => ListScope::gcp_project(shape.native_id),
        ProviderKind::Azure => ListScope::azure_subscription(shape.native_id),
    }
}

/// Which records one list call returns: the account's own, in its regions, and in the scope.
#[derive(Clone)]
struct Reach {
    provider: ProviderKind,
    level: ScopeLevel,
    name: Str,
    regions: Vec<String>,
}

impl Reach {
    fn holds(&self, provider: ProviderKind, region: &str, group: &str) -> bool {
        provider == self.provider
            && self.regions.iter().any(|r| r == region)
            && match self.level {
                ScopeLevel::Region => region == self.name,
                ScopeLevel::ResourceGroup => group.eq_ignore_ascii_case(&self.name),
                ScopeLevel::Project | ScopeLevel::Subscription => true,
            }
    }
}

impl SandboxProvider {
    pub(super) fn scopes(&self, _kind: ResourceKind) -> Vec<ListScope> {
        match self.p() {
            ProviderKind::Aws => self
                .info
                .regions
                .iter()
                .map(|r| ListScope::aws_region(r))
                .collect(),
            ProviderKind::Gcp => vec![ListScope::gcp_project(&self.info.native_id)],
            ProviderKind::Azure if self.resource_groups.is_empty() => {
                vec![ListScope::azure_subscription(&self.info.native_id)]
            }
            ProviderKind::Azure => self
                .resource_groups
                .iter()
                .map(|g| ListScope::azure_resource_group(g))
                .collect(),
        }
    }

    pub(super) fn scope_fault(&self, scope: &ListScope) -> Result<()> {
        match faults::error_for_scope(
            &self.cloud.settings.faults,
            self.shape.account,
            scope,
            &self.info.regions,
        ) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    pub(super) async fn list_scope(
        &self,
        scope: &ListScope,
        kind: ResourceKind,
    ) -> Result<Resources> {
        if !self.scopes(kind).contains(scope) {
            return Err(ProviderError::new(
                crate::providers::ErrorKind::Invalid,
                format!("account {} does not list {scope}", self.shape.account),
            ));
        }
        self.scope_fault(scope)?;
        let asked = std::time::Instant::now();
        let reach = Reach {
            provider: self.p(),
            level: scope.level,
            name: scope.name.clone(),
            regions: self.info.regions.clone(),
        };
        let reading = match kind {
            ResourceKind::Instance => Reading::Instances,
            _ => Reading::AfterInstances,
        };
        self.cloud
            .read_store(reading, move |store, now| {
                let began = std::time::Instant::now();
                let cpu = crate::logging::thread_cpu_time();
                let waited = asked.elapsed();
                // Instances named by disks and load balancers, through the store's index.
                let vm = |id: &str| store.vm(reach.provider, id);
                let rows = match kind {
                    ResourceKind::Instance => Resources::Instances(
                        store
                            .instances()
                            .expect("read")
                            .iter()
                            .filter(|v| reach.holds(v.provider, &v.region, &v.group))
                            .map(convert::instance)
                            .collect(),
                    ),
                    ResourceKind::Disk => Resources::Disks(
                        store
                            .loaded()
                            .expect("whole")
                            .disks
                            .iter()
                            .filter(|d| reach.holds(d.provider, &d.region, &d.group))
                            .map(|d| convert::disk(&vm, d))
                            .collect(),
                    ),
                    ResourceKind::LoadBalancer => Resources::LoadBalancers(
                        store
                            .loaded()
                            .expect("whole")
                            .lbs
                            .iter()
                            .filter(|l| reach.holds(l.provider, &l.region, &l.group))
                            .map(|l| convert::load_balancer(&vm, l, now.ms, now.step_ms))
                            .collect(),
                    ),
                    ResourceKind::Network => {
                        return Err(crate::providers::list_kind::networks_elsewhere())
                    }
                };
                // For profiling a start at scale (`NEPHOS_LOG=nephos=debug`): how long the call
                // waited for the world (loading it, or behind a change) and how long it converted.
                tracing::debug!(
                    %kind,
                    scope = %reach.name,
                    rows = rows.len(),
                    waited_ms = waited.as_secs_f64() * 1e3,
                    converted_ms = began.elapsed().as_secs_f64() * 1e3,
                    converted_cpu_ms =
                        (crate::logging::thread_cpu_time() - cpu).as_secs_f64() * 1e3,
                    "sandbox list"
                );
                Ok(rows)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::providers::sandbox::{SandboxCloud, SandboxSettings};
    use crate::providers::{AccountInfo, Capabilities, CloudProvider};

    #[tokio::test]
    async fn a_whole_project_list_keeps_only_the_configured_regions() {
        let dir = tempfile::tempdir().unwrap();
        let cloud = SandboxCloud::open(SandboxSettings::quick(dir.path().to_path_buf()));
        cloud.reset(60, 42).unwrap();
        let p = SandboxProvider {
            cloud: Arc::clone(&cloud),
            shape: &shapes::GCP,
            info: AccountInfo {
                name: shapes::GCP.account.into(),
                provider: ProviderKind::Gcp,
                sandbox: true,
                read_only: false,
                native_id: shapes::GCP.native_id.into(),
                regions: vec!["europe-west1".into()],
            },
            resource_groups: Vec::new(),
            caps: Capabilities::all_ops(Vec::new(), std::time::Duration::ZERO),
        };
        let scopes = p.list_scopes(ResourceKind::Instance).await.unwrap();
        assert_eq!(scopes, [ListScope::gcp_project("nephos-sandbox")]);
        let Resources::Instances(rows) = p.list(&scopes[0], ResourceKind::Instance).await.unwrap()
        else {
            panic!("instances")
        };
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r.r#ref.region == "europe-west1"));
        let e = p
            .list(&ListScope::aws_region("us-east-1"), ResourceKind::Instance)
            .await
            .unwrap_err();
        assert!(e.message.contains("does not list region us-east-1"), "{e}");
    }
}
