//! Poller behaviour under paused time: every wait is exact and instant.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use async_trait::async_trait;
use tokio::time::Instant;

use super::*;
use crate::domain::{Described, ProviderKind, ResourceRef};
use crate::providers::{AccountInfo, Capabilities, Result, ScopeLevel};

/// Calls running at once, and the most seen; shared by providers to watch them together.
#[derive(Default)]
struct Gauge {
    running: AtomicUsize,
    max: AtomicUsize,
}

/// A provider whose answers the test scripts, recording when each call came and how many ran
/// at once. Its scopes are its regions.
struct Scripted {
    info: AccountInfo,
    caps: Capabilities,
    /// Its regions meter calls per region, as AWS's do.
    metered: bool,
    /// Per scope name: the outcomes to give, in order; the last repeats.
    script: HashMap<String, Vec<std::result::Result<(), ErrorKind>>>,
    calls: Mutex<Vec<(String, Instant)>>,
    took: Duration,
    running: AtomicUsize,
    max_running: AtomicUsize,
    all: Arc<Gauge>,
    region_fails: AtomicUsize,
}

impl Scripted {
    fn new(regions: &[&str], took: Duration) -> Self {
        Scripted::named("acct", regions, took)
    }

    fn named(name: &str, regions: &[&str], took: Duration) -> Self {
        Scripted {
            metered: false,
            all: Arc::new(Gauge::default()),
            info: AccountInfo {
                name: name.into(),
                provider: ProviderKind::Aws,
                sandbox: false,
                read_only: false,
                native_id: String::new(),
                regions: regions.iter().map(|s| s.to_string()).collect(),
            },
            caps: Capabilities::all_ops(vec![], Duration::from_secs(1)),
            script: HashMap::new(),
            calls: Mutex::new(Vec::new()),
            took,
            running: AtomicUsize::new(0),
            max_running: AtomicUsize::new(0),
            region_fails: AtomicUsize::new(0),
        }
    }

    fn calls_for(&self, region: &str) -> Vec<Duration> {
        let calls = self.calls.lock().unwrap();
        let start = calls.first().map(|c| c.1).unwrap_or_else(Instant::now);
        calls
            .iter()
            .filter(|c| c.0 == region)
            .map(|c| c.1 - start)
            .collect()
    }
}

#[async_trait]
impl CloudProvider for Scripted {
    fn account(&self) -> &AccountInfo {
        &self.info
    }
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }
    async fn list_scopes(&self, _kind: ResourceKind) -> Result<Vec<ListScope>> {
        if self.region_fails.load(Ordering::SeqCst) > 0 {
            self.region_fails.fetch_sub(1, Ordering::SeqCst);
            return Err(ProviderError::new(ErrorKind::Auth, "token expired"));
        }
        Ok(self
            .info
            .regions
            .iter()
            .map(|r| ListScope {
                metered_per_region: self.metered,
                ..ListScope::new(ProviderKind::Aws, ScopeLevel::Region, r)
            })
            .collect())
    }
    async fn list(&self, scope: &ListScope, _kind: ResourceKind) -> Result<Resources> {
        let region = scope.name.as_str();
        let n = {
            let mut calls = self.calls.lock().unwrap();
            calls.push((region.to_string(), Instant::now()));
            calls.iter().filter(|c| c.0 == region).count()
        };
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_running.fetch_max(now, Ordering::SeqCst);
        let all = self.all.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.all.max.fetch_max(all, Ordering::SeqCst);
        tokio::time::sleep(self.took).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        self.all.running.fetch_sub(1, Ordering::SeqCst);
        let script = self.script.get(region).cloned().unwrap_or_default();
        match script
            .get(n - 1)
            .or(script.last())
            .copied()
            .unwrap_or(Ok(()))
        {
            Ok(()) => Ok(Resources::Instances(vec![])),
            Err(ErrorKind::Throttled) => Err(ProviderError::coded(
                ErrorKind::Throttled,
                "RequestLimitExceeded",
                "slow down",
            )),
            Err(k) => Err(ProviderError::new(k, "failed")),
        }
    }
    async fn describe(&self, _r: &ResourceRef) -> Result<Described> {
        unreachable!()
    }
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn start(
    p: Arc<Scripted>,
    interval: Duration,
    cap: usize,
) -> (Pollers, mpsc::UnboundedReceiver<PollEvent>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let refresh = Refresh {
        instances: interval,
        disks: interval,
        load_balancers: interval,
        networks: interval,
        max_concurrency: cap,
    };
    let cancel = CancellationToken::new();
    let notify = Arc::new(Notify::new());
    let handle = tokio::spawn(run_account(
        p as Arc<dyn CloudProvider>,
        vec![(ResourceKind::Instance, Timing::new(refresh.instances))],
        AccountCaps::new(cap),
        tx,
        cancel.clone(),
        notify.clone(),
    ));
    (
        Pollers {
            cancel,
            refresh: notify,
            handles: vec![handle],
        },
        rx,
    )
}

#[tokio::test(start_paused = true)]
async fn first_fetch_at_once_then_every_interval() {
    let p = Arc::new(Scripted::new(&["r1"], Duration::ZERO));
    let (pollers, _rx) = start(p.clone(), secs(10), 4);
    tokio::time::sleep(secs(35)).await;
    pollers.join().await;
    assert_eq!(p.calls_for("r1"), [secs(0), secs(10), secs(20), secs(30)]);
}

#[tokio::test(start_paused = true)]
async fn a_slow_fetch_delays_the_next_instead_of_overlapping() {
    let p = Arc::new(Scripted::new(&["r1"], secs(25)));
    let (pollers, _rx) = start(p.clone(), secs(10), 4);
    tokio::time::sleep(secs(100)).await;
    pollers.join().await;
    assert_eq!(p.max_running.load(Ordering::SeqCst), 1);
    // Each run starts an interval after the previous one ended: 0, 35, 70.
    assert_eq!(p.calls_for("r1"), [secs(0), secs(35), secs(70)]);
}

#[tokio::test(start_paused = true)]
async fn throttling_backs_off_and_recovers() {
    let mut p = Scripted::new(&["r1"], Duration::ZERO);
    p.script.insert(
        "r1".into(),
        vec![
            Ok(()),
            Err(ErrorKind::Throttled),
            Err(ErrorKind::Throttled),
            Err(ErrorKind::Throttled),
            Ok(()),
        ],
    );
    let p = Arc::new(p);
    let (pollers, _rx) = start(p.clone(), secs(10), 4);
    tokio::time::sleep(secs(200)).await;
    pollers.join().await;
    // ok → 10s, throttled → 20s, 40s, 80s, ok → 10s …
    assert_eq!(
        p.calls_for("r1")[..7],
        [
            secs(0),
            secs(10),
            secs(30),
            secs(70),
            secs(150),
            secs(160),
            secs(170)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn one_region_failing_does_not_stop_the_others() {
    let mut p = Scripted::new(&["good", "bad"], Duration::ZERO);
    p.script
        .insert("bad".into(), vec![Err(ErrorKind::Unavailable)]);
    let p = Arc::new(p);
    let (pollers, mut rx) = start(p.clone(), secs(10), 4);
    tokio::time::sleep(secs(25)).await;
    pollers.join().await;
    assert_eq!(p.calls_for("good"), [secs(0), secs(10), secs(20)]);
    let mut ok = 0;
    let mut failed = 0;
    while let Ok(ev) = rx.try_recv() {
        if let PollEvent::Finished { scope, outcome, .. } = ev {
            match (scope.list.name.as_str(), outcome) {
                ("good", Ok(_)) => ok += 1,
                ("bad", Err(e)) => {
                    assert_eq!(e.kind, ErrorKind::Unavailable);
                    failed += 1
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    assert_eq!(
        (ok, failed),
        (3, 2),
        "bad region: at 0 and after a 20 s backoff"
    );
}

#[tokio::test(start_paused = true)]
async fn concurrency_is_capped_per_account() {
    let regions: Vec<String> = (0..6).map(|i| format!("r{i}")).collect();
    let refs: Vec<&str> = regions.iter().map(|s| s.as_str()).collect();
    let p = Arc::new(Scripted::new(&refs, secs(5)));
    let (pollers, _rx) = start(p.clone(), secs(60), 2);
    tokio::time::sleep(secs(16)).await;
    pollers.join().await;
    assert_eq!(p.max_running.load(Ordering::SeqCst), 2);
    assert_eq!(
        p.calls.lock().unwrap().len(),
        6,
        "all six first fetches done within 3 rounds of 5 s"
    );
}

#[tokio::test(start_paused = true)]
async fn two_accounts_of_one_cloud_do_not_share_a_cap() {
    let all = Arc::new(Gauge::default());
    let accounts: Vec<Arc<Scripted>> = ["dev", "prod"]
        .iter()
        .map(|name| {
            let mut p = Scripted::named(name, &["r1", "r2", "r3"], secs(5));
            p.all = all.clone();
            Arc::new(p)
        })
        .collect();
    let providers: Vec<Arc<dyn CloudProvider>> = accounts
        .iter()
        .map(|p| p.clone() as Arc<dyn CloudProvider>)
        .collect();
    let refresh = Refresh {
        instances: secs(60),
        disks: secs(60),
        load_balancers: secs(60),
        networks: secs(60),
        max_concurrency: 2,
    };
    let (tx, _rx) = mpsc::unbounded_channel();
    let pollers = spawn_all(&providers, &refresh, tx);
    tokio::time::sleep(secs(1)).await;
    let each: Vec<usize> = accounts
        .iter()
        .map(|p| p.max_running.load(Ordering::SeqCst))
        .collect();
    let together = all.max.load(Ordering::SeqCst);
    pollers.join().await;
    assert_eq!(each, [2, 2], "each account's cap");
    assert_eq!(together, 4, "two accounts, two caps");
}

#[tokio::test(start_paused = true)]
async fn regions_metered_apart_each_have_a_cap() {
    let mut p = Scripted::new(&["r1", "r2", "r3"], secs(5));
    p.metered = true;
    let p = Arc::new(p);
    let providers = vec![p.clone() as Arc<dyn CloudProvider>];
    let refresh = Refresh {
        instances: secs(60),
        disks: secs(60),
        load_balancers: secs(60),
        networks: secs(60),
        max_concurrency: 2,
    };
    let (tx, _rx) = mpsc::unbounded_channel();
    let pollers = spawn_all(&providers, &refresh, tx);
    tokio::time::sleep(secs(1)).await;
    let most = p.max_running.load(Ordering::SeqCst);
    let calls = p.calls.lock().unwrap().clone();
    pollers.join().await;
    // Three kinds in each of three regions: two at a time per region.
    assert_eq!(most, 6);
    for r in ["r1", "r2", "r3"] {
        assert_eq!(calls.iter().filter(|c| c.0 == r).count(), 2, "{r}");
    }
}

#[tokio::test(start_paused = true)]
async fn refresh_now_fetches_at_once_and_cancel_stops_everything() {
    let p = Arc::new(Scripted::new(&["r1"], Duration::ZERO));
    let (pollers, _rx) = start(p.clone(), secs(60), 4);
    tokio::time::sleep(secs(5)).await;
    pollers.refresh_now();
    tokio::time::sleep(secs(1)).await;
    assert_eq!(p.calls_for("r1"), [secs(0), secs(5)]);
    pollers.stop();
    tokio::time::sleep(secs(600)).await;
    assert_eq!(p.calls_for("r1").len(), 2, "nothing after cancel");
    pollers.join().await;
}

#[tokio::test(start_paused = true)]
async fn an_account_whose_regions_fail_reports_and_retries() {
    let p = Scripted::new(&["r1"], Duration::ZERO);
    p.region_fails.store(2, Ordering::SeqCst);
    let p = Arc::new(p);
    let (pollers, mut rx) = start(p.clone(), secs(10), 4);
    tokio::time::sleep(secs(25)).await;
    pollers.join().await;
    let mut account_failures = 0;
    while let Ok(ev) = rx.try_recv() {
        if let PollEvent::AccountFailed { account, error } = ev {
            assert_eq!(account, "acct");
            assert_eq!(error.kind, ErrorKind::Auth);
            account_failures += 1;
        }
    }
    assert_eq!(account_failures, 2);
    assert_eq!(
        p.calls_for("r1"),
        [secs(0)],
        "polling began once the regions came, on the third try (auth errors retry at the interval)"
    );
}

#[test]
fn backoff_honours_retry_after_and_caps() {
    let t = Timing::new(secs(10));
    let throttled = ProviderError::new(ErrorKind::Throttled, "x").with_retry_after(secs(45));
    assert_eq!(t.next_delay(Err(&throttled), 0), secs(45));
    assert_eq!(t.next_delay(Err(&throttled), 10), secs(300));
    let auth = ProviderError::new(ErrorKind::Auth, "x");
    assert_eq!(t.next_delay(Err(&auth), 5), secs(10));
    assert_eq!(t.next_delay(Ok(()), 5), secs(10));
}
