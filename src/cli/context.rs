//! What every headless command starts from: paths, config, logging, the providers of the
//! selected accounts, the journal; and a one-shot fetch of the inventory.

use std::future::Future;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::args::{Global, Output};
use crate::config::Config;
use crate::domain::{ResourceKind, ResourceRef};
use crate::error::AppError;
use crate::inventory::{Inventory, Scope};
use crate::journal::Journal;
use crate::paths::Paths;
use crate::providers::{
    list_kind, registry, AccountInfo, CloudProvider, ErrorKind, ProviderError, Resources,
};
use crate::worker::caps::AccountCaps;

pub struct Context {
    pub cfg: Config,
    pub paths: Paths,
    pub providers: Vec<Arc<dyn CloudProvider>>,
    pub journal: Journal,
    pub output: Output,
    /// Standard input is a terminal, so questions can be asked.
    pub interactive: bool,
    /// `--account` names, as given.
    pub selected: Vec<String>,
    /// `--deadline`: how long the command may wait for clouds to answer its reads.
    pub deadline: Duration,
    /// When the deadline runs out (counted from the start of the command).
    pub deadline_at: Instant,
}

/// The error for a cloud call cut off by the command's deadline, in plain words.
pub fn no_answer(account: &AccountInfo, region: Option<&str>, within: Duration) -> ProviderError {
    let secs = within.as_secs_f64();
    let within = if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs:.1} s")
    };
    let region = region.map(|r| format!(" ({r})")).unwrap_or_default();
    ProviderError::new(
        ErrorKind::Timeout,
        format!(
            "{} account '{}' did not answer within {within}{region}",
            account.provider, account.name
        ),
    )
    .with_hint("raise the limit with --deadline SECS (or NEPHOS_DEADLINE), or leave the account out with --account")
}

pub fn no_accounts_message(paths: &Paths) -> String {
    format!(
        "no accounts are configured (looked in {}). Add an [[accounts]] table for each AWS, GCP or Azure account (see README.md, \"Configuration\"), or try the sandbox cloud: nephos --demo",
        paths.config_file.display()
    )
}

/// The journal, telling the user on stderr when a record cannot be written.
pub fn cli_journal(paths: &Paths) -> Journal {
    Journal::new(paths.journal()).reporting_to(Arc::new(|m| eprintln!("nephos: warning: {m}")))
}

impl Context {
    /// Load config and build providers. `need_accounts`: fail plainly when there are none.
    pub fn new(
        global: &Global,
        cfg: Config,
        paths: Paths,
        need_accounts: bool,
    ) -> Result<Context, AppError> {
        if need_accounts && !global.demo && cfg.accounts.is_empty() {
            return Err(AppError::usage(no_accounts_message(&paths)));
        }
        let mut providers = registry::build(&cfg, &paths, global.demo, global.read_only);
        if !global.accounts.is_empty() {
            for name in &global.accounts {
                if !providers.iter().any(|p| p.account().name == name.as_str()) {
                    let names: Vec<String> = providers
                        .iter()
                        .map(|p| p.account().name.to_string())
                        .collect();
                    return Err(AppError::usage(format!(
                        "unknown account '{name}'; accounts are {}",
                        names.join(", ")
                    )));
                }
            }
            providers.retain(|p| {
                global
                    .accounts
                    .iter()
                    .any(|n| p.account().name == n.as_str())
            });
        }
        Ok(Context {
            journal: cli_journal(&paths),
            cfg,
            paths,
            providers,
            output: global.output,
            interactive: std::io::stdin().is_terminal(),
            selected: global.accounts.clone(),
            deadline: global.deadline(),
            deadline_at: Instant::now() + global.deadline(),
        })
    }

    pub fn provider(&self, account: &str) -> Result<&Arc<dyn CloudProvider>, AppError> {
        self.providers
            .iter()
            .find(|p| p.account().name == account)
            .ok_or_else(|| {
                let names: Vec<String> = self
                    .providers
                    .iter()
                    .map(|p| p.account().name.to_string())
                    .collect();
                AppError::usage(format!(
                    "unknown account '{account}'; accounts are {}",
                    names.join(", ")
                ))
            })
    }

    pub fn provider_for(&self, r: &ResourceRef) -> Result<&Arc<dyn CloudProvider>, AppError> {
        self.provider(&r.account)
    }

    /// The one account a `create` names with `--account`.
    pub fn create_account(&self) -> Result<&Arc<dyn CloudProvider>, AppError> {
        match self.selected.as_slice() {
            [one] => self.provider(one),
            [] if self.providers.len() == 1 => Ok(&self.providers[0]),
            [] => Err(AppError::usage(format!(
                "say which account to create in with --account NAME (accounts: {})",
                self.providers
                    .iter()
                    .map(|p| p.account().name.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            _ => Err(AppError::usage("create takes exactly one --account")),
        }
    }

    /// `call` on `account`, given up when the command's deadline runs out.
    pub async fn within_deadline<T>(
        &self,
        account: &AccountInfo,
        call: impl Future<Output = Result<T, ProviderError>>,
    ) -> Result<T, ProviderError> {
        tokio::time::timeout_at(self.deadline_at, call)
            .await
            .unwrap_or_else(|_| Err(no_answer(account, None, self.deadline)))
    }

    /// Fetch `kinds` from every account and list scope at once (a cap per account, and per
    /// region where the provider meters per region), as one inventory. Failures are recorded
    /// in it, not returned: the rest still arrives. A scope that has not answered by the
    /// deadline is recorded as failed with a message saying so.
    pub async fn fetch(&self, kinds: &[ResourceKind]) -> Inventory {
        self.fetch_where(kinds, None).await
    }

    /// Fetch what is needed to resolve `ids`. When every id is a ref, only the accounts and
    /// regions they name are read: a command on one account never waits on another's.
    pub async fn fetch_for(&self, kinds: &[ResourceKind], ids: &[&str]) -> Inventory {
        let refs: Option<Vec<ResourceRef>> = ids.iter().map(|id| id.parse().ok()).collect();
        match refs {
            Some(refs) if !refs.is_empty() => self.fetch_where(kinds, Some(&refs)).await,
            _ => self.fetch(kinds).await,
        }
    }

    async fn fetch_where(&self, kinds: &[ResourceKind], only: Option<&[ResourceRef]>) -> Inventory {
        let mut inv = Inventory::new();
        let mut accounts = JoinSet::new();
        for p in &self.providers {
            let regions: Option<Vec<String>> = only.map(|refs| {
                let mut r: Vec<String> = refs
                    .iter()
                    .filter(|r| r.account == p.account().name)
                    .map(|r| r.region.to_string())
                    .collect();
                r.sort();
                r.dedup();
                r
            });
            if regions.as_ref().is_some_and(|r| r.is_empty()) {
                continue;
            }
            let p = p.clone();
            let caps = AccountCaps::new(self.cfg.refresh.max_concurrency);
            let kinds = kinds.to_vec();
            let limit = (self.deadline_at, self.deadline);
            accounts.spawn(async move { fetch_account(p, regions, kinds, caps, limit).await });
        }
        while let Some(joined) = accounts.join_next().await {
            match joined {
                Ok(Ok(results)) => {
                    for (scope, outcome) in results {
                        inv.apply(scope, outcome, Utc::now());
                    }
                }
                Ok(Err((account, e))) => inv.account_failed(&account, e),
                Err(e) => tracing::error!("fetch task failed: {e}"),
            }
        }
        inv
    }
}

type ScopeResult = (Scope, Result<Resources, ProviderError>);

/// One account's regions (all of them, or `regions`), each scope given up at `deadline`.
async fn fetch_account(
    p: Arc<dyn CloudProvider>,
    regions: Option<Vec<String>>,
    kinds: Vec<ResourceKind>,
    caps: Arc<AccountCaps>,
    (deadline, within): (Instant, Duration),
) -> Result<Vec<ScopeResult>, (String, ProviderError)> {
    let account = p.account().name.to_string();
    let mut set = JoinSet::new();
    for kind in kinds {
        let lists = tokio::time::timeout_at(deadline, list_kind::scopes(p.as_ref(), kind))
            .await
            .unwrap_or_else(|_| Err(no_answer(p.account(), None, within)))
            .map_err(|e| (account.clone(), e))?;
        for list in lists {
            // Refs name the regions to read: a scope of one region that is not among them is
            // left out (a scope spanning regions, a GCP project, is read whole).
            if let (Some(only), Some(region)) = (&regions, list.metered_region()) {
                if !only.iter().any(|r| r == region) {
                    continue;
                }
            }
            let (p, cap, account) = (p.clone(), caps.for_scope(&list), account.clone());
            set.spawn(async move {
                let listed = tokio::time::timeout_at(deadline, async {
                    let _permit = cap.acquire_owned().await;
                    list_kind::list(p.as_ref(), &list, kind).await
                })
                .await
                .unwrap_or_else(|_| Err(no_answer(p.account(), Some(&list.to_string()), within)));
                (Scope::new(&account, list, kind), listed)
            });
        }
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        if let Ok(r) = r {
            out.push(r);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
