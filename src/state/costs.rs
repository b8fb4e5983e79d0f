//! The Costs pane's figures, computed from the inventory and the catalog when the rows change
//! (pricing 100k instances and their disks takes ~40 ms; see docs/performance.md), never while
//! drawing.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::domain::fnv::Fnv;
use crate::domain::{InstanceState, ProviderKind, Resource, ResourceRef};
use crate::filter::Filter;
use crate::inventory::Inventory;
use crate::prices::estimate::{self, Basis, Cost};
use crate::prices::findings::{self, Finding, Shapes};
use crate::prices::Catalog;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    Provider,
    Account,
    Region,
    Kind,
    Tag(String),
}

impl Grouping {
    pub fn label(&self) -> String {
        match self {
            Grouping::Provider => "provider".into(),
            Grouping::Account => "account".into(),
            Grouping::Region => "region".into(),
            Grouping::Kind => "kind".into(),
            Grouping::Tag(k) => format!("tag {k}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub monthly_usd: f64,
    pub resources: usize,
    pub unpriced: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spender {
    pub r#ref: ResourceRef,
    pub name: String,
    pub sku: String,
    pub basis: Basis,
    pub monthly_usd: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CostView {
    /// The inventory rows generation these figures are from.
    pub computed_at: Option<u64>,
    pub grouping_index: usize,
    pub groupings: Vec<Grouping>,
    pub groups: Vec<Group>,
    /// Every resource's monthly cost (the header's budget), whatever the filter.
    pub total_monthly_usd: f64,
    /// What the resources the Costs pane's filter lets through cost (the total without one).
    pub shown_monthly_usd: f64,
    /// How many resources the filter lets through, of how many.
    pub shown: usize,
    pub counted: usize,
    pub unpriced: usize,
    pub by_account: BTreeMap<String, f64>,
    pub top: Vec<Spender>,
    pub findings: Vec<Finding>,
    /// Sensitive ports open to the world in the networks the filter lets through.
    pub security: Vec<SecurityItem>,
    /// The dates of the prices in view, by provider, newest first (a provider whose prices
    /// come from sources of different dates has several).
    pub as_of: Vec<PriceDate>,
    pub selected: usize,
}

/// A security finding with the network it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityItem {
    pub network: ResourceRef,
    pub network_name: String,
    pub finding: crate::domain::network::Finding,
}

/// One date the prices in view carry.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceDate {
    pub provider: ProviderKind,
    pub as_of: String,
    pub source: String,
}

impl CostView {
    pub fn grouping(&self) -> Grouping {
        self.groupings
            .get(self.grouping_index)
            .cloned()
            .unwrap_or(Grouping::Provider)
    }

    pub fn savings(&self) -> f64 {
        findings::total_savings(&self.findings)
    }

    /// Recompute every figure; groups, top spenders and findings only for the resources
    /// `filter` lets through (totals per account and overall, for budgets, count everything).
    pub fn compute(&mut self, inv: &Inventory, cat: &Catalog, shapes: &Shapes, filter: &Filter) {
        let mut tag_keys: HashMap<&str, usize, Fnv> = HashMap::default();
        for i in inv.instances.iter() {
            for (k, _) in i.tags.iter().filter(|(k, _)| *k != "Name") {
                *tag_keys.entry(k).or_default() += 1;
            }
        }
        let mut keys: Vec<(&str, usize)> = tag_keys.into_iter().collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let current = self.grouping();
        self.groupings = vec![
            Grouping::Provider,
            Grouping::Account,
            Grouping::Region,
            Grouping::Kind,
        ];
        self.groupings.extend(
            keys.iter()
                .take(3)
                .map(|(k, _)| Grouping::Tag(k.to_string())),
        );
        self.grouping_index = self
            .groupings
            .iter()
            .position(|g| *g == current)
            .unwrap_or(0);
        let grouping = self.grouping();

        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        self.by_account.clear();
        self.total_monthly_usd = 0.0;
        self.shown_monthly_usd = 0.0;
        self.shown = 0;
        self.counted = 0;
        self.unpriced = 0;
        let mut top: Vec<Spender> = Vec::new();
        let mut dates: BTreeMap<(ProviderKind, std::sync::Arc<str>), std::sync::Arc<str>> =
            BTreeMap::new();
        let mut add =
            |reff: &ResourceRef, tags: &crate::domain::Tags, name: &str, c: Cost, shown: bool| {
                self.counted += 1;
                if let Some(m) = c.monthly_usd() {
                    self.total_monthly_usd += m;
                    // (No new string per resource: only the first of an account's.)
                    match self.by_account.get_mut(reff.account.as_str()) {
                        Some(total) => *total += m,
                        None => {
                            self.by_account.insert(reff.account.to_string(), m);
                        }
                    }
                }
                if !shown {
                    return;
                }
                self.shown += 1;
                // Borrowed where it can be: a String per resource was a tenth of the pane.
                let label: Cow<str> = match &grouping {
                    Grouping::Provider => Cow::Borrowed(reff.provider.as_str()),
                    Grouping::Account => Cow::Borrowed(reff.account.as_str()),
                    Grouping::Region => Cow::Owned(format!("{} {}", reff.provider, reff.region)),
                    Grouping::Kind => Cow::Borrowed(reff.kind.plural()),
                    Grouping::Tag(k) => tags.get(k).map_or(Cow::Borrowed("(untagged)"), |v| {
                        Cow::Owned(format!("{k}={v}"))
                    }),
                };
                if !groups.contains_key(label.as_ref()) {
                    let label = label.to_string();
                    groups.insert(
                        label.clone(),
                        Group {
                            label,
                            monthly_usd: 0.0,
                            resources: 0,
                            unpriced: 0,
                        },
                    );
                }
                let g = groups.get_mut(label.as_ref()).expect("inserted above");
                g.resources += 1;
                match c.monthly_usd() {
                    Some(m) => {
                        g.monthly_usd += m;
                        self.shown_monthly_usd += m;
                        if let (Some(d), Some(s)) = (&c.as_of, &c.source) {
                            dates
                                .entry((reff.provider, d.clone()))
                                .or_insert_with(|| s.clone());
                        }
                        // Keep only the few dearest while going.
                        if m > 0.0 && (top.len() < 10 || m > top[top.len() - 1].monthly_usd) {
                            top.push(Spender {
                                r#ref: reff.clone(),
                                name: name.to_string(),
                                sku: c.sku,
                                basis: c.basis,
                                monthly_usd: m,
                            });
                            top.sort_by(|a, b| {
                                b.monthly_usd
                                    .total_cmp(&a.monthly_usd)
                                    .then(a.r#ref.cmp(&b.r#ref))
                            });
                            top.truncate(10);
                        }
                    }
                    None => {
                        g.unpriced += 1;
                        self.unpriced += 1;
                    }
                }
            };
        for i in inv
            .instances
            .iter()
            .filter(|i| i.state != InstanceState::Terminated)
        {
            let shown = filter.matches(i);
            add(
                &i.r#ref,
                &i.tags,
                &i.name,
                estimate::instance(cat, i),
                shown,
            );
        }
        for d in inv.disks.iter() {
            let shown = filter.matches(d);
            add(&d.r#ref, &d.tags, &d.name, estimate::disk(cat, d), shown);
        }
        for l in inv.load_balancers.iter() {
            let shown = filter.matches(l);
            add(
                &l.r#ref,
                &l.tags,
                &l.name,
                estimate::load_balancer(cat, l),
                shown,
            );
        }
        self.groups = groups.into_values().collect();
        self.groups.sort_by(|a, b| {
            b.monthly_usd
                .total_cmp(&a.monthly_usd)
                .then(a.label.cmp(&b.label))
        });
        self.top = top;
        self.as_of = dates
            .into_iter()
            .map(|((provider, d), s)| PriceDate {
                provider,
                as_of: d.to_string(),
                source: s.to_string(),
            })
            .collect();
        // Newest first within a provider.
        self.as_of.sort_by(|a, b| {
            a.provider
                .cmp(&b.provider)
                .then(crate::prices::catalog::newest_first(&a.as_of, &b.as_of))
        });
        self.findings = findings::findings(cat, shapes, inv);
        if !filter.is_empty() {
            self.findings.retain(|f| match inv.get(&f.r#ref) {
                Some(Resource::Instance(i)) => filter.matches(&i),
                Some(Resource::Disk(d)) => filter.matches(&d),
                Some(Resource::LoadBalancer(l)) => filter.matches(&l),
                Some(Resource::Network(n)) => filter.matches(&n),
                None => false,
            });
        }
        self.selected = self.selected.min(self.findings.len().saturating_sub(1));
        self.security = inv
            .networks
            .iter()
            .filter(|n| filter.matches(*n))
            .flat_map(|n| {
                n.findings.iter().map(|f| SecurityItem {
                    network: n.r#ref.clone(),
                    network_name: n.name().to_string(),
                    finding: f.clone(),
                })
            })
            .collect();
        self.security.sort_by(|a, b| {
            (&a.network, &a.finding.group_name, a.finding.port).cmp(&(
                &b.network,
                &b.finding.group_name,
                b.finding.port,
            ))
        });
    }

    pub fn selected_finding(&self) -> Option<&Finding> {
        self.findings.get(self.selected)
    }
}
