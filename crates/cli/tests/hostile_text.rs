//! Text an attacker controls (process name, arguments, environment, file and directory names)
//! must not be able to add lines or send terminal escape sequences through `saker ps`,
//! `pstree`, `proc` and `secrets` (issue 14): human-readable output escapes control
//! characters as strace does in its strings; JSON output stays exact.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Output, Stdio};

/// A line that would pass for the `proc` page's own, then a screen clear and a title change.
const EVIL_ARG: &str = "x\nExe         /usr/sbin/sshd\n\x1b[2J\x1b]0;owned\x07";
/// 15 bytes, what fits in a comm.
const EVIL_COMM: &[u8] = b"\x1b[31mred\nExe x";
const EVIL_SECRET: &str = "hunter2\x1b[8m\nExe         /usr/sbin/sshd";

fn saker(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args)
        .output()
        .expect("spawn saker")
}

struct Victim {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Victim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A shell whose argv[0], arguments, environment, working directory, an open file's name and
/// comm (it renames itself) are hostile. It waits for its stdin to close.
fn start_victim() -> Victim {
    let dir = tempfile::tempdir().unwrap();
    let evil_dir = dir.path().join("d\nCwd         evil\x1b[0m");
    std::fs::create_dir(&evil_dir).unwrap();
    let evil_file = evil_dir.join("f\nExe         sshd\x1b[1m");
    std::fs::write(&evil_file, "content\n").unwrap();
    let mut child = Command::new("/bin/sh")
        .arg0(format!("sh{EVIL_ARG}"))
        .args([
            "-c",
            "exec 7<\"$F\"; printf %s \"$C\" >/proc/$$/comm; echo ready; read x",
            "sh",
            EVIL_ARG,
        ])
        .env("F", &evil_file)
        // Only a process itself may rename itself (/proc/PID/comm).
        .env("C", std::ffi::OsStr::from_bytes(EVIL_COMM))
        .env("EVIL_VAR", EVIL_ARG)
        .env("API_TOKEN", EVIL_SECRET)
        .current_dir(&evil_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = [0u8; 6];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut ready).unwrap();
    assert_eq!(&ready, b"ready\n");
    Victim { child, _dir: dir }
}

/// No raw control character but the line ends, no fake `Exe`/`Cwd` line, and the escaped
/// forms present (the hostile text is shown, not dropped).
fn assert_escaped(what: &str, out: &Output, own_exe_lines: usize) {
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    for (i, line) in text.lines().enumerate() {
        assert!(
            !line.chars().any(|c| c.is_control()),
            "{what}: raw control character on line {i}: {line:?}"
        );
    }
    let exe_lines = text.lines().filter(|l| l.starts_with("Exe ")).count();
    assert_eq!(exe_lines, own_exe_lines, "{what}: fake Exe line:\n{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("Cwd         evil")),
        "{what}: fake Cwd line:\n{text}"
    );
    // pstree writes every escaped byte as three octal digits, as psmisc's does.
    let esc = if what == "pstree" { "\\033[" } else { "\\33[" };
    assert!(text.contains(esc), "{what}: escaped ESC missing:\n{text}");
}

#[test]
fn hostile_names_args_and_environment_are_escaped() {
    let v = start_victim();
    let pid = v.child.id().to_string();

    let ps = saker(&["ps"]);
    assert_escaped("ps", &ps, 0);
    let ps_text = String::from_utf8_lossy(&ps.stdout);
    let row = ps_text
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(&pid))
        .unwrap();
    assert!(
        row.ends_with("\\nExe         /usr/sbin/sshd\\n\\33[2J\\33]0;owned\\7"),
        "{row}"
    );

    assert_escaped("pstree", &saker(&["pstree", "-A", &pid]), 0);
    let tree = String::from_utf8(saker(&["pstree", "-A", &pid]).stdout).unwrap();
    assert!(tree.starts_with("\\033[31mred\\012Exe x("), "{tree}");

    assert_escaped("proc", &saker(&["proc", &pid]), 1);
    let fds = saker(&["proc", &pid, "--fds"]);
    assert_escaped("proc --fds", &fds, 0);
    assert!(String::from_utf8_lossy(&fds.stdout).contains("f\\nExe         sshd\\33[1m"));
    assert_escaped("proc --env", &saker(&["proc", &pid, "--env"]), 0);
    assert_escaped("secrets --show", &saker(&["secrets", "--show"]), 0);
    let secrets = String::from_utf8(saker(&["secrets", "--show"]).stdout).unwrap();
    assert!(
        secrets.contains("hunter2\\33[8m\\nExe         /usr/sbin/sshd"),
        "{secrets}"
    );

    // JSON stays exact: the same text, escaped by JSON itself.
    let rows: serde_json::Value = serde_json::from_slice(&saker(&["ps", "--json"]).stdout).unwrap();
    let me = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"].as_u64() == pid.parse().ok())
        .unwrap();
    assert_eq!(me["cmdline"][4], EVIL_ARG);
    assert_eq!(me["comm"], std::str::from_utf8(EVIL_COMM).unwrap());
    let env: serde_json::Value =
        serde_json::from_slice(&saker(&["proc", &pid, "--env", "--json"]).stdout).unwrap();
    assert_eq!(env["EVIL_VAR"], EVIL_ARG);
}
