//! `nephos network create|delete|rule add|rule remove`: network changes, found through every
//! selected account's `list_networks` and run down the same path as every other action
//! (policy, confirmation, journal, `--wait`) as [`Request::Network`].

use std::sync::Arc;

use futures_util::future::join_all;

use super::super::context::Context;
use super::super::network_args::{CreateNetwork, NetworkCmd, RuleArgs, RuleCmd};
use super::super::output::warn;
use super::actions::run_batch;
use crate::domain::network::{NetRef, Network, NetworkSet};
use crate::domain::ResourceKind;
use crate::error::AppError;
use crate::ops::Request;
use crate::providers::network_request::not_made_by_nephos;
use crate::providers::{CloudProvider, IngressRule, NetworkRequest, ProviderError};

pub async fn run(ctx: &Context, cmd: NetworkCmd) -> Result<(), AppError> {
    match cmd {
        NetworkCmd::Create(c) => create(ctx, c).await,
        NetworkCmd::Delete(t) => {
            let set = networks(ctx, &t.network).await?;
            let found = pick(
                set.networks.iter().map(|n| (&n.r#ref, n.name.as_str())),
                &t.network,
                "network",
                &set,
            )?;
            let network = set.network(&found).expect("picked from the set");
            refuse_foreign(network)?;
            let req = checked(NetworkRequest::DeleteNetwork { network: found })?;
            run_batch(ctx, vec![req], Some(&t.confirm), Some(&t.wait)).await
        }
        NetworkCmd::Rule(RuleCmd::Add(r)) => rule(ctx, r, true).await,
        NetworkCmd::Rule(RuleCmd::Remove(r)) => rule(ctx, r, false).await,
    }
}

async fn create(ctx: &Context, c: CreateNetwork) -> Result<(), AppError> {
    let p = ctx.create_account()?;
    let req = checked(NetworkRequest::CreateNetwork {
        account: p.account().name.to_string(),
        name: c.name,
        region: c.region,
        cidr: c.cidr,
        subnet_cidr: c.subnet_cidr,
    })?;
    run_batch(ctx, vec![req], None, Some(&c.wait)).await
}

async fn rule(ctx: &Context, r: RuleArgs, add: bool) -> Result<(), AppError> {
    let rule = IngressRule {
        protocol: r.protocol.as_str().into(),
        ports: r.port,
        source: r.source.trim().into(),
    };
    // Bad input is said before any cloud is asked.
    rule.validate()
        .map_err(|e| AppError::usage(e.message.clone()))?;
    let set = networks(ctx, &r.group).await?;
    let group = pick(
        set.groups.iter().map(|g| (&g.r#ref, g.name.as_str())),
        &r.group,
        "security group",
        &set,
    )?;
    let req = if add {
        NetworkRequest::AddIngressRule { group, rule }
    } else {
        let g = set.group(&group).expect("picked from the set");
        if !rule.is_in(g) {
            return Err(AppError::not_found(format!(
                "no ingress rule of {} ({}) allows {}/{} from {}: nothing to remove",
                g.name, g.r#ref, rule.protocol, rule.ports, rule.source
            )));
        }
        NetworkRequest::RemoveIngressRule { group, rule }
    };
    run_batch(ctx, vec![checked(req)?], Some(&r.confirm), Some(&r.wait)).await
}

/// A request with bad input is a usage error, before anything is fetched or sent.
fn checked(req: NetworkRequest) -> Result<Request, AppError> {
    req.validate()
        .map_err(|e| AppError::usage(e.message.clone()))?;
    Ok(Request::Network(req))
}

/// Only networks nephos made are deleted: anything else is refused before it is asked.
fn refuse_foreign(n: &Network) -> Result<(), AppError> {
    if n.made_by_nephos {
        return Ok(());
    }
    Err(AppError::refused(format!(
        "refused: {} ({})",
        not_made_by_nephos(&n.r#ref).message,
        n.name
    )))
}

/// The networks of every selected account (only the one a full ref names), read at once. An
/// account that cannot be read is named on stderr; the rest still count.
async fn networks(ctx: &Context, query: &str) -> Result<NetworkSet, AppError> {
    let only = query.trim().parse::<NetRef>().ok();
    let providers: Vec<Arc<dyn CloudProvider>> = ctx
        .providers
        .iter()
        .filter(|p| only.as_ref().is_none_or(|r| p.account().name == r.account))
        .cloned()
        .collect();
    if let (Some(r), true) = (&only, providers.is_empty()) {
        return Err(AppError::usage(format!(
            "{r} names account '{}', which is not among the accounts of this run",
            r.account
        )));
    }
    let reads = join_all(
        providers
            .iter()
            .map(|p| ctx.within_deadline(p.account(), read(p.as_ref()))),
    )
    .await;
    let mut set = NetworkSet::default();
    let mut failed = Vec::new();
    for (p, got) in providers.iter().zip(reads) {
        match got {
            Ok(s) => set.extend(s),
            Err(e) => {
                warn(format_args!("{}: {e}", p.account().name));
                failed.push(p.account().name.to_string());
            }
        }
    }
    if set.networks.is_empty() && set.groups.is_empty() && !failed.is_empty() {
        return Err(AppError::failed(format!(
            "the networks of {} could not be read",
            failed.join(", ")
        )));
    }
    Ok(set)
}

/// One account's networks, in every scope networks are listed in (`list_kind::scopes`, as the
/// pollers and `list networks` read them).
async fn read(p: &dyn CloudProvider) -> Result<NetworkSet, ProviderError> {
    let scopes = crate::providers::list_kind::scopes(p, ResourceKind::Network).await?;
    let sets = join_all(scopes.iter().map(|s| p.list_networks(s))).await;
    let mut set = NetworkSet::default();
    for s in sets {
        set.extend(s?);
    }
    Ok(set)
}

/// The one of `items` (ref, name) that `query` names: by full ref, id (an Azure id without
/// case, or its last part) or name. None: "no network matches"; several: each candidate.
fn pick<'a>(
    items: impl Iterator<Item = (&'a NetRef, &'a str)>,
    query: &str,
    what: &str,
    set: &NetworkSet,
) -> Result<NetRef, AppError> {
    let q = query.trim();
    let as_ref = q.parse::<NetRef>().ok();
    let items: Vec<(&NetRef, &str)> = items.collect();
    let matches = |(r, name): &(&NetRef, &str)| match &as_ref {
        Some(want) => *r == want,
        None => r.id_is(q) || r.short_name() == q || *name == q,
    };
    let found: Vec<&(&NetRef, &str)> = items.iter().filter(|i| matches(i)).collect();
    match found.as_slice() {
        [(r, _)] => Ok((*r).clone()),
        [] => {
            let mut msg = format!("no {what} matches '{q}'");
            let known = set.networks.len() + set.groups.len();
            if known == 0 {
                msg.push_str(" (no networks were found in the selected accounts)");
            }
            Err(AppError::not_found(msg))
        }
        many => {
            let mut msg = format!("'{q}' matches {} {what}s; name one by its ref:", many.len());
            for (r, name) in many {
                msg.push_str(&format!("\n  {r}  {name}"));
            }
            Err(AppError::not_found(msg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::network::{Direction, NetKind, PortRange, Rule, RuleAction, SecurityGroup};
    use crate::domain::{ProviderKind, Tags};

    fn group(name: &str, id: &str, account: &str) -> SecurityGroup {
        SecurityGroup {
            r#ref: NetRef::new(
                ProviderKind::Aws,
                account,
                "us-east-1",
                NetKind::SecurityGroup,
                id,
            ),
            name: name.into(),
            network: None,
            rules: vec![Rule {
                name: None,
                direction: Direction::Ingress,
                protocol: "tcp".into(),
                ports: Some(PortRange::one(22)),
                sources: vec!["10.0.0.0/8".into()],
                action: RuleAction::Allow,
                priority: None,
            }],
            tags: Tags::new(),
        }
    }

    fn pick_group(set: &NetworkSet, q: &str) -> Result<NetRef, AppError> {
        pick(
            set.groups.iter().map(|g| (&g.r#ref, g.name.as_str())),
            q,
            "security group",
            set,
        )
    }

    #[test]
    fn groups_are_named_by_name_id_or_ref_and_two_of_a_name_are_listed() {
        let set = NetworkSet {
            groups: vec![
                group("web", "sg-1", "dev"),
                group("web", "sg-2", "prod"),
                group("db", "sg-3", "dev"),
            ],
            ..NetworkSet::default()
        };
        assert_eq!(pick_group(&set, "sg-3").unwrap().id, "sg-3");
        assert_eq!(pick_group(&set, "db").unwrap().id, "sg-3");
        let by_ref = pick_group(&set, "aws:prod:us-east-1:security-group:sg-2").unwrap();
        assert_eq!(by_ref.account, "prod");
        let e = pick_group(&set, "web").unwrap_err();
        assert!(e.message.contains("matches 2 security groups"), "{e:?}");
        assert!(e.message.contains("aws:dev:us-east-1:security-group:sg-1"));
        assert!(e.message.contains("aws:prod:us-east-1:security-group:sg-2"));
        let e = pick_group(&set, "nope").unwrap_err();
        assert_eq!(e.message, "no security group matches 'nope'");
    }

    #[test]
    fn only_an_allowing_rule_with_the_same_traffic_can_be_removed() {
        let g = group("web", "sg-1", "dev");
        let rule = |port: u16, source: &str| IngressRule {
            protocol: "tcp".into(),
            ports: PortRange::one(port),
            source: source.into(),
        };
        assert!(rule(22, "10.0.0.0/8").is_in(&g));
        assert!(!rule(22, "0.0.0.0/0").is_in(&g));
        assert!(!rule(23, "10.0.0.0/8").is_in(&g));
    }
}
