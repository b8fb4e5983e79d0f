//! Commands that ask for a second resource (attach to which instance, register which one) or
//! show a list (compare), through the palette's pick stage; and the request a pick makes.

use super::plan::{confirm, targets};
use super::stage;
use crate::command::Command;
use crate::domain::{DiskState, Instance, InstanceState, Resource};
use crate::ops::Request;
use crate::state::{PaletteStage, PickItem, State};

fn instance_item(i: &Instance) -> PickItem {
    PickItem {
        label: i.name.to_string(),
        detail: format!("{} {} {}", i.id(), i.zone.as_deref().unwrap_or(""), i.state),
        target: Some(i.r#ref.clone()),
    }
}

pub fn attach(s: &mut State) {
    let Some(Resource::Disk(disk)) = targets(s).into_iter().next() else {
        return;
    };
    if disk.state != DiskState::Available {
        s.warn(format!(
            "attach-disk: {} is {}, not available",
            disk.name, disk.state
        ));
        return;
    }
    let items: Vec<PickItem> = s
        .inventory
        .instances
        .iter()
        .filter(|i| i.r#ref.account == disk.r#ref.account && i.zone == disk.zone)
        .filter(|i| {
            !matches!(
                i.state,
                InstanceState::Terminated | InstanceState::Terminating
            )
        })
        .map(instance_item)
        .collect();
    if items.is_empty() {
        s.warn(format!(
            "attach-disk: no instance in {} of {}",
            disk.zone.as_deref().unwrap_or("?"),
            disk.r#ref.account
        ));
        return;
    }
    let prompt = format!(
        "attach {} to (instances in {})",
        disk.name,
        disk.zone.as_deref().unwrap_or("?")
    );
    stage::open_stage(
        s,
        PaletteStage::Pick {
            cmd: Command::AttachDisk,
            prompt,
            items,
        },
    );
}

pub fn register(s: &mut State) {
    let Some(Resource::LoadBalancer(lb)) = targets(s).into_iter().next() else {
        return;
    };
    let items: Vec<PickItem> = s
        .inventory
        .instances
        .iter()
        .filter(|i| i.r#ref.account == lb.r#ref.account && i.r#ref.region == lb.r#ref.region)
        .filter(|i| !lb.targets.iter().any(|t| t.instance == i.r#ref))
        .filter(|i| {
            !matches!(
                i.state,
                InstanceState::Terminated | InstanceState::Terminating
            )
        })
        .map(instance_item)
        .collect();
    if items.is_empty() {
        s.warn(format!(
            "register: no other instance in {} of {}",
            lb.r#ref.region, lb.r#ref.account
        ));
        return;
    }
    let prompt = format!(
        "register with {} (instances in {})",
        lb.name, lb.r#ref.region
    );
    stage::open_stage(
        s,
        PaletteStage::Pick {
            cmd: Command::Register,
            prompt,
            items,
        },
    );
}

pub fn deregister(s: &mut State) {
    let Some(Resource::LoadBalancer(lb)) = targets(s).into_iter().next() else {
        return;
    };
    let items: Vec<PickItem> = lb
        .targets
        .iter()
        .map(|t| {
            let name = s
                .inventory
                .instances
                .get(&t.instance)
                .map(|i| i.name.to_string())
                .unwrap_or_else(|| t.instance.id.to_string());
            PickItem {
                label: name,
                detail: format!("{} {}", t.instance.id, t.health),
                target: Some(t.instance.clone()),
            }
        })
        .collect();
    if items.is_empty() {
        s.warn(format!("deregister: {} has no targets", lb.name));
        return;
    }
    let prompt = format!("deregister from {}", lb.name);
    stage::open_stage(
        s,
        PaletteStage::Pick {
            cmd: Command::Deregister,
            prompt,
            items,
        },
    );
}

/// The selected machine's shape priced on every cloud, shown as a palette list.
pub fn compare(s: &mut State) {
    let Some(Resource::Instance(i)) = targets(s).into_iter().next() else {
        return;
    };
    let shape = s
        .shapes
        .get(&i.r#ref.provider)
        .and_then(|m| m.get(i.instance_type.as_str()))
        .copied()
        .or_else(|| {
            Some(crate::prices::Shape {
                vcpus: i.vcpus?,
                memory_mib: (i.memory_gib? * 1024.0).round() as u32,
                arm: false,
                gpus: 0,
            })
        });
    let Some(shape) = shape else {
        s.warn(format!(
            "compare: the shape of {} is not known",
            i.instance_type
        ));
        return;
    };
    let groups = crate::prices::compare::groups_for(&[i.region().to_string()])
        .unwrap_or_else(|_| vec!["us-east"]);
    let (offers, notes) = crate::prices::compare::compare(
        &s.catalog,
        &s.shapes,
        shape.vcpus,
        shape.memory_gib(),
        &groups,
        3,
        Some(shape.arch()),
    );
    let items: Vec<PickItem> = offers
        .iter()
        .map(|o| PickItem {
            label: format!("{} {}", o.provider, o.sku),
            detail: format!(
                "{} · {} vCPU {} GiB {} · ${:.4}/h{} · as of {}",
                o.region,
                o.vcpus,
                crate::format::gib(o.memory_gib),
                o.arch,
                o.usd_per_hour,
                o.spot_usd_per_hour
                    .map(|p| format!(" (spot ${p:.4})"))
                    .unwrap_or_default(),
                o.as_of
            ),
            target: Some(i.r#ref.clone()),
        })
        .collect();
    if items.is_empty() {
        s.warn(format!(
            "compare: nothing priced in {} ({})",
            groups.join(", "),
            notes.join("; ")
        ));
        return;
    }
    let prompt = format!(
        "{} ({} vCPU, {} GiB) on every cloud, {}",
        i.instance_type,
        shape.vcpus,
        crate::format::gib(shape.memory_gib()),
        groups.join(", ")
    );
    if !notes.is_empty() {
        s.info(notes.join("; "));
    }
    stage::open_stage(
        s,
        PaletteStage::Pick {
            cmd: Command::Compare,
            prompt,
            items,
        },
    );
}

/// The actions that failed, newest first, each with the provider's error in full; looking
/// at them clears the status line's reminder.
pub fn errors(s: &mut State) {
    let items: Vec<PickItem> = s
        .failures()
        .map(|(op, e)| PickItem {
            label: op.what.clone(),
            detail: format!(
                "{} · {} · {}",
                op.started.format("%H:%M:%S"),
                e.kind.as_str(),
                e.explain()
            ),
            target: None,
        })
        .collect();
    s.unseen_failures = 0;
    if items.is_empty() {
        s.info("no action has failed");
        return;
    }
    let prompt = format!("{} failed action(s), newest first", items.len());
    stage::open_stage(
        s,
        PaletteStage::Pick {
            cmd: Command::Errors,
            prompt,
            items,
        },
    );
}

/// The request a picked item makes, for the command that asked.
pub fn picked(s: &mut State, cmd: Command, target: &crate::domain::ResourceRef) {
    let Some(subject) = targets(s).into_iter().next() else {
        return;
    };
    let Some(Resource::Instance(instance)) = s.inventory.get(target) else {
        s.warn(format!("{} is no longer listed", target.id));
        return;
    };
    let req = match (cmd, subject) {
        (Command::AttachDisk, Resource::Disk(disk)) => Request::AttachDisk {
            disk,
            instance,
            device: None,
        },
        (Command::Register, Resource::LoadBalancer(lb)) => Request::Register {
            lb,
            targets: vec![instance],
        },
        (Command::Deregister, Resource::LoadBalancer(lb)) => Request::Deregister {
            lb,
            targets: vec![instance],
        },
        _ => return,
    };
    confirm(s, vec![req]);
}
