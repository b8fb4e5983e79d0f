//! Networks through the real azure_mgmt_network client and the pipeline against the ARM stub:
//! three lists per scope page by page, NSGs attributed to VNets, ids in other cases, throttling,
//! and changes (create, refused delete, rules with free priorities).

use std::time::Duration;

use nephos::domain::network::{world_open, NetKind, NetRef, NetworkSet, PortRange};
use nephos::domain::{ProviderKind, ResourceKind};
use nephos::providers::{
    CloudProvider, ErrorKind, IngressRule, NetworkRequest, OperationStatus, ProviderError,
};
use serde_json::Value;

use super::stub::{networks, ArmStub, SUB};
use super::{account, provider, provider_for};

const RG: &str = "rg-Seed";

fn seeded(vms: usize) -> ArmStub {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, vms, &["westeurope", "eastus"]);
        networks::seed(w, SUB, RG);
    });
    stub
}

async fn listed(p: &dyn CloudProvider) -> NetworkSet {
    let mut set = NetworkSet::default();
    for scope in p.list_scopes(ResourceKind::Instance).await.unwrap() {
        set.extend(p.list_networks(&scope).await.unwrap());
    }
    set
}

/// Apply and follow ARM's operation to its end; how many times it read "running".
async fn apply(p: &dyn CloudProvider, req: &NetworkRequest) -> Result<u32, ProviderError> {
    let applied = p.apply_network(req).await?;
    let op = applied
        .operation
        .expect("ARM answers a change with an operation");
    let mut running = 0;
    loop {
        match p.operation_status(&op).await? {
            OperationStatus::Done => return Ok(running),
            OperationStatus::Failed(e) => return Err(e),
            OperationStatus::Running(_) => {
                running += 1;
                assert!(running < 50, "{} never ended", req.describe());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

fn group(set: &NetworkSet, name: &str) -> NetRef {
    set.groups
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("{name} not listed"))
        .r#ref
        .clone()
}

fn nsg_rules(stub: &ArmStub, nsg: &str) -> Vec<Value> {
    stub.with(|w| {
        w.nsgs
            .values()
            .find(|g| g["name"] == nsg)
            .and_then(|g| g["properties"]["securityRules"].as_array().cloned())
            .unwrap_or_default()
    })
}

#[tokio::test]
async fn a_listing_is_three_lists_read_page_by_page_and_nothing_per_resource() {
    let stub = seeded(6);
    stub.with(|w| w.page_size = 1);
    let set = listed(&provider(&stub, &[])).await;
    assert_eq!(set.networks.len(), 2);
    assert_eq!(set.subnets.len(), 3);
    assert_eq!(set.groups.len(), 3);
    assert_eq!(set.links.len(), 6, "every VM's NIC sits in a subnet");
    // 2 VNets, 3 NSGs and 6 NICs at one a page: 11 requests, no other.
    assert_eq!(stub.count("/virtualNetworks?"), 2);
    assert_eq!(stub.count("/networkSecurityGroups?"), 3);
    assert_eq!(stub.count("/networkInterfaces?"), 6);
    assert_eq!(stub.with(|w| w.requests.len()), 11);
    let web = set
        .groups
        .iter()
        .find(|g| g.name == "nsg-app")
        .expect("nsg-app");
    let ports: Vec<String> = web
        .rules
        .iter()
        .map(|r| r.ports.map(|p| p.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        ports,
        ["443", "22", "80", "8080-8090", "9100", "2345", "53"]
    );
    let found: Vec<(String, u16)> = world_open(&set.groups)
        .iter()
        .map(|f| (f.group_name.to_string(), f.port))
        .collect();
    assert_eq!(
        found,
        [("nsg-idle".to_string(), 3389), ("nsg-jump".to_string(), 22)]
    );
}

#[tokio::test]
async fn a_resource_group_account_lists_in_its_group_and_configured_locations_only() {
    let stub = seeded(4);
    let a = account(&stub.url, "corp", SUB, &["westeurope"], &[RG]);
    let set = listed(&provider_for(&a, false, "fake-token")).await;
    assert_eq!(
        stub.count(&format!(
            "/resourceGroups/{RG}/providers/Microsoft.Network/"
        )),
        3
    );
    let names: Vec<&str> = set.networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["vnet-Hub"]);
    assert!(set.groups.iter().all(|g| g.r#ref.region == "westeurope"));
    assert_eq!(set.links.len(), 2);
}

#[tokio::test]
async fn an_nsg_guards_the_vnet_of_its_subnet_else_of_a_nic_else_none() {
    let stub = seeded(4);
    let set = listed(&provider(&stub, &[])).await;
    let hub = set
        .networks
        .iter()
        .find(|n| n.name == "vnet-Hub")
        .unwrap()
        .r#ref
        .clone();
    let guards = |name: &str| {
        set.groups
            .iter()
            .find(|g| g.name == name)
            .unwrap()
            .network
            .clone()
    };
    assert_eq!(guards("nsg-app"), Some(hub.clone()), "by its subnet");
    assert_eq!(guards("nsg-jump"), Some(hub.clone()), "by a NIC");
    assert_eq!(guards("nsg-idle"), None, "attached nowhere");
    // A VM in backend has its NIC's group; one in frontend its subnet's.
    let groups_of = |subnet: &str| {
        set.links
            .iter()
            .find(|l| l.subnet.as_ref().unwrap().short_name() == subnet)
            .unwrap()
            .groups
            .iter()
            .map(|g| g.short_name().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(groups_of("backend"), ["nsg-jump"]);
    assert_eq!(groups_of("frontend"), ["nsg-app"]);
    assert_eq!(set.instances_in(&hub).count(), 2);
}

#[tokio::test]
async fn references_in_other_cases_link_to_the_ids_the_rows_give() {
    let stub = seeded(4);
    // The NICs name their subnets and groups with the resource group upper-cased.
    let spelt = stub.with(|w| {
        w.nics.values().next().unwrap()["properties"]["ipConfigurations"][0]["properties"]["subnet"]
            ["id"]
            .as_str()
            .unwrap()
            .to_string()
    });
    assert!(spelt.contains("RG-SEED"), "{spelt}");
    let set = listed(&provider(&stub, &[])).await;
    for l in &set.links {
        let net = set.network(&l.network).expect("linked network is listed");
        assert_eq!(l.network.id, net.r#ref.id, "spelt as the VNet's row");
        assert!(l.network.id.contains(RG), "{}", l.network.id);
        let sub = l.subnet.as_ref().unwrap();
        assert!(
            set.subnets
                .iter()
                .any(|s| s.r#ref.id == sub.id && s.network == l.network),
            "{sub} as the VNet lists it"
        );
        for g in &l.groups {
            assert!(g.id.contains(RG), "{g}");
        }
        assert_eq!(l.instance.kind, ResourceKind::Instance);
        assert_eq!(l.instance.provider, ProviderKind::Azure);
    }
}

#[tokio::test]
async fn a_429_during_a_listing_is_retried_after_retry_after() {
    let stub = seeded(4);
    let p = provider(&stub, &[]);
    let calm = listed(&p).await;
    let before = stub.with(|w| w.requests.len());
    stub.with(|w| w.throttle = 1);
    let throttled = listed(&p).await;
    assert_eq!(throttled, calm);
    assert_eq!(
        stub.with(|w| w.requests.len()) - before,
        4,
        "3 lists and the one answered 429"
    );
}

#[tokio::test]
async fn a_vnet_without_the_nephos_tag_is_not_deleted_and_no_delete_is_sent() {
    let stub = seeded(2);
    let p = provider(&stub, &[]);
    let set = listed(&p).await;
    let east = set.networks.iter().find(|n| n.name == "vnet-East").unwrap();
    assert!(!east.made_by_nephos);
    let e = p
        .apply_network(&NetworkRequest::DeleteNetwork {
            network: east.r#ref.clone(),
        })
        .await
        .unwrap_err();
    assert!(e.message.contains("not made by nephos"), "{e}");
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert!(stub.with(|w| w.requests.iter().all(|(m, _)| m != "DELETE")));
    assert_eq!(stub.with(|w| w.vnets.len()), 2);
}

#[tokio::test]
async fn a_network_is_made_tagged_in_the_nephos_group_and_not_made_twice() {
    let stub = seeded(2);
    let p = provider(&stub, &["westeurope"]);
    let create = NetworkRequest::CreateNetwork {
        account: "corp".into(),
        name: "made-here".into(),
        region: "westeurope".into(),
        cidr: "10.50.0.0/16".into(),
        subnet_cidr: "10.50.1.0/24".into(),
    };
    let running = apply(&p, &create).await.unwrap();
    assert!(
        running >= 1,
        "ARM's operation is followed, not assumed done"
    );
    let vnet = stub.with(|w| {
        w.vnets
            .values()
            .find(|v| v["name"] == "made-here")
            .cloned()
            .unwrap()
    });
    assert!(vnet["id"]
        .as_str()
        .unwrap()
        .contains("/resourceGroups/nephos-westeurope/"));
    assert_eq!(vnet["tags"]["created-by"], "nephos");
    assert_eq!(
        vnet["properties"]["addressSpace"]["addressPrefixes"][0],
        "10.50.0.0/16"
    );
    assert_eq!(
        vnet["properties"]["subnets"][0]["properties"]["addressPrefix"],
        "10.50.1.0/24"
    );
    assert_eq!(vnet["properties"]["provisioningState"], "Succeeded");
    let puts = stub.count("/virtualNetworks/made-here?");
    let e = p.apply_network(&create).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::AlreadyExists, "{e}");
    assert_eq!(
        stub.with(|w| w
            .requests
            .iter()
            .filter(|(m, q)| m == "PUT" && q.contains("/virtualNetworks/"))
            .count()),
        1,
        "no second PUT over it ({puts} requests before)"
    );
}

#[tokio::test]
async fn a_rule_takes_the_lowest_free_priority_and_a_missing_one_names_what_is_there() {
    let stub = seeded(2);
    let p = provider(&stub, &[]);
    let set = listed(&p).await;
    let app = group(&set, "nsg-app");
    let rule = IngressRule {
        protocol: "tcp".into(),
        ports: PortRange::one(5432),
        source: "198.51.100.0/24".into(),
    };
    let add = NetworkRequest::AddIngressRule {
        group: app.clone(),
        rule: rule.clone(),
    };
    apply(&p, &add).await.unwrap();
    let made: Vec<Value> = nsg_rules(&stub, "nsg-app")
        .into_iter()
        .filter(|r| r["name"].as_str().unwrap().starts_with("nephos-tcp-5432-"))
        .collect();
    assert_eq!(made.len(), 1);
    let props = &made[0]["properties"];
    assert_eq!(
        props["priority"], 1001,
        "the lowest free inbound one: 1000 and 1005 are inbound, 1001 outbound"
    );
    assert_eq!(
        (props["protocol"].as_str(), props["direction"].as_str()),
        (Some("Tcp"), Some("Inbound"))
    );
    assert_eq!(props["sourceAddressPrefix"], "198.51.100.0/24");
    // The same rule again keeps its name and priority.
    apply(&p, &add).await.unwrap();
    assert_eq!(nsg_rules(&stub, "nsg-app").len(), 7);

    let deletes = || stub.with(|w| w.requests.iter().filter(|(m, _)| m == "DELETE").count());
    let missing = NetworkRequest::RemoveIngressRule {
        group: app.clone(),
        rule: IngressRule {
            ports: PortRange::one(3306),
            ..rule.clone()
        },
    };
    let e = p.apply_network(&missing).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(
        e.message.contains("allow-https") && e.message.contains("3306"),
        "{e}"
    );
    assert_eq!(deletes(), 0);

    apply(
        &p,
        &NetworkRequest::RemoveIngressRule {
            group: app.clone(),
            rule,
        },
    )
    .await
    .unwrap();
    assert_eq!(deletes(), 1);
    assert_eq!(nsg_rules(&stub, "nsg-app").len(), 6);
    let after = listed(&p).await;
    assert!(after
        .group(&app)
        .unwrap()
        .rules
        .iter()
        .all(|r| r.ports != Some(PortRange::one(5432))));
    assert_eq!(app.kind, NetKind::SecurityGroup);
}
