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

pub(crate) fn usd(v: f64) -> String {
    format::usd(v)
}

/// Column widths for a table of `width`: the fixed columns (money) always, then as many of the
/// optional ones as fit beside a label of at least `min_label`; the label takes the rest (up to
/// `max_label`, when optional columns are shown). Returns the label's width and how many
/// optional columns are shown.
fn fit_columns(
    width: usize,
    min_label: usize,
    max_label: usize,
    fixed: usize,
    optional: &[usize],
) -> (usize, usize) {
    let mut used = fixed;
    let mut shown = 0;
    for w in optional {
        if used + w + min_label <= width {
            used += w;
            shown += 1;
        } else {
            break;
        }
    }
    let label = width.saturating_sub(used);
    let label = if shown > 0 {
        label.min(max_label)
    } else {
        label
    };
    (label, shown)
}

fn pad(text: &str, w: usize) -> String {
    format!("{:<w$}", format::fit(text, w))
}

pub fn render(f: &mut Frame, area: Rect, s: &State, th: &Theme) {
    if s.prices_pending {
        let block = Block::bordered().title(" costs ").border_style(th.border);
        let text = Paragraph::new(Line::styled("reading the price catalog…", th.dim));
        f.render_widget(text.block(block), area);
        return;
    }
    let c = &s.costs;
    let wide = area.width >= 110;
    let (groups_area, spenders_area, findings, dates) = if wide {
        let [top, findings, dates] = Layout::vertical([
            Constraint::Percentage(50),
            Constraint::Min(4),
            Constraint::Length(1),
        ])
        .areas(area);
        let [g, sp] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(top);
        (g, sp, findings, dates)
    } else {
        // Narrow: one above the other, each full width, so no amount is cut.
        let [g, sp, findings, dates] = Layout::vertical([
            Constraint::Length(
                (c.groups.len() as u16 + 2 + u16::from(c.unpriced > 0))
                    .clamp(3, area.height * 2 / 5),
            ),
            Constraint::Length((c.top.len() as u16 + 2).clamp(3, area.height / 4)),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        (g, sp, findings, dates)
    };

    let key = |cmd| {
        s.keymap
            .key_for(KeyMode::Normal, cmd)
            .unwrap_or_else(|| format!(":{}", cmd.name()))
    };
    let filtered = s.current().kind.is_none() && !s.current().filter.is_empty();
    let amount = if filtered {
        format!(
            "{} of {}",
            usd(c.shown_monthly_usd),
            usd(c.total_monthly_usd)
        )
    } else {
        usd(c.total_monthly_usd)
    };
    let long = format!(
        " {amount} a month, by {} ({} next) ",
        c.grouping().label(),
        key(Command::SortNext)
    );
    let title = if long.chars().count() + 2 <= groups_area.width as usize {
        long
    } else {
        format!(" {amount}/month by {} ", c.grouping().label())
    };
    let block = Block::bordered().title(title).border_style(th.border);
    let inner = block.inner(groups_area);
    f.render_widget(block, groups_area);
    let w = inner.width as usize;
    let (label_w, extra) = fit_columns(w, 10, 24, 12, &[18, 15]);
    let mut lines: Vec<Line> = c
        .groups
        .iter()
        .take(inner.height as usize)
        .map(|g| {
            let mut spans = vec![
                Span::styled(pad(&g.label, label_w), th.text),
                Span::styled(format!("{:>12}", usd(g.monthly_usd)), th.accent),
            ];
            if extra >= 1 {
                spans.push(Span::styled(
                    format!("  {:>6} resources", g.resources),
                    th.dim,
                ));
            }
            if extra >= 2 && g.unpriced > 0 {
                spans.push(Span::styled(format!("  {} no price", g.unpriced), th.warn));
            }
            Line::from(spans)
        })
        .collect();
    if c.unpriced > 0 && lines.len() < inner.height as usize {
        lines.push(Line::styled(
            format::fit(
                &format!(
                    "{} resources have no price in the catalog (see `nephos list costs`)",
                    c.unpriced
                ),
                w,
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
    let w = inner.width as usize;
    let (label_w, extra) = fit_columns(w, 12, 22, 11, &[19, 13, 24]);
    let lines: Vec<Line> = c
        .top
        .iter()
        .take(inner.height as usize)
        .map(|t| {
            let mut spans = vec![
                Span::styled(pad(&t.name, label_w), th.text),
                Span::styled(format!("{:>11}", usd(t.monthly_usd)), th.accent),
            ];
            if extra >= 1 {
                spans.push(Span::styled(format!(" {}", pad(&t.sku, 18)), th.dim));
            }
            if extra >= 2 {
                spans.push(Span::styled(pad(t.basis.as_str(), 13), th.dim));
            }
            if extra >= 3 {
                spans.push(Span::styled(
                    format!("{} {}", t.r#ref.provider, t.r#ref.region),
                    th.dim,
                ));
            }
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);

    // Security findings, when there are some, beside the cost findings (below them when
    // narrow).
    let findings = if c.security.is_empty() {
        findings
    } else {
        let [cost, security] = if wide {
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(findings)
        } else {
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(findings)
        };
        security_findings(f, security, s, th);
        cost
    };
    let long = format!(
        " findings: {} a month could be saved ({} or :apply-finding takes the selected one) ",
        usd(c.savings()),
        key(Command::Delete)
    );
    let title = if long.chars().count() + 2 <= findings.width as usize {
        long
    } else {
        format!(" findings: {}/month to save ", usd(c.savings()))
    };
    let block = Block::bordered().title(title).border_style(th.border);
    let inner = block.inner(findings);
    f.render_widget(block, findings);
    let w = inner.width as usize;
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
        let action = fnd
            .action
            .map(|a| a.to_string())
            .unwrap_or_else(|| "-".into());
        let (name_w, extra) = fit_columns(w.saturating_sub(20), 10, 24, 11, &[24, 20]);
        let mut l = Line::from(vec![
            Span::styled(pad(fnd.finding.as_str(), 20), style),
            Span::styled(pad(&name, name_w), style),
            Span::styled(format!("{:>11}", usd(fnd.monthly_savings_usd)), th.good),
        ]);
        if extra >= 1 {
            l.spans
                .push(Span::styled(format!("  {}", pad(&action, 22)), th.key));
        }
        if extra >= 2 {
            let room = w.saturating_sub(20 + name_w + 11 + 24);
            l.spans
                .push(Span::styled(format::fit(&fnd.detail, room), th.dim));
        }
        lines.push(l);
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

/// Sensitive ports open to the whole internet, from the networks the pane's filter lets
/// through: what, where, which group and rule.
fn security_findings(f: &mut Frame, area: Rect, s: &State, th: &Theme) {
    let c = &s.costs;
    let title = format!(
        " security findings: {} open to the world ({} Networks) ",
        c.security.len(),
        s.keymap
            .key_for(KeyMode::Normal, Command::PaneNetworks)
            .unwrap_or_else(|| ":pane-networks".into())
    );
    let block = Block::bordered().title(title).border_style(th.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let lines: Vec<Line> = c
        .security
        .iter()
        .take(inner.height as usize)
        .map(|x| {
            let fnd = &x.finding;
            let what = format!("{} {}", fnd.service, fnd.port);
            let place = format!(
                "{} in {} ({} {})",
                fnd.group_name, x.network_name, x.network.provider, x.network.account
            );
            let room = w.saturating_sub(16 + 12);
            Line::from(vec![
                Span::styled(pad(&what, 16), th.bad),
                Span::styled(pad(&fnd.source, 12), th.warn),
                Span::styled(format::fit(&place, room), th.text),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
