//! Which Google credentials an account uses, resolved as gcloud's Application Default
//! Credentials are: the account's `credentials_file` (a service-account key or an
//! `authorized_user` file) when given; else, with an `endpoint_url` on this machine (an emulator
//! or test stub), none at all; else ADC itself (`GOOGLE_APPLICATION_CREDENTIALS`, the gcloud ADC
//! file, then the metadata server), as google-cloud-auth resolves it. Nothing here logs or
//! returns a secret: errors name the file and what is wrong with it, never its contents.

use std::path::Path;

use google_cloud_auth::credentials::{self, Credentials};

use super::errors::{credentials_error, LOGIN_HINT};
use super::session::GcpSettings;
use crate::providers::{ErrorKind, ProviderError};

/// Where the credentials come from, for messages and docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(std::path::PathBuf),
    /// An endpoint on this machine and no file: an emulator or a test stub, which takes no token.
    Anonymous,
    Adc,
}

pub fn source(s: &GcpSettings) -> Source {
    match (&s.credentials_file, &s.endpoint_url) {
        (Some(f), _) => Source::File(f.clone()),
        (None, Some(url)) if is_loopback(url) => Source::Anonymous,
        _ => Source::Adc,
    }
}

/// `http://127.0.0.1:…`, `http://localhost:…`, `http://[::1]:…`.
fn is_loopback(url: &str) -> bool {
    let rest = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .trim_start_matches('[');
    ["127.", "localhost", "::1"]
        .iter()
        .any(|p| rest.starts_with(p))
}

pub fn build(s: &GcpSettings) -> Result<Credentials, ProviderError> {
    match source(s) {
        Source::Anonymous => Ok(credentials::anonymous::Builder::new().build()),
        Source::File(path) => from_file(&path),
        Source::Adc => credentials::Builder::default()
            .build()
            .map_err(|e| credentials_error(&e)),
    }
}

fn from_file(path: &Path) -> Result<Credentials, ProviderError> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ProviderError::coded(
            ErrorKind::Auth,
            "CredentialsError",
            format!("cannot read credentials_file {shown}: {e}"),
        )
        .with_hint(LOGIN_HINT)
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        // serde's message names the line and column, not the content.
        ProviderError::coded(
            ErrorKind::Auth,
            "CredentialsError",
            format!(
                "credentials_file {shown} is not JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
        .with_hint(LOGIN_HINT)
    })?;
    let kind = json.get("type").and_then(|t| t.as_str()).unwrap_or("");
    let built = match kind {
        "service_account" => credentials::service_account::Builder::new(json).build(),
        "authorized_user" => credentials::user_account::Builder::new(json).build(),
        other => {
            return Err(ProviderError::coded(
                ErrorKind::Auth,
                "CredentialsError",
                format!(
                    "credentials_file {shown} has type '{other}'; nephos reads 'service_account' keys and 'authorized_user' files (others: point GOOGLE_APPLICATION_CREDENTIALS at them and leave credentials_file out)"
                ),
            )
            .with_hint(LOGIN_HINT))
        }
    };
    built.map_err(|e| credentials_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(file: Option<&str>, url: Option<&str>) -> GcpSettings {
        GcpSettings {
            credentials_file: file.map(Into::into),
            endpoint_url: url.map(Into::into),
            ..GcpSettings::new("p")
        }
    }

    #[test]
    fn a_file_wins_then_a_local_endpoint_is_anonymous_then_adc() {
        assert_eq!(
            source(&settings(Some("/k.json"), Some("http://127.0.0.1:1"))),
            Source::File("/k.json".into())
        );
        assert_eq!(
            source(&settings(None, Some("http://127.0.0.1:8080"))),
            Source::Anonymous
        );
        assert_eq!(
            source(&settings(None, Some("http://localhost:8080"))),
            Source::Anonymous
        );
        assert_eq!(
            source(&settings(None, Some("https://compute.internal.example"))),
            Source::Adc
        );
        assert_eq!(source(&settings(None, None)), Source::Adc);
    }

    #[test]
    fn a_missing_or_bad_file_is_an_auth_error_with_the_fix_and_no_content() {
        let e = build(&settings(Some("/nonexistent/key.json"), None)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Auth);
        assert!(e.message.contains("/nonexistent/key.json"), "{e}");
        assert!(e
            .hint
            .unwrap()
            .contains("gcloud auth application-default login"));
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("k.json");
        std::fs::write(
            &f,
            "{\"type\": \"service_account\", \"private_key\": \"SECRET-KEY\"",
        )
        .unwrap();
        let e = build(&settings(Some(f.to_str().unwrap()), None)).unwrap_err();
        assert!(!e.to_string().contains("SECRET-KEY"), "{e}");
        std::fs::write(&f, "{\"type\": \"gdch\"}").unwrap();
        let e = build(&settings(Some(f.to_str().unwrap()), None)).unwrap_err();
        assert!(e.message.contains("'gdch'"), "{e}");
    }
}
