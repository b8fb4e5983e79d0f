//! ASCII-case-insensitive matching: `*` matches any run of characters, `?` any one.

/// Whole-string glob match.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p].eq_ignore_ascii_case(&text[t])) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

/// Substring search, ignoring ASCII case. `needle` must already be lower case.
pub fn contains_ci(haystack: &[u8], needle_lower: &[u8]) -> bool {
    if needle_lower.is_empty() {
        return true;
    }
    if haystack.len() < needle_lower.len() {
        return false;
    }
    let first = needle_lower[0];
    (0..=haystack.len() - needle_lower.len()).any(|i| {
        haystack[i].to_ascii_lowercase() == first
            && haystack[i..i + needle_lower.len()]
                .iter()
                .zip(needle_lower)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match(b"m5.*", b"m5.large"));
        assert!(glob_match(b"M5.*", b"m5.large"));
        assert!(!glob_match(b"m5.*", b"m6i.large"));
        assert!(glob_match(b"*prod*", b"web-prod-001"));
        assert!(glob_match(b"us-east-1?", b"us-east-1a"));
        assert!(!glob_match(b"us-east-1?", b"us-east-1"));
        assert!(glob_match(b"*", b""));
        assert!(glob_match(b"a*b*c", b"aXXbYYc"));
        assert!(!glob_match(b"a*b*c", b"aXXbYY"));
    }

    #[test]
    fn substrings() {
        assert!(contains_ci(b"Web-PROD-01", b"prod"));
        assert!(!contains_ci(b"web", b"webs"));
        assert!(contains_ci(b"anything", b""));
    }
}
