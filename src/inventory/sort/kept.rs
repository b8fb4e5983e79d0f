//! Packed sort keys kept beside rows already in order, so that one scope's new rows merge in
//! without the rows in place being read again.
//!
//! At 100k rows a start merges each scope's list into the rows before it. Comparing a new row
//! with one in place read both rows' fields, and the rows in place are in sort order, not in
//! memory order: most reads were cache misses, and the last merge of a start took 30–60 ms of
//! the console's thread. The keys the sort packed anyway are kept instead, in sort order, and
//! a merge walks them from start to end.

use std::cmp::Ordering;

use super::{Keyed, SortKey, SortKeys, Sortable};

/// The packed keys of a sorted list of rows, in its order, and the sort they were made for.
/// Empty (and unused) for no sort keys or more than four.
#[derive(Clone, Default)]
pub struct KeptKeys {
    made_with: Vec<SortKey>,
    packs: Packs,
}

#[derive(Clone, Default)]
enum Packs {
    #[default]
    None,
    One(Vec<Keyed<1>>),
    Two(Vec<Keyed<2>>),
    Three(Vec<Keyed<3>>),
    Four(Vec<Keyed<4>>),
}

impl Packs {
    fn len(&self) -> Option<usize> {
        match self {
            Packs::None => None,
            Packs::One(v) => Some(v.len()),
            Packs::Two(v) => Some(v.len()),
            Packs::Three(v) => Some(v.len()),
            Packs::Four(v) => Some(v.len()),
        }
    }
}

impl std::fmt::Debug for KeptKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptKeys")
            .field("made_with", &self.made_with)
            .field("rows", &self.packs.len())
            .finish()
    }
}

impl SortKeys {
    /// Sort `items` as [`sort_by_row`](SortKeys::sort_by_row) does, and keep their packed keys
    /// in `kept` for [`merge_keeping`](SortKeys::merge_keeping).
    pub fn sort_keeping<'r, I: Copy, T: Sortable + 'r>(
        &self,
        items: &mut [I],
        row: impl Fn(&I) -> &'r T,
        kept: &mut KeptKeys,
    ) {
        kept.made_with = self.0.clone();
        kept.packs = match self.0.len() {
            1 => Packs::One(self.sort_keyed::<1, I, T>(items, row)),
            2 => Packs::Two(self.sort_keyed::<2, I, T>(items, row)),
            3 => Packs::Three(self.sort_keyed::<3, I, T>(items, row)),
            4 => Packs::Four(self.sort_keyed::<4, I, T>(items, row)),
            _ => {
                self.sort_by_row(items, row);
                Packs::None
            }
        };
    }

    /// Merge `fresh` (in any order) into `sorted`, which is in this sort's order with `kept`
    /// holding its keys, leaving out the items `gone` names. The result is what sorting every
    /// item would give with ties going by the items' own order (a table's positions: a full
    /// sort of the table ties by them). False, with nothing changed, when `kept` does not hold
    /// `sorted`'s keys for this sort.
    pub fn merge_keeping<'r, I: Copy + Ord, T: Sortable + 'r>(
        &self,
        sorted: &mut Vec<I>,
        kept: &mut KeptKeys,
        mut fresh: Vec<I>,
        gone: impl Fn(&I) -> bool,
        row: impl Fn(&I) -> &'r T,
    ) -> bool {
        if kept.made_with != self.0 || kept.packs.len() != Some(sorted.len()) {
            return false;
        }
        fresh.sort_unstable();
        let merge = Merge {
            sort: self,
            sorted,
            fresh: &fresh,
            gone: &gone,
            row: &row,
        };
        let items = match &mut kept.packs {
            Packs::None => return false,
            Packs::One(keys) => merge.run(keys),
            Packs::Two(keys) => merge.run(keys),
            Packs::Three(keys) => merge.run(keys),
            Packs::Four(keys) => merge.run(keys),
        };
        *sorted = items;
        true
    }
}

/// One merge's inputs: rows in order with their keys, and new rows.
struct Merge<'a, I, G, R> {
    sort: &'a SortKeys,
    sorted: &'a [I],
    /// In the items' own order.
    fresh: &'a [I],
    gone: &'a G,
    row: &'a R,
}

impl<'a, 'r, I, G, R, T> Merge<'a, I, G, R>
where
    I: Copy + Ord,
    G: Fn(&I) -> bool,
    R: Fn(&I) -> &'r T,
    T: Sortable + 'r,
{
    /// The merged items; `keys` becomes theirs.
    fn run<const K: usize>(&self, keys: &mut Vec<Keyed<K>>) -> Vec<I> {
        let fresh = self.sort.keyed::<K, I, T>(self.fresh, self.row);
        let len = self.sorted.len() + fresh.len();
        let (mut items, mut merged) = (Vec::with_capacity(len), Vec::with_capacity(len));
        let mut fresh = fresh.into_iter().peekable();
        for (item, key) in self.sorted.iter().zip(keys.iter()) {
            if (self.gone)(item) {
                continue;
            }
            while let Some(new) = fresh.next_if(|new| self.before(new, key, item)) {
                items.push(self.fresh[new.at as usize]);
                merged.push(new);
            }
            items.push(*item);
            merged.push(*key);
        }
        for new in fresh {
            items.push(self.fresh[new.at as usize]);
            merged.push(new);
        }
        *keys = merged;
        items
    }

    /// Whether the new row keyed `new` goes before `item`, keyed `key`.
    fn before<const K: usize>(&self, new: &Keyed<K>, key: &Keyed<K>, item: &I) -> bool {
        let new_item = &self.fresh[new.at as usize];
        let by_keys = match new.cmp_keys_from(key, 0) {
            Ok(o) => o,
            Err(i) => self
                .sort
                .cmp_rows_from(new, key, i, (self.row)(new_item), (self.row)(item)),
        };
        by_keys.then_with(|| new_item.cmp(item)) == Ordering::Less
    }
}
