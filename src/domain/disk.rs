use super::{DiskState, ResourceRef, Str, Tags};

/// A block volume: an EBS volume, a persistent disk or an Azure managed disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Disk {
    pub r#ref: ResourceRef,
    /// The provider's own unique id where the ref addresses the resource by something else:
    /// GCP's numeric id (its ref has the zone and name). None where the ref's id is that id.
    pub uid: Option<Str>,
    pub sandbox: bool,
    pub zone: Option<Str>,
    pub name: Str,
    pub state: DiskState,
    pub provider_state: Str,
    pub size_gib: u64,
    pub disk_type: Str,
    /// The instance it is attached to, if any.
    pub attached_to: Option<ResourceRef>,
    pub device: Option<Str>,
    pub tags: Tags,
}

impl Disk {
    pub fn id(&self) -> &str {
        self.uid.as_deref().unwrap_or(&self.r#ref.id)
    }
}
