//! The provider's own view of a resource for `get` and the detail view, in the field names of
//! the EC2/ELBv2 APIs (as `aws ec2 describe-instances` prints them). The SDK's types are not
//! serialisable, so the fields an operator looks at are copied here; absent fields are left out.

use aws_sdk_ec2::types as ec2;
use aws_sdk_elasticloadbalancingv2::types as elb;
use serde_json::{json, Map, Value};

fn compact(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null() && v != &json!([]))
                .map(|(k, v)| (k, compact(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(compact).collect()),
        other => other,
    }
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> Value {
    super::convert::time(t)
        .map(|t| Value::String(t.to_rfc3339()))
        .unwrap_or(Value::Null)
}

fn ec2_tags(t: &[ec2::Tag]) -> Value {
    t.iter()
        .map(|t| json!({"Key": t.key(), "Value": t.value()}))
        .collect()
}

pub fn instance(i: &ec2::Instance) -> Value {
    compact(json!({
        "InstanceId": i.instance_id(),
        "ImageId": i.image_id(),
        "InstanceType": i.instance_type().map(|t| t.as_str()),
        "State": i.state().map(|s| json!({"Code": s.code(), "Name": s.name().map(|n| n.as_str())})),
        "StateReason": i.state_reason().and_then(|r| r.message()),
        "Placement": i.placement().map(|p| json!({"AvailabilityZone": p.availability_zone(), "Tenancy": p.tenancy().map(|t| t.as_str())})),
        "Architecture": i.architecture().map(|a| a.as_str()),
        "Platform": i.platform_details(),
        "InstanceLifecycle": i.instance_lifecycle().map(|l| l.as_str()),
        "LaunchTime": time(i.launch_time()),
        "VpcId": i.vpc_id(),
        "SubnetId": i.subnet_id(),
        "PrivateIpAddress": i.private_ip_address(),
        "PrivateDnsName": i.private_dns_name(),
        "PublicIpAddress": i.public_ip_address(),
        "PublicDnsName": i.public_dns_name(),
        "KeyName": i.key_name(),
        "IamInstanceProfile": i.iam_instance_profile().and_then(|p| p.arn()),
        "SecurityGroups": i.security_groups().iter().map(|g| json!({"GroupId": g.group_id(), "GroupName": g.group_name()})).collect::<Vec<_>>(),
        "RootDeviceName": i.root_device_name(),
        "BlockDeviceMappings": i.block_device_mappings().iter().map(|b| json!({
            "DeviceName": b.device_name(),
            "Ebs": b.ebs().map(|e| json!({"VolumeId": e.volume_id(), "Status": e.status().map(|s| s.as_str()), "DeleteOnTermination": e.delete_on_termination()})),
        })).collect::<Vec<_>>(),
        "Tags": ec2_tags(i.tags()),
    }))
}

pub fn volume(v: &ec2::Volume) -> Value {
    compact(json!({
        "VolumeId": v.volume_id(),
        "Size": v.size(),
        "VolumeType": v.volume_type().map(|t| t.as_str()),
        "Iops": v.iops(),
        "Throughput": v.throughput(),
        "Encrypted": v.encrypted(),
        "KmsKeyId": v.kms_key_id(),
        "SnapshotId": v.snapshot_id(),
        "AvailabilityZone": v.availability_zone(),
        "State": v.state().map(|s| s.as_str()),
        "CreateTime": time(v.create_time()),
        "Attachments": v.attachments().iter().map(|a| json!({
            "InstanceId": a.instance_id(),
            "Device": a.device(),
            "State": a.state().map(|s| s.as_str()),
            "AttachTime": time(a.attach_time()),
            "DeleteOnTermination": a.delete_on_termination(),
        })).collect::<Vec<_>>(),
        "Tags": ec2_tags(v.tags()),
    }))
}

/// A load balancer with its target groups and their targets' health.
pub fn load_balancer(
    lb: &elb::LoadBalancer,
    groups: &[(&elb::TargetGroup, &[elb::TargetHealthDescription])],
    tags: &[elb::Tag],
) -> Value {
    compact(json!({
        "LoadBalancerArn": lb.load_balancer_arn(),
        "LoadBalancerName": lb.load_balancer_name(),
        "DNSName": lb.dns_name(),
        "Type": lb.r#type().map(|t| t.as_str()),
        "Scheme": lb.scheme().map(|s| s.as_str()),
        "State": lb.state().map(|s| json!({"Code": s.code().map(|c| c.as_str()), "Reason": s.reason()})),
        "VpcId": lb.vpc_id(),
        "CreatedTime": time(lb.created_time()),
        "AvailabilityZones": lb.availability_zones().iter().map(|z| json!({"ZoneName": z.zone_name(), "SubnetId": z.subnet_id()})).collect::<Vec<_>>(),
        "SecurityGroups": lb.security_groups(),
        "IpAddressType": lb.ip_address_type().map(|t| t.as_str()),
        "TargetGroups": groups.iter().map(|(g, health)| json!({
            "TargetGroupArn": g.target_group_arn(),
            "TargetGroupName": g.target_group_name(),
            "Protocol": g.protocol().map(|p| p.as_str()),
            "Port": g.port(),
            "TargetType": g.target_type().map(|t| t.as_str()),
            "Targets": health.iter().map(|h| json!({
                "Id": h.target().and_then(|t| t.id()),
                "Port": h.target().and_then(|t| t.port()),
                "State": h.target_health().and_then(|t| t.state()).map(|s| s.as_str()),
                "Reason": h.target_health().and_then(|t| t.reason()).map(|s| s.as_str()),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "Tags": tags.iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect::<Vec<_>>(),
    }))
}
