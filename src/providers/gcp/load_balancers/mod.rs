//! Load balancers as an operator means them: a forwarding rule (its address, protocol and
//! ports), regional or global, with the instances behind it.
//!
//! - Behind a target pool (`target` is a `targetPools` URL): the pool's `instances`, with health
//!   from `targetPools.getHealth` when one is described (`target_pools.rs`).
//! - Behind a backend service (`backendService` of a passthrough rule, or `target` an HTTP(S)
//!   proxy whose URL map's default service is one): the instances of the service's zonal
//!   instance groups (`instanceGroups.listInstances`), with health from
//!   `backendServices.getHealth` / `regionBackendServices.getHealth` per group when one is
//!   described (`backend_services.rs`).
//!
//! Reads stay inside the read quota: the regional rules come from one aggregated list per page,
//! the global ones from `globalForwardingRules.list`; pools, backend services, proxies and URL
//! maps each from one aggregated list, asked only when some rule needs them; then one
//! `listInstances` per instance group. Changes (create, delete, register) are in `change.rs`.

mod backend_services;
mod change;
mod target_pools;

use std::collections::{HashMap, HashSet};

use google_cloud_compute_v1::model;

use super::listing::{aggregated, global_list};
use super::{convert, errors, GcpProvider};
use crate::domain::{Described, LoadBalancer, Resource, ResourceRef, Target};
use crate::providers::Result;

/// A resource's key whatever host its URL names: the path from `projects/` on.
pub(super) fn url_key(url: &str) -> &str {
    url.find("projects/").map_or(url, |i| &url[i..])
}

/// What a forwarding rule forwards to.
enum Behind<'a> {
    Pool(&'a str),
    /// A backend service, directly (`backendService`) or through an HTTP(S) proxy.
    Service,
    Nothing,
}

fn behind(fr: &model::ForwardingRule) -> Behind<'_> {
    match (fr.target.as_deref(), fr.backend_service.as_deref()) {
        (_, Some(_)) => Behind::Service,
        (Some(t), _) if target_pools::is_pool(t) => Behind::Pool(t),
        (Some(t), _) if backend_services::is_proxy(t) => Behind::Service,
        _ => Behind::Nothing,
    }
}

impl GcpProvider {
    async fn regional_forwarding_rules(&self) -> Result<Vec<model::ForwardingRule>> {
        let c = self.session.clients().await?;
        aggregated!(self, c.forwarding_rules, forwarding_rules)
    }

    async fn global_forwarding_rules(&self) -> Result<Vec<model::ForwardingRule>> {
        let c = self.session.clients().await?;
        global_list!(self, c.global_forwarding_rules)
    }

    /// Every forwarding rule in the configured regions, and every global one (a global load
    /// balancer serves every region). A rule both lists return is kept once.
    async fn all_forwarding_rules(&self) -> Result<Vec<model::ForwardingRule>> {
        let mut rules = self.regional_forwarding_rules().await?;
        rules.extend(self.global_forwarding_rules().await?);
        let mut seen = HashSet::new();
        rules.retain(|f| {
            let region = convert::lb_region(f);
            let link = f.self_link.clone().unwrap_or_default();
            (region == "global" || self.in_regions(&region))
                && (link.is_empty() || seen.insert(url_key(&link).to_string()))
        });
        Ok(rules)
    }

    pub(super) async fn list_load_balancers(&self) -> Result<Vec<LoadBalancer>> {
        let rules = self.all_forwarding_rules().await?;
        let pools = if rules.iter().any(|f| matches!(behind(f), Behind::Pool(_))) {
            self.all_target_pools().await?
        } else {
            HashMap::new()
        };
        let services: Vec<&model::ForwardingRule> = rules
            .iter()
            .filter(|f| matches!(behind(f), Behind::Service))
            .collect();
        let backends = self.backends_for(&services).await?;
        let account = self.account_name();
        Ok(rules
            .iter()
            .map(|f| {
                let (targets, service) = match behind(f) {
                    Behind::Pool(t) => (
                        pools
                            .get(url_key(t))
                            .map(|p| convert::pool_targets(account, p))
                            .unwrap_or_default(),
                        None,
                    ),
                    Behind::Service => {
                        let s = backends.service_of(f);
                        (backends.targets(account, s), s)
                    }
                    Behind::Nothing => (Vec::new(), None),
                };
                convert::load_balancer(account, f, service, targets)
            })
            .collect())
    }

    pub(super) async fn get_forwarding_rule(
        &self,
        r: &ResourceRef,
    ) -> Result<model::ForwardingRule> {
        let c = self.session.clients().await?;
        if r.region == "global" {
            return c
                .global_forwarding_rules
                .get()
                .set_project(self.project())
                .set_forwarding_rule(r.id.as_str())
                .send()
                .await
                .map_err(errors::from_sdk);
        }
        c.forwarding_rules
            .get()
            .set_project(self.project())
            .set_region(r.region.as_str())
            .set_forwarding_rule(r.id.as_str())
            .send()
            .await
            .map_err(errors::from_sdk)
    }

    pub(super) async fn describe_load_balancer(&self, r: &ResourceRef) -> Result<Described> {
        let fr = self.get_forwarding_rule(r).await?;
        let mut raw = serde_json::json!({ "forwardingRule": &fr });
        let account = self.account_name();
        let lb = match behind(&fr) {
            Behind::Pool(url) => {
                let (targets, pool_raw, health) = self.pool_with_health(url).await?;
                raw["targetPool"] = pool_raw;
                raw["health"] = health;
                convert::load_balancer(account, &fr, None, targets)
            }
            Behind::Service => {
                let backends = self.backends_for(&[&fr]).await?;
                let service = backends.service_of(&fr);
                let mut targets = backends.targets(account, service);
                if let Some(s) = service {
                    raw["backendService"] = serde_json::to_value(s).unwrap_or_default();
                    raw["health"] = self.service_health(s, &mut targets).await?;
                }
                convert::load_balancer(account, &fr, service, targets)
            }
            Behind::Nothing => convert::load_balancer(account, &fr, None, Vec::new()),
        };
        Ok(Described {
            resource: Resource::LoadBalancer(lb),
            raw,
        })
    }
}

/// Set each target's health from `getHealth` answers (`instance` URL → state).
fn apply_health(targets: &mut [Target], statuses: &[model::HealthStatus], account: &str) {
    for h in statuses {
        let Some(r) = h
            .instance
            .as_deref()
            .and_then(|u| convert::instance_ref(account, u))
        else {
            continue;
        };
        if let Some(t) = targets.iter_mut().find(|t| t.instance == r) {
            t.health = convert::health(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_keyed_from_projects_on() {
        assert_eq!(
            url_key("https://compute.googleapis.com/compute/v1/projects/p/global/urlMaps/m"),
            "projects/p/global/urlMaps/m"
        );
        assert_eq!(
            url_key("https://www.googleapis.com/compute/v1/projects/p/global/urlMaps/m"),
            "projects/p/global/urlMaps/m"
        );
    }

    #[test]
    fn a_rule_forwards_to_a_pool_a_service_or_nothing_known() {
        let fr = |j| serde_json::from_value::<model::ForwardingRule>(j).unwrap();
        let base = "https://www.googleapis.com/compute/v1/projects/p";
        let pool = fr(serde_json::json!({"target": format!("{base}/regions/r/targetPools/x")}));
        assert!(matches!(behind(&pool), Behind::Pool(_)));
        let svc = fr(
            serde_json::json!({"backendService": format!("{base}/regions/r/backendServices/x")}),
        );
        assert!(matches!(behind(&svc), Behind::Service));
        let proxy =
            fr(serde_json::json!({"target": format!("{base}/global/targetHttpsProxies/x")}));
        assert!(matches!(behind(&proxy), Behind::Service));
        let other = fr(serde_json::json!({"target": format!("{base}/global/targetTcpProxies/x")}));
        assert!(matches!(behind(&other), Behind::Nothing));
    }
}
