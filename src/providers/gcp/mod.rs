//! The GCP adapter: Compute Engine instances, persistent disks and load balancers (forwarding
//! rules, regional and global, with the instances of their target pools or backend services) of
//! one project, through the official
//! google-cloud-compute-v1 crate. A project is one list scope: every kind is read with
//! aggregated lists (every zone and region in one call per page), and rows outside the
//! configured regions are dropped. Every change answers with an Operation, which
//! `operation_status` follows. Nothing here knows about the terminal.

mod actions;
mod credentials;
mod errors;
mod labels;
mod listing;
mod load_balancers;
mod networks;
mod operations;
mod session;
mod urls;

pub mod convert;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

pub use credentials::Source as CredentialsSource;
pub use session::{ComputeRetry, GcpSettings};

use crate::config::{AccountConfig, ProviderSettings};
use crate::domain::{Described, LbKind, ProviderKind, ResourceKind, ResourceRef};
use crate::providers::{
    AccountInfo, Applied, Capabilities, CloudProvider, ErrorKind, ListScope, MachineType,
    Offerings, OperationHandle, OperationStatus, ProviderError, Request, Resources, Result,
    ScopeLevel,
};
use convert::TypeSize;
use session::Session;

pub struct GcpProvider {
    info: AccountInfo,
    caps: Capabilities,
    session: Session,
    /// Machine type sizes by name (None: the lookup found no such type); they do not change.
    types: Mutex<HashMap<String, Option<TypeSize>>>,
    /// The device name each attached disk has on its instance (`zone/disk` → device), as the
    /// instances' `disks[]` last said.
    devices: Mutex<HashMap<String, String>>,
    /// Zones seen per region, for completion in the console's forms.
    zones: Mutex<BTreeMap<String, BTreeSet<String>>>,
}

impl GcpProvider {
    pub fn new(a: &AccountConfig, read_only: bool) -> Self {
        let mut settings = GcpSettings::new("");
        if let ProviderSettings::Gcp {
            project,
            credentials_file,
            endpoint_url,
        } = &a.settings
        {
            settings.project = project.clone();
            settings.credentials_file = credentials_file.clone();
            settings.endpoint_url = endpoint_url.clone();
        }
        GcpProvider::with_settings(a, read_only, settings)
    }

    pub fn with_settings(a: &AccountConfig, read_only: bool, settings: GcpSettings) -> Self {
        let ops = Capabilities::all_ops(vec![LbKind::Network], settings.wait_poll);
        GcpProvider {
            info: AccountInfo {
                name: a.name.as_str().into(),
                provider: ProviderKind::Gcp,
                sandbox: false,
                read_only,
                native_id: settings.project.clone(),
                regions: a.regions.clone(),
            },
            caps: ops,
            session: Session::new(settings),
            types: Mutex::new(HashMap::new()),
            devices: Mutex::new(HashMap::new()),
            zones: Mutex::new(BTreeMap::new()),
        }
    }

    fn project(&self) -> &str {
        self.session.project()
    }

    fn account_name(&self) -> &str {
        &self.info.name
    }

    /// Is `region` one this account shows (all when none are configured)?
    fn in_regions(&self, region: &str) -> bool {
        self.info.regions.is_empty() || self.info.regions.iter().any(|r| r == region)
    }

    fn saw_zone(&self, zone: &str) {
        if zone.is_empty() {
            return;
        }
        let mut z = self.zones.lock().expect("zones");
        z.entry(urls::zone_region(zone).to_string())
            .or_default()
            .insert(zone.to_string());
    }

    fn check_scope(&self, scope: &ListScope) -> Result<()> {
        if scope.level != ScopeLevel::Project || scope.name != self.project() {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!(
                    "GCP account '{}' lists project {}, not {scope}",
                    self.info.name,
                    self.project()
                ),
            ));
        }
        Ok(())
    }
}

#[async_trait]
impl CloudProvider for GcpProvider {
    fn account(&self) -> &AccountInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn offerings(&self) -> Offerings {
        let mut regions: BTreeMap<String, Vec<String>> = self
            .info
            .regions
            .iter()
            .map(|r| (r.clone(), Vec::new()))
            .collect();
        for (r, z) in self.zones.lock().expect("zones").iter() {
            regions.insert(r.clone(), z.iter().cloned().collect());
        }
        let machine_types = self
            .types
            .lock()
            .expect("types")
            .iter()
            .filter_map(|(name, s)| {
                s.map(|s| {
                    (
                        name.clone(),
                        MachineType {
                            name: name.clone(),
                            vcpus: s.vcpus,
                            memory_gib: s.memory_gib,
                        },
                    )
                })
            })
            .collect::<BTreeMap<_, _>>()
            .into_values()
            .collect();
        Offerings {
            regions: regions.into_iter().collect(),
            machine_types,
            disk_types: [
                "pd-balanced",
                "pd-standard",
                "pd-ssd",
                "pd-extreme",
                "hyperdisk-balanced",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }

    /// One scope: the project, read with aggregated lists.
    async fn list_scopes(&self, _kind: ResourceKind) -> Result<Vec<ListScope>> {
        Ok(vec![ListScope::gcp_project(self.project())])
    }

    async fn list(&self, scope: &ListScope, kind: ResourceKind) -> Result<Resources> {
        self.check_scope(scope)?;
        Ok(match kind {
            ResourceKind::Instance => Resources::Instances(self.list_instances().await?),
            ResourceKind::Disk => Resources::Disks(self.list_disks().await?),
            ResourceKind::LoadBalancer => {
                Resources::LoadBalancers(self.list_load_balancers().await?)
            }
            ResourceKind::Network => return Err(crate::providers::list_kind::networks_elsewhere()),
        })
    }

    async fn describe(&self, r: &ResourceRef) -> Result<Described> {
        match r.kind {
            ResourceKind::Instance => self.describe_instance(r).await,
            ResourceKind::Disk => self.describe_disk(r).await,
            ResourceKind::LoadBalancer => self.describe_load_balancer(r).await,
            ResourceKind::Network => Err(crate::providers::list_kind::networks_elsewhere()),
        }
    }

    async fn operation_status(&self, op: &OperationHandle) -> Result<OperationStatus> {
        let c = self.session.clients().await?;
        Ok(operations::status(
            &operations::get(c, self.project(), op).await?,
        ))
    }

    async fn apply(&self, req: &Request) -> Result<Applied> {
        match req {
            Request::Instance { target, action } => self.act_on_instance(target, *action).await,
            Request::CreateInstance { spec, .. } => self.insert_instance(spec).await,
            Request::CreateDisk { spec, .. } => self.insert_disk(spec).await,
            Request::AttachDisk {
                disk,
                instance,
                device,
            } => self.attach_disk(disk, instance, device.as_deref()).await,
            Request::DetachDisk { disk } => self.detach_disk(disk).await,
            Request::DeleteDisk { disk } => self.delete_disk(disk).await,
            Request::CreateLoadBalancer { spec, .. } => self.create_lb(spec).await,
            Request::Register { lb, targets } => self.change_pool(lb, targets, true).await,
            Request::Deregister { lb, targets } => self.change_pool(lb, targets, false).await,
            Request::DeleteLoadBalancer { lb } => self.delete_lb(lb).await,
            Request::Tag {
                target,
                set,
                remove,
            } => self.set_labels(target.resource_ref(), set, remove).await,
            Request::Network(n) => self.apply_network(n).await.map(Applied::from),
        }
    }

    /// One call per project, as every other kind (see `networks.rs`).
    async fn list_networks(&self, scope: &ListScope) -> Result<crate::domain::network::NetworkSet> {
        if scope.level != ScopeLevel::Project || scope.name != self.project() {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!("account {} does not list {scope}", self.info.name),
            ));
        }
        self.list_networks_all().await
    }

    async fn apply_network(
        &self,
        req: &crate::providers::NetworkRequest,
    ) -> Result<crate::providers::NetApplied> {
        self.change_network(req).await
    }
}

/// How long the adapter waits on its own for an operation that a next step needs done.
fn step_wait(s: &GcpSettings) -> (Duration, Duration) {
    (s.wait_poll.min(Duration::from_secs(2)), s.step_wait)
}
