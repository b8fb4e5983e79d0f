//! `/`: the filter applies as it is typed; a bad filter keeps the last good rows and says why.
//! The console's scope (`:ctx`) is added to every pane's filter here.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::text::edit;
use crate::filter::{Filter, NetBook};
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
    set_on(s, s.pane, text);
}

/// Set pane `i`'s filter text and re-filter if it parses; the scope, if any, is added to it.
pub fn set_on(s: &mut State, i: usize, text: String) {
    let inv = &s.inventory;
    let p = &mut s.panes[i];
    p.filter_text = text;
    // The text is parsed alone so an error points into what was typed.
    let parsed = Filter::parse(&p.filter_text).and_then(|f| match &s.scope {
        Some(scope) => Filter::parse(&format!("{} {}", scope.term(), p.filter_text)),
        None => Ok(f),
    });
    // `cost>…` reads the prices the console shows.
    match parsed {
        Ok(f) => {
            let f = f.with_prices(s.catalog.clone());
            // `network:NAME` reads which network each instance is in.
            let f = if f.uses_networks() {
                f.with_networks(NetBook::of(inv.networks.iter()))
            } else {
                f
            };
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

/// Keep every pane to `scope` (None: all) from now on.
pub fn set_scope(s: &mut State, scope: Option<crate::config::ScopeSel>) {
    s.scope = scope;
    for i in 0..s.panes.len() {
        let text = s.panes[i].filter_text.clone();
        set_on(s, i, text);
        if s.panes[i].filter_error.is_some() {
            // The typed filter does not parse: the pane keeps to the new scope alone (its
            // error stays shown) rather than to the old one.
            let only = s.scope.as_ref().map(|sc| sc.term()).unwrap_or_default();
            if let Ok(f) = Filter::parse(&only) {
                let inv = &s.inventory;
                s.panes[i].set_filter(inv, f);
                if s.panes[i].kind.is_none() {
                    s.costs.computed_at = None;
                    s.refresh_costs();
                }
            }
        }
    }
    match &s.scope {
        Some(sc) => s.info(format!("scope: {sc} (:ctx → all clears it)")),
        None => s.info("scope: all"),
    }
}
