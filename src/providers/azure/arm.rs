//! ARM's answers in nephos's own tolerant serde types: every field optional, unknown fields and
//! enum values accepted, so one odd VM never fails a page (the generated 0.21 models reject a
//! VM without `location`, a data disk without `lun`, an instance-view level `info`: see
//! docs/crates.md). The raw JSON of each resource is kept beside it for `describe`.

use serde::Deserialize;
use serde_json::Value;

use crate::domain::Tags;

/// One page of a list: `value` and the absolute `nextLink` of the next page.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    #[serde(default)]
    pub value: Vec<Value>,
    pub next_link: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct SubResource {
    #[serde(default)]
    pub id: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Status {
    #[serde(default)]
    pub code: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct InstanceView {
    #[serde(default)]
    pub statuses: Vec<Status>,
}

impl InstanceView {
    fn status(&self, prefix: &str) -> Option<&str> {
        self.statuses
            .iter()
            .map(|s| s.code.as_str())
            .find(|c| c.starts_with(prefix))
    }
    pub fn power(&self) -> Option<&str> {
        self.status("PowerState/")
    }
    pub fn provisioning(&self) -> Option<&str> {
        self.status("ProvisioningState/")
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HardwareProfile {
    pub vm_size: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataDisk {
    pub lun: Option<i64>,
    pub managed_disk: Option<SubResource>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageProfile {
    #[serde(default)]
    pub data_disks: Vec<DataDisk>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct NicRef {
    #[serde(default)]
    pub id: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkProfile {
    #[serde(default)]
    pub network_interfaces: Vec<NicRef>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VmProperties {
    pub hardware_profile: Option<HardwareProfile>,
    pub storage_profile: Option<StorageProfile>,
    pub network_profile: Option<NetworkProfile>,
    pub instance_view: Option<InstanceView>,
    pub provisioning_state: Option<String>,
    pub priority: Option<String>,
    pub time_created: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Vm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub zones: Vec<String>,
    #[serde(default, deserialize_with = "tags")]
    pub tags: Tags,
    #[serde(default)]
    pub properties: VmProperties,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Sku {
    pub name: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskProperties {
    #[serde(rename = "diskSizeGB")]
    pub disk_size_gb: Option<f64>,
    pub disk_state: Option<String>,
    pub provisioning_state: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Disk {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub zones: Vec<String>,
    pub managed_by: Option<String>,
    pub sku: Option<Sku>,
    #[serde(default, deserialize_with = "tags")]
    pub tags: Tags,
    #[serde(default)]
    pub properties: DiskProperties,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IpConfigProperties {
    #[serde(rename = "privateIPAddress")]
    pub private_ip_address: Option<String>,
    #[serde(rename = "publicIPAddress")]
    pub public_ip_address: Option<SubResource>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct IpConfig {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub properties: IpConfigProperties,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NicProperties {
    #[serde(default)]
    pub ip_configurations: Vec<IpConfig>,
    pub virtual_machine: Option<SubResource>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Nic {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub properties: NicProperties,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicIpProperties {
    pub ip_address: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct PublicIp {
    #[serde(default)]
    pub id: String,
    #[serde(default, deserialize_with = "tags")]
    pub tags: Tags,
    #[serde(default)]
    pub properties: PublicIpProperties,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FrontendProperties {
    #[serde(rename = "publicIPAddress")]
    pub public_ip_address: Option<SubResource>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Frontend {
    #[serde(default)]
    pub properties: FrontendProperties,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolProperties {
    #[serde(default, rename = "backendIPConfigurations")]
    pub backend_ip_configurations: Vec<SubResource>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Pool {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub properties: PoolProperties,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LbProperties {
    #[serde(default, rename = "frontendIPConfigurations")]
    pub frontend_ip_configurations: Vec<Frontend>,
    #[serde(default)]
    pub backend_address_pools: Vec<Pool>,
    #[serde(default)]
    pub load_balancing_rules: Vec<Value>,
    #[serde(default)]
    pub probes: Vec<Value>,
    pub provisioning_state: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Lb {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub location: String,
    pub sku: Option<Sku>,
    #[serde(default, deserialize_with = "tags")]
    pub tags: Tags,
    #[serde(default)]
    pub properties: LbProperties,
}

/// `vmSizes` per location.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VmSize {
    #[serde(default)]
    pub name: String,
    pub number_of_cores: Option<u32>,
    #[serde(rename = "memoryInMB")]
    pub memory_in_mb: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct VmSizes {
    #[serde(default)]
    pub value: Vec<VmSize>,
}

/// The body of an `Azure-AsyncOperation` URL.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AsyncOperation {
    #[serde(default)]
    pub status: String,
    pub percent_complete: Option<f64>,
    pub error: Option<ArmError>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ArmError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

/// Tags as a map; a null or odd value reads as none rather than failing the row.
pub(super) fn tags<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Tags, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
            .collect(),
        _ => Tags::new(),
    })
}

/// Parse one row; a row that is not an object at all reads as an empty one.
pub fn row<T: for<'de> Deserialize<'de> + Default>(v: &Value) -> T {
    T::deserialize(v).unwrap_or_else(|e| {
        tracing::debug!(error = %e, "an ARM row did not parse; kept with defaults");
        T::default()
    })
}

/// The parts of an ARM resource id: `/subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME`.
/// Keys are matched without case, as ARM does; values keep the case given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmId {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
}

impl ArmId {
    pub fn parse(id: &str) -> Option<ArmId> {
        let parts: Vec<&str> = id.trim_matches('/').split('/').collect();
        let value_of = |key: &str| {
            parts
                .iter()
                .position(|p| p.eq_ignore_ascii_case(key))
                .and_then(|i| parts.get(i + 1))
                .map(|s| s.to_string())
        };
        let subscription = value_of("subscriptions")?;
        let resource_group = value_of("resourceGroups")?;
        let providers = parts
            .iter()
            .position(|p| p.eq_ignore_ascii_case("providers"))?;
        // providers/NS/TYPE/NAME: the top-level resource's name.
        let name = parts.get(providers + 3)?.to_string();
        if subscription.is_empty() || resource_group.is_empty() || name.is_empty() {
            return None;
        }
        Some(ArmId {
            subscription,
            resource_group,
            name,
        })
    }
}

/// The last segment of an id (a pool's or NIC's name).
pub fn last_segment(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_parse_without_case_on_keys() {
        let id = ArmId::parse("/subscriptions/S1/resourcegroups/RG-Web/providers/Microsoft.Compute/virtualMachines/vm1").unwrap();
        assert_eq!(
            (
                id.subscription.as_str(),
                id.resource_group.as_str(),
                id.name.as_str()
            ),
            ("S1", "RG-Web", "vm1")
        );
        let sub = ArmId::parse("/subscriptions/S1/resourceGroups/g/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/p").unwrap();
        assert_eq!(sub.name, "lb");
        assert!(ArmId::parse("/subscriptions/S1").is_none());
        assert!(ArmId::parse("i-123").is_none());
    }

    #[test]
    fn an_odd_vm_reads_with_what_it_has() {
        // No location, a level the generated models reject, a data disk without lun.
        let v = json!({"id": "x", "name": "odd", "tags": null, "properties": {
            "instanceView": {"statuses": [{"code": "PowerState/running", "level": "info"}]},
            "storageProfile": {"dataDisks": [{"name": "d"}], "osDisk": {"osType": "linux"}}
        }});
        let vm: Vm = row(&v);
        assert_eq!(vm.name, "odd");
        assert_eq!(
            vm.properties.instance_view.unwrap().power(),
            Some("PowerState/running")
        );
        assert_eq!(
            vm.properties.storage_profile.unwrap().data_disks[0].lun,
            None
        );
        let broken: Vm = row(&json!({"name": 5}));
        assert_eq!(broken.name, "");
    }
}
