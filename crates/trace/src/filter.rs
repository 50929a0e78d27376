//! The `-e` qualifiers and `-P`: which calls, signals and results are shown.

use std::path::PathBuf;

use saker_ptrace::ProcessMemory;
use saker_syscalls::{SignalSet, SyscallSet, parse_signal_set, parse_trace_set};

/// `-e status=`: which outcomes of a call are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusSet {
    pub successful: bool,
    pub failed: bool,
    pub unfinished: bool,
}

impl StatusSet {
    pub fn all() -> StatusSet {
        StatusSet {
            successful: true,
            failed: true,
            unfinished: true,
        }
    }

    pub fn successful() -> StatusSet {
        StatusSet {
            successful: true,
            failed: false,
            unfinished: false,
        }
    }

    pub fn failed() -> StatusSet {
        StatusSet {
            successful: false,
            failed: true,
            unfinished: false,
        }
    }

    /// Whether any filtering on status is active (lines must then wait for the result).
    pub fn is_all(&self) -> bool {
        *self == StatusSet::all()
    }

    pub fn parse(expr: &str) -> Result<StatusSet, String> {
        let (negate, body) = match expr.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, expr),
        };
        let mut set = StatusSet {
            successful: false,
            failed: false,
            unfinished: false,
        };
        for item in body.split(',') {
            match item {
                "all" => set = StatusSet::all(),
                "none" => {}
                "successful" => set.successful = true,
                "failed" => set.failed = true,
                "unfinished" => set.unfinished = true,
                // Calls whose result the kernel does not report; saker always sees results.
                "unavailable" | "detached" => {}
                other => return Err(format!("invalid status '{other}'")),
            }
        }
        if negate {
            set = StatusSet {
                successful: !set.successful,
                failed: !set.failed,
                unfinished: !set.unfinished,
            };
        }
        Ok(set)
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

impl Filters {
    /// Parses every `-e` expression in order (later ones override earlier ones, like strace).
    pub fn parse(exprs: &[String]) -> Result<Filters, String> {
        let mut filters = Filters {
            trace: SyscallSet::all(),
            signals: SignalSet::all(),
            status: StatusSet::all(),
            paths: Vec::new(),
        };
        for expr in exprs {
            let (key, value) = expr.split_once('=').unwrap_or(("trace", expr.as_str()));
            match key {
                "trace" | "t" => {
                    filters.trace = parse_trace_set(value).map_err(|e| e.to_string())?
                }
                "signal" | "signals" | "s" => {
                    filters.signals = parse_signal_set(value).map_err(|e| e.to_string())?
                }
                "status" => filters.status = StatusSet::parse(value)?,
                "abbrev" | "a" | "verbose" | "v" | "raw" | "x" | "read" | "r" | "write" | "w"
                | "fault" | "inject" | "kvm" | "quiet" | "q" | "decode-fds" | "decode-pids" => {
                    return Err(format!("-e {key}=... is not supported by saker trace yet"));
                }
                other => return Err(format!("invalid -e qualifier '{other}'")),
            }
        }
        Ok(filters)
    }

    /// The traced syscall numbers, for the seccomp filter.
    pub fn traced_numbers(&self) -> Vec<u32> {
        self.trace
            .iter()
            .filter(|nr| *nr < 1024)
            .map(|nr| nr as u32)
            .collect()
    }

    pub fn set_paths(&mut self, paths: &[PathBuf]) {
        for path in paths {
            let given = path.to_string_lossy().into_owned();
            if let Ok(real) = std::fs::canonicalize(path) {
                let real = real.to_string_lossy().into_owned();
                if real != given {
                    self.paths.push(real);
                }
            }
            self.paths.push(given);
        }
    }

    /// `-P`: whether the call of a stopped tracee names one of the paths, by a path argument
    /// or an fd that points to it.
    pub fn touches_paths(&self, pid: i32, nr: u64, args: &[u64; 6]) -> bool {
        let mut memory = ProcessMemory::new(pid);
        let fds = saker_ptrace::ProcessFds::new(pid);
        self.names_paths(
            nr,
            args,
            |addr| {
                let mut buf = [0u8; 4096];
                let got = memory.read(addr, &mut buf);
                let end = buf[..got].iter().position(|b| *b == 0).unwrap_or(got);
                Some(buf[..end].to_vec())
            },
            |fd| fds.path(fd.into()),
        )
    }

    /// `-P` over any view of the tracee: `string_at` reads a NUL-terminated argument
    /// (without the NUL), `fd_path` says where an fd points.
    pub fn names_paths(
        &self,
        nr: u64,
        args: &[u64; 6],
        mut string_at: impl FnMut(u64) -> Option<Vec<u8>>,
        mut fd_path: impl FnMut(i32) -> Option<String>,
    ) -> bool {
        let derived: (Vec<usize>, Vec<usize>);
        let (path_args, fd_args) = match path_arguments(nr) {
            ([], []) => {
                derived = saker_syscalls::file_args(nr).unwrap_or_default();
                (derived.0.as_slice(), derived.1.as_slice())
            }
            listed => listed,
        };
        let named = path_args
            .iter()
            .filter_map(|&i| string_at(args[i]))
            .any(|text| {
                let text = String::from_utf8_lossy(&text);
                self.paths.iter().any(|p| *p == text)
            });
        named
            || fd_args
                .iter()
                .filter_map(|&i| fd_path(args[i] as i32))
                .any(|target| self.paths.contains(&target))
    }
}

/// Which arguments of a call are path strings and which are fds, for `-P`.
fn path_arguments(nr: u64) -> (&'static [usize], &'static [usize]) {
    match nr {
        // open stat lstat access execve truncate chdir rename mkdir rmdir creat link unlink
        // symlink readlink chmod chown lchown utime mknod statfs chroot acct umount2 swapon
        2 | 4 | 6 | 21 | 59 | 76 | 80 | 83 | 84 | 85 | 88 | 89 | 90 | 92 | 94 | 132 | 133 | 137
        | 161 | 163 | 166 | 167 => (&[0], &[]),
        82 | 86 => (&[0, 1], &[]),
        // openat newfstatat faccessat faccessat2 unlinkat mkdirat mknodat fchownat fchmodat
        // readlinkat utimensat statx openat2 execveat name_to_handle_at inotify_add_watch
        257 | 262 | 269 | 439 | 263 | 258 | 259 | 260 | 268 | 267 | 280 | 332 | 437 | 322 | 303 => {
            (&[1], &[0])
        }
        254 => (&[1], &[0]),
        // renameat renameat2 linkat
        264 | 316 | 265 => (&[1, 3], &[0, 2]),
        266 => (&[0, 2], &[1]),
        // getxattr & co. take a path first.
        188 | 189 | 191 | 192 | 194 | 195 | 197 | 198 => (&[0], &[]),
        // read write close fstat lseek mmap pread pwrite readv writev ioctl fsync fdatasync
        // ftruncate getdents fchdir fchmod fchown fstatfs flock fgetxattr fsetxattr...
        0 | 1 | 3 | 5 | 8 | 16 | 17 | 18 | 19 | 20 | 72 | 73 | 74 | 75 | 77 | 78 | 81 | 91 | 93
        | 138 | 217 | 190 | 193 | 196 | 199 | 221 | 285 | 295 | 296 | 306 | 327 | 328 => {
            (&[], &[0])
        }
        9 => (&[], &[4]),
        _ => (&[], &[]),
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
                successful: true,
                failed: false,
                unfinished: true,
            }),
        );
        check("all", Ok(StatusSet::all()));
        check("bogus", Err("invalid status 'bogus'"));
    }

    #[test]
    fn expressions() {
        let f = Filters::parse(&["trace=openat,close".into(), "signal=!SIGCHLD".into()]).unwrap();
        assert!(f.trace.contains(257) && f.trace.contains(3) && !f.trace.contains(0));
        assert!(!f.signals.contains(libc::SIGCHLD) && f.signals.contains(libc::SIGUSR1));
        let bare = Filters::parse(&["openat".into()]).unwrap();
        assert!(bare.trace.contains(257) && !bare.trace.contains(0));
        assert_eq!(
            Filters::parse(&["trace=opnat".into()]).unwrap_err(),
            "invalid system call 'opnat' (did you mean openat?)"
        );
        assert_eq!(
            Filters::parse(&["bogus=1".into()]).unwrap_err(),
            "invalid -e qualifier 'bogus'"
        );
    }
}
