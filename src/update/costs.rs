//! The Costs pane's keys: move among findings, change the grouping, take a finding's saving.

use super::plan::confirm;
use crate::command::Command;
use crate::domain::Resource;
use crate::ops::Request;
use crate::providers::InstanceAction;
use crate::state::State;

/// The Costs pane's own meaning of some commands: move among findings, group differently,
/// take a finding's saving. True if handled.
pub fn command(s: &mut State, cmd: Command, fx: &mut Vec<crate::effect::Effect>) -> bool {
    let n = s.costs.findings.len() as i64;
    let step = |s: &mut State, d: i64| {
        s.costs.selected = (s.costs.selected as i64 + d).clamp(0, (n - 1).max(0)) as usize;
    };
    match cmd {
        Command::Up => step(s, -1),
        Command::Down => step(s, 1),
        Command::PageUp => step(s, -10),
        Command::PageDown => step(s, 10),
        Command::Top => step(s, -n),
        Command::Bottom => step(s, n),
        // Enter on a finding: the detail view of its resource (Esc comes back here).
        Command::Open => {
            let Some(f) = s.costs.selected_finding() else {
                s.warn("no finding selected");
                return true;
            };
            let target = f.r#ref.clone();
            s.detail_back.clear();
            s.mode = crate::state::Mode::Detail(crate::state::Detail::new(target.clone()));
            fx.push(crate::effect::Effect::Describe(target));
        }
        Command::SortNext => {
            let len = s.costs.groupings.len().max(1);
            s.costs.grouping_index = (s.costs.grouping_index + 1) % len;
            s.costs.computed_at = None;
            s.refresh_costs();
            let g = s.costs.grouping().label();
            s.info(format!("costs grouped by {g}"));
        }
        Command::Delete | Command::ApplyFinding => {
            let Some(f) = s.costs.selected_finding().cloned() else {
                s.warn("no finding selected");
                return true;
            };
            let Some(op) = f.action else {
                s.warn(format!(
                    "{}: nephos has no action for this one ({})",
                    f.finding.as_str(),
                    f.detail
                ));
                return true;
            };
            let req = match (op, s.inventory.get(&f.r#ref)) {
                (crate::domain::Op::Terminate, Some(Resource::Instance(i))) => Request::Instance {
                    target: i,
                    action: InstanceAction::Terminate,
                },
                (crate::domain::Op::DeleteDisk, Some(Resource::Disk(disk))) => {
                    Request::DeleteDisk { disk }
                }
                (crate::domain::Op::DeleteLoadBalancer, Some(Resource::LoadBalancer(lb))) => {
                    Request::DeleteLoadBalancer { lb }
                }
                _ => {
                    s.warn(format!("{} is no longer listed", f.r#ref.id));
                    return true;
                }
            };
            confirm(s, vec![req]);
        }
        _ => return false,
    }
    true
}
