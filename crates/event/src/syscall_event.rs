//! Captured kernel events, as the capture backends (eBPF, ptrace, capture files) hand them to
//! the engine: who did it ([`EventHeader`]) and what happened ([`EventBody`]).
//!
//! Paths and names are kept as bytes ([`Bytes`]): Linux paths need not be UTF-8, and a rule
//! engine that compares them must see what the kernel saw.

use std::fmt;
use std::net::{SocketAddrV4, SocketAddrV6};

/// Raw bytes from the kernel (a path, a name, a data buffer), printed lossily as UTF-8.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Bytes(pub Vec<u8>);

/// `bytes` as text, with invalid UTF-8 replaced, borrowed when valid.
fn lossy_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    // `from_utf8` checks ASCII a word at a time; `from_utf8_lossy` walks chunk by chunk,
    // which was 6% of the daemon's time on an open loop. Paths are nearly always valid.
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Debug and Display of raw bytes: as their lossy text.
macro_rules! text_formats {
    ($type:ty) => {
        impl fmt::Debug for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", self.to_string_lossy())
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_string_lossy())
            }
        }
    };
}

impl Bytes {
    /// The bytes as text, with invalid UTF-8 replaced (for output and string comparisons).
    pub fn to_string_lossy(&self) -> std::borrow::Cow<'_, str> {
        lossy_text(&self.0)
    }
}

text_formats!(Bytes);

impl From<&str> for Bytes {
    fn from(s: &str) -> Self {
        Bytes(s.as_bytes().to_vec())
    }
}

/// A task's name (`task->comm`), kept inline: a heap copy per event was one of the daemon's
/// allocations per event. The kernel's names are at most 15 bytes; longer ones (from a
/// hand-written capture file) are cut at [`Comm::MAX`] bytes, as the kernel cuts them.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Comm {
    len: u8,
    bytes: [u8; Comm::MAX],
}

impl Comm {
    /// `TASK_COMM_LEN`.
    pub const MAX: usize = 16;

    /// The name in `bytes`, cut at [`Comm::MAX`] bytes.
    pub fn new(bytes: &[u8]) -> Comm {
        let len = bytes.len().min(Comm::MAX);
        let mut comm = Comm {
            len: len as u8,
            bytes: [0; Comm::MAX],
        };
        comm.bytes[..len].copy_from_slice(&bytes[..len]);
        comm
    }

    /// The name in a kernel `char[16]` (what `bpf_get_current_comm` fills): the bytes before
    /// the first NUL. The array is taken whole, a fixed 16-byte move where [`Comm::new`]
    /// copies a length found first: this runs for every captured event.
    pub fn from_nul_padded(raw: [u8; Comm::MAX]) -> Comm {
        // The first NUL by the has-zero-byte trick on one 16-byte word (the lowest flagged
        // byte is exact); the bytes from it on are cleared so that equal names compare equal.
        const ONES: u128 = u128::MAX / 0xff;
        let word = u128::from_le_bytes(raw);
        let nuls = word.wrapping_sub(ONES) & !word & (ONES << 7);
        let len = nuls.trailing_zeros() / 8;
        let name = word
            & u128::MAX
                .checked_shl(8 * len)
                .map_or(u128::MAX, |tail| !tail);
        Comm {
            len: len as u8,
            bytes: name.to_le_bytes(),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The name as text, with invalid UTF-8 replaced.
    pub fn to_string_lossy(&self) -> std::borrow::Cow<'_, str> {
        lossy_text(self.as_bytes())
    }
}

text_formats!(Comm);

impl From<&str> for Comm {
    fn from(s: &str) -> Self {
        Comm::new(s.as_bytes())
    }
}

/// Who caused an event, as the kernel saw it at that moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventHeader {
    /// Wall-clock time, nanoseconds since the Unix epoch.
    pub ts_ns: u64,
    /// Thread id (`task->pid`).
    pub tid: u32,
    /// Process id (`task->tgid`).
    pub pid: u32,
    /// Parent process id (`task->real_parent->tgid`).
    pub ppid: u32,
    pub uid: u32,
    pub gid: u32,
    pub euid: u32,
    pub egid: u32,
    /// cgroup v2 id of the task (0 when unknown).
    pub cgroup_id: u64,
    /// `task->comm`, at most 15 bytes.
    pub comm: Comm,
}

/// A captured event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyscallEvent {
    pub header: EventHeader,
    pub body: EventBody,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventBody {
    /// A syscall returned.
    Syscall(SyscallExit),
    /// A new thread or process was created; the header is the parent.
    Fork {
        child_tid: u32,
        child_pid: u32,
        /// The child's ids in its own pid namespace.
        child_vtid: u32,
        child_vpid: u32,
    },
    /// An execve/execveat succeeded; the header already shows the new image's comm.
    Exec(ExecInfo),
    /// A signal is being delivered to the thread (to a handler or its default action), or
    /// was discarded as it was sent (ignored). Only a tracer's capture (`saker trace
    /// --ebpf`) reports these.
    Signal {
        signo: i32,
        /// The `siginfo_t` as the kernel holds it (empty when it could not be read).
        siginfo: Bytes,
    },
    /// A thread exited.
    Exit {
        /// The wait status (`task->exit_code`): `code << 8` or the terminating signal.
        status: i32,
        /// True when this was the last thread of the process.
        process_exited: bool,
    },
}

/// Bytes of the traced process's memory at `addr`, as the capture read them at the
/// syscall's return, or at its entry (`at_entry`: a value the call rewrites).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CopiedMemory {
    pub addr: u64,
    pub bytes: Bytes,
    pub at_entry: bool,
}

/// A successful execve/execveat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecInfo {
    /// The syscall number (execve or execveat).
    pub nr: i64,
    /// The path as passed to execve (the kernel's `bprm->filename`).
    pub filename: Bytes,
    pub argv: Vec<Bytes>,
    /// The argument area was longer than the capture limit.
    pub argv_truncated: bool,
    /// How many environment variables the new image got, when the source counted them (the
    /// eBPF capture reads `bprm->envc`).
    pub env_count: Option<u32>,
    /// The envp pointer the caller passed, when the source kept it (a tracer's eBPF capture).
    pub envp: Option<u64>,
    /// The tid before exec (differs from the header's tid when a non-leader thread exec'd).
    pub old_tid: u32,
    pub vtid: u32,
    pub vpid: u32,
    /// The audit login uid (`u32::MAX` when unset).
    pub loginuid: u32,
    /// The controlling terminal as `(major, minor)`, if any.
    pub tty: Option<(u32, u32)>,
    /// The new image's capability sets, when the source read them at exec (the eBPF capture
    /// does); `None`: unknown, a live consumer may read /proc.
    pub caps: Option<Capabilities>,
    /// The executable is in an overlayfs upper layer: a file the container wrote or changed
    /// (Falco's `proc.is_exe_upper_layer`, PPM_EXE_UPPER_LAYER); false when the source cannot
    /// tell.
    pub exe_upper_layer: bool,
}

/// Capability sets of a process (`thread.cap_*`), as bit masks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub effective: u64,
    pub permitted: u64,
    pub inheritable: u64,
}

/// A syscall that returned, with its raw arguments and the decoded ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyscallExit {
    /// x86_64 syscall number.
    pub nr: i64,
    /// The return value; `-4095..=-1` are `-errno`.
    pub ret: i64,
    /// The six argument registers.
    pub args: [u64; 6],
    /// Time from syscall entry to exit, when the capture measured it.
    pub duration_ns: Option<u64>,
    /// Of `duration_ns`, the time the task spent off the CPU (blocked or preempted), when the
    /// capture measured it; the rest is the call's system time (strace -c without -w).
    pub off_cpu_ns: Option<u64>,
    pub detail: SyscallDetail,
}

impl SyscallExit {
    /// The errno of a failed call.
    pub fn errno(&self) -> Option<i32> {
        (-4095..0).contains(&self.ret).then(|| (-self.ret) as i32)
    }
}

/// `AT_FDCWD` as a dirfd argument.
pub const AT_FDCWD: i32 = -100;

/// The arguments of a syscall, decoded. Relative paths are as the program passed them; resolving
/// them against the cwd or `dirfd` needs the process state the engine keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyscallDetail {
    /// open, openat, openat2, creat. `dirfd` is [`AT_FDCWD`] for open and creat. The new fd is
    /// the return value.
    Open {
        dirfd: i32,
        path: Bytes,
        flags: u64,
        mode: u32,
    },
    /// A failed execve/execveat (successes are [`EventBody::Exec`]).
    ExecFailed {
        dirfd: i32,
        path: Bytes,
    },
    /// clone, clone3, fork, vfork; `flags` is 0 for fork/vfork/clone3 (clone3's are in memory).
    Clone {
        flags: u64,
    },
    Chdir {
        path: Bytes,
    },
    Fchdir {
        fd: i32,
    },
    Close {
        fd: i32,
    },
    /// rename, renameat, renameat2.
    Rename {
        old_dirfd: i32,
        old_path: Bytes,
        new_dirfd: i32,
        new_path: Bytes,
        flags: u32,
    },
    /// unlink, unlinkat, rmdir (`flags` has AT_REMOVEDIR for rmdir).
    Unlink {
        dirfd: i32,
        path: Bytes,
        flags: u32,
    },
    /// mkdir, mkdirat.
    Mkdir {
        dirfd: i32,
        path: Bytes,
        mode: u32,
    },
    /// symlink, symlinkat.
    Symlink {
        target: Bytes,
        dirfd: i32,
        link_path: Bytes,
    },
    /// link, linkat.
    Link {
        old_dirfd: i32,
        old_path: Bytes,
        new_dirfd: i32,
        new_path: Bytes,
        flags: u32,
    },
    /// chmod, fchmodat, fchmodat2 (`path`), fchmod (`fd`).
    Chmod {
        dirfd: i32,
        path: Option<Bytes>,
        fd: Option<i32>,
        mode: u32,
    },
    /// chown, lchown, fchownat (`path`), fchown (`fd`).
    Chown {
        dirfd: i32,
        path: Option<Bytes>,
        fd: Option<i32>,
        uid: u32,
        gid: u32,
    },
    /// truncate (`path`), ftruncate (`fd`).
    Truncate {
        path: Option<Bytes>,
        fd: Option<i32>,
        length: u64,
    },
    /// dup, dup2, dup3, and fcntl F_DUPFD/F_DUPFD_CLOEXEC; the new fd is the return value.
    Dup {
        old_fd: i32,
    },
    /// Any other fcntl.
    Fcntl {
        fd: i32,
        cmd: i32,
        arg: u64,
    },
    /// pipe, pipe2, socketpair: the two new fds (when the call succeeded).
    FdPair {
        fds: Option<[i32; 2]>,
        flags: u64,
    },
    MemfdCreate {
        name: Bytes,
        flags: u32,
    },
    Socket {
        domain: i32,
        kind: i32,
        protocol: i32,
    },
    Connect {
        fd: i32,
        addr: Option<SockAddr>,
    },
    /// accept, accept4: the listening fd and the peer; the new fd is the return value.
    Accept {
        fd: i32,
        peer: Option<SockAddr>,
    },
    Bind {
        fd: i32,
        addr: Option<SockAddr>,
    },
    Listen {
        fd: i32,
        backlog: i32,
    },
    SendTo {
        fd: i32,
        len: u64,
        addr: Option<SockAddr>,
    },
    /// setuid, setgid, setreuid, setregid, setresuid, setresgid: the ids asked for
    /// (`u32::MAX` = unchanged), in (real, effective, saved) order.
    SetIds {
        real: u32,
        effective: u32,
        saved: u32,
    },
    Capset {
        header: u64,
        data: u64,
    },
    Ptrace {
        request: i64,
        pid: i32,
    },
    Mount {
        source: Bytes,
        target: Bytes,
        flags: u64,
    },
    Umount {
        target: Bytes,
        flags: u32,
    },
    Setns {
        fd: i32,
        nstype: i32,
    },
    Unshare {
        flags: u64,
    },
    /// kill, tkill, tgkill; `pid` is the tid for tkill/tgkill.
    Kill {
        pid: i32,
        sig: i32,
    },
    Bpf {
        cmd: i32,
    },
    /// init_module (`fd` None), finit_module.
    LoadModule {
        fd: Option<i32>,
    },
    /// read, pread64: the first bytes read (up to the snap length).
    Read {
        fd: i32,
        data: Bytes,
        truncated: bool,
    },
    /// write, pwrite64: the first bytes written.
    Write {
        fd: i32,
        data: Bytes,
        truncated: bool,
    },
    /// A syscall without a decoder (all-syscalls mode); see the raw `args`.
    Other,
    /// A tracer's view (`saker trace --ebpf`): the user memory the capture copied for the
    /// argument decoders (strings, structs, arrays, buffers), each at its address; for a
    /// socket data call on a netlink socket, its protocol (the capture looked it up while the
    /// fd was still open).
    Memory {
        regions: Vec<CopiedMemory>,
        netlink: Option<u8>,
    },
}

/// A socket address read from the traced program's memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SockAddr {
    Inet(SocketAddrV4),
    Inet6(SocketAddrV6),
    /// AF_UNIX: a path, or an abstract name (`abstract_name`, without the leading NUL).
    Unix {
        path: Bytes,
        abstract_name: bool,
    },
    /// Another family, raw bytes after the family field.
    Other {
        family: u16,
        data: Bytes,
    },
}

impl SockAddr {
    /// Decodes a `struct sockaddr` as the kernel would read it, `None` when too short.
    pub fn parse(raw: &[u8]) -> Option<SockAddr> {
        let family = u16::from_ne_bytes(raw.get(0..2)?.try_into().ok()?);
        match i32::from(family) {
            2 => {
                // AF_INET: port (network order) then the address.
                let port = u16::from_be_bytes(raw.get(2..4)?.try_into().ok()?);
                let ip: [u8; 4] = raw.get(4..8)?.try_into().ok()?;
                Some(SockAddr::Inet(SocketAddrV4::new(ip.into(), port)))
            }
            10 => {
                let port = u16::from_be_bytes(raw.get(2..4)?.try_into().ok()?);
                let flowinfo = u32::from_be_bytes(raw.get(4..8)?.try_into().ok()?);
                let ip: [u8; 16] = raw.get(8..24)?.try_into().ok()?;
                let scope = raw
                    .get(24..28)
                    .and_then(|s| s.try_into().ok())
                    .map(u32::from_ne_bytes)
                    .unwrap_or(0);
                Some(SockAddr::Inet6(SocketAddrV6::new(
                    ip.into(),
                    port,
                    flowinfo,
                    scope,
                )))
            }
            1 => {
                let path = &raw[2..];
                if let Some(rest) = path.strip_prefix(&[0]) {
                    Some(SockAddr::Unix {
                        path: Bytes(rest.to_vec()),
                        abstract_name: true,
                    })
                } else {
                    let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
                    Some(SockAddr::Unix {
                        path: Bytes(path[..end].to_vec()),
                        abstract_name: false,
                    })
                }
            }
            _ => Some(SockAddr::Other {
                family,
                data: Bytes(raw[2..].to_vec()),
            }),
        }
    }
}

impl fmt::Display for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SockAddr::Inet(a) => write!(f, "{a}"),
            SockAddr::Inet6(a) => write!(f, "{a}"),
            SockAddr::Unix {
                path,
                abstract_name: true,
            } => write!(f, "@{path}"),
            SockAddr::Unix {
                path,
                abstract_name: false,
            } => write!(f, "{path}"),
            SockAddr::Other { family, .. } => write!(f, "<family {family}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task name is kept inline, cut at the kernel's 16 bytes, and printed as `Bytes` is.
    #[test]
    fn comm_is_inline_and_cut_as_the_kernel_cuts() {
        let comm = Comm::from("kworker/u4:2");
        assert_eq!(comm.as_bytes(), b"kworker/u4:2");
        assert_eq!(format!("{comm} {comm:?}"), "kworker/u4:2 \"kworker/u4:2\"");
        let long = Comm::new(b"a-name-longer-than-sixteen");
        assert_eq!(long.as_bytes(), b"a-name-longer-th");
        let raw = Comm::new(b"a\xffb");
        assert_eq!(raw.to_string_lossy(), "a\u{fffd}b");
        assert_eq!(
            format!("{raw:?}"),
            format!("{:?}", Bytes(b"a\xffb".to_vec()))
        );
        assert_eq!(Comm::default().as_bytes(), b"");
    }

    /// A kernel `char[16]` reads as `Comm::new` of the bytes before its first NUL, whatever
    /// follows the NUL.
    #[test]
    fn comm_from_a_nul_padded_array() {
        let names: [&[u8]; 5] = [
            b"",
            b"cat",
            b"kworker/u4:2",
            b"fifteen-bytes-x",
            b"sixteen-bytes-xy",
        ];
        for name in names {
            for tail in [0u8, 0xff, b'a'] {
                let mut raw = [tail; Comm::MAX];
                raw[..name.len()].copy_from_slice(name);
                if let Some(nul) = raw.get_mut(name.len()) {
                    *nul = 0;
                }
                assert_eq!(
                    Comm::from_nul_padded(raw),
                    Comm::new(name),
                    "{name:?} {tail}"
                );
            }
        }
        assert_eq!(
            Comm::from_nul_padded(*b"a\0b\0\0\0\0\0\0\0\0\0\0\0\0\0").as_bytes(),
            b"a"
        );
    }

    fn check(raw: &[u8], expect: &str) {
        let got = SockAddr::parse(raw)
            .map(|a| a.to_string())
            .unwrap_or_else(|| "None".into());
        assert_eq!(got, expect);
    }

    #[test]
    fn sockaddr_parsing() {
        let mut v4 = vec![2, 0, 0x1f, 0x90, 127, 0, 0, 1];
        v4.extend([0; 8]);
        check(&v4, "127.0.0.1:8080");
        let mut v6 = vec![10, 0, 0, 80, 0, 0, 0, 0];
        v6.extend([0; 15]);
        v6.push(1);
        v6.extend([0; 4]);
        check(&v6, "[::1]:80");
        check(b"\x01\x00/run/x.sock\0\0", "/run/x.sock");
        check(b"\x01\x00\0abstract", "@abstract");
        check(&[2, 0, 1], "None");
        check(&[], "None");
        check(&[16, 0, 1, 2], "<family 16>");
    }

    #[test]
    fn errno_only_for_error_range() {
        let mut e = SyscallExit {
            nr: 2,
            ret: -2,
            args: [0; 6],
            duration_ns: None,
            off_cpu_ns: None,
            detail: SyscallDetail::Other,
        };
        assert_eq!(e.errno(), Some(2));
        e.ret = 3;
        assert_eq!(e.errno(), None);
        e.ret = -5000;
        assert_eq!(e.errno(), None);
    }
}
