//! Listing through the real crates: two locations, several pages, power state from the same
//! pages, sizes, addresses, disks with LUNs, configured regions.

use nephos::domain::{DiskState, InstanceState, ResourceKind};
use nephos::providers::{CloudProvider, ListScope, Resources};

use super::stub::{ArmStub, RG, SUB};
use super::{account, provider, provider_for};

async fn instances(p: &dyn CloudProvider) -> Vec<nephos::domain::Instance> {
    let mut out = Vec::new();
    for scope in p.list_scopes(ResourceKind::Instance).await.unwrap() {
        match p.list(&scope, ResourceKind::Instance).await.unwrap() {
            Resources::Instances(v) => out.extend(v),
            other => panic!("{other:?}"),
        }
    }
    out
}

#[tokio::test]
async fn vms_of_two_locations_come_over_several_pages_with_their_power_state() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 10, &["eastus", "westeurope"]);
        w.page_size = 4;
    });
    let p = provider(&stub, &[]);
    let vms = instances(&p).await;
    assert_eq!(vms.len(), 10);
    assert_eq!(vms.iter().filter(|v| v.region() == "westeurope").count(), 5);
    // One list call per page, power state included: no call per VM.
    assert_eq!(
        stub.count("Microsoft.Compute/virtualMachines?"),
        3,
        "3 pages of 4"
    );
    assert!(stub.count("statusOnly=true") >= 1);
    assert_eq!(stub.count("/virtualMachines/vm-"), 0, "no per-VM reads");
    let by = |n: &str| vms.iter().find(|v| v.name == n).unwrap().clone();
    let v0 = by("vm-00000");
    assert_eq!(v0.state, InstanceState::Running);
    assert_eq!(
        (v0.vcpus, v0.memory_gib),
        (Some(1), Some(1.0)),
        "Standard_B1s from vmSizes"
    );
    assert_eq!(v0.private_ip.as_deref(), Some("10.0.0.4"));
    assert_eq!(v0.public_ip.as_deref(), Some("20.0.0.0"));
    assert!(v0.spot);
    assert_eq!(v0.zone.as_deref(), Some("1"));
    assert_eq!(v0.tags.get("env"), Some("prod"));
    // Deallocated stops the bill, stopped does not: both stopped, the word kept.
    let v3 = by("vm-00003");
    assert_eq!(
        (v3.state, v3.provider_state.as_str()),
        (InstanceState::Stopped, "PowerState/deallocated")
    );
    let v5 = by("vm-00005");
    assert_eq!(
        (v5.state, v5.provider_state.as_str()),
        (InstanceState::Stopped, "PowerState/stopped")
    );
    assert_eq!(stub.count("/vmSizes"), 2, "sizes once per location");
    // A second listing reuses the cached sizes.
    instances(&p).await;
    assert_eq!(stub.count("/vmSizes"), 2);
}

#[tokio::test]
async fn a_status_only_answer_without_models_is_joined_with_the_plain_list() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 6, &["eastus"]);
        w.status_only_bare = true;
    });
    let vms = instances(&provider(&stub, &[])).await;
    assert_eq!(vms.len(), 6);
    assert!(vms.iter().all(|v| v.instance_type.starts_with("Standard_")));
    assert_eq!(
        vms.iter()
            .filter(|v| v.state == InstanceState::Running)
            .count(),
        4
    );
}

#[tokio::test]
async fn configured_regions_and_resource_groups_narrow_the_listing() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 6, &["eastus", "westeurope"]);
        w.seed(SUB, "rg-Other", 2, &["eastus"]);
    });
    let p = provider(&stub, &["westeurope"]);
    let vms = instances(&p).await;
    assert_eq!(vms.len(), 3);
    assert!(vms.iter().all(|v| v.region() == "westeurope"));
    let a = account(&stub.url, "corp", SUB, &[], &["rg-Other"]);
    let p = provider_for(&a, false, "fake-token");
    let scopes = p.list_scopes(ResourceKind::Instance).await.unwrap();
    assert_eq!(scopes, vec![ListScope::azure_resource_group("rg-Other")]);
    let vms = instances(&p).await;
    assert_eq!(vms.len(), 2);
    assert!(stub.count("$expand=instanceView") + stub.count("%24expand=instanceView") >= 1);
}

#[tokio::test]
async fn disks_name_their_vm_whatever_its_case_and_their_lun() {
    let stub = ArmStub::start();
    stub.with(|w| w.seed(SUB, RG, 8, &["eastus", "westeurope"]));
    let p = provider(&stub, &[]);
    let vms = instances(&p).await;
    let scope = ListScope::azure_subscription(SUB);
    let Resources::Disks(disks) = p.list(&scope, ResourceKind::Disk).await.unwrap() else {
        panic!()
    };
    assert_eq!(disks.len(), 2);
    for d in &disks {
        assert_eq!(d.state, DiskState::InUse);
        assert_eq!(d.device.as_deref(), Some("lun2"));
        assert_eq!((d.size_gib, d.disk_type.as_str()), (64, "Premium_LRS"));
        let owner = d.attached_to.as_ref().unwrap();
        // ARM spells managedBy with the group upper-cased; the ref still matches the VM's.
        assert!(owner.id.contains("RG-WEB"), "{}", owner.id);
        assert!(vms.iter().any(|v| &v.r#ref == owner), "{owner}");
    }
    // describe by id alone gives the same disk and its ARM payload.
    let d = p.describe(&disks[0].r#ref).await.unwrap();
    assert_eq!(d.resource.resource_ref(), &disks[0].r#ref);
    assert_eq!(d.raw["properties"]["diskState"], "Attached");
}
