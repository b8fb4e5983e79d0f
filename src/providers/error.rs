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
        }
    }

    /// Worth retrying later without changing anything.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorKind::Throttled | ErrorKind::Timeout | ErrorKind::Unavailable
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
