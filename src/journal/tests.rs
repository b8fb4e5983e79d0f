use std::os::unix::fs::PermissionsExt;
use std::sync::Mutex;

use super::*;

fn entry(outcome: Outcome, detail: &str) -> Entry {
    Entry {
        time: Utc::now(),
        account: "prod".into(),
        resource: Some("aws:prod:us-east-1:instance:i-1".parse().unwrap()),
        action: Op::Stop,
        outcome,
        detail: Some(detail.into()),
        error: (outcome == Outcome::Failed).then(|| "IncorrectInstanceState: no".into()),
        sandbox: false,
        operation: None,
    }
}

#[test]
fn entries_append_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::new(dir.path().join("sub/journal.jsonl"));
    for outcome in [Outcome::Started, Outcome::Failed] {
        j.record(&entry(outcome, "stop web-1")).unwrap();
    }
    let text = std::fs::read_to_string(j.path()).unwrap();
    assert_eq!(text.lines().count(), 2);
    let v: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(v["ref"], "aws:prod:us-east-1:instance:i-1");
    assert_eq!(v["action"], "stop");
    assert_eq!(v["outcome"], "failed");
    assert!(v.get("operation").is_none(), "no operation: no field");
    assert_eq!(j.read_all().unwrap().len(), 2);
}

#[test]
fn the_journal_and_its_directory_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::new(dir.path().join("data/journal.jsonl"));
    j.record(&entry(Outcome::Started, "stop web-1")).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(j.path()), 0o600);
    assert_eq!(mode(&dir.path().join("data")), 0o700);
}

#[test]
fn a_record_written_after_a_torn_one_is_not_glued_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::new(dir.path().join("journal.jsonl"));
    j.record(&entry(Outcome::Started, "stop web-1")).unwrap();
    // A writer killed mid-record: half a line, no newline.
    let whole = serde_json::to_string(&entry(Outcome::Started, "stop web-2")).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(j.path())
        .unwrap();
    f.write_all(&whole.as_bytes()[..whole.len() / 2]).unwrap();
    drop(f);
    j.record(&entry(Outcome::Succeeded, "stop web-1")).unwrap();
    let got = j.read().unwrap();
    let outcomes: Vec<Outcome> = got.entries.iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes, [Outcome::Started, Outcome::Succeeded]);
    assert_eq!(got.damaged.len(), 1, "{:?}", got.damaged);
    assert_eq!(got.damaged[0].line, 2);
}

#[test]
fn the_reader_recovers_a_record_glued_to_a_torn_one_and_reports_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let a = serde_json::to_string(&entry(Outcome::Started, "stop web-1")).unwrap();
    let b = serde_json::to_string(&entry(Outcome::Started, "stop web-2")).unwrap();
    let c = serde_json::to_string(&entry(Outcome::Succeeded, "stop web-2")).unwrap();
    // What an older writer left: a's first half, b right after it, then c on its own line.
    std::fs::write(
        &path,
        format!("{}{b}\n{c}\nnot json at all\n", &a[..a.len() / 2]),
    )
    .unwrap();
    let got = Journal::new(path).read().unwrap();
    let details: Vec<&str> = got
        .entries
        .iter()
        .map(|e| e.detail.as_deref().unwrap())
        .collect();
    assert_eq!(details, ["stop web-2", "stop web-2"]);
    let lines: Vec<usize> = got.damaged.iter().map(|d| d.line).collect();
    assert_eq!(lines, [1, 3]);
    assert!(
        got.damaged[0].to_string().contains("cut short"),
        "{}",
        got.damaged[0]
    );
}

#[test]
fn a_record_that_cannot_be_written_is_reported_to_the_user() {
    // /dev/full answers every write with ENOSPC, as a full disk does.
    let device_mode = || std::fs::metadata("/dev/full").unwrap().permissions().mode();
    let before = device_mode();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let j = Journal::new(PathBuf::from("/dev/full"))
        .reporting_to(Arc::new(move |m| sink.lock().unwrap().push(m)));
    assert!(j.record(&entry(Outcome::Started, "stop web-1")).is_err());
    j.note(entry(Outcome::Started, "stop web-1"));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].contains("could not record 'stop web-1 started'"),
        "{}",
        seen[0]
    );
    assert!(seen[0].contains("No space left"), "{}", seen[0]);
    assert_eq!(device_mode(), before, "a device is never chmodded");
}

#[test]
fn an_entry_without_an_operation_field_reads_and_one_with_it_round_trips() {
    let mut e = entry(Outcome::Started, "stop web-1");
    let old = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<Entry>(&old).unwrap(), e);
    e.operation = Some("op-123".into());
    let new = serde_json::to_string(&e).unwrap();
    assert!(new.contains("\"operation\":\"op-123\""), "{new}");
    assert_eq!(serde_json::from_str::<Entry>(&new).unwrap(), e);
    let stopped = serde_json::to_value(Outcome::Unfollowed).unwrap();
    assert_eq!(stopped, "unfollowed");
}

#[test]
fn outcomes_pair_with_their_started_and_lone_ones_are_unresolved() {
    let entries = [
        entry(Outcome::Started, "stop web-1"),
        entry(Outcome::Started, "stop web-2"),
        entry(Outcome::Succeeded, "stop web-1"),
        entry(Outcome::Started, "stop web-3"),
        entry(Outcome::Unfollowed, "stop web-3"),
        entry(Outcome::Failed, "stop web-4"),
    ];
    let acts = actions(&entries);
    let got: Vec<(&str, Outcome, bool)> = acts
        .iter()
        .map(|a| {
            (
                a.started.detail.as_deref().unwrap(),
                a.outcome(),
                a.unresolved(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("stop web-1", Outcome::Succeeded, false),
            ("stop web-2", Outcome::Started, true),
            ("stop web-3", Outcome::Unfollowed, true),
            ("stop web-4", Outcome::Failed, false),
        ]
    );
}
