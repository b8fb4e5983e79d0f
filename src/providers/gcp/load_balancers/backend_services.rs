//! Backend services behind forwarding rules: a passthrough rule names its service
//! (`backendService`); an HTTP(S) rule names a target proxy, whose URL map's default service is
//! the one shown (path rules are not followed). The instances are those of the service's zonal
//! instance groups (`instanceGroups.listInstances`); regional instance groups and network
//! endpoint groups are not read, so their members are not shown. Health comes from the
//! service's `getHealth`, one call per group, when a load balancer is described.

use std::collections::{HashMap, HashSet};

use futures_util::future::join_all;
use google_cloud_compute_v1::model;

use super::{apply_health, url_key};
use crate::domain::{Target, TargetHealth};
use crate::providers::gcp::listing::{aggregated, Page};
use crate::providers::gcp::{convert, errors, urls, GcpProvider};
use crate::providers::{ErrorKind, Result};

pub(super) fn is_proxy(url: &str) -> bool {
    url.contains("/targetHttpProxies/") || url.contains("/targetHttpsProxies/")
}

/// Instance groups whose members nephos reads: zonal ones.
fn is_zonal_group(url: &str) -> bool {
    url.contains("/zones/") && url.contains("/instanceGroups/")
}

fn groups(s: &model::BackendService) -> impl Iterator<Item = &str> {
    s.backends.iter().filter_map(|b| b.group.as_deref())
}

/// What the forwarding rules being shown lead to, read with one aggregated list per kind.
#[derive(Default)]
pub(super) struct Backends {
    /// Backend services (regional and global) by `url_key`.
    services: HashMap<String, model::BackendService>,
    /// Target HTTP(S) proxies by `url_key` → their URL map's URL.
    proxies: HashMap<String, String>,
    /// URL maps by `url_key` → their default service's URL.
    maps: HashMap<String, String>,
    /// Zonal instance groups by `url_key` → their instances' URLs.
    members: HashMap<String, Vec<String>>,
}

impl Backends {
    pub fn service_of(&self, fr: &model::ForwardingRule) -> Option<&model::BackendService> {
        let url = match fr.backend_service.as_deref() {
            Some(s) => s,
            None => {
                let map = self.proxies.get(url_key(fr.target.as_deref()?))?;
                self.maps.get(url_key(map))?
            }
        };
        self.services.get(url_key(url))
    }

    /// The instances of a service's groups, health unknown until `getHealth` says.
    pub fn targets(&self, account: &str, s: Option<&model::BackendService>) -> Vec<Target> {
        let mut seen = HashSet::new();
        s.into_iter()
            .flat_map(groups)
            .filter_map(|g| self.members.get(url_key(g)))
            .flatten()
            .filter(|u| seen.insert(url_key(u).to_string()))
            .filter_map(|u| convert::instance_ref(account, u))
            .map(|instance| Target {
                instance,
                health: TargetHealth::Unknown,
            })
            .collect()
    }
}

fn keyed(pairs: impl Iterator<Item = (Option<String>, Option<String>)>) -> HashMap<String, String> {
    pairs
        .filter_map(|(link, to)| Some((url_key(&link?).to_string(), to?)))
        .collect()
}

impl GcpProvider {
    /// Read what `rules` (all forwarding to backend services) need: proxies and URL maps only
    /// when a rule targets a proxy, the backend services, then the members of their groups.
    pub(super) async fn backends_for(&self, rules: &[&model::ForwardingRule]) -> Result<Backends> {
        let mut b = Backends::default();
        if rules.is_empty() {
            return Ok(b);
        }
        let c = self.session.clients().await?;
        let targets = |kind: &str| {
            rules
                .iter()
                .any(|f| f.target.as_deref().is_some_and(|t| t.contains(kind)))
        };
        let (http, https) = (
            targets("/targetHttpProxies/"),
            targets("/targetHttpsProxies/"),
        );
        if http {
            let list: Vec<model::TargetHttpProxy> =
                aggregated!(self, c.http_proxies, target_http_proxies)?;
            b.proxies
                .extend(keyed(list.into_iter().map(|p| (p.self_link, p.url_map))));
        }
        if https {
            let list: Vec<model::TargetHttpsProxy> =
                aggregated!(self, c.https_proxies, target_https_proxies)?;
            b.proxies
                .extend(keyed(list.into_iter().map(|p| (p.self_link, p.url_map))));
        }
        if http || https {
            let list: Vec<model::UrlMap> = aggregated!(self, c.url_maps, url_maps)?;
            b.maps = keyed(list.into_iter().map(|m| (m.self_link, m.default_service)));
        }
        let services: Vec<model::BackendService> =
            aggregated!(self, c.backend_services, backend_services)?;
        b.services = services
            .into_iter()
            .filter_map(|s| Some((url_key(s.self_link.as_deref()?).to_string(), s)))
            .collect();
        let mut wanted: Vec<String> = Vec::new();
        for f in rules {
            for g in b.service_of(f).into_iter().flat_map(groups) {
                if is_zonal_group(g) && !wanted.iter().any(|w| w == g) {
                    wanted.push(g.to_string());
                }
            }
        }
        let answers = join_all(wanted.iter().map(|g| self.group_members(g))).await;
        for (g, members) in wanted.iter().zip(answers) {
            b.members.insert(url_key(g).to_string(), members?);
        }
        Ok(b)
    }

    /// The instances of a zonal instance group, every page. A group gone meanwhile has none.
    async fn group_members(&self, group: &str) -> Result<Vec<String>> {
        let (Some(zone), name) = (urls::segment(group, "zones"), urls::last(group)) else {
            return Ok(Vec::new());
        };
        let c = self.session.clients().await?;
        let all = self
            .every_page(|token| {
                let req = c
                    .instance_groups
                    .list_instances()
                    .set_project(self.project())
                    .set_zone(zone)
                    .set_instance_group(name)
                    .set_max_results(self.page_size())
                    .set_body(
                        model::InstanceGroupsListInstancesRequest::new().set_instance_state(
                            model::instance_groups_list_instances_request::InstanceState::All,
                        ),
                    );
                async move {
                    let req = match token {
                        Some(t) => req.set_page_token(t),
                        None => req,
                    };
                    let page = req.send().await.map_err(errors::from_sdk)?;
                    Ok(Page {
                        items: page.items.into_iter().filter_map(|i| i.instance).collect(),
                        unreachables: Vec::new(),
                        next: page.next_page_token,
                    })
                }
            })
            .await;
        match all {
            Err(e) if e.kind == ErrorKind::NotFound => Ok(Vec::new()),
            other => other,
        }
    }

    /// Ask the service for the health of each of its groups and set the targets' health; the
    /// answers as read. Health is extra: a group whose health cannot be read shows unknown.
    pub(super) async fn service_health(
        &self,
        s: &model::BackendService,
        targets: &mut [Target],
    ) -> Result<serde_json::Value> {
        let c = self.session.clients().await?;
        let name = s.name.as_deref().unwrap_or_default();
        let region = s.region.as_deref().map(urls::last);
        let answers = join_all(groups(s).map(|g| async move {
            let body = model::ResourceGroupReference::new().set_group(g);
            match region {
                Some(r) => {
                    c.region_backend_services
                        .get_health()
                        .set_project(self.project())
                        .set_region(r)
                        .set_backend_service(name)
                        .set_body(body)
                        .send()
                        .await
                }
                None => {
                    c.backend_services
                        .get_health()
                        .set_project(self.project())
                        .set_backend_service(name)
                        .set_body(body)
                        .send()
                        .await
                }
            }
        }))
        .await;
        let mut seen = Vec::new();
        for answer in answers {
            match answer {
                Ok(h) => {
                    apply_health(targets, &h.health_status, self.account_name());
                    seen.push(serde_json::to_value(&h).unwrap_or_default());
                }
                Err(e) => tracing::debug!(error = %errors::from_sdk(e), "getHealth failed"),
            }
        }
        Ok(serde_json::Value::Array(seen))
    }
}
