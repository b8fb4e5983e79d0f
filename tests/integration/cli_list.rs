//! `list`, `get`, `accounts`, `sandbox reset`: shapes, filters, determinism, partial failure.

use serde_json::Value;

use crate::support::{find, instances_of, Env};

const INSTANCE_FIELDS: [&str; 18] = [
    "ref",
    "provider",
    "account",
    "sandbox",
    "region",
    "zone",
    "id",
    "name",
    "state",
    "provider_state",
    "type",
    "vcpus",
    "memory_gib",
    "private_ip",
    "public_ip",
    "spot",
    "launched_at",
    "tags",
];

#[test]
fn instances_json_has_the_contract_fields_for_every_provider() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 60, "the default sandbox has 60 instances");
    for p in ["aws", "gcp", "azure"] {
        assert!(!instances_of(&list, p).is_empty(), "{p} present");
    }
    for row in rows {
        let obj = row.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(|k| k.as_str()).collect();
        keys.sort();
        let mut want = INSTANCE_FIELDS.to_vec();
        want.sort();
        assert_eq!(keys, want);
        assert_eq!(row["sandbox"], true);
        assert!(row["tags"].is_object());
        // The ref is what the provider addresses the instance by: GCP by zone and name (its
        // numeric id is `id`), the others by region and id.
        let r = row["ref"].as_str().unwrap();
        let (location, address) = match row["provider"].as_str().unwrap() {
            "gcp" => ("zone", "name"),
            _ => ("region", "id"),
        };
        assert_eq!(
            r,
            format!(
                "{}:{}:{}:instance:{}",
                row["provider"].as_str().unwrap(),
                row["account"].as_str().unwrap(),
                row[location].as_str().unwrap(),
                row[address].as_str().unwrap()
            )
        );
        if row["provider"] == "gcp" {
            assert!(
                row["id"]
                    .as_str()
                    .unwrap()
                    .bytes()
                    .all(|b| b.is_ascii_digit()),
                "GCP's id stays its numeric id: {row}"
            );
        }
        chrono::DateTime::parse_from_rfc3339(row["launched_at"].as_str().unwrap())
            .expect("RFC 3339");
        assert!([
            "pending",
            "running",
            "stopping",
            "stopped",
            "terminating",
            "terminated",
            "unknown"
        ]
        .contains(&row["state"].as_str().unwrap()));
    }
    // Provider words are kept beside the normalised state.
    let gcp_stopped = rows
        .iter()
        .find(|r| r["provider"] == "gcp" && r["state"] == "stopped")
        .unwrap();
    assert_eq!(gcp_stopped["provider_state"], "TERMINATED");
    let az = rows
        .iter()
        .find(|r| r["provider"] == "azure" && r["state"] == "stopped")
        .unwrap();
    assert_eq!(az["provider_state"], "PowerState/deallocated");
}

#[test]
fn disks_and_load_balancers_json_shapes() {
    let env = Env::new();
    let disks = env.json(&["list", "disks"]);
    let attached = find(&disks, |d| d["state"] == "in-use");
    assert!(attached["attached_to"]
        .as_str()
        .unwrap()
        .contains(":instance:"));
    assert!(attached["device"].is_string());
    let loose = find(&disks, |d| d["state"] == "available");
    assert!(loose["attached_to"].is_null());
    for k in [
        "ref",
        "provider",
        "account",
        "sandbox",
        "region",
        "zone",
        "id",
        "name",
        "state",
        "size_gib",
        "type",
        "attached_to",
        "device",
        "tags",
    ] {
        assert!(attached.get(k).is_some(), "disk field {k}");
    }
    let lbs = env.json(&["list", "load-balancers"]);
    let with_targets = find(&lbs, |l| !l["targets"].as_array().unwrap().is_empty());
    let t = &with_targets["targets"][0];
    assert!(t["instance"].as_str().unwrap().contains(":instance:"));
    assert!([
        "healthy",
        "unhealthy",
        "initial",
        "draining",
        "unused",
        "unknown"
    ]
    .contains(&t["health"].as_str().unwrap()));
    for k in [
        "ref", "provider", "account", "sandbox", "region", "id", "name", "kind", "scheme",
        "dns_name", "state", "targets", "tags",
    ] {
        assert!(with_targets.get(k).is_some(), "lb field {k}");
    }
}

#[test]
fn filter_and_sort_apply() {
    let env = Env::new();
    let all = env.json(&["list", "instances"]);
    let running_aws = env.json(&[
        "list",
        "instances",
        "--filter",
        "provider:aws state:running",
        "--sort",
        "name:desc",
    ]);
    let rows = running_aws.as_array().unwrap();
    let expected = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["provider"] == "aws" && r["state"] == "running")
        .count();
    assert_eq!(rows.len(), expected);
    assert!(expected > 0);
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
    let prod = env.json(&[
        "list",
        "instances",
        "--filter",
        "tag:env=prod !state:stopped",
    ]);
    assert!(prod
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["tags"]["env"] == "prod" && r["state"] != "stopped"));
}

#[test]
fn a_bad_filter_is_a_usage_error_that_points_at_the_term() {
    let env = Env::new();
    let (code, out, err) = env.run(&["list", "instances", "--filter", "state:running colour:red"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown field 'colour'") && err.contains("column 15"),
        "{err}"
    );
    let (code, _, err) = env.run(&["list", "instances", "--sort", "height"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot sort by 'height'"), "{err}");
}

#[test]
fn csv_has_a_header_and_one_row_per_resource() {
    let env = Env::new();
    let (code, out, _) = env.run(&["list", "instances", "-o", "csv", "--filter", "provider:gcp"]);
    assert_eq!(code, 0);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "ref");
    assert!(headers.iter().any(|h| h == "provider_state"));
    let rows: Vec<_> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| &r[1] == "gcp"));
}

#[test]
fn the_table_is_for_people() {
    let env = Env::new();
    let (code, out, _) = env.run(&["list", "instances", "--filter", "provider:azure"]);
    assert_eq!(code, 0);
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("NAME") && header.contains("STATE") && header.contains("AGE"),
        "{header}"
    );
    // Azure ids are shortened to group/name in the table.
    assert!(!out.contains("/subscriptions/"), "{out}");
}

#[test]
fn get_prints_one_object_with_the_raw_payload() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let aws = instances_of(&list, "aws")[0];
    let got = env.json(&["get", "instance", aws["id"].as_str().unwrap()]);
    assert!(got.is_object());
    assert_eq!(got["ref"], aws["ref"]);
    assert_eq!(got["raw"]["InstanceId"], aws["id"]);
    let gcp = instances_of(&list, "gcp")[0];
    let got = env.json(&["get", "instance", gcp["ref"].as_str().unwrap()]);
    assert_eq!(got["raw"]["kind"], "compute#instance");
    assert_eq!(got["raw"]["status"], gcp["provider_state"]);
    let az = instances_of(&list, "azure")[0];
    let got = env.json(&["get", "vm", az["name"].as_str().unwrap()]);
    assert!(got["raw"]["properties"]["instanceView"]["statuses"].is_array());
    let (code, out, _) = env.run(&["get", "instance", aws["name"].as_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("provider_state") && out.contains("raw:"),
        "{out}"
    );
}

#[test]
fn sandbox_reset_is_deterministic_per_seed() {
    let a = Env::new();
    let b = Env::new();
    for env in [&a, &b] {
        let summary = env.json(&["sandbox", "reset", "--instances", "300", "--seed", "7"]);
        assert_eq!(summary["instances"], 300);
    }
    let la = a.json(&["list", "instances", "--sort", "id"]);
    let lb = b.json(&["list", "instances", "--sort", "id"]);
    let ids = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&la), ids(&lb));
    assert_eq!(la.as_array().unwrap().len(), 300);
    b.json(&[
        "sandbox",
        "reset",
        "--instances",
        "300",
        "--seed",
        "8",
        "--yes",
    ]);
    assert_ne!(
        ids(&la),
        ids(&b.json(&["list", "instances", "--sort", "id"]))
    );
    let (code, _, err) = a.run(&["sandbox", "reset", "--instances", "100001"]);
    assert_eq!(code, 2);
    assert!(err.contains("100000"), "{err}");
}

#[test]
fn accounts_lists_the_three_sandbox_accounts() {
    let env = Env::new();
    let acc = env.json(&["accounts"]);
    let names: Vec<&str> = acc
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sandbox-aws", "sandbox-gcp", "sandbox-azure"]);
    assert_eq!(acc[2]["lb_kinds"], serde_json::json!(["network"]));
    let only = env.json(&["list", "instances", "--account", "sandbox-gcp"]);
    assert!(only
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["account"] == "sandbox-gcp"));
    let (code, _, err) = env.run(&["list", "instances", "--account", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown account 'nope'") && err.contains("sandbox-aws"),
        "{err}"
    );
}

/// `nephos --demo list instances -o json` with these sandbox faults: (exit code, rows, stderr).
fn list_with_faults(env: &Env, faults: &str) -> (Option<i32>, Vec<Value>, String) {
    let out = env
        .cmd()
        .env("NEPHOS_SANDBOX_FAULTS", faults)
        .args(["--demo", "list", "instances", "-o", "json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        out.status.code(),
        list.as_array().unwrap().clone(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_failing_region_is_reported_while_the_rest_is_listed() {
    let env = Env::new();
    let (code, rows, err) =
        list_with_faults(&env, "sandbox-aws/us-west-2=throttled,sandbox-azure=auth");
    assert_eq!(code, Some(1), "partial results exit 1");
    assert!(
        rows.iter()
            .any(|r| r["provider"] == "aws" && r["region"] != "us-west-2"),
        "other aws regions listed"
    );
    assert!(!rows.iter().any(|r| r["region"] == "us-west-2"));
    assert!(
        rows.iter().any(|r| r["provider"] == "gcp"),
        "gcp still listed"
    );
    assert!(!rows.iter().any(|r| r["provider"] == "azure"));
    assert!(
        err.contains("aws sandbox-aws region us-west-2 instances: RequestLimitExceeded"),
        "{err}"
    );
    assert!(err.contains("sandbox-azure: AuthFailure"), "{err}");
}

#[test]
fn a_failing_gcp_project_is_named_as_the_project() {
    let env = Env::new();
    // GCP lists the whole project in one aggregated call: one region failing fails it whole.
    let (code, rows, err) = list_with_faults(&env, "sandbox-gcp/us-central1=throttled");
    assert_eq!(code, Some(1), "partial results exit 1");
    assert!(!rows.iter().any(|r| r["provider"] == "gcp"));
    for p in ["aws", "azure"] {
        assert!(rows.iter().any(|r| r["provider"] == p), "{p} still listed");
    }
    assert!(
        err.contains(
            "nephos: gcp sandbox-gcp project nephos-sandbox instances: RequestLimitExceeded"
        ),
        "{err}"
    );
}

#[test]
fn global_flags_work_after_the_subcommand() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "list",
            "disks",
            "--demo",
            "-o",
            "json",
            "--account",
            "sandbox-aws",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["account"] == "sandbox-aws"));
}

#[test]
fn logs_go_to_the_state_dir_not_the_terminal() {
    let env = Env::new();
    let (code, out, err) = env.run(&["list", "instances", "--log-level", "debug", "-o", "json"]);
    assert_eq!(code, 0);
    assert!(!err.contains("DEBUG") && !out.contains("DEBUG"));
    let logs = std::fs::read_dir(env.path("state/logs"))
        .expect("log dir")
        .count();
    assert!(logs >= 1);
}

#[test]
fn costs_price_every_resource_with_its_basis_and_date() {
    let env = Env::new();
    let costs = env.json(&["list", "costs"]);
    let rows = costs.as_array().unwrap();
    let instances = env.json(&["list", "instances"]);
    let live = instances
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["state"] != "terminated")
        .count();
    let disks = env.json(&["list", "disks"]).as_array().unwrap().len();
    let lbs = env
        .json(&["list", "load-balancers"])
        .as_array()
        .unwrap()
        .len();
    assert_eq!(rows.len(), live + disks + lbs);
    for r in rows {
        for k in [
            "ref",
            "kind",
            "provider",
            "account",
            "region",
            "sku",
            "basis",
            "hourly_usd",
            "monthly_usd",
            "price_as_of",
            "price_source",
        ] {
            assert!(r.get(k).is_some(), "{k} in {r}");
        }
        match r["basis"].as_str().unwrap() {
            "unpriced" => {
                assert!(
                    r["hourly_usd"].is_null() && r["monthly_usd"].is_null(),
                    "no price is not zero: {r}"
                );
                assert!(r["note"].as_str().unwrap().contains("no "), "{r}");
            }
            _ => {
                let h = r["hourly_usd"].as_f64().unwrap();
                let m = r["monthly_usd"].as_f64().unwrap();
                assert!((m - h * 730.0).abs() < 1e-6);
                assert!(!r["price_as_of"].as_str().unwrap().is_empty());
            }
        }
    }
    // A stopped machine pays nothing for compute.
    let stopped = find(&instances, |i| {
        i["state"] == "stopped" && i["provider"] != "azure"
    });
    let c = find(&costs, |c| c["ref"] == stopped["ref"]);
    assert_eq!(
        (c["basis"].as_str(), c["hourly_usd"].as_f64()),
        (Some("storage-only"), Some(0.0))
    );
    // Every priced row carries its own source's date: AWS outside us-east-1 is a 2022 list
    // price, and no AWS machine of a type the regional file has is unpriced for its region.
    // (The sandbox's AWS types are all in the 2022 file, in all its AWS regions.)
    let mut old = 0;
    for c in rows
        .iter()
        .filter(|c| c["provider"] == "aws" && c["kind"] == "instance")
    {
        if c["basis"] == "unpriced" {
            let note = c["note"].as_str().unwrap();
            assert!(note.starts_with("no spot price"), "only spot: {c}");
            continue;
        }
        let want = if c["region"] == "us-east-1" {
            "2026-07-20"
        } else {
            old += 1;
            "2022-11-22"
        };
        assert_eq!(c["price_as_of"], want, "{c}");
        assert!(
            c["price_source"]
                .as_str()
                .unwrap()
                .contains(if want == "2022-11-22" {
                    "ec2details"
                } else {
                    "karpenter"
                }),
            "{c}"
        );
    }
    assert!(old > 0, "the sandbox has AWS machines outside us-east-1");
    let dated = |p: &str, kind: &str, d: &str| {
        let mine: Vec<&Value> = rows
            .iter()
            .filter(|c| c["provider"] == p && c["kind"] == kind && c["basis"] != "unpriced")
            .collect();
        !mine.is_empty() && mine.iter().all(|c| c["price_as_of"] == d)
    };
    assert!(dated("gcp", "instance", "2026-07-30") && dated("azure", "instance", "2026-06-18"));
    // Disks and load balancers carry their own sources' dates too, not the machines'.
    assert!(dated("aws", "disk", "2024-07") && dated("gcp", "disk", "2026-07-30"));
    assert!(dated("aws", "load-balancer", "2024-07"));
    assert!(
        dated("gcp", "load-balancer", "undated"),
        "a vendor list price without a date says so"
    );
}

#[test]
fn prices_lists_catalog_entries() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "prices",
            "--provider",
            "aws",
            "--region",
            "us-east-1",
            "--type",
            "m5.large",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["usd"], 0.096);
    assert_eq!(v[0]["as_of"], "2026-07-20");
    assert_eq!(v[0]["kind"], "compute");
    // Outside us-east-1, the 2022 regional list price with its own date and source.
    let eu = env.json(&[
        "prices",
        "--provider",
        "aws",
        "--region",
        "eu-west-1",
        "--type",
        "m5.large",
    ]);
    assert_eq!(
        (&eu[0]["usd"], &eu[0]["as_of"], &eu[0]["spot_usd"]),
        (
            &serde_json::json!(0.107),
            &serde_json::json!("2022-11-22"),
            &Value::Null
        )
    );
    assert!(eu[0]["source"].as_str().unwrap().contains("ec2details"));
    assert_eq!(eu.as_array().unwrap().len(), 1);
    let out = env
        .cmd()
        .args([
            "prices",
            "--provider",
            "gcp",
            "--type",
            "e2-standard-2",
            "--region",
            "us-central1",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["spot_usd"], 0.040212);
    let out = env
        .cmd()
        .args(["prices", "--provider", "aws", "--type", "nope.huge"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn cost_findings_name_the_waste_and_the_action() {
    let env = Env::new();
    let f = env.json(&["cost", "findings"]);
    let rows = f.as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        for k in [
            "ref",
            "kind",
            "finding",
            "detail",
            "monthly_savings_usd",
            "action",
        ] {
            assert!(r.get(k).is_some(), "{k} in {r}");
        }
        assert!(r["monthly_savings_usd"].as_f64().unwrap() > 0.0);
        assert!([
            "stopped-with-disks",
            "unattached-disk",
            "idle-load-balancer",
            "spot-candidate",
            "right-size"
        ]
        .contains(&r["finding"].as_str().unwrap()));
    }
    // Every unattached disk the sandbox has in a priced place shows up, with delete-disk.
    let loose = find(&f, |r| r["finding"] == "unattached-disk");
    assert_eq!(loose["action"], "delete-disk");
    let disk = env.json(&["get", "disk", loose["ref"].as_str().unwrap()]);
    assert_eq!(disk["state"], "available");
    // The sandbox's first load balancer of each account has no targets.
    assert!(rows
        .iter()
        .any(|r| r["finding"] == "idle-load-balancer" && r["action"] == "delete-load-balancer"));
    let only_aws = env.json(&["cost", "findings", "--filter", "provider:aws"]);
    assert!(only_aws
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["ref"].as_str().unwrap().starts_with("aws:")));
}

#[test]
fn cost_compare_needs_no_account() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "cost",
            "compare",
            "--vcpus",
            "2",
            "--memory-gib",
            "8",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    for p in ["aws", "gcp", "azure"] {
        assert!(
            rows.iter().any(|r| r["provider"] == p),
            "{p} offered from the catalog alone"
        );
    }
    for r in rows {
        assert!(r["vcpus"].as_u64().unwrap() >= 2 && r["memory_gib"].as_f64().unwrap() >= 8.0);
        for k in [
            "provider",
            "region",
            "sku",
            "vcpus",
            "memory_gib",
            "usd_per_hour",
            "spot_usd_per_hour",
            "arch",
            "as_of",
        ] {
            assert!(r.get(k).is_some(), "{k}");
        }
        if r["provider"] != "gcp" {
            assert!(r["spot_usd_per_hour"].is_null(), "no spot invented: {r}");
        }
    }
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "every cloud compared: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env
        .cmd()
        .args([
            "--demo",
            "cost",
            "compare",
            "--vcpus",
            "2",
            "--memory-gib",
            "8",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|r| r["provider"] == "azure"),
        "the sandbox's Azure account reports its shapes"
    );
    let out = env
        .cmd()
        .args([
            "cost",
            "compare",
            "--vcpus",
            "2",
            "--memory-gib",
            "8",
            "--region",
            "atlantis",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn refreshed_prices_in_the_data_dir_win_and_a_broken_file_is_reported() {
    let env = Env::new();
    env.write("data/prices/aws.txt", "provider aws\nas_of 2026-11-01\nsource test\nlicence test\nskus m5.large\ncompute us-east-1 0:0.5\n");
    let out = env
        .cmd()
        .args([
            "prices",
            "--provider",
            "aws",
            "--type",
            "m5.large",
            "--region",
            "us-east-1",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v[0]["usd"].as_f64(), v[0]["as_of"].as_str()),
        (Some(0.5), Some("2026-11-01"))
    );
    env.write(
        "data/prices/aws.txt",
        "provider aws\ncompute us-east-1 7:cheap\n",
    );
    let out = env
        .cmd()
        .args([
            "prices",
            "--provider",
            "aws",
            "--type",
            "m5.large",
            "--region",
            "us-east-1",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["usd"], 0.096, "the bundled price again");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("aws.txt:2:") && err.contains("using the bundled prices"),
        "{err}"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    env.json(&["sandbox", "reset", "--instances", "3000"]);
    for format in ["csv", "json", "table"] {
        let mut child = env
            .std_cmd()
            .args(["--demo", "list", "instances", "-o", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty());
        // The reader is gone (like `| head -1`): nephos must stop quietly.
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
