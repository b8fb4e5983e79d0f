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
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 3] = [
        ResourceKind::Instance,
        ResourceKind::Disk,
        ResourceKind::LoadBalancer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Instance => "instance",
            ResourceKind::Disk => "disk",
            ResourceKind::LoadBalancer => "load-balancer",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            ResourceKind::Instance => "instances",
            ResourceKind::Disk => "disks",
            ResourceKind::LoadBalancer => "load balancers",
        }
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
            other => Err(format!("unknown resource kind '{other}'")),
        }
    }
}

/// Where a resource lives and what the provider calls it. Printed as
/// `provider:account:region:kind:id`; the id comes last because Azure ids contain `/` and ARNs
/// contain `:`, so everything after the fourth `:` is the id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceRef {
    pub provider: ProviderKind,
    pub account: Str,
    pub region: Str,
    pub kind: ResourceKind,
    /// The provider's native id: AWS `i-…`/`vol-…`/ARN, GCP numeric id, Azure full resource id.
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
            kind,
            id: id.into(),
        }
    }
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}:{}",
            self.provider, self.account, self.region, self.kind, self.id
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a resource ref ({why}); a ref looks like aws:ACCOUNT:REGION:instance:ID")]
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
            return Err(err("account, region and id must not be empty".into()));
        }
        Ok(ResourceRef::new(provider, a, r, kind, id))
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
    fn bad_refs_say_why() {
        let e = "aws:prod:us-east-1".parse::<ResourceRef>().unwrap_err();
        assert!(e.to_string().contains("fewer than five"), "{e}");
        let e = "oracle:a:b:instance:x".parse::<ResourceRef>().unwrap_err();
        assert!(e.to_string().contains("unknown provider 'oracle'"), "{e}");
        let e = "aws:a:b:bucket:x".parse::<ResourceRef>().unwrap_err();
        assert!(e.to_string().contains("unknown resource kind"), "{e}");
    }
}
