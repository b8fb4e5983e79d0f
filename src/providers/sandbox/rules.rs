//! How the sandbox cloud answers a change: which transitions are allowed, what they lead to and
//! how long they take. Every function works on the world at a given moment (`Now`) and is pure
//! apart from that, so tests drive time by hand.

use crate::domain::{DiskState, InstanceState, ProviderKind, Str, Tags};
use crate::providers::{DiskSpec, InstanceAction, InstanceSpec, LbSpec, ProviderError};

use super::convert::native_vm_state;
use super::errors;
use super::generate::{self, DiskInit};
use super::ids;
use super::rng::Rng;
use super::shapes;
use super::world::{LbRec, TargetRec, Transition, VmRec, World};

/// The moment a change happens and how long a transition takes.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub ms: i64,
    pub step_ms: i64,
}

impl Now {
    fn later(self) -> i64 {
        self.ms + self.step_ms
    }
}

fn rng_for(w: &mut World) -> Rng {
    let serial = w.next_serial();
    Rng::new(w.seed ^ serial.wrapping_mul(0x2545_F491_4F6C_DD1D))
}

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
    }
}

/// Start, stop, reboot or terminate one machine. Asking for the state it is already in (or
/// heading to) succeeds and changes nothing, as on every cloud.
pub fn instance_action(
    w: &mut World,
    p: ProviderKind,
    id: &str,
    action: InstanceAction,
    now: Now,
) -> Result<VmRec, ProviderError> {
    let vm = w.vm_mut(p, id).ok_or_else(|| errors::vm_not_found(p, id))?;
    use InstanceState as S;
    let heading = vm.next.map(|t| t.to).unwrap_or(vm.state);
    let wrong =
        |vm: &VmRec| errors::vm_wrong_state(vm, verb(p, action), native_vm_state(p, vm.state));
    match action {
        InstanceAction::Start => match (vm.state, heading) {
            (_, S::Running) => {}
            (S::Stopped, _) => {
                vm.state = S::Pending;
                vm.next = Some(Transition {
                    to: S::Running,
                    at_ms: now.later(),
                });
            }
            _ => return Err(wrong(vm)),
        },
        InstanceAction::Stop => match (vm.state, heading) {
            (_, S::Stopped) => {}
            (S::Running, _) if vm.spot && p == ProviderKind::Aws => {
                return Err(ProviderError::coded(
                    crate::providers::ErrorKind::Invalid,
                    "UnsupportedOperation",
                    format!(
                        "You can't stop the Spot Instance '{}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.",
                        vm.id
                    ),
                ));
            }
            (S::Running, _) => {
                vm.state = S::Stopping;
                vm.public_ip = None;
                vm.next = Some(Transition {
                    to: S::Stopped,
                    at_ms: now.later(),
                });
            }
            _ => return Err(wrong(vm)),
        },
        InstanceAction::Reboot => match vm.state {
            // A reboot keeps the machine running; nothing to wait for.
            S::Running if heading == S::Running => {}
            _ => return Err(wrong(vm)),
        },
        InstanceAction::Terminate => match (vm.state, heading) {
            (_, S::Terminated) => {}
            _ => {
                vm.state = S::Terminating;
                vm.next = Some(Transition {
                    to: S::Terminated,
                    at_ms: now.later(),
                });
            }
        },
    }
    Ok(vm.clone())
}

fn check_region_zone(
    p: ProviderKind,
    region: &str,
    zone: Option<&str>,
) -> Result<&'static str, ProviderError> {
    let shape = shapes::for_provider(p);
    let zones = shape.zones(region).ok_or_else(|| {
        errors::invalid(
            p,
            format!(
                "region '{region}' is not enabled for this account (regions: {})",
                shape.region_names().collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    match zone {
        None => Ok(zones[0]),
        Some(z) => zones.iter().copied().find(|x| *x == z).ok_or_else(|| {
            errors::invalid(
                p,
                format!(
                    "zone '{z}' is not in region '{region}' (zones: {})",
                    zones.join(", ")
                ),
            )
        }),
    }
}

/// Tag rules differ: AWS reserves `aws:`, GCP labels are lower-case `[a-z0-9_-]`, Azure forbids
/// a few characters in keys.
pub fn check_tags(p: ProviderKind, tags: &Tags) -> Result<(), ProviderError> {
    for (k, v) in tags.iter() {
        let bad = match p {
            ProviderKind::Aws if k.to_ascii_lowercase().starts_with("aws:") => Some(format!(
                "Tag keys starting with 'aws:' are reserved for internal use (key '{k}')"
            )),
            ProviderKind::Aws if k.is_empty() || k.len() > 128 || v.len() > 256 => Some(format!(
                "Tag key '{k}' must be 1-128 characters and its value at most 256"
            )),
            ProviderKind::Gcp => {
                let ok = |s: &str| {
                    s.len() <= 63
                        && s.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
                        })
                };
                let key_ok = k.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && ok(k);
                (!key_ok || !ok(v)).then(|| {
                    format!(
                        "Invalid value for field 'labels': '{k}={v}'. Label keys must start with a lowercase letter and keys and values may contain only lowercase letters, digits, '_' and '-' (at most 63 characters)."
                    )
                })
            }
            ProviderKind::Azure if k.is_empty() || k.chars().any(|c| "<>%&\\?/".contains(c)) => {
                Some(format!(
                    "The tag name '{k}' has invalid characters '<,>,%,&,\\,?,/'"
                ))
            }
            _ => None,
        };
        if let Some(msg) = bad {
            return Err(errors::invalid(p, msg));
        }
    }
    Ok(())
}

fn azure_group(tags: &Tags) -> String {
    format!("rg-{}", tags.get("app").unwrap_or("nephos"))
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
        return Err(ProviderError::coded(
            crate::providers::ErrorKind::Invalid,
            if p == ProviderKind::Gcp {
                "alreadyExists"
            } else {
                "Conflict"
            },
            format!("The resource '{}' already exists", spec.name),
        ));
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
    let mut rng = rng_for(w);
    let group = if p == ProviderKind::Azure {
        azure_group(&spec.tags)
    } else {
        String::new()
    };
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
        state: InstanceState::Pending,
        next: Some(Transition {
            to: InstanceState::Running,
            at_ms: now.later(),
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

pub fn create_disk(
    w: &mut World,
    p: ProviderKind,
    spec: &DiskSpec,
    now: Now,
) -> Result<super::world::DiskRec, ProviderError> {
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
        return Err(ProviderError::coded(
            crate::providers::ErrorKind::Invalid,
            if p == ProviderKind::Gcp {
                "alreadyExists"
            } else {
                "Conflict"
            },
            format!("The resource '{}' already exists", spec.name),
        ));
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
) -> Result<super::world::DiskRec, ProviderError> {
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
        vm.state,
        InstanceState::Terminating | InstanceState::Terminated
    ) {
        return Err(errors::vm_wrong_state(
            &vm,
            "attached to",
            native_vm_state(p, vm.state),
        ));
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
) -> Result<super::world::DiskRec, ProviderError> {
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
    let vm_state = w.vm(p, &holder).map(|v| v.state);
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
) -> Result<super::world::DiskRec, ProviderError> {
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

pub fn create_lb(
    w: &mut World,
    p: ProviderKind,
    spec: &LbSpec,
    now: Now,
) -> Result<LbRec, ProviderError> {
    let shape = shapes::for_provider(p);
    check_region_zone(p, &spec.region, None)?;
    if !shape.lb_kinds.contains(&spec.kind) {
        return Err(ProviderError::unsupported(match p {
            ProviderKind::Azure => "Azure Load Balancer is layer 4 only: use --kind network (layer 7 is Application Gateway, which nephos does not manage)".to_string(),
            _ => format!("{p} does not offer {} load balancers", spec.kind.as_str()),
        }));
    }
    let valid_name = !spec.name.is_empty()
        && spec.name.len() <= 32
        && spec
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !spec.name.starts_with('-')
        && !spec.name.ends_with('-');
    if !valid_name {
        return Err(errors::invalid(
            p,
            format!(
                "load balancer name '{}' must be 1-32 letters, digits and inner hyphens",
                spec.name
            ),
        ));
    }
    check_tags(p, &spec.tags)?;
    if w.lbs
        .iter()
        .any(|l| l.provider == p && l.region == spec.region && l.name == spec.name)
    {
        let code = match p {
            ProviderKind::Aws => "DuplicateLoadBalancerName",
            ProviderKind::Gcp => "alreadyExists",
            ProviderKind::Azure => "Conflict",
        };
        return Err(ProviderError::coded(
            crate::providers::ErrorKind::Invalid,
            code,
            format!(
                "A load balancer with the name '{}' already exists",
                spec.name
            ),
        ));
    }
    let mut rng = rng_for(w);
    let group = if p == ProviderKind::Azure {
        azure_group(&spec.tags)
    } else {
        String::new()
    };
    let id = ids::lb_id(
        shape,
        &mut rng,
        &spec.region,
        &group,
        &spec.name,
        spec.kind.as_str(),
    );
    let lb = LbRec {
        provider: p,
        id: id.into(),
        name: spec.name.as_str().into(),
        region: spec.region.as_str().into(),
        kind: spec.kind,
        scheme: spec.scheme,
        dns_name: generate::dns_name(p, &spec.name, &spec.region, spec.kind, &mut rng),
        created_ms: now.ms,
        active_ms: now.later(),
        group: group.into(),
        targets: Vec::new(),
        tags: spec
            .tags
            .iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect(),
    };
    w.lbs.push(lb.clone());
    Ok(lb)
}

fn lb_index(w: &World, p: ProviderKind, id: &str) -> Result<usize, ProviderError> {
    w.lbs
        .iter()
        .position(|l| l.provider == p && l.id == id)
        .ok_or_else(|| errors::lb_not_found(p, id))
}

pub fn register(
    w: &mut World,
    p: ProviderKind,
    lb_id: &str,
    vm_ids: &[Str],
    now: Now,
) -> Result<LbRec, ProviderError> {
    let i = lb_index(w, p, lb_id)?;
    let region = w.lbs[i].region.clone();
    for id in vm_ids {
        let vm = w.vm(p, id).ok_or_else(|| errors::vm_not_found(p, id))?;
        if vm.region != region {
            return Err(ProviderError::coded(
                crate::providers::ErrorKind::Invalid,
                if p == ProviderKind::Aws { "InvalidTarget" } else { "invalid" },
                format!("The following targets are not in the load balancer's region ({region}): '{}' is in {}", vm.name, vm.region),
            ));
        }
        if matches!(
            vm.state,
            InstanceState::Terminated | InstanceState::Terminating
        ) {
            return Err(ProviderError::coded(
                crate::providers::ErrorKind::InvalidState,
                if p == ProviderKind::Aws { "InvalidTarget" } else { "resourceNotReady" },
                format!("The following targets are not in a running state and cannot be registered: '{}'", vm.id),
            ));
        }
    }
    let lb = &mut w.lbs[i];
    for id in vm_ids {
        match lb.targets.iter_mut().find(|t| t.instance_id == *id) {
            Some(t) => t.draining_until = None,
            None => lb.targets.push(TargetRec {
                instance_id: id.clone(),
                registered_ms: now.ms,
                draining_until: None,
                failing: false,
            }),
        }
    }
    Ok(lb.clone())
}

pub fn deregister(
    w: &mut World,
    p: ProviderKind,
    lb_id: &str,
    vm_ids: &[Str],
    now: Now,
) -> Result<LbRec, ProviderError> {
    let i = lb_index(w, p, lb_id)?;
    let lb = &mut w.lbs[i];
    for id in vm_ids {
        if let Some(t) = lb.targets.iter_mut().find(|t| t.instance_id == *id) {
            // ELBv2 drains for its deregistration delay; the sandbox for one transition step.
            t.draining_until.get_or_insert(now.later());
        }
    }
    Ok(lb.clone())
}

pub fn delete_lb(w: &mut World, p: ProviderKind, lb_id: &str) -> Result<LbRec, ProviderError> {
    let i = lb_index(w, p, lb_id)?;
    Ok(w.lbs.remove(i))
}

pub fn set_tags(
    w: &mut World,
    p: ProviderKind,
    id: &str,
    set: &Tags,
    remove: &[String],
) -> Result<(), ProviderError> {
    check_tags(p, set)?;
    let tags = if let Some(v) = w
        .instances
        .iter_mut()
        .find(|v| v.provider == p && v.id == id)
    {
        &mut v.tags
    } else if let Some(d) = w.disks.iter_mut().find(|d| d.provider == p && d.id == id) {
        &mut d.tags
    } else if let Some(l) = w.lbs.iter_mut().find(|l| l.provider == p && l.id == id) {
        &mut l.tags
    } else {
        return Err(errors::invalid(p, format!("The ID '{id}' is not valid")));
    };
    let mut t: Tags = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for (k, v) in set.iter() {
        t.insert(k, v);
    }
    for k in remove {
        t.remove(k);
    }
    *tags = t.iter().map(|(k, v)| (k.into(), v.into())).collect();
    Ok(())
}
