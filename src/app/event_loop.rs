//! The console's one loop, apart from the terminal and the world so a test can drive it: wait for
//! anything (a key, a poll result, an answer, a signal, the next tick, a frame due), take what
//! else is queued (a bounded batch), run it through the reducer, hand the effects to the runner,
//! and draw when something visible changed, at most once per [`FRAME`].
//!
//! Ticks keep their own deadline, so however busy the channels are they fire on time: a tick
//! is due after each batch whose wait ran past it. An idle tick that changes nothing on screen
//! ([`ui::clock::face`]) draws nothing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use crate::action::Action;
use crate::effect::Effect;
use crate::state::{State, QUIT_GRACE};
use crate::worker::poller::PollEvent;
use crate::{ui, update};

/// The shortest time between two draws (about 60 a second).
pub const FRAME: Duration = Duration::from_millis(16);
/// Ticks when nothing runs: the header's ages move by seconds.
pub const IDLE_TICK: Duration = Duration::from_millis(1000);
/// Ticks while an action runs: the spinner.
pub const BUSY_TICK: Duration = Duration::from_millis(120);
/// At most this many inputs are taken per turn, so a flood cannot hold off ticks and draws.
const MAX_BATCH: usize = 4096;

/// Where frames go: the terminal, or a test's buffer.
pub trait Screen {
    fn draw(&mut self, s: &State);
    /// Give the terminal back and stop the process (SIGTSTP, ctrl-z); returns once continued.
    fn suspend(&mut self);
    /// Take the terminal again (after SIGCONT, or a suspend) so the next draw is whole.
    fn resume(&mut self, s: &State);
    /// The terminal's size now (columns, rows), if known.
    fn size(&self) -> Option<(u16, u16)>;
}

/// Who carries out the reducer's effects.
pub trait Runner {
    fn run(&mut self, effect: Effect);
    /// Quitting's wait is over: stop following what is still in flight, record that in the
    /// journal, and say which (`true`: the provider had answered it).
    fn abandon(&mut self) -> Vec<(u64, bool)>;
}

/// What the process is told by signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT.
    Quit,
    /// SIGTSTP.
    Suspend,
    /// SIGCONT.
    Resume,
}

pub struct Inputs {
    /// Terminal events; `None` once the terminal is gone.
    pub keys: UnboundedReceiver<Option<Event>>,
    pub polls: UnboundedReceiver<PollEvent>,
    /// Answers of effects (operations, describes, offerings).
    pub actions: UnboundedReceiver<Action>,
    pub signals: UnboundedReceiver<Signal>,
}

/// (One batch at a time, as `Action`s are: the size difference does not matter.)
#[allow(clippy::large_enum_variant)]
enum Input {
    Act(Action),
    Suspend,
    Resume,
}

/// Run the console until it quits. `clock` tells the wall-clock time for ticks.
pub async fn run(
    state: &mut State,
    inputs: &mut Inputs,
    screen: &mut impl Screen,
    runner: &mut impl Runner,
    clock: &dyn Fn() -> DateTime<Utc>,
) {
    let mut open = Open::default();
    let mut next_tick = Instant::now() + tick_period(state);
    screen.draw(state);
    let mut last_draw = Instant::now();
    let mut dirty = false;
    let mut quit_by: Option<Instant> = None;
    loop {
        let mut wake = next_tick;
        if dirty {
            wake = wake.min(last_draw + FRAME);
        }
        if let Some(t) = quit_by {
            wake = wake.min(t);
        }
        let mut batch: Vec<Input> = Vec::new();
        tokio::select! {
            e = inputs.keys.recv(), if open.keys => open.keys = key_input(&mut batch, e),
            p = inputs.polls.recv(), if open.polls => match p {
                Some(p) => batch.push(Input::Act(Action::Poll(p))),
                None => open.polls = false,
            },
            a = inputs.actions.recv(), if open.actions => match a {
                Some(a) => batch.push(Input::Act(a)),
                None => open.actions = false,
            },
            s = inputs.signals.recv(), if open.signals => match s {
                Some(s) => batch.push(signal_input(s)),
                None => open.signals = false,
            },
            _ = tokio::time::sleep_until(wake) => {}
        }
        drain(inputs, &mut open, &mut batch);
        #[cfg(debug_assertions)]
        if std::env::var_os("NEPHOS_TEST_PANIC_ON_KEY").is_some()
            && batch
                .iter()
                .any(|a| matches!(a, Input::Act(Action::Key(_))))
        {
            // For the end-to-end test that a panic leaves the terminal sane (debug builds only).
            panic!("test panic on a key press");
        }
        let began = std::time::Instant::now();
        let cpu = crate::logging::thread_cpu_time();
        let inputs_n = batch.len();
        let what = tracing::enabled!(tracing::Level::DEBUG)
            .then(|| what(&batch))
            .unwrap_or_default();
        let mut batch = batch.into_iter().peekable();
        while let Some(input) = batch.next() {
            match input {
                Input::Act(a) => {
                    let next = match batch.peek() {
                        Some(Input::Act(n)) => Some(n),
                        _ => None,
                    };
                    for effect in update::update_queued(state, a, next) {
                        runner.run(effect);
                    }
                    dirty = true;
                }
                Input::Suspend => {
                    screen.suspend();
                    resumed(state, screen, runner);
                    dirty = true;
                }
                Input::Resume => {
                    resumed(state, screen, runner);
                    dirty = true;
                }
            }
        }
        let now = Instant::now();
        if now >= next_tick {
            let before = (!dirty).then(|| ui::clock::face(state));
            reduce(state, Action::Tick(clock()), runner);
            if before.is_some_and(|b| b != ui::clock::face(state)) {
                dirty = true;
            }
            next_tick += tick_period(state);
            if next_tick <= now {
                next_tick = now + tick_period(state);
            }
        }
        // An action just started: the spinner's ticks begin now, not at the next idle tick.
        next_tick = next_tick.min(now + tick_period(state));
        if state.quit {
            let by = *quit_by.get_or_insert(now + QUIT_GRACE);
            if state.quit_now || state.running_ops() == 0 || now >= by {
                for (id, accepted) in runner.abandon() {
                    update::update(state, Action::OpUnfollowed { id, accepted });
                }
                // Answers already queued say how the rest ended (for the report after quitting).
                while let Ok(a) = inputs.actions.try_recv() {
                    update::update(state, a);
                }
                return;
            }
        }
        let reduced = began.elapsed();
        let reduced_cpu = crate::logging::thread_cpu_time().saturating_sub(cpu);
        let drew = dirty && now >= last_draw + FRAME;
        if drew {
            screen.draw(state);
            last_draw = now;
            dirty = false;
        }
        if !dirty {
            let t = std::time::Instant::now();
            if state.prepare_next_key() {
                let ms = t.elapsed().as_secs_f64() * 1e3;
                tracing::debug!(ms, "made the filter's free text after the frame");
            }
        }
        let turn = Turn {
            inputs: inputs_n,
            what,
            reduced,
            reduced_cpu,
            drawn: began.elapsed().saturating_sub(reduced),
            cpu: crate::logging::thread_cpu_time().saturating_sub(cpu),
            drew,
        };
        turn.log_if_slow();
    }
}

/// One turn of the loop, for profiling (`NEPHOS_LOG=nephos=debug`): wall and CPU time, the
/// reducer's share and the frame's.
struct Turn {
    inputs: usize,
    /// What the inputs were, counted by kind (made only when debug logging is on).
    what: String,
    reduced: Duration,
    reduced_cpu: Duration,
    drawn: Duration,
    /// The loop thread's CPU for the whole turn (the machine's load does not inflate it).
    cpu: Duration,
    drew: bool,
}

impl Turn {
    fn log_if_slow(&self) {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        if self.reduced + self.drawn >= Duration::from_millis(5) {
            tracing::debug!(
                inputs = self.inputs,
                what = self.what,
                reduce_ms = ms(self.reduced),
                reduce_cpu_ms = ms(self.reduced_cpu),
                draw_ms = ms(self.drawn),
                cpu_ms = ms(self.cpu),
                drew = self.drew,
                "slow turn"
            );
        }
    }
}

/// A batch's inputs counted by kind, for the slow-turn log: `instances=2 prices=1`.
fn what(batch: &[Input]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for input in batch {
        let name = match input {
            Input::Suspend => "suspend",
            Input::Resume => "resume",
            Input::Act(a) => match a {
                Action::Key(_) => "key",
                Action::Mouse(_) => "mouse",
                Action::Resize(..) => "resize",
                Action::Tick(_) => "tick",
                Action::Poll(PollEvent::Started(_)) => "poll-started",
                Action::Poll(PollEvent::Finished { scope, .. }) => scope.kind.plural(),
                Action::Poll(PollEvent::AccountFailed { .. }) => "account-failed",
                Action::OpAccepted { .. }
                | Action::OpProgress { .. }
                | Action::OpFinished { .. }
                | Action::OpUnfollowed { .. } => "operation",
                Action::Offerings { .. } => "offerings",
                Action::Described { .. } => "described",
                Action::JournalLoaded(_) => "journal",
                Action::Prices { .. } => "prices",
                Action::Warn(_) => "warn",
                Action::Quit => "quit",
            },
        };
        *counts.entry(name).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{k}={n}")).collect();
    parts.join(" ")
}

/// Which inputs can still say something.
struct Open {
    keys: bool,
    polls: bool,
    actions: bool,
    signals: bool,
}

impl Default for Open {
    fn default() -> Self {
        Open {
            keys: true,
            polls: true,
            actions: true,
            signals: true,
        }
    }
}

fn tick_period(s: &State) -> Duration {
    if s.running_ops() > 0 {
        BUSY_TICK
    } else {
        IDLE_TICK
    }
}

fn reduce(state: &mut State, action: Action, runner: &mut impl Runner) {
    for effect in update::update(state, action) {
        runner.run(effect);
    }
}

/// Back from a suspend (or continued): the terminal may have another size, and is redrawn whole.
fn resumed(state: &mut State, screen: &mut impl Screen, runner: &mut impl Runner) {
    screen.resume(state);
    if let Some((w, h)) = screen.size() {
        if (w, h) != state.size {
            reduce(state, Action::Resize(w, h), runner);
        }
    }
}

/// Everything else already waiting, without waiting for more (at most [`MAX_BATCH`]).
fn drain(inputs: &mut Inputs, open: &mut Open, batch: &mut Vec<Input>) {
    while batch.len() < MAX_BATCH {
        let before = batch.len();
        if let Ok(s) = inputs.signals.try_recv() {
            batch.push(signal_input(s));
        }
        if open.keys {
            if let Ok(e) = inputs.keys.try_recv() {
                open.keys = key_input(batch, Some(e));
            }
        }
        if let Ok(a) = inputs.actions.try_recv() {
            batch.push(Input::Act(a));
        }
        if let Ok(p) = inputs.polls.try_recv() {
            batch.push(Input::Act(Action::Poll(p)));
        }
        if batch.len() == before {
            break;
        }
    }
}

fn signal_input(s: Signal) -> Input {
    match s {
        Signal::Quit => Input::Act(Action::Quit),
        Signal::Suspend => Input::Suspend,
        Signal::Resume => Input::Resume,
    }
}

/// A terminal event into the batch; false once the terminal is gone (a dropped SSH session:
/// that quits).
fn key_input(batch: &mut Vec<Input>, e: Option<Option<Event>>) -> bool {
    match e {
        Some(Some(e)) => {
            if let Some(i) = event_input(e) {
                batch.push(i);
            }
            true
        }
        Some(None) | None => {
            batch.push(Input::Act(Action::Quit));
            false
        }
    }
}

fn event_input(e: Event) -> Option<Input> {
    match e {
        // In raw mode ctrl-z is a key, not SIGTSTP: it suspends all the same.
        Event::Key(KeyEvent {
            code: KeyCode::Char('z'),
            modifiers: KeyModifiers::CONTROL,
            kind: KeyEventKind::Press,
            ..
        }) => Some(Input::Suspend),
        Event::Key(k) => Some(Input::Act(Action::Key(k))),
        Event::Mouse(m) => Some(Input::Act(Action::Mouse(m))),
        Event::Resize(w, h) => Some(Input::Act(Action::Resize(w, h))),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
