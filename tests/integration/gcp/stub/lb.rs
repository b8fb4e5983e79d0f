//! The stub's target pools and forwarding rules: insert, delete, addInstance, removeInstance,
//! getHealth, with Compute's refusals (a pool a rule still uses, a rule whose target does not
//! exist, an instance that is not in the pool).

use serde_json::{json, Value};

use super::routes::{err, not_found, Answer};
use super::wire::{fingerprint, last, region_url, segment};
use super::world::{Loc, Project, World};

fn key(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
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

pub fn insert_pool(w: &mut World, p: &str, r: &str, body: &Value) -> Answer {
    let name = match name_of(body) {
        Ok(n) => n,
        Err(a) => return a,
    };
    let k = key(r, &name);
    if w.projects[p].pools.contains_key(&k) {
        return err(
            409,
            "alreadyExists",
            format!("The resource 'projects/{p}/regions/{r}/targetPools/{name}' already exists"),
        );
    }
    let link = format!("{}/targetPools/{name}", region_url(p, r));
    let pool = json!({
        "kind": "compute#targetPool",
        "id": w.new_id(),
        "creationTimestamp": "2026-12-07T00:00:00.000-08:00",
        "name": name,
        "description": body["description"].as_str().unwrap_or_default(),
        "region": region_url(p, r),
        "instances": [],
        "sessionAffinity": "NONE",
        "selfLink": link,
    });
    let put = Box::new(move |pr: &mut Project| {
        pr.pools.insert(k, pool);
    });
    w.operation(p, Loc::Region(r), "insert", &link, None, Some(put))
}

pub fn delete_pool(w: &mut World, p: &str, r: &str, n: &str) -> Answer {
    let k = key(r, n);
    let Some(pool) = w.projects[p].pools.get(&k) else {
        return not_found(&format!("projects/{p}/regions/{r}/targetPools/{n}"));
    };
    let link = pool["selfLink"].as_str().unwrap_or_default().to_string();
    if let Some(rule) = w.projects[p]
        .rules
        .values()
        .find(|f| f["target"] == link.as_str())
    {
        return err(400, "resourceInUseByAnotherResource", format!("The target_pool resource 'projects/{p}/regions/{r}/targetPools/{n}' is already being used by 'projects/{p}/regions/{r}/forwardingRules/{}'", rule["name"].as_str().unwrap_or_default()));
    }
    let gone = Box::new(move |pr: &mut Project| {
        pr.pools.remove(&k);
    });
    w.operation(p, Loc::Region(r), "delete", &link, None, Some(gone))
}

pub fn pool_action(w: &mut World, p: &str, r: &str, n: &str, action: &str, body: &Value) -> Answer {
    let k = key(r, n);
    let Some(pool) = w.projects[p].pools.get(&k).cloned() else {
        return not_found(&format!("projects/{p}/regions/{r}/targetPools/{n}"));
    };
    let link = pool["selfLink"].as_str().unwrap_or_default().to_string();
    match action {
        "addInstance" | "removeInstance" => {
            let mut urls = Vec::new();
            for i in body["instances"].as_array().into_iter().flatten() {
                let url = i["instance"].as_str().unwrap_or_default().to_string();
                let ik = key(segment(&url, "zones").unwrap_or_default(), last(&url));
                if !w.projects[p].instances.contains_key(&ik) {
                    return not_found(&format!("projects/{p}/zones/{}/instances/{}", ik.0, ik.1));
                }
                urls.push(url);
            }
            let add = action == "addInstance";
            let change = Box::new(move |pr: &mut Project| {
                if let Some(pool) = pr.pools.get_mut(&k) {
                    let mut now: Vec<String> = pool["instances"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect();
                    for u in urls {
                        if add && !now.contains(&u) {
                            now.push(u);
                        } else if !add {
                            now.retain(|x| x != &u);
                        }
                    }
                    pool["instances"] = json!(now);
                }
            });
            w.operation(p, Loc::Region(r), action, &link, None, Some(change))
        }
        "getHealth" => {
            let url = body["instance"].as_str().unwrap_or_default();
            if !pool["instances"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|i| i == url)
            {
                return err(400, "invalid", format!("Invalid value for field 'resource.instance': '{url}'. Instance is not a member of the target pool."));
            }
            let ik = key(segment(url, "zones").unwrap_or_default(), last(url));
            let vm = w.projects[p].instances.get(&ik);
            let running = vm.is_some_and(|v| v["status"] == "RUNNING");
            let ip = vm
                .map(|v| v["networkInterfaces"][0]["accessConfigs"][0]["natIP"].clone())
                .unwrap_or(Value::Null);
            (
                200,
                json!({
                    "kind": "compute#targetPoolInstanceHealth",
                    "healthStatus": [{"instance": url, "ipAddress": ip, "port": 80, "healthState": if running { "HEALTHY" } else { "UNHEALTHY" }}],
                }),
            )
        }
        other => err(
            400,
            "invalid",
            format!("targetPools.{other} is not modelled by the stub"),
        ),
    }
}

pub fn insert_rule(w: &mut World, p: &str, r: &str, body: &Value) -> Answer {
    let name = match name_of(body) {
        Ok(n) => n,
        Err(a) => return a,
    };
    let k = key(r, &name);
    if w.projects[p].rules.contains_key(&k) {
        return err(
            409,
            "alreadyExists",
            format!(
                "The resource 'projects/{p}/regions/{r}/forwardingRules/{name}' already exists"
            ),
        );
    }
    let target = body["target"].as_str().unwrap_or_default().to_string();
    let tk = key(
        segment(&target, "regions").unwrap_or_default(),
        last(&target),
    );
    if !target.contains("/targetPools/") || !w.projects[p].pools.contains_key(&tk) {
        return not_found(&format!(
            "projects/{p}/regions/{}/targetPools/{}",
            tk.0, tk.1
        ));
    }
    let n = w.next_id();
    let link = format!("{}/forwardingRules/{name}", region_url(p, r));
    let ports = body["portRange"].as_str().map(|pr| {
        if pr.contains('-') {
            pr.to_string()
        } else {
            format!("{pr}-{pr}")
        }
    });
    let rule = json!({
        "kind": "compute#forwardingRule",
        "id": w.new_id(),
        "creationTimestamp": "2026-12-07T00:00:00.000-08:00",
        "name": name,
        "description": body["description"].as_str().unwrap_or_default(),
        "region": region_url(p, r),
        "IPAddress": format!("35.187.{}.{}", (n >> 8) & 255, n & 255),
        "IPProtocol": body["IPProtocol"].as_str().unwrap_or("TCP"),
        "portRange": ports,
        "target": target,
        "loadBalancingScheme": body["loadBalancingScheme"].as_str().unwrap_or("EXTERNAL"),
        "networkTier": "PREMIUM",
        "labels": if body["labels"].is_object() { body["labels"].clone() } else { json!({}) },
        "labelFingerprint": fingerprint(n),
        "fingerprint": fingerprint(n + 1),
        "selfLink": link,
    });
    let put = Box::new(move |pr: &mut Project| {
        pr.rules.insert(k, rule);
    });
    w.operation(p, Loc::Region(r), "insert", &link, None, Some(put))
}

pub fn delete_rule(w: &mut World, p: &str, r: &str, n: &str) -> Answer {
    let k = key(r, n);
    let Some(rule) = w.projects[p].rules.get(&k) else {
        return not_found(&format!("projects/{p}/regions/{r}/forwardingRules/{n}"));
    };
    let link = rule["selfLink"].as_str().unwrap_or_default().to_string();
    let gone = Box::new(move |pr: &mut Project| {
        pr.rules.remove(&k);
    });
    w.operation(p, Loc::Region(r), "delete", &link, None, Some(gone))
}
