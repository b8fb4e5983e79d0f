//! The runner against the sandbox cloud: an action followed to its end, quitting while the
//! provider is still answering (it is let finish, then left), quitting before any answer
//! (recorded as unknown), and a queued action cancelled.

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use super::*;
use crate::app::event_loop::Runner as _;
use crate::domain::{Instance, InstanceState};
use crate::journal::Entry;
use crate::providers::sandbox::{sample, SandboxCloud, SandboxSettings};
use crate::providers::InstanceAction;
use crate::state::QUIT_GRACE;

struct World {
    _dir: tempfile::TempDir,
    journal: Journal,
    runner: Runner,
    answers: UnboundedReceiver<Action>,
}

/// A sandbox whose every call takes `latency`, and a runner over its accounts.
fn world(latency: Duration, transition: Duration) -> World {
    let dir = tempfile::tempdir().unwrap();
    let cloud = SandboxCloud::open(SandboxSettings {
        dir: dir.path().join("sandbox"),
        transition,
        latency,
        faults: Vec::new(),
        azure_resource_groups: Vec::new(),
    });
    cloud.reset(20, 42).unwrap();
    let journal = Journal::new(dir.path().join("journal.jsonl"));
    let (tx, answers) = unbounded_channel();
    let runner = Runner::new(cloud.providers(false), journal.clone(), tx, None);
    World {
        _dir: dir,
        journal,
        runner,
        answers,
    }
}

fn a_running_instance() -> Instance {
    sample(20, 42)
        .0
        .into_iter()
        .find(|i| i.state == InstanceState::Running)
        .expect("a running instance in the sample")
}

fn stop(target: Instance) -> Effect {
    Effect::Run {
        id: 1,
        request: Request::Instance {
            target,
            action: InstanceAction::Stop,
        },
    }
}

fn outcomes(j: &Journal) -> Vec<Outcome> {
    j.read_all()
        .unwrap()
        .iter()
        .map(|e: &Entry| e.outcome)
        .collect()
}

#[tokio::test]
async fn an_action_is_followed_to_its_final_state() {
    let mut w = world(Duration::ZERO, Duration::from_millis(200));
    let target = a_running_instance();
    w.runner.run(stop(target.clone()));
    let Some(Action::OpAccepted { id: 1, resource }) = w.answers.recv().await else {
        panic!("accepted first")
    };
    assert!(resource.is_some());
    let Some(Action::OpFinished { id: 1, result }) = w.answers.recv().await else {
        panic!("then finished")
    };
    let r = result.unwrap().expect("the instance as it ended");
    assert_eq!(r.resource_ref(), &target.r#ref);
    assert!(matches!(r, crate::domain::Resource::Instance(i) if i.state == InstanceState::Stopped));
    assert_eq!(outcomes(&w.journal), [Outcome::Started, Outcome::Succeeded]);
    assert!(w.runner.abandon().is_empty(), "nothing left running");
}

#[tokio::test(start_paused = true)]
async fn quitting_lets_a_call_the_provider_is_answering_finish_then_stops_following() {
    // Each call takes 2 s, a transition a minute: quit is asked while the stop is on its way.
    let mut w = world(Duration::from_secs(2), Duration::from_secs(60));
    w.runner.run(stop(a_running_instance()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    w.runner.run(Effect::Quit);
    let Some(Action::OpAccepted { id: 1, .. }) = w.answers.recv().await else {
        panic!("the call was let finish")
    };
    let Some(Action::OpUnfollowed { id: 1, accepted }) = w.answers.recv().await else {
        panic!("then it is no longer followed")
    };
    assert!(accepted);
    assert!(w.runner.abandon().is_empty(), "nothing was cut off");
    assert_eq!(
        outcomes(&w.journal),
        [Outcome::Started, Outcome::Succeeded, Outcome::Unfollowed]
    );
    let last = w.journal.read_all().unwrap().pop().unwrap();
    assert!(last
        .error
        .unwrap()
        .contains("before seeing its final state"));
}

#[tokio::test(start_paused = true)]
async fn a_call_still_unanswered_when_quitting_gives_up_is_recorded_as_unknown() {
    let mut w = world(Duration::from_secs(60), Duration::from_secs(60));
    w.runner.run(stop(a_running_instance()));
    tokio::time::sleep(Duration::from_millis(100)).await;
    w.runner.run(Effect::Quit);
    tokio::time::sleep(QUIT_GRACE).await;
    assert!(w.answers.try_recv().is_err(), "no answer yet");
    assert_eq!(w.runner.abandon(), [(1, false)]);
    let entries = w.journal.read_all().unwrap();
    assert_eq!(
        entries.iter().map(|e| e.outcome).collect::<Vec<_>>(),
        [Outcome::Started, Outcome::Unfollowed]
    );
    assert!(entries[1]
        .error
        .as_deref()
        .unwrap()
        .contains("may or may not have been applied"));
    assert_eq!(entries[1].resource, entries[0].resource);
}

#[tokio::test]
async fn a_queued_action_cancelled_on_quit_is_journaled() {
    let mut w = world(Duration::ZERO, Duration::from_millis(200));
    let target = a_running_instance();
    let Effect::Run { id, request } = stop(target.clone()) else {
        unreachable!()
    };
    w.runner.run(Effect::Cancelled { id, request });
    let entries = w.journal.read_all().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].outcome, Outcome::Cancelled);
    assert_eq!(entries[0].account, target.account());
}

#[tokio::test]
async fn offerings_are_asked_of_the_account_and_answered_as_an_action() {
    let mut w = world(Duration::ZERO, Duration::from_millis(200));
    w.runner.run(Effect::LoadOfferings("sandbox-gcp".into()));
    let Some(Action::Offerings { account, offerings }) = w.answers.recv().await else {
        panic!("an answer")
    };
    assert_eq!(account, "sandbox-gcp");
    assert!(!offerings.machine_types.is_empty());
    assert!(offerings.regions.iter().any(|(_, zones)| !zones.is_empty()));
}
