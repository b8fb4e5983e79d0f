//! Compute Engine answers every change with an Operation, kept in a zone, a region or globally.
//! Its handle is the Operation's path within the project (`zones/Z/operations/N`,
//! `regions/R/operations/N`, `global/operations/N`), so `operation_status` can read it from the
//! handle alone. Waits here are bounded by nephos (the SDK's own poller ignores its time limits).

use std::time::Duration;

use google_cloud_compute_v1::model::{self, operation::Status};
use tokio::time::Instant;

use super::errors;
use super::session::Clients;
use crate::providers::{
    ErrorKind, OperationHandle, OperationStatus, Progress, ProviderError, Result,
};

/// Where an operation is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Zone(String),
    Region(String),
    Global,
}

pub fn handle(op: &model::Operation) -> Result<OperationHandle> {
    let name = op
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            ProviderError::new(
                ErrorKind::Unavailable,
                "Compute answered with an operation that has no name",
            )
        })?;
    let scope = if let Some(z) = op.zone.as_deref() {
        Scope::Zone(super::urls::last(z).to_string())
    } else if let Some(r) = op.region.as_deref() {
        Scope::Region(super::urls::last(r).to_string())
    } else {
        Scope::Global
    };
    Ok(OperationHandle(encode(&scope, name)))
}

pub fn encode(scope: &Scope, name: &str) -> String {
    match scope {
        Scope::Zone(z) => format!("zones/{z}/operations/{name}"),
        Scope::Region(r) => format!("regions/{r}/operations/{name}"),
        Scope::Global => format!("global/operations/{name}"),
    }
}

pub fn decode(h: &OperationHandle) -> Result<(Scope, String)> {
    let bad = || {
        ProviderError::new(
            ErrorKind::Invalid,
            format!("'{}' is not a GCP operation handle", h.0),
        )
    };
    let parts: Vec<&str> = h.0.split('/').collect();
    match parts.as_slice() {
        ["zones", z, "operations", n] => Ok((Scope::Zone(z.to_string()), n.to_string())),
        ["regions", r, "operations", n] => Ok((Scope::Region(r.to_string()), n.to_string())),
        ["global", "operations", n] => Ok((Scope::Global, n.to_string())),
        _ => Err(bad()),
    }
}

pub async fn get(c: &Clients, project: &str, h: &OperationHandle) -> Result<model::Operation> {
    let (scope, name) = decode(h)?;
    let r = match scope {
        Scope::Zone(z) => {
            c.zone_ops
                .get()
                .set_project(project)
                .set_zone(z)
                .set_operation(name)
                .send()
                .await
        }
        Scope::Region(r) => {
            c.region_ops
                .get()
                .set_project(project)
                .set_region(r)
                .set_operation(name)
                .send()
                .await
        }
        Scope::Global => {
            c.global_ops
                .get()
                .set_project(project)
                .set_operation(name)
                .send()
                .await
        }
    };
    r.map_err(errors::from_sdk)
}

/// An Operation as the core's status: DONE with an `error` is the action's error.
pub fn status(op: &model::Operation) -> OperationStatus {
    match op.status {
        Some(Status::Done) => match errors::from_operation(op) {
            Some(e) => OperationStatus::Failed(e),
            None => OperationStatus::Done,
        },
        _ => OperationStatus::Running(Progress {
            percent: op.progress.map(|p| p.clamp(0, 100) as u8),
            status: Some(
                op.status
                    .as_ref()
                    .and_then(|s| s.name())
                    .unwrap_or("PENDING")
                    .to_string(),
            ),
            retry_after: None,
        }),
    }
}

/// Follow an operation until it is done, for actions whose next step needs it done; gives up
/// after `limit` (a Timeout error naming the operation).
pub async fn wait(
    c: &Clients,
    project: &str,
    h: &OperationHandle,
    poll: Duration,
    limit: Duration,
) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        match status(&get(c, project, h).await?) {
            OperationStatus::Done => return Ok(()),
            OperationStatus::Failed(e) => return Err(e),
            OperationStatus::Running(p) => {
                if Instant::now() >= deadline {
                    return Err(ProviderError::new(
                        ErrorKind::Timeout,
                        format!("operation {} still {p} after {}s", h.0, limit.as_secs()),
                    ));
                }
                tokio::time::sleep(poll.min(deadline.saturating_duration_since(Instant::now())))
                    .await;
            }
        }
    }
}

/// The same, when the call's own answer may already be DONE (no further call then).
pub async fn finish(
    c: &Clients,
    project: &str,
    op: &model::Operation,
    poll: Duration,
    limit: Duration,
) -> Result<OperationHandle> {
    let h = handle(op)?;
    match status(op) {
        OperationStatus::Done => Ok(h),
        OperationStatus::Failed(e) => Err(e),
        OperationStatus::Running(_) => wait(c, project, &h, poll, limit).await.map(|_| h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_round_trip_and_say_where_the_operation_is() {
        for (scope, text) in [
            (
                Scope::Zone("us-central1-a".into()),
                "zones/us-central1-a/operations/op-1",
            ),
            (
                Scope::Region("us-central1".into()),
                "regions/us-central1/operations/op-1",
            ),
            (Scope::Global, "global/operations/op-1"),
        ] {
            assert_eq!(encode(&scope, "op-1"), text);
            assert_eq!(
                decode(&OperationHandle(text.into())).unwrap(),
                (scope, "op-1".to_string())
            );
        }
        assert!(decode(&OperationHandle("arn:aws:x".into())).is_err());
    }

    #[test]
    fn a_done_operation_with_an_error_is_the_actions_error() {
        let op: model::Operation = serde_json::from_value(serde_json::json!({
            "name": "op-9", "status": "DONE",
            "zone": "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a",
            "httpErrorStatusCode": 400,
            "error": {"errors": [{"code": "RESOURCE_IN_USE_BY_ANOTHER_RESOURCE", "message": "The disk 'd' is already being used by 'vm'"}]}
        }))
        .unwrap();
        match status(&op) {
            OperationStatus::Failed(e) => {
                assert_eq!(e.kind, ErrorKind::InUse);
                assert!(e.message.contains("already being used"));
            }
            other => panic!("{other:?}"),
        }
        let running: model::Operation = serde_json::from_value(
            serde_json::json!({"name": "op", "status": "RUNNING", "progress": 40}),
        )
        .unwrap();
        assert!(matches!(status(&running), OperationStatus::Running(p) if p.percent == Some(40)));
        assert_eq!(
            handle(&op).unwrap().0,
            "zones/us-central1-a/operations/op-9"
        );
    }
}
