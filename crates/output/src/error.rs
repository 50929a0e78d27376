use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while encoding or delivering an alert.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("writing alerts to stdout: {0}")]
    Stdout(#[source] io::Error),
    #[error("file output {path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("syslog output {path}: {source}")]
    Syslog {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("program output `{program}`: {source}")]
    Program {
        program: String,
        #[source]
        source: io::Error,
    },
    #[error("program output `{program}` exited ({status}) before taking the alert")]
    ProgramExited { program: String, status: String },
    #[error("http output {url}: {reason}")]
    Http { url: String, reason: String },
    #[error("http output {url}: server answered {status}")]
    HttpStatus { url: String, status: u16 },
    #[error("http output: reading {what} {path}: {reason}")]
    Tls {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error("starting output worker thread: {0}")]
    Spawn(#[source] io::Error),
    #[error("{key}: `{template}`: {reason}")]
    Template {
        key: &'static str,
        template: String,
        reason: String,
    },
    /// `alerts` alerts were not confirmed by the server after the retries.
    #[error("nats output {server}: {reason}")]
    Nats {
        server: String,
        reason: String,
        alerts: u64,
    },
    #[error("redis output {server}: {reason}")]
    Redis {
        server: String,
        reason: String,
        alerts: u64,
    },
}

impl OutputError {
    /// How many alerts this error lost: a broker channel sends alerts in batches and loses a
    /// whole batch at once; every other error is about one alert.
    pub fn alerts(&self) -> u64 {
        match self {
            OutputError::Nats { alerts, .. } | OutputError::Redis { alerts, .. } => *alerts,
            _ => 1,
        }
    }
}
