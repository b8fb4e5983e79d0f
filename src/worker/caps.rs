//! How many list calls one account has in flight at once: `refresh.max_concurrency` per
//! account, and per account and region where the provider meters calls per region (AWS). Two
//! accounts of one cloud never share a cap. Used by the pollers and the CLI's one-shot fetch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use crate::domain::Str;
use crate::providers::ListScope;

/// One account's caps.
#[derive(Debug)]
pub struct AccountCaps {
    max: usize,
    /// `None`: the account-wide cap; `Some(region)`: that region's.
    caps: Mutex<HashMap<Option<Str>, Arc<Semaphore>>>,
}

impl AccountCaps {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(AccountCaps {
            max: max.max(1),
            caps: Mutex::new(HashMap::new()),
        })
    }

    /// The cap a list call in `scope` takes its permit from.
    pub fn for_scope(&self, scope: &ListScope) -> Arc<Semaphore> {
        let key = scope.metered_region().map(Str::from);
        self.caps
            .lock()
            .expect("caps lock")
            .entry(key)
            .or_insert_with(|| Arc::new(Semaphore::new(self.max)))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_account_and_per_metered_region() {
        let caps = AccountCaps::new(2);
        let east = caps.for_scope(&ListScope::aws_region("us-east-1"));
        let west = caps.for_scope(&ListScope::aws_region("us-west-2"));
        assert!(!Arc::ptr_eq(&east, &west), "AWS regions each have a cap");
        assert!(Arc::ptr_eq(
            &east,
            &caps.for_scope(&ListScope::aws_region("us-east-1"))
        ));
        let a = caps.for_scope(&ListScope::azure_resource_group("rg-a"));
        let b = caps.for_scope(&ListScope::azure_resource_group("rg-b"));
        assert!(Arc::ptr_eq(&a, &b), "one cap for the whole subscription");
        assert_eq!(a.available_permits(), 2);
        let other_account = AccountCaps::new(2);
        assert!(!Arc::ptr_eq(
            &a,
            &other_account.for_scope(&ListScope::azure_resource_group("rg-a"))
        ));
    }
}
