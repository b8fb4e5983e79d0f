//! Changes carry a `requestId`, so a 5xx on a POST is retried with the same id and Compute's
//! dedupe makes it happen once; an insert's image family is resolved with
//! `images.getFromFamily` before the insert.

use std::time::Duration;

use nephos::domain::{InstanceState, ResourceRef, Tags};
use nephos::ops;
use nephos::providers::{CloudProvider, ErrorKind, InstanceSpec, Request, WaitFor};

use super::stub::{Fault, Stub, World};

fn spec(name: &str, image: Option<&str>) -> InstanceSpec {
    InstanceSpec {
        region: "us-central1".into(),
        zone: Some("us-central1-a".into()),
        instance_type: "e2-small".into(),
        name: name.into(),
        image: image.map(str::to_string),
        disk_gib: None,
        spot: false,
        tags: Tags::new(),
        options: Default::default(),
    }
}

fn create(name: &str, image: Option<&str>) -> Request {
    Request::CreateInstance {
        account: "gcp-proj".into(),
        spec: spec(name, image),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_on_an_insert_is_retried_with_its_request_id_and_makes_one_instance() {
    let mut w = World::new();
    w.project("proj");
    // First attempt: refused 503 before anything happens. Second: carried out, its answer
    // lost (503). Third: the same requestId, answered with the first Operation.
    w.faults = vec![Fault {
        method: Some("POST"),
        path: "/zones/us-central1-a/instances".into(),
        status: 503,
        reason: "backendError",
        times: 1,
    }];
    w.lose_answer = Some("/zones/us-central1-a/instances".into());
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let applied = p.apply(&create("web-1", None)).await.expect("retried");
    ops::wait::until(
        &p,
        &applied.target,
        WaitFor::Instance(InstanceState::Running),
        applied.operation.as_ref(),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    stub.with(|w| {
        assert_eq!(w.count("POST", "/zones/us-central1-a/instances"), 3);
        assert_eq!(w.request_ids.len(), 3, "{:?}", w.request_ids);
        assert!(
            w.request_ids.iter().all(|id| id == &w.request_ids[0]),
            "one requestId for every attempt: {:?}",
            w.request_ids
        );
        assert!(uuid_like(&w.request_ids[0]), "a UUID: {}", w.request_ids[0]);
        assert_eq!(w.projects["proj"].instances.len(), 1, "made once");
        assert_eq!(
            w.ops.len(),
            1,
            "the repeat was answered with the first Operation"
        );
    });
    // Another change carries a requestId of its own.
    let started = p.apply(&create("web-2", None)).await.unwrap();
    assert!(started.operation.is_some());
    stub.with(|w| {
        assert_eq!(w.request_ids.len(), 4);
        assert_ne!(w.request_ids[3], w.request_ids[0]);
    });
}

fn uuid_like(s: &str) -> bool {
    let parts: Vec<usize> = s.split('-').map(str::len).collect();
    parts == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_image_is_the_newest_debian_12_resolved_before_the_insert() {
    let mut w = World::new();
    w.project("proj");
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let applied = p.apply(&create("web-1", None)).await.unwrap();
    assert_eq!(
        applied.target.to_string(),
        "gcp:gcp-proj:us-central1-a:instance:web-1"
    );
    let boot: ResourceRef = "gcp:gcp-proj:us-central1-a:disk:web-1".parse().unwrap();
    let raw = p.describe(&boot).await.unwrap().raw;
    assert_eq!(
        raw["sourceImage"],
        "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/debian-12-bookworm-v20261110"
    );
    assert_eq!(
        stub.with(|w| w.count(
            "GET",
            "/projects/debian-cloud/global/images/family/debian-12"
        )),
        1
    );
    // A family that does not exist is refused before any insert is sent.
    let e = p
        .apply(&create("web-2", Some("debian-cloud/debian-99")))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "{e}");
    assert!(e.message.contains("debian-99"), "{e}");
    assert_eq!(
        stub.with(|w| w.count("POST", "/zones/us-central1-a/instances")),
        1
    );
    // An image named outright is sent as given.
    p.apply(&create("web-3", Some("projects/p/global/images/golden")))
        .await
        .unwrap();
    assert_eq!(
        stub.with(|w| w.count("GET", "/images/family/")),
        2,
        "no family lookup for a named image"
    );
}
