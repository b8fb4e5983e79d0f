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

/// 1-based line and column (in characters) of a byte offset. An offset past the end or inside
/// a character is taken back to the character it is in.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // The end of a CRLF line is where its `\r` is, so a file's line ends do not move columns.
    if text[offset..].starts_with('\n') && text[..offset].ends_with('\r') {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    let column = before[line_start..].chars().count() + 1;
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

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn lines_and_columns_of_any_offset() {
        let text = "a\r\n\u{e9}\u{e9}x\r\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 4), (2, 1), "inside a character");
        assert_eq!(line_col(text, 7), (2, 3));
        assert_eq!(line_col(text, 999), (3, 1));
        assert_eq!(line_col("", 5), (1, 1));
        assert_eq!(
            line_col("ab\r\n", 3),
            (1, 3),
            "a CRLF line ends where LF would"
        );
    }
}
