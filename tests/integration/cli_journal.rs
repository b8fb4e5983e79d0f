//! The journal through the CLI: `nephos journal` and its unknown outcomes, a journal that
//! cannot be written, `sandbox reset` guarded and journaled, private files.

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::support::{find, Env};

fn running_aws(env: &Env) -> (String, String) {
    let list = env.json(&["list", "instances"]);
    let row = find(&list, |r| r["provider"] == "aws" && r["state"] == "running");
    (
        row["id"].as_str().unwrap().to_string(),
        row["ref"].as_str().unwrap().to_string(),
    )
}

fn instance_count(env: &Env) -> usize {
    env.json(&["list", "instances"]).as_array().unwrap().len()
}

#[test]
fn sandbox_reset_is_refused_in_read_only_and_changes_nothing() {
    let env = Env::new();
    env.json(&["sandbox", "reset", "--instances", "30"]);
    let (code, _, err) = env.run(&["--read-only", "sandbox", "reset", "--yes"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("read-only"), "{err}");
    env.write(
        "config/nephos/config.toml",
        "[guardrails]\nread_only = true\n",
    );
    let (code, _, err) = env.run(&["sandbox", "reset", "--yes"]);
    assert_eq!(code, 4, "{err}");
    std::fs::remove_file(env.path("config/nephos/config.toml")).unwrap();
    assert_eq!(instance_count(&env), 30, "the world was not replaced");
}

#[test]
fn sandbox_reset_asks_first_and_is_journaled() {
    let env = Env::new();
    env.json(&["sandbox", "reset", "--instances", "30"]);
    // No terminal to ask on: without --yes nothing happens.
    let (code, _, err) = env.run(&["sandbox", "reset", "--instances", "40"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(instance_count(&env), 30);
    env.json(&["sandbox", "reset", "--instances", "40", "--yes"]);
    assert_eq!(instance_count(&env), 40);
    let j = env.journal();
    let resets: Vec<(&str, &str)> = j
        .iter()
        .filter(|e| e["action"] == "reset-sandbox")
        .map(|e| {
            (
                e["outcome"].as_str().unwrap(),
                e["detail"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        resets.len(),
        4,
        "two resets, each started and succeeded: {j:?}"
    );
    assert_eq!(resets[3].0, "succeeded");
    assert!(resets[3].1.contains("40 instances"), "{}", resets[3].1);
}

#[test]
fn a_lone_started_is_shown_as_unknown_and_checked_by_describing_the_resource() {
    let env = Env::new();
    let (id, r) = running_aws(&env);
    env.json(&["instance", "stop", &id, "--wait"]);
    // As if the process had been killed between sending the stop and hearing back.
    let path = env.path("data/journal.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let started = text.lines().next().unwrap();
    std::fs::write(&path, format!("{started}\n")).unwrap();

    let rows = env.json(&["journal"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["outcome"], "unknown");
    assert_eq!(rows[0]["ref"], r.as_str());
    assert_eq!(rows[0]["check"]["state"], "stopped");
    assert_eq!(rows[0]["check"]["verdict"], "applied");

    // Without the sandbox's accounts it cannot be checked, and says why.
    let out = env
        .cmd()
        .args(["journal", "--unresolved", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["check"]["verdict"], "unclear");
    assert!(
        v[0]["check"]["note"].as_str().unwrap().contains("--demo"),
        "{v}"
    );
}

#[test]
fn nephos_journal_lists_outcomes_and_reports_a_torn_line() {
    let env = Env::new();
    let (id, _) = running_aws(&env);
    env.json(&["instance", "reboot", &id]);
    // A record cut short by a crash, with no newline after it.
    let path = env.path("data/journal.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"time\":\"2026-01-01T00:00:00Z\",\"account\":\"sandbox-aws\",\"ref\":nu");
    std::fs::write(&path, text).unwrap();
    // The next action starts on a new line and is read back whole.
    env.json(&["instance", "reboot", &id]);

    let out = env
        .cmd()
        .args(["--demo", "journal", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["succeeded", "succeeded"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3: not a whole record"), "{err}");

    for format in ["table", "csv"] {
        let (code, out, _) = env.run(&["journal", "-o", format]);
        assert_eq!(code, 0);
        assert!(out.contains("reboot") && out.contains("succeeded"), "{out}");
    }
}

#[test]
fn a_journal_that_cannot_be_written_is_reported_on_stderr() {
    let env = Env::new();
    let (id, _) = running_aws(&env);
    // A full disk: /dev/full fails every write with ENOSPC.
    std::os::unix::fs::symlink("/dev/full", env.path("data/journal.jsonl")).unwrap();
    let (code, _, err) = env.run(&["instance", "reboot", &id]);
    assert_eq!(code, 0, "the action itself went ahead: {err}");
    assert!(err.contains("could not record"), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
}

#[test]
fn the_journal_world_and_logs_are_private() {
    let env = Env::new();
    let (id, _) = running_aws(&env);
    env.json(&["instance", "reboot", &id]);
    let mode = |rel: &str| {
        std::fs::metadata(env.path(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("data/journal.jsonl"), 0o600);
    assert_eq!(mode("data/sandbox/world.bin"), 0o600);
    assert_eq!(mode("data"), 0o700);
    assert_eq!(mode("data/sandbox"), 0o700);
    assert_eq!(mode("state/logs"), 0o700);
    for log in std::fs::read_dir(env.path("state/logs")).unwrap().flatten() {
        let m = log.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(m, 0o600, "{}", log.path().display());
    }
}
