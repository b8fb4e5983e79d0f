//! `nephos list costs`: what every instance, disk and load balancer costs, dearest first.

use serde::Serialize;

use super::super::args::Output;
use super::super::context::Context;
use super::super::output::{print_csv, print_json, print_table};
use super::prices::NO_SPOT;
use super::{io_result, report_failures};
use crate::domain::{ResourceKind, ResourceRef};
use crate::error::AppError;
use crate::filter::Filter;
use crate::inventory::{SortField, SortKeys, SortValue, Sortable};
use crate::prices::estimate::{self, Cost, HOURS_PER_MONTH};
use crate::prices::Catalog;

#[derive(Serialize)]
pub struct CostRow<'a> {
    #[serde(rename = "ref")]
    pub r#ref: &'a ResourceRef,
    pub name: &'a str,
    pub kind: ResourceKind,
    pub provider: &'a str,
    pub account: &'a str,
    pub region: &'a str,
    pub sku: String,
    pub basis: &'static str,
    pub hourly_usd: Option<f64>,
    pub monthly_usd: Option<f64>,
    pub price_as_of: Option<String>,
    pub price_source: Option<String>,
    /// Why it is unpriced, or how it was priced.
    pub note: Option<String>,
}

fn row<'a>(r: &'a ResourceRef, name: &'a str, c: Cost) -> CostRow<'a> {
    CostRow {
        r#ref: r,
        name,
        kind: r.kind,
        provider: r.provider.as_str(),
        account: &r.account,
        region: &r.region,
        monthly_usd: c.monthly_usd(),
        sku: c.sku,
        basis: c.basis.as_str(),
        hourly_usd: c.hourly_usd,
        price_as_of: c.as_of.map(|a| a.to_string()),
        price_source: c.source.map(|a| a.to_string()),
        note: c.note,
    }
}

fn money(v: Option<f64>) -> String {
    v.map_or_else(|| "no price".to_string(), |v| format!("{v:.4}"))
}

impl Sortable for CostRow<'_> {
    fn sort_value(&self, f: SortField) -> SortValue<'_> {
        let text = SortValue::Text;
        match f {
            SortField::Provider => text(self.provider),
            SortField::Account => text(self.account),
            SortField::Region => text(self.region),
            SortField::Name => text(self.name),
            SortField::Id => text(&self.r#ref.id),
            SortField::Type => text(&self.sku),
            _ => SortValue::Missing,
        }
    }
    /// Already priced (from the loaded catalog).
    fn hourly_usd(&self, _cat: &Catalog) -> Option<f64> {
        self.hourly_usd
    }
}

/// Fields `list costs --sort` takes.
const COST_SORTS: &[&str] = &[
    "provider", "account", "region", "name", "id", "type", "cost",
];

pub async fn run(ctx: &Context, filter: &Filter, sort: Option<&str>) -> Result<(), AppError> {
    let (cat, warnings) = Catalog::load(&ctx.paths.data_dir.join("prices"));
    for w in warnings {
        crate::cli::output::warn(w);
    }
    let sort = match sort {
        Some(spec) => {
            let keys = SortKeys::parse(spec).map_err(AppError::usage)?;
            if let Some(k) = keys
                .0
                .iter()
                .find(|k| !COST_SORTS.contains(&k.field.name()))
            {
                return Err(AppError::usage(format!(
                    "list costs cannot sort by '{}'; it sorts by {}",
                    k.field.name(),
                    COST_SORTS.join(", ")
                )));
            }
            Some(keys)
        }
        None => None,
    };
    let filter = filter.clone().with_prices(cat.clone());
    let inv = ctx.fetch(&ResourceKind::DESCRIBED).await;
    let mut rows: Vec<CostRow<'_>> = Vec::new();
    rows.extend(
        inv.instances
            .iter()
            .filter(|i| i.state != crate::domain::InstanceState::Terminated && filter.matches(*i))
            .map(|i| row(&i.r#ref, &i.name, estimate::instance(&cat, i))),
    );
    rows.extend(
        inv.disks
            .iter()
            .filter(|d| filter.matches(*d))
            .map(|d| row(&d.r#ref, &d.name, estimate::disk(&cat, d))),
    );
    rows.extend(
        inv.load_balancers
            .iter()
            .filter(|l| filter.matches(*l))
            .map(|l| row(&l.r#ref, &l.name, estimate::load_balancer(&cat, l))),
    );
    match &sort {
        // Dearest first unless asked otherwise.
        None => rows.sort_by(|a, b| {
            b.monthly_usd
                .unwrap_or(-1.0)
                .total_cmp(&a.monthly_usd.unwrap_or(-1.0))
                .then(a.r#ref.cmp(b.r#ref))
        }),
        Some(keys) => rows.sort_by(|a, b| keys.compare(a, b).then(a.r#ref.cmp(b.r#ref))),
    }
    let io = match ctx.output {
        Output::Json => print_json(&rows),
        Output::Csv => {
            let f = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
            print_csv(
                &[
                    "ref",
                    "kind",
                    "provider",
                    "account",
                    "region",
                    "sku",
                    "basis",
                    "hourly_usd",
                    "monthly_usd",
                    "price_as_of",
                    "price_source",
                    "note",
                    "name",
                ],
                rows.iter().map(|x| {
                    vec![
                        x.r#ref.to_string(),
                        x.kind.to_string(),
                        x.provider.into(),
                        x.account.into(),
                        x.region.into(),
                        x.sku.clone(),
                        x.basis.into(),
                        f(x.hourly_usd),
                        f(x.monthly_usd),
                        x.price_as_of.clone().unwrap_or_default(),
                        x.price_source.clone().unwrap_or_default(),
                        x.note.clone().unwrap_or_default(),
                        x.name.into(),
                    ]
                }),
            )
        }
        Output::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|x| {
                    vec![
                        x.kind.to_string(),
                        x.provider.into(),
                        x.account.into(),
                        x.region.into(),
                        crate::format::short_id(x.r#ref),
                        x.sku.clone(),
                        x.basis.into(),
                        money(x.hourly_usd),
                        money(x.monthly_usd),
                        x.price_as_of.clone().unwrap_or_default(),
                        x.note.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print_table(
                &mut std::io::stdout().lock(),
                &[
                    "kind", "provider", "account", "region", "id", "sku", "basis", "$/h",
                    "$/month", "as of", "note",
                ],
                &cells,
            )
        }
    };
    io_result(io)?;
    report_failures(&inv)
}

pub async fn cost(ctx: &Context, cmd: crate::cli::args::CostCmd) -> Result<(), AppError> {
    match cmd {
        crate::cli::args::CostCmd::Findings { filter } => {
            let filter = Filter::parse(filter.as_deref().unwrap_or(""))?;
            findings(ctx, &filter).await
        }
        crate::cli::args::CostCmd::Compare {
            vcpus,
            memory_gib,
            regions,
            top,
            arch,
        } => compare(ctx, vcpus, memory_gib, &regions, top, arch.as_deref()),
    }
}

fn compare(
    ctx: &Context,
    vcpus: u32,
    memory_gib: f64,
    regions: &[String],
    top: usize,
    arch: Option<&str>,
) -> Result<(), AppError> {
    use crate::prices::{compare, findings};
    if vcpus == 0 || memory_gib.is_nan() || memory_gib <= 0.0 {
        return Err(AppError::usage(
            "--vcpus and --memory-gib must be more than 0",
        ));
    }
    let groups = compare::groups_for(regions).map_err(AppError::usage)?;
    let (cat, warnings) = Catalog::load(&ctx.paths.data_dir.join("prices"));
    for w in warnings {
        crate::cli::output::warn(w);
    }
    let shapes = findings::shapes(&cat, &reported_shapes(ctx));
    let (offers, notes) =
        compare::compare(&cat, &shapes, vcpus, memory_gib, &groups, top.max(1), arch);
    for n in &notes {
        crate::cli::output::warn(n);
    }
    #[derive(Serialize)]
    struct Row<'a> {
        provider: &'a str,
        region: &'a str,
        sku: &'a str,
        vcpus: u32,
        memory_gib: f64,
        usd_per_hour: f64,
        spot_usd_per_hour: Option<f64>,
        arch: &'a str,
        as_of: &'a str,
    }
    let rows: Vec<Row<'_>> = offers
        .iter()
        .map(|o| Row {
            provider: o.provider.as_str(),
            region: &o.region,
            sku: &o.sku,
            vcpus: o.vcpus,
            memory_gib: o.memory_gib,
            usd_per_hour: o.usd_per_hour,
            spot_usd_per_hour: o.spot_usd_per_hour,
            arch: o.arch,
            as_of: &o.as_of,
        })
        .collect();
    let io = match ctx.output {
        Output::Json => print_json(&rows),
        Output::Csv => print_csv(
            &[
                "provider",
                "region",
                "sku",
                "vcpus",
                "memory_gib",
                "arch",
                "usd_per_hour",
                "spot_usd_per_hour",
                "usd_per_month",
                "as_of",
            ],
            rows.iter().map(|r| {
                vec![
                    r.provider.into(),
                    r.region.into(),
                    r.sku.into(),
                    r.vcpus.to_string(),
                    r.memory_gib.to_string(),
                    r.arch.into(),
                    r.usd_per_hour.to_string(),
                    r.spot_usd_per_hour
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    (r.usd_per_hour * HOURS_PER_MONTH).to_string(),
                    r.as_of.into(),
                ]
            }),
        ),
        Output::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.provider.into(),
                        r.region.into(),
                        r.sku.into(),
                        r.vcpus.to_string(),
                        crate::format::gib(r.memory_gib),
                        r.arch.into(),
                        format!("{:.4}", r.usd_per_hour),
                        r.spot_usd_per_hour
                            .map_or_else(|| NO_SPOT.to_string(), |s| format!("{s:.4}")),
                        format!("{:.2}", r.usd_per_hour * HOURS_PER_MONTH),
                        r.as_of.into(),
                    ]
                })
                .collect();
            print_table(
                &mut std::io::stdout().lock(),
                &[
                    "provider", "region", "sku", "vcpu", "gib", "arch", "$/h", "spot $/h",
                    "$/month", "as of",
                ],
                &cells,
            )
        }
    };
    io_result(io)?;
    if rows.is_empty() {
        return Err(AppError::not_found(format!(
            "no priced shape with at least {vcpus} vCPU and {memory_gib} GiB in {}",
            groups.join(", ")
        )));
    }
    Ok(())
}

/// Shapes the accounts report (their machine types), to right-size beyond the catalog's own.
pub fn reported_shapes(
    ctx: &Context,
) -> Vec<(crate::domain::ProviderKind, String, crate::prices::Shape)> {
    ctx.providers
        .iter()
        .flat_map(|p| {
            let kind = p.account().provider;
            p.offerings().machine_types.into_iter().map(move |m| {
                (
                    kind,
                    m.name,
                    crate::prices::Shape {
                        vcpus: m.vcpus,
                        memory_mib: (m.memory_gib * 1024.0).round() as u32,
                        arm: false,
                        gpus: 0,
                    },
                )
            })
        })
        .collect()
}

async fn findings(ctx: &Context, filter: &Filter) -> Result<(), AppError> {
    use crate::prices::findings;
    let (cat, warnings) = Catalog::load(&ctx.paths.data_dir.join("prices"));
    for w in warnings {
        crate::cli::output::warn(w);
    }
    let inv = ctx.fetch(&ResourceKind::DESCRIBED).await;
    let shapes = findings::shapes(&cat, &reported_shapes(ctx));
    let all = findings::findings(&cat, &shapes, &inv);
    let rows: Vec<&findings::Finding> = all
        .iter()
        .filter(|f| {
            filter.is_empty()
                || inv
                    .get(&f.r#ref)
                    .is_some_and(|r| matches_resource(filter, &r))
        })
        .collect();
    let io = match ctx.output {
        Output::Json => print_json(&rows),
        Output::Csv => print_csv(
            &[
                "ref",
                "kind",
                "finding",
                "provider",
                "account",
                "region",
                "monthly_savings_usd",
                "action",
                "detail",
                "name",
                "alternative_to",
            ],
            rows.iter().map(|f| {
                vec![
                    f.r#ref.to_string(),
                    f.kind.to_string(),
                    f.finding.as_str().into(),
                    f.r#ref.provider.to_string(),
                    f.r#ref.account.to_string(),
                    f.r#ref.region.to_string(),
                    f.monthly_savings_usd.to_string(),
                    f.action.map(|a| a.to_string()).unwrap_or_default(),
                    f.detail.clone(),
                    f.name.clone(),
                    f.alternative_to
                        .map(|k| k.as_str().to_string())
                        .unwrap_or_default(),
                ]
            }),
        ),
        Output::Table => {
            let total = findings::total_savings(rows.iter().copied());
            let mut cells: Vec<Vec<String>> = rows
                .iter()
                .map(|f| {
                    vec![
                        f.finding.as_str().into(),
                        f.r#ref.provider.to_string(),
                        f.r#ref.account.to_string(),
                        f.r#ref.region.to_string(),
                        crate::format::short_id(&f.r#ref),
                        format!("{:.2}", f.monthly_savings_usd),
                        f.action.map(|a| a.to_string()).unwrap_or_default(),
                        f.detail.clone(),
                    ]
                })
                .collect();
            cells.push(vec![
                "total".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("{total:.2}"),
                String::new(),
                format!(
                    "{} findings (a resource with two is counted once, by its larger saving)",
                    rows.len()
                ),
            ]);
            print_table(
                &mut std::io::stdout().lock(),
                &[
                    "finding",
                    "provider",
                    "account",
                    "region",
                    "id",
                    "$/month saved",
                    "action",
                    "detail",
                ],
                &cells,
            )
        }
    };
    io_result(io)?;
    report_failures(&inv)
}

fn matches_resource(filter: &Filter, r: &crate::domain::Resource) -> bool {
    match r {
        crate::domain::Resource::Instance(i) => filter.matches(i),
        crate::domain::Resource::Disk(d) => filter.matches(d),
        crate::domain::Resource::LoadBalancer(l) => filter.matches(l),
        crate::domain::Resource::Network(n) => filter.matches(n),
    }
}
