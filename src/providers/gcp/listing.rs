//! Reading: instances and disks through aggregated lists (every zone in one call per page of
//! `maxResults` 500; empty scopes' `NO_RESULTS_ON_PAGE` warnings are skipped; `unreachables` in
//! the configured regions are the listing's error), machine types looked up once per type name
//! and cached, and describe by zone and name with the API's own payload.

use futures_util::future::join_all;
use google_cloud_compute_v1::model;

use super::convert::{self, TypeSize};
use super::{errors, urls, GcpProvider};
use crate::domain::{Described, Disk, Instance, Resource, ResourceRef};
use crate::providers::{ErrorKind, ProviderError, Result};

/// One page of an aggregated list, as `GcpProvider::every_page` takes it.
pub(super) struct Page<T> {
    pub items: Vec<T>,
    /// Zones or regions the call could not read (empty where the caller does not check them).
    pub unreachables: Vec<String>,
    pub next: Option<String>,
}

/// Every page of one aggregated list (`$client.aggregated_list()`), the rows of each scope's
/// `$field`, its `unreachables` checked against the configured regions.
macro_rules! aggregated {
    ($self:expr, $client:expr, $field:ident) => {
        $crate::providers::gcp::listing::paged!(
            $self,
            $client.aggregated_list(),
            page => page.items.into_values().flat_map(|s| s.$field).collect(),
            page.unreachables
        )
    };
}
pub(super) use aggregated;

/// Every page of a project-wide (global) list: `$client.list()` for the project.
macro_rules! global_list {
    ($self:expr, $client:expr) => {
        $crate::providers::gcp::listing::paged!($self, $client.list(), page => page.items, Vec::new())
    };
}
pub(super) use global_list;

/// The paging loop both are: the list request for the project, `maxResults` and the page token
/// set, each page's items and unreachable scopes read by the caller's expressions.
macro_rules! paged {
    ($self:expr, $list:expr, $page:ident => $items:expr, $unreachables:expr) => {{
        $self
            .every_page(|token| {
                let req = $list
                    .set_project($self.project())
                    .set_max_results($self.page_size());
                async move {
                    let req = match token {
                        Some(t) => req.set_page_token(t),
                        None => req,
                    };
                    let $page = req
                        .send()
                        .await
                        .map_err($crate::providers::gcp::errors::from_sdk)?;
                    Ok($crate::providers::gcp::listing::Page {
                        items: $items,
                        unreachables: $unreachables,
                        next: $page.next_page_token,
                    })
                }
            })
            .await
    }};
}
pub(super) use paged;

/// The key a disk is known by in the device-name cache: its zone and name.
pub fn disk_key(zone: &str, name: &str) -> String {
    format!("{zone}/{name}")
}

impl GcpProvider {
    /// `unreachables` lists zones or regions the aggregated call could not read: an error of
    /// this project when one lies in the configured regions (its rows would be missing without
    /// a word), ignored otherwise.
    fn check_unreachables(&self, unreachables: &[String]) -> Result<()> {
        let missing: Vec<&str> = unreachables
            .iter()
            .map(|u| u.as_str())
            .filter(|u| {
                let loc = urls::last(u);
                let region = if u.contains("zones/") {
                    urls::zone_region(loc)
                } else {
                    loc
                };
                self.in_regions(region)
            })
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(ProviderError::coded(
            ErrorKind::Unavailable,
            "unreachable",
            format!(
                "Compute could not read {} of project {}; the listing would be incomplete",
                missing.join(", "),
                self.project()
            ),
        ))
    }

    pub(super) fn page_size(&self) -> u32 {
        self.session.settings.page_size.clamp(1, 500)
    }

    /// Every page of one aggregated list, in order. `ask(token)` sends one page's request
    /// (`maxResults` = the page size; no token for the first) and splits its answer into the
    /// page's items, the `unreachables` that make the listing an error, and the next token.
    pub(super) async fn every_page<T, Fut>(
        &self,
        mut ask: impl FnMut(Option<String>) -> Fut,
    ) -> Result<Vec<T>>
    where
        Fut: std::future::Future<Output = Result<Page<T>>>,
    {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = ask(token.take()).await?;
            self.check_unreachables(&page.unreachables)?;
            out.extend(page.items);
            match page.next {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => return Ok(out),
            }
        }
    }

    pub(super) async fn all_instances(&self) -> Result<Vec<model::Instance>> {
        let c = self.session.clients().await?;
        aggregated!(self, c.instances, instances)
    }

    async fn all_disks(&self) -> Result<Vec<model::Disk>> {
        let c = self.session.clients().await?;
        aggregated!(self, c.disks, disks)
    }

    /// Look up the machine types of `vms` not yet known (one `machineTypes.get` per new type
    /// name, all at once; custom types need none), then the size of each name.
    async fn learn_types(&self, vms: &[model::Instance]) -> Result<()> {
        let mut wanted: Vec<(String, String)> = Vec::new();
        {
            let known = self.types.lock().expect("types");
            for v in vms {
                let Some(url) = v.machine_type.as_deref() else {
                    continue;
                };
                let name = urls::last(url);
                if known.contains_key(name)
                    || convert::custom_size(name).is_some()
                    || wanted.iter().any(|(_, n)| n == name)
                {
                    continue;
                }
                let zone = urls::segment(url, "zones")
                    .or(v.zone.as_deref().map(urls::last))
                    .unwrap_or_default();
                wanted.push((zone.to_string(), name.to_string()));
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let c = self.session.clients().await?;
        let answers = join_all(wanted.iter().map(|(zone, name)| {
            c.machine_types
                .get()
                .set_project(self.project())
                .set_zone(zone)
                .set_machine_type(name)
                .send()
        }))
        .await;
        let mut known = self.types.lock().expect("types");
        for ((_, name), answer) in wanted.into_iter().zip(answers) {
            match answer {
                Ok(t) => {
                    let size = match (t.guest_cpus, t.memory_mb) {
                        (Some(c), Some(m)) => Some(TypeSize {
                            vcpus: c.max(0) as u32,
                            memory_gib: f64::from(m) / 1024.0,
                        }),
                        _ => None,
                    };
                    known.insert(name, size);
                }
                Err(e) => {
                    let e = errors::from_sdk(e);
                    if e.kind == ErrorKind::NotFound {
                        known.insert(name, None);
                    } else {
                        // Sizes are a nicety: the rows are shown without them.
                        tracing::debug!(error = %e, "machine type lookup failed");
                    }
                }
            }
        }
        Ok(())
    }

    fn size_of(&self, name: &str) -> Option<TypeSize> {
        convert::custom_size(name).or_else(|| {
            self.types
                .lock()
                .expect("types")
                .get(name)
                .copied()
                .flatten()
        })
    }

    /// Remember the device names an instance gives its disks.
    fn learn_devices(&self, vms: &[model::Instance]) {
        let mut d = self.devices.lock().expect("devices");
        for v in vms {
            for a in &v.disks {
                if let (Some(src), Some(dev)) = (a.source.as_deref(), a.device_name.as_deref()) {
                    if let Some(zone) = urls::segment(src, "zones") {
                        d.insert(disk_key(zone, urls::last(src)), dev.to_string());
                    }
                }
            }
        }
    }

    fn to_instance(&self, v: &model::Instance) -> Instance {
        convert::instance(self.account_name(), v, |t| self.size_of(t))
    }

    pub(super) async fn list_instances(&self) -> Result<Vec<Instance>> {
        let mut vms = self.all_instances().await?;
        vms.retain(|v| {
            let zone = v.zone.as_deref().map(urls::last).unwrap_or_default();
            self.in_regions(urls::zone_region(zone))
        });
        self.learn_types(&vms).await?;
        self.learn_devices(&vms);
        let mut zones: Vec<&str> = vms
            .iter()
            .filter_map(|v| v.zone.as_deref().map(urls::last))
            .collect();
        zones.dedup();
        for z in zones {
            self.saw_zone(z);
        }
        Ok(vms.iter().map(|v| self.to_instance(v)).collect())
    }

    fn to_disk(&self, d: &model::Disk) -> Disk {
        let zone = d.zone.as_deref().map(urls::last).unwrap_or_default();
        let device = self
            .devices
            .lock()
            .expect("devices")
            .get(&disk_key(zone, d.name.as_deref().unwrap_or_default()))
            .cloned();
        convert::disk(self.account_name(), d, device.as_deref())
    }

    pub(super) async fn list_disks(&self) -> Result<Vec<Disk>> {
        let mut disks = self.all_disks().await?;
        disks.retain(|d| {
            let zone = d.zone.as_deref().map(urls::last).unwrap_or_default();
            // Regional disks (no zone) are left out: nephos addresses disks by zone.
            !zone.is_empty() && self.in_regions(urls::zone_region(zone))
        });
        Ok(disks.iter().map(|d| self.to_disk(d)).collect())
    }

    pub(super) async fn get_instance(&self, zone: &str, name: &str) -> Result<model::Instance> {
        let c = self.session.clients().await?;
        c.instances
            .get()
            .set_project(self.project())
            .set_zone(zone)
            .set_instance(name)
            .send()
            .await
            .map_err(errors::from_sdk)
    }

    pub(super) async fn get_disk(&self, zone: &str, name: &str) -> Result<model::Disk> {
        let c = self.session.clients().await?;
        c.disks
            .get()
            .set_project(self.project())
            .set_zone(zone)
            .set_disk(name)
            .send()
            .await
            .map_err(errors::from_sdk)
    }

    pub(super) async fn describe_instance(&self, r: &ResourceRef) -> Result<Described> {
        let zone = zone_of(r)?;
        let v = self.get_instance(zone, &r.id).await?;
        let vms = std::slice::from_ref(&v);
        self.learn_types(vms).await?;
        self.learn_devices(vms);
        Ok(Described {
            resource: Resource::Instance(self.to_instance(&v)),
            raw: serde_json::to_value(&v).unwrap_or_default(),
        })
    }

    pub(super) async fn describe_disk(&self, r: &ResourceRef) -> Result<Described> {
        let zone = zone_of(r)?;
        let d = self.get_disk(zone, &r.id).await?;
        // The device name lives on the instance: ask it, so the answer is fresh.
        if let Some((_, z, vm)) = d.users.first().and_then(|u| urls::zonal_parts(u)) {
            if let Ok(v) = self.get_instance(z, vm).await {
                self.learn_devices(std::slice::from_ref(&v));
            }
        }
        Ok(Described {
            resource: Resource::Disk(self.to_disk(&d)),
            raw: serde_json::to_value(&d).unwrap_or_default(),
        })
    }
}

/// The zone of a zonal ref, or an error saying a GCP instance or disk ref needs one.
pub fn zone_of(r: &ResourceRef) -> Result<&str> {
    r.zone.as_deref().ok_or_else(|| {
        ProviderError::new(
            ErrorKind::Invalid,
            format!(
                "{r} names no zone: a GCP {} is addressed as gcp:ACCOUNT:ZONE:{}:NAME",
                r.kind, r.kind
            ),
        )
    })
}
