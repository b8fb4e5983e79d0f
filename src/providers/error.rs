use std::fmt;
use std::time::Duration;

/// What went wrong, in words the poller, the CLI's exit codes and the console can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The resource does not exist (AWS `InvalidInstanceID.NotFound`, HTTP 404).
    NotFound,
    /// The resource is in a state the action cannot start from (AWS `IncorrectInstanceState`).
    InvalidState,
    /// The resource is used by another (AWS `VolumeInUse`, GCP `resourceInUseByAnotherResource`).
    InUse,
    /// The request itself is wrong (bad parameter, zone mismatch, unknown type).
    Invalid,
    /// Credentials missing, expired or not allowed (AWS `UnauthorizedOperation`, HTTP 401/403).
    Auth,
    /// The provider asked us to slow down (AWS `RequestLimitExceeded`, HTTP 429).
    Throttled,
    /// No answer in time.
    Timeout,
    /// The provider failed on its side (HTTP 5xx, connection refused); worth trying again.
    Unavailable,
    /// This provider cannot do this at all.
    Unsupported,
    /// A resource of that name already exists where names are unique (GCP `alreadyExists`,
    /// Azure `Conflict` on create, AWS `DuplicateLoadBalancerName`, `InvalidGroup.Duplicate`).
    AlreadyExists,
    /// The account's limit for this is reached (AWS `InstanceLimitExceeded`,
    /// `VcpuLimitExceeded`, GCP `QUOTA_EXCEEDED`, Azure `OperationNotAllowed` … quota): ask for
    /// more, or free some.
    QuotaExceeded,
    /// Another change to the same resource is under way, or a precondition (etag) no longer
    /// holds (Azure `AnotherOperationInProgress`, HTTP 409/412, GCP `conditionNotMet`, AWS
    /// `ConcurrentTagAccess`): the same request may succeed once that is done.
    Busy,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not-found",
            ErrorKind::InvalidState => "invalid-state",
            ErrorKind::InUse => "in-use",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Auth => "auth",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::AlreadyExists => "already-exists",
            ErrorKind::QuotaExceeded => "quota-exceeded",
            ErrorKind::Busy => "busy",
        }
    }

    /// What it means, in words for the status line and stderr.
    pub fn words(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::InvalidState => "not possible in its current state",
            ErrorKind::InUse => "in use by another resource",
            ErrorKind::Invalid => "invalid request",
            ErrorKind::Auth => "not authorised",
            ErrorKind::Throttled => "throttled by the provider",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Unavailable => "the provider is unavailable",
            ErrorKind::Unsupported => "not supported here",
            ErrorKind::AlreadyExists => "already exists",
            ErrorKind::QuotaExceeded => "quota exceeded",
            ErrorKind::Busy => "busy with another change",
        }
    }

    /// Worth retrying later without changing anything.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorKind::Throttled | ErrorKind::Timeout | ErrorKind::Unavailable | ErrorKind::Busy
        )
    }
}

/// An error from a provider, with the provider's own code and message kept as it said them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    pub kind: ErrorKind,
    /// The provider's error code (`IncorrectInstanceState`, `resourceNotReady`, `OperationNotAllowed`).
    pub code: Option<String>,
    pub message: String,
    /// How long the provider asked us to wait (Retry-After), when it said.
    pub retry_after: Option<Duration>,
    /// What the user can do about it (for example `aws sso login --profile prod`).
    pub hint: Option<String>,
}

impl ProviderError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ProviderError {
            kind,
            code: None,
            message: message.into(),
            retry_after: None,
            hint: None,
        }
    }

    pub fn coded(kind: ErrorKind, code: &str, message: impl Into<String>) -> Self {
        ProviderError {
            code: Some(code.to_string()),
            ..ProviderError::new(kind, message)
        }
    }

    pub fn with_retry_after(mut self, d: Duration) -> Self {
        self.retry_after = Some(d);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn unsupported(what: impl Into<String>) -> Self {
        ProviderError::new(ErrorKind::Unsupported, what)
    }

    /// The error in full for a person: what kind of failure, the provider's code and words,
    /// when to try again and what to do (`not authorised: AuthFailure: token expired; fix: run
    /// `aws sso login``). The kind's words are left out when the message already says them.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        let words = self.kind.words();
        if !self.message.to_ascii_lowercase().contains(words) {
            out.push_str(words);
            out.push_str(": ");
        }
        if let Some(code) = &self.code {
            out.push_str(code);
            out.push_str(": ");
        }
        out.push_str(&self.message);
        if let Some(d) = self.retry_after {
            out.push_str(&format!("; try again in {}s", d.as_secs().max(1)));
        }
        if let Some(hint) = &self.hint {
            out.push_str("; fix: ");
            out.push_str(hint);
        }
        out
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_names_the_kind_code_message_retry_and_fix() {
        let e = ProviderError::coded(ErrorKind::Auth, "AuthFailure", "token expired")
            .with_hint("run `aws sso login --profile prod`");
        assert_eq!(
            e.explain(),
            "not authorised: AuthFailure: token expired; fix: run `aws sso login --profile prod`"
        );
        let e = ProviderError::coded(ErrorKind::Throttled, "Throttling", "Rate exceeded")
            .with_retry_after(Duration::from_secs(2));
        assert_eq!(
            e.explain(),
            "throttled by the provider: Throttling: Rate exceeded; try again in 2s"
        );
        // The kind's words are not repeated when the provider already said them.
        let e = ProviderError::coded(
            ErrorKind::AlreadyExists,
            "alreadyExists",
            "The resource 'data' already exists",
        );
        assert_eq!(
            e.explain(),
            "alreadyExists: The resource 'data' already exists"
        );
        let nf = ProviderError::coded(ErrorKind::NotFound, "notFound", "gone");
        assert!(nf.explain().starts_with("not found: "));
    }

    #[test]
    fn every_kind_has_distinct_names() {
        use std::collections::HashSet;
        let all = [
            ErrorKind::NotFound,
            ErrorKind::InvalidState,
            ErrorKind::InUse,
            ErrorKind::Invalid,
            ErrorKind::Auth,
            ErrorKind::Throttled,
            ErrorKind::Timeout,
            ErrorKind::Unavailable,
            ErrorKind::Unsupported,
            ErrorKind::AlreadyExists,
            ErrorKind::QuotaExceeded,
            ErrorKind::Busy,
        ];
        let names: HashSet<_> = all.iter().map(|k| k.as_str()).collect();
        let words: HashSet<_> = all.iter().map(|k| k.words()).collect();
        assert_eq!(names.len(), all.len());
        assert_eq!(words.len(), all.len());
    }
}
