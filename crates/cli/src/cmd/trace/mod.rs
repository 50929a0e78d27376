//! `saker trace`: strace's command line and output format on top of `saker-ptrace` (stops) and
//! `saker-syscalls` (names, sets, decoders).
//!
//! Messages the tracer itself prints (attach, detach, errors) start with `saker trace: `
//! where strace says `strace: `; everything else is byte-for-byte strace's format.

mod decode;
mod ebpf;
mod ebpf_lines;
mod filter;
mod json;
mod printer;
mod sink;
mod summary;
mod timefmt;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::ArgAction;
use saker_ptrace::{Command, Finish, Options, Target, TraceError, Tracer};

use crate::exit::{Failure, Outcome};
use filter::Filters;
use printer::Printer;
use sink::Sink;
use summary::SortBy;

/// Trace system calls and signals, with strace's options and output format.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  saker trace ls /\n  saker trace -cw ls /\n  saker trace -f -e trace=%file,%process -o out.txt -- make\n  saker trace -p 7252 -f -cw"
)]
pub struct Args {
    /// Follow forks, vforks and clones (threads); `-ff` with `-o` writes one file per process.
    #[arg(short = 'f', long = "follow-forks", action = ArgAction::Count)]
    pub follow: u8,
    /// Attach to a running process (repeatable, or a comma list); `-f` attaches all its threads.
    #[arg(short = 'p', long = "attach", value_name = "PID", value_delimiter = ',', action = ArgAction::Append)]
    pub pids: Vec<String>,
    /// Write the trace to FILE (FILE.PID per process with `-ff`).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Count time, calls and errors per system call and print a summary instead of the trace.
    #[arg(short = 'c', long = "summary-only")]
    pub summary_only: bool,
    /// Like -c, but print the trace as well.
    #[arg(short = 'C', long = "summary")]
    pub summary: bool,
    /// Summary times are wall-clock latencies (entry to exit) instead of system CPU time.
    #[arg(short = 'w', long = "summary-wall-clock")]
    pub wall_clock: bool,
    /// Sort the summary by time (default), calls, errors, name or nothing.
    #[arg(
        short = 'S',
        long = "summary-sort-by",
        value_name = "SORTBY",
        value_enum
    )]
    pub sort_by: Option<SortBy>,
    /// Qualifying expression: [trace=]SET, signal=SET, status=SET (see strace(1)).
    #[arg(short = 'e', value_name = "EXPR", action = ArgAction::Append)]
    pub exprs: Vec<String>,
    /// Print only calls that returned without an error (status=successful).
    #[arg(short = 'z', long = "successful-only")]
    pub successful_only: bool,
    /// Print only calls that returned with an error (status=failed).
    #[arg(short = 'Z', long = "failed-only")]
    pub failed_only: bool,
    /// Maximum string size to print; file names are never cut.
    #[arg(
        short = 's',
        long = "string-limit",
        value_name = "SIZE",
        default_value_t = 32
    )]
    pub string_limit: usize,
    /// Prefix lines with the time of day; -tt adds microseconds; -ttt prints seconds since the epoch.
    #[arg(short = 't', action = ArgAction::Count)]
    pub timestamps: u8,
    /// Show the time spent in each call (`<0.000012>`).
    #[arg(short = 'T', long = "syscall-times")]
    pub syscall_times: bool,
    /// Prefix lines with the time since the previous line.
    #[arg(short = 'r', long = "relative-timestamps")]
    pub relative: bool,
    /// Print paths of file descriptors; -yy adds socket endpoints and device numbers.
    #[arg(short = 'y', action = ArgAction::Count)]
    pub decode_fds: u8,
    /// Print non-ASCII strings in hex; -xx prints every string in hex.
    #[arg(short = 'x', action = ArgAction::Count)]
    pub hex: u8,
    /// Unabbreviated structures and arrays (argv, envp, stat fields).
    #[arg(short = 'v', long = "no-abbrev")]
    pub verbose: bool,
    /// Trace only system calls that access PATH (repeatable).
    #[arg(short = 'P', long = "trace-path", value_name = "PATH", action = ArgAction::Append)]
    pub paths: Vec<PathBuf>,
    /// Suppress attach/detach messages; -qq also the exit status lines.
    #[arg(short = 'q', long = "quiet", action = ArgAction::Count)]
    pub quiet: u8,
    /// Let a seccomp filter stop the tracee only on traced calls (needs -f, not with -p).
    #[arg(long = "seccomp-bpf")]
    pub seccomp_bpf: bool,
    /// One JSON object per line for each system call, signal and exit (docs/trace-json.md).
    #[arg(long)]
    pub json: bool,
    /// Trace with eBPF instead of ptrace: the program is never stopped (with -c the counting
    /// happens in the kernel).
    #[arg(long)]
    pub ebpf: bool,
    /// The command to run and its arguments (after `--` when they start with `-`).
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<OsString>,
}

/// Turns the parsed arguments into a checked configuration, or a usage error.
fn usage(message: impl std::fmt::Display) -> anyhow::Error {
    Failure::new(
        1,
        format!("saker trace: {message}\nTry 'saker trace --help' for more information."),
    )
    .into()
}

fn fail(message: impl std::fmt::Display) -> anyhow::Error {
    Failure::new(1, format!("saker trace: {message}")).into()
}

/// strace's `-p` parsing: positive integers only, with its message.
fn parse_pids(raw: &[String]) -> anyhow::Result<Vec<i32>> {
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

pub fn run(args: Args) -> Outcome {
    let pids = parse_pids(&args.pids)?;
    if pids.is_empty() && args.command.is_empty() {
        return Err(usage("must have PROG [ARGS] or -p PID"));
    }
    if !pids.is_empty() && !args.command.is_empty() {
        // strace allows both; saker keeps one target kind per run, which is what the
        // detach and exit-status rules are written for.
        return Err(usage("-p and a command to run are mutually exclusive"));
    }
    if (args.summary_only || args.summary) && args.follow >= 2 {
        return Err(usage(
            "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive",
        ));
    }
    if args.summary_only && args.summary {
        return Err(usage(
            "-c/--summary-only and -C/--summary are mutually exclusive",
        ));
    }
    if args.json && (args.summary_only || args.summary) {
        return Err(usage("--json and -c/-C are mutually exclusive"));
    }
    if args.timestamps > 3 {
        return Err(usage("-t can be given at most three times"));
    }
    if args.follow >= 2 && args.output.is_none() {
        // strace quietly treats -ff without -o as -f; say so instead of surprising anyone.
        eprintln!("saker trace: -ff without -o behaves like -f");
    }
    let mut filters = Filters::parse(&args.exprs).map_err(fail)?;
    if args.successful_only && args.failed_only {
        return Err(usage("-z and -Z are mutually exclusive"));
    }
    if args.successful_only {
        filters.status = filter::StatusSet::successful();
    }
    if args.failed_only {
        filters.status = filter::StatusSet::failed();
    }
    let mut seccomp = args.seccomp_bpf;
    if seccomp && !pids.is_empty() {
        eprintln!("saker trace: --seccomp-bpf is not enabled for processes attached with -p");
        seccomp = false;
    }
    if seccomp && args.follow == 0 {
        eprintln!("saker trace: --seccomp-bpf cannot be used without -f/--follow-forks, disabling");
        seccomp = false;
    }
    if !args.paths.is_empty() {
        filters.set_paths(&args.paths);
    }

    let counting = args.summary_only || args.summary;
    if args.ebpf && args.seccomp_bpf {
        return Err(usage(
            "--ebpf never stops the tracee; --seccomp-bpf is for ptrace",
        ));
    }
    if args.ebpf && args.summary_only && filters.paths.is_empty() {
        return run_ebpf(&args, pids, &filters);
    }
    if args.ebpf {
        return run_ebpf_lines(&args, pids, filters);
    }
    let target = if pids.is_empty() {
        match Command::new(&args.command) {
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
    let options = Options {
        follow_forks: args.follow > 0,
        seccomp_filter,
        cpu_time: counting && !args.wall_clock,
        // Output to a file is flushed in batches; this bounds how stale the file can get
        // while the traced program is blocked (`tail -f` on a `-o` file).
        wake_interval: args
            .output
            .is_some()
            .then(|| std::time::Duration::from_millis(250)),
        spin: spin_time(),
    };
    let sink = Sink::open(args.output.as_deref(), args.follow >= 2).map_err(fail)?;
    let mut printer = Printer::new(&args, filters, sink);
    let mut attach_errors = 0usize;
    let started = Tracer::start(options, target, &mut printer, &mut |err| {
        attach_errors += 1;
        eprintln!("saker trace: {err}");
    });
    let tracer = match started {
        Ok(tracer) => tracer,
        Err(_) if attach_errors > 0 => return Ok(1),
        Err(err) => return Err(fail(err)),
    };
    let finish = tracer.run(&mut printer).map_err(fail)?;
    printer.finish().map_err(fail)?;
    match finish {
        Finish::Exited(code) => Ok((code & 0xff) as u8),
        Finish::Killed(sig) | Finish::Interrupted(sig) => Ok(die_like(sig)),
        Finish::Done => Ok(0),
    }
}

/// `--ebpf -c`: counted in the kernel; `-e trace=` picks the rows (as with strace, the
/// status and signal filters do not change the counts).
fn run_ebpf(args: &Args, pids: Vec<i32>, filters: &Filters) -> Outcome {
    let target = if pids.is_empty() {
        ebpf::Counted::Spawn(Command::new(&args.command).map_err(fail)?)
    } else {
        ebpf::Counted::Attach(pids)
    };
    let mut sink = Sink::open(args.output.as_deref(), false).map_err(fail)?;
    let sort = args.sort_by.unwrap_or(SortBy::Time);
    let counted = ebpf::count(
        target,
        args.follow > 0,
        |nr| filters.trace.contains(nr),
        sort,
        args.quiet,
        &mut sink,
    );
    Ok(exit_status(counted.map_err(fail)?))
}

/// `--ebpf` without `-c`: lines from the eBPF capture, reported as calls return.
fn run_ebpf_lines(args: &Args, pids: Vec<i32>, filters: Filters) -> Outcome {
    let target = if pids.is_empty() {
        // The same check and message as the ptrace path: `Can't stat 'foo'`.
        Command::new(&args.command).map_err(fail)?;
        ebpf_lines::Traced::Spawn(args.command.clone())
    } else {
        ebpf_lines::Traced::Attach(pids)
    };
    let per_process = args.output.is_some() && args.follow >= 2;
    let options = ebpf_lines::LineOptions {
        style: saker_syscalls::Style {
            string_limit: args.string_limit,
            hex: args.hex.min(2),
            verbose: args.verbose,
            fd_decode: args.decode_fds.min(2),
            ..Default::default()
        },
        file_pid_prefix: args.output.is_some() && args.follow >= 1,
        per_process,
        json: args.json,
        filters,
        follow_forks: args.follow > 0,
        timestamps: args.timestamps,
        relative: args.relative,
        syscall_times: args.syscall_times,
        quiet: args.quiet,
        summary: (args.summary || args.summary_only).then(|| args.sort_by.unwrap_or(SortBy::Time)),
        summary_only: args.summary_only,
    };
    let mut sink = Sink::open(args.output.as_deref(), per_process).map_err(fail)?;
    Ok(exit_status(
        ebpf_lines::trace(target, options, &mut sink).map_err(fail)?,
    ))
}

/// The tracer's exit status after an eBPF run, as after a ptrace one.
fn exit_status(ended: ebpf::Ended) -> u8 {
    match ended {
        ebpf::Ended::Exited(code) => (code & 0xff) as u8,
        ebpf::Ended::Killed(sig) | ebpf::Ended::Interrupted(sig) => die_like(sig),
        ebpf::Ended::Done => 0,
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

/// strace's terminate(): die from the same signal as the traced command (with core dumps off so
/// no core file of the tracer clobbers the command's), or exit 128+signal if it is not fatal.
fn die_like(sig: i32) -> u8 {
    // SAFETY: plain libc calls on our own process; all output was flushed before.
    unsafe {
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::raise(sig);
        libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
    (128 + sig) as u8
}
