//! Virtual networks (with their subnets), network security groups and their security rules in
//! the ARM stub, shaped like the Network 2024-03-01 examples of Azure/azure-rest-api-specs (MIT):
//! VirtualNetworkGet.json, VirtualNetworkCreateSubnet.json, VirtualNetworkDelete.json,
//! NetworkSecurityGroupGet.json, NetworkSecurityGroupRuleCreate.json,
//! NetworkSecurityGroupRuleDelete.json, SubnetGet.json. The fixtures are nephos's own.
//!
//! Changes answer 202 with an operation that reads InProgress first; a PUT's resource says
//! `Updating` until the operation ends, a DELETE takes it away only then. A VNet whose subnet a
//! NIC still uses is refused (400 `InUseSubnetCannotBeDeleted`), as are two inbound (or
//! outbound) rules of one NSG with the same priority (400 `SecurityRuleConflict`).

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::http::{accepted, answer, error, name_children, not_found};
use super::world::{back_ref, lower, World};

const VNET: &str = "Microsoft.Network/virtualNetworks";
const NSG: &str = "Microsoft.Network/networkSecurityGroups";

fn set_state(v: &mut Value, state: &str) {
    v["properties"]["provisioningState"] = json!(state);
}

/// Lower-cased ids of the subnets NICs use.
fn used_subnets(w: &World) -> Vec<String> {
    w.nics
        .values()
        .flat_map(|n| {
            n["properties"]["ipConfigurations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|c| c.pointer("/properties/subnet/id")?.as_str().map(lower))
        .collect()
}

pub fn vnet_item(
    w: &mut World,
    method: &Method,
    (sub, rg, name): (&str, &str, &str),
    id: &str,
    key: &str,
    body: Value,
) -> Response {
    match *method {
        Method::GET => match w.vnets.get(key) {
            Some(v) => answer(200, v.clone()),
            None => not_found(VNET, name, rg),
        },
        Method::PUT => {
            let mut v = body;
            v["id"] = json!(id);
            v["name"] = json!(name);
            v["type"] = json!(VNET);
            v["etag"] = json!(w.next_etag());
            if v.get("properties").is_none() {
                v["properties"] = json!({});
            }
            name_children(&mut v, id, &["subnets"]);
            set_state(&mut v, "Updating");
            let loc = v["location"].as_str().unwrap_or_default().to_string();
            w.vnets.insert(key.to_string(), v.clone());
            let k = key.to_string();
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Network",
                Some(v),
                move |w| {
                    if let Some(v) = w.vnets.get_mut(&k) {
                        set_state(v, "Succeeded");
                    }
                },
                None,
            )
        }
        Method::DELETE => {
            let Some(v) = w.vnets.get(key) else {
                return (StatusCode::NO_CONTENT, "").into_response();
            };
            let used = used_subnets(w);
            if let Some(s) = v["properties"]["subnets"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|s| used.contains(&lower(s["id"].as_str().unwrap_or_default())))
            {
                return error(400, "InUseSubnetCannotBeDeleted", &format!(
                    "Subnet {} is in use by a network interface and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet.",
                    s["name"].as_str().unwrap_or_default()));
            }
            let loc = v["location"].as_str().unwrap_or_default().to_string();
            let k = key.to_string();
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Network",
                None,
                move |w| {
                    w.vnets.remove(&k);
                },
                None,
            )
        }
        _ => error(405, "MethodNotAllowed", "no"),
    }
}

pub fn subnet_get(w: &World, vnet_key: &str, vnet: &str, subnet: &str, rg: &str) -> Response {
    let found = w.vnets.get(vnet_key).and_then(|v| {
        v["properties"]["subnets"]
            .as_array()?
            .iter()
            .find(|s| {
                s["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(subnet))
            })
            .cloned()
    });
    match found {
        Some(s) => answer(200, s),
        None => not_found(
            "Microsoft.Network/virtualNetworks/subnets",
            &format!("{vnet}/{subnet}"),
            rg,
        ),
    }
}

pub fn nsg_get(w: &World, key: &str, name: &str, rg: &str) -> Response {
    match w.nsgs.get(key) {
        Some(g) => answer(200, g.clone()),
        None => not_found(NSG, name, rg),
    }
}

fn rules_of(g: &mut Value) -> &mut Vec<Value> {
    if !g["properties"]["securityRules"].is_array() {
        g["properties"]["securityRules"] = json!([]);
    }
    g["properties"]["securityRules"]
        .as_array_mut()
        .expect("made an array above")
}

fn same_name(r: &Value, name: &str) -> bool {
    r["name"]
        .as_str()
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
}

/// `…/networkSecurityGroups/{nsg}/securityRules/{rule}`: GET, PUT, DELETE.
pub fn rule_item(
    w: &mut World,
    method: &Method,
    (sub, rg, nsg): (&str, &str, &str),
    nsg_key: &str,
    rule: &str,
    body: Value,
) -> Response {
    let Some(g) = w.nsgs.get(nsg_key).cloned() else {
        return not_found(NSG, nsg, rg);
    };
    let loc = g["location"].as_str().unwrap_or_default().to_string();
    let existing = g["properties"]["securityRules"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| same_name(r, rule))
        .cloned();
    let k = nsg_key.to_string();
    let name = rule.to_string();
    match *method {
        Method::GET => match existing {
            Some(r) => answer(200, r),
            None => not_found(
                "Microsoft.Network/networkSecurityGroups/securityRules",
                &format!("{nsg}/{rule}"),
                rg,
            ),
        },
        Method::PUT => {
            let p = &body["properties"];
            let priority = p["priority"].as_i64().unwrap_or(0);
            let direction = p["direction"].as_str().unwrap_or_default().to_string();
            if !(100..=4096).contains(&priority) {
                return error(400, "SecurityRuleInvalidPriority", &format!(
                    "Security rule {rule} has invalid Priority {priority}. Value provided: {priority} Allowed range 100-4096."));
            }
            let clash = g["properties"]["securityRules"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| {
                    !same_name(r, rule)
                        && r["properties"]["priority"].as_i64() == Some(priority)
                        && r["properties"]["direction"].as_str() == Some(direction.as_str())
                });
            if let Some(c) = clash {
                return error(400, "SecurityRuleConflict", &format!(
                    "Security rule {} conflicts with rule {rule}. Rules cannot have the same Priority and Direction.",
                    c["name"].as_str().unwrap_or_default()));
            }
            let id = format!(
                "{}/securityRules/{rule}",
                g["id"].as_str().unwrap_or_default()
            );
            let mut r = json!({"id": id, "name": rule, "type": "Microsoft.Network/networkSecurityGroups/securityRules",
                "properties": p.clone()});
            set_state(&mut r, "Updating");
            let stored = w.nsgs.get_mut(nsg_key).expect("read above");
            let rules = rules_of(stored);
            rules.retain(|x| !same_name(x, rule));
            rules.push(r.clone());
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Network",
                Some(r),
                move |w| {
                    if let Some(g) = w.nsgs.get_mut(&k) {
                        for r in rules_of(g).iter_mut().filter(|r| same_name(r, &name)) {
                            set_state(r, "Succeeded");
                        }
                    }
                },
                None,
            )
        }
        Method::DELETE => {
            if existing.is_none() {
                return (StatusCode::NO_CONTENT, "").into_response();
            }
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Network",
                None,
                move |w| {
                    if let Some(g) = w.nsgs.get_mut(&k) {
                        rules_of(g).retain(|r| !same_name(r, &name));
                    }
                },
                None,
            )
        }
        _ => error(405, "MethodNotAllowed", "no"),
    }
}

fn security_rule(name: &str, priority: u32, ports: Value, source: &str) -> Value {
    let mut p = json!({"protocol": "Tcp", "sourcePortRange": "*", "sourceAddressPrefix": source,
        "destinationAddressPrefix": "*", "access": "Allow", "priority": priority,
        "direction": "Inbound", "provisioningState": "Succeeded"});
    match ports {
        Value::Array(_) => p["destinationPortRanges"] = ports,
        other => p["destinationPortRange"] = other,
    }
    json!({"name": name, "properties": p})
}

fn outbound(name: &str, priority: u32, port: &str, to: &str) -> Value {
    json!({"name": name, "properties": {"protocol": "Udp", "sourcePortRange": "*",
        "sourceAddressPrefix": "*", "destinationAddressPrefix": to, "destinationPortRange": port,
        "access": "Allow", "priority": priority, "direction": "Outbound",
        "provisioningState": "Succeeded"}})
}

/// Networks for the VMs `World::seed` made in `sub`/`rg`:
/// * VNet `vnet-Hub` (westeurope, 10.0.0.0/16): subnet `frontend` guarded by `nsg-app`,
///   subnet `backend`; VNet `vnet-East` (eastus, 10.1.0.0/16): subnet `default`;
/// * `nsg-app` (westeurope): HTTPS from Internet, SSH from an office range, web ports from two
///   private ranges, inbound rules at priorities 1000 and 1005
///   and an outbound one at 1001; `nsg-jump` (westeurope): SSH open to `*`, on
///   the NICs of every second VM in westeurope; `nsg-idle` (eastus): RDP from Internet, attached nowhere;
/// * each NIC in the VNet of its location (westeurope: the first, third, … in `frontend`,
///   the others in `backend` with `nsg-jump`). References are spelt with the group upper-cased, as ARM spells them.
pub fn seed(w: &mut World, sub: &str, rg: &str) {
    let base = format!("{}/providers/Microsoft.Network", World::rg_id(sub, rg));
    let nsg_id = |n: &str| format!("{base}/networkSecurityGroups/{n}");
    let vnet_id = |n: &str| format!("{base}/virtualNetworks/{n}");
    let subnet = |v: &str, s: &str, cidr: &str, nsg: Option<&str>| {
        let mut p = json!({"addressPrefix": cidr, "provisioningState": "Succeeded"});
        if let Some(g) = nsg {
            p["networkSecurityGroup"] = json!({"id": back_ref(&nsg_id(g))});
        }
        json!({"id": format!("{}/subnets/{s}", vnet_id(v)), "name": s, "properties": p})
    };
    let vnets = [
        (
            "vnet-Hub",
            "westeurope",
            "10.0.0.0/16",
            vec![
                subnet("vnet-Hub", "frontend", "10.0.1.0/24", Some("nsg-app")),
                subnet("vnet-Hub", "backend", "10.0.2.0/24", None),
            ],
        ),
        (
            "vnet-East",
            "eastus",
            "10.1.0.0/16",
            vec![subnet("vnet-East", "default", "10.1.0.0/24", None)],
        ),
    ];
    for (name, loc, cidr, subnets) in vnets {
        let id = vnet_id(name);
        let etag = w.next_etag();
        w.vnets.insert(
            lower(&id),
            json!({"id": id, "name": name, "type": VNET,
            "location": loc, "etag": etag, "tags": {"env": "prod"},
            "properties": {"provisioningState": "Succeeded",
                "addressSpace": {"addressPrefixes": [cidr]}, "subnets": subnets}}),
        );
    }
    let nsgs = [
        (
            "nsg-app",
            "westeurope",
            vec![
                security_rule("allow-https", 100, json!("443"), "Internet"),
                security_rule("ssh-office", 110, json!("22"), "203.0.113.0/24"),
                security_rule("web-private", 120, json!(["80", "8080-8090"]), "10.0.0.0/8"),
                security_rule("metrics", 1000, json!("9100"), "10.0.0.0/16"),
                security_rule("debug", 1005, json!("2345"), "10.0.0.0/16"),
                outbound("dns-out", 1001, "53", "168.63.129.16"),
            ],
        ),
        (
            "nsg-jump",
            "westeurope",
            vec![security_rule("ssh-anywhere", 100, json!("22"), "*")],
        ),
        (
            "nsg-idle",
            "eastus",
            vec![security_rule("rdp", 300, json!("3389"), "Internet")],
        ),
    ];
    for (name, loc, rules) in nsgs {
        let id = nsg_id(name);
        let mut g = json!({"id": id, "name": name, "type": NSG, "location": loc,
            "properties": {"provisioningState": "Succeeded", "securityRules": rules}});
        name_children(&mut g, &id, &["securityRules"]);
        w.nsgs.insert(lower(&id), g);
    }
    let prefix = lower(&format!("{}/", World::rg_id(sub, rg)));
    let keys: Vec<String> = w
        .nics
        .keys()
        .filter(|k| k.starts_with(&prefix))
        .cloned()
        .collect();
    let mut west = 0;
    for k in &keys {
        let nic = w.nics.get_mut(k).expect("listed above");
        if nic["location"] == "westeurope" {
            west += 1;
        }
        let (sub_id, nsg) = match nic["location"].as_str() {
            Some("westeurope") if west % 2 == 1 => {
                (vnet_id("vnet-Hub") + "/subnets/frontend", None)
            }
            Some("westeurope") => (
                vnet_id("vnet-Hub") + "/subnets/backend",
                Some(nsg_id("nsg-jump")),
            ),
            Some("eastus") => (vnet_id("vnet-East") + "/subnets/default", None),
            _ => continue,
        };
        nic["properties"]["ipConfigurations"][0]["properties"]["subnet"] =
            json!({"id": back_ref(&sub_id)});
        if let Some(g) = nsg {
            nic["properties"]["networkSecurityGroup"] = json!({"id": back_ref(&g)});
        }
    }
}
