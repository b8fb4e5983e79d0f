//! The console's panes. A pane says what it lists and how its columns read; the reducer and the
//! renderer do the rest. A resource kind's pane is [`KindPane`] over its table (`crate::kinds`):
//! adding a kind's pane is one line in [`PANES`].

mod costs;

use std::marker::PhantomData;
use std::sync::OnceLock;

use crate::domain::network::NetworkRow;
use crate::domain::{Disk, Instance, LoadBalancer, ResourceKind};
use crate::inventory::{RowPos, SortField};
use crate::kinds::{self, Kind};

pub use crate::kinds::Tone;

pub struct Column {
    pub title: &'static str,
    /// Display width; the last column takes what is left.
    pub width: u16,
    /// What sorting by this column sorts by, if it sorts.
    pub sort: Option<SortField>,
    /// 1 is always shown; on a narrow terminal the highest numbers go first.
    pub priority: u8,
}

pub struct Cells {
    pub text: Vec<String>,
    /// The tone of the state column (the others are plain).
    pub tone: Tone,
    pub state_column: usize,
}

pub trait Pane: Sync {
    fn title(&self) -> &'static str;
    /// The resources it lists; None for a pane that is not a resource table.
    fn kind(&self) -> Option<ResourceKind>;
    fn columns(&self) -> &[Column];
    /// The cells of the row at `pos` of `ctx`'s inventory (None if the position is stale).
    fn cells(&self, ctx: &kinds::Ctx<'_>, pos: RowPos) -> Option<Cells>;
}

/// The pane of kind `T`: its table's console columns, left to right.
pub struct KindPane<T: 'static> {
    columns: OnceLock<Vec<Column>>,
    kind: PhantomData<fn() -> T>,
}

impl<T> KindPane<T> {
    pub const fn new() -> Self {
        KindPane {
            columns: OnceLock::new(),
            kind: PhantomData,
        }
    }
}

impl<T> Default for KindPane<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Kind> Pane for KindPane<T> {
    fn title(&self) -> &'static str {
        T::TITLE
    }
    fn kind(&self) -> Option<ResourceKind> {
        Some(T::KIND)
    }
    fn columns(&self) -> &[Column] {
        self.columns.get_or_init(|| {
            T::console_fields()
                .iter()
                .filter_map(|d| {
                    d.console.as_ref().map(|c| Column {
                        title: c.title,
                        width: c.width,
                        sort: d.sort,
                        priority: c.priority,
                    })
                })
                .collect()
        })
    }
    fn cells(&self, ctx: &kinds::Ctx<'_>, pos: RowPos) -> Option<Cells> {
        let row = T::table(ctx.inventory?).at(pos)?;
        let (text, state_column) = kinds::console_row(row, ctx);
        Some(Cells {
            text,
            tone: row.tone(),
            state_column,
        })
    }
}

static INSTANCES: KindPane<Instance> = KindPane::new();
static DISKS: KindPane<Disk> = KindPane::new();
static LOAD_BALANCERS: KindPane<LoadBalancer> = KindPane::new();
static NETWORKS: KindPane<NetworkRow> = KindPane::new();

/// In tab order (the keys 1 to 5): the Costs pane keeps its key 4, networks came after.
pub static PANES: &[&dyn Pane] = &[
    &INSTANCES,
    &DISKS,
    &LOAD_BALANCERS,
    &costs::Costs,
    &NETWORKS,
];

/// The pane listing `kind` (None: the Costs pane, the one that is not a resource table).
pub fn index_of(kind: Option<ResourceKind>) -> usize {
    PANES
        .iter()
        .position(|p| p.kind() == kind)
        .expect("a pane per kind")
}
