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
    if pane.kind().is_some()
        && !matches!(
            s.mode,
            Mode::Detail(_) | Mode::Help { .. } | Mode::Operations { .. } | Mode::Text { .. }
        )
    {
        let ps = s.current();
        let end = (ps.offset + s.body_height()).min(ps.rows.len());
        let ctx = s.cell_ctx();
        for &pos in &ps.rows[ps.offset.min(end)..end] {
            if let Some(c) = pane.cells(&ctx, pos) {
                c.text.hash(&mut h);
            }
        }
    }
    Face(h.finish())
}

#[cfg(test)]
mod tests {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    use super::*;
    use crate::state::fixture;

    fn frame(s: &State) -> String {
        let mut t = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
        t.draw(|f| crate::ui::render(f, s)).unwrap();
        t.backend().to_string()
    }

    /// Over hours of ticks (seconds, then minutes, then hours go by), a frame differs from the one before exactly when the face does:
    /// skipping the draw on an unchanged face never leaves a stale screen, and a changed face
    /// is never a wasted draw.
    #[test]
    fn the_face_changes_exactly_when_the_clock_changes_the_frame() {
        // Rows launched moments ago, so the age column counts seconds and minutes too.
        let (mut instances, disks, lbs) = crate::providers::sandbox::sample(300, 42);
        for (n, i) in instances.iter_mut().enumerate() {
            i.launched_at = Some(fixture::now() - chrono::Duration::seconds(n as i64 * 7));
        }
        let mut s = State::new(
            fixture::accounts(),
            Default::default(),
            Default::default(),
            crate::keymap::Keymap::defaults(),
            fixture::now(),
        );
        s.size = (200, 40);
        fixture::deliver(&mut s, instances, disks, lbs);
        let (mut last_face, mut last_frame) = (face(&s), frame(&s));
        let (mut changed, mut same) = (0, 0);
        for step in [
            1, 1, 2, 3, 5, 10, 30, 60, 120, 600, 1800, 3600, 1, 1, 5, 10, 30,
        ] {
            for _ in 0..3 {
                s.now += chrono::Duration::seconds(step);
                let (f, text) = (face(&s), frame(&s));
                assert_eq!(f == last_face, text == last_frame, "at {}:\n{text}", s.now);
                if f == last_face {
                    same += 1;
                } else {
                    changed += 1;
                }
                (last_face, last_frame) = (f, text);
            }
        }
        assert!(changed > 0 && same > 0, "{changed} changed, {same} same");
    }
}
