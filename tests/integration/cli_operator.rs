//! Issue 15: the CLI as a newcomer found it. Each test failed on the code before its fix.

use serde_json::Value;

use crate::support::{find, Env};

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array().expect("a JSON array")
}

#[test]
fn an_azure_id_as_the_id_column_shows_it_resolves() {
    let env = Env::new();
    let list = env.json(&["list", "instances", "-f", "provider:azure"]);
    let vm = &rows(&list)[0];
    let id = vm["id"].as_str().unwrap();
    // The table's ID column: resource group / name.
    let parts: Vec<&str> = id.split('/').collect();
    let group = parts[parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("resourceGroups"))
        .unwrap()
        + 1];
    let short = format!("{group}/{}", vm["name"].as_str().unwrap());
    let got = env.json(&["get", "instance", &short]);
    assert_eq!(got["ref"], vm["ref"], "{short}");
    let got = env.json(&["get", "instance", &short.to_uppercase()]);
    assert_eq!(got["ref"], vm["ref"], "any case, as Azure ids");
}

#[test]
fn tag_by_a_gcp_instance_name_tags_the_instance_not_its_boot_disk() {
    let env = Env::new();
    let list = env.json(&["list", "instances", "-f", "provider:gcp state:running"]);
    let vm = &rows(&list)[0];
    let name = vm["name"].as_str().unwrap();
    let disks = env.json(&["list", "disks", "-f", &format!("provider:gcp name:{name}")]);
    assert!(!rows(&disks).is_empty(), "its boot disk has its name");
    let (code, out, err) = env.run(&["tag", name, "owner=alice", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let out: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out[0]["ref"], vm["ref"], "{out}");
    let after = env.json(&["get", "instance", vm["ref"].as_str().unwrap()]);
    assert_eq!(after["tags"]["owner"], "alice");
}

#[test]
fn list_costs_sorts_when_asked() {
    let env = Env::new();
    let by_account = env.json(&["list", "costs", "--sort", "account,region"]);
    let keys: Vec<(String, String)> = rows(&by_account)
        .iter()
        .map(|r| {
            (
                r["account"].as_str().unwrap().into(),
                r["region"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "--sort account,region");
    let cheap = env.json(&["list", "costs", "--sort", "cost"]);
    let m: Vec<f64> = rows(&cheap)
        .iter()
        .filter_map(|r| r["monthly_usd"].as_f64())
        .collect();
    assert!(m.windows(2).all(|w| w[0] <= w[1]), "cheapest first: {m:?}");
    let (code, _, err) = env.run(&["list", "costs", "--sort", "colour"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn list_sorts_by_cost_and_age() {
    let env = Env::new();
    let list = env.json(&[
        "list",
        "instances",
        "--sort",
        "cost:desc",
        "-f",
        "state:running",
    ]);
    let costs = env.json(&["list", "costs", "-f", "state:running"]);
    let hourly = |r: &Value| -> f64 {
        find(&costs, |c| c["ref"] == r["ref"])["hourly_usd"]
            .as_f64()
            .unwrap_or(-1.0)
    };
    let h: Vec<f64> = rows(&list).iter().map(hourly).collect();
    assert!(h.windows(2).all(|w| w[0] >= w[1]), "dearest first: {h:?}");
    let aged = env.json(&["list", "instances", "--sort", "age"]);
    let t: Vec<&str> = rows(&aged)
        .iter()
        .filter_map(|r| r["launched_at"].as_str())
        .collect();
    assert!(t.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn a_failed_action_says_its_error_once() {
    let env = Env::new();
    let list = env.json(&["list", "instances", "-f", "provider:aws state:stopped"]);
    let id = rows(&list)[0]["id"].as_str().unwrap().to_string();
    let (code, _, err) = env.run(&["instance", "reboot", &id]);
    assert_ne!(code, 0);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("failed")).collect();
    assert_eq!(lines.len(), 1, "the error once: {err}");
}

#[test]
fn detaching_an_unattached_disk_is_refused_before_asking() {
    let env = Env::new();
    let list = env.json(&["list", "disks", "-f", "state:available"]);
    let id = rows(&list)[0]["ref"].as_str().unwrap().to_string();
    let (code, out, err) = env.run(&["disk", "detach", &id, "--yes"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("is not attached"), "{err}");
    assert!(
        !err.contains("from ?") && !out.contains("from ?"),
        "{out}{err}"
    );
    assert!(env.journal().is_empty(), "nothing was sent");
}

#[test]
fn instance_verbs_have_help_text() {
    let env = Env::new();
    let out = env.cmd().args(["instance", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for verb in ["start", "stop", "reboot", "create", "terminate"] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(verb))
            .unwrap_or_else(|| panic!("{verb} in {help}"));
        assert!(line.trim() != verb, "`{verb}` has a description: {help}");
    }
}

#[test]
fn cost_findings_and_compare_print_csv() {
    let env = Env::new();
    let (code, out, err) = env.run(&["cost", "findings", "-o", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ref,kind,finding,"), "{out}");
    let (code, out, err) = env.run(&[
        "cost",
        "compare",
        "--vcpus",
        "2",
        "--memory-gib",
        "8",
        "-o",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("provider,region,sku,"), "{out}");
}

#[test]
fn findings_never_credit_a_resource_more_than_it_costs() {
    let env = Env::new();
    let findings = env.json(&["cost", "findings"]);
    let costs = env.json(&["list", "costs"]);
    let mut per_resource: std::collections::HashMap<String, f64> = Default::default();
    let mut spot_and_resize = 0;
    for f in rows(&findings) {
        let r = f["ref"].as_str().unwrap().to_string();
        let counted = f["alternative_to"].is_null();
        if !counted {
            spot_and_resize += 1;
        }
        let e = per_resource.entry(r).or_default();
        if counted {
            *e += f["monthly_savings_usd"].as_f64().unwrap();
        }
    }
    assert!(
        spot_and_resize > 0,
        "the sandbox has machines with two findings"
    );
    for (r, saved) in &per_resource {
        let cost = find(&costs, |c| c["ref"] == r.as_str());
        // A stopped machine's finding is its disks' cost; the rest are the resource's own.
        if let Some(m) = cost["monthly_usd"].as_f64().filter(|m| *m > 0.0) {
            assert!(*saved <= m + 0.01, "{r}: {saved} saved of {m}");
        }
    }
    // The table's total counts each resource once.
    let (_, table, _) = env.run(&["cost", "findings"]);
    let total_line = table.lines().find(|l| l.starts_with("total")).unwrap();
    let total: f64 = per_resource.values().sum();
    assert!(
        total_line.contains(&format!("{total:.2}")),
        "{total:.2} in {total_line}"
    );
}

#[test]
fn costs_and_findings_json_carry_the_name() {
    let env = Env::new();
    let costs = env.json(&["list", "costs"]);
    let instances = env.json(&["list", "instances"]);
    let one = &rows(&instances)[0];
    let c = find(&costs, |c| c["ref"] == one["ref"]);
    assert_eq!(c["name"], one["name"]);
    let findings = env.json(&["cost", "findings"]);
    assert!(
        rows(&findings).iter().all(|f| f["name"].is_string()),
        "{findings}"
    );
    let (_, csv, _) = env.run(&["list", "costs", "-o", "csv"]);
    assert!(
        csv.lines().next().unwrap().split(',').any(|h| h == "name"),
        "{csv}"
    );
}

#[test]
fn fields_project_json_csv_and_table() {
    let env = Env::new();
    let v = env.json(&["list", "instances", "--fields", "id,name,state"]);
    for r in rows(&v) {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "name", "state"], "{r}");
    }
    // In the order asked (serde_json's Value would sort them).
    let (code, out, err) = env.run(&["list", "instances", "-o", "json", "--fields", "state,name"]);
    assert_eq!(code, 0, "{err}");
    let s = out.find("\"state\"").unwrap();
    let n = out.find("\"name\"").unwrap();
    assert!(s < n, "{out}");
    let (code, out, err) = env.run(&["list", "disks", "-o", "csv", "--fields", "name,size_gib"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().next().unwrap(), "name,size_gib");
    assert_eq!(out.lines().nth(1).unwrap().split(',').count(), 2);
    let (code, out, err) = env.run(&[
        "list",
        "instances",
        "--fields",
        "name,state",
        "--no-headers",
    ]);
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap();
    assert!(!first.contains("NAME"), "{first}");
    assert_eq!(first.split_whitespace().count(), 2, "{first}");
    let (code, out, _) = env.run(&["list", "disks", "-o", "csv", "--no-headers"]);
    assert_eq!(code, 0);
    assert!(!out.starts_with("ref,"), "{out}");
    // `get`: only those lines, no raw payload.
    let name = rows(&v)[0]["name"].as_str().unwrap().to_string();
    let (code, out, err) = env.run(&["get", "instance", &name, "--fields", "state,name"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("state") && lines[1].starts_with("name"),
        "{out}"
    );
    let (code, _, err) = env.run(&["list", "instances", "--fields", "id,colour"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn completion_scripts_for_bash_zsh_and_fish() {
    let env = Env::new();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef nephos"),
        ("fish", "complete -c nephos"),
    ] {
        let out = env.cmd().args(["completion", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(marker),
            "{shell}: {}",
            &text[..text.len().min(300)]
        );
        assert!(text.contains("instance"), "{shell} knows the subcommands");
    }
}

#[test]
fn filter_power_on_the_command_line() {
    let env = Env::new();
    let all = env.json(&["list", "instances"]);
    let big = env.json(&["list", "instances", "-f", "vcpus>=4"]);
    let want = rows(&all)
        .iter()
        .filter(|r| r["vcpus"].as_u64().unwrap_or(0) >= 4)
        .count();
    assert!(want > 0);
    assert_eq!(rows(&big).len(), want);
    let either = env.json(&["list", "instances", "-f", "state:running|stopped"]);
    let want = rows(&all)
        .iter()
        .filter(|r| r["state"] == "running" || r["state"] == "stopped")
        .count();
    assert_eq!(rows(&either).len(), want);
    let ip = rows(&all)[0]["private_ip"].as_str().unwrap().to_string();
    let by_ip = env.json(&["list", "instances", "-f", &ip]);
    assert!(rows(&by_ip).iter().any(|r| r["private_ip"] == ip.as_str()));
    let (code, _, err) = env.run(&["list", "instances", "-f", "vcpus=>4"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown operator '=>'"), "{err}");
}
