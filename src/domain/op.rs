use std::fmt;

use serde::{Deserialize, Serialize};

/// Every change nephos can ask a provider to make. The CLI, the console, capabilities,
/// guardrails and the journal all speak of actions in these words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    Start,
    Stop,
    Reboot,
    Terminate,
    /// Azure's power-off: the VM stops but stays allocated, so its compute is still billed
    /// (`Stop` deallocates). No other cloud has it.
    PowerOff,
    CreateInstance,
    CreateDisk,
    AttachDisk,
    DetachDisk,
    DeleteDisk,
    CreateLoadBalancer,
    RegisterTargets,
    DeregisterTargets,
    DeleteLoadBalancer,
    Tag,
    /// `nephos sandbox reset`: replaces the whole sandbox world. Not a provider call, so not in
    /// [`Op::ALL`] (no provider offers it); journaled and guarded like the others.
    ResetSandbox,
}

impl Op {
    pub const ALL: [Op; 15] = [
        Op::Start,
        Op::Stop,
        Op::Reboot,
        Op::Terminate,
        Op::PowerOff,
        Op::CreateInstance,
        Op::CreateDisk,
        Op::AttachDisk,
        Op::DetachDisk,
        Op::DeleteDisk,
        Op::CreateLoadBalancer,
        Op::RegisterTargets,
        Op::DeregisterTargets,
        Op::DeleteLoadBalancer,
        Op::Tag,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Start => "start",
            Op::Stop => "stop",
            Op::Reboot => "reboot",
            Op::Terminate => "terminate",
            Op::PowerOff => "power-off",
            Op::CreateInstance => "create-instance",
            Op::CreateDisk => "create-disk",
            Op::AttachDisk => "attach-disk",
            Op::DetachDisk => "detach-disk",
            Op::DeleteDisk => "delete-disk",
            Op::CreateLoadBalancer => "create-load-balancer",
            Op::RegisterTargets => "register-targets",
            Op::DeregisterTargets => "deregister-targets",
            Op::DeleteLoadBalancer => "delete-load-balancer",
            Op::Tag => "tag",
            Op::ResetSandbox => "reset-sandbox",
        }
    }

    /// Loses something that cannot be had back with one command: needs a confirmation that
    /// defaults to No.
    pub fn dangerous(self) -> bool {
        matches!(
            self,
            Op::Terminate
                | Op::DetachDisk
                | Op::DeleteDisk
                | Op::DeregisterTargets
                | Op::DeleteLoadBalancer
                | Op::ResetSandbox
        )
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
