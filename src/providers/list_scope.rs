//! Where a provider lists a kind of resource, in its own words: an AWS region, a GCP project
//! (one aggregated list for every region and zone), an Azure subscription or resource group.

use std::fmt;

use crate::domain::{ProviderKind, Str};

/// What a list scope is, as its provider calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScopeLevel {
    Region,
    Project,
    Subscription,
    ResourceGroup,
}

impl ScopeLevel {
    pub fn word(self) -> &'static str {
        match self {
            ScopeLevel::Region => "region",
            ScopeLevel::Project => "project",
            ScopeLevel::Subscription => "subscription",
            ScopeLevel::ResourceGroup => "resource group",
        }
    }
}

/// One list call's reach, chosen by the provider (`CloudProvider::list_scopes`). Its rows carry
/// their own region and zone; a scope that reaches past the configured regions has its rows
/// outside them dropped by the adapter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListScope {
    pub provider: ProviderKind,
    pub level: ScopeLevel,
    /// The region, project id, subscription id or resource group name.
    pub name: Str,
    /// The provider meters these calls per region (AWS: per account and region), so the poll
    /// cap is kept per account and region rather than per account.
    pub metered_per_region: bool,
}

impl ListScope {
    pub fn new(provider: ProviderKind, level: ScopeLevel, name: &str) -> Self {
        ListScope {
            provider,
            level,
            name: name.into(),
            metered_per_region: false,
        }
    }

    /// An AWS region: listed on its own endpoint, with its own request budget.
    pub fn aws_region(region: &str) -> Self {
        ListScope {
            metered_per_region: true,
            ..ListScope::new(ProviderKind::Aws, ScopeLevel::Region, region)
        }
    }

    /// A GCP project, read with aggregated lists (every region and zone in one call).
    pub fn gcp_project(project: &str) -> Self {
        ListScope::new(ProviderKind::Gcp, ScopeLevel::Project, project)
    }

    pub fn azure_subscription(subscription: &str) -> Self {
        ListScope::new(ProviderKind::Azure, ScopeLevel::Subscription, subscription)
    }

    pub fn azure_resource_group(group: &str) -> Self {
        ListScope::new(ProviderKind::Azure, ScopeLevel::ResourceGroup, group)
    }

    /// The region its calls are metered in, when the provider meters per region.
    pub fn metered_region(&self) -> Option<&str> {
        self.metered_per_region.then_some(self.name.as_str())
    }

    /// One call lists every region (a project or subscription, or a resource group, which may
    /// hold resources in any region).
    pub fn spans_regions(&self) -> bool {
        self.level != ScopeLevel::Region
    }
}

/// `region us-east-1`, `project my-proj`, `resource group rg-web`.
impl fmt::Display for ListScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.level.word(), self.name)
    }
}

/// Keep the rows a whole-account scope returned that lie in the configured regions (none
/// configured: all of them).
pub fn in_regions<T>(rows: &mut Vec<T>, regions: &[String], region_of: impl Fn(&T) -> &str) {
    if !regions.is_empty() {
        rows.retain(|r| regions.iter().any(|want| want == region_of(r)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_in_the_providers_words() {
        assert_eq!(
            ListScope::aws_region("us-east-1").to_string(),
            "region us-east-1"
        );
        assert_eq!(
            ListScope::gcp_project("my-proj").to_string(),
            "project my-proj"
        );
        assert_eq!(
            ListScope::azure_resource_group("rg-web").to_string(),
            "resource group rg-web"
        );
        assert_eq!(
            ListScope::aws_region("eu-west-1").metered_region(),
            Some("eu-west-1")
        );
        assert_eq!(ListScope::gcp_project("p").metered_region(), None);
        assert!(ListScope::azure_subscription("s").spans_regions());
        assert!(!ListScope::aws_region("r").spans_regions());
    }

    #[test]
    fn rows_outside_the_configured_regions_are_dropped() {
        let mut rows = vec!["us-central1", "europe-west1", "asia-northeast1"];
        in_regions(&mut rows, &["europe-west1".into()], |r| r);
        assert_eq!(rows, ["europe-west1"]);
        let mut all = vec!["a", "b"];
        in_regions(&mut all, &[], |r| r);
        assert_eq!(all, ["a", "b"]);
    }
}
