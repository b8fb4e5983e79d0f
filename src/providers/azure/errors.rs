//! ARM's errors in the core's words. ARM answers `{"error": {"code", "message"}}` with an HTTP
//! status; azure_core 0.21 turns every non-2xx answer into `ErrorKind::HttpResponse` with the
//! code, and keeps the message in its `HttpError`. Azure's own message is kept as it said it.

use std::time::Duration;

use crate::providers::{ErrorKind, ProviderError};

/// The core's kind for an ARM error code (and the HTTP status, when the code is new to us).
pub fn kind_of(code: &str, message: &str, status: Option<u16>) -> ErrorKind {
    let lower = message.to_ascii_lowercase();
    match code {
        "ResourceNotFound" | "NotFound" | "ResourceGroupNotFound" | "ParentResourceNotFound" => {
            ErrorKind::NotFound
        }
        "OperationNotAllowed" if lower.contains("quota") => ErrorKind::QuotaExceeded,
        "OperationNotAllowed" if lower.contains("attached") || lower.contains("in use") => {
            ErrorKind::InUse
        }
        "OperationNotAllowed" | "VMRedeploymentFailed" | "PropertyChangeNotAllowed" => {
            ErrorKind::InvalidState
        }
        "DiskInUse" | "ResourceInUse" | "InUseSubnetCannotBeDeleted" | "PublicIPAddressInUse" => {
            ErrorKind::InUse
        }
        "Conflict" if lower.contains("already exists") => ErrorKind::AlreadyExists,
        "Conflict" | "AnotherOperationInProgress" | "RetryableError" | "PreconditionFailed" => {
            ErrorKind::Busy
        }
        "AuthorizationFailed"
        | "LinkedAuthorizationFailed"
        | "InvalidAuthenticationToken"
        | "InvalidAuthenticationTokenTenant"
        | "ExpiredAuthenticationToken"
        | "AuthenticationFailed"
        | "SubscriptionNotFound"
        | "InvalidSubscriptionId"
        | "SubscriptionNotRegistered"
        | "MissingSubscriptionRegistration"
        | "CredentialError" => ErrorKind::Auth,
        "QuotaExceeded" | "OperationNotAllowedQuota" | "PublicIPCountLimitReached" => {
            ErrorKind::QuotaExceeded
        }
        c if c.ends_with("QuotaExceeded") || c.ends_with("LimitReached") => {
            ErrorKind::QuotaExceeded
        }
        "TooManyRequests" | "SubscriptionRequestsThrottled" | "ResourceRequestsThrottled" => {
            ErrorKind::Throttled
        }
        "AllocationFailed"
        | "ZonalAllocationFailed"
        | "InternalServerError"
        | "InternalOperationError"
        | "ServiceUnavailable" => ErrorKind::Unavailable,
        "SkuNotAvailable"
        | "InvalidParameter"
        | "InvalidRequestContent"
        | "BadRequest"
        | "InvalidResourceName"
        | "LocationNotAvailableForResourceType" => ErrorKind::Invalid,
        _ => match status {
            Some(404) => ErrorKind::NotFound,
            Some(401 | 403) => ErrorKind::Auth,
            Some(409) => ErrorKind::Busy,
            Some(412) => ErrorKind::Busy,
            Some(429) => ErrorKind::Throttled,
            Some(s) if s >= 500 => ErrorKind::Unavailable,
            _ => ErrorKind::Invalid,
        },
    }
}

/// What to do when the account cannot get a token: log in (to the tenant, when one is named).
pub fn login_hint(tenant: Option<&str>) -> String {
    match tenant {
        Some(t) => format!("run `az login --tenant {t}` (or set the credential the account names)"),
        None => "run `az login` (or set the credential the account names)".to_string(),
    }
}

/// What to do when the token works but the principal may not do this.
pub fn rbac_hint(subscription: &str) -> String {
    format!(
        "the signed-in principal lacks a role on subscription {subscription}: ask for Reader (to list) or Virtual Machine Contributor / Network Contributor (to change), or check `az account show`"
    )
}

/// An ARM answer with an error status, read from its parts.
pub fn from_answer(
    status: u16,
    code: Option<&str>,
    message: Option<&str>,
    retry_after: Option<Duration>,
    ctx: &Context<'_>,
) -> ProviderError {
    let code = code.filter(|c| !c.is_empty()).unwrap_or(match status {
        404 => "ResourceNotFound",
        412 => "PreconditionFailed",
        429 => "TooManyRequests",
        _ => "",
    });
    let message = message
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("Azure answered HTTP {status}"));
    let kind = kind_of(code, &message, Some(status));
    let mut e = if code.is_empty() {
        ProviderError::new(kind, message)
    } else {
        ProviderError::coded(kind, code, message)
    };
    if kind == ErrorKind::Throttled {
        e = e.with_retry_after(retry_after.unwrap_or(Duration::from_secs(2)));
    }
    if kind == ErrorKind::Auth {
        e = if status == 403 || code == "AuthorizationFailed" {
            e.with_hint(rbac_hint(ctx.subscription))
        } else {
            e.with_hint(login_hint(ctx.tenant))
        };
    }
    e
}

/// Who the call was for, for hints.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub subscription: &'a str,
    pub tenant: Option<&'a str>,
}

/// Any azure_core error as a [`ProviderError`]. Credential failures become the account's auth
/// error with the login to do; nothing of a token is ever in these messages (azure_core's
/// errors carry the response body and headers of ARM, never the request's).
pub fn from_core(e: &azure_core::Error, ctx: &Context<'_>) -> ProviderError {
    use azure_core::error::ErrorKind as K;
    match e.kind() {
        K::HttpResponse { status, error_code } => {
            let status = u16::from(*status);
            let http = e.as_http_error();
            let code = error_code
                .as_deref()
                .or_else(|| http.and_then(|h| h.error_code()));
            let message = http.and_then(|h| h.error_message());
            from_answer(status, code, message, None, ctx)
        }
        K::Credential => credential_error(&e.to_string(), ctx),
        K::Io => ProviderError::new(
            ErrorKind::Unavailable,
            format!(
                "cannot reach Azure Resource Manager: {}",
                first_line(&e.to_string())
            ),
        )
        .with_hint("check the account's endpoint_url, the network and any proxy"),
        K::DataConversion => ProviderError::new(
            ErrorKind::Unavailable,
            format!(
                "Azure's answer could not be read: {}",
                first_line(&e.to_string())
            ),
        ),
        _ => {
            let text = e.to_string();
            if text.contains("Azure CLI not installed") || text.contains("az account") {
                credential_error(&text, ctx)
            } else {
                ProviderError::new(ErrorKind::Unavailable, first_line(&text))
            }
        }
    }
}

/// A credential that could not give a token.
pub fn credential_error(text: &str, ctx: &Context<'_>) -> ProviderError {
    let lower = text.to_ascii_lowercase();
    let hint = if lower.contains("not installed") || lower.contains("no such file") {
        "install the Azure CLI and run `az login`, or set `credential` on the account to \"environment\" or \"managed-identity\"".to_string()
    } else {
        login_hint(ctx.tenant)
    };
    ProviderError::coded(
        ErrorKind::Auth,
        "CredentialUnavailable",
        format!("could not get an Azure token: {}", first_line(text)),
    )
    .with_hint(hint)
}

fn first_line(s: &str) -> String {
    let line = s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim();
    let mut out: String = line.chars().take(300).collect();
    if line.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// A not-found answer as "nothing there"; other errors stay.
pub fn absent_ok<T>(r: Result<T, ProviderError>) -> Result<Option<T>, ProviderError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CX: Context<'static> = Context {
        subscription: "sub-1",
        tenant: Some("contoso.onmicrosoft.com"),
    };

    #[test]
    fn arm_codes_map_to_kinds() {
        let cases = [
            ("ResourceNotFound", "", ErrorKind::NotFound),
            ("ResourceGroupNotFound", "", ErrorKind::NotFound),
            ("OperationNotAllowed", "Operation 'restart' is not allowed on VM 'a' since the VM is deallocated.", ErrorKind::InvalidState),
            ("OperationNotAllowed", "Disk d is attached to VM /subscriptions/..", ErrorKind::InUse),
            ("OperationNotAllowed", "Operation could not be completed as it results in exceeding approved Total Regional Cores quota.", ErrorKind::QuotaExceeded),
            ("Conflict", "A resource named x already exists", ErrorKind::AlreadyExists),
            ("Conflict", "busy", ErrorKind::Busy),
            ("AnotherOperationInProgress", "", ErrorKind::Busy),
            ("AuthorizationFailed", "", ErrorKind::Auth),
            ("ExpiredAuthenticationToken", "", ErrorKind::Auth),
            ("QuotaExceeded", "", ErrorKind::QuotaExceeded),
            ("SkuNotAvailable", "", ErrorKind::Invalid),
            ("TooManyRequests", "", ErrorKind::Throttled),
            ("InvalidParameter", "", ErrorKind::Invalid),
            ("AllocationFailed", "", ErrorKind::Unavailable),
        ];
        for (code, msg, kind) in cases {
            assert_eq!(kind_of(code, msg, Some(400)), kind, "{code}");
        }
        assert_eq!(kind_of("New", "", Some(404)), ErrorKind::NotFound);
        assert_eq!(kind_of("New", "", Some(503)), ErrorKind::Unavailable);
    }

    #[test]
    fn hints_name_the_fix() {
        let e = from_answer(
            403,
            Some("AuthorizationFailed"),
            Some("The client 'x' does not have authorization"),
            None,
            &CX,
        );
        assert_eq!(e.kind, ErrorKind::Auth);
        assert!(e.hint.as_deref().unwrap().contains("sub-1"), "{e:?}");
        assert!(e.message.contains("does not have authorization"));
        let e = from_answer(401, Some("ExpiredAuthenticationToken"), None, None, &CX);
        assert_eq!(
            e.hint.as_deref(),
            Some("run `az login --tenant contoso.onmicrosoft.com` (or set the credential the account names)")
        );
        let e = from_answer(429, None, None, Some(Duration::from_secs(7)), &CX);
        assert_eq!(
            (e.kind, e.retry_after),
            (ErrorKind::Throttled, Some(Duration::from_secs(7)))
        );
        let e = credential_error("'az account get-access-token' command failed: ERROR: Please run 'az login' to setup account.", &CX);
        assert_eq!(e.kind, ErrorKind::Auth);
        assert!(e.hint.unwrap().contains("az login --tenant"));
    }
}
