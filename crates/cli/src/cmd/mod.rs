//! One module per subcommand: its clap `Args` and its `run`.

pub mod capture;
pub mod completions;
pub mod config;
pub mod containers;
pub mod fields;
pub mod proc;
pub mod ps;
pub mod pstree;
pub mod rules;
pub mod run;
pub mod secrets;
pub mod trace;
