//! Target pools behind network load balancers: all of them in one aggregated list, one read
//! with its instances' health (`targetPools.getHealth`, one call per instance, as the API asks).

use std::collections::HashMap;

use futures_util::future::join_all;
use google_cloud_compute_v1::model;

use super::{apply_health, url_key};
use crate::domain::Target;
use crate::providers::gcp::listing::aggregated;
use crate::providers::gcp::{convert, errors, urls, GcpProvider};
use crate::providers::Result;

pub(super) fn is_pool(url: &str) -> bool {
    url.contains("/targetPools/")
}

/// A target pool's place, from its URL: (region, name).
pub(super) fn pool_key(url: &str) -> Option<(String, String)> {
    Some((
        urls::segment(url, "regions")?.to_string(),
        urls::last(url).to_string(),
    ))
}

impl GcpProvider {
    /// Every target pool of the project, by `url_key` of its selfLink.
    pub(super) async fn all_target_pools(&self) -> Result<HashMap<String, model::TargetPool>> {
        let c = self.session.clients().await?;
        let pools: Vec<model::TargetPool> = aggregated!(self, c.target_pools, target_pools)?;
        Ok(pools
            .into_iter()
            .filter_map(|p| Some((url_key(p.self_link.as_deref()?).to_string(), p)))
            .collect())
    }

    async fn get_pool(&self, region: &str, name: &str) -> Result<model::TargetPool> {
        let c = self.session.clients().await?;
        c.target_pools
            .get()
            .set_project(self.project())
            .set_region(region)
            .set_target_pool(name)
            .send()
            .await
            .map_err(errors::from_sdk)
    }

    /// The pool at `url` read afresh: its instances with their health, its payload, and the
    /// health answers. Health is extra: an instance whose health cannot be read shows unknown.
    pub(super) async fn pool_with_health(
        &self,
        url: &str,
    ) -> Result<(Vec<Target>, serde_json::Value, serde_json::Value)> {
        let Some((region, name)) = pool_key(url) else {
            return Ok((Vec::new(), serde_json::Value::Null, serde_json::Value::Null));
        };
        let pool = self.get_pool(&region, &name).await?;
        let account = self.account_name();
        let mut targets = convert::pool_targets(account, &pool);
        let c = self.session.clients().await?;
        let answers = join_all(pool.instances.iter().map(|i| {
            c.target_pools
                .get_health()
                .set_project(self.project())
                .set_region(&region)
                .set_target_pool(&name)
                .set_body(model::InstanceReference::new().set_instance(i.as_str()))
                .send()
        }))
        .await;
        let mut seen = Vec::new();
        for answer in answers {
            match answer {
                Ok(h) => {
                    apply_health(&mut targets, &h.health_status, account);
                    seen.push(serde_json::to_value(&h).unwrap_or_default());
                }
                Err(e) => tracing::debug!(error = %errors::from_sdk(e), "getHealth failed"),
            }
        }
        Ok((
            targets,
            serde_json::to_value(&pool).unwrap_or_default(),
            serde_json::Value::Array(seen),
        ))
    }
}
