//! Where a new VM goes: its resource group (named with `--resource-group`, else the first
//! configured one, else `nephos-<location>`), its subnet (an existing one named with `--subnet`,
//! else the nephos VNet of the location) and the SSH key its user gets. What nephos makes here is
//! tagged `made-by=nephos`; what the user names is checked before anything is made.

use serde_json::{json, Value};

use super::actions::{model, MADE_BY};
use super::arm::ArmId;
use super::errors::absent_ok;
use super::operations::finish;
use super::session::{operation_of, parse};
use super::AzureProvider;
use crate::providers::{ssh_key, ErrorKind, InstanceSpec, ProviderError, Result};

const RESOURCES_API: &str = "2021-04-01";

fn invalid(m: String) -> ProviderError {
    ProviderError::new(ErrorKind::Invalid, m)
}

/// A name that can stand in an ARM path as it is.
fn plain_name(what: &str, name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.len() > 90
        || name.ends_with('.')
        || name
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '/' | '\\' | '?' | '#' | '%' | '&'));
    if bad {
        return Err(invalid(format!(
            "'{name}' is not a valid {what} name (1-90 letters, digits, '-', '_', '.', '(', ')'; not ending in '.')"
        )));
    }
    Ok(())
}

/// The VNet id and subnet name of `--subnet`: an ARM subnet id, or `VNET/SUBNET` in `group`.
pub fn subnet_parts(provider_id: impl Fn(&str) -> String, text: &str) -> Result<(String, String)> {
    let usage = || {
        invalid(format!(
            "--subnet '{text}' is neither a subnet id (/subscriptions/…/virtualNetworks/V/subnets/S) nor VNET/SUBNET"
        ))
    };
    if text.starts_with("/subscriptions/") {
        let lower = text.to_ascii_lowercase();
        let at = lower.find("/subnets/").ok_or_else(usage)?;
        let (vnet, subnet) = (&text[..at], &text[at + "/subnets/".len()..]);
        if !lower.contains("/providers/microsoft.network/virtualnetworks/")
            || ArmId::parse(vnet).is_none()
            || subnet.contains('/')
        {
            return Err(usage());
        }
        plain_name("subnet", subnet)?;
        return Ok((vnet.to_string(), subnet.to_string()));
    }
    let (vnet, subnet) = text.split_once('/').ok_or_else(usage)?;
    plain_name("virtual network", vnet)?;
    plain_name("subnet", subnet)?;
    Ok((provider_id(vnet), subnet.to_string()))
}

impl AzureProvider {
    /// The SSH key, resource group and subnet id of a new VM, made (and followed to their end)
    /// where nephos makes them.
    pub(super) async fn placement(&self, spec: &InstanceSpec) -> Result<(String, String, String)> {
        let o = &spec.options;
        let key = match (&o.ssh_public_key, &self.ssh_public_key) {
            (Some(k), _) => ssh_key::public_key(k, "--ssh-key")?,
            (None, Some(k)) => k.clone(),
            (None, None) => ssh_key::default_key(ssh_key::home().as_deref())?,
        };
        let (group, missing) = match &o.resource_group {
            Some(g) => {
                plain_name("resource group", g)?;
                self.check_listed(g)?;
                (g.clone(), !self.group_exists(g).await?)
            }
            None => (self.group_for(&spec.region).await?, false),
        };
        let existing = match &o.subnet {
            Some(t) => Some(
                self.existing_subnet(&group, missing, &spec.region, t)
                    .await?,
            ),
            None => None,
        };
        if missing {
            self.make_group(&group, &spec.region).await?;
        }
        let subnet = match existing {
            Some(s) => s,
            None => self.subnet_for(&group, &spec.region).await?,
        };
        Ok((key, group, subnet))
    }

    /// A group the account does not list would hide the VM from every listing: refused.
    fn check_listed(&self, group: &str) -> Result<()> {
        let groups = &self.resource_groups;
        if groups.is_empty() || groups.iter().any(|g| g.eq_ignore_ascii_case(group)) {
            return Ok(());
        }
        Err(invalid(format!(
            "resource group {group} is not among the account's resource_groups ({}): nephos would not list the VM; add it to the config first",
            groups.join(", ")
        )))
    }

    fn group_url(&self, name: &str) -> Result<azure_core::Url> {
        self.session.url(&format!(
            "/subscriptions/{}/resourcegroups/{name}?api-version={RESOURCES_API}",
            self.session.subscription()
        ))
    }

    async fn group_exists(&self, name: &str) -> Result<bool> {
        let url = self.group_url(name)?;
        let got = self.session.send(azure_core::Method::Get, url, None).await;
        Ok(absent_ok(got)?.is_some())
    }

    async fn make_group(&self, name: &str, region: &str) -> Result<()> {
        let url = self.group_url(name)?;
        let body = json!({"location": region, "tags": {MADE_BY.0: MADE_BY.1}});
        self.session
            .send(azure_core::Method::Put, url, Some(&body))
            .await?;
        Ok(())
    }

    /// The resource group new things go in when the user names none: the first configured
    /// one, else `nephos-<region>`, made (tagged) when missing.
    pub(super) async fn group_for(&self, region: &str) -> Result<String> {
        if let Some(g) = self.resource_groups.first() {
            return Ok(g.clone());
        }
        let name = format!("nephos-{region}");
        self.make_group(&name, region).await?;
        Ok(name)
    }

    /// The id of an existing subnet named by `--subnet`, checked: its VNet exists, is in the
    /// VM's location and has that subnet.
    async fn existing_subnet(
        &self,
        group: &str,
        group_missing: bool,
        region: &str,
        text: &str,
    ) -> Result<String> {
        let in_group = |v: &str| self.arm_id(group, "Microsoft.Network/virtualNetworks", v);
        let (vnet_id, subnet) = subnet_parts(in_group, text)?;
        if group_missing && !text.starts_with("/subscriptions/") {
            return Err(ProviderError::new(
                ErrorKind::NotFound,
                format!("resource group {group} does not exist, so it has no VNet for --subnet {text}: give the subnet's full id"),
            ));
        }
        let p = super::convert::parts(&vnet_id)?;
        let s = &self.session;
        let get = s.network.virtual_networks_client().get(
            p.resource_group,
            p.name.clone(),
            p.subscription,
        );
        let got = absent_ok(
            s.raw(async { get.send().await.map(|r| r.into_raw_response()) })
                .await,
        )?;
        let Some((_, _, body)) = got else {
            return Err(ProviderError::new(
                ErrorKind::NotFound,
                format!("virtual network {vnet_id} (--subnet) was not found"),
            ));
        };
        let vnet = parse(&body)?;
        let at = vnet["location"].as_str().unwrap_or_default();
        if !at.is_empty() && !at.eq_ignore_ascii_case(region) {
            return Err(invalid(format!(
                "virtual network {} is in {at} and the VM in {region}: a VM's NIC must be in its VNet's location",
                p.name
            )));
        }
        let subnets: Vec<&Value> = vnet["properties"]["subnets"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let name_of = |v: &Value| v["name"].as_str().unwrap_or_default().to_string();
        match subnets
            .iter()
            .find(|v| name_of(v).eq_ignore_ascii_case(&subnet))
        {
            Some(v) => Ok(v["id"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{vnet_id}/subnets/{}", name_of(v)))),
            None => Err(ProviderError::new(
                ErrorKind::NotFound,
                format!(
                    "virtual network {} has no subnet {subnet} (it has: {})",
                    p.name,
                    subnets
                        .iter()
                        .map(|v| name_of(v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// The nephos VNet of a region (made when missing) and its subnet's id.
    pub(super) async fn subnet_for(&self, group: &str, region: &str) -> Result<String> {
        let vnet = format!("nephos-vnet-{region}");
        let id = self.arm_id(group, "Microsoft.Network/virtualNetworks", &vnet);
        let s = &self.session;
        let nets = s.network.virtual_networks_client();
        let get = nets.get(group, vnet.clone(), s.subscription());
        let exists = super::errors::absent_ok(
            s.raw(async { get.send().await.map(|r| r.into_raw_response()) })
                .await,
        )?
        .is_some();
        if !exists {
            let body = json!({
                "location": region,
                "tags": {MADE_BY.0: MADE_BY.1},
                "properties": {
                    "addressSpace": {"addressPrefixes": ["10.42.0.0/16"]},
                    "subnets": [{"name": "default", "properties": {"addressPrefix": "10.42.0.0/24"}}]
                }
            });
            let put = nets.create_or_update(
                group,
                vnet,
                model::<azure_mgmt_network::models::VirtualNetwork>("virtual network", body)?,
                s.subscription(),
            );
            let (_, h, _) = s
                .raw(async { put.send().await.map(|r| r.into_raw_response()) })
                .await?;
            finish(s, operation_of(&h)).await?;
        }
        Ok(format!("{id}/subnets/default"))
    }
}
