//! `instance create` on Azure with a named SSH key, resource group and existing subnet: through
//! the adapter against the ARM stub, and through the binary (`--ssh-key`, `--resource-group`,
//! `--subnet`), including their refusal on another cloud.

use nephos::providers::{CloudProvider, CreateOptions, ErrorKind, InstanceSpec, Request};
use serde_json::{json, Value};

use super::stub::world::{back_ref, lower, World};
use super::stub::{ArmStub, RG, SUB};
use super::{account, provider, provider_for};

const KEY: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQgivenkey given@laptop";

fn vnet_id(name: &str) -> String {
    format!(
        "{}/providers/Microsoft.Network/virtualNetworks/{name}",
        World::rg_id(SUB, RG)
    )
}

/// A VNet in `RG` with the given subnets, ids spelt with the group upper-cased as ARM does.
fn add_vnet(stub: &ArmStub, name: &str, location: &str, subnets: &[&str]) {
    let id = back_ref(&vnet_id(name));
    let subs: Vec<Value> = subnets
        .iter()
        .map(|s| {
            json!({"name": s, "id": format!("{id}/subnets/{s}"),
            "properties": {"addressPrefix": "10.1.0.0/24", "provisioningState": "Succeeded"}})
        })
        .collect();
    stub.with(|w| {
        w.vnets.insert(
            lower(&id),
            json!({"name": name, "id": id, "location": location,
            "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}, "subnets": subs}}),
        )
    });
}

fn spec(name: &str, options: CreateOptions) -> Request {
    Request::CreateInstance {
        account: "corp".into(),
        spec: InstanceSpec {
            region: "eastus".into(),
            zone: None,
            instance_type: "Standard_B2s".into(),
            name: name.into(),
            image: None,
            disk_gib: None,
            spot: false,
            tags: Default::default(),
            options,
        },
    }
}

fn opts(group: Option<&str>, subnet: Option<&str>) -> CreateOptions {
    CreateOptions {
        ssh_public_key: None,
        resource_group: group.map(str::to_string),
        subnet: subnet.map(str::to_string),
    }
}

/// The subnet id of the NIC of the VM named `vm`, and the VM's key.
fn nic_subnet_and_key(stub: &ArmStub, vm: &str) -> (String, String) {
    stub.with(|w| {
        let (_, rec) = w
            .vms
            .iter()
            .find(|(k, _)| k.ends_with(&format!("/{vm}")))
            .expect("the VM");
        let m = &rec.model;
        let nic = lower(
            m.pointer("/properties/networkProfile/networkInterfaces/0/id")
                .and_then(Value::as_str)
                .unwrap(),
        );
        let subnet = w.nics[&nic]
            .pointer("/properties/ipConfigurations/0/properties/subnet/id")
            .and_then(Value::as_str)
            .unwrap()
            .to_string();
        let key = m
            .pointer("/properties/osProfile/linuxConfiguration/ssh/publicKeys/0/keyData")
            .and_then(Value::as_str)
            .unwrap()
            .to_string();
        (subnet, key)
    })
}

#[tokio::test]
async fn a_named_group_is_made_tagged_and_an_existing_subnet_elsewhere_is_used() {
    let stub = ArmStub::start();
    add_vnet(&stub, "corp-vnet", "eastus", &["apps", "db"]);
    let p = provider(&stub, &[]);
    let mut o = opts(
        Some("rg-New"),
        Some(&format!(
            "{}/subnets/db",
            vnet_id("corp-vnet").to_lowercase()
        )),
    );
    o.ssh_public_key = Some(KEY.into());
    p.apply(&spec("app-1", o)).await.unwrap();
    let (subnet, key) = nic_subnet_and_key(&stub, "app-1");
    assert_eq!(
        subnet,
        format!("{}/subnets/db", back_ref(&vnet_id("corp-vnet")))
    );
    assert_eq!(key, KEY, "the named key, not the account's default");
    stub.with(|w| {
        let g = lower(&World::rg_id(SUB, "rg-New"));
        assert_eq!(w.group_tags[&g]["made-by"], "nephos");
        assert!(
            w.vms.keys().all(|k| k.starts_with(&g)),
            "the VM is in rg-New"
        );
        assert!(
            !w.vnets.keys().any(|k| k.contains("nephos-vnet")),
            "no nephos VNet"
        );
    });
}

#[tokio::test]
async fn vnet_slash_subnet_in_an_existing_group_leaves_the_group_alone() {
    let stub = ArmStub::start();
    add_vnet(&stub, "corp-vnet", "eastus", &["apps", "db"]);
    let p = provider(&stub, &[]);
    p.apply(&spec("app-2", opts(Some(RG), Some("corp-vnet/APPS"))))
        .await
        .unwrap();
    let (subnet, _) = nic_subnet_and_key(&stub, "app-2");
    assert!(
        subnet.to_lowercase().ends_with("corp-vnet/subnets/apps"),
        "{subnet}"
    );
    let group_puts = stub.with(|w| {
        w.requests
            .iter()
            .filter(|(m, p)| m == "PUT" && lower(p).contains("/resourcegroups/rg-web?"))
            .count()
    });
    assert_eq!(
        group_puts, 0,
        "an existing group is not PUT (its tags stay)"
    );
}

#[tokio::test]
async fn bad_placements_are_refused_before_anything_is_made() {
    let stub = ArmStub::start();
    add_vnet(&stub, "corp-vnet", "eastus", &["apps", "db"]);
    add_vnet(&stub, "far-vnet", "westus", &["default"]);
    let p = provider(&stub, &[]);
    let cases: Vec<(CreateOptions, ErrorKind, &[&str])> = vec![
        (
            opts(Some(RG), Some("corp-vnet/nope")),
            ErrorKind::NotFound,
            &["nope", "apps, db"],
        ),
        (
            opts(Some(RG), Some("far-vnet/default")),
            ErrorKind::Invalid,
            &["westus", "eastus"],
        ),
        (
            opts(Some(RG), Some("no-vnet/default")),
            ErrorKind::NotFound,
            &["no-vnet"],
        ),
        (
            opts(None, Some("just-a-name")),
            ErrorKind::Invalid,
            &["VNET/SUBNET"],
        ),
        (
            opts(Some("rg-Missing"), Some("corp-vnet/apps")),
            ErrorKind::NotFound,
            &["rg-Missing", "full id"],
        ),
        (
            opts(Some("bad/name"), None),
            ErrorKind::Invalid,
            &["bad/name"],
        ),
        (
            CreateOptions {
                ssh_public_key: Some("-----BEGIN OPENSSH PRIVATE KEY-----\nsecretbits\n".into()),
                ..Default::default()
            },
            ErrorKind::Invalid,
            &["private key"],
        ),
    ];
    for (o, kind, words) in cases {
        let e = p.apply(&spec("never", o.clone())).await.unwrap_err();
        assert_eq!(e.kind, kind, "{o:?}: {e}");
        for w in words {
            assert!(e.message.contains(w), "{o:?}: '{w}' in {}", e.message);
        }
        assert!(!e.message.contains("secretbits"));
    }
    // An account limited to resource groups refuses one it would not list.
    let limited = provider_for(
        &account(&stub.url, "corp", SUB, &[], &[RG]),
        false,
        "fake-token",
    );
    let e = limited
        .apply(&spec("never", opts(Some("rg-Other"), None)))
        .await
        .unwrap_err();
    assert!(e.message.contains("resource_groups"), "{e}");
    stub.with(|w| {
        assert!(w.vms.is_empty() && w.nics.is_empty(), "nothing was made");
        assert!(!w.groups.contains(&lower(&World::rg_id(SUB, "rg-Missing"))));
    });
}

mod cli {
    use super::*;
    use crate::support::Env;

    fn config(env: &Env, body: &str) -> std::path::PathBuf {
        env.write("nephos.toml", body)
    }

    fn azure(url: &str) -> String {
        format!("[[accounts]]\nname = \"corp\"\nprovider = \"azure\"\nsubscription = \"{SUB}\"\ncredential = \"azure-cli\"\nendpoint_url = \"{url}\"\n")
    }

    const CREATE: [&str; 8] = [
        "instance",
        "create",
        "--region",
        "eastus",
        "--type",
        "Standard_B2s",
        "--name",
        "cli-vm",
    ];

    #[test]
    fn the_flags_reach_azure_and_a_missing_default_key_names_both_files() {
        let stub = ArmStub::start();
        add_vnet(&stub, "corp-vnet", "eastus", &["apps"]);
        let (env, path) = super::super::cli::env_with_az("t0k");
        let cfg = config(&env, &azure(&stub.url));
        let key = env.write("keys/work.pub", &format!("{KEY}\n"));
        let out = env
            .cmd()
            .env("PATH", &path)
            .arg("--config")
            .arg(&cfg)
            .args(CREATE)
            .arg("--ssh-key")
            .arg(&key)
            .args(["--resource-group", RG, "--subnet", "corp-vnet/apps"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let (subnet, got) = nic_subnet_and_key(&stub, "cli-vm");
        assert_eq!(got, KEY);
        assert!(subnet.ends_with("/subnets/apps"), "{subnet}");

        // No --ssh-key and no ~/.ssh (HOME is the test's own directory).
        let out = env
            .cmd()
            .env("PATH", &path)
            .arg("--config")
            .arg(&cfg)
            .args(CREATE)
            .args(["--resource-group", RG])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        for w in ["id_ed25519.pub", "id_rsa.pub", "--ssh-key"] {
            assert!(stderr.contains(w), "'{w}' in {stderr}");
        }
    }

    #[test]
    fn azure_flags_are_refused_by_name_on_another_cloud() {
        let env = Env::new();
        let cfg = config(
            &env,
            "[[accounts]]\nname = \"prod\"\nprovider = \"aws\"\nprofile = \"prod\"\nregions = [\"us-east-1\"]\n",
        );
        let out = env
            .cmd()
            .arg("--config")
            .arg(&cfg)
            .args(CREATE)
            .args(["--resource-group", "rg", "--subnet", "v/s"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("--resource-group, --subnet are only for Azure accounts")
                && stderr.contains("prod is aws"),
            "{stderr}"
        );
    }
}
