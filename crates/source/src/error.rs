//! The one error type of saker-source.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot open {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A line of a JSON-lines capture file.
    #[error("{}: {message}", path.display())]
    Capture { path: PathBuf, message: String },
    /// A `.scap` file, with the byte offset of the problem in the (decompressed) stream.
    #[error("{}: at byte {offset}: {message}", path.display())]
    Scap {
        path: PathBuf,
        offset: u64,
        message: String,
    },
    #[error(transparent)]
    Audit(#[from] saker_k8saudit::K8sAuditError),
    #[error(transparent)]
    Bpf(#[from] saker_bpf::BpfError),
    #[error(transparent)]
    Ptrace(#[from] saker_ptrace::TraceError),
    #[error(transparent)]
    State(#[from] saker_state::StateError),
    #[error("{0}")]
    Command(String),
}
