//! Rules for `saker run`: loading (embedded and files), the engine, and the syscalls to trace.

use std::collections::BTreeSet;
use std::path::PathBuf;

use saker_config::Config;
use saker_console::RuleCatalog;
use saker_engine::Engine;
use saker_rules::Source;

use crate::cmd::rules::setup;
use crate::exit::Failure;

/// Which event sources a run feeds (Falco's `--disable-source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sources {
    pub syscall: bool,
    pub k8s_audit: bool,
}

/// The compiled rules, the web console's list of them, and the rules as loaded (which the
/// responses are checked against).
pub struct LoadedRules {
    pub engine: Engine,
    pub catalog: RuleCatalog,
    pub ruleset: saker_rules::ruleset::RuleSet,
}

/// Why the rules could not be used: the exit code (2: unreadable, 1: invalid) and the
/// message, with every error diagnostic rendered.
#[derive(Debug)]
pub struct RulesFailure {
    pub code: u8,
    pub message: String,
}

impl From<RulesFailure> for anyhow::Error {
    fn from(f: RulesFailure) -> Self {
        Failure::new(f.code, f.message).into()
    }
}

/// Loads the rules files in order (`embedded` = the built-in ruleset), logs them like Falco
/// and compiles them, as `saker rules validate` does (cmd::rules::setup); also returns every
/// loaded rule as the web console lists them. `from_config` is true when the list is the
/// config's, where a missing directory (rules.d on a fresh host) is skipped and a missing
/// `.yaml` file is an error. With the `k8s_audit` source on, Saker's embedded k8s audit rules
/// come first, so a rules file can override or extend them.
pub fn build_engine(
    paths: &[PathBuf],
    config: &Config,
    from_config: bool,
    sources: Sources,
) -> Result<LoadedRules, RulesFailure> {
    let selection = setup::Selection {
        paths: if from_config { &[] } else { paths },
        with_default_rules: false,
        k8s_audit_rules: sources.k8s_audit,
    };
    let files = setup::files(config, &selection).map_err(|e| RulesFailure {
        code: 2,
        message: format!("saker: {e}"),
    })?;
    for file in &files {
        tracing::info!("Loading rules from file {}", file.name);
    }
    let built = setup::build(&files, config).map_err(|e| RulesFailure {
        code: 2,
        message: format!("saker: {e}"),
    })?;
    let rendered: String = built
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render())
        .collect();
    if !rendered.is_empty() {
        return Err(RulesFailure {
            code: 1,
            message: format!("{rendered}saker run: the rules have errors"),
        });
    }
    let catalog = RuleCatalog::new(&built.ruleset, config.priority);
    let engine = built.engine.map_err(|e| RulesFailure {
        code: 1,
        message: format!("saker run: {e}"),
    })?;
    Ok(LoadedRules {
        engine,
        catalog,
        ruleset: built.ruleset,
    })
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
