//! The Azure Retail Prices API (`https://prices.azure.com/api/retail/prices`), one page at a
//! time: Linux pay-as-you-go VM prices and their Spot prices.

use serde::Deserialize;

use crate::prices::catalog::{ComputePrice, ProviderPrices};

#[derive(Deserialize)]
pub struct Page {
    #[serde(rename = "Items", default)]
    items: Vec<Item>,
    #[serde(rename = "NextPageLink")]
    pub next_page_link: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(rename = "retailPrice")]
    retail_price: f64,
    #[serde(rename = "armRegionName", default)]
    region: String,
    #[serde(rename = "armSkuName", default)]
    sku: String,
    #[serde(rename = "skuName", default)]
    sku_name: String,
    #[serde(rename = "productName", default)]
    product_name: String,
    #[serde(rename = "serviceName", default)]
    service_name: String,
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(rename = "unitOfMeasure", default)]
    unit: String,
    #[serde(rename = "currencyCode", default)]
    currency: String,
}

/// The query nephos asks for: Virtual Machines, consumption (pay-as-you-go) prices, in USD.
pub const FILTER: &str = "serviceName eq 'Virtual Machines' and priceType eq 'Consumption'";

/// Merge one page into `into`; returns the page's next link and how many prices it gave.
pub fn parse_page(
    json: &str,
    into: &mut ProviderPrices,
) -> Result<(Option<String>, usize), String> {
    let page: Page =
        serde_json::from_str(json).map_err(|e| format!("Azure Retail Prices page: {e}"))?;
    let mut count = 0;
    for it in &page.items {
        let linux = !it.product_name.contains("Windows");
        let hourly = it.unit == "1 Hour"
            && it.kind == "Consumption"
            && it.service_name == "Virtual Machines";
        if !(linux && hourly)
            || it.currency != "USD"
            || it.sku.is_empty()
            || it.region.is_empty()
            || it.sku_name.ends_with("Low Priority")
        {
            continue;
        }
        let entry = into
            .compute
            .entry(it.region.clone())
            .or_default()
            .entry(it.sku.clone())
            .or_insert(ComputePrice::new(f64::NAN, None));
        if it.sku_name.ends_with(" Spot") {
            entry.spot_usd_per_hour = Some(it.retail_price);
        } else {
            entry.usd_per_hour = it.retail_price;
        }
        count += 1;
    }
    Ok((page.next_page_link, count))
}

/// Drop entries that only ever had a Spot price (no pay-as-you-go price to show).
pub fn finish(into: &mut ProviderPrices) {
    for skus in into.compute.values_mut() {
        skus.retain(|_, p| p.usd_per_hour.is_finite());
    }
    into.compute.retain(|_, skus| !skus.is_empty());
}
