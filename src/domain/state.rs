//! Normalised states. Each adapter maps its provider's own state into these (see
//! `providers::state_map` and docs/providers.md) and keeps the provider's word beside it.

use serde::{Deserialize, Serialize};

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// The life of a machine, the same words on every cloud.
    InstanceState {
        Pending = "pending",
        Running = "running",
        Stopping = "stopping",
        Stopped = "stopped",
        Terminating = "terminating",
        Terminated = "terminated",
        Unknown = "unknown",
    }
);

impl InstanceState {
    /// A state the machine is passing through, not one it rests in.
    pub fn is_transitional(self) -> bool {
        matches!(
            self,
            InstanceState::Pending | InstanceState::Stopping | InstanceState::Terminating
        )
    }
}

named_enum!(
    DiskState {
        Creating = "creating",
        Available = "available",
        InUse = "in-use",
        Deleting = "deleting",
        Error = "error",
    }
);

impl DiskState {
    pub fn is_transitional(self) -> bool {
        matches!(self, DiskState::Creating | DiskState::Deleting)
    }
}

named_enum!(
    LbState {
        Provisioning = "provisioning",
        Active = "active",
        Failed = "failed",
        Deleting = "deleting",
    }
);

impl LbState {
    pub fn is_transitional(self) -> bool {
        matches!(self, LbState::Provisioning | LbState::Deleting)
    }
}

named_enum!(
    /// Health of one load balancer target, in ELBv2's words (the richest of the three).
    TargetHealth {
        Healthy = "healthy",
        Unhealthy = "unhealthy",
        Initial = "initial",
        Draining = "draining",
        Unused = "unused",
        Unknown = "unknown",
    }
);

/// Every normalised state word of every kind, for validating `state:` filter terms.
pub fn all_state_words() -> impl Iterator<Item = &'static str> {
    InstanceState::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(DiskState::ALL.iter().map(|s| s.as_str()))
        .chain(LbState::ALL.iter().map(|s| s.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_print_and_parse_their_json_words() {
        for s in InstanceState::ALL {
            assert_eq!(InstanceState::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
        assert_eq!(DiskState::parse("IN-USE"), Some(DiskState::InUse));
        assert_eq!(InstanceState::parse("runing"), None);
        assert!(InstanceState::Stopping.is_transitional());
        assert!(!InstanceState::Stopped.is_transitional());
    }
}
