//! Small text helpers shared by the CLI tables and the console.

use chrono::{DateTime, Utc};

/// `45s`, `12m`, `5h`, `3d`, `2y`: how long ago, in the largest whole unit.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - then).num_seconds().max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h", s / 3600),
        86_400..=31_535_999 => format!("{}d", s / 86_400),
        _ => format!("{}y", s / 31_536_000),
    }
}

/// Memory in GiB without a pointless `.0`: `8`, `3.75`, `0.5`.
pub fn gib(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // Exactly an integer: printed as one, without float formatting.
        (v as i64).to_string()
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// A ref's id short enough for a table column (see [`short_native_id`]).
pub fn short_id(r: &crate::domain::ResourceRef) -> String {
    short_native_id(r.provider, &r.id)
}

/// An id short enough for a table column: an Azure resource id becomes `group/name` (the full
/// id is in JSON, `get` and the detail view); other ids are short already.
pub fn short_native_id(provider: crate::domain::ProviderKind, id: &str) -> String {
    if provider != crate::domain::ProviderKind::Azure {
        return id.to_string();
    }
    let parts: Vec<&str> = id.split('/').collect();
    let group = parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("resourceGroups"))
        .and_then(|i| parts.get(i + 1));
    match (group, parts.last()) {
        (Some(g), Some(n)) => format!("{g}/{n}"),
        _ => id.to_string(),
    }
}

/// Where a resource sits, for a table: its zone (Azure zones are numbers, so `eastus/1`),
/// else its region.
pub fn place(r: &crate::domain::ResourceRef, zone: Option<&str>) -> String {
    match zone {
        Some(z) if r.provider == crate::domain::ProviderKind::Azure => format!("{}/{z}", r.region),
        Some(z) => z.to_string(),
        None => r.region.to_string(),
    }
}

/// Cut `s` to `width` display columns, ending in `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Dollars as people read them: `$1,234` from a thousand up, else `$12.34`; never `-$0.00`.
pub fn usd(v: f64) -> String {
    // An empty sum is -0.0: no minus sign for nothing.
    let v = if v == 0.0 { 0.0 } else { v };
    if v.abs() >= 1000.0 {
        let whole = v.abs().round() as u64;
        let s = whole.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        format!("{}${out}", if v < 0.0 { "-" } else { "" })
    } else {
        format!("${v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_sizes() {
        let now = Utc::now();
        assert_eq!(age(now - chrono::Duration::seconds(30), now), "30s");
        assert_eq!(age(now - chrono::Duration::hours(5), now), "5h");
        assert_eq!(age(now - chrono::Duration::days(40), now), "40d");
        assert_eq!(age(now + chrono::Duration::days(1), now), "0s");
        assert_eq!(gib(8.0), "8");
        assert_eq!(gib(3.75), "3.75");
        assert_eq!(gib(0.5), "0.5");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }
}
