//! The detail view and the help overlay: scrolling stops at the end, search wraps, goes back
//! with `N` and says when nothing matches; help opened from the detail view returns to it.

use super::*;
use crate::domain::Described;
use crate::state::detail_lines;

fn open_detail(s: &mut State) {
    code(s, KeyCode::Enter);
    let Mode::Detail(d) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    let target = d.target.clone();
    let resource = s.inventory.get(&target).unwrap();
    let raw = serde_json::json!({
        "InstanceId": target.id.as_str(),
        "Tags": (0..40).map(|i| serde_json::json!({"Key": format!("k{i}"), "Value": "v"})).collect::<Vec<_>>(),
    });
    update(
        s,
        Action::Described {
            target,
            result: Ok(Described { resource, raw }),
        },
    );
}

fn detail(s: &State) -> &crate::state::Detail {
    let Mode::Detail(d) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    d
}

fn lines(s: &State) -> usize {
    detail_lines(detail(s), &s.inventory, &s.catalog).len()
}

#[test]
fn the_detail_view_stops_at_its_last_line() {
    let mut s = fixture::state(20);
    open_detail(&mut s);
    let total = lines(&s);
    let shown = s.detail_rows();
    assert!(total > shown, "{total} lines, {shown} shown");
    for _ in 0..total + 50 {
        key(&mut s, 'j');
    }
    assert_eq!(
        detail(&s).scroll,
        total - shown,
        "the last page, not past it"
    );
    for _ in 0..5 {
        code(&mut s, KeyCode::PageDown);
    }
    assert_eq!(detail(&s).scroll, total - shown);
    key(&mut s, 'G');
    assert_eq!(detail(&s).scroll, total - shown);
    key(&mut s, 'k');
    assert_eq!(detail(&s).scroll, total - shown - 1, "one up from the end");
}

#[test]
fn detail_search_wraps_goes_back_and_says_not_found() {
    let mut s = fixture::state(20);
    open_detail(&mut s);
    let all = detail_lines(detail(&s), &s.inventory, &s.catalog);
    let hits: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains("\"Key\": \"k1"))
        .map(|(i, _)| i)
        .collect();
    assert!(hits.len() > 3, "{hits:?}");
    key(&mut s, '/');
    typed(&mut s, "\"key\": \"k1");
    code(&mut s, KeyCode::Enter);
    assert_eq!(detail(&s).hit, Some(hits[0]));
    key(&mut s, 'n');
    assert_eq!(detail(&s).hit, Some(hits[1]));
    key(&mut s, 'N');
    assert_eq!(detail(&s).hit, Some(hits[0]));
    key(&mut s, 'N');
    assert_eq!(
        detail(&s).hit,
        Some(*hits.last().unwrap()),
        "N wraps to the end"
    );
    assert!(detail(&s).wrapped);
    key(&mut s, 'n');
    assert_eq!(detail(&s).hit, Some(hits[0]), "n wraps to the start");
    // The scroll shows the hit without passing the end.
    assert!(detail(&s).scroll <= all.len() - s.detail_rows());
    let before = detail(&s).scroll;
    key(&mut s, '/');
    typed(&mut s, "no-such-text-anywhere");
    code(&mut s, KeyCode::Enter);
    assert!(detail(&s).not_found);
    assert_eq!(detail(&s).hit, None);
    assert_eq!(
        detail(&s).scroll,
        before,
        "not found: the view stays where it was"
    );
}

#[test]
fn help_from_the_detail_view_returns_to_it_and_stops_at_its_end() {
    let mut s = fixture::state(20);
    open_detail(&mut s);
    key(&mut s, 'j');
    let before = detail(&s).clone();
    key(&mut s, '?');
    assert!(matches!(s.mode, Mode::Help { .. }));
    for _ in 0..500 {
        key(&mut s, 'j');
    }
    let Mode::Help { scroll, .. } = &s.mode else {
        panic!()
    };
    assert!(*scroll > 0);
    assert!(
        *scroll <= s.help_len().saturating_sub(s.overlay_rows()),
        "{scroll}"
    );
    code(&mut s, KeyCode::Esc);
    assert_eq!(detail(&s), &before, "back in the same detail view");
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    // From the table, help returns to the table.
    key(&mut s, '?');
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
}

/// Habit 2 of issue 15: Enter on a disk's instance, an LB's target or a finding's resource
/// goes to it; Esc comes back, k9s-style.
#[test]
fn links_in_the_detail_view_drill_down_and_esc_comes_back() {
    let mut s = fixture::state(40);
    key(&mut s, '2');
    let disk = s
        .inventory
        .disks
        .iter()
        .find(|d| d.attached_to.is_some())
        .unwrap()
        .clone();
    let instance = disk.attached_to.clone().unwrap();
    select(&mut s, &disk.name);
    code(&mut s, KeyCode::Enter);
    assert_eq!(detail(&s).target, disk.r#ref);
    code(&mut s, KeyCode::Tab);
    let links = crate::state::detail_links(detail(&s), &s.inventory, &s.catalog);
    assert_eq!(
        links[detail(&s).link.unwrap()].1,
        instance,
        "the instance it is attached to"
    );
    let fx = code(&mut s, KeyCode::Enter);
    assert_eq!(detail(&s).target, instance);
    assert_eq!(fx, vec![Effect::Describe(instance.clone())]);
    // The instance lists the disk: a link back down.
    code(&mut s, KeyCode::Tab);
    let links = crate::state::detail_links(detail(&s), &s.inventory, &s.catalog);
    assert!(links.iter().any(|(_, r)| *r == disk.r#ref), "{links:?}");
    code(&mut s, KeyCode::Esc);
    assert_eq!(detail(&s).target, disk.r#ref, "Esc: back to the disk");
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.pane, 1);

    // A load balancer's target.
    key(&mut s, '3');
    let lb = s
        .inventory
        .load_balancers
        .iter()
        .find(|l| !l.targets.is_empty())
        .unwrap()
        .clone();
    select(&mut s, &lb.name);
    code(&mut s, KeyCode::Enter);
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Enter);
    assert_eq!(detail(&s).target, lb.targets[0].instance);
    code(&mut s, KeyCode::Esc);
    assert_eq!(detail(&s).target, lb.r#ref);
    code(&mut s, KeyCode::Esc);

    // A finding's resource, from the Costs pane; Esc is the Costs pane again.
    key(&mut s, '4');
    let f = s.costs.selected_finding().unwrap().r#ref.clone();
    let fx = code(&mut s, KeyCode::Enter);
    assert_eq!(detail(&s).target, f);
    assert_eq!(fx, vec![Effect::Describe(f)]);
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.pane, 3);
}
