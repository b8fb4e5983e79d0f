//! The console: build the providers and the state, take the terminal, start the pollers, the
//! input and signal tasks, and run the loop (`event_loop`) with the effect runner (`runner`).
//! Nothing here waits on a cloud: workers do, and answer as actions.

mod event_loop;
mod runner;

use chrono::Utc;
use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use ratatui::backend::{Backend, ClearType};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::action::Action;
use crate::cli::context::no_accounts_message;
use crate::cli::Global;
use crate::config::Config;
use crate::error::AppError;
use crate::keymap::Keymap;
use crate::paths::Paths;
use crate::providers::registry;
use crate::state::{AccountView, State, ThemeName};
use crate::worker::poller;
use crate::{tui, ui, update};

pub use event_loop::{Inputs, Runner as EffectRunner, Screen, Signal};
pub use runner::Runner;

pub async fn run(global: Global, cfg: Config, paths: Paths) -> Result<(), AppError> {
    if !global.demo && cfg.accounts.is_empty() {
        return Err(AppError::usage(no_accounts_message(&paths)));
    }
    let mut providers = registry::build(&cfg, &paths, global.demo, global.read_only);
    if !global.accounts.is_empty() {
        providers.retain(|p| {
            global
                .accounts
                .iter()
                .any(|n| p.account().name == n.as_str())
        });
        if providers.is_empty() {
            return Err(AppError::usage(format!(
                "no account named {}",
                global.accounts.join(", ")
            )));
        }
    }
    let accounts: Vec<AccountView> = providers
        .iter()
        .map(|p| AccountView {
            info: p.account().clone(),
            caps: p.capabilities().clone(),
            // Asked through an effect once the loop runs (and again as the adapter learns).
            offerings: Default::default(),
        })
        .collect();
    let (keymap, mut warnings) = Keymap::load(&cfg.keymap);
    warnings.extend(ui::theme::check_colors(&cfg.ui.colors));

    for w in &warnings {
        tracing::warn!("{w}");
    }
    let mut state = State::new(
        accounts,
        cfg.refresh.clone(),
        cfg.guardrails.clone(),
        keymap,
        Utc::now(),
    );
    state.colors = cfg.ui.colors.clone();
    state.budget = cfg.budget.clone();
    state.views = cfg.views.clone();
    state.mouse = cfg.ui.mouse;
    state.theme = if global.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    {
        ThemeName::Mono
    } else if cfg.ui.theme.as_deref() == Some("light") {
        ThemeName::Light
    } else if cfg.ui.theme.as_deref() == Some("mono") {
        ThemeName::Mono
    } else {
        ThemeName::Dark
    };
    if !warnings.is_empty() {
        state.warn(format!(
            "{} config warning(s): {} (see the log)",
            warnings.len(),
            warnings[0]
        ));
    }

    let (mut term, guard) = tui::enter(state.mouse)
        .map_err(|e| AppError::failed(format!("cannot use this terminal: {e}")))?;
    if let Ok(size) = term.size() {
        state.size = (size.width, size.height);
    }
    let (poll_tx, polls) = mpsc::unbounded_channel();
    let pollers = poller::spawn_all(&providers, &cfg.refresh, poll_tx);
    let (act_tx, actions) = mpsc::unbounded_channel::<Action>();
    let journal = console_journal(&paths, &act_tx);
    let runner_actions = act_tx.clone();
    let mut inputs = Inputs {
        keys: terminal_events(),
        polls,
        actions,
        signals: signals().map_err(|e| AppError::failed(e.to_string()))?,
    };
    let mut runner = Runner::new(providers, journal.clone(), act_tx, Some(pollers));
    let mut screen = TermScreen { term: &mut term };
    screen.draw(&state);
    // Prices after the first frame, on a thread of lower priority: parsing the catalog takes
    // ~50 ms of CPU, which at 100k rows the first lists need more (see docs/performance.md).
    state.prices_pending = true;
    let prices_dir = paths.data_dir.join("prices");
    let (dir, prices_tx) = (prices_dir.clone(), runner_actions.clone());
    let loaded = crate::low_priority::spawn("prices", move || {
        let _ = prices_tx.send(prices(&dir));
    });
    if loaded.is_none() {
        update::update(&mut state, prices(&prices_dir));
    }
    if let Some(w) = crate::journal::unresolved_warning(&journal) {
        state.warn(w);
    }
    for effect in update::ask_offerings(&mut state) {
        EffectRunner::run(&mut runner, effect);
    }
    event_loop::run(&mut state, &mut inputs, &mut screen, &mut runner, &Utc::now).await;
    runner.stop_polling();
    drop(guard);
    let report = crate::state::quit_report(&state);
    for line in &report {
        eprintln!("nephos: {line}");
    }
    if !report.is_empty() {
        eprintln!("nephos: journal: {}", journal.path().display());
    }
    Ok(())
}

/// Terminal input, read by its own task and queued, so the loop can drain it like the rest.
fn terminal_events() -> mpsc::UnboundedReceiver<Option<Event>> {
    let (tx, rx) = mpsc::unbounded_channel::<Option<Event>>();
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let e = events.next().await;
            let end = !matches!(e, Some(Ok(_)));
            if tx.send(e.and_then(Result::ok)).is_err() || end {
                break;
            }
        }
    });
    rx
}

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT quit (the terminal is restored on the way out); SIGTSTP
/// suspends (terminal given back first); SIGCONT takes the terminal again.
fn signals() -> std::io::Result<mpsc::UnboundedReceiver<Signal>> {
    let mut quits = [
        signal(SignalKind::terminate())?,
        signal(SignalKind::hangup())?,
        signal(SignalKind::interrupt())?,
        signal(SignalKind::quit())?,
    ];
    let mut tstp = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    let mut cont = signal(SignalKind::from_raw(libc::SIGCONT))?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let [a, b, c, d] = &mut quits;
            let s = tokio::select! {
                _ = a.recv() => Signal::Quit,
                _ = b.recv() => Signal::Quit,
                _ = c.recv() => Signal::Quit,
                _ = d.recv() => Signal::Quit,
                _ = tstp.recv() => Signal::Suspend,
                _ = cont.recv() => Signal::Resume,
            };
            if tx.send(s).is_err() {
                break;
            }
        }
    });
    Ok(rx)
}

/// The real terminal.
struct TermScreen<'a> {
    term: &'a mut tui::Term,
}

impl Screen for TermScreen<'_> {
    fn draw(&mut self, s: &State) {
        if let Err(e) = self.term.draw(|f| ui::render(f, s)) {
            tracing::error!("cannot draw: {e}");
        }
    }

    fn suspend(&mut self) {
        tui::suspend();
    }

    fn resume(&mut self, s: &State) {
        if let Err(e) = tui::resume(s.mouse) {
            tracing::error!("cannot take the terminal again: {e}");
        }
        // Whatever is on the screen now is not ours: clear it and forget both frames, so the
        // next draw paints every cell. (`Terminal::clear` would first ask the terminal where
        // its cursor is, racing the input task for the answer.)
        let _ = self.term.backend_mut().clear_region(ClearType::All);
        self.term.swap_buffers();
        self.term.swap_buffers();
    }

    fn size(&self) -> Option<(u16, u16)> {
        self.term.size().ok().map(|s| (s.width, s.height))
    }
}

/// The journal, telling the status line when a record cannot be written.
fn console_journal(paths: &Paths, tx: &mpsc::UnboundedSender<Action>) -> crate::journal::Journal {
    let tx = tx.clone();
    crate::journal::Journal::new(paths.journal()).reporting_to(std::sync::Arc::new(move |m| {
        let _ = tx.send(Action::Warn(m));
    }))
}

/// The price catalog from `dir` (the bundled one, with the user's files over it), as the action
/// that hands it to the console; what was wrong with the user's files goes to the log too.
fn prices(dir: &std::path::Path) -> Action {
    let (catalog, warnings) = crate::prices::Catalog::load(dir);
    for w in &warnings {
        tracing::warn!("{w}");
    }
    Action::Prices { catalog, warnings }
}
