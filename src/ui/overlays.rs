//! Everything drawn over or instead of the table: palette, confirmation, forms, detail, help.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::theme::Theme;
use super::{centered, line};
use crate::command::Command;
use crate::format;
use crate::keymap::KeyMode;
use crate::state::{detail_lines, Confirm, Detail, Form, Palette, PaletteStage, State};

pub fn palette(f: &mut Frame, area: Rect, s: &State, p: &Palette, th: &Theme) {
    let h = (area.height * 2 / 3).max(8);
    let w = (area.width * 3 / 4).clamp(40, 110);
    let r = Rect {
        y: area.y + 1,
        ..centered(area, w, h)
    };
    f.render_widget(Clear, r);
    let title = match &p.stage {
        PaletteStage::Commands { .. } => " command ".to_string(),
        PaletteStage::Pick { prompt, .. } | PaletteStage::Text { prompt, .. } => {
            format!(" {prompt} ")
        }
    };
    let block = Block::bordered().title(title).border_style(th.accent);
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut lines = vec![line(vec![
        Span::styled("> ", th.key),
        Span::styled(p.input.clone(), th.text),
        Span::styled("▏", th.accent),
    ])];
    if let Some(e) = &p.error {
        lines.push(line(vec![Span::styled(e.clone(), th.bad)]));
    }
    let room = inner.height.saturating_sub(lines.len() as u16) as usize;
    let start = p.selected.saturating_sub(room.saturating_sub(1));
    match &p.stage {
        PaletteStage::Commands { items } => {
            for (n, &i) in p.matches.iter().enumerate().skip(start).take(room) {
                let item = &items[i];
                let key = match item {
                    crate::state::PaletteItem::Command(c) => {
                        s.keymap.key_for(KeyMode::Normal, *c).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                let style = if n == p.selected {
                    th.selected
                } else {
                    th.text
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {:<28}", item.label()), style),
                    Span::styled(format!("{key:<8}"), th.key),
                    Span::styled(
                        format::fit(&item.desc(), inner.width.saturating_sub(38) as usize),
                        th.dim,
                    ),
                ]));
            }
            if p.matches.is_empty() {
                lines.push(line(vec![Span::styled(
                    format!(" no command matches '{}'", p.input),
                    th.warn,
                )]));
            }
        }
        PaletteStage::Pick {
            cmd: Command::Errors,
            items,
            ..
        } => {
            // Failed actions in full: the action, then its error wrapped below it.
            let width = inner.width.saturating_sub(4).max(10) as usize;
            for (n, &i) in p.matches.iter().enumerate().skip(p.selected) {
                let style = if n == p.selected {
                    th.selected
                } else {
                    th.text
                };
                lines.push(line(vec![Span::styled(
                    format!(" {}", items[i].label),
                    style,
                )]));
                let chars: Vec<char> = items[i].detail.chars().collect();
                for chunk in chars.chunks(width) {
                    let text: String = chunk.iter().collect();
                    lines.push(line(vec![Span::styled(format!("   {text}"), th.bad)]));
                }
                if lines.len() as u16 >= inner.height {
                    break;
                }
            }
        }
        PaletteStage::Pick { items, .. } => {
            for (n, &i) in p.matches.iter().enumerate().skip(start).take(room) {
                let style = if n == p.selected {
                    th.selected
                } else {
                    th.text
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {:<26}", format::fit(&items[i].label, 26)), style),
                    Span::styled(
                        format::fit(&items[i].detail, inner.width.saturating_sub(28) as usize),
                        th.dim,
                    ),
                ]));
            }
            if p.matches.is_empty() {
                lines.push(line(vec![Span::styled(
                    format!(" nothing matches '{}'", p.input),
                    th.warn,
                )]));
            }
        }
        PaletteStage::Text { .. } => {
            lines.push(line(vec![Span::styled(
                " enter applies to the selected (or marked) rows",
                th.dim,
            )]));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn confirm(f: &mut Frame, area: Rect, c: &Confirm, th: &Theme) {
    let h = (c.plan.len() as u16 + 7).min(area.height);
    let w = (c.plan.iter().map(|l| l.len()).max().unwrap_or(20) as u16 + 8).clamp(44, area.width);
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let border = if c.dangerous { th.bad } else { th.accent };
    let block = Block::bordered()
        .title(format!(" {} ", c.title))
        .border_style(border);
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut lines: Vec<Line> = vec![Line::styled("This will:", th.text)];
    lines.extend(
        c.plan
            .iter()
            .map(|l| Line::styled(format!("  {l}"), th.text)),
    );
    lines.push(Line::raw(""));
    if let Some(name) = c.to_type.first() {
        lines.push(line(vec![
            Span::styled(format!("{name} is protected. Type its name: "), th.warn),
            Span::styled(c.input.clone(), th.text),
            Span::styled("▏", th.accent),
        ]));
    } else if c.dangerous {
        lines.push(line(vec![
            Span::styled("Proceed? ", th.text),
            Span::styled("[y/N]", th.bad),
        ]));
    } else {
        lines.push(line(vec![
            Span::styled("Proceed? ", th.text),
            Span::styled("[Y/n]", th.good),
        ]));
    }
    if let Some(e) = &c.error {
        lines.push(Line::styled(e.clone(), th.bad));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub fn form(f: &mut Frame, area: Rect, form: &Form, th: &Theme) {
    let h = (form.fields.len() as u16 + 5).min(area.height);
    let r = centered(area, 90.min(area.width), h);
    f.render_widget(Clear, r);
    let title = match form.kind {
        crate::state::FormKind::Instance => " create instance ",
        crate::state::FormKind::Disk => " create disk ",
        crate::state::FormKind::LoadBalancer => " create load balancer ",
    };
    let block = Block::bordered().title(title).border_style(th.accent);
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut lines = Vec::new();
    for (i, fld) in form.fields.iter().enumerate() {
        let focus = i == form.focus;
        let label = format!("{}{:<10}", if fld.required { "*" } else { " " }, fld.label);
        let mut spans = vec![
            Span::styled(label, if focus { th.key } else { th.dim }),
            Span::styled(fld.value.clone(), th.text),
        ];
        if focus {
            spans.push(Span::styled("▏", th.accent));
            // The choices that start with what is typed (all when none do), as many as fit.
            let typed = fld.value.trim();
            let starting: Vec<&str> = fld
                .choices
                .iter()
                .map(String::as_str)
                .filter(|c| c.starts_with(typed))
                .take(60)
                .collect();
            let shown: Vec<&str> = if starting.is_empty() {
                fld.choices.iter().map(String::as_str).take(60).collect()
            } else {
                starting
            };
            let hint = if shown.is_empty() {
                fld.hint.to_string()
            } else {
                format!("tab: {}", shown.join(" "))
            };
            spans.push(Span::styled(
                format!(
                    "  {}",
                    format::fit(&hint, inner.width.saturating_sub(30) as usize)
                ),
                th.dim,
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    if let Some(e) = &form.error {
        lines.push(Line::styled(e.clone(), th.bad));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn detail(f: &mut Frame, area: Rect, s: &State, d: &Detail, th: &Theme) {
    let block = Block::bordered()
        .title(format!(" {} ", d.target.id))
        .border_style(th.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let all = detail_lines(d, &s.inventory, &s.catalog);
    let needle = d.search.to_lowercase();
    let mut lines: Vec<Line> = all
        .iter()
        .skip(d.scroll)
        .take(inner.height.saturating_sub(1) as usize)
        .map(|l| {
            if !needle.is_empty() && l.to_lowercase().contains(&needle) {
                Line::styled(l.clone(), th.marked)
            } else {
                Line::styled(l.clone(), th.text)
            }
        })
        .collect();
    while lines.len() < inner.height.saturating_sub(1) as usize {
        lines.push(Line::raw(""));
    }
    let foot = if d.searching {
        format!("/{}▏", d.search)
    } else if !d.search.is_empty() {
        format!(
            "/{}  (n: next match)   line {}/{}",
            d.search,
            d.scroll + 1,
            all.len()
        )
    } else {
        format!("line {}/{}", d.scroll + 1, all.len())
    };
    lines.push(Line::styled(foot, th.dim));
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn help(f: &mut Frame, area: Rect, s: &State, scroll: usize, th: &Theme) {
    let block = Block::bordered()
        .title(" keys and commands ")
        .border_style(th.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    for (mode, title) in [
        (KeyMode::Normal, "tables"),
        (KeyMode::Detail, "detail view"),
    ] {
        lines.push(Line::styled(format!("{title}:"), th.header));
        let mut by_cmd: Vec<(Command, Vec<String>)> = Vec::new();
        for (k, c) in s.keymap.map(mode) {
            match by_cmd.iter_mut().find(|(x, _)| x == c) {
                Some((_, keys)) => keys.push(k.label()),
                None => by_cmd.push((*c, vec![k.label()])),
            }
        }
        by_cmd.sort_by_key(|(c, _)| *c);
        for (c, keys) in by_cmd {
            let danger = if c.dangerous(s.kind()) {
                "  (asks first)"
            } else {
                ""
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keys.join(" ")), th.key),
                Span::styled(format!("{:<22}", c.name()), th.text),
                Span::styled(format!("{}{danger}", c.desc()), th.dim),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("palette only:", th.header));
    for c in Command::ALL {
        if s.keymap.key_for(KeyMode::Normal, c).is_none() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", ":"), th.key),
                Span::styled(format!("{:<22}", c.name()), th.text),
                Span::styled(c.desc(), th.dim),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("filter: free text, field:value (provider account region zone state pstate type name id), tag:K=V, spot:true, ! negates, * globs", th.dim));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    f.render_widget(Paragraph::new(shown), inner);
}
