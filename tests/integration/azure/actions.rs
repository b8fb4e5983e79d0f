//! Actions and their effect read back; operations followed with ARM's Retry-After.

use std::time::Duration;

use nephos::domain::{InstanceState, Resource, ResourceKind};
use nephos::ops;
use nephos::providers::{
    CloudProvider, ErrorKind, InstanceAction, InstanceSpec, OperationStatus, Request, WaitFor,
};

use super::provider;
use super::stub::{ArmStub, RG, SUB};

fn vm_ref(name: &str) -> nephos::domain::ResourceRef {
    nephos::domain::ResourceRef::new(
        nephos::domain::ProviderKind::Azure,
        "corp",
        "eastus",
        ResourceKind::Instance,
        &format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/{name}"),
    )
}

async fn vm(p: &dyn CloudProvider, name: &str) -> nephos::domain::Instance {
    match p.describe(&vm_ref(name)).await.unwrap().resource {
        Resource::Instance(i) => i,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn stop_deallocates_and_power_off_keeps_the_vm_billed() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 2, &["eastus"]);
        w.retry_after = 1;
    });
    let p = provider(&stub, &[]);
    let target = vm(&p, "vm-00000").await;
    let req = Request::Instance {
        target,
        action: InstanceAction::Stop,
    };
    let applied = p.apply(&req).await.unwrap();
    assert_eq!(stub.count("/deallocate"), 1);
    let op = applied.operation.clone().expect("an operation to follow");
    assert!(
        op.0.starts_with("azure-asyncoperation http://127.0.0.1"),
        "{}",
        op.0
    );
    // In progress first, with ARM's Retry-After; the VM says so meanwhile.
    match p.operation_status(&op).await.unwrap() {
        OperationStatus::Running(pr) => {
            assert_eq!(pr.status.as_deref(), Some("InProgress"));
            assert_eq!(pr.retry_after, Some(Duration::from_secs(1)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(vm(&p, "vm-00000").await.state, InstanceState::Stopping);
    let last = ops::wait::until(
        &p,
        &applied.target,
        WaitFor::Instance(InstanceState::Stopped),
        Some(&op),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let Some(Resource::Instance(i)) = last else {
        panic!()
    };
    assert_eq!(i.provider_state, "PowerState/deallocated");

    let target = vm(&p, "vm-00001").await;
    let applied = p
        .apply(&Request::Instance {
            target,
            action: InstanceAction::PowerOff,
        })
        .await
        .unwrap();
    assert_eq!(stub.count("/powerOff"), 1);
    ops::wait::until(
        &p,
        &applied.target,
        WaitFor::Instance(InstanceState::Stopped),
        applied.operation.as_ref(),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let i = vm(&p, "vm-00001").await;
    assert_eq!(
        (i.state, i.provider_state.as_str()),
        (InstanceState::Stopped, "PowerState/stopped")
    );
}

#[tokio::test]
async fn a_create_that_fails_in_its_operation_reports_azure_s_error() {
    let stub = ArmStub::start();
    let p = provider(&stub, &[]);
    let req = Request::CreateInstance {
        account: "corp".into(),
        spec: InstanceSpec {
            region: "eastus".into(),
            zone: None,
            instance_type: "Standard_NoCapacity".into(),
            name: "big-1".into(),
            image: None,
            disk_gib: Some(64),
            spot: true,
            tags: [("team", "core")].into_iter().collect(),
            options: Default::default(),
        },
    };
    let applied = p.apply(&req).await.unwrap();
    // nephos made the group, the VNet and the NIC first, each tagged.
    stub.with(|w| {
        assert!(w.groups.contains(
            &format!("/subscriptions/{SUB}/resourcegroups/nephos-eastus").to_ascii_lowercase()
        ));
        let nic = w.nics.values().next().expect("a NIC");
        assert_eq!(nic["tags"]["made-by"], "nephos");
        let vm = &w.vms.values().next().unwrap().model;
        assert_eq!(vm["properties"]["priority"], "Spot");
        assert_eq!(
            vm["properties"]["storageProfile"]["imageReference"]["offer"],
            "ubuntu-24_04-lts"
        );
        assert_eq!(
            vm["properties"]["storageProfile"]["osDisk"]["diskSizeGB"],
            64
        );
        assert!(
            vm["properties"]["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["keyData"]
                .as_str()
                .unwrap()
                .starts_with("ssh-ed25519")
        );
    });
    let e = ops::wait::until(
        &p,
        &applied.target,
        WaitFor::Instance(InstanceState::Running),
        applied.operation.as_ref(),
        Duration::from_secs(10),
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert_eq!(e.code.as_deref(), Some("AllocationFailed"));
    assert!(e.message.contains("sufficient capacity"), "{e}");
}

#[tokio::test]
async fn disk_and_load_balancer_tags_and_targets_are_changed_and_read_back() {
    use nephos::domain::{LbKind, LbScheme, Tags};
    use nephos::providers::{DiskSpec, LbSpec};
    let stub = ArmStub::start();
    stub.with(|w| w.seed(SUB, RG, 2, &["eastus"]));
    let p = provider(&stub, &[]);
    let follow = |a: nephos::providers::Applied, want: WaitFor| {
        let p = &p;
        async move {
            ops::wait::until(
                p,
                &a.target,
                want,
                a.operation.as_ref(),
                Duration::from_secs(10),
            )
            .await
            .unwrap()
        }
    };
    let made = p
        .apply(&Request::CreateDisk {
            account: "corp".into(),
            spec: DiskSpec {
                region: "eastus".into(),
                zone: "1".into(),
                name: "data-x".into(),
                size_gib: 32,
                disk_type: Some("Premium_LRS".into()),
                tags: [("keep", "me")].into_iter().collect(),
            },
        })
        .await
        .unwrap();
    let Some(Resource::Disk(d)) =
        follow(made, WaitFor::Disk(nephos::domain::DiskState::Available)).await
    else {
        panic!()
    };
    assert_eq!(
        (d.disk_type.as_str(), d.tags.get("made-by")),
        ("Premium_LRS", Some("nephos"))
    );
    let set: Tags = [("team", "core")].into_iter().collect();
    p.apply(&Request::Tag {
        target: Resource::Disk(d.clone()),
        set,
        remove: vec!["keep".into()],
    })
    .await
    .unwrap();
    let Resource::Disk(d) = p.describe(&d.r#ref).await.unwrap().resource else {
        panic!()
    };
    assert_eq!(
        (
            d.tags.get("team"),
            d.tags.get("keep"),
            d.tags.get("made-by")
        ),
        (Some("core"), None, Some("nephos"))
    );

    let made = p
        .apply(&Request::CreateLoadBalancer {
            account: "corp".into(),
            spec: LbSpec {
                region: "eastus".into(),
                name: "web-lb".into(),
                kind: LbKind::Network,
                scheme: LbScheme::InternetFacing,
                tags: Tags::new(),
            },
        })
        .await
        .unwrap();
    let Some(Resource::LoadBalancer(lb)) =
        follow(made, WaitFor::LoadBalancer(nephos::domain::LbState::Active)).await
    else {
        panic!()
    };
    assert_eq!(lb.scheme, LbScheme::InternetFacing);
    assert!(
        lb.dns_name
            .as_deref()
            .is_some_and(|ip| ip.starts_with("52.")),
        "{lb:?}"
    );
    let targets = vec![vm(&p, "vm-00000").await, vm(&p, "vm-00001").await];
    let a = p
        .apply(&Request::Register {
            lb: lb.clone(),
            targets: targets.clone(),
        })
        .await
        .unwrap();
    if let Some(op) = &a.operation {
        while !matches!(p.operation_status(op).await.unwrap(), OperationStatus::Done) {}
    }
    let Resource::LoadBalancer(now) = p.describe(&lb.r#ref).await.unwrap().resource else {
        panic!()
    };
    assert_eq!(now.targets.len(), 2, "{:?}", now.targets);
    assert!(targets
        .iter()
        .all(|t| now.targets.iter().any(|x| x.instance == t.r#ref)));
    // The listing agrees, through the NIC list.
    let scope = nephos::providers::ListScope::azure_subscription(SUB);
    let nephos::providers::Resources::LoadBalancers(rows) =
        p.list(&scope, ResourceKind::LoadBalancer).await.unwrap()
    else {
        panic!()
    };
    assert_eq!(
        rows.iter()
            .find(|l| l.r#ref == lb.r#ref)
            .unwrap()
            .targets
            .len(),
        2
    );
    p.apply(&Request::Tag {
        target: Resource::LoadBalancer(now.clone()),
        set: [("tier", "web")].into_iter().collect(),
        remove: vec![],
    })
    .await
    .unwrap();
    p.apply(&Request::Deregister {
        lb: now.clone(),
        targets: targets[..1].to_vec(),
    })
    .await
    .unwrap();
    let Resource::LoadBalancer(now) = p.describe(&lb.r#ref).await.unwrap().resource else {
        panic!()
    };
    assert_eq!(now.targets.len(), 1);
    assert_eq!(now.tags.get("tier"), Some("web"));
    // Deleting it deletes the public IP nephos made for it.
    let a = p
        .apply(&Request::DeleteLoadBalancer { lb: now })
        .await
        .unwrap();
    follow(a, WaitFor::LoadBalancerGone).await;
    stub.with(|w| {
        assert!(w.lbs.is_empty());
        assert!(
            !w.pips.keys().any(|k| k.ends_with("web-lb-ip")),
            "the nephos-made IP is gone"
        );
    });
}

#[tokio::test]
async fn a_change_answered_with_location_only_is_followed_there() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 1, &["eastus"]);
        w.location_only = true;
        w.retry_after = 2;
    });
    let p = provider(&stub, &[]);
    let target = vm(&p, "vm-00000").await;
    let a = p
        .apply(&Request::Instance {
            target,
            action: InstanceAction::Stop,
        })
        .await
        .unwrap();
    let op = a.operation.clone().unwrap();
    assert!(op.0.starts_with("location http://127.0.0.1"), "{}", op.0);
    match p.operation_status(&op).await.unwrap() {
        OperationStatus::Running(pr) => assert_eq!(pr.retry_after, Some(Duration::from_secs(2))),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        p.operation_status(&op).await.unwrap(),
        OperationStatus::Done
    );
    assert_eq!(
        vm(&p, "vm-00000").await.provider_state,
        "PowerState/deallocated"
    );
    assert!(stub.count("/operationResults/") >= 2);
}
