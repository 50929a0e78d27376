use std::path::PathBuf;

/// Why the console could not start.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("console: history_size must be at least 1")]
    HistorySize,
    #[error("console: database {path}: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("console: database {path}: {reason}")]
    NotOurs { path: PathBuf, reason: String },
    #[error("console: starting its thread: {0}")]
    Spawn(#[source] std::io::Error),
}
