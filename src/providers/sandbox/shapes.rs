//! What each simulated account looks like: its regions and zones, machine types with their real
//! vCPU and memory, disk types, images and load balancer kinds, as the vendor publishes them.

use crate::domain::{LbKind, ProviderKind};

pub struct MachineType {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_gib: f64,
}

const fn mt(name: &'static str, vcpus: u32, memory_gib: f64) -> MachineType {
    MachineType {
        name,
        vcpus,
        memory_gib,
    }
}

pub struct Shape {
    pub provider: ProviderKind,
    pub account: &'static str,
    /// AWS account number, GCP project id, Azure subscription id.
    pub native_id: &'static str,
    pub regions: &'static [(&'static str, &'static [&'static str])],
    pub machine_types: &'static [MachineType],
    pub disk_types: &'static [&'static str],
    pub default_disk_type: &'static str,
    pub default_image: &'static str,
    pub lb_kinds: &'static [LbKind],
}

pub const AWS: Shape = Shape {
    provider: ProviderKind::Aws,
    account: "sandbox-aws",
    native_id: "123456789012",
    regions: &[
        ("us-east-1", &["us-east-1a", "us-east-1b", "us-east-1c"]),
        ("us-west-2", &["us-west-2a", "us-west-2b", "us-west-2c"]),
        ("eu-west-1", &["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
    ],
    machine_types: &[
        mt("t3.micro", 2, 1.0),
        mt("t3.small", 2, 2.0),
        mt("t3.medium", 2, 4.0),
        mt("t3.large", 2, 8.0),
        mt("m5.large", 2, 8.0),
        mt("m5.xlarge", 4, 16.0),
        mt("m5.2xlarge", 8, 32.0),
        mt("m6i.large", 2, 8.0),
        mt("c5.large", 2, 4.0),
        mt("c5.xlarge", 4, 8.0),
        mt("c5.2xlarge", 8, 16.0),
        mt("r5.large", 2, 16.0),
        mt("r5.xlarge", 4, 32.0),
    ],
    disk_types: &["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"],
    default_disk_type: "gp3",
    default_image: "ami-0c1f4a1b2d3e4f567 (al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64)",
    lb_kinds: &[LbKind::Application, LbKind::Network],
};

pub const GCP: Shape = Shape {
    provider: ProviderKind::Gcp,
    account: "sandbox-gcp",
    native_id: "nephos-sandbox",
    regions: &[
        (
            "us-central1",
            &[
                "us-central1-a",
                "us-central1-b",
                "us-central1-c",
                "us-central1-f",
            ],
        ),
        (
            "europe-west1",
            &["europe-west1-b", "europe-west1-c", "europe-west1-d"],
        ),
        (
            "asia-northeast1",
            &[
                "asia-northeast1-a",
                "asia-northeast1-b",
                "asia-northeast1-c",
            ],
        ),
    ],
    machine_types: &[
        mt("e2-micro", 2, 1.0),
        mt("e2-small", 2, 2.0),
        mt("e2-medium", 2, 4.0),
        mt("e2-standard-2", 2, 8.0),
        mt("e2-standard-4", 4, 16.0),
        mt("n1-standard-1", 1, 3.75),
        mt("n2-standard-2", 2, 8.0),
        mt("n2-standard-4", 4, 16.0),
        mt("n2-standard-8", 8, 32.0),
        mt("n2-highmem-4", 4, 32.0),
        mt("c2-standard-4", 4, 16.0),
        mt("n2d-standard-2", 2, 8.0),
    ],
    disk_types: &["pd-balanced", "pd-ssd", "pd-standard", "pd-extreme"],
    default_disk_type: "pd-balanced",
    default_image: "projects/debian-cloud/global/images/family/debian-12",
    lb_kinds: &[LbKind::Application, LbKind::Network],
};

pub const AZURE: Shape = Shape {
    provider: ProviderKind::Azure,
    account: "sandbox-azure",
    native_id: "7d3c2f1e-5b4a-4c3d-9e8f-0a1b2c3d4e5f",
    regions: &[
        ("eastus", &["1", "2", "3"]),
        ("westeurope", &["1", "2", "3"]),
        ("southeastasia", &["1", "2", "3"]),
    ],
    machine_types: &[
        mt("Standard_B1s", 1, 1.0),
        mt("Standard_B2s", 2, 4.0),
        mt("Standard_B2ms", 2, 8.0),
        mt("Standard_D2s_v5", 2, 8.0),
        mt("Standard_D4s_v5", 4, 16.0),
        mt("Standard_D8s_v5", 8, 32.0),
        mt("Standard_D2as_v5", 2, 8.0),
        mt("Standard_E2s_v5", 2, 16.0),
        mt("Standard_E4s_v5", 4, 32.0),
        mt("Standard_F2s_v2", 2, 4.0),
        mt("Standard_F4s_v2", 4, 8.0),
    ],
    disk_types: &[
        "Premium_LRS",
        "StandardSSD_LRS",
        "Standard_LRS",
        "PremiumV2_LRS",
    ],
    default_disk_type: "Premium_LRS",
    default_image: "Canonical:ubuntu-24_04-lts:server:latest",
    // Azure Load Balancer is layer 4; layer 7 is Application Gateway, a different product.
    lb_kinds: &[LbKind::Network],
};

pub const ALL: [&Shape; 3] = [&AWS, &GCP, &AZURE];

pub fn for_provider(p: ProviderKind) -> &'static Shape {
    match p {
        ProviderKind::Aws => &AWS,
        ProviderKind::Gcp => &GCP,
        ProviderKind::Azure => &AZURE,
    }
}

impl Shape {
    pub fn zones(&self, region: &str) -> Option<&'static [&'static str]> {
        self.regions
            .iter()
            .find(|(r, _)| *r == region)
            .map(|(_, z)| *z)
    }

    pub fn machine_type(&self, name: &str) -> Option<&'static MachineType> {
        self.machine_types.iter().find(|m| m.name == name)
    }

    pub fn region_names(&self) -> impl Iterator<Item = &'static str> {
        self.regions.iter().map(|(r, _)| *r)
    }
}
