//! The AWS Price List bulk offer file for EC2 in one region
//! (`/offers/v1.0/aws/AmazonEC2/current/<region>/index.json`): Linux shared-tenancy on-demand
//! instance prices with their vCPU and memory, EBS GB-month prices, and ELB hourly prices.

use std::collections::HashMap;

use serde::Deserialize;

use crate::prices::catalog::{ComputePrice, DiskPrice, ProviderPrices, Shape};

#[derive(Deserialize)]
struct Offer {
    products: HashMap<String, Product>,
    terms: Terms,
}

#[derive(Deserialize)]
struct Product {
    #[serde(rename = "productFamily", default)]
    family: String,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

#[derive(Deserialize)]
struct Terms {
    #[serde(rename = "OnDemand", default)]
    on_demand: HashMap<String, HashMap<String, Term>>,
}

#[derive(Deserialize)]
struct Term {
    #[serde(rename = "priceDimensions")]
    dims: HashMap<String, Dimension>,
}

#[derive(Deserialize)]
struct Dimension {
    unit: String,
    #[serde(rename = "pricePerUnit")]
    price: HashMap<String, String>,
}

/// "8 GiB", "0.5 GiB", "1,952 GiB" → MiB.
fn memory_mib(s: &str) -> Option<u32> {
    let n: f64 = s.split_whitespace().next()?.replace(',', "").parse().ok()?;
    Some((n * 1024.0).round() as u32)
}

/// Merge one region's offer file into `into`.
pub fn parse_offer(json: &str, into: &mut ProviderPrices) -> Result<usize, String> {
    let offer: Offer = serde_json::from_str(json).map_err(|e| format!("AWS offer file: {e}"))?;
    let mut count = 0;
    for (sku, p) in &offer.products {
        let a = |k: &str| p.attributes.get(k).map(String::as_str).unwrap_or("");
        let Some(terms) = offer.terms.on_demand.get(sku) else {
            continue;
        };
        let Some((unit, usd)) = terms.values().flat_map(|t| t.dims.values()).find_map(|d| {
            d.price
                .get("USD")
                .and_then(|u| u.parse::<f64>().ok())
                .map(|u| (d.unit.as_str(), u))
        }) else {
            continue;
        };
        let region = a("regionCode");
        if region.is_empty() {
            continue;
        }
        match p.family.as_str() {
            "Compute Instance"
                if a("operatingSystem") == "Linux"
                    && a("tenancy") == "Shared"
                    && a("preInstalledSw") == "NA"
                    && a("capacitystatus") == "Used"
                    && unit == "Hrs"
                    && usd > 0.0 =>
            {
                let ty = a("instanceType").to_string();
                into.compute
                    .entry(region.to_string())
                    .or_default()
                    .insert(ty.clone(), ComputePrice::new(usd, None));
                if let (Ok(vcpus), Some(mib)) = (a("vcpu").parse::<u32>(), memory_mib(a("memory")))
                {
                    into.shapes.insert(
                        ty,
                        Shape {
                            vcpus,
                            memory_mib: mib,
                            arm: a("physicalProcessor").contains("Graviton"),
                            gpus: a("gpu").parse().unwrap_or(0),
                        },
                    );
                }
                count += 1;
            }
            "Storage" if unit == "GB-Mo" && !a("volumeApiName").is_empty() => {
                into.set_disk(region, a("volumeApiName"), DiskPrice::PerGbMonth(usd));
                count += 1;
            }
            "Load Balancer-Application" | "Load Balancer-Network"
                if unit == "Hrs" && a("usagetype").ends_with("LoadBalancerUsage") =>
            {
                let kind = if p.family.ends_with("Application") {
                    "application"
                } else {
                    "network"
                };
                into.set_lb(region, kind, usd);
                count += 1;
            }
            _ => {}
        }
    }
    Ok(count)
}
