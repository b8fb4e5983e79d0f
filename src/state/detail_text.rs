//! The detail view's text, derived from state: the reducer searches it and the renderer draws it.

use crate::domain::Resource;
use crate::format;
use crate::inventory::Inventory;
use crate::prices::{estimate, Catalog};

use super::Detail;

pub fn detail_lines(d: &Detail, inv: &Inventory, cat: &Catalog) -> Vec<String> {
    let mut out = vec![format!("ref: {}", d.target)];
    let Some(described) = &d.loaded else {
        match &d.error {
            Some(e) => out.push(format!("error: {}", e.explain())),
            None => out.push("loading…".into()),
        }
        // What the inventory already knows, while the provider answers.
        if let Some(r) = inv.get(&d.target) {
            out.push(String::new());
            out.extend(fields(&r, inv, cat));
        }
        return out;
    };
    out.push(String::new());
    out.extend(fields(&described.resource, inv, cat));
    out.push(String::new());
    out.push("raw (the provider's payload):".into());
    let raw = serde_json::to_string_pretty(&described.raw).unwrap_or_default();
    out.extend(raw.lines().map(|l| format!("  {l}")));
    out
}

fn kv(k: &str, v: impl std::fmt::Display) -> String {
    format!("{k:<16}{v}")
}

fn fields(r: &Resource, inv: &Inventory, cat: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    let reff = r.resource_ref();
    out.push(kv("name", r.name()));
    out.push(kv("id", &reff.id));
    out.push(kv("provider", reff.provider));
    out.push(kv("account", &reff.account));
    out.push(kv("region", &reff.region));
    let cost = match r {
        Resource::Instance(i) => estimate::instance(cat, i),
        Resource::Disk(d) => estimate::disk(cat, d),
        Resource::LoadBalancer(l) => estimate::load_balancer(cat, l),
    };
    out.push(kv(
        "cost",
        match (cost.hourly_usd, cost.monthly_usd()) {
            (Some(h), Some(m)) => format!(
                "${h:.4}/h, ${m:.2}/month ({}, {}{}; prices as of {})",
                cost.basis.as_str(),
                cost.sku,
                cost.note
                    .as_deref()
                    .map(|n| format!("; {n}"))
                    .unwrap_or_default(),
                cost.as_of.as_deref().unwrap_or("?")
            ),
            _ => format!(
                "no price: {}",
                cost.note.as_deref().unwrap_or("not in the catalog")
            ),
        },
    ));
    match r {
        Resource::Instance(i) => {
            out.push(kv("zone", i.zone.as_deref().unwrap_or("-")));
            out.push(kv("state", format!("{} ({})", i.state, i.provider_state)));
            out.push(kv(
                "type",
                format!(
                    "{} ({} vCPU, {} GiB)",
                    i.instance_type,
                    i.vcpus.map_or("?".into(), |v| v.to_string()),
                    i.memory_gib.map_or("?".into(), format::gib)
                ),
            ));
            out.push(kv("spot", i.spot));
            out.push(kv("private ip", i.private_ip.as_deref().unwrap_or("-")));
            out.push(kv("public ip", i.public_ip.as_deref().unwrap_or("-")));
            out.push(kv(
                "launched",
                i.launched_at.map_or("-".into(), |t| t.to_rfc3339()),
            ));
            out.push(String::new());
            out.push("disks:".into());
            let disks: Vec<_> = inv
                .disks
                .iter()
                .filter(|d| d.attached_to.as_ref() == Some(&i.r#ref))
                .collect();
            if disks.is_empty() {
                out.push("  (none listed)".into());
            }
            for d in disks {
                out.push(format!(
                    "  {}  {}  {} GiB {}  {}",
                    d.device.as_deref().unwrap_or("-"),
                    d.name,
                    d.size_gib,
                    d.disk_type,
                    format::short_id(&d.r#ref)
                ));
            }
            let lbs: Vec<_> = inv
                .load_balancers
                .iter()
                .filter(|l| l.targets.iter().any(|t| t.instance == i.r#ref))
                .collect();
            if !lbs.is_empty() {
                out.push("load balancers:".into());
                for l in lbs {
                    let h = l
                        .targets
                        .iter()
                        .find(|t| t.instance == i.r#ref)
                        .map(|t| t.health.to_string())
                        .unwrap_or_default();
                    out.push(format!("  {}  ({h})", l.name));
                }
            }
        }
        Resource::Disk(d) => {
            out.push(kv("zone", d.zone.as_deref().unwrap_or("-")));
            out.push(kv("state", format!("{} ({})", d.state, d.provider_state)));
            out.push(kv("type", &d.disk_type));
            out.push(kv("size", format!("{} GiB", d.size_gib)));
            let holder = d.attached_to.as_ref().map(|r| {
                let name = inv
                    .instances
                    .get(r)
                    .map(|i| i.name.to_string())
                    .unwrap_or_default();
                format!("{name} {}", r)
            });
            out.push(kv("attached to", holder.unwrap_or_else(|| "-".into())));
            out.push(kv("device", d.device.as_deref().unwrap_or("-")));
        }
        Resource::LoadBalancer(l) => {
            out.push(kv("kind", l.kind.as_str()));
            out.push(kv("scheme", l.scheme.as_str()));
            out.push(kv("state", format!("{} ({})", l.state, l.provider_state)));
            out.push(kv("dns name", l.dns_name.as_deref().unwrap_or("-")));
            out.push(String::new());
            out.push(format!(
                "targets ({} healthy of {}):",
                l.healthy_targets(),
                l.targets.len()
            ));
            for t in &l.targets {
                let name = inv
                    .instances
                    .get(&t.instance)
                    .map(|i| i.name.to_string())
                    .unwrap_or_default();
                out.push(format!("  {:<10} {name}  {}", t.health, t.instance.id));
            }
        }
    }
    out.push(String::new());
    out.push("tags:".into());
    if r.tags().is_empty() {
        out.push("  (none)".into());
    }
    for (k, v) in r.tags().iter() {
        out.push(format!("  {k} = {v}"));
    }
    out
}
