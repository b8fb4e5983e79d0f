//! Load balancers behind backend services, regional and global, through the real crate: their
//! instances from the instance groups, their kind, their health when described, the number of
//! requests a listing costs, and `unreachables` in the load balancers' lists.

use nephos::domain::{LbKind, LbScheme, LoadBalancer, Resource, ResourceKind, TargetHealth};
use nephos::providers::{CloudProvider, ErrorKind, Request};
use serde_json::json;

use super::stub::{Stub, World};

/// Project `proj`: six VMs (vm-00004 TERMINATED) in three zones; a global HTTP load balancer
/// (rule → proxy → URL map → global service over two zonal groups), a regional TCP passthrough
/// one in europe-west1 (rule → regional service), and a rule whose service has no groups.
fn world() -> World {
    let mut w = World::new();
    w.seed(
        "proj",
        &["us-central1-a", "us-central1-b", "europe-west1-b"],
        6,
        false,
    );
    let p = "proj";
    let web_a = w.instance_group(p, "us-central1-a", "web-a", &["vm-00000", "vm-00003"]);
    let web_b = w.instance_group(p, "us-central1-b", "web-b", &["vm-00001", "vm-00004"]);
    let api = w.instance_group(p, "europe-west1-b", "api", &["vm-00002", "vm-00005"]);
    let web = w.backend_service(
        p,
        "global",
        "web",
        "HTTP",
        "EXTERNAL_MANAGED",
        &[web_a, web_b],
    );
    let proxy = w.proxy_to(p, "web-proxy", false, &web);
    w.rule(
        p,
        "global",
        "web-fr",
        "34.120.0.10",
        json!({"IPProtocol": "TCP", "portRange": "80-80", "target": proxy, "loadBalancingScheme": "EXTERNAL_MANAGED"}),
    );
    let tcp = w.backend_service(p, "europe-west1", "api", "TCP", "EXTERNAL", &[api]);
    w.rule(
        p,
        "europe-west1",
        "api-fr",
        "35.200.0.7",
        json!({"IPProtocol": "TCP", "ports": ["443"], "backendService": tcp, "loadBalancingScheme": "EXTERNAL"}),
    );
    let empty = w.backend_service(p, "us-central1", "spare", "UDP", "INTERNAL", &[]);
    w.rule(
        p,
        "us-central1",
        "spare-fr",
        "10.8.0.2",
        json!({"IPProtocol": "UDP", "ports": ["53"], "backendService": empty, "loadBalancingScheme": "INTERNAL"}),
    );
    w
}

fn lbs(rows: Vec<Resource>) -> Vec<LoadBalancer> {
    rows.into_iter()
        .filter_map(|r| match r {
            Resource::LoadBalancer(lb) => Some(lb),
            _ => None,
        })
        .collect()
}

fn names(lb: &LoadBalancer) -> Vec<String> {
    let mut v: Vec<String> = lb
        .targets
        .iter()
        .map(|t| {
            format!(
                "{}/{}",
                t.instance.zone.as_deref().unwrap_or("?"),
                t.instance.id
            )
        })
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backend_services_show_their_groups_instances_and_kind() {
    let stub = Stub::start(world());
    let mut s = stub.settings("proj");
    s.page_size = 1; // every list takes several pages
    let p = stub.provider_with("gcp-proj", &[], false, s);
    let mut rows = lbs(super::listed(&p, ResourceKind::LoadBalancer).await);
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let got: Vec<(&str, &str, LbKind, LbScheme)> = rows
        .iter()
        .map(|l| (&*l.name, &*l.r#ref.region, l.kind, l.scheme))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "api-fr",
                "europe-west1",
                LbKind::Network,
                LbScheme::InternetFacing
            ),
            (
                "spare-fr",
                "us-central1",
                LbKind::Network,
                LbScheme::Internal
            ),
            (
                "web-fr",
                "global",
                LbKind::Application,
                LbScheme::InternetFacing
            ),
        ]
    );
    assert_eq!(
        names(&rows[2]),
        [
            "us-central1-a/vm-00000",
            "us-central1-a/vm-00003",
            "us-central1-b/vm-00001",
            "us-central1-b/vm-00004"
        ]
    );
    assert_eq!(
        names(&rows[0]),
        ["europe-west1-b/vm-00002", "europe-west1-b/vm-00005"]
    );
    assert!(rows[1].targets.is_empty());
    assert_eq!(rows[0].dns_name.as_deref(), Some("35.200.0.7:443 TCP"));
    // The read quota: aggregated lists (pages of one row), one listInstances per group and
    // page, nothing per zone or per service, no target pools (no rule uses one).
    stub.with(|w| {
        assert_eq!(
            w.count("GET", "/aggregated/forwardingRules"),
            2,
            "2 rules, 1 a page"
        );
        assert_eq!(w.count("GET", "/global/forwardingRules"), 1);
        assert_eq!(w.count("GET", "/aggregated/backendServices"), 3);
        assert_eq!(w.count("GET", "/aggregated/targetHttpProxies"), 1);
        assert_eq!(w.count("GET", "/aggregated/urlMaps"), 1);
        assert_eq!(w.count("GET", "/aggregated/targetHttpsProxies"), 0);
        assert_eq!(w.count("GET", "/aggregated/targetPools"), 0);
        assert_eq!(
            w.count("POST", "/listInstances"),
            6,
            "3 groups of 2, 1 a page"
        );
        assert_eq!(
            w.count("POST", "/getHealth"),
            0,
            "health only when described"
        );
        assert_eq!(w.requests.len(), 2 + 1 + 3 + 1 + 1 + 6);
    });
    // Configured regions keep global load balancers and drop other regions' ones.
    let eu = stub.provider("proj", &["europe-west1"]);
    let mut eu_rows: Vec<String> = lbs(super::listed(&eu, ResourceKind::LoadBalancer).await)
        .into_iter()
        .map(|l| l.name.to_string())
        .collect();
    eu_rows.sort();
    assert_eq!(eu_rows, ["api-fr", "web-fr"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describing_a_backend_service_load_balancer_asks_each_groups_health() {
    let stub = Stub::start(world());
    let p = stub.provider("proj", &[]);
    let web: nephos::domain::ResourceRef =
        "gcp:gcp-proj:global:load-balancer:web-fr".parse().unwrap();
    let d = p.describe(&web).await.unwrap();
    let Resource::LoadBalancer(lb) = d.resource else {
        panic!("{:?}", d.resource)
    };
    assert_eq!(lb.kind, LbKind::Application);
    let health: Vec<(String, TargetHealth)> = lb
        .targets
        .iter()
        .map(|t| (t.instance.id.to_string(), t.health))
        .collect();
    assert_eq!(health.len(), 4);
    for (vm, h) in &health {
        let want = if vm == "vm-00004" {
            TargetHealth::Unhealthy
        } else {
            TargetHealth::Healthy
        };
        assert_eq!(*h, want, "{vm}");
    }
    assert_eq!(d.raw["backendService"]["name"], "web");
    stub.with(|w| {
        assert_eq!(w.count("POST", "/global/backendServices/web/getHealth"), 2);
        assert_eq!(w.count("GET", "/global/forwardingRules/web-fr"), 1);
    });
    // A regional service asks regionBackendServices.getHealth.
    let api: nephos::domain::ResourceRef = "gcp:gcp-proj:europe-west1:load-balancer:api-fr"
        .parse()
        .unwrap();
    let Resource::LoadBalancer(lb) = p.describe(&api).await.unwrap().resource else {
        panic!()
    };
    assert!(
        lb.targets.iter().all(|t| t.health == TargetHealth::Healthy),
        "{lb:?}"
    );
    assert_eq!(lb.targets.len(), 2);
    stub.with(|w| {
        assert_eq!(
            w.count(
                "POST",
                "/regions/europe-west1/backendServices/api/getHealth"
            ),
            1
        )
    });
    // A global rule is deleted through globalForwardingRules.
    let applied = p
        .apply(&Request::DeleteLoadBalancer {
            lb: lb_of(&p, &web).await,
        })
        .await
        .unwrap();
    let h = applied.operation.expect("an operation");
    assert!(h.0.starts_with("global/operations/"), "{h:?}");
    nephos::ops::wait::until(
        &p,
        &applied.target,
        nephos::providers::WaitFor::LoadBalancerGone,
        Some(&h),
        std::time::Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert!(stub.with(|w| w.projects["proj"].global_rules.is_empty()));
}

async fn lb_of(p: &dyn CloudProvider, r: &nephos::domain::ResourceRef) -> LoadBalancer {
    match p.describe(r).await.unwrap().resource {
        Resource::LoadBalancer(lb) => lb,
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_region_in_the_load_balancers_list_is_the_listings_error() {
    let mut w = world();
    w.unreachables = vec!["regions/europe-west1".into()];
    let stub = Stub::start(w);
    // Outside the configured regions: ignored.
    let us = stub.provider("proj", &["us-central1"]);
    assert_eq!(
        lbs(super::listed(&us, ResourceKind::LoadBalancer).await).len(),
        2
    );
    let all = stub.provider("proj", &[]);
    let scope = all
        .list_scopes(ResourceKind::LoadBalancer)
        .await
        .unwrap()
        .remove(0);
    let e = all
        .list(&scope, ResourceKind::LoadBalancer)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Unavailable, Some("unreachable"))
    );
    assert!(e.message.contains("regions/europe-west1"), "{e}");
}
