//! The filter language, shared by `--filter` and the console's `/` (docs/filter.md).
//!
//! Terms are separated by spaces and all must match. A term is free text (matches the name, the
//! id or any tag value, as a substring) or `field:value` (the whole field, ignoring case); `*`
//! and `?` glob in either; `!` in front negates; double quotes keep spaces and colons inside
//! one term.
//!
//! The cost of a filter does not grow with how it is written: a term written twice is tested
//! once, a run of stars is one star, a glob never backtracks ([`glob`]).

mod fields;
mod free_text;
mod glob;
mod parse;

pub use crate::domain::network::NetBook;
pub use fields::{Field, Filterable, NumField};
pub use free_text::{FreeText, RowText};
pub use parse::FilterError;

use glob::{contains_folded, equals_folded, fold, Glob};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Pattern {
    /// A literal, case-folded.
    Exact(String),
    Glob(Glob),
    /// Only stars: anything matches.
    Any,
}

impl Pattern {
    fn new(value: &str) -> Self {
        if value.contains('*') || value.contains('?') {
            Glob::new(value).map_or(Pattern::Any, Pattern::Glob)
        } else {
            Pattern::Exact(fold(value))
        }
    }

    /// For free text: a glob may match anywhere in the text.
    fn anywhere(value: &str) -> Self {
        match Pattern::new(value) {
            Pattern::Glob(_) => Pattern::new(&format!("*{value}*")),
            other => other,
        }
    }

    fn whole(&self, text: &str) -> bool {
        match self {
            Pattern::Exact(p) => equals_folded(text, p),
            Pattern::Glob(g) => g.matches(text),
            Pattern::Any => true,
        }
    }

    /// Could be part of an IP address (so addresses need looking at): digits, hex, `.`, `:`.
    fn may_be_address(&self) -> bool {
        match self {
            Pattern::Exact(p) => could_be_address(p),
            _ => true,
        }
    }

    fn within(&self, text: &str) -> bool {
        match self {
            Pattern::Exact(p) => contains_folded(text, p),
            // Free-text globs are wrapped in `*…*` when parsed.
            Pattern::Glob(g) => g.matches(text),
            Pattern::Any => true,
        }
    }
}

/// Literal text that could be part of an IP address: digits, hex, `.`, `:`.
fn could_be_address(p: &str) -> bool {
    p.bytes()
        .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
}

/// `text` equals `pattern` ignoring case, or matches it as a glob (`*`, `?`).
pub fn value_matches(pattern: &str, text: &str) -> bool {
    Pattern::new(pattern).whole(text)
}

/// How a number field compares: `=`, `!=` (as a negated `=`), `<`, `<=`, `>`, `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Eq => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }
}

/// A number that can be hashed and compared for equality (by its bits).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(pub f64);

impl PartialEq for Num {
    fn eq(&self, o: &Self) -> bool {
        self.0.to_bits() == o.0.to_bits()
    }
}
impl Eq for Num {}
impl std::hash::Hash for Num {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.to_bits().hash(h)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Test {
    Text(Pattern),
    Field(Field, Pattern),
    /// `tag:KEY` (any value) or `tag:KEY=VALUE`.
    Tag(Pattern, Option<Pattern>),
    Spot(bool),
    /// `vcpus>=4`, `size>100`, `cost>0.5` (dollars an hour).
    Number(NumField, Cmp, Num),
    /// `age>30d`: seconds since launch, counted from `now` (when the filter was given, as a
    /// Unix time).
    Age(Cmp, Num, i64),
    /// `network:NAME`: the row is a network of that name or id, or sits in one.
    Network(Pattern),
    /// `state:running|stopped`: any of them.
    Any(Vec<Test>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Term {
    negated: bool,
    test: Test,
}

/// A parsed filter; the empty filter matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    terms: Vec<Term>,
    source: String,
    /// The prices `cost` terms read (the bundled catalog unless given).
    prices: crate::prices::PriceBook,
    /// Which network each instance sits in, for `network:` terms (none unless given).
    networks: NetBook,
}

impl Filter {
    pub fn parse(input: &str) -> Result<Filter, FilterError> {
        // A term written twice is tested once (51,200 pasted `a`s are one `a`).
        let mut seen = std::collections::HashSet::new();
        let terms = parse::parse(input)?
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .collect();
        Ok(Filter {
            terms,
            source: input.trim().to_string(),
            prices: Default::default(),
            networks: Default::default(),
        })
    }

    /// Read `cost` terms from `catalog` (a refreshed one) instead of the bundled prices.
    pub fn with_prices(mut self, catalog: std::sync::Arc<crate::prices::Catalog>) -> Self {
        self.prices = crate::prices::PriceBook::new(catalog);
        self
    }

    /// Read `network:` terms of rows that are not networks from `book`.
    pub fn with_networks(mut self, book: NetBook) -> Self {
        self.networks = book;
        self
    }

    /// It has a `network:` term (so it needs a [`NetBook`] for rows that are not networks).
    pub fn uses_networks(&self) -> bool {
        fn uses(t: &Test) -> bool {
            match t {
                Test::Network(_) => true,
                Test::Any(v) => v.iter().any(uses),
                _ => false,
            }
        }
        self.terms.iter().any(|t| uses(&t.test))
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every row this filter matches is matched by `previous` too (the user typed more), so
    /// only `previous`'s matches need testing again.
    pub fn narrows(&self, previous: &Filter) -> bool {
        self.terms.len() >= previous.terms.len()
            && previous.terms.iter().zip(&self.terms).all(|(old, new)| {
                old == new
                    || match (old, new) {
                        (
                            Term {
                                negated: false,
                                test: Test::Text(Pattern::Exact(o)),
                            },
                            Term {
                                negated: false,
                                test: Test::Text(Pattern::Exact(n)),
                            },
                        ) => n.contains(o.as_str()),
                        _ => false,
                    }
            })
    }

    pub fn matches<R: Filterable + ?Sized>(&self, r: &R) -> bool {
        self.matches_with(r, None)
    }

    /// [`Filter::matches`], with free-text terms looked up in the row's folded `text` (made
    /// by [`FreeText`] from this row) instead of read from the row: the same answer, faster.
    pub fn matches_with<R: Filterable + ?Sized>(&self, r: &R, text: Option<RowText>) -> bool {
        self.terms
            .iter()
            .all(|t| t.negated != test(&t.test, r, self, text))
    }

    /// Whether a term looks for free text (so [`FreeText`] would help).
    pub fn has_free_text(&self) -> bool {
        fn text(t: &Test) -> bool {
            match t {
                Test::Text(Pattern::Exact(_)) => true,
                Test::Any(tests) => tests.iter().any(text),
                _ => false,
            }
        }
        self.terms.iter().any(|t| text(&t.test))
    }
}

fn test<R: Filterable + ?Sized>(t: &Test, r: &R, f: &Filter, text: Option<RowText>) -> bool {
    let prices = &f.prices;
    match t {
        Test::Text(Pattern::Exact(p)) if text.is_some() => text
            .and_then(|folded| folded.contains(p, could_be_address(p)))
            .unwrap_or_else(|| test(t, r, f, None)),
        Test::Text(p) => {
            p.within(r.field(Field::Name).unwrap_or(""))
                || p.within(r.field(Field::Id).unwrap_or(""))
                || r.tag_pairs().any(|(_, v)| p.within(v))
                || {
                    let [kind, zone, ip1, ip2] = r.more_text();
                    [kind, zone].into_iter().flatten().any(|v| p.within(v))
                        || (p.may_be_address()
                            && [ip1, ip2].into_iter().flatten().any(|v| p.within(v)))
                }
        }
        Test::Field(f, p) => r.field(*f).is_some_and(|v| p.whole(v)),
        Test::Tag(k, v) => r
            .tag_pairs()
            .any(|(key, val)| k.whole(key) && v.as_ref().is_none_or(|v| v.whole(val))),
        Test::Spot(want) => r.is_spot() == *want,
        Test::Number(NumField::Cost, cmp, n) => r
            .hourly_usd(prices.catalog())
            .is_some_and(|v| cmp.holds(v, n.0)),
        Test::Number(f, cmp, n) => r.number(*f).is_some_and(|v| cmp.holds(v, n.0)),
        Test::Age(cmp, secs, now) => r
            .launched()
            .is_some_and(|t| cmp.holds((*now - t.timestamp()) as f64, secs.0)),
        Test::Network(p) => r.in_network(&f.networks, &|name: &str| p.whole(name)),
        Test::Any(tests) => tests.iter().any(|t| test(t, r, f, text)),
    }
}

#[cfg(test)]
mod tests;
