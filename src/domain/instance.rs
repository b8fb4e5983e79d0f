use chrono::{DateTime, Utc};

use super::{InstanceState, ResourceRef, Str, Tags};

/// A virtual machine: an EC2 instance, a Compute Engine instance or an Azure VM.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub r#ref: ResourceRef,
    /// The provider's own unique id where the ref addresses the resource by something else:
    /// GCP's numeric id (its ref has the zone and name). None where the ref's id is that id.
    pub uid: Option<Str>,
    pub sandbox: bool,
    pub zone: Option<Str>,
    pub name: Str,
    pub state: InstanceState,
    /// The provider's own word for the state (`shutting-down`, `TERMINATED`, `PowerState/deallocated`).
    pub provider_state: Str,
    pub instance_type: Str,
    pub vcpus: Option<u32>,
    pub memory_gib: Option<f64>,
    pub private_ip: Option<Str>,
    pub public_ip: Option<Str>,
    pub spot: bool,
    pub launched_at: Option<DateTime<Utc>>,
    pub tags: Tags,
}

impl Instance {
    pub fn id(&self) -> &str {
        self.uid.as_deref().unwrap_or(&self.r#ref.id)
    }
    pub fn region(&self) -> &str {
        &self.r#ref.region
    }
    pub fn account(&self) -> &str {
        &self.r#ref.account
    }
}
