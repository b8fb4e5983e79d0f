//! Asking before dangerous actions. On a terminal: the plan, then `[y/N]` (Enter is No), which
//! `--yes` skips; a protected resource (one with a protected tag) needs its name typed, with
//! `--yes` or not, unless `--confirm NAME` named it. Without a terminal: `--yes`, and for each
//! protected resource `--confirm NAME`.

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
    /// Names (or ids, or refs) given with `--confirm`: protected resources named ahead.
    pub named: &'a [String],
    pub interactive: bool,
}

fn ask_stdin(prompt: &str) -> Result<String, AppError> {
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
    decide(q, &mut ask_stdin, &mut |line| eprintln!("{line}"))
}

fn named(q: &Question<'_>, r: &Resource) -> bool {
    let reff = r.resource_ref();
    q.named
        .iter()
        .any(|n| n == r.name() || n == reff.id.as_str() || *n == reff.to_string())
}

/// The decision, with the terminal passed in (`ask` shows a prompt and reads a line, `say`
/// prints one), so it can be tested without one.
fn decide(
    q: Question<'_>,
    ask: &mut dyn FnMut(&str) -> Result<String, AppError>,
    say: &mut dyn FnMut(&str),
) -> Result<(), AppError> {
    let unnamed: Vec<&Resource> = q.protected.iter().filter(|r| !named(&q, r)).collect();
    if !q.interactive {
        if let Some(r) = unnamed.first() {
            return Err(AppError::refused(format!(
                "not confirmed: {} is protected ({}) and there is no terminal to type its name on; name it with --confirm {} (--yes alone is not enough)",
                r.name(),
                r.tags().joined(),
                r.name()
            )));
        }
        if !q.yes {
            let what = if q.plan.len() == 1 {
                q.plan[0].clone()
            } else {
                format!("{} actions", q.plan.len())
            };
            return Err(AppError::refused(format!(
                "not confirmed: {what} needs confirming and there is no terminal to ask on; pass --yes to confirm"
            )));
        }
        return Ok(());
    }
    if q.yes && unnamed.is_empty() {
        return Ok(());
    }
    say("This will:");
    for line in q.plan {
        say(&format!("  {}", escape_text(line)));
    }
    for r in unnamed {
        let typed = ask(&format!(
            "{} is protected ({}). Type its name to go on: ",
            r.name(),
            r.tags().joined()
        ))?;
        if typed != r.name() {
            return Err(AppError::refused(format!(
                "not confirmed: '{typed}' is not '{}'; nothing was done",
                r.name()
            )));
        }
    }
    if q.yes {
        return Ok(());
    }
    match ask("Proceed? [y/N] ")?.to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(AppError::refused("not confirmed; nothing was done")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Exit;

    fn prod() -> Resource {
        let (mut instances, _, _) = crate::providers::sandbox::sample(1, 3);
        let mut i = instances.remove(0);
        i.tags = [("env", "prod")].into_iter().collect();
        Resource::Instance(i)
    }

    /// Run the decision with scripted answers; returns the result and the prompts asked.
    fn run(
        protected: &[Resource],
        yes: bool,
        named: &[String],
        interactive: bool,
        answers: &[&str],
    ) -> (Result<(), AppError>, Vec<String>) {
        let plan = vec!["terminate instance x".to_string()];
        let mut asked = Vec::new();
        let mut answers = answers.iter();
        let r = decide(
            Question {
                plan: &plan,
                protected,
                yes,
                named,
                interactive,
            },
            &mut |p| {
                asked.push(p.to_string());
                Ok(answers.next().copied().unwrap_or("").to_string())
            },
            &mut |_| {},
        );
        (r, asked)
    }

    #[test]
    fn on_a_terminal_yes_does_not_skip_typing_a_protected_name() {
        let r = prod();
        let name = r.name().to_string();
        let (res, asked) = run(std::slice::from_ref(&r), true, &[], true, &["nope"]);
        assert_eq!(res.unwrap_err().exit, Exit::Refused);
        assert_eq!(asked.len(), 1);
        assert!(asked[0].contains("Type its name"), "{asked:?}");
        let (res, asked) = run(std::slice::from_ref(&r), true, &[], true, &[&name]);
        assert!(res.is_ok());
        assert_eq!(asked.len(), 1, "--yes skips only the y/N question");
        let (res, asked) = run(std::slice::from_ref(&r), false, &[], true, &[&name, "y"]);
        assert!(res.is_ok());
        assert_eq!(asked.len(), 2);
        // Named ahead with --confirm: no typing, and --yes skips the rest.
        let (res, asked) = run(std::slice::from_ref(&r), true, &[name], true, &[]);
        assert!(res.is_ok());
        assert!(asked.is_empty());
    }

    #[test]
    fn without_a_terminal_a_protected_resource_must_be_named() {
        let r = prod();
        let name = r.name().to_string();
        let (res, _) = run(std::slice::from_ref(&r), true, &[], false, &[]);
        let e = res.unwrap_err();
        assert_eq!(e.exit, Exit::Refused);
        assert!(e.message.contains("--confirm"), "{}", e.message);
        let (res, _) = run(
            std::slice::from_ref(&r),
            true,
            &["someone-else".into()],
            false,
            &[],
        );
        assert!(res.is_err(), "naming another resource confirms nothing");
        let (res, _) = run(
            std::slice::from_ref(&r),
            true,
            std::slice::from_ref(&name),
            false,
            &[],
        );
        assert!(res.is_ok());
        let id = r.resource_ref().id.to_string();
        assert!(run(std::slice::from_ref(&r), true, &[id], false, &[])
            .0
            .is_ok());
        let (res, _) = run(std::slice::from_ref(&r), false, &[name], false, &[]);
        assert!(
            res.unwrap_err().message.contains("--yes"),
            "--confirm names it; --yes still confirms the action"
        );
        // Unprotected: --yes is enough, as before.
        assert!(run(&[], true, &[], false, &[]).0.is_ok());
        assert!(run(&[], false, &[], false, &[]).0.is_err());
    }
}
