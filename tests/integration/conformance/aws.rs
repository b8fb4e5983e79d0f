//! The AWS adapter passes the provider contract against moto_server, through the real SDK.

use std::sync::Arc;
use std::time::Duration;

use super::{suite, Gap, Subject};
use crate::aws::moto::Moto;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_on_moto_passes_the_provider_contract() {
    let moto = Moto::start();
    let s = Subject {
        provider: Arc::new(moto.provider(&["us-east-1"])),
        read_only: Arc::new(moto.read_only_provider(&["us-east-1"])),
        region: "us-east-1".into(),
        zone: "us-east-1b".into(),
        instance_type: "t3.small".into(),
        timeout: Duration::from_secs(30),
        gaps: &[Gap::StartsTerminated, Gap::RebootsStopped],
    };
    suite::run(&s).await;
}
