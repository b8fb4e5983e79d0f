//! EC2 instances: listing (all pages, reservations flattened, vCPU and memory from
//! DescribeInstanceTypes cached per region), describe, start/stop/reboot/terminate and
//! RunInstances.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_ec2::types as ec2;

use super::pages::ec2_pages;
use super::{convert, raw, AwsProvider, TypeInfo};
use crate::domain::{Described, Instance, Resource};
use crate::providers::state_map;
use crate::providers::{ErrorKind, InstanceAction, InstanceSpec, ProviderError, Result};

/// DescribeInstanceTypes takes at most this many names per call.
const TYPES_PER_CALL: usize = 100;

impl AwsProvider {
    /// Every instance of the region: DescribeInstances with MaxResults 1000 until no NextToken.
    /// (moto pages by reservation; AWS by instance. Both end when NextToken is absent.)
    pub(super) async fn list_instances(&self, region: &str) -> Result<Vec<Instance>> {
        let c = self.session.region(region).await;
        let mut raw: Vec<ec2::Instance> = Vec::new();
        ec2_pages!(c, c.ec2.describe_instances().max_results(1000), |e| self.err(e), out => {
            for r in out.reservations() {
                raw.extend(r.instances().iter().cloned());
            }
        });
        let types: BTreeSet<&str> = raw
            .iter()
            .filter_map(|i| i.instance_type().map(|t| t.as_str()))
            .collect();
        let known = self.instance_types(region, types).await;
        self.saw_zones(
            region,
            raw.iter()
                .filter_map(|i| i.placement().and_then(|p| p.availability_zone())),
        );
        Ok(raw
            .iter()
            .map(|i| convert::instance(&self.info.name, region, i, |t| known.get(t).cloned()))
            .collect())
    }

    /// vCPUs and memory of `wanted` types, for a listing: a failure leaves the sizes blank
    /// (and is logged) rather than failing the listing.
    pub(super) async fn instance_types<'a>(
        &self,
        region: &str,
        wanted: impl IntoIterator<Item = &'a str>,
    ) -> HashMap<String, TypeInfo> {
        let (known, failed) = self.fetch_types(region, wanted).await;
        if let Some(e) = failed {
            tracing::warn!(
                account = %self.info.name,
                region,
                error = %e,
                "DescribeInstanceTypes failed; sizes left blank"
            );
        }
        known
    }

    /// The region's known types after asking EC2 for those of `wanted` not cached yet (≤100 per
    /// call), with the first failed call's error, if any.
    async fn fetch_types<'a>(
        &self,
        region: &str,
        wanted: impl IntoIterator<Item = &'a str>,
    ) -> (HashMap<String, TypeInfo>, Option<ProviderError>) {
        let missing: Vec<String> = {
            let cache = self.types.lock().expect("types");
            let have = cache.get(region);
            wanted
                .into_iter()
                .filter(|t| have.is_none_or(|h| !h.contains_key(*t)))
                .map(String::from)
                .collect()
        };
        let mut failed = None;
        if !missing.is_empty() {
            let c = self.session.region(region).await;
            for chunk in missing.chunks(TYPES_PER_CALL) {
                c.ec2_budget.take().await;
                let call = c
                    .ec2
                    .describe_instance_types()
                    .set_instance_types(Some(
                        chunk
                            .iter()
                            .map(|t| ec2::InstanceType::from(t.as_str()))
                            .collect(),
                    ))
                    .send()
                    .await;
                match call {
                    Ok(out) => {
                        let mut cache = self.types.lock().expect("types");
                        let entry = cache.entry(region.to_string()).or_default();
                        entry.extend(out.instance_types().iter().filter_map(convert::type_info));
                    }
                    Err(e) => {
                        failed.get_or_insert(self.err(e));
                    }
                }
            }
        }
        let known = self
            .types
            .lock()
            .expect("types")
            .get(region)
            .cloned()
            .unwrap_or_default();
        (known, failed)
    }

    pub(super) async fn fetch_instance(&self, region: &str, id: &str) -> Result<ec2::Instance> {
        let c = self.session.region(region).await;
        c.ec2_budget.take().await;
        let out = c
            .ec2
            .describe_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(|e| self.err(e))?;
        out.reservations()
            .iter()
            .flat_map(|r| r.instances())
            .find(|i| i.instance_id() == Some(id))
            .cloned()
            .ok_or_else(|| {
                ProviderError::coded(
                    ErrorKind::NotFound,
                    "InvalidInstanceID.NotFound",
                    format!("The instance ID '{id}' does not exist"),
                )
            })
    }

    pub(super) async fn describe_instance(&self, region: &str, id: &str) -> Result<Described> {
        let i = self.fetch_instance(region, id).await?;
        let t = i.instance_type().map(|t| t.as_str()).unwrap_or_default();
        let known = self.instance_types(region, [t]).await;
        Ok(Described {
            resource: Resource::Instance(convert::instance(&self.info.name, region, &i, |t| {
                known.get(t).cloned()
            })),
            raw: raw::instance(&i),
        })
    }

    pub(super) async fn act_on_instance(
        &self,
        inst: &Instance,
        action: InstanceAction,
    ) -> Result<Instance> {
        let c = self.session.region(inst.region()).await;
        let id = inst.id();
        let change = match action {
            InstanceAction::Start => c
                .ec2
                .start_instances()
                .instance_ids(id)
                .send()
                .await
                .map_err(|e| self.err(e))?
                .starting_instances()
                .to_vec(),
            InstanceAction::Stop => c
                .ec2
                .stop_instances()
                .instance_ids(id)
                .send()
                .await
                .map_err(|e| self.err(e))?
                .stopping_instances()
                .to_vec(),
            InstanceAction::Terminate => c
                .ec2
                .terminate_instances()
                .instance_ids(id)
                .send()
                .await
                .map_err(|e| self.err(e))?
                .terminating_instances()
                .to_vec(),
            InstanceAction::PowerOff => {
                return Err(crate::providers::unsupported(
                    &self.info,
                    InstanceAction::PowerOff.op(),
                ))
            }
            InstanceAction::Reboot => {
                c.ec2
                    .reboot_instances()
                    .instance_ids(id)
                    .send()
                    .await
                    .map_err(|e| self.err(e))?;
                Vec::new()
            }
        };
        let mut now = inst.clone();
        if let Some(word) = change
            .iter()
            .find(|s| s.instance_id() == Some(id))
            .and_then(|s| s.current_state())
            .and_then(|s| s.name())
        {
            now.state = state_map::aws_instance(word.as_str());
            now.provider_state = word.as_str().into();
        }
        Ok(now)
    }

    /// The newest Amazon Linux image of the region for the architecture: Amazon Linux 2023 if
    /// the region has it, Amazon Linux 2 otherwise. Returns the image id and its root device.
    async fn default_image(&self, region: &str, arm: bool) -> Result<(String, Option<String>)> {
        let arch = if arm { "arm64" } else { "x86_64" };
        let c = self.session.region(region).await;
        for pattern in [
            format!("al2023-ami-2023.*-{arch}"),
            format!("amzn2-ami-hvm-*-{arch}-gp2"),
        ] {
            c.ec2_budget.take().await;
            let out = c
                .ec2
                .describe_images()
                .owners("amazon")
                .filters(ec2::Filter::builder().name("name").values(pattern).build())
                .filters(
                    ec2::Filter::builder()
                        .name("architecture")
                        .values(arch)
                        .build(),
                )
                .filters(
                    ec2::Filter::builder()
                        .name("state")
                        .values("available")
                        .build(),
                )
                .send()
                .await
                .map_err(|e| self.err(e))?;
            let newest = out
                .images()
                .iter()
                .max_by(|a, b| (a.creation_date(), a.name()).cmp(&(b.creation_date(), b.name())));
            if let Some(img) = newest {
                if let Some(id) = img.image_id() {
                    return Ok((id.to_string(), img.root_device_name().map(String::from)));
                }
            }
        }
        Err(ProviderError::new(
            ErrorKind::Invalid,
            format!("no Amazon Linux image for {arch} found in {region}; name one with --image"),
        ))
    }

    async fn image_root_device(&self, region: &str, image: &str) -> Result<Option<String>> {
        let c = self.session.region(region).await;
        c.ec2_budget.take().await;
        let out = c
            .ec2
            .describe_images()
            .image_ids(image)
            .send()
            .await
            .map_err(|e| self.err(e))?;
        match out.images().first() {
            Some(img) => Ok(img.root_device_name().map(String::from)),
            None => Err(ProviderError::coded(
                ErrorKind::Invalid,
                "InvalidAMIID.NotFound",
                format!("The image id '[{image}]' does not exist"),
            )),
        }
    }

    /// RunInstances for one machine: the image named or the newest Amazon Linux, in the zone
    /// (or subnet, `subnet-…`) named, with the root volume size asked for, spot through
    /// InstanceMarketOptions, and the Name tag plus the tags given on it and its volumes.
    pub(super) async fn run_instance(&self, spec: &InstanceSpec) -> Result<Instance> {
        let region = spec.region.as_str();
        let tinfo = self.one_type(region, &spec.instance_type).await?;
        let types: HashMap<String, TypeInfo> = [(spec.instance_type.clone(), tinfo.clone())]
            .into_iter()
            .collect();
        let image_and_root = match &spec.image {
            Some(img) => (img.clone(), self.image_root_device(region, img).await?),
            None => self.default_image(region, tinfo.arm).await?,
        };
        self.launch(spec, &types, image_and_root).await
    }

    /// One instance type's size and architecture, from the cache or DescribeInstanceTypes. A
    /// failed call is reported as itself (throttled, not allowed …), not as an unknown type.
    async fn one_type(&self, region: &str, name: &str) -> Result<TypeInfo> {
        let (known, failed) = self.fetch_types(region, [name]).await;
        if let Some(t) = known.get(name) {
            return Ok(t.clone());
        }
        Err(failed.unwrap_or_else(|| {
            ProviderError::coded(
                ErrorKind::Invalid,
                "InvalidInstanceType",
                format!("The instance type '{name}' does not exist in {region}"),
            )
        }))
    }

    async fn launch(
        &self,
        spec: &InstanceSpec,
        types: &HashMap<String, TypeInfo>,
        (image, root_device): (String, Option<String>),
    ) -> Result<Instance> {
        let region = spec.region.as_str();
        let mut tags: Vec<ec2::Tag> =
            vec![ec2::Tag::builder().key("Name").value(&spec.name).build()];
        tags.extend(
            spec.tags
                .iter()
                .filter(|(k, _)| *k != "Name")
                .map(|(k, v)| ec2::Tag::builder().key(k).value(v).build()),
        );
        // The root volume carries the same tags, named after its instance so that the name
        // alone still finds one resource.
        let mut volume_tags = tags.clone();
        volume_tags[0] = ec2::Tag::builder()
            .key("Name")
            .value(format!("{}-root", spec.name))
            .build();
        let spec_for = |rt: ec2::ResourceType, tags: &[ec2::Tag]| {
            ec2::TagSpecification::builder()
                .resource_type(rt)
                .set_tags(Some(tags.to_vec()))
                .build()
        };
        let c = self.session.region(region).await;
        let mut req = c
            .ec2
            .run_instances()
            .image_id(&image)
            .instance_type(ec2::InstanceType::from(spec.instance_type.as_str()))
            .min_count(1)
            .max_count(1)
            .tag_specifications(spec_for(ec2::ResourceType::Instance, &tags))
            .tag_specifications(spec_for(ec2::ResourceType::Volume, &volume_tags));
        match spec.zone.as_deref() {
            Some(z) if z.starts_with("subnet-") => req = req.subnet_id(z),
            Some(z) => req = req.placement(ec2::Placement::builder().availability_zone(z).build()),
            None => {}
        }
        if let Some(gib) = spec.disk_gib {
            req = req.block_device_mappings(
                ec2::BlockDeviceMapping::builder()
                    .device_name(root_device.as_deref().unwrap_or("/dev/xvda"))
                    .ebs(
                        ec2::EbsBlockDevice::builder()
                            .volume_size(gib.min(i32::MAX as u64) as i32)
                            .volume_type(ec2::VolumeType::Gp3)
                            .delete_on_termination(true)
                            .build(),
                    )
                    .build(),
            );
        }
        if spec.spot {
            req = req.instance_market_options(
                ec2::InstanceMarketOptionsRequest::builder()
                    .market_type(ec2::MarketType::Spot)
                    .spot_options(
                        ec2::SpotMarketOptions::builder()
                            .spot_instance_type(ec2::SpotInstanceType::OneTime)
                            .instance_interruption_behavior(
                                ec2::InstanceInterruptionBehavior::Terminate,
                            )
                            .build(),
                    )
                    .build(),
            );
        }
        let out = req.send().await.map_err(|e| self.err(e))?;
        let i = out.instances().first().ok_or_else(|| {
            ProviderError::new(
                ErrorKind::Unavailable,
                "RunInstances answered without an instance",
            )
        })?;
        Ok(convert::instance(&self.info.name, region, i, |t| {
            types.get(t).cloned()
        }))
    }
}
