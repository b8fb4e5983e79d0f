//! The stub's routes: one handler that reads ARM paths the way ARM does (segment names without
//! case) and answers from the world.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::world::{back_ref, lower, VmRec, World, SIZES};

pub(super) fn answer(status: u16, body: Value) -> Response {
    let mut r = (StatusCode::from_u16(status).unwrap(), body.to_string()).into_response();
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    r
}

pub(super) fn error(status: u16, code: &str, message: &str) -> Response {
    let mut r = answer(status, json!({"error": {"code": code, "message": message}}));
    r.headers_mut()
        .insert("x-ms-failure-cause", HeaderValue::from_static("gateway"));
    r
}

pub(super) fn not_found(kind: &str, name: &str, rg: &str) -> Response {
    error(
        404,
        "ResourceNotFound",
        &format!("The Resource '{kind}/{name}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"),
    )
}

/// 202 with the operation's URLs, as ARM answers a change.
pub(super) fn accepted(
    w: &mut World,
    sub: &str,
    location: &str,
    provider: &str,
    body: Option<Value>,
    effect: impl FnOnce(&mut World) + Send + 'static,
    failure: Option<(String, String)>,
) -> Response {
    let (async_op, loc) = w.start_op(sub, location, provider, effect, failure);
    let mut r = match body {
        Some(b) => answer(202, b),
        None => (StatusCode::ACCEPTED, "").into_response(),
    };
    let h = r.headers_mut();
    if !w.location_only {
        h.insert(
            "azure-asyncoperation",
            HeaderValue::from_str(&async_op).unwrap(),
        );
    }
    h.insert("location", HeaderValue::from_str(&loc).unwrap());
    h.insert(
        "retry-after",
        HeaderValue::from_str(&w.retry_after.to_string()).unwrap(),
    );
    r
}

fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub async fn handle(world: Arc<Mutex<World>>, req: axum::extract::Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let if_match = req
        .headers()
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = axum::body::to_bytes(req.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let mut w = world.lock().unwrap();
    w.requests
        .push((method.to_string(), format!("{path}?{query}")));
    w.advance();
    if !auth.starts_with("Bearer ") || auth.len() <= 7 {
        return error(
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.",
        );
    }
    if auth.ends_with("expired") {
        return error(
            401,
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.",
        );
    }
    if w.throttle > 0 {
        w.throttle -= 1;
        let mut r = error(429, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObjectId.");
        r.headers_mut()
            .insert("retry-after", HeaderValue::from_static("1"));
        return r;
    }
    let q = query_pairs(&query);
    route(&mut w, &method, &path, &query, &q, body, if_match)
}

fn route(
    w: &mut World,
    method: &Method,
    path: &str,
    raw_query: &str,
    q: &[(String, String)],
    body: Value,
    if_match: Option<String>,
) -> Response {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let ls: Vec<String> = segs.iter().map(|s| lower(s)).collect();
    if ls.first().map(String::as_str) != Some("subscriptions") || segs.len() < 2 {
        return error(404, "InvalidResourceType", "not an ARM path");
    }
    let sub = segs[1].to_string();
    if !w.readable.contains(&lower(&sub)) {
        return error(403, "AuthorizationFailed", &format!(
            "The client '3b1a6b33-0000-4000-8000-000000000001' with object id '3b1a6b33-0000-4000-8000-000000000001' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/{sub}' or the scope is invalid. If access was recently granted, please refresh your credentials."));
    }
    // Resource group create.
    if ls.len() == 4 && ls[2] == "resourcegroups" {
        let id = World::rg_id(&sub, segs[3]);
        if *method == Method::PUT {
            w.groups.insert(lower(&id));
            w.group_tags.insert(lower(&id), body["tags"].clone());
            return answer(
                201,
                json!({"id": id, "name": segs[3], "location": body["location"], "tags": body["tags"],
                "properties": {"provisioningState": "Succeeded"}}),
            );
        }
        return if w.groups.contains(&lower(&id)) {
            answer(
                200,
                json!({"id": id, "name": segs[3], "properties": {"provisioningState": "Succeeded"}}),
            )
        } else {
            error(
                404,
                "ResourceGroupNotFound",
                &format!("Resource group '{}' could not be found.", segs[3]),
            )
        };
    }
    let Some(p) = ls.iter().position(|s| s == "providers") else {
        return error(404, "InvalidResourceType", "no provider");
    };
    let scope = segs[..p].join("/");
    let scope = format!("/{scope}");
    let rg = (p == 4).then(|| segs[3].to_string());
    let ns = ls.get(p + 1).cloned().unwrap_or_default();
    let typ = ls.get(p + 2).cloned().unwrap_or_default();
    let name = segs.get(p + 3).map(|s| s.to_string());
    let action = ls.get(p + 4).cloned();
    let provider = if ns == "microsoft.network" {
        "Microsoft.Network"
    } else {
        "Microsoft.Compute"
    };

    if typ == "locations" {
        let loc = name.clone().unwrap_or_default();
        return match action.as_deref() {
            Some("vmsizes") => answer(
                200,
                json!({"value": SIZES.iter().map(|(n, c, m)| json!({
                "name": n, "numberOfCores": c, "memoryInMB": m, "osDiskSizeInMB": 1047552,
                "resourceDiskSizeInMB": 8192, "maxDataDiskCount": 4})).collect::<Vec<_>>()}),
            ),
            Some("operations") | Some("operationresults") => {
                let id = segs.get(p + 5).copied().unwrap_or_default();
                poll(w, id, action.as_deref() == Some("operations"), &loc)
            }
            _ => error(404, "NotFound", "unknown location resource"),
        };
    }
    if let Some(rg_name) = &rg {
        if !w.groups.contains(&lower(&World::rg_id(&sub, rg_name))) {
            return error(
                404,
                "ResourceGroupNotFound",
                &format!("Resource group '{rg_name}' could not be found."),
            );
        }
    }
    let Some(name) = name else {
        if *method != Method::GET {
            return error(405, "MethodNotAllowed", "lists are read-only");
        }
        return list(w, &scope, &typ, raw_query, q, path);
    };
    let rg = rg.unwrap_or_default();
    let id = format!("{scope}/providers/{provider}/{}/{name}", segs[p + 2]);
    let key = lower(&id);
    match (typ.as_str(), action.as_deref()) {
        ("virtualmachines", None) => vm_item(w, method, &sub, &rg, &name, &id, &key, q, body),
        ("virtualmachines", Some(a)) => vm_action(w, &sub, &rg, &name, &key, a, body),
        ("loadbalancers", Some("loadbalancingrules")) if *method == Method::POST => {
            let rule = segs.get(p + 5).copied().unwrap_or_default();
            rule_health(w, &sub, &key, rule)
        }
        ("disks", None) => disk_item(w, method, &sub, &rg, &name, &id, &key, body),
        ("virtualnetworks", None) => {
            super::networks::vnet_item(w, method, (&sub, &rg, &name), &id, &key, body)
        }
        ("virtualnetworks", Some("subnets")) if *method == Method::GET => {
            let subnet = segs.get(p + 5).copied().unwrap_or_default();
            super::networks::subnet_get(w, &key, &name, subnet, &rg)
        }
        ("networksecuritygroups", None) if *method == Method::GET => {
            super::networks::nsg_get(w, &key, &name, &rg)
        }
        ("networksecuritygroups", Some("securityrules")) => {
            let rule = segs.get(p + 5).copied().unwrap_or_default();
            super::networks::rule_item(w, method, (&sub, &rg, &name), &key, rule, body)
        }
        ("networkinterfaces", None) | ("publicipaddresses", None) | ("loadbalancers", None) => {
            let at = (sub.as_str(), rg.as_str(), typ.as_str(), name.as_str());
            net_item(w, method, at, &id, &key, body, if_match.as_deref())
        }
        _ => error(
            404,
            "InvalidResourceType",
            &format!("The resource type '{typ}' could not be found"),
        ),
    }
}

fn poll(w: &mut World, id: &str, async_op: bool, _loc: &str) -> Response {
    let retry = w.retry_after.to_string();
    let Some(op) = w.ops.get_mut(id) else {
        return error(404, "NotFound", "no such operation");
    };
    op.polls += 1;
    if !op.done && op.polls < 2 {
        let mut r = if async_op {
            answer(
                200,
                json!({"name": id, "status": "InProgress", "startTime": "2024-05-01T10:00:00.0000000+00:00"}),
            )
        } else {
            (StatusCode::ACCEPTED, "").into_response()
        };
        r.headers_mut()
            .insert("retry-after", HeaderValue::from_str(&retry).unwrap());
        return r;
    }
    let failure = op.failure.clone();
    w.finish_op(id);
    let result = w.results.get(id).cloned();
    match (failure, async_op) {
        (None, true) => answer(
            200,
            json!({"name": id, "status": "Succeeded",
            "startTime": "2024-05-01T10:00:00.0000000+00:00", "endTime": "2024-05-01T10:00:05.0000000+00:00"}),
        ),
        (None, false) => match result {
            Some(b) => answer(200, b),
            None => (StatusCode::OK, "").into_response(),
        },
        (Some((code, message)), true) => answer(
            200,
            json!({"name": id, "status": "Failed",
            "error": {"code": code, "message": message}}),
        ),
        (Some((code, message)), false) => error(409, &code, &message),
    }
}

fn list(
    w: &World,
    scope: &str,
    typ: &str,
    raw_query: &str,
    q: &[(String, String)],
    path: &str,
) -> Response {
    let prefix = format!("{}/", lower(scope));
    let get = |k: &str| q.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    let mut rows: Vec<Value> = match typ {
        "virtualmachines" => {
            let view = get("statusOnly") == Some("true") || get("$expand") == Some("instanceView");
            w.vms
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .map(|(_, v)| {
                    let r = w.render_vm(v, view);
                    if get("statusOnly") == Some("true") && w.status_only_bare {
                        json!({"id": r["id"], "name": r["name"], "location": r["location"],
                        "properties": {"instanceView": r["properties"]["instanceView"]}})
                    } else {
                        r
                    }
                })
                .collect()
        }
        "disks" => w
            .disks
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone())
            .collect(),
        "networkinterfaces" => w
            .nics
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone())
            .collect(),
        "publicipaddresses" => w
            .pips
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone())
            .collect(),
        "loadbalancers" => w
            .lbs
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| w.render_lb(v))
            .collect(),
        "virtualnetworks" => w
            .vnets
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone())
            .collect(),
        "networksecuritygroups" => w
            .nsgs
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone())
            .collect(),
        _ => return error(404, "InvalidResourceType", "unknown list"),
    };
    let skip: usize = get("$skiptoken").and_then(|s| s.parse().ok()).unwrap_or(0);
    let total = rows.len();
    let page: Vec<Value> = rows.drain(..).skip(skip).take(w.page_size).collect();
    let mut out = json!({"value": page});
    if skip + w.page_size < total {
        let kept: Vec<&str> = raw_query
            .split('&')
            .filter(|p| {
                !p.starts_with("%24skiptoken") && !p.starts_with("$skiptoken") && !p.is_empty()
            })
            .collect();
        out["nextLink"] = json!(format!(
            "{}{path}?{}&%24skiptoken={}",
            w.base,
            kept.join("&"),
            skip + w.page_size
        ));
    }
    answer(200, out)
}

#[allow(clippy::too_many_arguments)]
fn vm_item(
    w: &mut World,
    method: &Method,
    sub: &str,
    rg: &str,
    name: &str,
    id: &str,
    key: &str,
    q: &[(String, String)],
    body: Value,
) -> Response {
    let exists = w.vms.contains_key(key);
    match *method {
        Method::GET => match w.vms.get(key) {
            Some(v) => {
                let view = q.iter().any(|(k, v)| k == "$expand" && v == "instanceView");
                answer(200, w.render_vm(v, view))
            }
            None => not_found("Microsoft.Compute/virtualMachines", name, rg),
        },
        Method::PUT => {
            let size = body
                .pointer("/properties/hardwareProfile/vmSize")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let location = body["location"].as_str().unwrap_or_default().to_string();
            if size == "Standard_Unavailable" {
                return error(409, "SkuNotAvailable", &format!("The requested VM size '{size}' is currently not available in location '{location}'. Please try another size or deploy to a different location or different zone."));
            }
            if size == "Standard_M416ms_v2" {
                return error(409, "OperationNotAllowed", "Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Location: eastus, Current Limit: 10, Current Usage: 8, Additional Required: 416.");
            }
            if exists {
                return error(
                    409,
                    "Conflict",
                    &format!("A virtual machine named {name} already exists"),
                );
            }
            let mut model = body.clone();
            model["id"] = json!(id);
            model["name"] = json!(name);
            model["type"] = json!("Microsoft.Compute/virtualMachines");
            model["properties"]["vmId"] =
                json!(format!("{:08x}-1111-4000-8000-000000000000", w.next_op));
            model["properties"]["timeCreated"] = json!("2024-06-01T08:00:00.0000000+00:00");
            let nic_id = model
                .pointer("/properties/networkProfile/networkInterfaces/0/id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if let Some(nic) = w.nics.get_mut(&lower(&nic_id)) {
                nic["properties"]["virtualMachine"] = json!({"id": back_ref(id)});
            }
            let os_id = format!(
                "{}/providers/Microsoft.Compute/disks/{name}_OsDisk_1",
                World::rg_id(sub, rg)
            );
            model["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"] = json!(os_id);
            model["properties"]["storageProfile"]["osDisk"]["name"] =
                json!(format!("{name}_OsDisk_1"));
            w.vms.insert(
                key.to_string(),
                VmRec {
                    model,
                    power: "starting".into(),
                    provisioning: "creating".into(),
                },
            );
            let rendered = w.render_vm(&w.vms[key].clone(), false);
            let k = key.to_string();
            let failure = (size == "Standard_NoCapacity").then(|| ("AllocationFailed".to_string(),
                "Allocation failed. We do not have sufficient capacity for the requested VM size in this region.".to_string()));
            let failed = failure.is_some();
            let vm_id = id.to_string();
            let loc2 = location.clone();
            accepted(
                w,
                sub,
                &location,
                "Microsoft.Compute",
                Some(rendered),
                move |w| {
                    if let Some(v) = w.vms.get_mut(&k) {
                        if failed {
                            v.provisioning = "failed".into();
                            v.power = "deallocated".into();
                        } else {
                            v.provisioning = "succeeded".into();
                            v.power = "running".into();
                            w.disks.insert(lower(&os_id), json!({"name": os_id.rsplit('/').next(), "id": os_id, "location": loc2,
                            "managedBy": back_ref(&vm_id), "sku": {"name": "StandardSSD_LRS"},
                            "properties": {"creationData": {"createOption": "FromImage"}, "diskSizeGB": 30,
                                "diskState": "Attached", "provisioningState": "Succeeded"}}));
                        }
                    }
                },
                failure,
            )
        }
        Method::PATCH => {
            let Some(v) = w.vms.get_mut(key) else {
                return not_found("Microsoft.Compute/virtualMachines", name, rg);
            };
            if let Some(t) = body.get("tags") {
                v.model["tags"] = t.clone();
            }
            let rendered = w.render_vm(&w.vms[key].clone(), false);
            let loc = rendered["location"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                Some(rendered),
                |_| {},
                None,
            )
        }
        Method::DELETE => {
            let Some(v) = w.vms.get_mut(key) else {
                return (StatusCode::NO_CONTENT, "").into_response();
            };
            v.provisioning = "deleting".into();
            let loc = v.model["location"].as_str().unwrap_or_default().to_string();
            let k = key.to_string();
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                None,
                move |w| {
                    let Some(v) = w.vms.remove(&k) else { return };
                    let m = v.model;
                    if let Some(os) = m
                        .pointer("/properties/storageProfile/osDisk/managedDisk/id")
                        .and_then(Value::as_str)
                    {
                        w.disks.remove(&lower(os));
                    }
                    for n in m
                        .pointer("/properties/networkProfile/networkInterfaces")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if n.pointer("/properties/deleteOption")
                            .and_then(Value::as_str)
                            == Some("Delete")
                        {
                            w.nics.remove(&lower(n["id"].as_str().unwrap_or_default()));
                        }
                    }
                    for d in w.disks.values_mut() {
                        if d["managedBy"].as_str().map(lower) == Some(k.clone()) {
                            d["managedBy"] = Value::Null;
                            d["properties"]["diskState"] = json!("Unattached");
                        }
                    }
                },
                None,
            )
        }
        _ => error(405, "MethodNotAllowed", "no"),
    }
}

fn vm_action(
    w: &mut World,
    sub: &str,
    rg: &str,
    name: &str,
    key: &str,
    action: &str,
    body: Value,
) -> Response {
    let Some(v) = w.vms.get(key).cloned() else {
        return not_found("Microsoft.Compute/virtualMachines", name, rg);
    };
    let loc = v.model["location"].as_str().unwrap_or_default().to_string();
    if v.provisioning == "deleting" {
        return error(409, "OperationNotAllowed", &format!("Operation '{action}' is not allowed on VM '{name}' since the VM is marked for deletion."));
    }
    let k = key.to_string();
    let set = |w: &mut World, now: &str| {
        if let Some(v) = w.vms.get_mut(key) {
            v.power = now.to_string();
        }
    };
    match action {
        "start" => {
            set(w, "starting");
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                None,
                move |w| {
                    if let Some(v) = w.vms.get_mut(&k) {
                        v.power = "running".into();
                    }
                },
                None,
            )
        }
        "deallocate" => {
            set(w, "deallocating");
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                None,
                move |w| {
                    if let Some(v) = w.vms.get_mut(&k) {
                        v.power = "deallocated".into();
                    }
                },
                None,
            )
        }
        "poweroff" => {
            set(w, "stopping");
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                None,
                move |w| {
                    if let Some(v) = w.vms.get_mut(&k) {
                        v.power = "stopped".into();
                    }
                },
                None,
            )
        }
        "restart" => {
            if v.power != "running" {
                return error(
                    409,
                    "OperationNotAllowed",
                    &format!(
                        "Operation 'restart' is not allowed on VM '{name}' since the VM is {}.",
                        v.power
                    ),
                );
            }
            accepted(w, sub, &loc, "Microsoft.Compute", None, |_| {}, None)
        }
        "attachdetachdatadisks" => {
            let mut attach: Vec<(String, Option<i64>)> = Vec::new();
            for d in body["dataDisksToAttach"].as_array().into_iter().flatten() {
                let id = d["diskId"].as_str().unwrap_or_default().to_string();
                let Some(disk) = w.disks.get(&lower(&id)) else {
                    return error(404, "NotFound", &format!("Disk {id} was not found."));
                };
                if disk["managedBy"].as_str().is_some_and(|m| !m.is_empty()) {
                    return error(
                        409,
                        "OperationNotAllowed",
                        &format!(
                            "Disk {} is already attached to VM {}.",
                            disk["name"], disk["managedBy"]
                        ),
                    );
                }
                attach.push((id, d["lun"].as_i64()));
            }
            let detach: Vec<String> = body["dataDisksToDetach"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| lower(d["diskId"].as_str().unwrap_or_default()))
                .collect();
            if let Some(v) = w.vms.get_mut(key) {
                v.provisioning = "updating".into();
            }
            let vm_id = v.model["id"].as_str().unwrap_or_default().to_string();
            let mut r = accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                None,
                move |w| {
                    let Some(v) = w.vms.get_mut(&k) else { return };
                    v.provisioning = "succeeded".into();
                    let disks = v.model["properties"]["storageProfile"]["dataDisks"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    let mut disks: Vec<Value> = disks
                        .into_iter()
                        .filter(|d| {
                            !detach.contains(&lower(
                                d.pointer("/managedDisk/id")
                                    .and_then(Value::as_str)
                                    .unwrap_or_default(),
                            ))
                        })
                        .collect();
                    let mut newly = Vec::new();
                    for (id, lun) in &attach {
                        let used: Vec<i64> =
                            disks.iter().filter_map(|d| d["lun"].as_i64()).collect();
                        let lun =
                            lun.unwrap_or_else(|| (0..64).find(|l| !used.contains(l)).unwrap_or(0));
                        disks.push(json!({"lun": lun, "name": id.rsplit('/').next(), "createOption": "Attach",
                        "caching": "None", "managedDisk": {"id": back_ref(id)}, "toBeDetached": false}));
                        newly.push(lower(id));
                    }
                    v.model["properties"]["storageProfile"]["dataDisks"] = Value::Array(disks);
                    for (k, d) in w.disks.iter_mut() {
                        if newly.contains(k) {
                            d["managedBy"] = json!(back_ref(&vm_id));
                            d["properties"]["diskState"] = json!("Attached");
                        }
                        if detach.contains(k) {
                            d["managedBy"] = Value::Null;
                            d["properties"]["diskState"] = json!("Unattached");
                        }
                    }
                },
                None,
            );
            // attachDetachDataDisks is a Location-final operation in the spec.
            *r.body_mut() = Body::empty();
            r
        }
        other => error(
            404,
            "InvalidResourceType",
            &format!("unknown action {other}"),
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn disk_item(
    w: &mut World,
    method: &Method,
    sub: &str,
    rg: &str,
    name: &str,
    id: &str,
    key: &str,
    body: Value,
) -> Response {
    match *method {
        Method::GET => match w.disks.get(key) {
            Some(d) => answer(200, d.clone()),
            None => not_found("Microsoft.Compute/disks", name, rg),
        },
        Method::PUT => {
            let size = body
                .pointer("/properties/diskSizeGB")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if !(1..=32767).contains(&size) {
                return error(400, "InvalidParameter", &format!("The value '{size}' of parameter 'disk.diskSizeGB' is out of range. The value must be between '1' and '32767', inclusive. Target: 'disk.diskSizeGB'."));
            }
            let mut d = body.clone();
            d["id"] = json!(id);
            d["name"] = json!(name);
            d["type"] = json!("Microsoft.Compute/disks");
            d["properties"]["diskState"] = json!("Unattached");
            d["properties"]["provisioningState"] = json!("Creating");
            d["properties"]["timeCreated"] = json!("2024-06-01T08:00:00.0000000+00:00");
            let loc = d["location"].as_str().unwrap_or_default().to_string();
            w.disks.insert(key.to_string(), d.clone());
            let k = key.to_string();
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                Some(d),
                move |w| {
                    if let Some(d) = w.disks.get_mut(&k) {
                        d["properties"]["provisioningState"] = json!("Succeeded");
                    }
                },
                None,
            )
        }
        Method::PATCH => {
            let Some(d) = w.disks.get_mut(key) else {
                return not_found("Microsoft.Compute/disks", name, rg);
            };
            if let Some(t) = body.get("tags") {
                d["tags"] = t.clone();
            }
            let d = d.clone();
            let loc = d["location"].as_str().unwrap_or_default().to_string();
            accepted(w, sub, &loc, "Microsoft.Compute", Some(d), |_| {}, None)
        }
        Method::DELETE => {
            let Some(d) = w.disks.get_mut(key) else {
                return (StatusCode::NO_CONTENT, "").into_response();
            };
            if let Some(m) = d["managedBy"].as_str().filter(|m| !m.is_empty()) {
                return error(
                    409,
                    "OperationNotAllowed",
                    &format!("Disk {name} is attached to VM {m}."),
                );
            }
            d["properties"]["provisioningState"] = json!("Deleting");
            let loc = d["location"].as_str().unwrap_or_default().to_string();
            let k = key.to_string();
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Compute",
                None,
                move |w| {
                    w.disks.remove(&k);
                },
                None,
            )
        }
        _ => error(405, "MethodNotAllowed", "no"),
    }
}

/// `POST …/loadBalancingRules/{rule}/health` (Network 2024-07-01, example
/// LoadBalancerHealth.json): 202 with a Location whose final answer lists the rule's backend
/// IP configurations Up, or Down when the world says their probe fails.
fn rule_health(w: &mut World, sub: &str, lb_key: &str, rule: &str) -> Response {
    let Some(lb) = w.lbs.get(lb_key).map(|l| w.render_lb(l)) else {
        return not_found("Microsoft.Network/loadBalancers", lb_key, "");
    };
    let rules = lb["properties"]["loadBalancingRules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let Some(r) = rules.iter().find(|r| {
        r["name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(rule))
    }) else {
        return error(
            404,
            "NotFound",
            &format!("Load balancing rule {rule} not found."),
        );
    };
    let pool = lower(
        r.pointer("/properties/backendAddressPool/id")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    );
    let mut addresses = Vec::new();
    for p in lb["properties"]["backendAddressPools"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if lower(p["id"].as_str().unwrap_or_default()) != pool {
            continue;
        }
        for c in p["properties"]["backendIPConfigurations"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let id = c["id"].as_str().unwrap_or_default();
            let down = w.probe_down.contains(&lower(id));
            addresses.push(json!({"networkInterfaceIPConfigurationId": id,
                "state": if down { "Down" } else { "Up" },
                "reason": if down { "Down_Probe_Failure" } else { "Up_Probe_Success" }}));
        }
    }
    let down = addresses.iter().filter(|a| a["state"] == "Down").count();
    let body = json!({"up": addresses.len() - down, "down": down, "loadBalancerBackendAddresses": addresses});
    let loc = lb["location"].as_str().unwrap_or_default().to_string();
    let (_, location) = w.start_op(sub, &loc, "Microsoft.Network", |_| {}, None);
    let id = location
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    w.results.insert(id, body);
    let mut resp = (StatusCode::ACCEPTED, "").into_response();
    resp.headers_mut()
        .insert("location", HeaderValue::from_str(&location).unwrap());
    resp.headers_mut().insert(
        "retry-after",
        HeaderValue::from_str(&w.retry_after.to_string()).unwrap(),
    );
    resp
}

/// A NIC PUT's `If-Match` against the NIC's etag now (after another writer, when the world
/// says one races): 412 PreconditionFailed when they differ, as the Network RP answers.
fn nic_precondition(
    w: &mut World,
    key: &str,
    id: &str,
    if_match: Option<&str>,
) -> Option<Response> {
    w.nic_if_match.push(if_match.map(str::to_string));
    if w.nic_races > 0 && w.nics.contains_key(key) {
        w.nic_races -= 1;
        let etag = w.next_etag();
        let nic = w.nics.get_mut(key).expect("checked above");
        nic["etag"] = json!(etag);
        nic["tags"]["changed-by"] = json!("another-writer");
    }
    let now = w.nics.get(key)?["etag"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let wanted = if_match?;
    (wanted != "*" && wanted != now).then(|| {
        error(
            412,
            "PreconditionFailed",
            &format!("Precondition failed for resource {id}: the If-Match etag {wanted} does not match the current etag {now}."),
        )
    })
}

/// Give each sub-resource of a load balancer (or NIC) its id.
pub(super) fn name_children(v: &mut Value, id: &str, lists: &[&str]) {
    for l in lists {
        if let Some(a) = v["properties"][*l].as_array_mut() {
            for c in a {
                let n = c["name"].as_str().unwrap_or("x").to_string();
                c["id"] = json!(format!("{id}/{l}/{n}"));
                if c.get("properties").is_none() {
                    c["properties"] = json!({});
                }
                c["properties"]["provisioningState"] = json!("Succeeded");
            }
        }
    }
}

/// A network resource at (subscription, resource group, lower-cased type, name).
fn net_item(
    w: &mut World,
    method: &Method,
    (sub, rg, typ, name): (&str, &str, &str, &str),
    id: &str,
    key: &str,
    body: Value,
    if_match: Option<&str>,
) -> Response {
    if typ == "networkinterfaces" && *method == Method::PUT {
        if let Some(r) = nic_precondition(w, key, id, if_match) {
            return r;
        }
    }
    let kind = match typ {
        "networkinterfaces" => "Microsoft.Network/networkInterfaces",
        "publicipaddresses" => "Microsoft.Network/publicIPAddresses",
        _ => "Microsoft.Network/loadBalancers",
    };
    let current = match typ {
        "networkinterfaces" => w.nics.get(key).cloned(),
        "publicipaddresses" => w.pips.get(key).cloned(),
        _ => w.lbs.get(key).map(|l| w.render_lb(l)),
    };
    match *method {
        Method::GET => match current {
            Some(v) => answer(200, v),
            None => not_found(kind, name, rg),
        },
        Method::PUT => {
            let mut v = body.clone();
            v["id"] = json!(id);
            v["name"] = json!(name);
            v["type"] = json!(kind);
            if v.get("properties").is_none() {
                v["properties"] = json!({});
            }
            v["properties"]["provisioningState"] = json!("Succeeded");
            let loc = v["location"].as_str().unwrap_or_default().to_string();
            let k = key.to_string();
            match typ {
                "networkinterfaces" => {
                    v["etag"] = json!(w.next_etag());
                    name_children(&mut v, id, &["ipConfigurations"]);
                    if let Some(old) = &current {
                        v["properties"]["virtualMachine"] =
                            old["properties"]["virtualMachine"].clone();
                        if v["properties"]["virtualMachine"].is_null() {
                            v["properties"]
                                .as_object_mut()
                                .unwrap()
                                .remove("virtualMachine");
                        }
                    }
                    if v.pointer("/properties/ipConfigurations/0/properties/privateIPAddress")
                        .is_none()
                    {
                        let n = w.next_ip();
                        v["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"] =
                            json!(format!("10.42.0.{n}"));
                    }
                    w.nics.insert(k, v.clone());
                }
                "publicipaddresses" => {
                    let n = w.next_ip();
                    v["properties"]["ipAddress"] = json!(format!("52.170.3.{n}"));
                    w.pips.insert(k, v.clone());
                }
                _ => {
                    name_children(
                        &mut v,
                        id,
                        &[
                            "frontendIPConfigurations",
                            "backendAddressPools",
                            "probes",
                            "loadBalancingRules",
                        ],
                    );
                    v["properties"]["provisioningState"] = json!("Updating");
                    w.lbs.insert(k.clone(), v.clone());
                    return accepted(
                        w,
                        sub,
                        &loc,
                        "Microsoft.Network",
                        Some(v),
                        move |w| {
                            if let Some(l) = w.lbs.get_mut(&k) {
                                l["properties"]["provisioningState"] = json!("Succeeded");
                            }
                        },
                        None,
                    );
                }
            }
            accepted(w, sub, &loc, "Microsoft.Network", Some(v), |_| {}, None)
        }
        Method::PATCH => {
            let Some(mut v) = current else {
                return not_found(kind, name, rg);
            };
            v["tags"] = body["tags"].clone();
            if typ == "loadbalancers" {
                if let Some(l) = w.lbs.get_mut(key) {
                    l["tags"] = body["tags"].clone();
                }
            }
            let loc = v["location"].as_str().unwrap_or_default().to_string();
            accepted(w, sub, &loc, "Microsoft.Network", Some(v), |_| {}, None)
        }
        Method::DELETE => {
            let Some(v) = current else {
                return (StatusCode::NO_CONTENT, "").into_response();
            };
            if typ == "publicipaddresses" {
                let used = w.lbs.values().any(|l| {
                    l["properties"]["frontendIPConfigurations"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|f| {
                            f.pointer("/properties/publicIPAddress/id")
                                .and_then(Value::as_str)
                                .map(lower)
                                == Some(key.to_string())
                        })
                });
                if used {
                    return error(400, "PublicIPAddressInUse", &format!("Public IP address {id} can not be deleted since it is still allocated to resource."));
                }
            }
            let loc = v["location"].as_str().unwrap_or_default().to_string();
            let k = key.to_string();
            let typ = typ.to_string();
            accepted(
                w,
                sub,
                &loc,
                "Microsoft.Network",
                None,
                move |w| match typ.as_str() {
                    "networkinterfaces" => {
                        w.nics.remove(&k);
                    }
                    "publicipaddresses" => {
                        w.pips.remove(&k);
                    }
                    _ => {
                        w.lbs.remove(&k);
                        for nic in w.nics.values_mut() {
                            for c in nic["properties"]["ipConfigurations"]
                                .as_array_mut()
                                .into_iter()
                                .flatten()
                            {
                                if let Some(p) = c["properties"]["loadBalancerBackendAddressPools"]
                                    .as_array_mut()
                                {
                                    p.retain(|x| {
                                        !lower(x["id"].as_str().unwrap_or_default()).starts_with(&k)
                                    });
                                }
                            }
                        }
                    }
                },
                None,
            )
        }
        _ => error(405, "MethodNotAllowed", "no"),
    }
}
