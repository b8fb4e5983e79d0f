//! Disks: block volumes (EBS volumes, persistent disks, Azure managed disks).

use super::{per_hour, place, short_id, Ctx, FieldDef, Kind, Out, Tone, Value, Views};
use crate::domain::{Disk, DiskState, ResourceKind, ResourceRef, Tags};
use crate::filter::{Field as F, NumField as N};
use crate::format;
use crate::inventory::{Inventory, Row, SortField as S, Table};
use crate::prices::estimate;

type D = FieldDef<Disk>;

/// JSON and CSV print the fields in this order (docs/cli.md).
const FIELDS: &[D] = &[
    D::reference(),
    D::provider().cli(3, "provider"),
    D::account().cli(4, "account"),
    D::new("sandbox", |d| Value::Bool(d.sandbox)),
    D::region(),
    D::new("zone", |d| Value::OptStr(d.zone.as_deref()))
        .filter(F::Zone)
        .sort(S::Zone)
        .console(3, "REGION/ZONE", 17, 2)
        .console_cell(place)
        .cli(5, "zone")
        .cli_cell(place),
    D::new("id", |d| Value::Str(Kind::row_id(d)))
        .filter(F::Id)
        .sort(S::Id)
        .console(5, "ID", 21, 2)
        .console_cell(short_id)
        .cli(2, "id")
        .cli_cell(short_id),
    D::new("name", |d| Value::Str(Kind::row_name(d)))
        .filter(F::Name)
        .sort(S::Name)
        .console(4, "NAME", 24, 1)
        .cli(1, "name"),
    D::new("state", |d| Value::Str(d.state.as_str()))
        .filter(F::State)
        .sort(S::State)
        .console(6, "STATE", 10, 1)
        .console_cell(|d, _| {
            if d.state.is_transitional() {
                format!("{}…", d.state)
            } else {
                d.state.to_string()
            }
        })
        .cli(6, "state"),
    D::new("provider_state", |d| Value::Str(&d.provider_state))
        .filter(F::ProviderState)
        .out(Out::Neither),
    D::new("size_gib", |d| Value::Int(Some(d.size_gib)))
        .number(N::Size)
        .sort(S::Size)
        .console(8, "SIZE", 9, 2)
        .console_cell(size)
        .cli(8, "size")
        .cli_cell(size),
    D::new("type", |d| Value::Str(&d.disk_type))
        .filter(F::Type)
        .sort(S::Type)
        .console(7, "TYPE", 15, 2)
        .cli(7, "type"),
    D::new("attached_to", |d| Value::OptRef(d.attached_to.as_ref()))
        .console(10, "ATTACHED TO", 21, 3)
        .console_cell(|d, c| {
            d.attached_to
                .as_ref()
                .map(|r| {
                    c.inventory
                        .and_then(|inv| inv.instances.get(r))
                        .map(|i| i.name.to_string())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| format::short_id(r))
                })
                .unwrap_or_default()
        })
        .cli(10, "attached to")
        .cli_cell(|d, _| {
            d.attached_to
                .as_ref()
                .map(format::short_id)
                .unwrap_or_default()
        }),
    D::new("device", |d| Value::OptStr(d.device.as_deref()))
        .console(11, "DEVICE", 17, 4)
        .cli(11, "device"),
    D::new("tags", |d| Value::Tags(&d.tags)).console(12, "TAGS", 30, 5),
    D::new("cost", |_| Value::Derived)
        .out(Out::Neither)
        .sort(S::Cost)
        .console(9, "$/H", 7, 2)
        .console_cell(cost)
        .cli(9, "$/h")
        .cli_cell(cost),
];

fn size(d: &Disk, _: &Ctx<'_>) -> String {
    format!("{} GiB", d.size_gib)
}

fn cost(d: &Disk, c: &Ctx<'_>) -> String {
    per_hour(&estimate::disk(c.catalog, d))
}

static VIEWS: Views<Disk> = Views::new();

impl Row for Disk {
    fn resource_ref(&self) -> &ResourceRef {
        &self.r#ref
    }
}

impl Kind for Disk {
    const KIND: ResourceKind = ResourceKind::Disk;
    const TITLE: &'static str = "Disks";
    const WHAT: &'static str = "disk";
    const FIELDS: &'static [FieldDef<Self>] = FIELDS;

    fn table(inv: &Inventory) -> &Table<Self> {
        &inv.disks
    }
    fn views() -> &'static Views<Self> {
        &VIEWS
    }
    fn row_name(&self) -> &str {
        &self.name
    }
    fn row_id(&self) -> &str {
        self.id()
    }
    fn tone(&self) -> Tone {
        match self.state {
            DiskState::InUse => Tone::Good,
            DiskState::Available => Tone::Warn,
            DiskState::Error => Tone::Bad,
            _ => Tone::Moving,
        }
    }
    fn more_text(&self) -> [Option<&str>; 4] {
        [Some(&self.disk_type), self.zone.as_deref(), None, None]
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}
