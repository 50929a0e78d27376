//! The one error type of this crate.

use std::io;
use std::path::PathBuf;

/// What can go wrong reading /proc. Reading a process races with its exit, so callers that walk
/// every process treat [`Error::Gone`] as "skip it", never as a failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The process (or thread) exited, or never existed.
    #[error("process {pid} not found")]
    Gone { pid: u32 },
    /// The kernel refused access: reading another user's process needs root (or
    /// CAP_SYS_PTRACE for files guarded by ptrace access mode checks).
    #[error("permission denied reading {} (root is needed)", path.display())]
    PermissionDenied { path: PathBuf },
    /// The process has no such file descriptor open.
    #[error("process {pid} has no fd {fd} open")]
    FdNotOpen { pid: u32, fd: u32 },
    /// Any other I/O error, with the file it concerned.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The file was read but its text did not have the expected shape.
    #[error("{}: unexpected format: {what}", path.display())]
    Parse { path: PathBuf, what: String },
}

impl Error {
    /// Classifies an I/O error on `path` belonging to process `pid`: ENOENT and ESRCH mean the
    /// process went away (a dead task's directory still opens, but its files then fail with
    /// ESRCH or ENOENT), EACCES and EPERM mean the caller lacks privilege.
    pub fn from_io(pid: u32, path: impl Into<PathBuf>, source: io::Error) -> Error {
        match source.raw_os_error() {
            Some(libc_errno::ENOENT) | Some(libc_errno::ESRCH) => Error::Gone { pid },
            Some(libc_errno::EACCES) | Some(libc_errno::EPERM) => {
                Error::PermissionDenied { path: path.into() }
            }
            _ => Error::Io {
                path: path.into(),
                source,
            },
        }
    }

    /// True when the process exited while it was being read.
    pub fn is_gone(&self) -> bool {
        matches!(self, Error::Gone { .. })
    }
}

/// The errno values this crate tells apart (Linux, all architectures share these numbers).
pub(crate) mod libc_errno {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const ESRCH: i32 = 3;
    pub const EACCES: i32 = 13;
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
