use serde::Serialize;

use super::super::args::{Output, PricesArgs, PricesCmd};
use super::super::output::{print_csv, print_json, print_table};
use super::io_result;
use crate::domain::ProviderKind;
use crate::error::AppError;
use crate::paths::Paths;
use crate::prices::catalog::DiskPrice;
use crate::prices::{import, Catalog};

#[derive(Serialize)]
struct PriceRow<'a> {
    provider: &'a str,
    region: &'a str,
    sku: String,
    kind: &'static str,
    unit: &'static str,
    usd: f64,
    spot_usd: Option<f64>,
    as_of: &'a str,
    source: &'a str,
}

/// What the table says where the catalog has no spot price (AWS and Azure until
/// `prices refresh` fetches one): never an invented figure.
pub const NO_SPOT: &str = "no spot price";

fn glob(pattern: Option<&str>, text: &str) -> bool {
    pattern.is_none_or(|p| crate::filter::value_matches(p, text))
}

fn refresh(
    cfg: &crate::config::Config,
    paths: &Paths,
    provider: Option<ProviderKind>,
    aws_regions: Vec<String>,
    gcp_api_key: Option<String>,
) -> Result<(), AppError> {
    use crate::prices::refresh;
    let dir = paths.data_dir.join("prices");
    crate::private_files::create_dir(&dir)
        .map_err(|e| AppError::failed(format!("{}: {e}", dir.display())))?;
    let mut regions = aws_regions;
    if regions.is_empty() {
        regions.push("us-east-1".into());
        for a in cfg
            .accounts
            .iter()
            .filter(|a| a.provider == ProviderKind::Aws)
        {
            regions.extend(a.regions.iter().cloned());
        }
        regions.sort();
        regions.dedup();
    }
    let opts = refresh::Options {
        regions: &regions,
        gcp_api_key: gcp_api_key.as_deref(),
        today: chrono::Utc::now().format("%Y-%m-%d").to_string(),
    };
    let (current, _) = Catalog::load(&dir);
    let mut failed = Vec::new();
    for kind in ProviderKind::ALL {
        if provider.is_some_and(|p| p != kind) {
            continue;
        }
        if kind == ProviderKind::Gcp && opts.gcp_api_key.is_none() && provider.is_none() {
            eprintln!("gcp: skipped (the Cloud Billing Catalog needs --gcp-api-key or NEPHOS_GCP_API_KEY)");
            continue;
        }
        let Some(base) = current.provider(kind) else {
            continue;
        };
        match refresh::refresh(kind, base, &opts) {
            Ok((prices, n)) => {
                let path = dir.join(format!("{kind}.txt"));
                crate::private_files::write(&path, prices.write().as_bytes())
                    .map_err(|e| AppError::failed(format!("{}: {e}", path.display())))?;
                eprintln!(
                    "{kind}: {n} prices as of {} written to {}",
                    prices.as_of,
                    path.display()
                );
            }
            Err(e) => {
                crate::cli::output::warn(format_args!("{kind}: {e}"));
                failed.push(kind.to_string());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(AppError::failed(format!(
            "could not refresh {} (the prices in use are unchanged)",
            failed.join(", ")
        )))
    }
}

pub fn run(
    cfg: &crate::config::Config,
    paths: &Paths,
    output: Output,
    args: PricesArgs,
) -> Result<(), AppError> {
    if let Some(PricesCmd::Refresh {
        aws_regions,
        gcp_api_key,
    }) = args.action
    {
        let provider: Option<ProviderKind> = match &args.provider {
            Some(p) => Some(p.parse().map_err(AppError::usage)?),
            None => None,
        };
        return refresh(cfg, paths, provider, aws_regions, gcp_api_key);
    }
    if let Some(PricesCmd::Import {
        from,
        out,
        aws_shapes,
    }) = args.action
    {
        let mut got = import::import(&from).map_err(AppError::failed)?;
        if let Some(path) = aws_shapes {
            let shapes = import::aws_shapes(&path).map_err(AppError::failed)?;
            eprintln!("{}: {} instance types", path.display(), shapes.len());
            got.aws.shapes.extend(shapes);
            got.aws.source = format!("{}; shapes: moto 5.2.5 ec2/resources/instance_types.json (Apache-2.0, from EC2 DescribeInstanceTypes)", got.aws.source).into();
        }
        std::fs::create_dir_all(&out)
            .map_err(|e| AppError::failed(format!("{}: {e}", out.display())))?;
        for p in [&got.aws, &got.azure, &got.gcp] {
            let path = out.join(format!(
                "{}.txt",
                p.provider.map(|k| k.as_str()).unwrap_or("?")
            ));
            std::fs::write(&path, p.write())
                .map_err(|e| AppError::failed(format!("{}: {e}", path.display())))?;
        }
        for (file, n) in &got.rows {
            eprintln!("{file}: {n} rows");
        }
        eprintln!("catalog written to {}", out.display());
        return Ok(());
    }
    let provider: Option<ProviderKind> = match &args.provider {
        Some(p) => Some(p.parse().map_err(AppError::usage)?),
        None => None,
    };
    let (cat, warnings) = Catalog::load(&paths.data_dir.join("prices"));
    for w in warnings {
        crate::cli::output::warn(w);
    }
    let mut rows: Vec<PriceRow<'_>> = Vec::new();
    for p in &cat.providers {
        let Some(kind) = p.provider else { continue };
        if provider.is_some_and(|want| want != kind) {
            continue;
        }
        for (region, skus) in &p.compute {
            if !glob(args.region.as_deref(), region) {
                continue;
            }
            for (sku, price) in skus {
                if glob(args.sku.as_deref(), sku) {
                    let (as_of, source) = p.dated(price);
                    rows.push(PriceRow {
                        provider: kind.as_str(),
                        region,
                        sku: sku.clone(),
                        kind: "compute",
                        unit: "hour",
                        usd: price.usd_per_hour,
                        spot_usd: price.spot_usd_per_hour,
                        as_of,
                        source,
                    });
                }
            }
        }
        for (region, types) in &p.disks {
            if !glob(args.region.as_deref(), region) {
                continue;
            }
            for (t, d) in types {
                let (as_of, source) = p.disk_dated(region, t);
                match d {
                    DiskPrice::PerGbMonth(v) if glob(args.sku.as_deref(), t) => {
                        rows.push(PriceRow {
                            provider: kind.as_str(),
                            region,
                            sku: t.clone(),
                            kind: "disk",
                            unit: "gb_month",
                            usd: *v,
                            spot_usd: None,
                            as_of,
                            source,
                        });
                    }
                    DiskPrice::Tiers(tiers) if glob(args.sku.as_deref(), t) => {
                        for tier in tiers {
                            rows.push(PriceRow {
                                provider: kind.as_str(),
                                region,
                                sku: format!("{t} {} ({} GiB)", tier.name, tier.size_gib),
                                kind: "disk",
                                unit: "month",
                                usd: tier.usd_per_month,
                                spot_usd: None,
                                as_of,
                                source,
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        for (region, skus) in &p.lbs {
            if !glob(args.region.as_deref(), region) {
                continue;
            }
            for (sku, v) in skus {
                if glob(args.sku.as_deref(), sku) {
                    let (as_of, source) = p.lb_dated(region, sku);
                    rows.push(PriceRow {
                        provider: kind.as_str(),
                        region,
                        sku: sku.clone(),
                        kind: "lb",
                        unit: "hour",
                        usd: *v,
                        spot_usd: None,
                        as_of,
                        source,
                    });
                }
            }
        }
    }
    rows.sort_by(|a, b| {
        (a.provider, a.region, a.kind, &a.sku).cmp(&(b.provider, b.region, b.kind, &b.sku))
    });
    let io = match output {
        Output::Json => print_json(&rows),
        Output::Csv => print_csv(
            &[
                "provider", "region", "sku", "kind", "unit", "usd", "spot_usd", "as_of", "source",
            ],
            rows.iter().map(|x| {
                vec![
                    x.provider.into(),
                    x.region.into(),
                    x.sku.clone(),
                    x.kind.into(),
                    x.unit.into(),
                    x.usd.to_string(),
                    x.spot_usd.map(|s| s.to_string()).unwrap_or_default(),
                    x.as_of.into(),
                    x.source.into(),
                ]
            }),
        ),
        Output::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|x| {
                    vec![
                        x.provider.into(),
                        x.region.into(),
                        x.sku.clone(),
                        x.kind.into(),
                        format!("{} / {}", x.usd, x.unit),
                        match (x.spot_usd, x.kind) {
                            (Some(s), _) => s.to_string(),
                            (None, "compute") => NO_SPOT.into(),
                            (None, _) => String::new(),
                        },
                        x.as_of.into(),
                    ]
                })
                .collect();
            print_table(
                &mut std::io::stdout().lock(),
                &["provider", "region", "sku", "kind", "usd", "spot", "as of"],
                &cells,
            )
        }
    };
    io_result(io)?;
    if rows.is_empty() {
        return Err(AppError::not_found("no price in the catalog matches"));
    }
    Ok(())
}
