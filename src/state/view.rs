//! What one pane shows: its rows sorted, then filtered, as positions in the inventory. Sorting
//! is redone only when the rows or the sort change; a filter keystroke only re-filters the
//! sorted list, which keeps typing fast at 100k rows.

use std::collections::HashSet;

use crate::domain::{ResourceKind, ResourceRef};
use crate::filter::{Filter, FilterError, Filterable};
use crate::inventory::{Inventory, KeptKeys, Row, RowPos, SortField, SortKeys, Sortable, Table};

#[derive(Debug, Clone)]
pub struct PaneState {
    pub kind: Option<ResourceKind>,
    /// Every row, in sort order.
    pub sorted: Vec<RowPos>,
    /// The rows shown: `sorted` through the filter.
    pub rows: Vec<RowPos>,
    /// The inventory rows generation `sorted` was made from.
    pub sorted_at: u64,
    /// The table's bucket versions `sorted` was made from.
    pub sorted_versions: Vec<u64>,
    /// `sorted`'s packed sort keys, in its order, for merging a scope's new rows in.
    sorted_keys: KeptKeys,
    pub selected: usize,
    pub offset: usize,
    /// The selected row's ref, to find it again after the rows change.
    pub selected_ref: Option<ResourceRef>,
    /// The user moved the cursor: from then on it follows its row when rows change. Until then
    /// it stays on the first row, whichever scope answers first.
    pub moved: bool,
    pub marks: HashSet<ResourceRef>,
    pub sort: SortKeys,
    /// The column the sort is on (index into the pane's columns).
    pub sort_column: usize,
    pub filter_text: String,
    pub filter: Filter,
    pub filter_error: Option<FilterError>,
    /// The last few filters' rows over the current `sorted`, newest last, so erasing what was
    /// just typed puts back rows already found instead of testing every row again. Emptied
    /// whenever `sorted` changes.
    earlier: Vec<(Filter, Vec<RowPos>)>,
}

/// How many earlier filters' rows a pane keeps (at most 800 KB each at 100k rows).
const EARLIER_KEPT: usize = 6;

impl PaneState {
    pub fn new(kind: Option<ResourceKind>) -> Self {
        PaneState {
            kind,
            sorted: Vec::new(),
            rows: Vec::new(),
            sorted_at: u64::MAX,
            sorted_versions: Vec::new(),
            sorted_keys: KeptKeys::default(),
            selected: 0,
            offset: 0,
            selected_ref: None,
            moved: false,
            marks: HashSet::new(),
            sort: SortKeys::parse("account,region,name").expect("valid"),
            sort_column: 3,
            filter_text: String::new(),
            filter: Filter::default(),
            filter_error: None,
            earlier: Vec::new(),
        }
    }

    /// Forget earlier filters' rows (the prices `cost` terms read changed).
    pub fn forget_earlier_filters(&mut self) {
        self.earlier.clear();
    }

    /// The prices changed (the console's arrive after its first rows): a sort by cost is made
    /// again and a filter run again (its `cost` terms read them) when the view next refreshes.
    pub fn prices_changed(&mut self) {
        self.forget_earlier_filters();
        let by_cost = self.sort.0.iter().any(|k| k.field == SortField::Cost);
        if by_cost {
            self.sorted_versions.clear();
        }
        if by_cost || !self.filter.is_empty() {
            self.sorted_at = u64::MAX;
        }
    }

    /// The ref of the row at `i` in the shown rows.
    pub fn ref_at(&self, inv: &Inventory, i: usize) -> Option<ResourceRef> {
        let pos = *self.rows.get(i)?;
        match self.kind? {
            ResourceKind::Instance => inv.instances.at(pos).map(|r| r.r#ref.clone()),
            ResourceKind::Disk => inv.disks.at(pos).map(|r| r.r#ref.clone()),
            ResourceKind::LoadBalancer => inv.load_balancers.at(pos).map(|r| r.r#ref.clone()),
            ResourceKind::Network => inv.networks.at(pos).map(|r| r.r#ref.clone()),
        }
    }

    /// Where `r` is among the shown rows.
    pub fn position_of(&self, inv: &Inventory, r: &ResourceRef) -> Option<usize> {
        fn find<T: Row>(rows: &[RowPos], t: &Table<T>, r: &ResourceRef) -> Option<usize> {
            rows.iter()
                .position(|p| t.at(*p).is_some_and(|x| x.resource_ref() == r))
        }
        match self.kind? {
            ResourceKind::Instance => find(&self.rows, &inv.instances, r),
            ResourceKind::Disk => find(&self.rows, &inv.disks, r),
            ResourceKind::LoadBalancer => find(&self.rows, &inv.load_balancers, r),
            ResourceKind::Network => find(&self.rows, &inv.networks, r),
        }
    }

    pub fn selected_ref(&self, inv: &Inventory) -> Option<ResourceRef> {
        self.ref_at(inv, self.selected)
    }

    /// Bring the view up to date: re-sort if the rows changed (or `force`), re-filter, and keep
    /// the selection on the same resource when it is still shown.
    pub fn refresh(&mut self, inv: &Inventory, force: bool) {
        let Some(kind) = self.kind else { return };
        let resort = force || self.sorted_at != inv.rows_generation;
        let keep = self.selected_ref.clone();
        match kind {
            ResourceKind::Instance => self.rebuild(&inv.instances, resort, force, None),
            ResourceKind::Disk => self.rebuild(&inv.disks, resort, force, None),
            ResourceKind::LoadBalancer => self.rebuild(&inv.load_balancers, resort, force, None),
            ResourceKind::Network => self.rebuild(&inv.networks, resort, force, None),
        }
        self.sorted_at = inv.rows_generation;
        if resort {
            // Drop marks on rows that are gone.
            let present: HashSet<ResourceRef> = self
                .marks
                .iter()
                .filter(|r| inv.get(r).is_some())
                .cloned()
                .collect();
            self.marks = present;
        }
        if !self.moved {
            self.selected = 0;
            self.offset = 0;
        } else if let Some(r) = keep {
            if let Some(i) = self.position_of(inv, &r) {
                self.selected = i;
            }
        }
        self.clamp();
        self.selected_ref = self.selected_ref(inv);
    }

    /// Change the filter: when the new one narrows the old (more typed), only the rows shown
    /// now are tested again.
    /// An earlier filter's rows (erasing, or going back to it) are put back as they were.
    pub fn set_filter(&mut self, inv: &Inventory, filter: Filter) {
        let current = self.sorted_at == inv.rows_generation;
        let known = current
            .then(|| self.earlier.iter().position(|(f, _)| *f == filter))
            .flatten()
            .map(|i| self.earlier.remove(i).1);
        let narrower = current && known.is_none() && filter.narrows(&self.filter);
        let old = std::mem::replace(&mut self.filter, filter);
        if current && !old.is_empty() && old != self.filter {
            self.earlier.push((old, self.rows.clone()));
            if self.earlier.len() > EARLIER_KEPT {
                self.earlier.remove(0);
            }
        }
        let from = narrower.then(|| std::mem::take(&mut self.rows));
        self.selected = 0;
        self.offset = 0;
        self.selected_ref = None;
        if !current {
            self.refresh(inv, false);
            return;
        }
        if let Some(rows) = known {
            self.rows = rows;
            self.clamp();
            self.selected_ref = self.selected_ref(inv);
            return;
        }
        match self.kind {
            Some(ResourceKind::Instance) => self.rebuild(&inv.instances, false, false, from),
            Some(ResourceKind::Disk) => self.rebuild(&inv.disks, false, false, from),
            Some(ResourceKind::LoadBalancer) => {
                self.rebuild(&inv.load_balancers, false, false, from)
            }
            Some(ResourceKind::Network) => self.rebuild(&inv.networks, false, false, from),
            None => {}
        }
        self.clamp();
        self.selected_ref = self.selected_ref(inv);
    }

    fn rebuild<T: Row + Filterable + Sortable + Sync>(
        &mut self,
        table: &Table<T>,
        resort: bool,
        force: bool,
        from: Option<Vec<RowPos>>,
    ) {
        if resort {
            let versions = table.versions();
            let changed: Vec<usize> = (0..versions.len())
                .filter(|&b| self.sorted_versions.get(b) != Some(&versions[b]))
                .collect();
            // A merge by the kept keys reads only the new rows: cheaper than sorting them all
            // however many scopes changed. No keys are kept for no sort keys or more than four:
            // those sort whole.
            let incremental = !force && !self.sorted_versions.is_empty();
            let merged = incremental && (changed.is_empty() || self.merge_kept(table, &changed));
            if !merged {
                let mut all: Vec<(RowPos, &T)> = table.positions().collect();
                self.sort
                    .sort_keeping(&mut all, |(_, r)| *r, &mut self.sorted_keys);
                self.sorted = all.into_iter().map(|(p, _)| p).collect();
            }
            self.sorted_versions = versions;
            // Rows found for earlier filters were positions in the old order.
            self.earlier.clear();
        }
        let source = from.as_deref().unwrap_or(&self.sorted);
        self.rows = if self.filter.is_empty() {
            source.to_vec()
        } else {
            filter_parallel(source, table, &self.filter)
        };
    }

    /// Merge the rows of the buckets that changed into the rest by the keys kept from the last
    /// sort. False, with nothing done, when no keys are kept for this sort.
    fn merge_kept<T: Row + Sortable>(&mut self, table: &Table<T>, changed: &[usize]) -> bool {
        let fresh: Vec<RowPos> = changed
            .iter()
            .flat_map(|&b| table.bucket_positions(b).map(|(p, _)| p))
            .collect();
        let gone = |p: &RowPos| changed.contains(&p.bucket()) || table.at(*p).is_none();
        self.sort
            .merge_keeping(&mut self.sorted, &mut self.sorted_keys, fresh, gone, |p| {
                table.at(*p).expect("a row of the table")
            })
    }

    /// Make what a filter keystroke on this pane will read (each bucket's folded free text),
    /// if it is not made yet: the console does this after drawing the frame that opened the
    /// filter, so the first key typed does not wait for it. True if anything was made.
    pub fn prepare_filter(&self, inv: &Inventory) -> bool {
        fn make<T: Row + Filterable + Sync>(t: &Table<T>) -> bool {
            if t.len() < PARALLEL_FROM || t.texts_made() {
                return false;
            }
            t.make_texts(filter_threads());
            true
        }
        match self.kind {
            Some(ResourceKind::Instance) => make(&inv.instances),
            Some(ResourceKind::Disk) => make(&inv.disks),
            Some(ResourceKind::LoadBalancer) => make(&inv.load_balancers),
            Some(ResourceKind::Network) => make(&inv.networks),
            None => false,
        }
    }

    pub fn clamp(&mut self) {
        if self.rows.is_empty() {
            self.selected = 0;
        } else if self.selected >= self.rows.len() {
            self.selected = self.rows.len() - 1;
        }
    }

    /// Keep the selection inside the window of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.rows.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

/// Fewer rows than this are filtered on one thread (starting threads would cost more).
const PARALLEL_FROM: usize = 20_000;

/// The threads a filter, and the folded text it reads, are made on: every core, at most 8.
fn filter_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

/// The positions in `rows` whose row passes `filter`, in `rows`' order, on every core.
///
/// The rows are tested in the order they are stored (bucket by bucket), not in `rows`' order:
/// `rows` is in sort order, which jumps about memory, and at 100k rows a filter keystroke spent
/// most of its time waiting on cache misses for the rows' fields. One flag per stored row says
/// whether to test it and then whether it passed; `rows` is walked once more to keep the
/// passing ones in order. The same rows pass, in the same order, as testing `rows` one by one.
fn filter_parallel<T: Row + Filterable + Sync>(
    rows: &[RowPos],
    table: &Table<T>,
    filter: &Filter,
) -> Vec<RowPos> {
    // Where each bucket's flags start.
    let mut first = Vec::with_capacity(table.bucket_count() + 1);
    let mut total = 0usize;
    for b in 0..table.bucket_count() {
        first.push(total);
        total += table.bucket_rows(b).len();
    }
    first.push(total);
    let flag = |p: RowPos| -> Option<usize> {
        let b = p.bucket();
        let at = first.get(b)? + p.row_index();
        (at < *first.get(b + 1)?).then_some(at)
    };
    let mut flags = vec![false; total];
    for &p in rows {
        if let Some(i) = flag(p) {
            flags[i] = true;
        }
    }
    // Free text is looked up in each bucket's folded text, read in order (see FreeText).
    let free_text = filter.has_free_text();
    // Test the flagged rows of flags[from..from + chunk.len()], clearing those that fail.
    let test = |from: usize, chunk: &mut [bool]| {
        let end = from + chunk.len();
        // The first bucket that holds flag `from`.
        let mut b = first.partition_point(|&f| f <= from).saturating_sub(1);
        while b < table.bucket_count() && first[b] < end {
            let bucket = table.bucket_rows(b);
            let text = free_text.then(|| table.bucket_text(b)).flatten();
            let lo = first[b].max(from);
            let hi = first[b + 1].min(end);
            for i in lo..hi {
                let row = i - first[b];
                if chunk[i - from]
                    && !filter.matches_with(&bucket[row], text.and_then(|t| t.row(row)))
                {
                    chunk[i - from] = false;
                }
            }
            b += 1;
        }
    };
    let threads = filter_threads();
    if rows.len() < PARALLEL_FROM || threads < 2 {
        test(0, &mut flags);
    } else {
        if free_text {
            // Each bucket's text made first, the buckets shared out among the threads (made
            // inside `test`, a bucket split between two chunks would keep one thread waiting).
            table.make_texts(threads);
        }
        let size = total.div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            for (n, chunk) in flags.chunks_mut(size).enumerate() {
                let test = &test;
                scope.spawn(move || test(n * size, chunk));
            }
        });
    }
    rows.iter()
        .copied()
        .filter(|&p| flag(p).is_some_and(|i| flags[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::action::Action;
    use crate::state::fixture;
    use crate::update::update;

    fn key(s: &mut crate::state::State, c: KeyCode) {
        update(s, Action::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    }

    /// Testing rows in memory order (on two threads above 20,000 rows) keeps exactly the rows
    /// that testing them one by one in sort order keeps, in sort order: typed a key at a time
    /// (narrowing), erased (a full re-filter), and for terms of every sort.
    /// The loop's "after the frame" work: only while a filter is typed, once, and again after
    /// the rows change.
    #[test]
    fn the_filters_text_is_made_once_the_filter_opens() {
        let mut s = fixture::state(24_000);
        assert!(!s.prepare_next_key(), "nothing to make outside a filter");
        assert!(!s.inventory.instances.texts_made());
        key(&mut s, KeyCode::Char('/'));
        assert!(s.prepare_next_key());
        assert!(s.inventory.instances.texts_made());
        assert!(!s.prepare_next_key(), "made once");
        let (is, ds, ls) = crate::providers::sandbox::sample(24_000, 7);
        fixture::deliver(&mut s, is, ds, ls);
        assert!(!s.inventory.instances.texts_made(), "new rows, new text");
        assert!(s.prepare_next_key(), "made again for the new rows");
    }

    #[test]
    fn filtering_in_memory_order_keeps_the_sorted_rows_that_pass() {
        let mut s = fixture::state(24_000);
        // Sort by something other than the storage order, so the orders differ.
        key(&mut s, KeyCode::Char('/'));
        let check = |s: &crate::state::State| {
            let p = s.current();
            let want: Vec<_> = p
                .sorted
                .iter()
                .copied()
                .filter(|&r| {
                    s.inventory
                        .instances
                        .at(r)
                        .is_some_and(|i| p.filter.matches(i))
                })
                .collect();
            assert_eq!(p.rows, want, "filter {:?}", p.filter_text);
            p.rows.len()
        };
        let mut counts = Vec::new();
        // A key at a time: each narrows the last.
        for c in "pro".chars() {
            key(&mut s, KeyCode::Char(c));
            counts.push(check(&s));
        }
        // Erasing puts back the rows found for `pr` (and `p`): the same as testing again.
        key(&mut s, KeyCode::Backspace);
        counts.push(check(&s));
        key(&mut s, KeyCode::Char('o'));
        // Rows change between typing and erasing: nothing found before is put back.
        let (is, ds, ls) = crate::providers::sandbox::sample(300, 7);
        fixture::deliver(&mut s, is, ds, ls);
        counts.push(check(&s));
        key(&mut s, KeyCode::Backspace);
        counts.push(check(&s));
        key(&mut s, KeyCode::Backspace);
        counts.push(check(&s));
        key(&mut s, KeyCode::Esc);
        for text in ["state:running -web 10.", "region:us-*|eu-* vcpus>=4"] {
            key(&mut s, KeyCode::Char('/'));
            // Typed as one run (a paste): one re-filter at its last key.
            let keys: Vec<Action> = text
                .chars()
                .map(|c| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
                .collect();
            for (i, k) in keys.iter().enumerate() {
                crate::update::update_queued(&mut s, k.clone(), keys.get(i + 1));
            }
            counts.push(check(&s));
            key(&mut s, KeyCode::Esc);
        }
        // The first key tests all 24,000 rows: the path on two threads.
        assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
        assert!(counts.iter().any(|&n| n > 0 && n < 10_000), "{counts:?}");
    }
}
