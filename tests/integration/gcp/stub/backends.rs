//! The stub's load balancers behind backend services, as compute.v1.json describes them:
//! zonal instance groups (`instanceGroups.listInstances`, paged), backend services regional and
//! global (`backendServices.getHealth` / `regionBackendServices.getHealth` per group), target
//! HTTP(S) proxies, URL maps and global forwarding rules (`globalForwardingRules.list`, get,
//! delete). Tests build them with the `World` methods below.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::routes::{err, not_found, window, Answer};
use super::wire::{fingerprint, last, project_url, region_url, segment, zone_url};
use super::world::{Loc, Project, World};

fn key(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

/// Where a global or regional resource's URL starts.
fn scope_url(p: &str, scope: &str) -> String {
    if scope == "global" {
        format!("{}/global", project_url(p))
    } else {
        region_url(p, scope)
    }
}

/// A list answer: `items`, and `nextPageToken` when there are more.
pub fn list_page(items: Vec<Value>, kind: &str, link: &str, next: Option<String>) -> Answer {
    let mut a = json!({"kind": kind, "id": link, "items": items, "selfLink": link});
    if let Some(t) = next {
        a["nextPageToken"] = json!(t);
    }
    (200, a)
}

impl World {
    /// A zonal instance group of `members` (instance names in the same zone); its URL.
    pub fn instance_group(&mut self, p: &str, zone: &str, name: &str, members: &[&str]) -> String {
        let urls = members
            .iter()
            .map(|m| format!("{}/instances/{m}", zone_url(p, zone)))
            .collect();
        self.project(p).groups.insert(key(zone, name), urls);
        format!("{}/instanceGroups/{name}", zone_url(p, zone))
    }

    /// A backend service in `scope` (a region or "global") over `groups` (URLs); its URL.
    pub fn backend_service(
        &mut self,
        p: &str,
        scope: &str,
        name: &str,
        protocol: &str,
        scheme: &str,
        groups: &[String],
    ) -> String {
        let link = format!("{}/backendServices/{name}", scope_url(p, scope));
        let mut s = json!({
            "kind": "compute#backendService",
            "id": self.new_id(),
            "creationTimestamp": "2026-11-30T08:15:00.000-08:00",
            "name": name,
            "protocol": protocol,
            "loadBalancingScheme": scheme,
            "backends": groups.iter().map(|g| json!({"group": g, "balancingMode": "UTILIZATION", "capacityScaler": 1.0})).collect::<Vec<_>>(),
            "healthChecks": [format!("{}/global/healthChecks/hc-80", project_url(p))],
            "timeoutSec": 30,
            "fingerprint": fingerprint(self.next_id()),
            "selfLink": link,
        });
        if scope != "global" {
            s["region"] = json!(region_url(p, scope));
        }
        self.project(p).services.insert(key(scope, name), s);
        link
    }

    /// A global URL map whose default service is `service`, and an HTTP (or HTTPS) proxy to
    /// it; the proxy's URL.
    pub fn proxy_to(&mut self, p: &str, name: &str, https: bool, service: &str) -> String {
        let g = scope_url(p, "global");
        let map = format!("{g}/urlMaps/{name}-map");
        let m = json!({"kind": "compute#urlMap", "id": self.new_id(), "name": format!("{name}-map"), "defaultService": service, "fingerprint": fingerprint(self.next_id()), "selfLink": map});
        self.project(p)
            .url_maps
            .insert(key("global", &format!("{name}-map")), m);
        let coll = if https {
            "targetHttpsProxies"
        } else {
            "targetHttpProxies"
        };
        let link = format!("{g}/{coll}/{name}");
        let mut proxy = json!({"kind": if https { "compute#targetHttpsProxy" } else { "compute#targetHttpProxy" }, "id": self.new_id(), "name": name, "urlMap": map, "fingerprint": fingerprint(self.next_id()), "selfLink": link});
        if https {
            proxy["sslCertificates"] = json!([format!("{g}/sslCertificates/{name}-cert")]);
        }
        let pr = self.project(p);
        let to = if https {
            &mut pr.https_proxies
        } else {
            &mut pr.http_proxies
        };
        to.insert(key("global", name), proxy);
        link
    }

    /// A forwarding rule in `scope` (a region or "global") with `fields` (target or
    /// backendService, IPProtocol, ports, loadBalancingScheme) added; its URL.
    pub fn rule(&mut self, p: &str, scope: &str, name: &str, ip: &str, fields: Value) -> String {
        let link = format!("{}/forwardingRules/{name}", scope_url(p, scope));
        let n = self.next_id();
        let mut r = json!({
            "kind": "compute#forwardingRule",
            "id": self.new_id(),
            "creationTimestamp": "2026-11-30T08:15:00.000-08:00",
            "name": name,
            "IPAddress": ip,
            "labels": {},
            "labelFingerprint": fingerprint(n),
            "fingerprint": fingerprint(n + 1),
            "networkTier": "PREMIUM",
            "selfLink": link,
        });
        for (k, v) in fields.as_object().into_iter().flatten() {
            r[k] = v.clone();
        }
        let pr = self.project(p);
        if scope == "global" {
            pr.global_rules.insert(key("global", name), r);
        } else {
            r["region"] = json!(region_url(p, scope));
            pr.rules.insert(key(scope, name), r);
        }
        link
    }
}

pub fn list_instances(w: &World, p: &str, z: &str, n: &str, q: &HashMap<String, String>) -> Answer {
    let Some(members) = w.projects[p].groups.get(&key(z, n)) else {
        return not_found(&format!("projects/{p}/zones/{z}/instanceGroups/{n}"));
    };
    let (start, max, next) = match window(q, members.len()) {
        Ok(w) => w,
        Err(a) => return a,
    };
    let items = members
        .iter()
        .skip(start)
        .take(max)
        .map(|u| {
            let vm = w.projects[p].instances.get(&key(z, last(u)));
            json!({"instance": u, "status": vm.map_or(json!("TERMINATED"), |v| v["status"].clone())})
        })
        .collect();
    list_page(
        items,
        "compute#instanceGroupsListInstances",
        &format!("{}/instanceGroups/{n}", zone_url(p, z)),
        next,
    )
}

/// A backend service's health in one of its groups: each member HEALTHY when RUNNING.
pub fn get_health(w: &World, p: &str, scope: &str, n: &str, body: &Value) -> Answer {
    let Some(s) = w.projects[p].services.get(&key(scope, n)) else {
        return not_found(&format!("projects/{p}/{scope}/backendServices/{n}"));
    };
    let group = body["group"].as_str().unwrap_or_default();
    if !s["backends"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|b| b["group"] == group)
    {
        return err(400, "invalid", format!("Invalid value for field 'resource.group': '{group}'. Resource group is not a backend of the backend service."));
    }
    let gk = key(segment(group, "zones").unwrap_or_default(), last(group));
    let members = w.projects[p].groups.get(&gk).cloned().unwrap_or_default();
    let statuses: Vec<Value> = members
        .iter()
        .map(|u| {
            let vm = w.projects[p].instances.get(&key(&gk.0, last(u)));
            let up = vm.is_some_and(|v| v["status"] == "RUNNING");
            json!({"instance": u, "ipAddress": vm.map(|v| v["networkInterfaces"][0]["networkIP"].clone()), "port": 80, "healthState": if up { "HEALTHY" } else { "UNHEALTHY" }})
        })
        .collect();
    (
        200,
        json!({"kind": "compute#backendServiceGroupHealth", "healthStatus": statuses}),
    )
}

pub fn delete_global_rule(w: &mut World, p: &str, n: &str) -> Answer {
    let k = key("global", n);
    let Some(rule) = w.projects[p].global_rules.get(&k) else {
        return not_found(&format!("projects/{p}/global/forwardingRules/{n}"));
    };
    let link = rule["selfLink"].as_str().unwrap_or_default().to_string();
    let gone = Box::new(move |pr: &mut Project| {
        pr.global_rules.remove(&k);
    });
    w.operation(p, Loc::Global, "delete", &link, None, Some(gone))
}
