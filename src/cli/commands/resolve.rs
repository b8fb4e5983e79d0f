//! From the ids on the command line to resources, through a fresh inventory.

use crate::domain::{Resource, ResourceKind, ResourceRef};
use crate::error::AppError;
use crate::inventory::resolve::{resolve, Named, ResolveError};
use crate::inventory::{Inventory, Table};
use crate::kinds::{self, Kind, Visit};

fn err(e: ResolveError, inv: &Inventory) -> AppError {
    if let ResolveError::NotFound { query, .. } = &e {
        if let Some(unread) = unreadable(inv, query) {
            return unread;
        }
    }
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

/// A ref whose account or region could not be read is not "not found": what is known is the
/// reason it could not be looked at, so that is the error (with its own exit code, as `get`
/// gives it).
fn unreadable(inv: &Inventory, query: &str) -> Option<AppError> {
    let r: ResourceRef = query.trim().parse().ok()?;
    let (scope, e) = match inv.account_errors.get(r.account.as_str()) {
        Some(e) => (r.account.to_string(), e),
        None => {
            // The failed list that would have held it: its region's, or one spanning regions.
            let (scope, status) = inv.scopes.iter().find(|(s, st)| {
                s.account == r.account
                    && s.kind == r.kind
                    && st.error.is_some()
                    && (s.list.spans_regions() || s.list.name == r.region)
            })?;
            (scope.to_string(), status.error.as_ref()?)
        }
    };
    let mut app = AppError::from(e.clone());
    app.message = format!("{r} could not be looked up: {scope}: {}", app.message);
    Some(app)
}

fn one<T: Named>(table: &Table<T>, inv: &Inventory, id: &str, what: &str) -> Result<T, AppError> {
    let found = resolve(table.iter(), id, what)
        .cloned()
        .map_err(|e| err(e, inv))?;
    note_unread(inv, id);
    Ok(found)
}

/// A name or id matched while some accounts or regions could not be read: say that a second
/// match there is not ruled out (a ref names its one account, so it needs no note).
fn note_unread(inv: &Inventory, id: &str) {
    let failures = inv.failures();
    if failures.is_empty() || id.parse::<crate::domain::ResourceRef>().is_ok() {
        return;
    }
    eprintln!(
        "nephos: note: '{id}' matched, but {} account/region scope(s) could not be read, so another match there is not ruled out: {}",
        failures.len(),
        failures
            .iter()
            .map(|(s, e)| format!("{s} ({e})"))
            .collect::<Vec<_>>()
            .join("; ")
    );
}

/// The one row of kind `T` that `id` names.
pub fn row<T: Kind>(inv: &Inventory, id: &str) -> Result<T, AppError> {
    one(T::table(inv), inv, id, T::WHAT)
}

/// The one row of `kind` that `id` names.
pub fn of_kind(inv: &Inventory, kind: ResourceKind, id: &str) -> Result<Resource, AppError> {
    struct Find<'a>(&'a Inventory, &'a str);
    impl Visit for Find<'_> {
        type Out = Result<Resource, AppError>;
        fn visit<T: Kind>(self) -> Self::Out {
            row::<T>(self.0, self.1).map(Into::into)
        }
    }
    kinds::visit(kind, Find(inv, id))
}

/// Any kind: an id that names resources of two kinds is ambiguous.
pub fn any(inv: &Inventory, id: &str) -> Result<Resource, AppError> {
    struct Try<'a>(&'a Inventory, &'a str);
    impl Visit for Try<'_> {
        type Out = Result<Resource, ResolveError>;
        fn visit<T: Kind>(self) -> Self::Out {
            resolve(T::table(self.0).iter(), self.1, "resource").map(|r| r.clone().into())
        }
    }
    let tries = ResourceKind::ALL.map(|k| kinds::visit(k, Try(inv, id)));
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
        note_unread(inv, id);
        return Ok(found.pop().expect("one"));
    }
    // A GCP machine and its boot disk share a name: the name means the machine.
    if candidates.is_empty() {
        if let Some(vm) = machine_over_its_disks(&found) {
            note_unread(inv, id);
            return Ok(vm);
        }
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

/// When `found` is one instance and disks attached to it (its boot disk, named like it), the
/// instance.
fn machine_over_its_disks(found: &[Resource]) -> Option<Resource> {
    let mut vms = found.iter().filter_map(|r| match r {
        Resource::Instance(i) => Some(i),
        _ => None,
    });
    let vm = vms.next()?;
    if vms.next().is_some() {
        return None;
    }
    found
        .iter()
        .all(|r| match r {
            Resource::Instance(_) => true,
            Resource::Disk(d) => d.attached_to.as_ref() == Some(&vm.r#ref),
            Resource::LoadBalancer(_) | Resource::Network(_) => false,
        })
        .then(|| Resource::Instance(vm.clone()))
}
