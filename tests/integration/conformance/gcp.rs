//! The GCP adapter passes the provider contract against the loopback Compute v1 stub, through
//! the real google-cloud-compute-v1 client. The stub keeps every Operation RUNNING for its
//! first read, so each action is followed through `operation_status` before it is DONE.

use std::sync::Arc;
use std::time::Duration;

use super::{suite, Subject};
use crate::gcp::stub::{Stub, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gcp_on_the_compute_stub_passes_the_provider_contract() {
    let mut w = World::new();
    w.seed("conformance", &["us-central1-a", "europe-west1-b"], 6, true);
    let stub = Stub::start(w);
    let s = Subject {
        provider: Arc::new(stub.provider_with(
            "gcp-conformance",
            &["us-central1"],
            false,
            stub.settings("conformance"),
        )),
        read_only: Arc::new(stub.provider_with(
            "gcp-conformance",
            &["us-central1"],
            true,
            stub.settings("conformance"),
        )),
        region: "us-central1".into(),
        zone: "us-central1-a".into(),
        instance_type: "e2-small".into(),
        timeout: Duration::from_secs(20),
        gaps: &[],
    };
    suite::run(&s).await;
}
