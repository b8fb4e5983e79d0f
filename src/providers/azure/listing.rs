//! Inventory: VMs with their power state in the same pages, managed disks, load balancers, and
//! the NIC and public IP lists that give addresses and backend targets. One list call per page,
//! never one per VM (what makes `az vm list -d` slow).
//!
//! * Subscription scope: `virtualMachines?statusOnly=true` (ARM: "enables fetching run time
//!   status of all Virtual Machines in the subscription"; `$expand=instanceView` there needs a
//!   `$filter`). Should an answer carry the instance views without the models (hardware
//!   profile), the plain list is read as well and joined by id.
//! * Resource group scope: `virtualMachines?$expand=instanceView` (allowed there).
//! * Sizes: `locations/{location}/vmSizes`, once per location, cached for the account.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use futures_util::future::try_join3;
use serde_json::Value;

use super::arm;
use super::convert::{self, LunIndex, Network, SizeInfo};
use super::AzureProvider;
use crate::domain::{Disk, Instance, LoadBalancer};
use crate::providers::{in_regions, ListScope, Result, ScopeLevel};

pub const COMPUTE_API: &str = "2024-07-01";
pub const DISK_API: &str = "2024-03-02";
pub const NETWORK_API: &str = "2024-03-01";

/// How long the LUNs learnt from a VM listing serve a disk listing.
const LUNS_FRESH: Duration = Duration::from_secs(60);

impl AzureProvider {
    /// `/subscriptions/S` or `/subscriptions/S/resourceGroups/G`.
    fn scope_path(&self, scope: &ListScope) -> String {
        let sub = self.session.subscription();
        match scope.level {
            ScopeLevel::ResourceGroup => {
                format!("/subscriptions/{sub}/resourceGroups/{}", scope.name)
            }
            _ => format!("/subscriptions/{sub}"),
        }
    }

    /// Every VM of the scope, each with its instance view.
    async fn vm_rows(&self, scope: &ListScope) -> Result<Vec<Value>> {
        let base = format!(
            "{}/providers/Microsoft.Compute/virtualMachines?api-version={COMPUTE_API}",
            self.scope_path(scope)
        );
        let with_status = match scope.level {
            ScopeLevel::ResourceGroup => format!("{base}&$expand=instanceView"),
            _ => format!("{base}&statusOnly=true"),
        };
        let mut rows = self.session.pages(&with_status).await?;
        let models_missing = rows
            .iter()
            .any(|v| v.pointer("/properties/hardwareProfile").is_none());
        if models_missing {
            // Status without the model: read the model too and put each instance view in it.
            let views: HashMap<String, Value> = rows
                .iter()
                .filter_map(|v| {
                    Some((
                        v.get("id")?.as_str()?.to_ascii_lowercase(),
                        v.pointer("/properties/instanceView")?.clone(),
                    ))
                })
                .collect();
            rows = self.session.pages(&base).await?;
            for v in &mut rows {
                let id = v
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if let (Some(view), Some(props)) = (
                    views.get(&id),
                    v.get_mut("properties").and_then(Value::as_object_mut),
                ) {
                    props.insert("instanceView".into(), view.clone());
                }
            }
        }
        Ok(rows)
    }

    pub(super) async fn network_rows(&self, scope: &ListScope, kind: &str) -> Result<Vec<Value>> {
        self.session
            .pages(&format!(
                "{}/providers/Microsoft.Network/{kind}?api-version={NETWORK_API}",
                self.scope_path(scope)
            ))
            .await
    }

    /// vCPUs and memory of every size offered in `locations`, asked once per location.
    pub(super) async fn learn_sizes(&self, locations: &HashSet<String>) {
        for loc in locations {
            let key = loc.to_ascii_lowercase();
            if self.sizes.lock().expect("sizes").contains_key(&key) {
                continue;
            }
            let s = &self.session;
            let req = s
                .compute
                .virtual_machine_sizes_client()
                .list(loc.clone(), s.subscription().to_string());
            let got = s
                .raw(async { req.send().await.map(|r| r.into_raw_response()) })
                .await
                .and_then(|(_, _, body)| {
                    serde_json::from_slice::<arm::VmSizes>(&body).map_err(|e| {
                        crate::providers::ProviderError::new(
                            crate::providers::ErrorKind::Unavailable,
                            e.to_string(),
                        )
                    })
                });
            match got {
                Ok(sizes) => {
                    let map = sizes
                        .value
                        .into_iter()
                        .filter_map(|z| {
                            Some((
                                z.name.to_ascii_lowercase(),
                                SizeInfo {
                                    vcpus: z.number_of_cores?,
                                    memory_gib: z.memory_in_mb? / 1024.0,
                                },
                            ))
                        })
                        .collect();
                    self.sizes.lock().expect("sizes").insert(key, map);
                }
                // Sizes are a nicety: the VMs are listed without them.
                Err(e) => tracing::debug!(location = %loc, error = %e, "vmSizes not read"),
            }
        }
    }

    pub(super) fn size_of(&self, location: &str, size: &str) -> Option<SizeInfo> {
        self.sizes
            .lock()
            .expect("sizes")
            .get(&location.to_ascii_lowercase())
            .and_then(|m| m.get(&size.to_ascii_lowercase()))
            .copied()
    }

    pub(super) async fn list_instances(&self, scope: &ListScope) -> Result<Vec<Instance>> {
        let (vms, nics, pips) = try_join3(
            self.vm_rows(scope),
            self.network_rows(scope, "networkInterfaces"),
            self.network_rows(scope, "publicIPAddresses"),
        )
        .await?;
        let vms: Vec<arm::Vm> = vms.iter().map(arm::row).collect();
        let net = Network::from_rows(&nics, &pips);
        let locations: HashSet<String> = vms
            .iter()
            .filter(|v| self.in_configured(&v.location))
            .map(|v| v.location.clone())
            .collect();
        self.learn_sizes(&locations).await;
        *self.luns.lock().expect("luns") = Some((Instant::now(), convert::lun_index(&vms)));
        let account = self.info.name.as_str();
        let mut out: Vec<Instance> = vms
            .iter()
            .map(|v| convert::instance(account, v, |l, s| self.size_of(l, s), &net))
            .collect();
        in_regions(&mut out, &self.info.regions, |i| i.region());
        Ok(out)
    }

    async fn luns(&self, scope: &ListScope) -> Result<LunIndex> {
        if let Some((at, idx)) = self.luns.lock().expect("luns").as_ref() {
            if at.elapsed() < LUNS_FRESH {
                return Ok(idx.clone());
            }
        }
        let rows = self
            .session
            .pages(&format!(
                "{}/providers/Microsoft.Compute/virtualMachines?api-version={COMPUTE_API}",
                self.scope_path(scope)
            ))
            .await?;
        let vms: Vec<arm::Vm> = rows.iter().map(arm::row).collect();
        Ok(convert::lun_index(&vms))
    }

    pub(super) async fn list_disks(&self, scope: &ListScope) -> Result<Vec<Disk>> {
        let rows = self
            .session
            .pages(&format!(
                "{}/providers/Microsoft.Compute/disks?api-version={DISK_API}",
                self.scope_path(scope)
            ))
            .await?;
        let disks: Vec<arm::Disk> = rows.iter().map(arm::row).collect();
        let luns = if disks.iter().any(|d| d.managed_by.is_some()) {
            self.luns(scope).await?
        } else {
            LunIndex::new()
        };
        let account = self.info.name.as_str();
        let mut out: Vec<Disk> = disks
            .iter()
            .map(|d| convert::disk(account, d, luns.get(&d.id.to_ascii_lowercase()).copied()))
            .collect();
        in_regions(&mut out, &self.info.regions, |d| &d.r#ref.region);
        Ok(out)
    }

    pub(super) async fn list_load_balancers(&self, scope: &ListScope) -> Result<Vec<LoadBalancer>> {
        let (lbs, nics, pips) = try_join3(
            self.network_rows(scope, "loadBalancers"),
            self.network_rows(scope, "networkInterfaces"),
            self.network_rows(scope, "publicIPAddresses"),
        )
        .await?;
        let net = Network::from_rows(&nics, &pips);
        let account = self.info.name.as_str();
        let mut out: Vec<LoadBalancer> = lbs
            .iter()
            .map(|v| convert::load_balancer(account, &arm::row(v), &net))
            .collect();
        in_regions(&mut out, &self.info.regions, |l| &l.r#ref.region);
        Ok(out)
    }

    pub(super) fn in_configured(&self, location: &str) -> bool {
        self.info.regions.is_empty() || self.info.regions.iter().any(|r| r == location)
    }
}
