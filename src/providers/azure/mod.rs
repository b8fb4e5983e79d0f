//! The Azure adapter: virtual machines, managed disks and load balancers of one subscription,
//! through the generated `azure_mgmt_compute` / `azure_mgmt_network` 0.21 clients (`.send()`
//! only) on azure_core 0.21, with nephos's own tolerant serde types for ARM's answers and its
//! own following of long-running operations. docs/crates.md says which parts of the crates are
//! used and why the rest is not. Nothing here knows about the terminal.
//!
//! Resource refs carry the ARM id as ARM gave it; ids are compared without case everywhere.

mod actions;
mod arm;
mod convert;
pub mod credentials;
mod errors;
mod lb_changes;
mod lb_health;
mod listing;
mod net_rows;
mod networks;
mod nic_pools;
mod operations;
mod placement;
mod resources;
mod session;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use azure_core::auth::TokenCredential;

pub use session::SessionSettings;

use crate::config::{AccountConfig, AzureCredential, ProviderSettings};
use crate::domain::{Described, LbKind, ProviderKind, Resource, ResourceKind, ResourceRef};
use crate::providers::{
    AccountInfo, Applied, Capabilities, CloudProvider, ErrorKind, ListScope, MachineType,
    Offerings, OperationHandle, OperationStatus, ProviderError, Request, Resources, Result,
    ScopeLevel,
};
use convert::{LunIndex, Network, SizeInfo};
use session::Session;

/// What a test or the registry may set beyond the account's config.
#[derive(Debug, Clone)]
pub struct Extras {
    /// How often `--wait` looks again (ARM's own Retry-After still applies).
    pub wait_poll: Duration,
    /// The SSH public key for new VMs (default: ~/.ssh/id_ed25519.pub, then id_rsa.pub).
    pub ssh_public_key: Option<String>,
}

impl Default for Extras {
    fn default() -> Self {
        Extras {
            wait_poll: Duration::from_secs(3),
            ssh_public_key: None,
        }
    }
}

pub struct AzureProvider {
    info: AccountInfo,
    caps: Capabilities,
    session: Session,
    resource_groups: Vec<String>,
    ssh_public_key: Option<String>,
    /// vmSizes per location (lower-cased), then size (lower-cased).
    sizes: Mutex<HashMap<String, HashMap<String, SizeInfo>>>,
    /// The LUNs the last VM listing saw, for the disk listing that follows.
    luns: Mutex<Option<(Instant, LunIndex)>>,
    /// The session could not be set up (a bad endpoint_url): every call says so.
    broken: Option<ProviderError>,
}

impl AzureProvider {
    /// The provider for a configured account, with the credential its config names.
    pub fn new(a: &AccountConfig, read_only: bool) -> Self {
        let (tenant, kind) = match &a.settings {
            ProviderSettings::Azure {
                tenant, credential, ..
            } => (tenant.clone(), *credential),
            _ => (None, AzureCredential::Default),
        };
        let cred = credentials::build(kind, tenant.as_deref());
        AzureProvider::with_credential(a, read_only, cred, Extras::default(), None)
    }

    /// The provider with a given credential (tests: a fixed token) and retry options.
    pub fn with_credential(
        a: &AccountConfig,
        read_only: bool,
        credential: Arc<dyn TokenCredential>,
        extras: Extras,
        retry: Option<azure_core::RetryOptions>,
    ) -> Self {
        let (subscription, tenant, groups, endpoint) = match &a.settings {
            ProviderSettings::Azure {
                subscription,
                tenant,
                resource_groups,
                endpoint_url,
                ..
            } => (
                subscription.clone(),
                tenant.clone(),
                resource_groups.clone(),
                endpoint_url.clone(),
            ),
            _ => (String::new(), None, Vec::new(), None),
        };
        let (settings, broken) =
            match SessionSettings::new(&subscription, tenant.as_deref(), endpoint.as_deref()) {
                Ok(s) => (s, None),
                Err(e) => (
                    SessionSettings::new(&subscription, tenant.as_deref(), None)
                        .expect("the public endpoint parses"),
                    Some(e),
                ),
            };
        let settings = match retry {
            Some(r) => SessionSettings {
                retry: r,
                ..settings
            },
            None => settings,
        };
        AzureProvider {
            info: AccountInfo {
                name: a.name.as_str().into(),
                provider: ProviderKind::Azure,
                sandbox: false,
                read_only,
                native_id: subscription,
                regions: a.regions.clone(),
            },
            caps: {
                let mut caps = Capabilities {
                    ..Capabilities::all_ops(vec![LbKind::Network], extras.wait_poll)
                };
                caps.ops.insert(crate::domain::Op::PowerOff);
                caps
            },
            session: Session::new(settings, credential),
            resource_groups: groups,
            ssh_public_key: extras.ssh_public_key,
            sizes: Mutex::new(HashMap::new()),
            luns: Mutex::new(None),
            broken,
        }
    }

    fn check(&self) -> Result<()> {
        match &self.broken {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    async fn describe_instance(&self, id: &str) -> Result<Described> {
        let raw = self.get_vm(id, true).await?;
        let vm: arm::Vm = arm::row(&raw);
        let mut nics = Vec::new();
        let mut pips = Vec::new();
        if let Some(n) = vm
            .properties
            .network_profile
            .as_ref()
            .and_then(|p| p.network_interfaces.first())
        {
            if let Some(nic) = errors::absent_ok(self.get_nic(&n.id).await)? {
                let parsed: arm::Nic = arm::row(&nic);
                if let Some(pip) = parsed
                    .properties
                    .ip_configurations
                    .first()
                    .and_then(|c| c.properties.public_ip_address.as_ref())
                {
                    if let Some(p) = errors::absent_ok(self.get_public_ip(&pip.id).await)? {
                        pips.push(p);
                    }
                }
                nics.push(nic);
            }
        }
        let net = Network::from_rows(&nics, &pips);
        self.learn_sizes(&HashSet::from([vm.location.clone()]))
            .await;
        let i = convert::instance(&self.info.name, &vm, |l, s| self.size_of(l, s), &net);
        Ok(Described {
            resource: Resource::Instance(i),
            raw,
        })
    }

    async fn describe_disk(&self, id: &str) -> Result<Described> {
        let raw = self.get_disk(id).await?;
        let d: arm::Disk = arm::row(&raw);
        let mut lun = None;
        if let Some(vm_id) = d.managed_by.as_deref().filter(|m| !m.is_empty()) {
            if let Some(vm) = errors::absent_ok(self.get_vm(vm_id, false).await)? {
                let vm: arm::Vm = arm::row(&vm);
                lun = convert::lun_index(&[vm])
                    .get(&d.id.to_ascii_lowercase())
                    .copied();
            }
        }
        Ok(Described {
            resource: Resource::Disk(convert::disk(&self.info.name, &d, lun)),
            raw,
        })
    }

    async fn describe_lb(&self, id: &str) -> Result<Described> {
        let raw = self.get_lb(id).await?;
        let lb: arm::Lb = arm::row(&raw);
        let mut nic_ids: Vec<String> = Vec::new();
        for pool in &lb.properties.backend_address_pools {
            for c in &pool.properties.backend_ip_configurations {
                let lower = c.id.to_ascii_lowercase();
                if let Some(i) = lower.find("/ipconfigurations/") {
                    let nic = c.id[..i].to_string();
                    if !nic_ids.iter().any(|n| n.eq_ignore_ascii_case(&nic)) {
                        nic_ids.push(nic);
                    }
                }
            }
        }
        let mut nics = Vec::new();
        for n in &nic_ids {
            if let Some(v) = errors::absent_ok(self.get_nic(n).await)? {
                nics.push(v);
            }
        }
        let mut pips = Vec::new();
        for f in &lb.properties.frontend_ip_configurations {
            if let Some(p) = &f.properties.public_ip_address {
                if let Some(v) = errors::absent_ok(self.get_public_ip(&p.id).await)? {
                    pips.push(v);
                }
            }
        }
        let net = Network::from_rows(&nics, &pips);
        let mut out = convert::load_balancer(&self.info.name, &lb, &net);
        let answers = self
            .rule_health(&lb.id, &lb.properties.load_balancing_rules)
            .await;
        convert::set_health(&mut out, &net, &lb_health::merge(&answers));
        Ok(Described {
            resource: Resource::LoadBalancer(out),
            raw,
        })
    }
}

#[async_trait]
impl CloudProvider for AzureProvider {
    fn account(&self) -> &AccountInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn offerings(&self) -> Offerings {
        let sizes = self.sizes.lock().expect("sizes");
        let mut regions: BTreeMap<String, Vec<String>> = self
            .info
            .regions
            .iter()
            .map(|r| (r.clone(), vec!["1".into(), "2".into(), "3".into()]))
            .collect();
        let mut machine_types: BTreeMap<String, MachineType> = BTreeMap::new();
        for (loc, m) in sizes.iter() {
            regions
                .entry(loc.clone())
                .or_insert_with(|| vec!["1".into(), "2".into(), "3".into()]);
            for (name, s) in m {
                machine_types.insert(
                    name.clone(),
                    MachineType {
                        name: name.clone(),
                        vcpus: s.vcpus,
                        memory_gib: s.memory_gib,
                    },
                );
            }
        }
        Offerings {
            regions: regions.into_iter().collect(),
            machine_types: machine_types.into_values().collect(),
            disk_types: [
                "Premium_LRS",
                "StandardSSD_LRS",
                "Standard_LRS",
                "PremiumV2_LRS",
                "UltraSSD_LRS",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }

    /// The subscription, or each configured resource group.
    async fn list_scopes(&self, _kind: ResourceKind) -> Result<Vec<ListScope>> {
        self.check()?;
        Ok(if self.resource_groups.is_empty() {
            vec![ListScope::azure_subscription(self.session.subscription())]
        } else {
            self.resource_groups
                .iter()
                .map(|g| ListScope::azure_resource_group(g))
                .collect()
        })
    }

    async fn list(&self, scope: &ListScope, kind: ResourceKind) -> Result<Resources> {
        self.check()?;
        listable(scope)?;
        Ok(match kind {
            ResourceKind::Instance => Resources::Instances(self.list_instances(scope).await?),
            ResourceKind::Disk => Resources::Disks(self.list_disks(scope).await?),
            ResourceKind::LoadBalancer => {
                Resources::LoadBalancers(self.list_load_balancers(scope).await?)
            }
            ResourceKind::Network => return Err(crate::providers::list_kind::networks_elsewhere()),
        })
    }

    async fn describe(&self, r: &ResourceRef) -> Result<Described> {
        self.check()?;
        match r.kind {
            ResourceKind::Instance => self.describe_instance(&r.id).await,
            ResourceKind::Disk => self.describe_disk(&r.id).await,
            ResourceKind::LoadBalancer => self.describe_lb(&r.id).await,
            ResourceKind::Network => Err(crate::providers::list_kind::networks_elsewhere()),
        }
    }

    async fn operation_status(&self, op: &OperationHandle) -> Result<OperationStatus> {
        self.check()?;
        operations::status(&self.session, op).await
    }

    async fn apply(&self, req: &Request) -> Result<Applied> {
        self.check()?;
        match req {
            Request::Instance { target, action } => self.act_on_instance(target, *action).await,
            Request::CreateInstance { spec, .. } => self.create_instance(spec).await,
            Request::CreateDisk { spec, .. } => self.create_disk(spec).await,
            Request::AttachDisk {
                disk,
                instance,
                device,
            } => {
                self.attach_detach(disk, &instance.r#ref.id, true, device.as_deref())
                    .await
            }
            Request::DetachDisk { disk } => self.detach(disk).await,
            Request::DeleteDisk { disk } => self.delete_disk(disk).await,
            Request::CreateLoadBalancer { spec, .. } => self.create_lb(spec).await,
            Request::Register { lb, targets } => self.change_targets(lb, targets, true).await,
            Request::Deregister { lb, targets } => self.change_targets(lb, targets, false).await,
            Request::DeleteLoadBalancer { lb } => self.delete_lb(lb).await,
            Request::Tag {
                target,
                set,
                remove,
            } => self.tag(target, set, remove).await,
            Request::Network(n) => self.apply_network(n).await.map(Applied::from),
        }
    }

    /// Virtual networks, NSGs and the VNet of each VM: three lists per scope (networks.rs).
    async fn list_networks(&self, scope: &ListScope) -> Result<crate::domain::network::NetworkSet> {
        self.check()?;
        listable(scope)?;
        self.list_networks_in(scope).await
    }

    async fn apply_network(
        &self,
        req: &crate::providers::NetworkRequest,
    ) -> Result<crate::providers::NetApplied> {
        self.check()?;
        self.change_network(req).await
    }
}

/// Azure lists by subscription or resource group: any other scope is refused.
fn listable(scope: &ListScope) -> Result<()> {
    if matches!(
        scope.level,
        ScopeLevel::Subscription | ScopeLevel::ResourceGroup
    ) {
        return Ok(());
    }
    Err(ProviderError::new(
        ErrorKind::Invalid,
        format!("Azure lists by subscription or resource group, not by {scope}"),
    ))
}
