//! Decoder conformance: traces `testdata/exercise.c` with a minimal ptrace loop that prints
//! through this crate, traces it again with the machine's strace, and compares the lines
//! after masking what differs between runs (addresses, pids, times, ports).
//!
//! This checks the decoders, not the tracer (`saker trace` has its own golden tests). It
//! needs root-level ptrace, gcc and strace; without them it prints `SKIPPED:` and returns.

use std::ffi::CString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use saker_syscalls::{FdInfo, Memory, SigInfo, Style, XlatStyle};

struct Tracee {
    pid: i32,
    sp: u64,
}

impl Memory for Tracee {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let local = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        let remote = libc::iovec {
            iov_base: addr as *mut libc::c_void,
            iov_len: buf.len(),
        };
        // SAFETY: the local iovec points into `buf`, which outlives the call.
        let n = unsafe { libc::process_vm_readv(self.pid, &local, 1, &remote, 1, 0) };
        n.max(0) as usize
    }
    fn stack_pointer(&mut self) -> Option<u64> {
        Some(self.sp)
    }
}

struct ProcFds(i32);

impl FdInfo for ProcFds {
    fn path(&mut self, fd: i32) -> Option<String> {
        let link = if fd == -100 {
            format!("/proc/{}/cwd", self.0)
        } else {
            format!("/proc/{}/fd/{fd}", self.0)
        };
        std::fs::read_link(link)
            .ok()
            .map(|p| p.to_string_lossy().into_owned())
    }
    fn socket(&mut self, _fd: i32) -> Option<String> {
        None
    }
}

/// Runs `argv` under a one-process ptrace loop and returns strace-formatted lines.
fn mini_trace(argv: &[&str], style: &Style) -> String {
    let args: Vec<CString> = argv.iter().map(|a| CString::new(*a).unwrap()).collect();
    let mut ptrs: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    // SAFETY: plain fork/exec; the child only calls async-signal-safe functions.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        unsafe {
            // The test harness ignores SIGPIPE; strace's child starts with the default.
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            // Like the strace run: all three standard fds on /dev/null, so both see the same
            // (Python's start-up allocates by what its standard streams are).
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            libc::dup2(null, 0);
            libc::dup2(null, 1);
            libc::dup2(null, 2);
            libc::close(null);
            libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0);
            libc::raise(libc::SIGSTOP);
            libc::execv(ptrs[0], ptrs.as_ptr());
            libc::_exit(127);
        }
    }
    let mut status = 0;
    unsafe {
        libc::waitpid(pid, &mut status, 0);
        libc::ptrace(
            libc::PTRACE_SETOPTIONS,
            pid,
            0,
            libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_EXITKILL | libc::PTRACE_O_TRACEEXEC,
        );
        libc::ptrace(libc::PTRACE_SYSCALL, pid, 0, 0);
    }
    let mut out = String::new();
    let mut entry: Option<saker_syscalls::Entry> = None;
    let mut started = false;
    loop {
        unsafe { libc::waitpid(pid, &mut status, 0) };
        if libc::WIFEXITED(status) {
            let _ = writeln!(out, "+++ exited with {} +++", libc::WEXITSTATUS(status));
            break;
        }
        if libc::WIFSIGNALED(status) {
            let sig = saker_syscalls::signal_name(libc::WTERMSIG(status)).unwrap_or("?");
            let _ = writeln!(out, "+++ killed by {sig} +++");
            break;
        }
        let sig = libc::WSTOPSIG(status);
        let mut inject = 0;
        if sig == libc::SIGTRAP | 0x80 {
            let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
            unsafe { libc::ptrace(libc::PTRACE_GETREGS, pid, 0, &mut regs) };
            let mut mem = Tracee { pid, sp: regs.rsp };
            let mut fds = ProcFds(pid);
            match entry.take() {
                None => {
                    let args = [regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9];
                    let e = saker_syscalls::decode_entry(
                        regs.orig_rax,
                        args,
                        &mut mem,
                        &mut fds,
                        style,
                    );
                    if e.nr() == 231 {
                        if started {
                            let _ = writeln!(out, "{:<39} = ?", format!("{})", e.text_so_far()));
                        }
                    } else {
                        entry = Some(e);
                    }
                }
                Some(e) => {
                    let d =
                        saker_syscalls::decode_exit(&e, regs.rax as i64, &mut mem, &mut fds, style);
                    if started {
                        let _ = writeln!(out, "{:<39} = {}", d.call, d.result);
                    }
                }
            }
        } else if status >> 16 == libc::PTRACE_EVENT_EXEC {
            // The execve line itself is left out: strace prints it before the exec.
            started = true;
        } else if sig != libc::SIGSTOP || started {
            let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
            unsafe { libc::ptrace(libc::PTRACE_GETSIGINFO, pid, 0, &mut info) };
            // SAFETY: siginfo_t is plain data of 128 bytes.
            let bytes = unsafe {
                std::slice::from_raw_parts((&info as *const libc::siginfo_t).cast::<u8>(), 128)
            };
            let _ = writeln!(
                out,
                "--- {} ---",
                saker_syscalls::format_signal(&SigInfo::from_bytes(bytes))
            );
            inject = sig;
        }
        unsafe { libc::ptrace(libc::PTRACE_SYSCALL, pid, 0, inject) };
    }
    // The execve line is printed before the exec; the tracer above only starts after it.
    out
}

/// Masks what legitimately differs between two runs of the same program: process and thread
/// ids (recognised by where they stand in a line, and numbered in order of appearance so that
/// `kill(getpid(), ...)` still has to name the process itself), clock readings, addresses,
/// and large volatile numbers.
fn mask_run<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut ids = ProcessIds::default();
    lines
        .map(|l| mask(&ids.label(l)))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Labels the pids and tids of one run `PID1`, `PID2`, ... in order of first appearance.
#[derive(Default)]
struct ProcessIds {
    seen: Vec<String>,
}

impl ProcessIds {
    fn label(&mut self, line: &str) -> String {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for re in pid_positions() {
            for caps in re.captures_iter(line) {
                for m in caps.iter().skip(1).flatten() {
                    spans.push((m.start(), m.end()));
                }
            }
        }
        spans.sort_unstable();
        spans.dedup();
        let mut out = String::with_capacity(line.len());
        let mut at = 0;
        for (start, end) in spans {
            if start < at {
                continue;
            }
            let value = &line[start..end];
            let index = match self.seen.iter().position(|v| v == value) {
                Some(i) => i,
                None => {
                    self.seen.push(value.to_owned());
                    self.seen.len() - 1
                }
            };
            out.push_str(&line[at..start]);
            let _ = write!(out, "PID{}", index + 1);
            at = end;
        }
        out.push_str(&line[at..]);
        out
    }
}

/// Where a decoded line holds a process or thread id: the result of the calls that return
/// one, the leading arguments of the calls that take one, and the struct fields and paths
/// that name one.
fn pid_positions() -> &'static [regex::Regex] {
    static POSITIONS: std::sync::OnceLock<Vec<regex::Regex>> = std::sync::OnceLock::new();
    POSITIONS.get_or_init(|| {
        [
            r"^(?:getpid|gettid|getppid|getpgrp|getpgid|getsid|fork|vfork|clone|clone3|wait4|waitpid|set_tid_address)\(.*\) += (\d+)",
            r"^(?:kill|tkill|wait4|waitpid|getpgid|getsid|setpgid|pidfd_open|prlimit64|sched_[a-z_]+|process_vm_readv|process_vm_writev|get_robust_list|rt_sigqueueinfo|ioprio_[a-z]+)\((\d+)",
            r"^(?:tgkill|rt_tgsigqueueinfo|kcmp)\((\d+), (\d+)",
            r"^waitid\(P_PIDF?D?, (\d+)",
            r"\b(?:si_pid|pid|l_pid)=(\d+)",
            r"\b(?:parent_tid|child_tid)=\[(\d+)\]",
            r"/proc/(\d+)(?:/|\b)",
        ]
        .iter()
        .map(|p| regex::Regex::new(p).expect("pid position pattern"))
        .collect()
    })
}

/// Masks what legitimately differs between two runs in one line.
fn mask(line: &str) -> String {
    // Column padding before " = " depends on the length of masked addresses: collapse it.
    let mut out = String::with_capacity(line.len());
    for c in mask_inner(line, true).chars() {
        if !(c == ' ' && out.ends_with("  ")) {
            out.push(c);
        }
    }
    out.replace("  =", " =").replace("  =", " =")
}

fn mask_inner(line: &str, volatile_ids: bool) -> String {
    // Whether pthread_join waits on a futex depends on timing: leave futex out entirely.
    if line.starts_with("futex(") {
        return String::new();
    }
    // A new thread may already have cleared its tid when the parent's clone3 returns.
    let owned;
    let line = match line.find("=> {parent_tid=[") {
        Some(at) => {
            let end = line[at..].find(']').map_or(line.len(), |e| at + e);
            owned = format!("{}=> {{parent_tid=?{}", &line[..at], &line[end + 1..]);
            owned.as_str()
        }
        None => line,
    };
    let volatile = [
        "sysinfo(",
        "getrusage(",
        "times(",
        "getrandom(",
        "set_tid_address(",
        "pselect6(",
        "execve(",
        "syscall_0x3e8(",
    ];
    if let Some(v) = volatile.iter().find(|v| line.starts_with(**v)) {
        return format!("{v}...");
    }
    // SysV IPC ids are global counters; waitid leaves si_utime/si_stime unset (stack data).
    if volatile_ids
        && ["shm", "sem", "msg", "waitid("]
            .iter()
            .any(|p| line.starts_with(p))
    {
        let cut = line.find("si_utime").unwrap_or(line.len());
        let mut out = String::new();
        for c in mask_inner(&line[..cut], false).chars() {
            if !(c.is_ascii_digit() && out.ends_with('N')) {
                out.push(if c.is_ascii_digit() { 'N' } else { c });
            }
        }
        return out;
    }
    // Clock readings depend on when the run happens; CLOCK_BOOTTIME and CLOCK_MONOTONIC are
    // small numbers on a machine that booted minutes ago.
    if ["clock_gettime(", "gettimeofday(", "time("]
        .iter()
        .any(|p| line.starts_with(p))
    {
        return clock_fields().replace_all(line, "${1}=N").into_owned();
    }
    // Pseudo-terminal numbers depend on what else runs.
    if line.contains("TIOCGPTN") || line.contains("\"/dev/pts/") {
        return String::from("(pty)");
    }
    // Link counts of /proc and dd's timing report change from run to run.
    if line.contains("\"/proc\"") || line.contains(" bytes (") {
        return String::from("(volatile)");
    }
    // Times of day in strace's date comments differ between the two runs.
    let mut owned_times = String::new();
    let line = match line.find(" /* ") {
        Some(_) if line.contains("T") && line.contains("+0000 */") => {
            let mut rest = line;
            while let Some(at) = rest.find("+0000 */") {
                let start = rest[..at].rfind("/* ").unwrap_or(at);
                owned_times.push_str(&rest[..start]);
                owned_times.push_str("/* TIME */");
                rest = &rest[at + "+0000 */".len()..];
            }
            owned_times.push_str(rest);
            owned_times.as_str()
        }
        _ => line,
    };
    let mut out = String::with_capacity(line.len());
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"0x") && i + 2 < b.len() && b[i + 2].is_ascii_hexdigit() {
            let mut j = i + 2;
            while j < b.len() && b[j].is_ascii_hexdigit() {
                j += 1;
            }
            out.push_str("0xADDR");
            i = j;
        } else if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j - i >= 4 {
                out.push('N');
            } else {
                out.push_str(&line[i..j]);
            }
            i = j;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

fn clock_fields() -> &'static regex::Regex {
    static FIELDS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        regex::Regex::new(r"\b(tv_sec|tv_nsec|tv_usec)=\d+").expect("clock pattern")
    })
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn build_exercise(dir: &Path, source: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(source);
    let bin = dir.join("exercise");
    let st = Command::new("gcc")
        .args(["-O0", "-w", "-o"])
        .arg(&bin)
        .arg(&src)
        .status()
        .unwrap();
    assert!(st.success(), "gcc failed");
    bin
}

#[test]
fn decoders_match_strace() {
    compare("exercise.c", &Style::default(), &[]);
    compare("exercise2.c", &Style::default(), &[]);
}

/// What strace 6.1's own test suite taught (issue 13): int arguments cut to 32 bits, uids,
/// unreadable memory, and `-X raw|verbose` constants.
#[test]
fn decoders_match_strace_on_suite_causes() {
    compare("suite_causes.c", &Style::default(), &[]);
    for (xlat, flag) in [(XlatStyle::Raw, "-Xraw"), (XlatStyle::Verbose, "-Xverbose")] {
        let style = Style {
            xlat,
            ..Style::default()
        };
        compare("suite_causes.c", &style, &[flag]);
    }
}

/// `-v -x -y -s 8` change most formats: structs in full, hex strings, fd paths, cut strings.
#[test]
fn decoders_match_strace_verbose_hex_fds() {
    let style = Style {
        string_limit: 8,
        hex: 1,
        verbose: true,
        fd_decode: 1,
        ..Style::default()
    };
    compare("exercise.c", &style, &["-v", "-x", "-y", "-s", "8"]);
    compare("exercise2.c", &style, &["-v", "-x", "-y", "-s", "8"]);
}

/// Known gaps with -v: strace disassembles eBPF and classic BPF programs and decodes the
/// bpf info struct.
const VERBOSE_GAPS: [&str; 4] = [
    "bpf(BPF_PROG_LOAD",
    "bpf(BPF_OBJ_GET_INFO_BY_FD",
    "seccomp(SECCOMP_SET_MODE_FILTER",
    "prctl(PR_SET_SECCOMP",
];

fn is_known_gap(line: &str, strace_flags: &[&str]) -> bool {
    strace_flags.contains(&"-v") && VERBOSE_GAPS.iter().any(|g| line.starts_with(g))
}

/// Common tools, single process: `ls -la`, `cat`, `id`, `df`... (whatever exists here).
#[test]
fn decoders_match_strace_on_tools() {
    if !have("strace") {
        eprintln!("SKIPPED: decoders_match_strace_on_tools needs strace");
        return;
    }
    // A file of this run's own: another run may touch and remove its own meanwhile.
    let touched = std::env::temp_dir().join(format!("saker-syscalls-touch-{}", std::process::id()));
    let touched = touched.to_str().unwrap();
    let tools: &[&[&str]] = &[
        // Not `ls -la /`: other tests create directories in /tmp meanwhile, and /tmp's link
        // count (a small number, left unmasked) would differ between the two runs.
        &["/bin/ls", "-la", "/usr"],
        &["/bin/cat", "/etc/hostname"],
        &["/usr/bin/id"],
        &["/bin/df", "/"],
        &["/usr/bin/stat", "/etc/passwd"],
        &[
            "/bin/dd",
            "if=/dev/zero",
            "of=/dev/null",
            "bs=1k",
            "count=3",
        ],
        &["/bin/sh", "-c", "echo hi; cd /tmp; exit 3"],
        &["/usr/bin/find", "/usr/share/doc/strace", "-maxdepth", "1"],
        &["/bin/sleep", "0.01"],
        // Python is left out for now: in whole-workspace CI runs (not when this test runs
        // alone) its arena mmap lands a few lines apart under strace and under this tracer,
        // with a fixed hash seed, /usr instead of / and /dev/null on all standard fds; the
        // cause is not found yet (see the round note of 2026-12-07).
        &["/bin/ls", "-laR", "/etc/ssl"],
        &["/bin/ls", "-laR", "/etc/ssl"],
        &["/usr/bin/env", "-i", "/usr/bin/uname", "-a"],
        &[
            "/bin/tar",
            "-cf",
            "/dev/null",
            "/etc/ssl/certs/ca-certificates.crt",
        ],
        &["/bin/gzip", "-c", "/etc/services"],
        &["/usr/bin/sort", "/etc/passwd"],
        &["/usr/bin/touch", "-d", "2020-01-01", touched],
    ];
    let mut failures = String::new();
    for argv in tools {
        if !Path::new(argv[0]).exists() {
            continue;
        }
        for (style, flags) in [
            (Style::default(), &[][..]),
            (
                Style {
                    string_limit: 16,
                    hex: 0,
                    verbose: true,
                    fd_decode: 1,
                    ..Style::default()
                },
                &["-v", "-y", "-s", "16"][..],
            ),
        ] {
            if let Err(report) = compare_command(argv, &style, flags) {
                let _ = writeln!(
                    failures,
                    "{} {}:\n{report}",
                    argv.join(" "),
                    flags.join(" ")
                );
            }
        }
    }
    let _ = std::fs::remove_file(touched);
    assert!(
        failures.is_empty(),
        "decoders differ from strace 6.1:\n{failures}"
    );
}

/// Traces `argv` both ways; returns the differing lines.
fn compare_command(argv: &[&str], style: &Style, strace_flags: &[&str]) -> Result<(), String> {
    let tmp = std::env::temp_dir().join(format!("saker-syscalls-cmd-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let ours = mini_trace(argv, style);
    let strace_out = tmp.join("strace.txt");
    let _ = Command::new("strace")
        .args(strace_flags)
        .arg("-o")
        .arg(&strace_out)
        .args(argv)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    let theirs = std::fs::read_to_string(&strace_out).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
    let theirs = mask_run(theirs.lines().filter(|l| !l.starts_with("execve(")));
    let ours = mask_run(
        ours.lines()
            .filter(|l| !l.starts_with("execve("))
            .filter(|l| !is_known_gap(l, strace_flags)),
    );
    eprintln!("{}: {} lines compared", argv.join(" "), theirs.len());
    assert!(
        theirs.len() > 10,
        "strace printed almost nothing for {argv:?}"
    );
    diff(&ours, &theirs)
}

fn diff(ours: &[String], theirs: &[String]) -> Result<(), String> {
    if ours == theirs {
        return Ok(());
    }
    let mut report = String::new();
    for (i, (a, b)) in ours.iter().zip(theirs.iter()).enumerate() {
        if a != b && report.lines().count() < 90 {
            let _ = writeln!(report, "line {}:\n  saker:  {a}\n  strace: {b}", i + 1);
        }
    }
    if ours.len() != theirs.len() {
        let _ = writeln!(
            report,
            "line counts differ: saker {} strace {}",
            ours.len(),
            theirs.len()
        );
    }
    Err(report)
}

fn compare(source: &str, style: &Style, strace_flags: &[&str]) {
    if !have("strace") || !have("gcc") {
        eprintln!("SKIPPED: decoders_match_strace needs strace and gcc");
        return;
    }
    let tmp = std::env::temp_dir().join(format!(
        "saker-syscalls-{}-{}-{source}",
        std::process::id(),
        strace_flags.len()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("a")).unwrap();
    std::fs::create_dir_all(tmp.join("b")).unwrap();
    let bin = build_exercise(&tmp, source);
    // Same path length for both runs, so the traced strings line up.
    let ours = mini_trace(
        &[bin.to_str().unwrap(), tmp.join("a").to_str().unwrap()],
        style,
    );
    let strace_out = tmp.join("strace.txt");
    let st = Command::new("strace")
        .args(strace_flags)
        .arg("-o")
        .arg(&strace_out)
        .arg(&bin)
        .arg(tmp.join("b"))
        .status()
        .unwrap();
    assert!(st.success());
    let theirs = std::fs::read_to_string(&strace_out).unwrap();
    let theirs = theirs.replace("/b/", "/a/").replace("/b\"", "/a\"");
    let theirs = mask_run(
        theirs
            .lines()
            .skip(1)
            .filter(|l| !is_known_gap(l, strace_flags)),
    );
    let ours = mask_run(
        ours.lines()
            .filter(|l| !l.starts_with("execve("))
            .filter(|l| !is_known_gap(l, strace_flags)),
    );
    if ours.len() == theirs.len() && ours == theirs {
        let _ = std::fs::remove_dir_all(&tmp);
        return;
    }
    let mut report = String::new();
    for (i, (a, b)) in ours.iter().zip(theirs.iter()).enumerate() {
        if a != b && report.lines().count() < 90 {
            let _ = writeln!(report, "line {}:\n  saker:  {a}\n  strace: {b}", i + 1);
        }
    }
    if ours.len() != theirs.len() {
        let _ = writeln!(
            report,
            "line counts differ: saker {} strace {}",
            ours.len(),
            theirs.len()
        );
    }
    panic!("decoders differ from strace 6.1 on {source}:\n{report}");
}

/// Ad-hoc comparison for any command, e.g.
/// `SAKER_COMPARE='ip addr' cargo test -p saker-syscalls --test against_strace -- --ignored`.
#[test]
#[ignore = "needs SAKER_COMPARE=<command line>"]
fn compare_command_from_env() {
    let Ok(cmd) = std::env::var("SAKER_COMPARE") else {
        eprintln!("SKIPPED: set SAKER_COMPARE to a command line");
        return;
    };
    let argv: Vec<&str> = cmd.split_whitespace().collect();
    if let Err(report) = compare_command(&argv, &Style::default(), &[]) {
        panic!("decoders differ from strace 6.1:\n{report}");
    }
}
