//! From requests to the confirmation: which rows an action is for, what the policy refuses,
//! and the plan the user confirms. Every handler that starts a change ends here.

use crate::domain::{InstanceState, Resource};
use crate::ops::{policy, Request};
use crate::providers::InstanceAction;
use crate::state::{Confirm, Mode, State};

/// The marked rows this pane shows (in view order), or the selected one. Marks on rows the
/// filter hides are left out ([`hidden_marks`] counts them, and the plan says so).
pub fn targets(s: &State) -> Vec<Resource> {
    let p = s.current();
    let refs: Vec<_> = if p.marks.is_empty() {
        p.selected_ref(&s.inventory).into_iter().collect()
    } else {
        (0..p.rows.len())
            .filter_map(|i| p.ref_at(&s.inventory, i))
            .filter(|r| p.marks.contains(r))
            .collect()
    };
    refs.iter().filter_map(|r| s.inventory.get(r)).collect()
}

/// Marks on rows the filter hides now.
pub fn hidden_marks(s: &State) -> usize {
    let p = s.current();
    if p.marks.is_empty() {
        return 0;
    }
    let shown = (0..p.rows.len())
        .filter_map(|i| p.ref_at(&s.inventory, i))
        .filter(|r| p.marks.contains(r))
        .count();
    p.marks.len() - shown
}

/// A destructive batch larger than this, or across accounts, needs its count typed.
pub const COUNT_TYPED_OVER: usize = 10;

/// Keep the requests the policy allows, then ask. Refused ones are named, in the policy's words
/// (the CLI's), in the message or the plan.
pub fn confirm(s: &mut State, reqs: Vec<Request>) {
    confirm_noting(s, reqs, Vec::new())
}

/// [`confirm`], with `notes` on what the selection held that the plan leaves out and why.
pub fn confirm_noting(s: &mut State, reqs: Vec<Request>, mut notes: Vec<String>) {
    let hidden = hidden_marks(s);
    if hidden > 0 {
        notes.push(format!(
            "{hidden} marked row{} hidden by the filter: left out (clear the filter to include)",
            if hidden == 1 { "" } else { "s" }
        ));
    }
    if reqs.is_empty() {
        let why = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        s.warn(format!("nothing to do for the selection{why}"));
        return;
    }
    let mut refused: Vec<String> = Vec::new();
    let reqs: Vec<Request> = reqs
        .into_iter()
        .filter(|r| {
            let why = match s.account(r.account()) {
                Some(a) => policy::check(&a.info, &a.caps, r)
                    .err()
                    .map(|e| e.to_string()),
                None => Some(format!("no account '{}'", r.account())),
            };
            if let Some(why) = why {
                if !refused.contains(&why) {
                    refused.push(why);
                }
                return false;
            }
            true
        })
        .collect();
    if reqs.is_empty() {
        s.warn(format!("refused: {}", refused.join("; ")));
        return;
    }
    let dangerous = reqs.iter().any(|r| policy::dangerous(r, &s.guard));
    let mut to_type: Vec<String> = Vec::new();
    for r in reqs.iter().flat_map(|r| policy::to_type(r, &s.guard)) {
        let name = r.name().to_string();
        if !to_type.contains(&name) {
            to_type.push(name);
        }
    }
    let op = reqs[0].op();
    let title = if reqs.len() == 1 {
        format!("{op}?")
    } else {
        format!("{op}: {} resources?", reqs.len())
    };
    let plan: Vec<String> = reqs.iter().map(|r| r.describe()).collect();
    let mut summary = Vec::new();
    let groups = groups(&reqs, &s.catalog);
    if reqs.len() > 1 {
        for ((provider, account), (n, change)) in &groups {
            let money = match change {
                Some(m) if *m < 0.0 => format!(" (saves {} a month)", crate::format::usd(-m)),
                Some(m) if *m > 0.0 => format!(" (adds {} a month)", crate::format::usd(*m)),
                _ => String::new(),
            };
            summary.push(format!("{provider} {account}: {op} {n}{money}"));
        }
    }
    summary.extend(notes);
    if !refused.is_empty() {
        summary.push(format!("refused: {}", refused.join("; ")));
    }
    // Many names to type would be a chore that trains people to type without reading: a
    // large or cross-account destructive batch asks for its count instead.
    let count = dangerous && (reqs.len() > COUNT_TYPED_OVER || groups.len() > 1);
    if count {
        if !to_type.is_empty() {
            summary.push(format!("{} of them protected", to_type.len()));
        }
        to_type = vec![reqs.len().to_string()];
    }
    s.mode = Mode::Confirm(Confirm {
        title,
        summary,
        plan,
        requests: reqs,
        dangerous,
        to_type,
        count,
        input: String::new(),
        error: None,
    });
}

/// Per (provider, account), in order: how many requests, and what they change in the monthly
/// bill at list prices (None: nothing known to change).
type Groups = Vec<((String, String), (usize, Option<f64>))>;

fn groups(reqs: &[Request], cat: &crate::prices::Catalog) -> Groups {
    let mut out: std::collections::BTreeMap<(String, String), (usize, Option<f64>)> =
        Default::default();
    for r in reqs {
        let provider = r
            .subject_ref()
            .map(|x| x.provider.to_string())
            .unwrap_or_default();
        let g = out.entry((provider, r.account().to_string())).or_default();
        g.0 += 1;
        if let Some(m) = monthly_change(r, cat) {
            g.1 = Some(g.1.unwrap_or(0.0) + m);
        }
    }
    out.into_iter().collect()
}

/// What `r` changes in the monthly bill, at list prices: a machine stopped or terminated stops
/// its compute charge, one started begins it, a deleted disk or load balancer stops its own.
fn monthly_change(r: &Request, cat: &crate::prices::Catalog) -> Option<f64> {
    use crate::prices::estimate;
    match r {
        Request::Instance { target, action } => match action {
            InstanceAction::Stop | InstanceAction::Terminate => {
                Some(-estimate::instance(cat, target).monthly_usd()?)
            }
            InstanceAction::Start if target.state == InstanceState::Stopped => {
                let mut running = target.clone();
                running.state = InstanceState::Running;
                estimate::instance(cat, &running).monthly_usd()
            }
            _ => None,
        },
        Request::DeleteDisk { disk } => Some(-estimate::disk(cat, disk).monthly_usd()?),
        Request::DeleteLoadBalancer { lb } => {
            Some(-estimate::load_balancer(cat, lb).monthly_usd()?)
        }
        _ => None,
    }
}
