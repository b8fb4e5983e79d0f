//! The stub's instances and disks methods: insert, start, stop, reset, delete, attachDisk,
//! detachDisk, setLabels, disks insert/delete, with the refusals Compute gives (404 notFound,
//! 409 alreadyExists, 400 resourceNotReady / resourceInUseByAnotherResource, 412 on a stale
//! label fingerprint). A change shows its transitional state at once and its end when its
//! Operation is DONE.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use super::routes::{err, not_found, Answer};
use super::wire::{fingerprint, last, segment, zone_url};
use super::world::{Key, Loc, Project, World};

#[derive(Debug, Clone, Copy)]
pub enum Coll {
    Instances,
    Disks,
    Rules,
}

fn coll(p: &mut Project, c: Coll) -> &mut BTreeMap<Key, Value> {
    match c {
        Coll::Instances => &mut p.instances,
        Coll::Disks => &mut p.disks,
        Coll::Rules => &mut p.rules,
    }
}

fn key(a: &str, b: &str) -> Key {
    (a.to_string(), b.to_string())
}

fn set_status(c: Coll, k: Key, status: &'static str) -> Box<dyn FnOnce(&mut Project) + Send> {
    Box::new(move |p: &mut Project| {
        if let Some(v) = coll(p, c).get_mut(&k) {
            v["status"] = json!(status);
        }
    })
}

fn required(body: &Value, field: &str) -> Result<String, Answer> {
    body[field]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            err(
                400,
                "required",
                format!("Required field 'resource.{field}' not specified"),
            )
        })
}

pub fn insert_instance(w: &mut World, p: &str, z: &str, body: &Value) -> Answer {
    let name = match required(body, "name") {
        Ok(n) => n,
        Err(a) => return a,
    };
    let k = key(z, &name);
    let self_link = format!("{}/instances/{name}", zone_url(p, z));
    if w.projects[p].instances.contains_key(&k) {
        return err(
            409,
            "alreadyExists",
            format!("The resource 'projects/{p}/zones/{z}/instances/{name}' already exists"),
        );
    }
    let machine = last(body["machineType"].as_str().unwrap_or_default()).to_string();
    if !w.machine_types.contains_key(&machine) && !machine.starts_with("custom-") {
        return err(400, "invalid", format!("Invalid value for field 'resource.machineType': '{}'. Machine type with name '{machine}' does not exist in zone '{z}'.", body["machineType"].as_str().unwrap_or_default()));
    }
    let init = &body["disks"][0]["initializeParams"];
    let Some(image) = init["sourceImage"]
        .as_str()
        .filter(|i| i.contains("/images/"))
    else {
        return err(
            400,
            "required",
            "Required field 'resource.disks[0].initializeParams.sourceImage' not specified",
        );
    };
    let size: i64 = match &init["diskSizeGb"] {
        Value::String(s) => s.parse().unwrap_or(10),
        Value::Number(n) => n.as_i64().unwrap_or(10),
        _ => 10,
    };
    let spot = body["scheduling"]["provisioningModel"] == "SPOT";
    let labels = if body["labels"].is_object() {
        body["labels"].clone()
    } else {
        json!({})
    };
    let mut v = w.instance_json(p, z, &name, &machine, "PROVISIONING", labels, spot);
    let boot_url = format!("{}/disks/{name}", zone_url(p, z));
    v["disks"] = json!([{"kind": "compute#attachedDisk", "type": "PERSISTENT", "mode": "READ_WRITE", "source": boot_url, "deviceName": "persistent-disk-0", "index": 0, "boot": true, "autoDelete": true, "interface": "SCSI", "diskSizeGb": size.to_string()}]);
    let mut boot = w.disk_json(p, z, &name, size, "pd-balanced", "READY", json!({}));
    boot["sourceImage"] = json!(image);
    boot["users"] = json!([self_link]);
    let k2 = k.clone();
    let now = Box::new(move |pr: &mut Project| {
        pr.instances.insert(k2.clone(), v);
        pr.disks.insert(k2, boot);
    });
    w.operation(
        p,
        Loc::Zone(z),
        "insert",
        &self_link,
        Some(now),
        Some(set_status(Coll::Instances, k, "RUNNING")),
    )
}

pub fn instance_action(
    w: &mut World,
    p: &str,
    z: &str,
    n: &str,
    action: &str,
    q: &HashMap<String, String>,
    body: &Value,
) -> Answer {
    let k = key(z, n);
    let Some(v) = w.projects[p].instances.get(&k).cloned() else {
        return not_found(&format!("projects/{p}/zones/{z}/instances/{n}"));
    };
    let link = v["selfLink"].as_str().unwrap_or_default().to_string();
    let status = v["status"].as_str().unwrap_or_default().to_string();
    let not_ready = || {
        err(
            400,
            "resourceNotReady",
            format!("The resource 'projects/{p}/zones/{z}/instances/{n}' is not ready"),
        )
    };
    let loc = Loc::Zone(z);
    match action {
        "start" => match status.as_str() {
            "RUNNING" | "STAGING" | "PROVISIONING" => {
                w.operation(p, loc, "start", &link, None, None)
            }
            "TERMINATED" | "STOPPED" | "SUSPENDED" => w.operation(
                p,
                loc,
                "start",
                &link,
                Some(set_status(Coll::Instances, k.clone(), "STAGING")),
                Some(set_status(Coll::Instances, k, "RUNNING")),
            ),
            _ => not_ready(),
        },
        // instances.resume: a suspended instance only.
        "resume" if status == "SUSPENDED" => w.operation(
            p,
            loc,
            "resume",
            &link,
            Some(set_status(Coll::Instances, k.clone(), "STAGING")),
            Some(set_status(Coll::Instances, k, "RUNNING")),
        ),
        "resume" => not_ready(),
        "stop" => match status.as_str() {
            "TERMINATED" | "STOPPED" => w.operation(p, loc, "stop", &link, None, None),
            "RUNNING" | "STAGING" | "PROVISIONING" | "REPAIRING" => w.operation(
                p,
                loc,
                "stop",
                &link,
                Some(set_status(Coll::Instances, k.clone(), "STOPPING")),
                Some(set_status(Coll::Instances, k, "TERMINATED")),
            ),
            _ => not_ready(),
        },
        "reset" if status == "RUNNING" => w.operation(p, loc, "reset", &link, None, None),
        "reset" => not_ready(),
        "delete" => {
            let gone = Box::new(move |pr: &mut Project| {
                if let Some(v) = pr.instances.remove(&k) {
                    for d in v["disks"].as_array().into_iter().flatten() {
                        let src = d["source"].as_str().unwrap_or_default();
                        let dk = (
                            segment(src, "zones").unwrap_or_default().to_string(),
                            last(src).to_string(),
                        );
                        if d["autoDelete"] == true {
                            pr.disks.remove(&dk);
                        } else if let Some(disk) = pr.disks.get_mut(&dk) {
                            disk["users"] = json!([]);
                        }
                    }
                }
            });
            w.operation(
                p,
                loc,
                "delete",
                &link,
                Some(set_status(Coll::Instances, key(z, n), "STOPPING")),
                Some(gone),
            )
        }
        "setLabels" => set_labels(w, p, Coll::Instances, z, n, body),
        "attachDisk" => {
            let src = body["source"].as_str().unwrap_or_default().to_string();
            let (Some(dz), dn) = (segment(&src, "zones"), last(&src)) else {
                return err(
                    400,
                    "invalid",
                    format!("Invalid value for field 'resource.source': '{src}'."),
                );
            };
            let dk = key(dz, dn);
            let Some(disk) = w.projects[p].disks.get(&dk) else {
                return not_found(&format!("projects/{p}/zones/{dz}/disks/{dn}"));
            };
            if dz != z {
                return err(400, "invalid", format!("Invalid value for field 'resource.source': '{src}'. Disk must be in the same zone as the instance."));
            }
            if let Some(user) = disk["users"].as_array().and_then(|u| u.first()) {
                return err(400, "resourceInUseByAnotherResource", format!("The disk resource 'projects/{p}/zones/{dz}/disks/{dn}' is already being used by '{}'", user.as_str().unwrap_or_default().trim_start_matches("https://www.googleapis.com/compute/v1/")));
            }
            let count = v["disks"].as_array().map_or(0, |d| d.len());
            let device = body["deviceName"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("persistent-disk-{count}"));
            if v["disks"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|d| d["deviceName"] == device.as_str())
            {
                return err(400, "invalid", format!("Invalid value for field 'resource.deviceName': '{device}'. Device name is already in use."));
            }
            let ik = k.clone();
            let link2 = link.clone();
            let attach = Box::new(move |pr: &mut Project| {
                if let Some(v) = pr.instances.get_mut(&ik) {
                    if let Some(arr) = v["disks"].as_array_mut() {
                        arr.push(json!({"kind": "compute#attachedDisk", "type": "PERSISTENT", "mode": "READ_WRITE", "source": src, "deviceName": device, "index": count, "boot": false, "autoDelete": false, "interface": "SCSI"}));
                    }
                }
                if let Some(d) = pr.disks.get_mut(&dk) {
                    d["users"] = json!([link2]);
                }
            });
            w.operation(p, loc, "attachDisk", &link, None, Some(attach))
        }
        "detachDisk" => {
            let device = q.get("deviceName").cloned().unwrap_or_default();
            let Some(src) = v["disks"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|d| d["deviceName"] == device.as_str())
                .and_then(|d| d["source"].as_str())
                .map(str::to_string)
            else {
                return err(400, "invalid", format!("Invalid value for field 'deviceName': '{device}'. No attached disk found with device name '{device}'"));
            };
            let dk = (
                segment(&src, "zones").unwrap_or_default().to_string(),
                last(&src).to_string(),
            );
            let ik = k.clone();
            let detach = Box::new(move |pr: &mut Project| {
                if let Some(v) = pr.instances.get_mut(&ik) {
                    if let Some(arr) = v["disks"].as_array_mut() {
                        arr.retain(|d| d["deviceName"] != device.as_str());
                    }
                }
                if let Some(d) = pr.disks.get_mut(&dk) {
                    d["users"] = json!([]);
                }
            });
            w.operation(p, loc, "detachDisk", &link, None, Some(detach))
        }
        other => err(
            400,
            "invalid",
            format!("instances.{other} is not modelled by the stub"),
        ),
    }
}

/// setLabels on an instance, a disk or a forwarding rule: the body's `labelFingerprint` must be
/// the current one (else 412 conditionNotMet); the labels change at once, with a new fingerprint.
pub fn set_labels(w: &mut World, p: &str, c: Coll, loc: &str, n: &str, body: &Value) -> Answer {
    let k = key(loc, n);
    let behind = std::mem::take(&mut w.labels_change_behind);
    let fresh = fingerprint(w.next_id());
    let newer = fingerprint(w.next_id());
    let (level, what) = match c {
        Coll::Instances => ("zones", "instances"),
        Coll::Disks => ("zones", "disks"),
        Coll::Rules => ("regions", "forwardingRules"),
    };
    let pr = w.project(p);
    let Some(v) = coll(pr, c).get_mut(&k) else {
        return not_found(&format!("projects/{p}/{level}/{loc}/{what}/{n}"));
    };
    if behind {
        // Someone else changed the labels since the caller read them.
        v["labels"]["changed-by"] = json!("someone-else");
        v["labelFingerprint"] = json!(fresh);
    }
    if body["labelFingerprint"] != v["labelFingerprint"] {
        return err(
            412,
            "conditionNotMet",
            "Labels fingerprint either invalid or resource labels have changed",
        );
    }
    v["labels"] = if body["labels"].is_object() {
        body["labels"].clone()
    } else {
        json!({})
    };
    v["labelFingerprint"] = json!(newer);
    let link = v["selfLink"].as_str().unwrap_or_default().to_string();
    let at = match c {
        Coll::Rules => Loc::Region(loc),
        _ => Loc::Zone(loc),
    };
    w.operation(p, at, "setLabels", &link, None, None)
}

const DISK_TYPES: [&str; 5] = [
    "pd-standard",
    "pd-balanced",
    "pd-ssd",
    "pd-extreme",
    "hyperdisk-balanced",
];

pub fn insert_disk(w: &mut World, p: &str, z: &str, body: &Value) -> Answer {
    let name = match required(body, "name") {
        Ok(n) => n,
        Err(a) => return a,
    };
    let k = key(z, &name);
    if w.projects[p].disks.contains_key(&k) {
        return err(
            409,
            "alreadyExists",
            format!("The resource 'projects/{p}/zones/{z}/disks/{name}' already exists"),
        );
    }
    let size: i64 = match &body["sizeGb"] {
        Value::String(s) => s.parse().unwrap_or(10),
        Value::Number(n) => n.as_i64().unwrap_or(10),
        _ => 10,
    };
    let kind = body["type"]
        .as_str()
        .map(last)
        .unwrap_or("pd-standard")
        .to_string();
    if !DISK_TYPES.contains(&kind.as_str()) {
        return err(
            400,
            "invalid",
            format!("Invalid value for field 'resource.type': '{kind}'. Disk type does not exist."),
        );
    }
    let labels = if body["labels"].is_object() {
        body["labels"].clone()
    } else {
        json!({})
    };
    let d = w.disk_json(p, z, &name, size, &kind, "CREATING", labels);
    let link = d["selfLink"].as_str().unwrap_or_default().to_string();
    let k2 = k.clone();
    let now = Box::new(move |pr: &mut Project| {
        pr.disks.insert(k2, d);
    });
    w.operation(
        p,
        Loc::Zone(z),
        "insert",
        &link,
        Some(now),
        Some(set_status(Coll::Disks, k, "READY")),
    )
}

pub fn delete_disk(w: &mut World, p: &str, z: &str, n: &str) -> Answer {
    let k = key(z, n);
    let Some(d) = w.projects[p].disks.get(&k) else {
        return not_found(&format!("projects/{p}/zones/{z}/disks/{n}"));
    };
    if let Some(user) = d["users"].as_array().and_then(|u| u.first()) {
        return err(400, "resourceInUseByAnotherResource", format!("The disk resource 'projects/{p}/zones/{z}/disks/{n}' is already being used by '{}'", user.as_str().unwrap_or_default().trim_start_matches("https://www.googleapis.com/compute/v1/")));
    }
    let link = d["selfLink"].as_str().unwrap_or_default().to_string();
    let k2 = k.clone();
    let gone = Box::new(move |pr: &mut Project| {
        pr.disks.remove(&k2);
    });
    w.operation(
        p,
        Loc::Zone(z),
        "delete",
        &link,
        Some(set_status(Coll::Disks, k, "DELETING")),
        Some(gone),
    )
}
