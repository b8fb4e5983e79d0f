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

/// A network ref if its kind is a network part's (`network`, `subnet`, `security-group`), else a
/// resource ref: what a network change recorded reads back as it was written.
impl std::str::FromStr for ActionRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(n) = s.parse::<NetRef>() {
            return Ok(ActionRef::Network(n));
        }
        s.parse::<ResourceRef>()
            .map(ActionRef::Resource)
            .map_err(|e| format!("'{s}' is neither a network ref nor a resource ref: {e}"))
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
        let net: ActionRef = "gcp:p:global:network:web-net".parse().unwrap();
        assert!(
            net.network().is_some(),
            "a network change reads back as one"
        );
        let bad = serde_json::from_value::<ActionRef>(serde_json::json!("aws:x"));
        assert!(bad.unwrap_err().to_string().contains("network ref"));
    }
}
