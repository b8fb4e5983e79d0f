//! Prices: the catalog (`catalog.rs`), its import from public price data (`import.rs`), and what
//! each resource costs (`estimate.rs`).

pub(crate) mod catalog;
pub(crate) mod compare;
pub mod estimate;
pub(crate) mod findings;
pub(crate) mod import;
pub(crate) mod refresh;

use std::path::Path;

pub use catalog::{CatalogError, ComputePrice, DiskPrice, ProviderPrices, Shape};

use crate::domain::ProviderKind;

const BUNDLED: [(&str, &str); 3] = [
    (
        "assets/prices/aws.txt",
        include_str!("../../assets/prices/aws.txt"),
    ),
    (
        "assets/prices/azure.txt",
        include_str!("../../assets/prices/azure.txt"),
    ),
    (
        "assets/prices/gcp.txt",
        include_str!("../../assets/prices/gcp.txt"),
    ),
];

/// Every provider's prices. A refreshed file in the data dir (`prices refresh`) is used in
/// preference to the bundled one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalog {
    pub providers: Vec<ProviderPrices>,
}

impl Catalog {
    /// The bundled catalog, parsed once per process and shared.
    pub fn shared() -> std::sync::Arc<Catalog> {
        Self::shared_arc().clone()
    }

    fn shared_arc() -> &'static std::sync::Arc<Catalog> {
        static ONE: std::sync::OnceLock<std::sync::Arc<Catalog>> = std::sync::OnceLock::new();
        ONE.get_or_init(|| std::sync::Arc::new(Catalog::bundled()))
    }

    pub fn bundled() -> Catalog {
        let providers = BUNDLED
            .iter()
            .map(|(file, text)| {
                ProviderPrices::parse(text, file).expect("the bundled catalog parses (tested)")
            })
            .collect();
        Catalog { providers }
    }

    /// The bundled catalog with any refreshed provider files from `dir` laid over it. A
    /// refreshed file that does not parse is reported and the bundled one kept. Without
    /// refreshed files this is the shared bundled catalog, parsed once.
    pub fn load(dir: &Path) -> (std::sync::Arc<Catalog>, Vec<String>) {
        let fresh: Vec<(ProviderKind, std::path::PathBuf)> = ProviderKind::ALL
            .iter()
            .map(|k| (*k, dir.join(format!("{k}.txt"))))
            .filter(|(_, p)| p.exists())
            .collect();
        if fresh.is_empty() {
            return (Catalog::shared(), Vec::new());
        }
        let mut cat = (*Catalog::shared()).clone();
        let mut warnings = Vec::new();
        for (kind, path) in fresh {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            match ProviderPrices::parse(&text, &path.display().to_string()) {
                Ok(p) => {
                    if let Some(slot) = cat.providers.iter_mut().find(|x| x.provider == Some(kind))
                    {
                        *slot = p;
                    }
                }
                Err(e) => warnings.push(format!("{e} (using the bundled prices)")),
            }
        }
        (std::sync::Arc::new(cat), warnings)
    }

    pub fn provider(&self, p: ProviderKind) -> Option<&ProviderPrices> {
        self.providers.iter().find(|x| x.provider == Some(p))
    }
}

/// The prices a filter (`cost>0.5`) or a sort (`--sort cost`) reads: a loaded catalog, or the
/// bundled one when none was given. Any two compare equal: a filter or sort means the same
/// whichever prices it reads.
#[derive(Clone, Default)]
pub struct PriceBook(Option<std::sync::Arc<Catalog>>);

impl PriceBook {
    pub fn new(catalog: std::sync::Arc<Catalog>) -> Self {
        PriceBook(Some(catalog))
    }

    pub fn catalog(&self) -> &Catalog {
        self.0.as_deref().unwrap_or_else(|| Catalog::shared_arc())
    }
}

impl std::fmt::Debug for PriceBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "PriceBook(loaded)"
        } else {
            "PriceBook(bundled)"
        })
    }
}

impl PartialEq for PriceBook {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for PriceBook {}

/// What a resource costs an hour at list price (the `$/h` column), for filters and sorting.
pub trait Priced {
    fn hourly_usd(&self, cat: &Catalog) -> Option<f64>;
}

impl Priced for crate::domain::Instance {
    fn hourly_usd(&self, cat: &Catalog) -> Option<f64> {
        estimate::instance(cat, self).hourly_usd
    }
}

impl Priced for crate::domain::Disk {
    fn hourly_usd(&self, cat: &Catalog) -> Option<f64> {
        estimate::disk(cat, self).hourly_usd
    }
}

impl Priced for crate::domain::LoadBalancer {
    fn hourly_usd(&self, cat: &Catalog) -> Option<f64> {
        estimate::load_balancer(cat, self).hourly_usd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalog_holds_every_source_row() {
        let c = Catalog::bundled();
        let aws = c.provider(ProviderKind::Aws).unwrap();
        let azure = c.provider(ProviderKind::Azure).unwrap();
        let gcp = c.provider(ProviderKind::Gcp).unwrap();
        // Row counts of the source CSVs (shared/prices README): every row landed.
        // EC2: 1,367 in us-east-1 and 7,920 regional rows of 2022, less the 547 us-east-1 rows
        // of 2022 where the newer file has the type.
        assert_eq!(aws.compute_len(), 1367 + 7920 - 547);
        assert_eq!(
            aws.compute.len(),
            26,
            "us-east-1 and 25 other commercial regions"
        );
        assert_eq!(azure.compute_len(), 64879);
        assert_eq!(gcp.compute_len(), 17669);
        let count = |m: &std::collections::HashMap<
            String,
            std::collections::HashMap<String, DiskPrice>,
        >|
         -> usize {
            m.values()
                .flat_map(|x| x.values())
                .map(|d| match d {
                    DiskPrice::Tiers(t) => t.len(),
                    DiskPrice::PerGbMonth(_) => 1,
                })
                .sum()
        };
        assert_eq!(count(&gcp.disks), 172);
        let lbs = |p: &ProviderPrices| p.lbs.values().map(|m| m.len()).sum::<usize>();
        let extras = count(&aws.disks) + count(&azure.disks) + lbs(aws) + lbs(gcp) + lbs(azure);
        assert_eq!(extras, 20);
        assert_eq!(
            (&*aws.as_of, &*azure.as_of, &*gcp.as_of),
            ("2026-07-20", "2026-06-18", "2026-07-30")
        );
        // Compute, disk and LB prices each carry their own source's date (extras: 2024-07).
        assert_eq!(aws.dates(), ["2026-07-20", "2024-07", "2022-11-22"]);
        assert_eq!(azure.dates(), ["2026-06-18", "2024-07", "undated"]);
        assert_eq!(gcp.dates(), ["2026-07-30", "undated"]);
        assert_eq!(azure.shapes.len(), 1370, "every Azure size");
        for p in &c.providers {
            assert!(!p.source.is_empty() && !p.licence.is_empty());
        }
    }

    #[test]
    fn well_known_list_prices() {
        let c = Catalog::bundled();
        let on = |p, r: &str, s: &str| *c.provider(p).unwrap().compute_price(r, s).unwrap();
        assert_eq!(
            on(ProviderKind::Aws, "us-east-1", "m5.large").usd_per_hour,
            0.096
        );
        assert_eq!(
            on(ProviderKind::Aws, "us-east-1", "t3.micro").usd_per_hour,
            0.0104
        );
        // The README's example: m5.large is 0.107 in eu-west-1, a 2022 list price.
        let eu = on(ProviderKind::Aws, "eu-west-1", "m5.large");
        let aws = c.provider(ProviderKind::Aws).unwrap();
        assert_eq!(
            (eu.usd_per_hour, &**aws.dated(&eu).0, eu.spot_usd_per_hour),
            (0.107, "2022-11-22", None)
        );
        assert_eq!(
            &**aws.dated(&on(ProviderKind::Aws, "us-east-1", "m5.large")).0,
            "2026-07-20",
            "the newer us-east-1 price wins"
        );
        let azure = c.provider(ProviderKind::Azure).unwrap();
        assert_eq!(
            azure.shapes["Standard_D2s_v5"],
            Shape {
                vcpus: 2,
                memory_mib: 8192,
                arm: false,
                gpus: 0
            }
        );
        assert_eq!(azure.shapes["Standard_DS1_v2"].memory_mib, 3584);
        assert!(azure.shapes["Standard_D2ps_v5"].arm);
        assert_eq!(
            on(ProviderKind::Azure, "eastus", "Standard_D2as_v5").usd_per_hour,
            0.086
        );
        assert_eq!(
            on(ProviderKind::Azure, "eastus", "Standard_D2s_v5").usd_per_hour,
            0.096
        );
        assert_eq!(
            on(ProviderKind::Azure, "eastus", "Standard_B1s").usd_per_hour,
            0.0104
        );
        let e2 = on(ProviderKind::Gcp, "us-central1", "e2-standard-2");
        assert!(e2.usd_per_hour > 0.06 && e2.usd_per_hour < 0.08, "{e2:?}");
        assert!(e2.spot_usd_per_hour.unwrap() < e2.usd_per_hour);
        assert_eq!(
            c.provider(ProviderKind::Gcp).unwrap().shapes["n2-standard-4"],
            Shape {
                vcpus: 4,
                memory_mib: 16384,
                arm: false,
                gpus: 0
            }
        );
    }
}
