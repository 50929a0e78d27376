//! `saker trace --ebpf -c`: the summary counted in the kernel by `saker-bpf`'s syscall
//! counter. The traced program is never stopped; times are wall-clock latencies (as `-w`).

use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use saker_bpf::{CounterConfig, SyscallCounter};
use saker_ptrace::{Command, spawn_stopped};

use crate::Ended;
use crate::options::{Interruptible, SummaryOptions};
use crate::sink::Sink;
use crate::summary::Summary;

static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

extern "C" fn note_signal(sig: libc::c_int) {
    INTERRUPTED.store(sig, Ordering::Relaxed);
}

/// `-I`: what SIGINT, SIGTERM, SIGHUP and SIGQUIT do while tracing with eBPF. With the
/// default (`waiting`) they end the trace; `never` ignores them (and `never_tstp` SIGTSTP too);
/// `anywhere` leaves their default action.
pub(crate) fn catch_fatal_signals(policy: Interruptible) {
    let fatal = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];
    let ignore = |sig: i32| {
        // SAFETY: setting a disposition to SIG_IGN.
        unsafe { libc::signal(sig, libc::SIG_IGN) };
    };
    match policy {
        Interruptible::Anywhere => return,
        Interruptible::Never => return fatal.into_iter().for_each(ignore),
        Interruptible::NeverTstp => {
            ignore(libc::SIGTSTP);
            return fatal.into_iter().for_each(ignore);
        }
        Interruptible::Waiting => {}
    }
    for sig in fatal {
        // SAFETY: the handler only stores into an atomic; no SA_RESTART so waits return EINTR.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = note_signal as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

/// Reaps children of the tracer other than `command`: a traced program's `clone(CLONE_PARENT)`
/// makes its child ours, and strace reaps (and names) such children, or the program could
/// wait forever for them to go. Never touches `command`'s status.
pub(crate) fn reap_unknown_children(command: Option<i32>, quiet_exit: bool) {
    loop {
        // SAFETY: siginfo is plain data; WNOWAIT only peeks.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let peeked = unsafe {
            libc::waitid(
                libc::P_ALL,
                0,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: si_pid is valid for SIGCHLD siginfo from waitid.
        let pid = unsafe { info.si_pid() };
        if peeked != 0 || pid == 0 || Some(pid) == command {
            return;
        }
        let mut status = 0;
        // SAFETY: reaping a child of ours that has exited.
        unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if !quiet_exit {
            eprintln!("saker trace: Exit of unknown pid {pid} ignored");
        }
    }
}

/// The fatal signal the tracer got, or 0.
pub(crate) fn interrupted() -> i32 {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// What to count.
pub enum Counted {
    Spawn(Command),
    Attach(Vec<i32>),
}

/// Counts until the command ends (or every attached process is gone, or the tracer gets a
/// fatal signal), then writes the summary to `sink`.
pub fn count(
    target: Counted,
    config: CounterConfig,
    shown: impl Fn(u64) -> bool,
    how: &SummaryOptions,
    (quiet_attach, quiet_exit): (bool, bool),
    interruptible: Interruptible,
    sink: &mut Sink,
) -> Result<Ended, String> {
    let bpf_error = |err: saker_bpf::BpfError| format!("--ebpf: {err}");
    let (counter, ended) = match target {
        Counted::Spawn(command) => {
            let pid = spawn_stopped(&command).map_err(|e| e.to_string())?;
            let counter = match SyscallCounter::start_with(&[pid as u32], &config) {
                Ok(counter) => counter,
                Err(err) => {
                    // SAFETY: the child we started and stopped.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return Err(bpf_error(err));
                }
            };
            // SAFETY: continuing our own stopped child.
            unsafe { libc::kill(pid, libc::SIGCONT) };
            catch_fatal_signals(interruptible);
            crate::redirect_standard_fds();
            let ended = wait_child(pid, quiet_exit);
            (counter, ended)
        }
        Counted::Attach(pids) => {
            let tgids: Vec<u32> = pids.iter().map(|p| *p as u32).collect();
            for &pid in &pids {
                // SAFETY: signal 0 only checks that the process exists.
                if unsafe { libc::kill(pid, 0) } != 0 {
                    return Err(format!("attach: {pid}: No such process"));
                }
            }
            let counter = SyscallCounter::start_with(&tgids, &config).map_err(bpf_error)?;
            catch_fatal_signals(interruptible);
            if !quiet_attach {
                for pid in &pids {
                    eprintln!("saker trace: Process {pid} attached");
                }
            }
            let ended = loop {
                let sig = INTERRUPTED.load(Ordering::Relaxed);
                if sig != 0 {
                    break Ended::Interrupted(sig);
                }
                // SAFETY: signal 0 only checks existence.
                if pids.iter().all(|pid| unsafe { libc::kill(*pid, 0) } != 0) {
                    break Ended::Done;
                }
                std::thread::sleep(Duration::from_millis(100));
            };
            if !quiet_attach && matches!(ended, Ended::Interrupted(_)) {
                for pid in &pids {
                    eprintln!("saker trace: Process {pid} detached");
                }
            }
            (counter, ended)
        }
    };
    let counts = counter.counts().map_err(bpf_error)?;
    let mut summary = Summary::new(how.overhead);
    for (nr, counts) in counts.into_iter().filter(|(nr, _)| shown(*nr as u64)) {
        summary.add_totals(
            nr as u64,
            counts.calls,
            counts.errors,
            Duration::from_nanos(counts.total_ns),
        );
    }
    sink.buffer(0)
        .extend_from_slice(summary.render(how.sort_by, &how.columns).as_bytes());
    if let Err(message) = sink.finish() {
        eprintln!("saker trace: {message}");
    }
    Ok(ended)
}

/// Waits for the command; other children (`CLONE_PARENT`) are reaped as they end.
fn wait_child(pid: i32, quiet_exit: bool) -> Ended {
    loop {
        let mut status = 0;
        // SAFETY: waiting for our own children.
        let got = unsafe { libc::waitpid(-1, &mut status, 0) };
        if got > 0 && got != pid {
            if !quiet_exit {
                eprintln!("saker trace: Exit of unknown pid {got} ignored");
            }
            continue;
        }
        if got == pid {
            if libc::WIFEXITED(status) {
                return Ended::Exited(libc::WEXITSTATUS(status));
            }
            if libc::WIFSIGNALED(status) {
                return Ended::Killed(libc::WTERMSIG(status));
            }
            continue;
        }
        if got < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            // Ctrl-C reaches the command through the terminal; keep waiting for it.
            continue;
        }
        return Ended::Done;
    }
}
