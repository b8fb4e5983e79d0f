//! All integration tests, in one binary so heavy dependencies are linked once.

mod cli_actions;
mod cli_config;
mod cli_list;
mod console_tmux;
mod support;
