//! The headless CLI: the same inventory, filter and action code as the console, printed as a
//! table, JSON or CSV (docs/cli.md).

pub mod args;
mod commands;
mod confirm;
pub(crate) mod context;
pub mod network_args;
pub mod output;

pub use args::{Cli, Command, Global};

use crate::config::Config;
use crate::error::AppError;
use crate::paths::Paths;
use context::Context;

/// Run one headless command.
pub async fn run(
    command: Command,
    global: Global,
    cfg: Config,
    paths: Paths,
) -> Result<(), AppError> {
    if let Command::Completion { shell } = command {
        use clap::CommandFactory;
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "nephos",
            &mut std::io::stdout().lock(),
        );
        return Ok(());
    }
    output::project::set(output::project::Projection {
        fields: (!global.fields.is_empty()).then(|| global.fields.clone()),
        headers: !global.no_headers,
    });
    if let Command::Sandbox(cmd) = command {
        return commands::sandbox::run(&cfg, &paths, &global, cmd);
    }
    if let Command::Prices(args) = command {
        return commands::prices::run(&cfg, &paths, global.output, args);
    }
    // Comparing list prices needs no account.
    let need_accounts = !matches!(
        command,
        Command::Cost(args::CostCmd::Compare { .. }) | Command::Journal(_)
    );
    let ctx = Context::new(&global, cfg, paths, need_accounts)?;
    match command {
        Command::List(a) => commands::list::run(&ctx, a).await,
        Command::Get(a) => commands::get::run(&ctx, a).await,
        Command::Instance(c) => commands::actions::instance(&ctx, c).await,
        Command::Disk(c) => commands::actions::disk(&ctx, c).await,
        Command::Lb(c) => commands::actions::lb(&ctx, c).await,
        Command::Network(c) => commands::network::run(&ctx, c).await,
        Command::Tag(a) => commands::actions::tag(&ctx, a).await,
        Command::Accounts => commands::accounts::run(&ctx),
        Command::Cost(c) => commands::costs::cost(&ctx, c).await,
        Command::Findings(a) => commands::findings::run(&ctx, a).await,
        Command::Journal(a) => commands::journal::run(&ctx, a).await,
        Command::Sandbox(_) | Command::Prices(_) | Command::Completion { .. } => {
            unreachable!("handled above")
        }
    }
}
