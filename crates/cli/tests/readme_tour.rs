//! The README cannot rot: its set-up command and every line of its tour are run here as they
//! are written (issue 16). The tour's lines are read from README.md's console block and run
//! in one bash session, in a scratch directory, with this build of `saker` first on the PATH;
//! the only change is that `-M N` runs are cut to 2 seconds.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    std::fs::read_to_string(path).unwrap()
}

/// The fenced block of kind `kind` that follows `heading`.
fn block_after(text: &str, heading: &str, kind: &str) -> String {
    let section = text
        .split_once(heading)
        .unwrap_or_else(|| panic!("README has no {heading:?}"))
        .1;
    let fence = format!("```{kind}\n");
    let body = section
        .split_once(&fence)
        .unwrap_or_else(|| panic!("no ```{kind} block after {heading:?}"))
        .1;
    body.split_once("```").unwrap().0.to_string()
}

/// A tour line: the command after `$ `, without its `  # comment`.
fn tour_commands(block: &str) -> Vec<String> {
    let comment = regex::Regex::new(r"\s{2,}#.*$").unwrap();
    block
        .lines()
        .filter_map(|l| l.strip_prefix("$ "))
        .map(|c| comment.replace(c, "").trim().to_string())
        .collect()
}

/// Both tests start `saker run` as written, whose web server takes port 8765: one at a time.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_saker"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Why eBPF cannot be used here, if it cannot (the tour's `run` and `trace --ebpf` need it).
fn no_ebpf() -> Option<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["trace", "--ebpf", "-c", "-o", "/dev/null", "true"])
        .output()
        .unwrap();
    (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Exit statuses a tour line may end with: `secrets` says 1 when it finds something (other
/// processes on a test machine may expose some) and 3 when it could not read every process.
fn allowed_status(command: &str) -> &'static [i32] {
    if command.starts_with("saker secrets") {
        &[0, 1, 3]
    } else {
        &[0]
    }
}

/// What some lines must show, beyond a clean exit: (command prefix, file, text).
const EXPECT: &[(&str, &str, &str)] = &[
    (
        "saker run --ptrace",
        "out",
        "Sensitive file opened for reading",
    ),
    ("saker run -M", "err", "Events seen:"),
    ("saker run --json", "out", ""),
    ("saker ps aux", "out", "CONTAINER"),
    ("saker pstree -p 1", "out", "(1)"),
    ("saker proc $$ --fds", "out", "O_WRONLY"),
    ("saker proc $$ --fd 7 --tail 3", "out", ":"),
    ("saker proc $$ --fd 7 --strings", "out", "root:x:0:0"),
    ("saker trace -f", "err", "+++ exited with 0 +++"),
    ("sleep 2 & saker trace -cw", "err", "total"),
    ("saker trace --ebpf -c", "err", "total"),
    ("saker capture", "err", "Events seen:"),
    ("saker rules validate", "out", "0 errors"),
    ("saker rules describe", "out", "Terminal shell in container"),
    ("saker fields", "out", "proc.name"),
];

#[test]
fn readme_tour_runs_as_written() {
    if !is_root() {
        eprintln!("SKIPPED: the README tour is written for root (eBPF, ptrace, every /proc entry)");
        return;
    }
    let _one = one_at_a_time();
    if let Some(why) = no_ebpf() {
        eprintln!("SKIPPED: the README tour uses eBPF, which fails here: {why}");
        return;
    }
    let commands = tour_commands(&block_after(&readme(), "## A tour", "console"));
    assert!(commands.len() >= 15, "{commands:?}");
    let bounded = regex::Regex::new(r"-M \d+").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut script = String::from("set -u\n");
    for (i, command) in commands.iter().enumerate() {
        let run = bounded.replace_all(command, "-M 2");
        // A `{ ...; }` group: `exec 7<...` stays in the session, the redirections do not.
        // Standard output goes through a pipe, as on a terminal: a command's program writing
        // beside Saker's alerts (`cat /etc/shadow`) into one file would share its offset, and
        // cat's copy_file_range does not take the offset lock write takes, so an alert written
        // at the same moment was overwritten.
        script.push_str(&format!(
            "{{ {run} ; }} > >(cat > out.{i}) 2> err.{i}; echo $? > status.{i}; wait $!\n"
        ));
    }
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("timeout")
        .args(["600", "bash", "-c", &script])
        .current_dir(dir.path())
        .env("PATH", path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "the tour script: {out:?}");
    let read = |name: String| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    for (i, command) in commands.iter().enumerate() {
        let status: i32 = read(format!("status.{i}")).trim().parse().unwrap();
        let stdout = read(format!("out.{i}"));
        let stderr = read(format!("err.{i}"));
        assert!(
            allowed_status(command).contains(&status),
            "`{command}` exited {status}:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.starts_with("error:"),
            "`{command}`:\n{stderr}"
        );
        for (prefix, file, want) in EXPECT {
            if command.starts_with(prefix) {
                let text = if *file == "out" { &stdout } else { &stderr };
                assert!(
                    text.contains(want),
                    "`{command}` {file} lacks {want:?}:\n{text}"
                );
            }
        }
        if command.starts_with("saker run --json") {
            for line in stdout.lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|e| panic!("`{command}`: not JSON ({e}): {line}"));
            }
        }
    }
}

/// The README's first set-up command is the main job, `saker run`: alerts as they happen, a
/// summary on Ctrl-C. Run the same arguments on this build and press Ctrl-C.
#[test]
fn readme_first_command_watches_the_host_until_ctrl_c() {
    let setup = block_after(&readme(), "## Set up", "sh");
    let first = setup
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap();
    let args = first
        .strip_prefix("cargo run --release -- ")
        .unwrap_or_else(|| panic!("the first set-up command is {first:?}"));
    assert_eq!(args.split_whitespace().next(), Some("run"), "{first}");
    if !is_root() {
        eprintln!("SKIPPED: saker run needs root for eBPF");
        return;
    }
    if let Some(why) = no_ebpf() {
        eprintln!("SKIPPED: saker run needs eBPF, which fails here: {why}");
        return;
    }
    let _one = one_at_a_time();
    let mut child = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args.split_whitespace())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut log = String::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !log.contains("Watching ") {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 || Instant::now() > deadline {
            let _ = child.kill();
            panic!("saker run did not start watching:\n{log}");
        }
        log.push_str(&line);
    }
    // Something for the embedded rules to see.
    let _ = Command::new("cat")
        .arg("/etc/shadow")
        .stdout(Stdio::null())
        .status();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut alert = String::new();
    while !alert.contains("Sensitive file opened for reading") {
        alert.clear();
        if stdout.read_line(&mut alert).unwrap() == 0 || Instant::now() > deadline {
            let _ = child.kill();
            panic!("no alert for cat /etc/shadow:\n{log}");
        }
    }
    // Ctrl-C.
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    for want in [
        "Events seen:",
        "Events dropped:",
        "Alerts:",
        "Read sensitive file untrusted: ",
    ] {
        assert!(rest.contains(want), "summary lacks {want:?}:\n{rest}");
    }
}
