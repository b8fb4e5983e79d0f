//! Accounts through the CLI, as a user configures them: profiles from an AWS config file, one
//! account failing beside one that works, credentials resolved once per account, `--wait`.

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

use crate::support::Env;

use super::moto::{seed, Moto};

pub(super) const MOTO_PROFILE: &str =
    "[profile moto]\naws_access_key_id = testing\naws_secret_access_key = testing\nregion = us-east-1\n\n";

/// A nephos env whose AWS config file holds `profiles`.
pub(super) fn env_with_profiles(profiles: &str) -> Env {
    let env = Env::new();
    env.write("aws/config", profiles);
    env
}

/// One `[[accounts]]` entry reaching AWS at `url`.
pub(super) fn account(name: &str, profile: &str, regions: &[&str], url: &str) -> String {
    format!(
        "[[accounts]]\nname = \"{name}\"\nprovider = \"aws\"\nprofile = \"{profile}\"\nregions = {regions:?}\nendpoint_url = \"{url}\"\n\n"
    )
}

/// Write `accounts` as the config and run `nephos --config … ARGS` with the env's AWS files.
pub(super) fn nephos(env: &Env, accounts: &str, args: &[&str], vars: &[(&str, String)]) -> Output {
    let config: PathBuf = env.write("nephos.toml", accounts);
    let mut c = env.cmd();
    c.env("AWS_CONFIG_FILE", env.path("aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", env.path("aws/credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in vars {
        c.env(k, v);
    }
    c.arg("--config").arg(&config).args(args).output().unwrap()
}

/// The JSON a successful run printed.
pub(super) fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_whose_credentials_fail_is_reported_beside_one_that_works() {
    let moto = Moto::start();
    seed(&moto.ec2("us-east-1").await, "web", 2, 1, "t3.micro").await;
    seed(&moto.ec2("eu-west-1").await, "db", 1, 1, "m5.large").await;
    let env = env_with_profiles(&format!(
        "{MOTO_PROFILE}[profile broken]\ncredential_process = /bin/false\n\n\
         [profile sso-expired]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = us-east-1\n\n\
         [sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
    ));
    let url = moto.url();
    let accounts = account("dev", "moto", &["us-east-1", "eu-west-1"], &url)
        + &account("ops", "broken", &["us-east-1"], &url)
        + &account("corp", "sso-expired", &["us-east-1"], &url);
    let out = nephos(&env, &accounts, &["list", "instances", "-o", "json"], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed account makes the listing partial: {stderr}"
    );
    let rows: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "dev's instances in both regions");
    assert!(rows.iter().all(|r| r["account"] == "dev"));
    assert!(
        stderr.contains("aws ops region us-east-1 instances"),
        "the failing scope in AWS words: {stderr}"
    );
    assert!(stderr.contains("could not get credentials"), "{stderr}");
    assert!(
        stderr.contains("--profile broken"),
        "the fix names the profile: {stderr}"
    );
    assert!(
        stderr.contains("aws sso login --profile sso-expired"),
        "an SSO profile is told to log in: {stderr}"
    );
    assert!(
        !stderr.contains("testing"),
        "no key material in messages: {stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("testing"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_are_resolved_once_per_account_for_all_its_regions() {
    let moto = Moto::start();
    let env = Env::new();
    let counter = env.path("credential-calls");
    let script = env.write(
        "creds.sh",
        &format!(
            "#!/bin/sh\necho x >> {}\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKIDCOUNTED\", \"SecretAccessKey\": \"s3cr3t\"}}'\n",
            counter.display()
        ),
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    env.write(
        "aws/config",
        &format!(
            "[profile counted]\ncredential_process = {}\n",
            script.display()
        ),
    );
    let regions = ["us-east-1", "us-west-2", "eu-west-1"];
    let out = nephos(
        &env,
        &account("dev", "counted", &regions, &moto.url()),
        &["list", "disks", "-o", "json"],
        &[],
    );
    ok_json(&out);
    let calls = std::fs::read_to_string(&counter).unwrap();
    assert_eq!(
        calls.lines().count(),
        1,
        "one credential_process run for three regions"
    );
    let logs = std::fs::read_dir(env.path("state"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<String>();
    assert!(
        !logs.contains("s3cr3t") && !logs.contains("AKIDCOUNTED"),
        "no credentials in logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_stops_an_instance_and_waits_for_it() {
    let moto = Moto::start();
    let ec2 = moto.ec2("us-east-1").await;
    seed(&ec2, "job", 1, 1, "t3.micro").await;
    let env = env_with_profiles(MOTO_PROFILE);
    let accounts = account("dev", "moto", &["us-east-1"], &moto.url());
    let out = nephos(
        &env,
        &accounts,
        &["instance", "stop", "job-0", "--yes", "--wait", "-o", "json"],
        &[],
    );
    ok_json(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"stopped\""), "{text}");
    let seen = ec2.describe_instances().send().await.unwrap();
    let state = seen.reservations()[0].instances()[0]
        .state()
        .unwrap()
        .name()
        .unwrap()
        .as_str()
        .to_string();
    assert_eq!(state, "stopped");

    // With one account configured, creating needs no --account.
    let made = ok_json(&nephos(
        &env,
        &accounts,
        &[
            "disk",
            "create",
            "--region",
            "us-east-1",
            "--zone",
            "us-east-1c",
            "--name",
            "scratch",
            "--size-gib",
            "8",
            "--wait",
            "-o",
            "json",
        ],
        &[],
    ));
    assert_eq!(made[0]["state"], "available");
    assert_eq!(
        made[0]["resource"]["ref"]
            .as_str()
            .unwrap()
            .split(':')
            .nth(1),
        Some("dev")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_that_assumes_a_role_from_a_source_profile_lists() {
    let moto = Moto::start();
    seed(&moto.ec2("eu-west-1").await, "app", 2, 1, "t3.micro").await;
    let env = env_with_profiles(&format!(
        "{MOTO_PROFILE}[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/Ops\nsource_profile = moto\nregion = eu-west-1\n"
    ));
    // STS (AssumeRole) is reached through its own endpoint variable, as with the AWS CLI.
    let rows = ok_json(&nephos(
        &env,
        &account("ops", "ops", &["eu-west-1"], &moto.url()),
        &["list", "instances", "-o", "json"],
        &[("AWS_ENDPOINT_URL_STS", moto.url())],
    ));
    assert_eq!(rows.as_array().unwrap().len(), 2);
}
