//! Actions, as both the CLI and the console run them: what is asked ([`Request`]), whether it
//! may run ([`policy`]), running it with a journal record before and after ([`execute`]), and
//! waiting for the state it leads to ([`wait`]).

pub mod policy;
pub mod wait;

use chrono::Utc;

pub use crate::providers::{Applied, Request, WaitFor};
pub use policy::Refusal;

use crate::domain::ActionRef;
use crate::journal::{Entry, Journal, Outcome};
use crate::providers::{AccountInfo, CloudProvider, ProviderError};

/// The journal's record of one step of `req` on `info`'s account.
pub fn journal_entry(
    info: &AccountInfo,
    req: &Request,
    outcome: Outcome,
    resource: Option<ActionRef>,
    error: Option<String>,
) -> Entry {
    Entry {
        time: Utc::now(),
        account: info.name.to_string(),
        resource,
        action: req.op(),
        outcome,
        detail: Some(req.describe()),
        error,
        sandbox: info.sandbox,
        operation: None,
    }
}

/// Run one request, recording it in the journal before and after (the record of an accepted
/// change keeps the operation's handle).
pub async fn execute(
    provider: &dyn CloudProvider,
    req: &Request,
    journal: &Journal,
) -> Result<Applied, ProviderError> {
    let info = provider.account();
    let entry = |outcome, resource, error| journal_entry(info, req, outcome, resource, error);
    journal.note(entry(Outcome::Started, req.acted_on(), None));
    tracing::info!(account = %info.name, action = %req.op(), "{}", req.describe());
    let result = provider.apply(req).await;
    match &result {
        Ok(done) => {
            journal.note(Entry {
                operation: done.operation.as_ref().map(|o| o.0.clone()),
                ..entry(Outcome::Succeeded, Some(done.target.clone()), None)
            });
        }
        Err(e) => {
            tracing::warn!(account = %info.name, action = %req.op(), "failed: {e}");
            journal.note(entry(Outcome::Failed, req.acted_on(), Some(e.to_string())));
        }
    }
    result
}
