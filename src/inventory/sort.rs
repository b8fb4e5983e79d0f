//! Sorting by one or more columns: `--sort region,name:desc`, and the console's sort keys.

mod kept;

use std::cmp::Ordering;

pub use kept::KeptKeys;

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
            1 => _ = self.sort_keyed::<1, I, T>(items, row),
            2 => _ = self.sort_keyed::<2, I, T>(items, row),
            3 => _ = self.sort_keyed::<3, I, T>(items, row),
            4 => _ = self.sort_keyed::<4, I, T>(items, row),
            _ => items.sort_by(|a, b| self.compare(row(a), row(b))),
        }
    }

    fn sort_keyed<'r, const K: usize, I: Copy, T: Sortable + 'r>(
        &self,
        rows: &mut [I],
        row: impl Fn(&I) -> &'r T,
    ) -> Vec<Keyed<K>> {
        let keyed = self.keyed::<K, I, T>(rows, &row);
        let sorted: Vec<I> = keyed.iter().map(|k| rows[k.at as usize]).collect();
        rows.copy_from_slice(&sorted);
        keyed
    }

    /// `rows`' packed keys, in sort order (each with its place in `rows`).
    fn keyed<'r, const K: usize, I, T: Sortable + 'r>(
        &self,
        rows: &[I],
        row: &impl Fn(&I) -> &'r T,
    ) -> Vec<Keyed<K>> {
        let mut keyed: Vec<Keyed<K>> = rows
            .iter()
            .enumerate()
            .map(|(at, r)| self.key_row(row(r), at as u32))
            .collect();
        keyed.sort_unstable_by(|a, b| {
            a.cmp_from(b, 0)
                .unwrap_or_else(|i| self.cmp_past_long(a, b, i, rows, row))
        });
        keyed
    }

    /// One row's packed keys.
    fn key_row<const K: usize, T: Sortable>(&self, r: &T, at: u32) -> Keyed<K> {
        let mut k = Keyed {
            keys: [Key::MISSING; K],
            long: 0,
            at,
        };
        for (i, key) in self.0[..K].iter().enumerate() {
            let value = self.value(r, key.field);
            if matches!(value, SortValue::Text(s) if s.len() > Key::INLINE) {
                k.long |= 1 << i;
            }
            let packed = Key::new(value);
            k.keys[i] = if key.desc { packed.reversed() } else { packed };
        }
        k
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
            let o = self.compare_by(*k, a, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }

    fn compare_by<T: Sortable>(&self, k: SortKey, a: &T, b: &T) -> Ordering {
        let o = cmp_values(self.value(a, k.field), self.value(b, k.field));
        if k.desc {
            o.reverse()
        } else {
            o
        }
    }

    /// Two keyed rows whose keys tie at key `i` on two texts alike as far as the keys hold
    /// them: those texts read from the rows decide, else the keys after. Rare, and out of line
    /// so that the comparison that runs millions of times stays small enough to be inlined.
    #[cold]
    #[inline(never)]
    fn cmp_past_long<'r, const K: usize, I, T: Sortable + 'r>(
        &self,
        a: &Keyed<K>,
        b: &Keyed<K>,
        i: usize,
        rows: &[I],
        row: impl Fn(&I) -> &'r T,
    ) -> Ordering {
        let (row_a, row_b) = (row(&rows[a.at as usize]), row(&rows[b.at as usize]));
        self.cmp_rows_from(a, b, i, row_a, row_b)
            .then(a.at.cmp(&b.at))
    }

    /// Two rows' order from key `i` on, the texts read from the rows where the packed keys
    /// cannot tell; equal when every key is.
    fn cmp_rows_from<const K: usize, T: Sortable>(
        &self,
        a: &Keyed<K>,
        b: &Keyed<K>,
        mut i: usize,
        row_a: &T,
        row_b: &T,
    ) -> Ordering {
        loop {
            let o = self.compare_by(self.0[i], row_a, row_b);
            if o != Ordering::Equal {
                return o;
            }
            match a.cmp_keys_from(b, i + 1) {
                Ok(o) => return o,
                Err(next) => i = next,
            }
        }
    }
}

/// A row as the keyed sort moves it: its packed keys, most significant first (a descending
/// key's bits inverted, so that every key compares the same way round), and its place.
#[derive(Clone, Copy)]
struct Keyed<const K: usize> {
    keys: [Key; K],
    /// Bit `i`: key `i` is a text longer than a [`Key`] holds.
    long: u32,
    at: u32,
}

impl<const K: usize> Keyed<K> {
    /// Two rows' order by their keys from key `from` on, then by place; `Err(i)` when key `i`
    /// cannot tell: two texts equal as far as a key holds them, and longer.
    fn cmp_from(&self, other: &Self, from: usize) -> Result<Ordering, usize> {
        Ok(self
            .cmp_keys_from(other, from)?
            .then(self.at.cmp(&other.at)))
    }

    /// [`cmp_from`](Self::cmp_from) without the place: equal when every key is.
    fn cmp_keys_from(&self, other: &Self, from: usize) -> Result<Ordering, usize> {
        for i in from..K {
            match self.keys[i].cmp(&other.keys[i]) {
                Ordering::Equal if self.long & (1 << i) != 0 => return Err(i),
                Ordering::Equal => {}
                o => return Ok(o),
            }
        }
        Ok(Ordering::Equal)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum SortValue<'a> {
    Text(&'a str),
    Number(f64),
    Missing,
}

/// A sort value packed into three words that compare, as plain numbers, in the value's order:
/// a few integer compares decide most pairs, and the sorted element stays small and holds no
/// pointer (following one into the row is mostly a cache miss at 100k rows).
///
/// The top byte is the class (0 missing, 1 number, 2 text: missing first, then numbers, then
/// text). A number's order-preserving bits fill the second word. A text holds its first
/// [`Key::INLINE`] bytes, zero-padded, and in the last byte its length capped at `INLINE + 1`:
/// equal words then mean equal texts, unless both are longer than `INLINE` bytes, when the sort
/// compares the texts themselves ([`Keyed::long`]). A text shorter than another with the same
/// inline bytes is a prefix of it (the padding is zeros), so the capped length orders them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u64, u64, u64);

impl Key {
    const MISSING: Key = Key(0, 0, 0);
    /// Text bytes held: 7 after the class byte, 8, then 7 before the length byte.
    const INLINE: usize = 22;
    const TEXT: u64 = 2 << 56;

    fn new(value: SortValue<'_>) -> Self {
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
                Key(1 << 56, ordered, 0)
            }
            SortValue::Text(s) => {
                let b = s.as_bytes();
                let len = b.len().min(Key::INLINE + 1) as u64;
                Key(
                    Key::TEXT | (word(b, 0) >> 8),
                    word(b, 7),
                    (word(b, 15) & !0xff) | len,
                )
            }
        }
    }

    /// The same value in a descending key: every bit inverted reverses the order.
    fn reversed(self) -> Key {
        Key(!self.0, !self.1, !self.2)
    }
}

/// Eight bytes of `s` from `at`, big-endian, zeros past its end; with whole-word loads where
/// the text is long enough (a byte-wise copy into a buffer cost more than the sort saves).
fn word(s: &[u8], at: usize) -> u64 {
    if let Some(w) = s.get(at..at + 8) {
        return u64::from_be_bytes(w.try_into().expect("8 bytes"));
    }
    if at >= s.len() {
        return 0;
    }
    if s.len() >= 8 {
        // The last eight bytes, shifted so that those from `at` lead.
        let last = u64::from_be_bytes(s[s.len() - 8..].try_into().expect("8 bytes"));
        return last << (8 * (at + 8 - s.len()));
    }
    s[at..]
        .iter()
        .enumerate()
        .fold(0, |w, (i, &b)| w | (b as u64) << (56 - 8 * i))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of three sortable values (name, zone, vcpus), any class in any of them.
    #[derive(Debug)]
    struct Row([SortValue<'static>; 3]);

    impl Sortable for Row {
        fn sort_value(&self, f: SortField) -> SortValue<'_> {
            match f {
                SortField::Name => self.0[0],
                SortField::Zone => self.0[1],
                SortField::Vcpus => self.0[2],
                _ => SortValue::Missing,
            }
        }
    }

    #[test]
    fn packed_keys_sort_as_the_plain_comparison_does() {
        use SortValue::{Missing, Number as N, Text as T};
        // Texts past the 22 inline bytes that share them, texts that are prefixes of each
        // other (also at the 22nd byte and with a zero byte), numbers, missing values and text
        // mixed in one column, and rows equal on every key (their order is their position).
        let values = [
            T("search-staging-12345678-b"),
            T("search-staging-12345678-a"),
            T("search-staging-12345678"),
            T("search-staging-1234567"),
            T("search-staging-123456"),
            T("search-staging-12345678-a-longer"),
            T("search-staging-1"),
            T("search-staging-1\0"),
            T("search"),
            T("web"),
            T(""),
            N(4.0),
            N(-1.5),
            N(f64::INFINITY),
            Missing,
        ];
        let zones = [
            T("us-east-1a"),
            T("us-east-1a-local-zone-y"),
            T("us-east-1a-local-zone-x"),
            Missing,
            N(2.0),
        ];
        let mut rows = Vec::new();
        for (i, v) in values.iter().enumerate() {
            for (j, z) in zones.iter().enumerate() {
                rows.push(Row([*v, *z, N(((i + j) % 3) as f64)]));
                rows.push(Row([*v, *z, N(((i + j) % 3) as f64)]));
            }
        }
        rows.reverse();
        for spec in [
            "name",
            "name:desc",
            "zone,name",
            "zone:desc,name:desc",
            "vcpus,name:desc,zone",
            "name,zone:desc,vcpus:desc,id",
            "id",
        ] {
            let keys = SortKeys::parse(spec).unwrap();
            let mut fast: Vec<&Row> = rows.iter().collect();
            keys.sort(&mut fast);
            let mut plain: Vec<&Row> = rows.iter().collect();
            plain.sort_by(|a, b| keys.compare(*a, *b));
            // Compared by place in `rows`: equal rows must also keep their order.
            let at = |v: &[&Row]| -> Vec<usize> {
                v.iter()
                    .map(|r| rows.iter().position(|x| std::ptr::eq(x, *r)).unwrap())
                    .collect()
            };
            assert_eq!(at(&fast), at(&plain), "{spec}");
        }
    }
}
