//! nephos against the AWS CLI, listing the same 5,000 instances in three regions of moto_server
//! (both from the project's .venv, which `tests/run` installs).
//!
//! `cargo bench --bench aws_list` seeds moto, then times, round after round:
//!   nephos list instances -o json           (all three regions, concurrently)
//!   aws ec2 describe-instances --region R   (once per region, one after another)
//! and prints min and median wall time of each and their ratio, in two set-ups:
//!   one server:  one moto_server holds all three regions. moto answers one call at a time
//!                (Python's GIL), so no client can list three regions faster than the sum.
//!   per region:  one moto_server per region behind a loopback router that sends each call to
//!                its region's server by the SigV4 scope, as AWS has an endpoint per region.
//! NEPHOS_BENCH_ROUNDS (default 5) and NEPHOS_BENCH_INSTANCES (default 5000) change the run.
//! Figures go in docs/performance.md.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_ec2::types as ec2;

#[allow(dead_code)] // the fault-injection half is for the tests
#[path = "../integration/aws/proxy.rs"]
mod proxy;

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const TYPES: [&str; 4] = ["t3.micro", "m5.large", "c5.xlarge", "r5.2xlarge"];
/// RunInstances calls launch this many at once (one reservation each).
const PER_CALL: usize = 50;

struct Moto(Child);
impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn venv(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".venv/bin")
        .join(name);
    assert!(
        p.exists(),
        "{} is missing: run tests/run first (it installs moto and awscli into .venv)",
        p.display()
    );
    p
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Seed `total` instances across the regions; `url(region)` is where each region's calls go.
async fn seed(url: impl Fn(&str) -> String, total: usize) {
    let mut tasks = Vec::new();
    for (ri, region) in REGIONS.iter().enumerate() {
        let url = url(region);
        let share = total / REGIONS.len() + usize::from(ri < total % REGIONS.len());
        let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_string()))
            .endpoint_url(&url)
            .credentials_provider(aws_credential_types::Credentials::new(
                "testing", "testing", None, None, "bench",
            ))
            .load()
            .await;
        let client = aws_sdk_ec2::Client::new(&conf);
        tasks.push(tokio::spawn(async move {
            let mut left = share;
            let mut n = 0;
            while left > 0 {
                let count = left.min(PER_CALL) as i32;
                client
                    .run_instances()
                    .image_id("ami-760aaa0f")
                    .instance_type(ec2::InstanceType::from(TYPES[n % TYPES.len()]))
                    .min_count(count)
                    .max_count(count)
                    .tag_specifications(
                        ec2::TagSpecification::builder()
                            .resource_type(ec2::ResourceType::Instance)
                            .tags(
                                ec2::Tag::builder()
                                    .key("Name")
                                    .value(format!("bench-{n}"))
                                    .build(),
                            )
                            .tags(ec2::Tag::builder().key("env").value("bench").build())
                            .build(),
                    )
                    .send()
                    .await
                    .expect("seed RunInstances");
                left -= count as usize;
                n += 1;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

fn time(mut f: impl FnMut()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.stderr(Stdio::inherit()).output().expect("run");
    assert!(out.status.success(), "{cmd:?} failed: {}", out.status);
    out.stdout
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    (v[0].as_secs_f64(), v[v.len() / 2].as_secs_f64())
}

fn start_moto() -> (Moto, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let moto = Moto(
        Command::new(venv("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while ureq::get(&format!("http://127.0.0.1:{port}/moto-api/"))
        .call()
        .is_err()
    {
        assert!(Instant::now() < deadline, "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (moto, port)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` asks for test names; there are none to list.
    }
    let rounds = env_number("NEPHOS_BENCH_ROUNDS", 5);
    let total = env_number("NEPHOS_BENCH_INSTANCES", 5000);
    let rt = tokio::runtime::Runtime::new().unwrap();
    println!(
        "aws_list: {total} instances in {} regions, {rounds} rounds",
        REGIONS.len()
    );

    {
        let (_moto, port) = start_moto();
        let url = format!("http://127.0.0.1:{port}");
        let t = Instant::now();
        rt.block_on(seed(|_| url.clone(), total));
        eprintln!("seeded one server in {:.1}s", t.elapsed().as_secs_f64());
        compare("one server", &url, total, rounds);
    }
    {
        let servers: Vec<(Moto, u16)> = REGIONS.iter().map(|_| start_moto()).collect();
        let ports: std::collections::HashMap<String, u16> = REGIONS
            .iter()
            .zip(&servers)
            .map(|(r, (_, p))| (r.to_string(), *p))
            .collect();
        let t = Instant::now();
        rt.block_on(seed(|r| format!("http://127.0.0.1:{}", ports[r]), total));
        eprintln!("seeded three servers in {:.1}s", t.elapsed().as_secs_f64());
        let router = proxy::Proxy::start_to(proxy::Upstream::ByRegion(ports));
        compare("per region", &router.url(), total, rounds);
    }
}

/// Check both list everything at `url`, then time them against each other.
fn compare(setup: &str, url: &str, total: usize, rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let aws_config = dir.path().join("aws_config");
    std::fs::write(&aws_config, "[profile bench]\naws_access_key_id = testing\naws_secret_access_key = testing\nregion = us-east-1\n").unwrap();
    let config = dir.path().join("nephos.toml");
    std::fs::write(
        &config,
        format!(
            "[[accounts]]\nname = \"bench\"\nprovider = \"aws\"\nprofile = \"bench\"\nregions = {REGIONS:?}\nendpoint_url = \"{url}\"\n"
        ),
    )
    .unwrap();
    let base = |c: &mut Command| {
        c.env("AWS_CONFIG_FILE", &aws_config)
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("NEPHOS_DATA_DIR", dir.path().join("data"))
            .env("NEPHOS_STATE_DIR", dir.path().join("state"));
    };
    let nephos = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_nephos"));
        base(&mut c);
        c.args([
            "--config",
            config.to_str().unwrap(),
            "list",
            "instances",
            "-o",
            "json",
        ]);
        c
    };
    let aws = |region: &str| {
        let mut c = Command::new(venv("aws"));
        base(&mut c);
        c.args([
            "--profile",
            "bench",
            "--endpoint-url",
            url,
            "--region",
            region,
            "--output",
            "json",
            "ec2",
            "describe-instances",
        ]);
        c
    };

    // Both see the same data.
    let listed: serde_json::Value = serde_json::from_slice(&run(&mut nephos())).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        total,
        "nephos lists every instance"
    );
    let mut seen = 0;
    for r in REGIONS {
        let v: serde_json::Value = serde_json::from_slice(&run(&mut aws(r))).unwrap();
        seen += v["Reservations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["Instances"].as_array().unwrap().len())
            .sum::<usize>();
    }
    assert_eq!(seen, total, "the AWS CLI lists every instance");

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        ours.push(time(|| {
            run(&mut nephos());
        }));
        theirs.push(time(|| {
            for r in REGIONS {
                run(&mut aws(r));
            }
        }));
    }
    let (omin, omed) = stats(ours);
    let (tmin, tmed) = stats(theirs);
    println!("{setup}:");
    println!(
        "  nephos list instances -o json (3 regions at once): min {omin:.2}s  median {omed:.2}s"
    );
    println!(
        "  aws ec2 describe-instances (3 regions in turn):    min {tmin:.2}s  median {tmed:.2}s"
    );
    println!(
        "  ratio nephos/aws (median): {:.2}  (aim: below 0.50)",
        omed / tmed
    );
}
