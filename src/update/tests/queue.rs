//! The console's actions as a queue (a cap on how many run, the rest started as slots free),
//! quitting (queued ones cancelled, running ones waited for, nothing new started), and the
//! offerings asked of each account.

use super::*;
use crate::state::{MAX_RUNNING_OPS, QUIT_GRACE};

fn runs(fx: &[Effect]) -> Vec<u64> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Run { id, .. } => Some(*id),
            _ => None,
        })
        .collect()
}

/// Mark `n` running instances and ask to stop them all.
fn stop_many(s: &mut State, n: usize) -> Vec<Effect> {
    key(s, '/');
    typed(s, "state:running");
    code(s, KeyCode::Enter);
    assert!(
        s.current().rows.len() >= n,
        "{} rows",
        s.current().rows.len()
    );
    for _ in 0..n {
        key(s, ' ');
    }
    key(s, 'X');
    key(s, 'y')
}

fn status_line(s: &State) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 30)).unwrap();
    t.draw(|f| crate::ui::render(f, s)).unwrap();
    t.backend().to_string().lines().last().unwrap().to_string()
}

#[test]
fn beyond_the_cap_actions_wait_and_start_as_others_end() {
    let mut s = fixture::state(200);
    let n = MAX_RUNNING_OPS + 3;
    let fx = stop_many(&mut s, n);
    let started = runs(&fx);
    assert_eq!(started.len(), MAX_RUNNING_OPS, "only the cap starts");
    assert_eq!(s.running_ops(), MAX_RUNNING_OPS);
    assert_eq!(s.queued_ops(), 3);
    assert!(
        s.ops
            .iter()
            .filter(|o| o.status == OpStatus::Queued)
            .count()
            == 3
    );
    let line = status_line(&s);
    assert!(
        line.contains(&format!("{MAX_RUNNING_OPS} running, 3 queued")),
        "{line}"
    );

    let fx = update(
        &mut s,
        Action::OpFinished {
            id: started[0],
            result: Err(crate::providers::ProviderError::coded(
                crate::providers::ErrorKind::InvalidState,
                "IncorrectInstanceState",
                "no",
            )),
        },
    );
    let next = runs(&fx);
    assert_eq!(next.len(), 1, "one slot freed, one starts: {fx:?}");
    assert!(!started.contains(&next[0]));
    assert_eq!(s.running_ops(), MAX_RUNNING_OPS);
    assert_eq!(s.queued_ops(), 2);
    let line = status_line(&s);
    assert!(
        line.contains(&format!("{MAX_RUNNING_OPS} running, 2 queued")),
        "{line}"
    );
}

#[test]
fn quitting_cancels_the_queue_waits_for_what_runs_and_starts_nothing_new() {
    let mut s = fixture::state(200);
    let started = runs(&stop_many(&mut s, MAX_RUNNING_OPS + 2));
    update(
        &mut s,
        Action::OpAccepted {
            id: started[0],
            resource: None,
        },
    );
    let fx = key(&mut s, 'q');
    assert!(s.quit);
    let cancelled = fx
        .iter()
        .filter(|e| matches!(e, Effect::Cancelled { .. }))
        .count();
    assert_eq!(cancelled, 2, "{fx:?}");
    assert_eq!(fx.last(), Some(&Effect::Quit));
    assert_eq!(s.queued_ops(), 0);
    let text = &s.message.as_ref().unwrap().text;
    assert!(
        text.contains(&format!(
            "waiting up to {}s for the provider to answer {} actions",
            QUIT_GRACE.as_secs(),
            MAX_RUNNING_OPS - 1
        )),
        "the one accepted is not waited for: {text}"
    );

    // An action ending while quitting frees a slot that nothing takes.
    let fx = update(
        &mut s,
        Action::OpFinished {
            id: started[1],
            result: Ok(None),
        },
    );
    assert!(runs(&fx).is_empty(), "{fx:?}");
    // Keys start nothing while quitting.
    assert!(key(&mut s, 'X').is_empty());
    assert_eq!(s.mode, Mode::Normal);
    update(
        &mut s,
        Action::OpUnfollowed {
            id: started[0],
            accepted: true,
        },
    );
    assert_eq!(
        s.ops.iter().find(|o| o.id == started[0]).unwrap().status,
        OpStatus::Unfollowed { accepted: true }
    );
    assert!(!s.quit_now);
    key(&mut s, 'q');
    assert!(s.quit_now, "q again leaves without waiting");

    let report = crate::state::quit_report(&s);
    assert_eq!(report.len(), 1 + 2 + 1, "{report:?}");
    assert!(report[0].contains("accepted by the provider"), "{report:?}");
    assert!(report[1].contains("queued and never sent"), "{report:?}");
}

#[test]
fn offerings_are_asked_at_start_and_again_after_a_poll_once_at_a_time() {
    let mut fresh = State::new(
        fixture::accounts(),
        Default::default(),
        Default::default(),
        crate::keymap::Keymap::defaults(),
        fixture::now(),
    );
    let fx = crate::update::ask_offerings(&mut fresh);
    assert_eq!(
        fx,
        fresh
            .accounts
            .iter()
            .map(|a| Effect::LoadOfferings(a.info.name.to_string()))
            .collect::<Vec<_>>()
    );
    assert!(
        crate::update::ask_offerings(&mut fresh).is_empty(),
        "asked already"
    );
    // The fixture's polls asked every account already.
    let mut s = fixture::state(20);
    assert_eq!(s.offerings_asked.len(), s.accounts.len());
    assert!(crate::update::ask_offerings(&mut s).is_empty());
    let polled = |region: &str| {
        Action::Poll(PollEvent::Finished {
            scope: Scope::new(
                "sandbox-aws",
                crate::providers::ListScope::aws_region(region),
                crate::domain::ResourceKind::Disk,
            ),
            outcome: Ok(crate::providers::Resources::Disks(Vec::new())),
            at: fixture::now(),
        })
    };
    assert!(
        update(&mut s, polled("us-east-1")).is_empty(),
        "already asked"
    );
    let mut o = s.account("sandbox-aws").unwrap().offerings.clone();
    update(
        &mut s,
        Action::Offerings {
            account: "sandbox-aws".into(),
            offerings: o.clone(),
        },
    );
    assert_eq!(
        update(&mut s, polled("us-east-1")),
        vec![Effect::LoadOfferings("sandbox-aws".into())]
    );
    assert!(
        update(&mut s, polled("eu-west-1")).is_empty(),
        "one at a time"
    );
    let failed = Action::Poll(PollEvent::Finished {
        scope: Scope::new(
            "sandbox-gcp",
            crate::providers::ListScope::gcp_project("nephos-sandbox"),
            crate::domain::ResourceKind::Disk,
        ),
        outcome: Err(ProviderError::new(ErrorKind::Unavailable, "down")),
        at: fixture::now(),
    });
    assert!(
        update(&mut s, failed).is_empty(),
        "a failed poll teaches nothing"
    );

    // An open form takes what the adapter learnt: a new zone is offered at once.
    key(&mut s, ':');
    typed(&mut s, "create-instance");
    code(&mut s, KeyCode::Enter);
    let Mode::Form(f) = &mut s.mode else {
        panic!("{:?}", s.mode)
    };
    f.fields[0].value = "sandbox-aws".into();
    f.fields[1].value = "us-east-1".into();
    let Mode::Form(f) = &mut s.mode else { panic!() };
    f.update_choices(&s.accounts, &s.shapes);
    assert!(!f.fields[2].choices.iter().any(|z| z == "us-east-1q"));
    o.regions
        .iter_mut()
        .find(|(r, _)| r == "us-east-1")
        .unwrap()
        .1
        .push("us-east-1q".into());
    update(
        &mut s,
        Action::Offerings {
            account: "sandbox-aws".into(),
            offerings: o.clone(),
        },
    );
    assert_eq!(s.account("sandbox-aws").unwrap().offerings, o);
    let Mode::Form(f) = &s.mode else { panic!() };
    assert!(
        f.fields[2].choices.iter().any(|z| z == "us-east-1q"),
        "{:?}",
        f.fields[2].choices
    );
}
