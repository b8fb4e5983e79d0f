//! Answers from background work: poll results and operation progress.

use crate::domain::{Op, Resource};
use crate::providers::ProviderError;
use crate::state::{OpStatus, State};
use crate::worker::poller::PollEvent;

pub fn poll(s: &mut State, ev: PollEvent) {
    match ev {
        PollEvent::Started(scope) => s.inventory.begin(&scope),
        PollEvent::Finished { scope, outcome, at } => s.inventory.apply(scope, outcome, at),
        PollEvent::AccountFailed { account, error } => s.inventory.account_failed(&account, error),
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

pub fn finished(s: &mut State, id: u64, result: Result<Option<Resource>, ProviderError>) {
    let Some(op) = s.ops.iter_mut().find(|o| o.id == id) else {
        return;
    };
    match result {
        Ok(Some(r)) => {
            op.status = OpStatus::Succeeded(state_word(&r));
            let text = format!("done: {} ({})", op.what, state_word(&r));
            s.inventory.upsert(r);
            s.info(text);
        }
        Ok(None) => {
            op.status = OpStatus::Succeeded("gone".into());
            let text = format!("done: {}", op.what);
            let gone = matches!(
                op.op,
                Op::Terminate | Op::DeleteDisk | Op::DeleteLoadBalancer
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

fn state_word(r: &Resource) -> String {
    match r {
        Resource::Instance(i) => i.state.to_string(),
        Resource::Disk(d) => d.state.to_string(),
        Resource::LoadBalancer(l) => l.state.to_string(),
    }
}

/// One failed action in words: what, then the error in full (kind, code, message, fix).
pub fn failure_line(what: &str, e: &ProviderError) -> String {
    format!("failed: {what}: {}", e.explain())
}
