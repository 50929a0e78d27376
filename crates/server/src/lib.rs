//! saker-server: Saker's embedded web server — `GET /healthz`, `GET /versions`,
//! `GET /metrics` (Prometheus text from a [`Metrics`] registry the daemon updates) and
//! `POST /k8s-audit` (the Kubernetes audit webhook, optionally behind a bearer token), over
//! HTTP or HTTPS (rustls).
//!
//! Clients cannot hold it hostage: headers and bodies have read timeouts, answers a write
//! timeout, connections a
//! cap, and request bodies a shared memory budget; `/metrics` shows open connections.
//!
//! The server runs on its own thread with a single-threaded tokio runtime; the daemon keeps
//! the [`Server`] handle and calls [`Server::stop`] when it exits.
//!
//! ```
//! use std::sync::Arc;
//! use saker_server::{Metrics, Server, ServerContext, ServerOptions};
//!
//! let metrics = Arc::new(Metrics::new("0.1.0", 2));
//! let options = ServerOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServerOptions::default() };
//! let server = Server::start(options, ServerContext::new(Arc::clone(&metrics))).unwrap();
//! let addr = server.local_addr();
//! assert_eq!(addr.ip().to_string(), "127.0.0.1");
//! server.stop();
//! ```

mod error;
mod http;
mod metrics;
mod slots;
mod snapshot;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use error::ServerError;
pub use http::{Body, Server};
pub use metrics::{Exposition, Metrics};
pub use snapshot::{SnapshotOptions, Snapshotter, sanitize_rule_name};

/// Where and how the server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOptions {
    pub listen: SocketAddr,
    /// `webserver.k8s_healthz_endpoint`.
    pub healthz_path: String,
    pub k8s_audit_path: String,
    /// Serve `GET /metrics`.
    pub metrics_enabled: bool,
    /// Largest accepted request body (413 beyond).
    pub max_body_bytes: usize,
    pub tls: Option<TlsFiles>,
    /// Connections served at once. One more takes the slot of the connection idle longest
    /// (a slow sender of headers, an idle keep-alive); when none is idle, it is refused
    /// (503 over HTTP, closed over HTTPS). Both are counted.
    pub max_connections: usize,
    /// Time a client gets to send a request's headers (and to finish the TLS handshake);
    /// also how long an idle kept-alive connection stays open.
    pub header_timeout: Duration,
    /// Time a client gets to send a request's body (408 beyond).
    pub body_timeout: Duration,
    /// Time a write to a client may wait for the client to read: a client that stops
    /// reading (an event stream left open in a stalled page, a response never read) loses
    /// its connection rather than holding it for ever.
    pub write_timeout: Duration,
    /// Bytes of request bodies held at once over all connections: a body that does not fit
    /// is refused with 503 and `Retry-After` (the API server's webhook retries), so slow
    /// clients with big bodies cannot exhaust memory.
    pub body_memory_bytes: usize,
    /// When set, `POST` on the audit endpoint needs `Authorization: Bearer <token>` (the
    /// `token` of the API server's webhook kubeconfig).
    pub k8s_audit_token: Option<Secret>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 8765)),
            healthz_path: "/healthz".to_string(),
            k8s_audit_path: "/k8s-audit".to_string(),
            metrics_enabled: true,
            max_body_bytes: 12 * 1024 * 1024,
            tls: None,
            max_connections: 128,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            body_memory_bytes: 64 * 1024 * 1024,
            k8s_audit_token: None,
        }
    }
}

/// A credential: compared in constant time, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Constant-time comparison, so the time of a refusal says nothing about the token.
    pub fn matches(&self, candidate: &[u8]) -> bool {
        use subtle::ConstantTimeEq;
        self.0.as_bytes().ct_eq(candidate).into()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// PEM files for HTTPS. Without `private_key`, the key is read from `certificate` (Falco's
/// single `falco.pem` holding both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub certificate: PathBuf,
    pub private_key: Option<PathBuf>,
}

/// Receives each Kubernetes audit event (one `audit.k8s.io/v1` `Event` object). An error
/// (e.g. the engine's queue is full) is returned to the API server as 503 with the reason.
pub type AuditHandler = Arc<dyn Fn(serde_json::Value) -> Result<(), String> + Send + Sync>;

/// Routes mounted beside the built-in endpoints (the web console). Asked for every request
/// no built-in endpoint takes; it must answer without blocking (it runs on the server's
/// only thread).
pub trait Mount: Send + Sync {
    /// The response, or `None` when the path is not one of its own (the server answers 404).
    fn respond(
        &self,
        request: &hyper::Request<hyper::body::Incoming>,
    ) -> Option<hyper::Response<Body>>;
}

/// What the endpoints serve, supplied by the daemon.
#[derive(Clone)]
pub struct ServerContext {
    pub metrics: Arc<Metrics>,
    /// The body of `GET /versions`.
    pub versions: serde_json::Value,
    /// `None`: the `k8s_audit` source is disabled and `POST /k8s-audit` answers 503.
    pub k8s_audit: Option<AuditHandler>,
    /// Extra routes (the web console), served with the same address, TLS and limits.
    pub mount: Option<Arc<dyn Mount>>,
}

impl ServerContext {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        ServerContext {
            metrics,
            versions: serde_json::json!({
                "saker_version": env!("CARGO_PKG_VERSION"),
            }),
            k8s_audit: None,
            mount: None,
        }
    }
}
