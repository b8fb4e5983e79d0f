use std::collections::BTreeSet;
use std::time::Duration;

use crate::domain::{LbKind, Op};

/// What one account's provider can do. The CLI refuses, and the console does not offer, what is
/// not listed here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    pub ops: BTreeSet<Op>,
    /// Load balancer kinds `lb create --kind` may ask for.
    pub lb_kinds: Vec<LbKind>,
    pub spot: bool,
    /// How often `--wait` and the operation runner look again.
    pub wait_poll: Duration,
}

impl Capabilities {
    pub fn supports(&self, op: Op) -> bool {
        self.ops.contains(&op)
    }

    /// Every operation but Azure's power-off (which only an Azure account adds).
    pub fn all_ops(lb_kinds: Vec<LbKind>, wait_poll: Duration) -> Self {
        Capabilities {
            ops: Op::ALL.into_iter().filter(|o| *o != Op::PowerOff).collect(),
            lb_kinds,
            spot: true,
            wait_poll,
        }
    }
}
