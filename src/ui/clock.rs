//! What on screen moves with the clock alone: each account's health word and data age in the
//! header, the cells of the rows in view (the age column), and the spinner while something runs.
//! The loop compares this before and after a tick and draws only when it changed; a test checks
//! that two moments with the same face render the same frame.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::format;
use crate::panes::PANES;
use crate::state::{Mode, State};

/// A fingerprint of everything the clock changes on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face(u64);

pub fn face(s: &State) -> Face {
    let mut h = DefaultHasher::new();
    for a in &s.accounts {
        let (health, oldest, _) = s.account_health(&a.info.name);
        (health as u8).hash(&mut h);
        oldest.map(|t| format::age(t, s.now)).hash(&mut h);
    }
    if s.running_ops() > 0 {
        (s.spin % super::status::SPINNER.len() as u64).hash(&mut h);
    }
    let pane = PANES[s.pane];
    if pane.kind().is_some() && !matches!(s.mode, Mode::Detail(_) | Mode::Help { .. }) {
        let ps = s.current();
        let end = (ps.offset + s.body_height()).min(ps.rows.len());
        for &pos in &ps.rows[ps.offset.min(end)..end] {
            if let Some(c) = pane.cells(s, pos) {
                c.text.hash(&mut h);
            }
        }
    }
    Face(h.finish())
}
