//! The real binary against the ARM stub: an Azure account from the config file, its token from
//! a stand-in `az` on PATH, listed beside a subscription the principal cannot read; and the
//! request count of a 5,000-VM listing against its floor.

use std::os::unix::fs::PermissionsExt;
use std::time::Instant;

use serde_json::Value;

use super::stub::{ArmStub, FORBIDDEN_SUB, RG, SUB};
use crate::support::Env;

fn azure_account(name: &str, sub: &str, url: &str) -> String {
    format!(
        "[[accounts]]\nname = \"{name}\"\nprovider = \"azure\"\nsubscription = \"{sub}\"\ntenant = \"contoso.onmicrosoft.com\"\ncredential = \"azure-cli\"\nendpoint_url = \"{url}\"\n\n"
    )
}

/// An env whose PATH starts with a stand-in `az` that hands out `token`.
pub(super) fn env_with_az(token: &str) -> (Env, String) {
    let env = Env::new();
    let bin = env.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let az = bin.join("az");
    std::fs::write(
        &az,
        format!("#!/bin/sh\necho '{{\"accessToken\": \"{token}\", \"expires_on\": 4070908800}}'\n"),
    )
    .unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (env, path)
}

#[test]
fn the_cli_lists_an_azure_subscription_beside_one_it_cannot_read() {
    let stub = ArmStub::start();
    stub.with(|w| w.seed(SUB, RG, 12, &["eastus", "westeurope"]));
    let (env, path) = env_with_az("eyJ0eXAi.secret-cli-token");
    let config = env.write(
        "nephos.toml",
        &(azure_account("corp", SUB, &stub.url)
            + &azure_account("locked", FORBIDDEN_SUB, &stub.url)),
    );
    // At debug, azure_core logs every request with its headers (the bearer token unredacted):
    // nephos's log writer must take it out.
    let out = env
        .cmd()
        .env("PATH", path)
        .env("NEPHOS_LOG", "debug")
        .arg("--config")
        .arg(&config)
        .args(["list", "instances", "-o", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "partial listing: {stderr}");
    let rows: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 12, "{stderr}");
    assert!(rows.iter().all(|r| r["account"] == "corp"));
    assert!(stderr.contains("AuthorizationFailed"), "{stderr}");
    assert!(stderr.contains("locked"), "{stderr}");
    let all = format!("{stderr}{}", String::from_utf8_lossy(&out.stdout));
    assert!(!all.contains("secret-cli-token"), "no token in output");
    // One token for the account however many calls it made.
    let logs = std::fs::read_dir(env.path("state/logs"))
        .map(|d| {
            d.flatten()
                .map(|f| std::fs::read_to_string(f.path()).unwrap_or_default())
                .collect::<String>()
        })
        .unwrap_or_default();
    assert!(
        logs.contains("authorization"),
        "the SDK's request log is there to be redacted"
    );
    assert!(!logs.contains("secret-cli-token"), "no token in logs");
}

/// 5,000 VMs in 3 locations, 1,000 to a page: the listing's requests against the floor (VM
/// pages with power state + NIC pages + public IP pages). Prints the time (not asserted).
#[test]
fn five_thousand_vms_are_listed_near_the_request_floor() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 5000, &["eastus", "westeurope", "southeastasia"]);
        w.page_size = 1000;
    });
    let (env, path) = env_with_az("t");
    let config = env.write("nephos.toml", &azure_account("corp", SUB, &stub.url));
    let t = Instant::now();
    let out = env
        .cmd()
        .env("PATH", path)
        .arg("--config")
        .arg(&config)
        .args(["list", "instances", "-o", "json"])
        .output()
        .unwrap();
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 5000);
    let (vm, nic, pip, sizes, total) = stub.with(|w| {
        let c = |n: &str| w.requests.iter().filter(|(_, p)| p.contains(n)).count();
        (
            c("/virtualMachines?"),
            c("/networkInterfaces?"),
            c("/publicIPAddresses?"),
            c("/vmSizes"),
            w.requests.len(),
        )
    });
    let floor = 5 + 5 + 2; // 5,000 VMs, 5,000 NICs, 1,667 public IPs at 1,000 a page
    assert_eq!((vm, nic, pip), (5, 5, 2));
    eprintln!(
        "azure 5000 VMs: {total} requests ({sizes} vmSizes, once per location), floor {floor}, ratio {:.2}, {took:?}",
        total as f64 / floor as f64
    );
    assert!(total <= floor + 3, "{total} requests");
}
