//! `instance create`'s cloud-specific flags (`--ssh-key`, `--resource-group`, `--subnet`) as
//! the spec's [`CreateOptions`]. They are Azure's: on another cloud they are refused by name
//! before anything is asked of it, never silently dropped.

use crate::cli::args::CreateInstance;
use crate::domain::ProviderKind;
use crate::error::AppError;
use crate::providers::{ssh_key, AccountInfo, CreateOptions};

/// The options of `c` for the account it creates in.
pub fn for_account(c: &CreateInstance, account: &AccountInfo) -> Result<CreateOptions, AppError> {
    let mut o = CreateOptions {
        ssh_public_key: None,
        resource_group: c.resource_group.clone(),
        subnet: c.subnet.clone(),
    };
    if let Some(path) = &c.ssh_key {
        o.ssh_public_key = Some(ssh_key::read(path)?);
    }
    let flags = o.flags_set();
    if account.provider != ProviderKind::Azure && !flags.is_empty() {
        return Err(AppError::usage(format!(
            "{} {} only for Azure accounts; account {} is {}",
            flags.join(", "),
            if flags.len() == 1 { "is" } else { "are" },
            account.name,
            account.provider
        )));
    }
    Ok(o)
}
