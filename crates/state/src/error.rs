//! The one error type of this crate.

/// What can fail while building state. Reading one process is never fatal: a process that
/// exits while the table is seeded is skipped.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// /proc could not be listed at all.
    #[error("cannot list processes in /proc: {source}")]
    ListProcesses {
        #[source]
        source: saker_proc::Error,
    },
}
