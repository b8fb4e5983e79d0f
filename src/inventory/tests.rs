use chrono::Utc;

use super::*;
use crate::domain::{InstanceState, ProviderKind, Tags};
use crate::providers::{ErrorKind, ListScope};

fn vm(account: &str, region: &str, id: &str, name: &str) -> Instance {
    Instance {
        uid: None,
        r#ref: ResourceRef::new(
            ProviderKind::Aws,
            account,
            region,
            ResourceKind::Instance,
            id,
        ),
        sandbox: false,
        zone: None,
        name: name.into(),
        state: InstanceState::Running,
        provider_state: "running".into(),
        instance_type: "t3.micro".into(),
        vcpus: Some(2),
        memory_gib: Some(1.0),
        private_ip: None,
        public_ip: None,
        spot: false,
        launched_at: None,
        tags: Tags::new(),
    }
}

#[test]
fn a_fetch_replaces_only_its_own_scope() {
    let mut inv = Inventory::new();
    let east = Scope::new(
        "a",
        ListScope::aws_region("us-east-1"),
        ResourceKind::Instance,
    );
    let west = Scope::new(
        "a",
        ListScope::aws_region("us-west-2"),
        ResourceKind::Instance,
    );
    inv.apply(
        east.clone(),
        Ok(Resources::Instances(vec![
            vm("a", "us-east-1", "i-1", "one"),
            vm("a", "us-east-1", "i-2", "two"),
        ])),
        Utc::now(),
    );
    inv.apply(
        west.clone(),
        Ok(Resources::Instances(vec![vm(
            "a",
            "us-west-2",
            "i-3",
            "three",
        )])),
        Utc::now(),
    );
    assert_eq!(inv.instances.len(), 3);
    inv.apply(
        east.clone(),
        Ok(Resources::Instances(vec![vm(
            "a",
            "us-east-1",
            "i-2",
            "two",
        )])),
        Utc::now(),
    );
    assert_eq!(inv.instances.len(), 2);
    assert!(inv
        .instances
        .get(&vm("a", "us-east-1", "i-1", "").r#ref)
        .is_none());
    assert!(inv
        .instances
        .get(&vm("a", "us-west-2", "i-3", "").r#ref)
        .is_some());
}

#[test]
fn a_failed_fetch_keeps_the_rows_and_records_the_error() {
    let mut inv = Inventory::new();
    let east = Scope::new(
        "a",
        ListScope::aws_region("us-east-1"),
        ResourceKind::Instance,
    );
    inv.apply(
        east.clone(),
        Ok(Resources::Instances(vec![vm(
            "a",
            "us-east-1",
            "i-1",
            "one",
        )])),
        Utc::now(),
    );
    inv.apply(
        east.clone(),
        Err(ProviderError::new(ErrorKind::Throttled, "slow down")),
        Utc::now(),
    );
    assert_eq!(inv.instances.len(), 1, "rows survive a failure");
    let st = &inv.scopes[&east];
    assert_eq!(
        st.health(Utc::now(), std::time::Duration::from_secs(10)),
        Health::Throttled
    );
    assert_eq!(inv.failures().len(), 1);
    inv.apply(east.clone(), Ok(Resources::Instances(vec![])), Utc::now());
    assert!(inv.failures().is_empty());
    assert_eq!(inv.instances.len(), 0);
}

#[test]
fn health_goes_stale_after_three_intervals() {
    let st = ScopeStatus {
        fetched_at: Some(Utc::now() - chrono::Duration::seconds(31)),
        ..Default::default()
    };
    assert_eq!(
        st.health(Utc::now(), std::time::Duration::from_secs(10)),
        Health::Stale
    );
    assert_eq!(
        st.health(Utc::now(), std::time::Duration::from_secs(11)),
        Health::Ok
    );
    assert_eq!(
        ScopeStatus::default().health(Utc::now(), std::time::Duration::from_secs(1)),
        Health::Loading
    );
}

#[test]
fn upsert_and_remove_keep_the_index_right() {
    let mut t = Table::default();
    t.replace(
        "a",
        &ListScope::aws_region("r"),
        vec![
            vm("a", "r", "i-1", "one"),
            vm("a", "r", "i-2", "two"),
            vm("a", "r", "i-3", "three"),
        ],
    );
    let mut changed = vm("a", "r", "i-2", "two");
    changed.state = InstanceState::Stopping;
    t.upsert(changed);
    assert_eq!(
        t.get(&vm("a", "r", "i-2", "").r#ref).unwrap().state,
        InstanceState::Stopping
    );
    t.remove(&vm("a", "r", "i-1", "").r#ref);
    assert_eq!(t.len(), 2);
    assert_eq!(t.get(&vm("a", "r", "i-3", "").r#ref).unwrap().name, "three");
    t.upsert(vm("a", "s", "i-9", "nine"));
    assert_eq!(t.len(), 3);
}

/// A bucket's folded free text follows its rows: an upsert (a changed row, a new one) makes it
/// again, so a filter never reads a row's old text.
#[test]
fn a_buckets_free_text_follows_upserts() {
    let mut t = Table::default();
    t.replace(
        "a",
        &ListScope::aws_region("r"),
        vec![vm("a", "r", "i-1", "Alpha"), vm("a", "r", "i-2", "beta")],
    );
    let has = |t: &Table<Instance>, row: usize, text: &str| {
        t.bucket_text(0)
            .and_then(|f| f.row(row))
            .and_then(|r| r.contains(text, false))
    };
    assert_eq!(has(&t, 0, "alpha"), Some(true));
    t.upsert(vm("a", "r", "i-1", "gamma"));
    assert_eq!(has(&t, 0, "alpha"), Some(false));
    assert_eq!(has(&t, 0, "gamma"), Some(true));
    // A row new to the account goes to its unlisted bucket, which has its own text.
    t.upsert(vm("a", "s", "i-9", "delta"));
    assert!(!t.texts_made());
    t.make_texts(2);
    assert!(t.texts_made());
    let unlisted = (0..t.bucket_count())
        .find(|&b| t.bucket_rows(b).iter().any(|i| i.name == "delta"))
        .expect("delta's bucket");
    let text = t.bucket_text(unlisted).and_then(|f| f.row(0));
    assert_eq!(text.and_then(|r| r.contains("delta", false)), Some(true));
}

#[test]
fn select_filters_then_sorts_by_several_keys() {
    let mut t = Table::default();
    t.replace(
        "a",
        &ListScope::aws_region("r"),
        vec![
            vm("b", "r2", "i-1", "web-2"),
            vm("b", "r1", "i-2", "web-1"),
            vm("b", "r2", "i-3", "db-1"),
            vm("b", "r1", "i-4", "web-3"),
        ],
    );
    let f = Filter::parse("web").unwrap();
    let keys = SortKeys::parse("region,name:desc").unwrap();
    let names: Vec<&str> = select(t.iter(), &f, &keys)
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, ["web-3", "web-1", "web-2"]);
    let keys = SortKeys::parse("age").unwrap();
    assert_eq!(
        keys.0[0],
        SortKey {
            field: SortField::Age,
            desc: false
        },
        "age ascending is youngest first, as the console's AGE column"
    );
    assert!(SortKeys::parse("colour")
        .unwrap_err()
        .contains("sort fields are"));
    assert!(SortKeys::parse("name:up")
        .unwrap_err()
        .contains("not asc or desc"));
}

#[test]
fn keyed_sort_agrees_with_the_plain_comparison() {
    let (rows, _, _) = crate::providers::sandbox::sample(3000, 9);
    for spec in [
        "name",
        "region,name:desc",
        "vcpus:desc,memory,id",
        "state,type,zone,launched",
        "zone:desc,provider,account,region,name",
        "age,name",
        "cost:desc,id",
    ] {
        let keys = SortKeys::parse(spec).unwrap();
        let mut fast: Vec<&Instance> = rows.iter().collect();
        keys.sort(&mut fast);
        let mut plain: Vec<&Instance> = rows.iter().collect();
        plain.sort_by(|a, b| keys.compare(*a, *b));
        let ids = |v: &[&Instance]| v.iter().map(|i| i.r#ref.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&fast), ids(&plain), "{spec}");
    }
}

#[test]
fn a_row_put_in_before_its_scope_was_listed_is_taken_over_by_the_listing() {
    let mut t = Table::default();
    let project = ListScope::gcp_project("p");
    // Rows of several regions in one project's bucket.
    t.replace(
        "g",
        &project,
        vec![
            vm("g", "us-central1", "1", "a"),
            vm("g", "europe-west1", "2", "b"),
        ],
    );
    assert_eq!(
        t.get(&vm("g", "europe-west1", "2", "").r#ref).unwrap().name,
        "b"
    );
    // A create answered before any list of its scope: waits apart, found by its ref.
    let mut t2 = Table::default();
    t2.upsert(vm("g", "asia-northeast1", "3", "new"));
    assert_eq!(t2.len(), 1);
    t2.replace(
        "g",
        &project,
        vec![
            vm("g", "us-central1", "1", "a"),
            vm("g", "asia-northeast1", "3", "new"),
        ],
    );
    assert_eq!(t2.len(), 2, "listed once, not twice");
    assert_eq!(t2.iter().filter(|r| r.r#ref.id == "3").count(), 1);
    // An action's answer for a listed row replaces it in its own bucket.
    let mut stopping = vm("g", "europe-west1", "2", "b");
    stopping.state = InstanceState::Stopping;
    t.upsert(stopping);
    assert_eq!(t.len(), 2);
    assert_eq!(
        t.get(&vm("g", "europe-west1", "2", "").r#ref)
            .unwrap()
            .state,
        InstanceState::Stopping
    );
}

#[test]
fn age_is_youngest_first_and_launched_oldest_first() {
    let (rows, _, _) = crate::providers::sandbox::sample(300, 3);
    let order = |spec: &str| -> Vec<String> {
        let mut v: Vec<&Instance> = rows.iter().filter(|i| i.launched_at.is_some()).collect();
        SortKeys::parse(spec).unwrap().sort(&mut v);
        v.iter().map(|i| i.r#ref.to_string()).collect()
    };
    let by_age = order("age,id");
    let mut v: Vec<&Instance> = rows.iter().filter(|i| i.launched_at.is_some()).collect();
    v.sort_by(|a, b| b.launched_at.cmp(&a.launched_at).then(a.id().cmp(b.id())));
    let newest_first: Vec<String> = v.iter().map(|i| i.r#ref.to_string()).collect();
    assert_eq!(by_age, newest_first);
    assert_eq!(order("age:desc,id").first(), order("launched,id").first());
}

#[test]
fn cost_sorts_by_the_hourly_price() {
    let (rows, disks, _) = crate::providers::sandbox::sample(300, 3);
    let cat = crate::prices::Catalog::shared();
    let mut v: Vec<&Instance> = rows.iter().collect();
    SortKeys::parse("cost:desc").unwrap().sort(&mut v);
    let prices: Vec<f64> = v
        .iter()
        .map(|i| {
            crate::prices::estimate::instance(&cat, i)
                .hourly_usd
                .unwrap_or(-1.0)
        })
        .collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
    assert!(prices[0] > prices[prices.len() - 1]);
    let mut d: Vec<&crate::domain::Disk> = disks.iter().collect();
    SortKeys::parse("cost").unwrap().sort(&mut d);
    let prices: Vec<f64> = d
        .iter()
        .map(|x| {
            crate::prices::estimate::disk(&cat, x)
                .hourly_usd
                .unwrap_or(-1.0)
        })
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
}

#[test]
fn a_provider_that_cannot_list_networks_is_noted_not_failed() {
    let mut inv = Inventory::new();
    let nets = Scope::new(
        "corp",
        ListScope::azure_subscription("sub-1"),
        ResourceKind::Network,
    );
    inv.apply(
        nets.clone(),
        Err(ProviderError::unsupported(
            "azure (account 'corp') cannot list networks yet",
        )),
        Utc::now(),
    );
    let st = &inv.scopes[&nets];
    assert_eq!(
        st.health(Utc::now(), std::time::Duration::from_secs(60)),
        Health::Ok
    );
    assert!(inv.failures().is_empty());
    let noted: Vec<_> = inv.unsupported().map(|(s, m)| (s.clone(), m)).collect();
    assert_eq!(
        noted,
        [(nets, "azure (account 'corp') cannot list networks yet")]
    );
    // The same error for another kind is a failure.
    let vms = Scope::new(
        "corp",
        ListScope::azure_subscription("sub-1"),
        ResourceKind::Instance,
    );
    inv.apply(vms, Err(ProviderError::unsupported("no")), Utc::now());
    assert_eq!(inv.failures().len(), 1);
}
