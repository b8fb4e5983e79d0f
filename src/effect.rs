//! What the reducer asks the outside world to do, as data: tests assert on these.

use crate::domain::ResourceRef;
use crate::ops::Request;

/// (A few effects per key press: the size difference between variants does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Run an action; its progress comes back as `OpAccepted` / `OpFinished` with this id.
    Run { id: u64, request: Request },
    /// Record that a queued action was never sent (the console quit first).
    Cancelled { id: u64, request: Request },
    /// Ask an account what it offers (regions, zones, machine types); the answer comes back as
    /// `Action::Offerings`.
    LoadOfferings(String),
    /// Fetch one resource with its raw payload for the detail view.
    Describe(ResourceRef),
    /// Read the journal's recent actions; they come back as `Action::JournalLoaded`.
    LoadJournal,
    /// Poll every account now.
    RefreshNow,
    /// Put text on the user's clipboard (OSC 52).
    Copy(String),
    /// Change mouse capture.
    Mouse(bool),
    /// Quitting: stop following running actions once the provider has answered them.
    Quit,
}
