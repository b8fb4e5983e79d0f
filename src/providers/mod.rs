//! The provider interface. Adapters turn one cloud's API into domain types; they know nothing of
//! the terminal. See docs/providers.md for how each concept maps on AWS, GCP and Azure.

#[cfg(feature = "aws")]
pub mod aws;
pub mod aws_profiles;
#[cfg(feature = "azure")]
pub mod azure;
mod capabilities;
mod error;
#[cfg(feature = "gcp")]
pub mod gcp;
pub mod list_kind;
mod list_scope;
pub mod network_request;
pub mod registry;
mod request;
pub mod sandbox;
pub mod ssh_key;
pub mod state_map;

use async_trait::async_trait;

pub use capabilities::Capabilities;
pub use error::{ErrorKind, ProviderError};
pub use list_scope::{in_regions, ListScope, ScopeLevel};
pub use network_request::{IngressRule, NetApplied, NetworkRequest};
pub use request::{Request, WaitFor};

use std::fmt;

use crate::domain::{
    ActionRef, Described, Disk, Instance, LbKind, LbScheme, LoadBalancer, Op, ProviderKind,
    Resource, ResourceKind, ResourceRef, Str, Tags,
};

/// One configured account (AWS account + profile, GCP project, Azure subscription).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    pub name: Str,
    pub provider: ProviderKind,
    pub sandbox: bool,
    pub read_only: bool,
    /// The provider's own id of the account: the AWS profile (the account number is only known
    /// after a call), GCP project id, Azure subscription id. Never a credential.
    pub native_id: String,
    /// Regions named in the config; empty means "ask the provider" (`regions = "all"`).
    pub regions: Vec<String>,
}

/// What an account offers, for completion in the console's forms: regions with their zones,
/// machine types and disk types. Empty when the adapter does not know.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Offerings {
    pub regions: Vec<(String, Vec<String>)>,
    pub machine_types: Vec<MachineType>,
    pub disk_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MachineType {
    pub name: String,
    pub vcpus: u32,
    pub memory_gib: f64,
}

/// What one list call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Resources {
    Instances(Vec<Instance>),
    Disks(Vec<Disk>),
    LoadBalancers(Vec<LoadBalancer>),
    /// `list_networks`' answer for one scope, as rows (`list_kind::list`).
    Networks(Vec<crate::domain::network::NetworkRow>),
}

impl Resources {
    pub fn len(&self) -> usize {
        match self {
            Resources::Instances(v) => v.len(),
            Resources::Disks(v) => v.len(),
            Resources::LoadBalancers(v) => v.len(),
            Resources::Networks(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn kind(&self) -> ResourceKind {
        match self {
            Resources::Instances(_) => ResourceKind::Instance,
            Resources::Disks(_) => ResourceKind::Disk,
            Resources::LoadBalancers(_) => ResourceKind::LoadBalancer,
            Resources::Networks(_) => ResourceKind::Network,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceAction {
    Start,
    Stop,
    Reboot,
    Terminate,
    /// Azure: power off without deallocating (still billed).
    PowerOff,
}

impl InstanceAction {
    pub fn op(self) -> Op {
        match self {
            InstanceAction::Start => Op::Start,
            InstanceAction::Stop => Op::Stop,
            InstanceAction::Reboot => Op::Reboot,
            InstanceAction::Terminate => Op::Terminate,
            InstanceAction::PowerOff => Op::PowerOff,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstanceSpec {
    pub region: String,
    pub zone: Option<String>,
    pub instance_type: String,
    pub name: String,
    pub image: Option<String>,
    pub disk_gib: Option<u64>,
    pub spot: bool,
    pub tags: Tags,
    /// Options only some clouds take; empty unless the user named one.
    pub options: CreateOptions,
}

/// Create options that only some clouds use (Azure today: docs/providers.md). A provider that
/// cannot use one that is set refuses the create rather than ignore it; the CLI refuses them
/// for other clouds before asking.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateOptions {
    /// The SSH public key's text (an `ssh-…` line), not its path.
    pub ssh_public_key: Option<String>,
    /// The resource group to create in (Azure; made, tagged, when missing).
    pub resource_group: Option<String>,
    /// An existing subnet: its ARM id or `VNET/SUBNET` in the resource group (Azure).
    pub subnet: Option<String>,
}

impl CreateOptions {
    /// The CLI flags of the options that are set, for "not on this cloud" messages.
    pub fn flags_set(&self) -> Vec<&'static str> {
        [
            (self.ssh_public_key.is_some(), "--ssh-key"),
            (self.resource_group.is_some(), "--resource-group"),
            (self.subnet.is_some(), "--subnet"),
        ]
        .into_iter()
        .filter_map(|(set, flag)| set.then_some(flag))
        .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DiskSpec {
    pub region: String,
    pub zone: String,
    pub name: String,
    pub size_gib: u64,
    pub disk_type: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LbSpec {
    pub region: String,
    pub name: String,
    pub kind: LbKind,
    pub scheme: LbScheme,
    pub tags: Tags,
}

/// A long-running operation the provider handed back (GCP Operation name with its zone or
/// region, Azure-AsyncOperation URL). AWS answers at once, so its actions return none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationHandle(pub String);

/// Where an operation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationStatus {
    Running(Progress),
    Done,
    Failed(ProviderError),
}

/// How far a running operation has got, and when the provider wants to be asked again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Percent done, when the provider says (GCP `progress`, Azure `percentComplete`).
    pub percent: Option<u8>,
    /// The provider's own word for where it is (GCP `RUNNING`, Azure `InProgress`).
    pub status: Option<String>,
    /// Ask again no sooner than this (Azure `Retry-After`).
    pub retry_after: Option<std::time::Duration>,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.status.as_deref().unwrap_or("in progress"))?;
        if let Some(p) = self.percent {
            write!(f, " {p}%")?;
        }
        Ok(())
    }
}

/// What an accepted change returns: the resource it acted on (or made), the resource as the
/// provider now shows it when its answer carried one (often in a transitional state; GCP and
/// Azure answer a delete or an insert with an operation only), and the operation to follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// What it acted on (or made): a resource, or a network part for a network change.
    pub target: ActionRef,
    pub resource: Option<Resource>,
    pub operation: Option<OperationHandle>,
}

impl Applied {
    /// The provider answered with the resource itself.
    pub fn with(resource: impl Into<Resource>, operation: Option<OperationHandle>) -> Self {
        let resource = resource.into();
        Applied {
            target: ActionRef::Resource(resource.resource_ref().clone()),
            resource: Some(resource),
            operation,
        }
    }

    /// The provider answered with no resource (tags; an operation-only answer).
    pub fn to(target: ResourceRef, operation: Option<OperationHandle>) -> Self {
        Applied {
            target: ActionRef::Resource(target),
            resource: None,
            operation,
        }
    }
}

pub type Result<T> = std::result::Result<T, ProviderError>;

/// One account on one cloud. Every method that talks to the cloud is async and returns a typed
/// [`ProviderError`]; none blocks the caller's thread. Changes a provider cannot make default to
/// `Unsupported`, and [`Capabilities`] says which ones it can.
#[async_trait]
pub trait CloudProvider: Send + Sync {
    fn account(&self) -> &AccountInfo;
    fn capabilities(&self) -> &Capabilities;
    /// Regions, zones and types for completion; no call to the cloud.
    fn offerings(&self) -> Offerings {
        Offerings::default()
    }

    /// Where `kind` is listed, one call each: AWS per region (the configured ones, or every
    /// enabled region), GCP once per project, Azure per subscription or configured resource
    /// group. An error here is the account's: none of its scopes can be polled yet.
    async fn list_scopes(&self, kind: ResourceKind) -> Result<Vec<ListScope>>;
    /// Every resource of one kind in one of its list scopes, all pages, each row with its own
    /// region and zone; rows outside the configured regions are left out.
    async fn list(&self, scope: &ListScope, kind: ResourceKind) -> Result<Resources>;
    /// One resource, fresh, with the provider's raw payload.
    async fn describe(&self, r: &ResourceRef) -> Result<Described>;
    /// Where a long-running operation stands.
    async fn operation_status(&self, _op: &OperationHandle) -> Result<OperationStatus> {
        Ok(OperationStatus::Done)
    }
    /// Make one change. What the provider cannot do is `Unsupported` (and [`Capabilities`] says
    /// so beforehand, so the CLI and the console refuse it before it gets here).
    async fn apply(&self, req: &Request) -> Result<Applied> {
        Err(unsupported(self.account(), req.op()))
    }
    /// Networks, subnets, security groups (GCP: firewall rules per network; Azure: NSGs) and
    /// which network each instance is in, for one list scope (the scopes `list_scopes` names
    /// for instances). See docs/providers.md, "Networks".
    async fn list_networks(
        &self,
        _scope: &ListScope,
    ) -> Result<crate::domain::network::NetworkSet> {
        Err(ProviderError::unsupported(format!(
            "{} (account '{}') cannot list networks yet",
            self.account().provider,
            self.account().name
        )))
    }
    /// Make one network change (checked with [`NetworkRequest::validate`] first).
    async fn apply_network(&self, req: &NetworkRequest) -> Result<NetApplied> {
        Err(ProviderError::unsupported(format!(
            "{} (account '{}') cannot {}",
            self.account().provider,
            self.account().name,
            req.verb()
        )))
    }
}

/// The error for a request this provider does not carry out.
pub fn unsupported(account: &AccountInfo, op: Op) -> ProviderError {
    ProviderError::unsupported(format!(
        "{} (account '{}') cannot {op}",
        account.provider, account.name
    ))
}
