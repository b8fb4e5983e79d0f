use super::{Cells, Column, Pane};
use crate::domain::ResourceKind;
use crate::inventory::RowPos;
use crate::state::State;

/// Costs come with the price catalog; until then the pane says so.
pub struct Costs;

impl Pane for Costs {
    fn title(&self) -> &'static str {
        "Costs"
    }
    fn kind(&self) -> Option<ResourceKind> {
        None
    }
    fn columns(&self) -> &'static [Column] {
        &[]
    }
    fn cells(&self, _s: &State, _pos: RowPos) -> Option<Cells> {
        None
    }
    fn text(&self) -> &'static str {
        "No price catalog in this build yet: costs per resource, totals and findings arrive with it."
    }
}
