//! Symbolic names for argument values, spelled the way Falco's fields print them
//! (`evt.arg.flags = O_WRONLY|O_CREAT`, `evt.arg.mode contains S_ISUID`,
//! `thread.cap_effective contains CAP_SYS_ADMIN`).

pub use saker_proc::fdinfo::open_flags_to_string as open_flags;

/// File mode bits as `S_ISUID|S_IRWXU|S_IRGRP`, `0` when none is set.
pub fn mode(mode: u32) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for (bit, name) in [
        (0o4000, "S_ISUID"),
        (0o2000, "S_ISGID"),
        (0o1000, "S_ISVTX"),
    ] {
        if mode & bit != 0 {
            parts.push(name);
        }
    }
    let classes = [
        (6, "S_IRWXU", ["S_IRUSR", "S_IWUSR", "S_IXUSR"]),
        (3, "S_IRWXG", ["S_IRGRP", "S_IWGRP", "S_IXGRP"]),
        (0, "S_IRWXO", ["S_IROTH", "S_IWOTH", "S_IXOTH"]),
    ];
    for (shift, all, each) in classes {
        let bits = (mode >> shift) & 0o7;
        if bits == 0o7 {
            parts.push(all);
            continue;
        }
        for (i, name) in each.iter().enumerate() {
            if bits & (0o4 >> i) != 0 {
                parts.push(name);
            }
        }
    }
    if parts.is_empty() {
        "0".to_string()
    } else {
        parts.join("|")
    }
}

/// Socket address families (include/linux/socket.h).
pub fn socket_domain(domain: i32) -> String {
    let name = match domain {
        0 => "AF_UNSPEC",
        1 => "AF_UNIX",
        2 => "AF_INET",
        10 => "AF_INET6",
        16 => "AF_NETLINK",
        17 => "AF_PACKET",
        38 => "AF_ALG",
        40 => "AF_VSOCK",
        44 => "AF_XDP",
        _ => return domain.to_string(),
    };
    name.to_string()
}

/// ptrace requests (include/uapi/linux/ptrace.h, x86_64).
pub fn ptrace_request(request: i64) -> String {
    let name = match request {
        0 => "PTRACE_TRACEME",
        1 => "PTRACE_PEEKTEXT",
        2 => "PTRACE_PEEKDATA",
        3 => "PTRACE_PEEKUSR",
        4 => "PTRACE_POKETEXT",
        5 => "PTRACE_POKEDATA",
        6 => "PTRACE_POKEUSR",
        7 => "PTRACE_CONT",
        8 => "PTRACE_KILL",
        9 => "PTRACE_SINGLESTEP",
        12 => "PTRACE_GETREGS",
        13 => "PTRACE_SETREGS",
        14 => "PTRACE_GETFPREGS",
        15 => "PTRACE_SETFPREGS",
        16 => "PTRACE_ATTACH",
        17 => "PTRACE_DETACH",
        24 => "PTRACE_SYSCALL",
        0x4200 => "PTRACE_SETOPTIONS",
        0x4201 => "PTRACE_GETEVENTMSG",
        0x4202 => "PTRACE_GETSIGINFO",
        0x4203 => "PTRACE_SETSIGINFO",
        0x4204 => "PTRACE_GETREGSET",
        0x4205 => "PTRACE_SETREGSET",
        0x4206 => "PTRACE_SEIZE",
        0x4207 => "PTRACE_INTERRUPT",
        0x4208 => "PTRACE_LISTEN",
        _ => return request.to_string(),
    };
    name.to_string()
}

/// A capability set as `CAP_CHOWN CAP_SYS_ADMIN` (Falco's `thread.cap_*` spelling).
pub fn capabilities(set: u64) -> String {
    saker_proc::capabilities::capability_names(set)
        .iter()
        .map(|n| n.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `tty_nr` encoding of /proc/PID/stat for a terminal's (major, minor) pair, so that a
/// terminal seen at exec and one read from /proc compare equal (`proc.tty`).
pub fn tty_nr(major: u32, minor: u32) -> u32 {
    (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & !0xff) << 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for (m, expect) in [
            (0o4755, "S_ISUID|S_IRWXU|S_IRGRP|S_IXGRP|S_IROTH|S_IXOTH"),
            (0o2700, "S_ISGID|S_IRWXU"),
            (0o644, "S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH"),
            (0, "0"),
        ] {
            assert_eq!(mode(m), expect, "{m:o}");
        }
    }

    #[test]
    fn symbolic_names() {
        assert_eq!(socket_domain(17), "AF_PACKET");
        assert_eq!(socket_domain(99), "99");
        assert_eq!(ptrace_request(16), "PTRACE_ATTACH");
        assert_eq!(ptrace_request(0x4206), "PTRACE_SEIZE");
        assert_eq!(
            capabilities((1 << 0) | (1 << 21)),
            "CAP_CHOWN CAP_SYS_ADMIN"
        );
        assert_eq!(open_flags(0o1101), "O_WRONLY|O_CREAT|O_TRUNC");
        // pts/0 is 136:0, pts/1 is 136:1; ttyS0 is 4:64.
        assert_eq!(tty_nr(136, 0), 34816);
        assert_eq!(tty_nr(136, 1), 34817);
        assert_eq!(saker_proc::tty::tty_name(tty_nr(136, 300)), "pts/300");
    }
}
