use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::fnv::Fnv;
use crate::domain::{ResourceRef, Str};
use crate::filter::{Filterable, FreeText};
use crate::providers::ListScope;

/// A row the inventory can index.
pub trait Row: Clone {
    fn resource_ref(&self) -> &ResourceRef;
}

#[derive(Debug, Clone)]
struct Bucket<T> {
    /// Bumped whenever the rows change, so views can redo just this bucket.
    version: u64,
    rows: Vec<T>,
    /// Each row's [`ResourceRef::key`] → its position in `rows`, made when first needed (finding
    /// one row by its ref): a poll's answer is shown without waiting for it (at 100k rows,
    /// keying every row was about a quarter of the loop's CPU during a start).
    index: OnceLock<HashMap<Str, usize, Fnv>>,
    /// The rows' folded free text, made when a filter first needs it (see [`FreeText`]).
    text: OnceLock<FreeText>,
}

impl<T: Row> Bucket<T> {
    fn new(rows: Vec<T>) -> Self {
        Bucket {
            version: 0,
            rows,
            index: OnceLock::new(),
            text: OnceLock::new(),
        }
    }

    fn index(&self) -> &HashMap<Str, usize, Fnv> {
        self.index.get_or_init(|| {
            self.rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.resource_ref().key(), i))
                .collect()
        })
    }
}

/// Where a row sits in a [`Table`]; valid until the table next changes (views are rebuilt then).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowPos {
    bucket: u32,
    row: u32,
}

impl RowPos {
    pub fn bucket(self) -> usize {
        self.bucket as usize
    }

    /// Its index among its bucket's rows.
    pub fn row_index(self) -> usize {
        self.row as usize
    }
}

/// Rows of one kind, bucketed by (account, list scope) so a scope's fetch replaces just its
/// bucket. A row put in by an action before any scope of its account listed it waits in that
/// account's unlisted bucket until a fetch brings it. A bucket keeps its slot for good, so
/// positions stay cheap to use.
#[derive(Debug, Clone)]
pub struct Table<T> {
    buckets: Vec<Bucket<T>>,
    /// `None`: the account's unlisted bucket.
    slots: HashMap<(Str, Option<ListScope>), usize>,
    /// Each account's buckets, for finding a row by its ref.
    by_account: HashMap<Str, Vec<usize>>,
    len: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            buckets: Vec::new(),
            slots: HashMap::new(),
            by_account: HashMap::new(),
            len: 0,
        }
    }
}

impl<T: Row> Table<T> {
    fn slot(&mut self, account: &str, scope: Option<&ListScope>) -> usize {
        let key = (Str::from(account), scope.cloned());
        if let Some(&i) = self.slots.get(&key) {
            return i;
        }
        self.buckets.push(Bucket::new(Vec::new()));
        let i = self.buckets.len() - 1;
        self.by_account.entry(key.0.clone()).or_default().push(i);
        self.slots.insert(key, i);
        i
    }

    /// The bucket and row holding `r`: an account has a few buckets (its scopes), each indexed.
    fn find(&self, r: &ResourceRef) -> Option<(usize, usize)> {
        let buckets = self.by_account.get(&r.account)?;
        let key = r.key();
        buckets.iter().find_map(|&b| {
            let bucket = &self.buckets[b];
            bucket.index().get(&key).map(|&i| (b, i))
        })
    }

    /// Replace one scope's rows. Returns false when they are the same as before (nothing to
    /// recompute).
    pub fn replace(&mut self, account: &str, scope: &ListScope, rows: Vec<T>) -> bool
    where
        T: PartialEq,
    {
        let i = self.slot(account, Some(scope));
        let claimed = self.claim_unlisted(account, &rows);
        if self.buckets[i].rows == rows {
            return claimed;
        }
        self.len = self.len - self.buckets[i].rows.len() + rows.len();
        let version = self.buckets[i].version + 1;
        self.buckets[i] = Bucket::new(rows);
        self.buckets[i].version = version;
        true
    }

    /// Take out of the account's unlisted bucket the rows a scope now lists. True if any went.
    fn claim_unlisted(&mut self, account: &str, listed: &[T]) -> bool {
        let Some(&u) = self.slots.get(&(Str::from(account), None)) else {
            return false;
        };
        let bucket = &mut self.buckets[u];
        if bucket.rows.is_empty() {
            return false;
        }
        let before = bucket.rows.len();
        let keys: std::collections::HashSet<Str> =
            listed.iter().map(|r| r.resource_ref().key()).collect();
        let kept: Vec<T> = std::mem::take(&mut bucket.rows)
            .into_iter()
            .filter(|r| !keys.contains(&r.resource_ref().key()))
            .collect();
        let version = bucket.version + 1;
        let gone = before - kept.len();
        *bucket = Bucket::new(kept);
        bucket.version = version;
        self.len -= gone;
        gone > 0
    }

    pub fn upsert(&mut self, row: T) {
        if let Some((b, i)) = self.find(row.resource_ref()) {
            let bucket = &mut self.buckets[b];
            bucket.version += 1;
            bucket.rows[i] = row;
            bucket.text = OnceLock::new();
            return;
        }
        let account = row.resource_ref().account.clone();
        let b = self.slot(&account, None);
        let bucket = &mut self.buckets[b];
        bucket.version += 1;
        // An index not made yet will hold the row when it is.
        if let Some(index) = bucket.index.get_mut() {
            index.insert(row.resource_ref().key(), bucket.rows.len());
        }
        bucket.rows.push(row);
        bucket.text = OnceLock::new();
        self.len += 1;
    }

    pub fn remove(&mut self, r: &ResourceRef) -> Option<T> {
        let (slot, i) = self.find(r)?;
        let bucket = &mut self.buckets[slot];
        let row = bucket.rows.remove(i);
        let version = bucket.version + 1;
        *bucket = Bucket::new(std::mem::take(&mut bucket.rows));
        bucket.version = version;
        self.len -= 1;
        Some(row)
    }

    pub fn get(&self, r: &ResourceRef) -> Option<&T> {
        let (b, i) = self.find(r)?;
        Some(&self.buckets[b].rows[i])
    }

    pub fn at(&self, pos: RowPos) -> Option<&T> {
        self.buckets
            .get(pos.bucket as usize)?
            .rows
            .get(pos.row as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> + Clone {
        self.buckets.iter().flat_map(|b| b.rows.iter())
    }

    /// Every row with its position.
    pub fn positions(&self) -> impl Iterator<Item = (RowPos, &T)> + Clone {
        self.buckets.iter().enumerate().flat_map(|(b, bucket)| {
            bucket.rows.iter().enumerate().map(move |(r, row)| {
                (
                    RowPos {
                        bucket: b as u32,
                        row: r as u32,
                    },
                    row,
                )
            })
        })
    }

    /// Each bucket's version, by slot.
    pub fn versions(&self) -> Vec<u64> {
        self.buckets.iter().map(|b| b.version).collect()
    }

    /// How many bucket slots there are (a slot may be empty).
    pub fn bucket_count(&self) -> usize {
        self.buckets.len()
    }

    /// The rows of one bucket, in the order they are stored (a row's index is its position's).
    pub fn bucket_rows(&self, b: usize) -> &[T] {
        self.buckets.get(b).map_or(&[], |b| &b.rows)
    }

    /// The folded free text of one bucket's rows, made on first use (a bucket's rows never
    /// change under it: a change makes a new bucket, or forgets it).
    pub fn bucket_text(&self, b: usize) -> Option<&FreeText>
    where
        T: Filterable,
    {
        let bucket = self.buckets.get(b)?;
        Some(bucket.text.get_or_init(|| FreeText::of(&bucket.rows)))
    }

    /// Make every bucket's folded free text that is not made yet, the buckets shared out among
    /// up to `threads` threads.
    pub fn make_texts(&self, threads: usize)
    where
        T: Filterable + Sync,
    {
        let threads = threads.clamp(1, self.buckets.len().max(1));
        if threads == 1 {
            (0..self.buckets.len()).for_each(|b| _ = self.bucket_text(b));
            return;
        }
        std::thread::scope(|scope| {
            for t in 0..threads {
                scope.spawn(move || {
                    for b in (t..self.buckets.len()).step_by(threads) {
                        self.bucket_text(b);
                    }
                });
            }
        });
    }

    /// Whether every bucket's free text is made.
    pub fn texts_made(&self) -> bool {
        self.buckets.iter().all(|b| b.text.get().is_some())
    }

    /// The rows of one bucket with their positions.
    pub fn bucket_positions(&self, b: usize) -> impl Iterator<Item = (RowPos, &T)> {
        self.buckets[b]
            .rows
            .iter()
            .enumerate()
            .map(move |(r, row)| {
                (
                    RowPos {
                        bucket: b as u32,
                        row: r as u32,
                    },
                    row,
                )
            })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}
