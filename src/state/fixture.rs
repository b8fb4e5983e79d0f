//! A console state over a small sandbox estate at a fixed moment, for reducer and snapshot tests.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};

use super::{AccountView, State};
use crate::config::{Guardrails, Refresh};
use crate::domain::{Disk, Instance, LoadBalancer, ResourceKind};
use crate::inventory::Scope;
use crate::keymap::Keymap;
use crate::providers::sandbox::{sample, scope_of, SandboxCloud, SandboxSettings};
use crate::providers::{ListScope, Resources};
use crate::update::update;
use crate::worker::poller::PollEvent;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

pub fn accounts() -> Vec<AccountView> {
    let cloud = SandboxCloud::open(SandboxSettings {
        dir: std::env::temp_dir().join("nephos-fixture-unused"),
        transition: std::time::Duration::from_secs(3),
        latency: std::time::Duration::ZERO,
        faults: Vec::new(),
        azure_resource_groups: Vec::new(),
    });
    cloud
        .providers(false)
        .iter()
        .map(|p| AccountView {
            info: p.account().clone(),
            caps: p.capabilities().clone(),
            offerings: p.offerings(),
        })
        .collect()
}

/// `n` sandbox instances with their disks, delivered as the pollers would deliver them.
pub fn state(n: usize) -> State {
    let mut s = State::new(
        accounts(),
        Refresh::default(),
        Guardrails::default(),
        Keymap::defaults(),
        now(),
    );
    s.size = (160, 30);
    s.set_catalog(crate::prices::Catalog::shared());
    let (instances, disks, lbs) = sample(n, 42);
    deliver(&mut s, instances, disks, lbs);
    s
}

pub fn deliver(s: &mut State, instances: Vec<Instance>, disks: Vec<Disk>, lbs: Vec<LoadBalancer>) {
    for a in polls(instances, disks, lbs) {
        update(s, a);
    }
}

/// The poll results that deliver these rows, one per kind and list scope, as the pollers send them.
pub fn polls(
    instances: Vec<Instance>,
    disks: Vec<Disk>,
    lbs: Vec<LoadBalancer>,
) -> Vec<crate::action::Action> {
    let mut out = Vec::new();
    type Rows = (Vec<Instance>, Vec<Disk>, Vec<LoadBalancer>);
    let mut by: BTreeMap<(String, ListScope), Rows> = BTreeMap::new();
    for i in instances {
        by.entry((i.account().to_string(), scope_of(&i.r#ref)))
            .or_default()
            .0
            .push(i);
    }
    for d in disks {
        by.entry((d.r#ref.account.to_string(), scope_of(&d.r#ref)))
            .or_default()
            .1
            .push(d);
    }
    for l in lbs {
        by.entry((l.r#ref.account.to_string(), scope_of(&l.r#ref)))
            .or_default()
            .2
            .push(l);
    }
    for ((a, r), (is, ds, ls)) in by {
        let at = now() - chrono::Duration::seconds(4);
        out.push(crate::action::Action::Poll(PollEvent::Finished {
            scope: Scope::new(&a, r.clone(), ResourceKind::Instance),
            outcome: Ok(Resources::Instances(is)),
            at,
        }));
        out.push(crate::action::Action::Poll(PollEvent::Finished {
            scope: Scope::new(&a, r.clone(), ResourceKind::Disk),
            outcome: Ok(Resources::Disks(ds)),
            at,
        }));
        out.push(crate::action::Action::Poll(PollEvent::Finished {
            scope: Scope::new(&a, r, ResourceKind::LoadBalancer),
            outcome: Ok(Resources::LoadBalancers(ls)),
            at,
        }));
    }
    out
}
