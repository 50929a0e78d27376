//! The `-e` qualifiers and `-P`: which calls, signals and results are shown.

use saker_ptrace::ProcessMemory;
use saker_syscalls::{SignalSet, SyscallSet};

use crate::qualify::parse_number_set;

/// `-e status=`: which outcomes of a call are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusSet {
    pub successful: bool,
    pub failed: bool,
    /// Calls cut short by the end of the process (`= ?`).
    pub unfinished: bool,
    /// Calls whose result could not be read (`= ? <unavailable>`).
    pub unavailable: bool,
    /// Calls cut by a detach (` <detached ...>`).
    pub detached: bool,
}

impl StatusSet {
    pub fn all() -> StatusSet {
        StatusSet {
            successful: true,
            failed: true,
            unfinished: true,
            unavailable: true,
            detached: true,
        }
    }

    fn only(successful: bool, failed: bool) -> StatusSet {
        StatusSet {
            successful,
            failed,
            unfinished: false,
            unavailable: false,
            detached: false,
        }
    }

    /// `-z`.
    pub fn successful() -> StatusSet {
        StatusSet::only(true, false)
    }

    /// `-Z`.
    pub fn failed() -> StatusSet {
        StatusSet::only(false, true)
    }

    /// Whether any filtering on status is active (lines must then wait for the result).
    pub fn is_all(&self) -> bool {
        *self == StatusSet::all()
    }

    /// strace's qualify_status().
    pub fn parse(expr: &str) -> Result<StatusSet, String> {
        let set = parse_number_set(expr, "status", |name| {
            [
                "successful",
                "failed",
                "unfinished",
                "unavailable",
                "detached",
            ]
            .iter()
            .position(|known| *known == name)
            .map(|i| i as u32)
        })?;
        Ok(StatusSet {
            successful: set.contains(0),
            failed: set.contains(1),
            unfinished: set.contains(2),
            unavailable: set.contains(3),
            detached: set.contains(4),
        })
    }
}

/// Everything that decides whether something is printed.
#[derive(Debug, Clone)]
pub struct Filters {
    pub trace: SyscallSet,
    pub signals: SignalSet,
    pub status: StatusSet,
    /// `-P`: the paths as given and as resolved.
    pub paths: Vec<String>,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            trace: SyscallSet::all(),
            signals: SignalSet::all(),
            status: StatusSet::all(),
            paths: Vec::new(),
        }
    }
}

impl Filters {
    /// The traced syscall numbers, for the seccomp filter.
    pub fn traced_numbers(&self) -> Vec<u32> {
        self.trace
            .iter()
            .filter(|nr| *nr < 1024)
            .map(|nr| nr as u32)
            .collect()
    }

    /// strace's pathtrace_select(): the path as given, and as resolved when that differs.
    /// Returns the `Requested path ... resolved into ...` notes to print.
    pub fn add_path(&mut self, path: &std::ffi::OsStr) -> Option<String> {
        let given = path.to_string_lossy().into_owned();
        self.paths.push(given.clone());
        let real = std::fs::canonicalize(path).ok()?;
        let real = real.to_string_lossy().into_owned();
        if real == given {
            return None;
        }
        self.paths.push(real.clone());
        Some(format!(
            "Requested path {} resolved into {}",
            quoted(&given),
            quoted(&real)
        ))
    }

    /// `-P`: whether the call of a stopped tracee names one of the paths.
    pub fn touches_paths(&self, pid: i32, nr: u64, args: &[u64; 6]) -> bool {
        let mut view = StoppedTracee {
            memory: ProcessMemory::new(pid),
            fds: saker_ptrace::ProcessFds::new(pid),
        };
        self.names_paths(nr, args, &mut view)
    }

    fn path_matches(&self, view: &mut dyn TraceeView, addr: u64) -> bool {
        view.string_at(addr).is_some_and(|text| {
            let text = String::from_utf8_lossy(&text);
            self.paths.iter().any(|p| *p == text)
        })
    }

    fn fd_matches(&self, view: &mut dyn TraceeView, fd: u64) -> bool {
        view.fd_path(fd as i32)
            .is_some_and(|target| self.paths.contains(&target))
    }

    /// strace's pathtrace_match_set(): which arguments of which calls are paths and fds.
    pub fn names_paths(&self, nr: u64, args: &[u64; 6], view: &mut dyn TraceeView) -> bool {
        use saker_syscalls::Class;
        let classes = saker_syscalls::classes(nr);
        let (file, desc, net) = (
            classes.contains(&Class::File),
            classes.contains(&Class::Desc),
            classes.contains(&Class::Network),
        );
        if !(file || desc || net) {
            return false;
        }
        let mut fd = |i: usize| self.fd_matches(view, args[i]);
        let name = saker_syscalls::name(nr).unwrap_or("");
        match name {
            "dup2" | "dup3" | "kexec_file_load" | "sendfile" | "tee" => fd(0) || fd(1),
            "execveat" | "faccessat" | "faccessat2" | "fchmodat" | "fchownat" | "fspick"
            | "futimesat" | "inotify_add_watch" | "mkdirat" | "mknodat" | "mount_setattr"
            | "name_to_handle_at" | "newfstatat" | "open_tree" | "openat" | "openat2"
            | "readlinkat" | "statx" | "unlinkat" | "utimensat" => {
                fd(0) || self.path_matches(view, args[1])
            }
            "link" | "mount" | "pivot_root" => {
                self.path_matches(view, args[0]) || self.path_matches(view, args[1])
            }
            "quotactl" | "symlink" => self.path_matches(view, args[1]),
            "linkat" | "move_mount" | "renameat2" | "renameat" => {
                fd(0)
                    || fd(2)
                    || self.path_matches(view, args[1])
                    || self.path_matches(view, args[3])
            }
            "mmap" => fd(4),
            "symlinkat" => fd(1) || self.path_matches(view, args[2]),
            "copy_file_range" | "splice" => fd(0) || fd(2),
            "epoll_ctl" => fd(2),
            "fanotify_mark" => fd(3) || self.path_matches(view, args[4]),
            "select" | "pselect6" => self.select_matches(view, args),
            "poll" | "ppoll" => self.poll_matches(view, args),
            "fsconfig" => match args[1] as u32 {
                // FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY
                3 | 4 => fd(4) || self.path_matches(view, args[3]),
                // FSCONFIG_SET_FD
                5 => fd(4),
                _ => false,
            },
            // File, descriptor or network calls without an fd or path argument to test.
            "accept4"
            | "accept"
            | "bpf"
            | "epoll_create"
            | "epoll_create1"
            | "eventfd2"
            | "eventfd"
            | "fanotify_init"
            | "fsmount"
            | "fsopen"
            | "inotify_init"
            | "inotify_init1"
            | "io_uring_enter"
            | "io_uring_register"
            | "io_uring_setup"
            | "landlock_add_rule"
            | "landlock_create_ruleset"
            | "landlock_restrict_self"
            | "memfd_create"
            | "memfd_secret"
            | "mq_getsetattr"
            | "mq_notify"
            | "mq_open"
            | "mq_timedreceive"
            | "mq_timedsend"
            | "perf_event_open"
            | "pidfd_open"
            | "pipe"
            | "pipe2"
            | "signalfd4"
            | "signalfd"
            | "socket"
            | "socketpair"
            | "timerfd_create"
            | "timerfd_gettime"
            | "timerfd_settime"
            | "userfaultfd" => false,
            _ if file => self.path_matches(view, args[0]),
            _ => fd(0),
        }
    }

    /// The fds of a `poll`/`ppoll` array.
    fn poll_matches(&self, view: &mut dyn TraceeView, args: &[u64; 6]) -> bool {
        let nfds = (args[1] as u32).min(1024 * 1024) as u64;
        let mut pollfd = [0u8; 8];
        for i in 0..nfds {
            let Some(addr) = args[0].checked_add(i * 8) else {
                return false;
            };
            if view.read_at(addr, &mut pollfd) < pollfd.len() {
                return false;
            }
            let fd = i32::from_ne_bytes([pollfd[0], pollfd[1], pollfd[2], pollfd[3]]);
            if self.fd_matches(view, fd as u64) {
                return true;
            }
        }
        false
    }

    /// The fds in a `select`/`pselect6` call's three sets.
    fn select_matches(&self, view: &mut dyn TraceeView, args: &[u64; 6]) -> bool {
        let nfds = args[0] as i32;
        if nfds <= 0 {
            return false;
        }
        let nfds = nfds.min(1024 * 1024) as usize;
        let size = nfds.div_ceil(8).next_multiple_of(8);
        let mut bits = vec![0u8; size];
        for &set in &args[1..4] {
            if set == 0 || view.read_at(set, &mut bits) < size {
                continue;
            }
            for fd in (0..nfds).filter(|fd| bits[fd / 8] & (1 << (fd % 8)) != 0) {
                if self.fd_matches(view, fd as u64) {
                    return true;
                }
            }
        }
        false
    }
}

/// strace's string_quote() of a path for the resolution note.
fn quoted(path: &str) -> String {
    let mut out = String::from("\"");
    for ch in path.chars() {
        match ch {
            '"' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\{:o}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What `-P` reads of a traced process: its memory and where its fds point.
pub trait TraceeView {
    /// Reads up to `buf.len()` bytes at `addr`; returns how many were read.
    fn read_at(&mut self, addr: u64, buf: &mut [u8]) -> usize;
    /// Where `fd` points.
    fn fd_path(&mut self, fd: i32) -> Option<String>;
    /// A NUL-terminated string at `addr`, without the NUL.
    fn string_at(&mut self, addr: u64) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; 4097];
        let got = self.read_at(addr, &mut buf);
        let end = buf[..got].iter().position(|b| *b == 0)?;
        (end > 0).then(|| buf[..end].to_vec())
    }
}

/// A process stopped by ptrace.
struct StoppedTracee {
    memory: ProcessMemory,
    fds: saker_ptrace::ProcessFds,
}

impl TraceeView for StoppedTracee {
    fn read_at(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        self.memory.read(addr, buf)
    }

    fn fd_path(&mut self, fd: i32) -> Option<String> {
        self.fds.path(fd.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_sets() {
        let check = |expr: &str, want: Result<StatusSet, &str>| {
            assert_eq!(
                StatusSet::parse(expr),
                want.map_err(str::to_string),
                "{expr}"
            );
        };
        check("failed", Ok(StatusSet::failed()));
        check("successful", Ok(StatusSet::successful()));
        check(
            "!failed",
            Ok(StatusSet {
                failed: false,
                ..StatusSet::all()
            }),
        );
        check("all", Ok(StatusSet::all()));
        check("bogus", Err("invalid status 'bogus'"));
    }
}
