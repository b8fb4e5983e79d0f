//! Each provider's own state words, mapped to the normalised ones. The sandbox and the real
//! adapters both use these, so the sandbox exercises the same mapping the clouds do.
//! docs/providers.md has the same tables in prose.

use crate::domain::{DiskState, InstanceState, LbState, TargetHealth};

/// EC2 `InstanceState.Name`.
pub fn aws_instance(s: &str) -> InstanceState {
    match s {
        "pending" => InstanceState::Pending,
        "running" => InstanceState::Running,
        "stopping" => InstanceState::Stopping,
        "stopped" => InstanceState::Stopped,
        "shutting-down" => InstanceState::Terminating,
        "terminated" => InstanceState::Terminated,
        _ => InstanceState::Unknown,
    }
}

/// Compute Engine `Instance.status`. `TERMINATED` means stopped (the disks remain); a deleted
/// instance simply disappears from the list. The newer words of the discovery document:
/// `PENDING` (waiting for capacity) is pending, `PENDING_STOP` and `DEPROVISIONING` are on the
/// way to stopped, `STOPPED` is stopped.
pub fn gcp_instance(s: &str) -> InstanceState {
    match s {
        "PROVISIONING" | "STAGING" | "PENDING" => InstanceState::Pending,
        "RUNNING" => InstanceState::Running,
        "STOPPING" | "SUSPENDING" | "PENDING_STOP" | "DEPROVISIONING" => InstanceState::Stopping,
        "TERMINATED" | "SUSPENDED" | "STOPPED" => InstanceState::Stopped,
        _ => InstanceState::Unknown, // REPAIRING and anything new
    }
}

/// Azure VM: the `PowerState/…` code from `instanceView.statuses`, and the
/// `ProvisioningState/…` code beside it (a VM being deleted says so only there).
/// `stopped` (powered off, still allocated and billed) and `deallocated` both normalise to
/// stopped; the provider state keeps the difference.
pub fn azure_instance(power: Option<&str>, provisioning: Option<&str>) -> InstanceState {
    if let Some(p) = provisioning {
        let p = p.trim_start_matches("ProvisioningState/");
        if p.eq_ignore_ascii_case("deleting") {
            return InstanceState::Terminating;
        }
    }
    match power.map(|p| p.trim_start_matches("PowerState/")) {
        Some("starting") => InstanceState::Pending,
        Some("running") => InstanceState::Running,
        Some("stopping") | Some("deallocating") => InstanceState::Stopping,
        Some("stopped") | Some("deallocated") => InstanceState::Stopped,
        _ => InstanceState::Unknown,
    }
}

/// EBS `Volume.State`.
pub fn aws_volume(s: &str) -> DiskState {
    match s {
        "creating" => DiskState::Creating,
        "available" => DiskState::Available,
        "in-use" => DiskState::InUse,
        "deleting" | "deleted" => DiskState::Deleting,
        _ => DiskState::Error,
    }
}

/// Persistent disk `status`, plus whether its `users` list is empty.
pub fn gcp_disk(status: &str, has_users: bool) -> DiskState {
    match status {
        "CREATING" | "RESTORING" => DiskState::Creating,
        "READY" if has_users => DiskState::InUse,
        "READY" => DiskState::Available,
        "DELETING" => DiskState::Deleting,
        _ => DiskState::Error, // FAILED, UNAVAILABLE
    }
}

/// Azure managed disk: `properties.diskState` and `properties.provisioningState`.
pub fn azure_disk(disk_state: &str, provisioning: &str) -> DiskState {
    match provisioning {
        "Creating" | "Updating" if disk_state == "Unattached" => return DiskState::Creating,
        "Deleting" => return DiskState::Deleting,
        "Failed" => return DiskState::Error,
        _ => {}
    }
    match disk_state {
        "Unattached" => DiskState::Available,
        "Attached" | "Reserved" | "ActiveSAS" | "ActiveSASFrozen" | "Frozen" => DiskState::InUse,
        "ReadyToUpload" | "ActiveUpload" => DiskState::Creating,
        _ => DiskState::Error,
    }
}

/// ELBv2 `LoadBalancerState.Code`.
pub fn aws_load_balancer(s: &str) -> LbState {
    match s {
        "provisioning" => LbState::Provisioning,
        "active" | "active_impaired" => LbState::Active,
        _ => LbState::Failed,
    }
}

/// Azure `provisioningState` of a load balancer (GCP forwarding rules have no state: they exist
/// once their insert operation is done).
pub fn azure_load_balancer(provisioning: &str) -> LbState {
    match provisioning {
        "Succeeded" => LbState::Active,
        "Updating" | "Creating" => LbState::Provisioning,
        "Deleting" => LbState::Deleting,
        _ => LbState::Failed,
    }
}

/// ELBv2 `TargetHealth.State`.
pub fn aws_target(s: &str) -> TargetHealth {
    match s {
        "initial" => TargetHealth::Initial,
        "healthy" => TargetHealth::Healthy,
        "unhealthy" | "unhealthy.draining" => TargetHealth::Unhealthy,
        "unused" => TargetHealth::Unused,
        "draining" => TargetHealth::Draining,
        _ => TargetHealth::Unknown, // unavailable
    }
}

/// GCP `HealthStatus.healthState` (backend services and target pools).
pub fn gcp_target(s: &str) -> TargetHealth {
    match s {
        "HEALTHY" => TargetHealth::Healthy,
        "UNHEALTHY" | "TIMEOUT" => TargetHealth::Unhealthy,
        "DRAINING" => TargetHealth::Draining,
        _ => TargetHealth::Unknown,
    }
}

/// Azure load balancer backend health as the health probe reports it (`Up`/`Down`); Azure
/// reports none for a stopped VM.
pub fn azure_target(s: Option<&str>) -> TargetHealth {
    match s {
        Some("Up") => TargetHealth::Healthy,
        Some("Down") => TargetHealth::Unhealthy,
        _ => TargetHealth::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::InstanceState as S;

    #[test]
    fn aws_shutting_down_is_terminating() {
        assert_eq!(aws_instance("shutting-down"), S::Terminating);
        assert_eq!(aws_instance("terminated"), S::Terminated);
        assert_eq!(aws_instance("pending"), S::Pending);
        assert_eq!(aws_instance("rebooting?"), S::Unknown);
    }

    #[test]
    fn gcp_terminated_means_stopped() {
        assert_eq!(gcp_instance("TERMINATED"), S::Stopped);
        assert_eq!(gcp_instance("STAGING"), S::Pending);
        assert_eq!(gcp_instance("SUSPENDED"), S::Stopped);
        assert_eq!(gcp_instance("REPAIRING"), S::Unknown);
        assert_eq!(gcp_instance("PENDING_STOP"), S::Stopping);
        assert_eq!(gcp_instance("DEPROVISIONING"), S::Stopping);
        assert_eq!(gcp_instance("STOPPED"), S::Stopped);
        assert_eq!(gcp_instance("PENDING"), S::Pending);
    }

    #[test]
    fn azure_deallocated_and_stopped_are_both_stopped() {
        assert_eq!(
            azure_instance(Some("PowerState/deallocated"), None),
            S::Stopped
        );
        assert_eq!(azure_instance(Some("PowerState/stopped"), None), S::Stopped);
        assert_eq!(
            azure_instance(Some("PowerState/deallocating"), None),
            S::Stopping
        );
        assert_eq!(
            azure_instance(
                Some("PowerState/running"),
                Some("ProvisioningState/deleting")
            ),
            S::Terminating
        );
        // A plain list has no instance view: the power state is unknown, not "stopped".
        assert_eq!(azure_instance(None, Some("Succeeded")), S::Unknown);
    }

    #[test]
    fn disks_map_attachment() {
        assert_eq!(gcp_disk("READY", true), DiskState::InUse);
        assert_eq!(gcp_disk("READY", false), DiskState::Available);
        assert_eq!(azure_disk("Unattached", "Succeeded"), DiskState::Available);
        assert_eq!(azure_disk("Attached", "Succeeded"), DiskState::InUse);
        assert_eq!(aws_volume("in-use"), DiskState::InUse);
        assert_eq!(aws_volume("error"), DiskState::Error);
    }

    #[test]
    fn target_health_words() {
        assert_eq!(aws_target("unused"), TargetHealth::Unused);
        assert_eq!(gcp_target("TIMEOUT"), TargetHealth::Unhealthy);
        assert_eq!(azure_target(None), TargetHealth::Unknown);
        assert_eq!(aws_load_balancer("active_impaired"), LbState::Active);
    }
}
