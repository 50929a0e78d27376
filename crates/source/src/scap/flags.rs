//! The `.scap` format's own flag encodings (open flags, clone flags, fcntl commands and
//! ptrace requests are numbered differently from Linux's) to and from Linux's, for the values
//! Saker's rules and state look at. The format's numbers come from flags.txt (what sysdig
//! prints, see [`table::flag_table`]), Linux's from libc: the two meet by name.

use std::sync::OnceLock;

use super::table;

/// `(format value, Linux value)` for each name both know, in the table's order.
type Pairs = Vec<(u32, u64)>;

/// Pairs a flags table's entries with Linux's values of the same names.
fn pairs(table_name: &str, linux: &[(&str, u64)]) -> Pairs {
    let entries = table::flag_table(table_name).expect("flags.txt has the table");
    linux
        .iter()
        .map(|&(name, linux_value)| {
            let (_, value) = entries
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("flags.txt [{table_name}] has no {name}"));
            (*value, linux_value)
        })
        .collect()
}

/// Linux's open flags beyond the access mode, by name.
fn open_pairs() -> &'static Pairs {
    static PAIRS: OnceLock<Pairs> = OnceLock::new();
    PAIRS.get_or_init(|| {
        pairs(
            "file",
            &[
                ("O_CREAT", libc::O_CREAT as u64),
                ("O_APPEND", libc::O_APPEND as u64),
                ("O_DSYNC", libc::O_DSYNC as u64),
                ("O_EXCL", libc::O_EXCL as u64),
                ("O_NONBLOCK", libc::O_NONBLOCK as u64),
                ("O_SYNC", libc::O_SYNC as u64),
                ("O_TRUNC", libc::O_TRUNC as u64),
                ("O_DIRECT", libc::O_DIRECT as u64),
                ("O_DIRECTORY", libc::O_DIRECTORY as u64),
                ("O_LARGEFILE", libc::O_LARGEFILE as u64),
                ("O_CLOEXEC", libc::O_CLOEXEC as u64),
                ("O_TMPFILE", libc::O_TMPFILE as u64),
            ],
        )
    })
}

/// The format's access-mode values (`O_RDONLY`, `O_WRONLY`, `O_RDWR`).
fn access_modes() -> (u32, u32, u32) {
    static MODES: OnceLock<(u32, u32, u32)> = OnceLock::new();
    *MODES.get_or_init(|| {
        let p = pairs("file", &[("O_RDONLY", 0), ("O_WRONLY", 1), ("O_RDWR", 2)]);
        (p[0].0, p[1].0, p[2].0)
    })
}

/// Format open flags -> Linux `open(2)` flags.
pub fn open_to_linux(ppm: u32) -> u64 {
    let (_, wronly, rdwr) = access_modes();
    let mut out = if ppm & rdwr == rdwr {
        libc::O_RDWR as u64
    } else if ppm & wronly != 0 {
        libc::O_WRONLY as u64
    } else {
        libc::O_RDONLY as u64
    };
    for &(bit, linux) in open_pairs() {
        if ppm & bit != 0 {
            out |= linux;
        }
    }
    out
}

/// Linux `open(2)` flags -> format open flags.
pub fn open_from_linux(linux: u64) -> u32 {
    let (rdonly, wronly, rdwr) = access_modes();
    let mut out = match linux & libc::O_ACCMODE as u64 {
        m if m == libc::O_WRONLY as u64 => wronly,
        m if m == libc::O_RDWR as u64 => rdwr,
        _ => rdonly,
    };
    for &(bit, flag) in open_pairs() {
        if linux & flag == flag {
            out |= bit;
        }
    }
    // O_SYNC holds O_DSYNC's bit and O_TMPFILE O_DIRECTORY's: keep only the larger name.
    let bit_of = |flag: i32| {
        open_pairs()
            .iter()
            .find(|(_, l)| *l == flag as u64)
            .map_or(0, |(b, _)| *b)
    };
    if linux & libc::O_SYNC as u64 == libc::O_SYNC as u64 {
        out &= !bit_of(libc::O_DSYNC);
    }
    if linux & libc::O_TMPFILE as u64 == libc::O_TMPFILE as u64 {
        out &= !bit_of(libc::O_DIRECTORY);
    }
    out
}

/// Linux's clone, unshare and setns flags, by name.
fn clone_pairs() -> &'static Pairs {
    static PAIRS: OnceLock<Pairs> = OnceLock::new();
    PAIRS.get_or_init(|| {
        pairs(
            "clone",
            &[
                ("CLONE_FILES", libc::CLONE_FILES as u64),
                ("CLONE_FS", libc::CLONE_FS as u64),
                ("CLONE_IO", libc::CLONE_IO as u32 as u64),
                ("CLONE_NEWIPC", libc::CLONE_NEWIPC as u64),
                ("CLONE_NEWNET", libc::CLONE_NEWNET as u64),
                ("CLONE_NEWNS", libc::CLONE_NEWNS as u64),
                ("CLONE_NEWPID", libc::CLONE_NEWPID as u64),
                ("CLONE_NEWUTS", libc::CLONE_NEWUTS as u64),
                ("CLONE_PARENT", libc::CLONE_PARENT as u64),
                ("CLONE_PARENT_SETTID", libc::CLONE_PARENT_SETTID as u64),
                ("CLONE_PTRACE", libc::CLONE_PTRACE as u64),
                ("CLONE_SIGHAND", libc::CLONE_SIGHAND as u64),
                ("CLONE_SYSVSEM", libc::CLONE_SYSVSEM as u64),
                ("CLONE_THREAD", libc::CLONE_THREAD as u64),
                ("CLONE_UNTRACED", libc::CLONE_UNTRACED as u64),
                ("CLONE_VM", libc::CLONE_VM as u64),
                ("CLONE_NEWUSER", libc::CLONE_NEWUSER as u64),
                ("CLONE_CHILD_CLEARTID", libc::CLONE_CHILD_CLEARTID as u64),
                ("CLONE_CHILD_SETTID", libc::CLONE_CHILD_SETTID as u64),
                ("CLONE_SETTLS", libc::CLONE_SETTLS as u64),
                ("CLONE_VFORK", libc::CLONE_VFORK as u64),
                ("CLONE_NEWCGROUP", libc::CLONE_NEWCGROUP as u64),
            ],
        )
    })
}

/// The format's flag of a clone whose child is in a pid namespace other than the host's
/// (libsinsp's own bit: sysdig prints no name for it, so flags.txt cannot list it).
pub const CHILD_IN_PIDNS: u32 = 1 << 29;

/// The format's flag of an execve whose executable is in an overlayfs upper layer (libs'
/// PPM_EXE_UPPER_LAYER; Debian's sysdig 0.29 predates it, so flags.txt cannot list it).
pub const EXE_UPPER_LAYER: u32 = 1 << 1;

/// The format's `CLONE_THREAD` bit.
pub fn clone_thread() -> u32 {
    clone_from_linux(libc::CLONE_THREAD as u64)
}

pub fn clone_to_linux(ppm: u32) -> u64 {
    clone_pairs()
        .iter()
        .filter(|(bit, _)| ppm & bit != 0)
        .fold(0, |acc, (_, linux)| acc | linux)
}

pub fn clone_from_linux(linux: u64) -> u32 {
    clone_pairs()
        .iter()
        .filter(|(_, flag)| linux & flag != 0)
        .fold(0, |acc, (bit, _)| acc | bit)
}

/// Linux's fcntl commands that Saker's state and rules look at, by name.
fn fcntl_pairs() -> &'static Pairs {
    static PAIRS: OnceLock<Pairs> = OnceLock::new();
    PAIRS.get_or_init(|| {
        pairs(
            "fcntl_commands",
            &[
                ("F_DUPFD", libc::F_DUPFD as u64),
                ("F_GETFD", libc::F_GETFD as u64),
                ("F_SETFD", libc::F_SETFD as u64),
                ("F_GETFL", libc::F_GETFL as u64),
                ("F_SETFL", libc::F_SETFL as u64),
                ("F_GETLK", libc::F_GETLK as u64),
                ("F_SETLK", libc::F_SETLK as u64),
                ("F_SETLKW", libc::F_SETLKW as u64),
                ("F_SETOWN", libc::F_SETOWN as u64),
                ("F_GETOWN", libc::F_GETOWN as u64),
                // Linux's values (asm-generic/fcntl.h); the libc crate does not export them.
                ("F_SETSIG", 10),
                ("F_GETSIG", 11),
                ("F_DUPFD_CLOEXEC", libc::F_DUPFD_CLOEXEC as u64),
            ],
        )
    })
}

/// Format fcntl commands that duplicate an fd.
pub fn fcntl_is_dup(ppm_cmd: u8) -> bool {
    [libc::F_DUPFD, libc::F_DUPFD_CLOEXEC]
        .iter()
        .any(|&cmd| fcntl_from_linux(cmd) == ppm_cmd)
}

/// Linux fcntl command -> the format's (0: unknown).
pub fn fcntl_from_linux(cmd: i32) -> u8 {
    fcntl_pairs()
        .iter()
        .find(|(_, linux)| *linux == cmd as u64)
        .map_or(0, |(ppm, _)| *ppm as u8)
}

/// Linux's ptrace requests that rules name, by name.
fn ptrace_pairs() -> &'static Pairs {
    static PAIRS: OnceLock<Pairs> = OnceLock::new();
    PAIRS.get_or_init(|| {
        pairs(
            "ptrace_requests",
            &[
                ("PTRACE_TRACEME", libc::PTRACE_TRACEME as u64),
                ("PTRACE_PEEKTEXT", libc::PTRACE_PEEKTEXT as u64),
                ("PTRACE_PEEKDATA", libc::PTRACE_PEEKDATA as u64),
                ("PTRACE_PEEKUSR", libc::PTRACE_PEEKUSER as u64),
                ("PTRACE_POKETEXT", libc::PTRACE_POKETEXT as u64),
                ("PTRACE_POKEDATA", libc::PTRACE_POKEDATA as u64),
                ("PTRACE_POKEUSR", libc::PTRACE_POKEUSER as u64),
                ("PTRACE_CONT", libc::PTRACE_CONT as u64),
                ("PTRACE_KILL", libc::PTRACE_KILL as u64),
                ("PTRACE_SINGLESTEP", libc::PTRACE_SINGLESTEP as u64),
                ("PTRACE_ATTACH", libc::PTRACE_ATTACH as u64),
                ("PTRACE_DETACH", libc::PTRACE_DETACH as u64),
                ("PTRACE_SYSCALL", libc::PTRACE_SYSCALL as u64),
                ("PTRACE_SETOPTIONS", libc::PTRACE_SETOPTIONS as u64),
                ("PTRACE_SEIZE", libc::PTRACE_SEIZE as u64),
            ],
        )
    })
}

pub fn ptrace_to_linux(ppm: u16) -> i64 {
    ptrace_pairs()
        .iter()
        .find(|(p, _)| *p == u32::from(ppm))
        .map_or(-1, |(_, l)| *l as i64)
}

pub fn ptrace_from_linux(linux: i64) -> u16 {
    ptrace_pairs()
        .iter()
        .find(|(_, l)| *l as i64 == linux)
        .map_or(0, |(p, _)| *p as u16)
}

/// The format's mount flags are Linux's `MS_*` bits (flags.txt's [mount] names them so).
pub fn mount_to_linux(ppm: u32) -> u64 {
    u64::from(ppm)
}

/// The format's socket family numbers are Linux's `AF_*`.
pub fn family(ppm: u32) -> i32 {
    ppm as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_round_trip() {
        for linux in [
            0, 1, 2, 0o101, 0o2000101, 0o1102, 0o200000, 0o4010002, 0o20200002,
        ] {
            assert_eq!(open_to_linux(open_from_linux(linux)), linux, "{linux:o}");
        }
        // O_RDONLY|O_CLOEXEC as sysdig printed it: 4097.
        assert_eq!(open_to_linux(4097), 0o2000000);
    }

    #[test]
    fn clone_flags_round_trip() {
        let linux = 0x0001_0000 | 0x100 | 0x800 | 0x0020_0000;
        assert_eq!(clone_to_linux(clone_from_linux(linux)), linux);
        assert_eq!(clone_thread(), 1 << 13);
    }

    /// The format's numbers as the previous hand-written tables had them (and as sysdig
    /// prints them: flags.txt), reached from Linux's.
    #[test]
    fn commands_and_requests() {
        assert_eq!(fcntl_from_linux(libc::F_DUPFD), 1);
        assert_eq!(fcntl_from_linux(libc::F_DUPFD_CLOEXEC), 26);
        assert!(fcntl_is_dup(26) && !fcntl_is_dup(2));
        assert_eq!(ptrace_from_linux(libc::PTRACE_ATTACH as i64), 11);
        assert_eq!(ptrace_to_linux(20), libc::PTRACE_SEIZE as i64);
        assert_eq!(ptrace_to_linux(37), -1);
    }
}
