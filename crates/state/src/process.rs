//! One process as the thread table keeps it.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::container::ContainerInfo;
use crate::fd::FdEntry;

/// Capability sets of a process (`thread.cap_*`): the event type, so an exec record's sets
/// go into the table as they are.
pub use saker_event::Capabilities;

/// A process's open fds by number. Fx rather than SipHash: hashing was 5% of the daemon's
/// time on an open loop. Keys are fd numbers, bounded by RLIMIT_NOFILE, and Fx finishes with a
/// rotation that spreads them over the table.
pub type FdTable = FxHashMap<i32, Arc<FdEntry>>;

/// A process (thread group). Threads of one process share everything the rules look at
/// (image, fds, cwd, credentials as the kernel reports them per event), so the table keeps
/// one entry per process and counts its threads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProcessEntry {
    pub pid: u32,
    pub ppid: u32,
    /// The pid in the process's own pid namespace (`proc.vpid`).
    pub vpid: u32,
    /// `task->comm` (`proc.name`).
    pub comm: String,
    /// argv[0] (`proc.exe`).
    pub exe: String,
    /// The executable's path (`proc.exepath`).
    pub exepath: String,
    /// argv[1..] (`proc.args`).
    pub args: Vec<String>,
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub euid: u32,
    pub egid: u32,
    /// The audit login uid, `None` when unset.
    pub loginuid: Option<u32>,
    /// The controlling terminal as /proc/PID/stat's `tty_nr` (0: none).
    pub tty: u32,
    /// Process start, nanoseconds since the epoch.
    pub start_ns: u64,
    pub container: Option<Arc<ContainerInfo>>,
    /// `None` until read (they change at exec; read from /proc on demand).
    pub caps: Option<Capabilities>,
    pub exe_from_memfd: bool,
    /// The executable is in an overlayfs upper layer (the exec record says; false otherwise).
    pub exe_upper_layer: bool,
    pub threads: u32,
    pub fds: FdTable,
}

impl ProcessEntry {
    /// `proc.cmdline`: the name followed by the arguments.
    pub fn cmdline(&self) -> String {
        let mut out = self.comm.clone();
        for a in &self.args {
            out.push(' ');
            out.push_str(a);
        }
        out
    }

    /// `proc.args`.
    pub fn args_joined(&self) -> String {
        self.args.join(" ")
    }
}
