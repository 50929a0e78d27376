//! Live tests of `saker ps`, `pstree`, `proc` and `secrets` against real processes: a child
//! started here with a planted secret, sockets, a thread and an open file; a real podman
//! container; and the bad inputs.
//!
//! The child is this test binary itself, re-run with `SAKER_TEST_CHILD=1` on the
//! `child_process_role` test, so no other program is needed.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Output, Stdio};

const TOKEN: &str = "abcd1234efgh5678";

fn saker(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args)
        .output()
        .expect("spawn saker")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The child's role: open what the tests look for, report it, then wait for stdin to close.
#[test]
fn child_process_role() {
    if std::env::var_os("SAKER_TEST_CHILD").is_none() {
        return;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (served, _) = listener.accept().unwrap();
    let dir = std::env::var("SAKER_TEST_DIR").unwrap();
    let sock_path = format!("{dir}/child.sock");
    let unix_listener = std::os::unix::net::UnixListener::bind(&sock_path).unwrap();
    let unix_client = std::os::unix::net::UnixStream::connect(&sock_path).unwrap();
    let (unix_served, _) = unix_listener.accept().unwrap();
    let data_path = format!("{dir}/etcd.db");
    let mut data = std::fs::File::create(&data_path).unwrap();
    data.write_all(b"\x00\x01header\x00before-2\x00before-1\x00/registry/secrets/default/db-pass 12345\x00after-1\x00after-2\x00tail\x00")
        .unwrap();
    drop(data);
    let data = std::fs::File::open(&data_path).unwrap();
    let worker = std::thread::Builder::new()
        .name("saker-worker".into())
        .spawn(|| std::thread::sleep(std::time::Duration::from_secs(300)))
        .unwrap();
    println!("READY {port} {sock_path} {data_path}");
    std::io::stdout().flush().unwrap();
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
    drop((client, served, unix_client, unix_served, data, worker));
}

struct TestChild {
    child: Child,
    port: u16,
    sock_path: String,
    data_path: String,
    _dir: tempfile::TempDir,
}

impl Drop for TestChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_child() -> TestChild {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_role",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("SAKER_TEST_CHILD", "1")
        .env("SAKER_TEST_DIR", dir.path())
        .env("MY_API_TOKEN", TOKEN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = loop {
        let line = lines.next().expect("child exited before READY").unwrap();
        // libtest prints `test child_process_role ... ` before the child's own output.
        if let Some(at) = line.find("READY ") {
            break line[at + "READY ".len()..].to_string();
        }
    };
    let parts: Vec<&str> = ready.split(' ').collect();
    TestChild {
        port: parts[0].parse().unwrap(),
        sock_path: parts[1].to_string(),
        data_path: parts[2].to_string(),
        child,
        _dir: dir,
    }
}

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() == 0 }
}

#[test]
fn ps_lists_the_child_on_the_host() {
    let c = start_child();
    let pid = c.child.id();
    let out = saker(&["ps"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "USER",
            "PID",
            "PPID",
            "%CPU",
            "%MEM",
            "VSZ",
            "RSS",
            "TTY",
            "STAT",
            "START",
            "TIME",
            "CONTAINER",
            "NAME",
            "IMAGE",
            "COMMAND"
        ]
    );
    let row = table
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(&pid.to_string()))
        .unwrap_or_else(|| panic!("pid {pid} not in ps:\n{table}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[2], std::process::id().to_string(), "PPID: {row}");
    assert!(
        cols[8].contains('l'),
        "multi-threaded child should have 'l' in STAT: {row}"
    );
    assert_eq!(cols[11], "host", "{row}");
    assert!(row.contains("child_process_role"), "{row}");

    let out = saker(&["ps", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let me = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"] == pid)
        .unwrap();
    assert_eq!(me["container"], serde_json::Value::Null);
    assert_eq!(me["ppid"], std::process::id());
    assert!(me["threads"].as_u64().unwrap() >= 2);

    let host_only = text(&saker(&["ps", "--host-only"]).stdout);
    assert!(host_only.contains(&format!(" {pid} ")));
    let containers = text(&saker(&["ps", "-c"]).stdout);
    assert!(!containers.contains(&format!(" {pid} ")));
}

#[test]
fn pstree_shows_the_child_and_its_thread() {
    let c = start_child();
    let pid = c.child.id();
    // -t: threads by their own names (pstree shows the process's name without it).
    let out = saker(&["pstree", "-p", "-t", "-A", &std::process::id().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tree = text(&out.stdout);
    assert!(tree.contains(&format!("({pid})")), "{tree}");
    let worker_line = tree
        .lines()
        .find(|l| l.contains("{saker-worker}("))
        .unwrap_or_else(|| panic!("{tree}"));
    assert!(
        worker_line.contains("`-") || worker_line.contains("|-") || worker_line.contains("---"),
        "{tree}"
    );
}

#[test]
fn proc_page_env_and_fds_of_the_child() {
    let c = start_child();
    let pid = c.child.id().to_string();

    let out = saker(&["proc", &pid]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    for want in [
        format!("PID         {pid}\n"),
        "Parents     ".to_string(),
        format!("({}) <- ", std::process::id()),
        "Container   none (host)\n".to_string(),
        "Capabilities\n".to_string(),
        "  CapEff    ".to_string(),
        "Seccomp     ".to_string(),
        "NoNewPrivs  ".to_string(),
    ] {
        assert!(page.contains(&want), "missing {want:?} in:\n{page}");
    }
    let threads = page.lines().find(|l| l.starts_with("Threads")).unwrap();
    let n: u32 = threads.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(n >= 2, "{threads}");
    let json: serde_json::Value =
        serde_json::from_slice(&saker(&["proc", &pid, "--json"]).stdout).unwrap();
    assert_eq!(json["pid"].to_string(), pid);
    assert_eq!(json["container"], serde_json::Value::Null);
    assert_eq!(json["parents"][0]["pid"], std::process::id());

    let env = text(&saker(&["proc", &pid, "--env"]).stdout);
    assert!(
        env.lines().any(|l| l == format!("MY_API_TOKEN={TOKEN}")),
        "{env}"
    );

    let out = saker(&["proc", &pid, "--fds"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fds = text(&out.stdout);
    let port = c.port;
    let listen = format!("socket  TCP 127.0.0.1:{port} LISTEN");
    assert!(fds.contains(&listen), "missing {listen:?} in:\n{fds}");
    let established_out = format!(" -> 127.0.0.1:{port} ESTABLISHED");
    let established_in = format!("TCP 127.0.0.1:{port} -> 127.0.0.1:");
    assert!(fds.contains(&established_out), "{fds}");
    assert!(
        fds.lines()
            .any(|l| l.contains(&established_in) && l.ends_with("ESTABLISHED")),
        "{fds}"
    );
    assert!(
        fds.contains(&format!("UNIX {} LISTEN", c.sock_path)),
        "{fds}"
    );
    assert!(
        fds.contains(&format!("UNIX {} CONNECTED", c.sock_path)),
        "{fds}"
    );
    let data_line = fds
        .lines()
        .find(|l| l.contains(&c.data_path))
        .unwrap_or_else(|| panic!("{fds}"));
    assert!(data_line.contains("[O_RDONLY"), "{data_line}");

    // The CKS trick: strings of the database file with grep context.
    let fd = data_line.split_whitespace().next().unwrap();
    let out = saker(&[
        "proc",
        &pid,
        "--fd",
        fd,
        "--strings",
        "--grep",
        "12345",
        "-A",
        "1",
        "-B",
        "1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "before-1\n/registry/secrets/default/db-pass 12345\nafter-1\n"
    );
    let all = text(&saker(&["proc", &pid, "--fd", fd, "--strings"]).stdout);
    assert_eq!(all.lines().count(), 7, "{all}");
}

#[test]
fn secrets_finds_the_planted_token_masked_and_shown() {
    let c = start_child();
    let pid = c.child.id().to_string();
    let out = saker(&["secrets"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    let row = report
        .lines()
        .find(|l| l.split_whitespace().next() == Some(&pid) && l.contains("MY_API_TOKEN"))
        .unwrap_or_else(|| panic!("no finding for {pid}:\n{report}"));
    assert!(row.contains(" environ "), "{row}");
    assert!(row.contains(" host "), "{row}");
    assert!(row.ends_with(" ab**"), "{row}");
    assert!(!report.contains(TOKEN));

    let shown = text(&saker(&["secrets", "--show"]).stdout);
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with(&format!("{pid:>7} ")) && l.ends_with(TOKEN)),
        "{shown}"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&saker(&["secrets", "--json"]).stdout).unwrap();
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["pid"].as_u64() == pid.parse().ok() && f["name"] == "MY_API_TOKEN")
        .unwrap();
    assert_eq!(f["value"], "ab**");
    assert_eq!(f["masked"], true);
    assert_eq!(f["location"], "environ");
    assert_eq!(f["kind"], "secret-name");
}

#[test]
fn unknown_pid_is_one_line_exit_2() {
    for args in [
        &["proc", "424242"][..],
        &["proc", "424242", "--fds"],
        &["proc", "424242", "--env"],
        &["pstree", "424242"],
    ] {
        let out = saker(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            text(&out.stderr),
            "saker: process 424242 not found\n",
            "{args:?}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn non_numeric_pid_and_bad_flag_combinations() {
    let out = saker(&["proc", "abc"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: invalid value 'abc' for '<PID>'"),
        "{err}"
    );
    assert!(!err.contains("panicked"));

    let me = std::process::id().to_string();
    let out = saker(&["proc", &me, "--strings"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--fd <N>"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn fd_not_open_and_unreadable_fd() {
    let me = std::process::id().to_string();
    let out = saker(&["proc", &me, "--fd", "987654", "--strings"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!("saker: process {me} has no fd 987654 open\n")
    );

    // A directory opens but cannot be read.
    let dir = std::fs::File::open("/").unwrap();
    let fd = std::os::fd::AsRawFd::as_raw_fd(&dir).to_string();
    let out = saker(&["proc", &me, "--fd", &fd, "--strings"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("saker: cannot read /proc/{me}/fd/{fd}: ")),
        "{err}"
    );
    assert!(err.contains("directory"), "{err}");
}

/// A copy of saker that user nobody can run (the build directory may be closed to it).
struct Nobody {
    dir: tempfile::TempDir,
}

impl Nobody {
    fn new() -> Nobody {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_saker"), dir.path().join("saker")).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        Nobody { dir }
    }

    fn saker(&self, args: &[&str]) -> Output {
        support::output_of_fresh_copy(
            Command::new(self.dir.path().join("saker"))
                .args(args)
                .uid(65534)
                .gid(65534),
        )
    }
}

#[test]
fn permission_denied_names_the_file_and_root() {
    if !is_root() {
        eprintln!(
            "SKIPPED: permission_denied_names_the_file_and_root needs root (to drop to nobody)"
        );
        return;
    }
    let c = start_child();
    let pid = c.child.id().to_string();
    let nobody = Nobody::new();
    let out = nobody.saker(&["proc", &pid, "--env"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!("saker: permission denied reading /proc/{pid}/environ (root is needed)\n")
    );
    // The page still shows, marking what could not be read.
    let out = nobody.saker(&["proc", &pid]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(
        page.contains(&format!(
            "Exe         ? (permission denied reading /proc/{pid}/exe (root is needed))"
        )),
        "{page}"
    );
}

/// Issue 16: as an unprivileged user, `saker secrets` read nothing of root's processes and
/// still said "no exposed secrets", exit 0. It must say the scan was incomplete, name what it
/// could not read, and exit 3 (not 0 "clean", not 1 "found").
#[test]
fn secrets_as_an_unprivileged_user_is_incomplete() {
    if !is_root() {
        eprintln!(
            "SKIPPED: secrets_as_an_unprivileged_user_is_incomplete needs root (to drop to nobody)"
        );
        return;
    }
    let c = start_child();
    let pid = c.child.id().to_string();
    let nobody = Nobody::new();
    let out = nobody.saker(&["secrets"]);
    let report = text(&out.stdout);
    // Other users' command lines are readable and may hold secrets: then "found" (1) wins.
    let expected = if report.starts_with("no exposed secrets") {
        3
    } else {
        1
    };
    assert_eq!(out.status.code(), Some(expected), "{report}");
    assert!(report.contains("(scan incomplete)"), "{report}");
    let err = text(&out.stderr);
    assert!(err.starts_with("saker secrets: scan incomplete: "), "{err}");
    // The root-owned child (with a secret nobody could not see) is named.
    assert!(err.contains(&format!(" {pid} (")), "{err}");
    // Kernel threads have nothing to read: they are not counted as missed.
    assert!(!err.contains("(kthreadd)"), "{err}");
    let json = nobody.saker(&["secrets", "--json"]);
    assert_eq!(json.status.code(), Some(expected));
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(j["complete"], false);
    assert!(
        j["denied"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["pid"].as_u64() == pid.parse().ok())
    );
}

/// Removes the container when the test ends, pass or fail.
struct Container(String);

impl Drop for Container {
    fn drop(&mut self) {
        let _ = Command::new("podman")
            .args(["rm", "-f", "-t", "0", &self.0])
            .output();
    }
}

#[test]
fn podman_container_has_the_same_id_in_ps_and_proc() {
    const IMAGE: &str = "saker-test/busybox:latest";
    let ok = Command::new("podman")
        .args(["image", "exists", IMAGE])
        .status();
    if !matches!(ok, Ok(s) if s.success()) {
        eprintln!("SKIPPED: podman or image {IMAGE} missing (see .ci/run for the set-up)");
        return;
    }
    let name = format!("saker-ps-{}", std::process::id());
    let out = Command::new("podman")
        .args(["run", "-d", "--rm", "--name", &name, IMAGE, "sleep", "300"])
        .output()
        .unwrap();
    assert!(out.status.success(), "podman run: {}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_string();
    let _guard = Container(id.clone());
    // Name and image come from podman's API service (started by .ci/run).
    let api = std::path::Path::new("/run/podman/podman.sock").exists();
    if !api {
        eprintln!("SKIPPED: name and image checks: no podman API at /run/podman/podman.sock");
    }
    assert_eq!(id.len(), 64, "{id}");
    let short = &id[..12];
    let out = Command::new("podman")
        .args(["inspect", "-f", "{{.State.Pid}}", &id])
        .output()
        .unwrap();
    let pid = text(&out.stdout).trim().to_string();

    let table = text(&saker(&["ps", "-c"]).stdout);
    let row = table
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(&pid))
        .unwrap_or_else(|| panic!("container pid {pid} not in ps -c:\n{table}"));
    assert_eq!(row.split_whitespace().nth(11), Some(short), "{row}");
    if api {
        assert_eq!(row.split_whitespace().nth(12), Some(name.as_str()), "{row}");
        assert_eq!(
            row.split_whitespace().nth(13),
            Some("localhost/saker-test/busybox:latest"),
            "{row}"
        );
    }
    assert!(row.ends_with(" sleep 300"), "{row}");
    // (conmon, on the host, has the id in its command line: compare pids, not text.)
    let host = text(&saker(&["ps", "--host-only"]).stdout);
    assert!(
        !host
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some(&pid)),
        "{host}"
    );

    let rows: serde_json::Value =
        serde_json::from_slice(&saker(&["ps", "--json", "-c"]).stdout).unwrap();
    let r = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"].as_u64() == pid.parse().ok())
        .unwrap();
    assert_eq!(r["container"]["id"], id.as_str());
    assert_eq!(r["container"]["short_id"], short);
    assert_eq!(r["container"]["runtime"], "podman");
    if api {
        assert_eq!(r["container"]["name"], name.as_str());
        assert_eq!(
            r["container"]["image"],
            "localhost/saker-test/busybox:latest"
        );
        assert_eq!(r["container"]["metadata"]["privileged"], false);
    }

    let page = text(&saker(&["proc", &pid]).stdout);
    assert!(
        page.contains(&format!("Container   {short} (podman) {id}")),
        "{page}"
    );
    assert!(page.contains("conmon("), "{page}");
    if api {
        assert!(
            page.contains(&format!(
                "name {name}  image localhost/saker-test/busybox:latest"
            )),
            "{page}"
        );
    }
    let net = page.lines().find(|l| l.starts_with("  net ")).unwrap();
    assert!(net.ends_with("DIFFERENT from init"), "{net}");

    let tree = text(&saker(&["pstree", "-A"]).stdout);
    let label = if api {
        format!("sleep({pid})[{short} {name} localhost/saker-test/busybox:latest]")
    } else {
        format!("sleep({pid})[{short}]")
    };
    assert!(tree.contains(&label), "{tree}");
}
