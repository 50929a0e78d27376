//! A `saker run` service for the tests: a config in a temp dir (alerts as JSON to a file,
//! the web server on a port the kernel picks), the running process with its log, and plain
//! HTTP to it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const NAMESPACE_EVENT: &str = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"AID","stage":"ResponseComplete","verb":"create","user":{"username":"mallory"},"objectRef":{"resource":"namespaces","name":"NAME"},"responseStatus":{"code":201},"stageTimestamp":"2026-11-28T10:00:00.000000Z"}"#;

pub const CUSTOM_RULE: &str = "- rule: Custom Namespace Watch\n  desc: every namespace creation\n  condition: ka.target.resource = namespaces and ka.verb = create\n  output: custom namespace %ka.target.name\n  priority: NOTICE\n  source: k8s_audit\n";

pub fn namespace_event(id: usize, name: &str) -> String {
    NAMESPACE_EVENT
        .replace("AID", &id.to_string())
        .replace("NAME", name)
}

/// The ports the web server said it listens on, in order (the kernel picks them: the tests
/// ask for port 0, so that no two tests can race for one port).
pub fn webserver_ports(log: &str) -> Vec<u16> {
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
pub struct Setup {
    pub dir: tempfile::TempDir,
}

impl Setup {
    pub fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let setup = Setup { dir };
        std::fs::write(setup.path("custom.yaml"), CUSTOM_RULE).unwrap();
        setup.write_config("alerts.json", "127.0.0.1", 0);
        setup
    }

    /// Writes `saker.yaml` with alerts to the file `alerts` and the web server on
    /// `address:port`.
    pub fn write_config(&self, alerts: &str, address: &str, port: u16) {
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

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_saker"));
        cmd.args(["run", "--disable-source", "syscall", "-c"])
            .arg(self.path("saker.yaml"));
        cmd
    }

    pub fn spawn(&self) -> Service {
        self.spawn_with(&[])
    }

    /// Starts the service with extra arguments (`-o key=value`).
    pub fn spawn_with(&self, args: &[&str]) -> Service {
        self.spawn_with_env(args, &[])
    }

    /// Starts the service with extra arguments and environment variables.
    pub fn spawn_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Service {
        let mut command = self.command();
        command.args(args).envs(env.iter().copied());
        self.spawn_command(command)
    }

    /// Starts a command made with [`Setup::command`] and waits until it serves.
    pub fn spawn_command(&self, mut command: Command) -> Service {
        let mut child = command
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

    pub fn alerts(&self, file: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.path(file))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    pub fn rules_fired(&self, file: &str) -> Vec<String> {
        self.alerts(file)
            .iter()
            .map(|a| a["rule"].as_str().unwrap().to_string())
            .collect()
    }

    /// Waits until the alert file holds `n` alerts of `rule`.
    pub fn wait_for_rule(&self, file: &str, rule: &str, n: usize) -> Vec<String> {
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

pub struct Service {
    pub child: Child,
    pub log: Arc<Mutex<String>>,
    /// Reads the child's stderr into `log` until the child closes it.
    reader: Option<std::thread::JoinHandle<()>>,
    pub port: u16,
}

impl Service {
    pub fn wait_healthy(&self) {
        wait_healthy(self.port, || self.log.lock().unwrap().clone());
    }

    pub fn signal(&self, sig: libc::c_int) {
        // SAFETY: kill(2) on our own child.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, sig) }, 0);
    }

    pub fn wait_log(&self, needle: &str) {
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
    pub fn terminate(mut self) -> (Option<i32>, String) {
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
pub fn wait_for_port(nth: usize, log: impl Fn() -> String) -> u16 {
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

pub fn wait_healthy(port: u16, log: impl Fn() -> String) {
    wait_healthy_at((Ipv4Addr::LOCALHOST, port), log);
}

pub fn wait_healthy_at(to: (Ipv4Addr, u16), log: impl Fn() -> String) {
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
pub fn http(port: u16, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    http_at((Ipv4Addr::LOCALHOST, port), method, path, body)
}

pub fn http_at(
    to: (Ipv4Addr, u16),
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    http_with(to, method, path, body, "")
}

/// [`http_at`] with extra header lines (each ending in `\r\n`).
pub fn http_with(
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

pub fn post_event(port: u16, event: &str) {
    post_event_at((Ipv4Addr::LOCALHOST, port), event);
}

pub fn post_event_at(to: (Ipv4Addr, u16), event: &str) {
    let (status, body) = http_at(to, "POST", "/k8s-audit", event).unwrap();
    assert_eq!(status, 200, "{body}");
}

/// Runs a copy of a program the test just wrote. While it was open for writing, a child that
/// another test thread forked holds that fd until its own exec, and until then the kernel
/// refuses to run the copy (ETXTBSY): so this tries again for up to 2 s.
pub fn output_of_fresh_copy(command: &mut Command) -> std::process::Output {
    for _ in 0..100 {
        match command.output() {
            Err(err) if err.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(Duration::from_millis(20));
            }
            result => return result.expect("run the copy"),
        }
    }
    panic!("the copy stayed busy (ETXTBSY) for 2 s");
}
