//! The bridge between the tracer and `saker-syscalls`: tracee memory and fd information
//! behind the decoder's traits.

use saker_ptrace::{ProcessFds, ProcessMemory};
use saker_syscalls::{FdInfo, Memory};

/// A stopped tracee's memory, for the decoders, with its stack pointer at this stop.
pub struct TraceeMemory {
    pub memory: ProcessMemory,
    pub stack_pointer: Option<u64>,
}

impl Memory for TraceeMemory {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        self.memory.read(addr, buf)
    }

    fn stack_pointer(&mut self) -> Option<u64> {
        self.stack_pointer
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
