//! `:ctx` scoping and saved views (issue 15, habit 2).

use super::*;
use crate::config::{ScopeKind, ScopeSel, View};
use crate::state::PaletteItem;

/// The accounts of the rows pane `i` shows.
fn accounts_shown(s: &State, i: usize) -> std::collections::BTreeSet<String> {
    let p = &s.panes[i];
    (0..p.rows.len())
        .filter_map(|n| p.ref_at(&s.inventory, n))
        .map(|r| r.account.to_string())
        .collect()
}

/// `:ctx`, then the picker's best match for `choice`, then Enter.
fn scope_to(s: &mut State, choice: &str) {
    key(s, ':');
    typed(s, "ctx");
    code(s, KeyCode::Enter);
    let Mode::Palette(p) = &s.mode else {
        panic!("the picker opens: {:?}", s.message)
    };
    let PaletteStage::Commands { items } = &p.stage else {
        panic!()
    };
    assert!(
        items.iter().all(|i| matches!(i, PaletteItem::Scope { .. })),
        "{items:?}"
    );
    typed(s, choice);
    code(s, KeyCode::Enter);
}

#[test]
fn ctx_keeps_every_pane_to_one_account_until_cleared() {
    let mut s = fixture::state(60);
    let all = s.panes[0].rows.len();
    assert!(accounts_shown(&s, 0).len() > 1);
    scope_to(&mut s, "account: sandbox-gcp");
    assert_eq!(
        s.scope,
        Some(ScopeSel {
            kind: ScopeKind::Account,
            value: "sandbox-gcp".into()
        })
    );
    for pane in [0, 1, 2] {
        let shown = accounts_shown(&s, pane);
        assert!(
            shown.iter().all(|a| a == "sandbox-gcp"),
            "pane {pane}: {shown:?}"
        );
    }
    assert!(!s.panes[0].rows.is_empty() && s.panes[0].rows.len() < all);
    // The filter text is the user's: the scope is not written into it.
    assert_eq!(s.panes[0].filter_text, "");
    // The Costs totals count only the scope.
    key(&mut s, '4');
    let scoped = s.costs.shown_monthly_usd;
    assert!(scoped < s.costs.total_monthly_usd, "{scoped}");
    key(&mut s, '1');
    // "all" clears it.
    scope_to(&mut s, "all");
    assert_eq!(s.scope, None);
    assert_eq!(s.panes[0].rows.len(), all);
}

#[test]
fn the_scope_composes_with_the_filter() {
    let mut s = fixture::state(60);
    key(&mut s, '/');
    typed(&mut s, "state:running");
    code(&mut s, KeyCode::Enter);
    let running = s.current().rows.len();
    scope_to(&mut s, "provider: aws");
    let both = s.current().rows.len();
    assert!(both > 0 && both < running, "{both} of {running}");
    for n in 0..both {
        let r = s.current().ref_at(&s.inventory, n).unwrap();
        assert_eq!(r.provider.to_string(), "aws");
        let Some(Resource::Instance(i)) = s.inventory.get(&r) else {
            panic!()
        };
        assert_eq!(i.state, InstanceState::Running);
    }
    // Clearing the filter keeps the scope.
    key(&mut s, '/');
    code(&mut s, KeyCode::Esc);
    assert!(s.scope.is_some());
    let aws_all = s
        .inventory
        .instances
        .positions()
        .filter(|(_, i)| i.r#ref.provider.to_string() == "aws")
        .count();
    assert_eq!(s.current().rows.len(), aws_all);
    let shown: Vec<_> = (0..s.current().rows.len())
        .map(|n| s.current().ref_at(&s.inventory, n).unwrap())
        .collect();
    assert!(shown.iter().all(|r| r.provider.to_string() == "aws"));
}

#[test]
fn esc_on_the_picker_keeps_the_scope() {
    let mut s = fixture::state(30);
    scope_to(&mut s, "region");
    let before = s.scope.clone();
    assert!(matches!(
        before,
        Some(ScopeSel {
            kind: ScopeKind::Region,
            ..
        })
    ));
    key(&mut s, ':');
    typed(&mut s, "scope");
    code(&mut s, KeyCode::Enter);
    assert!(matches!(s.mode, Mode::Palette(_)));
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.scope, before);
}

#[test]
fn actions_take_only_rows_in_scope() {
    let mut s = fixture::state(40);
    // Mark every row, then keep to one account.
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL)),
    );
    let marked = s.marks().len();
    assert!(marked > 1);
    scope_to(&mut s, "account: sandbox-aws");
    key(&mut s, 'X');
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first: {:?}", s.message)
    };
    assert!(!c.requests.is_empty() && c.requests.len() < marked);
    for r in &c.requests {
        assert_eq!(r.subject_ref().unwrap().account.to_string(), "sandbox-aws");
    }
}

fn prod_view() -> View {
    View {
        name: "aws-running-disks".into(),
        pane: Some(crate::domain::ResourceKind::Disk),
        filter: "state:in-use".into(),
        sort: Some("size:desc".into()),
        scope: Some(ScopeSel {
            kind: ScopeKind::Provider,
            value: "aws".into(),
        }),
    }
}

#[test]
fn a_saved_view_sets_pane_filter_sort_and_scope() {
    let mut s = fixture::state(60);
    s.views = vec![prod_view()];
    key(&mut s, ':');
    typed(&mut s, "view aws-running");
    let Mode::Palette(p) = &s.mode else { panic!() };
    let PaletteStage::Commands { items } = &p.stage else {
        panic!()
    };
    assert_eq!(items[p.matches[0]].label(), "view: aws-running-disks");
    code(&mut s, KeyCode::Enter);
    assert_eq!(s.kind(), Some(crate::domain::ResourceKind::Disk));
    assert_eq!(s.current().filter_text, "state:in-use");
    assert_eq!(s.scope, prod_view().scope);
    let sort = &s.current().sort.0;
    assert_eq!(sort.len(), 1);
    assert_eq!(sort[0].field, crate::inventory::SortField::Size);
    assert!(sort[0].desc);
    let rows = s.current().rows.len();
    assert!(rows > 0);
    let mut last = u64::MAX;
    for n in 0..rows {
        let r = s.current().ref_at(&s.inventory, n).unwrap();
        assert_eq!(r.provider.to_string(), "aws");
        let Some(Resource::Disk(d)) = s.inventory.get(&r) else {
            panic!()
        };
        assert!(d.size_gib <= last, "sorted by size, largest first");
        last = d.size_gib;
    }
}

#[test]
fn view_save_shows_toml_that_reads_back_as_the_same_view() {
    let mut s = fixture::state(30);
    s.views = vec![prod_view()];
    key(&mut s, ':');
    typed(&mut s, "view aws-running");
    code(&mut s, KeyCode::Enter);
    key(&mut s, ':');
    typed(&mut s, "view-save");
    code(&mut s, KeyCode::Enter);
    let Mode::Palette(p) = &s.mode else {
        panic!("asks for a name")
    };
    assert!(matches!(p.stage, PaletteStage::Text { .. }));
    typed(&mut s, "copy");
    let fx = code(&mut s, KeyCode::Enter);
    let msg = s.message.clone().unwrap().text;
    assert!(msg.contains("copied"), "{msg}");
    let Mode::Text { lines, .. } = &s.mode else {
        panic!("the TOML is shown whole: {:?}", s.mode)
    };
    let shown = lines.join("\n");
    let [Effect::Copy(toml)] = fx.as_slice() else {
        panic!("copied to the clipboard: {fx:?}")
    };
    assert_eq!(&shown, toml.trim_end(), "what is shown is what is copied");
    assert!(shown.contains("[[views]]") && shown.contains("name = \"copy\""));
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    let cfg = crate::config::Config::parse(toml, std::path::Path::new("v.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{toml}"));
    let want = View {
        name: "copy".into(),
        ..prod_view()
    };
    assert_eq!(cfg.views, vec![want]);
}

#[test]
fn a_scope_chosen_while_the_filter_is_bad_still_applies() {
    let mut s = fixture::state(40);
    key(&mut s, '/');
    typed(&mut s, "state:sleepin");
    code(&mut s, KeyCode::Enter);
    assert!(s.current().filter_error.is_some());
    scope_to(&mut s, "account: sandbox-azure");
    assert!(s.current().filter_error.is_some(), "the error stays shown");
    let shown = accounts_shown(&s, 0);
    assert_eq!(
        shown.into_iter().collect::<Vec<_>>(),
        vec!["sandbox-azure".to_string()]
    );
}
