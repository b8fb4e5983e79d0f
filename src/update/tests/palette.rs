//! The palette, its pickers and forms, and the Costs pane.

use super::*;

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
                let Some(Resource::Instance(i)) = s.inventory.get(it.target.as_ref().unwrap())
                else {
                    panic!()
                };
                assert_eq!(i.zone, disk.zone);
                assert_eq!(i.r#ref.account, disk.r#ref.account);
            }
            let first = items[0].target.clone().unwrap();
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

fn palette_labels(s: &mut State, typed_text: &str) -> Vec<String> {
    key(s, ':');
    typed(s, typed_text);
    let Mode::Palette(p) = &s.mode else { panic!() };
    let PaletteStage::Commands { items } = &p.stage else {
        panic!()
    };
    let out = p.matches.iter().map(|&i| items[i].label()).collect();
    code(s, KeyCode::Esc);
    out
}

/// Issue 15: the palette offered apply-finding on Instances and compare on Disks and LBs
/// (where it did nothing); `:terminate` matched nothing.
#[test]
fn the_palette_offers_only_what_works_here_and_knows_other_names() {
    let mut s = fixture::state(40);
    let all = palette_labels(&mut s, "");
    assert!(!all.contains(&"apply-finding".to_string()), "{all:?}");
    assert!(all.contains(&"compare".to_string()));
    for pane in ['2', '3'] {
        key(&mut s, pane);
        let all = palette_labels(&mut s, "");
        assert!(!all.contains(&"compare".to_string()), "{pane}: {all:?}");
        assert!(!all.contains(&"apply-finding".to_string()), "{pane}");
    }
    key(&mut s, '4');
    let all = palette_labels(&mut s, "");
    assert!(all.contains(&"apply-finding".to_string()), "{all:?}");
    // Other clouds' and tools' words find the command.
    key(&mut s, '1');
    for (word, cmd) in [
        ("terminate", "delete"),
        ("restart", "reboot"),
        ("shutdown", "stop"),
        ("tag", "edit-tags"),
    ] {
        let found = palette_labels(&mut s, word);
        assert_eq!(
            found.first().map(String::as_str),
            Some(cmd),
            "{word}: {found:?}"
        );
    }
    key(&mut s, '2');
    let found = palette_labels(&mut s, "remove");
    assert_eq!(
        found.first().map(String::as_str),
        Some("delete"),
        "{found:?}"
    );
}

/// Issue 15: `/` did nothing on the Costs pane and the next keys ran as commands (`4` `/` `t`
/// toggled the theme). The Costs pane has a filter: the same language, over the resources it
/// counts.
#[test]
fn the_costs_pane_filters_and_its_keys_are_typed_not_run() {
    let mut s = fixture::state(60);
    key(&mut s, '4');
    let theme = s.theme;
    let all_groups = s.costs.groups.len();
    assert!(all_groups > 1, "{:?}", s.costs.groups);
    key(&mut s, '/');
    assert_eq!(s.mode, Mode::Filter);
    typed(&mut s, "tq");
    assert_eq!(s.theme, theme, "t is typed, not a theme switch");
    assert!(!s.quit, "q is typed, not quit");
    assert_eq!(s.current().filter_text, "tq");
    code(&mut s, KeyCode::Esc);
    key(&mut s, '/');
    typed(&mut s, "provider:aws");
    code(&mut s, KeyCode::Enter);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.costs.grouping().label(), "provider");
    let labels: Vec<&str> = s.costs.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, vec!["aws"]);
    assert!(s.costs.shown_monthly_usd < s.costs.total_monthly_usd);
    assert!(s
        .costs
        .findings
        .iter()
        .all(|f| f.r#ref.provider == crate::domain::ProviderKind::Aws));
    assert!(s
        .costs
        .top
        .iter()
        .all(|t| t.r#ref.provider == crate::domain::ProviderKind::Aws));
    // Esc clears it: everything counts again.
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.costs.groups.len(), all_groups);
}
