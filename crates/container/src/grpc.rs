//! gRPC over a unix socket, shared by the containerd and CRI clients.

use std::path::{Path, PathBuf};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::net::UnixStream;
use tonic::transport::{Channel, Endpoint};

use crate::error::ContainerError;

/// One gRPC server's socket, the channel to it, and the deadline of each call.
#[derive(Clone, Debug)]
pub(crate) struct GrpcSocket {
    pub(crate) socket: PathBuf,
    pub(crate) channel: Channel,
    timeout: Duration,
}

impl GrpcSocket {
    /// Connects lazily: a socket that is absent or hangs shows in the first call. Call it
    /// within a Tokio runtime (the channel starts its worker there).
    pub(crate) fn new(socket: PathBuf, timeout: Duration) -> GrpcSocket {
        GrpcSocket {
            channel: channel(&socket, timeout),
            socket,
            timeout,
        }
    }

    /// One call with the deadline; `Ok(None)` when the server answered NotFound.
    pub(crate) async fn call<T>(
        &self,
        what: &str,
        work: impl Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    ) -> Result<Option<T>, ContainerError> {
        call(&self.socket, self.timeout, what, work).await
    }
}

/// A channel to the gRPC server on `socket`. Connects lazily: a socket that is absent or
/// hangs shows in the first call, which the caller bounds with its timeout.
fn channel(socket: &Path, timeout: Duration) -> Channel {
    let path = socket.to_path_buf();
    // The URI is required by the API and ignored: the connector dials the socket.
    Endpoint::from_static("http://[::]:0")
        .connect_timeout(timeout)
        .timeout(timeout)
        .connect_with_connector_lazy(tower::service_fn(move |_| {
            let path = path.clone();
            async move { UnixStream::connect(path).await.map(TokioIo::new) }
        }))
}

/// Runs one call with a deadline, turning gRPC failures into [`ContainerError`]s.
/// `Ok(None)` when the server answered NotFound.
async fn call<T>(
    socket: &Path,
    timeout: Duration,
    what: &str,
    work: impl Future<Output = Result<tonic::Response<T>, tonic::Status>>,
) -> Result<Option<T>, ContainerError> {
    match tokio::time::timeout(timeout, work).await {
        Err(_) => Err(ContainerError::Timeout {
            socket: socket.to_path_buf(),
            timeout,
        }),
        Ok(Ok(reply)) => Ok(Some(reply.into_inner())),
        Ok(Err(status)) if status.code() == tonic::Code::NotFound => Ok(None),
        Ok(Err(status)) => Err(connect_or_protocol(socket, what, status)),
    }
}

/// A refused or missing socket is a connection error (the runtime is absent); anything else is
/// the server misbehaving.
fn connect_or_protocol(socket: &Path, what: &str, status: tonic::Status) -> ContainerError {
    let io = std::error::Error::source(&status).and_then(find_io_error);
    match io {
        Some(kind) => ContainerError::Connect {
            socket: socket.to_path_buf(),
            source: std::io::Error::new(kind, status.message().to_string()),
        },
        None => ContainerError::protocol(
            socket,
            format!("{what}: {} {}", status.code(), status.message()),
        ),
    }
}

fn find_io_error(mut e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    loop {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        e = e.source()?;
    }
}
