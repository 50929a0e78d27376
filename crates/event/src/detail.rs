//! The one syscall decoder: `(nr, args, ret)` and the memory the arguments point to ->
//! [`SyscallDetail`]. Every source of syscall events goes through it: the eBPF capture (the
//! memory is what the kernel side copied into the record), `run --ptrace` (the tracee's memory
//! at the syscall's exit) and the capture-file readers, so a field means the same whatever
//! produced the event.

use crate::syscall_event::{AT_FDCWD, Bytes, SockAddr, SyscallDetail};

/// Where the decoder reads what the arguments point to. Each source answers from what it has;
/// what it cannot read is empty (`Bytes::default()`, `None`), never an error: a syscall given
/// a bad pointer still happened.
pub trait ArgMemory {
    /// The NUL-terminated string argument `arg` points to.
    fn string(&mut self, args: &[u64; 6], arg: usize) -> Bytes;
    /// The `struct sockaddr` argument `arg` points to, `len` bytes long (connect, bind, sendto).
    fn sockaddr(&mut self, args: &[u64; 6], arg: usize, len: u64) -> Option<SockAddr>;
    /// The address an accept filled in (at `args[1]`, its length at `args[2]`).
    fn peer(&mut self, args: &[u64; 6]) -> Option<SockAddr>;
    /// The two fds pipe/pipe2/socketpair wrote at `args[arg]`.
    fn fd_pair(&mut self, args: &[u64; 6], arg: usize) -> Option<[i32; 2]>;
    /// openat2's `struct open_how` at `args[2]`: (flags, mode).
    fn open_how(&mut self, args: &[u64; 6]) -> (u64, u32);
    /// The first bytes of a read/write buffer (`args[1]`, `len` bytes moved), and whether
    /// they were cut at the source's snap length.
    fn data(&mut self, args: &[u64; 6], len: u64) -> (Bytes, bool);
}

/// Memory that answers nothing: the detail keeps only what the registers say.
pub struct NoMemory;

impl ArgMemory for NoMemory {
    fn string(&mut self, _: &[u64; 6], _: usize) -> Bytes {
        Bytes::default()
    }
    fn sockaddr(&mut self, _: &[u64; 6], _: usize, _: u64) -> Option<SockAddr> {
        None
    }
    fn peer(&mut self, _: &[u64; 6]) -> Option<SockAddr> {
        None
    }
    fn fd_pair(&mut self, _: &[u64; 6], _: usize) -> Option<[i32; 2]> {
        None
    }
    fn open_how(&mut self, _: &[u64; 6]) -> (u64, u32) {
        (0, 0)
    }
    fn data(&mut self, _: &[u64; 6], _: u64) -> (Bytes, bool) {
        (Bytes::default(), false)
    }
}

// x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl).
const READ: i64 = 0;
const WRITE: i64 = 1;
const OPEN: i64 = 2;
const CLOSE: i64 = 3;
const PREAD64: i64 = 17;
const PWRITE64: i64 = 18;
const PIPE: i64 = 22;
const DUP: i64 = 32;
const DUP2: i64 = 33;
const SENDTO: i64 = 44;
const SOCKET: i64 = 41;
const CONNECT: i64 = 42;
const ACCEPT: i64 = 43;
const BIND: i64 = 49;
const LISTEN: i64 = 50;
const SOCKETPAIR: i64 = 53;
const CLONE: i64 = 56;
const FORK: i64 = 57;
const VFORK: i64 = 58;
const EXECVE: i64 = 59;
const KILL: i64 = 62;
const FCNTL: i64 = 72;
const TRUNCATE: i64 = 76;
const FTRUNCATE: i64 = 77;
const CHDIR: i64 = 80;
const FCHDIR: i64 = 81;
const RENAME: i64 = 82;
const MKDIR: i64 = 83;
const RMDIR: i64 = 84;
const CREAT: i64 = 85;
const LINK: i64 = 86;
const UNLINK: i64 = 87;
const SYMLINK: i64 = 88;
const CHMOD: i64 = 90;
const FCHMOD: i64 = 91;
const CHOWN: i64 = 92;
const FCHOWN: i64 = 93;
const LCHOWN: i64 = 94;
const PTRACE: i64 = 101;
const SETUID: i64 = 105;
const SETGID: i64 = 106;
const SETREUID: i64 = 113;
const SETREGID: i64 = 114;
const SETRESUID: i64 = 117;
const SETRESGID: i64 = 119;
const CAPSET: i64 = 126;
const MOUNT: i64 = 165;
const UMOUNT2: i64 = 166;
const INIT_MODULE: i64 = 175;
const TKILL: i64 = 200;
const TGKILL: i64 = 234;
const MKDIRAT: i64 = 258;
const OPENAT: i64 = 257;
const FCHOWNAT: i64 = 260;
const UNLINKAT: i64 = 263;
const RENAMEAT: i64 = 264;
const LINKAT: i64 = 265;
const SYMLINKAT: i64 = 266;
const FCHMODAT: i64 = 268;
const UNSHARE: i64 = 272;
const ACCEPT4: i64 = 288;
const DUP3: i64 = 292;
const PIPE2: i64 = 293;
const SETNS: i64 = 308;
const FINIT_MODULE: i64 = 313;
const RENAMEAT2: i64 = 316;
const MEMFD_CREATE: i64 = 319;
const BPF: i64 = 321;
const EXECVEAT: i64 = 322;
const CLONE3: i64 = 435;
const OPENAT2: i64 = 437;
const FCHMODAT2: i64 = 452;

const F_DUPFD: i32 = 0;
const F_DUPFD_CLOEXEC: i32 = 1030;
const AT_REMOVEDIR: u32 = 0x200;
/// What creat(2) is: open(path, O_CREAT|O_WRONLY|O_TRUNC).
const CREAT_FLAGS: u64 = 0o1101;

/// The syscall's arguments as a [`SyscallDetail`]; [`SyscallDetail::Other`] for a syscall
/// without a decoder. `ret` decides whether output arguments (pipe fds, accept's peer, the
/// bytes read) exist.
pub fn decode_detail(nr: i64, args: [u64; 6], ret: i64, mem: &mut impl ArgMemory) -> SyscallDetail {
    use SyscallDetail as D;
    let a = args;
    let fd = |i: usize| a[i] as i32;
    let mut s = |i: usize| mem.string(&a, i);
    match nr {
        OPEN => D::Open {
            dirfd: AT_FDCWD,
            path: s(0),
            flags: a[1],
            mode: a[2] as u32,
        },
        OPENAT => D::Open {
            dirfd: fd(0),
            path: s(1),
            flags: a[2],
            mode: a[3] as u32,
        },
        OPENAT2 => {
            let path = s(1);
            let (flags, mode) = mem.open_how(&a);
            D::Open {
                dirfd: fd(0),
                path,
                flags,
                mode,
            }
        }
        CREAT => D::Open {
            dirfd: AT_FDCWD,
            path: s(0),
            flags: CREAT_FLAGS,
            mode: a[1] as u32,
        },
        EXECVE => D::ExecFailed {
            dirfd: AT_FDCWD,
            path: s(0),
        },
        EXECVEAT => D::ExecFailed {
            dirfd: fd(0),
            path: s(1),
        },
        CLONE => D::Clone { flags: a[0] },
        CLONE3 | FORK | VFORK => D::Clone { flags: 0 },
        CHDIR => D::Chdir { path: s(0) },
        FCHDIR => D::Fchdir { fd: fd(0) },
        CLOSE => D::Close { fd: fd(0) },
        RENAME => D::Rename {
            old_dirfd: AT_FDCWD,
            old_path: s(0),
            new_dirfd: AT_FDCWD,
            new_path: s(1),
            flags: 0,
        },
        RENAMEAT | RENAMEAT2 => D::Rename {
            old_dirfd: fd(0),
            old_path: s(1),
            new_dirfd: fd(2),
            new_path: s(3),
            flags: if nr == RENAMEAT2 { a[4] as u32 } else { 0 },
        },
        UNLINK => D::Unlink {
            dirfd: AT_FDCWD,
            path: s(0),
            flags: 0,
        },
        UNLINKAT => D::Unlink {
            dirfd: fd(0),
            path: s(1),
            flags: a[2] as u32,
        },
        RMDIR => D::Unlink {
            dirfd: AT_FDCWD,
            path: s(0),
            flags: AT_REMOVEDIR,
        },
        MKDIR => D::Mkdir {
            dirfd: AT_FDCWD,
            path: s(0),
            mode: a[1] as u32,
        },
        MKDIRAT => D::Mkdir {
            dirfd: fd(0),
            path: s(1),
            mode: a[2] as u32,
        },
        SYMLINK => D::Symlink {
            target: s(0),
            dirfd: AT_FDCWD,
            link_path: s(1),
        },
        SYMLINKAT => D::Symlink {
            target: s(0),
            dirfd: fd(1),
            link_path: s(2),
        },
        LINK => D::Link {
            old_dirfd: AT_FDCWD,
            old_path: s(0),
            new_dirfd: AT_FDCWD,
            new_path: s(1),
            flags: 0,
        },
        LINKAT => D::Link {
            old_dirfd: fd(0),
            old_path: s(1),
            new_dirfd: fd(2),
            new_path: s(3),
            flags: a[4] as u32,
        },
        CHMOD => D::Chmod {
            dirfd: AT_FDCWD,
            path: Some(s(0)),
            fd: None,
            mode: a[1] as u32,
        },
        FCHMOD => D::Chmod {
            dirfd: AT_FDCWD,
            path: None,
            fd: Some(fd(0)),
            mode: a[1] as u32,
        },
        FCHMODAT | FCHMODAT2 => D::Chmod {
            dirfd: fd(0),
            path: Some(s(1)),
            fd: None,
            mode: a[2] as u32,
        },
        CHOWN | LCHOWN => D::Chown {
            dirfd: AT_FDCWD,
            path: Some(s(0)),
            fd: None,
            uid: a[1] as u32,
            gid: a[2] as u32,
        },
        FCHOWN => D::Chown {
            dirfd: AT_FDCWD,
            path: None,
            fd: Some(fd(0)),
            uid: a[1] as u32,
            gid: a[2] as u32,
        },
        FCHOWNAT => D::Chown {
            dirfd: fd(0),
            path: Some(s(1)),
            fd: None,
            uid: a[2] as u32,
            gid: a[3] as u32,
        },
        TRUNCATE => D::Truncate {
            path: Some(s(0)),
            fd: None,
            length: a[1],
        },
        FTRUNCATE => D::Truncate {
            path: None,
            fd: Some(fd(0)),
            length: a[1],
        },
        DUP | DUP2 | DUP3 => D::Dup { old_fd: fd(0) },
        FCNTL => match a[1] as i32 {
            F_DUPFD | F_DUPFD_CLOEXEC => D::Dup { old_fd: fd(0) },
            cmd => D::Fcntl {
                fd: fd(0),
                cmd,
                arg: a[2],
            },
        },
        PIPE | PIPE2 | SOCKETPAIR => {
            let at = if nr == SOCKETPAIR { 3 } else { 0 };
            D::FdPair {
                fds: if ret == 0 { mem.fd_pair(&a, at) } else { None },
                flags: if nr == PIPE { 0 } else { a[1] },
            }
        }
        MEMFD_CREATE => D::MemfdCreate {
            name: s(0),
            flags: a[1] as u32,
        },
        SOCKET => D::Socket {
            domain: fd(0),
            kind: fd(1),
            protocol: fd(2),
        },
        CONNECT => D::Connect {
            fd: fd(0),
            addr: mem.sockaddr(&a, 1, a[2]),
        },
        ACCEPT | ACCEPT4 => D::Accept {
            fd: fd(0),
            peer: if ret >= 0 && a[1] != 0 {
                mem.peer(&a)
            } else {
                None
            },
        },
        BIND => D::Bind {
            fd: fd(0),
            addr: mem.sockaddr(&a, 1, a[2]),
        },
        LISTEN => D::Listen {
            fd: fd(0),
            backlog: fd(1),
        },
        SENDTO => D::SendTo {
            fd: fd(0),
            len: a[2],
            addr: if a[4] != 0 {
                mem.sockaddr(&a, 4, a[5])
            } else {
                None
            },
        },
        // setuid/setgid change the effective id (and, for root, all three: the state reads
        // the result from the kernel's view at the next exec).
        SETUID | SETGID => D::SetIds {
            real: u32::MAX,
            effective: a[0] as u32,
            saved: u32::MAX,
        },
        SETREUID | SETREGID => D::SetIds {
            real: a[0] as u32,
            effective: a[1] as u32,
            saved: u32::MAX,
        },
        SETRESUID | SETRESGID => D::SetIds {
            real: a[0] as u32,
            effective: a[1] as u32,
            saved: a[2] as u32,
        },
        CAPSET => D::Capset {
            header: a[0],
            data: a[1],
        },
        PTRACE => D::Ptrace {
            request: a[0] as i64,
            pid: fd(1),
        },
        MOUNT => D::Mount {
            source: s(0),
            target: s(1),
            flags: a[3],
        },
        UMOUNT2 => D::Umount {
            target: s(0),
            flags: a[1] as u32,
        },
        SETNS => D::Setns {
            fd: fd(0),
            nstype: fd(1),
        },
        UNSHARE => D::Unshare { flags: a[0] },
        KILL | TKILL => D::Kill {
            pid: fd(0),
            sig: fd(1),
        },
        TGKILL => D::Kill {
            pid: fd(1),
            sig: fd(2),
        },
        BPF => D::Bpf { cmd: fd(0) },
        INIT_MODULE => D::LoadModule { fd: None },
        FINIT_MODULE => D::LoadModule { fd: Some(fd(0)) },
        READ | PREAD64 => {
            let (data, truncated) = mem.data(&a, ret.max(0) as u64);
            D::Read {
                fd: fd(0),
                data,
                truncated,
            }
        }
        WRITE | PWRITE64 => {
            let (data, truncated) = mem.data(&a, a[2]);
            D::Write {
                fd: fd(0),
                data,
                truncated,
            }
        }
        _ => D::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings named by argument index, as a source that copied them would answer.
    struct Strings(Vec<(usize, &'static str)>);

    impl ArgMemory for Strings {
        fn string(&mut self, _: &[u64; 6], arg: usize) -> Bytes {
            self.0
                .iter()
                .find(|(i, _)| *i == arg)
                .map(|(_, s)| Bytes::from(*s))
                .unwrap_or_default()
        }
        fn sockaddr(&mut self, _: &[u64; 6], _: usize, _: u64) -> Option<SockAddr> {
            None
        }
        fn peer(&mut self, _: &[u64; 6]) -> Option<SockAddr> {
            None
        }
        fn fd_pair(&mut self, _: &[u64; 6], _: usize) -> Option<[i32; 2]> {
            Some([3, 4])
        }
        fn open_how(&mut self, _: &[u64; 6]) -> (u64, u32) {
            (0o101, 0o600)
        }
        fn data(&mut self, _: &[u64; 6], _: u64) -> (Bytes, bool) {
            (Bytes::from("hi"), false)
        }
    }

    #[test]
    fn paths_come_from_the_argument_they_are_in() {
        let d = decode_detail(
            RENAMEAT2,
            [5, 0, 6, 0, 1, 0],
            0,
            &mut Strings(vec![(1, "a"), (3, "b")]),
        );
        assert_eq!(
            d,
            SyscallDetail::Rename {
                old_dirfd: 5,
                old_path: "a".into(),
                new_dirfd: 6,
                new_path: "b".into(),
                flags: 1
            }
        );
        let d = decode_detail(OPENAT2, [3, 0, 0, 0, 0, 0], 4, &mut Strings(vec![(1, "x")]));
        assert_eq!(
            d,
            SyscallDetail::Open {
                dirfd: 3,
                path: "x".into(),
                flags: 0o101,
                mode: 0o600
            }
        );
    }

    #[test]
    fn output_arguments_only_when_the_call_succeeded() {
        let pipe =
            |ret| decode_detail(PIPE2, [0, 0o2000000, 0, 0, 0, 0], ret, &mut Strings(vec![]));
        assert_eq!(
            pipe(0),
            SyscallDetail::FdPair {
                fds: Some([3, 4]),
                flags: 0o2000000
            }
        );
        assert_eq!(
            pipe(-24),
            SyscallDetail::FdPair {
                fds: None,
                flags: 0o2000000
            }
        );
    }

    #[test]
    fn registers_only() {
        let cases = [
            (
                CREAT,
                [0, 0o644, 0, 0, 0, 0],
                SyscallDetail::Open {
                    dirfd: AT_FDCWD,
                    path: Bytes::default(),
                    flags: CREAT_FLAGS,
                    mode: 0o644,
                },
            ),
            (
                FCNTL,
                [3, F_DUPFD_CLOEXEC as u64, 10, 0, 0, 0],
                SyscallDetail::Dup { old_fd: 3 },
            ),
            (
                TGKILL,
                [7, 8, 9, 0, 0, 0],
                SyscallDetail::Kill { pid: 8, sig: 9 },
            ),
            (
                RMDIR,
                [0; 6],
                SyscallDetail::Unlink {
                    dirfd: AT_FDCWD,
                    path: Bytes::default(),
                    flags: AT_REMOVEDIR,
                },
            ),
            (39, [0; 6], SyscallDetail::Other),
        ];
        for (nr, args, expect) in cases {
            assert_eq!(decode_detail(nr, args, 0, &mut NoMemory), expect, "nr {nr}");
        }
    }
}
