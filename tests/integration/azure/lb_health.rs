//! Target health from ARM's per-rule health API (Network 2024-07-01, example
//! LoadBalancerHealth.json of Azure/azure-rest-api-specs, MIT): read on describe, through the
//! 202 + Location the API answers with; a listing does not call it.

use nephos::domain::{ProviderKind, Resource, ResourceKind, ResourceRef, TargetHealth};
use nephos::providers::{CloudProvider, ListScope, Resources};
use serde_json::json;

use super::provider;
use super::stub::world::{back_ref, lower, World};
use super::stub::{ArmStub, RG, SUB};

fn lb_id() -> String {
    format!(
        "{}/providers/Microsoft.Network/loadBalancers/web-lb",
        World::rg_id(SUB, RG)
    )
}

fn ip_config(i: usize) -> String {
    format!(
        "{}/providers/Microsoft.Network/networkInterfaces/vm-{i:05}-nic/ipConfigurations/ipconfig1",
        World::rg_id(SUB, RG)
    )
}

/// Three VMs in the pool of one rule; the second's probe fails.
fn world() -> ArmStub {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 4, &["eastus"]);
        let id = back_ref(&lb_id());
        let pool = format!("{id}/backendAddressPools/pool");
        w.lbs.insert(
            lower(&lb_id()),
            json!({"name": "web-lb", "id": id, "location": "eastus", "sku": {"name": "Standard"},
            "properties": {"provisioningState": "Succeeded",
                "backendAddressPools": [{"name": "pool", "id": pool, "properties": {}}],
                "loadBalancingRules": [{"name": "tcp-80", "id": format!("{id}/loadBalancingRules/tcp-80"),
                    "properties": {"backendAddressPool": {"id": pool}, "protocol": "Tcp",
                        "frontendPort": 80, "backendPort": 80}}]}}),
        );
        for nic in w.nics.values_mut().take(3) {
            nic["properties"]["ipConfigurations"][0]["properties"]
                ["loadBalancerBackendAddressPools"] = json!([{"id": pool.to_lowercase()}]);
        }
        w.probe_down.insert(lower(&ip_config(1)));
    });
    stub
}

async fn described(p: &dyn CloudProvider) -> nephos::domain::LoadBalancer {
    let r = ResourceRef::new(
        ProviderKind::Azure,
        "corp",
        "eastus",
        ResourceKind::LoadBalancer,
        &lb_id(),
    );
    match p.describe(&r).await.unwrap().resource {
        Resource::LoadBalancer(lb) => lb,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn describe_reads_each_target_s_probe_state_through_the_rule_health_api() {
    let stub = world();
    let p = provider(&stub, &[]);
    let lb = described(&p).await;
    let health = |vm: &str| {
        lb.targets
            .iter()
            .find(|t| t.instance.id.ends_with(vm))
            .map(|t| t.health)
    };
    assert_eq!(lb.targets.len(), 3, "{:?}", lb.targets);
    assert_eq!(health("vm-00000"), Some(TargetHealth::Healthy));
    assert_eq!(health("vm-00001"), Some(TargetHealth::Unhealthy));
    assert_eq!(health("vm-00002"), Some(TargetHealth::Healthy));
    assert_eq!(stub.count("/loadBalancingRules/tcp-80/health"), 1);
    assert!(
        stub.count("/operationResults/") >= 1,
        "the 202 was followed"
    );

    // A listing does not ask (one call per rule per LB would spend the read budget).
    let Resources::LoadBalancers(rows) = p
        .list(
            &ListScope::azure_subscription(SUB),
            ResourceKind::LoadBalancer,
        )
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(rows[0]
        .targets
        .iter()
        .all(|t| t.health == TargetHealth::Unknown));
    assert_eq!(stub.count("/health"), 1);
}

#[tokio::test]
async fn an_answer_naming_none_of_the_targets_leaves_health_unknown() {
    let stub = world();
    // The rule's pool is not the one the VMs are in: its health answer lists nobody.
    stub.with(|w| {
        let lb = w.lbs.get_mut(&lower(&lb_id())).unwrap();
        lb["properties"]["loadBalancingRules"][0]["properties"]["backendAddressPool"]["id"] =
            json!("/nowhere");
    });
    let p = provider(&stub, &[]);
    let lb = described(&p).await;
    assert_eq!(lb.targets.len(), 3);
    assert!(lb.targets.iter().all(|t| t.health == TargetHealth::Unknown));
    assert_eq!(stub.count("/health"), 1, "it was asked");
}
