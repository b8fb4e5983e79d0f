//! Networks as an operator thinks of them, on every cloud: a network (AWS VPC, GCP VPC network,
//! Azure virtual network) with its subnets, the security groups that guard what runs in it
//! (AWS security group; GCP: the firewall rules of one network, taken together; Azure network
//! security group) with their rules, and which network each instance sits in.
//!
//! The console and the CLI list them as [`NetworkRow`]s (`ResourceKind::Network`, made by
//! [`network_rows`] from each list scope's [`NetworkSet`]); subnets and groups keep their own
//! ref ([`NetRef`]).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{ProviderKind, ResourceRef, Str, Tags};

mod book;
mod row;

pub use book::NetBook;
pub use row::{network_rows, row_ref, Member, NetworkRow, NO_NETWORK};

/// The tag (AWS, Azure) or label (GCP) nephos puts on a network it made; only those can be
/// deleted through nephos.
pub const MADE_BY_KEY: &str = "created-by";
pub const MADE_BY_VALUE: &str = "nephos";

/// What part of a network a [`NetRef`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NetKind {
    Network,
    Subnet,
    SecurityGroup,
}

impl NetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NetKind::Network => "network",
            NetKind::Subnet => "subnet",
            NetKind::SecurityGroup => "security-group",
        }
    }
}

impl FromStr for NetKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "network" => Ok(NetKind::Network),
            "subnet" => Ok(NetKind::Subnet),
            "security-group" | "sg" | "firewall" | "nsg" => Ok(NetKind::SecurityGroup),
            other => Err(format!("unknown network kind '{other}'")),
        }
    }
}

/// Where a network, subnet or security group lives and what its API addresses it by, printed
/// `provider:account:region:kind:id` like a [`ResourceRef`]. The region is `global` for GCP
/// networks (and their firewall groups, which are named after the network). The id is what the
/// API takes: AWS `vpc-…`/`subnet-…`/`sg-…`, GCP the name, Azure the full resource id (compared
/// without case).
#[derive(Debug, Clone, Eq)]
pub struct NetRef {
    pub provider: ProviderKind,
    pub account: Str,
    pub region: Str,
    pub kind: NetKind,
    pub id: Str,
}

impl NetRef {
    pub fn new(
        provider: ProviderKind,
        account: &str,
        region: &str,
        kind: NetKind,
        id: &str,
    ) -> Self {
        NetRef {
            provider,
            account: account.into(),
            region: region.into(),
            kind,
            id: id.into(),
        }
    }

    /// The same place, another part (a network's security group on GCP has its name).
    pub fn as_kind(&self, kind: NetKind, id: &str) -> Self {
        NetRef {
            kind,
            id: id.into(),
            ..self.clone()
        }
    }

    /// Does `id` name this one? (Azure ids without case.)
    pub fn id_is(&self, id: &str) -> bool {
        match self.provider {
            ProviderKind::Azure => self.id.eq_ignore_ascii_case(id),
            _ => self.id == id,
        }
    }

    /// The last path segment of an Azure id, or the id itself.
    pub fn short_name(&self) -> &str {
        self.id.rsplit('/').next().unwrap_or(&self.id)
    }
}

impl PartialEq for NetRef {
    fn eq(&self, o: &Self) -> bool {
        self.provider == o.provider
            && self.account == o.account
            && self.kind == o.kind
            && self.id_is(&o.id)
            && (self.provider == ProviderKind::Azure || self.region == o.region)
    }
}

impl std::hash::Hash for NetRef {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.provider.hash(h);
        self.account.hash(h);
        self.kind.hash(h);
        if self.provider == ProviderKind::Azure {
            for b in self.id.bytes() {
                h.write_u8(b.to_ascii_lowercase());
            }
        } else {
            self.id.hash(h);
            self.region.hash(h);
        }
    }
}

impl fmt::Display for NetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}:{}",
            self.provider,
            self.account,
            self.region,
            self.kind.as_str(),
            self.id
        )
    }
}

impl FromStr for NetRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.splitn(5, ':').collect();
        let [p, a, r, k, id] = parts[..] else {
            return Err(format!(
                "'{s}' is not a network ref: it looks like aws:ACCOUNT:REGION:network:vpc-ID"
            ));
        };
        if a.is_empty() || r.is_empty() || id.is_empty() {
            return Err(format!(
                "'{s}' is not a network ref: account, region and id must not be empty"
            ));
        }
        Ok(NetRef::new(p.parse()?, a, r, k.parse()?, id))
    }
}

impl Serialize for NetRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A VPC / VPC network / virtual network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub r#ref: NetRef,
    pub name: Str,
    /// The address ranges of the network itself (AWS VPC CIDR blocks, Azure address space); GCP
    /// custom-mode networks have none of their own (their subnets do).
    pub cidrs: Vec<Str>,
    pub tags: Tags,
    /// Tagged `created-by=nephos`: nephos may delete it.
    pub made_by_nephos: bool,
}

impl Network {
    pub fn global(&self) -> bool {
        self.r#ref.region == "global"
    }
}

/// Whether `tags` mark a network nephos made.
pub fn made_by_nephos(tags: &Tags) -> bool {
    tags.get(MADE_BY_KEY) == Some(MADE_BY_VALUE)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Subnet {
    pub r#ref: NetRef,
    pub network: NetRef,
    pub name: Str,
    pub cidr: Str,
    /// AWS subnets live in one zone; GCP and Azure subnets span their region.
    pub zone: Option<Str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    Allow,
    Deny,
}

/// An inclusive range of ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub fn one(port: u16) -> Self {
        PortRange {
            from: port,
            to: port,
        }
    }

    pub fn contains(self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

impl FromStr for PortRange {
    type Err = String;
    /// `22` or `8000-8080`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let port = |p: &str| {
            p.trim()
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("'{p}' is not a port (1-65535)"))
        };
        let r = match s.split_once('-') {
            Some((a, b)) => PortRange {
                from: port(a)?,
                to: port(b)?,
            },
            None => PortRange::one(port(s)?),
        };
        if r.from > r.to {
            return Err(format!("port range '{s}' ends before it starts"));
        }
        Ok(r)
    }
}

/// One rule of a security group, firewall or NSG, in common words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// What the provider calls the rule, where it names rules: the GCP firewall or Azure
    /// security rule name, the AWS security group rule id.
    pub name: Option<Str>,
    pub direction: Direction,
    /// `tcp`, `udp`, `icmp`, … or `all`.
    pub protocol: Str,
    /// None: every port.
    pub ports: Option<PortRange>,
    /// Source CIDRs for ingress (destinations for egress), or the provider's own words for
    /// "anywhere" (Azure `*`, `Internet`).
    pub sources: Vec<Str>,
    pub action: RuleAction,
    /// Lower wins, where the cloud orders rules (GCP, Azure); AWS rules are all allows.
    pub priority: Option<u32>,
}

impl Rule {
    fn covers(&self, protocol: &str, port: u16) -> bool {
        let proto = matches!(self.protocol.as_str(), "all" | "*" | "-1")
            || self.protocol.eq_ignore_ascii_case(protocol);
        proto && self.ports.is_none_or(|p| p.contains(port))
    }

    /// The first source that means the whole internet.
    fn world_source(&self) -> Option<&str> {
        self.sources
            .iter()
            .map(|s| s.as_str())
            .find(|s| is_world(s))
    }
}

/// `0.0.0.0/0`, `::/0`, or Azure's `*` / `Internet` / `Any`.
pub fn is_world(source: &str) -> bool {
    matches!(source, "0.0.0.0/0" | "::/0" | "*" | "Internet" | "Any")
}

/// An AWS security group, the firewall rules of one GCP network, or an Azure NSG.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityGroup {
    pub r#ref: NetRef,
    pub name: Str,
    /// The network it guards (AWS: its VPC; GCP: the network its firewall rules apply to;
    /// Azure: none of its own, an NSG is attached to subnets and NICs).
    pub network: Option<NetRef>,
    pub rules: Vec<Rule>,
    pub tags: Tags,
}

/// Which network (and subnet, and security groups) an instance sits in.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceNetwork {
    pub instance: ResourceRef,
    pub network: NetRef,
    pub subnet: Option<NetRef>,
    pub groups: Vec<NetRef>,
}

/// Everything one list call returns about networks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkSet {
    pub networks: Vec<Network>,
    pub subnets: Vec<Subnet>,
    pub groups: Vec<SecurityGroup>,
    pub links: Vec<InstanceNetwork>,
}

impl NetworkSet {
    pub fn network(&self, r: &NetRef) -> Option<&Network> {
        self.networks.iter().find(|n| &n.r#ref == r)
    }

    pub fn subnets_of<'a>(&'a self, network: &'a NetRef) -> impl Iterator<Item = &'a Subnet> {
        self.subnets.iter().filter(move |s| &s.network == network)
    }

    pub fn group(&self, r: &NetRef) -> Option<&SecurityGroup> {
        self.groups.iter().find(|g| &g.r#ref == r)
    }

    /// Instances in `network`.
    pub fn instances_in<'a>(
        &'a self,
        network: &'a NetRef,
    ) -> impl Iterator<Item = &'a ResourceRef> {
        self.links
            .iter()
            .filter(move |l| &l.network == network)
            .map(|l| &l.instance)
    }

    pub fn extend(&mut self, other: NetworkSet) {
        self.networks.extend(other.networks);
        self.subnets.extend(other.subnets);
        self.groups.extend(other.groups);
        self.links.extend(other.links);
    }
}

/// Ports that must not be open to the whole internet, with what usually listens there.
pub const SENSITIVE_PORTS: [(u16, &str); 8] = [
    (22, "SSH"),
    (3389, "RDP"),
    (1433, "SQL Server"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (27017, "MongoDB"),
    (9200, "Elasticsearch"),
];

/// A rule that lets the whole internet reach a sensitive port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub group: NetRef,
    pub group_name: Str,
    pub rule: Option<Str>,
    pub port: u16,
    pub service: &'static str,
    pub source: Str,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}) is open to {} on port {} ({})",
            self.group_name, self.group, self.source, self.port, self.service
        )
    }
}

/// Every sensitive port that a group's allow rule opens to the world, unless a deny rule that
/// wins over it (a lower priority number) shuts the world out of that port again.
pub fn world_open(groups: &[SecurityGroup]) -> Vec<Finding> {
    let mut out = Vec::new();
    for g in groups {
        for &(port, service) in &SENSITIVE_PORTS {
            let open = g.rules.iter().find_map(|r| {
                let allows = r.direction == Direction::Ingress
                    && r.action == RuleAction::Allow
                    && r.covers("tcp", port);
                let source = r.world_source().filter(|_| allows)?;
                let shut = g.rules.iter().any(|d| {
                    d.direction == Direction::Ingress
                        && d.action == RuleAction::Deny
                        && d.covers("tcp", port)
                        && d.world_source().is_some()
                        && matches!((d.priority, r.priority), (Some(dp), Some(rp)) if dp < rp)
                });
                (!shut).then(|| (r.name.clone(), source))
            });
            if let Some((rule, source)) = open {
                out.push(Finding {
                    group: g.r#ref.clone(),
                    group_name: g.name.clone(),
                    rule,
                    port,
                    service,
                    source: source.into(),
                });
            }
        }
    }
    out
}

/// A CIDR block as typed (`10.0.0.0/16`, `::/0`): a clear error otherwise.
pub fn check_cidr(cidr: &str) -> Result<(), String> {
    let (ip, len) = cidr.split_once('/').ok_or_else(|| {
        format!("'{cidr}' is not a CIDR block (address/length, e.g. 10.0.0.0/16)")
    })?;
    let ip: IpAddr = ip
        .parse()
        .map_err(|_| format!("'{cidr}' is not a CIDR block: '{ip}' is not an IP address"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    match len.parse::<u8>() {
        Ok(l) if l <= max => Ok(()),
        _ => Err(format!(
            "'{cidr}' is not a CIDR block: the prefix length must be 0-{max}"
        )),
    }
}

/// Whether the IPv4 block `inner` lies within `outer` (both already checked).
pub fn cidr_within(inner: &str, outer: &str) -> bool {
    let parse = |c: &str| -> Option<(u32, u32)> {
        let (ip, len) = c.split_once('/')?;
        let ip: std::net::Ipv4Addr = ip.parse().ok()?;
        let len: u32 = len.parse().ok()?;
        let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
        Some((u32::from(ip) & mask, len))
    };
    match (parse(inner), parse(outer)) {
        (Some((i, il)), Some((o, ol))) => {
            let mask = if ol == 0 { 0 } else { u32::MAX << (32 - ol) };
            il >= ol && i & mask == o
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(action: RuleAction, ports: Option<&str>, source: &str, priority: Option<u32>) -> Rule {
        Rule {
            name: Some("r".into()),
            direction: Direction::Ingress,
            protocol: "tcp".into(),
            ports: ports.map(|p| p.parse().unwrap()),
            sources: vec![source.into()],
            action,
            priority,
        }
    }

    fn group(rules: Vec<Rule>) -> SecurityGroup {
        SecurityGroup {
            r#ref: NetRef::new(
                ProviderKind::Aws,
                "a",
                "us-east-1",
                NetKind::SecurityGroup,
                "sg-1",
            ),
            name: "web".into(),
            network: None,
            rules,
            tags: Tags::new(),
        }
    }

    #[test]
    fn world_open_ssh_and_rdp_are_findings_but_private_sources_and_web_ports_are_not() {
        let g = group(vec![
            rule(RuleAction::Allow, Some("22"), "0.0.0.0/0", None),
            rule(RuleAction::Allow, Some("3389"), "::/0", None),
            rule(RuleAction::Allow, Some("5432"), "10.0.0.0/8", None),
            rule(RuleAction::Allow, Some("443"), "0.0.0.0/0", None),
        ]);
        let found: Vec<(u16, &str)> = world_open(&[g])
            .iter()
            .map(|f| (f.port, f.service))
            .collect();
        assert_eq!(found, [(22, "SSH"), (3389, "RDP")]);
    }

    #[test]
    fn a_wide_port_range_or_all_protocols_opens_every_sensitive_port_in_it() {
        let mut all = rule(RuleAction::Allow, None, "*", Some(300));
        all.protocol = "all".into();
        let found = world_open(&[group(vec![all])]);
        assert_eq!(found.len(), SENSITIVE_PORTS.len());
        let range = world_open(&[group(vec![rule(
            RuleAction::Allow,
            Some("3000-6000"),
            "Internet",
            None,
        )])]);
        let ports: Vec<u16> = range.iter().map(|f| f.port).collect();
        assert_eq!(ports, [3389, 3306, 5432]);
    }

    #[test]
    fn a_deny_that_wins_shuts_the_port_and_one_that_loses_does_not() {
        let shut = group(vec![
            rule(RuleAction::Deny, Some("22"), "0.0.0.0/0", Some(100)),
            rule(RuleAction::Allow, Some("22"), "0.0.0.0/0", Some(200)),
        ]);
        assert!(world_open(&[shut]).is_empty());
        let open = group(vec![
            rule(RuleAction::Deny, Some("22"), "0.0.0.0/0", Some(300)),
            rule(RuleAction::Allow, Some("22"), "0.0.0.0/0", Some(200)),
        ]);
        assert_eq!(world_open(&[open]).len(), 1);
        let mut udp = rule(RuleAction::Allow, Some("22"), "0.0.0.0/0", None);
        udp.protocol = "udp".into();
        assert!(world_open(&[group(vec![udp])]).is_empty());
    }

    #[test]
    fn net_refs_round_trip_and_azure_ids_ignore_case() {
        let s = "azure:corp:westeurope:network:/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1";
        let r: NetRef = s.parse().unwrap();
        assert_eq!(r.to_string(), s);
        assert_eq!(r.short_name(), "v1");
        let lower: NetRef = s.to_ascii_lowercase().parse().unwrap();
        assert_eq!(r, lower);
        let a: NetRef = "aws:a:us-east-1:network:vpc-ABC".parse().unwrap();
        let b: NetRef = "aws:a:us-east-1:network:vpc-abc".parse().unwrap();
        assert_ne!(a, b);
        assert!("aws:a:us-east-1:bucket:x".parse::<NetRef>().is_err());
        assert!("aws:a"
            .parse::<NetRef>()
            .unwrap_err()
            .contains("network ref"));
    }

    #[test]
    fn cidrs_and_ports_are_checked() {
        assert!(check_cidr("10.0.0.0/16").is_ok());
        assert!(check_cidr("::/0").is_ok());
        assert!(check_cidr("10.0.0.0/33").unwrap_err().contains("0-32"));
        assert!(check_cidr("10.0.0/16").unwrap_err().contains("not an IP"));
        assert!(check_cidr("10.0.0.0").unwrap_err().contains("CIDR"));
        assert!(cidr_within("10.0.1.0/24", "10.0.0.0/16"));
        assert!(!cidr_within("10.1.0.0/24", "10.0.0.0/16"));
        assert!(!cidr_within("10.0.0.0/8", "10.0.0.0/16"));
        assert_eq!(
            "8000-8080".parse::<PortRange>().unwrap().to_string(),
            "8000-8080"
        );
        assert!("0".parse::<PortRange>().is_err());
        assert!("90-80"
            .parse::<PortRange>()
            .unwrap_err()
            .contains("ends before"));
    }
}
