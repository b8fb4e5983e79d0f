//! Load balancer changes: create a Standard public LB as a usable whole (public IP, frontend,
//! pool, probe, rule on 80) and delete what nephos made; register and deregister VMs through
//! their NICs' IP configurations (compared without case, as ARM spells ids in other cases).

use serde_json::json;

use super::actions::{made, model, MADE_BY};
use super::arm::{self, last_segment};
use super::convert::parts;
use super::listing::NETWORK_API;
use super::nic_pools;
use super::operations::finish;
use super::session::operation_of;
use super::AzureProvider;
use crate::domain::{Instance, LbScheme, LoadBalancer, ResourceKind, Tags};
use crate::providers::{Applied, ErrorKind, LbSpec, OperationHandle, ProviderError, Result};

impl AzureProvider {
    pub(super) async fn create_lb(&self, spec: &LbSpec) -> Result<Applied> {
        let group = self.group_for(&spec.region).await?;
        let s = &self.session;
        let lb_id = self.arm_id(&group, "Microsoft.Network/loadBalancers", &spec.name);
        let frontend = match spec.scheme {
            LbScheme::InternetFacing => {
                let ip_name = format!("{}-ip", spec.name);
                let ip_id = self.arm_id(&group, "Microsoft.Network/publicIPAddresses", &ip_name);
                let body = json!({
                    "location": spec.region,
                    "tags": made(&Tags::new()),
                    "sku": {"name": "Standard"},
                    "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}
                });
                let put = s.network.public_ip_addresses_client().create_or_update(
                    group.clone(),
                    ip_name,
                    model::<azure_mgmt_network::models::PublicIpAddress>("public IP", body)?,
                    s.subscription(),
                );
                let (_, h, _) = s
                    .raw(async { put.send().await.map(|r| r.into_raw_response()) })
                    .await?;
                finish(s, operation_of(&h)).await?;
                json!({"publicIPAddress": {"id": ip_id}})
            }
            LbScheme::Internal => {
                let subnet = self.subnet_for(&group, &spec.region).await?;
                json!({"subnet": {"id": subnet}, "privateIPAllocationMethod": "Dynamic"})
            }
        };
        let body = json!({
            "location": spec.region,
            "tags": made(&spec.tags),
            "sku": {"name": "Standard"},
            "properties": {
                "frontendIPConfigurations": [{"name": "frontend", "properties": frontend}],
                "backendAddressPools": [{"name": "pool"}],
                "probes": [{"name": "tcp-80", "properties": {"protocol": "Tcp", "port": 80,
                    "intervalInSeconds": 5, "numberOfProbes": 2}}],
                "loadBalancingRules": [{"name": "tcp-80", "properties": {
                    "frontendIPConfiguration": {"id": format!("{lb_id}/frontendIPConfigurations/frontend")},
                    "backendAddressPool": {"id": format!("{lb_id}/backendAddressPools/pool")},
                    "probe": {"id": format!("{lb_id}/probes/tcp-80")},
                    "protocol": "Tcp", "frontendPort": 80, "backendPort": 80,
                    "idleTimeoutInMinutes": 4, "enableFloatingIP": false}}]
            }
        });
        let put = s.network.load_balancers_client().create_or_update(
            group,
            spec.name.clone(),
            model::<azure_mgmt_network::models::LoadBalancer>("load balancer", body)?,
            s.subscription(),
        );
        let (_, h, _) = s
            .raw(async { put.send().await.map(|r| r.into_raw_response()) })
            .await?;
        Ok(Applied::to(
            self.made_ref(ResourceKind::LoadBalancer, &spec.region, &lb_id),
            operation_of(&h),
        ))
    }

    /// Delete a load balancer, then the public IPs nephos made for it.
    pub(super) async fn delete_lb(&self, lb: &LoadBalancer) -> Result<Applied> {
        let current: arm::Lb = arm::row(&self.get_lb(&lb.r#ref.id).await?);
        let p = parts(&lb.r#ref.id)?;
        let s = &self.session;
        let del =
            s.network
                .load_balancers_client()
                .delete(p.resource_group, p.name, p.subscription);
        let (_, h, _) = s
            .raw(async { del.send().await.map(|r| r.into_raw_response()) })
            .await?;
        let mut op = operation_of(&h);
        for f in &current.properties.frontend_ip_configurations {
            let Some(ip) = &f.properties.public_ip_address else {
                continue;
            };
            let Some(v) = super::errors::absent_ok(self.get_public_ip(&ip.id).await)? else {
                continue;
            };
            let pip: arm::PublicIp = arm::row(&v);
            if pip.tags.get(MADE_BY.0) != Some(MADE_BY.1) {
                continue;
            }
            // The IP is in use until the load balancer is gone.
            finish(s, op.take()).await?;
            let ip_parts = parts(&ip.id)?;
            let del = s.network.public_ip_addresses_client().delete(
                ip_parts.resource_group,
                ip_parts.name,
                ip_parts.subscription,
            );
            let (_, h, _) = s
                .raw(async { del.send().await.map(|r| r.into_raw_response()) })
                .await?;
            op = operation_of(&h);
        }
        Ok(Applied::to(lb.r#ref.clone(), op))
    }

    /// Add VMs to (or take them from) the load balancer's first backend pool, through their
    /// first NIC's primary IP configuration (a NIC PUT each, of the NIC's own JSON).
    pub(super) async fn change_targets(
        &self,
        lb: &LoadBalancer,
        targets: &[Instance],
        register: bool,
    ) -> Result<Applied> {
        let current: arm::Lb = arm::row(&self.get_lb(&lb.r#ref.id).await?);
        let pool = current
            .properties
            .backend_address_pools
            .first()
            .map(|p| p.id.clone())
            .ok_or_else(|| {
                ProviderError::new(
                    ErrorKind::InvalidState,
                    format!("load balancer {} has no backend pool", lb.name),
                )
            })?;
        let mut op: Option<OperationHandle> = None;
        for t in targets {
            finish(&self.session, op.take()).await?;
            let vm: arm::Vm = arm::row(&self.get_vm(&t.r#ref.id, false).await?);
            let nic_id = vm
                .properties
                .network_profile
                .as_ref()
                .and_then(|n| n.network_interfaces.first())
                .map(|n| n.id.clone())
                .ok_or_else(|| {
                    ProviderError::new(ErrorKind::InvalidState, format!("VM {} has no NIC", t.name))
                })?;
            op = self.set_pool_member(&nic_id, &pool, register).await?;
        }
        Ok(Applied::to(lb.r#ref.clone(), op))
    }

    /// Change one NIC's pool membership: GET it as JSON, change only the pool list, PUT that
    /// JSON back with `If-Match` on the etag read. ARM answers 412 when the NIC changed in
    /// between: it is read again once and the change made on what is there now.
    async fn set_pool_member(
        &self,
        nic_id: &str,
        pool: &str,
        member: bool,
    ) -> Result<Option<OperationHandle>> {
        let s = &self.session;
        let url = s.url(&format!("{nic_id}?api-version={}", NETWORK_API))?;
        for attempt in 0..2 {
            let mut nic = self.get_nic(nic_id).await?;
            if !nic_pools::set_member(&mut nic, pool, member)? {
                return Ok(None);
            }
            let if_match: Vec<_> = nic_pools::etag(&nic)
                .map(|e| ("if-match", e))
                .into_iter()
                .collect();
            match s
                .send_with(azure_core::Method::Put, url.clone(), Some(&nic), &if_match)
                .await
            {
                Ok((_, h, _)) => return Ok(operation_of(&h)),
                Err(e) if attempt == 0 && e.code.as_deref() == Some("PreconditionFailed") => {
                    tracing::debug!(
                        nic = last_segment(nic_id),
                        "NIC changed meanwhile; reading it again"
                    );
                }
                Err(e) => return Err(e),
            }
        }
        Err(ProviderError::new(
            ErrorKind::Busy,
            format!(
                "NIC {} kept changing while nephos changed its pools; try again",
                last_segment(nic_id)
            ),
        ))
    }
}
