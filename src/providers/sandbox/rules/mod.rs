//! How the sandbox cloud answers a change: which transitions are allowed, what they lead to and
//! how long they take. Every function works on the world at a given moment (`Now`) and is pure
//! apart from that, so tests drive time by hand.

pub mod networks;

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
pub use instances::{create_instance, instance_action, AZURE_POWERED_OFF};
pub use load_balancers::{create_lb, delete_lb, deregister, register, set_tags};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::{DiskSpec, InstanceAction};

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
    fn azure_create_options_place_the_vm_and_a_missing_subnet_is_named() {
        let mut w = World::empty(1);
        super::super::net_world::generate(&mut w);
        let eastus: Vec<String> = w
            .nets
            .subnets
            .iter()
            .filter(|s| s.provider == ProviderKind::Azure && s.region == "eastus")
            .filter_map(|s| {
                let n = w.nets.networks.iter().find(|n| n.id == s.network_id)?;
                Some(format!("{}/{}", n.name, s.name))
            })
            .collect();
        assert!(!eastus.is_empty(), "the generated world has eastus subnets");
        let spec = |name: &str, group: Option<&str>, subnet: Option<&str>| {
            crate::providers::InstanceSpec {
                region: "eastus".into(),
                zone: Some("1".into()),
                instance_type: shapes::for_provider(ProviderKind::Azure).machine_types[0]
                    .name
                    .into(),
                name: name.into(),
                image: None,
                disk_gib: None,
                spot: false,
                tags: Tags::new(),
                options: crate::providers::CreateOptions {
                    resource_group: group.map(String::from),
                    subnet: subnet.map(String::from),
                    ssh_public_key: None,
                },
            }
        };
        let now = Now { ms: 0, step_ms: 10 };
        let vm = create_instance(
            &mut w,
            ProviderKind::Azure,
            &spec("a1", Some("rg-ops"), Some(&eastus[0].to_uppercase())),
            now,
        )
        .unwrap();
        assert!(
            vm.id.contains("/resourceGroups/rg-ops/"),
            "the named group is the VM's: {}",
            vm.id
        );
        let err = create_instance(
            &mut w,
            ProviderKind::Azure,
            &spec("a2", None, Some("nope-vnet/default")),
            now,
        )
        .unwrap_err();
        assert!(err.message.contains("nope-vnet/default"), "{}", err.message);
        assert!(
            err.message.contains(&eastus[0]),
            "candidates named: {}",
            err.message
        );
        let err = create_instance(
            &mut w,
            ProviderKind::Gcp,
            &crate::providers::InstanceSpec {
                region: "us-central1".into(),
                zone: Some("us-central1-a".into()),
                instance_type: shapes::for_provider(ProviderKind::Gcp).machine_types[0]
                    .name
                    .into(),
                ..spec("g1", Some("rg-ops"), None)
            },
            now,
        )
        .unwrap_err();
        assert!(err.message.contains("--resource-group"), "{}", err.message);
    }

    fn vm_in(w: &mut World, p: ProviderKind, word: &str) -> String {
        let (region, zone) = match p {
            ProviderKind::Aws => ("us-east-1", "us-east-1a"),
            ProviderKind::Gcp => ("us-central1", "us-central1-a"),
            ProviderKind::Azure => ("eastus", "1"),
        };
        let spec = crate::providers::InstanceSpec {
            region: region.into(),
            zone: Some(zone.into()),
            instance_type: shapes::for_provider(p).machine_types[0].name.into(),
            name: format!("m{}", w.serial + 1),
            image: None,
            disk_gib: None,
            spot: false,
            tags: Tags::new(),
            options: Default::default(),
        };
        let vm = create_instance(w, p, &spec, Now { ms: 0, step_ms: 10 }).unwrap();
        let rec = w.vm_mut(p, &vm.id).unwrap();
        rec.state = word.into();
        rec.next = None;
        vm.id.to_string()
    }

    /// Each step: the action, then the provider's word at once and once it lands.
    fn walk(w: &mut World, p: ProviderKind, id: &str, steps: &[(InstanceAction, &str, &str)]) {
        let mut t = 100;
        for (action, during, after) in steps {
            let now = Now { ms: t, step_ms: 10 };
            let vm = instance_action(w, p, id, *action, now)
                .unwrap_or_else(|e| panic!("{p} {action:?}: {e}"));
            assert_eq!(vm.state, *during, "{p} {action:?} at once");
            w.settle(t + 10);
            assert_eq!(w.vm(p, id).unwrap().state, *after, "{p} {action:?} landed");
            t += 100;
        }
    }

    #[test]
    fn azure_power_off_keeps_the_allocation_and_stop_deallocates_it() {
        use crate::domain::InstanceState as S;
        let p = ProviderKind::Azure;
        let mut w = World::empty(1);
        let id = vm_in(&mut w, p, "PowerState/running");
        walk(
            &mut w,
            p,
            &id,
            &[
                (
                    InstanceAction::PowerOff,
                    "PowerState/stopping",
                    AZURE_POWERED_OFF,
                ),
                // Powering off again changes nothing; deallocating a powered-off VM does.
                (
                    InstanceAction::PowerOff,
                    AZURE_POWERED_OFF,
                    AZURE_POWERED_OFF,
                ),
                (
                    InstanceAction::Stop,
                    "PowerState/deallocating",
                    "PowerState/deallocated",
                ),
                (
                    InstanceAction::Stop,
                    "PowerState/deallocated",
                    "PowerState/deallocated",
                ),
                (
                    InstanceAction::Start,
                    "PowerState/starting",
                    "PowerState/running",
                ),
            ],
        );
        assert_eq!(w.vm(p, &id).unwrap().normal(), S::Running);
        // A deallocated VM cannot be powered off: ARM's own refusal, in its words.
        w.vm_mut(p, &id).unwrap().state = "PowerState/deallocated".into();
        let e = instance_action(
            &mut w,
            p,
            &id,
            InstanceAction::PowerOff,
            Now {
                ms: 900,
                step_ms: 10,
            },
        )
        .unwrap_err();
        assert_eq!(e.kind, crate::providers::ErrorKind::InvalidState);
        assert!(e.message.contains("deallocated"), "{e}");
    }

    #[test]
    fn a_suspended_gcp_instance_starts_and_stops_and_only_azure_powers_off() {
        let p = ProviderKind::Gcp;
        let mut w = World::empty(1);
        let id = vm_in(&mut w, p, "SUSPENDED");
        assert_eq!(
            crate::providers::sandbox::convert::instance(w.vm(p, &id).unwrap()).state,
            crate::domain::InstanceState::Stopped
        );
        walk(
            &mut w,
            p,
            &id,
            &[
                (InstanceAction::Start, "STAGING", "RUNNING"),
                (InstanceAction::Stop, "STOPPING", "TERMINATED"),
            ],
        );
        let id2 = vm_in(&mut w, p, "SUSPENDED");
        walk(
            &mut w,
            p,
            &id2,
            &[(InstanceAction::Stop, "STOPPING", "TERMINATED")],
        );
        for p in [ProviderKind::Aws, ProviderKind::Gcp] {
            let mut w = World::empty(1);
            let word = crate::providers::sandbox::convert::native_vm_state(
                p,
                crate::domain::InstanceState::Running,
            );
            let id = vm_in(&mut w, p, word);
            let e = instance_action(
                &mut w,
                p,
                &id,
                InstanceAction::PowerOff,
                Now { ms: 1, step_ms: 1 },
            )
            .unwrap_err();
            assert_eq!(e.kind, crate::providers::ErrorKind::Unsupported, "{p}");
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
