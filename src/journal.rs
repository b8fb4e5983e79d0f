//! The action journal: one JSON line per step of every action (started, then an outcome),
//! appended to `journal.jsonl` in the data dir (0600). Each record is one `write` of the whole
//! line on a file opened with `O_APPEND`, then fsynced, so concurrent nephos processes do not
//! interleave and a recorded step survives a crash. A record cut short (kill -9 mid-write, a
//! full disk) is not lost silently: the next writer starts on a new line, and the reader
//! recovers the records after the damage and reports what it could not read.
//! Nothing in a record comes from credentials: refs, action names and provider messages only.
//!
//! Pairing: an action's outcome is the next record after its `started` with the same account,
//! action and detail (see [`actions`]). A `started` with no outcome after it is "outcome unknown":
//! the process ended (crash, kill, power) between sending and hearing back, so the change may or
//! may not have happened; `nephos journal` describes the resource to tell.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{ActionRef, Op, ResourceRef};
use crate::private_files;

/// One step of an action. Every value but `started` ends the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Sent to the provider (written before the call).
    Started,
    /// The provider accepted it.
    Succeeded,
    /// The provider refused it, or the call failed.
    Failed,
    /// The console quit without seeing how it ended: after `succeeded`, its final state was not
    /// seen; right after `started`, the provider had not answered (applied or not is unknown
    /// until the resource is described, like a lone `started`).
    Unfollowed,
    /// Queued in the console and never sent: the console quit first.
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Started => "started",
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::Unfollowed => "unfollowed",
            Outcome::Cancelled => "cancelled",
        }
    }

    /// The action's result is known from the journal alone.
    pub fn settled(self) -> bool {
        matches!(
            self,
            Outcome::Succeeded | Outcome::Failed | Outcome::Cancelled
        )
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub time: DateTime<Utc>,
    pub account: String,
    /// The resource (or network, subnet, security group) acted on; for a create, the ref of
    /// what was made (on success).
    #[serde(rename = "ref")]
    pub resource: Option<ActionRef>,
    pub action: Op,
    pub outcome: Outcome,
    /// What was asked, in words (`stop`, `attach to i-…`, `create t3.micro web-1`).
    pub detail: Option<String>,
    pub error: Option<String>,
    pub sandbox: bool,
    /// The provider's handle for the long-running operation the action started, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// A line of the journal that could not be read as a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// 1-based line number in the file.
    pub line: usize,
    /// What the line held, shortened.
    pub text: String,
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}: not a whole record (cut short by a crash or a full disk?): {}",
            self.line, self.text
        )
    }
}

/// Everything read from the journal: the records, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contents {
    pub entries: Vec<Entry>,
    pub damaged: Vec<Damage>,
}

/// Told when a record cannot be written, so the user hears of it (the CLI prints it on
/// stderr, the console shows it on its status line).
pub type Reporter = Arc<dyn Fn(String) + Send + Sync>;

#[derive(Clone)]
pub struct Journal {
    path: PathBuf,
    report: Option<Reporter>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

impl Journal {
    pub fn new(path: PathBuf) -> Self {
        Journal { path, report: None }
    }

    /// Tell `report` about every record that cannot be written.
    pub fn reporting_to(mut self, report: Reporter) -> Self {
        self.report = Some(report);
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record: one `write` of the whole line, then fsync. A file that ends inside a
    /// record (an earlier writer cut short) gets a newline first, so this record stands alone.
    pub fn record(&self, entry: &Entry) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            private_files::create_dir(dir)?;
        }
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut f = private_files::options()
            .create(true)
            .append(true)
            .read(true)
            .open(&self.path)?;
        private_files::tighten(&f)?;
        let len = f.metadata()?.len();
        if len > 0 {
            let mut last = [0u8];
            f.seek(SeekFrom::Start(len - 1))?;
            f.read_exact(&mut last)?;
            if last[0] != b'\n' {
                line.insert(0, b'\n');
            }
        }
        let n = f.write(&line)?;
        if n < line.len() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                format!(
                    "only {n} of {} bytes were written (is the disk full?)",
                    line.len()
                ),
            ));
        }
        f.sync_data()
    }

    /// Record; if the journal cannot be written, say so to the user (and the log) instead of
    /// failing: an action that the cloud accepted must not be reported as failed because of the
    /// journal, but nobody may believe it was journaled either.
    pub fn note(&self, entry: Entry) {
        if let Err(e) = self.record(&entry) {
            let message = format!(
                "the journal {} could not record '{} {}' ({}): {e}",
                self.path.display(),
                entry.detail.as_deref().unwrap_or(entry.action.as_str()),
                entry.outcome,
                entry.account,
            );
            tracing::error!("{message}");
            if let Some(report) = &self.report {
                report(message);
            }
        }
    }

    /// Every record, reading past damaged lines: a record glued to the end of a torn one is
    /// recovered, and what cannot be read is listed in [`Contents::damaged`].
    pub fn read(&self) -> std::io::Result<Contents> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Contents::default()),
            Err(e) => return Err(e),
        };
        Ok(parse(&bytes))
    }

    /// The records that could be read (see [`Journal::read`] for what could not).
    pub fn read_all(&self) -> std::io::Result<Vec<Entry>> {
        Ok(self.read()?.entries)
    }
}

/// Every record starts with its `time` field: where one starts inside a damaged line.
const RECORD_START: &str = "{\"time\":";

fn parse(bytes: &[u8]) -> Contents {
    let mut out = Contents::default();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = String::from_utf8_lossy(raw);
        if let Ok(e) = serde_json::from_str::<Entry>(&line) {
            out.entries.push(e);
            continue;
        }
        // A torn record with whole ones glued after it: keep every whole one.
        let starts: Vec<usize> = line.match_indices(RECORD_START).map(|(j, _)| j).collect();
        let mut recovered = Vec::new();
        let mut bad_until = line.len();
        for (k, &s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(line.len());
            if let Ok(e) = serde_json::from_str::<Entry>(&line[s..end]) {
                bad_until = bad_until.min(s);
                recovered.push(e);
            }
        }
        if bad_until > 0 || recovered.is_empty() {
            out.damaged.push(Damage {
                line: i + 1,
                text: shorten(&line[..bad_until.min(line.len())]),
            });
        }
        out.entries.extend(recovered);
    }
    out
}

fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    match clean.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &clean[..i]),
        None => clean,
    }
}

/// One action as the journal tells it: its `started` record and the outcome that followed.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub started: Entry,
    /// The record that ended it; None: none was written (outcome unknown).
    pub end: Option<Entry>,
}

impl Action {
    /// The outcome so far: the end's, or `started` when there is none.
    pub fn outcome(&self) -> Outcome {
        self.end.as_ref().map_or(Outcome::Started, |e| e.outcome)
    }

    /// Sent, and nobody knows whether it took effect.
    pub fn unresolved(&self) -> bool {
        !self.outcome().settled()
    }

    /// What it acted on: the outcome's ref (a create's new resource) or the one it started on.
    pub fn acted_on(&self) -> Option<&ActionRef> {
        self.end
            .as_ref()
            .and_then(|e| e.resource.as_ref())
            .or(self.started.resource.as_ref())
    }

    /// The listed resource it acted on, which `describe` can look at (none for a network
    /// change).
    pub fn resource(&self) -> Option<&ResourceRef> {
        self.acted_on().and_then(ActionRef::resource)
    }
}

/// Pair records into actions, oldest first. An outcome belongs to the oldest open `started`
/// with the same account, action and detail; an outcome with no `started` (its record was lost)
/// stands as an action of its own.
pub fn actions(entries: &[Entry]) -> Vec<Action> {
    let key = |e: &Entry| (e.account.clone(), e.action, e.detail.clone());
    let mut out: Vec<Action> = Vec::new();
    for e in entries {
        if e.outcome == Outcome::Started {
            out.push(Action {
                started: e.clone(),
                end: None,
            });
            continue;
        }
        let open = out.iter_mut().find(|a| {
            a.end.is_none() && a.started.outcome == Outcome::Started && key(&a.started) == key(e)
        });
        match open {
            Some(a) => a.end = Some(e.clone()),
            None => out.push(Action {
                started: e.clone(),
                end: Some(e.clone()),
            }),
        }
    }
    out
}

/// What the console says at start about the journal: actions whose outcome is unknown, and
/// lines that could not be read. None when there is nothing to say.
pub fn unresolved_warning(journal: &Journal) -> Option<String> {
    let contents = match journal.read() {
        Ok(c) => c,
        Err(e) => {
            return Some(format!(
                "cannot read the journal {}: {e}",
                journal.path().display()
            ))
        }
    };
    let open = actions(&contents.entries)
        .iter()
        .filter(|a| a.unresolved())
        .count();
    let mut parts = Vec::new();
    if open > 0 {
        parts.push(format!(
            "{open} earlier action(s) have no known outcome: `nephos journal --unresolved` checks them"
        ));
    }
    if !contents.damaged.is_empty() {
        parts.push(format!(
            "the journal has {} damaged line(s) (`nephos journal` lists them)",
            contents.damaged.len()
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests;
