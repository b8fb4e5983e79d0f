//! A network's detail as lines of text, for the console's detail view and `nephos get network`:
//! its fields, its subnets (CIDR, zone), its security groups with every rule (direction,
//! protocol, ports, sources, action, priority; a rule that opens a sensitive port to the world
//! is marked), the instances in it and its findings. Lines that name an instance carry its ref.

use crate::domain::network::{Finding, NetworkRow, Rule, SecurityGroup};
use crate::domain::ResourceRef;
use crate::format;

/// The mark on a rule or finding that opens a sensitive port to the world.
pub const OPEN_MARK: &str = "!!";

fn kv(k: &str, v: impl std::fmt::Display) -> String {
    format!("{k:<16}{v}")
}

/// The findings `rule` of `g` is the cause of.
fn findings_of<'a>(n: &'a NetworkRow, g: &SecurityGroup, r: &Rule) -> Vec<&'a Finding> {
    n.findings
        .iter()
        .filter(|f| {
            f.group == g.r#ref
                && f.rule == r.name
                && r.ports.is_none_or(|p| p.contains(f.port))
                && r.sources.contains(&f.source)
        })
        .collect()
}

fn rule_line(r: &Rule, marks: &[&Finding]) -> String {
    let ports = r.ports.map_or_else(|| "all".to_string(), |p| p.to_string());
    let priority = r
        .priority
        .map_or_else(|| "-".to_string(), |p| p.to_string());
    let mut line = format!(
        "    {:<8} {:<5} {:<11} {:<20} {:<6} {:>6}  {}",
        format!("{:?}", r.direction).to_lowercase(),
        r.protocol,
        ports,
        r.sources.join(","),
        format!("{:?}", r.action).to_lowercase(),
        priority,
        r.name.as_deref().unwrap_or("-"),
    );
    if !marks.is_empty() {
        let services: Vec<String> = marks
            .iter()
            .map(|f| format!("{} {}", f.service, f.port))
            .collect();
        line.push_str(&format!(
            "  {OPEN_MARK} open to the world: {}",
            services.join(", ")
        ));
    }
    line
}

/// The lines, each with the instance it names (for drilling down); `name_of` gives an
/// instance's name where it is known.
pub fn lines(
    n: &NetworkRow,
    name_of: &dyn Fn(&ResourceRef) -> Option<String>,
) -> Vec<(String, Option<ResourceRef>)> {
    let mut out: Vec<(String, Option<ResourceRef>)> = Vec::new();
    let mut push = |l: String| out.push((l, None));
    push(kv("name", n.name()));
    push(kv("id", &n.r#ref.id));
    push(kv("provider", n.r#ref.provider));
    push(kv("account", &n.r#ref.account));
    push(kv("region", &n.r#ref.region));
    if n.no_network {
        push(kv(
            "note",
            "security groups of this scope that guard no network nephos listed",
        ));
    } else {
        let cidrs = n.network.cidrs.join(", ");
        push(kv("cidrs", if cidrs.is_empty() { "-" } else { &cidrs }));
        push(kv(
            "made by nephos",
            if n.network.made_by_nephos {
                "yes"
            } else {
                "no"
            },
        ));
    }
    push(String::new());
    push(format!("subnets ({}):", n.subnets.len()));
    if n.subnets.is_empty() {
        push("  (none listed)".into());
    }
    for s in &n.subnets {
        push(format!(
            "  {:<28} {:<18} {:<14} {}",
            s.name,
            s.cidr,
            s.zone.as_deref().unwrap_or(&s.r#ref.region),
            format::short_native_id(s.r#ref.provider, &s.r#ref.id)
        ));
    }
    push(String::new());
    push(format!("security groups ({}):", n.groups.len()));
    if n.groups.is_empty() {
        push("  (none listed)".into());
    }
    for g in &n.groups {
        push(format!(
            "  {}  {}  ({} rule{})",
            g.name,
            format::short_native_id(g.r#ref.provider, &g.r#ref.id),
            g.rules.len(),
            if g.rules.len() == 1 { "" } else { "s" }
        ));
        push(format!(
            "    {:<8} {:<5} {:<11} {:<20} {:<6} {:>6}  {}",
            "DIR", "PROTO", "PORTS", "SOURCES", "ACTION", "PRIO", "RULE"
        ));
        for r in &g.rules {
            push(rule_line(r, &findings_of(n, g, r)));
        }
    }
    push(String::new());
    push(format!("findings ({}):", n.findings.len()));
    if n.findings.is_empty() {
        push("  (no sensitive port open to the world)".into());
    }
    for f in &n.findings {
        push(format!(
            "  {OPEN_MARK} {} (port {}) open to {} by {}{}",
            f.service,
            f.port,
            f.source,
            f.group_name,
            f.rule
                .as_deref()
                .map(|r| format!(", rule {r}"))
                .unwrap_or_default()
        ));
    }
    push(String::new());
    push(format!("instances ({}):", n.members.len()));
    if n.members.is_empty() {
        push("  (none listed)".into());
    }
    for l in &n.members {
        let subnet = n.subnet_of(l).map_or("-", |s| s.name.as_str());
        let groups: Vec<&str> = n.groups_of(l).map(|g| g.name.as_str()).collect();
        let name = name_of(&l.instance).unwrap_or_default();
        out.push((
            format!(
                "  {:<24} {:<22} subnet {:<28} groups {}",
                name,
                format::short_id(&l.instance),
                subnet,
                if groups.is_empty() {
                    "-".to_string()
                } else {
                    groups.join(", ")
                }
            ),
            Some(l.instance.clone()),
        ));
    }
    out
}
