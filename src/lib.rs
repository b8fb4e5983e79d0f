//! nephos: a keyboard-driven terminal console for AWS, GCP and Azure, and the headless CLI that
//! shares its inventory, filter and action code. See docs/architecture.md for the flow.

pub mod action;
pub mod app;
pub mod cli;
pub(crate) mod command;
pub mod config;
pub mod domain;
pub(crate) mod effect;
pub mod error;
pub mod filter;
pub(crate) mod format;
pub mod inventory;
pub(crate) mod journal;
pub mod keymap;
pub(crate) mod kinds;
pub mod logging;
pub mod low_priority;
pub mod ops;
pub(crate) mod panes;
pub mod paths;
pub mod prices;
pub(crate) mod private_files;
pub mod providers;
pub mod state;
pub(crate) mod tui;
pub mod ui;
pub mod update;
pub mod worker;
