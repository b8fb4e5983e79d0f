//! Credentials never reach the log, whatever the level: at `trace` the AWS SDK logs its
//! requests and identities, which name the access key id (it redacts only the secret). Every
//! line is passed through [`redact`] on its way to the file.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;

/// Names whose value is a credential, as they appear in SDK debug output, headers and profile
/// files; the value after them (past `: = "` and spaces) is replaced.
const KEYS: [&str; 9] = [
    // azure_core 0.21 logs each request at debug with its headers, and its `Headers` Debug
    // redacts every header but `authorization` (an inverted test): the bearer token follows.
    "Bearer",
    "accessToken",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "security_token",
    "x-amz-security-token",
    "Credential=",
    "Signature=",
];

/// Access key ids have a recognisable shape (AKIA…, ASIA… and 16 more): replaced wherever
/// they appear, even with no name before them.
const KEY_ID_PREFIXES: [&str; 2] = ["AKIA", "ASIA"];

pub const REDACTED: &str = "** redacted **";

fn is_value_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'+' | b'=' | b'_' | b'-' | b'.' | b'%')
}

/// `line` with every credential value replaced by [`REDACTED`].
pub fn redact(line: &str) -> String {
    let bytes = line.as_bytes();
    let lower = line.to_ascii_lowercase();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    for key in KEYS {
        let k = key.to_ascii_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find(&k) {
            let mut j = from + i + k.len();
            while j < bytes.len() && matches!(bytes[j], b' ' | b':' | b'=' | b'"' | b'\'') {
                j += 1;
            }
            let start = j;
            while j < bytes.len()
                && is_value_char(bytes[j])
                && !(key == "Credential=" && bytes[j] == b'/')
            {
                j += 1;
            }
            if j > start && !line[start..j].starts_with(REDACTED) {
                cut.push((start, j));
            }
            from = j.max(from + i + k.len());
        }
    }
    for prefix in KEY_ID_PREFIXES {
        let mut from = 0;
        while let Some(i) = line[from..].find(prefix) {
            let start = from + i;
            let end = start + 20;
            let shaped = end <= bytes.len()
                && bytes[start..end]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && (end == bytes.len() || !bytes[end].is_ascii_alphanumeric())
                && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric());
            if shaped {
                cut.push((start, end));
            }
            from = start + prefix.len();
        }
    }
    if cut.is_empty() {
        return line.to_string();
    }
    cut.sort();
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for (s, e) in cut {
        if s < at {
            at = at.max(e);
            continue;
        }
        out.push_str(&line[at..s]);
        out.push_str(REDACTED);
        at = e;
    }
    out.push_str(&line[at..]);
    out
}

/// A writer that redacts what it is given (one formatted event per write) before passing it on.
pub struct Redacting<W>(pub W);

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// [`Redacting`] for every writer `M` makes.
pub struct RedactingMaker<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for RedactingMaker<M> {
    type Writer = Redacting<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Redacting(self.0.make_writer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_sdk_debug_output_headers_and_profiles_are_redacted() {
        let cases = [
            (
                r#"identity=Credentials { provider_name: "ProfileFile", access_key_id: "testing", secret_access_key: "** redacted **", expiry: None }"#,
                "testing",
            ),
            (
                "authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261202/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0123abcd",
                "AKIAIOSFODNN7EXAMPLE",
            ),
            ("aws_access_key_id = mykeyid", "mykeyid"),
            ("x-amz-security-token: FQoGZXIvYXdzEJr", "FQoGZXIvYXdzEJr"),
            ("saw ASIAXXXXXXXXXXXXXXXX in a message", "ASIAXXXXXXXXXXXXXXXX"),
            (
                r#"Headers({HeaderName("authorization"): HeaderValue("Bearer eyJ0eXAi.eyJhdWQi.sig-_x"), HeaderName("user-agent"): HeaderValue("[redacted]")})"#,
                "eyJ0eXAi",
            ),
            (r#"{"accessToken": "eyJ0eXAi.b.c", "expiresOn": "x"}"#, "eyJ0eXAi"),
        ];
        for (line, secret) in cases {
            let out = redact(line);
            assert!(!out.contains(secret), "{out}");
            assert!(out.contains(REDACTED), "{out}");
        }
        let sig = redact("Credential=AKIAIOSFODNN7EXAMPLE/20261202/us-east-1, Signature=0123abcd");
        assert!(
            sig.contains("/20261202/us-east-1"),
            "the scope stays: {sig}"
        );
        assert!(!sig.contains("0123abcd"), "{sig}");
    }

    #[test]
    fn lines_without_credentials_are_unchanged() {
        for line in [
            "listed 3 instances in us-east-1",
            "AKIA is a prefix, AKIAshort is not a key",
            "error: InvalidInstanceID.NotFound: i-0123456789abcdef0",
        ] {
            assert_eq!(redact(line), line);
        }
    }
}
