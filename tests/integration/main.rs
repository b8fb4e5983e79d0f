//! All integration tests, in one binary so heavy dependencies are linked once.

#[cfg(feature = "aws")]
mod aws;
mod cli_actions;
mod cli_config;
mod cli_list;
mod console_signals;
mod console_tmux;
mod support;
