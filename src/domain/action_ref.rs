//! What an action acts on: a resource of a listed kind, or a part of a network (networks have
//! their own [`NetRef`] until they are a resource kind). The journal, `Applied` and `--wait`
//! carry this, so every action, network changes included, goes down one path.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::network::NetRef;
use super::ResourceRef;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ActionRef {
    Resource(ResourceRef),
    Network(NetRef),
}

impl ActionRef {
    /// The resource, when it is one the inventory lists and `describe` answers for.
    pub fn resource(&self) -> Option<&ResourceRef> {
        match self {
            ActionRef::Resource(r) => Some(r),
            ActionRef::Network(_) => None,
        }
    }

    pub fn network(&self) -> Option<&NetRef> {
        match self {
            ActionRef::Network(n) => Some(n),
            ActionRef::Resource(_) => None,
        }
    }

    pub fn account(&self) -> &str {
        match self {
            ActionRef::Resource(r) => &r.account,
            ActionRef::Network(n) => &n.account,
        }
    }

    /// What the API addresses it by.
    pub fn id(&self) -> &str {
        match self {
            ActionRef::Resource(r) => &r.id,
            ActionRef::Network(n) => &n.id,
        }
    }
}

impl From<ResourceRef> for ActionRef {
    fn from(r: ResourceRef) -> Self {
        ActionRef::Resource(r)
    }
}

impl From<NetRef> for ActionRef {
    fn from(n: NetRef) -> Self {
        ActionRef::Network(n)
    }
}

impl PartialEq<ResourceRef> for ActionRef {
    fn eq(&self, o: &ResourceRef) -> bool {
        self.resource() == Some(o)
    }
}

impl fmt::Display for ActionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionRef::Resource(r) => r.fmt(f),
            ActionRef::Network(n) => n.fmt(f),
        }
    }
}

/// Written as the ref's text (`aws:a:us-east-1:security-group:sg-1`), like a [`ResourceRef`].
impl Serialize for ActionRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A resource ref if it reads as one, else a network ref.
impl std::str::FromStr for ActionRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(r) = s.parse::<ResourceRef>() {
            return Ok(ActionRef::Resource(r));
        }
        s.parse::<NetRef>()
            .map(ActionRef::Network)
            .map_err(|e| format!("neither a resource nor a {e}"))
    }
}

impl<'de> Deserialize<'de> for ActionRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_and_network_refs_round_trip_through_json() {
        for s in [
            "aws:dev:us-east-1:instance:i-0abc",
            "aws:dev:us-east-1:security-group:sg-1",
            "gcp:p:global:network:web-net",
        ] {
            let r: ActionRef = serde_json::from_value(serde_json::json!(s)).unwrap();
            assert_eq!(serde_json::to_value(&r).unwrap(), serde_json::json!(s));
        }
        let sg: ActionRef =
            serde_json::from_value(serde_json::json!("aws:dev:us-east-1:security-group:sg-1"))
                .unwrap();
        assert_eq!(sg.network().map(|n| n.id.as_str()), Some("sg-1"));
        assert!(sg.resource().is_none());
        let bad = serde_json::from_value::<ActionRef>(serde_json::json!("aws:x"));
        assert!(bad.unwrap_err().to_string().contains("network ref"));
    }
}
