//! `saker run`: watch the host through eBPF (or one command through ptrace, or a capture file)
//! and raise alerts from the rules, with Falco's command-line shape.

mod daemon;
mod live;
mod logging;
pub mod pipeline;
mod replay;
mod responses;
mod rules;
mod service;
pub(crate) mod signals;
mod snapshots;
mod watch;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

use saker_source::FileKind;

use self::rules::Sources;
use self::service::{Inputs, Service};
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
    /// Replay a file instead of watching the host: a capture made by `saker capture`, or
    /// Kubernetes audit events (JSON lines of Events, or an EventList), told apart by content.
    #[arg(short = 'e', value_name = "FILE", conflicts_with = "ptrace")]
    pub replay: Option<PathBuf>,
    /// Watch only COMMAND's process tree through ptrace (no BPF needed).
    #[arg(long, requires = "command")]
    pub ptrace: bool,
    /// Kernel ring buffer size in bytes (a power of two); default from
    /// engine.ebpf.buf_size_preset, whose default 4 is 8 MiB (as Falco's).
    #[arg(long, value_name = "BYTES")]
    pub buffer_bytes: Option<u32>,
    /// Turn off an event source, as Falco's option: `syscall` (no capture: only the web
    /// server and the Kubernetes audit webhook, where BPF is not available) or `k8s_audit`.
    #[arg(long = "disable-source", value_name = "SOURCE", value_parser = ["syscall", "k8s_audit"])]
    pub disable_source: Vec<String>,
    /// Run in the background (SysV style: double fork, setsid, stdio to /dev/null). The
    /// command returns once the service is up. Foreground is the default (systemd, k8s).
    #[arg(long, conflicts_with_all = ["dry_run", "replay", "ptrace"])]
    pub daemon: bool,
    /// Write the service's pid to FILE (removed at exit).
    #[arg(long, value_name = "FILE")]
    pub pidfile: Option<PathBuf>,
    /// The command to run and watch (with --ptrace).
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// How long start-up waits for the runtimes to describe the containers already running.
const CONTAINER_WAIT: Duration = Duration::from_secs(1);

pub fn run(args: Args) -> Outcome {
    let sources = Sources {
        syscall: !args.disable_source.iter().any(|s| s == "syscall"),
        k8s_audit: !args.disable_source.iter().any(|s| s == "k8s_audit"),
    };
    if !sources.syscall && !sources.k8s_audit {
        return Err(Failure::new(
            2,
            "saker run: every event source is disabled (--disable-source); keep syscall or k8s_audit",
        )
        .into());
    }
    let mut overrides = args.overrides.clone();
    if args.json {
        overrides.push("json_output=true".into());
    }
    if args.unbuffered {
        overrides.push("buffered_outputs=false".into());
    }
    let inputs = Inputs {
        config_path: args.config.clone(),
        overrides,
        rule_paths: args.rules.clone(),
        sources,
    };
    let loaded = inputs
        .load_config()
        .map_err(|e| Failure::new(2, format!("saker: {e}")))?;
    let config = loaded.config.clone();
    let pidfile = args.pidfile.as_deref().map(absolute).transpose()?;
    // Fork before any thread starts (the log writers, outputs, web server): fork keeps only
    // this thread. Until it is ready, the daemon still writes to the starter's stderr.
    let readiness = if args.daemon {
        Some(daemon::daemonize(pidfile.as_deref())?)
    } else {
        None
    };
    logging::init(&logging::LogSettings {
        level: config.log_level,
        stderr: config.log_stderr,
        syslog: config.log_syslog,
        syslog_socket: config.syslog_output.socket.clone(),
        // The syslog output channel reports a missing daemon itself: one warning, not two.
        warn_if_no_syslog: !config.syslog_output.enabled,
    });
    for warning in &loaded.warnings {
        tracing::warn!("{warning}");
    }
    match &loaded.path {
        Some(path) => tracing::info!(
            "Saker initialized with configuration file: {}",
            path.display()
        ),
        None => tracing::info!("Saker initialized with the default configuration"),
    }
    let rules::LoadedRules {
        engine,
        catalog,
        ruleset,
    } = inputs.build_engine(&config)?;
    let plan = responses::build_plan(&loaded, &ruleset).map_err(|f| {
        Failure::new(
            1,
            format!("{}\nsaker run: the responses have errors", f.message),
        )
    })?;
    let open_filter = rules::open_filter(&ruleset, &config);
    drop(ruleset);
    let syscalls = rules::interesting_syscalls(&engine, args.all_events, &config.base_syscalls);
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
        print!("{}", plan.describe());
        match &open_filter {
            Ok(keep) => println!(
                "Opens left out in the kernel: those no rule needs (kept: {})",
                saker_source::open_filter::describe(keep)
            ),
            Err(why) => println!("Every open is reported: {why}"),
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
    // `-e` wins; else `engine.kind: replay` names the file in the config.
    let replay_path = args.replay.clone().or_else(|| {
        (config.engine.kind == saker_config::EngineKind::Replay && !args.ptrace)
            .then(|| config.engine.replay.capture_file.clone())
            .flatten()
    });
    if config.engine.kind == saker_config::EngineKind::Replay && replay_path.is_none() {
        return Err(Failure::new(
            2,
            "saker run: engine.kind is replay but engine.replay.capture_file is not set",
        )
        .into());
    }
    let replay = match replay_path {
        Some(path) => {
            let kind = saker_source::detect(&path)
                .map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
            Some((path, kind))
        }
        None => None,
    };
    if let Some((path, FileKind::K8sAudit)) = &replay
        && !sources.k8s_audit
    {
        return Err(Failure::new(
            2,
            format!(
                "saker run: {} holds Kubernetes audit events, but the k8s_audit source is disabled",
                path.display()
            ),
        )
        .into());
    }
    let ring_bytes = match args.buffer_bytes {
        Some(b) => b,
        None => saker_config::ring_buffer_bytes(config.engine.ebpf.buf_size_preset),
    };
    let foreground_pidfile = match readiness {
        Some(_) => None,
        None => pidfile.as_deref().map(write_pidfile).transpose()?,
    };
    // A replay or a traced command is a one-shot job: no web server and no reload.
    let service_mode = replay.is_none() && !args.ptrace;
    if service_mode {
        signals::install_service().context("saker run: signal handlers")?;
    }
    // Responses act on live processes: not on the events of a file.
    let plan = match replay {
        None => Some(plan),
        Some(_) if plan.is_empty() => None,
        Some(_) => {
            tracing::warn!("Responses are not taken on a replay: its processes are not live");
            None
        }
    };
    let mut service = Service::start(inputs, config, (engine, catalog), plan, service_mode)?;
    service.update_watch();
    // Removes the pidfile when the run ends.
    let _pidfile = match readiness {
        Some(readiness) => {
            // The start-up log reaches the starter's terminal before stderr goes to /dev/null.
            logging::flush();
            readiness.ready()
        }
        None => foreground_pidfile,
    };
    let capture = LiveCapture {
        syscalls,
        ring_bytes,
        duration,
        open_filter,
    };
    let outcome = run_source(&args, &mut service, replay, capture);
    let report = service.finish();
    let (code, mut summary) = outcome?;
    if let Some(report) = report {
        // What became of the alerts, per channel: nothing is lost without a line here.
        summary.push_str(&report.snapshot.summary());
    }
    logging::flush();
    summary.push_str(&logging::dropped_summary());
    eprint!("{summary}");
    Ok(code)
}

/// What the live capture is asked for (the syscalls also name what `--ptrace` traces).
struct LiveCapture {
    syscalls: std::collections::BTreeSet<i64>,
    ring_bytes: u32,
    duration: Option<Duration>,
    open_filter: saker_source::live::OpenFilterPlan,
}

/// Feeds the chosen source until it ends; returns the exit code and the summary.
fn run_source(
    args: &Args,
    service: &mut Service,
    replay: Option<(PathBuf, FileKind)>,
    capture: LiveCapture,
) -> anyhow::Result<(u8, String)> {
    let LiveCapture {
        syscalls,
        ring_bytes,
        duration,
        open_filter,
    } = capture;
    if let Some((path, _)) = replay {
        let source = replay::open(&path)?;
        return replay::run(source, service.engine(), service.route.clone(), None);
    }
    if args.ptrace {
        let source = saker_source::ptrace::PtraceSource {
            command: args.command.clone(),
            syscalls,
        };
        // Only the command's tree: no /proc walk; processes are read as they appear, and
        // their containers asked of the runtimes.
        let engines = service.config.build_container_engines();
        return replay::run(
            Box::new(source),
            service.engine(),
            service.route.clone(),
            Some(engines),
        );
    }
    if service.config.engine.kind == saker_config::EngineKind::Ptrace {
        tracing::warn!(
            "engine.kind ptrace needs a command: saker run --ptrace -- COMMAND; watching the host with eBPF"
        );
    }
    if args.disable_source.iter().any(|s| s == "syscall") {
        tracing::info!("Enabled event sources: k8s_audit");
        return idle(service, duration);
    }
    let sources = if args.disable_source.is_empty() {
        "syscall, k8s_audit"
    } else {
        "syscall"
    };
    tracing::info!("Enabled event sources: {sources}");
    let options = live::LiveOptions {
        syscalls,
        all_events: args.all_events,
        ring_bytes,
        duration,
        open_filter,
    };
    let (end, summary) = live::run(options, service)
        .map_err(with_no_ebpf_hint)
        .context("saker run")?;
    let code = match end {
        live::LiveEnd::Stopped => 0,
        live::LiveEnd::DropExit => 1,
    };
    Ok((code, summary))
}

/// Where the eBPF capture cannot start (no root, no BTF), says what runs without it.
fn with_no_ebpf_hint(error: anyhow::Error) -> anyhow::Error {
    match error.downcast::<Failure>() {
        Ok(failure) if failure.message.contains("eBPF") => Failure::new(
            failure.code,
            format!(
                "{}\n\
                 saker run: without eBPF, `saker run --ptrace -- COMMAND` watches one command \
                 through ptrace, and `saker run --disable-source syscall` runs only the web \
                 server and its Kubernetes audit webhook",
                failure.message
            ),
        )
        .into(),
        Ok(failure) => failure.into(),
        Err(error) => error,
    }
}

/// A run without capture: the web server and its audit webhook work on their own threads;
/// this one waits for signals (or `-M`).
fn idle(service: &mut Service, duration: Option<Duration>) -> anyhow::Result<(u8, String)> {
    let deadline = duration.map(|d| Instant::now() + d);
    loop {
        service.handle_signals();
        if signals::stop_requested() {
            tracing::info!("SIGINT/SIGTERM received, draining outputs and exiting");
            break;
        }
        let wait = match deadline {
            Some(d) if Instant::now() >= d => break,
            Some(d) => d.saturating_duration_since(Instant::now()),
            None => Duration::from_secs(1),
        };
        signals::wait(wait.min(Duration::from_secs(1)));
    }
    let summary = match service.audit_stats() {
        Some(stats) => format!(
            "K8s audit events: {} (rejected {})\nAlerts: {}\n",
            stats.events, stats.rejected, stats.alerts
        ),
        None => String::new(),
    };
    Ok((0, summary))
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    Ok(std::path::absolute(path)
        .map_err(|e| Failure::new(2, format!("saker: --pidfile {}: {e}", path.display())))?)
}

fn write_pidfile(path: &Path) -> anyhow::Result<daemon::PidFile> {
    daemon::write_pidfile(path)?;
    Ok(daemon::PidFile::new(path.to_path_buf()))
}
