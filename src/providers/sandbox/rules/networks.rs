//! How the sandbox answers a network change, as each cloud does: a network made with one
//! subnet (and on AWS its default security group), deleted only when nephos made it and nothing
//! runs in it, and ingress rules added (a duplicate refused where the cloud refuses it) and
//! removed (a rule that is not there is not found).

use crate::domain::network::{Direction, Rule, RuleAction, MADE_BY_KEY, MADE_BY_VALUE};
use crate::domain::{ProviderKind, Str};
use crate::providers::network_request::{not_made_by_nephos, rule_name};
use crate::providers::{ErrorKind, IngressRule, ProviderError};

use super::super::ids;
use super::super::net_world::{GroupRec, NetRec, SubnetRec};
use super::super::shapes;
use super::super::world::World;
use super::{check_region_zone, rng_for};
use crate::domain::network::NetRef;

type Result<T> = std::result::Result<T, ProviderError>;

/// The group name nephos puts the networks it makes in on Azure.
pub const AZURE_GROUP: &str = "rg-nephos-networks";

pub fn network_not_found(p: ProviderKind, id: &str) -> ProviderError {
    match p {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::NotFound,
            "InvalidVpcID.NotFound",
            format!("The vpc ID '{id}' does not exist"),
        ),
        ProviderKind::Gcp => ProviderError::coded(
            ErrorKind::NotFound,
            "notFound",
            format!(
                "The resource 'projects/{}/global/networks/{id}' was not found",
                shapes::GCP.native_id
            ),
        ),
        ProviderKind::Azure => ProviderError::coded(
            ErrorKind::NotFound,
            "ResourceNotFound",
            format!("The Resource '{id}' was not found."),
        ),
    }
}

pub fn group_not_found(p: ProviderKind, id: &str) -> ProviderError {
    match p {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::NotFound,
            "InvalidGroup.NotFound",
            format!("The security group '{id}' does not exist"),
        ),
        _ => network_not_found(p, id),
    }
}

fn rule_not_found(p: ProviderKind, group: &str, rule: &IngressRule) -> ProviderError {
    let code = match p {
        ProviderKind::Aws => "InvalidPermission.NotFound",
        ProviderKind::Gcp => "notFound",
        ProviderKind::Azure => "NotFound",
    };
    ProviderError::coded(
        ErrorKind::NotFound,
        code,
        format!(
            "no rule in '{group}' allows {}/{} from {}",
            rule.protocol, rule.ports, rule.source
        ),
    )
}

/// Where a network ref points in the world.
pub fn find_network(w: &World, r: &NetRef) -> Result<usize> {
    w.nets
        .networks
        .iter()
        .position(|n| n.provider == r.provider && r.id_is(&n.id))
        .ok_or_else(|| network_not_found(r.provider, &r.id))
}

pub fn find_group(w: &World, r: &NetRef) -> Result<usize> {
    w.nets
        .groups
        .iter()
        .position(|g| g.provider == r.provider && r.id_is(&g.id))
        .ok_or_else(|| group_not_found(r.provider, &r.id))
}

/// Make a network with one subnet in `region`; answers the new network.
pub fn create_network(
    w: &mut World,
    p: ProviderKind,
    name: &str,
    region: &str,
    cidr: &str,
    subnet_cidr: &str,
) -> Result<NetRec> {
    let zone = check_region_zone(p, region, None)?;
    let shape = shapes::for_provider(p);
    let mut rng = rng_for(w);
    let taken = |id: &str| {
        w.nets
            .networks
            .iter()
            .any(|n| n.provider == p && n.id == id)
    };
    let (id, net_region, group) = match p {
        ProviderKind::Aws => (
            format!("vpc-{}", rng.hex(17)),
            region.to_string(),
            String::new(),
        ),
        ProviderKind::Gcp => (name.to_string(), "global".to_string(), String::new()),
        ProviderKind::Azure => (
            ids::azure_id(
                shape,
                AZURE_GROUP,
                "Microsoft.Network/virtualNetworks",
                name,
            ),
            region.to_string(),
            AZURE_GROUP.to_string(),
        ),
    };
    if taken(&id) {
        let code = if p == ProviderKind::Gcp {
            "alreadyExists"
        } else {
            "Conflict"
        };
        return Err(ProviderError::coded(
            ErrorKind::AlreadyExists,
            code,
            format!("The resource '{id}' already exists"),
        ));
    }
    let mut tags = vec![(Str::from(MADE_BY_KEY), Str::from(MADE_BY_VALUE))];
    if p == ProviderKind::Aws {
        tags.push(("Name".into(), name.into()));
    }
    let net = NetRec {
        provider: p,
        id: id.as_str().into(),
        name: name.into(),
        region: net_region.as_str().into(),
        cidrs: if p == ProviderKind::Gcp {
            Vec::new()
        } else {
            vec![cidr.into()]
        },
        group: group.as_str().into(),
        tags,
    };
    let (subnet_id, subnet_name) = match p {
        ProviderKind::Aws => (format!("subnet-{}", rng.hex(17)), format!("{name}-{zone}")),
        ProviderKind::Gcp => (format!("{name}-{region}"), format!("{name}-{region}")),
        ProviderKind::Azure => (format!("{id}/subnets/default"), "default".to_string()),
    };
    w.nets.subnets.push(SubnetRec {
        provider: p,
        id: subnet_id.into(),
        network_id: net.id.clone(),
        name: subnet_name.into(),
        region: region.into(),
        zone: (p == ProviderKind::Aws).then(|| zone.into()),
        cidr: subnet_cidr.into(),
    });
    // AWS gives every VPC its default security group; GCP's firewall rules of a network are
    // its group (none yet); an Azure virtual network comes with no NSG.
    let group_id = match p {
        ProviderKind::Aws => Some(format!("sg-{}", rng.hex(17))),
        ProviderKind::Gcp => Some(name.to_string()),
        ProviderKind::Azure => None,
    };
    if let Some(gid) = group_id {
        w.nets.groups.push(GroupRec {
            provider: p,
            id: gid.as_str().into(),
            name: if p == ProviderKind::Aws {
                "default".into()
            } else {
                name.into()
            },
            network_id: Some(net.id.clone()),
            region: net.region.clone(),
            group: Str::default(),
            rules: Vec::new(),
        });
    }
    w.nets.networks.push(net.clone());
    Ok(net)
}

/// Delete a network nephos made, with its subnets and groups; refuse any other, and one that
/// still has instances in it.
pub fn delete_network(w: &mut World, r: &NetRef) -> Result<NetRec> {
    let i = find_network(w, r)?;
    let net = w.nets.networks[i].clone();
    if !net.made_by_nephos() {
        return Err(not_made_by_nephos(r));
    }
    let busy = w
        .instances
        .iter()
        .any(|v| !v.is_terminated() && w.nets.network_of(v).is_some_and(|n| n.id == net.id));
    if busy {
        return Err(ProviderError::coded(
            ErrorKind::InUse,
            "DependencyViolation",
            format!(
                "The network '{}' has dependencies and cannot be deleted.",
                net.id
            ),
        ));
    }
    let p = net.provider;
    w.nets.networks.remove(i);
    w.nets
        .subnets
        .retain(|s| !(s.provider == p && s.network_id == net.id));
    w.nets
        .groups
        .retain(|g| !(g.provider == p && g.network_id.as_ref() == Some(&net.id)));
    Ok(net)
}

fn same(r: &Rule, want: &IngressRule) -> bool {
    r.direction == Direction::Ingress
        && r.action == RuleAction::Allow
        && r.protocol == want.protocol
        && r.ports == Some(want.ports)
        && r.sources.contains(&want.source)
}

/// Allow `rule` into a group. AWS and GCP refuse a duplicate; Azure's PUT of the same rule
/// name is the same rule again.
pub fn add_ingress(w: &mut World, r: &NetRef, rule: &IngressRule) -> Result<()> {
    let i = find_group(w, r)?;
    let p = r.provider;
    let serial = w.next_serial();
    let g = &mut w.nets.groups[i];
    if g.rules.iter().any(|x| same(x, rule)) {
        return match p {
            ProviderKind::Azure => Ok(()),
            ProviderKind::Aws => Err(ProviderError::coded(
                ErrorKind::AlreadyExists,
                "InvalidPermission.Duplicate",
                format!(
                    "the specified rule \"peer: {}, {}, ALLOW\" already exists",
                    rule.source, rule.protocol
                ),
            )),
            ProviderKind::Gcp => Err(ProviderError::coded(
                ErrorKind::AlreadyExists,
                "alreadyExists",
                format!(
                    "The resource 'firewalls/{}' already exists",
                    rule_name(rule)
                ),
            )),
        };
    }
    let priority = match p {
        ProviderKind::Aws => None,
        ProviderKind::Gcp => Some(1000),
        ProviderKind::Azure => {
            let used: Vec<u32> = g.rules.iter().filter_map(|x| x.priority).collect();
            (100..=4096).step_by(10).find(|n| !used.contains(n))
        }
    };
    g.rules.push(Rule {
        name: Some(match p {
            ProviderKind::Aws => format!("sgr-{serial:017x}").into(),
            _ => rule_name(rule).into(),
        }),
        direction: Direction::Ingress,
        protocol: rule.protocol.clone(),
        ports: Some(rule.ports),
        sources: vec![rule.source.clone()],
        action: RuleAction::Allow,
        priority,
    });
    Ok(())
}

/// Stop allowing `rule`: the source comes out of the rule that has it (the rule goes when it
/// was its only source).
pub fn remove_ingress(w: &mut World, r: &NetRef, rule: &IngressRule) -> Result<()> {
    let i = find_group(w, r)?;
    let g = &mut w.nets.groups[i];
    let j = g
        .rules
        .iter()
        .position(|x| same(x, rule))
        .ok_or_else(|| rule_not_found(r.provider, &g.name, rule))?;
    let found = &mut g.rules[j];
    found.sources.retain(|s| *s != rule.source);
    if found.sources.is_empty() {
        g.rules.remove(j);
    }
    Ok(())
}
