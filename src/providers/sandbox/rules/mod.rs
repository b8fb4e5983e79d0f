//! How the sandbox cloud answers a change: which transitions are allowed, what they lead to and
//! how long they take. Every function works on the world at a given moment (`Now`) and is pure
//! apart from that, so tests drive time by hand.

use crate::domain::{ProviderKind, Tags};
use crate::providers::ProviderError;

use super::errors;
use super::rng::Rng;
use super::shapes;
use super::world::World;

/// The moment a change happens and how long a transition takes.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub ms: i64,
    pub step_ms: i64,
}

impl Now {
    fn later(self) -> i64 {
        self.ms + self.step_ms
    }
}

pub(super) fn rng_for(w: &mut World) -> Rng {
    let serial = w.next_serial();
    Rng::new(w.seed ^ serial.wrapping_mul(0x2545_F491_4F6C_DD1D))
}

pub(super) fn check_region_zone(
    p: ProviderKind,
    region: &str,
    zone: Option<&str>,
) -> Result<&'static str, ProviderError> {
    let shape = shapes::for_provider(p);
    let zones = shape.zones(region).ok_or_else(|| {
        errors::invalid(
            p,
            format!(
                "region '{region}' is not enabled for this account (regions: {})",
                shape.region_names().collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    match zone {
        None => Ok(zones[0]),
        Some(z) => zones.iter().copied().find(|x| *x == z).ok_or_else(|| {
            errors::invalid(
                p,
                format!(
                    "zone '{z}' is not in region '{region}' (zones: {})",
                    zones.join(", ")
                ),
            )
        }),
    }
}

/// Tag rules differ: AWS reserves `aws:`, GCP labels are lower-case `[a-z0-9_-]`, Azure forbids
/// a few characters in keys.
pub fn check_tags(p: ProviderKind, tags: &Tags) -> Result<(), ProviderError> {
    for (k, v) in tags.iter() {
        let bad = match p {
            ProviderKind::Aws if k.to_ascii_lowercase().starts_with("aws:") => Some(format!(
                "Tag keys starting with 'aws:' are reserved for internal use (key '{k}')"
            )),
            ProviderKind::Aws if k.is_empty() || k.len() > 128 || v.len() > 256 => Some(format!(
                "Tag key '{k}' must be 1-128 characters and its value at most 256"
            )),
            ProviderKind::Gcp => {
                let ok = |s: &str| {
                    s.len() <= 63
                        && s.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
                        })
                };
                let key_ok = k.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && ok(k);
                (!key_ok || !ok(v)).then(|| {
                    format!(
                        "Invalid value for field 'labels': '{k}={v}'. Label keys must start with a lowercase letter and keys and values may contain only lowercase letters, digits, '_' and '-' (at most 63 characters)."
                    )
                })
            }
            ProviderKind::Azure if k.is_empty() || k.chars().any(|c| "<>%&\\?/".contains(c)) => {
                Some(format!(
                    "The tag name '{k}' has invalid characters '<,>,%,&,\\,?,/'"
                ))
            }
            _ => None,
        };
        if let Some(msg) = bad {
            return Err(errors::invalid(p, msg));
        }
    }
    Ok(())
}

pub(super) fn azure_group(tags: &Tags) -> String {
    format!("rg-{}", tags.get("app").unwrap_or("nephos"))
}

mod disks;
mod instances;
mod load_balancers;

pub use disks::{attach_disk, create_disk, delete_disk, detach_disk};
pub use instances::{create_instance, instance_action};
pub use load_balancers::{create_lb, delete_lb, deregister, register, set_tags};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::DiskSpec;

    #[test]
    fn gcp_and_azure_names_are_unique_per_zone_aws_names_are_not() {
        let now = Now { ms: 0, step_ms: 10 };
        for (p, region, zone, code) in [
            (
                ProviderKind::Gcp,
                "us-central1",
                "us-central1-a",
                Some("alreadyExists"),
            ),
            (ProviderKind::Azure, "eastus", "1", Some("Conflict")),
            (ProviderKind::Aws, "us-east-1", "us-east-1a", None),
        ] {
            let mut w = World::empty(1);
            let spec = DiskSpec {
                region: region.into(),
                zone: zone.into(),
                name: "data".into(),
                size_gib: 20,
                disk_type: None,
                tags: Tags::new(),
            };
            create_disk(&mut w, p, &spec, now).unwrap();
            let second = create_disk(&mut w, p, &spec, now);
            let err = second.err();
            assert_eq!(
                err.as_ref().map(|e| e.kind),
                code.map(|_| crate::providers::ErrorKind::AlreadyExists),
                "{p}: a taken name is its own kind, not a bad request"
            );
            assert_eq!(err.and_then(|e| e.code), code.map(String::from), "{p}");
        }
    }

    #[test]
    fn a_taken_load_balancer_name_is_already_exists_on_every_provider() {
        let now = Now { ms: 0, step_ms: 10 };
        for (p, region, code) in [
            (ProviderKind::Aws, "us-east-1", "DuplicateLoadBalancerName"),
            (ProviderKind::Gcp, "us-central1", "alreadyExists"),
            (ProviderKind::Azure, "eastus", "Conflict"),
        ] {
            let mut w = World::empty(1);
            let spec = crate::providers::LbSpec {
                region: region.into(),
                name: "front".into(),
                kind: crate::domain::LbKind::Network,
                scheme: crate::domain::LbScheme::Internal,
                tags: Tags::new(),
            };
            create_lb(&mut w, p, &spec, now).unwrap();
            let e = create_lb(&mut w, p, &spec, now).unwrap_err();
            assert_eq!(e.kind, crate::providers::ErrorKind::AlreadyExists, "{p}");
            assert_eq!(e.code.as_deref(), Some(code), "{p}");
        }
    }
}
