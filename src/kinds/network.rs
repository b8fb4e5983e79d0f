//! Networks: AWS VPCs, GCP VPC networks, Azure virtual networks, each with its subnets, its
//! security groups (GCP: the network's firewall rules; Azure: NSGs) and their rules, the
//! instances in it and the findings about it (`domain::network::NetworkRow`).

use serde_json::{json, Value as Json};

use super::{short_id, Ctx, FieldDef, Kind, Listed, Tone, Value, Views};
use crate::domain::network::{Finding, NetBook, NetworkRow, Rule, SecurityGroup, Subnet};
use crate::domain::{ResourceKind, ResourceRef, Str, Tags};
use crate::filter::Field as F;
use crate::inventory::{Inventory, Row, SortField as S, Table};
use crate::prices::{Catalog, Priced};

type D = FieldDef<NetworkRow>;

/// JSON and CSV print the fields in this order (docs/cli.md): JSON lists the subnets, groups
/// (with every rule), instances and findings; CSV counts them.
const FIELDS: &[D] = &[
    D::reference(),
    D::provider().cli(3, "provider"),
    D::account().cli(4, "account"),
    D::region().console(3, "REGION", 14, 2).cli(5, "region"),
    D::new("id", |n| Value::Str(Kind::row_id(n)))
        .filter(F::Id)
        .sort(S::Id)
        .console(5, "ID", 21, 3)
        .console_cell(short_id)
        .cli(2, "id")
        .cli_cell(short_id),
    D::new("name", |n| Value::Str(Kind::row_name(n)))
        .filter(F::Name)
        .sort(S::Name)
        .console(4, "NAME", 20, 1)
        .cli(1, "name"),
    D::new("cidrs", |n| Value::List(&n.network.cidrs))
        .console(6, "CIDRS", 16, 3)
        .console_cell(cidrs)
        .cli(6, "cidrs")
        .cli_cell(cidrs),
    D::new("subnets", |n| Value::List(&n.subnets))
        .console(7, "SUBNETS", 8, 3)
        .cli(7, "subnets"),
    D::new("security_groups", |n| Value::List(&n.groups))
        .console(8, "GROUPS", 7, 3)
        .cli(8, "groups"),
    D::new("instances", |n| Value::List(n))
        .console(9, "INSTANCES", 10, 2)
        .cli(9, "instances"),
    D::new("findings", |n| Value::List(&n.findings))
        .sort(S::Findings)
        .console(10, "FINDINGS", 10, 1)
        .console_cell(findings)
        .cli(10, "findings")
        .cli_cell(findings),
    D::new("made_by_nephos", |n| Value::Bool(n.network.made_by_nephos)),
    D::new("tags", |n| Value::Tags(&n.network.tags)).console(11, "TAGS", 30, 5),
];

fn cidrs(n: &NetworkRow, _: &Ctx<'_>) -> String {
    n.network.cidrs.join(", ")
}

/// `-` for none, else how many and the services (`2: SSH, RDP`).
fn findings(n: &NetworkRow, _: &Ctx<'_>) -> String {
    if n.findings.is_empty() {
        return "-".into();
    }
    let mut services: Vec<&str> = n.findings.iter().map(|f| f.service).collect();
    services.dedup();
    format!("{}: {}", n.findings.len(), services.join(", "))
}

impl Listed for Vec<Str> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn json(&self) -> Json {
        json!(self)
    }
    fn cell(&self) -> String {
        self.join(" ")
    }
}

impl Listed for Vec<Subnet> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn json(&self) -> Json {
        self.iter()
            .map(|s| {
                json!({
                    "ref": s.r#ref.to_string(),
                    "name": s.name,
                    "cidr": s.cidr,
                    "zone": s.zone,
                })
            })
            .collect()
    }
}

/// A rule in JSON: ports `"22"` / `"8000-8080"`, null for every port.
pub fn rule_json(r: &Rule) -> Json {
    json!({
        "name": r.name,
        "direction": r.direction,
        "protocol": r.protocol,
        "ports": r.ports.map(|p| p.to_string()),
        "sources": r.sources,
        "action": r.action,
        "priority": r.priority,
    })
}

impl Listed for Vec<SecurityGroup> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn json(&self) -> Json {
        self.iter()
            .map(|g| {
                json!({
                    "ref": g.r#ref.to_string(),
                    "name": g.name,
                    "rules": g.rules.iter().map(rule_json).collect::<Vec<_>>(),
                })
            })
            .collect()
    }
}

/// A network row as the list of its instances (each with its subnet and groups, which only
/// the row can name).
impl Listed for NetworkRow {
    fn len(&self) -> usize {
        self.members.len()
    }
    fn json(&self) -> Json {
        self.members
            .iter()
            .map(|m| {
                json!({
                    "ref": m.instance.to_string(),
                    "subnet": self.subnet_of(m).map(|s| s.r#ref.to_string()),
                    "security_groups": self.groups_of(m).map(|g| g.r#ref.to_string()).collect::<Vec<_>>(),
                })
            })
            .collect()
    }
}

impl Listed for Vec<Finding> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn json(&self) -> Json {
        serde_json::to_value(self).unwrap_or(Json::Null)
    }
}

static VIEWS: Views<NetworkRow> = Views::new();

impl Row for NetworkRow {
    fn resource_ref(&self) -> &ResourceRef {
        &self.r#ref
    }
}

/// Networks cost nothing in the price catalog.
impl Priced for NetworkRow {
    fn hourly_usd(&self, _: &Catalog) -> Option<f64> {
        None
    }
}

impl Kind for NetworkRow {
    const KIND: ResourceKind = ResourceKind::Network;
    const TITLE: &'static str = "Networks";
    const WHAT: &'static str = "network";
    const FIELDS: &'static [FieldDef<Self>] = FIELDS;
    const TONE_FIELD: S = S::Findings;

    fn table(inv: &Inventory) -> &Table<Self> {
        &inv.networks
    }
    fn views() -> &'static Views<Self> {
        &VIEWS
    }
    fn row_name(&self) -> &str {
        self.name()
    }
    fn row_id(&self) -> &str {
        &self.r#ref.id
    }
    /// A network with a sensitive port open to the world is flagged.
    fn tone(&self) -> Tone {
        if self.findings.is_empty() {
            Tone::Muted
        } else {
            Tone::Bad
        }
    }
    fn more_text(&self) -> [Option<&str>; 4] {
        let mut cidrs = self.network.cidrs.iter().map(|c| c.as_str());
        [
            None,
            Some(self.r#ref.region.as_str()),
            cidrs.next(),
            cidrs.next(),
        ]
    }
    fn tags(&self) -> &Tags {
        &self.network.tags
    }
    /// A network answers `network:` by its own name or id.
    fn in_network(&self, _: &NetBook, matches: &dyn Fn(&str) -> bool) -> bool {
        matches(self.name()) || matches(&self.r#ref.id)
    }
}
