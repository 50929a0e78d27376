//! Finding the program to run the way strace does: before forking, so that a missing command is
//! reported by the tracer (`Can't stat 'foo': No such file or directory`, exit 1) instead of
//! by a child that has already been traced.

use std::ffi::{CString, OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::error::TraceError;

/// Whether SIGPIPE was ignored when the tracer started. Rust's runtime sets it to SIG_IGN
/// before `main`; a traced command must start with the disposition the tracer was given, as
/// strace's does (`saker trace yes | head` must end with `yes` killed by SIGPIPE). Recorded by
/// an ELF constructor, which runs before the runtime's set-up.
static SIGPIPE_WAS_IGNORED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

extern "C" fn record_sigpipe() {
    // SAFETY: queries the current disposition into a zeroed sigaction we own.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut old) == 0 {
            SIGPIPE_WAS_IGNORED.store(
                old.sa_sigaction == libc::SIG_IGN,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
    }
}

#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_SIGPIPE: extern "C" fn() = record_sigpipe;

/// Which of fds 0, 1 and 2 were closed when the tracer started (bit N for fd N). Rust's
/// runtime opens /dev/null on them before `main`; the command must find them closed, as
/// under strace (whose placeholders are close-on-exec). Recorded by an ELF constructor.
static STD_FDS_CLOSED_AT_START: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

extern "C" fn record_closed_std_fds() {
    let mut closed = 0u8;
    for fd in 0..3 {
        // SAFETY: F_GETFD only queries the descriptor table.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
            closed |= 1 << fd;
        }
    }
    STD_FDS_CLOSED_AT_START.store(closed, std::sync::atomic::Ordering::Relaxed);
}

#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_CLOSED_STD_FDS: extern "C" fn() = record_closed_std_fds;

/// In a forked child before `execve`: closes the standard fds the tracer was started without.
///
/// # Safety
/// Async-signal-safe: `close` calls only.
pub(crate) unsafe fn close_std_fds_closed_at_start() {
    let closed = STD_FDS_CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed);
    for fd in 0..3 {
        if closed & (1 << fd) != 0 {
            // SAFETY: closing a descriptor of this (child) process.
            unsafe { libc::close(fd) };
        }
    }
}

/// strace's set_sighandler(SIGCHLD, SIG_DFL, ...): the tracer needs SIGCHLD at its default
/// (an ignored SIGCHLD makes the kernel reap children and wait4 fail), but the command must
/// start as if the tracer were not there. Returns whether it was ignored, for
/// [`restore_sigchld`] in the child.
pub(crate) fn take_sigchld() -> bool {
    // SAFETY: swaps the disposition of SIGCHLD to its default, keeping the old one.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        libc::sigaction(libc::SIGCHLD, &default, &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// In a forked child before `execve`: SIGCHLD as the tracer was given it.
///
/// # Safety
/// Async-signal-safe: one `signal` call at most.
pub(crate) unsafe fn restore_sigchld(was_ignored: bool) {
    if was_ignored {
        // SAFETY: setting a disposition.
        unsafe { libc::signal(libc::SIGCHLD, libc::SIG_IGN) };
    }
}

/// In a forked child before `execve`: gives SIGPIPE back the disposition the tracer started
/// with.
///
/// # Safety
/// Async-signal-safe: one `signal` call.
pub(crate) unsafe fn restore_sigpipe() {
    if !SIGPIPE_WAS_IGNORED.load(std::sync::atomic::Ordering::Relaxed) {
        // SAFETY: resetting a disposition to its default.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    }
}

/// A command ready to be executed after `fork`: everything is allocated beforehand because the
/// child may only call async-signal-safe functions.
pub struct Command {
    pub(crate) path: CString,
    pub(crate) argv: Vec<CString>,
    pub(crate) envp: Vec<CString>,
    pub(crate) credentials: Option<Credentials>,
}

/// Who the command runs as (`-u USERNAME`), worked out before the fork.
pub(crate) struct Credentials {
    uid: libc::uid_t,
    euid: libc::uid_t,
    gid: libc::gid_t,
    egid: libc::gid_t,
    groups: Vec<libc::gid_t>,
}

impl Command {
    /// Resolves `args[0]` through `PATH` (when it has no `/`) and captures the environment.
    pub fn new(args: &[OsString]) -> Result<Command, TraceError> {
        let Some(name) = args.first() else {
            return Err(TraceError::BadArgument("empty command".into()));
        };
        let path = resolve(name, std::env::var_os("PATH").as_deref())?;
        let argv = args
            .iter()
            .map(|arg| c_string(arg))
            .collect::<Result<Vec<_>, _>>()?;
        let envp = std::env::vars_os()
            .map(|(key, value)| {
                let mut pair = key;
                pair.push("=");
                pair.push(value);
                c_string(&pair)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Command {
            path: c_string(path.as_os_str())?,
            argv,
            envp,
            credentials: None,
        })
    }

    /// strace's `-E`: `VAR=VAL` sets a variable, `VAR` alone removes it, in order.
    pub fn change_environment(&mut self, changes: &[OsString]) -> Result<(), TraceError> {
        for change in changes {
            let bytes = change.as_bytes();
            let name_len = bytes.iter().position(|b| *b == b'=').unwrap_or(bytes.len());
            let name = &bytes[..name_len];
            self.envp.retain(|pair| {
                let pair = pair.as_bytes();
                !(pair.len() > name.len() && pair.starts_with(name) && pair[name.len()] == b'=')
            });
            if name_len < bytes.len() {
                self.envp.push(c_string(change)?);
            }
        }
        Ok(())
    }

    /// strace's `-u USERNAME`: the user's uid, gid and groups; a set-user-ID or
    /// set-group-ID program keeps its owner as effective id. Needs root.
    pub fn run_as(&mut self, user: &str) -> Result<(), TraceError> {
        // SAFETY: plain queries of our own credentials.
        if unsafe { libc::getuid() != 0 || libc::geteuid() != 0 } {
            return Err(TraceError::BadArgument(
                "You must be root to use the -u/--username option".into(),
            ));
        }
        let unknown = || TraceError::BadArgument(format!("Cannot find user '{user}'"));
        let name = CString::new(user).map_err(|_| unknown())?;
        // SAFETY: getpwnam_r fills `entry` and strings in `buf`, both ours.
        let (uid, gid) = unsafe {
            let mut entry: libc::passwd = std::mem::zeroed();
            let mut buf = vec![0 as libc::c_char; 16384];
            let mut found: *mut libc::passwd = std::ptr::null_mut();
            libc::getpwnam_r(
                name.as_ptr(),
                &mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &mut found,
            );
            if found.is_null() {
                return Err(unknown());
            }
            (entry.pw_uid, entry.pw_gid)
        };
        let mut groups = vec![0 as libc::gid_t; 256];
        let mut count = groups.len() as libc::c_int;
        // SAFETY: getgrouplist writes at most `count` ids into `groups`.
        unsafe {
            if libc::getgrouplist(name.as_ptr(), gid, groups.as_mut_ptr(), &mut count) < 0 {
                count = groups.len() as libc::c_int;
            }
        }
        groups.truncate(count.max(0) as usize);
        let meta = std::fs::metadata(self.path()).map_err(|source| TraceError::CantStat {
            name: self.path().display().to_string(),
            source,
        })?;
        use std::os::unix::fs::MetadataExt;
        let mode = meta.mode();
        self.credentials = Some(Credentials {
            uid,
            euid: if mode & libc::S_ISUID != 0 {
                meta.uid()
            } else {
                uid
            },
            gid,
            egid: if mode & libc::S_ISGID != 0 {
                meta.gid()
            } else {
                gid
            },
            groups,
        });
        Ok(())
    }

    /// In the forked child, before `execve`: takes on the `-u` credentials. Returns false
    /// when that failed (errno says why).
    ///
    /// # Safety
    /// Async-signal-safe: only system calls on data prepared before the fork.
    pub(crate) unsafe fn apply_credentials(&self) -> bool {
        let Some(c) = &self.credentials else {
            return true;
        };
        unsafe {
            libc::setgroups(c.groups.len(), c.groups.as_ptr()) == 0
                && libc::setregid(c.gid, c.egid) == 0
                && libc::setreuid(c.uid, c.euid) == 0
        }
    }

    /// The resolved program path.
    pub fn path(&self) -> &Path {
        Path::new(OsStr::from_bytes(self.path.as_bytes()))
    }
}

fn c_string(value: &OsStr) -> Result<CString, TraceError> {
    CString::new(value.as_bytes().to_vec())
        .map_err(|_| TraceError::BadArgument(value.to_string_lossy().into_owned()))
}

/// strace's rule (`startup_child` in strace.c): a name with a slash is used as is; otherwise the
/// first `PATH` entry holding a regular executable file wins. A name found nowhere gives the
/// error of stat'ing the bare name, which is what users see as "No such file or directory".
pub fn resolve(name: &OsStr, path_var: Option<&OsStr>) -> Result<PathBuf, TraceError> {
    let cant_stat = |source: io::Error| TraceError::CantStat {
        name: name.to_string_lossy().into_owned(),
        source,
    };
    if name.as_bytes().contains(&b'/') {
        std::fs::metadata(name).map_err(cant_stat)?;
        return Ok(PathBuf::from(name));
    }
    let search = path_var
        .map(OsStr::to_os_string)
        .unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    for dir in std::env::split_paths(&search) {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let candidate = dir.join(name);
        if let Ok(meta) = std::fs::metadata(&candidate)
            && meta.is_file()
            && meta.permissions().mode() & 0o111 != 0
        {
            return Ok(candidate);
        }
    }
    Err(cant_stat(io::Error::from_raw_os_error(libc::ENOENT)))
}

/// Starts `command` stopped (it sends itself SIGSTOP right after `fork`, before `execve`) and
/// returns its pid once the stop is seen: a caller that watches it some other way (eBPF) sets
/// that up, then sends SIGCONT. The child is not traced.
pub fn spawn_stopped(command: &Command) -> Result<i32, TraceError> {
    let sigchld_ignored = take_sigchld();
    let argv = pointer_array(&command.argv);
    let envp = pointer_array(&command.envp);
    // SAFETY: the child only calls async-signal-safe functions on memory prepared before the
    // fork, then execs or _exits.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(TraceError::Sys {
            call: "fork",
            source: io::Error::last_os_error(),
        });
    }
    if pid == 0 {
        unsafe {
            // Before the stop: whoever watches the child from then on sees only its exec.
            restore_sigpipe();
            restore_sigchld(sigchld_ignored);
            close_std_fds_closed_at_start();
            libc::kill(libc::getpid(), libc::SIGSTOP);
            if command.apply_credentials() {
                libc::execve(command.path.as_ptr(), argv.as_ptr(), envp.as_ptr());
            }
            let message = b"saker trace: exec failed\n";
            libc::write(2, message.as_ptr().cast(), message.len());
            libc::_exit(1);
        }
    }
    loop {
        let mut status = 0;
        // SAFETY: waiting for our own child.
        let got = unsafe { libc::waitpid(pid, &mut status, libc::WUNTRACED) };
        if got == pid && libc::WIFSTOPPED(status) {
            return Ok(pid);
        }
        if got < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        }
        return Err(TraceError::Sys {
            call: "start command",
            source: io::Error::other(format!("unexpected wait status {status:#x}")),
        });
    }
}

/// Builds the NULL-terminated pointer arrays `execve` wants. Kept separate so the child after
/// `fork` does no allocation at all.
pub(crate) fn pointer_array(strings: &[CString]) -> Vec<*const libc::c_char> {
    let mut pointers: Vec<*const libc::c_char> = strings.iter().map(|s| s.as_ptr()).collect();
    pointers.push(std::ptr::null());
    pointers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, path: &str, expect: Result<&str, &str>) {
        let got = resolve(OsStr::new(name), Some(OsStr::new(path)));
        match (got, expect) {
            (Ok(found), Ok(want)) => assert_eq!(found, Path::new(want), "{name}"),
            (Err(err), Err(want)) => assert_eq!(err.to_string(), want, "{name}"),
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn resolves_like_strace() {
        check("sh", "/nonexistent:/bin", Ok("/bin/sh"));
        check("/bin/sh", "", Ok("/bin/sh"));
        check(
            "no-such-saker-cmd",
            "/bin:/usr/bin",
            Err("Can't stat 'no-such-saker-cmd': No such file or directory"),
        );
        check(
            "./no/such",
            "/bin",
            Err("Can't stat './no/such': No such file or directory"),
        );
        // A directory on PATH with the same name is not a program.
        check(
            "tmp",
            "/",
            Err("Can't stat 'tmp': No such file or directory"),
        );
    }
}
