//! saker-trace: the strace front end of `saker trace`. strace's options, filters, line format,
//! summary table and JSON records on top of `saker-ptrace` (stops) or `saker-bpf` (the eBPF
//! capture), with `saker-syscalls` naming and decoding the calls.
//!
//! Messages the tracer itself prints (attach, detach, errors) start with `saker trace: `
//! where strace says `strace: `; everything else is strace's format (docs/trace.md says where
//! it differs).

mod decode;
mod ebpf;
mod ebpf_lines;
mod filter;
mod json;
mod printer;
mod sink;
mod summary;

use std::ffi::OsString;
use std::path::PathBuf;

use saker_ptrace::{Command, Finish, Target, TraceError, Tracer};

use filter::Filters;
use printer::Printer;
use sink::Sink;
pub use summary::SortBy;

/// What the command line asked for, in strace's terms.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `-f` count: 1 follows forks, 2 (`-ff`) also writes one file per process with `-o`.
    pub follow: u8,
    /// `-p` values as given (strace's checks and messages apply).
    pub pids: Vec<String>,
    pub output: Option<PathBuf>,
    pub summary_only: bool,
    pub summary: bool,
    pub wall_clock: bool,
    pub sort_by: Option<SortBy>,
    /// `-e` expressions, in order.
    pub exprs: Vec<String>,
    pub successful_only: bool,
    pub failed_only: bool,
    pub string_limit: usize,
    /// `-t` count.
    pub timestamps: u8,
    pub syscall_times: bool,
    pub relative: bool,
    /// `-y` count.
    pub decode_fds: u8,
    /// `-x` count.
    pub hex: u8,
    pub verbose: bool,
    pub paths: Vec<PathBuf>,
    /// `-q` count.
    pub quiet: u8,
    pub seccomp_bpf: bool,
    pub json: bool,
    pub ebpf: bool,
    pub command: Vec<OsString>,
}

/// Why a trace could not run. The messages are strace's, without its `strace: ` prefix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The options do not fit together; the caller adds a hint about `--help`.
    #[error("{0}")]
    Usage(String),
    /// The trace could not start or failed.
    #[error("{0}")]
    Failed(String),
    /// Every process to attach to failed; the reasons were printed as they happened.
    #[error("could not attach to any process")]
    AttachFailed,
}

/// How the trace ended, for the tracer's own exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The command exited with this status.
    Exited(i32),
    /// The command was killed by this signal.
    Killed(i32),
    /// The tracer got this fatal signal.
    Interrupted(i32),
    /// Every attached process is gone or was detached.
    Done,
}

impl From<Finish> for Ended {
    fn from(finish: Finish) -> Ended {
        match finish {
            Finish::Exited(code) => Ended::Exited(code),
            Finish::Killed(sig) => Ended::Killed(sig),
            Finish::Interrupted(sig) => Ended::Interrupted(sig),
            Finish::Done => Ended::Done,
        }
    }
}

fn usage(message: impl std::fmt::Display) -> Error {
    Error::Usage(message.to_string())
}

fn fail(message: impl std::fmt::Display) -> Error {
    Error::Failed(message.to_string())
}

/// strace's `-p` parsing: positive integers only, with its message.
fn parse_pids(raw: &[String]) -> Result<Vec<i32>, Error> {
    let mut pids = Vec::new();
    for text in raw {
        let text = text.trim();
        match text.parse::<i32>() {
            Ok(pid) if pid > 0 => {
                if pid as u32 == std::process::id() {
                    return Err(fail("I'm sorry, I can't let you do that, Dave."));
                }
                if !pids.contains(&pid) {
                    pids.push(pid);
                }
            }
            _ => return Err(fail(format_args!("Invalid process id: '{text}'"))),
        }
    }
    Ok(pids)
}

/// Traces what `options` name until it ends, printing as strace does.
pub fn run(options: &Options) -> Result<Ended, Error> {
    let pids = parse_pids(&options.pids)?;
    if pids.is_empty() && options.command.is_empty() {
        return Err(usage("must have PROG [ARGS] or -p PID"));
    }
    if !pids.is_empty() && !options.command.is_empty() {
        // strace allows both; saker keeps one target kind per run, which is what the
        // detach and exit-status rules are written for.
        return Err(usage("-p and a command to run are mutually exclusive"));
    }
    if (options.summary_only || options.summary) && options.follow >= 2 {
        return Err(usage(
            "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive",
        ));
    }
    if options.summary_only && options.summary {
        return Err(usage(
            "-c/--summary-only and -C/--summary are mutually exclusive",
        ));
    }
    if options.json && (options.summary_only || options.summary) {
        return Err(usage("--json and -c/-C are mutually exclusive"));
    }
    if options.timestamps > 3 {
        return Err(usage("-t can be given at most three times"));
    }
    if options.follow >= 2 && options.output.is_none() {
        // strace quietly treats -ff without -o as -f; say so instead of surprising anyone.
        eprintln!("saker trace: -ff without -o behaves like -f");
    }
    let mut filters = Filters::parse(&options.exprs).map_err(fail)?;
    if options.successful_only && options.failed_only {
        return Err(usage("-z and -Z are mutually exclusive"));
    }
    if options.successful_only {
        filters.status = filter::StatusSet::successful();
    }
    if options.failed_only {
        filters.status = filter::StatusSet::failed();
    }
    let mut seccomp = options.seccomp_bpf;
    if seccomp && !pids.is_empty() {
        eprintln!("saker trace: --seccomp-bpf is not enabled for processes attached with -p");
        seccomp = false;
    }
    if seccomp && options.follow == 0 {
        eprintln!("saker trace: --seccomp-bpf cannot be used without -f/--follow-forks, disabling");
        seccomp = false;
    }
    if !options.paths.is_empty() {
        filters.set_paths(&options.paths);
    }

    if options.ebpf && options.seccomp_bpf {
        return Err(usage(
            "--ebpf never stops the tracee; --seccomp-bpf is for ptrace",
        ));
    }
    if options.ebpf && options.summary_only && filters.paths.is_empty() {
        return run_ebpf_count(options, pids, &filters);
    }
    if options.ebpf {
        return run_ebpf_lines(options, pids, filters);
    }
    run_ptrace(options, pids, filters, seccomp)
}

fn run_ptrace(
    options: &Options,
    pids: Vec<i32>,
    filters: Filters,
    seccomp: bool,
) -> Result<Ended, Error> {
    let counting = options.summary_only || options.summary;
    let target = if pids.is_empty() {
        match Command::new(&options.command) {
            Ok(command) => Target::Spawn(command),
            Err(err @ TraceError::CantStat { .. }) => return Err(fail(err)),
            Err(err) => return Err(fail(err)),
        }
    } else {
        Target::Attach(pids)
    };
    let seccomp_filter = if seccomp {
        Some(filters.traced_numbers())
    } else {
        None
    };
    let tracer_options = saker_ptrace::Options {
        follow_forks: options.follow > 0,
        seccomp_filter,
        cpu_time: counting && !options.wall_clock,
        // Output to a file is flushed in batches; this bounds how stale the file can get
        // while the traced program is blocked (`tail -f` on a `-o` file).
        wake_interval: options
            .output
            .is_some()
            .then(|| std::time::Duration::from_millis(250)),
        spin: spin_time(),
    };
    let sink = Sink::open(options.output.as_deref(), options.follow >= 2).map_err(fail)?;
    let mut printer = Printer::new(options, filters, sink);
    let mut attach_errors = 0usize;
    let started = Tracer::start(tracer_options, target, &mut printer, &mut |err| {
        attach_errors += 1;
        eprintln!("saker trace: {err}");
    });
    let tracer = match started {
        Ok(tracer) => tracer,
        Err(_) if attach_errors > 0 => return Err(Error::AttachFailed),
        Err(err) => return Err(fail(err)),
    };
    let finish = tracer.run(&mut printer).map_err(fail)?;
    printer.finish().map_err(fail)?;
    Ok(finish.into())
}

/// `--ebpf -c`: counted in the kernel; `-e trace=` picks the rows (as with strace, the
/// status and signal filters do not change the counts).
fn run_ebpf_count(options: &Options, pids: Vec<i32>, filters: &Filters) -> Result<Ended, Error> {
    let target = if pids.is_empty() {
        ebpf::Counted::Spawn(Command::new(&options.command).map_err(fail)?)
    } else {
        ebpf::Counted::Attach(pids)
    };
    let mut sink = Sink::open(options.output.as_deref(), false).map_err(fail)?;
    let sort = options.sort_by.unwrap_or(SortBy::Time);
    ebpf::count(
        target,
        options.follow > 0,
        |nr| filters.trace.contains(nr),
        sort,
        options.quiet,
        &mut sink,
    )
    .map_err(fail)
}

/// `--ebpf` without `-c`: lines from the eBPF capture, reported as calls return.
fn run_ebpf_lines(options: &Options, pids: Vec<i32>, filters: Filters) -> Result<Ended, Error> {
    let target = if pids.is_empty() {
        // The same check and message as the ptrace path: `Can't stat 'foo'`.
        Command::new(&options.command).map_err(fail)?;
        ebpf_lines::Traced::Spawn(options.command.clone())
    } else {
        ebpf_lines::Traced::Attach(pids)
    };
    let per_process = options.output.is_some() && options.follow >= 2;
    let line_options = ebpf_lines::LineOptions {
        style: style(options),
        file_pid_prefix: options.output.is_some() && options.follow >= 1,
        per_process,
        json: options.json,
        filters,
        follow_forks: options.follow > 0,
        timestamps: options.timestamps,
        relative: options.relative,
        syscall_times: options.syscall_times,
        quiet: options.quiet,
        summary: (options.summary || options.summary_only)
            .then(|| options.sort_by.unwrap_or(SortBy::Time)),
        summary_only: options.summary_only,
    };
    let mut sink = Sink::open(options.output.as_deref(), per_process).map_err(fail)?;
    ebpf_lines::trace(target, line_options, &mut sink).map_err(fail)
}

/// How the decoders render values, from `-s`, `-x`, `-v`, `-y`.
fn style(options: &Options) -> saker_syscalls::Style {
    saker_syscalls::Style {
        string_limit: options.string_limit,
        hex: options.hex.min(2),
        verbose: options.verbose,
        fd_decode: options.decode_fds.min(2),
    }
}

/// How long the tracer polls for the next stop before sleeping in `wait4`:
/// [`saker_ptrace::DEFAULT_SPIN`] unless `SAKER_TRACE_SPIN_US=N` says otherwise (`0`: never
/// poll). bench/trace.sh measures both placements.
fn spin_time() -> Option<std::time::Duration> {
    let micros = std::env::var("SAKER_TRACE_SPIN_US")
        .ok()
        .and_then(|value| value.parse::<u64>().ok());
    match micros {
        Some(0) => None,
        Some(micros) => Some(std::time::Duration::from_micros(micros)),
        None => Some(saker_ptrace::DEFAULT_SPIN),
    }
}
