//! From what a user typed to one resource: a ref, a native id (AWS `i-…`, an ARN, a GCP numeric
//! id, an Azure resource id) or a name. Ids win over names; more than one match is ambiguous and
//! lists the candidates by ref.

use std::fmt;

use crate::domain::ResourceRef;

use super::Row;

pub trait Named: Row {
    fn name(&self) -> &str;
    /// The id `id` prints (see `Instance::id`).
    fn id(&self) -> &str;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub r#ref: ResourceRef,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    NotFound {
        query: String,
        what: String,
        /// Near misses (names or ids containing the query), at most five.
        suggestions: Vec<Candidate>,
    },
    Ambiguous {
        query: String,
        what: String,
        candidates: Vec<Candidate>,
    },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, c: &[Candidate]| -> fmt::Result {
            for c in c {
                write!(f, "\n  {}  {}", c.r#ref, c.name)?;
            }
            Ok(())
        };
        match self {
            ResolveError::NotFound {
                query,
                what,
                suggestions,
            } => {
                write!(f, "no {what} matches '{query}'")?;
                if !suggestions.is_empty() {
                    write!(f, "; similar:")?;
                    list(f, suggestions)?;
                }
                Ok(())
            }
            ResolveError::Ambiguous {
                query,
                what,
                candidates,
            } => {
                write!(
                    f,
                    "'{query}' matches {} {what}s; name one by its ref:",
                    candidates.len()
                )?;
                list(f, candidates)
            }
        }
    }
}

fn candidate<T: Named>(r: &T) -> Candidate {
    Candidate {
        r#ref: r.resource_ref().clone(),
        name: r.name().to_string(),
    }
}

/// The id part of an ARN or resource path that names a resource by id (`…:instance/i-0abc`).
fn tail_id(query: &str) -> Option<&str> {
    query
        .starts_with("arn:")
        .then(|| query.rsplit('/').next())
        .flatten()
}

/// The native id as `id` prints it: GCP's numeric id (its name, which its ref addresses it by,
/// is matched as a name), an Azure id in any case, the AWS id.
fn id_matches<T: Named>(x: &T, q: &str) -> bool {
    let r = x.resource_ref();
    if x.id() != r.id {
        return x.id() == q;
    }
    r.id_is(q)
}

pub fn resolve<'a, T: Named>(
    rows: impl Iterator<Item = &'a T> + Clone,
    query: &str,
    what: &str,
) -> Result<&'a T, ResolveError> {
    let query = query.trim();
    let one = |found: Vec<&'a T>| -> Option<Result<&'a T, ResolveError>> {
        match found.len() {
            0 => None,
            1 => Some(Ok(found[0])),
            _ => Some(Err(ResolveError::Ambiguous {
                query: query.to_string(),
                what: what.to_string(),
                candidates: found.into_iter().map(candidate).collect(),
            })),
        }
    };
    if let Ok(r) = query.parse::<ResourceRef>() {
        if let Some(res) = one(rows.clone().filter(|x| x.resource_ref() == &r).collect()) {
            return res;
        }
    }
    if let Some(res) = one(rows.clone().filter(|x| id_matches(*x, query)).collect()) {
        return res;
    }
    if let Some(id) = tail_id(query) {
        if let Some(res) = one(rows.clone().filter(|x| x.resource_ref().id == id).collect()) {
            return res;
        }
    }
    // An Azure id as tables show it: `resource-group/name`, in any case.
    if query.matches('/').count() == 1 && !query.starts_with('/') {
        let short = |x: &T| {
            let r = x.resource_ref();
            r.provider == crate::domain::ProviderKind::Azure
                && crate::format::short_native_id(r.provider, x.id()).eq_ignore_ascii_case(query)
        };
        if let Some(res) = one(rows.clone().filter(|x| short(x)).collect()) {
            return res;
        }
    }
    if let Some(res) = one(rows.clone().filter(|x| x.name() == query).collect()) {
        return res;
    }
    let lower = query.to_ascii_lowercase();
    let suggestions = rows
        .filter(|x| {
            x.name().to_ascii_lowercase().contains(&lower)
                || x.id().to_ascii_lowercase().contains(&lower)
        })
        .take(5)
        .map(candidate)
        .collect();
    Err(ResolveError::NotFound {
        query: query.to_string(),
        what: what.to_string(),
        suggestions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Instance, InstanceState, ProviderKind, ResourceKind, Tags};

    /// GCP rows are addressed by zone and name and keep their numeric id beside.
    fn vm(p: ProviderKind, region: &str, id: &str, name: &str) -> Instance {
        let gcp = p == ProviderKind::Gcp;
        let address = if gcp { name } else { id };
        let r = ResourceRef::new(p, "acct", region, ResourceKind::Instance, address);
        Instance {
            uid: gcp.then(|| id.into()),
            r#ref: if gcp {
                r.in_zone(&format!("{region}-a"))
            } else {
                r
            },
            sandbox: false,
            zone: None,
            name: name.into(),
            state: InstanceState::Running,
            provider_state: "running".into(),
            instance_type: "x".into(),
            vcpus: None,
            memory_gib: None,
            private_ip: None,
            public_ip: None,
            spot: false,
            launched_at: None,
            tags: Tags::new(),
        }
    }

    #[test]
    fn ids_refs_arns_and_names_resolve() {
        let rows = [
            vm(ProviderKind::Aws, "us-east-1", "i-0aaa", "web"),
            vm(ProviderKind::Aws, "eu-west-1", "i-0bbb", "web"),
            vm(ProviderKind::Gcp, "us-central1", "1234567890", "db"),
            vm(ProviderKind::Azure, "eastus", "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/vm1", "vm1"),
        ];
        let find = |q: &str| resolve(rows.iter(), q, "instance").map(|r| r.id().to_string());
        assert_eq!(find("i-0aaa").unwrap(), "i-0aaa");
        assert_eq!(
            find("arn:aws:ec2:us-east-1:123456789012:instance/i-0bbb").unwrap(),
            "i-0bbb"
        );
        assert_eq!(find("1234567890").unwrap(), "1234567890");
        assert_eq!(find("db").unwrap(), "1234567890");
        assert!(find(
            "/subscriptions/s/resourcegroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
        )
        .is_ok());
        assert!(find("vm1").is_ok());
        assert!(find("rg/vm1").is_ok(), "the id as the ID column shows it");
        assert!(find("RG/VM1").is_ok());
        assert_eq!(
            find("aws:acct:eu-west-1:instance:i-0bbb").unwrap(),
            "i-0bbb"
        );
    }

    #[test]
    fn ambiguity_lists_every_candidate_by_ref() {
        let rows = [
            vm(ProviderKind::Aws, "us-east-1", "i-0aaa", "web"),
            vm(ProviderKind::Aws, "eu-west-1", "i-0bbb", "web"),
        ];
        let e = resolve(rows.iter(), "web", "instance").unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("'web' matches 2 instances; name one by its ref:"),
            "{text}"
        );
        assert!(text.contains("aws:acct:us-east-1:instance:i-0aaa  web"));
        assert!(text.contains("aws:acct:eu-west-1:instance:i-0bbb  web"));
    }

    #[test]
    fn not_found_suggests_near_misses() {
        let rows = [vm(ProviderKind::Aws, "us-east-1", "i-0aaa", "web-prod-1")];
        let e = resolve(rows.iter(), "prod", "instance").unwrap_err();
        assert!(
            matches!(&e, ResolveError::NotFound { suggestions, .. } if suggestions.len() == 1),
            "{e}"
        );
        assert!(e
            .to_string()
            .starts_with("no instance matches 'prod'; similar:"));
        let e = resolve(rows.iter(), "zzz", "instance").unwrap_err();
        assert_eq!(e.to_string(), "no instance matches 'zzz'");
    }
}
