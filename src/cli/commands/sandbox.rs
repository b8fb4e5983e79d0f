use super::super::args::{Output, SandboxCmd};
use super::super::output::print_json;
use super::io_result;
use crate::config::Config;
use crate::error::AppError;
use crate::paths::Paths;
use crate::providers::registry;
use crate::providers::sandbox::generate::MAX_INSTANCES;

pub fn run(cfg: &Config, paths: &Paths, output: Output, cmd: SandboxCmd) -> Result<(), AppError> {
    match cmd {
        SandboxCmd::Reset { instances, seed } => {
            if instances > MAX_INSTANCES {
                return Err(AppError::usage(format!(
                    "--instances {instances} is more than the sandbox makes ({MAX_INSTANCES})"
                )));
            }
            let cloud = registry::sandbox_cloud(cfg, paths);
            let summary = cloud.reset(instances, seed)?;
            match output {
                Output::Json => io_result(print_json(&summary)),
                _ => {
                    println!(
                        "sandbox reset: {} instances, {} disks, {} load balancers (seed {}) in {}",
                        summary.instances,
                        summary.disks,
                        summary.load_balancers,
                        summary.seed,
                        cloud.path().display()
                    );
                    Ok(())
                }
            }
        }
    }
}
