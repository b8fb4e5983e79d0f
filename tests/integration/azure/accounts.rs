//! Credentials: the Azure CLI (a stand-in `az` on PATH), the config's `credential`.

use std::os::unix::fs::PermissionsExt;

use azure_core::auth::TokenCredential;
use nephos::providers::azure::credentials::{AzCliCredential, ARM_SCOPE};

/// A stand-in `az` that logs its arguments and answers like `az account get-access-token`.
fn fake_az(dir: &std::path::Path, logged_in: bool) {
    let script = if logged_in {
        format!(
            "#!/bin/sh\necho \"$@\" >> {log}\necho '{{\"accessToken\": \"cli-token-123\", \"expiresOn\": \"2099-01-01 00:00:00.000000\", \"expires_on\": 4070908800, \"subscription\": \"s\", \"tenant\": \"t\", \"tokenType\": \"Bearer\"}}'\n",
            log = dir.join("args.log").display()
        )
    } else {
        "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n"
            .to_string()
    };
    let path = dir.join("az");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// PATH is process-wide: both cases run in one test so they never race each other.
#[tokio::test]
async fn the_cli_credential_asks_az_for_the_tenant_and_says_to_log_in() {
    let ok = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    fake_az(ok.path(), true);
    fake_az(out.path(), false);
    let old = std::env::var("PATH").unwrap_or_default();

    std::env::set_var("PATH", format!("{}:{old}", ok.path().display()));
    let c = AzCliCredential::new(Some("contoso.onmicrosoft.com"));
    let t = c.get_token(&[ARM_SCOPE]).await.unwrap();
    assert_eq!(t.token.secret(), "cli-token-123");
    assert_eq!(t.expires_on.unix_timestamp(), 4070908800);
    let args = std::fs::read_to_string(ok.path().join("args.log")).unwrap();
    assert!(args.contains("account get-access-token --output json --scope https://management.azure.com/.default --tenant contoso.onmicrosoft.com"), "{args}");

    std::env::set_var("PATH", format!("{}:{old}", out.path().display()));
    let e = c.get_token(&[ARM_SCOPE]).await.unwrap_err();
    std::env::set_var("PATH", old);
    assert!(e.to_string().contains("Please run 'az login'"), "{e}");
}
