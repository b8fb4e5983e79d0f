//! Every action through apply(), followed through its Operation, its effect read back through
//! the adapter.

use std::time::Duration;

use nephos::domain::{
    DiskState, Instance, InstanceState, LbKind, LbScheme, Resource, ResourceRef, Tags, TargetHealth,
};
use nephos::ops;
use nephos::providers::{
    CloudProvider, DiskSpec, ErrorKind, InstanceAction, InstanceSpec, LbSpec, OperationStatus,
    Request, WaitFor,
};

use super::stub::{Stub, World};

const T: Duration = Duration::from_secs(10);

async fn vm(p: &dyn CloudProvider, r: &str) -> Instance {
    let r: ResourceRef = r.parse().unwrap();
    match p.describe(&r).await.unwrap().resource {
        Resource::Instance(i) => i,
        other => panic!("{other:?}"),
    }
}

async fn act(p: &dyn CloudProvider, req: Request) -> Option<Resource> {
    let applied = p
        .apply(&req)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", req.describe()));
    match req.wait_for() {
        Some(want) => ops::wait::until(p, &applied.target, want, applied.operation.as_ref(), T)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", req.describe())),
        None => applied.resource,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_runs_before_it_is_done_and_the_instance_follows() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, true);
    w.op_polls = 2;
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let v = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    let applied = p
        .apply(&Request::Instance {
            target: v.clone(),
            action: InstanceAction::Stop,
        })
        .await
        .unwrap();
    let h = applied.operation.clone().expect("an operation to follow");
    assert!(
        h.0.starts_with("zones/us-central1-a/operations/operation-"),
        "{h:?}"
    );
    // Stopping at once, in GCP's word.
    let now = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    assert_eq!(
        (now.state, now.provider_state.as_str()),
        (InstanceState::Stopping, "STOPPING")
    );
    let mut seen = Vec::new();
    loop {
        match p.operation_status(&h).await.unwrap() {
            OperationStatus::Running(pr) => seen.push(pr.to_string()),
            OperationStatus::Done => break,
            OperationStatus::Failed(e) => panic!("{e}"),
        }
    }
    assert_eq!(seen, ["RUNNING 50%", "RUNNING 50%"]);
    let now = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    assert_eq!(
        (now.state, now.provider_state.as_str()),
        (InstanceState::Stopped, "TERMINATED")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_that_ends_in_error_is_the_actions_error() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, true);
    w.fail_next_op = Some(("ZONE_RESOURCE_POOL_EXHAUSTED".into(), "The zone 'projects/proj/zones/us-central1-a' does not have enough resources available to fulfill the request.".into()));
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let spec = InstanceSpec {
        region: "us-central1".into(),
        zone: Some("us-central1-a".into()),
        instance_type: "e2-small".into(),
        name: "big".into(),
        image: None,
        disk_gib: None,
        spot: false,
        tags: Tags::new(),
        options: Default::default(),
    };
    let req = Request::CreateInstance {
        account: "gcp-proj".into(),
        spec,
    };
    let applied = p.apply(&req).await.expect("accepted at first");
    let e = ops::wait::until(
        &p,
        &applied.target,
        WaitFor::Instance(InstanceState::Running),
        applied.operation.as_ref(),
        T,
    )
    .await
    .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Unavailable, Some("ZONE_RESOURCE_POOL_EXHAUSTED"))
    );
    assert!(e.message.contains("does not have enough resources"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_start_stop_reset_tag_and_delete_an_instance() {
    let mut w = World::new();
    w.project("proj");
    let stub = Stub::start(w);
    let p = stub.provider("proj", &["europe-west1"]);
    let spec = InstanceSpec {
        region: "europe-west1".into(),
        zone: None,
        instance_type: "e2-medium".into(),
        name: "web-1".into(),
        image: None,
        disk_gib: Some(30),
        spot: true,
        tags: [("team", "web")].into_iter().collect(),
        options: Default::default(),
    };
    let Some(Resource::Instance(v)) = act(
        &p,
        Request::CreateInstance {
            account: "gcp-proj".into(),
            spec,
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        v.r#ref.to_string(),
        "gcp:gcp-proj:europe-west1-b:instance:web-1",
        "a region alone gets its -b zone"
    );
    assert!(v.spot);
    assert_eq!((v.vcpus, v.tags.get("team")), (Some(2), Some("web")));
    // The insert carried the newest Debian 12 (its family), the disk size and SPOT.
    let raw = p.describe(&v.r#ref).await.unwrap().raw;
    assert_eq!(raw["scheduling"]["provisioningModel"], "SPOT");
    let boot: ResourceRef = "gcp:gcp-proj:europe-west1-b:disk:web-1".parse().unwrap();
    let boot_raw = p.describe(&boot).await.unwrap().raw;
    assert!(boot_raw["sourceImage"]
        .as_str()
        .unwrap()
        .ends_with("projects/debian-cloud/global/images/debian-12-bookworm-v20261110"));
    assert_eq!(boot_raw["sizeGb"], "30");

    // A second insert of the same name: alreadyExists.
    let again = InstanceSpec {
        region: "europe-west1".into(),
        zone: Some("europe-west1-b".into()),
        instance_type: "e2-medium".into(),
        name: "web-1".into(),
        image: None,
        disk_gib: None,
        spot: false,
        tags: Tags::new(),
        options: Default::default(),
    };
    let e = p
        .apply(&Request::CreateInstance {
            account: "gcp-proj".into(),
            spec: again,
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::AlreadyExists, Some("alreadyExists"))
    );

    for (action, want) in [
        (InstanceAction::Stop, InstanceState::Stopped),
        (InstanceAction::Start, InstanceState::Running),
        (InstanceAction::Reboot, InstanceState::Running),
    ] {
        let target = vm(&p, "gcp:gcp-proj:europe-west1-b:instance:web-1").await;
        let Some(Resource::Instance(now)) = act(&p, Request::Instance { target, action }).await
        else {
            panic!()
        };
        assert_eq!(now.state, want, "{action:?}");
    }
    assert_eq!(stub.with(|w| w.count("POST", "/instances/web-1/reset")), 1);

    // Labels: set and removed, others kept.
    let target = vm(&p, "gcp:gcp-proj:europe-west1-b:instance:web-1").await;
    p.apply(&Request::Tag {
        target: Resource::Instance(target),
        set: [("owner", "ops")].into_iter().collect(),
        remove: vec!["team".into()],
    })
    .await
    .unwrap();
    let now = vm(&p, "gcp:gcp-proj:europe-west1-b:instance:web-1").await;
    assert_eq!(
        (now.tags.get("owner"), now.tags.get("team")),
        (Some("ops"), None)
    );

    let target = vm(&p, "gcp:gcp-proj:europe-west1-b:instance:web-1").await;
    let gone = act(
        &p,
        Request::Instance {
            target: target.clone(),
            action: InstanceAction::Terminate,
        },
    )
    .await;
    assert!(gone.is_none(), "a deleted VM is gone: {gone:?}");
    let e = p.describe(&boot).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "the boot disk went with it");
    let e = p
        .apply(&Request::Instance {
            target,
            action: InstanceAction::Start,
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_label_fingerprint_is_read_again_and_retried_once() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, false);
    w.labels_change_behind = true;
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let v = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    p.apply(&Request::Tag {
        target: Resource::Instance(v),
        set: [("owner", "me")].into_iter().collect(),
        remove: vec![],
    })
    .await
    .unwrap();
    assert_eq!(
        stub.with(|w| w.count("POST", "/setLabels")),
        2,
        "412, then the retry"
    );
    let now = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    assert_eq!(now.tags.get("owner"), Some("me"));
    assert_eq!(
        now.tags.get("changed-by"),
        Some("someone-else"),
        "the other change is kept"
    );
    assert_eq!(now.tags.get("env"), Some("prod"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disks_are_made_attached_refused_detached_and_deleted() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, true);
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let spec = DiskSpec {
        region: "us-central1".into(),
        zone: "us-central1-a".into(),
        name: "data".into(),
        size_gib: 50,
        disk_type: Some("pd-ssd".into()),
        tags: [("k", "v")].into_iter().collect(),
    };
    let Some(Resource::Disk(d)) = act(
        &p,
        Request::CreateDisk {
            account: "gcp-proj".into(),
            spec,
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        (d.state, d.size_gib, d.disk_type.as_str(), d.tags.get("k")),
        (DiskState::Available, 50, "pd-ssd", Some("v"))
    );
    let v = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    let Some(Resource::Disk(a)) = act(
        &p,
        Request::AttachDisk {
            disk: d.clone(),
            instance: v.clone(),
            device: Some("data-1".into()),
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        (a.state, a.device.as_deref()),
        (DiskState::InUse, Some("data-1"))
    );
    assert_eq!(a.attached_to.as_ref(), Some(&v.r#ref));
    // Attached elsewhere already, or deleted while attached: in use, GCP's words kept.
    let e = p
        .apply(&Request::AttachDisk {
            disk: a.clone(),
            instance: v.clone(),
            device: None,
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::InUse, Some("resourceInUseByAnotherResource"))
    );
    let e = p
        .apply(&Request::DeleteDisk { disk: a.clone() })
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InUse);
    assert!(e.message.contains("is already being used by"), "{e}");
    // Detach by the device name the instance gave it.
    let Some(Resource::Disk(free)) = act(&p, Request::DetachDisk { disk: a }).await else {
        panic!()
    };
    assert_eq!(
        (free.state, free.attached_to.is_none()),
        (DiskState::Available, true)
    );
    assert!(stub.with(|w| w
        .requests
        .iter()
        .any(|(_, path)| path.ends_with("/instances/vm-00000/detachDisk"))));
    let v = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    let raw = p.describe(&v.r#ref).await.unwrap().raw;
    assert_eq!(
        raw["disks"].as_array().unwrap().len(),
        1,
        "only the boot disk is left"
    );
    assert!(act(&p, Request::DeleteDisk { disk: free }).await.is_none());
    let e = p.describe(&d.r#ref).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_load_balancer_is_made_used_and_deleted_whole() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a", "us-central1-b"], 2, false);
    let stub = Stub::start(w);
    let p = stub.provider("proj", &["us-central1"]);
    let spec = LbSpec {
        region: "us-central1".into(),
        name: "web-lb".into(),
        kind: LbKind::Network,
        scheme: LbScheme::InternetFacing,
        tags: [("app", "web")].into_iter().collect(),
    };
    let Some(Resource::LoadBalancer(lb)) = act(
        &p,
        Request::CreateLoadBalancer {
            account: "gcp-proj".into(),
            spec,
        },
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        lb.r#ref.to_string(),
        "gcp:gcp-proj:us-central1:load-balancer:web-lb"
    );
    assert_eq!(
        (lb.kind, lb.tags.get("created-by"), lb.tags.get("app")),
        (LbKind::Network, Some("nephos"), Some("web"))
    );
    assert!(
        lb.dns_name.as_deref().unwrap().ends_with(":80-80 TCP"),
        "{:?}",
        lb.dns_name
    );
    let vms = super::instances(&p).await;
    p.apply(&Request::Register {
        lb: lb.clone(),
        targets: vms.clone(),
    })
    .await
    .unwrap();
    let Resource::LoadBalancer(now) = p.describe(&lb.r#ref).await.unwrap().resource else {
        panic!()
    };
    assert_eq!(now.targets.len(), 2);
    assert!(
        now.targets
            .iter()
            .all(|t| t.health == TargetHealth::Healthy),
        "{:?}",
        now.targets
    );
    let listed = super::listed(&p, nephos::domain::ResourceKind::LoadBalancer).await;
    let Resource::LoadBalancer(row) = &listed[0] else {
        panic!()
    };
    assert_eq!(
        row.targets.len(),
        2,
        "the listing shows the pool's instances"
    );
    p.apply(&Request::Deregister {
        lb: now.clone(),
        targets: vms[..1].to_vec(),
    })
    .await
    .unwrap();
    let Resource::LoadBalancer(now) = p.describe(&lb.r#ref).await.unwrap().resource else {
        panic!()
    };
    assert_eq!(
        now.targets
            .iter()
            .map(|t| t.instance.clone())
            .collect::<Vec<_>>(),
        vec![vms[1].r#ref.clone()]
    );
    assert!(act(&p, Request::DeleteLoadBalancer { lb: now })
        .await
        .is_none());
    assert!(
        stub.with(|w| w.projects["proj"].pools.is_empty() && w.projects["proj"].rules.is_empty()),
        "the rule and its pool are gone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_resumes_a_suspended_instance() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, true);
    for v in w.projects.get_mut("proj").unwrap().instances.values_mut() {
        v["status"] = serde_json::json!("SUSPENDED");
    }
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let v = vm(&p, "gcp:gcp-proj:us-central1-a:instance:vm-00000").await;
    assert_eq!(
        (v.state, v.provider_state.as_str()),
        (InstanceState::Stopped, "SUSPENDED")
    );
    let last = act(
        &p,
        Request::Instance {
            target: v,
            action: InstanceAction::Start,
        },
    )
    .await;
    assert!(
        matches!(last, Some(Resource::Instance(ref i)) if i.state == InstanceState::Running),
        "{last:?}"
    );
    assert_eq!(
        stub.with(|w| w.count("POST", "/instances/vm-00000/resume")),
        1
    );
    assert_eq!(
        stub.with(|w| w.count("POST", "/instances/vm-00000/start")),
        0
    );
}
