//! The command line (clap derive). Global flags work before or after the subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "nephos",
    version,
    about = "A keyboard-driven console for AWS, GCP and Azure, and a CLI for scripts",
    long_about = "Without a subcommand nephos opens the console. With one, it runs headless on the same \
inventory, filter and actions.\n\nTry it with no cloud account: nephos --demo",
    after_help = "Exit codes: 0 ok, 1 operation failed, 2 usage or config, 3 not found or ambiguous, 4 refused."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// Config file (default: the platform config dir's nephos/config.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Use the embedded sandbox cloud instead of the configured accounts
    #[arg(long, global = true)]
    pub demo: bool,
    /// Only these accounts (repeatable); `create` commands take exactly one
    #[arg(long = "account", global = true, value_name = "NAME")]
    pub accounts: Vec<String>,
    /// Make no changes anywhere: every action is refused
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Log level for the log file: error, warn, info, debug, trace
    #[arg(long, global = true, value_name = "LEVEL", value_parser = ["error", "warn", "info", "debug", "trace"])]
    pub log_level: Option<String>,
    /// Output format
    #[arg(short, long, global = true, value_enum, default_value_t = Output::Table)]
    pub output: Output,
    /// Print only these fields, in this order (JSON keys, CSV columns, or table headers with
    /// `_` for a space), e.g. `--fields id,name,state`
    #[arg(long, global = true, value_name = "FIELD,…", value_delimiter = ',')]
    pub fields: Vec<String>,
    /// No header line in tables and CSV
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// Monochrome console (also when NO_COLOR is set)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Give up on clouds that have not answered a command's reads within SECS seconds (each
    /// unanswered account/region is named); `--wait` has its own --timeout
    #[arg(long, global = true, value_name = "SECS", env = "NEPHOS_DEADLINE", value_parser = parse_deadline)]
    pub deadline: Option<f64>,
}

/// The default `--deadline`: long enough for a big account's paged listing, short enough that
/// an endpoint that never answers is given up on in a minute.
pub const DEFAULT_DEADLINE_SECS: f64 = 60.0;

fn parse_deadline(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "'{s}' is not a number of seconds between 0 and 86400"
        )),
    }
}

impl Global {
    pub fn deadline(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.deadline.unwrap_or(DEFAULT_DEADLINE_SECS))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List resources across every account and region
    List(ListArgs),
    /// Show one resource with the provider's raw payload
    Get(GetArgs),
    /// Start, stop, reboot, terminate or create instances
    #[command(subcommand)]
    Instance(InstanceCmd),
    /// Create, attach, detach or delete disks
    #[command(subcommand)]
    Disk(DiskCmd),
    /// Create, register, deregister or delete load balancers
    #[command(subcommand)]
    Lb(LbCmd),
    /// Create or delete networks; add or remove ingress rules on security groups, firewalls
    /// and NSGs
    #[command(subcommand)]
    Network(super::network_args::NetworkCmd),
    /// Set or remove tags (labels on GCP) on any resource
    Tag(TagArgs),
    /// The configured accounts
    Accounts,
    /// The embedded sandbox cloud
    #[command(subcommand)]
    Sandbox(SandboxCmd),
    /// Every action nephos made, with its outcome; an outcome that was never recorded (the
    /// process ended first) is checked by describing the resource
    Journal(JournalArgs),
    /// List prices from the catalog, or build the catalog
    Prices(PricesArgs),
    /// Waste and savings across every account
    #[command(subcommand)]
    Cost(CostCmd),
    /// Security findings: sensitive ports (SSH, RDP, databases) a security group, firewall
    /// or NSG opens to the whole internet
    Findings(FindingsArgs),
    /// Print a shell completion script: `nephos completion bash > ~/.local/share/bash-completion/completions/nephos`
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct FindingsArgs {
    /// Only the networks this filter lets through (network:NAME, account:, provider:, region:)
    #[arg(long, short = 'f', value_name = "EXPR")]
    pub filter: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CostCmd {
    /// Stopped machines still paying for disks, unattached disks, idle load balancers, spot and
    /// right-size candidates, each with its monthly saving
    Findings {
        /// Only resources matching this filter
        #[arg(long, short = 'f', value_name = "EXPR")]
        filter: Option<String>,
    },
    /// The cheapest shapes of every cloud with at least N vCPU and M GiB, in comparable regions
    Compare {
        #[arg(long, value_name = "N")]
        vcpus: u32,
        #[arg(long, value_name = "M")]
        memory_gib: f64,
        /// Any provider's region (repeatable); compares its group (default: us-east)
        #[arg(long = "region", value_name = "R")]
        regions: Vec<String>,
        /// How many offers per provider
        #[arg(long, default_value_t = 3)]
        top: usize,
        /// Only this CPU architecture
        #[arg(long, value_parser = ["x86_64", "arm64"])]
        arch: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct PricesArgs {
    #[command(subcommand)]
    pub action: Option<PricesCmd>,
    /// aws, gcp or azure
    #[arg(long, value_name = "P", global = true)]
    pub provider: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// A machine type, disk type or LB SKU (`*` globs)
    #[arg(long = "type", value_name = "T")]
    pub sku: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PricesCmd {
    /// Build the catalog from the normalised price CSVs (for maintainers)
    Import {
        /// The directory holding the CSVs
        #[arg(long, value_name = "DIR")]
        from: std::path::PathBuf,
        /// Where to write aws.txt, azure.txt, gcp.txt
        #[arg(long, value_name = "DIR", default_value = "assets/prices")]
        out: std::path::PathBuf,
        /// EC2 instance types with vCPU and memory (moto's instance_types.json), for
        /// right-sizing and comparison on AWS
        #[arg(long, value_name = "FILE")]
        aws_shapes: Option<std::path::PathBuf>,
    },
    /// Rebuild prices from the live public sources into the data dir (needs the network)
    Refresh {
        /// AWS regions to fetch (default: us-east-1 and the configured AWS accounts' regions)
        #[arg(long = "aws-region", value_name = "R")]
        aws_regions: Vec<String>,
        /// An API key for the Cloud Billing Catalog (GCP prices are skipped without one)
        #[arg(
            long,
            env = "NEPHOS_GCP_API_KEY",
            value_name = "KEY",
            hide_env_values = true
        )]
        gcp_api_key: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    #[value(alias = "instance", alias = "vm", alias = "vms")]
    Instances,
    #[value(alias = "disk", alias = "volumes")]
    Disks,
    #[value(alias = "load-balancer", alias = "lb", alias = "lbs")]
    LoadBalancers,
    /// What every instance, disk and load balancer costs
    #[value(alias = "cost")]
    Costs,
    /// VPCs, VPC networks and virtual networks, with their subnets and security groups
    #[value(alias = "network", alias = "vpcs", alias = "vnets")]
    Networks,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(value_enum)]
    pub kind: KindArg,
    /// Filter expression (see docs/filter.md), e.g. 'state:running tag:env=prod !spot:true'
    #[arg(long, short = 'f', value_name = "EXPR")]
    pub filter: Option<String>,
    /// Sort keys, e.g. 'region,name:desc' or 'age'
    #[arg(long, short = 's', value_name = "FIELD[:desc]")]
    pub sort: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OneKind {
    #[value(alias = "instances", alias = "vm")]
    Instance,
    #[value(alias = "disks", alias = "volume")]
    Disk,
    #[value(alias = "load-balancers", alias = "lb")]
    LoadBalancer,
    #[value(alias = "networks", alias = "vpc", alias = "vnet")]
    Network,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    #[arg(value_enum)]
    pub kind: OneKind,
    /// Native id, name, or ref
    pub id: String,
}

#[derive(Debug, Args, Clone)]
pub struct Confirm {
    /// Do not ask: confirm dangerous actions (needed when there is no terminal). A protected
    /// resource still needs its name typed on a terminal, or --confirm NAME without one
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Confirm the protected resource NAME (name, id or ref) without typing its name; each
    /// protected resource needs its own (repeatable)
    #[arg(long = "confirm", value_name = "NAME")]
    pub names: Vec<String>,
}

/// The longest `--timeout`: a week. Anything longer is a typo, and is refused before the action
/// is sent.
pub const MAX_WAIT_SECS: u64 = 7 * 24 * 3600;

#[derive(Debug, Args, Clone)]
pub struct Wait {
    /// Wait until the action reaches its end state (running, stopped, available, in-use,
    /// active, or gone)
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this many seconds (at most a week: 604800)
    #[arg(long, value_name = "SECS", default_value_t = 600,
          value_parser = clap::value_parser!(u64).range(0..=MAX_WAIT_SECS))]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct InstanceIds {
    /// Instances: native ids, names or refs
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub confirm: Confirm,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Subcommand)]
pub enum InstanceCmd {
    /// Start stopped instances
    Start(InstanceIds),
    /// Stop running instances (AWS stop, GCP stop, Azure deallocate)
    Stop(InstanceIds),
    /// Reboot running instances
    Reboot(InstanceIds),
    /// Azure: power off without deallocating. The VM stops but keeps its allocation, so its
    /// compute is still billed (`stop` deallocates)
    PowerOff(InstanceIds),
    /// Terminate (delete) instances: asks first
    Terminate(InstanceIds),
    /// Create an instance in one account (--account, or the only one configured)
    Create(CreateInstance),
}

fn parse_tag(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("'{s}' is not KEY=VALUE")),
    }
}

#[derive(Debug, Args)]
pub struct CreateInstance {
    #[arg(long)]
    pub region: String,
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long = "type", value_name = "TYPE")]
    pub instance_type: String,
    #[arg(long)]
    pub name: String,
    /// Image (default: the provider's standard Linux image)
    #[arg(long)]
    pub image: Option<String>,
    /// Boot disk size in GiB
    #[arg(long, value_name = "N")]
    pub disk_gib: Option<u64>,
    #[arg(long)]
    pub spot: bool,
    #[arg(long = "tag", value_name = "K=V", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    /// Azure: the SSH public key for the VM's user (default ~/.ssh/id_ed25519.pub, then
    /// ~/.ssh/id_rsa.pub)
    #[arg(long, value_name = "PATH")]
    pub ssh_key: Option<std::path::PathBuf>,
    /// Azure: the resource group to create in (made, tagged made-by=nephos, when missing)
    #[arg(long, value_name = "NAME")]
    pub resource_group: Option<String>,
    /// Azure: an existing subnet for the VM's NIC, by id or VNET/SUBNET in the resource group
    /// (default: nephos's own VNet of the region)
    #[arg(long, value_name = "ID|VNET/SUBNET")]
    pub subnet: Option<String>,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Subcommand)]
pub enum DiskCmd {
    /// Create a disk in one account and zone
    Create(CreateDisk),
    /// Attach a disk to an instance in its zone
    Attach(AttachDisk),
    /// Detach a disk from its instance: asks first
    Detach(DiskTarget),
    /// Delete a disk: asks first
    Delete(DiskTarget),
}

#[derive(Debug, Args)]
pub struct CreateDisk {
    #[arg(long)]
    pub region: String,
    #[arg(long)]
    pub zone: String,
    #[arg(long)]
    pub name: String,
    #[arg(long, value_name = "N")]
    pub size_gib: u64,
    #[arg(long = "type", value_name = "TYPE")]
    pub disk_type: Option<String>,
    #[arg(long = "tag", value_name = "K=V", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Args)]
pub struct AttachDisk {
    pub disk: String,
    #[arg(long)]
    pub instance: String,
    #[arg(long)]
    pub device: Option<String>,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Args)]
pub struct DiskTarget {
    pub disk: String,
    #[command(flatten)]
    pub confirm: Confirm,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LbKindArg {
    Application,
    Network,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemeArg {
    InternetFacing,
    Internal,
}

#[derive(Debug, Subcommand)]
pub enum LbCmd {
    /// Create a load balancer in one account and region
    Create(CreateLb),
    /// Register instances of its account and region as targets
    Register(LbTargets),
    /// Deregister instances: asks first
    Deregister(LbTargetsConfirm),
    /// Delete a load balancer: asks first
    Delete(LbTarget),
}

#[derive(Debug, Args)]
pub struct CreateLb {
    #[arg(long)]
    pub region: String,
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum, default_value_t = LbKindArg::Application)]
    pub kind: LbKindArg,
    #[arg(long, value_enum, default_value_t = SchemeArg::InternetFacing)]
    pub scheme: SchemeArg,
    #[arg(long = "tag", value_name = "K=V", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Args)]
pub struct LbTargets {
    pub lb: String,
    #[arg(required = true, value_name = "INSTANCE")]
    pub instances: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LbTargetsConfirm {
    pub lb: String,
    #[arg(required = true, value_name = "INSTANCE")]
    pub instances: Vec<String>,
    #[command(flatten)]
    pub confirm: Confirm,
}

#[derive(Debug, Args)]
pub struct LbTarget {
    pub lb: String,
    #[command(flatten)]
    pub confirm: Confirm,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// Any resource: native id, name or ref
    pub id: String,
    #[arg(value_name = "K=V", value_parser = parse_tag)]
    pub set: Vec<(String, String)>,
    #[arg(long = "remove", value_name = "K")]
    pub remove: Vec<String>,
    // Changing or removing the tag that protects a resource asks like a dangerous action.
    #[command(flatten)]
    pub confirm: Confirm,
}

#[derive(Debug, Args)]
pub struct JournalArgs {
    /// Only actions whose outcome is unknown
    #[arg(long)]
    pub unresolved: bool,
    /// Only the last N actions
    #[arg(long, value_name = "N")]
    pub last: Option<usize>,
    /// Do not describe resources to check unknown outcomes (no cloud calls)
    #[arg(long)]
    pub no_check: bool,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCmd {
    /// Regenerate the sandbox cloud, deterministically from the seed: every change made to it
    /// is lost, so it asks first (refused in read-only)
    Reset {
        #[arg(long, default_value_t = 60, value_name = "N")]
        instances: usize,
        #[arg(long, default_value_t = 42, value_name = "S")]
        seed: u64,
        #[command(flatten)]
        confirm: Confirm,
    },
}
