//! Reducer tests: plain actions in, state and effects out. No terminal, no I/O.

pub(super) use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub(super) use super::update;
pub(super) use crate::action::Action;
pub(super) use crate::domain::{InstanceState, Op, Resource};
pub(super) use crate::effect::Effect;
pub(super) use crate::inventory::Scope;
pub(super) use crate::ops::Request;
pub(super) use crate::providers::{ErrorKind, InstanceAction, ProviderError};
pub(super) use crate::state::fixture;
pub(super) use crate::state::{Mode, OpStatus, PaletteStage, State};
pub(super) use crate::worker::poller::PollEvent;

pub(super) fn key(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

pub(super) fn code(s: &mut State, c: KeyCode) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

pub(super) fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, c);
    }
}

pub(super) fn selected_name(s: &State) -> String {
    let r = s.current().selected_ref(&s.inventory).unwrap();
    s.inventory.get(&r).unwrap().name().to_string()
}

pub(super) fn select(s: &mut State, name: &str) {
    key(s, '/');
    typed(s, &format!("name:{name}"));
    code(s, KeyCode::Enter);
    assert_eq!(selected_name(s), name);
}

/// Say yes to the question asked, and have the one action it runs end with `result`.
/// Says yes to the plan and finishes its one action with `result`: what the reducer asked then.
pub(super) fn yes_then(
    s: &mut State,
    result: Result<Option<Resource>, ProviderError>,
) -> Vec<Effect> {
    let fx = key(s, 'y');
    let [Effect::Run { id, .. }] = fx.as_slice() else {
        panic!("one action runs: {fx:?}")
    };
    update(s, Action::OpFinished { id: *id, result })
}

mod actions;
mod detail;
mod load_balancers;
mod networks;
mod operations;
mod palette;
mod queue;
mod scope;
mod tables;
