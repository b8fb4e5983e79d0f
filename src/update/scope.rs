//! `:ctx` / `:scope`: keep every pane to one account, provider or region; and saved views
//! (`[[views]]` in the config): a pane with its filter, sort and scope, from the palette.

use std::collections::BTreeSet;

use crate::config::{ScopeKind, ScopeSel, View};
use crate::inventory::{Row, SortKeys};
use crate::panes::PANES;
use crate::state::{Mode, PaletteItem, PaletteStage, State};

/// The scope picker: all, then each account, provider and region configured or seen. Esc
/// leaves the scope as it is.
pub fn open_picker(s: &mut State) {
    let current = |sc: &Option<ScopeSel>| {
        if *sc == s.scope {
            " (current)"
        } else {
            ""
        }
    };
    let mut items = vec![PaletteItem::Scope {
        scope: None,
        detail: format!("every account, provider and region{}", current(&None)),
    }];
    for a in &s.accounts {
        let sc = Some(ScopeSel {
            kind: ScopeKind::Account,
            value: a.info.name.to_string(),
        });
        let detail = format!("{} account{}", a.info.provider.as_str(), current(&sc));
        items.push(PaletteItem::Scope { scope: sc, detail });
    }
    let providers: BTreeSet<&str> = s
        .accounts
        .iter()
        .map(|a| a.info.provider.as_str())
        .collect();
    for p in providers {
        let sc = Some(ScopeSel {
            kind: ScopeKind::Provider,
            value: p.to_string(),
        });
        let detail = format!("every {p} account{}", current(&sc));
        items.push(PaletteItem::Scope { scope: sc, detail });
    }
    for r in regions(s) {
        let sc = Some(ScopeSel {
            kind: ScopeKind::Region,
            value: r,
        });
        let detail = format!("region, every account{}", current(&sc));
        items.push(PaletteItem::Scope { scope: sc, detail });
    }
    super::stage::open_stage(s, PaletteStage::Commands { items });
}

/// Every region a row is in, plus the regions the accounts' offerings name.
fn regions(s: &State) -> BTreeSet<String> {
    fn add<T: Row>(out: &mut BTreeSet<String>, t: &crate::inventory::Table<T>) {
        for (_, r) in t.positions() {
            let region = &r.resource_ref().region;
            if !region.is_empty() && !out.contains(region.as_ref() as &str) {
                out.insert(region.to_string());
            }
        }
    }
    let mut out = BTreeSet::new();
    add(&mut out, &s.inventory.instances);
    add(&mut out, &s.inventory.disks);
    add(&mut out, &s.inventory.load_balancers);
    out
}

/// The saved views, one palette line each.
pub fn view_items(s: &State) -> Vec<PaletteItem> {
    s.views
        .iter()
        .map(|v| {
            let mut summary = crate::config::pane_word(v.pane).to_string();
            if !v.filter.is_empty() {
                summary.push_str(&format!(" · {}", v.filter));
            }
            if let Some(sort) = &v.sort {
                summary.push_str(&format!(" · sort {sort}"));
            }
            if let Some(sc) = &v.scope {
                summary.push_str(&format!(" · {sc}"));
            }
            PaletteItem::View {
                name: v.name.clone(),
                summary,
            }
        })
        .collect()
}

/// Switch to the view's pane and set its scope, sort and filter.
pub fn apply_view(s: &mut State, name: &str) {
    let Some(v) = s.views.iter().find(|v| v.name == name).cloned() else {
        s.warn(format!("no view named '{name}'"));
        return;
    };
    let Some(i) = s.panes.iter().position(|p| p.kind == v.pane) else {
        return;
    };
    s.pane = i;
    if let Some(sort) = &v.sort {
        if let Ok(keys) = SortKeys::parse(sort) {
            let inv = &s.inventory;
            let p = &mut s.panes[i];
            if let Some(first) = keys.0.first() {
                if let Some(col) = PANES[i]
                    .columns()
                    .iter()
                    .position(|c| c.sort == Some(first.field))
                {
                    p.sort_column = col;
                }
            }
            p.sort = keys;
            if p.kind.is_some() {
                p.refresh(inv, true);
            }
        }
    }
    super::filter::set_scope(s, v.scope.clone());
    super::filter::set_on(s, i, v.filter.clone());
    s.info(format!("view {}", v.name));
}

/// The TOML that saves what is shown now as a view named `name`: copied to the clipboard
/// (OSC 52) and in the message line; nephos does not write its config.
pub fn view_save(s: &mut State, name: &str, fx: &mut Vec<crate::effect::Effect>) {
    if name.is_empty() {
        s.warn("view-save needs a name");
        return;
    }
    let p = s.current();
    let sort = p
        .sort
        .0
        .iter()
        .map(|k| format!("{}{}", k.field.name(), if k.desc { ":desc" } else { "" }))
        .collect::<Vec<_>>()
        .join(",");
    let v = View {
        name: name.to_string(),
        pane: p.kind,
        filter: p.filter_text.clone(),
        sort: (!sort.is_empty()).then_some(sort),
        scope: s.scope.clone(),
    };
    let toml = v.toml();
    s.info(format!(
        "view {name:?} copied to the clipboard: paste it into the config (esc closes)"
    ));
    s.mode = Mode::Text {
        title: format!("view {name:?}: add it to the config file"),
        lines: toml.lines().map(String::from).collect(),
        scroll: 0,
    };
    fx.push(crate::effect::Effect::Copy(toml));
}
