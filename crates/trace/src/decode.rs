//! The bridge between the tracer and `saker-syscalls`: tracee memory and fd information
//! behind the decoder's traits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use saker_ptrace::{ProcessFds, ProcessMemory};
use saker_syscalls::{FdInfo, Memory, PidKind};

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

    fn path_bytes(&mut self, fd: i32) -> Option<Vec<u8>> {
        self.0.path_bytes(fd.into())
    }

    fn socket(&mut self, fd: i32) -> Option<String> {
        self.0.socket(fd.into())
    }

    fn socket_protocol(&mut self, fd: i32) -> Option<String> {
        self.0.socket_protocol(fd.into())
    }

    fn netlink_socket(&mut self, fd: i32) -> Option<(u8, u32)> {
        self.0.netlink_socket(fd.into())
    }

    fn generic_netlink_family(&mut self, id: u16) -> Option<String> {
        saker_ptrace::generic_netlink_family(id)
    }

    fn device(&mut self, fd: i32) -> Option<String> {
        self.0.device(fd.into())
    }

    fn pidfd_pid(&mut self, fd: i32) -> Option<i32> {
        self.0.pidfd_pid(fd.into())
    }

    fn is_file_at(&mut self, fd: i32, link: &str) -> bool {
        self.0.is_file_at(fd.into(), link)
    }

    fn foreign_path(&mut self, pid: i32, fd: i32) -> Option<String> {
        fd_path_of(self.0.pid(), Tracee::Ptraced, pid, fd)
    }

    fn foreign_device(&mut self, pid: i32, fd: i32) -> Option<String> {
        fd_device_of(self.0.pid(), Tracee::Ptraced, pid, fd)
    }

    fn pid_in_tracer_ns(&mut self, pid: i32, kind: PidKind) -> Option<i32> {
        pid_in_our_ns(self.0.pid(), Tracee::Ptraced, pid, kind)
    }

    fn pid_comm(&mut self, pid: i32) -> Option<String> {
        comm_of(pid)
    }

    fn anon_mapping(&mut self, path: &str) -> Option<(u64, u64)> {
        let maps = std::fs::read_to_string(format!("/proc/{}/maps", self.0.pid())).ok()?;
        maps.lines()
            .filter_map(crate::stack::parse_maps_line)
            .find(|m| m.anon_device && m.path == path)
            .map(|m| (m.range.start, m.range.end.saturating_sub(m.range.start)))
    }
}

/// The link target of fd `fd` of process `pid`, as tracee `tracee` (our numbering) numbers
/// processes: the tracee's own fds, or another process's found through the namespaces.
pub fn fd_path_of(tracee: i32, how: Tracee, pid: i32, fd: i32) -> Option<String> {
    ProcessFds::new(process_of(tracee, how, pid)?).path(fd.into())
}

/// For `-yy`: the device numbers (`char 1:7`) of fd `fd` of process `pid` as [`fd_path_of`]
/// finds it.
pub fn fd_device_of(tracee: i32, how: Tracee, pid: i32, fd: i32) -> Option<String> {
    ProcessFds::new(process_of(tracee, how, pid)?).device(fd.into())
}

/// Process `pid` of the tracee's PID namespace as this tracer numbers it.
fn process_of(tracee: i32, how: Tracee, pid: i32) -> Option<i32> {
    if pid <= 0 {
        return None;
    }
    let own = ids_of(Path::new(&format!("/proc/{tracee}")), "NStgid:")?;
    if own.last() == Some(&pid) {
        Some(tracee)
    } else {
        pid_in_our_ns(tracee, how, pid, PidKind::Tgid)
    }
}

/// The command name of a process, for `--decode-pids=comm`.
pub fn comm_of(pid: i32) -> Option<String> {
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(comm.trim_end_matches('\n').to_owned())
}

/// How the tracee is told apart from other processes with the same inner id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracee {
    /// Ptrace: the process with this id at our level whose tracer we are.
    Ptraced,
    /// eBPF: the process with this id at our level.
    Observed,
}

/// `pid`, an id of `kind` in the PID namespace of process `tracee` (both numbered as this
/// tracer sees them), as the tracer's namespace numbers it (strace's translate_pid).
///
/// /proc may belong to an outer namespace (a tracer started by `unshare -p` without a
/// remount), so ids are matched on the /proc/PID/status lines (NSpid, NStgid, NSpgid,
/// NSsid: one id per namespace level, outermost first), at the tracer's level. Every call
/// of a traced process asks, so the common cases read a few files only: the tracee is
/// looked up at /proc/TRACEE first, and translations are remembered (and checked again
/// against /proc when reused: ids are recycled) instead of walking /proc each time.
pub fn pid_in_our_ns(tracee: i32, how: Tracee, pid: i32, kind: PidKind) -> Option<i32> {
    let own = Path::new("/proc/self");
    let level = ids_of(own, "NSpid:")?.len().checked_sub(1)?;
    let us = *ids_of(own, "NStgid:")?.first()?;
    let is_tracee = |dir: &Path| {
        ids_of(dir, "NStgid:").is_some_and(|ids| ids.get(level) == Some(&tracee))
            && (how == Tracee::Observed
                || ids_of(dir, "TracerPid:").and_then(|ids| ids.first().copied()) == Some(us))
    };
    let direct = PathBuf::from(format!("/proc/{tracee}"));
    let tracee_dir = if is_tracee(&direct) {
        direct
    } else {
        processes().into_iter().find(|dir| is_tracee(dir))?
    };
    let theirs = ns_of(&tracee_dir)?;
    if ns_of(own).as_ref() == Some(&theirs) {
        return Some(pid);
    }
    if pid <= 0 || pid > PID_MAX_LIMIT {
        return None;
    }
    let key = match kind {
        PidKind::Tid => "NSpid:",
        PidKind::Tgid => "NStgid:",
        PidKind::Pgid => "NSpgid:",
        PidKind::Sid => "NSsid:",
    };
    // Which of our ids `dir` has, if it is `pid` of `kind` in the tracee's namespace.
    let ours_in = |dir: &Path| -> Option<i32> {
        if ns_of(dir).as_ref() != Some(&theirs) {
            return None;
        }
        let ids = ids_of(dir, key)?;
        (ids.last() == Some(&pid))
            .then(|| ids.get(level).copied())
            .flatten()
    };
    let cache_key = (theirs.clone(), key, pid);
    let cached = TRANSLATIONS.with(|cache| cache.borrow().get(&cache_key).copied());
    if let Some(ours) = cached
        && ours_in(&PathBuf::from(format!("/proc/{ours}"))) == Some(ours)
    {
        return Some(ours);
    }
    let candidates = if kind == PidKind::Tid {
        threads()
    } else {
        processes()
    };
    let ours = candidates.iter().find_map(|dir| ours_in(dir))?;
    TRANSLATIONS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= TRANSLATIONS_KEPT {
            cache.clear();
        }
        cache.insert(cache_key, ours);
    });
    Some(ours)
}

/// The kernel's PID_MAX_LIMIT on 64-bit: no id is larger.
const PID_MAX_LIMIT: i32 = 4 * 1024 * 1024;

/// Bound on remembered translations (a tracee that makes up ids cannot grow it further).
const TRANSLATIONS_KEPT: usize = 4096;

thread_local! {
    /// (the tracee's PID namespace, the status line, its id) -> our id.
    static TRANSLATIONS: std::cell::RefCell<HashMap<(PathBuf, &'static str, i32), i32>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The ids on a `/proc/PID/status` line such as `NStgid:`.
fn ids_of(dir: &Path, key: &str) -> Option<Vec<i32>> {
    let status = std::fs::read_to_string(dir.join("status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    Some(
        line[key.len()..]
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect(),
    )
}

fn ns_of(dir: &Path) -> Option<PathBuf> {
    std::fs::read_link(dir.join("ns/pid")).ok()
}

/// `/proc/PID` of every process.
fn processes() -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|e| e.path())
        .collect()
}

/// `/proc/PID/task/TID` of every thread.
fn threads() -> Vec<PathBuf> {
    processes()
        .iter()
        .flat_map(|p| {
            std::fs::read_dir(p.join("task"))
                .map(|t| t.flatten().map(|e| e.path()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
        .collect()
}
