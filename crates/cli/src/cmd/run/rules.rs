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

/// The opens the kernel may leave out for these rules, unless the config says to report them
/// all (`engine.ebpf.drop_unneeded_opens: false`).
pub fn open_filter(
    ruleset: &saker_rules::ruleset::RuleSet,
    config: &Config,
) -> saker_source::live::OpenFilterPlan {
    if !config.engine.ebpf.drop_unneeded_opens {
        return Err("engine.ebpf.drop_unneeded_opens is false".to_string());
    }
    saker_source::open_filter::plan(ruleset)
}

/// The syscalls to capture, as Falco chooses them (adaptive syscalls, `base_syscalls`):
/// what the rules name, plus the state's set — or, with `custom_set`, the syscalls it names
/// instead of the state's; with `repair`, only the few the state needs for this set; minus
/// the `!name`s. `all` (or `-A`) captures every syscall the capture can decode.
pub fn interesting_syscalls(
    engine: &Engine,
    all: bool,
    base: &saker_config::BaseSyscallsConfig,
) -> BTreeSet<i64> {
    if all || base.all {
        return saker_syscalls::all().map(|(nr, _)| nr as i64).collect();
    }
    let captured = |name: &str| {
        saker_syscalls::number(name)
            .map(|nr| nr as i64)
            .filter(|&nr| saker_bpf::captured(nr).is_some())
    };
    let needs = engine.event_type_needs(Source::Syscall);
    let rules: BTreeSet<i64> = needs.types.iter().filter_map(|n| captured(n)).collect();
    let (negative, positive): (Vec<&str>, Vec<&str>) = base
        .custom_set
        .iter()
        .map(String::as_str)
        .partition(|name| name.starts_with('!'));
    let positive: BTreeSet<i64> = positive.into_iter().filter_map(captured).collect();
    let mut set: BTreeSet<i64> = if !positive.is_empty() {
        rules.union(&positive).copied().collect()
    } else if base.repair {
        repaired(&rules)
    } else {
        let state = saker_bpf::STATE_SYSCALLS.iter().copied();
        rules.iter().copied().chain(state).collect()
    };
    for name in negative {
        if let Some(nr) = captured(&name[1..]) {
            set.remove(&nr);
        }
    }
    if base.repair && !base.custom_set.is_empty() {
        set = repaired(&set);
    }
    set
}

/// Falco's `sinsp_repair_state_sc_set`: `set` plus the few syscalls the state needs for it —
/// process lifecycle and credentials always, `socket`/`getsockopt` for network syscalls,
/// `bind` for servers, `close` for anything with file descriptors.
fn repaired(set: &BTreeSet<i64>) -> BTreeSet<i64> {
    use saker_syscalls::Class;
    let has = |class: Class| set.iter().any(|&nr| class.contains(nr as u64));
    let named = |names: &[&str]| {
        set.iter()
            .any(|&nr| names.contains(&saker_syscalls::name(nr as u64).unwrap_or("")))
    };
    let mut wanted = vec![
        "clone",
        "clone3",
        "fork",
        "vfork",
        "execve",
        "execveat",
        "fchdir",
        "chdir",
        "chroot",
        "capset",
        "setgid",
        "setpgid",
        "setresgid",
        "setresuid",
        "setsid",
        "setuid",
        "prctl",
    ];
    if has(Class::Network) {
        wanted.extend(["socket", "getsockopt", "close"]);
    }
    if named(&["accept", "accept4", "listen"]) {
        wanted.push("bind");
    }
    if has(Class::File) || has(Class::Desc) {
        wanted.push("close");
    }
    let mut out = set.clone();
    out.extend(
        wanted
            .into_iter()
            .filter_map(saker_syscalls::number)
            .map(|nr| nr as i64)
            .filter(|&nr| saker_bpf::captured(nr).is_some()),
    );
    out
}
