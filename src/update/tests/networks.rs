//! Networks on a constructed estate (`state::fixture_networks`): the pane, `network:NAME` on
//! instances (also when the networks arrive after the filter was typed), the detail view with
//! no provider call, and the security findings the Costs pane counts.

use super::*;
use crate::domain::ResourceKind;

fn with_networks() -> State {
    let mut s = fixture::state(24);
    crate::state::fixture_networks::deliver(&mut s);
    s
}

#[test]
fn the_networks_pane_lists_each_network_and_the_groups_without_one() {
    let mut s = with_networks();
    key(&mut s, '5');
    assert_eq!(s.kind(), Some(ResourceKind::Network));
    let names: Vec<String> = (0..s.current().rows.len())
        .map(|i| {
            let r = s.current().ref_at(&s.inventory, i).unwrap();
            s.inventory.get(&r).unwrap().name().to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "main-us-east-1",
            "(no network)",
            "vnet-westeurope",
            "prod-vpc"
        ],
        "sorted by account, region, name"
    );
    // Enter opens the detail view from the inventory: no describe call.
    let fx = code(&mut s, KeyCode::Enter);
    assert!(fx.is_empty(), "{fx:?}");
    let Mode::Detail(d) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    let lines = crate::state::detail_lines(d, &s.inventory, &s.catalog);
    assert!(!lines.iter().any(|l| l.contains("loading")), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("sgr-ssh") && l.contains("!! open to the world: SSH 22")),
        "{lines:#?}"
    );
    // Its instances are links: Tab picks the first, Enter opens it (and describes it).
    code(&mut s, KeyCode::Tab);
    let fx = code(&mut s, KeyCode::Enter);
    assert!(
        matches!(fx.as_slice(), [Effect::Describe(r)] if r.kind == ResourceKind::Instance),
        "{fx:?}"
    );
}

#[test]
fn network_name_filters_instances_even_when_the_networks_come_later() {
    let mut s = fixture::state(24);
    typed(&mut s, "/network:main-us-east-1");
    assert!(s.current().filter_error.is_none());
    assert!(s.current().rows.is_empty(), "no network listed yet");
    crate::state::fixture_networks::deliver(&mut s);
    let shown: Vec<_> = (0..s.current().rows.len())
        .map(|i| s.current().ref_at(&s.inventory, i).unwrap())
        .collect();
    let want = s
        .inventory
        .networks
        .iter()
        .find(|n| n.name() == "main-us-east-1")
        .unwrap()
        .instances()
        .count();
    assert_eq!(shown.len(), want);
    assert!(want > 0);
    assert!(shown
        .iter()
        .all(|r| r.provider == crate::domain::ProviderKind::Aws && r.region == "us-east-1"));
    // The instance's detail view names its network and links to it.
    let r = shown[0].clone();
    let d = crate::state::Detail::new(r);
    let links = crate::state::detail_links(&d, &s.inventory, &s.catalog);
    assert!(
        links.iter().any(|(_, r)| r.kind == ResourceKind::Network),
        "{links:?}"
    );
}

#[test]
fn the_costs_pane_counts_world_open_ports_and_the_filter_narrows_them() {
    let mut s = with_networks();
    key(&mut s, '4');
    let found: Vec<(String, &str, u16)> = s
        .costs
        .security
        .iter()
        .map(|x| (x.network_name.clone(), x.finding.service, x.finding.port))
        .collect();
    assert_eq!(
        found,
        [
            ("main-us-east-1".to_string(), "SSH", 22),
            ("prod-vpc".to_string(), "SSH", 22),
            ("(no network)".to_string(), "SSH", 22),
            ("vnet-westeurope".to_string(), "RDP", 3389),
        ],
        "GCP's Redis is denied first; the idle NSG's SSH is kept in its own row"
    );
    typed(&mut s, "/provider:azure");
    assert_eq!(s.costs.security.len(), 2);
}
