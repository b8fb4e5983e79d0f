//! `list networks`, `get network`, `findings` and `network:NAME` against the sandbox, whose
//! generated estate has networks on every cloud, one AWS security group and one GCP firewall
//! with SSH open to the world, and one Azure NSG with RDP open to the world.

use std::time::Duration;

use serde_json::Value;

use nephos::domain::network::NetKind;
use nephos::providers::sandbox::{SandboxCloud, SandboxSettings};
use nephos::providers::NetworkRequest;

use crate::support::Env;

const NETWORK_FIELDS: [&str; 13] = [
    "ref",
    "provider",
    "account",
    "region",
    "id",
    "name",
    "cidrs",
    "subnets",
    "security_groups",
    "instances",
    "findings",
    "made_by_nephos",
    "tags",
];

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array().expect("a JSON array")
}

#[test]
fn networks_json_lists_every_cloud_with_subnets_groups_rules_and_instances() {
    let env = Env::new();
    let list = env.json(&["list", "networks"]);
    let nets = rows(&list);
    for p in ["aws", "gcp", "azure"] {
        assert!(
            nets.iter().any(|n| n["provider"] == p),
            "{p} has networks: {list}"
        );
    }
    for n in nets {
        let mut keys: Vec<&str> = n.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort();
        let mut want = NETWORK_FIELDS.to_vec();
        want.sort();
        assert_eq!(keys, want, "{n}");
        let r = n["ref"].as_str().unwrap();
        assert_eq!(
            r,
            format!(
                "{}:{}:{}:network:{}",
                n["provider"].as_str().unwrap(),
                n["account"].as_str().unwrap(),
                n["region"].as_str().unwrap(),
                n["id"].as_str().unwrap()
            )
        );
        assert!(n["cidrs"].is_array() && n["findings"].is_array());
    }
    // GCP's network is global and its subnets are regional; AWS subnets each have a zone.
    let gcp = nets.iter().find(|n| n["provider"] == "gcp").unwrap();
    assert_eq!(gcp["region"], "global");
    let aws = nets
        .iter()
        .find(|n| n["provider"] == "aws" && n["region"] == "us-east-1")
        .expect("an AWS VPC in us-east-1");
    let subnet = &aws["subnets"][0];
    assert!(subnet["cidr"].as_str().unwrap().contains('/'), "{subnet}");
    assert!(subnet["zone"].as_str().unwrap().starts_with("us-east-1"));
    let web = rows(&aws["security_groups"])
        .iter()
        .find(|g| g["name"] == "web")
        .expect("the web group");
    let ssh = rows(&web["rules"])
        .iter()
        .find(|r| r["ports"] == "22")
        .expect("the SSH rule");
    assert_eq!(ssh["direction"], "ingress");
    assert_eq!(ssh["protocol"], "tcp");
    assert_eq!(ssh["action"], "allow");
    assert_eq!(ssh["sources"][0], "0.0.0.0/0");
    // Instances in it, each with its subnet and groups; every one is an instance listed.
    let instances = env.json(&["list", "instances"]);
    let listed: Vec<&str> = rows(&instances)
        .iter()
        .map(|i| i["ref"].as_str().unwrap())
        .collect();
    let inside = rows(&aws["instances"]);
    assert!(!inside.is_empty(), "{aws}");
    for i in inside {
        assert!(listed.contains(&i["ref"].as_str().unwrap()), "{i}");
        assert!(i["subnet"].as_str().unwrap().contains(":subnet:"), "{i}");
        assert!(!rows(&i["security_groups"]).is_empty(), "{i}");
    }
}

#[test]
fn networks_csv_counts_and_fields_pick_columns() {
    let env = Env::new();
    let (code, out, err) = env.run(&["list", "networks", "-o", "csv"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "ref,provider,account,region,id,name,cidrs,subnets,security_groups,instances,findings,made_by_nephos,tags"
    );
    let json = env.json(&["list", "networks"]);
    assert_eq!(lines.count(), rows(&json).len());
    let (code, out, err) = env.run(&[
        "list",
        "networks",
        "-o",
        "csv",
        "--fields",
        "name,subnets,findings",
        "--no-headers",
        "--filter",
        "provider:gcp",
    ]);
    assert_eq!(code, 0, "{err}");
    let gcp = rows(&json).iter().find(|n| n["provider"] == "gcp").unwrap();
    assert_eq!(
        out.trim(),
        format!(
            "prod-vpc,{},{}",
            rows(&gcp["subnets"]).len(),
            rows(&gcp["findings"]).len()
        )
    );
    // The table: a header and one line per network, sorted as asked.
    let (code, out, _) = env.run(&["list", "networks", "--sort", "findings:desc,name"]);
    assert_eq!(code, 0);
    let head = out.lines().next().unwrap();
    assert!(
        head.starts_with("NAME") && head.contains("SUBNETS") && head.contains("FINDINGS"),
        "{head}"
    );
    assert_eq!(out.lines().count(), rows(&json).len() + 1);
}

#[test]
fn get_network_by_name_id_and_ref_and_the_table_shows_rules_and_instances() {
    let env = Env::new();
    let list = env.json(&["list", "networks"]);
    let aws = rows(&list)
        .iter()
        .find(|n| n["provider"] == "aws" && n["region"] == "us-east-1")
        .unwrap();
    for id in [
        aws["name"].as_str().unwrap(),
        aws["id"].as_str().unwrap(),
        aws["ref"].as_str().unwrap(),
    ] {
        let got = env.json(&["get", "network", id]);
        assert_eq!(&got, aws, "get network {id}");
    }
    let (code, out, err) = env.run(&["get", "network", aws["name"].as_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for want in [
        "subnets (",
        "security groups (",
        "ingress",
        "0.0.0.0/0",
        "!! open to the world: SSH 22",
        "findings (",
        "instances (",
    ] {
        assert!(out.contains(want), "{want} in:\n{out}");
    }
    let (code, _, err) = env.run(&["get", "network", "no-such-net"]);
    assert_eq!(code, 3);
    assert!(err.contains("no network matches 'no-such-net'"), "{err}");
}

/// Two networks of one name in two AWS regions, made straight in the sandbox's world file
/// (the CLI has no network create on this branch).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_name_in_two_regions_is_ambiguous_and_lists_both_refs() {
    let env = Env::new();
    env.json(&["list", "networks"]); // the CLI makes its world first
    let cloud = SandboxCloud::open(SandboxSettings {
        dir: env.path("data/sandbox"),
        transition: Duration::from_millis(10),
        latency: Duration::ZERO,
        faults: vec![],
        azure_resource_groups: vec![],
    });
    let aws = cloud
        .providers(false)
        .into_iter()
        .find(|p| p.account().name == "sandbox-aws")
        .unwrap();
    let mut made = Vec::new();
    for (region, cidr) in [("us-east-1", "10.91.0.0/16"), ("eu-west-1", "10.92.0.0/16")] {
        let sub = cidr.replace(".0.0/16", ".1.0/24");
        let done = aws
            .apply_network(&NetworkRequest::CreateNetwork {
                account: "sandbox-aws".into(),
                name: "twin-net".into(),
                region: region.into(),
                cidr: cidr.into(),
                subnet_cidr: sub,
            })
            .await
            .expect("create a network");
        assert_eq!(done.target.kind, NetKind::Network);
        made.push(done.target.to_string());
    }
    let (code, _, err) = env.run(&["get", "network", "twin-net"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("'twin-net' matches 2 networks"), "{err}");
    for r in &made {
        assert!(err.contains(r.as_str()), "{r} named in: {err}");
    }
    let one = env.json(&["get", "network", &made[1]]);
    assert_eq!(one["region"], "eu-west-1");
    assert_eq!(one["made_by_nephos"], true);
}

#[test]
fn findings_name_the_world_open_ssh_and_rdp_in_every_format() {
    let env = Env::new();
    let found = env.json(&["findings"]);
    let all = rows(&found);
    let ssh_aws = all
        .iter()
        .find(|f| f["provider"] == "aws" && f["service"] == "SSH")
        .expect("the sandbox's AWS web group opens SSH to the world");
    assert_eq!(ssh_aws["port"], 22);
    assert_eq!(ssh_aws["source"], "0.0.0.0/0");
    assert_eq!(ssh_aws["group"], "web");
    assert_eq!(ssh_aws["rule"], "ssh");
    assert!(ssh_aws["network_ref"]
        .as_str()
        .unwrap()
        .contains(":network:vpc-"));
    assert!(ssh_aws["group_ref"]
        .as_str()
        .unwrap()
        .contains(":security-group:sg-"));
    let gcp = all
        .iter()
        .find(|f| f["provider"] == "gcp")
        .expect("the GCP firewall opens SSH");
    assert_eq!(gcp["rule"], "prod-vpc-allow-ssh");
    // GCP's Redis is denied by a rule that wins: not a finding.
    assert!(!all.iter().any(|f| f["service"] == "Redis"), "{found}");
    assert!(all
        .iter()
        .any(|f| f["provider"] == "azure" && f["service"] == "RDP" && f["source"] == "*"));
    // The findings are the networks' own.
    let nets = env.json(&["list", "networks"]);
    let counted: usize = rows(&nets).iter().map(|n| rows(&n["findings"]).len()).sum();
    assert_eq!(all.len(), counted);

    let (code, out, err) = env.run(&["findings", "-o", "csv", "--filter", "provider:aws"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "provider,account,region,network,network_ref,group,group_ref,rule,port,service,source"
    );
    let aws_rows: Vec<&str> = lines.collect();
    assert!(!aws_rows.is_empty());
    assert!(aws_rows.iter().all(|l| l.starts_with("aws,sandbox-aws,")));
    let (code, out, _) = env.run(&["findings"]);
    assert_eq!(code, 0);
    assert!(out.lines().next().unwrap().starts_with("SERVICE"), "{out}");
    assert!(out.contains("SSH") && out.contains("RDP"), "{out}");
}

#[test]
fn network_name_filters_instances_and_networks() {
    let env = Env::new();
    let nets = env.json(&["list", "networks"]);
    let aws = rows(&nets)
        .iter()
        .find(|n| n["provider"] == "aws" && n["region"] == "us-east-1")
        .unwrap();
    let name = aws["name"].as_str().unwrap();
    let mut inside: Vec<&str> = rows(&aws["instances"])
        .iter()
        .map(|i| i["ref"].as_str().unwrap())
        .collect();
    inside.sort();
    let term = format!("network:{name}");
    let listed = env.json(&["list", "instances", "--filter", &term]);
    let mut got: Vec<&str> = rows(&listed)
        .iter()
        .map(|i| i["ref"].as_str().unwrap())
        .collect();
    got.sort();
    assert!(!got.is_empty());
    assert_eq!(got, inside);
    // By the network's id too, and negated.
    let by_id = env.json(&[
        "list",
        "instances",
        "--filter",
        &format!("network:{}", aws["id"].as_str().unwrap()),
    ]);
    assert_eq!(rows(&by_id).len(), got.len());
    let all = env.json(&["list", "instances"]);
    let outside = env.json(&["list", "instances", "--filter", &format!("!{term}")]);
    assert_eq!(rows(&outside).len(), rows(&all).len() - got.len());
    // On networks it is the network's own name (a glob works).
    let one = env.json(&["list", "networks", "--filter", "network:main-us-*"]);
    assert!(rows(&one)
        .iter()
        .all(|n| n["name"].as_str().unwrap().starts_with("main-us-")));
    assert!(!rows(&one).is_empty());
}
