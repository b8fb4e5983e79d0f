use serde::Serialize;
use serde_json::Value;

use super::super::args::{GetArgs, OneKind, Output};
use super::super::context::Context;
use super::super::output::{escape, print_json, to_json_string, Printable};
use super::{io_result, resolve};
use crate::domain::{Resource, ResourceKind, ResourceRef};
use crate::error::AppError;

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
    };
    // A ref names its account and region: ask that provider directly.
    let r: ResourceRef = match args.id.parse::<ResourceRef>() {
        Ok(r) if r.kind == kind => r,
        _ => {
            let inv = ctx.fetch(&[kind]).await;
            let found = match kind {
                ResourceKind::Instance => Resource::Instance(resolve::instance(&inv, &args.id)?),
                ResourceKind::Disk => Resource::Disk(resolve::disk(&inv, &args.id)?),
                ResourceKind::LoadBalancer => {
                    Resource::LoadBalancer(resolve::load_balancer(&inv, &args.id)?)
                }
            };
            found.resource_ref().clone()
        }
    };
    let provider = ctx.provider_for(&r)?;
    let d = ctx
        .within_deadline(provider.account(), provider.describe(&r))
        .await?;
    let io = match ctx.output {
        Output::Json => match &d.resource {
            Resource::Instance(i) => print_json(&WithRaw {
                row: i.json(),
                raw: d.raw,
            }),
            Resource::Disk(x) => print_json(&WithRaw {
                row: x.json(),
                raw: d.raw,
            }),
            Resource::LoadBalancer(l) => print_json(&WithRaw {
                row: l.json(),
                raw: d.raw,
            }),
        },
        Output::Csv => match &d.resource {
            Resource::Instance(i) => super::super::output::print_rows(&[i], Output::Csv),
            Resource::Disk(x) => super::super::output::print_rows(&[x], Output::Csv),
            Resource::LoadBalancer(l) => super::super::output::print_rows(&[l], Output::Csv),
        },
        Output::Table => print_detail(&d.resource, &d.raw),
    };
    io_result(io)
}

/// `key: value` lines, then the raw payload.
fn print_detail(r: &Resource, raw: &Value) -> std::io::Result<()> {
    let obj = match r {
        Resource::Instance(i) => serde_json::to_value(i.json()),
        Resource::Disk(d) => serde_json::to_value(d.json()),
        Resource::LoadBalancer(l) => serde_json::to_value(l.json()),
    }
    .map_err(std::io::Error::other)?;
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
