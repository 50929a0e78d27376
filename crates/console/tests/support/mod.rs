//! What the console's integration tests share: a console mounted on a real web server on a
//! free port, alerts to feed it, and HTTP helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod browser;

use saker_console::{Console, ConsoleOptions, RuleCatalog};
use saker_event::{Alert, Priority};
use saker_server::{Metrics, Server, ServerContext, ServerOptions, TlsFiles};

/// A rule whose output carries every field an attacker controls in a file open.
pub const WRITE_BELOW_ETC: &str = r#"
- rule: Write below etc
  desc: A file below /etc was opened for writing <b>(markup in a description stays text)</b>
  condition: evt.type = openat and evt.is_open_write = true and fd.name startswith /etc/
  output: >
    File below /etc opened for writing (file=%fd.name command=%proc.cmdline
    process=%proc.name container_id=%container.id container_name=%container.name)
  priority: ERROR
  tags: [filesystem, mitre_persistence]
"#;

pub struct Harness {
    pub metrics: Arc<Metrics>,
    pub console: Console,
    pub server: Server,
    pub base: String,
}

#[derive(Default)]
pub struct Setup {
    pub options: ConsoleOptions,
    pub token: Option<String>,
    pub tls: Option<TlsFiles>,
    /// Reuse this address (a restart on the same port).
    pub listen: Option<std::net::SocketAddr>,
    pub rules: Option<RuleCatalog>,
    /// Serve POST /k8s-audit through this engine, its alerts going to the console.
    pub audit_engine: Option<Arc<saker_engine::Engine>>,
}

impl Harness {
    pub fn start(setup: Setup) -> Harness {
        let metrics = Arc::new(Metrics::new("9.9.9", 2));
        Harness::start_with(setup, metrics)
    }

    pub fn start_with(setup: Setup, metrics: Arc<Metrics>) -> Harness {
        let console = Console::start(setup.options, Arc::clone(&metrics)).unwrap();
        if let Some(rules) = setup.rules {
            console.set_rules(rules);
        }
        let mut context = ServerContext::new(Arc::clone(&metrics));
        context.mount = Some(console.routes(setup.token));
        context.k8s_audit = setup.audit_engine.map(|engine| {
            let feed = console.feed();
            let metrics = Arc::clone(&metrics);
            let pipeline = Arc::new(saker_k8saudit::AuditPipeline::new(engine, move |alert| {
                metrics.record_alert(&alert);
                feed.record(&alert);
            }));
            pipeline.handler()
        });
        let scheme = if setup.tls.is_some() { "https" } else { "http" };
        let options = ServerOptions {
            listen: setup
                .listen
                .unwrap_or_else(|| "127.0.0.1:0".parse().unwrap()),
            tls: setup.tls,
            ..ServerOptions::default()
        };
        let server = Server::start(options, context).unwrap();
        let base = format!("{scheme}://127.0.0.1:{}", server.local_addr().port());
        Harness {
            metrics,
            console,
            server,
            base,
        }
    }

    /// Gives the console an alert the way the daemon does (counted in the metrics too).
    pub fn raise(&self, alert: &Alert) {
        self.metrics.record_alert(alert);
        self.console.feed().record(alert);
    }

    pub fn stop(self) {
        self.server.stop();
        self.console.stop();
    }
}

pub fn alert(rule: &str, priority: Priority, source: &str, fields: &[(&str, &str)]) -> Alert {
    let output_fields: BTreeMap<String, serde_json::Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    let described: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Alert {
        time_ns: now_ns(),
        rule: rule.to_string(),
        priority,
        source: source.to_string(),
        output: format!("{rule} ({})", described.join(" ")),
        output_fields,
        tags: vec![source.to_string(), "test".to_string()],
        hostname: "test-host".to_string(),
    }
}

pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// Waits for `condition` with a generous deadline (the machine may be loaded).
pub fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

pub fn request(agent: &ureq::Agent, method: &str, url: &str, token: Option<&str>) -> Answer {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    if let Some(token) = token {
        builder = builder.header("Authorization", format!("Bearer {token}"));
    }
    let response = if method == "POST" {
        agent.run(builder.body(b"{}".to_vec()).unwrap())
    } else {
        agent.run(builder.body(()).unwrap())
    };
    let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    Answer {
        status: response.status().as_u16(),
        headers,
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

pub fn get(agent: &ureq::Agent, url: &str) -> Answer {
    request(agent, "GET", url, None)
}

/// The ids of the alerts in an `/api/alerts` answer, newest first.
pub fn ids(answer: &serde_json::Value) -> Vec<u64> {
    answer["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_u64().unwrap())
        .collect()
}

/// A self-signed certificate for 127.0.0.1 made with the openssl tool; `None` (with a loud
/// SKIPPED) when the tool is missing.
pub fn self_signed(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let status = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Some((cert, key)),
        other => {
            eprintln!("SKIPPED: TLS needs the openssl tool to make a certificate ({other:?})");
            None
        }
    }
}

/// The rules of a small rules file, as the daemon would list them.
pub fn catalog(yaml: &str) -> RuleCatalog {
    let (ruleset, diagnostics) =
        saker_rules::load(&[saker_rules::SourceFile::new("test.yaml", yaml)]);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    RuleCatalog::new(&ruleset, Priority::Debug)
}
