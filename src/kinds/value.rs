//! What a field of a row holds, in one shape every output reads: the filter (text and numbers),
//! sorting, CSV (every cell a string) and JSON (typed, as docs/cli.md has it).

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::domain::{ResourceRef, Tags, Target};
use crate::inventory::SortValue;

/// A list a field holds: its JSON, and its one-cell text (its length unless it says more).
pub trait Listed: std::fmt::Debug + Sync {
    fn len(&self) -> usize;
    fn json(&self) -> serde_json::Value;
    fn cell(&self) -> String {
        self.len().to_string()
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Str(&'a str),
    OptStr(Option<&'a str>),
    Bool(bool),
    Int(Option<u64>),
    Float(Option<f64>),
    /// A moment: RFC 3339 in JSON and CSV, seconds since the epoch when sorting.
    Time(Option<DateTime<Utc>>),
    /// Time since a moment (the AGE column): sorts youngest first; not printed as data.
    Age(Option<DateTime<Utc>>),
    Ref(&'a ResourceRef),
    OptRef(Option<&'a ResourceRef>),
    Tags(&'a Tags),
    /// Its JSON is the list; elsewhere it counts.
    Targets(&'a [Target]),
    /// A list of parts (a network's subnets, groups, instances, findings; its CIDRs): JSON
    /// prints it whole, CSV and columns say it in one cell, sorting and numbers count it.
    List(&'a dyn Listed),
    /// Not read from the row alone (cost needs prices): the column's own cell says it.
    Derived,
}

/// RFC 3339 to the second, `Z` for UTC: how JSON and CSV print a moment.
pub fn rfc3339(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

impl<'a> Value<'a> {
    /// Text for `field:value` terms.
    pub fn text(self) -> Option<&'a str> {
        match self {
            Value::Str(s) => Some(s),
            Value::OptStr(s) => s,
            _ => None,
        }
    }

    /// A number for `vcpus>=4` terms.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Int(n) => n.map(|n| n as f64),
            Value::Float(n) => n,
            Value::Targets(t) => Some(t.len() as f64),
            Value::List(l) => Some(l.len() as f64),
            _ => None,
        }
    }

    pub fn sort(self) -> SortValue<'a> {
        match self {
            Value::Str(s) => SortValue::Text(s),
            Value::OptStr(Some(s)) => SortValue::Text(s),
            Value::Time(Some(t)) => SortValue::Number(t.timestamp() as f64),
            Value::Age(Some(t)) => SortValue::Number(-(t.timestamp() as f64)),
            v => v.number().map_or(SortValue::Missing, SortValue::Number),
        }
    }

    /// The CSV cell (and a console or CLI column's cell unless it has its own): every value
    /// in full, empty for none.
    pub fn cell(self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            Value::OptStr(s) => s.unwrap_or("").to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Int(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            Value::Float(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            Value::Time(t) => rfc3339(t).unwrap_or_default(),
            Value::Ref(r) => r.to_string(),
            Value::OptRef(r) => r.map(|r| r.to_string()).unwrap_or_default(),
            Value::Tags(t) => t.joined(),
            Value::Targets(t) => t.len().to_string(),
            Value::List(l) => l.cell(),
            Value::Age(_) | Value::Derived => String::new(),
        }
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Value::Str(v) => s.serialize_str(v),
            Value::OptStr(v) => v.serialize(s),
            Value::Bool(v) => s.serialize_bool(v),
            Value::Int(v) => v.serialize(s),
            Value::Float(v) => v.serialize(s),
            Value::Time(t) => rfc3339(t).serialize(s),
            Value::Ref(r) => r.serialize(s),
            Value::OptRef(r) => r.serialize(s),
            Value::Tags(t) => t.serialize(s),
            Value::Targets(t) => t.serialize(s),
            Value::List(l) => l.json().serialize(s),
            Value::Age(_) | Value::Derived => s.serialize_none(),
        }
    }
}
