//! `nephos network …` against the sandbox: create and delete (only what nephos made), ingress
//! rules added and removed, names resolved through every account's networks, dangerous changes
//! confirmed (No without a terminal unless --yes), read-only refused, every change journaled.

use serde_json::Value;

use crate::support::Env;

fn create_gcp(env: &Env, name: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "network",
        "create",
        name,
        "--account",
        "sandbox-gcp",
        "--region",
        "us-central1",
        "--cidr",
        "10.200.0.0/16",
        "--subnet-cidr",
        "10.200.1.0/24",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// The journal's records for `action`, as (outcome, ref).
fn journaled(env: &Env, action: &str) -> Vec<(String, String)> {
    env.journal()
        .iter()
        .filter(|e| e["action"] == action)
        .map(|e| {
            (
                e["outcome"].as_str().unwrap().to_string(),
                e["ref"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_network_is_created_found_by_name_and_deleted_only_when_confirmed() {
    let env = Env::new();
    let (code, out, err) = create_gcp(&env, "web-net", &["--wait", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let made = json(&out);
    assert_eq!(made[0]["action"], "create-network");
    assert_eq!(made[0]["outcome"], "succeeded");
    assert_eq!(made[0]["name"], "web-net");
    assert_eq!(made[0]["ref"], "gcp:sandbox-gcp:global:network:web-net");

    // The same name again: the cloud says it exists (exit 5), and nothing else happened.
    let (code, _, err) = create_gcp(&env, "web-net", &[]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("already exists"), "{err}");

    // Deleting asks; with no terminal and no --yes the answer is No.
    let (code, _, err) = env.run(&["network", "delete", "web-net"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("not confirmed"), "{err}");
    assert!(journaled(&env, "delete-network").is_empty(), "nothing sent");

    // Found by name among every account's networks, deleted with --yes, then gone.
    let (code, out, err) = env.run(&[
        "network", "delete", "web-net", "--yes", "--wait", "-o", "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)[0]["outcome"], "succeeded");
    let (code, _, err) = env.run(&["network", "delete", "web-net", "--yes"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no network matches 'web-net'"), "{err}");

    // The journal has both ends of both changes, with the network's ref.
    let r = "gcp:sandbox-gcp:global:network:web-net".to_string();
    let creates = journaled(&env, "create-network");
    assert!(
        creates.contains(&("succeeded".into(), r.clone())),
        "{creates:?}"
    );
    assert!(
        creates.iter().any(|(o, _)| o == "failed"),
        "the second create"
    );
    assert_eq!(
        journaled(&env, "delete-network"),
        [
            ("started".into(), r.clone()),
            ("succeeded".into(), r.clone())
        ]
    );
    let history = env.json(&["journal", "--no-check"]);
    let rows: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "delete-network")
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ref"], r.as_str());
    assert_eq!(rows[0]["outcome"], "succeeded");
}

#[test]
fn a_network_nephos_did_not_make_is_not_deleted() {
    let env = Env::new();
    let (code, _, err) = env.run(&["network", "delete", "prod-vpc", "--yes"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("was not made by nephos"), "{err}");
    assert!(env.journal().is_empty(), "nothing was sent");
}

#[test]
fn an_ingress_rule_is_added_and_removed_again() {
    let env = Env::new();
    let rule = ["--port", "8080", "--source", "203.0.113.0/24"];
    let add = |extra: &[&str]| {
        let mut a = vec!["network", "rule", "add", "prod-vpc"];
        a.extend_from_slice(&rule);
        a.extend_from_slice(extra);
        env.run(&a)
    };
    let remove = |extra: &[&str]| {
        let mut a = vec!["network", "rule", "remove", "prod-vpc"];
        a.extend_from_slice(&rule);
        a.extend_from_slice(extra);
        env.run(&a)
    };
    let (code, out, err) = add(&["--wait", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    let res = json(&out);
    assert_eq!(res[0]["action"], "add-ingress-rule");
    assert_eq!(
        res[0]["ref"],
        "gcp:sandbox-gcp:global:security-group:prod-vpc"
    );
    // A private source on a web port asks nothing and warns of nothing.
    assert!(!err.contains("warning"), "{err}");
    let (code, _, err) = add(&[]);
    assert_eq!(code, 5, "the same rule twice: {err}");

    // Removing asks (default No without a terminal), then goes with --yes, then is gone.
    let (code, _, err) = remove(&[]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("not confirmed"), "{err}");
    let (code, out, err) = remove(&["--yes", "-o", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)[0]["outcome"], "succeeded");
    let (code, _, err) = remove(&["--yes"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("nothing to remove"), "{err}");
    let removes = journaled(&env, "remove-ingress-rule");
    assert_eq!(
        removes.len(),
        2,
        "one confirmed removal, started and succeeded: {removes:?}"
    );
}

#[test]
fn a_group_named_in_several_regions_lists_its_candidates_and_a_ref_picks_one() {
    let env = Env::new();
    let (code, _, err) = env.run(&[
        "network",
        "rule",
        "add",
        "db",
        "--port",
        "5432",
        "--source",
        "10.1.0.0/16",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("'db' matches 3 security groups"), "{err}");
    let first = err
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("aws:sandbox-aws:"))
        .and_then(|l| l.split_whitespace().next())
        .expect("a candidate's ref")
        .to_string();
    let res = env.json(&[
        "network",
        "rule",
        "add",
        &first,
        "--port",
        "5432",
        "--source",
        "10.1.0.0/16",
    ]);
    assert_eq!(res[0]["outcome"], "succeeded");
    assert_eq!(res[0]["ref"], first.as_str());
    let (code, _, err) = env.run(&[
        "network",
        "rule",
        "add",
        "nope",
        "--port",
        "22",
        "--source",
        "10.0.0.0/8",
    ]);
    assert_eq!(code, 3);
    assert!(err.contains("no security group matches 'nope'"), "{err}");
}

#[test]
fn opening_a_sensitive_port_to_the_world_warns_and_asks() {
    let env = Env::new();
    let args = [
        "network",
        "rule",
        "add",
        "prod-vpc",
        "--port",
        "3306",
        "--source",
        "0.0.0.0/0",
    ];
    let (code, _, err) = env.run(&args);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains(
            "opens port 3306 (MySQL) to the whole internet: it will be a security finding"
        ),
        "{err}"
    );
    assert!(env.journal().is_empty(), "not confirmed: nothing sent");
    let mut yes = args.to_vec();
    yes.push("--yes");
    let (code, _, err) = env.run(&yes);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("security finding"), "the warning stays: {err}");
}

#[test]
fn read_only_refuses_every_network_change_and_bad_input_is_a_usage_error() {
    let env = Env::new();
    let (code, _, err) = env.run(&[
        "--read-only",
        "network",
        "rule",
        "add",
        "prod-vpc",
        "--port",
        "8080",
        "--source",
        "10.0.0.0/8",
    ]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("is read-only"), "{err}");
    let (code, _, err) = env.run(&["--read-only", "network", "delete", "prod-vpc", "--yes"]);
    assert_eq!(code, 4, "{err}");
    let (code, _, err) = create_gcp(&env, "ro-net", &["--read-only"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("is read-only"), "{err}");
    assert!(env.journal().is_empty());

    let (code, _, err) = create_gcp(&env, "Bad_Name", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("lower-case"), "{err}");
    let (code, _, err) = env.run(&[
        "network",
        "create",
        "n",
        "--account",
        "sandbox-aws",
        "--region",
        "us-east-1",
        "--cidr",
        "10.0.0.0/16",
        "--subnet-cidr",
        "10.9.0.0/24",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("within"), "{err}");
    let (code, _, err) = env.run(&[
        "network",
        "rule",
        "add",
        "prod-vpc",
        "--port",
        "22",
        "--source",
        "somewhere",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("CIDR"), "{err}");
    let (code, _, _) = env.run(&[
        "network",
        "rule",
        "add",
        "prod-vpc",
        "--port",
        "0",
        "--source",
        "10.0.0.0/8",
    ]);
    assert_eq!(code, 2, "port 0");
}

#[test]
fn every_network_verb_and_flag_has_help() {
    let env = Env::new();
    for (verb, flags) in [
        (
            vec!["network", "create"],
            vec!["--region", "--cidr", "--subnet-cidr", "--wait"],
        ),
        (vec!["network", "delete"], vec!["--yes", "--wait"]),
        (
            vec!["network", "rule", "add"],
            vec!["--port", "--protocol", "--source", "--yes"],
        ),
        (
            vec!["network", "rule", "remove"],
            vec!["--port", "--source"],
        ),
    ] {
        let mut args = verb.clone();
        args.push("--help");
        let (code, out, _) = env.run(&args);
        assert_eq!(code, 0);
        for f in flags {
            let line = out
                .lines()
                .find(|l| l.trim_start().starts_with(f) || l.contains(&format!(" {f} ")))
                .unwrap_or_else(|| panic!("{verb:?} --help has no {f}: {out}"));
            assert!(
                line.split_whitespace().count() > 2,
                "{f} is explained: {line}"
            );
        }
    }
}
