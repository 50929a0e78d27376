//! `/proc/PID/fdinfo/N` and the link text of `/proc/PID/fd/N`.

/// The fields of an fdinfo file common to every fd type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FdInfo {
    /// File position in bytes.
    pub pos: u64,
    /// `open(2)` flags as the kernel prints them (octal in the file).
    pub flags: u32,
    pub mnt_id: u32,
}

/// Parses an fdinfo file; type-specific lines (eventfd-count, tfd, inotify, ...) are ignored.
pub fn parse_fdinfo(text: &str) -> Result<FdInfo, String> {
    let mut info = FdInfo::default();
    let mut seen_flags = false;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let bad = || format!("bad {key} {value:?}");
        match key {
            "pos" => info.pos = value.parse().map_err(|_| bad())?,
            "flags" => {
                info.flags = u32::from_str_radix(value, 8).map_err(|_| bad())?;
                seen_flags = true;
            }
            "mnt_id" => info.mnt_id = value.parse().map_err(|_| bad())?,
            _ => {}
        }
    }
    if !seen_flags {
        return Err("no flags line".into());
    }
    Ok(info)
}

/// `open(2)` flags (x86_64 / generic values from include/uapi/asm-generic/fcntl.h) in the
/// order `ls`-minded people expect: access mode first.
const FLAG_NAMES: &[(u32, &str)] = &[
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o10000, "O_DSYNC"),
    (0o20000, "O_ASYNC"),
    (0o40000, "O_DIRECT"),
    (0o100000, "O_LARGEFILE"),
    (0o200000, "O_DIRECTORY"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o4000000, "O_SYNC"),
    (0o10000000, "O_PATH"),
    (0o20000000, "O_TMPFILE"),
];

/// Renders open flags as `O_RDWR|O_APPEND|O_CLOEXEC`. O_LARGEFILE is left out: the kernel sets
/// it on every 64-bit open, so it says nothing. O_TMPFILE includes O_DIRECTORY's bit.
pub fn open_flags_to_string(flags: u32) -> String {
    let mut out = String::from(match flags & 0o3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    });
    let mut flags = flags & !0o3;
    if flags & 0o20200000 == 0o20200000 {
        flags &= !0o200000;
    }
    for &(bit, name) in FLAG_NAMES {
        if flags & bit != 0 && bit != 0o100000 {
            out.push('|');
            out.push_str(name);
        }
    }
    out
}

/// What an fd's link (`readlink /proc/PID/fd/N`) points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FdTarget {
    /// A path on a filesystem. `deleted` when the kernel appended ` (deleted)`.
    Path {
        path: String,
        deleted: bool,
    },
    Socket {
        inode: u64,
    },
    Pipe {
        inode: u64,
    },
    /// `anon_inode:[eventpoll]`, `anon_inode:[eventfd]`, `anon_inode:inotify`, ...
    AnonInode {
        kind: String,
    },
    /// Anything else, e.g. `net:[4026531840]` from a namespace fd.
    Other(String),
}

/// Classifies the text of an fd link.
pub fn parse_fd_link(link: &str) -> FdTarget {
    let bracketed = |prefix: &str| -> Option<u64> {
        link.strip_prefix(prefix)?.strip_suffix(']')?.parse().ok()
    };
    if let Some(inode) = bracketed("socket:[") {
        return FdTarget::Socket { inode };
    }
    if let Some(inode) = bracketed("pipe:[") {
        return FdTarget::Pipe { inode };
    }
    if let Some(kind) = link.strip_prefix("anon_inode:") {
        let kind = kind.trim_start_matches('[').trim_end_matches(']');
        return FdTarget::AnonInode {
            kind: kind.to_string(),
        };
    }
    if link.starts_with('/') {
        return match link.strip_suffix(" (deleted)") {
            Some(path) => FdTarget::Path {
                path: path.to_string(),
                deleted: true,
            },
            None => FdTarget::Path {
                path: link.to_string(),
                deleted: false,
            },
        };
    }
    FdTarget::Other(link.to_string())
}

/// True for an exe or fd link of a file created by memfd_create(2): the kernel names it
/// `/memfd:NAME (deleted)`.
pub fn is_memfd_path(path: &str) -> bool {
    path.starts_with("/memfd:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_fdinfo() {
        let text = include_str!("../tests/fixtures/fdinfo-python.txt");
        let blocks: Vec<&str> = text.split("== ").filter(|b| !b.is_empty()).collect();
        let info = |fd: &str| {
            let block = blocks
                .iter()
                .find(|b| b.starts_with(&format!("{fd}\n")))
                .unwrap();
            parse_fdinfo(block).unwrap()
        };
        // fd 14: the deleted database file opened "w+"; open(2) does not keep O_CREAT/O_TRUNC.
        let db = info("14");
        assert_eq!(db.pos, 100);
        assert_eq!(open_flags_to_string(db.flags), "O_RDWR|O_CLOEXEC");
        assert_eq!(open_flags_to_string(info("0").flags), "O_RDONLY");
    }

    #[test]
    fn flags() {
        assert_eq!(
            open_flags_to_string(0o2102101),
            "O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC"
        );
        assert_eq!(open_flags_to_string(0o20200002), "O_RDWR|O_TMPFILE");
        assert_eq!(
            open_flags_to_string(0o12000000),
            "O_RDONLY|O_CLOEXEC|O_PATH"
        );
        assert!(parse_fdinfo("pos: 1\n").is_err());
        assert!(parse_fdinfo("pos:\tx\nflags:\t0\n").is_err());
    }

    #[test]
    fn captured_links() {
        let text = include_str!("../tests/fixtures/fd-links-python.txt");
        let link = |fd: &str| {
            let line = text
                .lines()
                .find(|l| l.starts_with(&format!("{fd} ")))
                .unwrap();
            parse_fd_link(line.split_once(' ').unwrap().1)
        };
        assert_eq!(
            link("14"),
            FdTarget::Path {
                path: "/tmp/saker-fixture.db".into(),
                deleted: true
            }
        );
        assert_eq!(link("3"), FdTarget::Socket { inode: 14142 });
        assert_eq!(link("15"), FdTarget::Pipe { inode: 14152 });
        assert_eq!(
            link("0"),
            FdTarget::Path {
                path: "/dev/null".into(),
                deleted: false
            }
        );
    }

    #[test]
    fn other_links() {
        assert_eq!(
            parse_fd_link("anon_inode:[eventpoll]"),
            FdTarget::AnonInode {
                kind: "eventpoll".into()
            }
        );
        assert_eq!(
            parse_fd_link("anon_inode:inotify"),
            FdTarget::AnonInode {
                kind: "inotify".into()
            }
        );
        assert_eq!(
            parse_fd_link("net:[4026531840]"),
            FdTarget::Other("net:[4026531840]".into())
        );
        assert!(is_memfd_path("/memfd:payload (deleted)"));
    }
}
