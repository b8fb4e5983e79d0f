//! Changes to load balancers. nephos creates a network load balancer as a usable whole: a
//! target pool and a regional forwarding rule (TCP port 80) of the same name, the rule labelled
//! `created-by=nephos` and the pool described as made by nephos; deleting such a rule deletes
//! its pool too. Register and deregister add instances to, and remove them from, the target
//! pool behind a rule; a backend service's members are its instance groups', which nephos does
//! not change.

use google_cloud_gax::options::RequestOptionsBuilder as _;

use crate::providers::gcp::session::request_id;
use google_cloud_compute_v1::model;

use super::target_pools::{is_pool, pool_key};
use crate::domain::{
    Instance, LbKind, LbScheme, LoadBalancer, ProviderKind, ResourceKind, ResourceRef,
};
use crate::providers::gcp::{errors, operations, step_wait, urls, GcpProvider};
use crate::providers::{Applied, ErrorKind, LbSpec, ProviderError, Result};

/// The label nephos puts on what it creates.
pub const CREATED_BY: (&str, &str) = ("created-by", "nephos");

impl GcpProvider {
    pub(in crate::providers::gcp) async fn create_lb(&self, spec: &LbSpec) -> Result<Applied> {
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
            .set_request_id(request_id())
            .with_idempotency(true)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        operations::finish(c, p, &op, poll, limit).await?;
        let mut labels = crate::providers::gcp::actions::labels(&spec.tags);
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
            .set_request_id(request_id())
            .with_idempotency(true)
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
                    .set_request_id(request_id())
                    .with_idempotency(true)
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

    pub(in crate::providers::gcp) async fn delete_lb(&self, lb: &LoadBalancer) -> Result<Applied> {
        let fr = self.get_forwarding_rule(&lb.r#ref).await?;
        let c = self.session.clients().await?;
        let p = self.project();
        let sent = if lb.r#ref.region == "global" {
            c.global_forwarding_rules
                .delete()
                .set_project(p)
                .set_forwarding_rule(lb.r#ref.id.as_str())
                .set_request_id(request_id())
                .with_idempotency(true)
                .send()
                .await
        } else {
            c.forwarding_rules
                .delete()
                .set_project(p)
                .set_region(lb.r#ref.region.as_str())
                .set_forwarding_rule(lb.r#ref.id.as_str())
                .set_request_id(request_id())
                .with_idempotency(true)
                .send()
                .await
        };
        let op = sent.map_err(errors::from_sdk)?;
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
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
                    .map_err(errors::from_sdk)?;
                self.accepted(lb.r#ref.clone(), &op)
            }
            _ => self.accepted(lb.r#ref.clone(), &op),
        }
    }

    /// Register or deregister instances with the target pool behind a forwarding rule.
    pub(in crate::providers::gcp) async fn change_pool(
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
            let zone = crate::providers::gcp::listing::zone_of(&t.r#ref)?;
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
                .set_request_id(request_id())
                .with_idempotency(true)
                .send()
                .await
        } else {
            c.target_pools
                .remove_instance()
                .set_project(p)
                .set_region(&region)
                .set_target_pool(&pool)
                .set_body(model::TargetPoolsRemoveInstanceRequest::new().set_instances(refs))
                .set_request_id(request_id())
                .with_idempotency(true)
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
