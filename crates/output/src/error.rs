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
}
