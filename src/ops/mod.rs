//! Actions, as both the CLI and the console run them: what is asked ([`Request`]), whether it
//! may run ([`policy`]), running it with a journal record before and after ([`execute`]), and
//! waiting for the state it leads to ([`wait`]).

pub mod policy;
mod request;
pub mod wait;

use chrono::Utc;

pub use policy::Refusal;
pub use request::{Request, WaitFor};

use crate::domain::Resource;
use crate::journal::{Entry, Journal, Outcome};
use crate::providers::{CloudProvider, OperationHandle, ProviderError};

/// What an accepted action left behind.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// The resource as the provider answered (often in a transitional state); None when it is
    /// simply gone or the provider returned nothing (tags).
    pub resource: Option<Resource>,
    pub operation: Option<OperationHandle>,
}

/// Run one request, recording it in the journal before and after.
pub async fn execute(
    provider: &dyn CloudProvider,
    req: &Request,
    journal: &Journal,
) -> Result<Done, ProviderError> {
    let info = provider.account();
    let entry = |outcome, resource, error: Option<String>| Entry {
        time: Utc::now(),
        account: info.name.to_string(),
        resource,
        action: req.op(),
        outcome,
        detail: Some(req.describe()),
        error,
        sandbox: info.sandbox,
    };
    journal.note(entry(Outcome::Started, req.subject_ref(), None));
    tracing::info!(account = %info.name, action = %req.op(), "{}", req.describe());
    let result = request::send(provider, req).await;
    match &result {
        Ok(done) => {
            let r = done
                .resource
                .as_ref()
                .map(|r| r.resource_ref().clone())
                .or_else(|| req.subject_ref());
            journal.note(entry(Outcome::Succeeded, r, None));
        }
        Err(e) => {
            tracing::warn!(account = %info.name, action = %req.op(), "failed: {e}");
            journal.note(entry(
                Outcome::Failed,
                req.subject_ref(),
                Some(e.to_string()),
            ));
        }
    }
    result
}
