use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Str;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Aws,
    Gcp,
    Azure,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 3] = [ProviderKind::Aws, ProviderKind::Gcp, ProviderKind::Azure];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Aws => "aws",
            ProviderKind::Gcp => "gcp",
            ProviderKind::Azure => "azure",
        }
    }

    /// The vendor's own word for an account, used in messages and the `accounts` listing.
    pub fn account_word(self) -> &'static str {
        match self {
            ProviderKind::Aws => "account",
            ProviderKind::Gcp => "project",
            ProviderKind::Azure => "subscription",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProviderKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "aws" => Ok(ProviderKind::Aws),
            "gcp" | "google" => Ok(ProviderKind::Gcp),
            "azure" => Ok(ProviderKind::Azure),
            other => Err(format!(
                "unknown provider '{other}' (expected aws, gcp or azure)"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Instance,
    Disk,
    LoadBalancer,
    /// A VPC / VPC network / virtual network, with its subnets and security groups
    /// (`domain::network::NetworkRow`).
    Network,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 4] = [
        ResourceKind::Instance,
        ResourceKind::Disk,
        ResourceKind::LoadBalancer,
        ResourceKind::Network,
    ];

    /// The kinds a provider lists, describes and tags one by one through `list`, `describe`
    /// and `apply`, and the price catalog prices: every kind but networks (read with
    /// `list_networks`).
    pub const DESCRIBED: [ResourceKind; 3] = [
        ResourceKind::Instance,
        ResourceKind::Disk,
        ResourceKind::LoadBalancer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Instance => "instance",
            ResourceKind::Disk => "disk",
            ResourceKind::LoadBalancer => "load-balancer",
            ResourceKind::Network => "network",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            ResourceKind::Instance => "instances",
            ResourceKind::Disk => "disks",
            ResourceKind::LoadBalancer => "load balancers",
            ResourceKind::Network => "networks",
        }
    }

    /// Its provider describes one resource of it with a raw payload (`CloudProvider::describe`);
    /// a network is its listed row (its subnets, groups and rules), nothing more to ask for.
    pub fn describable(self) -> bool {
        self != ResourceKind::Network
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ResourceKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "instance" => Ok(ResourceKind::Instance),
            "disk" => Ok(ResourceKind::Disk),
            "load-balancer" | "lb" => Ok(ResourceKind::LoadBalancer),
            "network" => Ok(ResourceKind::Network),
            other => Err(format!("unknown resource kind '{other}'")),
        }
    }
}

/// Where a resource lives and what its provider's API addresses it by, so every provider can
/// describe, change, tag and wait on a resource from its ref alone. Printed as
/// `provider:account:location:kind:id`, where the location is the zone for resources addressed
/// by zone (GCP instances and disks) and the region otherwise (`global` for GCP's global
/// resources). The id comes last because Azure ids contain `/` and ARNs contain `:`, so
/// everything after the fourth `:` is the id.
///
/// Azure resource ids are case-insensitive (ARM answers `managedBy` and back-references in
/// other cases than it lists the resource), so two Azure refs are the same resource when their
/// ids differ only in case; they are printed as the provider gave them.
#[derive(Debug, Clone)]
pub struct ResourceRef {
    pub provider: ProviderKind,
    pub account: Str,
    pub region: Str,
    /// The zone, for resources their API addresses by zone (GCP instances and disks); None for
    /// regional and global resources, and wherever the id alone is the address (AWS, Azure).
    pub zone: Option<Str>,
    pub kind: ResourceKind,
    /// What the API addresses the resource by: AWS `i-…`/`vol-…`/ARN, GCP the resource's name
    /// (its numeric id is not addressable), Azure the full resource id.
    pub id: Str,
}

impl ResourceRef {
    pub fn new(
        provider: ProviderKind,
        account: &str,
        region: &str,
        kind: ResourceKind,
        id: &str,
    ) -> Self {
        ResourceRef {
            provider,
            account: account.into(),
            region: region.into(),
            zone: None,
            kind,
            id: id.into(),
        }
    }

    /// The same ref, addressed within `zone`.
    pub fn in_zone(mut self, zone: &str) -> Self {
        self.zone = Some(zone.into());
        self
    }

    /// The zone or region the API addresses the resource in.
    pub fn location(&self) -> &str {
        self.zone.as_deref().unwrap_or(&self.region)
    }

    fn folds_case(&self) -> bool {
        self.provider == ProviderKind::Azure
    }

    /// What identifies the resource within its account and kind, canonical for comparison and
    /// indexing: the zone and name on GCP, the lower-cased id on Azure, the id elsewhere.
    pub fn key(&self) -> Str {
        match (&self.zone, self.folds_case()) {
            (_, true) => self.id.to_ascii_lowercase(),
            (Some(z), false) => compact_str::format_compact!("{z}/{}", self.id),
            (None, false) => self.id.clone(),
        }
    }

    /// Does `id` (as a user typed it, or as another answer of the provider spelled it) name
    /// this resource's id?
    pub fn id_is(&self, id: &str) -> bool {
        if self.folds_case() {
            self.id.eq_ignore_ascii_case(id)
        } else {
            self.id == id
        }
    }
}

impl PartialEq for ResourceRef {
    fn eq(&self, o: &Self) -> bool {
        self.provider == o.provider
            && self.account == o.account
            && self.kind == o.kind
            && self.id_is(&o.id)
            // An Azure id holds its subscription, group and name: the region adds nothing.
            && (self.folds_case() || (self.region == o.region && self.zone == o.zone))
    }
}

impl Eq for ResourceRef {}

impl std::hash::Hash for ResourceRef {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.provider.hash(h);
        self.account.hash(h);
        self.kind.hash(h);
        if self.folds_case() {
            // Folded a block at a time: one `write` per 64 bytes, not one per byte (SipHash
            // per byte was a sixth of the first Costs view at 100k).
            let mut block = [0u8; 64];
            for chunk in self.id.as_bytes().chunks(64) {
                let folded = &mut block[..chunk.len()];
                folded.copy_from_slice(chunk);
                folded.make_ascii_lowercase();
                h.write(folded);
            }
        } else {
            self.id.hash(h);
            self.region.hash(h);
            self.zone.hash(h);
        }
    }
}

impl Ord for ResourceRef {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        let head = (self.provider, &self.account, self.kind).cmp(&(o.provider, &o.account, o.kind));
        head.then_with(|| {
            if self.folds_case() {
                cmp_folded(self.id.as_bytes(), o.id.as_bytes())
            } else {
                (&self.region, &self.zone, &self.id).cmp(&(&o.region, &o.zone, &o.id))
            }
        })
    }
}

/// `a` and `b` compared ignoring ASCII case. Azure ids share a long prefix (subscription, group,
/// provider): it is skipped eight bytes at a time, and only the rest is folded byte by byte.
fn cmp_folded(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let word = |s: &[u8], i: usize| u64::from_ne_bytes(s[i..i + 8].try_into().expect("8 bytes"));
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n && word(a, i) == word(b, i) {
        i += 8;
    }
    let lower = |x: &u8| x.to_ascii_lowercase();
    a[i..].iter().map(lower).cmp(b[i..].iter().map(lower))
}

impl PartialOrd for ResourceRef {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// A GCP zone name (`europe-west1-b`): its region and a one-letter suffix.
fn gcp_zone_region(location: &str) -> Option<&str> {
    let (region, suffix) = location.rsplit_once('-')?;
    let zone_like = suffix.len() == 1
        && suffix.bytes().all(|b| b.is_ascii_lowercase())
        && region.ends_with(|c: char| c.is_ascii_digit())
        && region.contains('-');
    zone_like.then_some(region)
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}:{}",
            self.provider,
            self.account,
            self.location(),
            self.kind,
            self.id
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a resource ref ({why}); a ref looks like aws:ACCOUNT:REGION:instance:ID (a GCP instance or disk: gcp:PROJECT:ZONE:instance:NAME)")]
pub struct RefParseError {
    pub input: String,
    pub why: String,
}

impl FromStr for ResourceRef {
    type Err = RefParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |why: String| RefParseError {
            input: s.to_string(),
            why,
        };
        let mut parts = s.splitn(5, ':');
        let (Some(p), Some(a), Some(r), Some(k), Some(id)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(err("it has fewer than five ':'-separated parts".into()));
        };
        let provider = p.parse().map_err(err)?;
        let kind = k.parse().map_err(err)?;
        if a.is_empty() || r.is_empty() || id.is_empty() {
            return Err(err("account, location and id must not be empty".into()));
        }
        Ok(match (provider, gcp_zone_region(r)) {
            (ProviderKind::Gcp, Some(region)) => {
                ResourceRef::new(provider, a, region, kind, id).in_zone(r)
            }
            _ => ResourceRef::new(provider, a, r, kind, id),
        })
    }
}

impl Serialize for ResourceRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ResourceRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_order_is_the_order_of_the_lower_cased_ids() {
        let prefix = "/subscriptions/0000/resourceGroups/RG-Web/providers/Microsoft.Compute/vm/";
        let ids: Vec<String> = [
            "web-1", "WEB-1", "Web-10", "web-2", "", "a", "WEB", "web-1x",
        ]
        .iter()
        .flat_map(|n| {
            [
                n.to_string(),
                format!("{prefix}{n}"),
                prefix.to_lowercase() + n,
            ]
        })
        .collect();
        for a in &ids {
            for b in &ids {
                let want = a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase());
                assert_eq!(cmp_folded(a.as_bytes(), b.as_bytes()), want, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn ref_round_trips_with_colons_and_slashes_in_the_id() {
        let arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        let r = ResourceRef::new(
            ProviderKind::Aws,
            "prod",
            "us-east-1",
            ResourceKind::LoadBalancer,
            arn,
        );
        let s = r.to_string();
        assert_eq!(s, format!("aws:prod:us-east-1:load-balancer:{arn}"));
        assert_eq!(s.parse::<ResourceRef>().unwrap(), r);
        let az = "azure:corp:eastus:instance:/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";
        assert_eq!(az.parse::<ResourceRef>().unwrap().to_string(), az);
    }

    #[test]
    fn a_gcp_zonal_ref_carries_its_zone_and_name() {
        let r: ResourceRef = "gcp:proj:europe-west1-b:instance:web-1".parse().unwrap();
        assert_eq!(
            (r.region.as_str(), r.zone.as_deref(), r.id.as_str()),
            ("europe-west1", Some("europe-west1-b"), "web-1")
        );
        assert_eq!(r.to_string(), "gcp:proj:europe-west1-b:instance:web-1");
        let lb: ResourceRef = "gcp:proj:europe-west1:load-balancer:fr-1".parse().unwrap();
        assert_eq!(
            (lb.region.as_str(), lb.zone.as_deref()),
            ("europe-west1", None)
        );
        let global: ResourceRef = "gcp:proj:global:load-balancer:fr-2".parse().unwrap();
        assert_eq!(
            (global.location(), global.zone.as_deref()),
            ("global", None)
        );
        // Same name, other zone: another instance.
        let other: ResourceRef = "gcp:proj:europe-west1-c:instance:web-1".parse().unwrap();
        assert_ne!(r, other);
        assert_ne!(r.key(), other.key());
        // AWS zones are never part of a ref: the region and id address everything.
        let aws: ResourceRef = "aws:dev:us-east-1:instance:i-1".parse().unwrap();
        assert_eq!(aws.zone, None);
    }

    #[test]
    fn azure_ids_compare_and_hash_without_case() {
        use std::collections::HashSet;
        let a: ResourceRef = "azure:corp:eastus:instance:/subscriptions/S/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1".parse().unwrap();
        let b: ResourceRef = "azure:corp:eastus:instance:/subscriptions/s/resourcegroups/RG-WEB/providers/microsoft.compute/virtualmachines/VM1".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
        assert_eq!(a.key(), b.key());
        let set: HashSet<ResourceRef> = [a.clone()].into_iter().collect();
        assert!(set.contains(&b));
        // Printed as the provider gave it.
        assert!(b.to_string().ends_with("virtualmachines/VM1"));
        // AWS and GCP ids keep their case.
        let x: ResourceRef = "aws:dev:us-east-1:instance:i-ABC".parse().unwrap();
        let y: ResourceRef = "aws:dev:us-east-1:instance:i-abc".parse().unwrap();
        assert_ne!(x, y);
    }

    #[test]
    fn bad_refs_say_why() {
        let e = "aws:prod:us-east-1".parse::<ResourceRef>().unwrap_err();
        assert!(e.to_string().contains("fewer than five"), "{e}");
        let e = "oracle:a:b:instance:x".parse::<ResourceRef>().unwrap_err();
        assert!(e.to_string().contains("unknown provider 'oracle'"), "{e}");
        let e = "aws:a:b:bucket:x".parse::<ResourceRef>().unwrap_err();
        assert!(e.to_string().contains("unknown resource kind"), "{e}");
    }
}
