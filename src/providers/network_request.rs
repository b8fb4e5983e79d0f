//! Changes to networks, as [`super::CloudProvider::apply_network`] takes them. They travel as
//! [`super::Request::Network`], so policy, the journal and `--wait` treat them like every other
//! action; each provider's `apply` forwards them to `apply_network`.

use crate::domain::network::{
    check_cidr, cidr_within, is_world, Direction, NetKind, NetRef, PortRange, RuleAction,
    SecurityGroup, SENSITIVE_PORTS,
};
use crate::domain::{ActionRef, Op, Str};

use super::{Applied, ErrorKind, OperationHandle, ProviderError};

/// One ingress rule as nephos adds or removes it: one protocol, one port range, one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressRule {
    /// `tcp` or `udp`.
    pub protocol: Str,
    pub ports: PortRange,
    pub source: Str,
}

impl IngressRule {
    /// An allowing ingress rule of `g` lets exactly this traffic in (protocol, port range,
    /// source): what removing it takes away.
    pub fn is_in(&self, g: &SecurityGroup) -> bool {
        g.rules.iter().any(|r| {
            r.direction == Direction::Ingress
                && r.action == RuleAction::Allow
                && r.protocol.eq_ignore_ascii_case(&self.protocol)
                && r.ports == Some(self.ports)
                && r.sources.contains(&self.source)
        })
    }

    /// A protocol nephos adds rules for and a source that is a CIDR block.
    pub fn validate(&self) -> Result<(), ProviderError> {
        if !matches!(self.protocol.as_str(), "tcp" | "udp") {
            return Err(ProviderError::new(
                ErrorKind::Invalid,
                format!(
                    "protocol '{}' is not one nephos adds rules for (tcp or udp)",
                    self.protocol
                ),
            ));
        }
        check_cidr(&self.source).map_err(|m| ProviderError::new(ErrorKind::Invalid, m))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NetworkRequest {
    /// A network with one subnet in `region`, tagged `created-by=nephos`. GCP networks are
    /// global (custom mode, `cidr` unused: only the subnet has a range).
    CreateNetwork {
        account: String,
        name: String,
        region: String,
        cidr: String,
        subnet_cidr: String,
    },
    /// Delete a network nephos made, with its subnets; any other network is refused.
    DeleteNetwork {
        network: NetRef,
    },
    AddIngressRule {
        group: NetRef,
        rule: IngressRule,
    },
    RemoveIngressRule {
        group: NetRef,
        rule: IngressRule,
    },
}

/// What an accepted network change returns: what it acted on (or made), and the operation to
/// follow where the cloud answers with one (GCP, Azure).
#[derive(Debug, Clone, PartialEq)]
pub struct NetApplied {
    pub target: NetRef,
    pub operation: Option<OperationHandle>,
}

/// The answer `apply` gives for a network change: the network part as its target, no listed
/// resource, the same operation.
impl From<NetApplied> for Applied {
    fn from(n: NetApplied) -> Self {
        Applied {
            target: ActionRef::Network(n.target),
            resource: None,
            operation: n.operation,
        }
    }
}

impl NetworkRequest {
    /// The operation, as capabilities, the journal and the policy name it.
    pub fn op(&self) -> Op {
        match self {
            NetworkRequest::CreateNetwork { .. } => Op::CreateNetwork,
            NetworkRequest::DeleteNetwork { .. } => Op::DeleteNetwork,
            NetworkRequest::AddIngressRule { .. } => Op::AddIngressRule,
            NetworkRequest::RemoveIngressRule { .. } => Op::RemoveIngressRule,
        }
    }

    /// The verb, in the words the journal and confirmations use.
    pub fn verb(&self) -> &'static str {
        self.op().as_str()
    }

    /// Needs a confirmation: deleting a network, removing a rule (traffic that worked stops).
    /// Opening a sensitive port to the world is not destructive but asks too (see
    /// [`Self::opens_to_world`]).
    pub fn dangerous(&self) -> bool {
        self.op().dangerous()
    }

    /// The name of what it changes: the new network's, else the last part of the ref's id.
    pub fn name(&self) -> &str {
        match self {
            NetworkRequest::CreateNetwork { name, .. } => name,
            _ => self.subject().map_or("", NetRef::short_name),
        }
    }

    /// The network or security group changed (none for a create).
    pub fn subject(&self) -> Option<&NetRef> {
        match self {
            NetworkRequest::CreateNetwork { .. } => None,
            NetworkRequest::DeleteNetwork { network } => Some(network),
            NetworkRequest::AddIngressRule { group, .. }
            | NetworkRequest::RemoveIngressRule { group, .. } => Some(group),
        }
    }

    /// An added rule that lets the whole internet reach a sensitive port (SSH, RDP, databases):
    /// the port and what listens there. Such a rule will be a security finding.
    pub fn opens_to_world(&self) -> Option<(u16, &'static str)> {
        let NetworkRequest::AddIngressRule { rule, .. } = self else {
            return None;
        };
        if rule.protocol != "tcp" || !is_world(&rule.source) {
            return None;
        }
        SENSITIVE_PORTS
            .iter()
            .find(|(port, _)| rule.ports.contains(*port))
            .copied()
    }

    /// One line for confirmations and errors.
    pub fn describe(&self) -> String {
        match self {
            NetworkRequest::CreateNetwork {
                name,
                region,
                cidr,
                subnet_cidr,
                ..
            } => format!("create network {name} ({cidr}) with subnet {subnet_cidr} in {region}"),
            NetworkRequest::DeleteNetwork { network } => format!("delete network {network}"),
            NetworkRequest::AddIngressRule { group, rule } => format!(
                "allow {}/{} from {} into {group}",
                rule.protocol, rule.ports, rule.source
            ),
            NetworkRequest::RemoveIngressRule { group, rule } => format!(
                "remove the rule allowing {}/{} from {} into {group}",
                rule.protocol, rule.ports, rule.source
            ),
        }
    }

    /// Bad input, said clearly before any call: names, CIDRs, protocols, ref kinds.
    pub fn validate(&self) -> Result<(), ProviderError> {
        let bad = |m: String| Err(ProviderError::new(ErrorKind::Invalid, m));
        match self {
            NetworkRequest::CreateNetwork {
                name,
                region,
                cidr,
                subnet_cidr,
                ..
            } => {
                let name_ok = !name.is_empty()
                    && name.len() <= 63
                    && name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !name.ends_with('-');
                if !name_ok {
                    return bad(format!(
                        "network name '{name}' must be 1-63 lower-case letters, digits and '-', starting with a letter"
                    ));
                }
                if region.is_empty() {
                    return bad("a network needs a region for its subnet".into());
                }
                for c in [cidr, subnet_cidr] {
                    check_cidr(c).map_err(|m| ProviderError::new(ErrorKind::Invalid, m))?;
                    if c.contains(':') {
                        return bad(format!("'{c}': networks are made with an IPv4 range"));
                    }
                }
                if !cidr_within(subnet_cidr, cidr) {
                    return bad(format!(
                        "the subnet's range {subnet_cidr} must lie within the network's {cidr}"
                    ));
                }
                Ok(())
            }
            NetworkRequest::DeleteNetwork { network } => kind_is(network, NetKind::Network),
            NetworkRequest::AddIngressRule { group, rule }
            | NetworkRequest::RemoveIngressRule { group, rule } => {
                kind_is(group, NetKind::SecurityGroup)?;
                rule.validate()
            }
        }
    }

    /// The account the change is made in.
    pub fn account(&self) -> &str {
        match self {
            NetworkRequest::CreateNetwork { account, .. } => account,
            NetworkRequest::DeleteNetwork { network } => &network.account,
            NetworkRequest::AddIngressRule { group, .. }
            | NetworkRequest::RemoveIngressRule { group, .. } => &group.account,
        }
    }
}

fn kind_is(r: &NetRef, want: NetKind) -> Result<(), ProviderError> {
    if r.kind == want {
        Ok(())
    } else {
        Err(ProviderError::new(
            ErrorKind::Invalid,
            format!("{r} is a {}, not a {}", r.kind.as_str(), want.as_str()),
        ))
    }
}

/// The error for deleting a network nephos did not make.
pub fn not_made_by_nephos(network: &NetRef) -> ProviderError {
    ProviderError::new(
        ErrorKind::Invalid,
        format!(
            "{network} was not made by nephos (it has no tag created-by=nephos); nephos deletes only networks it made"
        ),
    )
}

/// A name for a rule nephos adds, where the cloud names rules (GCP firewalls, Azure security
/// rules): `nephos-tcp-22-0-0-0-0-0`, lower case, at most 63 characters.
pub fn rule_name(rule: &IngressRule) -> String {
    let src: String = rule
        .source
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let ports = if rule.ports.from == rule.ports.to {
        rule.ports.from.to_string()
    } else {
        format!("{}-{}", rule.ports.from, rule.ports.to)
    };
    let mut name = format!("nephos-{}-{ports}-{src}", rule.protocol).to_ascii_lowercase();
    name.truncate(63);
    name.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProviderKind;

    fn sg() -> NetRef {
        NetRef::new(
            ProviderKind::Aws,
            "a",
            "us-east-1",
            NetKind::SecurityGroup,
            "sg-1",
        )
    }

    fn ssh(source: &str) -> IngressRule {
        IngressRule {
            protocol: "tcp".into(),
            ports: PortRange::one(22),
            source: source.into(),
        }
    }

    #[test]
    fn deleting_and_removing_are_dangerous_creating_and_adding_are_not() {
        let net = sg().as_kind(NetKind::Network, "vpc-1");
        assert!(NetworkRequest::DeleteNetwork { network: net }.dangerous());
        assert!(NetworkRequest::RemoveIngressRule {
            group: sg(),
            rule: ssh("0.0.0.0/0")
        }
        .dangerous());
        assert!(!NetworkRequest::AddIngressRule {
            group: sg(),
            rule: ssh("0.0.0.0/0")
        }
        .dangerous());
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let create = |name: &str, cidr: &str, sub: &str| NetworkRequest::CreateNetwork {
            account: "a".into(),
            name: name.into(),
            region: "us-east-1".into(),
            cidr: cidr.into(),
            subnet_cidr: sub.into(),
        };
        assert!(create("web-net", "10.0.0.0/16", "10.0.1.0/24")
            .validate()
            .is_ok());
        let e = create("Web_Net", "10.0.0.0/16", "10.0.1.0/24")
            .validate()
            .unwrap_err();
        assert!(e.message.contains("lower-case"), "{e}");
        let e = create("n", "10.0.0.0/16", "10.9.0.0/24")
            .validate()
            .unwrap_err();
        assert!(e.message.contains("within"), "{e}");
        let e = create("n", "10.0.0/16", "10.0.0.0/24")
            .validate()
            .unwrap_err();
        assert!(e.message.contains("not an IP"), "{e}");
        let mut rule = ssh("0.0.0.0/0");
        rule.protocol = "icmp".into();
        let e = NetworkRequest::AddIngressRule { group: sg(), rule }
            .validate()
            .unwrap_err();
        assert!(e.message.contains("tcp or udp"), "{e}");
        let e = NetworkRequest::AddIngressRule {
            group: sg().as_kind(NetKind::Network, "vpc-1"),
            rule: ssh("0.0.0.0/0"),
        }
        .validate()
        .unwrap_err();
        assert!(e.message.contains("not a security-group"), "{e}");
    }

    #[test]
    fn rule_names_are_valid_cloud_names() {
        assert_eq!(rule_name(&ssh("0.0.0.0/0")), "nephos-tcp-22-0-0-0-0-0");
        let wide = IngressRule {
            protocol: "udp".into(),
            ports: "1000-2000".parse().unwrap(),
            source: "2001:db8::/32".into(),
        };
        let n = rule_name(&wide);
        assert!(n.len() <= 63 && !n.ends_with('-'), "{n}");
        assert!(n.starts_with("nephos-udp-1000-2000-2001"), "{n}");
    }
}
