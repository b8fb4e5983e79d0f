//! `nephos sandbox reset`: regenerate the sandbox cloud. It replaces every change made to the
//! world, so it is treated as a destructive action: refused in read-only, confirmed (default
//! No on a terminal, `--yes` without one) when there is a world to lose, and journaled.

use std::io::IsTerminal;

use chrono::Utc;

use super::super::args::{Global, Output, SandboxCmd};
use super::super::confirm::{confirm, Question};
use super::super::context::cli_journal;
use super::super::output::print_json;
use super::io_result;
use crate::config::Config;
use crate::domain::Op;
use crate::error::AppError;
use crate::journal::{Entry, Outcome};
use crate::paths::Paths;
use crate::providers::registry;
use crate::providers::sandbox::generate::MAX_INSTANCES;

pub fn run(cfg: &Config, paths: &Paths, global: &Global, cmd: SandboxCmd) -> Result<(), AppError> {
    match cmd {
        SandboxCmd::Reset {
            instances,
            seed,
            confirm: yes,
        } => {
            if instances > MAX_INSTANCES {
                return Err(AppError::usage(format!(
                    "--instances {instances} is more than the sandbox makes ({MAX_INSTANCES})"
                )));
            }
            if global.read_only || cfg.guardrails.read_only {
                return Err(AppError::refused(
                    "refused: read-only: the sandbox reset would replace every change made to it",
                ));
            }
            let cloud = registry::sandbox_cloud(cfg, paths);
            let detail = format!(
                "reset the sandbox to {instances} instances (seed {seed}), losing every change made to it"
            );
            // A world that does not exist yet holds nothing to lose.
            if cloud.path().exists() {
                confirm(Question {
                    plan: std::slice::from_ref(&detail),
                    protected: &[],
                    named: &[],
                    yes: yes.yes,
                    interactive: std::io::stdin().is_terminal(),
                })?;
            }
            let journal = cli_journal(paths);
            let entry = |outcome, error| Entry {
                time: Utc::now(),
                account: "sandbox".into(),
                resource: None,
                action: Op::ResetSandbox,
                outcome,
                detail: Some(detail.clone()),
                error,
                sandbox: true,
                operation: None,
            };
            journal.note(entry(Outcome::Started, None));
            let summary = match cloud.reset(instances, seed) {
                Ok(s) => {
                    journal.note(entry(Outcome::Succeeded, None));
                    s
                }
                Err(e) => {
                    journal.note(entry(Outcome::Failed, Some(e.to_string())));
                    return Err(e.into());
                }
            };
            match global.output {
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
