//! Register and deregister change a NIC's backend pools and nothing else: the NIC goes back to
//! ARM as ARM gave it (fields the 0.21 model does not know included), with `If-Match` on its
//! etag, and a NIC changed meanwhile (412) is read again once.
//!
//! The NIC is shaped after Azure/azure-rest-api-specs (MIT)
//! specification/network/resource-manager/Microsoft.Network/stable/2024-07-01/examples/
//! NetworkInterfaceGet.json, with auxiliaryMode/auxiliarySku/nicType and ASGs added, and a
//! field no api-version has (yet).

use nephos::domain::{LoadBalancer, Resource, ResourceKind};
use nephos::providers::{CloudProvider, ErrorKind, OperationStatus, Request};
use serde_json::{json, Value};

use super::provider;
use super::stub::world::{back_ref, lower, World};
use super::stub::{ArmStub, RG, SUB};

fn nic_id() -> String {
    format!(
        "{}/providers/Microsoft.Network/networkInterfaces/vm-00000-nic",
        World::rg_id(SUB, RG)
    )
}

fn lb_id() -> String {
    format!(
        "{}/providers/Microsoft.Network/loadBalancers/web-lb",
        World::rg_id(SUB, RG)
    )
}

/// A NIC with much the generated model cannot carry, already in another pool.
fn rich_nic() -> Value {
    let id = nic_id();
    let rg = World::rg_id(SUB, RG);
    let vm = format!("{rg}/providers/Microsoft.Compute/virtualMachines/vm-00000");
    json!({
        "name": "vm-00000-nic", "id": id, "location": "eastus",
        "etag": "W/\"00000000-aaaa-4000-8000-000000000001\"",
        "type": "Microsoft.Network/networkInterfaces",
        "tags": {"owner": "net-team"},
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": "6b3c9f8a-0000-4000-8000-0000000000aa",
            "auxiliaryMode": "AcceleratedConnections",
            "auxiliarySku": "A2",
            "nicType": "Standard",
            "someFieldFromTheFuture": {"mode": "on", "levels": [1, 2, 3]},
            "ipConfigurations": [{
                "name": "ipconfig1", "id": format!("{id}/ipConfigurations/ipconfig1"),
                "etag": "W/\"00000000-aaaa-4000-8000-000000000001\"",
                "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
                "properties": {
                    "provisioningState": "Succeeded",
                    "privateIPAddress": "172.20.2.4",
                    "privateIPAllocationMethod": "Dynamic",
                    "subnet": {"id": format!("{rg}/providers/Microsoft.Network/virtualNetworks/rg1-vnet/subnets/default")},
                    "primary": true,
                    "privateIPAddressVersion": "IPv4",
                    "applicationSecurityGroups": [{"id": format!("{rg}/providers/Microsoft.Network/applicationSecurityGroups/web-asg")}],
                    "loadBalancerBackendAddressPools": [{"id": format!("{rg}/providers/Microsoft.Network/loadBalancers/other-lb/backendAddressPools/keep")}],
                    "anotherUnknownConfigField": true
                }
            }],
            "dnsSettings": {"dnsServers": [], "appliedDnsServers": [],
                "internalDomainNameSuffix": "test.bx.internal.cloudapp.net"},
            "macAddress": "00-0D-3A-1B-C7-21",
            "enableAcceleratedNetworking": true,
            "disableTcpStateTracking": true,
            "enableIPForwarding": false,
            "networkSecurityGroup": {"id": format!("{rg}/providers/Microsoft.Network/networkSecurityGroups/nsg")},
            "primary": true,
            "virtualMachine": {"id": back_ref(&vm)},
            "vnetEncryptionSupported": false
        }
    })
}

/// Two VMs, the first with the rich NIC, and a load balancer with one pool (its id spelt with
/// the group upper-cased, as ARM does in places).
fn world() -> ArmStub {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 2, &["eastus"]);
        w.nics.insert(lower(&nic_id()), rich_nic());
        let id = back_ref(&lb_id());
        w.lbs.insert(
            lower(&lb_id()),
            json!({"name": "web-lb", "id": id, "location": "eastus", "sku": {"name": "Standard"},
            "properties": {"provisioningState": "Succeeded",
                "backendAddressPools": [{"name": "pool", "id": format!("{id}/backendAddressPools/pool"),
                    "properties": {"provisioningState": "Succeeded"}}]}}),
        );
    });
    stub
}

async fn lb(p: &dyn CloudProvider) -> LoadBalancer {
    let r = nephos::domain::ResourceRef::new(
        nephos::domain::ProviderKind::Azure,
        "corp",
        "eastus",
        ResourceKind::LoadBalancer,
        &lb_id(),
    );
    match p.describe(&r).await.unwrap().resource {
        Resource::LoadBalancer(l) => l,
        other => panic!("{other:?}"),
    }
}

async fn vm0(p: &dyn CloudProvider) -> nephos::domain::Instance {
    let r = nephos::domain::ResourceRef::new(
        nephos::domain::ProviderKind::Azure,
        "corp",
        "eastus",
        ResourceKind::Instance,
        &format!(
            "{}/providers/Microsoft.Compute/virtualMachines/vm-00000",
            World::rg_id(SUB, RG)
        ),
    );
    match p.describe(&r).await.unwrap().resource {
        Resource::Instance(i) => i,
        other => panic!("{other:?}"),
    }
}

async fn change(p: &dyn CloudProvider, register: bool) -> nephos::providers::Result<()> {
    let (lb, targets) = (lb(p).await, vec![vm0(p).await]);
    let req = if register {
        Request::Register { lb, targets }
    } else {
        Request::Deregister { lb, targets }
    };
    let a = p.apply(&req).await?;
    if let Some(op) = &a.operation {
        while !matches!(p.operation_status(op).await?, OperationStatus::Done) {}
    }
    Ok(())
}

fn without_etags(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("etag");
    v
}

fn stored(stub: &ArmStub) -> Value {
    stub.with(|w| w.nics[&lower(&nic_id())].clone())
}

#[tokio::test]
async fn register_then_deregister_leaves_every_other_nic_setting_as_it_was() {
    let stub = world();
    let p = provider(&stub, &[]);
    change(&p, true).await.unwrap();
    let joined = stored(&stub);
    let pools = joined
        .pointer("/properties/ipConfigurations/0/properties/loadBalancerBackendAddressPools")
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(pools.len(), 2, "the other pool is kept: {pools:?}");
    assert!(lb(&p)
        .await
        .targets
        .iter()
        .any(|t| t.instance.id.ends_with("vm-00000")));
    for field in [
        "/properties/auxiliaryMode",
        "/properties/auxiliarySku",
        "/properties/nicType",
        "/properties/someFieldFromTheFuture",
        "/properties/ipConfigurations/0/properties/applicationSecurityGroups",
        "/properties/ipConfigurations/0/properties/anotherUnknownConfigField",
    ] {
        assert_eq!(joined.pointer(field), rich_nic().pointer(field), "{field}");
    }
    change(&p, false).await.unwrap();
    assert!(lb(&p).await.targets.is_empty());
    assert_eq!(without_etags(stored(&stub)), without_etags(rich_nic()));
    // Each PUT named the etag it had read.
    let seen = stub.with(|w| w.nic_if_match.clone());
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].as_deref(),
        Some("W/\"00000000-aaaa-4000-8000-000000000001\"")
    );
    assert!(seen.iter().all(Option::is_some), "{seen:?}");
    // Deregistering what is not registered PUTs nothing.
    change(&p, false).await.unwrap();
    assert_eq!(stub.with(|w| w.nic_if_match.len()), 2);
}

#[tokio::test]
async fn a_nic_changed_meanwhile_is_read_again_and_the_other_change_kept() {
    let stub = world();
    stub.with(|w| w.nic_races = 1);
    let p = provider(&stub, &[]);
    change(&p, true).await.unwrap();
    let nic = stored(&stub);
    assert_eq!(nic["tags"]["changed-by"], "another-writer");
    assert_eq!(
        nic.pointer("/properties/ipConfigurations/0/properties/loadBalancerBackendAddressPools")
            .and_then(Value::as_array)
            .map(Vec::len),
        Some(2)
    );
    let seen = stub.with(|w| w.nic_if_match.clone());
    assert_eq!(seen.len(), 2, "one refused PUT, one after reading again");
    assert_ne!(seen[0], seen[1]);
}

#[tokio::test]
async fn a_nic_that_keeps_changing_is_the_user_s_error_to_retry() {
    let stub = world();
    stub.with(|w| w.nic_races = 5);
    let p = provider(&stub, &[]);
    let e = change(&p, true).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Busy, "{e:?}");
    assert!(e.message.contains("vm-00000-nic"), "{}", e.message);
    assert_eq!(
        stub.with(|w| w.nic_if_match.len()),
        2,
        "read again once only"
    );
}
