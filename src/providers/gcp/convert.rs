//! Compute Engine's answers as domain rows: refs carry the zone (or region) and the name, `uid`
//! the numeric id; the provider's own state word is kept beside the normalised one.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use google_cloud_compute_v1::model;

use super::urls;
use crate::domain::{
    Disk, Instance, LbKind, LbScheme, LbState, LoadBalancer, ProviderKind, ResourceKind,
    ResourceRef, Tags, Target, TargetHealth,
};
use crate::providers::state_map;

/// vCPUs and memory of a machine type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeSize {
    pub vcpus: u32,
    pub memory_gib: f64,
}

/// A custom machine type spells its size in its name (`custom-4-8192`, `n2-custom-8-16384`,
/// `…-ext`): no lookup needed.
pub fn custom_size(name: &str) -> Option<TypeSize> {
    let rest = name.split("custom-").nth(1)?;
    let mut it = rest.split('-');
    let vcpus = it.next()?.parse().ok()?;
    let mb: f64 = it.next()?.parse().ok()?;
    Some(TypeSize {
        vcpus,
        memory_gib: mb / 1024.0,
    })
}

fn labels(l: &HashMap<String, String>) -> Tags {
    let sorted: BTreeMap<_, _> = l.iter().collect();
    sorted.into_iter().collect()
}

fn time(s: Option<&String>) -> Option<DateTime<Utc>> {
    s.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn uid(id: Option<u64>) -> Option<crate::domain::Str> {
    id.map(|i| i.to_string().into())
}

/// The ref of an instance another resource names by URL (a disk's `users`, a pool's
/// `instances`).
pub fn instance_ref(account: &str, url: &str) -> Option<ResourceRef> {
    let (_, zone, name) = urls::zonal_parts(url)?;
    Some(
        ResourceRef::new(
            ProviderKind::Gcp,
            account,
            urls::zone_region(zone),
            ResourceKind::Instance,
            name,
        )
        .in_zone(zone),
    )
}

pub fn instance(
    account: &str,
    i: &model::Instance,
    size: impl Fn(&str) -> Option<TypeSize>,
) -> Instance {
    let zone = i.zone.as_deref().map(urls::last).unwrap_or_default();
    let name = i.name.as_deref().unwrap_or_default();
    let word = i
        .status
        .as_ref()
        .and_then(|s| s.name())
        .unwrap_or("UNKNOWN");
    let machine = i
        .machine_type
        .as_deref()
        .map(urls::last)
        .unwrap_or_default();
    let sz = size(machine);
    let nic = i.network_interfaces.first();
    let scheduling = i.scheduling.as_ref();
    let spot = scheduling.is_some_and(|s| {
        s.preemptible == Some(true)
            || s.provisioning_model.as_ref().and_then(|m| m.name()) == Some("SPOT")
    });
    Instance {
        r#ref: ResourceRef::new(
            ProviderKind::Gcp,
            account,
            urls::zone_region(zone),
            ResourceKind::Instance,
            name,
        )
        .in_zone(zone),
        uid: uid(i.id),
        sandbox: false,
        zone: Some(zone.into()),
        name: name.into(),
        state: state_map::gcp_instance(word),
        provider_state: word.into(),
        instance_type: machine.into(),
        vcpus: sz.map(|s| s.vcpus),
        memory_gib: sz.map(|s| s.memory_gib),
        private_ip: nic.and_then(|n| n.network_ip.as_deref()).map(Into::into),
        public_ip: nic
            .and_then(|n| n.access_configs.iter().find_map(|a| a.nat_ip.as_deref()))
            .map(Into::into),
        spot,
        launched_at: time(i.creation_timestamp.as_ref()),
        tags: labels(&i.labels),
    }
}

/// `device` is the name the attaching instance gives the disk (from its `disks[]`), when known.
pub fn disk(account: &str, d: &model::Disk, device: Option<&str>) -> Disk {
    let zone = d.zone.as_deref().map(urls::last).unwrap_or_default();
    let name = d.name.as_deref().unwrap_or_default();
    let word = d
        .status
        .as_ref()
        .and_then(|s| s.name())
        .unwrap_or("UNKNOWN");
    let attached_to = d.users.first().and_then(|u| instance_ref(account, u));
    Disk {
        r#ref: ResourceRef::new(
            ProviderKind::Gcp,
            account,
            urls::zone_region(zone),
            ResourceKind::Disk,
            name,
        )
        .in_zone(zone),
        uid: uid(d.id),
        sandbox: false,
        zone: Some(zone.into()),
        name: name.into(),
        state: state_map::gcp_disk(word, attached_to.is_some()),
        provider_state: word.into(),
        size_gib: d.size_gb.unwrap_or(0).max(0) as u64,
        disk_type: d
            .r#type
            .as_deref()
            .map(urls::last)
            .unwrap_or_default()
            .into(),
        device: attached_to.as_ref().and(device).map(Into::into),
        attached_to,
        tags: labels(&d.labels),
    }
}

/// Application (layer 7) when the rule points at an HTTP(S) proxy, or its backend service
/// speaks HTTP, HTTPS, HTTP/2, gRPC or H2C (whatever the scheme: EXTERNAL_MANAGED and
/// INTERNAL_MANAGED proxies included); network (layer 4) otherwise: a target pool, or a
/// passthrough backend service of protocol TCP, UDP, SSL or UNSPECIFIED.
pub fn lb_kind(fr: &model::ForwardingRule, service: Option<&model::BackendService>) -> LbKind {
    let target = fr.target.as_deref().unwrap_or_default();
    let layer7 = service
        .and_then(|s| s.protocol.as_ref())
        .and_then(|p| p.name())
        .is_some_and(|p| matches!(p, "HTTP" | "HTTPS" | "HTTP2" | "GRPC" | "H2C"));
    if layer7 || target.contains("/targetHttpProxies/") || target.contains("/targetHttpsProxies/") {
        LbKind::Application
    } else {
        LbKind::Network
    }
}

/// The region a forwarding rule lives in (`global` for global ones).
pub fn lb_region(fr: &model::ForwardingRule) -> String {
    fr.region
        .as_deref()
        .map(urls::last)
        .unwrap_or("global")
        .to_string()
}

/// A forwarding rule and the instances behind it (`targets` with their health when known);
/// `service` is the backend service it leads to, when it does.
pub fn load_balancer(
    account: &str,
    fr: &model::ForwardingRule,
    service: Option<&model::BackendService>,
    targets: Vec<Target>,
) -> LoadBalancer {
    let region = lb_region(fr);
    let name = fr.name.as_deref().unwrap_or_default();
    let scheme = match fr
        .load_balancing_scheme
        .as_ref()
        .and_then(|s| s.name())
        .unwrap_or("EXTERNAL")
    {
        s if s.starts_with("INTERNAL") => LbScheme::Internal,
        _ => LbScheme::InternetFacing,
    };
    let ports = if !fr.ports.is_empty() {
        fr.ports.join(",")
    } else {
        fr.port_range.clone().unwrap_or_default()
    };
    let protocol = fr
        .ip_protocol
        .as_ref()
        .and_then(|p| p.name())
        .unwrap_or("TCP");
    let address = fr.ip_address.as_deref().map(|ip| {
        if ports.is_empty() {
            format!("{ip} {protocol}")
        } else {
            format!("{ip}:{ports} {protocol}")
        }
    });
    LoadBalancer {
        r#ref: ResourceRef::new(
            ProviderKind::Gcp,
            account,
            &region,
            ResourceKind::LoadBalancer,
            name,
        ),
        uid: uid(fr.id),
        sandbox: false,
        name: name.into(),
        kind: lb_kind(fr, service),
        scheme,
        dns_name: address.map(Into::into),
        // A forwarding rule has no state: it exists once its insert is done.
        state: LbState::Active,
        provider_state: "READY".into(),
        targets,
        tags: labels(&fr.labels),
    }
}

/// The instances of a target pool, health unknown until `getHealth` says.
pub fn pool_targets(account: &str, pool: &model::TargetPool) -> Vec<Target> {
    pool.instances
        .iter()
        .filter_map(|u| instance_ref(account, u))
        .map(|instance| Target {
            instance,
            health: TargetHealth::Unknown,
        })
        .collect()
}

/// A `HealthStatus.healthState` word as the target's health.
pub fn health(h: &model::HealthStatus) -> TargetHealth {
    h.health_state
        .as_ref()
        .and_then(|s| s.name())
        .map_or(TargetHealth::Unknown, state_map::gcp_target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_types_carry_their_size() {
        assert_eq!(
            custom_size("custom-4-8192"),
            Some(TypeSize {
                vcpus: 4,
                memory_gib: 8.0
            })
        );
        assert_eq!(
            custom_size("n2-custom-2-5120-ext"),
            Some(TypeSize {
                vcpus: 2,
                memory_gib: 5.0
            })
        );
        assert_eq!(custom_size("e2-small"), None);
    }

    #[test]
    fn an_instance_reads_zone_ips_spot_labels_and_state() {
        let json = serde_json::json!({
            "id": "1234567890123456789",
            "name": "web-1",
            "zone": "https://www.googleapis.com/compute/v1/projects/p/zones/europe-west1-b",
            "machineType": "https://www.googleapis.com/compute/v1/projects/p/zones/europe-west1-b/machineTypes/e2-small",
            "status": "TERMINATED",
            "creationTimestamp": "2026-01-02T03:04:05.000-08:00",
            "labels": {"team": "web"},
            "scheduling": {"provisioningModel": "SPOT"},
            "networkInterfaces": [{"networkIP": "10.0.0.2", "accessConfigs": [{"natIP": "34.1.2.3"}]}]
        });
        let i: model::Instance = serde_json::from_value(json).unwrap();
        let v = instance("acct", &i, |t| {
            (t == "e2-small").then_some(TypeSize {
                vcpus: 2,
                memory_gib: 2.0,
            })
        });
        assert_eq!(
            v.r#ref.to_string(),
            "gcp:acct:europe-west1-b:instance:web-1"
        );
        assert_eq!(v.uid.as_deref(), Some("1234567890123456789"));
        assert_eq!(v.state, crate::domain::InstanceState::Stopped);
        assert_eq!(v.provider_state, "TERMINATED");
        assert_eq!(
            (v.vcpus, v.private_ip.as_deref(), v.public_ip.as_deref()),
            (Some(2), Some("10.0.0.2"), Some("34.1.2.3"))
        );
        assert!(v.spot);
        assert_eq!(v.tags.get("team"), Some("web"));
        assert_eq!(
            v.launched_at.unwrap().to_rfc3339(),
            "2026-01-02T11:04:05+00:00"
        );
    }
}
