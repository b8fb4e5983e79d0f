use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::domain::{ResourceKind, Str};
use crate::providers::{ErrorKind, ListScope, ProviderError};

/// What one poller fetches: one kind of resource in one of an account's list scopes (an AWS
/// region, a GCP project, an Azure subscription or resource group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    pub account: Str,
    pub list: ListScope,
    pub kind: ResourceKind,
}

impl Scope {
    pub fn new(account: &str, list: ListScope, kind: ResourceKind) -> Self {
        Scope {
            account: account.into(),
            list,
            kind,
        }
    }
}

/// In the provider's words: `aws dev region us-east-1 instances`,
/// `gcp prod project my-proj disks`.
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.list.provider,
            self.account,
            self.list,
            self.kind.plural()
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScopeStatus {
    pub fetched_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    /// The last fetch's error; cleared by the next success. The rows from before stay.
    pub error: Option<ProviderError>,
    pub in_flight: bool,
    pub count: usize,
    /// The provider cannot list this kind here yet (networks on an adapter without
    /// `list_networks`): its words. Not an error; the scope is listed empty.
    pub unsupported: Option<String>,
}

/// How a scope is doing, as the header shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    Ok,
    Loading,
    Refreshing,
    /// Older than three refresh intervals.
    Stale,
    Throttled,
    Error,
}

impl ScopeStatus {
    pub fn health(&self, now: DateTime<Utc>, interval: Duration) -> Health {
        match &self.error {
            Some(e) if e.kind == ErrorKind::Throttled => return Health::Throttled,
            Some(_) => return Health::Error,
            None => {}
        }
        match self.fetched_at {
            None => Health::Loading,
            Some(_) if self.in_flight => Health::Refreshing,
            Some(t) if (now - t).to_std().unwrap_or_default() > interval * 3 => Health::Stale,
            Some(_) => Health::Ok,
        }
    }
}
