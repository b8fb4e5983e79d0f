use super::super::args::{KindArg, ListArgs, Output};
use super::super::context::Context;
use super::super::output::print_rows;
use super::report_failures;
use crate::domain::ResourceKind;
use crate::error::AppError;
use crate::filter::{Filter, NetBook};
use crate::inventory::{select, Inventory, SortKeys};
use crate::kinds::{self, Kind, Visit};

pub fn kind_of(k: KindArg) -> ResourceKind {
    match k {
        KindArg::Instances => ResourceKind::Instance,
        KindArg::Disks => ResourceKind::Disk,
        KindArg::LoadBalancers | KindArg::Costs => ResourceKind::LoadBalancer,
        KindArg::Networks => ResourceKind::Network,
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
    // `network:NAME` on other kinds reads which network each instance is in.
    let with_networks = filter.uses_networks() && kind != ResourceKind::Network;
    let kinds: &[ResourceKind] = if with_networks {
        &[kind, ResourceKind::Network]
    } else {
        &[kind]
    };
    let inv = ctx.fetch(kinds).await;
    let filter = if with_networks {
        filter.with_networks(NetBook::of(inv.networks.iter()))
    } else {
        filter
    };
    let io = kinds::visit(
        kind,
        Print {
            inv: &inv,
            filter: &filter,
            sort: &sort,
            output: ctx.output,
        },
    );
    super::io_result(io)?;
    super::note_unsupported(&inv);
    report_failures(&inv)
}

/// The rows of one kind the filter lets through, sorted, in the chosen format.
struct Print<'a> {
    inv: &'a Inventory,
    filter: &'a Filter,
    sort: &'a SortKeys,
    output: Output,
}

impl Visit for Print<'_> {
    type Out = std::io::Result<()>;
    fn visit<T: Kind>(self) -> Self::Out {
        print_rows(
            &select(T::table(self.inv).iter(), self.filter, self.sort),
            self.output,
        )
    }
}
