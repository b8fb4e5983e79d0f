//! The detail view: normalised fields, related resources and the raw payload, scrollable and
//! searchable (`/`, then n for the next match).

use crossterm::event::{KeyCode, KeyEvent};

use super::text::edit;
use crate::command::Command;
use crate::domain::{Described, ResourceRef};
use crate::effect::Effect;
use crate::inventory::Inventory;
use crate::keymap::KeyMode;
use crate::state::{detail_lines, detail_links, Detail, Mode, State};

pub fn loaded(
    s: &mut State,
    target: ResourceRef,
    result: Result<Described, crate::providers::ProviderError>,
) {
    let Mode::Detail(d) = &mut s.mode else { return };
    if d.target != target {
        return; // an answer for a view already left
    }
    match result {
        Ok(described) => {
            d.loaded = Some(described);
            d.error = None;
        }
        Err(e) => d.error = Some(e),
    }
}

pub fn key(s: &mut State, k: KeyEvent, fx: &mut Vec<Effect>) {
    let rows = s.detail_rows();
    let Mode::Detail(d) = &mut s.mode else { return };
    let total = detail_lines(d, &s.inventory, &s.catalog).len();
    let max = total.saturating_sub(rows);
    if d.searching {
        match k.code {
            KeyCode::Enter => {
                d.searching = false;
                jump(d, &s.inventory, &s.catalog, Dir::First, rows);
            }
            KeyCode::Esc => {
                d.searching = false;
                d.search.clear();
                d.hit = None;
                d.not_found = false;
            }
            _ => {
                edit(&mut d.search, &k);
                jump(d, &s.inventory, &s.catalog, Dir::First, rows);
            }
        }
        return;
    }
    if !d.search.is_empty() {
        let dir = match k.code {
            KeyCode::Char('n') => Some(Dir::Next),
            KeyCode::Char('N') => Some(Dir::Prev),
            _ => None,
        };
        if let Some(dir) = dir {
            jump(d, &s.inventory, &s.catalog, dir, rows);
            return;
        }
    }
    // Links: Tab and shift-Tab choose a related resource, Enter opens it (Esc comes back).
    match k.code {
        KeyCode::Tab | KeyCode::BackTab => {
            let links = detail_links(d, &s.inventory, &s.catalog);
            if links.is_empty() {
                s.info("no related resource to go to");
                return;
            }
            let n = links.len();
            let next = match (d.link, k.code) {
                (None, KeyCode::Tab) => 0,
                (None, _) => n - 1,
                (Some(i), KeyCode::Tab) => (i + 1) % n,
                (Some(i), _) => (i + n - 1) % n,
            };
            d.link = Some(next);
            let line = links[next].0;
            if line < d.scroll || line >= d.scroll + rows {
                d.scroll = line.saturating_sub(rows / 2).min(max);
            }
            return;
        }
        KeyCode::Enter => {
            let links = detail_links(d, &s.inventory, &s.catalog);
            if let Some((_, target)) = d.link.and_then(|i| links.get(i)).cloned() {
                let Mode::Detail(from) = std::mem::replace(&mut s.mode, Mode::Normal) else {
                    return;
                };
                s.detail_back.push(from);
                cursor_to(s, &target);
                s.mode = Mode::Detail(Detail::new(target.clone()));
                if target.kind.describable() {
                    fx.push(Effect::Describe(target));
                }
            } else {
                s.info("Tab chooses a related resource, Enter opens it");
            }
            return;
        }
        _ => {}
    }
    match s.keymap.lookup(KeyMode::Detail, &k) {
        Some(Command::Down) => d.scroll += 1,
        Some(Command::Up) => d.scroll = d.scroll.min(max).saturating_sub(1),
        Some(Command::PageDown) => d.scroll += rows,
        Some(Command::PageUp) => d.scroll = d.scroll.min(max).saturating_sub(rows),
        Some(Command::Top) => d.scroll = 0,
        Some(Command::Bottom) => d.scroll = max,
        Some(Command::Filter) => {
            d.search_origin = d.scroll;
            d.searching = true;
            d.search.clear();
            d.hit = None;
            d.not_found = false;
        }
        Some(Command::Back) => {
            // Back along the links followed, then to the table.
            s.mode = match s.detail_back.pop() {
                Some(prev) => Mode::Detail(prev),
                None => Mode::Normal,
            };
            return;
        }
        Some(Command::CopyId) => {
            let id = d.target.id.to_string();
            fx.push(Effect::Copy(id.clone()));
            s.info(format!("copied {id}"));
        }
        Some(Command::Help) => {
            let Mode::Detail(d) = std::mem::replace(&mut s.mode, Mode::Normal) else {
                return;
            };
            s.mode = Mode::Help {
                scroll: 0,
                back: Some(Box::new(d)),
            };
        }
        _ => {}
    }
    if let Mode::Detail(d) = &mut s.mode {
        d.scroll = d.scroll.min(max);
    }
}

/// Put the cursor of the pane that lists `target` on its row (when the filter and scope show
/// it), so the table is there on the way back.
fn cursor_to(s: &mut State, target: &crate::domain::ResourceRef) {
    let inv = &s.inventory;
    let Some(p) = s.panes.iter_mut().find(|p| p.kind == Some(target.kind)) else {
        return;
    };
    if let Some(i) = p.position_of(inv, target) {
        p.selected = i;
        p.moved = true;
        p.selected_ref = Some(target.clone());
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Dir {
    /// The first match (a new search).
    First,
    Next,
    Prev,
}

/// Go to a line containing the search text (case-insensitive): the first, or the next or
/// previous from the current match, round the end; say when there is none.
fn jump(d: &mut Detail, inv: &Inventory, cat: &crate::prices::Catalog, dir: Dir, rows: usize) {
    d.wrapped = false;
    if d.search.is_empty() {
        d.hit = None;
        d.not_found = false;
        return;
    }
    let needle = d.search.to_lowercase();
    let all = detail_lines(d, inv, cat);
    let hits: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, l)| l.to_lowercase().contains(&needle))
        .map(|(i, _)| i)
        .collect();
    d.not_found = hits.is_empty();
    if hits.is_empty() {
        // Back where the search began (typing may have passed a match on the way).
        d.hit = None;
        d.scroll = d.search_origin;
        return;
    }
    let at = d.hit;
    let next = match (dir, at) {
        (Dir::First, _) | (_, None) => hits[0],
        (Dir::Next, Some(a)) => match hits.iter().find(|&&h| h > a) {
            Some(&h) => h,
            None => {
                d.wrapped = true;
                hits[0]
            }
        },
        (Dir::Prev, Some(a)) => match hits.iter().rev().find(|&&h| h < a) {
            Some(&h) => h,
            None => {
                d.wrapped = true;
                *hits.last().expect("not empty")
            }
        },
    };
    d.hit = Some(next);
    let max = all.len().saturating_sub(rows);
    // Show the match with a little context above it.
    d.scroll = next.saturating_sub(2).min(max);
}
