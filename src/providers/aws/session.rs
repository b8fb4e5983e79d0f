//! One account's connection to AWS: its configuration (credentials, retry, endpoint) loaded once
//! on first use, and per region an EC2 client, an ELBv2 client and a request budget. Every
//! region's clients are built from the same loaded configuration, so they share one credentials
//! cache: one SSO or MFA prompt per account, however many regions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::meta::region::RegionProviderChain;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_runtime::env_config::file::{
    EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
};
use tokio::sync::OnceCell;

use super::budget::Budget;

/// How long to wait for a TCP (and TLS) connection to an AWS endpoint.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one attempt of a call may take before it is retried: an endpoint that accepts the
/// connection and never answers is given up on here. A describe page of 1,000 instances
/// answers in a second or two.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a call may take with all its retries.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// The SDK's timeouts for every call nephos makes.
pub fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// What the account's config says about reaching AWS.
#[derive(Debug, Clone, Default)]
pub struct SessionSettings {
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Used to sign calls that are not for one region (credentials, DescribeRegions) when the
    /// profile names none.
    pub home_region: String,
    /// Attempts per call, retries on throttling and 5xx included.
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    /// Read profiles from this file only, instead of ~/.aws/config and ~/.aws/credentials
    /// (for hermetic tests; the CLI honours AWS_CONFIG_FILE as the AWS CLI does).
    pub config_file: Option<std::path::PathBuf>,
}

/// The clients of one region.
pub struct RegionClients {
    pub ec2: aws_sdk_ec2::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    /// EC2's read budget for this account and region; ELBv2 calls take from their own.
    pub ec2_budget: Budget,
    pub elb_budget: Budget,
}

pub struct Session {
    settings: SessionSettings,
    config: OnceCell<SdkConfig>,
    regions: Mutex<HashMap<String, Arc<RegionClients>>>,
}

impl Session {
    pub fn new(settings: SessionSettings) -> Self {
        Session {
            settings,
            config: OnceCell::new(),
            regions: Mutex::new(HashMap::new()),
        }
    }

    pub fn profile(&self) -> Option<&str> {
        self.settings.profile.as_deref()
    }

    /// When the account names a profile that its files do not define: the message saying so.
    pub fn missing_profile(&self) -> Option<String> {
        let p = self.settings.profile.as_deref()?;
        crate::providers::aws_profiles::check(p, self.settings.config_file.as_deref())
    }

    /// The shared configuration, loaded the first time any region needs it. Loading reads the
    /// shared config files; credentials themselves are fetched lazily by the first call and
    /// then cached for every region.
    async fn config(&self) -> &SdkConfig {
        self.config
            .get_or_init(|| async {
                let s = &self.settings;
                let mut region = RegionProviderChain::first_try(
                    aws_config::environment::EnvironmentVariableRegionProvider::new(),
                );
                let files = s.config_file.as_ref().map(|f| {
                    ProfileFiles::builder()
                        .with_file(ProfileFileKind::Config, f)
                        .build()
                });
                let mut profile_region = aws_config::profile::ProfileFileRegionProvider::builder();
                if let Some(f) = &files {
                    profile_region = profile_region.profile_files(f.clone());
                }
                if let Some(p) = &s.profile {
                    profile_region = profile_region.profile_name(p);
                }
                region = region
                    .or_else(profile_region.build())
                    .or_else(Region::new(s.home_region.clone()));
                let mut loader = aws_config::defaults(BehaviorVersion::latest())
                    .region(region)
                    .retry_config(
                        RetryConfig::standard()
                            .with_max_attempts(s.max_attempts)
                            .with_initial_backoff(s.initial_backoff),
                    )
                    .timeout_config(timeouts());
                if let Some(p) = &s.profile {
                    loader = loader.profile_name(p);
                }
                if let Some(f) = files {
                    loader = loader.profile_files(f);
                }
                if let Some(u) = &s.endpoint_url {
                    loader = loader.endpoint_url(u);
                }
                loader.load().await
            })
            .await
    }

    /// The clients for `region`, built once and kept.
    pub async fn region(&self, region: &str) -> Arc<RegionClients> {
        if let Some(c) = self.regions.lock().expect("region clients").get(region) {
            return c.clone();
        }
        let config = self.config().await;
        let r = Region::new(region.to_string());
        let ec2 = aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(config)
                .region(r.clone())
                .build(),
        );
        let elb = aws_sdk_elasticloadbalancingv2::Client::from_conf(
            aws_sdk_elasticloadbalancingv2::config::Builder::from(config)
                .region(r)
                .build(),
        );
        let clients = Arc::new(RegionClients {
            ec2,
            elb,
            ec2_budget: Budget::ec2_reads(),
            elb_budget: Budget::elb_reads(),
        });
        self.regions
            .lock()
            .expect("region clients")
            .entry(region.to_string())
            .or_insert(clients)
            .clone()
    }

    /// The region calls that belong to no region (DescribeRegions) are signed for.
    pub async fn home_region(&self) -> String {
        self.config()
            .await
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| self.settings.home_region.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_call_has_a_connect_an_attempt_and_an_overall_timeout() {
        let session = Session::new(SessionSettings {
            home_region: "us-east-1".into(),
            max_attempts: 3,
            endpoint_url: Some("http://127.0.0.1:9".into()),
            config_file: Some("/nonexistent".into()),
            ..SessionSettings::default()
        });
        let t = session
            .config()
            .await
            .timeout_config()
            .expect("timeouts set")
            .clone();
        assert_eq!(t.connect_timeout(), Some(CONNECT_TIMEOUT));
        assert_eq!(t.operation_attempt_timeout(), Some(ATTEMPT_TIMEOUT));
        assert_eq!(t.operation_timeout(), Some(OPERATION_TIMEOUT));
        assert!(ATTEMPT_TIMEOUT <= Duration::from_secs(10));
        assert!(OPERATION_TIMEOUT <= Duration::from_secs(30));
    }
}
