use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::escape::escape;

/// Columns padded to their widest cell, two spaces apart, header in capitals; empty cells
/// print as `-`; the last column is not padded. A row with more or fewer cells than there are
/// columns is refused (nothing is printed), so no cell ever sits under another's header.
/// Control characters in a cell are escaped.
pub fn print_table<W: Write>(
    out: &mut W,
    columns: &[&str],
    rows: &[Vec<String>],
) -> io::Result<()> {
    if let Some((i, row)) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != columns.len())
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "table row {} has {} cells for {} columns ({})",
                i + 1,
                row.len(),
                columns.len(),
                columns.join(", ")
            ),
        ));
    }
    // `--fields` and `--no-headers`.
    let p = super::project::get();
    let cols = super::project::columns(&p, columns)?;
    let picked: Vec<Vec<String>>;
    let chosen: Vec<&str>;
    let (columns, rows) = if cols.is_some() {
        picked = rows
            .iter()
            .map(|r| super::project::pick(r, &cols))
            .collect();
        chosen = super::project::pick(columns, &cols);
        (&chosen[..], &picked[..])
    } else {
        (columns, rows)
    };
    let escaped: Vec<Vec<String>>;
    let rows = if rows
        .iter()
        .flatten()
        .any(|c| c.chars().any(super::escape::is_unsafe))
    {
        escaped = rows
            .iter()
            .map(|r| r.iter().map(|c| escape(c).into_owned()).collect())
            .collect();
        &escaped
    } else {
        rows
    };
    let mut widths: Vec<usize> = columns.iter().map(|c| c.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width().max(1));
        }
    }
    let line = |out: &mut W, cells: &mut dyn Iterator<Item = &str>| -> io::Result<()> {
        let mut first = true;
        let cells: Vec<&str> = cells.collect();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if !first {
                out.write_all(b"  ")?;
            }
            first = false;
            let cell = if cell.is_empty() { "-" } else { cell };
            out.write_all(cell.as_bytes())?;
            if i + 1 < cells.len() {
                for _ in cell.width()..*w {
                    out.write_all(b" ")?;
                }
            }
        }
        out.write_all(b"\n")
    };
    let header: Vec<String> = columns
        .iter()
        .map(|c| escape(&c.to_uppercase()).into_owned())
        .collect();
    if p.headers {
        line(out, &mut header.iter().map(|s| s.as_str()))?;
    }
    for row in rows {
        line(out, &mut row.iter().map(|s| s.as_str()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn pads_and_dashes() {
        let mut out = Vec::new();
        super::print_table(
            &mut out,
            &["name", "id"],
            &[
                vec!["web".into(), "i-1".into()],
                vec!["".into(), "i-22".into()],
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME  ID\nweb   i-1\n-     i-22\n"
        );
    }

    #[test]
    fn a_row_that_does_not_fit_its_header_is_refused() {
        let mut out = Vec::new();
        let e = super::print_table(
            &mut out,
            &["name", "id"],
            &[vec!["web".into(), "i-1".into(), "x86_64".into()]],
        )
        .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("3 cells for 2 columns"), "{e}");
        assert!(out.is_empty(), "nothing half-printed");
    }

    #[test]
    fn control_characters_are_escaped_and_padded_as_shown() {
        let mut out = Vec::new();
        super::print_table(
            &mut out,
            &["name", "id"],
            &[
                vec!["a\u{1b}[2J".into(), "i-1".into()],
                vec!["b".into(), "i-2".into()],
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME    ID\na\\e[2J  i-1\nb       i-2\n"
        );
    }
}
