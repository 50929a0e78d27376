//! Signals for `saker run` and `saker capture`. The handlers only set a flag and write one
//! byte to a self-pipe (both async-signal-safe); the main loop does the work: SIGINT/SIGTERM
//! end the run, SIGHUP reloads, SIGUSR1 reopens the output channels.

use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);
static RELOAD: AtomicBool = AtomicBool::new(false);
static REOPEN: AtomicBool = AtomicBool::new(false);
/// Write end of the self-pipe, -1 until [`install_service`].
static WAKE_WRITE: AtomicI32 = AtomicI32::new(-1);
static WAKE_READ: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(sig: libc::c_int) {
    match sig {
        libc::SIGHUP => RELOAD.store(true, Ordering::SeqCst),
        libc::SIGUSR1 => REOPEN.store(true, Ordering::SeqCst),
        _ => STOP.store(true, Ordering::SeqCst),
    }
    let fd = WAKE_WRITE.load(Ordering::SeqCst);
    if fd >= 0 {
        let byte = 1u8;
        // SAFETY: write(2) is async-signal-safe; the pipe is non-blocking, so a full pipe
        // (many signals before the loop wakes) just loses a byte, not the flag.
        unsafe {
            libc::write(fd, (&raw const byte).cast(), 1);
        }
    }
}

fn handle(sig: libc::c_int) {
    // SAFETY: a zeroed sigaction with a handler that only stores to atomics and writes to a
    // pipe is valid and async-signal-safe. No SA_RESTART: a blocked poll returns EINTR at once.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(sig, &action, std::ptr::null_mut());
    }
}

/// SIGINT and SIGTERM end the run loop at its next wakeup (`saker capture`, one-shot runs).
pub fn install() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        handle(sig);
    }
}

/// The service's signals: SIGINT/SIGTERM, SIGHUP and SIGUSR1, with a self-pipe that
/// [`wait`] sleeps on.
pub fn install_service() -> std::io::Result<()> {
    if WAKE_READ.load(Ordering::SeqCst) < 0 {
        let mut fds = [0 as RawFd; 2];
        // SAFETY: pipe2 fills two fds; both are kept for the life of the process.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        WAKE_READ.store(fds[0], Ordering::SeqCst);
        WAKE_WRITE.store(fds[1], Ordering::SeqCst);
    }
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGUSR1] {
        handle(sig);
    }
    Ok(())
}

pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// True once per SIGHUP (several close together count once).
pub fn take_reload() -> bool {
    RELOAD.swap(false, Ordering::SeqCst)
}

/// True once per SIGUSR1.
pub fn take_reopen() -> bool {
    REOPEN.swap(false, Ordering::SeqCst)
}

/// Sleeps until a signal arrives or `timeout` passes (the loop of a run without capture).
pub fn wait(timeout: Duration) {
    let fd = WAKE_READ.load(Ordering::SeqCst);
    if fd < 0 {
        std::thread::sleep(timeout);
        return;
    }
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: one valid pollfd on the self-pipe's read end, open for the process's life.
    let ready = unsafe { libc::poll(&mut pfd, 1, ms) };
    if ready > 0 {
        let mut buf = [0u8; 64];
        // SAFETY: reads into a local buffer from the non-blocking pipe.
        while unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}
