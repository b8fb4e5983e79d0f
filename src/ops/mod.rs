//! Actions, as both the CLI and the console run them: what is asked ([`Request`]), whether it
//! may run ([`check`]), running it with a journal record before and after ([`execute`]), and
//! waiting for the state it leads to ([`wait`]).

mod request;
pub mod wait;

use chrono::Utc;

pub use request::{Request, WaitFor};

use crate::config::Guardrails;
use crate::domain::{Op, Resource, ResourceRef};
use crate::journal::{Entry, Journal, Outcome};
use crate::providers::{AccountInfo, CloudProvider, OperationHandle, ProviderError};

/// Why a request may not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    ReadOnly {
        account: String,
    },
    Unsupported {
        account: String,
        op: Op,
        why: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ReadOnly { account } => {
                write!(
                    f,
                    "account '{account}' is read-only: no changes are made to it"
                )
            }
            Refusal::Unsupported { account, op, why } => {
                write!(f, "account '{account}' cannot {op}: {why}")
            }
        }
    }
}

/// May `req` run on `provider`? Read-only comes first: a read-only account is refused
/// everything that changes it.
pub fn check(provider: &dyn CloudProvider, req: &Request) -> Result<(), Refusal> {
    let info = provider.account();
    if info.read_only {
        return Err(Refusal::ReadOnly {
            account: info.name.to_string(),
        });
    }
    let caps = provider.capabilities();
    let op = req.op();
    if !caps.supports(op) {
        return Err(Refusal::Unsupported {
            account: info.name.to_string(),
            op,
            why: format!("{} offers no {op} here", info.provider),
        });
    }
    if let Request::CreateLoadBalancer { spec, .. } = req {
        if !caps.lb_kinds.contains(&spec.kind) {
            let kinds: Vec<&str> = caps.lb_kinds.iter().map(|k| k.as_str()).collect();
            return Err(Refusal::Unsupported {
                account: info.name.to_string(),
                op,
                why: format!(
                    "{} load balancers here are {}",
                    info.provider,
                    kinds.join(", ")
                ),
            });
        }
    }
    if let Request::CreateInstance { spec, .. } = req {
        if spec.spot && !caps.spot {
            return Err(Refusal::Unsupported {
                account: info.name.to_string(),
                op,
                why: "no spot capacity".into(),
            });
        }
    }
    Ok(())
}

/// Resources of `req` that carry a protected tag: they need their name typed to confirm.
pub fn protected(req: &Request, guard: &Guardrails) -> Vec<Resource> {
    req.subjects()
        .into_iter()
        .filter(|r| guard.protected_tags.iter().any(|p| p.matches(r.tags())))
        .collect()
}

/// What an accepted action left behind.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// The resource as the provider answered (often in a transitional state); None when it is
    /// simply gone or the provider returned nothing (tags).
    pub resource: Option<Resource>,
    pub operation: Option<OperationHandle>,
}

/// The journal's record of one step of `req` on `info`'s account.
pub fn journal_entry(
    info: &AccountInfo,
    req: &Request,
    outcome: Outcome,
    resource: Option<ResourceRef>,
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
    }
}

/// Run one request, recording it in the journal before and after.
pub async fn execute(
    provider: &dyn CloudProvider,
    req: &Request,
    journal: &Journal,
) -> Result<Done, ProviderError> {
    let info = provider.account();
    let entry = |outcome, resource, error| journal_entry(info, req, outcome, resource, error);
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
