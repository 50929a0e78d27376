//! `saker rules describe NAME [-r FILE]...`: one rule with its condition fully expanded, and
//! its condition and output as Falco compiles them.

use std::fmt::Write as _;
use std::io::{BufWriter, Write as _};
use std::path::PathBuf;

use saker_event::escape::{Newlines, StreamEscaper, escape};
use saker_rules::{ExceptionValue, Rule};

use super::{Origin, load_rules, report_errors};
use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// The rule name (exact), or a macro name.
    pub name: String,
    /// Rules file or directory (repeatable, loaded in order); default: what `saker run`
    /// loads (the config's rules_files after Saker's Kubernetes audit rules).
    #[arg(short = 'r', long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    #[command(flatten)]
    pub origin: Origin,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Described<'a> {
    name: &'a str,
    desc: &'a str,
    priority: &'a str,
    source: &'a str,
    enabled: bool,
    tags: &'a [String],
    file: &'a str,
    line: u32,
    condition: &'a str,
    expanded_condition: String,
    /// Falco's `condition_compiled`: macros and lists replaced, exceptions added.
    condition_compiled: &'a str,
    output: &'a str,
    /// Falco's `output_compiled`: with the config's `append_output` text.
    output_compiled: &'a str,
    /// `append_output` fields: name and format.
    extra_fields: Vec<(&'a str, &'a str)>,
    exceptions: Vec<String>,
}

fn exception_lines(rule: &Rule) -> Vec<String> {
    rule.exceptions
        .iter()
        .map(|e| {
            let values: Vec<String> = e
                .values
                .iter()
                .map(|tuple| {
                    let cells: Vec<String> = tuple
                        .iter()
                        .map(|v| match v {
                            ExceptionValue::Scalar(s) => s.clone(),
                            ExceptionValue::List(items) => format!("({})", items.join(", ")),
                        })
                        .collect();
                    format!("[{}]", cells.join(", "))
                })
                .collect();
            format!(
                "{}: fields [{}] comps [{}] values [{}]",
                e.name,
                e.fields.join(", "),
                e.comps.join(", "),
                values.join(", ")
            )
        })
        .collect()
}

pub fn run(args: Args) -> Outcome {
    let loaded = load_rules(&args.rules, &args.origin)?;
    let had_errors = report_errors(&loaded);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let Some(rule) = loaded.ruleset.rule(&args.name) else {
        if let Some(m) = loaded.ruleset.macro_(&args.name) {
            let text = format!(
                "macro: {}\ndefined at: {}\ncondition: {}\n",
                m.name,
                m.location,
                m.condition.trim()
            );
            out.write_all(shown(&text).as_bytes())?;
            out.flush()?;
            return Ok(if had_errors { 1 } else { 0 });
        }
        return Err(
            Failure::new(1, format!("saker: no rule named '{}'", escape(&args.name))).into(),
        );
    };
    let described = Described {
        name: &rule.name,
        desc: rule.desc.trim(),
        priority: rule.priority.falco_name(),
        source: rule.source.as_str(),
        enabled: rule.enabled,
        tags: &rule.tags,
        file: &rule.location.file,
        line: rule.location.line,
        condition: rule.condition.trim(),
        expanded_condition: rule.filter.to_string(),
        condition_compiled: &rule.condition_compiled,
        output: rule.output.trim(),
        output_compiled: rule.output_compiled.trim(),
        extra_fields: rule
            .extra_fields
            .iter()
            .map(|f| (f.name.as_str(), f.format.as_str()))
            .collect(),
        exceptions: exception_lines(rule),
    };
    if args.json {
        serde_json::to_writer_pretty(&mut out, &described)?;
        writeln!(out)?;
    } else {
        let d = &described;
        let mut text = String::new();
        writeln!(text, "rule: {}", d.name)?;
        writeln!(text, "defined at: {}", rule.location)?;
        writeln!(text, "priority: {}", d.priority)?;
        writeln!(text, "source: {}", d.source)?;
        writeln!(text, "enabled: {}", d.enabled)?;
        writeln!(text, "tags: {}", d.tags.join(", "))?;
        writeln!(text, "desc: {}", d.desc)?;
        writeln!(text, "condition: {}", d.condition)?;
        writeln!(text, "expanded: {}", d.expanded_condition)?;
        if !d.exceptions.is_empty() {
            writeln!(text, "exceptions:")?;
            for e in &d.exceptions {
                writeln!(text, "  {e}")?;
            }
        }
        writeln!(text, "output: {}", d.output)?;
        if d.output_compiled != d.output {
            writeln!(text, "output with append_output: {}", d.output_compiled)?;
        }
        for (name, format) in &d.extra_fields {
            writeln!(text, "extra field {name}: {format}")?;
        }
        out.write_all(shown(&text).as_bytes())?;
    }
    out.flush()?;
    Ok(if had_errors { 1 } else { 0 })
}

/// `text` for the terminal: a rules file's control characters escaped, its lines kept.
fn shown(text: &str) -> String {
    let mut escaper = StreamEscaper::new(Newlines::Keep);
    let mut out = String::with_capacity(text.len());
    escaper.push(text.as_bytes(), &mut out);
    escaper.finish(&mut out);
    out
}
