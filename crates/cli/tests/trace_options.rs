//! `saker trace` with strace 6.1's options: every form of each option (attached and separate
//! values, long forms), the refusals, and the features behind them (alignment, tampering, hex
//! dumps, stack traces, detach endings, thread exec, -P on structures, the eBPF backend's
//! CLONE_PARENT children and stopped processes). Test programs are Saker's own C sources in
//! tests/trace-programs.

use std::io::Read as _;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

mod trace_support;
use trace_support::*;

/// The lines of `text` that start with `prefix` (after any leader).
fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

#[test]
fn refusals_never_run_the_command() {
    // No root needed: these end before anything is traced.
    for (args, message) in [
        (
            &["-j", "true"][..],
            "saker trace: invalid option -- 'j'\nTry 'saker trace --help' for more information.\n",
        ),
        (
            &["--foo", "true"],
            "saker trace: unrecognized option '--foo'\nTry 'saker trace --help' for more information.\n",
        ),
        (
            &["-a", "x", "true"],
            "saker trace: invalid -a argument: 'x'\nTry 'saker trace --help' for more information.\n",
        ),
        (
            &["-X", "bogus", "true"],
            "saker trace: invalid -X argument: 'bogus'\nTry 'saker trace --help' for more information.\n",
        ),
        (
            &["--timestamps=format:s", "true"],
            "saker trace: invalid --timestamps argument: 'format:s'\nTry 'saker trace --help' for more information.\n",
        ),
        (
            &["-D", "true"],
            "saker trace: -D/--daemonize is not supported yet\n",
        ),
        (
            &["--daemonize=pgroup", "true"],
            "saker trace: -D/--daemonize is not supported yet\n",
        ),
        (
            &["-d", "true"],
            "saker trace: -d/--debug is not supported yet\n",
        ),
        (
            &["-e", "kvm=vm", "true"],
            "saker trace: invalid -e kvm= argument: 'vm'\n",
        ),
        (
            &["--secontext", "true"],
            "saker trace: SELinux context printing (--secontext option) is not supported yet\n",
        ),
        (
            &["-e", "inject=chdir", "true"],
            "saker trace: invalid inject argument 'chdir'\n",
        ),
        (
            &["--fault=chdir:retval=1", "true"],
            "saker trace: invalid fault argument 'chdir:retval=1'\n",
        ),
        (
            &["--ebpf", "-k", "true"],
            "saker trace: --ebpf: -k needs the ptrace backend (the eBPF tracer does not stop the tracee to walk its stack)\nTry 'saker trace --help' for more information.\n",
        ),
        (
            &["--ebpf", "-e", "inject=chdir:error=EPERM", "true"],
            "saker trace: --ebpf: -e inject= and -e fault= need the ptrace backend (the eBPF tracer never stops the tracee)\nTry 'saker trace --help' for more information.\n",
        ),
        (
            &["-f"],
            "saker trace: must have PROG [ARGS] or -p PID\nTry 'saker trace --help' for more information.\n",
        ),
    ] {
        let out = saker(args);
        assert_eq!(stderr(&out), message, "{args:?}");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn help_and_version() {
    let out = saker(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "-a, --columns",
        "-k, --stack-traces",
        "--inject=",
        "-X, --const-print-style",
    ] {
        assert!(help.contains(option), "{option} in --help");
    }
    let out = saker(&["-V"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("saker trace -- version "));
}

/// Runs the static `stackcalls` program (one `chdir("/")`) under `args`; returns stderr.
fn trace_chdir(args: &[&str]) -> String {
    let prog = program("stackcalls");
    let mut all = args.to_vec();
    all.push(prog.to_str().unwrap());
    let out = saker(&all);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stderr(&out)
}

fn chdir_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.contains("chdir("))
        .unwrap_or_else(|| panic!("no chdir line in:\n{text}"))
}

#[test]
fn every_form_of_the_options() {
    if !live() {
        return;
    }
    let _one = serial();
    // (options, what the chdir line must look like)
    let cases: &[(&[&str], &str)] = &[
        (&["-a20", "-echdir"], r#"^chdir\("/"\)          = 0$"#),
        (
            &["-a", "20", "-e", "trace=chdir"],
            r#"^chdir\("/"\)          = 0$"#,
        ),
        (
            &["--columns=20", "--trace=chdir"],
            r#"^chdir\("/"\)          = 0$"#,
        ),
        (
            &["--columns", "0", "--trace", "chdir"],
            r#"^chdir\("/"\) = 0$"#,
        ),
        (&["-etrace=%file@64,", "-a0"], r#"^chdir\("/"\) = 0$"#),
        (
            &["-e", "trace=?nosuch,chdir", "-a0"],
            r#"^chdir\("/"\) = 0$"#,
        ),
        (&["-n", "-echdir"], r#"^\[  80\] chdir\("/"\) +\s= 0$"#),
        (&["--syscall-number", "-echdir"], r#"^\[  80\] chdir"#),
        (&["-i", "-echdir"], r#"^\[[0-9a-f]{16}\] chdir\("/"\)"#),
        (
            &["--instruction-pointer", "-echdir"],
            r#"^\[[0-9a-f]{16}\] chdir"#,
        ),
        (
            &["-e", "raw=chdir", "-echdir", "-a0"],
            r#"^chdir\(0x[0-9a-f]+\) = 0$"#,
        ),
        (
            &["--raw=all", "-echdir", "-a0"],
            r#"^chdir\(0x[0-9a-f]+\) = 0$"#,
        ),
        (&["-ttt", "-echdir"], r#"^\d+\.\d{6} chdir"#),
        (
            &["--absolute-timestamps=format:unix,precision:ms", "-echdir"],
            r#"^\d+\.\d{3} chdir"#,
        ),
        (&["--timestamps", "-echdir"], r#"^\d\d:\d\d:\d\d chdir"#),
        (
            &["--timestamps=ns", "-echdir"],
            r#"^\d\d:\d\d:\d\d\.\d{9} chdir"#,
        ),
        (&["-r", "-echdir"], r#"^ +\d+\.\d{6} chdir"#),
        (
            &["--relative-timestamps=ms", "-echdir"],
            r#"^ +\d+\.\d{3} chdir"#,
        ),
        (
            &["-t", "-r", "-echdir"],
            r#"^\d\d:\d\d:\d\d \(\+ +\d+\.\d{6}\) chdir"#,
        ),
        (&["-T", "-echdir"], r#" = 0 <\d+\.\d{6}>$"#),
        (&["--syscall-times=ns", "-echdir"], r#" = 0 <\d+\.\d{9}>$"#),
        (&["-s1", "-echdir"], r#"^chdir\("/"\)"#),
        (&["-Xraw", "-echdir"], r#"^chdir\("/"\)"#),
        (&["-X", "verbose", "-echdir"], r#"^chdir\("/"\)"#),
        (&["-v", "--no-abbrev", "-echdir"], r#"^chdir\("/"\)"#),
        (
            &["-esignal=none", "--signal=!chld", "-echdir"],
            r#"^chdir\("/"\)"#,
        ),
        (
            &[
                "-Y",
                "--decode-pids=pidns",
                "--pidns-translation",
                "-echdir",
            ],
            r#"^chdir\("/"\)"#,
        ),
        (&["-y", "-echdir"], r#"^chdir\("/"\)"#),
        (&["--decode-fds=path,socket", "-echdir"], r#"^chdir\("/"\)"#),
        (&["-I1", "-echdir"], r#"^chdir\("/"\)"#),
        (&["-I", "never_tstp", "-echdir"], r#"^chdir\("/"\)"#),
        (
            &["-E", "SAKER_TEST=1", "-ESAKER_OTHER", "-echdir"],
            r#"^chdir\("/"\)"#,
        ),
        (
            &["-e", "verbose=none", "-e", "abbrev=chdir", "-echdir"],
            r#"^chdir\("/"\)"#,
        ),
        (&["-z", "-echdir"], r#"^chdir\("/"\)"#),
        (&["--status=successful", "-echdir"], r#"^chdir\("/"\)"#),
        (&["-q", "-echdir"], r#"^chdir\("/"\)"#),
        (&["--quiet=personality", "-echdir"], r#"^chdir\("/"\)"#),
        (&["--seccomp-bpf", "-f", "-echdir"], r#"^chdir\("/"\)"#),
        (&["--tips", "-echdir"], r#"^chdir\("/"\)"#),
    ];
    for (args, want) in cases {
        let text = trace_chdir(args);
        let re = Regex::new(want).unwrap();
        assert!(re.is_match(chdir_line(&text)), "{args:?}:\n{text}");
    }
    // -qq and --quiet=exit drop the exit line; -q keeps it.
    assert!(!trace_chdir(&["-qq", "-echdir"]).contains("+++ exited"));
    assert!(!trace_chdir(&["--quiet=exit", "-echdir"]).contains("+++ exited"));
    assert!(trace_chdir(&["-q", "-echdir"]).contains("+++ exited with 0 +++"));
    // -Z: only failures; chdir("/") succeeds.
    assert!(!trace_chdir(&["-Z", "-echdir"]).contains("chdir("));
}

#[test]
fn output_to_a_pipe_and_appended_files() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("stackcalls");
    let out = saker(&["-o", "|cat", "-echdir", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let piped = String::from_utf8_lossy(&out.stdout);
    assert!(piped.starts_with("chdir(\"/\")"), "{piped}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trace.txt");
    for _ in 0..2 {
        let out = saker(&[
            "-A",
            "-o",
            file.to_str().unwrap(),
            "-echdir",
            prog.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(stderr(&out), "", "-o FILE PROG is quiet");
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("chdir(\"/\")").count(), 2, "appended: {text}");
}

#[test]
fn summary_columns_and_sorting() {
    if !live() {
        return;
    }
    let _one = serial();
    let text = trace_chdir(&[
        "-c",
        "-U",
        "name,calls,errors",
        "-S",
        "name",
        "-e",
        "trace=chdir,exit_group",
    ]);
    assert_eq!(
        text,
        "\
syscall              calls    errors
---------------- --------- ---------
chdir                    1          
---------------- --------- ---------
total                    1          
"
    );
    let text = trace_chdir(&[
        "-c",
        "--summary-columns=calls,min-time,max-time",
        "-O1ns",
        "-echdir",
    ]);
    assert!(
        text.starts_with("    calls shortest  longest syscall\n"),
        "{text}"
    );
}

#[test]
fn inject_and_fault() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("tamper");
    let mut report = String::new();
    for args in [
        &["-e", "inject=chdir:error=ENOENT:when=2"][..],
        &["-e", "fault=chdir:when=2..3"],
        &["-e", "inject=chdir:retval=42:when=4+"],
        &["-e", "inject=chdir:error=EPERM:syscall=getppid:when=1+2"],
        &["-e", "inject=chdir:signal=usr1:when=5"],
        &["-e", "inject=getpid:retval=1"],
        &["-e", "fault=getpid:error=EACCES"],
        &["--inject=chdir:poke_enter=@arg1=2f00:when=6"],
        &["-e", "inject=chdir:delay_enter=1ms:delay_exit=2ms:when=1"],
    ] {
        // getpid's result is a pid: traced only where it is injected.
        let traced = if args.concat().contains("getpid") {
            "trace=chdir,getpid"
        } else {
            "trace=chdir"
        };
        let mut all = vec!["-a0", "-e", traced, "-e", "signal=usr1"];
        all.extend_from_slice(args);
        all.push(prog.to_str().unwrap());
        let out = saker(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        report.push_str(&format!("$ saker trace {}\n", args.join(" ")));
        report.push_str(&String::from_utf8_lossy(&out.stdout));
        report.push_str(&mask(&stderr(&out)));
    }
    golden("tamper.txt", &report);
}

/// strace's *--pidns-translation tests: a pid of the tracee's PID namespace gets a note
/// with the pid this tracer knows it by; --decode-pids=comm names the process.
#[test]
fn pidns_translation_and_comm() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("pidns");
    let out = saker(&[
        "-f",
        "--decode-pids=comm,pidns",
        "-e",
        "trace=getpid",
        "-e",
        "signal=none",
        "-qq",
        prog.to_str().unwrap(),
    ]);
    if out.status.code() == Some(77) {
        eprintln!("SKIPPED: no new PID namespace here");
        return;
    }
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    let re = Regex::new(
        r"^\[pid +(\d+)<pidns>\] getpid\(\) += 1<pidns> /\* (\d+) in strace's PID NS \*/$",
    )
    .unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("getpid"))
        .expect("a getpid line");
    let caps = re.captures(line).unwrap_or_else(|| panic!("{text}"));
    assert_eq!(caps[1], caps[2], "the note names the traced child: {text}");
}

/// strace's redirect-fds.test: a standard fd the tracer was started without is closed in
/// the command too (Rust's runtime opens /dev/null on it in the tracer), one it was given
/// stays open.
#[test]
fn closed_standard_fds_stay_closed() {
    if !live() {
        return;
    }
    let _one = serial();
    // The report goes through fd 9, opened first: the probe itself must not fill 0-2.
    let probe = "exec 9>>\"$0\"; for fd in 0 1 2; do if test -e /proc/self/fd/$fd; \
                 then echo $fd open >&9; else echo $fd closed >&9; fi; done";
    for (redirections, want) in [
        ("<&-", "0 closed\n1 open\n2 open\n"),
        (">&- 2>&-", "0 open\n1 closed\n2 closed\n"),
        ("</dev/null", "0 open\n1 open\n2 open\n"),
    ] {
        let report = tempfile::NamedTempFile::new().unwrap();
        let script = format!(
            "exec {SAKER} trace -e trace=none -qq sh -c '{probe}' {} {redirections}",
            report.path().display()
        );
        let status = Command::new("sh").args(["-c", &script]).status().unwrap();
        assert!(status.success(), "{redirections}");
        let got = std::fs::read_to_string(report.path()).unwrap();
        assert_eq!(got, want, "{redirections}");
    }
}

/// strace's strace-Y-0123456789 and strace--decode-pids-comm: a name changed by a call
/// outside the traced set is seen at once, in the leader and the decoded pid alike, escaped.
#[test]
fn decode_pids_comm_follows_renames() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("rename");
    let log = tempfile::NamedTempFile::new().unwrap();
    let log_path = log.path().to_str().unwrap();
    let args = [
        "-Y",
        "-f",
        "-qq",
        "-a0",
        "-e",
        "trace=getpid",
        "-o",
        log_path,
        prog.to_str().unwrap(),
    ];
    let re = Regex::new(r"^(\d+)<re\\74name\\76d> getpid\(\) = (\d+)<re\\74name\\76d>$").unwrap();
    let check = |out: Output| {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = std::fs::read_to_string(log_path).unwrap();
        let caps = re
            .captures(text.trim_end())
            .unwrap_or_else(|| panic!("{text}"));
        assert_eq!(caps[1], caps[2]);
    };
    check(saker(&args));
    // --ebpf: the process is gone when its line is printed; the names come from the records.
    if let Some(out) = ebpf_trace(&args) {
        check(out);
    }
}

/// strace's first_exec_failure.test: the failed execve, the tracer's message from the child,
/// and the child's end, which strace prints even before the command ever ran.
#[test]
fn failed_first_exec_ends_with_the_exit_line() {
    if !live() {
        return;
    }
    let _one = serial();
    let out = saker(&["/"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    let lines: Vec<&str> = text.lines().collect();
    let execve = Regex::new(
        r#"^execve\("/", \["/"\], 0x[0-9a-f]+ /\* 1 var \*/\) += -1 EACCES \(Permission denied\)$"#,
    )
    .unwrap();
    assert!(lines.len() == 3 && execve.is_match(lines[0]), "{text}");
    assert_eq!(
        lines[1..],
        [
            "saker trace: exec: Permission denied",
            "+++ exited with 1 +++"
        ]
    );
}

/// strace's qual_fault-exit_group.test: a faulted exit_group returns, and glibc's _exit
/// goes on to exit.
#[test]
fn fault_on_exit_group_returns() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("tamper");
    let out = saker(&[
        "-a0",
        "-e",
        "trace=exit,exit_group",
        "-e",
        "fault=exit_group:error=ENOSYS",
        prog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "exit_group(0) = -1 ENOSYS (Function not implemented) (INJECTED)\n\
         exit(0) = ?\n\
         +++ exited with 0 +++\n"
    );
}

/// The dumps strace's dumpio() prints; `--ebpf` prints the same from what the capture copied
/// (it ignored `-e read=`/`-e write=` before: strace's read-write, readv, preadv-pwritev...).
#[test]
fn read_and_write_dumps() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("dumpio");
    let args = [
        "-a0",
        "-e",
        "trace=read,write,readv,writev",
        "-e",
        "read=3",
        "-ewrite=4",
        prog.to_str().unwrap(),
    ];
    let out = saker(&args);
    assert_eq!(out.status.code(), Some(0));
    golden("dumpio.txt", &mask(&stderr(&out)));
    if let Some(out) = ebpf_trace(&args) {
        assert_eq!(out.status.code(), Some(0));
        golden("dumpio.txt", &mask(&stderr(&out)));
    }
}

#[test]
fn stack_traces_name_the_frames() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("stackcalls");
    let frame = Regex::new(&format!(
        r"^ > {}\(([a-z0-9_]+)\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$",
        regex::escape(prog.to_str().unwrap())
    ))
    .unwrap();
    for args in [&["-k", "-echdir"][..], &["--stack-traces", "--trace=chdir"]] {
        let text = trace_chdir(args);
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| l.starts_with("chdir(")).unwrap();
        let frames: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|l| l.starts_with(" > "))
            .copied()
            .collect();
        let names: Vec<&str> = frames
            .iter()
            .filter_map(|f| frame.captures(f).map(|c| c.get(1).unwrap().as_str()))
            .collect();
        let from_chdir = names
            .iter()
            .position(|n| n.ends_with("chdir"))
            .unwrap_or_else(|| panic!("{text}"));
        assert_eq!(
            names[from_chdir + 1..from_chdir + 5],
            ["f2", "f1", "f0", "main"],
            "{text}"
        );
    }
}

#[test]
fn thread_exec_changes_pid() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("threadexec");
    let out = saker(&[
        "-f",
        "-e",
        "trace=execve,pause",
        "-e",
        "signal=none",
        prog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    let superseded = Regex::new(r"(?m)^\+\+\+ superseded by execve in pid (\d+) \+\+\+$").unwrap();
    let caps = superseded
        .captures(&text)
        .unwrap_or_else(|| panic!("{text}"));
    let thread = &caps[1];
    let leader = Regex::new(r"(?m)^\[pid +(\d+)\] pause\(").unwrap();
    let leader = &leader.captures(&text).unwrap_or_else(|| panic!("{text}"))[1];
    assert_ne!(leader, thread);
    // The thread's execve line is cut (by the leader's ending, or by the pid change), and
    // ends as the leader's; the leader's pause never returns.
    let cut = format!("[pid {thread:>5}] execve(");
    let cut_line = text
        .lines()
        .find(|l| l.starts_with(&cut))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        cut_line.ends_with(" <unfinished ...>")
            || cut_line.ends_with(&format!(" <pid changed to {leader} ...>")),
        "{text}"
    );
    assert!(
        text.contains(&format!("[pid {leader:>5}] <... pause resumed>) ")),
        "{text}"
    );
    assert!(text.contains("\n<... execve resumed>) "), "{text}");
    assert!(text.ends_with("+++ exited with 0 +++\n"), "{text}");
}

#[test]
fn clone_parent_children_are_reaped() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("cloneparent");
    let started = Instant::now();
    let out = saker(&["-e", "trace=none", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let unknown = Regex::new(r"(?m)^saker trace: Exit of unknown pid \d+ ignored$").unwrap();
    assert!(unknown.is_match(&stderr(&out)), "{}", stderr(&out));
    let quiet = saker(&["-qq", "-e", "trace=none", prog.to_str().unwrap()]);
    assert_eq!(stderr(&quiet), "");
    if let Some(out) = ebpf_trace(&["-e", "trace=none", prog.to_str().unwrap()]) {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(unknown.is_match(&stderr(&out)), "{}", stderr(&out));
    }
    if let Some(out) = ebpf_trace(&["-c", prog.to_str().unwrap()]) {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn path_filter_looks_into_poll_and_select() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("pathcalls");
    let out = saker(&["-a0", "-P", "/dev/null", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stderr(&out);
    assert_eq!(
        lines_with(&text, "poll(").len(),
        1,
        "only the poll that names /dev/null:\n{text}"
    );
    assert_eq!(lines_with(&text, "select6(").len(), 1, "{text}");
    assert_eq!(lines_with(&text, "write(").len(), 1, "{text}");
    assert!(lines_with(&text, "/dev/zero").is_empty(), "{text}");
}

/// Waits until `pipe` has produced text containing `needle`, collecting it.
fn read_until(pipe: &mut impl std::io::Read, seen: &mut String, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut buf = [0u8; 4096];
    while !seen.contains(needle) {
        assert!(
            Instant::now() < deadline,
            "waited for {needle:?}; got:\n{seen}"
        );
        let got = pipe.read(&mut buf).unwrap();
        assert!(got > 0, "ended before {needle:?}; got:\n{seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..got]));
    }
}

#[test]
fn ctrl_c_on_attach_ends_the_open_line_as_detached() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("blockread");
    let mut tracee = Command::new(&prog).stdin(Stdio::piped()).spawn().unwrap();
    let pid = tracee.id();
    let mut tracer = Command::new(SAKER)
        .args(["trace", "-p", &pid.to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    let mut err = tracer.stderr.take().unwrap();
    read_until(&mut err, &mut text, "attached\n");
    // A restart after the attach interrupt, then the read again: the line stays open.
    read_until(&mut err, &mut text, "read(0, ");
    // SAFETY: signalling the tracer we started.
    unsafe { libc::kill(tracer.id() as i32, libc::SIGINT) };
    err.read_to_string(&mut text).unwrap();
    let status = tracer.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGINT));
    assert!(
        text.ends_with(&format!(
            "read(0, saker trace: Process {pid} detached\n <detached ...>\n"
        )),
        "{text}"
    );
    drop(tracee.stdin.take());
    assert!(
        tracee.wait().unwrap().success(),
        "the tracee goes on after the detach"
    );
}

#[test]
fn ebpf_attach_to_a_stopped_process_says_so() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("blockread");
    let mut tracee = Command::new(&prog).stdin(Stdio::piped()).spawn().unwrap();
    let pid = tracee.id() as i32;
    // SAFETY: stopping the child we started.
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.contains(") T "))
        .unwrap_or(false)
    {
        assert!(Instant::now() < deadline, "the child never stopped");
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut tracer = Command::new(SAKER)
        .args(["trace", "--ebpf", "-p", &pid.to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    let mut err = tracer.stderr.take().unwrap();
    let mut first = [0u8; 256];
    let got = err.read(&mut first).unwrap();
    text.push_str(&String::from_utf8_lossy(&first[..got]));
    if text.starts_with("saker trace: --ebpf:") {
        eprintln!("SKIPPED: eBPF capture is not available here: {text}");
    } else {
        read_until(&mut err, &mut text, "--- stopped by SIGSTOP ---\n");
        // SAFETY: signalling the tracer we started.
        unsafe { libc::kill(tracer.id() as i32, libc::SIGINT) };
    }
    let _ = tracer.wait();
    // SAFETY: continuing the child we stopped.
    unsafe { libc::kill(pid, libc::SIGCONT) };
    drop(tracee.stdin.take());
    assert!(tracee.wait().unwrap().success());
}

#[test]
fn detach_on_execve() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("forkexec");
    let out = saker(&[
        "-f",
        "-b",
        "execve",
        "-e",
        "trace=execve,exit_group",
        prog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    // The command's own first execve is traced; the children are let go at theirs.
    assert!(text.starts_with("execve("), "{text}");
    assert!(text.contains(" detached\n"), "{text}");
}

#[test]
fn attach_and_run_a_command_together() {
    if !live() {
        return;
    }
    let _one = serial();
    let reader = program("blockread");
    let mut tracee = Command::new(&reader).stdin(Stdio::piped()).spawn().unwrap();
    let pid = tracee.id();
    let prog = program("stackcalls");
    let mut tracer = Command::new(SAKER)
        .args([
            "trace",
            "-a0",
            "-e",
            "trace=chdir,read",
            "-p",
            &pid.to_string(),
        ])
        .arg(&prog)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    let mut err = tracer.stderr.take().unwrap();
    // The command ran (its chdir) while the attached process waits in its read.
    read_until(&mut err, &mut text, "chdir(\"/\") = 0\n");
    drop(tracee.stdin.take());
    err.read_to_string(&mut text).unwrap();
    assert_eq!(tracer.wait().unwrap().code(), Some(0), "{text}");
    assert!(text.contains(&format!("Process {pid} attached")), "{text}");
    assert_eq!(
        text.matches("+++ exited with 0 +++").count(),
        2,
        "both ended: {text}"
    );
    assert!(tracee.wait().unwrap().success());
}

#[test]
fn the_command_gets_the_signal_dispositions_the_tracer_got() {
    if !live() {
        return;
    }
    let _one = serial();
    // SIGPIPE at its default (Rust's runtime ignores it in the tracer): `yes` dies quietly.
    let out = saker(&["-qq", "-e", "trace=none", "sh", "-c", "yes | head -1"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "y\n");
    assert!(!stderr(&out).contains("Broken pipe"), "{}", stderr(&out));
    // An ignored SIGCHLD stays ignored for the command (the tracer itself needs it).
    let out = Command::new(program("ignchld"))
        .args([
            SAKER,
            "trace",
            "-qq",
            "-e",
            "trace=none",
            "grep",
            "SigIgn",
            "/proc/self/status",
        ])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    let mask = u64::from_str_radix(line.trim().trim_start_matches("SigIgn:").trim(), 16).unwrap();
    assert_ne!(mask & (1 << (libc::SIGCHLD - 1)), 0, "{line}");
}

#[test]
fn a_failed_write_of_the_trace_keeps_the_command_status() {
    if !live() {
        return;
    }
    let _one = serial();
    let out = saker(&["-o", "/dev/full", "-e", "trace=none", "sh", "-c", "exit 3"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        "saker trace: /dev/full: No space left on device\n"
    );
}

#[test]
fn status_detached_prints_the_call_that_was_waiting() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("blockread");
    let mut tracee = Command::new(&prog).stdin(Stdio::piped()).spawn().unwrap();
    let pid = tracee.id();
    let mut tracer = Command::new(SAKER)
        .args(["trace", "-e", "status=detached", "-p", &pid.to_string()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    let mut err = tracer.stderr.take().unwrap();
    read_until(&mut err, &mut text, "attached\n");
    // The read is waiting for its result: give the tracer time to see its restart.
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(format!("/proc/{pid}/syscall"))
        .map(|s| !s.starts_with("0 "))
        .unwrap_or(true)
    {
        assert!(
            Instant::now() < deadline,
            "the tracee never blocked in read"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: signalling the tracer we started.
    unsafe { libc::kill(tracer.id() as i32, libc::SIGTERM) };
    err.read_to_string(&mut text).unwrap();
    tracer.wait().unwrap();
    assert!(text.ends_with("read(0,  <detached ...>\n"), "{text}");
    drop(tracee.stdin.take());
    assert!(tracee.wait().unwrap().success());
}

#[test]
fn detach_on_execve_lets_go_of_the_status_too() {
    if !live() {
        return;
    }
    let _one = serial();
    let out = saker(&[
        "-qq",
        "-b",
        "execve",
        "-e",
        "trace=none",
        "sh",
        "-c",
        "exec false",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn ebpf_names_fds_of_a_command_that_is_already_gone() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("dupfd");
    let run = |extra: &[&str]| {
        // glibc's fstat is newfstatat(fd, "", ..., AT_EMPTY_PATH).
        let mut args = vec!["--ebpf", "-a0", "-e", "trace=dup,newfstatat"];
        args.extend_from_slice(extra);
        args.push(prog.to_str().unwrap());
        ebpf_trace(&args)
    };
    let Some(out) = run(&["-y"]) else {
        return;
    };
    let text = stderr(&out);
    assert!(
        text.contains("dup(0</dev/null>) = 3</dev/null>\n"),
        "{text}"
    );
    assert!(text.contains("newfstatat(3</dev/null>, \"\", "), "{text}");
    let out = run(&["-P", "/dev/null"]).unwrap();
    assert_eq!(
        lines_with(&stderr(&out), "newfstatat(").len(),
        1,
        "{}",
        stderr(&out)
    );
}
