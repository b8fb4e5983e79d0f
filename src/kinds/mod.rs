//! Resource kinds, one module each. A kind is one table of its fields ([`FieldDef`]): its name
//! (the JSON key and CSV header), how to read it from a row, whether the filter language and
//! sorting know it, and its column in the console (width, and when it drops on a narrow
//! terminal) and in CLI tables. The console panes (`panes::KindPane`), the CLI's `list` and
//! `get` (`cli::output::Printable`), the filter ([`Filterable`]), sorting ([`Sortable`]) and id
//! resolution ([`Named`]) are implemented once here for every kind, from its table.
//!
//! A new kind: a module with its table and a [`Kind`] impl, a line in [`ALL`], and its
//! `ResourceKind` / `Resource` / inventory table (the data it is).

mod disk;
mod instance;
mod load_balancer;
mod network;
pub mod network_text;
mod value;

use std::sync::OnceLock;

use chrono::{DateTime, Utc};

pub use value::{Listed, Value};

use crate::domain::network::{NetBook, NetworkRow};
use crate::domain::{Disk, Instance, LoadBalancer, Resource, ResourceKind, Tags};
use crate::filter::{Field, Filterable, NumField};
use crate::inventory::resolve::Named;
use crate::inventory::{Inventory, Row, SortField, SortValue, Sortable, Table};
use crate::prices::estimate::Cost;
use crate::prices::{Catalog, Priced};

/// Reads one field of a row.
pub type Reader<T> = for<'a> fn(&'a T) -> Value<'a>;
/// A column's cell, when the value alone does not say it the way the column shows it.
pub type CellFn<T> = fn(&T, &Ctx<'_>) -> String;

/// What a cell may need besides its row.
pub struct Ctx<'a> {
    pub now: DateTime<Utc>,
    pub catalog: &'a Catalog,
    /// The console's inventory (a disk's pane names the instance it is attached to); None in
    /// the CLI.
    pub inventory: Option<&'a Inventory>,
}

/// How a cell should look, in words the theme turns into colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Warn,
    Bad,
    /// Passing through (pending, stopping …).
    Moving,
    Muted,
}

/// A field's column in the console or in CLI tables.
pub struct Col<T: 'static> {
    /// Left to right.
    pub at: u8,
    pub title: &'static str,
    /// Console only: display width (the last column takes what is left).
    pub width: u16,
    /// Console only: 1 is always shown; on a narrow terminal the highest numbers go first.
    pub priority: u8,
    /// None: the value's own text.
    pub cell: Option<CellFn<T>>,
}

/// Where a field's value goes in the data formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    /// JSON and CSV (in the table's order).
    Both,
    Json,
    Csv,
    /// Only a column (cost, age).
    Neither,
}

/// One field of a kind: one line of its table.
pub struct FieldDef<T: 'static> {
    pub name: &'static str,
    pub read: Reader<T>,
    /// The `field:value` word that reads it (the words are `filter::Field::ALL`).
    pub filter: Option<Field>,
    /// The number term that reads it (`vcpus>=4`).
    pub number: Option<NumField>,
    pub sort: Option<SortField>,
    pub out: Out,
    pub console: Option<Col<T>>,
    pub cli: Option<Col<T>>,
}

impl<T> FieldDef<T> {
    pub const fn new(name: &'static str, read: Reader<T>) -> Self {
        FieldDef {
            name,
            read,
            filter: None,
            number: None,
            sort: None,
            out: Out::Both,
            console: None,
            cli: None,
        }
    }
    pub const fn filter(mut self, f: Field) -> Self {
        self.filter = Some(f);
        self
    }
    pub const fn number(mut self, f: NumField) -> Self {
        self.number = Some(f);
        self
    }
    pub const fn sort(mut self, f: SortField) -> Self {
        self.sort = Some(f);
        self
    }
    pub const fn out(mut self, out: Out) -> Self {
        self.out = out;
        self
    }
    /// Its console column: left-to-right place, title, width, priority.
    pub const fn console(mut self, at: u8, title: &'static str, width: u16, priority: u8) -> Self {
        self.console = Some(Col {
            at,
            title,
            width,
            priority,
            cell: None,
        });
        self
    }
    /// The console column's cell, when it is not the value's text.
    pub const fn console_cell(mut self, cell: CellFn<T>) -> Self {
        if let Some(c) = &mut self.console {
            c.cell = Some(cell);
        }
        self
    }
    /// Its CLI table column: left-to-right place and header (lower case; printed in capitals).
    pub const fn cli(mut self, at: u8, title: &'static str) -> Self {
        self.cli = Some(Col {
            at,
            title,
            width: 0,
            priority: 0,
            cell: None,
        });
        self
    }
    pub const fn cli_cell(mut self, cell: CellFn<T>) -> Self {
        if let Some(c) = &mut self.cli {
            c.cell = Some(cell);
        }
        self
    }
}

/// The fields every kind has, from its ref: the same words, sorts and console columns
/// everywhere (each kind places them in its CLI table).
impl<T: Row> FieldDef<T> {
    pub const fn reference() -> Self {
        Self::new("ref", |r| Value::Ref(r.resource_ref()))
    }
    pub const fn provider() -> Self {
        Self::new("provider", |r| {
            Value::Str(r.resource_ref().provider.as_str())
        })
        .filter(Field::Provider)
        .sort(SortField::Provider)
        .console(1, "PROVIDER", 8, 2)
    }
    pub const fn account() -> Self {
        Self::new("account", |r| Value::Str(&r.resource_ref().account))
            .filter(Field::Account)
            .sort(SortField::Account)
            .console(2, "ACCOUNT", 14, 3)
    }
    pub const fn region() -> Self {
        Self::new("region", |r| Value::Str(&r.resource_ref().region))
            .filter(Field::Region)
            .sort(SortField::Region)
    }
}

const N_FIELDS: usize = Field::ALL.len();
const N_NUMS: usize = NumField::ALL.len();
const N_SORTS: usize = SortField::ALL.len();

/// Which of a field's words an index is by.
#[derive(Clone, Copy)]
enum By {
    Filter,
    Number,
    Sort,
}

/// The reader of each word of one vocabulary (`Field`, `NumField` or `SortField`), looked up by
/// the word's place in its enum: worked out at compile time from the table.
const fn index<T, const N: usize>(defs: &[FieldDef<T>], by: By) -> [Option<Reader<T>>; N] {
    let mut out: [Option<Reader<T>>; N] = [None; N];
    let mut i = 0;
    while i < defs.len() {
        let d = &defs[i];
        let slot = match by {
            By::Filter => match d.filter {
                Some(f) => Some(f as usize),
                None => None,
            },
            By::Number => match d.number {
                Some(f) => Some(f as usize),
                None => None,
            },
            By::Sort => match d.sort {
                Some(f) => Some(f as usize),
                None => None,
            },
        };
        if let Some(k) = slot {
            out[k] = Some(d.read);
        }
        i += 1;
    }
    out
}

/// A kind's table in the orders its outputs want, worked out once.
pub struct Views<T: 'static> {
    console: OnceLock<Vec<&'static FieldDef<T>>>,
    cli: OnceLock<Vec<&'static FieldDef<T>>>,
    cli_titles: OnceLock<Vec<&'static str>>,
    csv: OnceLock<Vec<&'static FieldDef<T>>>,
    csv_header: OnceLock<Vec<&'static str>>,
}

impl<T> Views<T> {
    pub const fn new() -> Self {
        Views {
            console: OnceLock::new(),
            cli: OnceLock::new(),
            cli_titles: OnceLock::new(),
            csv: OnceLock::new(),
            csv_header: OnceLock::new(),
        }
    }
}

impl<T> Default for Views<T> {
    fn default() -> Self {
        Self::new()
    }
}

fn ordered<T>(
    defs: &'static [FieldDef<T>],
    col: impl Fn(&FieldDef<T>) -> Option<&Col<T>>,
) -> Vec<&'static FieldDef<T>> {
    let mut v: Vec<&'static FieldDef<T>> = defs.iter().filter(|d| col(d).is_some()).collect();
    v.sort_by_key(|d| col(d).map(|c| c.at));
    v
}

/// A resource kind: its table, and what is not a field (how its state looks, what free text
/// searches, which inventory table holds it).
pub trait Kind: Row + Priced + Into<Resource> + Sized + Sync + 'static {
    const KIND: ResourceKind;
    /// The console pane's title.
    const TITLE: &'static str;
    /// One of them in words (`load balancer`), for messages.
    const WHAT: &'static str;
    const FIELDS: &'static [FieldDef<Self>];
    const TEXT: [Option<Reader<Self>>; N_FIELDS] = index(Self::FIELDS, By::Filter);
    const NUMBER: [Option<Reader<Self>>; N_NUMS] = index(Self::FIELDS, By::Number);
    const SORT: [Option<Reader<Self>>; N_SORTS] = index(Self::FIELDS, By::Sort);

    fn table(inv: &Inventory) -> &Table<Self>;
    /// The orders of [`Kind::FIELDS`] (a `static Views::new()` of the kind's module).
    fn views() -> &'static Views<Self>;
    /// The tone of the console's state cell.
    fn tone(&self) -> Tone;
    /// More text free text looks in, after the name, id and tag values: type (or kind), zone
    /// (or DNS name), and two addresses (looked at only for text that could be part of one).
    fn more_text(&self) -> [Option<&str>; 4];
    fn tags(&self) -> &Tags;
    /// The name and the id, read directly rather than through the table: free text reads both
    /// for every row a filter tests, where an indirect call each costs a third more time.
    fn row_name(&self) -> &str;
    fn row_id(&self) -> &str;
    fn is_spot(&self) -> bool {
        false
    }
    fn launched(&self) -> Option<DateTime<Utc>> {
        None
    }
    /// The sort field whose console column takes the row's tone (the state).
    const TONE_FIELD: SortField = SortField::State;
    /// `network:` terms: is the row in a network whose name or id `matches`?
    fn in_network(&self, book: &NetBook, matches: &dyn Fn(&str) -> bool) -> bool {
        book.networks_of(self.resource_ref())
            .iter()
            .any(|(name, id)| matches(name) || matches(id))
    }

    /// The value of `f` (the `field:value` word).
    fn text_of(&self, f: Field) -> Option<&str> {
        Self::TEXT[f as usize].and_then(|read| read(self).text())
    }

    /// The fields with a console column, left to right.
    fn console_fields() -> &'static [&'static FieldDef<Self>] {
        Self::views()
            .console
            .get_or_init(|| ordered(Self::FIELDS, |d| d.console.as_ref()))
    }
    /// The fields with a CLI table column, left to right.
    fn cli_fields() -> &'static [&'static FieldDef<Self>] {
        Self::views()
            .cli
            .get_or_init(|| ordered(Self::FIELDS, |d| d.cli.as_ref()))
    }
    fn cli_titles() -> &'static [&'static str] {
        Self::views().cli_titles.get_or_init(|| {
            Self::cli_fields()
                .iter()
                .filter_map(|d| d.cli.as_ref().map(|c| c.title))
                .collect()
        })
    }
    /// The fields CSV prints, in order.
    fn csv_fields() -> &'static [&'static FieldDef<Self>] {
        Self::views().csv.get_or_init(|| {
            Self::FIELDS
                .iter()
                .filter(|d| matches!(d.out, Out::Both | Out::Csv))
                .collect()
        })
    }
    fn csv_header() -> &'static [&'static str] {
        Self::views()
            .csv_header
            .get_or_init(|| Self::csv_fields().iter().map(|d| d.name).collect())
    }
}

/// Work to do with one kind's rows, written once for every kind: [`visit`] runs it with the
/// kind's type.
pub trait Visit {
    type Out;
    fn visit<T: Kind>(self) -> Self::Out;
}

/// Work to do with one row of any kind: [`visit_row`] runs it with the row's type.
pub trait VisitRow {
    type Out;
    fn row<T: Kind>(self, row: &T) -> Self::Out;
}

/// The one place that goes from a kind's name to its type: a new kind is a line here (and one
/// in `visit_row`, and its pane in `panes::PANES`).
pub fn visit<V: Visit>(kind: ResourceKind, v: V) -> V::Out {
    match kind {
        ResourceKind::Instance => v.visit::<Instance>(),
        ResourceKind::Disk => v.visit::<Disk>(),
        ResourceKind::LoadBalancer => v.visit::<LoadBalancer>(),
        ResourceKind::Network => v.visit::<NetworkRow>(),
    }
}

/// How many rows of `kind` the inventory holds.
pub fn count(inv: &Inventory, kind: ResourceKind) -> usize {
    struct Count<'a>(&'a Inventory);
    impl Visit for Count<'_> {
        type Out = usize;
        fn visit<T: Kind>(self) -> usize {
            T::table(self.0).len()
        }
    }
    visit(kind, Count(inv))
}

pub fn visit_row<V: VisitRow>(r: &Resource, v: V) -> V::Out {
    match r {
        Resource::Instance(i) => v.row(i),
        Resource::Disk(d) => v.row(d),
        Resource::LoadBalancer(l) => v.row(l),
        Resource::Network(n) => v.row(n),
    }
}

/// A column's cell for `row`.
pub fn cell<T>(col: &Col<T>, d: &FieldDef<T>, row: &T, ctx: &Ctx<'_>) -> String {
    match col.cell {
        Some(f) => f(row, ctx),
        None => (d.read)(row).cell(),
    }
}

/// The console's row for `row`: its cells and the state cell's place.
pub fn console_row<T: Kind>(row: &T, ctx: &Ctx<'_>) -> (Vec<String>, usize) {
    let mut state = 0;
    let text = T::console_fields()
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            if d.sort == Some(T::TONE_FIELD) {
                state = i;
            }
            d.console.as_ref().map(|c| cell(c, d, row, ctx))
        })
        .collect();
    (text, state)
}

/// The CLI table's row for `row`.
pub fn cli_row<T: Kind>(row: &T, ctx: &Ctx<'_>) -> Vec<String> {
    T::cli_fields()
        .iter()
        .filter_map(|d| d.cli.as_ref().map(|c| cell(c, d, row, ctx)))
        .collect()
}

/// The CSV row for `row`.
pub fn csv_row<T: Kind>(row: &T) -> Vec<String> {
    T::csv_fields()
        .iter()
        .map(|d| (d.read)(row).cell())
        .collect()
}

/// A row as its JSON object: the fields JSON prints, in the table's order.
pub struct Json<'a, T: Kind>(pub &'a T);

impl<T: Kind> serde::Serialize for Json<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for d in T::FIELDS {
            if matches!(d.out, Out::Both | Out::Json) {
                map.serialize_entry(d.name, &(d.read)(self.0))?;
            }
        }
        map.end()
    }
}

/// The `REGION/ZONE` cell: the zone where the row has one, else the region.
pub fn place<T: Kind>(row: &T, _: &Ctx<'_>) -> String {
    crate::format::place(row.resource_ref(), row.text_of(Field::Zone))
}

/// The `ID` cell: the native id, shortened where the provider's ids are long.
pub fn short_id<T: Kind>(row: &T, _: &Ctx<'_>) -> String {
    crate::format::short_native_id(
        row.resource_ref().provider,
        row.text_of(Field::Id).unwrap_or(""),
    )
}

/// `$/h` cell text: the hourly price, `-` for none, `?` when the catalog has no price.
pub fn per_hour(c: &Cost) -> String {
    match c.hourly_usd {
        Some(h) if h <= 0.0 => "0".into(),
        Some(h) if h < 0.01 => format!("{h:.4}"),
        Some(h) => format!("{h:.3}"),
        None => "?".into(),
    }
}

impl<T: Kind> Filterable for T {
    fn field(&self, f: Field) -> Option<&str> {
        match f {
            Field::Name => Some(self.row_name()),
            Field::Id => Some(self.row_id()),
            _ => self.text_of(f),
        }
    }
    fn tag_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tags().iter()
    }
    fn is_spot(&self) -> bool {
        Kind::is_spot(self)
    }
    fn more_text(&self) -> [Option<&str>; 4] {
        Kind::more_text(self)
    }
    fn number(&self, f: NumField) -> Option<f64> {
        T::NUMBER[f as usize].and_then(|read| read(self).number())
    }
    fn launched(&self) -> Option<DateTime<Utc>> {
        Kind::launched(self)
    }
    fn hourly_usd(&self, cat: &Catalog) -> Option<f64> {
        Priced::hourly_usd(self, cat)
    }
    fn in_network(&self, book: &NetBook, matches: &dyn Fn(&str) -> bool) -> bool {
        Kind::in_network(self, book, matches)
    }
}

impl<T: Kind> Sortable for T {
    fn sort_value(&self, f: SortField) -> SortValue<'_> {
        T::SORT[f as usize].map_or(SortValue::Missing, |read| read(self).sort())
    }
    fn hourly_usd(&self, cat: &Catalog) -> Option<f64> {
        Priced::hourly_usd(self, cat)
    }
}

impl<T: Kind> Named for T {
    fn name(&self) -> &str {
        self.row_name()
    }
    fn id(&self) -> &str {
        self.row_id()
    }
}
