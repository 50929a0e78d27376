//! `saker rules list [-r FILE]...`: the rules with priority, source, enabled and tags.

use std::io::{BufWriter, Write as _};
use std::path::PathBuf;

use saker_event::escape::escape;

use super::{Origin, load_rules, report_errors};
use crate::exit::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Rules file or directory (repeatable, loaded in order); default: what `saker run`
    /// loads (the config's rules_files after Saker's Kubernetes audit rules).
    #[arg(short = 'r', long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    #[command(flatten)]
    pub origin: Origin,
    /// Print JSON: an array of {name, priority, source, enabled, tags, file, line}.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Row<'a> {
    name: &'a str,
    priority: &'a str,
    source: &'a str,
    enabled: bool,
    tags: &'a [String],
    file: &'a str,
    line: u32,
}

pub fn run(args: Args) -> Outcome {
    let loaded = load_rules(&args.rules, &args.origin)?;
    let had_errors = report_errors(&loaded);
    let rows: Vec<Row<'_>> = loaded
        .ruleset
        .rules
        .iter()
        .map(|r| Row {
            name: &r.name,
            priority: r.priority.falco_name(),
            source: r.source.as_str(),
            enabled: r.enabled,
            tags: &r.tags,
            file: &r.location.file,
            line: r.location.line,
        })
        .collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        // Names and tags come from rules files: their control characters escaped.
        let names: Vec<String> = rows.iter().map(|r| escape(r.name).into_owned()).collect();
        let name_w = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(
            out,
            "{:<name_w$}  {:<13}  {:<9}  {:<7}  TAGS",
            "NAME", "PRIORITY", "SOURCE", "ENABLED"
        )?;
        for (r, name) in rows.iter().zip(&names) {
            let line = format!(
                "{:<name_w$}  {:<13}  {:<9}  {:<7}  {}",
                name,
                r.priority,
                r.source,
                if r.enabled { "yes" } else { "no" },
                escape(&r.tags.join(","))
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    out.flush()?;
    Ok(if had_errors { 1 } else { 0 })
}
