//! `saker run` when its surroundings misbehave (issues 14 and 16): a syslog daemon that is
//! missing or stops reading, alerts that reach a real rsyslogd, attacker text in alerts,
//! file modes under any umask, metrics snapshots, the audit token, and errors said once.

mod support;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::*;

/// `-o` options sending alerts and log lines to the syslog socket `socket`.
fn syslog_at(socket: &Path) -> Vec<String> {
    [
        "syslog_output.enabled=true".to_string(),
        format!("syslog_output.socket={}", socket.display()),
        "log_syslog=true".to_string(),
    ]
    .into_iter()
    .flat_map(|option| ["-o".to_string(), option])
    .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// The `Output <channel>: ...` line of the exit summary.
fn summary_line<'a>(log: &'a str, channel: &str) -> &'a str {
    let prefix = format!("Output {channel}: ");
    log.lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{log}"))
}

/// Issue 16: with no syslog daemon every alert logged a failure with a doubling count. Now
/// one warning at start-up, and the exit summary counts what syslog lost.
#[test]
fn a_missing_syslog_daemon_is_one_warning() {
    let setup = Setup::new();
    let socket = setup.path("no-daemon-here");
    let service = setup.spawn_with(&strs(&syslog_at(&socket)));
    for i in 0..20 {
        post_event(service.port, &namespace_event(i, &format!("ns-{i}")));
    }
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 20);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains("syslog")).collect();
    assert_eq!(
        warnings.iter().filter(|l| l.contains("failing")).count(),
        1,
        "{log}"
    );
    assert!(
        warnings[0].contains("syslog output failing") && warnings[0].contains("no-daemon-here"),
        "{log}"
    );
    // 20 namespaces: the custom rule and the default one each raise 20 alerts.
    assert_eq!(
        summary_line(&log, "syslog"),
        "Output syslog: 0 delivered, 40 dropped (failed 40)"
    );
    assert_eq!(
        summary_line(&log, "file"),
        "Output file: 40 delivered, 0 dropped"
    );
}

/// Issue 14: a /dev/log reader that never reads blocked the web server (75 s without an
/// answer, /healthz included) and shutdown. Now alerts, answers and exit keep their pace;
/// syslog's losses are counted.
#[test]
fn a_stalled_syslog_reader_blocks_neither_alerts_nor_the_web_server() {
    let setup = Setup::new();
    let socket = setup.path("stalled");
    let stalled = UnixDatagram::bind(&socket).unwrap();
    // Fill its queue, as a daemon that stopped reading long ago.
    let filler = UnixDatagram::unbound().unwrap();
    filler.set_nonblocking(true).unwrap();
    while filler.send_to(b"<14>filler", &socket).is_ok() {}
    let mut options = syslog_at(&socket);
    options.extend(["-o".to_string(), "log_level=debug".to_string()]);
    let service = setup.spawn_with(&strs(&options));
    for i in 0..100 {
        post_event(service.port, &namespace_event(i, &format!("ns-{i}")));
        // Answered at once; a blocked server did not answer for 75 s (http gives up at 10).
        let (status, _) = http(service.port, "GET", "/healthz", "").unwrap();
        assert_eq!(status, 200);
    }
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 100);
    // Saker's own log lines that syslog could not take are counted too (once a send timed
    // out: the first waits up to a second). Waits for syslog to settle every alert.
    let deadline = Instant::now() + Duration::from_secs(30);
    let lost_lines = loop {
        let (_, metrics) = http(service.port, "GET", "/metrics", "").unwrap();
        let lost: u64 = metrics
            .lines()
            .find_map(|l| l.strip_prefix("saker_log_lines_dropped_total{destination=\"syslog\"} "))
            .unwrap_or_else(|| panic!("no log line counter in:\n{metrics}"))
            .parse()
            .unwrap();
        let syslog_settled = metrics
            .lines()
            .any(|l| l == "saker_output_channel_in_flight{channel=\"syslog\"} 0");
        if lost > 0 && syslog_settled {
            break lost;
        }
        assert!(Instant::now() < deadline, "{metrics}");
        std::thread::sleep(Duration::from_millis(50));
    };
    // The daemon reads again: the lines of the shutdown get through, with a note of the loss.
    stalled.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 8192];
    while stalled.recv(&mut buf).is_ok() {}
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    let syslog = summary_line(&log, "syslog");
    assert!(syslog.contains("0 delivered, 200 dropped"), "{log}");
    assert_eq!(
        summary_line(&log, "file"),
        "Output file: 200 delivered, 0 dropped"
    );
    let summary_lost: u64 = log
        .lines()
        .find_map(|l| l.strip_prefix("Log lines dropped: syslog "))
        .unwrap_or_else(|| panic!("no `Log lines dropped` in:\n{log}"))
        .parse()
        .unwrap();
    assert!(summary_lost >= lost_lines, "{log}");
    let mut received = Vec::new();
    while let Ok(n) = stalled.recv(&mut buf) {
        received.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    assert!(
        received
            .iter()
            .any(|m| m.contains("log lines were lost while the syslog socket failed")),
        "{received:#?}"
    );
}

/// An rsyslogd of its own: imuxsock on a socket in `dir`, every message to `dir/messages`
/// as `facility|programname|procid|msg`. `None` (after a loud SKIPPED) without rsyslogd.
struct Rsyslog {
    child: std::process::Child,
}

impl Rsyslog {
    fn start(dir: &Path) -> Option<Rsyslog> {
        let Some(rsyslogd) = ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"]
            .into_iter()
            .find(|p| Path::new(p).exists())
        else {
            eprintln!("SKIPPED: rsyslogd is not installed (Debian package rsyslog)");
            return None;
        };
        let config = format!(
            r#"global(workDirectory="{dir}")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="{dir}/log" RateLimit.Interval="0")
template(name="fields" type="string" string="%syslogfacility-text%|%programname%|%procid%|%msg%\n")
*.* action(type="omfile" file="{dir}/messages" template="fields")
"#,
            dir = dir.display()
        );
        std::fs::write(dir.join("rsyslog.conf"), config).unwrap();
        let child = Command::new(rsyslogd)
            .arg("-n")
            .arg("-f")
            .arg(dir.join("rsyslog.conf"))
            .arg("-i")
            .arg(dir.join("rsyslogd.pid"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !dir.join("log").exists() {
            assert!(
                Instant::now() < deadline,
                "rsyslogd did not create its socket"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Rsyslog { child })
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Issue 16: alerts reached rsyslog with the program name "1" (an RFC 5424 header read as
/// the legacy format): syslog filters on the program name missed them. Alerts and Saker's
/// own log lines now both arrive as `saker[PID]`, as syslog(3) sends them.
#[test]
fn alerts_and_log_lines_reach_rsyslog_as_saker_with_its_pid() {
    let setup = Setup::new();
    let Some(_rsyslog) = Rsyslog::start(setup.dir.path()) else {
        return;
    };
    let service = setup.spawn_with(&strs(&syslog_at(&setup.path("log"))));
    let pid = service.child.id().to_string();
    post_event(service.port, &namespace_event(1, "ns-rsyslog"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    // `facility|programname|procid|msg` lines from saker[PID] with `text` in the message.
    let has = |lines: &[&str], facility: &str, text: &str| {
        lines.iter().any(|line| {
            let fields: Vec<&str> = line.splitn(4, '|').collect();
            fields.len() == 4
                && fields[0] == facility
                && fields[1] == "saker"
                && fields[2] == pid
                && fields[3].contains(text)
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let messages = std::fs::read_to_string(setup.path("messages")).unwrap_or_default();
        let lines: Vec<&str> = messages.lines().collect();
        let alert = has(&lines, "user", "custom namespace ns-rsyslog");
        let logged = has(&lines, "daemon", "Starting internal webserver");
        if alert && logged {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "rsyslog did not get both (alert {alert}, log line {logged}) as saker[{pid}]:\n{messages}\nsaker's log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 14: an attacker-chosen name with a newline and a fake alert line, and terminal
/// escapes, forged a whole alert line in text output. It stays on its alert's line now.
#[test]
fn text_alerts_escape_attacker_text() {
    let setup = Setup::new();
    let service = setup.spawn_with(&["-o", "json_output=false"]);
    let forged = "x\n18:00:00.000000000: Critical Fake alert (user=root)\u{1b}[2J\u{7}";
    let name = serde_json::to_string(forged).unwrap();
    let event = namespace_event(1, "NAME_SLOT").replace("\"NAME_SLOT\"", &name);
    post_event(service.port, &event);
    let deadline = Instant::now() + Duration::from_secs(10);
    let text = loop {
        let text = std::fs::read_to_string(setup.path("alerts.json")).unwrap_or_default();
        if text.contains("custom namespace") {
            break text;
        }
        assert!(Instant::now() < deadline, "no alert:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        !text.lines().any(|l| l.starts_with("18:00:00")),
        "a forged line:\n{text}"
    );
    let line = text
        .lines()
        .find(|l| l.contains("custom namespace"))
        .unwrap();
    assert!(
        line.ends_with(
            r"custom namespace x\n18:00:00.000000000: Critical Fake alert (user=root)\33[2J\7"
        ),
        "{line}"
    );
}

/// Issue 14: alert files and pidfiles followed the umask (0666 under umask 000); they hold
/// command lines and name the process to signal. Created 0600 now whatever the umask;
/// `file_output.mode` chooses another (0640) mode.
#[test]
fn files_saker_creates_ignore_the_umask() {
    let setup = Setup::new();
    let pidfile = setup.path("saker.pid");
    let relaxed = setup.path("relaxed.txt");
    let mut service = setup.command();
    service.arg("--pidfile").arg(&pidfile);
    let mut relaxed_run = setup.command();
    relaxed_run
        .args(["-o", "file_output.mode=0640", "-o"])
        .arg(format!("file_output.filename={}", relaxed.display()))
        .args(["-o", "webserver.enabled=false", "-M", "0.5"]);
    for command in [&mut service, &mut relaxed_run] {
        // SAFETY: umask(2) in the child between fork and exec.
        unsafe {
            command.pre_exec(|| {
                libc::umask(0o000);
                Ok(())
            });
        }
    }
    // Checked while the service runs: the pidfile goes away at exit.
    let service = setup.spawn_command(service);
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&pidfile), 0o600);
    assert_eq!(mode(&setup.path("alerts.json")), 0o600);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    let out = relaxed_run.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&relaxed), 0o640);
}

/// Issue 14: `metrics.*` was accepted and did nothing. A snapshot every `interval`, as the
/// "Falco internal: metrics snapshot" alert and as JSON lines in `output_file`.
#[test]
fn metrics_snapshots_reach_the_alerts_and_the_file() {
    let setup = Setup::new();
    let snapshots = setup.path("metrics.jsonl");
    let service = setup.spawn_with(&[
        "-o",
        "metrics.enabled=true",
        "-o",
        "metrics.interval=200ms",
        "-o",
        &format!("metrics.output_file={}", snapshots.display()),
    ]);
    setup.wait_for_rule("alerts.json", "Falco internal: metrics snapshot", 2);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&snapshots)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 2, "{lines:?}");
    assert_eq!(lines[0]["sample"], 1);
    assert_eq!(lines[1]["sample"], 2);
    let fields = &lines[1]["output_fields"];
    for key in [
        "falco.version",
        "falco.num_evts",
        "falco.outputs_queue_num_drops",
        "falco.memory_rss_mb",
        "scap.n_evts",
        "scap.engine_name",
    ] {
        assert!(fields.get(key).is_some(), "{key} missing: {fields}");
    }
    let alert = setup
        .alerts("alerts.json")
        .into_iter()
        .find(|a| a["rule"] == "Falco internal: metrics snapshot")
        .unwrap();
    assert_eq!(alert["priority"], "Informational");
    assert_eq!(alert["source"], "internal");
    assert!(alert["output_fields"]["falco.version"].is_string());
}

/// The audit webhook's bearer token, from the configuration (best as `${ENV}`).
#[test]
fn the_audit_token_guards_the_webhook() {
    let setup = Setup::new();
    let service = Setup::spawn_with_env(
        &setup,
        &["-o", "webserver.k8s_audit_token=${AUDIT_TOKEN}"],
        &[("AUDIT_TOKEN", "t0ken")],
    );
    let event = namespace_event(1, "ns-token");
    let (status, _) = http(service.port, "POST", "/k8s-audit", &event).unwrap();
    assert_eq!(status, 401);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", service.port)).unwrap();
    write!(
        stream,
        "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer t0ken\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{event}",
        event.len()
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(!log.contains("t0ken"), "{log}");
}

/// Issue 16: "saker: webserver: webserver: cannot listen ...". One clean message.
#[test]
fn a_busy_port_is_said_once() {
    let setup = Setup::new();
    // A port this test holds, so that it is busy for certain.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().port();
    setup.write_config("alerts.json", "127.0.0.1", busy);
    let out = setup.command().output().unwrap();
    drop(taken);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let message = stderr.lines().last().unwrap();
    assert!(
        message.starts_with(&format!(
            "saker: webserver: cannot listen on 127.0.0.1:{busy}: "
        )),
        "{stderr}"
    );
    assert_eq!(message.matches("webserver").count(), 1, "{message}");
    assert_eq!(message.matches("in use").count(), 1, "{message}");
}

/// Issue 16: `saker run` without root failed on eBPF with no way forward. The error says
/// what works without eBPF.
#[test]
fn without_ebpf_the_error_says_what_runs_instead() {
    // Run as `nobody` (root can drop to it); a non-root runner is unprivileged already.
    let dir = tempfile::Builder::new()
        .prefix("saker-nobody")
        .tempdir()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = dir.path().join("saker");
    std::fs::copy(env!("CARGO_BIN_EXE_saker"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut command = Command::new(&binary);
    command.args([
        "run",
        "-M",
        "1",
        "-o",
        "webserver.enabled=false",
        "-o",
        "syslog_output.enabled=false",
        "-o",
        "log_syslog=false",
    ]);
    command.current_dir(dir.path());
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // std drops the supplementary groups too when root changes the uid.
        command.uid(65534).gid(65534);
    }
    let out = support::output_of_fresh_copy(&mut command);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("eBPF"), "{stderr}");
    assert!(
        stderr.contains("saker run --ptrace -- COMMAND")
            && stderr.contains("saker run --disable-source syscall"),
        "{stderr}"
    );
}

/// Issue 14: `engine.ebpf.drop_failed_exit` was accepted and did nothing. With it, a failed
/// syscall reaches no rule; a successful one of the same process still does. (Live eBPF:
/// root and BTF, else SKIPPED.)
#[test]
fn drop_failed_exit_hides_failed_syscalls_from_the_rules() {
    use std::io::{BufRead, BufReader};
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 || !Path::new("/sys/kernel/btf/vmlinux").exists() {
        eprintln!("SKIPPED: live eBPF capture needs root and BTF");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let marker = format!("saker-dfe-{}", std::process::id());
    let present = dir.path().join(format!("{marker}-present"));
    std::fs::write(&present, "x").unwrap();
    let missing = dir.path().join(format!("{marker}-missing"));
    let rules = dir.path().join("rules.yaml");
    std::fs::write(
        &rules,
        format!(
            "- rule: Open by marker\n  desc: test\n  condition: evt.type in (open, openat, openat2) and proc.cmdline contains \"{marker}\"\n  output: open failed=%evt.failed res=%evt.res\n  priority: NOTICE\n"
        ),
    )
    .unwrap();
    for drop_failed in [false, true] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_saker"))
            .args(["run", "--json", "-U", "-M", "120", "-r"])
            .arg(&rules)
            .args([
                "-o",
                "webserver.enabled=false",
                "-o",
                "syslog_output.enabled=false",
            ])
            .args(["-o", "log_syslog=false", "-o"])
            .arg(format!("engine.ebpf.drop_failed_exit={drop_failed}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let alerts = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let out = child.stdout.take().unwrap();
        let sink = std::sync::Arc::clone(&alerts);
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while !line.contains("Watching ") {
            line.clear();
            assert!(stderr.read_line(&mut line).unwrap() > 0, "saker run ended");
        }
        std::thread::spawn(move || while stderr.read_line(&mut String::new()).unwrap_or(0) > 0 {});
        let status = Command::new("cat")
            .arg(&present)
            .arg(&missing)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(!status.success());
        // The successful open arrives in either case; then the failed one has had its chance.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !alerts
            .lock()
            .unwrap()
            .iter()
            .any(|a| a.contains("failed=false"))
        {
            assert!(
                Instant::now() < deadline,
                "no alert for the successful open"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(500));
        // SAFETY: kill(2) on our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        child.wait().unwrap();
        let failed_seen = alerts
            .lock()
            .unwrap()
            .iter()
            .any(|a| a.contains("failed=true"));
        assert_eq!(failed_seen, !drop_failed, "drop_failed_exit={drop_failed}");
    }
}
