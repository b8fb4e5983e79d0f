//! The actions the console started: queued, running, and how each ended (including the ways
//! quitting ends them), and what to tell the user about them after the terminal is restored.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::State;
use crate::domain::ResourceRef;

/// How many actions run at once (sent to the provider and followed to their final state); the
/// rest wait in [`State::queue`].
pub const MAX_RUNNING_OPS: usize = 8;

/// On quit, how long the console waits for the provider to answer actions already sent.
pub const QUIT_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpStatus {
    /// Waiting for a slot; nothing was sent yet.
    Queued,
    Running,
    Succeeded(String),
    /// The provider's error, whole: kind, code, message, hint.
    Failed(crate::providers::ProviderError),
    /// The console quit before this ended. `accepted`: the provider had taken it, and only its
    /// final state was not seen; otherwise it had not answered (applied or not is unknown).
    Unfollowed {
        accepted: bool,
    },
    /// Never sent: the console quit while it was queued.
    Cancelled,
}

/// One action the console was asked to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpView {
    pub id: u64,
    /// The account it acts in (as the journal names it).
    pub account: String,
    pub op: crate::domain::Op,
    pub what: String,
    /// When it was confirmed; when it started, once it leaves the queue.
    pub started: DateTime<Utc>,
    pub status: OpStatus,
    pub subject: Option<ResourceRef>,
    /// The provider has answered the request (it is being followed now).
    pub accepted: bool,
    /// Where the provider's operation stands, as it last said (`RUNNING 40%`).
    pub progress: Option<String>,
}

impl State {
    pub fn queued_ops(&self) -> usize {
        self.queue.len()
    }
}

/// What quitting cut short, one line each, for stderr once the terminal is back.
pub fn quit_report(s: &State) -> Vec<String> {
    let mut lines: Vec<String> = s
        .ops
        .iter()
        .filter_map(|o| {
            let why = match o.status {
                OpStatus::Unfollowed { accepted: true } => {
                    "accepted by the provider; the console quit before seeing its final state"
                }
                OpStatus::Unfollowed { accepted: false } => {
                    "sent, but the provider had not answered when the console quit: it may or \
                     may not have been applied"
                }
                OpStatus::Cancelled => "queued and never sent",
                _ => return None,
            };
            Some(format!("{}: {why}", o.what))
        })
        .collect();
    if !lines.is_empty() {
        lines.push("each is recorded in the journal".into());
    }
    lines
}
