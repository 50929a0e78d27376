//! `saker rules`: validate, list, describe and test Falco-compatible rules files.

pub mod describe;
pub mod list;
pub mod test;
pub mod validate;

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use saker_rules::{Diagnostic, RuleSet, files::read_paths};

use crate::exit::Outcome;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(clap::Subcommand)]
enum RulesCommand {
    /// Check rules files (like `falco -V`): every error and warning, exit 1 on errors.
    Validate(validate::Args),
    /// List the rules: name, priority, source, enabled, tags.
    List(list::Args),
    /// Show one rule: its condition with macros and lists expanded, exceptions, output.
    Describe(describe::Args),
    /// Evaluate field-level events (JSON lines) against rules and print the alerts.
    Test(test::Args),
}

pub fn run(args: Args) -> Outcome {
    match args.command {
        RulesCommand::Validate(a) => validate::run(a),
        RulesCommand::List(a) => list::run(a),
        RulesCommand::Describe(a) => describe::run(a),
        RulesCommand::Test(a) => test::run(a),
    }
}

/// Rules loaded for a command, with every diagnostic.
pub struct Loaded {
    pub ruleset: RuleSet,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads the given files and directories in order, or Saker's embedded default ruleset when
/// none are given. A file that cannot be read is an error (exit 2); rules problems are
/// diagnostics.
pub fn load_rules(paths: &[PathBuf]) -> anyhow::Result<Loaded> {
    if paths.is_empty() {
        let (ruleset, diagnostics) = saker_engine::load_default_rules();
        return Ok(Loaded {
            ruleset,
            diagnostics,
        });
    }
    let files = read_paths(paths).context("loading rules")?;
    let (ruleset, diagnostics) = saker_rules::load(&files);
    Ok(Loaded {
        ruleset,
        diagnostics,
    })
}

/// Prints the errors of a load to stderr (for commands whose output is something else).
/// Returns whether there were errors.
pub fn report_errors(loaded: &Loaded) -> bool {
    let mut stderr = std::io::stderr().lock();
    for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = write!(stderr, "{}", d.render());
    }
    loaded.has_errors()
}
