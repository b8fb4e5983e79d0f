//! Every change a test makes goes through the provider's one entry, `apply(&Request)`, exactly as
//! the CLI and the console send it. These helpers only build the request and unwrap the answer
//! into the kind of resource the verb acts on, so a test reads as the action it takes.

use nephos::domain::{Disk, Instance, LoadBalancer, Resource, ResourceRef, Tags};
use nephos::providers::{
    Applied, CloudProvider, DiskSpec, InstanceAction, InstanceSpec, LbSpec, OperationHandle,
    ProviderError, Request,
};

/// A change the provider accepted, with the resource it answered with.
#[derive(Debug)]
pub struct Accepted<T> {
    // Read by the AWS tests only.
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    pub resource: T,
    #[allow(dead_code)]
    pub operation: Option<OperationHandle>,
}

type Result<T> = std::result::Result<T, ProviderError>;

fn answered<T>(a: Applied, unwrap: fn(Resource) -> Option<T>) -> Accepted<T> {
    let resource = a
        .resource
        .and_then(unwrap)
        .unwrap_or_else(|| panic!("{} answered without the resource", a.target));
    Accepted {
        resource,
        operation: a.operation,
    }
}

fn instance(r: Resource) -> Option<Instance> {
    match r {
        Resource::Instance(i) => Some(i),
        _ => None,
    }
}

fn disk(r: Resource) -> Option<Disk> {
    match r {
        Resource::Disk(d) => Some(d),
        _ => None,
    }
}

fn lb(r: Resource) -> Option<LoadBalancer> {
    match r {
        Resource::LoadBalancer(l) => Some(l),
        _ => None,
    }
}

#[allow(dead_code)]
pub trait Verbs: CloudProvider {
    fn account_name(&self) -> String {
        self.account().name.to_string()
    }

    async fn instance_action(
        &self,
        target: &Instance,
        action: InstanceAction,
    ) -> Result<Accepted<Instance>> {
        let req = Request::Instance {
            target: target.clone(),
            action,
        };
        Ok(answered(self.apply(&req).await?, instance))
    }

    async fn create_instance(&self, spec: &InstanceSpec) -> Result<Accepted<Instance>> {
        let req = Request::CreateInstance {
            account: self.account_name(),
            spec: spec.clone(),
        };
        Ok(answered(self.apply(&req).await?, instance))
    }

    async fn create_disk(&self, spec: &DiskSpec) -> Result<Accepted<Disk>> {
        let req = Request::CreateDisk {
            account: self.account_name(),
            spec: spec.clone(),
        };
        Ok(answered(self.apply(&req).await?, disk))
    }

    async fn attach_disk(
        &self,
        d: &Disk,
        i: &Instance,
        device: Option<&str>,
    ) -> Result<Accepted<Disk>> {
        let req = Request::AttachDisk {
            disk: d.clone(),
            instance: i.clone(),
            device: device.map(str::to_string),
        };
        Ok(answered(self.apply(&req).await?, disk))
    }

    async fn detach_disk(&self, d: &Disk) -> Result<Accepted<Disk>> {
        let req = Request::DetachDisk { disk: d.clone() };
        Ok(answered(self.apply(&req).await?, disk))
    }

    async fn delete_disk(&self, d: &Disk) -> Result<Accepted<Disk>> {
        let req = Request::DeleteDisk { disk: d.clone() };
        Ok(answered(self.apply(&req).await?, disk))
    }

    async fn create_load_balancer(&self, spec: &LbSpec) -> Result<Accepted<LoadBalancer>> {
        let req = Request::CreateLoadBalancer {
            account: self.account_name(),
            spec: spec.clone(),
        };
        Ok(answered(self.apply(&req).await?, lb))
    }

    async fn register_targets(
        &self,
        l: &LoadBalancer,
        targets: &[Instance],
    ) -> Result<Accepted<LoadBalancer>> {
        let req = Request::Register {
            lb: l.clone(),
            targets: targets.to_vec(),
        };
        Ok(answered(self.apply(&req).await?, lb))
    }

    async fn deregister_targets(
        &self,
        l: &LoadBalancer,
        targets: &[Instance],
    ) -> Result<Accepted<LoadBalancer>> {
        let req = Request::Deregister {
            lb: l.clone(),
            targets: targets.to_vec(),
        };
        Ok(answered(self.apply(&req).await?, lb))
    }

    async fn delete_load_balancer(&self, l: &LoadBalancer) -> Result<Accepted<LoadBalancer>> {
        let req = Request::DeleteLoadBalancer { lb: l.clone() };
        Ok(answered(self.apply(&req).await?, lb))
    }

    /// Tags need the resource itself (the request carries it for plans and guardrails).
    async fn set_tags(&self, r: &ResourceRef, set: &Tags, remove: &[String]) -> Result<Applied> {
        let target = self.describe(r).await?.resource;
        let req = Request::Tag {
            target,
            set: set.clone(),
            remove: remove.to_vec(),
        };
        self.apply(&req).await
    }
}

impl<P: CloudProvider + ?Sized> Verbs for P {}
