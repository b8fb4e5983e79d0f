use std::collections::{BTreeMap, HashMap};

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
    rows: Vec<T>,
    /// Native id → position in `rows`.
    index: HashMap<Str, usize>,
}

impl<T: Row> Bucket<T> {
    fn new(rows: Vec<T>) -> Self {
        let index = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.resource_ref().id.clone(), i))
            .collect();
        Bucket { rows, index }
    }
}

/// Rows of one kind, bucketed by (account, region) so a scope's fetch replaces just its bucket.
#[derive(Debug, Clone)]
pub struct Table<T> {
    buckets: BTreeMap<(Str, Str), Bucket<T>>,
    len: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            buckets: BTreeMap::new(),
            len: 0,
        }
    }
}

impl<T: Row> Table<T> {
    pub fn replace(&mut self, account: &str, region: &str, rows: Vec<T>) {
        let key = (Str::from(account), Str::from(region));
        if let Some(old) = self.buckets.remove(&key) {
            self.len -= old.rows.len();
        }
        self.len += rows.len();
        if !rows.is_empty() {
            self.buckets.insert(key, Bucket::new(rows));
        }
    }

    pub fn upsert(&mut self, row: T) {
        let r = row.resource_ref();
        let key = (r.account.clone(), r.region.clone());
        let bucket = self
            .buckets
            .entry(key)
            .or_insert_with(|| Bucket::new(Vec::new()));
        match bucket.index.get(&r.id) {
            Some(&i) => bucket.rows[i] = row,
            None => {
                bucket.index.insert(r.id.clone(), bucket.rows.len());
                bucket.rows.push(row);
                self.len += 1;
            }
        }
    }

    pub fn remove(&mut self, r: &ResourceRef) -> Option<T> {
        let key = (r.account.clone(), r.region.clone());
        let bucket = self.buckets.get_mut(&key)?;
        let i = bucket.index.remove(&r.id)?;
        let row = bucket.rows.remove(i);
        *bucket = Bucket::new(std::mem::take(&mut bucket.rows));
        self.len -= 1;
        Some(row)
    }

    pub fn get(&self, r: &ResourceRef) -> Option<&T> {
        let bucket = self.buckets.get(&(r.account.clone(), r.region.clone()))?;
        bucket.index.get(&r.id).map(|&i| &bucket.rows[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> + Clone {
        self.buckets.values().flat_map(|b| b.rows.iter())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}
