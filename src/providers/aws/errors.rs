//! AWS errors in the core's words. The error code decides the kind (`IncorrectInstanceState` →
//! invalid state); AWS's own code and message are kept as they came, and an auth failure says
//! how to fix it for the account's profile.

use std::error::Error as StdError;
use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::providers::{ErrorKind, ProviderError};

/// The kind an AWS error code means (EC2 and ELBv2 codes alike); `status` decides when the
/// code is not one we know.
pub fn kind_of(code: &str, status: Option<u16>) -> ErrorKind {
    match code {
        "IncorrectInstanceState"
        | "IncorrectState"
        | "IncorrectSpotRequestState"
        | "InvalidInstanceState"
        | "OperationNotPermitted"
        | "UnsupportedOperation"
        | "InvalidStateException" => ErrorKind::InvalidState,
        "VolumeInUse" | "ResourceInUse" | "DependencyViolation" => ErrorKind::InUse,
        "UnauthorizedOperation"
        | "AuthFailure"
        | "AccessDenied"
        | "AccessDeniedException"
        | "InvalidClientTokenId"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "SignatureDoesNotMatch"
        | "RequestExpired"
        | "OptInRequired"
        | "Blocked"
        | "UnrecognizedClientException"
        | "MissingAuthenticationToken" => ErrorKind::Auth,
        "RequestLimitExceeded"
        | "Throttling"
        | "ThrottlingException"
        | "ThrottledException"
        | "TooManyRequestsException"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "SlowDown"
        | "PriorRequestNotComplete" => ErrorKind::Throttled,
        // Names taken: AWS hands back or refuses an existing one of the same name.
        "DuplicateLoadBalancerName" | "DuplicateTargetGroupName" | "DuplicateListener" => {
            ErrorKind::AlreadyExists
        }
        // The same key twice in one request: the request is what is wrong.
        "DuplicateTagKeys" => ErrorKind::Invalid,
        c if c.ends_with(".Duplicate") => ErrorKind::AlreadyExists,
        // Account limits (RequestLimitExceeded, a rate, is throttling and matched above).
        "InstanceLimitExceeded"
        | "VcpuLimitExceeded"
        | "VolumeLimitExceeded"
        | "MaxSpotInstanceCountExceeded"
        | "AddressLimitExceeded"
        | "ResourceLimitExceeded"
        | "TooManyLoadBalancers"
        | "TooManyTargetGroups"
        | "TooManyTargets"
        | "TooManyListeners"
        | "TooManyRegistrationsForTargetId" => ErrorKind::QuotaExceeded,
        c if c.ends_with("LimitExceeded") => ErrorKind::QuotaExceeded,
        // Another change to the same resource is under way.
        "ConcurrentTagAccess" | "IncorrectModificationState" => ErrorKind::Busy,
        "InternalError"
        | "InternalFailure"
        | "ServiceUnavailable"
        | "Unavailable"
        | "InsufficientInstanceCapacity"
        | "InsufficientCapacity" => ErrorKind::Unavailable,
        c if c.ends_with("NotFound") || c.ends_with(".Malformed") => {
            if c.starts_with("InvalidInstanceID")
                || c.starts_with("InvalidVolume")
                || c.starts_with("InvalidSnapshot")
                || c == "LoadBalancerNotFound"
                || c == "TargetGroupNotFound"
                || c == "ListenerNotFound"
            {
                ErrorKind::NotFound
            } else {
                // An AMI, subnet or zone the request named: the request is what is wrong.
                ErrorKind::Invalid
            }
        }
        _ => match status {
            Some(401 | 403) => ErrorKind::Auth,
            Some(429) => ErrorKind::Throttled,
            Some(s) if s >= 500 => ErrorKind::Unavailable,
            _ => ErrorKind::Invalid,
        },
    }
}

/// What to tell the user when an account cannot authenticate.
pub fn auth_hint(profile: Option<&str>, message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    let sso = lower.contains("sso") || lower.contains("token has expired");
    match profile {
        Some(p) if sso => format!("run `aws sso login --profile {p}`"),
        Some(p) if lower.contains("expired") => {
            format!("the session has expired: renew it, then check with `aws sts get-caller-identity --profile {p}`")
        }
        Some(p) => format!(
            "check the profile with `aws sts get-caller-identity --profile {p}` (its keys, role_arn/source_profile or sso settings in ~/.aws/config)"
        ),
        None if sso => "run `aws sso login`".to_string(),
        None => "set `profile = \"NAME\"` on the account, or AWS_PROFILE / AWS_ACCESS_KEY_ID in the environment".to_string(),
    }
}

/// A not-found answer as "nothing there" (for lookups where absence is fine); other errors stay.
pub fn absent_ok<T>(r: Result<T, ProviderError>) -> Result<Option<T>, ProviderError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// What to tell the user when the credentials work but the call is not allowed.
pub fn permission_hint(profile: Option<&str>) -> String {
    let who = match profile {
        Some(p) => format!("the identity of `--profile {p}`"),
        None => "the identity in use".to_string(),
    };
    format!(
        "{who} is not allowed this call: its IAM policy must allow the action the message names"
    )
}

/// Any SDK error (EC2 or ELBv2) as a [`ProviderError`].
pub fn from_sdk<E>(e: SdkError<E, HttpResponse>, profile: Option<&str>) -> ProviderError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let status = e.raw_response().map(|r| r.status().as_u16());
    if let Some(code) = e.code() {
        let kind = kind_of(code, status);
        let message = e.message().unwrap_or(code).to_string();
        let mut err = ProviderError::coded(kind, code, message);
        if code == "OptInRequired" {
            err = err.with_hint(
                "the region is not enabled for this account: enable it, or leave it out of `regions`",
            );
        } else if matches!(
            code,
            "UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException"
        ) {
            // The credentials work; the identity lacks a permission.
            err = err.with_hint(permission_hint(profile));
        } else if kind == ErrorKind::Auth {
            let hint = auth_hint(profile, &err.message);
            err = err.with_hint(hint);
        }
        if kind == ErrorKind::Throttled {
            err = err.with_retry_after(Duration::from_secs(2));
        }
        return err;
    }
    if let Some(ce) = credentials_error(&e) {
        let message = format!(
            "could not get credentials: {}",
            credentials_reason(&DisplayErrorContext(ce).to_string())
        );
        let hint = auth_hint(profile, &message);
        tracing::debug!(error = %DisplayErrorContext(ce), "credentials chain failed");
        return ProviderError::coded(ErrorKind::Auth, "CredentialsError", message).with_hint(hint);
    }
    match &e {
        SdkError::TimeoutError(_) => {
            tracing::debug!(error = %DisplayErrorContext(&e), "AWS call timed out");
            return ProviderError::new(ErrorKind::Timeout, no_answer(&e));
        }
        SdkError::DispatchFailure(d) if d.is_timeout() => {
            tracing::debug!(error = %DisplayErrorContext(&e), "AWS connect timed out");
            return ProviderError::new(
                ErrorKind::Timeout,
                format!(
                    "could not connect to AWS within {} s",
                    super::session::CONNECT_TIMEOUT.as_secs()
                ),
            );
        }
        SdkError::DispatchFailure(_) => {
            tracing::debug!(error = %DisplayErrorContext(&e), "AWS dispatch failed");
            return ProviderError::new(ErrorKind::Unavailable, cannot_connect(&e))
                .with_hint("check the account's endpoint_url, the network and any proxy");
        }
        _ => {}
    }
    let message = DisplayErrorContext(&e).to_string();
    let kind = match &e {
        SdkError::ResponseError(_) => ErrorKind::Unavailable,
        _ => match status {
            Some(s) if s >= 500 => ErrorKind::Unavailable,
            _ => ErrorKind::Invalid,
        },
    };
    ProviderError::new(kind, message)
}

/// A call given up on by the SDK's timeouts, in plain words: how long it waited.
fn no_answer(e: &(dyn StdError + 'static)) -> String {
    // The SDK's words end "… occurred after 10s"; take the figure from the innermost cause.
    let mut secs = None;
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(c) = cur {
        let text = c.to_string();
        if let Some((_, after)) = text.rsplit_once("after ") {
            let n: String = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if !n.is_empty() {
                secs = Some(n);
            }
        }
        cur = c.source();
    }
    match secs {
        Some(n) => format!("AWS did not answer within {n} s"),
        None => "AWS did not answer in time".to_string(),
    }
}

/// Why a request never reached AWS, in one line: the innermost cause (`Connection refused`),
/// not the SDK's nested debug dump.
fn cannot_connect(e: &(dyn StdError + 'static)) -> String {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    let mut io: Option<&std::io::Error> = None;
    let mut last = e;
    while let Some(c) = cur {
        if let Some(i) = c.downcast_ref::<std::io::Error>() {
            io = Some(i);
        }
        last = c;
        cur = c.source();
    }
    let why = match io {
        Some(i) if i.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused (nothing listens at the endpoint)".to_string()
        }
        Some(i) => i.to_string(),
        None => last.to_string(),
    };
    format!("cannot connect to AWS: {why}")
}

/// The part of a credentials chain error a person needs: why the profile failed (or the first
/// line), without the prefix every attempt repeats or the debug dump that follows.
pub fn credentials_reason(full: &str) -> String {
    const NOT_ENABLED: &str = "the credential provider was not enabled: ";
    let line = full
        .lines()
        .find_map(|l| l.trim().strip_prefix("Profile: "))
        .unwrap_or_else(|| full.lines().next().unwrap_or(full));
    let line = line.strip_prefix(NOT_ENABLED).unwrap_or(line);
    // DisplayErrorContext ends with the error's Debug form in parentheses: " (Name(…".
    let cut = line
        .match_indices(" (")
        .find(|(i, _)| {
            let rest = &line[i + 2..];
            rest.starts_with(|c: char| c.is_ascii_uppercase())
                && rest
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .is_some_and(|j| rest[j..].starts_with('(') || rest[j..].starts_with(" {"))
        })
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    line[..cut].trim_end_matches(':').trim().to_string()
}

fn credentials_error<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a CredentialsError> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(c) = cur {
        if let Some(ce) = c.downcast_ref::<CredentialsError>() {
            return Some(ce);
        }
        cur = c.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        let cases = [
            ("IncorrectInstanceState", ErrorKind::InvalidState),
            ("VolumeInUse", ErrorKind::InUse),
            ("ResourceInUse", ErrorKind::InUse),
            ("InvalidInstanceID.NotFound", ErrorKind::NotFound),
            ("InvalidInstanceID.Malformed", ErrorKind::NotFound),
            ("InvalidVolume.NotFound", ErrorKind::NotFound),
            ("LoadBalancerNotFound", ErrorKind::NotFound),
            ("InvalidAMIID.NotFound", ErrorKind::Invalid),
            ("InvalidVolume.ZoneMismatch", ErrorKind::Invalid),
            ("UnauthorizedOperation", ErrorKind::Auth),
            ("AuthFailure", ErrorKind::Auth),
            ("ExpiredToken", ErrorKind::Auth),
            ("RequestLimitExceeded", ErrorKind::Throttled),
            ("Throttling", ErrorKind::Throttled),
            ("InternalError", ErrorKind::Unavailable),
            ("InvalidParameterValue", ErrorKind::Invalid),
            ("DuplicateLoadBalancerName", ErrorKind::AlreadyExists),
            ("DuplicateTargetGroupName", ErrorKind::AlreadyExists),
            ("InvalidGroup.Duplicate", ErrorKind::AlreadyExists),
            ("InvalidKeyPair.Duplicate", ErrorKind::AlreadyExists),
            ("DuplicateTagKeys", ErrorKind::Invalid),
            ("InstanceLimitExceeded", ErrorKind::QuotaExceeded),
            ("VcpuLimitExceeded", ErrorKind::QuotaExceeded),
            ("VolumeLimitExceeded", ErrorKind::QuotaExceeded),
            ("TooManyLoadBalancers", ErrorKind::QuotaExceeded),
            ("SecurityGroupLimitExceeded", ErrorKind::QuotaExceeded),
            ("RequestLimitExceeded", ErrorKind::Throttled),
            ("ConcurrentTagAccess", ErrorKind::Busy),
        ];
        for (code, kind) in cases {
            assert_eq!(kind_of(code, Some(400)), kind, "{code}");
        }
        assert_eq!(kind_of("SomethingNew", Some(503)), ErrorKind::Unavailable);
        assert_eq!(kind_of("SomethingNew", Some(403)), ErrorKind::Auth);
        assert_eq!(kind_of("SomethingNew", Some(400)), ErrorKind::Invalid);
    }

    #[test]
    fn a_credentials_chain_error_is_cut_to_the_profile_reason() {
        let full = "the credential provider was not enabled: no credentials found in chain. Attempted:\n  Environment: the credential provider was not enabled: environment variable not set\n  Profile: the credential provider was not enabled: profile `nosuch` was not defined: could not find source profile nosuch referenced from the root profile\n  Ec2InstanceMetadata: IMDS disabled (CredentialsNotLoaded(CredentialsNotLoaded { source: Some(1) }))";
        assert_eq!(
            credentials_reason(full),
            "profile `nosuch` was not defined: could not find source profile nosuch referenced from the root profile"
        );
        assert_eq!(
            credentials_reason("the SSO token has expired (ProviderError(ProviderError { x }))"),
            "the SSO token has expired"
        );
    }

    #[test]
    fn auth_hints_name_the_fix() {
        assert_eq!(
            auth_hint(
                Some("prod"),
                "The SSO session associated with this profile has expired"
            ),
            "run `aws sso login --profile prod`"
        );
        assert!(auth_hint(Some("dev"), "no keys").contains("--profile dev"));
        assert!(auth_hint(None, "no credentials").contains("AWS_PROFILE"));
    }
}
