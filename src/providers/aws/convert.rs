//! EC2 SDK types to domain types. Pure functions, so the mapping is tested without a network.

use aws_sdk_ec2::types as ec2;
use chrono::{DateTime, Utc};

use super::TypeInfo;
use crate::domain::{Disk, DiskState, Instance, ProviderKind, ResourceKind, ResourceRef, Tags};
use crate::providers::state_map;

pub fn tags(t: &[ec2::Tag]) -> Tags {
    t.iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or(""))))
        .collect()
}

pub fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<DateTime<Utc>> {
    let t = t?;
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// One EC2 instance. `types` supplies vCPUs and memory when known.
pub fn instance(
    account: &str,
    region: &str,
    i: &ec2::Instance,
    types: impl Fn(&str) -> Option<TypeInfo>,
) -> Instance {
    let id = i.instance_id().unwrap_or_default();
    let tags = tags(i.tags());
    let word = i
        .state()
        .and_then(|s| s.name())
        .map(|n| n.as_str())
        .unwrap_or("unknown");
    let itype = i.instance_type().map(|t| t.as_str()).unwrap_or_default();
    let info = types(itype);
    Instance {
        uid: None,
        r#ref: ResourceRef::new(
            ProviderKind::Aws,
            account,
            region,
            ResourceKind::Instance,
            id,
        ),
        sandbox: false,
        zone: i
            .placement()
            .and_then(|p| p.availability_zone())
            .map(Into::into),
        name: tags.get("Name").unwrap_or_default().into(),
        state: state_map::aws_instance(word),
        provider_state: word.into(),
        instance_type: itype.into(),
        vcpus: info.as_ref().map(|t| t.vcpus),
        memory_gib: info.as_ref().map(|t| t.memory_gib),
        private_ip: i.private_ip_address().map(Into::into),
        public_ip: i.public_ip_address().map(Into::into),
        spot: i.instance_lifecycle() == Some(&ec2::InstanceLifecycleType::Spot),
        launched_at: time(i.launch_time()),
        tags,
    }
}

/// One EBS volume. A volume shows its first attachment (EBS multi-attach aside, there is one).
pub fn volume(account: &str, region: &str, v: &ec2::Volume) -> Disk {
    let id = v.volume_id().unwrap_or_default();
    let tags = tags(v.tags());
    let word = v.state().map(|s| s.as_str()).unwrap_or("error");
    let attachment = v
        .attachments()
        .iter()
        .find(|a| !matches!(a.state(), Some(ec2::VolumeAttachmentState::Detached)));
    Disk {
        uid: None,
        r#ref: ResourceRef::new(ProviderKind::Aws, account, region, ResourceKind::Disk, id),
        sandbox: false,
        zone: v.availability_zone().map(Into::into),
        name: tags.get("Name").unwrap_or_default().into(),
        state: state_map::aws_volume(word),
        provider_state: match attachment.and_then(|a| a.state()) {
            Some(
                s @ (ec2::VolumeAttachmentState::Attaching | ec2::VolumeAttachmentState::Detaching),
            ) => format!("{word} ({})", s.as_str()).into(),
            _ => word.into(),
        },
        size_gib: v.size().unwrap_or(0).max(0) as u64,
        disk_type: v
            .volume_type()
            .map(|t| t.as_str())
            .unwrap_or_default()
            .into(),
        attached_to: attachment.and_then(|a| a.instance_id()).map(|iid| {
            ResourceRef::new(
                ProviderKind::Aws,
                account,
                region,
                ResourceKind::Instance,
                iid,
            )
        }),
        device: attachment.and_then(|a| a.device()).map(Into::into),
        tags,
    }
}

/// DescribeInstanceTypes' answer for one type.
pub fn type_info(t: &ec2::InstanceTypeInfo) -> Option<(String, TypeInfo)> {
    let name = t.instance_type()?.as_str().to_string();
    let vcpus = t.v_cpu_info().and_then(|v| v.default_v_cpus())?.max(0) as u32;
    let mib = t.memory_info().and_then(|m| m.size_in_mib())?.max(0) as f64;
    let arm = t
        .processor_info()
        .map(|p| {
            p.supported_architectures()
                .iter()
                .any(|a| a.as_str().starts_with("arm64"))
        })
        .unwrap_or(false);
    Some((
        name,
        TypeInfo {
            vcpus,
            memory_gib: mib / 1024.0,
            arm,
        },
    ))
}

/// EC2's disk state for a domain `Disk` with a changed attachment.
pub fn with_state(d: &Disk, state: DiskState, word: &str) -> Disk {
    Disk {
        state,
        provider_state: word.into(),
        ..d.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InstanceState;

    fn tag(k: &str, v: &str) -> ec2::Tag {
        ec2::Tag::builder().key(k).value(v).build()
    }

    #[test]
    fn an_instance_takes_its_name_from_the_name_tag_and_marks_spot() {
        let i = ec2::Instance::builder()
            .instance_id("i-0abc")
            .instance_type(ec2::InstanceType::M5Large)
            .state(
                ec2::InstanceState::builder()
                    .name(ec2::InstanceStateName::ShuttingDown)
                    .build(),
            )
            .placement(
                ec2::Placement::builder()
                    .availability_zone("eu-west-1b")
                    .build(),
            )
            .instance_lifecycle(ec2::InstanceLifecycleType::Spot)
            .private_ip_address("10.0.0.5")
            .tags(tag("Name", "web-1"))
            .tags(tag("env", "prod"))
            .launch_time(aws_smithy_types::DateTime::from_secs(1_700_000_000))
            .build();
        let info = TypeInfo {
            vcpus: 2,
            memory_gib: 8.0,
            arm: false,
        };
        let got = instance("prod", "eu-west-1", &i, |t| {
            (t == "m5.large").then(|| info.clone())
        });
        assert_eq!(got.r#ref.to_string(), "aws:prod:eu-west-1:instance:i-0abc");
        assert_eq!(got.name, "web-1");
        assert_eq!(got.state, InstanceState::Terminating);
        assert_eq!(got.provider_state, "shutting-down");
        assert_eq!(got.zone.as_deref(), Some("eu-west-1b"));
        assert_eq!((got.vcpus, got.memory_gib), (Some(2), Some(8.0)));
        assert!(got.spot);
        assert_eq!(got.tags.get("env"), Some("prod"));
        assert_eq!(got.launched_at.unwrap().timestamp(), 1_700_000_000);
    }

    #[test]
    fn an_attached_volume_points_at_its_instance() {
        let v = ec2::Volume::builder()
            .volume_id("vol-1")
            .size(100)
            .volume_type(ec2::VolumeType::Gp3)
            .availability_zone("us-east-1a")
            .state(ec2::VolumeState::InUse)
            .attachments(
                ec2::VolumeAttachment::builder()
                    .instance_id("i-9")
                    .device("/dev/sdf")
                    .state(ec2::VolumeAttachmentState::Attaching)
                    .build(),
            )
            .build();
        let d = volume("dev", "us-east-1", &v);
        assert_eq!(d.state, DiskState::InUse);
        assert_eq!(d.provider_state, "in-use (attaching)");
        assert_eq!(d.attached_to.unwrap().id, "i-9");
        assert_eq!(d.device.as_deref(), Some("/dev/sdf"));
        assert_eq!((d.size_gib, d.disk_type.as_str()), (100, "gp3"));
    }
}
