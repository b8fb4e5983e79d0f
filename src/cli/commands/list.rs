use super::super::args::{KindArg, ListArgs};
use super::super::context::Context;
use super::super::output::print_rows;
use super::report_failures;
use crate::domain::ResourceKind;
use crate::error::AppError;
use crate::filter::Filter;
use crate::inventory::{select, SortKeys};

pub fn kind_of(k: KindArg) -> ResourceKind {
    match k {
        KindArg::Instances => ResourceKind::Instance,
        KindArg::Disks => ResourceKind::Disk,
        KindArg::LoadBalancers | KindArg::Costs => ResourceKind::LoadBalancer,
    }
}

pub async fn run(ctx: &Context, args: ListArgs) -> Result<(), AppError> {
    let filter = Filter::parse(args.filter.as_deref().unwrap_or(""))?;
    if args.kind == KindArg::Costs {
        return super::costs::run(ctx, &filter, args.sort.as_deref()).await;
    }
    // Default order: by account, region and name, so output is stable and easy to scan.
    let sort = SortKeys::parse(args.sort.as_deref().unwrap_or("account,region,name"))
        .map_err(AppError::usage)?;
    // `cost` (filter or sort) reads refreshed prices when there are some.
    let (cat, warnings) = crate::prices::Catalog::load(&ctx.paths.data_dir.join("prices"));
    for w in warnings {
        crate::cli::output::warn(w);
    }
    let (filter, sort) = (filter.with_prices(cat.clone()), sort.with_prices(cat));
    let kind = kind_of(args.kind);
    let inv = ctx.fetch(&[kind]).await;
    let io = match kind {
        ResourceKind::Instance => {
            print_rows(&select(inv.instances.iter(), &filter, &sort), ctx.output)
        }
        ResourceKind::Disk => print_rows(&select(inv.disks.iter(), &filter, &sort), ctx.output),
        ResourceKind::LoadBalancer => print_rows(
            &select(inv.load_balancers.iter(), &filter, &sort),
            ctx.output,
        ),
    };
    super::io_result(io)?;
    report_failures(&inv)
}
