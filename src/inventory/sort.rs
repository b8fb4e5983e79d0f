//! Sorting by one or more columns: `--sort region,name:desc`, and the console's sort keys.

use std::cmp::Ordering;

use crate::prices::PriceBook;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Provider,
    Account,
    Region,
    Zone,
    Name,
    Id,
    State,
    Type,
    Vcpus,
    Memory,
    Size,
    /// Launch time, oldest first.
    Launched,
    /// Time since launch, youngest first (the console's AGE column; `--sort age`).
    Age,
    Targets,
    /// Dollars an hour at list price (the `$/h` column), cheapest first.
    Cost,
    /// A network's security findings.
    Findings,
}

impl SortField {
    pub const ALL: [(&'static str, SortField); 16] = [
        ("provider", SortField::Provider),
        ("account", SortField::Account),
        ("region", SortField::Region),
        ("zone", SortField::Zone),
        ("name", SortField::Name),
        ("id", SortField::Id),
        ("state", SortField::State),
        ("type", SortField::Type),
        ("vcpus", SortField::Vcpus),
        ("memory", SortField::Memory),
        ("size", SortField::Size),
        ("launched", SortField::Launched),
        ("age", SortField::Age),
        ("targets", SortField::Targets),
        ("cost", SortField::Cost),
        ("findings", SortField::Findings),
    ];

    pub fn name(self) -> &'static str {
        SortField::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    pub field: SortField,
    pub desc: bool,
}

/// Sort keys, most significant first; empty keeps inventory order. `cost` reads the prices
/// given with [`SortKeys::with_prices`] (the bundled catalog by default).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SortKeys(pub Vec<SortKey>, pub PriceBook);

impl SortKeys {
    /// Sort `cost` by `catalog` (a refreshed one) instead of the bundled prices.
    pub fn with_prices(mut self, catalog: std::sync::Arc<crate::prices::Catalog>) -> Self {
        self.1 = PriceBook::new(catalog);
        self
    }

    /// `FIELD[:desc|:asc][,FIELD…]`; `age` is youngest first, `launched` oldest first.
    pub fn parse(s: &str) -> Result<SortKeys, String> {
        let mut keys = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, dir) = part.split_once(':').unwrap_or((part, "asc"));
            let desc = match dir.to_ascii_lowercase().as_str() {
                "asc" => false,
                "desc" => true,
                other => {
                    return Err(format!(
                        "sort direction '{other}' in '{part}' is not asc or desc"
                    ))
                }
            };
            let field = SortField::ALL
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, f)| *f)
                .ok_or_else(|| {
                    let names: Vec<&str> = SortField::ALL.iter().map(|(n, _)| *n).collect();
                    format!(
                        "cannot sort by '{name}'; sort fields are {}",
                        names.join(", ")
                    )
                })?;
            keys.push(SortKey { field, desc });
        }
        Ok(SortKeys(keys, PriceBook::default()))
    }

    /// Sort `rows` in place. Keys are read once per row into a small array and the rows are
    /// sorted by those, with the original position as the last key: as stable as a stable
    /// sort, at the speed of an unstable one (see docs/performance.md).
    pub fn sort<T: Sortable>(&self, rows: &mut [&T]) {
        self.sort_by_row(rows, |r| *r);
    }

    /// Sort any items that lead to a row (positions in a table, say).
    pub fn sort_by_row<'r, I: Copy, T: Sortable + 'r>(
        &self,
        items: &mut [I],
        row: impl Fn(&I) -> &'r T,
    ) {
        match self.0.len() {
            0 => {}
            1 => self.sort_keyed::<1, I, T>(items, row),
            2 => self.sort_keyed::<2, I, T>(items, row),
            3 => self.sort_keyed::<3, I, T>(items, row),
            4 => self.sort_keyed::<4, I, T>(items, row),
            _ => items.sort_by(|a, b| self.compare(row(a), row(b))),
        }
    }

    fn sort_keyed<'r, const K: usize, I: Copy, T: Sortable + 'r>(
        &self,
        rows: &mut [I],
        row: impl Fn(&I) -> &'r T,
    ) {
        let mut keyed: Vec<([Key<'r>; K], u32)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let r = row(r);
                let mut k = [Key::MISSING; K];
                for (slot, key) in k.iter_mut().zip(&self.0) {
                    *slot = Key::new(self.value(r, key.field));
                }
                (k, i as u32)
            })
            .collect();
        keyed.sort_unstable_by(|(a, ia), (b, ib)| {
            for (i, key) in self.0.iter().enumerate() {
                let o = a[i].cmp(&b[i]);
                if o != Ordering::Equal {
                    return if key.desc { o.reverse() } else { o };
                }
            }
            ia.cmp(ib)
        });
        let original: Vec<I> = rows.to_vec();
        for (slot, (_, i)) in rows.iter_mut().zip(keyed) {
            *slot = original[i as usize];
        }
    }

    /// A row's value for `f`: cost from the prices, the rest from the row.
    fn value<'r, T: Sortable>(&self, r: &'r T, f: SortField) -> SortValue<'r> {
        match f {
            SortField::Cost => r
                .hourly_usd(self.1.catalog())
                .map_or(SortValue::Missing, SortValue::Number),
            f => r.sort_value(f),
        }
    }

    pub fn compare<T: Sortable>(&self, a: &T, b: &T) -> Ordering {
        for k in &self.0 {
            let o = cmp_values(self.value(a, k.field), self.value(b, k.field));
            let o = if k.desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

#[derive(Debug, Clone, Copy)]
pub enum SortValue<'a> {
    Text(&'a str),
    Number(f64),
    Missing,
}

/// A sort value packed for sorting: text keeps its first 16 bytes inline (most comparisons end
/// there, without following the pointer into the row, which at 100k rows is mostly a cache
/// miss); numbers are stored as order-preserving bits. 40 bytes, 8-aligned.
#[derive(Clone, Copy)]
struct Key<'a> {
    hi: u64,
    lo: u64,
    text: &'a str,
    /// 0 missing, 1 number, 2 text: the order between kinds.
    class: u8,
}

impl<'a> Key<'a> {
    const MISSING: Key<'static> = Key {
        hi: 0,
        lo: 0,
        text: "",
        class: 0,
    };

    fn new(value: SortValue<'a>) -> Self {
        match value {
            SortValue::Missing => Key::MISSING,
            SortValue::Number(n) => {
                // Flip so that unsigned order is numeric order (as f64::total_cmp does).
                let bits = n.to_bits();
                let ordered = if bits >> 63 == 1 {
                    !bits
                } else {
                    bits | (1 << 63)
                };
                Key {
                    hi: ordered,
                    lo: 0,
                    text: "",
                    class: 1,
                }
            }
            SortValue::Text(s) => {
                let mut b = [0u8; 16];
                let n = s.len().min(16);
                b[..n].copy_from_slice(&s.as_bytes()[..n]);
                Key {
                    hi: u64::from_be_bytes(b[..8].try_into().expect("8")),
                    lo: u64::from_be_bytes(b[8..].try_into().expect("8")),
                    text: s,
                    class: 2,
                }
            }
        }
    }

    fn cmp(&self, other: &Key<'_>) -> Ordering {
        self.class
            .cmp(&other.class)
            .then(self.hi.cmp(&other.hi))
            .then(self.lo.cmp(&other.lo))
            .then_with(|| {
                if self.text.len() <= 16 && other.text.len() <= 16 {
                    self.text.len().cmp(&other.text.len())
                } else {
                    self.text.cmp(other.text)
                }
            })
    }
}

/// Missing values sort last either way round is not worth the cost; they sort first ascending.
fn cmp_values(a: SortValue<'_>, b: SortValue<'_>) -> Ordering {
    match (a, b) {
        (SortValue::Text(a), SortValue::Text(b)) => a.cmp(b),
        (SortValue::Number(a), SortValue::Number(b)) => a.total_cmp(&b),
        (SortValue::Missing, SortValue::Missing) => Ordering::Equal,
        (SortValue::Missing, _) => Ordering::Less,
        (_, SortValue::Missing) => Ordering::Greater,
        (SortValue::Text(_), SortValue::Number(_)) => Ordering::Greater,
        (SortValue::Number(_), SortValue::Text(_)) => Ordering::Less,
    }
}

pub trait Sortable {
    fn sort_value(&self, f: SortField) -> SortValue<'_>;
    /// Dollars an hour at list price, for `cost`.
    fn hourly_usd(&self, _cat: &crate::prices::Catalog) -> Option<f64> {
        None
    }
}
