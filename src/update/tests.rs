//! Reducer tests: plain actions in, state and effects out. No terminal, no I/O.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::update;
use crate::action::Action;
use crate::domain::{InstanceState, Op, Resource};
use crate::effect::Effect;
use crate::inventory::Scope;
use crate::ops::Request;
use crate::providers::{ErrorKind, InstanceAction, ProviderError};
use crate::state::fixture;
use crate::state::{Mode, OpStatus, PaletteStage, State};
use crate::worker::poller::PollEvent;

fn key(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn code(s: &mut State, c: KeyCode) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, c);
    }
}

fn selected_name(s: &State) -> String {
    let r = s.current().selected_ref(&s.inventory).unwrap();
    s.inventory.get(&r).unwrap().name().to_string()
}

fn select(s: &mut State, name: &str) {
    key(s, '/');
    typed(s, &format!("name:{name}"));
    code(s, KeyCode::Enter);
    assert_eq!(selected_name(s), name);
}

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
fn the_palette_matches_fuzzily_and_runs_the_choice() {
    let mut s = fixture::state(20);
    key(&mut s, ':');
    typed(&mut s, "rfrsh");
    let Mode::Palette(p) = &s.mode else { panic!() };
    let PaletteStage::Commands { items } = &p.stage else {
        panic!()
    };
    assert_eq!(items[p.matches[0]].label(), "refresh");
    let fx = code(&mut s, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::RefreshNow]);
    key(&mut s, ':');
    typed(&mut s, "zzzzqqq");
    code(&mut s, KeyCode::Enter);
    let Mode::Palette(p) = &s.mode else {
        panic!("stays open")
    };
    assert!(p.error.as_deref().unwrap().contains("no command matches"));
}

#[test]
fn attach_offers_only_instances_in_the_disks_zone() {
    let mut s = fixture::state(60);
    key(&mut s, '2');
    key(&mut s, '/');
    typed(&mut s, "state:available");
    code(&mut s, KeyCode::Enter);
    let disk_ref = s.current().selected_ref(&s.inventory).unwrap();
    let Some(Resource::Disk(disk)) = s.inventory.get(&disk_ref) else {
        panic!()
    };
    key(&mut s, ':');
    typed(&mut s, "attach");
    code(&mut s, KeyCode::Enter);
    match &s.mode {
        Mode::Palette(p) => {
            let PaletteStage::Pick { items, .. } = &p.stage else {
                panic!("a pick: {:?}", p.stage)
            };
            for it in items {
                let Some(Resource::Instance(i)) = s.inventory.get(&it.target) else {
                    panic!()
                };
                assert_eq!(i.zone, disk.zone);
                assert_eq!(i.r#ref.account, disk.r#ref.account);
            }
            let first = items[0].target.clone();
            code(&mut s, KeyCode::Enter);
            let Mode::Confirm(c) = &s.mode else {
                panic!("asks")
            };
            assert!(
                matches!(&c.requests[0], Request::AttachDisk { instance, .. } if instance.r#ref == first)
            );
        }
        Mode::Normal => assert!(
            s.message.as_ref().unwrap().text.contains("no instance in"),
            "{:?}",
            s.message
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_create_form_checks_before_sending() {
    let mut s = fixture::state(20);
    key(&mut s, ':');
    typed(&mut s, "create-instance");
    code(&mut s, KeyCode::Enter);
    assert!(matches!(s.mode, Mode::Form(_)));
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let Mode::Form(f) = &s.mode else { panic!() };
    assert!(
        f.error.as_deref().unwrap().contains("is required"),
        "{:?}",
        f.error
    );
    // account, region, zone, type by completion; then a name and a bad size.
    let Mode::Form(f) = &mut s.mode else { panic!() };
    f.fields[0].value = "sandbox-gcp".into();
    f.fields[1].value = "us-central1".into();
    f.fields[2].value = "us-east-1a".into();
    f.fields[3].value = "e2-medium".into();
    f.fields[4].value = "build-9".into();
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let Mode::Form(f) = &s.mode else { panic!() };
    assert!(
        f.error
            .as_deref()
            .unwrap()
            .contains("zone 'us-east-1a' is not one of"),
        "{:?}",
        f.error
    );
    let Mode::Form(f) = &mut s.mode else { panic!() };
    f.fields[2].value = "us-central1-b".into();
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let Mode::Confirm(c) = &s.mode else {
        panic!("valid: asks {:?}", s.mode)
    };
    assert!(
        matches!(&c.requests[0], Request::CreateInstance { spec, .. } if spec.zone.as_deref() == Some("us-central1-b"))
    );
}

#[test]
fn a_failing_region_is_state_and_the_others_stay() {
    let mut s = fixture::state(40);
    let before = s.inventory.instances.len();
    update(
        &mut s,
        Action::Poll(PollEvent::Finished {
            scope: Scope::new(
                "sandbox-gcp",
                "us-central1",
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
    assert!(msg.unwrap().contains("us-central1"));
    assert_eq!(
        s.account_health("sandbox-aws").0,
        crate::inventory::Health::Ok
    );
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
            s.inventory.get(&r).unwrap().resource_ref().id.to_string()
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

#[test]
fn a_poll_of_one_region_merges_into_the_sorted_rows_like_a_full_sort() {
    let mut s = fixture::state(400);
    for spec in ["name", "state,name:desc", "type,zone"] {
        let inv = &s.inventory;
        let p = &mut s.panes[0];
        p.sort = crate::inventory::SortKeys::parse(spec).unwrap();
        p.refresh(inv, true);
        // One region changes: rows go, rows change.
        let scope = Scope::new(
            "sandbox-gcp",
            "us-central1",
            crate::domain::ResourceKind::Instance,
        );
        let mut rows: Vec<_> = s
            .inventory
            .instances
            .iter()
            .filter(|i| i.r#ref.account == "sandbox-gcp" && i.r#ref.region == "us-central1")
            .cloned()
            .collect();
        rows.truncate(rows.len() / 2);
        for r in &mut rows {
            r.name = format!("zz-{}", r.name).into();
            r.state = InstanceState::Stopping;
        }
        update(
            &mut s,
            Action::Poll(PollEvent::Finished {
                scope,
                outcome: Ok(crate::providers::Resources::Instances(rows)),
                at: fixture::now(),
            }),
        );
        let merged = s.panes[0].sorted.clone();
        let inv = &s.inventory;
        s.panes[0].refresh(inv, true);
        assert_eq!(merged, s.panes[0].sorted, "{spec}");
    }
}

#[test]
fn the_costs_pane_groups_and_takes_a_findings_saving_after_asking() {
    let mut s = fixture::state(60);
    key(&mut s, '4');
    assert!(
        s.costs.computed_at.is_some(),
        "figures computed on entering the pane"
    );
    assert!(s.costs.total_monthly_usd > 0.0);
    let first = s.costs.grouping();
    key(&mut s, 'o');
    assert_ne!(s.costs.grouping(), first, "o cycles the grouping");
    let i = s
        .costs
        .findings
        .iter()
        .position(|f| f.action == Some(Op::DeleteDisk))
        .expect("an unattached disk");
    s.costs.selected = 0;
    for _ in 0..i {
        key(&mut s, 'j');
    }
    assert_eq!(s.costs.selected, i);
    let target = s.costs.findings[i].r#ref.clone();
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first: {:?}", s.mode)
    };
    assert!(c.dangerous);
    assert!(matches!(&c.requests[0], Request::DeleteDisk { disk } if disk.r#ref == target));
    assert!(code(&mut s, KeyCode::Enter).is_empty(), "Enter is No");
    // A finding without an action says so.
    if let Some(j) = s.costs.findings.iter().position(|f| f.action.is_none()) {
        s.costs.selected = j;
        update(
            &mut s,
            Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
        );
        assert_eq!(s.mode, Mode::Normal);
        assert!(s.message.as_ref().unwrap().text.contains("no action"));
    }
}

#[test]
fn compare_lists_the_shape_on_every_cloud() {
    let mut s = fixture::state(40);
    let name = s
        .inventory
        .instances
        .iter()
        .find(|i| {
            i.r#ref.provider == crate::domain::ProviderKind::Aws && i.r#ref.region == "us-east-1"
        })
        .unwrap()
        .name
        .to_string();
    select(&mut s, &name);
    key(&mut s, ':');
    typed(&mut s, "compare");
    code(&mut s, KeyCode::Enter);
    let Mode::Palette(p) = &s.mode else {
        panic!("a list: {:?} {:?}", s.mode, s.message)
    };
    let PaletteStage::Pick { items, prompt, .. } = &p.stage else {
        panic!()
    };
    assert!(prompt.contains("us-east"), "{prompt}");
    for p in ["aws ", "gcp ", "azure "] {
        assert!(
            items.iter().any(|i| i.label.starts_with(p)),
            "{p} offers: {items:?}"
        );
    }
    assert!(items.iter().all(|i| i.detail.contains("as of")));
    assert!(
        code(&mut s, KeyCode::Enter).is_empty(),
        "choosing one changes nothing"
    );
}
