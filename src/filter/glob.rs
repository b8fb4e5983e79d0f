//! Case-insensitive matching, one character at a time: `*` matches any run of characters, `?`
//! any one character (not one byte). Case folds beyond ASCII (`CAFÉ` is `café`), each
//! character to one character, so `?` still means one of what the user sees.
//!
//! A glob is split at its stars once, when parsed; matching checks the first piece at the
//! start, the last at the end and finds each middle piece left to right at its first place.
//! That is exact for globs of `*` and `?` and never backtracks: a match costs at most the text's
//! length times the pattern's, however many stars it has.

/// `c` in lower case, when that is one character (it nearly always is; `İ` → `i̇` is not, and
/// stays itself).
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `s` folded, character by character.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// A compiled glob: the pieces between its stars, `None` standing for `?`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    /// At least one piece; a glob with n stars has n + 1 (the first and last may be empty).
    pieces: Vec<Vec<Option<char>>>,
}

impl Glob {
    /// `pattern` with runs of `*` taken as one. None when it is only stars (it matches
    /// anything).
    pub fn new(pattern: &str) -> Option<Glob> {
        let mut pieces = vec![Vec::new()];
        for c in pattern.chars() {
            match c {
                '*' if pieces.last().is_some_and(Vec::is_empty) && pieces.len() > 1 => {}
                '*' => pieces.push(Vec::new()),
                '?' => pieces.last_mut().expect("one piece").push(None),
                c => pieces
                    .last_mut()
                    .expect("one piece")
                    .push(Some(fold_char(c))),
            }
        }
        if pieces.iter().all(Vec::is_empty) && pieces.len() > 1 {
            return None;
        }
        Some(Glob { pieces })
    }

    /// The whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        if text.is_ascii() {
            self.matches_in(&Ascii(text.as_bytes()))
        } else {
            let chars: Vec<char> = text.chars().map(fold_char).collect();
            self.matches_in(&chars[..])
        }
    }

    fn matches_in<T: Text + ?Sized>(&self, t: &T) -> bool {
        let n = t.len();
        let (first, rest) = self.pieces.split_first().expect("one piece");
        let Some((last, middle)) = rest.split_last() else {
            return first.len() == n && piece_at(first, t, 0);
        };
        if first.len() + last.len() > n
            || !piece_at(first, t, 0)
            || !piece_at(last, t, n - last.len())
        {
            return false;
        }
        let end = n - last.len();
        let mut pos = first.len();
        for piece in middle {
            match find(piece, t, pos, end) {
                Some(at) => pos = at + piece.len(),
                None => return false,
            }
        }
        true
    }
}

/// Text to match against, folded: ASCII bytes are folded as they are read, anything else is
/// folded into characters first.
trait Text {
    fn len(&self) -> usize;
    fn at(&self, i: usize) -> char;
}

struct Ascii<'a>(&'a [u8]);

impl Text for Ascii<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn at(&self, i: usize) -> char {
        self.0[i].to_ascii_lowercase() as char
    }
}

impl Text for [char] {
    fn len(&self) -> usize {
        <[char]>::len(self)
    }
    fn at(&self, i: usize) -> char {
        self[i]
    }
}

fn piece_at<T: Text + ?Sized>(piece: &[Option<char>], t: &T, at: usize) -> bool {
    piece
        .iter()
        .enumerate()
        .all(|(k, p)| p.is_none_or(|c| t.at(at + k) == c))
}

/// The first place at or after `from` where `piece` lies wholly before `end`.
fn find<T: Text + ?Sized>(piece: &[Option<char>], t: &T, from: usize, end: usize) -> Option<usize> {
    let last_start = end.checked_sub(piece.len())?;
    (from..=last_start).find(|&i| piece_at(piece, t, i))
}

/// `text` equals `folded` (already folded), ignoring case. While the text is ASCII its fold is
/// its bytes in lower case, so the first byte that differs answers; only a text with something
/// else in it (a Kelvin sign folds to `k`) is folded character by character.
pub fn equals_folded(text: &str, folded: &str) -> bool {
    let want = folded.as_bytes();
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if !b.is_ascii() {
            return text.chars().map(fold_char).eq(folded.chars());
        }
        if want.get(i) != Some(&b.to_ascii_lowercase()) {
            return false;
        }
    }
    text.len() == want.len()
}

/// `text` contains `folded` (already folded), ignoring case.
pub fn contains_folded(text: &str, folded: &str) -> bool {
    if folded.is_empty() {
        return true;
    }
    if text.is_ascii() {
        // An ASCII text folds to ASCII: a needle with anything else cannot be in it.
        folded.is_ascii() && contains_ascii_ci(text.as_bytes(), folded.as_bytes())
    } else {
        fold(text).contains(folded)
    }
}

/// Substring search, ignoring ASCII case. `needle_lower` must already be lower case. The
/// candidates are where the needle's first byte stands in either case (memchr2, a word at a
/// time), so most of a text is skipped without folding it.
fn contains_ascii_ci(haystack: &[u8], needle_lower: &[u8]) -> bool {
    let n = needle_lower.len();
    if haystack.len() < n {
        return false;
    }
    let first = needle_lower[0];
    let rest = &needle_lower[1..];
    let starts = &haystack[..=haystack.len() - n];
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), starts).any(|i| {
        haystack[i + 1..i + n]
            .iter()
            .zip(rest)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob_match(p: &str, t: &str) -> bool {
        Glob::new(p).is_none_or(|g| g.matches(t))
    }

    #[test]
    fn globs() {
        assert!(glob_match("m5.*", "m5.large"));
        assert!(glob_match("M5.*", "m5.large"));
        assert!(!glob_match("m5.*", "m6i.large"));
        assert!(glob_match("*prod*", "web-prod-001"));
        assert!(glob_match("us-east-1?", "us-east-1a"));
        assert!(!glob_match("us-east-1?", "us-east-1"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("a*a", "a-a"));
        assert!(!glob_match("a*a", "a"), "the ends do not overlap");
        assert!(glob_match("*ab*ab*", "xabyab"));
        assert!(!glob_match("*ab*ab*", "xaby"));
        assert!(glob_match("caf?", "café"));
        assert!(glob_match("CAF?", "CAFÉ"));
        assert!(glob_match("ZÜ*", "zürich"));
    }

    #[test]
    fn stars_collapse() {
        assert_eq!(Glob::new("a***b"), Glob::new("a*b"));
        assert_eq!(Glob::new("***"), None);
        assert_eq!(Glob::new("?**"), Glob::new("?*"));
    }

    #[test]
    fn substrings_and_equality_fold_case() {
        assert!(contains_folded("Web-PROD-01", "prod"));
        assert!(!contains_folded("web", "webs"));
        assert!(contains_folded("anything", ""));
        assert!(contains_folded("Grand CAFÉ", "café"));
        assert!(!contains_folded("cafe", "café"));
        // Candidates in either case, a false start before the match, the match at the very
        // end, and a needle that starts with a byte that has no case.
        assert!(contains_folded("pPpROD", "prod"));
        assert!(!contains_folded("xproxprodu", "prodx"));
        assert!(contains_folded("i-0abc-01", "-01"));
        assert!(!contains_folded("i-0abc-0", "-01"));
        assert!(contains_folded("P", "p"));
        assert!(equals_folded("RUNNING", "running"));
        assert!(!equals_folded("run", "running"));
        assert!(!equals_folded("runnings", "running"));
        assert!(!equals_folded("gcp", "aws"));
        assert!(equals_folded("\u{212A}ey", "key"));
        assert!(!equals_folded("cafe", "café"));
        assert!(equals_folded("", ""));
        assert!(equals_folded("CAFÉ", "café"));
        assert!(equals_folded("Web", "web"));
        assert!(!equals_folded("Webs", "web"));
    }
}
