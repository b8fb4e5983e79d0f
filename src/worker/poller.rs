//! One task per (account, kind, list scope): a quick first fetch, then one every interval
//! measured from the end of the last (so runs never overlap), longer waits after throttling or a
//! provider failure, a cap on calls in flight per account (and per region where the provider
//! meters per region), and cancellation.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, Notify, Semaphore};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::caps::AccountCaps;
use crate::config::Refresh;
use crate::domain::ResourceKind;
use crate::inventory::Scope;
use crate::providers::{list_kind, CloudProvider, ErrorKind, ListScope, ProviderError, Resources};

#[derive(Debug, Clone, PartialEq)]
pub enum PollEvent {
    Started(Scope),
    Finished {
        scope: Scope,
        outcome: Result<Resources, ProviderError>,
        at: DateTime<Utc>,
    },
    /// The account's list scopes could not be had; it will be tried again.
    AccountFailed {
        account: String,
        error: ProviderError,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub interval: Duration,
    /// The longest wait after repeated failures.
    pub max_backoff: Duration,
}

impl Timing {
    pub fn new(interval: Duration) -> Self {
        Timing {
            interval,
            max_backoff: Duration::from_secs(300).max(interval),
        }
    }

    /// How long to wait after a fetch. Throttling and provider failures double the wait with
    /// each failure in a row (`failures_in_a_row` counts this one) (never less than the provider's Retry-After); other errors, such as
    /// expired credentials, are tried again at the normal interval.
    pub fn next_delay(
        &self,
        outcome: Result<(), &ProviderError>,
        failures_in_a_row: u32,
    ) -> Duration {
        match outcome {
            Ok(()) => self.interval,
            Err(e) if e.kind.is_transient() => {
                let factor = 2u32.saturating_pow(failures_in_a_row.min(16));
                let backoff = self.interval.saturating_mul(factor).min(self.max_backoff);
                backoff.max(e.retry_after.unwrap_or_default())
            }
            Err(_) => self.interval,
        }
    }
}

/// The running pollers. Dropping it does not stop them; call [`Pollers::stop`].
pub struct Pollers {
    cancel: CancellationToken,
    refresh: Arc<Notify>,
    handles: Vec<JoinHandle<()>>,
}

impl Pollers {
    /// Fetch everything now instead of waiting for the interval.
    pub fn refresh_now(&self) {
        self.refresh.notify_waiters();
    }

    pub fn stop(&self) {
        self.cancel.cancel();
    }

    pub async fn join(self) {
        self.cancel.cancel();
        for h in self.handles {
            let _ = h.await;
        }
    }
}

/// Start polling every account: each asks its provider where each kind is listed, then polls
/// every kind in every scope. Each account has its own cap.
pub fn spawn_all(
    providers: &[Arc<dyn CloudProvider>],
    refresh: &Refresh,
    tx: mpsc::UnboundedSender<PollEvent>,
) -> Pollers {
    let cancel = CancellationToken::new();
    let notify = Arc::new(Notify::new());
    let handles = providers
        .iter()
        .map(|p| {
            let kinds = vec![
                (ResourceKind::Instance, Timing::new(refresh.instances)),
                (ResourceKind::Disk, Timing::new(refresh.disks)),
                (
                    ResourceKind::LoadBalancer,
                    Timing::new(refresh.load_balancers),
                ),
                (ResourceKind::Network, Timing::new(refresh.networks)),
            ];
            tokio::spawn(run_account(
                p.clone(),
                kinds,
                AccountCaps::new(refresh.max_concurrency),
                tx.clone(),
                cancel.clone(),
                notify.clone(),
            ))
        })
        .collect();
    Pollers {
        cancel,
        refresh: notify,
        handles,
    }
}

/// Ask where each kind is listed (retrying with backoff), then run one poller per kind and scope.
pub async fn run_account(
    provider: Arc<dyn CloudProvider>,
    kinds: Vec<(ResourceKind, Timing)>,
    caps: Arc<AccountCaps>,
    tx: mpsc::UnboundedSender<PollEvent>,
    cancel: CancellationToken,
    refresh: Arc<Notify>,
) {
    let account = provider.account().name.to_string();
    let timing = Timing::new(
        kinds
            .iter()
            .map(|(_, t)| t.interval)
            .min()
            .unwrap_or(Duration::from_secs(15)),
    );
    let mut failures = 0;
    let scopes = loop {
        let res = tokio::select! {
            _ = cancel.cancelled() => return,
            r = scopes_of(provider.as_ref(), &kinds) => r,
        };
        match res {
            Ok(s) => break s,
            Err(error) => {
                failures += 1;
                let delay = timing.next_delay(Err(&error), failures);
                if tx
                    .send(PollEvent::AccountFailed {
                        account: account.clone(),
                        error,
                    })
                    .is_err()
                {
                    return;
                }
                if !wait(delay, &cancel, &refresh).await {
                    return;
                }
            }
        }
    };
    // Every scope's first kind (instances) before any second kind, so what the console shows
    // first arrives first.
    let mut tasks = Vec::new();
    for ((kind, timing), lists) in kinds.iter().zip(scopes) {
        for list in lists {
            let cap = caps.for_scope(&list);
            tasks.push(tokio::spawn(run_scope(
                provider.clone(),
                Scope::new(&account, list, *kind),
                *timing,
                cap,
                tx.clone(),
                cancel.clone(),
                refresh.clone(),
            )));
        }
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// The list scopes of each kind, in the order of `kinds`.
async fn scopes_of(
    provider: &dyn CloudProvider,
    kinds: &[(ResourceKind, Timing)],
) -> Result<Vec<Vec<ListScope>>, ProviderError> {
    let mut out = Vec::with_capacity(kinds.len());
    for (kind, _) in kinds {
        out.push(list_kind::scopes(provider, *kind).await?);
    }
    Ok(out)
}

/// Sleep for `delay` unless a refresh is asked for first. False when cancelled.
async fn wait(delay: Duration, cancel: &CancellationToken, refresh: &Notify) -> bool {
    tokio::select! {
        _ = cancel.cancelled() => false,
        _ = tokio::time::sleep(delay) => true,
        _ = refresh.notified() => true,
    }
}

/// Poll one scope until cancelled. Fetches run one after another, never overlapping.
pub async fn run_scope(
    provider: Arc<dyn CloudProvider>,
    scope: Scope,
    timing: Timing,
    limiter: Arc<Semaphore>,
    tx: mpsc::UnboundedSender<PollEvent>,
    cancel: CancellationToken,
    refresh: Arc<Notify>,
) {
    let mut failures: u32 = 0;
    loop {
        let permit = tokio::select! {
            biased;
            _ = cancel.cancelled() => return,
            p = limiter.acquire() => match p { Ok(p) => p, Err(_) => return },
        };
        if tx.send(PollEvent::Started(scope.clone())).is_err() {
            return;
        }
        let outcome = tokio::select! {
            _ = cancel.cancelled() => return,
            r = list_kind::list(provider.as_ref(), &scope.list, scope.kind) => r,
        };
        drop(permit);
        failures = match &outcome {
            Ok(_) => 0,
            Err(_) => failures.saturating_add(1),
        };
        let delay = timing.next_delay(outcome.as_ref().map(|_| ()), failures);
        match &outcome {
            Ok(_) => {}
            Err(e) => {
                if e.kind == ErrorKind::Throttled {
                    tracing::warn!(scope = %scope, delay_s = delay.as_secs(), "throttled: {e}");
                } else {
                    tracing::warn!(scope = %scope, "fetch failed: {e}");
                }
            }
        }
        let event = PollEvent::Finished {
            scope: scope.clone(),
            outcome,
            at: Utc::now(),
        };
        if tx.send(event).is_err() {
            return;
        }
        if !wait(delay, &cancel, &refresh).await {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
