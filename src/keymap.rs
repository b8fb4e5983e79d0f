//! Keys to commands, per mode. The defaults are `assets/keymap.toml`, embedded; the config's
//! `[keymap.normal]` and `[keymap.detail]` tables change them. A bad entry is a warning, never a
//! failure to start. Help and the status line's hints are generated from the result.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::command::Command;

const DEFAULTS: &str = include_str!("../assets/keymap.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyMode {
    Normal,
    Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// `KeyCode` without the variants nephos does not bind, ordered for stable help output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Backspace,
    Delete,
}

impl Key {
    pub fn parse(s: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCodeOrd::Enter,
            "esc" => KeyCodeOrd::Esc,
            "tab" => KeyCodeOrd::Tab,
            "backtab" => KeyCodeOrd::BackTab,
            "space" => KeyCodeOrd::Char(' '),
            "up" => KeyCodeOrd::Up,
            "down" => KeyCodeOrd::Down,
            "left" => KeyCodeOrd::Left,
            "right" => KeyCodeOrd::Right,
            "home" => KeyCodeOrd::Home,
            "end" => KeyCodeOrd::End,
            "pgup" => KeyCodeOrd::PageUp,
            "pgdn" => KeyCodeOrd::PageDown,
            "backspace" => KeyCodeOrd::Backspace,
            "delete" => KeyCodeOrd::Delete,
            f if f.starts_with('f') && f.len() > 1 => {
                KeyCodeOrd::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
            }
            c if c.chars().count() == 1 => {
                let ch = c.chars().next()?;
                // ctrl letters are reported lower case.
                KeyCodeOrd::Char(if ctrl { ch.to_ascii_lowercase() } else { ch })
            }
            _ => return None,
        };
        Some(Key { code, ctrl, alt })
    }

    pub fn from_event(e: &KeyEvent) -> Option<Key> {
        let code = match e.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(if e.modifiers.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            }),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Enter,
            KeyCode::Esc => KeyCodeOrd::Esc,
            KeyCode::Tab => KeyCodeOrd::Tab,
            KeyCode::BackTab => KeyCodeOrd::BackTab,
            KeyCode::Up => KeyCodeOrd::Up,
            KeyCode::Down => KeyCodeOrd::Down,
            KeyCode::Left => KeyCodeOrd::Left,
            KeyCode::Right => KeyCodeOrd::Right,
            KeyCode::Home => KeyCodeOrd::Home,
            KeyCode::End => KeyCodeOrd::End,
            KeyCode::PageUp => KeyCodeOrd::PageUp,
            KeyCode::PageDown => KeyCodeOrd::PageDown,
            KeyCode::Backspace => KeyCodeOrd::Backspace,
            KeyCode::Delete => KeyCodeOrd::Delete,
            _ => return None,
        };
        Some(Key {
            code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// As written in the keymap and shown in help.
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.ctrl {
            s.push_str("ctrl-");
        }
        if self.alt {
            s.push_str("alt-");
        }
        s.push_str(&match self.code {
            KeyCodeOrd::Char(' ') => "space".to_string(),
            KeyCodeOrd::Char(c) => c.to_string(),
            KeyCodeOrd::F(n) => format!("f{n}"),
            KeyCodeOrd::Enter => "enter".into(),
            KeyCodeOrd::Esc => "esc".into(),
            KeyCodeOrd::Tab => "tab".into(),
            KeyCodeOrd::BackTab => "backtab".into(),
            KeyCodeOrd::Up => "up".into(),
            KeyCodeOrd::Down => "down".into(),
            KeyCodeOrd::Left => "left".into(),
            KeyCodeOrd::Right => "right".into(),
            KeyCodeOrd::Home => "home".into(),
            KeyCodeOrd::End => "end".into(),
            KeyCodeOrd::PageUp => "pgup".into(),
            KeyCodeOrd::PageDown => "pgdn".into(),
            KeyCodeOrd::Backspace => "backspace".into(),
            KeyCodeOrd::Delete => "delete".into(),
        });
        s
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keymap {
    pub normal: BTreeMap<Key, Command>,
    pub detail: BTreeMap<Key, Command>,
}

impl Keymap {
    /// The defaults with the user's table merged over them, and a warning per bad entry.
    pub fn load(user: &toml::Table) -> (Keymap, Vec<String>) {
        let defaults: toml::Table = toml::from_str(DEFAULTS).expect("assets/keymap.toml parses");
        let mut km = Keymap::default();
        let mut warnings = Vec::new();
        merge(&mut km, &defaults, "assets/keymap.toml", &mut warnings);
        debug_assert!(warnings.is_empty(), "defaults are valid: {warnings:?}");
        merge(&mut km, user, "[keymap]", &mut warnings);
        (km, warnings)
    }

    pub fn defaults() -> Keymap {
        Keymap::load(&toml::Table::new()).0
    }

    pub fn lookup(&self, mode: KeyMode, e: &KeyEvent) -> Option<Command> {
        let key = Key::from_event(e)?;
        self.map(mode).get(&key).copied()
    }

    pub fn map(&self, mode: KeyMode) -> &BTreeMap<Key, Command> {
        match mode {
            KeyMode::Normal => &self.normal,
            KeyMode::Detail => &self.detail,
        }
    }

    /// The simplest key for `cmd` (no modifier, shortest), for hints.
    pub fn key_for(&self, mode: KeyMode, cmd: Command) -> Option<String> {
        self.map(mode)
            .iter()
            .filter(|(_, c)| **c == cmd)
            .min_by_key(|(k, _)| (k.ctrl || k.alt, k.label().len()))
            .map(|(k, _)| k.label())
    }
}

fn merge(km: &mut Keymap, table: &toml::Table, source: &str, warnings: &mut Vec<String>) {
    for (mode_name, entries) in table {
        let mode = match mode_name.as_str() {
            "normal" => KeyMode::Normal,
            "detail" => KeyMode::Detail,
            other => {
                warnings.push(format!(
                    "{source}: unknown key mode '{other}' (modes: normal, detail)"
                ));
                continue;
            }
        };
        let Some(entries) = entries.as_table() else {
            warnings.push(format!(
                "{source}: [{mode_name}] should be a table of \"key\" = \"command\""
            ));
            continue;
        };
        for (key, cmd) in entries {
            let Some(k) = Key::parse(key) else {
                warnings.push(format!("{source}.{mode_name}: '{key}' is not a key name"));
                continue;
            };
            let map = match mode {
                KeyMode::Normal => &mut km.normal,
                KeyMode::Detail => &mut km.detail,
            };
            match cmd.as_str() {
                Some("none") => {
                    map.remove(&k);
                }
                Some(name) => match Command::from_name(name) {
                    Some(c) => {
                        map.insert(k, c);
                    }
                    None => warnings.push(format!(
                        "{source}.{mode_name}: '{key}' = '{name}': no such command"
                    )),
                },
                None => warnings.push(format!(
                    "{source}.{mode_name}: '{key}' should name a command"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn defaults_bind_the_documented_keys() {
        let km = Keymap::defaults();
        assert_eq!(
            km.lookup(
                KeyMode::Normal,
                &key(KeyCode::Char('j'), KeyModifiers::NONE)
            ),
            Some(Command::Down)
        );
        assert_eq!(
            km.lookup(
                KeyMode::Normal,
                &key(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Command::Bottom)
        );
        assert_eq!(
            km.lookup(
                KeyMode::Normal,
                &key(KeyCode::Char('p'), KeyModifiers::CONTROL)
            ),
            Some(Command::Palette)
        );
        assert_eq!(
            km.lookup(
                KeyMode::Normal,
                &key(KeyCode::Char(' '), KeyModifiers::NONE)
            ),
            Some(Command::Mark)
        );
        assert_eq!(
            km.key_for(KeyMode::Normal, Command::Filter).as_deref(),
            Some("/")
        );
    }

    #[test]
    fn no_dangerous_command_sits_on_a_navigation_key() {
        let km = Keymap::defaults();
        let nav = [
            "j", "k", "g", "G", "up", "down", "pgup", "pgdn", "home", "end", "enter", "esc",
            "space", "tab", "1", "2", "3", "4",
        ];
        for (k, c) in &km.normal {
            if nav.contains(&k.label().as_str()) {
                assert!(!c.changes(), "{} is bound to {}", k.label(), c.name());
            }
        }
    }

    #[test]
    fn user_entries_merge_and_bad_ones_warn() {
        let user: toml::Table = toml::from_str(
            r#"
[normal]
"n" = "down"
"j" = "none"
"ctrl-x" = "explode"
"hyper-q" = "quit"
[insert]
"a" = "up"
"#,
        )
        .unwrap();
        let (km, warnings) = Keymap::load(&user);
        assert_eq!(
            km.lookup(
                KeyMode::Normal,
                &key(KeyCode::Char('n'), KeyModifiers::NONE)
            ),
            Some(Command::Down)
        );
        assert_eq!(
            km.lookup(
                KeyMode::Normal,
                &key(KeyCode::Char('j'), KeyModifiers::NONE)
            ),
            None
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings
            .iter()
            .any(|w| w.contains("'explode': no such command")));
        assert!(warnings
            .iter()
            .any(|w| w.contains("'hyper-q' is not a key name")));
        assert!(warnings
            .iter()
            .any(|w| w.contains("unknown key mode 'insert'")));
    }
}
