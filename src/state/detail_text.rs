//! The detail view's text, derived from state: the reducer searches it and the renderer draws it.

use crate::domain::{Resource, ResourceRef};
use crate::format;
use crate::inventory::Inventory;
use crate::prices::{estimate, Catalog};

use super::Detail;

pub fn detail_lines(d: &Detail, inv: &Inventory, cat: &Catalog) -> Vec<String> {
    detail_rows(d, inv, cat)
        .into_iter()
        .map(|(l, _)| l)
        .collect()
}

/// The lines that name a related resource listed in the inventory (a disk's instance, an
/// instance's disks and load balancers, a load balancer's targets): where they are and what
/// they name, for drilling down.
pub fn detail_links(d: &Detail, inv: &Inventory, cat: &Catalog) -> Vec<(usize, ResourceRef)> {
    detail_rows(d, inv, cat)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (_, r))| Some((i, r?)))
        .filter(|(_, r)| inv.get(r).is_some())
        .collect()
}

/// Each line, with the resource it names if it is a link.
fn detail_rows(d: &Detail, inv: &Inventory, cat: &Catalog) -> Vec<(String, Option<ResourceRef>)> {
    let plain = |l: String| (l, None);
    let mut out = vec![plain(format!("ref: {}", d.target))];
    let Some(described) = &d.loaded else {
        // A network is its listed row: nothing more to ask the provider for.
        if !d.target.kind.describable() {
            match inv.get(&d.target) {
                Some(r) => {
                    out.push(plain(String::new()));
                    out.extend(fields(&r, inv, cat));
                }
                None => out.push(plain("no longer listed".into())),
            }
            return out;
        }
        match &d.error {
            Some(e) => out.push(plain(format!("error: {}", e.explain()))),
            None => out.push(plain("loading…".into())),
        }
        // What the inventory already knows, while the provider answers.
        if let Some(r) = inv.get(&d.target) {
            out.push(plain(String::new()));
            out.extend(fields(&r, inv, cat));
        }
        return out;
    };
    out.push(plain(String::new()));
    out.extend(fields(&described.resource, inv, cat));
    out.push(plain(String::new()));
    out.push(plain("raw (the provider's payload):".into()));
    let raw = serde_json::to_string_pretty(&described.raw).unwrap_or_default();
    out.extend(raw.lines().map(|l| plain(format!("  {l}"))));
    out
}

/// "2 vCPU, 8 GiB" as the account reports it; else "2 vCPU, 8 GiB, x86_64" from the catalog's
/// shape of the type (Azure accounts often do not report one).
fn machine_shape(i: &crate::domain::Instance, cat: &Catalog) -> Option<String> {
    if let (Some(c), Some(m)) = (i.vcpus, i.memory_gib) {
        return Some(format!("{c} vCPU, {} GiB", format::gib(m)));
    }
    let s = cat
        .provider(i.r#ref.provider)?
        .shapes
        .get(i.instance_type.as_str())?;
    Some(format!(
        "{} vCPU, {} GiB, {}",
        s.vcpus,
        format::gib(s.memory_gib()),
        s.arch()
    ))
}

fn kv(k: &str, v: impl std::fmt::Display) -> String {
    format!("{k:<16}{v}")
}

fn fields(r: &Resource, inv: &Inventory, cat: &Catalog) -> Vec<(String, Option<ResourceRef>)> {
    let mut out = Lines(Vec::new());
    let reff = r.resource_ref();
    out.push(kv("name", r.name()));
    out.push(kv("id", r.id()));
    out.push(kv("provider", reff.provider));
    out.push(kv("account", &reff.account));
    out.push(kv("region", &reff.region));
    let cost = match r {
        Resource::Instance(i) => estimate::instance(cat, i),
        Resource::Disk(d) => estimate::disk(cat, d),
        Resource::LoadBalancer(l) => estimate::load_balancer(cat, l),
        Resource::Network(n) => {
            // Its own lines (subnets, groups and rules, findings, instances), then its tags.
            let mut lines = crate::kinds::network_text::lines(n, &|i| {
                inv.instances.get(i).map(|v| v.name.to_string())
            });
            lines.push((String::new(), None));
            lines.extend(tag_lines(r).into_iter().map(|l| (l, None)));
            return lines;
        }
    };
    // A machine's shape as the account reports it, else as the catalog knows its type.
    let shape = match r {
        Resource::Instance(i) => machine_shape(i, cat),
        _ => None,
    };
    out.push(kv(
        "cost",
        match (cost.hourly_usd, cost.monthly_usd()) {
            (Some(h), Some(m)) => format!(
                "${h:.4}/h, ${m:.2}/month ({}, {}{}{}; prices as of {})",
                cost.basis.as_str(),
                cost.sku,
                shape.as_ref().map(|s| format!(": {s}")).unwrap_or_default(),
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
                    "{} ({})",
                    i.instance_type,
                    shape.as_deref().unwrap_or("? vCPU, ? GiB")
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
                out.link(
                    d.r#ref.clone(),
                    format!(
                        "  {}  {}  {} GiB {}  {}",
                        d.device.as_deref().unwrap_or("-"),
                        d.name,
                        d.size_gib,
                        d.disk_type,
                        format::short_native_id(d.r#ref.provider, d.id())
                    ),
                );
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
                    out.link(l.r#ref.clone(), format!("  {}  ({h})", l.name));
                }
            }
            // Its network, subnet and security groups, where its network was listed.
            if let Some((n, m)) = inv
                .networks
                .iter()
                .find_map(|n| n.member(&i.r#ref).map(|m| (n, m)))
            {
                out.push("network:".into());
                let subnet = n.subnet_of(m).map(|s| s.name.as_str());
                let groups: Vec<&str> = n.groups_of(m).map(|g| g.name.as_str()).collect();
                let open = n
                    .groups_of(m)
                    .any(|g| n.findings.iter().any(|f| f.group == g.r#ref));
                out.link(
                    n.r#ref.clone(),
                    format!(
                        "  {}  subnet {}  groups {}{}",
                        n.name(),
                        subnet.unwrap_or("-"),
                        if groups.is_empty() {
                            "-".to_string()
                        } else {
                            groups.join(", ")
                        },
                        if open {
                            "  (a sensitive port is open to the world: see the network)"
                        } else {
                            ""
                        }
                    ),
                );
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
            match (&d.attached_to, holder) {
                (Some(r), Some(h)) => out.link(r.clone(), kv("attached to", h)),
                _ => out.push(kv("attached to", "-")),
            }
            out.push(kv("device", d.device.as_deref().unwrap_or("-")));
        }
        Resource::Network(_) => {}
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
                out.link(
                    t.instance.clone(),
                    format!("  {:<10} {name}  {}", t.health, t.instance.id),
                );
            }
        }
    }
    out.push(String::new());
    for l in tag_lines(r) {
        out.push(l);
    }
    out.0
}

fn tag_lines(r: &Resource) -> Vec<String> {
    let mut out = vec!["tags:".to_string()];
    if r.tags().is_empty() {
        out.push("  (none)".into());
    }
    for (k, v) in r.tags().iter() {
        out.push(format!("  {k} = {v}"));
    }
    out
}

/// Lines being built, some of them links.
struct Lines(Vec<(String, Option<ResourceRef>)>);

impl Lines {
    fn push(&mut self, l: String) {
        self.0.push((l, None));
    }

    fn link(&mut self, r: ResourceRef, l: impl Into<String>) {
        self.0.push((l.into(), Some(r)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{InstanceState, ProviderKind, ResourceKind};
    use crate::inventory::Scope;
    use crate::providers::Resources;

    /// The detail view of `vm`, listed alone in `scope`.
    fn lines_of(
        vm: &crate::domain::Instance,
        scope: crate::providers::ListScope,
        cat: &Catalog,
    ) -> Vec<String> {
        let mut inv = Inventory::new();
        inv.apply(
            Scope::new(&vm.r#ref.account, scope, ResourceKind::Instance),
            Ok(Resources::Instances(vec![vm.clone()])),
            chrono::Utc::now(),
        );
        let d = Detail::new(vm.r#ref.clone());
        detail_lines(&d, &inv, cat)
    }

    #[test]
    fn the_cost_line_knows_an_azure_machines_shape_the_account_does_not_report() {
        let cat = Catalog::bundled();
        let (instances, _, _) = crate::providers::sandbox::sample(60, 1);
        let mut vm = instances
            .into_iter()
            .find(|i| i.r#ref.provider == ProviderKind::Azure && i.state == InstanceState::Running)
            .expect("a running Azure VM");
        vm.vcpus = None;
        vm.memory_gib = None;
        let lines = lines_of(
            &vm,
            crate::providers::ListScope::azure_subscription(&vm.r#ref.account),
            &cat,
        );
        let sh = cat.provider(ProviderKind::Azure).unwrap().shapes[vm.instance_type.as_str()];
        let shape = format!(
            "{} vCPU, {} GiB, {}",
            sh.vcpus,
            format::gib(sh.memory_gib()),
            sh.arch()
        );
        let line = |k: &str| lines.iter().find(|l| l.starts_with(k)).unwrap().clone();
        let cost = line("cost");
        assert!(
            cost.contains(&format!("{}: {shape}", vm.instance_type))
                && cost.contains("prices as of 2026-06-18"),
            "{cost}"
        );
        assert!(line("type").contains(&shape), "{}", line("type"));
    }

    #[test]
    fn a_gcp_instance_shows_its_numeric_id_and_its_zone_and_name_ref() {
        let cat = Catalog::bundled();
        let (instances, _, _) = crate::providers::sandbox::sample(60, 1);
        let vm = instances
            .into_iter()
            .find(|i| i.r#ref.provider == ProviderKind::Gcp)
            .expect("a GCP instance");
        let lines = lines_of(
            &vm,
            crate::providers::ListScope::gcp_project("nephos-sandbox"),
            &cat,
        );
        let uid = vm.uid.as_deref().expect("GCP rows keep their numeric id");
        assert!(uid.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            lines.iter().any(|l| l == &kv("id", uid)),
            "the id line is the numeric id: {lines:?}"
        );
        let zone = vm.zone.as_deref().unwrap();
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("gcp:sandbox-gcp:{zone}:instance:{}", vm.name))),
            "the ref addresses it by zone and name: {lines:?}"
        );
    }
}
