use serde::Serialize;
use serde_json::Value;

use super::super::args::{GetArgs, OneKind, Output};
use super::super::context::Context;
use super::super::output::{escape, print_json, to_json_string, Printable};
use super::{io_result, resolve};
use crate::domain::network::NetworkRow;
use crate::domain::{Resource, ResourceKind, ResourceRef};
use crate::error::AppError;
use crate::kinds::{self, Kind, VisitRow};

#[derive(Serialize)]
struct WithRaw<T: Serialize> {
    #[serde(flatten)]
    row: T,
    raw: Value,
}

pub async fn run(ctx: &Context, args: GetArgs) -> Result<(), AppError> {
    let kind = match args.kind {
        OneKind::Instance => ResourceKind::Instance,
        OneKind::Disk => ResourceKind::Disk,
        OneKind::LoadBalancer => ResourceKind::LoadBalancer,
        OneKind::Network => ResourceKind::Network,
    };
    if kind == ResourceKind::Network {
        return network(ctx, &args.id).await;
    }
    // A ref names its account and region: ask that provider directly.
    let r: ResourceRef = match args.id.parse::<ResourceRef>() {
        Ok(r) if r.kind == kind => r,
        _ => {
            let inv = ctx.fetch(&[kind]).await;
            resolve::of_kind(&inv, kind, &args.id)?
                .resource_ref()
                .clone()
        }
    };
    let provider = ctx.provider_for(&r)?;
    let d = ctx
        .within_deadline(provider.account(), provider.describe(&r))
        .await?;
    let io = match ctx.output {
        Output::Table => print_detail(&d.resource, &d.raw),
        output => kinds::visit_row(&d.resource, Print { output, raw: d.raw }),
    };
    io_result(io)
}

/// A network is its listed row: JSON and CSV as `list networks` prints it (JSON with its
/// subnets, security groups with their rules, instances and findings), a table as the detail
/// view's lines. There is no raw payload: a network is several of the provider's objects.
async fn network(ctx: &Context, id: &str) -> Result<(), AppError> {
    let inv = ctx.fetch_for(&[ResourceKind::Network], &[id]).await;
    super::note_unsupported(&inv);
    let row = resolve::row::<NetworkRow>(&inv, id)?;
    let io = match ctx.output {
        Output::Table => {
            let fields = super::super::output::project::get().fields;
            match fields {
                // `--fields` picks lines of the key: value form, like other kinds.
                Some(_) => print_detail(&Resource::Network(row.clone()), &Value::Null),
                None => {
                    let mut out = String::new();
                    for (l, _) in kinds::network_text::lines(&row, &|_| None) {
                        out.push_str(&escape(&l));
                        out.push('\n');
                    }
                    use std::io::Write;
                    std::io::stdout().lock().write_all(out.as_bytes())
                }
            }
        }
        Output::Csv => super::super::output::print_rows(&[&row], Output::Csv),
        Output::Json => print_json(&row.json()),
    };
    io_result(io)
}

/// One row as JSON with its raw payload, or as CSV.
struct Print {
    output: Output,
    raw: Value,
}

impl VisitRow for Print {
    type Out = std::io::Result<()>;
    fn row<T: Kind>(self, row: &T) -> Self::Out {
        match self.output {
            Output::Csv => super::super::output::print_rows(&[row], Output::Csv),
            _ => print_json(&WithRaw {
                row: row.json(),
                raw: self.raw,
            }),
        }
    }
}

/// `key: value` lines, then the raw payload.
fn print_detail(r: &Resource, raw: &Value) -> std::io::Result<()> {
    let obj = kinds::visit_row(r, super::actions::ToJson).map_err(std::io::Error::other)?;
    let mut out = String::new();
    // `--fields`: only those lines, in that order, and no raw payload.
    let fields = super::super::output::project::get().fields;
    let pairs: Vec<(String, Value)> = match (obj, &fields) {
        (obj, Some(f)) => match super::super::output::project::json(f, obj)? {
            super::super::output::project::Projected::Object(pairs) => pairs,
            _ => Vec::new(),
        },
        (Value::Object(map), None) => map.into_iter().collect(),
        _ => Vec::new(),
    };
    {
        let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, v) in pairs {
            let text = match v {
                Value::Null => "-".to_string(),
                Value::String(s) => s,
                Value::Object(o) if o.is_empty() => "-".to_string(),
                Value::Array(a) if a.is_empty() => "-".to_string(),
                other => other.to_string(),
            };
            out.push_str(&format!("{k:<width$}  {}\n", escape(&text)));
        }
    }
    if fields.is_none() {
        out.push_str("\nraw:\n");
        out.push_str(&to_json_string(raw)?);
        out.push('\n');
    }
    use std::io::Write;
    std::io::stdout().lock().write_all(out.as_bytes())
}
