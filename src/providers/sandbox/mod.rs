//! The embedded sandbox cloud (`--demo`): three simulated accounts shaped like AWS, GCP and
//! Azure. It behaves like a cloud rather than a fixture: changes take time, wrong transitions
//! fail as the real provider fails, and its state lives in the data dir so every process sees
//! the same cloud.

mod convert;
mod errors;
pub mod faults;
pub mod generate;
mod ids;
mod instances_first;
mod listing;
mod net_provider;
mod net_world;
pub use listing::scope_of;
mod rng;
mod rules;
pub mod shapes;
mod store;
mod world;
mod world_file;

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use async_trait::async_trait;

use crate::domain::network::NetworkSet;
use crate::domain::{
    Described, Disk, Instance, LoadBalancer, ProviderKind, Resource, ResourceKind, ResourceRef,
    Str, Tags,
};
use crate::providers::{
    AccountInfo, Applied, Capabilities, CloudProvider, DiskSpec, ErrorKind, InstanceAction,
    InstanceSpec, LbSpec, ListScope, NetApplied, NetworkRequest, OperationHandle, OperationStatus,
    Progress, ProviderError, Request, Resources, Result,
};

use faults::Fault;
use instances_first::InstancesFirst;
use rules::Now;
use store::Store;
use world::{OpRec, World};

#[derive(Debug, Clone)]
pub struct SandboxSettings {
    /// Where the world file lives (`<data dir>/sandbox`).
    pub dir: PathBuf,
    /// How long a transition (pending → running, stopping → stopped, …) takes.
    pub transition: Duration,
    /// How long each call to the sandbox takes, like a network round trip.
    pub latency: Duration,
    pub faults: Vec<Fault>,
    /// The sandbox Azure account lists these resource groups, one call each, instead of its
    /// whole subscription (`[sandbox] azure_resource_groups`).
    pub azure_resource_groups: Vec<String>,
}

impl SandboxSettings {
    /// No latency, 3 s transitions, no faults, Azure listed by subscription: for tests.
    pub fn quick(dir: PathBuf) -> Self {
        SandboxSettings {
            dir,
            transition: Duration::from_secs(3),
            latency: Duration::ZERO,
            faults: Vec::new(),
            azure_resource_groups: Vec::new(),
        }
    }
}

/// The one simulated cloud behind the three sandbox accounts.
pub struct SandboxCloud {
    /// Readers share it (conversions run in parallel); loading, settling and changes take it whole.
    store: RwLock<Store>,
    settings: SandboxSettings,
    /// Instance lists under way: disk and load balancer lists wait for them (see
    /// [`InstancesFirst`]).
    instance_lists: (Mutex<usize>, Condvar),
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl SandboxCloud {
    pub fn open(settings: SandboxSettings) -> Arc<Self> {
        Arc::new(SandboxCloud {
            store: RwLock::new(Store::new(settings.dir.clone())),
            settings,
            instance_lists: (Mutex::new(0), Condvar::new()),
        })
    }

    pub fn path(&self) -> PathBuf {
        self.store.read().expect("store lock").path()
    }

    fn now(&self) -> Now {
        Now {
            ms: now_ms(),
            step_ms: self.settings.transition.as_millis() as i64,
        }
    }

    /// Regenerate the whole cloud from a seed.
    pub fn reset(&self, instances: usize, seed: u64) -> Result<WorldSummary> {
        let world = generate::generate(instances, seed);
        let summary = WorldSummary::of(&world);
        self.store.write().expect("store lock").replace(world)?;
        Ok(summary)
    }

    /// One provider per simulated account.
    pub fn providers(self: &Arc<Self>, read_only: bool) -> Vec<Arc<dyn CloudProvider>> {
        shapes::ALL
            .iter()
            .map(|shape| {
                Arc::new(SandboxProvider {
                    cloud: self.clone(),
                    shape,
                    info: AccountInfo {
                        name: shape.account.into(),
                        provider: shape.provider,
                        sandbox: true,
                        read_only,
                        native_id: shape.native_id.to_string(),
                        regions: shape.region_names().map(String::from).collect(),
                    },
                    resource_groups: match shape.provider {
                        ProviderKind::Azure => self.settings.azure_resource_groups.clone(),
                        _ => Vec::new(),
                    },
                    caps: {
                        let mut caps = Capabilities {
                            ..Capabilities::all_ops(
                                shape.lb_kinds.to_vec(),
                                Duration::from_millis(250),
                            )
                        };
                        if shape.provider == ProviderKind::Azure {
                            caps.ops.insert(crate::domain::Op::PowerOff);
                        }
                        caps
                    },
                }) as Arc<dyn CloudProvider>
            })
            .collect()
    }

    /// Run `f` on the settled world off the async threads (the file may be large).
    async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&World, Now) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.read_store(Reading::Whole, move |s, now| {
            f(s.loaded().expect("whole"), now)
        })
        .await
    }

    /// [`read`](Self::read), with the store for its indexes, for a read of the kind given.
    async fn read_store<T: Send + 'static>(
        self: &Arc<Self>,
        reading: Reading,
        f: impl FnOnce(&Store, Now) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let this = self.clone();
        // The round trip's time runs while the sandbox reads (see [`pause`](Self::pause)).
        let read = tokio::task::spawn_blocking(move || {
            let _counted = (reading == Reading::Instances)
                .then(|| InstancesFirst::enter(&this.instance_lists));
            let now = this.now();
            let ready = |s: &Store| {
                s.fresh()
                    && (reading == Reading::Instances || s.whole())
                    && s.next_event_ms().is_none_or(|t| t > now.ms)
            };
            if reading == Reading::AfterInstances {
                // Read the instances if no list has yet, so the instance lists can start, and
                // leave the rest to decode until they are done.
                if !this.store.read().expect("store lock").fresh() {
                    this.store
                        .write()
                        .expect("store lock")
                        .current_instances()?;
                }
                InstancesFirst::wait(&this.instance_lists);
            }
            loop {
                // Most calls find the world loaded and settled: they share the lock from the
                // start (taking it whole first made every list wait for the others').
                {
                    let store = this.store.read().expect("store lock");
                    if ready(&store) {
                        return f(&store, now);
                    }
                }
                let mut store = this.store.write().expect("store lock");
                if reading == Reading::Instances {
                    store.current_instances()?;
                }
                if !ready(&store) {
                    store.current()?;
                    store.settle(now.ms);
                }
                // Then round again under the shared lock: another reader may have read a newer
                // file, instances first, in between.
            }
        });
        self.pause().await;
        read.await.map_err(|e| {
            ProviderError::new(ErrorKind::Unavailable, format!("sandbox task failed: {e}"))
        })?
    }

    async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut World, Now) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let this = self.clone();
        self.pause().await;
        tokio::task::spawn_blocking(move || {
            let now = this.now();
            let mut store = this.store.write().expect("store lock");
            store.mutate(|world| {
                world.settle(now.ms);
                f(world, now)
            })
        })
        .await
        .map_err(|e| {
            ProviderError::new(ErrorKind::Unavailable, format!("sandbox task failed: {e}"))
        })?
    }

    /// The simulated network's round trip (`[sandbox] latency_ms`). A change waits it out
    /// before it is made, so it lands when a real one would. A read runs during it, and answers
    /// when both are done: the sandbox's own work (reading its world file, converting
    /// records) stands in for a cloud's server time, which a real round trip already holds.
    async fn pause(&self) {
        if !self.settings.latency.is_zero() {
            tokio::time::sleep(self.settings.latency).await;
        }
    }
}

/// What a read of the world is for: how much of it the read needs, and when it goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// An instance list: needs only the instances, and counts itself in at [`InstancesFirst`].
    Instances,
    /// Another list (disks, load balancers, networks): waits at [`InstancesFirst`] until no
    /// instance list converts, then needs the whole world.
    AfterInstances,
    /// Anything else (a describe, an operation's status): the whole world, at once.
    Whole,
}

/// The world's own id of what `r` names, or the provider's not-found error for it.
fn world_id(w: &World, r: &ResourceRef) -> Result<Str> {
    w.find(r).ok_or_else(|| match r.kind {
        ResourceKind::Instance => errors::vm_not_found(r.provider, &r.id),
        ResourceKind::Disk => errors::disk_not_found(r.provider, &r.id),
        ResourceKind::LoadBalancer => errors::lb_not_found(r.provider, &r.id),
        ResourceKind::Network => crate::providers::list_kind::networks_elsewhere(),
    })
}

/// How far an operation has got, as GCP's `progress` would say it (every sandbox operation
/// takes one transition step).
fn progress(rec: &OpRec, now: Now) -> u8 {
    let total = now.step_ms.max(1);
    let started = rec.done_ms - total;
    ((now.ms - started).clamp(0, total) * 100 / total) as u8
}

/// The domain rows of a generated estate, straight from the generator: for benchmarks and
/// tests that want many realistic rows without a data dir.
pub fn sample(instances: usize, seed: u64) -> (Vec<Instance>, Vec<Disk>, Vec<LoadBalancer>) {
    let w = generate::generate(instances, seed);
    // Long after creation, so every target has passed its first health checks.
    let later = chrono::Utc::now().timestamp_millis();
    let vms: Vec<_> = ProviderKind::ALL
        .iter()
        .map(|&p| (p, convert::vm_index(&w, p)))
        .collect();
    let index = |p: ProviderKind| &vms.iter().find(|(q, _)| *q == p).expect("every provider").1;
    (
        w.instances.iter().map(convert::instance).collect(),
        w.disks
            .iter()
            .map(|d| convert::disk(&|id| index(d.provider).get(id).copied(), d))
            .collect(),
        w.lbs
            .iter()
            .map(|l| convert::load_balancer(&|id| index(l.provider).get(id).copied(), l, later, 0))
            .collect(),
    )
}

/// What `sandbox reset` made.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorldSummary {
    pub instances: usize,
    pub disks: usize,
    pub load_balancers: usize,
    pub seed: u64,
}

impl WorldSummary {
    fn of(w: &World) -> Self {
        WorldSummary {
            instances: w.instances.len(),
            disks: w.disks.len(),
            load_balancers: w.lbs.len(),
            seed: w.seed,
        }
    }
}

/// One simulated account.
pub struct SandboxProvider {
    cloud: Arc<SandboxCloud>,
    shape: &'static shapes::Shape,
    info: AccountInfo,
    /// Azure: the resource groups to list, one by one; empty lists the subscription.
    resource_groups: Vec<String>,
    caps: Capabilities,
}

impl SandboxProvider {
    fn p(&self) -> ProviderKind {
        self.shape.provider
    }

    fn fault(&self, region: Option<&str>) -> Result<()> {
        match faults::error_for(&self.cloud.settings.faults, self.shape.account, region) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn check_owner(&self, r: &ResourceRef) -> Result<()> {
        self.refuse_foreign(r.provider, &r.account, r)
    }

    /// A ref (of a resource or a network) that names another cloud or account is refused.
    fn refuse_foreign(
        &self,
        provider: ProviderKind,
        account: &str,
        r: &impl std::fmt::Display,
    ) -> Result<()> {
        if provider != self.p() || account != self.shape.account {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!("{r} does not belong to account {}", self.shape.account),
            ));
        }
        Ok(())
    }
}

#[async_trait]
impl CloudProvider for SandboxProvider {
    fn account(&self) -> &AccountInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn offerings(&self) -> crate::providers::Offerings {
        crate::providers::Offerings {
            regions: self
                .shape
                .regions
                .iter()
                .map(|(r, z)| (r.to_string(), z.iter().map(|z| z.to_string()).collect()))
                .collect(),
            machine_types: self
                .shape
                .machine_types
                .iter()
                .map(|m| crate::providers::MachineType {
                    name: m.name.into(),
                    vcpus: m.vcpus,
                    memory_gib: m.memory_gib,
                })
                .collect(),
            disk_types: self
                .shape
                .disk_types
                .iter()
                .map(|d| d.to_string())
                .collect(),
        }
    }

    async fn list_scopes(&self, kind: ResourceKind) -> Result<Vec<ListScope>> {
        self.fault(None)?;
        Ok(self.scopes(kind))
    }

    async fn list(&self, scope: &ListScope, kind: ResourceKind) -> Result<Resources> {
        self.list_scope(scope, kind).await
    }

    async fn describe(&self, r: &ResourceRef) -> Result<Described> {
        self.check_owner(r)?;
        self.fault(Some(&r.region))?;
        let p = self.p();
        let r = r.clone();
        self.cloud
            .read(move |w, now| {
                let id = world_id(w, &r)?;
                let vm = convert::scan_vm(w, p);
                Ok(match r.kind {
                    ResourceKind::Instance => {
                        let v = w.vm(p, &id).expect("found above");
                        Described {
                            resource: Resource::Instance(convert::instance(v)),
                            raw: convert::raw_instance(w, v),
                        }
                    }
                    ResourceKind::Disk => {
                        let d = w.disk(p, &id).expect("found above");
                        Described {
                            resource: Resource::Disk(convert::disk(&vm, d)),
                            raw: convert::raw_disk(&vm, d),
                        }
                    }
                    ResourceKind::LoadBalancer => {
                        let l = w.lb(p, &id).expect("found above");
                        Described {
                            resource: Resource::LoadBalancer(convert::load_balancer(
                                &vm,
                                l,
                                now.ms,
                                now.step_ms,
                            )),
                            raw: convert::raw_lb(l),
                        }
                    }
                    ResourceKind::Network => {
                        return Err(crate::providers::list_kind::networks_elsewhere())
                    }
                })
            })
            .await
    }

    async fn operation_status(&self, op: &OperationHandle) -> Result<OperationStatus> {
        let id = op.0.clone();
        let p = self.p();
        self.cloud
            .read(move |w, now| {
                let rec = w.ops.iter().find(|o| o.id == id).ok_or_else(|| {
                    ProviderError::coded(
                        ErrorKind::NotFound,
                        if p == ProviderKind::Gcp {
                            "notFound"
                        } else {
                            "ResourceNotFound"
                        },
                        format!("operation '{id}' was not found"),
                    )
                })?;
                Ok(match &rec.error {
                    Some((code, msg)) => OperationStatus::Failed(ProviderError::coded(
                        ErrorKind::Unavailable,
                        code,
                        msg.to_string(),
                    )),
                    None if now.ms >= rec.done_ms => OperationStatus::Done,
                    None => OperationStatus::Running(Progress {
                        percent: Some(progress(rec, now)),
                        status: Some(
                            if p == ProviderKind::Gcp {
                                "RUNNING"
                            } else {
                                "InProgress"
                            }
                            .into(),
                        ),
                        retry_after: (p == ProviderKind::Azure).then(|| {
                            Duration::from_millis((rec.done_ms - now.ms).clamp(0, 1000) as u64)
                        }),
                    }),
                })
            })
            .await
    }

    async fn apply(&self, req: &Request) -> Result<Applied> {
        match req {
            Request::Instance { target, action } => self.instance_action(target, *action).await,
            Request::CreateInstance { spec, .. } => self.create_instance(spec).await,
            Request::CreateDisk { spec, .. } => self.create_disk(spec).await,
            Request::AttachDisk {
                disk,
                instance,
                device,
            } => self.attach_disk(disk, instance, device.as_deref()).await,
            Request::DetachDisk { disk } => self.detach_disk(disk).await,
            Request::DeleteDisk { disk } => self.delete_disk(disk).await,
            Request::CreateLoadBalancer { spec, .. } => self.create_load_balancer(spec).await,
            Request::Register { lb, targets } => self.change_targets(lb, targets, true).await,
            Request::Deregister { lb, targets } => self.change_targets(lb, targets, false).await,
            Request::DeleteLoadBalancer { lb } => self.delete_load_balancer(lb).await,
            Request::Tag {
                target,
                set,
                remove,
            } => self.set_tags(target.resource_ref(), set, remove).await,
            Request::Network(n) => self.apply_network(n).await.map(Applied::from),
        }
    }

    async fn list_networks(&self, scope: &ListScope) -> Result<NetworkSet> {
        self.networks_in(scope).await
    }

    async fn apply_network(&self, req: &NetworkRequest) -> Result<NetApplied> {
        self.change_network(req).await
    }
}

/// The changes `apply` dispatches to, one per request. Each finds what it changes from the
/// request's refs, as the provider's API would (GCP by zone and name, Azure by id in any case).
impl SandboxProvider {
    async fn instance_action(&self, inst: &Instance, action: InstanceAction) -> Result<Applied> {
        self.check_owner(&inst.r#ref)?;
        let (p, r) = (self.p(), inst.r#ref.clone());
        self.accept(inst.region(), move |w, now| {
            let id = world_id(w, &r)?;
            rules::instance_action(w, p, &id, action, now).map(|v| convert::instance(&v))
        })
        .await
    }

    async fn create_instance(&self, spec: &InstanceSpec) -> Result<Applied> {
        let (p, spec) = (self.p(), spec.clone());
        self.accept(&spec.region.clone(), move |w, now| {
            rules::create_instance(w, p, &spec, now).map(|v| convert::instance(&v))
        })
        .await
    }

    async fn create_disk(&self, spec: &DiskSpec) -> Result<Applied> {
        let (p, spec) = (self.p(), spec.clone());
        self.accept(&spec.region.clone(), move |w, now| {
            let d = rules::create_disk(w, p, &spec, now)?;
            Ok(convert::disk(&convert::scan_vm(w, p), &d))
        })
        .await
    }

    async fn attach_disk(
        &self,
        disk: &Disk,
        inst: &Instance,
        device: Option<&str>,
    ) -> Result<Applied> {
        self.check_owner(&disk.r#ref)?;
        self.check_owner(&inst.r#ref)?;
        let (p, dr, ir) = (self.p(), disk.r#ref.clone(), inst.r#ref.clone());
        let device = device.map(str::to_string);
        self.accept(&disk.r#ref.region, move |w, _| {
            let (d, i) = (world_id(w, &dr)?, world_id(w, &ir)?);
            let d = rules::attach_disk(w, p, &d, &i, device.as_deref())?;
            Ok(convert::disk(&convert::scan_vm(w, p), &d))
        })
        .await
    }

    async fn detach_disk(&self, disk: &Disk) -> Result<Applied> {
        self.change_disk(disk, |w, p, id, _| rules::detach_disk(w, p, id))
            .await
    }

    async fn delete_disk(&self, disk: &Disk) -> Result<Applied> {
        self.change_disk(disk, rules::delete_disk).await
    }

    async fn change_disk(
        &self,
        disk: &Disk,
        change: impl FnOnce(&mut World, ProviderKind, &str, Now) -> Result<world::DiskRec>
            + Send
            + 'static,
    ) -> Result<Applied> {
        self.check_owner(&disk.r#ref)?;
        let (p, r) = (self.p(), disk.r#ref.clone());
        self.accept(&disk.r#ref.region, move |w, now| {
            let id = world_id(w, &r)?;
            let d = change(w, p, &id, now)?;
            Ok(convert::disk(&convert::scan_vm(w, p), &d))
        })
        .await
    }

    async fn create_load_balancer(&self, spec: &LbSpec) -> Result<Applied> {
        let (p, spec) = (self.p(), spec.clone());
        self.accept(&spec.region.clone(), move |w, now| {
            let lb = rules::create_lb(w, p, &spec, now)?;
            Ok(convert::load_balancer(
                &convert::scan_vm(w, p),
                &lb,
                now.ms,
                now.step_ms,
            ))
        })
        .await
    }

    async fn delete_load_balancer(&self, lb: &LoadBalancer) -> Result<Applied> {
        self.check_owner(&lb.r#ref)?;
        let (p, r) = (self.p(), lb.r#ref.clone());
        self.accept(&lb.r#ref.region, move |w, now| {
            let id = world_id(w, &r)?;
            let rec = rules::delete_lb(w, p, &id)?;
            let mut lb = convert::load_balancer(&convert::scan_vm(w, p), &rec, now.ms, now.step_ms);
            lb.state = crate::domain::LbState::Deleting;
            Ok(lb)
        })
        .await
    }

    async fn set_tags(&self, r: &ResourceRef, set: &Tags, remove: &[String]) -> Result<Applied> {
        self.check_owner(r)?;
        self.fault(Some(&r.region))?;
        let (p, target, set, remove) = (self.p(), r.clone(), set.clone(), remove.to_vec());
        self.cloud
            .write(move |w, _| {
                let id = world_id(w, &target)?;
                rules::set_tags(w, p, &id, &set, &remove)
            })
            .await?;
        Ok(Applied::to(r.clone(), None))
    }
}

impl SandboxProvider {
    /// Make a change under the lock and answer as the provider would: the resource as it is now,
    /// and for GCP and Azure an operation to follow (done when the change lands).
    async fn accept<T>(
        &self,
        region: &str,
        change: impl FnOnce(&mut World, Now) -> Result<T> + Send + 'static,
    ) -> Result<Applied>
    where
        T: Into<Resource> + Send + 'static,
    {
        self.fault(Some(region))?;
        let with_operation = self.p() != ProviderKind::Aws;
        self.cloud
            .write(move |w, now| {
                let resource = change(w, now)?;
                let operation = with_operation.then(|| {
                    let id = format!("operation-{}-{}", now.ms, w.next_serial());
                    w.ops.push(OpRec {
                        id: id.as_str().into(),
                        done_ms: now.ms + now.step_ms,
                        error: None,
                    });
                    OperationHandle(id)
                });
                Ok(Applied::with(resource, operation))
            })
            .await
    }

    async fn change_targets(
        &self,
        lb: &LoadBalancer,
        targets: &[Instance],
        register: bool,
    ) -> Result<Applied> {
        self.check_owner(&lb.r#ref)?;
        for t in targets {
            self.check_owner(&t.r#ref)?;
        }
        let p = self.p();
        let lb_ref = lb.r#ref.clone();
        let refs: Vec<ResourceRef> = targets.iter().map(|t| t.r#ref.clone()).collect();
        self.accept(&lb.r#ref.region, move |w, now| {
            let id = world_id(w, &lb_ref)?;
            let ids = refs
                .iter()
                .map(|r| world_id(w, r))
                .collect::<Result<Vec<Str>>>()?;
            let rec = if register {
                rules::register(w, p, &id, &ids, now)?
            } else {
                rules::deregister(w, p, &id, &ids, now)?
            };
            Ok(convert::load_balancer(
                &convert::scan_vm(w, p),
                &rec,
                now.ms,
                now.step_ms,
            ))
        })
        .await
    }
}
