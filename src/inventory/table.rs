use std::collections::HashMap;

use crate::domain::{Disk, Instance, LoadBalancer, ResourceRef, Str};

/// A row the inventory can index.
pub trait Row: Clone {
    fn resource_ref(&self) -> &ResourceRef;
}

impl Row for Instance {
    fn resource_ref(&self) -> &ResourceRef {
        &self.r#ref
    }
}
impl Row for Disk {
    fn resource_ref(&self) -> &ResourceRef {
        &self.r#ref
    }
}
impl Row for LoadBalancer {
    fn resource_ref(&self) -> &ResourceRef {
        &self.r#ref
    }
}

#[derive(Debug, Clone)]
struct Bucket<T> {
    /// Bumped whenever the rows change, so views can redo just this bucket.
    version: u64,
    rows: Vec<T>,
    /// Each row's [`ResourceRef::key`] → its position in `rows`.
    index: HashMap<Str, usize>,
}

impl<T: Row> Bucket<T> {
    fn new(rows: Vec<T>) -> Self {
        let index = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.resource_ref().key(), i))
            .collect();
        Bucket {
            version: 0,
            rows,
            index,
        }
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
}

/// Rows of one kind, bucketed by (account, region) so a scope's fetch replaces just its bucket.
/// A bucket keeps its slot for good, so positions stay cheap to use.
#[derive(Debug, Clone)]
pub struct Table<T> {
    buckets: Vec<Bucket<T>>,
    slots: HashMap<(Str, Str), usize>,
    len: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            buckets: Vec::new(),
            slots: HashMap::new(),
            len: 0,
        }
    }
}

impl<T: Row> Table<T> {
    fn slot(&mut self, account: &str, region: &str) -> usize {
        let key = (Str::from(account), Str::from(region));
        if let Some(&i) = self.slots.get(&key) {
            return i;
        }
        self.buckets.push(Bucket::new(Vec::new()));
        self.slots.insert(key, self.buckets.len() - 1);
        self.buckets.len() - 1
    }

    fn find(&self, r: &ResourceRef) -> Option<usize> {
        self.slots
            .get(&(r.account.clone(), r.region.clone()))
            .copied()
    }

    /// Replace one scope's rows. Returns false when they are the same as before (nothing to
    /// recompute).
    pub fn replace(&mut self, account: &str, region: &str, rows: Vec<T>) -> bool
    where
        T: PartialEq,
    {
        let i = self.slot(account, region);
        if self.buckets[i].rows == rows {
            return false;
        }
        self.len = self.len - self.buckets[i].rows.len() + rows.len();
        let version = self.buckets[i].version + 1;
        self.buckets[i] = Bucket::new(rows);
        self.buckets[i].version = version;
        true
    }

    pub fn upsert(&mut self, row: T) {
        let r = row.resource_ref();
        let i = self.slot(&r.account.clone(), &r.region.clone());
        let bucket = &mut self.buckets[i];
        bucket.version += 1;
        let id = row.resource_ref().key();
        match bucket.index.get(&id) {
            Some(&j) => bucket.rows[j] = row,
            None => {
                bucket.index.insert(id, bucket.rows.len());
                bucket.rows.push(row);
                self.len += 1;
            }
        }
    }

    pub fn remove(&mut self, r: &ResourceRef) -> Option<T> {
        let slot = self.find(r)?;
        let bucket = &mut self.buckets[slot];
        let i = bucket.index.remove(&r.key())?;
        let row = bucket.rows.remove(i);
        let version = bucket.version + 1;
        *bucket = Bucket::new(std::mem::take(&mut bucket.rows));
        bucket.version = version;
        self.len -= 1;
        Some(row)
    }

    pub fn get(&self, r: &ResourceRef) -> Option<&T> {
        let bucket = &self.buckets[self.find(r)?];
        bucket.index.get(&r.key()).map(|&i| &bucket.rows[i])
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
