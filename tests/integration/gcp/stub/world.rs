//! The stub's state: projects with their instances, disks, target pools and forwarding rules
//! (each kept as the JSON Compute would answer), the Operations in flight, and what a test
//! asked for (faults, throttling, an operation that ends in error, unreachable zones).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use serde_json::{json, Value};

use super::wire::{self, fingerprint, region_url, zone_url};

pub type Key = (String, String);
pub type Change = Box<dyn FnOnce(&mut Project) + Send>;

#[derive(Default)]
pub struct Project {
    /// (zone, name) → Instance.
    pub instances: BTreeMap<Key, Value>,
    /// (zone, name) → Disk.
    pub disks: BTreeMap<Key, Value>,
    /// (region, name) → TargetPool.
    pub pools: BTreeMap<Key, Value>,
    /// (region, name) → ForwardingRule.
    pub rules: BTreeMap<Key, Value>,
    /// Networks, subnetworks and firewall rules.
    pub nets: super::networks::Nets,
    /// ("global", name) → global ForwardingRule.
    pub global_rules: BTreeMap<Key, Value>,
    /// (region or "global", name) → BackendService.
    pub services: BTreeMap<Key, Value>,
    /// (zone, name) → the instance URLs of a zonal InstanceGroup.
    pub groups: BTreeMap<Key, Vec<String>>,
    /// ("global", name) → TargetHttpProxy / TargetHttpsProxy / UrlMap.
    pub http_proxies: BTreeMap<Key, Value>,
    pub https_proxies: BTreeMap<Key, Value>,
    pub url_maps: BTreeMap<Key, Value>,
}

/// One failure the stub gives instead of an answer, to requests whose path contains `path`
/// (and whose method is `method`, when given), `times` times.
#[derive(Debug, Clone)]
pub struct Fault {
    pub method: Option<&'static str>,
    pub path: String,
    pub status: u16,
    pub reason: &'static str,
    pub times: u32,
}

/// Where an Operation is kept.
#[derive(Debug, Clone, Copy)]
pub enum Loc<'a> {
    Zone(&'a str),
    Region(&'a str),
    Global,
}

pub struct Operation {
    pub project: String,
    pub json: Value,
    pub polls_left: u32,
    pub done: Option<Change>,
    pub fail: Option<(String, String)>,
}

pub struct World {
    pub projects: BTreeMap<String, Project>,
    /// Projects the caller may not read: every call answers 403 forbidden.
    pub forbidden: BTreeSet<String>,
    /// Every zone the stub knows; aggregated lists name each (empty ones with a warning).
    pub zones: Vec<String>,
    pub unreachables: Vec<String>,
    /// name → (guestCpus, memoryMb).
    pub machine_types: BTreeMap<String, (i32, i32)>,
    pub ops: HashMap<String, Operation>,
    /// How many reads of a new Operation see it RUNNING before it is DONE.
    pub op_polls: u32,
    /// The next Operation ends DONE with this error (`code`, `message`) and changes nothing.
    pub fail_next_op: Option<(String, String)>,
    /// The next setLabels finds the labels changed by someone else (its fingerprint stale).
    pub labels_change_behind: bool,
    pub faults: Vec<Fault>,
    /// (project, family) → the family's newest Image (`images.getFromFamily`).
    pub images: BTreeMap<Key, Value>,
    /// Every `requestId` changes carried, in order (repeats included).
    pub request_ids: Vec<String>,
    /// `requestId` → the first answer to it, given again to a repeat.
    pub answered: HashMap<String, (u16, Value)>,
    /// The next change whose path contains this is carried out, but answered 503 (its answer
    /// lost on the way), once.
    pub lose_answer: Option<String>,
    /// Every `Authorization` header received, in order.
    pub authorizations: Vec<String>,
    /// Every request: method and path (query left out).
    pub requests: Vec<(String, String)>,
    /// Time spent inside the handler, summed.
    pub serving: Duration,
    next: u64,
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

impl World {
    pub fn new() -> Self {
        World {
            projects: BTreeMap::new(),
            forbidden: BTreeSet::new(),
            zones: [
                "us-central1-a",
                "us-central1-b",
                "us-central1-c",
                "europe-west1-b",
                "europe-west1-c",
                "asia-east1-a",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            unreachables: Vec::new(),
            machine_types: [
                ("e2-micro", (2, 1024)),
                ("e2-small", (2, 2048)),
                ("e2-medium", (2, 4096)),
                ("n2-standard-4", (4, 16384)),
                ("n2-standard-8", (8, 32768)),
            ]
            .iter()
            .map(|(n, s)| (n.to_string(), *s))
            .collect(),
            ops: HashMap::new(),
            op_polls: 1,
            fail_next_op: None,
            labels_change_behind: false,
            faults: Vec::new(),
            images: [(
                ("debian-cloud".to_string(), "debian-12".to_string()),
                json!({
                    "kind": "compute#image",
                    "id": "6181195218163120000",
                    "name": "debian-12-bookworm-v20261110",
                    "family": "debian-12",
                    "status": "READY",
                    "diskSizeGb": "10",
                    "architecture": "X86_64",
                    "selfLink": format!("{}/global/images/debian-12-bookworm-v20261110", wire::project_url("debian-cloud")),
                }),
            )]
            .into_iter()
            .collect(),
            request_ids: Vec::new(),
            answered: HashMap::new(),
            lose_answer: None,
            authorizations: Vec::new(),
            requests: Vec::new(),
            serving: Duration::ZERO,
            next: 1000,
        }
    }

    pub fn next_id(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    /// A uint64 id as Compute spells it: a string, beyond 2^53 like the real ones.
    pub fn new_id(&mut self) -> String {
        (7_000_000_000_000_000_000u64 + self.next_id()).to_string()
    }

    pub fn project(&mut self, p: &str) -> &mut Project {
        self.projects.entry(p.to_string()).or_default()
    }

    #[allow(clippy::too_many_arguments)] // one per field of the JSON it writes
    pub fn instance_json(
        &mut self,
        project: &str,
        zone: &str,
        name: &str,
        machine: &str,
        status: &str,
        labels: Value,
        spot: bool,
    ) -> Value {
        let n = self.next_id();
        let z = zone_url(project, zone);
        json!({
            "kind": "compute#instance",
            "id": self.new_id(),
            "creationTimestamp": "2026-11-30T08:15:00.000-08:00",
            "name": name,
            "zone": z,
            "machineType": format!("{z}/machineTypes/{machine}"),
            "status": status,
            "labels": labels,
            "labelFingerprint": fingerprint(n),
            "fingerprint": fingerprint(n + 1),
            "scheduling": {
                "provisioningModel": if spot { "SPOT" } else { "STANDARD" },
                "preemptible": spot,
                "onHostMaintenance": if spot { "TERMINATE" } else { "MIGRATE" },
                "automaticRestart": !spot,
            },
            "networkInterfaces": [{
                "kind": "compute#networkInterface",
                "name": "nic0",
                "network": format!("{}/global/networks/default", wire::project_url(project)),
                "networkIP": format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
                "fingerprint": fingerprint(n + 2),
                "accessConfigs": [{
                    "kind": "compute#accessConfig",
                    "type": "ONE_TO_ONE_NAT",
                    "name": "External NAT",
                    "natIP": format!("34.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
                    "networkTier": "PREMIUM",
                }],
            }],
            "disks": [],
            "selfLink": format!("{z}/instances/{name}"),
            "cpuPlatform": "Intel Broadwell",
        })
    }

    #[allow(clippy::too_many_arguments)] // one per field of the JSON it writes
    pub fn disk_json(
        &mut self,
        project: &str,
        zone: &str,
        name: &str,
        size: i64,
        kind: &str,
        status: &str,
        labels: Value,
    ) -> Value {
        let n = self.next_id();
        let z = zone_url(project, zone);
        json!({
            "kind": "compute#disk",
            "id": self.new_id(),
            "creationTimestamp": "2026-11-30T08:15:00.000-08:00",
            "name": name,
            "sizeGb": size.to_string(),
            "zone": z,
            "status": status,
            "type": format!("{z}/diskTypes/{kind}"),
            "labels": labels,
            "labelFingerprint": fingerprint(n),
            "users": [],
            "physicalBlockSizeBytes": "4096",
            "selfLink": format!("{z}/disks/{name}"),
        })
    }

    /// `n` running instances of project `p`, spread over `zones`, each with a boot disk
    /// (listed on the instance; the disks themselves only when `with_disks`).
    pub fn seed(&mut self, p: &str, zones: &[&str], n: usize, with_disks: bool) {
        let types = ["e2-small", "e2-medium", "n2-standard-4", "custom-4-8192"];
        for i in 0..n {
            let zone = zones[i % zones.len()];
            let name = format!("vm-{i:05}");
            let machine = types[i % types.len()];
            let mut v = self.instance_json(
                p,
                zone,
                &name,
                machine,
                if i % 5 == 4 { "TERMINATED" } else { "RUNNING" },
                json!({"env": if i % 2 == 0 { "prod" } else { "dev" }, "seq": i.to_string()}),
                i % 7 == 3,
            );
            let boot = format!("{}/disks/{name}", zone_url(p, zone));
            v["disks"] = json!([{"kind": "compute#attachedDisk", "type": "PERSISTENT", "mode": "READ_WRITE", "source": boot, "deviceName": "persistent-disk-0", "index": 0, "boot": true, "autoDelete": true, "interface": "SCSI", "diskSizeGb": "10"}]);
            if with_disks {
                let mut d = self.disk_json(p, zone, &name, 10, "pd-balanced", "READY", json!({}));
                d["users"] = json!([v["selfLink"].clone()]);
                self.project(p).disks.insert((zone.into(), name.clone()), d);
            }
            self.project(p).instances.insert((zone.into(), name), v);
        }
    }

    /// Start an Operation on `target`: `now` happens at once, `done` when it is DONE. When the
    /// test asked for a failing one, neither happens and it ends with that error.
    pub fn operation(
        &mut self,
        project: &str,
        location: Loc<'_>,
        kind: &str,
        target: &str,
        now: Option<Change>,
        done: Option<Change>,
    ) -> (u16, Value) {
        let n = self.next_id();
        let name = format!("operation-{n}-5f3a9c{:x}", n * 7919);
        let fail = self.fail_next_op.take();
        if fail.is_none() {
            if let Some(now) = now {
                now(self.project(project));
            }
        }
        let mut op = json!({
            "kind": "compute#operation",
            "id": self.new_id(),
            "name": name,
            "operationType": kind,
            "targetLink": target,
            "status": "RUNNING",
            "progress": 0,
            "user": "nephos-test@example.iam.gserviceaccount.com",
            "insertTime": "2026-12-07T00:00:00.000-08:00",
            "startTime": "2026-12-07T00:00:00.100-08:00",
        });
        let scope = match location {
            Loc::Zone(z) => {
                op["zone"] = json!(zone_url(project, z));
                zone_url(project, z)
            }
            Loc::Region(r) => {
                op["region"] = json!(region_url(project, r));
                region_url(project, r)
            }
            Loc::Global => format!("{}/global", wire::project_url(project)),
        };
        op["selfLink"] = json!(format!("{scope}/operations/{name}"));
        self.ops.insert(
            name,
            Operation {
                project: project.to_string(),
                json: op.clone(),
                polls_left: self.op_polls,
                done,
                fail,
            },
        );
        (200, op)
    }

    /// Read an Operation: RUNNING for its first reads, then DONE (its change made, or its
    /// error set). `finish` makes it DONE at once (`wait`).
    pub fn poll(&mut self, name: &str, finish: bool) -> Option<Value> {
        let op = self.ops.get_mut(name)?;
        if op.json["status"] == "DONE" {
            return Some(op.json.clone());
        }
        if op.polls_left > 0 && !finish {
            op.polls_left -= 1;
            op.json["progress"] = json!(50);
            return Some(op.json.clone());
        }
        op.json["status"] = json!("DONE");
        op.json["progress"] = json!(100);
        op.json["endTime"] = json!("2026-12-07T00:00:02.000-08:00");
        let project = op.project.clone();
        let done = op.done.take();
        if let Some((code, message)) = op.fail.clone() {
            op.json["error"] = json!({"errors": [{"code": code, "message": message}]});
            op.json["httpErrorStatusCode"] = json!(400);
            op.json["httpErrorMessage"] = json!("BAD REQUEST");
        }
        let failed = op.fail.is_some();
        let out = op.json.clone();
        if !failed {
            if let Some(done) = done {
                done(self.project(&project));
            }
        }
        Some(out)
    }

    /// The first fault matching this request, used up once.
    pub fn take_fault(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self.faults.iter().position(|f| {
            f.times > 0 && path.contains(&f.path) && f.method.is_none_or(|m| m == method)
        })?;
        self.faults[i].times -= 1;
        let f = self.faults[i].clone();
        if self.faults[i].times == 0 {
            self.faults.remove(i);
        }
        Some(f)
    }

    /// Requests whose path contains `part`.
    pub fn count(&self, method: &str, part: &str) -> usize {
        self.requests
            .iter()
            .filter(|(m, p)| m == method && p.contains(part))
            .count()
    }
}
