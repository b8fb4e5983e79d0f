//! Provider-neutral resources. Every adapter maps its SDK types into these; the inventory, the
//! filter, the CLI and the console only ever see these.

mod action_ref;
mod disk;
pub mod fnv;
mod instance;
mod load_balancer;
pub mod network;
mod op;
mod resource_ref;
pub(crate) mod state;
mod tags;

pub use action_ref::ActionRef;
pub use disk::Disk;
pub use instance::Instance;
pub use load_balancer::{LbKind, LbScheme, LoadBalancer, Target};
pub use op::Op;
pub use resource_ref::{ProviderKind, RefParseError, ResourceKind, ResourceRef};
pub use state::{DiskState, InstanceState, LbState, TargetHealth};
pub use tags::Tags;

/// Short strings (ids, names, regions) are stored inline: most fit in 24 bytes, which keeps an
/// inventory row small (see docs/performance.md).
pub type Str = compact_str::CompactString;

/// Any one resource, for code that handles every kind alike (resolution, `get`, the detail view).
#[derive(Debug, Clone, PartialEq)]
pub enum Resource {
    Instance(Instance),
    Disk(Disk),
    LoadBalancer(LoadBalancer),
    Network(network::NetworkRow),
}

impl From<network::NetworkRow> for Resource {
    fn from(n: network::NetworkRow) -> Self {
        Resource::Network(n)
    }
}

impl From<Instance> for Resource {
    fn from(i: Instance) -> Self {
        Resource::Instance(i)
    }
}

impl From<Disk> for Resource {
    fn from(d: Disk) -> Self {
        Resource::Disk(d)
    }
}

impl From<LoadBalancer> for Resource {
    fn from(l: LoadBalancer) -> Self {
        Resource::LoadBalancer(l)
    }
}

impl Resource {
    /// Its state in the words the journal, `--wait` and the status line use.
    pub fn state_word(&self) -> String {
        match self {
            Resource::Instance(i) => i.state.to_string(),
            Resource::Disk(d) => d.state.to_string(),
            Resource::LoadBalancer(l) => l.state.to_string(),
            // A network has no state of its own: listed is there.
            Resource::Network(_) => "available".into(),
        }
    }

    pub fn resource_ref(&self) -> &ResourceRef {
        match self {
            Resource::Instance(i) => &i.r#ref,
            Resource::Disk(d) => &d.r#ref,
            Resource::LoadBalancer(l) => &l.r#ref,
            Resource::Network(n) => &n.r#ref,
        }
    }

    /// The native id JSON prints (GCP's numeric id; the ref's id elsewhere).
    pub fn id(&self) -> &str {
        match self {
            Resource::Instance(i) => i.id(),
            Resource::Disk(d) => d.id(),
            Resource::LoadBalancer(l) => l.id(),
            Resource::Network(n) => &n.r#ref.id,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Resource::Instance(i) => &i.name,
            Resource::Disk(d) => &d.name,
            Resource::LoadBalancer(l) => &l.name,
            Resource::Network(n) => &n.network.name,
        }
    }

    pub fn tags(&self) -> &Tags {
        match self {
            Resource::Instance(i) => &i.tags,
            Resource::Disk(d) => &d.tags,
            Resource::LoadBalancer(l) => &l.tags,
            Resource::Network(n) => &n.network.tags,
        }
    }
}

/// A resource together with the provider's own payload for it, as `get` and the detail view show.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub resource: Resource,
    pub raw: serde_json::Value,
}
