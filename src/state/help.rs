//! The help overlay's lines, generated from the keymap: the renderer draws them and the
//! reducer knows how far they scroll.

use crate::command::Command;
use crate::keymap::{KeyMode, Keymap};

#[derive(Debug, Clone, PartialEq)]
pub enum HelpLine {
    Title(&'static str),
    /// Keys (joined), the command.
    Entry(String, Command),
    Blank,
    Note(String),
}

/// The filter's line: its `field:value` words come from the filter language itself.
pub fn filter_note() -> String {
    let fields: Vec<&str> = crate::filter::Field::ALL.iter().map(|(n, _)| *n).collect();
    format!(
        "filter: free text, field:value ({}), tag:K=V, spot:true, network:NAME, ! negates, * globs",
        fields.join(" ")
    )
}

pub const DETAIL_NOTE: &str = "detail view: / searches, n next match, N previous (both wrap round the end); Tab chooses a related resource, Enter opens it, Esc goes back";

pub fn help_lines(keymap: &Keymap) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    for (mode, title) in [
        (KeyMode::Normal, "tables:"),
        (KeyMode::Detail, "detail view:"),
    ] {
        lines.push(HelpLine::Title(title));
        let mut by_cmd: Vec<(Command, Vec<String>)> = Vec::new();
        for (k, c) in keymap.map(mode) {
            match by_cmd.iter_mut().find(|(x, _)| x == c) {
                Some((_, keys)) => keys.push(k.label()),
                None => by_cmd.push((*c, vec![k.label()])),
            }
        }
        by_cmd.sort_by_key(|(c, _)| *c);
        for (c, keys) in by_cmd {
            lines.push(HelpLine::Entry(keys.join(" "), c));
        }
        lines.push(HelpLine::Blank);
    }
    lines.push(HelpLine::Title("palette only:"));
    for c in Command::ALL {
        if keymap.key_for(KeyMode::Normal, c).is_none() {
            lines.push(HelpLine::Entry(":".into(), c));
        }
    }
    lines.push(HelpLine::Blank);
    lines.push(HelpLine::Note(DETAIL_NOTE.into()));
    lines.push(HelpLine::Note(filter_note()));
    lines
}
