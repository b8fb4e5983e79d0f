//! Carrying out the reducer's effects against the providers. Each action runs as a task that
//! sends it (`ops::execute`, which journals both ends) and then follows it to its final state;
//! the reducer keeps at most `MAX_RUNNING_OPS` of them going. On quit a task that has reached
//! the provider is let finish its call (the loop waits, bounded), then stops following and
//! the journal says so; what is still unanswered when the wait is over is recorded as such.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::event_loop;
use crate::action::Action;
use crate::domain::ActionRef;
use crate::effect::Effect;
use crate::journal::{Journal, Outcome};
use crate::ops::{self, Request};
use crate::providers::{CloudProvider, ErrorKind, Progress, ProviderError};
use crate::worker::poller::Pollers;

/// How long an action is followed to its final state before the console stops waiting.
pub const FOLLOW: Duration = Duration::from_secs(30 * 60);

/// Where an action's task is.
const SENDING: u8 = 0;
const FOLLOWING: u8 = 1;
/// Ended, and its end is recorded (by the task, or by `abandon`).
const DONE: u8 = 2;

struct Task {
    handle: JoinHandle<()>,
    phase: Arc<AtomicU8>,
    provider: Arc<dyn CloudProvider>,
    request: Request,
}

pub struct Runner {
    providers: Vec<Arc<dyn CloudProvider>>,
    journal: Journal,
    tx: UnboundedSender<Action>,
    pollers: Option<Pollers>,
    tasks: HashMap<u64, Task>,
    /// Cancelled on quit: tasks stop following (never sending) once they see it.
    quitting: CancellationToken,
    follow: Duration,
}

impl Runner {
    pub fn new(
        providers: Vec<Arc<dyn CloudProvider>>,
        journal: Journal,
        tx: UnboundedSender<Action>,
        pollers: Option<Pollers>,
    ) -> Self {
        Runner {
            providers,
            journal,
            tx,
            pollers,
            tasks: HashMap::new(),
            quitting: CancellationToken::new(),
            follow: FOLLOW,
        }
    }

    /// Stop the pollers (the console is leaving).
    pub fn stop_polling(&self) {
        if let Some(p) = &self.pollers {
            p.stop();
        }
    }

    fn provider(&self, account: &str) -> Option<Arc<dyn CloudProvider>> {
        self.providers
            .iter()
            .find(|p| p.account().name == account)
            .cloned()
    }

    fn start(&mut self, id: u64, request: Request) {
        let Some(p) = self.provider(request.account()) else {
            let _ = self.tx.send(Action::OpFinished {
                id,
                result: Err(ProviderError::new(
                    ErrorKind::Invalid,
                    format!("no account '{}'", request.account()),
                )),
            });
            return;
        };
        self.tasks.retain(|_, t| !t.handle.is_finished());
        let phase = Arc::new(AtomicU8::new(SENDING));
        let handle = tokio::spawn(follow(
            id,
            p.clone(),
            request.clone(),
            self.journal.clone(),
            self.tx.clone(),
            phase.clone(),
            self.quitting.clone(),
            self.follow,
        ));
        self.tasks.insert(
            id,
            Task {
                handle,
                phase,
                provider: p,
                request,
            },
        );
    }
}

/// Send one action, then follow it until its final state, an error, or quit.
#[allow(clippy::too_many_arguments)]
async fn follow(
    id: u64,
    p: Arc<dyn CloudProvider>,
    request: Request,
    journal: Journal,
    tx: UnboundedSender<Action>,
    phase: Arc<AtomicU8>,
    quitting: CancellationToken,
    limit: Duration,
) {
    let result = ops::execute(p.as_ref(), &request, &journal).await;
    // `abandon` may have given up on this call meanwhile: it has recorded it then.
    let next = if result.is_ok() { FOLLOWING } else { DONE };
    if phase
        .compare_exchange(SENDING, next, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return;
    }
    let done = match result {
        Ok(d) => d,
        Err(e) => {
            let _ = tx.send(Action::OpFinished { id, result: Err(e) });
            return;
        }
    };
    let _ = tx.send(Action::OpAccepted {
        id,
        resource: done.resource.clone(),
    });
    let r = done.target.clone();
    let Some(want) = request.wait_for() else {
        phase.store(DONE, Ordering::SeqCst);
        let _ = tx.send(Action::OpFinished {
            id,
            result: Ok(done.resource),
        });
        return;
    };
    let mut report = |progress: &Progress| {
        let _ = tx.send(Action::OpProgress {
            id,
            progress: progress.to_string(),
        });
    };
    let waited = tokio::select! {
        biased;
        _ = quitting.cancelled() => None,
        w = ops::wait::until_with(
            p.as_ref(),
            &r,
            want,
            done.operation.as_ref(),
            limit,
            &mut report,
        ) => Some(w),
    };
    if phase
        .compare_exchange(FOLLOWING, DONE, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return;
    }
    let Some(result) = waited else {
        unfollowed(&journal, p.as_ref(), &request, Some(r), true);
        let _ = tx.send(Action::OpUnfollowed { id, accepted: true });
        return;
    };
    // Accepted is in the journal already; a follow that did not get there is recorded too.
    if let Err(e) = &result {
        let outcome = if e.kind == ErrorKind::Timeout {
            Outcome::Unfollowed
        } else {
            Outcome::Failed
        };
        journal.note(ops::journal_entry(
            p.account(),
            &request,
            outcome,
            Some(r),
            Some(e.to_string()),
        ));
    }
    let _ = tx.send(Action::OpFinished { id, result });
}

/// Record that the console stopped following `request`.
fn unfollowed(
    journal: &Journal,
    p: &dyn CloudProvider,
    request: &Request,
    target: Option<ActionRef>,
    accepted: bool,
) {
    let why = if accepted {
        "the console quit before seeing its final state"
    } else {
        "the console quit before the provider answered: it may or may not have been applied"
    };
    journal.note(ops::journal_entry(
        p.account(),
        request,
        Outcome::Unfollowed,
        target.or_else(|| request.acted_on()),
        Some(why.into()),
    ));
}

impl event_loop::Runner for Runner {
    fn run(&mut self, effect: Effect) {
        match effect {
            Effect::Run { id, request } => self.start(id, request),
            Effect::Cancelled { request, .. } => {
                if let Some(p) = self.provider(request.account()) {
                    self.journal.note(ops::journal_entry(
                        p.account(),
                        &request,
                        Outcome::Cancelled,
                        request.acted_on(),
                        Some("queued and never sent: the console quit".into()),
                    ));
                }
            }
            Effect::LoadOfferings(account) => {
                if let Some(p) = self.provider(&account) {
                    let offerings = p.offerings();
                    let _ = self.tx.send(Action::Offerings { account, offerings });
                }
            }
            Effect::Describe(r) => {
                let Some(p) = self.provider(&r.account) else {
                    return;
                };
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = p.describe(&r).await;
                    let _ = tx.send(Action::Described { target: r, result });
                });
            }
            Effect::LoadJournal => {
                let journal = self.journal.clone();
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let read = journal
                        .read_all()
                        .map(|entries| crate::journal::actions(&entries))
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Action::JournalLoaded(read));
                });
            }
            Effect::RefreshNow => {
                if let Some(p) = &self.pollers {
                    p.refresh_now();
                }
            }
            Effect::Copy(text) => crate::tui::copy_osc52(&text),
            Effect::Mouse(on) => crate::tui::set_mouse(on),
            Effect::Quit => self.quitting.cancel(),
        }
    }

    fn abandon(&mut self) -> Vec<(u64, bool)> {
        let mut gave_up = Vec::new();
        for (id, t) in self.tasks.drain() {
            if t.handle.is_finished() {
                continue;
            }
            let accepted = match t.phase.swap(DONE, Ordering::SeqCst) {
                SENDING => false,
                FOLLOWING => true,
                _ => continue,
            };
            unfollowed(
                &self.journal,
                t.provider.as_ref(),
                &t.request,
                None,
                accepted,
            );
            t.handle.abort();
            gave_up.push((id, accepted));
        }
        gave_up.sort_unstable();
        gave_up
    }
}

#[cfg(test)]
mod tests;
