//! nephos: a keyboard-driven terminal console for AWS, GCP and Azure, and the headless CLI that
//! shares its inventory, filter and action code. See docs/architecture.md for the flow.

pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod filter;
pub mod format;
pub mod inventory;
pub mod journal;
pub mod logging;
pub mod ops;
pub mod paths;
pub mod providers;
pub mod worker;
