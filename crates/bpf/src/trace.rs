//! What `saker trace --ebpf` needs: run a command (or watch running processes) and get every
//! syscall of its process tree from the kernel, or count them in the kernel (`-c`).
//!
//! A command is forked stopped on a pipe ([`StoppedCommand`]), its pid goes into the kernel's
//! pid filter (children follow through `sched_process_fork`), and only then is it let go to
//! exec, so no syscall of the new program is missed.
//!
//! ```no_run
//! use std::time::Duration;
//! use saker_bpf::trace::{TraceConfig, Tracer};
//!
//! let argv = ["/bin/true".into()];
//! let (mut tracer, mut command) = Tracer::spawn(&argv, &TraceConfig::default())?;
//! loop {
//!     tracer.poll(Some(Duration::from_millis(50)), 1024, |event| println!("{event:?}"))?;
//!     if let Some(status) = command.try_wait()? {
//!         // Read what is still queued, then stop.
//!         tracer.poll(Some(Duration::ZERO), usize::MAX, |event| println!("{event:?}"))?;
//!         println!("exit status {status}");
//!         break;
//!     }
//! }
//! # Ok::<(), saker_bpf::BpfError>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{CString, OsString};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use saker_event::{EventBody, SyscallEvent};

use crate::capture::{Capture, CaptureConfig, DispatchMode};
use crate::counter::{CounterConfig, SyscallCount, SyscallCounter, Timing};
use crate::error::BpfError;
use crate::raw::MAX_SYSCALLS;

/// What a [`Tracer`] captures.
#[derive(Clone, Debug)]
pub struct TraceConfig {
    /// The syscall numbers to report (`-e trace=`); `None` = all of them.
    pub syscalls: Option<BTreeSet<i64>>,
    /// Measure each syscall's duration (`-T`). Needs a program on every syscall entry.
    pub timed: bool,
    /// With `timed`, also each call's time off the CPU, so that its system time is known
    /// (`-C` without `-w`, strace's time). Adds a program on every context switch.
    pub off_cpu: bool,
    /// Trace children too (`-f`).
    pub follow_forks: bool,
    /// Bytes of read/write data copied per event (`-s`).
    pub snaplen: u32,
    /// Ring buffer size, a power of two of at least 4096.
    pub ring_buffer_bytes: u32,
    /// Report signal deliveries (`--- SIGx {...} ---`).
    pub signals: bool,
}

impl Default for TraceConfig {
    fn default() -> Self {
        TraceConfig {
            syscalls: None,
            timed: false,
            off_cpu: false,
            follow_forks: true,
            snaplen: 256,
            ring_buffer_bytes: 16 << 20,
            signals: true,
        }
    }
}

impl TraceConfig {
    /// The capture configuration: a named syscall set without durations takes the cheapest
    /// path (one tracepoint per syscall); all syscalls or durations need the tp_btf dispatcher.
    fn capture_config(&self, pids: Vec<u32>) -> CaptureConfig {
        let all: BTreeSet<i64> = (0..i64::from(MAX_SYSCALLS)).collect();
        let syscalls = self.syscalls.clone().unwrap_or(all);
        // rt_sigreturn leaves no syscall number for its sys_exit_ tracepoint to fire on;
        // only a dispatcher sees it.
        let mode = if self.syscalls.is_some()
            && !self.timed
            && !syscalls.contains(&libc::SYS_rt_sigreturn)
        {
            DispatchMode::PerSyscallTracepoints
        } else {
            DispatchMode::TpBtf
        };
        CaptureConfig {
            mode,
            syscalls,
            ring_buffer_bytes: self.ring_buffer_bytes,
            pids: Some(pids),
            follow_forks: self.follow_forks,
            snaplen: self.snaplen,
            // A wakeup per record cost more than the record (an open loop ran 5.7x native):
            // the reader wakes once a CPU queued its share of the ring, and otherwise by its
            // poll timeout, which bounds how late a line comes.
            wakeup_bytes: crate::batched_wakeup_bytes(
                self.ring_buffer_bytes,
                crate::possible_cpus(),
            ),
            lifecycle: true,
            timed: self.timed,
            off_cpu: self.off_cpu,
            exclude_self: true,
            tracer_memory: true,
            signals: self.signals,
            kill_checks: false,
        }
    }
}

/// Starts the capture. A syscall this kernel does not implement has no `sys_exit_` tracepoint,
/// yet strace shows its calls failing with ENOSYS: when a named set has one, the capture
/// starts again with the dispatcher, which sees every syscall number.
fn start_capture(mut config: CaptureConfig) -> Result<Capture, BpfError> {
    let capture = Capture::start(&config)?;
    if capture.unavailable_syscalls().is_empty() {
        return Ok(capture);
    }
    drop(capture);
    config.mode = DispatchMode::TpBtf;
    Capture::start(&config)
}

/// Syscall records of a traced process tree, in kernel order per CPU.
#[derive(Debug)]
pub struct Tracer {
    capture: Capture,
    /// Spawned commands that have not exec'd yet: their syscalls are the launcher's
    /// (the end of the wait on the pipe), not the program's, and are left out.
    awaiting_exec: BTreeSet<u32>,
}

impl Tracer {
    /// Runs `argv` (`argv[0]` searched in `PATH`) under capture. Events start with its exec.
    pub fn spawn(
        argv: &[OsString],
        config: &TraceConfig,
    ) -> Result<(Tracer, RunningCommand), BpfError> {
        Tracer::spawn_and_attach(argv, &[], config)
    }

    /// [`Tracer::spawn`], also tracing running processes (strace's `-p PID` with a command):
    /// their capture starts before the command runs.
    pub fn spawn_and_attach(
        argv: &[OsString],
        pids: &[u32],
        config: &TraceConfig,
    ) -> Result<(Tracer, RunningCommand), BpfError> {
        let mut tgids = pids
            .iter()
            .map(|&pid| process_of_thread(pid))
            .collect::<Result<Vec<_>, _>>()?;
        let stopped = StoppedCommand::spawn(argv)?;
        tgids.push(stopped.pid());
        let capture = start_capture(config.capture_config(tgids))?;
        let pid = stopped.pid();
        let running = stopped.release()?;
        let tracer = Tracer {
            capture,
            awaiting_exec: BTreeSet::from([pid]),
        };
        Ok((tracer, running))
    }

    /// Traces running processes (`-p`). Thread ids are accepted and mean their whole process.
    /// A syscall already in progress is reported when it returns (without a duration).
    pub fn attach(pids: &[u32], config: &TraceConfig) -> Result<Tracer, BpfError> {
        let tgids = pids
            .iter()
            .map(|&pid| process_of_thread(pid))
            .collect::<Result<Vec<_>, _>>()?;
        let capture = start_capture(config.capture_config(tgids))?;
        Ok(Tracer {
            capture,
            awaiting_exec: BTreeSet::new(),
        })
    }

    /// Hands at most `max_events` events to `f`, waiting up to `timeout` when none is queued
    /// (see [`Capture::poll_batch`]). Syscalls come as [`EventBody::Syscall`]; a successful
    /// execve as [`EventBody::Exec`] (its syscall record is not sent); exit/exit_group never
    /// return, so they come as [`EventBody::Exit`] only.
    pub fn poll(
        &mut self,
        timeout: Option<Duration>,
        max_events: usize,
        mut f: impl FnMut(SyscallEvent),
    ) -> Result<usize, BpfError> {
        let awaiting = &mut self.awaiting_exec;
        self.capture.poll_batch(timeout, max_events, |event| {
            if awaiting.contains(&event.header.pid) {
                match event.body {
                    EventBody::Exec(_) => {
                        awaiting.remove(&event.header.pid);
                    }
                    EventBody::Syscall(_) => return,
                    _ => {}
                }
            }
            f(event);
        })
    }

    /// The underlying capture (drops, malformed records, pid filter).
    pub fn capture(&mut self) -> &mut Capture {
        &mut self.capture
    }
}

/// Runs `argv` with its syscalls counted in the kernel (`-c`; `config.timing` says how it is timed).
/// Read [`SyscallCounter::counts`] after [`RunningCommand::wait`].
pub fn count_command(
    argv: &[OsString],
    config: &CounterConfig,
) -> Result<(CommandCounter, RunningCommand), BpfError> {
    let stopped = StoppedCommand::spawn(argv)?;
    let counter = SyscallCounter::start_with(&[stopped.pid()], config)?;
    let running = stopped.release()?;
    Ok((
        CommandCounter {
            counter,
            // Untimed counting sees the exit of the launcher's read(2) on the pipe, which was
            // in progress when the pid was added; timed counting skips it (no start time).
            launcher_reads: u64::from(config.timing == Timing::Untimed),
        },
        running,
    ))
}

/// A [`SyscallCounter`] for a command started by [`count_command`].
#[derive(Debug)]
pub struct CommandCounter {
    counter: SyscallCounter,
    launcher_reads: u64,
}

impl CommandCounter {
    /// The command's totals by syscall number, without the launcher's own syscall.
    pub fn counts(&self) -> Result<BTreeMap<i64, SyscallCount>, BpfError> {
        let mut counts = self.counter.counts()?;
        let read = libc::SYS_read;
        if let Some(c) = counts.get_mut(&read) {
            c.calls = c.calls.saturating_sub(self.launcher_reads);
            if c.calls == 0 {
                counts.remove(&read);
            }
        }
        Ok(counts)
    }
}

/// A forked child blocked on a pipe before exec: add [`StoppedCommand::pid`] to a filter, then
/// [`StoppedCommand::release`] it. Dropping it unreleased makes the child exit with 127.
#[derive(Debug)]
pub struct StoppedCommand {
    pid: u32,
    program: String,
    /// `None` once released.
    go: Option<OwnedFd>,
    exec_error: OwnedFd,
}

impl StoppedCommand {
    /// Forks; the child waits for [`StoppedCommand::release`] and then execs `argv`.
    pub fn spawn(argv: &[OsString]) -> Result<StoppedCommand, BpfError> {
        let program = argv
            .first()
            .map(|p| p.to_string_lossy().into_owned())
            .ok_or_else(|| BpfError::Config {
                reason: "no command to run".into(),
            })?;
        let spawn_error = |source| BpfError::Spawn {
            program: program.clone(),
            source,
        };
        let path = find_program(Path::new(&argv[0]))
            .ok_or_else(|| spawn_error(std::io::Error::from_raw_os_error(libc::ENOENT)))?;
        let to_c = |s: &[u8]| {
            CString::new(s).map_err(|_| {
                spawn_error(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "argument contains a NUL byte",
                ))
            })
        };
        // Everything the child touches is prepared before fork: after fork in a threaded
        // process the child may only make async-signal-safe calls.
        let c_path = to_c(path.as_os_str().as_bytes())?;
        let c_args = argv
            .iter()
            .map(|a| to_c(a.as_bytes()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut c_argv: Vec<*const libc::c_char> = c_args.iter().map(|a| a.as_ptr()).collect();
        c_argv.push(std::ptr::null());
        let (go_read, go_write) = cloexec_pipe().map_err(spawn_error)?;
        let (err_read, err_write) = cloexec_pipe().map_err(spawn_error)?;

        // SAFETY: the child below only calls close, read, execv, write and _exit.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            return Err(spawn_error(std::io::Error::last_os_error()));
        }
        if pid == 0 {
            // SAFETY: raw fds owned by this (child) process; pointers prepared above stay valid.
            unsafe {
                libc::close(go_write.as_raw_fd());
                libc::close(err_read.as_raw_fd());
                let mut byte = 0u8;
                let n = libc::read(go_read.as_raw_fd(), (&raw mut byte).cast(), 1);
                if n != 1 {
                    libc::_exit(127);
                }
                libc::execv(c_path.as_ptr(), c_argv.as_ptr());
                let errno = *libc::__errno_location();
                libc::write(
                    err_write.as_raw_fd(),
                    (&raw const errno).cast(),
                    size_of::<i32>(),
                );
                libc::_exit(127);
            }
        }
        drop((go_read, err_write));
        wait_until_asleep(pid as u32);
        Ok(StoppedCommand {
            pid: pid as u32,
            program,
            go: Some(go_write),
            exec_error: err_read,
        })
    }

    /// The child's pid (its thread-group id).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Lets the child exec; waits until the exec happened or failed (its error is returned and
    /// the child reaped).
    pub fn release(mut self) -> Result<RunningCommand, BpfError> {
        let program = self.program.clone();
        let spawn_error = |source| BpfError::Spawn { program, source };
        let Some(go) = self.go.take() else {
            return Err(spawn_error(std::io::Error::other("released twice")));
        };
        // SAFETY: one byte written to our pipe end.
        let written = unsafe { libc::write(go.as_raw_fd(), b"x".as_ptr().cast(), 1) };
        drop(go);
        if written != 1 {
            return Err(spawn_error(std::io::Error::last_os_error()));
        }
        let mut errno = 0i32;
        let n = loop {
            // SAFETY: reading at most 4 bytes into errno from our pipe end.
            let n = unsafe {
                libc::read(
                    self.exec_error.as_raw_fd(),
                    (&raw mut errno).cast(),
                    size_of::<i32>(),
                )
            };
            if n >= 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                break n;
            }
        };
        let running = RunningCommand {
            pid: self.pid,
            status: None,
        };
        if n == 0 {
            return Ok(running);
        }
        // The child did not exec: reap it and report why.
        let mut running = running;
        let _ = running.wait();
        let source = if n == size_of::<i32>() as isize {
            std::io::Error::from_raw_os_error(errno)
        } else {
            std::io::Error::other("the child ended before exec")
        };
        Err(spawn_error(source))
    }
}

impl Drop for StoppedCommand {
    fn drop(&mut self) {
        // Not released: closing `go` makes the child read EOF and exit; reap it.
        if let Some(go) = self.go.take() {
            drop(go);
            let mut status = 0;
            // SAFETY: waiting for our own child, which is about to exit.
            unsafe { libc::waitpid(self.pid as i32, &mut status, 0) };
        }
    }
}

/// A command that has exec'd.
#[derive(Debug)]
pub struct RunningCommand {
    pid: u32,
    status: Option<i32>,
}

impl RunningCommand {
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Waits for the command to end and returns its wait status (as `waitpid` gives it).
    pub fn wait(&mut self) -> Result<i32, BpfError> {
        self.wait_with(0).map(|s| s.unwrap_or_default())
    }

    /// The wait status if the command has ended, without blocking.
    pub fn try_wait(&mut self) -> Result<Option<i32>, BpfError> {
        self.wait_with(libc::WNOHANG)
    }

    fn wait_with(&mut self, flags: i32) -> Result<Option<i32>, BpfError> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        let mut status = 0;
        loop {
            // SAFETY: waiting for our own child.
            let r = unsafe { libc::waitpid(self.pid as i32, &mut status, flags) };
            if r == 0 {
                return Ok(None);
            }
            if r > 0 {
                self.status = Some(status);
                return Ok(Some(status));
            }
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(BpfError::Process {
                    pid: self.pid,
                    reason: format!("waitpid: {err}"),
                });
            }
        }
    }
}

/// Waits (at most a second) until the forked child sleeps in its read of the `go` pipe, the
/// only call it can sleep in. Until then it may still be returning from fork, and a counter
/// started meanwhile would count the launcher's fork return and set_robust_list as the
/// command's (seen on a loaded machine: one clone too many).
fn wait_until_asleep(pid: u32) {
    let stat = format!("/proc/{pid}/stat");
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    while std::time::Instant::now() < deadline {
        match std::fs::read_to_string(&stat).map(|text| process_state(&text)) {
            // Asleep in the read, or ended (release reports why).
            Ok(Some('S' | 'Z' | 'X')) | Err(_) => return,
            _ => std::thread::sleep(Duration::from_micros(50)),
        }
    }
}

/// The state letter of a `/proc/PID/stat` line: the field after the command name, which may
/// itself hold spaces and parentheses.
fn process_state(stat: &str) -> Option<char> {
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

fn cloexec_pipe() -> Result<(OwnedFd, OwnedFd), std::io::Error> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds that we then own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both fds were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// `execvp`'s search, done before fork (the child must not allocate).
fn find_program(program: &Path) -> Option<PathBuf> {
    if program.as_os_str().as_bytes().contains(&b'/') {
        return Some(program.to_path_buf());
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The thread-group id of a thread (`Tgid:` in /proc/TID/status).
fn process_of_thread(tid: u32) -> Result<u32, BpfError> {
    let path = format!("/proc/{tid}/status");
    let status = std::fs::read_to_string(&path).map_err(|e| BpfError::Process {
        pid: tid,
        reason: if e.kind() == std::io::ErrorKind::NotFound {
            "no such process".into()
        } else {
            format!("{path}: {e}")
        },
    })?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| BpfError::Process {
            pid: tid,
            reason: format!("{path} has no Tgid line"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_follows_the_last_parenthesis() {
        assert_eq!(process_state("42 (sh) S 1 42 42 0"), Some('S'));
        assert_eq!(process_state("42 (a) R (b) Z 1 42"), Some('Z'));
        assert_eq!(process_state("42 (sh"), None);
    }
}
