//! `saker run`: watch the host through eBPF (or one command through ptrace, or a capture file)
//! and raise alerts from the rules, with Falco's command-line shape.

mod live;
pub mod pipeline;
mod ptrace;
mod replay;
mod rules;
pub(crate) mod signals;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use crate::exit::{Failure, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Rules file or directory (repeatable, loaded in order); replaces the config's
    /// `rules_files`. Default: the embedded ruleset (plus /etc/saker/rules.d when it exists).
    #[arg(short = 'r', long = "rules", value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Configuration file (default: /etc/saker/saker.yaml when it exists).
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Override a configuration key (`-o json_output=true`, `-o priority=warning`).
    #[arg(short = 'o', value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Print alerts as Falco's JSON objects (json_output=true).
    #[arg(long)]
    pub json: bool,
    /// Stop after this many seconds.
    #[arg(short = 'M', value_name = "SECONDS")]
    pub duration: Option<f64>,
    /// Write each alert as soon as it is raised (buffered_outputs=false).
    #[arg(short = 'U', long = "unbuffered")]
    pub unbuffered: bool,
    /// Load and validate the rules, print the syscalls that would be traced, and exit.
    #[arg(long)]
    pub dry_run: bool,
    /// Capture every syscall, not only those the rules and the state need.
    #[arg(short = 'A', long = "all-events")]
    pub all_events: bool,
    /// Replay a capture file made by `saker capture` instead of watching the host.
    #[arg(short = 'e', value_name = "FILE", conflicts_with = "ptrace")]
    pub replay: Option<PathBuf>,
    /// Watch only COMMAND's process tree through ptrace (no BPF needed).
    #[arg(long, requires = "command")]
    pub ptrace: bool,
    /// Kernel ring buffer size in bytes (a power of two); default from
    /// engine.ebpf.buf_size_preset (8 MiB).
    #[arg(long, value_name = "BYTES")]
    pub buffer_bytes: Option<u32>,
    /// The command to run and watch (with --ptrace).
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

pub fn run(args: Args) -> Outcome {
    let mut overrides = args.overrides.clone();
    if args.json {
        overrides.push("json_output=true".into());
    }
    if args.unbuffered {
        overrides.push("buffered_outputs=false".into());
    }
    let loaded = saker_config::load(args.config.as_deref(), &overrides)
        .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    for warning in &loaded.warnings {
        eprintln!("{warning}");
    }
    let config = loaded.config;
    let rule_paths = if args.rules.is_empty() {
        config.rules_files.clone()
    } else {
        args.rules.clone()
    };
    let engine = rules::build_engine(&rule_paths, &config, args.rules.is_empty())?;
    let syscalls = rules::interesting_syscalls(&engine, args.all_events);
    if args.dry_run {
        let names: Vec<&str> = syscalls
            .iter()
            .filter_map(|&nr| saker_syscalls::name(nr as u64))
            .collect();
        println!("Rules loaded: {}", engine.rule_count());
        println!("Syscalls traced ({}): {}", names.len(), names.join(" "));
        let needs = engine.event_type_needs(saker_rules::Source::Syscall);
        for rule in needs.unrestricted_rules {
            println!("Rule without an evt.type restriction (sees only what is captured): {rule}");
        }
        return Ok(0);
    }
    let duration = args
        .duration
        .map(|s| {
            if s.is_finite() && s >= 0.0 {
                Ok(Duration::from_secs_f64(s))
            } else {
                Err(Failure::new(
                    2,
                    format!("saker: -M {s}: not a number of seconds"),
                ))
            }
        })
        .transpose()?;
    let outputs = config
        .build_outputs()
        .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    if let Some(path) = &args.replay {
        return replay::run(path, engine, outputs);
    }
    if args.ptrace {
        // Only the command's tree: no /proc walk; processes are read as they appear.
        let state = saker_state::State::new(saker_state::StateOptions::default());
        let pipeline = pipeline::Pipeline::new(state, engine, outputs);
        return ptrace::run(&args.command, syscalls, pipeline);
    }
    let ring_bytes = match args.buffer_bytes {
        Some(b) => b,
        None => 1u32 << (20 + u32::from(config.engine.ebpf.buf_size_preset.clamp(1, 10)) - 1),
    };
    live::run(
        live::LiveOptions {
            syscalls,
            all_events: args.all_events,
            ring_bytes,
            duration,
        },
        engine,
        outputs,
    )
    .context("saker run")
}
