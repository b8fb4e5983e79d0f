//! What one pane shows: its rows sorted, then filtered, as positions in the inventory. Sorting
//! is redone only when the rows or the sort change; a filter keystroke only re-filters the
//! sorted list, which keeps typing fast at 100k rows.

use std::collections::HashSet;

use crate::domain::{ResourceKind, ResourceRef};
use crate::filter::{Filter, FilterError, Filterable};
use crate::inventory::{Inventory, Row, RowPos, SortKeys, Sortable, Table};

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
}

impl PaneState {
    pub fn new(kind: Option<ResourceKind>) -> Self {
        PaneState {
            kind,
            sorted: Vec::new(),
            rows: Vec::new(),
            sorted_at: u64::MAX,
            sorted_versions: Vec::new(),
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
        }
    }

    /// The ref of the row at `i` in the shown rows.
    pub fn ref_at(&self, inv: &Inventory, i: usize) -> Option<ResourceRef> {
        let pos = *self.rows.get(i)?;
        match self.kind? {
            ResourceKind::Instance => inv.instances.at(pos).map(|r| r.r#ref.clone()),
            ResourceKind::Disk => inv.disks.at(pos).map(|r| r.r#ref.clone()),
            ResourceKind::LoadBalancer => inv.load_balancers.at(pos).map(|r| r.r#ref.clone()),
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
    pub fn set_filter(&mut self, inv: &Inventory, filter: Filter) {
        let narrower = self.sorted_at == inv.rows_generation && filter.narrows(&self.filter);
        let from = narrower.then(|| std::mem::take(&mut self.rows));
        self.filter = filter;
        self.selected = 0;
        self.offset = 0;
        self.selected_ref = None;
        if self.sorted_at != inv.rows_generation {
            self.refresh(inv, false);
            return;
        }
        match self.kind {
            Some(ResourceKind::Instance) => self.rebuild(&inv.instances, false, false, from),
            Some(ResourceKind::Disk) => self.rebuild(&inv.disks, false, false, from),
            Some(ResourceKind::LoadBalancer) => {
                self.rebuild(&inv.load_balancers, false, false, from)
            }
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
            if force || self.sorted_versions.is_empty() || changed.len() * 2 > versions.len() {
                let mut all: Vec<(RowPos, &T)> = table.positions().collect();
                self.sort.sort_by_row(&mut all, |(_, r)| *r);
                self.sorted = all.into_iter().map(|(p, _)| p).collect();
            } else if !changed.is_empty() {
                self.merge_buckets(table, &changed);
            }
            self.sorted_versions = versions;
        }
        let source = from.as_deref().unwrap_or(&self.sorted);
        self.rows = if self.filter.is_empty() {
            source.to_vec()
        } else {
            filter_parallel(source, table, &self.filter)
        };
    }

    /// Re-sort only the buckets that changed and merge them into the rest, which is still in
    /// order: linear in the rows instead of a full sort.
    fn merge_buckets<T: Row + Sortable>(&mut self, table: &Table<T>, changed: &[usize]) {
        let mut fresh: Vec<(RowPos, &T)> = changed
            .iter()
            .flat_map(|&b| table.bucket_positions(b))
            .collect();
        fresh.sort_by_key(|(p, _)| *p);
        self.sort.sort_by_row(&mut fresh, |(_, r)| *r);
        let keep = self
            .sorted
            .iter()
            .copied()
            .filter(|p| !changed.contains(&p.bucket()));
        let mut out = Vec::with_capacity(self.sorted.len() + fresh.len());
        let mut fresh = fresh.into_iter().peekable();
        for p in keep {
            let Some(row) = table.at(p) else { continue };
            while let Some((q, r)) = fresh.peek() {
                // Ties go by position, as in a full sort.
                let before = self.sort.compare(*r, row).then(q.cmp(&p)).is_lt();
                if !before {
                    break;
                }
                out.push(*q);
                fresh.next();
            }
            out.push(p);
        }
        out.extend(fresh.map(|(q, _)| q));
        self.sorted = out;
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

/// The positions in `rows` whose row passes `filter`, in order, on every core.
fn filter_parallel<T: Row + Filterable + Sync>(
    rows: &[RowPos],
    table: &Table<T>,
    filter: &Filter,
) -> Vec<RowPos> {
    let pass = |chunk: &[RowPos]| -> Vec<RowPos> {
        chunk
            .iter()
            .copied()
            .filter(|p| table.at(*p).is_some_and(|r| filter.matches(r)))
            .collect()
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if rows.len() < 20_000 || threads < 2 {
        return pass(rows);
    }
    let size = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = rows
            .chunks(size)
            .map(|c| scope.spawn(move || pass(c)))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().expect("filter thread"))
            .collect()
    })
}
