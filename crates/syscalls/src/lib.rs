//! x86_64 syscall knowledge shared by `saker trace` (ptrace and eBPF) and the rule fields:
//! the syscall table (names, numbers, strace classes), strace's `-e trace=` / `-e signal=`
//! set syntax, errno and signal names, and argument decoders that print exactly what
//! strace 6.1 prints.
//!
//! # API
//!
//! - Table: [`name`], [`number`], [`all`], [`is_known`], [`arg_names`], [`classes`],
//!   [`Class`]. All lookups are static tables (no allocation).
//! - Sets: [`parse_trace_set`] → [`SyscallSet`] (a bitset), [`parse_signal_set`] →
//!   [`SignalSet`]; errors ([`SetError`]) name the culprit and suggest close names.
//! - Names: [`errno_name`], [`errno_message`], [`signal_name`], [`signal_number`].
//! - Decoding, in two phases like strace: [`decode_entry`] at syscall entry formats the input
//!   arguments into an [`Entry`] ([`Entry::text_so_far`] is what strace prints before
//!   ` <unfinished ...>`); [`decode_exit`] at syscall exit formats the output arguments and
//!   the return value into a [`Decoded`] ([`Decoded::resumed_args`] is what follows
//!   `<... read resumed>`). The `_into` variants reuse buffers. The tracer supplies the
//!   tracee's memory ([`Memory`]) and fd paths ([`FdInfo`], for `-y`/`-yy`); [`Style`] holds
//!   `-s`, `-x`, `-v`, `-y`.
//! - Signals: [`format_signal`] of a [`SigInfo`] for `--- SIGCHLD {...} ---` lines, and
//!   [`format_wait_status`].
//!
//! What the tracer should supply for exact strace output:
//! - [`Memory::stack_pointer`] (the `rsp` register at the stop): `rt_sigreturn` shows the
//!   restored mask, `rt_sigreturn({mask=[]})`, only with it.
//! - [`FdInfo::path`] of `-100` (`AT_FDCWD`) returns the working directory: with `-y`
//!   strace prints `AT_FDCWD</root>`.
//! - [`Entry::set_interrupted_syscall`] with the thread's previous syscall for
//!   `restart_syscall(<... resuming interrupted nanosleep ...>)`.
//! - [`Entry::is_complete`] tells `exit_group(0) = ?` (all arguments printed at entry) from
//!   `read(3,  <unfinished ...>` when a call never returns.
//!
//! # What is decoded
//!
//! Every x86_64 syscall of Linux 6.18 (0..=336, 424..=469) has its name; unknown numbers print as
//! `syscall_0x1c8(...)` with six raw arguments, known but undecoded ones with their kernel
//! argument count in hex, as strace does. About 260 syscalls have decoders
//! ([`is_decoded`]): files and directories (open*, openat2, stat family, statx, statfs, *at, xattr,
//! getdents64, readlink, getcwd, mknod, mount...), descriptors (read/write/pread/pwrite,
//! readv/writev/preadv/pwritev, dup*, fcntl with F_* commands and results, ioctl for tty
//! requests, pipe*, poll/ppoll/select/pselect6, epoll*, eventfd, signalfd, timerfd,
//! inotify, memfd, sendfile, splice), memory (mmap, mprotect, munmap, mremap, madvise,
//! msync, mlock*, mincore, brk, *_mempolicy, SysV shm), processes (clone, clone3, fork,
//! execve/execveat with argv and envp, wait4, waitid, exit, kill/tkill/tgkill, prctl,
//! arch_prctl, prlimit64/getrlimit/setrlimit, getrusage, times, uname, sysinfo, ids and
//! groups, scheduler calls, personality), signals (rt_sigaction, rt_sigprocmask,
//! rt_sigreturn with the restored mask, rt_sigtimedwait, rt_sigqueueinfo, sigaltstack,
//! pause), time (nanosleep, clock_*, timer_*, itimers, gettimeofday), network (socket,
//! socketpair, bind, connect, accept/accept4, listen, getsockname/getpeername, send*/recv*
//! with msghdr, setsockopt/getsockopt, shutdown; sockaddr_in/in6/un/nl), SysV IPC get/ctl,
//! futex, io_uring_setup (params), capget/capset, seccomp, bpf (map create and element operations, program
//! load, pin/get, info by fd), rseq, membarrier, netlink messages on netlink sockets (route,
//! sock_diag, netfilter, audit, xfrm, selinux, generic, uevent; ptrace only: the eBPF
//! tracer does not know a socket's protocol).
//!
//! Not decoded (raw or partial): most ioctl requests (shown as `_IOC(...)`), other bpf
//! commands, the `-v` eBPF/cBPF instruction dumps (bpf, seccomp) and bpf info structs,
//! io_uring_enter/register attribute structs, cmsg control data,
//! sendmmsg/recvmmsg vectors, keyctl, perf_event_open attributes, mount API (fsopen...),
//! quotactl, ptrace requests, landlock, and times in `-v` output assume UTC (strace
//! prints local time).
//!
//! The tracer adds what is not per-syscall: `[pid N] ` prefixes, the padding of ` = ` to
//! column 40, `= ?` for calls that never return (exit_group, execve in a dying process),
//! ` <unfinished ...>`, timestamps and `-T`.
//!
//! # Example
//!
//! ```
//! use saker_syscalls::{decode_entry, decode_exit, Memory, NoFdInfo, Style};
//!
//! /// Tracee memory holding one string at 0x1000.
//! struct Fixture;
//! impl Memory for Fixture {
//!     fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
//!         let data = b"/etc/hostname\0";
//!         let Some(off) = addr.checked_sub(0x1000) else { return 0 };
//!         let src = data.get(off as usize..).unwrap_or(&[]);
//!         let n = src.len().min(buf.len());
//!         buf[..n].copy_from_slice(&src[..n]);
//!         n
//!     }
//! }
//!
//! let style = Style::default();
//! let openat = saker_syscalls::number("openat").unwrap();
//! let args = [(-100i64) as u64, 0x1000, 0o2000000, 0, 0, 0];
//! let entry = decode_entry(openat, args, &mut Fixture, &mut NoFdInfo, &style);
//! assert_eq!(entry.text_so_far(), r#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC"#);
//! let done = decode_exit(&entry, -2, &mut Fixture, &mut NoFdInfo, &style);
//! assert_eq!(done.call, r#"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC)"#);
//! assert_eq!(done.result, "-1 ENOENT (No such file or directory)");
//! assert_eq!(done.errno, Some(2));
//! ```

mod class;
mod decode;
mod errno;
mod errno_table;
mod set;
mod signal;
mod table;
mod xlat;

pub use class::{Class, classes};
pub use decode::{
    Decoded, Entry, FdDetails, FdInfo, Memory, MemoryArg, NoFdInfo, NoMemory, PidDetails, PidKind,
    Style, XlatStyle, decode_entry, decode_entry_into, decode_exit, decode_exit_into, file_args,
    memory_args, write_comm,
};
pub use errno::{errno_message, errno_name};
pub use set::{
    SET_CAPACITY, SetElements, SetError, SetTokens, SignalSet, SyscallSet, parse_signal_set,
    parse_trace_set,
};
pub use signal::{SigInfo, format_signal, format_signal_with, signal_name, signal_number};

use table::SYSCALLS;

/// The name of x86_64 syscall `nr` (`"read"` for 0), `None` for holes and unknown numbers.
#[inline]
pub fn name(nr: u64) -> Option<&'static str> {
    let (name, _) = SYSCALLS.get(usize::try_from(nr).ok()?)?;
    (!name.is_empty()).then_some(*name)
}

/// The number of the x86_64 syscall called `name`.
pub fn number(name: &str) -> Option<u64> {
    SYSCALLS
        .iter()
        .position(|(n, _)| *n == name && !n.is_empty())
        .map(|i| i as u64)
}

/// Every known syscall, ascending by number.
pub fn all() -> impl Iterator<Item = (u64, &'static str)> {
    SYSCALLS
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| !n.is_empty())
        .map(|(i, (n, _))| (i as u64, *n))
}

/// Whether `nr` is a known x86_64 syscall.
#[inline]
pub fn is_known(nr: u64) -> bool {
    name(nr).is_some()
}

/// The highest known syscall number.
pub const MAX_SYSCALL: u64 = table::MAX_NR;

/// The kernel's names of the arguments of `nr` (from its syscall tracepoints), e.g.
/// `["dfd", "filename", "flags", "mode"]` for openat. Empty for unknown numbers.
pub fn arg_names(nr: u64) -> &'static [&'static str] {
    if !is_known(nr) {
        return &[];
    }
    table::ARG_NAMES.get(nr as usize).copied().unwrap_or(&[])
}

/// Whether the arguments of `nr` are decoded (otherwise they print as raw hex).
pub fn is_decoded(nr: u64) -> bool {
    decode::is_decoded(nr)
}

/// strace's text for a wait status: `{WIFEXITED(s) && WEXITSTATUS(s) == 0}`.
pub fn format_wait_status(status: i32) -> String {
    let mut out = String::new();
    decode::write_wait_status(&mut out, status as u32);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lookups() {
        assert_eq!(name(0), Some("read"));
        assert_eq!(name(257), Some("openat"));
        assert_eq!(name(335), Some("uretprobe"));
        assert_eq!(name(337), None);
        assert_eq!(name(435), Some("clone3"));
        assert_eq!(name(462), Some("mseal"));
        assert_eq!(name(469), Some("file_setattr"));
        assert_eq!(name(470), None);
        assert_eq!(number("execve"), Some(59));
        assert_eq!(number(""), None);
        assert_eq!(all().count(), 383);
        assert_eq!(arg_names(257), ["dfd", "filename", "flags", "mode"]);
        assert!(is_known(1) && !is_known(400));
    }

    #[test]
    fn most_used_syscalls_are_decoded() {
        let decoded = all().filter(|(nr, _)| is_decoded(*nr)).count();
        eprintln!("{decoded} syscalls decoded");
        assert!(decoded >= 260, "{decoded}");
        for name in [
            "read",
            "openat",
            "execve",
            "clone3",
            "io_uring_setup",
            "bpf",
            "statx",
            "futex",
        ] {
            assert!(is_decoded(number(name).unwrap()), "{name}");
        }
    }
}
