//! `saker rules test [-r FILE]... [--with-default-rules] EVENTS.jsonl [--json]`: evaluate field-level events
//! (docs/events-jsonl.md) against rules and print the alerts, text or Falco JSON.
//!
//! Rules diagnostics are printed like `saker rules validate` (to stderr); rules with errors
//! make the command exit 1 before any event is read. A bad event line is reported as
//! `file:line: error: message`, the other lines are still evaluated, and the exit status is 1.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write as _};
use std::path::PathBuf;

use anyhow::Context as _;
use saker_engine::{Engine, EngineOptions, JsonlEvent, RuleMatching};
use saker_event::Priority;
use saker_output::{AlertEncoder, EncoderOptions};

use super::{Origin, load_rules};
use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Rules file or directory (repeatable, loaded in order); default: what `saker run` loads.
    #[arg(short = 'r', long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// Field-level events, one JSON object per line (docs/events-jsonl.md); `-` for stdin.
    #[arg(value_name = "EVENTS.jsonl")]
    pub events: PathBuf,
    /// Print alerts as Falco JSON, one per line.
    #[arg(long)]
    pub json: bool,
    /// Report every matching rule, not only the first (Falco's `rule_matching: all`).
    #[arg(long)]
    pub all_matches: bool,
    /// Load Saker's embedded default rules first (syscall and Kubernetes audit), then the `-r`
    /// files (to test tuning such as exceptions and overrides of the default rules).
    #[arg(long)]
    pub with_default_rules: bool,
    /// Skip rules less severe than this priority (Falco's `priority:`).
    #[arg(long, value_name = "PRIORITY", default_value = "debug")]
    pub min_priority: Priority,
}

pub fn run(args: Args) -> Outcome {
    let origin = Origin {
        with_default_rules: args.with_default_rules,
        ..Origin::default()
    };
    let loaded = load_rules(&args.rules, &origin)?;
    {
        let mut stderr = io::stderr().lock();
        for diagnostic in &loaded.diagnostics {
            let _ = write!(stderr, "{}", diagnostic.render());
        }
    }
    if loaded.has_errors() {
        return Err(Failure::new(1, "saker rules test: the rules have errors").into());
    }
    let options = EngineOptions {
        rule_matching: if args.all_matches {
            RuleMatching::All
        } else {
            RuleMatching::First
        },
        min_priority: args.min_priority,
        hostname: hostname(),
        // No name server is asked, so that a test's result does not depend on the host's
        // DNS: events give `fd.*ip.name` the name itself (docs/events-jsonl.md).
        name_resolution: None,
    };
    let engine = Engine::new(&loaded.ruleset, options).context("compiling the rules")?;

    let name = args.events.display().to_string();
    let reader: Box<dyn BufRead> = if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        let file = File::open(&args.events).with_context(|| format!("cannot open {name}"))?;
        Box::new(BufReader::new(file))
    };
    let encoder = AlertEncoder::new(EncoderOptions {
        json: args.json,
        ..EncoderOptions::default()
    });
    let mut out = BufWriter::new(io::stdout().lock());
    let mut buf = Vec::new();
    let (mut events, mut alerts, mut bad_lines) = (0usize, 0usize, 0usize);
    for (index, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading {name}"))?;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let event = match JsonlEvent::parse(trimmed, &engine) {
            Ok(event) => event,
            Err(err) => {
                eprintln!("{name}:{}: error: {err}", index + 1);
                bad_lines += 1;
                continue;
            }
        };
        events += 1;
        for alert in engine.process(&event) {
            alerts += 1;
            buf.clear();
            encoder.encode(&alert, &mut buf);
            buf.push(b'\n');
            out.write_all(&buf)?;
        }
    }
    out.flush()?;
    eprintln!(
        "saker rules test: {events} events, {alerts} alerts, {} rules",
        engine.rule_count()
    );
    if bad_lines > 0 {
        return Err(Failure::new(
            1,
            format!("saker rules test: {bad_lines} invalid event line(s) in {name}"),
        )
        .into());
    }
    Ok(0)
}

/// Falco's hostname rule: `FALCO_HOSTNAME` (also honoured as `SAKER_HOSTNAME`) or the
/// system's host name.
fn hostname() -> String {
    for var in ["SAKER_HOSTNAME", "FALCO_HOSTNAME"] {
        if let Ok(name) = std::env::var(var)
            && !name.is_empty()
        {
            return name;
        }
    }
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}
