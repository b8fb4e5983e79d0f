//! Hostile input through the binary (issue 14): config files that once panicked or pointed at
//! the wrong line, numbers too big to use, names carrying terminal escapes, a timeout that
//! overflowed, and an action on an account that could not be read.

use serde_json::Value;

use crate::support::{find, Env};

/// Every byte a terminal could act on, other than the line breaks the output is made of.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars().filter(|c| c.is_control() && *c != '\n').collect()
}

fn no_panic(code: i32, err: &str) {
    assert_ne!(code, 101, "nephos panicked: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_crlf_config_with_non_ascii_is_an_error_at_the_right_line() {
    let env = Env::new();
    let text = "[[accounts]]\r\nname = \"x\"\r\nprovider = \"aws\" # é\r\nregions = [\"us-east-1\"] # é\r\nproject = \"p\"\r\n";
    let path = env.write("crlf.toml", text);
    let (code, _, err) = env.run(&["--config", path.to_str().unwrap(), "accounts"]);
    no_panic(code, &err);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "nephos: {}:5:1: 'project' is a gcp setting, but account 'x' is aws",
            path.display()
        )
    );

    // The same without the non-ASCII character: the line was 4:23 instead of 5:1.
    let path = env.write("crlf-ascii.toml", &text.replace(" # é", ""));
    let (code, _, err) = env.run(&["--config", path.to_str().unwrap(), "accounts"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{}:5:1: 'project'", path.display())),
        "{err}"
    );
}

#[test]
fn an_oversized_or_endless_config_is_refused_without_reading_it_all() {
    let env = Env::new();
    // A valid file (all comment lines), just too big to be a config.
    let big = "# padding padding padding padding padding padding padding padding\n".repeat(40_000);
    let path = env.write("big.toml", &big);
    let (code, _, err) = env.run(&["--config", path.to_str().unwrap(), "accounts"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than 1 MiB"), "{err}");
    assert!(err.len() < 400, "the error does not echo the file: {err}");

    let (code, _, err) = env.run(&["--config", "/dev/zero", "accounts"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("/dev/zero") && err.contains("larger than 1 MiB"),
        "{err}"
    );
}

#[test]
fn an_absurd_latency_is_a_config_error_not_a_hang() {
    let env = Env::new();
    let path = env.write("cfg.toml", "[sandbox]\nlatency_ms = 9223372036854775807\n");
    let (code, _, err) = env.run(&["--config", path.to_str().unwrap(), "accounts"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{}:2:", path.display())) && err.contains("latency_ms"),
        "{err}"
    );
}

#[test]
fn an_absurd_wait_timeout_is_refused_before_anything_is_sent() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let id = find(&list, |r| r["provider"] == "aws" && r["state"] == "running")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, err) = env.run(&[
        "instance",
        "stop",
        &id,
        "--wait",
        "--timeout",
        "18446744073709551615",
    ]);
    no_panic(code, &err);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--timeout"), "{err}");
    let got = env.json(&["get", "instance", &id]);
    assert_eq!(got["state"], "running", "nothing was sent");
    assert!(env.journal().is_empty(), "nothing was journaled");
}

const EVIL: &str = "evil\u{1b}]2;PWNED\u{7}\u{1b}[2J\u{9b}31m";

#[test]
fn names_with_terminal_escapes_are_printed_escaped_everywhere() {
    let env = Env::new();
    let create = [
        "instance",
        "create",
        "--account",
        "sandbox-aws",
        "--region",
        "us-east-1",
        "--type",
        "t3.micro",
        "--name",
        EVIL,
        "--tag",
        &format!("note={EVIL}"),
    ];
    // The action result table.
    let (code, out, err) = env.run(&create);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("evil\\e]2;PWNED\\x07\\e[2J"), "{out}");
    assert_eq!(raw_controls(&out), [] as [char; 0], "{out:?}");

    for args in [
        &["list", "instances"][..],
        &["list", "instances", "-o", "csv"],
        &["list", "instances", "-o", "json"],
        &["get", "instance", EVIL],
        &["get", "instance", EVIL, "-o", "csv"],
        &["list", "costs"],
    ] {
        let (code, out, err) = env.run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        if args[1] != "costs" {
            assert!(out.contains("evil"), "{args:?}: {out}");
        }
        assert_eq!(raw_controls(&out), [] as [char; 0], "{args:?}: {out:?}");
        assert_eq!(raw_controls(&err), [] as [char; 0], "{args:?}: {err:?}");
    }
    // JSON keeps the exact name (escaped the JSON way), so scripts see the real value.
    let list = env.json(&["list", "instances"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == EVIL && r["tags"]["note"] == EVIL));

    // Error messages: not found, and the action's own failure.
    let (code, out, err) = env.run(&["instance", "stop", &format!("{EVIL}x")]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("evil\\e]2;"), "{err}");
    assert_eq!(raw_controls(&out), [] as [char; 0], "{out:?}");
    assert_eq!(raw_controls(&err), [] as [char; 0], "{err:?}");
    // The confirmation's plan names the resource, on stderr.
    let (code, _, err) = env.run(&["instance", "terminate", EVIL]);
    assert_eq!(code, 4, "{err}");
    assert_eq!(raw_controls(&err), [] as [char; 0], "{err:?}");
}

#[test]
fn an_action_on_an_unreadable_account_reports_its_error() {
    let env = Env::new();
    let list = env.json(&["list", "instances"]);
    let vm: &Value = find(&list, |r| r["provider"] == "gcp" && r["state"] == "running");
    let r = vm["ref"].as_str().unwrap().to_string();
    let mut cmd = env.cmd();
    let out = cmd
        .env("NEPHOS_SANDBOX_FAULTS", "sandbox-gcp=auth")
        .args(["--demo", "instance", "stop", &r])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("credentials for sandbox-gcp were rejected"),
        "{err}"
    );
    assert!(!err.contains("no instance matches"), "{err}");
    // `get` says the same with the same code.
    let out = env
        .cmd()
        .env("NEPHOS_SANDBOX_FAULTS", "sandbox-gcp=auth")
        .args(["--demo", "get", "instance", &r])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_fault_for_an_unknown_account_is_an_error() {
    let env = Env::new();
    let path = env.write("cfg.toml", "[sandbox]\nfaults = [\"sandbox-gpc=auth\"]\n");
    let (code, _, err) = env.run(&["--config", path.to_str().unwrap(), "accounts"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{}:2:", path.display())) && err.contains("sandbox-gpc"),
        "{err}"
    );
    let out = env
        .cmd()
        .env("NEPHOS_SANDBOX_FAULTS", "nobody=auth")
        .args(["--demo", "accounts"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'nobody'"));
}

#[test]
fn an_empty_quoted_filter_says_what_is_wrong() {
    let env = Env::new();
    let (code, _, err) = env.run(&["list", "instances", "--filter", "\"\""]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("'!'"), "{err}");
    assert!(err.contains("empty"), "{err}");
}
