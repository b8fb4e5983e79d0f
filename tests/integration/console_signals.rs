//! Signals and quitting with work in flight, on the real binary in tmux: SIGINT and SIGQUIT
//! restore the terminal; SIGTSTP (and ctrl-z) give it back and `fg` takes it again in raw mode;
//! quitting (q, SIGTERM) while an action is on its way lets the provider answer, says what was
//! left, and journals how it ended.

use std::process::Command;

use crate::console_tmux::Tmux;
use crate::support::Env;

fn kill(sig: &str, pid: &str) {
    let ok = Command::new("kill").args([sig, pid]).status().unwrap();
    assert!(ok.success(), "kill {sig} {pid}");
}

/// The terminal's modes, read from outside (what the program in the foreground runs with).
fn stty(tty: &str) -> Vec<String> {
    let out = Command::new("stty")
        .args(["-F", tty, "-a"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(String::from)
        .collect()
}

fn screen_is_given_back(t: &Tmux) {
    assert_eq!(
        t.format("#{alternate_on}"),
        "0",
        "the alternate screen is left"
    );
    assert_eq!(t.format("#{cursor_flag}"), "1", "the cursor shows");
}

#[test]
fn sigint_and_sigquit_restore_the_terminal() {
    for sig in ["-INT", "-QUIT"] {
        let env = Env::new();
        env.json(&["accounts"]);
        let t = Tmux::start(&env, 120, 30);
        t.wait_for("the console", |s| s.contains("1 Instances"));
        assert_eq!(t.format("#{alternate_on}"), "1");
        kill(sig, &t.console_pid());
        t.wait_for("the shell again", |s| s.contains("NEPHOS-EXITED-42"));
        screen_is_given_back(&t);
        let stty = std::fs::read_to_string(env.path("stty.txt")).unwrap();
        for flag in ["icanon", "echo", "isig"] {
            assert!(
                stty.split_whitespace().any(|w| w == flag),
                "{sig}: {flag}: {stty}"
            );
        }
    }
}

#[test]
fn a_stop_gives_the_terminal_back_and_fg_takes_it_again_in_raw_mode() {
    let env = Env::new();
    env.json(&["accounts"]);
    let t = Tmux::launch(&env, 120, 30, &[], "{nephos} --demo");
    t.wait_for("the console", |s| s.contains("1 Instances"));
    let tty = t.format("#{pane_tty}");
    assert!(stty(&tty).iter().any(|w| w == "-icanon"), "raw at first");
    let pid = t.console_pid();
    // SIGTSTP from outside, then ctrl-z typed (a key in raw mode): each stops the console.
    for (n, stop) in ["SIGTSTP", "ctrl-z"].iter().enumerate() {
        if n == 0 {
            kill("-TSTP", &pid);
        } else {
            t.keys(&["C-z"]);
        }
        t.wait_for("the job stopped", |s| s.matches("Stopped").count() > n);
        screen_is_given_back(&t);
        t.literal("fg");
        t.keys(&["Enter"]);
        t.wait_for("the console again", |s| s.contains("1 Instances"));
        assert_eq!(t.format("#{alternate_on}"), "1", "after {stop}");
        let modes = stty(&tty);
        assert!(
            modes.iter().any(|w| w == "-icanon") && modes.iter().any(|w| w == "-echo"),
            "raw mode again after {stop} and fg: {modes:?}"
        );
        // A key works without Enter.
        t.keys(&["?"]);
        t.wait_for("the help", |s| s.contains("esc close"));
        t.keys(&["Escape"]);
        t.wait_for("the table", |s| !s.contains("esc close"));
    }
    t.keys(&["q"]);
    t.wait_for("the shell", |s| s.lines().any(|l| l.trim() == "$"));
    screen_is_given_back(&t);
}

#[test]
fn quitting_while_an_action_is_on_its_way_waits_for_the_answer_and_journals_the_end() {
    for how in ["q", "SIGTERM"] {
        let env = Env::new();
        let list = env.json(&[
            "list",
            "instances",
            "--filter",
            "provider:aws state:running !tag:env=prod",
        ]);
        let name = list[0]["name"].as_str().unwrap().to_string();
        let id = list[0]["id"].as_str().unwrap().to_string();
        // Every call to the sandbox takes 1.5 s: the stop is still on its way when quit comes.
        let t = Tmux::start_with(&env, 170, 40, &[("NEPHOS_SANDBOX_LATENCY_MS", "1500")]);
        t.wait_for("the instances", |s| s.contains("sandbox-aws ok"));
        t.keys(&["/"]);
        t.literal(&format!("name:{name}"));
        t.wait_for("one match", |s| s.contains("1 match"));
        t.keys(&["Enter", "X"]);
        t.wait_for("the confirmation", |s| s.contains("Proceed?"));
        t.keys(&["y"]);
        t.wait_for("the action running", |s| {
            s.contains("1 running: stop instance")
        });
        if how == "q" {
            t.keys(&["q"]);
        } else {
            kill("-TERM", &t.console_pid());
        }
        t.wait_for("what quitting waits for", |s| {
            s.contains("quitting: waiting up to 5s for the provider to answer 1 action")
        });
        let s = t.wait_for("the shell again", |s| s.contains("NEPHOS-EXITED-42"));
        assert!(
            s.contains("accepted by the provider; the console quit before seeing its final state"),
            "{how}: says what it left:\n{s}"
        );
        let outcomes: Vec<String> = env
            .journal()
            .iter()
            .map(|e| e["outcome"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(outcomes, ["started", "succeeded", "unfollowed"], "{how}");
        // The stop was applied, as the journal says it was accepted.
        let got = env.json(&["get", "instance", &id]);
        assert!(
            got["state"] == "stopping" || got["state"] == "stopped",
            "{how}: {got}"
        );
    }
}
