//! `nats_output`: each alert published on a subject made from a template, on core NATS or
//! into a JetStream stream, through the official async-nats client.
//!
//! Delivery is at least once. Alerts are published as they come and kept until the server
//! confirms them: on core NATS by a flush (a PING answered after every message before it, on
//! the same connection; a reconnect in between means the batch is sent again), on JetStream by
//! each message's ack (with a `Nats-Msg-Id`, so the stream drops the copies a retry makes).
//! A batch is confirmed when it reaches `batch_size` and whenever the channel asks for a
//! flush (after each alert unbuffered, when its queue runs empty with `buffered_outputs`).

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_nats::connection::State;
use async_nats::jetstream::context::PublishAckFuture;
use async_nats::jetstream::message::PublishMessage;
use async_nats::{Client, ConnectOptions, Event};
use bytes::Bytes;
use tokio::runtime::Runtime;

use super::retry::{Attempt, RetryPolicy, with_retries};
use super::template::AlertTemplate;
use crate::{EncodedAlert, OutputError, Sink};

/// `nats_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatsSinkOptions {
    /// Server URLs, comma-separated (`nats://host:4222`, `tls://host:4222`).
    pub url: String,
    /// falcosidekick's `subjecttemplate`: `falco.<priority>.<rule>`; also `<source>` and
    /// `<hostname>`.
    pub subject_template: String,
    /// Publish into JetStream (the subjects must belong to a stream) and wait for its acks.
    pub jetstream: bool,
    /// A `.creds` file (user JWT and NKey seed), as `nats --creds`.
    pub credentials_file: Option<PathBuf>,
    /// Require TLS; implied by `tls://` URLs and by any certificate below.
    pub tls: bool,
    /// PEM CA certificate to trust for the server's certificate.
    pub ca_cert: Option<PathBuf>,
    /// PEM client certificate and key (mutual TLS).
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Alerts published before the sink waits for the server's confirmation.
    pub batch_size: usize,
    pub retry: RetryPolicy,
    /// Deadline for one confirmation (flush or acks) and for connecting.
    pub timeout: Duration,
    /// The client's name in the server's connection list; also the start of JetStream
    /// message ids (with the pid and start time, unique per process).
    pub client_name: String,
}

impl NatsSinkOptions {
    pub fn new(url: impl Into<String>) -> Self {
        NatsSinkOptions {
            url: url.into(),
            subject_template: "falco.<priority>.<rule>".to_string(),
            jetstream: false,
            credentials_file: None,
            tls: false,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            batch_size: 1024,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(5),
            client_name: "saker".to_string(),
        }
    }
}

/// One alert not yet confirmed.
struct Pending {
    subject: String,
    payload: Bytes,
    /// JetStream: the message id, and the future of the ack of the last publish.
    id: String,
    ack: Option<PublishAckFuture>,
}

/// The `nats_output` channel.
pub struct NatsSink {
    options: NatsSinkOptions,
    subject: AlertTemplate,
    runtime: Runtime,
    client: Client,
    jetstream: Option<async_nats::jetstream::Context>,
    pending: Vec<Pending>,
    /// `pending[..sent]` went out on the current attempt, the rest not yet.
    sent: usize,
    /// Core NATS: the connection the pending alerts went out on (the client's count of
    /// connections made); a different count at the flush means some may be lost.
    epoch: u64,
    id_prefix: String,
    next_id: u64,
}

impl NatsSink {
    /// Checks the settings and the files they name, and starts connecting in the background:
    /// a server that is down at start-up is retried like one that goes away later.
    pub fn connect(options: NatsSinkOptions) -> Result<Self, OutputError> {
        let subject =
            AlertTemplate::parse(&options.subject_template, "nats_output.subject_template")?;
        let error = |reason: String| OutputError::Nats {
            server: options.url.clone(),
            reason,
            alerts: 0,
        };
        for (what, path) in [
            ("credentials_file", &options.credentials_file),
            ("ca_cert", &options.ca_cert),
            ("client_cert", &options.client_cert),
            ("client_key", &options.client_key),
        ] {
            if let Some(path) = path {
                std::fs::File::open(path)
                    .map_err(|e| error(format!("{what} {}: {e}", path.display())))?;
            }
        }
        if options.client_cert.is_some() != options.client_key.is_some() {
            return Err(error(
                "client_cert and client_key must be given together".to_string(),
            ));
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("saker-out-nats-io")
            .enable_all()
            .build()
            .map_err(|e| error(format!("starting the client's runtime: {e}")))?;
        let client = runtime.block_on(connect(&options)).map_err(error)?;
        // The JetStream context starts a task on the client's runtime.
        let _context = runtime.enter();
        let jetstream = options.jetstream.then(|| {
            async_nats::jetstream::ContextBuilder::new()
                .timeout(options.timeout)
                .ack_timeout(options.timeout)
                .max_ack_inflight(options.batch_size.max(1) * 2)
                .build(client.clone())
        });
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(NatsSink {
            id_prefix: format!("{}-{}-{start:x}-", options.client_name, std::process::id()),
            subject,
            runtime,
            client,
            jetstream,
            pending: Vec::new(),
            sent: 0,
            epoch: 0,
            next_id: 0,
            options,
        })
    }

    fn error(&self, reason: String, alerts: usize) -> OutputError {
        OutputError::Nats {
            server: self.options.url.clone(),
            reason,
            alerts: alerts as u64,
        }
    }

    /// The connection that a message published now will go out on.
    fn current_epoch(&self) -> u64 {
        let connects = self.client.statistics().connects.load(Ordering::Relaxed);
        // Not connected: the client holds the message for the next connection.
        match self.client.connection_state() {
            State::Connected => connects,
            State::Pending | State::Disconnected => connects + 1,
        }
    }

    /// Publishes the pending alerts not sent yet.
    fn publish_unsent(&mut self) -> Result<(), Attempt> {
        if self.sent == 0 {
            self.epoch = self.current_epoch();
        }
        let timeout = self.options.timeout;
        let (client, jetstream, sent_count) = (&self.client, &self.jetstream, &mut self.sent);
        self.runtime.block_on(async {
            for pending in &mut self.pending[*sent_count..] {
                let subject = pending.subject.clone();
                let payload = pending.payload.clone();
                let sent = match jetstream {
                    Some(js) => {
                        let message = PublishMessage::build()
                            .payload(payload)
                            .message_id(&pending.id);
                        tokio::time::timeout(timeout, js.send_publish(subject, message))
                            .await
                            .map(|r| {
                                r.map(|ack| pending.ack = Some(ack))
                                    .map_err(|e| e.to_string())
                            })
                    }
                    None => tokio::time::timeout(timeout, client.publish(subject, payload))
                        .await
                        .map(|r| r.map_err(|e| e.to_string())),
                };
                match sent {
                    Ok(Ok(())) => *sent_count += 1,
                    Ok(Err(e)) => return Err(Attempt::Retry(format!("publish: {e}"))),
                    Err(_) => return Err(Attempt::Retry("publish timed out".into())),
                }
            }
            Ok(())
        })
    }

    /// One attempt at getting every pending alert confirmed; those confirmed leave `pending`,
    /// those that may be lost are marked to be published again.
    fn confirm_once(&mut self) -> Result<(), Attempt> {
        let result = self.publish_unsent().and_then(|()| {
            if self.jetstream.is_some() {
                self.await_acks()
            } else {
                self.await_flush()
            }
        });
        if result.is_err() {
            // Core NATS cannot tell which messages the server got: all go again. JetStream:
            // what is left was not acked.
            self.sent = 0;
        }
        result
    }

    /// Core NATS: the server answered a PING sent after the alerts, on the connection they
    /// went out on.
    fn await_flush(&mut self) -> Result<(), Attempt> {
        let flushed = self.runtime.block_on(async {
            tokio::time::timeout(self.options.timeout, self.client.flush()).await
        });
        let connects = self.client.statistics().connects.load(Ordering::Relaxed);
        match flushed {
            Ok(Ok(())) if connects == self.epoch => {
                self.pending.clear();
                self.sent = 0;
                Ok(())
            }
            Ok(Ok(())) => Err(Attempt::Retry(
                "the connection was lost while alerts were in flight".into(),
            )),
            Ok(Err(e)) => Err(Attempt::Retry(format!("flush: {e}"))),
            Err(_) => Err(Attempt::Retry("flush timed out".into())),
        }
    }

    /// JetStream: waits for the acks; an alert whose ack failed is published again (with the
    /// same message id, so the stream keeps one copy).
    fn await_acks(&mut self) -> Result<(), Attempt> {
        let deadline = tokio::time::Instant::now() + self.options.timeout;
        let mut failure = None;
        let mut acked = vec![false; self.pending.len()];
        self.runtime.block_on(async {
            for (pending, acked) in self.pending.iter_mut().zip(&mut acked) {
                let Some(ack) = pending.ack.take() else {
                    continue;
                };
                match tokio::time::timeout_at(deadline, ack).await {
                    Ok(Ok(_)) => *acked = true,
                    Ok(Err(e)) => failure = Some(format!("ack: {e}")),
                    Err(_) => failure = Some("ack timed out".to_string()),
                }
            }
        });
        let mut acked = acked.into_iter();
        self.pending.retain(|_| !acked.next().unwrap_or(false));
        self.sent = 0;
        match failure {
            None => Ok(()),
            Some(reason) => Err(Attempt::Retry(reason)),
        }
    }

    /// Confirms the pending alerts, retrying with backoff; on failure they are lost and the
    /// error counts them.
    fn confirm(&mut self, policy: RetryPolicy) -> Result<(), OutputError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = with_retries(&policy, "nats", |_| self.confirm_once());
        result.map_err(|reason| {
            self.sent = 0;
            let lost = std::mem::take(&mut self.pending).len();
            self.error(reason, lost)
        })
    }
}

async fn connect(options: &NatsSinkOptions) -> Result<Client, String> {
    let mut connect = match &options.credentials_file {
        Some(path) => ConnectOptions::with_credentials_file(path)
            .await
            .map_err(|e| format!("credentials_file {}: {e}", path.display()))?,
        None => ConnectOptions::new(),
    };
    if options.tls
        || options.ca_cert.is_some()
        || options.client_cert.is_some()
        || options
            .url
            .split(',')
            .any(|u| u.trim().starts_with("tls://"))
    {
        connect = connect.require_tls(true);
    }
    if let Some(ca) = &options.ca_cert {
        connect = connect.add_root_certificates(ca.clone());
    }
    if let (Some(cert), Some(key)) = (&options.client_cert, &options.client_key) {
        connect = connect.add_client_certificate(cert.clone(), key.clone());
    }
    let url = options.url.clone();
    connect
        .name(&options.client_name)
        .connection_timeout(options.timeout)
        .retry_on_initial_connect()
        // Alerts wait in Saker's queue, not in the client's: a small client buffer makes a
        // publish to a dead server time out instead of piling up.
        .client_capacity(options.batch_size.max(64) * 2)
        .event_callback(move |event| {
            let url = url.clone();
            async move {
                match event {
                    Event::Connected => tracing::info!(server = %url, "nats output connected"),
                    Event::Disconnected => {
                        tracing::warn!(server = %url, "nats output disconnected, reconnecting")
                    }
                    other => tracing::warn!(server = %url, event = %other, "nats output"),
                }
            }
        })
        .connect(options.url.as_str())
        .await
        .map_err(|e| e.to_string())
}

impl Sink for NatsSink {
    fn name(&self) -> &str {
        "nats"
    }

    fn write(&mut self, alert: &EncodedAlert) -> Result<(), OutputError> {
        let id = if self.jetstream.is_some() {
            self.next_id += 1;
            format!("{}{}", self.id_prefix, self.next_id)
        } else {
            String::new()
        };
        self.pending.push(Pending {
            subject: self.subject.render(alert),
            payload: Bytes::copy_from_slice(&alert.bytes),
            id,
            ack: None,
        });
        // Published at once, so a consumer sees the alert without waiting for the batch.
        let published = self.publish_unsent().is_ok();
        if !published || self.pending.len() >= self.options.batch_size {
            return self.confirm(self.options.retry);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        self.confirm(self.options.retry)
    }

    fn close(&mut self) -> Result<(), OutputError> {
        let policy = self.options.retry.for_shutdown();
        let result = self.confirm(policy);
        if let Err(e) = &result {
            tracing::error!(
                lost = e.alerts(),
                "nats output: alerts not confirmed at exit: {e}"
            );
        }
        let client = self.client.clone();
        let _ = self
            .runtime
            .block_on(async { tokio::time::timeout(Duration::from_secs(2), client.drain()).await });
        result
    }
}
