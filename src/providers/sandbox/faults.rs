//! Failures the sandbox can be told to show, to see how nephos behaves when one account, region
//! or list scope fails: `[sandbox] faults = ["sandbox-aws/eu-west-1=throttled"]` in the config,
//! or `NEPHOS_SANDBOX_FAULTS=sandbox-azure=auth,sandbox-azure/rg-web-prod=unavailable`.
//!
//! After the `/` comes a region or a list scope's name (an AWS region, the GCP project id, the
//! Azure subscription id or a resource group). A region fault fails the calls made there, and
//! every list call that reaches it: the GCP project's and Azure subscription's (or resource
//! group's) lists cover every region in one call, so they fail whole, as one call does.

use std::time::Duration;

use super::shapes;
use crate::domain::ProviderKind;
use crate::providers::{ErrorKind, ListScope, ProviderError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub account: String,
    /// A region or a list scope's name; None: everything of the account.
    pub place: Option<String>,
    pub kind: ErrorKind,
}

pub fn parse(spec: &str) -> Result<Vec<Fault>, String> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (target, kind) = item.split_once('=').ok_or_else(|| {
                format!("sandbox fault '{item}' should look like ACCOUNT[/REGION-OR-SCOPE]=KIND")
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
            let (account, place) = match target.trim().split_once('/') {
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
            if let Some(r) = &place {
                // A region, the account's own list scope (GCP project, Azure subscription), or
                // an Azure resource group.
                let known = shape.zones(r).is_some()
                    || r == shape.native_id
                    || (shape.provider == ProviderKind::Azure && r.starts_with("rg-"));
                if !known {
                    return Err(format!(
                        "sandbox fault '{item}' names region or scope '{r}', which {account} does not have (regions: {})",
                        shape.region_names().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            Ok(Fault {
                account,
                place,
                kind,
            })
        })
        .collect()
}

/// The error a call in a faulty account or region answers with, worded like its provider would.
pub fn error_for(faults: &[Fault], account: &str, region: Option<&str>) -> Option<ProviderError> {
    let f = faults
        .iter()
        .find(|f| f.account == account && (f.place.is_none() || f.place.as_deref() == region))?;
    Some(error(f, account, region.unwrap_or("all regions")))
}

/// The error listing `scope` answers with: a fault on its account, on the scope by name, or on a
/// region the scope's one call reaches (`regions`: the account's).
pub fn error_for_scope(
    faults: &[Fault],
    account: &str,
    scope: &ListScope,
    regions: &[String],
) -> Option<ProviderError> {
    let f = faults.iter().find(|f| {
        f.account == account
            && match f.place.as_deref() {
                None => true,
                Some(p) => {
                    p == scope.name || scope.spans_regions() && regions.iter().any(|r| r == p)
                }
            }
    })?;
    Some(error(f, account, &scope.to_string()))
}

fn error(f: &Fault, account: &str, where_: &str) -> ProviderError {
    match f.kind {
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
    }
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
            .contains("ACCOUNT[/REGION-OR-SCOPE]=KIND"));
    }

    #[test]
    fn a_region_fault_fails_the_scopes_that_reach_it() {
        let f =
            parse("sandbox-gcp/europe-west1=throttled, sandbox-azure/rg-web-prod=auth").unwrap();
        let gcp_regions = vec!["us-central1".to_string(), "europe-west1".to_string()];
        let project = ListScope::gcp_project("nephos-sandbox");
        let e = error_for_scope(&f, "sandbox-gcp", &project, &gcp_regions).unwrap();
        assert!(e.message.contains("project nephos-sandbox"), "{e}");
        let other = ["us-central1".to_string()];
        assert!(error_for_scope(&f, "sandbox-gcp", &project, &other).is_none());
        let (web, api) = (
            ListScope::azure_resource_group("rg-web-prod"),
            ListScope::azure_resource_group("rg-api-prod"),
        );
        assert!(error_for_scope(&f, "sandbox-azure", &web, &[]).is_some());
        assert!(error_for_scope(&f, "sandbox-azure", &api, &[]).is_none());
        let aws = parse("sandbox-aws/us-east-1=unavailable").unwrap();
        let regions = ["us-east-1".to_string(), "us-west-2".to_string()];
        let east = ListScope::aws_region("us-east-1");
        let west = ListScope::aws_region("us-west-2");
        assert!(error_for_scope(&aws, "sandbox-aws", &east, &regions).is_some());
        assert!(error_for_scope(&aws, "sandbox-aws", &west, &regions).is_none());
    }
}
