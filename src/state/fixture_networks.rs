//! A constructed network estate over the fixture's instances, for reducer and snapshot tests:
//! an AWS VPC whose `web` group opens SSH to the world, a GCP network whose firewall opens SSH
//! but denies Redis first, an Azure VNet whose NSG (named by no network, placed by its
//! instance) opens RDP, and an Azure NSG attached to nothing nephos saw.

use crate::domain::network::{
    network_rows, Direction, InstanceNetwork, NetKind, NetRef, Network, NetworkSet, PortRange,
    Rule, RuleAction, SecurityGroup, Subnet,
};
use crate::domain::{ProviderKind, ResourceKind, ResourceRef, Tags};
use crate::inventory::Scope;
use crate::providers::sandbox::scope_of;
use crate::providers::Resources;
use crate::update::update;
use crate::worker::poller::PollEvent;

use super::fixture::now;
use super::State;

fn rule(name: &str, proto: &str, ports: Option<u16>, source: &str, prio: Option<u32>) -> Rule {
    Rule {
        name: Some(name.into()),
        direction: Direction::Ingress,
        protocol: proto.into(),
        ports: ports.map(PortRange::one),
        sources: vec![source.into()],
        action: RuleAction::Allow,
        priority: prio,
    }
}

fn deny(r: Rule) -> Rule {
    Rule {
        action: RuleAction::Deny,
        ..r
    }
}

fn egress_all() -> Rule {
    Rule {
        direction: Direction::Egress,
        ..rule("egress", "all", None, "0.0.0.0/0", None)
    }
}

struct Net {
    provider: ProviderKind,
    account: &'static str,
    region: &'static str,
}

impl Net {
    fn r(&self, region: &str, kind: NetKind, id: &str) -> NetRef {
        NetRef::new(self.provider, self.account, region, kind, id)
    }
    fn network(&self, id: &str, name: &str, cidrs: &[&str]) -> Network {
        Network {
            r#ref: self.r(self.region, NetKind::Network, id),
            name: name.into(),
            cidrs: cidrs.iter().map(|c| (*c).into()).collect(),
            tags: Tags::new(),
            made_by_nephos: false,
        }
    }
    fn subnet(
        &self,
        net: &NetRef,
        region: &str,
        id: &str,
        cidr: &str,
        zone: Option<&str>,
    ) -> Subnet {
        Subnet {
            r#ref: self.r(region, NetKind::Subnet, id),
            network: net.clone(),
            name: id.rsplit('/').next().unwrap_or(id).into(),
            cidr: cidr.into(),
            zone: zone.map(Into::into),
        }
    }
    fn group(&self, net: Option<&NetRef>, id: &str, name: &str, rules: Vec<Rule>) -> SecurityGroup {
        SecurityGroup {
            r#ref: self.r(
                net.map_or(self.region, |n| n.region.as_str()),
                NetKind::SecurityGroup,
                id,
            ),
            name: name.into(),
            network: net.cloned(),
            rules,
            tags: Tags::new(),
        }
    }
}

/// The instances of `provider` in `region` (any, if None), first `n`.
fn some(s: &State, provider: ProviderKind, region: Option<&str>, n: usize) -> Vec<ResourceRef> {
    let mut v: Vec<ResourceRef> = s
        .inventory
        .instances
        .iter()
        .filter(|i| i.r#ref.provider == provider && region.is_none_or(|r| i.r#ref.region == r))
        .map(|i| i.r#ref.clone())
        .collect();
    v.sort();
    v.truncate(n);
    v
}

/// The three clouds' network sets, each with the fixture instances it holds.
pub fn sets(s: &State) -> Vec<NetworkSet> {
    let aws = Net {
        provider: ProviderKind::Aws,
        account: "sandbox-aws",
        region: "us-east-1",
    };
    let vpc = aws.network("vpc-0a1b2c3d4e5f60718", "main-us-east-1", &["10.0.0.0/16"]);
    let (a, b) = (
        aws.subnet(
            &vpc.r#ref,
            "us-east-1",
            "subnet-0aa11",
            "10.0.0.0/20",
            Some("us-east-1a"),
        ),
        aws.subnet(
            &vpc.r#ref,
            "us-east-1",
            "subnet-0bb22",
            "10.0.16.0/20",
            Some("us-east-1b"),
        ),
    );
    let web = aws.group(
        Some(&vpc.r#ref),
        "sg-0web",
        "web",
        vec![
            rule("sgr-http", "tcp", Some(80), "0.0.0.0/0", None),
            rule("sgr-https", "tcp", Some(443), "0.0.0.0/0", None),
            rule("sgr-ssh", "tcp", Some(22), "0.0.0.0/0", None),
            egress_all(),
        ],
    );
    let db = aws.group(
        Some(&vpc.r#ref),
        "sg-0db",
        "db",
        vec![rule("sgr-pg", "tcp", Some(5432), "10.0.0.0/8", None)],
    );
    let aws_links = some(s, ProviderKind::Aws, Some("us-east-1"), 3)
        .into_iter()
        .map(|i| InstanceNetwork {
            instance: i,
            network: vpc.r#ref.clone(),
            subnet: Some(a.r#ref.clone()),
            groups: vec![web.r#ref.clone()],
        })
        .collect();
    let aws_set = NetworkSet {
        networks: vec![vpc],
        subnets: vec![a, b],
        groups: vec![web, db],
        links: aws_links,
    };

    let gcp = Net {
        provider: ProviderKind::Gcp,
        account: "sandbox-gcp",
        region: "global",
    };
    let net = gcp.network("prod-vpc", "prod-vpc", &[]);
    let sub = gcp.subnet(
        &net.r#ref,
        "europe-west1",
        "prod-vpc-europe-west1",
        "10.16.0.0/20",
        None,
    );
    let fw = gcp.group(
        Some(&net.r#ref),
        "prod-vpc",
        "prod-vpc",
        vec![
            rule(
                "prod-vpc-allow-ssh",
                "tcp",
                Some(22),
                "0.0.0.0/0",
                Some(1000),
            ),
            deny(rule(
                "prod-vpc-deny-redis",
                "tcp",
                Some(6379),
                "0.0.0.0/0",
                Some(900),
            )),
            rule(
                "prod-vpc-allow-redis",
                "tcp",
                Some(6379),
                "0.0.0.0/0",
                Some(1000),
            ),
        ],
    );
    let gcp_links = some(s, ProviderKind::Gcp, None, 2)
        .into_iter()
        .map(|i| InstanceNetwork {
            instance: i,
            network: net.r#ref.clone(),
            subnet: Some(sub.r#ref.clone()),
            groups: vec![fw.r#ref.clone()],
        })
        .collect();
    let gcp_set = NetworkSet {
        networks: vec![net],
        subnets: vec![sub],
        groups: vec![fw],
        links: gcp_links,
    };

    let az = Net {
        provider: ProviderKind::Azure,
        account: "sandbox-azure",
        region: "westeurope",
    };
    let id = "/subscriptions/00000000-0000-0000-0000-0000000000a3/resourceGroups/rg-network/providers/Microsoft.Network";
    let vnet = az.network(
        &format!("{id}/virtualNetworks/vnet-westeurope"),
        "vnet-westeurope",
        &["10.32.0.0/16"],
    );
    let sub = az.subnet(
        &vnet.r#ref,
        "westeurope",
        &format!("{id}/virtualNetworks/vnet-westeurope/subnets/default"),
        "10.32.0.0/24",
        None,
    );
    let nsg = az.group(
        None,
        &format!("{id}/networkSecurityGroups/nsg-westeurope"),
        "nsg-westeurope",
        vec![
            rule("AllowHttps", "tcp", Some(443), "Internet", Some(100)),
            rule("AllowRdp", "tcp", Some(3389), "*", Some(300)),
        ],
    );
    let idle = az.group(
        None,
        &format!("{id}/networkSecurityGroups/nsg-idle"),
        "nsg-idle",
        vec![rule("AllowSsh", "tcp", Some(22), "Internet", Some(100))],
    );
    let az_links = some(s, ProviderKind::Azure, None, 2)
        .into_iter()
        .map(|i| InstanceNetwork {
            instance: i,
            network: vnet.r#ref.clone(),
            subnet: Some(sub.r#ref.clone()),
            groups: vec![nsg.r#ref.clone()],
        })
        .collect();
    let az_set = NetworkSet {
        networks: vec![vnet],
        subnets: vec![sub],
        groups: vec![nsg, idle],
        links: az_links,
    };
    vec![aws_set, gcp_set, az_set]
}

/// Deliver [`sets`] as the pollers would, one scope each.
pub fn deliver(s: &mut State) {
    let sets = sets(s);
    deliver_sets(s, sets);
}

/// Deliver these sets (one per account, as [`sets`] makes them) as the pollers would.
pub fn deliver_sets(s: &mut State, sets: Vec<NetworkSet>) {
    for set in sets {
        let first = &set.networks[0].r#ref;
        let probe = ResourceRef::new(
            first.provider,
            &first.account,
            "us-east-1",
            ResourceKind::Instance,
            "x",
        );
        let scope = Scope::new(&first.account, scope_of(&probe), ResourceKind::Network);
        update(
            s,
            crate::action::Action::Poll(PollEvent::Finished {
                scope,
                outcome: Ok(Resources::Networks(network_rows(set))),
                at: now() - chrono::Duration::seconds(4),
            }),
        );
    }
}
