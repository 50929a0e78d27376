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

/// `saker proc PID --fd 7 OPTIONS`, which must succeed: its stdout.
fn fd7(pid: &str, options: &[&str]) -> Vec<u8> {
    let mut args = vec!["proc", pid, "--fd", "7"];
    args.extend_from_slice(options);
    let out = saker(&args);
    assert!(
        out.status.success(),
        "{options:?}: exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
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
    assert_eq!(fd7(&pid, &["--head", "2"]), b"line 1\nline 2\n");
    // `tail` shows the last lines; the last one has no newline, as in the file.
    assert_eq!(
        fd7(&pid, &["--tail", "2"]),
        b"line 30\n\x00\x01key=12345\x00\x1b[2Jafter\x00last"
    );
    // Without a number, ten lines, as head and tail.
    assert_eq!(fd7(&pid, &["--head"]).split(|&b| b == b'\n').count(), 11);
    assert!(fd7(&pid, &["--tail"]).starts_with(b"line 22\n"));
    // More lines than the file has: all of it.
    assert_eq!(fd7(&pid, &["--tail", "1000"]), content());
}

#[test]
fn grep_with_context_on_lines_and_strings() {
    let h = start_holder();
    let pid = h.child.id().to_string();
    let cases: [(&[&str], &str); 5] = [
        (&["--grep", "line 2", "-m", "2"], "line 2\nline 20\n"),
        (
            &["--grep", "line 15", "-C", "1"],
            "line 14\nline 15\nline 16\n",
        ),
        // The etcd trick: printable strings, -C as grep's context.
        (
            &["--strings", "--grep", "12345", "-C", "1"],
            "line 30\nkey=12345\n[2Jafter\n",
        ),
        // -A/-B given with -C win for their side, as in grep.
        (
            &["--strings", "--grep", "12345", "-C", "2", "-A", "0"],
            "line 29\nline 30\nkey=12345\n",
        ),
        // Filtered, then the last lines, as `grep ... | tail -n 1`.
        (&["--grep", "line 1", "--tail", "1"], "line 19\n"),
    ];
    for (options, expect) in cases {
        assert_eq!(
            String::from_utf8(fd7(&pid, options)).unwrap(),
            expect,
            "{options:?}"
        );
    }
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
