//! Config problems and the no-config case, through the binary.

use crate::support::Env;

#[test]
fn without_config_or_demo_it_says_how_to_begin() {
    let env = Env::new();
    let out = env.cmd().args(["list", "instances"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no accounts are configured") && err.contains("nephos --demo"),
        "{err}"
    );
}

#[test]
fn malformed_config_names_file_and_line() {
    let env = Env::new();
    let path = env.write(
        "cfg.toml",
        "[[accounts]]\nname = \"prod\"\nprovider = \"aws\"\nregions = [\"us-east-1\"\n",
    );
    let out = env
        .cmd()
        .args(["--config", path.to_str().unwrap(), "list", "instances"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:4", path.display())), "{err}");
}

#[test]
fn a_named_config_must_exist() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "--config",
            "/nonexistent/nephos.toml",
            "--demo",
            "list",
            "instances",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/nephos.toml: no such file"));
}

#[test]
fn an_account_without_its_adapter_shows_its_error_and_others_still_work() {
    let env = Env::new();
    let path = env.write(
        "cfg.toml",
        "[[accounts]]\nname = \"corp\"\nprovider = \"azure\"\nsubscription = \"0000\"\ncredential = \"azure-cli\"\n",
    );
    // With the Azure adapter built, its error is the missing login: no `az` on this PATH, and
    // nothing is asked of the network.
    let no_az = env.path("empty-bin");
    std::fs::create_dir_all(&no_az).unwrap();
    let out = env
        .cmd()
        .args(["--config", path.to_str().unwrap(), "accounts", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["name"], "corp");
    assert_eq!(v[0]["id"], "0000");
    let out = env
        .cmd()
        .env("PATH", &no_az)
        .args(["--config", path.to_str().unwrap(), "list", "instances"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("corp"),
        "the account's own error is named"
    );
}

/// Issue 15: a saved view with an unknown pane is a config error with the file and line.
#[test]
fn a_bad_saved_view_names_file_and_line() {
    let env = Env::new();
    let path = env.write(
        "cfg.toml",
        "[[views]]\nname = \"prod-web\"\npane = \"instances\"\nsort = \"colour:desc\"\n",
    );
    let out = env
        .cmd()
        .args([
            "--config",
            path.to_str().unwrap(),
            "--demo",
            "list",
            "instances",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:4", path.display())), "{err}");
    assert!(err.contains("cannot sort by 'colour'"), "{err}");
}

/// A GCP account without `project` takes gcloud's, as Google's tools do; with none anywhere,
/// the config names the account's line.
#[test]
fn a_gcp_account_without_project_takes_gclouds_or_names_its_line() {
    let env = Env::new();
    let gcloud = env.path("gcloud");
    std::fs::create_dir_all(gcloud.join("configurations")).unwrap();
    std::fs::write(
        gcloud.join("configurations/config_default"),
        "[core]\naccount = me@example.com\nproject = acme-from-gcloud\n",
    )
    .unwrap();
    let path = env.write(
        "cfg.toml",
        "[[accounts]]\nname = \"data\"\nprovider = \"gcp\"\nregions = [\"us-central1\"]\n",
    );
    let run = |config_dir: &std::path::Path| {
        env.cmd()
            .env_remove("GOOGLE_CLOUD_PROJECT")
            .env_remove("CLOUDSDK_CORE_PROJECT")
            .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
            .env_remove("CLOUDSDK_ACTIVE_CONFIG_NAME")
            .env("CLOUDSDK_CONFIG", config_dir)
            .args(["--config", path.to_str().unwrap(), "accounts", "-o", "json"])
            .output()
            .unwrap()
    };
    let out = run(&gcloud);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got[0]["id"], "acme-from-gcloud", "{got}");

    let out = run(&env.path("no-gcloud"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:3", path.display())) && err.contains("needs project"),
        "{err}"
    );
}
