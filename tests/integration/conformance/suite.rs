//! The contract itself. Every check goes through the public interface only: `list`, `describe`,
//! `apply`, `operation_status`, `ops::wait` and `ops::check`, as the CLI and the console do.

use nephos::domain::{
    DiskState, InstanceState, LbScheme, LbState, Op, Resource, ResourceKind, ResourceRef, Tags,
};
use nephos::ops::{self, policy, Refusal};
use nephos::providers::{
    Applied, DiskSpec, ErrorKind, InstanceAction, InstanceSpec, LbSpec, OperationStatus, Request,
    Resources, WaitFor,
};

use super::{Gap, Subject};

/// Run every check against `s`, in an order that builds what the next check needs.
pub async fn run(s: &Subject) {
    let who = s.provider.account().name.to_string();
    lists_every_kind(s).await;
    not_found_is_not_found(s).await;
    let vm = instance_is_created_and_followed(s).await;
    described_by_ref_alone(s, &vm.r#ref).await;
    tags_are_set_and_removed(s, &vm).await;
    stop_start_reboot(s, &vm).await;
    disks_attach_detach_delete(s, &vm).await;
    if s.provider.capabilities().supports(Op::CreateLoadBalancer) {
        load_balancer_register_deregister_delete(s, &vm).await;
    }
    read_only_refuses_every_change(s, &vm).await;
    terminated_is_gone(s, &vm).await;
    eprintln!("conformance: {who} passed");
}

/// Whether the subject's stand-in is known not to do what the cloud does here; says so.
fn skipped(s: &Subject, gap: Gap, check: &str) -> bool {
    let skip = s.gaps.contains(&gap);
    if skip {
        eprintln!("conformance: {}: skipped '{check}' ({gap:?})", account(s));
    }
    skip
}

fn account(s: &Subject) -> String {
    s.provider.account().name.to_string()
}

async fn describe(s: &Subject, r: &ResourceRef) -> Resource {
    s.provider
        .describe(r)
        .await
        .unwrap_or_else(|e| panic!("describe {r}: {e}"))
        .resource
}

async fn instance(s: &Subject, r: &ResourceRef) -> nephos::domain::Instance {
    match describe(s, r).await {
        Resource::Instance(i) => i,
        other => panic!("{r} described as {other:?}"),
    }
}

async fn disk(s: &Subject, r: &ResourceRef) -> nephos::domain::Disk {
    match describe(s, r).await {
        Resource::Disk(d) => d,
        other => panic!("{r} described as {other:?}"),
    }
}

async fn lb(s: &Subject, r: &ResourceRef) -> nephos::domain::LoadBalancer {
    match describe(s, r).await {
        Resource::LoadBalancer(l) => l,
        other => panic!("{r} described as {other:?}"),
    }
}

/// Every listed row of `kind`, through every list scope the provider names for it.
async fn listed(s: &Subject, kind: ResourceKind) -> Vec<Resource> {
    let scopes = s
        .provider
        .list_scopes(kind)
        .await
        .unwrap_or_else(|e| panic!("list scopes of {kind}: {e}"));
    assert!(!scopes.is_empty(), "{kind} is listed somewhere");
    let mut out = Vec::new();
    for scope in &scopes {
        let rows = s
            .provider
            .list(scope, kind)
            .await
            .unwrap_or_else(|e| panic!("list {kind} in {scope}: {e}"));
        match rows {
            Resources::Instances(v) => out.extend(v.into_iter().map(Resource::Instance)),
            Resources::Disks(v) => out.extend(v.into_iter().map(Resource::Disk)),
            Resources::LoadBalancers(v) => out.extend(v.into_iter().map(Resource::LoadBalancer)),
            Resources::Networks(v) => out.extend(v.into_iter().map(Resource::Network)),
        }
    }
    out
}

async fn listed_ref(s: &Subject, r: &ResourceRef) -> Option<Resource> {
    listed(s, r.kind)
        .await
        .into_iter()
        .find(|x| x.resource_ref() == r)
}

/// Apply `req` as `ops::execute` would, then follow it to the state it leads to.
async fn apply_and_wait(s: &Subject, req: &Request) -> (Applied, Option<Resource>) {
    let applied = s
        .provider
        .apply(req)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", req.describe()));
    let last = match req.wait_for() {
        Some(want) => ops::wait::until(
            s.provider.as_ref(),
            &applied.target,
            want,
            applied.operation.as_ref(),
            s.timeout,
        )
        .await
        .unwrap_or_else(|e| panic!("waiting after {}: {e}", req.describe())),
        None => applied.resource.clone(),
    };
    (applied, last)
}

async fn lists_every_kind(s: &Subject) {
    let configured = &s.provider.account().regions;
    // Networks have their own contract (conformance/networks.rs).
    for kind in ResourceKind::DESCRIBED {
        for row in listed(s, kind).await {
            let r = row.resource_ref();
            assert_eq!(
                (r.provider, r.account.as_str(), r.kind),
                (s.provider.account().provider, account(s).as_str(), kind),
                "a listed row says whose it is"
            );
            assert!(
                configured.is_empty() || configured.iter().any(|c| c == r.region.as_str()),
                "{r} lies outside the configured regions {configured:?}"
            );
        }
    }
}

async fn not_found_is_not_found(s: &Subject) {
    let p = s.provider.account().provider;
    let missing = match p {
        nephos::domain::ProviderKind::Aws => "i-0123456789abcdef0".to_string(),
        nephos::domain::ProviderKind::Gcp => "no-such-instance".to_string(),
        nephos::domain::ProviderKind::Azure => format!(
            "/subscriptions/{}/resourceGroups/rg-none/providers/Microsoft.Compute/virtualMachines/none",
            s.provider.account().native_id
        ),
    };
    let mut r = ResourceRef::new(p, &account(s), &s.region, ResourceKind::Instance, &missing);
    if p == nephos::domain::ProviderKind::Gcp {
        r = r.in_zone(&s.zone);
    }
    let e = s.provider.describe(&r).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "{r}: {e}");
    assert!(e.code.is_some(), "the provider's own code is kept: {e}");
}

async fn instance_is_created_and_followed(s: &Subject) -> nephos::domain::Instance {
    let req = Request::CreateInstance {
        account: account(s),
        spec: InstanceSpec {
            region: s.region.clone(),
            zone: Some(s.zone.clone()),
            instance_type: s.instance_type.clone(),
            name: "conformance-1".into(),
            image: None,
            disk_gib: None,
            spot: false,
            tags: [("suite", "conformance")].into_iter().collect(),
            options: Default::default(),
        },
    };
    let applied = s.provider.apply(&req).await.expect("create instance");
    assert_eq!(
        applied.target.resource().map(|r| r.kind),
        Some(ResourceKind::Instance)
    );
    if let Some(op) = &applied.operation {
        // Not done at first: it reports where it stands, then ends.
        match s.provider.operation_status(op).await.expect("operation") {
            OperationStatus::Running(p) => assert!(p.percent.is_none_or(|p| p <= 100)),
            OperationStatus::Done => {}
            OperationStatus::Failed(e) => panic!("create failed: {e}"),
        }
    }
    let last = ops::wait::until(
        s.provider.as_ref(),
        &applied.target,
        WaitFor::Instance(InstanceState::Running),
        applied.operation.as_ref(),
        s.timeout,
    )
    .await
    .expect("the new instance runs");
    let Some(Resource::Instance(vm)) = last else {
        panic!("no instance after create")
    };
    assert_eq!(vm.name, "conformance-1");
    assert_eq!(vm.tags.get("suite"), Some("conformance"));
    assert_eq!(vm.zone.as_deref(), Some(s.zone.as_str()));
    // The listing shows it too.
    assert!(
        listed_ref(s, &vm.r#ref).await.is_some(),
        "{} is listed",
        vm.r#ref
    );
    vm
}

async fn described_by_ref_alone(s: &Subject, r: &ResourceRef) {
    // The printed ref, parsed back, is all `describe` needs.
    let printed = r.to_string();
    let parsed: ResourceRef = printed.parse().expect("a printed ref parses");
    assert_eq!(&parsed, r);
    let d = s.provider.describe(&parsed).await.expect("describe by ref");
    assert_eq!(d.resource.resource_ref(), r);
    assert!(!d.raw.is_null(), "the provider's own payload comes with it");
}

async fn tags_are_set_and_removed(s: &Subject, vm: &nephos::domain::Instance) {
    let set: Tags = [("owner", "conformance"), ("team", "core")]
        .into_iter()
        .collect();
    let req = Request::Tag {
        target: Resource::Instance(vm.clone()),
        set,
        remove: vec![],
    };
    let applied = s.provider.apply(&req).await.expect("tag");
    assert_eq!(&applied.target, &vm.r#ref);
    let req = Request::Tag {
        target: Resource::Instance(instance(s, &vm.r#ref).await),
        set: Tags::new(),
        remove: vec!["team".into()],
    };
    s.provider.apply(&req).await.expect("untag");
    let now = instance(s, &vm.r#ref).await;
    assert_eq!(now.tags.get("owner"), Some("conformance"));
    assert_eq!(now.tags.get("team"), None);
    assert_eq!(now.tags.get("suite"), Some("conformance"), "others kept");
}

async fn stop_start_reboot(s: &Subject, vm: &nephos::domain::Instance) {
    for (action, want) in [
        (InstanceAction::Stop, InstanceState::Stopped),
        (InstanceAction::Start, InstanceState::Running),
        (InstanceAction::Stop, InstanceState::Stopped),
    ] {
        let req = Request::Instance {
            target: instance(s, &vm.r#ref).await,
            action,
        };
        let (applied, last) = apply_and_wait(s, &req).await;
        assert_eq!(&applied.target, &vm.r#ref);
        let Some(Resource::Instance(i)) = last else {
            panic!("{action:?} left no instance")
        };
        assert_eq!(i.state, want, "{action:?}");
        assert!(!i.provider_state.is_empty(), "the provider's word is kept");
        let Some(Resource::Instance(row)) = listed_ref(s, &vm.r#ref).await else {
            panic!("{} not listed after {action:?}", vm.r#ref)
        };
        assert_eq!(row.state, want, "the listing agrees after {action:?}");
    }
    // A stopped instance cannot be rebooted: the provider's refusal, typed.
    if !skipped(
        s,
        Gap::RebootsStopped,
        "a stopped instance cannot be rebooted",
    ) {
        let req = Request::Instance {
            target: instance(s, &vm.r#ref).await,
            action: InstanceAction::Reboot,
        };
        match s.provider.apply(&req).await {
            Err(e) => assert_eq!(e.kind, ErrorKind::InvalidState, "{e}"),
            Ok(_) => panic!("rebooting a stopped instance was accepted"),
        }
        assert_eq!(
            instance(s, &vm.r#ref).await.state,
            InstanceState::Stopped,
            "a refused change changes nothing"
        );
    }
    let req = Request::Instance {
        target: instance(s, &vm.r#ref).await,
        action: InstanceAction::Start,
    };
    apply_and_wait(s, &req).await;
    let req = Request::Instance {
        target: instance(s, &vm.r#ref).await,
        action: InstanceAction::Reboot,
    };
    let (_, last) = apply_and_wait(s, &req).await;
    assert!(matches!(last, Some(Resource::Instance(i)) if i.state == InstanceState::Running));
    if s.provider.capabilities().supports(Op::PowerOff) {
        power_off_is_not_stop(s, vm).await;
    }
}

/// Azure's power-off: stopped, in a word of its own (still allocated and billed), unlike stop's
/// deallocated; start brings it back.
async fn power_off_is_not_stop(s: &Subject, vm: &nephos::domain::Instance) {
    let act = |action| async move {
        let req = Request::Instance {
            target: instance(s, &vm.r#ref).await,
            action,
        };
        match apply_and_wait(s, &req).await.1 {
            Some(Resource::Instance(i)) => i,
            other => panic!("{action:?} left {other:?}"),
        }
    };
    let off = act(InstanceAction::PowerOff).await;
    eprintln!(
        "conformance: {}: powered off as {}",
        account(s),
        off.provider_state
    );
    assert_eq!(off.state, InstanceState::Stopped);
    let Some(Resource::Instance(row)) = listed_ref(s, &vm.r#ref).await else {
        panic!("{} not listed after power-off", vm.r#ref)
    };
    assert_eq!(row.provider_state, off.provider_state, "the listing agrees");
    assert_eq!(
        act(InstanceAction::Start).await.state,
        InstanceState::Running
    );
    let stopped = act(InstanceAction::Stop).await;
    assert_ne!(
        off.provider_state, stopped.provider_state,
        "power-off and stop leave different words (allocated vs deallocated)"
    );
    assert_eq!(
        act(InstanceAction::Start).await.state,
        InstanceState::Running
    );
}

async fn disks_attach_detach_delete(s: &Subject, vm: &nephos::domain::Instance) {
    let req = Request::CreateDisk {
        account: account(s),
        spec: DiskSpec {
            region: s.region.clone(),
            zone: s.zone.clone(),
            name: "conformance-data".into(),
            size_gib: 20,
            disk_type: None,
            tags: Tags::new(),
        },
    };
    let (made, last) = apply_and_wait(s, &req).await;
    let Some(Resource::Disk(d)) = last else {
        panic!("no disk after create")
    };
    assert_eq!((d.state, d.size_gib), (DiskState::Available, 20));
    assert_eq!(&made.target, &d.r#ref);

    let req = Request::AttachDisk {
        disk: d.clone(),
        instance: instance(s, &vm.r#ref).await,
        device: None,
    };
    apply_and_wait(s, &req).await;
    let attached = disk(s, &d.r#ref).await;
    assert_eq!(attached.state, DiskState::InUse);
    // However the provider spells the instance in the disk's answer, it is the same instance.
    assert_eq!(attached.attached_to.as_ref(), Some(&vm.r#ref));
    assert!(attached.device.is_some(), "the device (or LUN) is known");

    let req = Request::DeleteDisk {
        disk: attached.clone(),
    };
    let e = s.provider.apply(&req).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InUse, "deleting an attached disk: {e}");
    assert_eq!(disk(s, &d.r#ref).await.state, DiskState::InUse);

    let req = Request::DetachDisk { disk: attached };
    let (_, last) = apply_and_wait(s, &req).await;
    assert!(matches!(&last, Some(Resource::Disk(d)) if d.attached_to.is_none()));

    let req = Request::DeleteDisk {
        disk: disk(s, &d.r#ref).await,
    };
    let (_, last) = apply_and_wait(s, &req).await;
    assert!(last.is_none(), "the disk is gone: {last:?}");
    let e = s.provider.describe(&d.r#ref).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(listed_ref(s, &d.r#ref).await.is_none());
}

async fn load_balancer_register_deregister_delete(s: &Subject, vm: &nephos::domain::Instance) {
    let caps = s.provider.capabilities();
    let req = Request::CreateLoadBalancer {
        account: account(s),
        spec: LbSpec {
            region: s.region.clone(),
            name: "conformance-lb".into(),
            kind: caps.lb_kinds[0],
            scheme: LbScheme::InternetFacing,
            tags: Tags::new(),
        },
    };
    let (made, last) = apply_and_wait(s, &req).await;
    let Some(Resource::LoadBalancer(l)) = last else {
        panic!("no load balancer after create")
    };
    assert_eq!(l.state, LbState::Active);
    assert_eq!(&made.target, &l.r#ref);

    let req = Request::Register {
        lb: l.clone(),
        targets: vec![instance(s, &vm.r#ref).await],
    };
    apply_and_wait(s, &req).await;
    let now = lb(s, &l.r#ref).await;
    assert!(
        now.targets.iter().any(|t| t.instance == vm.r#ref),
        "the instance is a target: {:?}",
        now.targets
    );

    let req = Request::Deregister {
        lb: now,
        targets: vec![instance(s, &vm.r#ref).await],
    };
    apply_and_wait(s, &req).await;
    let now = lb(s, &l.r#ref).await;
    assert!(
        now.targets
            .iter()
            .filter(|t| t.instance == vm.r#ref)
            .all(|t| t.health == nephos::domain::TargetHealth::Draining),
        "deregistered (or draining): {:?}",
        now.targets
    );

    let req = Request::DeleteLoadBalancer { lb: now };
    let (_, last) = apply_and_wait(s, &req).await;
    assert!(last.is_none());
    assert!(listed_ref(s, &l.r#ref).await.is_none());
}

async fn read_only_refuses_every_change(s: &Subject, vm: &nephos::domain::Instance) {
    let vm = instance(s, &vm.r#ref).await;
    let requests = [
        Request::Instance {
            target: vm.clone(),
            action: InstanceAction::Stop,
        },
        Request::Instance {
            target: vm.clone(),
            action: InstanceAction::Terminate,
        },
        Request::Tag {
            target: Resource::Instance(vm.clone()),
            set: [("x", "y")].into_iter().collect(),
            remove: vec![],
        },
    ];
    for req in &requests {
        let ro = s.read_only.as_ref();
        match policy::check(ro.account(), ro.capabilities(), req) {
            Err(Refusal::ReadOnly { account }) => assert_eq!(account, self::account(s)),
            other => panic!("{} on a read-only account: {other:?}", req.describe()),
        }
    }
    assert_eq!(
        instance(s, &vm.r#ref).await.state,
        vm.state,
        "nothing changed"
    );
}

async fn terminated_is_gone(s: &Subject, vm: &nephos::domain::Instance) {
    let req = Request::Instance {
        target: instance(s, &vm.r#ref).await,
        action: InstanceAction::Terminate,
    };
    let (_, last) = apply_and_wait(s, &req).await;
    // Gone from the provider (GCP, Azure), or listed as terminated for a while (AWS).
    match last {
        None => {
            let e = s.provider.describe(&vm.r#ref).await.unwrap_err();
            assert_eq!(e.kind, ErrorKind::NotFound);
        }
        Some(Resource::Instance(i)) => assert_eq!(i.state, InstanceState::Terminated),
        Some(other) => panic!("{other:?}"),
    }
    if skipped(
        s,
        Gap::StartsTerminated,
        "a terminated instance cannot be started",
    ) {
        return;
    }
    let gone = match s.provider.describe(&vm.r#ref).await {
        Ok(d) => d.resource,
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::NotFound);
            return;
        }
    };
    let Resource::Instance(gone) = gone else {
        panic!()
    };
    let req = Request::Instance {
        target: gone,
        action: InstanceAction::Start,
    };
    let e = s.provider.apply(&req).await.unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::InvalidState | ErrorKind::NotFound),
        "starting a terminated instance: {e}"
    );
}
