//! The sandbox accounts' networks through the provider interface: listed per scope as their
//! instances are, changed under the world's lock, with an operation to follow on GCP and Azure.

use crate::domain::network::{
    made_by_nephos, InstanceNetwork, NetKind, NetRef, Network, NetworkSet, SecurityGroup, Subnet,
};
use crate::domain::{ProviderKind, Tags};
use crate::providers::{
    ErrorKind, ListScope, NetApplied, NetworkRequest, OperationHandle, ProviderError, Result,
    ScopeLevel,
};

use super::net_world::{GroupRec, NetRec, SubnetRec};
use super::rules::networks as rules;
use super::world::{OpRec, World};
use super::{convert, Reading, SandboxProvider};

fn tags(pairs: &[(crate::domain::Str, crate::domain::Str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Which records one list call returns (as the instance lists reach).
struct Reach {
    provider: ProviderKind,
    level: ScopeLevel,
    name: String,
    regions: Vec<String>,
}

impl Reach {
    fn holds(&self, provider: ProviderKind, region: &str, group: &str) -> bool {
        provider == self.provider
            && (region == "global" || self.regions.iter().any(|r| r == region))
            && match self.level {
                ScopeLevel::Region => region == self.name,
                ScopeLevel::ResourceGroup => group.eq_ignore_ascii_case(&self.name),
                ScopeLevel::Project | ScopeLevel::Subscription => true,
            }
    }
}

pub(super) struct Conv<'a> {
    pub account: &'a str,
}

impl Conv<'_> {
    fn r(&self, p: ProviderKind, region: &str, kind: NetKind, id: &str) -> NetRef {
        NetRef::new(p, self.account, region, kind, id)
    }

    fn net_ref(&self, w: &World, p: ProviderKind, id: &str) -> NetRef {
        let region = w
            .nets
            .networks
            .iter()
            .find(|n| n.provider == p && n.id == id)
            .map_or("global", |n| n.region.as_str());
        self.r(p, region, NetKind::Network, id)
    }

    pub fn network(&self, n: &NetRec) -> Network {
        let tags = tags(&n.tags);
        Network {
            r#ref: self.r(n.provider, &n.region, NetKind::Network, &n.id),
            name: n.name.clone(),
            cidrs: n.cidrs.clone(),
            made_by_nephos: made_by_nephos(&tags),
            tags,
        }
    }

    fn subnet(&self, w: &World, s: &SubnetRec) -> Subnet {
        Subnet {
            r#ref: self.r(s.provider, &s.region, NetKind::Subnet, &s.id),
            network: self.net_ref(w, s.provider, &s.network_id),
            name: s.name.clone(),
            cidr: s.cidr.clone(),
            zone: s.zone.clone(),
        }
    }

    fn group(&self, w: &World, g: &GroupRec) -> SecurityGroup {
        SecurityGroup {
            r#ref: self.r(g.provider, &g.region, NetKind::SecurityGroup, &g.id),
            name: g.name.clone(),
            network: g
                .network_id
                .as_ref()
                .map(|id| self.net_ref(w, g.provider, id)),
            rules: g.rules.clone(),
            tags: Tags::new(),
        }
    }

    fn set(&self, w: &World, reach: &Reach) -> NetworkSet {
        let nets = &w.nets;
        let mut set = NetworkSet {
            networks: nets
                .networks
                .iter()
                .filter(|n| reach.holds(n.provider, &n.region, &n.group))
                .map(|n| self.network(n))
                .collect(),
            subnets: nets
                .subnets
                .iter()
                .filter(|s| reach.holds(s.provider, &s.region, &group_of(w, s)))
                .map(|s| self.subnet(w, s))
                .collect(),
            groups: nets
                .groups
                .iter()
                .filter(|g| reach.holds(g.provider, &g.region, &g.group))
                .map(|g| self.group(w, g))
                .collect(),
            links: Vec::new(),
        };
        for vm in w
            .instances
            .iter()
            .filter(|v| !v.is_terminated() && reach.holds(v.provider, &v.region, &v.group))
        {
            let Some(net) = nets.network_of(vm) else {
                continue;
            };
            set.links.push(InstanceNetwork {
                instance: convert::vm_ref(vm),
                network: self.r(vm.provider, &net.region, NetKind::Network, &net.id),
                subnet: nets
                    .subnet_of(vm, net)
                    .map(|s| self.r(s.provider, &s.region, NetKind::Subnet, &s.id)),
                groups: nets
                    .groups_of(vm, net)
                    .iter()
                    .map(|g| self.r(g.provider, &g.region, NetKind::SecurityGroup, &g.id))
                    .collect(),
            });
        }
        set
    }
}

/// A subnet's Azure resource group: its network's.
fn group_of(w: &World, s: &SubnetRec) -> String {
    w.nets
        .networks
        .iter()
        .find(|n| n.provider == s.provider && n.id == s.network_id)
        .map(|n| n.group.to_string())
        .unwrap_or_default()
}

impl SandboxProvider {
    fn owns(&self, r: &NetRef) -> Result<()> {
        self.refuse_foreign(r.provider, &r.account, r)
    }

    pub(super) async fn networks_in(&self, scope: &ListScope) -> Result<NetworkSet> {
        if !self
            .scopes(crate::domain::ResourceKind::Instance)
            .contains(scope)
        {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!("account {} does not list {scope}", self.shape.account),
            ));
        }
        self.scope_fault(scope)?;
        let reach = Reach {
            provider: self.p(),
            level: scope.level,
            name: scope.name.to_string(),
            regions: self.info.regions.clone(),
        };
        let account = self.shape.account;
        self.cloud
            .read_store(Reading::AfterInstances, move |s, _| {
                Ok(Conv { account }.set(s.loaded().expect("whole"), &reach))
            })
            .await
    }

    pub(super) async fn change_network(&self, req: &NetworkRequest) -> Result<NetApplied> {
        req.validate()?;
        let p = self.p();
        let account = self.shape.account;
        let region = match req {
            NetworkRequest::CreateNetwork {
                account: a, region, ..
            } => {
                if a != account {
                    return Err(ProviderError::new(
                        ErrorKind::Invalid,
                        format!("the request is for account {a}, not {account}"),
                    ));
                }
                region.clone()
            }
            NetworkRequest::DeleteNetwork { network: r }
            | NetworkRequest::AddIngressRule { group: r, .. }
            | NetworkRequest::RemoveIngressRule { group: r, .. } => {
                self.owns(r)?;
                r.region.to_string()
            }
        };
        self.fault(Some(&region))?;
        let with_operation = p != ProviderKind::Aws;
        let req = req.clone();
        self.cloud
            .write(move |w, now| {
                let conv = Conv { account };
                let target = match &req {
                    NetworkRequest::CreateNetwork {
                        name,
                        region,
                        cidr,
                        subnet_cidr,
                        ..
                    } => {
                        let n = rules::create_network(w, p, name, region, cidr, subnet_cidr)?;
                        conv.network(&n).r#ref
                    }
                    NetworkRequest::DeleteNetwork { network } => {
                        rules::delete_network(w, network)?;
                        network.clone()
                    }
                    NetworkRequest::AddIngressRule { group, rule } => {
                        rules::add_ingress(w, group, rule)?;
                        group.clone()
                    }
                    NetworkRequest::RemoveIngressRule { group, rule } => {
                        rules::remove_ingress(w, group, rule)?;
                        group.clone()
                    }
                };
                let operation = with_operation.then(|| {
                    let id = format!("operation-{}-{}", now.ms, w.next_serial());
                    w.ops.push(OpRec {
                        id: id.as_str().into(),
                        done_ms: now.ms + now.step_ms,
                        error: None,
                    });
                    OperationHandle(id)
                });
                Ok(NetApplied { target, operation })
            })
            .await
    }
}
