//! A network as the console and the CLI list it: one row per network, holding its subnets, the
//! security groups that guard it with their rules, the instances in it and the findings about
//! it, made from one list scope's [`NetworkSet`].

use std::collections::BTreeMap;

use super::{
    world_open, Finding, InstanceNetwork, NetKind, NetRef, Network, NetworkSet, SecurityGroup,
    Subnet,
};
use crate::domain::{ResourceKind, ResourceRef, Str, Tags};

/// The id (and name) of the row that holds a scope's security groups that guard no network it
/// listed (an Azure NSG attached to nothing nephos saw), so their findings are still counted.
pub const NO_NETWORK: &str = "(no network)";

/// An instance in a network: its subnet and groups as places in its row's lists. A row keeps
/// one per instance, so it is small: about 130 bytes where an [`InstanceNetwork`] takes about
/// 370 (13 MB rather than 37 MB for 100k instances).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub instance: ResourceRef,
    /// Its place in the row's `subnets`.
    pub subnet: Option<u16>,
    /// Their places in the row's `groups`.
    pub groups: Box<[u16]>,
}

/// One network with everything in it.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkRow {
    /// The network's ref as a resource (`provider:account:region:network:id`, printed as its
    /// [`NetRef`] prints).
    pub r#ref: ResourceRef,
    pub network: Network,
    pub subnets: Vec<Subnet>,
    /// Its security groups (AWS groups of the VPC, the GCP network's firewall rules, the Azure
    /// NSGs its instances' NICs or subnets carry), with every rule.
    pub groups: Vec<SecurityGroup>,
    /// The instances in it, with their subnet and groups.
    pub members: Vec<Member>,
    /// Sensitive ports its groups open to the whole internet.
    pub findings: Vec<Finding>,
    /// The row holds groups without a network ([`NO_NETWORK`]), not a network.
    pub no_network: bool,
}

/// The ref of the Networks pane's row for network `n` (a resource ref, as every row has).
pub fn row_ref(n: &NetRef) -> ResourceRef {
    ResourceRef::new(
        n.provider,
        &n.account,
        &n.region,
        ResourceKind::Network,
        &n.id,
    )
}

impl NetworkRow {
    fn new(network: Network, no_network: bool) -> Self {
        let r#ref = row_ref(&network.r#ref);
        NetworkRow {
            r#ref,
            network,
            subnets: Vec::new(),
            groups: Vec::new(),
            members: Vec::new(),
            findings: Vec::new(),
            no_network,
        }
    }

    pub fn name(&self) -> &str {
        &self.network.name
    }

    pub fn instances(&self) -> impl Iterator<Item = &ResourceRef> {
        self.members.iter().map(|m| &m.instance)
    }

    /// Where `instance` sits in this network, if it does.
    pub fn member(&self, instance: &ResourceRef) -> Option<&Member> {
        self.members.iter().find(|m| &m.instance == instance)
    }

    /// A member's subnet.
    pub fn subnet_of(&self, m: &Member) -> Option<&Subnet> {
        m.subnet.and_then(|i| self.subnets.get(usize::from(i)))
    }

    /// A member's security groups.
    pub fn groups_of<'a>(&'a self, m: &'a Member) -> impl Iterator<Item = &'a SecurityGroup> {
        m.groups
            .iter()
            .filter_map(|i| self.groups.get(usize::from(*i)))
    }

    /// `link` with its subnet and groups as places in this row's lists (those it does not
    /// hold are left out).
    fn member_from(&self, link: InstanceNetwork) -> Member {
        let place = |found: Option<usize>| found.and_then(|i| u16::try_from(i).ok());
        Member {
            subnet: place(
                link.subnet
                    .as_ref()
                    .and_then(|s| self.subnets.iter().position(|x| &x.r#ref == s)),
            ),
            groups: link
                .groups
                .iter()
                .filter_map(|g| place(self.groups.iter().position(|x| &x.r#ref == g)))
                .collect(),
            instance: link.instance,
        }
    }

    pub fn group(&self, r: &NetRef) -> Option<&SecurityGroup> {
        self.groups.iter().find(|g| &g.r#ref == r)
    }

    pub fn subnet(&self, r: &NetRef) -> Option<&Subnet> {
        self.subnets.iter().find(|s| &s.r#ref == r)
    }
}

/// One scope's networks as rows. A group names its network (AWS, GCP), else it goes with the
/// network of the instances that carry it (an Azure NSG); a group neither places is kept in a
/// [`NO_NETWORK`] row of its region, so no finding is lost.
pub fn network_rows(set: NetworkSet) -> Vec<NetworkRow> {
    let NetworkSet {
        networks,
        subnets,
        groups,
        links,
    } = set;
    let mut rows: Vec<NetworkRow> = networks
        .into_iter()
        .map(|n| NetworkRow::new(n, false))
        .collect();
    let at = |rows: &[NetworkRow], r: &NetRef| rows.iter().position(|n| &n.network.r#ref == r);
    for s in subnets {
        if let Some(i) = at(&rows, &s.network) {
            rows[i].subnets.push(s);
        }
    }
    let mut loose: BTreeMap<(Str, Str), Vec<SecurityGroup>> = BTreeMap::new();
    for g in groups {
        let home = g.network.clone().or_else(|| {
            links
                .iter()
                .find(|l| l.groups.contains(&g.r#ref))
                .map(|l| l.network.clone())
        });
        match home.and_then(|n| at(&rows, &n)) {
            Some(i) => rows[i].groups.push(g),
            None => loose
                .entry((g.r#ref.account.clone(), g.r#ref.region.clone()))
                .or_default()
                .push(g),
        }
    }
    for l in links {
        if let Some(i) = at(&rows, &l.network) {
            let m = rows[i].member_from(l);
            rows[i].members.push(m);
        }
    }
    for ((account, region), groups) in loose {
        let provider = groups[0].r#ref.provider;
        let mut row = NetworkRow::new(
            Network {
                r#ref: NetRef::new(provider, &account, &region, NetKind::Network, NO_NETWORK),
                name: NO_NETWORK.into(),
                cidrs: Vec::new(),
                tags: Tags::new(),
                made_by_nephos: false,
            },
            true,
        );
        row.groups = groups;
        rows.push(row);
    }
    for r in &mut rows {
        r.findings = world_open(&r.groups);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::super::{Direction, Rule, RuleAction};
    use super::*;
    use crate::domain::ProviderKind;

    fn net_ref(kind: NetKind, id: &str) -> NetRef {
        NetRef::new(ProviderKind::Azure, "corp", "westeurope", kind, id)
    }

    fn nsg(id: &str, port: u16) -> SecurityGroup {
        SecurityGroup {
            r#ref: net_ref(NetKind::SecurityGroup, id),
            name: id.into(),
            network: None,
            rules: vec![Rule {
                name: Some("open".into()),
                direction: Direction::Ingress,
                protocol: "tcp".into(),
                ports: Some(super::super::PortRange::one(port)),
                sources: vec!["*".into()],
                action: RuleAction::Allow,
                priority: Some(100),
            }],
            tags: Tags::new(),
        }
    }

    #[test]
    fn groups_go_with_their_network_or_their_instances_network_or_a_no_network_row() {
        let vnet = net_ref(NetKind::Network, "vnet-1");
        let vm = ResourceRef::new(
            ProviderKind::Azure,
            "corp",
            "westeurope",
            ResourceKind::Instance,
            "vm-1",
        );
        let set = NetworkSet {
            networks: vec![Network {
                r#ref: vnet.clone(),
                name: "vnet-1".into(),
                cidrs: vec!["10.0.0.0/16".into()],
                tags: Tags::new(),
                made_by_nephos: false,
            }],
            subnets: vec![Subnet {
                r#ref: net_ref(NetKind::Subnet, "vnet-1/subnets/default"),
                network: vnet.clone(),
                name: "default".into(),
                cidr: "10.0.0.0/24".into(),
                zone: None,
            }],
            groups: vec![nsg("nsg-used", 22), nsg("nsg-idle", 3389)],
            links: vec![InstanceNetwork {
                instance: vm.clone(),
                network: vnet,
                subnet: None,
                groups: vec![net_ref(NetKind::SecurityGroup, "nsg-used")],
            }],
        };
        let rows = network_rows(set);
        assert_eq!(rows.len(), 2, "{rows:?}");
        let (net, idle) = (&rows[0], &rows[1]);
        assert_eq!(
            net.r#ref.to_string(),
            "azure:corp:westeurope:network:vnet-1"
        );
        assert_eq!(net.subnets.len(), 1);
        assert_eq!(net.groups[0].name, "nsg-used");
        assert_eq!(net.instances().collect::<Vec<_>>(), [&vm]);
        assert_eq!(net.findings.len(), 1);
        assert_eq!(net.findings[0].service, "SSH");
        assert!(idle.no_network && idle.name() == NO_NETWORK);
        assert_eq!(idle.findings[0].service, "RDP");
    }
}
