//! The AWS adapter: EC2 instances, EBS volumes and ELBv2 load balancers through the AWS SDK for
//! Rust. Credentials, profiles, SSO and assume-role come from aws-config exactly as the AWS CLI
//! resolves them. Nothing here knows about the terminal.
//!
//! Where moto (the test emulator) and AWS differ, this code follows AWS: DescribeInstances is
//! paged until no NextToken whatever a page holds, DetachVolume always names the instance, and
//! states are read back rather than assumed.

mod budget;
mod convert;
mod errors;
mod instances;
mod load_balancers;
mod networks;
mod pages;
mod raw;
mod session;
mod volumes;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

pub use session::SessionSettings;

use crate::config::{AccountConfig, ProviderSettings};
use crate::domain::{Described, LbKind, ProviderKind, Resource, ResourceKind, ResourceRef};
use crate::providers::{
    AccountInfo, Applied, Capabilities, CloudProvider, ListScope, MachineType, Offerings, Request,
    Resources, Result, ScopeLevel,
};
use session::Session;

/// vCPUs, memory and architectures of one instance type.
#[derive(Debug, Clone, PartialEq)]
struct TypeInfo {
    vcpus: u32,
    memory_gib: f64,
    arm: bool,
}

pub struct AwsProvider {
    info: AccountInfo,
    caps: Capabilities,
    session: Session,
    /// DescribeInstanceTypes answers, per region; types do not change under us.
    types: Mutex<HashMap<String, HashMap<String, TypeInfo>>>,
    /// Zones seen per region, for completion in the console's forms.
    zones: Mutex<BTreeMap<String, BTreeSet<String>>>,
    /// `regions = "all"`: the enabled regions, once DescribeRegions has answered.
    enabled_regions: tokio::sync::OnceCell<Vec<String>>,
}

impl AwsProvider {
    pub fn new(a: &AccountConfig, read_only: bool) -> Self {
        let (profile, endpoint_url) = match &a.settings {
            ProviderSettings::Aws {
                profile,
                endpoint_url,
            } => (profile.clone(), endpoint_url.clone()),
            _ => (None, None),
        };
        let settings = SessionSettings {
            profile: profile.clone(),
            endpoint_url,
            home_region: a
                .regions
                .first()
                .cloned()
                .unwrap_or_else(|| "us-east-1".into()),
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            config_file: None,
        };
        AwsProvider::with_session(a, read_only, settings)
    }

    pub fn with_session(a: &AccountConfig, read_only: bool, settings: SessionSettings) -> Self {
        AwsProvider {
            info: AccountInfo {
                name: a.name.as_str().into(),
                provider: ProviderKind::Aws,
                sandbox: false,
                read_only,
                native_id: settings.profile.clone().unwrap_or_else(|| "default".into()),
                regions: a.regions.clone(),
            },
            caps: Capabilities {
                ..Capabilities::all_ops(
                    vec![LbKind::Application, LbKind::Network],
                    Duration::from_secs(2),
                )
            },
            session: Session::new(settings),
            types: Mutex::new(HashMap::new()),
            zones: Mutex::new(BTreeMap::new()),
            enabled_regions: tokio::sync::OnceCell::new(),
        }
    }

    fn profile(&self) -> Option<&str> {
        self.session.profile()
    }

    /// An SDK error in the core's words.
    fn err<E>(
        &self,
        e: aws_sdk_ec2::error::SdkError<E, aws_sdk_ec2::config::http::HttpResponse>,
    ) -> crate::providers::ProviderError
    where
        E: aws_sdk_ec2::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut err = errors::from_sdk(e, self.profile());
        // A profile the files do not define: say that, not the chain's last (IMDS) error.
        if err.code.as_deref() == Some("CredentialsError") {
            if let Some(m) = self.session.missing_profile() {
                err.message = m;
            }
        }
        err
    }

    /// The configured regions, or the account's enabled ones (DescribeRegions, asked once).
    pub async fn regions(&self) -> Result<Vec<String>> {
        if !self.info.regions.is_empty() {
            return Ok(self.info.regions.clone());
        }
        self.enabled_regions
            .get_or_try_init(|| async {
                let home = self.session.home_region().await;
                let c = self.session.region(&home).await;
                c.ec2_budget.take().await;
                let out = c
                    .ec2
                    .describe_regions()
                    .send()
                    .await
                    .map_err(|e| self.err(e))?;
                let mut names: Vec<String> = out
                    .regions()
                    .iter()
                    .filter(|r| r.opt_in_status() != Some("not-opted-in"))
                    .filter_map(|r| r.region_name().map(String::from))
                    .collect();
                names.sort();
                Ok(names)
            })
            .await
            .cloned()
    }

    fn saw_zones<'a>(&self, region: &str, zones: impl Iterator<Item = &'a str>) {
        let mut z = self.zones.lock().expect("zones");
        let set = z.entry(region.to_string()).or_default();
        for zone in zones {
            if !set.contains(zone) {
                set.insert(zone.to_string());
            }
        }
    }
}

#[async_trait]
impl CloudProvider for AwsProvider {
    fn account(&self) -> &AccountInfo {
        &self.info
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn offerings(&self) -> Offerings {
        let zones = self.zones.lock().expect("zones").clone();
        let mut regions: BTreeMap<String, Vec<String>> = self
            .info
            .regions
            .iter()
            .map(|r| (r.clone(), Vec::new()))
            .collect();
        for (r, z) in zones {
            regions.insert(r, z.into_iter().collect());
        }
        let mut machine_types: BTreeMap<String, MachineType> = BTreeMap::new();
        for types in self.types.lock().expect("types").values() {
            for (name, t) in types {
                machine_types.insert(
                    name.clone(),
                    MachineType {
                        name: name.clone(),
                        vcpus: t.vcpus,
                        memory_gib: t.memory_gib,
                    },
                );
            }
        }
        Offerings {
            regions: regions.into_iter().collect(),
            machine_types: machine_types.into_values().collect(),
            disk_types: ["gp3", "gp2", "io2", "io1", "st1", "sc1", "standard"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// AWS lists per region, each on its own endpoint and budget: one scope per configured
    /// region, or per enabled region (`regions = "all"`).
    async fn list_scopes(&self, _kind: ResourceKind) -> Result<Vec<ListScope>> {
        Ok(self
            .regions()
            .await?
            .iter()
            .map(|r| ListScope::aws_region(r))
            .collect())
    }

    async fn list(&self, scope: &ListScope, kind: ResourceKind) -> Result<Resources> {
        if scope.level != ScopeLevel::Region {
            return Err(crate::providers::ProviderError::new(
                crate::providers::ErrorKind::Invalid,
                format!("AWS lists by region, not by {scope}"),
            ));
        }
        let region = scope.name.as_str();
        Ok(match kind {
            ResourceKind::Instance => Resources::Instances(self.list_instances(region).await?),
            ResourceKind::Disk => Resources::Disks(self.list_volumes(region).await?),
            ResourceKind::LoadBalancer => {
                Resources::LoadBalancers(self.list_load_balancers(region, None).await?)
            }
            ResourceKind::Network => return Err(crate::providers::list_kind::networks_elsewhere()),
        })
    }

    async fn describe(&self, r: &ResourceRef) -> Result<Described> {
        match r.kind {
            ResourceKind::Instance => self.describe_instance(&r.region, &r.id).await,
            ResourceKind::Disk => self.describe_volume(&r.region, &r.id).await,
            ResourceKind::LoadBalancer => self.describe_load_balancer(&r.region, &r.id).await,
            ResourceKind::Network => Err(crate::providers::list_kind::networks_elsewhere()),
        }
    }

    async fn apply(&self, req: &Request) -> Result<Applied> {
        // AWS answers every change at once: there is never an operation to follow.
        let done = |r: Resource| Ok(Applied::with(r, None));
        match req {
            Request::Instance { target, action } => {
                done(self.act_on_instance(target, *action).await?.into())
            }
            Request::CreateInstance { spec, .. } => done(self.run_instance(spec).await?.into()),
            Request::CreateDisk { spec, .. } => done(self.create_volume(spec).await?.into()),
            Request::AttachDisk {
                disk,
                instance,
                device,
            } => done(
                self.attach_volume(disk, instance, device.as_deref())
                    .await?
                    .into(),
            ),
            Request::DetachDisk { disk } => done(self.detach_volume(disk).await?.into()),
            Request::DeleteDisk { disk } => done(self.delete_volume(disk).await?.into()),
            Request::CreateLoadBalancer { spec, .. } => done(self.create_lb(spec).await?.into()),
            Request::Register { lb, targets } => {
                done(self.change_targets(lb, targets, true).await?.into())
            }
            Request::Deregister { lb, targets } => {
                done(self.change_targets(lb, targets, false).await?.into())
            }
            Request::DeleteLoadBalancer { lb } => done(self.delete_lb(lb).await?.into()),
            Request::Tag {
                target,
                set,
                remove,
            } => {
                let r = target.resource_ref();
                match r.kind {
                    ResourceKind::LoadBalancer => self.tag_load_balancer(r, set, remove).await?,
                    _ => self.tag_ec2(r, set, remove).await?,
                }
                Ok(Applied::to(r.clone(), None))
            }
            Request::Network(n) => self.apply_network(n).await.map(Applied::from),
        }
    }

    async fn list_networks(&self, scope: &ListScope) -> Result<crate::domain::network::NetworkSet> {
        if scope.level != ScopeLevel::Region {
            return Err(crate::providers::ProviderError::new(
                crate::providers::ErrorKind::Invalid,
                format!("AWS lists by region, not by {scope}"),
            ));
        }
        self.list_networks_in(&scope.name).await
    }

    async fn apply_network(
        &self,
        req: &crate::providers::NetworkRequest,
    ) -> Result<crate::providers::NetApplied> {
        self.change_network(req).await
    }
}
