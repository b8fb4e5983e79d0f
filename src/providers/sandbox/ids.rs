//! Ids in each provider's own format.

use super::rng::Rng;
use super::shapes::Shape;
use crate::domain::ProviderKind;

pub fn instance_id(shape: &Shape, rng: &mut Rng, group: &str, name: &str) -> String {
    match shape.provider {
        ProviderKind::Aws => format!("i-{}", rng.hex(17)),
        // Compute Engine ids are unsigned 64-bit numbers, sent as strings.
        ProviderKind::Gcp => gcp_numeric_id(rng),
        ProviderKind::Azure => azure_id(shape, group, "Microsoft.Compute/virtualMachines", name),
    }
}

pub fn disk_id(shape: &Shape, rng: &mut Rng, group: &str, name: &str) -> String {
    match shape.provider {
        ProviderKind::Aws => format!("vol-{}", rng.hex(17)),
        ProviderKind::Gcp => gcp_numeric_id(rng),
        ProviderKind::Azure => azure_id(shape, group, "Microsoft.Compute/disks", name),
    }
}

pub fn lb_id(
    shape: &Shape,
    rng: &mut Rng,
    region: &str,
    group: &str,
    name: &str,
    kind: &str,
) -> String {
    match shape.provider {
        ProviderKind::Aws => format!(
            "arn:aws:elasticloadbalancing:{region}:{}:loadbalancer/{}/{name}/{}",
            shape.native_id,
            if kind == "application" { "app" } else { "net" },
            rng.hex(16)
        ),
        ProviderKind::Gcp => gcp_numeric_id(rng),
        ProviderKind::Azure => azure_id(shape, group, "Microsoft.Network/loadBalancers", name),
    }
}

fn gcp_numeric_id(rng: &mut Rng) -> String {
    (1_000_000_000_000_000_000u64 + rng.below(8_000_000_000_000_000_000)).to_string()
}

pub fn azure_id(shape: &Shape, group: &str, rtype: &str, name: &str) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{group}/providers/{rtype}/{name}",
        shape.native_id
    )
}
