//! Deadlines and unreachable endpoints through the CLI: an endpoint that accepts TCP and never
//! answers (a loopback listener) beside a healthy moto account; a refused connection; and no
//! access key id in a trace-level log.

use std::net::TcpListener;
use std::thread;

use super::accounts::{account, env_with_profiles, nephos, ok_json, MOTO_PROFILE};
use super::moto::{free_port, seed, Moto};

/// A loopback listener that accepts every connection and never answers; its URL. The
/// connections are held open until the test process ends.
fn hung_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
        }
    });
    url
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_account_is_named_at_the_deadline_and_the_healthy_one_is_listed() {
    let moto = Moto::start();
    seed(&moto.ec2("us-east-1").await, "web", 2, 1, "t3.micro").await;
    let env = env_with_profiles(MOTO_PROFILE);
    let accounts = account("dev", "moto", &["us-east-1"], &moto.url())
        + &account("stuck", "moto", &["eu-west-1"], &hung_endpoint());
    let out = nephos(
        &env,
        &accounts,
        &["list", "instances", "-o", "json", "--deadline", "2"],
        &[],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows.as_array().unwrap().len(),
        2,
        "dev's rows arrive: {err}"
    );
    assert!(
        err.contains("aws account 'stuck' did not answer within 2 s (region eu-west-1)"),
        "{err}"
    );
    assert!(!err.contains("single attempt"), "no SDK wording: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_on_a_healthy_account_does_not_wait_for_a_hung_one() {
    let moto = Moto::start();
    seed(&moto.ec2("us-east-1").await, "job", 2, 1, "t3.micro").await;
    let env = env_with_profiles(MOTO_PROFILE);
    let accounts = account("dev", "moto", &["us-east-1"], &moto.url())
        + &account("stuck", "moto", &["eu-west-1"], &hung_endpoint());
    let listed = ok_json(&nephos(
        &env,
        &accounts,
        &["--account", "dev", "list", "instances", "-o", "json"],
        &[],
    ));
    let job0 = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "job-0")
        .unwrap()["ref"]
        .as_str()
        .unwrap()
        .to_string();
    // By ref: only dev is read, so even a long deadline is never reached.
    let out = nephos(
        &env,
        &accounts,
        &["instance", "stop", &job0, "--deadline", "600", "-o", "json"],
        &[],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("stuck"),
        "the hung account is not asked: {err}"
    );
    // By name: every account is read, the wait is bounded, and the note says who did not answer.
    let out = nephos(
        &env,
        &accounts,
        &[
            "instance",
            "reboot",
            "job-1",
            "--deadline",
            "2",
            "-o",
            "json",
        ],
        &[],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("'job-1' matched") && err.contains("'stuck' did not answer within 2 s"),
        "{err}"
    );
}

#[test]
fn a_refused_connection_is_one_plain_line() {
    let env = env_with_profiles(MOTO_PROFILE);
    let closed = format!("http://127.0.0.1:{}", free_port());
    let out = nephos(
        &env,
        &account("dev", "moto", &["us-east-1"], &closed),
        &["list", "instances"],
        &[],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("dev region us-east-1 instances"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.contains("cannot connect to AWS: the connection was refused"),
        "{line}"
    );
    assert!(line.len() < 300, "one short line: {line}");
    assert!(
        !err.contains("DispatchFailure") && !err.contains("ConnectorError"),
        "no debug dump: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_log_holds_no_access_key_id() {
    let moto = Moto::start();
    seed(&moto.ec2("us-east-1").await, "web", 1, 1, "t3.micro").await;
    let key = "AKIAIOSFODNN7EXAMPLE";
    let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
    let env = env_with_profiles(&format!(
        "[profile keyed]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\nregion = us-east-1\n"
    ));
    let out = nephos(
        &env,
        &account("dev", "keyed", &["us-east-1"], &moto.url()),
        &["list", "instances", "-o", "json"],
        &[("NEPHOS_LOG", "trace".to_string())],
    );
    ok_json(&out);
    let logs: String = std::fs::read_dir(env.path("state/logs"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(
        logs.len() > 10_000,
        "a trace log was written: {} bytes",
        logs.len()
    );
    assert!(!logs.contains(key), "the access key id is in the log");
    assert!(!logs.contains(secret), "the secret is in the log");
}
