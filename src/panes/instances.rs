use super::{col, per_hour, Cells, Column, Pane, Tone};
use crate::domain::{InstanceState, ResourceKind};
use crate::format;
use crate::inventory::{RowPos, SortField as S};
use crate::prices::estimate;
use crate::state::State;

pub struct Instances;

const COLUMNS: &[Column] = &[
    col("PROVIDER", 8, Some(S::Provider), 2),
    col("ACCOUNT", 14, Some(S::Account), 3),
    col("REGION/ZONE", 17, Some(S::Zone), 2),
    col("NAME", 22, Some(S::Name), 1),
    col("ID", 21, Some(S::Id), 2),
    col("STATE", 12, Some(S::State), 1),
    col("TYPE", 16, Some(S::Type), 2),
    col("CPU/MEM", 8, Some(S::Vcpus), 3),
    col("$/H", 7, Some(S::Cost), 2),
    col("IPS", 26, None, 4),
    col("AGE", 5, Some(S::Age), 3),
    col("TAGS", 30, None, 5),
];

pub fn tone(s: InstanceState) -> Tone {
    match s {
        InstanceState::Running => Tone::Good,
        InstanceState::Stopped => Tone::Muted,
        InstanceState::Terminated => Tone::Bad,
        InstanceState::Unknown => Tone::Warn,
        _ => Tone::Moving,
    }
}

impl Pane for Instances {
    fn title(&self) -> &'static str {
        "Instances"
    }
    fn kind(&self) -> Option<ResourceKind> {
        Some(ResourceKind::Instance)
    }
    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }
    fn cells(&self, s: &State, pos: RowPos) -> Option<Cells> {
        let (inv, now) = (&s.inventory, s.now);
        let i = inv.instances.at(pos)?;
        let cost = estimate::instance(&s.catalog, i);
        let mut state = i.state.to_string();
        if i.state.is_transitional() {
            state.push('…');
        }
        if i.spot {
            state.push_str(" spot");
        }
        let ips = match (&i.private_ip, &i.public_ip) {
            (Some(a), Some(b)) => format!("{a} {b}"),
            (Some(a), None) => a.to_string(),
            (None, Some(b)) => b.to_string(),
            (None, None) => String::new(),
        };
        Some(Cells {
            text: vec![
                i.r#ref.provider.to_string(),
                i.account().to_string(),
                format::place(&i.r#ref, i.zone.as_deref()),
                i.name.to_string(),
                format::short_native_id(i.r#ref.provider, i.id()),
                state,
                i.instance_type.to_string(),
                match (i.vcpus, i.memory_gib) {
                    (Some(c), Some(m)) => format!("{c}/{}", format::gib(m)),
                    _ => "?".into(),
                },
                per_hour(&cost),
                ips,
                i.launched_at
                    .map(|t| format::age(t, now))
                    .unwrap_or_default(),
                i.tags.joined(),
            ],
            tone: tone(i.state),
            state_column: 5,
        })
    }
}
