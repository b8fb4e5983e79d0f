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
        let exit = match e.kind {
            ErrorKind::NotFound => Exit::NotFound,
            ErrorKind::Unsupported => Exit::Usage,
            _ => Exit::Failed,
        };
        AppError::new(exit, e.to_string())
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
