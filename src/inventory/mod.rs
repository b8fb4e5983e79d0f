//! Everything fetched so far, bucketed by account and list scope (as each provider lists: an AWS
//! region, a GCP project, an Azure subscription or resource group), with each scope's own status
//! so one failing scope never hides the others. Fetch results replace their scope's rows whole; a
//! failed fetch keeps the last rows and records the error beside them.

pub mod resolve;
mod scope;
mod sort;
mod table;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub use scope::{Health, Scope, ScopeStatus};
pub use sort::{KeptKeys, SortField, SortKey, SortKeys, SortValue, Sortable};
pub use table::{Row, RowPos, Table};

use crate::domain::network::NetworkRow;
use crate::domain::{Disk, Instance, LoadBalancer, Resource, ResourceKind, ResourceRef, Str};
use crate::filter::{Filter, Filterable};
use crate::providers::{ErrorKind, ProviderError, Resources};

#[derive(Debug, Default, Clone)]
pub struct Inventory {
    pub instances: Table<Instance>,
    pub disks: Table<Disk>,
    pub load_balancers: Table<LoadBalancer>,
    pub networks: Table<NetworkRow>,
    pub scopes: BTreeMap<Scope, ScopeStatus>,
    /// Accounts whose list scopes could not be had (so no scope of theirs exists yet).
    pub account_errors: BTreeMap<Str, ProviderError>,
    /// Bumped only when rows change, so views know to re-sort and re-filter.
    pub rows_generation: u64,
}

impl Inventory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Note that a fetch of `scope` started.
    pub fn begin(&mut self, scope: &Scope) {
        self.scopes.entry(scope.clone()).or_default().in_flight = true;
    }

    /// Merge one fetch's outcome.
    pub fn apply(
        &mut self,
        scope: Scope,
        outcome: Result<Resources, ProviderError>,
        at: DateTime<Utc>,
    ) {
        self.account_errors.remove(&scope.account);
        let status = self.scopes.entry(scope.clone()).or_default();
        status.in_flight = false;
        match outcome {
            Ok(rows) => {
                status.fetched_at = Some(at);
                status.error = None;
                status.count = rows.len();
                let (account, list) = (&scope.account, &scope.list);
                let changed = match rows {
                    Resources::Instances(v) => self.instances.replace(account, list, v),
                    Resources::Disks(v) => self.disks.replace(account, list, v),
                    Resources::LoadBalancers(v) => self.load_balancers.replace(account, list, v),
                    Resources::Networks(v) => self.networks.replace(account, list, v),
                };
                if changed {
                    self.rows_generation += 1;
                }
            }
            // A provider that cannot list networks yet says so once: the scope is listed (with
            // nothing in it) and the reason kept beside it, rather than an error that would
            // turn the whole account red.
            Err(e) if scope.kind == ResourceKind::Network && e.kind == ErrorKind::Unsupported => {
                status.fetched_at = Some(at);
                status.error = None;
                status.count = 0;
                status.unsupported = Some(e.message);
            }
            Err(e) => {
                status.error = Some(e);
                status.failed_at = Some(at);
            }
        }
    }

    pub fn account_failed(&mut self, account: &str, e: ProviderError) {
        self.account_errors.insert(account.into(), e);
    }

    /// Put one resource as an action just left it (a transitional state shown at once; the
    /// pollers confirm the final one).
    pub fn upsert(&mut self, r: Resource) {
        match r {
            Resource::Instance(i) => self.instances.upsert(i),
            Resource::Disk(d) => self.disks.upsert(d),
            Resource::LoadBalancer(l) => self.load_balancers.upsert(l),
            Resource::Network(n) => self.networks.upsert(n),
        }
        self.rows_generation += 1;
    }

    pub fn remove(&mut self, r: &ResourceRef) {
        match r.kind {
            ResourceKind::Instance => self.instances.remove(r).is_some(),
            ResourceKind::Disk => self.disks.remove(r).is_some(),
            ResourceKind::LoadBalancer => self.load_balancers.remove(r).is_some(),
            ResourceKind::Network => self.networks.remove(r).is_some(),
        };
        self.rows_generation += 1;
    }

    pub fn get(&self, r: &ResourceRef) -> Option<Resource> {
        match r.kind {
            ResourceKind::Instance => self.instances.get(r).cloned().map(Resource::Instance),
            ResourceKind::Disk => self.disks.get(r).cloned().map(Resource::Disk),
            ResourceKind::LoadBalancer => self
                .load_balancers
                .get(r)
                .cloned()
                .map(Resource::LoadBalancer),
            ResourceKind::Network => self.networks.get(r).cloned().map(Resource::Network),
        }
    }

    /// The scopes whose provider cannot list their kind yet (networks), with its words.
    pub fn unsupported(&self) -> impl Iterator<Item = (&Scope, &str)> {
        self.scopes
            .iter()
            .filter_map(|(s, st)| st.unsupported.as_deref().map(|m| (s, m)))
    }

    /// Every failing scope and account, for messages.
    pub fn failures(&self) -> Vec<(String, &ProviderError)> {
        let accounts = self.account_errors.iter().map(|(a, e)| (a.to_string(), e));
        let scopes = self
            .scopes
            .iter()
            .filter_map(|(s, st)| st.error.as_ref().map(|e| (s.to_string(), e)));
        accounts.chain(scopes).collect()
    }
}

/// The rows that pass `filter`, in `sort` order (stable, so equal keys keep inventory order).
pub fn select<'a, T, I>(rows: I, filter: &Filter, sort: &SortKeys) -> Vec<&'a T>
where
    T: Filterable + Sortable + 'a,
    I: Iterator<Item = &'a T>,
{
    let mut out: Vec<&T> = if filter.is_empty() {
        rows.collect()
    } else {
        rows.filter(|r| filter.matches(*r)).collect()
    };
    sort.sort(&mut out);
    out
}

#[cfg(test)]
mod tests;
