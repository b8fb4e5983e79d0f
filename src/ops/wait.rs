//! `--wait`: follow the provider's operation (if it gave one), then look at the resource until it
//! reaches the state asked for, fails on the way, or the time runs out. A network change is done
//! when its operation is (there is no listed resource to look at).

use std::time::Duration;

use tokio::time::Instant;

use super::WaitFor;
use crate::domain::{ActionRef, InstanceState, Resource};
use crate::providers::{
    CloudProvider, ErrorKind, OperationHandle, OperationStatus, Progress, ProviderError,
};

/// Wait for `r` to get to `want`. Returns the resource as last seen (None once it is gone, and
/// for a network change).
pub async fn until(
    provider: &dyn CloudProvider,
    r: &ActionRef,
    want: WaitFor,
    op: Option<&OperationHandle>,
    timeout: Duration,
) -> Result<Option<Resource>, ProviderError> {
    until_with(provider, r, want, op, timeout, &mut |_| {}).await
}

/// [`until`], telling `progress` each time the operation reports how far it has got. The
/// operation is asked again no sooner than its `Retry-After` says, nor more often than the
/// provider's `wait_poll`.
pub async fn until_with(
    provider: &dyn CloudProvider,
    target: &ActionRef,
    want: WaitFor,
    op: Option<&OperationHandle>,
    timeout: Duration,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> Result<Option<Resource>, ProviderError> {
    // A deadline past what the clock can count is no deadline (the CLI refuses such a
    // `--timeout` before sending anything; the console follows for a fixed time).
    let deadline = Instant::now().checked_add(timeout);
    let passed = || deadline.is_some_and(|d| Instant::now() >= d);
    let poll = provider.capabilities().wait_poll;
    let timed_out = |last: &str| {
        ProviderError::new(
            ErrorKind::Timeout,
            format!(
                "gave up after {}s waiting for {} to be {} (it is {last})",
                timeout.as_secs(),
                target.id(),
                describe(want)
            ),
        )
    };
    if let Some(op) = op {
        loop {
            match provider.operation_status(op).await? {
                OperationStatus::Done => break,
                OperationStatus::Failed(e) => return Err(e),
                OperationStatus::Running(p) => {
                    if passed() {
                        return Err(timed_out(&p.to_string()));
                    }
                    progress(&p);
                    let pause = poll.max(p.retry_after.unwrap_or_default());
                    tokio::time::sleep(deadline.map_or(pause, |d| {
                        pause.min(d.saturating_duration_since(Instant::now()))
                    }))
                    .await;
                }
            }
        }
    }
    let Some(r) = target.resource().filter(|_| want != WaitFor::Operation) else {
        return Ok(None);
    };
    loop {
        let last = match provider.describe(r).await {
            Ok(d) => {
                if reached(&d.resource, want) {
                    return Ok(Some(d.resource));
                }
                if let Some(e) = went_wrong(&d.resource, want) {
                    return Err(e);
                }
                d.resource.state_word()
            }
            Err(e) if e.kind == ErrorKind::NotFound && is_gone(want) => return Ok(None),
            Err(e) => return Err(e),
        };
        if passed() {
            return Err(timed_out(&last));
        }
        tokio::time::sleep(poll).await;
    }
}

fn is_gone(w: WaitFor) -> bool {
    matches!(
        w,
        WaitFor::InstanceGone | WaitFor::DiskGone | WaitFor::LoadBalancerGone
    )
}

fn describe(w: WaitFor) -> String {
    match w {
        WaitFor::Instance(s) => s.to_string(),
        WaitFor::Disk(s) => s.to_string(),
        WaitFor::LoadBalancer(s) => s.to_string(),
        WaitFor::InstanceGone => "terminated".into(),
        WaitFor::DiskGone | WaitFor::LoadBalancerGone => "deleted".into(),
        WaitFor::Operation => "done".into(),
    }
}

fn reached(r: &Resource, want: WaitFor) -> bool {
    match (r, want) {
        (Resource::Instance(i), WaitFor::Instance(s)) => i.state == s,
        (Resource::Instance(i), WaitFor::InstanceGone) => i.state == InstanceState::Terminated,
        (Resource::Disk(d), WaitFor::Disk(s)) => d.state == s,
        (Resource::LoadBalancer(l), WaitFor::LoadBalancer(s)) => l.state == s,
        _ => false,
    }
}

/// A resting state that is not the one asked for, reached after the action: the action will not
/// get there (a start that ended stopped, say).
fn went_wrong(r: &Resource, want: WaitFor) -> Option<ProviderError> {
    match (r, want) {
        (Resource::Instance(i), WaitFor::Instance(s))
            if i.state == InstanceState::Terminated && s != InstanceState::Terminated =>
        {
            Some(ProviderError::new(
                ErrorKind::InvalidState,
                format!("{} was terminated while waiting for it to be {s}", i.id()),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ResourceKind;
    use crate::providers::sandbox::{SandboxCloud, SandboxSettings};
    use crate::providers::Resources;

    #[tokio::test]
    async fn a_timeout_past_the_end_of_time_waits_without_overflowing() {
        let dir = tempfile::tempdir().unwrap();
        let cloud = SandboxCloud::open(SandboxSettings {
            dir: dir.path().to_path_buf(),
            transition: Duration::from_millis(10),
            latency: Duration::ZERO,
            faults: Vec::new(),
            azure_resource_groups: Vec::new(),
        });
        let p = cloud.providers(false).remove(0);
        let scope = p
            .list_scopes(ResourceKind::Instance)
            .await
            .unwrap()
            .remove(0);
        let Resources::Instances(vms) = p.list(&scope, ResourceKind::Instance).await.unwrap()
        else {
            panic!("instances asked for")
        };
        let vm = vms
            .iter()
            .find(|v| v.state == InstanceState::Running)
            .expect("a running instance");
        let got = until(
            p.as_ref(),
            &vm.r#ref.clone().into(),
            WaitFor::Instance(InstanceState::Running),
            None,
            Duration::MAX,
        )
        .await
        .unwrap();
        assert!(got.is_some());
    }
}
