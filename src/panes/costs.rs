use super::{Cells, Column, Pane};
use crate::domain::ResourceKind;
use crate::inventory::RowPos;

/// The Costs pane: not a resource table (`ui::costs` draws it).
pub struct Costs;

impl Pane for Costs {
    fn title(&self) -> &'static str {
        "Costs"
    }
    fn kind(&self) -> Option<ResourceKind> {
        None
    }
    fn columns(&self) -> &[Column] {
        &[]
    }
    fn cells(&self, _ctx: &crate::kinds::Ctx<'_>, _pos: RowPos) -> Option<Cells> {
        None
    }
}
