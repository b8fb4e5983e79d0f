//! The network contract: every provider lists its networks with their subnets, security groups
//! (GCP: firewall rules per network; Azure: NSGs) and which network each instance is in; makes a
//! network with one subnet, tagged as nephos's; adds and removes an ingress rule, which the
//! world-open finding sees come and go; deletes the network it made and refuses one it did not.
//! Run on the sandbox's three accounts, AWS on moto, and the GCP and Azure stubs.

use nephos::domain::network::{world_open, NetKind, NetRef, NetworkSet, PortRange};
use nephos::domain::ResourceKind;
use nephos::ops::{self, Request, WaitFor};
use nephos::providers::{ErrorKind, IngressRule, NetApplied, NetworkRequest, ProviderError};

use super::Subject;

/// Every network row of the account, through every scope its instances are listed in.
pub async fn listed(s: &Subject) -> NetworkSet {
    let scopes = s
        .provider
        .list_scopes(ResourceKind::Instance)
        .await
        .expect("list scopes");
    let mut set = NetworkSet::default();
    for scope in &scopes {
        let part = s
            .provider
            .list_networks(scope)
            .await
            .unwrap_or_else(|e| panic!("list networks in {scope}: {e}"));
        set.extend(part);
    }
    set
}

/// Apply through the one action path (`apply` with `Request::Network`, which each provider
/// forwards to `apply_network`) and follow the operation to its end, as `--wait` does.
async fn apply(s: &Subject, req: &NetworkRequest) -> Result<NetApplied, ProviderError> {
    let applied = s.provider.apply(&Request::Network(req.clone())).await?;
    let want = Request::Network(req.clone()).wait_for();
    assert_eq!(want, Some(WaitFor::Operation));
    let gone = ops::wait::until(
        s.provider.as_ref(),
        &applied.target,
        WaitFor::Operation,
        applied.operation.as_ref(),
        s.timeout,
    )
    .await?;
    assert!(gone.is_none(), "a network change has no listed resource");
    let target = applied
        .target
        .network()
        .unwrap_or_else(|| panic!("{} answered with {}", req.describe(), applied.target))
        .clone();
    Ok(NetApplied {
        target,
        operation: applied.operation,
    })
}

fn ssh_from_world() -> IngressRule {
    IngressRule {
        protocol: "tcp".into(),
        ports: PortRange::one(22),
        source: "0.0.0.0/0".into(),
    }
}

/// Run every network check against `s`. `seeded_open` says whether the subject's estate holds
/// a rule open to the world on a sensitive port (the sandbox and the stubs do).
pub async fn run(s: &Subject, seeded_open: bool) {
    let who = s.provider.account().name.to_string();
    let before = listed(s).await;
    rows_say_whose_they_are_and_link_up(s, &before);
    if seeded_open {
        assert!(
            !world_open(&before.groups).is_empty(),
            "{who}: the seeded world-open rule is found"
        );
    }

    // Bad input is refused before any call.
    let bad = NetworkRequest::CreateNetwork {
        account: who.clone(),
        name: "Not_A_Name".into(),
        region: s.region.clone(),
        cidr: "10.77.0.0/16".into(),
        subnet_cidr: "10.77.1.0/24".into(),
    };
    let e = s.provider.apply_network(&bad).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid, "{who}: {e}");

    // A network nephos did not make is not deleted.
    if let Some(theirs) = before.networks.iter().find(|n| !n.made_by_nephos) {
        let e = apply(
            s,
            &NetworkRequest::DeleteNetwork {
                network: theirs.r#ref.clone(),
            },
        )
        .await
        .unwrap_err();
        assert!(
            e.message.contains("not made by nephos"),
            "{who}: deleting {} was not refused as foreign: {e}",
            theirs.r#ref
        );
        assert!(listed(s).await.network(&theirs.r#ref).is_some());
    }

    // Create: listed, tagged as nephos's, with its one subnet in the region.
    let create = NetworkRequest::CreateNetwork {
        account: who.clone(),
        name: "conformance-net".into(),
        region: s.region.clone(),
        cidr: "10.77.0.0/16".into(),
        subnet_cidr: "10.77.1.0/24".into(),
    };
    let made = apply(s, &create).await.expect("create network").target;
    assert_eq!(made.kind, NetKind::Network);
    let after = listed(s).await;
    let net = after
        .network(&made)
        .unwrap_or_else(|| panic!("{who}: {made} is not listed after create"));
    assert!(
        net.made_by_nephos,
        "{who}: {made} is tagged created-by=nephos"
    );
    assert_eq!(net.name, "conformance-net");
    let subnets: Vec<_> = after.subnets_of(&made).collect();
    assert_eq!(subnets.len(), 1, "{who}: one subnet in {made}: {subnets:?}");
    assert_eq!(subnets[0].cidr, "10.77.1.0/24");
    assert_eq!(subnets[0].r#ref.region, s.region.as_str());

    // A rule: the group of the new network where the cloud makes one, else one in the region.
    let group = after
        .groups
        .iter()
        .find(|g| g.network.as_ref() == Some(&made))
        .or_else(|| {
            after
                .groups
                .iter()
                .find(|g| g.r#ref.region == s.region.as_str())
        })
        .unwrap_or_else(|| panic!("{who}: no security group to add a rule to"))
        .clone();
    rules_are_added_and_removed(s, &group.r#ref).await;

    // Delete: gone, and a second delete is not found.
    let delete = NetworkRequest::DeleteNetwork {
        network: made.clone(),
    };
    apply(s, &delete).await.expect("delete network");
    let gone = listed(s).await;
    assert!(gone.network(&made).is_none(), "{who}: {made} still listed");
    assert_eq!(
        gone.subnets_of(&made).count(),
        0,
        "{who}: its subnets go too"
    );
    let e = apply(s, &delete).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "{who}: {e}");
    eprintln!("conformance (networks): {who} passed");
}

fn rows_say_whose_they_are_and_link_up(s: &Subject, set: &NetworkSet) {
    let a = s.provider.account();
    assert!(!set.networks.is_empty(), "{}: no networks listed", a.name);
    let mine = |r: &NetRef, kind: NetKind| {
        assert_eq!(
            (r.provider, r.account.as_str(), r.kind),
            (a.provider, a.name.as_str(), kind),
            "{r} says whose it is"
        );
    };
    for n in &set.networks {
        mine(&n.r#ref, NetKind::Network);
    }
    for sub in &set.subnets {
        mine(&sub.r#ref, NetKind::Subnet);
        assert!(
            set.network(&sub.network).is_some(),
            "{}: subnet {} points at {}, which is not listed",
            a.name,
            sub.r#ref,
            sub.network
        );
    }
    for g in &set.groups {
        mine(&g.r#ref, NetKind::SecurityGroup);
    }
    for l in &set.links {
        assert!(
            set.network(&l.network).is_some(),
            "{}: {} is linked to {}, which is not listed",
            a.name,
            l.instance,
            l.network
        );
        assert_eq!(l.instance.kind, ResourceKind::Instance);
    }
}

async fn rules_are_added_and_removed(s: &Subject, group: &NetRef) {
    let who = s.provider.account().name.to_string();
    let opens_ssh = |set: &NetworkSet| {
        world_open(&set.groups)
            .iter()
            .any(|f| &f.group == group && f.port == 22)
    };
    let rule = ssh_from_world();
    let add = NetworkRequest::AddIngressRule {
        group: group.clone(),
        rule: rule.clone(),
    };
    assert!(!add.dangerous());
    apply(s, &add).await.expect("add ingress rule");
    let now = listed(s).await;
    let g = now
        .group(group)
        .unwrap_or_else(|| panic!("{who}: {group} not listed after adding a rule"));
    assert!(
        g.rules.iter().any(|r| r.ports == Some(rule.ports)
            && r.protocol == "tcp"
            && r.sources.iter().any(|x| x == "0.0.0.0/0")),
        "{who}: the new rule is listed: {:?}",
        g.rules
    );
    assert!(opens_ssh(&now), "{who}: SSH open to the world is a finding");

    let remove = NetworkRequest::RemoveIngressRule {
        group: group.clone(),
        rule: rule.clone(),
    };
    assert!(remove.dangerous());
    apply(s, &remove).await.expect("remove ingress rule");
    let after = listed(s).await;
    assert!(!opens_ssh(&after), "{who}: the finding goes with the rule");
    let e = apply(s, &remove).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "{who}: removing it again: {e}");

    // A bad source is refused before any call.
    let bad = NetworkRequest::AddIngressRule {
        group: group.clone(),
        rule: IngressRule {
            source: "everywhere".into(),
            ..rule
        },
    };
    let e = s.provider.apply_network(&bad).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid, "{who}: {e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sandbox_account_passes_the_network_contract() {
    let dir = tempfile::tempdir().unwrap();
    let subjects = super::sandbox::subjects(dir.path());
    assert_eq!(subjects.len(), 3);
    for s in &subjects {
        run(s, true).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_links_instances_to_their_networks() {
    let dir = tempfile::tempdir().unwrap();
    for s in super::sandbox::subjects(dir.path()) {
        let set = listed(&s).await;
        assert!(!set.links.is_empty(), "{}", s.provider.account().name);
        for l in &set.links {
            assert!(l.subnet.is_some(), "{} has a subnet", l.instance);
            assert!(!l.groups.is_empty(), "{} has a group", l.instance);
        }
    }
}

#[cfg(feature = "aws")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_on_moto_passes_the_network_contract() {
    use std::sync::Arc;
    let moto = crate::aws::moto::Moto::start();
    let s = Subject {
        provider: Arc::new(moto.provider(&["us-east-1"])),
        read_only: Arc::new(moto.read_only_provider(&["us-east-1"])),
        region: "us-east-1".into(),
        zone: "us-east-1b".into(),
        instance_type: "t3.small".into(),
        timeout: std::time::Duration::from_secs(30),
        gaps: &[],
    };
    run(&s, false).await;
}

#[cfg(feature = "gcp")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gcp_on_the_compute_stub_passes_the_network_contract() {
    use crate::gcp::stub::{networks, Stub, World};
    use std::sync::Arc;
    let mut w = World::new();
    w.seed(
        "conformance",
        &["us-central1-a", "europe-west1-b"],
        4,
        false,
    );
    networks::seed(&mut w, "conformance", &["us-central1", "europe-west1"]);
    let stub = Stub::start(w);
    let provider = |read_only| {
        Arc::new(stub.provider_with(
            "gcp-conformance",
            &["us-central1"],
            read_only,
            stub.settings("conformance"),
        ))
    };
    let s = Subject {
        provider: provider(false),
        read_only: provider(true),
        region: "us-central1".into(),
        zone: "us-central1-a".into(),
        instance_type: "e2-small".into(),
        timeout: std::time::Duration::from_secs(20),
        gaps: &[],
    };
    run(&s, true).await;
    // Instances in the configured region are linked to the default network they name.
    let set = listed(&s).await;
    assert!(!set.links.is_empty());
    assert!(set.links.iter().all(|l| l.network.id == "default"));
}

#[cfg(feature = "azure")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_on_the_arm_stub_passes_the_network_contract() {
    use crate::azure::stub::{networks, ArmStub, SUB};
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, "rg-Seed", 4, &["westeurope", "eastus"]);
        networks::seed(w, SUB, "rg-Seed");
        w.page_size = 2;
    });
    let s = super::azure::subject(&stub);
    run(&s, true).await;
    // The VMs of the configured location are linked to the VNet their NICs sit in.
    let set = listed(&s).await;
    assert_eq!(set.links.len(), 2, "{:?}", set.links);
    assert!(set
        .links
        .iter()
        .all(|l| l.network.short_name() == "vnet-Hub"));
}
