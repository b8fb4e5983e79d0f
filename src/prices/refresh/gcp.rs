//! The Cloud Billing Catalog API's Compute Engine SKUs (`services/6F81-5844-456A/skus`): per
//! family and region, the price of a vCPU-hour and of a GiB-hour, on demand and spot. A machine
//! type's price is its vCPUs × the core price + its memory × the RAM price, for the families
//! below and the machine types whose shapes the catalog knows. Shared-core types (e2-micro,
//! e2-small, e2-medium, f1, g1) are billed differently and keep their bundled prices.

use std::collections::HashMap;

use serde::Deserialize;

use crate::prices::catalog::{ComputePrice, ProviderPrices};

/// Machine-type prefix → the family's words in SKU descriptions.
pub const FAMILIES: &[(&str, &str)] = &[
    ("e2", "E2"),
    ("n1", "N1 Predefined"),
    ("n2", "N2"),
    ("n2d", "N2D AMD"),
    ("n4", "N4"),
    ("c2", "Compute optimized"),
    ("c2d", "C2D AMD"),
    ("c3", "C3"),
    ("t2d", "T2D AMD"),
];

const SHARED_CORE: [&str; 5] = ["e2-micro", "e2-small", "e2-medium", "f1-micro", "g1-small"];

#[derive(Deserialize)]
pub struct Page {
    #[serde(default)]
    skus: Vec<Sku>,
    #[serde(rename = "nextPageToken", default)]
    pub next_page_token: String,
}

#[derive(Deserialize)]
struct Sku {
    description: String,
    category: Category,
    #[serde(rename = "serviceRegions", default)]
    regions: Vec<String>,
    #[serde(rename = "pricingInfo", default)]
    pricing: Vec<PricingInfo>,
}

#[derive(Deserialize)]
struct Category {
    #[serde(rename = "resourceFamily", default)]
    family: String,
    #[serde(rename = "usageType", default)]
    usage: String,
}

#[derive(Deserialize)]
struct PricingInfo {
    #[serde(rename = "pricingExpression")]
    expression: Expression,
}

#[derive(Deserialize)]
struct Expression {
    #[serde(rename = "tieredRates", default)]
    rates: Vec<Rate>,
}

#[derive(Deserialize)]
struct Rate {
    #[serde(rename = "unitPrice")]
    price: Money,
}

#[derive(Deserialize)]
struct Money {
    #[serde(rename = "currencyCode")]
    currency: String,
    #[serde(default)]
    units: String,
    #[serde(default)]
    nanos: i64,
}

/// Per (family, region): core and RAM prices, on demand and spot.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Rates {
    pub core: Option<f64>,
    pub ram: Option<f64>,
    pub spot_core: Option<f64>,
    pub spot_ram: Option<f64>,
}

pub type FamilyRates = HashMap<(String, String), Rates>;

/// Which family and resource a description names: ("N2", core?) from
/// "Spot Preemptible N2 Instance Core running in Americas".
fn classify(description: &str) -> Option<(&'static str, bool)> {
    let d = description
        .trim_start_matches("Spot ")
        .trim_start_matches("Preemptible ");
    FAMILIES.iter().rev().find_map(|(prefix, label)| {
        let rest = d.strip_prefix(label)?.trim_start();
        let rest = rest.strip_prefix("Instance ").unwrap_or(rest);
        if rest.starts_with("Core running in") {
            Some((*prefix, true))
        } else if rest.starts_with("Ram running in") {
            Some((*prefix, false))
        } else {
            None
        }
    })
}

/// Collect one page's core and RAM rates.
pub fn parse_page(json: &str, rates: &mut FamilyRates) -> Result<String, String> {
    let page: Page =
        serde_json::from_str(json).map_err(|e| format!("Cloud Billing Catalog page: {e}"))?;
    for sku in &page.skus {
        if sku.category.family != "Compute" {
            continue;
        }
        let spot = match sku.category.usage.as_str() {
            "OnDemand" => false,
            "Preemptible" => true,
            _ => continue,
        };
        let Some((family, core)) = classify(&sku.description) else {
            continue;
        };
        let Some(money) = sku
            .pricing
            .last()
            .and_then(|p| p.expression.rates.last())
            .map(|r| &r.price)
        else {
            continue;
        };
        if money.currency != "USD" {
            continue;
        }
        let usd = money.units.parse::<f64>().unwrap_or(0.0) + money.nanos as f64 / 1e9;
        for region in &sku.regions {
            let r = rates
                .entry((family.to_string(), region.clone()))
                .or_default();
            let slot = match (core, spot) {
                (true, false) => &mut r.core,
                (false, false) => &mut r.ram,
                (true, true) => &mut r.spot_core,
                (false, true) => &mut r.spot_ram,
            };
            *slot = Some(usd);
        }
    }
    Ok(page.next_page_token)
}

/// Price every machine type whose shape `into` knows from the family rates; returns how many.
pub fn price_machine_types(rates: &FamilyRates, into: &mut ProviderPrices) -> usize {
    let shapes: Vec<(String, crate::prices::Shape)> =
        into.shapes.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let mut count = 0;
    for ((family, region), r) in rates {
        let (Some(core), Some(ram)) = (r.core, r.ram) else {
            continue;
        };
        for (ty, shape) in &shapes {
            if SHARED_CORE.contains(&ty.as_str()) || ty.split('-').next() != Some(family.as_str()) {
                continue;
            }
            let gib = shape.memory_gib();
            let spot = match (r.spot_core, r.spot_ram) {
                (Some(c), Some(m)) => Some(shape.vcpus as f64 * c + gib * m),
                _ => None,
            };
            into.compute.entry(region.clone()).or_default().insert(
                ty.clone(),
                ComputePrice::new(shape.vcpus as f64 * core + gib * ram, spot),
            );
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::classify;

    #[test]
    fn descriptions_name_their_family() {
        assert_eq!(
            classify("N2 Instance Core running in Americas"),
            Some(("n2", true))
        );
        assert_eq!(
            classify("Spot Preemptible N2D AMD Instance Ram running in Belgium"),
            Some(("n2d", false))
        );
        assert_eq!(
            classify("Compute optimized Core running in Iowa"),
            Some(("c2", true))
        );
        assert_eq!(
            classify("N1 Predefined Instance Ram running in Americas"),
            Some(("n1", false))
        );
        assert_eq!(classify("Licensing Fee for Windows Server"), None);
        assert_eq!(
            classify("N2 Custom Instance Core running in Americas"),
            None
        );
    }
}
