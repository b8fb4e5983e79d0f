//! The console as a user feels it: the RELEASE binary in a real terminal (tmux, 200×50) on a
//! sandbox of 100,000 instances, timed from outside by polling `tmux capture-pane -p`.
//!
//! It reports: time to the first rows, time until the tabs line counts all the instances, the
//! latency of single filter keystrokes (key sent → the frame that shows it), a pasted
//! 40-character filter (one `send-keys`), the first Costs view (`4`), and the process's RSS
//! (VmRSS / VmHWM from /proc) before and after visiting Costs.
//!
//!     cargo build --release --no-default-features
//!     cargo bench --no-default-features --bench terminal
//!
//! Environment: `NEPHOS_BIN` (default: target/release/nephos beside this crate, or under
//! `CARGO_TARGET_DIR`), `NEPHOS_BENCH_INSTANCES` (100000), `NEPHOS_BENCH_RUNS` (3).
//! Everything lives in a temp dir and a private tmux server; every wait has a timeout, so the
//! bench stops by itself. Needs tmux and Linux's /proc. Figures in docs/performance.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;
const POLL: Duration = Duration::from_millis(2);
/// Typed one key at a time; each key narrows (or widens) the rows.
const TYPED: &str = "prod";
/// Pasted in one `send-keys`: 40 characters of a filter that parses at every prefix.
const PASTED: &str = "state:running provider:aws web prod east";

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours means "not this bench".
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args
        .iter()
        .any(|a| !a.starts_with('-') && !"terminal".contains(a.as_str()))
    {
        return;
    }
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("terminal bench: tmux is not installed; skipped");
        return;
    }
    let bin = binary();
    if !bin.exists() {
        eprintln!(
            "terminal bench: {} does not exist; build it with `cargo build --release --no-default-features`",
            bin.display()
        );
        std::process::exit(1);
    }
    let n: usize = env_num("NEPHOS_BENCH_INSTANCES", 100_000);
    let runs: usize = env_num("NEPHOS_BENCH_RUNS", 3);
    let dir = std::env::temp_dir().join(format!("nephos-terminal-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let env = Env::new(&dir);
    let t = Instant::now();
    let st = env
        .command(&bin)
        .args([
            "--demo",
            "sandbox",
            "reset",
            "--instances",
            &n.to_string(),
            "--yes",
        ])
        .stdout(Stdio::null())
        .status()
        .expect("nephos sandbox reset");
    assert!(st.success(), "sandbox reset failed");
    println!(
        "terminal bench: {} ({} instances, made in {:.1} s), tmux {WIDTH}×{HEIGHT}, {runs} runs",
        bin.display(),
        n,
        t.elapsed().as_secs_f64()
    );
    println!("load: {}", load());
    let mut all: Vec<Figures> = Vec::new();
    for run in 0..runs {
        let tmux = Tmux::new(&format!("nephos-bench-{}-{run}", std::process::id()));
        match one_run(&tmux, &env, &bin, n) {
            Ok(f) => {
                println!("run {}: {}", run + 1, f.line());
                all.push(f);
            }
            Err(e) => {
                println!("run {}: FAILED: {e}", run + 1);
                println!("{}", tmux.capture().unwrap_or_default());
            }
        }
        tmux.kill();
    }
    let _ = std::fs::remove_dir_all(&dir);
    if all.is_empty() {
        std::process::exit(1);
    }
    table(&all);
    println!("load: {}", load());
}

#[derive(Default, Clone)]
struct Figures {
    first_rows: Duration,
    all_rows: Duration,
    keys: Vec<Duration>,
    /// The harness's own share of a key: one `send-keys` (of no key) and one `capture-pane`.
    floor: Duration,
    /// CPU time (user + system) the console spent on the typed keys, from /proc/PID/stat.
    keys_cpu: Duration,
    paste: Duration,
    costs: Duration,
    rss_before: u64,
    hwm_before: u64,
    rss_after: u64,
    hwm_after: u64,
}

impl Figures {
    fn line(&self) -> String {
        format!(
            "first rows {} ms, all rows {} ms, keys {} ms (harness floor {} ms; console CPU {} ms for the {} keys), paste {} ms, costs {} ms, RSS {}→{} MB (peak {}→{} MB)",
            ms(self.first_rows),
            ms(self.all_rows),
            self.keys.iter().map(|d| ms(*d).to_string()).collect::<Vec<_>>().join("/"),
            ms(self.floor),
            ms(self.keys_cpu),
            self.keys.len(),
            ms(self.paste),
            ms(self.costs),
            self.rss_before / 1024,
            self.rss_after / 1024,
            self.hwm_before / 1024,
            self.hwm_after / 1024,
        )
    }
}

fn one_run(tmux: &Tmux, env: &Env, bin: &Path, n: usize) -> Result<Figures, String> {
    let mut f = Figures::default();
    let start = Instant::now();
    tmux.start(&env.shell_line(bin))?;
    let pid = tmux.pid()?;
    // First rows: a table row under the column titles.
    tmux.wait(Duration::from_secs(60), has_rows)?;
    f.first_rows = start.elapsed();
    // All rows: the tabs line counts every instance, and the table shows rows.
    let all = format!(" 1 Instances {n} ");
    tmux.wait(Duration::from_secs(120), |s| {
        line(s, 1).contains(&all) && has_rows(s)
    })?;
    f.all_rows = start.elapsed();
    // Let the other panes' polls land and the process settle.
    std::thread::sleep(Duration::from_millis(1500));
    // Filter keystrokes: each one until the filter line shows it with its count.
    tmux.keys(&["/"])?;
    tmux.wait(Duration::from_secs(10), |s| line(s, 1).contains(" / ▏"))?;
    let mut typed = String::new();
    let cpu_before = cpu(pid)?;
    for c in TYPED.chars() {
        typed.push(c);
        let want = format!(" / {typed}▏  ");
        let t = Instant::now();
        tmux.literal(&c.to_string())?;
        tmux.wait(Duration::from_secs(10), |s| {
            let l = line(s, 1);
            l.contains(&want) && l.contains(" match")
        })?;
        f.keys.push(t.elapsed());
    }
    f.keys_cpu = cpu(pid)?.saturating_sub(cpu_before);
    let t = Instant::now();
    tmux.keys(&[])?;
    tmux.capture()?;
    f.floor = t.elapsed();
    // Clear the filter (Esc), then paste 40 characters at once.
    tmux.keys(&["Escape"])?;
    tmux.wait(Duration::from_secs(10), |s| !line(s, 1).contains(" / "))?;
    tmux.keys(&["/"])?;
    tmux.wait(Duration::from_secs(10), |s| line(s, 1).contains(" / ▏"))?;
    let want = format!(" / {PASTED}▏  ");
    let t = Instant::now();
    tmux.literal(PASTED)?;
    tmux.wait(Duration::from_secs(60), |s| {
        let l = line(s, 1);
        l.contains(&want) && l.contains(" match")
    })?;
    f.paste = t.elapsed();
    tmux.keys(&["Escape"])?;
    tmux.wait(Duration::from_secs(10), |s| !line(s, 1).contains(" / "))?;
    std::thread::sleep(Duration::from_millis(300));
    (f.rss_before, f.hwm_before) = memory(pid)?;
    // The first Costs view: its totals and findings on screen.
    let t = Instant::now();
    tmux.keys(&["4"])?;
    tmux.wait(Duration::from_secs(60), |s| {
        s.contains("a month, by provider") && s.contains("findings")
    })?;
    f.costs = t.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    (f.rss_after, f.hwm_after) = memory(pid)?;
    tmux.keys(&["q"])?;
    Ok(f)
}

/// The CPU time (user + system, every thread) process `pid` has used, in the kernel's ticks
/// (10 ms on Linux): a figure that the machine's load does not inflate the way it does wall time.
fn cpu(pid: u32) -> Result<Duration, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("/proc/{pid}/stat: {e}"))?;
    // Fields after the command (which may hold spaces) in parentheses: utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    Ok(Duration::from_millis((tick(11) + tick(12)) * 10))
}

fn line(screen: &str, i: usize) -> &str {
    screen.lines().nth(i).unwrap_or("")
}

/// A table row under the column titles (the third line).
fn has_rows(screen: &str) -> bool {
    screen
        .lines()
        .skip(3)
        .any(|l| l.starts_with("aws ") || l.starts_with("gcp ") || l.starts_with("azure "))
}

/// VmRSS and VmHWM in KiB.
fn memory(pid: u32) -> Result<(u64, u64), String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok((field("VmRSS:"), field("VmHWM:")))
}

fn table(all: &[Figures]) {
    let row = |what: &str, mut v: Vec<f64>, unit: &str| {
        v.sort_by(|a, b| a.total_cmp(b));
        let med = v[v.len() / 2];
        println!(
            "| {what} | {:.0}–{:.0} {unit} (median {:.0}) |",
            v[0],
            v[v.len() - 1],
            med
        );
    };
    println!("\n| what (real terminal, {} runs) | measured |", all.len());
    println!("|---|---|");
    row(
        "first rows",
        all.iter().map(|f| ms(f.first_rows) as f64).collect(),
        "ms",
    );
    row(
        "all instances counted and shown",
        all.iter().map(|f| ms(f.all_rows) as f64).collect(),
        "ms",
    );
    row(
        &format!("filter keystroke (typing `{TYPED}`)"),
        all.iter()
            .flat_map(|f| f.keys.iter().map(|d| ms(*d) as f64))
            .collect(),
        "ms",
    );
    row(
        "harness floor per key (`send-keys` + `capture-pane`)",
        all.iter().map(|f| ms(f.floor) as f64).collect(),
        "ms",
    );
    row(
        "console CPU per typed key (/proc, 10 ms ticks)",
        all.iter()
            .map(|f| ms(f.keys_cpu) as f64 / f.keys.len().max(1) as f64)
            .collect(),
        "ms",
    );
    row(
        "pasted 40-character filter",
        all.iter().map(|f| ms(f.paste) as f64).collect(),
        "ms",
    );
    row(
        "first Costs view (`4`)",
        all.iter().map(|f| ms(f.costs) as f64).collect(),
        "ms",
    );
    row(
        "RSS before Costs",
        all.iter().map(|f| (f.rss_before / 1024) as f64).collect(),
        "MB",
    );
    row(
        "RSS after Costs",
        all.iter().map(|f| (f.rss_after / 1024) as f64).collect(),
        "MB",
    );
    row(
        "peak RSS (VmHWM) after Costs",
        all.iter().map(|f| (f.hwm_after / 1024) as f64).collect(),
        "MB",
    );
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn binary() -> PathBuf {
    if let Some(b) = std::env::var_os("NEPHOS_BIN") {
        return PathBuf::from(b);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let root = option_env!("CARGO_MANIFEST_DIR").unwrap_or(".");
            Path::new(root).join("target")
        });
    target.join("release").join("nephos")
}

/// Private data, state and config dirs for the sandbox and the console.
struct Env {
    vars: Vec<(&'static str, String)>,
}

impl Env {
    fn new(dir: &Path) -> Env {
        let sub = |name: &str| {
            let p = dir.join(name);
            std::fs::create_dir_all(&p).expect("temp dir");
            p.display().to_string()
        };
        Env {
            vars: vec![
                ("NEPHOS_DATA_DIR", sub("data")),
                ("XDG_DATA_HOME", sub("xdg-data")),
                ("XDG_STATE_HOME", sub("xdg-state")),
                ("XDG_CONFIG_HOME", sub("xdg-config")),
                ("HOME", sub("home")),
                ("NEPHOS_SANDBOX_LATENCY_MS", "0".into()),
            ],
        }
    }

    fn command(&self, bin: &Path) -> Command {
        let mut c = Command::new(bin);
        c.env_remove("NEPHOS_CONFIG");
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c
    }

    /// The console's command line for tmux (exec'd, so the pane's pid is nephos's).
    fn shell_line(&self, bin: &Path) -> String {
        let mut s = String::from("exec env -u NEPHOS_CONFIG TERM=tmux-256color");
        for (k, v) in &self.vars {
            s.push_str(&format!(" {k}='{v}'"));
        }
        s.push_str(&format!(" '{}' --demo", bin.display()));
        s
    }
}

/// A private tmux server (its own socket), killed at the end of each run.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(socket: &str) -> Tmux {
        Tmux {
            socket: socket.to_string(),
        }
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("tmux: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "tmux {args:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn start(&self, line: &str) -> Result<(), String> {
        self.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "b",
            "-x",
            &WIDTH.to_string(),
            "-y",
            &HEIGHT.to_string(),
            line,
        ])
        .map(|_| ())
    }

    fn pid(&self) -> Result<u32, String> {
        let out = self.run(&["list-panes", "-t", "b", "-F", "#{pane_pid}"])?;
        out.trim().parse().map_err(|e| format!("pane pid: {e}"))
    }

    fn capture(&self) -> Result<String, String> {
        self.run(&["capture-pane", "-p", "-t", "b"])
    }

    fn keys(&self, keys: &[&str]) -> Result<(), String> {
        let mut args = vec!["send-keys", "-t", "b"];
        args.extend_from_slice(keys);
        self.run(&args).map(|_| ())
    }

    fn literal(&self, text: &str) -> Result<(), String> {
        self.run(&["send-keys", "-t", "b", "-l", text]).map(|_| ())
    }

    /// Poll the screen until `done` says yes, at most `limit`.
    fn wait(&self, limit: Duration, done: impl Fn(&str) -> bool) -> Result<String, String> {
        let until = Instant::now() + limit;
        loop {
            let s = self.capture()?;
            if done(&s) {
                return Ok(s);
            }
            if Instant::now() >= until {
                return Err(format!("timed out after {limit:?}"));
            }
            std::thread::sleep(POLL);
        }
    }

    fn kill(&self) {
        let _ = self.run(&["kill-server"]);
    }
}
