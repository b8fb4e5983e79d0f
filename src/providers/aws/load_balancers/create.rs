//! `lb create`: the default VPC's subnets in two zones, the load balancer, a target group of
//! instances and a listener forwarding to it, all tagged; undone if a later part fails.

use aws_sdk_ec2::types as ec2;
use aws_sdk_elasticloadbalancingv2::types as elb;

use super::{elb_tag, to_domain, CREATED_BY, FOR_LB};
use crate::domain::{LbKind, LbScheme, LoadBalancer};
use crate::providers::aws::errors::absent_ok;
use crate::providers::aws::AwsProvider;
use crate::providers::{ErrorKind, LbSpec, ProviderError, Result};

impl AwsProvider {
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
        let lbs = c.elb.describe_load_balancers().names(name).send().await;
        if absent_ok(lbs.map_err(|e| self.err(e)))?.is_some_and(|o| !o.load_balancers().is_empty())
        {
            return Err(ProviderError::coded(
                ErrorKind::AlreadyExists,
                "DuplicateLoadBalancerName",
                format!("A load balancer with the name '{name}' already exists in {region}"),
            ));
        }
        c.elb_budget.take().await;
        let groups = c.elb.describe_target_groups().names(name).send().await;
        if absent_ok(groups.map_err(|e| self.err(e)))?
            .is_some_and(|o| !o.target_groups().is_empty())
        {
            return Err(ProviderError::coded(
                ErrorKind::AlreadyExists,
                "DuplicateTargetGroupName",
                format!("A target group with the name '{name}' already exists in {region}; nephos names the group after the load balancer"),
            ));
        }
        Ok(())
    }

    pub(in crate::providers::aws) async fn create_lb(&self, spec: &LbSpec) -> Result<LoadBalancer> {
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
            .map_err(|e| self.err(e))?;
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
                .map_err(|e| self.err(e))?;
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
                return Err(self.err(e));
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
        Ok(to_domain(
            &self.info.name,
            region,
            &lb,
            &[(&tg, &[])],
            &tags,
        ))
    }
}
