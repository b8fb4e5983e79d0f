use std::fmt;

use super::{Field, Pattern, Term, Test};
use crate::domain::state::all_state_words;

/// A filter that does not parse: what is wrong, and where (byte offsets into the input), so the
/// console can underline the term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub message: String,
    pub start: usize,
    pub end: usize,
    pub input: String,
}

impl FilterError {
    /// The input with a caret line under the faulty term, for multi-line displays.
    pub fn caret(&self) -> String {
        let pad = self.input[..self.start].chars().count();
        let width = self.input[self.start..self.end].chars().count().max(1);
        format!("{}\n{}{}", self.input, " ".repeat(pad), "^".repeat(width))
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "filter: {} (at column {}: `{}`)",
            self.message,
            self.input[..self.start].chars().count() + 1,
            &self.input[self.start..self.end]
        )
    }
}

impl std::error::Error for FilterError {}

struct Token {
    start: usize,
    end: usize,
    negated: bool,
    /// Quotes were written in it (so an empty value is `""`, not a lone `!`).
    quoted: bool,
    /// The field name before an unquoted `:`, if any.
    field: Option<String>,
    /// The rest, quotes removed.
    value: String,
}

fn tokens(input: &str) -> Result<Vec<Token>, FilterError> {
    let mut out = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut tok = Token {
            start,
            end: start,
            negated: false,
            quoted: false,
            field: None,
            value: String::new(),
        };
        if c == '!' {
            tok.negated = true;
            chars.next();
        }
        let mut quote_at: Option<usize> = None;
        let mut current = String::new();
        while let Some(&(i, c)) = chars.peek() {
            if quote_at.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            match c {
                '"' if quote_at.is_some() => quote_at = None,
                '"' => {
                    quote_at = Some(i);
                    tok.quoted = true;
                }
                ':' if quote_at.is_none() && tok.field.is_none() && !current.is_empty() => {
                    tok.field = Some(std::mem::take(&mut current));
                }
                _ => current.push(c),
            }
        }
        tok.end = chars.peek().map_or(input.len(), |&(i, _)| i);
        if let Some(q) = quote_at {
            return Err(FilterError {
                message: "this quote is never closed".into(),
                start: q,
                end: tok.end,
                input: input.to_string(),
            });
        }
        tok.value = current;
        out.push(tok);
    }
    Ok(out)
}

pub fn parse(input: &str) -> Result<Vec<Term>, FilterError> {
    tokens(input)?
        .into_iter()
        .map(|t| {
            let err = |message: String| FilterError { message, start: t.start, end: t.end, input: input.to_string() };
            let test = match &t.field {
                None if t.value.is_empty() && t.quoted => {
                    return Err(err("`\"\"` is an empty term: put text between the quotes (an empty filter matches everything)".into()))
                }
                None if t.value.is_empty() => return Err(err("'!' needs a term after it".into())),
                None => Test::Text(Pattern::anywhere(&t.value)),
                Some(_) if t.value.is_empty() => {
                    return Err(err(format!("`{}:` needs a value", t.field.as_deref().unwrap_or(""))))
                }
                Some(f) if f.eq_ignore_ascii_case("tag") => match t.value.split_once('=') {
                    Some(("", _)) => return Err(err("`tag:` needs a key before '='".into())),
                    Some((k, v)) => Test::Tag(Pattern::new(k), Some(Pattern::new(v))),
                    None => Test::Tag(Pattern::new(&t.value), None),
                },
                Some(f) if f.eq_ignore_ascii_case("spot") => match t.value.to_ascii_lowercase().as_str() {
                    "true" | "yes" => Test::Spot(true),
                    "false" | "no" => Test::Spot(false),
                    other => return Err(err(format!("spot is true or false, not '{other}'"))),
                },
                Some(f) => {
                    let field = Field::from_name(f).ok_or_else(|| {
                        let names: Vec<&str> = Field::ALL.iter().map(|(n, _)| *n).collect();
                        err(format!(
                            "unknown field '{f}'; fields are {}, tag:KEY=VALUE and spot:true (quote text that contains ':')",
                            names.join(", ")
                        ))
                    })?;
                    let glob = t.value.contains('*') || t.value.contains('?');
                    if field == Field::State && !glob && !all_state_words().any(|s| s.eq_ignore_ascii_case(&t.value)) {
                        let mut words: Vec<&str> = all_state_words().collect();
                        words.sort();
                        words.dedup();
                        let hint = closest(&t.value, &words).map(|w| format!("did you mean '{w}'? ")).unwrap_or_default();
                        return Err(err(format!("unknown state '{}'; {hint}states are {}", t.value, words.join(", "))));
                    }
                    if field == Field::Provider && !glob && t.value.parse::<crate::domain::ProviderKind>().is_err() {
                        return Err(err(format!("unknown provider '{}'; providers are aws, gcp, azure", t.value)));
                    }
                    Test::Field(field, Pattern::new(&t.value))
                }
            };
            Ok(Term { negated: t.negated, test })
        })
        .collect()
}

/// The word within two edits of `s`, if one is.
fn closest<'a>(s: &str, words: &[&'a str]) -> Option<&'a str> {
    let s = s.to_ascii_lowercase();
    words
        .iter()
        .map(|w| (edit_distance(&s, w), *w))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, w)| w)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
