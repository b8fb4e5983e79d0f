//! Compute Engine errors in the core's words. GCP's own reason (`notFound`,
//! `resourceInUseByAnotherResource`, `QUOTA_EXCEEDED`, …) is kept as the code and its message as
//! the message; a credential problem says how to fix it (`gcloud auth application-default login`).

use std::error::Error as StdError;
use std::time::Duration;

use google_cloud_gax::error::rpc::{Code, StatusDetails};

use crate::providers::{ErrorKind, ProviderError};

/// The fix for missing or expired user credentials, in gcloud's words.
pub const LOGIN_HINT: &str =
    "run `gcloud auth application-default login`, or set `credentials_file` on the account to a service-account key";

/// The kind a Compute reason (the `errors[].reason` of an HTTP error, or the `errors[].code` of a
/// failed Operation) means; `http` decides when the reason is not one we know.
pub fn kind_of(reason: &str, http: Option<u16>) -> ErrorKind {
    match reason {
        "notFound" | "RESOURCE_NOT_FOUND" => ErrorKind::NotFound,
        "resourceInUseByAnotherResource" | "RESOURCE_IN_USE_BY_ANOTHER_RESOURCE" => {
            ErrorKind::InUse
        }
        "resourceNotReady" | "RESOURCE_NOT_READY" | "UNSUPPORTED_OPERATION" => {
            ErrorKind::InvalidState
        }
        "alreadyExists" | "RESOURCE_ALREADY_EXISTS" => ErrorKind::AlreadyExists,
        "QUOTA_EXCEEDED" | "quotaExceeded" => ErrorKind::QuotaExceeded,
        // No capacity in the zone: another zone or later may work.
        "ZONE_RESOURCE_POOL_EXHAUSTED" | "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS" => {
            ErrorKind::Unavailable
        }
        "rateLimitExceeded" | "userRateLimitExceeded" | "RATE_LIMIT_EXCEEDED" => {
            ErrorKind::Throttled
        }
        "forbidden"
        | "accessNotConfigured"
        | "insufficientPermissions"
        | "PERMISSIONS_ERROR"
        | "authError" => ErrorKind::Auth,
        "conditionNotMet" | "RESOURCE_OPERATION_RATE_EXCEEDED" => ErrorKind::Busy,
        "invalid" | "badRequest" | "invalidParameter" | "required" => ErrorKind::Invalid,
        "backendError" | "internalError" | "SERVICE_UNAVAILABLE" => ErrorKind::Unavailable,
        _ => match http {
            Some(404) => ErrorKind::NotFound,
            Some(401 | 403) => ErrorKind::Auth,
            Some(409) => ErrorKind::AlreadyExists,
            Some(412) => ErrorKind::Busy,
            Some(429) => ErrorKind::Throttled,
            Some(s) if s >= 500 => ErrorKind::Unavailable,
            _ => ErrorKind::Invalid,
        },
    }
}

/// The first `errors[].reason` of a Compute error answer, when it has one.
fn reason(status: &google_cloud_gax::error::rpc::Status) -> Option<&str> {
    status.details.iter().find_map(|d| match d {
        StatusDetails::ErrorInfo(i) if !i.reason.is_empty() => Some(i.reason.as_str()),
        _ => None,
    })
}

/// Is this answer GCP asking us to slow down (429, or 403 with a rate-limit reason)?
pub fn is_throttling(e: &google_cloud_gax::error::Error) -> bool {
    if e.http_status_code() == Some(429) {
        return true;
    }
    match e.status() {
        Some(s) => {
            matches!(
                reason(s),
                Some("rateLimitExceeded" | "userRateLimitExceeded" | "RATE_LIMIT_EXCEEDED")
            ) || (s.code == Code::ResourceExhausted && reason(s) != Some("QUOTA_EXCEEDED"))
        }
        None => false,
    }
}

/// Any SDK error as a [`ProviderError`].
pub fn from_sdk(e: google_cloud_gax::error::Error) -> ProviderError {
    let http = e.http_status_code();
    if let Some(status) = e.status() {
        let code = reason(status).map(str::to_string).unwrap_or_else(|| {
            if status.code == Code::Unknown {
                http.map_or("unknown".into(), |h| format!("HTTP {h}"))
            } else {
                status.code.name().to_string()
            }
        });
        let mut kind = kind_of(&code, http);
        if reason(status).is_none() {
            kind = match status.code {
                Code::NotFound => ErrorKind::NotFound,
                Code::AlreadyExists => ErrorKind::AlreadyExists,
                Code::PermissionDenied | Code::Unauthenticated => ErrorKind::Auth,
                Code::ResourceExhausted => ErrorKind::Throttled,
                Code::FailedPrecondition => ErrorKind::InvalidState,
                Code::Aborted => ErrorKind::Busy,
                Code::Unavailable | Code::Internal => ErrorKind::Unavailable,
                Code::DeadlineExceeded => ErrorKind::Timeout,
                _ => kind,
            };
        }
        let message = if status.message.is_empty() {
            format!("HTTP {}", http.unwrap_or(0))
        } else {
            status.message.clone()
        };
        let mut err = ProviderError::coded(kind, &code, message);
        if kind == ErrorKind::Auth {
            err = err.with_hint(if http == Some(401) {
                LOGIN_HINT.to_string()
            } else {
                "the credentials work but may not read or change this project: grant the identity a Compute role on it (roles/compute.viewer to list, roles/compute.instanceAdmin.v1 to act), or check `project`".to_string()
            });
        }
        if kind == ErrorKind::Throttled {
            err = err.with_retry_after(Duration::from_secs(2));
        }
        return err;
    }
    if e.is_authentication() {
        return credentials_error(&e);
    }
    if e.is_timeout() {
        return ProviderError::new(ErrorKind::Timeout, "Compute Engine did not answer in time");
    }
    if e.is_exhausted() {
        return ProviderError::new(
            ErrorKind::Unavailable,
            format!("gave up after retries: {}", innermost(&e)),
        );
    }
    if let Some(h) = http {
        // An answer that is not Google's error shape (a proxy, a load balancer).
        let body = e
            .http_payload()
            .map(|b| {
                String::from_utf8_lossy(b)
                    .chars()
                    .take(200)
                    .collect::<String>()
            })
            .unwrap_or_default();
        return ProviderError::coded(kind_of("", Some(h)), &format!("HTTP {h}"), body);
    }
    if e.is_io() || e.is_connect() || e.is_transport() {
        return ProviderError::new(
            ErrorKind::Unavailable,
            format!("cannot reach Compute Engine: {}", innermost(&e)),
        )
        .with_hint("check the account's endpoint_url, the network and any proxy");
    }
    ProviderError::new(ErrorKind::Invalid, innermost(&e))
}

/// A credentials failure (none found, a refresh token revoked or expired): the account's error,
/// with the fix. Only the auth crate's words are kept, never a token.
pub fn credentials_error(e: &(dyn StdError + 'static)) -> ProviderError {
    let why = innermost(e);
    let message = format!("could not get Google credentials: {}", first_sentence(&why));
    tracing::debug!(error = %why, "GCP credentials failed");
    ProviderError::coded(ErrorKind::Auth, "CredentialsError", message).with_hint(LOGIN_HINT)
}

/// A client that could not be built (a credentials file that is missing or not JSON, an
/// endpoint that is not a URL).
pub fn from_builder(e: google_cloud_gax::client_builder::Error) -> ProviderError {
    if e.is_default_credentials() {
        return credentials_error(&e);
    }
    ProviderError::new(ErrorKind::Invalid, innermost(&e))
}

fn first_sentence(s: &str) -> String {
    let s = s.trim();
    let cut = s.find(". ").map(|i| i + 1).unwrap_or(s.len());
    s[..cut].chars().take(400).collect()
}

/// The error and its causes, joined, innermost last (one line).
fn innermost(e: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = c.source();
    }
    parts.join(": ").replace('\n', " ")
}

/// A failed Operation's `error.errors[]` (or its `httpErrorStatusCode`) as the action's error.
pub fn from_operation(op: &google_cloud_compute_v1::model::Operation) -> Option<ProviderError> {
    let http = op.http_error_status_code.map(|c| c as u16);
    let first = op.error.as_ref().and_then(|e| e.errors.first());
    if first.is_none() && http.is_none() && op.http_error_message.is_none() {
        return None;
    }
    let code = first
        .and_then(|e| e.code.clone())
        .unwrap_or_else(|| format!("HTTP {}", http.unwrap_or(0)));
    let message = first
        .and_then(|e| e.message.clone())
        .or_else(|| op.http_error_message.clone())
        .unwrap_or_else(|| "the operation failed".into());
    Some(ProviderError::coded(kind_of(&code, http), &code, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compute_reasons_map_to_kinds() {
        let cases = [
            ("notFound", 404, ErrorKind::NotFound),
            ("resourceInUseByAnotherResource", 400, ErrorKind::InUse),
            ("RESOURCE_IN_USE_BY_ANOTHER_RESOURCE", 400, ErrorKind::InUse),
            ("resourceNotReady", 400, ErrorKind::InvalidState),
            ("alreadyExists", 409, ErrorKind::AlreadyExists),
            ("QUOTA_EXCEEDED", 403, ErrorKind::QuotaExceeded),
            ("forbidden", 403, ErrorKind::Auth),
            ("rateLimitExceeded", 403, ErrorKind::Throttled),
            ("conditionNotMet", 412, ErrorKind::Busy),
            ("invalid", 400, ErrorKind::Invalid),
            ("backendError", 503, ErrorKind::Unavailable),
            ("required", 400, ErrorKind::Invalid),
        ];
        for (reason, http, kind) in cases {
            assert_eq!(kind_of(reason, Some(http)), kind, "{reason}");
        }
        assert_eq!(kind_of("somethingNew", Some(404)), ErrorKind::NotFound);
        assert_eq!(kind_of("somethingNew", Some(503)), ErrorKind::Unavailable);
        assert_eq!(kind_of("somethingNew", Some(400)), ErrorKind::Invalid);
    }

    #[test]
    fn a_credentials_failure_names_the_gcloud_fix() {
        let e = std::io::Error::other(
            "failed to refresh user access token, body=<{\"error\":\"invalid_grant\"}>. More text",
        );
        let p = credentials_error(&e);
        assert_eq!(p.kind, ErrorKind::Auth);
        assert!(p
            .hint
            .as_deref()
            .unwrap()
            .contains("gcloud auth application-default login"));
        assert!(p.message.contains("invalid_grant"), "{}", p.message);
    }
}
