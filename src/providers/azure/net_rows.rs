//! ARM's virtual networks, network security groups and NICs read into networks in common words
//! (no calls here). Rows are read with tolerant serde types (every field optional; a null list
//! reads as empty), and ids are compared without case: ARM spells back-references (a NIC's
//! subnet, a subnet's NSG) in other cases than the resource's own id, and nephos shows each
//! network, subnet and group with the id its own row gives.
//!
//! * a network: the VNet, its `addressSpace.addressPrefixes`, tags (`created-by=nephos`: made by
//!   nephos); its subnets from `properties.subnets` (`addressPrefix`, else the first of
//!   `addressPrefixes`);
//! * a group: the NSG with its `securityRules` (the default rules are not read), guarding the
//!   VNet one of whose subnets names it, else the VNet of a NIC that names it, else none;
//! * a link: each NIC of a VM (`virtualMachine.id`): the VNet and subnet of its primary IP
//!   configuration, its own NSG and its subnet's.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::arm::{row, tags};
use super::convert::instance_ref;
use crate::domain::network::{
    made_by_nephos, Direction, InstanceNetwork, NetKind, NetRef, Network, NetworkSet, PortRange,
    Rule, RuleAction, SecurityGroup, Subnet,
};
use crate::domain::{ProviderKind, Tags};

/// A list that may be null or missing: empty.
fn seq<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct Link {
    #[serde(default)]
    pub id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressSpace {
    #[serde(default, deserialize_with = "seq")]
    address_prefixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubnetProps {
    address_prefix: Option<String>,
    #[serde(default, deserialize_with = "seq")]
    address_prefixes: Vec<String>,
    network_security_group: Option<Link>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SubnetRow {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    properties: SubnetProps,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VnetProps {
    address_space: Option<AddressSpace>,
    #[serde(default, deserialize_with = "seq")]
    subnets: Vec<SubnetRow>,
}

/// A top-level network resource: its id, name, location, tags and properties.
#[derive(Debug, Default, Deserialize)]
#[serde(bound(deserialize = "P: Deserialize<'de> + Default"))]
pub struct Res<P> {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub location: String,
    #[serde(default, deserialize_with = "tags")]
    pub tags: Tags,
    #[serde(default)]
    pub properties: P,
}

pub type VnetRow = Res<VnetProps>;
pub type NsgRow = Res<NsgProps>;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleProps {
    #[serde(default)]
    pub protocol: String,
    #[serde(default)]
    pub access: String,
    #[serde(default)]
    pub direction: String,
    pub priority: Option<i64>,
    pub destination_port_range: Option<String>,
    #[serde(default, deserialize_with = "seq")]
    pub destination_port_ranges: Vec<String>,
    pub source_address_prefix: Option<String>,
    #[serde(default, deserialize_with = "seq")]
    pub source_address_prefixes: Vec<String>,
    pub destination_address_prefix: Option<String>,
    #[serde(default, deserialize_with = "seq")]
    pub destination_address_prefixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RuleRow {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub properties: RuleProps,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NsgProps {
    #[serde(default, deserialize_with = "seq")]
    pub security_rules: Vec<RuleRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IpConfigProps {
    subnet: Option<Link>,
    primary: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct IpConfig {
    #[serde(default)]
    properties: IpConfigProps,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NicProps {
    #[serde(default, deserialize_with = "seq")]
    ip_configurations: Vec<IpConfig>,
    network_security_group: Option<Link>,
    virtual_machine: Option<Link>,
}

#[derive(Debug, Default, Deserialize)]
struct NicRow {
    #[serde(default)]
    location: String,
    #[serde(default)]
    properties: NicProps,
}

fn key(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// The VNet id of a subnet id (`…/virtualNetworks/V/subnets/S` → `…/virtualNetworks/V`).
pub fn vnet_of_subnet(subnet_id: &str) -> Option<&str> {
    let at = subnet_id.to_ascii_lowercase().rfind("/subnets/")?;
    Some(&subnet_id[..at])
}

/// `Tcp` → `tcp`, `*` → `all`.
fn protocol(p: &str) -> String {
    match p {
        "*" | "" => "all".into(),
        other => other.to_ascii_lowercase(),
    }
}

/// `*` (or the whole range) is every port; a range nephos cannot read is left out.
fn port_ranges(p: &RuleProps) -> Vec<Option<PortRange>> {
    let texts: Vec<&str> = if p.destination_port_ranges.is_empty() {
        vec![p.destination_port_range.as_deref().unwrap_or("*")]
    } else {
        p.destination_port_ranges
            .iter()
            .map(String::as_str)
            .collect()
    };
    texts
        .into_iter()
        .filter_map(|t| match t.trim() {
            "*" | "0-65535" => Some(None),
            t => t.parse::<PortRange>().ok().map(Some),
        })
        .collect()
}

fn prefixes(one: &Option<String>, many: &[String]) -> Vec<crate::domain::Str> {
    one.iter()
        .chain(many.iter())
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str().into())
        .collect()
}

/// One security rule in common words: one per destination port range it names.
pub fn rules_of(r: &RuleRow) -> Vec<Rule> {
    let p = &r.properties;
    let direction = if p.direction.eq_ignore_ascii_case("Outbound") {
        Direction::Egress
    } else {
        Direction::Ingress
    };
    let sources = match direction {
        Direction::Ingress => prefixes(&p.source_address_prefix, &p.source_address_prefixes),
        Direction::Egress => prefixes(
            &p.destination_address_prefix,
            &p.destination_address_prefixes,
        ),
    };
    let action = if p.access.eq_ignore_ascii_case("Deny") {
        RuleAction::Deny
    } else {
        RuleAction::Allow
    };
    port_ranges(p)
        .into_iter()
        .map(|ports| Rule {
            name: Some(r.name.as_str().into()),
            direction,
            protocol: protocol(&p.protocol).into(),
            ports,
            sources: sources.clone(),
            action,
            priority: p.priority.map(|n| n.clamp(0, u32::MAX as i64) as u32),
        })
        .collect()
}

/// Builds one scope's [`NetworkSet`] from its three lists.
struct Reader<'a> {
    account: &'a str,
    set: NetworkSet,
    /// Lower-cased VNet id → its ref.
    vnets: HashMap<String, NetRef>,
    /// Lower-cased subnet id → (its ref, its VNet, its NSG's lower-cased id).
    subnets: HashMap<String, (NetRef, NetRef, Option<String>)>,
    /// Lower-cased NSG id → its ref (as the NSG list spells it).
    nsgs: HashMap<String, NetRef>,
    /// Lower-cased NSG id → the VNet it guards (a subnet's first, then a NIC's).
    guards: HashMap<String, NetRef>,
}

impl Reader<'_> {
    fn net(&self, region: &str, kind: NetKind, id: &str) -> NetRef {
        NetRef::new(ProviderKind::Azure, self.account, region, kind, id)
    }

    fn vnet(&mut self, v: &VnetRow) {
        let r = self.net(&v.location, NetKind::Network, &v.id);
        for s in &v.properties.subnets {
            let id = if s.id.is_empty() {
                format!("{}/subnets/{}", v.id, s.name)
            } else {
                s.id.clone()
            };
            let sref = self.net(&v.location, NetKind::Subnet, &id);
            let nsg = s
                .properties
                .network_security_group
                .as_ref()
                .map(|g| key(&g.id));
            if let Some(g) = &nsg {
                self.guards.entry(g.clone()).or_insert_with(|| r.clone());
            }
            self.subnets
                .insert(key(&id), (sref.clone(), r.clone(), nsg));
            let p = &s.properties;
            self.set.subnets.push(Subnet {
                r#ref: sref,
                network: r.clone(),
                name: s.name.as_str().into(),
                cidr: p
                    .address_prefix
                    .as_deref()
                    .or(p.address_prefixes.first().map(String::as_str))
                    .unwrap_or_default()
                    .into(),
                zone: None,
            });
        }
        self.vnets.insert(key(&v.id), r.clone());
        self.set.networks.push(Network {
            r#ref: r,
            name: v.name.as_str().into(),
            cidrs: v
                .properties
                .address_space
                .as_ref()
                .map(|a| {
                    a.address_prefixes
                        .iter()
                        .map(|c| c.as_str().into())
                        .collect()
                })
                .unwrap_or_default(),
            made_by_nephos: made_by_nephos(&v.tags),
            tags: v.tags.clone(),
        });
    }

    /// The group's ref as the NSG list spells it, else as `id` does.
    fn group(&self, id: &str, region: &str) -> NetRef {
        self.nsgs
            .get(&key(id))
            .cloned()
            .unwrap_or_else(|| self.net(region, NetKind::SecurityGroup, id))
    }

    fn nic(&mut self, n: &NicRow) {
        let p = &n.properties;
        let Some(vm) = p.virtual_machine.as_ref().filter(|v| !v.id.is_empty()) else {
            return;
        };
        let config = p
            .ip_configurations
            .iter()
            .find(|c| c.properties.primary == Some(true))
            .or(p.ip_configurations.first());
        let Some(subnet_id) = config
            .and_then(|c| c.properties.subnet.as_ref())
            .map(|s| s.id.as_str())
        else {
            return;
        };
        let (subnet, network, subnet_nsg) = match self.subnets.get(&key(subnet_id)) {
            Some((s, v, g)) => (s.clone(), v.clone(), g.clone()),
            // A VNet outside this scope (another resource group): named by the id given.
            None => {
                let Some(vnet_id) = vnet_of_subnet(subnet_id) else {
                    return;
                };
                let v = self
                    .vnets
                    .get(&key(vnet_id))
                    .cloned()
                    .unwrap_or_else(|| self.net(&n.location, NetKind::Network, vnet_id));
                (self.net(&n.location, NetKind::Subnet, subnet_id), v, None)
            }
        };
        let mut groups: Vec<NetRef> = Vec::new();
        let own = p
            .network_security_group
            .as_ref()
            .map(|g| key(&g.id))
            .filter(|g| !g.is_empty());
        for g in own.iter().chain(subnet_nsg.iter()) {
            let r = self.group(g, &n.location);
            if !groups.contains(&r) {
                groups.push(r);
            }
        }
        if let Some(g) = own {
            self.guards.entry(g).or_insert_with(|| network.clone());
        }
        self.set.links.push(InstanceNetwork {
            instance: instance_ref(self.account, &n.location, &vm.id),
            network,
            subnet: Some(subnet),
            groups,
        });
    }
}

/// One scope's networks from its VNet, NSG and NIC lists, keeping what lies in a location
/// `keep` accepts.
pub fn network_set(
    account: &str,
    vnets: &[Value],
    nsgs: &[Value],
    nics: &[Value],
    keep: impl Fn(&str) -> bool,
) -> NetworkSet {
    let mut r = Reader {
        account,
        set: NetworkSet::default(),
        vnets: HashMap::new(),
        subnets: HashMap::new(),
        nsgs: HashMap::new(),
        guards: HashMap::new(),
    };
    let nsgs: Vec<NsgRow> = nsgs
        .iter()
        .map(row::<NsgRow>)
        .filter(|g| keep(&g.location))
        .collect();
    for g in &nsgs {
        let gref = r.net(&g.location, NetKind::SecurityGroup, &g.id);
        r.nsgs.insert(key(&g.id), gref);
    }
    for v in vnets.iter().map(row::<VnetRow>) {
        if keep(&v.location) {
            r.vnet(&v);
        }
    }
    for n in nics.iter().map(row::<NicRow>) {
        if keep(&n.location) {
            r.nic(&n);
        }
    }
    for g in nsgs {
        let gref = r.group(&g.id, &g.location);
        r.set.groups.push(SecurityGroup {
            network: r.guards.get(&key(&g.id)).cloned(),
            rules: g
                .properties
                .security_rules
                .iter()
                .flat_map(rules_of)
                .collect(),
            r#ref: gref,
            name: g.name.as_str().into(),
            tags: g.tags,
        });
    }
    r.set
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RG: &str = "/subscriptions/s/resourceGroups/rg-Net/providers/Microsoft.Network";

    fn rule(v: Value) -> Vec<Rule> {
        rules_of(&row::<RuleRow>(&v))
    }

    #[test]
    fn a_security_rule_reads_as_one_rule_per_port_range_with_its_words_kept() {
        let r = rule(
            json!({"name": "web", "properties": {"protocol": "Tcp", "access": "Allow",
            "direction": "Inbound", "priority": 120, "destinationPortRanges": ["80", "8080-8090"],
            "sourceAddressPrefixes": ["10.0.0.0/8", "192.168.0.0/16"], "sourcePortRange": "*"}}),
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].ports, Some("8080-8090".parse().unwrap()));
        assert_eq!(r[0].protocol, "tcp");
        assert_eq!(r[0].sources, ["10.0.0.0/8", "192.168.0.0/16"]);
        assert_eq!(r[0].priority, Some(120));
        let any = rule(
            json!({"name": "deny-all", "properties": {"protocol": "*", "access": "Deny",
            "direction": "Inbound", "priority": 4000, "destinationPortRange": "*",
            "sourceAddressPrefix": "Internet"}}),
        );
        assert_eq!(
            (any[0].protocol.as_str(), any[0].ports, any[0].action),
            ("all", None, RuleAction::Deny)
        );
        assert_eq!(any[0].sources, ["Internet"]);
        let out = rule(
            json!({"name": "o", "properties": {"protocol": "Udp", "access": "Allow",
            "direction": "Outbound", "priority": 100, "destinationPortRange": "53",
            "sourceAddressPrefix": "*", "destinationAddressPrefix": "168.63.129.16"}}),
        );
        assert_eq!(out[0].direction, Direction::Egress);
        assert_eq!(out[0].sources, ["168.63.129.16"]);
    }

    #[test]
    fn nsgs_guard_the_vnet_of_their_subnet_else_of_a_nic_and_ids_ignore_case() {
        let upper = RG.replace("rg-Net", "RG-NET");
        let vnets = [
            json!({"id": format!("{RG}/virtualNetworks/hub"), "name": "hub",
            "location": "westeurope", "tags": {"created-by": "nephos"},
            "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
                {"id": format!("{RG}/virtualNetworks/hub/subnets/front"), "name": "front",
                 "properties": {"addressPrefix": "10.0.1.0/24",
                    "networkSecurityGroup": {"id": format!("{upper}/networkSecurityGroups/nsg-app")}}},
                {"id": format!("{RG}/virtualNetworks/hub/subnets/back"), "name": "back",
                 "properties": {"addressPrefixes": ["10.0.2.0/24"]}}]}}),
        ];
        let nsgs = [
            json!({"id": format!("{RG}/networkSecurityGroups/nsg-app"), "name": "nsg-app", "location": "westeurope",
                "properties": {"securityRules": null}}),
            json!({"id": format!("{RG}/networkSecurityGroups/nsg-jump"), "name": "nsg-jump", "location": "westeurope"}),
            json!({"id": format!("{RG}/networkSecurityGroups/nsg-idle"), "name": "nsg-idle", "location": "westeurope"}),
            json!({"id": format!("{RG}/networkSecurityGroups/nsg-far"), "name": "nsg-far", "location": "eastus"}),
        ];
        let nics = [
            json!({"location": "westeurope", "properties": {
            "virtualMachine": {"id": "/subscriptions/s/resourceGroups/RG-NET/providers/Microsoft.Compute/virtualMachines/vm1"},
            "networkSecurityGroup": {"id": format!("{upper}/networkSecurityGroups/NSG-JUMP")},
            "ipConfigurations": [{"properties": {"primary": true,
                "subnet": {"id": format!("{upper}/virtualNetworks/HUB/subnets/front")}}}]}}),
            json!({"location": "westeurope", "properties": {"ipConfigurations": []}}),
        ];
        let set = network_set("corp", &vnets, &nsgs, &nics, |l| l == "westeurope");
        assert_eq!(set.networks.len(), 1);
        let hub = &set.networks[0];
        assert!(hub.made_by_nephos);
        assert_eq!(hub.cidrs, ["10.0.0.0/16"]);
        let cidrs: Vec<&str> = set.subnets.iter().map(|s| s.cidr.as_str()).collect();
        assert_eq!(cidrs, ["10.0.1.0/24", "10.0.2.0/24"]);
        let guarded = |name: &str| {
            set.groups
                .iter()
                .find(|g| g.name == name)
                .unwrap()
                .network
                .clone()
        };
        assert_eq!(guarded("nsg-app").as_ref(), Some(&hub.r#ref));
        assert_eq!(guarded("nsg-jump").as_ref(), Some(&hub.r#ref));
        assert_eq!(guarded("nsg-idle"), None);
        assert_eq!(set.groups.len(), 3, "eastus is not configured");
        assert_eq!(set.links.len(), 1, "the NIC without a VM links nothing");
        let l = &set.links[0];
        assert_eq!(l.network.id, hub.r#ref.id, "spelt as the VNet's own row");
        assert!(l.subnet.as_ref().unwrap().id.ends_with("hub/subnets/front"));
        let groups: Vec<&str> = l.groups.iter().map(|g| g.short_name()).collect();
        assert_eq!(groups, ["nsg-jump", "nsg-app"]);
    }
}
