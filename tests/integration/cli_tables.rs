//! Every table and CSV the CLI prints: one header per column, in order, and each header's
//! column holds that field (checked against the same command's JSON, row by row).

use serde_json::Value;

use crate::support::Env;

/// A printed table: its headers and each row's cells, cut where the headers start (columns are
/// padded to their widest cell, so every cell starts under its header).
fn parse_table(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = out.lines();
    let header: Vec<char> = lines.next().expect("a header line").chars().collect();
    let mut starts = vec![0];
    for i in 2..header.len() {
        if header[i] != ' ' && header[i - 1] == ' ' && header[i - 2] == ' ' {
            starts.push(i);
        }
    }
    let cut = |chars: &[char], i: usize| -> String {
        let from = starts[i].min(chars.len());
        let to = starts
            .get(i + 1)
            .map_or(chars.len(), |e| (*e).min(chars.len()));
        chars[from..to]
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    };
    let headers = (0..starts.len()).map(|i| cut(&header, i)).collect();
    let rows = lines
        .map(|l| {
            let chars: Vec<char> = l.chars().collect();
            for (i, s) in starts.iter().enumerate().skip(1) {
                assert!(
                    chars.len() > *s && chars[s - 1] == ' ' && chars[*s] != ' ',
                    "column {i} of {l:?} does not start under its header"
                );
            }
            (0..starts.len()).map(|i| cut(&chars, i)).collect()
        })
        .collect();
    (headers, rows)
}

/// How a column's cell relates to the JSON row.
type Check = fn(&str, &Value) -> bool;

fn text(cell: &str, v: &Value) -> bool {
    match v {
        Value::String(s) => cell == s || (s.is_empty() && cell == "-"),
        Value::Null => cell == "-",
        // Numbers and booleans as JSON writes them.
        other => {
            let shown = other.to_string();
            cell == shown
        }
    }
}

fn approx(cell: &str, v: &Value) -> bool {
    match (cell.trim_start_matches('$').parse::<f64>(), v.as_f64()) {
        (Ok(c), Some(j)) => (c - j).abs() <= 0.006 + j.abs() * 1e-3,
        _ => false,
    }
}

fn yes_no(cell: &str, v: &Value) -> bool {
    cell == if v.as_bool().unwrap() { "yes" } else { "no" }
}

fn is_date(cell: &str) -> bool {
    cell.len() == 10
        && cell.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Run `args` as a table, CSV and JSON, and check the table's headers are exactly `columns`,
/// each column holding its JSON field (per `checks`, by header), and the CSV's header is
/// `csv` with every field that the JSON also has equal to it.
fn check(env: &Env, args: &[&str], columns: &[&str], checks: &[(&str, &str, Check)], csv: &[&str]) {
    let json = env.json(args);
    let json = json.as_array().unwrap();
    assert!(!json.is_empty(), "{args:?} printed nothing to check");
    let (code, out, err) = env.run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    let (headers, rows) = parse_table(&out);
    assert_eq!(headers, columns, "{args:?}: the table's headers");
    assert!(
        rows.len() >= json.len(),
        "{args:?}: a table row per JSON row"
    );
    for (row, j) in rows.iter().zip(json) {
        assert_eq!(row.len(), columns.len());
        for (header, key, ok) in checks {
            let i = columns.iter().position(|c| c == header).unwrap();
            assert!(
                ok(&row[i], &j[*key]),
                "{args:?}: column {header} holds {:?}, but {key} is {}",
                row[i],
                j[*key]
            );
        }
    }

    let mut with_csv = args.to_vec();
    with_csv.extend(["-o", "csv"]);
    let (code, out, err) = env.run(&with_csv);
    assert_eq!(code, 0, "{with_csv:?}: {err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, csv, "{args:?}: the CSV header");
    let records: Vec<csv::StringRecord> = rdr
        .records()
        .map(|r| r.expect("every record as long as the header"))
        .collect();
    assert_eq!(
        records.len(),
        json.len(),
        "{args:?}: a CSV record per JSON row"
    );
    for (rec, j) in records.iter().zip(json) {
        for (name, cell) in header.iter().zip(rec.iter()) {
            // A CSV column the JSON does not have (a ref's parts, a monthly figure) is not
            // compared; every one it has must agree.
            let Some(want) = j.get(name.as_str()) else {
                continue;
            };
            let same = match want {
                Value::Null => cell.is_empty(),
                Value::String(s) => cell == s,
                // (to the last bit or so: serde_json's parser may round the last digit)
                Value::Number(n) => cell
                    .parse::<f64>()
                    .is_ok_and(|c| (c - n.as_f64().unwrap()).abs() <= c.abs() * 1e-12),
                Value::Bool(b) => cell == b.to_string(),
                _ => true,
            };
            assert!(same, "{args:?}: CSV {name} is {cell:?}, JSON {want}");
        }
    }
}

#[test]
fn every_table_and_csv_has_one_header_per_column() {
    let env = Env::new();
    check(
        &env,
        &["cost", "compare", "--vcpus", "2", "--memory-gib", "8"],
        &[
            "PROVIDER", "REGION", "SKU", "VCPU", "GIB", "ARCH", "$/H", "SPOT $/H", "$/MONTH",
            "AS OF",
        ],
        &[
            ("PROVIDER", "provider", text),
            ("REGION", "region", text),
            ("SKU", "sku", text),
            ("VCPU", "vcpus", text),
            ("ARCH", "arch", text),
            ("$/H", "usd_per_hour", approx),
            ("SPOT $/H", "spot_usd_per_hour", |c, v| {
                if v.is_null() {
                    c == "no spot price"
                } else {
                    approx(c, v)
                }
            }),
            ("AS OF", "as_of", |c, v| is_date(c) && text(c, v)),
        ],
        &[
            "provider",
            "region",
            "sku",
            "vcpus",
            "memory_gib",
            "arch",
            "usd_per_hour",
            "spot_usd_per_hour",
            "usd_per_month",
            "as_of",
        ],
    );
    check(
        &env,
        &[
            "prices",
            "--provider",
            "aws",
            "--region",
            "eu-west-1",
            "--type",
            "m5.*",
        ],
        &["PROVIDER", "REGION", "SKU", "KIND", "USD", "SPOT", "AS OF"],
        &[
            ("PROVIDER", "provider", text),
            ("REGION", "region", text),
            ("SKU", "sku", text),
            ("KIND", "kind", text),
            ("USD", "usd", |c, v| {
                c.split(" / ").next().unwrap().parse::<f64>().ok() == v.as_f64()
            }),
            ("SPOT", "spot_usd", |c, v| {
                v.is_null() && c == "no spot price" || approx(c, v)
            }),
            ("AS OF", "as_of", |c, v| is_date(c) && text(c, v)),
        ],
        &[
            "provider", "region", "sku", "kind", "unit", "usd", "spot_usd", "as_of", "source",
        ],
    );
    check(
        &env,
        &["cost", "findings"],
        &[
            "FINDING",
            "PROVIDER",
            "ACCOUNT",
            "REGION",
            "ID",
            "$/MONTH SAVED",
            "ACTION",
            "DETAIL",
        ],
        &[
            ("FINDING", "finding", text),
            ("$/MONTH SAVED", "monthly_savings_usd", approx),
            ("ACTION", "action", text),
            ("DETAIL", "detail", text),
        ],
        &[
            "ref",
            "kind",
            "finding",
            "provider",
            "account",
            "region",
            "monthly_savings_usd",
            "action",
            "detail",
            "name",
            "alternative_to",
        ],
    );
    check(
        &env,
        &["list", "costs"],
        &[
            "KIND", "PROVIDER", "ACCOUNT", "REGION", "ID", "SKU", "BASIS", "$/H", "$/MONTH",
            "AS OF", "NOTE",
        ],
        &[
            ("KIND", "kind", text),
            ("PROVIDER", "provider", text),
            ("ACCOUNT", "account", text),
            ("REGION", "region", text),
            ("SKU", "sku", text),
            ("BASIS", "basis", text),
            ("$/H", "hourly_usd", |c, v| {
                if v.is_null() {
                    c == "no price"
                } else {
                    approx(c, v)
                }
            }),
            ("$/MONTH", "monthly_usd", |c, v| {
                if v.is_null() {
                    c == "no price"
                } else {
                    approx(c, v)
                }
            }),
            ("AS OF", "price_as_of", text),
            ("NOTE", "note", text),
        ],
        &[
            "ref",
            "kind",
            "provider",
            "account",
            "region",
            "sku",
            "basis",
            "hourly_usd",
            "monthly_usd",
            "price_as_of",
            "price_source",
            "note",
            "name",
        ],
    );
    check(
        &env,
        &["accounts"],
        &["NAME", "PROVIDER", "ID", "REGIONS", "READ-ONLY", "SANDBOX"],
        &[
            ("NAME", "name", text),
            ("PROVIDER", "provider", text),
            ("ID", "id", text),
            ("REGIONS", "regions", |c, v| {
                let r: Vec<&str> = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect();
                c == if r.is_empty() {
                    "all".to_string()
                } else {
                    r.join(",")
                }
            }),
            ("READ-ONLY", "read_only", yes_no),
            ("SANDBOX", "sandbox", yes_no),
        ],
        &["name", "provider", "id", "regions", "read_only", "sandbox"],
    );
    check(
        &env,
        &["list", "instances"],
        &[
            "NAME",
            "ID",
            "PROVIDER",
            "ACCOUNT",
            "ZONE",
            "STATE",
            "TYPE",
            "CPU",
            "MEM",
            "$/H",
            "PRIVATE IP",
            "PUBLIC IP",
            "AGE",
        ],
        &[
            ("NAME", "name", text),
            ("PROVIDER", "provider", text),
            ("ACCOUNT", "account", text),
            ("ZONE", "zone", |c, v| {
                v.as_str().is_none_or(|z| c.ends_with(z))
            }),
            ("TYPE", "type", text),
            ("CPU", "vcpus", text),
            ("PRIVATE IP", "private_ip", text),
            ("PUBLIC IP", "public_ip", text),
        ],
        &[
            "ref",
            "provider",
            "account",
            "sandbox",
            "region",
            "zone",
            "id",
            "name",
            "state",
            "provider_state",
            "type",
            "vcpus",
            "memory_gib",
            "private_ip",
            "public_ip",
            "spot",
            "launched_at",
            "tags",
        ],
    );
}

#[test]
fn a_header_that_does_not_match_its_rows_is_caught() {
    // The parser and checks above are real: a table with a column missing is refused.
    let shifted = "A  B  C\nx  1  2\ny  3\n";
    let r = std::panic::catch_unwind(|| parse_table(shifted));
    assert!(r.is_err(), "a row without its last cell");
    let (h, rows) = parse_table("PROVIDER  $/H    AS OF\naws       0.096  2026-07-20\n");
    assert_eq!(h, ["PROVIDER", "$/H", "AS OF"]);
    assert_eq!(rows[0], ["aws", "0.096", "2026-07-20"]);
    assert!(
        !text("x86_64", &serde_json::json!(0.096)) && approx("0.096", &serde_json::json!(0.096))
    );
}

#[test]
fn networks_and_security_findings_tables_match_their_json() {
    let env = Env::new();
    let count: Check = |c, v| c == v.as_array().unwrap().len().to_string();
    check(
        &env,
        &["list", "networks"],
        &[
            "NAME",
            "ID",
            "PROVIDER",
            "ACCOUNT",
            "REGION",
            "CIDRS",
            "SUBNETS",
            "GROUPS",
            "INSTANCES",
            "FINDINGS",
        ],
        &[
            ("NAME", "name", text),
            ("PROVIDER", "provider", text),
            ("ACCOUNT", "account", text),
            ("REGION", "region", text),
            ("SUBNETS", "subnets", count),
            ("GROUPS", "security_groups", count),
            ("INSTANCES", "instances", count),
            ("FINDINGS", "findings", |c, v| {
                let n = v.as_array().unwrap().len();
                if n == 0 {
                    c == "-"
                } else {
                    c.starts_with(&format!("{n}: "))
                }
            }),
        ],
        &[
            "ref",
            "provider",
            "account",
            "region",
            "id",
            "name",
            "cidrs",
            "subnets",
            "security_groups",
            "instances",
            "findings",
            "made_by_nephos",
            "tags",
        ],
    );
    check(
        &env,
        &["findings"],
        &[
            "SERVICE", "PORT", "SOURCE", "PROVIDER", "ACCOUNT", "NETWORK", "GROUP", "RULE",
        ],
        &[
            ("SERVICE", "service", text),
            ("PORT", "port", text),
            ("SOURCE", "source", text),
            ("PROVIDER", "provider", text),
            ("ACCOUNT", "account", text),
            ("NETWORK", "network", text),
            ("GROUP", "group", text),
            ("RULE", "rule", text),
        ],
        &[
            "provider",
            "account",
            "region",
            "network",
            "network_ref",
            "group",
            "group_ref",
            "rule",
            "port",
            "service",
            "source",
        ],
    );
}
