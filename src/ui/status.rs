//! The status line: running operations (a spinner, how many run and wait, the first), the last
//! message, then key hints generated from the keymap.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use crate::command::Command;
use crate::format;
use crate::keymap::KeyMode;
use crate::state::{Level, Mode, OpStatus, State};

pub(super) const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];

pub fn render(f: &mut Frame, area: Rect, s: &State, th: &Theme) {
    let mut spans: Vec<Span> = Vec::new();
    let running: Vec<_> = s
        .ops
        .iter()
        .filter(|o| o.status == OpStatus::Running)
        .collect();
    if !running.is_empty() {
        let frame = SPINNER[(s.spin % 4) as usize];
        let counts = match s.queued_ops() {
            0 => format!("{} running", running.len()),
            q => format!("{} running, {q} queued", running.len()),
        };
        let first = match &running[0].progress {
            Some(p) => format::fit(&format!("{} ({p})", running[0].what), 60),
            None => format::fit(&running[0].what, 50),
        };
        spans.push(Span::styled(
            format!("{frame} {counts}: {first} "),
            th.moving,
        ));
    }
    // A bad filter's error, in full width: the tabs line has no room for it.
    if let Some(e) = &s.current().filter_error {
        if s.mode == Mode::Filter {
            spans.push(Span::styled(format!("filter: {} ", e.message), th.bad));
        }
    }
    if let Some(m) = &s.message {
        let style = match m.level {
            Level::Info => th.accent,
            Level::Warn => th.warn,
            Level::Error => th.bad,
        };
        // Room for the whole message where the terminal has it (errors carry code, message
        // and fix); the key hints need about 50 columns.
        let room = (area.width as usize).saturating_sub(50).max(90);
        spans.push(Span::styled(
            format!("{} ", format::fit(&m.text, room)),
            style,
        ));
    }
    // A failure stays in sight after later messages replace it, until `errors` shows it.
    let showing_error = s.message.as_ref().is_some_and(|m| m.level == Level::Error);
    if s.unseen_failures > 0 && !showing_error {
        if let Some((op, e)) = s.failures().next() {
            let more = if s.unseen_failures > 1 {
                format!(" (+{} more)", s.unseen_failures - 1)
            } else {
                String::new()
            };
            let text = format!("✗ {}: {}{more}", op.what, e.kind.words());
            let look = s
                .keymap
                .key_for(KeyMode::Normal, Command::Operations)
                .unwrap_or_else(|| ":operations".into());
            spans.push(Span::styled(
                format!("{} · {look} to see ", format::fit(&text, 70)),
                th.bad,
            ));
        }
    }
    let hints: &[Command] = match s.mode {
        Mode::Normal => &[
            Command::Filter,
            Command::Palette,
            Command::Open,
            Command::Mark,
            Command::Help,
            Command::Quit,
        ],
        Mode::Detail(_) => &[Command::Filter, Command::CopyId, Command::Back],
        _ => &[],
    };
    let mode = if matches!(s.mode, Mode::Detail(_)) {
        KeyMode::Detail
    } else {
        KeyMode::Normal
    };
    let text_hint = match &s.mode {
        Mode::Filter => Some("type a filter · enter keep · esc clear"),
        Mode::Palette(_) => Some("type to match · ↑↓ choose · enter run · esc close"),
        Mode::Confirm(c) if c.count => Some("type the number · enter · esc cancel"),
        Mode::Confirm(c) if !c.to_type.is_empty() => Some("type the name · enter · esc cancel"),
        Mode::Confirm(c) if c.dangerous => Some("y yes · n/enter/esc no"),
        Mode::Confirm(_) => Some("y/enter yes · n/esc no"),
        Mode::Form(_) => {
            Some("↑↓ field · tab complete · enter next/submit · ctrl-s submit · esc cancel")
        }
        Mode::Help { .. } | Mode::Operations { .. } | Mode::Text { .. } => {
            Some("↑↓ scroll · esc close")
        }
        _ => None,
    };
    if let Some(t) = text_hint {
        spans.push(Span::styled(t, th.dim));
    }
    for c in hints {
        if let Some(k) = s.keymap.key_for(mode, *c) {
            spans.push(Span::styled(format!(" {k}"), th.key));
            spans.push(Span::styled(format!(" {}", c.name()), th.dim));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
