//! The binary with GCP accounts on the stub: `list instances -o json` across two projects, one of
//! which the credentials may not read; and the 10,000-instance measurement (ignored: run it with
//! `cargo test --release --all-features --test integration gcp::cli::measure -- --ignored --nocapture`).

use std::time::Instant;

use serde_json::Value;

use super::stub::{Stub, World};
use crate::support::Env;

fn account(name: &str, project: &str, url: &str) -> String {
    format!("[[accounts]]\nname = \"{name}\"\nprovider = \"gcp\"\nproject = \"{project}\"\nendpoint_url = \"{url}\"\n\n")
}

fn list(env: &Env, accounts: &str) -> std::process::Output {
    let config = env.write("nephos.toml", accounts);
    let mut c = env.cmd();
    c.env_remove("GOOGLE_APPLICATION_CREDENTIALS");
    c.arg("--config")
        .arg(&config)
        .args(["list", "instances", "-o", "json"])
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_shows_one_project_and_the_others_error() {
    let mut w = World::new();
    w.seed("open", &["us-central1-a", "europe-west1-b"], 4, false);
    w.seed("locked", &["us-central1-a"], 2, false);
    w.forbidden.insert("locked".into());
    let stub = Stub::start(w);
    let env = Env::new();
    let out = list(
        &env,
        &(account("good", "open", &stub.url) + &account("denied", "locked", &stub.url)),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rows: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let rows = rows.as_array().expect("an array of rows");
    assert_eq!(rows.len(), 4, "{rows:?}");
    let r = rows.iter().find(|r| r["name"] == "vm-00001").unwrap();
    assert_eq!(r["ref"], "gcp:good:europe-west1-b:instance:vm-00001");
    assert!(
        r["id"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_digit()),
        "JSON id is the numeric id: {r}"
    );
    assert!(
        stderr.contains("denied") && stderr.contains("forbidden"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored --nocapture (release build)"]
async fn measure_list_instances_at_10k_in_3_regions() {
    let mut w = World::new();
    w.seed(
        "big",
        &[
            "us-central1-a",
            "us-central1-b",
            "europe-west1-b",
            "europe-west1-c",
            "asia-east1-a",
        ],
        10_000,
        false,
    );
    let stub = Stub::start(w);
    let env = Env::new();
    let started = Instant::now();
    let out = list(&env, &account("big", "big", &stub.url));
    let wall = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 10_000);
    let (pages, types, all, serving) = stub.with(|w| {
        (
            w.count("GET", "/aggregated/instances"),
            w.count("GET", "/machineTypes/"),
            w.requests.len(),
            w.serving,
        )
    });
    let floor = 10_000usize.div_ceil(500) + types;
    eprintln!(
        "10,000 instances, 3 regions: {all} requests ({pages} aggregated pages + {types} machine types); floor {floor}; ratio {:.2}; wall {wall:?}; stub serving {serving:?}",
        all as f64 / floor as f64
    );
    assert!(
        all as f64 <= floor as f64 * 1.2,
        "{all} requests against a floor of {floor}"
    );
}
