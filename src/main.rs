//! nephos: parse flags, load config, start logging, then run the console or a headless command.

use std::process::ExitCode;

use clap::Parser;

use nephos::cli::{self, Cli};
use nephos::config::Config;
use nephos::paths::Paths;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = match Paths::resolve(cli.global.config.clone()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("nephos: {e}");
            return ExitCode::from(2);
        }
    };
    let cfg = match Config::load(&paths.config_file, paths.config_named) {
        Ok(c) => c,
        Err(e) => {
            cli::output::warn(e);
            return ExitCode::from(2);
        }
    };
    let _log = nephos::logging::init(
        &paths.log_dir(),
        cli.global.log_level.as_deref(),
        cfg.log_level.as_deref(),
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("nephos: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = match cli.command {
        Some(command) => runtime.block_on(cli::run(command, cli.global, cfg, paths)),
        None => runtime.block_on(nephos::app::run(cli.global, cfg, paths)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            cli::output::warn(&e);
            e.exit_code()
        }
    }
}
