//! `/`: the filter applies as it is typed; a bad filter keeps the last good rows and says why.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::text::edit;
use crate::filter::Filter;
use crate::state::{Mode, State};

pub fn key(s: &mut State, k: KeyEvent) {
    match k.code {
        KeyCode::Esc => {
            set(s, String::new());
            s.mode = Mode::Normal;
        }
        KeyCode::Enter => s.mode = Mode::Normal,
        KeyCode::Down => {
            let p = s.current_mut();
            p.moved = true;
            p.selected = (p.selected + 1).min(p.rows.len().saturating_sub(1));
        }
        KeyCode::Up => {
            let p = s.current_mut();
            p.moved = true;
            p.selected = p.selected.saturating_sub(1);
        }
        _ => {
            let mut text = s.current().filter_text.clone();
            if edit(&mut text, &k) {
                set(s, text);
            }
        }
    }
}

/// A key that only edits the filter's text (in filter mode: not Esc, Enter, Up or Down).
pub fn is_text_key(s: &State, k: &KeyEvent) -> bool {
    s.mode == Mode::Filter
        && !s.quit
        && k.kind != KeyEventKind::Release
        && !matches!(
            k.code,
            KeyCode::Esc | KeyCode::Enter | KeyCode::Down | KeyCode::Up
        )
}

/// Edit the filter's text without re-filtering: another keystroke of the same run follows, and
/// the last of the run re-filters once (a paste of 40 characters filters once, not 40 times).
pub fn edit_only(s: &mut State, k: KeyEvent) {
    s.message = None;
    let p = s.current_mut();
    edit(&mut p.filter_text, &k);
}

/// Set the current pane's filter text and re-filter if it parses.
pub fn set(s: &mut State, text: String) {
    let inv = &s.inventory;
    let p = &mut s.panes[s.pane];
    p.filter_text = text;
    match Filter::parse(&p.filter_text) {
        Ok(f) => {
            p.filter_error = None;
            p.set_filter(inv, f);
            if p.kind.is_none() {
                // The Costs pane: its figures are recomputed for the new filter.
                s.costs.computed_at = None;
                s.refresh_costs();
            }
        }
        Err(e) => p.filter_error = Some(e),
    }
}
