//! Load balancers (ELB, forwarding rules with target pools, Azure load balancers).

use super::{FieldDef, Kind, Out, Tone, Value, Views};
use crate::domain::{LbState, LoadBalancer, ResourceKind, ResourceRef, Tags};
use crate::filter::{Field as F, NumField as N};
use crate::inventory::{Inventory, Row, SortField as S, Table};

type D = FieldDef<LoadBalancer>;

/// JSON and CSV print the fields in this order (docs/cli.md): JSON lists the targets, CSV
/// counts them and the healthy ones.
const FIELDS: &[D] = &[
    D::reference(),
    D::provider().cli(2, "provider"),
    D::account().cli(3, "account"),
    D::new("sandbox", |l| Value::Bool(l.sandbox)),
    D::region().console(3, "REGION", 15, 2).cli(4, "region"),
    D::new("id", |l| Value::Str(Kind::row_id(l)))
        .filter(F::Id)
        .sort(S::Id),
    D::new("name", |l| Value::Str(Kind::row_name(l)))
        .filter(F::Name)
        .sort(S::Name)
        .console(4, "NAME", 22, 1)
        .cli(1, "name"),
    D::new("kind", |l| Value::Str(l.kind.as_str()))
        .filter(F::Type)
        .sort(S::Type)
        .console(5, "KIND", 11, 2)
        .cli(5, "kind"),
    D::new("scheme", |l| Value::Str(l.scheme.as_str()))
        .console(6, "SCHEME", 15, 4)
        .cli(6, "scheme"),
    D::new("dns_name", |l| Value::OptStr(l.dns_name.as_deref()))
        .console(9, "DNS NAME", 34, 4)
        .cli(9, "dns name"),
    D::new("state", |l| Value::Str(l.state.as_str()))
        .filter(F::State)
        .sort(S::State)
        .console(7, "STATE", 13, 1)
        .console_cell(|l, _| {
            if l.state.is_transitional() {
                format!("{}…", l.state)
            } else {
                l.state.to_string()
            }
        })
        .cli(7, "state"),
    D::new("provider_state", |l| Value::Str(&l.provider_state))
        .filter(F::ProviderState)
        .out(Out::Neither),
    D::new("targets", |l| Value::Targets(&l.targets))
        .number(N::Targets)
        .sort(S::Targets)
        .console(8, "TARGETS", 18, 2)
        .console_cell(|l, _| targets_text(l))
        .cli(8, "targets")
        .cli_cell(|l, _| format!("{}/{} healthy", l.healthy_targets(), l.targets.len())),
    D::new("healthy_targets", |l| {
        Value::Int(Some(l.healthy_targets() as u64))
    })
    .out(Out::Csv),
    D::new("tags", |l| Value::Tags(&l.tags)).console(10, "TAGS", 30, 5),
];

static VIEWS: Views<LoadBalancer> = Views::new();

impl Row for LoadBalancer {
    fn resource_ref(&self) -> &ResourceRef {
        &self.r#ref
    }
}

impl Kind for LoadBalancer {
    const KIND: ResourceKind = ResourceKind::LoadBalancer;
    const TITLE: &'static str = "Load balancers";
    const WHAT: &'static str = "load balancer";
    const FIELDS: &'static [FieldDef<Self>] = FIELDS;

    fn table(inv: &Inventory) -> &Table<Self> {
        &inv.load_balancers
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
            LbState::Active if self.targets.is_empty() || self.healthy_targets() == 0 => Tone::Warn,
            LbState::Active => Tone::Good,
            LbState::Failed => Tone::Bad,
            _ => Tone::Moving,
        }
    }
    fn more_text(&self) -> [Option<&str>; 4] {
        [
            Some(self.kind.as_str()),
            self.dns_name.as_deref(),
            None,
            None,
        ]
    }
    fn tags(&self) -> &Tags {
        &self.tags
    }
}

/// The targets in words: `2/2 healthy`, or how many are healthy and what the others are
/// (`0/1 · 1 unhealthy`), the worst first, as the console's TARGETS column says it.
pub fn targets_text(l: &LoadBalancer) -> String {
    use crate::domain::TargetHealth as H;
    let n = l.targets.len();
    if n == 0 {
        return "none".into();
    }
    let healthy = l.healthy_targets();
    if healthy == n {
        return format!("{n}/{n} healthy");
    }
    let mut others: Vec<(usize, H)> =
        [H::Unhealthy, H::Initial, H::Draining, H::Unused, H::Unknown]
            .into_iter()
            .map(|h| (l.targets.iter().filter(|t| t.health == h).count(), h))
            .filter(|(c, _)| *c > 0)
            .collect();
    let (count, worst) = others.remove(0);
    let more = if others.is_empty() {
        String::new()
    } else {
        format!(" +{}", others.iter().map(|(c, _)| c).sum::<usize>())
    };
    format!("{healthy}/{n} · {count} {worst}{more}")
}
