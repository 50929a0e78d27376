//! libscap's portable flag encodings (`PPM_O_*`, `PPM_CL_*`, ...) to and from Linux's, for
//! the values Saker's rules and state look at.

/// (PPM bit, Linux bits) for open flags.
const OPEN: &[(u32, u64)] = &[
    (1 << 2, 0o100),       // O_CREAT
    (1 << 3, 0o2000),      // O_APPEND
    (1 << 4, 0o10000),     // O_DSYNC
    (1 << 5, 0o200),       // O_EXCL
    (1 << 6, 0o4000),      // O_NONBLOCK
    (1 << 7, 0o4010000),   // O_SYNC
    (1 << 8, 0o1000),      // O_TRUNC
    (1 << 9, 0o40000),     // O_DIRECT
    (1 << 10, 0o200000),   // O_DIRECTORY
    (1 << 11, 0o100000),   // O_LARGEFILE
    (1 << 12, 0o2000000),  // O_CLOEXEC
    (1 << 13, 0o20200000), // O_TMPFILE
];

const PPM_O_RDONLY: u32 = 1;
const PPM_O_WRONLY: u32 = 2;

/// PPM open flags -> Linux `open(2)` flags.
pub fn open_to_linux(ppm: u32) -> u64 {
    let mut out = match ppm & 3 {
        3 => 2,
        PPM_O_WRONLY => 1,
        _ => 0,
    };
    for &(bit, linux) in OPEN {
        if ppm & bit != 0 {
            out |= linux;
        }
    }
    out
}

/// Linux `open(2)` flags -> PPM open flags.
pub fn open_from_linux(linux: u64) -> u32 {
    let mut out = match linux & 3 {
        1 => PPM_O_WRONLY,
        2 => PPM_O_RDONLY | PPM_O_WRONLY,
        _ => PPM_O_RDONLY,
    };
    for &(bit, flag) in OPEN {
        if linux & flag == flag {
            out |= bit;
        }
    }
    // O_SYNC contains O_DSYNC's bit, O_TMPFILE O_DIRECTORY's: keep only the larger.
    if out & (1 << 7) != 0 {
        out &= !(1 << 4);
    }
    if out & (1 << 13) != 0 {
        out &= !(1 << 10);
    }
    out
}

/// (PPM bit, Linux bit) for clone/unshare/setns flags.
const CLONE: &[(u32, u64)] = &[
    (1 << 0, 0x400),        // CLONE_FILES
    (1 << 1, 0x200),        // CLONE_FS
    (1 << 2, 0x8000_0000),  // CLONE_IO
    (1 << 3, 0x0800_0000),  // CLONE_NEWIPC
    (1 << 4, 0x4000_0000),  // CLONE_NEWNET
    (1 << 5, 0x0002_0000),  // CLONE_NEWNS
    (1 << 6, 0x2000_0000),  // CLONE_NEWPID
    (1 << 7, 0x0400_0000),  // CLONE_NEWUTS
    (1 << 8, 0x8000),       // CLONE_PARENT
    (1 << 9, 0x0010_0000),  // CLONE_PARENT_SETTID
    (1 << 10, 0x2000),      // CLONE_PTRACE
    (1 << 11, 0x800),       // CLONE_SIGHAND
    (1 << 12, 0x0004_0000), // CLONE_SYSVSEM
    (1 << 13, 0x0001_0000), // CLONE_THREAD
    (1 << 14, 0x0080_0000), // CLONE_UNTRACED
    (1 << 15, 0x100),       // CLONE_VM
    (1 << 20, 0x1000_0000), // CLONE_NEWUSER
    (1 << 23, 0x0020_0000), // CLONE_CHILD_CLEARTID
    (1 << 24, 0x0100_0000), // CLONE_CHILD_SETTID
    (1 << 25, 0x0008_0000), // CLONE_SETTLS
    (1 << 27, 0x4000),      // CLONE_VFORK
    (1 << 28, 0x0200_0000), // CLONE_NEWCGROUP
];

pub const PPM_CLONE_THREAD: u32 = 1 << 13;

pub fn clone_to_linux(ppm: u32) -> u64 {
    CLONE
        .iter()
        .filter(|(bit, _)| ppm & bit != 0)
        .fold(0, |acc, (_, linux)| acc | linux)
}

pub fn clone_from_linux(linux: u64) -> u32 {
    CLONE
        .iter()
        .filter(|(_, flag)| linux & flag != 0)
        .fold(0, |acc, (bit, _)| acc | bit)
}

/// PPM fcntl commands that duplicate an fd.
pub fn fcntl_is_dup(ppm_cmd: u8) -> bool {
    matches!(ppm_cmd, 1 | 26)
}

/// Linux fcntl command -> PPM (0: unknown).
pub fn fcntl_from_linux(cmd: i32) -> u8 {
    match cmd {
        0 => 1,
        1 => 2,
        2 => 3,
        3 => 4,
        4 => 5,
        5 => 6,
        6 => 8,
        7 => 9,
        8 => 10,
        9 => 12,
        10 => 13,
        11 => 15,
        1030 => 26,
        _ => 0,
    }
}

/// Linux ptrace request <-> PPM (`PPM_PTRACE_*`), for the requests rules name.
const PTRACE: &[(u16, i64)] = &[
    (1, 0),       // TRACEME
    (2, 1),       // PEEKTEXT
    (3, 2),       // PEEKDATA
    (4, 3),       // PEEKUSR
    (5, 4),       // POKETEXT
    (6, 5),       // POKEDATA
    (7, 6),       // POKEUSR
    (8, 7),       // CONT
    (9, 8),       // KILL
    (10, 9),      // SINGLESTEP
    (11, 16),     // ATTACH
    (12, 17),     // DETACH
    (13, 24),     // SYSCALL
    (14, 0x4200), // SETOPTIONS
    (20, 0x4206), // SEIZE
];

pub fn ptrace_to_linux(ppm: u16) -> i64 {
    PTRACE
        .iter()
        .find(|(p, _)| *p == ppm)
        .map_or(-1, |(_, l)| *l)
}

pub fn ptrace_from_linux(linux: i64) -> u16 {
    PTRACE
        .iter()
        .find(|(_, l)| *l == linux)
        .map_or(0, |(p, _)| *p)
}

/// Linux mount flags share their bits with PPM's `PPM_MS_*`.
pub fn mount_to_linux(ppm: u32) -> u64 {
    u64::from(ppm)
}

/// PPM socket family numbers are Linux's.
pub fn family(ppm: u32) -> i32 {
    ppm as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_round_trip() {
        for linux in [0, 1, 2, 0o101, 0o2000101, 0o1102, 0o200000, 0o4010002] {
            assert_eq!(open_to_linux(open_from_linux(linux)), linux, "{linux:o}");
        }
        // O_RDONLY|O_CLOEXEC as sysdig printed it: 4097.
        assert_eq!(open_to_linux(4097), 0o2000000);
    }

    #[test]
    fn clone_flags_round_trip() {
        let linux = 0x0001_0000 | 0x100 | 0x800 | 0x0020_0000;
        assert_eq!(clone_to_linux(clone_from_linux(linux)), linux);
    }
}
