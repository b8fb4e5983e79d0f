//! Backend health of a load balancer, from ARM's per-rule health API (Network 2024-07-01:
//! `POST …/loadBalancers/{lb}/loadBalancingRules/{rule}/health`, a long-running call answered
//! 202 + `Location`, whose final GET carries `loadBalancerBackendAddresses[]` with
//! `networkInterfaceIPConfigurationId` and `state` Up/Down). Asked on describe only (one call
//! per rule per load balancer would spend the read budget of a listing); when ARM cannot
//! answer, health stays unknown and the describe goes on.

use std::collections::HashMap;
use std::time::Duration;

use azure_core::Method;
use serde_json::Value;

use super::session::{parse, retry_after};
use super::AzureProvider;
use crate::providers::Result;

/// The api-version that has the health API (the generated 0.21 crate predates it).
pub const HEALTH_API: &str = "2024-07-01";
/// How many times the result URL is read before giving up (health stays unknown).
const MAX_POLLS: usize = 10;

/// Per NIC IP configuration (lower-cased id): "Down" if any rule says so, else "Up".
pub fn merge(answers: &[Value]) -> HashMap<String, &'static str> {
    let mut out: HashMap<String, &'static str> = HashMap::new();
    for a in answers {
        for b in a["loadBalancerBackendAddresses"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let Some(id) = b["networkInterfaceIPConfigurationId"].as_str() else {
                continue;
            };
            let state = match b["state"].as_str() {
                Some(s) if s.eq_ignore_ascii_case("down") => "Down",
                Some(s) if s.eq_ignore_ascii_case("up") => "Up",
                _ => continue,
            };
            let e = out.entry(id.to_ascii_lowercase()).or_insert(state);
            if state == "Down" {
                *e = "Down";
            }
        }
    }
    out
}

impl AzureProvider {
    /// The health answers of every load-balancing rule of `lb_id` that could be read.
    pub(super) async fn rule_health(&self, lb_id: &str, rules: &[Value]) -> Vec<Value> {
        let mut answers = Vec::new();
        for r in rules {
            let Some(name) = r["name"].as_str() else {
                continue;
            };
            match self.one_rule(lb_id, name).await {
                Ok(Some(v)) => answers.push(v),
                Ok(None) => tracing::debug!(rule = name, "no health answer in time"),
                Err(e) => tracing::debug!(rule = name, error = %e, "rule health unavailable"),
            }
        }
        answers
    }

    async fn one_rule(&self, lb_id: &str, rule: &str) -> Result<Option<Value>> {
        let s = &self.session;
        let url = s.url(&format!(
            "{lb_id}/loadBalancingRules/{rule}/health?api-version={HEALTH_API}"
        ))?;
        let (mut status, mut headers, mut body) = s.send(Method::Post, url, None).await?;
        // The result URL: the 202's Location, kept while later 202s name none.
        let mut next: Option<azure_core::Url> = None;
        for _ in 0..MAX_POLLS {
            if status == 200 && !body.is_empty() {
                return Ok(Some(parse(&body)?));
            }
            if let Some(l) =
                headers.get_optional_str(&azure_core::headers::HeaderName::from_static("location"))
            {
                next = Some(azure_core::Url::parse(l).or_else(|_| s.url(l))?);
            }
            let Some(url) = next.clone() else {
                return Ok(None);
            };
            let wait = retry_after(&headers)
                .unwrap_or(Duration::from_secs(1))
                .min(Duration::from_secs(5));
            tokio::time::sleep(wait).await;
            (status, headers, body) = s.send(Method::Get, url, None).await?;
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn down_on_any_rule_wins_and_ids_ignore_case() {
        let a = json!({"up": 1, "down": 1, "loadBalancerBackendAddresses": [
            {"networkInterfaceIPConfigurationId": "/S/RG/nic1/ipConfigurations/c", "state": "Up"},
            {"networkInterfaceIPConfigurationId": "/s/rg/nic2/ipconfigurations/c", "state": "Down"}]});
        let b = json!({"loadBalancerBackendAddresses": [
            {"networkInterfaceIPConfigurationId": "/s/rg/NIC1/ipconfigurations/c", "state": "Down"},
            {"networkInterfaceIPConfigurationId": "/s/rg/nic3/ipconfigurations/c", "state": "Up"},
            {"networkInterfaceIPConfigurationId": "/s/rg/nic4/ipconfigurations/c", "state": "Unknown"}]});
        let m = merge(&[a, b]);
        assert_eq!(m["/s/rg/nic1/ipconfigurations/c"], "Down");
        assert_eq!(m["/s/rg/nic2/ipconfigurations/c"], "Down");
        assert_eq!(m["/s/rg/nic3/ipconfigurations/c"], "Up");
        assert!(!m.contains_key("/s/rg/nic4/ipconfigurations/c"));
    }
}
