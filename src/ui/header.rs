//! The header: badges and each account's status; the pane tabs with the filter and counts.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use crate::format;
use crate::inventory::Health;
use crate::panes::PANES;
use crate::state::{Mode, State};

pub fn render(f: &mut Frame, area: Rect, s: &State, th: &Theme) {
    let mut spans = vec![Span::styled(" nephos ", th.header)];
    if s.demo {
        spans.push(Span::styled(" SANDBOX ", th.badge));
        spans.push(Span::raw(" "));
    }
    if s.all_read_only() {
        spans.push(Span::styled(" READ-ONLY ", th.badge));
        spans.push(Span::raw(" "));
    }
    if let Some(b) = s.budget.monthly {
        let total = s.costs.total_monthly_usd;
        let style = if total > b { th.badge } else { th.dim };
        let word = if total > b {
            " OVER BUDGET "
        } else {
            " budget "
        };
        spans.push(Span::styled(format!("{word}${total:.0}/${b:.0} "), style));
        spans.push(Span::raw(" "));
    }
    for a in &s.accounts {
        let (health, oldest, msg) = s.account_health(&a.info.name);
        let (word, style) = match health {
            Health::Ok => ("ok", th.good),
            Health::Loading => ("loading", th.moving),
            Health::Refreshing => ("refreshing", th.moving),
            Health::Stale => ("stale", th.warn),
            Health::Throttled => ("throttled", th.warn),
            Health::Error => ("error", th.bad),
        };
        spans.push(Span::styled(format!(" {}", a.info.name), th.text));
        if let (Some(b), Some(t)) = (
            s.budget.accounts.get(a.info.name.as_str()),
            s.costs.by_account.get(a.info.name.as_str()),
        ) {
            if t > b {
                spans.push(Span::styled(
                    format!(" over budget ${t:.0}/${b:.0}"),
                    th.bad,
                ));
            }
        }
        if a.info.read_only && !s.all_read_only() {
            spans.push(Span::styled(" [ro]", th.dim));
        }
        spans.push(Span::raw(" "));
        spans.push(Span::styled(word, style));
        if let Some(t) = oldest {
            spans.push(Span::styled(format!(" {}", format::age(t, s.now)), th.dim));
        }
        if let (Some(m), Health::Error | Health::Throttled) = (msg, health) {
            spans.push(Span::styled(format!(" ({})", format::fit(&m, 48)), th.bad));
        }
        spans.push(Span::styled(" │", th.border));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn tabs(f: &mut Frame, area: Rect, s: &State, th: &Theme) {
    let labels: Vec<String> = PANES
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let count = s.panes[i].kind.map(|_| count(s, i));
            format!(" {} {}{} ", i + 1, p.title(), count.unwrap_or_default())
        })
        .collect();
    // The filter line: what is typed, the bad term underlined, then how many match.
    let p = s.current();
    let mut filter: Vec<Span> = Vec::new();
    if s.mode == Mode::Filter || !p.filter_text.is_empty() {
        filter.push(Span::styled(" / ", th.key));
        match &p.filter_error {
            Some(e) if e.input == p.filter_text && e.end <= p.filter_text.len() => {
                let t = &p.filter_text;
                let bad = th.bad.add_modifier(Modifier::UNDERLINED);
                filter.push(Span::styled(t[..e.start].to_string(), th.text));
                filter.push(Span::styled(t[e.start..e.end].to_string(), bad));
                filter.push(Span::styled(t[e.end..].to_string(), th.text));
            }
            _ => filter.push(Span::styled(p.filter_text.clone(), th.text)),
        }
        if s.mode == Mode::Filter {
            filter.push(Span::styled("▏", th.accent));
        }
        match &p.filter_error {
            // The error's words go to the status line, which has the width for them.
            Some(_) if s.mode == Mode::Filter => filter.push(Span::styled("  (see below)", th.bad)),
            Some(e) => filter.push(Span::styled(format!("  {}", e.message), th.bad)),
            None if p.kind.is_none() => filter.push(Span::styled(
                format!("  {} of {} resources", s.costs.shown, s.costs.counted),
                th.dim,
            )),
            None => filter.push(Span::styled(format!("  {} match", p.rows.len()), th.dim)),
        }
    }
    if !p.marks.is_empty() {
        filter.push(Span::styled(
            format!("  {} marked", p.marks.len()),
            th.marked,
        ));
    }
    // On a narrow terminal the other tabs shrink to their numbers, so the filter stays in view.
    let want: usize = labels.iter().map(|l| l.chars().count() + 1).sum::<usize>()
        + filter
            .iter()
            .map(|sp| sp.content.chars().count())
            .sum::<usize>();
    let compact = want > area.width as usize;
    let labels: Vec<String> = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            if compact && i != s.pane {
                format!(" {} ", i + 1)
            } else {
                label
            }
        })
        .collect();
    // Still too long: the filter keeps its end (where the typing is) and loses its start.
    let tabs_w: usize = labels.iter().map(|l| l.chars().count() + 1).sum();
    let filter_w: usize = filter.iter().map(|sp| sp.content.chars().count()).sum();
    if tabs_w + filter_w > area.width as usize && filter.len() > 1 {
        let room = (area.width as usize).saturating_sub(tabs_w + 4);
        let chars: Vec<char> = p.filter_text.chars().collect();
        let keep = room.saturating_sub(2);
        let text: String = if chars.len() > keep {
            let tail: String = chars[chars.len() - keep..].iter().collect();
            format!("…{tail}")
        } else {
            p.filter_text.clone()
        };
        let style = if p.filter_error.is_some() {
            th.bad
        } else {
            th.text
        };
        filter = vec![Span::styled(" / ", th.key), Span::styled(text, style)];
        if s.mode == Mode::Filter {
            filter.push(Span::styled("▏", th.accent));
        }
    }
    let mut spans = Vec::new();
    for (i, label) in labels.into_iter().enumerate() {
        spans.push(Span::styled(
            label,
            if i == s.pane { th.tab_active } else { th.tab },
        ));
        spans.push(Span::raw(" "));
    }
    spans.extend(filter);
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A table pane's count: its rows, or shown/all under a filter.
fn count(s: &State, i: usize) -> String {
    let ps = &s.panes[i];
    if ps.filter.is_empty() || ps.rows.len() == ps.sorted.len() && ps.sorted_at != u64::MAX {
        format!(
            " {}",
            if ps.sorted_at == u64::MAX {
                total(s, i)
            } else {
                ps.rows.len()
            }
        )
    } else {
        format!(" {}/{}", ps.rows.len(), ps.sorted.len())
    }
}

fn total(s: &State, pane: usize) -> usize {
    match s.panes[pane].kind {
        Some(crate::domain::ResourceKind::Instance) => s.inventory.instances.len(),
        Some(crate::domain::ResourceKind::Disk) => s.inventory.disks.len(),
        Some(crate::domain::ResourceKind::LoadBalancer) => s.inventory.load_balancers.len(),
        None => 0,
    }
}
