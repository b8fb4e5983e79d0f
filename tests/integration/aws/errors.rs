//! AWS's errors in the core's kinds, with AWS's code and message kept: the ones moto raises,
//! and through the proxy the ones it never does (state, auth, throttling, server errors).

use nephos::domain::{ProviderKind, ResourceKind, ResourceRef};
use nephos::providers::{
    CloudProvider, ErrorKind, InstanceAction, InstanceSpec, ListScope, Resources,
};

use super::moto::{seed, Moto};
use super::proxy::{Fault, Proxy};
use crate::verbs::Verbs;

fn r(kind: ResourceKind, id: &str) -> ResourceRef {
    ResourceRef::new(ProviderKind::Aws, "dev", "us-east-1", kind, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_moto_raises_keep_their_code_and_message() {
    let moto = Moto::start();
    let aws = moto.provider(&["us-east-1"]);

    let e = aws
        .describe(&r(ResourceKind::Instance, "i-0123456789abcdef0"))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert_eq!(e.code.as_deref(), Some("InvalidInstanceID.NotFound"));
    assert!(e.message.contains("i-0123456789abcdef0"), "{e}");

    let e = aws
        .describe(&r(ResourceKind::Disk, "vol-0123456789abcdef0"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::NotFound, Some("InvalidVolume.NotFound"))
    );

    let arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/nope/0123456789abcdef";
    let e = aws
        .describe(&r(ResourceKind::LoadBalancer, arn))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::NotFound, Some("LoadBalancerNotFound"))
    );

    let e = aws
        .create_instance(&InstanceSpec {
            region: "us-east-1".into(),
            zone: None,
            instance_type: "t3.micro".into(),
            name: "x".into(),
            image: Some("ami-00000000000000000".into()),
            disk_gib: None,
            spot: false,
            tags: Default::default(),
            options: Default::default(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    assert!(
        e.code.as_deref().unwrap().starts_with("InvalidAMIID"),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_only_real_aws_raises_map_to_their_kinds() {
    let moto = Moto::start();
    seed(&moto.ec2("us-east-1").await, "web", 1, 1, "t3.micro").await;
    let proxy = Proxy::start(moto.port);
    let aws = moto.provider_at(&proxy.url(), &["us-east-1"]);
    let Resources::Instances(list) = aws
        .list(&ListScope::aws_region("us-east-1"), ResourceKind::Instance)
        .await
        .unwrap()
    else {
        unreachable!()
    };
    let inst = &list[0];

    let cases = [
        (
            Fault {
                action: "StopInstances",
                times: 1,
                status: 400,
                code: "IncorrectInstanceState",
                message: "This instance 'i-1' is not in a state from which it can be stopped.",
            },
            ErrorKind::InvalidState,
        ),
        (
            Fault {
                action: "StopInstances",
                times: 1,
                status: 403,
                code: "UnauthorizedOperation",
                message: "You are not authorized to perform this operation.",
            },
            ErrorKind::Auth,
        ),
        (
            Fault {
                action: "StopInstances",
                times: 1,
                status: 401,
                code: "AuthFailure",
                message: "AWS was not able to validate the provided access credentials",
            },
            ErrorKind::Auth,
        ),
        (
            // Persistent throttling outlasts the retries and is reported as throttling.
            Fault {
                action: "StopInstances",
                times: 4,
                status: 503,
                code: "RequestLimitExceeded",
                message: "Request limit exceeded.",
            },
            ErrorKind::Throttled,
        ),
        (
            Fault {
                action: "StopInstances",
                times: 4,
                status: 500,
                code: "InternalError",
                message: "An internal error has occurred",
            },
            ErrorKind::Unavailable,
        ),
        (
            Fault {
                action: "StopInstances",
                times: 1,
                status: 401,
                code: "OptInRequired",
                message: "You are not subscribed to this service.",
            },
            ErrorKind::Auth,
        ),
    ];
    for (fault, kind) in cases {
        proxy.fault(fault.clone());
        let e = aws
            .instance_action(inst, InstanceAction::Stop)
            .await
            .unwrap_err();
        assert_eq!(e.kind, kind, "{}: {e}", fault.code);
        assert_eq!(e.code.as_deref(), Some(fault.code));
        assert_eq!(e.message, fault.message, "AWS's message is kept");
        // Each auth failure says its own fix.
        let hint = e.hint.as_deref().unwrap_or_default();
        match fault.code {
            "UnauthorizedOperation" => {
                assert!(
                    hint.contains("--profile moto") && hint.contains("IAM"),
                    "{e}"
                )
            }
            "AuthFailure" => assert!(
                hint.contains("aws sts get-caller-identity --profile moto"),
                "{e}"
            ),
            "OptInRequired" => assert!(hint.contains("region is not enabled"), "{e}"),
            _ => {}
        }
    }
    assert_eq!(proxy.faulted("StopInstances"), 12, "every fault was served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_reads_are_retried_with_backoff_and_succeed() {
    let moto = Moto::start();
    seed(&moto.ec2("us-east-1").await, "web", 3, 1, "t3.micro").await;
    let proxy = Proxy::start(moto.port);
    proxy.fault(Fault {
        action: "DescribeInstances",
        times: 2,
        status: 503,
        code: "RequestLimitExceeded",
        message: "Request limit exceeded.",
    });
    proxy.fault(Fault {
        action: "DescribeVolumes",
        times: 1,
        status: 400,
        code: "Throttling",
        message: "Rate exceeded",
    });
    let aws = moto.provider_at(&proxy.url(), &["us-east-1"]);
    let got = aws
        .list(&ListScope::aws_region("us-east-1"), ResourceKind::Instance)
        .await
        .unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(proxy.faulted("DescribeInstances"), 2);
    assert_eq!(
        proxy.calls("DescribeInstances"),
        3,
        "two throttled answers, then the listing"
    );
    let disks = aws
        .list(&ListScope::aws_region("us-east-1"), ResourceKind::Disk)
        .await
        .unwrap();
    assert_eq!(disks.len(), 3, "root volumes, after one Throttling answer");
    assert_eq!(proxy.calls("DescribeVolumes"), 2);
}
