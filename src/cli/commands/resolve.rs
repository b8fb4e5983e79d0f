//! From the ids on the command line to resources, through a fresh inventory.

use crate::domain::{Disk, Instance, LoadBalancer, Resource};
use crate::error::AppError;
use crate::inventory::resolve::{resolve, Named, ResolveError};
use crate::inventory::{Inventory, Table};

fn err(e: ResolveError, inv: &Inventory) -> AppError {
    let mut msg = e.to_string();
    let failures = inv.failures();
    if matches!(e, ResolveError::NotFound { .. }) && !failures.is_empty() {
        msg.push_str(&format!(
            "\n  ({} accounts or list scopes could not be read, so it may be there: {})",
            failures.len(),
            failures
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    AppError::not_found(msg)
}

fn one<T: Named>(table: &Table<T>, inv: &Inventory, id: &str, what: &str) -> Result<T, AppError> {
    resolve(table.iter(), id, what)
        .cloned()
        .map_err(|e| err(e, inv))
}

pub fn instance(inv: &Inventory, id: &str) -> Result<Instance, AppError> {
    one(&inv.instances, inv, id, "instance")
}

pub fn disk(inv: &Inventory, id: &str) -> Result<Disk, AppError> {
    one(&inv.disks, inv, id, "disk")
}

pub fn load_balancer(inv: &Inventory, id: &str) -> Result<LoadBalancer, AppError> {
    one(&inv.load_balancers, inv, id, "load balancer")
}

/// Any kind: an id that names resources of two kinds is ambiguous.
pub fn any(inv: &Inventory, id: &str) -> Result<Resource, AppError> {
    let tries = [
        resolve(inv.instances.iter(), id, "resource").map(|r| Resource::Instance(r.clone())),
        resolve(inv.disks.iter(), id, "resource").map(|r| Resource::Disk(r.clone())),
        resolve(inv.load_balancers.iter(), id, "resource")
            .map(|r| Resource::LoadBalancer(r.clone())),
    ];
    let mut found = Vec::new();
    let mut candidates = Vec::new();
    let mut suggestions = Vec::new();
    for t in tries {
        match t {
            Ok(r) => found.push(r),
            Err(ResolveError::Ambiguous { candidates: c, .. }) => candidates.extend(c),
            Err(ResolveError::NotFound { suggestions: s, .. }) => suggestions.extend(s),
        }
    }
    if found.len() == 1 && candidates.is_empty() {
        return Ok(found.pop().expect("one"));
    }
    if found.is_empty() && candidates.is_empty() {
        suggestions.truncate(5);
        return Err(err(
            ResolveError::NotFound {
                query: id.into(),
                what: "resource".into(),
                suggestions,
            },
            inv,
        ));
    }
    candidates.extend(found.iter().map(|r| crate::inventory::resolve::Candidate {
        r#ref: r.resource_ref().clone(),
        name: r.name().to_string(),
    }));
    Err(err(
        ResolveError::Ambiguous {
            query: id.into(),
            what: "resource".into(),
            candidates,
        },
        inv,
    ))
}
