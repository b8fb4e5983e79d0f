use std::fmt;

use super::{Cmp, Field, Num, NumField, Pattern, Term, Test};
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
    /// The field name before an unquoted `:` or operator, if any.
    field: Option<String>,
    /// The operator after the field (`:`, `=`, `>=` …) and where it is.
    op: String,
    op_at: (usize, usize),
    /// The rest, quotes removed.
    value: String,
    /// After a field: the value cut at unquoted `|` and `,` (alternatives).
    alts: Vec<String>,
}

const OP_CHARS: &[char] = &['<', '>', '=', '!'];

/// A word that can be a field name before an operator: letters, digits, `_`.
fn is_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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
            op: String::new(),
            op_at: (start, start),
            value: String::new(),
            alts: Vec::new(),
        };
        if c == '!' {
            tok.negated = true;
            chars.next();
        }
        let mut quote_at: Option<usize> = None;
        let mut current = String::new();
        let mut alt = String::new();
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
                    tok.op = ":".into();
                    tok.op_at = (i, i + 1);
                }
                c if OP_CHARS.contains(&c)
                    && quote_at.is_none()
                    && tok.field.is_none()
                    && is_word(&current) =>
                {
                    tok.field = Some(std::mem::take(&mut current));
                    tok.op.push(c);
                    let mut end = i + c.len_utf8();
                    while let Some(&(j, d)) = chars.peek() {
                        if !OP_CHARS.contains(&d) {
                            break;
                        }
                        tok.op.push(d);
                        end = j + d.len_utf8();
                        chars.next();
                    }
                    tok.op_at = (i, end);
                }
                '|' | ',' if quote_at.is_none() && tok.field.is_some() => {
                    tok.alts.push(std::mem::take(&mut alt));
                    current.push(c);
                }
                _ => {
                    current.push(c);
                    if tok.field.is_some() {
                        alt.push(c);
                    }
                }
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
        if tok.field.is_some() {
            tok.alts.push(alt);
        }
        tok.value = current;
        out.push(tok);
    }
    Ok(out)
}

/// The fields that compare as numbers, for messages.
fn number_fields() -> String {
    NumField::ALL
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn parse(input: &str) -> Result<Vec<Term>, FilterError> {
    let now = chrono::Utc::now().timestamp();
    tokens(input)?
        .into_iter()
        .map(|t| {
            let err = |message: String| FilterError { message, start: t.start, end: t.end, input: input.to_string() };
            let field = t.field.as_deref();
            let known = field.is_some_and(|f| {
                f.eq_ignore_ascii_case("tag")
                    || f.eq_ignore_ascii_case("spot")
                    || f.eq_ignore_ascii_case("network")
                    || Field::from_name(f).is_some()
                    || NumField::from_name(f).is_some()
            });
            // `a=b` naming no field is text; `colour>4` is a mistake.
            if let (Some(f), false) = (field, known) {
                if t.op != ":" && !t.op.contains(['<', '>']) {
                    let text = format!("{f}{}{}", t.op, t.value);
                    return Ok(Term { negated: t.negated, test: Test::Text(Pattern::anywhere(&text)) });
                }
                let names: Vec<&str> = Field::ALL.iter().map(|(n, _)| *n).collect();
                return Err(err(format!(
                    "unknown field '{f}'; fields are {}, {}, tag:KEY=VALUE and spot:true, network:NAME (quote text that contains ':')",
                    names.join(", "),
                    number_fields()
                )));
            }
            let (cmp, flip) = match t.op.as_str() {
                "" | ":" | "=" | "==" => (Cmp::Eq, false),
                "!=" => (Cmp::Eq, true),
                "<" => (Cmp::Lt, false),
                "<=" => (Cmp::Le, false),
                ">" => (Cmp::Gt, false),
                ">=" => (Cmp::Ge, false),
                other if known => {
                    return Err(FilterError {
                        message: format!(
                            "unknown operator '{other}' after '{}'; operators are :, =, !=, <, <=, >, >= (compare numbers: {})",
                            field.unwrap_or(""),
                            number_fields()
                        ),
                        start: t.op_at.0,
                        end: t.op_at.1,
                        input: input.to_string(),
                    })
                }
                _ => (Cmp::Eq, false),
            };
            let negated = t.negated != flip;
            let test = match field {
                None if t.value.is_empty() && t.quoted => {
                    return Err(err("`\"\"` is an empty term: put text between the quotes (an empty filter matches everything)".into()))
                }
                None if t.value.is_empty() => return Err(err("'!' needs a term after it".into())),
                None => Test::Text(Pattern::anywhere(&t.value)),
                Some(f) if t.value.is_empty() => return Err(err(format!("`{f}{}` needs a value", t.op))),
                Some(_) if t.alts.iter().any(String::is_empty) => {
                    return Err(err("an empty alternative: write `field:a|b`, each side a value".into()))
                }
                Some(f) if cmp != Cmp::Eq && NumField::from_name(f).is_none() => {
                    let f = f.to_ascii_lowercase();
                    return Err(err(format!("{f} is not a number; `{}` compares numbers: {}", t.op, number_fields())));
                }
                Some(f) if f.eq_ignore_ascii_case("tag") => {
                    let mut key: Option<&str> = None;
                    let mut tests = Vec::new();
                    for a in &t.alts {
                        tests.push(match a.split_once('=') {
                            Some(("", _)) => return Err(err("`tag:` needs a key before '='".into())),
                            Some((k, v)) => {
                                key = Some(k);
                                Test::Tag(Pattern::new(k), Some(Pattern::new(v)))
                            }
                            None => match key {
                                Some(k) => Test::Tag(Pattern::new(k), Some(Pattern::new(a))),
                                None => Test::Tag(Pattern::new(a), None),
                            },
                        });
                    }
                    any(tests)
                }
                Some(f) if f.eq_ignore_ascii_case("spot") => {
                    let mut tests = Vec::new();
                    for a in &t.alts {
                        tests.push(match a.to_ascii_lowercase().as_str() {
                            "true" | "yes" => Test::Spot(true),
                            "false" | "no" => Test::Spot(false),
                            other => return Err(err(format!("spot is true or false, not '{other}'"))),
                        });
                    }
                    any(tests)
                }
                Some(f) if f.eq_ignore_ascii_case("network") => {
                    any(t.alts.iter().map(|a| Test::Network(Pattern::new(a))).collect())
                }
                Some(f) => match NumField::from_name(f) {
                    Some(nf) => {
                        let mut tests = Vec::new();
                        for a in &t.alts {
                            tests.push(number_test(nf, cmp, a, now).map_err(&err)?);
                        }
                        any(tests)
                    }
                    None => {
                        let field = Field::from_name(f).expect("a known field");
                        let mut tests = Vec::new();
                        for a in &t.alts {
                            check_value(field, a).map_err(&err)?;
                            tests.push(Test::Field(field, Pattern::new(a)));
                        }
                        any(tests)
                    }
                },
            };
            Ok(Term { negated, test })
        })
        .collect()
}

/// One test, or any of several.
fn any(mut tests: Vec<Test>) -> Test {
    if tests.len() == 1 {
        tests.pop().expect("one")
    } else {
        Test::Any(tests)
    }
}

/// A state or provider that does not exist is a typo, said at once.
fn check_value(field: Field, value: &str) -> Result<(), String> {
    let glob = value.contains('*') || value.contains('?');
    if field == Field::State && !glob && !all_state_words().any(|s| s.eq_ignore_ascii_case(value)) {
        let mut words: Vec<&str> = all_state_words().collect();
        words.sort();
        words.dedup();
        let hint = closest(value, &words)
            .map(|w| format!("did you mean '{w}'? "))
            .unwrap_or_default();
        return Err(format!(
            "unknown state '{value}'; {hint}states are {}",
            words.join(", ")
        ));
    }
    if field == Field::Provider && !glob && value.parse::<crate::domain::ProviderKind>().is_err() {
        return Err(format!(
            "unknown provider '{value}'; providers are aws, gcp, azure"
        ));
    }
    Ok(())
}

/// `vcpus>=4`, `cost>$0.5`, `age>30d` (s, m, h, d, w; a bare number is days).
fn number_test(f: NumField, cmp: Cmp, value: &str, now: i64) -> Result<Test, String> {
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    if f == NumField::Age {
        let (digits, unit) = match value.find(|c: char| c.is_ascii_alphabetic()) {
            Some(i) => value.split_at(i),
            None => (value, "d"),
        };
        let scale = match unit.to_ascii_lowercase().as_str() {
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            "w" => 7.0 * 86_400.0,
            _ => f64::NAN,
        };
        return match number(digits) {
            Some(n) if scale.is_finite() => Ok(Test::Age(cmp, Num(n * scale), now)),
            _ => Err(format!(
                "'{value}' is not an age: a number and s, m, h, d or w (age>30d, age<12h)"
            )),
        };
    }
    let v = if f == NumField::Cost {
        value.strip_prefix('$').unwrap_or(value)
    } else {
        value
    };
    number(v)
        .map(|n| Test::Number(f, cmp, Num(n)))
        .ok_or_else(|| format!("'{value}' is not a number (vcpus>=4, cost>0.5, size>100)"))
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
