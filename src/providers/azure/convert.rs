//! ARM rows (nephos's tolerant types) to domain types. Pure functions, tested without a network.
//! Ids are kept as ARM gave them; every comparison between ids folds case, because ARM spells
//! the same id differently in different answers (`managedBy`, back-references).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::arm::{self, ArmId};
use crate::domain::{
    Disk, Instance, LbKind, LbScheme, LoadBalancer, ProviderKind, ResourceKind, ResourceRef, Str,
    Target,
};
use crate::providers::state_map;

/// vCPUs and memory of a VM size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeInfo {
    pub vcpus: u32,
    pub memory_gib: f64,
}

/// What the NIC and public IP lists say about addresses, keyed by lower-cased ids.
#[derive(Debug, Default)]
pub struct Network {
    /// NIC id → (primary private IP, public IP id).
    pub nics: HashMap<String, (Option<String>, Option<String>)>,
    /// Public IP id → address.
    pub public_ips: HashMap<String, String>,
    /// NIC ipConfiguration id → the VM id its NIC belongs to.
    pub ip_config_vm: HashMap<String, String>,
}

impl Network {
    pub fn from_rows(nics: &[serde_json::Value], pips: &[serde_json::Value]) -> Network {
        let mut n = Network::default();
        for v in pips {
            let p: arm::PublicIp = arm::row(v);
            if let Some(ip) = p.properties.ip_address {
                n.public_ips.insert(p.id.to_ascii_lowercase(), ip);
            }
        }
        for v in nics {
            let nic: arm::Nic = arm::row(v);
            let first = nic.properties.ip_configurations.first();
            n.nics.insert(
                nic.id.to_ascii_lowercase(),
                (
                    first.and_then(|c| c.properties.private_ip_address.clone()),
                    first.and_then(|c| {
                        c.properties
                            .public_ip_address
                            .as_ref()
                            .map(|p| p.id.clone())
                    }),
                ),
            );
            if let Some(vm) = &nic.properties.virtual_machine {
                for c in &nic.properties.ip_configurations {
                    n.ip_config_vm
                        .insert(c.id.to_ascii_lowercase(), vm.id.clone());
                }
            }
        }
        n
    }

    fn addresses(&self, vm: &arm::Vm) -> (Option<Str>, Option<Str>) {
        let nic = vm
            .properties
            .network_profile
            .as_ref()
            .and_then(|p| p.network_interfaces.first())
            .and_then(|r| self.nics.get(&r.id.to_ascii_lowercase()));
        let Some((private, pip)) = nic else {
            return (None, None);
        };
        let public = pip
            .as_ref()
            .and_then(|id| self.public_ips.get(&id.to_ascii_lowercase()));
        (
            private.as_deref().map(Into::into),
            public.map(|s| s.as_str().into()),
        )
    }
}

fn time(s: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn instance_ref(account: &str, location: &str, id: &str) -> ResourceRef {
    ResourceRef::new(
        ProviderKind::Azure,
        account,
        location,
        ResourceKind::Instance,
        id,
    )
}

/// The provider's word for a VM: its power state, or the provisioning state while it is being
/// made or deleted (`PowerState/deallocated` stops the bill; `PowerState/stopped` does not).
fn vm_word(power: Option<&str>, provisioning: Option<&str>) -> String {
    match (power, provisioning) {
        (_, Some(p)) if p.eq_ignore_ascii_case("ProvisioningState/deleting") => p.to_string(),
        (Some(p), _) => p.to_string(),
        (None, Some(p)) => p.to_string(),
        (None, None) => "PowerState/unknown".to_string(),
    }
}

/// One VM, with power state from its instance view.
pub fn instance(
    account: &str,
    vm: &arm::Vm,
    size: impl Fn(&str, &str) -> Option<SizeInfo>,
    net: &Network,
) -> Instance {
    let view = vm.properties.instance_view.clone().unwrap_or_default();
    let provisioning = view.provisioning().map(str::to_string).or_else(|| {
        vm.properties
            .provisioning_state
            .as_deref()
            .map(|p| format!("ProvisioningState/{}", p.to_ascii_lowercase()))
    });
    let power = view.power();
    let vm_size = vm
        .properties
        .hardware_profile
        .as_ref()
        .and_then(|h| h.vm_size.clone())
        .unwrap_or_default();
    let info = size(&vm.location, &vm_size);
    let (private_ip, public_ip) = net.addresses(vm);
    Instance {
        r#ref: instance_ref(account, &vm.location, &vm.id),
        uid: None,
        sandbox: false,
        zone: vm.zones.first().map(|z| z.as_str().into()),
        name: vm.name.as_str().into(),
        state: state_map::azure_instance(power, provisioning.as_deref()),
        provider_state: vm_word(power, provisioning.as_deref()).into(),
        instance_type: vm_size.as_str().into(),
        vcpus: info.map(|i| i.vcpus),
        memory_gib: info.map(|i| i.memory_gib),
        private_ip,
        public_ip,
        spot: vm
            .properties
            .priority
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("Spot") || p.eq_ignore_ascii_case("Low")),
        launched_at: time(vm.properties.time_created.as_deref()),
        tags: vm.tags.clone(),
    }
}

/// The LUN a VM gives a disk, from the VM's `dataDisks` (ids compared without case).
pub type LunIndex = HashMap<String, i64>;

pub fn lun_index(vms: &[arm::Vm]) -> LunIndex {
    let mut out = HashMap::new();
    for vm in vms {
        for d in vm
            .properties
            .storage_profile
            .iter()
            .flat_map(|s| s.data_disks.iter())
        {
            if let (Some(lun), Some(m)) = (d.lun, &d.managed_disk) {
                out.insert(m.id.to_ascii_lowercase(), lun);
            }
        }
    }
    out
}

/// One managed disk. `lun` is the LUN its VM gives it, when known.
pub fn disk(account: &str, d: &arm::Disk, lun: Option<i64>) -> Disk {
    let ds = d.properties.disk_state.as_deref().unwrap_or("Unattached");
    let ps = d
        .properties
        .provisioning_state
        .as_deref()
        .unwrap_or("Succeeded");
    let word = if ps == "Succeeded" { ds } else { ps };
    let attached_to = d
        .managed_by
        .as_deref()
        .filter(|m| !m.is_empty())
        .map(|m| instance_ref(account, &d.location, m));
    Disk {
        r#ref: ResourceRef::new(
            ProviderKind::Azure,
            account,
            &d.location,
            ResourceKind::Disk,
            &d.id,
        ),
        uid: None,
        sandbox: false,
        zone: d.zones.first().map(|z| z.as_str().into()),
        name: d.name.as_str().into(),
        state: state_map::azure_disk(ds, ps),
        provider_state: word.into(),
        size_gib: d.properties.disk_size_gb.unwrap_or(0.0).max(0.0) as u64,
        disk_type: d
            .sku
            .as_ref()
            .and_then(|s| s.name.clone())
            .unwrap_or_default()
            .into(),
        device: attached_to
            .as_ref()
            .and(lun)
            .map(|l| format!("lun{l}").into()),
        attached_to,
        tags: d.tags.clone(),
    }
}

/// Each target's health from the rules' answers (per NIC IP configuration, lower-cased): Down
/// when any of its IP configurations is down, else Up when one is up, else unknown.
pub fn set_health(lb: &mut LoadBalancer, net: &Network, states: &HashMap<String, &'static str>) {
    for t in &mut lb.targets {
        let mut state = None;
        for (config, vm) in &net.ip_config_vm {
            if !vm.eq_ignore_ascii_case(&t.instance.id) {
                continue;
            }
            match states.get(config).copied() {
                Some("Down") => state = Some("Down"),
                Some("Up") if state.is_none() => state = Some("Up"),
                _ => {}
            }
        }
        t.health = state_map::azure_target(state);
    }
}

/// One load balancer: public when a frontend has a public IP; its targets are the VMs whose NIC
/// IP configurations its backend pools hold (ARM names those in other cases than the NIC list
/// does, so they are matched without case). These answers carry no probe health: target health
/// is unknown here, and [`set_health`] fills it from the per-rule health API on describe.
pub fn load_balancer(account: &str, lb: &arm::Lb, net: &Network) -> LoadBalancer {
    let public_ip = lb
        .properties
        .frontend_ip_configurations
        .iter()
        .find_map(|f| f.properties.public_ip_address.as_ref());
    let scheme = if public_ip.is_some() {
        LbScheme::InternetFacing
    } else {
        LbScheme::Internal
    };
    let dns = public_ip.and_then(|p| net.public_ips.get(&p.id.to_ascii_lowercase()));
    let mut targets: Vec<Target> = Vec::new();
    for pool in &lb.properties.backend_address_pools {
        for c in &pool.properties.backend_ip_configurations {
            if let Some(vm) = net.ip_config_vm.get(&c.id.to_ascii_lowercase()) {
                let r = instance_ref(account, &lb.location, vm);
                if !targets.iter().any(|t| t.instance == r) {
                    targets.push(Target {
                        instance: r,
                        health: state_map::azure_target(None),
                    });
                }
            }
        }
    }
    let ps = lb
        .properties
        .provisioning_state
        .as_deref()
        .unwrap_or("Succeeded");
    LoadBalancer {
        r#ref: ResourceRef::new(
            ProviderKind::Azure,
            account,
            &lb.location,
            ResourceKind::LoadBalancer,
            &lb.id,
        ),
        uid: None,
        sandbox: false,
        name: lb.name.as_str().into(),
        // Azure Load Balancer works at layer 4.
        kind: LbKind::Network,
        scheme,
        dns_name: dns.map(|s| s.as_str().into()),
        state: state_map::azure_load_balancer(ps),
        provider_state: format!(
            "{ps} ({} SKU, {} rules, {} probes)",
            lb.sku
                .as_ref()
                .and_then(|s| s.name.as_deref())
                .unwrap_or("Basic"),
            lb.properties.load_balancing_rules.len(),
            lb.properties.probes.len()
        )
        .into(),
        targets,
        tags: lb.tags.clone(),
    }
}

/// The resource group and name of an id, or a clear error.
pub fn parts(id: &str) -> crate::providers::Result<ArmId> {
    ArmId::parse(id).ok_or_else(|| {
        crate::providers::ProviderError::new(
            crate::providers::ErrorKind::Invalid,
            format!("'{id}' is not an Azure resource id (/subscriptions/…/resourceGroups/…/providers/…)"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DiskState, InstanceState};
    use serde_json::json;

    #[test]
    fn a_vm_takes_power_state_size_and_addresses() {
        let vm: arm::Vm = arm::row(&json!({
            "id": "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/web-1",
            "name": "web-1", "location": "westeurope", "zones": ["2"], "tags": {"env": "prod"},
            "properties": {
                "hardwareProfile": {"vmSize": "Standard_B2s"},
                "priority": "Spot",
                "timeCreated": "2024-05-01T10:00:00.1234567+00:00",
                "networkProfile": {"networkInterfaces": [{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic1"}]},
                "instanceView": {"statuses": [
                    {"code": "ProvisioningState/succeeded"}, {"code": "PowerState/stopped"}]}
            }
        }));
        let net = Network::from_rows(
            &[
                json!({"id": "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/networkInterfaces/NIC1",
                "properties": {"ipConfigurations": [{"id": "x", "properties": {"privateIPAddress": "10.0.0.4",
                "publicIPAddress": {"id": "/p/IP1"}}}]}}),
            ],
            &[json!({"id": "/p/ip1", "properties": {"ipAddress": "20.1.2.3"}})],
        );
        let i = instance(
            "corp",
            &vm,
            |_, s| {
                (s == "Standard_B2s").then_some(SizeInfo {
                    vcpus: 2,
                    memory_gib: 4.0,
                })
            },
            &net,
        );
        assert_eq!(i.state, InstanceState::Stopped);
        assert_eq!(i.provider_state, "PowerState/stopped");
        assert_eq!((i.vcpus, i.memory_gib), (Some(2), Some(4.0)));
        assert_eq!(i.zone.as_deref(), Some("2"));
        assert!(i.spot);
        assert_eq!(i.private_ip.as_deref(), Some("10.0.0.4"));
        assert_eq!(i.public_ip.as_deref(), Some("20.1.2.3"));
        assert!(i.launched_at.is_some());
        assert_eq!(i.r#ref.region, "westeurope");
    }

    #[test]
    fn an_attached_disk_names_its_vm_and_lun() {
        let d: arm::Disk = arm::row(&json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/data1",
            "name": "data1", "location": "eastus", "managedBy": "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/VM1",
            "sku": {"name": "Premium_LRS"},
            "properties": {"diskSizeGB": 128, "diskState": "Attached", "provisioningState": "Succeeded"}
        }));
        let x = disk("corp", &d, Some(3));
        assert_eq!(x.state, DiskState::InUse);
        assert_eq!(x.device.as_deref(), Some("lun3"));
        assert_eq!((x.size_gib, x.disk_type.as_str()), (128, "Premium_LRS"));
        let vm = instance_ref(
            "corp",
            "eastus",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
        );
        assert_eq!(x.attached_to.as_ref(), Some(&vm));
    }
}
