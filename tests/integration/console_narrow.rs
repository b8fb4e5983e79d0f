//! Issue 15 in a real terminal (tmux): what a newcomer hit on the sandbox, checked through the
//! real binary: the cursor's first row, the Costs pane's filter, help over the detail view,
//! money at 80×24, the protected-delete dialog and a whole-table plan at 60×20.

use crate::console_tmux::Tmux;
use crate::support::Env;

/// Every `$…` amount on the line, as drawn.
fn amounts(line: &str) -> Vec<String> {
    line.split('$')
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .collect()
        })
        .collect()
}

/// `1,234` or `907.52`: whole, not cut (`1,9`).
fn whole(amount: &str) -> bool {
    let (int, cents) = match amount.split_once('.') {
        Some((i, c)) => (i, Some(c)),
        None => (amount, None),
    };
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && groups.all(|g| g.len() == 3)
        && cents.is_none_or(|c| c.len() == 2)
}

#[test]
fn the_costs_pane_filters_and_its_keys_are_typed_not_run() {
    let env = Env::new();
    env.json(&["accounts"]);
    let t = Tmux::start(&env, 120, 30);
    t.wait_for("the console", |s| s.contains("sandbox-aws ok"));
    t.keys(&["4"]);
    t.wait_for("the Costs pane", |s| s.contains("a month, by provider"));
    t.keys(&["/"]);
    t.keys(&["t"]);
    t.keys(&["q"]);
    t.wait_for("t and q typed into the filter", |s| s.contains("/ tq"));
    t.keys(&["BSpace", "BSpace"]);
    t.literal("provider:gcp");
    t.keys(&["Enter"]);
    let s = t.wait_for("the filtered figures", |s| {
        s.contains("/ provider:gcp ") && s.contains(" resources") && !s.contains('▏')
    });
    // The groups box (the left one) lists gcp alone.
    let groups: Vec<&str> = s
        .lines()
        .skip_while(|l| !l.contains("a month, by provider"))
        .skip(1)
        .take_while(|l| !l.contains('└'))
        .map(|l| l.split('│').nth(1).unwrap_or(""))
        .filter(|l| l.contains('$'))
        .collect();
    assert_eq!(groups.len(), 1, "{s}");
    assert!(groups[0].starts_with("gcp "), "{s}");
    t.keys(&["q"]);
    t.wait_for("the shell again", |s| s.contains("NEPHOS-EXITED-42"));
}

#[test]
fn at_80x24_the_costs_amounts_are_whole_and_help_returns_to_the_detail_view() {
    let env = Env::new();
    env.json(&["accounts"]);
    let t = Tmux::start(&env, 80, 24);
    t.wait_for("the console", |s| s.contains("sandbox-aws ok"));
    t.keys(&["4"]);
    let s = t.wait_for("the Costs pane", |s| s.contains("a month, by provider"));
    let money: Vec<String> = s.lines().flat_map(amounts).collect();
    assert!(money.len() >= 6, "{s}");
    for m in &money {
        assert!(whole(m), "${m} is cut:\n{s}");
    }
    for p in ["aws", "gcp", "azure"] {
        let line = s
            .lines()
            .find(|l| l.starts_with(&format!("│{p} ")))
            .unwrap_or_else(|| panic!("{p}:\n{s}"));
        assert_eq!(amounts(line).len(), 1, "{line}");
    }
    // `?` over the detail view, then Esc, is the detail view again.
    t.keys(&["1"]);
    t.keys(&["Enter"]);
    t.wait_for("the detail view", |s| s.contains("lines 1-"));
    t.keys(&["?"]);
    t.wait_for("help", |s| s.contains("keys and commands"));
    t.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    t.wait_for("the detail view again", |s| {
        s.contains("lines 1-") && !s.contains("keys and commands")
    });
    // G goes to the last page, not past it.
    t.keys(&["G"]);
    t.wait_for("the last page", |s| {
        s.lines().any(|l| {
            l.split("lines ")
                .nth(1)
                .and_then(|r| r.split_once(" of "))
                .is_some_and(|(range, total)| {
                    range.split('-').nth(1).map(str::trim) == total.split_whitespace().next()
                })
        })
    });
}

#[test]
fn at_60x20_the_protected_dialog_and_a_whole_table_plan_keep_their_prompt() {
    let env = Env::new();
    env.json(&["accounts"]);
    let t = Tmux::start(&env, 60, 20);
    // The header keeps every account's state, the names shortened to fit.
    t.wait_for("the console", |s| {
        s.contains("aws ok") && s.contains("gcp ok") && s.contains("azure ok")
    });
    t.keys(&["/"]);
    t.literal("tag:env=prod state:running");
    t.keys(&["Enter"]);
    t.keys(&["C-d"]);
    t.wait_for("the name prompt", |s| {
        s.contains("is protected. Type its name:")
    });
    t.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    t.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    t.wait_for("no filter", |s| !s.contains("tag:env=prod"));
    t.keys(&["C-a"]);
    t.keys(&["C-d"]);
    let s = t.wait_for("the count prompt", |s| s.contains("Type the number"));
    assert!(s.contains("more"), "{s}");
    assert!(s.contains("sandbox-gcp: terminate"), "{s}");
}
