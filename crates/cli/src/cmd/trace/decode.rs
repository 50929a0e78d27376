//! The bridge between the tracer and `saker-syscalls`: tracee memory and fd information
//! behind the decoder's traits.

use saker_ptrace::{ProcessFds, ProcessMemory};
use saker_syscalls::{FdInfo, Memory};

/// A stopped tracee's memory, for the decoders.
pub struct TraceeMemory(pub ProcessMemory);

impl Memory for TraceeMemory {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        self.0.read(addr, buf)
    }
}

/// A tracee's fds, for `-y`/`-yy`. Only consulted when those options are on.
pub struct TraceeFds(pub ProcessFds);

impl FdInfo for TraceeFds {
    fn path(&mut self, fd: i32) -> Option<String> {
        self.0.path(fd.into())
    }

    fn socket(&mut self, fd: i32) -> Option<String> {
        self.0.socket(fd.into())
    }

    fn device(&mut self, fd: i32) -> Option<String> {
        self.0.device(fd.into())
    }
}

/// Whether the entry text already holds every argument (strace's `RVAL_DECODED`): a call
/// that never returns then prints as `exit_group(0) = ?` rather than with
/// ` <unfinished ...>`. Decoders that wait for the exit leave the text ending in `, ` or, for
/// calls whose only arguments are outputs, right after the `(`.
pub fn entry_is_complete(text: &str) -> bool {
    !text.ends_with(", ")
}
