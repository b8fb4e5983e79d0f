//! One project's connection to Compute Engine: its settings, one client per Compute service
//! (built once, on first use, all sharing the account's credentials), and the retry policy every
//! call runs under.

use std::path::PathBuf;
use std::time::Duration;

use google_cloud_compute_v1::client::{
    BackendServices, Disks, Firewalls, ForwardingRules, GlobalForwardingRules, GlobalOperations,
    Images, InstanceGroups, Instances, MachineTypes, Networks, RegionBackendServices,
    RegionOperations, Subnetworks, TargetHttpProxies, TargetHttpsProxies, TargetPools, UrlMaps,
    ZoneOperations,
};
use google_cloud_gax::error::Error as GaxError;
use google_cloud_gax::exponential_backoff::{ExponentialBackoff, ExponentialBackoffBuilder};
use google_cloud_gax::retry_policy::{RetryPolicy, RetryPolicyExt as _};
use google_cloud_gax::retry_result::RetryResult;
use google_cloud_gax::retry_state::RetryState;
use tokio::sync::OnceCell;

use super::{credentials, errors};
use crate::providers::Result;

/// How long one attempt of a call may take before it is retried (an aggregated page of 500
/// instances answers in a second or two).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a call may take with all its retries.
pub const CALL_TIME_LIMIT: Duration = Duration::from_secs(45);

/// What the account's config says about reaching Compute Engine, plus the knobs tests turn.
#[derive(Debug, Clone)]
pub struct GcpSettings {
    pub project: String,
    pub credentials_file: Option<PathBuf>,
    /// Every Compute call goes here instead of https://compute.googleapis.com.
    pub endpoint_url: Option<String>,
    /// Attempts per call, the first included; retried are throttling (429, 403
    /// rateLimitExceeded), 5xx and I/O errors. Credential failures never are.
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    /// How often `--wait` asks an operation again.
    pub wait_poll: Duration,
    /// How long an action that needs one operation done before its next step (a load balancer's
    /// target pool before its forwarding rule) waits for it.
    pub step_wait: Duration,
    /// `maxResults` of aggregated lists (GCP's maximum is 500).
    pub page_size: u32,
}

impl GcpSettings {
    pub fn new(project: &str) -> Self {
        GcpSettings {
            project: project.to_string(),
            credentials_file: None,
            endpoint_url: None,
            max_attempts: 5,
            initial_backoff: Duration::from_millis(500),
            wait_poll: Duration::from_secs(2),
            step_wait: Duration::from_secs(120),
            page_size: 500,
        }
    }
}

/// A fresh `requestId` for a change: a UUID. Compute answers a repeat of a request with the
/// same id with the first one's Operation instead of acting twice, so every change nephos sends
/// carries one and is marked idempotent (`with_idempotency(true)`): a 5xx or a lost answer to a
/// POST is then retried like a read, with the same id.
pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Retries what GCP means as "try again": throttling (which Compute answers 403
/// `rateLimitExceeded` or 429, and which the SDK's default policy does not retry) whatever the
/// method, since a throttled call was not carried out; 5xx and I/O errors for idempotent calls:
/// reads, and changes sent with a `requestId` (see `request_id`).
/// A credentials failure is final at once: no minute of retries before the user hears of it.
#[derive(Debug, Clone, Copy)]
pub struct ComputeRetry;

impl RetryPolicy for ComputeRetry {
    fn on_error(&self, state: &RetryState, error: GaxError) -> RetryResult {
        if error.is_authentication() {
            return RetryResult::Permanent(error);
        }
        if errors::is_throttling(&error) {
            tracing::debug!("GCP throttled a call; backing off");
            return RetryResult::Continue(error);
        }
        if error.is_transient_and_before_rpc() {
            return RetryResult::Continue(error);
        }
        if !state.idempotent {
            return RetryResult::Permanent(error);
        }
        let server = error.http_status_code().is_some_and(|c| c >= 500)
            || error
                .status()
                .is_some_and(|s| s.code == google_cloud_gax::error::rpc::Code::Unavailable);
        if error.is_io() || server {
            return RetryResult::Continue(error);
        }
        RetryResult::Permanent(error)
    }
}

fn backoff(s: &GcpSettings) -> ExponentialBackoff {
    ExponentialBackoffBuilder::new()
        .with_initial_delay(s.initial_backoff)
        .with_maximum_delay(
            s.initial_backoff
                .saturating_mul(16)
                .max(Duration::from_millis(1)),
        )
        .build()
        .unwrap_or_default()
}

/// The Compute services nephos calls.
pub struct Clients {
    pub instances: Instances,
    pub disks: Disks,
    pub forwarding_rules: ForwardingRules,
    pub target_pools: TargetPools,
    pub global_forwarding_rules: GlobalForwardingRules,
    pub backend_services: BackendServices,
    pub region_backend_services: RegionBackendServices,
    pub instance_groups: InstanceGroups,
    pub http_proxies: TargetHttpProxies,
    pub https_proxies: TargetHttpsProxies,
    pub url_maps: UrlMaps,
    pub images: Images,
    pub machine_types: MachineTypes,
    pub zone_ops: ZoneOperations,
    pub region_ops: RegionOperations,
    pub global_ops: GlobalOperations,
    pub networks: Networks,
    pub subnetworks: Subnetworks,
    pub firewalls: Firewalls,
}

pub struct Session {
    pub settings: GcpSettings,
    clients: OnceCell<Clients>,
}

macro_rules! client {
    ($ty:ty, $creds:expr, $s:expr) => {{
        let mut b = <$ty>::builder()
            .with_credentials($creds.clone())
            .with_retry_policy(
                ComputeRetry
                    .with_attempt_limit($s.max_attempts.max(1))
                    .with_time_limit(CALL_TIME_LIMIT),
            )
            .with_backoff_policy(backoff($s))
            .with_attempt_timeout(ATTEMPT_TIMEOUT);
        if let Some(url) = &$s.endpoint_url {
            b = b.with_endpoint(url.trim_end_matches('/').to_string());
        }
        b.build().await.map_err(errors::from_builder)?
    }};
}

impl Session {
    pub fn new(settings: GcpSettings) -> Self {
        Session {
            settings,
            clients: OnceCell::new(),
        }
    }

    pub fn project(&self) -> &str {
        &self.settings.project
    }

    /// The clients, built the first time a call needs them. A failure (no credentials) is not
    /// kept: the next call tries again, so fixing the login needs no restart.
    pub async fn clients(&self) -> Result<&Clients> {
        self.clients
            .get_or_try_init(|| async {
                let s = &self.settings;
                let creds = credentials::build(s)?;
                Ok(Clients {
                    instances: client!(Instances, creds, s),
                    disks: client!(Disks, creds, s),
                    forwarding_rules: client!(ForwardingRules, creds, s),
                    target_pools: client!(TargetPools, creds, s),
                    global_forwarding_rules: client!(GlobalForwardingRules, creds, s),
                    backend_services: client!(BackendServices, creds, s),
                    region_backend_services: client!(RegionBackendServices, creds, s),
                    instance_groups: client!(InstanceGroups, creds, s),
                    http_proxies: client!(TargetHttpProxies, creds, s),
                    https_proxies: client!(TargetHttpsProxies, creds, s),
                    url_maps: client!(UrlMaps, creds, s),
                    images: client!(Images, creds, s),
                    machine_types: client!(MachineTypes, creds, s),
                    zone_ops: client!(ZoneOperations, creds, s),
                    region_ops: client!(RegionOperations, creds, s),
                    global_ops: client!(GlobalOperations, creds, s),
                    networks: client!(Networks, creds, s),
                    subnetworks: client!(Subnetworks, creds, s),
                    firewalls: client!(Firewalls, creds, s),
                })
            })
            .await
    }
}
