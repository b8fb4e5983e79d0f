use serde::Serialize;

use super::super::args::Output;
use super::super::context::Context;
use super::super::output::{print_csv, print_json, print_table};
use super::io_result;
use crate::error::AppError;

#[derive(Serialize)]
struct AccountRow<'a> {
    name: &'a str,
    provider: &'a str,
    sandbox: bool,
    read_only: bool,
    /// AWS account or profile, GCP project, Azure subscription.
    id: &'a str,
    /// Empty: every region the account has enabled.
    regions: &'a [String],
    lb_kinds: Vec<&'a str>,
}

pub fn run(ctx: &Context) -> Result<(), AppError> {
    let rows: Vec<AccountRow<'_>> = ctx
        .providers
        .iter()
        .map(|p| {
            let a = p.account();
            AccountRow {
                name: &a.name,
                provider: a.provider.as_str(),
                sandbox: a.sandbox,
                read_only: a.read_only,
                id: &a.native_id,
                regions: &a.regions,
                lb_kinds: p
                    .capabilities()
                    .lb_kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect(),
            }
        })
        .collect();
    let io = match ctx.output {
        Output::Json => print_json(&rows),
        Output::Csv => print_csv(
            &["name", "provider", "id", "regions", "read_only", "sandbox"],
            rows.iter().map(|r| {
                vec![
                    r.name.to_string(),
                    r.provider.to_string(),
                    r.id.to_string(),
                    r.regions.join(" "),
                    r.read_only.to_string(),
                    r.sandbox.to_string(),
                ]
            }),
        ),
        Output::Table => {
            let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.name.to_string(),
                        r.provider.to_string(),
                        r.id.to_string(),
                        if r.regions.is_empty() {
                            "all".into()
                        } else {
                            r.regions.join(",")
                        },
                        yes_no(r.read_only),
                        yes_no(r.sandbox),
                    ]
                })
                .collect();
            let cols = ["name", "provider", "id", "regions", "read-only", "sandbox"];
            print_table(&mut std::io::stdout().lock(), &cols, &cells)
        }
    };
    io_result(io)
}
