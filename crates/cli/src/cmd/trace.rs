//! `saker trace`: strace's command line, handed to `saker-trace`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::ArgAction;
use clap::builder::TypedValueParser as _;
use saker_trace::{Ended, SortBy};

use crate::exit::{Failure, Outcome};

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
        value_parser = clap::builder::PossibleValuesParser::new(["time", "calls", "errors", "name", "nothing"])
            .try_map(|text: String| text.parse::<SortBy>())
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

pub fn run(args: Args) -> Outcome {
    let ended = saker_trace::run(&args.into_options()).map_err(|err| match err {
        saker_trace::Error::Usage(message) => Failure::new(
            1,
            format!("saker trace: {message}\nTry 'saker trace --help' for more information."),
        ),
        saker_trace::Error::AttachFailed => Failure::new(1, ""),
        err => Failure::new(1, format!("saker trace: {err}")),
    })?;
    Ok(match ended {
        Ended::Exited(code) => (code & 0xff) as u8,
        Ended::Killed(sig) | Ended::Interrupted(sig) => die_like(sig),
        Ended::Done => 0,
    })
}

impl Args {
    fn into_options(self) -> saker_trace::Options {
        saker_trace::Options {
            follow: self.follow,
            pids: self.pids,
            output: self.output,
            summary_only: self.summary_only,
            summary: self.summary,
            wall_clock: self.wall_clock,
            sort_by: self.sort_by,
            exprs: self.exprs,
            successful_only: self.successful_only,
            failed_only: self.failed_only,
            string_limit: self.string_limit,
            timestamps: self.timestamps,
            syscall_times: self.syscall_times,
            relative: self.relative,
            decode_fds: self.decode_fds,
            hex: self.hex,
            verbose: self.verbose,
            paths: self.paths,
            quiet: self.quiet,
            seccomp_bpf: self.seccomp_bpf,
            json: self.json,
            ebpf: self.ebpf,
            command: self.command,
        }
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
