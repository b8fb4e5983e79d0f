//! The Azure adapter against a loopback ARM stub, through the real azure_mgmt_compute /
//! azure_mgmt_network 0.21 clients and azure_core's pipeline (see docs/providers.md).

mod accounts;
mod actions;
mod az_compare;
mod cli;
mod create_options;
mod errors;
mod lb_health;
mod listing;
mod networks;
mod nic_settings;
pub mod stub;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use azure_core::auth::{AccessToken, TokenCredential};
use nephos::config::{AccountConfig, AzureCredential, ProviderSettings};
use nephos::domain::ProviderKind;
use nephos::providers::azure::{credentials, AzureProvider, Extras};

/// A fixed token, as a test credential (never a real one).
#[derive(Debug)]
pub struct FakeCred(pub &'static str);

#[async_trait]
impl TokenCredential for FakeCred {
    async fn get_token(&self, _: &[&str]) -> azure_core::Result<AccessToken> {
        credentials::token_until(self.0.into(), chrono::Utc::now().timestamp() + 3600)
    }
    async fn clear_cache(&self) -> azure_core::Result<()> {
        Ok(())
    }
}

pub fn account(
    url: &str,
    name: &str,
    sub: &str,
    regions: &[&str],
    groups: &[&str],
) -> AccountConfig {
    AccountConfig {
        name: name.into(),
        provider: ProviderKind::Azure,
        read_only: false,
        regions: regions.iter().map(|s| s.to_string()).collect(),
        settings: ProviderSettings::Azure {
            subscription: sub.into(),
            tenant: Some("contoso.onmicrosoft.com".into()),
            resource_groups: groups.iter().map(|s| s.to_string()).collect(),
            endpoint_url: Some(url.into()),
            credential: AzureCredential::Default,
        },
    }
}

pub fn extras() -> Extras {
    Extras {
        wait_poll: Duration::from_millis(50),
        ssh_public_key: Some(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtestkeyonly nephos@test".into(),
        ),
    }
}

/// Retries as ARM advises, quick between attempts (a 429's Retry-After still wins).
pub fn retry() -> azure_core::RetryOptions {
    azure_core::RetryOptions::fixed(
        azure_core::FixedRetryOptions::default()
            .max_retries(3u32)
            .delay(Duration::from_millis(50)),
    )
}

pub fn provider_for(a: &AccountConfig, read_only: bool, token: &'static str) -> AzureProvider {
    AzureProvider::with_credential(
        a,
        read_only,
        Arc::new(FakeCred(token)),
        extras(),
        Some(retry()),
    )
}

pub fn provider(s: &stub::ArmStub, regions: &[&str]) -> AzureProvider {
    provider_for(
        &account(&s.url, "corp", stub::SUB, regions, &[]),
        false,
        "fake-token",
    )
}
