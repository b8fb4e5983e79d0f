//! The stub's VPC networks, subnetworks and firewall rules, from `compute.v1.json` (revision
//! 20261106; Apache-2.0): networks and firewalls are global (global Operations), subnetworks
//! regional and read with `aggregated/subnetworks`. Compute's refusals kept: a name taken
//! (409 alreadyExists), a network that still has subnetworks or firewall rules
//! (400 resourceInUseByAnotherResource), a firewall rule for a network that does not exist.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::routes::{err, not_found, Answer};
use super::wire::{last, project_url, region_url};
use super::world::{Loc, Project, World};

/// A project's networks, subnetworks ((region, name) →) and firewall rules, as Compute answers.
#[derive(Default)]
pub struct Nets {
    pub networks: BTreeMap<String, Value>,
    pub subnetworks: BTreeMap<(String, String), Value>,
    pub firewalls: BTreeMap<String, Value>,
}

fn global(p: &str, coll: &str, name: &str) -> String {
    format!("{}/global/{coll}/{name}", project_url(p))
}

fn network_json(w: &mut World, p: &str, name: &str, body: &Value) -> Value {
    json!({
        "kind": "compute#network",
        "id": w.new_id(),
        "creationTimestamp": "2026-12-07T00:00:00.000-08:00",
        "name": name,
        "description": body["description"].as_str().unwrap_or_default(),
        "autoCreateSubnetworks": body["autoCreateSubnetworks"].as_bool().unwrap_or(true),
        "subnetworks": [],
        "routingConfig": {"routingMode": "REGIONAL"},
        "networkFirewallPolicyEnforcementOrder": "AFTER_CLASSIC_FIREWALL",
        "selfLink": global(p, "networks", name),
    })
}

fn subnetwork_json(
    w: &mut World,
    p: &str,
    r: &str,
    name: &str,
    network: &str,
    cidr: &str,
) -> Value {
    json!({
        "kind": "compute#subnetwork",
        "id": w.new_id(),
        "creationTimestamp": "2026-12-07T00:00:00.000-08:00",
        "name": name,
        "network": network,
        "ipCidrRange": cidr,
        "gatewayAddress": cidr.split('/').next().unwrap_or_default().rsplit_once('.').map(|(a, _)| format!("{a}.1")).unwrap_or_default(),
        "region": region_url(p, r),
        "stackType": "IPV4_ONLY",
        "fingerprint": "ExAmPlE0aBc=",
        "selfLink": format!("{}/subnetworks/{name}", region_url(p, r)),
    })
}

#[allow(clippy::too_many_arguments)] // one per field of the JSON it writes
fn firewall_json(
    w: &mut World,
    p: &str,
    name: &str,
    network: &str,
    priority: i64,
    sources: Value,
    allowed: Value,
    denied: Value,
) -> Value {
    json!({
        "kind": "compute#firewall",
        "id": w.new_id(),
        "creationTimestamp": "2026-12-07T00:00:00.000-08:00",
        "name": name,
        "network": network,
        "priority": priority,
        "sourceRanges": sources,
        "allowed": allowed,
        "denied": denied,
        "direction": "INGRESS",
        "disabled": false,
        "logConfig": {"enable": false},
        "selfLink": global(p, "firewalls", name),
    })
}

/// The `default` network every project starts with (the instances' NICs name it): a subnetwork
/// per region and the default firewall rules, SSH and RDP open to the world as Google makes
/// them.
pub fn seed(w: &mut World, p: &str, regions: &[&str]) {
    let net = network_json(
        w,
        p,
        "default",
        &json!({"description": "Default network for the project", "autoCreateSubnetworks": true}),
    );
    let url = global(p, "networks", "default");
    let mut subs = Vec::new();
    for (i, r) in regions.iter().enumerate() {
        let cidr = format!("10.{}.0.0/20", 128 + i * 4);
        let s = subnetwork_json(w, p, r, "default", &url, &cidr);
        subs.push(s.clone());
        w.project(p)
            .nets
            .subnetworks
            .insert((r.to_string(), "default".into()), s);
    }
    let rules = [
        (
            "default-allow-internal",
            65534,
            json!(["10.128.0.0/9"]),
            json!([{"IPProtocol": "tcp", "ports": ["0-65535"]}, {"IPProtocol": "udp", "ports": ["0-65535"]}, {"IPProtocol": "icmp"}]),
        ),
        (
            "default-allow-ssh",
            65534,
            json!(["0.0.0.0/0"]),
            json!([{"IPProtocol": "tcp", "ports": ["22"]}]),
        ),
        (
            "default-allow-rdp",
            65534,
            json!(["0.0.0.0/0"]),
            json!([{"IPProtocol": "tcp", "ports": ["3389"]}]),
        ),
        (
            "default-allow-icmp",
            65534,
            json!(["0.0.0.0/0"]),
            json!([{"IPProtocol": "icmp"}]),
        ),
    ];
    for (name, prio, src, allowed) in rules {
        let f = firewall_json(w, p, name, &url, prio, src, allowed, json!([]));
        w.project(p).nets.firewalls.insert(name.into(), f);
    }
    let mut net = net;
    net["subnetworks"] = json!(subs
        .iter()
        .map(|s| s["selfLink"].clone())
        .collect::<Vec<_>>());
    w.project(p).nets.networks.insert("default".into(), net);
}

fn name_of(body: &Value) -> Result<String, Answer> {
    body["name"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            err(
                400,
                "required",
                "Required field 'resource.name' not specified",
            )
        })
}

fn taken(what: &str) -> Answer {
    err(
        409,
        "alreadyExists",
        format!("The resource '{what}' already exists"),
    )
}

fn list(kind: &str, p: &str, coll: &str, items: Vec<Value>) -> Answer {
    (
        200,
        json!({
            "kind": kind,
            "id": format!("projects/{p}/global/{coll}"),
            "items": items,
            "selfLink": format!("{}/global/{coll}", project_url(p)),
        }),
    )
}

/// The network methods, or None for a path that is not one of them.
pub fn route(w: &mut World, p: &str, method: &str, seg: &[&str], body: &Value) -> Option<Answer> {
    Some(match (method, seg) {
        ("GET", ["global", "networks"]) => {
            let items = w.projects[p].nets.networks.values().cloned().collect();
            list("compute#networkList", p, "networks", items)
        }
        ("GET", ["global", "networks", n]) => match w.projects[p].nets.networks.get(*n) {
            Some(v) => (200, v.clone()),
            None => not_found(&format!("projects/{p}/global/networks/{n}")),
        },
        ("POST", ["global", "networks"]) => insert_network(w, p, body),
        ("DELETE", ["global", "networks", n]) => delete_network(w, p, n),
        ("GET", ["aggregated", "subnetworks"]) => aggregated_subnetworks(w, p),
        ("POST", ["regions", r, "subnetworks"]) => insert_subnetwork(w, p, r, body),
        ("DELETE", ["regions", r, "subnetworks", n]) => delete_subnetwork(w, p, r, n),
        ("GET", ["global", "firewalls"]) => {
            let items = w.projects[p].nets.firewalls.values().cloned().collect();
            list("compute#firewallList", p, "firewalls", items)
        }
        ("POST", ["global", "firewalls"]) => insert_firewall(w, p, body),
        ("DELETE", ["global", "firewalls", n]) => delete_firewall(w, p, n),
        _ => return None,
    })
}

fn insert_network(w: &mut World, p: &str, body: &Value) -> Answer {
    let name = match name_of(body) {
        Ok(n) => n,
        Err(a) => return a,
    };
    if w.projects[p].nets.networks.contains_key(&name) {
        return taken(&format!("projects/{p}/global/networks/{name}"));
    }
    let net = network_json(w, p, &name, body);
    let link = global(p, "networks", &name);
    let put = Box::new(move |pr: &mut Project| {
        pr.nets.networks.insert(name, net);
    });
    w.operation(p, Loc::Global, "insert", &link, None, Some(put))
}

fn delete_network(w: &mut World, p: &str, n: &str) -> Answer {
    let nets = &w.projects[p].nets;
    if !nets.networks.contains_key(n) {
        return not_found(&format!("projects/{p}/global/networks/{n}"));
    }
    let link = global(p, "networks", n);
    let user = nets
        .subnetworks
        .values()
        .chain(nets.firewalls.values())
        .find(|v| v["network"] == link.as_str());
    if let Some(u) = user {
        let what = u["selfLink"].as_str().unwrap_or_default();
        return err(400, "resourceInUseByAnotherResource", format!("The network resource 'projects/{p}/global/networks/{n}' is already being used by '{what}'"));
    }
    let n = n.to_string();
    let gone = Box::new(move |pr: &mut Project| {
        pr.nets.networks.remove(&n);
    });
    w.operation(p, Loc::Global, "delete", &link, None, Some(gone))
}

fn aggregated_subnetworks(w: &World, p: &str) -> Answer {
    let mut items: BTreeMap<String, Value> = BTreeMap::new();
    for ((r, _), s) in &w.projects[p].nets.subnetworks {
        let e = items
            .entry(format!("regions/{r}"))
            .or_insert_with(|| json!({"subnetworks": []}));
        e["subnetworks"]
            .as_array_mut()
            .expect("array")
            .push(s.clone());
    }
    (
        200,
        json!({
            "kind": "compute#subnetworkAggregatedList",
            "id": format!("projects/{p}/aggregated/subnetworks"),
            "items": items,
            "selfLink": format!("{}/aggregated/subnetworks", project_url(p)),
        }),
    )
}

fn insert_subnetwork(w: &mut World, p: &str, r: &str, body: &Value) -> Answer {
    let name = match name_of(body) {
        Ok(n) => n,
        Err(a) => return a,
    };
    let network = body["network"].as_str().unwrap_or_default().to_string();
    if !w.projects[p].nets.networks.contains_key(last(&network)) {
        return not_found(&format!("projects/{p}/global/networks/{}", last(&network)));
    }
    let Some(cidr) = body["ipCidrRange"].as_str().map(str::to_string) else {
        return err(
            400,
            "required",
            "Required field 'ipCidrRange' not specified",
        );
    };
    let k = (r.to_string(), name.clone());
    if w.projects[p].nets.subnetworks.contains_key(&k) {
        return taken(&format!("projects/{p}/regions/{r}/subnetworks/{name}"));
    }
    let s = subnetwork_json(w, p, r, &name, &network, &cidr);
    let link = s["selfLink"].as_str().unwrap_or_default().to_string();
    let put = Box::new(move |pr: &mut Project| {
        pr.nets.subnetworks.insert(k, s);
    });
    w.operation(p, Loc::Region(r), "insert", &link, None, Some(put))
}

fn delete_subnetwork(w: &mut World, p: &str, r: &str, n: &str) -> Answer {
    let k = (r.to_string(), n.to_string());
    let Some(s) = w.projects[p].nets.subnetworks.get(&k) else {
        return not_found(&format!("projects/{p}/regions/{r}/subnetworks/{n}"));
    };
    let link = s["selfLink"].as_str().unwrap_or_default().to_string();
    let gone = Box::new(move |pr: &mut Project| {
        pr.nets.subnetworks.remove(&k);
    });
    w.operation(p, Loc::Region(r), "delete", &link, None, Some(gone))
}

fn insert_firewall(w: &mut World, p: &str, body: &Value) -> Answer {
    let name = match name_of(body) {
        Ok(n) => n,
        Err(a) => return a,
    };
    if w.projects[p].nets.firewalls.contains_key(&name) {
        return taken(&format!("projects/{p}/global/firewalls/{name}"));
    }
    let network = body["network"]
        .as_str()
        .unwrap_or("global/networks/default")
        .to_string();
    if !w.projects[p].nets.networks.contains_key(last(&network)) {
        return err(400, "invalid", format!("Invalid value for field 'resource.network': '{network}'. The referenced network resource cannot be found."));
    }
    let mut f = firewall_json(
        w,
        p,
        &name,
        &network,
        body["priority"].as_i64().unwrap_or(1000),
        body["sourceRanges"].clone(),
        body.get("allowed").cloned().unwrap_or(json!([])),
        body.get("denied").cloned().unwrap_or(json!([])),
    );
    f["description"] = body["description"].clone();
    let link = global(p, "firewalls", &name);
    let put = Box::new(move |pr: &mut Project| {
        pr.nets.firewalls.insert(name, f);
    });
    w.operation(p, Loc::Global, "insert", &link, None, Some(put))
}

fn delete_firewall(w: &mut World, p: &str, n: &str) -> Answer {
    if !w.projects[p].nets.firewalls.contains_key(n) {
        return not_found(&format!("projects/{p}/global/firewalls/{n}"));
    }
    let link = global(p, "firewalls", n);
    let n = n.to_string();
    let gone = Box::new(move |pr: &mut Project| {
        pr.nets.firewalls.remove(&n);
    });
    w.operation(p, Loc::Global, "delete", &link, None, Some(gone))
}
