use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;
use ureq::Agent;
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

use crate::{EncodedAlert, Ledger, OutputError, Sink};

/// `http_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSinkOptions {
    pub url: String,
    pub user_agent: String,
    /// `Content-Type` of the POST: `application/json` for JSON alerts, `text/plain` otherwise.
    pub content_type: String,
    /// Skip server certificate verification.
    pub insecure: bool,
    /// PEM files of CA certificates to trust instead of the built-in web roots (Falco's
    /// `ca_cert`, `ca_bundle` and the files of `ca_path`).
    pub ca_certs: Vec<PathBuf>,
    /// PEM client certificate chain and key for mutual TLS.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Retries after a transport error, a 5xx or a 429, with doubling backoff.
    pub max_retries: u32,
    /// Retries after a request that timed out (Falco's `max_consecutive_timeouts`), counted
    /// apart from the other failures: a slow receiver is not a broken one.
    pub max_consecutive_timeouts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Per-request deadline (connect, send, answer).
    pub timeout: Duration,
    /// Reuse the connection between alerts.
    pub keep_alive: bool,
    /// Send each body gzip-compressed, with `Content-Encoding: gzip` (`compress_uploads`).
    pub compress: bool,
    /// Print each answer body of the receiver on stdout (`echo`).
    pub echo: bool,
}

impl HttpSinkOptions {
    pub fn new(url: impl Into<String>) -> Self {
        HttpSinkOptions {
            url: url.into(),
            user_agent: concat!("saker/", env!("CARGO_PKG_VERSION")).to_string(),
            content_type: "application/json".to_string(),
            insecure: false,
            ca_certs: Vec::new(),
            client_cert: None,
            client_key: None,
            max_retries: 5,
            max_consecutive_timeouts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            keep_alive: true,
            compress: false,
            echo: false,
        }
    }
}

/// `http_output`: one POST per alert over a kept-alive connection (HTTP or HTTPS with rustls).
pub struct HttpSink {
    options: HttpSinkOptions,
    agent: Agent,
    /// The gzip body of the alert being sent, kept between alerts for its allocation.
    compressed: Vec<u8>,
    /// Where `echo` prints the answers: stdout, or what [`HttpSink::echo_to`] set.
    echo: Option<Mutex<Box<dyn Write + Send>>>,
}

impl HttpSink {
    /// Reads the certificate files now, so a bad one stops start-up with a clear message.
    pub fn new(options: HttpSinkOptions) -> Result<Self, OutputError> {
        let mut tls = TlsConfig::builder().disable_verification(options.insecure);
        if !options.ca_certs.is_empty() {
            let mut certs = Vec::new();
            for path in &options.ca_certs {
                certs.extend(read_certs(path, "ca_cert")?);
            }
            tls = tls.root_certs(RootCerts::new_with_certs(&certs));
        }
        match (&options.client_cert, &options.client_key) {
            (Some(cert), Some(key)) => {
                let chain = read_certs(cert, "client_cert")?;
                let key = read_key(key)?;
                tls = tls.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
            }
            (Some(path), None) | (None, Some(path)) => {
                return Err(OutputError::Tls {
                    what: "client certificate pair",
                    path: path.clone(),
                    reason: "client_cert and client_key must be given together".to_string(),
                });
            }
            (None, None) => {}
        }
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(options.user_agent.as_str())
            .timeout_global(Some(options.timeout))
            .max_idle_connections(if options.keep_alive { 4 } else { 0 })
            .max_idle_connections_per_host(if options.keep_alive { 2 } else { 0 })
            .tls_config(tls.build())
            .build()
            .into();
        let echo = options
            .echo
            .then(|| Mutex::new(Box::new(std::io::stdout()) as Box<dyn Write + Send>));
        Ok(HttpSink {
            options,
            agent,
            compressed: Vec::new(),
            echo,
        })
    }

    /// Prints the answers (with `echo`) to `out` instead of stdout.
    pub fn echo_to(mut self, out: impl Write + Send + 'static) -> Self {
        if self.echo.is_some() {
            self.echo = Some(Mutex::new(Box::new(out)));
        }
        self
    }

    fn post_once(&self, body: &[u8]) -> Result<(), Attempt> {
        let mut request = self
            .agent
            .post(&self.options.url)
            .header("Content-Type", &self.options.content_type);
        if self.options.compress {
            request = request.header("Content-Encoding", "gzip");
        }
        let response = request.send(body).map_err(|e| match e {
            ureq::Error::Timeout(_) => Attempt::Timeout(self.http_error(e.to_string())),
            _ => Attempt::Retry(self.http_error(e.to_string())),
        })?;
        let status = response.status().as_u16();
        // Read the answer so the connection goes back to the pool for the next alert.
        let answer = response
            .into_body()
            .with_config()
            .limit(1 << 20)
            .read_to_vec();
        if let (Some(echo), Ok(answer)) = (&self.echo, answer) {
            let mut out = echo.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let _ = out.write_all(&answer);
            if !answer.ends_with(b"\n") {
                let _ = out.write_all(b"\n");
            }
            let _ = out.flush();
        }
        match status {
            200..=299 => Ok(()),
            429 | 500..=599 => Err(Attempt::Retry(self.status_error(status))),
            _ => Err(Attempt::Fatal(self.status_error(status))),
        }
    }

    /// The alert gzip-compressed, in the buffer kept in `self.compressed`.
    fn gzip(&mut self, encoded: &[u8]) -> Result<Vec<u8>, OutputError> {
        let mut buffer = std::mem::take(&mut self.compressed);
        buffer.clear();
        let mut gzip = GzEncoder::new(buffer, Compression::default());
        gzip.write_all(encoded)
            .and_then(|()| gzip.finish())
            .map_err(|e| self.http_error(format!("compressing the body: {e}")))
    }

    fn http_error(&self, reason: String) -> OutputError {
        OutputError::Http {
            url: self.options.url.clone(),
            reason,
        }
    }

    fn status_error(&self, status: u16) -> OutputError {
        OutputError::HttpStatus {
            url: self.options.url.clone(),
            status,
        }
    }
}

enum Attempt {
    Retry(OutputError),
    Timeout(OutputError),
    Fatal(OutputError),
}

fn read_certs(path: &Path, what: &'static str) -> Result<Vec<Certificate<'static>>, OutputError> {
    let tls_error = |reason: String| OutputError::Tls {
        what,
        path: path.to_path_buf(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| tls_error(e.to_string()))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        if let PemItem::Certificate(cert) = item.map_err(|e| tls_error(e.to_string()))? {
            certs.push(cert);
        }
    }
    if certs.is_empty() {
        return Err(tls_error("no PEM certificate in the file".to_string()));
    }
    Ok(certs)
}

fn read_key(path: &Path) -> Result<PrivateKey<'static>, OutputError> {
    let tls_error = |reason: String| OutputError::Tls {
        what: "client_key",
        path: path.to_path_buf(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| tls_error(e.to_string()))?;
    PrivateKey::from_pem(&pem).map_err(|e| tls_error(e.to_string()))
}

impl Sink for HttpSink {
    fn name(&self) -> &str {
        "http"
    }

    fn write(&mut self, alert: &EncodedAlert, ledger: &Ledger) {
        if !self.options.compress {
            let result = self.post_with_retries(&alert.bytes, ledger);
            return ledger.settle(result);
        }
        let body = match self.gzip(&alert.bytes) {
            Ok(body) => body,
            Err(e) => return ledger.failed(1, &e),
        };
        let result = self.post_with_retries(&body, ledger);
        self.compressed = body;
        ledger.settle(result);
    }
}

impl HttpSink {
    /// Posts with retries and a doubling backoff; meanwhile the channel's queue holds the
    /// alerts that follow, so an outage shorter than the queue loses nothing. During a
    /// shutdown a receiver that is already failing gets one attempt per alert.
    fn post_with_retries(&self, body: &[u8], ledger: &Ledger) -> Result<(), OutputError> {
        let mut backoff = self.options.initial_backoff;
        let (mut failures, mut timeouts) = (0, 0);
        let (max_retries, max_timeouts) = if ledger.closing() && ledger.is_failing() {
            (0, 0)
        } else {
            (
                self.options.max_retries,
                self.options.max_consecutive_timeouts,
            )
        };
        loop {
            let error = match self.post_once(body) {
                Ok(()) => return Ok(()),
                Err(Attempt::Fatal(e)) => return Err(e),
                Err(Attempt::Timeout(e)) if timeouts >= max_timeouts => return Err(e),
                Err(Attempt::Retry(e)) if failures >= max_retries => return Err(e),
                Err(Attempt::Timeout(e)) => {
                    timeouts += 1;
                    e
                }
                Err(Attempt::Retry(e)) => {
                    failures += 1;
                    timeouts = 0;
                    e
                }
            };
            tracing::debug!(url = %self.options.url, failures, timeouts, error = %error, "http output retrying");
            ledger.retried(1);
            if !ledger.wait(backoff) {
                return Err(error);
            }
            backoff = (backoff * 2).min(self.options.max_backoff);
        }
    }
}
