//! One resource by its ARM id, through the generated clients' `.send()`, read as raw JSON (kept
//! for `describe`) rather than through the generated models.

use serde_json::Value;

use super::convert::parts;
use super::session::parse;
use super::AzureProvider;
use crate::providers::Result;

impl AzureProvider {
    /// A VM, with its instance view when `with_view`.
    pub(super) async fn get_vm(&self, id: &str, with_view: bool) -> Result<Value> {
        let p = parts(id)?;
        let s = &self.session;
        let mut req =
            s.compute
                .virtual_machines_client()
                .get(p.resource_group, p.name, p.subscription);
        if with_view {
            req = req.expand("instanceView");
        }
        let (_, _, body) = s
            .raw(async { req.send().await.map(|r| r.into_raw_response()) })
            .await?;
        parse(&body)
    }

    pub(super) async fn get_disk(&self, id: &str) -> Result<Value> {
        let p = parts(id)?;
        let s = &self.session;
        let req = s
            .compute
            .disks_client()
            .get(p.subscription, p.resource_group, p.name);
        let (_, _, body) = s
            .raw(async { req.send().await.map(|r| r.into_raw_response()) })
            .await?;
        parse(&body)
    }

    pub(super) async fn get_lb(&self, id: &str) -> Result<Value> {
        let p = parts(id)?;
        let s = &self.session;
        let req = s
            .network
            .load_balancers_client()
            .get(p.resource_group, p.name, p.subscription);
        let (_, _, body) = s
            .raw(async { req.send().await.map(|r| r.into_raw_response()) })
            .await?;
        parse(&body)
    }

    pub(super) async fn get_nic(&self, id: &str) -> Result<Value> {
        let p = parts(id)?;
        let s = &self.session;
        let req =
            s.network
                .network_interfaces_client()
                .get(p.resource_group, p.name, p.subscription);
        let (_, _, body) = s
            .raw(async { req.send().await.map(|r| r.into_raw_response()) })
            .await?;
        parse(&body)
    }

    pub(super) async fn get_public_ip(&self, id: &str) -> Result<Value> {
        let p = parts(id)?;
        let s = &self.session;
        let req =
            s.network
                .public_ip_addresses_client()
                .get(p.resource_group, p.name, p.subscription);
        let (_, _, body) = s
            .raw(async { req.send().await.map(|r| r.into_raw_response()) })
            .await?;
        parse(&body)
    }
}
