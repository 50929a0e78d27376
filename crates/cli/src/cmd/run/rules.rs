//! Rules for `saker run`: loading (embedded and files), the engine, and the syscalls to trace.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use saker_config::{Config, EMBEDDED_RULES};
use saker_console::RuleCatalog;
use saker_engine::{Engine, EngineOptions, RuleMatching};
use saker_rules::{Source, SourceFile};

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
/// and compiles them; also returns every loaded rule as the web console lists them.
/// `from_config` is true when the list is the config's, where a missing directory (rules.d on a
/// fresh host) is skipped, and a missing `.yaml` file is an error. With the `k8s_audit` source
/// on, Saker's
/// embedded k8s audit rules come first, so a rules file can override or extend them.
pub fn build_engine(
    paths: &[PathBuf],
    config: &Config,
    from_config: bool,
    sources: Sources,
) -> Result<LoadedRules, RulesFailure> {
    let mut files = Vec::new();
    if sources.k8s_audit {
        files.push(saker_k8saudit::default_k8s_audit_rules_file());
    }
    for path in paths {
        if path == Path::new(EMBEDDED_RULES) {
            files.push(SourceFile::new(
                saker_engine::DEFAULT_RULES_FILE_NAME,
                saker_engine::default_rules(),
            ));
            continue;
        }
        if from_config && !path.exists() {
            // A missing directory (rules.d on a fresh host) is expected; a missing file is
            // a typo or a broken install, and skipping it would run without its rules.
            if names_a_rules_file(path) {
                return Err(RulesFailure {
                    code: 2,
                    message: format!(
                        "saker: rules file {} (in the config's rules_files) does not exist",
                        path.display()
                    ),
                });
            }
            tracing::info!("Skipping missing rules directory {}", path.display());
            continue;
        }
        let read = saker_rules::files::read_paths(std::slice::from_ref(path)).map_err(|e| {
            RulesFailure {
                code: 2,
                message: format!("saker: loading rules: {e}"),
            }
        })?;
        files.extend(read);
    }
    for file in &files {
        tracing::info!("Loading rules from file {}", file.name);
    }
    let (ruleset, diagnostics) = saker_rules::load(&files);
    let rendered: String = diagnostics
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
    let options = EngineOptions {
        rule_matching: match config.rule_matching {
            saker_config::RuleMatching::First => RuleMatching::First,
            saker_config::RuleMatching::All => RuleMatching::All,
        },
        min_priority: config.priority,
        hostname: config.resolve_hostname(),
    };
    let catalog = RuleCatalog::new(&ruleset, config.priority);
    let engine = Engine::new(&ruleset, options).map_err(|e| RulesFailure {
        code: 1,
        message: format!("saker run: {e}"),
    })?;
    Ok(LoadedRules {
        engine,
        catalog,
        ruleset,
    })
}

/// True for a path that names a rules file rather than a directory (`.yaml`/`.yml`).
fn names_a_rules_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
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
