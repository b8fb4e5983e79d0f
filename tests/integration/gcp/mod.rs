//! The GCP adapter through the real google-cloud-compute-v1 client, against a loopback Compute
//! v1 stub built from the discovery document.

mod actions;
mod backends;
mod cli;
mod errors;
mod listing;
mod retries;
mod service_account;
pub mod stub;

use nephos::domain::{Instance, Resource, ResourceKind};
use nephos::providers::{CloudProvider, Resources};

/// Every row of `kind` the provider lists, through its one scope.
pub async fn listed(p: &dyn CloudProvider, kind: ResourceKind) -> Vec<Resource> {
    let scopes = p.list_scopes(kind).await.expect("scopes");
    assert_eq!(scopes.len(), 1, "a project is one scope");
    match p.list(&scopes[0], kind).await.expect("list") {
        Resources::Instances(v) => v.into_iter().map(Resource::Instance).collect(),
        Resources::Disks(v) => v.into_iter().map(Resource::Disk).collect(),
        Resources::LoadBalancers(v) => v.into_iter().map(Resource::LoadBalancer).collect(),
        Resources::Networks(v) => v.into_iter().map(Resource::Network).collect(),
    }
}

pub async fn instances(p: &dyn CloudProvider) -> Vec<Instance> {
    listed(p, ResourceKind::Instance)
        .await
        .into_iter()
        .filter_map(|r| match r {
            Resource::Instance(i) => Some(i),
            _ => None,
        })
        .collect()
}
