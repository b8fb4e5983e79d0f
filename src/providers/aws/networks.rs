//! VPCs, subnets and security groups: listed per region (DescribeVpcs, DescribeSubnets,
//! DescribeSecurityGroups, and DescribeInstances for which VPC, subnet and groups each instance
//! is in, every page); a VPC made with one subnet, both tagged `created-by=nephos`; deleted with
//! its subnets and its own security groups, only when nephos made it; ingress rules authorised
//! and revoked (AuthorizeSecurityGroupIngress / RevokeSecurityGroupIngress).

use aws_sdk_ec2::types as ec2;

use super::pages::ec2_pages;
use super::{convert, AwsProvider};
use crate::domain::network::{
    made_by_nephos, Direction, InstanceNetwork, NetKind, NetRef, Network, NetworkSet, PortRange,
    Rule, RuleAction, SecurityGroup, Subnet, MADE_BY_KEY, MADE_BY_VALUE,
};
use crate::domain::{ProviderKind, ResourceKind, ResourceRef};
use crate::providers::network_request::not_made_by_nephos;
use crate::providers::{ErrorKind, IngressRule, NetApplied, NetworkRequest, ProviderError, Result};

/// One IpPermission in common words: `-1` is every protocol and port; ICMP's "ports" are its
/// type and code, so no port range.
pub fn rule(p: &ec2::IpPermission, direction: Direction) -> Rule {
    let proto = match p.ip_protocol().unwrap_or("-1") {
        "-1" => "all",
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        other => other,
    };
    let ports = match (proto, p.from_port(), p.to_port()) {
        ("tcp" | "udp", Some(from), Some(to)) if from >= 0 && to >= from => Some(PortRange {
            from: from.clamp(0, 65535) as u16,
            to: to.clamp(0, 65535) as u16,
        }),
        _ => None,
    };
    let sources = p
        .ip_ranges()
        .iter()
        .filter_map(|r| r.cidr_ip())
        .chain(p.ipv6_ranges().iter().filter_map(|r| r.cidr_ipv6()))
        .chain(p.user_id_group_pairs().iter().filter_map(|g| g.group_id()))
        .chain(
            p.prefix_list_ids()
                .iter()
                .filter_map(|l| l.prefix_list_id()),
        )
        .map(Into::into)
        .collect();
    Rule {
        name: None,
        direction,
        protocol: proto.into(),
        ports: ports.filter(|p| !(p.from == 0 && p.to == 65535)),
        sources,
        action: RuleAction::Allow,
        priority: None,
    }
}

/// The permission that allows `rule`.
fn permission(rule: &IngressRule) -> ec2::IpPermission {
    let b = ec2::IpPermission::builder()
        .ip_protocol(rule.protocol.as_str())
        .from_port(i32::from(rule.ports.from))
        .to_port(i32::from(rule.ports.to));
    if rule.source.contains(':') {
        b.ipv6_ranges(
            ec2::Ipv6Range::builder()
                .cidr_ipv6(rule.source.as_str())
                .build(),
        )
        .build()
    } else {
        b.ip_ranges(
            ec2::IpRange::builder()
                .cidr_ip(rule.source.as_str())
                .build(),
        )
        .build()
    }
}

fn tag_spec(rt: ec2::ResourceType, name: &str) -> ec2::TagSpecification {
    ec2::TagSpecification::builder()
        .resource_type(rt)
        .tags(ec2::Tag::builder().key("Name").value(name).build())
        .tags(
            ec2::Tag::builder()
                .key(MADE_BY_KEY)
                .value(MADE_BY_VALUE)
                .build(),
        )
        .build()
}

fn filter(name: &str, value: &str) -> ec2::Filter {
    ec2::Filter::builder().name(name).values(value).build()
}

impl AwsProvider {
    fn net_ref(&self, region: &str, kind: NetKind, id: &str) -> NetRef {
        NetRef::new(ProviderKind::Aws, &self.info.name, region, kind, id)
    }

    /// The core's error, with the network codes that name a missing thing as not found.
    fn net_err<E>(
        &self,
        e: aws_sdk_ec2::error::SdkError<E, aws_sdk_ec2::config::http::HttpResponse>,
    ) -> ProviderError
    where
        E: aws_sdk_ec2::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut err = self.err(e);
        if matches!(
            err.code.as_deref(),
            Some("InvalidVpcID.NotFound" | "InvalidGroup.NotFound" | "InvalidPermission.NotFound")
        ) {
            err.kind = ErrorKind::NotFound;
        }
        err
    }

    pub(super) async fn list_networks_in(&self, region: &str) -> Result<NetworkSet> {
        let c = self.session.region(region).await;
        let mut set = NetworkSet::default();
        ec2_pages!(c, c.ec2.describe_vpcs(), |e| self.net_err(e), out => {
            set.networks
                .extend(out.vpcs().iter().map(|v| self.network(region, v)));
        });
        ec2_pages!(c, c.ec2.describe_subnets(), |e| self.net_err(e), out => {
            set.subnets.extend(out.subnets().iter().map(|s| {
                Subnet {
                    r#ref: self.net_ref(region, NetKind::Subnet, s.subnet_id().unwrap_or_default()),
                    network: self.net_ref(region, NetKind::Network, s.vpc_id().unwrap_or_default()),
                    name: convert::tags(s.tags())
                        .get("Name")
                        .unwrap_or_default()
                        .into(),
                    cidr: s.cidr_block().unwrap_or_default().into(),
                    zone: s.availability_zone().map(Into::into),
                }
            }));
        });
        ec2_pages!(c, c.ec2.describe_security_groups(), |e| self.net_err(e), out => {
            set.groups
                .extend(out.security_groups().iter().map(|g| self.group(region, g)));
        });
        set.links = self.instance_links(region).await?;
        Ok(set)
    }

    fn network(&self, region: &str, v: &ec2::Vpc) -> Network {
        let tags = convert::tags(v.tags());
        let mut cidrs: Vec<_> = v
            .cidr_block_association_set()
            .iter()
            .filter_map(|a| a.cidr_block())
            .map(Into::into)
            .collect();
        if cidrs.is_empty() {
            cidrs.extend(v.cidr_block().map(Into::into));
        }
        Network {
            r#ref: self.net_ref(region, NetKind::Network, v.vpc_id().unwrap_or_default()),
            name: tags.get("Name").unwrap_or_default().into(),
            cidrs,
            made_by_nephos: made_by_nephos(&tags),
            tags,
        }
    }

    fn group(&self, region: &str, g: &ec2::SecurityGroup) -> SecurityGroup {
        SecurityGroup {
            r#ref: self.net_ref(
                region,
                NetKind::SecurityGroup,
                g.group_id().unwrap_or_default(),
            ),
            name: g.group_name().unwrap_or_default().into(),
            network: g
                .vpc_id()
                .map(|v| self.net_ref(region, NetKind::Network, v)),
            rules: g
                .ip_permissions()
                .iter()
                .map(|p| rule(p, Direction::Ingress))
                .chain(
                    g.ip_permissions_egress()
                        .iter()
                        .map(|p| rule(p, Direction::Egress)),
                )
                .collect(),
            tags: convert::tags(g.tags()),
        }
    }

    /// Which VPC, subnet and groups each instance that is not terminated sits in.
    async fn instance_links(&self, region: &str) -> Result<Vec<InstanceNetwork>> {
        let c = self.session.region(region).await;
        let mut links = Vec::new();
        let live = ec2::Filter::builder()
            .name("instance-state-name")
            .set_values(Some(
                ["pending", "running", "stopping", "stopped"]
                    .map(String::from)
                    .to_vec(),
            ))
            .build();
        ec2_pages!(c, c.ec2.describe_instances().filters(live.clone()), |e| self.net_err(e), out => {
            for i in out.reservations().iter().flat_map(|r| r.instances()) {
                let (Some(id), Some(vpc)) = (i.instance_id(), i.vpc_id()) else {
                    continue;
                };
                links.push(InstanceNetwork {
                    instance: ResourceRef::new(
                        ProviderKind::Aws,
                        &self.info.name,
                        region,
                        ResourceKind::Instance,
                        id,
                    ),
                    network: self.net_ref(region, NetKind::Network, vpc),
                    subnet: i
                        .subnet_id()
                        .map(|s| self.net_ref(region, NetKind::Subnet, s)),
                    groups: i
                        .security_groups()
                        .iter()
                        .filter_map(|g| g.group_id())
                        .map(|g| self.net_ref(region, NetKind::SecurityGroup, g))
                        .collect(),
                });
            }
        });
        Ok(links)
    }

    pub(super) async fn change_network(&self, req: &NetworkRequest) -> Result<NetApplied> {
        req.validate()?;
        let target = match req {
            NetworkRequest::CreateNetwork {
                name,
                region,
                cidr,
                subnet_cidr,
                ..
            } => self.create_vpc(name, region, cidr, subnet_cidr).await?,
            NetworkRequest::DeleteNetwork { network } => {
                self.delete_vpc(network).await?;
                network.clone()
            }
            NetworkRequest::AddIngressRule { group, rule } => {
                let c = self.session.region(&group.region).await;
                c.ec2_budget.take().await;
                c.ec2
                    .authorize_security_group_ingress()
                    .group_id(group.id.as_str())
                    .ip_permissions(permission(rule))
                    .send()
                    .await
                    .map_err(|e| self.net_err(e))?;
                group.clone()
            }
            NetworkRequest::RemoveIngressRule { group, rule } => {
                self.revoke(group, rule).await?;
                group.clone()
            }
        };
        Ok(NetApplied {
            target,
            operation: None,
        })
    }

    async fn create_vpc(
        &self,
        name: &str,
        region: &str,
        cidr: &str,
        subnet_cidr: &str,
    ) -> Result<NetRef> {
        let c = self.session.region(region).await;
        c.ec2_budget.take().await;
        let out = c
            .ec2
            .create_vpc()
            .cidr_block(cidr)
            .tag_specifications(tag_spec(ec2::ResourceType::Vpc, name))
            .send()
            .await
            .map_err(|e| self.net_err(e))?;
        let vpc = out
            .vpc()
            .and_then(|v| v.vpc_id())
            .ok_or_else(|| ProviderError::new(ErrorKind::Unavailable, "CreateVpc named no VPC"))?
            .to_string();
        c.ec2_budget.take().await;
        let subnet = c
            .ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(subnet_cidr)
            .tag_specifications(tag_spec(ec2::ResourceType::Subnet, &format!("{name}-1")))
            .send()
            .await;
        if let Err(e) = subnet {
            // Leave nothing half made: the VPC goes again.
            let err = self.net_err(e);
            c.ec2_budget.take().await;
            let _ = c.ec2.delete_vpc().vpc_id(&vpc).send().await;
            return Err(err);
        }
        Ok(self.net_ref(region, NetKind::Network, &vpc))
    }

    /// Delete a VPC nephos made: its subnets and its own security groups first (AWS refuses
    /// to delete a VPC that still has them; the default group goes with the VPC).
    async fn delete_vpc(&self, network: &NetRef) -> Result<()> {
        let c = self.session.region(&network.region).await;
        c.ec2_budget.take().await;
        let out = c
            .ec2
            .describe_vpcs()
            .vpc_ids(network.id.as_str())
            .send()
            .await
            .map_err(|e| self.net_err(e))?;
        let vpc = out.vpcs().first().ok_or_else(|| {
            ProviderError::coded(
                ErrorKind::NotFound,
                "InvalidVpcID.NotFound",
                format!("The vpc ID '{}' does not exist", network.id),
            )
        })?;
        if !made_by_nephos(&convert::tags(vpc.tags())) {
            return Err(not_made_by_nephos(network));
        }
        c.ec2_budget.take().await;
        let subnets = c
            .ec2
            .describe_subnets()
            .filters(filter("vpc-id", &network.id))
            .send()
            .await
            .map_err(|e| self.net_err(e))?;
        for s in subnets.subnets().iter().filter_map(|s| s.subnet_id()) {
            c.ec2_budget.take().await;
            c.ec2
                .delete_subnet()
                .subnet_id(s)
                .send()
                .await
                .map_err(|e| self.net_err(e))?;
        }
        c.ec2_budget.take().await;
        let groups = c
            .ec2
            .describe_security_groups()
            .filters(filter("vpc-id", &network.id))
            .send()
            .await
            .map_err(|e| self.net_err(e))?;
        for g in groups
            .security_groups()
            .iter()
            .filter(|g| g.group_name() != Some("default"))
            .filter_map(|g| g.group_id())
        {
            c.ec2_budget.take().await;
            c.ec2
                .delete_security_group()
                .group_id(g)
                .send()
                .await
                .map_err(|e| self.net_err(e))?;
        }
        c.ec2_budget.take().await;
        c.ec2
            .delete_vpc()
            .vpc_id(network.id.as_str())
            .send()
            .await
            .map_err(|e| self.net_err(e))?;
        Ok(())
    }

    /// Revoke one rule. AWS answers a rule that is not there with success and the rule among
    /// `UnknownIpPermissions` (older endpoints and moto: `InvalidPermission.NotFound`); both
    /// are not found here.
    async fn revoke(&self, group: &NetRef, rule: &IngressRule) -> Result<()> {
        let c = self.session.region(&group.region).await;
        c.ec2_budget.take().await;
        let out = c
            .ec2
            .revoke_security_group_ingress()
            .group_id(group.id.as_str())
            .ip_permissions(permission(rule))
            .send()
            .await
            .map_err(|e| self.net_err(e))?;
        if !out.unknown_ip_permissions().is_empty() || out.r#return() == Some(false) {
            return Err(ProviderError::coded(
                ErrorKind::NotFound,
                "InvalidPermission.NotFound",
                format!(
                    "no rule in {} allows {}/{} from {}",
                    group.id, rule.protocol, rule.ports, rule.source
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_read_as_rules() {
        let p = ec2::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(22)
            .to_port(22)
            .ip_ranges(ec2::IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .ipv6_ranges(ec2::Ipv6Range::builder().cidr_ipv6("::/0").build())
            .build();
        let r = rule(&p, Direction::Ingress);
        assert_eq!(r.ports, Some(PortRange::one(22)));
        assert_eq!(r.sources, ["0.0.0.0/0", "::/0"]);
        let all = rule(
            &ec2::IpPermission::builder().ip_protocol("-1").build(),
            Direction::Egress,
        );
        assert_eq!((all.protocol.as_str(), all.ports), ("all", None));
        let back = permission(&IngressRule {
            protocol: "tcp".into(),
            ports: PortRange::one(3389),
            source: "::/0".into(),
        });
        assert_eq!(back.ipv6_ranges().len(), 1);
        assert_eq!((back.from_port(), back.to_port()), (Some(3389), Some(3389)));
    }
}
