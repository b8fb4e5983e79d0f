//! The command palette: fuzzy matching (nucleo) over what applies here, then inline prompts.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::text::edit;
use crate::command::Command;
use crate::domain::ResourceKind;
use crate::effect::Effect;
use crate::inventory::SortKey;
use crate::ops::{policy, Refusal};
use crate::panes::PANES;
use crate::state::{Mode, Palette, PaletteItem, PaletteStage, State};

/// Filter presets per pane kind.
fn presets(kind: Option<ResourceKind>) -> Vec<PaletteItem> {
    use crate::domain::ResourceKind as K;
    let list: &[(&str, &str)] = match kind {
        Some(K::Instance) => &[
            ("running", "state:running"),
            ("stopped", "state:stopped"),
            ("spot", "spot:true"),
            ("production", "tag:env=prod"),
            ("untagged owner", "!tag:owner"),
        ],
        Some(K::Disk) => &[
            ("unattached", "state:available"),
            ("in use", "state:in-use"),
            ("production", "tag:env=prod"),
        ],
        Some(K::LoadBalancer) => &[("active", "state:active"), ("production", "tag:env=prod")],
        None => &[],
    };
    list.iter()
        .map(|(label, filter)| PaletteItem::Preset { label, filter })
        .collect()
}

/// What the palette offers on this pane, selection and mode.
pub fn items(s: &State) -> Vec<PaletteItem> {
    let kind = s.kind();
    let has_row = s.current().selected_ref(&s.inventory).is_some();
    let mut out: Vec<PaletteItem> = Command::ALL
        .into_iter()
        .filter(|c| {
            !matches!(
                c,
                Command::Palette
                    | Command::Up
                    | Command::Down
                    | Command::PageUp
                    | Command::PageDown
                    | Command::Top
                    | Command::Bottom
                    | Command::Back
            )
        })
        .filter(|c| {
            c.kinds()
                .is_none_or(|ks| kind.is_some_and(|k| ks.contains(&k)))
        })
        .filter(|c| !c.needs_selection() || has_row || kind.is_none())
        // A finding's saving is taken where findings are: the Costs pane.
        .filter(|c| *c != Command::ApplyFinding || kind.is_none())
        .filter(|c| !c.changes() || offered(s, *c, kind).is_ok())
        .map(PaletteItem::Command)
        .collect();
    out.extend(presets(kind));
    for c in PANES[s.pane].columns() {
        if let Some(field) = c.sort {
            out.push(PaletteItem::Sort { field, desc: false });
        }
    }
    out
}

/// Does some account allow what `cmd` does on a pane of `kind`? The policy decides; the
/// refusal given is the selected row's account's (what running it there would say), else the
/// first account's.
pub fn offered(s: &State, cmd: Command, kind: Option<ResourceKind>) -> Result<(), Refusal> {
    let ask = |a: &crate::state::AccountView| match cmd.op(kind) {
        Some(op) => policy::allows(&a.info, &a.caps, op),
        None => policy::writable(&a.info),
    };
    if s.accounts.iter().any(|a| ask(a).is_ok()) {
        return Ok(());
    }
    let row_account = s
        .current()
        .selected_ref(&s.inventory)
        .and_then(|r| s.account(&r.account));
    match row_account.or(s.accounts.first()) {
        Some(a) => ask(a),
        None => Ok(()),
    }
}

pub fn open(s: &mut State) {
    let items = items(s);
    open_stage(s, PaletteStage::Commands { items });
}

pub fn open_stage(s: &mut State, stage: PaletteStage) {
    let mut p = Palette {
        input: String::new(),
        stage,
        matches: Vec::new(),
        selected: 0,
        error: None,
    };
    rematch(&mut p);
    s.mode = Mode::Palette(p);
}

fn labels(stage: &PaletteStage) -> Vec<String> {
    match stage {
        PaletteStage::Commands { items } => items
            .iter()
            .map(|i| match i {
                PaletteItem::Command(c) if !c.aliases().is_empty() => {
                    format!("{} {}", c.name(), c.aliases().join(" "))
                }
                _ => i.label(),
            })
            .collect(),
        PaletteStage::Pick { items, .. } => items
            .iter()
            .map(|i| format!("{} {}", i.label, i.detail))
            .collect(),
        PaletteStage::Text { .. } => Vec::new(),
    }
}

/// Rank the stage's items against the input, best first; all of them, in order, when empty.
pub fn rematch(p: &mut Palette) {
    let labels = labels(&p.stage);
    p.matches = if p.input.trim().is_empty() {
        (0..labels.len()).collect()
    } else {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let pattern = Pattern::parse(&p.input, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = labels
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                pattern
                    .score(Utf32Str::new(l, &mut buf), &mut matcher)
                    .map(|sc| (sc, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    };
    p.selected = 0;
}

pub fn key(s: &mut State, k: KeyEvent, fx: &mut Vec<Effect>) {
    let Mode::Palette(p) = &mut s.mode else {
        return;
    };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Esc => s.mode = Mode::Normal,
        KeyCode::Down | KeyCode::Tab => move_sel(p, 1),
        KeyCode::Char('n') if ctrl => move_sel(p, 1),
        KeyCode::Up | KeyCode::BackTab => move_sel(p, -1),
        KeyCode::Char('p') if ctrl => move_sel(p, -1),
        KeyCode::Enter => enter(s, fx),
        _ => {
            if edit(&mut p.input, &k) {
                p.error = None;
                rematch(p);
            }
        }
    }
}

fn move_sel(p: &mut Palette, d: i64) {
    if p.matches.is_empty() {
        return;
    }
    let n = p.matches.len() as i64;
    p.selected = ((p.selected as i64 + d).rem_euclid(n)) as usize;
}

fn enter(s: &mut State, fx: &mut Vec<Effect>) {
    let Mode::Palette(p) = &mut s.mode else {
        return;
    };
    let chosen = p.matches.get(p.selected).copied();
    match (&p.stage, chosen) {
        (
            PaletteStage::Text {
                cmd: Command::EditTags,
                ..
            },
            _,
        ) => {
            let text = p.input.clone();
            s.mode = Mode::Normal;
            if let Err(e) = super::commands::tags_entered(s, &text) {
                open_stage(
                    s,
                    PaletteStage::Text {
                        cmd: Command::EditTags,
                        prompt: "tags (k=v sets, -k removes)".into(),
                    },
                );
                if let Mode::Palette(p) = &mut s.mode {
                    p.input = text;
                    p.error = Some(e);
                }
            }
        }
        (PaletteStage::Text { .. }, _) => s.mode = Mode::Normal,
        (_, None) => {
            let what = if p.input.is_empty() {
                "nothing to choose".to_string()
            } else {
                format!("no command matches '{}'", p.input)
            };
            p.error = Some(what);
        }
        (PaletteStage::Commands { items }, Some(i)) => {
            let item = items[i].clone();
            s.mode = Mode::Normal;
            match item {
                PaletteItem::Command(c) => super::commands::run_command(s, c, fx),
                PaletteItem::Preset { filter, .. } => super::filter::set(s, filter.to_string()),
                PaletteItem::Sort { field, desc } => {
                    let inv = &s.inventory;
                    let p = &mut s.panes[s.pane];
                    p.sort.0 = vec![SortKey { field, desc }];
                    if let Some(col) = PANES[s.pane]
                        .columns()
                        .iter()
                        .position(|c| c.sort == Some(field))
                    {
                        p.sort_column = col;
                    }
                    p.refresh(inv, true);
                }
            }
        }
        (PaletteStage::Pick { cmd, items, .. }, Some(i)) => {
            let (cmd, target) = (*cmd, items[i].target.clone());
            s.mode = Mode::Normal;
            if let Some(target) = target {
                super::pickers::picked(s, cmd, &target);
            }
        }
    }
}
