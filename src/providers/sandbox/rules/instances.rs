//! Machines: start, stop, reboot, terminate, create.

use crate::domain::{InstanceState, ProviderKind};
use crate::providers::{InstanceAction, InstanceSpec, ProviderError};

use super::super::convert::native_vm_state;
use super::super::errors;
use super::super::generate::{self, DiskInit};
use super::super::ids;
use super::super::shapes;
use super::super::world::{Transition, VmRec, World};
use super::{azure_group, check_region_zone, check_tags, rng_for, Now};

/// An Azure VM powered off without being deallocated: stopped, and still billed.
pub const AZURE_POWERED_OFF: &str = "PowerState/stopped";

fn verb(p: ProviderKind, a: InstanceAction) -> &'static str {
    match (p, a) {
        (ProviderKind::Aws, InstanceAction::Start) => "started",
        (ProviderKind::Aws, InstanceAction::Stop) => "stopped",
        (ProviderKind::Aws, InstanceAction::Reboot) => "rebooted",
        (ProviderKind::Aws, InstanceAction::Terminate) => "terminated",
        (ProviderKind::Gcp, InstanceAction::Start) => "start",
        (ProviderKind::Gcp, InstanceAction::Stop) => "stop",
        (ProviderKind::Gcp, InstanceAction::Reboot) => "reset",
        (ProviderKind::Gcp, InstanceAction::Terminate) => "delete",
        (ProviderKind::Azure, InstanceAction::Start) => "start",
        (ProviderKind::Azure, InstanceAction::Stop) => "deallocate",
        (ProviderKind::Azure, InstanceAction::Reboot) => "restart",
        (ProviderKind::Azure, InstanceAction::Terminate) => "delete",
        (ProviderKind::Azure, InstanceAction::PowerOff) => "powerOff",
        (_, InstanceAction::PowerOff) => "powered off",
    }
}

/// Start, stop, reboot or terminate one machine, in its provider's own words. Asking for the
/// state it is already in (or heading to) succeeds and changes nothing, as on every cloud.
/// Azure's stop deallocates (it also deallocates a VM that was only powered off); GCP's start
/// also resumes a suspended instance (nephos asks `resume` for it) and its stop stops one.
pub fn instance_action(
    w: &mut World,
    p: ProviderKind,
    id: &str,
    action: InstanceAction,
    now: Now,
) -> Result<VmRec, ProviderError> {
    let vm = w.vm_mut(p, id).ok_or_else(|| errors::vm_not_found(p, id))?;
    use InstanceState as S;
    let word = |s: S| native_vm_state(p, s);
    let heading_word = match &vm.next {
        Some(t) if !t.deletes => t.to.clone(),
        _ => vm.state.clone(),
    };
    let wrong = |vm: &VmRec| errors::vm_wrong_state(vm, verb(p, action), &vm.state);
    match action {
        InstanceAction::Start => match (vm.normal(), vm.heading()) {
            (_, S::Running) => {}
            (S::Stopped, _) => vm.go(word(S::Pending), word(S::Running), now.later()),
            _ => return Err(wrong(vm)),
        },
        InstanceAction::Stop => match vm.normal() {
            _ if heading_word == word(S::Stopped) => {}
            S::Running if vm.spot && p == ProviderKind::Aws => {
                return Err(ProviderError::coded(
                    crate::providers::ErrorKind::Invalid,
                    "UnsupportedOperation",
                    format!(
                        "You can't stop the Spot Instance '{}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.",
                        vm.id
                    ),
                ));
            }
            // Running, or an Azure VM powered off but still allocated, or a suspended GCP one.
            S::Running | S::Stopped if vm.next.is_none() => {
                vm.public_ip = None;
                vm.go(word(S::Stopping), word(S::Stopped), now.later());
            }
            _ => return Err(wrong(vm)),
        },
        InstanceAction::Reboot => match vm.normal() {
            // A reboot keeps the machine running; nothing to wait for.
            S::Running if vm.heading() == S::Running => {}
            _ => return Err(wrong(vm)),
        },
        // Azure alone (capabilities keep it from the others): stopped, still allocated.
        InstanceAction::PowerOff => match vm.normal() {
            _ if heading_word == AZURE_POWERED_OFF => {}
            S::Running if vm.next.is_none() && p == ProviderKind::Azure => {
                vm.go("PowerState/stopping", AZURE_POWERED_OFF, now.later());
            }
            _ if p != ProviderKind::Azure => {
                return Err(ProviderError::unsupported(format!(
                    "{p} cannot {}",
                    action.op()
                )))
            }
            _ => return Err(wrong(vm)),
        },
        InstanceAction::Terminate => match vm.heading() {
            S::Terminated => {}
            _ => vm.delete(word(S::Terminating), word(S::Terminated), now.later()),
        },
    }
    Ok(vm.clone())
}

pub fn create_instance(
    w: &mut World,
    p: ProviderKind,
    spec: &InstanceSpec,
    now: Now,
) -> Result<VmRec, ProviderError> {
    let shape = shapes::for_provider(p);
    let zone = check_region_zone(p, &spec.region, spec.zone.as_deref())?;
    if shape.machine_type(&spec.instance_type).is_none() {
        return Err(errors::invalid(
            p,
            format!(
                "Invalid value '{}' for InstanceType (types here: {})",
                spec.instance_type,
                shape
                    .machine_types
                    .iter()
                    .map(|m| m.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    check_tags(p, &spec.tags)?;
    if p != ProviderKind::Aws
        && w.instances
            .iter()
            .any(|v| v.provider == p && v.name == spec.name && v.zone == zone)
    {
        return Err(errors::already_exists(p, &spec.name));
    }
    let min_disk = match p {
        ProviderKind::Aws => 8,
        ProviderKind::Gcp => 10,
        ProviderKind::Azure => 30,
    };
    let disk_gib = spec.disk_gib.unwrap_or(min_disk);
    if disk_gib < min_disk || disk_gib > 16_384 {
        return Err(errors::invalid(
            p,
            format!("boot disk size {disk_gib} GiB is out of range ({min_disk}-16384)"),
        ));
    }
    let group = if p == ProviderKind::Azure {
        check_subnet(w, spec)?;
        match &spec.options.resource_group {
            Some(g) => g.clone(),
            None => azure_group(&spec.tags),
        }
    } else {
        let flags = spec.options.flags_set();
        if !flags.is_empty() {
            return Err(errors::invalid(
                p,
                format!("{} are only for Azure accounts", flags.join(", ")),
            ));
        }
        String::new()
    };
    let mut rng = rng_for(w);
    let id = ids::instance_id(shape, &mut rng, &group, &spec.name);
    let mut tags = spec.tags.clone();
    if p == ProviderKind::Aws {
        tags.insert("Name", &spec.name);
    }
    let serial = w.serial;
    let vm = VmRec {
        provider: p,
        id: id.clone().into(),
        name: spec.name.as_str().into(),
        region: spec.region.as_str().into(),
        zone: zone.into(),
        machine_type: spec.instance_type.as_str().into(),
        state: native_vm_state(p, InstanceState::Pending).into(),
        next: Some(Transition {
            to: native_vm_state(p, InstanceState::Running).into(),
            at_ms: now.later(),
            deletes: false,
        }),
        private_ip: format!("10.200.{}.{}", (serial / 250) % 250, serial % 250 + 4).into(),
        public_ip: None,
        spot: spec.spot,
        launched_ms: now.ms,
        image: spec.image.as_deref().unwrap_or(shape.default_image).into(),
        group: group.as_str().into(),
        tags: tags.iter().map(|(k, v)| (k.into(), v.into())).collect(),
        terminated_ms: None,
    };
    let boot_name = match p {
        ProviderKind::Aws => format!("{}-root", spec.name),
        ProviderKind::Gcp => spec.name.clone(),
        ProviderKind::Azure => format!("{}_OsDisk_1_{}", spec.name, rng.hex(32)),
    };
    let device = match p {
        ProviderKind::Aws => "/dev/xvda",
        ProviderKind::Gcp => "persistent-disk-0",
        ProviderKind::Azure => "os",
    };
    let tag_pairs: Vec<(&str, &str)> = spec.tags.iter().filter(|(k, _)| *k != "Name").collect();
    let disk = generate::new_disk(
        shape,
        &mut rng,
        DiskInit {
            name: &boot_name,
            region: &spec.region,
            zone,
            group: &group,
            size_gib: disk_gib,
            disk_type: shape.default_disk_type,
            attached: Some((&id, device.to_string())),
            boot: true,
            created_ms: now.ms,
            tags: &tag_pairs,
        },
    );
    w.instances.push(vm.clone());
    w.disks.push(disk);
    Ok(vm)
}

/// Azure's `--subnet`: an ARM id or `VNET/SUBNET` naming a subnet the world has, in the VM's
/// location (as Azure refuses a NIC in another region's VNet).
fn check_subnet(w: &World, spec: &InstanceSpec) -> Result<(), ProviderError> {
    let Some(want) = spec.options.subnet.as_deref() else {
        return Ok(());
    };
    let (vnet, subnet) = match want.to_ascii_lowercase().split_once("/subnets/") {
        Some((head, sub)) => (
            head.rsplit('/').next().unwrap_or("").to_string(),
            sub.to_string(),
        ),
        None => match want.split_once('/') {
            Some((v, s)) => (v.to_ascii_lowercase(), s.to_ascii_lowercase()),
            None => (String::new(), want.to_ascii_lowercase()),
        },
    };
    let nets = &w.nets;
    let found = nets.subnets.iter().any(|s| {
        s.provider == ProviderKind::Azure
            && s.name.eq_ignore_ascii_case(&subnet)
            && s.region == spec.region.as_str()
            && nets
                .networks
                .iter()
                .any(|n| n.id == s.network_id && n.name.eq_ignore_ascii_case(&vnet))
    });
    if found {
        return Ok(());
    }
    let here: Vec<String> = nets
        .subnets
        .iter()
        .filter(|s| s.provider == ProviderKind::Azure && s.region == spec.region.as_str())
        .filter_map(|s| {
            let n = nets.networks.iter().find(|n| n.id == s.network_id)?;
            Some(format!("{}/{}", n.name, s.name))
        })
        .collect();
    Err(errors::invalid(
        ProviderKind::Azure,
        format!(
            "subnet '{want}' not found in {} (subnets there: {})",
            spec.region,
            if here.is_empty() {
                "none".to_string()
            } else {
                here.join(", ")
            }
        ),
    ))
}
