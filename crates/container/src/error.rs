use std::path::PathBuf;
use std::time::Duration;

/// Why a runtime could not answer.
#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    #[error("{}: cannot connect: {source}", socket.display())]
    Connect {
        socket: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: no answer within {} ms", socket.display(), timeout.as_millis())]
    Timeout { socket: PathBuf, timeout: Duration },
    /// The socket answered something that is not the runtime's protocol, or an error status.
    #[error("{}: {message}", socket.display())]
    Protocol { socket: PathBuf, message: String },
}

impl ContainerError {
    pub(crate) fn protocol(socket: &std::path::Path, message: impl std::fmt::Display) -> Self {
        ContainerError::Protocol {
            socket: socket.to_path_buf(),
            message: message.to_string(),
        }
    }

    /// The socket this error is about.
    pub fn socket(&self) -> &std::path::Path {
        match self {
            ContainerError::Connect { socket, .. }
            | ContainerError::Timeout { socket, .. }
            | ContainerError::Protocol { socket, .. } => socket,
        }
    }
}
