//! Load balancers and their targets; tags on anything.

use crate::domain::{InstanceState, ProviderKind, Str, Tags};
use crate::providers::{LbSpec, ProviderError};

use super::super::errors;
use super::super::generate::{self};
use super::super::ids;
use super::super::shapes;
use super::super::world::{LbRec, TargetRec, World};
use super::{azure_group, check_region_zone, check_tags, rng_for, Now};

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
        return Err(errors::name_taken(
            p,
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
            vm.heading(),
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
