//! The provider contract: one suite that takes any `CloudProvider` and exercises the interface
//! the CLI and the console rely on — list every kind, describe by ref alone, every action and
//! its observable effect (read back through `describe` and through `list`), invalid transitions,
//! not found, following an operation to its end, tags set and removed, read-only refusal. It
//! runs against the sandbox's three accounts, AWS on moto and GCP on its Compute v1 stub; the
//! Azure adapter plugs its stub in here (a `Subject`).

mod networks;
mod suite;

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "azure")]
mod azure;
#[cfg(feature = "gcp")]
mod gcp;
mod sandbox;

use std::sync::Arc;
use std::time::Duration;

use nephos::providers::CloudProvider;

/// One provider under test, and where the suite may make things in it.
pub struct Subject {
    pub provider: Arc<dyn CloudProvider>,
    /// The same account, configured read-only.
    pub read_only: Arc<dyn CloudProvider>,
    pub region: String,
    pub zone: String,
    pub instance_type: String,
    /// How long `--wait` may take for one step (the sandbox's transitions, moto's instant ones).
    pub timeout: Duration,
    /// Checks this provider's stand-in cannot pass although the real cloud does, each with the
    /// reason; the suite says it skipped them.
    pub gaps: &'static [Gap],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// moto starts a terminated instance again (real AWS refuses).
    StartsTerminated,
    /// moto reboots a stopped instance (real AWS answers `IncorrectInstanceState`).
    RebootsStopped,
}
