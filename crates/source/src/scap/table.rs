//! The libscap event table: what each event type is called and what its parameters are, read
//! once from `events.txt` (see its header), plus the flag names the printer uses.

use std::sync::OnceLock;

/// How a parameter's bytes are read and printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    Fd,
    Pid,
    Errno,
    Int {
        bytes: u8,
        signed: bool,
        fmt: NumFmt,
    },
    FsPath,
    /// A path relative to the dirfd of parameter `dirfd`.
    FsRelPath {
        dirfd: u8,
    },
    CharBuf,
    ByteBuf,
    SockAddr,
    SockTuple,
    FdList,
    SyscallId,
    SigType,
    SigSet,
    RelTime,
    AbsTime,
    Uid,
    Gid,
    Dyn,
    Flags {
        bytes: u8,
        table: Option<&'static [(&'static str, u32)]>,
    },
    Mode {
        table: &'static [(&'static str, u32)],
    },
    CharBufArray,
    PairArray,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumFmt {
    Dec,
    Hex,
    Oct,
}

#[derive(Clone, Debug)]
pub struct ParamInfo {
    pub name: String,
    pub ty: ParamType,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Category {
    Other,
    File,
    Io,
    Net,
    Ipc,
    Memory,
    Process,
    Signal,
    Sleep,
    Wait,
    Time,
    User,
    Scheduler,
    System,
    Internal,
}

#[derive(Clone, Debug)]
pub struct EventInfo {
    pub name: String,
    pub category: Category,
    /// Parameter lengths are 4 bytes instead of 2.
    pub large_payload: bool,
    pub unused: bool,
    pub old_version: bool,
    pub params: Vec<ParamInfo>,
}

const EVENTS: &str = include_str!("events.txt");

/// The number of event types Saker (and sysdig 0.29) know; events of a higher type are
/// skipped with a count.
pub fn event_count() -> usize {
    table().len()
}

/// The event type's description, `None` for a type not in the table.
pub fn info(kind: u16) -> Option<&'static EventInfo> {
    table().get(usize::from(kind))
}

fn table() -> &'static Vec<EventInfo> {
    static TABLE: OnceLock<Vec<EventInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = Vec::new();
        for line in EVENTS.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            let num: usize = words
                .next()
                .and_then(|n| n.parse().ok())
                .expect("event number");
            assert_eq!(num, out.len(), "events.txt: event numbers are consecutive");
            let name = words.next().expect("event name").to_string();
            let category = category(words.next().expect("category"));
            let flags = words.next().unwrap_or("-");
            let params = words.map(param).collect();
            out.push(EventInfo {
                name,
                category,
                large_payload: flags == "large",
                unused: flags == "unused",
                old_version: flags == "old",
                params,
            });
        }
        out
    })
}

fn category(word: &str) -> Category {
    match word {
        "file" => Category::File,
        "io" => Category::Io,
        "net" => Category::Net,
        "ipc" => Category::Ipc,
        "memory" => Category::Memory,
        "process" => Category::Process,
        "signal" => Category::Signal,
        "sleep" => Category::Sleep,
        "wait" => Category::Wait,
        "time" => Category::Time,
        "user" => Category::User,
        "scheduler" => Category::Scheduler,
        "system" => Category::System,
        "internal" => Category::Internal,
        _ => Category::Other,
    }
}

fn param(word: &str) -> ParamInfo {
    let (name, ty) = word.split_once(':').expect("name:type");
    // The one name with a space, which a whitespace-separated table cannot hold.
    let name = if name == "plugin_ID" {
        "plugin ID".to_string()
    } else {
        name.to_string()
    };
    ParamInfo {
        name,
        ty: param_type(ty),
    }
}

fn param_type(ty: &str) -> ParamType {
    if let Some(n) = ty.strip_prefix("rel@") {
        return ParamType::FsRelPath {
            dirfd: n.parse().expect("dirfd index"),
        };
    }
    if let Some(rest) = ty.strip_prefix("mode=") {
        return ParamType::Mode {
            table: flag_table(rest).expect("mode table"),
        };
    }
    if let Some(rest) = ty.strip_prefix('f') {
        let (bits, table) = match rest.split_once('=') {
            Some((bits, table)) => (bits, flag_table(table)),
            None => (rest, None),
        };
        if let Ok(bits) = bits.parse::<u8>() {
            return ParamType::Flags {
                bytes: bits / 8,
                table,
            };
        }
    }
    match ty {
        "fd" => ParamType::Fd,
        "pid" => ParamType::Pid,
        "errno" => ParamType::Errno,
        "fspath" => ParamType::FsPath,
        "charbuf" => ParamType::CharBuf,
        "bytebuf" => ParamType::ByteBuf,
        "sockaddr" => ParamType::SockAddr,
        "socktuple" => ParamType::SockTuple,
        "fdlist" => ParamType::FdList,
        "syscallid" => ParamType::SyscallId,
        "sigtype" => ParamType::SigType,
        "sigset" => ParamType::SigSet,
        "reltime" => ParamType::RelTime,
        "abstime" => ParamType::AbsTime,
        "uid" => ParamType::Uid,
        "gid" => ParamType::Gid,
        "dyn" => ParamType::Dyn,
        "charbufarray" => ParamType::CharBufArray,
        "pairarray" => ParamType::PairArray,
        _ => {
            let signed = ty.starts_with('i');
            let fmt = match ty.chars().last() {
                Some('x') => NumFmt::Hex,
                Some('o') => NumFmt::Oct,
                _ => NumFmt::Dec,
            };
            let bits: u8 = ty[1..]
                .trim_end_matches(['x', 'o'])
                .parse()
                .unwrap_or_else(|_| panic!("events.txt: unknown type {ty}"));
            ParamType::Int {
                bytes: bits / 8,
                signed,
                fmt,
            }
        }
    }
}

/// Flag names in the order the printer tries them (libscap's `flags_table.c`): the first
/// names that match are printed, and a value equal to a whole entry prints that entry.
fn flag_table(name: &str) -> Option<&'static [(&'static str, u32)]> {
    Some(match name {
        "file" => FILE_FLAGS,
        "socket_families" => SOCKET_FAMILIES,
        "clone" => CLONE_FLAGS,
        "futex" => FUTEX_OPERATIONS,
        "prot" => PROT_FLAGS,
        "mmap" => MMAP_FLAGS,
        "access" => ACCESS_FLAGS,
        "fcntl_commands" => FCNTL_COMMANDS,
        "lseek_whence" => LSEEK_WHENCE,
        "shutdown_how" => SHUTDOWN_HOW,
        "rlimit_resources" => RLIMIT_RESOURCES,
        "unlinkat" => UNLINKAT_FLAGS,
        "linkat" => LINKAT_FLAGS,
        "chmod" => CHMOD_MODE,
        "renameat2" => RENAMEAT2_FLAGS,
        "mount" => MOUNT_FLAGS,
        "umount" => UMOUNT_FLAGS,
        "sockopt_levels" => SOCKOPT_LEVELS,
        "flock" => FLOCK_FLAGS,
        _ => return None,
    })
}

const fn bit(n: u32) -> u32 {
    1 << n
}

pub const FILE_FLAGS: &[(&str, u32)] = &[
    ("O_LARGEFILE", bit(11)),
    ("O_DIRECTORY", bit(10)),
    ("O_DIRECT", bit(9)),
    ("O_TRUNC", bit(8)),
    ("O_SYNC", bit(7)),
    ("O_NONBLOCK", bit(6)),
    ("O_EXCL", bit(5)),
    ("O_DSYNC", bit(4)),
    ("O_APPEND", bit(3)),
    ("O_CREAT", bit(2)),
    ("O_RDWR", 3),
    ("O_WRONLY", bit(1)),
    ("O_RDONLY", bit(0)),
    ("O_CLOEXEC", bit(12)),
    ("O_NONE", 0),
    ("O_TMPFILE", bit(13)),
];

const SOCKET_FAMILIES: &[(&str, u32)] = &[
    ("AF_NETLINK", 16),
    ("AF_PACKET", 17),
    ("AF_INET6", 10),
    ("AF_INET", 2),
    ("AF_LOCAL", 1),
    ("AF_UNIX", 1),
    ("AF_UNSPEC", 0),
];

pub const CLONE_FLAGS: &[(&str, u32)] = &[
    ("CLONE_FILES", bit(0)),
    ("CLONE_FS", bit(1)),
    ("CLONE_IO", bit(2)),
    ("CLONE_NEWIPC", bit(3)),
    ("CLONE_NEWNET", bit(4)),
    ("CLONE_NEWNS", bit(5)),
    ("CLONE_NEWPID", bit(6)),
    ("CLONE_NEWUTS", bit(7)),
    ("CLONE_PARENT", bit(8)),
    ("CLONE_PARENT_SETTID", bit(9)),
    ("CLONE_PTRACE", bit(10)),
    ("CLONE_SIGHAND", bit(11)),
    ("CLONE_SYSVSEM", bit(12)),
    ("CLONE_THREAD", bit(13)),
    ("CLONE_UNTRACED", bit(14)),
    ("CLONE_VM", bit(15)),
    ("CLONE_INVERTED", bit(16)),
    ("NAME_CHANGED", bit(17)),
    ("CLOSED", bit(18)),
    ("CLONE_NEWUSER", bit(20)),
    ("CLONE_CHILD_CLEARTID", bit(23)),
    ("CLONE_CHILD_SETTID", bit(24)),
    ("CLONE_SETTLS", bit(25)),
    ("CLONE_STOPPED", bit(26)),
    ("CLONE_VFORK", bit(27)),
    ("CLONE_NEWCGROUP", bit(28)),
];

const FUTEX_OPERATIONS: &[(&str, u32)] = &[
    ("FUTEX_CLOCK_REALTIME", 256),
    ("FUTEX_PRIVATE_FLAG", 128),
    ("FUTEX_CMP_REQUEUE_PI", 12),
    ("FUTEX_WAIT_REQUEUE_PI", 11),
    ("FUTEX_WAKE_BITSET", 10),
    ("FUTEX_WAIT_BITSET", 9),
    ("FUTEX_TRYLOCK_PI", 8),
    ("FUTEX_UNLOCK_PI", 7),
    ("FUTEX_LOCK_PI", 6),
    ("FUTEX_WAKE_OP", 5),
    ("FUTEX_CMP_REQUEUE", 4),
    ("FUTEX_REQUEUE", 3),
    ("FUTEX_FD", 2),
    ("FUTEX_WAKE", 1),
    ("FUTEX_WAIT", 0),
];

const PROT_FLAGS: &[(&str, u32)] = &[
    ("PROT_READ", bit(0)),
    ("PROT_WRITE", bit(1)),
    ("PROT_EXEC", bit(2)),
    ("PROT_SEM", bit(3)),
    ("PROT_GROWSDOWN", bit(4)),
    ("PROT_GROWSUP", bit(5)),
    ("PROT_SAO", bit(6)),
    ("PROT_NONE", 0),
];

const MMAP_FLAGS: &[(&str, u32)] = &[
    ("MAP_SHARED", bit(0)),
    ("MAP_PRIVATE", bit(1)),
    ("MAP_FIXED", bit(2)),
    ("MAP_ANONYMOUS", bit(3)),
    ("MAP_32BIT", bit(4)),
    ("MAP_RENAME", bit(5)),
    ("MAP_NORESERVE", bit(6)),
    ("MAP_POPULATE", bit(7)),
    ("MAP_NONBLOCK", bit(8)),
    ("MAP_GROWSDOWN", bit(9)),
    ("MAP_DENYWRITE", bit(10)),
    ("MAP_EXECUTABLE", bit(11)),
    ("MAP_INHERIT", bit(12)),
    ("MAP_FILE", bit(13)),
    ("MAP_LOCKED", bit(14)),
];

const ACCESS_FLAGS: &[(&str, u32)] = &[
    ("F_OK", 0),
    ("R_OK", bit(2)),
    ("W_OK", bit(1)),
    ("X_OK", bit(0)),
];

const FCNTL_COMMANDS: &[(&str, u32)] = &[
    ("F_GETPIPE_SZ", 29),
    ("F_SETPIPE_SZ", 28),
    ("F_NOTIFY", 27),
    ("F_DUPFD_CLOEXEC", 26),
    ("F_CANCELLK", 25),
    ("F_GETLEASE", 24),
    ("F_SETLEASE", 23),
    ("F_GETOWN_EX", 22),
    ("F_SETOWN_EX", 21),
    ("F_SETLKW64", 19),
    ("F_SETLK64", 18),
    ("F_GETLK64", 17),
    ("F_GETSIG", 15),
    ("F_SETSIG", 13),
    ("F_GETOWN", 12),
    ("F_SETOWN", 10),
    ("F_SETLKW", 9),
    ("F_SETLK", 8),
    ("F_GETLK", 6),
    ("F_SETFL", 5),
    ("F_GETFL", 4),
    ("F_SETFD", 3),
    ("F_GETFD", 2),
    ("F_DUPFD", 1),
    ("F_OFD_GETLK", 30),
    ("F_OFD_SETLK", 31),
    ("F_OFD_SETLKW", 32),
    ("UNKNOWN", 0),
];

const LSEEK_WHENCE: &[(&str, u32)] = &[("SEEK_END", 2), ("SEEK_CUR", 1), ("SEEK_SET", 0)];

const SHUTDOWN_HOW: &[(&str, u32)] = &[("SHUT_RDWR", 2), ("SHUT_WR", 1), ("SHUT_RD", 0)];

const RLIMIT_RESOURCES: &[(&str, u32)] = &[
    ("RLIMIT_UNKNOWN", 255),
    ("RLIMIT_RTTIME", 15),
    ("RLIMIT_RTPRIO", 14),
    ("RLIMIT_NICE", 13),
    ("RLIMIT_MSGQUEUE", 12),
    ("RLIMIT_SIGPENDING", 11),
    ("RLIMIT_LOCKS", 10),
    ("RLIMIT_AS", 9),
    ("RLIMIT_MEMLOCK", 8),
    ("RLIMIT_NOFILE", 7),
    ("RLIMIT_NPROC", 6),
    ("RLIMIT_RSS", 5),
    ("RLIMIT_CORE", 4),
    ("RLIMIT_STACK", 3),
    ("RLIMIT_DATA", 2),
    ("RLIMIT_FSIZE", 1),
    ("RLIMIT_CPU", 0),
];

const UNLINKAT_FLAGS: &[(&str, u32)] = &[("AT_REMOVEDIR", 0x200)];

const LINKAT_FLAGS: &[(&str, u32)] = &[("AT_SYMLINK_FOLLOW", 0x400), ("AT_EMPTY_PATH", 0x1000)];

const CHMOD_MODE: &[(&str, u32)] = &[
    ("S_IXOTH", bit(0)),
    ("S_IWOTH", bit(1)),
    ("S_IROTH", bit(2)),
    ("S_IXGRP", bit(3)),
    ("S_IWGRP", bit(4)),
    ("S_IRGRP", bit(5)),
    ("S_IXUSR", bit(6)),
    ("S_IWUSR", bit(7)),
    ("S_IRUSR", bit(8)),
    ("S_ISVTX", bit(9)),
    ("S_ISGID", bit(10)),
    ("S_ISUID", bit(11)),
];

const RENAMEAT2_FLAGS: &[(&str, u32)] = &[
    ("RENAME_NOREPLACE", bit(0)),
    ("RENAME_EXCHANGE", bit(1)),
    ("RENAME_WHITEOUT", bit(2)),
];

const MOUNT_FLAGS: &[(&str, u32)] = &[
    ("RDONLY", bit(0)),
    ("NOSUID", bit(1)),
    ("NODEV", bit(2)),
    ("NOEXEC", bit(3)),
    ("SYNCHRONOUS", bit(4)),
    ("REMOUNT", bit(5)),
    ("MANDLOCK", bit(6)),
    ("DIRSYNC", bit(7)),
    ("NOATIME", bit(10)),
    ("NODIRATIME", bit(11)),
    ("BIND", bit(12)),
    ("MOVE", bit(13)),
    ("REC", bit(14)),
    ("SILENT", bit(15)),
    ("POSIXACL", bit(16)),
    ("UNBINDABLE", bit(17)),
    ("PRIVATE", bit(18)),
    ("SLAVE", bit(19)),
    ("SHARED", bit(20)),
    ("RELATIME", bit(21)),
    ("KERNMOUNT", bit(22)),
    ("I_VERSION", bit(23)),
    ("STRICTATIME", bit(24)),
    ("LAZYTIME", bit(25)),
    ("NOSEC", bit(28)),
    ("BORN", bit(29)),
    ("ACTIVE", bit(30)),
    ("NOUSER", bit(31)),
];

const UMOUNT_FLAGS: &[(&str, u32)] = &[("FORCE", 1), ("DETACH", 2), ("EXPIRE", 4), ("NOFOLLOW", 8)];

const SOCKOPT_LEVELS: &[(&str, u32)] = &[("SOL_SOCKET", 1), ("SOL_TCP", 2), ("UNKNOWN", 0)];

const FLOCK_FLAGS: &[(&str, u32)] = &[
    ("LOCK_SH", bit(0)),
    ("LOCK_EX", bit(1)),
    ("LOCK_NB", bit(2)),
    ("LOCK_UN", bit(3)),
    ("LOCK_NONE", 0),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_numbers_match_libscap() {
        assert_eq!(event_count(), 336);
        let cases = [
            (3, "open", 5),
            (23, "connect", 2),
            (186, "procexit", 4),
            (293, "execve", 20),
            (307, "openat", 6),
            (324, "container", 1),
            (335, "clone3", 20),
        ];
        for (kind, name, nparams) in cases {
            let info = info(kind).unwrap();
            assert_eq!((info.name.as_str(), info.params.len()), (name, nparams));
        }
        assert!(info(324).unwrap().large_payload);
        assert!(info(336).is_none());
    }
}

const PPM_SC: &str = include_str!("ppm_sc.txt");

fn ppm_sc_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        PPM_SC
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

/// The syscall a generic event's `ID` names.
pub fn ppm_sc_name(code: u16) -> Option<&'static str> {
    ppm_sc_names().get(usize::from(code)).copied()
}

/// The `ID` of a syscall for a generic event (0: unknown).
pub fn ppm_sc_code(name: &str) -> u16 {
    ppm_sc_names()
        .iter()
        .position(|n| *n == name)
        .map_or(0, |i| i as u16)
}

#[cfg(test)]
mod ppm_sc_tests {
    use super::*;

    #[test]
    fn syscall_codes() {
        assert_eq!(ppm_sc_name(75), Some("mprotect"));
        assert_eq!(ppm_sc_name(176), Some("clock_gettime"));
        assert_eq!(ppm_sc_code("clone3"), 328);
        assert_eq!(ppm_sc_names().len(), 329);
    }
}

/// Enter events have even numbers, their exits the next odd one.
pub fn is_enter(kind: u16) -> bool {
    kind.is_multiple_of(2)
}
