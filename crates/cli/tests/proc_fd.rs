//! `saker proc PID --fd N`: what an fd points to, like `cat`/`head`/`tail` on /proc/PID/fd/N,
//! grep-like filtering with context, the `--strings` etcd trick, and the fds it must not read.

use std::io::Read;
use std::process::{Child, Command, Output, Stdio};

fn saker(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args)
        .output()
        .expect("spawn saker")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Thirty numbered lines, then a binary tail with a secret between NUL bytes, no final newline.
fn content() -> Vec<u8> {
    let mut c: Vec<u8> = (1..=30)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    c.extend_from_slice(b"\x00\x01key=12345\x00\x1b[2Jafter\x00last");
    c
}

/// A shell with fd 7 open on the file (unlinked after opening, as malware leaves its files),
/// fd 0 on a pipe, fd 8 on the terminal-like /dev/null, waiting for its stdin to close.
struct Holder {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_holder() -> Holder {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.bin");
    std::fs::write(&file, content()).unwrap();
    let mut child = Command::new("/bin/sh")
        .args([
            "-c",
            "exec 7<\"$F\" 8</dev/null; rm \"$F\"; echo ready; read x",
        ])
        .env("F", &file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = [0u8; 6];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut ready)
        .unwrap();
    Holder { child, _dir: dir }
}

#[test]
fn fd_alone_prints_the_content_like_cat() {
    let h = start_holder();
    let pid = h.child.id().to_string();
    let out = saker(&["proc", &pid, "--fd", "7"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Into a pipe the bytes are copied exactly: the file can be recovered.
    assert_eq!(out.stdout, content());
}

#[test]
fn head_and_tail_count_lines() {
    let h = start_holder();
    let pid = h.child.id().to_string();
    assert_eq!(
        stdout(&saker(&["proc", &pid, "--fd", "7", "--head", "2"])),
        "line 1\nline 2\n"
    );
    // `tail` shows the last lines; the last one has no newline, as in the file.
    let tail = saker(&["proc", &pid, "--fd", "7", "--tail", "2"]);
    assert!(tail.status.success());
    assert_eq!(
        tail.stdout,
        b"line 30\n\x00\x01key=12345\x00\x1b[2Jafter\x00last".to_vec()
    );
    // Without a number, ten lines, as head and tail.
    assert_eq!(
        stdout(&saker(&["proc", &pid, "--fd", "7", "--head"]))
            .lines()
            .count(),
        10
    );
    let ten = saker(&["proc", &pid, "--fd", "7", "--tail"]);
    assert!(ten.stdout.starts_with(b"line 22\n"), "{:?}", ten.stdout);
    // More lines than the file has: all of it.
    assert_eq!(
        saker(&["proc", &pid, "--fd", "7", "--tail", "1000"]).stdout,
        content()
    );
}

#[test]
fn grep_with_context_on_lines_and_strings() {
    let h = start_holder();
    let pid = h.child.id().to_string();
    assert_eq!(
        stdout(&saker(&[
            "proc", &pid, "--fd", "7", "--grep", "line 2", "-m", "2"
        ])),
        "line 2\nline 20\n"
    );
    assert_eq!(
        stdout(&saker(&[
            "proc", &pid, "--fd", "7", "--grep", "line 15", "-C", "1"
        ])),
        "line 14\nline 15\nline 16\n"
    );
    // The etcd trick: printable strings, -C as grep's context.
    assert_eq!(
        stdout(&saker(&[
            "proc",
            &pid,
            "--fd",
            "7",
            "--strings",
            "--grep",
            "12345",
            "-C",
            "1"
        ])),
        "line 30\nkey=12345\n[2Jafter\n"
    );
    // -A/-B given with -C win for their side, as in grep.
    assert_eq!(
        stdout(&saker(&[
            "proc",
            &pid,
            "--fd",
            "7",
            "--strings",
            "--grep",
            "12345",
            "-C",
            "2",
            "-A",
            "0"
        ])),
        "line 29\nline 30\nkey=12345\n"
    );
    // Filtered, then the last lines, as `grep ... | tail -n 1`.
    assert_eq!(
        stdout(&saker(&[
            "proc", &pid, "--fd", "7", "--grep", "line 1", "--tail", "1"
        ])),
        "line 19\n"
    );
}

#[test]
fn pipes_sockets_and_terminals_are_not_read() {
    let h = start_holder();
    let pid = h.child.id().to_string();
    // Reading the holder's stdin pipe would steal what its writer sends.
    let out = saker(&["proc", &pid, "--fd", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!("saker: fd 0 of process {pid} is a pipe")),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = saker(&["proc", &pid, "--fd", "8"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("character device"), "{err}");
}

#[test]
fn on_a_terminal_control_characters_are_escaped() {
    let h = start_holder();
    let pid = h.child.id().to_string();
    // `script` gives saker a pseudo-terminal as stdout and copies what it writes.
    let cmd = format!("{} proc {pid} --fd 7 --tail 1", env!("CARGO_BIN_EXE_saker"));
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("script (bsdutils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(!shown.contains('\x1b'), "{shown:?}");
    assert!(
        shown.contains("\\0\\1key=12345\\0\\33[2Jafter\\0last"),
        "{shown:?}"
    );
}
