//! What ends a command, and the exit code it ends with.

use std::fmt;
use std::process::ExitCode;

use crate::providers::{ErrorKind, ProviderError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 1: the operation failed (provider error, invalid transition, timeout).
    Failed = 1,
    /// 2: the command itself is wrong (usage, config).
    Usage = 2,
    /// 3: not found, or ambiguous.
    NotFound = 3,
    /// 4: refused (read-only, not confirmed).
    Refused = 4,
    /// 5: the provider says it already exists (a name taken where names are unique).
    AlreadyExists = 5,
    /// 6: the provider says a quota or limit is reached.
    QuotaExceeded = 6,
    /// 7: the provider is busy with another change to it (or a precondition failed): try again.
    Busy = 7,
}

impl Exit {
    /// The exit code a provider error of `kind` ends a command with.
    pub fn for_kind(kind: ErrorKind) -> Exit {
        match kind {
            ErrorKind::NotFound => Exit::NotFound,
            ErrorKind::Unsupported => Exit::Usage,
            ErrorKind::AlreadyExists => Exit::AlreadyExists,
            ErrorKind::QuotaExceeded => Exit::QuotaExceeded,
            ErrorKind::Busy => Exit::Busy,
            ErrorKind::InvalidState
            | ErrorKind::InUse
            | ErrorKind::Invalid
            | ErrorKind::Auth
            | ErrorKind::Throttled
            | ErrorKind::Timeout
            | ErrorKind::Unavailable => Exit::Failed,
        }
    }
}

/// An error that ends the command: one line for stderr and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub exit: Exit,
    pub message: String,
}

impl AppError {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        AppError {
            exit,
            message: message.into(),
        }
    }
    pub fn usage(m: impl Into<String>) -> Self {
        AppError::new(Exit::Usage, m)
    }
    pub fn failed(m: impl Into<String>) -> Self {
        AppError::new(Exit::Failed, m)
    }
    pub fn not_found(m: impl Into<String>) -> Self {
        AppError::new(Exit::NotFound, m)
    }
    pub fn refused(m: impl Into<String>) -> Self {
        AppError::new(Exit::Refused, m)
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit as u8)
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<ProviderError> for AppError {
    fn from(e: ProviderError) -> Self {
        AppError::new(Exit::for_kind(e.kind), e.explain())
    }
}

impl From<crate::config::ConfigError> for AppError {
    fn from(e: crate::config::ConfigError) -> Self {
        AppError::usage(e.to_string())
    }
}

impl From<crate::filter::FilterError> for AppError {
    fn from(e: crate::filter::FilterError) -> Self {
        AppError::usage(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_errors_keep_their_exit_codes_and_new_kinds_get_their_own() {
        let code = |k| AppError::from(ProviderError::new(k, "x")).exit as u8;
        assert_eq!(code(ErrorKind::NotFound), 3);
        assert_eq!(code(ErrorKind::Unsupported), 2);
        for k in [
            ErrorKind::InvalidState,
            ErrorKind::InUse,
            ErrorKind::Invalid,
            ErrorKind::Auth,
            ErrorKind::Throttled,
            ErrorKind::Timeout,
            ErrorKind::Unavailable,
        ] {
            assert_eq!(code(k), 1, "{k:?}");
        }
        assert_eq!(code(ErrorKind::AlreadyExists), 5);
        assert_eq!(code(ErrorKind::QuotaExceeded), 6);
        assert_eq!(code(ErrorKind::Busy), 7);
        let e = AppError::from(
            ProviderError::coded(ErrorKind::Auth, "AuthFailure", "no").with_hint("log in"),
        );
        assert_eq!(e.message, "not authorised: AuthFailure: no; fix: log in");
    }
}
