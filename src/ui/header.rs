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
    // On a narrow terminal the header gives up detail before any account's state: first the
    // error texts shrink and go (the operations view, E, has them whole), then the ages, then
    // the title, then the prefix the account names share, then letters of the names.
    let width = area.width as usize;
    let len = |sp: &[Span]| sp.iter().map(|x| x.content.chars().count()).sum::<usize>();
    let failing = s
        .accounts
        .iter()
        .filter(|a| {
            matches!(
                s.account_health(&a.info.name).0,
                Health::Error | Health::Throttled
            )
        })
        .count();
    let mut spans = header(s, th, 0, 48, width);
    if len(&spans) > width {
        // The messages share what is left beside everything else.
        let bare = len(&header(s, th, 1, 0, width));
        let room = (width.saturating_sub(bare) / failing.max(1)).saturating_sub(3);
        spans = header(s, th, 1, room, width);
        for level in 2..=5 {
            if len(&spans) <= width {
                break;
            }
            spans = header(s, th, level, 0, width);
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The header at a level of detail (0 everything … 5 shortest); `msg_room`: how much of each
/// account's error to show (below 12: none).
fn header<'a>(s: &State, th: &Theme, level: u8, msg_room: usize, width: usize) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    if level < 3 {
        spans.push(Span::styled(" nephos ", th.header));
    }
    if s.demo {
        spans.push(Span::styled(" SANDBOX ", th.badge));
        spans.push(Span::raw(" "));
    }
    if s.all_read_only() {
        spans.push(Span::styled(" READ-ONLY ", th.badge));
        spans.push(Span::raw(" "));
    }
    // The scope (`:ctx`) at every level: every pane shows only it.
    if let Some(sc) = &s.scope {
        spans.push(Span::styled(format!(" SCOPE {sc} "), th.badge));
        spans.push(Span::raw(" "));
    }
    if let Some(b) = s.budget.monthly.filter(|_| !s.prices_pending) {
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
    // At the last level each account gets an equal share of what is left for its name.
    let used: usize = spans.iter().map(|sp| sp.content.chars().count()).sum();
    let share = width.saturating_sub(used) / s.accounts.len().max(1);
    // What every account name starts with (`sandbox-`), up to its last `-`: dropped when short
    // of room.
    let prefix = if s.accounts.len() > 1 {
        let first = s.accounts[0].info.name.as_str();
        let common = s.accounts.iter().fold(first.len(), |n, a| {
            first
                .bytes()
                .zip(a.info.name.bytes())
                .take(n)
                .take_while(|(x, y)| x == y)
                .count()
        });
        first[..common].rfind('-').map_or(0, |i| i + 1)
    } else {
        0
    };
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
        let name = match level {
            0..=3 => a.info.name.to_string(),
            4 => a.info.name[prefix..].to_string(),
            _ => format::fit(
                &a.info.name[prefix..],
                share.saturating_sub(word.len() + 4).max(3),
            ),
        };
        spans.push(Span::styled(format!(" {name}"), th.text));
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
        if let (Some(t), 0..=2) = (oldest, level) {
            spans.push(Span::styled(format!(" {}", format::age(t, s.now)), th.dim));
        }
        if let (Some(m), Health::Error | Health::Throttled, 0..=1, 12..) =
            (msg, health, level, msg_room)
        {
            spans.push(Span::styled(
                format!(" ({})", format::fit(&m, msg_room)),
                th.bad,
            ));
        }
        spans.push(Span::styled(" │", th.border));
    }
    spans
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
        // Marks on rows the filter hides are left out of actions: say how many.
        let hidden = if p.filter.is_empty() {
            0
        } else {
            let shown = (0..p.rows.len())
                .filter_map(|i| p.ref_at(&s.inventory, i))
                .filter(|r| p.marks.contains(r))
                .count();
            p.marks.len() - shown
        };
        let text = if hidden > 0 {
            format!("  {} marked ({hidden} hidden by the filter)", p.marks.len())
        } else {
            format!("  {} marked", p.marks.len())
        };
        filter.push(Span::styled(text, th.marked));
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
    // A pane is brought up to date when shown: another's rows may be from before the last poll
    // (an Instances tab said 0 after a start spent on the Costs pane).
    let current = ps.sorted_at == s.inventory.rows_generation;
    if ps.filter.is_empty() {
        format!(" {}", total(s, i))
    } else if !current {
        format!(" …/{}", total(s, i))
    } else if ps.rows.len() == ps.sorted.len() {
        format!(" {}", ps.rows.len())
    } else {
        format!(" {}/{}", ps.rows.len(), ps.sorted.len())
    }
}

fn total(s: &State, pane: usize) -> usize {
    s.panes[pane]
        .kind
        .map_or(0, |k| crate::kinds::count(&s.inventory, k))
}
