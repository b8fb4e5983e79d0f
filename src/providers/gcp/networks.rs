//! VPC networks (global), their subnetworks (regional, one aggregated list) and firewall rules.
//! A network's firewall rules together are its "security group": its ref is the network's name
//! in `global`. Networks carry no labels, so the one nephos makes says `created-by=nephos` in
//! its description; only such a network is deleted (with its subnetworks and firewall rules).
//! An ingress rule nephos adds is one firewall rule (priority 1000) named after the rule; it is
//! removed by deleting the firewall rule that allows exactly that.

use google_cloud_compute_v1::model;

use super::listing::{aggregated, global_list};
use super::{errors, operations, step_wait, urls, GcpProvider};
use crate::domain::network::{
    Direction, InstanceNetwork, NetKind, NetRef, Network, NetworkSet, PortRange, Rule, RuleAction,
    SecurityGroup, Subnet, MADE_BY_KEY, MADE_BY_VALUE,
};
use crate::domain::{ProviderKind, ResourceKind, ResourceRef, Tags};
use crate::providers::network_request::{not_made_by_nephos, rule_name};
use crate::providers::{ErrorKind, IngressRule, NetApplied, NetworkRequest, ProviderError, Result};

/// What the description of a network nephos made says.
fn made_mark() -> String {
    format!("{MADE_BY_KEY}={MADE_BY_VALUE}")
}

fn network_url(project: &str, name: &str) -> String {
    format!("{}/projects/{project}/global/networks/{name}", urls::BASE)
}

/// One firewall rule as rules in common words: one per protocol entry it allows or denies.
pub fn firewall_rules(f: &model::Firewall) -> Vec<Rule> {
    let direction = match f.direction.as_ref().and_then(|d| d.name()) {
        Some("EGRESS") => Direction::Egress,
        _ => Direction::Ingress,
    };
    let sources: Vec<_> = match direction {
        Direction::Ingress => f.source_ranges.iter().map(|s| s.as_str().into()).collect(),
        Direction::Egress => f
            .destination_ranges
            .iter()
            .map(|s| s.as_str().into())
            .collect(),
    };
    let entries = f
        .allowed
        .iter()
        .map(|a| (RuleAction::Allow, a.ip_protocol.as_deref(), &a.ports))
        .chain(
            f.denied
                .iter()
                .map(|d| (RuleAction::Deny, d.ip_protocol.as_deref(), &d.ports)),
        );
    let mut out = Vec::new();
    for (action, proto, ports) in entries {
        let proto = proto.unwrap_or("all");
        let ranges: Vec<Option<PortRange>> = if ports.is_empty() {
            vec![None]
        } else {
            ports.iter().map(|p| p.parse().ok()).collect()
        };
        for ports in ranges {
            out.push(Rule {
                name: f.name.as_deref().map(Into::into),
                direction,
                protocol: proto.into(),
                ports,
                sources: sources.clone(),
                action,
                priority: f.priority.map(|p| p.max(0) as u32),
            });
        }
    }
    out
}

/// Does firewall `f` allow exactly `rule` and nothing else?
fn allows_only(f: &model::Firewall, rule: &IngressRule) -> bool {
    let ports = rule.ports.to_string();
    f.direction.as_ref().and_then(|d| d.name()) != Some("EGRESS")
        && f.denied.is_empty()
        && f.source_ranges == [rule.source.to_string()]
        && f.allowed.len() == 1
        && f.allowed[0].ip_protocol.as_deref() == Some(rule.protocol.as_str())
        && f.allowed[0].ports == [ports]
}

/// A legacy network's own range (subnet-mode networks have none: their subnetworks do).
#[allow(deprecated)]
fn legacy_range(n: &model::Network) -> Vec<crate::domain::Str> {
    n.i_pv_4_range.iter().map(|c| c.as_str().into()).collect()
}

impl GcpProvider {
    fn gnet(&self, region: &str, kind: NetKind, id: &str) -> NetRef {
        NetRef::new(ProviderKind::Gcp, self.account_name(), region, kind, id)
    }

    async fn all_networks(&self) -> Result<Vec<model::Network>> {
        let c = self.session.clients().await?;
        global_list!(self, c.networks)
    }

    async fn all_subnetworks(&self) -> Result<Vec<model::Subnetwork>> {
        let c = self.session.clients().await?;
        aggregated!(self, c.subnetworks, subnetworks)
    }

    async fn all_firewalls(&self) -> Result<Vec<model::Firewall>> {
        let c = self.session.clients().await?;
        global_list!(self, c.firewalls)
    }

    /// Every network of the project, its subnetworks in the configured regions, each network's
    /// enabled firewall rules as its group, and the network of each instance.
    pub(super) async fn list_networks_all(&self) -> Result<NetworkSet> {
        let networks = self.all_networks().await?;
        let mut subnets = self.all_subnetworks().await?;
        subnets.retain(|s| self.in_regions(urls::last(s.region.as_deref().unwrap_or_default())));
        let firewalls = self.all_firewalls().await?;
        let vms = self.all_instances().await?;
        let mut set = NetworkSet::default();
        for n in &networks {
            let name = n.name.as_deref().unwrap_or_default();
            let made = n.description.as_deref() == Some(made_mark().as_str());
            let mut tags = Tags::new();
            if made {
                tags.insert(MADE_BY_KEY, MADE_BY_VALUE);
            }
            set.networks.push(Network {
                r#ref: self.gnet("global", NetKind::Network, name),
                name: name.into(),
                cidrs: legacy_range(n),
                tags,
                made_by_nephos: made,
            });
            set.groups.push(SecurityGroup {
                r#ref: self.gnet("global", NetKind::SecurityGroup, name),
                name: name.into(),
                network: Some(self.gnet("global", NetKind::Network, name)),
                rules: firewalls
                    .iter()
                    .filter(|f| f.disabled != Some(true))
                    .filter(|f| f.network.as_deref().map(urls::last) == Some(name))
                    .flat_map(firewall_rules)
                    .collect(),
                tags: Tags::new(),
            });
        }
        for s in &subnets {
            let region = urls::last(s.region.as_deref().unwrap_or_default());
            let net = urls::last(s.network.as_deref().unwrap_or_default());
            set.subnets.push(Subnet {
                r#ref: self.gnet(
                    region,
                    NetKind::Subnet,
                    s.name.as_deref().unwrap_or_default(),
                ),
                network: self.gnet("global", NetKind::Network, net),
                name: s.name.as_deref().unwrap_or_default().into(),
                cidr: s.ip_cidr_range.as_deref().unwrap_or_default().into(),
                zone: None,
            });
        }
        for vm in &vms {
            let zone = urls::last(vm.zone.as_deref().unwrap_or_default());
            let region = urls::zone_region(zone);
            let (Some(name), Some(nic)) = (vm.name.as_deref(), vm.network_interfaces.first())
            else {
                continue;
            };
            if !self.in_regions(region) {
                continue;
            }
            let Some(net) = nic.network.as_deref().map(urls::last) else {
                continue;
            };
            set.links.push(InstanceNetwork {
                instance: ResourceRef::new(
                    ProviderKind::Gcp,
                    self.account_name(),
                    region,
                    ResourceKind::Instance,
                    name,
                )
                .in_zone(zone),
                network: self.gnet("global", NetKind::Network, net),
                subnet: nic
                    .subnetwork
                    .as_deref()
                    .map(|s| self.gnet(region, NetKind::Subnet, urls::last(s))),
                groups: vec![self.gnet("global", NetKind::SecurityGroup, net)],
            });
        }
        Ok(set)
    }

    pub(super) async fn change_network(&self, req: &NetworkRequest) -> Result<NetApplied> {
        req.validate()?;
        let c = self.session.clients().await?;
        let p = self.project();
        let (target, op) = match req {
            NetworkRequest::CreateNetwork {
                name,
                region,
                subnet_cidr,
                ..
            } => {
                let (poll, limit) = step_wait(&self.session.settings);
                let net = model::Network::new()
                    .set_name(name.as_str())
                    .set_description(made_mark())
                    .set_auto_create_subnetworks(false);
                let op = c
                    .networks
                    .insert()
                    .set_project(p)
                    .set_body(net)
                    .send()
                    .await
                    .map_err(errors::from_sdk)?;
                operations::finish(c, p, &op, poll, limit).await?;
                let sub = model::Subnetwork::new()
                    .set_name(format!("{name}-{region}"))
                    .set_network(network_url(p, name))
                    .set_ip_cidr_range(subnet_cidr.as_str());
                let op = c
                    .subnetworks
                    .insert()
                    .set_project(p)
                    .set_region(region.as_str())
                    .set_body(sub)
                    .send()
                    .await
                    .map_err(errors::from_sdk)?;
                (self.gnet("global", NetKind::Network, name), op)
            }
            NetworkRequest::DeleteNetwork { network } => {
                (network.clone(), self.delete_network(network).await?)
            }
            NetworkRequest::AddIngressRule { group, rule } => {
                let mut name = format!("{}-{}", group.id, rule_name(rule));
                name.truncate(63);
                let name = name.trim_end_matches('-').to_string();
                let fw = model::Firewall::new()
                    .set_name(name)
                    .set_description("created by nephos")
                    .set_network(network_url(p, &group.id))
                    .set_direction(model::firewall::Direction::Ingress)
                    .set_priority(1000)
                    .set_source_ranges([rule.source.as_str()])
                    .set_allowed([model::firewall::Allowed::new()
                        .set_ip_protocol(rule.protocol.as_str())
                        .set_ports([rule.ports.to_string()])]);
                let op = c
                    .firewalls
                    .insert()
                    .set_project(p)
                    .set_body(fw)
                    .send()
                    .await
                    .map_err(errors::from_sdk)?;
                (group.clone(), op)
            }
            NetworkRequest::RemoveIngressRule { group, rule } => {
                let firewalls = self.all_firewalls().await?;
                let found = firewalls
                    .iter()
                    .filter(|f| f.network.as_deref().map(urls::last) == Some(group.id.as_str()))
                    .find(|f| allows_only(f, rule))
                    .and_then(|f| f.name.clone())
                    .ok_or_else(|| {
                        ProviderError::coded(
                            ErrorKind::NotFound,
                            "notFound",
                            format!(
                                "no firewall rule of network {} allows only {}/{} from {}",
                                group.id, rule.protocol, rule.ports, rule.source
                            ),
                        )
                    })?;
                let op = c
                    .firewalls
                    .delete()
                    .set_project(p)
                    .set_firewall(found)
                    .send()
                    .await
                    .map_err(errors::from_sdk)?;
                (group.clone(), op)
            }
        };
        if let crate::providers::OperationStatus::Failed(e) = operations::status(&op) {
            return Err(e);
        }
        Ok(NetApplied {
            target,
            operation: Some(operations::handle(&op)?),
        })
    }

    /// Delete a network nephos made: its subnetworks and firewall rules first (Compute refuses
    /// to delete a network that still has them), each waited for.
    async fn delete_network(&self, network: &NetRef) -> Result<model::Operation> {
        let c = self.session.clients().await?;
        let p = self.project();
        let net = c
            .networks
            .get()
            .set_project(p)
            .set_network(network.id.as_str())
            .send()
            .await
            .map_err(errors::from_sdk)?;
        if net.description.as_deref() != Some(made_mark().as_str()) {
            return Err(not_made_by_nephos(network));
        }
        let (poll, limit) = step_wait(&self.session.settings);
        let of_network = |url: Option<&str>| url.map(urls::last) == Some(network.id.as_str());
        for s in self.all_subnetworks().await? {
            if !of_network(s.network.as_deref()) {
                continue;
            }
            let region = urls::last(s.region.as_deref().unwrap_or_default()).to_string();
            let op = c
                .subnetworks
                .delete()
                .set_project(p)
                .set_region(region)
                .set_subnetwork(s.name.unwrap_or_default())
                .send()
                .await
                .map_err(errors::from_sdk)?;
            operations::finish(c, p, &op, poll, limit).await?;
        }
        for f in self.all_firewalls().await? {
            if !of_network(f.network.as_deref()) {
                continue;
            }
            let op = c
                .firewalls
                .delete()
                .set_project(p)
                .set_firewall(f.name.unwrap_or_default())
                .send()
                .await
                .map_err(errors::from_sdk)?;
            operations::finish(c, p, &op, poll, limit).await?;
        }
        c.networks
            .delete()
            .set_project(p)
            .set_network(network.id.as_str())
            .send()
            .await
            .map_err(errors::from_sdk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_firewall_reads_as_one_rule_per_protocol_and_port_range() {
        let f = model::Firewall::new()
            .set_name("allow-admin")
            .set_direction(model::firewall::Direction::Ingress)
            .set_priority(900)
            .set_source_ranges(["0.0.0.0/0"])
            .set_allowed([
                model::firewall::Allowed::new()
                    .set_ip_protocol("tcp")
                    .set_ports(["22", "3380-3390"]),
                model::firewall::Allowed::new().set_ip_protocol("icmp"),
            ]);
        let rules = firewall_rules(&f);
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0].ports, Some(PortRange::one(22)));
        assert_eq!(rules[1].ports, Some("3380-3390".parse().unwrap()));
        assert_eq!((rules[2].protocol.as_str(), rules[2].ports), ("icmp", None));
        assert!(rules.iter().all(|r| r.priority == Some(900)));
        let only = IngressRule {
            protocol: "tcp".into(),
            ports: PortRange::one(22),
            source: "0.0.0.0/0".into(),
        };
        assert!(!allows_only(&f, &only), "it allows more than that");
    }
}
