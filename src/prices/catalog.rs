//! The price catalog: list prices per provider, region and SKU, with where they came from and
//! when. Kept as one small text file per provider (`assets/prices/*.txt`, embedded in the
//! binary; `prices refresh` writes newer ones to the data dir). SKU names are listed once and
//! referred to by number, which keeps 84k prices under a megabyte.
//!
//! ```text
//! # comments
//! provider azure
//! as_of 2026-06-18
//! source Azure/karpenter-provider-azure … (the Azure Retail Prices API)
//! licence Apache-2.0, portions (c) Microsoft
//! skus Standard_A0 Standard_A1 …            (index = position)
//! shape 12 4 16                              (sku 12 has 4 vCPU and 16 GiB; optional)
//! compute eastus 0:0.029 1:0.071:0.012 …     (sku:usd_per_hour[:spot_usd_per_hour])
//! disk eastus gp3 gb_month 0.08              (per GB-month)
//! disk eastus Premium_LRS:P10 128 month 19.71  (a tier: size GiB, per month)
//! lb us-east-1 application 0.0225            (per hour)
//! ```

use std::collections::HashMap;
use std::fmt::Write;

use crate::domain::ProviderKind;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComputePrice {
    pub usd_per_hour: f64,
    pub spot_usd_per_hour: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shape {
    pub vcpus: u32,
    /// Memory in MiB (whole numbers keep `Eq`).
    pub memory_mib: u32,
    /// An Arm CPU (Graviton, Axion, Ampere): software built for x86 does not run on it, so a
    /// right-size never crosses between the two.
    pub arm: bool,
}

impl Shape {
    pub fn arch(self) -> &'static str {
        if self.arm {
            "arm64"
        } else {
            "x86_64"
        }
    }

    pub fn memory_gib(self) -> f64 {
        self.memory_mib as f64 / 1024.0
    }
}

/// A disk price: per GB-month, or per month for a size tier (Azure).
#[derive(Debug, Clone, PartialEq)]
pub enum DiskPrice {
    PerGbMonth(f64),
    Tiers(Vec<Tier>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub name: String,
    pub size_gib: u64,
    pub usd_per_month: f64,
}

/// One provider's prices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderPrices {
    pub provider: Option<ProviderKind>,
    pub as_of: std::sync::Arc<str>,
    pub source: std::sync::Arc<str>,
    pub licence: String,
    /// region → SKU → price (nested, so lookups by `&str` need no allocation).
    pub compute: HashMap<String, HashMap<String, ComputePrice>>,
    pub shapes: HashMap<String, Shape>,
    /// region → disk type → price.
    pub disks: HashMap<String, HashMap<String, DiskPrice>>,
    /// region → load balancer SKU → USD per hour.
    pub lbs: HashMap<String, HashMap<String, f64>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

fn num(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

impl ProviderPrices {
    pub fn compute_price(&self, region: &str, sku: &str) -> Option<&ComputePrice> {
        self.compute.get(region)?.get(sku)
    }

    pub fn disk_price(&self, region: &str, disk_type: &str) -> Option<&DiskPrice> {
        self.disks.get(region)?.get(disk_type)
    }

    pub fn lb_price(&self, region: &str, sku: &str) -> Option<f64> {
        self.lbs.get(region)?.get(sku).copied()
    }

    /// How many compute prices it holds.
    pub fn compute_len(&self) -> usize {
        self.compute.values().map(|m| m.len()).sum()
    }

    pub fn parse(text: &str, file: &str) -> Result<ProviderPrices, CatalogError> {
        let mut p = ProviderPrices::default();
        let mut skus: Vec<String> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let err = |m: String| CatalogError {
                file: file.to_string(),
                line: i + 1,
                message: m,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            let parts: Vec<&str> = rest.split_whitespace().collect();
            match word {
                "provider" => p.provider = Some(rest.trim().parse().map_err(err)?),
                "as_of" => p.as_of = rest.trim().into(),
                "source" => p.source = rest.trim().into(),
                "licence" => p.licence = rest.trim().to_string(),
                "skus" => skus.extend(parts.iter().map(|s| s.to_string())),
                "shape" => {
                    let (i, c, m, arm) = match parts[..] {
                        [i, c, m] => (i, c, m, false),
                        [i, c, m, "arm"] => (i, c, m, true),
                        _ => return Err(err("shape takes SKU VCPUS MEMORY_MIB [arm]".into())),
                    };
                    let sku = i
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| skus.get(i))
                        .ok_or_else(|| err(format!("no sku #{i}")))?;
                    let vcpus = c
                        .parse()
                        .map_err(|_| err(format!("bad vCPU count '{c}'")))?;
                    let memory_mib = m.parse().map_err(|_| err(format!("bad memory '{m}'")))?;
                    p.shapes.insert(
                        sku.clone(),
                        Shape {
                            vcpus,
                            memory_mib,
                            arm,
                        },
                    );
                }
                "compute" => {
                    let Some((region, entries)) = parts.split_first() else {
                        return Err(err("compute takes REGION then entries".into()));
                    };
                    for e in entries {
                        let mut f = e.split(':');
                        let (Some(i), Some(usd)) = (f.next(), f.next()) else {
                            return Err(err(format!("bad entry '{e}'")));
                        };
                        let sku = i
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| skus.get(i))
                            .ok_or_else(|| err(format!("no sku #{i}")))?;
                        let usd_per_hour =
                            num(usd).ok_or_else(|| err(format!("bad price '{usd}'")))?;
                        let spot_usd_per_hour = match f.next() {
                            Some(s) => {
                                Some(num(s).ok_or_else(|| err(format!("bad spot price '{s}'")))?)
                            }
                            None => None,
                        };
                        p.compute.entry(region.to_string()).or_default().insert(
                            sku.clone(),
                            ComputePrice {
                                usd_per_hour,
                                spot_usd_per_hour,
                            },
                        );
                    }
                }
                "disk" => match parts[..] {
                    [region, dtype, "gb_month", usd] => {
                        let v = num(usd).ok_or_else(|| err(format!("bad price '{usd}'")))?;
                        p.disks
                            .entry(region.into())
                            .or_default()
                            .insert(dtype.into(), DiskPrice::PerGbMonth(v));
                    }
                    [region, typed_tier, size, "month", usd] => {
                        let (dtype, tier) = typed_tier
                            .split_once(':')
                            .ok_or_else(|| err("a tier is TYPE:TIER".into()))?;
                        let size_gib = size
                            .parse()
                            .map_err(|_| err(format!("bad size '{size}'")))?;
                        let usd_per_month =
                            num(usd).ok_or_else(|| err(format!("bad price '{usd}'")))?;
                        let entry = p
                            .disks
                            .entry(region.into())
                            .or_default()
                            .entry(dtype.into())
                            .or_insert_with(|| DiskPrice::Tiers(Vec::new()));
                        if let DiskPrice::Tiers(t) = entry {
                            t.push(Tier {
                                name: tier.into(),
                                size_gib,
                                usd_per_month,
                            });
                            t.sort_by_key(|t| t.size_gib);
                        }
                    }
                    _ => return Err(err(
                        "disk takes REGION TYPE gb_month USD, or REGION TYPE:TIER SIZE month USD"
                            .into(),
                    )),
                },
                "lb" => {
                    let [region, kind, usd] = parts[..] else {
                        return Err(err("lb takes REGION KIND USD_PER_HOUR".into()));
                    };
                    let v = num(usd).ok_or_else(|| err(format!("bad price '{usd}'")))?;
                    p.lbs
                        .entry(region.into())
                        .or_default()
                        .insert(kind.into(), v);
                }
                other => return Err(err(format!("unknown line kind '{other}'"))),
            }
        }
        if p.provider.is_none() {
            return Err(CatalogError {
                file: file.into(),
                line: 0,
                message: "no `provider` line".into(),
            });
        }
        Ok(p)
    }

    /// The text form; `parse(write())` gives back the same prices.
    pub fn write(&self) -> String {
        let mut out = String::new();
        let provider = self.provider.map(|p| p.as_str()).unwrap_or("?");
        let _ = writeln!(
            out,
            "# nephos price catalog ({provider}): list prices in USD; see NOTICE"
        );
        let _ = writeln!(out, "provider {provider}");
        let _ = writeln!(out, "as_of {}", self.as_of);
        let _ = writeln!(out, "source {}", self.source);
        let _ = writeln!(out, "licence {}", self.licence);
        let mut skus: Vec<&String> = self
            .compute
            .values()
            .flat_map(|m| m.keys())
            .chain(self.shapes.keys())
            .collect();
        skus.sort();
        skus.dedup();
        let index: HashMap<&String, usize> =
            skus.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        for chunk in skus.chunks(40) {
            let _ = writeln!(
                out,
                "skus {}",
                chunk
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        let mut shapes: Vec<_> = self.shapes.iter().collect();
        shapes.sort_by_key(|(s, _)| index[*s]);
        for (s, sh) in shapes {
            let _ = writeln!(
                out,
                "shape {} {} {}{}",
                index[s],
                sh.vcpus,
                sh.memory_mib,
                if sh.arm { " arm" } else { "" }
            );
        }
        let mut regions: Vec<&String> = self.compute.keys().collect();
        regions.sort();
        for r in regions {
            let mut entries: Vec<(usize, &ComputePrice)> =
                self.compute[r].iter().map(|(s, p)| (index[s], p)).collect();
            entries.sort_by_key(|(i, _)| *i);
            let _ = write!(out, "compute {r}");
            for (i, p) in entries {
                match p.spot_usd_per_hour {
                    Some(s) => {
                        let _ = write!(out, " {i}:{}:{}", p.usd_per_hour, s);
                    }
                    None => {
                        let _ = write!(out, " {i}:{}", p.usd_per_hour);
                    }
                }
            }
            out.push('\n');
        }
        let mut disks: Vec<_> = self
            .disks
            .iter()
            .flat_map(|(r, m)| m.iter().map(move |(t, d)| (r, t, d)))
            .collect();
        disks.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (r, t, d) in disks {
            match d {
                DiskPrice::PerGbMonth(v) => {
                    let _ = writeln!(out, "disk {r} {t} gb_month {v}");
                }
                DiskPrice::Tiers(tiers) => {
                    for tier in tiers {
                        let _ = writeln!(
                            out,
                            "disk {r} {t}:{} {} month {}",
                            tier.name, tier.size_gib, tier.usd_per_month
                        );
                    }
                }
            }
        }
        let mut lbs: Vec<_> = self
            .lbs
            .iter()
            .flat_map(|(r, m)| m.iter().map(move |(k, v)| (r, k, v)))
            .collect();
        lbs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (r, k, v) in lbs {
            let _ = writeln!(out, "lb {r} {k} {v}");
        }
        out
    }
}
