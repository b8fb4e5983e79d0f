//! The Costs pane: totals by a grouping, the top spenders, the findings with their savings, and
//! the dates of the prices in view. Everything here was computed by the reducer.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use super::theme::Theme;
use crate::command::Command;
use crate::format;
use crate::keymap::KeyMode;
use crate::state::State;

fn usd(v: f64) -> String {
    if v >= 1000.0 {
        let whole = v.round() as u64;
        let s = whole.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        format!("${out}")
    } else {
        format!("${v:.2}")
    }
}

pub fn render(f: &mut Frame, area: Rect, s: &State, th: &Theme) {
    let c = &s.costs;
    let [top, findings, dates] = Layout::vertical([
        Constraint::Percentage(50),
        Constraint::Min(4),
        Constraint::Length(1),
    ])
    .areas(area);
    let [groups_area, spenders_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(top);

    let key = |cmd| {
        s.keymap
            .key_for(KeyMode::Normal, cmd)
            .unwrap_or_else(|| format!(":{}", cmd.name()))
    };
    let title = format!(
        " {} a month, by {} ({} next) ",
        usd(c.total_monthly_usd),
        c.grouping().label(),
        key(Command::SortNext)
    );
    let block = Block::bordered().title(title).border_style(th.border);
    let inner = block.inner(groups_area);
    f.render_widget(block, groups_area);
    let mut lines: Vec<Line> = c
        .groups
        .iter()
        .take(inner.height.saturating_sub(1) as usize)
        .map(|g| {
            let mut spans = vec![
                Span::styled(format!("{:<24}", format::fit(&g.label, 24)), th.text),
                Span::styled(format!("{:>12}", usd(g.monthly_usd)), th.accent),
                Span::styled(format!("  {:>6} resources", g.resources), th.dim),
            ];
            if g.unpriced > 0 {
                spans.push(Span::styled(format!("  {} no price", g.unpriced), th.warn));
            }
            Line::from(spans)
        })
        .collect();
    if c.unpriced > 0 {
        lines.push(Line::styled(
            format!(
                "{} resources have no price in the catalog (see `nephos list costs`)",
                c.unpriced
            ),
            th.warn,
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);

    let block = Block::bordered()
        .title(" top spenders ")
        .border_style(th.border);
    let inner = block.inner(spenders_area);
    f.render_widget(block, spenders_area);
    let lines: Vec<Line> = c
        .top
        .iter()
        .take(inner.height as usize)
        .map(|t| {
            Line::from(vec![
                Span::styled(format!("{:<22}", format::fit(&t.name, 22)), th.text),
                Span::styled(format!("{:<18}", format::fit(&t.sku, 18)), th.dim),
                Span::styled(format!("{:<13}", t.basis.as_str()), th.dim),
                Span::styled(format!("{:>10}", usd(t.monthly_usd)), th.accent),
                Span::styled(format!("  {} {}", t.r#ref.provider, t.r#ref.region), th.dim),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);

    let title = format!(
        " findings: {} a month could be saved ({} or :apply-finding takes the selected one) ",
        usd(c.savings()),
        key(Command::Delete)
    );
    let block = Block::bordered().title(title).border_style(th.border);
    let inner = block.inner(findings);
    f.render_widget(block, findings);
    let height = inner.height as usize;
    let start = c.selected.saturating_sub(height.saturating_sub(1));
    let mut lines: Vec<Line> = Vec::new();
    for (i, fnd) in c.findings.iter().enumerate().skip(start).take(height) {
        let name = s
            .inventory
            .get(&fnd.r#ref)
            .map(|r| r.name().to_string())
            .unwrap_or_else(|| fnd.r#ref.id.to_string());
        let style = if i == c.selected {
            th.selected
        } else {
            th.text
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<20}", fnd.finding.as_str()), style),
            Span::styled(format!("{:<24}", format::fit(&name, 24)), style),
            Span::styled(format!("{:>11}", usd(fnd.monthly_savings_usd)), th.good),
            Span::styled(
                format!(
                    "  {:<22}",
                    fnd.action
                        .map(|a| a.to_string())
                        .unwrap_or_else(|| "-".into())
                ),
                th.key,
            ),
            Span::styled(
                format::fit(&fnd.detail, inner.width.saturating_sub(80) as usize),
                th.dim,
            ),
        ]));
    }
    if c.findings.is_empty() {
        lines.push(Line::styled("no waste found", th.good));
    }
    f.render_widget(Paragraph::new(lines), inner);

    let mut spans = vec![Span::styled("prices as of: ", th.dim)];
    for same in c.as_of.chunk_by(|a, b| a.provider == b.provider) {
        // Every date a provider's prices in view carry, newest first: a 2022 price says so.
        let dates: Vec<&str> = same.iter().map(|d| d.as_of.as_str()).collect();
        spans.push(Span::styled(
            format!("{} {}  ", same[0].provider, dates.join(", ")),
            th.text,
        ));
    }
    spans.push(Span::styled(
        "(list prices; sources in assets/prices/NOTICE)",
        th.dim,
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), dates);
}
