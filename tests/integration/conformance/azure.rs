//! The Azure adapter passes the provider contract against the loopback ARM stub, through the
//! real azure_mgmt_compute / azure_mgmt_network clients.

use std::sync::Arc;
use std::time::Duration;

use super::{suite, Subject};
use crate::azure::stub::{ArmStub, SUB};
use crate::azure::{account, provider_for};

/// The account `corp` on the stub, in westeurope.
pub fn subject(stub: &ArmStub) -> Subject {
    let a = account(&stub.url, "corp", SUB, &["westeurope"], &[]);
    Subject {
        provider: Arc::new(provider_for(&a, false, "fake-token")),
        read_only: Arc::new(provider_for(&a, true, "fake-token")),
        region: "westeurope".into(),
        zone: "2".into(),
        instance_type: "Standard_B2s".into(),
        timeout: Duration::from_secs(20),
        gaps: &[],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_on_the_arm_stub_passes_the_provider_contract() {
    let stub = ArmStub::start();
    stub.with(|w| w.seed(SUB, "rg-Seed", 3, &["westeurope", "eastus"]));
    suite::run(&subject(&stub)).await;
}
