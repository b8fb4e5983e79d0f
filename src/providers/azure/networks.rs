//! Virtual networks, network security groups and which VNet each VM sits in, for one list scope
//! (subscription or resource group): three lists, every page by `nextLink` —
//! `virtualNetworks` (subnets inside), `networkSecurityGroups` (rules inside) and
//! `networkInterfaces` — and nothing per resource (see `net_rows.rs` for how rows are read).
//!
//! Changes, each one call with a generated client's `.send()`, handed back with ARM's operation:
//! * create: a VNet (address space, one subnet `default`) tagged `created-by=nephos`, in the
//!   resource group new things go in (the first configured, else `nephos-<location>`); a VNet of
//!   that name already there is refused, not overwritten;
//! * delete: only a VNet tagged `created-by=nephos` (read first; nothing is sent otherwise);
//! * add an ingress rule: a security rule `nephos-PROTO-PORTS-HASH` (HASH: of the source) at the
//!   lowest free inbound priority from 1000 (the same rule again keeps its priority);
//! * remove: the inbound allow rule with exactly that protocol, port range and one source.

use futures_util::future::try_join3;
use serde_json::{json, Value};

use super::actions::{model, MADE_BY};
use super::convert::parts;
use super::errors::absent_ok;
use super::net_rows::{network_set, rules_of, NsgRow, RuleRow, VnetRow};
use super::session::{operation_of, parse};
use super::AzureProvider;
use crate::domain::network::{made_by_nephos, NetKind, NetRef, NetworkSet, MADE_BY_KEY};
use crate::domain::network::{Direction, RuleAction, MADE_BY_VALUE};
use crate::domain::{ProviderKind, Tags};
use crate::providers::network_request::not_made_by_nephos;
use crate::providers::{
    ErrorKind, IngressRule, ListScope, NetApplied, NetworkRequest, ProviderError, Result,
};

/// Azure orders rules by priority 100-4096; nephos's start here, below most hand-made ones.
const FIRST_PRIORITY: u32 = 1000;
const LAST_PRIORITY: u32 = 4096;

/// FNV-1a: a short stable name part for a source CIDR (`/` and `:` cannot stand in a name).
fn short_hash(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// The name of the security rule nephos adds for `rule`.
pub fn security_rule_name(rule: &IngressRule) -> String {
    let ports = if rule.ports.from == rule.ports.to {
        rule.ports.from.to_string()
    } else {
        format!("{}-{}", rule.ports.from, rule.ports.to)
    };
    format!(
        "nephos-{}-{ports}-{}",
        rule.protocol,
        short_hash(&rule.source)
    )
}

/// Does security rule `r` allow exactly `rule`: inbound, one protocol, one range, one source?
fn allows_exactly(r: &RuleRow, rule: &IngressRule) -> bool {
    let p = &r.properties;
    let ports = match (
        &p.destination_port_range,
        p.destination_port_ranges.as_slice(),
    ) {
        (Some(one), []) => Some(one.as_str()),
        (None, [one]) => Some(one.as_str()),
        _ => None,
    };
    let source = match (
        &p.source_address_prefix,
        p.source_address_prefixes.as_slice(),
    ) {
        (Some(one), []) => Some(one.as_str()),
        (None, [one]) => Some(one.as_str()),
        _ => None,
    };
    p.direction.eq_ignore_ascii_case("Inbound")
        && p.access.eq_ignore_ascii_case("Allow")
        && p.protocol.eq_ignore_ascii_case(&rule.protocol)
        && ports.and_then(|t| t.parse().ok()) == Some(rule.ports)
        && source == Some(rule.source.as_str())
}

/// A rule in a few words, for errors: `ssh (inbound allow Tcp 22 from *)`.
fn rule_words(r: &RuleRow) -> String {
    let p = &r.properties;
    let ports = p
        .destination_port_range
        .clone()
        .unwrap_or_else(|| p.destination_port_ranges.join(","));
    let from = p
        .source_address_prefix
        .clone()
        .unwrap_or_else(|| p.source_address_prefixes.join(","));
    format!(
        "{} ({} {} {} {ports} from {from})",
        r.name,
        p.direction.to_ascii_lowercase(),
        p.access.to_ascii_lowercase(),
        p.protocol
    )
}

/// The lowest inbound priority from 1000 that no rule of `nsg` holds.
fn free_priority(nsg: &NsgRow) -> Result<u32> {
    let taken: Vec<i64> = nsg
        .properties
        .security_rules
        .iter()
        .filter(|r| !r.properties.direction.eq_ignore_ascii_case("Outbound"))
        .filter_map(|r| r.properties.priority)
        .collect();
    (FIRST_PRIORITY..=LAST_PRIORITY)
        .find(|p| !taken.contains(&i64::from(*p)))
        .ok_or_else(|| {
            ProviderError::new(
                ErrorKind::QuotaExceeded,
                format!(
                    "network security group {} has no free inbound priority from {FIRST_PRIORITY} to {LAST_PRIORITY}",
                    nsg.name
                ),
            )
        })
}

impl AzureProvider {
    fn azure_net(&self, region: &str, kind: NetKind, id: &str) -> NetRef {
        NetRef::new(ProviderKind::Azure, &self.info.name, region, kind, id)
    }

    /// Networks of one scope (subscription or resource group): three lists, each over all its
    /// pages, read at once.
    pub(super) async fn list_networks_in(&self, scope: &ListScope) -> Result<NetworkSet> {
        let (vnets, nsgs, nics) = try_join3(
            self.network_rows(scope, "virtualNetworks"),
            self.network_rows(scope, "networkSecurityGroups"),
            self.network_rows(scope, "networkInterfaces"),
        )
        .await?;
        Ok(network_set(&self.info.name, &vnets, &nsgs, &nics, |l| {
            self.in_configured(l)
        }))
    }

    pub(super) async fn change_network(&self, req: &NetworkRequest) -> Result<NetApplied> {
        req.validate()?;
        if req.account() != self.info.name.as_str() {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!(
                    "{} is for account {}, not {}",
                    req.describe(),
                    req.account(),
                    self.info.name
                ),
            ));
        }
        match req {
            NetworkRequest::CreateNetwork {
                name,
                region,
                cidr,
                subnet_cidr,
                ..
            } => self.create_vnet(name, region, cidr, subnet_cidr).await,
            NetworkRequest::DeleteNetwork { network } => self.delete_vnet(network).await,
            NetworkRequest::AddIngressRule { group, rule } => self.add_rule(group, rule).await,
            NetworkRequest::RemoveIngressRule { group, rule } => {
                self.remove_rule(group, rule).await
            }
        }
    }

    /// The VNet's JSON, or None when ARM does not have it.
    async fn vnet_json(&self, group: &str, name: &str) -> Result<Option<Value>> {
        let s = &self.session;
        let get = s
            .network
            .virtual_networks_client()
            .get(group, name, s.subscription());
        let got = absent_ok(
            s.raw(async { get.send().await.map(|r| r.into_raw_response()) })
                .await,
        )?;
        got.map(|(_, _, body)| parse(&body)).transpose()
    }

    async fn create_vnet(
        &self,
        name: &str,
        region: &str,
        cidr: &str,
        subnet_cidr: &str,
    ) -> Result<NetApplied> {
        let group = self.group_for(region).await?;
        if self.vnet_json(&group, name).await?.is_some() {
            return Err(ProviderError::new(
                ErrorKind::AlreadyExists,
                format!("virtual network {name} already exists in resource group {group}; nephos does not overwrite it"),
            ));
        }
        let mut tags = Tags::new();
        tags.insert(MADE_BY_KEY, MADE_BY_VALUE);
        tags.insert(MADE_BY.0, MADE_BY.1);
        let body = json!({
            "location": region,
            "tags": super::actions::tags_json(&tags),
            "properties": {
                "addressSpace": {"addressPrefixes": [cidr]},
                "subnets": [{"name": "default", "properties": {"addressPrefix": subnet_cidr}}]
            }
        });
        let s = &self.session;
        let put = s.network.virtual_networks_client().create_or_update(
            group.as_str(),
            name,
            model::<azure_mgmt_network::models::VirtualNetwork>("virtual network", body)?,
            s.subscription(),
        );
        let (_, headers, answer) = s
            .raw(async { put.send().await.map(|r| r.into_raw_response()) })
            .await?;
        let id = parse(&answer)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| self.arm_id(&group, "Microsoft.Network/virtualNetworks", name));
        Ok(NetApplied {
            target: self.azure_net(region, NetKind::Network, &id),
            operation: operation_of(&headers),
        })
    }

    async fn delete_vnet(&self, network: &NetRef) -> Result<NetApplied> {
        let p = parts(&network.id)?;
        let Some(vnet) = self.vnet_json(&p.resource_group, &p.name).await? else {
            return Err(ProviderError::coded(
                ErrorKind::NotFound,
                "ResourceNotFound",
                format!("virtual network {} was not found", network.id),
            ));
        };
        let tags: VnetRow = super::arm::row(&vnet);
        if !made_by_nephos(&tags.tags) {
            return Err(not_made_by_nephos(network));
        }
        let s = &self.session;
        let del =
            s.network
                .virtual_networks_client()
                .delete(p.resource_group, p.name, p.subscription);
        let (_, headers, _) = s
            .raw(async { del.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(NetApplied {
            target: network.clone(),
            operation: operation_of(&headers),
        })
    }

    /// The NSG as ARM has it now.
    async fn nsg(&self, group: &NetRef) -> Result<NsgRow> {
        let p = parts(&group.id)?;
        let s = &self.session;
        let get = s.network.network_security_groups_client().get(
            p.resource_group,
            p.name,
            p.subscription,
        );
        let (_, _, body) = s
            .raw(async { get.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(super::arm::row(&parse(&body)?))
    }

    async fn add_rule(&self, group: &NetRef, rule: &IngressRule) -> Result<NetApplied> {
        let nsg = self.nsg(group).await?;
        let name = security_rule_name(rule);
        let same = nsg
            .properties
            .security_rules
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(&name))
            .and_then(|r| r.properties.priority)
            .and_then(|p| u32::try_from(p).ok());
        let priority = match same {
            Some(p) => p,
            None => free_priority(&nsg)?,
        };
        let protocol = match rule.protocol.as_str() {
            "udp" => "Udp",
            _ => "Tcp",
        };
        let body = json!({"properties": {
            "description": "added by nephos",
            "protocol": protocol,
            "sourcePortRange": "*",
            "destinationPortRange": rule.ports.to_string(),
            "sourceAddressPrefix": rule.source,
            "destinationAddressPrefix": "*",
            "access": "Allow",
            "priority": priority,
            "direction": "Inbound"
        }});
        let p = parts(&group.id)?;
        let s = &self.session;
        let put = s.network.security_rules_client().create_or_update(
            p.resource_group,
            p.name,
            name,
            model::<azure_mgmt_network::models::SecurityRule>("security rule", body)?,
            p.subscription,
        );
        let (_, headers, _) = s
            .raw(async { put.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(NetApplied {
            target: group.clone(),
            operation: operation_of(&headers),
        })
    }

    async fn remove_rule(&self, group: &NetRef, rule: &IngressRule) -> Result<NetApplied> {
        let nsg = self.nsg(group).await?;
        let rules = &nsg.properties.security_rules;
        let Some(found) = rules.iter().find(|r| allows_exactly(r, rule)) else {
            let inbound: Vec<String> = rules
                .iter()
                .filter(|r| {
                    rules_of(r)
                        .iter()
                        .any(|x| x.direction == Direction::Ingress && x.action == RuleAction::Allow)
                })
                .map(rule_words)
                .collect();
            return Err(ProviderError::coded(
                ErrorKind::NotFound,
                "NotFound",
                format!(
                    "network security group {} has no inbound rule allowing only {}/{} from {}; its inbound allow rules: {}",
                    nsg.name,
                    rule.protocol,
                    rule.ports,
                    rule.source,
                    if inbound.is_empty() { "none".to_string() } else { inbound.join("; ") }
                ),
            ));
        };
        let p = parts(&group.id)?;
        let s = &self.session;
        let del = s.network.security_rules_client().delete(
            p.resource_group,
            p.name,
            found.name.clone(),
            p.subscription,
        );
        let (_, headers, _) = s
            .raw(async { del.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(NetApplied {
            target: group.clone(),
            operation: operation_of(&headers),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::network::PortRange;

    fn ssh(source: &str) -> IngressRule {
        IngressRule {
            protocol: "tcp".into(),
            ports: PortRange::one(22),
            source: source.into(),
        }
    }

    fn sr(v: Value) -> RuleRow {
        super::super::arm::row(&v)
    }

    #[test]
    fn rule_names_differ_by_source_and_are_valid_azure_names() {
        let a = security_rule_name(&ssh("0.0.0.0/0"));
        let b = security_rule_name(&ssh("10.0.0.0/8"));
        assert!(a.starts_with("nephos-tcp-22-"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, security_rule_name(&ssh("0.0.0.0/0")), "stable");
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }

    #[test]
    fn only_a_rule_allowing_exactly_that_matches() {
        let exact = sr(
            json!({"name": "x", "properties": {"protocol": "Tcp", "access": "Allow",
            "direction": "Inbound", "priority": 1000, "destinationPortRange": "22",
            "sourceAddressPrefix": "0.0.0.0/0"}}),
        );
        assert!(allows_exactly(&exact, &ssh("0.0.0.0/0")));
        assert!(!allows_exactly(&exact, &ssh("10.0.0.0/8")));
        let wider = sr(
            json!({"name": "y", "properties": {"protocol": "Tcp", "access": "Allow",
            "direction": "Inbound", "priority": 1001, "destinationPortRanges": ["22", "80"],
            "sourceAddressPrefix": "0.0.0.0/0"}}),
        );
        assert!(!allows_exactly(&wider, &ssh("0.0.0.0/0")));
        let deny = sr(
            json!({"name": "z", "properties": {"protocol": "Tcp", "access": "Deny",
            "direction": "Inbound", "priority": 1002, "destinationPortRange": "22",
            "sourceAddressPrefix": "0.0.0.0/0"}}),
        );
        assert!(!allows_exactly(&deny, &ssh("0.0.0.0/0")));
    }

    #[test]
    fn the_lowest_free_inbound_priority_from_1000_is_taken() {
        let nsg: NsgRow =
            super::super::arm::row(&json!({"name": "g", "properties": {"securityRules": [
            {"name": "a", "properties": {"direction": "Inbound", "priority": 1000}},
            {"name": "b", "properties": {"direction": "Inbound", "priority": 1001}},
            {"name": "c", "properties": {"direction": "Outbound", "priority": 1002}},
            {"name": "d", "properties": {"direction": "Inbound", "priority": 300}}]}}));
        assert_eq!(free_priority(&nsg).unwrap(), 1002);
    }
}
