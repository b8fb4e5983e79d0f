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

/// Keep only the chosen keys of each object (of an array, or the one object).
pub fn json(p: &Projection, v: Value) -> io::Result<Value> {
    let Some(fields) = &p.fields else {
        return Ok(v);
    };
    let pick = |o: serde_json::Map<String, Value>| -> io::Result<Value> {
        let mut out = serde_json::Map::new();
        for f in fields {
            match o.get(f.trim()) {
                Some(x) => {
                    out.insert(f.trim().to_string(), x.clone());
                }
                None => return Err(unknown(f, &o.keys().cloned().collect::<Vec<_>>())),
            }
        }
        Ok(Value::Object(out))
    };
    match v {
        Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Value::Object(o) => pick(o),
                other => Ok(other),
            })
            .collect::<io::Result<Vec<Value>>>()
            .map(Value::Array),
        Value::Object(o) => pick(o),
        other => Ok(other),
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
        let got = json(&p, v).unwrap();
        assert_eq!(got.to_string(), r#"[{"state":"x","private_ip":"1"}]"#);
    }
}
