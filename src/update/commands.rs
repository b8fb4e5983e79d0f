//! What each command does to the state.

use crate::command::Command;
use crate::domain::{InstanceState, Resource, ResourceKind};
use crate::effect::Effect;
use crate::inventory::SortKey;
use crate::ops::{policy, Request};
use crate::panes::{index_of, PANES};
use crate::providers::InstanceAction;
use crate::state::{Detail, Form, FormKind, Mode, PaletteStage, State, ThemeName};

use super::plan::{confirm, confirm_noting, targets};
use super::{palette, pickers, stage};

pub fn run_command(s: &mut State, cmd: Command, fx: &mut Vec<Effect>) {
    let kind = s.kind();
    if kind.is_none() && super::costs::command(s, cmd, fx) {
        return;
    }
    if let Some(kinds) = cmd.kinds() {
        if !kind.is_some_and(|k| kinds.contains(&k)) {
            s.warn(format!(
                "{} does not apply to {}",
                cmd.name(),
                PANES[s.pane].title().to_lowercase()
            ));
            return;
        }
    }
    if cmd.changes() {
        if let Err(why) = palette::offered(s, cmd, kind) {
            s.warn(format!("refused: {why}"));
            return;
        }
    }
    let height = s.body_height();
    match cmd {
        Command::Up => move_by(s, -1),
        Command::Down => move_by(s, 1),
        Command::PageUp => move_by(s, -(height as i64)),
        Command::PageDown => move_by(s, height as i64),
        Command::Top => move_by(s, i64::MIN / 2),
        Command::Bottom => move_by(s, i64::MAX / 2),
        Command::PaneInstances => switch(s, index_of(Some(ResourceKind::Instance))),
        Command::PaneDisks => switch(s, index_of(Some(ResourceKind::Disk))),
        Command::PaneLoadBalancers => switch(s, index_of(Some(ResourceKind::LoadBalancer))),
        Command::PaneCosts => switch(s, index_of(None)),
        Command::PaneNetworks => switch(s, index_of(Some(ResourceKind::Network))),
        Command::NextPane => switch(s, (s.pane + 1) % PANES.len()),
        Command::PrevPane => switch(s, (s.pane + PANES.len() - 1) % PANES.len()),
        // Every pane filters; the Costs pane's filter chooses the resources it counts.
        Command::Filter => s.mode = Mode::Filter,
        Command::Palette => palette::open(s),
        Command::Help => {
            s.mode = Mode::Help {
                scroll: 0,
                back: None,
            }
        }
        Command::Mark => {
            if let Some(r) = s.current().selected_ref(&s.inventory) {
                let p = s.current_mut();
                if !p.marks.remove(&r) {
                    p.marks.insert(r);
                }
                move_by(s, 1);
            }
        }
        Command::MarkAll => {
            let inv = &s.inventory;
            let p = &mut s.panes[s.pane];
            if !p.marks.is_empty() {
                p.marks.clear();
            } else {
                let all: Vec<_> = (0..p.rows.len()).filter_map(|i| p.ref_at(inv, i)).collect();
                p.marks.extend(all);
            }
            let n = p.marks.len();
            s.info(format!("{n} marked"));
        }
        Command::Back => {
            let p = s.current_mut();
            if !p.marks.is_empty() {
                p.marks.clear();
            } else if !p.filter_text.is_empty() {
                super::filter::set(s, String::new());
            }
        }
        Command::Open => {
            s.detail_back.clear();
            if let Some(r) = s.current().selected_ref(&s.inventory) {
                s.mode = Mode::Detail(Detail::new(r.clone()));
                if r.kind.describable() {
                    fx.push(Effect::Describe(r));
                }
            }
        }
        Command::CopyId => {
            if let Some(r) = s.current().selected_ref(&s.inventory) {
                s.info(format!("copied {}", r.id));
                fx.push(Effect::Copy(r.id.to_string()));
            }
        }
        Command::Refresh => {
            s.info("refreshing every account");
            fx.push(Effect::RefreshNow);
        }
        Command::SortNext => sort_next(s),
        Command::SortBy => palette::sort_by(s),
        Command::SortReverse => {
            let p = s.current_mut();
            if let Some(k) = p.sort.0.first_mut() {
                k.desc = !k.desc;
            }
            let inv = &s.inventory;
            s.panes[s.pane].refresh(inv, true);
        }
        Command::ToggleTheme => {
            s.theme = match s.theme {
                ThemeName::Dark => ThemeName::Light,
                ThemeName::Light => ThemeName::Dark,
                ThemeName::Mono => ThemeName::Mono,
            };
            if s.theme == ThemeName::Mono {
                s.info("monochrome (NO_COLOR or --no-color): no theme to switch");
            }
        }
        Command::Quit => super::ops::quit(s, fx),
        Command::Start => instance_action(s, InstanceAction::Start),
        Command::Stop => instance_action(s, InstanceAction::Stop),
        Command::Reboot => instance_action(s, InstanceAction::Reboot),
        Command::PowerOff => instance_action(s, InstanceAction::PowerOff),
        Command::Delete => delete(s),
        Command::CreateInstance => form(s, FormKind::Instance),
        Command::CreateDisk => form(s, FormKind::Disk),
        Command::CreateLoadBalancer => form(s, FormKind::LoadBalancer),
        Command::AttachDisk => pickers::attach(s),
        Command::DetachDisk => {
            let disks: Vec<_> = targets(s)
                .into_iter()
                .filter_map(|r| match r {
                    Resource::Disk(d) if d.attached_to.is_some() => Some(d),
                    _ => None,
                })
                .collect();
            if disks.is_empty() {
                s.warn("detach-disk: the selected disk is not attached");
                return;
            }
            let reqs = disks
                .into_iter()
                .map(|disk| Request::DetachDisk { disk })
                .collect();
            confirm(s, reqs);
        }
        Command::Register => pickers::register(s),
        Command::Deregister => pickers::deregister(s),
        Command::ApplyFinding => s.warn("apply-finding works in the Costs pane"),
        Command::Compare => pickers::compare(s),
        Command::Errors => pickers::errors(s),
        Command::Operations => {
            s.mode = Mode::Operations { scroll: 0 };
            s.unseen_failures = 0;
            s.journal = None;
            fx.push(Effect::LoadJournal);
        }
        Command::Scope => super::scope::open_picker(s),
        Command::ViewSave => stage::open_stage(
            s,
            PaletteStage::Text {
                cmd,
                prompt: "view name".into(),
            },
        ),
        Command::AddRule | Command::RemoveRule => super::network_actions::open_rule(s, cmd),
        Command::EditTags => {
            if targets(s).is_empty() {
                return;
            }
            stage::open_stage(
                s,
                PaletteStage::Text {
                    cmd,
                    prompt: "tags (k=v sets, -k removes)".into(),
                },
            );
        }
    }
}

fn move_by(s: &mut State, delta: i64) {
    let p = s.current_mut();
    p.moved = true;
    let last = p.rows.len().saturating_sub(1) as i64;
    p.selected = (p.selected as i64 + delta).clamp(0, last.max(0)) as usize;
}

fn switch(s: &mut State, pane: usize) {
    s.pane = pane;
    let inv = &s.inventory;
    let p = &mut s.panes[pane];
    if p.kind.is_some() && p.sorted_at != inv.rows_generation {
        p.refresh(inv, false);
    }
}

fn sort_next(s: &mut State) {
    let cols = PANES[s.pane].columns();
    if cols.is_empty() {
        return;
    }
    let p = s.current_mut();
    let mut i = p.sort_column;
    for _ in 0..cols.len() {
        i = (i + 1) % cols.len();
        if cols[i].sort.is_some() {
            break;
        }
    }
    let field = cols[i].sort.expect("a sortable column");
    p.sort_column = i;
    p.sort.0 = vec![SortKey { field, desc: false }];
    let title = cols[i].title;
    let inv = &s.inventory;
    s.panes[s.pane].refresh(inv, true);
    s.info(format!("sorted by {}", title.to_lowercase()));
}

fn instance_action(s: &mut State, action: InstanceAction) {
    let reqs: Vec<Request> = targets(s)
        .into_iter()
        .filter_map(|r| match r {
            Resource::Instance(i) => Some(Request::Instance { target: i, action }),
            _ => None,
        })
        .collect();
    confirm(s, reqs);
}

fn delete(s: &mut State) {
    let mut terminated = 0;
    let mut kept: Vec<String> = Vec::new();
    let reqs: Vec<Request> = targets(s)
        .into_iter()
        .filter_map(|r| match r {
            Resource::Instance(i) if i.state != InstanceState::Terminated => {
                Some(Request::Instance {
                    target: i,
                    action: InstanceAction::Terminate,
                })
            }
            Resource::Instance(_) => {
                terminated += 1;
                None
            }
            Resource::Disk(disk) => Some(Request::DeleteDisk { disk }),
            Resource::LoadBalancer(lb) => Some(Request::DeleteLoadBalancer { lb }),
            Resource::Network(row) => match super::network_actions::delete_request(&row) {
                Ok(req) => Some(req),
                Err(why) => {
                    kept.push(why);
                    None
                }
            },
        })
        .collect();
    let mut skipped = if terminated > 0 {
        vec![format!(
            "{terminated} skipped: already terminated (nothing to do)"
        )]
    } else {
        Vec::new()
    };
    skipped.extend(kept);
    confirm_noting(s, reqs, skipped);
}

fn form(s: &mut State, kind: FormKind) {
    let preset = s
        .current()
        .selected_ref(&s.inventory)
        .map(|r| r.account.to_string())
        .filter(|a| {
            s.account(a)
                .is_some_and(|a| policy::writable(&a.info).is_ok())
        });
    s.mode = Mode::Form(Form::new(kind, &s.accounts, &s.shapes, preset.as_deref()));
}

/// The palette's tags text: asked for every target, or the palette again with what was wrong.
pub fn tags(s: &mut State, text: String) {
    if let Err(e) = tags_entered(s, &text) {
        stage::open_stage(
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

/// `k=v -k` tags for every target.
fn tags_entered(s: &mut State, text: &str) -> Result<(), String> {
    let mut set = crate::domain::Tags::new();
    let mut remove = Vec::new();
    for part in text.split_whitespace() {
        if let Some(k) = part.strip_prefix('-') {
            remove.push(k.to_string());
        } else if let Some((k, v)) = part.split_once('=').filter(|(k, _)| !k.is_empty()) {
            set.insert(k, v);
        } else {
            return Err(format!("'{part}' is neither k=v nor -k"));
        }
    }
    if set.is_empty() && remove.is_empty() {
        return Err("type k=v to set a tag or -k to remove one".into());
    }
    let reqs = targets(s)
        .into_iter()
        .map(|target| Request::Tag {
            target,
            set: set.clone(),
            remove: remove.clone(),
        })
        .collect();
    confirm(s, reqs);
    Ok(())
}
