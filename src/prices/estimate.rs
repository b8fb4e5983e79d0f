//! What a resource costs, from the catalog. Monthly is hourly × 730. A resource the catalog
//! cannot price is `Unpriced` with the reason: never zero, never a guess.

use serde::Serialize;

use super::catalog::{DiskPrice, ProviderPrices, Tier};
use super::Catalog;
use crate::domain::{Disk, Instance, InstanceState, LbKind, LoadBalancer, ProviderKind};

pub const HOURS_PER_MONTH: f64 = 730.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    OnDemand,
    Spot,
    /// A stopped machine: no compute charge (its disks are priced on their own rows).
    StorageOnly,
    Unpriced,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::OnDemand => "on-demand",
            Basis::Spot => "spot",
            Basis::StorageOnly => "storage-only",
            Basis::Unpriced => "unpriced",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    pub basis: Basis,
    /// What was priced: machine type, disk type (and tier), LB SKU.
    pub sku: String,
    /// None when unpriced.
    pub hourly_usd: Option<f64>,
    pub as_of: Option<std::sync::Arc<str>>,
    pub source: Option<std::sync::Arc<str>>,
    /// Why it is unpriced, or a note on how it was priced.
    pub note: Option<String>,
}

impl Cost {
    pub fn monthly_usd(&self) -> Option<f64> {
        self.hourly_usd.map(|h| h * HOURS_PER_MONTH)
    }

    fn dated(
        (as_of, source): (&std::sync::Arc<str>, &std::sync::Arc<str>),
        basis: Basis,
        sku: String,
        hourly: f64,
        note: Option<String>,
    ) -> Cost {
        Cost {
            basis,
            sku,
            hourly_usd: Some(hourly),
            as_of: Some(as_of.clone()),
            source: Some(source.clone()),
            note,
        }
    }

    fn unpriced(sku: String, why: String) -> Cost {
        Cost {
            basis: Basis::Unpriced,
            sku,
            hourly_usd: None,
            as_of: None,
            source: None,
            note: Some(why),
        }
    }
}

fn why_missing(p: &ProviderPrices, region: &str, sku: &str, what: &str) -> String {
    if p.compute.contains_key(region) || p.disks.contains_key(region) || p.lbs.contains_key(region)
    {
        format!("no price for {what} {sku} in {region}")
    } else {
        format!(
            "no {} prices for region {region} in the catalog",
            p.provider.map(|k| k.as_str()).unwrap_or("?")
        )
    }
}

/// A running machine costs its on-demand or spot price; a stopped (deallocated) one nothing for
/// compute. An Azure VM that is stopped but not deallocated is still billed for compute.
pub fn instance(cat: &Catalog, i: &Instance) -> Cost {
    let sku = i.instance_type.to_string();
    let Some(p) = cat.provider(i.r#ref.provider) else {
        return Cost::unpriced(
            sku,
            format!("no {} prices in the catalog", i.r#ref.provider),
        );
    };
    let still_billed =
        i.r#ref.provider == ProviderKind::Azure && i.provider_state == "PowerState/stopped";
    let region = i.region();
    let found = p.compute_price(region, &sku);
    if matches!(i.state, InstanceState::Stopped | InstanceState::Terminated) && !still_billed {
        // No compute charge; dated as its type's price here (what starting it would cost).
        let dated = found.map_or((&p.as_of, &p.source), |c| p.dated(c));
        return Cost::dated(dated, Basis::StorageOnly, sku, 0.0, None);
    }
    let Some(price) = found else {
        return Cost::unpriced(sku.clone(), why_missing(p, region, &sku, "machine type"));
    };
    let note =
        still_billed.then(|| "stopped but not deallocated: Azure still bills compute".to_string());
    let dated = p.dated(price);
    if i.spot {
        return match price.spot_usd_per_hour {
            Some(s) => Cost::dated(dated, Basis::Spot, sku, s, note),
            None => Cost::unpriced(
                sku.clone(),
                format!("no spot price for {sku} in {region} in the catalog"),
            ),
        };
    }
    Cost::dated(dated, Basis::OnDemand, sku, price.usd_per_hour, note)
}

/// A disk costs its size at its type's GB-month price, or its size tier's monthly price.
pub fn disk(cat: &Catalog, d: &Disk) -> Cost {
    let dtype = d.disk_type.to_string();
    let Some(p) = cat.provider(d.r#ref.provider) else {
        return Cost::unpriced(
            dtype,
            format!("no {} prices in the catalog", d.r#ref.provider),
        );
    };
    let region = d.r#ref.region.as_str();
    let dated = p.disk_dated(region, &dtype);
    match disk_quote(p, region, &dtype, d.size_gib) {
        DiskQuote::PerGb(hourly) => Cost::dated(dated, Basis::OnDemand, dtype, hourly, None),
        DiskQuote::Tier(t) => Cost::dated(
            dated,
            Basis::OnDemand,
            format!("{dtype} {}", t.name),
            t.usd_per_month / HOURS_PER_MONTH,
            Some(format!("{} GiB tier", t.size_gib)),
        ),
        DiskQuote::NoTier => Cost::unpriced(
            dtype.clone(),
            format!(
                "no {dtype} tier of {} GiB or more in the catalog for {region}",
                d.size_gib
            ),
        ),
        DiskQuote::NoPrice => {
            Cost::unpriced(dtype.clone(), why_missing(p, region, &dtype, "disk type"))
        }
    }
}

/// A disk's dollars an hour, as [`disk`] prices it, without building its `Cost` (no string
/// is made: the findings add up 122k disks at 100k instances).
pub fn disk_hourly(cat: &Catalog, d: &Disk) -> Option<f64> {
    let p = cat.provider(d.r#ref.provider)?;
    match disk_quote(p, d.r#ref.region.as_str(), d.disk_type.as_str(), d.size_gib) {
        DiskQuote::PerGb(hourly) => Some(hourly),
        DiskQuote::Tier(t) => Some(t.usd_per_month / HOURS_PER_MONTH),
        DiskQuote::NoTier | DiskQuote::NoPrice => None,
    }
}

/// How a disk of `size_gib` is priced: by the GiB (dollars an hour), by its tier, or not (no
/// tier that large, or no price for its type here).
enum DiskQuote<'a> {
    PerGb(f64),
    Tier(&'a Tier),
    NoTier,
    NoPrice,
}

fn disk_quote<'a>(
    p: &'a ProviderPrices,
    region: &str,
    dtype: &str,
    size_gib: u64,
) -> DiskQuote<'a> {
    match p.disk_price(region, dtype) {
        Some(DiskPrice::PerGbMonth(v)) => DiskQuote::PerGb(v * size_gib as f64 / HOURS_PER_MONTH),
        Some(DiskPrice::Tiers(tiers)) => tiers
            .iter()
            .find(|t| t.size_gib >= size_gib)
            .map_or(DiskQuote::NoTier, DiskQuote::Tier),
        None => DiskQuote::NoPrice,
    }
}

/// The SKU a load balancer is priced by: ELBv2 kind, a GCP forwarding rule, an Azure rule.
pub fn lb_sku(lb: &LoadBalancer) -> String {
    match lb.r#ref.provider {
        ProviderKind::Aws => lb.kind.as_str().to_string(),
        ProviderKind::Gcp => "forwarding-rule".into(),
        ProviderKind::Azure => "Standard-rule".into(),
    }
}

/// A load balancer costs its base hourly price (usage charges are not estimated).
pub fn load_balancer(cat: &Catalog, lb: &LoadBalancer) -> Cost {
    let sku = lb_sku(lb);
    let Some(p) = cat.provider(lb.r#ref.provider) else {
        return Cost::unpriced(
            sku,
            format!("no {} prices in the catalog", lb.r#ref.provider),
        );
    };
    let region = lb.r#ref.region.as_str();
    match p.lb_price(region, &sku) {
        Some(v) => {
            let note = (lb.kind == LbKind::Application || lb.r#ref.provider != ProviderKind::Aws)
                .then(|| "base price; capacity units and data processed are extra".to_string());
            Cost::dated(p.lb_dated(region, &sku), Basis::OnDemand, sku, v, note)
        }
        None => Cost::unpriced(sku.clone(), why_missing(p, region, &sku, "load balancer")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DiskState, LbScheme, LbState, ResourceKind, ResourceRef, Tags};

    fn vm(
        p: ProviderKind,
        region: &str,
        ty: &str,
        state: InstanceState,
        pstate: &str,
        spot: bool,
    ) -> Instance {
        Instance {
            uid: None,
            r#ref: ResourceRef::new(p, "a", region, ResourceKind::Instance, "i-1"),
            sandbox: true,
            zone: None,
            name: "x".into(),
            state,
            provider_state: pstate.into(),
            instance_type: ty.into(),
            vcpus: None,
            memory_gib: None,
            private_ip: None,
            public_ip: None,
            spot,
            launched_at: None,
            tags: Tags::new(),
        }
    }

    fn disk_of(p: ProviderKind, region: &str, ty: &str, size: u64) -> Disk {
        Disk {
            uid: None,
            r#ref: ResourceRef::new(p, "a", region, ResourceKind::Disk, "d-1"),
            sandbox: true,
            zone: None,
            name: "d".into(),
            state: DiskState::Available,
            provider_state: "available".into(),
            size_gib: size,
            disk_type: ty.into(),
            attached_to: None,
            device: None,
            tags: Tags::new(),
        }
    }

    #[test]
    fn each_basis() {
        let c = Catalog::bundled();
        let run = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "us-east-1",
                "m5.large",
                InstanceState::Running,
                "running",
                false,
            ),
        );
        assert_eq!((run.basis, run.hourly_usd), (Basis::OnDemand, Some(0.096)));
        assert!((run.monthly_usd().unwrap() - 70.08).abs() < 1e-9);
        assert_eq!(run.as_of.as_deref(), Some("2026-07-20"));

        let stopped = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "us-east-1",
                "m5.large",
                InstanceState::Stopped,
                "stopped",
                false,
            ),
        );
        assert_eq!(
            (stopped.basis, stopped.hourly_usd),
            (Basis::StorageOnly, Some(0.0))
        );

        let spot = instance(
            &c,
            &vm(
                ProviderKind::Gcp,
                "us-central1",
                "e2-standard-2",
                InstanceState::Running,
                "RUNNING",
                true,
            ),
        );
        assert_eq!((spot.basis, spot.hourly_usd), (Basis::Spot, Some(0.040212)));

        let aws_spot = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "us-east-1",
                "m5.large",
                InstanceState::Running,
                "running",
                true,
            ),
        );
        assert_eq!(aws_spot.basis, Basis::Unpriced);
        assert!(aws_spot.note.unwrap().contains("no spot price"));

        let elsewhere = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "eu-west-1",
                "m5.large",
                InstanceState::Running,
                "running",
                false,
            ),
        );
        assert_eq!(
            (elsewhere.basis, elsewhere.hourly_usd),
            (Basis::OnDemand, Some(0.107)),
            "the 2022 regional list price"
        );
        assert_eq!(elsewhere.as_of.as_deref(), Some("2022-11-22"));
        let stopped_elsewhere = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "eu-west-1",
                "m5.large",
                InstanceState::Stopped,
                "stopped",
                false,
            ),
        );
        assert_eq!(
            (stopped_elsewhere.basis, stopped_elsewhere.as_of.as_deref()),
            (Basis::StorageOnly, Some("2022-11-22")),
            "dated as its type's price there"
        );
        assert!(elsewhere.source.unwrap().contains("ec2details"));
        let newer_family = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "eu-west-1",
                "m7i.large",
                InstanceState::Running,
                "running",
                false,
            ),
        );
        assert_eq!(
            newer_family.note.as_deref(),
            Some("no price for machine type m7i.large in eu-west-1"),
            "a family newer than the 2022 file is not guessed"
        );
        let newer_region = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "il-central-1",
                "m5.large",
                InstanceState::Running,
                "running",
                false,
            ),
        );
        assert_eq!(
            newer_region.note.as_deref(),
            Some("no aws prices for region il-central-1 in the catalog")
        );
        let unknown = instance(
            &c,
            &vm(
                ProviderKind::Aws,
                "us-east-1",
                "t9.huge",
                InstanceState::Running,
                "running",
                false,
            ),
        );
        assert_eq!(
            unknown.note.as_deref(),
            Some("no price for machine type t9.huge in us-east-1")
        );

        let az_stopped = instance(
            &c,
            &vm(
                ProviderKind::Azure,
                "eastus",
                "Standard_D2s_v5",
                InstanceState::Stopped,
                "PowerState/stopped",
                false,
            ),
        );
        assert_eq!(
            (az_stopped.basis, az_stopped.hourly_usd),
            (Basis::OnDemand, Some(0.096)),
            "stopped but allocated still bills"
        );
        let az_dealloc = instance(
            &c,
            &vm(
                ProviderKind::Azure,
                "eastus",
                "Standard_D2s_v5",
                InstanceState::Stopped,
                "PowerState/deallocated",
                false,
            ),
        );
        assert_eq!(az_dealloc.basis, Basis::StorageOnly);
    }

    #[test]
    fn disks_by_size_and_by_tier() {
        let c = Catalog::bundled();
        let gp3 = disk(&c, &disk_of(ProviderKind::Aws, "us-east-1", "gp3", 100));
        assert!((gp3.monthly_usd().unwrap() - 8.0).abs() < 1e-9);
        let p10 = disk(
            &c,
            &disk_of(ProviderKind::Azure, "eastus", "Premium_LRS", 100),
        );
        assert_eq!(p10.sku, "Premium_LRS P10");
        assert!((p10.monthly_usd().unwrap() - 19.71).abs() < 1e-9);
        let too_big = disk(
            &c,
            &disk_of(ProviderKind::Azure, "eastus", "Premium_LRS", 512),
        );
        assert_eq!(too_big.basis, Basis::Unpriced);
        let pd = disk(&c, &disk_of(ProviderKind::Gcp, "us-central1", "pd-ssd", 10));
        assert!(pd.hourly_usd.unwrap() > 0.0);
    }

    #[test]
    fn load_balancers_by_base_price() {
        let c = Catalog::bundled();
        let lb = LoadBalancer {
            uid: None,
            r#ref: ResourceRef::new(
                ProviderKind::Aws,
                "a",
                "us-east-1",
                ResourceKind::LoadBalancer,
                "arn",
            ),
            sandbox: true,
            name: "l".into(),
            kind: LbKind::Network,
            scheme: LbScheme::Internal,
            dns_name: None,
            state: LbState::Active,
            provider_state: "active".into(),
            targets: vec![],
            tags: Tags::new(),
        };
        assert_eq!(load_balancer(&c, &lb).hourly_usd, Some(0.0225));
        let mut west = lb.clone();
        west.r#ref.region = "us-west-2".into();
        assert_eq!(load_balancer(&c, &west).basis, Basis::Unpriced);
    }
}
