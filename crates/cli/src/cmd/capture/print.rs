//! `saker capture print FILE [CONDITION] [-p FORMAT] [--json]`: a capture's events as
//! `sysdig -r FILE CONDITION` prints them; the condition is in the rule language.

use std::io::Write;
use std::path::PathBuf;

use saker_engine::{Engine, EngineOptions};
use saker_rules::{SourceFile, load};
use saker_source::FileKind;
use saker_source::scap::ScapFile;
use saker_source::scap::print::{PrintOptions, print_file};

use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// A `.scap` file (plain or gzip-compressed) or a Saker JSON-lines capture.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Only events matching this condition (the rule language: `evt.type=open and
    /// proc.name=curl`); several words are joined with spaces.
    #[arg(value_name = "CONDITION")]
    pub condition: Vec<String>,
    /// Print these fields instead of sysdig's default line (`%evt.num %proc.name %fd.name`).
    #[arg(short = 'p', long = "print", value_name = "FORMAT")]
    pub format: Option<String>,
    /// One JSON object per event (sysdig's `-j` fields).
    #[arg(short = 'j', long)]
    pub json: bool,
    /// Internal events too (procinfo, drops, container metadata), as sysdig's `-D`.
    #[arg(short = 'D', long = "debug")]
    pub show_internal: bool,
}

/// The filter and format as one rule, compiled by the engine.
fn filter_engine(condition: &str, format: Option<&str>) -> Result<Engine, Failure> {
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    let condition = if condition.trim().is_empty() {
        "evt.num > 0"
    } else {
        condition
    };
    let output = format.unwrap_or("%evt.num").trim_start_matches('*');
    let yaml = format!(
        "- rule: capture print\n  desc: the filter of saker capture print\n  condition: |-\n{}  output: |-\n{}  priority: DEBUG\n",
        indent(condition),
        indent(output)
    );
    let (ruleset, diagnostics) = load(&[SourceFile::new("<filter>", &yaml)]);
    if let Some(d) = diagnostics.iter().find(|d| d.is_error()) {
        return Err(Failure::new(
            2,
            format!(
                "saker capture print: bad condition or format: {}",
                d.message
            ),
        ));
    }
    Engine::new(&ruleset, EngineOptions::default())
        .map_err(|e| Failure::new(2, format!("saker capture print: {e}")))
}

pub fn run(args: Args) -> Outcome {
    let fail = |e: saker_source::SourceError| Failure::new(2, format!("saker capture print: {e}"));
    let condition = args.condition.join(" ");
    let engine = if condition.trim().is_empty() && args.format.is_none() {
        None
    } else {
        Some(filter_engine(&condition, args.format.as_deref())?)
    };
    let mut file = match saker_source::detect(&args.file).map_err(fail)? {
        FileKind::Scap => ScapFile::open(&args.file).map_err(fail)?,
        FileKind::Capture => {
            // Saker's own capture: converted to .scap in memory, then printed alike.
            let mut bytes = Vec::new();
            saker_source::scap::write::convert_jsonl(&args.file, &mut bytes).map_err(fail)?;
            ScapFile::from_reader(Box::new(std::io::Cursor::new(bytes)), &args.file)
                .map_err(fail)?
        }
        FileKind::K8sAudit => {
            return Err(Failure::new(
                2,
                format!(
                    "saker capture print: {} holds Kubernetes audit events, not a capture",
                    args.file.display()
                ),
            )
            .into());
        }
    };
    let options = PrintOptions {
        engine: engine.as_ref(),
        custom_format: args.format.is_some(),
        json: args.json,
        show_internal: args.show_internal,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match print_file(&mut file, &options, &mut out) {
        Ok(_) => Ok(0),
        Err(e) => {
            let _ = out.flush();
            Err(fail(e).into())
        }
    }
}
