//! Where an Azure account gets its token, and the one token it shares. Each account builds its
//! credential once ([`build`]) and wraps it in [`SharedToken`], so every client, page and poll
//! of that account uses one token, fetched once and again only shortly before it expires.
//! Tokens never reach a log, the journal or any output: only their expiry is logged.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use azure_core::auth::{AccessToken, Secret, TokenCredential};
use azure_core::error::{Error, ErrorKind};

use crate::config::AzureCredential;

/// The scope of Azure Resource Manager in the public cloud.
pub const ARM_SCOPE: &str = "https://management.azure.com/.default";

/// A token is fetched again when fewer than this many seconds are left.
const REFRESH_BEFORE: i64 = 300;

/// How long the default chain waits on a managed-identity endpoint that may not exist.
const IMDS_WAIT: Duration = Duration::from_secs(1);

/// The credential the account's config names.
pub fn build(kind: AzureCredential, tenant: Option<&str>) -> Arc<dyn TokenCredential> {
    let cli = || -> Arc<dyn TokenCredential> { Arc::new(AzCliCredential::new(tenant)) };
    let inner: Arc<dyn TokenCredential> = match kind {
        AzureCredential::AzureCli => cli(),
        AzureCredential::Environment | AzureCredential::WorkloadIdentity => {
            Arc::new(Lazy::new(kind))
        }
        AzureCredential::ManagedIdentity => Arc::new(Lazy::new(kind)),
        AzureCredential::Default => Arc::new(Chain {
            sources: vec![
                (
                    "environment",
                    Arc::new(Lazy::new(AzureCredential::Environment)) as _,
                ),
                (
                    "managed identity",
                    Arc::new(Bounded(
                        Arc::new(Lazy::new(AzureCredential::ManagedIdentity)),
                        IMDS_WAIT,
                    )) as _,
                ),
                ("Azure CLI", cli()),
            ],
        }),
    };
    Arc::new(SharedToken::new(inner))
}

/// One of azure_identity's credentials, made on first use (so a missing environment variable is
/// the account's error when it is first used, not when the config is read).
#[derive(Debug)]
struct Lazy {
    kind: AzureCredential,
    made: tokio::sync::OnceCell<Arc<dyn TokenCredential>>,
}

impl Lazy {
    fn new(kind: AzureCredential) -> Self {
        Lazy {
            kind,
            made: tokio::sync::OnceCell::new(),
        }
    }

    fn make(&self) -> azure_core::Result<Arc<dyn TokenCredential>> {
        let opts = azure_identity::TokenCredentialOptions::default();
        Ok(match self.kind {
            AzureCredential::Environment => {
                Arc::new(azure_identity::EnvironmentCredential::create(opts)?)
            }
            AzureCredential::WorkloadIdentity => {
                Arc::new(azure_identity::WorkloadIdentityCredential::create(opts)?)
            }
            AzureCredential::ManagedIdentity if std::env::var_os("IDENTITY_ENDPOINT").is_some() => {
                Arc::new(azure_identity::AppServiceManagedIdentityCredential::create(
                    opts,
                )?)
            }
            AzureCredential::ManagedIdentity => {
                Arc::new(azure_identity::VirtualMachineManagedIdentityCredential::new(opts))
            }
            AzureCredential::AzureCli | AzureCredential::Default => {
                Arc::new(AzCliCredential::new(None))
            }
        })
    }
}

#[async_trait]
impl TokenCredential for Lazy {
    async fn get_token(&self, scopes: &[&str]) -> azure_core::Result<AccessToken> {
        let c = self
            .made
            .get_or_try_init(|| async { self.make() })
            .await
            .map_err(|e| {
                Error::message(
                    ErrorKind::Credential,
                    format!("{} credential unavailable: {e}", self.kind.as_str()),
                )
            })?;
        c.get_token(scopes).await
    }

    async fn clear_cache(&self) -> azure_core::Result<()> {
        match self.made.get() {
            Some(c) => c.clear_cache().await,
            None => Ok(()),
        }
    }
}

/// A credential given at most `.1` to answer.
#[derive(Debug)]
struct Bounded(Arc<dyn TokenCredential>, Duration);

#[async_trait]
impl TokenCredential for Bounded {
    async fn get_token(&self, scopes: &[&str]) -> azure_core::Result<AccessToken> {
        match tokio::time::timeout(self.1, self.0.get_token(scopes)).await {
            Ok(r) => r,
            Err(_) => Err(Error::message(
                ErrorKind::Credential,
                format!("no answer within {} s", self.1.as_secs()),
            )),
        }
    }

    async fn clear_cache(&self) -> azure_core::Result<()> {
        self.0.clear_cache().await
    }
}

/// The first source that gives a token; when none does, every source's reason.
#[derive(Debug)]
struct Chain {
    sources: Vec<(&'static str, Arc<dyn TokenCredential>)>,
}

#[async_trait]
impl TokenCredential for Chain {
    async fn get_token(&self, scopes: &[&str]) -> azure_core::Result<AccessToken> {
        let mut why = Vec::new();
        for (name, c) in &self.sources {
            match c.get_token(scopes).await {
                Ok(t) => {
                    tracing::debug!(source = name, "Azure token from the default chain");
                    return Ok(t);
                }
                Err(e) => why.push(format!("{name}: {}", first_line(&e.to_string()))),
            }
        }
        Err(Error::message(
            ErrorKind::Credential,
            format!("no credential source gave a token ({})", why.join("; ")),
        ))
    }

    async fn clear_cache(&self) -> azure_core::Result<()> {
        for (_, c) in &self.sources {
            c.clear_cache().await?;
        }
        Ok(())
    }
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim()
}

/// One token per account: fetched on first need, reused by every call until it is near its
/// expiry, fetched by one caller while the others wait.
#[derive(Debug)]
pub struct SharedToken {
    inner: Arc<dyn TokenCredential>,
    cached: tokio::sync::Mutex<Option<AccessToken>>,
}

impl SharedToken {
    pub fn new(inner: Arc<dyn TokenCredential>) -> Self {
        SharedToken {
            inner,
            cached: tokio::sync::Mutex::new(None),
        }
    }
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

#[async_trait]
impl TokenCredential for SharedToken {
    async fn get_token(&self, scopes: &[&str]) -> azure_core::Result<AccessToken> {
        let mut slot = self.cached.lock().await;
        if let Some(t) = slot.as_ref() {
            if t.expires_on.unix_timestamp() - now_unix() > REFRESH_BEFORE {
                return Ok(t.clone());
            }
        }
        let t = self.inner.get_token(scopes).await?;
        tracing::debug!(
            expires_in_s = t.expires_on.unix_timestamp() - now_unix(),
            "Azure token fetched"
        );
        *slot = Some(t.clone());
        Ok(t)
    }

    async fn clear_cache(&self) -> azure_core::Result<()> {
        *self.cached.lock().await = None;
        self.inner.clear_cache().await
    }
}

/// A token from the Azure CLI's own login: `az account get-access-token --output json --scope S
/// [--tenant T]`, as Azure's own tools ask it. (azure_identity 0.21's `AzureCliCredential` has
/// no tenant option, which `az login --tenant` setups need; see docs/crates.md.)
#[derive(Debug, Clone)]
pub struct AzCliCredential {
    tenant: Option<String>,
    program: String,
}

impl AzCliCredential {
    pub fn new(tenant: Option<&str>) -> Self {
        AzCliCredential {
            tenant: tenant.map(str::to_string),
            program: if cfg!(windows) { "az.cmd" } else { "az" }.to_string(),
        }
    }

    fn args(&self, scope: &str) -> Vec<String> {
        let mut a: Vec<String> = [
            "account",
            "get-access-token",
            "--output",
            "json",
            "--scope",
            scope,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if let Some(t) = &self.tenant {
            a.push("--tenant".into());
            a.push(t.clone());
        }
        a
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct CliToken {
    access_token: String,
    expires_on: Option<String>,
    #[serde(rename = "expires_on")]
    expires_on_unix: Option<i64>,
}

/// When the CLI's token expires, in seconds since the epoch: `expires_on` (az ≥ 2.54), else
/// `expiresOn` in local time, else five minutes from now.
fn cli_expiry(t: &CliToken) -> i64 {
    if let Some(s) = t.expires_on_unix {
        return s;
    }
    t.expires_on
        .as_deref()
        .and_then(|s| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .and_then(|n| n.and_local_timezone(chrono::Local).earliest())
                .map(|d| d.timestamp())
        })
        .unwrap_or_else(|| now_unix() + 300)
}

/// A token that expires at `secs` (seconds since the epoch). The expiry goes through
/// azure_core's own date parser: azure_core does not re-export the `time` crate it uses.
pub fn token_until(token: String, secs: i64) -> azure_core::Result<AccessToken> {
    let when = chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_else(chrono::Utc::now)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let expires_on = azure_core::date::parse_rfc3339(&when)?;
    Ok(AccessToken::new(Secret::new(token), expires_on))
}

#[async_trait]
impl TokenCredential for AzCliCredential {
    async fn get_token(&self, scopes: &[&str]) -> azure_core::Result<AccessToken> {
        let scope = scopes.first().copied().unwrap_or(ARM_SCOPE).to_string();
        let program = self.program.clone();
        let args = self.args(&scope);
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(&program)
                .args(&args)
                .stdin(std::process::Stdio::null())
                .output()
        })
        .await
        .map_err(|e| Error::message(ErrorKind::Credential, format!("az did not run: {e}")))?;
        let out = match out {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::message(
                    ErrorKind::Credential,
                    "the Azure CLI (az) is not installed or not on PATH",
                ))
            }
            Err(e) => {
                return Err(Error::message(
                    ErrorKind::Credential,
                    format!("az did not run: {e}"),
                ))
            }
        };
        if !out.status.success() {
            // az's stderr says why (`Please run 'az login'`, AADSTS… expiry); it never holds a token.
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(Error::message(
                ErrorKind::Credential,
                format!(
                    "'az account get-access-token' failed: {}",
                    first_line(&err).trim_start_matches("ERROR: ")
                ),
            ));
        }
        let t: CliToken = serde_json::from_slice(&out.stdout).map_err(|e| {
            Error::message(
                ErrorKind::Credential,
                format!("'az account get-access-token' answered something unreadable ({e})"),
            )
        })?;
        let expiry = cli_expiry(&t);
        token_until(t.access_token, expiry)
    }

    async fn clear_cache(&self) -> azure_core::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);

    #[async_trait]
    impl TokenCredential for Counting {
        async fn get_token(&self, _: &[&str]) -> azure_core::Result<AccessToken> {
            self.0.fetch_add(1, Ordering::SeqCst);
            token_until("t".into(), now_unix() + 3600)
        }
        async fn clear_cache(&self) -> azure_core::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn one_token_is_shared_until_it_nears_expiry() {
        let inner = Arc::new(Counting::default());
        let shared = Arc::new(SharedToken::new(inner.clone()));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let s = shared.clone();
            tasks.push(tokio::spawn(async move {
                s.get_token(&[ARM_SCOPE]).await.unwrap()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().token.secret(), "t");
        }
        assert_eq!(inner.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn the_cli_is_asked_for_the_tenant_named() {
        let c = AzCliCredential::new(Some("contoso"));
        let a = c.args(ARM_SCOPE);
        assert_eq!(&a[..2], ["account", "get-access-token"]);
        assert_eq!(&a[a.len() - 2..], ["--tenant", "contoso"]);
        let t = CliToken {
            access_token: "x".into(),
            expires_on: None,
            expires_on_unix: Some(1_900_000_000),
        };
        assert_eq!(cli_expiry(&t), 1_900_000_000);
    }
}
