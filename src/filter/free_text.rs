//! The text free-text terms look in, for every row of a bucket, folded once and laid out in one
//! buffer in the order the rows are stored.
//!
//! A free-text term looks in a row's name, id, tag values, type and zone (and its addresses when
//! the text could be part of one). Read from the rows, that is several strings per row, the tags
//! on the heap: at 100k rows a keystroke spent most of its time waiting for that memory. Here each
//! row's texts sit next to each other, already folded, so a keystroke reads one buffer front to
//! back. The same rows match as [`super::Filter::matches`] finds without it (see the tests).

use super::fields::{Field, Filterable};
use super::glob::fold;

/// Between two texts of a row: a byte no term can hold (terms with it are tested on the row).
const SEP: u8 = 0;

#[derive(Debug, Clone, Default)]
pub struct FreeText {
    bytes: Vec<u8>,
    /// Row `i`'s texts are `bytes[starts[i]..addresses[i]]`, its addresses
    /// `bytes[addresses[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    addresses: Vec<u32>,
}

/// One row's folded texts.
#[derive(Debug, Clone, Copy)]
pub struct RowText<'a> {
    texts: &'a [u8],
    addresses: &'a [u8],
}

impl FreeText {
    pub fn of<T: Filterable>(rows: &[T]) -> FreeText {
        let mut t = FreeText {
            bytes: Vec::with_capacity(rows.len() * 96),
            starts: Vec::with_capacity(rows.len() + 1),
            addresses: Vec::with_capacity(rows.len()),
        };
        for r in rows {
            t.starts.push(t.offset());
            let [kind, zone, ip1, ip2] = r.more_text();
            let texts = [r.field(Field::Name), r.field(Field::Id)]
                .into_iter()
                .flatten()
                .chain(r.tag_pairs().map(|(_, v)| v))
                .chain([kind, zone].into_iter().flatten());
            for text in texts {
                t.push(text);
            }
            t.addresses.push(t.offset());
            for ip in [ip1, ip2].into_iter().flatten() {
                t.push(ip);
            }
        }
        t.starts.push(t.offset());
        t.bytes.shrink_to_fit();
        t
    }

    fn offset(&self) -> u32 {
        u32::try_from(self.bytes.len()).unwrap_or(u32::MAX)
    }

    /// A text folded as [`super::glob::contains_folded`] compares it: ASCII lower-cased, anything
    /// else folded in full.
    fn push(&mut self, text: &str) {
        let at = self.bytes.len();
        if text.is_ascii() {
            self.bytes.extend_from_slice(text.as_bytes());
            self.bytes[at..].make_ascii_lowercase();
        } else {
            self.bytes.extend_from_slice(fold(text).as_bytes());
        }
        self.bytes.push(SEP);
    }

    /// Row `i`'s texts, if this was made from a bucket that has it (and is not over 4 GiB).
    pub fn row(&self, i: usize) -> Option<RowText<'_>> {
        let start = *self.starts.get(i)? as usize;
        let addresses = *self.addresses.get(i)? as usize;
        let end = *self.starts.get(i + 1)? as usize;
        (self.bytes.len() < u32::MAX as usize).then(|| RowText {
            texts: &self.bytes[start..addresses],
            addresses: &self.bytes[addresses..end],
        })
    }

    /// Bytes held (for the memory figures).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + (self.starts.capacity() + self.addresses.capacity()) * 4
    }
}

impl RowText<'_> {
    /// Whether `folded` (a term already folded) is in one of the row's texts, or in one of its
    /// addresses when `addresses` is set. None when the term holds the separator byte.
    pub fn contains(&self, folded: &str, addresses: bool) -> Option<bool> {
        let needle = folded.as_bytes();
        if needle.contains(&SEP) {
            return None;
        }
        Some(find(self.texts, needle) || (addresses && find(self.addresses, needle)))
    }
}

/// `needle` in `hay`: where its first byte stands, then the rest compared.
fn find(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if hay.len() < needle.len() {
        return false;
    }
    let starts = &hay[..=hay.len() - needle.len()];
    memchr::memchr_iter(first, starts).any(|i| hay[i + 1..i + needle.len()] == *rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::Filter;

    struct R {
        name: &'static str,
        id: &'static str,
        tags: Vec<(&'static str, &'static str)>,
        more: [Option<&'static str>; 4],
    }

    impl Filterable for R {
        fn field(&self, f: Field) -> Option<&str> {
            match f {
                Field::Name => Some(self.name),
                Field::Id => Some(self.id),
                _ => None,
            }
        }
        fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
            self.tags.iter().copied()
        }
        fn more_text(&self) -> [Option<&str>; 4] {
            self.more
        }
    }

    fn rows() -> Vec<R> {
        let r = |name, id, tags, more| R {
            name,
            id,
            tags,
            more,
        };
        vec![
            r(
                "Web-PROD-001",
                "i-0aBc",
                vec![("env", "Prod"), ("team", "Zürich")],
                [Some("m5.large"), Some("us-east-1a"), Some("10.0.1.5"), None],
            ),
            r(
                "db-dev",
                "",
                vec![],
                [None, None, None, Some("2001:db8::1")],
            ),
            r(
                "ÉTÉ-straße",
                "vm/ÀB",
                vec![("k", "")],
                [Some("Standard_D2s_v3"), Some("westeurope"), None, None],
            ),
            r("", "", vec![], [None; 4]),
        ]
    }

    /// Every filter gives each row the same answer with the folded text as from the row.
    #[test]
    fn the_folded_text_answers_as_the_row_does() {
        let rows = rows();
        let text = FreeText::of(&rows);
        let filters = [
            "prod",
            "PROD",
            "web-prod",
            "001i",
            "0abc",
            "zürich",
            "ZÜRICH",
            "été",
            "strasse",
            "straße",
            "10.0",
            "10.0.1",
            "\"db8::\"",
            "2001",
            "m5",
            "east-1a",
            "westeurope",
            "d2s",
            "prodzür",
            "1a10",
            "-prod",
            "web|db",
            "prod dev",
            "x",
            "e",
            "vm/àb",
            "\"b-p\"",
        ];
        let mut matched = 0;
        for f in filters {
            let filter = Filter::parse(f).unwrap_or_else(|e| panic!("{f}: {e:?}"));
            assert!(filter.has_free_text(), "{f}");
            for (i, r) in rows.iter().enumerate() {
                let want = filter.matches(r);
                let got = filter.matches_with(r, text.row(i));
                assert_eq!(got, want, "filter {f:?} on row {i}");
                matched += usize::from(want);
            }
        }
        // Some match and some do not: the test can tell them apart.
        assert!(
            matched > 10 && matched < filters.len() * rows.len() / 2,
            "{matched}"
        );
        assert!(text.row(rows.len()).is_none());
    }

    /// A term never matches across two texts of a row (the name's end and the id's start).
    #[test]
    fn a_term_does_not_span_two_texts() {
        let rows = rows();
        let text = FreeText::of(&rows);
        let row = text.row(0).expect("row 0");
        assert_eq!(row.contains("001i-0abc", false), Some(false));
        assert_eq!(row.contains("web-prod-001", false), Some(true));
        assert_eq!(row.contains("10.0.1.5", false), Some(false));
        assert_eq!(row.contains("10.0.1.5", true), Some(true));
        assert_eq!(row.contains("a\0b", true), None);
    }
}
