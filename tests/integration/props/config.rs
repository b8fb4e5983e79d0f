//! The config loader: whatever the bytes (CRLF, a BOM, invalid UTF-8, numbers of any size,
//! random damage to a valid file) it never panics, and every error it gives names a line and
//! column inside the file and does not echo the file.

use std::path::Path;

use proptest::prelude::*;

use nephos::config::Config;

use super::{config, text_of, HOSTILE};

const VALID: &str = r#"log_level = "info"

[[accounts]]
name = "prod"
provider = "aws"
profile = "prod-admin"
regions = ["us-east-1", "eu-west-1"]
endpoint_url = "http://127.0.0.1:5000"

[[accounts]]
name = "data"
provider = "gcp"
project = "acme-data"

[[accounts]]
name = "corp"
provider = "azure"
subscription = "0000-1111"
regions = "all"

[refresh]
instances = 20
max_concurrency = 8

[guardrails]
protected_tags = ["env=prod", "critical"]

[sandbox]
latency_ms = 5
transition_ms = 400
faults = ["sandbox-gcp/europe-west1=throttled"]

[budget]
monthly = 5000
accounts = { prod = 2000.5 }
"#;

fn path() -> &'static Path {
    Path::new("/etc/nephos.toml")
}

/// Parse, and check what any outcome must satisfy.
fn check(bytes: &[u8]) -> Result<Result<Config, nephos::config::ConfigError>, TestCaseError> {
    let got = Config::parse_bytes(bytes, path());
    if let Err(e) = &got {
        let text = String::from_utf8_lossy(bytes);
        let lines = text.split('\n').count();
        let line = e
            .line
            .ok_or_else(|| TestCaseError::fail(format!("no line: {e}")))?;
        prop_assert!(
            (1..=lines).contains(&line),
            "line {} of {}: {}",
            line,
            lines,
            e
        );
        let col = e.column.unwrap_or(0);
        let width = text
            .split('\n')
            .nth(line - 1)
            .map_or(0, |l| l.chars().count());
        prop_assert!(
            col >= 1 && col <= width + 1,
            "column {} of {}: {}",
            col,
            width,
            e
        );
        prop_assert!(
            !e.message.contains('\n') && e.to_string().len() < 400 + e.source.len(),
            "the error quotes too much: {}",
            e
        );
    }
    Ok(got)
}

#[derive(Debug, Clone)]
enum Damage {
    Insert(usize, String),
    Delete(usize, usize),
    Byte(usize, u8),
    DupLine(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let piece = prop_oneof![
        text_of(HOSTILE, 6),
        prop::sample::select(
            &[
                "\r\n",
                "\u{feff}",
                "é",
                "\"",
                "[",
                "]]",
                "=",
                "#",
                "'",
                "\\u006f",
                "99999999999999999999",
                "-1",
                "9223372036854775807",
                "18446744073709551615",
                "1e400",
                "nan",
                "inf",
                "[[accounts]]\n",
                "name = \"prod\"\n",
                "\n\n",
                "\t",
            ][..]
        )
        .prop_map(String::from),
    ];
    prop_oneof![
        4 => (any::<prop::sample::Index>(), piece).prop_map(|(i, s)| Damage::Insert(i.index(VALID.len() + 1), s)),
        2 => (any::<prop::sample::Index>(), 1usize..20).prop_map(|(i, n)| Damage::Delete(i.index(VALID.len()), n)),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Byte(i.index(VALID.len()), b)),
        1 => any::<prop::sample::Index>().prop_map(|i| Damage::DupLine(i.index(40))),
    ]
}

fn apply(text: &str, damage: &[Damage]) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for d in damage {
        match d {
            Damage::Insert(i, s) => {
                let i = (*i).min(b.len());
                b.splice(i..i, s.bytes());
            }
            Damage::Delete(i, n) => {
                let i = (*i).min(b.len());
                let end = (i + n).min(b.len());
                b.drain(i..end);
            }
            Damage::Byte(i, x) => {
                if let Some(at) = b.get_mut(*i) {
                    *at = *x;
                }
            }
            Damage::DupLine(n) => {
                let lines: Vec<&[u8]> = b.split_inclusive(|c| *c == b'\n').collect();
                if let Some(l) = lines.get(*n) {
                    let l = l.to_vec();
                    let at: usize = lines[..*n].iter().map(|l| l.len()).sum();
                    b.splice(at..at, l);
                }
            }
        }
    }
    b
}

#[test]
fn the_valid_file_is_valid() {
    let cfg = Config::parse(VALID, path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cfg.accounts.len(), 3);
}

proptest! {
    #![proptest_config(config(800))]

    #[test]
    fn damaged_files_never_panic_and_errors_point_inside(damage in prop::collection::vec(damage(), 1..5)) {
        let bytes = apply(VALID, &damage);
        let _ = check(&bytes)?;
    }

    #[test]
    fn crlf_and_a_bom_change_nothing(damage in prop::collection::vec(damage(), 0..3)) {
        let bytes = apply(VALID, &damage);
        let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
        let lf = text.replace("\r\n", "\n");
        let crlf = lf.replace('\n', "\r\n");
        let bom = format!("\u{feff}{lf}");
        let a = check(lf.as_bytes())?;
        let b = check(crlf.as_bytes())?;
        let c = check(bom.as_bytes())?;
        match (&a, &b) {
            (Ok(_), Ok(_)) => {}
            (Err(x), Err(y)) if !lf.contains('\r') => prop_assert_eq!((x.line, x.column), (y.line, y.column), "{} / {}", x, y),
            (Err(_), Err(_)) => {}
            _ => {
                // A `\r` inside a string or comment is the one real difference; anything else
                // must agree.
                prop_assert!(lf.contains('\r'), "LF {:?} but CRLF {:?}", a.map(|_| ()), b.map(|_| ()));
            }
        }
        prop_assert_eq!(a.is_ok(), c.is_ok(), "a BOM changes nothing");
        if let (Err(x), Err(y)) = (&a, &c) {
            prop_assert_eq!(x.line, y.line);
        }
    }

    #[test]
    fn numbers_of_any_size_are_used_or_refused_on_their_line(
        key in prop::sample::select(&[
            "[sandbox]\nlatency_ms", "[sandbox]\ntransition_ms", "[refresh]\ninstances",
            "[refresh]\ndisks", "[refresh]\nload_balancers", "[refresh]\nmax_concurrency", "[budget]\nmonthly",
        ][..]),
        n in prop_oneof![any::<u64>().prop_map(|n| n.to_string()), any::<i64>().prop_map(|n| n.to_string()),
                         any::<f64>().prop_map(|f| f.to_string()), text_of(&['9', '0', '-', '.', 'e', '_'], 30)],
    ) {
        let text = format!("{key} = {n}\n");
        if let Err(e) = check(text.as_bytes())? {
            prop_assert_eq!(e.line, Some(2), "{}", e);
        }
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = check(&bytes)?;
    }
}
