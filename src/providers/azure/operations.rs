//! ARM's long-running operations, followed by nephos rather than by the generated clients'
//! helpers (which re-send the PUT, misread `provisioningState` and poll `Location` wrongly: see
//! docs/crates.md). An accepted change hands back its `Azure-AsyncOperation` URL (or, when it
//! gives none, its `Location` URL) as the operation handle; [`status`] reads it once, with the
//! `Retry-After` ARM asks for.
//!
//! * `Azure-AsyncOperation`: `{"status": "InProgress" | "Succeeded" | "Failed" | "Canceled",
//!   "error": {"code", "message"}, "percentComplete"}`.
//! * `Location`: 202 while running, 200 or 204 when done, an error status when it failed.

use azure_core::Method;

use super::arm::AsyncOperation;
use super::errors;
use super::session::{retry_after, Session};
use crate::providers::{
    ErrorKind, OperationHandle, OperationStatus, Progress, ProviderError, Result,
};

const ASYNC: &str = "azure-asyncoperation ";
const LOCATION: &str = "location ";

/// The handle for an accepted change: its `Azure-AsyncOperation` URL, else its `Location`.
pub fn handle(async_op: Option<&str>, location: Option<&str>) -> Option<OperationHandle> {
    match (async_op, location) {
        (Some(a), _) if !a.is_empty() => Some(OperationHandle(format!("{ASYNC}{a}"))),
        (_, Some(l)) if !l.is_empty() => Some(OperationHandle(format!("{LOCATION}{l}"))),
        _ => None,
    }
}

/// Where the operation stands, read once.
pub async fn status(s: &Session, op: &OperationHandle) -> Result<OperationStatus> {
    let (is_async, url) = if let Some(u) = op.0.strip_prefix(ASYNC) {
        (true, u)
    } else if let Some(u) = op.0.strip_prefix(LOCATION) {
        (false, u)
    } else {
        return Err(ProviderError::new(
            ErrorKind::Invalid,
            format!("'{}' is not an Azure operation handle", op.0),
        ));
    };
    let url = azure_core::Url::parse(url)
        .map_err(|e| ProviderError::new(ErrorKind::Invalid, format!("operation URL {url}: {e}")))?;
    if is_async {
        let (_, headers, body) = s.send(Method::Get, url, None).await?;
        let op: AsyncOperation = serde_json::from_slice(&body).unwrap_or_default();
        Ok(match op.status.as_str() {
            "Succeeded" => OperationStatus::Done,
            "Failed" | "Canceled" => {
                let err = op.error.unwrap_or_default();
                let e = if err.code.is_empty() {
                    ProviderError::new(
                        ErrorKind::Unavailable,
                        format!("the operation ended {}", op.status),
                    )
                } else {
                    errors::from_answer(400, Some(&err.code), Some(&err.message), None, &s.cx())
                };
                OperationStatus::Failed(e)
            }
            word => OperationStatus::Running(Progress {
                percent: op.percent_complete.map(|p| p.clamp(0.0, 100.0) as u8),
                status: Some(if word.is_empty() { "InProgress" } else { word }.to_string()),
                retry_after: retry_after(&headers),
            }),
        })
    } else {
        match s.send(Method::Get, url, None).await {
            Ok((202, headers, _)) => Ok(OperationStatus::Running(Progress {
                percent: None,
                status: Some("Accepted".into()),
                retry_after: retry_after(&headers),
            })),
            Ok(_) => Ok(OperationStatus::Done),
            Err(e) if e.kind == ErrorKind::Throttled => Err(e),
            Err(e) => Ok(OperationStatus::Failed(e)),
        }
    }
}

/// Follow `op` to its end (for the steps nephos makes before the change it reports: a NIC
/// before its VM, a public IP before its load balancer).
pub async fn finish(s: &Session, op: Option<OperationHandle>) -> Result<()> {
    let Some(op) = op else { return Ok(()) };
    let started = tokio::time::Instant::now();
    loop {
        match status(s, &op).await? {
            OperationStatus::Done => return Ok(()),
            OperationStatus::Failed(e) => return Err(e),
            OperationStatus::Running(p) => {
                if started.elapsed() > std::time::Duration::from_secs(600) {
                    return Err(ProviderError::new(
                        ErrorKind::Timeout,
                        "a preparatory Azure operation did not end within 10 minutes",
                    ));
                }
                let pause = p
                    .retry_after
                    .unwrap_or(std::time::Duration::from_secs(1))
                    .clamp(
                        std::time::Duration::from_millis(50),
                        std::time::Duration::from_secs(30),
                    );
                tokio::time::sleep(pause).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_async_operation_url_is_preferred() {
        let h = handle(Some("https://m/a"), Some("https://m/l")).unwrap();
        assert_eq!(h.0, "azure-asyncoperation https://m/a");
        let h = handle(None, Some("https://m/l")).unwrap();
        assert_eq!(h.0, "location https://m/l");
        assert!(handle(None, None).is_none());
    }
}
