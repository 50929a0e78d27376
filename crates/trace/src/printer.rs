//! Turns tracer stops into strace's lines (or JSON records, or summary counts), and applies
//! `-e inject=`/`-e fault=` tampering at the stops where strace applies it.
//!
//! The line discipline is strace's: a call's entry part (`read(3, `) is written at the entry
//! stop; if its exit comes next the line is completed, otherwise the open line is cut with
//! ` <unfinished ...>` and the exit is printed later as `<... read resumed>`. Results are
//! aligned at the `-a` column (40 by default).

use rustc_hash::FxHashMap;
use std::time::Duration;

use saker_event::timefmt;
use saker_ptrace::{Handler, ProcessFds, ProcessMemory, Resume, Stop, StopContext};
use saker_syscalls::{
    Decoded, Entry, SigInfo, decode_entry_into, decode_exit_into, format_signal_with,
};

use crate::decode::{TraceeFds, TraceeMemory};
use crate::inject::{InjectState, Injected, Tampering};
use crate::json;
use crate::leader::{Leader, LineStart};
use crate::options::Options;
use crate::sink::Sink;
use crate::stack::StackTraces;
use crate::summary::{Summary, syscall_name};

const EXECVE: u64 = 59;
const EXECVEAT: u64 = 322;
const RESTART_SYSCALL: u64 = 219;
const EXIT: u64 = 60;
const EXIT_GROUP: u64 = 231;
const PRCTL: u64 = 157;

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
    /// The exit must be printed as `<... NAME resumed>` even if the line looks open (after
    /// `+++ superseded by execve +++`).
    reprint: bool,
    /// Column of this process's open line (with -ff, where each process has its own).
    open_col: usize,
    line_open: bool,
    entry_wall: Duration,
    entry_mono: Duration,
    entry_cpu: Duration,
    entry_ip: Option<u64>,
    /// Tampering decided at this call's entry.
    tampering: Option<Tampering>,
    /// Some of its `poke_enter=`/`poke_exit=` data was written.
    poked: bool,
    /// This process's place in the `when=` sequences.
    inject: InjectState,
    /// `-Y`: the command name, read when first needed.
    comm: Option<String>,
    /// A call that may rename the process (prctl PR_SET_NAME, execve) is under way.
    comm_change: bool,
    /// `-k`: a stack captured at entry (calls that never return).
    entry_stack: Option<String>,
}

pub struct Printer {
    options: Options,
    sink: Sink,
    leader: Leader,
    /// Print trace lines (not with -c alone, not with --json).
    print_lines: bool,
    json: bool,
    summary: Option<Summary>,
    /// Lines wait for the result when -e status= filters on it.
    defer_lines: bool,
    check_paths: bool,
    dumps: bool,
    /// Looked up at every stop, by pid: Fx-hashed as the tracer's own table.
    procs: FxHashMap<i32, ProcState>,
    /// The process whose line is open in the shared stream, and that line's column.
    open_line: Option<(i32, usize)>,
    line: String,
    decoded: Decoded,
    /// How to restart the tracee after the current stop (signal and delay injection).
    next_resume: Resume,
    stacks: Option<StackTraces>,
    /// A call's duration is printed or summed (`-T`, `-r`, JSON, `-c -w`): only then are the
    /// clocks read at entry and exit (two reads per call were 2% of a pinned trace here).
    times_calls: bool,
}

impl Printer {
    pub fn new(options: &Options, sink: Sink) -> Printer {
        let summary_only = options.summary.as_ref().is_some_and(|s| s.only);
        let leader = Leader::new(options);
        Printer {
            times_calls: options.syscall_times.is_some()
                || options.json
                || options.summary.as_ref().is_some_and(|s| s.wall_clock)
                || leader.needs_mono_time(),
            leader,
            defer_lines: !options.filters.status.is_all(),
            check_paths: !options.filters.paths.is_empty(),
            dumps: options.dumps(),
            sink,
            print_lines: !options.json && !summary_only,
            json: options.json,
            summary: options.summary.as_ref().map(|s| Summary::new(s.overhead)),
            procs: FxHashMap::default(),
            open_line: None,
            line: String::with_capacity(256),
            decoded: Decoded::default(),
            next_resume: Resume::default(),
            stacks: options.stack_traces.then(StackTraces::default),
            options: options.clone(),
        }
    }

    /// Ends the trace: the summary (into the trace output, like strace), then flush.
    pub fn finish(&mut self) -> Result<(), String> {
        if let (Some(summary), Some(how)) = (&self.summary, &self.options.summary) {
            let table = summary.render(how.sort_by, &how.columns);
            self.cut_open_line(0);
            self.sink.buffer(0).extend_from_slice(table.as_bytes());
        }
        self.sink.finish()
    }

    /// Cuts the open line that `pid`'s next line would interleave with.
    fn cut_open_line(&mut self, pid: i32) {
        self.end_open_line(pid, " <unfinished ...>\n");
    }

    fn end_open_line(&mut self, pid: i32, ending: &str) {
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
            self.sink.buffer(owner).extend_from_slice(ending.as_bytes());
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

    fn now_wall(&self) -> Duration {
        if self.leader.needs_wall_time() || self.json {
            timefmt::realtime()
        } else {
            Duration::ZERO
        }
    }

    /// The clock a call's duration is measured with; zero when nothing shows durations.
    fn call_clock(&self) -> Duration {
        if self.times_calls {
            timefmt::monotonic()
        } else {
            Duration::ZERO
        }
    }

    fn now_mono(&self) -> Duration {
        if self.leader.needs_mono_time() {
            timefmt::monotonic()
        } else {
            Duration::ZERO
        }
    }

    /// `-Y`: the process's command name, read once and after it may have changed.
    fn comm(&mut self, pid: i32) -> Option<String> {
        if !self.leader.wants_comm() {
            return None;
        }
        let state = self.procs.entry(pid).or_default();
        if state.comm.is_none() {
            state.comm = std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .ok()
                .map(|c| c.trim_end_matches('\n').to_string());
        }
        state.comm.clone()
    }

    /// Starts a line in `self.line` (strace's printleader).
    fn start_line(
        &mut self,
        pid: i32,
        tracees: usize,
        wall: Duration,
        mono: Duration,
        nr: Option<u64>,
        ip: Option<u64>,
    ) {
        self.line.clear();
        let comm = self.comm(pid);
        let start = LineStart {
            pid,
            several: tracees > 1,
            comm: comm.as_deref(),
            wall,
            mono,
            nr,
            ip,
        };
        self.leader.write(&mut self.line, &start);
    }

    /// A line about a process that is not at a syscall stop.
    fn start_event_line(&mut self, ctx: &StopContext) {
        let (wall, mono) = (self.now_wall(), self.now_mono());
        let nr = self.procs.get(&ctx.pid).and_then(|s| s.last_traced);
        let ip = if self.options.instruction_pointer {
            saker_ptrace::registers(ctx.pid).ok().map(|regs| regs.rip)
        } else {
            None
        };
        self.start_line(ctx.pid, ctx.tracees, wall, mono, nr, ip);
    }

    fn emit(&mut self, pid: i32) {
        let Printer { sink, line, .. } = self;
        sink.buffer(pid).extend_from_slice(line.as_bytes());
    }

    /// `) ` then padding to the `-a` column, then `= ` and the result.
    fn finish_call(
        &mut self,
        col_before_paren_space: usize,
        result: &str,
        spent: Option<Duration>,
    ) {
        let spent = spent.zip(self.options.syscall_times);
        crate::leader::finish_call(
            &mut self.line,
            col_before_paren_space,
            self.options.column,
            result,
            spent,
        );
    }

    fn syscall_entry(&mut self, ctx: &StopContext, nr: u64, args: [u64; 6]) -> bool {
        if ctx.hidden && nr != EXECVE && nr != EXECVEAT {
            return false;
        }
        // strace reloads a -Y name after any call that may change it, traced or not.
        let comm_change = self.leader.wants_comm()
            && (nr == EXECVE
                || nr == EXECVEAT
                || (nr == PRCTL && args[0] == libc::PR_SET_NAME as u64));
        if comm_change {
            self.procs.entry(ctx.pid).or_default().comm_change = true;
        }
        if !self.options.filters.trace.contains(nr) {
            return comm_change;
        }
        if self.check_paths && !self.options.filters.touches_paths(ctx.pid, nr, &args) {
            return comm_change;
        }
        let pid = ctx.pid;
        let entry_mono = self.call_clock();
        let entry_wall = self.now_wall();
        let state = self.procs.entry(pid).or_default();
        let previous = state.last_traced.replace(nr);
        state.nr = nr;
        state.pending = true;
        state.printed = false;
        state.entry_mono = entry_mono;
        state.entry_wall = entry_wall;
        state.entry_cpu = ctx.cpu_time.unwrap_or_default();
        state.entry_ip = ctx.instruction_pointer;
        state.entry_stack = None;
        state.poked = false;
        state.tampering = if ctx.hidden {
            None
        } else {
            self.options.inject.decide(&mut state.inject, nr)
        };
        if let Some(tampering) = state.tampering.clone() {
            let poked = self.tamper_at_entry(pid, &args, &tampering);
            if let Some(state) = self.procs.get_mut(&pid) {
                state.poked = poked;
            }
        }
        if !(self.print_lines || self.json) {
            return true;
        }
        let raw = self.options.raw.contains(nr);
        let style = self.options.style_for(nr);
        let state = self.procs.get_mut(&pid).expect("inserted above");
        let mut memory = TraceeMemory {
            memory: ProcessMemory::new(pid),
            stack_pointer: ctx.stack_pointer,
        };
        let mut fds = TraceeFds(ProcessFds::new(pid));
        decode_entry_into(&mut state.entry, nr, args, &mut memory, &mut fds, &style);
        if let Some(Tampering {
            result: Some(Injected::Error(_)),
            ..
        }) = &state.tampering
        {
            state.entry.set_injected_error();
        }
        if nr == RESTART_SYSCALL
            && let Some(previous) = previous.or(ctx.blocked_at_attach)
        {
            state.entry.set_interrupted_syscall(previous);
        }
        if self.json || self.defer_lines || ctx.hidden {
            return true;
        }
        // strace's STACKTRACE_CAPTURE_ON_ENTER: at the exit, execve's stack is the new
        // image's, and exit/exit_group have none.
        let stack_at_entry = matches!(nr, EXIT | EXIT_GROUP | EXECVE | EXECVEAT);
        if stack_at_entry && let Some(stacks) = &mut self.stacks {
            state.entry_stack = Some(stacks.capture(pid));
        }
        self.cut_open_line(pid);
        self.start_line(
            pid,
            ctx.tracees,
            entry_wall,
            self.now_mono(),
            Some(nr),
            ctx.instruction_pointer,
        );
        let state = self.procs.get_mut(&pid).expect("inserted above");
        if raw {
            self.line.push_str(&raw_arguments(nr, &args));
        } else {
            self.line.push_str(state.entry.text_so_far());
        }
        state.printed = true;
        let replaced = state.tampering.as_ref().is_some_and(|t| t.set_nr.is_some());
        if matches!(nr, EXIT | EXIT_GROUP) && !replaced && (raw || state.entry.is_complete()) {
            // These never return (unless `-e fault=` replaced them). strace prints `exit_group(0) = ?` at the thread's
            // PTRACE_EVENT_EXIT stop, which comes before any other thread's end: the line is
            // finished now so that no sibling's output cuts it.
            state.pending = false;
            let stack = state.entry_stack.take();
            if !raw {
                self.line.push(')');
            }
            let col = self.line.len();
            self.finish_call(col, "?", None);
            if let Some(stack) = stack {
                self.line.push_str(&stack);
            }
            self.emit(pid);
            return false;
        }
        let col = self.line.len();
        self.emit(pid);
        self.set_open(pid, col);
        true
    }

    /// `-e inject=`: at the entry, skip or replace the call and poke its arguments; the
    /// signal and the delay are applied by the tracer when it restarts the tracee.
    /// Returns whether anything was poked.
    fn tamper_at_entry(&mut self, pid: i32, args: &[u64; 6], tampering: &Tampering) -> bool {
        if let Some(nr) = tampering.set_nr
            && let Err(err) = saker_ptrace::set_syscall_number(pid, nr)
        {
            self.notice(format!("Failed to tamper with process {pid}: {err}"));
        }
        let poked = self.poke(pid, args, &tampering.poke_enter);
        self.next_resume = Resume {
            signal: tampering.signal.unwrap_or(0),
            delay: tampering.delay_enter,
        };
        poked
    }

    /// `-e inject=`: at the exit, the injected result replaces the real one. Returns the
    /// result the call now has.
    fn tamper_at_exit(
        &mut self,
        pid: i32,
        args: &[u64; 6],
        tampering: &Tampering,
        ret: i64,
        is_error: bool,
    ) -> (i64, bool) {
        if self.poke(pid, args, &tampering.poke_exit)
            && let Some(state) = self.procs.get_mut(&pid)
        {
            state.poked = true;
        }
        self.next_resume.delay = tampering.delay_exit;
        let Some(result) = tampering.result else {
            return (ret, is_error);
        };
        // A skipped call fails with ENOSYS; a replacement call must succeed.
        let replaced = tampering.set_nr.is_some_and(|nr| nr >= 0);
        if is_error == replaced {
            self.notice(format!(
                "Failed to tamper with process {pid}: unexpectedly got {}error (return value {:#x}, error {})",
                if replaced { "" } else { "no " },
                ret,
                if is_error { -ret } else { 0 }
            ));
            return (ret, is_error);
        }
        let (value, failed) = match result {
            Injected::Error(errno) => (-i64::from(errno), true),
            Injected::Value(value) => (value as i64, false),
        };
        match saker_ptrace::set_return_value(pid, value as u64) {
            Ok(()) => (value, failed),
            Err(err) => {
                self.notice(format!("Failed to tamper with process {pid}: {err}"));
                (ret, is_error)
            }
        }
    }

    /// `poke_enter=`/`poke_exit=`: writes each poke where its argument points (strace's
    /// poke_tcb, with its messages). Returns whether any was written.
    fn poke(&mut self, pid: i32, args: &[u64; 6], pokes: &[crate::inject::Poke]) -> bool {
        let nr = self.procs.get(&pid).map(|s| s.nr).unwrap_or_default();
        let arg_count = saker_syscalls::arg_names(nr).len();
        let mut memory = ProcessMemory::new(pid);
        let mut poked = false;
        for poke in pokes {
            if poke.arg > arg_count {
                self.notice(format!(
                    "Failed to tamper with process {pid}: requested to tamper with argument #{}, but system call '{}' has only {arg_count} arguments",
                    poke.arg,
                    syscall_name(nr)
                ));
            } else if memory.write(args[poke.arg - 1], &poke.data) == 0 {
                self.notice(format!(
                    "Failed to tamper with process {pid}: couldn't poke"
                ));
            } else {
                poked = true;
            }
        }
        poked
    }

    fn syscall_exit(&mut self, ctx: &StopContext, ret: i64, is_error: bool) {
        let pid = ctx.pid;
        let Some(state) = self.procs.get_mut(&pid) else {
            return;
        };
        if std::mem::take(&mut state.comm_change) && !is_error {
            // Read now, as strace does: the next line may be the process's last.
            state.comm = None;
            self.comm(pid);
        }
        let exit_mono = self.call_clock();
        let Some(state) = self.procs.get_mut(&pid) else {
            return;
        };
        if !state.pending {
            return;
        }
        state.pending = false;
        let spent = exit_mono.saturating_sub(state.entry_mono);
        let tampering = state.tampering.take();
        let (nr, args) = (state.nr, state.entry.args());
        let (ret, is_error) = match &tampering {
            Some(tampering) => self.tamper_at_exit(pid, &args, tampering, ret, is_error),
            None => (ret, is_error),
        };
        let state = self.procs.get_mut(&pid).expect("present");
        if let Some(summary) = &mut self.summary {
            let wall_clock = self.options.summary.as_ref().is_some_and(|s| s.wall_clock);
            let time = if wall_clock {
                spent
            } else {
                ctx.cpu_time
                    .unwrap_or_default()
                    .saturating_sub(state.entry_cpu)
            };
            summary.add(nr, time, is_error && (-4095..0).contains(&ret));
        }
        if let Some(stacks) = &mut self.stacks {
            stacks.after_call(pid, nr, is_error);
        }
        if !self.print_lines && !self.json {
            return;
        }
        let style = self.options.style_for(nr);
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
            &style,
        );
        let failed = self.decoded.errno.is_some();
        let status = self.options.filters.status;
        if (failed && !status.failed) || (!failed && !status.successful) {
            return;
        }
        let (printed, reprint, entry_wall, entry_mono, entry_ip) = (
            state.printed,
            state.reprint,
            state.entry_wall,
            state.entry_mono,
            state.entry_ip,
        );
        state.reprint = false;
        if self.json {
            self.json_syscall(pid, nr, Some(ret), Some(spent));
            return;
        }
        let raw = self.options.raw.contains(nr);
        let mut result = if raw {
            raw_result(ret, is_error)
        } else {
            std::mem::take(&mut self.decoded.result)
        };
        if let Some(tampering) = &tampering {
            let poked = self.procs.get(&pid).is_some_and(|s| s.poked);
            result.push_str(&tampering.note(poked));
        }
        let decoded = std::mem::take(&mut self.decoded);
        let resumed_args = if raw { "" } else { decoded.resumed_args() };
        let col = match self.owns_open_line(pid).filter(|_| printed && !reprint) {
            Some(open_col) => {
                self.line.clear();
                self.line.push_str(resumed_args);
                open_col + self.line.len()
            }
            None if printed => {
                self.cut_open_line(pid);
                let (wall, mono) = (self.now_wall(), self.now_mono());
                self.start_line(pid, ctx.tracees, wall, mono, Some(nr), entry_ip);
                self.line.push_str("<... ");
                self.line.push_str(&syscall_name(nr));
                self.line.push_str(" resumed>");
                self.line.push_str(resumed_args);
                self.line.len()
            }
            None => {
                self.cut_open_line(pid);
                self.start_line(pid, ctx.tracees, entry_wall, entry_mono, Some(nr), entry_ip);
                if raw {
                    self.line.push_str(&raw_arguments(nr, &args));
                } else {
                    self.line.push_str(&decoded.call);
                }
                self.line.len()
            }
        };
        if raw && !self.line.ends_with(')') {
            self.line.push(')');
        }
        let col = if raw { col + 1 } else { col };
        self.finish_call(col, &result, Some(spent));
        self.decoded = decoded;
        if self.dumps {
            let call = crate::dump::Finished {
                pid,
                nr,
                args: &args,
                ret,
                failed: is_error,
            };
            crate::dump::dump_io(
                &mut self.line,
                &mut memory,
                &call,
                &self.options.dump_reads,
                &self.options.dump_writes,
                false,
            );
        }
        if let Some(stacks) = &mut self.stacks {
            let stack = match self.procs.get_mut(&pid).and_then(|s| s.entry_stack.take()) {
                Some(stack) => stack,
                None => stacks.capture(pid),
            };
            self.line.push_str(&stack);
        }
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
    fn unfinished_call(&mut self, pid: i32, tracees: usize, hidden: bool) {
        let Some(state) = self.procs.get_mut(&pid) else {
            return;
        };
        if !state.pending || hidden {
            return;
        }
        state.pending = false;
        if self.json {
            self.json_syscall(pid, self.procs[&pid].nr, None, None);
            return;
        }
        if !self.print_lines || !self.options.filters.status.unfinished {
            return;
        }
        let state = &self.procs[&pid];
        let (nr, printed, entry_wall, entry_mono) =
            (state.nr, state.printed, state.entry_wall, state.entry_mono);
        let raw = self.options.raw.contains(nr);
        let entry = std::mem::take(&mut self.procs.get_mut(&pid).expect("present").entry);
        let open_col = match self.owns_open_line(pid).filter(|_| printed) {
            Some(col) => {
                self.line.clear();
                col
            }
            None if printed => {
                self.cut_open_line(pid);
                let (wall, mono) = (self.now_wall(), self.now_mono());
                self.start_line(pid, tracees, wall, mono, Some(nr), None);
                self.line.push_str("<... ");
                self.line.push_str(&syscall_name(nr));
                self.line.push_str(" resumed>");
                0
            }
            None => {
                self.cut_open_line(pid);
                self.start_line(pid, tracees, entry_wall, entry_mono, Some(nr), None);
                if raw {
                    self.line.push_str(&raw_arguments(nr, &entry.args()));
                } else {
                    self.line.push_str(entry.text_so_far());
                }
                0
            }
        };
        if !raw && !entry.is_complete() {
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

    /// A call in progress when its process was let go ends with ` <detached ...>` (strace's
    /// droptcb), if `-e status=` shows detached calls: on its open line, or, when the line
    /// waited for the result (`-e status=`), on the line as it stands.
    fn detached_call(&mut self, ctx: &StopContext) {
        let shown = self.options.filters.status.detached && self.print_lines;
        if self.owns_open_line(ctx.pid).is_some() {
            if shown {
                self.end_open_line(ctx.pid, " <detached ...>\n");
            } else {
                self.clear_open(ctx.pid);
            }
            return;
        }
        let Some(state) = self.procs.get(&ctx.pid) else {
            return;
        };
        if !shown || !state.pending || state.printed {
            return;
        }
        let (nr, wall, mono, ip) = (state.nr, state.entry_wall, state.entry_mono, state.entry_ip);
        let entry = std::mem::take(&mut self.procs.get_mut(&ctx.pid).expect("present").entry);
        self.cut_open_line(ctx.pid);
        self.start_line(ctx.pid, ctx.tracees, wall, mono, Some(nr), ip);
        self.line.push_str(entry.text_so_far());
        self.line.push_str(" <detached ...>\n");
        self.emit(ctx.pid);
    }

    /// A `--- ... ---` or `+++ ... +++` line.
    fn event_line(&mut self, ctx: &StopContext, text: &str) {
        self.cut_open_line(ctx.pid);
        self.start_event_line(ctx);
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
        self.unfinished_call(ctx.pid, ctx.tracees, ctx.hidden);
        if self.json {
            self.json_event(ctx, "exit", &json_fields);
        } else if self.print_lines && !self.options.quiet.exit {
            // Even before the command's exec (strace's print_exited ignores TCB_HIDE_LOG):
            // `exec: Permission denied` is followed by `+++ exited with 1 +++`.
            self.cut_open_line(ctx.pid);
            self.line.clear();
            let (wall, mono) = (self.now_wall(), self.now_mono());
            let nr = self.procs.get(&ctx.pid).and_then(|s| s.last_traced);
            self.start_line(ctx.pid, ctx.tracees, wall, mono, nr, None);
            self.line.push_str(&text);
            self.line.push('\n');
            self.emit(ctx.pid);
        }
        self.forget(ctx.pid);
    }

    fn forget(&mut self, pid: i32) {
        self.clear_open(pid);
        self.procs.remove(&pid);
        self.sink.process_gone(pid);
        if let Some(stacks) = &mut self.stacks {
            stacks.process_gone(pid);
        }
    }

    /// `execve` by a thread other than the leader: the thread takes over the leader's pid
    /// (strace's maybe_switch_tcbs).
    fn thread_exec(&mut self, ctx: &StopContext, former: i32) {
        let pid = ctx.pid;
        // The leader vanished without an exit notice; its call never returns. (strace prints
        // this at the leader's exit event, while both are still counted.)
        self.unfinished_call(pid, ctx.tracees + 1, ctx.hidden);
        if self.print_lines && self.owns_open_line(former).is_some() {
            self.end_open_line(former, &format!(" <pid changed to {pid} ...>\n"));
        }
        let mut state = self.procs.remove(&former).unwrap_or_default();
        if let Some(leader) = self.procs.remove(&pid) {
            state.comm = leader.comm;
        }
        self.sink.process_gone(former);
        self.sink.process_gone(pid);
        state.reprint = state.pending;
        state.line_open = false;
        self.procs.insert(pid, state);
        if self.print_lines && !self.options.quiet.thread_execve && !ctx.hidden {
            self.event_line(
                ctx,
                &format!("+++ superseded by execve in pid {former} +++"),
            );
        }
    }

    /// Messages about the tracer itself go straight to stderr, after pending trace lines.
    fn notice(&mut self, text: String) {
        if !self.sink.is_file() {
            self.sink.flush_all();
        }
        eprintln!("saker trace: {text}");
    }
}

/// strace's printargs() for `-e raw=`: every argument in hex, without the closing paren.
fn raw_arguments(nr: u64, args: &[u64; 6]) -> String {
    let count = saker_syscalls::arg_names(nr).len().min(6);
    let hex: Vec<String> = args[..count].iter().map(|a| hex(*a)).collect();
    format!("{}({}", syscall_name(nr), hex.join(", "))
}

/// `%#llx`: `0` for zero, `0x...` otherwise.
fn hex(value: u64) -> String {
    if value == 0 {
        "0".into()
    } else {
        format!("{value:#x}")
    }
}

/// The result of a `-e raw=` call: hex, or strace's print_err_ret().
fn raw_result(ret: i64, is_error: bool) -> String {
    if is_error && (-4095..0).contains(&ret) {
        let errno = (-ret) as i32;
        match saker_syscalls::errno_name(errno) {
            Some(name) => format!("-1 {name} ({})", saker_syscalls::errno_message(errno)),
            None => format!("-1 (errno {errno})"),
        }
    } else {
        hex(ret as u64)
    }
}

/// strace's `+++ killed by SIGx (core dumped) +++`.
pub(crate) fn killed_text(sig: i32, core_dumped: bool) -> String {
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
                    || !self.options.filters.signals.contains(sig)
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
                // The sender's pid is translated and named as in syscall arguments
                // (--pidns-translation, --decode-pids=comm).
                let style = self.options.style_for(0);
                let mut fds = TraceeFds(ProcessFds::new(ctx.pid));
                let text = format_signal_with(&SigInfo::from_bytes(bytes), &mut fds, &style);
                if self.json {
                    self.json_event(ctx, "signal", &json::signal_fields(sig, &text));
                } else {
                    self.event_line(ctx, &format!("--- {text} ---"));
                }
            }
            Stop::GroupStop { sig } => {
                if ctx.hidden || !self.print_lines || !self.options.filters.signals.contains(sig) {
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
                // Named now, as strace's alloctcb does: it may be gone by its next line.
                self.comm(ctx.pid);
                if !self.options.quiet.attach {
                    let text = if threads > 1 {
                        format!("Process {} attached with {threads} threads", ctx.pid)
                    } else {
                        format!("Process {} attached", ctx.pid)
                    };
                    self.notice(text);
                }
            }
            Stop::Detached => {
                if !self.options.quiet.attach {
                    self.notice(format!("Process {} detached", ctx.pid));
                }
                self.detached_call(ctx);
                self.forget(ctx.pid);
            }
            Stop::UnknownExit => {
                if !self.options.quiet.exit {
                    self.notice(format!("Exit of unknown pid {} ignored", ctx.pid));
                }
            }
            Stop::UnknownDetached => {
                if !self.options.quiet.attach {
                    self.notice(format!("Detached unknown pid {}", ctx.pid));
                }
            }
            Stop::Exec { former_pid } => {
                if former_pid != ctx.pid {
                    self.thread_exec(ctx, former_pid);
                }
                if let Some(stacks) = &mut self.stacks {
                    stacks.process_gone(ctx.pid);
                }
            }
        }
        false
    }

    fn before_wait(&mut self) {
        self.sink.before_wait();
    }

    fn resume_action(&mut self, _ctx: &StopContext) -> Resume {
        std::mem::take(&mut self.next_resume)
    }
}
