//! ioctl: the request's name and the argument decoders of strace's `*_ioctl.c` for the
//! request families decoded here (tty, fs `'f'`/`'X'`, random, watchdog, inotify, nbd, nsfs,
//! counter, block).
//!
//! strace decodes in two phases: at entry a family decoder either prints the argument and is
//! done, asks to be called again at exit (an output argument), or leaves the argument to the
//! generic `, 0x...`. [`Phase`] is that answer.

use std::fmt::Write;

use super::Ctx;
use super::print::{self, write_composite};
use super::structs::{self as st, read_struct, u16_at, u32_at, u64_at};
use crate::decode::Ret;
use crate::xlat::{self, Xlat};

mod btrfs;
mod dm;
mod evdev;
mod gpio;
mod kd;
mod kvm;
mod lirc;
mod loop_dev;
mod mtd;
mod perf_ioctl;
mod rtc;
mod scsi;
mod sg_io;
mod sock;
mod tee;
mod term;
mod ubi;
mod uffdio;
mod v4l2;

/// What a family decoder did in this phase (strace's 0, `RVAL_DECODED`, `RVAL_IOCTL_DECODED`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Call again at exit (the argument is an output).
    Later,
    /// Not decoded here: print the argument as `0x...`.
    Generic,
    /// Everything printed.
    Done,
    /// Everything printed, and the return value is a new file descriptor.
    DoneFd,
}

/// `Entry::saved[0]` values between the two phases.
const SAVED_LATER: u64 = 1;
const SAVED_FD: u64 = 2;

pub(super) fn dec_ioctl(c: &mut Ctx) {
    let a = c.args;
    let code = (a[1] & 0xffff_ffff) as u32;
    let phase = if c.entering() {
        c.next();
        c.fd(a[0]);
        c.next();
        write_code(c, code);
        let phase = decode(c, code, a[2]);
        c.saved[0] = match phase {
            Phase::Later => SAVED_LATER,
            Phase::DoneFd => SAVED_FD,
            _ => 0,
        };
        if phase == Phase::Later {
            c.stop_after();
        }
        phase
    } else {
        match c.saved[0] {
            SAVED_LATER => match decode(c, code, a[2]) {
                Phase::DoneFd => {
                    c.ret_kind = Some(Ret::Fd);
                    Phase::Done
                }
                phase => phase,
            },
            SAVED_FD => {
                c.ret_kind = Some(Ret::Fd);
                Phase::Done
            }
            _ => Phase::Done,
        }
    };
    if phase == Phase::Generic {
        c.next();
        c.hex(a[2]);
    }
}

/// `FS_IOC_GETFLAGS`; with `-X raw` `0x80086601`, with `-X verbose` both. Unknown requests
/// print as `_IOC(_IOC_READ, 0x12, 0x72, 0x8)`; a number with several names shows them all
/// joined by ` or `.
fn write_code(c: &mut Ctx, code: u32) {
    let outer = print::xlat_style();
    write_composite(
        c.out,
        |out| super::write_hex(out, u64::from(code)),
        |out| {
            if (code >> 8) & 0xff == u32::from(b'E') && evdev::write_name(out, code, outer) {
                return;
            }
            // hiddev/hidraw requests whose size is the caller's buffer: `HIDIOCGPHYS(8)`.
            if (code >> 8) & 0xff == u32::from(b'H')
                && let Some(name) = hid_sized_name(code)
            {
                let _ = write!(out, "{name}({})", (code >> 16) & 0x3fff);
                return;
            }
            let mut names = names_of(code).peekable();
            // Type 'M' is also the sound mixer's (linux/soundcard.h).
            let mixer = match code >> 30 {
                _ if (code >> 8) & 0xff != u32::from(b'M') => None,
                1 => Some("MIXER_WRITE"),
                2 => Some("MIXER_READ"),
                _ => None,
            };
            if let Some(mixer) = mixer {
                let _ = write!(out, "{mixer}({})", code & 0xff);
            } else if names.peek().is_none() {
                write_ioc(out, code);
            }
            for (i, name) in names.enumerate() {
                if i > 0 || mixer.is_some() {
                    out.push_str(" or ");
                }
                out.push_str(name);
            }
        },
    );
}

/// linux/hidraw.h's and hiddev.h's requests with the buffer size in the number.
fn hid_sized_name(code: u32) -> Option<&'static str> {
    match (code >> 30, code & 0xff) {
        (2, 0x04) => Some("HIDIOCGRAWNAME"),
        (2, 0x05) => Some("HIDIOCGRAWPHYS"),
        (2 | 3, 0x06) => Some("HIDIOCSFEATURE"),
        (3, 0x07) => Some("HIDIOCGFEATURE"),
        (2, 0x08) => Some("HIDIOCGRAWUNIQ"),
        (2, 0x12) => Some("HIDIOCGPHYS"),
        _ => None,
    }
}

fn write_ioc(out: &mut String, code: u32) {
    let dir = [
        "_IOC_NONE",
        "_IOC_WRITE",
        "_IOC_READ",
        "_IOC_READ|_IOC_WRITE",
    ][(code >> 30) as usize];
    out.push_str("_IOC(");
    out.push_str(dir);
    for v in [(code >> 8) & 0xff, code & 0xff, (code >> 16) & 0x3fff] {
        out.push_str(", ");
        super::write_hex(out, u64::from(v));
    }
    out.push(')');
}

fn decode(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match (code >> 8) & 0xff {
        0x03 => hdio(c, code, arg),
        0x12 => block(c, code, arg),
        0x21 => seccomp(c, code, arg),
        0x3d => ptp(c, code, arg),
        0x22 => scsi::scsi(c, code, arg),
        0x24 => perf_ioctl::perf_ioctl(c, code, arg),
        0x3e => counter(c, code, arg),
        0x45 => evdev::evdev(c, code, arg),
        0x49 => inotify(c, code, arg),
        0x4b => kd::kd(c, code, arg),
        0x4c => loop_dev::loop_dev(c, code, arg),
        0x4d => mtd::mtd(c, code, arg),
        0x69 => lirc::lirc(c, code, arg),
        0x70 => rtc::rtc(c, code, arg),
        0x89 => sock::sock(c, code, arg),
        0x94 => btrfs::fs_0x94(c, code, arg),
        0x4f | 0x6f => ubi::ubi(c, code, arg),
        0x52 => random(c, code, arg),
        0x54 => tty(c, code, arg),
        0x57 => watchdog(c, code, arg),
        0x58 => fs_x(c, code, arg),
        0x56 => v4l2::v4l2(c, code, arg),
        0x66 => fs_f(c, code, arg),
        0xa4 => tee::tee(c, code, arg),
        0xaa => uffdio::uffdio(c, code, arg),
        0xab => nbd(c, code, arg),
        0xae => kvm::kvm(c, code, arg),
        0xfd => dm::dm_ioctl(c, code, arg),
        0xb4 => gpio::gpio(c, code, arg),
        0xb7 => nsfs(c, code, arg),
        _ => Phase::Generic,
    }
}

// The kernel's _IOC encoding (include/uapi/asm-generic/ioctl.h).
const fn ioc(dir: u32, kind: u8, nr: u8, size: u32) -> u32 {
    (dir << 30) | (size << 16) | ((kind as u32) << 8) | nr as u32
}
const fn io(kind: u8, nr: u8) -> u32 {
    ioc(0, kind, nr, 0)
}
const fn iow(kind: u8, nr: u8, size: u32) -> u32 {
    ioc(1, kind, nr, size)
}
const fn ior(kind: u8, nr: u8, size: u32) -> u32 {
    ioc(2, kind, nr, size)
}
const fn iowr(kind: u8, nr: u8, size: u32) -> u32 {
    ioc(3, kind, nr, size)
}

mod code {
    use super::{io, ior, iow, iowr};
    // linux/fs.h
    pub const FS_IOC_GETFLAGS: u32 = ior(b'f', 1, 8);
    pub const FS_IOC_SETFLAGS: u32 = iow(b'f', 2, 8);
    pub const FS_IOC32_GETFLAGS: u32 = ior(b'f', 1, 4);
    pub const FS_IOC32_SETFLAGS: u32 = iow(b'f', 2, 4);
    pub const FS_IOC_FIEMAP: u32 = iowr(b'f', 11, 32);
    pub const FIFREEZE: u32 = iowr(b'X', 119, 4);
    pub const FITHAW: u32 = iowr(b'X', 120, 4);
    pub const FITRIM: u32 = iowr(b'X', 121, 24);
    pub const FS_IOC_FSGETXATTR: u32 = ior(b'X', 31, 28);
    pub const FS_IOC_FSSETXATTR: u32 = iow(b'X', 32, 28);
    // linux/random.h
    pub const RNDGETENTCNT: u32 = ior(b'R', 0, 4);
    pub const RNDADDTOENTCNT: u32 = iow(b'R', 1, 4);
    pub const RNDGETPOOL: u32 = ior(b'R', 2, 8);
    pub const RNDADDENTROPY: u32 = iow(b'R', 3, 8);
    pub const RNDZAPENTCNT: u32 = io(b'R', 4);
    pub const RNDCLEARPOOL: u32 = io(b'R', 6);
    pub const RNDRESEEDCRNG: u32 = io(b'R', 7);
    // linux/watchdog.h
    pub const WDIOC_GETSUPPORT: u32 = ior(b'W', 0, 40);
    pub const WDIOC_GETSTATUS: u32 = ior(b'W', 1, 4);
    pub const WDIOC_GETBOOTSTATUS: u32 = ior(b'W', 2, 4);
    pub const WDIOC_GETTEMP: u32 = ior(b'W', 3, 4);
    pub const WDIOC_SETOPTIONS: u32 = ior(b'W', 4, 4);
    pub const WDIOC_KEEPALIVE: u32 = ior(b'W', 5, 4);
    pub const WDIOC_SETTIMEOUT: u32 = iowr(b'W', 6, 4);
    pub const WDIOC_GETTIMEOUT: u32 = ior(b'W', 7, 4);
    pub const WDIOC_SETPRETIMEOUT: u32 = iowr(b'W', 8, 4);
    pub const WDIOC_GETPRETIMEOUT: u32 = ior(b'W', 9, 4);
    pub const WDIOC_GETTIMELEFT: u32 = ior(b'W', 10, 4);
    // linux/inotify.h
    pub const INOTIFY_IOC_SETNEXTWD: u32 = iow(b'I', 0, 4);
    // linux/nbd.h
    pub const NBD_SET_SOCK: u32 = io(0xab, 0);
    pub const NBD_SET_BLKSIZE: u32 = io(0xab, 1);
    pub const NBD_SET_SIZE: u32 = io(0xab, 2);
    pub const NBD_DO_IT: u32 = io(0xab, 3);
    pub const NBD_CLEAR_SOCK: u32 = io(0xab, 4);
    pub const NBD_CLEAR_QUE: u32 = io(0xab, 5);
    pub const NBD_PRINT_DEBUG: u32 = io(0xab, 6);
    pub const NBD_SET_SIZE_BLOCKS: u32 = io(0xab, 7);
    pub const NBD_DISCONNECT: u32 = io(0xab, 8);
    pub const NBD_SET_TIMEOUT: u32 = io(0xab, 9);
    pub const NBD_SET_FLAGS: u32 = io(0xab, 10);
    // linux/nsfs.h
    pub const NS_GET_USERNS: u32 = io(0xb7, 1);
    pub const NS_GET_PARENT: u32 = io(0xb7, 2);
    pub const NS_GET_NSTYPE: u32 = io(0xb7, 3);
    pub const NS_GET_OWNER_UID: u32 = io(0xb7, 4);
    // linux/counter.h
    pub const COUNTER_ADD_WATCH_IOCTL: u32 = iow(0x3e, 0, 6);
    pub const COUNTER_ENABLE_EVENTS_IOCTL: u32 = io(0x3e, 1);
    pub const COUNTER_DISABLE_EVENTS_IOCTL: u32 = io(0x3e, 2);
    // linux/ptp_clock.h
    pub const PTP_CLOCK_GETCAPS: u32 = ior(b'=', 1, 80);
    pub const PTP_EXTTS_REQUEST: u32 = iow(b'=', 2, 16);
    pub const PTP_PEROUT_REQUEST: u32 = iow(b'=', 3, 56);
    pub const PTP_ENABLE_PPS: u32 = iow(b'=', 4, 4);
    pub const PTP_SYS_OFFSET: u32 = iow(b'=', 5, 832);
    pub const PTP_PIN_GETFUNC: u32 = iowr(b'=', 6, 96);
    pub const PTP_PIN_SETFUNC: u32 = iow(b'=', 7, 96);
    pub const PTP_SYS_OFFSET_PRECISE: u32 = iowr(b'=', 8, 64);
    pub const PTP_SYS_OFFSET_EXTENDED: u32 = iowr(b'=', 9, 1216);
    pub const PTP_CLOCK_GETCAPS2: u32 = ior(b'=', 10, 80);
    pub const PTP_EXTTS_REQUEST2: u32 = iow(b'=', 11, 16);
    pub const PTP_PEROUT_REQUEST2: u32 = iow(b'=', 12, 56);
    pub const PTP_ENABLE_PPS2: u32 = iow(b'=', 13, 4);
    pub const PTP_SYS_OFFSET2: u32 = iow(b'=', 14, 832);
    pub const PTP_PIN_GETFUNC2: u32 = iowr(b'=', 15, 96);
    pub const PTP_PIN_SETFUNC2: u32 = iow(b'=', 16, 96);
    pub const PTP_SYS_OFFSET_PRECISE2: u32 = iowr(b'=', 17, 64);
    pub const PTP_SYS_OFFSET_EXTENDED2: u32 = iowr(b'=', 18, 1216);
    // linux/seccomp.h
    pub const SECCOMP_IOCTL_NOTIF_RECV: u32 = iowr(b'!', 0, 80);
    pub const SECCOMP_IOCTL_NOTIF_SEND: u32 = iowr(b'!', 1, 24);
    pub const SECCOMP_IOCTL_NOTIF_ID_VALID: u32 = iow(b'!', 2, 8);
    /// The number the kernel's headers first had (5.0), still accepted.
    pub const SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR: u32 = ior(b'!', 2, 8);
    pub const SECCOMP_IOCTL_NOTIF_ADDFD: u32 = iow(b'!', 3, 24);
}
use code::*;

/// Request names, sorted by number and then by name: strace prints every name of a number
/// (x86_64 values of the kernel's uapi headers, as in strace 6.1's ioctl table).
static NAMES: &[(u32, &str)] = &[
    // linux/hdreg.h
    (0x0301, "HDIO_GETGEO"),
    (0x0302, "HDIO_GET_UNMASKINTR"),
    (0x0304, "HDIO_GET_MULTCOUNT"),
    (0x0305, "HDIO_GET_QDMA"),
    (0x0306, "HDIO_SET_XFER"),
    (0x0307, "HDIO_OBSOLETE_IDENTITY"),
    (0x0308, "HDIO_GET_KEEPSETTINGS"),
    (0x0309, "HDIO_GET_32BIT"),
    (0x030a, "HDIO_GET_NOWERR"),
    (0x030b, "HDIO_GET_DMA"),
    (0x030c, "HDIO_GET_NICE"),
    (0x030d, "HDIO_GET_IDENTITY"),
    (0x030e, "HDIO_GET_WCACHE"),
    (0x030f, "HDIO_GET_ACOUSTIC"),
    (0x0310, "HDIO_GET_ADDRESS"),
    (0x031a, "HDIO_GET_BUSSTATE"),
    (0x031b, "HDIO_TRISTATE_HWIF"),
    (0x031c, "HDIO_DRIVE_RESET"),
    (0x031d, "HDIO_DRIVE_TASKFILE"),
    (0x031e, "HDIO_DRIVE_TASK"),
    (0x031f, "HDIO_DRIVE_CMD"),
    (0x0321, "HDIO_SET_MULTCOUNT"),
    (0x0322, "HDIO_SET_UNMASKINTR"),
    (0x0323, "HDIO_SET_KEEPSETTINGS"),
    (0x0324, "HDIO_SET_32BIT"),
    (0x0325, "HDIO_SET_NOWERR"),
    (0x0326, "HDIO_SET_DMA"),
    (0x0327, "HDIO_SET_PIO_MODE"),
    (0x0328, "HDIO_SCAN_HWIF"),
    (0x0329, "HDIO_SET_NICE"),
    (0x032a, "HDIO_UNREGISTER_HWIF"),
    (0x032b, "HDIO_SET_WCACHE"),
    (0x032c, "HDIO_SET_ACOUSTIC"),
    (0x032d, "HDIO_SET_BUSSTATE"),
    (0x032e, "HDIO_SET_QDMA"),
    (0x032f, "HDIO_SET_ADDRESS"),
    (0x5204, "FASTRPC_IOCTL_INIT_ATTACH"),
    (RNDZAPENTCNT, "RNDZAPENTCNT"),
    (RNDCLEARPOOL, "RNDCLEARPOOL"),
    (RNDRESEEDCRNG, "RNDRESEEDCRNG"),
    (0x5401, "TCGETS"),
    (0x5402, "SNDCTL_TMR_START"),
    (0x5402, "TCSETS"),
    (0x5403, "SNDCTL_TMR_STOP"),
    (0x5403, "TCSETSW"),
    (0x5404, "SNDCTL_TMR_CONTINUE"),
    (0x5404, "TCSETSF"),
    (0x540b, "TCFLSH"),
    (0x540e, "TIOCSCTTY"),
    (0x540f, "TIOCGPGRP"),
    (0x5410, "TIOCSPGRP"),
    (0x5413, "TIOCGWINSZ"),
    (0x5414, "TIOCSWINSZ"),
    (TIOCMGET, "TIOCMGET"),
    (TIOCMBIS, "TIOCMBIS"),
    (TIOCMBIC, "TIOCMBIC"),
    (TIOCMSET, "TIOCMSET"),
    (0x541b, "FIONREAD"),
    (0x5421, "FIONBIO"),
    (0x5422, "TIOCNOTTY"),
    (0x5450, "FIONCLEX"),
    (0x5451, "FIOCLEX"),
    (0x5452, "FIOASYNC"),
    (NBD_SET_SOCK, "NBD_SET_SOCK"),
    (NBD_SET_BLKSIZE, "NBD_SET_BLKSIZE"),
    (NBD_SET_SIZE, "NBD_SET_SIZE"),
    (NBD_DO_IT, "NBD_DO_IT"),
    (NBD_CLEAR_SOCK, "NBD_CLEAR_SOCK"),
    (NBD_CLEAR_QUE, "NBD_CLEAR_QUE"),
    (NBD_PRINT_DEBUG, "NBD_PRINT_DEBUG"),
    (NBD_SET_SIZE_BLOCKS, "NBD_SET_SIZE_BLOCKS"),
    (NBD_DISCONNECT, "NBD_DISCONNECT"),
    (NBD_SET_TIMEOUT, "NBD_SET_TIMEOUT"),
    (NBD_SET_FLAGS, "NBD_SET_FLAGS"),
    (NS_GET_USERNS, "NS_GET_USERNS"),
    (NS_GET_PARENT, "NS_GET_PARENT"),
    (NS_GET_NSTYPE, "NS_GET_NSTYPE"),
    (NS_GET_OWNER_UID, "NS_GET_OWNER_UID"),
    (COUNTER_ENABLE_EVENTS_IOCTL, "COUNTER_ENABLE_EVENTS_IOCTL"),
    (COUNTER_DISABLE_EVENTS_IOCTL, "COUNTER_DISABLE_EVENTS_IOCTL"),
    (COUNTER_ADD_WATCH_IOCTL, "COUNTER_ADD_WATCH_IOCTL"),
    (INOTIFY_IOC_SETNEXTWD, "INOTIFY_IOC_SETNEXTWD"),
    (RNDADDTOENTCNT, "RNDADDTOENTCNT"),
    (FS_IOC32_SETFLAGS, "FS_IOC32_SETFLAGS"),
    (RNDADDENTROPY, "RNDADDENTROPY"),
    (FS_IOC_SETFLAGS, "FS_IOC_SETFLAGS"),
    (FS_IOC_FSSETXATTR, "FS_IOC_FSSETXATTR"),
    (0x80045430, "TIOCGPTN"),
    (RNDGETENTCNT, "RNDGETENTCNT"),
    (WDIOC_GETSTATUS, "WDIOC_GETSTATUS"),
    (WDIOC_GETBOOTSTATUS, "WDIOC_GETBOOTSTATUS"),
    (WDIOC_GETTEMP, "WDIOC_GETTEMP"),
    (WDIOC_SETOPTIONS, "WDIOC_SETOPTIONS"),
    (WDIOC_KEEPALIVE, "WDIOC_KEEPALIVE"),
    (WDIOC_GETTIMEOUT, "WDIOC_GETTIMEOUT"),
    (WDIOC_GETPRETIMEOUT, "WDIOC_GETPRETIMEOUT"),
    (WDIOC_GETTIMELEFT, "WDIOC_GETTIMELEFT"),
    (FS_IOC32_GETFLAGS, "FS_IOC32_GETFLAGS"),
    (RNDGETPOOL, "RNDGETPOOL"),
    (FS_IOC_GETFLAGS, "FS_IOC_GETFLAGS"),
    (FS_IOC_FSGETXATTR, "FS_IOC_FSGETXATTR"),
    (WDIOC_GETSUPPORT, "WDIOC_GETSUPPORT"),
    (0x40045431, "TIOCSPTLCK"),
    (FIFREEZE, "FIFREEZE"),
    (FITHAW, "FITHAW"),
    (WDIOC_SETTIMEOUT, "WDIOC_SETTIMEOUT"),
    (WDIOC_SETPRETIMEOUT, "WDIOC_SETPRETIMEOUT"),
    (FITRIM, "FITRIM"),
    (FS_IOC_FIEMAP, "FS_IOC_FIEMAP"),
    (PTP_CLOCK_GETCAPS, "PTP_CLOCK_GETCAPS"),
    (PTP_EXTTS_REQUEST, "PTP_EXTTS_REQUEST"),
    (PTP_PEROUT_REQUEST, "PTP_PEROUT_REQUEST"),
    (PTP_ENABLE_PPS, "PTP_ENABLE_PPS"),
    (PTP_SYS_OFFSET, "PTP_SYS_OFFSET"),
    (PTP_PIN_GETFUNC, "PTP_PIN_GETFUNC"),
    (PTP_PIN_SETFUNC, "PTP_PIN_SETFUNC"),
    (PTP_SYS_OFFSET_PRECISE, "PTP_SYS_OFFSET_PRECISE"),
    (PTP_SYS_OFFSET_EXTENDED, "PTP_SYS_OFFSET_EXTENDED"),
    (PTP_CLOCK_GETCAPS2, "PTP_CLOCK_GETCAPS2"),
    (PTP_EXTTS_REQUEST2, "PTP_EXTTS_REQUEST2"),
    (PTP_PEROUT_REQUEST2, "PTP_PEROUT_REQUEST2"),
    (PTP_ENABLE_PPS2, "PTP_ENABLE_PPS2"),
    (PTP_SYS_OFFSET2, "PTP_SYS_OFFSET2"),
    (PTP_PIN_GETFUNC2, "PTP_PIN_GETFUNC2"),
    (PTP_PIN_SETFUNC2, "PTP_PIN_SETFUNC2"),
    (PTP_SYS_OFFSET_PRECISE2, "PTP_SYS_OFFSET_PRECISE2"),
    (PTP_SYS_OFFSET_EXTENDED2, "PTP_SYS_OFFSET_EXTENDED2"),
    (SECCOMP_IOCTL_NOTIF_RECV, "SECCOMP_IOCTL_NOTIF_RECV"),
    (SECCOMP_IOCTL_NOTIF_SEND, "SECCOMP_IOCTL_NOTIF_SEND"),
    (SECCOMP_IOCTL_NOTIF_ID_VALID, "SECCOMP_IOCTL_NOTIF_ID_VALID"),
    (
        SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR,
        "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR",
    ),
    (SECCOMP_IOCTL_NOTIF_ADDFD, "SECCOMP_IOCTL_NOTIF_ADDFD"),
    // Requests strace 6.1's tests/ioctl.c names: linux/mmtimer.h, linux/hiddev.h and
    // linux/hidraw.h, and ZFS's (include/sys/fs/zfs.h,
    // lib/libspl/include/sys/kstat.h).
    (ior(b'm', 1, 8), "MMTIMER_GETRES"),
    (ior(b'H', 1, 4), "HIDIOCGRDESCSIZE"),
    (ior(b'H', 1, 4), "HIDIOCGVERSION"),
    (0x5a00, "ZFS_IOC_POOL_CREATE"),
    (0x5a41, "ZFS_IOC_SEND_SPACE"),
    (ior(0x12, 125, 256), "BLKZNAME"),
    (0x4b01, "KSTAT_IOC_CHAIN_ID"),
];

fn names_of(code: u32) -> impl Iterator<Item = &'static str> {
    let table = sorted_names();
    let start = table.partition_point(|&(c, _)| c < code);
    table[start..]
        .iter()
        .take_while(move |&&(c, _)| c == code)
        .map(|&(_, name)| name)
}

/// Every named request number, for tests that try them all.
#[cfg(test)]
pub(super) fn named_requests() -> impl Iterator<Item = u32> {
    sorted_names().iter().map(|&(code, _)| code)
}

/// [`NAMES`] and [`BLOCK_NAMES`] sorted once by (number, name).
fn sorted_names() -> &'static [(u32, &'static str)] {
    static SORTED: std::sync::OnceLock<Vec<(u32, &'static str)>> = std::sync::OnceLock::new();
    SORTED.get_or_init(|| {
        let mut all: Vec<_> = NAMES
            .iter()
            .chain(BLOCK_NAMES)
            .chain(btrfs::NAMES)
            .chain(dm::NAMES)
            .chain(evdev::NAMES)
            .chain(mtd::NAMES)
            .chain(kd::NAMES)
            .chain(kvm::NAMES)
            .chain(gpio::NAMES)
            .chain(lirc::NAMES)
            .chain(loop_dev::NAMES)
            .chain(perf_ioctl::NAMES)
            .chain(rtc::NAMES)
            .chain(scsi::NAMES)
            .chain(sock::NAMES)
            .chain(tee::NAMES)
            .chain(term::NAMES)
            .chain(uffdio::NAMES)
            .chain(ubi::NAMES)
            .chain(v4l2::NAMES)
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    })
}

/// `[42]` from an `int *` at exit when the call succeeded, else its address.
fn int_arg(c: &mut Ctx, arg: u64) -> Phase {
    c.next();
    st::int_ptr(c, arg, !c.entering());
    Phase::Done
}

/// A read-write argument's separator: `, ` at entry, ` => ` at exit when the call
/// succeeded (strace's tprint_value_changed); false when there is nothing more to show.
fn rw_prefix(c: &mut Ctx) -> bool {
    if c.entering() {
        c.next();
    } else if c.ok() {
        c.s(" => ");
    } else {
        return false;
    }
    true
}

/// An output argument: nothing at entry, `decode` at exit.
fn at_exit(c: &mut Ctx, decode: impl FnOnce(&mut Ctx) -> Phase) -> Phase {
    if c.entering() {
        Phase::Later
    } else {
        decode(c)
    }
}

fn tty(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    if let Some(phase) = term::term(c, code, arg) {
        return phase;
    }
    match code {
        0x5413 => at_exit(c, |c| {
            c.next();
            st::winsize(c, arg, true);
            Phase::Done
        }),
        0x540f | 0x541b | 0x80045430 => at_exit(c, |c| int_arg(c, arg)),
        TIOCMGET => at_exit(c, |c| flags_arg(c, arg, &MODEM_FLAGS)),
        TIOCMBIS | TIOCMBIC | TIOCMSET => flags_arg(c, arg, &MODEM_FLAGS),
        // FIONBIO, FIOASYNC, TIOCSPGRP, TIOCSPTLCK take an int pointer.
        0x5421 | 0x5452 | 0x5410 | 0x40045431 => int_arg(c, arg),
        // FIOCLEX, FIONCLEX, TIOCNOTTY take no argument.
        0x5451 | 0x5450 | 0x5422 => Phase::Done,
        0x540e => {
            c.next();
            c.int(arg);
            Phase::Done
        }
        0x5414 => {
            c.next();
            st::winsize(c, arg, false);
            Phase::Done
        }
        _ => Phase::Generic,
    }
}

// asm-generic/termios.h
const TIOCMGET: u32 = 0x5415;
const TIOCMBIS: u32 = 0x5416;
const TIOCMBIC: u32 = 0x5417;
const TIOCMSET: u32 = 0x5418;

// strace's src/xlat/modem_flags.in (x86 values).
xlat::xlat!(MODEM_FLAGS, "TIOCM_???", [
    0x1 => "TIOCM_LE", 0x2 => "TIOCM_DTR", 0x4 => "TIOCM_RTS", 0x8 => "TIOCM_ST", 0x10 => "TIOCM_SR",
    0x20 => "TIOCM_CTS", 0x40 => "TIOCM_CAR", 0x80 => "TIOCM_RNG", 0x100 => "TIOCM_DSR",
    0x2000 => "TIOCM_OUT1", 0x4000 => "TIOCM_OUT2", 0x8000 => "TIOCM_LOOP",
]);

// strace's src/xlat/fs_ioc_flags.in.
xlat::xlat!(FS_IOC_FLAGS, "FS_???_FL", [
    0x1 => "FS_SECRM_FL", 0x2 => "FS_UNRM_FL", 0x4 => "FS_COMPR_FL", 0x8 => "FS_SYNC_FL",
    0x10 => "FS_IMMUTABLE_FL", 0x20 => "FS_APPEND_FL", 0x40 => "FS_NODUMP_FL",
    0x80 => "FS_NOATIME_FL", 0x100 => "FS_DIRTY_FL", 0x200 => "FS_COMPRBLK_FL",
    0x400 => "FS_NOCOMP_FL", 0x800 => "FS_ENCRYPT_FL", 0x1000 => "FS_INDEX_FL",
    0x2000 => "FS_IMAGIC_FL", 0x4000 => "FS_JOURNAL_DATA_FL", 0x8000 => "FS_NOTAIL_FL",
    0x10000 => "FS_DIRSYNC_FL", 0x20000 => "FS_TOPDIR_FL", 0x40000 => "FS_HUGE_FILE_FL",
    0x80000 => "FS_EXTENT_FL", 0x100000 => "FS_VERITY_FL", 0x200000 => "FS_EA_INODE_FL",
    0x400000 => "FS_EOFBLOCKS_FL", 0x800000 => "FS_NOCOW_FL", 0x2000000 => "FS_DAX_FL",
    0x10000000 => "FS_INLINE_DATA_FL", 0x20000000 => "FS_PROJINHERIT_FL",
    0x40000000 => "FS_CASEFOLD_FL", 0x80000000 => "FS_RESERVED_FL",
]);

xlat::xlat!(FIEMAP_FLAGS, "FIEMAP_FLAG_???", [
    1 => "FIEMAP_FLAG_SYNC", 2 => "FIEMAP_FLAG_XATTR", 4 => "FIEMAP_FLAG_CACHE",
]);

xlat::xlat!(FIEMAP_EXTENT_FLAGS, "FIEMAP_EXTENT_???", [
    0x1 => "FIEMAP_EXTENT_LAST", 0x2 => "FIEMAP_EXTENT_UNKNOWN", 0x4 => "FIEMAP_EXTENT_DELALLOC",
    0x8 => "FIEMAP_EXTENT_ENCODED", 0x80 => "FIEMAP_EXTENT_DATA_ENCRYPTED",
    0x100 => "FIEMAP_EXTENT_NOT_ALIGNED", 0x200 => "FIEMAP_EXTENT_DATA_INLINE",
    0x400 => "FIEMAP_EXTENT_DATA_TAIL", 0x800 => "FIEMAP_EXTENT_UNWRITTEN",
    0x1000 => "FIEMAP_EXTENT_MERGED", 0x2000 => "FIEMAP_EXTENT_SHARED",
]);

/// strace's fs_f_ioctl.c: inode flags and FIEMAP.
fn fs_f(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        FS_IOC_FIEMAP => fiemap(c, arg),
        FS_IOC_GETFLAGS | FS_IOC32_GETFLAGS => at_exit(c, |c| fs_flags(c, arg)),
        FS_IOC_SETFLAGS | FS_IOC32_SETFLAGS => fs_flags(c, arg),
        _ => Phase::Generic,
    }
}

fn fs_flags(c: &mut Ctx, arg: u64) -> Phase {
    flags_arg(c, arg, &FS_IOC_FLAGS)
}

/// `[FLAG_A|FLAG_B]`: the `unsigned int` flags at `arg`.
fn flags_arg(c: &mut Ctx, arg: u64, x: &Xlat) -> Phase {
    c.next();
    if let Some(b) = read_struct::<4>(c, arg, !c.entering()) {
        c.s("[");
        c.flags(u64::from(u32_at(&b, 0)), x);
        c.s("]");
    }
    Phase::Done
}

/// `struct fiemap` (linux/fiemap.h): the request at entry, ` => ` the answer at exit.
fn fiemap(c: &mut Ctx, arg: u64) -> Phase {
    let entering = c.entering();
    if !rw_prefix(c) {
        return Phase::Done;
    }
    let Some(b) = read_struct::<32>(c, arg, false) else {
        return Phase::Done;
    };
    let flags = u64::from(u32_at(&b, 16));
    if entering {
        c.s("{fm_start=");
        c.udec(u64_at(&b, 0));
        c.s(", fm_length=");
        c.udec(u64_at(&b, 8));
        c.s(", fm_flags=");
        c.flags(flags, &FIEMAP_FLAGS);
        c.s(", fm_extent_count=");
        c.udec(u64::from(u32_at(&b, 24)));
        c.s("}");
        return Phase::Later;
    }
    let mapped = u32_at(&b, 20);
    c.s("{fm_flags=");
    c.flags(flags, &FIEMAP_FLAGS);
    c.s(", fm_mapped_extents=");
    c.udec(u64::from(mapped));
    if c.style.verbose {
        c.s(", fm_extents=");
        c.array(arg + 32, u64::from(mapped), 56, |c, e| {
            c.s("{fe_logical=");
            c.udec(u64_at(e, 0));
            c.s(", fe_physical=");
            c.udec(u64_at(e, 8));
            c.s(", fe_length=");
            c.udec(u64_at(e, 16));
            c.s(", fe_flags=");
            c.flags(u64::from(u32_at(e, 40)), &FIEMAP_EXTENT_FLAGS);
            c.s("}");
            true
        });
    } else {
        c.s(", ...");
    }
    c.s("}");
    Phase::Done
}

// strace's src/xlat/fs_xflags.in.
xlat::xlat!(FS_XFLAGS, "FS_XFLAG_???", [
    0x1 => "FS_XFLAG_REALTIME", 0x2 => "FS_XFLAG_PREALLOC", 0x8 => "FS_XFLAG_IMMUTABLE",
    0x10 => "FS_XFLAG_APPEND", 0x20 => "FS_XFLAG_SYNC", 0x40 => "FS_XFLAG_NOATIME",
    0x80 => "FS_XFLAG_NODUMP", 0x100 => "FS_XFLAG_RTINHERIT", 0x200 => "FS_XFLAG_PROJINHERIT",
    0x400 => "FS_XFLAG_NOSYMLINKS", 0x800 => "FS_XFLAG_EXTSIZE", 0x1000 => "FS_XFLAG_EXTSZINHERIT",
    0x2000 => "FS_XFLAG_NODEFRAG", 0x4000 => "FS_XFLAG_FILESTREAM", 0x8000 => "FS_XFLAG_DAX",
    0x10000 => "FS_XFLAG_COWEXTSIZE", 0x80000000 => "FS_XFLAG_HASATTR",
]);

/// strace's fs_x_ioctl.c: freeze/thaw, FITRIM, fsxattr.
fn fs_x(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        FIFREEZE | FITHAW => Phase::Done,
        FITRIM => {
            c.next();
            if let Some(b) = read_struct::<24>(c, arg, false) {
                c.s("{start=");
                c.hex(u64_at(&b, 0));
                c.s(", len=");
                c.udec(u64_at(&b, 8));
                c.s(", minlen=");
                c.udec(u64_at(&b, 16));
                c.s("}");
            }
            Phase::Done
        }
        FS_IOC_FSGETXATTR => at_exit(c, |c| fsxattr(c, arg, true)),
        FS_IOC_FSSETXATTR => fsxattr(c, arg, false),
        _ => Phase::Generic,
    }
}

fn fsxattr(c: &mut Ctx, arg: u64, is_get: bool) -> Phase {
    c.next();
    if let Some(b) = read_struct::<28>(c, arg, !c.entering()) {
        c.s("{fsx_xflags=");
        c.flags(u64::from(u32_at(&b, 0)), &FS_XFLAGS);
        c.s(", fsx_extsize=");
        c.udec(u64::from(u32_at(&b, 4)));
        if is_get {
            c.s(", fsx_nextents=");
            c.udec(u64::from(u32_at(&b, 8)));
        }
        c.s(", fsx_projid=");
        c.hex(u64::from(u32_at(&b, 12)));
        c.s(", fsx_cowextsize=");
        c.udec(u64::from(u32_at(&b, 16)));
        c.s("}");
    }
    Phase::Done
}

/// strace's random_ioctl.c.
fn random(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        RNDGETENTCNT => at_exit(c, |c| int_arg(c, arg)),
        RNDADDTOENTCNT => int_arg(c, arg),
        RNDADDENTROPY => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, false) {
                let size = u32_at(&b, 4) as i32;
                c.s("{entropy_count=");
                c.dec(i64::from(u32_at(&b, 0) as i32));
                c.s(", buf_size=");
                c.dec(i64::from(size));
                c.s(", buf=");
                c.buf(arg + 8, u64::from(size as u32));
                c.s("}");
            }
            Phase::Done
        }
        RNDZAPENTCNT | RNDCLEARPOOL | RNDRESEEDCRNG => Phase::Done,
        _ => Phase::Generic,
    }
}

/// strace's watchdog_ioctl.c.
fn watchdog(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        WDIOC_GETSTATUS | WDIOC_GETBOOTSTATUS | WDIOC_GETTEMP | WDIOC_GETTIMEOUT
        | WDIOC_GETPRETIMEOUT | WDIOC_GETTIMELEFT => at_exit(c, |c| int_arg(c, arg)),
        WDIOC_SETTIMEOUT | WDIOC_SETPRETIMEOUT => int_arg(c, arg),
        // linux/watchdog.h says an int, but the kernel ignores the argument.
        WDIOC_KEEPALIVE => Phase::Done,
        _ => Phase::Generic,
    }
}

/// strace's inotify_ioctl.c: the next watch descriptor, an int passed by value.
fn inotify(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    if code != INOTIFY_IOC_SETNEXTWD {
        return Phase::Generic;
    }
    c.next();
    c.int(arg);
    Phase::Done
}

// strace's src/xlat/nbd_ioctl_flags.in.
xlat::xlat!(NBD_FLAGS, "NBD_IOC_FLAG_???", [
    1 << 0 => "NBD_FLAG_HAS_FLAGS", 1 << 1 => "NBD_FLAG_READ_ONLY", 1 << 2 => "NBD_FLAG_SEND_FLUSH",
    1 << 3 => "NBD_FLAG_SEND_FUA", 1 << 4 => "NBD_FLAG_ROTATIONAL", 1 << 5 => "NBD_FLAG_SEND_TRIM",
    1 << 6 => "NBD_FLAG_SEND_WRITE_ZEROES", 1 << 7 => "NBD_FLAG_SEND_DF",
    1 << 8 => "NBD_FLAG_CAN_MULTI_CONN", 1 << 9 => "NBD_FLAG_SEND_RESIZE",
    1 << 10 => "NBD_FLAG_SEND_CACHE",
]);

/// strace's nbd_ioctl.c: every argument is passed by value.
fn nbd(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        NBD_DISCONNECT | NBD_CLEAR_SOCK | NBD_DO_IT | NBD_CLEAR_QUE | NBD_PRINT_DEBUG => {
            return Phase::Done;
        }
        NBD_SET_SOCK => {
            c.next();
            c.fd(arg);
        }
        NBD_SET_BLKSIZE | NBD_SET_SIZE | NBD_SET_SIZE_BLOCKS | NBD_SET_TIMEOUT => {
            c.next();
            c.udec(arg);
        }
        NBD_SET_FLAGS => {
            c.next();
            c.flags(arg, &NBD_FLAGS);
        }
        _ => return Phase::Generic,
    }
    Phase::Done
}

// strace's src/xlat/setns_types.in.
xlat::xlat!(SETNS_TYPES, "", [
    0x80 => "CLONE_NEWTIME", 0x20000 => "CLONE_NEWNS", 0x2000000 => "CLONE_NEWCGROUP",
    0x4000000 => "CLONE_NEWUTS", 0x8000000 => "CLONE_NEWIPC", 0x10000000 => "CLONE_NEWUSER",
    0x20000000 => "CLONE_NEWPID", 0x40000000 => "CLONE_NEWNET",
]);

/// strace's nsfs.c.
fn nsfs(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        NS_GET_USERNS | NS_GET_PARENT => Phase::DoneFd,
        NS_GET_NSTYPE => at_exit(c, |c| {
            if c.ok()
                && let Some(&(_, name)) =
                    SETNS_TYPES.entries.iter().find(|e| e.0 == c.rval() as u64)
            {
                c.aux = format!("({name})");
            }
            Phase::Done
        }),
        NS_GET_OWNER_UID => at_exit(c, |c| {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, true) {
                c.s("[");
                c.uid(u64::from(u32_at(&b, 0)));
                c.s("]");
            }
            Phase::Done
        }),
        _ => Phase::Generic,
    }
}

// strace's src/xlat/counter_ioctl_*.in.
xlat::xlat!(COUNTER_COMPONENTS, "COUNTER_COMPONENT_???", [
    0 => "COUNTER_COMPONENT_NONE", 1 => "COUNTER_COMPONENT_SIGNAL", 2 => "COUNTER_COMPONENT_COUNT",
    3 => "COUNTER_COMPONENT_FUNCTION", 4 => "COUNTER_COMPONENT_SYNAPSE_ACTION",
    5 => "COUNTER_COMPONENT_EXTENSION",
]);
xlat::xlat!(COUNTER_SCOPES, "COUNTER_SCOPE_???", [
    0 => "COUNTER_SCOPE_DEVICE", 1 => "COUNTER_SCOPE_SIGNAL", 2 => "COUNTER_SCOPE_COUNT",
]);
xlat::xlat!(COUNTER_EVENTS, "COUNTER_EVENT_???", [
    0 => "COUNTER_EVENT_OVERFLOW", 1 => "COUNTER_EVENT_UNDERFLOW",
    2 => "COUNTER_EVENT_OVERFLOW_UNDERFLOW", 3 => "COUNTER_EVENT_THRESHOLD",
    4 => "COUNTER_EVENT_INDEX", 5 => "COUNTER_EVENT_CHANGE_OF_STATE", 6 => "COUNTER_EVENT_CAPTURE",
]);

/// strace's counter_ioctl.c: `struct counter_watch` (6 bytes).
fn counter(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        COUNTER_ADD_WATCH_IOCTL => {
            c.next();
            if let Some(b) = read_struct::<6>(c, arg, false) {
                c.s("{component={type=");
                c.xval(u64::from(b[0]), &COUNTER_COMPONENTS);
                c.s(", scope=");
                c.xval(u64::from(b[1]), &COUNTER_SCOPES);
                c.s(", parent=");
                c.udec(u64::from(b[2]));
                c.s(", id=");
                c.udec(u64::from(b[3]));
                c.s("}, event=");
                c.xval(u64::from(b[4]), &COUNTER_EVENTS);
                c.s(", channel=");
                c.udec(u64::from(b[5]));
                c.s("}");
            }
            Phase::Done
        }
        COUNTER_ENABLE_EVENTS_IOCTL | COUNTER_DISABLE_EVENTS_IOCTL => Phase::Done,
        _ => Phase::Generic,
    }
}

mod block_code {
    use super::{io, ior, iow, iowr};
    // linux/fs.h, linux/blktrace_api.h, linux/blkzoned.h
    pub const BLKROSET: u32 = io(0x12, 93);
    pub const BLKROGET: u32 = io(0x12, 94);
    pub const BLKRRPART: u32 = io(0x12, 95);
    pub const BLKGETSIZE: u32 = io(0x12, 96);
    pub const BLKFLSBUF: u32 = io(0x12, 97);
    pub const BLKRASET: u32 = io(0x12, 98);
    pub const BLKRAGET: u32 = io(0x12, 99);
    pub const BLKFRASET: u32 = io(0x12, 100);
    pub const BLKFRAGET: u32 = io(0x12, 101);
    pub const BLKSECTGET: u32 = io(0x12, 103);
    pub const BLKSSZGET: u32 = io(0x12, 104);
    pub const BLKPG: u32 = io(0x12, 105);
    pub const BLKBSZGET: u32 = ior(0x12, 112, 8);
    pub const BLKBSZSET: u32 = iow(0x12, 113, 8);
    pub const BLKGETSIZE64: u32 = ior(0x12, 114, 8);
    pub const BLKTRACESETUP: u32 = iowr(0x12, 115, 72);
    pub const BLKTRACESTART: u32 = io(0x12, 116);
    pub const BLKTRACESTOP: u32 = io(0x12, 117);
    pub const BLKTRACETEARDOWN: u32 = io(0x12, 118);
    pub const BLKDISCARD: u32 = io(0x12, 119);
    pub const BLKIOMIN: u32 = io(0x12, 120);
    pub const BLKIOOPT: u32 = io(0x12, 121);
    pub const BLKALIGNOFF: u32 = io(0x12, 122);
    pub const BLKPBSZGET: u32 = io(0x12, 123);
    pub const BLKDISCARDZEROES: u32 = io(0x12, 124);
    pub const BLKSECDISCARD: u32 = io(0x12, 125);
    pub const BLKROTATIONAL: u32 = io(0x12, 126);
    pub const BLKZEROOUT: u32 = io(0x12, 127);
    pub const BLKGETDISKSEQ: u32 = ior(0x12, 128, 8);
    pub const BLKGETZONESZ: u32 = ior(0x12, 132, 4);
    pub const BLKGETNRZONES: u32 = ior(0x12, 133, 4);
}
use block_code::*;

static BLOCK_NAMES: &[(u32, &str)] = &[
    (BLKROSET, "BLKROSET"),
    (BLKROGET, "BLKROGET"),
    (BLKRRPART, "BLKRRPART"),
    (BLKGETSIZE, "BLKGETSIZE"),
    (BLKFLSBUF, "BLKFLSBUF"),
    (BLKRASET, "BLKRASET"),
    (BLKRAGET, "BLKRAGET"),
    (BLKFRASET, "BLKFRASET"),
    (BLKFRAGET, "BLKFRAGET"),
    (BLKSECTGET, "BLKSECTGET"),
    (BLKSSZGET, "BLKSSZGET"),
    (BLKPG, "BLKPG"),
    (BLKBSZGET, "BLKBSZGET"),
    (BLKBSZSET, "BLKBSZSET"),
    (BLKGETSIZE64, "BLKGETSIZE64"),
    (BLKTRACESETUP, "BLKTRACESETUP"),
    (BLKTRACESTART, "BLKTRACESTART"),
    (BLKTRACESTOP, "BLKTRACESTOP"),
    (BLKTRACETEARDOWN, "BLKTRACETEARDOWN"),
    (BLKDISCARD, "BLKDISCARD"),
    (BLKIOMIN, "BLKIOMIN"),
    (BLKIOOPT, "BLKIOOPT"),
    (BLKALIGNOFF, "BLKALIGNOFF"),
    (BLKPBSZGET, "BLKPBSZGET"),
    (BLKDISCARDZEROES, "BLKDISCARDZEROES"),
    (BLKSECDISCARD, "BLKSECDISCARD"),
    (BLKROTATIONAL, "BLKROTATIONAL"),
    (BLKZEROOUT, "BLKZEROOUT"),
    (BLKGETDISKSEQ, "BLKGETDISKSEQ"),
    (BLKGETZONESZ, "BLKGETZONESZ"),
    (BLKGETNRZONES, "BLKGETNRZONES"),
];

/// How strace's printnum_* shows the number an argument points to.
#[derive(Clone, Copy)]
enum Num {
    I16U,
    I32,
    U32,
    I64,
    U64,
}

/// `[42]`: the number at `arg` (at exit only when the call succeeded).
fn num_arg(c: &mut Ctx, arg: u64, num: Num) -> Phase {
    c.next();
    let output = !c.entering();
    let value = match num {
        Num::I16U => read_struct::<2>(c, arg, output).map(|b| u64::from(u16_at(&b, 0))),
        Num::I32 | Num::U32 => read_struct::<4>(c, arg, output).map(|b| u64::from(u32_at(&b, 0))),
        Num::I64 | Num::U64 => read_struct::<8>(c, arg, output).map(|b| u64_at(&b, 0)),
    };
    let Some(v) = value else {
        return Phase::Done;
    };
    c.s("[");
    match num {
        Num::I32 => c.dec(i64::from(v as u32 as i32)),
        Num::I64 => c.dec(v as i64),
        Num::I16U | Num::U32 | Num::U64 => c.udec(v),
    }
    c.s("]");
    Phase::Done
}

xlat::xlat!(BLKPG_OPS, "BLKPG_???", [
    1 => "BLKPG_ADD_PARTITION", 2 => "BLKPG_DEL_PARTITION", 3 => "BLKPG_RESIZE_PARTITION",
]);

/// strace's block.c.
fn block(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        // The argument is the value itself.
        BLKRASET | BLKFRASET => {
            c.next();
            c.udec(arg);
            Phase::Done
        }
        BLKSECTGET | BLKROTATIONAL => at_exit(c, |c| num_arg(c, arg, Num::I16U)),
        BLKROGET | BLKBSZGET | BLKSSZGET | BLKALIGNOFF => at_exit(c, |c| num_arg(c, arg, Num::I32)),
        BLKROSET | BLKBSZSET => num_arg(c, arg, Num::I32),
        BLKPBSZGET | BLKIOMIN | BLKIOOPT | BLKDISCARDZEROES | BLKGETZONESZ | BLKGETNRZONES => {
            at_exit(c, |c| num_arg(c, arg, Num::U32))
        }
        BLKRAGET | BLKFRAGET => at_exit(c, |c| num_arg(c, arg, Num::I64)),
        BLKGETSIZE | BLKGETSIZE64 | BLKGETDISKSEQ => at_exit(c, |c| num_arg(c, arg, Num::U64)),
        BLKDISCARD | BLKSECDISCARD | BLKZEROOUT => {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, false) {
                c.s("[");
                c.udec(u64_at(&b, 0));
                c.s(", ");
                c.udec(u64_at(&b, 8));
                c.s("]");
            }
            Phase::Done
        }
        BLKPG => {
            c.next();
            blkpg(c, arg);
            Phase::Done
        }
        BLKTRACESETUP => blktrace_setup(c, arg),
        BLKRRPART | BLKFLSBUF | BLKTRACESTART | BLKTRACESTOP | BLKTRACETEARDOWN => Phase::Done,
        _ => Phase::Generic,
    }
}

/// `struct blkpg_ioctl_arg` and the `struct blkpg_partition` it points to.
fn blkpg(c: &mut Ctx, arg: u64) {
    let Some(b) = read_struct::<24>(c, arg, false) else {
        return;
    };
    c.s("{op=");
    c.xval(u64::from(u32_at(&b, 0)), &BLKPG_OPS);
    c.s(", flags=");
    c.dec(i64::from(u32_at(&b, 4) as i32));
    c.s(", datalen=");
    c.dec(i64::from(u32_at(&b, 8) as i32));
    c.s(", data=");
    if let Some(p) = read_struct::<152>(c, u64_at(&b, 16), false) {
        c.s("{start=");
        c.dec(u64_at(&p, 0) as i64);
        c.s(", length=");
        c.dec(u64_at(&p, 8) as i64);
        c.s(", pno=");
        c.dec(i64::from(u32_at(&p, 16) as i32));
        c.s(", devname=");
        char_array(c, &p[20..84]);
        c.s(", volname=");
        char_array(c, &p[84..148]);
        c.s("}");
    }
    c.s("}");
}

/// A `char[N]` field (strace's PRINT_FIELD_CSTRING): up to the NUL, or its first N-1 bytes
/// and `...` when it has none.
pub(super) fn char_array(c: &mut Ctx, bytes: &[u8]) {
    match bytes.iter().position(|&b| b == 0) {
        Some(end) => super::print::quote(c.out, &bytes[..end], c.style.hex, b"", true),
        None => {
            let shown = &bytes[..bytes.len().saturating_sub(1)];
            super::print::quote(c.out, shown, c.style.hex, b"", true);
            c.s("...");
        }
    }
}

/// `struct blk_user_trace_setup`: the request at entry, the name the kernel chose at exit.
fn blktrace_setup(c: &mut Ctx, arg: u64) -> Phase {
    if c.entering() {
        c.next();
        let Some(b) = read_struct::<72>(c, arg, false) else {
            return Phase::Done;
        };
        c.s("{act_mask=");
        c.udec(u64::from(u16_at(&b, 32)));
        c.s(", buf_size=");
        c.udec(u64::from(u32_at(&b, 36)));
        c.s(", buf_nr=");
        c.udec(u64::from(u32_at(&b, 40)));
        c.s(", start_lba=");
        c.udec(u64_at(&b, 48));
        c.s(", end_lba=");
        c.udec(u64_at(&b, 56));
        c.s(", pid=");
        c.pid(u64::from(u32_at(&b, 64)), crate::decode::PidKind::Tgid);
        return Phase::Later;
    }
    let mut b = [0u8; 72];
    if c.ok() && c.read_exact(arg, &mut b) {
        c.s(", name=");
        char_array(c, &b[..32]);
    }
    c.s("}");
    Phase::Done
}

xlat::xlat!(SECCOMP_RESP_FLAGS, "SECCOMP_USER_NOTIF_FLAG_???", [1 => "SECCOMP_USER_NOTIF_FLAG_CONTINUE"]);
xlat::xlat!(SECCOMP_ADDFD_FLAGS, "SECCOMP_ADDFD_FLAG_???", [
    1 => "SECCOMP_ADDFD_FLAG_SETFD", 2 => "SECCOMP_ADDFD_FLAG_SEND",
]);

/// strace's seccomp_ioctl.c: the user-notification protocol of seccomp(2).
fn seccomp(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        SECCOMP_IOCTL_NOTIF_RECV => seccomp_notif(c, arg),
        SECCOMP_IOCTL_NOTIF_SEND => {
            c.next();
            if let Some(b) = read_struct::<24>(c, arg, false) {
                c.s("{id=");
                c.hex(u64_at(&b, 0));
                c.s(", val=");
                c.dec(u64_at(&b, 8) as i64);
                c.s(", error=");
                negated_errno(c, i64::from(u32_at(&b, 16) as i32));
                c.s(", flags=");
                c.flags(u64::from(u32_at(&b, 20)), &SECCOMP_RESP_FLAGS);
                c.s("}");
            }
            Phase::Done
        }
        SECCOMP_IOCTL_NOTIF_ID_VALID | SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, false) {
                c.s("[");
                c.hex(u64_at(&b, 0));
                c.s("]");
            }
            Phase::Done
        }
        SECCOMP_IOCTL_NOTIF_ADDFD => {
            c.next();
            if let Some(b) = read_struct::<24>(c, arg, false) {
                c.s("{id=");
                c.hex(u64_at(&b, 0));
                c.s(", flags=");
                c.flags(u64::from(u32_at(&b, 8)), &SECCOMP_ADDFD_FLAGS);
                c.s(", srcfd=");
                c.fd(u64::from(u32_at(&b, 12)));
                c.s(", newfd=");
                c.dec(i64::from(u32_at(&b, 16) as i32));
                c.s(", newfd_flags=");
                c.flags(u64::from(u32_at(&b, 20)), &xlat::OPEN_FLAGS);
                c.s("}");
            }
            Phase::Done
        }
        _ => Phase::Generic,
    }
}

/// `struct seccomp_notif` (80 bytes): the kernel fills it; a caller's non-zero contents
/// print at entry too, then ` => ` and what came back.
fn seccomp_notif(c: &mut Ctx, arg: u64) -> Phase {
    let entering = c.entering();
    if entering {
        c.next();
    }
    let Some(b) = read_struct::<80>(c, arg, !entering) else {
        return Phase::Done;
    };
    if entering && b.iter().all(|&x| x == 0) {
        return Phase::Later;
    }
    c.s("{id=");
    c.hex(u64_at(&b, 0));
    c.s(", pid=");
    c.pid(u64::from(u32_at(&b, 8)), crate::decode::PidKind::Tgid);
    c.s(", flags=");
    c.hex(u64::from(u32_at(&b, 12)));
    c.s(", data=");
    seccomp_data(c, &b[16..80]);
    c.s("}");
    if entering {
        c.s(" => ");
        return Phase::Later;
    }
    Phase::Done
}

/// `struct seccomp_data`: the syscall named when the architecture is x86_64.
/// A syscall number as `__NR_name` when `arch` is x86_64 and the number known (strace's
/// PRINT_FIELD_SYSCALL_NAME).
pub(super) fn syscall_nr(c: &mut Ctx, nr: u64, arch: u32) {
    const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
    match crate::name(nr).filter(|_| arch == AUDIT_ARCH_X86_64) {
        Some(name) => write_composite(
            c.out,
            |out| print::push_udec(out, nr),
            |out| {
                out.push_str("__NR_");
                out.push_str(name);
            },
        ),
        None => c.udec(nr),
    }
}

fn seccomp_data(c: &mut Ctx, b: &[u8]) {
    let (nr, arch) = (u32_at(b, 0), u32_at(b, 4));
    c.s("{nr=");
    syscall_nr(c, u64::from(nr), arch);
    c.s(", arch=");
    c.xval(u64::from(arch), &AUDIT_ARCHES);
    c.s(", instruction_pointer=");
    c.ptr(u64_at(b, 8));
    c.s(", args=[");
    for i in 0..6 {
        if i > 0 {
            c.s(", ");
        }
        c.hex(u64_at(b, 16 + i * 8));
    }
    c.s("]}");
}

// strace's src/xlat/audit_arch.in (EM_* | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE ...).
xlat::xlat!(pub(crate) AUDIT_ARCHES, "AUDIT_ARCH_???", [
    0xc00000b7 => "AUDIT_ARCH_AARCH64", 0xc0009026 => "AUDIT_ARCH_ALPHA", 0x4000005d => "AUDIT_ARCH_ARCOMPACT",
    0x5d => "AUDIT_ARCH_ARCOMPACTBE", 0x400000c3 => "AUDIT_ARCH_ARCV2", 0xc3 => "AUDIT_ARCH_ARCV2BE",
    0x40000028 => "AUDIT_ARCH_ARM", 0x28 => "AUDIT_ARCH_ARMEB", 0x4000008c => "AUDIT_ARCH_C6X",
    0x8c => "AUDIT_ARCH_C6XBE", 0x4000004c => "AUDIT_ARCH_CRIS", 0x400000fc => "AUDIT_ARCH_CSKY",
    0x5441 => "AUDIT_ARCH_FRV", 0x2e => "AUDIT_ARCH_H8300", 0xa4 => "AUDIT_ARCH_HEXAGON",
    0x40000003 => "AUDIT_ARCH_I386", 0xc0000032 => "AUDIT_ARCH_IA64", 0x40000102 => "AUDIT_ARCH_LOONGARCH32",
    0xc0000102 => "AUDIT_ARCH_LOONGARCH64", 0x58 => "AUDIT_ARCH_M32R", 0x4 => "AUDIT_ARCH_M68K",
    0xbd => "AUDIT_ARCH_MICROBLAZE", 0x8 => "AUDIT_ARCH_MIPS", 0x80000008 => "AUDIT_ARCH_MIPS64",
    0xa0000008 => "AUDIT_ARCH_MIPS64N32", 0x40000008 => "AUDIT_ARCH_MIPSEL", 0xc0000008 => "AUDIT_ARCH_MIPSEL64",
    0xe0000008 => "AUDIT_ARCH_MIPSEL64N32", 0x400000a7 => "AUDIT_ARCH_NDS32", 0xa7 => "AUDIT_ARCH_NDS32BE",
    0x40000071 => "AUDIT_ARCH_NIOS2", 0x5c => "AUDIT_ARCH_OPENRISC", 0xf => "AUDIT_ARCH_PARISC",
    0x8000000f => "AUDIT_ARCH_PARISC64", 0x14 => "AUDIT_ARCH_PPC", 0x80000015 => "AUDIT_ARCH_PPC64",
    0xc0000015 => "AUDIT_ARCH_PPC64LE", 0x400000f3 => "AUDIT_ARCH_RISCV32", 0xc00000f3 => "AUDIT_ARCH_RISCV64",
    0x16 => "AUDIT_ARCH_S390", 0x80000016 => "AUDIT_ARCH_S390X", 0x2a => "AUDIT_ARCH_SH",
    0x8000002a => "AUDIT_ARCH_SH64", 0x4000002a => "AUDIT_ARCH_SHEL", 0xc000002a => "AUDIT_ARCH_SHEL64",
    0x2 => "AUDIT_ARCH_SPARC", 0x8000002b => "AUDIT_ARCH_SPARC64", 0xc00000bf => "AUDIT_ARCH_TILEGX",
    0x400000bf => "AUDIT_ARCH_TILEGX32", 0x400000bc => "AUDIT_ARCH_TILEPRO", 0x4000006e => "AUDIT_ARCH_UNICORE",
    0x40000057 => "AUDIT_ARCH_V850", 0xc000003e => "AUDIT_ARCH_X86_64", 0x5e => "AUDIT_ARCH_XTENSA",
]);

/// strace's print_err for a negated errno: `-ENOSR`, or the number when unknown.
pub(super) fn negated_errno(c: &mut Ctx, v: i64) {
    let name = i32::try_from(-v)
        .ok()
        .filter(|&e| e > 0)
        .and_then(crate::errno_name);
    match name {
        Some(name) => write_composite(
            c.out,
            |out| print::push_dec(out, v),
            |out| {
                out.push('-');
                out.push_str(name);
            },
        ),
        None => c.dec(v),
    }
}

// strace's src/xlat/hdio_busstates.in and hdio_ide_nice.in (linux/hdreg.h).
xlat::xlat!(HDIO_BUSSTATES, "BUSSTATE_???", [0 => "BUSSTATE_OFF", 1 => "BUSSTATE_ON", 2 => "BUSSTATE_TRISTATE"]);
xlat::xlat!(IDE_NICE, "IDE_NICE_???", [
    1 => "1 << IDE_NICE_DSC_OVERLAP", 2 => "1 << IDE_NICE_ATAPI_OVERLAP", 8 => "1 << IDE_NICE_1",
    4 => "1 << IDE_NICE_0", 16 => "1 << IDE_NICE_2",
]);
// strace's src/xlat/hdio_drive_cmds.in.
xlat::xlat!(ATA_CMDS, "ATA_CMD_???", [
    0x00 => "ATA_CMD_NOP", 0x03 => "ATA_CMD_CFA_REQ_EXT_ERR", 0x06 => "ATA_CMD_DSM",
    0x08 => "ATA_CMD_DEV_RESET", 0x0b => "ATA_CMD_REQ_SENSE_DATA", 0x10 => "ATA_CMD_RESTORE",
    0x20 => "ATA_CMD_PIO_READ", 0x22 => "ATA_CMD_READ_LONG", 0x23 => "ATA_CMD_READ_LONG_ONCE",
    0x24 => "ATA_CMD_PIO_READ_EXT", 0x25 => "ATA_CMD_READ_EXT", 0x26 => "ATA_CMD_READ_QUEUED",
    0x27 => "ATA_CMD_READ_NATIVE_MAX_EXT", 0x29 => "ATA_CMD_READ_MULTI_EXT", 0x2a => "ATA_CMD_READ_STREAM_DMA_EXT",
    0x2b => "ATA_CMD_READ_STREAM_EXT", 0x2f => "ATA_CMD_READ_LOG_EXT", 0x30 => "ATA_CMD_PIO_WRITE",
    0x32 => "ATA_CMD_WRITE_LONG", 0x33 => "ATA_CMD_WRITE_LONG_ONCE", 0x34 => "ATA_CMD_PIO_WRITE_EXT",
    0x35 => "ATA_CMD_WRITE_EXT", 0x36 => "ATA_CMD_WRITE_QUEUED", 0x37 => "ATA_CMD_SET_MAX_EXT",
    0x38 => "ATA_CMD_CFA_WRITE_NE", 0x39 => "ATA_CMD_WRITE_MULTI_EXT", 0x3a => "ATA_CMD_WRITE_STREAM_DMA_EXT",
    0x3b => "ATA_CMD_WRITE_STREAM_EXT", 0x3d => "ATA_CMD_WRITE_FUA_EXT", 0x3e => "ATA_CMD_WRITE_QUEUED_FUA_EXT",
    0x3f => "ATA_CMD_WRITE_LOG_EXT", 0x40 => "ATA_CMD_VERIFY", 0x42 => "ATA_CMD_VERIFY_EXT",
    0x45 => "ATA_CMD_WRITE_UNCORR_EXT", 0x47 => "ATA_CMD_READ_LOG_DMA_EXT", 0x4a => "ATA_CMD_ZAC_MGMT_IN",
    0x51 => "ATA_CMD_CONFIG_STREAM", 0x57 => "ATA_CMD_WRITE_LOG_DMA_EXT", 0x5b => "ATA_CMD_TRUSTED_NONDATA",
    0x5c => "ATA_CMD_TRUSTED_RCV", 0x5d => "ATA_CMD_TRUSTED_RCV_DMA", 0x5e => "ATA_CMD_TRUSTED_SND",
    0x5f => "ATA_CMD_TRUSTED_SND_DMA", 0x60 => "ATA_CMD_FPDMA_READ", 0x61 => "ATA_CMD_FPDMA_WRITE",
    0x63 => "ATA_CMD_NCQ_NON_DATA", 0x64 => "ATA_CMD_FPDMA_SEND", 0x65 => "ATA_CMD_FPDMA_RECV",
    0x87 => "ATA_CMD_CFA_TRANS_SECT", 0x90 => "ATA_CMD_EDD", 0x91 => "ATA_CMD_INIT_DEV_PARAMS",
    0x92 => "ATA_CMD_DOWNLOAD_MICRO", 0x93 => "ATA_CMD_DOWNLOAD_MICRO_DMA", 0x9f => "ATA_CMD_ZAC_MGMT_OUT",
    0xa0 => "ATA_CMD_PACKET", 0xa1 => "ATA_CMD_ID_ATAPI", 0xa2 => "ATA_CMD_SERVICE",
    0xb0 => "ATA_CMD_SMART", 0xb1 => "ATA_CMD_CONF_OVERLAY", 0xb4 => "ATA_CMD_SANITIZE_DEVICE",
    0xc0 => "ATA_CMD_CFA_ERASE", 0xc4 => "ATA_CMD_READ_MULTI", 0xc5 => "ATA_CMD_WRITE_MULTI",
    0xc6 => "ATA_CMD_SET_MULTI", 0xc8 => "ATA_CMD_READ", 0xca => "ATA_CMD_WRITE",
    0xcd => "ATA_CMD_CFA_WRITE_MULT_NE", 0xce => "ATA_CMD_WRITE_MULTI_FUA_EXT", 0xd1 => "ATA_CMD_CHK_MED_CRD_TYP",
    0xde => "ATA_CMD_MEDIA_LOCK", 0xdf => "ATA_CMD_MEDIA_UNLOCK", 0xe0 => "ATA_CMD_STANDBYNOW1",
    0xe1 => "ATA_CMD_IDLEIMMEDIATE", 0xe2 => "ATA_CMD_STANDBY", 0xe3 => "ATA_CMD_IDLE",
    0xe4 => "ATA_CMD_PMP_READ", 0xe5 => "ATA_CMD_CHK_POWER", 0xe6 => "ATA_CMD_SLEEP",
    0xe7 => "ATA_CMD_FLUSH", 0xe8 => "ATA_CMD_PMP_WRITE", 0xe9 => "ATA_CMD_PMP_READ_DMA",
    0xea => "ATA_CMD_FLUSH_EXT", 0xeb => "ATA_CMD_PMP_WRITE_DMA", 0xec => "ATA_CMD_ID_ATA",
    0xef => "ATA_CMD_SET_FEATURES", 0xf1 => "ATA_CMD_SEC_SET_PASS", 0xf2 => "ATA_CMD_SEC_UNLOCK",
    0xf3 => "ATA_CMD_SEC_ERASE_PREP", 0xf4 => "ATA_CMD_SEC_ERASE_UNIT", 0xf5 => "ATA_CMD_SEC_FREEZE_LOCK",
    0xf6 => "ATA_CMD_SEC_DISABLE_PASS", 0xf8 => "ATA_CMD_READ_NATIVE_MAX", 0xf9 => "ATA_CMD_SET_MAX",
]);

/// How strace's generated HDIO decoders show one request's argument.
#[derive(Clone, Copy)]
enum Hdio {
    /// An `unsigned long` filled at exit: `[42]`.
    GetUlong,
    GetBusstate,
    GetNice,
    /// A drive identity of this many bytes, filled at exit.
    Identity(u64),
    /// Three ints in hex: `[0xdeadbeef, 0, 0]`.
    IntTriple,
    /// The value itself.
    SetUlong,
    SetBusstate,
    SetNice,
}

fn hdio_kind(code: u32) -> Option<Hdio> {
    use Hdio::*;
    Some(match code {
        0x302 | 0x304 | 0x308 | 0x309 | 0x30a | 0x30b | 0x30e | 0x30f | 0x310 => GetUlong,
        0x31a => GetBusstate,
        0x30c => GetNice,
        0x30d => Identity(512),
        0x307 => Identity(142),
        0x31c | 0x328 => IntTriple,
        0x321..=0x327 | 0x32a..=0x32c | 0x32f => SetUlong,
        0x32d => SetBusstate,
        0x329 => SetNice,
        _ => return None,
    })
}

/// strace's hdio.c and its generated gen_hdio.c.
fn hdio(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        0x301 => at_exit(c, |c| {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, true) {
                let _ = write!(
                    c.out,
                    "{{heads={}, sectors={}, cylinders={}, start={}}}",
                    b[0],
                    b[1],
                    u16_at(&b, 2),
                    u64_at(&b, 8)
                );
            }
            Phase::Done
        }),
        0x31f => hdio_drive_cmd(c, arg),
        _ => match hdio_kind(code) {
            Some(kind) => hdio_arg(c, kind, arg),
            None => Phase::Generic,
        },
    }
}

fn hdio_arg(c: &mut Ctx, kind: Hdio, arg: u64) -> Phase {
    use Hdio::*;
    let output = matches!(kind, GetUlong | GetBusstate | GetNice | Identity(_));
    if output && c.entering() {
        return Phase::Later;
    }
    c.next();
    match kind {
        GetUlong | GetBusstate | GetNice => {
            if let Some(b) = read_struct::<8>(c, arg, true) {
                let v = u64_at(&b, 0);
                c.s("[");
                match kind {
                    GetBusstate => c.xval(v, &HDIO_BUSSTATES),
                    GetNice => c.flags(v, &IDE_NICE),
                    _ => c.udec(v),
                }
                c.s("]");
            }
        }
        Identity(len) => {
            if c.ok() {
                c.buf(arg, len);
            } else {
                c.ptr(arg);
            }
        }
        IntTriple => c.array(arg, 3, 4, |c, e| {
            c.hex(u64::from(u32_at(e, 0)));
            true
        }),
        SetUlong => c.udec(arg),
        SetBusstate => c.xval(arg, &HDIO_BUSSTATES),
        SetNice => c.flags(arg, &IDE_NICE),
    }
    Phase::Done
}

/// HDIO_DRIVE_CMD: the command at entry; at exit (also after EIO, which carries the drive's
/// status) ` => {status=..., error=..., nsector=...}` and the sectors read.
fn hdio_drive_cmd(c: &mut Ctx, arg: u64) -> Phase {
    const EIO: i64 = -5;
    if c.entering() {
        c.next();
        let Some(b) = read_struct::<4>(c, arg, false) else {
            return Phase::Done;
        };
        c.s("{command=");
        c.xval(u64::from(b[0]), &ATA_CMDS);
        let _ = write!(
            c.out,
            ", sector_number={}, feature={}, sector_count={}}}",
            b[1], b[2], b[3]
        );
        return Phase::Later;
    }
    let mut b = [0u8; 4];
    if (!c.ok() && c.rval() != EIO) || !c.read_exact(arg, &mut b) {
        return Phase::Done;
    }
    c.s(" => {status=");
    c.hex(u64::from(b[0]));
    let _ = write!(c.out, ", error={}, nsector={}", b[1], b[2]);
    if b[3] != 0 {
        c.s(", buf=");
        c.buf_hex(arg + 4, u64::from(b[3]) * 512);
    }
    c.s("}");
    Phase::Done
}

// strace's src/xlat/ptp_*.in (linux/ptp_clock.h).
xlat::xlat!(PTP_EXTTS_FLAGS, "PTP_???", [
    1 => "PTP_ENABLE_FEATURE", 2 => "PTP_RISING_EDGE", 4 => "PTP_FALLING_EDGE", 8 => "PTP_STRICT_FLAGS",
]);
xlat::xlat!(PTP_PEROUT_FLAGS, "PTP_PEROUT_???", [
    1 => "PTP_PEROUT_ONE_SHOT", 2 => "PTP_PEROUT_DUTY_CYCLE", 4 => "PTP_PEROUT_PHASE",
]);
xlat::xlat!(PTP_PIN_FUNCS, "PTP_PF_???", [
    0 => "PTP_PF_NONE", 1 => "PTP_PF_EXTTS", 2 => "PTP_PF_PEROUT", 3 => "PTP_PF_PHYSYNC",
]);

/// PTP_SYS_OFFSET* read at most PTP_MAX_SAMPLES samples.
const PTP_MAX_SAMPLES: u32 = 25;

/// strace's ptp.c: PTP hardware clock requests (`-e verbose=` off: the argument's address).
fn ptp(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    if !c.style.dereference {
        return Phase::Generic;
    }
    match code {
        PTP_CLOCK_GETCAPS | PTP_CLOCK_GETCAPS2 => at_exit(c, |c| {
            c.next();
            if let Some(b) = read_struct::<80>(c, arg, true) {
                let names = [
                    "max_adj",
                    "n_alarm",
                    "n_ext_ts",
                    "n_per_out",
                    "pps",
                    "n_pins",
                ];
                let more = ["cross_timestamping", "adjust_phase"];
                c.s("{");
                for (i, name) in names.iter().chain(&more).enumerate() {
                    let sep = if i > 0 { ", " } else { "" };
                    let _ = write!(c.out, "{sep}{name}={}", u32_at(&b, i * 4) as i32);
                }
                reserved(c, &b[32..80]);
                c.s("}");
            }
            Phase::Done
        }),
        PTP_EXTTS_REQUEST | PTP_EXTTS_REQUEST2 => {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, false) {
                let _ = write!(c.out, "{{index={}, flags=", u32_at(&b, 0));
                c.flags(u64::from(u32_at(&b, 4)), &PTP_EXTTS_FLAGS);
                if code == PTP_EXTTS_REQUEST2 {
                    reserved(c, &b[8..16]);
                }
                c.s("}");
            }
            Phase::Done
        }
        PTP_PEROUT_REQUEST | PTP_PEROUT_REQUEST2 => {
            c.next();
            if let Some(b) = read_struct::<56>(c, arg, false) {
                let flags = u32_at(&b, 36);
                if flags & 4 != 0 {
                    c.s("{phase=");
                    clock_time(c, &b[0..16], false);
                } else {
                    c.s("{start=");
                    clock_time(c, &b[0..16], true);
                }
                c.s(", period=");
                clock_time(c, &b[16..32], false);
                let _ = write!(c.out, ", index={}, flags=", u32_at(&b, 32));
                c.flags(u64::from(flags), &PTP_PEROUT_FLAGS);
                if flags & 2 != 0 {
                    c.s(", on=");
                    clock_time(c, &b[40..56], false);
                } else if code == PTP_PEROUT_REQUEST2 {
                    reserved(c, &b[40..56]);
                }
                c.s("}");
            }
            Phase::Done
        }
        PTP_ENABLE_PPS | PTP_ENABLE_PPS2 => {
            c.next();
            c.hex(arg);
            Phase::Done
        }
        PTP_SYS_OFFSET | PTP_SYS_OFFSET2 => ptp_samples(c, arg, false),
        PTP_SYS_OFFSET_EXTENDED | PTP_SYS_OFFSET_EXTENDED2 => ptp_samples(c, arg, true),
        PTP_PIN_GETFUNC | PTP_PIN_GETFUNC2 | PTP_PIN_SETFUNC | PTP_PIN_SETFUNC2 => {
            ptp_pin(c, code, arg)
        }
        PTP_SYS_OFFSET_PRECISE | PTP_SYS_OFFSET_PRECISE2 => at_exit(c, |c| {
            c.next();
            if let Some(b) = read_struct::<64>(c, arg, true) {
                c.s("{device=");
                clock_time(c, &b[0..16], true);
                c.s(", sys_realtime=");
                clock_time(c, &b[16..32], true);
                c.s(", sys_monoraw=");
                clock_time(c, &b[32..48], false);
                reserved(c, &b[48..64]);
                c.s("}");
            }
            Phase::Done
        }),
        _ => Phase::Generic,
    }
}

/// `struct ptp_clock_time`: `{sec=1, nsec=2}`, its date in a comment when it is a wall time.
fn clock_time(c: &mut Ctx, b: &[u8], wall: bool) {
    let (sec, nsec, reserved) = (u64_at(b, 0) as i64, u32_at(b, 8), u32_at(b, 12));
    let _ = write!(c.out, "{{sec={sec}, nsec={nsec}");
    if reserved != 0 {
        c.s(", reserved=");
        c.hex(u64::from(reserved));
    }
    c.s("}");
    if wall && super::print::xlat_style() != crate::decode::XlatStyle::Raw && nsec < 1_000_000_000 {
        st::write_date_comment(c.out, sec, u64::from(nsec));
    }
}

/// strace's PRINT_RSV: `, rsv=[0xdeadc0de, 0]` unless all of it is zero.
fn reserved(c: &mut Ctx, b: &[u8]) {
    nonzero_words(c, "rsv", b);
}

/// `, NAME=[0xdeadc0de, 0]`: reserved u32s in hex, nothing when all are zero.
pub(super) fn nonzero_words(c: &mut Ctx, name: &str, b: &[u8]) {
    if b.iter().all(|&x| x == 0) {
        return;
    }
    let _ = write!(c.out, ", {name}=[");
    for (i, word) in b.chunks_exact(4).enumerate() {
        if i > 0 {
            c.s(", ");
        }
        c.hex(u64::from(u32_at(word, 0)));
    }
    c.s("]");
}

/// PTP_SYS_OFFSET (2n+1 times) and PTP_SYS_OFFSET_EXTENDED (n triples): the request at entry,
/// the samples at exit.
fn ptp_samples(c: &mut Ctx, arg: u64, extended: bool) -> Phase {
    const HEAD: usize = 16;
    let size = if extended { 1216 } else { 832 };
    let mut b = vec![0u8; size];
    if c.entering() {
        c.next();
        // strace reads the whole structure, samples included, before printing its head.
        if arg == 0 {
            c.s("NULL");
            return Phase::Done;
        }
        if !c.read_exact(arg, &mut b) {
            c.ptr(arg);
            return Phase::Done;
        }
        let _ = write!(c.out, "{{n_samples={}", u32_at(&b, 0));
        reserved(c, &b[4..16]);
        return Phase::Later;
    }
    if c.ok() {
        if c.read_exact(arg, &mut b) {
            let samples = u32_at(&b, 0).min(PTP_MAX_SAMPLES) as usize;
            c.s(", ts=[");
            let (count, width) = if extended {
                (samples, 48)
            } else {
                (2 * samples + 1, 16)
            };
            // strace's print_array: `...` after -s elements unless -v.
            let shown = st::array_limit(c);
            for i in 0..count {
                if i > 0 {
                    c.s(", ");
                }
                if i >= shown {
                    c.s("...");
                    break;
                }
                let at = HEAD + i * width;
                if extended {
                    c.s("[");
                    for j in 0..3 {
                        if j > 0 {
                            c.s(", ");
                        }
                        clock_time(c, &b[at + j * 16..at + j * 16 + 16], true);
                    }
                    c.s("]");
                } else {
                    clock_time(c, &b[at..at + 16], true);
                }
            }
            c.s("]");
        } else {
            c.s(", ???");
        }
    }
    c.s("}");
    Phase::Done
}

/// `struct ptp_pin_desc`: the getters send the index and get name, function and channel back.
fn ptp_pin(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let getter = matches!(code, PTP_PIN_GETFUNC | PTP_PIN_GETFUNC2);
    let mut b = [0u8; 96];
    if c.entering() {
        c.next();
        let Some(head) = read_struct::<96>(c, arg, false) else {
            return Phase::Done;
        };
        b = head;
        let _ = write!(c.out, "{{index={}", u32_at(&b, 64));
        if getter {
            if code == PTP_PIN_GETFUNC2 {
                reserved(c, &b[76..96]);
            }
            return Phase::Later;
        }
    } else {
        if !c.ok() {
            c.s("}");
            return Phase::Done;
        }
        if !c.read_exact(arg, &mut b) {
            c.s(", ???}");
            return Phase::Done;
        }
        c.s(", name=");
        char_array(c, &b[..64]);
    }
    c.s(", func=");
    c.xval(u64::from(u32_at(&b, 68)), &PTP_PIN_FUNCS);
    let _ = write!(c.out, ", chan={}", u32_at(&b, 72));
    if code == PTP_PIN_SETFUNC2 {
        reserved(c, &b[76..96]);
    }
    c.s("}");
    Phase::Done
}
