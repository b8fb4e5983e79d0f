//! Printing resources as a table (for people), JSON (the scripting contract) or CSV. Every
//! printer escapes control characters ([`escape`]), so a name cannot drive the terminal.

pub mod escape;
mod json_writer;
pub(crate) mod project;
mod table;

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use escape::{escape, escape_text};
pub use json_writer::{to_json_string, write_json};
pub use table::print_table;

use super::args::Output;
use crate::kinds::{self, Kind};
use crate::prices::Catalog;

/// One kind of resource, printable in every format (every kind, from its table: `crate::kinds`).
pub trait Printable {
    type Json<'a>: Serialize
    where
        Self: 'a;
    fn json(&self) -> Self::Json<'_>;
    /// Column names, shared by the table (upper-cased) and CSV.
    fn columns() -> &'static [&'static str];
    /// Table cells: short and human (age, not a timestamp), with the price per hour.
    fn table_row(&self, now: DateTime<Utc>, catalog: &Catalog) -> Vec<String>;
    /// CSV cells: every scalar field of the JSON, in full.
    fn csv_header() -> &'static [&'static str];
    fn csv_row(&self) -> Vec<String>;
}

impl<T: Kind> Printable for T {
    type Json<'a> = kinds::Json<'a, T>;
    fn json(&self) -> kinds::Json<'_, T> {
        kinds::Json(self)
    }
    fn columns() -> &'static [&'static str] {
        T::cli_titles()
    }
    fn table_row(&self, now: DateTime<Utc>, catalog: &Catalog) -> Vec<String> {
        let ctx = kinds::Ctx {
            now,
            catalog,
            inventory: None,
        };
        kinds::cli_row(self, &ctx)
    }
    fn csv_header() -> &'static [&'static str] {
        T::csv_header()
    }
    fn csv_row(&self) -> Vec<String> {
        kinds::csv_row(self)
    }
}

/// Print `rows` to stdout in the chosen format.
pub fn print_rows<T: Printable>(rows: &[&T], output: Output) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    write_rows(&mut out, rows, output, Utc::now(), &Catalog::shared())?;
    out.flush()
}

/// Write `rows` in the chosen format, as of `now` and priced from `catalog`.
pub fn write_rows<T: Printable, W: Write>(
    out: &mut W,
    rows: &[&T],
    output: Output,
    now: DateTime<Utc>,
    catalog: &Catalog,
) -> io::Result<()> {
    match output {
        Output::Json => {
            let items: Vec<T::Json<'_>> = rows.iter().map(|r| r.json()).collect();
            write_json(&mut *out, &items)?;
            writeln!(out)?;
        }
        Output::Csv => write_csv(&mut *out, T::csv_header(), rows.iter().map(|r| r.csv_row()))?,
        Output::Table => {
            let cells: Vec<Vec<String>> = rows.iter().map(|r| r.table_row(now, catalog)).collect();
            print_table(out, T::columns(), &cells)?;
        }
    }
    Ok(())
}

/// Print a header row and records as CSV to stdout.
pub fn print_csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> io::Result<()> {
    write_csv(io::stdout().lock(), header, rows)
}

/// CSV with every cell escaped: a spreadsheet keeps the text, a terminal (`cat`) is not driven
/// by it.
pub fn write_csv<W: Write>(
    out: W,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> io::Result<()> {
    let p = project::get();
    let cols = project::columns(&p, header)?;
    let mut w = csv::Writer::from_writer(out);
    if p.headers {
        w.write_record(project::pick(header, &cols).iter().map(|h| Cell(escape(h))))
            .map_err(csv_io)?;
    }
    for r in rows {
        w.write_record(project::pick(&r, &cols).iter().map(|c| Cell(escape(c))))
            .map_err(csv_io)?;
    }
    w.flush()
}

/// An escaped cell as the bytes the CSV writer takes.
struct Cell<'a>(std::borrow::Cow<'a, str>);

impl AsRef<[u8]> for Cell<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// The I/O error inside a CSV error (so a closed pipe stays a closed pipe).
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Print any serializable value as JSON.
pub fn print_json<S: Serialize + ?Sized>(v: &S) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    write_json(&mut out, v)?;
    writeln!(out)
}

/// A line on stderr, `nephos: ` first, with control characters escaped (a line break of our
/// own stays one).
pub fn warn(msg: impl std::fmt::Display) {
    eprintln!("nephos: {}", escape_text(&msg.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_width<T: Printable>(rows: &[T], catalog: &Catalog) {
        for r in rows {
            assert_eq!(
                r.table_row(Utc::now(), catalog).len(),
                T::columns().len(),
                "every table cell has a header"
            );
            assert_eq!(r.csv_row().len(), T::csv_header().len());
        }
    }

    #[test]
    fn every_row_has_as_many_cells_as_its_header() {
        let (instances, disks, lbs) = crate::providers::sandbox::sample(60, 1);
        let catalog = Catalog::bundled();
        same_width(&instances, &catalog);
        same_width(&disks, &catalog);
        same_width(&lbs, &catalog);
    }
}
