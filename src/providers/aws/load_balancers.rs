//! ELBv2 load balancers as one thing an operator manages: the load balancer, the target groups
//! forwarding to instances, and their targets' health. Create builds a usable whole (LB in two
//! zones of the default VPC, a target group, a listener on port 80, all tagged
//! `created-by=nephos`); delete removes the listeners, the LB and the target groups nephos made.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_ec2::types as ec2;
use aws_sdk_elasticloadbalancingv2::types as elb;
use futures_util::StreamExt;

use super::session::RegionClients;
use super::{raw, AwsProvider};
use crate::domain::{
    Described, Instance, LbKind, LbScheme, LbState, LoadBalancer, ProviderKind, Resource,
    ResourceKind, ResourceRef, Tags, Target, TargetHealth,
};
use crate::providers::state_map;
use crate::providers::{Accepted, ErrorKind, LbSpec, ProviderError, Result};

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
    fn elb_err<E>(
        &self,
        e: aws_sdk_elasticloadbalancingv2::error::SdkError<
            E,
            aws_sdk_elasticloadbalancingv2::config::http::HttpResponse,
        >,
    ) -> ProviderError
    where
        E: aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
    {
        super::errors::from_sdk(e, self.profile())
    }

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
                .map_err(|e| self.elb_err(e))?;
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
                .map_err(|e| self.elb_err(e))?;
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
            match out.map_err(|e| self.elb_err(e)) {
                Ok(out) => {
                    found
                        .health
                        .insert(tg, out.target_health_descriptions().to_vec());
                }
                Err(e) if e.kind == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
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
        let mut out = HashMap::new();
        let mut batches: Vec<Vec<String>> = vec![arns.to_vec()];
        let mut split = false;
        while let Some(batch) = batches.pop() {
            c.elb_budget.take().await;
            let answer = c
                .elb
                .describe_tags()
                .set_resource_arns(Some(batch.clone()))
                .send()
                .await
                .map_err(|e| self.elb_err(e));
            match answer {
                Ok(o) => {
                    for d in o.tag_descriptions() {
                        if let Some(a) = d.resource_arn() {
                            out.insert(a.to_string(), d.tags().to_vec());
                        }
                    }
                }
                Err(e) if e.kind == ErrorKind::NotFound && batch.len() > 1 && !split => {
                    split = true;
                    batches.extend(batch.into_iter().map(|a| vec![a]));
                }
                Err(e) if e.kind == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
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

    /// The default VPC of the region and one default subnet in each of its first two zones.
    async fn default_network(&self, region: &str) -> Result<(String, Vec<String>)> {
        let c = self.session.region(region).await;
        c.ec2_budget.take().await;
        let vpcs = c
            .ec2
            .describe_vpcs()
            .filters(
                ec2::Filter::builder()
                    .name("isDefault")
                    .values("true")
                    .build(),
            )
            .send()
            .await
            .map_err(|e| self.err(e))?;
        let Some(vpc) = vpcs.vpcs().first().and_then(|v| v.vpc_id()) else {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!("{region} has no default VPC, which `lb create` uses; create one with `aws ec2 create-default-vpc --region {region}`"),
            ));
        };
        c.ec2_budget.take().await;
        let subnets = c
            .ec2
            .describe_subnets()
            .filters(ec2::Filter::builder().name("vpc-id").values(vpc).build())
            .filters(
                ec2::Filter::builder()
                    .name("default-for-az")
                    .values("true")
                    .build(),
            )
            .send()
            .await
            .map_err(|e| self.err(e))?;
        let mut by_zone: Vec<(&str, &str)> = subnets
            .subnets()
            .iter()
            .filter_map(|s| Some((s.availability_zone()?, s.subnet_id()?)))
            .collect();
        by_zone.sort();
        by_zone.dedup_by(|a, b| a.0 == b.0);
        if by_zone.len() < 2 {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!("the default VPC of {region} has default subnets in {} zone(s); a load balancer needs two", by_zone.len()),
            ));
        }
        Ok((
            vpc.to_string(),
            by_zone.iter().take(2).map(|(_, s)| s.to_string()).collect(),
        ))
    }

    async fn refuse_existing(&self, region: &str, name: &str) -> Result<()> {
        let c = self.session.region(region).await;
        c.elb_budget.take().await;
        match c.elb.describe_load_balancers().names(name).send().await {
            Ok(o) if !o.load_balancers().is_empty() => {
                return Err(ProviderError::coded(
                    ErrorKind::Invalid,
                    "DuplicateLoadBalancerName",
                    format!("A load balancer with the name '{name}' already exists in {region}"),
                ))
            }
            Ok(_) => {}
            Err(e) => {
                let e = self.elb_err(e);
                if e.kind != ErrorKind::NotFound {
                    return Err(e);
                }
            }
        }
        c.elb_budget.take().await;
        match c.elb.describe_target_groups().names(name).send().await {
            Ok(o) if !o.target_groups().is_empty() => Err(ProviderError::coded(
                ErrorKind::Invalid,
                "DuplicateTargetGroupName",
                format!("A target group with the name '{name}' already exists in {region}; nephos names the group after the load balancer"),
            )),
            Ok(_) => Ok(()),
            Err(e) => {
                let e = self.elb_err(e);
                if e.kind == ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(e)
                }
            }
        }
    }

    pub(super) async fn create_lb(&self, spec: &LbSpec) -> Result<Accepted<LoadBalancer>> {
        let region = spec.region.as_str();
        // Create is idempotent on AWS: an existing LB or group of that name would be handed
        // back, and the rollback below would then delete something nephos did not make.
        self.refuse_existing(region, &spec.name).await?;
        let (vpc, subnets) = self.default_network(region).await?;
        let mut tags = vec![elb_tag(CREATED_BY.0, CREATED_BY.1)];
        tags.extend(spec.tags.iter().map(|(k, v)| elb_tag(k, v)));
        let (lb_type, protocol) = match spec.kind {
            LbKind::Application => (
                elb::LoadBalancerTypeEnum::Application,
                elb::ProtocolEnum::Http,
            ),
            LbKind::Network => (elb::LoadBalancerTypeEnum::Network, elb::ProtocolEnum::Tcp),
        };
        let c = self.session.region(region).await;
        let out = c
            .elb
            .create_load_balancer()
            .name(&spec.name)
            .set_subnets(Some(subnets))
            .scheme(match spec.scheme {
                LbScheme::InternetFacing => elb::LoadBalancerSchemeEnum::InternetFacing,
                LbScheme::Internal => elb::LoadBalancerSchemeEnum::Internal,
            })
            .r#type(lb_type)
            .set_tags(Some(tags.clone()))
            .send()
            .await
            .map_err(|e| self.elb_err(e))?;
        let lb = out.load_balancers().first().cloned().ok_or_else(|| {
            ProviderError::new(
                ErrorKind::Unavailable,
                "CreateLoadBalancer answered without a load balancer",
            )
        })?;
        let lb_arn = lb.load_balancer_arn().unwrap_or_default().to_string();
        // The target group and listener that make it usable; if either fails, undo the rest.
        let rest = async {
            let mut tg_tags = tags.clone();
            tg_tags.push(elb_tag(FOR_LB, &spec.name));
            let tg = c
                .elb
                .create_target_group()
                .name(&spec.name)
                .protocol(protocol.clone())
                .port(80)
                .vpc_id(&vpc)
                .target_type(elb::TargetTypeEnum::Instance)
                .set_tags(Some(tg_tags))
                .send()
                .await
                .map_err(|e| self.elb_err(e))?;
            let tg = tg.target_groups().first().cloned().ok_or_else(|| {
                ProviderError::new(
                    ErrorKind::Unavailable,
                    "CreateTargetGroup answered without a group",
                )
            })?;
            let tg_arn = tg.target_group_arn().unwrap_or_default().to_string();
            let listener = c
                .elb
                .create_listener()
                .load_balancer_arn(&lb_arn)
                .protocol(protocol.clone())
                .port(80)
                .default_actions(
                    elb::Action::builder()
                        .r#type(elb::ActionTypeEnum::Forward)
                        .target_group_arn(&tg_arn)
                        .build(),
                )
                .set_tags(Some(tags.clone()))
                .send()
                .await;
            if let Err(e) = listener {
                let _ = c
                    .elb
                    .delete_target_group()
                    .target_group_arn(&tg_arn)
                    .send()
                    .await;
                return Err(self.elb_err(e));
            }
            Ok(tg)
        }
        .await;
        let tg = match rest {
            Ok(tg) => tg,
            Err(e) => {
                let _ = c
                    .elb
                    .delete_load_balancer()
                    .load_balancer_arn(&lb_arn)
                    .send()
                    .await;
                return Err(e);
            }
        };
        let tg = elb::TargetGroup::builder()
            .set_target_group_arn(tg.target_group_arn().map(String::from))
            .set_target_type(tg.target_type().cloned())
            .load_balancer_arns(&lb_arn)
            .build();
        Ok(Accepted {
            resource: to_domain(&self.info.name, region, &lb, &[(&tg, &[])], &tags),
            operation: None,
        })
    }

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
            .map_err(|e| self.elb_err(e))?;
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
    pub(super) async fn change_targets(
        &self,
        lb: &LoadBalancer,
        targets: &[Instance],
        register: bool,
    ) -> Result<Accepted<LoadBalancer>> {
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
                .map_err(|e| self.elb_err(e))?;
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
                    .map_err(|e| self.elb_err(e))?;
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
                    .map_err(|e| self.elb_err(e))?;
            }
            for t in now.targets.iter_mut() {
                if targets.iter().any(|i| i.r#ref == t.instance) {
                    t.health = TargetHealth::Draining;
                }
            }
        }
        Ok(Accepted {
            resource: now,
            operation: None,
        })
    }

    /// The LB (AWS deletes its listeners with it; with deletion protection on, nothing goes),
    /// then the target groups nephos created for it, once AWS lets go of them.
    pub(super) async fn delete_lb(&self, lb: &LoadBalancer) -> Result<Accepted<LoadBalancer>> {
        let c = self.session.region(&lb.r#ref.region).await;
        let groups = self.groups_of(lb).await?;
        let ours: Vec<String> = {
            let arns: Vec<String> = groups
                .iter()
                .filter_map(|g| g.target_group_arn().map(String::from))
                .collect();
            let mut ours = Vec::new();
            for chunk in arns.chunks(20) {
                c.elb_budget.take().await;
                let out = c
                    .elb
                    .describe_tags()
                    .set_resource_arns(Some(chunk.to_vec()))
                    .send()
                    .await
                    .map_err(|e| self.elb_err(e))?;
                for d in out.tag_descriptions() {
                    let has = |k: &str, v: &str| {
                        d.tags()
                            .iter()
                            .any(|t| t.key() == Some(k) && t.value() == Some(v))
                    };
                    let made = has(CREATED_BY.0, CREATED_BY.1) && has(FOR_LB, &lb.name);
                    if made {
                        ours.extend(d.resource_arn().map(String::from));
                    }
                }
            }
            ours
        };
        c.elb
            .delete_load_balancer()
            .load_balancer_arn(lb.id())
            .send()
            .await
            .map_err(|e| self.elb_err(e))?;
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
                        let e = self.elb_err(e);
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
        Ok(Accepted {
            resource: now,
            operation: None,
        })
    }

    pub(super) async fn tag_load_balancer(
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
                .map_err(|e| self.elb_err(e))?;
        }
        if !remove.is_empty() {
            c.elb
                .remove_tags()
                .resource_arns(r.id.as_str())
                .set_tag_keys(Some(remove.to_vec()))
                .send()
                .await
                .map_err(|e| self.elb_err(e))?;
        }
        Ok(())
    }
}

fn not_found(arn: &str) -> ProviderError {
    ProviderError::coded(
        ErrorKind::NotFound,
        "LoadBalancerNotFound",
        format!("One or more load balancers not found: '{arn}'"),
    )
}
