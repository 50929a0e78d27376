//! Real-time clock requests (`'p'`, linux/rtc.h) as strace's rtc.c prints them.

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::{read_struct, u32_at, u64_at};
use super::{Phase, io, ior, iow, iowr};
use crate::xlat;

const RTC_AIE_ON: u32 = io(b'p', 0x01);
const RTC_AIE_OFF: u32 = io(b'p', 0x02);
const RTC_UIE_ON: u32 = io(b'p', 0x03);
const RTC_UIE_OFF: u32 = io(b'p', 0x04);
const RTC_PIE_ON: u32 = io(b'p', 0x05);
const RTC_PIE_OFF: u32 = io(b'p', 0x06);
const RTC_WIE_ON: u32 = io(b'p', 0x0f);
const RTC_WIE_OFF: u32 = io(b'p', 0x10);
const RTC_ALM_SET: u32 = iow(b'p', 0x07, RTC_TIME_SIZE as u32);
const RTC_ALM_READ: u32 = ior(b'p', 0x08, RTC_TIME_SIZE as u32);
const RTC_RD_TIME: u32 = ior(b'p', 0x09, RTC_TIME_SIZE as u32);
const RTC_SET_TIME: u32 = iow(b'p', 0x0a, RTC_TIME_SIZE as u32);
const RTC_IRQP_READ: u32 = ior(b'p', 0x0b, 8);
const RTC_IRQP_SET: u32 = iow(b'p', 0x0c, 8);
const RTC_EPOCH_READ: u32 = ior(b'p', 0x0d, 8);
const RTC_EPOCH_SET: u32 = iow(b'p', 0x0e, 8);
const RTC_WKALM_SET: u32 = iow(b'p', 0x0f, WKALRM_SIZE as u32);
const RTC_WKALM_RD: u32 = ior(b'p', 0x10, WKALRM_SIZE as u32);
const RTC_PLL_GET: u32 = ior(b'p', 0x11, PLL_INFO_SIZE as u32);
const RTC_PLL_SET: u32 = iow(b'p', 0x12, PLL_INFO_SIZE as u32);
const RTC_PARAM_GET: u32 = iow(b'p', 0x13, PARAM_SIZE as u32);
const RTC_PARAM_SET: u32 = iow(b'p', 0x14, PARAM_SIZE as u32);
const RTC_VL_READ: u32 = ior(b'p', 0x13, 4);
const RTC_VL_CLR: u32 = io(b'p', 0x14);

/// struct rtc_time: nine ints.
const RTC_TIME_SIZE: usize = 36;
/// struct rtc_wkalrm: enabled, pending, then a struct rtc_time at offset 4.
const WKALRM_SIZE: usize = 40;
/// struct rtc_pll_info: six ints and a long.
const PLL_INFO_SIZE: usize = 32;
/// struct rtc_param: param, a 64-bit value, index, padding.
const PARAM_SIZE: usize = 24;

pub(super) static NAMES: &[(u32, &str)] = &[
    (RTC_AIE_ON, "RTC_AIE_ON"),
    (RTC_AIE_OFF, "RTC_AIE_OFF"),
    (RTC_UIE_ON, "RTC_UIE_ON"),
    (RTC_UIE_OFF, "RTC_UIE_OFF"),
    (RTC_PIE_ON, "RTC_PIE_ON"),
    (RTC_PIE_OFF, "RTC_PIE_OFF"),
    (RTC_WIE_ON, "RTC_WIE_ON"),
    (RTC_WIE_OFF, "RTC_WIE_OFF"),
    (RTC_ALM_SET, "RTC_ALM_SET"),
    (RTC_ALM_READ, "RTC_ALM_READ"),
    (RTC_RD_TIME, "RTC_RD_TIME"),
    (RTC_SET_TIME, "RTC_SET_TIME"),
    (RTC_IRQP_READ, "RTC_IRQP_READ"),
    (RTC_IRQP_SET, "RTC_IRQP_SET"),
    (RTC_EPOCH_READ, "RTC_EPOCH_READ"),
    (RTC_EPOCH_SET, "RTC_EPOCH_SET"),
    (RTC_WKALM_SET, "RTC_WKALM_SET"),
    (RTC_WKALM_RD, "RTC_WKALM_RD"),
    (RTC_PLL_GET, "RTC_PLL_GET"),
    (RTC_PLL_SET, "RTC_PLL_SET"),
    (RTC_PARAM_GET, "RTC_PARAM_GET"),
    (RTC_PARAM_SET, "RTC_PARAM_SET"),
    (RTC_VL_READ, "RTC_VL_READ"),
    (RTC_VL_CLR, "RTC_VL_CLR"),
    // Other drivers' requests of type 'p' (linux/phantom.h, linux/nvram.h).
    (iowr(b'p', 0x00, 8), "PHN_GET_REG"),
    (iow(b'p', 0x01, 8), "PHN_SET_REG"),
    (iowr(b'p', 0x02, 8), "PHN_GET_REGS"),
    (iow(b'p', 0x03, 8), "PHN_SET_REGS"),
    (io(b'p', 0x04), "PHN_NOT_OH"),
    (iowr(b'p', 0x05, 8), "PHN_GETREG"),
    (iow(b'p', 0x06, 8), "PHN_SETREG"),
    (iowr(b'p', 0x07, 0x28), "PHN_GETREGS"),
    (iow(b'p', 0x08, 0x28), "PHN_SETREGS"),
    (io(b'p', 0x40), "NVRAM_INIT"),
    (io(b'p', 0x41), "NVRAM_SETCKS"),
];

xlat::xlat!(VL_FLAGS, "RTC_VL_???", [
    1 << 0 => "RTC_VL_DATA_INVALID", 1 << 1 => "RTC_VL_BACKUP_LOW",
    1 << 2 => "RTC_VL_BACKUP_EMPTY", 1 << 3 => "RTC_VL_ACCURACY_LOW",
    1 << 4 => "RTC_VL_BACKUP_SWITCH",
]);

xlat::xlat!(PARAMS, "RTC_PARAM_???", [
    0 => "RTC_PARAM_FEATURES", 1 => "RTC_PARAM_CORRECTION", 2 => "RTC_PARAM_BACKUP_SWITCH_MODE",
]);

xlat::xlat!(FEATURES, "1<<RTC_FEATURE_???", [
    1 << 0 => "1<<RTC_FEATURE_ALARM", 1 << 1 => "1<<RTC_FEATURE_ALARM_RES_MINUTE",
    1 << 2 => "1<<RTC_FEATURE_NEED_WEEK_DAY", 1 << 3 => "1<<RTC_FEATURE_ALARM_RES_2S",
    1 << 4 => "1<<RTC_FEATURE_UPDATE_INTERRUPT", 1 << 5 => "1<<RTC_FEATURE_CORRECTION",
    1 << 6 => "1<<RTC_FEATURE_BACKUP_SWITCH_MODE", 1 << 7 => "1<<RTC_FEATURE_ALARM_WAKEUP_ONLY",
]);

xlat::xlat!(BACKUP_SWITCH_MODES, "RTC_BSM_???", [
    0 => "RTC_BSM_DISABLED", 1 => "RTC_BSM_DIRECT", 2 => "RTC_BSM_LEVEL", 3 => "RTC_BSM_STANDBY",
]);

/// strace's rtc_ioctl: read requests print their argument at exit, the others at entry.
pub(super) fn rtc(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        RTC_ALM_READ | RTC_RD_TIME | RTC_IRQP_READ | RTC_EPOCH_READ | RTC_WKALM_RD
        | RTC_PLL_GET | RTC_VL_READ
            if c.entering() =>
        {
            return Phase::Later;
        }
        RTC_PARAM_GET | RTC_PARAM_SET => return param(c, code == RTC_PARAM_GET, arg),
        RTC_AIE_ON | RTC_AIE_OFF | RTC_UIE_ON | RTC_UIE_OFF | RTC_PIE_ON | RTC_PIE_OFF
        | RTC_WIE_ON | RTC_WIE_OFF | RTC_VL_CLR => return Phase::Done,
        RTC_IRQP_SET | RTC_EPOCH_SET => {
            c.next();
            c.udec(arg);
            return Phase::Done;
        }
        _ => {}
    }
    let output = !c.entering();
    match code {
        RTC_ALM_READ | RTC_RD_TIME | RTC_ALM_SET | RTC_SET_TIME => {
            c.next();
            if let Some(b) = read_struct::<RTC_TIME_SIZE>(c, arg, output) {
                rtc_time(c, &b);
            }
        }
        RTC_IRQP_READ | RTC_EPOCH_READ => {
            c.next();
            if let Some(b) = read_struct::<8>(c, arg, output) {
                let _ = write!(c.out, "[{}]", u64_at(&b, 0));
            }
        }
        RTC_WKALM_RD | RTC_WKALM_SET => {
            c.next();
            if let Some(b) = read_struct::<WKALRM_SIZE>(c, arg, output) {
                let _ = write!(c.out, "{{enabled={}, pending={}, time=", b[0], b[1]);
                rtc_time(c, &b[4..]);
                c.s("}");
            }
        }
        RTC_PLL_GET | RTC_PLL_SET => {
            c.next();
            if let Some(b) = read_struct::<PLL_INFO_SIZE>(c, arg, output) {
                let names = [
                    "pll_ctrl",
                    "pll_value",
                    "pll_max",
                    "pll_min",
                    "pll_posmult",
                    "pll_negmult",
                ];
                for (i, name) in names.iter().enumerate() {
                    let sep = if i == 0 { "{" } else { ", " };
                    let _ = write!(c.out, "{sep}{name}={}", u32_at(&b, i * 4) as i32);
                }
                let _ = write!(c.out, ", pll_clock={}}}", u64_at(&b, 24) as i64);
            }
        }
        RTC_VL_READ => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, output) {
                c.s("[");
                c.flags(u64::from(u32_at(&b, 0)), &VL_FLAGS);
                c.s("]");
            }
        }
        _ => return Phase::Generic,
    }
    Phase::Done
}

/// struct rtc_time, its last three fields only with `-v`.
fn rtc_time(c: &mut Ctx, b: &[u8]) {
    let names = [
        "tm_sec", "tm_min", "tm_hour", "tm_mday", "tm_mon", "tm_year", "tm_wday", "tm_yday",
        "tm_isdst",
    ];
    let shown = if c.style.verbose { 9 } else { 6 };
    for (i, name) in names[..shown].iter().enumerate() {
        let sep = if i == 0 { "{" } else { ", " };
        let _ = write!(c.out, "{sep}{name}={}", u32_at(b, i * 4) as i32);
    }
    if !c.style.verbose {
        c.s(", ...");
    }
    c.s("}");
}

/// RTC_PARAM_SET shows the whole struct rtc_param at entry; RTC_PARAM_GET the parameter
/// asked for at entry and, after ` => `, the value the kernel wrote.
fn param(c: &mut Ctx, get: bool, arg: u64) -> Phase {
    let entering = c.entering();
    if entering {
        c.next();
    } else {
        c.s(" => ");
    }
    let Some(b) = read_struct::<PARAM_SIZE>(c, arg, !entering) else {
        return Phase::Done;
    };
    let (which, value, index, pad) = (u64_at(&b, 0), u64_at(&b, 8), u32_at(&b, 16), u32_at(&b, 20));
    c.s("{");
    if entering {
        c.s("param=");
        c.xval(which, &PARAMS);
    }
    if entering != get {
        if entering {
            c.s(", ");
        }
        match which {
            0 => {
                c.s("uvalue=");
                c.flags(value, &FEATURES);
            }
            1 => {
                let _ = write!(c.out, "svalue={}", value as i64);
            }
            2 => {
                c.s("uvalue=");
                c.xval(value, &BACKUP_SWITCH_MODES);
            }
            _ => {
                c.s("uvalue=");
                c.hex(value);
            }
        }
    }
    if entering {
        let _ = write!(c.out, ", index={index}");
    }
    if pad != 0 {
        c.s(", __pad=");
        c.hex(u64::from(pad));
    }
    c.s("}");
    if entering && get {
        Phase::Later
    } else {
        Phase::Done
    }
}
