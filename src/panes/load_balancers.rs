use super::{col, Cells, Column, Pane, Tone};
use crate::domain::{LbState, ResourceKind};
use crate::inventory::{RowPos, SortField as S};
use crate::state::State;

pub struct LoadBalancers;

const COLUMNS: &[Column] = &[
    col("PROVIDER", 8, Some(S::Provider), 2),
    col("ACCOUNT", 14, Some(S::Account), 3),
    col("REGION", 15, Some(S::Region), 2),
    col("NAME", 22, Some(S::Name), 1),
    col("KIND", 11, Some(S::Type), 2),
    col("SCHEME", 15, None, 4),
    col("STATE", 13, Some(S::State), 1),
    col("TARGETS", 18, Some(S::Targets), 2),
    col("DNS NAME", 34, None, 4),
    col("TAGS", 30, None, 5),
];

impl Pane for LoadBalancers {
    fn title(&self) -> &'static str {
        "Load balancers"
    }
    fn kind(&self) -> Option<ResourceKind> {
        Some(ResourceKind::LoadBalancer)
    }
    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }
    fn cells(&self, s: &State, pos: RowPos) -> Option<Cells> {
        let l = s.inventory.load_balancers.at(pos)?;
        let healthy = l.healthy_targets();
        let tone = match l.state {
            LbState::Active if l.targets.is_empty() || healthy == 0 => Tone::Warn,
            LbState::Active => Tone::Good,
            LbState::Failed => Tone::Bad,
            _ => Tone::Moving,
        };
        Some(Cells {
            text: vec![
                l.r#ref.provider.to_string(),
                l.r#ref.account.to_string(),
                l.r#ref.region.to_string(),
                l.name.to_string(),
                l.kind.as_str().to_string(),
                l.scheme.as_str().to_string(),
                if l.state.is_transitional() {
                    format!("{}…", l.state)
                } else {
                    l.state.to_string()
                },
                targets_text(l),
                l.dns_name.as_deref().unwrap_or("").to_string(),
                l.tags.joined(),
            ],
            tone,
            state_column: 6,
        })
    }
}

/// The targets in words: `2/2 healthy`, or how many are healthy and what the others are
/// (`0/1 · 1 unhealthy`), the worst first, as the detail view and the CLI say it.
pub fn targets_text(l: &crate::domain::LoadBalancer) -> String {
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
