//! ELBv2 load balancers as one thing an operator manages: the load balancer, the target groups
//! forwarding to instances, and their targets' health. This file reads them; `create.rs` builds
//! a usable whole (LB in two zones of the default VPC, a target group, a listener on port 80, all
//! tagged `created-by=nephos`); `change.rs` registers, deregisters, tags and deletes (the LB, then
//! the target groups nephos made for it).

mod change;
mod create;

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::types as elb;
use futures_util::StreamExt;

use aws_sdk_elasticloadbalancingv2::operation::describe_tags::DescribeTagsOutput;

use super::errors::absent_ok;
use super::session::RegionClients;
use super::{raw, AwsProvider};
use crate::domain::{
    Described, LbKind, LbScheme, LoadBalancer, ProviderKind, Resource, ResourceKind, ResourceRef,
    Tags, Target, TargetHealth,
};
use crate::providers::state_map;
use crate::providers::{ErrorKind, ProviderError, Result};

/// The tag nephos puts on what it creates, and the one naming the LB a target group serves.
pub const CREATED_BY: (&str, &str) = ("created-by", "nephos");
const FOR_LB: &str = "nephos:load-balancer";

fn elb_tag(k: &str, v: &str) -> elb::Tag {
    elb::Tag::builder().key(k).value(v).build()
}

/// One LB, its groups with their targets' health, and its tags, as the domain sees it.
pub fn to_domain(
    account: &str,
    region: &str,
    lb: &elb::LoadBalancer,
    groups: &[(&elb::TargetGroup, &[elb::TargetHealthDescription])],
    tags: &[elb::Tag],
) -> LoadBalancer {
    let arn = lb.load_balancer_arn().unwrap_or_default();
    let word = lb
        .state()
        .and_then(|s| s.code())
        .map(|c| c.as_str())
        .unwrap_or("provisioning");
    let mut targets: Vec<Target> = Vec::new();
    for (g, health) in groups {
        if g.target_type()
            .is_some_and(|t| *t != elb::TargetTypeEnum::Instance)
        {
            continue; // ip and lambda targets are not instances
        }
        for h in health.iter() {
            let Some(id) = h.target().and_then(|t| t.id()) else {
                continue;
            };
            if targets.iter().any(|t| t.instance.id == id) {
                continue;
            }
            let state = h
                .target_health()
                .and_then(|t| t.state())
                .map(|s| state_map::aws_target(s.as_str()))
                .unwrap_or(TargetHealth::Unknown);
            targets.push(Target {
                instance: ResourceRef::new(
                    ProviderKind::Aws,
                    account,
                    region,
                    ResourceKind::Instance,
                    id,
                ),
                health: state,
            });
        }
    }
    let tags: Tags = tags
        .iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or(""))))
        .collect();
    LoadBalancer {
        uid: None,
        r#ref: ResourceRef::new(
            ProviderKind::Aws,
            account,
            region,
            ResourceKind::LoadBalancer,
            arn,
        ),
        sandbox: false,
        name: lb.load_balancer_name().unwrap_or_default().into(),
        kind: match lb.r#type() {
            Some(elb::LoadBalancerTypeEnum::Application) => LbKind::Application,
            _ => LbKind::Network,
        },
        scheme: match lb.scheme() {
            Some(elb::LoadBalancerSchemeEnum::Internal) => LbScheme::Internal,
            _ => LbScheme::InternetFacing,
        },
        dns_name: lb.dns_name().map(Into::into),
        state: state_map::aws_load_balancer(word),
        provider_state: word.into(),
        targets,
        tags,
    }
}

/// Everything read about a region's load balancers in one pass.
struct Found {
    lbs: Vec<elb::LoadBalancer>,
    groups: Vec<elb::TargetGroup>,
    health: HashMap<String, Vec<elb::TargetHealthDescription>>,
    tags: HashMap<String, Vec<elb::Tag>>,
}

impl Found {
    fn groups_of(&self, arn: &str) -> Vec<(&elb::TargetGroup, &[elb::TargetHealthDescription])> {
        self.groups
            .iter()
            .filter(|g| g.load_balancer_arns().iter().any(|a| a == arn))
            .map(|g| {
                let h = g
                    .target_group_arn()
                    .and_then(|t| self.health.get(t))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                (g, h)
            })
            .collect()
    }
}

impl AwsProvider {
    /// The region's load balancers (or the one named by `arn`) with their groups, health and tags.
    async fn find(&self, region: &str, arn: Option<&str>) -> Result<Found> {
        let c = self.session.region(region).await;
        let mut lbs = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            c.elb_budget.take().await;
            let out = c
                .elb
                .describe_load_balancers()
                .set_load_balancer_arns(arn.map(|a| vec![a.to_string()]))
                .set_page_size(arn.is_none().then_some(400))
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| self.err(e))?;
            // Gateway load balancers (GWLB) are appliances' plumbing, not something nephos drives.
            lbs.extend(
                out.load_balancers()
                    .iter()
                    .filter(|l| l.r#type() != Some(&elb::LoadBalancerTypeEnum::Gateway))
                    .cloned(),
            );
            match out.next_marker() {
                Some(m) if !m.is_empty() => marker = Some(m.to_string()),
                _ => break,
            }
        }
        let mut found = Found {
            lbs,
            groups: Vec::new(),
            health: HashMap::new(),
            tags: HashMap::new(),
        };
        if found.lbs.is_empty() {
            return Ok(found);
        }
        loop {
            c.elb_budget.take().await;
            let out = c
                .elb
                .describe_target_groups()
                .set_load_balancer_arn(arn.map(String::from))
                .page_size(400)
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| self.err(e))?;
            found.groups.extend(
                out.target_groups()
                    .iter()
                    .filter(|g| !g.load_balancer_arns().is_empty())
                    .cloned(),
            );
            match out.next_marker() {
                Some(m) if !m.is_empty() => marker = Some(m.to_string()),
                _ => break,
            }
        }
        // At most 8 at once; a group deleted since it was listed simply has no targets.
        let groups: Vec<String> = found
            .groups
            .iter()
            .filter_map(|g| g.target_group_arn().map(String::from))
            .collect();
        let mut health = futures_util::stream::iter(groups.into_iter().map(|tg| {
            let c = c.clone();
            async move {
                c.elb_budget.take().await;
                let out = c
                    .elb
                    .describe_target_health()
                    .target_group_arn(&tg)
                    .send()
                    .await;
                (tg, out)
            }
        }))
        .buffer_unordered(8);
        let mut healths = Vec::new();
        while let Some(one) = health.next().await {
            healths.push(one);
        }
        drop(health);
        for (tg, out) in healths {
            if let Some(out) = absent_ok(out.map_err(|e| self.err(e)))? {
                found
                    .health
                    .insert(tg, out.target_health_descriptions().to_vec());
            }
        }
        let arns: Vec<String> = found
            .lbs
            .iter()
            .filter_map(|l| l.load_balancer_arn().map(String::from))
            .collect();
        for chunk in arns.chunks(20) {
            let tags = self.tags_of(&c, chunk).await?;
            found.tags.extend(tags);
        }
        Ok(found)
    }

    /// DescribeTags for up to 20 ARNs. One of them deleted since it was listed fails the whole
    /// call with a not-found, so then each is asked alone and the missing ones are skipped.
    async fn tags_of(
        &self,
        c: &RegionClients,
        arns: &[String],
    ) -> Result<HashMap<String, Vec<elb::Tag>>> {
        let answers = match absent_ok(self.describe_tags(c, arns).await)? {
            Some(all) => vec![all],
            None => {
                let mut each = Vec::new();
                for a in arns {
                    each.extend(absent_ok(
                        self.describe_tags(c, std::slice::from_ref(a)).await,
                    )?);
                }
                each
            }
        };
        Ok(answers
            .iter()
            .flat_map(|o| o.tag_descriptions())
            .filter_map(|d| Some((d.resource_arn()?.to_string(), d.tags().to_vec())))
            .collect())
    }

    async fn describe_tags(
        &self,
        c: &RegionClients,
        arns: &[String],
    ) -> Result<DescribeTagsOutput> {
        c.elb_budget.take().await;
        c.elb
            .describe_tags()
            .set_resource_arns(Some(arns.to_vec()))
            .send()
            .await
            .map_err(|e| self.err(e))
    }

    fn domain(&self, region: &str, f: &Found) -> Vec<LoadBalancer> {
        f.lbs
            .iter()
            .map(|lb| {
                let arn = lb.load_balancer_arn().unwrap_or_default();
                let tags = f.tags.get(arn).map(Vec::as_slice).unwrap_or(&[]);
                to_domain(&self.info.name, region, lb, &f.groups_of(arn), tags)
            })
            .collect()
    }

    pub(super) async fn list_load_balancers(
        &self,
        region: &str,
        arn: Option<&str>,
    ) -> Result<Vec<LoadBalancer>> {
        let f = self.find(region, arn).await?;
        Ok(self.domain(region, &f))
    }

    pub(super) async fn describe_load_balancer(
        &self,
        region: &str,
        arn: &str,
    ) -> Result<Described> {
        let f = self.find(region, Some(arn)).await?;
        let Some(lb) = f.lbs.first() else {
            return Err(not_found(arn));
        };
        let tags = f.tags.get(arn).map(Vec::as_slice).unwrap_or(&[]);
        let groups = f.groups_of(arn);
        Ok(Described {
            resource: Resource::LoadBalancer(to_domain(&self.info.name, region, lb, &groups, tags)),
            raw: raw::load_balancer(lb, &groups, tags),
        })
    }
}

fn not_found(arn: &str) -> ProviderError {
    ProviderError::coded(
        ErrorKind::NotFound,
        "LoadBalancerNotFound",
        format!("One or more load balancers not found: '{arn}'"),
    )
}
