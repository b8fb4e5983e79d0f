//! Changes, each sent once with a generated client's `.send()` and handed back with the
//! operation ARM gave (`Azure-AsyncOperation`, else `Location`) for nephos to follow. Steps
//! nephos must finish before the change it reports (a resource group, VNet and NIC before a VM;
//! a public IP before a load balancer) are followed to their end here. Everything nephos makes
//! is tagged `made-by=nephos`.

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use super::arm;
use super::convert::{instance_ref, parts};
use super::operations::finish;
use super::session::{operation_of, parse};
use super::AzureProvider;
use crate::domain::{Disk, Instance, ProviderKind, Resource, ResourceKind, ResourceRef, Tags};
use crate::providers::{
    Applied, DiskSpec, ErrorKind, InstanceAction, InstanceSpec, ProviderError, Result,
};

/// The tag on everything nephos makes.
pub const MADE_BY: (&str, &str) = ("made-by", "nephos");
/// The image a VM gets when none is named: the current Ubuntu LTS.
pub const DEFAULT_IMAGE: &str = "Canonical:ubuntu-24_04-lts:server:latest";

/// A request body as the generated model, which the generated builders take.
pub(super) fn model<T: DeserializeOwned>(what: &str, v: Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| {
        ProviderError::new(
            ErrorKind::Invalid,
            format!("the {what} request does not fit azure_mgmt's model: {e}"),
        )
    })
}

pub(super) fn tags_json(t: &Tags) -> Value {
    Value::Object(
        t.iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect::<Map<_, _>>(),
    )
}

pub(super) fn made(tags: &Tags) -> Value {
    let mut t = tags.clone();
    t.insert(MADE_BY.0, MADE_BY.1);
    tags_json(&t)
}

impl AzureProvider {
    pub(super) fn arm_id(&self, group: &str, rtype: &str, name: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{group}/providers/{rtype}/{name}",
            self.session.subscription()
        )
    }

    pub(super) fn made_ref(&self, kind: ResourceKind, region: &str, id: &str) -> ResourceRef {
        ResourceRef::new(ProviderKind::Azure, &self.info.name, region, kind, id)
    }

    // ---- instances ----

    pub(super) async fn act_on_instance(
        &self,
        target: &Instance,
        action: InstanceAction,
    ) -> Result<Applied> {
        let p = parts(&target.r#ref.id)?;
        let vms = self.session.compute.virtual_machines_client();
        let (rg, name, sub) = (p.resource_group, p.name, p.subscription);
        let s = &self.session;
        let (_, headers, _) = match action {
            InstanceAction::Start => {
                let r = vms.start(rg, name, sub);
                s.raw(async { r.send().await.map(|r| r.into_raw_response()) })
                    .await?
            }
            // Deallocate: what stops the bill for compute (power-off alone does not).
            InstanceAction::Stop => {
                let r = vms.deallocate(rg, name, sub);
                s.raw(async { r.send().await.map(|r| r.into_raw_response()) })
                    .await?
            }
            InstanceAction::Reboot => {
                let r = vms.restart(rg, name, sub);
                s.raw(async { r.send().await.map(|r| r.into_raw_response()) })
                    .await?
            }
            InstanceAction::Terminate => {
                let r = vms.delete(rg, name, sub);
                s.raw(async { r.send().await.map(|r| r.into_raw_response()) })
                    .await?
            }
            InstanceAction::PowerOff => return self.power_off_action(target).await,
        };
        Ok(Applied::to(target.r#ref.clone(), operation_of(&headers)))
    }

    /// Power off without deallocating (`POST …/powerOff`): the VM stops but keeps its hardware
    /// and **is still billed**. nephos's `power-off` (`Op::PowerOff`), Azure's alone.
    pub(super) async fn power_off_action(&self, target: &Instance) -> Result<Applied> {
        let p = parts(&target.r#ref.id)?;
        let r = self.session.compute.virtual_machines_client().power_off(
            p.resource_group,
            p.name,
            p.subscription,
        );
        let (_, headers, _) = self
            .session
            .raw(async { r.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(Applied::to(target.r#ref.clone(), operation_of(&headers)))
    }

    pub(super) async fn create_instance(&self, spec: &InstanceSpec) -> Result<Applied> {
        let (key, group, subnet) = self.placement(spec).await?;
        let s = &self.session;
        let nic_name = format!("{}-nic", spec.name);
        let nic_id = self.arm_id(&group, "Microsoft.Network/networkInterfaces", &nic_name);
        let nic = json!({
            "location": spec.region,
            "tags": made(&Tags::new()),
            "properties": {"ipConfigurations": [{"name": "ipconfig1", "properties": {
                "subnet": {"id": subnet}, "privateIPAllocationMethod": "Dynamic"}}]}
        });
        let put = s.network.network_interfaces_client().create_or_update(
            group.clone(),
            nic_name,
            model::<azure_mgmt_network::models::NetworkInterface>("network interface", nic)?,
            s.subscription(),
        );
        let (_, h, _) = s
            .raw(async { put.send().await.map(|r| r.into_raw_response()) })
            .await?;
        finish(s, operation_of(&h)).await?;

        let image = spec.image.as_deref().unwrap_or(DEFAULT_IMAGE);
        let urn: Vec<&str> = image.split(':').collect();
        let image_ref = match urn.as_slice() {
            [publisher, offer, sku, version] => {
                json!({"publisher": publisher, "offer": offer, "sku": sku, "version": version})
            }
            _ if image.starts_with("/subscriptions/") => json!({"id": image}),
            _ => {
                return Err(ProviderError::new(
                    ErrorKind::Invalid,
                    format!(
                        "image '{image}' is neither PUBLISHER:OFFER:SKU:VERSION nor an image id"
                    ),
                ))
            }
        };
        let mut os_disk = json!({"createOption": "FromImage", "deleteOption": "Delete",
            "managedDisk": {"storageAccountType": "StandardSSD_LRS"}});
        if let Some(gib) = spec.disk_gib {
            os_disk["diskSizeGB"] = json!(gib);
        }
        let mut props = json!({
            "hardwareProfile": {"vmSize": spec.instance_type},
            "storageProfile": {"imageReference": image_ref, "osDisk": os_disk},
            "osProfile": {
                "computerName": spec.name,
                "adminUsername": "azureuser",
                "linuxConfiguration": {"disablePasswordAuthentication": true, "ssh": {"publicKeys": [
                    {"path": "/home/azureuser/.ssh/authorized_keys", "keyData": key}]}}
            },
            "networkProfile": {"networkInterfaces": [{"id": nic_id, "properties": {"primary": true, "deleteOption": "Delete"}}]}
        });
        if spec.spot {
            props["priority"] = json!("Spot");
            props["evictionPolicy"] = json!("Deallocate");
            props["billingProfile"] = json!({"maxPrice": -1});
        }
        let mut vm =
            json!({"location": spec.region, "tags": made(&spec.tags), "properties": props});
        if let Some(z) = &spec.zone {
            vm["zones"] = json!([z]);
        }
        let put = s.compute.virtual_machines_client().create_or_update(
            group.clone(),
            spec.name.clone(),
            model::<azure_mgmt_compute::models::VirtualMachine>("virtual machine", vm)?,
            s.subscription(),
        );
        let (_, h, body) = s
            .raw(async { put.send().await.map(|r| r.into_raw_response()) })
            .await?;
        // ARM answers with the VM (201, `Creating`): its id as ARM spells it.
        let id = parse(&body)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| {
                self.arm_id(&group, "Microsoft.Compute/virtualMachines", &spec.name)
            });
        Ok(Applied::to(
            instance_ref(&self.info.name, &spec.region, &id),
            operation_of(&h),
        ))
    }

    // ---- disks ----

    pub(super) async fn create_disk(&self, spec: &DiskSpec) -> Result<Applied> {
        let group = self.group_for(&spec.region).await?;
        let s = &self.session;
        let mut body = json!({
            "location": spec.region,
            "tags": made(&spec.tags),
            "sku": {"name": spec.disk_type.as_deref().unwrap_or("StandardSSD_LRS")},
            "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": spec.size_gib}
        });
        if !spec.zone.is_empty() && spec.zone != spec.region {
            body["zones"] = json!([spec.zone]);
        }
        let put = s.compute.disks_client().create_or_update(
            s.subscription(),
            group.clone(),
            spec.name.clone(),
            model::<azure_mgmt_compute::models::Disk>("disk", body)?,
        );
        let (_, h, _) = s
            .raw(async { put.send().await.map(|r| r.into_raw_response()) })
            .await?;
        let id = self.arm_id(&group, "Microsoft.Compute/disks", &spec.name);
        Ok(Applied::to(
            self.made_ref(ResourceKind::Disk, &spec.region, &id),
            operation_of(&h),
        ))
    }

    pub(super) async fn delete_disk(&self, disk: &Disk) -> Result<Applied> {
        let p = parts(&disk.r#ref.id)?;
        let s = &self.session;
        let del = s
            .compute
            .disks_client()
            .delete(p.subscription, p.resource_group, p.name);
        let (_, h, _) = s
            .raw(async { del.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(Applied::to(disk.r#ref.clone(), operation_of(&h)))
    }

    /// Attach or detach through `attachDetachDataDisks` (one POST; ARM picks the LUN when none
    /// is asked for). `device` may be `lun3` or `3`.
    pub(super) async fn attach_detach(
        &self,
        disk: &Disk,
        vm_id: &str,
        attach: bool,
        device: Option<&str>,
    ) -> Result<Applied> {
        let p = parts(vm_id)?;
        let body = if attach {
            let mut one = json!({"diskId": disk.r#ref.id.as_str()});
            if let Some(d) = device {
                let n: i64 = d.trim_start_matches("lun").parse().map_err(|_| {
                    ProviderError::new(
                        ErrorKind::Invalid,
                        format!("device '{d}' is not a LUN (0-63, or lunN)"),
                    )
                })?;
                one["lun"] = json!(n);
            }
            json!({"dataDisksToAttach": [one]})
        } else {
            json!({"dataDisksToDetach": [{"diskId": disk.r#ref.id.as_str()}]})
        };
        let s = &self.session;
        let post = s
            .compute
            .virtual_machines_client()
            .attach_detach_data_disks(
                p.resource_group,
                p.name,
                model::<azure_mgmt_compute::models::AttachDetachDataDisksRequest>(
                    "attach/detach",
                    body,
                )?,
                p.subscription,
            );
        let (_, h, _) = s
            .raw(async { post.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(Applied::to(disk.r#ref.clone(), operation_of(&h)))
    }

    pub(super) async fn detach(&self, disk: &Disk) -> Result<Applied> {
        let vm = match &disk.attached_to {
            Some(r) => r.id.to_string(),
            None => {
                // The row may be stale: ask ARM who holds it.
                let d: arm::Disk = arm::row(&self.get_disk(&disk.r#ref.id).await?);
                d.managed_by.filter(|m| !m.is_empty()).ok_or_else(|| {
                    ProviderError::new(
                        ErrorKind::InvalidState,
                        format!("disk {} is not attached", disk.name),
                    )
                })?
            }
        };
        self.attach_detach(disk, &vm, false, None).await
    }

    // ---- tags ----

    /// Tags set and removed with a PATCH of the resource's `tags` (the whole map: the current
    /// tags are read first, so the others are kept).
    pub(super) async fn tag(
        &self,
        target: &Resource,
        set: &Tags,
        remove: &[String],
    ) -> Result<Applied> {
        let r = target.resource_ref();
        let p = parts(&r.id)?;
        let s = &self.session;
        let current = match r.kind {
            ResourceKind::Instance => self.get_vm(&r.id, false).await?,
            ResourceKind::Disk => self.get_disk(&r.id).await?,
            ResourceKind::LoadBalancer => self.get_lb(&r.id).await?,
            ResourceKind::Network => return Err(crate::providers::list_kind::networks_elsewhere()),
        };
        let mut tags: Tags = arm::row::<arm::Vm>(&current).tags;
        for (k, v) in set.iter() {
            tags.insert(k, v);
        }
        for k in remove {
            tags.remove(k);
        }
        let body = json!({"tags": tags_json(&tags)});
        let (_, h, _) = match r.kind {
            ResourceKind::Instance => {
                let b = s.compute.virtual_machines_client().update(
                    p.resource_group,
                    p.name,
                    model::<azure_mgmt_compute::models::VirtualMachineUpdate>("tags", body)?,
                    p.subscription,
                );
                s.raw(async { b.send().await.map(|r| r.into_raw_response()) })
                    .await?
            }
            ResourceKind::Disk => {
                let b = s.compute.disks_client().update(
                    p.subscription,
                    p.resource_group,
                    p.name,
                    model::<azure_mgmt_compute::models::DiskUpdate>("tags", body)?,
                );
                s.raw(async { b.send().await.map(|r| r.into_raw_response()) })
                    .await?
            }
            ResourceKind::LoadBalancer => {
                let b = s.network.load_balancers_client().update_tags(
                    p.resource_group,
                    p.name,
                    model::<azure_mgmt_network::models::TagsObject>("tags", body)?,
                    p.subscription,
                );
                s.raw(async { b.send().await.map(|r| r.into_raw_response()) })
                    .await?
            }
            ResourceKind::Network => return Err(crate::providers::list_kind::networks_elsewhere()),
        };
        Ok(Applied::to(r.clone(), operation_of(&h)))
    }
}
