//! `nephos network …`: the arguments of the network actions.

use clap::{Args, Subcommand, ValueEnum};

use super::args::{Confirm, Wait};
use crate::domain::network::PortRange;

#[derive(Debug, Subcommand)]
pub enum NetworkCmd {
    /// Create a network (AWS VPC, GCP VPC network, Azure virtual network) with one subnet, in
    /// the one account named by --account; it is tagged created-by=nephos
    Create(CreateNetwork),
    /// Delete a network nephos made, with its subnets: asks first (default No). A network
    /// nephos did not make is refused
    Delete(NetworkTarget),
    /// Add or remove an ingress rule on a security group (AWS), a network's firewall rules
    /// (GCP) or a network security group (Azure)
    #[command(subcommand)]
    Rule(RuleCmd),
}

#[derive(Debug, Args)]
pub struct CreateNetwork {
    /// The network's name: 1-63 lower-case letters, digits and '-', starting with a letter
    pub name: String,
    /// The region of its subnet (GCP networks are global; their subnet is in this region)
    #[arg(long, value_name = "R")]
    pub region: String,
    /// The network's address range, IPv4 (unused on GCP, where only subnets have ranges)
    #[arg(long, value_name = "CIDR")]
    pub cidr: String,
    /// The subnet's address range: IPv4, within --cidr
    #[arg(long, value_name = "CIDR")]
    pub subnet_cidr: String,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Args)]
pub struct NetworkTarget {
    /// The network: its name, id (vpc-…, GCP name, Azure resource id) or full ref
    /// (aws:ACCOUNT:REGION:network:vpc-…)
    pub network: String,
    #[command(flatten)]
    pub confirm: Confirm,
    #[command(flatten)]
    pub wait: Wait,
}

#[derive(Debug, Subcommand)]
pub enum RuleCmd {
    /// Allow traffic in: opening a sensitive port (SSH, RDP, databases) to the whole internet
    /// is warned about and asks first (default No), as it will be a security finding
    Add(RuleArgs),
    /// Remove the rule that allows this traffic in: asks first (default No)
    Remove(RuleArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ProtocolArg {
    #[default]
    Tcp,
    Udp,
}

impl ProtocolArg {
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolArg::Tcp => "tcp",
            ProtocolArg::Udp => "udp",
        }
    }
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The security group, firewall (GCP: the network's name) or NSG: name, id or full ref
    /// (aws:ACCOUNT:REGION:security-group:sg-…)
    pub group: String,
    /// The port, or a range like 8000-8080
    #[arg(long, value_name = "PORT")]
    pub port: PortRange,
    /// The protocol of the traffic
    #[arg(long, value_enum, default_value_t = ProtocolArg::Tcp)]
    pub protocol: ProtocolArg,
    /// Where the traffic comes from, as a CIDR block (203.0.113.0/24; 0.0.0.0/0 or ::/0 is
    /// the whole internet)
    #[arg(long, value_name = "CIDR")]
    pub source: String,
    #[command(flatten)]
    pub confirm: Confirm,
    #[command(flatten)]
    pub wait: Wait,
}
