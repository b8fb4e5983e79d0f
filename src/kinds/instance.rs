//! Instances: virtual machines (EC2, Compute Engine, Azure VMs).

use super::{per_hour, place, short_id, Ctx, FieldDef, Kind, Out, Tone, Value, Views};
use crate::domain::{Instance, InstanceState, ResourceKind, ResourceRef, Tags};
use crate::filter::{Field as F, NumField as N};
use crate::format;
use crate::inventory::{Inventory, Row, SortField as S, Table};
use crate::prices::estimate;

type D = FieldDef<Instance>;

/// JSON and CSV print the fields in this order (docs/cli.md).
const FIELDS: &[D] = &[
    D::reference(),
    D::provider().cli(3, "provider"),
    D::account().cli(4, "account"),
    D::new("sandbox", |i| Value::Bool(i.sandbox)),
    D::region(),
    D::new("zone", |i| Value::OptStr(i.zone.as_deref()))
        .filter(F::Zone)
        .sort(S::Zone)
        .console(3, "REGION/ZONE", 17, 2)
        .console_cell(place)
        .cli(5, "zone")
        .cli_cell(place),
    D::new("id", |i| Value::Str(Kind::row_id(i)))
        .filter(F::Id)
        .sort(S::Id)
        .console(5, "ID", 21, 2)
        .console_cell(short_id)
        .cli(2, "id")
        .cli_cell(short_id),
    D::new("name", |i| Value::Str(Kind::row_name(i)))
        .filter(F::Name)
        .sort(S::Name)
        .console(4, "NAME", 22, 1)
        .cli(1, "name"),
    D::new("state", |i| Value::Str(i.state.as_str()))
        .filter(F::State)
        .sort(S::State)
        .console(6, "STATE", 12, 1)
        .console_cell(|i, _| {
            let mut state = i.state.to_string();
            if i.state.is_transitional() {
                state.push('…');
            }
            if i.spot {
                state.push_str(" spot");
            }
            state
        })
        .cli(6, "state")
        .cli_cell(|i, _| {
            let mut state = i.state.to_string();
            if i.spot {
                state.push_str(" (spot)");
            }
            state
        }),
    D::new("provider_state", |i| Value::Str(&i.provider_state)).filter(F::ProviderState),
    D::new("type", |i| Value::Str(&i.instance_type))
        .filter(F::Type)
        .sort(S::Type)
        .console(7, "TYPE", 16, 2)
        .cli(7, "type"),
    D::new("vcpus", |i| Value::Int(i.vcpus.map(u64::from)))
        .number(N::Vcpus)
        .sort(S::Vcpus)
        .console(8, "CPU/MEM", 8, 3)
        .console_cell(|i, _| match (i.vcpus, i.memory_gib) {
            (Some(c), Some(m)) => format!("{c}/{}", format::gib(m)),
            _ => "?".into(),
        })
        .cli(8, "cpu"),
    D::new("memory_gib", |i| Value::Float(i.memory_gib))
        .number(N::Memory)
        .sort(S::Memory)
        .cli(9, "mem")
        .cli_cell(|i, _| i.memory_gib.map(format::gib).unwrap_or_default()),
    D::new("private_ip", |i| Value::OptStr(i.private_ip.as_deref()))
        .console(10, "IPS", 26, 4)
        .console_cell(|i, _| match (&i.private_ip, &i.public_ip) {
            (Some(a), Some(b)) => format!("{a} {b}"),
            (Some(a), None) => a.to_string(),
            (None, Some(b)) => b.to_string(),
            (None, None) => String::new(),
        })
        .cli(11, "private ip"),
    D::new("public_ip", |i| Value::OptStr(i.public_ip.as_deref())).cli(12, "public ip"),
    D::new("spot", |i| Value::Bool(i.spot)),
    D::new("launched_at", |i| Value::Time(i.launched_at)).sort(S::Launched),
    D::new("tags", |i| Value::Tags(&i.tags)).console(12, "TAGS", 30, 5),
    D::new("cost", |_| Value::Derived)
        .out(Out::Neither)
        .sort(S::Cost)
        .console(9, "$/H", 7, 2)
        .console_cell(cost)
        .cli(10, "$/h")
        .cli_cell(cost),
    D::new("age", |i| Value::Age(i.launched_at))
        .out(Out::Neither)
        .sort(S::Age)
        .console(11, "AGE", 5, 3)
        .console_cell(age)
        .cli(13, "age")
        .cli_cell(age),
];

fn cost(i: &Instance, c: &Ctx<'_>) -> String {
    per_hour(&estimate::instance(c.catalog, i))
}

fn age(i: &Instance, c: &Ctx<'_>) -> String {
    i.launched_at
        .map(|t| format::age(t, c.now))
        .unwrap_or_default()
}

static VIEWS: Views<Instance> = Views::new();

impl Row for Instance {
    fn resource_ref(&self) -> &ResourceRef {
        &self.r#ref
    }
}

impl Kind for Instance {
    const KIND: ResourceKind = ResourceKind::Instance;
    const TITLE: &'static str = "Instances";
    const WHAT: &'static str = "instance";
    const FIELDS: &'static [FieldDef<Self>] = FIELDS;

    fn table(inv: &Inventory) -> &Table<Self> {
        &inv.instances
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
            InstanceState::Running => Tone::Good,
            InstanceState::Stopped => Tone::Muted,
            InstanceState::Terminated => Tone::Bad,
            InstanceState::Unknown => Tone::Warn,
            _ => Tone::Moving,
        }
    }
    fn more_text(&self) -> [Option<&str>; 4] {
        [
            Some(&self.instance_type),
            self.zone.as_deref(),
            self.private_ip.as_deref(),
            self.public_ip.as_deref(),
        ]
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
    fn is_spot(&self) -> bool {
        self.spot
    }
    fn launched(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.launched_at
    }
}
