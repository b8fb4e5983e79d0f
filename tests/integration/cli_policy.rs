//! The one policy through the CLI: refusals in the words the console uses too, protected tags
//! matched in any case, `--yes` never enough for a protected resource, and the protecting tag
//! itself guarded. Typed errors: a taken name exits with its own code.

use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{find, Env};

fn running_aws_with_env<'a>(list: &'a Value, env: &str) -> &'a Value {
    find(list, |r| {
        r["provider"] == "aws" && r["state"] == "running" && r["tags"]["env"] == env
    })
}

fn state_of(env: &Env, id: &str) -> String {
    env.json(&["get", "instance", id])["state"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn refusals_read_the_same_as_in_the_console() {
    let env = Env::new();
    // These sentences are asserted word for word by the reducer and palette tests
    // (update::tests::actions::the_policy_refuses_in_the_clis_words).
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
    assert_eq!(
        err.trim_end(),
        "nephos: refused: account 'sandbox-azure' cannot create-load-balancer: azure load balancers here are network"
    );
    let list = env.json(&["list", "instances"]);
    let id = running_aws_with_env(&list, "dev")["id"].as_str().unwrap();
    let (code, _, err) = env.run(&["--read-only", "tag", id, "owner=x"]);
    assert_eq!(code, 4);
    assert_eq!(
        err.trim_end(),
        "nephos: refused: account 'sandbox-aws' is read-only: no changes are made to it"
    );
}

#[test]
fn yes_alone_does_not_terminate_a_protected_resource_without_a_terminal() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let prod = running_aws_with_env(&list, "prod");
    let (id, name) = (prod["id"].as_str().unwrap(), prod["name"].as_str().unwrap());
    let (code, _, err) = env.run(&["instance", "terminate", id, "--yes"]);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains(&format!("--confirm {name}")), "{err}");
    assert_eq!(state_of(&env, id), "running", "nothing was done");
    let (code, _, err) = env.run(&["instance", "terminate", id, "--yes", "--confirm", "other"]);
    assert_eq!(code, 4, "naming another resource confirms nothing: {err}");
    let res = env.json(&["instance", "terminate", id, "--yes", "--confirm", name]);
    assert_eq!(res[0]["outcome"], "succeeded");
}

#[test]
fn protected_tags_match_whatever_the_case() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let dev = running_aws_with_env(&list, "dev");
    let id = dev["id"].as_str().unwrap().to_string();
    // Adding a protection asks nothing; AWS keys are case-sensitive, so this is a new tag.
    env.json(&["tag", &id, "Env=PROD"]);
    let (code, _, err) = env.run(&["instance", "terminate", &id, "--yes"]);
    assert_eq!(code, 4, "Env=PROD is protected like env=prod: {err}");
    assert_eq!(state_of(&env, &id), "running");
}

#[test]
fn changing_or_removing_the_protecting_tag_needs_the_name() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let prod = running_aws_with_env(&list, "prod");
    let (id, name) = (prod["id"].as_str().unwrap(), prod["name"].as_str().unwrap());
    for args in [
        vec!["tag", id, "env=dev"],
        vec!["tag", id, "--remove", "env"],
        vec!["tag", id, "env=dev", "--yes"],
    ] {
        let (code, _, err) = env.run(&args);
        assert_eq!(code, 4, "{args:?}: {err}");
        assert!(err.contains("protected"), "{err}");
    }
    assert_eq!(env.json(&["get", "instance", id])["tags"]["env"], "prod");
    // Other tags of a protected resource change as before.
    env.json(&["tag", id, "owner=alice"]);
    env.json(&["tag", id, "env=dev", "--yes", "--confirm", name]);
    assert_eq!(env.json(&["get", "instance", id])["tags"]["env"], "dev");
}

/// `nephos --demo ARGS…` on a pseudo-terminal (util-linux `script`), answering with `input`.
fn on_a_terminal(env: &Env, args: &[&str], input: &str) -> (i32, String) {
    let nephos = assert_cmd::cargo::cargo_bin("nephos");
    let line = std::iter::once(nephos.display().to_string())
        .chain(std::iter::once("--demo".to_string()))
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let base = env.std_cmd();
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"]);
    for (k, v) in base.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script(1) runs (util-linux)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn on_a_terminal_yes_still_asks_for_a_protected_name() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let prod = running_aws_with_env(&list, "prod");
    let (id, name) = (prod["id"].as_str().unwrap(), prod["name"].as_str().unwrap());
    let (code, out) = on_a_terminal(&env, &["instance", "terminate", id, "--yes"], "wrong\n");
    assert!(out.contains("Type its name"), "{out}");
    assert_eq!(code, 4, "{out}");
    assert_eq!(state_of(&env, id), "running");
    let (code, out) = on_a_terminal(
        &env,
        &["instance", "terminate", id, "--yes"],
        &format!("{name}\n"),
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_taken_name_exits_with_its_own_code_and_kind() {
    let env = Env::new();
    let create = [
        "lb",
        "create",
        "--account",
        "sandbox-gcp",
        "--region",
        "us-central1",
        "--name",
        "front",
        "--kind",
        "network",
    ];
    env.json(&create);
    let out = env
        .cmd()
        .arg("--demo")
        .args(create)
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "already exists");
    let res: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(res[0]["error_kind"], "already-exists");
    assert_eq!(res[0]["error_code"], "alreadyExists");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "said once: {err}");
    assert!(err.contains("alreadyExists: "), "{err}");
}
