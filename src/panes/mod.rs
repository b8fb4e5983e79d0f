//! The console's panes. A pane says what it lists and how its columns read; the reducer and the
//! renderer do the rest. Adding a pane is one new file here and one line in [`PANES`].

mod costs;
mod disks;
mod instances;
mod load_balancers;

use crate::domain::ResourceKind;
use crate::inventory::{RowPos, SortField};
use crate::prices::estimate::Cost;
use crate::state::State;

/// `$/h` cell text: the hourly price, `-` for none, `?` when the catalog has no price.
pub fn per_hour(c: &Cost) -> String {
    match c.hourly_usd {
        Some(h) if h <= 0.0 => "0".into(),
        Some(h) if h < 0.01 => format!("{h:.4}"),
        Some(h) => format!("{h:.3}"),
        None => "?".into(),
    }
}

/// How a cell should look, in words the theme turns into colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Warn,
    Bad,
    /// Passing through (pending, stopping …).
    Moving,
    Muted,
}

pub struct Column {
    pub title: &'static str,
    /// Display width; the last column takes what is left.
    pub width: u16,
    /// What sorting by this column sorts by, if it sorts.
    pub sort: Option<SortField>,
    /// 1 is always shown; on a narrow terminal the highest numbers go first.
    pub priority: u8,
}

pub const fn col(title: &'static str, width: u16, sort: Option<SortField>, priority: u8) -> Column {
    Column {
        title,
        width,
        sort,
        priority,
    }
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
    fn columns(&self) -> &'static [Column];
    /// The cells of the row at `pos` (None if the position is stale).
    fn cells(&self, s: &State, pos: RowPos) -> Option<Cells>;
    /// Text for a pane with no table.
    fn text(&self) -> &'static str {
        ""
    }
}

pub static PANES: &[&dyn Pane] = &[
    &instances::Instances,
    &disks::Disks,
    &load_balancers::LoadBalancers,
    &costs::Costs,
];

/// The pane listing `kind`.
pub fn index_of(kind: ResourceKind) -> usize {
    PANES
        .iter()
        .position(|p| p.kind() == Some(kind))
        .expect("a pane per kind")
}
