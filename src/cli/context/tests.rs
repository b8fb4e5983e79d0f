//! The one-shot fetch against the sandbox: each account lists by its provider's scopes, and a
//! failing scope is named in the provider's words while the others arrive.

use std::sync::Mutex;

use async_trait::async_trait;

use super::*;
use crate::domain::Described;
use crate::providers::sandbox::{faults, SandboxCloud, SandboxSettings};
use crate::providers::{AccountInfo, Capabilities, ListScope};

/// A provider that records every list call it passes on.
struct Counting {
    inner: Arc<dyn CloudProvider>,
    lists: Mutex<Vec<(ListScope, ResourceKind)>>,
}

#[async_trait]
impl CloudProvider for Counting {
    fn account(&self) -> &AccountInfo {
        self.inner.account()
    }
    fn capabilities(&self) -> &Capabilities {
        self.inner.capabilities()
    }
    async fn list_scopes(&self, kind: ResourceKind) -> crate::providers::Result<Vec<ListScope>> {
        self.inner.list_scopes(kind).await
    }
    async fn list(
        &self,
        scope: &ListScope,
        kind: ResourceKind,
    ) -> crate::providers::Result<Resources> {
        self.lists.lock().unwrap().push((scope.clone(), kind));
        self.inner.list(scope, kind).await
    }
    async fn describe(&self, r: &ResourceRef) -> crate::providers::Result<Described> {
        self.inner.describe(r).await
    }
}

const KINDS: [ResourceKind; 3] = [
    ResourceKind::Instance,
    ResourceKind::Disk,
    ResourceKind::LoadBalancer,
];

/// A 60-instance sandbox in `dir`, seen through counting providers.
fn sandbox(dir: &std::path::Path, groups: &[&str], faults: &str) -> Vec<Arc<Counting>> {
    let cloud = SandboxCloud::open(SandboxSettings {
        faults: faults::parse(faults).unwrap(),
        azure_resource_groups: groups.iter().map(|g| g.to_string()).collect(),
        ..SandboxSettings::quick(dir.to_path_buf())
    });
    if !cloud.path().exists() {
        cloud.reset(60, 42).unwrap();
    }
    cloud
        .providers(false)
        .into_iter()
        .map(|inner| {
            Arc::new(Counting {
                inner,
                lists: Mutex::new(Vec::new()),
            })
        })
        .collect()
}

async fn fetch_all(providers: &[Arc<Counting>]) -> Inventory {
    let mut inv = Inventory::new();
    for p in providers {
        let p = p.clone() as Arc<dyn CloudProvider>;
        let within = std::time::Duration::from_secs(60);
        let deadline = (tokio::time::Instant::now() + within, within);
        match fetch_account(p, None, KINDS.to_vec(), AccountCaps::new(8), deadline).await {
            Ok(results) => {
                for (scope, outcome) in results {
                    inv.apply(scope, outcome, Utc::now());
                }
            }
            Err((account, e)) => inv.account_failed(&account, e),
        }
    }
    inv
}

fn calls(p: &Counting) -> Vec<String> {
    let mut v: Vec<String> = p
        .lists
        .lock()
        .unwrap()
        .iter()
        .map(|(s, k)| format!("{s} {}", k.plural()))
        .collect();
    v.sort();
    v
}

/// The resource group in an Azure ARM id.
fn group_of(id: &str) -> String {
    let parts: Vec<&str> = id.split('/').collect();
    let i = parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("resourceGroups"))
        .unwrap();
    parts[i + 1].to_string()
}

#[tokio::test]
async fn each_sandbox_account_lists_by_its_providers_scopes() {
    let dir = tempfile::tempdir().unwrap();
    let providers = sandbox(dir.path(), &[], "");
    let inv = fetch_all(&providers).await;
    let [aws, gcp, azure] = [&providers[0], &providers[1], &providers[2]];
    assert_eq!(calls(aws).len(), 9, "three regions, three kinds");
    assert!(calls(aws).contains(&"region us-west-2 disks".to_string()));
    assert_eq!(
        calls(gcp),
        [
            "project nephos-sandbox disks",
            "project nephos-sandbox instances",
            "project nephos-sandbox load balancers"
        ],
        "GCP: one aggregated list per kind for the whole project"
    );
    let sub = "subscription 7d3c2f1e-5b4a-4c3d-9e8f-0a1b2c3d4e5f";
    assert_eq!(
        calls(azure),
        [
            format!("{sub} disks"),
            format!("{sub} instances"),
            format!("{sub} load balancers")
        ]
    );
    // The project's one list brought every region's rows, each with its own region.
    let gcp_regions: std::collections::BTreeSet<&str> = inv
        .instances
        .iter()
        .filter(|i| i.r#ref.account == "sandbox-gcp")
        .map(|i| i.r#ref.region.as_str())
        .collect();
    assert!(gcp_regions.len() > 1, "{gcp_regions:?}");
    assert_eq!(inv.instances.len(), 60);
    assert!(inv.failures().is_empty());
}

#[tokio::test]
async fn azure_with_resource_groups_lists_each_group_and_a_failing_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let all = fetch_all(&sandbox(dir.path(), &[], "")).await;
    let mut groups: Vec<String> = all
        .instances
        .iter()
        .filter(|i| i.r#ref.account == "sandbox-azure")
        .map(|i| group_of(&i.r#ref.id))
        .collect();
    groups.sort();
    groups.dedup();
    assert!(groups.len() >= 3, "{groups:?}");
    let (bad, good) = (groups[0].as_str(), groups[1].as_str());
    let in_group = |g: &str| {
        all.instances
            .iter()
            .filter(|i| i.r#ref.account == "sandbox-azure" && group_of(&i.r#ref.id) == g)
            .count()
    };

    let providers = sandbox(
        dir.path(),
        &[bad, good],
        &format!("sandbox-azure/{bad}=throttled"),
    );
    let inv = fetch_all(&providers).await;
    let azure = &providers[2];
    assert_eq!(
        calls(azure).len(),
        6,
        "two groups, three kinds: {:?}",
        calls(azure)
    );
    assert!(calls(azure).contains(&format!("resource group {good} instances")));
    let azure_rows: Vec<String> = inv
        .instances
        .iter()
        .filter(|i| i.r#ref.account == "sandbox-azure")
        .map(|i| group_of(&i.r#ref.id))
        .collect();
    assert_eq!(
        azure_rows.len(),
        in_group(good),
        "only the good group's rows"
    );
    assert!(azure_rows.iter().all(|g| g == good));
    let mut failures: Vec<String> = inv
        .failures()
        .iter()
        .map(|(s, e)| format!("{s}: {}", e.code.as_deref().unwrap_or("")))
        .collect();
    failures.sort();
    assert_eq!(
        failures,
        [
            format!("azure sandbox-azure resource group {bad} disks: RequestLimitExceeded"),
            format!("azure sandbox-azure resource group {bad} instances: RequestLimitExceeded"),
            format!(
                "azure sandbox-azure resource group {bad} load balancers: RequestLimitExceeded"
            ),
        ]
    );
    // The other accounts are untouched.
    let others = |inv: &Inventory| {
        inv.instances
            .iter()
            .filter(|i| i.r#ref.account != "sandbox-azure")
            .count()
    };
    assert_eq!(others(&inv), others(&all));
}
