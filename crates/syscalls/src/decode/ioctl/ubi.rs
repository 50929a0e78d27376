//! UBI (unsorted block images) requests (`'o'` and `'O'`, mtd/ubi-user.h) as strace's ubi.c
//! prints them.

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::{read_struct, u16_at, u32_at, u64_at};
use super::{Phase, char_array, io, ior, iow};
use crate::xlat;

const UBI_IOCMKVOL: u32 = iow(b'o', 0, MKVOL_SIZE as u32);
const UBI_IOCRMVOL: u32 = iow(b'o', 1, 4);
const UBI_IOCRSVOL: u32 = iow(b'o', 2, 12);
const UBI_IOCRNVOL: u32 = iow(b'o', 3, RNVOL_SIZE as u32);
const UBI_IOCRPEB: u32 = iow(b'o', 4, 4);
const UBI_IOCSPEB: u32 = iow(b'o', 5, 4);
const UBI_IOCATT: u32 = iow(b'o', 64, 24);
const UBI_IOCDET: u32 = iow(b'o', 65, 4);
const UBI_IOCVOLUP: u32 = iow(b'O', 0, 8);
const UBI_IOCEBER: u32 = iow(b'O', 1, 4);
const UBI_IOCEBCH: u32 = iow(b'O', 2, 4);
const UBI_IOCEBMAP: u32 = iow(b'O', 3, 8);
const UBI_IOCEBUNMAP: u32 = iow(b'O', 4, 4);
const UBI_IOCEBISMAP: u32 = ior(b'O', 5, 4);
const UBI_IOCSETVOLPROP: u32 = iow(b'O', 6, 16);
const UBI_IOCVOLCRBLK: u32 = iow(b'O', 7, 128);
const UBI_IOCVOLRMBLK: u32 = io(b'O', 8);

/// struct ubi_mkvol_req (packed): vol_id, alignment, bytes, vol_type, flags, name_len,
/// padding, name[128].
const MKVOL_SIZE: usize = 152;
/// struct ubi_rnvol_req: count, padding, 32 entries of 136 bytes.
const RNVOL_SIZE: usize = 16 + UBI_MAX_RNVOL * RNVOL_ENTRY_SIZE;
const UBI_MAX_RNVOL: usize = 32;
const RNVOL_ENTRY_SIZE: usize = 136;
const NAME_SIZE: i64 = 128;

pub(super) static NAMES: &[(u32, &str)] = &[
    (UBI_IOCMKVOL, "UBI_IOCMKVOL"),
    (UBI_IOCRMVOL, "UBI_IOCRMVOL"),
    (UBI_IOCRSVOL, "UBI_IOCRSVOL"),
    (UBI_IOCRNVOL, "UBI_IOCRNVOL"),
    (UBI_IOCRPEB, "UBI_IOCRPEB"),
    (UBI_IOCSPEB, "UBI_IOCSPEB"),
    (UBI_IOCATT, "UBI_IOCATT"),
    (UBI_IOCDET, "UBI_IOCDET"),
    (UBI_IOCVOLUP, "UBI_IOCVOLUP"),
    (UBI_IOCEBER, "UBI_IOCEBER"),
    (UBI_IOCEBCH, "UBI_IOCEBCH"),
    (UBI_IOCEBMAP, "UBI_IOCEBMAP"),
    (UBI_IOCEBUNMAP, "UBI_IOCEBUNMAP"),
    (UBI_IOCEBISMAP, "UBI_IOCEBISMAP"),
    (UBI_IOCSETVOLPROP, "UBI_IOCSETVOLPROP"),
    (UBI_IOCVOLCRBLK, "UBI_IOCVOLCRBLK"),
    (UBI_IOCVOLRMBLK, "UBI_IOCVOLRMBLK"),
    // linux/dvb/net.h's request of type 'o' that the suite meets.
    (io(b'o', 0x35), "NET_REMOVE_IF"),
];

xlat::xlat!(VOLUME_TYPES, "UBI_???_VOLUME", [3 => "UBI_DYNAMIC_VOLUME", 4 => "UBI_STATIC_VOLUME"]);
xlat::xlat!(VOLUME_FLAGS, "UBI_VOL_???", [1 => "UBI_VOL_SKIP_CRC_CHECK_FLG"]);
xlat::xlat!(VOLUME_PROPS, "UBI_VOL_PROP_???", [1 => "UBI_VOL_PROP_DIRECT_WRITE"]);
xlat::xlat!(DATA_TYPES, "UBI_???", [1 => "UBI_LONGTERM", 2 => "UBI_SHORTTERM", 3 => "UBI_UNKNOWN"]);

/// strace's ubi_ioctl.
pub(super) fn ubi(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        UBI_IOCMKVOL | UBI_IOCATT if !c.entering() => {
            // The kernel writes the new volume or device number back.
            if c.ok() {
                c.s(" => ");
                int_ptr(c, arg);
            }
            return Phase::Done;
        }
        UBI_IOCVOLCRBLK | UBI_IOCVOLRMBLK => return Phase::Done,
        UBI_IOCDET | UBI_IOCEBER | UBI_IOCEBISMAP | UBI_IOCEBUNMAP | UBI_IOCRMVOL | UBI_IOCRPEB
        | UBI_IOCSPEB => {
            c.next();
            int_ptr(c, arg);
            return Phase::Done;
        }
        UBI_IOCVOLUP => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, false) {
                let _ = write!(c.out, "[{}]", u64_at(&b, 0) as i64);
            }
            return Phase::Done;
        }
        _ => {}
    }
    let phase = match code {
        UBI_IOCMKVOL | UBI_IOCATT => Phase::Later,
        UBI_IOCRSVOL | UBI_IOCRNVOL | UBI_IOCEBCH | UBI_IOCEBMAP | UBI_IOCSETVOLPROP => Phase::Done,
        _ => return Phase::Generic,
    };
    c.next();
    let i32_at = |b: &[u8], at: usize| u32_at(b, at) as i32;
    match code {
        UBI_IOCMKVOL => {
            let Some(b) = read_struct::<MKVOL_SIZE>(c, arg, false) else {
                return Phase::Done;
            };
            let _ = write!(
                c.out,
                "{{vol_id={}, alignment={}, bytes={}, vol_type=",
                i32_at(&b, 0),
                i32_at(&b, 4),
                u64_at(&b, 8) as i64
            );
            c.xval(u64::from(b[16]), &VOLUME_TYPES);
            c.s(", flags=");
            c.flags(u64::from(b[17]), &VOLUME_FLAGS);
            volume_name(c, &b[18..20], &b[24..]);
            c.s("}");
        }
        UBI_IOCATT => {
            let Some(b) = read_struct::<24>(c, arg, false) else {
                return Phase::Done;
            };
            let _ = write!(
                c.out,
                "{{ubi_num={}, mtd_num={}, vid_hdr_offset={}, max_beb_per1024={}}}",
                i32_at(&b, 0),
                i32_at(&b, 4),
                i32_at(&b, 8),
                u16_at(&b, 12) as i16
            );
        }
        UBI_IOCRSVOL => {
            if let Some(b) = read_struct::<12>(c, arg, false) {
                let _ = write!(
                    c.out,
                    "{{bytes={}, vol_id={}}}",
                    u64_at(&b, 0) as i64,
                    i32_at(&b, 8)
                );
            }
        }
        UBI_IOCRNVOL => rename_volumes(c, arg),
        UBI_IOCEBCH => {
            if let Some(b) = read_struct::<16>(c, arg, false) {
                let _ = write!(
                    c.out,
                    "{{lnum={}, bytes={}, dtype=",
                    i32_at(&b, 0),
                    i32_at(&b, 4)
                );
                c.xval(u64::from(b[8]), &DATA_TYPES);
                c.s("}");
            }
        }
        UBI_IOCEBMAP => {
            if let Some(b) = read_struct::<8>(c, arg, false) {
                let _ = write!(c.out, "{{lnum={}, dtype=", i32_at(&b, 0));
                c.xval(u64::from(b[4]), &DATA_TYPES);
                c.s("}");
            }
        }
        _ => {
            if let Some(b) = read_struct::<16>(c, arg, false) {
                c.s("{property=");
                c.xval(u64::from(b[0]), &VOLUME_PROPS);
                c.s(", value=");
                c.hex(u64_at(&b, 8));
                c.s("}");
            }
        }
    }
    phase
}

/// `[-559038737]`: strace's printnum_int with `%d`.
fn int_ptr(c: &mut Ctx, arg: u64) {
    if let Some(b) = read_struct::<4>(c, arg, false) {
        let _ = write!(c.out, "[{}]", u32_at(&b, 0) as i32);
    }
}

/// `, name_len=N, name="..."`: the name's first `name_len` bytes (clamped to the buffer)
/// and its terminating NUL.
fn volume_name(c: &mut Ctx, len: &[u8], name: &[u8]) {
    let name_len = i64::from(u16_at(len, 0) as i16);
    let _ = write!(c.out, ", name_len={name_len}, name=");
    let size = 1 + name_len.clamp(0, NAME_SIZE - 1) as usize;
    char_array(c, &name[..size]);
}

fn rename_volumes(c: &mut Ctx, arg: u64) {
    let Some(b) = read_struct::<RNVOL_SIZE>(c, arg, false) else {
        return;
    };
    let count = u32_at(&b, 0) as i32;
    let _ = write!(c.out, "{{count={count}, ents=[");
    let shown = (count.max(0) as usize).min(UBI_MAX_RNVOL);
    let limit = if c.style.verbose {
        usize::MAX
    } else {
        c.style.string_limit
    };
    for i in 0..shown {
        if i > 0 {
            c.s(", ");
        }
        if i >= limit {
            c.s("...");
            break;
        }
        let e = &b[16 + i * RNVOL_ENTRY_SIZE..16 + (i + 1) * RNVOL_ENTRY_SIZE];
        let _ = write!(c.out, "{{vol_id={}", u32_at(e, 0) as i32);
        volume_name(c, &e[4..6], &e[8..]);
        c.s("}");
    }
    c.s("]}");
}
