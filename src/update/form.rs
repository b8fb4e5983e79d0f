//! Create forms: Up/Down (or Tab at a field without choices) move between fields, Tab completes
//! from the choices, Enter on the last field (or ctrl-s anywhere) checks the form and asks to
//! confirm; Esc leaves.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::text::edit;
use crate::effect::Effect;
use crate::state::{Mode, State};

pub fn key(s: &mut State, k: KeyEvent, _fx: &mut Vec<Effect>) {
    let accounts = s.accounts.clone();
    let known = s.shapes.clone();
    let Mode::Form(f) = &mut s.mode else { return };
    let last = f.fields.len() - 1;
    let submit = match k.code {
        KeyCode::Esc => {
            s.mode = Mode::Normal;
            s.info("cancelled; nothing was done");
            return;
        }
        KeyCode::Char('s') if k.modifiers.contains(KeyModifiers::CONTROL) => true,
        KeyCode::Enter if f.focus == last => true,
        KeyCode::Enter | KeyCode::Down => {
            f.focus = (f.focus + 1).min(last);
            false
        }
        KeyCode::Up | KeyCode::BackTab => {
            f.focus = f.focus.saturating_sub(1);
            false
        }
        KeyCode::Tab => {
            let field = &mut f.fields[f.focus];
            if field.choices.is_empty() {
                f.focus = (f.focus + 1).min(last);
            } else {
                // Cycle through the choices that start with what is typed (all when it is one).
                let typed = field.value.trim().to_string();
                let exact = field.choices.iter().position(|c| *c == typed);
                let next = match exact {
                    Some(i) => field.choices[(i + 1) % field.choices.len()].clone(),
                    None => field
                        .choices
                        .iter()
                        .find(|c| c.starts_with(&typed))
                        .unwrap_or(&field.choices[0])
                        .clone(),
                };
                field.value = next;
            }
            false
        }
        _ => {
            edit(&mut f.fields[f.focus].value, &k);
            false
        }
    };
    f.update_choices(&accounts, &known);
    f.error = None;
    if submit {
        match f.request(&accounts) {
            Ok(req) => {
                s.mode = Mode::Normal;
                super::plan::confirm(s, vec![req]);
            }
            Err(e) => f.error = Some(e),
        }
    }
}
