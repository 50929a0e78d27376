//! `saker run` argument handling that needs no privileges: --dry-run, bad rules, bad capture
//! files.

use std::process::Command;

fn saker(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn traced(stdout: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Syscalls traced"))
        .expect("syscall line");
    line.split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .map(str::to_string)
        .collect()
}

#[test]
fn dry_run_prints_the_adaptive_syscall_set() {
    let (code, stdout, stderr) = saker(&["run", "--dry-run"]);
    assert_eq!(code, Some(0), "{stderr}");
    let set = traced(&stdout);
    // What the default rules name, and what the state needs to follow processes and fds.
    for name in [
        "openat", "execve", "connect", "ptrace", "setns", "close", "clone", "dup2", "chdir",
    ] {
        assert!(set.iter().any(|s| s == name), "{name} missing from {set:?}");
    }
    // No default rule reads data: read/write stay in the kernel.
    assert!(!set.iter().any(|s| s == "read" || s == "write"), "{set:?}");
    assert!(stdout.contains("Rules loaded: "), "{stdout}");

    let (code, stdout, _) = saker(&["run", "--dry-run", "-A"]);
    assert_eq!(code, Some(0));
    let all = traced(&stdout);
    assert!(
        all.len() > 300 && all.iter().any(|s| s == "read"),
        "{} syscalls",
        all.len()
    );
}

#[test]
fn dry_run_with_a_custom_rule_adds_its_syscalls() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.yaml");
    std::fs::write(
        &rules,
        "- rule: reads\n  desc: d\n  condition: evt.type = read and fd.name = /etc/x\n  output: o\n  priority: INFO\n",
    )
    .unwrap();
    let (code, stdout, stderr) = saker(&["run", "--dry-run", "-r", rules.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let set = traced(&stdout);
    assert!(set.iter().any(|s| s == "read"), "{set:?}");
    assert!(
        !set.iter().any(|s| s == "ptrace"),
        "only this rule and the state: {set:?}"
    );
    assert!(
        stderr.contains(&format!("Loading rules from file {}", rules.display())),
        "{stderr}"
    );
}

/// What the kernel may leave out of the opens: for the default rules, reads of anything but
/// the sensitive files and /proc; a rule on close, or the config key, reports every open.
#[test]
fn dry_run_says_which_opens_the_kernel_leaves_out() {
    let filter_line = |stdout: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with("Opens left out") || l.starts_with("Every open is reported"))
            .unwrap_or_else(|| panic!("no open filter line in:\n{stdout}"))
            .to_string()
    };
    let (code, stdout, stderr) = saker(&["run", "--dry-run"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        filter_line(&stdout),
        "Opens left out in the kernel: those no rule needs (kept: every path for write access, \
         21 paths or prefixes otherwise)"
    );
    let (_, stdout, _) = saker(&[
        "run",
        "--dry-run",
        "-o",
        "engine.ebpf.drop_unneeded_opens=false",
    ]);
    assert_eq!(
        filter_line(&stdout),
        "Every open is reported: engine.ebpf.drop_unneeded_opens is false"
    );
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("close.yaml");
    std::fs::write(
        &rules,
        "- rule: closes\n  desc: d\n  condition: evt.type = close and proc.name = x\n  output: o\n  priority: INFO\n",
    )
    .unwrap();
    let (_, stdout, _) = saker(&["run", "--dry-run", "-r", rules.to_str().unwrap()]);
    assert_eq!(
        filter_line(&stdout),
        "Every open is reported: rule `closes` can match close(), and the kernel would leave \
         out the closes of the opens it leaves out"
    );
    // Falco's own rules, as a CKS user loads them.
    let Some(corpus) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!("SKIPPED (Falco's rules): SAKER_FALCO_CORPUS is not set");
        return;
    };
    let falco_rules = std::path::Path::new(&corpus).join("falco_rules.yaml");
    let (code, stdout, stderr) = saker(&["run", "--dry-run", "-r", falco_rules.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        filter_line(&stdout),
        "Opens left out in the kernel: those no rule needs (kept: every path for write access, \
         8 paths or prefixes otherwise)"
    );
}

#[test]
fn bad_rules_fail_with_a_located_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("bad.yaml");
    std::fs::write(
        &rules,
        "- rule: x\n  desc: y\n  condition: evt.type = open and nosuch.field = 1\n  output: z\n  priority: WARNING\n",
    )
    .unwrap();
    let (code, _, stderr) = saker(&["run", "--dry-run", "-r", rules.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("bad.yaml:3:34: error: rule 'x': unknown field 'nosuch.field'"),
        "{stderr}"
    );
    let (code, _, stderr) = saker(&["run", "--dry-run", "-r", "/nonexistent/rules.yaml"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("cannot read rules file /nonexistent/rules.yaml"),
        "{stderr}"
    );
}

#[test]
fn bad_capture_files_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.jsonl");
    std::fs::write(&file, "{\"kind\":\"event\"}\n").unwrap();
    let args = [
        "run",
        "-o",
        "syslog_output.enabled=false",
        "-e",
        file.to_str().unwrap(),
    ];
    let (code, _, stderr) = saker(&args);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("line 1: not a saker capture file"),
        "{stderr}"
    );
    std::fs::write(
        &file,
        "{\"kind\":\"header\",\"format\":\"saker-capture\",\"version\":1,\"created_ns\":1,\"hostname\":\"h\",\"passwd\":\"\",\"group\":\"\"}\nnot json\n",
    )
    .unwrap();
    let (code, _, stderr) = saker(&args);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("line 2: expected ident"), "{stderr}");
    let (code, _, stderr) = saker(&[
        "run",
        "-o",
        "syslog_output.enabled=false",
        "-e",
        "/nonexistent.jsonl",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("cannot open /nonexistent.jsonl"),
        "{stderr}"
    );
}

/// Issue 14: `base_syscalls.*` was accepted and did nothing. Falco's selection: a custom set
/// replaces the state's set, `!name` removes, `repair` adds only what the state needs,
/// `all` is `-A`.
#[test]
fn base_syscalls_choose_the_traced_set() {
    let set_with = |options: &[&str]| {
        let mut args = vec!["run", "--dry-run"];
        for option in options {
            args.extend(["-o", option]);
        }
        let (code, stdout, stderr) = saker(&args);
        assert_eq!(code, Some(0), "{options:?}: {stderr}");
        traced(&stdout)
    };
    let has = |set: &[String], name: &str| set.iter().any(|s| s == name);
    let default = set_with(&[]);
    assert!(has(&default, "clone") && has(&default, "pipe") && has(&default, "openat"));

    let custom = set_with(&["base_syscalls.custom_set=[execve]"]);
    assert!(
        has(&custom, "execve") && has(&custom, "openat"),
        "{custom:?}"
    );
    assert!(
        !has(&custom, "clone") && !has(&custom, "pipe"),
        "{custom:?}"
    );

    let without = set_with(&[r#"base_syscalls.custom_set=["!openat", "!close"]"#]);
    assert!(
        !has(&without, "openat") && !has(&without, "close"),
        "{without:?}"
    );
    assert!(has(&without, "clone"), "{without:?}");

    let repaired = set_with(&["base_syscalls.repair=true"]);
    assert!(
        has(&repaired, "close") && has(&repaired, "clone"),
        "{repaired:?}"
    );
    assert!(
        has(&repaired, "setuid") && !has(&repaired, "pipe"),
        "{repaired:?}"
    );

    let all = set_with(&["base_syscalls.all=true"]);
    let (_, stdout, _) = saker(&["run", "--dry-run", "-A"]);
    assert_eq!(all, traced(&stdout));
}

/// `fd.sip.name = localhost` through the whole replay path (capture file -> state -> engine
/// -> JSON alert): a connect to 127.0.0.1 fires and prints the name, one to 10.0.0.1 does
/// not. `localhost` comes from /etc/hosts through getaddrinfo, as for a live run.
#[test]
fn a_server_domain_name_rule_fires_on_a_replayed_connect() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("names.yaml");
    std::fs::write(
        &rules,
        "- rule: To localhost\n  desc: a connection to an address of localhost\n  condition: evt.type = connect and fd.sip.name = localhost\n  output: connect to %fd.sip.name (ip=%fd.sip connection=%fd.name)\n  priority: WARNING\n",
    )
    .unwrap();
    let event = |ts: u64, nr: i64, ret: i64, detail: serde_json::Value| {
        serde_json::json!({
            "kind": "event",
            "header": {"ts": ts, "tid": 4242, "pid": 4242, "ppid": 1, "uid": 0, "gid": 0,
                       "euid": 0, "egid": 0, "cgroup": 0, "comm": "curl"},
            "body": {"syscall": {"nr": nr, "ret": ret, "args": [0, 0, 0, 0, 0, 0], "detail": detail}}
        })
    };
    let socket = serde_json::json!({"type": "socket", "domain": libc::AF_INET, "kind": libc::SOCK_STREAM, "protocol": 0});
    let connect =
        |fd: i32, to: &str| serde_json::json!({"type": "connect", "fd": fd, "addr": {"inet": to}});
    let lines = [
        serde_json::json!({"kind": "header", "format": "saker-capture", "version": 1,
                           "created_ns": 1, "hostname": "h", "passwd": "", "group": ""}),
        event(1000, libc::SYS_socket, 3, socket.clone()),
        event(2000, libc::SYS_connect, 0, connect(3, "10.0.0.1:80")),
        event(3000, libc::SYS_socket, 4, socket),
        event(4000, libc::SYS_connect, 0, connect(4, "127.0.0.1:80")),
    ];
    let capture = dir.path().join("connects.jsonl");
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&capture, text.join("\n") + "\n").unwrap();
    let (code, stdout, stderr) = saker(&[
        "run",
        "-o",
        "syslog_output.enabled=false",
        "-o",
        "json_output=true",
        "-r",
        rules.to_str().unwrap(),
        "-e",
        capture.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let alerts: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(alerts.len(), 1, "{stdout}\n{stderr}");
    assert_eq!(alerts[0]["rule"], "To localhost");
    assert_eq!(alerts[0]["output_fields"]["fd.sip.name"], "localhost");
    assert_eq!(alerts[0]["output_fields"]["fd.sip"], "127.0.0.1");
    assert!(
        alerts[0]["output"]
            .as_str()
            .unwrap()
            .ends_with("Warning connect to localhost (ip=127.0.0.1 connection=->127.0.0.1:80)"),
        "{}",
        alerts[0]
    );
}
