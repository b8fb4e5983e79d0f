//! `nephos journal`: every action the journal holds, with its outcome. An action whose outcome
//! is unknown (a `started` with nothing after it, or one the console stopped following) is
//! checked by describing its resource now, and says whether that looks applied.

use futures_util::future::join_all;
use serde::Serialize;

use super::super::args::{JournalArgs, Output};
use super::super::context::Context;
use super::super::output::{print_csv, print_json, print_table};
use super::io_result;
use crate::domain::{Op, Resource};
use crate::error::AppError;
use crate::journal::{self, Outcome};
use crate::providers::ErrorKind;

#[derive(Serialize)]
struct Row {
    time: String,
    account: String,
    action: Op,
    #[serde(rename = "ref")]
    r#ref: Option<String>,
    detail: Option<String>,
    /// succeeded, failed, or unknown (no outcome was recorded).
    outcome: &'static str,
    /// The outcome record when it says something (unfollowed).
    recorded: Outcome,
    error: Option<String>,
    sandbox: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation: Option<String>,
    /// For an unknown outcome: what describing the resource found.
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<Check>,
}

#[derive(Serialize, Clone)]
struct Check {
    /// The resource's state now (`gone` when the provider no longer has it), or None when it
    /// could not be described.
    state: Option<String>,
    /// applied, not-applied or unclear.
    verdict: &'static str,
    /// Why, in words.
    note: String,
}

/// Does the state the resource is in now show that `op` took effect?
fn verdict(op: Op, now: Option<&Resource>) -> &'static str {
    use crate::domain::{DiskState as D, InstanceState as I};
    let applied = |yes: bool| if yes { "applied" } else { "not-applied" };
    match (op, now) {
        (Op::Terminate | Op::DeleteDisk | Op::DeleteLoadBalancer, None) => "applied",
        (_, None) => "unclear",
        (Op::Stop, Some(Resource::Instance(i))) => {
            applied(matches!(i.state, I::Stopping | I::Stopped))
        }
        (Op::Start, Some(Resource::Instance(i))) => {
            applied(matches!(i.state, I::Pending | I::Running))
        }
        (Op::Terminate, Some(Resource::Instance(i))) => {
            applied(matches!(i.state, I::Terminating | I::Terminated))
        }
        (Op::AttachDisk, Some(Resource::Disk(d))) => applied(d.state == D::InUse),
        (Op::DetachDisk, Some(Resource::Disk(d))) => applied(d.state == D::Available),
        (Op::DeleteDisk, Some(Resource::Disk(d))) => applied(d.state == D::Deleting),
        (Op::DeleteLoadBalancer, Some(Resource::LoadBalancer(l))) => {
            applied(l.state == crate::domain::LbState::Deleting)
        }
        (Op::CreateInstance | Op::CreateDisk | Op::CreateLoadBalancer, Some(_)) => "applied",
        _ => "unclear",
    }
}

/// Describe the resource of one unresolved action.
async fn check(ctx: &Context, a: &journal::Action) -> Check {
    let unclear = |note: String| Check {
        state: None,
        verdict: "unclear",
        note,
    };
    if let Some(n) = a.acted_on().and_then(|r| r.network()) {
        return unclear(format!(
            "a network change is not checked by describing: look at {n} in the cloud's console"
        ));
    }
    let Some(r) = a.resource() else {
        return unclear(format!(
            "no resource was recorded to describe (a create names its resource only on success): look with `nephos list`{}",
            if a.started.sandbox { " --demo" } else { "" }
        ));
    };
    let Some(p) = ctx
        .providers
        .iter()
        .find(|p| p.account().name == r.account.as_str())
    else {
        return unclear(format!(
            "account '{}' is not among the accounts of this run{}",
            r.account,
            if a.started.sandbox {
                " (a sandbox action: add --demo)"
            } else {
                ""
            }
        ));
    };
    let op = a.started.action;
    match ctx.within_deadline(p.account(), p.describe(r)).await {
        Ok(d) => {
            let state = d.resource.state_word();
            Check {
                verdict: verdict(op, Some(&d.resource)),
                note: format!("described now: {state}"),
                state: Some(state),
            }
        }
        Err(e) if e.kind == ErrorKind::NotFound => Check {
            state: Some("gone".into()),
            verdict: verdict(op, None),
            note: "the provider no longer has it".into(),
        },
        Err(e) => unclear(format!("could not describe it: {e}")),
    }
}

pub async fn run(ctx: &Context, args: JournalArgs) -> Result<(), AppError> {
    let j = &ctx.journal;
    let contents = j.read().map_err(|e| {
        AppError::failed(format!(
            "cannot read the journal {}: {e}",
            j.path().display()
        ))
    })?;
    for d in &contents.damaged {
        eprintln!("nephos: journal {}: {d}", j.path().display());
    }
    let mut actions = journal::actions(&contents.entries);
    if args.unresolved {
        actions.retain(|a| a.unresolved());
    }
    if let Some(n) = args.last {
        let skip = actions.len().saturating_sub(n);
        actions.drain(..skip);
    }
    let checks = join_all(actions.iter().map(|a| async {
        if a.unresolved() && !args.no_check {
            Some(check(ctx, a).await)
        } else {
            None
        }
    }))
    .await;
    let rows: Vec<Row> = actions
        .iter()
        .zip(checks)
        .map(|(a, check)| {
            let end = a.end.as_ref();
            Row {
                time: a.started.time.to_rfc3339(),
                account: a.started.account.clone(),
                action: a.started.action,
                r#ref: a.acted_on().map(|r| r.to_string()),
                detail: a.started.detail.clone(),
                outcome: match a.outcome() {
                    Outcome::Succeeded => "succeeded",
                    Outcome::Failed => "failed",
                    Outcome::Cancelled => "cancelled",
                    Outcome::Started | Outcome::Unfollowed => "unknown",
                },
                recorded: a.outcome(),
                error: end.and_then(|e| e.error.clone()),
                sandbox: a.started.sandbox,
                operation: end
                    .and_then(|e| e.operation.clone())
                    .or_else(|| a.started.operation.clone()),
                check,
            }
        })
        .collect();
    let io = match ctx.output {
        Output::Json => print_json(&rows),
        Output::Table | Output::Csv => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let now = match &r.check {
                        Some(c) => format!("{}: {}", c.verdict, c.note),
                        None => r.error.clone().unwrap_or_default(),
                    };
                    vec![
                        r.time.clone(),
                        r.account.clone(),
                        r.action.to_string(),
                        r.detail.clone().unwrap_or_default(),
                        r.r#ref.clone().unwrap_or_default(),
                        match r.recorded {
                            Outcome::Unfollowed => "unknown (stopped following)".into(),
                            _ => r.outcome.to_string(),
                        },
                        now,
                    ]
                })
                .collect();
            let cols = [
                "time", "account", "action", "detail", "ref", "outcome", "note",
            ];
            if ctx.output == Output::Csv {
                print_csv(&cols, cells)
            } else {
                print_table(&mut std::io::stdout().lock(), &cols, &cells)
            }
        }
    };
    io_result(io)
}
