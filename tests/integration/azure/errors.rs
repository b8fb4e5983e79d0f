//! ARM's errors through the real crates, mapped with Azure's message kept; throttling backed off.

use std::time::{Duration, Instant};

use nephos::domain::{ResourceKind, ResourceRef};
use nephos::providers::{CloudProvider, DiskSpec, ErrorKind, InstanceSpec, ListScope, Request};

use super::stub::{ArmStub, FORBIDDEN_SUB, RG, SUB};
use super::{account, provider, provider_for};

#[tokio::test]
async fn a_subscription_the_principal_cannot_read_fails_beside_one_that_works() {
    let stub = ArmStub::start();
    stub.with(|w| w.seed(SUB, RG, 3, &["eastus"]));
    let good = provider(&stub, &[]);
    let bad = provider_for(
        &account(&stub.url, "locked", FORBIDDEN_SUB, &[], &[]),
        false,
        "fake-token",
    );
    let (gs, bs) = (
        ListScope::azure_subscription(SUB),
        ListScope::azure_subscription(FORBIDDEN_SUB),
    );
    let (g, b) = tokio::join!(
        good.list(&gs, ResourceKind::Instance),
        bad.list(&bs, ResourceKind::Instance),
    );
    assert_eq!(g.unwrap().len(), 3);
    let e = b.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Auth, Some("AuthorizationFailed"))
    );
    assert!(e.message.contains("does not have authorization"), "{e}");
    assert!(e.hint.as_deref().unwrap().contains(FORBIDDEN_SUB), "{e:?}");
}

#[tokio::test]
async fn an_expired_login_says_to_log_in_to_the_tenant_and_shows_no_token() {
    let stub = ArmStub::start();
    let p = provider_for(
        &account(&stub.url, "corp", SUB, &[], &[]),
        false,
        "token-expired",
    );
    let e = p
        .list(&ListScope::azure_subscription(SUB), ResourceKind::Instance)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Auth, Some("ExpiredAuthenticationToken"))
    );
    assert_eq!(e.hint.as_deref(), Some("run `az login --tenant contoso.onmicrosoft.com` (or set the credential the account names)"));
    assert!(!e.explain().contains("token-expired"), "{}", e.explain());
}

#[tokio::test]
async fn throttling_is_backed_off_with_retry_after() {
    let stub = ArmStub::start();
    stub.with(|w| {
        w.seed(SUB, RG, 3, &["eastus"]);
        w.throttle = 1;
    });
    let p = provider(&stub, &[]);
    let t = Instant::now();
    let rows = p
        .list(&ListScope::azure_subscription(SUB), ResourceKind::Disk)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 honoured ({:?})",
        t.elapsed()
    );
    assert_eq!(stub.count("/disks?"), 2, "one 429, one answer");
    // Throttled past the retries: the account's error, with when to try again.
    stub.with(|w| w.throttle = 10);
    let e = p
        .list(&ListScope::azure_subscription(SUB), ResourceKind::Disk)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Throttled, Some("TooManyRequests"))
    );
    assert!(e.retry_after.is_some());
}

#[tokio::test]
async fn refusals_map_to_the_core_kinds_with_azure_s_words() {
    let stub = ArmStub::start();
    let p = provider(&stub, &[]);
    let missing = ResourceRef::new(
        nephos::domain::ProviderKind::Azure,
        "corp",
        "eastus",
        ResourceKind::Instance,
        &format!("/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/virtualMachines/nope"),
    );
    let e = p.describe(&missing).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::NotFound, Some("ResourceNotFound"))
    );
    assert!(
        e.message
            .contains("'Microsoft.Compute/virtualMachines/nope'"),
        "{e}"
    );

    let create = |size: &str| Request::CreateInstance {
        account: "corp".into(),
        spec: InstanceSpec {
            region: "eastus".into(),
            zone: Some("1".into()),
            instance_type: size.into(),
            name: "x-1".into(),
            image: None,
            disk_gib: None,
            spot: false,
            tags: Default::default(),
            options: Default::default(),
        },
    };
    let e = p.apply(&create("Standard_Unavailable")).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Invalid, Some("SkuNotAvailable"))
    );
    assert!(
        e.message.contains("not available in location 'eastus'"),
        "{e}"
    );
    let e = p.apply(&create("Standard_M416ms_v2")).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::QuotaExceeded, "{e}");
    assert_eq!(e.code.as_deref(), Some("OperationNotAllowed"));

    let e = p
        .apply(&Request::CreateDisk {
            account: "corp".into(),
            spec: DiskSpec {
                region: "eastus".into(),
                zone: "1".into(),
                name: "huge".into(),
                size_gib: 40_000,
                disk_type: None,
                tags: Default::default(),
            },
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Invalid, Some("InvalidParameter"))
    );
    assert!(e.message.contains("32767"), "{e}");
}

#[tokio::test]
async fn the_token_goes_only_to_the_account_s_endpoint() {
    let stub = ArmStub::start();
    let p = provider(&stub, &[]);
    // An operation URL (or a nextLink) on another host is refused before anything is sent.
    for url in [
        "http://169.254.169.254/x",
        "https://management.azure.com/operations/1",
    ] {
        let op = nephos::providers::OperationHandle(format!("azure-asyncoperation {url}"));
        let e = p.operation_status(&op).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
        assert!(
            e.message.contains("refusing to send the account's token"),
            "{e}"
        );
    }
    stub.with(|w| {
        w.seed(SUB, RG, 3, &["eastus"]);
        w.page_size = 2;
        w.base = "http://127.0.0.2:9".into(); // nextLinks now point elsewhere
    });
    let e = p
        .list(&ListScope::azure_subscription(SUB), ResourceKind::Disk)
        .await
        .unwrap_err();
    assert!(e.message.contains("refusing"), "{e}");
    assert_eq!(stub.count("/disks?"), 1, "the first page only");
}
