//! Live tests of `saker_bpf::trace` (what `saker trace --ebpf` uses) and of the bounded poll.
//! They need root, BTF and tracefs; without them they print SKIPPED and return.

use std::collections::BTreeSet;
use std::ffi::{CStr, CString, OsString};
use std::time::{Duration, Instant};

use saker_bpf::trace::{StoppedCommand, TraceConfig, Tracer, count_command};
use saker_bpf::{BpfError, Capture, CaptureConfig, CounterConfig, Timing};
use saker_event::{EventBody, SyscallDetail, SyscallEvent, SyscallExit};

fn bpf_available() -> bool {
    match saker_bpf::preflight() {
        Ok(()) => true,
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "SKIPPED: {e}");
            false
        }
    }
}

fn argv(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// An openat of /etc/hostname: the tracer's record carries the path it read at args[1].
fn opens_hostname(s: &SyscallExit) -> bool {
    s.nr == libc::SYS_openat
        && matches!(&s.detail, SyscallDetail::Memory { regions, .. }
            if regions.iter().any(|m| m.addr == s.args[1] && m.bytes.0.starts_with(b"/etc/hostname\0")))
}

/// Reads events until the command has ended and the ring is empty (5 s at most).
fn trace_to_end(args: &[&str], config: &TraceConfig) -> (Vec<SyscallEvent>, i32) {
    let (mut tracer, mut command) = Tracer::spawn(&argv(args), config).expect("tracer starts");
    let pid = command.pid();
    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut status = None;
    while Instant::now() < deadline {
        tracer
            .poll(Some(Duration::from_millis(20)), 256, |e| events.push(e))
            .expect("poll works");
        if status.is_none() {
            status = command.try_wait().expect("waitpid works");
        }
        let process_exited = events.iter().any(|e| {
            e.header.pid == pid
                && matches!(
                    e.body,
                    EventBody::Exit {
                        process_exited: true,
                        ..
                    }
                )
        });
        if status.is_some() && process_exited {
            tracer
                .poll(Some(Duration::ZERO), usize::MAX, |e| events.push(e))
                .expect("poll works");
            break;
        }
    }
    (events, status.expect("the command ended within 5 s"))
}

#[test]
fn a_spawned_command_is_traced_from_its_exec_with_all_syscalls() {
    if !bpf_available() {
        return;
    }
    // dd, not cat: GNU cat copies with copy_file_range when stdout is a file (as under CI's
    // redirected output), and this test wants a plain read/write pair.
    let (events, status) = trace_to_end(
        &["dd", "if=/etc/hostname", "status=none"],
        &TraceConfig::default(),
    );
    assert_eq!(status, 0, "dd if=/etc/hostname succeeds");
    let first = events.first().expect("events were captured");
    match &first.body {
        EventBody::Exec(exec) => {
            assert!(exec.filename.0.ends_with(b"/dd"), "{:?}", exec.filename);
            assert_eq!(exec.argv.len(), 3);
        }
        other => panic!("the first event is the exec, not the launcher's syscalls: {other:?}"),
    }
    let syscalls: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Syscall(s) => Some(s),
            _ => None,
        })
        .collect();
    let nrs: BTreeSet<i64> = syscalls.iter().map(|s| s.nr).collect();
    // Syscalls no rule decodes come too (all-syscalls dispatcher), with raw arguments.
    for nr in [
        libc::SYS_brk,
        libc::SYS_mmap,
        libc::SYS_read,
        libc::SYS_write,
    ] {
        assert!(nrs.contains(&nr), "syscall {nr} missing from {nrs:?}");
    }
    assert!(
        syscalls.iter().any(|s| opens_hostname(s)),
        "the open of /etc/hostname carries its path"
    );
    let write = syscalls
        .iter()
        .find(|s| s.nr == libc::SYS_write)
        .expect("dd writes");
    assert_eq!(write.args[0], 1, "dd writes to stdout");
    assert!(write.ret > 0);
    assert!(
        syscalls.iter().all(|s| s.duration_ns.is_none()),
        "no durations unless timed"
    );
}

#[test]
fn timed_tracing_gives_durations() {
    if !bpf_available() {
        return;
    }
    let config = TraceConfig {
        timed: true,
        ..TraceConfig::default()
    };
    let (events, status) = trace_to_end(&["sleep", "0.05"], &config);
    assert_eq!(status, 0);
    let sleep = events
        .iter()
        .find_map(|e| match &e.body {
            EventBody::Syscall(s) if s.nr == libc::SYS_clock_nanosleep => Some(s),
            _ => None,
        })
        .expect("sleep calls clock_nanosleep");
    let ns = sleep.duration_ns.expect("timed records carry a duration");
    assert!(
        (40_000_000..2_000_000_000).contains(&ns),
        "a 50 ms sleep took {ns} ns"
    );
    assert_eq!(sleep.off_cpu_ns, None, "time off the CPU only when asked");
}

/// The syscalls numbered `nr` among `events`.
fn calls(events: &[SyscallEvent], nr: i64) -> impl Iterator<Item = &SyscallExit> {
    events.iter().filter_map(move |e| match &e.body {
        EventBody::Syscall(s) if s.nr == nr => Some(s),
        _ => None,
    })
}

/// strace -C's system time: a sleep's wait is off the CPU, a read of 64 MiB of zeros is not.
#[test]
fn off_cpu_time_leaves_a_sleeps_wait_out() {
    if !bpf_available() {
        return;
    }
    let config = TraceConfig {
        timed: true,
        off_cpu: true,
        ..TraceConfig::default()
    };
    let (events, status) = trace_to_end(&["sleep", "0.05"], &config);
    assert_eq!(status, 0);
    let sleep = calls(&events, libc::SYS_clock_nanosleep)
        .next()
        .expect("sleep calls clock_nanosleep");
    let (ns, off) = (sleep.duration_ns.unwrap(), sleep.off_cpu_ns.unwrap());
    assert!(
        off >= 40_000_000,
        "a 50 ms sleep was off the CPU {off} of {ns} ns"
    );
    assert!(
        ns - off < 10_000_000,
        "a sleep's system time: {} ns",
        ns - off
    );

    let dd = [
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=64M",
        "count=1",
        "status=none",
    ];
    let (events, status) = trace_to_end(&dd, &config);
    assert_eq!(status, 0);
    let read = calls(&events, libc::SYS_read)
        .find(|read| read.ret == 64 << 20)
        .expect("dd reads 64 MiB in one call");
    let (ns, off) = (read.duration_ns.unwrap(), read.off_cpu_ns.unwrap());
    assert!(
        off < ns && ns - off > 1_000_000,
        "zeroing 64 MiB is system time: {ns} ns, {off} of them off the CPU"
    );
}

#[test]
fn a_named_syscall_set_reports_only_those() {
    if !bpf_available() {
        return;
    }
    let config = TraceConfig {
        syscalls: Some(BTreeSet::from([libc::SYS_openat])),
        ..TraceConfig::default()
    };
    let (events, _) = trace_to_end(&["cat", "/etc/hostname"], &config);
    let nrs: BTreeSet<i64> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Syscall(s) => Some(s.nr),
            _ => None,
        })
        .collect();
    assert_eq!(nrs, BTreeSet::from([libc::SYS_openat]));
}

#[test]
fn a_missing_program_is_a_spawn_error() {
    // Needs no BPF: the exec fails before any capture matters.
    let err = StoppedCommand::spawn(&argv(&["/nonexistent/saker-test"]))
        .and_then(StoppedCommand::release)
        .expect_err("exec of a missing file fails");
    match err {
        BpfError::Spawn { source, .. } => {
            assert_eq!(source.raw_os_error(), Some(libc::ENOENT), "{source}")
        }
        other => panic!("unexpected error {other}"),
    }
    assert!(StoppedCommand::spawn(&argv(&["no-such-program-saker"])).is_err());
    assert!(StoppedCommand::spawn(&[]).is_err());
}

#[test]
fn attaching_to_a_running_process_follows_its_children() {
    if !bpf_available() {
        return;
    }
    let mut child = std::process::Command::new("sh")
        .args([
            "-c",
            "while :; do cat /etc/hostname >/dev/null; sleep 0.02; done",
        ])
        .spawn()
        .expect("sh runs");
    let mut tracer = Tracer::attach(&[child.id()], &TraceConfig::default()).expect("attaches");
    let mut seen = false;
    let deadline = Instant::now() + Duration::from_secs(5);
    while !seen && Instant::now() < deadline {
        tracer
            .poll(Some(Duration::from_millis(20)), 256, |e| {
                if let EventBody::Syscall(s) = &e.body
                    && opens_hostname(s)
                    && e.header.pid != child.id()
                {
                    seen = true;
                }
            })
            .expect("poll works");
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "a child of the attached shell opened /etc/hostname");
    let err = Tracer::attach(&[u32::MAX - 1], &TraceConfig::default()).expect_err("no such pid");
    assert!(err.to_string().contains("no such process"), "{err}");
}

fn count(
    config: &CounterConfig,
    args: &[&str],
) -> std::collections::BTreeMap<i64, saker_bpf::SyscallCount> {
    let (counter, mut command) = count_command(&argv(args), config).expect("counter starts");
    command.wait().expect("command ends");
    counter.counts().expect("counts read")
}

#[test]
fn counting_a_command_matches_its_known_syscalls() {
    if !bpf_available() {
        return;
    }
    let dd = [
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=1",
        "count=5000",
        "status=none",
    ];
    for timing in Timing::ALL {
        let config = CounterConfig {
            follow_forks: true,
            timing,
        };
        let counts = count(&config, &dd);
        let read = counts[&libc::SYS_read];
        let write = counts[&libc::SYS_write];
        // dd's own 5000 reads of /dev/zero, plus the dynamic loader's reads of libraries.
        assert!(
            (5000..5100).contains(&read.calls),
            "timing={timing:?}: {read:?}"
        );
        assert_eq!(write.calls, 5000, "timing={timing:?}");
        assert_eq!(write.errors, 0);
        assert_eq!(
            timing != Timing::Untimed,
            write.total_ns > 0,
            "timing={timing:?}: {write:?}"
        );
        assert_eq!(counts[&libc::SYS_execve].calls, 1, "timing={timing:?}");
    }
    let counts = count(
        &CounterConfig::default(),
        &["dd", "if=/nonexistent/saker", "status=none"],
    );
    assert!(counts[&libc::SYS_openat].errors >= 1, "{counts:?}");
}

#[test]
fn counting_follows_forks_only_when_asked() {
    if !bpf_available() {
        return;
    }
    // The shell forks a child that execs cat: two execs with -f, one without.
    let script = ["sh", "-c", "cat /etc/hostname >/dev/null; exit 0"];
    for (follow_forks, execs) in [(true, 2), (false, 1)] {
        for timing in Timing::ALL {
            let counts = count(
                &CounterConfig {
                    follow_forks,
                    timing,
                },
                &script,
            );
            let got = counts.get(&libc::SYS_execve).map_or(0, |c| c.calls);
            assert_eq!(got, execs, "follow_forks={follow_forks} timing={timing:?}");
        }
    }
}

/// Runs test `name` again, alone, in a mount namespace of its own where `source` is mounted on
/// `target` (`fstype` "tmpfs", or a bind mount when `None`), with `SAKER_TEST_REMOUNTED` set;
/// fails unless it passes there.
fn rerun_with_mount(
    name: &str,
    source: &CStr,
    target: &'static CStr,
    fstype: Option<&'static CStr>,
) {
    use std::os::unix::process::CommandExt;

    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(REMOUNTED, "1");
    let source = source.to_owned();
    let remount = move || {
        let check = |r: libc::c_int| {
            if r == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        };
        let (fstype, flags) = match fstype {
            Some(t) => (t.as_ptr(), 0),
            None => (std::ptr::null(), libc::MS_BIND),
        };
        // SAFETY: unshare and mount with C strings made before the fork: plain syscalls, safe
        // between fork and exec; the new mount namespace is the child's alone.
        unsafe {
            check(libc::unshare(libc::CLONE_NEWNS))?;
            check(libc::mount(
                std::ptr::null(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ))?;
            check(libc::mount(
                source.as_ptr(),
                target.as_ptr(),
                fstype,
                flags,
                std::ptr::null(),
            ))
        }
    };
    // SAFETY: the closure only makes syscalls (see above) between fork and exec.
    unsafe { command.pre_exec(remount) };
    let out = command.output().expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(&format!("test {name} ... ok")),
        "{}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Set in the run of a test that `rerun_with_mount` makes.
const REMOUNTED: &str = "SAKER_TEST_REMOUNTED";

/// A fork is one call, as strace counts it: the parent's return, not the child's first return
/// too (the counter learns a followed child there), however it is timed.
#[test]
fn a_followed_fork_is_counted_once() {
    if !bpf_available() {
        return;
    }
    let script = ["sh", "-c", "for i in 1 2 3 4 5; do /bin/true; done"];
    for timing in Timing::ALL {
        let config = CounterConfig {
            follow_forks: true,
            timing,
        };
        let counts = count(&config, &script);
        let forks: u64 = [
            libc::SYS_fork,
            libc::SYS_vfork,
            libc::SYS_clone,
            libc::SYS_clone3,
        ]
        .iter()
        .filter_map(|nr| counts.get(nr))
        .map(|c| c.calls)
        .sum();
        assert_eq!(forks, 5, "timing={timing:?}: {counts:?}");
        assert_eq!(
            counts[&libc::SYS_execve].calls,
            5 + 1,
            "timing={timing:?}: {counts:?}"
        );
    }
}

/// `dd bs=1 count=300`, counted each way: 300 writes each time.
fn counts_300_writes_each_way() {
    let dd = [
        "dd",
        "if=/dev/zero",
        "of=/dev/null",
        "bs=1",
        "count=300",
        "status=none",
    ];
    for timing in Timing::ALL {
        let config = CounterConfig {
            follow_forks: true,
            timing,
        };
        let counts = count(&config, &dd);
        assert_eq!(counts[&libc::SYS_write].calls, 300, "timing={timing:?}");
    }
}

/// Counting needs no kernel BTF (the counter's loader never reads it): the test runs again
/// where /sys/kernel/btf is an empty tmpfs, as on a kernel built without BTF, and counts there.
#[test]
fn counting_works_without_the_kernel_btf() {
    const NAME: &str = "counting_works_without_the_kernel_btf";
    if std::env::var_os(REMOUNTED).is_some() {
        assert!(!std::path::Path::new("/sys/kernel/btf/vmlinux").exists());
        assert!(saker_bpf::preflight().is_err(), "the capture needs the BTF");
        counts_300_writes_each_way();
        return;
    }
    if !bpf_available() {
        return;
    }
    rerun_with_mount(NAME, c"none", c"/sys/kernel/btf", Some(c"tmpfs"));
}

/// A kernel whose sched_process_exit has no group_dead (before Linux 6.16): the counter takes
/// the leader's exit for the process's, and counts. The test runs again with the tracepoint's
/// format file replaced by 6.1's.
#[test]
fn counting_works_on_a_kernel_without_group_dead() {
    const NAME: &str = "counting_works_on_a_kernel_without_group_dead";
    const FORMAT: &str = "/sys/kernel/tracing/events/sched/sched_process_exit/format";
    if std::env::var_os(REMOUNTED).is_some() {
        counts_300_writes_each_way();
        return;
    }
    if !bpf_available() || !std::path::Path::new(FORMAT).exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let old_format = dir.path().join("format");
    std::fs::write(
        &old_format,
        "name: sched_process_exit\nID: 300\nformat:\n\
         \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\
         \tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n\
         \tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n\
         \tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n\n\
         print fmt: \"comm=%s pid=%d prio=%d\", REC->comm, REC->pid, REC->prio\n",
    )
    .unwrap();
    let source = CString::new(old_format.into_os_string().into_encoded_bytes()).unwrap();
    rerun_with_mount(
        NAME,
        &source,
        c"/sys/kernel/tracing/events/sched/sched_process_exit/format",
        None,
    );
}

#[test]
fn poll_batch_returns_after_max_events_under_a_steady_stream() {
    if !bpf_available() {
        return;
    }
    let mut child = std::process::Command::new("sh")
        .args(["-c", "while :; do cat /etc/hostname >/dev/null; done"])
        .spawn()
        .expect("sh runs");
    let config = CaptureConfig {
        pids: Some(vec![child.id()]),
        wakeup_bytes: 0,
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    let mut batches = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while batches.iter().sum::<usize>() < 200 && Instant::now() < deadline {
        let n = capture
            .poll_batch(Some(Duration::from_millis(50)), 7, |_| {})
            .expect("poll works");
        batches.push(n);
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(batches.iter().sum::<usize>() >= 200, "{batches:?}");
    assert!(batches.iter().all(|&n| n <= 7), "{batches:?}");
    assert!(
        batches.contains(&7),
        "full batches while the loop runs: {batches:?}"
    );
}

/// Lifecycle records no longer force a wakeup (the exec record carries what user space used to
/// read from /proc at once), so below the wakeup threshold they come with the next poll
/// timeout, the way the daemon reads them (it polls every 50 ms).
#[test]
fn lifecycle_records_below_the_wakeup_threshold_arrive_by_the_poll_timeout() {
    if !bpf_available() {
        return;
    }
    let stopped = StoppedCommand::spawn(&argv(&["true"])).expect("fork works");
    let config = CaptureConfig {
        pids: Some(vec![stopped.pid()]),
        // Far more than this test queues: no wakeup ends a poll before its timeout.
        wakeup_bytes: 1 << 20,
        ..CaptureConfig::default()
    };
    let mut capture = Capture::start(&config).expect("capture starts");
    let pid = stopped.pid();
    let mut command = stopped.release().expect("true runs");
    let start = Instant::now();
    let (mut exec_seen, mut exit_seen) = (false, false);
    while !(exec_seen && exit_seen) && start.elapsed() < Duration::from_secs(10) {
        capture
            .poll(Some(Duration::from_millis(100)), |e| match e.body {
                EventBody::Exec(_) if e.header.pid == pid => exec_seen = true,
                EventBody::Exit {
                    process_exited: true,
                    ..
                } if e.header.pid == pid => exit_seen = true,
                _ => {}
            })
            .expect("poll works");
    }
    command.wait().expect("true ends");
    assert!(exec_seen, "the exec record arrived");
    assert!(exit_seen, "the exit record arrived");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "the records took {:?} with 100 ms polls",
        start.elapsed()
    );
}
