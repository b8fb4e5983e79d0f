//! `nephos prices refresh`: rebuild a provider's prices from its live public source into the
//! data dir, where they are used in preference to the bundled catalog. The parsers work on text
//! and are tested on recorded samples (tests/data/prices/); only `fetch` touches the network.

pub mod aws;
pub mod azure;
pub mod gcp;

use std::time::Duration;

use crate::domain::ProviderKind;
use crate::prices::catalog::ProviderPrices;

const AWS_OFFERS: &str = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws";
const AZURE_PRICES: &str = "https://prices.azure.com/api/retail/prices";
const GCP_SKUS: &str = "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus";

/// GET a URL as text; large bodies allowed (an EC2 offer file is hundreds of MB).
fn fetch(url: &str) -> Result<String, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let mut resp = agent
        .get(url)
        .call()
        .map_err(|e| format!("{}: {e}", redact(url)))?;
    resp.body_mut()
        .with_config()
        .limit(4 << 30)
        .read_to_string()
        .map_err(|e| format!("{}: {e}", redact(url)))
}

/// A URL without its API key, for messages.
fn redact(url: &str) -> String {
    match url.find("key=") {
        Some(i) => {
            let end = url[i..].find('&').map_or(url.len(), |j| i + j);
            format!("{}key=…{}", &url[..i], &url[end..])
        }
        None => url.to_string(),
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub struct Options<'a> {
    /// AWS regions to fetch (an offer file per region).
    pub regions: &'a [String],
    /// The Cloud Billing Catalog needs an API key.
    pub gcp_api_key: Option<&'a str>,
    /// Today's date, for "prices as of".
    pub today: String,
}

/// Fetch and parse one provider's prices, on top of `base` (what is not refreshed is kept).
pub fn refresh(
    provider: ProviderKind,
    base: &ProviderPrices,
    opts: &Options<'_>,
) -> Result<(ProviderPrices, usize), String> {
    let mut out = base.clone();
    // What this refresh does not replace keeps its own date and source.
    out.rebase(&opts.today, "");
    let count = match provider {
        ProviderKind::Aws => {
            let mut n = 0;
            for region in opts.regions {
                for offer in ["AmazonEC2", "AWSELB"] {
                    let text = fetch(&format!("{AWS_OFFERS}/{offer}/current/{region}/index.json"))?;
                    n += aws::parse_offer(&text, &mut out)?;
                }
            }
            out.source = format!(
                "AWS Price List bulk offer files (AmazonEC2, AWSELB) for {}, fetched {}",
                opts.regions.join(", "),
                opts.today
            )
            .into();
            n
        }
        ProviderKind::Azure => {
            out.compute.clear();
            let mut n = 0;
            let mut url = Some(format!("{AZURE_PRICES}?$filter={}", encode(azure::FILTER)));
            while let Some(u) = url {
                let (next, got) = azure::parse_page(&fetch(&u)?, &mut out)?;
                n += got;
                url = next;
            }
            azure::finish(&mut out);
            out.source = format!("Azure Retail Prices API, fetched {}", opts.today).into();
            n
        }
        ProviderKind::Gcp => {
            let key = opts.gcp_api_key.ok_or("the Cloud Billing Catalog needs an API key: --gcp-api-key KEY or NEPHOS_GCP_API_KEY")?;
            let mut rates = gcp::FamilyRates::new();
            let mut token = String::new();
            loop {
                let url = format!(
                    "{GCP_SKUS}?key={}&pageSize=5000&pageToken={}",
                    encode(key),
                    encode(&token)
                );
                token = gcp::parse_page(&fetch(&url)?, &mut rates)?;
                if token.is_empty() {
                    break;
                }
            }
            out.source = format!("Cloud Billing Catalog API (Compute Engine SKUs), fetched {}; shared-core types as bundled", opts.today).into();
            gcp::price_machine_types(&rates, &mut out)
        }
    };
    if count == 0 {
        return Err(format!(
            "{provider}: the source gave no prices; nothing was written"
        ));
    }
    out.prune_origins();
    Ok((out, count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::catalog::{DiskPrice, Shape};
    use crate::prices::Catalog;

    const AWS: &str = include_str!("../../../tests/data/prices/aws-offer-ec2-us-east-1.json");
    const AZURE: &str = include_str!("../../../tests/data/prices/azure-retail-prices-page.json");
    const GCP: &str = include_str!("../../../tests/data/prices/gcp-billing-catalog-skus.json");

    #[test]
    fn aws_offer_file() {
        let mut p = ProviderPrices::default();
        let n = aws::parse_offer(AWS, &mut p).unwrap();
        assert_eq!(
            n, 4,
            "m5.large, t3.micro, gp3, the ALB; not Windows, not dedicated"
        );
        assert_eq!(
            p.compute_price("us-east-1", "m5.large")
                .unwrap()
                .usd_per_hour,
            0.096
        );
        assert_eq!(
            p.compute_price("us-east-1", "t3.micro")
                .unwrap()
                .usd_per_hour,
            0.0104
        );
        assert_eq!(
            p.shapes["m5.large"],
            Shape {
                vcpus: 2,
                memory_mib: 8192,
                arm: false,
                gpus: 0
            }
        );
        assert_eq!(
            p.disk_price("us-east-1", "gp3"),
            Some(&DiskPrice::PerGbMonth(0.08))
        );
        assert_eq!(p.lb_price("us-east-1", "application"), Some(0.0225));
        assert!(aws::parse_offer("{\"products\": 3}", &mut p)
            .unwrap_err()
            .starts_with("AWS offer file:"));
    }

    #[test]
    fn a_refreshed_region_is_dated_today_and_the_rest_keeps_its_own_date() {
        // What `refresh` does for AWS, on the bundled prices, without the network.
        let mut p = Catalog::bundled()
            .provider(ProviderKind::Aws)
            .unwrap()
            .clone();
        p.rebase(
            "2026-12-01",
            "AWS Price List bulk offer files, fetched 2026-12-01",
        );
        aws::parse_offer(AWS, &mut p).unwrap();
        p.prune_origins();
        let date = |r: &str, s: &str| p.dated(p.compute_price(r, s).unwrap()).0.to_string();
        assert_eq!(date("us-east-1", "m5.large"), "2026-12-01");
        assert_eq!(
            date("us-east-1", "m6i.large"),
            "2026-07-20",
            "a type the offer sample lacks keeps the bundled date"
        );
        assert_eq!(date("eu-west-1", "m5.large"), "2022-11-22");
        assert_eq!(&**p.disk_dated("us-east-1", "gp3").0, "2026-12-01");
        assert_eq!(&**p.disk_dated("us-east-1", "gp2").0, "2024-07");
        assert_eq!(&**p.lb_dated("us-east-1", "application").0, "2026-12-01");
        // And it survives the text form written to the data dir.
        assert_eq!(ProviderPrices::parse(&p.write(), "aws.txt").unwrap(), p);
    }

    #[test]
    fn azure_retail_prices_page() {
        let mut p = ProviderPrices::default();
        let (next, n) = azure::parse_page(AZURE, &mut p).unwrap();
        assert!(next.unwrap().contains("$skip=100"));
        assert_eq!(
            n, 4,
            "Linux consumption and spot; not Windows, low priority or reservations"
        );
        azure::finish(&mut p);
        let d2 = p.compute_price("eastus", "Standard_D2s_v5").unwrap();
        assert_eq!(
            (d2.usd_per_hour, d2.spot_usd_per_hour),
            (0.096, Some(0.0192))
        );
        assert_eq!(
            p.compute_price("westeurope", "Standard_B1s")
                .unwrap()
                .usd_per_hour,
            0.0104
        );
        assert!(
            p.compute_price("westeurope", "Standard_F2s_v2").is_none(),
            "a spot price alone is not a price"
        );
    }

    #[test]
    fn gcp_billing_catalog() {
        let mut rates = gcp::FamilyRates::new();
        let token = gcp::parse_page(GCP, &mut rates).unwrap();
        assert_eq!(token, "CAISBggBEAEYAQ==");
        let r = rates[&("n2".to_string(), "us-central1".to_string())];
        assert_eq!(
            (r.core, r.ram, r.spot_core, r.spot_ram),
            (
                Some(0.031611),
                Some(0.004237),
                Some(0.007653),
                Some(0.001025)
            )
        );
        assert_eq!(
            rates[&("n2".to_string(), "us-east1".to_string())].spot_core,
            None
        );
        let mut p = Catalog::bundled()
            .provider(ProviderKind::Gcp)
            .unwrap()
            .clone();
        let n = gcp::price_machine_types(&rates, &mut p);
        assert!(n > 10, "every N2 type in both regions: {n}");
        let n2 = p.compute_price("us-central1", "n2-standard-4").unwrap();
        assert!((n2.usd_per_hour - (4.0 * 0.031611 + 16.0 * 0.004237)).abs() < 1e-12);
        assert!((n2.spot_usd_per_hour.unwrap() - (4.0 * 0.007653 + 16.0 * 0.001025)).abs() < 1e-12);
        // The published list price for n2-standard-4 in us-central1 is what the rates give.
        assert!(
            (n2.usd_per_hour - 0.194236).abs() < 1e-9,
            "{}",
            n2.usd_per_hour
        );
        assert_eq!(
            p.compute_price("us-east1", "n2-standard-4")
                .unwrap()
                .spot_usd_per_hour,
            None
        );
    }

    #[test]
    fn keys_stay_out_of_messages() {
        assert_eq!(
            redact("https://x/skus?key=SECRET&pageSize=5000"),
            "https://x/skus?key=…&pageSize=5000"
        );
        assert_eq!(encode("a b'c"), "a%20b%27c");
    }
}
