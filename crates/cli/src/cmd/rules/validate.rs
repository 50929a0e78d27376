//! `saker rules validate [FILE|DIR...] [--with-default-rules] [-c CONFIG] [--json]`: Falco's
//! `-V`, building exactly what `saker run` builds (config's append_output and priority, the
//! engine compiled).

use std::io::{BufWriter, Write as _};
use std::path::PathBuf;

use saker_rules::Severity;

use super::{Origin, load_rules};
use crate::exit::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Rules files or directories (.yml/.yaml, alphabetical), loaded in order; none: what
    /// `saker run` loads (the config's rules_files after Saker's Kubernetes audit rules).
    #[arg(value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub origin: Origin,
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
    /// Why the engine could not be built from rules that loaded without errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    engine_error: Option<&'a str>,
    diagnostics: Vec<&'a saker_rules::Diagnostic>,
}

pub fn run(args: Args) -> Outcome {
    let loaded = load_rules(&args.paths, &args.origin)?;
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count()
        + usize::from(loaded.engine_error.is_some());
    let warnings = loaded.diagnostics.iter().filter(|d| !d.is_error()).count();
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
            files: loaded.files.clone(),
            engine_error: loaded.engine_error.as_deref(),
            diagnostics: shown,
        };
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        for d in &shown {
            write!(out, "{}", d.render())?;
        }
        if let Some(e) = &loaded.engine_error {
            writeln!(out, "error: the engine cannot be built: {e}")?;
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
