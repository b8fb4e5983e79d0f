//! Everything that happens to the console, as one type: keys, mouse, resizes, ticks, and the
//! answers of background work. The reducer takes these one at a time.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::{Described, Resource, ResourceRef};
use crate::providers::Offerings;
use crate::providers::ProviderError;
use crate::worker::poller::PollEvent;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Time passed (clock for ages, spinner frames).
    Tick(DateTime<Utc>),
    Poll(PollEvent),
    /// The provider accepted action `id`; this is the resource as it answered.
    OpAccepted {
        id: u64,
        resource: Option<Resource>,
    },
    /// Action `id`'s operation reported how far it has got.
    OpProgress {
        id: u64,
        progress: String,
    },
    /// Action `id` ended: the resource as it ended (None: gone), or the provider's error as
    /// it said it (kind, code, message, hint), so the reducer can tell not-found from auth.
    OpFinished {
        id: u64,
        result: Result<Option<Resource>, ProviderError>,
    },
    /// The console stopped following action `id` (it is quitting); `accepted`: the provider
    /// had answered it.
    OpUnfollowed {
        id: u64,
        accepted: bool,
    },
    /// What an account offers, as it knows now.
    Offerings {
        account: String,
        offerings: Offerings,
    },
    Described {
        target: ResourceRef,
        result: Result<Described, ProviderError>,
    },
    /// The journal's recent actions, oldest first (or why it could not be read).
    JournalLoaded(Result<Vec<crate::journal::Action>, String>),
    /// The price catalog, parsed after the first frame on a thread of its own, and what was
    /// wrong with the user's price files.
    Prices {
        catalog: std::sync::Arc<crate::prices::Catalog>,
        warnings: Vec<String>,
    },
    /// A problem outside the reducer the user must hear of (a journal record not written).
    Warn(String),
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT: leave (after the actions in flight are answered).
    Quit,
}
