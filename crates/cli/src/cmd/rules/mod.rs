//! `saker rules`: validate, list, describe and test Falco-compatible rules files.

pub mod describe;
pub mod list;
pub mod setup;
pub mod show_default;
pub mod test;
pub mod validate;

use std::io::Write as _;
use std::path::PathBuf;

use saker_rules::{Diagnostic, RuleSet};

use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(clap::Subcommand)]
enum RulesCommand {
    /// Check rules files (like `falco -V`): every error and warning, exit 1 on errors. The
    /// rules are loaded and compiled exactly as `saker run` does.
    Validate(validate::Args),
    /// List the rules: name, priority, source, enabled, tags.
    List(list::Args),
    /// Show one rule: its condition with macros and lists expanded, exceptions, output.
    Describe(describe::Args),
    /// Evaluate field-level events (JSON lines) against rules and print the alerts.
    Test(test::Args),
    /// Print Saker's embedded default rules (the `embedded` entry of rules_files and the
    /// Kubernetes audit rules), to copy and tune.
    ShowDefault(show_default::Args),
}

pub fn run(args: Args) -> Outcome {
    match args.command {
        RulesCommand::Validate(a) => validate::run(a),
        RulesCommand::List(a) => list::run(a),
        RulesCommand::Describe(a) => describe::run(a),
        RulesCommand::Test(a) => test::run(a),
        RulesCommand::ShowDefault(a) => show_default::run(a),
    }
}

/// Where the rules of a `saker rules` command come from: the same places as `saker run`'s.
#[derive(clap::Args, Default)]
pub struct Origin {
    /// Configuration file: its rules_files (when no rules are given), append_output, priority
    /// and rule_matching apply as in `saker run` (default: /etc/saker/saker.yaml when it
    /// exists).
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Override a configuration key, as `saker run -o`.
    #[arg(short = 'o', value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Load Saker's default rules (syscall and Kubernetes audit) before the given files, to
    /// check files that tune them (overrides, appends, exceptions).
    #[arg(long)]
    pub with_default_rules: bool,
}

/// Rules loaded for a command, with every diagnostic.
pub struct Loaded {
    /// The files, in load order.
    pub files: Vec<String>,
    pub ruleset: RuleSet,
    pub diagnostics: Vec<Diagnostic>,
    /// Why the engine could not be built from rules that loaded without errors.
    pub engine_error: Option<String>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.engine_error.is_some() || self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads and compiles the rules as `saker run` does: the given files and directories in
/// order, or with none the config's `rules_files` after Saker's Kubernetes audit rules. A
/// file that cannot be read, or a bad configuration, is an error (exit 2); rules problems
/// are diagnostics.
pub fn load_rules(paths: &[PathBuf], origin: &Origin) -> anyhow::Result<Loaded> {
    let loaded = saker_config::load(origin.config.as_deref(), &origin.overrides)
        .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    for warning in &loaded.warnings {
        eprintln!("{warning}");
    }
    let config = loaded.config;
    let selection = setup::Selection {
        paths,
        with_default_rules: origin.with_default_rules,
        k8s_audit_rules: paths.is_empty() || origin.with_default_rules,
    };
    let files =
        setup::files(&config, &selection).map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    let built =
        setup::build(&files, &config).map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    let engine_error = match (&built.engine, built.has_errors()) {
        (Err(e), false) => Some(e.clone()),
        _ => None,
    };
    Ok(Loaded {
        files: files.into_iter().map(|f| f.name).collect(),
        ruleset: built.ruleset,
        diagnostics: built.diagnostics,
        engine_error,
    })
}

/// Prints the errors of a load to stderr (for commands whose output is something else).
/// Returns whether there were errors.
pub fn report_errors(loaded: &Loaded) -> bool {
    let mut stderr = std::io::stderr().lock();
    for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
        let _ = write!(stderr, "{}", d.render());
    }
    if let Some(e) = &loaded.engine_error {
        let _ = writeln!(stderr, "error: {e}");
    }
    loaded.has_errors()
}
