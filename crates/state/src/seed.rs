//! Reading a process's state from /proc: at start for every process, and later for a process
//! first seen in an event (it started before the capture, or its fork was dropped).

use std::sync::Arc;

use saker_proc::fdinfo::FdTarget;
use saker_proc::{Process, SystemInfo};

use crate::container::ContainerCache;
use crate::fd::{FdEntry, FdKind};
use crate::process::{Capabilities, ProcessEntry};

/// Reads one process. `None` when it is gone or unreadable (races with exit are normal).
pub(crate) fn read_process(
    pid: u32,
    system: Option<&SystemInfo>,
    containers: &mut ContainerCache,
) -> Option<ProcessEntry> {
    let proc = Process::open(pid).ok()?;
    let stat = proc.stat().ok()?;
    if stat.is_kernel_thread() {
        // Kernel threads make no syscalls the rules see; keeping them would only cost memory.
        return None;
    }
    let status = proc.status().ok();
    let argv = proc.cmdline().unwrap_or_default();
    let exepath = proc.readlink("exe").unwrap_or_default();
    let exepath = exepath
        .strip_suffix(" (deleted)")
        .unwrap_or(&exepath)
        .to_string();
    let cwd = proc.readlink("cwd").unwrap_or_default();
    let start_ns = system
        .map(|s| {
            s.boot_time * 1_000_000_000 + stat.starttime * 1_000_000_000 / s.clock_ticks.max(1)
        })
        .unwrap_or(0);
    let container = proc.container().ok().flatten().map(|c| containers.get(&c));
    let mut entry = ProcessEntry {
        pid,
        ppid: stat.ppid,
        vpid: status
            .as_ref()
            .and_then(|s| s.ns_pid.last().copied())
            .unwrap_or(pid),
        comm: stat.comm.clone(),
        exe: argv.first().cloned().unwrap_or_default(),
        exepath,
        args: argv.iter().skip(1).cloned().collect(),
        cwd,
        uid: status.as_ref().map_or(0, |s| s.uid[0]),
        gid: status.as_ref().map_or(0, |s| s.gid[0]),
        euid: status.as_ref().map_or(0, |s| s.uid[1]),
        egid: status.as_ref().map_or(0, |s| s.gid[1]),
        loginuid: proc.loginuid().ok().flatten(),
        tty: stat.tty_nr,
        start_ns,
        container,
        caps: status.as_ref().map(|s| Capabilities {
            effective: s.cap_eff,
            permitted: s.cap_prm,
            inheritable: s.cap_inh,
        }),
        exe_from_memfd: false,
        // Only the exec record can tell (from the image's overlayfs inode).
        exe_upper_layer: false,
        threads: stat.num_threads.max(1),
        fds: Default::default(),
    };
    entry.exe_from_memfd = saker_proc::fdinfo::is_memfd_path(&entry.exepath);
    for fd in proc.fds().unwrap_or_default() {
        let Ok(target) = proc.fd_target(fd) else {
            continue;
        };
        // Flags (from fdinfo) are not read: one more file per fd at start, for the rare
        // O_CLOEXEC fd of a process that was already running when capture began.
        let flags = 0;
        let fd_entry = match target {
            FdTarget::Path { path, .. } => {
                let kind = if saker_proc::fdinfo::is_memfd_path(&path) {
                    FdKind::Memfd
                } else {
                    FdKind::File
                };
                FdEntry::file(path, flags, kind)
            }
            // The socket's family and ends would need /proc/net lookups by inode; a socket
            // of unknown family is still a socket for the rules (`fd.typechar = o`).
            FdTarget::Socket { .. } => FdEntry::socket(FdKind::Socket),
            FdTarget::Pipe { .. } => FdEntry::file(String::new(), flags, FdKind::Pipe),
            _ => FdEntry::file(String::new(), flags, FdKind::Unknown),
        };
        entry.fds.insert(fd as i32, Arc::new(fd_entry));
    }
    Some(entry)
}

/// A regular file open as `fd` in a live process, as /proc names it now.
pub(crate) fn regular_file_fd(pid: u32, fd: i32) -> Option<FdEntry> {
    let link = format!("/proc/{pid}/fd/{fd}");
    if !std::fs::metadata(&link).ok()?.is_file() {
        return None;
    }
    match Process::open(pid)
        .ok()?
        .fd_target(u32::try_from(fd).ok()?)
        .ok()?
    {
        FdTarget::Path { path, .. } if !saker_proc::fdinfo::is_memfd_path(&path) => {
            Some(FdEntry::file(path, 0, FdKind::File))
        }
        _ => None,
    }
}

/// Capabilities of a live process, for a process whose sets were not read yet.
pub(crate) fn read_capabilities(pid: u32) -> Option<Capabilities> {
    let status = Process::open(pid).ok()?.status().ok()?;
    Some(Capabilities {
        effective: status.cap_eff,
        permitted: status.cap_prm,
        inheritable: status.cap_inh,
    })
}
