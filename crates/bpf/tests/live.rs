//! Live tests: load and attach for real, run known syscalls in a child, check the events.
//! They need root, BTF and tracefs; without them they print SKIPPED and return.

use std::collections::BTreeSet;
use std::ffi::CString;
use std::net::TcpListener;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use saker_bpf::{
    BpfError, Capture, CaptureConfig, CounterConfig, DispatchMode, SyscallCounter, Timing,
};
use saker_event::syscall_event::AT_FDCWD;
use saker_event::{Bytes, EventBody, SockAddr, SyscallDetail, SyscallEvent};

fn bpf_available() -> bool {
    match saker_bpf::preflight() {
        Ok(()) => true,
        Err(e) => {
            // Straight to the stderr handle: libtest captures eprintln! of passing tests.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "SKIPPED: {e}");
            false
        }
    }
}

/// A forked child that waits for `go()` before running `body`, so the filter can be set up
/// first. The child only makes raw libc calls (fork in a threaded test binary).
struct Child {
    pid: u32,
    go: Option<OwnedFd>,
}

impl Child {
    fn spawn(body: impl FnOnce()) -> Child {
        let mut fds = [0; 2];
        // SAFETY: pipe fills two fds we then own.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: the child runs only async-signal-safe libc calls prepared by the caller.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let mut b = 0u8;
            // SAFETY: blocking read on our pipe end; then the test body; then _exit.
            unsafe {
                libc::close(fds[1]);
                libc::read(fds[0], (&mut b as *mut u8).cast(), 1);
                libc::close(fds[0]);
            }
            body();
            // SAFETY: leave without running the test harness's atexit handlers.
            unsafe { libc::_exit(0) };
        }
        // SAFETY: fds[0] is ours to close, fds[1] becomes the go handle.
        unsafe { libc::close(fds[0]) };
        Child {
            pid: pid as u32,
            go: Some(unsafe { OwnedFd::from_raw_fd(fds[1]) }),
        }
    }

    fn go(&mut self) {
        if let Some(fd) = self.go.take() {
            // SAFETY: one byte written to our pipe end.
            unsafe { libc::write(fd.as_raw_fd(), b"x".as_ptr().cast(), 1) };
        }
    }

    fn wait(mut self) -> i32 {
        self.go();
        let mut status = 0;
        // SAFETY: waiting for our own child.
        unsafe { libc::waitpid(self.pid as i32, &mut status, 0) };
        status
    }
}

/// Polls until `done` says the wanted events arrived or 5 s passed.
fn collect(capture: &mut Capture, done: impl Fn(&[SyscallEvent]) -> bool) -> Vec<SyscallEvent> {
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && !done(&events) {
        capture
            .poll(Some(Duration::from_millis(50)), |e| events.push(e))
            .expect("poll works");
    }
    events
}

fn syscalls(events: &[SyscallEvent]) -> Vec<(i64, i64, SyscallDetail)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Syscall(s) => Some((s.nr, s.ret, s.detail.clone())),
            _ => None,
        })
        .collect()
}

fn exited(pid: u32) -> impl Fn(&[SyscallEvent]) -> bool {
    move |evs| {
        evs.iter().any(|e| {
            e.header.pid == pid
                && matches!(
                    e.body,
                    EventBody::Exit {
                        process_exited: true,
                        ..
                    }
                )
        })
    }
}

#[test]
fn child_syscalls_are_captured_with_arguments() {
    if !bpf_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("written");
    let missing = dir.path().join("missing");
    let c_file = CString::new(file.to_str().unwrap()).unwrap();
    let c_missing = CString::new(missing.to_str().unwrap()).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let c_true = c"/bin/true";
    let c_nope = c"/nonexistent/saker-no-such-program";
    let argv = [c"true".as_ptr(), c"saker-arg".as_ptr(), std::ptr::null()];
    let envp = [std::ptr::null::<libc::c_char>()];

    let mut child = Child::spawn(|| {
        // SAFETY: raw syscalls on pointers that outlive the child.
        unsafe {
            let fd = libc::open(
                c_file.as_ptr(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_CLOEXEC,
                0o640,
            );
            libc::close(fd);
            libc::open(c_missing.as_ptr(), libc::O_RDONLY);
            let s = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
            let addr = libc::sockaddr_in {
                sin_family: libc::AF_INET as u16,
                sin_port: port.to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes([127, 0, 0, 1]),
                },
                sin_zero: [0; 8],
            };
            libc::connect(
                s,
                (&addr as *const libc::sockaddr_in).cast(),
                size_of_val(&addr) as u32,
            );
            libc::execve(c_nope.as_ptr(), argv.as_ptr(), envp.as_ptr());
            libc::execve(c_true.as_ptr(), argv.as_ptr(), envp.as_ptr());
        }
    });
    let config = CaptureConfig {
        pids: Some(vec![child.pid]),
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    child.go();
    let pid = child.pid;
    let status = child.wait();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "status {status:#x}"
    );
    let events = collect(&mut capture, exited(pid));
    assert!(
        events.iter().all(|e| e.header.pid == pid),
        "only the child: {events:#?}"
    );
    let calls = syscalls(&events);

    let open_flags = (libc::O_WRONLY | libc::O_CREAT | libc::O_CLOEXEC) as u64;
    let opened = calls.iter().find(|(nr, _, d)| {
        *nr == libc::SYS_openat
            && *d
                == SyscallDetail::Open {
                    dirfd: AT_FDCWD,
                    path: Bytes(file.to_str().unwrap().as_bytes().to_vec()),
                    flags: open_flags,
                    mode: 0o640,
                }
    });
    assert!(
        matches!(opened, Some((_, ret, _)) if *ret >= 0),
        "open event: {calls:#?}"
    );
    assert!(
        calls.iter().any(|(nr, ret, d)| *nr == libc::SYS_openat
            && *ret == -i64::from(libc::ENOENT)
            && matches!(d, SyscallDetail::Open { path, .. } if path.0 == missing.to_str().unwrap().as_bytes())),
        "failed open: {calls:#?}"
    );
    assert!(calls.iter().any(|(nr, ret, d)| *nr == libc::SYS_close
        && *ret == 0
        && matches!(d, SyscallDetail::Close { .. })));
    assert!(calls.iter().any(|(_, ret, d)| *ret >= 0
        && *d
            == SyscallDetail::Socket {
                domain: libc::AF_INET,
                kind: libc::SOCK_STREAM,
                protocol: 0
            }));
    let connected = calls
        .iter()
        .find(|(nr, _, _)| *nr == libc::SYS_connect)
        .expect("connect event");
    assert_eq!(connected.1, 0);
    assert!(
        matches!(&connected.2, SyscallDetail::Connect { addr: Some(SockAddr::Inet(a)), .. }
            if a.to_string() == format!("127.0.0.1:{port}")),
        "{connected:?}"
    );
    assert!(calls.iter().any(|(nr, ret, d)| *nr == libc::SYS_execve
        && *ret == -i64::from(libc::ENOENT)
        && *d
            == SyscallDetail::ExecFailed {
                dirfd: AT_FDCWD,
                path: c_nope.to_str().unwrap().into()
            }));

    let exec = events
        .iter()
        .find_map(|e| match &e.body {
            EventBody::Exec(x) => Some((e, x)),
            _ => None,
        })
        .expect("exec event");
    assert_eq!(exec.1.filename, Bytes::from("/bin/true"));
    assert_eq!(
        exec.1.argv,
        vec![Bytes::from("true"), Bytes::from("saker-arg")]
    );
    assert_eq!(exec.1.nr, libc::SYS_execve);
    assert_eq!(exec.0.header.comm, saker_event::Comm::from("true"));
    assert_eq!(exec.0.header.ppid, std::process::id());
    // The new image's capability sets come with the record: root exec'ing a plain binary gets
    // the bounding set as permitted and effective (capabilities(7)).
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let bounding = status
        .lines()
        .find_map(|l| l.strip_prefix("CapBnd:"))
        .map(|v| u64::from_str_radix(v.trim(), 16).unwrap())
        .unwrap();
    let caps = exec.1.caps.expect("exec record carries capabilities");
    assert_eq!((caps.permitted, caps.effective), (bounding, bounding));
    assert!(events.iter().any(|e| matches!(
        e.body,
        EventBody::Exit {
            status: 0,
            process_exited: true
        }
    )));
    // Timestamps are wall-clock and ordered within one CPU's stream.
    let now_ns = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    assert!(
        events
            .iter()
            .all(|e| e.header.ts_ns <= now_ns && e.header.ts_ns > now_ns - 60_000_000_000)
    );
    assert_eq!(capture.drops().unwrap().iter().sum::<u64>(), 0);
    assert_eq!(capture.malformed(), 0);
}

#[test]
fn every_dispatch_mode_loads_and_reports_opens() {
    if !bpf_available() {
        return;
    }
    for mode in [
        DispatchMode::PerSyscallTracepoints,
        DispatchMode::TpBtf,
        DispatchMode::RawTracepoint,
        DispatchMode::RawSyscallsTracepoint,
    ] {
        let timed = mode != DispatchMode::PerSyscallTracepoints;
        let path = format!("/nonexistent/saker-mode-{mode:?}");
        let c_path = CString::new(path.clone()).unwrap();
        let mut child = Child::spawn(|| {
            // SAFETY: open of a prepared C string, getppid.
            unsafe {
                libc::open(c_path.as_ptr(), libc::O_RDONLY);
                libc::getppid();
            }
        });
        let config = CaptureConfig {
            mode,
            timed,
            pids: Some(vec![child.pid]),
            // Syscalls without a decoder are reported with raw arguments only.
            syscalls: BTreeSet::from([libc::SYS_openat, libc::SYS_getppid]),
            ..CaptureConfig::default()
        };
        let mut capture = Capture::start(&config).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        child.go();
        let pid = child.pid;
        child.wait();
        let events = collect(&mut capture, exited(pid));
        let open = events.iter().find_map(|e| match &e.body {
            EventBody::Syscall(s) if s.nr == libc::SYS_openat => Some(s.clone()),
            _ => None,
        });
        let open = open.unwrap_or_else(|| panic!("{mode:?}: no openat in {events:#?}"));
        let getppid = events.iter().find_map(|e| match &e.body {
            EventBody::Syscall(s) if s.nr == libc::SYS_getppid => Some(s.clone()),
            _ => None,
        });
        let getppid = getppid.unwrap_or_else(|| panic!("{mode:?}: no getppid in {events:#?}"));
        assert_eq!(getppid.ret, i64::from(std::process::id()), "{mode:?}");
        assert_eq!(getppid.detail, SyscallDetail::Other);
        assert_eq!(open.ret, -i64::from(libc::ENOENT), "{mode:?}");
        assert!(
            matches!(&open.detail, SyscallDetail::Open { path: p, .. } if p.0 == path.as_bytes())
        );
        assert_eq!(open.duration_ns.is_some(), timed, "{mode:?}: {open:?}");
    }
}

#[test]
fn own_process_is_not_captured() {
    if !bpf_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("opened-by-saker");
    let theirs = dir.path().join("opened-by-child");
    let config = CaptureConfig {
        syscalls: BTreeSet::from([libc::SYS_openat]),
        lifecycle: false,
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    let _ = std::fs::File::open(&ours);
    let status = std::process::Command::new("/bin/cat")
        .arg(&theirs)
        .stderr(std::process::Stdio::null())
        .status();
    assert!(status.is_ok());
    let theirs_b = theirs.to_str().unwrap().as_bytes().to_vec();
    let ours_b = ours.to_str().unwrap().as_bytes().to_vec();
    let opened = |evs: &[SyscallEvent], p: &[u8]| {
        evs.iter().any(|e| {
            matches!(&e.body, EventBody::Syscall(s)
            if matches!(&s.detail, SyscallDetail::Open { path, .. } if path.0 == p))
        })
    };
    let events = collect(&mut capture, |evs| opened(evs, &theirs_b));
    assert!(opened(&events, &theirs_b), "the child's open is captured");
    assert!(!opened(&events, &ours_b), "Saker's own open is not");
    assert!(events.iter().all(|e| e.header.pid != std::process::id()));
}

/// The reader runs around a small ring many times (records wrap at its end; the consumer
/// position is published in batches): every record the kernel queued arrives once, whole and
/// in order.
#[test]
fn a_small_ring_is_read_around_many_times_in_order() {
    if !bpf_available() {
        return;
    }
    const OPENS: usize = 3000;
    let paths: Vec<std::ffi::CString> = (0..OPENS)
        .map(|i| std::ffi::CString::new(format!("/nonexistent/saker-wrap-{i:05}")).unwrap())
        .collect();
    let mut child = Child::spawn(|| {
        for path in &paths {
            // SAFETY: open of a C string prepared before the fork; usleep has no preconditions.
            unsafe {
                libc::open(path.as_ptr(), libc::O_RDONLY);
                libc::usleep(20);
            }
        }
    });
    let config = CaptureConfig {
        pids: Some(vec![child.pid]),
        syscalls: BTreeSet::from([libc::SYS_openat]),
        ring_buffer_bytes: 16 << 10,
        wakeup_bytes: 0,
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    child.go();
    let events = collect(&mut capture, exited(child.pid));
    child.wait();
    let opened: Vec<String> = syscalls(&events)
        .into_iter()
        .filter_map(|(nr, _, detail)| match detail {
            SyscallDetail::Open { path, .. } if nr == libc::SYS_openat => {
                Some(path.to_string_lossy().into_owned())
            }
            _ => None,
        })
        .filter(|p| p.starts_with("/nonexistent/saker-wrap-"))
        .collect();
    let drops: u64 = capture.drops().unwrap().iter().sum();
    let submitted: u64 = capture.submitted().unwrap().iter().sum();
    assert_eq!(
        submitted,
        events.len() as u64,
        "every queued record read once"
    );
    assert_eq!(capture.malformed(), 0);
    assert!(opened.is_sorted(), "records in order across the ring's end");
    assert!(
        opened.len() * 2 >= OPENS,
        "{} of {OPENS} arrived",
        opened.len()
    );
    assert!(
        opened.len() as u64 + drops >= OPENS as u64,
        "{} + {drops}",
        opened.len()
    );
}

#[test]
fn a_full_ring_buffer_counts_drops() {
    if !bpf_available() {
        return;
    }
    let c_path = c"/nonexistent/saker-drop-test";
    let mut child = Child::spawn(|| {
        for _ in 0..2000 {
            // SAFETY: open of a static C string.
            unsafe { libc::open(c_path.as_ptr(), libc::O_RDONLY) };
        }
    });
    let config = CaptureConfig {
        pids: Some(vec![child.pid]),
        syscalls: BTreeSet::from([libc::SYS_openat]),
        ring_buffer_bytes: 4096,
        wakeup_bytes: 0,
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    child.go();
    child.wait(); // nothing is read while the child runs: a 4 KiB buffer must overflow
    let events = capture.next_batch();
    // The read found the ring nearly full (what fits no further record), and asking again
    // starts over.
    let ring = capture.take_ring_use();
    assert_eq!(ring.size_bytes, 4096);
    assert!(
        ring.peak_used_bytes > 2048 && ring.peak_used_bytes <= 4096,
        "{ring:?}"
    );
    assert_eq!(capture.take_ring_use().peak_used_bytes, 0);
    let drops: u64 = capture.drops().unwrap().iter().sum();
    let opens = events
        .iter()
        .filter(|e| matches!(&e.body, EventBody::Syscall(s) if s.nr == libc::SYS_openat))
        .count() as u64;
    assert!(drops > 0, "drops reported");
    assert!(opens < 2000);
    // What was queued is exactly what was read (the buffer was drained, nothing is malformed).
    let submitted: u64 = capture.submitted().unwrap().iter().sum();
    assert_eq!(submitted, events.len() as u64);
    assert_eq!(capture.malformed(), 0);
    // Every open was either delivered or counted as dropped (the exit record may be dropped too).
    assert!(opens + drops >= 2000, "opens {opens} + drops {drops}");
}

#[test]
fn set_interesting_switches_tracepoints() {
    if !bpf_available() {
        return;
    }
    let config = CaptureConfig {
        syscalls: BTreeSet::from([libc::SYS_openat]),
        lifecycle: false,
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    let err = capture.set_interesting(&BTreeSet::from([600])).unwrap_err();
    assert!(matches!(err, BpfError::NoTracepoint { nr: 600 }), "{err}");
    capture
        .set_interesting(&BTreeSet::from([libc::SYS_unlinkat]))
        .expect("switch");
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "x").unwrap();
    // rm starts after the switch: its own openat calls (the loader's, the libraries') must not
    // be reported. Other processes' calls that were on their way when it happened may be.
    let mut rm = std::process::Command::new("/bin/rm")
        .arg(&victim)
        .spawn()
        .unwrap();
    let rm_pid = rm.id();
    assert!(rm.wait().unwrap().success());
    let victim_b = victim.to_str().unwrap().as_bytes().to_vec();
    let hit = |evs: &[SyscallEvent]| {
        evs.iter().any(|e| {
            matches!(&e.body, EventBody::Syscall(s)
            if matches!(&s.detail, SyscallDetail::Unlink { path, .. } if path.0 == victim_b))
        })
    };
    let events = collect(&mut capture, hit);
    assert!(hit(&events), "unlinkat seen after set_interesting");
    assert!(
        events.iter().all(|e| e.header.pid != rm_pid
            || !matches!(&e.body, EventBody::Syscall(s) if s.nr == libc::SYS_openat)),
        "openat no longer reported"
    );
}

extern "C" fn ignore_signal(_: libc::c_int) {}

#[test]
fn counter_counts_calls_and_errors_in_the_kernel() {
    if !bpf_available() {
        return;
    }
    let c_missing = c"/nonexistent/saker-count";
    for timing in Timing::ALL {
        let mut child = Child::spawn(|| {
            for _ in 0..1000 {
                // SAFETY: plain syscalls.
                unsafe { libc::getppid() };
            }
            for _ in 0..3 {
                // SAFETY: open of a static C string.
                unsafe { libc::open(c_missing.as_ptr(), libc::O_RDONLY) };
            }
            // SAFETY: a handler that does nothing; the signal is our own. Its return is
            // rt_sigreturn, whose exit has no syscall number left in orig_ax.
            unsafe {
                libc::signal(
                    libc::SIGUSR1,
                    ignore_signal as *const () as libc::sighandler_t,
                );
                libc::raise(libc::SIGUSR1);
            }
        });
        let config = CounterConfig {
            follow_forks: true,
            timing,
        };
        let counter = SyscallCounter::start_with(&[child.pid], &config).expect("counter starts");
        child.go();
        child.wait();
        let counts = counter.counts().unwrap();
        let get = |nr| counts.get(&nr).copied().unwrap_or_default();
        let getppid = get(libc::SYS_getppid);
        assert_eq!(
            (getppid.calls, getppid.errors),
            (1000, 0),
            "timing={timing:?}"
        );
        assert_eq!(getppid.total_ns > 0, timing != Timing::Untimed);
        let openat = get(libc::SYS_openat);
        assert_eq!((openat.calls, openat.errors), (3, 3), "timing={timing:?}");
        assert_eq!(get(libc::SYS_rt_sigreturn).calls, 1, "timing={timing:?}");
        assert!(!counts.contains_key(&libc::SYS_execve), "{counts:?}");
    }
}

/// System time (`trace -c --ebpf` without `-w`, strace's default): the CPU time spent in the
/// calls, their waits left out, and estimated from a sample past the first 64 calls of a
/// syscall on a CPU. 100 sleeps of 2 ms, after 100 to warm up, count little (strace's own
/// count.test wants `0.0` seconds for `sleep 1`), where wall-clock counting counts them whole;
/// the calls that never block are estimated: some time, less than the child lived.
#[test]
fn system_time_leaves_waits_out_and_wall_clock_counts_them() {
    if !bpf_available() {
        return;
    }
    const WARM_UP: u32 = 100;
    const SLEEPS: u32 = 100;
    const SLEEP_NS: u64 = 2_000_000;
    for timing in [Timing::SystemTime, Timing::WallClock] {
        let mut child = Child::spawn(|| {
            let nap = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            let sleep = libc::timespec {
                tv_sec: 0,
                tv_nsec: SLEEP_NS as i64,
            };
            for i in 0..WARM_UP + SLEEPS {
                let time = if i < WARM_UP { &nap } else { &sleep };
                let no_remainder = std::ptr::null_mut::<libc::timespec>();
                // SAFETY: nanosleep(2) with a timespec we own.
                unsafe { libc::syscall(libc::SYS_nanosleep, time, no_remainder) };
            }
            for _ in 0..10_000 {
                // SAFETY: a plain syscall.
                unsafe { libc::getppid() };
            }
        });
        let config = CounterConfig {
            follow_forks: true,
            timing,
        };
        let counter = SyscallCounter::start_with(&[child.pid], &config).expect("counter starts");
        let started = std::time::Instant::now();
        child.go();
        child.wait();
        let lifetime = started.elapsed().as_nanos() as u64;
        let counts = counter.counts().unwrap();
        let sleeps = counts[&libc::SYS_nanosleep];
        assert_eq!(sleeps.calls, u64::from(WARM_UP + SLEEPS));
        let slept = u64::from(SLEEPS) * SLEEP_NS;
        let wanted = match timing {
            // Entering and leaving a sleep takes microseconds of CPU.
            Timing::SystemTime => 0..slept / 10,
            _ => slept..lifetime,
        };
        assert!(
            wanted.contains(&sleeps.total_ns),
            "{timing:?}: nanosleep {} ns, not in {wanted:?}",
            sleeps.total_ns
        );
        let getppid = counts[&libc::SYS_getppid];
        assert_eq!(getppid.calls, 10_000);
        assert!(
            (1..lifetime).contains(&getppid.total_ns),
            "{timing:?}: getppid {} ns of {lifetime}",
            getppid.total_ns
        );
    }
}

#[test]
fn bad_configuration_is_an_error_not_a_panic() {
    let config = CaptureConfig {
        ring_buffer_bytes: 5000,
        ..CaptureConfig::default()
    };
    assert!(matches!(
        Capture::start(&config),
        Err(BpfError::Config { .. })
    ));
    let config = CaptureConfig {
        timed: true,
        ..CaptureConfig::default()
    };
    assert!(matches!(
        Capture::start(&config),
        Err(BpfError::Config { .. })
    ));
    let config = CaptureConfig {
        syscalls: BTreeSet::from([-1]),
        ..CaptureConfig::default()
    };
    assert!(matches!(
        Capture::start(&config),
        Err(BpfError::NoTracepoint { .. })
    ));
}

/// The open filter: a regular file's open that the table does not keep is not reported, nor is
/// its close; the opens the kernel cannot judge (a directory, a relative or unnormalized path,
/// a path holding "..", a failure) and those the table keeps are, and a kept open that reuses a left-out fd number
/// gets its close reported.
#[test]
fn the_open_filter_leaves_out_unneeded_opens_and_their_closes() {
    use saker_bpf::KeepOpens;
    use saker_bpf::raw::{OPEN_CLASS_ANY, OPEN_CLASS_READ, OPEN_CLASS_WRITE};

    if !bpf_available() {
        return;
    }
    // Not tempfile's default ".tmp" name: the kernel keeps paths with hidden components.
    let dir = tempfile::Builder::new()
        .prefix("saker-open-filter")
        .tempdir()
        .unwrap();
    let base = dir.path().to_str().unwrap().to_string();
    let kept_dir = format!("{base}/kept");
    std::fs::create_dir(&kept_dir).unwrap();
    for name in ["dropped", "kept/file", "a..b"] {
        std::fs::write(format!("{base}/{name}"), "x").unwrap();
    }
    let c = |p: &str| CString::new(p).unwrap();
    let (dropped, kept, unplain) = (
        c(&format!("{base}/dropped")),
        c(&format!("{base}/kept/file")),
        c(&format!("{base}/kept/../dropped")),
    );
    let (c_dir, missing, dots) = (
        c(&base),
        c(&format!("{base}/missing")),
        c(&format!("{base}/a..b")),
    );
    let mut child = Child::spawn(|| {
        // SAFETY: raw syscalls on C strings prepared before the fork.
        unsafe {
            let fd = libc::open(dropped.as_ptr(), libc::O_RDONLY); // left out, fd 3 here
            libc::close(fd); // left out
            let fd = libc::open(kept.as_ptr(), libc::O_RDONLY); // kept: the same fd number
            libc::close(fd); // reported: the kept open cleared the mark
            let fd = libc::open(dropped.as_ptr(), libc::O_WRONLY); // write: every path kept
            libc::close(fd);
            let fd = libc::open(unplain.as_ptr(), libc::O_RDONLY); // not normalized: kept
            libc::close(fd);
            let fd = libc::open(dots.as_ptr(), libc::O_RDONLY); // ".." in a name: kept
            libc::close(fd);
            let fd = libc::open(c_dir.as_ptr(), libc::O_RDONLY); // a directory: kept
            libc::close(fd);
            libc::open(missing.as_ptr(), libc::O_RDONLY); // failed: kept
            libc::chdir(c_dir.as_ptr());
            let fd = libc::open(c"dropped".as_ptr(), libc::O_RDONLY); // relative: kept
            libc::close(fd);
        }
    });
    let config = CaptureConfig {
        pids: Some(vec![child.pid]),
        syscalls: BTreeSet::from([libc::SYS_open, libc::SYS_openat, libc::SYS_close]),
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    let keep = KeepOpens {
        all_paths: OPEN_CLASS_WRITE,
        paths: [(
            format!("{kept_dir}/").into_bytes(),
            OPEN_CLASS_READ | OPEN_CLASS_ANY,
        )]
        .into(),
    };
    capture
        .set_open_filter(Some(&keep))
        .expect("the table loads");
    child.go();
    let events = collect(&mut capture, exited(child.pid));
    child.wait();
    let seen: Vec<String> = syscalls(&events)
        .into_iter()
        .map(|(nr, ret, detail)| match detail {
            SyscallDetail::Open { path, flags, .. } => format!(
                "open {} {} {}",
                path.to_string_lossy().replace(&base, "D"),
                flags & libc::O_ACCMODE as u64,
                if ret < 0 {
                    "fail".to_string()
                } else {
                    "fd".to_string()
                }
            ),
            _ if nr == libc::SYS_close => "close".to_string(),
            other => format!("{nr} {other:?}"),
        })
        .skip_while(|line| line == "close") // the child's go pipe
        .collect();
    assert_eq!(
        seen,
        [
            "open D/kept/file 0 fd",
            "close",
            "open D/dropped 1 fd",
            "close",
            "open D/kept/../dropped 0 fd",
            "close",
            "open D/a..b 0 fd",
            "close",
            "open D 0 fd",
            "close",
            "open D/missing 0 fail",
            "open dropped 0 fd",
            "close",
        ],
        "{seen:#?}"
    );
    let filtered: u64 = capture.filtered().unwrap().iter().sum();
    assert_eq!(filtered, 2, "the open and its close");
    capture.set_open_filter(None).expect("switches off");
}
