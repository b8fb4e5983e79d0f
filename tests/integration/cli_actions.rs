//! Actions through the CLI against the sandbox: effects seen by the next process, invalid
//! transitions as the provider words them, confirmation, read-only, journal, exit codes.

use serde_json::Value;

use crate::support::{find, instances_of, Env};

fn state_of(env: &Env, id: &str) -> String {
    let got = env.json(&["get", "instance", id]);
    got["state"].as_str().unwrap().to_string()
}

fn first<'a>(list: &'a Value, provider: &str, state: &str) -> &'a Value {
    find(list, |r| r["provider"] == provider && r["state"] == state)
}

#[test]
fn stop_is_seen_by_the_next_process_and_wait_reaches_stopped() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let vm = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["provider"] == "gcp" && r["state"] == "running")
        .unwrap();
    let id = vm["id"].as_str().unwrap();
    let res = env.json(&["instance", "stop", id]);
    assert_eq!(res[0]["outcome"], "succeeded");
    assert_eq!(res[0]["state"], "stopping");
    assert_eq!(res[0]["provider_state"], "STOPPING");
    assert_eq!(
        state_of(&env, id),
        "stopping",
        "a second process sees the transition"
    );
    let res = env.json(&["instance", "stop", id, "--wait", "--timeout", "30"]);
    assert_eq!(res[0]["state"], "stopped");
    assert_eq!(res[0]["provider_state"], "TERMINATED");
    let res = env.json(&["instance", "start", id, "--wait", "--timeout", "30"]);
    assert_eq!(res[0]["outcome"], "succeeded");
    assert_eq!(res[0]["state"], "running");
    assert_eq!(state_of(&env, id), "running");
}

#[test]
fn a_start_during_stopping_fails_like_the_provider() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let id = first(&list, "aws", "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.json(&["instance", "stop", &id]);
    let (code, out, err) = env.run(&["instance", "start", &id, "-o", "json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("IncorrectInstanceState"), "{err}");
    let res: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(res[0]["outcome"], "failed");
    assert!(res[0]["error"]
        .as_str()
        .unwrap()
        .contains("not in a state from which it can be started"));
}

#[test]
fn terminate_needs_confirmation_without_a_terminal() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    // Not a protected one: those need --confirm NAME too (tests/integration/cli_policy.rs).
    let id = find(&list, |r| {
        r["provider"] == "azure" && r["state"] == "running" && r["tags"]["env"] != "prod"
    })["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, err) = env.run(&["instance", "terminate", &id]);
    assert_eq!(code, 4);
    assert!(err.contains("pass --yes"), "{err}");
    assert_eq!(state_of(&env, &id), "running", "nothing happened");
    assert!(env.journal().is_empty(), "nothing journaled");
    let res = env.json(&["instance", "terminate", &id, "--yes", "--wait"]);
    assert_eq!(res[0]["state"], "gone", "Azure drops a deleted VM");
    let (code, _, err) = env.run(&["get", "instance", &id]);
    assert_eq!(code, 3, "{err}");
}

#[test]
fn aws_keeps_a_terminated_instance_listed_and_refuses_to_start_it() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let id = first(&list, "aws", "stopped")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = env.json(&["instance", "terminate", &id, "--yes", "--wait"]);
    assert_eq!(res[0]["state"], "terminated");
    assert_eq!(state_of(&env, &id), "terminated");
    let (code, _, err) = env.run(&["instance", "start", &id]);
    assert_eq!(code, 1);
    assert!(err.contains("IncorrectInstanceState"), "{err}");
}

#[test]
fn every_action_is_journaled_with_its_outcome() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let id = first(&list, "aws", "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.json(&["instance", "reboot", &id]);
    env.run(&["instance", "start", "--", &id]); // running already: succeeds, changes nothing
    let stopped = first(&list, "aws", "stopped")["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.run(&["instance", "reboot", &stopped]); // fails: not running
    let j = env.journal();
    let outcomes: Vec<(&str, &str)> = j
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("reboot", "started"),
            ("reboot", "succeeded"),
            ("start", "started"),
            ("start", "succeeded"),
            ("reboot", "started"),
            ("reboot", "failed")
        ]
    );
    assert!(j[5]["error"]
        .as_str()
        .unwrap()
        .contains("IncorrectInstanceState"));
    assert_eq!(
        j[0]["ref"].as_str().unwrap(),
        format!(
            "aws:sandbox-aws:{}:instance:{id}",
            list.as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id.as_str())
                .unwrap()["region"]
                .as_str()
                .unwrap()
        )
    );
    assert_eq!(j[0]["account"], "sandbox-aws");
    assert_eq!(j[0]["sandbox"], true);
    chrono::DateTime::parse_from_rfc3339(j[0]["time"].as_str().unwrap()).unwrap();
}

#[test]
fn read_only_refuses_changes_with_exit_4() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let id = first(&list, "gcp", "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, err) = env.run(&["--read-only", "instance", "stop", &id]);
    assert_eq!(code, 4);
    assert!(err.contains("read-only"), "{err}");
    env.write(
        "config/nephos/config.toml",
        "[guardrails]\nread_only = true\n",
    );
    let (code, _, _) = env.run(&["instance", "stop", &id]);
    assert_eq!(code, 4);
    assert_eq!(state_of(&env, &id), "running");
}

#[test]
fn unknown_and_ambiguous_ids_exit_3_and_list_candidates() {
    let env = Env::new();
    let (code, _, err) = env.run(&["instance", "stop", "i-0000000000000000"]);
    assert_eq!(code, 3);
    assert!(
        err.contains("no instance matches 'i-0000000000000000'"),
        "{err}"
    );
    // A GCP boot disk has its instance's name: `tag` looks at every kind.
    let list = env.json(&["list", "instances"]);
    let name = first(&list, "gcp", "running")["name"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, err) = env.run(&["tag", &name, "owner=me"]);
    assert_eq!(code, 3);
    assert!(
        err.contains(&format!("'{name}' matches 2 resources")),
        "{err}"
    );
    assert!(
        err.contains(":instance:") && err.contains(":disk:"),
        "candidates listed by ref: {err}"
    );
    // Two instances of one name in two AWS regions.
    for region in ["us-east-1", "eu-west-1"] {
        env.json(&[
            "instance",
            "create",
            "--account",
            "sandbox-aws",
            "--region",
            region,
            "--type",
            "t3.micro",
            "--name",
            "twin",
        ]);
    }
    let (code, _, err) = env.run(&["instance", "stop", "twin"]);
    assert_eq!(code, 3);
    assert!(err.contains("'twin' matches 2 instances"), "{err}");
    // Nothing at all was done when one id of several is unknown.
    let running = first(&list, "aws", "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, _) = env.run(&["instance", "stop", &running, "nope"]);
    assert_eq!(code, 3);
    assert_eq!(state_of(&env, &running), "running");
}

#[test]
fn create_instance_then_disk_attach_detach_delete() {
    let env = Env::new();
    let made = env.json(&[
        "instance",
        "create",
        "--account",
        "sandbox-gcp",
        "--region",
        "europe-west1",
        "--zone",
        "europe-west1-c",
        "--type",
        "e2-standard-2",
        "--name",
        "build-1",
        "--disk-gib",
        "20",
        "--spot",
        "--tag",
        "team=ci",
        "--wait",
    ]);
    assert_eq!(made[0]["state"], "running");
    let vm = &made[0]["resource"];
    assert_eq!(vm["spot"], true);
    assert_eq!(vm["vcpus"], 2);
    assert_eq!(vm["tags"]["team"], "ci");
    let vm_ref = vm["ref"].as_str().unwrap().to_string();

    let disk = env.json(&[
        "disk",
        "create",
        "--account",
        "sandbox-gcp",
        "--region",
        "europe-west1",
        "--zone",
        "europe-west1-c",
        "--name",
        "cache-1",
        "--size-gib",
        "50",
        "--type",
        "pd-ssd",
        "--wait",
    ]);
    assert_eq!(disk[0]["state"], "available", "--wait waits out `creating`");
    let attached = env.json(&["disk", "attach", "cache-1", "--instance", &vm_ref]);
    assert_eq!(attached[0]["state"], "in-use");
    let got = env.json(&["get", "disk", "cache-1"]);
    assert_eq!(got["attached_to"], vm_ref.as_str());

    let (code, _, err) = env.run(&["disk", "delete", "cache-1", "--yes"]);
    assert_eq!(code, 1, "an attached disk cannot be deleted");
    assert!(err.contains("resourceInUseByAnotherResource"), "{err}");

    let detached = env.json(&["disk", "detach", "cache-1", "--yes"]);
    assert_eq!(detached[0]["state"], "available");
    let deleted = env.json(&["disk", "delete", "cache-1", "--yes", "--wait"]);
    assert_eq!(deleted[0]["outcome"], "succeeded");
    let (code, _, _) = env.run(&["get", "disk", "cache-1"]);
    assert_eq!(code, 3, "after --wait the disk is gone");
}

#[test]
fn attaching_across_zones_fails_like_the_provider() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let vm = first(&list, "aws", "running");
    let zone = vm["zone"].as_str().unwrap();
    let region = vm["region"].as_str().unwrap();
    let other = if zone.ends_with('a') {
        format!("{region}b")
    } else {
        format!("{region}a")
    };
    env.json(&[
        "disk",
        "create",
        "--account",
        "sandbox-aws",
        "--region",
        region,
        "--zone",
        &other,
        "--name",
        "far",
        "--size-gib",
        "10",
    ]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (code, _, err) = env.run(&[
        "disk",
        "attach",
        "far",
        "--instance",
        vm["id"].as_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("InvalidVolume.ZoneMismatch"), "{err}");
}

#[test]
fn load_balancer_lifecycle() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let rows: Vec<&Value> = instances_of(&list, "aws")
        .into_iter()
        .filter(|r| {
            r["region"] == "us-east-1" && r["state"] == "running" && r["tags"]["env"] != "prod"
        })
        .collect();
    let (a, b) = (
        rows[0]["id"].as_str().unwrap(),
        rows[1]["id"].as_str().unwrap(),
    );
    let lb = env.json(&[
        "lb",
        "create",
        "--account",
        "sandbox-aws",
        "--region",
        "us-east-1",
        "--name",
        "shop",
        "--kind",
        "network",
        "--scheme",
        "internal",
        "--tag",
        "env=test",
        "--wait",
    ]);
    assert_eq!(lb[0]["state"], "active", "--wait waits out `provisioning`");
    assert_eq!(lb[0]["resource"]["tags"]["env"], "test");
    let reg = env.json(&["lb", "register", "shop", a, b]);
    assert_eq!(reg[0]["resource"]["targets"].as_array().unwrap().len(), 2);
    let (code, _, _) = env.run(&["lb", "deregister", "shop", a]);
    assert_eq!(code, 4, "deregister is dangerous");
    let dereg = env.json(&["lb", "deregister", "shop", a, "--yes"]);
    let targets = dereg[0]["resource"]["targets"].as_array().unwrap();
    assert!(targets.iter().any(|t| t["health"] == "draining"));
    env.json(&["lb", "delete", "shop", "--yes"]);
    let (code, _, _) = env.run(&["get", "lb", "shop"]);
    assert_eq!(code, 3);
    // Azure Load Balancer is layer 4 only: not offered.
    let (code, _, err) = env.run(&[
        "lb",
        "create",
        "--account",
        "sandbox-azure",
        "--region",
        "eastus",
        "--name",
        "web",
        "--kind",
        "application",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("network"), "{err}");
}

#[test]
fn tags_are_set_and_removed_with_each_providers_rules() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let id = first(&list, "aws", "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.json(&[
        "tag",
        &id,
        "owner=alice",
        "cost-center=42",
        "--remove",
        "team",
    ]);
    let got = env.json(&["get", "instance", &id]);
    assert_eq!(got["tags"]["owner"], "alice");
    assert!(got["tags"].get("team").is_none());
    let gcp = first(&list, "gcp", "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, err) = env.run(&["tag", &gcp, "Owner=Alice"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Label keys must start with a lowercase letter"),
        "{err}"
    );
    let (code, _, _) = env.run(&["tag", &id]);
    assert_eq!(code, 2, "nothing to do is a usage error");
}

#[test]
fn create_needs_exactly_one_account() {
    let env = Env::new();
    let (code, _, err) = env.run(&[
        "instance",
        "create",
        "--region",
        "us-east-1",
        "--type",
        "t3.micro",
        "--name",
        "x",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--account"), "{err}");
    let (code, _, err) = env.run(&[
        "instance",
        "create",
        "--account",
        "sandbox-aws",
        "--region",
        "us-east-1",
        "--type",
        "t9.huge",
        "--name",
        "x",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Invalid value 't9.huge' for InstanceType"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let (code, _, _) = env.run(&["instance", "frobnicate", "x"]);
    assert_eq!(code, 2);
    let (code, _, _) = env.run(&["list"]);
    assert_eq!(code, 2);
}

#[test]
fn azure_power_off_keeps_the_vm_billed_and_other_clouds_refuse_it() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let vm = first(&list, "azure", "running");
    let id = vm["id"].as_str().unwrap().to_string();
    let vm_ref = vm["ref"].clone();
    let res = env.json(&["instance", "power-off", &id, "--wait", "--timeout", "30"]);
    assert_eq!(res[0]["outcome"], "succeeded", "{res}");
    assert_eq!(res[0]["state"], "stopped");
    assert_eq!(res[0]["provider_state"], "PowerState/stopped");
    // Stopped but allocated: its compute is still on the bill.
    let costs = env.json(&["list", "costs"]);
    let row = find(&costs, |r| r["ref"] == vm_ref && r["kind"] == "instance");
    assert_eq!(row["basis"], "on-demand", "{row}");
    assert!(row["monthly_usd"].as_f64().unwrap() > 0.0, "{row}");
    let res = env.json(&["instance", "stop", &id, "--wait", "--timeout", "30"]);
    assert_eq!(res[0]["provider_state"], "PowerState/deallocated");

    let aws = first(&list, "aws", "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, err) = env.run(&["instance", "power-off", &aws]);
    assert_ne!(code, 0);
    assert!(err.contains("cannot power-off"), "{err}");
}
