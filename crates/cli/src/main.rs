//! `saker`: the command-line front end. Each subcommand lives in its own module under `cmd/`;
//! this file only parses arguments, dispatches, and turns errors into exit codes.

mod cmd;
mod exit;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Linux runtime security: trace one process, inspect every process, guard the host.
#[derive(Parser)]
#[command(
    name = "saker",
    version,
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List processes like `ps aux`, with the container each one runs in.
    Ps(cmd::ps::Args),
    /// Show the process tree like `pstree -p`, containers marked.
    Pstree(cmd::pstree::Args),
    /// One page on a process: identity, ancestry, namespaces, cgroups, capabilities, fds, env.
    Proc(cmd::proc::Args),
    /// Scan every process's environment and command line for exposed credentials.
    Secrets(cmd::secrets::Args),
    /// Trace the system calls of a command or running processes (strace-compatible).
    Trace(cmd::trace::Args),
    /// Validate, list, describe and test Falco-compatible rules files.
    Rules(cmd::rules::Args),
    /// List the fields that rule conditions and outputs can use.
    Fields(cmd::fields::Args),
    /// Watch the host (or one command) and raise alerts from the rules.
    Run(cmd::run::Args),
    /// Record raw events and a state snapshot to a capture file.
    Capture(cmd::capture::Args),
    /// Show the effective configuration.
    Config(cmd::config::Args),
    /// Print shell completions.
    Completions(cmd::completions::Args),
}

fn main() -> ExitCode {
    // strace's grammar is not clap's: `saker trace` gets its arguments untouched.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "trace") {
        return exit::code_for(cmd::trace::run_raw(&args[2..]));
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ps(args) => cmd::ps::run(args),
        Command::Pstree(args) => cmd::pstree::run(args),
        Command::Proc(args) => cmd::proc::run(args),
        Command::Secrets(args) => cmd::secrets::run(args),
        Command::Trace(args) => cmd::trace::run(args),
        Command::Rules(args) => cmd::rules::run(args),
        Command::Fields(args) => cmd::fields::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Capture(args) => cmd::capture::run(args),
        Command::Config(args) => cmd::config::run(args),
        Command::Completions(args) => cmd::completions::run(args),
    };
    exit::code_for(result)
}
