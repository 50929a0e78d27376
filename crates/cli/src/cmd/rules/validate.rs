//! `saker rules validate FILE|DIR... [--json]`: Falco's `-V`.

use std::io::{BufWriter, Write as _};
use std::path::PathBuf;

use saker_rules::Severity;

use super::load_rules;
use crate::exit::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Rules files or directories (.yml/.yaml, alphabetical), loaded in order; none: the
    /// embedded default ruleset.
    #[arg(value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Print a machine-readable report (docs/rules.md).
    #[arg(long)]
    pub json: bool,
    /// Print errors only.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(serde::Serialize)]
struct Report<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    rules: usize,
    macros: usize,
    lists: usize,
    files: Vec<String>,
    diagnostics: Vec<&'a saker_rules::Diagnostic>,
}

pub fn run(args: Args) -> Outcome {
    let loaded = load_rules(&args.paths)?;
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    let shown: Vec<&saker_rules::Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| !args.quiet || d.severity == Severity::Error)
        .collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        let report = Report {
            ok: errors == 0,
            errors,
            warnings,
            rules: loaded.ruleset.rules.len(),
            macros: loaded.ruleset.macros.len(),
            lists: loaded.ruleset.lists.len(),
            files: if args.paths.is_empty() {
                vec![saker_engine::DEFAULT_RULES_FILE_NAME.to_string()]
            } else {
                args.paths.iter().map(|p| p.display().to_string()).collect()
            },
            diagnostics: shown,
        };
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        for d in &shown {
            write!(out, "{}", d.render())?;
        }
        writeln!(
            out,
            "{}: {} rules, {} macros, {} lists; {errors} error{}, {warnings} warning{}",
            if errors == 0 { "ok" } else { "invalid" },
            loaded.ruleset.rules.len(),
            loaded.ruleset.macros.len(),
            loaded.ruleset.lists.len(),
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        )?;
    }
    out.flush()?;
    Ok(if errors == 0 { 0 } else { 1 })
}
