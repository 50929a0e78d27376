//! Infrared remote control requests (`'i'`, linux/lirc.h) as strace's lirc_ioctl.c prints
//! them: every argument is a `__u32` behind a pointer.

use super::super::Ctx;
use super::super::structs::{read_struct, u32_at};
use super::{Phase, ior, iow};
use crate::xlat;

const GET_FEATURES: u32 = ior(b'i', 0x00, 4);
const GET_SEND_MODE: u32 = ior(b'i', 0x01, 4);
const GET_REC_MODE: u32 = ior(b'i', 0x02, 4);
const GET_REC_RESOLUTION: u32 = ior(b'i', 0x07, 4);
const GET_MIN_TIMEOUT: u32 = ior(b'i', 0x08, 4);
const GET_MAX_TIMEOUT: u32 = ior(b'i', 0x09, 4);
const GET_LENGTH: u32 = ior(b'i', 0x0f, 4);
const SET_SEND_MODE: u32 = iow(b'i', 0x11, 4);
const SET_REC_MODE: u32 = iow(b'i', 0x12, 4);
const SET_SEND_CARRIER: u32 = iow(b'i', 0x13, 4);
const SET_REC_CARRIER: u32 = iow(b'i', 0x14, 4);
const SET_SEND_DUTY_CYCLE: u32 = iow(b'i', 0x15, 4);
const SET_TRANSMITTER_MASK: u32 = iow(b'i', 0x17, 4);
const SET_REC_TIMEOUT: u32 = iow(b'i', 0x18, 4);
const SET_REC_TIMEOUT_REPORTS: u32 = iow(b'i', 0x19, 4);
const SET_MEASURE_CARRIER_MODE: u32 = iow(b'i', 0x1d, 4);
const SET_REC_CARRIER_RANGE: u32 = iow(b'i', 0x1f, 4);
const SET_WIDEBAND_RECEIVER: u32 = iow(b'i', 0x23, 4);
const GET_REC_TIMEOUT: u32 = ior(b'i', 0x24, 4);

pub(super) static NAMES: &[(u32, &str)] = &[
    (GET_FEATURES, "LIRC_GET_FEATURES"),
    (GET_SEND_MODE, "LIRC_GET_SEND_MODE"),
    (GET_REC_MODE, "LIRC_GET_REC_MODE"),
    (GET_REC_RESOLUTION, "LIRC_GET_REC_RESOLUTION"),
    (GET_MIN_TIMEOUT, "LIRC_GET_MIN_TIMEOUT"),
    (GET_MAX_TIMEOUT, "LIRC_GET_MAX_TIMEOUT"),
    (GET_LENGTH, "LIRC_GET_LENGTH"),
    (SET_SEND_MODE, "LIRC_SET_SEND_MODE"),
    (SET_REC_MODE, "LIRC_SET_REC_MODE"),
    (SET_SEND_CARRIER, "LIRC_SET_SEND_CARRIER"),
    (SET_REC_CARRIER, "LIRC_SET_REC_CARRIER"),
    (SET_SEND_DUTY_CYCLE, "LIRC_SET_SEND_DUTY_CYCLE"),
    (SET_TRANSMITTER_MASK, "LIRC_SET_TRANSMITTER_MASK"),
    (SET_REC_TIMEOUT, "LIRC_SET_REC_TIMEOUT"),
    (SET_REC_TIMEOUT_REPORTS, "LIRC_SET_REC_TIMEOUT_REPORTS"),
    (SET_MEASURE_CARRIER_MODE, "LIRC_SET_MEASURE_CARRIER_MODE"),
    (SET_REC_CARRIER_RANGE, "LIRC_SET_REC_CARRIER_RANGE"),
    (SET_WIDEBAND_RECEIVER, "LIRC_SET_WIDEBAND_RECEIVER"),
    (GET_REC_TIMEOUT, "LIRC_GET_REC_TIMEOUT"),
    // Other drivers' requests with the same numbers (linux/ipmi.h, linux/i2o-dev.h).
    (iow(b'i', 31, 4), "IPMICTL_SET_MAINTENANCE_MODE_CMD"),
    (ior(b'i', 8, 4), "I2OVALIDATE"),
];

// strace's src/xlat/lirc_features.in (its order).
xlat::xlat!(FEATURES, "LIRC_CAN_???", [
    0x2 => "LIRC_CAN_SEND_PULSE", 0x10 => "LIRC_CAN_SEND_LIRCCODE",
    0x100 => "LIRC_CAN_SET_SEND_CARRIER", 0x200 => "LIRC_CAN_SET_SEND_DUTY_CYCLE",
    0x400 => "LIRC_CAN_SET_TRANSMITTER_MASK", 0x4_0000 => "LIRC_CAN_REC_MODE2",
    0x8_0000 => "LIRC_CAN_REC_SCANCODE", 0x10_0000 => "LIRC_CAN_REC_LIRCCODE",
    0x100_0000 => "LIRC_CAN_SET_REC_CARRIER", 0x200_0000 => "LIRC_CAN_MEASURE_CARRIER",
    0x400_0000 => "LIRC_CAN_USE_WIDEBAND_RECEIVER", 0x1000_0000 => "LIRC_CAN_SET_REC_TIMEOUT",
    0x2000_0000 => "LIRC_CAN_GET_REC_RESOLUTION", 0x8000_0000 => "LIRC_CAN_SET_REC_CARRIER_RANGE",
]);

xlat::xlat!(MODES, "LIRC_MODE_???", [
    0x1 => "LIRC_MODE_RAW", 0x2 => "LIRC_MODE_PULSE", 0x4 => "LIRC_MODE_MODE2",
    0x8 => "LIRC_MODE_SCANCODE", 0x10 => "LIRC_MODE_LIRCCODE",
]);

/// strace's lirc_ioctl: set requests print the value at entry, get requests at exit.
pub(super) fn lirc(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let is_lirc = |&(known, name): &(u32, &str)| known == code && name.starts_with("LIRC_");
    if !NAMES.iter().any(is_lirc) {
        return Phase::Generic;
    }
    let read = code >> 30 == 2;
    if c.entering() {
        c.next();
        if read {
            return Phase::Later;
        }
    }
    let Some(b) = read_struct::<4>(c, arg, read) else {
        return Phase::Done;
    };
    let value = u64::from(u32_at(&b, 0));
    c.s("[");
    match code {
        GET_FEATURES => c.flags(value, &FEATURES),
        GET_SEND_MODE | GET_REC_MODE | SET_SEND_MODE | SET_REC_MODE => c.xval(value, &MODES),
        SET_TRANSMITTER_MASK => c.hex(value),
        _ => c.udec(value),
    }
    c.s("]");
    Phase::Done
}
