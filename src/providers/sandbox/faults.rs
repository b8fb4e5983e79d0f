//! Failures the sandbox can be told to show, to see how nephos behaves when one account or
//! region fails: `[sandbox] faults = ["sandbox-gcp/europe-west1=throttled"]` in the config, or
//! `NEPHOS_SANDBOX_FAULTS=sandbox-azure=auth,sandbox-aws/eu-west-1=unavailable`.

use std::time::Duration;

use super::shapes;
use crate::providers::{ErrorKind, ProviderError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub account: String,
    /// None: every region of the account.
    pub region: Option<String>,
    pub kind: ErrorKind,
}

pub fn parse(spec: &str) -> Result<Vec<Fault>, String> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (target, kind) = item.split_once('=').ok_or_else(|| {
                format!("sandbox fault '{item}' should look like ACCOUNT[/REGION]=KIND")
            })?;
            let kind = match kind.trim() {
                "throttled" => ErrorKind::Throttled,
                "auth" => ErrorKind::Auth,
                "unavailable" => ErrorKind::Unavailable,
                "timeout" => ErrorKind::Timeout,
                other => {
                    return Err(format!(
                        "sandbox fault kind '{other}' is not one of throttled, auth, unavailable, timeout"
                    ))
                }
            };
            let (account, region) = match target.trim().split_once('/') {
                Some((a, r)) => (a.trim().to_string(), Some(r.trim().to_string())),
                None => (target.trim().to_string(), None),
            };
            // A fault for an account or region the sandbox does not have would never fire:
            // say so instead of ignoring it.
            let names = || {
                shapes::ALL
                    .iter()
                    .map(|s| s.account)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let shape = shapes::ALL
                .iter()
                .find(|s| s.account == account)
                .ok_or_else(|| {
                    format!(
                        "sandbox fault '{item}' names account '{account}'; the sandbox accounts are {}",
                        names()
                    )
                })?;
            if let Some(r) = &region {
                if shape.zones(r).is_none() {
                    return Err(format!(
                        "sandbox fault '{item}' names region '{r}', which {account} does not have (regions: {})",
                        shape.region_names().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            Ok(Fault {
                account,
                region,
                kind,
            })
        })
        .collect()
}

/// The error a faulty account or region answers with, worded like its provider would.
pub fn error_for(faults: &[Fault], account: &str, region: Option<&str>) -> Option<ProviderError> {
    let f = faults
        .iter()
        .find(|f| f.account == account && (f.region.is_none() || f.region.as_deref() == region))?;
    let where_ = region.unwrap_or("all regions");
    Some(match f.kind {
        ErrorKind::Throttled => ProviderError::coded(
            ErrorKind::Throttled,
            "RequestLimitExceeded",
            format!("Request limit exceeded ({account} {where_}; injected sandbox fault)"),
        )
        .with_retry_after(Duration::from_secs(2)),
        ErrorKind::Auth => ProviderError::coded(
            ErrorKind::Auth,
            "AuthFailure",
            format!("credentials for {account} were rejected (injected sandbox fault)"),
        )
        .with_hint("remove the fault from [sandbox] faults or NEPHOS_SANDBOX_FAULTS"),
        ErrorKind::Timeout => ProviderError::new(
            ErrorKind::Timeout,
            format!("{account} {where_} did not answer in time (injected sandbox fault)"),
        ),
        _ => ProviderError::coded(
            ErrorKind::Unavailable,
            "InternalError",
            format!("HTTP 500 from {account} {where_} (injected sandbox fault)"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let f = parse("sandbox-gcp/europe-west1=throttled, sandbox-azure=auth").unwrap();
        assert_eq!(f.len(), 2);
        assert!(error_for(&f, "sandbox-gcp", Some("europe-west1")).is_some());
        assert!(error_for(&f, "sandbox-gcp", Some("us-central1")).is_none());
        assert_eq!(
            error_for(&f, "sandbox-azure", Some("eastus")).unwrap().kind,
            ErrorKind::Auth
        );
        assert!(parse("sandbox-aws=melted").unwrap_err().contains("melted"));
        assert!(parse("sandbox-gpc=auth")
            .unwrap_err()
            .contains("'sandbox-gpc'"));
        assert!(parse("sandbox-gcp/us-east-1=auth")
            .unwrap_err()
            .contains("'us-east-1'"));
        assert!(parse("nothing")
            .unwrap_err()
            .contains("ACCOUNT[/REGION]=KIND"));
    }
}
