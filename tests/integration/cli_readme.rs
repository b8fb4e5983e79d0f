//! Every command the README shows runs as shown (issue 15: two of them failed), in order, on
//! one fresh sandbox: `--demo` ones, and the catalog-only `cost compare` and `prices` (not
//! `prices refresh`, which needs the network).

use crate::support::Env;

/// `a 'b c' d` → [a, b c, d]: single and double quotes, no escapes (the README needs none).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The `nephos …` lines of the README's `sh` blocks, comments cut.
fn readme_commands() -> Vec<Vec<String>> {
    let text = include_str!("../../README.md");
    let mut in_sh = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line.trim() == "```sh";
            continue;
        }
        if !in_sh || !line.starts_with("nephos ") {
            continue;
        }
        // Comments cut, and a redirection (`> file`): the command is what runs.
        let cmd = line.split(" #").next().unwrap_or(line);
        let cmd = cmd.split(" > ").next().unwrap_or(cmd).trim();
        out.push(words(cmd));
    }
    out
}

#[test]
fn every_readme_example_works() {
    let cmds = readme_commands();
    assert!(cmds.len() >= 14, "the README's examples: {cmds:?}");
    let env = Env::new();
    let mut ran = 0;
    for argv in &cmds {
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        if args.starts_with(&["prices", "refresh"]) {
            continue;
        }
        let out = env.cmd().args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "README example `{}` failed ({}): {}",
            argv.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 14, "{ran}");
}
