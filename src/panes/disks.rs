use super::{col, per_hour, Cells, Column, Pane, Tone};
use crate::domain::{DiskState, ResourceKind};
use crate::format;
use crate::inventory::{RowPos, SortField as S};
use crate::prices::estimate;
use crate::state::State;

pub struct Disks;

const COLUMNS: &[Column] = &[
    col("PROVIDER", 8, Some(S::Provider), 2),
    col("ACCOUNT", 14, Some(S::Account), 3),
    col("REGION/ZONE", 17, Some(S::Zone), 2),
    col("NAME", 24, Some(S::Name), 1),
    col("ID", 21, Some(S::Id), 2),
    col("STATE", 10, Some(S::State), 1),
    col("TYPE", 15, Some(S::Type), 2),
    col("SIZE", 9, Some(S::Size), 2),
    col("$/H", 7, Some(S::Cost), 2),
    col("ATTACHED TO", 21, None, 3),
    col("DEVICE", 17, None, 4),
    col("TAGS", 30, None, 5),
];

impl Pane for Disks {
    fn title(&self) -> &'static str {
        "Disks"
    }
    fn kind(&self) -> Option<ResourceKind> {
        Some(ResourceKind::Disk)
    }
    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }
    fn cells(&self, s: &State, pos: RowPos) -> Option<Cells> {
        let inv = &s.inventory;
        let d = inv.disks.at(pos)?;
        let cost = estimate::disk(&s.catalog, d);
        let attached = d.attached_to.as_ref().map(|r| {
            inv.instances
                .get(r)
                .map(|i| i.name.to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format::short_id(r))
        });
        Some(Cells {
            text: vec![
                d.r#ref.provider.to_string(),
                d.r#ref.account.to_string(),
                format::place(&d.r#ref, d.zone.as_deref()),
                d.name.to_string(),
                format::short_native_id(d.r#ref.provider, d.id()),
                if d.state.is_transitional() {
                    format!("{}…", d.state)
                } else {
                    d.state.to_string()
                },
                d.disk_type.to_string(),
                format!("{} GiB", d.size_gib),
                per_hour(&cost),
                attached.unwrap_or_default(),
                d.device.as_deref().unwrap_or("").to_string(),
                d.tags.joined(),
            ],
            tone: match d.state {
                DiskState::InUse => Tone::Good,
                DiskState::Available => Tone::Warn,
                DiskState::Error => Tone::Bad,
                _ => Tone::Moving,
            },
            state_column: 5,
        })
    }
}
