//! Every CLI printer fed hostile names, ids, tags and states: the table, CSV and JSON writers
//! (which every command prints through), the error path and the escaping itself. No output
//! holds a raw control character, and JSON still carries the exact value.

use chrono::Utc;
use proptest::prelude::*;

use nephos::cli::args::Output;
use nephos::cli::output::escape::is_unsafe;
use nephos::cli::output::{escape, escape_text, print_table, write_csv, write_rows};
use nephos::domain::{Disk, Instance, LoadBalancer, Tags};
use nephos::prices::Catalog;

use super::{config, text_of, HOSTILE};

fn raw(s: &str) -> Option<char> {
    s.chars().find(|c| is_unsafe(*c) && *c != '\n')
}

#[derive(Debug, Clone)]
struct Hostile {
    name: String,
    id: String,
    tags: Vec<(String, String)>,
    state: String,
    kind: String,
}

fn hostile() -> impl Strategy<Value = Hostile> {
    (
        text_of(HOSTILE, 16),
        text_of(HOSTILE, 12).prop_map(|s| format!("i-{s}")),
        prop::collection::vec((text_of(HOSTILE, 6), text_of(HOSTILE, 10)), 0..3),
        text_of(HOSTILE, 8),
        text_of(HOSTILE, 8),
    )
        .prop_map(|(name, id, tags, state, kind)| Hostile {
            name,
            id,
            tags,
            state,
            kind,
        })
}

fn tags(h: &Hostile) -> Tags {
    h.tags
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn dress(h: &Hostile, i: &mut Instance, d: &mut Disk, l: &mut LoadBalancer) {
    i.name = h.name.as_str().into();
    i.r#ref.id = h.id.as_str().into();
    i.tags = tags(h);
    i.provider_state = h.state.as_str().into();
    i.instance_type = h.kind.as_str().into();
    i.zone = Some(h.kind.as_str().into());
    i.private_ip = Some(h.state.as_str().into());
    d.name = h.name.as_str().into();
    d.r#ref.id = h.id.as_str().into();
    d.tags = tags(h);
    d.disk_type = h.kind.as_str().into();
    d.device = Some(h.state.as_str().into());
    l.name = h.name.as_str().into();
    l.tags = tags(h);
    l.dns_name = Some(h.kind.as_str().into());
}

/// Rows to dress and the catalog, made once (the generator and the catalog are slow in debug).
fn fixtures() -> &'static (Vec<Instance>, Disk, LoadBalancer, Catalog) {
    static F: std::sync::OnceLock<(Vec<Instance>, Disk, LoadBalancer, Catalog)> =
        std::sync::OnceLock::new();
    F.get_or_init(|| {
        let (is, mut ds, mut ls) = nephos::providers::sandbox::sample(200, 3);
        (is, ds.remove(0), ls.remove(0), Catalog::bundled())
    })
}

fn all_formats<T: nephos::cli::output::Printable>(
    rows: &[&T],
    catalog: &Catalog,
) -> Result<Vec<(Output, String)>, TestCaseError> {
    let mut out = Vec::new();
    for f in [Output::Table, Output::Csv, Output::Json] {
        let mut buf = Vec::new();
        write_rows(&mut buf, rows, f, Utc::now(), catalog)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        out.push((
            f,
            String::from_utf8(buf).map_err(|e| TestCaseError::fail(e.to_string()))?,
        ));
    }
    Ok(out)
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn no_printer_writes_a_raw_control_character(hs in prop::collection::vec(hostile(), 1..4)) {
        let (is, d0, l0, catalog) = fixtures();
        let (mut is, mut d0, mut l0) = (is[..hs.len()].to_vec(), d0.clone(), l0.clone());
        for (h, i) in hs.iter().zip(is.iter_mut()) {
            dress(h, i, &mut d0, &mut l0);
        }
        let irows: Vec<&Instance> = is.iter().collect();
        for (f, text) in all_formats(&irows, catalog)? {
            prop_assert_eq!(raw(&text), None, "{:?}: {:?}", f, text);
            if f == Output::Json {
                let back: serde_json::Value = serde_json::from_str(&text).unwrap();
                for (h, row) in hs.iter().zip(back.as_array().unwrap()) {
                    prop_assert_eq!(row["name"].as_str(), Some(h.name.as_str()), "JSON keeps the exact name");
                }
            }
        }
        for (f, text) in all_formats(&[&d0], catalog)? {
            prop_assert_eq!(raw(&text), None, "{:?}: {:?}", f, text);
        }
        for (f, text) in all_formats(&[&l0], catalog)? {
            prop_assert_eq!(raw(&text), None, "{:?}: {:?}", f, text);
        }
        // The free-form tables (accounts, costs, prices, action results) and CSVs.
        let cells: Vec<Vec<String>> = hs.iter().map(|h| vec![h.name.clone(), h.id.clone(), h.state.clone()]).collect();
        let mut buf = Vec::new();
        print_table(&mut buf, &["a", "b", "c"], &cells).unwrap();
        prop_assert_eq!(raw(&String::from_utf8(buf).unwrap()), None);
        let mut buf = Vec::new();
        write_csv(&mut buf, &["a", "b", "c"], cells.clone()).unwrap();
        prop_assert_eq!(raw(&String::from_utf8(buf).unwrap()), None);
    }

    #[test]
    fn escaping_leaves_nothing_raw_and_safe_text_alone(s in text_of(HOSTILE, 40)) {
        let e = escape(&s);
        prop_assert_eq!(e.chars().find(|c| is_unsafe(*c)), None, "{:?}", e);
        if !s.chars().any(is_unsafe) {
            prop_assert_eq!(e.as_ref(), s.as_str());
        }
        let t = escape_text(&s);
        prop_assert_eq!(raw(&t), None);
        prop_assert_eq!(t.matches('\n').count(), s.matches('\n').count(), "line breaks stay");
        // An error message built around it, as main prints it.
        let err = nephos::error::AppError::not_found(format!("no instance matches '{s}'"));
        prop_assert_eq!(raw(&escape_text(&err.to_string())), None);
    }
}
