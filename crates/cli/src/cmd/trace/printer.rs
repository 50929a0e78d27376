//! Turns tracer stops into strace's lines (or JSON records, or summary counts).
//!
//! The line discipline is strace's: a call's entry part (`read(3, `) is written at the entry
//! stop; if its exit comes next the line is completed, otherwise the open line is cut with
//! ` <unfinished ...>` and the exit is printed later as `<... read resumed>`. Results are
//! aligned at column 40 like strace's default `-a 40`.

use std::collections::HashMap;
use std::time::Duration;

use saker_ptrace::{Handler, ProcessFds, ProcessMemory, Stop, StopContext};
use saker_syscalls::{
    Decoded, Entry, SigInfo, Style, decode_entry_into, decode_exit_into, format_signal,
};

use super::Args;
use super::decode::{TraceeFds, TraceeMemory};
use super::filter::Filters;
use super::json;
use super::sink::Sink;
use super::summary::{SortBy, Summary, syscall_name};
use super::timefmt;

const ALIGN_COLUMN: usize = 40;
const EXECVE: u64 = 59;
const EXECVEAT: u64 = 322;
const RESTART_SYSCALL: u64 = 219;
const EXIT: u64 = 60;
const EXIT_GROUP: u64 = 231;

#[derive(Default)]
struct ProcState {
    entry: Entry,
    nr: u64,
    /// The last syscall of this process that passed the filters: strace names it in
    /// `restart_syscall(<... resuming interrupted NAME ...>)` (its `s_prev_ent`).
    last_traced: Option<u64>,
    /// An entry was seen and its exit not yet.
    pending: bool,
    /// The entry text was written out (the line is open, or was cut as unfinished).
    printed: bool,
    /// Column of this process's open line (with -ff, where each process has its own).
    open_col: usize,
    line_open: bool,
    entry_wall: Duration,
    entry_mono: Duration,
    entry_cpu: Duration,
}

pub struct Printer {
    style: Style,
    filters: Filters,
    sink: Sink,
    /// Print trace lines (not with -c alone, not with --json).
    print_lines: bool,
    json: bool,
    summary: Option<Summary>,
    wall_clock: bool,
    sort: SortBy,
    timestamps: u8,
    relative: bool,
    syscall_times: bool,
    quiet: u8,
    /// `N ` prefixes in a shared output file (strace's print_pid_pfx).
    file_pid_prefix: bool,
    /// Lines wait for the result when -e status= filters on it.
    defer_lines: bool,
    check_paths: bool,
    procs: HashMap<i32, ProcState>,
    /// The process whose line is open in the shared stream, and that line's column.
    open_line: Option<(i32, usize)>,
    last_line_at: Option<Duration>,
    line: String,
    decoded: Decoded,
}

impl Printer {
    pub fn new(args: &Args, filters: Filters, sink: Sink) -> Printer {
        let json = args.json;
        let counting = args.summary_only || args.summary;
        let file_pid_prefix = args.output.is_some()
            && !sink.is_per_process()
            && (args.follow >= 1 || args.pids.len() > 1);
        Printer {
            style: Style {
                string_limit: args.string_limit,
                hex: args.hex.min(2),
                verbose: args.verbose,
                fd_decode: args.decode_fds.min(2),
                ..Default::default()
            },
            defer_lines: !filters.status.is_all(),
            check_paths: !filters.paths.is_empty(),
            filters,
            sink,
            print_lines: !json && !args.summary_only,
            json,
            summary: counting.then(Summary::new),
            wall_clock: args.wall_clock,
            sort: args.sort_by.unwrap_or(SortBy::Time),
            timestamps: args.timestamps,
            relative: args.relative,
            syscall_times: args.syscall_times,
            quiet: args.quiet,
            file_pid_prefix,
            procs: HashMap::new(),
            open_line: None,
            last_line_at: None,
            line: String::with_capacity(256),
            decoded: Decoded::default(),
        }
    }

    fn needs_wall_time(&self) -> bool {
        self.timestamps > 0 || self.relative || self.json
    }

    /// Ends the trace: the summary (into the trace output, like strace), then flush.
    pub fn finish(&mut self) -> Result<(), String> {
        if let Some(summary) = &self.summary {
            let table = summary.render(self.sort);
            self.cut_open_line(0);
            self.sink.buffer(0).extend_from_slice(table.as_bytes());
        }
        self.sink.finish()
    }

    /// Cuts the open line that `pid`'s next line would interleave with.
    fn cut_open_line(&mut self, pid: i32) {
        let owner = if self.sink.is_per_process() {
            match self.procs.get_mut(&pid) {
                Some(state) if state.line_open => {
                    state.line_open = false;
                    Some(pid)
                }
                _ => None,
            }
        } else {
            self.open_line.take().map(|(owner, _)| owner)
        };
        if let Some(owner) = owner {
            self.sink
                .buffer(owner)
                .extend_from_slice(b" <unfinished ...>\n");
        }
    }

    fn owns_open_line(&self, pid: i32) -> Option<usize> {
        if self.sink.is_per_process() {
            self.procs
                .get(&pid)
                .filter(|s| s.line_open)
                .map(|s| s.open_col)
        } else {
            self.open_line
                .filter(|(owner, _)| *owner == pid)
                .map(|(_, col)| col)
        }
    }

    fn set_open(&mut self, pid: i32, col: usize) {
        if self.sink.is_per_process() {
            if let Some(state) = self.procs.get_mut(&pid) {
                state.line_open = true;
                state.open_col = col;
            }
        } else {
            self.open_line = Some((pid, col));
        }
    }

    fn clear_open(&mut self, pid: i32) {
        if self.sink.is_per_process() {
            if let Some(state) = self.procs.get_mut(&pid) {
                state.line_open = false;
            }
        } else if self.open_line.is_some_and(|(owner, _)| owner == pid) {
            self.open_line = None;
        }
    }

    /// Starts a line in `self.line`: pid prefix and timestamps (strace's printleader).
    fn start_line(&mut self, pid: i32, tracees: usize, at: Duration) {
        use std::fmt::Write as _;
        self.line.clear();
        if !self.sink.is_per_process() {
            if self.file_pid_prefix {
                let _ = write!(self.line, "{pid:<5} ");
            } else if !self.sink.is_file() && tracees > 1 {
                let _ = write!(self.line, "[pid {pid:>5}] ");
            }
        }
        if self.timestamps > 0 {
            timefmt::write_timestamp(&mut self.line, self.timestamps, at);
        } else if self.relative {
            let delta = self
                .last_line_at
                .map(|last| at.saturating_sub(last))
                .unwrap_or_default();
            timefmt::write_relative(&mut self.line, delta);
        }
        self.last_line_at = Some(at);
    }

    fn emit(&mut self, pid: i32) {
        let Printer { sink, line, .. } = self;
        sink.buffer(pid).extend_from_slice(line.as_bytes());
    }

    /// `) ` then padding to column 40, then `= ` and the result (strace's tabto()).
    fn finish_call(
        &mut self,
        col_before_paren_space: usize,
        result: &str,
        spent: Option<Duration>,
    ) {
        self.line.push(' ');
        let col = col_before_paren_space + 1;
        if col < ALIGN_COLUMN {
            for _ in col..ALIGN_COLUMN {
                self.line.push(' ');
            }
        }
        self.line.push_str("= ");
        self.line.push_str(result);
        if let Some(spent) = spent {
            timefmt::write_duration(&mut self.line, spent);
        }
        self.line.push('\n');
    }

    fn syscall_entry(&mut self, ctx: &StopContext, nr: u64, args: [u64; 6]) -> bool {
        if ctx.hidden && nr != EXECVE && nr != EXECVEAT {
            return false;
        }
        if !self.filters.trace.contains(nr) {
            return false;
        }
        if self.check_paths && !self.filters.touches_paths(ctx.pid, nr, &args) {
            return false;
        }
        let pid = ctx.pid;
        let entry_mono = timefmt::monotonic();
        let entry_wall = if self.needs_wall_time() {
            timefmt::realtime()
        } else {
            Duration::ZERO
        };
        let decode = self.print_lines || self.json;
        let state = self.procs.entry(pid).or_default();
        let previous = state.last_traced.replace(nr);
        state.nr = nr;
        state.pending = true;
        state.printed = false;
        state.entry_mono = entry_mono;
        state.entry_wall = entry_wall;
        state.entry_cpu = ctx.cpu_time.unwrap_or_default();
        if !decode {
            return true;
        }
        let mut memory = TraceeMemory {
            memory: ProcessMemory::new(pid),
            stack_pointer: ctx.stack_pointer,
        };
        let mut fds = TraceeFds(ProcessFds::new(pid));
        decode_entry_into(
            &mut state.entry,
            nr,
            args,
            &mut memory,
            &mut fds,
            &self.style,
        );
        if nr == RESTART_SYSCALL
            && let Some(previous) = previous.or(ctx.blocked_at_attach)
        {
            state.entry.set_interrupted_syscall(previous);
        }
        if self.json || self.defer_lines || ctx.hidden {
            return true;
        }
        self.cut_open_line(pid);
        self.start_line(pid, ctx.tracees, entry_wall);
        let state = self.procs.get_mut(&pid).expect("inserted above");
        self.line.push_str(state.entry.text_so_far());
        state.printed = true;
        if matches!(nr, EXIT | EXIT_GROUP) && state.entry.is_complete() {
            // These never return. strace prints `exit_group(0) = ?` at the thread's
            // PTRACE_EVENT_EXIT stop, which comes before any other thread's end: the line is
            // finished now so that no sibling's output cuts it.
            state.pending = false;
            self.line.push(')');
            let col = self.line.len();
            self.finish_call(col, "?", None);
            self.emit(pid);
            return false;
        }
        let col = self.line.len();
        self.emit(pid);
        self.set_open(pid, col);
        true
    }

    fn syscall_exit(&mut self, ctx: &StopContext, ret: i64, is_error: bool) {
        let pid = ctx.pid;
        let Some(state) = self.procs.get_mut(&pid) else {
            return;
        };
        if !state.pending {
            return;
        }
        state.pending = false;
        let spent = timefmt::monotonic().saturating_sub(state.entry_mono);
        if let Some(summary) = &mut self.summary {
            let time = if self.wall_clock {
                spent
            } else {
                ctx.cpu_time
                    .unwrap_or_default()
                    .saturating_sub(state.entry_cpu)
            };
            summary.add(state.nr, time, is_error && (-4095..0).contains(&ret));
        }
        if !self.print_lines && !self.json {
            return;
        }
        let mut memory = TraceeMemory {
            memory: ProcessMemory::new(pid),
            stack_pointer: ctx.stack_pointer,
        };
        let mut fds = TraceeFds(ProcessFds::new(pid));
        decode_exit_into(
            &mut self.decoded,
            &state.entry,
            ret,
            &mut memory,
            &mut fds,
            &self.style,
        );
        let failed = self.decoded.errno.is_some();
        let status = self.filters.status;
        if (failed && !status.failed) || (!failed && !status.successful) {
            return;
        }
        let (nr, printed, entry_wall) = (state.nr, state.printed, state.entry_wall);
        if self.json {
            self.json_syscall(pid, nr, Some(ret), Some(spent));
            return;
        }
        let spent = self.syscall_times.then_some(spent);
        let decoded = std::mem::take(&mut self.decoded);
        let col = if let Some(open_col) = self.owns_open_line(pid).filter(|_| printed) {
            self.line.clear();
            self.line.push_str(decoded.resumed_args());
            open_col + self.line.len()
        } else if printed {
            self.cut_open_line(pid);
            let now = if self.needs_wall_time() {
                timefmt::realtime()
            } else {
                Duration::ZERO
            };
            self.start_line(pid, ctx.tracees, now);
            self.line.push_str("<... ");
            self.line.push_str(&syscall_name(nr));
            self.line.push_str(" resumed>");
            self.line.push_str(decoded.resumed_args());
            self.line.len()
        } else {
            self.cut_open_line(pid);
            self.start_line(pid, ctx.tracees, entry_wall);
            self.line.push_str(&decoded.call);
            self.line.len()
        };
        self.finish_call(col, &decoded.result, spent);
        self.decoded = decoded;
        self.emit(pid);
        self.clear_open(pid);
    }

    fn json_syscall(&mut self, pid: i32, nr: u64, ret: Option<i64>, spent: Option<Duration>) {
        let Some(state) = self.procs.get(&pid) else {
            return;
        };
        self.line.clear();
        let name = syscall_name(nr);
        let errno = self
            .decoded
            .errno
            .filter(|_| ret.is_some())
            .map(|e| (e, saker_syscalls::errno_name(e).unwrap_or("E???")));
        let (args, result): (Vec<&str>, &str) = if ret.is_some() {
            (self.decoded.args().collect(), self.decoded.result.as_str())
        } else {
            (Vec::new(), "?")
        };
        json::syscall(
            &mut self.line,
            pid,
            state.entry_wall,
            &name,
            nr,
            args.into_iter(),
            &state.entry.args(),
            ret,
            errno,
            result,
            spent,
        );
        self.emit(pid);
    }

    /// A process ended or was detached in the middle of a traced call (strace's
    /// print_event_exit): `exit_group(0) = ?`, `read(0,  <unfinished ...>) = ?`.
    fn unfinished_call(&mut self, ctx: &StopContext) {
        let pid = ctx.pid;
        let Some(state) = self.procs.get_mut(&pid) else {
            return;
        };
        if !state.pending || ctx.hidden {
            return;
        }
        state.pending = false;
        if self.json {
            self.json_syscall(pid, self.procs[&pid].nr, None, None);
            return;
        }
        if !self.print_lines || !self.filters.status.unfinished {
            return;
        }
        let state = &self.procs[&pid];
        let (nr, printed, entry_wall) = (state.nr, state.printed, state.entry_wall);
        let entry = std::mem::take(&mut self.procs.get_mut(&pid).expect("present").entry);
        let open_col = match self.owns_open_line(pid).filter(|_| printed) {
            Some(col) => {
                self.line.clear();
                col
            }
            None if printed => {
                self.cut_open_line(pid);
                let now = if self.needs_wall_time() {
                    timefmt::realtime()
                } else {
                    Duration::ZERO
                };
                self.start_line(pid, ctx.tracees, now);
                self.line.push_str("<... ");
                self.line.push_str(&syscall_name(nr));
                self.line.push_str(" resumed>");
                0
            }
            None => {
                self.cut_open_line(pid);
                self.start_line(pid, ctx.tracees, entry_wall);
                self.line.push_str(entry.text_so_far());
                0
            }
        };
        if !entry.is_complete() {
            self.line.push_str(" <unfinished ...>");
        }
        self.line.push(')');
        let col = open_col + self.line.len();
        self.finish_call(col, "?", None);
        self.emit(pid);
        self.clear_open(pid);
        if let Some(state) = self.procs.get_mut(&pid) {
            state.entry = entry;
        }
    }

    /// A `--- ... ---` or `+++ ... +++` line.
    fn event_line(&mut self, ctx: &StopContext, text: &str) {
        self.cut_open_line(ctx.pid);
        let now = if self.needs_wall_time() {
            timefmt::realtime()
        } else {
            Duration::ZERO
        };
        self.start_line(ctx.pid, ctx.tracees, now);
        self.line.push_str(text);
        self.line.push('\n');
        self.emit(ctx.pid);
    }

    fn json_event(&mut self, ctx: &StopContext, kind: &str, fields: &str) {
        self.line.clear();
        json::begin(&mut self.line, kind, ctx.pid, timefmt::realtime());
        self.line.push_str(fields);
        self.line.push_str("}\n");
        self.emit(ctx.pid);
    }

    fn process_end(&mut self, ctx: &StopContext, text: String, json_fields: String) {
        self.unfinished_call(ctx);
        if self.json {
            self.json_event(ctx, "exit", &json_fields);
        } else if self.print_lines && self.quiet < 2 && !ctx.hidden {
            self.event_line(ctx, &text);
        }
        if self.sink.is_per_process() {
            self.clear_open(ctx.pid);
        } else if self.open_line.is_some_and(|(owner, _)| owner == ctx.pid) {
            self.open_line = None;
        }
        self.procs.remove(&ctx.pid);
        self.sink.process_gone(ctx.pid);
    }

    /// Messages about the tracer itself go straight to stderr, after pending trace lines.
    fn notice(&mut self, text: String) {
        if !self.sink.is_file() {
            self.sink.flush_all();
        }
        eprintln!("saker trace: {text}");
    }
}

/// strace's `+++ killed by SIGx (core dumped) +++`.
pub(super) fn killed_text(sig: i32, core_dumped: bool) -> String {
    let name = saker_syscalls::signal_name(sig).unwrap_or("?");
    let core = if core_dumped { " (core dumped)" } else { "" };
    format!("+++ killed by {name}{core} +++")
}

impl Handler for Printer {
    fn on_stop(&mut self, ctx: &StopContext, stop: Stop<'_>) -> bool {
        match stop {
            Stop::SyscallEntry { nr, args } => return self.syscall_entry(ctx, nr, args),
            Stop::SyscallExit { ret, is_error, .. } => self.syscall_exit(ctx, ret, is_error),
            Stop::Signal { sig, info } => {
                if ctx.hidden
                    || !self.filters.signals.contains(sig)
                    || !(self.print_lines || self.json)
                {
                    return false;
                }
                // SAFETY: siginfo_t is 128 bytes of plain data.
                let bytes = unsafe {
                    std::slice::from_raw_parts(
                        (info as *const libc::siginfo_t).cast::<u8>(),
                        std::mem::size_of::<libc::siginfo_t>(),
                    )
                };
                let text = format_signal(&SigInfo::from_bytes(bytes));
                if self.json {
                    self.json_event(ctx, "signal", &json::signal_fields(sig, &text));
                } else {
                    self.event_line(ctx, &format!("--- {text} ---"));
                }
            }
            Stop::GroupStop { sig } => {
                if ctx.hidden || !self.print_lines || !self.filters.signals.contains(sig) {
                    return false;
                }
                let name = saker_syscalls::signal_name(sig).unwrap_or("?");
                self.event_line(ctx, &format!("--- stopped by {name} ---"));
            }
            Stop::Exited { code } => {
                self.process_end(
                    ctx,
                    format!("+++ exited with {code} +++"),
                    json::exited_fields(code),
                );
            }
            Stop::Killed { sig, core_dumped } => {
                self.process_end(
                    ctx,
                    killed_text(sig, core_dumped),
                    json::killed_fields(sig, core_dumped),
                );
            }
            Stop::Attached { threads } => {
                if self.quiet == 0 {
                    let text = if threads > 1 {
                        format!("Process {} attached with {threads} threads", ctx.pid)
                    } else {
                        format!("Process {} attached", ctx.pid)
                    };
                    self.notice(text);
                }
            }
            Stop::Detached => {
                if self.owns_open_line(ctx.pid).is_some() {
                    self.cut_open_line(ctx.pid);
                }
                self.procs.remove(&ctx.pid);
                self.sink.process_gone(ctx.pid);
                if self.quiet == 0 {
                    self.notice(format!("Process {} detached", ctx.pid));
                }
            }
            Stop::Exec { .. } => {}
        }
        false
    }

    fn before_wait(&mut self) {
        self.sink.before_wait();
    }
}
