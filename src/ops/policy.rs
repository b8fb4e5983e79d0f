//! The one policy every change passes, asked by the CLI, the console's reducer and the palette
//! alike: read-only, capabilities (the operation, load balancer kinds, spot), what needs a
//! confirmation that defaults to No, and which resources need their name typed (protected
//! tags). It reads only data (an account's info and capabilities, the guardrails), so the pure
//! reducer calls it as the CLI does, and a refusal reads the same everywhere.

use crate::config::Guardrails;
use crate::domain::{Op, Resource, Tags};
use crate::providers::{AccountInfo, Capabilities};

use super::Request;

/// Why a request may not run. Its `Display` is the sentence every front end shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    ReadOnly {
        account: String,
    },
    Unsupported {
        account: String,
        op: Op,
        why: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ReadOnly { account } => {
                write!(
                    f,
                    "account '{account}' is read-only: no changes are made to it"
                )
            }
            Refusal::Unsupported { account, op, why } => {
                write!(f, "account '{account}' cannot {op}: {why}")
            }
        }
    }
}

/// May anything change in this account? (Not when it, the config or `--read-only` says so.)
pub fn writable(info: &AccountInfo) -> Result<(), Refusal> {
    if info.read_only {
        return Err(Refusal::ReadOnly {
            account: info.name.to_string(),
        });
    }
    Ok(())
}

/// May this account do `op` at all? Read-only comes first: a read-only account is refused
/// everything that changes it. (What the palette offers; [`check`] adds the request's options.)
pub fn allows(info: &AccountInfo, caps: &Capabilities, op: Op) -> Result<(), Refusal> {
    writable(info)?;
    if !caps.supports(op) {
        return Err(Refusal::Unsupported {
            account: info.name.to_string(),
            op,
            why: format!("{} offers no {op} here", info.provider),
        });
    }
    Ok(())
}

/// May `req` run on the account? [`allows`], then what the request asks for: a load balancer
/// kind the provider offers, spot capacity.
pub fn check(info: &AccountInfo, caps: &Capabilities, req: &Request) -> Result<(), Refusal> {
    let op = req.op();
    allows(info, caps, op)?;
    let unsupported = |why: String| Refusal::Unsupported {
        account: info.name.to_string(),
        op,
        why,
    };
    match req {
        Request::CreateLoadBalancer { spec, .. } if !caps.lb_kinds.contains(&spec.kind) => {
            let kinds: Vec<&str> = caps.lb_kinds.iter().map(|k| k.as_str()).collect();
            Err(unsupported(format!(
                "{} load balancers here are {}",
                info.provider,
                kinds.join(", ")
            )))
        }
        Request::CreateInstance { spec, .. } if spec.spot && !caps.spot => {
            Err(unsupported("no spot capacity".into()))
        }
        _ => Ok(()),
    }
}

/// Is the resource with `tags` protected? A protected tag's key and value match in any case
/// (`env=prod` protects `Env=PROD`).
pub fn is_protected(tags: &Tags, guard: &Guardrails) -> bool {
    guard.protected_tags.iter().any(|p| p.matches(tags))
}

/// A tag change that would take away a protection the resource has now (`env=prod` → `env=dev`,
/// or removing `env`).
fn unprotects(req: &Request, guard: &Guardrails) -> bool {
    let Request::Tag {
        target,
        set,
        remove,
    } = req
    else {
        return false;
    };
    let before = target.tags();
    let mut after = before.clone();
    for (k, v) in set.iter() {
        after.insert(k, v);
    }
    for k in remove {
        after.remove(k);
    }
    guard
        .protected_tags
        .iter()
        .any(|p| p.matches(before) && !p.matches(&after))
}

/// Needs a confirmation that defaults to No: an action that loses something, a tag change
/// that lifts a protection, or a rule that opens a sensitive port to the whole internet (not
/// destructive, but it will be a security finding: an operator says so on purpose).
pub fn dangerous(req: &Request, guard: &Guardrails) -> bool {
    req.op().dangerous() || unprotects(req, guard) || opens_to_world(req).is_some()
}

/// The sensitive port (and what listens there) that `req` opens to the whole internet, if it
/// does: every front end warns that it will be a security finding.
pub fn opens_to_world(req: &Request) -> Option<(u16, &'static str)> {
    match req {
        Request::Network(n) => n.opens_to_world(),
        _ => None,
    }
}

/// The resources of `req` whose name must be typed to confirm it: the protected resources a
/// dangerous action touches, and a protected resource whose protecting tag the request changes.
pub fn to_type(req: &Request, guard: &Guardrails) -> Vec<Resource> {
    if unprotects(req, guard) {
        return req.subjects();
    }
    if !req.op().dangerous() {
        return Vec::new();
    }
    req.subjects()
        .into_iter()
        .filter(|r| is_protected(r.tags(), guard))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ProtectedTag;
    use crate::domain::Resource;
    use crate::providers::sandbox::sample;
    use crate::providers::InstanceAction;

    fn instance_with(tags: &[(&str, &str)]) -> crate::domain::Instance {
        let (mut instances, _, _) = sample(1, 7);
        let mut i = instances.remove(0);
        i.tags = tags.iter().copied().collect();
        i
    }

    fn terminate(i: &crate::domain::Instance) -> Request {
        Request::Instance {
            target: i.clone(),
            action: InstanceAction::Terminate,
        }
    }

    fn tag(i: &crate::domain::Instance, set: &[(&str, &str)], remove: &[&str]) -> Request {
        Request::Tag {
            target: Resource::Instance(i.clone()),
            set: set.iter().copied().collect(),
            remove: remove.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn protected_tags_match_in_any_case() {
        let guard = Guardrails::default();
        for tags in [
            [("env", "prod")],
            [("env", "PROD")],
            [("Env", "prod")],
            [("ENV", "Prod")],
        ] {
            let i = instance_with(&tags);
            assert_eq!(to_type(&terminate(&i), &guard).len(), 1, "{tags:?}");
        }
        let dev = instance_with(&[("env", "dev")]);
        assert!(to_type(&terminate(&dev), &guard).is_empty());
        let any_owner = Guardrails {
            protected_tags: vec![ProtectedTag::parse("Owner")],
            ..Guardrails::default()
        };
        assert!(is_protected(
            &instance_with(&[("owner", "x")]).tags,
            &any_owner
        ));
    }

    #[test]
    fn changing_or_removing_the_protecting_tag_needs_the_name_typed() {
        let guard = Guardrails::default();
        let prod = instance_with(&[("Env", "Prod"), ("team", "web")]);
        for req in [
            tag(&prod, &[("Env", "dev")], &[]),
            tag(&prod, &[], &["Env"]),
            tag(&prod, &[("Env", "")], &[]),
        ] {
            assert!(dangerous(&req, &guard), "{}", req.describe());
            assert_eq!(to_type(&req, &guard).len(), 1, "{}", req.describe());
        }
        // Other tags, or keeping the protection, ask nothing more than before.
        for req in [
            tag(&prod, &[("team", "api")], &[]),
            tag(&prod, &[("Env", "PROD")], &[]),
        ] {
            assert!(!dangerous(&req, &guard), "{}", req.describe());
            assert!(to_type(&req, &guard).is_empty());
        }
        // Adding protection to an unprotected resource is not dangerous.
        let dev = instance_with(&[("env", "dev")]);
        assert!(!dangerous(&tag(&dev, &[("env", "prod")], &[]), &guard));
    }

    #[test]
    fn read_only_comes_before_capabilities() {
        let i = instance_with(&[]);
        let (mut info, caps) = (
            AccountInfo {
                name: "a".into(),
                provider: crate::domain::ProviderKind::Azure,
                sandbox: true,
                read_only: true,
                native_id: String::new(),
                regions: vec![],
            },
            Capabilities::all_ops(vec![], std::time::Duration::from_secs(1)),
        );
        let req = terminate(&i);
        assert_eq!(
            check(&info, &caps, &req).unwrap_err().to_string(),
            "account 'a' is read-only: no changes are made to it"
        );
        info.read_only = false;
        assert_eq!(check(&info, &caps, &req), Ok(()));
        let none = Capabilities {
            ops: Default::default(),
            ..caps
        };
        assert_eq!(
            check(&info, &none, &req).unwrap_err().to_string(),
            "account 'a' cannot terminate: azure offers no terminate here"
        );
    }

    fn net(kind: crate::domain::network::NetKind, id: &str) -> crate::domain::network::NetRef {
        crate::domain::network::NetRef::new(
            crate::domain::ProviderKind::Gcp,
            "a",
            "global",
            kind,
            id,
        )
    }

    fn network_requests(source: &str, port: u16) -> Vec<Request> {
        use crate::domain::network::{NetKind, PortRange};
        use crate::providers::{IngressRule, NetworkRequest as N};
        let rule = IngressRule {
            protocol: "tcp".into(),
            ports: PortRange::one(port),
            source: source.into(),
        };
        let group = net(NetKind::SecurityGroup, "web-net");
        vec![
            N::CreateNetwork {
                account: "a".into(),
                name: "web-net".into(),
                region: "us-central1".into(),
                cidr: "10.0.0.0/16".into(),
                subnet_cidr: "10.0.1.0/24".into(),
            },
            N::DeleteNetwork {
                network: net(NetKind::Network, "web-net"),
            },
            N::AddIngressRule {
                group: group.clone(),
                rule: rule.clone(),
            },
            N::RemoveIngressRule { group, rule },
        ]
        .into_iter()
        .map(Request::Network)
        .collect()
    }

    #[test]
    fn network_changes_are_refused_in_read_only_and_where_the_provider_lacks_them() {
        let mut info = AccountInfo {
            name: "a".into(),
            provider: crate::domain::ProviderKind::Gcp,
            sandbox: true,
            read_only: true,
            native_id: String::new(),
            regions: vec![],
        };
        let caps = Capabilities::all_ops(vec![], std::time::Duration::from_secs(1));
        for req in network_requests("10.0.0.0/8", 8080) {
            assert!(
                matches!(check(&info, &caps, &req), Err(Refusal::ReadOnly { .. })),
                "{}",
                req.describe()
            );
        }
        info.read_only = false;
        let mut no_delete = caps.clone();
        no_delete.ops.remove(&Op::DeleteNetwork);
        for req in network_requests("10.0.0.0/8", 8080) {
            assert_eq!(check(&info, &caps, &req), Ok(()), "{}", req.describe());
            let lacks = check(&info, &no_delete, &req);
            assert_eq!(lacks.is_err(), req.op() == Op::DeleteNetwork);
        }
    }

    #[test]
    fn deleting_a_network_removing_a_rule_and_opening_ssh_to_the_world_ask_first() {
        let guard = Guardrails::default();
        let asks = |source: &str, port: u16| -> Vec<Op> {
            network_requests(source, port)
                .iter()
                .filter(|r| dangerous(r, &guard))
                .map(|r| r.op())
                .collect()
        };
        assert_eq!(
            asks("10.0.0.0/8", 22),
            [Op::DeleteNetwork, Op::RemoveIngressRule]
        );
        assert_eq!(
            asks("0.0.0.0/0", 443),
            [Op::DeleteNetwork, Op::RemoveIngressRule]
        );
        assert_eq!(
            asks("0.0.0.0/0", 22),
            [Op::DeleteNetwork, Op::AddIngressRule, Op::RemoveIngressRule]
        );
        let rdp = network_requests("::/0", 3389);
        assert_eq!(opens_to_world(&rdp[2]), Some((3389, "RDP")));
        // Networks have no typed-name protection (their requests carry no tags).
        assert!(network_requests("0.0.0.0/0", 22)
            .iter()
            .all(|r| to_type(r, &guard).is_empty()));
    }
}
