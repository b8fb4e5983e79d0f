//! moto_server for one test: started from the project's venv (tests/run installs it) on a free
//! loopback port, killed when the test ends. A profile file with moto's test keys goes with it.

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nephos::config::{AccountConfig, ProviderSettings};
use nephos::domain::ProviderKind;
use nephos::providers::aws::{AwsProvider, SessionSettings};
use tempfile::TempDir;

pub struct Moto {
    child: Child,
    pub port: u16,
    pub dir: TempDir,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn venv_bin(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(".venv/bin")
        .join(name);
    assert!(
        p.exists(),
        "{} is missing: run tests/run, which installs moto into .venv",
        p.display()
    );
    p
}

impl Moto {
    pub fn start() -> Moto {
        let port = free_port();
        let child = Command::new(venv_bin("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("aws_config"),
            "[profile moto]\naws_access_key_id = testing\naws_secret_access_key = testing\nregion = us-east-1\n",
        )
        .unwrap();
        let moto = Moto { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(mut r) = ureq::get(&format!("{}/moto-api/", moto.url())).call() {
                let mut s = String::new();
                let _ = r.body_mut().as_reader().read_to_string(&mut s);
                break;
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not start in 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("aws_config")
    }

    /// An adapter for an account reaching AWS at `endpoint` (moto, or a proxy in front of it).
    pub fn provider_at(&self, endpoint: &str, regions: &[&str]) -> AwsProvider {
        self.account_at(endpoint, regions, false)
    }

    /// The same account, configured read-only.
    pub fn read_only_provider(&self, regions: &[&str]) -> AwsProvider {
        self.account_at(&self.url(), regions, true)
    }

    fn account_at(&self, endpoint: &str, regions: &[&str], read_only: bool) -> AwsProvider {
        let account = AccountConfig {
            name: "dev".into(),
            provider: ProviderKind::Aws,
            read_only,
            regions: regions.iter().map(|r| r.to_string()).collect(),
            settings: ProviderSettings::Aws {
                profile: Some("moto".into()),
                endpoint_url: Some(endpoint.into()),
            },
        };
        AwsProvider::with_session(
            &account,
            read_only,
            SessionSettings {
                profile: Some("moto".into()),
                endpoint_url: Some(endpoint.into()),
                home_region: "us-east-1".into(),
                max_attempts: 4,
                initial_backoff: Duration::from_millis(50),
                config_file: Some(self.config_file()),
            },
        )
    }

    pub fn provider(&self, regions: &[&str]) -> AwsProvider {
        self.provider_at(&self.url(), regions)
    }

    /// A plain SDK client for `region`, to check effects independently of the adapter.
    pub async fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        let conf = self.sdk_config(region).await;
        aws_sdk_ec2::Client::new(&conf)
    }

    pub async fn elb(&self, region: &str) -> aws_sdk_elasticloadbalancingv2::Client {
        let conf = self.sdk_config(region).await;
        aws_sdk_elasticloadbalancingv2::Client::new(&conf)
    }

    async fn sdk_config(&self, region: &str) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_string()))
            .endpoint_url(self.url())
            .credentials_provider(aws_credential_types::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load()
            .await
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Launch `count` reservations of `per` instances each (moto pages DescribeInstances by
/// reservation), named `{prefix}-{n}`.
pub async fn seed(ec2: &aws_sdk_ec2::Client, prefix: &str, count: usize, per: i32, itype: &str) {
    use aws_sdk_ec2::types as t;
    for n in 0..count {
        ec2.run_instances()
            .image_id("ami-760aaa0f")
            .instance_type(t::InstanceType::from(itype))
            .min_count(per)
            .max_count(per)
            .tag_specifications(
                t::TagSpecification::builder()
                    .resource_type(t::ResourceType::Instance)
                    .tags(
                        t::Tag::builder()
                            .key("Name")
                            .value(format!("{prefix}-{n}"))
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .expect("seed RunInstances");
    }
}
