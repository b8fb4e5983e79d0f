//! The console as a user feels it: the RELEASE binary in a real terminal (tmux, 200×50) on a
//! sandbox of 100,000 instances, timed from outside through a tmux control-mode client
//! (`tmux -C`): tmux reports each write of the console (`%output`) as it happens, and the screen
//! is read after each one, so no process is started per look and a key's latency is from sending
//! it to the output after which the screen shows it.
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
//! `CARGO_TARGET_DIR`), `NEPHOS_BENCH_INSTANCES` (100000), `NEPHOS_BENCH_RUNS` (3). On a
//! machine busy with other work, `nice -n -10` in front (as root) gives the bench, its tmux
//! server and the console the cores first, which is the nearest this gets to an idle machine.
//! Everything lives in a temp dir and a private tmux server; every wait has a timeout, so the
//! bench stops by itself. Needs tmux and Linux's /proc. Figures in docs/performance.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;
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
    println!("load: {}; nice {}", load(), nice_value());
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
                println!(
                    "{}",
                    tmux.run(&["capture-pane", "-p", "-t", "b"])
                        .unwrap_or_default()
                );
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
    /// The console's CPU time (every thread) when all rows were seen.
    start_cpu: Duration,
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
            "first rows {} ms, all rows {} ms (console CPU by then {} ms), keys {} ms (harness floor {} ms; console CPU {} ms for the {} keys), paste {} ms, costs {} ms, RSS {}→{} MB (peak {}→{} MB)",
            ms(self.first_rows),
            ms(self.all_rows),
            ms(self.start_cpu),
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
    let mut c = Control::attach(tmux)?;
    // First rows: a table row under the column titles.
    f.first_rows = c.wait(start, Duration::from_secs(60), has_rows)?;
    // All rows: the tabs line counts every instance, and the table shows rows.
    let all = format!(" 1 Instances {n} ");
    f.all_rows = c.wait(start, Duration::from_secs(120), |s| {
        line(s, 1).contains(&all) && has_rows(s)
    })?;
    f.start_cpu = cpu(pid)?;
    // Let the other panes' first polls land (their tabs count rows) and the process settle, so
    // the keys below are timed alone.
    c.wait(Instant::now(), Duration::from_secs(120), |s| {
        let tabs = line(s, 1);
        counted(tabs, "Disks ") > 0 && counted(tabs, "Load balancers ") > 0
    })?;
    std::thread::sleep(Duration::from_millis(1500));
    // Filter keystrokes: each one until the filter line shows it with its count.
    c.keys(&["/"])?;
    c.wait(Instant::now(), Duration::from_secs(10), |s| {
        line(s, 1).contains(" / ▏")
    })?;
    // A typist's pace after `/` too (the console prepares the filter's text in that pause).
    std::thread::sleep(Duration::from_millis(100));
    let mut typed = String::new();
    let cpu_before = cpu(pid)?;
    for ch in TYPED.chars() {
        typed.push(ch);
        let want = format!(" / {typed}▏  ");
        let t = Instant::now();
        c.literal(&ch.to_string())?;
        f.keys.push(c.wait(t, Duration::from_secs(10), |s| {
            let l = line(s, 1);
            l.contains(&want) && l.contains(" match")
        })?);
        // A typist's pace, so each key is its own batch (a paste is measured below).
        std::thread::sleep(Duration::from_millis(100));
    }
    f.keys_cpu = cpu(pid)?.saturating_sub(cpu_before);
    let t = Instant::now();
    c.keys(&[])?;
    c.capture()?;
    f.floor = t.elapsed();
    // Clear the filter (Esc), then paste 40 characters at once.
    c.keys(&["Escape"])?;
    c.wait(Instant::now(), Duration::from_secs(10), |s| {
        !line(s, 1).contains(" / ")
    })?;
    c.keys(&["/"])?;
    c.wait(Instant::now(), Duration::from_secs(10), |s| {
        line(s, 1).contains(" / ▏")
    })?;
    let want = format!(" / {PASTED}▏  ");
    let t = Instant::now();
    c.literal(PASTED)?;
    f.paste = c.wait(t, Duration::from_secs(60), |s| {
        let l = line(s, 1);
        l.contains(&want) && l.contains(" match")
    })?;
    c.keys(&["Escape"])?;
    c.wait(Instant::now(), Duration::from_secs(10), |s| {
        !line(s, 1).contains(" / ")
    })?;
    std::thread::sleep(Duration::from_millis(300));
    (f.rss_before, f.hwm_before) = memory(pid)?;
    // The first Costs view: its totals and findings on screen.
    let t = Instant::now();
    c.keys(&["4"])?;
    f.costs = c.wait(t, Duration::from_secs(60), |s| {
        s.contains("a month, by provider") && s.contains("findings")
    })?;
    std::thread::sleep(Duration::from_millis(500));
    (f.rss_after, f.hwm_after) = memory(pid)?;
    c.keys(&["q"])?;
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

/// The number after `label` on the tabs line (0 when there is none).
fn counted(tabs: &str, label: &str) -> u64 {
    tabs.split_once(label)
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
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
        "console CPU until all instances shown (/proc, 10 ms ticks)",
        all.iter().map(|f| ms(f.start_cpu) as f64).collect(),
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
        "harness floor per key (`send-keys` + `capture-pane` through the control client)",
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

/// This process's nice value (what the tmux server and the console inherit), from
/// /proc/self/stat (the bench uses only std).
fn nice_value() -> i64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            rest.split_whitespace().nth(16)?.parse().ok()
        })
        .unwrap_or(0)
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

    /// Stop the server and wait (up to 10 s) until the console it ran has exited: a console
    /// of 100k rows takes a while to give back its memory, and the next run's start would
    /// share the cores with that (runs after the first were ~200 ms slower to their rows).
    fn kill(&self) {
        let pid = self.pid().ok();
        let _ = self.run(&["kill-server"]);
        let deadline = Instant::now() + Duration::from_secs(10);
        while let Some(pid) = pid {
            if !Path::new(&format!("/proc/{pid}")).exists() || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A control-mode client (`tmux -C`) attached to the session. Keys go in as commands on its
/// stdin, and tmux tells it the moment the console writes to the terminal (`%output`), so the
/// screen is read only after output and no process is started per look: a key's latency is
/// measured from sending it to the output after which the screen shows it.
struct Control {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    lines: std::sync::mpsc::Receiver<(Instant, String)>,
    /// When the last `%output` came that no look at the screen has followed yet.
    unseen_output: Option<Instant>,
}

impl Control {
    fn attach(tmux: &Tmux) -> Result<Control, String> {
        use std::io::BufRead;
        let mut child = Command::new("tmux")
            .arg("-L")
            .arg(&tmux.socket)
            .args(["-C", "attach-session", "-t", "b"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("tmux -C: {e}"))?;
        let stdin = child.stdin.take().ok_or("tmux -C: no stdin")?;
        let stdout = child.stdout.take().ok_or("tmux -C: no stdout")?;
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for l in std::io::BufReader::new(stdout).split(b'\n') {
                let Ok(l) = l else { break };
                let l = String::from_utf8_lossy(&l).into_owned();
                if tx.send((Instant::now(), l)).is_err() {
                    break;
                }
            }
        });
        let mut c = Control {
            child,
            stdin,
            lines,
            unseen_output: None,
        };
        // The client's greeting, and a first look: from here on every output is seen.
        c.command("display-message -p ready")?;
        c.unseen_output = Some(Instant::now());
        Ok(c)
    }

    fn next_line(&mut self, until: Instant) -> Result<String, String> {
        let left = until.saturating_duration_since(Instant::now());
        let (at, l) = self
            .lines
            .recv_timeout(left)
            .map_err(|_| "timed out waiting for tmux".to_string())?;
        if l.starts_with("%output ") {
            self.unseen_output = Some(at);
        }
        if l.starts_with("%exit") {
            return Err(format!("tmux control client: {l}"));
        }
        Ok(l)
    }

    /// Run one tmux command; its reply's lines (between `%begin` and `%end`).
    fn command(&mut self, cmd: &str) -> Result<Vec<String>, String> {
        use std::io::Write;
        writeln!(self.stdin, "{cmd}").map_err(|e| format!("tmux -C: {e}"))?;
        self.stdin.flush().map_err(|e| format!("tmux -C: {e}"))?;
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            // A reply: `%begin TIME NUMBER FLAGS` … `%end` (or `%error`). FLAGS 1: a command
            // of this client's (attaching gives a reply of its own first).
            let l = self.next_line(until)?;
            let Some(head) = l.strip_prefix("%begin ") else {
                continue;
            };
            let ours = head.split(' ').nth(2) == Some("1");
            let mut body = Vec::new();
            loop {
                let l = self.next_line(until)?;
                if l.starts_with("%end ") || l.starts_with("%error ") {
                    if !ours {
                        break;
                    }
                    if l.starts_with("%error ") {
                        return Err(format!("tmux {cmd}: {}", body.join(" ")));
                    }
                    return Ok(body);
                }
                body.push(l);
            }
        }
    }

    fn capture(&mut self) -> Result<String, String> {
        Ok(self.command("capture-pane -p -t b")?.join("\n"))
    }

    fn keys(&mut self, keys: &[&str]) -> Result<(), String> {
        let mut cmd = String::from("send-keys -t b");
        for k in keys {
            cmd.push(' ');
            cmd.push_str(k);
        }
        self.command(&cmd).map(|_| ())
    }

    /// Typed as text (`send-keys -l`), quoted for tmux's command parser.
    fn literal(&mut self, text: &str) -> Result<(), String> {
        let quoted = text.replace('\\', "\\\\").replace('\'', "\\'");
        self.command(&format!("send-keys -t b -l '{quoted}'"))
            .map(|_| ())
    }

    /// Wait until the screen satisfies `done`, looking after each output; how long after
    /// `since` the output came that made it so (at most `limit`).
    fn wait(
        &mut self,
        since: Instant,
        limit: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Result<Duration, String> {
        let until = Instant::now() + limit;
        loop {
            if let Some(at) = self.unseen_output.take() {
                // Let the rest of a frame arrive before looking (tmux splits output).
                while let Ok((t, l)) = self.lines.try_recv() {
                    if l.starts_with("%output ") {
                        self.unseen_output = Some(t);
                    }
                }
                let at = self.unseen_output.take().unwrap_or(at);
                if done(&self.capture()?) {
                    // Output that came while looking may be what made it so: count to it.
                    let at = self.unseen_output.unwrap_or(at);
                    return Ok(at.saturating_duration_since(since));
                }
            } else {
                self.next_line(until)?;
            }
        }
    }
}

impl Drop for Control {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
