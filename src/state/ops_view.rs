//! The operations view's text, derived from state: every action of this session (newest first)
//! with its outcome, progress and error in full, then the journal's recent actions. The reducer
//! scrolls it and the renderer draws it.

use super::{Level, OpStatus, State};

/// How many of the journal's actions the view shows.
pub const JOURNAL_SHOWN: usize = 50;

/// The lines, wrapped to `width`, each with how it reads (info, warn, error).
pub fn ops_lines(s: &State, width: usize) -> Vec<(String, Level)> {
    let width = width.max(20);
    let mut out: Vec<(String, Level)> = Vec::new();
    let mut push = |text: String, indent: usize, level: Level| {
        let pad = " ".repeat(indent);
        for l in wrap(&text, width.saturating_sub(indent)) {
            out.push((format!("{pad}{l}"), level));
        }
    };
    let failed = s.failures().count();
    push(
        format!(
            "this session: {} action{}, {failed} failed{}",
            s.ops.len(),
            if s.ops.len() == 1 { "" } else { "s" },
            match s.queue.len() {
                0 => String::new(),
                q => format!(", {q} queued"),
            }
        ),
        0,
        Level::Info,
    );
    if s.ops.is_empty() {
        push("nothing yet".into(), 2, Level::Info);
    }
    for op in s.ops.iter().rev() {
        let (word, level) = match &op.status {
            OpStatus::Queued => ("queued".to_string(), Level::Info),
            OpStatus::Running => ("running".to_string(), Level::Info),
            OpStatus::Succeeded(st) => (format!("succeeded ({st})"), Level::Info),
            OpStatus::Failed(_) => ("FAILED".to_string(), Level::Error),
            OpStatus::Unfollowed { accepted: true } => {
                ("accepted, final state not seen".to_string(), Level::Warn)
            }
            OpStatus::Unfollowed { accepted: false } => {
                ("sent, outcome unknown".to_string(), Level::Warn)
            }
            OpStatus::Cancelled => ("cancelled".to_string(), Level::Warn),
        };
        push(
            format!("{}  {word:<12} {}", op.started.format("%H:%M:%S"), op.what),
            2,
            level,
        );
        if let (OpStatus::Running, Some(p)) = (&op.status, &op.progress) {
            push(format!("progress: {p}"), 12, Level::Info);
        }
        if let OpStatus::Failed(e) = &op.status {
            push(
                format!("{}: {}", e.kind.as_str(), e.explain()),
                12,
                Level::Error,
            );
        }
    }
    // The header's per-account errors, in full.
    let failing: Vec<(String, String)> = s
        .accounts
        .iter()
        .filter_map(|a| {
            let (_, _, msg) = s.account_health(&a.info.name);
            msg.map(|m| (a.info.name.to_string(), m))
        })
        .collect();
    if !failing.is_empty() {
        push(String::new(), 0, Level::Info);
        push("accounts with errors:".into(), 0, Level::Info);
        for (name, msg) in failing {
            push(format!("{name}: {msg}"), 2, Level::Error);
        }
    }
    push(String::new(), 0, Level::Info);
    match &s.journal {
        None => push("journal: reading…".into(), 0, Level::Info),
        Some(Err(e)) => push(format!("journal: could not be read: {e}"), 0, Level::Error),
        Some(Ok(actions)) => {
            // This session's actions are listed above; their records are not repeated.
            let ours = this_sessions(s, actions);
            let others: Vec<&crate::journal::Action> = actions
                .iter()
                .zip(&ours)
                .filter(|(_, ours)| !**ours)
                .map(|(a, _)| a)
                .collect();
            let shown = others.len().min(JOURNAL_SHOWN);
            let skipped = actions.len() - others.len();
            push(
                format!(
                    "journal: the last {shown} of {} actions (every console and CLI session; `nephos journal` for all){}",
                    others.len(),
                    match skipped {
                        0 => String::new(),
                        n => format!("; this session's {n} are above"),
                    }
                ),
                0,
                Level::Info,
            );
            for a in others.into_iter().rev().take(JOURNAL_SHOWN) {
                let outcome = a.outcome();
                let level = match outcome {
                    crate::journal::Outcome::Failed => Level::Error,
                    o if !o.settled() => Level::Warn,
                    _ => Level::Info,
                };
                let what = a
                    .started
                    .detail
                    .clone()
                    .unwrap_or_else(|| a.started.action.to_string());
                let on = a
                    .acted_on()
                    .filter(|r| !what.contains(r.id()))
                    .map(|r| format!(" ({})", r.id()))
                    .unwrap_or_default();
                let word = if outcome == crate::journal::Outcome::Started {
                    "outcome unknown".to_string()
                } else {
                    outcome.to_string()
                };
                push(
                    format!(
                        "{}  {word:<12} {} {what}{on}",
                        a.started.time.format("%m-%d %H:%M:%S"),
                        a.started.account
                    ),
                    2,
                    level,
                );
                if let Some(e) = a.end.as_ref().and_then(|e| e.error.as_ref()) {
                    push(e.clone(), 12, level);
                }
            }
        }
    }
    out
}

/// How far a journal record's time may be from the session's own time for the action (the
/// session records when it confirmed or started the action, the journal when it was sent).
const SAME_ACTION_WITHIN_SECS: i64 = 60;

/// For each of the journal's actions, whether it is one of this session's: the same account,
/// operation and words, recorded no earlier than the session queued it. Each of the session's
/// actions claims at most one record, the oldest that fits, so an earlier run of the same
/// change (another session's) still shows.
fn this_sessions(s: &State, actions: &[crate::journal::Action]) -> Vec<bool> {
    let mut ours = vec![false; actions.len()];
    for op in &s.ops {
        if op.status == OpStatus::Queued {
            continue; // not sent yet: nothing in the journal
        }
        let earliest = op.started - chrono::Duration::seconds(SAME_ACTION_WITHIN_SECS);
        let claim = actions.iter().enumerate().position(|(i, a)| {
            !ours[i]
                && a.started.account == op.account
                && a.started.action == op.op
                && a.started.detail.as_deref() == Some(op.what.as_str())
                && a.started.time >= earliest
        });
        if let Some(i) = claim {
            ours[i] = true;
        }
    }
    ours
}

/// `text` in lines of at most `width` characters, broken at spaces where it can be.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut cur: Vec<char> = Vec::new();
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let sep = usize::from(!cur.is_empty());
            if cur.len() + sep + word.len() <= width {
                if sep == 1 {
                    cur.push(' ');
                }
                cur.append(&mut word);
                break;
            }
            if !cur.is_empty() {
                out.push(cur.drain(..).collect());
                continue;
            }
            let rest = word.split_off(width);
            out.push(word.iter().collect());
            word = rest;
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur.into_iter().collect());
    }
    out
}
