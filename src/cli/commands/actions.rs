//! Every command that changes something: resolve all targets first (nothing runs if one is
//! unknown or ambiguous), check read-only and capabilities for all, confirm once, then run each
//! through the shared action code, which journals it.

use std::io::IsTerminal;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::super::args::{
    Confirm, CreateDisk, CreateInstance, CreateLb, DiskCmd, InstanceCmd, InstanceIds, LbCmd,
    LbKindArg, Output, SchemeArg, TagArgs, Wait,
};
use super::super::confirm::{confirm, Question};
use super::super::context::Context;
use super::super::output::{print_json, print_table, warn, Printable};
use super::{io_result, resolve};
use crate::domain::{Disk, Instance, LbKind, LbScheme, LoadBalancer, Resource, ResourceKind, Tags};
use crate::error::AppError;
use crate::ops::{self, policy, Refusal, Request};
use crate::providers::{DiskSpec, InstanceAction, InstanceSpec, LbSpec, Progress, ProviderError};

#[derive(Serialize)]
struct ActionResult {
    #[serde(rename = "ref")]
    r#ref: Option<String>,
    name: String,
    action: String,
    outcome: &'static str,
    state: Option<String>,
    provider_state: Option<String>,
    error: Option<String>,
    /// The failure's kind (`not-found`, `auth`, `already-exists`…), the provider's code and
    /// what to do about it, so scripts need not parse `error`.
    error_kind: Option<&'static str>,
    error_code: Option<String>,
    hint: Option<String>,
    resource: Option<Value>,
}

fn resource_json(r: &Resource) -> Value {
    crate::kinds::visit_row(r, ToJson).unwrap_or(Value::Null)
}

/// A row as its JSON value.
pub(super) struct ToJson;

impl crate::kinds::VisitRow for ToJson {
    type Out = serde_json::Result<Value>;
    fn row<T: crate::kinds::Kind>(self, row: &T) -> Self::Out {
        serde_json::to_value(row.json())
    }
}

fn states(r: &Resource) -> (String, String) {
    struct States;
    impl crate::kinds::VisitRow for States {
        type Out = (String, String);
        fn row<T: crate::kinds::Kind>(self, row: &T) -> Self::Out {
            use crate::filter::Field;
            let text = |f| row.text_of(f).unwrap_or("").to_string();
            (text(Field::State), text(Field::ProviderState))
        }
    }
    crate::kinds::visit_row(r, States)
}

fn tags(pairs: &[(String, String)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Check (the policy the console uses too), confirm, run and report a batch of requests.
/// `answers` is the command's `--yes` / `--confirm` (None for commands that never ask).
pub(super) async fn run_batch(
    ctx: &Context,
    requests: Vec<Request>,
    answers: Option<&Confirm>,
    wait: Option<&Wait>,
) -> Result<(), AppError> {
    let guard = &ctx.cfg.guardrails;
    for req in &requests {
        let p = ctx.provider(req.account())?;
        if let Err(refusal) = policy::check(p.account(), p.capabilities(), req) {
            let text = format!("refused: {refusal}");
            return Err(match refusal {
                Refusal::ReadOnly { .. } => AppError::refused(text),
                Refusal::Unsupported { .. } => AppError::usage(text),
            });
        }
    }
    for req in &requests {
        if let Some((port, service)) = policy::opens_to_world(req) {
            warn(format_args!(
                "warning: this opens port {port} ({service}) to the whole internet: it will be a security finding"
            ));
        }
    }
    let plan: Vec<String> = requests.iter().map(|r| r.describe()).collect();
    if requests.iter().any(|r| policy::dangerous(r, guard)) {
        let mut protected: Vec<Resource> = Vec::new();
        for r in requests.iter().flat_map(|r| policy::to_type(r, guard)) {
            if !protected
                .iter()
                .any(|p| p.resource_ref() == r.resource_ref())
            {
                protected.push(r);
            }
        }
        confirm(Question {
            plan: &plan,
            protected: &protected,
            yes: answers.is_some_and(|a| a.yes),
            named: answers.map(|a| a.names.as_slice()).unwrap_or_default(),
            interactive: ctx.interactive,
        })?;
    }

    let mut results = Vec::new();
    let mut failures = Vec::new();
    for req in &requests {
        let p = ctx.provider(req.account())?;
        let mut outcome = ops::execute(p.as_ref(), req, &ctx.journal).await;
        if let (Ok(done), Some(w)) = (&mut outcome, wait.filter(|w| w.wait)) {
            if let Some(target) = req.wait_for() {
                // Progress goes to a terminal only: scripts read stdout and the exit code.
                let tty = std::io::stderr().is_terminal();
                let mut shown = String::new();
                let mut report = |p: &Progress| {
                    let line = format!("{}: {p}", req.describe());
                    if tty && line != shown {
                        eprintln!("nephos: {line}");
                        shown = line;
                    }
                };
                match ops::wait::until_with(
                    p.as_ref(),
                    &done.target,
                    target,
                    done.operation.as_ref(),
                    Duration::from_secs(w.timeout),
                    &mut report,
                )
                .await
                {
                    Ok(res) => done.resource = res,
                    Err(e) => outcome = Err(e),
                }
            }
        }
        let subject = req.subjects().into_iter().next();
        let name = match (&subject, req) {
            (Some(s), _) => s.name().to_string(),
            (None, Request::Network(n)) => n.name().to_string(),
            (None, _) => String::new(),
        };
        let result = match outcome {
            Ok(done) => {
                let shown = done.resource.as_ref().or(subject.as_ref());
                let r#ref = Some(done.target.to_string());
                let (state, pstate) = match (&done.resource, wait.is_some_and(|w| w.wait)) {
                    (Some(r), _) => {
                        let (a, b) = states(r);
                        (Some(a), Some(b))
                    }
                    (None, true) if !matches!(req, Request::Network(_)) => {
                        (Some("gone".to_string()), None)
                    }
                    (None, _) => (None, None),
                };
                ActionResult {
                    r#ref,
                    name: shown.map(|r| r.name().to_string()).unwrap_or(name),
                    action: req.op().to_string(),
                    outcome: "succeeded",
                    state,
                    provider_state: pstate,
                    error: None,
                    error_kind: None,
                    error_code: None,
                    hint: None,
                    resource: done.resource.as_ref().map(resource_json),
                }
            }
            Err(e) => {
                let result = ActionResult {
                    r#ref: req.acted_on().map(|r| r.to_string()),
                    name,
                    action: req.op().to_string(),
                    outcome: "failed",
                    state: None,
                    provider_state: None,
                    error: Some(e.to_string()),
                    error_kind: Some(e.kind.as_str()),
                    error_code: e.code.clone(),
                    hint: e.hint.clone(),
                    resource: None,
                };
                failures.push((req.describe(), e));
                result
            }
        };
        results.push(result);
    }
    let io = match ctx.output {
        Output::Json => print_json(&results),
        _ => {
            let cells: Vec<Vec<String>> = results
                .iter()
                .map(|r| {
                    vec![
                        r.action.clone(),
                        r.name.clone(),
                        r.r#ref.clone().unwrap_or_default(),
                        r.outcome.to_string(),
                        r.state.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print_table(
                &mut std::io::stdout().lock(),
                &["action", "name", "ref", "outcome", "state"],
                &cells,
            )
        }
    };
    io_result(io)?;
    batch_outcome(failures, results.len())
}

/// How a batch ends: one failed action is its error, once, with the exit code of its kind
/// (not found 3, already exists 5, quota 6, busy 7, else 1); several name each failure on
/// stderr and exit 1.
fn batch_outcome(failures: Vec<(String, ProviderError)>, total: usize) -> Result<(), AppError> {
    match failures.len() {
        0 => Ok(()),
        1 => {
            let (what, e) = failures.into_iter().next().expect("one failure");
            let mut err = AppError::from(e);
            err.message = format!("{what} failed: {}", err.message);
            Err(err)
        }
        n => {
            for (what, e) in &failures {
                warn(format_args!("{what} failed: {}", e.explain()));
            }
            Err(AppError::failed(format!("{n} of {total} actions failed")))
        }
    }
}

pub async fn instance(ctx: &Context, cmd: InstanceCmd) -> Result<(), AppError> {
    let (ids, action) = match cmd {
        InstanceCmd::Create(c) => return create_instance(ctx, c).await,
        InstanceCmd::Start(i) => (i, InstanceAction::Start),
        InstanceCmd::Stop(i) => (i, InstanceAction::Stop),
        InstanceCmd::Reboot(i) => (i, InstanceAction::Reboot),
        InstanceCmd::PowerOff(i) => (i, InstanceAction::PowerOff),
        InstanceCmd::Terminate(i) => (i, InstanceAction::Terminate),
    };
    let InstanceIds { ids, confirm, wait } = ids;
    let id_strs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let inv = ctx.fetch_for(&[ResourceKind::Instance], &id_strs).await;
    let mut requests = Vec::new();
    for id in &ids {
        let target = resolve::row::<Instance>(&inv, id)?;
        if !requests
            .iter()
            .any(|r: &Request| r.subject_ref().as_ref() == Some(&target.r#ref))
        {
            requests.push(Request::Instance { target, action });
        }
    }
    run_batch(ctx, requests, Some(&confirm), Some(&wait)).await
}

async fn create_instance(ctx: &Context, c: CreateInstance) -> Result<(), AppError> {
    let p = ctx.create_account()?;
    let options = super::create_options::for_account(&c, p.account())?;
    let spec = InstanceSpec {
        region: c.region,
        zone: c.zone,
        instance_type: c.instance_type,
        name: c.name,
        image: c.image,
        disk_gib: c.disk_gib,
        spot: c.spot,
        tags: tags(&c.tags),
        options,
    };
    let req = Request::CreateInstance {
        account: p.account().name.to_string(),
        spec,
    };
    run_batch(ctx, vec![req], None, Some(&c.wait)).await
}

pub async fn disk(ctx: &Context, cmd: DiskCmd) -> Result<(), AppError> {
    match cmd {
        DiskCmd::Create(c) => create_disk(ctx, c).await,
        DiskCmd::Attach(a) => {
            let inv = ctx
                .fetch_for(
                    &[ResourceKind::Disk, ResourceKind::Instance],
                    &[&a.disk, &a.instance],
                )
                .await;
            let disk = resolve::row::<Disk>(&inv, &a.disk)?;
            let instance = resolve::row::<Instance>(&inv, &a.instance)?;
            if disk.r#ref.account != instance.r#ref.account {
                return Err(AppError::usage(format!(
                    "disk {} is in account {} and instance {} in {}: a disk attaches only within its account",
                    disk.name, disk.r#ref.account, instance.name, instance.r#ref.account
                )));
            }
            run_batch(
                ctx,
                vec![Request::AttachDisk {
                    disk,
                    instance,
                    device: a.device,
                }],
                None,
                Some(&a.wait),
            )
            .await
        }
        DiskCmd::Detach(t) => {
            let inv = ctx.fetch_for(&[ResourceKind::Disk], &[&t.disk]).await;
            let disk = resolve::row::<Disk>(&inv, &t.disk)?;
            if disk.attached_to.is_none() {
                return Err(AppError::usage(format!(
                    "disk {} is not attached to anything: nothing to detach (it is {})",
                    disk.name, disk.state
                )));
            }
            run_batch(
                ctx,
                vec![Request::DetachDisk { disk }],
                Some(&t.confirm),
                Some(&t.wait),
            )
            .await
        }
        DiskCmd::Delete(t) => {
            let inv = ctx.fetch_for(&[ResourceKind::Disk], &[&t.disk]).await;
            let disk = resolve::row::<Disk>(&inv, &t.disk)?;
            run_batch(
                ctx,
                vec![Request::DeleteDisk { disk }],
                Some(&t.confirm),
                Some(&t.wait),
            )
            .await
        }
    }
}

async fn create_disk(ctx: &Context, c: CreateDisk) -> Result<(), AppError> {
    let p = ctx.create_account()?;
    let spec = DiskSpec {
        region: c.region,
        zone: c.zone,
        name: c.name,
        size_gib: c.size_gib,
        disk_type: c.disk_type,
        tags: tags(&c.tags),
    };
    let req = Request::CreateDisk {
        account: p.account().name.to_string(),
        spec,
    };
    run_batch(ctx, vec![req], None, Some(&c.wait)).await
}

pub async fn lb(ctx: &Context, cmd: LbCmd) -> Result<(), AppError> {
    match cmd {
        LbCmd::Create(c) => create_lb(ctx, c).await,
        LbCmd::Register(t) => {
            let (lb, targets) = lb_and_targets(ctx, &t.lb, &t.instances).await?;
            run_batch(ctx, vec![Request::Register { lb, targets }], None, None).await
        }
        LbCmd::Deregister(t) => {
            let (lb, targets) = lb_and_targets(ctx, &t.lb, &t.instances).await?;
            run_batch(
                ctx,
                vec![Request::Deregister { lb, targets }],
                Some(&t.confirm),
                None,
            )
            .await
        }
        LbCmd::Delete(t) => {
            let inv = ctx.fetch_for(&[ResourceKind::LoadBalancer], &[&t.lb]).await;
            let lb = resolve::row::<LoadBalancer>(&inv, &t.lb)?;
            run_batch(
                ctx,
                vec![Request::DeleteLoadBalancer { lb }],
                Some(&t.confirm),
                Some(&t.wait),
            )
            .await
        }
    }
}

async fn lb_and_targets(
    ctx: &Context,
    lb: &str,
    ids: &[String],
) -> Result<(crate::domain::LoadBalancer, Vec<crate::domain::Instance>), AppError> {
    let mut wanted: Vec<&str> = vec![lb];
    wanted.extend(ids.iter().map(String::as_str));
    let inv = ctx
        .fetch_for(
            &[ResourceKind::LoadBalancer, ResourceKind::Instance],
            &wanted,
        )
        .await;
    let lb = resolve::row::<LoadBalancer>(&inv, lb)?;
    let mut targets = Vec::new();
    for id in ids {
        let t = resolve::row::<Instance>(&inv, id)?;
        if t.r#ref.account != lb.r#ref.account {
            return Err(AppError::usage(format!(
                "instance {} is in account {}, load balancer {} in {}",
                t.name, t.r#ref.account, lb.name, lb.r#ref.account
            )));
        }
        targets.push(t);
    }
    Ok((lb, targets))
}

async fn create_lb(ctx: &Context, c: CreateLb) -> Result<(), AppError> {
    let p = ctx.create_account()?;
    let spec = LbSpec {
        region: c.region,
        name: c.name,
        kind: match c.kind {
            LbKindArg::Application => LbKind::Application,
            LbKindArg::Network => LbKind::Network,
        },
        scheme: match c.scheme {
            SchemeArg::InternetFacing => LbScheme::InternetFacing,
            SchemeArg::Internal => LbScheme::Internal,
        },
        tags: tags(&c.tags),
    };
    let req = Request::CreateLoadBalancer {
        account: p.account().name.to_string(),
        spec,
    };
    run_batch(ctx, vec![req], None, Some(&c.wait)).await
}

pub async fn tag(ctx: &Context, args: TagArgs) -> Result<(), AppError> {
    if args.set.is_empty() && args.remove.is_empty() {
        return Err(AppError::usage(
            "name tags to set (K=V) or to remove (--remove K)",
        ));
    }
    let inv = ctx.fetch_for(&ResourceKind::DESCRIBED, &[&args.id]).await;
    let target = resolve::any(&inv, &args.id)?;
    let req = Request::Tag {
        target,
        set: tags(&args.set),
        remove: args.remove,
    };
    run_batch(ctx, vec![req], Some(&args.confirm), None).await
}
