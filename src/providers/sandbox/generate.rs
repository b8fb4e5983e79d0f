//! Builds a sandbox cloud from a seed: the same seed and size always give the same estate.

use std::collections::HashMap;

use chrono::TimeZone;

use super::convert::native_vm_state;
use super::ids;
use super::rng::Rng;
use super::shapes::{self, Shape};
use super::world::{DiskRec, LbRec, TargetRec, VmRec, World};
use crate::domain::{DiskState, InstanceState, LbKind, LbScheme, ProviderKind, Str};

pub const DEFAULT_INSTANCES: usize = 60;
pub const DEFAULT_SEED: u64 = 42;
pub const MAX_INSTANCES: usize = 100_000;

const APPS: [&str; 8] = [
    "web", "api", "worker", "db", "cache", "batch", "etl", "search",
];
const TEAMS: [&str; 5] = ["payments", "search", "platform", "data", "growth"];
/// A terminated-at time that keeps a generated terminated instance listed until the next reset.
pub const KEPT_UNTIL_RESET: i64 = i64::MAX / 4;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The fixed moment the generated estate is dated from, so launch times repeat with the seed.
fn epoch_ms() -> i64 {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .unwrap()
        .timestamp_millis()
}

fn provider_for(i: usize) -> &'static Shape {
    match i % 20 {
        0..=8 => &shapes::AWS,
        9..=14 => &shapes::GCP,
        _ => &shapes::AZURE,
    }
}

fn pick_region(shape: &Shape, rng: &mut Rng) -> usize {
    match rng.below(10) {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2.min(shape.regions.len() - 1),
    }
}

fn env_for(rng: &mut Rng) -> &'static str {
    match rng.below(10) {
        0..=3 => "prod",
        4..=6 => "staging",
        _ => "dev",
    }
}

fn tag_vec(pairs: &[(&str, &str)]) -> Vec<(Str, Str)> {
    let mut v: Vec<(Str, Str)> = pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    v.sort();
    v
}

pub fn generate(instances: usize, seed: u64) -> World {
    let mut rng = Rng::new(seed);
    let mut world = World::empty(seed);
    let base = epoch_ms();
    // Instances still present (not terminated), by (provider, region), for LB targets.
    let mut by_region: HashMap<(ProviderKind, usize), Vec<usize>> = HashMap::new();

    for i in 0..instances {
        let shape = provider_for(i);
        let r = pick_region(shape, &mut rng);
        let (region, zones) = shape.regions[r];
        let zone = *rng.pick(zones);
        let app = *rng.pick(&APPS);
        let env = env_for(&mut rng);
        let team = *rng.pick(&TEAMS);
        let name = format!("{app}-{env}-{i:03}");
        let group = if shape.provider == ProviderKind::Azure {
            format!("rg-{app}-{env}")
        } else {
            String::new()
        };
        let mt = rng.pick(shape.machine_types);
        let roll = rng.below(100);
        let state = match roll {
            0..=77 => InstanceState::Running,
            78..=96 => InstanceState::Stopped,
            _ if shape.provider == ProviderKind::Aws => InstanceState::Terminated,
            _ => InstanceState::Stopped,
        };
        let spot = env != "prod" && rng.chance(12);
        let launched_ms = base - rng.below(400) as i64 * DAY_MS - rng.below(DAY_MS as u64) as i64;
        let p = ProviderKind::ALL
            .iter()
            .position(|x| *x == shape.provider)
            .unwrap();
        let private_ip = format!("10.{}.{}.{}", p * 16 + r, (i / 250) % 250, i % 250 + 4);
        let public_ip =
            (state == InstanceState::Running && matches!(app, "web" | "api")).then(|| {
                format!(
                    "{}.{}.{}.{}",
                    [54, 34, 20][p],
                    10 + r,
                    (i / 250) % 250,
                    i % 250 + 1
                )
            });
        let mut tags = vec![("env", env), ("team", team), ("app", app)];
        if shape.provider == ProviderKind::Aws {
            tags.push(("Name", name.as_str()));
        }
        let id = ids::instance_id(shape, &mut rng, &group, &name);
        let terminated = state == InstanceState::Terminated;
        world.instances.push(VmRec {
            provider: shape.provider,
            id: id.clone().into(),
            name: name.clone().into(),
            region: region.into(),
            zone: zone.into(),
            machine_type: mt.name.into(),
            state: stopped_word(shape.provider, state, roll).into(),
            next: None,
            private_ip: private_ip.into(),
            public_ip: public_ip.map(Into::into),
            spot,
            launched_ms,
            image: shape.default_image.into(),
            group: group.clone().into(),
            tags: tag_vec(&tags),
            // Generated terminated instances stay listed until the next reset.
            terminated_ms: terminated.then_some(KEPT_UNTIL_RESET),
        });
        if terminated {
            continue;
        }
        by_region
            .entry((shape.provider, r))
            .or_default()
            .push(world.instances.len() - 1);

        let boot_name = match shape.provider {
            ProviderKind::Aws => format!("{name}-root"),
            ProviderKind::Gcp => name.clone(),
            ProviderKind::Azure => format!("{name}_OsDisk_1_{}", rng.hex(32)),
        };
        let boot_size = *rng.pick(match shape.provider {
            ProviderKind::Aws => &[8u64, 20, 30, 50, 100][..],
            ProviderKind::Gcp => &[10, 20, 50, 100][..],
            ProviderKind::Azure => &[30, 64, 128][..],
        });
        let boot_device = match shape.provider {
            ProviderKind::Aws => "/dev/xvda".to_string(),
            ProviderKind::Gcp => "persistent-disk-0".to_string(),
            ProviderKind::Azure => "os".to_string(),
        };
        let disk = new_disk(
            shape,
            &mut rng,
            DiskInit {
                name: &boot_name,
                region,
                zone,
                group: &group,
                size_gib: boot_size,
                disk_type: shape.default_disk_type,
                attached: Some((&id, boot_device)),
                boot: true,
                created_ms: launched_ms,
                tags: &[("env", env), ("team", team)],
            },
        );
        world.disks.push(disk);
        if rng.chance(20) {
            let data_name = format!("{name}-data");
            let device = match shape.provider {
                ProviderKind::Aws => "/dev/sdf".to_string(),
                ProviderKind::Gcp => data_name.clone(),
                ProviderKind::Azure => "lun0".to_string(),
            };
            let size = *rng.pick(&[100u64, 200, 500, 1000]);
            let dtype = *rng.pick(&shape.disk_types[..3]);
            let disk = new_disk(
                shape,
                &mut rng,
                DiskInit {
                    name: &data_name,
                    region,
                    zone,
                    group: &group,
                    size_gib: size,
                    disk_type: dtype,
                    attached: Some((&id, device)),
                    boot: false,
                    created_ms: launched_ms,
                    tags: &[("env", env), ("team", team)],
                },
            );
            world.disks.push(disk);
        }
    }

    // Disks nobody uses: the waste an operator wants to find.
    let loose = instances / 25 + 3;
    for k in 0..loose {
        let shape = shapes::ALL[k % 3];
        let r = pick_region(shape, &mut rng);
        let (region, zones) = shape.regions[r];
        let zone = *rng.pick(zones);
        let env = env_for(&mut rng);
        let team = *rng.pick(&TEAMS);
        let group = if shape.provider == ProviderKind::Azure {
            format!("rg-data-{env}")
        } else {
            String::new()
        };
        let size = *rng.pick(&[50u64, 100, 250, 500]);
        let dtype = *rng.pick(&shape.disk_types[..3]);
        let created_ms = base - rng.below(200) as i64 * DAY_MS;
        let disk = new_disk(
            shape,
            &mut rng,
            DiskInit {
                name: &format!("scratch-{env}-{k:03}"),
                region,
                zone,
                group: &group,
                size_gib: size,
                disk_type: dtype,
                attached: None,
                boot: false,
                created_ms,
                tags: &[("env", env), ("team", team)],
            },
        );
        world.disks.push(disk);
    }

    for shape in shapes::ALL {
        let share = world
            .instances
            .iter()
            .filter(|v| v.provider == shape.provider)
            .count();
        let count = (share / 12).max(2);
        for k in 0..count {
            let r = pick_region(shape, &mut rng);
            let region = shape.regions[r].0;
            let kind = *rng.pick(shape.lb_kinds);
            let app = *rng.pick(&["web", "api", "search"]);
            let env = env_for(&mut rng);
            let name = format!("{app}-{env}-lb-{k:02}");
            let group = if shape.provider == ProviderKind::Azure {
                format!("rg-{app}-{env}")
            } else {
                String::new()
            };
            let id = ids::lb_id(shape, &mut rng, region, &group, &name, kind.as_str());
            let created_ms = base - rng.below(300) as i64 * DAY_MS;
            let candidates = by_region
                .get(&(shape.provider, r))
                .cloned()
                .unwrap_or_default();
            // The first LB of each account has no targets at all.
            let want = if k == 0 { 0 } else { 1 + rng.below(4) as usize };
            let mut targets: Vec<TargetRec> = Vec::new();
            for _ in 0..want.min(candidates.len()) {
                let vm = &world.instances[*rng.pick(&candidates)];
                if targets.iter().any(|t| t.instance_id == vm.id) {
                    continue;
                }
                targets.push(TargetRec {
                    instance_id: vm.id.clone(),
                    registered_ms: created_ms,
                    draining_until: None,
                    failing: rng.chance(6),
                });
            }
            let scheme = if rng.chance(70) {
                LbScheme::InternetFacing
            } else {
                LbScheme::Internal
            };
            world.lbs.push(LbRec {
                provider: shape.provider,
                id: id.into(),
                dns_name: dns_name(shape.provider, &name, region, kind, &mut rng),
                name: name.into(),
                region: region.into(),
                kind,
                scheme,
                created_ms,
                active_ms: created_ms,
                group: group.into(),
                targets,
                tags: tag_vec(&[("env", env), ("app", app)]),
            });
        }
    }
    super::net_world::generate(&mut world);
    world
}

pub fn dns_name(
    provider: ProviderKind,
    name: &str,
    region: &str,
    kind: LbKind,
    rng: &mut Rng,
) -> Option<Str> {
    match provider {
        ProviderKind::Aws if kind == LbKind::Application => Some(
            format!(
                "{name}-{}.{region}.elb.amazonaws.com",
                1_000_000_000 + rng.below(8_999_999_999)
            )
            .into(),
        ),
        ProviderKind::Aws => {
            Some(format!("{name}-{}.elb.{region}.amazonaws.com", rng.hex(16)).into())
        }
        // A forwarding rule has an IP address, not a DNS name.
        ProviderKind::Gcp => None,
        ProviderKind::Azure => Some(format!("{name}.{region}.cloudapp.azure.com").into()),
    }
}

pub struct DiskInit<'a> {
    pub name: &'a str,
    pub region: &'a str,
    pub zone: &'a str,
    pub group: &'a str,
    pub size_gib: u64,
    pub disk_type: &'a str,
    pub attached: Option<(&'a str, String)>,
    pub boot: bool,
    pub created_ms: i64,
    pub tags: &'a [(&'a str, &'a str)],
}

pub fn new_disk(shape: &Shape, rng: &mut Rng, d: DiskInit<'_>) -> DiskRec {
    let mut tags: Vec<(&str, &str)> = d.tags.to_vec();
    if shape.provider == ProviderKind::Aws {
        tags.push(("Name", d.name));
    }
    DiskRec {
        provider: shape.provider,
        id: ids::disk_id(shape, rng, d.group, d.name).into(),
        name: d.name.into(),
        region: d.region.into(),
        zone: d.zone.into(),
        size_gib: d.size_gib,
        disk_type: d.disk_type.into(),
        state: if d.attached.is_some() {
            DiskState::InUse
        } else {
            DiskState::Available
        },
        until_ms: None,
        attached_to: d.attached.as_ref().map(|(id, _)| (*id).into()),
        device: d.attached.map(|(_, dev)| dev.into()),
        boot: d.boot,
        group: d.group.into(),
        created_ms: d.created_ms,
        tags: tag_vec(&tags),
    }
}

/// The provider's word for a generated machine. A few stopped ones are stopped the other way
/// their cloud knows: a suspended GCP instance, an Azure VM powered off but still allocated
/// (and billed).
fn stopped_word(p: ProviderKind, state: InstanceState, roll: u64) -> &'static str {
    match (p, state) {
        (ProviderKind::Gcp, InstanceState::Stopped) if roll.is_multiple_of(3) => "SUSPENDED",
        (ProviderKind::Azure, InstanceState::Stopped) if roll.is_multiple_of(3) => {
            super::rules::AZURE_POWERED_OFF
        }
        _ => native_vm_state(p, state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_world_other_seed_other_world() {
        let a = generate(200, 7);
        assert_eq!(a, generate(200, 7));
        assert_ne!(a.instances[0].id, generate(200, 8).instances[0].id);
        assert_eq!(a.instances.len(), 200);
    }

    #[test]
    fn every_provider_shows_up_with_its_own_id_format() {
        let w = generate(60, DEFAULT_SEED);
        for p in ProviderKind::ALL {
            let vm = w.instances.iter().find(|v| v.provider == p).unwrap();
            match p {
                ProviderKind::Aws => assert!(vm.id.starts_with("i-") && vm.id.len() == 19),
                ProviderKind::Gcp => assert!(vm.id.parse::<u64>().is_ok()),
                ProviderKind::Azure => assert!(vm.id.starts_with("/subscriptions/")),
            }
            assert!(w.lbs.iter().any(|l| l.provider == p));
        }
        assert!(
            w.disks.iter().any(|d| d.attached_to.is_none()),
            "some loose disks"
        );
        assert!(w.lbs.iter().any(|l| l.targets.is_empty()), "an idle LB");
    }

    #[test]
    fn stopped_machines_use_each_clouds_own_words() {
        let w = generate(3000, DEFAULT_SEED);
        let words = |p: ProviderKind| {
            let mut v: Vec<&str> = w
                .instances
                .iter()
                .filter(|m| m.provider == p && m.normal() == InstanceState::Stopped)
                .map(|m| m.state.as_str())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        assert_eq!(words(ProviderKind::Aws), ["stopped"]);
        assert_eq!(words(ProviderKind::Gcp), ["SUSPENDED", "TERMINATED"]);
        assert_eq!(
            words(ProviderKind::Azure),
            ["PowerState/deallocated", "PowerState/stopped"]
        );
    }

    #[test]
    fn names_are_unique() {
        let w = generate(5000, 1);
        let mut names: Vec<_> = w.instances.iter().map(|v| (&v.provider, &v.name)).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 5000);
    }
}
