//! `saker completions SHELL`: print a completion script for bash, zsh or fish.

use std::io;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::exit::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    shell: CompletionShell,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

pub fn run(args: Args) -> Outcome {
    let shell = match args.shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    let mut command = crate::Cli::command();
    clap_complete::generate(shell, &mut command, "saker", &mut io::stdout());
    Ok(0)
}
