//! The confirmation dialog: y runs, n or Esc cancels, Enter takes the default (No when
//! dangerous, Yes otherwise). Protected resources need their names typed first.

use crossterm::event::{KeyCode, KeyEvent};

use super::text::edit;
use crate::effect::Effect;
use crate::state::{Mode, State};

pub fn key(s: &mut State, k: KeyEvent, fx: &mut Vec<Effect>) {
    let Mode::Confirm(c) = &mut s.mode else {
        return;
    };
    if !c.to_type.is_empty() {
        match k.code {
            KeyCode::Esc => {
                s.mode = Mode::Normal;
                s.info("cancelled; nothing was done");
            }
            KeyCode::Enter => {
                if c.input == c.to_type[0] {
                    c.to_type.remove(0);
                    c.input.clear();
                    c.error = None;
                } else if c.count {
                    c.error = Some(format!(
                        "'{}' is not {}: type the number of resources to go on",
                        c.input, c.to_type[0]
                    ));
                    c.input.clear();
                } else {
                    c.error = Some(format!("'{}' is not '{}'", c.input, c.to_type[0]));
                    c.input.clear();
                }
            }
            _ => {
                edit(&mut c.input, &k);
            }
        }
        return;
    }
    let yes = match k.code {
        KeyCode::Char('y') | KeyCode::Char('Y') => true,
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => false,
        KeyCode::Enter => !c.dangerous,
        _ => return,
    };
    let Mode::Confirm(c) = std::mem::replace(&mut s.mode, Mode::Normal) else {
        return;
    };
    if !yes {
        s.info("cancelled; nothing was done");
        return;
    }
    for request in c.requests {
        super::ops::enqueue(s, request, fx);
    }
    s.current_mut().marks.clear();
}
