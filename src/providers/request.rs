use super::{DiskSpec, InstanceAction, InstanceSpec, LbSpec, NetworkRequest};
use crate::domain::{
    ActionRef, Disk, DiskState, Instance, InstanceState, LbState, LoadBalancer, Op, Resource,
    ResourceRef, Tags,
};

/// One change, with everything the provider needs to make it: what the CLI builds from arguments
/// and the console from a selection, and the one thing [`super::CloudProvider::apply`] takes. (Requests are few and short-lived,
/// so the size difference between variants does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Instance {
        target: Instance,
        action: InstanceAction,
    },
    CreateInstance {
        account: String,
        spec: InstanceSpec,
    },
    CreateDisk {
        account: String,
        spec: DiskSpec,
    },
    AttachDisk {
        disk: Disk,
        instance: Instance,
        device: Option<String>,
    },
    DetachDisk {
        disk: Disk,
    },
    DeleteDisk {
        disk: Disk,
    },
    CreateLoadBalancer {
        account: String,
        spec: LbSpec,
    },
    Register {
        lb: LoadBalancer,
        targets: Vec<Instance>,
    },
    Deregister {
        lb: LoadBalancer,
        targets: Vec<Instance>,
    },
    DeleteLoadBalancer {
        lb: LoadBalancer,
    },
    Tag {
        target: Resource,
        set: Tags,
        remove: Vec<String>,
    },
    /// A network, subnet or ingress rule change (providers forward it to `apply_network`).
    Network(NetworkRequest),
}

/// The state `--wait` waits for after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitFor {
    Instance(InstanceState),
    /// Terminated, or gone (GCP and Azure drop a deleted VM from their lists).
    InstanceGone,
    Disk(DiskState),
    DiskGone,
    LoadBalancer(LbState),
    LoadBalancerGone,
    /// The operation the provider answered with is done (network changes: there is no listed
    /// resource to look at; AWS answers at once, so there is nothing to wait for).
    Operation,
}

impl Request {
    pub fn op(&self) -> Op {
        match self {
            Request::Instance { action, .. } => action.op(),
            Request::CreateInstance { .. } => Op::CreateInstance,
            Request::CreateDisk { .. } => Op::CreateDisk,
            Request::AttachDisk { .. } => Op::AttachDisk,
            Request::DetachDisk { .. } => Op::DetachDisk,
            Request::DeleteDisk { .. } => Op::DeleteDisk,
            Request::CreateLoadBalancer { .. } => Op::CreateLoadBalancer,
            Request::Register { .. } => Op::RegisterTargets,
            Request::Deregister { .. } => Op::DeregisterTargets,
            Request::DeleteLoadBalancer { .. } => Op::DeleteLoadBalancer,
            Request::Tag { .. } => Op::Tag,
            Request::Network(n) => n.op(),
        }
    }

    /// The account the request goes to.
    pub fn account(&self) -> &str {
        match self {
            Request::CreateInstance { account, .. }
            | Request::CreateDisk { account, .. }
            | Request::CreateLoadBalancer { account, .. } => account,
            Request::Instance { target, .. } => target.account(),
            Request::AttachDisk { disk, .. }
            | Request::DetachDisk { disk }
            | Request::DeleteDisk { disk } => &disk.r#ref.account,
            Request::Register { lb, .. }
            | Request::Deregister { lb, .. }
            | Request::DeleteLoadBalancer { lb } => &lb.r#ref.account,
            Request::Tag { target, .. } => &target.resource_ref().account,
            Request::Network(n) => n.account(),
        }
    }

    /// The resource acted on (none yet for a create, none for a network change).
    pub fn subject_ref(&self) -> Option<ResourceRef> {
        self.subjects().first().map(|r| r.resource_ref().clone())
    }

    /// What the request acts on, network parts included (none yet for a create), as the
    /// journal records it.
    pub fn acted_on(&self) -> Option<ActionRef> {
        match self {
            Request::Network(n) => n.subject().cloned().map(ActionRef::Network),
            _ => self.subject_ref().map(ActionRef::Resource),
        }
    }

    /// Every existing resource the request touches, for plans and guardrails.
    pub fn subjects(&self) -> Vec<Resource> {
        match self {
            Request::Instance { target, .. } => vec![Resource::Instance(target.clone())],
            Request::AttachDisk { disk, instance, .. } => {
                vec![
                    Resource::Disk(disk.clone()),
                    Resource::Instance(instance.clone()),
                ]
            }
            Request::DetachDisk { disk } | Request::DeleteDisk { disk } => {
                vec![Resource::Disk(disk.clone())]
            }
            Request::Register { lb, targets } | Request::Deregister { lb, targets } => {
                let mut v = vec![Resource::LoadBalancer(lb.clone())];
                v.extend(targets.iter().cloned().map(Resource::Instance));
                v
            }
            Request::DeleteLoadBalancer { lb } => vec![Resource::LoadBalancer(lb.clone())],
            Request::Tag { target, .. } => vec![target.clone()],
            Request::CreateInstance { .. }
            | Request::CreateDisk { .. }
            | Request::CreateLoadBalancer { .. }
            | Request::Network(_) => vec![],
        }
    }

    /// One line saying what will happen, for plans, the journal and messages.
    pub fn describe(&self) -> String {
        fn who(name: &str, id: &str) -> String {
            if name.is_empty() || name == id {
                id.to_string()
            } else {
                format!("{name} ({id})")
            }
        }
        match self {
            Request::Instance { target, action } => {
                format!(
                    "{} instance {}{}",
                    action.op(),
                    who(&target.name, target.id()),
                    if *action == InstanceAction::PowerOff {
                        " (stays allocated: its compute is still billed; stop deallocates)"
                    } else {
                        ""
                    }
                )
            }
            Request::CreateInstance { account, spec } => format!(
                "create instance {} ({}{}) in {account} {}",
                spec.name,
                spec.instance_type,
                if spec.spot { ", spot" } else { "" },
                spec.zone.as_deref().unwrap_or(&spec.region)
            ),
            Request::CreateDisk { account, spec } => format!(
                "create disk {} ({} GiB {}) in {account} {}",
                spec.name,
                spec.size_gib,
                spec.disk_type.as_deref().unwrap_or("default type"),
                spec.zone
            ),
            Request::AttachDisk {
                disk,
                instance,
                device,
            } => format!(
                "attach disk {} to {}{}",
                who(&disk.name, disk.id()),
                who(&instance.name, instance.id()),
                device
                    .as_deref()
                    .map(|d| format!(" as {d}"))
                    .unwrap_or_default()
            ),
            Request::DetachDisk { disk } => format!(
                "detach disk {} from {}",
                who(&disk.name, disk.id()),
                disk.attached_to.as_ref().map_or("?", |r| r.id.as_str())
            ),
            Request::DeleteDisk { disk } => format!("delete disk {}", who(&disk.name, disk.id())),
            Request::CreateLoadBalancer { account, spec } => format!(
                "create {} load balancer {} ({}) in {account} {}",
                spec.kind.as_str(),
                spec.name,
                spec.scheme.as_str(),
                spec.region
            ),
            Request::Register { lb, targets } | Request::Deregister { lb, targets } => format!(
                "{} {} {} {}",
                if matches!(self, Request::Register { .. }) {
                    "register"
                } else {
                    "deregister"
                },
                targets
                    .iter()
                    .map(|t| who(&t.name, t.id()))
                    .collect::<Vec<_>>()
                    .join(", "),
                if matches!(self, Request::Register { .. }) {
                    "with"
                } else {
                    "from"
                },
                who(&lb.name, lb.id())
            ),
            Request::DeleteLoadBalancer { lb } => {
                format!("delete load balancer {}", who(&lb.name, lb.id()))
            }
            Request::Tag {
                target,
                set,
                remove,
            } => {
                let mut parts: Vec<String> = set.iter().map(|(k, v)| format!("{k}={v}")).collect();
                parts.extend(remove.iter().map(|k| format!("-{k}")));
                format!(
                    "tag {} {}",
                    who(target.name(), &target.resource_ref().id),
                    parts.join(" ")
                )
            }
            Request::Network(n) => n.describe(),
        }
    }

    /// What `--wait` waits for, if there is anything to wait for.
    pub fn wait_for(&self) -> Option<WaitFor> {
        Some(match self {
            Request::Instance { action, .. } => match action {
                InstanceAction::Start | InstanceAction::Reboot => {
                    WaitFor::Instance(InstanceState::Running)
                }
                InstanceAction::Stop | InstanceAction::PowerOff => {
                    WaitFor::Instance(InstanceState::Stopped)
                }
                InstanceAction::Terminate => WaitFor::InstanceGone,
            },
            Request::CreateInstance { .. } => WaitFor::Instance(InstanceState::Running),
            Request::CreateDisk { .. } | Request::DetachDisk { .. } => {
                WaitFor::Disk(DiskState::Available)
            }
            Request::AttachDisk { .. } => WaitFor::Disk(DiskState::InUse),
            Request::DeleteDisk { .. } => WaitFor::DiskGone,
            Request::CreateLoadBalancer { .. } => WaitFor::LoadBalancer(LbState::Active),
            Request::DeleteLoadBalancer { .. } => WaitFor::LoadBalancerGone,
            Request::Network(_) => WaitFor::Operation,
            Request::Register { .. } | Request::Deregister { .. } | Request::Tag { .. } => {
                return None
            }
        })
    }
}
