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
    /// A network with one subnet (see `providers::NetworkRequest`).
    CreateNetwork,
    /// Only a network nephos made.
    DeleteNetwork,
    AddIngressRule,
    RemoveIngressRule,
    /// `nephos sandbox reset`: replaces the whole sandbox world. Not a provider call, so not in
    /// [`Op::ALL`] (no provider offers it); journaled and guarded like the others.
    ResetSandbox,
}

impl Op {
    pub const ALL: [Op; 19] = [
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
        Op::CreateNetwork,
        Op::DeleteNetwork,
        Op::AddIngressRule,
        Op::RemoveIngressRule,
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
            Op::CreateNetwork => "create-network",
            Op::DeleteNetwork => "delete-network",
            Op::AddIngressRule => "add-ingress-rule",
            Op::RemoveIngressRule => "remove-ingress-rule",
            Op::ResetSandbox => "reset-sandbox",
        }
    }

    /// Loses something that cannot be had back with one command: needs a confirmation that
    /// defaults to No. (Removing an ingress rule is undone by adding it again, but traffic that
    /// worked stops meanwhile, so it asks too.)
    pub fn dangerous(self) -> bool {
        matches!(
            self,
            Op::Terminate
                | Op::DetachDisk
                | Op::DeleteDisk
                | Op::DeregisterTargets
                | Op::DeleteLoadBalancer
                | Op::DeleteNetwork
                | Op::RemoveIngressRule
                | Op::ResetSandbox
        )
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
