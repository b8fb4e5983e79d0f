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
    let fx = key(&mut s, 'y');
    let [Effect::Run { id, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    update(
        &mut s,
        Action::OpFinished {
            id: *id,
            result: Err("IncorrectInstanceState: not now".into()),
        },
    );
    assert!(
        matches!(&s.ops[0].status, OpStatus::Failed(m) if m.contains("IncorrectInstanceState"))
    );
    assert!(s
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("IncorrectInstanceState"));
    assert_eq!(s.ops[0].op, Op::Start);
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
