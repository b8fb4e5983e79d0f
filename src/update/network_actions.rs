//! The Networks pane's actions: delete a network nephos made, and add or remove an ingress rule,
//! typed in the palette as `[group] port[/udp] source` (the group may be left out when the
//! network has one). Each is a `Request::Network` through the one plan and policy: refused in
//! read-only, and deleting, removing or opening a sensitive port to the world asks (default No).

use crate::command::Command;
use crate::domain::network::{NetworkRow, PortRange, SecurityGroup};
use crate::domain::{Resource, ResourceRef};
use crate::ops::{policy, Request};
use crate::providers::network_request::not_made_by_nephos;
use crate::providers::{IngressRule, NetworkRequest};
use crate::state::{Mode, PaletteStage, State};

use super::plan::{confirm_noting, targets};
use super::stage;

const RULE_PROMPT: &str = "rule: [group] port[/udp] source, e.g. web 22 203.0.113.0/24";

/// The delete of a network row: only a network nephos made (else why not, for the plan).
pub fn delete_request(row: &NetworkRow) -> Result<Request, String> {
    if row.no_network {
        return Err(format!(
            "{}: security groups without a network, nothing to delete",
            row.network.name
        ));
    }
    if !row.network.made_by_nephos {
        return Err(not_made_by_nephos(&row.network.r#ref).message);
    }
    Ok(Request::Network(NetworkRequest::DeleteNetwork {
        network: row.network.r#ref.clone(),
    }))
}

/// The Networks pane's row a request deletes (its network's ref as a resource), so the row
/// goes when the delete is done.
pub fn row_of(req: &Request) -> Option<ResourceRef> {
    let Request::Network(NetworkRequest::DeleteNetwork { network: n }) = req else {
        return None;
    };
    Some(crate::domain::network::row_ref(n))
}

/// The selected network row, if the selection is one.
fn selected(s: &State) -> Option<NetworkRow> {
    targets(s).into_iter().find_map(|r| match r {
        Resource::Network(n) => Some(n),
        _ => None,
    })
}

/// `add-rule` / `remove-rule`: ask for the rule in the palette.
pub fn open_rule(s: &mut State, cmd: Command) {
    if selected(s).is_none() {
        s.warn(format!("{}: select a network first", cmd.name()));
        return;
    }
    stage::open_stage(
        s,
        PaletteStage::Text {
            cmd,
            prompt: RULE_PROMPT.into(),
        },
    );
}

/// The rule typed for `cmd`: to the plan, or the palette again with what was wrong.
pub fn rule(s: &mut State, cmd: Command, text: String) {
    let made = selected(s)
        .ok_or_else(|| "select a network first".to_string())
        .and_then(|row| rule_request(&row, cmd == Command::AddRule, &text));
    match made {
        Ok(req) => {
            let notes = policy::opens_to_world(&req)
                .map(|(port, service)| {
                    format!(
                        "warning: opens port {port} ({service}) to the whole internet: it will be a security finding"
                    )
                })
                .into_iter()
                .collect();
            confirm_noting(s, vec![req], notes);
        }
        Err(e) => {
            stage::open_stage(
                s,
                PaletteStage::Text {
                    cmd,
                    prompt: RULE_PROMPT.into(),
                },
            );
            if let Mode::Palette(p) = &mut s.mode {
                p.input = text;
                p.error = Some(e);
            }
        }
    }
}

/// `[group] port[/proto] source` on `row`'s groups.
fn rule_request(row: &NetworkRow, add: bool, text: &str) -> Result<Request, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let (group, port, source) = match parts[..] {
        [g, p, src] => (Some(g), p, src),
        [p, src] => (None, p, src),
        _ => return Err(format!("type {RULE_PROMPT}")),
    };
    let group = group_of(row, group)?;
    let (ports, protocol) = port.split_once('/').unwrap_or((port, "tcp"));
    let ports: PortRange = ports.parse()?;
    let rule = IngressRule {
        protocol: protocol.to_ascii_lowercase().into(),
        ports,
        source: source.into(),
    };
    rule.validate().map_err(|e| e.message)?;
    if !add && !rule.is_in(group) {
        return Err(format!(
            "no ingress rule of {} allows {}/{} from {}",
            group.name, rule.protocol, rule.ports, rule.source
        ));
    }
    let group = group.r#ref.clone();
    Ok(Request::Network(if add {
        NetworkRequest::AddIngressRule { group, rule }
    } else {
        NetworkRequest::RemoveIngressRule { group, rule }
    }))
}

/// The group named (by name or id), or the network's only one.
fn group_of<'a>(row: &'a NetworkRow, name: Option<&str>) -> Result<&'a SecurityGroup, String> {
    let names = || {
        row.groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (name, row.groups.as_slice()) {
        (_, []) => Err(format!("{} has no security group", row.network.name)),
        (None, [one]) => Ok(one),
        (None, _) => Err(format!("name the group first: {}", names())),
        (Some(n), groups) => groups
            .iter()
            .find(|g| g.name == n || g.r#ref.id_is(n))
            .ok_or_else(|| {
                format!(
                    "{} has no group '{n}' (its groups: {})",
                    row.network.name,
                    names()
                )
            }),
    }
}
