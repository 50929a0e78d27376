//! `saker trace` end to end: real C programs (built here with gcc), real ptrace (root), output
//! compared with golden files after masking what is truly non-deterministic (addresses, pids,
//! inodes, ports, random bytes, times). `UPDATE_GOLDEN=1` rewrites the golden files.

use std::collections::{BTreeMap, HashMap};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;

mod trace_support;
use trace_support::*;

#[test]
fn file_calls_with_errors_and_exit_status() {
    if !live() {
        return;
    }
    let _one = serial();
    let files = program("files");
    let out = saker(&[files.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "the traced program's exit status"
    );
    golden("files.txt", &mask(&stderr(&out)));
}

#[test]
fn memory_calls() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("memory");
    let out = saker(&["-e", "trace=%memory", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    golden("memory.txt", &mask(&stderr(&out)));
}

#[test]
fn filters() {
    if !live() {
        return;
    }
    let _one = serial();
    let files = program("files");
    let prog = files.to_str().unwrap();
    let mut report = String::new();
    for args in [
        &["-e", "trace=%file"][..],
        &[
            "-e",
            "trace=!%memory,%process,brk,arch_prctl,set_tid_address,set_robust_list,rseq,prlimit64,getrandom,mprotect,readlink",
        ],
        &["-e", "trace=/^(open|clos)"],
        &["-Z"],
        &["-z", "-e", "trace=%desc"],
        &["-e", "status=failed", "-e", "trace=close"],
        &["-P", "/dev/null"],
        &["-e", "trace=none"],
    ] {
        let mut all = args.to_vec();
        all.push(prog);
        let out = saker(&all);
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        report.push_str(&format!("$ saker trace {}\n", args.join(" ")));
        report.push_str(&mask(&stderr(&out)));
    }
    golden("filters.txt", &report);
}

#[test]
fn threads_under_ff_one_file_each() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("threads");
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("trace");
    let out = saker(&[
        "-ff",
        "-q",
        "-o",
        prefix.to_str().unwrap(),
        "-e",
        "trace=write,exit,exit_group",
        prog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "-q: no attach messages");
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    assert_eq!(files.len(), 3, "main thread and two threads");
    files.sort();
    golden("threads-ff.txt", &files.join("====\n"));
}

#[test]
fn threads_under_f_interleave_with_unfinished_and_resumed() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("threads");
    let out = saker(&["-f", "-q", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stderr(&out);
    // The main thread waits in futex while a thread runs: a cut line and its resumption.
    let unfinished = Regex::new(r"(?m)^\[pid\s+\d+\] futex\(.* <unfinished \.\.\.>$").unwrap();
    let resumed = Regex::new(r"(?m)^(\[pid\s+\d+\] )?<\.\.\. futex resumed>\) += 0$").unwrap();
    assert!(unfinished.is_match(&text), "{text}");
    assert!(resumed.is_match(&text), "{text}");
    assert_eq!(text.matches("+++ exited with 0 +++").count(), 3);
    assert!(
        Regex::new(r#"(?m)^\[pid\s+\d+\] write\(3, "thread1", 7\) += 7$"#)
            .unwrap()
            .is_match(&text)
    );
}

/// Runs a tracer command on the `signals` program: when the trace shows the group-stop, the
/// test sends the SIGCONT (the only ordering that is the same on every run). Returns stderr.
fn run_continuing_stops(mut command: Command) -> (std::process::ExitStatus, String) {
    use std::io::BufRead;
    let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
    let reader = std::io::BufReader::new(child.stderr.take().unwrap());
    let tgkill = Regex::new(r"^tgkill\((\d+),").unwrap();
    let mut traced_pid = None;
    let mut text = String::new();
    for line in reader.lines() {
        let line = line.unwrap();
        if let Some(caps) = tgkill.captures(&line) {
            traced_pid = caps[1].parse::<i32>().ok();
        }
        if line.ends_with("--- stopped by SIGSTOP ---")
            && let Some(pid) = traced_pid
        {
            // SAFETY: signalling the traced test program.
            unsafe { libc::kill(pid, libc::SIGCONT) };
        }
        text.push_str(&line);
        text.push('\n');
    }
    (child.wait().unwrap(), text)
}

#[test]
fn signals_stop_and_continue() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("signals");
    let mut command = Command::new(SAKER);
    command
        .args(["trace", "-e", "trace=kill,tgkill,rt_sigreturn,exit_group"])
        .arg(&prog)
        .env_clear();
    let (status, text) = run_continuing_stops(command);
    assert_eq!(status.code(), Some(0));
    golden("signals.txt", &mask(&text));
}

#[test]
fn killed_by_sigkill_dies_the_same_way() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("sigkill");
    let out = saker(&[prog.to_str().unwrap()]);
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGKILL),
        "saker dies from SIGKILL like strace"
    );
    let text = mask(&stderr(&out));
    let tail: Vec<&str> = text.lines().rev().take(3).collect();
    golden(
        "sigkill.txt",
        &(tail.into_iter().rev().collect::<Vec<_>>().join("\n") + "\n"),
    );
}

#[test]
fn fork_exec_chain_per_process_files() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("forkexec");
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("trace");
    let out = saker(&[
        "-ff",
        "-o",
        prefix.to_str().unwrap(),
        "-e",
        "trace=execve,wait4,exit_group",
        prog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // `-o FILE PROG` implies -q, as with strace: no attach messages.
    assert_eq!(stderr(&out), "", "quiet");
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            mask(&text)
        })
        .collect();
    assert_eq!(files.len(), 3);
    // Pid numbering restarts per file; compare content only.
    files.sort();
    golden("forkexec-ff.txt", &files.join("====\n"));
}

#[test]
fn fork_exec_chain_in_one_file_has_pid_columns() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("forkexec");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.txt");
    let out = saker(&[
        "-f",
        "-o",
        path.to_str().unwrap(),
        "-e",
        "trace=execve,exit_group",
        prog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&path).unwrap();
    let line = Regex::new(r"^\d+ +(execve|exit_group|\+\+\+|---)").unwrap();
    for l in text.lines() {
        assert!(line.is_match(l), "every line starts with `PID `: {l}");
    }
    assert_eq!(text.matches("+++ exited with ").count(), 3);
    assert!(text.contains("+++ exited with 7 +++"));
}

/// Parses a `-c` table into name -> (calls, errors), checking the layout on the way.
fn summary_counts(table: &str) -> HashMap<String, (u64, u64)> {
    let mut lines = table.lines();
    assert_eq!(
        lines.next(),
        Some("% time     seconds  usecs/call     calls    errors syscall")
    );
    let rule = "------ ----------- ----------- --------- --------- ----------------";
    assert_eq!(lines.next(), Some(rule));
    let row = Regex::new(
        r"^([ \d]{2}\d\.\d\d) ([ \d]{3}\d\.\d{6}) ([ \d]{10}\d) ([ \d]{8}\d) ([ \d]{9}) (\S+)$",
    )
    .unwrap();
    let mut counts = HashMap::new();
    let mut saw_total = false;
    for line in lines {
        if line == rule {
            continue;
        }
        let caps = row
            .captures(line)
            .unwrap_or_else(|| panic!("bad summary row: {line:?}"));
        let calls = caps[4].trim().parse().unwrap();
        let errors = caps[5].trim().parse().unwrap_or(0);
        saw_total |= &caps[6] == "total";
        counts.insert(caps[6].to_string(), (calls, errors));
    }
    assert!(saw_total);
    counts
}

#[test]
fn summary_counts_are_exact() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    for extra in [&[][..], &["-w"], &["-S", "calls"]] {
        let mut args = vec!["-c"];
        args.extend_from_slice(extra);
        args.push(prog.to_str().unwrap());
        let out = saker(&args);
        assert_eq!(out.status.code(), Some(3));
        let counts = summary_counts(&stderr(&out));
        assert_eq!(counts["openat"], (3, 1), "{extra:?}");
        assert_eq!(counts["close"], (3, 1));
        assert_eq!(counts["read"], (1, 0));
        assert_eq!(counts["write"], (1, 0));
        assert_eq!(counts["access"], (1, 1));
        assert_eq!(counts["unlink"], (1, 1));
        assert_eq!(counts["mkdir"], (1, 1));
        assert!(
            !counts.contains_key("exit_group"),
            "a call that never returns is not counted"
        );
        let total = counts["total"];
        let sum: u64 = counts
            .iter()
            .filter(|(k, _)| *k != "total")
            .map(|(_, v)| v.0)
            .sum();
        assert_eq!(total.0, sum);
        assert_eq!(total.1, 5);
    }
    // Name order is deterministic: a golden with the time columns masked.
    let out = saker(&["-c", "-S", "name", prog.to_str().unwrap()]);
    let masked = Regex::new(r"(?m)^([ \d]{2}\d\.\d\d) ([ \d]{3}\d\.\d{6}) ([ \d]{10}\d)")
        .unwrap()
        .replace_all(&stderr(&out), "  x.xx    x.xxxxxx           x")
        .into_owned();
    golden("summary-by-name.txt", &masked);
}

#[test]
fn summary_with_trace_dash_capital_c() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    let out = saker(&["-C", "-e", "trace=close", prog.to_str().unwrap()]);
    let text = stderr(&out);
    let (trace, table) = text
        .split_once("% time")
        .expect("a summary after the trace");
    assert_eq!(trace.matches("close(").count(), 3);
    assert!(trace.ends_with("+++ exited with 3 +++\n"));
    assert_eq!(summary_counts(&format!("% time{table}"))["close"], (3, 1));
}

#[test]
fn fd_paths_and_socket_endpoints() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("sockets");
    let set = "trace=socketpair,socket,write,read,close,accept,connect,bind,listen";
    let y = saker(&["-y", "-e", set, prog.to_str().unwrap()]);
    let yy = saker(&["-yy", "-e", set, prog.to_str().unwrap()]);
    assert_eq!(y.status.code(), Some(0));
    let report = format!(
        "$ saker trace -y\n{}$ saker trace -yy\n{}",
        mask(&stderr(&y)),
        mask(&stderr(&yy))
    );
    golden("sockets.txt", &report);
}

#[test]
fn json_records() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    let out = saker(&["--json", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let records: Vec<serde_json::Value> = stderr(&out)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let failed_open = records
        .iter()
        .find(|r| r["name"] == "openat" && r["errno"] == "ENOENT")
        .expect("the failing openat");
    assert_eq!(failed_open["type"], "syscall");
    assert_eq!(failed_open["args"][1], "\"/nonexistent/saker-test\"");
    assert_eq!(failed_open["return"], -1);
    assert_eq!(
        failed_open["result"],
        "-1 ENOENT (No such file or directory)"
    );
    assert_eq!(failed_open["raw_args"].as_array().unwrap().len(), 6);
    assert!(failed_open["duration"].as_f64().unwrap() >= 0.0);
    assert!(failed_open["time"].as_f64().unwrap() > 1.6e9);
    let write = records.iter().find(|r| r["name"] == "write").unwrap();
    assert_eq!(write["args"][1], "\"hello, tracer\\n\"");
    assert_eq!(write["return"], 14);
    let exit_group = records.iter().find(|r| r["name"] == "exit_group").unwrap();
    assert_eq!(exit_group["return"], serde_json::Value::Null);
    let last = records.last().unwrap();
    assert_eq!(last["type"], "exit");
    assert_eq!(last["exit_code"], 3);
}

#[test]
fn seccomp_bpf_shows_the_same_calls() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    let plain = saker(&["-f", "-e", "trace=openat,close", prog.to_str().unwrap()]);
    let seccomp = saker(&[
        "-f",
        "--seccomp-bpf",
        "-e",
        "trace=openat,close",
        prog.to_str().unwrap(),
    ]);
    assert_eq!(seccomp.status.code(), Some(3));
    assert_eq!(mask(&stderr(&plain)), mask(&stderr(&seccomp)));
    assert_eq!(stderr(&seccomp).matches("openat(").count(), 3);
    let without_f = saker(&["--seccomp-bpf", "-e", "trace=close", prog.to_str().unwrap()]);
    assert!(stderr(&without_f).starts_with(
        "saker trace: --seccomp-bpf cannot be used without -f/--follow-forks, disabling\n"
    ));
}

#[test]
fn time_formats() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    let p = prog.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["-t"], r"^\d\d:\d\d:\d\d close\(3\) += 0$"),
        (&["-tt"], r"^\d\d:\d\d:\d\d\.\d{6} close\(3\) += 0$"),
        (&["-ttt"], r"^\d{10}\.\d{6} close\(3\) += 0$"),
        (&["-r"], r"^ {5}\d\.\d{6} close\(3\) += 0$"),
        (&["-T"], r"^close\(3\) += 0 <\d\.\d{6}>$"),
    ];
    for (flags, pattern) in cases {
        let mut args = flags.to_vec();
        args.extend(["-e", "trace=close", p]);
        let text = stderr(&saker(&args));
        let first = text.lines().next().unwrap_or("");
        assert!(
            Regex::new(pattern).unwrap().is_match(first),
            "{flags:?}: {first:?}"
        );
    }
}

fn proc_state(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let state = stat.rsplit_once(") ")?.1.chars().next()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let tracer = status
        .lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))?
        .trim()
        .parse()
        .ok()?;
    Some((state, tracer))
}

#[test]
fn attach_and_clean_detach_on_sigint_and_sigterm() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("sleeper");
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut sleeper = Command::new(&prog).spawn().unwrap();
        let pid = sleeper.id();
        let tracer = LiveTracer::spawn(&["trace", "-p", &pid.to_string(), "-e", "trace=write"]);
        // The detach happens mid-trace, once calls were shown.
        tracer.wait_until("two writes traced", |text| {
            text.matches("write(3, \"tick\", 4)").count() >= 2
        });
        let (status, text) = tracer.stop(signal);
        assert_eq!(
            status.signal(),
            Some(signal),
            "saker dies from the signal it got, like strace"
        );
        assert!(
            text.starts_with(&format!("saker trace: Process {pid} attached\n")),
            "{text}"
        );
        assert!(
            text.ends_with(&format!("saker trace: Process {pid} detached\n")),
            "{text}"
        );
        assert!(text.matches("write(3, \"tick\", 4)").count() >= 2, "{text}");
        // The tracee is not traced any more and not stopped, and keeps running.
        let (state, tracer_pid) = proc_state(pid).expect("tracee still alive");
        assert_eq!(tracer_pid, 0);
        assert!(state == 'S' || state == 'R', "state {state}");
        std::thread::sleep(Duration::from_millis(100));
        let (state, _) = proc_state(pid).expect("tracee still alive");
        assert!(state == 'S' || state == 'R', "state {state}");
        sleeper.kill().unwrap();
        sleeper.wait().unwrap();
    }
}

/// A running `saker` whose stderr is read as it comes, so that a test can wait for what it
/// has printed instead of sleeping.
struct LiveTracer {
    child: std::process::Child,
    text: std::sync::Arc<std::sync::Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

impl LiveTracer {
    fn spawn(args: &[&str]) -> LiveTracer {
        let mut child = Command::new(SAKER)
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let text = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = std::sync::Arc::clone(&text);
        let reader = std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        LiveTracer {
            child,
            text,
            reader,
        }
    }

    /// Waits until what the tracer printed satisfies `ready` (a generous deadline: a loaded
    /// machine can starve it for seconds).
    fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !ready(&self.text.lock().unwrap()) {
            assert!(
                Instant::now() < deadline,
                "{what}: not seen in\n{}",
                self.text.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `signal`, then returns the exit status and everything printed.
    fn stop(mut self, signal: i32) -> (std::process::ExitStatus, String) {
        // SAFETY: signalling the tracer we started.
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let status = self.child.wait().unwrap();
        self.reader.join().unwrap();
        let text = self.text.lock().unwrap().clone();
        (status, text)
    }
}

fn tracer_pids(pid: u32) -> Vec<u32> {
    let mut tracers = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let status = std::fs::read_to_string(task.unwrap().path().join("status")).unwrap();
        let tracer = status
            .lines()
            .find_map(|l| l.strip_prefix("TracerPid:"))
            .unwrap();
        tracers.push(tracer.trim().parse().unwrap());
    }
    tracers
}

#[test]
fn attach_with_f_to_every_thread() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("threaded-sleeper");
    let mut sleeper = Command::new(&prog).spawn().unwrap();
    let pid = sleeper.id();
    // Let both threads start.
    let started = Instant::now();
    while std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .count()
        < 3
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "threads not started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // The same pid twice: attached once.
    let pids = format!("{pid},{pid}");
    let tracer = LiveTracer::spawn(&["trace", "-f", "-p", &pids, "-e", "trace=write"]);
    let thread_lines: Vec<Regex> = ["a", "b", "m"]
        .iter()
        .map(|thread| {
            Regex::new(&format!(
                r#"(?m)^\[pid\s+\d+\] write\(3, "{thread}", 1\) += 1$"#
            ))
            .unwrap()
        })
        .collect();
    tracer.wait_until("a write of every thread", |text| {
        thread_lines.iter().all(|line| line.is_match(text))
    });
    assert!(!tracer_pids(pid).contains(&0), "every thread is traced");
    let (_, text) = tracer.stop(libc::SIGTERM);
    assert!(
        text.starts_with(&format!(
            "saker trace: Process {pid} attached with 3 threads\n"
        )),
        "{text}"
    );
    assert_eq!(text.matches(" attached").count(), 1, "{text}");
    assert_eq!(text.matches(" detached\n").count(), 3, "{text}");
    for line in &thread_lines {
        assert!(line.is_match(&text), "every thread traced: {text}");
    }
    assert_eq!(tracer_pids(pid), vec![0, 0, 0], "every thread detached");
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let state = stat.rsplit_once(") ").unwrap().1.chars().next().unwrap();
    assert!(state == 'S' || state == 'R', "still running: {state}");
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
}

#[test]
fn bad_input() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["-e", "trace=opn", "true"],
            "saker trace: invalid system call 'opn' (did you mean open?)\n",
        ),
        (
            &["-e", "trace=%fiel", "true"],
            "saker trace: invalid system call class '%fiel' (did you mean %file?)\n",
        ),
        (
            &["no-such-command-saker"],
            "saker trace: Can't stat 'no-such-command-saker': No such file or directory\n",
        ),
        (&["-p", "abc"], "saker trace: Invalid process id: 'abc'\n"),
        (&["-p", "0"], "saker trace: Invalid process id: '0'\n"),
        (
            &["-c", "-ff", "-o", "/tmp/x", "true"],
            "saker trace: (-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive\nTry 'saker trace --help' for more information.\n",
        ),
    ];
    for (args, message) in cases {
        let out = saker(args);
        assert_eq!(stderr(&out), message, "{args:?}");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
    if !live() {
        return;
    }
    // A pid that does not exist (pid_max is at most 2^22).
    let out = saker(&["-p", "4194304"]);
    assert_eq!(
        stderr(&out),
        "saker trace: attach: ptrace(PTRACE_SEIZE, 4194304): No such process\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// Runs strace and saker with the same options on the same program and compares every line
/// after masking. Skips loudly when strace is not installed.
#[test]
fn same_output_as_strace() {
    if !live() {
        return;
    }
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("SKIPPED: strace is not installed, nothing to compare with");
        return;
    }
    let _one = serial();
    let cases: [(&str, &[&str]); 10] = [
        // Includes getrandom, whose buffer both print in hex.
        ("files", &[]),
        ("memory", &[]),
        // `AT_FDCWD</cwd>` and fd paths.
        ("files", &["-y", "-e", "trace=%desc"]),
        ("files", &["-x", "-s", "8", "-e", "trace=read,write"]),
        // `rt_sigreturn({mask=[]})` needs the stack pointer.
        (
            "signals",
            &["-e", "trace=kill,tgkill,rt_sigreturn,exit_group"],
        ),
        // A thread's poll cut by exit_group: `<... poll resumed> <unfinished ...>) = ?`
        // (poll is not complete at entry), and `exit_group(0) = ?` printed whole.
        ("cut", &["-f", "-e", "trace=poll,exit_group"]),
        // `restart_syscall(<... resuming interrupted clock_nanosleep ...>)`, and getrandom.
        (
            "restart",
            &[
                "-f",
                "-e",
                "trace=restart_syscall,getrandom,clock_nanosleep",
                "-e",
                "signal=none",
            ],
        ),
        (
            "restart",
            &["-f", "-e", "trace=restart_syscall", "-e", "signal=none"],
        ),
        ("forkexec", &["-e", "trace=execve,wait4,exit_group"]),
        ("sockets", &["-yy", "-e", "trace=%network,read,write,close"]),
    ];
    for (name, flags) in cases {
        let prog = program(name);
        let run = |tool: &str| -> String {
            let mut cmd = if tool == "strace" {
                Command::new("strace")
            } else {
                let mut c = Command::new(SAKER);
                c.arg("trace");
                c
            };
            cmd.args(flags)
                .arg(&prog)
                .env_clear()
                .env("PATH", "/usr/bin:/bin");
            let (_, text) = run_continuing_stops(cmd);
            // strace's envp pointer is on the stack, saker's on the heap: both masked.
            mask(&text.replace("saker trace: Process ", "strace: Process "))
        };
        let theirs = run("strace");
        let ours = run("saker");
        let mut differences = String::new();
        for (i, (a, b)) in theirs.lines().zip(ours.lines()).enumerate() {
            if a != b {
                differences.push_str(&format!("line {}:\n  strace: {a}\n  saker:  {b}\n", i + 1));
            }
        }
        assert!(
            differences.is_empty() && theirs.lines().count() == ours.lines().count(),
            "{name} {flags:?}:\n{differences}\n--- strace ---\n{theirs}--- saker ---\n{ours}"
        );
    }
}

#[test]
fn ebpf_summary_counts_match_ptrace() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    let ebpf = saker(&["--ebpf", "-c", prog.to_str().unwrap()]);
    let text = stderr(&ebpf);
    if text.starts_with("saker trace: --ebpf:") {
        eprintln!("SKIPPED: eBPF counting is not available here: {text}");
        return;
    }
    assert_eq!(ebpf.status.code(), Some(3), "{text}");
    let by_ebpf = summary_counts(&text);
    let by_ptrace = summary_counts(&stderr(&saker(&["-c", prog.to_str().unwrap()])));
    assert_eq!(by_ebpf, by_ptrace, "same calls and errors per syscall");
    // -e trace= picks the rows of the kernel's counts; -z changes no count (as with strace).
    let picked = saker(&[
        "--ebpf",
        "-c",
        "-z",
        "-e",
        "trace=openat,close",
        prog.to_str().unwrap(),
    ]);
    let picked = summary_counts(&stderr(&picked));
    let mut wanted: HashMap<String, (u64, u64)> = by_ptrace
        .into_iter()
        .filter(|(name, _)| name == "openat" || name == "close")
        .collect();
    let total = wanted
        .values()
        .fold((0, 0), |sum, c| (sum.0 + c.0, sum.1 + c.1));
    wanted.insert("total".to_string(), total);
    assert_eq!(
        picked, wanted,
        "only the picked syscalls, with their counts"
    );
    // Without a time column or a time order the kernel counts without reading the clock; the
    // table is the same as ptrace's.
    let untimed = ["-c", "-U", "calls,errors,name", "-S", "calls"];
    let prog = prog.to_str().unwrap();
    let by_ebpf = saker(&[&["--ebpf"][..], &untimed, &[prog]].concat());
    let by_ptrace = saker(&[&untimed[..], &[prog]].concat());
    assert_eq!(stderr(&by_ebpf), stderr(&by_ptrace));
}

/// A named set with a call this kernel does not implement (it has no `sys_exit_` tracepoint):
/// `--ebpf` still shows it failing with ENOSYS, as ptrace does; and `--status` decides
/// whether exit_group's line shows, as it does under ptrace.
#[test]
fn ebpf_shows_unimplemented_calls_and_exit_group_by_status() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("enosys");
    let args = ["-e", "trace=lookup_dcookie,getuid", prog.to_str().unwrap()];
    let Some(ebpf) = ebpf_trace(&args) else {
        return;
    };
    let ptrace = saker(&args);
    let (ours, theirs) = (stderr(&ebpf), stderr(&ptrace));
    let first = theirs.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("lookup_dcookie(1, 0x2, 3) ") && first.contains(" = -1 ENOSYS "),
        "{theirs}"
    );
    assert_eq!(masked_lines(&ours), masked_lines(&theirs));

    // exit_group's `= ?` is the status `unfinished`: --status=none leaves only the exit.
    for status in ["--status=none", "--status=unfinished"] {
        let args = [status, "-e", "trace=exit_group", "true"];
        let ebpf = stderr(&ebpf_trace(&args).expect("eBPF worked above"));
        let ptrace = stderr(&saker(&args));
        assert_eq!(masked_lines(&ebpf), masked_lines(&ptrace), "{status}");
        assert_eq!(
            ebpf.contains("exit_group(0)"),
            status.ends_with("unfinished"),
            "{ebpf}"
        );
    }
}

/// `-p PID` with a command: both traced, the tracer ends when both did; `--ebpf` shows what
/// ptrace shows (strace 6.1's attach-p-cmd and attach-f-p tests).
#[test]
fn ebpf_attach_and_command_together_like_ptrace() {
    if !live() {
        return;
    }
    let _one = serial();
    let run = |ebpf: bool| {
        // Long enough to outlast the tracer's start on a loaded CI machine: a capture that
        // attached after the sleep returned would see its exit_group only.
        let mut attached = Command::new("sleep").arg("2").spawn().expect("sleep");
        let pid = attached.id().to_string();
        let args = [
            "-e",
            "trace=clock_nanosleep,exit_group",
            "-p",
            &pid,
            "--",
            "sleep",
            "0.2",
        ];
        let out = if ebpf {
            ebpf_trace(&args)
        } else {
            Some(saker(&args))
        };
        let _ = attached.wait();
        out.map(|out| {
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            stderr(&out).replace(&pid, "ATTACHED")
        })
    };
    let Some(ours) = run(true) else {
        return;
    };
    let theirs = run(false).expect("ptrace");
    assert!(ours.contains("Process ATTACHED attached"), "{ours}");
    // ptrace's attach interrupts the sleep (strace shows its restart); the capture just sees
    // it return, after the command ended.
    assert!(
        ours.contains("clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=2, tv_nsec=0}"),
        "the attached process's call, after the command ended: {ours}"
    );
    let commands = |text: &str| -> Vec<String> {
        masked_lines(text)
            .into_iter()
            .filter(|l| l.starts_with("[pid "))
            .collect()
    };
    assert_eq!(commands(&ours), commands(&theirs), "the command's lines");
    assert_eq!(commands(&ours).len(), 3, "{ours}");
    assert!(ours.trim_end().ends_with("+++ exited with 0 +++"), "{ours}");
}

/// The seconds column of `syscall`'s row in the table that ends `text`.
fn summary_seconds(text: &str, syscall: &str) -> f64 {
    let row = text
        .lines()
        .find(|l| l.ends_with(&format!(" {syscall}")))
        .unwrap_or_else(|| panic!("no {syscall} row: {text}"));
    row.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// strace's tests/strace-C.test: `-C` counts system time, so a sleep's wait stays out of the
/// table while its line's `-T` shows it; `-C -w` counts the wait.
#[test]
fn ebpf_lines_with_summary_count_system_time() {
    if !live() {
        return;
    }
    let _one = serial();
    let args = ["-T", "-C", "-e", "trace=clock_nanosleep", "sleep", "0.3"];
    let Some(system) = ebpf_trace(&args) else {
        return;
    };
    let text = stderr(&system);
    assert!(system.status.success(), "{text}");
    let line = Regex::new(r"clock_nanosleep\(.*\) = 0 <0\.(\d{6})>").unwrap();
    let shown = line.captures(&text).unwrap_or_else(|| panic!("{text}"));
    assert!(
        shown[1].parse::<u32>().unwrap() >= 300_000,
        "-T is wall-clock: {text}"
    );
    assert!(summary_seconds(&text, "clock_nanosleep") < 0.1, "{text}");

    let with_w = [&["-w"][..], &args[1..]].concat();
    let wall = stderr(&ebpf_trace(&with_w).expect("eBPF worked above"));
    assert!(summary_seconds(&wall, "clock_nanosleep") >= 0.3, "{wall}");
}

/// `--ebpf -C` (lines, then the table) and `--ebpf -P` (with and without -c) against ptrace.
#[test]
fn ebpf_summary_with_lines_and_path_filter() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    let p = prog.to_str().unwrap();
    let Some(ebpf) = ebpf_trace(&["-C", "-e", "trace=openat,close,write", p]) else {
        return;
    };
    let ptrace = saker(&["-C", "-e", "trace=openat,close,write", p]);
    let (ours, theirs) = (stderr(&ebpf), stderr(&ptrace));
    assert_eq!(ebpf.status.code(), Some(3), "{ours}");
    let lines = |text: &str| -> Vec<String> {
        masked_lines(text)
            .into_iter()
            .take_while(|l| !l.starts_with("% time"))
            .collect()
    };
    assert_eq!(
        lines(&ours),
        lines(&theirs),
        "the same lines before the table"
    );
    let table = |text: &str| summary_counts(&text[text.find("% time").expect("a table")..]);
    assert_eq!(table(&ours), table(&theirs), "the same counts after them");

    for args in [
        &["-P", "/dev/null", p][..],
        &["-c", "-P", "/dev/null", p][..],
    ] {
        let ebpf = stderr(&ebpf_trace(args).expect("eBPF worked above"));
        let ptrace = stderr(&saker(args));
        if args[0] == "-c" {
            assert_eq!(summary_counts(&ebpf), summary_counts(&ptrace), "{ebpf}");
            assert_eq!(
                summary_counts(&ebpf)["total"].0,
                4,
                "open, write, fstat, close: {ebpf}"
            );
        } else {
            assert_eq!(masked_lines(&ebpf), masked_lines(&ptrace), "{ebpf}");
            assert!(
                ebpf.contains("write(3, \"hello, tracer\\n\", 14)"),
                "{ebpf}"
            );
        }
    }
}

/// The syscall and signal lines of a trace, masked (execve's envp pointer too: the eBPF
/// capture keeps it from the call's entry, as ptrace reads it there).
fn masked_lines(text: &str) -> Vec<String> {
    mask(text)
        .lines()
        .filter(|l| !l.starts_with("saker trace:"))
        .map(str::to_string)
        .collect()
}

/// `--ebpf` lines against ptrace lines on the same program: line for line the same, paths,
/// buffers and stat structs included.
#[test]
fn ebpf_lines_match_ptrace() {
    if !live() {
        return;
    }
    let _one = serial();
    let Some(text) = ebpf_matches_ptrace("files", &[], 3) else {
        return;
    };
    assert!(text.contains("{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}"));
}

/// Runs test program `name` with options `args` under `--ebpf` and under ptrace, and checks
/// that both print the same lines and that the program exits with `status`; returns the
/// `--ebpf` text, `None` when eBPF is not available here (said so).
fn ebpf_matches_ptrace(name: &str, args: &[&str], status: i32) -> Option<String> {
    let prog = program(name);
    let args: Vec<&str> = args
        .iter()
        .copied()
        .chain([prog.to_str().unwrap()])
        .collect();
    let ebpf = ebpf_trace(&args)?;
    let text = stderr(&ebpf);
    assert_eq!(ebpf.status.code(), Some(status), "{text}");
    let ptrace = stderr(&saker(&args));
    assert_eq!(
        masked_lines(&text),
        masked_lines(&ptrace),
        "--- ebpf ---\n{text}"
    );
    Some(text)
}

/// Netlink messages of a program that is gone before its lines print (netlink.c): the capture
/// looks up the socket's protocol in the kernel and copies the whole message, whatever `-s`
/// says, so `--ebpf` decodes them as ptrace and strace do (strace's netlink_route and nlattr_*
/// tests, which failed under `--ebpf` for this reason).
#[test]
fn ebpf_decodes_netlink_messages_of_a_program_already_gone() {
    if !live() {
        return;
    }
    let _one = serial();
    let Some(text) = ebpf_matches_ptrace("netlink", &["-e", "trace=sendto,sendmsg"], 0) else {
        return;
    };
    // What strace 6.1 prints for the same program (`strace -e trace=sendto,sendmsg`).
    for expected in [
        "sendto(4, [{nlmsg_len=44, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST, \
         nlmsg_seq=7, nlmsg_pid=0}, {ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NETROM, ifi_index=0, \
         ifi_flags=0, ifi_change=0}, [[{nla_len=7, nla_type=IFLA_IFNAME}, \"lo\"], \
         {nla_len=0, nla_type=IFLA_UNSPEC}]], 44, MSG_DONTWAIT, NULL, 0) = 44",
        "sendto(3, \"\\x14\\x00\\x00\\x00\\x12\\x00\\x01\\x00\", 8, MSG_DONTWAIT, NULL, 0) = 8",
    ] {
        assert!(
            text.contains(expected),
            "missing {expected}\n--- ebpf ---\n{text}"
        );
    }
}

/// `-yy` of fds whose program (and directory) are gone by the time `--ebpf` prints their lines
/// (gonefds.c): the working directory followed through `chdir`, `.` opened in it, the
/// anonymous-inode fds, a pidfd's process and a fd copied from it are named as ptrace names
/// them while the program runs (strace's faccessat-yy, pidfd_open-yy, pidfd_getfd-yy).
#[test]
fn ebpf_names_fds_of_a_program_already_gone() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("gonefds");
    let args = [
        "-yy",
        "-e",
        "signal=none",
        "-e",
        "trace=chdir,faccessat2,eventfd2,timerfd_create,pidfd_open,pidfd_getfd,clone,fsync,close",
        prog.to_str().unwrap(),
    ];
    let Some(ebpf) = ebpf_trace(&args) else {
        return;
    };
    // The traced program's own pid (`mask` numbers the children's).
    let pids = Regex::new(r"pidfd_open\(\d+|pid:\d+").unwrap();
    let lines = |text: &str| -> Vec<String> {
        masked_lines(text)
            .iter()
            .map(|l| pids.replace_all(l, "PID").into_owned())
            .collect()
    };
    let text = stderr(&ebpf);
    assert_eq!(ebpf.status.code(), Some(0), "{text}");
    assert_eq!(
        lines(&text),
        lines(&stderr(&saker(&args))),
        "--- ebpf ---\n{text}"
    );
    for expected in [
        "faccessat2(AT_FDCWD</tmp/saker-gonefds/sub>, \"missing\", F_OK, 0) = -1 ENOENT",
        "faccessat2(3</tmp/saker-gonefds/sub>, \"missing\", F_OK, 0) = -1 ENOENT",
        "= 4<anon_inode:[eventfd]>",
        "= 5<anon_inode:[timerfd]>",
        "PID, 0) = 6<PID>",
        "pidfd_getfd(6<PID>, 3</tmp/saker-gonefds/sub>, 0) = 7</tmp/saker-gonefds/sub>",
        "flags=CLONE_PIDFD|SIGCHLD, parent_tid=[8<pid:",
        "close(8<pid:",
    ] {
        assert!(
            lines(&text).iter().any(|l| l.contains(expected)),
            "missing {expected}\n{text}"
        );
    }
}

/// Memory arguments beyond the first two and of the kinds added for them (memargs.c):
/// `--ebpf` prints what ptrace prints, where an uncopied argument would show its address.
/// In/out lengths are kept at the calls' entry, with all calls traced (the dispatcher) and
/// with a `-e trace=` subset (one tracepoint per call).
#[test]
fn ebpf_copies_third_and_fourth_memory_arguments_like_ptrace() {
    if !live() {
        return;
    }
    let _one = serial();
    let Some(subset) = ebpf_matches_ptrace("memargs", &["-e", "trace=getsockname,getsockopt"], 0)
    else {
        return;
    };
    assert!(subset.contains("[110 => 2]) = 0"), "{subset}");
    // All calls, with -v for the seccomp filter: the same lines but for the exec line,
    // whose environment --ebpf does not copy (docs/trace.md).
    let prog = program("memargs");
    let Some(ebpf) = ebpf_trace(&["-v", prog.to_str().unwrap()]) else {
        return;
    };
    let ptrace = saker(&["-v", prog.to_str().unwrap()]);
    let spaces = Regex::new(r"\s+").unwrap();
    let lines = |text: &str| -> Vec<String> {
        masked_lines(text)
            .iter()
            .skip(1)
            .map(|l| spaces.replace_all(l, " ").to_string())
            .collect()
    };
    let text = stderr(&ebpf);
    assert_eq!(
        lines(&text),
        lines(&stderr(&ptrace)),
        "--- ebpf ---\n{text}"
    );
    let text = lines(&text).join("\n");
    for expected in [
        "mount(\"none\", \"/nonexistent/saker-mnt\", \"tmpfs\", MS_RDONLY, \"size=1m\") = -1 ENOENT",
        "setxattr(\"/nonexistent/saker-x\", \"user.saker\", \"va\\0lue\", 6, XATTR_CREATE)",
        "add_key(NULL, NULL, \"payload\", 7, 0)",
        "move_pages(0, 1, [0xADDR], [0], [0], 0) = 0",
        "pppppppppp\"...) = -1 ENAMETOOLONG",
        "memfd_create(\"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"..., 0) = -1 EFAULT",
        "write(4, \"01234567890123456789012345678901\"..., 40) = 40",
        "SO_LINGER, {l_onoff=0, l_linger=0}, [8]) = 0",
        "SO_TYPE, [1], [5 => 4]) = 0",
        "getsockname(5, {sa_family=AF_UNIX}, [110 => 2]) = 0",
        "mincore(0xADDR, 4096, [1]) = 0",
        "get_mempolicy([MPOL_DEFAULT], [0000000000000000, 0000000000000000], 128, NULL, 0)",
        "[{iov_base=\"abcdefg\\0\", iov_len=8}], 1, [{iov_base=0xADDR, iov_len=8}], 1, 0)",
        "rt_sigtimedwait([USR2], NULL, {tv_sec=0, tv_nsec=1000}, 8)",
        "FSCONFIG_SET_BINARY, \"key\", \"\\x62\\x69\\x6e\\x00\\x61\\x72\\x79\", 7)",
        "keyctl(KEYCTL_SEARCH, 0, \"user\", \"saker\", 0)",
        "PR_SET_VMA_ANON_NAME, NULL, 1, \"anon-name\")",
        "{len=2, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW)]}",
        "set_tid=[7, 8], set_tid_size=2}, 88) = -1 EINVAL",
        "sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=16,",
        "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0]}]",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}

/// Structs, arrays and signals under `--ebpf -f`: the same lines as ptrace, each process's in
/// the same order. (Across processes the order differs: ptrace shows a call's line when it
/// starts, eBPF when it returns, and an ignored SIGCHLD when it is sent.)
#[test]
fn ebpf_decodes_structs_and_signals_like_ptrace() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("structs");
    // -q: no `Process N attached` cutting into a line on the shared stderr.
    let Some(ebpf) = ebpf_trace(&["-f", "-q", prog.to_str().unwrap()]) else {
        return;
    };
    let text = stderr(&ebpf);
    assert_eq!(ebpf.status.code(), Some(0), "{text}");
    let ptrace = stderr(&saker(&["-f", "-q", prog.to_str().unwrap()]));
    // Per process, with ptrace's split `<unfinished ...>` calls joined.
    let by_process = |text: &str| -> BTreeMap<String, Vec<String>> {
        let prefix = Regex::new(r"^\[pid\s+(\S+)\] (.*)$").unwrap();
        let padded_result = Regex::new(r"\s+= ").unwrap();
        let mut lines: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut open: BTreeMap<String, String> = BTreeMap::new();
        for line in masked_lines(text) {
            let (who, rest) = match prefix.captures(&line) {
                Some(c) => (c[1].to_string(), c[2].to_string()),
                None => ("PID1".to_string(), line.clone()),
            };
            let rest = padded_result.replace(&rest, " = ").to_string();
            if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
                open.insert(who, head.to_string());
                continue;
            }
            let rest = match (rest.split_once("resumed>"), open.remove(&who)) {
                (Some((_, tail)), Some(head)) => format!("{head}{tail}"),
                _ => rest,
            };
            lines.entry(who).or_default().push(rest);
        }
        lines
    };
    let (mut ours, mut theirs) = (by_process(&text), by_process(&ptrace));
    for lines in ours.values_mut().chain(theirs.values_mut()) {
        // The parent's SIGCHLD comes at a different place (see above).
        lines.retain(|l| !l.starts_with("--- SIGCHLD"));
    }
    assert_eq!(
        ours, theirs,
        "--- ebpf ---\n{text}\n--- ptrace ---\n{ptrace}"
    );
    for expected in [
        "rt_sigaction(SIGUSR1, {sa_handler=0xADDR, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0xADDR}, NULL, 8) = 0",
        "uname({sysname=\"Linux\", ",
        "rt_sigreturn({mask=[]})",
        "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, ",
        "wait4(",
    ] {
        assert!(mask(&text).contains(expected), "{expected}\n{text}");
    }
    assert!(
        text.contains("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED,"),
        "an ignored SIGCHLD is still shown: {text}"
    );
}

/// `--ebpf -y`, `--json` and `-ff -o`: the options work in eBPF mode as with ptrace.
#[test]
fn ebpf_fd_paths_json_and_one_file_per_process() {
    if !live() {
        return;
    }
    let _one = serial();
    let prog = program("files");
    let Some(out) = ebpf_trace(&["-y", prog.to_str().unwrap()]) else {
        return;
    };
    let text = stderr(&out);
    assert!(text.contains("read(3</dev/zero>, "), "{text}");
    assert!(text.contains("close(3</dev/null>)"), "{text}");

    let out = saker(&["--ebpf", "--json", prog.to_str().unwrap()]);
    let records: Vec<serde_json::Value> = stderr(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let openat = records
        .iter()
        .find(|r| r["name"] == "openat" && r["errno"] == "ENOENT")
        .expect("a failed openat record");
    assert_eq!(openat["args"][1], "\"/nonexistent/saker-test\"");
    assert_eq!(openat["return"], -1);
    assert!(openat["duration"].as_f64().is_some(), "{openat}");
    assert_eq!(records.last().unwrap()["type"], "exit");
    assert_eq!(records.last().unwrap()["exit_code"], 3);

    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("trace");
    let forks = program("forkexec");
    let out = saker(&[
        "--ebpf",
        "-ff",
        "-o",
        prefix.to_str().unwrap(),
        forks.to_str().unwrap(),
    ]);
    assert!(
        out.status.success() || out.status.code().is_some(),
        "{}",
        stderr(&out)
    );
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert!(files.len() >= 2, "one file per process: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(file.path()).unwrap();
        assert!(!text.contains("[pid "), "no prefixes with -ff: {text}");
        assert!(
            text.ends_with("+++\n"),
            "each file ends with its process: {text}"
        );
    }
}

#[test]
fn ebpf_inside_a_user_namespace_says_why_it_cannot_load() {
    if !live() {
        return;
    }
    // Root inside `unshare -U` holds every capability of its namespace, yet bpf(2) checks the
    // initial one: the message must name the namespace, not a map that failed to load.
    let probe = Command::new("unshare").args(["-Ur", "true"]).status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: `unshare -Ur` does not work here (user namespaces disabled?)");
        return;
    }
    let out = Command::new("unshare")
        .args(["-Ur", SAKER, "trace", "--ebpf", "true"])
        .output()
        .expect("run unshare");
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with("saker trace: --ebpf:") && text.contains("inside a user namespace"),
        "{text}"
    );
}

#[test]
fn fd_paths_that_are_not_utf8_print_as_bytes() {
    if !live() {
        return;
    }
    let _one = serial();
    let dir = tempfile::tempdir().unwrap();
    let dir_name = dir.path().to_str().unwrap();
    let prog = program("rawname");
    let out = saker(&[
        "-a0",
        "-y",
        "-e",
        "trace=fsync",
        prog.to_str().unwrap(),
        dir_name,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The second fsync comes after the unlink: the name is kept, the mark goes outside.
    assert_eq!(
        stderr(&out),
        format!(
            "fsync(3<{dir_name}/\\377\\200>) = 0\nfsync(3<{dir_name}/\\377\\200>(deleted)) = 0\n\
             fsync(4<{dir_name}/\\377\\200 (deleted)>(deleted)) = 0\n+++ exited with 0 +++\n"
        )
    );
}
