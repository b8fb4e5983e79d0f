//! The load balancer table: target health in words, and a row brought up to date when an
//! action on it ends (described, then again while its targets settle).

use super::*;
use crate::domain::{LoadBalancer, ResourceKind, TargetHealth};

fn lb_with_targets(s: &State) -> LoadBalancer {
    s.inventory
        .load_balancers
        .iter()
        .find(|l| !l.targets.is_empty())
        .expect("a load balancer with targets")
        .clone()
}

fn targets_cell(s: &mut State, lb: &LoadBalancer) -> String {
    s.inventory.upsert(Resource::LoadBalancer(lb.clone()));
    super::super::settle_view(s);
    let pane = crate::panes::PANES[crate::panes::index_of(Some(ResourceKind::LoadBalancer))];
    let col = pane
        .columns()
        .iter()
        .position(|c| c.title == "TARGETS")
        .unwrap();
    let p = &s.panes[crate::panes::index_of(Some(ResourceKind::LoadBalancer))];
    let pos = (0..p.sorted.len())
        .map(|i| p.sorted[i])
        .find(|&pos| s.inventory.load_balancers.at(pos).unwrap().r#ref == lb.r#ref)
        .unwrap();
    pane.cells(&s.cell_ctx(), pos).unwrap().text[col].clone()
}

/// Issue 15: the table said `0/1 ok` for an unhealthy target.
#[test]
fn the_targets_column_names_unhealthy_targets() {
    let mut s = fixture::state(60);
    key(&mut s, '3');
    let mut lb = lb_with_targets(&s);
    lb.targets.truncate(1);
    lb.targets[0].health = TargetHealth::Unhealthy;
    let cell = targets_cell(&mut s, &lb);
    assert!(!cell.contains("ok"), "{cell}");
    assert!(cell.contains("1 unhealthy"), "{cell}");
    lb.targets[0].health = TargetHealth::Healthy;
    let cell = targets_cell(&mut s, &lb);
    assert!(cell.contains("1/1 healthy"), "{cell}");
    lb.targets[0].health = TargetHealth::Initial;
    let cell = targets_cell(&mut s, &lb);
    assert!(cell.contains("1 initial"), "{cell}");
}

/// Issue 15: after `register` the row stayed stale ~30 s while the detail was up to date.
#[test]
fn an_action_on_a_load_balancer_describes_it_until_its_targets_settle() {
    let mut s = fixture::state(60);
    key(&mut s, '3');
    let lb = lb_with_targets(&s);
    select(&mut s, &lb.name);
    let req = Request::Register {
        lb: lb.clone(),
        targets: vec![],
    };
    super::super::plan::confirm(&mut s, vec![req]);
    let fx = key(&mut s, 'y');
    let [Effect::Run { id, .. }] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    // The provider answers with the targets still in their first checks.
    let mut settling = lb.clone();
    for t in &mut settling.targets {
        t.health = TargetHealth::Initial;
    }
    let fx = update(
        &mut s,
        Action::OpFinished {
            id: *id,
            result: Ok(Some(Resource::LoadBalancer(settling.clone()))),
        },
    );
    assert!(fx.contains(&Effect::Describe(lb.r#ref.clone())), "{fx:?}");
    let described = |l: &LoadBalancer| Action::Described {
        target: l.r#ref.clone(),
        result: Ok(crate::domain::Described {
            resource: Resource::LoadBalancer(l.clone()),
            raw: serde_json::json!({}),
        }),
    };
    update(&mut s, described(&settling));
    // Still settling: asked again a few seconds later, not before.
    let soon = fixture::now() + chrono::Duration::milliseconds(500);
    assert!(!update(&mut s, Action::Tick(soon)).contains(&Effect::Describe(lb.r#ref.clone())));
    let later = fixture::now() + chrono::Duration::seconds(10);
    assert!(update(&mut s, Action::Tick(later)).contains(&Effect::Describe(lb.r#ref.clone())));
    // The answer reaches the table at once, without the detail view open.
    let mut healthy = lb.clone();
    for t in &mut healthy.targets {
        t.health = TargetHealth::Healthy;
    }
    update(&mut s, described(&healthy));
    assert_eq!(
        s.inventory.get(&lb.r#ref),
        Some(Resource::LoadBalancer(healthy.clone()))
    );
    // Settled: no more describing.
    let much_later = fixture::now() + chrono::Duration::seconds(60);
    assert!(!update(&mut s, Action::Tick(much_later)).contains(&Effect::Describe(lb.r#ref.clone())));
}
