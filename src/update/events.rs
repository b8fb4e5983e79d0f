//! Answers from background work: poll results and operation progress.

use crate::domain::{Described, Op, Resource, ResourceKind, ResourceRef};
use crate::effect::Effect;
use crate::filter::NetBook;
use crate::providers::ProviderError;
use crate::state::{OpStatus, State, Watch, WATCH_EVERY, WATCH_FOR};
use crate::worker::poller::PollEvent;

pub fn poll(s: &mut State, ev: PollEvent) {
    match ev {
        PollEvent::Started(scope) => s.inventory.begin(&scope),
        PollEvent::Finished { scope, outcome, at } => {
            let networks = scope.kind == ResourceKind::Network;
            let before = s.inventory.rows_generation;
            s.inventory.apply(scope, outcome, at);
            if networks && s.inventory.rows_generation != before {
                renew_network_books(s);
            }
        }
        PollEvent::AccountFailed { account, error } => s.inventory.account_failed(&account, error),
    }
}

/// Filters with `network:` terms read the networks just listed (the panes re-filter, their
/// rows having changed).
fn renew_network_books(s: &mut State) {
    let mut book = None;
    for p in s.panes.iter_mut().filter(|p| p.filter.uses_networks()) {
        let book = book.get_or_insert_with(|| NetBook::of(s.inventory.networks.iter()));
        p.filter = std::mem::take(&mut p.filter).with_networks(book.clone());
        p.forget_earlier_filters();
    }
}

/// The provider took action `id`: show the resource's transitional state at once (the pollers
/// confirm the final one); the operation stays running until `finished`.
pub fn accepted(s: &mut State, resource: Option<Resource>) {
    if let Some(r) = resource {
        s.inventory.upsert(r);
    }
}

pub fn progress(s: &mut State, id: u64, progress: String) {
    if let Some(op) = s.ops.iter_mut().find(|o| o.id == id) {
        op.progress = Some(progress);
    }
}

pub fn finished(
    s: &mut State,
    id: u64,
    result: Result<Option<Resource>, ProviderError>,
    fx: &mut Vec<Effect>,
) {
    let Some(op) = s.ops.iter_mut().find(|o| o.id == id) else {
        return;
    };
    // A load balancer's row is described now and again until its targets settle: the poll
    // may be half a minute away.
    if let Some(r) = op
        .subject
        .clone()
        .filter(|r| r.kind == ResourceKind::LoadBalancer && !matches!(result, Ok(None)))
    {
        s.watch.retain(|w| w.target != r);
        s.watch.push(Watch {
            target: r.clone(),
            next: s.now + WATCH_EVERY,
            until: s.now + WATCH_FOR,
        });
        fx.push(Effect::Describe(r));
    }
    let Some(op) = s.ops.iter_mut().find(|o| o.id == id) else {
        return;
    };
    match result {
        Ok(Some(r)) => {
            op.status = OpStatus::Succeeded(r.state_word());
            let text = format!("done: {} ({})", op.what, r.state_word());
            s.inventory.upsert(r);
            s.info(text);
        }
        Ok(None) => {
            // A network change other than a delete leaves no resource to show: it is done.
            let changed = matches!(
                op.op,
                Op::CreateNetwork | Op::AddIngressRule | Op::RemoveIngressRule
            );
            op.status = OpStatus::Succeeded(if changed { "done" } else { "gone" }.into());
            if changed {
                // Its network's row (subnets, rules, findings) is read again now rather than at
                // the next poll, a minute away.
                fx.push(Effect::RefreshNow);
            }
            let text = format!("done: {}", op.what);
            let gone = matches!(
                op.op,
                Op::Terminate | Op::DeleteDisk | Op::DeleteLoadBalancer | Op::DeleteNetwork
            );
            if let (true, Some(r)) = (gone, op.subject.clone()) {
                s.inventory.remove(&r);
            }
            s.info(text);
        }
        Err(e) => {
            let text = failure_line(&op.what, &e);
            op.status = OpStatus::Failed(e);
            s.unseen_failures += 1;
            s.error(text);
        }
    }
}

/// One failed action in words: what, then the error in full (kind, code, message, fix).
pub fn failure_line(what: &str, e: &ProviderError) -> String {
    format!("failed: {what}: {}", e.explain())
}

/// A resource described (for the detail view or a watch): its row takes the answer at once,
/// and a watched one that has settled is no longer watched.
pub fn described(s: &mut State, target: &ResourceRef, result: &Result<Described, ProviderError>) {
    let Ok(d) = result else { return };
    if s.inventory.get(target).is_some() {
        s.inventory.upsert(d.resource.clone());
    }
    if settled(&d.resource) {
        s.watch.retain(|w| &w.target != target);
    }
}

/// Nothing about it is still moving.
fn settled(r: &Resource) -> bool {
    use crate::domain::TargetHealth as H;
    match r {
        Resource::LoadBalancer(l) => {
            !l.state.is_transitional()
                && !l
                    .targets
                    .iter()
                    .any(|t| matches!(t.health, H::Initial | H::Draining))
        }
        _ => true,
    }
}

/// Time passed: describe the watched resources that are due; forget those watched too long.
pub fn tick(s: &mut State, fx: &mut Vec<Effect>) {
    let now = s.now;
    s.watch.retain(|w| w.until > now);
    for w in &mut s.watch {
        if w.next <= now {
            w.next = now + WATCH_EVERY;
            fx.push(Effect::Describe(w.target.clone()));
        }
    }
}
