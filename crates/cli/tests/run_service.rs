//! `saker run` as a service, without BPF (`--disable-source syscall`): the web server over
//! real HTTP, the Kubernetes audit webhook raising alerts into a file channel, SIGHUP with a
//! broken rules file, SIGUSR1 after the alert file was moved away, SIGTERM draining every
//! alert, and `--daemon --pidfile`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NAMESPACE_EVENT: &str = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"AID","stage":"ResponseComplete","verb":"create","user":{"username":"mallory"},"objectRef":{"resource":"namespaces","name":"NAME"},"responseStatus":{"code":201},"stageTimestamp":"2026-11-28T10:00:00.000000Z"}"#;

const CUSTOM_RULE: &str = "- rule: Custom Namespace Watch\n  desc: every namespace creation\n  condition: ka.target.resource = namespaces and ka.verb = create\n  output: custom namespace %ka.target.name\n  priority: NOTICE\n  source: k8s_audit\n";

fn namespace_event(id: usize, name: &str) -> String {
    NAMESPACE_EVENT
        .replace("AID", &id.to_string())
        .replace("NAME", name)
}

/// The ports the web server said it listens on, in order (the kernel picks them: the tests
/// ask for port 0, so that no two tests can race for one port).
fn webserver_ports(log: &str) -> Vec<u16> {
    log.lines()
        .filter_map(|l| {
            l.split_once("listening on port ")?
                .1
                .split_whitespace()
                .next()
        })
        .filter_map(|port| port.parse().ok())
        .collect()
}

/// A config in a temp dir: alerts as JSON to `alerts.json`, the web server on 127.0.0.1 and a
/// port the kernel picks, no stdout/syslog, the default rules plus `custom.yaml`.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let setup = Setup { dir };
        std::fs::write(setup.path("custom.yaml"), CUSTOM_RULE).unwrap();
        setup.write_config("alerts.json", "127.0.0.1", 0);
        setup
    }

    /// Writes `saker.yaml` with alerts to the file `alerts` and the web server on
    /// `address:port`.
    fn write_config(&self, alerts: &str, address: &str, port: u16) {
        let config = format!(
            "rules_files:\n  - embedded\n  - {custom}\nrule_matching: all\njson_output: true\n\
             stdout_output:\n  enabled: false\nsyslog_output:\n  enabled: false\n\
             file_output:\n  enabled: true\n  keep_alive: true\n  filename: {alerts}\n\
             log_syslog: false\nlog_stderr: true\n\
             webserver:\n  enabled: true\n  listen_address: {address}\n  listen_port: {port}\n",
            custom = self.path("custom.yaml").display(),
            alerts = self.path(alerts).display(),
        );
        std::fs::write(self.path("saker.yaml"), config).unwrap();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_saker"));
        cmd.args(["run", "--disable-source", "syscall", "-c"])
            .arg(self.path("saker.yaml"));
        cmd
    }

    fn spawn(&self) -> Service {
        self.spawn_with(&[])
    }

    /// Starts the service with extra arguments (`-o key=value`).
    fn spawn_with(&self, args: &[&str]) -> Service {
        let mut child = self
            .command()
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        let reader = std::thread::spawn(move || {
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
        let port = wait_for_port(0, || log.lock().unwrap().clone());
        let service = Service {
            child,
            log,
            reader: Some(reader),
            port,
        };
        service.wait_healthy();
        service
    }

    fn alerts(&self, file: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.path(file))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn rules_fired(&self, file: &str) -> Vec<String> {
        self.alerts(file)
            .iter()
            .map(|a| a["rule"].as_str().unwrap().to_string())
            .collect()
    }

    /// Waits until the alert file holds `n` alerts of `rule`.
    fn wait_for_rule(&self, file: &str, rule: &str, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let fired = self.rules_fired(file);
            if fired.iter().filter(|r| *r == rule).count() >= n {
                return fired;
            }
            assert!(
                Instant::now() < deadline,
                "{n} x {rule} expected in {file}, got {fired:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

struct Service {
    child: Child,
    log: Arc<Mutex<String>>,
    /// Reads the child's stderr into `log` until the child closes it.
    reader: Option<std::thread::JoinHandle<()>>,
    port: u16,
}

impl Service {
    fn wait_healthy(&self) {
        wait_healthy(self.port, || self.log.lock().unwrap().clone());
    }

    fn signal(&self, sig: libc::c_int) {
        // SAFETY: kill(2) on our own child.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, sig) }, 0);
    }

    fn wait_log(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.log.lock().unwrap().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "`{needle}` not logged:\n{}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> (Option<i32>, String) {
        self.signal(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader ends at the end of the child's stderr, with the last lines taken.
                if let Some(reader) = self.reader.take() {
                    reader.join().unwrap();
                }
                return (status.code(), self.log.lock().unwrap().clone());
            }
            assert!(Instant::now() < deadline, "no exit 15 s after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the web server has said which port it listens on for the `nth` time (0: at
/// start, 1: after a reload that moved it), and returns that port.
fn wait_for_port(nth: usize, log: impl Fn() -> String) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(port) = webserver_ports(&log()).get(nth) {
            return *port;
        }
        assert!(
            Instant::now() < deadline,
            "the web server did not say its port:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_healthy(port: u16, log: impl Fn() -> String) {
    wait_healthy_at((Ipv4Addr::LOCALHOST, port), log);
}

fn wait_healthy_at(to: (Ipv4Addr, u16), log: impl Fn() -> String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok((200, _)) = http_at(to, "GET", "/healthz", "") {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the web server did not come up:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One HTTP/1.1 request over a fresh connection; returns the status and the body.
fn http(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    http_at((Ipv4Addr::LOCALHOST, port), method, path, body)
}

fn http_at(
    to: (Ipv4Addr, u16),
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    http_with(to, method, path, body, "")
}

/// [`http_at`] with extra header lines (each ending in `\r\n`).
fn http_with(
    to: (Ipv4Addr, u16),
    method: &str,
    path: &str,
    body: &str,
    headers: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(to)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn post_event(port: u16, event: &str) {
    post_event_at((Ipv4Addr::LOCALHOST, port), event);
}

fn post_event_at(to: (Ipv4Addr, u16), event: &str) {
    let (status, body) = http_at(to, "POST", "/k8s-audit", event).unwrap();
    assert_eq!(status, 200, "{body}");
}

#[test]
fn web_server_health_metrics_and_audit_alerts() {
    let setup = Setup::new();
    let service = setup.spawn();
    let (status, body) = http(service.port, "GET", "/healthz", "").unwrap();
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (status, body) = http(service.port, "GET", "/versions", "").unwrap();
    assert_eq!(status, 200);
    let versions: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(versions["saker_version"], env!("CARGO_PKG_VERSION"));

    post_event(service.port, &namespace_event(1, "crypto-miner"));
    // The benign twin: an allowed namespace fires only the catch-all custom rule.
    post_event(service.port, &namespace_event(2, "kube-public"));
    let fired = setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 2);
    assert_eq!(
        fired
            .iter()
            .filter(|r| *r == "Create Disallowed Namespace")
            .count(),
        1,
        "{fired:?}"
    );
    let alert = &setup.alerts("alerts.json")[0];
    assert_eq!(alert["source"], "k8s_audit");
    assert_eq!(alert["output_fields"]["ka.target.name"], "crypto-miner");

    let (status, metrics) = http(service.port, "GET", "/metrics", "").unwrap();
    assert_eq!(status, 200);
    for line in [
        "saker_alerts_total{rule=\"Create Disallowed Namespace\",priority=\"warning\",source=\"k8s_audit\"} 1",
        "saker_alerts_total{rule=\"Custom Namespace Watch\",priority=\"notice\",source=\"k8s_audit\"} 2",
        "saker_k8s_audit_events_total 2",
        "saker_output_channel_failures_total{channel=\"file\"} 0",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line}\n{metrics}");
    }
    let rules_loaded: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("saker_rules_loaded "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(rules_loaded > 12, "{metrics}");
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("saker_process_resident_memory_bytes ")),
        "{metrics}"
    );

    let port = service.port;
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("Loading rules from file"), "{log}");
    assert!(
        log.contains(&format!(
            "Starting internal webserver, listening on port {port}"
        )),
        "{log}"
    );
}

#[test]
fn sighup_with_broken_rules_keeps_the_old_rules() {
    let setup = Setup::new();
    let service = setup.spawn();
    post_event(service.port, &namespace_event(1, "one"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);

    std::fs::write(
        setup.path("custom.yaml"),
        "- rule: Broken\n  desc: d\n  condition: ka.verb = create and nosuch.field = 1\n  output: o\n  priority: NOTICE\n  source: k8s_audit\n",
    )
    .unwrap();
    service.signal(libc::SIGHUP);
    service.wait_log("Reload failed");
    assert!(
        service.log.lock().unwrap().contains("nosuch.field"),
        "the reason is logged:\n{}",
        service.log.lock().unwrap()
    );
    let fired = setup.wait_for_rule("alerts.json", "Falco internal: hot restart failure", 1);
    assert!(!fired.iter().any(|r| r == "Broken"));
    post_event(service.port, &namespace_event(2, "two"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 2);

    // A good file is taken on the next SIGHUP.
    std::fs::write(
        setup.path("custom.yaml"),
        CUSTOM_RULE.replace("Custom Namespace Watch", "Renamed Watch"),
    )
    .unwrap();
    service.signal(libc::SIGHUP);
    service.wait_log("Reload complete");
    post_event(service.port, &namespace_event(3, "three"));
    let fired = setup.wait_for_rule("alerts.json", "Renamed Watch", 1);
    assert_eq!(
        fired
            .iter()
            .filter(|r| *r == "Custom Namespace Watch")
            .count(),
        2,
        "{fired:?}"
    );
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
}

/// SIGHUP rereads the config, not only the rules: a new alert file and a new web server port
/// take effect without a restart.
#[test]
fn sighup_applies_a_changed_config_to_outputs_and_web_server() {
    let setup = Setup::new();
    let service = setup.spawn();
    post_event(service.port, &namespace_event(1, "one"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);

    // Another loopback address, so that the new server cannot be given the old port.
    setup.write_config("moved.json", "127.0.0.2", 0);
    service.signal(libc::SIGHUP);
    service.wait_log("Reload complete");
    let log = || service.log.lock().unwrap().clone();
    let moved = (Ipv4Addr::new(127, 0, 0, 2), wait_for_port(1, log));
    wait_healthy_at(moved, log);
    assert!(
        http(service.port, "GET", "/healthz", "").is_err(),
        "the old port still answers"
    );
    post_event_at(moved, &namespace_event(2, "two"));
    setup.wait_for_rule("moved.json", "Custom Namespace Watch", 1);
    let targets = |file: &str| -> Vec<String> {
        setup
            .alerts(file)
            .iter()
            .filter(|a| a["rule"] == "Custom Namespace Watch")
            .filter_map(|a| {
                a["output_fields"]["ka.target.name"]
                    .as_str()
                    .map(String::from)
            })
            .collect()
    };
    assert_eq!(targets("alerts.json"), ["one"]);
    assert_eq!(targets("moved.json"), ["two"]);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("Output channels rebuilt"), "{log}");
}

#[test]
fn sigusr1_reopens_a_moved_alert_file() {
    let setup = Setup::new();
    let service = setup.spawn();
    post_event(service.port, &namespace_event(1, "before"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);
    std::fs::rename(setup.path("alerts.json"), setup.path("alerts.json.1")).unwrap();
    service.signal(libc::SIGUSR1);
    service.wait_log("reopening outputs");
    // Logged once requested: every alert raised from now on goes to the new file.
    post_event(service.port, &namespace_event(2, "after"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);
    let names = |file: &str| -> Vec<String> {
        setup
            .alerts(file)
            .iter()
            .filter(|a| a["rule"] == "Custom Namespace Watch")
            .filter_map(|a| {
                a["output_fields"]["ka.target.name"]
                    .as_str()
                    .map(String::from)
            })
            .collect()
    };
    assert_eq!(names("alerts.json"), ["after"]);
    assert_eq!(names("alerts.json.1"), ["before"]);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn sigterm_flushes_every_alert_and_exits_0() {
    let setup = Setup::new();
    let service = setup.spawn();
    const N: usize = 200;
    for i in 0..N {
        post_event(service.port, &namespace_event(i, &format!("ns-{i}")));
    }
    // No waiting: whatever is queued when SIGTERM arrives must reach the file.
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    let fired = setup.rules_fired("alerts.json");
    assert_eq!(
        fired
            .iter()
            .filter(|r| *r == "Custom Namespace Watch")
            .count(),
        N,
        "{log}"
    );
    assert!(log.contains(&format!("K8s audit events: {N}")), "{log}");
}

#[test]
fn daemon_writes_its_pidfile_and_stops_on_sigterm() {
    let setup = Setup::new();
    let pidfile = setup.path("saker.pid");
    // Output captures the starter's stderr: the daemon keeps it until it is up.
    let out = setup
        .command()
        .arg("--daemon")
        .arg("--pidfile")
        .arg(&pidfile)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // The starter returns once the daemon is up: the pidfile and the port are ready, and the
    // starter's stderr holds the daemon's log until then.
    let port = webserver_ports(&String::from_utf8_lossy(&out.stderr))[0];
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    wait_healthy(port, String::new);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The daemon leads no session and no group (second fork), and is not this process's child.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let (ppid, pgrp, session) = (fields[1], fields[2], fields[3]);
    assert_ne!(ppid, std::process::id().to_string());
    assert_ne!(session, pid.to_string());
    assert_ne!(pgrp, pid.to_string());
    post_event(port, &namespace_event(1, "daemonized"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);

    // SAFETY: kill(2) on the daemon read from the pidfile.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let deadline = Instant::now() + Duration::from_secs(15);
    while running(pid) {
        assert!(Instant::now() < deadline, "daemon {pid} still runs");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!pidfile.exists(), "the pidfile is removed at exit");
    assert!(http(port, "GET", "/healthz", "").is_err());
}

/// True while `pid` exists and is not a zombie (its reaper may be slow, or absent in a
/// container whose pid 1 does not reap).
fn running(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

#[test]
fn disabling_every_source_is_an_error() {
    let setup = Setup::new();
    let out = setup
        .command()
        .args(["--disable-source", "k8s_audit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("every event source is disabled"),
        "{out:?}"
    );
}

#[test]
fn replay_of_audit_files_json_lines_and_event_list() {
    let dir = tempfile::tempdir().unwrap();
    let lines = dir.path().join("audit.jsonl");
    std::fs::write(
        &lines,
        format!(
            "{}\n{}\n",
            namespace_event(1, "crypto-miner"),
            namespace_event(2, "kube-public")
        ),
    )
    .unwrap();
    let list = dir.path().join("list.json");
    std::fs::write(
        &list,
        format!(
            "{{\n  \"kind\": \"EventList\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"items\": [{}]\n}}\n",
            namespace_event(3, "mining-2")
        ),
    )
    .unwrap();
    for (file, names) in [(&lines, vec!["crypto-miner"]), (&list, vec!["mining-2"])] {
        let out = Command::new(env!("CARGO_BIN_EXE_saker"))
            .args([
                "run",
                "--json",
                "-o",
                "syslog_output.enabled=false",
                "-o",
                "log_syslog=false",
                "-e",
            ])
            .arg(file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        let alerts: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let fired: Vec<&str> = alerts
            .iter()
            .map(|a| a["output_fields"]["ka.target.name"].as_str().unwrap())
            .collect();
        assert_eq!(fired, names, "{stderr}");
        assert!(
            alerts
                .iter()
                .all(|a| a["rule"] == "Create Disallowed Namespace")
        );
        assert!(stderr.contains("Alerts: 1"), "{stderr}");
    }
    // A capture-format error still names the line, and k8s_audit can be turned off.
    let out = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args([
            "run",
            "--disable-source",
            "k8s_audit",
            "-o",
            "syslog_output.enabled=false",
            "-e",
        ])
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the k8s_audit source is disabled"),
        "{out:?}"
    );
}

#[test]
fn a_bad_certificate_or_a_busy_port_stops_the_start() {
    let setup = Setup::new();
    let missing = setup.path("missing.pem");
    let out = setup
        .command()
        .args(["-o", "webserver.ssl_enabled=true", "-o"])
        .arg(format!("webserver.ssl_certificate={}", missing.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");

    // A port this test holds, so that it is busy for certain.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().port();
    setup.write_config("alerts.json", "127.0.0.1", busy);
    let out = setup.command().output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&busy.to_string()), "{stderr}");
    drop(taken);
}

/// The web console on the daemon's web server: its API sees the webhook's alerts behind the
/// token, and with a database the history is there again after a restart.
#[test]
fn console_shows_the_alerts_and_keeps_them_across_a_restart() {
    let setup = Setup::new();
    let database = setup.path("console.db");
    let database_option = format!("console.database={}", database.display());
    let args = ["-o", &database_option, "-o", "webserver.ui_token=t0ken"];
    let service = setup.spawn_with(&args);
    let api = |port: u16, path: &str| {
        let (status, body) = http_with(
            (Ipv4Addr::LOCALHOST, port),
            "GET",
            path,
            "",
            "Authorization: Bearer t0ken\r\n",
        )
        .unwrap();
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    };
    let port = service.port;
    let (status, page) = http(port, "GET", "/", "").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("<title>Saker console</title>"), "{page}");
    assert_eq!(http(port, "GET", "/api/alerts", "").unwrap().0, 401);

    post_event(port, &namespace_event(1, "crypto-miner"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);
    let deadline = Instant::now() + Duration::from_secs(20);
    let alerts = loop {
        let alerts = api(port, "/api/alerts");
        if alerts["alerts"].as_array().unwrap().len() == 2 {
            break alerts;
        }
        assert!(Instant::now() < deadline, "{alerts}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let rules: Vec<&str> = alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"Create Disallowed Namespace"), "{rules:?}");
    assert!(rules.contains(&"Custom Namespace Watch"), "{rules:?}");
    let filtered = api(port, "/api/alerts?priority=warning&source=k8s_audit");
    assert_eq!(filtered["alerts"][0]["rule"], "Create Disallowed Namespace");
    assert_eq!(filtered["alerts"].as_array().unwrap().len(), 1);

    let listed = api(port, "/api/rules");
    let custom = listed["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Custom Namespace Watch")
        .unwrap()
        .clone();
    assert_eq!(custom["fired"], 1);
    assert_eq!(custom["source"], "k8s_audit");
    assert_eq!(custom["description"], "every namespace creation");
    let stats = api(port, "/api/stats");
    assert_eq!(stats["k8s_audit"]["events"], 1);
    assert!(stats["rules_loaded"].as_u64().unwrap() > 12, "{stats}");
    assert_eq!(
        stats["history"]["database"]["path"],
        database.display().to_string()
    );
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");

    let service = setup.spawn_with(&args);
    let again = api(service.port, "/api/alerts");
    assert_eq!(
        again["alerts"], alerts["alerts"],
        "the history came back from {database:?}"
    );
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
}
/// Updates `dir` as the kubelet updates a ConfigMap volume (its AtomicWriter): the files go
/// into a new `..<timestamp>` directory, a `..data_tmp` symlink to it is renamed over
/// `..data`, each visible name is a symlink `name -> ..data/name`, and the old directory is
/// removed. The watched files are never written in place.
fn configmap_update(dir: &std::path::Path, generation: u32, files: &[(&str, &str)]) {
    use std::os::unix::fs::symlink;
    let timestamp = format!("..2026_11_28_10_00_{generation:02}.000000001");
    std::fs::create_dir(dir.join(&timestamp)).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(&timestamp).join(name), text).unwrap();
    }
    let old = std::fs::read_link(dir.join("..data")).ok();
    symlink(&timestamp, dir.join("..data_tmp")).unwrap();
    std::fs::rename(dir.join("..data_tmp"), dir.join("..data")).unwrap();
    for (name, _) in files {
        let visible = dir.join(name);
        if visible.symlink_metadata().is_err() {
            symlink(format!("..data/{name}"), &visible).unwrap();
        }
    }
    if let Some(old) = old {
        std::fs::remove_dir_all(dir.join(old)).unwrap();
    }
}

/// `watch_config_files` (on by default, as in Falco) with the configuration and a rules file
/// mounted from a ConfigMap: each kubelet update reloads, a broken one keeps the rules in force.
#[test]
fn configmap_updates_reload_without_a_signal() {
    let setup = Setup::new();
    let config = std::fs::read_to_string(setup.path("saker.yaml")).unwrap();
    for name in ["saker.yaml", "custom.yaml"] {
        std::fs::remove_file(setup.path(name)).unwrap();
    }
    configmap_update(
        setup.dir.path(),
        1,
        &[("saker.yaml", &config), ("custom.yaml", CUSTOM_RULE)],
    );
    let service = setup.spawn();
    post_event(service.port, &namespace_event(1, "one"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);

    // A new rules file: taken without a signal.
    let renamed = CUSTOM_RULE.replace("Custom Namespace Watch", "Renamed Watch");
    configmap_update(
        setup.dir.path(),
        2,
        &[("saker.yaml", &config), ("custom.yaml", &renamed)],
    );
    service.wait_log("Configuration or rules files changed on disk");
    service.wait_log("Reload complete");
    post_event(service.port, &namespace_event(2, "two"));
    setup.wait_for_rule("alerts.json", "Renamed Watch", 1);

    // A broken rules file: the reload fails, the rules in force stay.
    let broken = "- rule: Broken\n  desc: d\n  condition: nosuch.field = 1\n  output: o\n  priority: NOTICE\n  source: k8s_audit\n";
    configmap_update(
        setup.dir.path(),
        3,
        &[("saker.yaml", &config), ("custom.yaml", broken)],
    );
    service.wait_log("Reload failed");
    setup.wait_for_rule("alerts.json", "Falco internal: hot restart failure", 1);
    post_event(service.port, &namespace_event(3, "three"));
    setup.wait_for_rule("alerts.json", "Renamed Watch", 2);

    // A changed configuration: alerts go to another file.
    configmap_update(
        setup.dir.path(),
        4,
        &[
            ("saker.yaml", &config.replace("alerts.json", "moved.json")),
            ("custom.yaml", CUSTOM_RULE),
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while service
        .log
        .lock()
        .unwrap()
        .matches("Reload complete")
        .count()
        < 2
    {
        assert!(Instant::now() < deadline, "{}", service.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(50));
    }
    post_event(service.port, &namespace_event(4, "four"));
    setup.wait_for_rule("moved.json", "Custom Namespace Watch", 1);
    let fired = setup.rules_fired("alerts.json");
    assert!(!fired.iter().any(|r| r == "Broken"), "{fired:?}");
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
}

/// `watch_config_files: false` leaves a change alone until SIGHUP.
#[test]
fn watch_config_files_false_waits_for_sighup() {
    let setup = Setup::new();
    let config = std::fs::read_to_string(setup.path("saker.yaml")).unwrap();
    std::fs::write(
        setup.path("saker.yaml"),
        format!("{config}watch_config_files: false\n"),
    )
    .unwrap();
    let service = setup.spawn();
    std::fs::write(
        setup.path("custom.yaml"),
        CUSTOM_RULE.replace("Custom Namespace Watch", "Renamed Watch"),
    )
    .unwrap();
    // A barrier: an event handled after the write shows the old rule still in force (the
    // watcher would have reloaded within its 200 ms settle time; this waits longer).
    std::thread::sleep(Duration::from_secs(2));
    post_event(service.port, &namespace_event(1, "one"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);
    assert!(!service.log.lock().unwrap().contains("Reload"));
    service.signal(libc::SIGHUP);
    service.wait_log("Reload complete");
    post_event(service.port, &namespace_event(2, "two"));
    setup.wait_for_rule("alerts.json", "Renamed Watch", 1);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
}

#[path = "../../output/tests/servers/mod.rs"]
mod servers;

/// The sum of the /metrics samples whose line starts with `prefix`.
fn metric_sum(port: u16, prefix: &str) -> u64 {
    let (_, metrics) = http(port, "GET", "/metrics", "").unwrap();
    metrics
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum()
}

/// A `saker_output_channel_*` counter of `channel` from /metrics.
fn channel_metric(port: u16, name: &str, channel: &str) -> u64 {
    metric_sum(
        port,
        &format!("saker_output_channel_{name}_total{{channel=\"{channel}\"}} "),
    )
}

/// `redis_output` in a running service: the audit webhook's alerts reach a Redis stream;
/// with Redis killed, what the bounded queue cannot hold is dropped, counted in /metrics and
/// logged; after a restart the rest arrives, and delivered + dropped = raised.
#[test]
fn redis_output_losses_beyond_the_queue_are_counted_in_metrics() {
    let Some(mut redis) = servers::redis_server() else {
        return;
    };
    let setup = Setup::new();
    let config = std::fs::read_to_string(setup.path("saker.yaml")).unwrap();
    std::fs::write(
        setup.path("saker.yaml"),
        format!(
            "{config}outputs_queue:\n  capacity: 8\nredis_output:\n  enabled: true\n  \
             url: redis://127.0.0.1:{}/0\n  max_retries: 1000\n  timeout_ms: 500\n",
            redis.port
        ),
    )
    .unwrap();
    let service = setup.spawn();
    let stored = |port: u16| -> Vec<String> {
        servers::redis_stream(port, "falco")
            .iter()
            .map(|e| e.get::<String>("alert").unwrap())
            .collect()
    };
    post_event(service.port, &namespace_event(1, "one"));
    setup.wait_for_rule("alerts.json", "Custom Namespace Watch", 1);
    let deadline = Instant::now() + Duration::from_secs(30);
    while channel_metric(service.port, "delivered", "redis") < 2 {
        assert!(Instant::now() < deadline, "{}", service.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(50));
    }
    let first: serde_json::Value = serde_json::from_str(&stored(redis.port)[0]).unwrap();
    assert_eq!(
        first,
        setup.alerts("alerts.json")[0],
        "the file's JSON, as it is"
    );

    redis.kill();
    for i in 2..=40 {
        post_event(service.port, &namespace_event(i, &format!("ns-{i}")));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while channel_metric(service.port, "drops", "redis") == 0 {
        assert!(Instant::now() < deadline, "{}", service.log.lock().unwrap());
        std::thread::sleep(Duration::from_millis(50));
    }
    redis.restart();
    // Every alert raised is in Redis or counted as dropped: by the channel's queue, or by
    // the main queue in front of every channel (it holds 8 too).
    let raised = metric_sum(service.port, "saker_alerts_total{");
    assert_eq!(raised, 80, "two rules for each of 40 events");
    let deadline = Instant::now() + Duration::from_secs(60);
    let (delivered, drops) = loop {
        let delivered = channel_metric(service.port, "delivered", "redis");
        let drops = channel_metric(service.port, "drops", "redis")
            + metric_sum(service.port, "saker_outputs_queue_drops_total ");
        if delivered + drops == raised {
            break (delivered, drops);
        }
        assert!(
            Instant::now() < deadline,
            "raised {raised}, delivered {delivered}, dropped {drops}\n{}",
            service.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(drops > 0 && delivered > 2, "{delivered} {drops}");
    assert_eq!(channel_metric(service.port, "failures", "redis"), 0);
    let unique: std::collections::BTreeSet<String> = stored(redis.port).into_iter().collect();
    assert_eq!(unique.len() as u64, delivered);
    let (code, log) = service.terminate();
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("output channel queue full, alert dropped for this channel"),
        "{log}"
    );
}
