//! Shared by the `saker trace` test files: building the C test programs, running saker,
//! masking what is not deterministic, golden files.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

use regex::Regex;

pub const SAKER: &str = env!("CARGO_BIN_EXE_saker");

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether this machine can run the live tests; prints why not (loudly) when it cannot.
pub fn live() -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIPPED: saker trace live tests need root (ptrace of arbitrary processes)");
        return false;
    }
    if Command::new("gcc").arg("--version").output().is_err() {
        eprintln!("SKIPPED: gcc is not installed; the traced test programs are C sources");
        return false;
    }
    true
}

/// Builds `tests/trace-programs/NAME.c` (static, so the dynamic loader adds no noise) once.
pub fn program(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let built = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = built.get(name) {
        return path.clone();
    }
    // A short directory outside the repository: argv[0] and readlink("/proc/self/exe") show
    // up in the golden files, so the path must not depend on where the repository or target
    // dir is. It is named by a hash of the source, so that a test run of another checkout,
    // with another version of the program, cannot replace this one's binary; `mask` turns it
    // into PROGRAM_DIR, which is as long.
    let source = manifest_dir()
        .join("tests/trace-programs")
        .join(format!("{name}.c"));
    let text = std::fs::read(&source).unwrap();
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hasher::write(&mut hasher, &text);
    let hash = std::hash::Hasher::finish(&hasher) & 0xf_ffff;
    let out_dir = PathBuf::from(format!("/tmp/saker-trace-{hash:05x}"));
    assert_eq!(out_dir.as_os_str().len(), PROGRAM_DIR.len());
    std::fs::create_dir_all(&out_dir).unwrap();
    let binary = out_dir.join(name);
    let partial = out_dir.join(format!(".{name}.{}", std::process::id()));
    let status = Command::new("gcc")
        .args(["-O1", "-static", "-pthread", "-o"])
        .arg(&partial)
        .arg(&source)
        .status()
        .expect("run gcc");
    assert!(status.success(), "gcc failed on {}", source.display());
    // Rename so that a concurrent run never executes a half-written file.
    std::fs::rename(&partial, &binary).unwrap();
    built.insert(name.to_string(), binary.clone());
    binary
}

/// Runs `saker trace ARGS` with an empty environment (so envp prints as `/* 0 vars */`).
pub fn saker(args: &[&str]) -> Output {
    Command::new(SAKER)
        .arg("trace")
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .output()
        .expect("run saker")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Replaces pids, addresses, inodes, ports, random bytes and times with stable tokens.
/// Pids are numbered in order of first appearance, so a golden file still shows which
/// process did what.
/// Where the golden files say the test programs are (see `program`).
pub const PROGRAM_DIR: &str = "/tmp/saker-trace-tests";

pub fn mask(text: &str) -> String {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (r"/tmp/saker-trace-[0-9a-f]{5}/", "/tmp/saker-trace-tests/"),
            (r"0x[0-9a-f]{5,}", "0xADDR"),
            // Random bytes, which strace always prints as `\xNN` (a non-hex form stays visible).
            (
                r#"getrandom\("(\\x[0-9a-f]{2})*""#,
                r#"getrandom("\xRANDOM""#,
            ),
            (r"(UNIX-[A-Z]+):\[\d+(->\d+)?", "$1:[INODE${2:+->PEER}"),
            (r"->\d+\]", "->PEER]"),
            (r"TCP:\[\d+\]", "TCP:[INODE]"),
            (r"socket:\[\d+\]", "socket:[INODE]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:PORT"),
            (r"htons\([1-9]\d*\)", "htons(PORT)"),
            (r"si_utime=\d+, si_stime=\d+", "si_utime=T, si_stime=T"),
            (r"<\d+\.\d+>", "<TIME>"),
        ]
        .into_iter()
        .map(|(re, with)| (Regex::new(re).unwrap(), with))
        .collect()
    });
    let pid_contexts = Regex::new(
        r"(?m)\[pid\s+(\d+)\]|^(\d+) |si_pid=(\d+)|set_tid_address\(0xADDR\)\s+= (\d+)|(?:clone3?|fork|vfork)\(.*\) = (\d+)|kill\((\d+)|tgkill\((\d+), (\d+)|wait4\((\d+)|\] = (\d+)$|resumed>.* = (\d+)$|Process (\d+)",
    )
    .unwrap();
    let mut out = text.to_string();
    for (re, with) in rules {
        // `${2:+...}` is not regex syntax; expand that one rule by hand.
        if with.contains("${2:+") {
            out = re
                .replace_all(&out, |c: &regex::Captures| {
                    format!(
                        "{}:[INODE{}",
                        &c[1],
                        if c.get(2).is_some() { "->PEER" } else { "" }
                    )
                })
                .into_owned();
        } else {
            out = re.replace_all(&out, *with).into_owned();
        }
    }
    let mut pids: Vec<String> = Vec::new();
    for caps in pid_contexts.captures_iter(&out) {
        for group in caps.iter().skip(1).flatten() {
            let pid = group.as_str().to_string();
            if pid.len() >= 2 && !pids.contains(&pid) {
                pids.push(pid);
            }
        }
    }
    for (i, pid) in pids.iter().enumerate() {
        let re = Regex::new(&format!(r"\b{pid}\b")).unwrap();
        out = re.replace_all(&out, format!("PID{}", i + 1)).into_owned();
    }
    // `[pid PID1]` keeps strace's padding only for short pids; make it uniform. Masked
    // values change the width before the column-40 alignment of ` = `: collapse it.
    let out = Regex::new(r"\[pid\s+PID")
        .unwrap()
        .replace_all(&out, "[pid PID");
    Regex::new(r"(\S)  += ")
        .unwrap()
        .replace_all(&out, "$1 = ")
        .into_owned()
}

/// Compares `actual` with `tests/trace-golden/NAME`, or rewrites it with UPDATE_GOLDEN=1.
pub fn golden(name: &str, actual: &str) {
    let path = manifest_dir().join("tests/trace-golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let mut report = String::new();
        for (i, (want, got)) in expected.lines().zip(actual.lines()).enumerate() {
            if want != got {
                report.push_str(&format!("line {}:\n  want: {want}\n  got:  {got}\n", i + 1));
            }
        }
        panic!(
            "{name} differs from the golden file ({} vs {} lines):\n{report}\n--- actual ---\n{actual}",
            expected.lines().count(),
            actual.lines().count()
        );
    }
}

/// ptrace relationships and wait4 are per process; tests of this file run saker one at a time
/// so timing-sensitive ones (attach/detach) are not starved on a 2-CPU machine.
pub fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// `saker trace --ebpf ARGS`, or `None` (with a SKIPPED note) where eBPF is not available.
pub fn ebpf_trace(args: &[&str]) -> Option<Output> {
    let mut all = vec!["--ebpf"];
    all.extend_from_slice(args);
    let out = saker(&all);
    let text = stderr(&out);
    if text.starts_with("saker trace: --ebpf:") {
        eprintln!("SKIPPED: eBPF capture is not available here: {text}");
        return None;
    }
    Some(out)
}
