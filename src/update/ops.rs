//! The console's actions as a queue: at most `MAX_RUNNING_OPS` run at once, the rest start as
//! slots free; quitting cancels what never started and waits (bounded, in the loop) for what did.

use crate::effect::Effect;
use crate::ops::Request;
use crate::state::{OpStatus, OpView, State, MAX_RUNNING_OPS, QUIT_GRACE};

/// Finished actions kept for the status line's history.
const KEEP_FINISHED: usize = 20;

/// Take a confirmed request: it runs now if a slot is free, otherwise it waits its turn.
pub fn enqueue(s: &mut State, request: Request, fx: &mut Vec<Effect>) {
    let id = s.next_op;
    s.next_op += 1;
    s.ops.push(OpView {
        id,
        account: request.account().to_string(),
        op: request.op(),
        what: request.describe(),
        started: s.now,
        status: OpStatus::Queued,
        subject: request
            .subject_ref()
            .or_else(|| super::network_actions::row_of(&request)),
        accepted: false,
        progress: None,
    });
    s.queue.push_back((id, request));
    start_ready(s, fx);
}

/// Start queued requests while there are free slots (none once quitting).
pub fn start_ready(s: &mut State, fx: &mut Vec<Effect>) {
    while !s.quit && s.running_ops() < MAX_RUNNING_OPS {
        let Some((id, request)) = s.queue.pop_front() else {
            break;
        };
        if let Some(op) = s.ops.iter_mut().find(|o| o.id == id) {
            op.status = OpStatus::Running;
            op.started = s.now;
        }
        fx.push(Effect::Run { id, request });
    }
    prune(s);
}

pub fn accepted(s: &mut State, id: u64) {
    if let Some(op) = s.ops.iter_mut().find(|o| o.id == id) {
        op.accepted = true;
    }
}

/// The console stopped following action `id` (it is quitting).
pub fn unfollowed(s: &mut State, id: u64, accepted: bool) {
    if let Some(op) = s
        .ops
        .iter_mut()
        .find(|o| o.id == id && o.status == OpStatus::Running)
    {
        op.status = OpStatus::Unfollowed { accepted };
    }
}

/// Quit: what is queued is cancelled (and journaled as such), what runs is told to stop
/// following once the provider has answered; asked again, leave at once.
pub fn quit(s: &mut State, fx: &mut Vec<Effect>) {
    if s.quit {
        s.quit_now = true;
        return;
    }
    s.quit = true;
    for (id, request) in std::mem::take(&mut s.queue) {
        if let Some(op) = s.ops.iter_mut().find(|o| o.id == id) {
            op.status = OpStatus::Cancelled;
        }
        fx.push(Effect::Cancelled { id, request });
    }
    let waiting = s
        .ops
        .iter()
        .filter(|o| o.status == OpStatus::Running && !o.accepted)
        .count();
    if waiting > 0 {
        let what = match waiting {
            1 => "1 action".to_string(),
            n => format!("{n} actions"),
        };
        s.warn(format!(
            "quitting: waiting up to {}s for the provider to answer {what}; q again quits now",
            QUIT_GRACE.as_secs()
        ));
    }
    fx.push(Effect::Quit);
}

/// Keep the list of finished actions short (what quitting cut short stays for its report).
fn prune(s: &mut State) {
    let done = |o: &OpView| matches!(o.status, OpStatus::Succeeded(_) | OpStatus::Failed(_));
    let finished = s.ops.iter().filter(|o| done(o)).count();
    let mut drop = finished.saturating_sub(KEEP_FINISHED);
    s.ops.retain(|o| {
        if drop > 0 && done(o) {
            drop -= 1;
            false
        } else {
            true
        }
    });
}
