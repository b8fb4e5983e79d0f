//! Snapshots of what the console draws (ratatui's TestBackend + insta). Text snapshots show the
//! layout; the theme snapshots also record each run of style.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use insta::assert_snapshot;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::json;

use super::render;
use crate::action::Action;
use crate::domain::{Described, InstanceState};
use crate::inventory::Scope;
use crate::providers::{ErrorKind, ListScope, ProviderError};
use crate::state::{fixture, State, ThemeName};
use crate::update::update;
use crate::worker::poller::PollEvent;

fn draw(s: &State) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    t.draw(|f| render(f, s)).unwrap();
    t
}

fn text(s: &State) -> String {
    draw(s).backend().to_string()
}

/// Each line's runs of equal style, as `«text»{fg,bg,mods}`, for theme snapshots.
fn styled(s: &State, lines: std::ops::Range<u16>) -> String {
    let t = draw(s);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in lines {
        let mut run = String::new();
        let mut style = None;
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            let st = (c.fg, c.bg, c.modifier);
            if style != Some(st) && !run.is_empty() {
                let (fg, bg, m) = style.unwrap();
                out.push_str(&format!("«{run}»{{{fg:?},{bg:?},{m:?}}} "));
                run.clear();
            }
            style = Some(st);
            run.push_str(c.symbol());
        }
        if let Some((fg, bg, m)) = style {
            out.push_str(&format!("«{}»{{{fg:?},{bg:?},{m:?}}}", run.trim_end()));
        }
        out.push('\n');
    }
    out
}

fn key(s: &mut State, c: KeyCode) {
    update(s, Action::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

fn keys(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

fn state() -> State {
    fixture::state(24)
}

#[test]
fn instances_pane() {
    assert_snapshot!(text(&state()));
}

#[test]
fn disks_pane() {
    let mut s = state();
    keys(&mut s, "2");
    assert_snapshot!(text(&s));
}

#[test]
fn load_balancers_pane_and_costs_pane() {
    let mut s = state();
    keys(&mut s, "3");
    assert_snapshot!("load_balancers", text(&s));
    keys(&mut s, "/nothing-like-this");
    assert_snapshot!("load_balancers_none_match", text(&s));
    key(&mut s, KeyCode::Esc);
    keys(&mut s, "4");
    assert_snapshot!("costs", text(&s));
}

#[test]
fn filter_with_matches_and_with_an_error() {
    let mut s = state();
    keys(&mut s, "/state:running tag:env=prod");
    assert_snapshot!("filter_matches", text(&s));
    keys(&mut s, " nope:x");
    assert_snapshot!("filter_error", text(&s));
}

#[test]
fn detail_view() {
    let mut s = state();
    keys(&mut s, "j");
    key(&mut s, KeyCode::Enter);
    let crate::state::Mode::Detail(d) = &s.mode else {
        panic!()
    };
    let target = d.target.clone();
    let resource = s.inventory.get(&target).unwrap();
    let raw = json!({"InstanceId": target.id.as_str(), "State": {"Code": 16, "Name": "running"}});
    update(
        &mut s,
        Action::Described {
            target,
            result: Ok(Described { resource, raw }),
        },
    );
    assert_snapshot!(text(&s));
}

#[test]
fn palette() {
    let mut s = state();
    keys(&mut s, ":st");
    assert_snapshot!(text(&s));
}

#[test]
fn confirmation_plain_typed_and_batch() {
    let mut s = state();
    let running = s
        .inventory
        .instances
        .iter()
        .find(|i| i.state == InstanceState::Running && i.tags.get("env") != Some("prod"))
        .unwrap()
        .name
        .to_string();
    keys(&mut s, &format!("/name:{running}"));
    key(&mut s, KeyCode::Enter);
    keys(&mut s, "X");
    assert_snapshot!("confirm_stop", text(&s));
    key(&mut s, KeyCode::Esc);

    let prod = s
        .inventory
        .instances
        .iter()
        .find(|i| i.tags.get("env") == Some("prod") && i.state != InstanceState::Terminated)
        .unwrap()
        .name
        .to_string();
    key(&mut s, KeyCode::Esc);
    keys(&mut s, &format!("/name:{prod}"));
    key(&mut s, KeyCode::Enter);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    keys(&mut s, &prod[..3]);
    assert_snapshot!("confirm_typed", text(&s));
    key(&mut s, KeyCode::Esc);

    key(&mut s, KeyCode::Esc);
    keys(&mut s, "/provider:aws");
    key(&mut s, KeyCode::Enter);
    keys(&mut s, "   R");
    assert_snapshot!("confirm_batch", text(&s));
}

#[test]
fn help() {
    let mut s = state();
    s.size = (160, 60);
    keys(&mut s, "?");
    assert_snapshot!(text(&s));
}

#[test]
fn error_states_in_the_header() {
    let mut s = state();
    update(
        &mut s,
        Action::Poll(PollEvent::Finished {
            scope: Scope::new(
                "sandbox-gcp",
                ListScope::gcp_project("nephos-sandbox"),
                crate::domain::ResourceKind::Instance,
            ),
            outcome: Err(ProviderError::coded(
                ErrorKind::Throttled,
                "RequestLimitExceeded",
                "Request limit exceeded.",
            )),
            at: fixture::now(),
        }),
    );
    update(
        &mut s,
        Action::Poll(PollEvent::AccountFailed {
            account: "sandbox-azure".into(),
            error: ProviderError::coded(ErrorKind::Auth, "AuthFailure", "token expired")
                .with_hint("az login"),
        }),
    );
    update(
        &mut s,
        Action::OpFinished {
            id: 99,
            result: Err(ProviderError::new(
                ErrorKind::Invalid,
                "ignored: unknown op",
            )),
        },
    );
    s.error("failed: stop instance web-1: IncorrectInstanceState: not now");
    assert_snapshot!(text(&s));
}

#[test]
fn too_small_a_terminal() {
    let mut s = state();
    s.size = (50, 8);
    assert_snapshot!(text(&s));
}

#[test]
fn themes() {
    let mut s = state();
    s.size = (120, 14);
    assert_snapshot!("theme_dark", styled(&s, 0..5));
    s.theme = ThemeName::Light;
    assert_snapshot!("theme_light", styled(&s, 0..5));
    s.theme = ThemeName::Mono;
    assert_snapshot!("theme_mono", styled(&s, 0..5));
}

#[test]
fn over_budget_in_the_header() {
    let mut s = state();
    s.budget.monthly = Some(1000.0);
    s.budget.accounts.insert("sandbox-gcp".into(), 100.0);
    update(&mut s, Action::Tick(fixture::now()));
    let t = text(&s);
    assert!(t.contains("OVER BUDGET"), "{t}");
    assert!(t.contains("over budget"), "{t}");
    assert_snapshot!(t);
}

#[test]
fn a_narrow_terminal_drops_the_least_needed_columns_first() {
    let cols = crate::panes::PANES[0].columns();
    let all: Vec<usize> = (0..cols.len()).collect();
    assert_eq!(super::table::fitting(cols, 400), all);
    let narrow = super::table::fitting(cols, 100);
    let titles: Vec<&str> = narrow.iter().map(|&i| cols[i].title).collect();
    assert!(
        titles.contains(&"NAME") && titles.contains(&"STATE"),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"TAGS") && !titles.contains(&"IPS"),
        "{titles:?}"
    );
    let tiny = super::table::fitting(cols, 20);
    assert!(
        tiny.iter().all(|&i| cols[i].priority == 1),
        "only the essentials are left"
    );
    let mut s = state();
    s.size = (100, 20);
    assert_snapshot!(text(&s));
}

#[test]
fn the_detail_view_says_what_a_resource_costs_or_why_not() {
    let s = state();
    let priced = s
        .inventory
        .instances
        .iter()
        .find(|i| i.region() == "us-east-1" && i.state == InstanceState::Running)
        .unwrap();
    let d = crate::state::Detail::new(priced.r#ref.clone());
    let lines = crate::state::detail_lines(&d, &s.inventory, &s.catalog);
    let cost = lines
        .iter()
        .find(|l| l.starts_with("cost"))
        .expect("a cost line");
    assert!(
        cost.contains("/h")
            && cost.contains("on-demand")
            && cost.contains("prices as of 2026-07-20"),
        "{cost}"
    );
}

#[test]
fn an_empty_pane_says_whether_it_is_loading_failed_or_empty() {
    let fresh = || {
        let mut s = State::new(
            fixture::accounts(),
            Default::default(),
            Default::default(),
            crate::keymap::Keymap::defaults(),
            fixture::now(),
        );
        s.size = (160, 30);
        keys(&mut s, "3");
        s
    };
    let lbs = |s: &mut State, outcome| {
        update(
            s,
            Action::Poll(PollEvent::Finished {
                scope: Scope::new(
                    "sandbox-aws",
                    ListScope::aws_region("us-east-1"),
                    crate::domain::ResourceKind::LoadBalancer,
                ),
                outcome,
                at: fixture::now(),
            }),
        )
    };

    let loading = fresh();
    assert!(text(&loading).contains("being read"), "{}", text(&loading));

    let mut empty = fresh();
    lbs(
        &mut empty,
        Ok(crate::providers::Resources::LoadBalancers(Vec::new())),
    );
    assert!(
        text(&empty).contains("no load balancers in the accounts and regions read"),
        "{}",
        text(&empty)
    );

    let mut failed = fresh();
    lbs(
        &mut failed,
        Err(ProviderError::coded(ErrorKind::Auth, "AuthFailure", "no")),
    );
    assert!(
        text(&failed).contains("no load balancers could be read: every account failed"),
        "{}",
        text(&failed)
    );
}

#[test]
fn the_errors_list_shows_a_failure_in_full() {
    let mut s = state();
    key(&mut s, KeyCode::Char('S'));
    key(&mut s, KeyCode::Char('y'));
    let id = s.ops.last().expect("an action started").id;
    let hint = "run `aws sso login --profile prod` and then try this action again from the console";
    update(
        &mut s,
        Action::OpFinished {
            id,
            result: Err(ProviderError::coded(
                ErrorKind::Auth,
                "ExpiredToken",
                "The security token included in the request is expired",
            )
            .with_hint(hint)),
        },
    );
    key(&mut s, KeyCode::Char(':'));
    keys(&mut s, "errors");
    key(&mut s, KeyCode::Enter);
    // The wrapped lines, joined, hold the whole error: nothing cut.
    let screen = text(&s);
    let joined: String = screen
        .lines()
        .filter_map(|l| l.split("│").nth(1))
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let joined = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("ExpiredToken"), "{screen}");
    assert!(
        joined.contains("token included in the request is expired"),
        "{screen}"
    );
    assert!(
        joined.replace(' ', "").contains(&hint.replace(' ', "")),
        "{screen}"
    );
}

/// Issue 15: "no command matches" showed twice after Enter.
#[test]
fn no_command_matches_is_said_once() {
    let mut s = state();
    keys(&mut s, ":zzzqqq");
    assert_eq!(text(&s).matches("no command matches").count(), 1);
    key(&mut s, KeyCode::Enter);
    let screen = text(&s);
    assert_eq!(screen.matches("no command matches").count(), 1, "{screen}");
}

/// Issue 15: at 80×24 the Costs totals were cut (`$1,9`), at 60×20 they showed no amounts.
#[test]
fn narrow_costs_never_cut_money() {
    for size in [(80, 24), (60, 20), (100, 30)] {
        let mut s = state();
        s.size = size;
        keys(&mut s, "4");
        let screen = text(&s);
        let total = super::costs::usd(s.costs.total_monthly_usd);
        assert!(screen.contains(&total), "{size:?} total {total}:\n{screen}");
        for g in &s.costs.groups {
            let amount = super::costs::usd(g.monthly_usd);
            assert!(
                screen.contains(&format!("{amount} ")) || screen.contains(&format!("{amount}│")),
                "{size:?} {} {amount}:\n{screen}",
                g.label
            );
        }
        let f = &s.costs.findings[0];
        let saving = super::costs::usd(f.monthly_savings_usd);
        assert!(screen.contains(&saving), "{size:?} {saving}:\n{screen}");
        assert_snapshot!(format!("costs_{}x{}", size.0, size.1), screen);
    }
}

/// Issue 15: below ~100 columns the filter input and its error were hidden behind the tabs.
#[test]
fn the_filter_line_and_its_error_show_at_60_columns() {
    let mut s = state();
    s.size = (60, 20);
    keys(&mut s, "/state:running nope:x");
    let screen = text(&s);
    assert!(screen.contains("nope:x"), "{screen}");
    let e = s.current().filter_error.clone().unwrap();
    let head: String = e.message.chars().take(20).collect();
    assert!(screen.contains(&head), "{head}:\n{screen}");
}

/// Issue 15: at 60×20 the "type its name" line was clipped from the protected-delete dialog.
#[test]
fn the_protected_delete_dialog_reflows_at_60x20() {
    let mut s = fixture::state(60);
    s.size = (60, 20);
    // An Azure machine: its plan line holds the long ARM id, which wraps.
    let prod = s
        .inventory
        .instances
        .iter()
        .find(|i| {
            i.tags.get("env") == Some("prod")
                && i.state != InstanceState::Terminated
                && i.r#ref.provider == crate::domain::ProviderKind::Azure
        })
        .unwrap()
        .name
        .to_string();
    keys(&mut s, &format!("/name:{prod}"));
    key(&mut s, KeyCode::Enter);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let screen = text(&s);
    let joined: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("Type its name"), "{screen}");
    assert!(joined.contains(&format!("{prod} is protected")), "{screen}");
}

/// Issue 15: ctrl-a then ctrl-d at scale ran off the screen with its prompt invisible.
#[test]
fn a_large_plan_fits_with_its_prompt_in_view() {
    let mut s = fixture::state(400);
    s.size = (80, 24);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL)),
    );
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let screen = text(&s);
    let joined: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(joined.contains("Type the number"), "{screen}");
    assert!(joined.contains("more"), "{screen}");
    assert!(joined.contains("already terminated"), "{screen}");
    assert!(joined.contains("sandbox-gcp: terminate"), "{screen}");
}

/// Issue 15: docs/filter.md says the console underlines the bad term; it did not.
#[test]
fn the_bad_filter_term_is_underlined() {
    let mut s = state();
    keys(&mut s, "/state:running nope:x");
    let t = draw(&s);
    let buf = t.backend().buffer();
    let row: Vec<(String, bool)> = (0..buf.area.width)
        .map(|x| {
            let c = &buf[(x, 1)];
            (
                c.symbol().to_string(),
                c.modifier.contains(ratatui::style::Modifier::UNDERLINED),
            )
        })
        .collect();
    let underlined: String = row
        .iter()
        .filter(|(_, u)| *u)
        .map(|(c, _)| c.as_str())
        .collect();
    assert_eq!(underlined, "nope:x");
}

/// Issue 15: at 60 columns the header cut the last account's state.
#[test]
fn at_60_columns_every_accounts_state_is_in_the_header() {
    let mut s = state();
    s.size = (60, 20);
    let screen = text(&s);
    let header = screen.lines().next().unwrap();
    assert_eq!(header.matches(" ok").count(), 3, "{header}");
    assert!(header.contains("azure ok"), "{header}");
}

/// Issue 15: marks stayed on rows a new filter hid, unseen; the tabs line says how many.
#[test]
fn marks_hidden_by_the_filter_are_counted() {
    let mut s = state();
    keys(&mut s, "  ");
    keys(&mut s, "/");
    let first = s
        .inventory
        .get(&s.current().ref_at(&s.inventory, 0).unwrap())
        .unwrap();
    keys(&mut s, &format!("name:{}", first.name()));
    key(&mut s, KeyCode::Enter);
    let screen = text(&s);
    assert!(
        screen.contains("2 marked (1 hidden by the filter)"),
        "{screen}"
    );
}

/// Issue 15: the scope (`:ctx`) shows in the header, as k9s shows its context.
#[test]
fn scope_in_the_header() {
    let mut s = state();
    crate::update::set_scope(
        &mut s,
        Some(crate::config::ScopeSel::parse("account:sandbox-aws").unwrap()),
    );
    update(&mut s, Action::Tick(fixture::now()));
    let t = text(&s);
    let header = t.lines().next().unwrap();
    assert!(header.contains("SCOPE account:sandbox-aws"), "{t}");
    assert!(
        t.lines().skip(3).all(|l| !l.contains("sandbox-gcp")),
        "rows of other accounts are hidden: {t}"
    );
    assert_snapshot!(t);
}
/// Press `o` until the sort is on `field` (issue 15: PROVIDER never showed its arrow).
fn sort_on(s: &mut State, field: crate::inventory::SortField) {
    for _ in 0..20 {
        if s.current().sort.0.first().map(|k| k.field) == Some(field) {
            return;
        }
        keys(s, "o");
    }
    panic!("`o` never reached {field:?}");
}

#[test]
fn every_sortable_column_shows_its_arrow_even_provider() {
    let mut s = state();
    s.size = (200, 24);
    for (field, title) in [
        (crate::inventory::SortField::Provider, "PROVIDE↑"),
        (crate::inventory::SortField::Age, "AGE↑"),
        (crate::inventory::SortField::Cost, "$/H↑"),
    ] {
        sort_on(&mut s, field);
        let screen = text(&s);
        let header = screen
            .lines()
            .find(|l| l.contains("NAME"))
            .expect("a header line");
        assert!(header.contains(title), "{title} in {header}");
    }
}

#[test]
fn age_up_in_the_console_is_youngest_first_as_sort_age_in_the_cli() {
    let mut s = fixture::state(200);
    sort_on(&mut s, crate::inventory::SortField::Age);
    let launched: Vec<i64> = (0..s.current().rows.len())
        .filter_map(|i| {
            let r = s.current().ref_at(&s.inventory, i)?;
            match s.inventory.get(&r)? {
                crate::domain::Resource::Instance(i) => i.launched_at.map(|t| t.timestamp()),
                _ => None,
            }
        })
        .collect();
    assert!(launched.len() > 10);
    assert!(
        launched.windows(2).all(|w| w[0] >= w[1]),
        "AGE↑ lists the newest first"
    );
    let cli = crate::inventory::SortKeys::parse("age").unwrap();
    assert_eq!(s.current().sort.0, cli.0, "the same keys as `--sort age`");
}

#[test]
fn s_picks_the_sort_column_directly() {
    let mut s = state();
    s.size = (200, 24);
    keys(&mut s, "s");
    keys(&mut s, "cost");
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        s.current().sort.0[0].field,
        crate::inventory::SortField::Cost
    );
    let screen = text(&s);
    let header = screen.lines().find(|l| l.contains("NAME")).unwrap();
    assert!(header.contains("$/H↑"), "{header}");
    keys(&mut s, "s");
    keys(&mut s, "provider");
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        s.current().sort.0[0].field,
        crate::inventory::SortField::Provider
    );
}

/// Issue 15: `:view-save` put its TOML on the status line, cut off at 160 columns; a long
/// filter lost its end. The TOML is shown whole (wrapped in a box) and still copied.
#[test]
fn view_save_shows_a_long_filter_whole() {
    let mut s = fixture::state(40);
    s.size = (160, 30);
    let names: Vec<String> = (1..=24).map(|i| format!("web-prod-{i:03}")).collect();
    let filter = format!("state:running|stopped name:{}", names.join("|"));
    assert!(filter.len() > 200);
    key(&mut s, KeyCode::Char('/'));
    keys(&mut s, &filter);
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Char(':'));
    keys(&mut s, "view-save");
    key(&mut s, KeyCode::Enter);
    keys(&mut s, "wide");
    key(&mut s, KeyCode::Enter);
    // The screen's lines (each drawn in quotes), without the box's sides, joined; spaces are
    // dropped on both sides of the comparison since a wrap may fall on one.
    let screen: String = text(&s)
        .lines()
        .map(|l| {
            l.strip_prefix('"')
                .and_then(|l| l.strip_suffix('"'))
                .unwrap_or(l)
        })
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join("")
        .replace(' ', "");
    assert!(screen.contains("name=\"wide\""), "{screen}");
    let want = format!("filter = \"{filter}\"").replace(' ', "");
    assert!(
        screen.contains(&want),
        "the whole filter, its wrapped lines joined: {screen}"
    );
}

/// The fixture with its constructed networks (`state::fixture_networks`).
fn with_networks() -> State {
    let mut s = state();
    crate::state::fixture_networks::deliver(&mut s);
    s
}

#[test]
fn networks_pane_and_a_networks_detail_view() {
    let mut s = with_networks();
    keys(&mut s, "5");
    assert_snapshot!("networks_pane", text(&s));
    s.size = (160, 45);
    key(&mut s, KeyCode::Enter);
    assert_snapshot!("network_detail_view", text(&s));
}

#[test]
fn a_narrow_networks_pane_keeps_name_and_findings() {
    let mut s = with_networks();
    keys(&mut s, "5");
    s.size = (80, 12);
    assert_snapshot!("networks_pane_80", text(&s));
}

#[test]
fn costs_pane_with_security_findings() {
    let mut s = with_networks();
    keys(&mut s, "4");
    assert_snapshot!("costs_with_security_findings", text(&s));
}

/// The console's prices arrive after its first frame: a Costs pane opened before them says they
/// are being read, and shows no figures (every resource would be unpriced, $0.00 a month).
#[test]
fn the_costs_pane_waits_for_the_prices_rather_than_show_everything_unpriced() {
    let mut s = state();
    s.size = (120, 30);
    s.set_catalog(Default::default());
    s.prices_pending = true;
    keys(&mut s, "4");
    let before = text(&s);
    assert!(before.contains("reading the price catalog"), "{before}");
    assert!(
        !before.contains("$0.00") && !before.contains("a month"),
        "{before}"
    );
    update(
        &mut s,
        Action::Prices {
            catalog: crate::prices::Catalog::shared(),
            warnings: Vec::new(),
        },
    );
    let after = text(&s);
    assert!(after.contains("a month, by provider"), "{after}");
    assert!(!after.contains("reading the price catalog"), "{after}");
}

/// A tab counts its kind's rows as they are now, not as its pane last saw them: a start spent
/// on the Costs pane left the Instances tab saying 0.
#[test]
fn a_tab_counts_rows_that_arrived_while_another_pane_was_shown() {
    let mut s = fixture::state(0);
    s.size = (160, 30);
    keys(&mut s, "4");
    let (instances, disks, lbs) = crate::providers::sandbox::sample(60, 42);
    fixture::deliver(&mut s, instances, disks, lbs);
    let screen = text(&s);
    let tabs = screen.lines().nth(1).unwrap();
    assert!(tabs.contains(" 1 Instances 60 "), "{tabs}");
    // A filtered pane not shown cannot say how many match until it is: it says so.
    keys(&mut s, "1");
    keys(&mut s, "/");
    keys(&mut s, "provider:gcp");
    key(&mut s, KeyCode::Enter);
    keys(&mut s, "4");
    let (more, _, _) = crate::providers::sandbox::sample(80, 43);
    fixture::deliver(&mut s, more, Vec::new(), Vec::new());
    let screen = text(&s);
    let tabs = screen.lines().nth(1).unwrap();
    assert!(tabs.contains(" 1 Instances …/"), "{tabs}");
}
