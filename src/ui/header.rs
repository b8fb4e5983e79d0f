//! The header: badges and each account's status; the pane tabs with the filter and counts.

use ratatui::layout::Rect;
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
    let mut spans = Vec::new();
    for (i, p) in PANES.iter().enumerate() {
        let count = s.panes[i].kind.map(|_| {
            let ps = &s.panes[i];
            if ps.filter.is_empty() || ps.rows.len() == ps.sorted.len() && ps.sorted_at != u64::MAX
            {
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
        });
        let label = format!(" {} {}{} ", i + 1, p.title(), count.unwrap_or_default());
        spans.push(Span::styled(
            label,
            if i == s.pane { th.tab_active } else { th.tab },
        ));
        spans.push(Span::raw(" "));
    }
    let p = s.current();
    if s.mode == Mode::Filter || !p.filter_text.is_empty() {
        spans.push(Span::styled(" / ", th.key));
        spans.push(Span::styled(p.filter_text.clone(), th.text));
        if s.mode == Mode::Filter {
            spans.push(Span::styled("▏", th.accent));
        }
        match &p.filter_error {
            Some(e) => spans.push(Span::styled(format!("  {}", e.message), th.bad)),
            None => spans.push(Span::styled(format!("  {} match", p.rows.len()), th.dim)),
        }
    }
    if !p.marks.is_empty() {
        spans.push(Span::styled(
            format!("  {} marked", p.marks.len()),
            th.marked,
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn total(s: &State, pane: usize) -> usize {
    match s.panes[pane].kind {
        Some(crate::domain::ResourceKind::Instance) => s.inventory.instances.len(),
        Some(crate::domain::ResourceKind::Disk) => s.inventory.disks.len(),
        Some(crate::domain::ResourceKind::LoadBalancer) => s.inventory.load_balancers.len(),
        None => 0,
    }
}
