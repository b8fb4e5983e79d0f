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
    pub selected: usize,
    pub offset: usize,
    /// The selected row's ref, to find it again after the rows change.
    pub selected_ref: Option<ResourceRef>,
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
            selected: 0,
            offset: 0,
            selected_ref: None,
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
            ResourceKind::Instance => self.rebuild(&inv.instances, resort),
            ResourceKind::Disk => self.rebuild(&inv.disks, resort),
            ResourceKind::LoadBalancer => self.rebuild(&inv.load_balancers, resort),
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
        if let Some(r) = keep {
            if let Some(i) = self.position_of(inv, &r) {
                self.selected = i;
            }
        }
        self.clamp();
        self.selected_ref = self.selected_ref(inv);
    }

    fn rebuild<T: Row + Filterable + Sortable>(&mut self, table: &Table<T>, resort: bool) {
        if resort {
            let mut all: Vec<(RowPos, &T)> = table.positions().collect();
            self.sort.sort_by_row(&mut all, |(_, r)| *r);
            self.sorted = all.into_iter().map(|(p, _)| p).collect();
        }
        self.rows = if self.filter.is_empty() {
            self.sorted.clone()
        } else {
            self.sorted
                .iter()
                .copied()
                .filter(|p| table.at(*p).is_some_and(|r| self.filter.matches(r)))
                .collect()
        };
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
