//! Changes to instances and disks. Each is one Compute call answered with an Operation, whose
//! handle goes back to the core to follow (`operation_status`); an Operation already DONE with
//! an error is the action's error at once.

use google_cloud_gax::options::RequestOptionsBuilder as _;

use crate::providers::gcp::session::request_id;
use google_cloud_compute_v1::model;

use super::listing::zone_of;
use super::{errors, operations, urls, GcpProvider};
use crate::domain::{Disk, Instance, ProviderKind, ResourceKind, ResourceRef, Tags};
use crate::providers::{
    Applied, DiskSpec, ErrorKind, InstanceAction, InstanceSpec, OperationStatus, ProviderError,
    Result,
};

pub fn labels(tags: &Tags) -> Vec<(String, String)> {
    tags.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

impl GcpProvider {
    /// The change was accepted: its target and the operation to follow.
    pub(super) fn accepted(&self, target: ResourceRef, op: &model::Operation) -> Result<Applied> {
        if let OperationStatus::Failed(e) = operations::status(op) {
            return Err(e);
        }
        Ok(Applied::to(target, Some(operations::handle(op)?)))
    }

    fn zonal_ref(&self, kind: ResourceKind, zone: &str, name: &str) -> ResourceRef {
        ResourceRef::new(
            ProviderKind::Gcp,
            self.account_name(),
            urls::zone_region(zone),
            kind,
            name,
        )
        .in_zone(zone)
    }

    /// A zone for a create that names only a region: one seen there, else its `-b` zone (every
    /// region has one; not every region has an `-a`).
    fn default_zone(&self, region: &str) -> String {
        self.zones
            .lock()
            .expect("zones")
            .get(region)
            .and_then(|z| z.iter().next().cloned())
            .unwrap_or_else(|| format!("{region}-b"))
    }

    pub(super) async fn act_on_instance(
        &self,
        target: &Instance,
        action: InstanceAction,
    ) -> Result<Applied> {
        let r = &target.r#ref;
        let zone = zone_of(r)?;
        let c = self.session.clients().await?;
        let (p, name) = (self.project(), r.id.as_str());
        let op = match action {
            // A suspended instance is resumed: `start` is for a stopped one.
            InstanceAction::Start if target.provider_state == "SUSPENDED" => {
                c.instances
                    .resume()
                    .set_project(p)
                    .set_zone(zone)
                    .set_instance(name)
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
            InstanceAction::Start => {
                c.instances
                    .start()
                    .set_project(p)
                    .set_zone(zone)
                    .set_instance(name)
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
            InstanceAction::Stop => {
                c.instances
                    .stop()
                    .set_project(p)
                    .set_zone(zone)
                    .set_instance(name)
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
            InstanceAction::Reboot => {
                c.instances
                    .reset()
                    .set_project(p)
                    .set_zone(zone)
                    .set_instance(name)
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
            // Azure's power-off (stopped but still allocated) has no Compute counterpart.
            InstanceAction::PowerOff => {
                return Err(crate::providers::unsupported(
                    &self.info,
                    InstanceAction::PowerOff.op(),
                ))
            }
            InstanceAction::Terminate => {
                c.instances
                    .delete()
                    .set_project(p)
                    .set_zone(zone)
                    .set_instance(name)
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
        }
        .map_err(errors::from_sdk)?;
        self.accepted(r.clone(), &op)
    }

    /// The image an insert boots from; a family (the default, Debian 12, is one) resolved to
    /// its newest image's selfLink through `images.getFromFamily`, so the plan and the instance
    /// name the image it got, and a family that does not exist is refused before the insert.
    async fn boot_image(&self, given: Option<&str>) -> Result<String> {
        let url = urls::image(self.project(), given);
        let Some((project, family)) = urls::family(&url) else {
            return Ok(url);
        };
        let c = self.session.clients().await?;
        let image = c
            .images
            .get_from_family()
            .set_project(project)
            .set_family(family)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        Ok(image.self_link.unwrap_or(url))
    }

    pub(super) async fn insert_instance(&self, spec: &InstanceSpec) -> Result<Applied> {
        let p = self.project();
        let zone = spec
            .zone
            .clone()
            .unwrap_or_else(|| self.default_zone(&spec.region));
        if urls::zone_region(&zone) != spec.region && !spec.region.is_empty() {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!("zone {zone} is not in region {}", spec.region),
            ));
        }
        let boot = model::AttachedDisk::new()
            .set_boot(true)
            .set_auto_delete(true)
            .set_initialize_params(
                model::AttachedDiskInitializeParams::new()
                    .set_source_image(self.boot_image(spec.image.as_deref()).await?)
                    .set_or_clear_disk_size_gb(spec.disk_gib.map(|g| g as i64)),
            );
        let nic = model::NetworkInterface::new()
            .set_network(format!(
                "{}/projects/{p}/global/networks/default",
                urls::BASE
            ))
            .set_access_configs([model::AccessConfig::new()
                .set_name("External NAT")
                .set_type(model::access_config::Type::OneToOneNat)]);
        let mut body = model::Instance::new()
            .set_name(spec.name.as_str())
            .set_machine_type(urls::zonal(p, &zone, "machineTypes", &spec.instance_type))
            .set_disks([boot])
            .set_network_interfaces([nic])
            .set_labels(labels(&spec.tags));
        if spec.spot {
            body = body.set_scheduling(
                model::Scheduling::new()
                    .set_provisioning_model(model::scheduling::ProvisioningModel::Spot)
                    .set_instance_termination_action(
                        model::scheduling::InstanceTerminationAction::Stop,
                    ),
            );
        }
        let c = self.session.clients().await?;
        let op = c
            .instances
            .insert()
            .set_project(p)
            .set_zone(&zone)
            .set_body(body)
            .set_request_id(request_id())
            .with_idempotency(true)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        self.saw_zone(&zone);
        self.accepted(
            self.zonal_ref(ResourceKind::Instance, &zone, &spec.name),
            &op,
        )
    }

    pub(super) async fn insert_disk(&self, spec: &DiskSpec) -> Result<Applied> {
        let p = self.project();
        let zone = &spec.zone;
        let body = model::Disk::new()
            .set_name(spec.name.as_str())
            .set_size_gb(spec.size_gib as i64)
            .set_type(urls::zonal(
                p,
                zone,
                "diskTypes",
                spec.disk_type.as_deref().unwrap_or("pd-balanced"),
            ))
            .set_labels(labels(&spec.tags));
        let c = self.session.clients().await?;
        let op = c
            .disks
            .insert()
            .set_project(p)
            .set_zone(zone)
            .set_body(body)
            .set_request_id(request_id())
            .with_idempotency(true)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        self.accepted(self.zonal_ref(ResourceKind::Disk, zone, &spec.name), &op)
    }

    pub(super) async fn delete_disk(&self, disk: &Disk) -> Result<Applied> {
        let r = &disk.r#ref;
        let zone = zone_of(r)?;
        let c = self.session.clients().await?;
        let op = c
            .disks
            .delete()
            .set_project(self.project())
            .set_zone(zone)
            .set_disk(r.id.as_str())
            .set_request_id(request_id())
            .with_idempotency(true)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        self.accepted(r.clone(), &op)
    }

    pub(super) async fn attach_disk(
        &self,
        disk: &Disk,
        instance: &Instance,
        device: Option<&str>,
    ) -> Result<Applied> {
        let dz = zone_of(&disk.r#ref)?;
        let iz = zone_of(&instance.r#ref)?;
        if dz != iz {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!("disk {} is in {dz} and instance {} in {iz}: a zonal disk attaches only in its own zone", disk.name, instance.name),
            ));
        }
        let p = self.project();
        let mut body = model::AttachedDisk::new()
            .set_source(urls::zonal(p, dz, "disks", &disk.r#ref.id))
            .set_mode(model::attached_disk::Mode::ReadWrite);
        if let Some(d) = device {
            body = body.set_device_name(d);
        }
        let c = self.session.clients().await?;
        let op = c
            .instances
            .attach_disk()
            .set_project(p)
            .set_zone(iz)
            .set_instance(instance.r#ref.id.as_str())
            .set_body(body)
            .set_request_id(request_id())
            .with_idempotency(true)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        self.accepted(disk.r#ref.clone(), &op)
    }

    pub(super) async fn detach_disk(&self, disk: &Disk) -> Result<Applied> {
        let zone = zone_of(&disk.r#ref)?;
        // The instance and device name, fresh from Compute (a listed row may be old).
        let d = self.get_disk(zone, &disk.r#ref.id).await?;
        let Some((_, vz, vm)) = d.users.first().and_then(|u| urls::zonal_parts(u)) else {
            return Err(ProviderError::coded(
                ErrorKind::InvalidState,
                "notAttached",
                format!("disk {} is not attached to an instance", disk.name),
            ));
        };
        let v = self.get_instance(vz, vm).await?;
        let device = v
            .disks
            .iter()
            .find(|a| {
                a.source.as_deref().is_some_and(|s| {
                    urls::last(s) == disk.r#ref.id && urls::segment(s, "zones") == Some(zone)
                })
            })
            .and_then(|a| a.device_name.clone())
            .ok_or_else(|| {
                ProviderError::new(
                    ErrorKind::InvalidState,
                    format!(
                        "instance {vm} does not list disk {} among its disks",
                        disk.name
                    ),
                )
            })?;
        let c = self.session.clients().await?;
        let op = c
            .instances
            .detach_disk()
            .set_project(self.project())
            .set_zone(vz)
            .set_instance(vm)
            .set_device_name(device)
            .set_request_id(request_id())
            .with_idempotency(true)
            .send()
            .await
            .map_err(errors::from_sdk)?;
        self.accepted(disk.r#ref.clone(), &op)
    }
}
