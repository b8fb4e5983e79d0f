//! Actions: asking first, dangerous defaults, protected names, batches, read-only, outcomes, effects.

use super::*;

#[test]
fn stop_asks_then_runs_and_the_row_shows_the_transition() {
    let mut s = fixture::state(40);
    let name = s
        .inventory
        .instances
        .iter()
        .find(|i| i.state == InstanceState::Running)
        .unwrap()
        .name
        .to_string();
    select(&mut s, &name);
    let fx = key(&mut s, 'X');
    assert!(fx.is_empty(), "nothing runs before the answer");
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first: {:?}", s.mode)
    };
    assert!(!c.dangerous);
    assert_eq!(c.plan.len(), 1);
    let fx = code(&mut s, KeyCode::Enter);
    let [Effect::Run {
        id,
        request:
            Request::Instance {
                target,
                action: InstanceAction::Stop,
            },
    }] = fx.as_slice()
    else {
        panic!("one stop: {fx:?}")
    };
    assert_eq!(target.name, name);
    assert_eq!(s.running_ops(), 1);
    let mut stopping = target.clone();
    stopping.state = InstanceState::Stopping;
    update(
        &mut s,
        Action::OpAccepted {
            id: *id,
            resource: Some(Resource::Instance(stopping.clone())),
        },
    );
    assert_eq!(
        s.inventory.instances.get(&stopping.r#ref).unwrap().state,
        InstanceState::Stopping
    );
    let mut stopped = stopping.clone();
    stopped.state = InstanceState::Stopped;
    update(
        &mut s,
        Action::OpFinished {
            id: *id,
            result: Ok(Some(Resource::Instance(stopped))),
        },
    );
    assert_eq!(s.running_ops(), 0);
    assert_eq!(s.ops[0].status, OpStatus::Succeeded("stopped".into()));
    assert_eq!(
        s.inventory.instances.get(&stopping.r#ref).unwrap().state,
        InstanceState::Stopped
    );
}

#[test]
fn dangerous_actions_default_to_no() {
    let mut s = fixture::state(40);
    let name = s
        .inventory
        .instances
        .iter()
        .find(|i| i.tags.get("env") != Some("prod"))
        .unwrap()
        .name
        .to_string();
    select(&mut s, &name);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first")
    };
    assert!(c.dangerous);
    assert!(c.to_type.is_empty());
    let fx = code(&mut s, KeyCode::Enter);
    assert!(fx.is_empty(), "Enter is No");
    assert_eq!(s.mode, Mode::Normal);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let fx = key(&mut s, 'y');
    assert!(matches!(
        fx.as_slice(),
        [Effect::Run {
            request: Request::Instance {
                action: InstanceAction::Terminate,
                ..
            },
            ..
        }]
    ));
}

#[test]
fn protected_resources_need_their_name_typed() {
    let mut s = fixture::state(40);
    let name = s
        .inventory
        .instances
        .iter()
        .find(|i| i.tags.get("env") == Some("prod") && i.state != InstanceState::Terminated)
        .unwrap()
        .name
        .to_string();
    select(&mut s, &name);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first")
    };
    assert_eq!(c.to_type, vec![name.clone()]);
    typed(&mut s, "wrong");
    code(&mut s, KeyCode::Enter);
    let Mode::Confirm(c) = &s.mode else {
        panic!("still asking")
    };
    assert!(c.error.as_deref().unwrap().contains("is not"));
    assert!(key(&mut s, 'y').is_empty(), "y is typed, not a yes");
    code(&mut s, KeyCode::Backspace);
    typed(&mut s, &name);
    code(&mut s, KeyCode::Enter);
    let fx = key(&mut s, 'y');
    assert_eq!(fx.len(), 1);
}

#[test]
fn marks_make_a_batch_with_one_plan() {
    let mut s = fixture::state(40);
    key(&mut s, '/');
    typed(&mut s, "state:running provider:aws");
    code(&mut s, KeyCode::Enter);
    let n = s.current().rows.len().min(3);
    for _ in 0..n {
        key(&mut s, ' ');
    }
    assert_eq!(s.marks().len(), n);
    key(&mut s, 'R');
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first")
    };
    assert_eq!(c.plan.len(), n);
    let fx = key(&mut s, 'y');
    assert_eq!(fx.len(), n);
    assert!(fx.iter().all(|e| matches!(
        e,
        Effect::Run {
            request: Request::Instance {
                action: InstanceAction::Reboot,
                ..
            },
            ..
        }
    )));
    assert!(s.marks().is_empty(), "marks clear once acted on");
}

#[test]
fn read_only_offers_no_changes() {
    let mut s = fixture::state(20);
    for a in &mut s.accounts {
        a.info.read_only = true;
    }
    let fx = key(&mut s, 'X');
    assert!(fx.is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert!(s.message.as_ref().unwrap().text.contains("read-only"));
    key(&mut s, ':');
    let Mode::Palette(p) = &s.mode else { panic!() };
    let PaletteStage::Commands { items } = &p.stage else {
        panic!()
    };
    let labels: Vec<String> = items.iter().map(|i| i.label()).collect();
    assert!(
        !labels
            .iter()
            .any(|l| l == "stop" || l == "delete" || l == "create-instance"),
        "{labels:?}"
    );
    assert!(labels.iter().any(|l| l == "refresh"));
}

#[test]
fn a_failed_action_shows_the_providers_message() {
    let mut s = fixture::state(20);
    key(&mut s, 'S');
    yes_then(
        &mut s,
        Err(ProviderError::coded(
            ErrorKind::InvalidState,
            "IncorrectInstanceState",
            "not now",
        )),
    );
    // The reducer has the error whole: its kind, not only its words.
    assert!(
        matches!(&s.ops[0].status, OpStatus::Failed(e) if e.kind == ErrorKind::InvalidState
            && e.code.as_deref() == Some("IncorrectInstanceState"))
    );
    let text = &s.message.as_ref().unwrap().text;
    assert!(text.contains("IncorrectInstanceState: not now"), "{text}");
    assert!(text.contains("not possible in its current state"), "{text}");
    assert_eq!(s.ops[0].op, Op::Start);
}

/// Run `k` on the first row `filter` shows and confirm it; the op's id.
fn run_on(s: &mut State, filter: &str, k: char) -> u64 {
    key(s, '/');
    typed(s, filter);
    code(s, KeyCode::Enter);
    key(s, k);
    let fx = key(s, 'y');
    let [Effect::Run { id, .. }] = fx.as_slice() else {
        panic!("{fx:?} {:?}", s.message)
    };
    *id
}

#[test]
fn a_later_success_does_not_hide_an_earlier_failure() {
    let mut s = fixture::state(40);
    let stop = run_on(&mut s, "state:running provider:aws", 'X');
    let reboot = run_on(&mut s, "state:running provider:gcp", 'R');
    let denied = ProviderError::coded(ErrorKind::Auth, "AuthFailure", "token expired")
        .with_hint("run `aws sso login --profile prod`");
    update(
        &mut s,
        Action::OpFinished {
            id: reboot,
            result: Err(denied.clone()),
        },
    );
    update(
        &mut s,
        Action::OpFinished {
            id: stop,
            result: Ok(None),
        },
    );
    assert!(s.message.as_ref().unwrap().text.starts_with("done: "));
    assert_eq!(s.unseen_failures, 1, "the failure is still owed a look");
    let mut term =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(s.size.0, s.size.1)).unwrap();
    term.draw(|f| crate::ui::render(f, &s)).unwrap();
    let screen = term.backend().to_string();
    let status = screen.lines().last().unwrap_or_default().to_string();
    assert!(status.contains("✗ reboot instance"), "{status}");
    assert!(status.contains("not authorised"), "{status}");
    // `errors` lists it in full, with the fix, and the reminder goes.
    key(&mut s, ':');
    typed(&mut s, "errors");
    code(&mut s, KeyCode::Enter);
    let Mode::Palette(p) = &s.mode else {
        panic!("a list: {:?}", s.mode)
    };
    let PaletteStage::Pick { items, .. } = &p.stage else {
        panic!("{:?}", p.stage)
    };
    assert_eq!(items.len(), 1);
    assert!(items[0].detail.contains("auth"), "{:?}", items[0]);
    assert!(
        items[0].detail.contains(&denied.explain()),
        "{:?}",
        items[0]
    );
    assert_eq!(s.unseen_failures, 0);
    code(&mut s, KeyCode::Enter);
    assert_eq!(s.mode, Mode::Normal, "choosing a line only closes the list");
}

#[test]
fn open_copy_refresh_quit_are_effects() {
    let mut s = fixture::state(20);
    let r = s.current().selected_ref(&s.inventory).unwrap();
    assert_eq!(
        code(&mut s, KeyCode::Enter),
        vec![Effect::Describe(r.clone())]
    );
    assert!(matches!(s.mode, Mode::Detail(_)));
    code(&mut s, KeyCode::Esc);
    assert_eq!(key(&mut s, 'y'), vec![Effect::Copy(r.id.to_string())]);
    assert_eq!(
        update(
            &mut s,
            Action::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL))
        ),
        vec![Effect::RefreshNow]
    );
    assert_eq!(key(&mut s, 'q'), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn the_policy_refuses_in_the_clis_words() {
    // The same sentences tests/integration/cli_policy.rs asserts from the CLI, word for word.
    let mut s = fixture::state(40);
    let spec = crate::providers::LbSpec {
        region: "eastus".into(),
        name: "web".into(),
        kind: crate::domain::LbKind::Application,
        scheme: crate::domain::LbScheme::InternetFacing,
        tags: crate::domain::Tags::new(),
    };
    super::super::plan::confirm(
        &mut s,
        vec![Request::CreateLoadBalancer {
            account: "sandbox-azure".into(),
            spec,
        }],
    );
    assert_eq!(s.mode, Mode::Normal, "nothing to confirm");
    assert_eq!(
        s.message.as_ref().unwrap().text,
        "refused: account 'sandbox-azure' cannot create-load-balancer: azure load balancers here are network"
    );
    let read_only = "refused: account 'sandbox-aws' is read-only: no changes are made to it";
    for a in &mut s.accounts {
        a.info.read_only = a.info.name == "sandbox-aws";
    }
    let name = s
        .inventory
        .instances
        .iter()
        .find(|i| i.account() == "sandbox-aws" && i.state == InstanceState::Running)
        .unwrap()
        .name
        .to_string();
    select(&mut s, &name);
    // A key…
    assert!(key(&mut s, 'X').is_empty());
    assert_eq!(s.message.as_ref().unwrap().text, read_only);
    // …and the palette, which offers edit-tags (other accounts may), refuse it alike.
    key(&mut s, ':');
    typed(&mut s, "edit-tags");
    code(&mut s, KeyCode::Enter);
    typed(&mut s, "owner=x");
    assert!(code(&mut s, KeyCode::Enter).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.message.as_ref().unwrap().text, read_only);
    // With every account read-only the palette offers no change, and the key says why.
    for a in &mut s.accounts {
        a.info.read_only = true;
    }
    assert!(key(&mut s, 'S').is_empty());
    assert_eq!(s.message.as_ref().unwrap().text, read_only);
}

fn protected_instance(s: &State) -> String {
    s.inventory
        .instances
        .iter()
        .find(|i| i.tags.get("env") == Some("prod") && i.state == InstanceState::Running)
        .unwrap()
        .name
        .to_string()
}

#[test]
fn t_that_lifts_a_protection_asks_for_the_name_and_defaults_to_no() {
    let mut s = fixture::state(40);
    let name = protected_instance(&s);
    select(&mut s, &name);
    key(&mut s, 'T');
    typed(&mut s, "env=dev");
    code(&mut s, KeyCode::Enter);
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks: {:?} {:?}", s.mode, s.message)
    };
    assert!(c.dangerous, "default No");
    assert_eq!(c.to_type, vec![name.clone()]);
    assert!(
        code(&mut s, KeyCode::Enter).is_empty(),
        "Enter does not run it"
    );
    assert!(
        matches!(s.mode, Mode::Confirm(_)),
        "still asking for the name"
    );
    assert!(code(&mut s, KeyCode::Esc).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    // Other tags on the same resource ask as before (default Yes, no name).
    key(&mut s, 'T');
    typed(&mut s, "owner=bob");
    code(&mut s, KeyCode::Enter);
    let Mode::Confirm(c) = &s.mode else { panic!() };
    assert!(!c.dangerous && c.to_type.is_empty());
}

#[test]
fn a_protected_tag_in_another_case_still_protects() {
    let mut s = fixture::state(40);
    let mut i = s
        .inventory
        .instances
        .iter()
        .find(|i| i.tags.get("env") != Some("prod") && i.state == InstanceState::Running)
        .unwrap()
        .clone();
    i.tags = [("Env", "PROD")].into_iter().collect();
    let name = i.name.to_string();
    s.inventory.upsert(Resource::Instance(i));
    super::super::settle_view(&mut s);
    select(&mut s, &name);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first")
    };
    assert_eq!(c.to_type, vec![name]);
}

/// Issue 15: marks stayed on rows a new filter hid, and `X` acted on rows not on screen.
#[test]
fn an_action_takes_only_the_marked_rows_the_filter_shows_and_says_so() {
    let mut s = fixture::state(40);
    key(&mut s, '/');
    typed(&mut s, "state:running");
    code(&mut s, KeyCode::Enter);
    // Mark one AWS and one GCP machine.
    let mut marked = Vec::new();
    for provider in ["aws", "gcp"] {
        let i = (0..s.current().rows.len())
            .find(|&i| {
                s.current()
                    .ref_at(&s.inventory, i)
                    .is_some_and(|r| r.provider.to_string() == provider)
            })
            .unwrap();
        s.current_mut().selected = i;
        s.current_mut().moved = true;
        super::super::settle_view(&mut s);
        marked.push(s.current().selected_ref(&s.inventory).unwrap());
        key(&mut s, ' ');
    }
    assert_eq!(s.marks().len(), 2);
    // A filter that shows only the AWS one.
    key(&mut s, '/');
    typed(&mut s, " provider:aws");
    code(&mut s, KeyCode::Enter);
    key(&mut s, 'X');
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first: {:?}", s.message)
    };
    assert_eq!(c.requests.len(), 1, "only the shown mark");
    assert_eq!(c.requests[0].subject_ref().as_ref(), Some(&marked[0]));
    assert!(
        c.summary
            .iter()
            .any(|l| l.contains("1 marked row hidden by the filter")),
        "{:?}",
        c.summary
    );
}

/// Issue 15: ctrl-a then ctrl-d made a plan of every row, silently dropped the machines
/// already terminated, and asked for one name. The plan is summarised by account, says what was
/// skipped and why, and a large or cross-account destructive batch needs the count typed.
#[test]
fn a_large_destructive_batch_is_summarised_and_needs_the_count_typed() {
    let mut s = fixture::state(300);
    let terminated = s
        .inventory
        .instances
        .iter()
        .filter(|i| i.state == InstanceState::Terminated)
        .count();
    assert!(terminated > 0, "the sample has terminated machines");
    let total = s.current().rows.len();
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL)),
    );
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first: {:?}", s.message)
    };
    let n = total - terminated;
    assert_eq!(c.requests.len(), n);
    for account in ["sandbox-aws", "sandbox-gcp", "sandbox-azure"] {
        assert!(
            c.summary.iter().any(|l| l.contains(account)
                && l.contains("terminate")
                && l.contains("(saves $")
                && l.contains(" a month)")),
            "{account}: {:?}",
            c.summary
        );
    }
    assert!(
        c.summary
            .iter()
            .any(|l| l.contains(&format!("{terminated} skipped"))
                && l.contains("already terminated")),
        "{:?}",
        c.summary
    );
    assert_eq!(c.to_type, vec![n.to_string()], "the count, not a name");
    assert!(c.count);
    // A name is not the count; y is typed, not a yes.
    typed(&mut s, "y");
    assert!(code(&mut s, KeyCode::Enter).is_empty());
    let Mode::Confirm(c) = &s.mode else {
        panic!("still asking")
    };
    assert!(c.error.is_some());
    typed(&mut s, &n.to_string());
    code(&mut s, KeyCode::Enter);
    let fx = key(&mut s, 'y');
    let runs = fx
        .iter()
        .filter(|e| matches!(e, Effect::Run { .. }))
        .count();
    assert_eq!(s.queue.len() + runs, n, "all of them run or wait");
}
