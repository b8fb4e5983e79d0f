//! One file per subcommand.

pub(crate) mod accounts;
pub(crate) mod actions;
pub(crate) mod costs;
pub(crate) mod create_options;
pub(crate) mod findings;
pub(crate) mod get;
pub(crate) mod journal;
pub(crate) mod list;
pub(crate) mod network;
pub(crate) mod prices;
pub(crate) mod resolve;
pub(crate) mod sandbox;

use crate::error::AppError;
use crate::inventory::Inventory;

/// Name every account or list scope that could not be read (on stderr, in the provider's words:
/// `aws dev region us-east-1 instances`, `gcp prod project my-proj disks`), and fail the command
/// if any could not: the rows that did arrive are printed first.
pub fn report_failures(inv: &Inventory) -> Result<(), AppError> {
    let failures = inv.failures();
    if failures.is_empty() {
        return Ok(());
    }
    for (scope, e) in &failures {
        crate::cli::output::warn(format_args!("{scope}: {e}"));
    }
    Err(AppError::failed(format!(
        "{} account(s) or list scope(s) could not be read; the rest is shown",
        failures.len()
    )))
}

/// Name on stderr each list scope whose provider cannot list its kind yet (networks on an
/// adapter without `list_networks`): a note, not a failure.
pub fn note_unsupported(inv: &Inventory) {
    for (scope, why) in inv.unsupported() {
        crate::cli::output::warn(format_args!("note: {scope}: not listed ({why})"));
    }
}

/// A closed stdout (`nephos list … | head`) is not an error.
pub fn io_result(r: std::io::Result<()>) -> Result<(), AppError> {
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        // `--fields` naming a field the output does not have.
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            Err(AppError::usage(e.to_string()))
        }
        Err(e) => Err(AppError::failed(format!("cannot write output: {e}"))),
    }
}
