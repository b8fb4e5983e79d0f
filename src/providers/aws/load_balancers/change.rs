//! Changes to an existing load balancer: register and deregister instances, tags, delete.

use std::time::Duration;

use aws_sdk_elasticloadbalancingv2::types as elb;

use super::{elb_tag, CREATED_BY, FOR_LB};
use crate::domain::{Instance, LbState, LoadBalancer, ResourceRef, Tags, Target, TargetHealth};
use crate::providers::aws::AwsProvider;
use crate::providers::{ErrorKind, ProviderError, Result};

impl AwsProvider {
    /// The instance target groups behind `lb`, the one nephos created for it first.
    async fn groups_of(&self, lb: &LoadBalancer) -> Result<Vec<elb::TargetGroup>> {
        let c = self.session.region(&lb.r#ref.region).await;
        c.elb_budget.take().await;
        let out = c
            .elb
            .describe_target_groups()
            .load_balancer_arn(lb.id())
            .send()
            .await
            .map_err(|e| self.err(e))?;
        let mut groups: Vec<elb::TargetGroup> = out
            .target_groups()
            .iter()
            .filter(|g| {
                g.target_type()
                    .is_none_or(|t| *t == elb::TargetTypeEnum::Instance)
            })
            .cloned()
            .collect();
        groups.sort_by_key(|g| g.target_group_name() != Some(lb.name.as_str()));
        Ok(groups)
    }

    /// Register `targets` with the LB's (first) instance target group, or deregister them from
    /// every group that has them.
    pub(in crate::providers::aws) async fn change_targets(
        &self,
        lb: &LoadBalancer,
        targets: &[Instance],
        register: bool,
    ) -> Result<LoadBalancer> {
        let groups = self.groups_of(lb).await?;
        let Some(first) = groups.first() else {
            return Err(ProviderError::new(
                ErrorKind::InvalidState,
                format!(
                    "{} has no instance target group to {} instances with",
                    lb.name,
                    if register { "register" } else { "deregister" }
                ),
            ));
        };
        let c = self.session.region(&lb.r#ref.region).await;
        let descs = targets
            .iter()
            .map(|i| elb::TargetDescription::builder().id(i.id()).build())
            .collect::<Vec<_>>();
        let mut now = lb.clone();
        if register {
            c.elb
                .register_targets()
                .target_group_arn(first.target_group_arn().unwrap_or_default())
                .set_targets(Some(descs))
                .send()
                .await
                .map_err(|e| self.err(e))?;
            for i in targets {
                if !now.targets.iter().any(|t| t.instance == i.r#ref) {
                    now.targets.push(Target {
                        instance: i.r#ref.clone(),
                        health: TargetHealth::Initial,
                    });
                }
            }
        } else {
            for g in &groups {
                let tg = g.target_group_arn().unwrap_or_default();
                c.elb_budget.take().await;
                let health = c
                    .elb
                    .describe_target_health()
                    .target_group_arn(tg)
                    .send()
                    .await
                    .map_err(|e| self.err(e))?;
                let present: Vec<elb::TargetDescription> = health
                    .target_health_descriptions()
                    .iter()
                    .filter_map(|h| h.target())
                    .filter(|t| targets.iter().any(|i| t.id() == Some(i.id())))
                    .cloned()
                    .collect();
                if present.is_empty() {
                    continue;
                }
                c.elb
                    .deregister_targets()
                    .target_group_arn(tg)
                    .set_targets(Some(present))
                    .send()
                    .await
                    .map_err(|e| self.err(e))?;
            }
            for t in now.targets.iter_mut() {
                if targets.iter().any(|i| i.r#ref == t.instance) {
                    t.health = TargetHealth::Draining;
                }
            }
        }
        Ok(now)
    }

    /// The LB (AWS deletes its listeners with it; with deletion protection on, nothing goes),
    /// then the target groups nephos created for it, once AWS lets go of them.
    pub(in crate::providers::aws) async fn delete_lb(
        &self,
        lb: &LoadBalancer,
    ) -> Result<LoadBalancer> {
        let c = self.session.region(&lb.r#ref.region).await;
        let groups = self.groups_of(lb).await?;
        let arns: Vec<String> = groups
            .iter()
            .filter_map(|g| g.target_group_arn().map(String::from))
            .collect();
        let mut ours = Vec::new();
        for chunk in arns.chunks(20) {
            for (arn, tags) in self.tags_of(&c, chunk).await? {
                let has = |k: &str, v: &str| {
                    tags.iter()
                        .any(|t| t.key() == Some(k) && t.value() == Some(v))
                };
                if has(CREATED_BY.0, CREATED_BY.1) && has(FOR_LB, &lb.name) {
                    ours.push(arn);
                }
            }
        }
        c.elb
            .delete_load_balancer()
            .load_balancer_arn(lb.id())
            .send()
            .await
            .map_err(|e| self.err(e))?;
        for tg in ours {
            // AWS may take a moment to let go of the group after the LB is deleted.
            let mut tries = 0;
            loop {
                match c
                    .elb
                    .delete_target_group()
                    .target_group_arn(&tg)
                    .send()
                    .await
                {
                    Ok(_) => break,
                    Err(e) => {
                        let e = self.err(e);
                        tries += 1;
                        if e.kind != ErrorKind::InUse || tries >= 10 {
                            tracing::warn!(target_group = %tg, error = %e, "target group left behind");
                            break;
                        }
                        tokio::time::sleep(Duration::from_secs(2)).await;
                    }
                }
            }
        }
        let mut now = lb.clone();
        now.state = LbState::Deleting;
        now.provider_state = "deleting".into();
        Ok(now)
    }

    pub(in crate::providers::aws) async fn tag_load_balancer(
        &self,
        r: &ResourceRef,
        set: &Tags,
        remove: &[String],
    ) -> Result<()> {
        let c = self.session.region(&r.region).await;
        if !set.is_empty() {
            let tags = set.iter().map(|(k, v)| elb_tag(k, v)).collect();
            c.elb
                .add_tags()
                .resource_arns(r.id.as_str())
                .set_tags(Some(tags))
                .send()
                .await
                .map_err(|e| self.err(e))?;
        }
        if !remove.is_empty() {
            c.elb
                .remove_tags()
                .resource_arns(r.id.as_str())
                .set_tag_keys(Some(remove.to_vec()))
                .send()
                .await
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }
}
