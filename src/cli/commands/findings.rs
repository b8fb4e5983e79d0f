//! `nephos findings`: every sensitive port (SSH, RDP, databases) a security group, firewall or
//! NSG opens to the whole internet, read from the networks of every account.

use serde::Serialize;

use super::super::args::{FindingsArgs, Output};
use super::super::context::Context;
use super::super::output::{print_csv, print_json, print_table};
use super::{io_result, note_unsupported, report_failures};
use crate::domain::network::{Finding, NetworkRow};
use crate::domain::ResourceKind;
use crate::error::AppError;
use crate::filter::Filter;

/// One finding with where it is (docs/cli.md, "findings").
#[derive(Debug, Serialize)]
pub struct SecurityFinding<'a> {
    pub provider: &'static str,
    pub account: &'a str,
    pub region: &'a str,
    pub network: &'a str,
    pub network_ref: String,
    pub group: &'a str,
    pub group_ref: String,
    pub rule: Option<&'a str>,
    pub port: u16,
    pub service: &'static str,
    pub source: &'a str,
}

impl<'a> SecurityFinding<'a> {
    pub fn new(n: &'a NetworkRow, f: &'a Finding) -> Self {
        SecurityFinding {
            provider: n.r#ref.provider.as_str(),
            account: &n.r#ref.account,
            region: &f.group.region,
            network: n.name(),
            network_ref: n.r#ref.to_string(),
            group: &f.group_name,
            group_ref: f.group.to_string(),
            rule: f.rule.as_deref(),
            port: f.port,
            service: f.service,
            source: &f.source,
        }
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.provider.to_string(),
            self.account.to_string(),
            self.region.to_string(),
            self.network.to_string(),
            self.network_ref.clone(),
            self.group.to_string(),
            self.group_ref.clone(),
            self.rule.unwrap_or("").to_string(),
            self.port.to_string(),
            self.service.to_string(),
            self.source.to_string(),
        ]
    }
}

const CSV_HEADER: [&str; 11] = [
    "provider",
    "account",
    "region",
    "network",
    "network_ref",
    "group",
    "group_ref",
    "rule",
    "port",
    "service",
    "source",
];

/// Every finding of the networks `filter` lets through, by provider, account, network, group
/// and port.
pub fn collect<'a>(
    networks: impl Iterator<Item = &'a NetworkRow>,
    filter: &Filter,
) -> Vec<SecurityFinding<'a>> {
    let mut out: Vec<SecurityFinding<'a>> = networks
        .filter(|n| filter.matches(*n))
        .flat_map(|n| n.findings.iter().map(move |f| SecurityFinding::new(n, f)))
        .collect();
    out.sort_by(|a, b| {
        (a.provider, a.account, a.network, a.group, a.port)
            .cmp(&(b.provider, b.account, b.network, b.group, b.port))
    });
    out
}

pub async fn run(ctx: &Context, args: FindingsArgs) -> Result<(), AppError> {
    let filter = Filter::parse(args.filter.as_deref().unwrap_or(""))?;
    let inv = ctx.fetch(&[ResourceKind::Network]).await;
    let rows = collect(inv.networks.iter(), &filter);
    let io = match ctx.output {
        Output::Json => print_json(&rows),
        Output::Csv => print_csv(&CSV_HEADER, rows.iter().map(SecurityFinding::cells)),
        Output::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|f| {
                    vec![
                        f.service.to_string(),
                        f.port.to_string(),
                        f.source.to_string(),
                        f.provider.to_string(),
                        f.account.to_string(),
                        f.network.to_string(),
                        f.group.to_string(),
                        f.rule.unwrap_or("").to_string(),
                    ]
                })
                .collect();
            let columns = [
                "service", "port", "source", "provider", "account", "network", "group", "rule",
            ];
            let mut out = std::io::stdout().lock();
            print_table(&mut out, &columns, &cells)
        }
    };
    io_result(io)?;
    if rows.is_empty() && ctx.output == Output::Table {
        crate::cli::output::warn("no sensitive port is open to the world in the networks read");
    }
    note_unsupported(&inv);
    report_failures(&inv)
}
