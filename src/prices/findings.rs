//! Waste and savings: what an estate pays for and need not. Each finding has a monthly saving
//! and, where one exists, the action that takes it.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use serde::Serialize;

use super::catalog::Shape;
use super::estimate::{self, Basis, HOURS_PER_MONTH};
use super::Catalog;
use crate::domain::fnv::Fnv;
use crate::domain::{
    DiskState, InstanceState, LbState, Op, ProviderKind, ResourceKind, ResourceRef, TargetHealth,
};
use crate::inventory::Inventory;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    StoppedWithDisks,
    UnattachedDisk,
    IdleLoadBalancer,
    SpotCandidate,
    RightSize,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::StoppedWithDisks => "stopped-with-disks",
            FindingKind::UnattachedDisk => "unattached-disk",
            FindingKind::IdleLoadBalancer => "idle-load-balancer",
            FindingKind::SpotCandidate => "spot-candidate",
            FindingKind::RightSize => "right-size",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    #[serde(rename = "ref")]
    pub r#ref: ResourceRef,
    /// The resource's name.
    pub name: String,
    pub kind: ResourceKind,
    pub finding: FindingKind,
    pub detail: String,
    pub monthly_savings_usd: f64,
    /// The action that takes the saving, if nephos has one.
    pub action: Option<Op>,
    /// Another finding on the same resource with a larger saving, when both cannot be taken in
    /// full (spot and right-size of one machine): this one is not counted in totals.
    pub alternative_to: Option<FindingKind>,
}

/// Machine shapes by provider: the catalog's, and any an account reports (its offerings).
pub type Shapes = HashMap<ProviderKind, HashMap<String, Shape>>;

/// A machine type with its shape and hourly price.
type Priced = (String, Shape, f64);

pub fn shapes(cat: &Catalog, extra: &[(ProviderKind, String, Shape)]) -> Shapes {
    let mut out: Shapes = HashMap::new();
    for p in &cat.providers {
        if let Some(k) = p.provider {
            out.entry(k)
                .or_default()
                .extend(p.shapes.iter().map(|(s, sh)| (s.clone(), *sh)));
        }
    }
    for (k, sku, sh) in extra {
        out.entry(*k).or_default().entry(sku.clone()).or_insert(*sh);
    }
    out
}

/// Every finding in the inventory, largest saving first.
pub fn findings(cat: &Catalog, shapes: &Shapes, inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    // Disk costs by the instance they are attached to.
    // (Hashed with FNV: SipHash over 122k refs was a tenth of the first Costs view at 100k.)
    let mut disk_cost: HashMap<&ResourceRef, f64, Fnv> =
        HashMap::with_capacity_and_hasher(inv.instances.len(), Fnv);
    for d in inv.disks.iter() {
        let monthly = estimate::disk_hourly(cat, d).map(|h| h * HOURS_PER_MONTH);
        match (&d.attached_to, monthly) {
            (Some(holder), Some(m)) => *disk_cost.entry(holder).or_default() += m,
            (None, Some(m)) if d.state == DiskState::Available => out.push(Finding {
                r#ref: d.r#ref.clone(),
                name: d.name.to_string(),
                alternative_to: None,
                kind: ResourceKind::Disk,
                finding: FindingKind::UnattachedDisk,
                detail: format!("{} GiB {} attached to nothing", d.size_gib, d.disk_type),
                monthly_savings_usd: m,
                action: Some(Op::DeleteDisk),
            }),
            _ => {}
        }
    }
    // Shapes with prices per provider and region, cheapest first; and each type's answer, as
    // thousands of machines share a few types.
    // Keyed by the rows' own strings: no allocation per instance.
    let mut cheapest: HashMap<(ProviderKind, &str), Vec<Priced>, Fnv> = HashMap::default();
    let mut right_size: HashMap<(ProviderKind, &str, &str), Option<Priced>, Fnv> =
        HashMap::default();
    for i in inv.instances.iter() {
        let cost = estimate::instance(cat, i);
        if i.state == InstanceState::Stopped && cost.basis == Basis::StorageOnly {
            if let Some(m) = disk_cost.get(&i.r#ref).copied().filter(|m| *m > 0.0) {
                out.push(Finding {
                    r#ref: i.r#ref.clone(),
                    name: i.name.to_string(),
                    alternative_to: None,
                    kind: ResourceKind::Instance,
                    finding: FindingKind::StoppedWithDisks,
                    detail: format!("{} stopped; its disks still cost money", i.instance_type),
                    monthly_savings_usd: m,
                    action: Some(Op::Terminate),
                });
            }
            continue;
        }
        if i.state != InstanceState::Running || cost.basis != Basis::OnDemand {
            continue;
        }
        let Some(hourly) = cost.hourly_usd else {
            continue;
        };
        let Some(prices) = cat.provider(i.r#ref.provider) else {
            continue;
        };
        if let Some(spot) = prices
            .compute_price(i.region(), &i.instance_type)
            .and_then(|p| p.spot_usd_per_hour)
        {
            if spot < hourly {
                out.push(Finding {
                    r#ref: i.r#ref.clone(),
                    name: i.name.to_string(),
                    alternative_to: None,
                    kind: ResourceKind::Instance,
                    finding: FindingKind::SpotCandidate,
                    detail: format!("{} on-demand {hourly}/h, spot {spot}/h", i.instance_type),
                    monthly_savings_usd: (hourly - spot) * HOURS_PER_MONTH,
                    action: None,
                });
            }
        }
        // Right size: the cheapest shape here with at least this one's vCPU and memory.
        let known = shapes.get(&i.r#ref.provider);
        let mine = known
            .and_then(|s| s.get(i.instance_type.as_str()))
            .copied()
            .or_else(|| {
                Some(Shape {
                    vcpus: i.vcpus?,
                    memory_mib: (i.memory_gib? * 1024.0).round() as u32,
                    arm: false,
                    gpus: 0,
                })
            });
        let (Some(mine), Some(known)) = (mine, known) else {
            continue;
        };
        let key = (i.r#ref.provider, i.region(), i.instance_type.as_str());
        let best = right_size
            .entry(key)
            .or_insert_with(|| {
                let by_price = cheapest
                    .entry((i.r#ref.provider, i.region()))
                    .or_insert_with(|| {
                        let mut v: Vec<Priced> = prices
                            .compute
                            .get(i.region())
                            .map(|m| {
                                m.iter()
                                    .filter_map(|(sku, p)| {
                                        known.get(sku).map(|sh| (sku.clone(), *sh, p.usd_per_hour))
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        v.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
                        v
                    });
                by_price
                    .iter()
                    .take_while(|(_, _, usd)| *usd < hourly)
                    .find(|(sku, sh, _)| {
                        sku.as_str() != i.instance_type.as_str()
                            && sh.arm == mine.arm
                            && sh.gpus >= mine.gpus
                            && sh.vcpus >= mine.vcpus
                            && sh.memory_mib >= mine.memory_mib
                    })
                    .cloned()
            })
            .clone();
        if let Some((sku, sh, usd)) = best {
            out.push(Finding {
                r#ref: i.r#ref.clone(),
                name: i.name.to_string(),
                alternative_to: None,
                kind: ResourceKind::Instance,
                finding: FindingKind::RightSize,
                detail: format!(
                    "{} ({} vCPU, {} GiB) {hourly}/h → {sku} ({} vCPU, {} GiB, same {}) {usd}/h",
                    i.instance_type,
                    mine.vcpus,
                    crate::format::gib(mine.memory_gib()),
                    sh.vcpus,
                    crate::format::gib(sh.memory_gib()),
                    sh.arch()
                ),
                monthly_savings_usd: (hourly - usd) * HOURS_PER_MONTH,
                action: None,
            });
        }
    }
    for l in inv.load_balancers.iter() {
        if l.state != LbState::Active {
            continue;
        }
        let healthy = l
            .targets
            .iter()
            .filter(|t| t.health == TargetHealth::Healthy)
            .count();
        if healthy > 0 {
            continue;
        }
        if let Some(m) = estimate::load_balancer(cat, l).monthly_usd() {
            out.push(Finding {
                r#ref: l.r#ref.clone(),
                name: l.name.to_string(),
                alternative_to: None,
                kind: ResourceKind::LoadBalancer,
                finding: FindingKind::IdleLoadBalancer,
                detail: if l.targets.is_empty() {
                    "no targets".into()
                } else {
                    format!("none of {} targets healthy", l.targets.len())
                },
                monthly_savings_usd: m,
                action: Some(Op::DeleteLoadBalancer),
            });
        }
    }
    let mut out = largest_first(out);
    // Largest first: a later finding on a resource already counted is its alternative (spot
    // and right-size of one machine save, together, less than their sum: never count both).
    let alternatives: Vec<Option<FindingKind>> = {
        let mut first: HashMap<&ResourceRef, FindingKind, Fnv> =
            HashMap::with_capacity_and_hasher(out.len(), Fnv);
        out.iter()
            .map(|f| match first.entry(&f.r#ref) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(f.finding);
                    None
                }
            })
            .collect()
    };
    for (f, alt) in out.iter_mut().zip(alternatives) {
        f.alternative_to = alt;
    }
    out
}

/// Largest saving first, then by kind, then by resource. No two findings are equal (one of each
/// kind per resource), so an unstable sort is as good. A finding is a few hundred bytes: their
/// positions are sorted with the two leading keys beside them, and each finding moves once.
fn largest_first(found: Vec<Finding>) -> Vec<Finding> {
    let mut order: Vec<(f64, FindingKind, u32)> = found
        .iter()
        .enumerate()
        .map(|(i, f)| (f.monthly_savings_usd, f.finding, i as u32))
        .collect();
    order.sort_unstable_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then_with(|| found[a.2 as usize].r#ref.cmp(&found[b.2 as usize].r#ref))
    });
    let mut slots: Vec<Option<Finding>> = found.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&(_, _, i)| slots[i as usize].take())
        .collect()
}

/// What `findings` save a month together: each resource's largest saving, once.
pub fn total_savings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> f64 {
    findings
        .into_iter()
        .filter(|f| f.alternative_to.is_none())
        .map(|f| f.monthly_savings_usd)
        .sum()
}

#[cfg(test)]
mod tests;
