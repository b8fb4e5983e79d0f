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

/// The fixture's estate, with the GCP network `prod-vpc` made by nephos.
fn with_a_network_nephos_made() -> State {
    let mut s = fixture::state(24);
    let mut sets = crate::state::fixture_networks::sets(&s);
    for set in &mut sets {
        for n in &mut set.networks {
            if n.name == "prod-vpc" {
                n.made_by_nephos = true;
            }
        }
    }
    crate::state::fixture_networks::deliver_sets(&mut s, sets);
    key(&mut s, '5');
    s
}

/// `select`, from a pane that already has a filter typed.
fn reselect(s: &mut State, name: &str) {
    key(s, '/');
    for _ in 0..64 {
        code(s, KeyCode::Backspace);
    }
    typed(s, &format!("name:{name}"));
    code(s, KeyCode::Enter);
    assert_eq!(selected_name(s), name);
}

fn palette_labels(s: &mut State) -> Vec<String> {
    key(s, ':');
    let Mode::Palette(p) = &s.mode else { panic!() };
    let PaletteStage::Commands { items } = &p.stage else {
        panic!()
    };
    let labels = items.iter().map(|i| i.label()).collect();
    code(s, KeyCode::Esc);
    labels
}

fn ctrl_d(s: &mut State) -> Vec<Effect> {
    update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    )
}

fn palette_run(s: &mut State, command: &str, text: &str) -> Vec<Effect> {
    key(s, ':');
    typed(s, command);
    code(s, KeyCode::Enter);
    typed(s, text);
    code(s, KeyCode::Enter)
}

#[test]
fn deleting_a_network_nephos_made_asks_with_no_as_default_and_others_are_not_offered() {
    use crate::providers::NetworkRequest as N;
    let mut s = with_a_network_nephos_made();
    select(&mut s, "prod-vpc");
    assert!(ctrl_d(&mut s).is_empty());
    let Mode::Confirm(c) = &s.mode else {
        panic!("asks first: {:?}", s.mode)
    };
    assert!(c.dangerous);
    assert!(matches!(
        &c.requests[..],
        [Request::Network(N::DeleteNetwork { network })] if network.id == "prod-vpc"
    ));
    assert!(code(&mut s, KeyCode::Enter).is_empty(), "Enter is No");
    assert_eq!(s.mode, Mode::Normal);
    ctrl_d(&mut s);
    let fx = key(&mut s, 'y');
    let [Effect::Run {
        id,
        request: Request::Network(N::DeleteNetwork { .. }),
    }] = fx.as_slice()
    else {
        panic!("{fx:?}")
    };
    // Done: the row goes, and the operation says so.
    let row = s.current().selected_ref(&s.inventory).unwrap();
    update(
        &mut s,
        Action::OpFinished {
            id: *id,
            result: Ok(None),
        },
    );
    assert!(
        s.inventory.get(&row).is_none(),
        "the deleted network's row is gone"
    );
    assert!(matches!(&s.ops.last().unwrap().status, OpStatus::Succeeded(w) if w == "gone"));

    // A network nephos did not make: nothing to ask, and the reason said.
    reselect(&mut s, "main-us-east-1");
    assert!(ctrl_d(&mut s).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    let said = &s.message.as_ref().unwrap().text;
    assert!(said.contains("was not made by nephos"), "{said}");
}

#[test]
fn rules_are_typed_in_the_palette_checked_and_confirmed_when_they_open_the_world() {
    use crate::providers::NetworkRequest as N;
    let mut s = with_a_network_nephos_made();
    select(&mut s, "prod-vpc");
    let labels = palette_labels(&mut s);
    for l in ["add-rule", "remove-rule", "delete"] {
        assert!(labels.iter().any(|x| x == l), "{l} offered: {labels:?}");
    }

    // A private source on a web port: no danger, but still the plan to accept.
    palette_run(&mut s, "add-rule", "8080 203.0.113.0/24");
    let Mode::Confirm(c) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert!(!c.dangerous);
    assert!(matches!(
        &c.requests[..],
        [Request::Network(N::AddIngressRule { group, rule })]
            if group.id == "prod-vpc" && rule.ports.from == 8080 && rule.source == "203.0.113.0/24"
    ));
    let fx = yes_then(&mut s, Ok(None));
    assert!(matches!(&s.ops.last().unwrap().status, OpStatus::Succeeded(w) if w == "done"));
    // The row's rules and findings are read again at once, not at the next poll.
    assert!(fx.contains(&Effect::RefreshNow), "{fx:?}");
    assert!(s
        .inventory
        .get(&s.current().selected_ref(&s.inventory).unwrap())
        .is_some());

    // MySQL to the world: warned about, and it asks with No as the default.
    palette_run(&mut s, "add-rule", "3306 0.0.0.0/0");
    let Mode::Confirm(c) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert!(c.dangerous);
    assert!(
        c.summary
            .iter()
            .any(|l| l.contains("3306 (MySQL)") && l.contains("security finding")),
        "{:?}",
        c.summary
    );
    assert!(code(&mut s, KeyCode::Enter).is_empty(), "Enter is No");

    // Bad text and a rule that is not there keep the palette open with the reason.
    palette_run(&mut s, "add-rule", "22 somewhere");
    let Mode::Palette(p) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert!(
        p.error.as_deref().unwrap().contains("CIDR"),
        "{:?}",
        p.error
    );
    code(&mut s, KeyCode::Esc);
    palette_run(&mut s, "remove-rule", "22/udp 0.0.0.0/0");
    let Mode::Palette(p) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert!(
        p.error.as_deref().unwrap().contains("no ingress rule"),
        "{:?}",
        p.error
    );
    code(&mut s, KeyCode::Esc);

    // Removing the world-open SSH rule asks first.
    palette_run(&mut s, "remove-rule", "22 0.0.0.0/0");
    let Mode::Confirm(c) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert!(c.dangerous);
    assert!(matches!(
        &c.requests[..],
        [Request::Network(N::RemoveIngressRule { .. })]
    ));

    // An AWS network with several groups needs the group named.
    code(&mut s, KeyCode::Esc);
    reselect(&mut s, "main-us-east-1");
    palette_run(&mut s, "add-rule", "22 10.0.0.0/8");
    let Mode::Palette(p) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert!(
        p.error.as_deref().unwrap().contains("name the group first"),
        "{:?}",
        p.error
    );
    code(&mut s, KeyCode::Esc);
    palette_run(&mut s, "add-rule", "db 6432 10.0.0.0/8");
    assert!(
        matches!(&s.mode, Mode::Confirm(c) if matches!(
            &c.requests[..],
            [Request::Network(N::AddIngressRule { group, .. })] if group.id == "sg-0db"
        )),
        "{:?}",
        s.mode
    );
}

#[test]
fn read_only_hides_the_network_actions() {
    let mut s = with_a_network_nephos_made();
    for a in &mut s.accounts {
        a.info.read_only = true;
    }
    select(&mut s, "prod-vpc");
    let labels = palette_labels(&mut s);
    for l in ["add-rule", "remove-rule", "delete"] {
        assert!(!labels.iter().any(|x| x == l), "{l} hidden: {labels:?}");
    }
    ctrl_d(&mut s);
    assert_eq!(s.mode, Mode::Normal);
    assert!(s.message.as_ref().unwrap().text.contains("read-only"));
}
