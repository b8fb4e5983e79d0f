//! The command palette: fuzzy matching (nucleo) over what applies here, then inline prompts.

use super::stage::{open_stage, rematch};
use super::text::edit;
use super::Next;
use crate::command::Command;
use crate::domain::ResourceKind;
use crate::effect::Effect;
use crate::inventory::SortKey;
use crate::ops::{policy, Refusal};
use crate::panes::PANES;
use crate::state::{Mode, Palette, PaletteItem, PaletteStage, State};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
        Some(K::Network) => &[],
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
    out.extend(super::scope::view_items(s));
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

/// The palette with only the pane's sort columns (`s`): type a few letters, Enter sorts.
pub fn sort_by(s: &mut State) {
    let items: Vec<PaletteItem> = PANES[s.pane]
        .columns()
        .iter()
        .filter_map(|c| c.sort)
        .map(|field| PaletteItem::Sort { field, desc: false })
        .collect();
    if items.is_empty() {
        s.info("this pane has no columns to sort by");
        return;
    }
    open_stage(s, PaletteStage::Commands { items });
}

pub fn open(s: &mut State) {
    let items = items(s);
    open_stage(s, PaletteStage::Commands { items });
}

/// A key in the palette; choosing a command or a target leaves it to the reducer ([`Next`]).
pub fn key(s: &mut State, k: KeyEvent, fx: &mut Vec<Effect>) -> Option<Next> {
    let Mode::Palette(p) = &mut s.mode else {
        return None;
    };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Esc => s.mode = Mode::Normal,
        KeyCode::Down | KeyCode::Tab => move_sel(p, 1),
        KeyCode::Char('n') if ctrl => move_sel(p, 1),
        KeyCode::Up | KeyCode::BackTab => move_sel(p, -1),
        KeyCode::Char('p') if ctrl => move_sel(p, -1),
        KeyCode::Enter => return enter(s, fx),
        _ => {
            if edit(&mut p.input, &k) {
                p.error = None;
                rematch(p);
            }
        }
    }
    None
}

fn move_sel(p: &mut Palette, d: i64) {
    if p.matches.is_empty() {
        return;
    }
    let n = p.matches.len() as i64;
    p.selected = ((p.selected as i64 + d).rem_euclid(n)) as usize;
}

fn enter(s: &mut State, fx: &mut Vec<Effect>) -> Option<Next> {
    let Mode::Palette(p) = &mut s.mode else {
        return None;
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
            return Some(Next::Tags(text));
        }
        (
            PaletteStage::Text {
                cmd: cmd @ (Command::AddRule | Command::RemoveRule),
                ..
            },
            _,
        ) => {
            let (cmd, text) = (*cmd, p.input.clone());
            s.mode = Mode::Normal;
            return Some(Next::Rule(cmd, text));
        }
        (
            PaletteStage::Text {
                cmd: Command::ViewSave,
                ..
            },
            _,
        ) => {
            let name = p.input.trim().to_string();
            s.mode = Mode::Normal;
            super::scope::view_save(s, &name, fx);
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
                PaletteItem::Command(c) => return Some(Next::Run(c)),
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
                PaletteItem::View { name, .. } => super::scope::apply_view(s, &name),
                PaletteItem::Scope { scope, .. } => super::filter::set_scope(s, scope),
            }
        }
        (PaletteStage::Pick { cmd, items, .. }, Some(i)) => {
            let (cmd, target) = (*cmd, items[i].target.clone());
            s.mode = Mode::Normal;
            return target.map(|t| Next::Picked(cmd, t));
        }
    }
    None
}
