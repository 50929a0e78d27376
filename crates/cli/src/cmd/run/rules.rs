//! Rules for `saker run`: loading (embedded and files), the engine, and the syscalls to trace.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use saker_config::{Config, EMBEDDED_RULES};
use saker_engine::{Engine, EngineOptions, RuleMatching};
use saker_rules::{Source, SourceFile};

use crate::exit::Failure;

/// Loads the rules files in order (`embedded` = the built-in ruleset), prints warnings and
/// errors like `saker rules validate`, and compiles them. `from_config` is true when the
/// list is the config's, where a missing directory (rules.d on a fresh host) is skipped.
pub fn build_engine(
    paths: &[PathBuf],
    config: &Config,
    from_config: bool,
) -> anyhow::Result<Engine> {
    let mut files = Vec::new();
    for path in paths {
        if path == Path::new(EMBEDDED_RULES) {
            files.push(SourceFile::new(
                saker_engine::DEFAULT_RULES_FILE_NAME,
                saker_engine::default_rules(),
            ));
            continue;
        }
        if from_config && !path.exists() {
            continue;
        }
        let read = saker_rules::files::read_paths(std::slice::from_ref(path))
            .map_err(|e| Failure::new(2, format!("saker: loading rules: {e}")))?;
        files.extend(read);
    }
    for file in &files {
        eprintln!("Loading rules from {}", file.name);
    }
    let (ruleset, diagnostics) = saker_rules::load(&files);
    let mut errors = false;
    for d in &diagnostics {
        if d.is_error() {
            errors = true;
            eprint!("{}", d.render());
        }
    }
    if errors {
        return Err(Failure::new(1, "saker run: the rules have errors").into());
    }
    let options = EngineOptions {
        rule_matching: match config.rule_matching {
            saker_config::RuleMatching::First => RuleMatching::First,
            saker_config::RuleMatching::All => RuleMatching::All,
        },
        min_priority: config.priority,
        hostname: config.hostname.clone().unwrap_or_else(hostname),
    };
    Engine::new(&ruleset, options).map_err(|e| Failure::new(1, format!("saker run: {e}")).into())
}

/// The syscalls to capture: what the rules name plus what the state needs (Falco's adaptive
/// syscalls), or every syscall the capture can decode with `-A`.
pub fn interesting_syscalls(engine: &Engine, all: bool) -> BTreeSet<i64> {
    if all {
        return saker_syscalls::all().map(|(nr, _)| nr as i64).collect();
    }
    let mut set: BTreeSet<i64> = saker_bpf::STATE_SYSCALLS.iter().copied().collect();
    let needs = engine.event_type_needs(Source::Syscall);
    for name in &needs.types {
        if let Some(nr) = saker_syscalls::number(name)
            && saker_bpf::captured(nr as i64).is_some()
        {
            set.insert(nr as i64);
        }
    }
    set
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}
