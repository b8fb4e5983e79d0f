//! Console benchmarks at 100,000 sandbox instances: the first full frame, a filter keystroke,
//! a scroll keystroke, one frame, an idle tick and one region's poll merged in, each through the real reducer and renderer (ratatui's
//! TestBackend, 200×50). Run with `cargo bench --bench console`; figures in docs/performance.md.

use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{criterion_group, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use nephos::action::Action;
use nephos::config::{Guardrails, Refresh};
use nephos::domain::ResourceKind;
use nephos::inventory::Scope;
use nephos::keymap::Keymap;
use nephos::providers::sandbox::{SandboxCloud, SandboxSettings};
use nephos::state::{AccountView, State};
use nephos::worker::poller::PollEvent;
use nephos::{ui, update};

const N: usize = 100_000;

fn key(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// A 100k sandbox on disk, read through the providers as the pollers would, into a State.
fn loaded(rt: &tokio::runtime::Runtime) -> (State, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let cloud = SandboxCloud::open(SandboxSettings {
        dir: dir.path().to_path_buf(),
        transition: Duration::from_secs(3),
        latency: Duration::ZERO,
        faults: Vec::new(),
        azure_resource_groups: Vec::new(),
    });
    cloud.reset(N, 42).unwrap();
    // A fresh cloud handle, as a new process would have.
    let cloud = SandboxCloud::open(SandboxSettings {
        dir: dir.path().to_path_buf(),
        transition: Duration::from_secs(3),
        latency: Duration::ZERO,
        faults: Vec::new(),
        azure_resource_groups: Vec::new(),
    });
    let start = Instant::now();
    let cpu0 = cpu_time();
    let providers = cloud.providers(false);
    let accounts = providers
        .iter()
        .map(|p| AccountView {
            info: p.account().clone(),
            caps: p.capabilities().clone(),
            offerings: p.offerings(),
        })
        .collect();
    let mut s = State::new(
        accounts,
        Refresh::default(),
        Guardrails::default(),
        Keymap::defaults(),
        Utc::now(),
    );
    s.size = (200, 50);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    term.draw(|f| ui::render(f, &s)).unwrap();
    let first_frame = start.elapsed();
    // As the app does: prices once the first frame is up.
    s.set_catalog(nephos::prices::Catalog::shared());
    for p in &providers {
        let lists = rt.block_on(p.list_scopes(ResourceKind::Instance)).unwrap();
        for list in lists {
            let t0 = Instant::now();
            let outcome = rt.block_on(p.list(&list, ResourceKind::Instance));
            let t1 = Instant::now();
            let scope = Scope::new(&p.account().name, list, ResourceKind::Instance);
            let label = scope.to_string();
            update::update(
                &mut s,
                Action::Poll(PollEvent::Finished {
                    scope,
                    outcome,
                    at: Utc::now(),
                }),
            );
            if std::env::var_os("NEPHOS_BENCH_DETAIL").is_some() {
                println!(
                    "  {label}: list {:.0} ms, update {:.0} ms",
                    (t1 - t0).as_secs_f64() * 1e3,
                    t1.elapsed().as_secs_f64() * 1e3
                );
            }
        }
    }
    term.draw(|f| ui::render(f, &s)).unwrap();
    let full = start.elapsed();
    let full_cpu = cpu_time() - cpu0;
    println!(
        "first frame (empty, loading): {:.1} ms",
        first_frame.as_secs_f64() * 1e3
    );
    println!(
        "first full frame with {} instances: {:.0} ms",
        s.inventory.instances.len(),
        full.as_secs_f64() * 1e3
    );
    println!(
        "  the same, CPU of every thread: {:.0} ms",
        full_cpu.as_secs_f64() * 1e3
    );
    (s, full)
}

/// CPU time this process has used (user + system, every thread, ended ones too): unlike wall
/// time it does not grow when other processes share the cores, so it compares runs made on a
/// loaded machine.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Typing `prod` after `/` and erasing it, key by key, each to a drawn frame: wall and CPU time
/// per key, over `rounds` rounds (the CPU figure is the one to compare on a busy machine).
fn typing(s: &mut State, term: &mut Terminal<TestBackend>, rounds: usize) {
    let keys: Vec<(String, Action)> = "prod"
        .chars()
        .map(|c| (format!("type {c}"), key(KeyCode::Char(c))))
        .chain((0..4).map(|i| (format!("erase {}", 4 - i), key(KeyCode::Backspace))))
        .collect();
    let mut wall = vec![Duration::ZERO; keys.len()];
    let mut cpu = vec![Duration::ZERO; keys.len()];
    for _ in 0..rounds {
        for (i, (_, k)) in keys.iter().enumerate() {
            let (w0, c0) = (Instant::now(), cpu_time());
            update::update(s, k.clone());
            term.draw(|f| ui::render(f, s)).unwrap();
            wall[i] += w0.elapsed();
            cpu[i] += cpu_time() - c0;
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / rounds as f64;
    println!("filter keystrokes to frame, mean of {rounds} rounds (wall / CPU of every thread):");
    for (i, (name, _)) in keys.iter().enumerate() {
        println!("  {name}: {:.2} ms / {:.2} ms", ms(wall[i]), ms(cpu[i]));
    }
    let (w, c): (Duration, Duration) = (wall.iter().sum(), cpu.iter().sum());
    println!(
        "  per key: {:.2} ms / {:.2} ms",
        ms(w) / keys.len() as f64,
        ms(c) / keys.len() as f64
    );
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (mut s, _) = loaded(&rt);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    update::update(&mut s, key(KeyCode::Char('/')));
    typing(&mut s, &mut term, 20);
    update::update(&mut s, key(KeyCode::Esc));
    if std::env::var_os("NEPHOS_BENCH_TYPING_ONLY").is_some() {
        return;
    }

    // The Costs pane's figures: every instance and disk priced, grouped, findings found.
    c.bench_function("cost figures for the Costs pane (100k instances)", |b| {
        b.iter(|| {
            s.costs.computed_at = None;
            s.refresh_costs();
            s.costs.total_monthly_usd
        })
    });

    c.bench_function("render one frame (100k instances)", |b| {
        b.iter(|| term.draw(|f| ui::render(f, &s)).unwrap().area.width)
    });

    // What an idle tick costs: the reducer, and the clock face before and after (the loop draws
    // only when the face changed).
    c.bench_function("idle tick without a draw (100k instances)", |b| {
        b.iter(|| {
            let before = ui::clock::face(&s);
            let now = s.now;
            update::update(&mut s, Action::Tick(now));
            before == ui::clock::face(&s)
        })
    });

    // One region's answer at a poll (22k rows, changed every time) merged into the 100k rows
    // already sorted: what each list after the first costs the console during a start.
    let scope = Scope::new(
        "sandbox-aws",
        nephos::providers::ListScope::aws_region("us-east-1"),
        ResourceKind::Instance,
    );
    let rows: Vec<_> = s
        .inventory
        .instances
        .iter()
        .filter(|i| i.r#ref.account == "sandbox-aws" && i.r#ref.region == "us-east-1")
        .cloned()
        .collect();
    let mut changed = rows.clone();
    for r in changed.iter_mut().step_by(2) {
        r.state = nephos::domain::InstanceState::Stopping;
    }
    c.bench_function(
        "one region's poll merged into the sorted rows (100k instances)",
        |b| {
            let mut i = 0usize;
            b.iter_batched(
                || {
                    i += 1;
                    let rows = if i.is_multiple_of(2) { &rows } else { &changed };
                    Action::Poll(PollEvent::Finished {
                        scope: scope.clone(),
                        outcome: Ok(nephos::providers::Resources::Instances(rows.clone())),
                        at: Utc::now(),
                    })
                },
                |poll| update::update(&mut s, poll),
                criterion::BatchSize::SmallInput,
            )
        },
    );

    c.bench_function("scroll keystroke to frame", |b| {
        b.iter(|| {
            update::update(&mut s, key(KeyCode::Char('j')));
            term.draw(|f| ui::render(f, &s)).unwrap().area.width
        })
    });

    update::update(&mut s, key(KeyCode::Char('/')));
    let text = "prod";
    c.bench_function("filter keystroke to frame (type then erase a char)", |b| {
        let mut i = 0usize;
        b.iter(|| {
            // Alternate typing the next letter of `prod` and erasing it: each is one keystroke
            // that re-filters 100k rows.
            let k = if i.is_multiple_of(2) {
                key(KeyCode::Char(text.as_bytes()[(i / 2) % 4] as char))
            } else {
                key(KeyCode::Backspace)
            };
            i += 1;
            update::update(&mut s, k);
            term.draw(|f| ui::render(f, &s)).unwrap().area.width
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
