//! `--fields a,b,c` and `--no-headers`: which columns a command prints, in every format. JSON
//! keeps only those keys, in that order; CSV and tables only those columns (a table's columns
//! are named as its headers, in any case, `_` for a space: `private_ip`).

use std::io;
use std::sync::OnceLock;

use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Projection {
    pub fields: Option<Vec<String>>,
    pub headers: bool,
}

impl Default for Projection {
    fn default() -> Self {
        Projection {
            fields: None,
            headers: true,
        }
    }
}

static CHOSEN: OnceLock<Projection> = OnceLock::new();

/// Set once, for the whole command, from its flags.
pub fn set(p: Projection) {
    let _ = CHOSEN.set(p);
}

pub fn get() -> Projection {
    CHOSEN.get().cloned().unwrap_or_default()
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace([' ', '-'], "_")
}

fn unknown(field: &str, known: &[String]) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "--fields: no field '{field}' here; fields are {}",
            known.join(", ")
        ),
    )
}

/// The positions of the chosen fields among `header`, in the order asked (None: all).
pub fn columns(p: &Projection, header: &[&str]) -> io::Result<Option<Vec<usize>>> {
    let Some(fields) = &p.fields else {
        return Ok(None);
    };
    let known: Vec<String> = header.iter().map(|h| norm(h)).collect();
    fields
        .iter()
        .map(|f| {
            known
                .iter()
                .position(|k| *k == norm(f))
                .ok_or_else(|| unknown(f, &known))
        })
        .collect::<io::Result<Vec<usize>>>()
        .map(Some)
}

/// JSON with the chosen keys of each object, in the order asked.
#[derive(Debug)]
pub enum Projected {
    Many(Vec<Projected>),
    Object(Vec<(String, Value)>),
    Other(Value),
}

impl serde::Serialize for Projected {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Projected::Many(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Projected::Object(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Projected::Other(v) => v.serialize(s),
        }
    }
}

/// Keep only the chosen keys of each object (of an array, or the one object).
pub fn json(fields: &[String], v: Value) -> io::Result<Projected> {
    let pick = |mut o: serde_json::Map<String, Value>| -> io::Result<Projected> {
        let mut out = Vec::new();
        for f in fields {
            match o.remove(f.trim()) {
                Some(x) => out.push((f.trim().to_string(), x)),
                None => {
                    let mut known: Vec<String> = o.keys().cloned().collect();
                    known.extend(out.iter().map(|(k, _)| k.clone()));
                    known.sort();
                    return Err(unknown(f, &known));
                }
            }
        }
        Ok(Projected::Object(out))
    };
    match v {
        Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Value::Object(o) => pick(o),
                other => Ok(Projected::Other(other)),
            })
            .collect::<io::Result<Vec<Projected>>>()
            .map(Projected::Many),
        Value::Object(o) => pick(o),
        other => Ok(Projected::Other(other)),
    }
}

/// `cells` cut to `cols`.
pub fn pick<T: Clone>(cells: &[T], cols: &Option<Vec<usize>>) -> Vec<T> {
    match cols {
        Some(c) => c.iter().filter_map(|i| cells.get(*i).cloned()).collect(),
        None => cells.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_pick_and_order_and_unknown_ones_are_named() {
        let p = Projection {
            fields: Some(vec!["state".into(), "private_ip".into()]),
            headers: true,
        };
        let cols = columns(&p, &["name", "private ip", "state"]).unwrap();
        assert_eq!(cols, Some(vec![2, 1]));
        assert_eq!(pick(&["a", "b", "c"], &cols), ["c", "b"]);
        let e = columns(&p, &["name"]).unwrap_err();
        assert!(e.to_string().contains("no field 'state'"), "{e}");
        let v = serde_json::json!([{"name": "a", "state": "x", "private_ip": "1"}]);
        let got = json(p.fields.as_ref().unwrap(), v).unwrap();
        assert_eq!(
            serde_json::to_string(&got).unwrap(),
            r#"[{"state":"x","private_ip":"1"}]"#,
            "in the order asked"
        );
    }
}
