//! Every instance and volume action, with its effect read back through the adapter and through
//! a second, plain SDK client.

use aws_sdk_ec2::types as ec2;
use nephos::domain::{DiskState, InstanceState, Resource, ResourceKind, Tags};
use nephos::providers::{
    CloudProvider, DiskSpec, ErrorKind, InstanceAction, InstanceSpec, ListScope,
};

use super::moto::Moto;
use crate::verbs::Verbs;

async fn seen_state(client: &aws_sdk_ec2::Client, id: &str) -> String {
    let out = client
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .unwrap();
    out.reservations()[0].instances()[0]
        .state()
        .unwrap()
        .name()
        .unwrap()
        .as_str()
        .to_string()
}

async fn adapter_instance(
    aws: &dyn CloudProvider,
    r: &nephos::domain::ResourceRef,
) -> nephos::domain::Instance {
    match aws.describe(r).await.unwrap().resource {
        Resource::Instance(i) => i,
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_is_created_stopped_started_rebooted_tagged_and_terminated() {
    let moto = Moto::start();
    let aws = moto.provider(&["us-east-1"]);
    let other = moto.ec2("us-east-1").await;

    let spec = InstanceSpec {
        region: "us-east-1".into(),
        zone: Some("us-east-1b".into()),
        instance_type: "t3.small".into(),
        name: "api-1".into(),
        image: None,
        disk_gib: Some(30),
        spot: true,
        tags: [("team", "web")].into_iter().collect(),
        options: Default::default(),
    };
    let made = aws.create_instance(&spec).await.unwrap().resource;
    assert_eq!(made.name, "api-1");
    assert!(made.spot);
    let id = made.id().to_string();

    // What AWS itself now holds.
    let out = other
        .describe_instances()
        .instance_ids(&id)
        .send()
        .await
        .unwrap();
    let i = &out.reservations()[0].instances()[0];
    assert_eq!(i.instance_type().unwrap().as_str(), "t3.small");
    assert_eq!(
        i.placement().unwrap().availability_zone(),
        Some("us-east-1b")
    );
    assert_eq!(
        i.instance_lifecycle(),
        Some(&ec2::InstanceLifecycleType::Spot)
    );
    let image = other
        .describe_images()
        .image_ids(i.image_id().unwrap())
        .send()
        .await
        .unwrap();
    let image_name = image.images()[0].name().unwrap();
    assert!(
        image_name.starts_with("amzn2-ami-hvm-") || image_name.starts_with("al2023-ami-2023"),
        "the default image is the newest Amazon Linux in moto's catalogue, not {image_name}"
    );
    let tags: Vec<(&str, &str)> = i
        .tags()
        .iter()
        .map(|t| (t.key().unwrap(), t.value().unwrap()))
        .collect();
    assert!(tags.contains(&("Name", "api-1")) && tags.contains(&("team", "web")));
    let root = i.block_device_mappings()[0]
        .ebs()
        .unwrap()
        .volume_id()
        .unwrap();
    let vol = other
        .describe_volumes()
        .volume_ids(root)
        .send()
        .await
        .unwrap();
    assert_eq!(vol.volumes()[0].size(), Some(30), "root volume size");

    // stop → start → reboot → terminate, each seen by both readers.
    for (action, want_aws, want) in [
        (InstanceAction::Stop, "stopped", InstanceState::Stopped),
        (InstanceAction::Start, "running", InstanceState::Running),
        (InstanceAction::Reboot, "running", InstanceState::Running),
        (
            InstanceAction::Terminate,
            "terminated",
            InstanceState::Terminated,
        ),
    ] {
        let current = adapter_instance(&aws, &made.r#ref).await;
        let accepted = aws.instance_action(&current, action).await.unwrap();
        assert_eq!(accepted.resource.id(), id);
        assert_eq!(
            seen_state(&other, &id).await,
            want_aws,
            "{action:?} as AWS sees it"
        );
        assert_eq!(
            adapter_instance(&aws, &made.r#ref).await.state,
            want,
            "{action:?} read back"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volume_is_created_attached_detached_tagged_and_deleted() {
    let moto = Moto::start();
    let aws = moto.provider(&["eu-west-1"]);
    let other = moto.ec2("eu-west-1").await;
    super::moto::seed(&other, "host", 1, 1, "m5.large").await;
    let hosts = match aws
        .list(&ListScope::aws_region("eu-west-1"), ResourceKind::Instance)
        .await
        .unwrap()
    {
        nephos::providers::Resources::Instances(v) => v,
        _ => unreachable!(),
    };
    let host = &hosts[0];

    let disk = aws
        .create_disk(&DiskSpec {
            region: "eu-west-1".into(),
            zone: host.zone.clone().unwrap().to_string(),
            name: "data".into(),
            size_gib: 50,
            disk_type: Some("gp3".into()),
            tags: Tags::new(),
        })
        .await
        .unwrap()
        .resource;
    assert_eq!(
        (disk.size_gib, disk.disk_type.as_str(), disk.name.as_str()),
        (50, "gp3", "data")
    );
    let vid = disk.id().to_string();

    let attached = aws.attach_disk(&disk, host, None).await.unwrap().resource;
    assert_eq!(
        attached.device.as_deref(),
        Some("/dev/sdf"),
        "first free device"
    );
    let seen = other
        .describe_volumes()
        .volume_ids(&vid)
        .send()
        .await
        .unwrap();
    let a = &seen.volumes()[0].attachments()[0];
    assert_eq!(
        (a.instance_id(), a.device()),
        (Some(host.id()), Some("/dev/sdf"))
    );
    let back = match aws.describe(&disk.r#ref).await.unwrap().resource {
        Resource::Disk(d) => d,
        _ => unreachable!(),
    };
    assert_eq!(back.state, DiskState::InUse);
    assert_eq!(
        back.attached_to.as_ref().map(|r| r.id.as_str()),
        Some(host.id())
    );

    // Deleting an attached volume is refused in AWS's words.
    let err = aws.delete_disk(&back).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::InUse);
    assert_eq!(err.code.as_deref(), Some("VolumeInUse"));

    aws.detach_disk(&back).await.unwrap();
    let seen = other
        .describe_volumes()
        .volume_ids(&vid)
        .send()
        .await
        .unwrap();
    assert_eq!(
        seen.volumes()[0].state(),
        Some(&ec2::VolumeState::Available)
    );
    assert!(seen.volumes()[0].attachments().is_empty());

    let set: Tags = [("env", "prod"), ("owner", "ana")].into_iter().collect();
    aws.set_tags(&disk.r#ref, &set, &[]).await.unwrap();
    aws.set_tags(&disk.r#ref, &Tags::new(), &["owner".to_string()])
        .await
        .unwrap();
    let seen = other
        .describe_volumes()
        .volume_ids(&vid)
        .send()
        .await
        .unwrap();
    let mut keys: Vec<&str> = seen.volumes()[0]
        .tags()
        .iter()
        .map(|t| t.key().unwrap())
        .collect();
    keys.sort();
    assert_eq!(keys, ["Name", "env"]);
    let back = match aws.describe(&disk.r#ref).await.unwrap().resource {
        Resource::Disk(d) => d,
        _ => unreachable!(),
    };
    assert_eq!(back.tags.get("env"), Some("prod"));
    assert_eq!(back.tags.get("owner"), None);

    aws.delete_disk(&back).await.unwrap();

    // io2 needs its IOPS named; nephos names them within what the size allows.
    let fast = aws
        .create_disk(&DiskSpec {
            region: "eu-west-1".into(),
            zone: host.zone.clone().unwrap().to_string(),
            name: "fast".into(),
            size_gib: 10,
            disk_type: Some("io2".into()),
            tags: Tags::new(),
        })
        .await
        .unwrap()
        .resource;
    let seen = other
        .describe_volumes()
        .volume_ids(fast.id())
        .send()
        .await
        .unwrap();
    assert_eq!(seen.volumes()[0].iops(), Some(3000));

    let gone = aws.describe(&disk.r#ref).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
    assert_eq!(gone.code.as_deref(), Some("InvalidVolume.NotFound"));
}
