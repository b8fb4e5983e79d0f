//! What every headless command starts from: paths, config, logging, the providers of the
//! selected accounts, the journal; and a one-shot fetch of the inventory.

use std::io::IsTerminal;
use std::sync::Arc;

use chrono::Utc;
use tokio::task::JoinSet;

use super::args::{Global, Output};
use crate::config::Config;
use crate::domain::{ResourceKind, ResourceRef};
use crate::error::AppError;
use crate::inventory::{Inventory, Scope};
use crate::journal::Journal;
use crate::paths::Paths;
use crate::providers::{registry, CloudProvider, ProviderError, Resources};
use crate::worker::caps::AccountCaps;

pub struct Context {
    pub cfg: Config,
    pub paths: Paths,
    pub providers: Vec<Arc<dyn CloudProvider>>,
    pub journal: Journal,
    pub output: Output,
    pub demo: bool,
    /// Standard input is a terminal, so questions can be asked.
    pub interactive: bool,
    /// `--account` names, as given.
    pub selected: Vec<String>,
}

pub fn no_accounts_message(paths: &Paths) -> String {
    format!(
        "no accounts are configured (looked in {}). Add an [[accounts]] table for each AWS, GCP or Azure account (see README.md, \"Configuration\"), or try the sandbox cloud: nephos --demo",
        paths.config_file.display()
    )
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
            journal: Journal::new(paths.journal()),
            cfg,
            paths,
            providers,
            output: global.output,
            demo: global.demo,
            interactive: std::io::stdin().is_terminal(),
            selected: global.accounts.clone(),
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

    /// Fetch `kinds` from every account and list scope at once (a cap per account, and per
    /// region where the provider meters per region), as one inventory. Failures are recorded
    /// in it, not returned: the rest still arrives.
    pub async fn fetch(&self, kinds: &[ResourceKind]) -> Inventory {
        let mut inv = Inventory::new();
        let mut accounts = JoinSet::new();
        for p in &self.providers {
            let p = p.clone();
            let caps = AccountCaps::new(self.cfg.refresh.max_concurrency);
            let kinds = kinds.to_vec();
            accounts.spawn(async move { fetch_account(p, kinds, caps).await });
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

async fn fetch_account(
    p: Arc<dyn CloudProvider>,
    kinds: Vec<ResourceKind>,
    caps: Arc<AccountCaps>,
) -> Result<Vec<ScopeResult>, (String, ProviderError)> {
    let account = p.account().name.to_string();
    let mut set = JoinSet::new();
    for kind in kinds {
        let lists = p
            .list_scopes(kind)
            .await
            .map_err(|e| (account.clone(), e))?;
        for list in lists {
            let (p, cap, account) = (p.clone(), caps.for_scope(&list), account.clone());
            set.spawn(async move {
                let _permit = cap.acquire_owned().await;
                let outcome = p.list(&list, kind).await;
                (Scope::new(&account, list, kind), outcome)
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
