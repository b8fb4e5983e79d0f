//! The sandbox cloud's own database: what a cloud would hold, in its own terms. Time moves it
//! forward: a change records when it will be done, and `settle` applies every change whose
//! time has come, so any process that loads the world sees the same cloud at the same moment.

use serde::{Deserialize, Serialize};

use crate::domain::{
    DiskState, InstanceState, LbKind, LbScheme, ProviderKind, ResourceKind, ResourceRef, Str,
};

/// Bump when the records change shape; an older file is refused with a hint to reset.
/// 4: the file holds the world in four parts, each after its length. 5: the instances and
/// disks in parts of 16,384 records, so they decode on every core and the instances first
/// (`world_file`); format 4 is still read.
pub const FORMAT: u32 = 5;

/// How long AWS keeps listing a terminated instance.
pub const TERMINATED_VISIBLE_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct World {
    pub format: u32,
    pub seed: u64,
    /// Counter behind every id the world hands out after generation.
    pub serial: u64,
    pub instances: Vec<VmRec>,
    pub disks: Vec<DiskRec>,
    pub lbs: Vec<LbRec>,
    pub ops: Vec<OpRec>,
    /// Networks, subnets and security groups (see `net_world`).
    pub nets: super::net_world::NetWorld,
}

/// A machine's next state, in its provider's own word, and when it gets there.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Transition {
    pub to: Str,
    pub at_ms: i64,
    /// The machine is deleted when it lands (AWS keeps listing it `terminated` for an hour; GCP
    /// and Azure drop it from their lists at once).
    pub deletes: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct VmRec {
    pub provider: ProviderKind,
    pub id: Str,
    /// GCP's numeric id; the AWS id and the Azure resource id are `id` itself.
    pub name: Str,
    pub region: Str,
    pub zone: Str,
    pub machine_type: Str,
    /// The provider's own word, as its API reports it: EC2 `stopped`, GCP `SUSPENDED` or
    /// `TERMINATED`, Azure `PowerState/stopped` (powered off, still billed) or
    /// `PowerState/deallocated`, or `ProvisioningState/deleting` while a VM is deleted.
    pub state: Str,
    pub next: Option<Transition>,
    pub private_ip: Str,
    pub public_ip: Option<Str>,
    pub spot: bool,
    pub launched_ms: i64,
    pub image: Str,
    /// Azure resource group (empty elsewhere).
    pub group: Str,
    pub tags: Vec<(Str, Str)>,
    pub terminated_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiskRec {
    pub provider: ProviderKind,
    pub id: Str,
    pub name: Str,
    pub region: Str,
    pub zone: Str,
    pub size_gib: u64,
    pub disk_type: Str,
    pub state: DiskState,
    /// When a `creating` or `deleting` disk gets there.
    pub until_ms: Option<i64>,
    pub attached_to: Option<Str>,
    pub device: Option<Str>,
    /// The boot disk of its instance: goes with it on terminate, cannot be detached while it runs.
    pub boot: bool,
    pub group: Str,
    pub created_ms: i64,
    pub tags: Vec<(Str, Str)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TargetRec {
    pub instance_id: Str,
    pub registered_ms: i64,
    /// Set on deregistration: the target drains until then, then is gone.
    pub draining_until: Option<i64>,
    /// Its health check fails even while it runs (a broken backend).
    pub failing: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LbRec {
    pub provider: ProviderKind,
    pub id: Str,
    pub name: Str,
    pub region: Str,
    pub kind: LbKind,
    pub scheme: LbScheme,
    pub dns_name: Option<Str>,
    pub created_ms: i64,
    /// Provisioning until then.
    pub active_ms: i64,
    pub group: Str,
    pub targets: Vec<TargetRec>,
    pub tags: Vec<(Str, Str)>,
}

/// A long-running operation (GCP Operation, Azure async operation).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OpRec {
    pub id: Str,
    pub done_ms: i64,
    pub error: Option<(Str, Str)>,
}

impl VmRec {
    /// The normalised state, through the same `state_map` the real adapters use.
    pub fn normal(&self) -> InstanceState {
        normalise(self.provider, &self.state)
    }

    /// Where the machine is heading: the state its pending change lands in, or where it is.
    pub fn heading(&self) -> InstanceState {
        match &self.next {
            Some(t) if t.deletes => InstanceState::Terminated,
            Some(t) => normalise(self.provider, &t.to),
            None => self.normal(),
        }
    }

    /// Set the provider's word now, and the word it will say at `at_ms`.
    pub fn go(&mut self, now: &str, to: &str, at_ms: i64) {
        self.state = now.into();
        self.next = Some(Transition {
            to: to.into(),
            at_ms,
            deletes: false,
        });
    }

    /// Start deleting the machine: `now` is the provider's word while it goes, `gone` (AWS
    /// `terminated`) what it says once deleted, for a cloud that keeps listing it.
    pub fn delete(&mut self, now: &str, gone: &str, at_ms: i64) {
        self.state = now.into();
        self.next = Some(Transition {
            to: gone.into(),
            at_ms,
            deletes: true,
        });
    }

    /// Deleted (AWS lists it `terminated` for an hour).
    pub fn is_terminated(&self) -> bool {
        self.terminated_ms.is_some() || self.normal() == InstanceState::Terminated
    }
}

/// A provider's state word to the normalised state, as the real adapters read it.
pub fn normalise(p: ProviderKind, native: &str) -> InstanceState {
    use crate::providers::state_map;
    match p {
        ProviderKind::Aws => state_map::aws_instance(native),
        ProviderKind::Gcp => state_map::gcp_instance(native),
        ProviderKind::Azure if native.starts_with("ProvisioningState/") => {
            state_map::azure_instance(None, Some(native))
        }
        ProviderKind::Azure => state_map::azure_instance(Some(native), None),
    }
}

impl World {
    pub fn empty(seed: u64) -> Self {
        World {
            format: FORMAT,
            seed,
            serial: 0,
            instances: Vec::new(),
            disks: Vec::new(),
            lbs: Vec::new(),
            ops: Vec::new(),
            nets: Default::default(),
        }
    }

    pub fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// The world's own id of the resource `r` names, found as its provider finds it: AWS by
    /// id, GCP by name within the ref's zone (or region), Azure by id in any case.
    pub fn find(&self, r: &ResourceRef) -> Option<Str> {
        let p = r.provider;
        let named = |id: &str, name: &str, region: &str, zone: Option<&str>| match p {
            ProviderKind::Aws => id == r.id,
            ProviderKind::Azure => r.id_is(id),
            ProviderKind::Gcp => {
                name == r.id
                    && match (r.zone.as_deref(), zone) {
                        (Some(want), Some(z)) => want == z,
                        (None, None) => region == r.region,
                        _ => false,
                    }
            }
        };
        let found = match r.kind {
            ResourceKind::Instance => self
                .instances
                .iter()
                .find(|v| v.provider == p && named(&v.id, &v.name, &v.region, Some(&v.zone)))
                .map(|v| &v.id),
            ResourceKind::Disk => self
                .disks
                .iter()
                .find(|d| d.provider == p && named(&d.id, &d.name, &d.region, Some(&d.zone)))
                .map(|d| &d.id),
            ResourceKind::LoadBalancer => self
                .lbs
                .iter()
                .find(|l| l.provider == p && named(&l.id, &l.name, &l.region, None))
                .map(|l| &l.id),
            ResourceKind::Network => None,
        };
        found.cloned()
    }

    pub fn vm(&self, provider: ProviderKind, id: &str) -> Option<&VmRec> {
        self.instances
            .iter()
            .find(|v| v.provider == provider && v.id == id)
    }

    pub fn vm_mut(&mut self, provider: ProviderKind, id: &str) -> Option<&mut VmRec> {
        self.instances
            .iter_mut()
            .find(|v| v.provider == provider && v.id == id)
    }

    pub fn disk(&self, provider: ProviderKind, id: &str) -> Option<&DiskRec> {
        self.disks
            .iter()
            .find(|d| d.provider == provider && d.id == id)
    }

    pub fn lb(&self, provider: ProviderKind, id: &str) -> Option<&LbRec> {
        self.lbs
            .iter()
            .find(|l| l.provider == provider && l.id == id)
    }

    pub fn disk_mut(&mut self, provider: ProviderKind, id: &str) -> Option<&mut DiskRec> {
        self.disks
            .iter_mut()
            .find(|d| d.provider == provider && d.id == id)
    }

    /// Apply every change whose time has come. Returns whether anything changed.
    pub fn settle(&mut self, now_ms: i64) -> bool {
        let mut changed = false;
        let mut gone: Vec<(ProviderKind, Str)> = Vec::new();
        for vm in &mut self.instances {
            if let Some(t) = vm.next.take_if(|t| t.at_ms <= now_ms) {
                vm.state = t.to;
                changed = true;
                if t.deletes {
                    vm.terminated_ms = Some(t.at_ms);
                    vm.public_ip = None;
                    gone.push((vm.provider, vm.id.clone()));
                }
            }
        }
        for (provider, id) in &gone {
            self.release_instance(*provider, id);
        }
        let before = self.instances.len();
        self.instances.retain(|v| match v.terminated_ms {
            // AWS keeps a terminated instance listed for an hour; the others drop it at once.
            Some(t) => v.provider == ProviderKind::Aws && now_ms - t < TERMINATED_VISIBLE_MS,
            None => true,
        });
        changed |= self.instances.len() != before;

        let before = self.disks.len();
        self.disks.retain(|d| {
            !(d.state == DiskState::Deleting && d.until_ms.is_some_and(|t| t <= now_ms))
        });
        changed |= self.disks.len() != before;
        for d in &mut self.disks {
            if d.state == DiskState::Creating && d.until_ms.is_some_and(|t| t <= now_ms) {
                d.state = DiskState::Available;
                d.until_ms = None;
                changed = true;
            }
        }
        for lb in &mut self.lbs {
            let n = lb.targets.len();
            lb.targets
                .retain(|t| t.draining_until.is_none_or(|until| until > now_ms));
            changed |= lb.targets.len() != n;
        }
        let n = self.ops.len();
        self.ops.retain(|o| now_ms - o.done_ms < 60 * 60 * 1000);
        changed |= self.ops.len() != n;
        changed
    }

    /// A terminated instance lets go of its disks (the boot disk goes with it) and its LB targets.
    fn release_instance(&mut self, provider: ProviderKind, id: &str) {
        let mut removed_boot = Vec::new();
        for d in &mut self.disks {
            if d.provider == provider && d.attached_to.as_deref() == Some(id) {
                if d.boot {
                    removed_boot.push(d.id.clone());
                } else {
                    d.attached_to = None;
                    d.device = None;
                    d.state = DiskState::Available;
                }
            }
        }
        self.disks
            .retain(|d| !(d.provider == provider && removed_boot.contains(&d.id)));
        for lb in &mut self.lbs {
            if lb.provider == provider {
                lb.targets.retain(|t| t.instance_id != id);
            }
        }
    }

    /// The earliest time a pending change lands, so readers can skip `settle` until then.
    pub fn next_event_ms(&self) -> Option<i64> {
        let vms = self
            .instances
            .iter()
            .filter_map(|v| v.next.as_ref().map(|t| t.at_ms));
        let disks = self.disks.iter().filter_map(|d| d.until_ms);
        let drains = self
            .lbs
            .iter()
            .flat_map(|l| l.targets.iter().filter_map(|t| t.draining_until));
        let gone = self
            .instances
            .iter()
            .filter_map(|v| v.terminated_ms.map(|t| t + TERMINATED_VISIBLE_MS));
        vms.chain(disks).chain(drains).chain(gone).min()
    }
}
