use chrono::Utc;

use super::*;
use crate::domain::{Disk, Instance, LbKind, LbScheme, LoadBalancer, Tags, Target};
use crate::inventory::Scope;
use crate::providers::{ListScope, Resources};

fn vm(
    p: ProviderKind,
    region: &str,
    id: &str,
    ty: &str,
    state: InstanceState,
    spot: bool,
) -> Instance {
    Instance {
        uid: None,
        r#ref: ResourceRef::new(p, "acct", region, ResourceKind::Instance, id),
        sandbox: true,
        zone: None,
        name: id.into(),
        state,
        provider_state: state.as_str().into(),
        instance_type: ty.into(),
        vcpus: None,
        memory_gib: None,
        private_ip: None,
        public_ip: None,
        spot,
        launched_at: None,
        tags: Tags::new(),
    }
}

fn disk(region: &str, id: &str, ty: &str, size: u64, on: Option<&Instance>) -> Disk {
    Disk {
        uid: None,
        r#ref: ResourceRef::new(ProviderKind::Aws, "acct", region, ResourceKind::Disk, id),
        sandbox: true,
        zone: None,
        name: id.into(),
        state: if on.is_some() {
            DiskState::InUse
        } else {
            DiskState::Available
        },
        provider_state: String::new().into(),
        size_gib: size,
        disk_type: ty.into(),
        attached_to: on.map(|i| i.r#ref.clone()),
        device: None,
        tags: Tags::new(),
    }
}

fn lb(id: &str, targets: Vec<Target>) -> LoadBalancer {
    LoadBalancer {
        uid: None,
        r#ref: ResourceRef::new(
            ProviderKind::Aws,
            "acct",
            "us-east-1",
            ResourceKind::LoadBalancer,
            id,
        ),
        sandbox: true,
        name: id.into(),
        kind: LbKind::Network,
        scheme: LbScheme::Internal,
        dns_name: None,
        state: LbState::Active,
        provider_state: "active".into(),
        targets,
        tags: Tags::new(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_constructed_estate_gives_exact_savings() {
    let cat = Catalog::bundled();
    let stopped = vm(
        ProviderKind::Aws,
        "us-east-1",
        "i-stopped",
        "m5.large",
        InstanceState::Stopped,
        false,
    );
    let running = vm(
        ProviderKind::Aws,
        "us-east-1",
        "i-running",
        "m5.large",
        InstanceState::Running,
        false,
    );
    let gcp_big = vm(
        ProviderKind::Gcp,
        "us-central1",
        "111",
        "n2-standard-4",
        InstanceState::Running,
        false,
    );
    let gcp_spot = vm(
        ProviderKind::Gcp,
        "us-central1",
        "222",
        "e2-standard-2",
        InstanceState::Running,
        true,
    );
    let mut inv = Inventory::new();
    let at = Utc::now();
    inv.apply(
        Scope::new(
            "acct",
            ListScope::aws_region("us-east-1"),
            ResourceKind::Instance,
        ),
        Ok(Resources::Instances(vec![stopped.clone(), running.clone()])),
        at,
    );
    inv.apply(
        Scope::new("acct", ListScope::gcp_project("p"), ResourceKind::Instance),
        Ok(Resources::Instances(vec![
            gcp_big.clone(),
            gcp_spot.clone(),
        ])),
        at,
    );
    inv.apply(
        Scope::new(
            "acct",
            ListScope::aws_region("us-east-1"),
            ResourceKind::Disk,
        ),
        Ok(Resources::Disks(vec![
            disk("us-east-1", "vol-root", "gp3", 100, Some(&stopped)),
            disk("us-east-1", "vol-data", "st1", 500, Some(&stopped)),
            disk("us-east-1", "vol-loose", "gp2", 50, None),
            disk("us-east-1", "vol-used", "gp3", 20, Some(&running)),
        ])),
        at,
    );
    inv.apply(
        Scope::new(
            "acct",
            ListScope::aws_region("us-east-1"),
            ResourceKind::LoadBalancer,
        ),
        Ok(Resources::LoadBalancers(vec![
            lb("lb-empty", vec![]),
            lb(
                "lb-sick",
                vec![Target {
                    instance: running.r#ref.clone(),
                    health: TargetHealth::Unhealthy,
                }],
            ),
            lb(
                "lb-ok",
                vec![Target {
                    instance: running.r#ref.clone(),
                    health: TargetHealth::Healthy,
                }],
            ),
        ])),
        at,
    );
    let f = findings(&cat, &shapes(&cat, &[]), &inv);
    let get = |kind: FindingKind, id: &str| {
        f.iter()
            .find(|x| x.finding == kind && x.r#ref.id == id)
            .unwrap_or_else(|| panic!("{kind:?} {id} in {f:#?}"))
    };

    // 100 GiB gp3 at 0.08 + 500 GiB st1 at 0.045.
    let s = get(FindingKind::StoppedWithDisks, "i-stopped");
    assert!(
        close(s.monthly_savings_usd, 100.0 * 0.08 + 500.0 * 0.045),
        "{s:?}"
    );
    assert_eq!(s.action, Some(Op::Terminate));
    let u = get(FindingKind::UnattachedDisk, "vol-loose");
    assert!(close(u.monthly_savings_usd, 50.0 * 0.10));
    assert_eq!(u.action, Some(Op::DeleteDisk));
    for id in ["lb-empty", "lb-sick"] {
        let l = get(FindingKind::IdleLoadBalancer, id);
        assert!(close(l.monthly_savings_usd, 0.0225 * 730.0));
        assert_eq!(l.action, Some(Op::DeleteLoadBalancer));
    }
    assert!(!f.iter().any(|x| x.r#ref.id == "lb-ok"));
    // n2-standard-4 (0.194236/h) → e2-standard-4 (4 vCPU, 16 GiB, 0.134023/h), the cheapest
    // us-central1 shape with at least 4 vCPU and 16 GiB.
    let r = get(FindingKind::RightSize, "111");
    assert!(
        close(r.monthly_savings_usd, (0.194236 - 0.134023) * 730.0),
        "{r:?}"
    );
    assert!(r.detail.contains("e2-standard-4"), "{}", r.detail);
    let sc = get(FindingKind::SpotCandidate, "111");
    assert!(close(sc.monthly_savings_usd, (0.194236 - 0.09212) * 730.0));
    // Already spot: no spot finding; AWS has no spot prices in the catalog: none either.
    assert!(!f
        .iter()
        .any(|x| x.r#ref.id == "222" && x.finding == FindingKind::SpotCandidate));
    assert!(!f
        .iter()
        .any(|x| x.r#ref.id == "i-running" && x.finding == FindingKind::SpotCandidate));
    // Largest saving first.
    assert!(f
        .windows(2)
        .all(|w| w[0].monthly_savings_usd >= w[1].monthly_savings_usd));
}

#[test]
fn right_size_picks_the_cheapest_big_enough_shape() {
    let cat = Catalog::bundled();
    // AWS shapes come from the catalog (DescribeInstanceTypes data).
    let big = vm(
        ProviderKind::Aws,
        "us-east-1",
        "i-big",
        "m5.2xlarge",
        InstanceState::Running,
        false,
    );
    let mut inv = Inventory::new();
    inv.apply(
        Scope::new(
            "acct",
            ListScope::aws_region("us-east-1"),
            ResourceKind::Instance,
        ),
        Ok(Resources::Instances(vec![big])),
        Utc::now(),
    );
    let sh = shapes(&cat, &[]);
    let f = findings(&cat, &sh, &inv);
    let r = f
        .iter()
        .find(|f| f.finding == FindingKind::RightSize)
        .expect("a right-size finding");
    let to = r
        .detail
        .split("→ ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    let chosen = cat
        .provider(ProviderKind::Aws)
        .unwrap()
        .compute_price("us-east-1", to)
        .unwrap()
        .usd_per_hour;
    assert!(
        close(r.monthly_savings_usd, (0.384 - chosen) * 730.0),
        "{r:?}"
    );
    assert!(
        !sh[&ProviderKind::Aws][to].arm,
        "an x86 machine is not sent to Arm: {}",
        r.detail
    );
    assert!(r.detail.contains("same x86_64"), "{}", r.detail);
    // Nothing big enough on the same architecture is cheaper.
    for (sku, p) in &cat.provider(ProviderKind::Aws).unwrap().compute["us-east-1"] {
        if let Some(s) = sh[&ProviderKind::Aws].get(sku) {
            if s.vcpus >= 8 && s.memory_mib >= 32768 && !s.arm {
                assert!(
                    p.usd_per_hour >= chosen,
                    "{sku} at {} is cheaper than {to}",
                    p.usd_per_hour
                );
            }
        }
    }
}

/// The bundled catalog without its Azure shapes (as before it had them).
fn catalog_without_azure_shapes() -> Catalog {
    let mut cat = Catalog::bundled();
    for p in &mut cat.providers {
        if p.provider == Some(ProviderKind::Azure) {
            p.shapes.clear();
        }
    }
    cat
}

fn running(p: ProviderKind, region: &str, ty: &str) -> Inventory {
    let mut inv = Inventory::new();
    inv.apply(
        Scope::new(
            "acct",
            crate::providers::ListScope::aws_region(region),
            ResourceKind::Instance,
        ),
        Ok(Resources::Instances(vec![vm(
            p,
            region,
            "vm",
            ty,
            InstanceState::Running,
            false,
        )])),
        Utc::now(),
    );
    inv
}

/// The type a right-size finding proposes, and what it saves.
fn right_size_of(cat: &Catalog, inv: &Inventory) -> Option<(String, f64)> {
    findings(cat, &shapes(cat, &[]), inv)
        .into_iter()
        .find(|f| f.finding == FindingKind::RightSize)
        .map(|f| {
            let to = f.detail.split("→ ").nth(1).unwrap().split(' ').next();
            (to.unwrap().to_string(), f.monthly_savings_usd)
        })
}

#[test]
fn azure_machines_are_right_sized_from_the_catalogs_shapes() {
    let cat = Catalog::bundled();
    let azure = cat.provider(ProviderKind::Azure).unwrap();
    let eastus = &azure.compute["eastus"];
    let price = |s: &str| eastus[s].usd_per_hour;
    let (to, saved) = right_size_of(
        &cat,
        &running(ProviderKind::Azure, "eastus", "Standard_D4s_v5"),
    )
    .expect("an Azure right-size without any account reporting shapes");
    let (from, got) = (azure.shapes["Standard_D4s_v5"], azure.shapes[&to]);
    assert!(
        !got.arm && got.vcpus >= from.vcpus && got.memory_mib >= from.memory_mib,
        "{to}: {got:?}"
    );
    assert!(close(
        saved,
        (price("Standard_D4s_v5") - price(&to)) * 730.0
    ));
    // The cheapest that fits: nothing of the same architecture big enough is cheaper.
    for (sku, p) in eastus {
        if let Some(s) = azure.shapes.get(sku) {
            if !s.arm && s.vcpus >= 4 && s.memory_mib >= 16384 {
                assert!(p.usd_per_hour >= price(&to), "{sku} is cheaper than {to}");
            }
        }
    }
    // An Arm machine stays on Arm.
    if let Some((to, _)) = right_size_of(
        &cat,
        &running(ProviderKind::Azure, "eastus", "Standard_D8ps_v5"),
    ) {
        assert!(azure.shapes[&to].arm, "{to}");
    }
    // A GPU machine is never sent to one with fewer GPUs.
    // (Standard_NC6s_v3: 6 vCPU, 112 GiB, 1 GPU, 3.06/h; an E16s_v5 is bigger and cheaper.)
    let gpu = "Standard_NC6s_v3";
    assert_eq!(azure.shapes[gpu].gpus, 1);
    if let Some((to, _)) = right_size_of(&cat, &running(ProviderKind::Azure, "eastus", gpu)) {
        assert!(azure.shapes[&to].gpus >= 1, "{gpu} → {to}");
    }
}

#[test]
fn right_size_uses_shapes_an_account_reports() {
    let cat = catalog_without_azure_shapes();
    let vm4 = vm(
        ProviderKind::Azure,
        "eastus",
        "vm4",
        "Standard_D4s_v5",
        InstanceState::Running,
        false,
    );
    let mut inv = Inventory::new();
    inv.apply(
        Scope::new(
            "acct",
            ListScope::azure_subscription("s"),
            ResourceKind::Instance,
        ),
        Ok(Resources::Instances(vec![vm4])),
        Utc::now(),
    );
    assert!(
        findings(&cat, &shapes(&cat, &[]), &inv)
            .iter()
            .all(|f| f.finding != FindingKind::RightSize),
        "no Azure shapes, no guess"
    );
    let extra = vec![
        (
            ProviderKind::Azure,
            "Standard_D4s_v5".to_string(),
            Shape {
                vcpus: 4,
                memory_mib: 16384,
                arm: false,
                gpus: 0,
            },
        ),
        (
            ProviderKind::Azure,
            "Standard_F4s_v2".to_string(),
            Shape {
                vcpus: 4,
                memory_mib: 8192,
                arm: false,
                gpus: 0,
            },
        ),
        (
            ProviderKind::Azure,
            "Standard_D4as_v5".to_string(),
            Shape {
                vcpus: 4,
                memory_mib: 16384,
                arm: false,
                gpus: 0,
            },
        ),
    ];
    let f = findings(&cat, &shapes(&cat, &extra), &inv);
    let r = f
        .iter()
        .find(|f| f.finding == FindingKind::RightSize)
        .expect("a right-size finding");
    assert!(
        r.detail.contains("Standard_D4as_v5"),
        "F4s_v2 has too little memory: {}",
        r.detail
    );
    let p = |s: &str| {
        cat.provider(ProviderKind::Azure)
            .unwrap()
            .compute_price("eastus", s)
            .unwrap()
            .usd_per_hour
    };
    assert!(
        close(
            r.monthly_savings_usd,
            (p("Standard_D4s_v5") - p("Standard_D4as_v5")) * 730.0
        ),
        "{r:?}"
    );
}

#[test]
fn spot_and_right_size_of_one_machine_are_alternatives_not_a_sum() {
    let cat = Catalog::bundled();
    let mut both = 0;
    for ty in [
        "n2-standard-8",
        "n2-standard-4",
        "n1-standard-8",
        "c2-standard-8",
        "n2-highmem-8",
    ] {
        let inv = running(ProviderKind::Gcp, "us-central1", ty);
        let all = findings(&cat, &shapes(&cat, &[]), &inv);
        let cost = estimate::instance(&cat, inv.instances.iter().next().unwrap())
            .monthly_usd()
            .unwrap();
        let total = total_savings(&all);
        assert!(total <= cost + 1e-9, "{ty}: {total} saved of {cost}");
        if all.len() == 2 {
            both += 1;
            assert!(all[0].alternative_to.is_none(), "the larger counts");
            assert_eq!(all[1].alternative_to, Some(all[0].finding));
            assert!(close(total, all[0].monthly_savings_usd));
            assert!(
                all[0].monthly_savings_usd + all[1].monthly_savings_usd > total,
                "the sum would overstate it"
            );
        }
    }
    assert!(both > 0, "some machine has both findings");
}
