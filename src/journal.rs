//! The action journal: one JSON line per step of every action (started, then succeeded or
//! failed), appended to `journal.jsonl` in the data dir. Lines are written whole with one
//! `write` on a file opened for appending, so concurrent nephos processes do not interleave.
//! Nothing in a record comes from credentials: refs, action names and provider messages only.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Op, ResourceRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Started,
    Succeeded,
    Failed,
    /// The console quit without seeing how it ended: after `succeeded`, its final state was not
    /// seen; right after `started`, the provider had not answered (applied or not is unknown).
    Unfollowed,
    /// Queued in the console and never sent: the console quit first.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub time: DateTime<Utc>,
    pub account: String,
    /// The resource acted on; for a create, the ref of what was made (on success).
    #[serde(rename = "ref")]
    pub resource: Option<ResourceRef>,
    pub action: Op,
    pub outcome: Outcome,
    /// What was asked, in words (`stop`, `attach to i-…`, `create t3.micro web-1`).
    pub detail: Option<String>,
    pub error: Option<String>,
    pub sandbox: bool,
}

#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    pub fn new(path: PathBuf) -> Self {
        Journal { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn record(&self, entry: &Entry) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        f.write_all(&line)
    }

    /// Record, and log instead of failing if the journal cannot be written: an action that the
    /// cloud accepted must not be reported as failed because of the journal.
    pub fn note(&self, entry: Entry) {
        if let Err(e) = self.record(&entry) {
            tracing::error!(path = %self.path.display(), "cannot write the journal: {e}");
        }
    }

    pub fn read_all(&self) -> std::io::Result<Vec<Entry>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_append_as_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path().join("sub/journal.jsonl"));
        let r: ResourceRef = "aws:prod:us-east-1:instance:i-1".parse().unwrap();
        for outcome in [Outcome::Started, Outcome::Failed] {
            j.record(&Entry {
                time: Utc::now(),
                account: "prod".into(),
                resource: Some(r.clone()),
                action: Op::Stop,
                outcome,
                detail: None,
                error: (outcome == Outcome::Failed).then(|| "IncorrectInstanceState: no".into()),
                sandbox: false,
            })
            .unwrap();
        }
        let text = std::fs::read_to_string(j.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        let v: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
        assert_eq!(v["ref"], "aws:prod:us-east-1:instance:i-1");
        assert_eq!(v["action"], "stop");
        assert_eq!(v["outcome"], "failed");
        assert_eq!(j.read_all().unwrap().len(), 2);
    }
}
