use nephos::domain::{InstanceState, ResourceKind};
use nephos::providers::{CloudProvider, ListScope, Resources, ScopeLevel};

use super::moto::{seed, Moto};
use super::proxy::Proxy;

fn instances(r: Resources) -> Vec<nephos::domain::Instance> {
    match r {
        Resources::Instances(v) => v,
        other => panic!("expected instances, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_are_listed_across_regions_and_pages() {
    let moto = Moto::start();
    seed(&moto.ec2("us-east-1").await, "web", 12, 2, "t3.micro").await;
    seed(&moto.ec2("eu-west-1").await, "db", 3, 1, "m5.large").await;
    // Pages of 5 reservations make moto answer DescribeInstances in three pages.
    let proxy = Proxy::start(moto.port);
    proxy.page_size(5);
    let aws = moto.provider_at(&proxy.url(), &["us-east-1", "eu-west-1"]);

    let east = instances(
        aws.list(&ListScope::aws_region("us-east-1"), ResourceKind::Instance)
            .await
            .unwrap(),
    );
    assert_eq!(east.len(), 24, "12 reservations of 2, flattened");
    assert_eq!(
        proxy.calls("DescribeInstances"),
        3,
        "12 reservations in pages of 5 take three calls"
    );
    let mut names: Vec<&str> = east.iter().map(|i| i.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 12);
    for i in &east {
        assert_eq!(i.r#ref.region, "us-east-1");
        assert_eq!(i.instance_type, "t3.micro");
        assert_eq!(i.state, InstanceState::Running);
        assert_eq!(
            (i.vcpus, i.memory_gib),
            (Some(2), Some(1.0)),
            "sizes from DescribeInstanceTypes"
        );
        assert!(i.zone.as_deref().unwrap().starts_with("us-east-1"));
        assert!(i.private_ip.is_some() && i.launched_at.is_some());
        assert!(!i.spot);
    }

    let west = instances(
        aws.list(&ListScope::aws_region("eu-west-1"), ResourceKind::Instance)
            .await
            .unwrap(),
    );
    assert_eq!(west.len(), 3);
    assert!(west
        .iter()
        .all(|i| i.instance_type == "m5.large" && i.vcpus == Some(2)));
    assert_eq!(
        proxy.calls("DescribeInstanceTypes"),
        2,
        "types are asked once per region"
    );
    // Listing again reads the types from the cache.
    aws.list(&ListScope::aws_region("us-east-1"), ResourceKind::Instance)
        .await
        .unwrap();
    assert_eq!(proxy.calls("DescribeInstanceTypes"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volumes_and_regions_are_listed() {
    let moto = Moto::start();
    let ec2 = moto.ec2("eu-west-1").await;
    ec2.create_volume()
        .availability_zone("eu-west-1b")
        .size(500)
        .volume_type(aws_sdk_ec2::types::VolumeType::St1)
        .tag_specifications(
            aws_sdk_ec2::types::TagSpecification::builder()
                .resource_type(aws_sdk_ec2::types::ResourceType::Volume)
                .tags(
                    aws_sdk_ec2::types::Tag::builder()
                        .key("Name")
                        .value("logs")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let aws = moto.provider(&[]);
    let scopes = aws.list_scopes(ResourceKind::Disk).await.unwrap();
    let regions: Vec<&str> = scopes.iter().map(|s| s.name.as_str()).collect();
    assert!(
        regions.contains(&"eu-west-1") && regions.contains(&"us-east-1"),
        "regions = \"all\" asks DescribeRegions: {regions:?}"
    );
    assert!(scopes
        .iter()
        .all(|s| s.level == ScopeLevel::Region && s.metered_per_region));
    let Resources::Disks(disks) = aws
        .list(&ListScope::aws_region("eu-west-1"), ResourceKind::Disk)
        .await
        .unwrap()
    else {
        panic!("disks")
    };
    assert_eq!(disks.len(), 1);
    let d = &disks[0];
    assert_eq!(
        (d.name.as_str(), d.size_gib, d.disk_type.as_str()),
        ("logs", 500, "st1")
    );
    assert_eq!(d.zone.as_deref(), Some("eu-west-1b"));
    assert!(d.attached_to.is_none());
    assert!(aws
        .offerings()
        .regions
        .iter()
        .any(|(r, zones)| r == "eu-west-1" && zones.iter().any(|z| z == "eu-west-1b")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_region_is_signed_for_and_answered_by_its_own_endpoint() {
    // As on AWS, where every region is its own endpoint: one moto per region, and a router
    // that sends each call where its SigV4 credential scope says.
    let (east, west) = (Moto::start(), Moto::start());
    seed(&east.ec2("us-east-1").await, "e", 2, 1, "t3.micro").await;
    seed(&west.ec2("eu-west-1").await, "w", 3, 1, "t3.micro").await;
    let router = super::proxy::Proxy::start_to(super::proxy::Upstream::ByRegion(
        [
            ("us-east-1".to_string(), east.port),
            ("eu-west-1".to_string(), west.port),
        ]
        .into_iter()
        .collect(),
    ));
    let aws = east.provider_at(&router.url(), &["us-east-1", "eu-west-1"]);
    let e = instances(
        aws.list(&ListScope::aws_region("us-east-1"), ResourceKind::Instance)
            .await
            .unwrap(),
    );
    let w = instances(
        aws.list(&ListScope::aws_region("eu-west-1"), ResourceKind::Instance)
            .await
            .unwrap(),
    );
    assert_eq!((e.len(), w.len()), (2, 3));
    assert!(e.iter().all(|i| i.name.starts_with("e-")));
    assert!(w
        .iter()
        .all(|i| i.name.starts_with("w-") && i.r#ref.region == "eu-west-1"));
}
