//! Console and keyboard requests (`'K'`, linux/kd.h) as strace 6.1's kd_ioctl.c and
//! kd_mpers_ioctl.c print them: tones, LEDs, modes, screen maps, keymap entries (with
//! the key's name, or `K(type, value)`), accent tables, fonts and unicode maps.

use std::fmt::Write;

use super::super::Ctx;
use super::super::XlatStyle;
use super::super::print::xlat_style;
use super::super::structs::{read_struct, u16_at, u32_at, u64_at};
use super::Phase;
use crate::xlat::{self, Xlat};

const KIOCSOUND: u32 = 0x4b2f;
const KDMKTONE: u32 = 0x4b30;
const KDGETLED: u32 = 0x4b31;
const KDSETLED: u32 = 0x4b32;
const KDGKBTYPE: u32 = 0x4b33;
const KDADDIO: u32 = 0x4b34;
const KDDELIO: u32 = 0x4b35;
const KDENABIO: u32 = 0x4b36;
const KDDISABIO: u32 = 0x4b37;
const KDSETMODE: u32 = 0x4b3a;
const KDGETMODE: u32 = 0x4b3b;
const KDMAPDISP: u32 = 0x4b3c;
const KDUNMAPDISP: u32 = 0x4b3d;
const GIO_SCRNMAP: u32 = 0x4b40;
const PIO_SCRNMAP: u32 = 0x4b41;
const KDGKBMODE: u32 = 0x4b44;
const KDSKBMODE: u32 = 0x4b45;
const KDGKBENT: u32 = 0x4b46;
const KDSKBENT: u32 = 0x4b47;
const KDGKBSENT: u32 = 0x4b48;
const KDSKBSENT: u32 = 0x4b49;
const KDGKBDIACR: u32 = 0x4b4a;
const KDSKBDIACR: u32 = 0x4b4b;
const KDGETKEYCODE: u32 = 0x4b4c;
const KDSETKEYCODE: u32 = 0x4b4d;
const KDSIGACCEPT: u32 = 0x4b4e;
const KDKBDREP: u32 = 0x4b52;
const GIO_FONT: u32 = 0x4b60;
const PIO_FONT: u32 = 0x4b61;
const KDGKBMETA: u32 = 0x4b62;
const KDSKBMETA: u32 = 0x4b63;
const KDGKBLED: u32 = 0x4b64;
const KDSKBLED: u32 = 0x4b65;
const GIO_UNIMAP: u32 = 0x4b66;
const PIO_UNIMAP: u32 = 0x4b67;
const PIO_UNIMAPCLR: u32 = 0x4b68;
const GIO_UNISCRNMAP: u32 = 0x4b69;
const PIO_UNISCRNMAP: u32 = 0x4b6a;
const GIO_FONTX: u32 = 0x4b6b;
const PIO_FONTX: u32 = 0x4b6c;
const PIO_FONTRESET: u32 = 0x4b6d;
const GIO_CMAP: u32 = 0x4b70;
const PIO_CMAP: u32 = 0x4b71;
const KDFONTOP: u32 = 0x4b72;
const KDGKBDIACRUC: u32 = 0x4bfa;
const KDSKBDIACRUC: u32 = 0x4bfb;

pub(super) static NAMES: &[(u32, &str)] = &[
    (KIOCSOUND, "KIOCSOUND"),
    (KDMKTONE, "KDMKTONE"),
    (KDGETLED, "KDGETLED"),
    (KDSETLED, "KDSETLED"),
    (KDGKBTYPE, "KDGKBTYPE"),
    (KDADDIO, "KDADDIO"),
    (KDDELIO, "KDDELIO"),
    (KDENABIO, "KDENABIO"),
    (KDDISABIO, "KDDISABIO"),
    (KDSETMODE, "KDSETMODE"),
    (KDGETMODE, "KDGETMODE"),
    (KDMAPDISP, "KDMAPDISP"),
    (KDUNMAPDISP, "KDUNMAPDISP"),
    (GIO_SCRNMAP, "GIO_SCRNMAP"),
    (PIO_SCRNMAP, "PIO_SCRNMAP"),
    (KDGKBMODE, "KDGKBMODE"),
    (KDSKBMODE, "KDSKBMODE"),
    (KDGKBENT, "KDGKBENT"),
    (KDSKBENT, "KDSKBENT"),
    (KDGKBSENT, "KDGKBSENT"),
    (KDSKBSENT, "KDSKBSENT"),
    (KDGKBDIACR, "KDGKBDIACR"),
    (KDSKBDIACR, "KDSKBDIACR"),
    (KDGETKEYCODE, "KDGETKEYCODE"),
    (KDSETKEYCODE, "KDSETKEYCODE"),
    (KDSIGACCEPT, "KDSIGACCEPT"),
    (KDKBDREP, "KDKBDREP"),
    (GIO_FONT, "GIO_FONT"),
    (PIO_FONT, "PIO_FONT"),
    (KDGKBMETA, "KDGKBMETA"),
    (KDSKBMETA, "KDSKBMETA"),
    (KDGKBLED, "KDGKBLED"),
    (KDSKBLED, "KDSKBLED"),
    (GIO_UNIMAP, "GIO_UNIMAP"),
    (PIO_UNIMAP, "PIO_UNIMAP"),
    (PIO_UNIMAPCLR, "PIO_UNIMAPCLR"),
    (GIO_UNISCRNMAP, "GIO_UNISCRNMAP"),
    (PIO_UNISCRNMAP, "PIO_UNISCRNMAP"),
    (GIO_FONTX, "GIO_FONTX"),
    (PIO_FONTX, "PIO_FONTX"),
    (PIO_FONTRESET, "PIO_FONTRESET"),
    (GIO_CMAP, "GIO_CMAP"),
    (PIO_CMAP, "PIO_CMAP"),
    (KDFONTOP, "KDFONTOP"),
    (KDGKBDIACRUC, "KDGKBDIACRUC"),
    (KDSKBDIACRUC, "KDSKBDIACRUC"),
];

xlat::xlat!(LED_FLAGS, "LED_???", [1 => "LED_SCR", 2 => "LED_NUM", 4 => "LED_CAP"]);
xlat::xlat!(DEFAULT_LED_FLAGS, "LED_???", [
    1 => "LED_SCR", 2 => "LED_NUM", 4 => "LED_CAP", 0x10 => "LED_SCR<<4", 0x20 => "LED_NUM<<4",
    0x40 => "LED_CAP<<4",
]);
xlat::xlat!(KBD_TYPES, "KB_???", [1 => "KB_84", 2 => "KB_101", 3 => "KB_OTHER"]);
xlat::xlat!(MODES, "KD_???", [0 => "KD_TEXT", 1 => "KD_GRAPHICS", 2 => "KD_TEXT0", 3 => "KD_TEXT1"]);
xlat::xlat!(KBD_MODES, "K_???", [
    0 => "K_RAW", 1 => "K_XLATE", 2 => "K_MEDIUMRAW", 3 => "K_UNICODE", 4 => "K_OFF",
]);
xlat::xlat!(META_VALS, "K_???", [3 => "K_METABIT", 4 => "K_ESCPREFIX"]);
xlat::xlat!(KEY_TABLES, "", [
    0 => "K_NORMTAB", 1 => "K_SHIFTTAB", 2 => "K_ALTTAB", 3 => "K_ALTSHIFTTAB",
]);
xlat::xlat!(KEYMAP_FLAGS, "K_???", [
    1 << 0 => "1<<KG_SHIFT", 1 << 1 => "1<<KG_ALTGR", 1 << 2 => "1<<KG_CTRL", 1 << 3 => "1<<KG_ALT",
    1 << 4 => "1<<KG_SHIFTL", 1 << 5 => "1<<KG_SHIFTR", 1 << 6 => "1<<KG_CTRLL",
    1 << 7 => "1<<KG_CTRLR",
]);
xlat::xlat!(KEY_TYPES, "", [
    0 => "KT_LATIN", 1 => "KT_FN", 2 => "KT_SPEC", 3 => "KT_PAD", 4 => "KT_DEAD", 5 => "KT_CONS",
    6 => "KT_CUR", 7 => "KT_SHIFT", 8 => "KT_META", 9 => "KT_ASCII", 10 => "KT_LOCK",
    11 => "KT_LETTER", 12 => "KT_SLOCK", 13 => "KT_DEAD2", 14 => "KT_BRL",
]);
xlat::xlat!(FONT_OPS, "KD_FONT_OP_???", [
    0 => "KD_FONT_OP_SET", 1 => "KD_FONT_OP_GET", 2 => "KD_FONT_OP_SET_DEFAULT",
    3 => "KD_FONT_OP_COPY",
]);
xlat::xlat!(FONT_FLAGS, "KD_FONT_FLAG_???", [
    1 => "KD_FONT_FLAG_DONT_RECALC", 0x8000_0000 => "KD_FONT_FLAG_OLD",
]);

const PIT_TICK_RATE: u64 = 1_193_182;

/// strace's kd_ioctl.
pub(super) fn kd(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let raw = xlat_style() == XlatStyle::Raw;
    let entering = c.entering();
    match code {
        KIOCSOUND => {
            c.next();
            c.udec(arg);
            if !raw {
                match arg
                    .checked_div(1)
                    .filter(|&a| a != 0)
                    .map(|a| PIT_TICK_RATE / a)
                {
                    Some(freq) if freq != 0 => {
                        let _ = write!(c.out, " /* {freq} Hz */");
                    }
                    _ => c.s(" /* off */"),
                }
            }
        }
        KDMKTONE => {
            let v = arg as u32;
            let (ticks, count) = (v >> 16, v & 0xffff);
            c.next();
            if ticks != 0 {
                let _ = write!(c.out, "{ticks}<<16|");
            }
            let _ = write!(c.out, "{count}");
            if !raw {
                if ticks != 0 && count != 0 {
                    let freq = PIT_TICK_RATE / u64::from(count);
                    let _ = write!(c.out, " /* {freq} Hz, {ticks} ms */");
                } else {
                    c.s(" /* off */");
                }
            }
        }
        KDGETLED | KDGKBLED if entering => return Phase::Later,
        KDGETLED | KDGKBLED | KDSETLED | KDSKBLED => {
            let table = if matches!(code, KDGKBLED | KDSKBLED) {
                &DEFAULT_LED_FLAGS
            } else {
                &LED_FLAGS
            };
            c.next();
            if matches!(code, KDGETLED | KDGKBLED) {
                if let Some(b) = read_struct::<1>(c, arg, true) {
                    c.s("[");
                    c.flags(u64::from(b[0]), table);
                    c.s("]");
                }
            } else {
                c.flags(arg & 0xff, table);
            }
        }
        KDGKBTYPE | KDGETMODE | KDGKBMODE | KDGKBMETA if entering => return Phase::Later,
        KDGKBTYPE => {
            c.next();
            if let Some(b) = read_struct::<1>(c, arg, true) {
                c.s("[");
                c.xval(u64::from(b[0]), &KBD_TYPES);
                c.s("]");
            }
        }
        KDGETMODE | KDGKBMODE | KDGKBMETA => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, true) {
                let v = u32_at(&b, 0);
                c.s("[");
                match code {
                    KDGETMODE => c.xval(u64::from(v), &MODES),
                    KDGKBMODE => c.xval_d(i64::from(v as i32), &KBD_MODES),
                    _ => c.xval(u64::from(v), &META_VALS),
                }
                c.s("]");
            }
        }
        KDADDIO | KDDELIO => {
            c.next();
            c.hex(arg);
            if (0x3b4..=0x3df).contains(&arg) && !raw {
                let _ = write!(c.out, " /* GPFIRST + {} */", arg - 0x3b4);
            }
        }
        KDSETMODE => {
            c.next();
            c.xval(arg & 0xffff_ffff, &MODES);
        }
        KDSKBMODE => {
            c.next();
            c.xval_d(i64::from(arg as u32 as i32), &KBD_MODES);
        }
        KDSKBMETA => {
            c.next();
            c.xval(arg & 0xffff_ffff, &META_VALS);
        }
        GIO_SCRNMAP | GIO_FONT | GIO_CMAP if entering => return Phase::Later,
        GIO_SCRNMAP | PIO_SCRNMAP | GIO_FONT | PIO_FONT | GIO_CMAP | PIO_CMAP => {
            let len = match code {
                GIO_SCRNMAP | PIO_SCRNMAP => 256,
                GIO_FONT | PIO_FONT => 8192,
                _ => 48,
            };
            c.next();
            if !c.entering() && !c.ok() {
                c.ptr(arg);
            } else {
                c.buf_hex(arg, len);
            }
        }
        GIO_UNISCRNMAP if entering => return Phase::Later,
        GIO_UNISCRNMAP if !c.ok() => {
            c.next();
            c.ptr(arg);
        }
        GIO_UNISCRNMAP | PIO_UNISCRNMAP => {
            c.next();
            c.array(arg, 256, 2, |c, e| {
                uni_entry(c, u16_at(e, 0));
                true
            });
        }
        KDGKBENT | KDSKBENT => return kb_entry(c, arg, code == KDGKBENT),
        KDGKBSENT | KDSKBSENT => return kb_string_entry(c, arg, code == KDGKBSENT),
        KDGKBDIACR | KDGKBDIACRUC if entering => return Phase::Later,
        KDGKBDIACR | KDSKBDIACR | KDGKBDIACRUC | KDSKBDIACRUC => {
            let unicode = matches!(code, KDGKBDIACRUC | KDSKBDIACRUC);
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, !c.entering()) {
                let count = u32_at(&b, 0);
                let _ = write!(c.out, "{{kb_cnt={count}, ");
                c.s(if unicode { "kbdiacruc=" } else { "kbdiacr=" });
                let shown = u64::from(count.min(256));
                let size = if unicode { 12 } else { 3 };
                let before = c.out.len();
                c.array(arg + 4, shown, size, |c, e| {
                    if unicode {
                        c.s("{diacr=");
                        c.hex(u64::from(u32_at(e, 0)));
                        c.s(", base=");
                        c.hex(u64::from(u32_at(e, 4)));
                        c.s(", result=");
                        c.hex(u64::from(u32_at(e, 8)));
                    } else {
                        c.s("{diacr=");
                        char_lit(c, e[0], true);
                        c.s(", base=");
                        char_lit(c, e[1], true);
                        c.s(", result=");
                        char_lit(c, e[2], true);
                    }
                    c.s("}");
                    true
                });
                if count > 256 && c.out.len() > before + 1 && !c.out.ends_with("...]") {
                    c.out.pop();
                    c.s(if shown > 0 { ", ...]" } else { "...]" });
                }
                c.s("}");
            }
        }
        KDGETKEYCODE | KDSETKEYCODE => {
            if entering {
                c.next();
                let Some(b) = read_struct::<8>(c, arg, false) else {
                    return Phase::Done;
                };
                c.s("{scancode=");
                c.hex(u64::from(u32_at(&b, 0)));
                c.s(", keycode=");
                c.hex(u64::from(u32_at(&b, 4)));
                if code == KDGETKEYCODE {
                    return Phase::Later;
                }
                c.s("}");
            } else {
                if c.ok()
                    && let Some(v) = c.read_u32(arg + 4)
                {
                    c.s(" => ");
                    c.hex(u64::from(v));
                }
                c.s("}");
            }
        }
        KDSIGACCEPT => {
            c.next();
            if arg < i32::MAX as u64 {
                c.signal(arg);
            } else {
                c.udec(arg);
            }
        }
        KDKBDREP => {
            if entering {
                c.next();
                let Some(b) = read_struct::<8>(c, arg, false) else {
                    return Phase::Done;
                };
                repeat(c, &b);
                return Phase::Later;
            }
            let mut b = [0u8; 8];
            if c.ok() && c.read_exact(arg, &mut b) {
                c.s(" => ");
                repeat(c, &b);
            }
        }
        PIO_UNIMAPCLR => {
            c.next();
            if let Some(b) = read_struct::<6>(c, arg, false) {
                let _ = write!(
                    c.out,
                    "{{advised_hashsize={}, advised_hashstep={}, advised_hashlevel={}}}",
                    u16_at(&b, 0),
                    u16_at(&b, 2),
                    u16_at(&b, 4)
                );
            }
        }
        GIO_UNIMAP | PIO_UNIMAP => return unimap(c, arg, code == GIO_UNIMAP),
        GIO_FONTX | PIO_FONTX => return fontx(c, arg, code == GIO_FONTX),
        KDFONTOP => return font_op(c, arg),
        KDENABIO | KDDISABIO | KDMAPDISP | KDUNMAPDISP | PIO_FONTRESET => {}
        _ => return Phase::Generic,
    }
    Phase::Done
}

/// strace's print_char with quotes: `'a'`, `'\x01'`; with `esc_ws` (SCF_ESC_WS) `\t`..`\r`
/// by name: `'\n'`.
pub(super) fn char_lit(c: &mut Ctx, ch: u8, esc_ws: bool) {
    c.s("'");
    match ch {
        b'\'' | b'\\' => {
            c.s("\\");
            c.out.push(char::from(ch));
        }
        0x20..=0x7e => c.out.push(char::from(ch)),
        b'\t'..=b'\r' if esc_ws => {
            c.s("\\");
            c.out.push(char::from(b"tnvfr"[usize::from(ch - b'\t')]));
        }
        _ => {
            let _ = write!(c.out, "\\x{ch:02x}");
        }
    }
    c.s("'");
}

fn repeat(c: &mut Ctx, b: &[u8]) {
    let _ = write!(
        c.out,
        "{{delay={}, period={}}}",
        u32_at(b, 0) as i32,
        u32_at(b, 4) as i32
    );
}

/// A unicode screen map entry: direct-mapped font positions as `UNI_DIRECT_BASE+0x15`.
fn uni_entry(c: &mut Ctx, v: u16) {
    const UNI_DIRECT_BASE: u16 = 0xf000;
    const UNI_DIRECT_MASK: u16 = 0x1ff;
    let direct = v & !UNI_DIRECT_MASK == UNI_DIRECT_BASE;
    let style = xlat_style();
    if style != XlatStyle::Abbrev || !direct {
        c.hex(u64::from(v));
    }
    if style == XlatStyle::Raw || !direct {
        return;
    }
    let text = format!("UNI_DIRECT_BASE+{:#x}", v & UNI_DIRECT_MASK);
    if style == XlatStyle::Verbose {
        let _ = write!(c.out, " /* {text} */");
    } else {
        c.s(&text);
    }
}

/// struct kbentry: table and index at entry, the key value at exit for KDGKBENT.
fn kb_entry(c: &mut Ctx, arg: u64, get: bool) -> Phase {
    if c.entering() {
        c.next();
        let mut b = [0u8; 2];
        if arg == 0 || !c.read_exact(arg, &mut b) {
            c.ptr(arg);
            return Phase::Done;
        }
        c.s("{kb_table=");
        if KEY_TABLES.entries.iter().any(|e| e.0 == u64::from(b[0])) {
            c.xval(u64::from(b[0]), &KEY_TABLES);
        } else {
            c.flags(u64::from(b[0]), &KEYMAP_FLAGS);
        }
        let _ = write!(c.out, ", kb_index={}", b[1]);
        if get {
            return Phase::Later;
        }
    } else if !c.ok() {
        c.s("}");
        return Phase::Done;
    }
    c.s(", ");
    let mut v = [0u8; 2];
    if !c.read_exact(arg + 2, &mut v) {
        c.s("kb_value=???}");
        return Phase::Done;
    }
    let value = u16::from_ne_bytes(v);
    c.s("kb_value=");
    c.hex(u64::from(value));
    if xlat_style() != XlatStyle::Raw {
        key_comment(c, value);
    }
    c.s("}");
    Phase::Done
}

/// ` /* K_F1 */`, or ` /* K(KT_LATIN, 'a') */` for a key without a name.
fn key_comment(c: &mut Ctx, value: u16) {
    let (kind, kval) = (value >> 8, (value & 0xff) as u8);
    let table: Option<&Xlat> = match kind {
        1 => Some(&KEYS_FN),
        2 => Some(&KEYS_SPEC),
        3 => Some(&KEYS_PAD),
        4 => Some(&KEYS_DEAD),
        6 => Some(&KEYS_CUR),
        7 => Some(&KEYS_SHIFT),
        9 => Some(&KEYS_ASCII),
        10 => Some(&KEYS_LOCK),
        12 => Some(&KEYS_SLOCK),
        14 => Some(&KEYS_BRL),
        _ => None,
    };
    let name = table.and_then(|t| t.entries.iter().find(|e| e.0 == u64::from(value)));
    if let Some(&(_, name)) = name {
        let _ = write!(c.out, " /* {name} */");
        return;
    }
    c.s(" /* K(");
    match KEY_TYPES.entries.iter().find(|e| e.0 == u64::from(kind)) {
        Some(&(_, n)) => c.s(n),
        None => c.hex(u64::from(kind)),
    }
    c.s(", ");
    match kind {
        0 | 8 | 11 | 13 => char_lit(c, kval, true),
        _ => c.hex(u64::from(kval)),
    }
    c.s(") */");
}

/// struct kbsentry: the function key, and its string at exit for KDGKBSENT.
fn kb_string_entry(c: &mut Ctx, arg: u64, get: bool) -> Phase {
    if c.entering() {
        c.next();
        let Some(b) = read_struct::<1>(c, arg, false) else {
            return Phase::Done;
        };
        c.s("{kb_func=");
        c.xval(u64::from(b[0]), &FN_KEY_VALS);
        if get {
            return Phase::Later;
        }
    } else if !c.ok() {
        c.s("}");
        return Phase::Done;
    }
    c.s(", kb_string=");
    match c.read_string(arg + 1, 512) {
        None => c.s("???"),
        Some(bytes) => {
            // The string up to its NUL (or all 512 bytes), cut at -s; `...` unless the
            // NUL was within what is shown.
            let limit = c.style.string_limit;
            let shown = bytes.len().min(limit);
            super::super::print::quote(c.out, &bytes[..shown], c.style.hex, b"", true);
            if bytes.len() >= limit.min(512) {
                c.s("...");
            }
        }
    }
    c.s("}");
    Phase::Done
}

/// struct unimapdesc: entry_ct and the unicode/font position pairs.
fn unimap(c: &mut Ctx, arg: u64, get: bool) -> Phase {
    const ENOMEM: i64 = -12;
    let entering = c.entering();
    if entering {
        c.next();
    }
    let mut b = [0u8; 16];
    if arg == 0 || !c.read_exact(arg, &mut b) {
        if entering {
            c.ptr(arg);
        } else {
            c.s("}");
        }
        return Phase::Done;
    }
    let (count, entries) = (u16_at(&b, 0), u64_at(&b, 8));
    if entering {
        c.saved[1] = u64::from(count);
        let _ = write!(c.out, "{{entry_ct={count}");
        if get {
            return Phase::Later;
        }
    } else {
        let _ = write!(c.out, " => {count}");
    }
    if !entering && !c.ok() && c.rval() != ENOMEM {
        c.s(", entries=");
        c.ptr(entries);
        c.s("}");
        return Phase::Done;
    }
    let shown = if entering {
        u64::from(count)
    } else {
        c.saved[1]
    };
    c.s(", entries=");
    c.array(entries, shown, 4, |c, e| {
        c.s("{unicode=");
        c.hex(u64::from(u16_at(e, 0)));
        c.s(", fontpos=");
        c.hex(u64::from(u16_at(e, 2)));
        c.s("}");
        true
    });
    c.s("}");
    Phase::Done
}

/// A struct the kernel reads at entry and may write back: at entry printed as it is, at exit
/// (after ` => `) as the call left it, when the call succeeded and it is readable.
fn struct_in_or_out<const N: usize>(c: &mut Ctx, arg: u64) -> Option<[u8; N]> {
    if c.entering() {
        c.next();
        return read_struct::<N>(c, arg, false);
    }
    let mut b = [0u8; N];
    if !c.ok() || !c.read_exact(arg, &mut b) {
        return None;
    }
    c.s(" => ");
    Some(b)
}

/// struct consolefontdesc (GIO_FONTX, PIO_FONTX).
fn fontx(c: &mut Ctx, arg: u64, get: bool) -> Phase {
    let entering = c.entering();
    let Some(b) = struct_in_or_out::<16>(c, arg) else {
        return Phase::Done;
    };
    let (count, height, data) = (u16_at(&b, 0), u16_at(&b, 2), u64_at(&b, 8));
    let _ = write!(c.out, "{{charcount={count}, charheight={height}, chardata=");
    if get && entering {
        c.ptr(data);
    } else {
        c.buf_hex(data, u64::from(count.min(512)) * 32);
    }
    c.s("}");
    if get && entering {
        Phase::Later
    } else {
        Phase::Done
    }
}

/// KD_FONT_OP_SET_DEFAULT's font name: a NUL-terminated string in a 32-byte buffer whose
/// last byte is expected to be the NUL, so at most 31 characters show (`...` without one).
fn font_name(c: &mut Ctx, addr: u64) {
    const SIZE: usize = 32;
    let Some(name) = (addr != 0).then(|| c.read_string(addr, SIZE)).flatten() else {
        c.ptr(addr);
        return;
    };
    let terminated = name.len() < SIZE;
    let len = name.len().min(SIZE - 1);
    let shown = len.min(c.style.string_limit);
    super::super::print::quote(c.out, &name[..shown], c.style.hex, b"", true);
    if shown < len || !terminated {
        c.s("...");
    }
}

/// struct console_font_op (KDFONTOP).
fn font_op(c: &mut Ctx, arg: u64) -> Phase {
    const SET: u32 = 0;
    const GET: u32 = 1;
    const SET_DEFAULT: u32 = 2;
    const COPY: u32 = 3;
    let entering = c.entering();
    let Some(b) = struct_in_or_out::<32>(c, arg) else {
        return Phase::Done;
    };
    let op = u32_at(&b, 0);
    let (width, height, count) = (u32_at(&b, 8), u32_at(&b, 12), u32_at(&b, 16));
    let data = u64_at(&b, 24);
    c.s("{");
    if entering {
        c.s("op=");
        c.xval(u64::from(op), &FONT_OPS);
        if !matches!(op, SET_DEFAULT | COPY) {
            c.s(", flags=");
            c.flags(u64::from(u32_at(&b, 4)), &FONT_FLAGS);
        }
        c.s(", ");
    }
    if op == COPY {
        let _ = write!(c.out, "height={height}");
    } else {
        let _ = write!(c.out, "width={width}, height={height}");
    }
    if !matches!(op, SET_DEFAULT | COPY) {
        let _ = write!(c.out, ", charcount={count}");
    }
    match op {
        GET if entering => {
            c.s(", data=");
            c.ptr(data);
        }
        GET | SET => {
            c.s(", data=");
            let len = u64::from(width.min(32).div_ceil(8)) * 32 * u64::from(count.min(512));
            c.buf_hex(data, len);
        }
        SET_DEFAULT => {
            if entering {
                c.s(", data=");
                font_name(c, data);
            }
        }
        COPY => {}
        _ => {
            c.s(", data=");
            c.ptr(data);
        }
    }
    c.s("}");
    if matches!(op, SET | COPY) || !entering {
        Phase::Done
    } else {
        Phase::Later
    }
}

xlat::xlat!(KEYS_FN, "", [
    0x100 => "K_F1", 0x101 => "K_F2", 0x102 => "K_F3", 0x103 => "K_F4", 0x104 => "K_F5",
    0x105 => "K_F6", 0x106 => "K_F7", 0x107 => "K_F8", 0x108 => "K_F9", 0x109 => "K_F10",
    0x10a => "K_F11", 0x10b => "K_F12", 0x10c => "K_F13", 0x10d => "K_F14", 0x10e => "K_F15",
    0x10f => "K_F16", 0x110 => "K_F17", 0x111 => "K_F18", 0x112 => "K_F19", 0x113 => "K_F20",
    0x114 => "K_FIND", 0x115 => "K_INSERT", 0x116 => "K_REMOVE", 0x117 => "K_SELECT",
    0x118 => "K_PGUP", 0x119 => "K_PGDN", 0x11a => "K_MACRO", 0x11b => "K_HELP", 0x11c => "K_DO",
    0x11d => "K_PAUSE", 0x11e => "K_F21", 0x11f => "K_F22", 0x120 => "K_F23", 0x121 => "K_F24",
    0x122 => "K_F25", 0x123 => "K_F26", 0x124 => "K_F27", 0x125 => "K_F28", 0x126 => "K_F29",
    0x127 => "K_F30", 0x128 => "K_F31", 0x129 => "K_F32", 0x12a => "K_F33", 0x12b => "K_F34",
    0x12c => "K_F35", 0x12d => "K_F36", 0x12e => "K_F37", 0x12f => "K_F38", 0x130 => "K_F39",
    0x131 => "K_F40", 0x132 => "K_F41", 0x133 => "K_F42", 0x134 => "K_F43", 0x135 => "K_F44",
    0x136 => "K_F45", 0x137 => "K_F46", 0x138 => "K_F47", 0x139 => "K_F48", 0x13a => "K_F49",
    0x13b => "K_F50", 0x13c => "K_F51", 0x13d => "K_F52", 0x13e => "K_F53", 0x13f => "K_F54",
    0x140 => "K_F55", 0x141 => "K_F56", 0x142 => "K_F57", 0x143 => "K_F58", 0x144 => "K_F59",
    0x145 => "K_F60", 0x146 => "K_F61", 0x147 => "K_F62", 0x148 => "K_F63", 0x149 => "K_F64",
    0x14a => "K_F65", 0x14b => "K_F66", 0x14c => "K_F67", 0x14d => "K_F68", 0x14e => "K_F69",
    0x14f => "K_F70", 0x150 => "K_F71", 0x151 => "K_F72", 0x152 => "K_F73", 0x153 => "K_F74",
    0x154 => "K_F75", 0x155 => "K_F76", 0x156 => "K_F77", 0x157 => "K_F78", 0x158 => "K_F79",
    0x159 => "K_F80", 0x15a => "K_F81", 0x15b => "K_F82", 0x15c => "K_F83", 0x15d => "K_F84",
    0x15e => "K_F85", 0x15f => "K_F86", 0x160 => "K_F87", 0x161 => "K_F88", 0x162 => "K_F89",
    0x163 => "K_F90", 0x164 => "K_F91", 0x165 => "K_F92", 0x166 => "K_F93", 0x167 => "K_F94",
    0x168 => "K_F95", 0x169 => "K_F96", 0x16a => "K_F97", 0x16b => "K_F98", 0x16c => "K_F99",
    0x16d => "K_F100", 0x16e => "K_F101", 0x16f => "K_F102", 0x170 => "K_F103", 0x171 => "K_F104",
    0x172 => "K_F105", 0x173 => "K_F106", 0x174 => "K_F107", 0x175 => "K_F108", 0x176 => "K_F109",
    0x177 => "K_F110", 0x178 => "K_F111", 0x179 => "K_F112", 0x17a => "K_F113", 0x17b => "K_F114",
    0x17c => "K_F115", 0x17d => "K_F116", 0x17e => "K_F117", 0x17f => "K_F118", 0x180 => "K_F119",
    0x181 => "K_F120", 0x182 => "K_F121", 0x183 => "K_F122", 0x184 => "K_F123", 0x185 => "K_F124",
    0x186 => "K_F125", 0x187 => "K_F126", 0x188 => "K_F127", 0x189 => "K_F128", 0x18a => "K_F129",
    0x18b => "K_F130", 0x18c => "K_F131", 0x18d => "K_F132", 0x18e => "K_F133", 0x18f => "K_F134",
    0x190 => "K_F135", 0x191 => "K_F136", 0x192 => "K_F137", 0x193 => "K_F138", 0x194 => "K_F139",
    0x195 => "K_F140", 0x196 => "K_F141", 0x197 => "K_F142", 0x198 => "K_F143", 0x199 => "K_F144",
    0x19a => "K_F145", 0x19b => "K_F146", 0x19c => "K_F147", 0x19d => "K_F148", 0x19e => "K_F149",
    0x19f => "K_F150", 0x1a0 => "K_F151", 0x1a1 => "K_F152", 0x1a2 => "K_F153", 0x1a3 => "K_F154",
    0x1a4 => "K_F155", 0x1a5 => "K_F156", 0x1a6 => "K_F157", 0x1a7 => "K_F158", 0x1a8 => "K_F159",
    0x1a9 => "K_F160", 0x1aa => "K_F161", 0x1ab => "K_F162", 0x1ac => "K_F163", 0x1ad => "K_F164",
    0x1ae => "K_F165", 0x1af => "K_F166", 0x1b0 => "K_F167", 0x1b1 => "K_F168", 0x1b2 => "K_F169",
    0x1b3 => "K_F170", 0x1b4 => "K_F171", 0x1b5 => "K_F172", 0x1b6 => "K_F173", 0x1b7 => "K_F174",
    0x1b8 => "K_F175", 0x1b9 => "K_F176", 0x1ba => "K_F177", 0x1bb => "K_F178", 0x1bc => "K_F179",
    0x1bd => "K_F180", 0x1be => "K_F181", 0x1bf => "K_F182", 0x1c0 => "K_F183", 0x1c1 => "K_F184",
    0x1c2 => "K_F185", 0x1c3 => "K_F186", 0x1c4 => "K_F187", 0x1c5 => "K_F188", 0x1c6 => "K_F189",
    0x1c7 => "K_F190", 0x1c8 => "K_F191", 0x1c9 => "K_F192", 0x1ca => "K_F193", 0x1cb => "K_F194",
    0x1cc => "K_F195", 0x1cd => "K_F196", 0x1ce => "K_F197", 0x1cf => "K_F198", 0x1d0 => "K_F199",
    0x1d1 => "K_F200", 0x1d2 => "K_F201", 0x1d3 => "K_F202", 0x1d4 => "K_F203", 0x1d5 => "K_F204",
    0x1d6 => "K_F205", 0x1d7 => "K_F206", 0x1d8 => "K_F207", 0x1d9 => "K_F208", 0x1da => "K_F209",
    0x1db => "K_F210", 0x1dc => "K_F211", 0x1dd => "K_F212", 0x1de => "K_F213", 0x1df => "K_F214",
    0x1e0 => "K_F215", 0x1e1 => "K_F216", 0x1e2 => "K_F217", 0x1e3 => "K_F218", 0x1e4 => "K_F219",
    0x1e5 => "K_F220", 0x1e6 => "K_F221", 0x1e7 => "K_F222", 0x1e8 => "K_F223", 0x1e9 => "K_F224",
    0x1ea => "K_F225", 0x1eb => "K_F226", 0x1ec => "K_F227", 0x1ed => "K_F228", 0x1ee => "K_F229",
    0x1ef => "K_F230", 0x1f0 => "K_F231", 0x1f1 => "K_F232", 0x1f2 => "K_F233", 0x1f3 => "K_F234",
    0x1f4 => "K_F235", 0x1f5 => "K_F236", 0x1f6 => "K_F237", 0x1f7 => "K_F238", 0x1f8 => "K_F239",
    0x1f9 => "K_F240", 0x1fa => "K_F241", 0x1fb => "K_F242", 0x1fc => "K_F243", 0x1fd => "K_F244",
    0x1fe => "K_F245", 0x1ff => "K_UNDO",
]);

xlat::xlat!(KEYS_SPEC, "", [
    0x200 => "K_HOLE", 0x201 => "K_ENTER", 0x202 => "K_SH_REGS", 0x203 => "K_SH_MEM",
    0x204 => "K_SH_STAT", 0x205 => "K_BREAK", 0x206 => "K_CONS", 0x207 => "K_CAPS",
    0x208 => "K_NUM", 0x209 => "K_HOLD", 0x20a => "K_SCROLLFORW", 0x20b => "K_SCROLLBACK",
    0x20c => "K_BOOT", 0x20d => "K_CAPSON", 0x20e => "K_COMPOSE", 0x20f => "K_SAK",
    0x210 => "K_DECRCONSOLE", 0x211 => "K_INCRCONSOLE", 0x212 => "K_SPAWNCONSOLE",
    0x213 => "K_BARENUMLOCK", 0x27e => "K_ALLOCATED", 0x27f => "K_NOSUCHMAP",
]);

xlat::xlat!(KEYS_PAD, "", [
    0x300 => "K_P0", 0x301 => "K_P1", 0x302 => "K_P2", 0x303 => "K_P3", 0x304 => "K_P4",
    0x305 => "K_P5", 0x306 => "K_P6", 0x307 => "K_P7", 0x308 => "K_P8", 0x309 => "K_P9",
    0x30a => "K_PPLUS", 0x30b => "K_PMINUS", 0x30c => "K_PSTAR", 0x30d => "K_PSLASH",
    0x30e => "K_PENTER", 0x30f => "K_PCOMMA", 0x310 => "K_PDOT", 0x311 => "K_PPLUSMINUS",
    0x312 => "K_PPARENL", 0x313 => "K_PPARENR",
]);

xlat::xlat!(KEYS_DEAD, "", [
    0x400 => "K_DGRAVE", 0x401 => "K_DACUTE", 0x402 => "K_DCIRCM", 0x403 => "K_DTILDE",
    0x404 => "K_DDIERE", 0x405 => "K_DCEDIL", 0x406 => "K_DMACRON", 0x407 => "K_DBREVE",
    0x408 => "K_DABDOT", 0x409 => "K_DABRING", 0x40a => "K_DDBACUTE", 0x40b => "K_DCARON",
    0x40c => "K_DOGONEK", 0x40d => "K_DIOTA", 0x40e => "K_DVOICED", 0x40f => "K_DSEMVOICED",
    0x410 => "K_DBEDOT", 0x411 => "K_DHOOK", 0x412 => "K_DHORN", 0x413 => "K_DSTROKE",
    0x414 => "K_DABCOMMA", 0x415 => "K_DABREVCOMMA", 0x416 => "K_DDBGRAVE", 0x417 => "K_DINVBREVE",
    0x418 => "K_DBECOMMA", 0x419 => "K_DCURRENCY", 0x41a => "K_DGREEK",
]);

xlat::xlat!(KEYS_CUR, "", [
    0x600 => "K_DOWN", 0x601 => "K_LEFT", 0x602 => "K_RIGHT", 0x603 => "K_UP",
]);

xlat::xlat!(KEYS_SHIFT, "", [
    0x700 => "K_SHIFT", 0x702 => "K_CTRL", 0x703 => "K_ALT", 0x701 => "K_ALTGR",
    0x704 => "K_SHIFTL", 0x705 => "K_SHIFTR", 0x706 => "K_CTRLL", 0x707 => "K_CTRLR",
    0x708 => "K_CAPSSHIFT",
]);

xlat::xlat!(KEYS_ASCII, "", [
    0x900 => "K_ASC0", 0x901 => "K_ASC1", 0x902 => "K_ASC2", 0x903 => "K_ASC3", 0x904 => "K_ASC4",
    0x905 => "K_ASC5", 0x906 => "K_ASC6", 0x907 => "K_ASC7", 0x908 => "K_ASC8", 0x909 => "K_ASC9",
    0x90a => "K_HEX0", 0x90b => "K_HEX1", 0x90c => "K_HEX2", 0x90d => "K_HEX3", 0x90e => "K_HEX4",
    0x90f => "K_HEX5", 0x910 => "K_HEX6", 0x911 => "K_HEX7", 0x912 => "K_HEX8", 0x913 => "K_HEX9",
    // strace's (newer headers') K_HEXa..K_HEXf.
    0x914 => "K_HEXa", 0x915 => "K_HEXb", 0x916 => "K_HEXc", 0x917 => "K_HEXd", 0x918 => "K_HEXe",
    0x919 => "K_HEXf",
]);

xlat::xlat!(KEYS_LOCK, "", [
    0xa00 => "K_SHIFTLOCK", 0xa02 => "K_CTRLLOCK", 0xa03 => "K_ALTLOCK", 0xa01 => "K_ALTGRLOCK",
    0xa04 => "K_SHIFTLLOCK", 0xa05 => "K_SHIFTRLOCK", 0xa06 => "K_CTRLLLOCK",
    0xa07 => "K_CTRLRLOCK", 0xa08 => "K_CAPSSHIFTLOCK",
]);

xlat::xlat!(KEYS_SLOCK, "", [
    0xc00 => "K_SHIFT_SLOCK", 0xc02 => "K_CTRL_SLOCK", 0xc03 => "K_ALT_SLOCK",
    0xc01 => "K_ALTGR_SLOCK", 0xc04 => "K_SHIFTL_SLOCK", 0xc05 => "K_SHIFTR_SLOCK",
    0xc06 => "K_CTRLL_SLOCK", 0xc07 => "K_CTRLR_SLOCK", 0xc08 => "K_CAPSSHIFT_SLOCK",
]);

xlat::xlat!(KEYS_BRL, "", [
    0xe00 => "K_BRL_BLANK", 0xe01 => "K_BRL_DOT1", 0xe02 => "K_BRL_DOT2", 0xe03 => "K_BRL_DOT3",
    0xe04 => "K_BRL_DOT4", 0xe05 => "K_BRL_DOT5", 0xe06 => "K_BRL_DOT6", 0xe07 => "K_BRL_DOT7",
    0xe08 => "K_BRL_DOT8", 0xe09 => "K_BRL_DOT9", 0xe0a => "K_BRL_DOT10",
]);

xlat::xlat!(FN_KEY_VALS, "KVAL(K_???)", [
    0x0 => "KVAL(K_F1)", 0x1 => "KVAL(K_F2)", 0x2 => "KVAL(K_F3)", 0x3 => "KVAL(K_F4)",
    0x4 => "KVAL(K_F5)", 0x5 => "KVAL(K_F6)", 0x6 => "KVAL(K_F7)", 0x7 => "KVAL(K_F8)",
    0x8 => "KVAL(K_F9)", 0x9 => "KVAL(K_F10)", 0xa => "KVAL(K_F11)", 0xb => "KVAL(K_F12)",
    0xc => "KVAL(K_F13)", 0xd => "KVAL(K_F14)", 0xe => "KVAL(K_F15)", 0xf => "KVAL(K_F16)",
    0x10 => "KVAL(K_F17)", 0x11 => "KVAL(K_F18)", 0x12 => "KVAL(K_F19)", 0x13 => "KVAL(K_F20)",
    0x14 => "KVAL(K_FIND)", 0x15 => "KVAL(K_INSERT)", 0x16 => "KVAL(K_REMOVE)",
    0x17 => "KVAL(K_SELECT)", 0x18 => "KVAL(K_PGUP)", 0x19 => "KVAL(K_PGDN)",
    0x1a => "KVAL(K_MACRO)", 0x1b => "KVAL(K_HELP)", 0x1c => "KVAL(K_DO)", 0x1d => "KVAL(K_PAUSE)",
    0x1e => "KVAL(K_F21)", 0x1f => "KVAL(K_F22)", 0x20 => "KVAL(K_F23)", 0x21 => "KVAL(K_F24)",
    0x22 => "KVAL(K_F25)", 0x23 => "KVAL(K_F26)", 0x24 => "KVAL(K_F27)", 0x25 => "KVAL(K_F28)",
    0x26 => "KVAL(K_F29)", 0x27 => "KVAL(K_F30)", 0x28 => "KVAL(K_F31)", 0x29 => "KVAL(K_F32)",
    0x2a => "KVAL(K_F33)", 0x2b => "KVAL(K_F34)", 0x2c => "KVAL(K_F35)", 0x2d => "KVAL(K_F36)",
    0x2e => "KVAL(K_F37)", 0x2f => "KVAL(K_F38)", 0x30 => "KVAL(K_F39)", 0x31 => "KVAL(K_F40)",
    0x32 => "KVAL(K_F41)", 0x33 => "KVAL(K_F42)", 0x34 => "KVAL(K_F43)", 0x35 => "KVAL(K_F44)",
    0x36 => "KVAL(K_F45)", 0x37 => "KVAL(K_F46)", 0x38 => "KVAL(K_F47)", 0x39 => "KVAL(K_F48)",
    0x3a => "KVAL(K_F49)", 0x3b => "KVAL(K_F50)", 0x3c => "KVAL(K_F51)", 0x3d => "KVAL(K_F52)",
    0x3e => "KVAL(K_F53)", 0x3f => "KVAL(K_F54)", 0x40 => "KVAL(K_F55)", 0x41 => "KVAL(K_F56)",
    0x42 => "KVAL(K_F57)", 0x43 => "KVAL(K_F58)", 0x44 => "KVAL(K_F59)", 0x45 => "KVAL(K_F60)",
    0x46 => "KVAL(K_F61)", 0x47 => "KVAL(K_F62)", 0x48 => "KVAL(K_F63)", 0x49 => "KVAL(K_F64)",
    0x4a => "KVAL(K_F65)", 0x4b => "KVAL(K_F66)", 0x4c => "KVAL(K_F67)", 0x4d => "KVAL(K_F68)",
    0x4e => "KVAL(K_F69)", 0x4f => "KVAL(K_F70)", 0x50 => "KVAL(K_F71)", 0x51 => "KVAL(K_F72)",
    0x52 => "KVAL(K_F73)", 0x53 => "KVAL(K_F74)", 0x54 => "KVAL(K_F75)", 0x55 => "KVAL(K_F76)",
    0x56 => "KVAL(K_F77)", 0x57 => "KVAL(K_F78)", 0x58 => "KVAL(K_F79)", 0x59 => "KVAL(K_F80)",
    0x5a => "KVAL(K_F81)", 0x5b => "KVAL(K_F82)", 0x5c => "KVAL(K_F83)", 0x5d => "KVAL(K_F84)",
    0x5e => "KVAL(K_F85)", 0x5f => "KVAL(K_F86)", 0x60 => "KVAL(K_F87)", 0x61 => "KVAL(K_F88)",
    0x62 => "KVAL(K_F89)", 0x63 => "KVAL(K_F90)", 0x64 => "KVAL(K_F91)", 0x65 => "KVAL(K_F92)",
    0x66 => "KVAL(K_F93)", 0x67 => "KVAL(K_F94)", 0x68 => "KVAL(K_F95)", 0x69 => "KVAL(K_F96)",
    0x6a => "KVAL(K_F97)", 0x6b => "KVAL(K_F98)", 0x6c => "KVAL(K_F99)", 0x6d => "KVAL(K_F100)",
    0x6e => "KVAL(K_F101)", 0x6f => "KVAL(K_F102)", 0x70 => "KVAL(K_F103)", 0x71 => "KVAL(K_F104)",
    0x72 => "KVAL(K_F105)", 0x73 => "KVAL(K_F106)", 0x74 => "KVAL(K_F107)", 0x75 => "KVAL(K_F108)",
    0x76 => "KVAL(K_F109)", 0x77 => "KVAL(K_F110)", 0x78 => "KVAL(K_F111)", 0x79 => "KVAL(K_F112)",
    0x7a => "KVAL(K_F113)", 0x7b => "KVAL(K_F114)", 0x7c => "KVAL(K_F115)", 0x7d => "KVAL(K_F116)",
    0x7e => "KVAL(K_F117)", 0x7f => "KVAL(K_F118)", 0x80 => "KVAL(K_F119)", 0x81 => "KVAL(K_F120)",
    0x82 => "KVAL(K_F121)", 0x83 => "KVAL(K_F122)", 0x84 => "KVAL(K_F123)", 0x85 => "KVAL(K_F124)",
    0x86 => "KVAL(K_F125)", 0x87 => "KVAL(K_F126)", 0x88 => "KVAL(K_F127)", 0x89 => "KVAL(K_F128)",
    0x8a => "KVAL(K_F129)", 0x8b => "KVAL(K_F130)", 0x8c => "KVAL(K_F131)", 0x8d => "KVAL(K_F132)",
    0x8e => "KVAL(K_F133)", 0x8f => "KVAL(K_F134)", 0x90 => "KVAL(K_F135)", 0x91 => "KVAL(K_F136)",
    0x92 => "KVAL(K_F137)", 0x93 => "KVAL(K_F138)", 0x94 => "KVAL(K_F139)", 0x95 => "KVAL(K_F140)",
    0x96 => "KVAL(K_F141)", 0x97 => "KVAL(K_F142)", 0x98 => "KVAL(K_F143)", 0x99 => "KVAL(K_F144)",
    0x9a => "KVAL(K_F145)", 0x9b => "KVAL(K_F146)", 0x9c => "KVAL(K_F147)", 0x9d => "KVAL(K_F148)",
    0x9e => "KVAL(K_F149)", 0x9f => "KVAL(K_F150)", 0xa0 => "KVAL(K_F151)", 0xa1 => "KVAL(K_F152)",
    0xa2 => "KVAL(K_F153)", 0xa3 => "KVAL(K_F154)", 0xa4 => "KVAL(K_F155)", 0xa5 => "KVAL(K_F156)",
    0xa6 => "KVAL(K_F157)", 0xa7 => "KVAL(K_F158)", 0xa8 => "KVAL(K_F159)", 0xa9 => "KVAL(K_F160)",
    0xaa => "KVAL(K_F161)", 0xab => "KVAL(K_F162)", 0xac => "KVAL(K_F163)", 0xad => "KVAL(K_F164)",
    0xae => "KVAL(K_F165)", 0xaf => "KVAL(K_F166)", 0xb0 => "KVAL(K_F167)", 0xb1 => "KVAL(K_F168)",
    0xb2 => "KVAL(K_F169)", 0xb3 => "KVAL(K_F170)", 0xb4 => "KVAL(K_F171)", 0xb5 => "KVAL(K_F172)",
    0xb6 => "KVAL(K_F173)", 0xb7 => "KVAL(K_F174)", 0xb8 => "KVAL(K_F175)", 0xb9 => "KVAL(K_F176)",
    0xba => "KVAL(K_F177)", 0xbb => "KVAL(K_F178)", 0xbc => "KVAL(K_F179)", 0xbd => "KVAL(K_F180)",
    0xbe => "KVAL(K_F181)", 0xbf => "KVAL(K_F182)", 0xc0 => "KVAL(K_F183)", 0xc1 => "KVAL(K_F184)",
    0xc2 => "KVAL(K_F185)", 0xc3 => "KVAL(K_F186)", 0xc4 => "KVAL(K_F187)", 0xc5 => "KVAL(K_F188)",
    0xc6 => "KVAL(K_F189)", 0xc7 => "KVAL(K_F190)", 0xc8 => "KVAL(K_F191)", 0xc9 => "KVAL(K_F192)",
    0xca => "KVAL(K_F193)", 0xcb => "KVAL(K_F194)", 0xcc => "KVAL(K_F195)", 0xcd => "KVAL(K_F196)",
    0xce => "KVAL(K_F197)", 0xcf => "KVAL(K_F198)", 0xd0 => "KVAL(K_F199)", 0xd1 => "KVAL(K_F200)",
    0xd2 => "KVAL(K_F201)", 0xd3 => "KVAL(K_F202)", 0xd4 => "KVAL(K_F203)", 0xd5 => "KVAL(K_F204)",
    0xd6 => "KVAL(K_F205)", 0xd7 => "KVAL(K_F206)", 0xd8 => "KVAL(K_F207)", 0xd9 => "KVAL(K_F208)",
    0xda => "KVAL(K_F209)", 0xdb => "KVAL(K_F210)", 0xdc => "KVAL(K_F211)", 0xdd => "KVAL(K_F212)",
    0xde => "KVAL(K_F213)", 0xdf => "KVAL(K_F214)", 0xe0 => "KVAL(K_F215)", 0xe1 => "KVAL(K_F216)",
    0xe2 => "KVAL(K_F217)", 0xe3 => "KVAL(K_F218)", 0xe4 => "KVAL(K_F219)", 0xe5 => "KVAL(K_F220)",
    0xe6 => "KVAL(K_F221)", 0xe7 => "KVAL(K_F222)", 0xe8 => "KVAL(K_F223)", 0xe9 => "KVAL(K_F224)",
    0xea => "KVAL(K_F225)", 0xeb => "KVAL(K_F226)", 0xec => "KVAL(K_F227)", 0xed => "KVAL(K_F228)",
    0xee => "KVAL(K_F229)", 0xef => "KVAL(K_F230)", 0xf0 => "KVAL(K_F231)", 0xf1 => "KVAL(K_F232)",
    0xf2 => "KVAL(K_F233)", 0xf3 => "KVAL(K_F234)", 0xf4 => "KVAL(K_F235)", 0xf5 => "KVAL(K_F236)",
    0xf6 => "KVAL(K_F237)", 0xf7 => "KVAL(K_F238)", 0xf8 => "KVAL(K_F239)", 0xf9 => "KVAL(K_F240)",
    0xfa => "KVAL(K_F241)", 0xfb => "KVAL(K_F242)", 0xfc => "KVAL(K_F243)", 0xfd => "KVAL(K_F244)",
    0xfe => "KVAL(K_F245)", 0xff => "KVAL(K_UNDO)",
]);
