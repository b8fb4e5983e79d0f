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
//! shape 12 4 16384                           (sku 12: 4 vCPU, 16 GiB in MiB; optional)
//! shape 13 64 262144 arm gpu 4               (an Arm CPU; 4 GPUs)
//! origin 1 2022-11-22 tedivm/ec2details …    (a second source with its own date)
//! compute eastus 0:0.029 1:0.071:0.012 …     (sku:usd_per_hour[:spot_usd_per_hour])
//! compute eu-west-1 @1 0:0.107 …              (prices from origin 1; none: the provider's own)
//! disk eastus gp3 gb_month 0.08              (per GB-month)
//! disk eastus Premium_LRS:P10 128 month 19.71  (a tier: size GiB, per month)
//! lb us-east-1 application 0.0225 @2         (per hour; from origin 2)
//! ```

use std::collections::HashMap;
use std::fmt::Write;

use crate::domain::ProviderKind;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComputePrice {
    pub usd_per_hour: f64,
    pub spot_usd_per_hour: Option<f64>,
    /// Where the price came from: 0 is the provider's own `as_of`/`source`, n is
    /// `ProviderPrices::origins[n - 1]`.
    pub origin: u16,
}

impl ComputePrice {
    /// A price from the provider's own (newest) source.
    pub fn new(usd_per_hour: f64, spot_usd_per_hour: Option<f64>) -> ComputePrice {
        ComputePrice {
            usd_per_hour,
            spot_usd_per_hour,
            origin: 0,
        }
    }
}

/// A source of some of a provider's prices, with its own date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub as_of: std::sync::Arc<str>,
    pub source: std::sync::Arc<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shape {
    pub vcpus: u32,
    /// Memory in MiB (whole numbers keep `Eq`).
    pub memory_mib: u32,
    /// An Arm CPU (Graviton, Axion, Ampere): software built for x86 does not run on it, so a
    /// right-size never crosses between the two.
    pub arm: bool,
    /// GPUs (0 when none or not known): a right-size never drops one.
    pub gpus: u32,
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
    /// The date and source of the provider's own prices.
    pub as_of: std::sync::Arc<str>,
    pub source: std::sync::Arc<str>,
    pub licence: String,
    /// Older sources some compute prices come from (`ComputePrice::origin`).
    pub origins: Vec<Origin>,
    /// region → SKU → price (nested, so lookups by `&str` need no allocation).
    pub compute: HashMap<String, HashMap<String, ComputePrice>>,
    pub shapes: HashMap<String, Shape>,
    /// region → disk type → price.
    pub disks: HashMap<String, HashMap<String, DiskPrice>>,
    /// region → load balancer SKU → USD per hour.
    pub lbs: HashMap<String, HashMap<String, f64>>,
    /// region → disk type → origin, for disk prices not from the provider's own source.
    pub disk_origins: HashMap<String, HashMap<String, u16>>,
    /// region → LB SKU → origin, likewise.
    pub lb_origins: HashMap<String, HashMap<String, u16>>,
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

/// Price dates newest first; one that is not a date ("undated") last.
pub fn newest_first(a: &str, b: &str) -> std::cmp::Ordering {
    let dated = |d: &str| d.starts_with(|c: char| c.is_ascii_digit());
    dated(b).cmp(&dated(a)).then(b.cmp(a))
}

fn num(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

impl ProviderPrices {
    pub fn compute_price(&self, region: &str, sku: &str) -> Option<&ComputePrice> {
        self.compute.get(region)?.get(sku)
    }

    /// The date and source of a compute price.
    pub fn dated(&self, price: &ComputePrice) -> (&std::sync::Arc<str>, &std::sync::Arc<str>) {
        self.origin(price.origin)
    }

    /// The date and source of a disk type's price in a region.
    pub fn disk_dated(
        &self,
        region: &str,
        dtype: &str,
    ) -> (&std::sync::Arc<str>, &std::sync::Arc<str>) {
        self.origin(Self::origin_in(&self.disk_origins, region, dtype))
    }

    /// The date and source of a load balancer SKU's price in a region.
    pub fn lb_dated(
        &self,
        region: &str,
        sku: &str,
    ) -> (&std::sync::Arc<str>, &std::sync::Arc<str>) {
        self.origin(Self::origin_in(&self.lb_origins, region, sku))
    }

    fn origin_in(m: &HashMap<String, HashMap<String, u16>>, region: &str, key: &str) -> u16 {
        m.get(region).and_then(|x| x.get(key)).copied().unwrap_or(0)
    }

    /// An origin for (`as_of`, `source`): the existing one, or a new one.
    pub fn origin_for(&mut self, as_of: &str, source: &str) -> u16 {
        let o = Origin {
            as_of: as_of.into(),
            source: source.into(),
        };
        (match self.origins.iter().position(|x| *x == o) {
            Some(i) => i + 1,
            None => {
                self.origins.push(o);
                self.origins.len()
            }
        }) as u16
    }

    /// A fresh disk price from the provider's own source (a refresh).
    pub fn set_disk(&mut self, region: &str, dtype: &str, price: DiskPrice) {
        self.disks
            .entry(region.into())
            .or_default()
            .insert(dtype.into(), price);
        if let Some(m) = self.disk_origins.get_mut(region) {
            m.remove(dtype);
        }
    }

    /// A fresh load balancer price from the provider's own source (a refresh).
    pub fn set_lb(&mut self, region: &str, sku: &str, usd_per_hour: f64) {
        self.lbs
            .entry(region.into())
            .or_default()
            .insert(sku.into(), usd_per_hour);
        if let Some(m) = self.lb_origins.get_mut(region) {
            m.remove(sku);
        }
    }

    /// Every origin number a price refers to (0: the provider's own), to change in place.
    fn origin_slots(&mut self) -> impl Iterator<Item = &mut u16> {
        self.compute
            .values_mut()
            .flat_map(|m| m.values_mut().map(|p| &mut p.origin))
            .chain(self.disk_origins.values_mut().flat_map(|m| m.values_mut()))
            .chain(self.lb_origins.values_mut().flat_map(|m| m.values_mut()))
    }

    /// Whether any disk or LB price is the provider's own.
    fn own_extras(&self) -> bool {
        let own = |prices: Vec<(&String, &String)>,
                   origins: &HashMap<String, HashMap<String, u16>>| {
            prices
                .into_iter()
                .any(|(r, k)| Self::origin_in(origins, r, k) == 0)
        };
        own(
            self.disks
                .iter()
                .flat_map(|(r, m)| m.keys().map(move |k| (r, k)))
                .collect(),
            &self.disk_origins,
        ) || own(
            self.lbs
                .iter()
                .flat_map(|(r, m)| m.keys().map(move |k| (r, k)))
                .collect(),
            &self.lb_origins,
        )
    }

    fn origin(&self, n: u16) -> (&std::sync::Arc<str>, &std::sync::Arc<str>) {
        match n.checked_sub(1).and_then(|i| self.origins.get(i as usize)) {
            Some(o) => (&o.as_of, &o.source),
            None => (&self.as_of, &self.source),
        }
    }

    /// Every date its compute prices carry, newest first.
    pub fn dates(&self) -> Vec<&str> {
        let mut used: Vec<u16> = self
            .compute
            .values()
            .flat_map(|m| m.values().map(|p| p.origin))
            .collect();
        if self.own_extras() {
            used.push(0);
        }
        used.extend(
            [&self.disk_origins, &self.lb_origins]
                .iter()
                .flat_map(|m| m.values().flat_map(|x| x.values().copied())),
        );
        used.sort_unstable();
        used.dedup();
        let mut out: Vec<&str> = used.iter().map(|o| &**self.origin(*o).0).collect();
        out.sort_unstable_by(|a, b| newest_first(a, b));
        out.dedup();
        out
    }

    /// Before prices from a new source (`as_of`, `source`) are laid over these: the prices
    /// now dated as the provider's own keep their date and source as an origin of their own,
    /// so whatever the new source does not replace still says how old it is.
    pub fn rebase(&mut self, as_of: &str, source: &str) {
        let own_in_use = self.own_extras()
            || self
                .compute
                .values()
                .any(|m| m.values().any(|p| p.origin == 0));
        if own_in_use {
            let (old_date, old_source) = (self.as_of.clone(), self.source.clone());
            let n = self.origin_for(&old_date, &old_source);
            for (region, m) in &self.disks {
                for k in m.keys() {
                    let o = self.disk_origins.entry(region.clone()).or_default();
                    o.entry(k.clone()).or_insert(n);
                }
            }
            for (region, m) in &self.lbs {
                for k in m.keys() {
                    let o = self.lb_origins.entry(region.clone()).or_default();
                    o.entry(k.clone()).or_insert(n);
                }
            }
            for o in self.origin_slots() {
                if *o == 0 {
                    *o = n;
                }
            }
        }
        self.as_of = as_of.into();
        self.source = source.into();
    }

    /// Drop origins no price refers to any more (after a refresh replaced them).
    pub fn prune_origins(&mut self) {
        let mut used = vec![false; self.origins.len()];
        let n = self.origins.len();
        for o in self.origin_slots() {
            if let Some(i) = (*o as usize).checked_sub(1).filter(|i| *i < n) {
                used[i] = true;
            }
        }
        let mut renumber = vec![0u16; self.origins.len()];
        let mut next = 0u16;
        for (i, u) in used.iter().enumerate() {
            if *u {
                next += 1;
                renumber[i] = next;
            }
        }
        for o in self.origin_slots() {
            if *o > 0 {
                *o = renumber.get(*o as usize - 1).copied().unwrap_or(0);
            }
        }
        let mut i = 0;
        self.origins.retain(|_| {
            i += 1;
            used[i - 1]
        });
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
            let mut parts: Vec<&str> = rest.split_whitespace().collect();
            // A disk or LB price from origin N ends in `@N`.
            if matches!(word, "disk" | "lb") && parts.last().is_some_and(|x| x.starts_with('@')) {
                let at = parts.pop().expect("checked");
                let n: u16 = at[1..]
                    .parse()
                    .ok()
                    .filter(|o| *o >= 1 && *o as usize <= p.origins.len())
                    .ok_or_else(|| err(format!("no origin '{at}'")))?;
                let (Some(region), Some(key)) = (parts.first(), parts.get(1)) else {
                    return Err(err(format!("{word} takes REGION and a type before {at}")));
                };
                let key = key.split(':').next().unwrap_or(key);
                let origins = if word == "disk" {
                    &mut p.disk_origins
                } else {
                    &mut p.lb_origins
                };
                origins
                    .entry(region.to_string())
                    .or_default()
                    .insert(key.to_string(), n);
            }
            match word {
                "provider" => p.provider = Some(rest.trim().parse().map_err(err)?),
                "as_of" => p.as_of = rest.trim().into(),
                "source" => p.source = rest.trim().into(),
                "licence" => p.licence = rest.trim().to_string(),
                "skus" => skus.extend(parts.iter().map(|s| s.to_string())),
                "shape" => {
                    let bad = || err("shape takes SKU VCPUS MEMORY_MIB [arm] [gpu N]".into());
                    let (i, c, m, rest) = match parts[..] {
                        [i, c, m, ref rest @ ..] => (i, c, m, rest),
                        _ => return Err(bad()),
                    };
                    let (arm, rest) = match rest {
                        ["arm", rest @ ..] => (true, rest),
                        _ => (false, rest),
                    };
                    let gpus = match rest {
                        [] => 0,
                        ["gpu", n] => n.parse().map_err(|_| err(format!("bad GPU count '{n}'")))?,
                        _ => return Err(bad()),
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
                            gpus,
                        },
                    );
                }
                "origin" => {
                    let [n, as_of, source @ ..] = &parts[..] else {
                        return Err(err("origin takes N DATE SOURCE".into()));
                    };
                    if n.parse::<usize>().ok() != Some(p.origins.len() + 1) {
                        return Err(err(format!(
                            "origin {n} out of order (the next is {})",
                            p.origins.len() + 1
                        )));
                    }
                    p.origins.push(Origin {
                        as_of: (*as_of).into(),
                        source: source.join(" ").into(),
                    });
                }
                "compute" => {
                    let Some((region, mut entries)) = parts.split_first() else {
                        return Err(err("compute takes REGION then entries".into()));
                    };
                    let mut origin = 0u16;
                    if let Some((first, rest)) = entries.split_first() {
                        if let Some(n) = first.strip_prefix('@') {
                            origin = n
                                .parse()
                                .ok()
                                .filter(|o| *o as usize <= p.origins.len())
                                .ok_or_else(|| err(format!("no origin '{first}'")))?;
                            entries = rest;
                        }
                    }
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
                                origin,
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
        for (i, o) in self.origins.iter().enumerate() {
            let _ = writeln!(out, "origin {} {} {}", i + 1, o.as_of, o.source);
        }
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
            let _ = write!(out, "shape {} {} {}", index[s], sh.vcpus, sh.memory_mib);
            if sh.arm {
                out.push_str(" arm");
            }
            if sh.gpus > 0 {
                let _ = write!(out, " gpu {}", sh.gpus);
            }
            out.push('\n');
        }
        let mut regions: Vec<&String> = self.compute.keys().collect();
        regions.sort();
        for r in regions {
            let mut entries: Vec<(u16, usize, &ComputePrice)> = self.compute[r]
                .iter()
                .map(|(s, p)| (p.origin, index[s], p))
                .collect();
            entries.sort_by_key(|(o, i, _)| (*o, *i));
            for same in entries.chunk_by(|a, b| a.0 == b.0) {
                let _ = write!(out, "compute {r}");
                if same[0].0 > 0 {
                    let _ = write!(out, " @{}", same[0].0);
                }
                for (_, i, p) in same {
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
        }
        let mut disks: Vec<_> = self
            .disks
            .iter()
            .flat_map(|(r, m)| m.iter().map(move |(t, d)| (r, t, d)))
            .collect();
        disks.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let at = |origins: &HashMap<String, HashMap<String, u16>>, r: &str, k: &str| {
            match Self::origin_in(origins, r, k) {
                0 => String::new(),
                n => format!(" @{n}"),
            }
        };
        for (r, t, d) in disks {
            let o = at(&self.disk_origins, r, t);
            match d {
                DiskPrice::PerGbMonth(v) => {
                    let _ = writeln!(out, "disk {r} {t} gb_month {v}{o}");
                }
                DiskPrice::Tiers(tiers) => {
                    for tier in tiers {
                        let _ = writeln!(
                            out,
                            "disk {r} {t}:{} {} month {}{o}",
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
            let _ = writeln!(out, "lb {r} {k} {v}{}", at(&self.lb_origins, r, k));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_DATES: &str = "provider aws\nas_of 2026-07-20\nsource new\nlicence x\n\
        origin 1 2022-11-22 old file (MIT)\n\
        skus m5.large a1.large p3.2xlarge\n\
        shape 1 2 4096 arm\nshape 2 8 62464 gpu 1\n\
        compute us-east-1 0:0.096\n\
        compute eu-west-1 @1 0:0.107 1:0.058\n";

    #[test]
    fn each_price_keeps_its_own_date_and_source() {
        let p = ProviderPrices::parse(TWO_DATES, "t").unwrap();
        let new = p.compute_price("us-east-1", "m5.large").unwrap();
        let old = p.compute_price("eu-west-1", "m5.large").unwrap();
        let dated = |c| {
            let (d, s) = p.dated(c);
            (d.to_string(), s.to_string())
        };
        assert_eq!(dated(new), ("2026-07-20".into(), "new".into()));
        assert_eq!(dated(old), ("2022-11-22".into(), "old file (MIT)".into()));
        assert_eq!(p.dates(), ["2026-07-20", "2022-11-22"]);
        assert_eq!(
            p.shapes["p3.2xlarge"],
            Shape {
                vcpus: 8,
                memory_mib: 62464,
                arm: false,
                gpus: 1
            }
        );
        assert!(p.shapes["a1.large"].arm);
        // The text form keeps every origin, shape and date.
        assert_eq!(ProviderPrices::parse(&p.write(), "t").unwrap(), p);
    }

    #[test]
    fn a_bad_origin_says_where() {
        let bad = |text: &str| {
            ProviderPrices::parse(&format!("provider aws\nskus m5.large\n{text}\n"), "f.txt")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(bad("compute eu-west-1 @1 0:0.1"), "f.txt:3: no origin '@1'");
        assert_eq!(
            bad("origin 2 2022-11-22 x"),
            "f.txt:3: origin 2 out of order (the next is 1)"
        );
        assert_eq!(
            bad("shape 0 2 8192 gpu many"),
            "f.txt:3: bad GPU count 'many'"
        );
    }

    #[test]
    fn a_refresh_dates_only_what_it_replaced() {
        let mut p = ProviderPrices::parse(TWO_DATES, "t").unwrap();
        p.rebase("2026-12-01", "live");
        // A fresh price for m5.large in us-east-1 only.
        p.compute
            .get_mut("us-east-1")
            .unwrap()
            .insert("m5.large".into(), ComputePrice::new(0.1, None));
        p.prune_origins();
        fn date(p: &ProviderPrices, r: &str, s: &str) -> String {
            p.dated(p.compute_price(r, s).unwrap()).0.to_string()
        }
        assert_eq!(date(&p, "us-east-1", "m5.large"), "2026-12-01");
        assert_eq!(date(&p, "eu-west-1", "m5.large"), "2022-11-22");
        assert_eq!(p.origins.len(), 1, "the replaced 2026-07-20 origin is gone");
        // A second refresh that replaces nothing keeps every date.
        p.rebase("2026-12-02", "live again");
        p.prune_origins();
        assert_eq!(date(&p, "us-east-1", "m5.large"), "2026-12-01");
        assert_eq!(p.dates(), ["2026-12-01", "2022-11-22"]);
        assert_eq!(ProviderPrices::parse(&p.write(), "t").unwrap(), p);
    }
}
