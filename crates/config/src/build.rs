//! From configuration to the runtime objects of the other crates (vector's `build()`).

use std::time::Duration;

use saker_output::sinks::{
    FileSink, FileSinkOptions, HttpSink, HttpSinkOptions, NatsSink, NatsSinkOptions, ProgramSink,
    ProgramSinkOptions, RedisSink, RedisSinkOptions, RedisTarget, RetryPolicy, StdoutSink,
    SyslogSink, SyslogSinkOptions,
};
use saker_output::{EncoderOptions, OutputQueue, QueueOptions, Sink};

use crate::{
    Config, ConfigError, ConsoleConfig, MetricsConfig, NatsOutputConfig, RedisKind,
    RedisOutputConfig, WebserverConfig,
};

impl Config {
    /// The hostname written in alerts: the `hostname` key, else `FALCO_HOSTNAME` from the
    /// environment (Falco's override, kept so existing deployments behave the same), else the
    /// kernel's hostname.
    pub fn resolve_hostname(&self) -> String {
        if let Some(name) = self.hostname.as_ref().filter(|n| !n.is_empty()) {
            return name.clone();
        }
        if let Ok(name) = std::env::var("FALCO_HOSTNAME")
            && !name.is_empty()
        {
            return name;
        }
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|s| s.trim().to_string())
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "localhost".to_string())
    }

    /// How alerts are encoded (`json_output`, `json_include_*`, `time_format_iso_8601`).
    pub fn encoder_options(&self) -> EncoderOptions {
        EncoderOptions {
            json: self.json_output,
            include_output: self.json_include_output_property,
            include_tags: self.json_include_tags_property,
            include_message: self.json_include_message_property,
            include_output_fields: self.json_include_output_fields_property,
            time_format_iso_8601: self.time_format_iso_8601,
        }
    }

    pub fn queue_options(&self) -> QueueOptions {
        QueueOptions {
            capacity: self.outputs_queue.capacity,
            buffered: self.buffered_outputs,
            encoder: self.encoder_options(),
        }
    }

    /// Opens every enabled channel. Fails on what cannot work at all (an unwritable file, an
    /// unreadable certificate), so the daemon stops at start-up with a clear message.
    /// The container runtimes to ask (`container_engines`); a disabled engine asks no socket.
    pub fn build_container_engines(&self) -> saker_container::Config {
        let engines = &self.container_engines;
        let sockets = |e: &crate::ContainerEngineConfig| {
            if e.enabled {
                e.sockets.clone()
            } else {
                Vec::new()
            }
        };
        saker_container::Config {
            docker: sockets(&engines.docker),
            podman: sockets(&engines.podman),
            containerd: sockets(&engines.containerd),
            cri: sockets(&engines.cri),
            timeout: Duration::from_millis(engines.lookup_timeout_ms.max(1)),
        }
    }

    pub fn build_sinks(&self) -> Result<Vec<Box<dyn Sink>>, ConfigError> {
        let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
        if self.stdout_output.enabled {
            sinks.push(Box::new(StdoutSink::new()));
        }
        if self.syslog_output.enabled {
            sinks.push(Box::new(SyslogSink::new(SyslogSinkOptions {
                socket_path: self.syslog_output.socket.clone(),
                ..SyslogSinkOptions::default()
            })));
        }
        if self.file_output.enabled {
            let mode = self
                .file_output
                .mode()
                .map_err(|message| ConfigError::Invalid {
                    key: "file_output.mode".to_string(),
                    message,
                })?;
            let sink = FileSink::open(FileSinkOptions {
                keep_alive: self.file_output.keep_alive,
                mode,
                ..FileSinkOptions::new(&self.file_output.filename)
            })
            .map_err(|source| ConfigError::Output {
                key: "file_output",
                source,
            })?;
            sinks.push(Box::new(sink));
        }
        if self.program_output.enabled {
            let sink = ProgramSink::start(ProgramSinkOptions {
                keep_alive: self.program_output.keep_alive,
                ..ProgramSinkOptions::new(&self.program_output.program)
            })
            .map_err(|source| ConfigError::Output {
                key: "program_output",
                source,
            })?;
            sinks.push(Box::new(sink));
        }
        if self.http_output.enabled {
            let http = &self.http_output;
            let mut options = HttpSinkOptions::new(http.url.clone());
            options.user_agent = http.user_agent.clone();
            options.content_type = if self.json_output {
                "application/json"
            } else {
                "text/plain"
            }
            .to_string();
            options.insecure = http.insecure;
            options.ca_certs = http
                .ca_cert
                .iter()
                .chain(http.ca_bundle.iter())
                .cloned()
                .collect();
            if let Some(dir) = &http.ca_path {
                options.ca_certs.extend(pem_files_in(dir)?);
            }
            options.keep_alive = http.keep_alive;
            options.client_cert = http.client_cert.clone();
            options.client_key = http.client_key.clone();
            options.max_retries = http.max_retries;
            options.max_consecutive_timeouts = http.max_consecutive_timeouts;
            options.compress = http.compress_uploads;
            options.echo = http.echo;
            options.timeout = Duration::from_millis(http.timeout_ms);
            let sink = HttpSink::new(options).map_err(|source| ConfigError::Output {
                key: "http_output",
                source,
            })?;
            sinks.push(Box::new(sink));
        }
        if self.nats_output.enabled {
            self.require_json("nats_output")?;
            sinks.push(Box::new(self.nats_output.build()?));
        }
        if self.redis_output.enabled {
            self.require_json("redis_output")?;
            sinks.push(Box::new(self.redis_output.build()?));
        }
        Ok(sinks)
    }

    /// The broker channels carry Falco's JSON, which their consumers (falcosidekick's
    /// formats) parse; a text line there would break them.
    fn require_json(&self, key: &'static str) -> Result<(), ConfigError> {
        if self.json_output {
            return Ok(());
        }
        Err(ConfigError::Invalid {
            key: format!("{key}.enabled"),
            message: format!(
                "{key} sends Falco's JSON alerts: set json_output: true (as falcosidekick needs)"
            ),
        })
    }

    /// Opens the channels and starts the queue.
    pub fn build_outputs(&self) -> Result<OutputQueue, ConfigError> {
        let sinks = self.build_sinks()?;
        OutputQueue::start(self.queue_options(), sinks).map_err(|source| ConfigError::Output {
            key: "outputs",
            source,
        })
    }
}

fn retry_policy(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        ..RetryPolicy::default()
    }
}

fn positive_batch(key: &'static str, batch_size: usize) -> Result<usize, ConfigError> {
    if batch_size == 0 {
        return Err(ConfigError::Invalid {
            key: key.to_string(),
            message: "must be at least 1".to_string(),
        });
    }
    Ok(batch_size)
}

impl NatsOutputConfig {
    pub fn build(&self) -> Result<NatsSink, ConfigError> {
        let mut options = NatsSinkOptions::new(self.url.clone());
        options.subject_template = self.subject_template.clone();
        options.jetstream = self.jetstream;
        options.credentials_file = self.credentials_file.clone();
        options.tls = self.tls;
        options.ca_cert = self.ca_cert.clone();
        options.client_cert = self.client_cert.clone();
        options.client_key = self.client_key.clone();
        options.batch_size = positive_batch("nats_output.batch_size", self.batch_size)?;
        options.retry = retry_policy(self.max_retries);
        options.timeout = Duration::from_millis(self.timeout_ms);
        NatsSink::connect(options).map_err(|source| ConfigError::Output {
            key: "nats_output",
            source,
        })
    }
}

impl RedisOutputConfig {
    pub fn build(&self) -> Result<RedisSink, ConfigError> {
        let mut options = RedisSinkOptions::new(self.url.clone());
        options.key_template = self.key.clone();
        options.target = match self.kind {
            RedisKind::Stream => RedisTarget::Stream {
                maxlen: self.maxlen,
            },
            RedisKind::List => RedisTarget::List {
                maxlen: self.maxlen,
            },
        };
        options.batch_size = positive_batch("redis_output.batch_size", self.batch_size)?;
        options.retry = retry_policy(self.max_retries);
        options.timeout = Duration::from_millis(self.timeout_ms);
        RedisSink::open(options).map_err(|source| ConfigError::Output {
            key: "redis_output",
            source,
        })
    }
}

/// The `*.pem` and `*.crt` files of `dir`, sorted.
fn pem_files_in(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, ConfigError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ConfigError::Invalid {
        key: "http_output.ca_path".to_string(),
        message: format!("{}: {e}", dir.display()),
    })?;
    let mut files: Vec<std::path::PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            // Everything but a directory: a symlink to nothing fails when read, said, rather
            // than being left out.
            !path.is_dir()
                && matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("pem" | "crt")
                )
        })
        .collect();
    files.sort();
    Ok(files)
}

impl WebserverConfig {
    /// The server's settings; `None` when the web server is disabled. Reads the audit token
    /// file. (The values were checked when the configuration was loaded.)
    pub fn build(&self) -> Result<Option<saker_server::ServerOptions>, ConfigError> {
        if !self.enabled {
            return Ok(None);
        }
        let invalid = |key: &str, message: String| ConfigError::Invalid {
            key: key.to_string(),
            message,
        };
        let ip = self
            .listen_ip()
            .map_err(|m| invalid("webserver.listen_address", m))?;
        Ok(Some(saker_server::ServerOptions {
            listen: std::net::SocketAddr::new(ip, self.listen_port),
            healthz_path: self.k8s_healthz_endpoint.clone(),
            k8s_audit_path: self.k8s_audit_endpoint.clone(),
            metrics_enabled: self.prometheus_metrics_enabled,
            max_body_bytes: self.max_body_bytes,
            tls: self.ssl_enabled.then(|| saker_server::TlsFiles {
                certificate: self.ssl_certificate.clone(),
                private_key: self.ssl_private_key.clone(),
            }),
            max_connections: self.max_connections,
            header_timeout: Duration::from_millis(self.header_timeout_ms),
            body_timeout: Duration::from_millis(self.body_timeout_ms),
            write_timeout: Duration::from_millis(self.write_timeout_ms),
            body_memory_bytes: self.body_memory_bytes,
            k8s_audit_token: self.audit_token()?,
        }))
    }

    fn audit_token(&self) -> Result<Option<saker_server::Secret>, ConfigError> {
        if let Some(token) = &self.k8s_audit_token {
            return Ok(Some(saker_server::Secret::new(token.trim())));
        }
        let Some(path) = &self.k8s_audit_token_file else {
            return Ok(None);
        };
        let key = "webserver.k8s_audit_token_file";
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Invalid {
            key: key.to_string(),
            message: format!("{}: {e}", path.display()),
        })?;
        // A secret file usually ends with a newline that is not part of the token.
        let token = text.trim();
        if token.is_empty() {
            return Err(ConfigError::Invalid {
                key: key.to_string(),
                message: format!("{} is empty", path.display()),
            });
        }
        Ok(Some(saker_server::Secret::new(token)))
    }
}

impl MetricsConfig {
    /// What each snapshot holds.
    pub fn snapshot_options(
        &self,
        hostname: &str,
        engine_name: &str,
    ) -> saker_server::SnapshotOptions {
        saker_server::SnapshotOptions {
            rules_counters: self.rules_counters_enabled,
            resource_utilization: self.resource_utilization_enabled,
            state_counters: self.state_counters_enabled,
            kernel_event_counters: self.kernel_event_counters_enabled,
            kernel_event_counters_per_cpu: self.kernel_event_counters_per_cpu_enabled,
            convert_memory_to_mb: self.convert_memory_to_mb,
            include_empty_values: self.include_empty_values,
            engine_name: engine_name.to_string(),
            hostname: hostname.to_string(),
        }
    }
}

/// The most alerts the console keeps (about 2 KiB of memory each).
const CONSOLE_HISTORY_MAX: usize = 1_000_000;

impl ConsoleConfig {
    /// The console's settings; `None` when it is disabled.
    pub fn build(&self) -> Result<Option<saker_console::ConsoleOptions>, ConfigError> {
        if !self.enabled {
            return Ok(None);
        }
        if !(1..=CONSOLE_HISTORY_MAX).contains(&self.history_size) {
            return Err(ConfigError::Invalid {
                key: "console.history_size".to_string(),
                message: format!("{} is not 1 to {CONSOLE_HISTORY_MAX}", self.history_size),
            });
        }
        Ok(Some(saker_console::ConsoleOptions {
            history_size: self.history_size,
            database: self
                .database
                .clone()
                .filter(|path| !path.as_os_str().is_empty()),
        }))
    }
}
