//! Colours: dark (default), light, and monochrome (NO_COLOR, --no-color). Only the 16 ANSI
//! colours, so every terminal shows them; `[ui.colors]` overrides any role by name.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};

use crate::panes::Tone;
use crate::state::ThemeName;

#[derive(Debug, Clone)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub accent: Style,
    pub header: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub table_header: Style,
    pub selected: Style,
    pub marked: Style,
    pub good: Style,
    pub warn: Style,
    pub bad: Style,
    pub moving: Style,
    pub badge: Style,
    pub key: Style,
    pub border: Style,
}

/// The roles `[ui.colors]` may set.
pub const ROLES: [&str; 10] = [
    "text", "dim", "accent", "good", "warn", "bad", "moving", "selected", "badge", "border",
];

pub fn parse_color(s: &str) -> Option<Color> {
    Some(
        match s.to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
            "black" => Color::Black,
            "red" => Color::Red,
            "green" => Color::Green,
            "yellow" => Color::Yellow,
            "blue" => Color::Blue,
            "magenta" => Color::Magenta,
            "cyan" => Color::Cyan,
            "gray" | "grey" => Color::Gray,
            "dark-gray" | "darkgray" | "dark-grey" => Color::DarkGray,
            "light-red" | "lightred" => Color::LightRed,
            "light-green" | "lightgreen" => Color::LightGreen,
            "light-yellow" | "lightyellow" => Color::LightYellow,
            "light-blue" | "lightblue" => Color::LightBlue,
            "light-magenta" | "lightmagenta" => Color::LightMagenta,
            "light-cyan" | "lightcyan" => Color::LightCyan,
            "white" => Color::White,
            "default" | "reset" => Color::Reset,
            _ => return None,
        },
    )
}

/// Warnings for `[ui.colors]` entries that name no role or no colour.
pub fn check_colors(colors: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (role, color) in colors {
        if !ROLES.contains(&role.as_str()) {
            out.push(format!(
                "[ui.colors] '{role}' is not a colour role ({})",
                ROLES.join(", ")
            ));
        } else if parse_color(color).is_none() {
            out.push(format!(
                "[ui.colors] {role} = '{color}' is not one of the 16 terminal colours"
            ));
        }
    }
    out
}

impl Theme {
    pub fn new(name: ThemeName, overrides: &BTreeMap<String, String>) -> Theme {
        let fg = |c: Color| Style::default().fg(c);
        let mut t = match name {
            ThemeName::Dark => Theme {
                text: fg(Color::Reset),
                dim: fg(Color::DarkGray),
                accent: fg(Color::Cyan),
                header: fg(Color::Cyan).add_modifier(Modifier::BOLD),
                tab: fg(Color::Gray),
                tab_active: fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                table_header: fg(Color::Yellow).add_modifier(Modifier::BOLD),
                selected: Style::default().bg(Color::Blue).fg(Color::White),
                marked: fg(Color::Magenta).add_modifier(Modifier::BOLD),
                good: fg(Color::Green),
                warn: fg(Color::Yellow),
                bad: fg(Color::Red),
                moving: fg(Color::LightCyan).add_modifier(Modifier::ITALIC),
                badge: fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
                border: fg(Color::DarkGray),
            },
            ThemeName::Light => Theme {
                text: fg(Color::Reset),
                dim: fg(Color::DarkGray),
                accent: fg(Color::Blue),
                header: fg(Color::Blue).add_modifier(Modifier::BOLD),
                tab: fg(Color::DarkGray),
                tab_active: fg(Color::White)
                    .bg(Color::Blue)
                    .add_modifier(Modifier::BOLD),
                table_header: fg(Color::Magenta).add_modifier(Modifier::BOLD),
                selected: Style::default().bg(Color::Cyan).fg(Color::Black),
                marked: fg(Color::Magenta).add_modifier(Modifier::BOLD),
                good: fg(Color::Green),
                warn: fg(Color::Red).add_modifier(Modifier::DIM),
                bad: fg(Color::Red).add_modifier(Modifier::BOLD),
                moving: fg(Color::Blue).add_modifier(Modifier::ITALIC),
                badge: fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
                key: fg(Color::Blue).add_modifier(Modifier::BOLD),
                border: fg(Color::Gray),
            },
            ThemeName::Mono => {
                let plain = Style::default();
                Theme {
                    text: plain,
                    dim: plain.add_modifier(Modifier::DIM),
                    accent: plain.add_modifier(Modifier::BOLD),
                    header: plain.add_modifier(Modifier::BOLD),
                    tab: plain,
                    tab_active: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                    table_header: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                    selected: plain.add_modifier(Modifier::REVERSED),
                    marked: plain.add_modifier(Modifier::BOLD),
                    good: plain,
                    warn: plain.add_modifier(Modifier::BOLD),
                    bad: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                    moving: plain.add_modifier(Modifier::ITALIC),
                    badge: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                    key: plain.add_modifier(Modifier::BOLD),
                    border: plain,
                }
            }
        };
        if name != ThemeName::Mono {
            for (role, color) in overrides {
                let Some(c) = parse_color(color) else {
                    continue;
                };
                let slot = match role.as_str() {
                    "text" => &mut t.text,
                    "dim" => &mut t.dim,
                    "accent" => &mut t.accent,
                    "good" => &mut t.good,
                    "warn" => &mut t.warn,
                    "bad" => &mut t.bad,
                    "moving" => &mut t.moving,
                    "selected" => {
                        t.selected = t.selected.bg(c);
                        continue;
                    }
                    "badge" => {
                        t.badge = t.badge.bg(c);
                        continue;
                    }
                    "border" => &mut t.border,
                    _ => continue,
                };
                *slot = slot.fg(c);
            }
        }
        t
    }

    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Plain => self.text,
            Tone::Good => self.good,
            Tone::Warn => self.warn,
            Tone::Bad => self.bad,
            Tone::Moving => self.moving,
            Tone::Muted => self.dim,
        }
    }
}
