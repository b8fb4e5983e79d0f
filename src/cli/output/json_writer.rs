//! JSON for a terminal or a pipe: serde's pretty layout, with the characters serde leaves raw
//! but a terminal may act on (DEL, the C1 controls, bidirectional overrides) written as `\uXXXX`
//! too. The value a script parses is unchanged.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::escape::is_unsafe;

/// Write `v` as pretty JSON in which no string holds a raw control character.
/// With `--fields`, only those keys of each object.
pub fn write_json<W: Write, S: Serialize + ?Sized>(out: W, v: &S) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Safe(PrettyFormatter::new()));
    if let Some(fields) = super::project::get().fields {
        let value = serde_json::to_value(v).map_err(io::Error::other)?;
        return super::project::json(&fields, value)?
            .serialize(&mut ser)
            .map_err(io::Error::from);
    }
    // Into io::Error keeps an I/O error's kind (a closed pipe stays a closed pipe).
    v.serialize(&mut ser).map_err(io::Error::from)
}

/// [`write_json`] into a string.
pub fn to_json_string<S: Serialize + ?Sized>(v: &S) -> io::Result<String> {
    let mut buf = Vec::new();
    write_json(&mut buf, v)?;
    String::from_utf8(buf).map_err(io::Error::other)
}

struct Safe<'a>(PrettyFormatter<'a>);

impl Formatter for Safe<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{:04x}", u)?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_controls_become_json_escapes_and_the_value_survives() {
        let name = "a\u{1b}[2J\u{7f}\u{9b}\u{202e}é東";
        let text = to_json_string(&serde_json::json!({ "name": name })).unwrap();
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text:?}");
        assert!(text.contains("\\u007f\\u009b\\u202e"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], name);
        assert_eq!(
            to_json_string(&[1, 2]).unwrap(),
            serde_json::to_string_pretty(&[1, 2]).unwrap(),
            "the layout is serde's pretty one"
        );
    }
}
