//! The filter parser and matcher: never panic, and agree with a plain reference (fold both
//! sides, test every term) on generated filters and rows.

use proptest::prelude::*;

use nephos::filter::{Field, Filter, Filterable};

use super::{config, text_of, HOSTILE};

#[derive(Debug, Clone)]
struct Row {
    name: String,
    id: String,
    zone: Option<String>,
    kind: String,
    tags: Vec<(String, String)>,
    spot: bool,
}

impl Filterable for Row {
    fn field(&self, f: Field) -> Option<&str> {
        match f {
            Field::Name => Some(&self.name),
            Field::Id => Some(&self.id),
            Field::Zone => self.zone.as_deref(),
            Field::Type => Some(&self.kind),
            Field::Account => Some("acct"),
            Field::Region => Some("region-1"),
            Field::Provider => Some("aws"),
            Field::State => Some("running"),
            Field::ProviderState => Some("RUNNING"),
        }
    }
    fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
    fn is_spot(&self) -> bool {
        self.spot
    }
}

/// Letters that fold in interesting ways, and the two glob characters. No filter syntax
/// (space, quote, colon, `!`, `=`), so the rendered filter says exactly what the term is.
const VALUE: &[char] = &[
    'a', 'b', 'A', 'B', 'é', 'É', 'ß', 'K', '-', '.', '1', '*', '?',
];
const ROW: &[char] = &[
    'a', 'b', 'A', 'B', 'é', 'É', 'ß', 'k', 'K', '-', '.', '1', ' ', ':',
];

#[derive(Debug, Clone)]
enum Term {
    Text(String),
    Field(&'static str, String),
    Tag(String, Option<String>),
    Spot(bool),
}

fn value() -> impl Strategy<Value = String> {
    text_of(VALUE, 5).prop_filter("a value", |v| !v.is_empty())
}

fn term() -> impl Strategy<Value = (bool, Term)> {
    let t = prop_oneof![
        4 => value().prop_map(Term::Text),
        2 => (prop::sample::select(&["name", "id", "zone", "type"][..]), value())
            .prop_map(|(f, v)| Term::Field(f, v)),
        2 => (value(), prop::option::of(value())).prop_map(|(k, v)| Term::Tag(k, v)),
        1 => any::<bool>().prop_map(Term::Spot),
    ];
    (prop::bool::weighted(0.25), t)
}

fn row() -> impl Strategy<Value = Row> {
    (
        text_of(ROW, 8),
        text_of(ROW, 6),
        prop::option::of(text_of(ROW, 4)),
        text_of(ROW, 4),
        prop::collection::vec((text_of(ROW, 3), text_of(ROW, 5)), 0..3),
        any::<bool>(),
    )
        .prop_map(|(name, id, zone, kind, tags, spot)| Row {
            name,
            id,
            zone,
            kind,
            tags,
            spot,
        })
}

fn render(terms: &[(bool, Term)]) -> String {
    terms
        .iter()
        .map(|(neg, t)| {
            let body = match t {
                Term::Text(v) => v.clone(),
                Term::Field(f, v) => format!("{f}:{v}"),
                Term::Tag(k, None) => format!("tag:{k}"),
                Term::Tag(k, Some(v)) => format!("tag:{k}={v}"),
                Term::Spot(b) => format!("spot:{b}"),
            };
            format!("{}{body}", if *neg { "!" } else { "" })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower case, one character for one character (what the docs promise).
fn fold(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| {
            let l: Vec<char> = c.to_lowercase().collect();
            if l.len() == 1 {
                l[0]
            } else {
                c
            }
        })
        .collect()
}

/// The textbook dynamic-programming glob match.
fn glob(p: &[char], t: &[char]) -> bool {
    let mut dp = vec![vec![false; t.len() + 1]; p.len() + 1];
    dp[0][0] = true;
    for i in 1..=p.len() {
        dp[i][0] = dp[i - 1][0] && p[i - 1] == '*';
        for j in 1..=t.len() {
            dp[i][j] = match p[i - 1] {
                '*' => dp[i - 1][j] || dp[i][j - 1],
                '?' => dp[i - 1][j - 1],
                c => dp[i - 1][j - 1] && c == t[j - 1],
            };
        }
    }
    dp[p.len()][t.len()]
}

fn whole(pattern: &str, text: &str) -> bool {
    glob(&fold(pattern), &fold(text))
}

fn within(pattern: &str, text: &str) -> bool {
    if pattern.contains(['*', '?']) {
        whole(&format!("*{pattern}*"), text)
    } else {
        let (p, t) = (fold(pattern), fold(text));
        p.is_empty() || t.windows(p.len()).any(|w| w == p.as_slice())
    }
}

fn reference(terms: &[(bool, Term)], r: &Row) -> bool {
    terms.iter().all(|(neg, t)| {
        let hit = match t {
            Term::Text(v) => {
                within(v, &r.name) || within(v, &r.id) || r.tags.iter().any(|(_, x)| within(v, x))
            }
            Term::Field(f, v) => Field::from_name(f)
                .and_then(|f| r.field(f))
                .is_some_and(|x| whole(v, x)),
            Term::Tag(k, v) => r
                .tags
                .iter()
                .any(|(a, b)| whole(k, a) && v.as_ref().is_none_or(|v| whole(v, b))),
            Term::Spot(b) => r.spot == *b,
        };
        hit != *neg
    })
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn matches_agree_with_the_reference(
        terms in prop::collection::vec(term(), 0..5),
        rows in prop::collection::vec(row(), 1..6),
    ) {
        let text = render(&terms);
        let f = Filter::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        for r in &rows {
            prop_assert_eq!(f.matches(r), reference(&terms, r), "{} on {:?}", text, r);
        }
        // Writing it twice changes nothing.
        let twice = Filter::parse(&format!("{text} {text}")).unwrap();
        for r in &rows {
            prop_assert_eq!(twice.matches(r), f.matches(r));
        }
    }

    #[test]
    fn typing_more_only_narrows_when_it_says_so(
        terms in prop::collection::vec(term(), 1..4),
        more in text_of(VALUE, 3),
        rows in prop::collection::vec(row(), 1..6),
    ) {
        let old = render(&terms);
        let new = format!("{old}{more}");
        if let (Ok(o), Ok(n)) = (Filter::parse(&old), Filter::parse(&new)) {
            if n.narrows(&o) {
                for r in &rows {
                    prop_assert!(!n.matches(r) || o.matches(r), "{} narrows {} but matches {:?}", new, old, r);
                }
            }
        }
    }

    #[test]
    fn any_input_parses_or_points_inside_itself(
        input in text_of(HOSTILE, 40),
        rows in prop::collection::vec(row(), 1..3),
    ) {
        match Filter::parse(&input) {
            Ok(f) => {
                for r in &rows {
                    let _ = f.matches(r);
                }
            }
            Err(e) => {
                prop_assert!(e.start <= e.end && e.end <= input.len(), "{:?}", e);
                prop_assert!(input.is_char_boundary(e.start) && input.is_char_boundary(e.end));
                let _ = (e.to_string(), e.caret());
            }
        }
    }
}
