//! All integration tests, in one binary so heavy dependencies are linked once.

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "azure")]
mod azure;
mod cli_actions;
mod cli_config;
mod cli_hostile;
mod cli_journal;
mod cli_list;
mod cli_network_actions;
mod cli_networks;
mod cli_operator;
mod cli_policy;
mod cli_readme;
mod cli_tables;
mod conformance;
mod console_narrow;
mod console_signals;
mod console_tmux;
#[cfg(feature = "gcp")]
mod gcp;
mod props;
mod support;
mod verbs;
