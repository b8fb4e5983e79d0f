//! The sandbox's three accounts, each shaped like its cloud, pass the provider contract.

use std::time::Duration;

use nephos::providers::sandbox::{SandboxCloud, SandboxSettings};

use super::{suite, Subject};

pub(super) fn subjects(dir: &std::path::Path) -> Vec<Subject> {
    let cloud = SandboxCloud::open(SandboxSettings {
        dir: dir.to_path_buf(),
        // Long enough that a change is seen in its transitional state and its operation is
        // not done at first; short enough for a quick test.
        transition: Duration::from_millis(300),
        latency: Duration::ZERO,
        faults: vec![],
        azure_resource_groups: vec![],
    });
    cloud.reset(60, 7).expect("a sandbox world");
    let writable = cloud.providers(false);
    let read_only = cloud.providers(true);
    let place = |account: &str| match account {
        "sandbox-aws" => ("us-east-1", "us-east-1b", "t3.small"),
        "sandbox-gcp" => ("europe-west1", "europe-west1-c", "e2-small"),
        _ => ("westeurope", "2", "Standard_B2s"),
    };
    writable
        .into_iter()
        .zip(read_only)
        .map(|(provider, read_only)| {
            let (region, zone, instance_type) = place(&provider.account().name);
            Subject {
                provider,
                read_only,
                region: region.into(),
                zone: zone.into(),
                instance_type: instance_type.into(),
                timeout: Duration::from_secs(20),
                gaps: &[],
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sandbox_account_passes_the_provider_contract() {
    let dir = tempfile::tempdir().unwrap();
    let subjects = subjects(dir.path());
    assert_eq!(subjects.len(), 3);
    for s in &subjects {
        suite::run(s).await;
    }
}
