//! saker-trace: the strace front end of `saker trace`. strace's options, filters, line format,
//! summary table and JSON records on top of `saker-ptrace` (stops) or `saker-bpf` (the eBPF
//! capture), with `saker-syscalls` naming and decoding the calls.
//!
//! Messages the tracer itself prints (attach, detach, errors) start with `saker trace: `
//! where strace says `strace: `; everything else is strace's format (docs/trace.md says where
//! it differs).

pub mod cmdline;
mod decode;
mod dump;
mod ebpf;
mod ebpf_lines;
mod filter;
mod getopt;
mod help;
mod inject;
mod json;
mod leader;
mod options;
mod printer;
mod qualify;
mod sink;
mod stack;
mod summary;

use saker_bpf::{CounterConfig, Timing};
use saker_ptrace::{Command, FatalSignals, Finish, Target, Tracer};

pub use help::HELP;
pub use options::{Interruptible, Options, Output, Precision};
use printer::Printer;
use sink::Sink;
pub use summary::SortBy;

/// Why a trace could not run. The messages are strace's, without its `strace: ` prefix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is wrong; the caller adds a hint about `--help`.
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

fn fail(message: impl std::fmt::Display) -> Error {
    Error::Failed(message.to_string())
}

/// Traces what `options` name until it ends, printing as strace does.
pub fn run(options: &Options) -> Result<Ended, Error> {
    if !options.quiet.path_resolution {
        for note in &options.path_notes {
            eprintln!("saker trace: {note}");
        }
    }
    let ended = if options.ebpf {
        run_ebpf(options)
    } else {
        run_ptrace(options)
    };
    if options.tips {
        eprint!("{}", help::tip());
    }
    ended
}

/// The command to start, with `-E` and `-u` applied.
fn command(options: &Options) -> Result<Command, Error> {
    let mut command = Command::new(&options.command).map_err(fail)?;
    command.change_environment(&options.env).map_err(fail)?;
    if let Some(user) = &options.user {
        command.run_as(user).map_err(fail)?;
    }
    Ok(command)
}

fn run_ptrace(options: &Options) -> Result<Ended, Error> {
    let target = match (options.command.is_empty(), options.pids.is_empty()) {
        (false, true) => Target::Spawn(command(options)?),
        (true, _) => Target::Attach(options.pids.clone()),
        (false, false) => Target::SpawnAndAttach(command(options)?, options.pids.clone()),
    };
    let seccomp_filter = options
        .seccomp_bpf
        .then(|| options.filters.traced_numbers());
    let tracer_options = saker_ptrace::Options {
        follow_forks: options.follow_forks,
        seccomp_filter,
        cpu_time: options.summary.as_ref().is_some_and(|s| !s.wall_clock),
        // Output to a file is flushed in batches; this bounds how stale the file can get
        // while the traced program is blocked (`tail -f` on a `-o` file).
        wake_interval: options
            .output_is_file()
            .then(|| std::time::Duration::from_millis(250)),
        spin: spin_time(),
        detach_on_exec: options.detach_on_execve,
        fatal_signals: match options.interruptible {
            Interruptible::Anywhere => FatalSignals::Default,
            Interruptible::Waiting => FatalSignals::Detach,
            Interruptible::Never => FatalSignals::Ignore,
            Interruptible::NeverTstp => FatalSignals::IgnoreWithTstp,
        },
    };
    let sink =
        Sink::open(&options.output, options.output_separately, options.append).map_err(fail)?;
    let mut printer = Printer::new(options, sink);
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
    redirect_standard_fds();
    let finish = tracer.run(&mut printer).map_err(fail)?;
    // Like strace, a failed write of the trace is reported, and the command's status stays
    // the tracer's.
    if let Err(message) = printer.finish() {
        eprintln!("saker trace: {message}");
    }
    Ok(finish.into())
}

fn run_ebpf(options: &Options) -> Result<Ended, Error> {
    // The kernel-side counter has totals only: no -P, no shortest or longest call.
    let counted_in_kernel = options.summary.as_ref().is_some_and(|s| {
        use summary::Column::{MaxTime, MinTime};
        s.only
            && options.filters.paths.is_empty()
            // `-p` with a command: counted from the capture's records.
            && (options.pids.is_empty() || options.command.is_empty())
            && !s.columns.iter().any(|c| matches!(c, MinTime | MaxTime))
            && !matches!(s.sort_by.0, Some(MinTime | MaxTime))
    });
    if counted_in_kernel {
        run_ebpf_count(options)
    } else {
        run_ebpf_lines(options)
    }
}

/// `--ebpf -c`: counted in the kernel; `-e trace=` picks the rows (as with strace, the
/// status and signal filters do not change the counts).
fn run_ebpf_count(options: &Options) -> Result<Ended, Error> {
    let target = if options.pids.is_empty() {
        ebpf::Counted::Spawn(command(options)?)
    } else {
        ebpf::Counted::Attach(options.pids.clone())
    };
    let mut sink = Sink::open(&options.output, false, options.append).map_err(fail)?;
    let how = options.summary.as_ref().expect("counting");
    // -w is strace's wall-clock latency: every call timed, two clock reads each (about 2.1x
    // dd's CPU against 1.35x untimed, docs/capture-bpf.md). Without it, strace's system time,
    // estimated at about 1.6x; no time at all when no shown column and not the sort order
    // needs one.
    let timing = if !summary::needs_time(how.sort_by, &how.columns) {
        Timing::Untimed
    } else if how.wall_clock {
        Timing::WallClock
    } else {
        Timing::SystemTime
    };
    let config = CounterConfig {
        follow_forks: options.follow_forks,
        timing,
    };
    ebpf::count(
        target,
        config,
        |nr| options.filters.trace.contains(nr),
        how,
        (options.quiet.attach, options.quiet.exit),
        options.interruptible,
        &mut sink,
    )
    .map_err(fail)
}

/// `--ebpf` without `-c`: lines from the eBPF capture, reported as calls return.
fn run_ebpf_lines(options: &Options) -> Result<Ended, Error> {
    let target = if options.command.is_empty() {
        ebpf_lines::Traced::Attach(options.pids.clone())
    } else {
        // The same check and message as the ptrace path: `Can't stat 'foo'`.
        command(options)?;
        if options.pids.is_empty() {
            ebpf_lines::Traced::Spawn(options.command.clone())
        } else {
            ebpf_lines::Traced::SpawnAndAttach(options.command.clone(), options.pids.clone())
        }
    };
    let mut sink =
        Sink::open(&options.output, options.output_separately, options.append).map_err(fail)?;
    ebpf_lines::trace(target, options, &mut sink).map_err(fail)
}

/// strace's redirect_standard_fds(): once the command runs, the tracer lets go of its own
/// stdin and stdout (the trace goes to stderr or `-o`), so that a pipe the command closed has
/// no other reader or writer left (`yes | saker trace sh -c 'exec <&-'` must end). They are
/// replaced, not closed, so no later open lands on them.
pub(crate) fn redirect_standard_fds() {
    let mut pipe = [0; 2];
    // SAFETY: plain descriptor calls on our own process.
    unsafe {
        if libc::pipe2(pipe.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return;
        }
        libc::close(pipe[1]);
        // A read end whose writer is gone: reads see EOF, writes fail with EBADF.
        libc::dup3(pipe[0], 0, libc::O_CLOEXEC);
        libc::dup3(pipe[0], 1, libc::O_CLOEXEC);
        libc::close(pipe[0]);
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
