//! Nothing raw reaches the terminal: names and tags come from the cloud, and anyone with tagging
//! rights can put an escape sequence in one (`\e]2;…\a` retitles the window, `\e[2J` clears
//! it). The console is safe because ratatui drops control characters; every CLI printer (table,
//! CSV, detail, errors, warnings, prompts) shows them escaped instead, with this one function,
//! so what was there stays visible. JSON keeps the exact value, escaped the JSON way
//! (see [`super::json_writer`]).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters a terminal may act on: C0 controls, DEL, C1 controls (U+0080–U+009F, which some
/// terminals honour as 8-bit escapes) and the bidirectional overrides and isolates that make
/// text display in another order than it is written.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character written as an escape: `\e` (ESC), `\n`, `\r`, `\t`,
/// `\x07` for other C0 controls and DEL, `\u{9b}` beyond. Borrows when there is nothing to do.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_with(s, false)
}

/// The same, keeping line breaks: for messages of several lines, made of our own words with
/// the cloud's names inside (a name's own line break still shows as `\n` only if it comes
/// through [`escape`]).
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_with(s, true)
}

fn escape_with(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let keep = |c: char| !is_unsafe(c) || (keep_newlines && c == '\n');
    if s.chars().all(keep) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if keep(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_written_out_and_the_rest_is_untouched() {
        assert!(matches!(escape("web-prod-1 café 東京"), Cow::Borrowed(_)));
        assert_eq!(
            escape("evil\u{1b}]2;PWNED\u{7}\u{1b}[2J"),
            "evil\\e]2;PWNED\\x07\\e[2J"
        );
        assert_eq!(escape("a\nb\rc\td\u{7f}"), "a\\nb\\rc\\td\\x7f");
        assert_eq!(
            escape("\u{9b}31m\u{202e}gpj.exe"),
            "\\u{9b}31m\\u{202e}gpj.exe"
        );
        assert_eq!(escape_text("line 1\nline\u{1b}2"), "line 1\nline\\e2");
    }
}
