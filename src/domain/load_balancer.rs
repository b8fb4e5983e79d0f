use serde::{Deserialize, Serialize};

use super::{LbState, ResourceRef, Str, Tags, TargetHealth};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LbKind {
    /// Layer 7 (ALB; GCP HTTP(S) load balancing).
    Application,
    /// Layer 4 (NLB; GCP target-pool network LB; Azure Load Balancer).
    Network,
}

impl LbKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LbKind::Application => "application",
            LbKind::Network => "network",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LbScheme {
    InternetFacing,
    Internal,
}

impl LbScheme {
    pub fn as_str(self) -> &'static str {
        match self {
            LbScheme::InternetFacing => "internet-facing",
            LbScheme::Internal => "internal",
        }
    }
}

/// One registered backend and its health.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub instance: ResourceRef,
    pub health: TargetHealth,
}

/// A load balancer as an operator thinks of it: one front end and the instances behind it
/// (ELBv2 LB + target group; GCP forwarding rule + backend service or target pool; Azure LB +
/// backend pool).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadBalancer {
    pub r#ref: ResourceRef,
    /// The provider's own unique id where the ref addresses the resource by something else:
    /// GCP's numeric id (its ref has the zone and name). None where the ref's id is that id.
    pub uid: Option<Str>,
    pub sandbox: bool,
    pub name: Str,
    pub kind: LbKind,
    pub scheme: LbScheme,
    pub dns_name: Option<Str>,
    pub state: LbState,
    pub provider_state: Str,
    pub targets: Vec<Target>,
    pub tags: Tags,
}

impl LoadBalancer {
    pub fn id(&self) -> &str {
        self.uid.as_deref().unwrap_or(&self.r#ref.id)
    }

    pub fn healthy_targets(&self) -> usize {
        self.targets
            .iter()
            .filter(|t| t.health == TargetHealth::Healthy)
            .count()
    }
}
