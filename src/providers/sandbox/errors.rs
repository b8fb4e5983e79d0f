//! Errors as each provider words them, so the sandbox fails the way the real cloud fails.

use crate::domain::ProviderKind;
use crate::providers::{ErrorKind, ProviderError};

use super::shapes;
use super::world::{DiskRec, VmRec};

/// GCP's resource path (`projects/p/zones/z/instances/n`) as its messages quote it.
pub fn gcp_path(zone: &str, collection: &str, name: &str) -> String {
    format!(
        "projects/{}/zones/{zone}/{collection}/{name}",
        shapes::GCP.native_id
    )
}

pub fn vm_not_found(p: ProviderKind, id: &str) -> ProviderError {
    match p {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::NotFound,
            "InvalidInstanceID.NotFound",
            format!("The instance ID '{id}' does not exist"),
        ),
        ProviderKind::Gcp => ProviderError::coded(
            ErrorKind::NotFound,
            "notFound",
            format!("The resource 'instances/{id}' was not found"),
        ),
        ProviderKind::Azure => ProviderError::coded(
            ErrorKind::NotFound,
            "ResourceNotFound",
            format!("The Resource '{id}' was not found."),
        ),
    }
}

pub fn disk_not_found(p: ProviderKind, id: &str) -> ProviderError {
    match p {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::NotFound,
            "InvalidVolume.NotFound",
            format!("The volume '{id}' does not exist."),
        ),
        ProviderKind::Gcp => ProviderError::coded(
            ErrorKind::NotFound,
            "notFound",
            format!("The resource 'disks/{id}' was not found"),
        ),
        ProviderKind::Azure => ProviderError::coded(
            ErrorKind::NotFound,
            "ResourceNotFound",
            format!("The Resource '{id}' was not found."),
        ),
    }
}

pub fn lb_not_found(p: ProviderKind, id: &str) -> ProviderError {
    match p {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::NotFound,
            "LoadBalancerNotFound",
            format!("Load balancer '{id}' not found"),
        ),
        ProviderKind::Gcp => ProviderError::coded(
            ErrorKind::NotFound,
            "notFound",
            format!("The resource 'forwardingRules/{id}' was not found"),
        ),
        ProviderKind::Azure => ProviderError::coded(
            ErrorKind::NotFound,
            "ResourceNotFound",
            format!("The Resource '{id}' was not found."),
        ),
    }
}

/// An instance action asked of a machine in the wrong state. `verb` is the provider's verb.
pub fn vm_wrong_state(vm: &VmRec, verb: &str, state_word: &str) -> ProviderError {
    match vm.provider {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::InvalidState,
            "IncorrectInstanceState",
            format!(
                "The instance '{}' is not in a state from which it can be {verb}.",
                vm.id
            ),
        ),
        ProviderKind::Gcp => ProviderError::coded(
            ErrorKind::InvalidState,
            "resourceNotReady",
            format!(
                "The resource '{}' is not ready (status {state_word}); cannot {verb} it",
                gcp_path(&vm.zone, "instances", &vm.name)
            ),
        ),
        ProviderKind::Azure => ProviderError::coded(
            ErrorKind::InvalidState,
            "OperationNotAllowed",
            format!(
                "Operation '{verb}' is not allowed on VM '{}' since the VM is {}.",
                vm.name,
                state_word.trim_start_matches("PowerState/")
            ),
        ),
    }
}

pub fn disk_in_use(d: &DiskRec, vm_name: &str) -> ProviderError {
    let holder = d.attached_to.as_deref().unwrap_or("");
    match d.provider {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::InUse,
            "VolumeInUse",
            format!("Volume {} is currently attached to {holder}", d.id),
        ),
        ProviderKind::Gcp => ProviderError::coded(
            ErrorKind::InUse,
            "resourceInUseByAnotherResource",
            format!(
                "The disk resource '{}' is already being used by '{}'",
                gcp_path(&d.zone, "disks", &d.name),
                gcp_path(&d.zone, "instances", vm_name)
            ),
        ),
        ProviderKind::Azure => ProviderError::coded(
            ErrorKind::InUse,
            "OperationNotAllowed",
            format!("Disk {} is attached to VM {holder}.", d.name),
        ),
    }
}

pub fn zone_mismatch(d: &DiskRec, vm: &VmRec) -> ProviderError {
    match d.provider {
        ProviderKind::Aws => ProviderError::coded(
            ErrorKind::Invalid,
            "InvalidVolume.ZoneMismatch",
            format!(
                "The volume '{}' is not in the same availability zone as instance '{}'",
                d.id, vm.id
            ),
        ),
        ProviderKind::Gcp => ProviderError::coded(
            ErrorKind::Invalid,
            "invalid",
            format!(
                "Invalid value for field 'resource.source': '{}'. Disk must be in the same zone as the instance ({}).",
                gcp_path(&d.zone, "disks", &d.name),
                vm.zone
            ),
        ),
        ProviderKind::Azure => ProviderError::coded(
            ErrorKind::Invalid,
            "BadRequest",
            format!(
                "Disk '{}' in zone {} cannot be attached to VM '{}' in zone {}.",
                d.name, d.zone, vm.name, vm.zone
            ),
        ),
    }
}

pub fn invalid(p: ProviderKind, message: String) -> ProviderError {
    let code = match p {
        ProviderKind::Aws => "InvalidParameterValue",
        ProviderKind::Gcp => "invalid",
        ProviderKind::Azure => "InvalidParameter",
    };
    ProviderError::coded(ErrorKind::Invalid, code, message)
}

pub fn conflict(p: ProviderKind, message: String) -> ProviderError {
    let code = match p {
        ProviderKind::Aws => "IncorrectState",
        ProviderKind::Gcp => "resourceNotReady",
        ProviderKind::Azure => "OperationNotAllowed",
    };
    ProviderError::coded(ErrorKind::InvalidState, code, message)
}

/// A GCP or Azure name already taken where names must be unique (AWS names are only tags).
pub fn already_exists(p: ProviderKind, name: &str) -> ProviderError {
    name_taken(p, format!("The resource '{name}' already exists"))
}

/// A name already taken, in each provider's code: GCP `alreadyExists` (HTTP 409), Azure
/// `Conflict` (HTTP 409), AWS `DuplicateLoadBalancerName` (the only AWS name that is unique).
pub fn name_taken(p: ProviderKind, message: String) -> ProviderError {
    let code = match p {
        ProviderKind::Aws => "DuplicateLoadBalancerName",
        ProviderKind::Gcp => "alreadyExists",
        ProviderKind::Azure => "Conflict",
    };
    ProviderError::coded(ErrorKind::AlreadyExists, code, message)
}
