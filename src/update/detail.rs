//! The detail view: normalised fields, related resources and the raw payload, scrollable and
//! searchable (`/`, then n for the next match).

use crossterm::event::{KeyCode, KeyEvent};

use super::text::edit;
use crate::command::Command;
use crate::domain::{Described, ResourceRef};
use crate::effect::Effect;
use crate::inventory::Inventory;
use crate::keymap::KeyMode;
use crate::state::{detail_lines, Detail, Mode, State};

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
    let Mode::Detail(d) = &mut s.mode else { return };
    if d.searching {
        match k.code {
            KeyCode::Enter => {
                d.searching = false;
                jump(d, &s.inventory, &s.catalog, 0);
            }
            KeyCode::Esc => {
                d.searching = false;
                d.search.clear();
            }
            _ => {
                edit(&mut d.search, &k);
                jump(d, &s.inventory, &s.catalog, 0);
            }
        }
        return;
    }
    if k.code == KeyCode::Char('n') && !d.search.is_empty() {
        let from = d.scroll + 1;
        jump(d, &s.inventory, &s.catalog, from);
        return;
    }
    let page = s.size.1.saturating_sub(4) as usize;
    match s.keymap.lookup(KeyMode::Detail, &k) {
        Some(Command::Down) => d.scroll += 1,
        Some(Command::Up) => d.scroll = d.scroll.saturating_sub(1),
        Some(Command::PageDown) => d.scroll += page,
        Some(Command::PageUp) => d.scroll = d.scroll.saturating_sub(page),
        Some(Command::Top) => d.scroll = 0,
        Some(Command::Bottom) => {
            d.scroll = detail_lines(d, &s.inventory, &s.catalog)
                .len()
                .saturating_sub(page)
        }
        Some(Command::Filter) => {
            d.searching = true;
            d.search.clear();
        }
        Some(Command::Back) => s.mode = Mode::Normal,
        Some(Command::CopyId) => {
            let id = d.target.id.to_string();
            fx.push(Effect::Copy(id.clone()));
            s.info(format!("copied {id}"));
        }
        Some(Command::Help) => s.mode = Mode::Help { scroll: 0 },
        _ => {}
    }
}

/// Scroll to the first line at or after `from` that contains the search text.
fn jump(d: &mut Detail, inv: &Inventory, cat: &crate::prices::Catalog, from: usize) {
    if d.search.is_empty() {
        return;
    }
    let needle = d.search.to_lowercase();
    let all = detail_lines(d, inv, cat);
    if let Some(i) = all
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.to_lowercase().contains(&needle))
        .map(|(i, _)| i)
    {
        d.scroll = i;
    }
}
