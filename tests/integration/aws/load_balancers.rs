//! A load balancer made as a usable whole, driven, and removed with what nephos made for it.

use nephos::domain::{LbKind, LbScheme, Resource, ResourceKind, Tags};
use nephos::providers::{CloudProvider, ErrorKind, LbSpec, ListScope, Resources};

use super::moto::{seed, Moto};
use crate::verbs::Verbs;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_balancer_is_created_with_its_group_and_listener_and_deleted_with_them() {
    let moto = Moto::start();
    let aws = moto.provider(&["us-east-1"]);
    let elb = moto.elb("us-east-1").await;
    seed(&moto.ec2("us-east-1").await, "web", 2, 1, "t3.micro").await;
    let Resources::Instances(hosts) = aws
        .list(&ListScope::aws_region("us-east-1"), ResourceKind::Instance)
        .await
        .unwrap()
    else {
        unreachable!()
    };

    let lb = aws
        .create_load_balancer(&LbSpec {
            region: "us-east-1".into(),
            name: "shop".into(),
            kind: LbKind::Application,
            scheme: LbScheme::Internal,
            tags: [("env", "prod")].into_iter().collect(),
        })
        .await
        .unwrap()
        .resource;
    assert_eq!(
        (lb.name.as_str(), lb.kind, lb.scheme),
        ("shop", LbKind::Application, LbScheme::Internal)
    );
    let arn = lb.id().to_string();

    // As AWS holds it: two zones, a target group and a listener forwarding to it, all tagged.
    let lbs = elb
        .describe_load_balancers()
        .load_balancer_arns(&arn)
        .send()
        .await
        .unwrap();
    let raw = &lbs.load_balancers()[0];
    assert_eq!(raw.availability_zones().len(), 2);
    let groups = elb
        .describe_target_groups()
        .load_balancer_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(groups.target_groups().len(), 1);
    let tg = groups.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string();
    let listeners = elb
        .describe_listeners()
        .load_balancer_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listeners.listeners().len(), 1);
    assert_eq!(listeners.listeners()[0].port(), Some(80));
    assert_eq!(
        listeners.listeners()[0].default_actions()[0].target_group_arn(),
        Some(tg.as_str())
    );
    let tags = elb
        .describe_tags()
        .resource_arns(&arn)
        .resource_arns(&tg)
        .send()
        .await
        .unwrap();
    for d in tags.tag_descriptions() {
        assert!(
            d.tags()
                .iter()
                .any(|t| t.key() == Some("created-by") && t.value() == Some("nephos")),
            "{:?} is tagged created-by=nephos",
            d.resource_arn()
        );
    }

    aws.register_targets(&lb, &hosts).await.unwrap();
    let health = elb
        .describe_target_health()
        .target_group_arn(&tg)
        .send()
        .await
        .unwrap();
    let mut ids: Vec<&str> = health
        .target_health_descriptions()
        .iter()
        .map(|h| h.target().unwrap().id().unwrap())
        .collect();
    ids.sort();
    let mut want: Vec<&str> = hosts.iter().map(|h| h.id()).collect();
    want.sort();
    assert_eq!(ids, want);
    let Resources::LoadBalancers(listed) = aws
        .list(
            &ListScope::aws_region("us-east-1"),
            ResourceKind::LoadBalancer,
        )
        .await
        .unwrap()
    else {
        unreachable!()
    };
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].targets.len(),
        2,
        "targets read back through the adapter"
    );
    assert_eq!(listed[0].tags.get("env"), Some("prod"));

    aws.deregister_targets(&listed[0], &hosts[..1])
        .await
        .unwrap();
    let back = match aws.describe(&lb.r#ref).await.unwrap().resource {
        Resource::LoadBalancer(l) => l,
        _ => unreachable!(),
    };
    assert_eq!(back.targets.len(), 1);
    assert_eq!(back.targets[0].instance.id, hosts[1].id());

    aws.set_tags(
        &lb.r#ref,
        &[("tier", "edge")].into_iter().collect::<Tags>(),
        &["env".into()],
    )
    .await
    .unwrap();
    let tags = elb
        .describe_tags()
        .resource_arns(&arn)
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = tags.tag_descriptions()[0]
        .tags()
        .iter()
        .map(|t| t.key().unwrap())
        .collect();
    assert!(keys.contains(&"tier") && !keys.contains(&"env"), "{keys:?}");

    aws.delete_load_balancer(&back).await.unwrap();
    assert!(elb
        .describe_load_balancers()
        .send()
        .await
        .unwrap()
        .load_balancers()
        .is_empty());
    assert!(
        elb.describe_target_groups()
            .send()
            .await
            .unwrap()
            .target_groups()
            .is_empty(),
        "the target group nephos made went with it"
    );
    let gone = aws.describe(&lb.r#ref).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_load_balancer_listens_on_tcp() {
    let moto = Moto::start();
    let aws = moto.provider(&["eu-west-1"]);
    let elb = moto.elb("eu-west-1").await;
    let lb = aws
        .create_load_balancer(&LbSpec {
            region: "eu-west-1".into(),
            name: "tcp-front".into(),
            kind: LbKind::Network,
            scheme: LbScheme::InternetFacing,
            tags: Tags::new(),
        })
        .await
        .unwrap()
        .resource;
    assert_eq!(lb.kind, LbKind::Network);

    // AWS would hand back the existing one (create is idempotent); nephos refuses instead, and
    // the existing load balancer is left as it was.
    let again = aws
        .create_load_balancer(&LbSpec {
            region: "eu-west-1".into(),
            name: "tcp-front".into(),
            kind: LbKind::Application,
            scheme: LbScheme::Internal,
            tags: Tags::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        again.code.as_deref(),
        Some("DuplicateLoadBalancerName"),
        "{again}"
    );
    assert_eq!(again.kind, ErrorKind::AlreadyExists, "{again}");
    let still = elb.describe_load_balancers().send().await.unwrap();
    assert_eq!(still.load_balancers().len(), 1);
    assert_eq!(still.load_balancers()[0].load_balancer_arn(), Some(lb.id()));
    let listeners = elb
        .describe_listeners()
        .load_balancer_arn(lb.id())
        .send()
        .await
        .unwrap();
    assert_eq!(
        listeners.listeners()[0].protocol().map(|p| p.as_str()),
        Some("TCP")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_or_load_balancer_deleted_while_listing_does_not_fail_the_region() {
    use super::proxy::{Fault, Proxy};
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port);
    let aws = moto.provider_at(&proxy.url(), &["us-east-1"]);
    for name in ["a-front", "b-front"] {
        aws.create_load_balancer(&LbSpec {
            region: "us-east-1".into(),
            name: name.into(),
            kind: LbKind::Network,
            scheme: LbScheme::Internal,
            tags: [("team", name)].into_iter().collect(),
        })
        .await
        .unwrap();
    }
    // As if one had gone between the listing and the next calls.
    proxy.fault(Fault {
        action: "DescribeTags",
        times: 1,
        status: 400,
        code: "LoadBalancerNotFound",
        message: "One or more load balancers not found",
    });
    proxy.fault(Fault {
        action: "DescribeTargetHealth",
        times: 1,
        status: 400,
        code: "TargetGroupNotFound",
        message: "One or more target groups not found",
    });
    let before = proxy.calls("DescribeTags");
    let Resources::LoadBalancers(lbs) = aws
        .list(
            &ListScope::aws_region("us-east-1"),
            ResourceKind::LoadBalancer,
        )
        .await
        .unwrap()
    else {
        unreachable!()
    };
    assert_eq!(lbs.len(), 2);
    assert_eq!(
        proxy.calls("DescribeTags") - before,
        3,
        "the failed batch of two is asked again one by one"
    );
    assert!(lbs
        .iter()
        .all(|l| l.tags.get("team") == Some(l.name.as_str())));
}
