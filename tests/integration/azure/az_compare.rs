//! Not run by default: the 5,000-VM stub of `cli::five_thousand…`, kept serving so the Azure
//! CLI can be timed against it (docs/performance.md has the commands and the TLS/AAD front
//! `az` needs). Run with
//! `cargo test --all-features --test integration azure::az_compare -- --ignored --nocapture`;
//! it writes its URL to $NEPHOS_AZ_STUB_URL_FILE (default /tmp/nephos-az-stub-url), serves
//! until the file $NEPHOS_AZ_STUB_URL_FILE.stop exists (at most 30 minutes), then prints the
//! requests it saw by kind.

use std::time::{Duration, Instant};

use super::stub::{ArmStub, RG, SUB};

#[test]
#[ignore = "a harness for timing the Azure CLI by hand; see docs/performance.md"]
fn serve_five_thousand_vms_for_the_azure_cli() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 5000, &["eastus", "westeurope", "southeastasia"]);
        w.page_size = 1000;
    });
    let file = std::env::var("NEPHOS_AZ_STUB_URL_FILE")
        .unwrap_or_else(|_| "/tmp/nephos-az-stub-url".into());
    let stop = format!("{file}.stop");
    let _ = std::fs::remove_file(&stop);
    std::fs::write(&file, &stub.url).unwrap();
    eprintln!("serving {} (touch {stop} to end)", stub.url);
    let t = Instant::now();
    while !std::path::Path::new(&stop).exists() && t.elapsed() < Duration::from_secs(1800) {
        std::thread::sleep(Duration::from_millis(200));
    }
    let counts = stub.with(|w| {
        let c = |n: &str| {
            w.requests
                .iter()
                .filter(|(_, p)| p.to_lowercase().contains(n))
                .count()
        };
        (
            w.requests.len(),
            c("/virtualmachines?"),
            c("/virtualmachines/"),
            c("/networkinterfaces/"),
            c("/publicipaddresses/"),
        )
    });
    eprintln!(
        "requests: {} in all; {} VM list pages, {} single-VM reads, {} single-NIC reads, {} single-public-IP reads",
        counts.0, counts.1, counts.2, counts.3, counts.4
    );
}
