//! The sandbox cloud's networks, in each cloud's own terms: AWS VPCs with a subnet per zone and
//! security groups; one global GCP network with a subnet per region and its firewall rules;
//! an Azure virtual network per region with an NSG. A few rules are open to the world on SSH or
//! RDP, as real estates have.

use serde::{Deserialize, Serialize};

use super::ids;
use super::rng::Rng;
use super::shapes::{self, Shape};
use super::world::{VmRec, World};
use crate::domain::network::{Direction, PortRange, Rule, RuleAction, MADE_BY_KEY, MADE_BY_VALUE};
use crate::domain::{ProviderKind, Str};

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct NetWorld {
    pub networks: Vec<NetRec>,
    pub subnets: Vec<SubnetRec>,
    pub groups: Vec<GroupRec>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NetRec {
    pub provider: ProviderKind,
    /// AWS `vpc-…`, GCP the name, Azure the resource id.
    pub id: Str,
    pub name: Str,
    /// `global` for GCP.
    pub region: Str,
    pub cidrs: Vec<Str>,
    /// Azure resource group (empty elsewhere).
    pub group: Str,
    pub tags: Vec<(Str, Str)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubnetRec {
    pub provider: ProviderKind,
    pub id: Str,
    pub network_id: Str,
    pub name: Str,
    pub region: Str,
    /// AWS only.
    pub zone: Option<Str>,
    pub cidr: Str,
}

/// An AWS security group, the firewall rules of one GCP network (id: the network's name), or
/// an Azure NSG.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GroupRec {
    pub provider: ProviderKind,
    pub id: Str,
    pub name: Str,
    pub network_id: Option<Str>,
    pub region: Str,
    pub group: Str,
    pub rules: Vec<Rule>,
}

impl NetRec {
    pub fn made_by_nephos(&self) -> bool {
        self.tags
            .iter()
            .any(|(k, v)| k == MADE_BY_KEY && v == MADE_BY_VALUE)
    }
}

pub fn ingress(
    name: &str,
    proto: &str,
    port: Option<u16>,
    source: &str,
    prio: Option<u32>,
) -> Rule {
    Rule {
        name: Some(name.into()),
        direction: Direction::Ingress,
        protocol: proto.into(),
        ports: port.map(PortRange::one),
        sources: vec![source.into()],
        action: RuleAction::Allow,
        priority: prio,
    }
}

fn egress_all(name: &str, prio: Option<u32>) -> Rule {
    Rule {
        name: Some(name.into()),
        direction: Direction::Egress,
        protocol: "all".into(),
        ports: None,
        sources: vec!["0.0.0.0/0".into()],
        action: RuleAction::Allow,
        priority: prio,
    }
}

/// The network range of provider `p` in region number `r`, matching the instances' private IPs
/// (`10.{p*16+r}.…`).
fn range(p: usize, r: usize) -> String {
    format!("10.{}.0.0/16", p * 16 + r)
}

/// Every account's networks, from the world's seed (its own stream, so the instances a seed
/// makes do not change).
pub fn generate(world: &mut World) {
    let mut rng = Rng::new(world.seed ^ 0x6E65_7477_6F72_6B73);
    for (p, shape) in shapes::ALL.iter().enumerate() {
        match shape.provider {
            ProviderKind::Aws => aws(world, shape, p, &mut rng),
            ProviderKind::Gcp => gcp(world, shape, p),
            ProviderKind::Azure => azure(world, shape, p),
        }
    }
}

fn aws(world: &mut World, shape: &Shape, p: usize, rng: &mut Rng) {
    for (r, (region, zones)) in shape.regions.iter().enumerate() {
        let vpc = format!("vpc-{}", rng.hex(17));
        let name = format!("main-{region}");
        world.nets.networks.push(NetRec {
            provider: shape.provider,
            id: vpc.as_str().into(),
            name: name.as_str().into(),
            region: (*region).into(),
            cidrs: vec![range(p, r).into()],
            group: Str::default(),
            tags: vec![("Name".into(), name.as_str().into())],
        });
        for (z, zone) in zones.iter().enumerate() {
            world.nets.subnets.push(SubnetRec {
                provider: shape.provider,
                id: format!("subnet-{}", rng.hex(17)).into(),
                network_id: vpc.as_str().into(),
                name: format!("{name}-{zone}").into(),
                region: (*region).into(),
                zone: Some((*zone).into()),
                cidr: format!("10.{}.{}.0/20", p * 16 + r, z * 16).into(),
            });
        }
        let group = |name: &str, rules: Vec<Rule>, rng: &mut Rng| GroupRec {
            provider: shape.provider,
            id: format!("sg-{}", rng.hex(17)).into(),
            name: name.into(),
            network_id: Some(vpc.as_str().into()),
            region: (*region).into(),
            group: Str::default(),
            rules,
        };
        let mut web = vec![
            ingress("http", "tcp", Some(80), "0.0.0.0/0", None),
            ingress("https", "tcp", Some(443), "0.0.0.0/0", None),
            egress_all("egress", None),
        ];
        if r == 0 {
            // Somebody opened SSH to debug and never closed it.
            web.push(ingress("ssh", "tcp", Some(22), "0.0.0.0/0", None));
        }
        let groups = [
            group("default", vec![egress_all("egress", None)], rng),
            group("web", web, rng),
            group(
                "db",
                vec![ingress("postgres", "tcp", Some(5432), "10.0.0.0/8", None)],
                rng,
            ),
        ];
        world.nets.groups.extend(groups);
    }
}

fn gcp(world: &mut World, shape: &Shape, p: usize) {
    let net = "prod-vpc";
    world.nets.networks.push(NetRec {
        provider: shape.provider,
        id: net.into(),
        name: net.into(),
        region: "global".into(),
        cidrs: Vec::new(),
        group: Str::default(),
        tags: Vec::new(),
    });
    for (r, (region, _)) in shape.regions.iter().enumerate() {
        world.nets.subnets.push(SubnetRec {
            provider: shape.provider,
            id: format!("{net}-{region}").into(),
            network_id: net.into(),
            name: format!("{net}-{region}").into(),
            region: (*region).into(),
            zone: None,
            cidr: format!("10.{}.0.0/20", p * 16 + r).into(),
        });
    }
    world.nets.groups.push(GroupRec {
        provider: shape.provider,
        id: net.into(),
        name: net.into(),
        network_id: Some(net.into()),
        region: "global".into(),
        group: Str::default(),
        rules: vec![
            ingress(
                "prod-vpc-allow-internal",
                "all",
                None,
                "10.0.0.0/8",
                Some(65534),
            ),
            ingress(
                "prod-vpc-allow-ssh",
                "tcp",
                Some(22),
                "0.0.0.0/0",
                Some(1000),
            ),
            ingress(
                "prod-vpc-allow-https",
                "tcp",
                Some(443),
                "0.0.0.0/0",
                Some(1000),
            ),
            Rule {
                action: RuleAction::Deny,
                ..ingress(
                    "prod-vpc-deny-redis",
                    "tcp",
                    Some(6379),
                    "0.0.0.0/0",
                    Some(900),
                )
            },
        ],
    });
}

fn azure(world: &mut World, shape: &Shape, p: usize) {
    for (r, (region, _)) in shape.regions.iter().enumerate() {
        let group = format!("rg-network-{region}");
        let name = format!("vnet-{region}");
        let id = ids::azure_id(shape, &group, "Microsoft.Network/virtualNetworks", &name);
        world.nets.networks.push(NetRec {
            provider: shape.provider,
            id: id.as_str().into(),
            name: name.as_str().into(),
            region: (*region).into(),
            cidrs: vec![range(p, r).into()],
            group: group.as_str().into(),
            tags: Vec::new(),
        });
        world.nets.subnets.push(SubnetRec {
            provider: shape.provider,
            id: format!("{id}/subnets/default").into(),
            network_id: id.as_str().into(),
            name: "default".into(),
            region: (*region).into(),
            zone: None,
            cidr: format!("10.{}.0.0/24", p * 16 + r).into(),
        });
        let nsg = format!("nsg-{region}");
        let mut rules = vec![ingress(
            "AllowHttps",
            "tcp",
            Some(443),
            "Internet",
            Some(100),
        )];
        if r == 0 {
            rules.push(ingress("AllowRdp", "tcp", Some(3389), "*", Some(300)));
        } else {
            rules.push(Rule {
                action: RuleAction::Deny,
                ..ingress("DenyRdp", "tcp", Some(3389), "*", Some(200))
            });
            rules.push(ingress("AllowRdp", "tcp", Some(3389), "*", Some(300)));
        }
        world.nets.groups.push(GroupRec {
            provider: shape.provider,
            id: ids::azure_id(
                shape,
                &group,
                "Microsoft.Network/networkSecurityGroups",
                &nsg,
            )
            .into(),
            name: nsg.into(),
            network_id: Some(id.into()),
            region: (*region).into(),
            group: group.into(),
            rules,
        });
    }
}

impl NetWorld {
    /// The generated network `vm` sits in: the one of its region (GCP: the global one); a
    /// network nephos made holds no generated instance, and a new instance joins its region's
    /// generated network.
    pub fn network_of(&self, vm: &VmRec) -> Option<&NetRec> {
        self.networks.iter().find(|n| {
            n.provider == vm.provider
                && !n.made_by_nephos()
                && (n.region == vm.region || n.region == "global")
        })
    }

    /// Its subnet: AWS the one in its zone, GCP the one in its region, Azure the first.
    pub fn subnet_of(&self, vm: &VmRec, net: &NetRec) -> Option<&SubnetRec> {
        self.subnets.iter().find(|s| {
            s.provider == vm.provider
                && s.network_id == net.id
                && s.region == vm.region
                && s.zone.as_ref().is_none_or(|z| *z == vm.zone)
        })
    }

    /// Its security groups: AWS `web` for web and api machines and `default` for the others;
    /// the network's firewall (GCP) or its region's NSG (Azure).
    pub fn groups_of<'a>(&'a self, vm: &'a VmRec, net: &'a NetRec) -> Vec<&'a GroupRec> {
        let app = vm
            .tags
            .iter()
            .find(|(k, _)| k == "app")
            .map(|(_, v)| v.as_str());
        let want = match (vm.provider, app) {
            (ProviderKind::Aws, Some("web" | "api")) => Some("web"),
            (ProviderKind::Aws, Some("db")) => Some("db"),
            (ProviderKind::Aws, _) => Some("default"),
            _ => None,
        };
        self.groups
            .iter()
            .filter(|g| {
                g.provider == vm.provider
                    && g.network_id.as_ref() == Some(&net.id)
                    && want.is_none_or(|w| g.name == w)
            })
            .collect()
    }
}
