//! Everything drawn over or instead of the table: palette, confirmation, forms, detail, help.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use super::theme::Theme;
use super::{centered, line};
use crate::command::Command;
use crate::format;
use crate::keymap::KeyMode;
use crate::state::{
    detail_lines, detail_links, help_lines, ops_lines, wrap, Confirm, Detail, Form, HelpLine,
    Level, Palette, PaletteStage, State,
};

pub fn palette(f: &mut Frame, area: Rect, s: &State, p: &Palette, th: &Theme) {
    let h = (area.height * 2 / 3).max(8);
    let w = (area.width * 3 / 4).clamp(40, 110);
    let r = Rect {
        y: area.y + 1,
        ..centered(area, w, h)
    };
    f.render_widget(Clear, r);
    let title = match &p.stage {
        PaletteStage::Commands { items }
            if matches!(items.first(), Some(crate::state::PaletteItem::Scope { .. })) =>
        {
            " scope: every pane shows only this (Esc keeps the current) ".to_string()
        }
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
            // Said once: by Enter's error when there is one, else here.
            if p.matches.is_empty() && p.error.is_none() {
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
            if p.matches.is_empty() && p.error.is_none() {
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

/// The plan dialog. Whatever the terminal's size the prompt stays in view: the summary and the
/// prompt are wrapped to the box, and the per-resource lines take the room left ("and K more").
pub fn confirm(f: &mut Frame, area: Rect, c: &Confirm, th: &Theme) {
    // The first lines are enough to size the box (a plan can have 100k lines).
    let widest = c
        .plan
        .iter()
        .take(200)
        .chain(c.summary.iter())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(20) as u16;
    let w = (widest + 6).clamp(60.min(area.width), area.width);
    let text_w = w.saturating_sub(2) as usize;
    let prompt = if let Some(want) = c.to_type.first() {
        if c.count {
            format!(
                "{} resources in this batch. Type the number {want} to go on: ",
                c.requests.len()
            )
        } else {
            format!("{want} is protected. Type its name: ")
        }
    } else {
        "Proceed? ".to_string()
    };
    // The prompt, what is typed and the error, wrapped: they are never cut.
    let mut bottom: Vec<Line> = vec![Line::raw("")];
    let typed_text = if c.to_type.is_empty() {
        if c.dangerous { "[y/N]" } else { "[Y/n]" }.to_string()
    } else {
        format!("{}▏", c.input)
    };
    let answer_style = match (c.to_type.is_empty(), c.dangerous) {
        (false, _) => th.text,
        (true, true) => th.bad,
        (true, false) => th.good,
    };
    let prompt_style = if c.to_type.is_empty() {
        th.text
    } else {
        th.warn
    };
    let whole = format!("{prompt}{typed_text}");
    let wrapped = wrap(&whole, text_w);
    let prompt_chars = prompt.chars().count();
    let mut seen = 0;
    for l in wrapped {
        // Colour the prompt and the answer apart, even across a line break.
        let n = l.chars().count();
        let split = prompt_chars.saturating_sub(seen).min(n);
        let (a, b): (String, String) = (
            l.chars().take(split).collect(),
            l.chars().skip(split).collect(),
        );
        bottom.push(line(vec![
            Span::styled(a, prompt_style),
            Span::styled(b, answer_style),
        ]));
        seen += n + 1;
    }
    if let Some(e) = &c.error {
        bottom.extend(wrap(e, text_w).into_iter().map(|l| Line::styled(l, th.bad)));
    }
    let mut top: Vec<Line> = vec![Line::styled("This will:", th.text)];
    for l in &c.summary {
        top.extend(
            wrap(l, text_w.saturating_sub(2))
                .into_iter()
                .map(|l| Line::styled(format!("  {l}"), th.warn)),
        );
    }
    let inner_max = area.height.saturating_sub(2) as usize;
    // The summary yields to the prompt when even it does not fit.
    top.truncate(inner_max.saturating_sub(bottom.len()).max(1));
    let room = inner_max.saturating_sub(top.len() + bottom.len());
    let mut middle: Vec<Line> = Vec::new();
    let fits = if c.plan.len() <= room {
        c.plan.len()
    } else {
        room.saturating_sub(1)
    };
    for l in c.plan.iter().take(fits) {
        middle.push(Line::styled(
            format!("  {}", format::fit(l, text_w.saturating_sub(2))),
            th.text,
        ));
    }
    if fits < c.plan.len() && room > 0 {
        middle.push(Line::styled(
            format!("  … and {} more", c.plan.len() - fits),
            th.dim,
        ));
    }
    let mut lines = top;
    lines.extend(middle);
    lines.extend(bottom);
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let border = if c.dangerous { th.bad } else { th.accent };
    let block = Block::bordered()
        .title(format!(" {} ", c.title))
        .border_style(border);
    let inner = block.inner(r);
    f.render_widget(block, r);
    f.render_widget(Paragraph::new(lines), inner);
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
    let links = detail_links(d, &s.inventory, &s.catalog);
    let link_line = d.link.and_then(|i| links.get(i)).map(|(l, _)| *l);
    let needle = d.search.to_lowercase();
    let rows = inner.height.saturating_sub(1) as usize;
    // Never past the end, whatever the state says (the text can shrink as it loads).
    let scroll = d.scroll.min(all.len().saturating_sub(rows));
    let mut lines: Vec<Line> = all
        .iter()
        .enumerate()
        .skip(scroll)
        .take(rows)
        .map(|(i, l)| {
            if d.hit == Some(i) || link_line == Some(i) {
                Line::styled(l.clone(), th.selected)
            } else if links.iter().any(|(at, _)| *at == i) {
                Line::styled(l.clone(), th.key)
            } else if !needle.is_empty() && l.to_lowercase().contains(&needle) {
                Line::styled(l.clone(), th.marked)
            } else {
                Line::styled(l.clone(), th.text)
            }
        })
        .collect();
    while lines.len() < rows {
        lines.push(Line::raw(""));
    }
    let last = (scroll + rows).min(all.len());
    let place = format!("lines {}-{last} of {}", scroll + 1, all.len());
    let foot = if d.searching {
        let miss = if d.not_found { "  not found" } else { "" };
        Line::from(vec![
            Span::styled(format!("/{}▏", d.search), th.text),
            Span::styled(miss, th.bad),
        ])
    } else if d.not_found {
        Line::from(vec![
            Span::styled(format!("/{}", d.search), th.text),
            Span::styled("  not found", th.bad),
            Span::styled(format!("   {place}"), th.dim),
        ])
    } else if !d.search.is_empty() {
        let wrapped = if d.wrapped { "  (wrapped round)" } else { "" };
        Line::from(vec![
            Span::styled(format!("/{}", d.search), th.text),
            Span::styled(wrapped, th.warn),
            Span::styled(format!("  n next, N previous   {place}"), th.dim),
        ])
    } else if !links.is_empty() {
        let back = if s.detail_back.is_empty() {
            ""
        } else {
            ", esc back"
        };
        Line::styled(
            format!("{place}   tab: related resource, enter: open it{back}"),
            th.dim,
        )
    } else {
        Line::styled(place, th.dim)
    };
    lines.push(foot);
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn help(f: &mut Frame, area: Rect, s: &State, scroll: usize, th: &Theme) {
    let block = Block::bordered()
        .title(" keys and commands ")
        .border_style(th.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines: Vec<Line> = help_lines(&s.keymap)
        .into_iter()
        .map(|l| match l {
            HelpLine::Title(t) => Line::styled(t, th.header),
            HelpLine::Blank => Line::raw(""),
            HelpLine::Note(t) => Line::styled(t, th.dim),
            HelpLine::Entry(keys, c) => {
                let danger = if keys != ":" && c.dangerous(s.kind()) {
                    "  (asks first)"
                } else {
                    ""
                };
                Line::from(vec![
                    Span::styled(format!("  {keys:<18}"), th.key),
                    Span::styled(format!("{:<22}", c.name()), th.text),
                    Span::styled(format!("{}{danger}", c.desc()), th.dim),
                ])
            }
        })
        .collect();
    let scroll = scroll.min(lines.len().saturating_sub(inner.height as usize));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).collect();
    f.render_widget(Paragraph::new(shown), inner);
}

pub fn operations(f: &mut Frame, area: Rect, s: &State, scroll: usize, th: &Theme) {
    let block = Block::bordered()
        .title(" operations: this session and the journal ")
        .border_style(th.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let all = ops_lines(s, inner.width as usize);
    let scroll = scroll.min(all.len().saturating_sub(inner.height as usize));
    let lines: Vec<Line> = all
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .map(|(l, level)| {
            let style = match level {
                Level::Info => th.text,
                Level::Warn => th.warn,
                Level::Error => th.bad,
            };
            Line::styled(l, style)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// Text to read whole, wrapped to the box (a long filter line stays readable), scrolled.
pub fn text(f: &mut Frame, area: Rect, title: &str, lines: &[String], scroll: usize, th: &Theme) {
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(th.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let all: Vec<String> = lines
        .iter()
        .flat_map(|l| crate::state::wrap(l, inner.width as usize))
        .collect();
    let scroll = scroll.min(all.len().saturating_sub(inner.height as usize));
    let shown: Vec<Line> = all
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .map(|l| Line::styled(l, th.text))
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}
