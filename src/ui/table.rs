//! A pane's table: the header row, then only the rows in the window.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

use super::theme::Theme;
use crate::format;
use crate::panes::PANES;
use crate::state::State;

pub fn render(f: &mut Frame, area: Rect, s: &State, th: &Theme) {
    let pane = PANES[s.pane];
    let ps = s.current();
    let all_cols = pane.columns();
    let shown = fitting(all_cols, area.width);
    let cols: Vec<&crate::panes::Column> = shown.iter().map(|&i| &all_cols[i]).collect();
    let header = Row::new(shown.iter().map(|&i| {
        let c = &all_cols[i];
        let mut t = c.title.to_string();
        if i == ps.sort_column {
            if let Some(k) = ps.sort.0.first() {
                if Some(k.field) == c.sort {
                    // The arrow always shows: a title as wide as its column gives up a letter.
                    let room = (c.width as usize).saturating_sub(1).max(1);
                    t = t.chars().take(room).collect();
                    t.push(if k.desc { '↓' } else { '↑' });
                }
            }
        }
        Cell::from(t)
    }))
    .style(th.table_header);
    let height = area.height.saturating_sub(1) as usize;
    if ps.rows.is_empty() {
        let msg = if ps.sorted.is_empty() && ps.filter.is_empty() {
            empty_message(s, pane.kind().expect("a table pane has a kind"))
        } else {
            format!(
                "no row matches `{}` (Esc clears the filter)",
                ps.filter.source()
            )
        };
        f.render_widget(
            Table::new(Vec::<Row>::new(), widths(&cols)).header(header),
            area,
        );
        let below = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        f.render_widget(Paragraph::new(Line::from(Span::styled(msg, th.dim))), below);
        return;
    }
    let end = (ps.offset + height).min(ps.rows.len());
    let ctx = s.cell_ctx();
    let rows: Vec<Row> = (ps.offset..end)
        .filter_map(|i| {
            let pos = ps.rows[i];
            let cells = pane.cells(&ctx, pos)?;
            let marked = ps
                .ref_at(&s.inventory, i)
                .is_some_and(|r| ps.marks.contains(&r));
            let mut texts: Vec<Option<String>> = cells.text.into_iter().map(Some).collect();
            let row = Row::new(shown.iter().enumerate().map(|(n, &c)| {
                let text = texts.get_mut(c).and_then(Option::take).unwrap_or_default();
                let text = if n + 1 == shown.len() {
                    text
                } else {
                    format::fit(&text, all_cols[c].width as usize)
                };
                let text = if n == 0 && marked {
                    format!("✓{text}")
                } else {
                    text
                };
                if c == cells.state_column {
                    Cell::from(text).style(th.tone(cells.tone))
                } else {
                    Cell::from(text)
                }
            }));
            Some(if i == ps.selected {
                row.style(th.selected)
            } else if marked {
                row.style(th.marked)
            } else {
                row
            })
        })
        .collect();
    f.render_widget(
        Table::new(rows, widths(&cols))
            .header(header)
            .column_spacing(1),
        area,
    );
}

/// The columns that fit in `width`, by index: the highest priority numbers are dropped first,
/// the rightmost of equals first, and a priority-1 column is never dropped.
pub fn fitting(cols: &[crate::panes::Column], width: u16) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..cols.len()).collect();
    let need = |shown: &[usize]| -> u32 { shown.iter().map(|&i| cols[i].width as u32 + 1).sum() };
    while need(&shown) > width as u32 {
        let Some(pos) = (0..shown.len())
            .filter(|&p| cols[shown[p]].priority > 1)
            .max_by_key(|&p| (cols[shown[p]].priority, p))
        else {
            break;
        };
        shown.remove(pos);
    }
    shown
}

fn widths(cols: &[&crate::panes::Column]) -> Vec<Constraint> {
    cols.iter()
        .enumerate()
        .map(|(i, c)| {
            if i + 1 == cols.len() {
                Constraint::Min(c.width.min(10))
            } else {
                Constraint::Length(c.width)
            }
        })
        .collect()
}

/// Why a pane with no filter has no rows: still reading, every account failing, or nothing there.
fn empty_message(s: &State, kind: crate::domain::ResourceKind) -> String {
    let scopes: Vec<_> = s
        .inventory
        .scopes
        .iter()
        .filter(|(scope, _)| scope.kind == kind)
        .map(|(_, st)| st)
        .collect();
    let reading = scopes.is_empty()
        || scopes
            .iter()
            .any(|st| st.fetched_at.is_none() && st.error.is_none());
    if reading {
        "nothing here yet: the accounts are being read (see the header)".to_string()
    } else if scopes.iter().all(|st| st.fetched_at.is_none()) {
        format!(
            "no {} could be read: every account failed (see the header)",
            kind.plural()
        )
    } else {
        format!("no {} in the accounts and regions read", kind.plural())
    }
}
