//! MTD (memory technology device) requests (`'M'`, mtd/mtd-abi.h) as strace's mtd.c prints
//! them. Their numbers share type `'M'` with the sound mixer's, so the request's name is
//! preceded by `MIXER_READ(n) or ` / `MIXER_WRITE(n) or ` (see [`super::write_code`]).

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::local_array;
use super::super::structs::{read_struct, u32_at, u64_at};
use super::{Phase, io, ior, iow, iowr};
use crate::xlat;

const MEMGETINFO: u32 = ior(b'M', 1, 32);
const MEMERASE: u32 = iow(b'M', 2, 8);
const MEMWRITEOOB: u32 = iowr(b'M', 3, 16);
const MEMREADOOB: u32 = iowr(b'M', 4, 16);
const MEMLOCK: u32 = iow(b'M', 5, 8);
const MEMUNLOCK: u32 = iow(b'M', 6, 8);
const MEMGETREGIONCOUNT: u32 = ior(b'M', 7, 4);
const MEMGETREGIONINFO: u32 = iowr(b'M', 8, 16);
const MEMGETOOBSEL: u32 = ior(b'M', 10, OOBINFO_SIZE as u32);
const MEMGETBADBLOCK: u32 = iow(b'M', 11, 8);
const MEMSETBADBLOCK: u32 = iow(b'M', 12, 8);
const OTPSELECT: u32 = ior(b'M', 13, 4);
const OTPGETREGIONCOUNT: u32 = iow(b'M', 14, 4);
const OTPGETREGIONINFO: u32 = iow(b'M', 15, 12);
const OTPLOCK: u32 = ior(b'M', 16, 12);
const ECCGETLAYOUT: u32 = ior(b'M', 17, ECCLAYOUT_SIZE as u32);
const ECCGETSTATS: u32 = ior(b'M', 18, 16);
const MTDFILEMODE: u32 = io(b'M', 19);
const MEMERASE64: u32 = iow(b'M', 20, 16);
const MEMWRITEOOB64: u32 = iowr(b'M', 21, 24);
const MEMREADOOB64: u32 = iowr(b'M', 22, 24);
const MEMISLOCKED: u32 = ior(b'M', 23, 8);
const MEMWRITE: u32 = iowr(b'M', 24, 48);

/// struct nand_oobinfo: useecc, eccbytes, oobfree[8][2], eccpos[32] (all u32).
const OOBINFO_SIZE: usize = 8 + 8 * 8 + 32 * 4;
/// struct nand_ecclayout_user: eccbytes, eccpos[64], oobavail, oobfree[8] {offset, length}.
const ECCLAYOUT_SIZE: usize = 4 + 64 * 4 + 4 + 8 * 8;

pub(super) static NAMES: &[(u32, &str)] = &[
    (MEMGETINFO, "MEMGETINFO"),
    (MEMERASE, "MEMERASE"),
    (MEMWRITEOOB, "MEMWRITEOOB"),
    (MEMREADOOB, "MEMREADOOB"),
    (MEMLOCK, "MEMLOCK"),
    (MEMUNLOCK, "MEMUNLOCK"),
    (MEMGETREGIONCOUNT, "MEMGETREGIONCOUNT"),
    (MEMGETREGIONINFO, "MEMGETREGIONINFO"),
    (MEMGETOOBSEL, "MEMGETOOBSEL"),
    (MEMGETBADBLOCK, "MEMGETBADBLOCK"),
    (MEMSETBADBLOCK, "MEMSETBADBLOCK"),
    (OTPSELECT, "OTPSELECT"),
    (OTPGETREGIONCOUNT, "OTPGETREGIONCOUNT"),
    (OTPGETREGIONINFO, "OTPGETREGIONINFO"),
    (OTPLOCK, "OTPLOCK"),
    (ECCGETLAYOUT, "ECCGETLAYOUT"),
    (ECCGETSTATS, "ECCGETSTATS"),
    (MTDFILEMODE, "MTDFILEMODE"),
    (MEMERASE64, "MEMERASE64"),
    (MEMWRITEOOB64, "MEMWRITEOOB64"),
    (MEMREADOOB64, "MEMREADOOB64"),
    (MEMISLOCKED, "MEMISLOCKED"),
    (MEMWRITE, "MEMWRITE"),
];

xlat::xlat!(FILE_MODES, "MTD_FILE_MODE_???", [
    0 => "MTD_FILE_MODE_NORMAL", 1 => "MTD_FILE_MODE_OTP_FACTORY", 2 => "MTD_FILE_MODE_OTP_USER",
    3 => "MTD_FILE_MODE_RAW",
]);
xlat::xlat!(TYPES, "MTD_???", [
    0 => "MTD_ABSENT", 1 => "MTD_RAM", 2 => "MTD_ROM", 3 => "MTD_NORFLASH", 4 => "MTD_NANDFLASH",
    6 => "MTD_DATAFLASH", 7 => "MTD_UBIVOLUME", 8 => "MTD_MLCNANDFLASH",
]);
xlat::xlat!(FLAGS, "MTD_???", [
    0x400 => "MTD_WRITEABLE", 0x800 => "MTD_BIT_WRITEABLE", 0x1000 => "MTD_NO_ERASE",
    0x2000 => "MTD_POWERUP_LOCK", 0x4000 => "MTD_SLC_ON_MLC_EMULATION",
]);
xlat::xlat!(OTP_MODES, "MTD_OTP_???", [0 => "MTD_OTP_OFF", 1 => "MTD_OTP_FACTORY", 2 => "MTD_OTP_USER"]);
xlat::xlat!(OPS_MODES, "MTD_OPS_???", [0 => "MTD_OPS_PLACE_OOB", 1 => "MTD_OPS_AUTO_OOB", 2 => "MTD_OPS_RAW"]);
xlat::xlat!(NANDECC_MODES, "MTD_NANDECC_???", [
    0 => "MTD_NANDECC_OFF", 1 => "MTD_NANDECC_PLACE", 2 => "MTD_NANDECC_AUTOPLACE",
    3 => "MTD_NANDECC_PLACEONLY", 4 => "MTD_NANDECC_AUTOPL_USR",
]);

/// strace's mtd_ioctl.
pub(super) fn mtd(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    match code {
        MEMGETINFO | MEMGETOOBSEL | ECCGETLAYOUT | ECCGETSTATS | OTPGETREGIONCOUNT
        | MEMGETREGIONCOUNT | OTPGETREGIONINFO
            if entering =>
        {
            return Phase::Later;
        }
        MEMGETREGIONINFO => return region_info(c, arg),
        _ => {}
    }
    let output = !entering;
    match code {
        MEMERASE | MEMLOCK | MEMUNLOCK | MEMISLOCKED => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, false) {
                hex_fields(c, &b, &[("start", 4), ("length", 4)]);
            }
        }
        MEMERASE64 => {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, false) {
                hex_fields(c, &b, &[("start", 8), ("length", 8)]);
            }
        }
        MEMWRITEOOB | MEMREADOOB => {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, false) {
                let _ = write!(
                    c.out,
                    "{{start={}, length={}, ptr=",
                    X(u32_at(&b, 0).into()),
                    X(u32_at(&b, 4).into())
                );
                c.ptr(u64_at(&b, 8));
                c.s("}");
            }
        }
        MEMWRITEOOB64 | MEMREADOOB64 => {
            c.next();
            if let Some(b) = read_struct::<24>(c, arg, false) {
                let _ = write!(
                    c.out,
                    "{{start={}, length={}, usr_ptr=",
                    X(u64_at(&b, 0)),
                    X(u32_at(&b, 12).into())
                );
                c.ptr(u64_at(&b, 16));
                c.s("}");
            }
        }
        MEMWRITE => {
            c.next();
            if let Some(b) = read_struct::<48>(c, arg, false) {
                hex_fields(c, &b, &[("start", 8), ("len", 8), ("ooblen", 8)]);
                c.out.pop();
                c.s(", usr_data=");
                c.ptr(u64_at(&b, 24));
                c.s(", usr_oob=");
                c.ptr(u64_at(&b, 32));
                c.s(", mode=");
                c.xval(u64::from(b[40]), &OPS_MODES);
                c.s("}");
            }
        }
        OTPGETREGIONINFO | OTPLOCK => {
            c.next();
            if let Some(b) = read_struct::<12>(c, arg, output) {
                let _ = write!(
                    c.out,
                    "{{start={}, length={}, locked={}}}",
                    X(u32_at(&b, 0).into()),
                    X(u32_at(&b, 4).into()),
                    u32_at(&b, 8)
                );
            }
        }
        OTPSELECT => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, false) {
                c.s("[");
                c.xval(u64::from(u32_at(&b, 0)), &OTP_MODES);
                c.s("]");
            }
        }
        MTDFILEMODE => {
            c.next();
            c.xval(arg, &FILE_MODES);
        }
        MEMGETBADBLOCK | MEMSETBADBLOCK => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, false) {
                let _ = write!(c.out, "[{}]", u64_at(&b, 0));
            }
        }
        OTPGETREGIONCOUNT | MEMGETREGIONCOUNT => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, true) {
                let v = u32_at(&b, 0);
                if code == OTPGETREGIONCOUNT {
                    let _ = write!(c.out, "[{v}]");
                } else {
                    let _ = write!(c.out, "[{}]", v as i32);
                }
            }
        }
        MEMGETINFO => {
            c.next();
            if let Some(b) = read_struct::<32>(c, arg, true) {
                c.s("{type=");
                c.xval(u64::from(b[0]), &TYPES);
                c.s(", flags=");
                c.flags(u64::from(u32_at(&b, 4)), &FLAGS);
                let _ = write!(
                    c.out,
                    ", size={}, erasesize={}, writesize={}, oobsize={}, padding={}}}",
                    X(u32_at(&b, 8).into()),
                    X(u32_at(&b, 12).into()),
                    X(u32_at(&b, 16).into()),
                    X(u32_at(&b, 20).into()),
                    X(u64_at(&b, 24))
                );
            }
        }
        MEMGETOOBSEL => {
            c.next();
            if let Some(b) = read_struct::<OOBINFO_SIZE>(c, arg, true) {
                c.s("{useecc=");
                c.xval(u64::from(u32_at(&b, 0)), &NANDECC_MODES);
                let _ = write!(c.out, ", eccbytes={}, oobfree=", X(u32_at(&b, 4).into()));
                local_array(c, 8, 8, |c, i| {
                    let _ = write!(
                        c.out,
                        "[{}, {}]",
                        X(u32_at(&b, 8 + i * 8).into()),
                        X(u32_at(&b, 12 + i * 8).into())
                    );
                });
                c.s(", eccpos=");
                hex_u32s(c, &b[72..]);
                c.s("}");
            }
        }
        ECCGETLAYOUT => {
            c.next();
            if let Some(b) = read_struct::<ECCLAYOUT_SIZE>(c, arg, true) {
                let _ = write!(c.out, "{{eccbytes={}, eccpos=", X(u32_at(&b, 0).into()));
                hex_u32s(c, &b[4..260]);
                let _ = write!(c.out, ", oobavail={}, oobfree=", X(u32_at(&b, 260).into()));
                local_array(c, 8, 8, |c, i| {
                    let _ = write!(
                        c.out,
                        "{{offset={}, length={}}}",
                        X(u32_at(&b, 264 + i * 8).into()),
                        X(u32_at(&b, 268 + i * 8).into())
                    );
                });
                c.s("}");
            }
        }
        ECCGETSTATS => {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, true) {
                hex_fields(
                    c,
                    &b,
                    &[
                        ("corrected", 4),
                        ("failed", 4),
                        ("badblocks", 4),
                        ("bbtblocks", 4),
                    ],
                );
            }
        }
        _ => return Phase::Generic,
    }
    Phase::Done
}

/// `{start=0x..., length=0x...}`: consecutive little-endian fields of the given sizes.
fn hex_fields(c: &mut Ctx, b: &[u8], fields: &[(&str, usize)]) {
    let mut at = 0;
    c.s("{");
    for (i, &(name, size)) in fields.iter().enumerate() {
        let v = if size == 8 {
            u64_at(b, at)
        } else {
            u64::from(u32_at(b, at))
        };
        let sep = if i > 0 { ", " } else { "" };
        let _ = write!(c.out, "{sep}{name}={}", X(v));
        at += size;
    }
    c.s("}");
}

fn hex_u32s(c: &mut Ctx, b: &[u8]) {
    let n = b.len() / 4;
    local_array(c, n, n as u32, |c, i| {
        let _ = write!(c.out, "{}", X(u32_at(b, i * 4).into()));
    });
}

/// MEMGETREGIONINFO: `{regionindex=...` at entry, the rest at exit when it succeeded.
fn region_info(c: &mut Ctx, arg: u64) -> Phase {
    if c.entering() {
        c.next();
        let Some(b) = read_struct::<16>(c, arg, false) else {
            return Phase::Done;
        };
        let _ = write!(c.out, "{{regionindex={}", X(u32_at(&b, 12).into()));
        return Phase::Later;
    }
    let mut b = [0u8; 16];
    if c.ok() && c.read_exact(arg, &mut b) {
        let _ = write!(
            c.out,
            ", offset={}, erasesize={}, numblocks={}",
            X(u32_at(&b, 0).into()),
            X(u32_at(&b, 4).into()),
            X(u32_at(&b, 8).into())
        );
    }
    c.s("}");
    Phase::Done
}

/// strace's `%#x`: `0` for zero, else `0x...`.
struct X(u64);

impl std::fmt::Display for X {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}
