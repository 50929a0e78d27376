//! Which syscalls the capture decodes, and what the kernel side copies for each: the table
//! behind the `syscall_specs` map. Numbers come from `libc::SYS_*` (x86_64).

use std::sync::OnceLock;

use saker_syscalls::MemoryArg;

use crate::raw::{
    AUX_ENTRY, AUX_INT_PAIR, AUX_NONE, AUX_OPEN_HOW, BLOBS, CAP_DATA_LEN, CAP_DATA_RET, CAP_IOC,
    CAP_IOV_IN, CAP_IOV_OUT, CAP_MEM, CAP_MEM_BITS, CAP_MEM_COUNT, CAP_MEM_DEREF, CAP_MEM_LEN_AT,
    CAP_MEM_RET, CAP_MSG_IOV_IN, CAP_MSG_IOV_OUT, CAP_NONE, CAP_SOCKADDR_IN, CAP_SOCKADDR_OUT,
    CAP_STR, MAX_SYSCALLS, SPEC_FAILURES_ONLY, SPEC_INTERESTING, SPEC_SOCKET_FD, SyscallSpec,
};

/// One syscall the capture knows how to decode.
#[derive(Clone, Copy, Debug)]
pub struct CapturedSyscall {
    /// The syscall's name.
    pub name: &'static str,
    /// The kernel's tracepoint name, `syscalls/sys_exit_<tracepoint>` (umount2 is `umount`).
    pub tracepoint: &'static str,
    pub nr: i64,
    pub(crate) spec: SyscallSpec,
}

const NONE: (u8, u8, u8) = (CAP_NONE, 0, 0);

const fn str_arg(arg: u8) -> (u8, u8, u8) {
    (CAP_STR, arg, 0)
}

const fn entry(
    name: &'static str,
    nr: i64,
    cap0: (u8, u8, u8),
    cap1: (u8, u8, u8),
    aux: (u8, u8),
    extra_flags: u8,
) -> CapturedSyscall {
    CapturedSyscall {
        name,
        tracepoint: name,
        nr,
        spec: SyscallSpec {
            flags: SPEC_INTERESTING | extra_flags,
            aux_kind: aux.0,
            aux_arg: aux.1,
            aux_size: 0,
            cap_kind: [cap0.0, cap1.0, CAP_NONE, CAP_NONE],
            cap_arg: [cap0.1, cap1.1, 0, 0],
            cap_len_arg: [cap0.2, cap1.2, 0, 0],
            cap_size: [0; BLOBS],
        },
    }
}

const fn plain(name: &'static str, nr: i64) -> CapturedSyscall {
    entry(name, nr, NONE, NONE, (AUX_NONE, 0), 0)
}

const fn path1(name: &'static str, nr: i64, arg: u8) -> CapturedSyscall {
    entry(name, nr, str_arg(arg), NONE, (AUX_NONE, 0), 0)
}

const fn path2(name: &'static str, nr: i64, a: u8, b: u8) -> CapturedSyscall {
    entry(name, nr, str_arg(a), str_arg(b), (AUX_NONE, 0), 0)
}

const fn sockaddr_in(name: &'static str, nr: i64, arg: u8, len: u8) -> CapturedSyscall {
    entry(
        name,
        nr,
        (CAP_SOCKADDR_IN, arg, len),
        NONE,
        (AUX_NONE, 0),
        0,
    )
}

const fn data(name: &'static str, nr: i64) -> CapturedSyscall {
    entry(name, nr, (CAP_DATA_RET, 1, 0), NONE, (AUX_NONE, 0), 0)
}

const fn fd_pair(name: &'static str, nr: i64, arg: u8) -> CapturedSyscall {
    entry(name, nr, NONE, NONE, (AUX_INT_PAIR, arg), 0)
}

use libc::*;

/// Every syscall with a decoder, in the order.
pub const CAPTURED_SYSCALLS: &[CapturedSyscall] = &[
    // process
    plain("clone", SYS_clone),
    plain("clone3", SYS_clone3),
    plain("fork", SYS_fork),
    plain("vfork", SYS_vfork),
    entry(
        "execve",
        SYS_execve,
        str_arg(0),
        NONE,
        (AUX_NONE, 0),
        SPEC_FAILURES_ONLY,
    ),
    entry(
        "execveat",
        SYS_execveat,
        str_arg(1),
        NONE,
        (AUX_NONE, 0),
        SPEC_FAILURES_ONLY,
    ),
    path1("chdir", SYS_chdir, 0),
    plain("fchdir", SYS_fchdir),
    // files
    path1("open", SYS_open, 0),
    path1("openat", SYS_openat, 1),
    entry(
        "openat2",
        SYS_openat2,
        str_arg(1),
        NONE,
        (AUX_OPEN_HOW, 2),
        0,
    ),
    path1("creat", SYS_creat, 0),
    plain("close", SYS_close),
    path2("rename", SYS_rename, 0, 1),
    path2("renameat", SYS_renameat, 1, 3),
    path2("renameat2", SYS_renameat2, 1, 3),
    path1("unlink", SYS_unlink, 0),
    path1("unlinkat", SYS_unlinkat, 1),
    path1("mkdir", SYS_mkdir, 0),
    path1("mkdirat", SYS_mkdirat, 1),
    path1("rmdir", SYS_rmdir, 0),
    path2("symlink", SYS_symlink, 0, 1),
    path2("symlinkat", SYS_symlinkat, 0, 2),
    path2("link", SYS_link, 0, 1),
    path2("linkat", SYS_linkat, 1, 3),
    path1("chmod", SYS_chmod, 0),
    plain("fchmod", SYS_fchmod),
    path1("fchmodat", SYS_fchmodat, 1),
    path1("fchmodat2", SYS_fchmodat2, 1),
    path1("chown", SYS_chown, 0),
    plain("fchown", SYS_fchown),
    path1("lchown", SYS_lchown, 0),
    path1("fchownat", SYS_fchownat, 1),
    path1("truncate", SYS_truncate, 0),
    plain("ftruncate", SYS_ftruncate),
    plain("dup", SYS_dup),
    plain("dup2", SYS_dup2),
    plain("dup3", SYS_dup3),
    plain("fcntl", SYS_fcntl),
    fd_pair("pipe", SYS_pipe, 0),
    fd_pair("pipe2", SYS_pipe2, 0),
    path1("memfd_create", SYS_memfd_create, 0),
    // network
    plain("socket", SYS_socket),
    fd_pair("socketpair", SYS_socketpair, 3),
    sockaddr_in("connect", SYS_connect, 1, 2),
    entry(
        "accept",
        SYS_accept,
        (CAP_SOCKADDR_OUT, 1, 2),
        NONE,
        (AUX_NONE, 0),
        0,
    ),
    entry(
        "accept4",
        SYS_accept4,
        (CAP_SOCKADDR_OUT, 1, 2),
        NONE,
        (AUX_NONE, 0),
        0,
    ),
    sockaddr_in("bind", SYS_bind, 1, 2),
    plain("listen", SYS_listen),
    sockaddr_in("sendto", SYS_sendto, 4, 5),
    // credentials
    plain("setuid", SYS_setuid),
    plain("setgid", SYS_setgid),
    plain("setreuid", SYS_setreuid),
    plain("setregid", SYS_setregid),
    plain("setresuid", SYS_setresuid),
    plain("setresgid", SYS_setresgid),
    plain("capset", SYS_capset),
    // system
    plain("ptrace", SYS_ptrace),
    path2("mount", SYS_mount, 0, 1),
    CapturedSyscall {
        tracepoint: "umount",
        ..path1("umount2", SYS_umount2, 0)
    },
    plain("setns", SYS_setns),
    plain("unshare", SYS_unshare),
    plain("kill", SYS_kill),
    plain("tkill", SYS_tkill),
    plain("tgkill", SYS_tgkill),
    plain("bpf", SYS_bpf),
    plain("init_module", SYS_init_module),
    plain("finit_module", SYS_finit_module),
    // data: only when a rule needs it
    data("read", SYS_read),
    data("write", SYS_write),
    data("pread64", SYS_pread64),
    data("pwrite64", SYS_pwrite64),
];

/// The decoder entry of a syscall number.
pub fn captured(nr: i64) -> Option<&'static CapturedSyscall> {
    CAPTURED_SYSCALLS.iter().find(|c| c.nr == nr)
}

/// The syscalls that state tracking needs whatever the rules say (fd table, cwd, processes).
pub const STATE_SYSCALLS: &[i64] = &[
    SYS_clone,
    SYS_clone3,
    SYS_fork,
    SYS_vfork,
    SYS_execve,
    SYS_execveat,
    SYS_chdir,
    SYS_fchdir,
    SYS_open,
    SYS_openat,
    SYS_openat2,
    SYS_creat,
    SYS_close,
    SYS_dup,
    SYS_dup2,
    SYS_dup3,
    SYS_fcntl,
    SYS_pipe,
    SYS_pipe2,
    SYS_socket,
    SYS_socketpair,
    SYS_connect,
    SYS_accept,
    SYS_accept4,
    SYS_bind,
    SYS_memfd_create,
];

/// The spec of a syscall in a tracer's capture (`saker trace --ebpf`): the kernel copies the
/// memory that strace's argument decoders read ([`saker_syscalls::memory_args`], the first
/// [`BLOBS`]: a record has that many blobs) instead of what the rules need. Built once: the
/// decoder of every record looks it up.
pub(crate) fn tracer_spec(nr: i64) -> SyscallSpec {
    static SPECS: OnceLock<Vec<SyscallSpec>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        (0..i64::from(MAX_SYSCALLS))
            .map(build_tracer_spec)
            .collect()
    });
    usize::try_from(nr)
        .ok()
        .and_then(|i| specs.get(i).copied())
        .unwrap_or_else(|| build_tracer_spec(nr))
}

fn build_tracer_spec(nr: i64) -> SyscallSpec {
    let mut spec = captured(nr).map_or_else(raw_only_spec, |c| c.spec);
    spec.cap_kind = [CAP_NONE; BLOBS];
    spec.cap_arg = [0; BLOBS];
    spec.cap_len_arg = [0; BLOBS];
    spec.cap_size = [0; BLOBS];
    spec.aux_kind = AUX_NONE;
    spec.aux_arg = 0;
    spec.aux_size = 0;
    if [SYS_sendto, SYS_recvfrom, SYS_sendmsg, SYS_recvmsg].contains(&nr) {
        // Their data is decoded as netlink messages on a netlink socket.
        spec.flags |= SPEC_SOCKET_FD;
    }
    let Ok(nr) = u64::try_from(nr) else {
        return spec;
    };
    let memory = saker_syscalls::memory_args(nr);
    // A value the call rewrites is kept at its entry, into the record's aux words.
    for arg in &memory {
        if let MemoryArg::AtEntry { arg, size } = *arg {
            (spec.aux_kind, spec.aux_arg) = (AUX_ENTRY, arg);
            spec.aux_size = size.min(16);
        }
    }
    let copied = memory
        .iter()
        .filter(|arg| !matches!(arg, MemoryArg::AtEntry { .. }));
    for (slot, arg) in copied.take(BLOBS).enumerate() {
        let (kind, at, len_arg, size) = match *arg {
            MemoryArg::String { arg } => (CAP_STR, arg, 0, 0),
            MemoryArg::Fixed { arg, size } => (CAP_MEM, arg, 0, size),
            MemoryArg::Counted { arg, count, size } => (CAP_MEM_COUNT, arg, count, size),
            MemoryArg::Returned { arg, size } => (CAP_MEM_RET, arg, 0, size),
            MemoryArg::Bits { arg, count } => (CAP_MEM_BITS, arg, count, 0),
            MemoryArg::LengthAt { arg, len, size } => (CAP_MEM_LEN_AT, arg, len, size),
            MemoryArg::Behind {
                arg,
                ptr_at,
                count_at,
                count_width,
                size,
            } => {
                // Packed as SAKER_CAP_MEM_DEREF reads them (capture.h).
                let width = match count_width {
                    2 => 0,
                    4 => 1,
                    _ => 2,
                };
                let how = u16::from(ptr_at) << 8 | width << 6 | u16::from(size & 63);
                (CAP_MEM_DEREF, arg, count_at, how)
            }
            MemoryArg::DataIn { arg, len } => (CAP_DATA_LEN, arg, len, 0),
            MemoryArg::DataOut { arg } => (CAP_DATA_RET, arg, 0, 0),
            MemoryArg::SockaddrIn { arg, len } => (CAP_SOCKADDR_IN, arg, len, 0),
            MemoryArg::SockaddrOut { arg, len } => (CAP_SOCKADDR_OUT, arg, len, 0),
            MemoryArg::IovecData { arg, count, filled } => {
                let kind = if filled { CAP_IOV_OUT } else { CAP_IOV_IN };
                (kind, arg, count, 0)
            }
            MemoryArg::IoctlArg {
                arg,
                request,
                otherwise,
            } => (CAP_IOC, arg, request, otherwise),
            MemoryArg::AtEntry { .. } => continue,
            MemoryArg::MsgIovecs { arg, filled } => {
                let kind = if filled {
                    CAP_MSG_IOV_OUT
                } else {
                    CAP_MSG_IOV_IN
                };
                (kind, arg, 0, 0)
            }
        };
        spec.cap_kind[slot] = kind;
        spec.cap_arg[slot] = at;
        spec.cap_len_arg[slot] = len_arg;
        spec.cap_size[slot] = size;
    }
    spec
}

/// The spec written for a syscall without a decoder (dispatcher modes): raw args only.
pub(crate) fn raw_only_spec() -> SyscallSpec {
    SyscallSpec {
        flags: SPEC_INTERESTING,
        ..SyscallSpec::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn table_has_unique_numbers_and_names() {
        let nrs: BTreeSet<i64> = CAPTURED_SYSCALLS.iter().map(|c| c.nr).collect();
        let names: BTreeSet<&str> = CAPTURED_SYSCALLS.iter().map(|c| c.name).collect();
        assert_eq!(nrs.len(), CAPTURED_SYSCALLS.len());
        assert_eq!(names.len(), CAPTURED_SYSCALLS.len());
        assert!(
            nrs.iter()
                .all(|&nr| (0..i64::from(crate::raw::MAX_SYSCALLS)).contains(&nr))
        );
    }

    #[test]
    fn arguments_name_registers() {
        for c in CAPTURED_SYSCALLS {
            assert!(
                c.spec
                    .cap_arg
                    .iter()
                    .chain(&c.spec.cap_len_arg)
                    .all(|&a| a < 6),
                "{}",
                c.name
            );
            assert!(c.spec.aux_arg < 6, "{}", c.name);
        }
    }

    /// A tracer's spec packs where an array behind a struct pointer is as the kernel side
    /// reads it (SAKER_CAP_MEM_DEREF): clone3's set_tid, the pointer at 64, a u64 count at 72,
    /// 4-byte elements; and keeps an in/out value for the entry (accept4's address length).
    #[test]
    fn tracer_specs_pack_pointers_and_entry_values() {
        let clone3 = tracer_spec(SYS_clone3);
        assert_eq!(clone3.cap_kind[1], crate::raw::CAP_MEM_DEREF);
        assert_eq!(
            (clone3.cap_arg[1], clone3.cap_len_arg[1], clone3.cap_size[1]),
            (0, 72, 64 << 8 | 2 << 6 | 4)
        );
        let accept4 = tracer_spec(SYS_accept4);
        assert_eq!(
            (accept4.aux_kind, accept4.aux_arg, accept4.aux_size),
            (crate::raw::AUX_ENTRY, 2, 4)
        );
        assert_eq!(&accept4.cap_kind[..2], &[CAP_SOCKADDR_OUT, CAP_MEM]);
    }

    #[test]
    fn state_syscalls_all_have_decoders() {
        for nr in STATE_SYSCALLS {
            assert!(captured(*nr).is_some(), "{nr}");
        }
    }

    #[test]
    fn tracepoints_exist_for_the_table_when_tracefs_is_mounted() {
        let dir = std::path::Path::new("/sys/kernel/tracing/events/syscalls");
        if !dir.exists() {
            eprintln!(
                "SKIPPED: {} is missing (tracefs not mounted)",
                dir.display()
            );
            return;
        }
        let missing: Vec<&str> = CAPTURED_SYSCALLS
            .iter()
            .map(|c| c.tracepoint)
            .filter(|n| !dir.join(format!("sys_exit_{n}")).exists())
            .collect();
        // A kernel without CONFIG_MODULES (this one) has no module syscalls at all.
        let expected: &[&str] = if std::path::Path::new("/proc/modules").exists() {
            &[]
        } else {
            &["init_module", "finit_module"]
        };
        assert_eq!(missing, expected, "syscalls without a tracepoint");
    }
}
