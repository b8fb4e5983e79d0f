//! A service-account key used against `endpoint_url`: google-cloud-auth signs its own JWT
//! (RS256, `scope` cloud-platform) and sends it as the bearer token, so no token endpoint is
//! called; the key's private part never shows in what nephos answers. The RSA key is made at
//! test time with `openssl genpkey` (a throwaway; nothing secret is checked in).

use base64::Engine as _;
use nephos::domain::ResourceKind;
use nephos::providers::CloudProvider;
use serde_json::{json, Value};

use super::stub::{Stub, World};

const EMAIL: &str = "nephos-test@proj.iam.gserviceaccount.com";

/// A fresh PKCS#8 RSA key in PEM, as service-account keys carry them.
fn rsa_key() -> String {
    let out = std::process::Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ])
        .output()
        .expect("openssl on PATH");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn part(jwt: &str, i: usize) -> Value {
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(jwt.split('.').nth(i).expect("a JWT part"))
        .expect("base64url");
    serde_json::from_slice(&b).expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_account_key_signs_its_own_token_against_the_endpoint() {
    let mut w = World::new();
    w.seed("proj", &["us-central1-a"], 2, false);
    w.forbidden.insert("locked".into());
    let stub = Stub::start(w);
    let pem = rsa_key();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sa.json");
    let key = json!({
        "type": "service_account",
        "project_id": "proj",
        "private_key_id": "0123456789abcdef0123456789abcdef01234567",
        "private_key": pem,
        "client_email": EMAIL,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": format!("{}/token", stub.url),
    });
    std::fs::write(&file, key.to_string()).unwrap();
    let mut s = stub.settings("proj");
    s.credentials_file = Some(file.clone());
    let p = stub.provider_with("gcp-proj", &[], false, s.clone());
    assert_eq!(super::instances(&p).await.len(), 2);
    let auth = stub.with(|w| w.authorizations.clone());
    assert!(!auth.is_empty(), "every call carries a token");
    let jwt = auth[0].strip_prefix("Bearer ").expect("a bearer token");
    assert_eq!(jwt.split('.').count(), 3, "a signed JWT");
    assert_eq!(part(jwt, 0)["alg"], "RS256");
    assert_eq!(
        part(jwt, 0)["kid"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    let claims = part(jwt, 1);
    assert_eq!(claims["iss"], EMAIL);
    assert!(
        claims["scope"]
            .as_str()
            .is_some_and(|s| s.contains("cloud-platform")),
        "{claims}"
    );
    assert_eq!(
        stub.with(|w| w.count("POST", "/token")),
        0,
        "a self-signed JWT needs no token endpoint"
    );
    // A project the key cannot read: its error, with nothing of the key in it.
    s.project = "locked".into();
    let locked = stub.provider_with("gcp-locked", &[], false, s);
    let scope = locked
        .list_scopes(ResourceKind::Instance)
        .await
        .unwrap()
        .remove(0);
    let e = locked
        .list(&scope, ResourceKind::Instance)
        .await
        .unwrap_err();
    let shown = format!("{e} {e:?}");
    let secret_line = pem.lines().nth(1).unwrap();
    assert!(!shown.contains(secret_line), "{shown}");
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    assert!(!shown.contains(jwt), "no token in the error");
}
