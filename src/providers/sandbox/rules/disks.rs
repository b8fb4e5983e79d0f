//! Disks: create, attach, detach, delete.

use crate::domain::{DiskState, InstanceState, ProviderKind};
use crate::providers::{DiskSpec, ProviderError};

use super::super::errors;
use super::super::generate::{self, DiskInit};
use super::super::shapes;
use super::super::world::{DiskRec, World};
use super::{azure_group, check_region_zone, check_tags, rng_for, Now};

pub fn create_disk(
    w: &mut World,
    p: ProviderKind,
    spec: &DiskSpec,
    now: Now,
) -> Result<DiskRec, ProviderError> {
    let shape = shapes::for_provider(p);
    let zone = check_region_zone(p, &spec.region, Some(&spec.zone))?;
    let dtype = spec.disk_type.as_deref().unwrap_or(shape.default_disk_type);
    if !shape.disk_types.contains(&dtype) {
        return Err(errors::invalid(
            p,
            format!(
                "disk type '{dtype}' is not offered (types: {})",
                shape.disk_types.join(", ")
            ),
        ));
    }
    let (min, max) = if p == ProviderKind::Gcp {
        (10, 65_536)
    } else {
        (1, 16_384)
    };
    if spec.size_gib < min || spec.size_gib > max {
        return Err(errors::invalid(
            p,
            format!(
                "disk size {} GiB is out of range for {dtype} ({min}-{max} GiB)",
                spec.size_gib
            ),
        ));
    }
    check_tags(p, &spec.tags)?;
    if p != ProviderKind::Aws
        && w.disks
            .iter()
            .any(|d| d.provider == p && d.name == spec.name && d.zone == zone)
    {
        return Err(errors::already_exists(p, &spec.name));
    }
    let mut rng = rng_for(w);
    let group = if p == ProviderKind::Azure {
        azure_group(&spec.tags)
    } else {
        String::new()
    };
    let pairs: Vec<(&str, &str)> = spec.tags.iter().collect();
    let mut disk = generate::new_disk(
        shape,
        &mut rng,
        DiskInit {
            name: &spec.name,
            region: &spec.region,
            zone,
            group: &group,
            size_gib: spec.size_gib,
            disk_type: dtype,
            attached: None,
            boot: false,
            created_ms: now.ms,
            tags: &pairs,
        },
    );
    disk.state = DiskState::Creating;
    disk.until_ms = Some(now.later());
    w.disks.push(disk.clone());
    Ok(disk)
}

fn next_device(w: &World, p: ProviderKind, vm_id: &str, disk_name: &str) -> String {
    let used: Vec<&str> = w
        .disks
        .iter()
        .filter(|d| d.provider == p && d.attached_to.as_deref() == Some(vm_id))
        .filter_map(|d| d.device.as_deref())
        .collect();
    match p {
        ProviderKind::Aws => (b'f'..=b'p')
            .map(|c| format!("/dev/sd{}", c as char))
            .find(|d| !used.contains(&d.as_str()))
            .unwrap_or_else(|| "/dev/sdz".into()),
        ProviderKind::Gcp => disk_name.to_string(),
        ProviderKind::Azure => (0..64)
            .map(|n| format!("lun{n}"))
            .find(|d| !used.contains(&d.as_str()))
            .unwrap_or_else(|| "lun63".into()),
    }
}

pub fn attach_disk(
    w: &mut World,
    p: ProviderKind,
    disk_id: &str,
    vm_id: &str,
    device: Option<&str>,
) -> Result<DiskRec, ProviderError> {
    let vm = w
        .vm(p, vm_id)
        .cloned()
        .ok_or_else(|| errors::vm_not_found(p, vm_id))?;
    let device = device.map(str::to_string).unwrap_or_else(|| {
        let name = w
            .disks
            .iter()
            .find(|d| d.provider == p && d.id == disk_id)
            .map(|d| d.name.to_string());
        next_device(w, p, vm_id, &name.unwrap_or_default())
    });
    if w.disks.iter().any(|d| {
        d.provider == p
            && d.attached_to.as_deref() == Some(vm_id)
            && d.device.as_deref() == Some(device.as_str())
    }) {
        return Err(errors::invalid(
            p,
            format!("device {device} is already in use on {}", vm.name),
        ));
    }
    let disk = w
        .disk_mut(p, disk_id)
        .ok_or_else(|| errors::disk_not_found(p, disk_id))?;
    if disk.state == DiskState::InUse {
        let holder = disk.attached_to.clone().unwrap_or_default();
        let holder_name = holder.rsplit('/').next().unwrap_or("").to_string();
        return Err(errors::disk_in_use(disk, &holder_name));
    }
    if disk.state != DiskState::Available {
        return Err(errors::conflict(
            p,
            format!("Volume '{}' is in the '{}' state.", disk.id, disk.state),
        ));
    }
    if disk.zone != vm.zone {
        return Err(errors::zone_mismatch(disk, &vm));
    }
    if matches!(
        vm.heading(),
        InstanceState::Terminating | InstanceState::Terminated
    ) {
        return Err(errors::vm_wrong_state(&vm, "attached to", &vm.state));
    }
    disk.state = DiskState::InUse;
    disk.attached_to = Some(vm.id.clone());
    disk.device = Some(device.into());
    Ok(disk.clone())
}

pub fn detach_disk(
    w: &mut World,
    p: ProviderKind,
    disk_id: &str,
) -> Result<DiskRec, ProviderError> {
    let (holder, boot) = {
        let d = w
            .disks
            .iter()
            .find(|d| d.provider == p && d.id == disk_id)
            .ok_or_else(|| errors::disk_not_found(p, disk_id))?;
        (d.attached_to.clone(), d.boot)
    };
    let Some(holder) = holder else {
        return Err(errors::conflict(
            p,
            format!("Volume '{disk_id}' is in the 'available' state."),
        ));
    };
    let vm_state = w.vm(p, &holder).map(|v| v.normal());
    if boot && (p == ProviderKind::Azure || vm_state != Some(InstanceState::Stopped)) {
        let msg = match p {
            ProviderKind::Aws => format!("Unable to detach root volume '{disk_id}' from instance '{holder}'; stop the instance first"),
            ProviderKind::Gcp => "The boot disk of a running instance cannot be detached; stop the instance first".to_string(),
            ProviderKind::Azure => format!("The OS disk of VM '{}' cannot be detached; swap the OS disk instead", holder.rsplit('/').next().unwrap_or("")),
        };
        return Err(ProviderError::coded(
            crate::providers::ErrorKind::InvalidState,
            if p == ProviderKind::Aws {
                "OperationNotPermitted"
            } else {
                "OperationNotAllowed"
            },
            msg,
        ));
    }
    let disk = w.disk_mut(p, disk_id).expect("found above");
    disk.state = DiskState::Available;
    disk.attached_to = None;
    disk.device = None;
    disk.boot = false;
    Ok(disk.clone())
}

pub fn delete_disk(
    w: &mut World,
    p: ProviderKind,
    disk_id: &str,
    now: Now,
) -> Result<DiskRec, ProviderError> {
    let disk = w
        .disks
        .iter()
        .find(|d| d.provider == p && d.id == disk_id)
        .cloned()
        .ok_or_else(|| errors::disk_not_found(p, disk_id))?;
    if let Some(holder) = &disk.attached_to {
        let name = w
            .vm(p, holder)
            .map(|v| v.name.to_string())
            .unwrap_or_default();
        return Err(errors::disk_in_use(&disk, &name));
    }
    if disk.state == DiskState::Deleting {
        return Ok(disk);
    }
    let d = w.disk_mut(p, disk_id).expect("found above");
    d.state = DiskState::Deleting;
    d.until_ms = Some(now.later());
    Ok(d.clone())
}
