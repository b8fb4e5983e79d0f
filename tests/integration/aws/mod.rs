//! The AWS adapter against moto_server, through the real SDK (see docs/providers.md).

mod accounts;
mod actions;
mod deadlines;
mod errors;
mod listing;
mod load_balancers;
pub mod moto;
mod proxy;
