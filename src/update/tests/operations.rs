//! The operations view: every action of this session with its outcome, progress and error in
//! full, and the journal's recent ones.

use super::*;
use crate::state::ops_lines;

fn run_on(s: &mut State, filter: &str, k: char) -> u64 {
    key(s, '/');
    code(s, KeyCode::Esc);
    key(s, '/');
    typed(s, filter);
    code(s, KeyCode::Enter);
    key(s, k);
    let fx = key(s, 'y');
    let [Effect::Run { id, .. }] = fx.as_slice() else {
        panic!("{fx:?} {:?}", s.message)
    };
    *id
}

/// Issue 15: `X y` then `R y`: the reboot failed, the status line only ever said "done: stop…",
/// and there was nowhere to look it up.
#[test]
fn the_operations_view_lists_this_sessions_actions_and_the_journals() {
    let mut s = fixture::state(40);
    let stop = run_on(&mut s, "state:running provider:aws", 'X');
    let reboot = run_on(&mut s, "state:running provider:gcp", 'R');
    let start = run_on(&mut s, "state:stopped", 'S');
    update(
        &mut s,
        Action::OpProgress {
            id: start,
            progress: "RUNNING 40%".into(),
        },
    );
    let denied = ProviderError::coded(ErrorKind::Auth, "AuthFailure", "token expired")
        .with_hint("run `aws sso login --profile prod`");
    update(
        &mut s,
        Action::OpFinished {
            id: reboot,
            result: Err(denied.clone()),
        },
    );
    update(
        &mut s,
        Action::OpFinished {
            id: stop,
            result: Ok(None),
        },
    );
    assert_eq!(s.unseen_failures, 1);
    let fx = key(&mut s, 'E');
    assert!(matches!(s.mode, Mode::Operations { .. }), "{:?}", s.mode);
    assert!(fx.contains(&Effect::LoadJournal), "{fx:?}");
    assert_eq!(s.unseen_failures, 0, "seen");
    let text = ops_lines(&s, 200)
        .into_iter()
        .map(|(l, _)| l)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("failed") && text.contains("reboot instance"),
        "{text}"
    );
    assert!(
        text.contains(&denied.explain()),
        "the error in full: {text}"
    );
    assert!(
        text.contains("succeeded") && text.contains("stop instance"),
        "{text}"
    );
    assert!(text.contains("RUNNING 40%"), "progress: {text}");
    assert!(text.contains("journal: reading"), "{text}");
    // The journal's recent actions, oldest session first.
    let entry = |outcome, error: Option<&str>| crate::journal::Entry {
        time: fixture::now() - chrono::Duration::hours(1),
        account: "sandbox-aws".into(),
        resource: None,
        action: Op::Terminate,
        outcome,
        detail: Some("terminate i-0abc".into()),
        error: error.map(String::from),
        sandbox: true,
        operation: None,
    };
    let journal = crate::journal::actions(&[
        entry(crate::journal::Outcome::Started, None),
        entry(
            crate::journal::Outcome::Failed,
            Some("UnauthorizedOperation: nope"),
        ),
    ]);
    update(&mut s, Action::JournalLoaded(Ok(journal)));
    let text = ops_lines(&s, 200)
        .into_iter()
        .map(|(l, _)| l)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("terminate i-0abc"), "{text}");
    assert!(text.contains("UnauthorizedOperation: nope"), "{text}");
    // It scrolls no further than its end, and Esc goes back.
    for _ in 0..500 {
        key(&mut s, 'j');
    }
    let Mode::Operations { scroll } = s.mode else {
        panic!()
    };
    assert!(
        scroll
            <= ops_lines(&s, s.size.0 as usize)
                .len()
                .saturating_sub(s.overlay_rows())
    );
    code(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
}

/// Habit 3: the header's per-account errors, in full, in the operations view.
#[test]
fn the_operations_view_gives_each_accounts_error_in_full() {
    let mut s = fixture::state(20);
    let long = "the request signature we calculated does not match the signature you provided; check your key and signing method";
    update(
        &mut s,
        Action::Poll(PollEvent::Finished {
            scope: Scope::new(
                "sandbox-aws",
                crate::providers::ListScope::aws_region("us-east-1"),
                crate::domain::ResourceKind::Instance,
            ),
            outcome: Err(ProviderError::coded(
                ErrorKind::Auth,
                "SignatureDoesNotMatch",
                long,
            )),
            at: fixture::now(),
        }),
    );
    key(&mut s, 'E');
    let text = ops_lines(&s, 60)
        .into_iter()
        .map(|(l, _)| l.trim().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("accounts with errors"), "{text}");
    assert!(text.contains("SignatureDoesNotMatch"), "{text}");
    assert!(
        text.contains("check your key and signing method"),
        "the whole message: {text}"
    );
}

/// Issue 15: the view listed this session's actions twice, once as the session's and again
/// from the journal's records of them. The journal's other actions (another session's, an
/// earlier run of the same change) still show.
#[test]
fn the_operations_view_does_not_repeat_this_sessions_actions_from_the_journal() {
    let mut s = fixture::state(40);
    let stop = run_on(&mut s, "state:running provider:aws", 'X');
    update(
        &mut s,
        Action::OpFinished {
            id: stop,
            result: Ok(None),
        },
    );
    let op = s.ops.iter().find(|o| o.id == stop).unwrap().clone();
    let entry = |time, outcome| crate::journal::Entry {
        time,
        account: op.account.clone(),
        resource: op.subject.clone().map(Into::into),
        action: op.op,
        outcome,
        detail: Some(op.what.clone()),
        error: None,
        sandbox: true,
        operation: None,
    };
    use crate::journal::Outcome::{Started, Succeeded};
    let yesterday = s.now - chrono::Duration::days(1);
    let journal = crate::journal::actions(&[
        // The same change, made yesterday by another session.
        entry(yesterday, Started),
        entry(yesterday, Succeeded),
        // This session's, as the runner recorded it.
        entry(s.now, Started),
        entry(s.now, Succeeded),
    ]);
    key(&mut s, 'E');
    update(&mut s, Action::JournalLoaded(Ok(journal)));
    let text = ops_lines(&s, 200)
        .into_iter()
        .map(|(l, _)| l)
        .collect::<Vec<_>>()
        .join("\n");
    let journal_lines = |at: chrono::DateTime<chrono::Utc>| {
        let stamp = at.format("%m-%d %H:%M:%S").to_string();
        text.lines()
            .filter(|l| l.contains(&op.what) && l.contains(&stamp))
            .count()
    };
    assert_eq!(text.matches(op.what.as_str()).count(), 2, "{text}");
    assert_eq!(
        journal_lines(s.now),
        0,
        "listed once, as the session's: {text}"
    );
    assert_eq!(
        journal_lines(yesterday),
        1,
        "yesterday's still shows: {text}"
    );
    assert!(text.contains("this session's 1 are above"), "{text}");
}
