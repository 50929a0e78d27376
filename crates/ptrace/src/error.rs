use std::io;
use std::path::PathBuf;

/// Everything that can go wrong while starting or running a trace.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// The command to run was not found (PATH lookup) or cannot be stat'ed.
    #[error("Can't stat '{name}': {}", errno_text(.source))]
    CantStat {
        name: String,
        #[source]
        source: io::Error,
    },
    /// The command name contains a NUL byte or similar.
    #[error("invalid command argument: {0:?}")]
    BadArgument(String),
    /// `PTRACE_SEIZE` of a pid failed (missing process, no permission).
    #[error("attach: ptrace(PTRACE_SEIZE, {pid}): {}", errno_text(.source))]
    Attach {
        pid: i32,
        #[source]
        source: io::Error,
    },
    /// A system call the tracer itself needs failed.
    #[error("{call}: {}", errno_text(.source))]
    Sys {
        call: &'static str,
        #[source]
        source: io::Error,
    },
    /// The kernel does not implement `PTRACE_GET_SYSCALL_INFO` (Linux < 5.3).
    #[error(
        "PTRACE_GET_SYSCALL_INFO is not supported by this kernel (Linux 5.3 or later is needed)"
    )]
    NoSyscallInfo,
    /// A file given to the tracer (for example a path to resolve).
    #[error("{path}: {}", errno_text(.source))]
    Path {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The C library's message for an errno, without Rust's " (os error N)" suffix, so messages read
/// exactly like strace's.
pub fn errno_text(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(code) => {
            // SAFETY: strerror returns a pointer to a static or thread-local NUL-terminated string.
            let text = unsafe { std::ffi::CStr::from_ptr(libc::strerror(code)) };
            text.to_string_lossy().into_owned()
        }
        None => err.to_string(),
    }
}

impl TraceError {
    pub(crate) fn sys(call: &'static str) -> TraceError {
        TraceError::Sys {
            call,
            source: io::Error::last_os_error(),
        }
    }
}
