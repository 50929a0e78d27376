use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while delivering an alert. The messages do not name the
/// channel: whoever reports one says which (`file output failing: ...`,
/// `file_output: ...`).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0}")]
    Stdout(#[source] io::Error),
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: {source}")]
    Syslog {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("`{program}`: {source}")]
    Program {
        program: String,
        #[source]
        source: io::Error,
    },
    #[error("{url}: {reason}")]
    Http { url: String, reason: String },
    #[error("{url}: the server answered {status}")]
    HttpStatus { url: String, status: u16 },
    #[error("reading {what} {path}: {reason}")]
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
    /// The server did not confirm a batch after the retries (the ledger counts its alerts).
    #[error("{server}: {reason}")]
    Nats { server: String, reason: String },
    #[error("{server}: {reason}")]
    Redis { server: String, reason: String },
}
