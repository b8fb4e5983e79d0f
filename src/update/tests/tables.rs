//! Tables: polls fill them, navigation, filtering, sorting, the selection following its row.

use super::*;
use crate::providers::ListScope;

#[test]
fn polls_fill_the_table_and_navigation_moves_the_selection() {
    let mut s = fixture::state(40);
    assert_eq!(s.current().rows.len(), 40);
    assert_eq!(s.current().selected, 0);
    key(&mut s, 'j');
    key(&mut s, 'j');
    assert_eq!(s.current().selected, 2);
    key(&mut s, 'G');
    assert_eq!(s.current().selected, 39);
    key(&mut s, 'g');
    assert_eq!(s.current().selected, 0);
    code(&mut s, KeyCode::PageDown);
    assert_eq!(s.current().selected, s.body_height());
    key(&mut s, '2');
    assert_eq!(s.pane, 1);
    assert!(!s.current().rows.is_empty(), "disks pane filled on switch");
}

#[test]
fn the_filter_applies_as_typed_and_esc_clears_it() {
    let mut s = fixture::state(40);
    key(&mut s, '/');
    assert_eq!(s.mode, Mode::Filter);
    typed(&mut s, "provider:gcp");
    let gcp = s.current().rows.len();
    assert!(gcp > 0 && gcp < 40);
    typed(&mut s, " !");
    assert!(s.current().filter_error.is_some(), "a bad filter says so");
    assert_eq!(s.current().rows.len(), gcp, "and keeps the last good rows");
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.current().rows.len(), 40);
}

/// A run of filter keystrokes drained in one batch (a paste) re-filters once, at its last key,
/// and ends where typing the keys one by one ends.
#[test]
fn a_pasted_filter_filters_once_at_the_end_of_the_run() {
    let text = "provider:gcp";
    let mut one_by_one = fixture::state(40);
    key(&mut one_by_one, '/');
    typed(&mut one_by_one, text);
    code(&mut one_by_one, KeyCode::Enter);

    let mut s = fixture::state(40);
    key(&mut s, '/');
    let mut run: Vec<Action> = text
        .chars()
        .map(|c| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
        .collect();
    run.push(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let mut run = run.into_iter().peekable();
    while let Some(a) = run.next() {
        let last_char = matches!(run.peek(), Some(Action::Key(k)) if k.code == KeyCode::Enter);
        let fx = super::super::update_queued(&mut s, a, run.peek());
        assert!(fx.is_empty());
        if s.mode == Mode::Filter && !last_char {
            // Only the text moved: the rows are still the unfiltered 40.
            assert_eq!(s.current().rows.len(), 40);
        }
    }
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.current().filter_text, text);
    assert_eq!(s.current().filter_text, one_by_one.current().filter_text);
    assert_eq!(s.current().rows, one_by_one.current().rows);
    assert!(s.current().rows.len() < 40 && !s.current().rows.is_empty());
    assert_eq!(s.current().filter_error, None);
}

#[test]
fn the_selection_follows_its_resource_when_rows_change() {
    let mut s = fixture::state(40);
    key(&mut s, 'j');
    key(&mut s, 'j');
    key(&mut s, 'j');
    let name = selected_name(&s);
    // A fresh poll brings the same rows plus a new one that sorts first.
    let (mut instances, disks, lbs) = crate::providers::sandbox::sample(40, 42);
    let mut extra = instances[0].clone();
    extra.name = "aaa-first".into();
    extra.r#ref.id = "i-0000000000000000a".into();
    instances.push(extra);
    fixture::deliver(&mut s, instances, disks, lbs);
    assert_eq!(s.current().rows.len(), 41);
    assert_eq!(selected_name(&s), name);
}

#[test]
fn a_failing_scope_is_state_and_the_others_stay() {
    let mut s = fixture::state(40);
    let before = s.inventory.instances.len();
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
                "slow down",
            )),
            at: fixture::now(),
        }),
    );
    assert_eq!(s.inventory.instances.len(), before);
    let (h, _, msg) = s.account_health("sandbox-gcp");
    assert_eq!(h, crate::inventory::Health::Throttled);
    assert!(
        msg.as_deref()
            .unwrap()
            .starts_with("project nephos-sandbox: RequestLimitExceeded"),
        "{msg:?}"
    );
    assert_eq!(
        s.account_health("sandbox-aws").0,
        crate::inventory::Health::Ok
    );
}

#[test]
fn sorting_by_column_and_reverse() {
    let mut s = fixture::state(40);
    key(&mut s, 'o');
    let first = s.current().sort.0[0];
    key(&mut s, 'O');
    assert_eq!(s.current().sort.0[0].field, first.field);
    assert!(s.current().sort.0[0].desc);
    let names: Vec<String> = (0..s.current().rows.len())
        .map(|i| {
            let r = s.current().ref_at(&s.inventory, i).unwrap();
            match s.inventory.get(&r).unwrap() {
                crate::domain::Resource::Instance(i) => i.id().to_string(),
                other => panic!("{other:?}"),
            }
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        first.field,
        crate::inventory::SortField::Id,
        "after NAME comes ID"
    );
    assert_eq!(names, sorted);
}

/// A scope's new rows merge into the rows in place by the packed keys kept from the last sort
/// (see `inventory::sort::kept`): the same order as sorting again, also for names alike past
/// what a key holds, descending keys, cost, merge after merge, and several scopes at once.
#[test]
fn a_poll_of_one_scope_merges_into_the_sorted_rows_like_a_full_sort() {
    let mut s = fixture::state(400);
    let scopes: Vec<Scope> = s
        .inventory
        .scopes
        .keys()
        .filter(|sc| sc.kind == crate::domain::ResourceKind::Instance)
        .cloned()
        .collect();
    assert!(scopes.len() >= 3, "{scopes:?}");
    let sorted_again = |s: &State| {
        let mut p = s.panes[0].clone();
        p.refresh(&s.inventory, true);
        p.sorted
    };
    for spec in [
        "name",
        "state,name:desc",
        "type,zone",
        "cost:desc,name",
        "provider,account,region,name",
        "provider,account,region,zone,name",
    ] {
        let inv = &s.inventory;
        let p = &mut s.panes[0];
        p.sort = crate::inventory::SortKeys::parse(spec).unwrap();
        p.refresh(inv, true);
        // Scope after scope changes (rows go, rows change), names made long and alike in two
        // of them so that their packed keys tie and the texts decide.
        for (n, scope) in scopes.iter().take(3).enumerate() {
            let poll = changed_scope(&s, scope, if n == 2 { "zz-" } else { "" });
            update(&mut s, poll);
            assert_eq!(s.panes[0].sorted, sorted_again(&s), "{spec}, after {scope}");
        }
        // Then every scope in one run of polls: merged once, after the last.
        let run: Vec<Action> = scopes
            .iter()
            .map(|sc| changed_scope(&s, sc, "a-"))
            .collect();
        let mut run = run.into_iter().peekable();
        while let Some(a) = run.next() {
            super::super::update_queued(&mut s, a, run.peek());
        }
        assert_eq!(s.panes[0].sorted, sorted_again(&s), "{spec}, after all");
    }
}

/// A poll of `scope` with four fifths of its rows, changed: every third renamed `prefix` + its
/// name, every third given one long name, every second stopping (`prefix` empty: no rename).
fn changed_scope(s: &State, scope: &Scope, prefix: &str) -> Action {
    use crate::providers::sandbox::scope_of;
    let mut rows: Vec<_> = s
        .inventory
        .instances
        .iter()
        .filter(|i| i.r#ref.account == scope.account && scope_of(&i.r#ref) == scope.list)
        .cloned()
        .collect();
    rows.truncate(rows.len() - rows.len() / 5);
    for (i, r) in rows.iter_mut().enumerate() {
        r.name = match i % 3 {
            _ if prefix == "zz-" => format!("zz-{}", r.name),
            0 => format!("{prefix}a-name-longer-than-a-key-{}", r.name),
            1 => format!("{prefix}a-name-longer-than-a-key-holds"),
            _ => r.name.to_string(),
        }
        .into();
        if i % 2 == 0 {
            r.state = InstanceState::Stopping;
        }
    }
    Action::Poll(PollEvent::Finished {
        scope: scope.clone(),
        outcome: Ok(crate::providers::Resources::Instances(rows)),
        at: fixture::now(),
    })
}

/// Issue 15: the cursor started on whichever region answered first. It starts on the first row
/// of the sorted view and stays there as more scopes arrive, until the user moves it.
#[test]
fn the_cursor_starts_on_the_first_sorted_row_whatever_answers_first() {
    let mut s = State::new(
        fixture::accounts(),
        crate::config::Refresh::default(),
        crate::config::Guardrails::default(),
        crate::keymap::Keymap::defaults(),
        fixture::now(),
    );
    s.size = (160, 30);
    let (instances, _, _) = crate::providers::sandbox::sample(60, 42);
    let mut by: std::collections::BTreeMap<(String, ListScope), Vec<_>> = Default::default();
    for i in instances {
        by.entry((
            i.account().to_string(),
            crate::providers::sandbox::scope_of(&i.r#ref),
        ))
        .or_default()
        .push(i);
    }
    assert!(by.len() >= 3, "several scopes");
    // The scopes that sort last answer first.
    for ((account, scope), rows) in by.into_iter().rev() {
        update(
            &mut s,
            Action::Poll(PollEvent::Finished {
                scope: Scope::new(&account, scope, crate::domain::ResourceKind::Instance),
                outcome: Ok(crate::providers::Resources::Instances(rows)),
                at: fixture::now(),
            }),
        );
        let p = s.current();
        assert_eq!(p.selected, 0, "the cursor is on the first row");
        assert_eq!(p.offset, 0, "not scrolled");
        assert_eq!(p.selected_ref, p.ref_at(&s.inventory, 0));
    }
    // Once the user moves, the cursor follows its row.
    key(&mut s, 'j');
    let name = selected_name(&s);
    let (instances, _, _) = crate::providers::sandbox::sample(60, 42);
    let mut first = instances[0].clone();
    first.name = "aaa-first".into();
    first.r#ref.id = "i-0000000000000000a".into();
    s.inventory.upsert(crate::domain::Resource::Instance(first));
    super::super::settle_view(&mut s);
    assert_eq!(selected_name(&s), name);
}

/// The console's prices arrive after its first rows (parsed on a thread of their own): a pane
/// sorted by cost, and one filtered on cost, show the priced order and rows once they land.
#[test]
fn prices_that_arrive_after_the_rows_resort_and_refilter_them() {
    let mut s = fixture::state(60);
    s.set_catalog(Default::default());
    key(&mut s, 's');
    typed(&mut s, "cost");
    code(&mut s, KeyCode::Enter);
    let costs = |s: &State| -> Vec<f64> {
        (0..s.current().rows.len())
            .filter_map(|i| {
                let r = s.current().ref_at(&s.inventory, i)?;
                match s.inventory.get(&r)? {
                    crate::domain::Resource::Instance(i) => {
                        Some(crate::prices::Priced::hourly_usd(&i, &s.catalog).unwrap_or(-1.0))
                    }
                    _ => None,
                }
            })
            .collect()
    };
    assert!(costs(&s).iter().all(|c| *c < 0.0), "no prices yet");
    let prices = crate::prices::Catalog::shared();
    update(
        &mut s,
        Action::Prices {
            catalog: prices,
            warnings: vec!["prices/aws.txt line 3: not a price".into()],
        },
    );
    let after = costs(&s);
    assert_eq!(after.len(), 60);
    assert!(after.iter().filter(|c| **c > 0.0).count() > 30, "{after:?}");
    assert!(
        after.windows(2).all(|w| w[0] <= w[1]),
        "cheapest first: {after:?}"
    );
    assert!(s
        .message
        .as_ref()
        .is_some_and(|m| m.text.contains("not a price")));

    // A filter on cost, typed before the prices: matched again when they land.
    s.set_catalog(Default::default());
    key(&mut s, '/');
    typed(&mut s, "cost>0.1");
    code(&mut s, KeyCode::Enter);
    assert_eq!(s.current().rows.len(), 0, "nothing is priced yet");
    update(
        &mut s,
        Action::Prices {
            catalog: crate::prices::Catalog::shared(),
            warnings: Vec::new(),
        },
    );
    let shown = costs(&s);
    assert!(
        !shown.is_empty() && shown.iter().all(|c| *c > 0.1),
        "{shown:?}"
    );
}

/// Poll results drained in one batch bring the view and the Costs pane's figures up to date
/// once, after the last of the run (each was ~0.5 s at 100k rows: a Costs pane opened during a
/// start held the console for seconds), and end where delivering them one by one ends. An
/// account's offerings arriving among them (as they do in a start) do not break the run.
#[test]
fn a_run_of_poll_results_settles_the_view_and_the_costs_once() {
    let (instances, disks, lbs) = crate::providers::sandbox::sample(60, 42);
    let mut one_by_one = fixture::state(60);
    key(&mut one_by_one, '4');

    let mut s = fixture::state(0);
    key(&mut s, '4');
    let before = s.costs.computed_at;
    let mut run = fixture::polls(instances, disks, lbs);
    assert!(run.len() > 3);
    let account = s.accounts[0].info.name.to_string();
    let mut offerings = s.accounts[0].offerings.clone();
    offerings.machine_types.push(crate::providers::MachineType {
        name: "custom-3-7680".into(),
        vcpus: 3,
        memory_gib: 7.5,
    });
    run.insert(
        2,
        Action::Offerings {
            account: account.clone(),
            offerings: offerings.clone(),
        },
    );
    update(&mut one_by_one, Action::Offerings { account, offerings });
    let mut run = run.into_iter().peekable();
    while let Some(a) = run.next() {
        super::super::update_queued(&mut s, a, run.peek());
        if run.peek().is_some() {
            // Not made again (the offerings' new shapes only mark them out of date).
            assert!(
                s.costs.computed_at == before || s.costs.computed_at.is_none(),
                "figures made before the run's end: {:?}",
                s.costs.computed_at
            );
        }
    }
    assert_eq!(s.costs.computed_at, Some(s.inventory.rows_generation));
    assert!(s.costs.total_monthly_usd > 0.0);
    let (a, b) = (
        s.costs.total_monthly_usd,
        one_by_one.costs.total_monthly_usd,
    );
    assert!((a - b).abs() < 1e-6, "{a} against {b}");
    key(&mut s, '1');
    key(&mut one_by_one, '1');
    let refs = |s: &State| -> Vec<_> {
        (0..s.current().rows.len())
            .map(|i| s.current().ref_at(&s.inventory, i).unwrap())
            .collect()
    };
    assert_eq!(s.current().rows.len(), 60);
    assert_eq!(refs(&s), refs(&one_by_one));
}
