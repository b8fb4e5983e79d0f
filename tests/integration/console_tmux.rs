//! The real binary in a real terminal (tmux): start the console on the sandbox, filter, stop an
//! instance through the palette, confirm, watch the state change, quit, and check the terminal
//! is back to normal.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::Env;

pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(env: &Env, width: u16, height: u16) -> Tmux {
        Tmux::start_with(env, width, height, &[])
    }

    pub fn start_with(env: &Env, width: u16, height: u16, extra: &[(&str, &str)]) -> Tmux {
        let line = format!(
            "{{nephos}} --demo; stty -a > {}; echo NEPHOS-EXITED-$((40+2))",
            env.path("stty.txt").display()
        );
        Tmux::launch(env, width, height, extra, &line)
    }

    /// A pane whose shell is given `line` to run (`{nephos}` stands for the binary).
    pub fn launch(env: &Env, width: u16, height: u16, extra: &[(&str, &str)], line: &str) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let socket = format!("nephos-test-{}-{n}", std::process::id());
        let nephos = assert_cmd::cargo::cargo_bin("nephos");
        let mut cmd = Command::new("tmux");
        cmd.args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "bash",
            "--norc",
            "--noprofile",
        ]);
        for (k, v) in [
            ("NEPHOS_DATA_DIR", env.path("data")),
            ("NEPHOS_STATE_DIR", env.path("state")),
            ("XDG_CONFIG_HOME", env.path("config")),
        ] {
            cmd.env(k, v);
        }
        cmd.env("NEPHOS_SANDBOX_TRANSITION_MS", "600")
            .env("NEPHOS_SANDBOX_LATENCY_MS", "0")
            .env("TERM", "xterm-256color")
            .env("PS1", "$ ");
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("tmux runs (tests/run installs it)");
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let t = Tmux { socket };
        let line = line.replace("{nephos}", &nephos.display().to_string());
        t.keys(&[&line, "Enter"]);
        t
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["-L", &self.socket, "send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        let ok = Command::new("tmux").args(&args).status().unwrap().success();
        assert!(ok, "send-keys {keys:?}");
    }

    pub fn literal(&self, text: &str) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "0", "-l", text])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    /// The process running in the pane's shell (the console).
    pub fn console_pid(&self) -> String {
        let out = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "display-message",
                "-p",
                "-t",
                "0",
                "#{pane_pid}",
            ])
            .output()
            .unwrap();
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .next()
            .expect("a child of the shell")
            .to_string()
    }

    /// A tmux format for the pane: `#{alternate_on}`, `#{cursor_flag}`, `#{pane_tty}`.
    pub fn format(&self, f: &str) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "display-message", "-p", "-t", "0", f])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the screen shows `what` (a predicate over its text), or fail showing it.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn row_with<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen
        .lines()
        .find(|l| l.contains(name) && l.contains("sandbox-"))
}

#[test]
fn filter_stop_through_the_palette_confirm_and_quit_cleanly() {
    let env = Env::new();
    // A running AWS instance of the default sandbox, found the scripted way.
    let list = env.json(&[
        "list",
        "instances",
        "--filter",
        "provider:aws state:running !tag:env=prod",
    ]);
    let name = list[0]["name"].as_str().unwrap().to_string();
    let id = list[0]["id"].as_str().unwrap().to_string();

    let t = Tmux::start(&env, 170, 40);
    t.wait_for("the instances table", |s| {
        s.contains("1 Instances") && s.contains("sandbox-aws ok")
    });

    t.keys(&["/"]);
    t.literal(&format!("name:{name}"));
    let s = t.wait_for("one match", |s| s.contains("1 match"));
    assert!(row_with(&s, &name).unwrap().contains("running"), "{s}");
    t.keys(&["Enter"]);

    t.keys(&[":"]);
    t.literal("stop");
    t.wait_for("the palette offering stop", |s| {
        s.contains("> stop") && s.contains("Stop the instance")
    });
    t.keys(&["Enter"]);
    let s = t.wait_for("the confirmation", |s| {
        s.contains("stop?") && s.contains("Proceed?")
    });
    assert!(s.contains(&format!("stop instance {name} ({id})")), "{s}");
    t.keys(&["y"]);

    t.wait_for("the stopped state", |s| {
        row_with(s, &name).is_some_and(|r| r.contains("stopped"))
    });
    t.wait_for("the operation's outcome", |s| {
        s.contains("done: stop instance")
    });

    t.keys(&["q"]);
    let s = t.wait_for("the shell again", |s| s.contains("NEPHOS-EXITED-42"));
    assert!(
        !s.contains("1 Instances"),
        "the alternate screen is gone:\n{s}"
    );

    let stty = std::fs::read_to_string(env.path("stty.txt")).expect("stty ran after nephos");
    let words: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(words.contains(&flag), "{flag} is back on: {stty}");
    }

    // The change is real: the next process sees it, and the journal has both ends.
    let got = env.json(&["get", "instance", &id]);
    assert_eq!(got["state"], "stopped");
    let journal = env.journal();
    let outcomes: Vec<&str> = journal
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["started", "succeeded"]);
    assert!(Path::new(&env.path("state/logs")).exists());
}

#[test]
fn sighup_restores_the_terminal_and_records_nothing_half_done() {
    let env = Env::new();
    env.json(&["accounts"]);
    let t = Tmux::start(&env, 120, 30);
    t.wait_for("the console", |s| s.contains("1 Instances"));
    // The pane's shell forwards nothing: send the console itself a hangup, as a dropped SSH
    // session would.
    let pid = t.console_pid();
    assert!(Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap()
        .success());
    t.wait_for("the shell again", |s| s.contains("NEPHOS-EXITED-42"));
    let stty = std::fs::read_to_string(env.path("stty.txt")).unwrap();
    assert!(stty.split_whitespace().any(|w| w == "icanon"), "{stty}");
    assert!(env.journal().is_empty());
}

#[test]
fn a_panic_restores_the_terminal_and_says_what_happened() {
    let env = Env::new();
    env.json(&["accounts"]);
    let t = Tmux::start_with(
        &env,
        120,
        30,
        &[("NEPHOS_TEST_PANIC_ON_KEY", "1"), ("RUST_BACKTRACE", "0")],
    );
    t.wait_for("the console", |s| s.contains("1 Instances"));
    t.keys(&["j"]);
    let s = t.wait_for("the shell again", |s| s.contains("NEPHOS-EXITED-42"));
    assert!(
        s.contains("test panic on a key press"),
        "the panic message is readable after the restore:\n{s}"
    );
    let stty = std::fs::read_to_string(env.path("stty.txt")).unwrap();
    for flag in ["icanon", "echo", "isig"] {
        assert!(stty.split_whitespace().any(|w| w == flag), "{flag}: {stty}");
    }
}
