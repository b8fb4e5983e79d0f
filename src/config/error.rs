use std::fmt;
use std::path::{Path, PathBuf};

/// A config problem: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, or the environment variable, at fault.
    pub source: String,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl ConfigError {
    pub fn at(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(text, offset);
        ConfigError {
            source: path.display().to_string(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    pub fn io(path: &Path, e: std::io::Error) -> Self {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string(),
        };
        ConfigError {
            source: path.display().to_string(),
            line: None,
            column: None,
            message,
        }
    }

    pub fn env(var: &str, message: impl Into<String>) -> Self {
        ConfigError {
            source: format!("environment variable {var}"),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// toml's own message, without its source excerpt (which could echo a value).
    pub fn from_toml(path: &Path, text: &str, e: &toml::de::Error) -> Self {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(span) => ConfigError::at(path, text, span.start, message),
            None => ConfigError {
                source: path.display().to_string(),
                line: None,
                column: None,
                message,
            },
        }
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.source)
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
    (line, column)
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}
