//! The same machine on every cloud: the cheapest shapes with at least N vCPU and M GiB in
//! comparable regions, on-demand and spot, with the price date.

use serde::Serialize;

use super::findings::Shapes;
use super::Catalog;
use crate::domain::ProviderKind;

/// A group's name and its AWS, GCP and Azure regions.
pub type Group = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// Regions that serve the same place, per provider. A documented choice: the nearest
/// general-purpose region of each cloud (docs/costs.md).
pub const REGION_GROUPS: &[Group] = &[
    (
        "us-east",
        &["us-east-1"],
        &["us-east1", "us-east4"],
        &["eastus", "eastus2"],
    ),
    (
        "us-central",
        &["us-east-2"],
        &["us-central1"],
        &["centralus"],
    ),
    (
        "us-west",
        &["us-west-2", "us-west-1"],
        &["us-west1", "us-west2"],
        &["westus2", "westus"],
    ),
    (
        "canada",
        &["ca-central-1"],
        &["northamerica-northeast1"],
        &["canadacentral"],
    ),
    (
        "south-america",
        &["sa-east-1"],
        &["southamerica-east1"],
        &["brazilsouth"],
    ),
    (
        "eu-west",
        &["eu-west-1"],
        &["europe-west1"],
        &["westeurope", "northeurope"],
    ),
    ("uk", &["eu-west-2"], &["europe-west2"], &["uksouth"]),
    (
        "eu-central",
        &["eu-central-1"],
        &["europe-west3"],
        &["germanywestcentral"],
    ),
    (
        "india",
        &["ap-south-1"],
        &["asia-south1"],
        &["centralindia"],
    ),
    (
        "asia-southeast",
        &["ap-southeast-1"],
        &["asia-southeast1"],
        &["southeastasia"],
    ),
    (
        "asia-northeast",
        &["ap-northeast-1"],
        &["asia-northeast1"],
        &["japaneast"],
    ),
    (
        "australia",
        &["ap-southeast-2"],
        &["australia-southeast1"],
        &["australiaeast"],
    ),
];

fn regions_of(g: &Group, p: ProviderKind) -> &'static [&'static str] {
    match p {
        ProviderKind::Aws => g.1,
        ProviderKind::Gcp => g.2,
        ProviderKind::Azure => g.3,
    }
}

/// The groups the named regions belong to (`us-east` when none is named). An unknown region is
/// an error that lists the groups.
pub fn groups_for(regions: &[String]) -> Result<Vec<&'static str>, String> {
    if regions.is_empty() {
        return Ok(vec!["us-east"]);
    }
    let mut out = Vec::new();
    for r in regions {
        let g = REGION_GROUPS
            .iter()
            .find(|g| {
                g.0 == r
                    || g.1.contains(&r.as_str())
                    || g.2.contains(&r.as_str())
                    || g.3.contains(&r.as_str())
            })
            .ok_or_else(|| {
                format!(
                    "region '{r}' is in no comparison group; groups: {}",
                    REGION_GROUPS
                        .iter()
                        .map(|g| g.0)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        if !out.contains(&g.0) {
            out.push(g.0);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub provider: ProviderKind,
    pub region: String,
    pub sku: String,
    pub vcpus: u32,
    pub memory_gib: f64,
    pub usd_per_hour: f64,
    pub spot_usd_per_hour: Option<f64>,
    /// x86_64 or arm64.
    pub arch: &'static str,
    pub as_of: String,
}

/// The `per_provider` cheapest offers of each provider in the groups, cheapest first; and a note
/// for each provider that could not be compared.
pub fn compare(
    cat: &Catalog,
    shapes: &Shapes,
    vcpus: u32,
    memory_gib: f64,
    groups: &[&str],
    per_provider: usize,
    arch: Option<&str>,
) -> (Vec<Offer>, Vec<String>) {
    let need_mib = (memory_gib * 1024.0).ceil() as u32;
    let mut offers = Vec::new();
    let mut notes = Vec::new();
    for p in ProviderKind::ALL {
        let Some(prices) = cat.provider(p) else {
            continue;
        };
        let Some(known) = shapes.get(&p).filter(|s| !s.is_empty()) else {
            notes.push(format!("{p}: no machine shapes known (the catalog has none; an account of it would report its own)"));
            continue;
        };
        let mut mine: Vec<Offer> = Vec::new();
        for g in groups {
            let group = REGION_GROUPS
                .iter()
                .find(|x| x.0 == *g)
                .expect("groups_for gives known groups");
            for region in regions_of(group, p) {
                let Some(skus) = prices.compute.get(*region) else {
                    continue;
                };
                for (sku, price) in skus {
                    let Some(sh) = known.get(sku) else { continue };
                    if sh.vcpus >= vcpus
                        && sh.memory_mib >= need_mib
                        && arch.is_none_or(|a| a == sh.arch())
                    {
                        mine.push(Offer {
                            provider: p,
                            region: region.to_string(),
                            sku: sku.clone(),
                            vcpus: sh.vcpus,
                            memory_gib: sh.memory_gib(),
                            usd_per_hour: price.usd_per_hour,
                            spot_usd_per_hour: price.spot_usd_per_hour,
                            arch: sh.arch(),
                            as_of: prices.dated(price).0.to_string(),
                        });
                    }
                }
            }
        }
        if mine.is_empty() {
            notes.push(format!(
                "{p}: no priced shape with at least {vcpus} vCPU and {memory_gib} GiB in {}",
                groups.join(", ")
            ));
        }
        mine.sort_by(|a, b| {
            a.usd_per_hour
                .total_cmp(&b.usd_per_hour)
                .then(a.sku.cmp(&b.sku))
                .then(a.region.cmp(&b.region))
        });
        mine.truncate(per_provider);
        offers.extend(mine);
    }
    offers.sort_by(|a, b| {
        a.usd_per_hour
            .total_cmp(&b.usd_per_hour)
            .then(a.provider.cmp(&b.provider))
    });
    (offers, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::findings::shapes;
    use crate::prices::Shape;

    #[test]
    fn the_cheapest_shapes_of_each_provider_in_comparable_regions() {
        let cat = Catalog::bundled();
        let azure = vec![
            (
                ProviderKind::Azure,
                "Standard_D2s_v5".to_string(),
                Shape {
                    vcpus: 2,
                    memory_mib: 8192,
                    arm: false,
                    gpus: 0,
                },
            ),
            (
                ProviderKind::Azure,
                "Standard_B2ms".to_string(),
                Shape {
                    vcpus: 2,
                    memory_mib: 8192,
                    arm: false,
                    gpus: 0,
                },
            ),
            (
                ProviderKind::Azure,
                "Standard_B1s".to_string(),
                Shape {
                    vcpus: 1,
                    memory_mib: 1024,
                    arm: false,
                    gpus: 0,
                },
            ),
        ];
        let sh = shapes(&cat, &azure);
        let (offers, notes) = compare(&cat, &sh, 2, 8.0, &["us-east"], 3, None);
        assert!(notes.is_empty(), "{notes:?}");
        for o in &offers {
            assert!(o.vcpus >= 2 && o.memory_gib >= 8.0, "{o:?}");
        }
        let aws: Vec<&Offer> = offers
            .iter()
            .filter(|o| o.provider == ProviderKind::Aws)
            .collect();
        assert_eq!(aws.len(), 3);
        assert!(aws.iter().all(|o| o.region == "us-east-1"));
        // No AWS type with 2 vCPU and 8 GiB is cheaper than the first offered.
        let cheapest = aws[0].usd_per_hour;
        let aws_prices = cat.provider(ProviderKind::Aws).unwrap();
        for (sku, p) in &aws_prices.compute["us-east-1"] {
            if let Some(s) = sh[&ProviderKind::Aws].get(sku) {
                if s.vcpus >= 2 && s.memory_mib >= 8192 {
                    assert!(p.usd_per_hour >= cheapest, "{sku} is cheaper");
                }
            }
        }
        let gcp: Vec<&Offer> = offers
            .iter()
            .filter(|o| o.provider == ProviderKind::Gcp)
            .collect();
        assert!(gcp
            .iter()
            .all(|o| o.region == "us-east1" || o.region == "us-east4"));
        assert!(gcp.iter().any(|o| o.spot_usd_per_hour.is_some()));
        let az: Vec<&Offer> = offers
            .iter()
            .filter(|o| o.provider == ProviderKind::Azure)
            .collect();
        assert!(az.iter().all(|o| o.sku != "Standard_B1s"), "too small");
        assert_eq!(az[0].as_of, "2026-06-18");
        assert!(offers
            .windows(2)
            .all(|w| w[0].usd_per_hour <= w[1].usd_per_hour));
    }

    #[test]
    fn an_architecture_can_be_asked_for() {
        let cat = Catalog::bundled();
        let sh = shapes(&cat, &[]);
        let (arm, _) = compare(&cat, &sh, 2, 8.0, &["us-east"], 3, Some("arm64"));
        assert!(
            !arm.is_empty() && arm.iter().all(|o| o.arch == "arm64"),
            "{arm:?}"
        );
        let (x86, _) = compare(&cat, &sh, 2, 8.0, &["us-east"], 3, Some("x86_64"));
        assert!(x86.iter().all(|o| o.arch == "x86_64"));
        assert!(
            x86.iter()
                .any(|o| o.provider == ProviderKind::Aws && o.sku.starts_with("t3a")),
            "{x86:?}"
        );
    }

    #[test]
    fn regions_map_to_groups_and_unknown_ones_say_so() {
        assert_eq!(
            groups_for(&["westeurope".into(), "eu-west-1".into()]).unwrap(),
            ["eu-west"]
        );
        assert_eq!(groups_for(&[]).unwrap(), ["us-east"]);
        assert!(groups_for(&["mars-1".into()])
            .unwrap_err()
            .contains("groups: us-east"));
    }

    #[test]
    fn every_group_compares_all_three_clouds_from_the_catalog_alone() {
        let cat = Catalog::bundled();
        let sh = shapes(&cat, &[]);
        for g in REGION_GROUPS {
            let (offers, notes) = compare(&cat, &sh, 2, 8.0, &[g.0], 3, None);
            assert!(notes.is_empty(), "{}: {notes:?}", g.0);
            for p in ProviderKind::ALL {
                let mine: Vec<&Offer> = offers.iter().filter(|o| o.provider == p).collect();
                assert_eq!(mine.len(), 3, "{} {p}: {offers:?}", g.0);
                for o in mine {
                    assert!(regions_of(g, p).contains(&o.region.as_str()), "{o:?}");
                    assert!(o.vcpus >= 2 && o.memory_gib >= 8.0, "{o:?}");
                }
            }
        }
        // Each offer carries its own price's date: AWS outside us-east-1 is of 2022.
        let (eu, _) = compare(&cat, &sh, 2, 8.0, &["eu-west"], 3, None);
        for o in &eu {
            let want = match o.provider {
                ProviderKind::Aws => "2022-11-22",
                ProviderKind::Azure => "2026-06-18",
                ProviderKind::Gcp => "2026-07-30",
            };
            assert_eq!(o.as_of, want, "{o:?}");
        }
        // Azure spot is not in the bundled catalog: none is invented.
        assert!(eu
            .iter()
            .filter(|o| o.provider != ProviderKind::Gcp)
            .all(|o| o.spot_usd_per_hour.is_none()));
    }
}
