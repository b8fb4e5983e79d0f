//! Reading: aggregated lists over several pages and regions, the configured regions kept,
//! machine types looked up once, describe with the API's payload.

use nephos::domain::{DiskState, InstanceState, Resource, ResourceKind, ResourceRef};
use nephos::providers::{CloudProvider, ErrorKind};

use super::stub::{Stub, World};
use super::{instances, listed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_are_listed_across_regions_and_pages_with_their_sizes() {
    let mut w = World::new();
    w.seed(
        "proj-a",
        &[
            "us-central1-a",
            "us-central1-b",
            "europe-west1-b",
            "asia-east1-a",
            "us-central1-c",
        ],
        23,
        true,
    );
    let stub = Stub::start(w);
    let mut s = stub.settings("proj-a");
    s.page_size = 5;
    let p = stub.provider_with("gcp-a", &["us-central1", "europe-west1"], false, s);
    let vms = instances(&p).await;
    // 23 instances round-robin over 5 zones: asia-east1-a holds 4 of them, left out.
    assert_eq!(
        vms.len(),
        19,
        "{:?}",
        vms.iter().map(|v| v.r#ref.to_string()).collect::<Vec<_>>()
    );
    assert!(vms.iter().all(|v| v.region() != "asia-east1"));
    let pages = stub.with(|w| w.count("GET", "/aggregated/instances"));
    assert_eq!(pages, 5, "23 instances at 5 a page is 5 pages");
    let v = vms.iter().find(|v| v.name == "vm-00002").unwrap();
    assert_eq!(
        v.r#ref.to_string(),
        "gcp:gcp-a:europe-west1-b:instance:vm-00002"
    );
    assert_eq!(v.zone.as_deref(), Some("europe-west1-b"));
    assert_eq!(
        (v.instance_type.as_str(), v.vcpus, v.memory_gib),
        ("n2-standard-4", Some(4), Some(16.0))
    );
    assert!(
        v.uid.as_deref().unwrap().len() >= 19,
        "the numeric id is the uid: {:?}",
        v.uid
    );
    assert!(v.private_ip.as_deref().unwrap().starts_with("10."));
    assert!(v.public_ip.as_deref().unwrap().starts_with("34."));
    assert_eq!(v.tags.get("env"), Some("prod"));
    assert!(v.launched_at.is_some());
    let custom = vms
        .iter()
        .find(|v| v.instance_type == "custom-4-8192")
        .unwrap();
    assert_eq!((custom.vcpus, custom.memory_gib), (Some(4), Some(8.0)));
    let stopped = vms.iter().find(|v| v.name == "vm-00004").unwrap();
    assert_eq!(
        (stopped.state, stopped.provider_state.as_str()),
        (InstanceState::Stopped, "TERMINATED")
    );
    assert!(vms.iter().find(|v| v.name == "vm-00010").unwrap().spot);
    assert!(!vms.iter().find(|v| v.name == "vm-00011").unwrap().spot);
    // Three named machine types, each looked up once; custom ones need none.
    assert_eq!(stub.with(|w| w.count("GET", "/machineTypes/")), 3);
    instances(&p).await;
    assert_eq!(stub.with(|w| w.count("GET", "/machineTypes/")), 3, "cached");

    // Disks: attached to their instance, with the instance's device name.
    let disks: Vec<_> = listed(&p, ResourceKind::Disk).await;
    assert_eq!(disks.len(), 19);
    let Resource::Disk(d) = disks.iter().find(|d| d.name() == "vm-00001").unwrap() else {
        panic!()
    };
    assert_eq!(d.state, DiskState::InUse);
    assert_eq!(
        d.attached_to.as_ref().unwrap().to_string(),
        "gcp:gcp-a:us-central1-b:instance:vm-00001"
    );
    assert_eq!(d.device.as_deref(), Some("persistent-disk-0"));
    assert_eq!((d.size_gib, d.disk_type.as_str()), (10, "pd-balanced"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describe_by_zone_and_name_brings_the_raw_payload() {
    let mut w = World::new();
    w.seed("proj-a", &["us-central1-a"], 2, true);
    let stub = Stub::start(w);
    let p = stub.provider("proj-a", &[]);
    let r: ResourceRef = "gcp:gcp-proj-a:us-central1-a:instance:vm-00001"
        .parse()
        .unwrap();
    let d = p.describe(&r).await.unwrap();
    assert_eq!(d.resource.resource_ref(), &r);
    assert_eq!(d.raw["name"], "vm-00001");
    assert_eq!(d.raw["status"], "RUNNING");
    assert!(d.raw["machineType"]
        .as_str()
        .unwrap()
        .ends_with("/machineTypes/e2-medium"));
    let disk: ResourceRef = "gcp:gcp-proj-a:us-central1-a:disk:vm-00000"
        .parse()
        .unwrap();
    let Resource::Disk(dd) = p.describe(&disk).await.unwrap().resource else {
        panic!()
    };
    assert_eq!(
        dd.device.as_deref(),
        Some("persistent-disk-0"),
        "the device name is read from the instance"
    );
    let missing: ResourceRef = "gcp:gcp-proj-a:us-central1-a:instance:nope"
        .parse()
        .unwrap();
    let e = p.describe(&missing).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::NotFound, Some("notFound"))
    );
    assert!(
        e.message
            .contains("projects/proj-a/zones/us-central1-a/instances/nope"),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_zone_in_the_configured_regions_is_the_listings_error() {
    let mut w = World::new();
    w.seed("proj-a", &["us-central1-a", "europe-west1-b"], 4, false);
    w.unreachables = vec!["zones/asia-east1-a".into()];
    let stub = Stub::start(w);
    // Outside the configured regions: ignored.
    let p = stub.provider("proj-a", &["us-central1", "europe-west1"]);
    assert_eq!(instances(&p).await.len(), 4);
    // Inside: the scope's error, saying which.
    let all = stub.provider("proj-a", &[]);
    let scope = all
        .list_scopes(ResourceKind::Instance)
        .await
        .unwrap()
        .remove(0);
    let e = all.list(&scope, ResourceKind::Instance).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Unavailable, Some("unreachable"))
    );
    assert!(e.message.contains("zones/asia-east1-a"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_the_credentials_cannot_read_fails_beside_one_that_works() {
    let mut w = World::new();
    w.seed("open", &["us-central1-a"], 3, false);
    w.seed("locked", &["us-central1-a"], 3, false);
    w.forbidden.insert("locked".into());
    let stub = Stub::start(w);
    let open = stub.provider("open", &[]);
    let locked = stub.provider("locked", &[]);
    let scope = locked
        .list_scopes(ResourceKind::Instance)
        .await
        .unwrap()
        .remove(0);
    let (a, b) = tokio::join!(
        instances(&open),
        locked.list(&scope, ResourceKind::Instance)
    );
    assert_eq!(a.len(), 3);
    let e = b.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Auth, Some("forbidden"))
    );
    assert!(
        e.message.contains("compute.instances.list"),
        "GCP's message kept: {e}"
    );
    assert!(
        e.hint.as_deref().unwrap().contains("roles/compute.viewer"),
        "{e:?}"
    );
    // A 403 forbidden is not retried.
    assert_eq!(
        stub.with(|w| w.count("GET", "projects/locked/aggregated/instances")),
        1
    );
}
