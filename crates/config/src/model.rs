//! The configuration structs: one per falco.yaml section, with Falco's key names and defaults.

use std::path::PathBuf;

use saker_event::Priority;
use serde::{Deserialize, Serialize};

/// The whole of `saker.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub engine: EngineConfig,
    /// Rules files and directories, loaded in order (a directory's `.yaml`/`.yml` files in
    /// alphabetical order). `embedded` names the rules built into the binary. A directory that
    /// does not exist is skipped (so the default works on a fresh host).
    pub rules_files: Vec<PathBuf>,
    /// Falco's `append_output`: text and fields added to the output of the matching rules.
    pub append_output: Vec<AppendOutputConfig>,
    /// Falco's `rules`: rules enabled or disabled by name (with `*` wildcards) or tag, in
    /// order, after every rules file has loaded.
    pub rules: Vec<RuleSelectionConfig>,
    /// Minimum rule priority that is loaded.
    #[serde(with = "priority_lowercase")]
    pub priority: Priority,
    pub rule_matching: RuleMatching,
    /// Overrides the hostname in alerts (Falco's `FALCO_HOSTNAME` env; here a key).
    pub hostname: Option<String>,
    pub json_output: bool,
    pub json_include_output_property: bool,
    pub json_include_tags_property: bool,
    pub json_include_message_property: bool,
    pub json_include_output_fields_property: bool,
    pub time_format_iso_8601: bool,
    pub buffered_outputs: bool,
    pub outputs_queue: OutputsQueueConfig,
    pub stdout_output: StdoutOutputConfig,
    pub syslog_output: SyslogOutputConfig,
    pub file_output: FileOutputConfig,
    pub program_output: ProgramOutputConfig,
    pub http_output: HttpOutputConfig,
    pub nats_output: NatsOutputConfig,
    pub redis_output: RedisOutputConfig,
    /// Reload the rules and this file when they change on disk (Falco's key), as SIGHUP does.
    pub watch_config_files: bool,
    pub webserver: WebserverConfig,
    pub console: ConsoleConfig,
    pub metrics: MetricsConfig,
    pub syscall_event_drops: SyscallEventDropsConfig,
    pub base_syscalls: BaseSyscallsConfig,
    pub container_engines: ContainerEnginesConfig,
    pub log_level: LogLevel,
    pub log_stderr: bool,
    pub log_syslog: bool,
    /// What Saker does when rules fire (`response:`; Saker's own section). Kept as YAML here
    /// and checked by saker-response against the loaded rules, which it needs to know.
    pub response: serde_yaml::Value,
}

/// The path `rules_files` uses for the rules compiled into the binary.
pub const EMBEDDED_RULES: &str = "embedded";

impl Default for Config {
    fn default() -> Self {
        Config {
            engine: EngineConfig::default(),
            rules_files: vec![
                PathBuf::from(EMBEDDED_RULES),
                PathBuf::from("/etc/saker/rules.d"),
            ],
            append_output: Vec::new(),
            rules: Vec::new(),
            priority: Priority::Debug,
            rule_matching: RuleMatching::First,
            hostname: None,
            json_output: false,
            json_include_output_property: true,
            json_include_tags_property: true,
            json_include_message_property: false,
            json_include_output_fields_property: true,
            time_format_iso_8601: false,
            buffered_outputs: false,
            outputs_queue: OutputsQueueConfig::default(),
            stdout_output: StdoutOutputConfig { enabled: true },
            syslog_output: SyslogOutputConfig::default(),
            file_output: FileOutputConfig::default(),
            program_output: ProgramOutputConfig::default(),
            http_output: HttpOutputConfig::default(),
            nats_output: NatsOutputConfig::default(),
            redis_output: RedisOutputConfig::default(),
            watch_config_files: true,
            webserver: WebserverConfig::default(),
            console: ConsoleConfig::default(),
            metrics: MetricsConfig::default(),
            syscall_event_drops: SyscallEventDropsConfig::default(),
            base_syscalls: BaseSyscallsConfig::default(),
            container_engines: ContainerEnginesConfig::default(),
            log_level: LogLevel::Info,
            log_stderr: true,
            log_syslog: true,
            response: serde_yaml::Value::Null,
        }
    }
}

/// Which capture backend `saker run` uses.
/// One `append_output` entry: for the rules it matches (all of `match` that is given), text
/// appended to the output and fields added to `output_fields`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppendOutputConfig {
    #[serde(rename = "match")]
    pub matching: AppendOutputMatch,
    pub extra_output: Option<String>,
    pub extra_fields: Vec<ExtraFieldConfig>,
    /// Append the fields the event source suggests for outputs (for syscalls: the container's
    /// id and name, as Falco's container plugin suggests them).
    pub suggested_output: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppendOutputMatch {
    pub source: Option<String>,
    /// Rules having every one of these tags.
    pub tags: Vec<String>,
    pub rule: Option<String>,
}

/// One `rules` entry, as in falco.yaml: `{enable: {rule: "Name*"}}` or
/// `{disable: {tag: network}}` (one of the two, with `rule`, `tag` or both).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleSelectionConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable: Option<RuleSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable: Option<RuleSelector>,
}

/// Which rules a `rules` entry selects: by name (`*` matches any text) and/or by tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleSelector {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// An `extra_fields` entry: `name: "format with %fields"`, or a bare field name (added under
/// its own name, raw).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ExtraFieldConfig {
    Raw(String),
    Named(std::collections::BTreeMap<String, String>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineConfig {
    pub kind: EngineKind,
    /// Falco's name for this section, `modern_ebpf`, is accepted too.
    pub ebpf: EbpfEngineConfig,
    pub replay: ReplayEngineConfig,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            kind: EngineKind::Ebpf,
            ebpf: EbpfEngineConfig::default(),
            replay: ReplayEngineConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// CO-RE eBPF probes, the whole host. Falco's `modern_ebpf` (and its legacy `ebpf`
    /// probe) select it too.
    #[serde(alias = "modern_ebpf")]
    Ebpf,
    /// ptrace on one command's process tree (no kernel support needed).
    Ptrace,
    /// Events from a capture file (`engine.replay.capture_file`).
    Replay,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EbpfEngineConfig {
    /// Ring buffer size preset 1..=10 -> 1, 2, 4, 8 (default), ... 512 MB, as Falco.
    pub buf_size_preset: u8,
    /// Falco: one ring buffer per this many CPUs. Saker always shares one buffer between
    /// all CPUs (Falco's 0); another value is warned about.
    pub cpus_for_each_buffer: u16,
    /// Failed syscalls (a negative return) are dropped before the state and the rules see
    /// them: less work, less visibility (Falco drops them in the kernel).
    pub drop_failed_exit: bool,
    /// The kernel leaves out the opens no loaded rule needs, and their closes (`saker run`;
    /// docs/capture-bpf.md, "Opens no rule needs"). Off: every open reaches the state.
    pub drop_unneeded_opens: bool,
}

/// Falco's default preset: 8 MiB.
pub const DEFAULT_BUF_SIZE_PRESET: u8 = 4;

/// The ring buffer size of a preset, as Falco: 1 MiB doubled per step (4 -> 8 MiB), 1..=10.
pub fn ring_buffer_bytes(preset: u8) -> u32 {
    1u32 << (20 + u32::from(preset.clamp(1, 10)) - 1)
}

impl Default for EbpfEngineConfig {
    fn default() -> Self {
        EbpfEngineConfig {
            buf_size_preset: DEFAULT_BUF_SIZE_PRESET,
            cpus_for_each_buffer: 0,
            drop_failed_exit: false,
            drop_unneeded_opens: true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplayEngineConfig {
    pub capture_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleMatching {
    /// Stop at the first matching rule (Falco's default).
    First,
    /// Raise an alert for every matching rule.
    All,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutputsQueueConfig {
    /// Alerts waiting for each channel; a full queue drops (and counts) alerts. Falco's 0
    /// (unbounded) is warned about and means the default: every queue has a bound.
    pub capacity: usize,
}

impl Default for OutputsQueueConfig {
    fn default() -> Self {
        OutputsQueueConfig {
            capacity: saker_output::DEFAULT_CAPACITY,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StdoutOutputConfig {
    pub enabled: bool,
}

impl Default for StdoutOutputConfig {
    fn default() -> Self {
        StdoutOutputConfig { enabled: true }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyslogOutputConfig {
    pub enabled: bool,
    /// The local syslog socket.
    pub socket: PathBuf,
}

impl Default for SyslogOutputConfig {
    fn default() -> Self {
        SyslogOutputConfig {
            enabled: true,
            socket: PathBuf::from("/dev/log"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileOutputConfig {
    pub enabled: bool,
    pub keep_alive: bool,
    pub filename: PathBuf,
    /// Mode of the alert file when Saker creates it, in octal, whatever the umask
    /// (`"0600"`; `"0640"` lets a log-reading group in). An existing file keeps its mode.
    pub mode: String,
}

impl Default for FileOutputConfig {
    fn default() -> Self {
        FileOutputConfig {
            enabled: false,
            keep_alive: false,
            filename: PathBuf::from("./events.txt"),
            mode: "0600".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgramOutputConfig {
    pub enabled: bool,
    pub keep_alive: bool,
    pub program: String,
}

impl Default for ProgramOutputConfig {
    fn default() -> Self {
        ProgramOutputConfig {
            enabled: false,
            keep_alive: false,
            program:
                "jq '{text: .output}' | curl -d @- -X POST https://hooks.slack.com/services/XXX"
                    .to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpOutputConfig {
    pub enabled: bool,
    pub url: String,
    pub user_agent: String,
    pub insecure: bool,
    /// PEM CA certificate(s) to trust instead of the built-in web roots; `ca_bundle` is
    /// another such file and `ca_path` a directory of them (`*.pem`, `*.crt`), as in Falco.
    pub ca_cert: Option<PathBuf>,
    pub ca_bundle: Option<PathBuf>,
    pub ca_path: Option<PathBuf>,
    /// Present `client_cert`/`client_key` (mutual TLS). Saker also uses the pair when it is
    /// set without `mtls`; with `mtls: true` a missing pair is an error.
    pub mtls: bool,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Reuse the connection between alerts (Falco's default is false; Saker's true).
    pub keep_alive: bool,
    /// Send the alerts gzip-compressed (`Content-Encoding: gzip`).
    pub compress_uploads: bool,
    /// Print the receiver's answers on stdout.
    pub echo: bool,
    /// Retries after a transport error, a 5xx or a 429.
    pub max_retries: u32,
    /// Retries after a request that timed out, as Falco's key.
    pub max_consecutive_timeouts: u32,
    /// Per-request timeout in milliseconds.
    pub timeout_ms: u64,
}

impl Default for HttpOutputConfig {
    fn default() -> Self {
        HttpOutputConfig {
            enabled: false,
            url: String::new(),
            user_agent: concat!("saker/", env!("CARGO_PKG_VERSION")).to_string(),
            insecure: false,
            ca_cert: None,
            ca_bundle: None,
            ca_path: None,
            mtls: false,
            client_cert: None,
            client_key: None,
            keep_alive: true,
            compress_uploads: false,
            echo: false,
            max_retries: 5,
            max_consecutive_timeouts: 5,
            timeout_ms: 10_000,
        }
    }
}

/// `nats_output`: alerts as Falco's JSON on NATS subjects (core NATS or JetStream).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NatsOutputConfig {
    pub enabled: bool,
    /// Server URLs, comma-separated: `nats://host:4222`, `tls://host:4222`.
    pub url: String,
    /// falcosidekick's subject template: `<rule>`, `<priority>`, `<source>`, `<hostname>`.
    pub subject_template: String,
    /// Publish into JetStream and wait for the stream's acks (the stream must exist).
    pub jetstream: bool,
    /// A `.creds` file (JWT and NKey seed).
    pub credentials_file: Option<PathBuf>,
    /// Require TLS (implied by `tls://` URLs and by the certificates below).
    pub tls: bool,
    pub ca_cert: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Alerts published before waiting for the server's confirmation.
    pub batch_size: usize,
    /// Retries of a batch, with a backoff doubling from 100 ms to 5 s.
    pub max_retries: u32,
    /// Deadline of one confirmation, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for NatsOutputConfig {
    fn default() -> Self {
        NatsOutputConfig {
            enabled: false,
            url: "nats://127.0.0.1:4222".to_string(),
            subject_template: "falco.<priority>.<rule>".to_string(),
            jetstream: false,
            credentials_file: None,
            tls: false,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            batch_size: 1024,
            max_retries: 10,
            timeout_ms: 5000,
        }
    }
}

/// `redis_output`: alerts as Falco's JSON appended to a Redis stream or list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RedisOutputConfig {
    pub enabled: bool,
    /// `redis://[user:password@]host:port/db` (the password can come from `${ENV}`).
    pub url: String,
    /// The stream or list key; a template like `nats_output.subject_template`.
    pub key: String,
    #[serde(rename = "type")]
    pub kind: RedisKind,
    /// Entries kept: `XADD MAXLEN ~` for a stream, `LTRIM` for a list; 0 keeps all.
    pub maxlen: usize,
    /// Alerts sent in one pipeline at most.
    pub batch_size: usize,
    pub max_retries: u32,
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedisKind {
    Stream,
    List,
}

impl Default for RedisOutputConfig {
    fn default() -> Self {
        RedisOutputConfig {
            enabled: false,
            url: "redis://127.0.0.1:6379/0".to_string(),
            key: "falco".to_string(),
            kind: RedisKind::Stream,
            maxlen: 100_000,
            batch_size: 1024,
            max_retries: 10,
            timeout_ms: 5000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebserverConfig {
    pub enabled: bool,
    pub listen_address: String,
    pub listen_port: u16,
    pub k8s_healthz_endpoint: String,
    pub k8s_audit_endpoint: String,
    /// Largest accepted POST body; bigger ones get 413.
    pub max_body_bytes: usize,
    pub prometheus_metrics_enabled: bool,
    pub ssl_enabled: bool,
    /// PEM with the certificate chain, and the private key unless `ssl_private_key` is set
    /// (Falco's single `falco.pem`).
    pub ssl_certificate: PathBuf,
    pub ssl_private_key: Option<PathBuf>,
    /// Connections served at once; a new one takes the slot of the longest-idle one, or is
    /// refused (503) when all are busy.
    pub max_connections: usize,
    /// Time to send a request's headers (and finish a TLS handshake); also how long an idle
    /// kept-alive connection stays open.
    pub header_timeout_ms: u64,
    /// Time to send a request's body (408 beyond).
    pub body_timeout_ms: u64,
    /// Time a write to a client may wait for it to read (the connection is closed beyond).
    pub write_timeout_ms: u64,
    /// Memory for request bodies over all connections at once (503 beyond, the API server
    /// retries); at least `max_body_bytes`.
    pub body_memory_bytes: usize,
    /// Bearer token the audit webhook must send (`Authorization: Bearer ...`); best given
    /// as `${ENV}` or through `k8s_audit_token_file`. Never printed.
    pub k8s_audit_token: Option<String>,
    /// A file holding the token (a mounted Kubernetes secret), read when the web server
    /// starts: at start, and on a SIGHUP that changes `webserver.*`.
    pub k8s_audit_token_file: Option<PathBuf>,
    /// Bearer token the web console's JSON API requires (`Authorization: Bearer ...`);
    /// unset or empty: none.
    pub ui_token: Option<String>,
}

impl Default for WebserverConfig {
    fn default() -> Self {
        WebserverConfig {
            enabled: true,
            listen_address: "127.0.0.1".to_string(),
            listen_port: 8765,
            k8s_healthz_endpoint: "/healthz".to_string(),
            k8s_audit_endpoint: "/k8s-audit".to_string(),
            max_body_bytes: 12 * 1024 * 1024,
            prometheus_metrics_enabled: true,
            ssl_enabled: false,
            ssl_certificate: PathBuf::from("/etc/saker/saker.pem"),
            ssl_private_key: None,
            max_connections: 128,
            header_timeout_ms: 10_000,
            body_timeout_ms: 30_000,
            write_timeout_ms: 30_000,
            body_memory_bytes: 64 * 1024 * 1024,
            k8s_audit_token: None,
            k8s_audit_token_file: None,
            ui_token: None,
        }
    }
}

/// The web console on the web server (`console:`; Saker's own section).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsoleConfig {
    /// Serve the console at `/` (needs `webserver.enabled`).
    pub enabled: bool,
    /// Alerts kept for the console, the newest ones (memory: about 2 KiB each).
    pub history_size: usize,
    /// SQLite file that keeps the history across restarts; unset: memory only.
    pub database: Option<PathBuf>,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        ConsoleConfig {
            enabled: true,
            history_size: 10_000,
            database: None,
        }
    }
}

/// The container runtimes asked about containers (name, image, pod...), Falco 0.38's
/// `container_engines` key. A runtime whose socket is absent is skipped with one log line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerEnginesConfig {
    /// The Docker Engine API (`/var/run/docker.sock`).
    pub docker: ContainerEngineConfig,
    /// podman's Docker-compatible API (`/run/podman/podman.sock`, `podman system service`).
    pub podman: ContainerEngineConfig,
    /// containerd's own API (`/run/containerd/containerd.sock`), every namespace.
    pub containerd: ContainerEngineConfig,
    /// The Kubernetes CRI (containerd's CRI plugin, CRI-O's `/run/crio/crio.sock`, k3s).
    pub cri: ContainerEngineConfig,
    /// Milliseconds one call to a runtime may take before it counts as failed.
    pub lookup_timeout_ms: u64,
}

impl Default for ContainerEnginesConfig {
    fn default() -> Self {
        use saker_container::default_sockets as usual;
        ContainerEnginesConfig {
            docker: ContainerEngineConfig::at(usual::DOCKER),
            podman: ContainerEngineConfig::at(usual::PODMAN),
            containerd: ContainerEngineConfig::at(usual::CONTAINERD),
            cri: ContainerEngineConfig::at(usual::CRI),
            lookup_timeout_ms: 1000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerEngineConfig {
    pub enabled: bool,
    pub sockets: Vec<PathBuf>,
}

impl ContainerEngineConfig {
    fn at(sockets: &[&str]) -> ContainerEngineConfig {
        ContainerEngineConfig {
            enabled: true,
            sockets: sockets.iter().map(PathBuf::from).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsConfig {
    pub enabled: bool,
    /// Prometheus-style duration (`1h`, `15m`, `30s`, `500ms`) between metrics snapshots.
    pub interval: String,
    pub output_rule: bool,
    pub output_file: Option<PathBuf>,
    pub rules_counters_enabled: bool,
    pub resource_utilization_enabled: bool,
    pub state_counters_enabled: bool,
    pub kernel_event_counters_enabled: bool,
    pub kernel_event_counters_per_cpu_enabled: bool,
    pub convert_memory_to_mb: bool,
    pub include_empty_values: bool,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            enabled: false,
            interval: "1h".to_string(),
            output_rule: true,
            output_file: None,
            rules_counters_enabled: true,
            resource_utilization_enabled: true,
            state_counters_enabled: true,
            kernel_event_counters_enabled: true,
            kernel_event_counters_per_cpu_enabled: false,
            convert_memory_to_mb: true,
            include_empty_values: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyscallEventDropsConfig {
    /// Fraction of dropped events (0..1) above which the actions run.
    pub threshold: f64,
    pub actions: Vec<DropAction>,
    /// Internal drop alerts per second (token bucket) and burst.
    pub rate: f64,
    pub max_burst: u32,
    pub simulate_drops: bool,
}

impl Default for SyscallEventDropsConfig {
    fn default() -> Self {
        SyscallEventDropsConfig {
            threshold: 0.1,
            actions: vec![DropAction::Log, DropAction::Alert],
            rate: 0.03333,
            max_burst: 1,
            simulate_drops: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropAction {
    Ignore,
    Log,
    Alert,
    Exit,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BaseSyscallsConfig {
    /// Replaces the state syscall set; `!name` removes a syscall.
    pub custom_set: Vec<String>,
    pub repair: bool,
    pub all: bool,
}

/// Falco's log levels (syslog names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Emergency,
    Alert,
    Critical,
    Error,
    Warning,
    Notice,
    Info,
    Debug,
}

mod priority_lowercase {
    use saker_event::Priority;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(p: &Priority, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&p.falco_name().to_ascii_lowercase())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Priority, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown priority `{s}`, expected one of emergency, alert, critical, error, warning, notice, informational, debug"
            ))
        })
    }
}
