//! What each account offers (regions, zones, machine and disk types), for the create forms.
//! The adapter is asked through an effect at start and again whenever one of the account's
//! polls succeeds (listing teaches an adapter zones and types); an open form takes the answer.

use crate::effect::Effect;
use crate::providers::Offerings;
use crate::state::{Mode, State};
use crate::worker::poller::PollEvent;

/// Ask every account at start.
pub fn ask_all(s: &mut State) -> Vec<Effect> {
    let names: Vec<String> = s.accounts.iter().map(|a| a.info.name.to_string()).collect();
    let mut fx = Vec::new();
    for name in names {
        ask(s, name, &mut fx);
    }
    fx
}

/// A poll succeeded: ask its account again (once at a time).
pub fn after_poll(s: &mut State, ev: &PollEvent, fx: &mut Vec<Effect>) {
    if let PollEvent::Finished {
        scope,
        outcome: Ok(_),
        ..
    } = ev
    {
        ask(s, scope.account.to_string(), fx);
    }
}

fn ask(s: &mut State, account: String, fx: &mut Vec<Effect>) {
    if s.account(&account).is_some() && s.offerings_asked.insert(account.clone()) {
        fx.push(Effect::LoadOfferings(account));
    }
}

/// The account answered: keep what it offers, and let an open form offer it too.
pub fn loaded(s: &mut State, account: &str, offerings: Offerings) {
    s.offerings_asked.remove(account);
    let Some(a) = s.accounts.iter_mut().find(|a| a.info.name == account) else {
        return;
    };
    if a.offerings == offerings {
        return;
    }
    let types_changed = a.offerings.machine_types != offerings.machine_types;
    a.offerings = offerings;
    if types_changed {
        s.refresh_shapes();
    }
    if let Mode::Form(form) = &mut s.mode {
        form.update_choices(&s.accounts, &s.shapes);
    }
}
