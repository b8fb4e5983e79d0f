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
    key(&mut s, '/');
    typed(&mut s, "no-such-text-anywhere");
    code(&mut s, KeyCode::Enter);
    assert!(detail(&s).not_found);
    assert_eq!(detail(&s).hit, None);
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
