//! Which Compute v1 method a request is (paths as in the discovery document's `flatPath`s,
//! under `/compute/v1/`), after the test's faults, forbidden and unknown projects; and the
//! reads: aggregated lists in pages, gets, Operations.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Value};

use super::wire::{self, region_of};
use super::world::World;
use super::{backends, compute, lb, networks};

pub type Answer = (u16, Value);

pub fn err(code: u16, reason: &str, message: impl Into<String>) -> Answer {
    (code, wire::error(code, reason, &message.into()))
}

pub fn not_found(what: &str) -> Answer {
    err(
        404,
        "notFound",
        format!("The resource '{what}' was not found"),
    )
}

fn query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%2F", "/").replace("%3A", ":")))
        .collect()
}

fn backend_error() -> Answer {
    err(
        503,
        "backendError",
        "Internal error. Please try again or contact Google Support.",
    )
}

/// A request: the test's faults first; then a change whose `requestId` was seen before gets the
/// first answer again (Compute's dedupe), and a change the test wants "lost" is carried out but
/// answered 503.
pub fn handle(w: &mut World, method: &str, path: &str, q: &str, body: &[u8]) -> Answer {
    w.requests.push((method.to_string(), path.to_string()));
    let id = (method != "GET")
        .then(|| query(q).remove("requestId"))
        .flatten();
    if let Some(id) = &id {
        w.request_ids.push(id.clone());
    }
    if let Some(f) = w.take_fault(method, path) {
        let message = match f.reason {
            "rateLimitExceeded" => "Rate Limit Exceeded".to_string(),
            "backendError" => return backend_error(),
            other => format!("injected {other}"),
        };
        return err(f.status, f.reason, message);
    }
    if let Some(id) = &id {
        if let Some(first) = w.answered.get(id) {
            return first.clone();
        }
    }
    let answer = route(w, method, path, q, body);
    if let (Some(id), 200) = (id, answer.0) {
        w.answered.insert(id, answer.clone());
    }
    if method != "GET"
        && answer.0 == 200
        && w.lose_answer.as_deref().is_some_and(|p| path.contains(p))
    {
        w.lose_answer = None;
        return backend_error();
    }
    answer
}

fn route(w: &mut World, method: &str, path: &str, q: &str, body: &[u8]) -> Answer {
    if let ["", "compute", "v1", "projects", ip, "global", "images", "family", f] =
        path.split('/').collect::<Vec<_>>().as_slice()
    {
        return match w.images.get(&(ip.to_string(), f.to_string())) {
            Some(i) => (200, i.clone()),
            None => not_found(&format!("projects/{ip}/global/images/family/{f}")),
        };
    }
    if path == "/token" {
        // An OAuth token endpoint that has revoked every refresh token (RFC 6749 §5.2).
        return (
            400,
            json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}),
        );
    }
    let Some(rest) = path.strip_prefix("/compute/v1/projects/") else {
        return not_found(path);
    };
    let seg: Vec<&str> = rest.split('/').collect();
    let p = seg[0];
    if w.forbidden.contains(p) {
        return err(
            403,
            "forbidden",
            format!("Required 'compute.instances.list' permission for 'projects/{p}'"),
        );
    }
    if !w.projects.contains_key(p) {
        return not_found(&format!("projects/{p}"));
    }
    let q = query(q);
    let body: Value = serde_json::from_slice(body).unwrap_or_else(|_| json!({}));
    if let Some(a) = networks::route(w, p, method, &seg[1..], &body) {
        return a;
    }
    match (method, &seg[1..]) {
        ("GET", ["aggregated", kind]) => aggregated(w, p, kind, &q),
        ("GET", ["zones", z, "instances", n]) => {
            get(&w.projects[p].instances, p, "zones", z, "instances", n)
        }
        ("POST", ["zones", z, "instances"]) => compute::insert_instance(w, p, z, &body),
        ("DELETE", ["zones", z, "instances", n]) => {
            compute::instance_action(w, p, z, n, "delete", &q, &body)
        }
        ("POST", ["zones", z, "instances", n, action]) => {
            compute::instance_action(w, p, z, n, action, &q, &body)
        }
        ("GET", ["zones", z, "disks", n]) => get(&w.projects[p].disks, p, "zones", z, "disks", n),
        ("POST", ["zones", z, "disks"]) => compute::insert_disk(w, p, z, &body),
        ("DELETE", ["zones", z, "disks", n]) => compute::delete_disk(w, p, z, n),
        ("POST", ["zones", z, "disks", n, "setLabels"]) => {
            compute::set_labels(w, p, compute::Coll::Disks, z, n, &body)
        }
        ("GET", ["zones", z, "machineTypes", n]) => machine_type(w, p, z, n),
        ("GET", ["zones", _, "operations", n])
        | ("GET", ["regions", _, "operations", n])
        | ("GET", ["global", "operations", n]) => operation(w, p, n, false),
        ("POST", ["zones", _, "operations", n, "wait"])
        | ("POST", ["regions", _, "operations", n, "wait"])
        | ("POST", ["global", "operations", n, "wait"]) => operation(w, p, n, true),
        ("GET", ["regions", r, "targetPools", n]) => {
            get(&w.projects[p].pools, p, "regions", r, "targetPools", n)
        }
        ("POST", ["regions", r, "targetPools"]) => lb::insert_pool(w, p, r, &body),
        ("DELETE", ["regions", r, "targetPools", n]) => lb::delete_pool(w, p, r, n),
        ("POST", ["regions", r, "targetPools", n, action]) => {
            lb::pool_action(w, p, r, n, action, &body)
        }
        ("GET", ["regions", r, "forwardingRules", n]) => {
            get(&w.projects[p].rules, p, "regions", r, "forwardingRules", n)
        }
        ("POST", ["regions", r, "forwardingRules"]) => lb::insert_rule(w, p, r, &body),
        ("DELETE", ["regions", r, "forwardingRules", n]) => lb::delete_rule(w, p, r, n),
        ("GET", ["global", "forwardingRules"]) => {
            let rules = &w.projects[p].global_rules;
            match window(&q, rules.len()) {
                Ok((start, max, next)) => backends::list_page(
                    rules.values().skip(start).take(max).cloned().collect(),
                    "compute#forwardingRuleList",
                    &format!("{}/global/forwardingRules", wire::project_url(p)),
                    next,
                ),
                Err(a) => a,
            }
        }
        ("GET", ["global", "forwardingRules", n]) => get(
            &w.projects[p].global_rules,
            p,
            "global",
            "",
            "forwardingRules",
            n,
        ),
        ("DELETE", ["global", "forwardingRules", n]) => backends::delete_global_rule(w, p, n),
        ("POST", ["zones", z, "instanceGroups", n, "listInstances"]) => {
            backends::list_instances(w, p, z, n, &q)
        }
        ("POST", ["global", "backendServices", n, "getHealth"]) => {
            backends::get_health(w, p, "global", n, &body)
        }
        ("POST", ["regions", r, "backendServices", n, "getHealth"]) => {
            backends::get_health(w, p, r, n, &body)
        }
        ("POST", ["regions", r, "forwardingRules", n, "setLabels"]) => {
            compute::set_labels(w, p, compute::Coll::Rules, r, n, &body)
        }
        _ => err(
            400,
            "invalid",
            format!("Invalid request: {method} {path} is not modelled by the stub"),
        ),
    }
}

fn get(
    map: &BTreeMap<(String, String), Value>,
    p: &str,
    level: &str,
    loc: &str,
    coll: &str,
    name: &str,
) -> Answer {
    let (key, path) = if level == "global" {
        ("global", format!("projects/{p}/global/{coll}/{name}"))
    } else {
        (loc, format!("projects/{p}/{level}/{loc}/{coll}/{name}"))
    };
    match map.get(&(key.to_string(), name.to_string())) {
        Some(v) => (200, v.clone()),
        None => not_found(&path),
    }
}

fn machine_type(w: &World, p: &str, z: &str, n: &str) -> Answer {
    match w.machine_types.get(n) {
        Some((cpus, mem)) => (
            200,
            json!({
                "kind": "compute#machineType",
                "id": "801016",
                "name": n,
                "guestCpus": cpus,
                "memoryMb": mem,
                "zone": z,
                "isSharedCpu": false,
                "maximumPersistentDisks": 128,
                "maximumPersistentDisksSizeGb": "263168",
                "selfLink": format!("{}/machineTypes/{n}", wire::zone_url(p, z)),
            }),
        ),
        None => not_found(&format!("projects/{p}/zones/{z}/machineTypes/{n}")),
    }
}

fn operation(w: &mut World, p: &str, n: &str, finish: bool) -> Answer {
    match w.poll(n, finish) {
        Some(op) => (200, op),
        None => not_found(&format!("projects/{p}/operations/{n}")),
    }
}

/// `aggregatedList` of a kind: rows in (location, name) order, `maxResults` at a time, keyed
/// `zones/Z` or `regions/R`; every scope without rows on the page gets NO_RESULTS_ON_PAGE.
fn aggregated(w: &World, p: &str, kind: &str, q: &HashMap<String, String>) -> Answer {
    let pr = &w.projects[p];
    let (map, field, zonal, list_kind) = match kind {
        "backendServices" => (
            &pr.services,
            "backendServices",
            false,
            "compute#backendServiceAggregatedList",
        ),
        "targetHttpProxies" => (
            &pr.http_proxies,
            "targetHttpProxies",
            false,
            "compute#targetHttpProxyAggregatedList",
        ),
        "targetHttpsProxies" => (
            &pr.https_proxies,
            "targetHttpsProxies",
            false,
            "compute#targetHttpsProxyAggregatedList",
        ),
        "urlMaps" => (
            &pr.url_maps,
            "urlMaps",
            false,
            "compute#urlMapsAggregatedList",
        ),
        "instances" => (
            &pr.instances,
            "instances",
            true,
            "compute#instanceAggregatedList",
        ),
        "disks" => (&pr.disks, "disks", true, "compute#diskAggregatedList"),
        "targetPools" => (
            &pr.pools,
            "targetPools",
            false,
            "compute#targetPoolAggregatedList",
        ),
        "forwardingRules" => (
            &pr.rules,
            "forwardingRules",
            false,
            "compute#forwardingRuleAggregatedList",
        ),
        other => {
            return err(
                400,
                "invalid",
                format!("aggregated/{other} is not modelled by the stub"),
            )
        }
    };
    let (start, max, next) = match window(q, map.len()) {
        Ok(w) => w,
        Err(a) => return a,
    };
    let scope_of = |loc: &str| {
        if zonal {
            format!("zones/{loc}")
        } else if loc == "global" {
            "global".to_string()
        } else {
            format!("regions/{loc}")
        }
    };
    let mut scopes: BTreeSet<String> = w
        .zones
        .iter()
        .map(|z| scope_of(if zonal { z } else { region_of(z) }))
        .collect();
    if map.keys().any(|(loc, _)| loc == "global") {
        scopes.insert("global".to_string());
    }
    let mut items: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for ((loc, _), v) in map.iter().skip(start).take(max) {
        let scope = scope_of(loc);
        scopes.insert(scope.clone());
        items.entry(scope).or_default().push(v.clone());
    }
    let mut out = serde_json::Map::new();
    for s in scopes {
        let entry = match items.remove(&s) {
            Some(rows) => json!({ field: rows }),
            None => json!({"warning": wire::no_results(&s)}),
        };
        out.insert(s, entry);
    }
    let mut answer = json!({
        "kind": list_kind,
        "id": format!("projects/{p}/aggregated/{kind}"),
        "items": out,
        "selfLink": format!("{}/aggregated/{kind}", wire::project_url(p)),
    });
    if let Some(t) = next {
        answer["nextPageToken"] = json!(t);
    }
    if !w.unreachables.is_empty() {
        answer["unreachables"] = json!(w.unreachables);
    }
    (200, answer)
}

/// The page a list call asks for (`maxResults`, at most 500; `pageToken` as this stub writes
/// them) of `len` rows: (first row, rows, the next page's token).
pub fn window(
    q: &HashMap<String, String>,
    len: usize,
) -> Result<(usize, usize, Option<String>), Answer> {
    let max: usize = match q.get("maxResults").map(|m| m.parse::<usize>()) {
        None => 500,
        Some(Ok(m)) if m <= 500 => m.max(1),
        Some(_) => {
            return Err(err(
                400,
                "invalid",
                "Invalid value for field 'maxResults': must be between 0 and 500.",
            ))
        }
    };
    let start: usize = match q.get("pageToken").filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => match t.strip_prefix("page-").and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => {
                return Err(err(
                    400,
                    "invalid",
                    format!("Invalid value for field 'pageToken': '{t}'."),
                ))
            }
        },
    };
    let next = (start + max < len).then(|| format!("page-{}", start + max));
    Ok((start, max, next))
}
