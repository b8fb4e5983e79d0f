//! Sandbox records to domain types, through each provider's own state words and the same
//! `state_map` the real adapters use; and the provider-shaped raw payload that `get` shows.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::domain::{
    Disk, Instance, InstanceState, LbState, LoadBalancer, ProviderKind, ResourceKind, ResourceRef,
    Str, Tags, Target, TargetHealth,
};
use crate::providers::state_map;

use super::shapes;
use super::world::{DiskRec, LbRec, VmRec, World};

/// The word the provider itself would use for a normalised state.
pub fn native_vm_state(p: ProviderKind, s: InstanceState) -> &'static str {
    use InstanceState as S;
    match p {
        ProviderKind::Aws => match s {
            S::Pending => "pending",
            S::Running => "running",
            S::Stopping => "stopping",
            S::Stopped => "stopped",
            S::Terminating => "shutting-down",
            S::Terminated => "terminated",
            S::Unknown => "unknown",
        },
        // A GCP instance being deleted reports STOPPING, then is gone.
        ProviderKind::Gcp => match s {
            S::Pending => "STAGING",
            S::Running => "RUNNING",
            S::Stopping | S::Terminating => "STOPPING",
            S::Stopped | S::Terminated => "TERMINATED",
            S::Unknown => "REPAIRING",
        },
        ProviderKind::Azure => match s {
            S::Pending => "PowerState/starting",
            S::Running => "PowerState/running",
            S::Stopping => "PowerState/deallocating",
            S::Stopped | S::Terminated => "PowerState/deallocated",
            S::Terminating => "ProvisioningState/deleting",
            S::Unknown => "PowerState/unknown",
        },
    }
}

fn tags(v: &[(Str, Str)]) -> Tags {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn time(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

pub fn account_of(p: ProviderKind) -> &'static str {
    shapes::for_provider(p).account
}

/// Finds an instance record by the world's own id: a map when converting many rows, a scan for
/// one.
pub type VmLookup<'w> = dyn Fn(&str) -> Option<&'w VmRec> + 'w;

/// What each provider's API addresses a resource by: GCP its name (within its zone or region),
/// AWS and Azure the id itself.
fn address<'a>(p: ProviderKind, id: &'a str, name: &'a str) -> &'a str {
    if p == ProviderKind::Gcp {
        name
    } else {
        id
    }
}

/// GCP's numeric id, which its refs do not carry.
fn uid(p: ProviderKind, id: &str) -> Option<Str> {
    (p == ProviderKind::Gcp).then(|| id.into())
}

pub fn vm_ref(v: &VmRec) -> ResourceRef {
    let r = ResourceRef::new(
        v.provider,
        account_of(v.provider),
        &v.region,
        ResourceKind::Instance,
        address(v.provider, &v.id, &v.name),
    );
    match v.provider {
        ProviderKind::Gcp => r.in_zone(&v.zone),
        _ => r,
    }
}

/// How another resource's answer names the instance `id`: GCP by its zone and name (a URL in
/// `users` or a target pool's `instances`); Azure by its resource id in whatever case ARM uses
/// there (`managedBy` and back-references come with the group upper-cased); AWS by its id.
fn instance_named_by(p: ProviderKind, vm: &VmLookup, id: &str, region: &str) -> ResourceRef {
    // Only GCP's needs the instance looked up (AWS and Azure name it by the id the caller has).
    match (p, (p == ProviderKind::Gcp).then(|| vm(id)).flatten()) {
        (ProviderKind::Gcp, Some(v)) => vm_ref(v),
        (ProviderKind::Azure, _) => ResourceRef::new(
            p,
            account_of(p),
            region,
            ResourceKind::Instance,
            &arm_back_reference(id),
        ),
        _ => ResourceRef::new(p, account_of(p), region, ResourceKind::Instance, id),
    }
}

/// An Azure id as ARM spells it in back-references: the resource group upper-cased.
pub fn arm_back_reference(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    // After the first `resourceGroups` segment: the next is the group; then the rest as it is.
    let mut group_next = false;
    let mut done = false;
    for (i, part) in id.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if group_next {
            out.extend(part.chars().map(|c| c.to_ascii_uppercase()));
            group_next = false;
            done = true;
        } else {
            out.push_str(part);
            group_next = !done && part.eq_ignore_ascii_case("resourceGroups");
        }
    }
    out
}

pub fn instance(v: &VmRec) -> Instance {
    let shape = shapes::for_provider(v.provider);
    let mt = shape.machine_type(&v.machine_type);
    let native = v.state.as_str();
    Instance {
        uid: uid(v.provider, &v.id),
        r#ref: vm_ref(v),
        sandbox: true,
        zone: Some(v.zone.clone()),
        name: v.name.clone(),
        state: v.normal(),
        provider_state: native.into(),
        instance_type: v.machine_type.clone(),
        vcpus: mt.map(|m| m.vcpus),
        memory_gib: mt.map(|m| m.memory_gib),
        private_ip: Some(v.private_ip.clone()),
        public_ip: v.public_ip.clone(),
        spot: v.spot,
        launched_at: time(v.launched_ms),
        tags: tags(&v.tags),
    }
}

fn native_disk_state(d: &DiskRec) -> (&'static str, crate::domain::DiskState) {
    use crate::domain::DiskState as D;
    match d.provider {
        ProviderKind::Aws => {
            let w = match d.state {
                D::Creating => "creating",
                D::Available => "available",
                D::InUse => "in-use",
                D::Deleting => "deleting",
                D::Error => "error",
            };
            (w, state_map::aws_volume(w))
        }
        ProviderKind::Gcp => {
            let w = match d.state {
                D::Creating => "CREATING",
                D::Available | D::InUse => "READY",
                D::Deleting => "DELETING",
                D::Error => "FAILED",
            };
            (w, state_map::gcp_disk(w, d.attached_to.is_some()))
        }
        ProviderKind::Azure => {
            let (ds, ps) = match d.state {
                D::Creating => ("Unattached", "Creating"),
                D::Available => ("Unattached", "Succeeded"),
                D::InUse => ("Attached", "Succeeded"),
                D::Deleting => ("Unattached", "Deleting"),
                D::Error => ("Unattached", "Failed"),
            };
            let w = if ps == "Succeeded" { ds } else { ps };
            (w, state_map::azure_disk(ds, ps))
        }
    }
}

pub fn disk_ref(d: &DiskRec) -> ResourceRef {
    let r = ResourceRef::new(
        d.provider,
        account_of(d.provider),
        &d.region,
        ResourceKind::Disk,
        address(d.provider, &d.id, &d.name),
    );
    match d.provider {
        ProviderKind::Gcp => r.in_zone(&d.zone),
        _ => r,
    }
}

pub fn disk(vm: &VmLookup, d: &DiskRec) -> Disk {
    let (word, state) = native_disk_state(d);
    Disk {
        uid: uid(d.provider, &d.id),
        r#ref: disk_ref(d),
        sandbox: true,
        zone: Some(d.zone.clone()),
        name: d.name.clone(),
        state,
        provider_state: word.into(),
        size_gib: d.size_gib,
        disk_type: d.disk_type.clone(),
        attached_to: d
            .attached_to
            .as_ref()
            .map(|id| instance_named_by(d.provider, vm, id, &d.region)),
        device: d.device.clone(),
        tags: tags(&d.tags),
    }
}

/// Target health follows the instance: a running one is healthy once its first checks pass,
/// a stopped one is unused (AWS) or unhealthy, a deregistered one drains.
fn target_health(
    vm: &VmLookup,
    lb: &LbRec,
    t: &super::world::TargetRec,
    now_ms: i64,
    step_ms: i64,
) -> TargetHealth {
    if t.draining_until.is_some() {
        return TargetHealth::Draining;
    }
    let state = vm(&t.instance_id).map(|v| v.normal());
    let (word, health): (&str, TargetHealth) = match (lb.provider, state) {
        (_, Some(InstanceState::Running)) if now_ms < t.registered_ms + step_ms => {
            ("initial", TargetHealth::Initial)
        }
        (_, Some(InstanceState::Running)) if t.failing => ("unhealthy", TargetHealth::Unhealthy),
        (_, Some(InstanceState::Running)) => ("healthy", TargetHealth::Healthy),
        (ProviderKind::Aws, _) => ("unused", TargetHealth::Unused),
        (ProviderKind::Gcp, _) => ("UNHEALTHY", TargetHealth::Unhealthy),
        (ProviderKind::Azure, _) => ("", TargetHealth::Unknown),
    };
    // Through the real mappings, so the sandbox agrees with the adapters.
    let mapped = match lb.provider {
        ProviderKind::Aws => state_map::aws_target(word),
        ProviderKind::Gcp if health == TargetHealth::Initial => TargetHealth::Initial,
        ProviderKind::Gcp => state_map::gcp_target(&word.to_ascii_uppercase()),
        ProviderKind::Azure if health == TargetHealth::Initial => TargetHealth::Initial,
        ProviderKind::Azure => state_map::azure_target(match health {
            TargetHealth::Healthy => Some("Up"),
            TargetHealth::Unhealthy => Some("Down"),
            _ => None,
        }),
    };
    debug_assert_eq!(mapped, health);
    mapped
}

/// `vm` finds a target instance: a map lookup when converting many load balancers (a scan per
/// target would be quadratic at 100k instances).
pub fn load_balancer(vm: &VmLookup, lb: &LbRec, now_ms: i64, step_ms: i64) -> LoadBalancer {
    let (word, state) = if now_ms < lb.active_ms {
        ("provisioning", LbState::Provisioning)
    } else {
        match lb.provider {
            ProviderKind::Aws => ("active", state_map::aws_load_balancer("active")),
            ProviderKind::Gcp => ("READY", LbState::Active),
            ProviderKind::Azure => ("Succeeded", state_map::azure_load_balancer("Succeeded")),
        }
    };
    let account = account_of(lb.provider);
    LoadBalancer {
        uid: uid(lb.provider, &lb.id),
        r#ref: ResourceRef::new(
            lb.provider,
            account,
            &lb.region,
            ResourceKind::LoadBalancer,
            address(lb.provider, &lb.id, &lb.name),
        ),
        sandbox: true,
        name: lb.name.clone(),
        kind: lb.kind,
        scheme: lb.scheme,
        dns_name: lb.dns_name.clone(),
        state,
        provider_state: word.into(),
        targets: lb
            .targets
            .iter()
            .map(|t| Target {
                instance: instance_named_by(lb.provider, vm, &t.instance_id, &lb.region),
                health: target_health(vm, lb, t, now_ms, step_ms),
            })
            .collect(),
        tags: tags(&lb.tags),
    }
}

fn rfc3339(ms: i64) -> String {
    time(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn aws_tags(t: &[(Str, Str)]) -> Value {
    Value::Array(
        t.iter()
            .map(|(k, v)| json!({"Key": k.as_str(), "Value": v.as_str()}))
            .collect(),
    )
}

fn map_tags(t: &[(Str, Str)]) -> Value {
    Value::Object(
        t.iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect(),
    )
}

/// The instance as the provider's API would return it (DescribeInstances `Instance`, Compute
/// `instances.get`, ARM `virtualMachines.get` with `$expand=instanceView`).
/// A state lookup over one provider's instances, for converting many load balancers.
pub fn vm_index(w: &World, p: ProviderKind) -> std::collections::HashMap<&str, &VmRec> {
    w.instances
        .iter()
        .filter(|v| v.provider == p)
        .map(|v| (v.id.as_str(), v))
        .collect()
}

/// An instance lookup that scans, for converting one resource.
pub fn scan_vm<'w>(w: &'w World, p: ProviderKind) -> impl Fn(&str) -> Option<&'w VmRec> + 'w {
    move |id| w.vm(p, id)
}

pub fn raw_instance(w: &World, v: &VmRec) -> Value {
    let shape = shapes::for_provider(v.provider);
    let native = v.state.as_str();
    let disks: Vec<&DiskRec> = w
        .disks
        .iter()
        .filter(|d| d.provider == v.provider && d.attached_to.as_deref() == Some(v.id.as_str()))
        .collect();
    match v.provider {
        ProviderKind::Aws => {
            let code = match native {
                "pending" => 0,
                "running" => 16,
                "shutting-down" => 32,
                "terminated" => 48,
                "stopping" => 64,
                _ => 80,
            };
            json!({
                "InstanceId": v.id.as_str(),
                "ImageId": v.image.split(' ').next().unwrap_or_default(),
                "InstanceType": v.machine_type.as_str(),
                "State": {"Code": code, "Name": native},
                "Placement": {"AvailabilityZone": v.zone.as_str(), "Tenancy": "default"},
                "PrivateIpAddress": v.private_ip.as_str(),
                "PublicIpAddress": v.public_ip.as_deref(),
                "LaunchTime": rfc3339(v.launched_ms),
                "InstanceLifecycle": if v.spot { Some("spot") } else { None },
                "BlockDeviceMappings": disks.iter().map(|d| json!({
                    "DeviceName": d.device.as_deref(),
                    "Ebs": {"VolumeId": d.id.as_str(), "Status": "attached", "DeleteOnTermination": d.boot}
                })).collect::<Vec<_>>(),
                "Tags": aws_tags(&v.tags),
                "OwnerId": shape.native_id,
            })
        }
        ProviderKind::Gcp => {
            let base = format!(
                "https://www.googleapis.com/compute/v1/projects/{}",
                shape.native_id
            );
            json!({
                "kind": "compute#instance",
                "id": v.id.as_str(),
                "name": v.name.as_str(),
                "zone": format!("{base}/zones/{}", v.zone),
                "machineType": format!("{base}/zones/{}/machineTypes/{}", v.zone, v.machine_type),
                "status": native,
                "creationTimestamp": rfc3339(v.launched_ms),
                "labels": map_tags(&v.tags),
                "scheduling": {"provisioningModel": if v.spot { "SPOT" } else { "STANDARD" }},
                "networkInterfaces": [{
                    "networkIP": v.private_ip.as_str(),
                    "accessConfigs": v.public_ip.as_ref().map(|ip| vec![json!({"natIP": ip.as_str(), "type": "ONE_TO_ONE_NAT"})]).unwrap_or_default(),
                }],
                "disks": disks.iter().map(|d| json!({
                    "deviceName": d.device.as_deref(),
                    "boot": d.boot,
                    "source": format!("{base}/zones/{}/disks/{}", d.zone, d.name),
                })).collect::<Vec<_>>(),
                "selfLink": format!("{base}/zones/{}/instances/{}", v.zone, v.name),
            })
        }
        ProviderKind::Azure => {
            let (power, prov) = if native.starts_with("ProvisioningState/") {
                ("PowerState/running", "ProvisioningState/deleting")
            } else {
                (native, "ProvisioningState/succeeded")
            };
            json!({
                "id": v.id.as_str(),
                "name": v.name.as_str(),
                "type": "Microsoft.Compute/virtualMachines",
                "location": v.region.as_str(),
                "zones": [v.zone.as_str()],
                "tags": map_tags(&v.tags),
                "properties": {
                    "hardwareProfile": {"vmSize": v.machine_type.as_str()},
                    "priority": if v.spot { "Spot" } else { "Regular" },
                    "provisioningState": if prov.ends_with("deleting") { "Deleting" } else { "Succeeded" },
                    "timeCreated": rfc3339(v.launched_ms),
                    "storageProfile": {
                        "osDisk": disks.iter().find(|d| d.boot).map(|d| json!({"name": d.name.as_str(), "managedDisk": {"id": d.id.as_str()}})),
                        "dataDisks": disks.iter().filter(|d| !d.boot).map(|d| json!({
                            "lun": d.device.as_deref().and_then(|x| x.strip_prefix("lun")).and_then(|n| n.parse::<u32>().ok()),
                            "name": d.name.as_str(),
                            "managedDisk": {"id": d.id.as_str()},
                        })).collect::<Vec<_>>(),
                    },
                    "instanceView": {"statuses": [
                        {"code": prov, "level": "Info"},
                        {"code": power, "level": "Info"},
                    ]},
                },
            })
        }
    }
}

pub fn raw_disk(vm: &VmLookup, d: &DiskRec) -> Value {
    let (word, _) = native_disk_state(d);
    let shape = shapes::for_provider(d.provider);
    match d.provider {
        ProviderKind::Aws => json!({
            "VolumeId": d.id.as_str(),
            "Size": d.size_gib,
            "VolumeType": d.disk_type.as_str(),
            "State": word,
            "AvailabilityZone": d.zone.as_str(),
            "CreateTime": rfc3339(d.created_ms),
            "Attachments": d.attached_to.as_ref().map(|i| vec![json!({"InstanceId": i.as_str(), "Device": d.device.as_deref(), "State": "attached", "DeleteOnTermination": d.boot})]).unwrap_or_default(),
            "Tags": aws_tags(&d.tags),
        }),
        ProviderKind::Gcp => {
            let base = format!(
                "https://www.googleapis.com/compute/v1/projects/{}",
                shape.native_id
            );
            json!({
                "kind": "compute#disk",
                "id": d.id.as_str(),
                "name": d.name.as_str(),
                "sizeGb": d.size_gib.to_string(),
                "zone": format!("{base}/zones/{}", d.zone),
                "type": format!("{base}/zones/{}/diskTypes/{}", d.zone, d.disk_type),
                "status": word,
                "users": d.attached_to.as_ref().map(|i| vec![format!("{base}/zones/{}/instances/{}", d.zone, vm(i).map_or(i.as_str(), |v| v.name.as_str()))]).unwrap_or_default(),
                "labels": map_tags(&d.tags),
                "creationTimestamp": rfc3339(d.created_ms),
            })
        }
        ProviderKind::Azure => json!({
            "id": d.id.as_str(),
            "name": d.name.as_str(),
            "type": "Microsoft.Compute/disks",
            "location": d.region.as_str(),
            "zones": [d.zone.as_str()],
            "sku": {"name": d.disk_type.as_str()},
            "managedBy": d.attached_to.as_deref().map(arm_back_reference),
            "tags": map_tags(&d.tags),
            "properties": {
                "diskSizeGB": d.size_gib,
                "diskState": if d.attached_to.is_some() { "Attached" } else { "Unattached" },
                "provisioningState": match word { "Creating" | "Deleting" | "Failed" => word, _ => "Succeeded" },
                "timeCreated": rfc3339(d.created_ms),
            },
        }),
    }
}

pub fn raw_lb(lb: &LbRec) -> Value {
    let shape = shapes::for_provider(lb.provider);
    match lb.provider {
        ProviderKind::Aws => json!({
            "LoadBalancer": {
                "LoadBalancerArn": lb.id.as_str(),
                "LoadBalancerName": lb.name.as_str(),
                "DNSName": lb.dns_name.as_deref(),
                "Type": lb.kind.as_str(),
                "Scheme": lb.scheme.as_str(),
                "State": {"Code": "active"},
                "CreatedTime": rfc3339(lb.created_ms),
            },
            "TargetHealthDescriptions": lb.targets.iter().map(|t| json!({"Target": {"Id": t.instance_id.as_str(), "Port": 80}})).collect::<Vec<_>>(),
        }),
        ProviderKind::Gcp => json!({
            "kind": "compute#forwardingRule",
            "id": lb.id.as_str(),
            "name": lb.name.as_str(),
            "region": format!("https://www.googleapis.com/compute/v1/projects/{}/regions/{}", shape.native_id, lb.region),
            "loadBalancingScheme": if lb.scheme == crate::domain::LbScheme::Internal { "INTERNAL" } else { "EXTERNAL" },
            "IPProtocol": if lb.kind == crate::domain::LbKind::Network { "TCP" } else { "HTTP" },
            "labels": map_tags(&lb.tags),
        }),
        ProviderKind::Azure => json!({
            "id": lb.id.as_str(),
            "name": lb.name.as_str(),
            "type": "Microsoft.Network/loadBalancers",
            "location": lb.region.as_str(),
            "sku": {"name": "Standard"},
            "tags": map_tags(&lb.tags),
            "properties": {
                "provisioningState": "Succeeded",
                "backendAddressPools": [{"name": "backend", "properties": {"backendIPConfigurations": lb.targets.iter().map(|t| json!({"id": format!("{}/networkInterfaces/0", t.instance_id)})).collect::<Vec<_>>()}}],
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::world::normalise;
    use super::*;

    #[test]
    fn native_words_round_trip_through_the_real_mappings() {
        use InstanceState as S;
        for p in ProviderKind::ALL {
            for s in [S::Pending, S::Running, S::Stopping, S::Stopped] {
                assert_eq!(normalise(p, native_vm_state(p, s)), s, "{p} {s}");
            }
        }
        assert_eq!(
            normalise(ProviderKind::Aws, "shutting-down"),
            S::Terminating
        );
        assert_eq!(
            normalise(
                ProviderKind::Azure,
                native_vm_state(ProviderKind::Azure, S::Terminating)
            ),
            S::Terminating
        );
        // GCP cannot tell a deleting instance from a stopping one.
        assert_eq!(
            normalise(
                ProviderKind::Gcp,
                native_vm_state(ProviderKind::Gcp, S::Terminating)
            ),
            S::Stopping
        );
    }

    #[test]
    fn an_arm_back_reference_upper_cases_the_group_only() {
        let id = "/subscriptions/s-1/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-1";
        assert_eq!(
            arm_back_reference(id),
            "/subscriptions/s-1/resourceGroups/RG-WEB/providers/Microsoft.Compute/virtualMachines/vm-1"
        );
        // The segment's name in any case; only the first group; an id without one as it is.
        assert_eq!(
            arm_back_reference("/x/resourcegroups/ab/resourceGroups/cd"),
            "/x/resourcegroups/AB/resourceGroups/cd"
        );
        assert_eq!(arm_back_reference("i-0abc/def"), "i-0abc/def");
        assert_eq!(arm_back_reference("/a/resourceGroups"), "/a/resourceGroups");
    }
}
