//! The Compute v1 wire format, as the discovery document `compute.v1.json` (revision 20261106,
//! from the PyPI wheel google-api-python-client, googleapiclient/discovery_cache/documents;
//! Apache-2.0) describes it: uint64 ids and int64 sizes as strings, full-URL links, URL-safe
//! base64 fingerprints, Google's error shape with `errors[].reason`, Operations with a plain
//! `name`, `status` PENDING/RUNNING/DONE and `error.errors[{code, message}]`.

use base64::Engine as _;
use serde_json::{json, Value};

pub const BASE: &str = "https://www.googleapis.com/compute/v1";

pub fn project_url(project: &str) -> String {
    format!("{BASE}/projects/{project}")
}

pub fn zone_url(project: &str, zone: &str) -> String {
    format!("{BASE}/projects/{project}/zones/{zone}")
}

pub fn region_url(project: &str, region: &str) -> String {
    format!("{BASE}/projects/{project}/regions/{region}")
}

pub fn region_of(zone: &str) -> &str {
    zone.rsplit_once('-').map_or(zone, |(r, _)| r)
}

pub fn last(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

pub fn segment<'a>(url: &'a str, key: &str) -> Option<&'a str> {
    let mut it = url.split('/');
    while let Some(p) = it.next() {
        if p == key {
            return it.next();
        }
    }
    None
}

/// A fingerprint as Compute writes one: 8 bytes in URL-safe base64. The first bytes are chosen
/// so the text holds `-` and `_`, which standard base64 would spell `+` and `/`.
pub fn fingerprint(n: u64) -> String {
    let mut b = vec![0xfb, 0xff];
    b.extend_from_slice(&n.to_be_bytes()[2..]);
    base64::engine::general_purpose::URL_SAFE.encode(b)
}

/// Google's error answer: `{"error": {"code", "message", "errors": [{"reason", "domain",
/// "message"}]}}` (Compute leaves `status` out, as the crate's notes say).
pub fn error(code: u16, reason: &str, message: &str) -> Value {
    json!({"error": {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": reason}],
    }})
}

/// The warning an aggregated list gives a scope with nothing in it.
pub fn no_results(scope: &str) -> Value {
    json!({
        "code": "NO_RESULTS_ON_PAGE",
        "message": format!("There are no results for scope '{scope}' on this page."),
        "data": [{"key": "scope", "value": scope}],
    })
}
