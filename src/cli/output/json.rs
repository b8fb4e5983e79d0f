//! The JSON contract: snake_case fields, one object per resource (docs/cli.md).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::{Disk, Instance, LoadBalancer, ResourceRef, Tags, Target};

#[derive(Serialize)]
pub struct InstanceJson<'a> {
    #[serde(rename = "ref")]
    pub r#ref: &'a ResourceRef,
    pub provider: &'a str,
    pub account: &'a str,
    pub sandbox: bool,
    pub region: &'a str,
    pub zone: Option<&'a str>,
    pub id: &'a str,
    pub name: &'a str,
    pub state: &'a str,
    pub provider_state: &'a str,
    #[serde(rename = "type")]
    pub instance_type: &'a str,
    pub vcpus: Option<u32>,
    pub memory_gib: Option<f64>,
    pub private_ip: Option<&'a str>,
    pub public_ip: Option<&'a str>,
    pub spot: bool,
    pub launched_at: Option<String>,
    pub tags: &'a Tags,
}

pub fn rfc3339(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

impl<'a> From<&'a Instance> for InstanceJson<'a> {
    fn from(i: &'a Instance) -> Self {
        InstanceJson {
            r#ref: &i.r#ref,
            provider: i.r#ref.provider.as_str(),
            account: &i.r#ref.account,
            sandbox: i.sandbox,
            region: &i.r#ref.region,
            zone: i.zone.as_deref(),
            id: i.id(),
            name: &i.name,
            state: i.state.as_str(),
            provider_state: &i.provider_state,
            instance_type: &i.instance_type,
            vcpus: i.vcpus,
            memory_gib: i.memory_gib,
            private_ip: i.private_ip.as_deref(),
            public_ip: i.public_ip.as_deref(),
            spot: i.spot,
            launched_at: rfc3339(i.launched_at),
            tags: &i.tags,
        }
    }
}

#[derive(Serialize)]
pub struct DiskJson<'a> {
    #[serde(rename = "ref")]
    pub r#ref: &'a ResourceRef,
    pub provider: &'a str,
    pub account: &'a str,
    pub sandbox: bool,
    pub region: &'a str,
    pub zone: Option<&'a str>,
    pub id: &'a str,
    pub name: &'a str,
    pub state: &'a str,
    pub size_gib: u64,
    #[serde(rename = "type")]
    pub disk_type: &'a str,
    pub attached_to: Option<&'a ResourceRef>,
    pub device: Option<&'a str>,
    pub tags: &'a Tags,
}

impl<'a> From<&'a Disk> for DiskJson<'a> {
    fn from(d: &'a Disk) -> Self {
        DiskJson {
            r#ref: &d.r#ref,
            provider: d.r#ref.provider.as_str(),
            account: &d.r#ref.account,
            sandbox: d.sandbox,
            region: &d.r#ref.region,
            zone: d.zone.as_deref(),
            id: d.id(),
            name: &d.name,
            state: d.state.as_str(),
            size_gib: d.size_gib,
            disk_type: &d.disk_type,
            attached_to: d.attached_to.as_ref(),
            device: d.device.as_deref(),
            tags: &d.tags,
        }
    }
}

#[derive(Serialize)]
pub struct LoadBalancerJson<'a> {
    #[serde(rename = "ref")]
    pub r#ref: &'a ResourceRef,
    pub provider: &'a str,
    pub account: &'a str,
    pub sandbox: bool,
    pub region: &'a str,
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub scheme: &'a str,
    pub dns_name: Option<&'a str>,
    pub state: &'a str,
    pub targets: &'a [Target],
    pub tags: &'a Tags,
}

impl<'a> From<&'a LoadBalancer> for LoadBalancerJson<'a> {
    fn from(l: &'a LoadBalancer) -> Self {
        LoadBalancerJson {
            r#ref: &l.r#ref,
            provider: l.r#ref.provider.as_str(),
            account: &l.r#ref.account,
            sandbox: l.sandbox,
            region: &l.r#ref.region,
            id: l.id(),
            name: &l.name,
            kind: l.kind.as_str(),
            scheme: l.scheme.as_str(),
            dns_name: l.dns_name.as_deref(),
            state: l.state.as_str(),
            targets: &l.targets,
            tags: &l.tags,
        }
    }
}
