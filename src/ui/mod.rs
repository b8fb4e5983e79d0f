//! Drawing: `render(frame, &State)` reads the state and nothing else. Only the rows in the
//! window are turned into cells, so a frame costs the same at 100 rows or 100,000.

pub mod clock;
mod costs;
mod header;
mod overlays;
mod status;
pub(crate) mod table;
pub(crate) mod theme;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::state::{Mode, State, MIN_SIZE};
use theme::Theme;

pub fn render(f: &mut Frame, s: &State) {
    let area = f.area();
    let th = Theme::new(s.theme, &s.colors);
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let msg = format!(
            "nephos needs at least {}×{} (this is {}×{}); enlarge the window, or q to quit",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg).style(th.warn).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let [head, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(f, head, s, &th);
    header::tabs(f, tabs, s, &th);
    match &s.mode {
        Mode::Detail(d) => overlays::detail(f, body, s, d, &th),
        Mode::Help { scroll, .. } => overlays::help(f, body, s, *scroll, &th),
        Mode::Operations { scroll } => overlays::operations(f, body, s, *scroll, &th),
        Mode::Text {
            title,
            lines,
            scroll,
        } => overlays::text(f, body, title, lines, *scroll, &th),
        _ if crate::panes::PANES[s.pane].kind().is_none() => costs::render(f, body, s, &th),
        _ => table::render(f, body, s, &th),
    }
    status::render(f, status, s, &th);
    match &s.mode {
        Mode::Palette(p) => overlays::palette(f, body, s, p, &th),
        Mode::Confirm(c) => overlays::confirm(f, body, c, &th),
        Mode::Form(form) => overlays::form(f, body, form, &th),
        _ => {}
    }
}

/// A box of `w`×`h` centred in `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn line<'a>(spans: Vec<ratatui::text::Span<'a>>) -> Line<'a> {
    Line::from(spans)
}

#[cfg(test)]
mod tests;
