//! EBS volumes: listing, describe, create, attach (choosing a free device when none is named),
//! detach (always with the instance id: AWS makes it optional, moto does not), delete, and
//! EC2 tags for instances and volumes alike.

use aws_sdk_ec2::types as ec2;

use super::pages::ec2_pages;
use super::{convert, raw, AwsProvider};
use crate::domain::{Described, Disk, DiskState, Instance, Resource, ResourceRef, Tags};
use crate::providers::{DiskSpec, ErrorKind, ProviderError, Result};

/// The device names AWS recommends for data volumes on Linux, in order.
const DEVICES: &str = "fghijklmnop";

/// The first recommended device not in use. `sdX` and `xvdX` name the same slot.
pub fn free_device(used: &[&str]) -> Option<String> {
    let taken = |c: char| {
        used.iter().any(|u| {
            let tail = u.trim_start_matches("/dev/");
            tail == format!("sd{c}") || tail == format!("xvd{c}")
        })
    };
    DEVICES
        .chars()
        .find(|c| !taken(*c))
        .map(|c| format!("/dev/sd{c}"))
}

/// io1 and io2 volumes must say their IOPS: 3,000 (gp3's baseline), within what the size
/// allows (io1: 50 per GiB; io2: 500 per GiB) and at least the minimum of 100.
pub fn provisioned_iops(disk_type: &str, size_gib: u64) -> Option<i32> {
    let per_gib = match disk_type {
        "io1" => 50,
        "io2" => 500,
        _ => return None,
    };
    Some(size_gib.saturating_mul(per_gib).clamp(100, 3000) as i32)
}

impl AwsProvider {
    pub(super) async fn list_volumes(&self, region: &str) -> Result<Vec<Disk>> {
        let c = self.session.region(region).await;
        let mut out_disks = Vec::new();
        ec2_pages!(c, c.ec2.describe_volumes().max_results(500), |e| self.err(e), out => {
            self.saw_zones(
                region,
                out.volumes().iter().filter_map(|v| v.availability_zone()),
            );
            out_disks.extend(
                out.volumes()
                    .iter()
                    .map(|v| convert::volume(&self.info.name, region, v)),
            );
        });
        Ok(out_disks)
    }

    async fn fetch_volume(&self, region: &str, id: &str) -> Result<ec2::Volume> {
        let c = self.session.region(region).await;
        c.ec2_budget.take().await;
        let out = c
            .ec2
            .describe_volumes()
            .volume_ids(id)
            .send()
            .await
            .map_err(|e| self.err(e))?;
        out.volumes().first().cloned().ok_or_else(|| {
            ProviderError::coded(
                ErrorKind::NotFound,
                "InvalidVolume.NotFound",
                format!("The volume '{id}' does not exist."),
            )
        })
    }

    pub(super) async fn describe_volume(&self, region: &str, id: &str) -> Result<Described> {
        let v = self.fetch_volume(region, id).await?;
        Ok(Described {
            resource: Resource::Disk(convert::volume(&self.info.name, region, &v)),
            raw: raw::volume(&v),
        })
    }

    pub(super) async fn create_volume(&self, spec: &DiskSpec) -> Result<Disk> {
        let c = self.session.region(&spec.region).await;
        let mut tags = vec![ec2::Tag::builder().key("Name").value(&spec.name).build()];
        tags.extend(
            spec.tags
                .iter()
                .filter(|(k, _)| *k != "Name")
                .map(|(k, v)| ec2::Tag::builder().key(k).value(v).build()),
        );
        let disk_type = spec.disk_type.as_deref().unwrap_or("gp3");
        let out = c
            .ec2
            .create_volume()
            .availability_zone(&spec.zone)
            .size(spec.size_gib.min(i32::MAX as u64) as i32)
            .volume_type(ec2::VolumeType::from(disk_type))
            .set_iops(provisioned_iops(disk_type, spec.size_gib))
            .tag_specifications(
                ec2::TagSpecification::builder()
                    .resource_type(ec2::ResourceType::Volume)
                    .set_tags(Some(tags.clone()))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| self.err(e))?;
        let v = ec2::Volume::builder()
            .set_volume_id(out.volume_id().map(String::from))
            .set_size(out.size())
            .set_availability_zone(out.availability_zone().map(String::from))
            .set_state(out.state().cloned())
            .set_volume_type(out.volume_type().cloned())
            .set_tags(Some(if out.tags().is_empty() {
                tags
            } else {
                out.tags().to_vec()
            }))
            .build();
        Ok(convert::volume(&self.info.name, &spec.region, &v))
    }

    pub(super) async fn attach_volume(
        &self,
        disk: &Disk,
        inst: &Instance,
        device: Option<&str>,
    ) -> Result<Disk> {
        let region = disk.r#ref.region.as_str();
        let device = match device {
            Some(d) => d.to_string(),
            None => {
                let i = self.fetch_instance(region, inst.id()).await?;
                let mut used: Vec<&str> = i
                    .block_device_mappings()
                    .iter()
                    .filter_map(|b| b.device_name())
                    .collect();
                used.extend(i.root_device_name());
                free_device(&used).ok_or_else(|| {
                    ProviderError::new(
                        ErrorKind::InvalidState,
                        format!("{} has no free device from /dev/sdf to /dev/sdp; name one with --device", inst.id()),
                    )
                })?
            }
        };
        let c = self.session.region(region).await;
        let out = c
            .ec2
            .attach_volume()
            .volume_id(disk.id())
            .instance_id(inst.id())
            .device(&device)
            .send()
            .await
            .map_err(|e| self.err(e))?;
        let mut d = convert::with_state(
            disk,
            DiskState::InUse,
            &format!(
                "in-use ({})",
                out.state().map(|s| s.as_str()).unwrap_or("attaching")
            ),
        );
        d.attached_to = Some(inst.r#ref.clone());
        d.device = Some(out.device().unwrap_or(&device).into());
        Ok(d)
    }

    pub(super) async fn detach_volume(&self, disk: &Disk) -> Result<Disk> {
        let Some(inst) = &disk.attached_to else {
            return Err(ProviderError::coded(
                ErrorKind::InvalidState,
                "IncorrectState",
                format!("Volume '{}' is in the 'available' state.", disk.id()),
            ));
        };
        let c = self.session.region(&disk.r#ref.region).await;
        let mut req = c
            .ec2
            .detach_volume()
            .volume_id(disk.id())
            .instance_id(inst.id.as_str());
        if let Some(dev) = &disk.device {
            req = req.device(dev.as_str());
        }
        let out = req.send().await.map_err(|e| self.err(e))?;
        Ok(convert::with_state(
            disk,
            DiskState::InUse,
            &format!(
                "in-use ({})",
                out.state().map(|s| s.as_str()).unwrap_or("detaching")
            ),
        ))
    }

    pub(super) async fn delete_volume(&self, disk: &Disk) -> Result<Disk> {
        let c = self.session.region(&disk.r#ref.region).await;
        c.ec2
            .delete_volume()
            .volume_id(disk.id())
            .send()
            .await
            .map_err(|e| self.err(e))?;
        Ok(convert::with_state(disk, DiskState::Deleting, "deleting"))
    }

    /// CreateTags and DeleteTags on an instance or volume.
    pub(super) async fn tag_ec2(
        &self,
        r: &ResourceRef,
        set: &Tags,
        remove: &[String],
    ) -> Result<()> {
        let c = self.session.region(&r.region).await;
        if !set.is_empty() {
            c.ec2
                .create_tags()
                .resources(r.id.as_str())
                .set_tags(Some(
                    set.iter()
                        .map(|(k, v)| ec2::Tag::builder().key(k).value(v).build())
                        .collect(),
                ))
                .send()
                .await
                .map_err(|e| self.err(e))?;
        }
        if !remove.is_empty() {
            c.ec2
                .delete_tags()
                .resources(r.id.as_str())
                .set_tags(Some(
                    remove
                        .iter()
                        .map(|k| ec2::Tag::builder().key(k).build())
                        .collect(),
                ))
                .send()
                .await
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisioned_volumes_ask_for_iops_within_their_size() {
        assert_eq!(provisioned_iops("gp3", 100), None);
        assert_eq!(provisioned_iops("io1", 4), Some(200));
        assert_eq!(provisioned_iops("io1", 1), Some(100));
        assert_eq!(provisioned_iops("io2", 100), Some(3000));
    }

    #[test]
    fn the_first_free_device_skips_both_spellings_of_a_slot() {
        assert_eq!(free_device(&["/dev/xvda"]).as_deref(), Some("/dev/sdf"));
        assert_eq!(
            free_device(&["/dev/xvda", "/dev/sdf", "/dev/xvdg"]).as_deref(),
            Some("/dev/sdh")
        );
        let all: Vec<String> = DEVICES.chars().map(|c| format!("/dev/sd{c}")).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_eq!(free_device(&all), None);
    }
}
