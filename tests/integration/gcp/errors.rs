//! GCP's errors in the core's kinds, throttling backed off, credentials failing at once.

use std::time::{Duration, Instant};

use nephos::domain::{InstanceState, ResourceKind, ResourceRef, Tags};
use nephos::providers::{CloudProvider, ErrorKind, InstanceAction, InstanceSpec, Request};

use super::instances;
use super::stub::{Fault, Stub, World};

fn fault(
    method: Option<&'static str>,
    path: &str,
    status: u16,
    reason: &'static str,
    times: u32,
) -> Fault {
    Fault {
        method,
        path: path.into(),
        status,
        reason,
        times,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_and_server_errors_are_backed_off_and_retried() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 3, false);
    w.faults = vec![
        fault(
            Some("GET"),
            "/aggregated/instances",
            403,
            "rateLimitExceeded",
            1,
        ),
        fault(
            Some("GET"),
            "/aggregated/instances",
            429,
            "rateLimitExceeded",
            1,
        ),
        fault(Some("GET"), "/aggregated/instances", 503, "backendError", 1),
    ];
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    assert_eq!(instances(&p).await.len(), 3);
    assert_eq!(
        stub.with(|w| w.count("GET", "/aggregated/instances")),
        4,
        "three refusals, then the answer"
    );
    // A throttled change is retried too (it was not carried out).
    stub.with(|w| {
        w.faults
            .push(fault(Some("POST"), "/stop", 429, "rateLimitExceeded", 1))
    });
    let v = instances(&p).await.remove(0);
    p.apply(&Request::Instance {
        target: v,
        action: InstanceAction::Stop,
    })
    .await
    .unwrap();
    assert_eq!(stub.with(|w| w.count("POST", "/stop")), 2);
    // Throttled for longer than the retry policy allows: the kind says so.
    stub.with(|w| {
        w.faults.push(fault(
            Some("GET"),
            "/aggregated/instances",
            403,
            "rateLimitExceeded",
            50,
        ))
    });
    let scope = p
        .list_scopes(ResourceKind::Instance)
        .await
        .unwrap()
        .remove(0);
    let e = p.list(&scope, ResourceKind::Instance).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Throttled, Some("rateLimitExceeded"))
    );
    assert_eq!(
        stub.with(|w| w.count("GET", "/aggregated/instances")),
        4 + 1 + 5,
        "five attempts in all"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn computes_refusals_map_to_the_cores_kinds_with_their_words() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, false);
    w.faults = vec![fault(
        Some("POST"),
        "/zones/us-central1-a/instances",
        403,
        "QUOTA_EXCEEDED",
        1,
    )];
    let stub = Stub::start(w);
    let p = stub.provider("proj", &[]);
    let spec = InstanceSpec {
        region: "us-central1".into(),
        zone: Some("us-central1-a".into()),
        instance_type: "e2-small".into(),
        name: "x".into(),
        image: None,
        disk_gib: None,
        spot: false,
        tags: Tags::new(),
        options: Default::default(),
    };
    let e = p
        .apply(&Request::CreateInstance {
            account: "gcp-proj".into(),
            spec: spec.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::QuotaExceeded, Some("QUOTA_EXCEEDED"))
    );
    let bad = InstanceSpec {
        instance_type: "z9-huge".into(),
        ..spec
    };
    let e = p
        .apply(&Request::CreateInstance {
            account: "gcp-proj".into(),
            spec: bad,
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(
        e.message
            .contains("Machine type with name 'z9-huge' does not exist"),
        "{e}"
    );
    // Reset of a stopped VM: resourceNotReady, an invalid state.
    let v = instances(&p).await.remove(0);
    let stopped = p
        .apply(&Request::Instance {
            target: v.clone(),
            action: InstanceAction::Stop,
        })
        .await
        .unwrap();
    nephos::ops::wait::until(
        &p,
        &v.r#ref.clone().into(),
        nephos::providers::WaitFor::Instance(InstanceState::Stopped),
        stopped.operation.as_ref(),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    let e = p
        .apply(&Request::Instance {
            target: v,
            action: InstanceAction::Reboot,
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::InvalidState, Some("resourceNotReady"))
    );
    assert!(e.message.contains("is not ready"));
    let r: ResourceRef = "gcp:gcp-proj:us-central1:load-balancer:none"
        .parse()
        .unwrap();
    let e = p.describe(&r).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::NotFound, Some("notFound"))
    );
    // An instance ref without a zone says how a GCP ref looks.
    let r: ResourceRef = "gcp:gcp-proj:us-central1:instance:vm-00000"
        .parse()
        .unwrap();
    let e = p.describe(&r).await.unwrap_err();
    assert!(e.message.contains("gcp:ACCOUNT:ZONE:instance:NAME"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_credentials_file_is_the_accounts_error_at_once_with_the_fix() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, false);
    let stub = Stub::start(w);
    let mut s = stub.settings("proj");
    s.credentials_file = Some("/nonexistent/nephos-test/key.json".into());
    let p = stub.provider_with("gcp-proj", &[], false, s);
    let started = Instant::now();
    let scope = p
        .list_scopes(ResourceKind::Instance)
        .await
        .unwrap()
        .remove(0);
    let e = p.list(&scope, ResourceKind::Instance).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "no minute of retries"
    );
    assert_eq!(e.kind, ErrorKind::Auth);
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("gcloud auth application-default login"),
        "{e:?}"
    );
    assert!(
        e.message.contains("/nonexistent/nephos-test/key.json"),
        "{e}"
    );
    assert_eq!(stub.with(|w| w.requests.len()), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_user_login_fails_at_once_with_the_fix_and_no_secret() {
    // An authorized_user file whose refresh token the token endpoint refuses (invalid_grant),
    // the endpoint being the stub itself: answered 400 at once.
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 1, false);
    let stub = Stub::start(w);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("adc.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "type": "authorized_user",
            "client_id": "test-client.apps.googleusercontent.com",
            "client_secret": "SECRET-CLIENT-VALUE",
            "refresh_token": "SECRET-REFRESH-VALUE",
            "token_uri": format!("{}/token", stub.url),
        })
        .to_string(),
    )
    .unwrap();
    let mut s = stub.settings("proj");
    s.credentials_file = Some(file);
    let p = stub.provider_with("gcp-proj", &[], false, s);
    let started = Instant::now();
    let scope = p
        .list_scopes(ResourceKind::Instance)
        .await
        .unwrap()
        .remove(0);
    let e = p.list(&scope, ResourceKind::Instance).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(e.kind, ErrorKind::Auth, "{e:?}");
    assert!(e
        .hint
        .as_deref()
        .unwrap()
        .contains("gcloud auth application-default login"));
    let all = format!("{e:?} {}", e.explain());
    assert!(
        !all.contains("SECRET-"),
        "no credential in the error: {all}"
    );
    assert_eq!(
        stub.with(|w| w.count("GET", "/compute/")),
        0,
        "no Compute call went out"
    );
}
