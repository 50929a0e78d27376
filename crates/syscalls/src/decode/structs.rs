//! Structures strace prints in braces: stat, timespec, sigaction, sockaddr, ...
//! Layouts are x86_64 (include/uapi/asm-generic/*.h, arch/x86/include/uapi/asm/stat.h).

use std::fmt::Write;

use super::Ctx;
use crate::xlat::{self, Xlat};

/// How many array elements strace prints before `...`: it reuses the `-s` limit, and
/// `-v` lifts it (argv and envp print in full); here `-v` still stops at 16384 elements.
pub(crate) fn array_limit(c: &Ctx) -> usize {
    // Even with -v, stop somewhere: garbage pointers into large mapped regions must not
    // turn one syscall into gigabytes of output.
    if c.style.verbose {
        super::print::VERBOSE_ARRAY_LIMIT as usize
    } else {
        c.style.string_limit.max(1)
    }
}

pub(crate) fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_ne_bytes([b[o], b[o + 1]])
}
pub(crate) fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_ne_bytes(b[o..o + 4].try_into().unwrap_or([0; 4]))
}
/// C's `%#x` as a string: `0` for zero.
fn c_hex(v: u64) -> String {
    let mut text = String::new();
    super::print::write_hex(&mut text, v);
    text
}

pub(crate) fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_ne_bytes(b[o..o + 8].try_into().unwrap_or([0; 8]))
}
/// An unsigned field of 2, 4 or 8 bytes at `o` (struct tables list fields by size).
pub(crate) fn uint_at(b: &[u8], o: usize, size: usize) -> u64 {
    match size {
        2 => u64::from(u16_at(b, o)),
        4 => u64::from(u32_at(b, o)),
        _ => u64_at(b, o),
    }
}
fn i64_at(b: &[u8], o: usize) -> i64 {
    u64_at(b, o) as i64
}

/// [`read_struct`] for a struct whose size depends on the request: fills `buf`, or prints
/// NULL or the address and returns false.
pub(crate) fn read_sized(c: &mut Ctx, addr: u64, buf: &mut [u8]) -> bool {
    if c.style.dereference && c.read_exact(addr, buf) {
        return true;
    }
    c.ptr(addr);
    false
}

/// Reads a fixed-size struct; prints the address and returns `None` if unreadable, if the
/// call failed (strace shows output structs of failed calls as addresses) or if the call is
/// left out of `-e verbose=` (strace's umove_or_printaddr).
pub(crate) fn read_struct<const N: usize>(c: &mut Ctx, addr: u64, output: bool) -> Option<[u8; N]> {
    if addr == 0 {
        c.s("NULL");
        return None;
    }
    if (output && !c.ok()) || !c.style.dereference {
        c.ptr(addr);
        return None;
    }
    let mut b = [0u8; N];
    if c.read_exact(addr, &mut b) {
        Some(b)
    } else {
        c.ptr(addr);
        None
    }
}

/// `S_IFREG|0644`, `S_IFDIR|S_ISVTX|0777`.
pub(crate) fn write_mode(out: &mut String, mode: u32) {
    let kind = match mode & 0o170000 {
        0o140000 => "S_IFSOCK|",
        0o120000 => "S_IFLNK|",
        0o100000 => "S_IFREG|",
        0o060000 => "S_IFBLK|",
        0o040000 => "S_IFDIR|",
        0o020000 => "S_IFCHR|",
        0o010000 => "S_IFIFO|",
        0 => "",
        // An unknown file type: strace shows the whole mode as a number.
        _ => return super::print::write_octal(out, u64::from(mode)),
    };
    let number = |out: &mut String| super::print::write_octal(out, u64::from(mode));
    super::print::write_composite(out, number, |out| {
        out.push_str(kind);
        for (bit, name) in [
            (0o4000, "S_ISUID|"),
            (0o2000, "S_ISGID|"),
            (0o1000, "S_ISVTX|"),
        ] {
            if mode & bit != 0 {
                out.push_str(name);
            }
        }
        super::print::write_octal(out, u64::from(mode & 0o777));
    });
}

/// strace's print_uuid: `01234567-89ab-cdef-fedc-ba9876543210`.
pub(crate) fn write_uuid(out: &mut String, b: &[u8]) {
    for (i, byte) in b.iter().take(16).enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
}

/// `makedev(0x8, 0x1)` from a kernel `dev_t` (new encoding, include/linux/kdev_t.h).
pub(crate) fn write_dev(out: &mut String, dev: u64) {
    // glibc's major() and minor() are 32-bit.
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & 0xffff_f000);
    let minor = (dev & 0xff) | ((dev >> 12) & 0xffff_ff00);
    // strace's print_dev_t: the raw number with -X raw/verbose.
    super::print::write_composite(
        out,
        |out| super::print::write_hex(out, dev),
        |out| write_makedev(out, major, minor),
    );
}

fn write_makedev(out: &mut String, major: u64, minor: u64) {
    out.push_str("makedev(");
    super::print::write_hex(out, major);
    out.push_str(", ");
    super::print::write_hex(out, minor);
    out.push(')');
}

/// `1700000000 /* 2023-11-14T22:13:20.123456789+0000 */` (UTC, like strace with TZ=UTC).
fn write_time_comment(out: &mut String, sec: i64, nsec: u64) {
    let _ = write!(out, "{sec}");
    // strace leaves the epoch itself without a comment.
    if (sec == 0 && nsec == 0) || !gmtime_fits(sec) {
        return;
    }
    out.push_str(" /* ");
    write_iso_time(out, sec, nsec);
    out.push_str(" */");
}

/// time(2)'s `time_t *`: `[1700000000 /* 2023-11-14T22:13:20+0000 */]`.
pub(crate) fn time_t_out(c: &mut Ctx, addr: u64) {
    let mut b = [0u8; 8];
    if addr == 0 || !c.ok() || !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    c.s("[");
    write_time_comment(c.out, i64::from_ne_bytes(b), 0);
    c.s("]");
}

/// `(2020-01-01T00:00:00+0000)`, strace's sprinttime as a note after a return value;
/// nothing for the epoch or a date gmtime() cannot show.
pub(crate) fn date_note(sec: i64) -> String {
    let mut note = String::new();
    if sec != 0 && gmtime_fits(sec) {
        note.push('(');
        write_iso_time(&mut note, sec, 0);
        note.push(')');
    }
    note
}

/// ` /* 2020-01-01T00:00:00+0000 */` after a timestamp (nothing for the epoch).
pub(crate) fn write_date_comment(out: &mut String, sec: i64, nsec: u64) {
    if (sec != 0 || nsec != 0) && gmtime_fits(sec) {
        out.push_str(" /* ");
        write_iso_time(out, sec, nsec);
        out.push_str(" */");
    }
}

/// The same for a `struct timeval`: microseconds, six digits.
pub(crate) fn write_date_comment_us(out: &mut String, sec: i64, usec: u64) {
    if (sec != 0 || usec != 0) && gmtime_fits(sec) {
        out.push_str(" /* ");
        write_date_time(out, sec);
        if usec != 0 {
            let _ = write!(out, ".{usec:06}");
        }
        out.push_str("+0000 */");
    }
}

/// strace prints no date where gmtime() fails: a year that does not fit `tm_year` (an int).
fn gmtime_fits(sec: i64) -> bool {
    let (year, _, _) = saker_event::calendar::civil_from_days(sec.div_euclid(86400));
    i32::try_from(year - 1900).is_ok()
}

fn write_iso_time(out: &mut String, sec: i64, nsec: u64) {
    write_date_time(out, sec);
    if nsec != 0 {
        let _ = write!(out, ".{nsec:09}");
    }
    out.push_str("+0000");
}

/// `2020-01-01T00:00:00` (UTC).
fn write_date_time(out: &mut String, sec: i64) {
    let days = sec.div_euclid(86400);
    let secs = sec.rem_euclid(86400);
    let (y, m, d) = saker_event::calendar::civil_from_days(days);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    );
}

/// `struct stat` (144 bytes on x86_64).
pub(crate) fn stat(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<144>(c, addr, true) else {
        return;
    };
    let mode = u32_at(&b, 24);
    let is_dev = matches!(mode & 0o170000, 0o060000 | 0o020000);
    let out = &mut *c.out;
    if c.style.verbose {
        out.push_str("{st_dev=");
        write_dev(out, u64_at(&b, 0));
        let _ = write!(out, ", st_ino={}, st_mode=", u64_at(&b, 8));
        write_mode(out, mode);
        let _ = write!(
            out,
            ", st_nlink={}, st_uid={}, st_gid={}, st_blksize={}, st_blocks={}",
            u64_at(&b, 16),
            u32_at(&b, 28),
            u32_at(&b, 32),
            i64_at(&b, 56),
            i64_at(&b, 64)
        );
        if is_dev {
            out.push_str(", st_rdev=");
            write_dev(out, u64_at(&b, 40));
        } else {
            let _ = write!(out, ", st_size={}", i64_at(&b, 48));
        }
        for (name, off) in [("st_atime", 72), ("st_mtime", 88), ("st_ctime", 104)] {
            let _ = write!(out, ", {name}=");
            let nsec = u64_at(&b, off + 8);
            write_time_comment(out, i64_at(&b, off), nsec);
            let _ = write!(out, ", {name}_nsec={nsec}");
        }
        out.push('}');
    } else {
        out.push_str("{st_mode=");
        write_mode(out, mode);
        if is_dev {
            out.push_str(", st_rdev=");
            write_dev(out, u64_at(&b, 40));
        } else {
            let _ = write!(out, ", st_size={}", i64_at(&b, 48));
        }
        out.push_str(", ...}");
    }
}

/// `struct statx` (256 bytes).
pub(crate) fn statx(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<256>(c, addr, true) else {
        return;
    };
    let verbose = c.style.verbose;
    let out = &mut *c.out;
    out.push_str("{stx_mask=");
    super::print::write_flags(out, u64::from(u32_at(&b, 0)), &xlat::STATX_MASK);
    if verbose {
        let _ = write!(out, ", stx_blksize={}", u32_at(&b, 4));
    }
    out.push_str(", stx_attributes=");
    super::print::write_flags(out, u64_at(&b, 8), &xlat::STATX_ATTRS);
    if verbose {
        let _ = write!(
            out,
            ", stx_nlink={}, stx_uid={}, stx_gid={}",
            u32_at(&b, 16),
            u32_at(&b, 20),
            u32_at(&b, 24)
        );
    }
    out.push_str(", stx_mode=");
    write_mode(out, u32::from(u16_at(&b, 28)));
    if verbose {
        let _ = write!(out, ", stx_ino={}", u64_at(&b, 32));
    }
    let _ = write!(out, ", stx_size={}", u64_at(&b, 40));
    if !verbose {
        out.push_str(", ...}");
        return;
    }
    let _ = write!(out, ", stx_blocks={}, stx_attributes_mask=", u64_at(&b, 48));
    super::print::write_flags(out, u64_at(&b, 56), &xlat::STATX_ATTRS);
    let mask = u32_at(&b, 0);
    // Each timestamp is shown only when the kernel marks it valid in stx_mask.
    for (name, off, bit) in [
        ("stx_atime", 64, 0x20),
        ("stx_btime", 80, 0x800),
        ("stx_ctime", 96, 0x80),
        ("stx_mtime", 112, 0x40),
    ] {
        if mask & bit == 0 {
            continue;
        }
        let sec = i64_at(&b, off);
        let nsec = u64::from(u32_at(&b, off + 8));
        let _ = write!(out, ", {name}={{tv_sec={sec}, tv_nsec={nsec}}}");
        if sec != 0 || nsec != 0 {
            out.push_str(" /* ");
            write_iso_time(out, sec, nsec);
            out.push_str(" */");
        }
    }
    let _ = write!(
        out,
        ", stx_rdev_major={}, stx_rdev_minor={}, stx_dev_major={}, stx_dev_minor={}",
        u32_at(&b, 128),
        u32_at(&b, 132),
        u32_at(&b, 136),
        u32_at(&b, 140)
    );
    // Fields after the basic ones are shown only when the kernel says they are valid.
    if mask & 0x1000 != 0 {
        let _ = write!(out, ", stx_mnt_id={}", super::print::CHex(u64_at(&b, 144)));
    }
    if mask & 0x2000 != 0 {
        let _ = write!(
            out,
            ", stx_dio_mem_align={}, stx_dio_offset_align={}",
            u32_at(&b, 152),
            u32_at(&b, 156)
        );
    }
    out.push('}');
}

/// `struct statfs` (120 bytes).
pub(crate) fn statfs(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<120>(c, addr, true) else {
        return;
    };
    let out = &mut *c.out;
    let magic = i64_at(&b, 0);
    out.push_str("{f_type=");
    match fs_magic_name(magic as u64) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "{magic:#x}");
        }
    }
    let _ = write!(
        out,
        ", f_bsize={}, f_blocks={}, f_bfree={}, f_bavail={}, f_files={}, f_ffree={}, f_fsid={{val=[{}, {}]}}, f_namelen={}, f_frsize={}, f_flags=",
        i64_at(&b, 8),
        u64_at(&b, 16),
        u64_at(&b, 24),
        u64_at(&b, 32),
        u64_at(&b, 40),
        u64_at(&b, 48),
        c_hex(u64::from(u32_at(&b, 56))),
        c_hex(u64::from(u32_at(&b, 60))),
        i64_at(&b, 64),
        i64_at(&b, 72)
    );
    super::print::write_flags(out, u64_at(&b, 80), &STATFS_FLAGS);
    out.push('}');
}

const STATFS_FLAGS: Xlat = Xlat {
    entries: &[
        (1, "ST_RDONLY"),
        (2, "ST_NOSUID"),
        (4, "ST_NODEV"),
        (8, "ST_NOEXEC"),
        (16, "ST_SYNCHRONOUS"),
        (32, "ST_VALID"),
        (64, "ST_MANDLOCK"),
        (1024, "ST_NOATIME"),
        (2048, "ST_NODIRATIME"),
        (4096, "ST_RELATIME"),
        (8192, "ST_NOSYMFOLLOW"),
    ],
    unknown: "ST_???",
};

fn fs_magic_name(m: u64) -> Option<&'static str> {
    Some(match m {
        0xef53 => "EXT2_SUPER_MAGIC",
        0x01021994 => "TMPFS_MAGIC",
        0x9fa0 => "PROC_SUPER_MAGIC",
        0x62656572 => "SYSFS_MAGIC",
        0x63677270 => "CGROUP2_SUPER_MAGIC",
        0x794c7630 => "OVERLAYFS_SUPER_MAGIC",
        0x9123683e => "BTRFS_SUPER_MAGIC",
        0x58465342 => "XFS_SUPER_MAGIC",
        0x1cd1 => "DEVPTS_SUPER_MAGIC",
        0x858458f6 => "RAMFS_MAGIC",
        0xcafe4a11 => "BPF_FS_MAGIC",
        0x74726163 => "TRACEFS_MAGIC",
        0x64626720 => "DEBUGFS_MAGIC",
        0x6969 => "NFS_SUPER_MAGIC",
        _ => return None,
    })
}

/// `{tv_sec=1, tv_nsec=500}`.
pub(crate) fn timespec(c: &mut Ctx, addr: u64, output: bool) {
    if let Some(b) = read_struct::<16>(c, addr, output) {
        write_seconds_and(c.out, &b, "tv_nsec");
    }
}

/// `{tv_sec=1, tv_usec=500}`.
pub(crate) fn timeval(c: &mut Ctx, addr: u64, output: bool) {
    if let Some(b) = read_struct::<16>(c, addr, output) {
        write_seconds_and(c.out, &b, "tv_usec");
    }
}

/// The 16 bytes of a timespec or timeval: `{tv_sec=1, FRACTION=500}`.
pub(crate) fn write_seconds_and(out: &mut String, b: &[u8], fraction: &str) {
    let _ = write!(
        out,
        "{{tv_sec={}, {fraction}={}}}",
        i64_at(b, 0),
        u64_at(b, 8)
    );
}

/// `{it_interval={tv_sec=0, tv_usec=0}, it_value={...}}`.
pub(crate) fn itimerval(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<32>(c, addr, output) else {
        return;
    };
    let _ = write!(
        c.out,
        "{{it_interval={{tv_sec={}, tv_usec={}}}, it_value={{tv_sec={}, tv_usec={}}}}}",
        i64_at(&b, 0),
        u64_at(&b, 8),
        i64_at(&b, 16),
        u64_at(&b, 24)
    );
}

/// `{it_interval={tv_sec=0, tv_nsec=0}, it_value={...}}`.
pub(crate) fn itimerspec(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<32>(c, addr, output) else {
        return;
    };
    let _ = write!(
        c.out,
        "{{it_interval={{tv_sec={}, tv_nsec={}}}, it_value={{tv_sec={}, tv_nsec={}}}}}",
        i64_at(&b, 0),
        u64_at(&b, 8),
        i64_at(&b, 16),
        u64_at(&b, 24)
    );
}

fn write_rlim(out: &mut String, v: u64, infinity: &str) {
    let number = |out: &mut String| {
        let _ = write!(out, "{v}");
    };
    if v == u64::MAX {
        super::print::write_composite(out, number, |out| out.push_str(infinity));
    } else if v > 1024 && v.is_multiple_of(1024) {
        super::print::write_composite(out, number, |out| {
            let _ = write!(out, "{}*1024", v / 1024);
        });
    } else {
        number(out);
    }
}

/// `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`.
pub(crate) fn rlimit(c: &mut Ctx, addr: u64, output: bool, infinity: &str) {
    let Some(b) = read_struct::<16>(c, addr, output) else {
        return;
    };
    let out = &mut *c.out;
    out.push_str("{rlim_cur=");
    write_rlim(out, u64_at(&b, 0), infinity);
    out.push_str(", rlim_max=");
    write_rlim(out, u64_at(&b, 8), infinity);
    out.push('}');
}

/// strace's signal mask syntax: `[CHLD TTOU]`, or `~[...]` with the complement when more
/// than half of the signals are set.
pub(crate) fn write_sigmask(out: &mut String, mask: u64, nsig: u32) {
    let nsig = nsig.min(64);
    let all = if nsig == 64 {
        u64::MAX
    } else {
        (1u64 << nsig) - 1
    };
    let mut mask = mask & all;
    if mask.count_ones() > nsig / 2 {
        out.push('~');
        mask = !mask & all;
    }
    out.push('[');
    let mut first = true;
    while mask != 0 {
        let bit = mask.trailing_zeros();
        mask &= mask - 1;
        if !first {
            out.push(' ');
        }
        first = false;
        let sig = bit as i32 + 1;
        match crate::signal_name(sig) {
            Some(n) => out.push_str(&n[3..]),
            None => {
                let _ = write!(out, "{sig}");
            }
        }
    }
    out.push(']');
}

/// A `sigset_t` of `size` bytes.
pub(crate) fn sigset(c: &mut Ctx, addr: u64, size: u64, output: bool) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    // strace shows the set only when its size is the kernel's (NSIG_BYTES, 8 on x86_64).
    if (output && !c.ok()) || size != 8 {
        c.ptr(addr);
        return;
    }
    let mut b = [0u8; 8];
    if !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    write_sigmask(c.out, u64::from_ne_bytes(b), 64);
}

/// strace's print_sigset_addr_len_limit at exit: a set of `len` bytes, `min_len..=8`, the
/// bytes past `len` taken as zero.
pub(crate) fn sigset_of_len(c: &mut Ctx, addr: u64, len: u64, min_len: u64) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if !c.ok() || !(min_len..=8).contains(&len) {
        c.ptr(addr);
        return;
    }
    let mut b = [0u8; 8];
    if !c.read_exact(addr, &mut b[..len as usize]) {
        c.ptr(addr);
        return;
    }
    // The mask is counted in 4-byte words.
    let bits = len.div_ceil(4) as u32 * 32;
    write_sigmask(c.out, u64::from_ne_bytes(b), bits);
}

/// The kernel's `struct sigaction` for rt_sigaction.
pub(crate) fn sigaction(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<32>(c, addr, output) else {
        return;
    };
    let handler = u64_at(&b, 0);
    let flags = u64_at(&b, 8);
    let restorer = u64_at(&b, 16);
    let mask = u64_at(&b, 24);
    let out = &mut *c.out;
    out.push_str("{sa_handler=");
    match handler {
        0 => out.push_str("SIG_DFL"),
        1 => out.push_str("SIG_IGN"),
        _ => {
            let _ = write!(out, "{handler:#x}");
        }
    }
    out.push_str(", sa_mask=");
    write_sigmask(out, mask, 64);
    out.push_str(", sa_flags=");
    super::print::write_flags(out, flags, &xlat::SA_FLAGS);
    if flags & 0x0400_0000 != 0 {
        out.push_str(", sa_restorer=");
        if restorer == 0 {
            out.push_str("NULL");
        } else {
            let _ = write!(out, "{restorer:#x}");
        }
    }
    out.push('}');
}

/// `stack_t` for sigaltstack.
pub(crate) fn stack_t(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<24>(c, addr, output) else {
        return;
    };
    let sp = u64_at(&b, 0);
    let flags = u32_at(&b, 8);
    let size = u64_at(&b, 16);
    c.s("{ss_sp=");
    c.ptr(sp);
    c.s(", ss_flags=");
    const SS: Xlat = Xlat {
        entries: &[
            (1, "SS_ONSTACK"),
            (2, "SS_DISABLE"),
            (0x8000_0000, "SS_AUTODISARM"),
        ],
        unknown: "SS_???",
    };
    c.flags(u64::from(flags), &SS);
    let _ = write!(c.out, ", ss_size={size}}}");
}

/// `struct utsname` (6 fields of 65 bytes).
pub(crate) fn utsname(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<390>(c, addr, true) else {
        return;
    };
    let names = [
        "sysname",
        "nodename",
        "release",
        "version",
        "machine",
        "domainname",
    ];
    let shown = if c.style.verbose { 6 } else { 2 };
    let hex = c.style.hex;
    let out = &mut *c.out;
    out.push('{');
    for (i, name) in names.iter().enumerate().take(shown) {
        if i > 0 {
            out.push_str(", ");
        }
        let field = &b[i * 65..(i + 1) * 65];
        let len = field.iter().position(|x| *x == 0).unwrap_or(65);
        let _ = write!(out, "{name}=");
        super::print::quote(out, &field[..len], hex, b"", true);
    }
    if shown < 6 {
        out.push_str(", ...");
    }
    out.push('}');
}

/// `struct sysinfo` (112 bytes).
pub(crate) fn sysinfo(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<112>(c, addr, true) else {
        return;
    };
    let _ = write!(
        c.out,
        "{{uptime={}, loads=[{}, {}, {}], totalram={}, freeram={}, sharedram={}, bufferram={}, totalswap={}, freeswap={}, procs={}, totalhigh={}, freehigh={}, mem_unit={}}}",
        i64_at(&b, 0),
        u64_at(&b, 8),
        u64_at(&b, 16),
        u64_at(&b, 24),
        u64_at(&b, 32),
        u64_at(&b, 40),
        u64_at(&b, 48),
        u64_at(&b, 56),
        u64_at(&b, 64),
        u64_at(&b, 72),
        u16_at(&b, 80),
        u64_at(&b, 88),
        u64_at(&b, 96),
        u32_at(&b, 104)
    );
}

/// `struct rusage` (144 bytes).
pub(crate) fn rusage(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<144>(c, addr, true) else {
        return;
    };
    let out = &mut *c.out;
    let _ = write!(
        out,
        "{{ru_utime={{tv_sec={}, tv_usec={}}}, ru_stime={{tv_sec={}, tv_usec={}}}",
        i64_at(&b, 0),
        u64_at(&b, 8),
        i64_at(&b, 16),
        u64_at(&b, 24)
    );
    if !c.style.verbose {
        out.push_str(", ...}");
        return;
    }
    let names = [
        "ru_maxrss",
        "ru_ixrss",
        "ru_idrss",
        "ru_isrss",
        "ru_minflt",
        "ru_majflt",
        "ru_nswap",
        "ru_inblock",
        "ru_oublock",
        "ru_msgsnd",
        "ru_msgrcv",
        "ru_nsignals",
        "ru_nvcsw",
        "ru_nivcsw",
    ];
    // strace's printrusage: PRINT_FIELD_U, so -1 shows as 18446744073709551615.
    for (i, n) in names.iter().enumerate() {
        let _ = write!(out, ", {n}={}", u64_at(&b, 32 + i * 8));
    }
    out.push('}');
}

/// `struct tms`.
pub(crate) fn tms(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<32>(c, addr, true) else {
        return;
    };
    for (i, name) in [
        "{tms_utime=",
        ", tms_stime=",
        ", tms_cutime=",
        ", tms_cstime=",
    ]
    .into_iter()
    .enumerate()
    {
        c.s(name);
        clock_t(c, u64_at(&b, i * 8));
    }
    c.s("}");
}

/// strace's print_clock_t: clock ticks, with the seconds they are (USER_HZ 100) unless
/// -X raw.
pub(crate) fn clock_t(c: &mut Ctx, ticks: u64) {
    c.udec(ticks);
    if ticks > 0 && super::print::xlat_style() != super::XlatStyle::Raw {
        let _ = write!(c.out, " /* {}.{:02} s */", ticks / 100, ticks % 100);
    }
}

/// A socket address of `len` bytes.
pub(crate) fn sockaddr(c: &mut Ctx, addr: u64, len: u64, output: bool) {
    use super::sockaddr::MAX_LEN;
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if (output && !c.ok()) || len < 2 {
        c.ptr(addr);
        return;
    }
    let mut b = [0u8; MAX_LEN + 1];
    let n = (len as usize).min(MAX_LEN);
    if !c.read_exact(addr, &mut b[..n]) {
        c.ptr(addr);
        return;
    }
    super::sockaddr::write_sockaddr(c, &b, n);
}

/// `[{iov_base="...", iov_len=5}, ...]`; `data_len` bytes of data in total are shown
/// (the return value for readv, everything for writev).
pub(crate) fn iovec(c: &mut Ctx, addr: u64, count: u64, data_len: Option<u64>, output: bool) {
    // A failed read leaves the buffers as they were: strace shows their addresses.
    if output && !c.ok() {
        iovec_array(c, addr, count, None);
        return;
    }
    iovec_array(c, addr, count, Some(data_len.unwrap_or(u64::MAX)));
}

/// An iovec array as strace's print_array shows it; the data behind each iov_base (at most
/// `data` bytes in all, `u64::MAX` for no limit) or, for `None`, only the addresses
/// (process_vm_*'s remote iovecs).
pub(crate) fn iovec_array(c: &mut Ctx, addr: u64, count: u64, data: Option<u64>) {
    iovec_array_with(c, addr, count, data, |c, base, len| c.buf(base, len));
}

/// [`iovec_array`] with each buffer's data shown by `show` (address, length).
fn iovec_array_with(
    c: &mut Ctx,
    addr: u64,
    count: u64,
    data: Option<u64>,
    show: impl Fn(&mut Ctx, u64, u64),
) {
    let unlimited = data == Some(u64::MAX);
    let mut left = data.unwrap_or(0);
    c.array(addr, count, 16, |c, b| {
        let base = u64_at(b, 0);
        let len = u64_at(b, 8);
        c.s("{iov_base=");
        if data.is_some() {
            let shown = len.min(left);
            show(c, base, shown);
            if !unlimited {
                left -= shown;
            }
        } else {
            c.ptr(base);
        }
        let _ = write!(c.out, ", iov_len={len}}}");
        true
    });
}

/// `[{fd=3, events=POLLIN}]` at entry; the return-value comment `[{fd=3, revents=POLLIN}]`.
pub(crate) fn pollfds(c: &mut Ctx, addr: u64, count: u64) {
    c.array(addr, count, 8, |c, b| {
        let fd = u32_at(b, 0);
        c.s("{fd=");
        c.fd(u64::from(fd));
        // strace leaves out the events of an fd the kernel ignores (negative).
        if (fd as i32) >= 0 {
            c.s(", events=");
            c.flags(u64::from(u16_at(b, 4)), &xlat::POLL_EVENTS);
        }
        c.s("}");
        true
    });
}

/// The `[{fd=3, revents=POLLIN}]` note after poll's return value, as strace's
/// decode_poll_exiting builds it: only fds with events, at most `-s` of them unless `-v`,
/// an unreadable element as its address, then `left` (ppoll's remaining time) if given.
/// `None` when there is nothing to say (no note at all).
pub(crate) fn poll_revents(
    c: &mut Ctx,
    addr: u64,
    count: u64,
    left: Option<&str>,
) -> Option<String> {
    let mut note = String::new();
    if c.style.dereference && addr != 0 && count != 0 {
        poll_revents_list(c, addr, count, &mut note);
    }
    if let Some(left) = left {
        note.push_str(if note.is_empty() { "left " } else { ", left " });
        note.push_str(left);
    }
    (!note.is_empty()).then(|| format!("({note})"))
}

fn poll_revents_list(c: &mut Ctx, addr: u64, count: u64, note: &mut String) {
    let max_printed = if c.style.verbose {
        usize::MAX
    } else {
        c.style.string_limit
    };
    let mut printed = 0;
    for i in 0..count.min(1024) {
        let at = addr.wrapping_add(i * 8);
        let mut b = [0u8; 8];
        let readable = c.read_exact(at, &mut b);
        let revents = u16_at(&b, 6);
        if readable && revents == 0 {
            continue;
        }
        note.push_str(if note.is_empty() { "[" } else { ", " });
        if !readable {
            let _ = write!(note, "{at:#x}");
            break;
        }
        if printed >= max_printed {
            note.push_str("...");
            break;
        }
        let _ = write!(note, "{{fd={}, revents=", u32_at(&b, 0) as i32);
        super::print::write_flags(note, u64::from(revents), &xlat::POLL_EVENTS);
        note.push('}');
        printed += 1;
    }
    if !note.is_empty() {
        note.push(']');
    }
}

/// epoll_event array of `count` (epoll_wait output, epoll_ctl input).
pub(crate) fn epoll_events(c: &mut Ctx, addr: u64, count: u64, output: bool) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if output && !c.ok() {
        c.ptr(addr);
        return;
    }
    let limit = array_limit(c);
    if output {
        c.s("[");
    }
    for i in 0..count {
        if i as usize >= limit || c.over_budget() {
            c.s(", ...");
            break;
        }
        // struct epoll_event is packed on x86_64: 4 bytes of events, 8 bytes of data.
        let mut b = [0u8; 12];
        if !c.read_exact(addr.wrapping_add(i * 12), &mut b) {
            c.ptr(addr.wrapping_add(i * 12));
            break;
        }
        if i > 0 {
            c.s(", ");
        }
        c.s("{events=");
        c.flags(u64::from(u32_at(&b, 0)), &xlat::EPOLL_EVENTS);
        let data = u64_at(&b, 4);
        let _ = write!(c.out, ", data={{u32={}, u64={}}}}}", data as u32, data);
    }
    if output {
        c.s("]");
    }
}

/// A `fd_set` of `nfds` bits: `[0 3]`.
pub(crate) fn fdset(c: &mut Ctx, addr: u64, nfds: u64, output: bool) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if output && !c.ok() {
        c.ptr(addr);
        return;
    }
    // The kernel takes nfds as an int; strace reads no set for a count <= 0 (nor
    // without -e verbose) and shows the address.
    let nfds = (nfds as i32).max(0) as u64;
    if !output && (nfds == 0 || !c.style.dereference) {
        c.ptr(addr);
        return;
    }
    let nfds = nfds.min(1024);
    let bytes = nfds.div_ceil(64) as usize * 8;
    let mut b = [0u8; 128];
    if !c.read_exact(addr, &mut b[..bytes]) {
        c.ptr(addr);
        return;
    }
    c.s("[");
    let mut first = true;
    for fd in 0..nfds as usize {
        if b[fd / 8] & (1 << (fd % 8)) != 0 {
            if !first {
                c.s(" ");
            }
            first = false;
            // strace decorates the fds of the sets it shows at entry (-y), not at exit.
            if output {
                c.udec(fd as u64);
            } else {
                c.fd(fd as u64);
            }
        }
    }
    c.s("]");
}

/// An `int[2]` filled by pipe/socketpair: `[3, 4]`.
pub(crate) fn int_pair(c: &mut Ctx, addr: u64) {
    let Some(b) = read_struct::<8>(c, addr, true) else {
        return;
    };
    c.s("[");
    c.fd(u64::from(u32_at(&b, 0)));
    c.s(", ");
    c.fd(u64::from(u32_at(&b, 4)));
    c.s("]");
}

/// An `int *`: `[42]`.
pub(crate) fn int_ptr(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<4>(c, addr, output) else {
        return;
    };
    let _ = write!(c.out, "[{}]", u32_at(&b, 0) as i32);
}

/// A `uint64_t *` or `unsigned long *`: `[42]`.
pub(crate) fn u64_ptr(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<8>(c, addr, output) else {
        return;
    };
    let _ = write!(c.out, "[{}]", u64_at(&b, 0));
}

/// The `int *status` of wait4: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
pub(crate) fn wait_status(c: &mut Ctx, addr: u64) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if !c.ok() || c.rval() == 0 {
        c.ptr(addr);
        return;
    }
    let Some(b) = read_struct::<4>(c, addr, true) else {
        return;
    };
    let s = u32_at(&b, 0);
    c.s("[");
    write_wait_status(c.out, s);
    c.s("]");
}

pub(crate) fn write_wait_status(out: &mut String, s: u32) {
    let sig = s & 0x7f;
    // glibc's tests, in strace's order: WIFSTOPPED is `(s & 0xff) == 0x7f`, so 0xffff
    // (WIFCONTINUED) is not a stop.
    if s == 0xffff {
        out.push_str("{WIFCONTINUED(s)}");
    } else if sig == 0 {
        let _ = write!(
            out,
            "{{WIFEXITED(s) && WEXITSTATUS(s) == {}}}",
            (s >> 8) & 0xff
        );
    } else if s & 0xff == 0x7f {
        out.push_str("{WIFSTOPPED(s) && WSTOPSIG(s) == ");
        crate::signal::write_signal(out, i64::from((s >> 8) & 0xff));
        if s >> 16 != 0 {
            let _ = write!(out, " && s >> 16 == {}", s >> 16);
        }
        out.push('}');
    } else {
        out.push_str("{WIFSIGNALED(s) && WTERMSIG(s) == ");
        crate::signal::write_signal(out, i64::from(sig));
        if s & 0x80 != 0 {
            out.push_str(" && WCOREDUMP(s)");
        }
        out.push('}');
    }
}

/// The `/* N entries */` summary strace prints for getdents64 without `-v`.
/// getdents64's `struct linux_dirent64` records, or with `old` getdents' `struct
/// linux_dirent` (name at offset 18, type in the record's last byte, printed after the name).
pub(crate) fn dirents(c: &mut Ctx, addr: u64, len: u64, old: bool) {
    if !c.ok() {
        c.ptr(addr);
        return;
    }
    let mut count = 0u64;
    let mut off = 0u64;
    let verbose = c.style.verbose;
    let mut list = String::new();
    while off + 19 <= len {
        let mut h = [0u8; 19];
        if !c.read_exact(addr.wrapping_add(off), &mut h) {
            break;
        }
        let reclen = u64::from(u16_at(&h, 16));
        if reclen == 0 {
            break;
        }
        if verbose {
            if count > 0 {
                list.push_str(", ");
            }
            let _ = write!(
                list,
                "{{d_ino={}, d_off={}, d_reclen={reclen}, ",
                u64_at(&h, 0),
                i64_at(&h, 8)
            );
            let name_at = if old { 18 } else { 19 };
            let mut record = vec![0u8; reclen as usize];
            let _ = c.read_exact(addr.wrapping_add(off), &mut record);
            let name = record.get(name_at..).unwrap_or_default();
            let name = if old {
                &name[..name.len().saturating_sub(1)]
            } else {
                name
            };
            let end = name.iter().position(|x| *x == 0).unwrap_or(name.len());
            let d_type = if old {
                record.last().copied().unwrap_or(0)
            } else {
                h[18]
            };
            let mut type_text = String::new();
            super::print::write_xval(&mut type_text, u64::from(d_type), &xlat::DIRENT_TYPES);
            if !old {
                let _ = write!(list, "d_type={type_text}, ");
            }
            list.push_str("d_name=");
            super::print::quote(&mut list, &name[..end], c.style.hex, b"", true);
            if old {
                let _ = write!(list, ", d_type={type_text}");
            }
            list.push('}');
        }
        count += 1;
        off += reclen;
    }
    if verbose {
        c.s("[");
        c.s(&list);
        c.s("]");
    } else {
        let _ = write!(c.out, "{addr:#x} /* {count} entries */");
    }
}

/// `struct timezone`.
pub(crate) fn timezone(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<8>(c, addr, output) else {
        return;
    };
    let _ = write!(
        c.out,
        "{{tz_minuteswest={}, tz_dsttime={}}}",
        u32_at(&b, 0) as i32,
        u32_at(&b, 4) as i32
    );
}

/// `struct io_uring_params` (120 bytes) at entry: what the caller sets, the struct left open
/// for [`io_uring_params_out`]. False when it could not be read (its address is shown).
pub(crate) fn io_uring_params_in(c: &mut Ctx, addr: u64) -> bool {
    const IORING_SETUP_ATTACH_WQ: u32 = 0x20;
    let Some(b) = read_struct::<120>(c, addr, false) else {
        return false;
    };
    let flags = u32_at(&b, 8);
    c.s("{flags=");
    c.flags(u64::from(flags), &xlat::IORING_SETUP_FLAGS);
    c.s(", sq_thread_cpu=");
    c.hex(u64::from(u32_at(&b, 12)));
    let _ = write!(c.out, ", sq_thread_idle={}", u32_at(&b, 16));
    if flags & IORING_SETUP_ATTACH_WQ != 0 {
        c.s(", wq_fd=");
        c.fd(u64::from(u32_at(&b, 24)));
    }
    let resv = &b[28..40];
    if resv.iter().any(|&x| x != 0) {
        c.s(", resv=[");
        for (i, word) in resv.chunks_exact(4).enumerate() {
            if i > 0 {
                c.s(", ");
            }
            c.hex(u64::from(u32_at(word, 0)));
        }
        c.s("]");
    }
    true
}

/// The rest of `struct io_uring_params` at exit: the sizes, features and ring offsets the
/// kernel filled in when the call succeeded; then the closing brace.
pub(crate) fn io_uring_params_out(c: &mut Ctx, addr: u64) {
    let mut b = [0u8; 120];
    if c.ok() && c.read_exact(addr, &mut b) {
        let _ = write!(
            c.out,
            ", sq_entries={}, cq_entries={}, features=",
            u32_at(&b, 0),
            u32_at(&b, 4)
        );
        c.flags(u64::from(u32_at(&b, 20)), &xlat::IORING_FEATURES);
        c.s(", sq_off=");
        ring_offsets(
            c,
            &b[40..80],
            &[
                "head",
                "tail",
                "ring_mask",
                "ring_entries",
                "flags",
                "dropped",
                "array",
            ],
        );
        c.s(", cq_off=");
        ring_offsets(
            c,
            &b[80..120],
            &[
                "head",
                "tail",
                "ring_mask",
                "ring_entries",
                "overflow",
                "cqes",
                "flags",
            ],
        );
    }
    c.s("}");
}

/// io_sqring_offsets / io_cqring_offsets: seven u32 fields, then resv1 (u32) and resv2
/// (u64) when set.
fn ring_offsets(c: &mut Ctx, b: &[u8], names: &[&str; 7]) {
    for (i, name) in names.iter().enumerate() {
        let sep = if i == 0 { "{" } else { ", " };
        let _ = write!(c.out, "{sep}{name}={}", u32_at(b, i * 4));
    }
    let (resv1, resv2) = (u32_at(b, 28), u64_at(b, 32));
    if resv1 != 0 {
        c.s(", resv1=");
        c.hex(u64::from(resv1));
    }
    if resv2 != 0 {
        c.s(", resv2=");
        c.hex(resv2);
    }
    c.s("}");
}

/// `struct sched_param`: `[0]`.
pub(crate) fn sched_param(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<4>(c, addr, output) else {
        return;
    };
    let _ = write!(c.out, "[{}]", u32_at(&b, 0) as i32);
}

/// The `struct clone_args` of clone3 (the first 64 bytes are always present).
pub(crate) fn clone_args(c: &mut Ctx, addr: u64, size: u64) {
    const CLONE_PIDFD: u64 = 0x1000;
    const CLONE_PARENT_SETTID: u64 = 0x10_0000;
    const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;
    // strace knows 88 bytes; anything shorter than up to `tls` is not a clone_args.
    let fetch = size.min(88) as usize;
    let mut b = [0u8; 88];
    if fetch < 64 || !c.read_exact(addr, &mut b[..fetch]) {
        c.ptr(addr);
        return;
    }
    let flags = u64_at(&b, 0);
    c.s("{flags=");
    c.flags(flags, &CLONE3_FLAGS);
    for (bit, name, at) in [
        (CLONE_PIDFD, "pidfd", 8),
        (0x0120_0000, "child_tid", 16),
        (CLONE_PARENT_SETTID, "parent_tid", 24),
    ] {
        if flags & bit != 0 {
            let _ = write!(c.out, ", {name}=");
            c.ptr(u64_at(&b, at));
        }
    }
    let exit_signal = u64_at(&b, 32);
    c.s(", exit_signal=");
    if exit_signal == 0 {
        c.s("0");
    } else if exit_signal < i32::MAX as u64 {
        c.signal(exit_signal);
    } else {
        c.udec(exit_signal);
    }
    c.s(", stack=");
    c.ptr(u64_at(&b, 40));
    c.s(", stack_size=");
    c.hex(u64_at(&b, 48));
    if flags & 0x80000 != 0 {
        c.s(", tls=");
        c.ptr(u64_at(&b, 56));
    }
    let (set_tid, set_tid_size) = (u64_at(&b, 64), u64_at(&b, 72));
    if set_tid != 0 || set_tid_size != 0 {
        c.s(", set_tid=");
        if set_tid == 0 || set_tid_size == 0 || set_tid_size > 32 {
            c.ptr(set_tid);
        } else {
            c.array(set_tid, set_tid_size, 4, |c, e| {
                c.dec(i64::from(u32_at(e, 0) as i32));
                true
            });
        }
        let _ = write!(c.out, ", set_tid_size={set_tid_size}");
    }
    let cgroup = u64_at(&b, 80);
    if fetch > 80 && (cgroup != 0 || flags & CLONE_INTO_CGROUP != 0) {
        let _ = write!(c.out, ", cgroup={cgroup}");
    }
    if size > fetch as u64 {
        c.nonzero_tail(addr, fetch as u64, size.min(4096));
    }
    c.s("}");
}

/// What clone3 filled at exit: ` => {pidfd=[3], parent_tid=[1234]}` and a changed tail.
pub(crate) fn clone_args_filled(c: &mut Ctx, addr: u64, size: u64) {
    let fetch = size.min(88) as usize;
    let mut b = [0u8; 88];
    if fetch < 64 {
        return;
    }
    if !c.read_exact(addr, &mut b[..fetch]) {
        c.s(" => ");
        c.ptr(addr);
        return;
    }
    let flags = u64_at(&b, 0);
    let mut prefix = " => {";
    if flags & 0x1000 != 0 {
        let _ = write!(c.out, "{prefix}pidfd=");
        prefix = ", ";
        int_ptr(c, u64_at(&b, 8), true);
    }
    if flags & 0x10_0000 != 0 {
        let _ = write!(c.out, "{prefix}parent_tid=");
        prefix = ", ";
        int_ptr(c, u64_at(&b, 24), true);
    }
    if size > fetch as u64 && c.nonzero_tail_after(prefix, addr, fetch as u64, size.min(4096)) {
        prefix = ", ";
    }
    if prefix == ", " {
        c.s("}");
    }
}

xlat::xlat!(CLONE3_FLAGS, "CLONE_???", [
    0x100 => "CLONE_VM", 0x200 => "CLONE_FS", 0x400 => "CLONE_FILES", 0x800 => "CLONE_SIGHAND",
    0x1000 => "CLONE_PIDFD", 0x2000 => "CLONE_PTRACE", 0x4000 => "CLONE_VFORK",
    0x8000 => "CLONE_PARENT", 0x10000 => "CLONE_THREAD", 0x20000 => "CLONE_NEWNS",
    0x40000 => "CLONE_SYSVSEM", 0x80000 => "CLONE_SETTLS", 0x100000 => "CLONE_PARENT_SETTID",
    0x200000 => "CLONE_CHILD_CLEARTID", 0x800000 => "CLONE_UNTRACED", 0x1000000 => "CLONE_CHILD_SETTID",
    0x2000000 => "CLONE_NEWCGROUP", 0x4000000 => "CLONE_NEWUTS", 0x8000000 => "CLONE_NEWIPC",
    0x10000000 => "CLONE_NEWUSER", 0x20000000 => "CLONE_NEWPID", 0x40000000 => "CLONE_NEWNET",
    0x80000000u64 => "CLONE_IO", 0x80 => "CLONE_NEWTIME", 0x100000000u64 => "CLONE_CLEAR_SIGHAND",
    0x200000000u64 => "CLONE_INTO_CGROUP",
]);

/// `sa_family_t` AF_NETLINK as it is stored.
const AF_NETLINK: [u8; 2] = 16u16.to_ne_bytes();

/// A `struct msghdr` (sendmsg input, recvmsg output). `user_namelen` is recvmsg's
/// msg_namelen at entry: the name is read up to the smaller length and a changed length
/// shows as `110 => 36`.
pub(crate) fn msghdr(
    c: &mut Ctx,
    addr: u64,
    data_len: Option<u64>,
    output: bool,
    user_namelen: Option<i32>,
) {
    let Some(b) = read_struct::<56>(c, addr, output) else {
        return;
    };
    let name = u64_at(&b, 0);
    let namelen = u32_at(&b, 8);
    let iov = u64_at(&b, 16);
    let iovlen = u64_at(&b, 24);
    let control = u64_at(&b, 32);
    let controllen = u64_at(&b, 40);
    let flags = u32_at(&b, 48);
    let name_len = match user_namelen {
        Some(user) if (namelen as i32) > user => user,
        _ => namelen as i32,
    };
    c.s("{msg_name=");
    if name == 0 || name_len <= 0 {
        c.ptr(name);
    } else {
        sockaddr(c, name, name_len as u64, false);
    }
    c.s(", msg_namelen=");
    if let Some(user) = user_namelen.filter(|user| *user != namelen as i32) {
        let _ = write!(c.out, "{user} => ");
    }
    let _ = write!(c.out, "{namelen}, msg_iov=");
    // strace's print_struct_msghdr: data sent to or received from a netlink address is
    // decoded as netlink messages of the socket in the first argument.
    let mut family = [0u8; 2];
    let netlink = name_len >= 2 && c.read_exact(name, &mut family) && family == AF_NETLINK;
    if netlink {
        let fd = c.args[0];
        iovec_array_with(
            c,
            iov,
            iovlen,
            Some(data_len.unwrap_or(u64::MAX)),
            |c, base, len| super::netlink::decode(c, fd, base, len),
        );
    } else {
        iovec(c, iov, iovlen, data_len, false);
    }
    let _ = write!(c.out, ", msg_iovlen={iovlen}");
    super::cmsg::msg_control(c, control, controllen);
    let _ = write!(c.out, ", msg_controllen={controllen}, msg_flags=");
    c.flags(u64::from(flags), &xlat::MSG_FLAGS);
    c.s("}");
}

/// `struct winsize`: `{ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}`.
pub(crate) fn winsize(c: &mut Ctx, addr: u64, output: bool) {
    let Some(b) = read_struct::<8>(c, addr, output) else {
        return;
    };
    let _ = write!(
        c.out,
        "{{ws_row={}, ws_col={}, ws_xpixel={}, ws_ypixel={}}}",
        u16_at(&b, 0),
        u16_at(&b, 2),
        u16_at(&b, 4),
        u16_at(&b, 6)
    );
}

/// mincore's vector: one byte per page, shown as the residency bit: `[1 0 1]`.
pub(crate) fn mincore_vec(c: &mut Ctx, addr: u64, len: u64) {
    if !c.ok() {
        c.ptr(addr);
        return;
    }
    c.array(addr, len.div_ceil(4096), 1, |c, b| {
        c.udec(u64::from(b[0] & 1));
        true
    });
}

/// strace's print_local_array_upto: the first `upto` elements (at most all of them), cut
/// at `-s` elements unless `-v`.
pub(crate) fn local_array(
    c: &mut Ctx,
    count: usize,
    upto: u32,
    mut element: impl FnMut(&mut Ctx, usize),
) {
    let shown = count.min(upto as usize);
    let limit = if c.style.verbose {
        usize::MAX
    } else {
        c.style.string_limit
    };
    c.s("[");
    for i in 0..shown {
        if i > 0 {
            c.s(", ");
        }
        if i >= limit {
            c.s("...");
            break;
        }
        element(c, i);
    }
    c.s("]");
}
