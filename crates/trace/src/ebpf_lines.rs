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
    Decoded, Entry, FdInfo, Memory, NoFdInfo, PidKind, SigInfo, decode_entry_into,
    decode_exit_into, format_signal,
};

use saker_event::timefmt;

use crate::Ended;
use crate::decode::{Tracee, comm_of, fd_device_of, fd_path_of, pid_in_our_ns};
use crate::ebpf::{self, catch_fatal_signals, interrupted};
use crate::json;
use crate::leader::{Leader, LineStart};
use crate::options::Options;
use crate::printer::killed_text;
use crate::sink::Sink;
use crate::summary::{Summary, syscall_name};

/// The calls that return a new fd.
const FD_CREATORS: &[&str] = &[
    "open",
    "openat",
    "openat2",
    "creat",
    "dup",
    "dup2",
    "dup3",
    "fcntl",
    "socket",
    "accept",
    "accept4",
    "epoll_create",
    "epoll_create1",
    "eventfd",
    "eventfd2",
    "signalfd",
    "signalfd4",
    "timerfd_create",
    "memfd_create",
    "inotify_init",
    "inotify_init1",
    "pidfd_open",
    "io_uring_setup",
    "landlock_create_ruleset",
    "userfaultfd",
    "perf_event_open",
    "fanotify_init",
    "pidfd_getfd",
    // Only with CLONE_PIDFD, whose fd is not the result.
    "clone",
];

/// Process `pid`'s entries of a table keyed by (process, fd), as (fd, value).
fn fds_of<V: Clone>(table: &std::collections::HashMap<(i32, i32), V>, pid: i32) -> Vec<(i32, V)> {
    table
        .iter()
        .filter(|((p, _), _)| *p == pid)
        .map(|((_, fd), value)| (*fd, value.clone()))
        .collect()
}

/// What `/proc/PID/fd` names a pidfd.
const PIDFD_NAME: &str = "anon_inode:[pidfd]";

/// The name `/proc/PID/fd` gives the fds a call makes on an anonymous inode: always the same,
/// so known even when the program is gone before its line prints.
fn anon_inode_name(call: &str) -> Option<&'static str> {
    Some(match call {
        "epoll_create" | "epoll_create1" => "anon_inode:[eventpoll]",
        "eventfd" | "eventfd2" => "anon_inode:[eventfd]",
        "signalfd" | "signalfd4" => "anon_inode:[signalfd]",
        "timerfd_create" => "anon_inode:[timerfd]",
        "inotify_init" | "inotify_init1" => "anon_inode:inotify",
        "pidfd_open" => PIDFD_NAME,
        "io_uring_setup" => "anon_inode:[io_uring]",
        "landlock_create_ruleset" => "anon_inode:[landlock-ruleset]",
        "userfaultfd" => "anon_inode:[userfaultfd]",
        "perf_event_open" => "anon_inode:[perf_event]",
        "fanotify_init" => "anon_inode:[fanotify]",
        _ => return None,
    })
}

/// For `-yy`: the device at a path the trace remembered (`char 1:7`), for a fd gone from /proc.
fn device_at(path: &[u8]) -> Option<String> {
    use std::os::unix::ffi::OsStrExt;
    saker_ptrace::device_of(std::ffi::OsStr::from_bytes(path).as_ref())
}

/// The calls that end a fd or change the working directory.
const FD_ENDERS: &[&str] = &["close", "chdir", "fchdir", "chroot"];

/// What to trace.
pub enum Traced {
    Spawn(Vec<std::ffi::OsString>),
    Attach(Vec<i32>),
    /// `-p PID` and a command: both traced, until the command and the processes all ended.
    SpawnAndAttach(Vec<std::ffi::OsString>, Vec<i32>),
}

/// Traces until the command ends (or the attached processes are gone, or the tracer gets a
/// fatal signal), writing one line per returned syscall to `sink`.
pub fn trace(target: Traced, options: &Options, sink: &mut Sink) -> Result<Ended, String> {
    let bpf_error = |err: saker_bpf::BpfError| format!("--ebpf: {err}");
    let follows_fds = options.decode_fds.level() > 0 || !options.filters.paths.is_empty();
    let config = TraceConfig {
        syscalls: (!options.filters.trace.is_all()).then(|| {
            let mut captured = options.filters.trace;
            if follows_fds {
                // -y and -P name fds from the calls that open and close them, traced or
                // not: by the time a record is printed the process may be gone from /proc.
                let lifecycle = FD_CREATORS.iter().chain(FD_ENDERS);
                for nr in lifecycle.filter_map(|name| saker_syscalls::number(name)) {
                    captured.insert(nr);
                }
            }
            captured.iter().map(|nr| nr as i64).collect()
        }),
        // --json records and the summary carry each call's duration.
        timed: options.syscall_times.is_some() || options.json || options.summary.is_some(),
        // The summary counts system time unless -w asks for wall-clock time (strace -C).
        off_cpu: options.summary.as_ref().is_some_and(|how| !how.wall_clock),
        follow_forks: options.follow_forks,
        // Enough bytes for what `-s` shows (strace's default is 32), and the one byte past
        // it that the decoders fetch to tell a cut buffer (`"..."...`) from a whole one; the
        // most the capture copies when `-e read=`/`-e write=` dump whole buffers.
        snaplen: if options.dumps() {
            saker_bpf::raw::BLOB_MAX as u32
        } else {
            (options.string_limit.saturating_add(1)).clamp(33, 4096) as u32
        },
        ..TraceConfig::default()
    };
    let mut lines = Lines::new(options);
    let (argv, pids) = match target {
        Traced::Spawn(argv) => (argv, Vec::new()),
        Traced::Attach(pids) => (Vec::new(), pids),
        Traced::SpawnAndAttach(argv, pids) => (argv, pids),
    };
    let as_u32: Vec<u32> = pids.iter().map(|p| *p as u32).collect();
    let (mut tracer, mut command) = if argv.is_empty() {
        let tracer = Tracer::attach(&as_u32, &config).map_err(bpf_error)?;
        (tracer, None)
    } else {
        // The command's first fds are ours (those not closed on exec): named now, while
        // /proc still has them, for lines printed after a short command is gone.
        let inherited = inherited_fds();
        let (tracer, command) =
            Tracer::spawn_and_attach(&argv, &as_u32, &config).map_err(bpf_error)?;
        lines.fds.inherit(command.pid() as i32, inherited);
        lines.live.insert(command.pid());
        (tracer, Some(command))
    };
    lines.announce_attached(&pids, sink);
    let attached = pids;
    // The command's wait status, once it is reaped (attached processes may go on after it).
    let mut command_status: Option<i32> = None;
    // After the command is started: it inherits our dispositions, not these.
    catch_fatal_signals(options.interruptible);
    crate::redirect_standard_fds();
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
        ebpf::reap_unknown_children(
            command.as_ref().map(|c| c.pid() as i32),
            lines.options.quiet.exit,
        );
        if ended.is_none() {
            if let Some(command) = &mut command
                && command_status.is_none()
            {
                command_status = command.try_wait().map_err(bpf_error)?;
            }
            let attached_gone = attached.iter().all(|&pid| process_gone(pid));
            if attached_gone && (command.is_none() || command_status.is_some()) {
                ended = Some(match command_status {
                    Some(status) if libc::WIFEXITED(status) => {
                        Ended::Exited(libc::WEXITSTATUS(status))
                    }
                    Some(status) if libc::WIFSIGNALED(status) => {
                        Ended::Killed(libc::WTERMSIG(status))
                    }
                    _ => Ended::Done,
                });
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
    if matches!(ended, Ended::Interrupted(_)) && !lines.options.quiet.attach {
        for pid in &attached {
            eprintln!("saker trace: Process {pid} detached");
        }
    }
    let drops: u64 = tracer
        .capture()
        .drops()
        .map(|per_cpu| per_cpu.iter().sum())
        .unwrap_or(0);
    if let (Some(summary), Some(how)) = (&lines.summary, &lines.options.summary) {
        sink.buffer(0)
            .extend_from_slice(summary.render(how.sort_by, &how.columns).as_bytes());
    }
    if let Err(message) = sink.finish() {
        eprintln!("saker trace: {message}");
    }
    if drops > 0 {
        eprintln!("saker trace: --ebpf: {drops} events lost (the ring buffer was full)");
    }
    Ok(ended)
}

/// Turns capture events into lines.
struct Lines {
    options: Options,
    leader: Leader,
    /// `-c`: no lines.
    summary_only: bool,
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
}

impl Lines {
    /// `-p`: the processes are traced from now on. ptrace reports a group-stop at once when it
    /// attaches to a stopped process; the capture sees no signal for a stop that happened
    /// before it started, so the line is made here.
    fn announce_attached(&mut self, pids: &[i32], sink: &mut Sink) {
        self.live.extend(pids.iter().map(|&pid| pid as u32));
        if !self.options.quiet.attach {
            for pid in pids {
                eprintln!("saker trace: Process {pid} attached");
            }
        }
        for &pid in pids {
            if process_state(pid) == Some('T') {
                self.stopped_line(pid as u32, timefmt::realtime(), libc::SIGSTOP, sink);
            }
        }
    }

    fn new(options: &Options) -> Lines {
        Lines {
            track_fds: options.decode_fds.level() > 0 || !options.filters.paths.is_empty(),
            summary: options.summary.as_ref().map(|s| Summary::new(s.overhead)),
            summary_only: options.summary.as_ref().is_some_and(|s| s.only),
            leader: Leader::new(options),
            options: options.clone(),
            live: BTreeSet::new(),
            unannounced: BTreeSet::new(),
            entry: Entry::default(),
            decoded: Decoded::default(),
            memory: CopiedMemory::default(),
            fds: LiveFds::default(),
            line: String::with_capacity(256),
        }
    }

    fn event(&mut self, event: &SyscallEvent, sink: &mut Sink) {
        let tid = event.header.tid;
        if self.leader.wants_comm() {
            // The name the thread had at this record: the leader's `-Y` name.
            let comm = event.header.comm.to_string_lossy().into_owned();
            self.fds.comms.insert(tid as i32, comm);
        }
        if self.unannounced.remove(&tid) {
            self.live.insert(tid);
        }
        let at = Duration::from_nanos(event.header.ts_ns);
        match &event.body {
            EventBody::Syscall(exit) => self.syscall(tid, event.header.pid, at, exit, sink),
            EventBody::Exec(info) => self.exec(tid, at, info, sink),
            // strace prints the parent's clone line before it knows the child, so the child
            // counts (for `[pid N]` prefixes) from that line or its own first event.
            EventBody::Fork {
                child_tid,
                child_pid,
                child_vtid,
                ..
            } => {
                if self.options.decode_pids.pidns {
                    self.fds.vtids.insert(*child_tid as i32, *child_vtid as i32);
                }
                if self.options.follow_forks {
                    self.unannounced.insert(*child_tid);
                }
                if *child_pid != event.header.pid {
                    self.fds
                        .copy_process(event.header.pid as i32, *child_pid as i32);
                }
            }
            EventBody::Signal { signo, siginfo } => {
                if !self.summary_only && self.options.filters.signals.contains(*signo) {
                    let mut info = SigInfo::from_bytes(&siginfo.0);
                    // An unreadable siginfo still names the signal.
                    info.signo = *signo;
                    let text = format_signal(&info);
                    if self.options.json {
                        self.json_event(tid, at, "signal", &json::signal_fields(*signo, &text));
                    } else {
                        self.start_line(tid, at, None);
                        self.line.push_str("--- ");
                        self.line.push_str(&text);
                        self.line.push_str(" ---\n");
                    }
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                    if stops_the_process(event.header.pid, *signo) {
                        self.stopped_line(tid, at, *signo, sink);
                    }
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
                // exit_group names no path, so `-P` leaves it out, as strace does; its
                // `= ?` is the status `unfinished`.
                let filters = &self.options.filters;
                let shown =
                    !self.summary_only && filters.paths.is_empty() && filters.status.unfinished;
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
                        self.start_line(tid, at, Some(exit_group));
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
                } else if !self.options.quiet.exit && !self.summary_only {
                    let text = if signal == 0 {
                        format!("+++ exited with {code} +++")
                    } else {
                        killed_text(signal, core_dumped)
                    };
                    self.start_line(tid, at, None);
                    self.line.push_str(&text);
                    self.line.push('\n');
                    sink.buffer(tid as i32)
                        .extend_from_slice(self.line.as_bytes());
                }
                self.live.remove(&tid);
                self.fds.comms.remove(&(tid as i32));
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
        let mut view = RecordView {
            memory: &mut self.memory,
            fds: &mut self.fds,
        };
        self.options
            .filters
            .names_paths(exit.nr as u64, &exit.args, &mut view)
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
        // Calls outside `-e trace=` come only to follow fds (FD_CREATORS, FD_ENDERS).
        let traced = self.options.filters.trace.contains(nr);
        if !traced && !self.track_fds {
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
        // The process whose fds and pids the decoders ask about.
        self.fds.select(pid, exit);
        // A returned fd is named when the result is decoded (the process may be gone by
        // now), after the arguments (`dup2(0</dev/null>, 4</old>)`); a closed one is
        // forgotten only after the line (`close(3</etc/passwd>)`).
        if traced && self.counted_and_shown(exit) {
            self.print_call(tid, at, exit, sink);
        } else if self.track_fds {
            self.fds.new_fd(exit, &self.memory);
        }
        if self.track_fds {
            self.fds.closed_fd(exit, &self.memory);
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
            // Without -w the capture measured the call's waits: its system time is the rest.
            let spent = exit.duration_ns.unwrap_or_default();
            let spent = spent.saturating_sub(exit.off_cpu_ns.unwrap_or_default());
            summary.add(exit.nr as u64, Duration::from_nanos(spent), failed);
        }
        let status = self.options.filters.status;
        !self.summary_only
            && if failed {
                status.failed
            } else {
                status.successful
            }
    }

    /// The call's line (or JSON record), decoded from the copied memory.
    fn print_call(&mut self, tid: u32, at: Duration, exit: &SyscallExit, sink: &mut Sink) {
        let nr = exit.nr as u64;
        let style = &self.options.style_for(nr);
        // A netlink socket's messages are decoded by its protocol, -y or not.
        let ask_fds = needs_fd_info(style) || self.fds.netlink_call.is_some();
        let fds: &mut dyn FdInfo = if ask_fds {
            &mut self.fds
        } else {
            &mut NoFdInfo
        };
        self.memory.at_entry = true;
        decode_entry_into(&mut self.entry, nr, exit.args, &mut self.memory, fds, style);
        self.memory.at_entry = false;
        if self.track_fds {
            self.fds.new_fd(exit, &self.memory);
        }
        let fds: &mut dyn FdInfo = if ask_fds {
            &mut self.fds
        } else {
            &mut NoFdInfo
        };
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
            .filter(|_| self.options.syscall_times.is_some() || self.options.json)
            .map(Duration::from_nanos);
        if self.options.json {
            self.json_call(tid, at, nr, exit.args, exit.ret, spent);
        } else {
            self.start_line(tid, at, Some(nr));
            let decoded = std::mem::take(&mut self.decoded);
            self.line.push_str(&decoded.call);
            self.finish_call(&decoded.result, spent);
            self.decoded = decoded;
            if self.options.dumps() {
                self.dump_data(tid, exit);
            }
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
        if self.summary_only || !filters.status.successful {
            return;
        }
        let (path_at, argv_at) = self.memory.load_exec(info);
        let args = if info.nr == libc::SYS_execveat {
            [(-100i64) as u64, path_at, argv_at, 0, 0, 0]
        } else {
            [path_at, argv_at, 0, 0, 0, 0]
        };
        let style = &self.options.style_for(nr);
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
            self.start_line(tid, at, Some(nr));
            let call = self.decoded.call.as_str();
            // strace prints envp as `0x7ffc... /* N vars */`: the exec record has the count,
            // and the pointer when the capture kept it at the call's entry.
            match (call.strip_suffix(", NULL)"), info.env_count) {
                (Some(head), Some(count)) => {
                    let plural = if count == 1 { "" } else { "s" };
                    let envp = info.envp.map(|p| format!("{p:#x} ")).unwrap_or_default();
                    let _ = write!(self.line, "{head}, {envp}/* {count} var{plural} */)");
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

    /// `--- stopped by SIGSTOP ---`.
    fn stopped_line(&mut self, tid: u32, at: Duration, sig: i32, sink: &mut Sink) {
        if self.summary_only || self.options.json || !self.options.filters.signals.contains(sig) {
            return;
        }
        self.start_line(tid, at, None);
        let name = saker_syscalls::signal_name(sig).unwrap_or("?");
        let _ = writeln!(self.line, "--- stopped by {name} ---");
        sink.buffer(tid as i32)
            .extend_from_slice(self.line.as_bytes());
    }

    /// The pid prefix and timestamps (strace's printleader).
    fn start_line(&mut self, tid: u32, at: Duration, nr: Option<u64>) {
        self.line.clear();
        let start = LineStart {
            pid: tid as i32,
            several: self.live.len() > 1,
            comm: self.fds.comms.get(&(tid as i32)).map(String::as_str),
            wall: at,
            mono: at,
            nr,
            ip: None,
        };
        self.leader.write(&mut self.line, &start);
    }

    /// `-e read=`/`-e write=`: the hex dumps of the data, from what the capture copied (at
    /// most [`saker_bpf::raw::BLOB_MAX`] bytes of a buffer, about 500 of each of a vector's
    /// first 8); a buffer longer than that says so instead of its dump.
    fn dump_data(&mut self, tid: u32, exit: &SyscallExit) {
        let call = crate::dump::Finished {
            pid: tid as i32,
            nr: exit.nr as u64,
            args: &exit.args,
            ret: exit.ret,
            failed: exit.errno().is_some(),
        };
        crate::dump::dump_io(
            &mut self.line,
            &mut self.memory,
            &call,
            &self.options.dump_reads,
            &self.options.dump_writes,
            true,
        );
    }

    /// ` = result`, aligned at the `-a` column.
    fn finish_call(&mut self, result: &str, spent: Option<Duration>) {
        let col = self.line.len();
        let spent = spent.zip(self.options.syscall_times);
        crate::leader::finish_call(&mut self.line, col, self.options.column, result, spent);
    }
}

/// A fd's path (`-y`) and socket endpoints (`-yy`), as last seen.
#[derive(Debug, Clone, Default)]
struct FdNames {
    path: Option<String>,
    socket: Option<String>,
    device: Option<String>,
}

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
    /// The path bytes (not always UTF-8) of each fd opened within the trace, and of the
    /// working directory (`AT_FDCWD`) after a `chdir` or `fchdir` within it.
    opened: std::collections::HashMap<(i32, i32), Vec<u8>>,
    /// The process each `pidfd_open` fd refers to (`-yy` shows `<pid:N>`).
    pidfds: std::collections::HashMap<(i32, i32), i32>,
    seen: std::collections::HashMap<(i32, i32), FdNames>,
    /// `-Y`: each thread's name in its latest record, for threads gone from /proc.
    comms: std::collections::HashMap<i32, String>,
    /// `--pidns-translation`: each forked thread's id in its own PID namespace, for
    /// threads gone from /proc.
    vtids: std::collections::HashMap<i32, i32>,
    /// The record being printed is a socket call on a netlink socket: its fd and protocol,
    /// as the capture found them (the socket may be closed by the time the line prints).
    netlink_call: Option<(i32, u8)>,
}

impl LiveFds {
    /// The process (and record) the decoders ask about next.
    fn select(&mut self, pid: u32, call: &SyscallExit) {
        self.pid = pid as i32;
        self.netlink_call = match call.detail {
            SyscallDetail::Memory {
                netlink: Some(protocol),
                ..
            } => Some((call.args[0] as i32, protocol)),
            _ => None,
        };
    }

    /// After a call's line: forgets what `close` & co. ended; follows `chdir` and `fchdir`.
    fn closed_fd(&mut self, call: &SyscallExit, memory: &CopiedMemory) {
        if call.ret < 0 {
            return;
        }
        let cwd = match saker_syscalls::name(call.nr as u64).unwrap_or_default() {
            "close" => {
                self.forget(call.args[0] as i32);
                return;
            }
            "chdir" => self.opened_path(libc::AT_FDCWD, call.args[0], memory),
            "fchdir" => self.known_path(call.args[0] as i32),
            // The working directory stays, but its name is now relative to the new root.
            "chroot" => None,
            _ => return,
        };
        self.forget(libc::AT_FDCWD);
        if let Some(cwd) = cwd {
            self.opened.insert((self.pid, libc::AT_FDCWD), cwd);
        }
    }

    /// Before a call's line: names the fd a call returned (open, dup, socket, ...).
    fn new_fd(&mut self, call: &SyscallExit, memory: &CopiedMemory) {
        if call.ret < 0 {
            return;
        }
        let name = saker_syscalls::name(call.nr as u64).unwrap_or_default();
        if name == "clone" {
            self.clone_pidfd(call, memory);
            return;
        }
        if !FD_CREATORS.contains(&name) {
            return;
        }
        let Ok(fd) = i32::try_from(call.ret) else {
            return;
        };
        let path = match name {
            "open" | "creat" => self.opened_path(libc::AT_FDCWD, call.args[0], memory),
            "openat" | "openat2" => self.opened_path(call.args[0] as i32, call.args[1], memory),
            "dup" | "dup2" | "dup3" => self.known_path(call.args[0] as i32),
            "fcntl" if matches!(call.args[1] as i32, libc::F_DUPFD | libc::F_DUPFD_CLOEXEC) => {
                self.known_path(call.args[0] as i32)
            }
            "pidfd_getfd" => {
                let pid = self.pidfd_pid(call.args[0] as i32);
                pid.and_then(|pid| self.foreign_path(pid, call.args[1] as i32))
                    .map(String::into_bytes)
            }
            other => anon_inode_name(other).map(|name| name.as_bytes().to_vec()),
        };
        self.forget(fd);
        if let Some(path) = path {
            self.opened.insert((self.pid, fd), path);
        }
        if name == "pidfd_open" {
            self.pidfds.insert((self.pid, fd), call.args[0] as i32);
        }
    }

    /// `clone(CLONE_PIDFD)`: the pidfd it stored at `parent_tid`, for the child it returned.
    fn clone_pidfd(&mut self, call: &SyscallExit, memory: &CopiedMemory) {
        if call.args[0] & libc::CLONE_PIDFD as u64 == 0 {
            return;
        }
        let Some(fd) = memory.int_at(call.args[2]).filter(|fd| *fd >= 0) else {
            return;
        };
        self.forget(fd);
        self.opened
            .insert((self.pid, fd), PIDFD_NAME.as_bytes().to_vec());
        self.pidfds.insert((self.pid, fd), call.ret as i32);
    }

    /// The file an open call named, resolved against the cwd or dirfd and through symlinks
    /// as the kernel resolved it (what `/proc/PID/fd` shows).
    fn opened_path(&mut self, dirfd: i32, name_at: u64, memory: &CopiedMemory) -> Option<Vec<u8>> {
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        let name = memory.string_at(name_at)?;
        let path = if name.starts_with(b"/") {
            name
        } else {
            let mut dir = self.path_bytes(dirfd)?;
            while dir.ends_with(b"/") {
                dir.pop();
            }
            dir.push(b'/');
            dir.extend_from_slice(&name);
            dir
        };
        match std::fs::canonicalize(std::ffi::OsStr::from_bytes(&path)) {
            Ok(resolved) => Some(resolved.into_os_string().into_vec()),
            // Gone by now (a directory the program removed before exiting): its name without
            // `.` and `..`, as the kernel would have shown it (symlinks left as named).
            Err(_) => Some(saker_event::path::lexically_normal(&path)),
        }
    }

    /// What the trace itself knows of a fd of the selected process: opened within the trace,
    /// or named while it was still in /proc (or when the process started).
    fn known_path(&self, fd: i32) -> Option<Vec<u8>> {
        let key = (self.pid, fd);
        self.opened.get(&key).cloned().or_else(|| {
            let names = self.seen.get(&key)?;
            Some(names.path.clone()?.into_bytes())
        })
    }

    /// The path of fd `fd` of process `pid` (as the selected process names it), when opened
    /// within the trace.
    fn traced_open(&self, pid: i32, fd: i32) -> Option<&Vec<u8>> {
        self.opened.get(&(self.remembered_pid(pid)?, fd))
    }

    /// Seeds a new process's table with the names of the fds it was started with. Its
    /// working directory is then known to the trace: /proc would show where a later `chdir`
    /// went before that call's line is printed.
    fn inherit(&mut self, pid: i32, fds: Vec<(i32, FdNames)>) {
        for (fd, names) in fds {
            if fd == libc::AT_FDCWD
                && let Some(cwd) = &names.path
            {
                self.opened
                    .entry((pid, fd))
                    .or_insert_with(|| cwd.clone().into_bytes());
            }
            self.seen.insert((pid, fd), names);
        }
    }

    /// A fork: the child starts with its parent's fds (and working directory).
    fn copy_process(&mut self, parent: i32, child: i32) {
        for (fd, path) in fds_of(&self.opened, parent) {
            self.opened.insert((child, fd), path);
        }
        for (fd, pid) in fds_of(&self.pidfds, parent) {
            self.pidfds.insert((child, fd), pid);
        }
        let seen = fds_of(&self.seen, parent);
        self.inherit(child, seen);
    }

    fn forget(&mut self, fd: i32) {
        self.opened.remove(&(self.pid, fd));
        self.pidfds.remove(&(self.pid, fd));
        self.seen.remove(&(self.pid, fd));
    }

    /// `pid` of the (gone) selected process's namespace, from the ids its forks reported:
    /// the same number when it lives in ours, else the forked thread with that inner id in
    /// another namespace (a guess when several namespaces are traced at once).
    fn remembered_pid(&self, pid: i32) -> Option<i32> {
        let inner = |tid: i32| self.vtids.get(&tid).is_some_and(|vtid| *vtid != tid);
        if !inner(self.pid) {
            return Some(pid);
        }
        self.vtids
            .iter()
            .find(|(tid, vtid)| **vtid == pid && inner(**tid))
            .map(|(tid, _)| *tid)
    }

    fn process_gone(&mut self, pid: u32) {
        self.opened.retain(|(p, _), _| *p != pid as i32);
        self.pidfds.retain(|(p, _), _| *p != pid as i32);
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
            return Some(String::from_utf8_lossy(path).into_owned());
        }
        let live = ProcessFds::new(self.pid).path(fd.into());
        self.remembered(fd, live, |names| &mut names.path)
    }

    fn path_bytes(&mut self, fd: i32) -> Option<Vec<u8>> {
        if let Some(path) = self.opened.get(&(self.pid, fd)) {
            return Some(path.clone());
        }
        ProcessFds::new(self.pid)
            .path_bytes(fd.into())
            .or_else(|| self.path(fd).map(String::into_bytes))
    }

    fn socket(&mut self, fd: i32) -> Option<String> {
        let live = ProcessFds::new(self.pid).socket(fd.into());
        self.remembered(fd, live, |names| &mut names.socket)
    }

    fn socket_protocol(&mut self, fd: i32) -> Option<String> {
        if self.netlink_call.is_some_and(|(call_fd, _)| call_fd == fd) {
            return Some("NETLINK".to_owned());
        }
        ProcessFds::new(self.pid).socket_protocol(fd.into())
    }

    fn netlink_protocol(&mut self, fd: i32) -> Option<u8> {
        match self.netlink_call {
            Some((call_fd, protocol)) if call_fd == fd => Some(protocol),
            _ => self.netlink_socket(fd).map(|(protocol, _)| protocol),
        }
    }

    fn netlink_socket(&mut self, fd: i32) -> Option<(u8, u32)> {
        ProcessFds::new(self.pid).netlink_socket(fd.into())
    }

    fn generic_netlink_family(&mut self, id: u16) -> Option<String> {
        saker_ptrace::generic_netlink_family(id)
    }

    fn device(&mut self, fd: i32) -> Option<String> {
        let live = ProcessFds::new(self.pid).device(fd.into());
        self.remembered(fd, live, |names| &mut names.device)
            .or_else(|| device_at(&self.known_path(fd)?))
    }

    fn pidfd_pid(&mut self, fd: i32) -> Option<i32> {
        ProcessFds::new(self.pid)
            .pidfd_pid(fd.into())
            .or_else(|| self.pidfds.get(&(self.pid, fd)).copied())
    }

    fn is_file_at(&mut self, fd: i32, link: &str) -> bool {
        ProcessFds::new(self.pid).is_file_at(fd.into(), link)
    }

    /// A traced process's fd opened within the trace is named as it was opened (as
    /// [`FdInfo::path`]); other processes' fds from /proc.
    fn foreign_path(&mut self, pid: i32, fd: i32) -> Option<String> {
        match self.traced_open(pid, fd) {
            Some(path) => Some(String::from_utf8_lossy(path).into_owned()),
            None => fd_path_of(self.pid, Tracee::Observed, pid, fd),
        }
    }

    fn foreign_device(&mut self, pid: i32, fd: i32) -> Option<String> {
        match self.traced_open(pid, fd) {
            Some(path) => device_at(path),
            None => fd_device_of(self.pid, Tracee::Observed, pid, fd),
        }
    }

    fn pid_in_tracer_ns(&mut self, pid: i32, kind: PidKind) -> Option<i32> {
        pid_in_our_ns(self.pid, Tracee::Observed, pid, kind).or_else(|| self.remembered_pid(pid))
    }

    fn pid_comm(&mut self, pid: i32) -> Option<String> {
        comm_of(pid).or_else(|| self.comms.get(&pid).cloned())
    }
}

/// Whether the decoders will ask about fds or pids under this style (a /proc read each).
fn needs_fd_info(style: &saker_syscalls::Style) -> bool {
    style.fd_decode > 0 || style.pids.comm || style.pids.pidns
}

/// The tracee memory the decoders see: the bytes the capture copied, placed at the addresses
/// the raw arguments point to. Reads anywhere else fail, so those arguments print as
/// addresses.
#[derive(Default)]
struct CopiedMemory {
    regions: Vec<(u64, Vec<u8>)>,
    /// In/out values as the call's entry saw them, served over `regions` while `at_entry`.
    entry: Vec<(u64, Vec<u8>)>,
    /// The decoders' entry phase is running.
    at_entry: bool,
}

impl Memory for CopiedMemory {
    /// Only rt_sigreturn asks; the capture put the restored mask where this frame has it.
    fn stack_pointer(&mut self) -> Option<u64> {
        Some(saker_bpf::SIGRETURN_FRAME)
    }

    /// Copies of one argument can overlap (a string and a buffer at the same address, as
    /// fsconfig's value is either): the region with the most bytes from `addr` serves.
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let from = self
            .regions
            .iter()
            .filter(|(start, bytes)| addr >= *start && addr - start < bytes.len() as u64)
            .map(|(start, bytes)| &bytes[(addr - start) as usize..])
            .max_by_key(|from| from.len());
        let mut n = from.map_or(0, |from| {
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        });
        if self.at_entry {
            // What the call rewrote shows as it was when the call began.
            let end = addr.saturating_add(buf.len() as u64);
            for (start, bytes) in &self.entry {
                let (lo, hi) = (addr.max(*start), end.min(start + bytes.len() as u64));
                if lo >= hi || lo - addr > n as u64 {
                    continue;
                }
                let (at, from) = ((lo - addr) as usize, (lo - start) as usize);
                let len = (hi - lo) as usize;
                buf[at..at + len].copy_from_slice(&bytes[from..from + len]);
                n = n.max(at + len);
            }
        }
        n
    }
}

/// `-P` over one record: the copied memory and the tracee's fds as they are now.
struct RecordView<'a, F: FdInfo> {
    memory: &'a mut CopiedMemory,
    fds: &'a mut F,
}

impl<F: FdInfo> crate::filter::TraceeView for RecordView<'_, F> {
    fn read_at(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        self.memory.read(addr, buf)
    }

    fn fd_path(&mut self, fd: i32) -> Option<String> {
        self.fds.path(fd)
    }

    fn string_at(&mut self, addr: u64) -> Option<Vec<u8>> {
        self.memory.string_at(addr)
    }
}

impl CopiedMemory {
    /// The NUL-terminated string copied at `addr` (without the NUL).
    fn string_at(&self, addr: u64) -> Option<Vec<u8>> {
        let (_, bytes) = self.regions.iter().find(|(start, _)| *start == addr)?;
        Some(bytes.split(|&b| b == 0).next().unwrap_or_default().to_vec())
    }

    /// The `int` copied at `addr`, as the call left it.
    fn int_at(&self, addr: u64) -> Option<i32> {
        let (_, bytes) = self.regions.iter().find(|(start, _)| *start == addr)?;
        Some(i32::from_ne_bytes(bytes.get(..4)?.try_into().ok()?))
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
        self.entry.clear();
        if let SyscallDetail::Memory { regions, .. } = &record.detail {
            for region in regions {
                if region.at_entry {
                    self.entry.push((region.addr, region.bytes.0.clone()));
                } else {
                    self.place(region.addr, &region.bytes.0, false);
                }
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
        self.entry.clear();
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

/// Our own fds that a command we start keeps (not close-on-exec), with their names, and
/// our working directory as `AT_FDCWD`.
fn inherited_fds() -> Vec<(i32, FdNames)> {
    let me = ProcessFds::new(std::process::id() as i32);
    let mut fds = vec![(
        libc::AT_FDCWD,
        FdNames {
            path: me.path(libc::AT_FDCWD.into()),
            ..FdNames::default()
        },
    )];
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return fds;
    };
    for fd in entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
    {
        // SAFETY: F_GETFD only reads the descriptor's flags.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
        if flags < 0 || flags & libc::FD_CLOEXEC != 0 {
            continue;
        }
        let fd_number = i64::from(fd);
        fds.push((
            fd,
            FdNames {
                path: me.path(fd_number),
                socket: me.socket(fd_number),
                device: me.device(fd_number),
            },
        ));
    }
    fds
}

/// The state letter of `/proc/PID/stat` (`T` stopped, `t` tracing stop, ...).
/// Whether an attached process has ended: gone, or a zombie its parent has not reaped yet.
fn process_gone(pid: i32) -> bool {
    matches!(process_state(pid), None | Some('Z' | 'X'))
}

fn process_state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

/// Whether a delivered signal stops the process: SIGSTOP always; SIGTSTP, SIGTTIN and SIGTTOU
/// when neither caught nor ignored (their default action is to stop).
fn stops_the_process(pid: u32, sig: i32) -> bool {
    if sig == libc::SIGSTOP {
        return true;
    }
    if ![libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU].contains(&sig) {
        return false;
    }
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return false;
    };
    let mask = |field: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
            .unwrap_or(0)
    };
    let bit = 1u64 << (sig - 1);
    (mask("SigCgt:") | mask("SigIgn:")) & bit == 0
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
            off_cpu_ns: None,
            detail,
        }
    }

    fn line(exit: &SyscallExit) -> String {
        let mut memory = CopiedMemory::default();
        memory.load(exit);
        let style = saker_syscalls::Style::default();
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
        SyscallDetail::Memory {
            regions: regions
                .iter()
                .map(|(addr, bytes)| saker_event::CopiedMemory {
                    addr: *addr,
                    bytes: Bytes(bytes.to_vec()),
                    at_entry: false,
                })
                .collect(),
            netlink: None,
        }
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
            envp: None,
            old_tid: 1,
            vtid: 1,
            vpid: 1,
            loginuid: u32::MAX,
            tty: None,
            caps: None,
            exe_upper_layer: false,
        };
        let (path, argv) = memory.load_exec(&info);
        let style = saker_syscalls::Style::default();
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
