//! GPIO character device requests (type 0xB4, linux/gpio.h) as strace's gpio_ioctl.c prints
//! them: the v1 line handle/event requests and the v2 line requests, what the caller passes
//! at entry and, after ` => `, what the kernel filled in.

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::{local_array, read_struct, u32_at, u64_at};
use super::{Phase, char_array, ior, iowr, rw_prefix};
use crate::xlat;

const CHIPINFO: u32 = ior(0xb4, 0x01, 68);
const LINEINFO: u32 = iowr(0xb4, 0x02, LINEINFO_SIZE as u32);
const LINEHANDLE: u32 = iowr(0xb4, 0x03, HANDLE_REQUEST_SIZE as u32);
const LINEEVENT: u32 = iowr(0xb4, 0x04, EVENT_REQUEST_SIZE as u32);
const V2_LINEINFO: u32 = iowr(0xb4, 0x05, V2_LINE_INFO_SIZE as u32);
const V2_LINEINFO_WATCH: u32 = iowr(0xb4, 0x06, V2_LINE_INFO_SIZE as u32);
const V2_GET_LINE: u32 = iowr(0xb4, 0x07, V2_LINE_REQUEST_SIZE as u32);
const HANDLE_GET_VALUES: u32 = iowr(0xb4, 0x08, 64);
const HANDLE_SET_VALUES: u32 = iowr(0xb4, 0x09, 64);
const HANDLE_SET_CONFIG: u32 = iowr(0xb4, 0x0a, HANDLE_CONFIG_SIZE as u32);
const LINEINFO_WATCH: u32 = iowr(0xb4, 0x0b, LINEINFO_SIZE as u32);
const LINEINFO_UNWATCH: u32 = iowr(0xb4, 0x0c, 4);
const V2_SET_CONFIG: u32 = iowr(0xb4, 0x0d, V2_LINE_CONFIG_SIZE as u32);
const V2_GET_VALUES: u32 = iowr(0xb4, 0x0e, 16);
const V2_SET_VALUES: u32 = iowr(0xb4, 0x0f, 16);

/// struct gpioline_info: line_offset, flags, name[32], consumer[32].
const LINEINFO_SIZE: usize = 72;
/// struct gpiohandle_request: lineoffsets[64], flags, default_values[64], consumer_label[32],
/// lines, fd.
const HANDLE_REQUEST_SIZE: usize = 364;
/// struct gpioevent_request: lineoffset, handleflags, eventflags, consumer_label[32], fd.
const EVENT_REQUEST_SIZE: usize = 48;
/// struct gpiohandle_config: flags, default_values[64], padding[4].
const HANDLE_CONFIG_SIZE: usize = 84;
/// struct gpio_v2_line_config: flags, num_attrs, padding[5], attrs[10] of 24 bytes.
const V2_LINE_CONFIG_SIZE: usize = 272;
/// struct gpio_v2_line_request: offsets[64], consumer[32], config, num_lines,
/// event_buffer_size, padding[5], fd.
const V2_LINE_REQUEST_SIZE: usize = 592;
/// struct gpio_v2_line_info: name[32], consumer[32], offset, num_attrs, flags, attrs[10] of
/// 16 bytes, padding[4].
const V2_LINE_INFO_SIZE: usize = 256;
const V2_NUM_ATTRS_MAX: usize = 10;

pub(super) static NAMES: &[(u32, &str)] = &[
    (CHIPINFO, "GPIO_GET_CHIPINFO_IOCTL"),
    (LINEINFO, "GPIO_GET_LINEINFO_IOCTL"),
    (LINEHANDLE, "GPIO_GET_LINEHANDLE_IOCTL"),
    (LINEEVENT, "GPIO_GET_LINEEVENT_IOCTL"),
    (V2_LINEINFO, "GPIO_V2_GET_LINEINFO_IOCTL"),
    (V2_LINEINFO_WATCH, "GPIO_V2_GET_LINEINFO_WATCH_IOCTL"),
    (V2_GET_LINE, "GPIO_V2_GET_LINE_IOCTL"),
    (HANDLE_GET_VALUES, "GPIOHANDLE_GET_LINE_VALUES_IOCTL"),
    (HANDLE_SET_VALUES, "GPIOHANDLE_SET_LINE_VALUES_IOCTL"),
    (HANDLE_SET_CONFIG, "GPIOHANDLE_SET_CONFIG_IOCTL"),
    (LINEINFO_WATCH, "GPIO_GET_LINEINFO_WATCH_IOCTL"),
    (LINEINFO_UNWATCH, "GPIO_GET_LINEINFO_UNWATCH_IOCTL"),
    (V2_SET_CONFIG, "GPIO_V2_LINE_SET_CONFIG_IOCTL"),
    (V2_GET_VALUES, "GPIO_V2_LINE_GET_VALUES_IOCTL"),
    (V2_SET_VALUES, "GPIO_V2_LINE_SET_VALUES_IOCTL"),
];

xlat::xlat!(LINE_FLAGS, "GPIOLINE_FLAG_???", [
    1 << 0 => "GPIOLINE_FLAG_KERNEL", 1 << 1 => "GPIOLINE_FLAG_IS_OUT",
    1 << 2 => "GPIOLINE_FLAG_ACTIVE_LOW", 1 << 3 => "GPIOLINE_FLAG_OPEN_DRAIN",
    1 << 4 => "GPIOLINE_FLAG_OPEN_SOURCE", 1 << 5 => "GPIOLINE_FLAG_BIAS_PULL_UP",
    1 << 6 => "GPIOLINE_FLAG_BIAS_PULL_DOWN", 1 << 7 => "GPIOLINE_FLAG_BIAS_DISABLE",
]);

xlat::xlat!(HANDLE_FLAGS, "GPIOHANDLE_REQUEST_???", [
    1 << 0 => "GPIOHANDLE_REQUEST_INPUT", 1 << 1 => "GPIOHANDLE_REQUEST_OUTPUT",
    1 << 2 => "GPIOHANDLE_REQUEST_ACTIVE_LOW", 1 << 3 => "GPIOHANDLE_REQUEST_OPEN_DRAIN",
    1 << 4 => "GPIOHANDLE_REQUEST_OPEN_SOURCE", 1 << 5 => "GPIOHANDLE_REQUEST_BIAS_PULL_UP",
    1 << 6 => "GPIOHANDLE_REQUEST_BIAS_PULL_DOWN", 1 << 7 => "GPIOHANDLE_REQUEST_BIAS_DISABLE",
]);

xlat::xlat!(EVENT_FLAGS, "GPIOEVENT_REQUEST_???", [
    3 => "GPIOEVENT_REQUEST_BOTH_EDGES", 1 => "GPIOEVENT_REQUEST_RISING_EDGE",
    2 => "GPIOEVENT_REQUEST_FALLING_EDGE",
]);

xlat::xlat!(V2_LINE_FLAGS, "GPIO_V2_LINE_FLAG_???", [
    1 << 0 => "GPIO_V2_LINE_FLAG_USED", 1 << 1 => "GPIO_V2_LINE_FLAG_ACTIVE_LOW",
    1 << 2 => "GPIO_V2_LINE_FLAG_INPUT", 1 << 3 => "GPIO_V2_LINE_FLAG_OUTPUT",
    1 << 4 => "GPIO_V2_LINE_FLAG_EDGE_RISING", 1 << 5 => "GPIO_V2_LINE_FLAG_EDGE_FALLING",
    1 << 6 => "GPIO_V2_LINE_FLAG_OPEN_DRAIN", 1 << 7 => "GPIO_V2_LINE_FLAG_OPEN_SOURCE",
    1 << 8 => "GPIO_V2_LINE_FLAG_BIAS_PULL_UP", 1 << 9 => "GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN",
    1 << 10 => "GPIO_V2_LINE_FLAG_BIAS_DISABLED",
    1 << 11 => "GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME",
    1 << 12 => "GPIO_V2_LINE_FLAG_EVENT_CLOCK_HTE",
]);

/// strace's gpio_ioctl.
pub(super) fn gpio(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        CHIPINFO => chip_info(c, arg),
        LINEINFO_UNWATCH => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, false) {
                let _ = write!(c.out, "{{offset={}}}", u32_at(&b, 0));
            }
            Phase::Done
        }
        LINEINFO | LINEINFO_WATCH => in_out::<LINEINFO_SIZE>(c, arg, |c, b| {
            if c.entering() {
                let _ = write!(c.out, "{{line_offset={}}}", u32_at(b, 0));
            } else {
                c.s("{flags=");
                c.flags(u64::from(u32_at(b, 4)), &LINE_FLAGS);
                c.s(", name=");
                char_array(c, &b[8..40]);
                c.s(", consumer=");
                char_array(c, &b[40..72]);
                c.s("}");
            }
        }),
        LINEHANDLE => in_out::<HANDLE_REQUEST_SIZE>(c, arg, |c, b| {
            if !c.entering() {
                return returned_fd(c, b, 360);
            }
            let lines = u32_at(b, 356);
            let _ = write!(c.out, "{{lines={lines}, lineoffsets=");
            u32_array(c, &b[..256], lines);
            c.s(", flags=");
            c.flags(u64::from(u32_at(b, 256)), &HANDLE_FLAGS);
            c.s(", default_values=");
            u8_array(c, &b[260..324], lines);
            c.s(", consumer_label=");
            char_array(c, &b[324..356]);
            c.s("}");
        }),
        LINEEVENT => in_out::<EVENT_REQUEST_SIZE>(c, arg, |c, b| {
            if !c.entering() {
                return returned_fd(c, b, 44);
            }
            let _ = write!(c.out, "{{lineoffset={}, handleflags=", u32_at(b, 0));
            c.flags(u64::from(u32_at(b, 4)), &HANDLE_FLAGS);
            c.s(", eventflags=");
            c.flags(u64::from(u32_at(b, 8)), &EVENT_FLAGS);
            c.s(", consumer_label=");
            char_array(c, &b[12..44]);
            c.s("}");
        }),
        HANDLE_GET_VALUES if c.entering() => Phase::Later,
        HANDLE_GET_VALUES | HANDLE_SET_VALUES => {
            c.next();
            if let Some(b) = read_struct::<64>(c, arg, !c.entering()) {
                c.s("{values=");
                u8_array(c, &b, 64);
                c.s("}");
            }
            Phase::Done
        }
        HANDLE_SET_CONFIG => {
            c.next();
            if let Some(b) = read_struct::<HANDLE_CONFIG_SIZE>(c, arg, false) {
                c.s("{flags=");
                c.flags(u64::from(u32_at(&b, 0)), &HANDLE_FLAGS);
                c.s(", default_values=");
                u8_array(c, &b[4..68], 64);
                c.s("}");
            }
            Phase::Done
        }
        V2_LINEINFO | V2_LINEINFO_WATCH => in_out::<V2_LINE_INFO_SIZE>(c, arg, |c, b| {
            if c.entering() {
                let _ = write!(c.out, "{{offset={}}}", u32_at(b, 64));
            } else {
                v2_line_info(c, b);
            }
        }),
        V2_GET_LINE => in_out::<V2_LINE_REQUEST_SIZE>(c, arg, |c, b| {
            if c.entering() {
                v2_line_request(c, b);
            } else {
                returned_fd(c, b, 588);
            }
        }),
        V2_SET_CONFIG => {
            c.next();
            if let Some(b) = read_struct::<V2_LINE_CONFIG_SIZE>(c, arg, false) {
                v2_line_config(c, &b);
            }
            Phase::Done
        }
        V2_GET_VALUES => in_out::<16>(c, arg, |c, b| {
            if c.entering() {
                c.s("{mask=");
                c.hex(u64_at(b, 8));
            } else {
                c.s("{bits=");
                c.hex(u64_at(b, 0));
            }
            c.s("}");
        }),
        V2_SET_VALUES => {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, false) {
                c.s("{bits=");
                c.hex(u64_at(&b, 0));
                c.s(", mask=");
                c.hex(u64_at(&b, 8));
                c.s("}");
            }
            Phase::Done
        }
        _ => Phase::Generic,
    }
}

fn chip_info(c: &mut Ctx, arg: u64) -> Phase {
    if c.entering() {
        return Phase::Later;
    }
    c.next();
    if let Some(b) = read_struct::<68>(c, arg, true) {
        c.s("{name=");
        char_array(c, &b[..32]);
        c.s(", label=");
        char_array(c, &b[32..64]);
        let _ = write!(c.out, ", lines={}}}", u32_at(&b, 64));
    }
    Phase::Done
}

/// A structure the caller fills and the kernel updates: `print` shows the caller's part at
/// entry and, after ` => `, the kernel's at exit (nothing more when the call failed).
fn in_out<const N: usize>(c: &mut Ctx, arg: u64, print: impl FnOnce(&mut Ctx, &[u8])) -> Phase {
    if !rw_prefix(c) {
        return Phase::Done;
    }
    let Some(b) = read_struct::<N>(c, arg, false) else {
        return Phase::Done;
    };
    print(c, &b);
    if c.entering() {
        Phase::Later
    } else {
        Phase::Done
    }
}

fn returned_fd(c: &mut Ctx, b: &[u8], at: usize) {
    c.s("{fd=");
    c.fd(u64::from(u32_at(b, at)));
    c.s("}");
}

fn u32_array(c: &mut Ctx, b: &[u8], upto: u32) {
    local_array(c, b.len() / 4, upto, |c, i| {
        c.udec(u64::from(u32_at(b, i * 4)))
    });
}

fn u8_array(c: &mut Ctx, b: &[u8], upto: u32) {
    local_array(c, b.len(), upto, |c, i| c.udec(u64::from(b[i])));
}

fn hex_u32s(c: &mut Ctx, b: &[u8]) {
    local_array(c, b.len() / 4, u32::MAX, |c, i| {
        c.hex(u64::from(u32_at(b, i * 4)))
    });
}

fn v2_line_info(c: &mut Ctx, b: &[u8]) {
    c.s("{name=");
    char_array(c, &b[..32]);
    c.s(", consumer=");
    char_array(c, &b[32..64]);
    c.s(", flags=");
    c.flags(u64_at(b, 72), &V2_LINE_FLAGS);
    let num_attrs = u32_at(b, 68);
    let _ = write!(c.out, ", num_attrs={num_attrs}");
    if num_attrs != 0 {
        c.s(", attrs=");
        local_array(c, V2_NUM_ATTRS_MAX, num_attrs, |c, i| {
            c.s("{");
            line_attribute(c, &b[80 + i * 16..96 + i * 16], false);
            c.s("}");
        });
    }
    let padding = &b[240..256];
    if padding.iter().any(|&x| x != 0) {
        c.s(", padding=");
        hex_u32s(c, padding);
    }
    c.s("}");
}

fn v2_line_request(c: &mut Ctx, b: &[u8]) {
    let num_lines = u32_at(b, 560);
    let _ = write!(c.out, "{{num_lines={num_lines}, offsets=");
    u32_array(c, &b[..256], num_lines);
    c.s(", consumer=");
    char_array(c, &b[256..288]);
    c.s(", config=");
    v2_line_config(c, &b[288..560]);
    let event_buffer_size = u32_at(b, 564);
    if event_buffer_size != 0 {
        let _ = write!(c.out, ", event_buffer_size={event_buffer_size}");
    }
    let padding = &b[568..588];
    if padding.iter().any(|&x| x != 0) {
        c.s(", padding=");
        hex_u32s(c, padding);
    }
    c.s("}");
}

fn v2_line_config(c: &mut Ctx, b: &[u8]) {
    c.s("{flags=");
    c.flags(u64_at(b, 0), &V2_LINE_FLAGS);
    let num_attrs = u32_at(b, 8);
    let _ = write!(c.out, ", num_attrs={num_attrs}");
    let padding = &b[12..32];
    if padding.iter().any(|&x| x != 0) {
        c.s(", padding=");
        hex_u32s(c, padding);
    }
    if num_attrs != 0 {
        c.s(", attrs=");
        local_array(c, V2_NUM_ATTRS_MAX, num_attrs, |c, i| {
            let attr = &b[32 + i * 24..56 + i * 24];
            c.s("{");
            line_attribute(c, &attr[..16], true);
            c.s(", mask=");
            c.hex(u64_at(attr, 16));
            c.s("}");
        });
    }
    c.s("}");
}

/// struct gpio_v2_line_attribute: the union member its id selects, or id and raw data when
/// the id is unknown or the padding used (`attr={...}` inside a config attribute).
fn line_attribute(c: &mut Ctx, b: &[u8], as_field: bool) {
    let (id, padding, data) = (u32_at(b, 0), u32_at(b, 4), u64_at(b, 8));
    match (id, padding) {
        (1, 0) => {
            c.s("flags=");
            c.flags(data, &V2_LINE_FLAGS);
        }
        (2, 0) => {
            c.s("values=");
            c.hex(data);
        }
        (3, 0) => {
            let _ = write!(c.out, "debounce_period_us={}", data as u32);
        }
        _ => {
            if as_field {
                c.s("attr={");
            }
            let _ = write!(c.out, "id={id}");
            if padding != 0 {
                c.s(", padding=");
                c.hex(u64::from(padding));
            }
            c.s(", data=");
            c.hex(data);
            if as_field {
                c.s("}");
            }
        }
    }
}
