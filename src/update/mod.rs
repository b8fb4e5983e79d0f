//! The reducer: `update(&mut State, Action) -> Vec<Effect>`. No I/O and no awaiting here; what
//! must happen outside comes back as effects, and their answers come back as actions.

mod commands;
mod confirm;
mod costs;
mod detail;
mod events;
mod filter;
mod form;
mod network_actions;
mod offerings;
mod ops;
mod palette;
mod pickers;
mod plan;
mod scope;
mod stage;
mod text;

pub use filter::set_scope;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEventKind};

use crate::action::Action;
use crate::command::Command;
use crate::effect::Effect;
use crate::keymap::KeyMode;
use crate::state::{Mode, State, CHROME_ROWS};

pub use commands::run_command;
pub use offerings::ask_all as ask_offerings;

pub fn update(s: &mut State, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    apply(s, action, &mut fx);
    settle_view(s);
    fx
}

/// What `action` does to the state, before the view is brought up to date.
fn apply(s: &mut State, action: Action, fx: &mut Vec<Effect>) {
    match action {
        // Quitting: nothing new starts; the quit key again leaves without waiting.
        Action::Key(k) if s.quit => {
            if k.kind != KeyEventKind::Release
                && s.keymap.lookup(KeyMode::Normal, &k) == Some(crate::command::Command::Quit)
            {
                ops::quit(s, fx);
            }
        }
        Action::Key(k) if k.kind != KeyEventKind::Release => on_key(s, k, fx),
        Action::Key(_) => {}
        Action::Mouse(m) if s.mouse => on_mouse(s, m),
        Action::Mouse(_) => {}
        Action::Resize(w, h) => s.size = (w, h),
        Action::Tick(now) => {
            s.now = now;
            s.spin = s.spin.wrapping_add(1);
            events::tick(s, fx);
        }
        Action::Poll(ev) => {
            offerings::after_poll(s, &ev, fx);
            events::poll(s, ev)
        }
        Action::OpAccepted { id, resource } => {
            ops::accepted(s, id);
            events::accepted(s, resource)
        }
        Action::OpFinished { id, result } => {
            events::finished(s, id, result, fx);
            ops::start_ready(s, fx);
        }
        Action::OpProgress { id, progress } => events::progress(s, id, progress),
        Action::OpUnfollowed { id, accepted } => ops::unfollowed(s, id, accepted),
        Action::Warn(text) => s.warn(text),
        Action::JournalLoaded(j) => s.journal = Some(j),
        Action::Prices { catalog, warnings } => {
            s.prices_pending = false;
            s.set_catalog(catalog);
            for w in warnings {
                s.warn(w);
            }
        }
        Action::Offerings {
            account,
            offerings: o,
        } => offerings::loaded(s, &account, o),
        Action::Described { target, result } => {
            events::described(s, &target, &result);
            detail::loaded(s, target, result)
        }
        Action::Quit => ops::quit(s, fx),
    }
}

/// `update` for an action the event loop drained in a batch, with the action queued after it.
/// The same as `update`, except that a filter keystroke followed by another only edits the text:
/// the run re-filters once, at its last key (a paste or fast typing costs one filter, not one per
/// character). Nothing in between can see the rows, so the end state is the same.
pub fn update_queued(s: &mut State, action: Action, next: Option<&Action>) -> Vec<Effect> {
    if let (Action::Key(k), Some(Action::Key(n))) = (&action, next) {
        if filter::is_text_key(s, k) && filter::is_text_key(s, n) {
            filter::edit_only(s, *k);
            return Vec::new();
        }
    }
    // Likewise a poll's rows followed by another's: the view, and the Costs pane's figures
    // (~0.5 s at 100k rows), are brought up to date once, after the last of the run. Made after
    // each, a Costs pane opened during a 100k start held the console for seconds.
    if reads_no_view(&action) && next.is_some_and(reads_no_view) {
        let mut fx = Vec::new();
        apply(s, action, &mut fx);
        return fx;
    }
    update(s, action)
}

/// An action whose effect reads nothing of the view (no pane's rows or selection), so that in a
/// run of them the view is brought up to date after the last only: poll results, and the
/// accounts' offerings, which arrive among the first lists of a start.
fn reads_no_view(a: &Action) -> bool {
    matches!(a, Action::Poll(_) | Action::Offerings { .. })
}

/// Bring the current pane's rows up to date and keep the selection visible.
pub fn settle_view(s: &mut State) {
    // The Costs pane, and a budget in the header, need the cost figures.
    if s.kind().is_none() || s.budget.monthly.is_some() || !s.budget.accounts.is_empty() {
        s.refresh_costs();
    }
    let height = s.body_height();
    let inv = &s.inventory;
    let pane = &mut s.panes[s.pane];
    if pane.kind.is_some() && pane.sorted_at != inv.rows_generation {
        pane.refresh(inv, false);
    }
    pane.scroll_into_view(height);
    pane.selected_ref = pane.selected_ref(inv);
}

fn on_key(s: &mut State, k: KeyEvent, fx: &mut Vec<Effect>) {
    if !matches!(s.mode, Mode::Confirm(_) | Mode::Form(_) | Mode::Palette(_)) {
        s.message = None;
    }
    match &s.mode {
        Mode::Normal => {
            if let Some(cmd) = s.keymap.lookup(KeyMode::Normal, &k) {
                run_command(s, cmd, fx);
            }
        }
        Mode::Filter => filter::key(s, k),
        Mode::Palette(_) => {
            if let Some(next) = palette::key(s, k, fx) {
                follow(s, next, fx);
            }
        }
        Mode::Confirm(_) => confirm::key(s, k, fx),
        Mode::Detail(_) => detail::key(s, k, fx),
        Mode::Form(_) => form::key(s, k, fx),
        Mode::Help { .. } => help_key(s, k),
        Mode::Operations { .. } => operations_key(s, k),
        Mode::Text { .. } => text_key(s, k),
    }
}

/// What a mode's handler leaves for the reducer to do next, so that handlers do not call each
/// other (the palette runs a command, asks for tags or hands a picked target back).
pub(crate) enum Next {
    Run(Command),
    Tags(String),
    /// The rule typed for `add-rule` / `remove-rule`.
    Rule(Command, String),
    Picked(Command, crate::domain::ResourceRef),
}

fn follow(s: &mut State, next: Next, fx: &mut Vec<Effect>) {
    match next {
        Next::Run(c) => run_command(s, c, fx),
        Next::Tags(text) => commands::tags(s, text),
        Next::Rule(c, text) => network_actions::rule(s, c, text),
        Next::Picked(c, target) => pickers::picked(s, c, &target),
    }
}

fn help_key(s: &mut State, k: KeyEvent) {
    let max = s.help_len().saturating_sub(s.overlay_rows());
    let Mode::Help { scroll, back } = &mut s.mode else {
        return;
    };
    match k.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Enter => {
            // Back where help was opened: the detail view, or the table.
            s.mode = match back.take() {
                Some(d) => Mode::Detail(*d),
                None => Mode::Normal,
            }
        }
        KeyCode::Down | KeyCode::Char('j') => *scroll += 1,
        KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
        KeyCode::PageDown => *scroll += 10,
        KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => *scroll = 0,
        KeyCode::End | KeyCode::Char('G') => *scroll = max,
        _ => {}
    }
    if let Mode::Help { scroll, .. } = &mut s.mode {
        *scroll = (*scroll).min(max);
    }
}

fn operations_key(s: &mut State, k: KeyEvent) {
    let max = crate::state::ops_lines(s, s.size.0.saturating_sub(2) as usize)
        .len()
        .saturating_sub(s.overlay_rows());
    let page = s.overlay_rows();
    let Mode::Operations { scroll } = &mut s.mode else {
        return;
    };
    match k.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter | KeyCode::Char('E') => {
            s.mode = Mode::Normal;
            return;
        }
        KeyCode::Down | KeyCode::Char('j') => *scroll += 1,
        KeyCode::Up | KeyCode::Char('k') => *scroll = (*scroll).min(max).saturating_sub(1),
        KeyCode::PageDown => *scroll += page,
        KeyCode::PageUp => *scroll = (*scroll).min(max).saturating_sub(page),
        KeyCode::Home | KeyCode::Char('g') => *scroll = 0,
        KeyCode::End | KeyCode::Char('G') => *scroll = max,
        _ => {}
    }
    *scroll = (*scroll).min(max);
}

fn text_key(s: &mut State, k: KeyEvent) {
    let page = s.overlay_rows();
    let Mode::Text { lines, scroll, .. } = &mut s.mode else {
        return;
    };
    let max = lines.len().saturating_sub(page);
    match k.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => {
            s.mode = Mode::Normal;
            return;
        }
        KeyCode::Down | KeyCode::Char('j') => *scroll += 1,
        KeyCode::Up | KeyCode::Char('k') => *scroll = (*scroll).min(max).saturating_sub(1),
        KeyCode::PageDown => *scroll += page,
        KeyCode::PageUp => *scroll = (*scroll).min(max).saturating_sub(page),
        KeyCode::Home | KeyCode::Char('g') => *scroll = 0,
        KeyCode::End | KeyCode::Char('G') => *scroll = max,
        _ => {}
    }
    *scroll = (*scroll).min(max);
}

fn on_mouse(s: &mut State, m: crossterm::event::MouseEvent) {
    if s.mode != Mode::Normal {
        return;
    }
    let body_top = CHROME_ROWS - 1; // header, tabs, table header come first
    let pane = &mut s.panes[s.pane];
    pane.moved = true;
    match m.kind {
        MouseEventKind::ScrollDown => {
            pane.selected = (pane.selected + 3).min(pane.rows.len().saturating_sub(1))
        }
        MouseEventKind::ScrollUp => pane.selected = pane.selected.saturating_sub(3),
        MouseEventKind::Down(_) if m.row >= body_top => {
            let i = pane.offset + (m.row - body_top) as usize;
            if i < pane.rows.len() {
                pane.selected = i;
            }
        }
        _ => {}
    }
    pane.selected_ref = pane.selected_ref(&s.inventory);
}

#[cfg(test)]
mod tests;
