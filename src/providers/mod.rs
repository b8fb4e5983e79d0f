//! The provider interface. Adapters turn one cloud's API into domain types; they know nothing of
//! the terminal. See docs/providers.md for how each concept maps on AWS, GCP and Azure.

#[cfg(feature = "aws")]
pub mod aws;
mod capabilities;
mod error;
pub mod registry;
pub mod sandbox;
pub mod state_map;

use async_trait::async_trait;

pub use capabilities::Capabilities;
pub use error::{ErrorKind, ProviderError};

use crate::domain::{
    Described, Disk, Instance, LbKind, LbScheme, LoadBalancer, Op, ProviderKind, ResourceKind,
    ResourceRef, Str, Tags,
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
}

impl Resources {
    pub fn len(&self) -> usize {
        match self {
            Resources::Instances(v) => v.len(),
            Resources::Disks(v) => v.len(),
            Resources::LoadBalancers(v) => v.len(),
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceAction {
    Start,
    Stop,
    Reboot,
    Terminate,
}

impl InstanceAction {
    pub fn op(self) -> Op {
        match self {
            InstanceAction::Start => Op::Start,
            InstanceAction::Stop => Op::Stop,
            InstanceAction::Reboot => Op::Reboot,
            InstanceAction::Terminate => Op::Terminate,
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

/// A long-running operation the provider handed back (GCP Operation, Azure-AsyncOperation URL).
/// AWS answers at once, so its actions return none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationHandle(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationStatus {
    Running,
    Done,
    Failed(ProviderError),
}

/// What an accepted change returns: the resource as the provider now shows it (often in a
/// transitional state) and the operation to follow, if the provider gave one.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted<T> {
    pub resource: T,
    pub operation: Option<OperationHandle>,
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

    /// The regions to poll: the configured ones, or the account's enabled regions.
    async fn regions(&self) -> Result<Vec<String>>;
    /// Every resource of one kind in one region, all pages.
    async fn list(&self, region: &str, kind: ResourceKind) -> Result<Resources>;
    /// One resource, fresh, with the provider's raw payload.
    async fn describe(&self, r: &ResourceRef) -> Result<Described>;
    /// Where a long-running operation stands.
    async fn operation_status(&self, _op: &OperationHandle) -> Result<OperationStatus> {
        Ok(OperationStatus::Done)
    }

    async fn instance_action(
        &self,
        _inst: &Instance,
        action: InstanceAction,
    ) -> Result<Accepted<Instance>> {
        Err(unsupported(self.account(), action.op()))
    }
    async fn create_instance(&self, _spec: &InstanceSpec) -> Result<Accepted<Instance>> {
        Err(unsupported(self.account(), Op::CreateInstance))
    }
    async fn create_disk(&self, _spec: &DiskSpec) -> Result<Accepted<Disk>> {
        Err(unsupported(self.account(), Op::CreateDisk))
    }
    async fn attach_disk(
        &self,
        _disk: &Disk,
        _inst: &Instance,
        _device: Option<&str>,
    ) -> Result<Accepted<Disk>> {
        Err(unsupported(self.account(), Op::AttachDisk))
    }
    async fn detach_disk(&self, _disk: &Disk) -> Result<Accepted<Disk>> {
        Err(unsupported(self.account(), Op::DetachDisk))
    }
    async fn delete_disk(&self, _disk: &Disk) -> Result<Accepted<Disk>> {
        Err(unsupported(self.account(), Op::DeleteDisk))
    }
    async fn create_load_balancer(&self, _spec: &LbSpec) -> Result<Accepted<LoadBalancer>> {
        Err(unsupported(self.account(), Op::CreateLoadBalancer))
    }
    async fn register_targets(
        &self,
        _lb: &LoadBalancer,
        _targets: &[Instance],
    ) -> Result<Accepted<LoadBalancer>> {
        Err(unsupported(self.account(), Op::RegisterTargets))
    }
    async fn deregister_targets(
        &self,
        _lb: &LoadBalancer,
        _targets: &[Instance],
    ) -> Result<Accepted<LoadBalancer>> {
        Err(unsupported(self.account(), Op::DeregisterTargets))
    }
    async fn delete_load_balancer(&self, _lb: &LoadBalancer) -> Result<Accepted<LoadBalancer>> {
        Err(unsupported(self.account(), Op::DeleteLoadBalancer))
    }
    /// Set and remove tags (labels on GCP) on any resource.
    async fn set_tags(&self, _r: &ResourceRef, _set: &Tags, _remove: &[String]) -> Result<()> {
        Err(unsupported(self.account(), Op::Tag))
    }
}

fn unsupported(account: &AccountInfo, op: Op) -> ProviderError {
    ProviderError::unsupported(format!(
        "{} (account '{}') cannot {op}",
        account.provider, account.name
    ))
}
