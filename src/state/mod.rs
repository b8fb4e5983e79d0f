//! Everything the console shows, as plain data. The reducer (`update`) is the only writer; the
//! renderer (`ui`) only reads.

mod costs;
mod detail_text;
#[cfg(test)]
pub mod fixture;
#[cfg(test)]
pub mod fixture_networks;
mod forms;
mod help;
mod modes;
mod ops;
mod ops_view;
mod view;

use std::collections::HashSet;

use chrono::{DateTime, Utc};

pub use costs::{CostView, Grouping};
pub use detail_text::{detail_lines, detail_links};
pub use forms::{Form, FormField, FormKind};
pub use help::{help_lines, HelpLine};
pub use modes::{Confirm, Detail, Mode, Palette, PaletteItem, PaletteStage, PickItem};
pub use ops::{quit_report, OpStatus, OpView, MAX_RUNNING_OPS, QUIT_GRACE};
pub use ops_view::{ops_lines, wrap, JOURNAL_SHOWN};
pub use view::PaneState;

use crate::config::{Guardrails, Refresh};
use crate::domain::{ProviderKind, ResourceKind, ResourceRef};
use crate::inventory::{Health, Inventory, Scope};
use crate::keymap::Keymap;
use crate::panes::PANES;
use crate::providers::{AccountInfo, Capabilities};

/// What the console knows of an account without talking to it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountView {
    pub info: AccountInfo,
    pub caps: Capabilities,
    /// Regions, zones and machine types for completion (empty when unknown).
    pub offerings: crate::providers::Offerings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
    Mono,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct State {
    pub inventory: Inventory,
    pub accounts: Vec<AccountView>,
    /// Accounts asked for their offerings and not answered yet.
    pub offerings_asked: HashSet<String>,
    pub refresh: Refresh,
    pub guard: Guardrails,
    pub keymap: Keymap,
    pub panes: Vec<PaneState>,
    pub pane: usize,
    pub mode: Mode,
    pub ops: Vec<OpView>,
    /// Confirmed requests waiting for a slot (at most [`MAX_RUNNING_OPS`] run at once).
    pub queue: std::collections::VecDeque<(u64, crate::ops::Request)>,
    pub next_op: u64,
    pub message: Option<Message>,
    pub theme: ThemeName,
    pub colors: std::collections::BTreeMap<String, String>,
    pub mouse: bool,
    pub demo: bool,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub now: DateTime<Utc>,
    /// A spinner frame counter, moved by ticks while something runs.
    pub spin: u64,
    /// Quitting: nothing new starts; the loop leaves once every running action is answered
    /// (or [`QUIT_GRACE`] has passed).
    pub quit: bool,
    /// Quit asked again while quitting: leave without waiting.
    pub quit_now: bool,
    /// List prices, for the $/h columns and the Costs pane.
    pub catalog: std::sync::Arc<crate::prices::Catalog>,
    /// The console's prices are still being read (they arrive after its first frame, as
    /// [`Action::Prices`](crate::action::Action::Prices)): the Costs pane says so rather than
    /// show every resource unpriced.
    pub prices_pending: bool,
    /// Machine shapes (catalog and accounts), for right-sizing.
    pub shapes: std::sync::Arc<crate::prices::findings::Shapes>,
    pub costs: CostView,
    pub budget: crate::config::Budget,
    /// Failed actions the user has not looked at yet (`errors` in the palette shows them): a
    /// later success replaces the message line, not this.
    pub unseen_failures: usize,
    /// Resources an action changed that are described again until they settle (a load
    /// balancer's targets pass their first checks), so the table does not wait for the next
    /// poll.
    pub watch: Vec<Watch>,
    /// The journal's recent actions for the operations view (None: being read).
    pub journal: Option<Result<Vec<crate::journal::Action>, String>>,
    /// The detail views a link was followed from, oldest first: Esc goes back to the last.
    pub detail_back: Vec<Detail>,
    /// The scope every pane keeps to (`:ctx`): one account, provider or region; None: all.
    /// It is added to each pane's filter, not written into its text.
    pub scope: Option<crate::config::ScopeSel>,
    /// Saved views from the config (the palette lists them).
    pub views: Vec<crate::config::View>,
}

/// One resource described again every [`WATCH_EVERY`] until it settles or `until` passes.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    pub target: ResourceRef,
    pub next: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

pub const WATCH_EVERY: chrono::Duration = chrono::Duration::seconds(3);
pub const WATCH_FOR: chrono::Duration = chrono::Duration::seconds(120);

/// Rows the layout takes besides the table body: header, tabs, table header, status line.
pub const CHROME_ROWS: u16 = 5;
/// Below this the layout is replaced by a short message.
pub const MIN_SIZE: (u16, u16) = (60, 12);

impl State {
    pub fn new(
        accounts: Vec<AccountView>,
        refresh: Refresh,
        guard: Guardrails,
        keymap: Keymap,
        now: DateTime<Utc>,
    ) -> Self {
        let demo = accounts.iter().any(|a| a.info.sandbox);
        let mut s = State {
            inventory: Inventory::new(),
            accounts,
            offerings_asked: HashSet::new(),
            refresh,
            guard,
            keymap,
            panes: PANES.iter().map(|p| PaneState::new(p.kind())).collect(),
            pane: 0,
            mode: Mode::Normal,
            ops: Vec::new(),
            queue: Default::default(),
            next_op: 1,
            message: None,
            theme: ThemeName::Dark,
            colors: Default::default(),
            mouse: false,
            demo,
            size: (120, 40),
            now,
            spin: 0,
            quit: false,
            quit_now: false,
            // Set by the app once the first frame is drawn (parsing takes a few tens of ms).
            catalog: Default::default(),
            prices_pending: false,
            shapes: Default::default(),
            costs: CostView::default(),
            budget: Default::default(),
            unseen_failures: 0,
            watch: Vec::new(),
            journal: None,
            detail_back: Vec::new(),
            scope: None,
            views: Vec::new(),
        };
        s.set_catalog(Default::default());
        s
    }

    /// Use `catalog` for prices; shapes for right-sizing come from it and the accounts.
    pub fn set_catalog(&mut self, catalog: std::sync::Arc<crate::prices::Catalog>) {
        for p in &mut self.panes {
            p.sort.1 = crate::prices::PriceBook::new(catalog.clone());
            p.filter = std::mem::take(&mut p.filter).with_prices(catalog.clone());
            p.prices_changed();
        }
        self.catalog = catalog;
        self.refresh_shapes();
    }

    /// Recompute the machine shapes after the catalog or an account's offerings changed.
    pub fn refresh_shapes(&mut self) {
        let reported: Vec<_> = self
            .accounts
            .iter()
            .flat_map(|a| {
                a.offerings.machine_types.iter().map(move |m| {
                    (
                        a.info.provider,
                        m.name.clone(),
                        crate::prices::Shape {
                            vcpus: m.vcpus,
                            memory_mib: (m.memory_gib * 1024.0).round() as u32,
                            arm: false,
                            gpus: 0,
                        },
                    )
                })
            })
            .collect();
        self.shapes =
            std::sync::Arc::new(crate::prices::findings::shapes(&self.catalog, &reported));
        self.costs.computed_at = None;
    }

    /// Recompute the cost figures if the rows changed since.
    pub fn refresh_costs(&mut self) {
        if self.costs.computed_at != Some(self.inventory.rows_generation) {
            let (inv, cat, shapes) = (&self.inventory, self.catalog.clone(), self.shapes.clone());
            let filter = self
                .panes
                .iter()
                .find(|p| p.kind.is_none())
                .map(|p| p.filter.clone())
                .unwrap_or_default();
            self.costs.compute(inv, &cat, &shapes, &filter);
            self.costs.computed_at = Some(self.inventory.rows_generation);
        }
    }

    /// Make what the next key will need, once the frame is drawn: while a filter is typed,
    /// the current pane's folded free text ([`PaneState::prepare_filter`]). A cache: what is
    /// shown does not change. True if anything was made.
    pub fn prepare_next_key(&self) -> bool {
        self.mode == Mode::Filter && self.current().prepare_filter(&self.inventory)
    }

    pub fn current(&self) -> &PaneState {
        &self.panes[self.pane]
    }

    pub fn current_mut(&mut self) -> &mut PaneState {
        &mut self.panes[self.pane]
    }

    pub fn kind(&self) -> Option<ResourceKind> {
        self.panes[self.pane].kind
    }

    /// Lines inside a bordered overlay that fills the body (help).
    pub fn overlay_rows(&self) -> usize {
        self.size.1.saturating_sub(5).max(1) as usize
    }

    /// Lines of text the detail view shows at once (its last line is the footer).
    pub fn detail_rows(&self) -> usize {
        self.overlay_rows().saturating_sub(1).max(1)
    }

    /// How many lines the help overlay has.
    pub fn help_len(&self) -> usize {
        help_lines(&self.keymap).len()
    }

    pub fn body_height(&self) -> usize {
        self.size.1.saturating_sub(CHROME_ROWS).max(1) as usize
    }

    pub fn account(&self, name: &str) -> Option<&AccountView> {
        self.accounts.iter().find(|a| a.info.name == name)
    }

    /// What a pane's cells read besides their row: the inventory, the prices and the clock.
    pub fn cell_ctx(&self) -> crate::kinds::Ctx<'_> {
        crate::kinds::Ctx {
            now: self.now,
            catalog: &self.catalog,
            inventory: Some(&self.inventory),
        }
    }

    /// Every change is refused: the flag, the config, or every account is read-only.
    pub fn all_read_only(&self) -> bool {
        !self.accounts.is_empty() && self.accounts.iter().all(|a| a.info.read_only)
    }

    /// The actions that failed, newest first (what `errors` lists).
    pub fn failures(&self) -> impl Iterator<Item = (&OpView, &crate::providers::ProviderError)> {
        self.ops.iter().rev().filter_map(|o| match &o.status {
            OpStatus::Failed(e) => Some((o, e)),
            _ => None,
        })
    }

    pub fn running_ops(&self) -> usize {
        self.ops
            .iter()
            .filter(|o| o.status == OpStatus::Running)
            .count()
    }

    pub fn interval(&self, kind: ResourceKind) -> std::time::Duration {
        match kind {
            ResourceKind::Instance => self.refresh.instances,
            ResourceKind::Disk => self.refresh.disks,
            ResourceKind::LoadBalancer => self.refresh.load_balancers,
            ResourceKind::Network => self.refresh.networks,
        }
    }

    /// One account's health: the worst of its scopes, and the age of its oldest data.
    pub fn account_health(&self, name: &str) -> (Health, Option<DateTime<Utc>>, Option<String>) {
        if let Some(e) = self.inventory.account_errors.get(name) {
            let h = if e.kind == crate::providers::ErrorKind::Throttled {
                Health::Throttled
            } else {
                Health::Error
            };
            return (h, None, Some(e.to_string()));
        }
        let scopes: Vec<(&Scope, &crate::inventory::ScopeStatus)> = self
            .inventory
            .scopes
            .iter()
            .filter(|(s, _)| s.account == name)
            .collect();
        if scopes.is_empty() {
            return (Health::Loading, None, None);
        }
        let mut worst = Health::Ok;
        let mut oldest: Option<DateTime<Utc>> = None;
        let mut msg = None;
        for (s, st) in scopes {
            let h = st.health(self.now, self.interval(s.kind));
            if h > worst {
                worst = h;
                msg = st.error.as_ref().map(|e| format!("{}: {e}", s.list));
            }
            if let Some(t) = st.fetched_at {
                oldest = Some(oldest.map_or(t, |o: DateTime<Utc>| o.min(t)));
            }
        }
        (worst, oldest, msg)
    }

    pub fn provider_of(&self, account: &str) -> Option<ProviderKind> {
        self.account(account).map(|a| a.info.provider)
    }

    pub fn marks(&self) -> &HashSet<ResourceRef> {
        &self.current().marks
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Info,
            text: text.into(),
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Warn,
            text: text.into(),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Error,
            text: text.into(),
        });
    }
}
