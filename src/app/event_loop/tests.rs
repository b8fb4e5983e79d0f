//! The loop driven on tokio's paused clock: a steady stream of poll events, a flood of keys,
//! idle time, signals and quitting, with a screen that keeps what it was asked to draw.

use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use super::*;
use crate::config::{Guardrails, Refresh};
use crate::domain::ResourceKind;
use crate::inventory::Scope;
use crate::keymap::Keymap;
use crate::providers::Resources;
use crate::state::{fixture, OpStatus, OpView};

/// Keeps the header line (or the status line) of every frame it is asked to draw.
struct Frames {
    term: Terminal<TestBackend>,
    header: Vec<String>,
    status: Vec<String>,
    log: Vec<&'static str>,
}

impl Frames {
    fn new() -> Self {
        Frames {
            term: Terminal::new(TestBackend::new(200, 12)).unwrap(),
            header: Vec::new(),
            status: Vec::new(),
            log: Vec::new(),
        }
    }
}

impl Screen for Frames {
    fn draw(&mut self, s: &State) {
        self.term.draw(|f| ui::render(f, s)).unwrap();
        let text = self.term.backend().to_string();
        let lines: Vec<&str> = text.lines().collect();
        self.header.push(lines[0].to_string());
        self.status.push(lines[lines.len() - 1].to_string());
        self.log.push("draw");
    }
    fn suspend(&mut self) {
        self.log.push("suspend");
    }
    fn resume(&mut self, _: &State) {
        self.log.push("resume");
    }
    fn size(&self) -> Option<(u16, u16)> {
        Some((200, 12))
    }
}

#[derive(Default)]
struct Effects {
    seen: Vec<Effect>,
    /// What `abandon` answers.
    unanswered: Vec<(u64, bool)>,
    abandoned: bool,
}

impl Runner for Effects {
    fn run(&mut self, effect: Effect) {
        self.seen.push(effect);
    }
    fn abandon(&mut self) -> Vec<(u64, bool)> {
        self.abandoned = true;
        std::mem::take(&mut self.unanswered)
    }
}

struct Senders {
    keys: UnboundedSender<Option<Event>>,
    polls: UnboundedSender<PollEvent>,
    actions: UnboundedSender<Action>,
    signals: UnboundedSender<Signal>,
}

fn channels() -> (Inputs, Senders) {
    let (keys, k) = unbounded_channel();
    let (polls, p) = unbounded_channel();
    let (actions, a) = unbounded_channel();
    let (signals, s) = unbounded_channel();
    (
        Inputs {
            keys: k,
            polls: p,
            actions: a,
            signals: s,
        },
        Senders {
            keys,
            polls,
            actions,
            signals,
        },
    )
}

/// Wall-clock time that moves with tokio's (paused) clock.
fn clock() -> impl Fn() -> DateTime<Utc> {
    let base = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
    let start = Instant::now();
    move || base + chrono::Duration::from_std(Instant::now() - start).unwrap()
}

fn empty_state(now: DateTime<Utc>) -> State {
    let mut s = State::new(
        fixture::accounts(),
        Refresh::default(),
        Guardrails::default(),
        Keymap::defaults(),
        now,
    );
    s.size = (200, 12);
    s
}

fn fetched(account: &str, region: &str, at: DateTime<Utc>) -> PollEvent {
    PollEvent::Finished {
        scope: Scope::new(
            account,
            crate::providers::ListScope::aws_region(region),
            ResourceKind::Instance,
        ),
        outcome: Ok(Resources::Instances(Vec::new())),
        at,
    }
}

fn the_aws_account(header: &str) -> &str {
    let at = header
        .find("sandbox-aws")
        .expect("the AWS account in the header");
    header[at..].split('│').next().unwrap().trim()
}

#[tokio::test(start_paused = true)]
async fn ticks_ages_and_stale_status_move_under_a_steady_stream_of_poll_events() {
    let now = clock();
    let mut state = empty_state(now());
    let (mut inputs, tx) = channels();
    // The AWS account is fetched once; then GCP is fetched every 20 ms for 100 s, far more
    // often than a tick (1 s), as many accounts × regions would be.
    tx.polls
        .send(fetched("sandbox-aws", "us-east-1", now()))
        .unwrap();
    let stream = {
        let (polls, signals, now) = (tx.polls.clone(), tx.signals.clone(), clock());
        tokio::spawn(async move {
            for _ in 0..5_000 {
                tokio::time::sleep(Duration::from_millis(20)).await;
                polls
                    .send(fetched("sandbox-gcp", "europe-west1", now()))
                    .unwrap();
            }
            signals.send(Signal::Quit).unwrap();
        })
    };
    let (mut screen, mut runner) = (Frames::new(), Effects::default());
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    stream.await.unwrap();

    let elapsed = state.now - Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
    assert!(
        elapsed.num_seconds() >= 99,
        "the clock the console shows moved: {elapsed}"
    );
    assert!(state.spin >= 99, "about one tick a second: {}", state.spin);
    let aws: Vec<&str> = screen.header.iter().map(|h| the_aws_account(h)).collect();
    for want in [
        "sandbox-aws ok 5s",
        "sandbox-aws ok 30s",
        "sandbox-aws stale 46s",
    ] {
        assert!(aws.contains(&want), "a frame shows '{want}': {aws:?}");
    }
    assert_eq!(aws.last().copied(), Some("sandbox-aws stale 1m"));
    let (health, _, _) = state.account_health("sandbox-aws");
    assert_eq!(health, crate::inventory::Health::Stale);
}

#[tokio::test(start_paused = true)]
async fn draws_are_at_most_one_per_frame_however_fast_keys_come() {
    let now = clock();
    let mut state = fixture::state(200);
    state.size = (200, 12);
    let (mut inputs, tx) = channels();
    let start = Instant::now();
    let typing = {
        let (keys, signals) = (tx.keys.clone(), tx.signals.clone());
        tokio::spawn(async move {
            for _ in 0..1_000 {
                let j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
                keys.send(Some(Event::Key(j))).unwrap();
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            signals.send(Signal::Quit).unwrap();
        })
    };
    let (mut screen, mut runner) = (Frames::new(), Effects::default());
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    typing.await.unwrap();
    let ran = Instant::now() - start;
    let draws = screen.log.iter().filter(|l| **l == "draw").count();
    let most = (ran.as_millis() / FRAME.as_millis()) as usize + 1;
    assert!(draws <= most, "{draws} draws in {ran:?} (at most {most})");
    assert!(draws >= 40, "the frames kept coming while typing: {draws}");
    let rows = state.current().rows.len();
    assert_eq!(state.current().selected, rows - 1, "every key was taken");
}

#[tokio::test(start_paused = true)]
async fn idle_ticks_draw_only_when_what_they_show_changes() {
    let now = clock();
    // Nothing fetched yet: the header shows no age, and idle ticks change nothing.
    let mut state = empty_state(now());
    let (mut inputs, tx) = channels();
    tx.signals.send(Signal::Resume).unwrap();
    let quit = tx.signals.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        quit.send(Signal::Quit).unwrap();
    });
    let (mut screen, mut runner) = (Frames::new(), Effects::default());
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    assert!(state.spin >= 29, "ticks came: {}", state.spin);
    let draws = screen.log.iter().filter(|l| **l == "draw").count();
    assert_eq!(
        draws, 2,
        "the first frame and the one after resuming: {:?}",
        screen.log
    );

    // Fetched once: the age counts seconds (a frame a second), then shows "1m" and the stale
    // word, and from then on a minute passes with nothing new to draw.
    let mut state = empty_state(now());
    let (mut inputs, tx) = channels();
    tx.polls
        .send(fetched("sandbox-aws", "us-east-1", now()))
        .unwrap();
    let quit = tx.signals.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(115)).await;
        quit.send(Signal::Quit).unwrap();
    });
    let mut screen = Frames::new();
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    let aws: Vec<&str> = screen.header.iter().map(|h| the_aws_account(h)).collect();
    let seconds = aws.iter().filter(|a| a.ends_with('s')).count();
    assert!(
        (55..=62).contains(&seconds),
        "about one frame per second while the age is in seconds: {aws:?}"
    );
    let minutes: Vec<&&str> = aws.iter().filter(|a| a.ends_with('m')).collect();
    assert_eq!(minutes, [&"sandbox-aws stale 1m"], "{aws:?}");
    drop(tx);
}

#[tokio::test(start_paused = true)]
async fn suspend_gives_the_screen_back_and_draws_whole_on_return() {
    let now = clock();
    let mut state = empty_state(now());
    let (mut inputs, tx) = channels();
    tx.signals.send(Signal::Suspend).unwrap();
    let (keys, signals) = (tx.keys.clone(), tx.signals.clone());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let ctrl_z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
        keys.send(Some(Event::Key(ctrl_z))).unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        signals.send(Signal::Quit).unwrap();
    });
    let (mut screen, mut runner) = (Frames::new(), Effects::default());
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    assert_eq!(
        screen.log,
        ["draw", "suspend", "resume", "draw", "suspend", "resume", "draw"]
    );
    drop(tx);
}

fn running_op(state: &mut State, what: &str) -> u64 {
    let id = state.next_op;
    state.next_op += 1;
    state.ops.push(OpView {
        id,
        account: "sandbox-aws".into(),
        op: crate::domain::Op::Stop,
        what: what.into(),
        started: state.now,
        status: OpStatus::Running,
        subject: None,
        accepted: false,
        progress: None,
    });
    id
}

#[tokio::test(start_paused = true)]
async fn quitting_waits_for_what_runs_to_be_answered_then_leaves() {
    let now = clock();
    let mut state = empty_state(now());
    let id = running_op(&mut state, "stop instance web-1");
    let (mut inputs, tx) = channels();
    tx.signals.send(Signal::Quit).unwrap();
    let answer = tx.actions.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        answer
            .send(Action::OpUnfollowed { id, accepted: true })
            .unwrap();
    });
    let start = Instant::now();
    let (mut screen, mut runner) = (Frames::new(), Effects::default());
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    let waited = Instant::now() - start;
    assert!(
        waited >= Duration::from_secs(2) && waited < QUIT_GRACE,
        "{waited:?}"
    );
    assert!(runner.seen.contains(&Effect::Quit), "{:?}", runner.seen);
    assert!(
        screen
            .status
            .iter()
            .any(|l| l.contains("quitting: waiting up to 5s") && l.contains("stop instance web-1")),
        "{:?}",
        screen.status
    );
    assert_eq!(state.ops[0].status, OpStatus::Unfollowed { accepted: true });
    drop(tx);
}

#[tokio::test(start_paused = true)]
async fn quitting_gives_up_on_what_is_unanswered_after_the_grace() {
    let now = clock();
    let mut state = empty_state(now());
    let id = running_op(&mut state, "stop instance web-1");
    let (mut inputs, tx) = channels();
    tx.signals.send(Signal::Quit).unwrap();
    let start = Instant::now();
    let (mut screen, mut runner) = (Frames::new(), Effects::default());
    runner.unanswered = vec![(id, false)];
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    let waited = Instant::now() - start;
    assert!(
        waited >= QUIT_GRACE && waited < QUIT_GRACE + Duration::from_secs(1),
        "{waited:?}"
    );
    assert!(runner.abandoned);
    assert_eq!(
        state.ops[0].status,
        OpStatus::Unfollowed { accepted: false }
    );
    let report = crate::state::quit_report(&state);
    assert!(
        report[0].contains("may or may not have been applied"),
        "{report:?}"
    );

    // Asked twice, it leaves at once.
    let mut state = empty_state(now());
    running_op(&mut state, "stop instance web-2");
    let (mut inputs, tx2) = channels();
    tx2.signals.send(Signal::Quit).unwrap();
    tx2.signals.send(Signal::Quit).unwrap();
    let start = Instant::now();
    let mut runner = Effects::default();
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    assert!(
        Instant::now() - start < FRAME,
        "{:?}",
        Instant::now() - start
    );
    assert!(runner.abandoned);
    drop((tx, tx2));
}

#[tokio::test(start_paused = true)]
async fn a_closed_terminal_quits() {
    let now = clock();
    let mut state = empty_state(now());
    let (mut inputs, tx) = channels();
    tx.keys.send(None).unwrap();
    let (mut screen, mut runner) = (Frames::new(), Effects::default());
    run(&mut state, &mut inputs, &mut screen, &mut runner, &now).await;
    assert!(state.quit);
    drop(tx);
}
