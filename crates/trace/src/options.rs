//! What a `saker trace` command line means, checked: every option of strace 6.1 that Saker
//! implements, in strace's terms. [`crate::cmdline`] builds it from the arguments.

use std::ffi::OsString;
use std::time::Duration;

use saker_syscalls::{FdDetails, PidDetails, XlatStyle};

use crate::filter::Filters;
use crate::inject::Injections;
use crate::qualify::NumberSet;
use crate::summary::{Column, SortBy};

/// The digits after the decimal point of a time (`-r`, `-T`, `--absolute-timestamps`):
/// strace's precision `s` (0), `ms` (3), `us` (6) or `ns` (9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precision(pub u8);

impl Precision {
    pub const SECONDS: Precision = Precision(0);
    pub const MICROS: Precision = Precision(6);

    /// strace's str2timescale: `s`, `ms`, `us`, `ns`.
    pub fn parse(text: &str) -> Option<Precision> {
        Some(Precision(match text {
            "s" => 0,
            "ms" => 3,
            "us" => 6,
            "ns" => 9,
            _ => return None,
        }))
    }
}

/// `-t`/`--absolute-timestamps`: the clock time before each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbsoluteTime {
    /// `unix` (seconds since the epoch) rather than `time` (HH:MM:SS, local).
    pub unix: bool,
    pub precision: Precision,
}

/// `-e quiet=`: messages left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quiet {
    /// `Process N attached` / `detached`.
    pub attach: bool,
    /// `+++ exited with N +++`, `+++ killed by SIG +++`.
    pub exit: bool,
    /// `Requested path '...' resolved into '...'` (-P).
    pub path_resolution: bool,
    /// `[ Process PID=N runs in 32 bit mode. ]` (never printed on x86_64 here).
    pub personality: bool,
    /// `+++ superseded by execve in pid N +++`.
    pub thread_execve: bool,
}

/// `-I`: when the tracer's fatal signals (SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM) act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interruptible {
    /// 1, `anywhere`: never blocked.
    Anywhere,
    /// 2, `waiting`: detach and exit (the default, and strace's).
    Waiting,
    /// 3, `never`: ignored (default with `-o FILE PROG`).
    Never,
    /// 4, `never_tstp`: ignored, and SIGTSTP too.
    NeverTstp,
}

/// `-c`/`-C` and their companions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryOptions {
    /// `-c`: the table only, no trace lines.
    pub only: bool,
    /// `-w`: wall-clock latencies instead of system CPU time.
    pub wall_clock: bool,
    /// `-S`.
    pub sort_by: SortBy,
    /// `-U`.
    pub columns: Vec<Column>,
    /// `-O`: subtracted from each call's time.
    pub overhead: Duration,
}

/// Where trace lines go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stderr,
    /// `-o FILE` (with `-ff`, FILE.PID per process).
    File(OsString),
    /// `-o |COMMAND` or `-o !COMMAND`: piped into a shell command.
    Pipe(OsString),
}

/// A checked `saker trace` command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// The command to run, or empty with `-p`.
    pub command: Vec<OsString>,
    /// `-p`.
    pub pids: Vec<i32>,
    /// `-E VAR=VAL` / `-E VAR`, in order.
    pub env: Vec<OsString>,
    /// `-u USERNAME`.
    pub user: Option<String>,
    /// `-b execve`.
    pub detach_on_execve: bool,
    /// `-f`.
    pub follow_forks: bool,
    /// `-ff` / `--output-separately`, effective only with a file output.
    pub output_separately: bool,
    /// `--seccomp-bpf`, after strace's checks.
    pub seccomp_bpf: bool,
    pub interruptible: Interruptible,

    pub output: Output,
    /// `-A`.
    pub append: bool,
    /// `-a`: the column results are aligned at.
    pub column: usize,
    /// `-s`.
    pub string_limit: usize,
    /// `-x`/`-xx`, `--strings-in-hex`: saker_syscalls::Style::hex's levels.
    pub hex: u8,
    /// `-X`.
    pub xlat: XlatStyle,
    pub absolute_time: Option<AbsoluteTime>,
    /// `-r`.
    pub relative_time: Option<Precision>,
    /// `-T`.
    pub syscall_times: Option<Precision>,
    /// `-i`.
    pub instruction_pointer: bool,
    /// `-k`.
    pub stack_traces: bool,
    /// `-n`.
    pub syscall_number: bool,
    pub quiet: Quiet,
    /// `-y`, `-e decode-fds=`.
    pub decode_fds: FdDetails,
    /// `-Y`, `--decode-pids=`, `--pidns-translation`.
    pub decode_pids: PidDetails,
    /// `--tips`.
    pub tips: bool,
    /// `Requested path ... resolved into ...` notes from `-P`, printed at the start unless
    /// `-e quiet=path-resolution`.
    pub path_notes: Vec<String>,

    /// `-e trace=`, `signal=`, `status=`, `-z`, `-Z`, `-P`.
    pub filters: Filters,
    /// `-e abbrev=` (`-v` is `abbrev=none`).
    pub abbrev: saker_syscalls::SyscallSet,
    /// `-e verbose=`.
    pub verbose: saker_syscalls::SyscallSet,
    /// `-e raw=`.
    pub raw: saker_syscalls::SyscallSet,
    /// `-e read=`: fds whose reads are dumped.
    pub dump_reads: NumberSet,
    /// `-e write=`: fds whose writes are dumped.
    pub dump_writes: NumberSet,
    /// `-e inject=`, `-e fault=`.
    pub inject: Injections,

    pub summary: Option<SummaryOptions>,
    /// `--json`.
    pub json: bool,
    /// `--ebpf`.
    pub ebpf: bool,
    /// `-e kvm=vcpu`: KVM_RUN shows the vCPU's exit reason.
    pub kvm_vcpu: bool,
}

impl Options {
    /// Whether `-e read=` or `-e write=` asks for hex dumps of data.
    pub fn dumps(&self) -> bool {
        !self.dump_reads.is_empty() || !self.dump_writes.is_empty()
    }

    /// The options of a plain `saker trace PROG`.
    pub fn new(command: Vec<OsString>) -> Options {
        Options {
            command,
            pids: Vec::new(),
            env: Vec::new(),
            user: None,
            detach_on_execve: false,
            follow_forks: false,
            output_separately: false,
            seccomp_bpf: false,
            interruptible: Interruptible::Waiting,
            output: Output::Stderr,
            append: false,
            column: 40,
            string_limit: 32,
            hex: 0,
            xlat: XlatStyle::Abbrev,
            absolute_time: None,
            relative_time: None,
            syscall_times: None,
            instruction_pointer: false,
            stack_traces: false,
            syscall_number: false,
            quiet: Quiet::default(),
            decode_fds: FdDetails::default(),
            decode_pids: PidDetails::default(),
            tips: false,
            path_notes: Vec::new(),
            filters: Filters::default(),
            abbrev: saker_syscalls::SyscallSet::all(),
            verbose: saker_syscalls::SyscallSet::all(),
            raw: saker_syscalls::SyscallSet::none(),
            dump_reads: NumberSet::none(),
            dump_writes: NumberSet::none(),
            inject: Injections::default(),
            summary: None,
            json: false,
            ebpf: false,
            kvm_vcpu: false,
        }
    }

    /// Whether lines go to a file (or pipe) rather than the terminal's stderr.
    pub fn output_is_file(&self) -> bool {
        !matches!(self.output, Output::Stderr)
    }

    /// How the decoders print the arguments of syscall `nr`.
    pub fn style_for(&self, nr: u64) -> saker_syscalls::Style {
        saker_syscalls::Style {
            string_limit: self.string_limit,
            hex: self.hex,
            verbose: !self.abbrev.contains(nr),
            fd_decode: self.decode_fds.level(),
            fds: self.decode_fds,
            xlat: self.xlat,
            dereference: self.verbose.contains(nr),
            pids: self.decode_pids,
            kvm_vcpu: self.kvm_vcpu,
        }
    }
}
