//! Asking before dangerous actions. On a terminal: the plan, then `[y/N]` (Enter is No); a
//! resource with a protected tag needs its name typed. Without a terminal: `--yes` or nothing.

use std::io::{BufRead, Write};

use super::output::escape_text;
use crate::domain::Resource;
use crate::error::AppError;

pub struct Question<'a> {
    /// What will happen, one line per resource.
    pub plan: &'a [String],
    /// Resources whose protected tags ask for their name to be typed.
    pub protected: &'a [Resource],
    pub yes: bool,
    pub interactive: bool,
}

fn ask(prompt: &str) -> Result<String, AppError> {
    eprint!("{}", escape_text(prompt));
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| AppError::refused(format!("not confirmed: cannot read the answer: {e}")))?;
    Ok(line.trim().to_string())
}

pub fn confirm(q: Question<'_>) -> Result<(), AppError> {
    if q.yes {
        return Ok(());
    }
    let what = if q.plan.len() == 1 {
        q.plan[0].clone()
    } else {
        format!("{} actions", q.plan.len())
    };
    if !q.interactive {
        return Err(AppError::refused(format!(
            "not confirmed: {what} is destructive and there is no terminal to ask on; pass --yes to confirm"
        )));
    }
    eprintln!("This will:");
    for line in q.plan {
        eprintln!("  {}", escape_text(line));
    }
    for r in q.protected {
        let tags = r.tags().joined();
        let typed = ask(&format!(
            "{} is protected ({tags}). Type its name to go on: ",
            r.name()
        ))?;
        if typed != r.name() {
            return Err(AppError::refused(format!(
                "not confirmed: '{typed}' is not '{}'; nothing was done",
                r.name()
            )));
        }
    }
    match ask("Proceed? [y/N] ")?.to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(AppError::refused("not confirmed; nothing was done")),
    }
}
