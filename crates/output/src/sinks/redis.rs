//! `redis_output`: each alert appended to a Redis stream (`XADD` with `MAXLEN ~`) or list
//! (`RPUSH`, falcosidekick's Redis storage), through the redis-rs client.
//!
//! Alerts are sent in pipelines: the channel collects them until `batch_size` or a flush
//! (after each alert unbuffered, when its queue runs empty with `buffered_outputs`), then
//! sends them all in one round trip. Delivery is at least once: a pipeline cut by a failure
//! is sent again whole on a new connection, so an alert may be stored twice.

use std::time::Duration;

use redis::RetryMethod;
use redis::streams::StreamMaxlen;

use super::retry::{Attempt, RetryPolicy, with_retries};
use super::template::AlertTemplate;
use crate::{EncodedAlert, OutputError, Sink};

/// What the alerts are appended to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedisTarget {
    /// `XADD key MAXLEN ~ maxlen * alert JSON rule R priority P source S hostname H`;
    /// `maxlen` 0 leaves the stream unbounded.
    Stream { maxlen: usize },
    /// `RPUSH key JSON`, then `LTRIM key -maxlen -1` when `maxlen` is not 0.
    List { maxlen: usize },
}

/// `redis_output` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisSinkOptions {
    /// `redis://[user:password@]host:port/db` or `redis+unix:///path`.
    pub url: String,
    /// The key, a template like NATS subjects: `falco`, `falco:<priority>`.
    pub key_template: String,
    pub target: RedisTarget,
    /// Alerts sent in one pipeline at most.
    pub batch_size: usize,
    pub retry: RetryPolicy,
    /// Deadline for connecting and for one pipeline's answer.
    pub timeout: Duration,
}

impl RedisSinkOptions {
    pub fn new(url: impl Into<String>) -> Self {
        RedisSinkOptions {
            url: url.into(),
            key_template: "falco".to_string(),
            target: RedisTarget::Stream { maxlen: 100_000 },
            batch_size: 1024,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(5),
        }
    }
}

/// An alert waiting for its pipeline.
struct Pending {
    key: String,
    rule: String,
    priority: &'static str,
    source: String,
    hostname: String,
    payload: Vec<u8>,
}

/// The `redis_output` channel.
pub struct RedisSink {
    options: RedisSinkOptions,
    /// The URL without its password, for messages.
    server: String,
    key: AlertTemplate,
    client: redis::Client,
    connection: Option<redis::Connection>,
    pending: Vec<Pending>,
}

impl RedisSink {
    /// Checks the URL and the key template; connects at the first alert (a server that is down
    /// at start-up is retried like one that goes away later).
    pub fn open(options: RedisSinkOptions) -> Result<Self, OutputError> {
        let key = AlertTemplate::parse(&options.key_template, "redis_output.key")?;
        let server = redacted(&options.url);
        let client = redis::Client::open(options.url.as_str()).map_err(|e| OutputError::Redis {
            server: server.clone(),
            reason: e.to_string(),
            alerts: 0,
        })?;
        Ok(RedisSink {
            options,
            server,
            key,
            client,
            connection: None,
            pending: Vec::new(),
        })
    }

    fn connection(&mut self) -> Result<&mut redis::Connection, Attempt> {
        if self.connection.is_none() {
            let connection = self
                .client
                .get_connection_with_timeout(self.options.timeout)
                .map_err(|e| Attempt::Retry(format!("connect: {e}")))?;
            connection
                .set_read_timeout(Some(self.options.timeout))
                .and_then(|()| connection.set_write_timeout(Some(self.options.timeout)))
                .map_err(|e| Attempt::Retry(e.to_string()))?;
            self.connection = Some(connection);
        }
        Ok(self.connection.as_mut().expect("connected above"))
    }

    fn pipeline(&self) -> redis::Pipeline {
        let mut pipe = redis::pipe();
        for alert in &self.pending {
            match self.options.target {
                RedisTarget::Stream { maxlen } => {
                    let fields: [(&str, &[u8]); 5] = [
                        ("alert", &alert.payload),
                        ("rule", alert.rule.as_bytes()),
                        ("priority", alert.priority.as_bytes()),
                        ("source", alert.source.as_bytes()),
                        ("hostname", alert.hostname.as_bytes()),
                    ];
                    if maxlen == 0 {
                        pipe.xadd(&alert.key, "*", &fields).ignore();
                    } else {
                        pipe.xadd_maxlen(&alert.key, StreamMaxlen::Approx(maxlen), "*", &fields)
                            .ignore();
                    }
                }
                RedisTarget::List { maxlen } => {
                    pipe.rpush(&alert.key, &alert.payload).ignore();
                    if maxlen > 0 {
                        let keep = isize::try_from(maxlen).unwrap_or(isize::MAX);
                        pipe.ltrim(&alert.key, -keep, -1).ignore();
                    }
                }
            }
        }
        pipe
    }

    /// One round trip with every pending alert.
    fn send_once(&mut self) -> Result<(), Attempt> {
        let pipe = self.pipeline();
        let connection = self.connection()?;
        match pipe.query::<()>(connection) {
            Ok(()) => {
                self.pending.clear();
                Ok(())
            }
            Err(e) => match e.retry_method() {
                RetryMethod::NoRetry => Err(Attempt::Fatal(e.to_string())),
                RetryMethod::Reconnect => {
                    self.connection = None;
                    Err(Attempt::Retry(e.to_string()))
                }
                _ => Err(Attempt::Retry(e.to_string())),
            },
        }
    }

    fn send(&mut self, policy: RetryPolicy) -> Result<(), OutputError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = with_retries(&policy, "redis", |_| self.send_once());
        result.map_err(|reason| {
            let lost = std::mem::take(&mut self.pending).len();
            OutputError::Redis {
                server: self.server.clone(),
                reason,
                alerts: lost as u64,
            }
        })
    }
}

/// `redis://user:secret@host/0` -> `redis://user:***@host/0`.
fn redacted(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &rest[..colon],
                &rest[at..]
            ),
            None => format!("{}***{}", &url[..scheme_end], &rest[at..]),
        },
        None => url.to_string(),
    }
}

impl Sink for RedisSink {
    fn name(&self) -> &str {
        "redis"
    }

    fn write(&mut self, alert: &EncodedAlert) -> Result<(), OutputError> {
        self.pending.push(Pending {
            key: self.key.render(alert),
            rule: alert.rule.clone(),
            priority: alert.priority.falco_name(),
            source: alert.source.clone(),
            hostname: alert.hostname.clone(),
            payload: alert.bytes.clone(),
        });
        if self.pending.len() >= self.options.batch_size {
            return self.send(self.options.retry);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        self.send(self.options.retry)
    }

    fn close(&mut self) -> Result<(), OutputError> {
        let policy = self.options.retry.for_shutdown();
        let result = self.send(policy);
        if let Err(e) = &result {
            tracing::error!(
                lost = e.alerts(),
                "redis output: alerts not stored at exit: {e}"
            );
        }
        self.connection = None;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redacted("redis://user:s3cret@host:6379/0"),
            "redis://user:***@host:6379/0"
        );
        assert_eq!(redacted("redis://:s3cret@host/0"), "redis://:***@host/0");
        assert_eq!(redacted("redis://host:6379"), "redis://host:6379");
        assert_eq!(redacted("rediss://tok@host"), "rediss://***@host");
    }
}
