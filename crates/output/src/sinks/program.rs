//! `program_output`: alerts piped into a shell command, one per line.
//!
//! The pipe is non-blocking and every wait on it is bounded, so a program that never reads
//! costs a bounded backlog and dropped (counted) alerts, never a stuck channel or a slow
//! exit. An alert counts as delivered once the program has read its whole line: the pipe's
//! unread byte count (FIONREAD) tells how far it got. When the program exits, the lines it
//! did not read go to the next one, started again after a backoff that grows while it keeps
//! dying young.

use std::collections::VecDeque;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};

use crate::{EncodedAlert, Ledger, OutputError, Sink};

/// `program_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramSinkOptions {
    /// Run with `sh -c`; alerts arrive on its standard input, one per line.
    pub program: String,
    /// One long-lived process (restarted when it dies) instead of one process per alert.
    pub keep_alive: bool,
    /// How long an alert may wait for a program that is not reading before it is dropped;
    /// also how long a program gets to read what it was given before it is stopped.
    pub timeout: Duration,
}

impl ProgramSinkOptions {
    pub fn new(program: impl Into<String>) -> Self {
        ProgramSinkOptions {
            program: program.into(),
            keep_alive: false,
            timeout: Duration::from_secs(2),
        }
    }
}

/// Bytes of alerts held for a program that does not keep up (beyond the pipe's own 64 KiB).
const BACKLOG_BYTES: usize = 256 * 1024;
/// A program that ran this long before exiting is restarted at once, even if it read
/// nothing.
const HEALTHY_RUN: Duration = Duration::from_secs(10);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// After its input is closed, how long a program that read everything gets to pass it on
/// and exit (`jq ... | curl ...` posting its last batch) before SIGTERM.
const FINISH_GRACE: Duration = Duration::from_secs(2);
/// After SIGTERM, how long before SIGKILL (each sent to the whole process group).
const EXIT_GRACE: Duration = Duration::from_secs(1);

/// The program now running and the lines in its pipe.
struct Running {
    child: Child,
    /// `None` once closed (the program is being stopped).
    stdin: Option<ChildStdin>,
    started: Instant,
    /// Lines it read whole: a program that reads and then exits (`head -n 3`) is working
    /// as designed and is restarted at once; one that dies without reading backs off.
    confirmed: u64,
    /// Lines written (the last one maybe in part) and not yet read whole, oldest first.
    unread: VecDeque<Vec<u8>>,
    unread_bytes: usize,
    /// Bytes of the last line of `unread` not written yet.
    tail_unwritten: usize,
}

impl Running {
    /// Takes off `unread` the lines the program has read whole (the pipe's FIONREAD says how
    /// much it still holds); returns how many. Works after the program exited too, as long
    /// as our end of the pipe is open.
    fn confirm(&mut self) -> u64 {
        let Some(Ok(in_pipe)) = self.stdin.as_ref().map(rustix::io::ioctl_fionread) else {
            return 0;
        };
        let entered = self.unread_bytes - self.tail_unwritten;
        let mut read = entered.saturating_sub(in_pipe as usize);
        let mut confirmed = 0;
        while let Some(front) = self.unread.front() {
            let partly_written = self.unread.len() == 1 && self.tail_unwritten > 0;
            if front.len() > read || partly_written {
                break;
            }
            read -= front.len();
            self.unread_bytes -= front.len();
            self.unread.pop_front();
            confirmed += 1;
        }
        self.confirmed += confirmed;
        confirmed
    }

    /// Stops the program. One that read everything gets EOF and time to finish its work;
    /// one that did not is stopped first, so that what it leaves unread is known (after EOF
    /// it could still read it while exiting).
    fn stop(&mut self, abandoned: bool) -> (u64, String) {
        if self.unread.is_empty() {
            drop(self.stdin.take());
            let grace = if abandoned {
                Duration::ZERO
            } else {
                FINISH_GRACE
            };
            return (0, stop_group(&mut self.child, grace));
        }
        let status = stop_group(&mut self.child, Duration::ZERO);
        let confirmed = self.confirm();
        drop(self.stdin.take());
        (confirmed, status)
    }
}

/// `program_output`: pipes alerts into a shell command.
pub struct ProgramSink {
    options: ProgramSinkOptions,
    running: Option<Running>,
    /// Lines no program has been given yet.
    backlog: VecDeque<Vec<u8>>,
    backlog_bytes: usize,
    /// When the program may be started again, and the backoff that led there.
    restart_at: Option<Instant>,
    backoff: Duration,
    /// The program let an alert wait `timeout` without reading: later alerts do not wait.
    stalled: bool,
}

impl ProgramSink {
    /// With `keep_alive`, starts the program now so a missing shell shows up at start-up.
    pub fn start(options: ProgramSinkOptions) -> Result<Self, OutputError> {
        let mut sink = ProgramSink {
            options,
            running: None,
            backlog: VecDeque::new(),
            backlog_bytes: 0,
            restart_at: None,
            backoff: Duration::ZERO,
            stalled: false,
        };
        if sink.options.keep_alive {
            sink.running = Some(sink.spawn()?);
        }
        Ok(sink)
    }

    fn spawn(&self) -> Result<Running, OutputError> {
        let mut child = Command::new("/bin/sh")
            .arg("-c")
            .arg(&self.options.program)
            .stdin(Stdio::piped())
            // Its own process group: stopped as a whole (a pipeline), and a Ctrl-C meant for
            // Saker's terminal does not kill it before Saker has handed over its alerts.
            .process_group(0)
            .spawn()
            .map_err(|e| self.error(e))?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let nonblocking = rustix::fs::fcntl_getfl(&stdin).and_then(|flags| {
            rustix::fs::fcntl_setfl(&stdin, flags | rustix::fs::OFlags::NONBLOCK)
        });
        if let Err(e) = nonblocking {
            stop_group(&mut child, Duration::ZERO);
            return Err(self.error(e.into()));
        }
        Ok(Running {
            child,
            stdin: Some(stdin),
            started: Instant::now(),
            confirmed: 0,
            unread: VecDeque::new(),
            unread_bytes: 0,
            tail_unwritten: 0,
        })
    }

    fn error(&self, source: io::Error) -> OutputError {
        OutputError::Program {
            program: self.options.program.clone(),
            source,
        }
    }

    /// Counts as delivered the lines the program has read whole since the last call.
    fn confirm(&mut self, ledger: &Ledger) {
        let Some(running) = self.running.as_mut() else {
            return;
        };
        let confirmed = running.confirm();
        if confirmed > 0 {
            self.stalled = false;
        }
        ledger.delivered(confirmed);
    }

    /// Writes what the pipe takes without blocking; notices a program that went away.
    fn pump(&mut self, ledger: &Ledger) {
        let Some(running) = self.running.as_mut() else {
            return;
        };
        let Some(stdin) = running.stdin.as_ref() else {
            return;
        };
        loop {
            if running.tail_unwritten == 0 {
                let Some(line) = self.backlog.pop_front() else {
                    break;
                };
                self.backlog_bytes -= line.len();
                running.tail_unwritten = line.len();
                running.unread_bytes += line.len();
                running.unread.push_back(line);
            }
            let line = running.unread.back().expect("the tail line");
            let start = line.len() - running.tail_unwritten;
            match rustix::io::write(stdin, &line[start..]) {
                Ok(n) => running.tail_unwritten -= n,
                Err(rustix::io::Errno::AGAIN) => break,
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => {
                    // EPIPE: the program closed its input or exited.
                    self.program_gone(ledger);
                    return;
                }
            }
        }
        if let Some(running) = self.running.as_mut()
            && exits_within(running.child.id() as i32, Duration::ZERO)
        {
            self.program_gone(ledger);
        }
    }

    /// The program exited or closed its input: what it did not read goes back to the
    /// backlog for the next one, which starts after the backoff.
    fn program_gone(&mut self, ledger: &Ledger) {
        self.confirm(ledger);
        let Some(mut running) = self.running.take() else {
            return;
        };
        let healthy = running.confirmed > 0 || running.started.elapsed() >= HEALTHY_RUN;
        let status = stop_group(&mut running.child, Duration::ZERO);
        let unread = running.unread.len();
        self.requeue(running);
        ledger.retried(unread as u64);
        self.backoff = if healthy {
            Duration::ZERO
        } else {
            (self.backoff * 2).clamp(FIRST_BACKOFF, MAX_BACKOFF)
        };
        self.restart_at = Some(Instant::now() + self.backoff);
        let message = format!(
            "program output `{}` {status}; {unread} unread alerts go to the next one, started in {:?}",
            self.options.program, self.backoff
        );
        // A program that reads and exits (a batch job) is normal; one that dies young is not.
        if healthy {
            tracing::debug!("{message}");
        } else {
            tracing::warn!("{message}");
        }
    }

    /// Lines a program did not read whole go back to the front of the backlog.
    fn requeue(&mut self, running: Running) {
        for line in running.unread.into_iter().rev() {
            self.backlog_bytes += line.len();
            self.backlog.push_front(line);
        }
    }

    /// Starts the program when none runs and its backoff has passed.
    fn ensure_running(&mut self, ledger: &Ledger) {
        if self.running.is_some() || self.restart_at.is_some_and(|at| Instant::now() < at) {
            return;
        }
        match self.spawn() {
            Ok(running) => {
                self.running = Some(running);
                self.restart_at = None;
            }
            Err(e) => {
                self.backoff = (self.backoff * 2).clamp(FIRST_BACKOFF, MAX_BACKOFF);
                self.restart_at = Some(Instant::now() + self.backoff);
                ledger.failed(0, &e);
            }
        }
    }
}

impl ProgramSink {
    /// Waits until the pipe has room or the program is gone, at most `timeout`, in short
    /// slices that end early when the shutdown deadline passes. True when there is room.
    fn wait_for_room(&mut self, ledger: &Ledger, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        loop {
            self.ensure_running(ledger);
            self.pump(ledger);
            self.confirm(ledger);
            if self.backlog_bytes < BACKLOG_BYTES {
                return true;
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() || ledger.abandoned() {
                return false;
            }
            let slice = left.min(Duration::from_millis(20));
            match self.running.as_ref().and_then(|r| r.stdin.as_ref()) {
                Some(stdin) => poll_writable(stdin, slice),
                None => std::thread::sleep(slice),
            }
        }
    }

    /// Gives the program up to `timeout` to read what it was given, then stops it. Returns
    /// it with the lines it did not read in `unread` (they are requeued or, at shutdown,
    /// counted by the queue).
    fn finish(&mut self, ledger: &Ledger, timeout: Duration) -> Option<Running> {
        let end = Instant::now() + timeout;
        loop {
            self.pump(ledger);
            self.confirm(ledger);
            let running = self.running.as_ref()?;
            let everything_read = running.unread.is_empty() && self.backlog.is_empty();
            let left = end.saturating_duration_since(Instant::now());
            if everything_read || left.is_zero() || ledger.abandoned() {
                break;
            }
            if let Some(stdin) = running.stdin.as_ref() {
                poll_writable(stdin, left.min(Duration::from_millis(20)));
            }
        }
        let mut running = self.running.take()?;
        let (confirmed, _) = running.stop(ledger.abandoned());
        ledger.delivered(confirmed);
        Some(running)
    }

    /// Waits as long as a new alert may wait for room, or not at all when the program is
    /// known to be stalled during a shutdown.
    fn room_timeout(&self, ledger: &Ledger) -> Duration {
        if self.stalled && ledger.closing() {
            Duration::ZERO
        } else if self.stalled {
            // Probe only: the first alert of the stall already waited.
            Duration::from_millis(1)
        } else {
            self.options.timeout
        }
    }

    /// `keep_alive: false`: one program per alert, given its line (without EOF, so that
    /// how much it read can still be measured) until it has read it all or exited.
    fn write_one_shot(&mut self, line: Vec<u8>, ledger: &Ledger) {
        let mut running = match self.spawn() {
            Ok(running) => running,
            Err(e) => return ledger.failed(1, &e),
        };
        running.unread_bytes = line.len();
        running.tail_unwritten = line.len();
        running.unread.push_back(line);
        let pid = running.child.id() as i32;
        // Each program is a new chance: the full timeout, unless shutdown has started after
        // the last one would not read.
        let timeout = if self.stalled && ledger.closing() {
            Duration::ZERO
        } else {
            self.options.timeout
        };
        let end = Instant::now() + timeout;
        loop {
            if let (Some(stdin), Some(line)) = (running.stdin.as_ref(), running.unread.back())
                && running.tail_unwritten > 0
            {
                match rustix::io::write(stdin, &line[line.len() - running.tail_unwritten..]) {
                    Ok(n) => running.tail_unwritten -= n,
                    Err(rustix::io::Errno::AGAIN | rustix::io::Errno::INTR) => {}
                    Err(_) => break,
                }
            }
            running.confirm();
            let done = running.unread.is_empty() || exits_within(pid, Duration::ZERO);
            if done || Instant::now() >= end || ledger.abandoned() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        // Still running with its line unread at the deadline: it does not read.
        self.stalled = !running.unread.is_empty() && !exits_within(pid, Duration::ZERO);
        running.stop(ledger.abandoned());
        if running.unread.is_empty() {
            ledger.delivered(1);
        } else {
            let e = self.error(io::Error::other(
                "the program exited or stopped reading before taking the alert",
            ));
            ledger.failed(1, &e);
        }
    }
}

impl Sink for ProgramSink {
    fn name(&self) -> &str {
        "program"
    }

    fn write(&mut self, alert: &EncodedAlert, ledger: &Ledger) {
        let mut line = Vec::with_capacity(alert.bytes.len() + 1);
        line.extend_from_slice(&alert.bytes);
        line.push(b'\n');
        if !self.options.keep_alive {
            return self.write_one_shot(line, ledger);
        }
        if self.backlog_bytes >= BACKLOG_BYTES {
            let timeout = self.room_timeout(ledger);
            if !self.wait_for_room(ledger, timeout) {
                self.stalled = true;
                let e = self.error(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "the program has not read its input for {:?}",
                        self.options.timeout
                    ),
                ));
                return ledger.failed(1, &e);
            }
        }
        self.backlog_bytes += line.len();
        self.backlog.push_back(line);
        self.ensure_running(ledger);
        self.pump(ledger);
        self.confirm(ledger);
    }

    fn tick(&mut self, ledger: &Ledger) {
        if self.options.keep_alive {
            self.ensure_running(ledger);
        }
        self.pump(ledger);
        self.confirm(ledger);
    }

    fn flush(&mut self, ledger: &Ledger) {
        self.pump(ledger);
        self.confirm(ledger);
    }

    fn reopen(&mut self, ledger: &Ledger) {
        if let Some(old) = self.finish(ledger, self.options.timeout) {
            self.requeue(old);
        }
        if self.options.keep_alive {
            self.restart_at = None;
            self.backoff = Duration::ZERO;
            self.ensure_running(ledger);
            self.pump(ledger);
        }
    }

    fn close(&mut self, ledger: &Ledger) {
        // Give the program what is left; a stalled one gets no time during a shutdown.
        let timeout = self.room_timeout(ledger);
        if self.options.keep_alive && !self.backlog.is_empty() {
            self.ensure_running(ledger);
        }
        if self.running.is_some() {
            let _ = self.finish(ledger, timeout);
        }
        // Lines never read stay unsettled: the queue counts them as dropped at shutdown.
    }
}

impl Drop for ProgramSink {
    fn drop(&mut self) {
        if let Some(mut running) = self.running.take() {
            stop_group(&mut running.child, Duration::ZERO);
        }
    }
}

/// Sleeps until `fd` can be written to, or `timeout` passes.
fn poll_writable(fd: impl AsFd, timeout: Duration) {
    let mut fds = [PollFd::new(&fd, PollFlags::OUT)];
    let timeout = Timespec {
        tv_sec: timeout.as_secs() as i64,
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    let _ = rustix::event::poll(&mut fds, Some(&timeout));
}

/// Reaps the program: waits up to `grace` for it to exit, then SIGTERM to its process
/// group, then SIGKILL. Returns how it ended, for the log.
fn stop_group(child: &mut Child, grace: Duration) -> String {
    let pid = child.id() as i32;
    let signal_group = |signal| {
        // SAFETY: kill(2) on the group this sink created. Its leader is not reaped before
        // the last signal, so the id cannot name another group meanwhile.
        unsafe { libc::kill(-pid, signal) };
    };
    let mut how = "";
    if !exits_within(pid, grace) {
        signal_group(libc::SIGTERM);
        how = " (stopped with SIGTERM)";
        if !exits_within(pid, EXIT_GRACE) {
            signal_group(libc::SIGKILL);
            how = " (killed)";
        }
    }
    // What the leader left behind in its group (a background job) goes with it.
    signal_group(libc::SIGTERM);
    match child.wait() {
        Ok(status) => format!("{status}{how}"),
        Err(e) => format!("could not be waited for ({e}){how}"),
    }
}

/// True once `pid` (a child) has exited, without reaping it, within `within`.
fn exits_within(pid: i32, within: Duration) -> bool {
    let end = Instant::now() + within;
    loop {
        // SAFETY: waitid fills the zeroed siginfo; WNOWAIT leaves the child to be reaped.
        let exited = unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            ) == 0
                && info.si_pid() != 0
        };
        if exited {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
