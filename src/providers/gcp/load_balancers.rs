//! Load balancers as an operator means them: a regional forwarding rule (its address, protocol
//! and ports) with the instances behind it. Behind a target pool those are the pool's
//! `instances`, with health from `targetPools.getHealth` when one is described. Rules that point
//! at a backend service or an HTTP(S) proxy are shown with their kind and no targets (their
//! instances live in instance groups, which this build does not read). Global forwarding rules
//! are not read (the crate's service for them is not compiled in).
//!
//! nephos creates a network load balancer as a usable whole: a target pool and a regional
//! forwarding rule (TCP port 80) of the same name, the rule labelled `created-by=nephos` and
//! the pool described as made by nephos; deleting such a rule deletes its pool too.

use std::collections::HashMap;

use futures_util::future::join_all;
use google_cloud_compute_v1::model;

use super::listing::Page;
use super::{convert, errors, operations, step_wait, urls, GcpProvider};
use crate::domain::{
    Described, Instance, LbKind, LbScheme, LoadBalancer, ProviderKind, Resource, ResourceKind,
    ResourceRef, Target,
};
use crate::providers::{Applied, ErrorKind, LbSpec, ProviderError, Result};

/// The label nephos puts on what it creates.
pub const CREATED_BY: (&str, &str) = ("created-by", "nephos");

/// A target pool's place, from its URL: (region, name).
fn pool_key(url: &str) -> Option<(String, String)> {
    Some((
        urls::segment(url, "regions")?.to_string(),
        urls::last(url).to_string(),
    ))
}

fn is_pool(url: &str) -> bool {
    url.contains("/targetPools/")
}

impl GcpProvider {
    // The load balancers' lists do not check `unreachables` (as before): their pages say
    // none.
    async fn all_forwarding_rules(&self) -> Result<Vec<model::ForwardingRule>> {
        let c = self.session.clients().await?;
        self.every_page(|token| {
            let req = c
                .forwarding_rules
                .aggregated_list()
                .set_project(self.project())
                .set_max_results(self.page_size());
            async move {
                let req = match token {
                    Some(t) => req.set_page_token(t),
                    None => req,
                };
                let page = req.send().await.map_err(errors::from_sdk)?;
                Ok(Page {
                    items: page
                        .items
                        .into_values()
                        .flat_map(|s| s.forwarding_rules)
                        .collect(),
                    unreachables: Vec::new(),
                    next: page.next_page_token,
                })
            }
        })
        .await
    }

    async fn all_target_pools(&self) -> Result<HashMap<(String, String), model::TargetPool>> {
        let c = self.session.clients().await?;
        let pools = self
            .every_page(|token| {
                let req = c
                    .target_pools
                    .aggregated_list()
                    .set_project(self.project())
                    .set_max_results(self.page_size());
                async move {
                    let req = match token {
                        Some(t) => req.set_page_token(t),
                        None => req,
                    };
                    let page = req.send().await.map_err(errors::from_sdk)?;
                    Ok(Page {
                        items: page
                            .items
                            .into_values()
                            .flat_map(|s| s.target_pools)
                            .collect(),
                        unreachables: Vec::new(),
                        next: page.next_page_token,
                    })
                }
            })
            .await?;
        Ok(pools
            .into_iter()
            .filter_map(|pool| Some((pool.self_link.as_deref().and_then(pool_key)?, pool)))
            .collect())
    }

    pub(super) async fn list_load_balancers(&self) -> Result<Vec<LoadBalancer>> {
        let mut rules = self.all_forwarding_rules().await?;
        rules.retain(|f| self.in_regions(&convert::lb_region(f)));
        let pools = if rules
            .iter()
            .any(|f| f.target.as_deref().is_some_and(is_pool))
        {
            self.all_target_pools().await?
        } else {
            HashMap::new()
        };
        let account = self.account_name();
        Ok(rules
            .iter()
            .map(|f| {
                let targets = f
                    .target
                    .as_deref()
                    .and_then(pool_key)
                    .and_then(|k| pools.get(&k))
                    .map(|p| convert::pool_targets(account, p))
                    .unwrap_or_default();
                convert::load_balancer(account, f, targets)
            })
            .collect())
    }

    pub(super) async fn get_forwarding_rule(
        &self,
        r: &ResourceRef,
    ) -> Result<model::ForwardingRule> {
        if r.region == "global" {
            return Err(ProviderError::unsupported(
                "global forwarding rules are not read by this build of nephos (regional ones are)",
            ));
        }
        let c = self.session.clients().await?;
        c.forwarding_rules
            .get()
            .set_project(self.project())
            .set_region(r.region.as_str())
            .set_forwarding_rule(r.id.as_str())
            .send()
            .await
            .map_err(errors::from_sdk)
    }

    async fn get_pool(&self, region: &str, name: &str) -> Result<model::TargetPool> {
        let c = self.session.clients().await?;
        c.target_pools
            .get()
            .set_project(self.project())
            .set_region(region)
            .set_target_pool(name)
            .send()
            .await
            .map_err(errors::from_sdk)
    }

    pub(super) async fn describe_load_balancer(&self, r: &ResourceRef) -> Result<Described> {
        let fr = self.get_forwarding_rule(r).await?;
        let mut raw = serde_json::json!({ "forwardingRule": &fr });
        let mut targets: Vec<Target> = Vec::new();
        if let Some((region, pool)) = fr
            .target
            .as_deref()
            .filter(|t| is_pool(t))
            .and_then(pool_key)
        {
            let pool = self.get_pool(&region, &pool).await?;
            targets = convert::pool_targets(self.account_name(), &pool);
            let c = self.session.clients().await?;
            let health = join_all(pool.instances.iter().map(|url| {
                c.target_pools
                    .get_health()
                    .set_project(self.project())
                    .set_region(&region)
                    .set_target_pool(pool.name.as_deref().unwrap_or_default())
                    .set_body(model::InstanceReference::new().set_instance(url.as_str()))
                    .send()
            }))
            .await;
            let mut seen = Vec::new();
            for (t, h) in targets.iter_mut().zip(health) {
                match h {
                    Ok(h) => {
                        if let Some(s) = h.health_status.first() {
                            t.health = convert::health(s);
                        }
                        seen.push(serde_json::to_value(&h).unwrap_or_default());
                    }
                    // Health is extra: a target whose health cannot be read shows unknown.
                    Err(e) => tracing::debug!(error = %errors::from_sdk(e), "getHealth failed"),
                }
            }
            raw["targetPool"] = serde_json::to_value(&pool).unwrap_or_default();
            raw["health"] = serde_json::Value::Array(seen);
        }
        Ok(Described {
            resource: Resource::LoadBalancer(convert::load_balancer(
                self.account_name(),
                &fr,
                targets,
            )),
            raw,
        })
    }

    pub(super) async fn create_lb(&self, spec: &LbSpec) -> Result<Applied> {
        if spec.kind != LbKind::Network || spec.scheme != LbScheme::InternetFacing {
            return Err(ProviderError::unsupported(format!(
                "nephos creates GCP network load balancers that face the internet (a target pool and a forwarding rule), not {} {} ones",
                spec.scheme.as_str(),
                spec.kind.as_str()
            )));
        }
        let (p, region, name) = (self.project(), spec.region.as_str(), spec.name.as_str());
        let c = self.session.clients().await?;
        let (poll, limit) = step_wait(&self.session.settings);
        let pool = model::TargetPool::new()
            .set_name(name)
            .set_description(format!("created by nephos for forwarding rule {name}"));
        let op = c
            .target_pools
            .insert()
            .set_project(p)
            .set_region(region)
            .set_body(pool)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        operations::finish(c, p, &op, poll, limit).await?;
        let mut labels = super::actions::labels(&spec.tags);
        labels.push((CREATED_BY.0.into(), CREATED_BY.1.into()));
        let rule = model::ForwardingRule::new()
            .set_name(name)
            .set_description("created by nephos")
            .set_target(urls::regional(p, region, "targetPools", name))
            .set_ip_protocol(model::forwarding_rule::IPProtocol::Tcp)
            .set_port_range("80")
            .set_load_balancing_scheme(model::forwarding_rule::LoadBalancingScheme::External)
            .set_labels(labels);
        let sent = c
            .forwarding_rules
            .insert()
            .set_project(p)
            .set_region(region)
            .set_body(rule)
            .send()
            .await
            .map_err(errors::from_sdk);
        let op = match sent {
            Ok(op) => op,
            Err(e) => {
                // Leave nothing half-made behind.
                let _ = c
                    .target_pools
                    .delete()
                    .set_project(p)
                    .set_region(region)
                    .set_target_pool(name)
                    .send()
                    .await;
                return Err(e);
            }
        };
        let target = ResourceRef::new(
            ProviderKind::Gcp,
            self.account_name(),
            region,
            ResourceKind::LoadBalancer,
            name,
        );
        self.accepted(target, &op)
    }

    pub(super) async fn delete_lb(&self, lb: &LoadBalancer) -> Result<Applied> {
        let fr = self.get_forwarding_rule(&lb.r#ref).await?;
        let c = self.session.clients().await?;
        let p = self.project();
        let op = c
            .forwarding_rules
            .delete()
            .set_project(p)
            .set_region(lb.r#ref.region.as_str())
            .set_forwarding_rule(lb.r#ref.id.as_str())
            .send()
            .await
            .map_err(errors::from_sdk)?;
        let made_by_us = fr.labels.get(CREATED_BY.0).map(String::as_str) == Some(CREATED_BY.1);
        let pool = fr
            .target
            .as_deref()
            .filter(|t| is_pool(t))
            .and_then(pool_key);
        match (made_by_us, pool) {
            (true, Some((region, pool))) => {
                let (poll, limit) = step_wait(&self.session.settings);
                operations::finish(c, p, &op, poll, limit).await?;
                let op = c
                    .target_pools
                    .delete()
                    .set_project(p)
                    .set_region(region)
                    .set_target_pool(pool)
                    .send()
                    .await
                    .map_err(errors::from_sdk)?;
                self.accepted(lb.r#ref.clone(), &op)
            }
            _ => self.accepted(lb.r#ref.clone(), &op),
        }
    }

    /// Register or deregister instances with the target pool behind a forwarding rule.
    pub(super) async fn change_pool(
        &self,
        lb: &LoadBalancer,
        targets: &[Instance],
        add: bool,
    ) -> Result<Applied> {
        let fr = self.get_forwarding_rule(&lb.r#ref).await?;
        let Some((region, pool)) = fr
            .target
            .as_deref()
            .filter(|t| is_pool(t))
            .and_then(pool_key)
        else {
            return Err(ProviderError::new(
                ErrorKind::Unsupported,
                format!(
                    "{} forwards to {}, not a target pool: change the instance groups of its backend service instead",
                    lb.name,
                    fr.target.as_deref().or(fr.backend_service.as_deref()).unwrap_or("nothing")
                ),
            ));
        };
        let p = self.project();
        let mut refs = Vec::new();
        for t in targets {
            let zone = super::listing::zone_of(&t.r#ref)?;
            refs.push(model::InstanceReference::new().set_instance(urls::zonal(
                p,
                zone,
                "instances",
                &t.r#ref.id,
            )));
        }
        let c = self.session.clients().await?;
        let sent = if add {
            c.target_pools
                .add_instance()
                .set_project(p)
                .set_region(&region)
                .set_target_pool(&pool)
                .set_body(model::TargetPoolsAddInstanceRequest::new().set_instances(refs))
                .send()
                .await
        } else {
            c.target_pools
                .remove_instance()
                .set_project(p)
                .set_region(&region)
                .set_target_pool(&pool)
                .set_body(model::TargetPoolsRemoveInstanceRequest::new().set_instances(refs))
                .send()
                .await
        };
        let op = sent.map_err(errors::from_sdk)?;
        // Followed here: the next read of the load balancer shows the change.
        let (poll, limit) = step_wait(&self.session.settings);
        let h = operations::finish(c, p, &op, poll, limit).await?;
        Ok(Applied::to(lb.r#ref.clone(), Some(h)))
    }
}
