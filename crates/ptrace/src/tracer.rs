//! The ptrace loop: one `wait4` per stop, one `PTRACE_GET_SYSCALL_INFO` per syscall stop that
//! matters, one restart request. Everything the user sees is produced by the [`Handler`].

use rustc_hash::FxHashMap;
use std::io;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use crate::command::{Command, pointer_array};
use crate::error::TraceError;
use crate::seccomp::SockFilter;
use crate::sys::{self, SyscallInfo};

/// How to trace.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Follow fork, vfork and clone (threads included): `-f`.
    pub follow_forks: bool,
    /// `--seccomp-bpf`: the syscall numbers that stop the tracee. `None` stops on every call.
    pub seccomp_filter: Option<Vec<u32>>,
    /// Collect the tracee's system CPU time at each stop (for `-c` without `-w`).
    pub cpu_time: bool,
    /// Poll for the next stop this long before sleeping in `wait4` ([`DEFAULT_SPIN`] is a good
    /// value). When the tracer and the tracee run on different CPUs, a sleeping tracer costs a
    /// cross-CPU wake-up at every stop; polling briefly (yielding the CPU between polls) avoids
    /// most of them.
    pub spin: Option<Duration>,
    /// Wake up at least this often while waiting, so that [`Handler::before_wait`] can flush
    /// buffered output even when every tracee is blocked for a long time.
    pub wake_interval: Option<Duration>,
    /// `-b execve`: let go of a process when it calls execve (not the spawned command's
    /// first one).
    pub detach_on_exec: bool,
    /// What SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM do to the tracer (`-I`).
    pub fatal_signals: FatalSignals,
}

/// strace's `-I`: what the tracer's fatal signals do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FatalSignals {
    /// Detach from every tracee and end (`-I waiting`, the default).
    #[default]
    Detach,
    /// Left at their default action: the tracer dies at once (`-I anywhere`).
    Default,
    /// Ignored (`-I never`).
    Ignore,
    /// Ignored, and SIGTSTP too (`-I never_tstp`).
    IgnoreWithTstp,
}

/// How to restart a tracee after a syscall stop (see [`Handler::resume_action`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resume {
    /// A signal to deliver (syscall tampering's `signal=`).
    pub signal: i32,
    /// Keep the tracee stopped this long first (`delay_enter=`, `delay_exit=`); other
    /// tracees go on meanwhile.
    pub delay: Option<Duration>,
}

/// How long to poll for the next stop before sleeping, measured on a 2-CPU VM: on an idle
/// machine a sleeping tracer and its tracee end up on CPUs that each go idle at every stop,
/// and waking an idle CPU costs far more than the stop itself. `dd bs=1 count=20000` took
/// 3.8 s traced without polling and 1.1 s with it (both on one CPU: 0.69 s and 0.60 s).
/// 20 µs already caught nearly every stop of a syscall-bound program; a tracee that blocks
/// for longer costs the tracer at most this much CPU per stop.
pub const DEFAULT_SPIN: Duration = Duration::from_micros(50);

/// What to trace.
pub enum Target {
    /// Run a command (already resolved, see [`Command::new`]).
    Spawn(Command),
    /// Attach to running processes (`-p`).
    Attach(Vec<i32>),
    /// Both, as strace does with `-p PID PROG`: the command is started, then the processes
    /// are attached (those that cannot be are reported and skipped).
    SpawnAndAttach(Command, Vec<i32>),
}

/// A stop reported to the [`Handler`].
#[derive(Debug)]
pub enum Stop<'a> {
    /// A traced process is entering a system call.
    SyscallEntry { nr: u64, args: [u64; 6] },
    /// A system call returned. `nr` is set only when the entry was not seen (the process was
    /// attached in the middle of the call).
    SyscallExit {
        nr: Option<u64>,
        ret: i64,
        is_error: bool,
    },
    /// A signal is about to be delivered (it will be).
    Signal { sig: i32, info: &'a libc::siginfo_t },
    /// The process entered group-stop (`--- stopped by SIGSTOP ---`).
    GroupStop { sig: i32 },
    /// The process exited normally.
    Exited { code: i32 },
    /// The process was killed by a signal.
    Killed { sig: i32, core_dumped: bool },
    /// The process (and `threads` threads with `-f`) is now traced: attached with `-p`, or a
    /// new child followed with `-f` (reported at its parent's fork event).
    Attached { threads: usize },
    /// `execve` replaced the process image; `former_pid` differs from the pid when a
    /// non-leader thread called it.
    Exec { former_pid: i32 },
    /// The tracer let go of the process, which keeps running.
    Detached,
    /// A child of the tracer that was never traced ended (a traced program's
    /// `clone(CLONE_PARENT)` child without `-f`): reaped, as strace does.
    UnknownExit,
    /// A process the tracer did not ask for stopped under it (a `clone(CLONE_PTRACE)` child
    /// without `-f`): let go at once, as strace does.
    UnknownDetached,
}

/// Who stopped, and in which circumstances.
#[derive(Debug, Clone, Copy)]
pub struct StopContext {
    pub pid: i32,
    /// The spawned command before its `execve`: the tracer's own start-up calls, which strace
    /// does not print either.
    pub hidden: bool,
    /// How many processes are traced right now (strace adds `[pid N]` when more than one).
    pub tracees: usize,
    /// The process's system CPU time at this stop, when [`Options::cpu_time`] is set.
    pub cpu_time: Option<Duration>,
    /// The stack pointer at a syscall stop (`rt_sigreturn` finds the signal frame there).
    pub stack_pointer: Option<u64>,
    /// For a thread attached with `-p`, until its first syscall stop: the call it was
    /// blocked in when attached (the `restart_syscall` that follows resumes it).
    pub blocked_at_attach: Option<u64>,
    /// The instruction pointer at a syscall stop (`-i`).
    pub instruction_pointer: Option<u64>,
}

/// Receives every stop. The tracee stays stopped while a method runs, so its memory and fds
/// can be read.
pub trait Handler {
    /// Returns, for a [`Stop::SyscallEntry`], whether the exit of that call matters; when it
    /// does not, the exit stop is resumed without being reported (saves one ptrace call).
    fn on_stop(&mut self, ctx: &StopContext, stop: Stop<'_>) -> bool;

    /// Called before the tracer blocks waiting for the next stop: flush output here.
    fn before_wait(&mut self) {}

    /// Called after [`Handler::on_stop`] for a syscall entry or exit: how to restart the
    /// tracee. The handler may also have changed its registers or memory meanwhile
    /// ([`set_syscall_number`], [`set_return_value`], [`ProcessMemory::write`]).
    ///
    /// [`set_syscall_number`]: crate::set_syscall_number
    /// [`set_return_value`]: crate::set_return_value
    /// [`ProcessMemory::write`]: crate::ProcessMemory::write
    fn resume_action(&mut self, _ctx: &StopContext) -> Resume {
        Resume::default()
    }
}

/// How the trace ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The spawned command exited with this code.
    Exited(i32),
    /// The spawned command was killed by this signal.
    Killed(i32),
    /// Every tracee was detached because the tracer got this signal.
    Interrupted(i32),
    /// Attached processes ended or the command's status is unknown.
    Done,
}

#[derive(Debug, Clone, Copy, Default)]
struct Tracee {
    /// Between a syscall entry (or seccomp) stop and its exit stop.
    in_syscall: bool,
    /// The handler wants the exit stop of the current call.
    wants_exit: bool,
    hidden: bool,
    /// Currently in group-stop under PTRACE_LISTEN.
    listening: bool,
    /// Attached with `-p` and not yet past the first stop (PTRACE_INTERRUPT's).
    attaching: bool,
    /// See [`StopContext::blocked_at_attach`].
    blocked_in: Option<u64>,
}

static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

extern "C" fn note_signal(sig: libc::c_int) {
    INTERRUPTED.store(sig, Ordering::Relaxed);
    // A signal that lands after the loop's last look at the flag but before wait4 blocks
    // would be noticed only at the next stop, which may never come (a tracee blocked in a
    // read): a SIGALRM a second later interrupts that wait4.
    // SAFETY: alarm is async-signal-safe.
    unsafe { libc::alarm(1) };
}

/// The signals that make the tracer detach and exit, like strace's.
const FATAL_SIGNALS: [i32; 5] = [
    libc::SIGINT,
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGPIPE,
];

extern "C" fn ignore_signal(_sig: libc::c_int) {}

/// A periodic SIGALRM whose only effect is to interrupt the blocking `wait4`.
fn start_wake_timer(interval: Duration) {
    let tick = libc::timeval {
        tv_sec: interval.as_secs() as libc::time_t,
        tv_usec: interval.subsec_micros() as libc::suseconds_t,
    };
    // SAFETY: installs a handler that does nothing (no SA_RESTART, so wait4 returns EINTR),
    // then arms the process's real-time interval timer.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGALRM, &action, std::ptr::null_mut());
        let timer = libc::itimerval {
            it_interval: tick,
            it_value: tick,
        };
        libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut());
    }
}

fn install_signal_handlers(policy: FatalSignals) {
    let ignore = |sig: i32| {
        // SAFETY: setting a signal's disposition to SIG_IGN.
        unsafe { libc::signal(sig, libc::SIG_IGN) };
    };
    match policy {
        FatalSignals::Detach => {}
        FatalSignals::Default => return,
        FatalSignals::Ignore => return FATAL_SIGNALS.into_iter().for_each(ignore),
        FatalSignals::IgnoreWithTstp => {
            ignore(libc::SIGTSTP);
            return FATAL_SIGNALS.into_iter().for_each(ignore);
        }
    }
    // SAFETY: a handler that does nothing, so that the SIGALRM armed by note_signal only
    // interrupts wait4 (no SA_RESTART).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGALRM, &action, std::ptr::null_mut());
    }
    for sig in FATAL_SIGNALS {
        // SAFETY: the handler only stores into an atomic and arms an alarm; no SA_RESTART so
        // wait4 returns EINTR and the loop notices.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = note_signal as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = 0;
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

/// A running trace.
pub struct Tracer {
    options: Options,
    /// Looked up at every stop: Fx-hashed (pids are the kernel's, not chosen by an
    /// attacker), SipHash was 1% of a pinned trace.
    tracees: FxHashMap<i32, Tracee>,
    seize_options: usize,
    /// The pid of the spawned command.
    child: Option<i32>,
    /// The spawned command after `-b execve` let it go: its end says nothing any more.
    released_child: Option<i32>,
    finish: Finish,
    info: SyscallInfo,
    /// Tracees held stopped until a deadline (`delay_enter=`/`delay_exit=`), with the signal
    /// to restart them with.
    delayed: Vec<(std::time::Instant, i32, i32)>,
}

impl Tracer {
    /// Starts the command or attaches to the pids. With `Attach`, pids that cannot be attached
    /// are reported through `on_attach_error` and skipped; it is an error only when none is.
    pub fn start(
        options: Options,
        target: Target,
        handler: &mut dyn Handler,
        on_attach_error: &mut dyn FnMut(TraceError),
    ) -> Result<Tracer, TraceError> {
        let mut seize_options = libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_TRACEEXEC;
        if options.follow_forks {
            seize_options |=
                libc::PTRACE_O_TRACECLONE | libc::PTRACE_O_TRACEFORK | libc::PTRACE_O_TRACEVFORK;
        }
        if options.seccomp_filter.is_some() {
            seize_options |= libc::PTRACE_O_TRACESECCOMP;
        }
        let mut tracer = Tracer {
            options,
            tracees: FxHashMap::default(),
            seize_options: seize_options as usize,
            child: None,
            released_child: None,
            finish: Finish::Done,
            info: SyscallInfo::default(),
            delayed: Vec::new(),
        };
        match target {
            Target::Spawn(command) => {
                if tracer.options.seccomp_filter.is_some() {
                    tracer.seize_options |= libc::PTRACE_O_EXITKILL as usize;
                }
                tracer.spawn(&command)?;
            }
            Target::SpawnAndAttach(command, pids) => {
                tracer.options.seccomp_filter = None;
                tracer.spawn(&command)?;
                tracer.attach_all(pids, handler, on_attach_error);
            }
            Target::Attach(pids) => {
                tracer.options.seccomp_filter = None;
                crate::command::take_sigchld();
                tracer.attach_all(pids, handler, on_attach_error);
                if tracer.tracees.is_empty() {
                    return Err(TraceError::Sys {
                        call: "attach",
                        source: io::Error::from_raw_os_error(libc::ESRCH),
                    });
                }
            }
        }
        // After the command is started, as strace does: the command inherits the signal
        // dispositions we were given (an ignored SIGINT stays ignored), not ours.
        install_signal_handlers(tracer.options.fatal_signals);
        Ok(tracer)
    }

    fn attach_all(
        &mut self,
        pids: Vec<i32>,
        handler: &mut dyn Handler,
        on_attach_error: &mut dyn FnMut(TraceError),
    ) {
        for pid in pids {
            match self.attach(pid) {
                Ok(threads) => {
                    let ctx = self.context(pid, None);
                    handler.on_stop(&ctx, Stop::Attached { threads });
                }
                Err(err) => on_attach_error(err),
            }
        }
    }

    fn spawn(&mut self, command: &Command) -> Result<(), TraceError> {
        let sigchld_ignored = crate::command::take_sigchld();
        let argv = pointer_array(&command.argv);
        let envp = pointer_array(&command.envp);
        let filter = self
            .options
            .seccomp_filter
            .as_ref()
            .map(|set| crate::seccomp::build_filter(set));
        let program = filter.as_ref().map(|insns| libc::sock_fprog {
            len: insns.len() as u16,
            filter: insns.as_ptr() as *mut libc::sock_filter,
        });
        let exec_error: &[u8] = b"saker trace: exec: ";
        // SAFETY: after fork the child only calls async-signal-safe functions on data
        // prepared before the fork, then execs or _exits.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(TraceError::sys("fork"));
        }
        if pid == 0 {
            unsafe {
                crate::command::restore_sigpipe();
                crate::command::restore_sigchld(sigchld_ignored);
                crate::command::close_std_fds_closed_at_start();
                // Stop until the parent has seized us; strace's startup_child does the same.
                libc::kill(libc::getpid(), libc::SIGSTOP);
                if let Some(program) = &program
                    && (libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                        || libc::prctl(
                            libc::PR_SET_SECCOMP,
                            libc::SECCOMP_MODE_FILTER,
                            program as *const libc::sock_fprog,
                        ) != 0)
                {
                    child_fail(b"saker trace: seccomp filter: ");
                }
                if !command.apply_credentials() {
                    child_fail(b"saker trace: -u: ");
                }
                libc::execve(command.path.as_ptr(), argv.as_ptr(), envp.as_ptr());
                child_fail(exec_error);
            }
        }
        let _ = &filter;
        // Wait for the child's SIGSTOP, seize it, and let it go on (strace.c startup_child).
        loop {
            let mut status = 0;
            // SAFETY: plain wait on our own child.
            let got = unsafe { libc::waitpid(pid, &mut status, libc::WSTOPPED) };
            if got < 0 {
                if io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                    continue;
                }
                return Err(TraceError::sys("wait4"));
            }
            if libc::WIFSTOPPED(status) {
                break;
            }
            return Err(TraceError::Sys {
                call: "start command",
                source: io::Error::other(format!("unexpected wait status {status:#x}")),
            });
        }
        if let Err(source) = sys::request(libc::PTRACE_SEIZE, pid, 0, self.seize_options) {
            // SAFETY: killing our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            return Err(TraceError::Attach { pid, source });
        }
        self.tracees.insert(
            pid,
            Tracee {
                hidden: true,
                ..Tracee::default()
            },
        );
        self.child = Some(pid);
        // SAFETY: continuing our own child.
        unsafe { libc::kill(pid, libc::SIGCONT) };
        Ok(())
    }

    /// Seizes `pid` (and all its threads with -f) and interrupts it so that the loop gets a
    /// first stop from which to resume with PTRACE_SYSCALL.
    fn attach(&mut self, pid: i32) -> Result<usize, TraceError> {
        sys::request(libc::PTRACE_SEIZE, pid, 0, self.seize_options)
            .map_err(|source| TraceError::Attach { pid, source })?;
        sys::request(libc::PTRACE_INTERRUPT, pid, 0, 0)
            .map_err(|source| TraceError::Attach { pid, source })?;
        self.tracees.insert(
            pid,
            Tracee {
                attaching: true,
                ..Tracee::default()
            },
        );
        let mut threads = 1;
        if self.options.follow_forks
            && let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task"))
        {
            for task in tasks.flatten() {
                let Some(tid) = task
                    .file_name()
                    .to_str()
                    .and_then(|name| name.parse::<i32>().ok())
                else {
                    continue;
                };
                if tid == pid || self.tracees.contains_key(&tid) {
                    continue;
                }
                // A thread that exits meanwhile is simply not traced.
                if sys::request(libc::PTRACE_SEIZE, tid, 0, self.seize_options).is_ok() {
                    let _ = sys::request(libc::PTRACE_INTERRUPT, tid, 0, 0);
                    self.tracees.insert(
                        tid,
                        Tracee {
                            attaching: true,
                            ..Tracee::default()
                        },
                    );
                    threads += 1;
                }
            }
        }
        Ok(threads)
    }

    fn context(&self, pid: i32, cpu_time: Option<Duration>) -> StopContext {
        let tracee = self.tracees.get(&pid);
        StopContext {
            pid,
            hidden: tracee.is_some_and(|t| t.hidden),
            tracees: self.tracees.len(),
            cpu_time,
            stack_pointer: None,
            blocked_at_attach: tracee.and_then(|t| t.blocked_in),
            instruction_pointer: None,
        }
    }

    /// Runs until no process is traced any more. Returns how the trace ended.
    pub fn run(mut self, handler: &mut dyn Handler) -> Result<Finish, TraceError> {
        if let Some(interval) = self.options.wake_interval {
            start_wake_timer(interval);
        }
        while !self.tracees.is_empty() {
            let sig = INTERRUPTED.load(Ordering::Relaxed);
            if sig != 0 {
                self.detach_all(handler, sig);
                return Ok(Finish::Interrupted(sig));
            }
            handler.before_wait();
            if !self.delayed.is_empty() {
                match self.wait_while_delayed() {
                    Ok(Some(waited)) => self.handle_waited(handler, waited),
                    Ok(None) => {}
                    Err(err) if err.raw_os_error() == Some(libc::ECHILD) => break,
                    Err(source) => {
                        return Err(TraceError::Sys {
                            call: "wait4",
                            source,
                        });
                    }
                }
                continue;
            }
            let polled = match self.options.spin {
                Some(spin) => self.poll_for_stop(spin),
                None => Ok(None),
            };
            let waited = match polled.and_then(|ready| match ready {
                Some(waited) => Ok(Some(waited)),
                // Signalled while polling: back to the top, where the flag is seen.
                None if INTERRUPTED.load(Ordering::Relaxed) != 0 => Ok(None),
                None => sys::wait_any(-1, 0, self.options.cpu_time),
            }) {
                Ok(Some(waited)) => waited,
                Ok(None) => continue,
                Err(err) if err.raw_os_error() == Some(libc::EINTR) => continue,
                Err(err) if err.raw_os_error() == Some(libc::ECHILD) => break,
                Err(source) => {
                    return Err(TraceError::Sys {
                        call: "wait4",
                        source,
                    });
                }
            };
            self.handle_waited(handler, waited);
        }
        handler.before_wait();
        Ok(self.finish)
    }

    fn handle_waited(&mut self, handler: &mut dyn Handler, waited: sys::Waited) {
        let cpu_time = self.options.cpu_time.then(|| {
            let stime = waited.rusage.ru_stime;
            Duration::new(stime.tv_sec as u64, stime.tv_usec as u32 * 1000)
        });
        self.handle(handler, waited.pid, waited.status, cpu_time);
    }

    /// While some tracees are held stopped: restarts those whose time has come, then polls
    /// for the next stop, sleeping at most a millisecond (or until the next deadline).
    fn wait_while_delayed(&mut self) -> io::Result<Option<sys::Waited>> {
        let now = std::time::Instant::now();
        let (due, waiting): (Vec<_>, Vec<_>) = self
            .delayed
            .drain(..)
            .partition(|(deadline, _, _)| *deadline <= now);
        self.delayed = waiting;
        for (_, pid, sig) in due {
            self.resume(pid, sig);
        }
        if let Some(waited) = sys::wait_any(-1, libc::WNOHANG, self.options.cpu_time)? {
            return Ok(Some(waited));
        }
        let next = self
            .delayed
            .iter()
            .map(|(deadline, _, _)| deadline.saturating_duration_since(now))
            .min()
            .unwrap_or_default();
        std::thread::sleep(next.min(Duration::from_millis(1)));
        Ok(None)
    }

    /// `wait4(WNOHANG)` with `sched_yield` in between, for at most `spin` from the first
    /// `wait4` that found nothing (the clock is read only then: a stop found at once costs
    /// no clock read).
    fn poll_for_stop(&self, spin: Duration) -> io::Result<Option<sys::Waited>> {
        let mut started = None;
        loop {
            if let Some(waited) = sys::wait_any(-1, libc::WNOHANG, self.options.cpu_time)? {
                return Ok(Some(waited));
            }
            let spun = match started {
                None => {
                    started = Some(std::time::Instant::now());
                    false
                }
                Some(at) => at.elapsed() >= spin,
            };
            if spun || INTERRUPTED.load(Ordering::Relaxed) != 0 {
                return Ok(None);
            }
            // SAFETY: no preconditions; lets a tracee on this CPU run.
            unsafe { libc::sched_yield() };
        }
    }

    fn handle(
        &mut self,
        handler: &mut dyn Handler,
        pid: i32,
        status: i32,
        cpu_time: Option<Duration>,
    ) {
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            let stop = if libc::WIFEXITED(status) {
                Stop::Exited {
                    code: libc::WEXITSTATUS(status),
                }
            } else {
                Stop::Killed {
                    sig: libc::WTERMSIG(status),
                    core_dumped: libc::WCOREDUMP(status),
                }
            };
            if self.child == Some(pid) {
                self.finish = match stop {
                    Stop::Exited { code } => Finish::Exited(code),
                    Stop::Killed { sig, .. } => Finish::Killed(sig),
                    _ => Finish::Done,
                };
            }
            let ctx = self.context(pid, cpu_time);
            if self.tracees.contains_key(&pid) {
                handler.on_stop(&ctx, stop);
                self.tracees.remove(&pid);
            } else if self.released_child != Some(pid) {
                handler.on_stop(&ctx, Stop::UnknownExit);
            }
            return;
        }
        if !libc::WIFSTOPPED(status) {
            return;
        }
        // A new child's first stop can come before its parent's fork event.
        let tracee = match self.tracees.get(&pid) {
            Some(tracee) => *tracee,
            None if !self.options.follow_forks => {
                let _ = sys::request(libc::PTRACE_DETACH, pid, 0, 0);
                let ctx = self.context(pid, cpu_time);
                handler.on_stop(&ctx, Stop::UnknownDetached);
                return;
            }
            None => {
                self.tracees.insert(pid, Tracee::default());
                let ctx = self.context(pid, cpu_time);
                handler.on_stop(&ctx, Stop::Attached { threads: 1 });
                Tracee::default()
            }
        };
        let sig = libc::WSTOPSIG(status);
        let event = (status >> 16) as u32;
        if sig == libc::SIGTRAP | 0x80 {
            self.syscall_stop(handler, pid, tracee, cpu_time);
            return;
        }
        match event {
            0 => self.signal_stop(handler, pid, sig, cpu_time),
            e if e == libc::PTRACE_EVENT_FORK as u32
                || e == libc::PTRACE_EVENT_VFORK as u32
                || e == libc::PTRACE_EVENT_CLONE as u32 =>
            {
                if let Ok(child) = sys::event_message(pid) {
                    // Count the child from now on, so the parent's `clone(...) = N` line
                    // already carries the `[pid N]` prefix, whatever the scheduling.
                    let child = child as i32;
                    if let std::collections::hash_map::Entry::Vacant(slot) =
                        self.tracees.entry(child)
                    {
                        slot.insert(Tracee::default());
                        let ctx = self.context(child, None);
                        handler.on_stop(&ctx, Stop::Attached { threads: 1 });
                    }
                }
                self.resume(pid, 0);
            }
            e if e == libc::PTRACE_EVENT_EXEC as u32 => {
                let former = sys::event_message(pid).map(|p| p as i32).unwrap_or(pid);
                if former != pid
                    && let Some(old) = self.tracees.remove(&former)
                {
                    self.tracees.insert(pid, old);
                }
                let first_exec = self.tracees.get(&pid).is_some_and(|t| t.hidden);
                if let Some(t) = self.tracees.get_mut(&pid) {
                    t.hidden = false;
                }
                let ctx = self.context(pid, cpu_time);
                handler.on_stop(&ctx, Stop::Exec { former_pid: former });
                if self.options.detach_on_exec && !first_exec {
                    // Stopped right here, so PTRACE_DETACH applies at once.
                    if sys::request(libc::PTRACE_DETACH, pid, 0, 0).is_ok() {
                        handler.on_stop(&ctx, Stop::Detached);
                    }
                    self.tracees.remove(&pid);
                    // strace: its status is no longer the tracer's (the trace ends with 0).
                    if self.child == Some(pid) {
                        self.child = None;
                        self.released_child = Some(pid);
                    }
                    return;
                }
                self.resume(pid, 0);
            }
            e if e == libc::PTRACE_EVENT_SECCOMP as u32 => {
                self.syscall_stop(handler, pid, tracee, cpu_time);
            }
            e if e == libc::PTRACE_EVENT_STOP as u32 => {
                if matches!(
                    sig,
                    libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
                ) {
                    let ctx = self.context(pid, cpu_time);
                    handler.on_stop(&ctx, Stop::GroupStop { sig });
                    if let Some(t) = self.tracees.get_mut(&pid) {
                        t.listening = true;
                    }
                    let _ = sys::request(libc::PTRACE_LISTEN, pid, 0, 0);
                } else {
                    if let Some(t) = self.tracees.get_mut(&pid) {
                        t.listening = false;
                        if t.attaching {
                            // The interrupt of a thread blocked in a call leaves that call's
                            // number in orig_rax (-1 when it was running in user space).
                            t.attaching = false;
                            t.blocked_in =
                                sys::peek_orig_rax(pid).ok().filter(|nr| (*nr as i64) >= 0);
                        }
                    }
                    self.resume(pid, 0);
                }
            }
            _ => self.resume(pid, 0),
        }
    }

    fn signal_stop(
        &mut self,
        handler: &mut dyn Handler,
        pid: i32,
        sig: i32,
        cpu_time: Option<Duration>,
    ) {
        // SAFETY: siginfo_t is plain data.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        if sys::siginfo(pid, &mut info).is_err() {
            // Not a signal-delivery-stop after all (the tracee vanished): just resume.
            self.resume(pid, 0);
            return;
        }
        let ctx = self.context(pid, cpu_time);
        handler.on_stop(&ctx, Stop::Signal { sig, info: &info });
        self.resume(pid, sig);
    }

    fn syscall_stop(
        &mut self,
        handler: &mut dyn Handler,
        pid: i32,
        tracee: Tracee,
        cpu_time: Option<Duration>,
    ) {
        if tracee.in_syscall && !tracee.wants_exit {
            // The exit of a call nobody asked for: no need to ask the kernel what it was.
            if let Some(t) = self.tracees.get_mut(&pid) {
                t.in_syscall = false;
            }
            self.resume(pid, 0);
            return;
        }
        if sys::syscall_info(pid, &mut self.info).is_err() {
            // The tracee was killed while stopped (SIGKILL): its exit comes next.
            return;
        }
        let info = self.info;
        let mut ctx = self.context(pid, cpu_time);
        ctx.stack_pointer = Some(info.stack_pointer);
        ctx.instruction_pointer = Some(info.instruction_pointer);
        match info.op {
            sys::PTRACE_SYSCALL_INFO_ENTRY | sys::PTRACE_SYSCALL_INFO_SECCOMP => {
                let wants_exit = handler.on_stop(
                    &ctx,
                    Stop::SyscallEntry {
                        nr: info.nr(),
                        args: info.args(),
                    },
                );
                if let Some(t) = self.tracees.get_mut(&pid) {
                    t.in_syscall = true;
                    t.wants_exit = wants_exit;
                    t.blocked_in = None;
                }
            }
            sys::PTRACE_SYSCALL_INFO_EXIT => {
                let nr = if tracee.in_syscall {
                    None
                } else {
                    sys::peek_orig_rax(pid).ok()
                };
                handler.on_stop(
                    &ctx,
                    Stop::SyscallExit {
                        nr,
                        ret: info.rval(),
                        is_error: info.is_error(),
                    },
                );
                if let Some(t) = self.tracees.get_mut(&pid) {
                    t.in_syscall = false;
                    t.wants_exit = false;
                }
            }
            _ => {}
        }
        let action = handler.resume_action(&ctx);
        match action.delay {
            Some(delay) => {
                let deadline = std::time::Instant::now() + delay;
                self.delayed.push((deadline, pid, action.signal));
            }
            None => self.resume(pid, action.signal),
        }
    }

    /// PTRACE_SYSCALL, or PTRACE_CONT under `--seccomp-bpf` outside a call (the filter
    /// decides where the next stop is).
    fn resume(&self, pid: i32, sig: i32) {
        let in_syscall = self.tracees.get(&pid).is_some_and(|t| t.in_syscall);
        let request = if self.options.seccomp_filter.is_some() && !in_syscall {
            libc::PTRACE_CONT
        } else {
            libc::PTRACE_SYSCALL
        };
        // ESRCH: the tracee was killed meanwhile; its exit status comes through wait4.
        let _ = sys::request(request, pid, 0, sig as usize);
    }

    /// strace's cleanup(): the spawned command gets the fatal signal too (as it would from
    /// the terminal), every tracee is detached and left running.
    fn detach_all(&mut self, handler: &mut dyn Handler, sig: i32) {
        if let Some(child) = self.child
            && self.tracees.contains_key(&child)
        {
            // SAFETY: signalling our own child.
            unsafe {
                libc::kill(child, libc::SIGCONT);
                libc::kill(child, sig);
            }
        }
        // Tracees held by a delay are in a ptrace-stop already: an interrupt would bring no
        // new stop to wait for.
        for (_, pid, sig) in std::mem::take(&mut self.delayed) {
            let ctx = self.context(pid, None);
            if sys::request(libc::PTRACE_DETACH, pid, 0, sig as usize).is_ok() {
                handler.on_stop(&ctx, Stop::Detached);
            }
            self.tracees.remove(&pid);
        }
        let pids: Vec<i32> = self.tracees.keys().copied().collect();
        for pid in pids {
            self.detach_one(handler, pid);
        }
        handler.before_wait();
    }

    fn detach_one(&mut self, handler: &mut dyn Handler, pid: i32) {
        let ctx = self.context(pid, None);
        // Running tracees must be brought to a ptrace-stop first; PTRACE_DETACH is only
        // valid there.
        if sys::request(libc::PTRACE_INTERRUPT, pid, 0, 0).is_err() {
            self.tracees.remove(&pid);
            return;
        }
        loop {
            let waited = match sys::wait_any(pid, 0, false) {
                Ok(Some(waited)) => waited,
                Ok(None) => continue,
                Err(err) if err.raw_os_error() == Some(libc::EINTR) => continue,
                Err(_) => break,
            };
            let status = waited.status;
            if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
                self.handle(handler, pid, status, None);
                return;
            }
            if !libc::WIFSTOPPED(status) {
                continue;
            }
            let sig = libc::WSTOPSIG(status);
            let event = (status >> 16) as u32;
            // A pending signal-delivery-stop: hand the signal over with the detach so it is
            // not lost. Group-stops and our interrupt trap carry no signal to deliver.
            let deliver = if event == 0 && sig != (libc::SIGTRAP | 0x80) {
                sig
            } else {
                0
            };
            if sys::request(libc::PTRACE_DETACH, pid, 0, deliver as usize).is_ok() {
                handler.on_stop(&ctx, Stop::Detached);
            }
            break;
        }
        self.tracees.remove(&pid);
    }
}

/// Writes "saker trace: <what>: <strerror(errno)>" and exits 1, from the forked child.
unsafe fn child_fail(what: &[u8]) -> ! {
    unsafe {
        let errno = *libc::__errno_location();
        libc::write(2, what.as_ptr().cast(), what.len());
        let text = libc::strerror(errno);
        libc::write(2, text.cast(), libc::strlen(text));
        libc::write(2, b"\n".as_ptr().cast(), 1);
        libc::_exit(1);
    }
}

#[allow(dead_code)]
fn assert_filter_layout() {
    // `SockFilter` must match the kernel's `struct sock_filter` for the cast in `spawn`.
    const _: () =
        assert!(std::mem::size_of::<SockFilter>() == std::mem::size_of::<libc::sock_filter>());
}
