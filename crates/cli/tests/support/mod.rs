//! A `saker run` service for the tests: a config in a temp dir (alerts as JSON to a file,
//! the web server on a free port), the running process with its log, and plain HTTP.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
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

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A config in a temp dir: alerts as JSON to `alerts.json`, the web server on a free port,
/// no stdout/syslog, the default rules plus `custom.yaml`.
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub port: u16,
}

impl Setup {
    pub fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let setup = Setup {
            dir,
            port: free_port(),
        };
        std::fs::write(setup.path("custom.yaml"), CUSTOM_RULE).unwrap();
        setup.write_config("alerts.json", setup.port);
        setup
    }

    /// Writes `saker.yaml` with alerts to the file `alerts` and the web server on `port`.
    pub fn write_config(&self, alerts: &str, port: u16) {
        let config = format!(
            "rules_files:\n  - embedded\n  - {custom}\nrule_matching: all\njson_output: true\n\
             stdout_output:\n  enabled: false\nsyslog_output:\n  enabled: false\n\
             file_output:\n  enabled: true\n  keep_alive: true\n  filename: {alerts}\n\
             log_syslog: false\nlog_stderr: true\n\
             webserver:\n  enabled: true\n  listen_address: 127.0.0.1\n  listen_port: {port}\n",
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
        let mut child = self
            .command()
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
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
        let service = Service {
            child,
            log,
            port: self.port,
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
                // Let the reader thread take the last lines.
                std::thread::sleep(Duration::from_millis(100));
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

pub fn wait_healthy(port: u16, log: impl Fn() -> String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok((200, _)) = http(port, "GET", "/healthz", "") {
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
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
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
    let (status, body) = http(port, "POST", "/k8s-audit", event).unwrap();
    assert_eq!(status, 200, "{body}");
}
