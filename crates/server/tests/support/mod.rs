//! What the web server tests share: a client, a server with a recording audit handler,
//! audit events and a self-signed certificate.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use saker_server::{AuditHandler, Metrics, Mount, Server, ServerContext, ServerOptions};
use serde_json::{Value, json};

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

pub fn reply(response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.into_body().read_to_string().unwrap();
    Reply {
        status,
        content_type,
        body,
    }
}

pub fn get(agent: &ureq::Agent, url: &str) -> Reply {
    reply(agent.get(url).call().unwrap())
}

pub fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> Reply {
    reply(
        agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(body)
            .unwrap(),
    )
}

pub type Received = Arc<Mutex<Vec<Value>>>;

pub fn start(options: ServerOptions, with_handler: bool) -> (Server, Arc<Metrics>, Received) {
    let metrics = Arc::new(Metrics::new("9.9.9-test", 2));
    let received: Received = Arc::new(Mutex::new(Vec::new()));
    let mut context = ServerContext::new(Arc::clone(&metrics));
    context.versions = json!({"saker_version": "9.9.9-test", "engine_version": "1"});
    if with_handler {
        let sink = Arc::clone(&received);
        let handler: AuditHandler = Arc::new(move |event: Value| {
            if event["auditID"] == "refuse-me" {
                return Err("engine queue full".to_string());
            }
            sink.lock().unwrap().push(event);
            Ok(())
        });
        context.k8s_audit = Some(handler);
    }
    let server = Server::start(options, context).unwrap();
    (server, metrics, received)
}

/// A server with routes mounted beside the built-in endpoints.
pub fn start_with_mount(options: ServerOptions, mount: Arc<dyn Mount>) -> (Server, Arc<Metrics>) {
    let metrics = Arc::new(Metrics::new("9.9.9-test", 2));
    let mut context = ServerContext::new(Arc::clone(&metrics));
    context.mount = Some(mount);
    (Server::start(options, context).unwrap(), metrics)
}

pub fn local_options() -> ServerOptions {
    ServerOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        max_body_bytes: 4096,
        ..ServerOptions::default()
    }
}

pub fn audit_event(id: &str, verb: &str) -> Value {
    json!({
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "RequestResponse",
        "auditID": id,
        "stage": "ResponseComplete",
        "verb": verb,
        "user": {"username": "system:admin"},
        "objectRef": {"resource": "pods", "namespace": "default", "name": "nginx"},
        "responseStatus": {"code": 201}
    })
}

/// Makes a self-signed certificate for 127.0.0.1 with the openssl tool; `None` (with a
/// loud SKIPPED) when the tool is missing.
pub fn self_signed(dir: &Path) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
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
            // webpki refuses a CA certificate as the server's own.
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
            eprintln!("SKIPPED: TLS test needs the openssl tool to make a certificate ({other:?})");
            None
        }
    }
}
