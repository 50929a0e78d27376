//! `saker trace --ebpf` without `-c`: strace's lines from `saker-bpf`'s syscall capture. The
//! traced program is never stopped; each call is reported once, when it returns, with its raw
//! arguments and the strings the kernel side copied (paths, the first bytes of read/write
//! buffers). The `saker-syscalls` decoders format them through [`CopiedMemory`]; what was not
//! copied prints as an address, the way strace prints memory it cannot read.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Duration;

use saker_bpf::trace::{TraceConfig, Tracer};
use saker_event::{EventBody, ExecInfo, SyscallDetail, SyscallEvent, SyscallExit};
use saker_ptrace::ProcessFds;
use saker_syscalls::{
    Decoded, Entry, FdInfo, Memory, NoFdInfo, SigInfo, Style, decode_entry_into, decode_exit_into,
    format_signal,
};

use super::ebpf::{Ended, catch_fatal_signals, interrupted};
use super::filter::Filters;
use super::json;
use super::printer::killed_text;
use super::sink::Sink;
use super::summary::{SortBy, Summary, syscall_name};
use super::timefmt;

const ALIGN_COLUMN: usize = 40;

/// How the lines look (the subset of strace's options that applies to exit-time records).
pub struct LineOptions {
    pub style: Style,
    pub filters: Filters,
    pub follow_forks: bool,
    pub timestamps: u8,
    pub relative: bool,
    pub syscall_times: bool,
    /// `N ` prefixes (output to a file with -f), otherwise `[pid N] ` with several processes.
    pub file_pid_prefix: bool,
    /// `-ff`: one output per process, no pid prefixes.
    pub per_process: bool,
    pub quiet: u8,
    /// `--json`: one object per call, signal and exit (docs/trace-json.md).
    pub json: bool,
    /// `-C` (lines and the summary) or `-c` (the summary only, counted here because the
    /// kernel-side counter cannot apply `-P`): how to sort the table.
    pub summary: Option<SortBy>,
    /// `-c`: no lines.
    pub summary_only: bool,
}

/// What to trace.
pub enum Traced {
    Spawn(Vec<std::ffi::OsString>),
    Attach(Vec<i32>),
}

/// Traces until the command ends (or the attached processes are gone, or the tracer gets a
/// fatal signal), writing one line per returned syscall to `sink`.
pub fn trace(target: Traced, options: LineOptions, sink: &mut Sink) -> Result<Ended, String> {
    catch_fatal_signals();
    let bpf_error = |err: saker_bpf::BpfError| format!("--ebpf: {err}");
    let config = TraceConfig {
        syscalls: (!options.filters.trace.is_all())
            .then(|| options.filters.trace.iter().map(|nr| nr as i64).collect()),
        // --json records and the summary carry each call's duration.
        timed: options.syscall_times || options.json || options.summary.is_some(),
        follow_forks: options.follow_forks,
        // Enough bytes for what `-s` shows (strace's default is 32).
        snaplen: options.style.string_limit.clamp(32, 4096) as u32,
        ..TraceConfig::default()
    };
    let mut lines = Lines::new(options);
    let (mut tracer, mut command, attached) = match target {
        Traced::Spawn(argv) => {
            let (tracer, command) = Tracer::spawn(&argv, &config).map_err(bpf_error)?;
            lines.live.insert(command.pid());
            (tracer, Some(command), Vec::new())
        }
        Traced::Attach(pids) => {
            let as_u32: Vec<u32> = pids.iter().map(|p| *p as u32).collect();
            let tracer = Tracer::attach(&as_u32, &config).map_err(bpf_error)?;
            lines.live.extend(as_u32.iter().copied());
            if lines.options.quiet == 0 {
                for pid in &pids {
                    eprintln!("saker trace: Process {pid} attached");
                }
            }
            (tracer, None, pids)
        }
    };
    let mut batch: Vec<SyscallEvent> = Vec::with_capacity(1024);
    let mut ended: Option<Ended> = None;
    // Once the command is reaped (or the attached processes are gone), records may still be
    // on their way: read until the last process's exit record came, for at most this long.
    let mut drain_until: Option<std::time::Instant> = None;
    loop {
        let sig = interrupted();
        if sig != 0 {
            ended = Some(Ended::Interrupted(sig));
            break;
        }
        if ended.is_none() {
            let status = match &mut command {
                Some(command) => command.try_wait().map_err(bpf_error)?,
                None => None,
            };
            if let Some(status) = status {
                ended = Some(if libc::WIFEXITED(status) {
                    Ended::Exited(libc::WEXITSTATUS(status))
                } else if libc::WIFSIGNALED(status) {
                    Ended::Killed(libc::WTERMSIG(status))
                } else {
                    Ended::Done
                });
            } else if command.is_none()
                // SAFETY: signal 0 only checks that the process exists.
                && attached.iter().all(|pid| unsafe { libc::kill(*pid, 0) } != 0)
            {
                ended = Some(Ended::Done);
            }
            if ended.is_some() {
                drain_until = Some(std::time::Instant::now() + Duration::from_millis(500));
            }
        }
        let timeout = if ended.is_some() {
            Duration::from_millis(10)
        } else {
            Duration::from_millis(50)
        };
        let got = tracer
            .poll(Some(timeout), 4096, |event| batch.push(event))
            .map_err(bpf_error)?;
        // Records come in kernel order per CPU; merge the CPUs by time.
        batch.sort_by_key(|event| event.header.ts_ns);
        for event in batch.drain(..) {
            lines.event(&event, sink);
        }
        sink.before_wait();
        if let Some(deadline) = drain_until
            && got == 0
            && (lines.live.is_empty() || std::time::Instant::now() >= deadline)
        {
            break;
        }
    }
    let ended = ended.unwrap_or(Ended::Done);
    if matches!(ended, Ended::Interrupted(_)) && lines.options.quiet == 0 {
        for pid in &attached {
            eprintln!("saker trace: Process {pid} detached");
        }
    }
    let drops: u64 = tracer
        .capture()
        .drops()
        .map(|per_cpu| per_cpu.iter().sum())
        .unwrap_or(0);
    if let (Some(summary), Some(sort)) = (&lines.summary, lines.options.summary) {
        sink.buffer(0)
            .extend_from_slice(summary.render(sort).as_bytes());
    }
    sink.finish()?;
    if drops > 0 {
        eprintln!("saker trace: --ebpf: {drops} events lost (the ring buffer was full)");
    }
    Ok(ended)
}

/// Turns capture events into lines.
struct Lines {
    options: LineOptions,
    /// Threads alive (for the `[pid N]` prefix, shown once more than one is traced).
    live: BTreeSet<u32>,
    /// Forked threads whose parent's fork line is not printed yet.
    unannounced: BTreeSet<u32>,
    entry: Entry,
    decoded: Decoded,
    memory: CopiedMemory,
    fds: LiveFds,
    /// `-y`, `-yy` or `-P`: fd names are looked up and remembered.
    track_fds: bool,
    summary: Option<Summary>,
    line: String,
    last_line_at: Option<Duration>,
}

impl Lines {
    fn new(options: LineOptions) -> Lines {
        Lines {
            track_fds: options.style.fd_decode > 0 || !options.filters.paths.is_empty(),
            summary: options.summary.map(|_| Summary::new()),
            options,
            live: BTreeSet::new(),
            unannounced: BTreeSet::new(),
            entry: Entry::default(),
            decoded: Decoded::default(),
            memory: CopiedMemory::default(),
            fds: LiveFds::default(),
            line: String::with_capacity(256),
            last_line_at: None,
        }
    }

    fn event(&mut self, event: &SyscallEvent, sink: &mut Sink) {
        let tid = event.header.tid;
        if self.unannounced.remove(&tid) {
            self.live.insert(tid);
        }
        let at = Duration::from_nanos(event.header.ts_ns);
        match &event.body {
            EventBody::Syscall(exit) => self.syscall(tid, event.header.pid, at, exit, sink),
            EventBody::Exec(info) => self.exec(tid, at, info, sink),
            // strace prints the parent's clone line before it knows the child, so the child
            // counts (for `[pid N]` prefixes) from that line or its own first event.
            EventBody::Fork { child_tid, .. } => {
                if self.options.follow_forks {
                    self.unannounced.insert(*child_tid);
                }
            }
            EventBody::Signal { signo, siginfo } => {
                if !self.options.summary_only && self.options.filters.signals.contains(*signo) {
                    let mut info = SigInfo::from_bytes(&siginfo.0);
                    // An unreadable siginfo still names the signal.
                    info.signo = *signo;
                    let text = format_signal(&info);
                    if self.options.json {
                        self.json_event(tid, at, "signal", &json::signal_fields(*signo, &text));
                    } else {
                        self.start_line(tid, at);
                        self.line.push_str("--- ");
                        self.line.push_str(&text);
                        self.line.push_str(" ---\n");
                    }
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                }
            }
            EventBody::Exit {
                status,
                process_exited,
            } => {
                let code = (status >> 8) & 0xff;
                let signal = status & 0x7f;
                let core_dumped = status & 0x80 != 0;
                let exit_group = saker_syscalls::number("exit_group").unwrap_or(231);
                // exit_group names no path, so `-P` leaves it out, as strace does.
                let filters = &self.options.filters;
                let shown = !self.options.summary_only && filters.paths.is_empty();
                if shown && *process_exited && signal == 0 && filters.trace.contains(exit_group) {
                    // exit_group never returns, so the capture has no record of it.
                    if self.options.json {
                        self.line.clear();
                        json::syscall(
                            &mut self.line,
                            tid as i32,
                            at,
                            "exit_group",
                            exit_group,
                            [code.to_string().as_str()].into_iter(),
                            &[code as u64, 0, 0, 0, 0, 0],
                            None,
                            None,
                            "?",
                            None,
                        );
                    } else {
                        self.start_line(tid, at);
                        self.line.push_str("exit_group(");
                        self.line.push_str(&code.to_string());
                        self.line.push(')');
                        self.finish_call("?", None);
                    }
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                }
                if self.options.json {
                    let fields = if signal == 0 {
                        json::exited_fields(code)
                    } else {
                        json::killed_fields(signal, core_dumped)
                    };
                    self.json_event(tid, at, "exit", &fields);
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                } else if self.options.quiet < 2 && !self.options.summary_only {
                    let text = if signal == 0 {
                        format!("+++ exited with {code} +++")
                    } else {
                        killed_text(signal, core_dumped)
                    };
                    self.start_line(tid, at);
                    self.line.push_str(&text);
                    self.line.push('\n');
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                }
                self.live.remove(&tid);
                if *process_exited {
                    self.fds.process_gone(event.header.pid);
                }
                sink.process_gone(tid as i32);
            }
        }
    }

    /// A `--json` syscall record from what the decoders just produced.
    fn json_call(
        &mut self,
        tid: u32,
        at: Duration,
        nr: u64,
        args: [u64; 6],
        ret: i64,
        spent: Option<Duration>,
    ) {
        self.line.clear();
        let errno = self
            .decoded
            .errno
            .map(|e| (e, saker_syscalls::errno_name(e).unwrap_or("E???")));
        let name = syscall_name(nr);
        // The record is the call's return; its entry is `duration` earlier.
        let entered = at.saturating_sub(spent.unwrap_or_default());
        json::syscall(
            &mut self.line,
            tid as i32,
            entered,
            &name,
            nr,
            self.decoded.args(),
            &args,
            Some(ret),
            errno,
            &self.decoded.result,
            spent,
        );
    }

    /// `-P`: whether the call names a path, by a copied path argument or an fd.
    fn names_paths(&mut self, exit: &SyscallExit) -> bool {
        let (memory, fds) = (&self.memory, &mut self.fds);
        self.options.filters.names_paths(
            exit.nr as u64,
            &exit.args,
            |addr| memory.string_at(addr),
            |fd| fds.path(fd),
        )
    }

    /// A `--json` signal or exit record.
    fn json_event(&mut self, tid: u32, at: Duration, kind: &str, fields: &str) {
        self.line.clear();
        json::begin(&mut self.line, kind, tid as i32, at);
        self.line.push_str(fields);
        self.line.push_str("}\n");
    }

    fn syscall(&mut self, tid: u32, pid: u32, at: Duration, exit: &SyscallExit, sink: &mut Sink) {
        let nr = exit.nr as u64;
        if !self.options.filters.trace.contains(nr) {
            return;
        }
        let forks = [
            libc::SYS_clone,
            libc::SYS_clone3,
            libc::SYS_fork,
            libc::SYS_vfork,
        ];
        if exit.ret == 0 && forks.contains(&exit.nr) {
            // The new process's own return from fork: strace shows only the parent's.
            return;
        }
        self.memory.load(exit);
        if self.track_fds {
            self.fds.select(pid);
        }
        if self.counted_and_shown(exit) {
            self.print_call(tid, at, exit, sink);
        }
        if self.track_fds {
            self.fds.after_call(exit, &self.memory);
        }
        if forks.contains(&exit.nr)
            && let Ok(child) = u32::try_from(exit.ret)
            && self.unannounced.remove(&child)
        {
            self.live.insert(child);
        }
    }

    /// `-P` picks the calls to count (`-c`/`-C`); `-e status=` and `-c` then pick the lines.
    fn counted_and_shown(&mut self, exit: &SyscallExit) -> bool {
        if !self.options.filters.paths.is_empty() && !self.names_paths(exit) {
            return false;
        }
        let failed = exit.errno().is_some();
        if let Some(summary) = &mut self.summary {
            let spent = Duration::from_nanos(exit.duration_ns.unwrap_or_default());
            summary.add(exit.nr as u64, spent, failed);
        }
        let status = self.options.filters.status;
        !self.options.summary_only
            && if failed {
                status.failed
            } else {
                status.successful
            }
    }

    /// The call's line (or JSON record), decoded from the copied memory.
    fn print_call(&mut self, tid: u32, at: Duration, exit: &SyscallExit, sink: &mut Sink) {
        let nr = exit.nr as u64;
        let style = &self.options.style;
        let fds: &mut dyn FdInfo = if style.fd_decode > 0 {
            &mut self.fds
        } else {
            &mut NoFdInfo
        };
        decode_entry_into(&mut self.entry, nr, exit.args, &mut self.memory, fds, style);
        decode_exit_into(
            &mut self.decoded,
            &self.entry,
            exit.ret,
            &mut self.memory,
            fds,
            style,
        );
        let spent = exit
            .duration_ns
            .filter(|_| self.options.syscall_times || self.options.json)
            .map(Duration::from_nanos);
        if self.options.json {
            self.json_call(tid, at, nr, exit.args, exit.ret, spent);
        } else {
            self.start_line(tid, at);
            let decoded = std::mem::take(&mut self.decoded);
            self.line.push_str(&decoded.call);
            self.finish_call(&decoded.result, spent);
            self.decoded = decoded;
        }
        sink.buffer(tid as i32)
            .extend_from_slice(self.line.as_bytes());
    }

    /// A successful execve: the capture sends the new image's file name and argv instead of
    /// the syscall record; the environment is not copied.
    fn exec(&mut self, tid: u32, at: Duration, info: &ExecInfo, sink: &mut Sink) {
        let nr = info.nr as u64;
        if !self.options.filters.trace.contains(nr) {
            return;
        }
        if info.old_tid != tid {
            self.live.remove(&info.old_tid);
            self.live.insert(tid);
        }
        let filters = &self.options.filters;
        if !filters.paths.is_empty()
            && !filters
                .paths
                .contains(&String::from_utf8_lossy(&info.filename.0).into_owned())
        {
            return;
        }
        if let Some(summary) = &mut self.summary {
            summary.add(nr, Duration::ZERO, false);
        }
        if self.options.summary_only || !filters.status.successful {
            return;
        }
        let (path_at, argv_at) = self.memory.load_exec(info);
        let args = if info.nr == libc::SYS_execveat {
            [(-100i64) as u64, path_at, argv_at, 0, 0, 0]
        } else {
            [path_at, argv_at, 0, 0, 0, 0]
        };
        let style = &self.options.style;
        decode_entry_into(
            &mut self.entry,
            nr,
            args,
            &mut self.memory,
            &mut NoFdInfo,
            style,
        );
        decode_exit_into(
            &mut self.decoded,
            &self.entry,
            0,
            &mut self.memory,
            &mut NoFdInfo,
            style,
        );
        if self.options.json {
            self.json_call(tid, at, nr, args, 0, None);
        } else {
            self.start_line(tid, at);
            let call = self.decoded.call.as_str();
            // strace prints envp as `0x7ffc... /* N vars */`; the exec record has the count,
            // not the old image's pointer.
            match (call.strip_suffix(", NULL)"), info.env_count) {
                (Some(head), Some(count)) => {
                    let plural = if count == 1 { "" } else { "s" };
                    let _ = write!(self.line, "{head}, /* {count} var{plural} */)");
                }
                (Some(head), None) => {
                    self.line.push_str(head);
                    self.line.push_str(", /* envp not captured */)");
                }
                (None, _) => self.line.push_str(call),
            }
            self.finish_call("0", None);
        }
        sink.buffer(tid as i32)
            .extend_from_slice(self.line.as_bytes());
    }

    /// The pid prefix and timestamp (strace's printleader).
    fn start_line(&mut self, tid: u32, at: Duration) {
        self.line.clear();
        if self.options.per_process {
            // One file per process: no prefix.
        } else if self.options.file_pid_prefix {
            let _ = write!(self.line, "{tid:<5} ");
        } else if self.live.len() > 1 {
            let _ = write!(self.line, "[pid {tid:>5}] ");
        }
        if self.options.timestamps > 0 {
            timefmt::write_timestamp(&mut self.line, self.options.timestamps, at);
        } else if self.options.relative {
            let delta = self
                .last_line_at
                .map(|last| at.saturating_sub(last))
                .unwrap_or_default();
            timefmt::write_relative(&mut self.line, delta);
        }
        self.last_line_at = Some(at);
    }

    /// ` = result`, aligned at column 40 like strace's `-a 40`.
    fn finish_call(&mut self, result: &str, spent: Option<Duration>) {
        self.line.push(' ');
        while self.line.len() < ALIGN_COLUMN {
            self.line.push(' ');
        }
        self.line.push_str("= ");
        self.line.push_str(result);
        if let Some(spent) = spent {
            timefmt::write_duration(&mut self.line, spent);
        }
        self.line.push('\n');
    }
}

/// A fd's path (`-y`) and socket endpoints (`-yy`), as last seen.
type FdNames = (Option<String>, Option<String>);

/// `-y`/`-yy` and `-P` for a program that keeps running while its records are printed.
///
/// A fd opened within the trace is named from its own open record (the path resolved as the
/// kernel did, when the record is read): by the time a later record is printed the program
/// may have closed that fd and opened another file on the same number, so /proc would name
/// the new file. Other fds (inherited, sockets, pipes) are named from `/proc/PID/fd` when the
/// line is printed, and remembered for when they are gone from /proc (a `close(3)` line comes
/// after the fd is gone).
#[derive(Default)]
struct LiveFds {
    pid: i32,
    opened: std::collections::HashMap<(i32, i32), String>,
    seen: std::collections::HashMap<(i32, i32), FdNames>,
}

impl LiveFds {
    fn select(&mut self, pid: u32) {
        self.pid = pid as i32;
    }

    /// Follows the calls that end, copy or start a fd's life.
    fn after_call(&mut self, call: &SyscallExit, memory: &CopiedMemory) {
        if call.ret < 0 {
            return;
        }
        let name = saker_syscalls::name(call.nr as u64).unwrap_or_default();
        match name {
            "close" => {
                self.forget(call.args[0] as i32);
                return;
            }
            "chdir" | "fchdir" | "chroot" => {
                self.forget(libc::AT_FDCWD);
                return;
            }
            // The calls that return a new fd.
            "open" | "openat" | "openat2" | "creat" | "dup" | "dup2" | "dup3" | "fcntl"
            | "socket" | "accept" | "accept4" | "epoll_create" | "epoll_create1" | "eventfd"
            | "eventfd2" | "signalfd" | "signalfd4" | "timerfd_create" | "memfd_create"
            | "inotify_init" | "inotify_init1" | "pidfd_open" | "io_uring_setup" => {}
            _ => return,
        }
        let Ok(fd) = i32::try_from(call.ret) else {
            return;
        };
        self.forget(fd);
        let path = match name {
            "open" | "creat" => self.opened_path(libc::AT_FDCWD, call.args[0], memory),
            "openat" | "openat2" => self.opened_path(call.args[0] as i32, call.args[1], memory),
            "dup" | "dup2" | "dup3" => self.opened.get(&(self.pid, call.args[0] as i32)).cloned(),
            "fcntl" if matches!(call.args[1] as i32, libc::F_DUPFD | libc::F_DUPFD_CLOEXEC) => {
                self.opened.get(&(self.pid, call.args[0] as i32)).cloned()
            }
            _ => None,
        };
        if let Some(path) = path {
            self.opened.insert((self.pid, fd), path);
        }
    }

    /// The file an open call named, resolved against the cwd or dirfd and through symlinks
    /// as the kernel resolved it (what `/proc/PID/fd` shows).
    fn opened_path(&mut self, dirfd: i32, name_at: u64, memory: &CopiedMemory) -> Option<String> {
        let name = memory.string_at(name_at)?;
        let name = String::from_utf8_lossy(&name);
        let path = if name.starts_with('/') {
            name.into_owned()
        } else {
            format!("{}/{name}", self.path(dirfd)?.trim_end_matches('/'))
        };
        match std::fs::canonicalize(&path) {
            Ok(resolved) => Some(resolved.to_string_lossy().into_owned()),
            Err(_) => Some(path),
        }
    }

    fn forget(&mut self, fd: i32) {
        self.opened.remove(&(self.pid, fd));
        self.seen.remove(&(self.pid, fd));
    }

    fn process_gone(&mut self, pid: u32) {
        self.opened.retain(|(p, _), _| *p != pid as i32);
        self.seen.retain(|(p, _), _| *p != pid as i32);
    }

    /// What /proc says now, remembered for when the fd is gone from /proc (closed by the
    /// time its record is printed), or else what was last remembered.
    fn remembered(
        &mut self,
        fd: i32,
        live: Option<String>,
        slot: fn(&mut FdNames) -> &mut Option<String>,
    ) -> Option<String> {
        match live {
            Some(name) => {
                *slot(self.seen.entry((self.pid, fd)).or_default()) = Some(name.clone());
                Some(name)
            }
            None => self
                .seen
                .get_mut(&(self.pid, fd))
                .and_then(|names| slot(names).clone()),
        }
    }
}

impl FdInfo for LiveFds {
    fn path(&mut self, fd: i32) -> Option<String> {
        if let Some(path) = self.opened.get(&(self.pid, fd)) {
            return Some(path.clone());
        }
        let live = ProcessFds::new(self.pid).path(fd.into());
        self.remembered(fd, live, |names| &mut names.0)
    }

    fn socket(&mut self, fd: i32) -> Option<String> {
        let live = ProcessFds::new(self.pid).socket(fd.into());
        self.remembered(fd, live, |names| &mut names.1)
    }

    fn device(&mut self, fd: i32) -> Option<String> {
        ProcessFds::new(self.pid).device(fd.into())
    }
}

/// The tracee memory the decoders see: the bytes the capture copied, placed at the addresses
/// the raw arguments point to. Reads anywhere else fail, so those arguments print as
/// addresses.
#[derive(Default)]
struct CopiedMemory {
    regions: Vec<(u64, Vec<u8>)>,
}

impl Memory for CopiedMemory {
    /// Only rt_sigreturn asks; the capture put the restored mask where this frame has it.
    fn stack_pointer(&mut self) -> Option<u64> {
        Some(saker_bpf::SIGRETURN_FRAME)
    }

    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        for (start, bytes) in &self.regions {
            if addr >= *start && addr - start < bytes.len() as u64 {
                let from = &bytes[(addr - start) as usize..];
                let n = from.len().min(buf.len());
                buf[..n].copy_from_slice(&from[..n]);
                return n;
            }
        }
        0
    }
}

impl CopiedMemory {
    /// The NUL-terminated string copied at `addr` (without the NUL).
    fn string_at(&self, addr: u64) -> Option<Vec<u8>> {
        let (_, bytes) = self.regions.iter().find(|(start, _)| *start == addr)?;
        Some(bytes.split(|&b| b == 0).next().unwrap_or_default().to_vec())
    }

    fn place(&mut self, addr: u64, bytes: &[u8], nul: bool) {
        if addr == 0 {
            return;
        }
        let mut copy = Vec::with_capacity(bytes.len() + 1);
        copy.extend_from_slice(bytes);
        if nul {
            copy.push(0);
        }
        self.regions.push((addr, copy));
    }

    /// The memory the capture copied for one syscall record, each region at its address.
    fn load(&mut self, record: &SyscallExit) {
        self.regions.clear();
        if let SyscallDetail::Memory(copied) = &record.detail {
            for region in copied {
                self.place(region.addr, &region.bytes.0, false);
            }
        }
    }

    /// Lays out an exec's file name and argv (a NULL-terminated pointer array) at made-up
    /// addresses; returns (file name, argv) addresses.
    fn load_exec(&mut self, info: &ExecInfo) -> (u64, u64) {
        const PATH_AT: u64 = 0x1000;
        const ARGV_AT: u64 = 0x2000;
        const STRINGS_AT: u64 = 0x10_0000;
        self.regions.clear();
        self.place(PATH_AT, &info.filename.0, true);
        let mut pointers = Vec::with_capacity((info.argv.len() + 1) * 8);
        let mut next = STRINGS_AT;
        for arg in &info.argv {
            self.place(next, &arg.0, true);
            pointers.extend_from_slice(&next.to_ne_bytes());
            next += arg.0.len() as u64 + 1;
        }
        pointers.extend_from_slice(&0u64.to_ne_bytes());
        self.regions.push((ARGV_AT, pointers));
        (PATH_AT, ARGV_AT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saker_event::Bytes;

    fn exit(nr: i64, args: [u64; 6], ret: i64, detail: SyscallDetail) -> SyscallExit {
        SyscallExit {
            nr,
            ret,
            args,
            duration_ns: None,
            detail,
        }
    }

    fn line(exit: &SyscallExit) -> String {
        let mut memory = CopiedMemory::default();
        memory.load(exit);
        let style = Style::default();
        let entry = saker_syscalls::decode_entry(
            exit.nr as u64,
            exit.args,
            &mut memory,
            &mut NoFdInfo,
            &style,
        );
        let done =
            saker_syscalls::decode_exit(&entry, exit.ret, &mut memory, &mut NoFdInfo, &style);
        format!("{} = {}", done.call, done.result)
    }

    fn copied(regions: &[(u64, &[u8])]) -> SyscallDetail {
        SyscallDetail::Memory(
            regions
                .iter()
                .map(|(addr, bytes)| saker_event::CopiedMemory {
                    addr: *addr,
                    bytes: Bytes(bytes.to_vec()),
                })
                .collect(),
        )
    }

    #[test]
    fn copied_memory_decodes_like_strace() {
        let mut stat = [0u8; 144];
        stat[24..28].copy_from_slice(&0o100644u32.to_ne_bytes()); // st_mode
        stat[48..56].copy_from_slice(&22788u64.to_ne_bytes()); // st_size
        let mask = 1u64 << (libc::SIGUSR1 - 1);
        let frame = saker_bpf::SIGRETURN_FRAME + saker_bpf::UC_SIGMASK_OFFSET;
        let cases = [
            (
                exit(
                    libc::SYS_openat,
                    [(-100i64) as u64, 0x5000, 0o2000000, 0, 0, 0],
                    -2,
                    copied(&[(0x5000, b"/etc/nope\0")]),
                ),
                r#"openat(AT_FDCWD, "/etc/nope", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)"#,
            ),
            (
                exit(
                    libc::SYS_read,
                    [3, 0x7000, 4096, 0, 0, 0],
                    5,
                    copied(&[(0x7000, b"root\n")]),
                ),
                r#"read(3, "root\n", 4096) = 5"#,
            ),
            (
                exit(
                    libc::SYS_write,
                    [1, 0x7000, 40, 0, 0, 0],
                    40,
                    copied(&[(0x7000, b"0123456789012345678901234567890123456789")]),
                ),
                r#"write(1, "01234567890123456789012345678901"..., 40) = 40"#,
            ),
            (
                exit(
                    libc::SYS_newfstatat,
                    [3, 0x7000, 0x8000, 0x1000, 0, 0],
                    0,
                    copied(&[(0x7000, b"\0"), (0x8000, &stat)]),
                ),
                r#"newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=22788, ...}, AT_EMPTY_PATH) = 0"#,
            ),
            (
                exit(
                    libc::SYS_rt_sigreturn,
                    [0; 6],
                    0,
                    copied(&[(frame, &mask.to_ne_bytes())]),
                ),
                "rt_sigreturn({mask=[USR1]}) = 0",
            ),
            // Nothing copied: the pointers print as addresses.
            (
                exit(
                    libc::SYS_newfstatat,
                    [3, 0x7000, 0x8000, 0x1000, 0, 0],
                    0,
                    SyscallDetail::Other,
                ),
                "newfstatat(3, 0x7000, 0x8000, AT_EMPTY_PATH) = 0",
            ),
            (
                exit(libc::SYS_close, [3, 0, 0, 0, 0, 0], 0, copied(&[])),
                "close(3) = 0",
            ),
        ];
        for (exit, expect) in cases {
            assert_eq!(line(&exit), expect);
        }
    }

    #[test]
    fn exec_lines_show_path_and_argv() {
        let mut memory = CopiedMemory::default();
        let info = ExecInfo {
            nr: libc::SYS_execve,
            filename: Bytes::from("/usr/bin/true"),
            argv: vec![Bytes::from("true"), Bytes::from("x")],
            argv_truncated: false,
            env_count: None,
            old_tid: 1,
            vtid: 1,
            vpid: 1,
            loginuid: u32::MAX,
            tty: None,
            caps: None,
        };
        let (path, argv) = memory.load_exec(&info);
        let style = Style::default();
        let entry = saker_syscalls::decode_entry(
            59,
            [path, argv, 0, 0, 0, 0],
            &mut memory,
            &mut NoFdInfo,
            &style,
        );
        let done = saker_syscalls::decode_exit(&entry, 0, &mut memory, &mut NoFdInfo, &style);
        assert_eq!(done.call, r#"execve("/usr/bin/true", ["true", "x"], NULL)"#);
    }
}
