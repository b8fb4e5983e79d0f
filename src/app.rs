//! The console's one loop: wait for anything (a key, a poll result, an operation's progress, a
//! tick, a signal), drain everything else pending, run it all through the reducer, carry out the
//! effects, then draw once. Nothing here waits on a cloud: workers do, and answer as actions.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::action::Action;
use crate::cli::context::no_accounts_message;
use crate::cli::Global;
use crate::config::Config;
use crate::effect::Effect;
use crate::error::AppError;
use crate::keymap::Keymap;
use crate::ops;
use crate::paths::Paths;
use crate::providers::{registry, CloudProvider};
use crate::state::{AccountView, State, ThemeName};
use crate::worker::poller;
use crate::{tui, ui, update};

/// How long an action is followed to its final state before the console stops waiting.
const FOLLOW: Duration = Duration::from_secs(30 * 60);

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
            offerings: p.offerings(),
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

    let (mut term, _guard) = tui::enter(state.mouse)
        .map_err(|e| AppError::failed(format!("cannot use this terminal: {e}")))?;
    if let Ok(size) = term.size() {
        state.size = (size.width, size.height);
    }
    let (poll_tx, mut poll_rx) = mpsc::unbounded_channel();
    let pollers = poller::spawn_all(&providers, &cfg.refresh, poll_tx);
    let (act_tx, mut act_rx) = mpsc::unbounded_channel::<Action>();
    let journal = console_journal(&paths, &act_tx);
    // Terminal input is read by its own task and queued, so the loop can drain it like the rest.
    let (key_tx, mut key_rx) = mpsc::unbounded_channel::<Option<Event>>();
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let e = events.next().await;
            let end = !matches!(e, Some(Ok(_)));
            if key_tx.send(e.and_then(Result::ok)).is_err() || end {
                break;
            }
        }
    });
    let mut sigterm =
        signal(SignalKind::terminate()).map_err(|e| AppError::failed(e.to_string()))?;
    let mut sighup = signal(SignalKind::hangup()).map_err(|e| AppError::failed(e.to_string()))?;

    draw(&mut term, &state);
    // Prices after the first frame: the catalog takes a few tens of ms to parse.
    let (catalog, price_warnings) = crate::prices::Catalog::load(&paths.data_dir.join("prices"));
    state.set_catalog(catalog);
    for w in &price_warnings {
        tracing::warn!("{w}");
        state.warn(w.clone());
    }
    if let Some(w) = crate::journal::unresolved_warning(&journal) {
        state.warn(w);
    }
    let mut last_second = Utc::now().timestamp();
    loop {
        let tick = if state.running_ops() > 0 {
            Duration::from_millis(120)
        } else {
            Duration::from_millis(1000)
        };
        let first = tokio::select! {
            Some(e) = key_rx.recv() => match e {
                Some(e) => event_action(e),
                // The terminal is gone (a dropped SSH session): leave.
                None => Some(Action::Quit),
            },
            Some(p) = poll_rx.recv() => Some(Action::Poll(p)),
            Some(a) = act_rx.recv() => Some(a),
            _ = tokio::time::sleep(tick) => Some(Action::Tick(Utc::now())),
            _ = sigterm.recv() => Some(Action::Quit),
            _ = sighup.recv() => Some(Action::Quit),
        };
        let mut batch: Vec<Action> = first.into_iter().collect();
        // Everything else already waiting, without waiting for more.
        while let Ok(p) = poll_rx.try_recv() {
            batch.push(Action::Poll(p));
        }
        while let Ok(a) = act_rx.try_recv() {
            batch.push(a);
        }
        while let Ok(e) = key_rx.try_recv() {
            batch.extend(match e {
                Some(e) => event_action(e),
                None => Some(Action::Quit),
            });
        }
        #[cfg(debug_assertions)]
        if std::env::var_os("NEPHOS_TEST_PANIC_ON_KEY").is_some()
            && batch.iter().any(|a| matches!(a, Action::Key(_)))
        {
            // For the end-to-end test that a panic leaves the terminal sane (debug builds only).
            panic!("test panic on a key press");
        }
        let mut dirty = false;
        for action in batch {
            if let Action::Tick(now) = action {
                // Idle ticks redraw once a second (ages), spinner ticks every time.
                if state.running_ops() == 0 && now.timestamp() == last_second {
                    continue;
                }
                last_second = now.timestamp();
            }
            for effect in update::update(&mut state, action) {
                run_effect(effect, &providers, &journal, &act_tx, &pollers);
            }
            dirty = true;
        }
        if state.quit {
            break;
        }
        if dirty {
            draw(&mut term, &state);
        }
    }
    pollers.stop();
    drop(_guard);
    Ok(())
}

/// The journal, telling the status line when a record cannot be written.
fn console_journal(paths: &Paths, tx: &mpsc::UnboundedSender<Action>) -> crate::journal::Journal {
    let tx = tx.clone();
    crate::journal::Journal::new(paths.journal()).reporting_to(Arc::new(move |m| {
        let _ = tx.send(Action::Warn(m));
    }))
}

fn draw(term: &mut tui::Term, state: &State) {
    if let Err(e) = term.draw(|f| ui::render(f, state)) {
        tracing::error!("cannot draw: {e}");
    }
}

fn event_action(e: Event) -> Option<Action> {
    match e {
        Event::Key(k) => Some(Action::Key(k)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

fn run_effect(
    effect: Effect,
    providers: &[Arc<dyn CloudProvider>],
    journal: &crate::journal::Journal,
    tx: &mpsc::UnboundedSender<Action>,
    pollers: &poller::Pollers,
) {
    match effect {
        Effect::Run { id, request } => {
            let Some(p) = providers
                .iter()
                .find(|p| p.account().name == request.account())
                .cloned()
            else {
                let _ = tx.send(Action::OpFinished {
                    id,
                    result: Err(crate::providers::ProviderError::new(
                        crate::providers::ErrorKind::Invalid,
                        format!("no account '{}'", request.account()),
                    )),
                });
                return;
            };
            let (journal, tx) = (journal.clone(), tx.clone());
            tokio::spawn(async move {
                let done = match ops::execute(p.as_ref(), &request, &journal).await {
                    Ok(d) => d,
                    Err(e) => {
                        let _ = tx.send(Action::OpFinished { id, result: Err(e) });
                        return;
                    }
                };
                let _ = tx.send(Action::OpAccepted {
                    id,
                    resource: done.resource.clone(),
                });
                let result = match request.wait_for() {
                    Some(want) => {
                        let progress_tx = tx.clone();
                        let mut report = move |p: &crate::providers::Progress| {
                            let _ = progress_tx.send(Action::OpProgress {
                                id,
                                progress: p.to_string(),
                            });
                        };
                        ops::wait::until_with(
                            p.as_ref(),
                            &done.target,
                            want,
                            done.operation.as_ref(),
                            FOLLOW,
                            &mut report,
                        )
                        .await
                    }
                    None => Ok(done.resource),
                };
                let _ = tx.send(Action::OpFinished { id, result });
            });
        }
        Effect::Describe(r) => {
            let Some(p) = providers
                .iter()
                .find(|p| p.account().name == r.account.as_str())
                .cloned()
            else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let result = p.describe(&r).await;
                let _ = tx.send(Action::Described { target: r, result });
            });
        }
        Effect::RefreshNow => pollers.refresh_now(),
        Effect::Copy(text) => tui::copy_osc52(&text),
        Effect::Mouse(on) => tui::set_mouse(on),
        Effect::Quit => {}
    }
}
