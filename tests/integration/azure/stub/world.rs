//! The ARM stub's state: resources as ARM shapes them, and the long-running operations that
//! change them. Shapes follow the examples of Azure/azure-rest-api-specs (MIT), read one file
//! at a time:
//! * compute ComputeRP/stable/2024-07-01/examples/virtualMachineExamples/
//!   VirtualMachine_Get_InstanceView.json, VirtualMachine_ListAll_MinimumSet_Gen.json,
//!   VirtualMachine_Deallocate_MinimumSet_Gen.json (202 + location),
//!   VirtualMachine_AttachDetachDataDisks_MaximumSet_Gen.json, VirtualMachine_Get.json;
//! * DiskRP/stable/2024-03-02/examples/diskExamples/Disk_ListBySubscription.json, Disk_Get.json;
//! * network stable/2024-07-01 (2024-03-01) examples LoadBalancerGet.json,
//!   NetworkInterfaceListAll.json, PublicIpAddressListAll.json.
//!
//! The fixtures are nephos's own, shaped like those; nothing was copied.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use serde_json::{json, Value};

/// What an operation does to the world when it ends.
pub type Effect = Box<dyn FnOnce(&mut World) + Send>;

/// A long-running operation: reads InProgress at least once, then ends (running its effect).
pub struct Op {
    pub polls: u32,
    pub started: Instant,
    pub effect: Option<Effect>,
    pub failure: Option<(String, String)>,
    pub done: bool,
}

#[derive(Clone)]
pub struct VmRec {
    pub model: Value,
    pub power: String,
    pub provisioning: String,
}

pub struct World {
    pub base: String,
    /// Subscriptions the principal may read; any other answers 403 AuthorizationFailed.
    pub readable: HashSet<String>,
    pub groups: HashSet<String>,
    pub vms: BTreeMap<String, VmRec>,
    pub disks: BTreeMap<String, Value>,
    pub nics: BTreeMap<String, Value>,
    pub pips: BTreeMap<String, Value>,
    pub lbs: BTreeMap<String, Value>,
    pub vnets: BTreeMap<String, Value>,
    /// Network security groups, their rules inside (`properties.securityRules`).
    pub nsgs: BTreeMap<String, Value>,
    pub ops: HashMap<String, Op>,
    pub next_op: u64,
    pub page_size: usize,
    pub retry_after: u64,
    /// Answer this many next requests 429 with Retry-After.
    pub throttle: u32,
    /// statusOnly=true answers carry only id, name and the instance view (no model).
    pub status_only_bare: bool,
    /// Changes answer with Location only (no Azure-AsyncOperation), as some ARM actions do.
    pub location_only: bool,
    /// Every request: method and path with query.
    pub requests: Vec<(String, String)>,
    pub ip_seq: u32,
    /// Another writer changes the NIC (a tag, a new etag) just before each of the next N NIC
    /// PUTs, so an `If-Match` on the etag read before fails with 412.
    pub nic_races: u32,
    /// The `If-Match` header of every NIC PUT, in order.
    pub nic_if_match: Vec<Option<String>>,
    pub etag_seq: u64,
    /// The tags each resource group was created with (lower-cased id).
    pub group_tags: BTreeMap<String, Value>,
    /// What an operation's `operationResults` URL answers once done (the rule health API).
    pub results: HashMap<String, Value>,
    /// NIC IP configurations (lower-cased ids) whose health probe fails.
    pub probe_down: HashSet<String>,
}

pub fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// The id as ARM spells it in back-references: the resource group upper-cased.
pub fn back_ref(id: &str) -> String {
    let mut parts: Vec<String> = id.split('/').map(str::to_string).collect();
    if let Some(i) = parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("resourceGroups"))
    {
        if let Some(g) = parts.get_mut(i + 1) {
            *g = g.to_ascii_uppercase();
        }
    }
    parts.join("/")
}

pub const SIZES: [(&str, u32, u32); 5] = [
    ("Standard_B1s", 1, 1024),
    ("Standard_B2s", 2, 4096),
    ("Standard_D2s_v5", 2, 8192),
    ("Standard_D4s_v5", 4, 16384),
    ("Standard_NoCapacity", 2, 4096),
];

impl World {
    pub fn new(base: &str) -> World {
        World {
            base: base.to_string(),
            readable: HashSet::new(),
            groups: HashSet::new(),
            vms: BTreeMap::new(),
            disks: BTreeMap::new(),
            nics: BTreeMap::new(),
            pips: BTreeMap::new(),
            lbs: BTreeMap::new(),
            vnets: BTreeMap::new(),
            nsgs: BTreeMap::new(),
            ops: HashMap::new(),
            next_op: 1,
            page_size: 50,
            retry_after: 0,
            throttle: 0,
            status_only_bare: false,
            location_only: false,
            requests: Vec::new(),
            ip_seq: 10,
            nic_races: 0,
            nic_if_match: Vec::new(),
            etag_seq: 1,
            group_tags: BTreeMap::new(),
            results: HashMap::new(),
            probe_down: HashSet::new(),
        }
    }

    /// A fresh etag, spelt as the Network RP spells them.
    pub fn next_etag(&mut self) -> String {
        self.etag_seq += 1;
        format!("W/\"5e0d1f3c-0000-4000-8000-{:012x}\"", self.etag_seq)
    }

    pub fn rg_id(sub: &str, rg: &str) -> String {
        format!("/subscriptions/{sub}/resourceGroups/{rg}")
    }

    /// Start an operation; its URLs go in the 202's headers.
    pub fn start_op(
        &mut self,
        sub: &str,
        location: &str,
        provider: &str,
        effect: impl FnOnce(&mut World) + Send + 'static,
        failure: Option<(String, String)>,
    ) -> (String, String) {
        let id = format!("{:08x}-0000-4000-8000-{:012x}", self.next_op, self.next_op);
        self.next_op += 1;
        self.ops.insert(
            id.clone(),
            Op {
                polls: 0,
                started: Instant::now(),
                effect: Some(Box::new(effect)),
                failure,
                done: false,
            },
        );
        let base = format!(
            "{}/subscriptions/{sub}/providers/{provider}/locations/{location}",
            self.base
        );
        (
            format!("{base}/operations/{id}?api-version=2024-07-01"),
            format!("{base}/operationResults/{id}?api-version=2024-07-01"),
        )
    }

    pub fn finish_op(&mut self, id: &str) {
        let effect = match self.ops.get_mut(id) {
            Some(op) if !op.done => {
                op.done = true;
                op.effect.take()
            }
            _ => None,
        };
        if let Some(f) = effect {
            f(self);
        }
    }

    /// Operations nobody polls still end (after 2 s), as Azure's do.
    pub fn advance(&mut self) {
        let due: Vec<String> = self
            .ops
            .iter()
            .filter(|(_, o)| !o.done && o.started.elapsed().as_secs() >= 2)
            .map(|(k, _)| k.clone())
            .collect();
        for id in due {
            self.finish_op(&id);
        }
    }

    pub fn next_ip(&mut self) -> u32 {
        self.ip_seq += 1;
        self.ip_seq
    }

    /// A VM as ARM answers it, with its instance view when asked.
    pub fn render_vm(&self, v: &VmRec, view: bool) -> Value {
        let mut m = v.model.clone();
        let prov = match v.provisioning.as_str() {
            "succeeded" => "Succeeded",
            "creating" => "Creating",
            "deleting" => "Deleting",
            "updating" => "Updating",
            _ => "Failed",
        };
        m["properties"]["provisioningState"] = json!(prov);
        if view {
            let power_words = match v.power.as_str() {
                "running" => "VM running",
                "deallocated" => "VM deallocated",
                "stopped" => "VM stopped",
                "starting" => "VM starting",
                "deallocating" => "VM deallocating",
                _ => "VM stopping",
            };
            m["properties"]["instanceView"] = json!({
                "computerName": m["name"],
                "statuses": [
                    {"code": format!("ProvisioningState/{}", v.provisioning), "level": "Info",
                     "displayStatus": format!("Provisioning {}", v.provisioning)},
                    {"code": format!("PowerState/{}", v.power), "level": "Info", "displayStatus": power_words}
                ]
            });
        }
        m
    }

    /// A load balancer with its pools' backendIPConfigurations, from the NICs that name them
    /// (ids with the group upper-cased, as ARM gives them).
    pub fn render_lb(&self, lb: &Value) -> Value {
        let mut lb = lb.clone();
        if let Some(pools) = lb
            .pointer_mut("/properties/backendAddressPools")
            .and_then(Value::as_array_mut)
        {
            for pool in pools {
                let pid = lower(pool["id"].as_str().unwrap_or_default());
                let mut configs = Vec::new();
                for nic in self.nics.values() {
                    for c in nic["properties"]["ipConfigurations"]
                        .as_array()
                        .into_iter()
                        .flatten()
                    {
                        let member = c["properties"]["loadBalancerBackendAddressPools"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .any(|p| lower(p["id"].as_str().unwrap_or_default()) == pid);
                        if member {
                            configs.push(
                                json!({"id": back_ref(c["id"].as_str().unwrap_or_default())}),
                            );
                        }
                    }
                }
                pool["properties"]["backendIPConfigurations"] = Value::Array(configs);
            }
        }
        lb
    }

    /// Seed `n` running VMs spread over `locations` in `sub`/`rg`, each with a NIC, every
    /// third with a public IP and every fourth with an attached data disk.
    pub fn seed(&mut self, sub: &str, rg: &str, n: usize, locations: &[&str]) {
        self.groups.insert(lower(&Self::rg_id(sub, rg)));
        for i in 0..n {
            let loc = locations[i % locations.len()];
            let name = format!("vm-{i:05}");
            let size = SIZES[i % 4].0;
            let rgid = Self::rg_id(sub, rg);
            let nic_id = format!("{rgid}/providers/Microsoft.Network/networkInterfaces/{name}-nic");
            let vm_id = format!("{rgid}/providers/Microsoft.Compute/virtualMachines/{name}");
            let etag = self.next_etag();
            let mut nic = json!({
                "name": format!("{name}-nic"), "id": nic_id, "location": loc, "etag": etag,
                "type": "Microsoft.Network/networkInterfaces",
                "properties": {"provisioningState": "Succeeded", "primary": true,
                    "virtualMachine": {"id": back_ref(&vm_id)},
                    "ipConfigurations": [{"name": "ipconfig1", "id": format!("{nic_id}/ipConfigurations/ipconfig1"),
                        "properties": {"privateIPAddress": format!("10.0.{}.{}", i / 250, i % 250 + 4),
                            "privateIPAllocationMethod": "Dynamic", "primary": true}}]}
            });
            if i % 3 == 0 {
                let pip_id =
                    format!("{rgid}/providers/Microsoft.Network/publicIPAddresses/{name}-ip");
                nic["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"] =
                    json!({"id": back_ref(&pip_id)});
                self.pips.insert(lower(&pip_id), json!({
                    "name": format!("{name}-ip"), "id": pip_id, "location": loc,
                    "sku": {"name": "Standard"},
                    "properties": {"ipAddress": format!("20.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                        "publicIPAllocationMethod": "Static", "provisioningState": "Succeeded"}
                }));
            }
            self.nics.insert(lower(&nic_id), nic);
            let mut data_disks = Vec::new();
            if i % 4 == 0 {
                let disk_id = format!("{rgid}/providers/Microsoft.Compute/disks/{name}-data");
                self.disks.insert(lower(&disk_id), json!({
                    "name": format!("{name}-data"), "id": disk_id, "location": loc,
                    "type": "Microsoft.Compute/disks", "zones": ["1"],
                    "managedBy": back_ref(&vm_id), "sku": {"name": "Premium_LRS", "tier": "Premium"},
                    "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 64,
                        "diskState": "Attached", "provisioningState": "Succeeded",
                        "timeCreated": "2024-05-01T10:00:00.0000000+00:00"}
                }));
                data_disks.push(json!({"lun": 2, "name": format!("{name}-data"), "createOption": "Attach",
                    "caching": "None", "managedDisk": {"id": back_ref(&disk_id), "storageAccountType": "Premium_LRS"},
                    "diskSizeGB": 64, "toBeDetached": false}));
            }
            let model = json!({
                "name": name, "id": vm_id, "type": "Microsoft.Compute/virtualMachines",
                "location": loc, "zones": ["1"], "tags": {"env": if i % 2 == 0 { "prod" } else { "dev" }},
                "properties": {
                    "vmId": format!("{i:08x}-0000-4000-8000-000000000000"),
                    "hardwareProfile": {"vmSize": size},
                    "storageProfile": {
                        "imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"},
                        "osDisk": {"osType": "Linux", "name": format!("{name}-os"), "createOption": "FromImage",
                            "caching": "ReadWrite", "managedDisk": {"storageAccountType": "StandardSSD_LRS"}, "diskSizeGB": 30},
                        "dataDisks": data_disks
                    },
                    "osProfile": {"computerName": name, "adminUsername": "azureuser"},
                    "networkProfile": {"networkInterfaces": [{"id": nic_id}]},
                    "priority": if i % 5 == 0 { "Spot" } else { "Regular" },
                    "timeCreated": "2024-05-01T10:00:00.1234567+00:00"
                }
            });
            let power = if i % 7 == 3 {
                "deallocated"
            } else if i % 7 == 5 {
                "stopped"
            } else {
                "running"
            };
            self.vms.insert(
                lower(&vm_id),
                VmRec {
                    model,
                    power: power.into(),
                    provisioning: "succeeded".into(),
                },
            );
        }
    }
}
