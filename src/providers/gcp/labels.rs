//! Tags are GCP labels, set with `setLabels` and the resource's current `labelFingerprint`. A
//! stale fingerprint (someone changed the labels in between) is answered 412: the labels are
//! read again and the change retried once. The operation is followed to its end (setLabels is
//! quick), so the next read shows the new labels.

use google_cloud_gax::options::RequestOptionsBuilder as _;

use crate::providers::gcp::session::request_id;
use std::collections::BTreeMap;

use bytes::Bytes;
use google_cloud_compute_v1::model;

use super::listing::zone_of;
use super::{errors, operations, step_wait, GcpProvider};
use crate::domain::{ResourceKind, ResourceRef, Tags};
use crate::providers::{Applied, ErrorKind, Result};

impl GcpProvider {
    async fn current_labels(
        &self,
        r: &ResourceRef,
    ) -> Result<(std::collections::HashMap<String, String>, Option<Bytes>)> {
        Ok(match r.kind {
            ResourceKind::Instance => {
                let v = self.get_instance(zone_of(r)?, &r.id).await?;
                (v.labels, v.label_fingerprint)
            }
            ResourceKind::Disk => {
                let d = self.get_disk(zone_of(r)?, &r.id).await?;
                (d.labels, d.label_fingerprint)
            }
            ResourceKind::LoadBalancer => {
                let f = self.get_forwarding_rule(r).await?;
                (f.labels, f.label_fingerprint)
            }
            ResourceKind::Network => return Err(crate::providers::list_kind::networks_elsewhere()),
        })
    }

    async fn send_labels(
        &self,
        r: &ResourceRef,
        labels: BTreeMap<String, String>,
        fingerprint: Option<Bytes>,
    ) -> Result<model::Operation> {
        let c = self.session.clients().await?;
        let p = self.project();
        let sent = match r.kind {
            ResourceKind::Instance => {
                c.instances
                    .set_labels()
                    .set_project(p)
                    .set_zone(zone_of(r)?)
                    .set_instance(r.id.as_str())
                    .set_body(
                        model::InstancesSetLabelsRequest::new()
                            .set_labels(labels)
                            .set_or_clear_label_fingerprint(fingerprint),
                    )
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
            ResourceKind::Disk => {
                c.disks
                    .set_labels()
                    .set_project(p)
                    .set_zone(zone_of(r)?)
                    .set_resource(r.id.as_str())
                    .set_body(
                        model::ZoneSetLabelsRequest::new()
                            .set_labels(labels)
                            .set_or_clear_label_fingerprint(fingerprint),
                    )
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
            ResourceKind::LoadBalancer => {
                c.forwarding_rules
                    .set_labels()
                    .set_project(p)
                    .set_region(r.region.as_str())
                    .set_resource(r.id.as_str())
                    .set_body(
                        model::RegionSetLabelsRequest::new()
                            .set_labels(labels)
                            .set_or_clear_label_fingerprint(fingerprint),
                    )
                    .set_request_id(request_id())
                    .with_idempotency(true)
                    .send()
                    .await
            }
            ResourceKind::Network => return Err(crate::providers::list_kind::networks_elsewhere()),
        };
        sent.map_err(errors::from_sdk)
    }

    pub(super) async fn set_labels(
        &self,
        r: &ResourceRef,
        set: &Tags,
        remove: &[String],
    ) -> Result<Applied> {
        let mut retried = false;
        loop {
            let (current, fingerprint) = self.current_labels(r).await?;
            let mut labels: BTreeMap<String, String> = current.into_iter().collect();
            for k in remove {
                labels.remove(k);
            }
            for (k, v) in set.iter() {
                labels.insert(k.to_string(), v.to_string());
            }
            match self.send_labels(r, labels, fingerprint).await {
                Ok(op) => {
                    let c = self.session.clients().await?;
                    let (poll, limit) = step_wait(&self.session.settings);
                    let h = operations::finish(c, self.project(), &op, poll, limit).await?;
                    return Ok(Applied::to(r.clone(), Some(h)));
                }
                // 412: the labels changed since we read them; read again, once.
                Err(e) if e.kind == ErrorKind::Busy && !retried => {
                    tracing::debug!(error = %e, "stale label fingerprint; re-reading");
                    retried = true;
                }
                Err(e) => return Err(e),
            }
        }
    }
}
