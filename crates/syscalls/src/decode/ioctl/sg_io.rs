//! SG_IO's two request structures as strace 6.1's sg_io_v3.c and sg_io_v4.c print them:
//! scsi/sg.h's struct sg_io_hdr (interface id `'S'`) and linux/bsg.h's struct sg_io_v4
//! (guard `'Q'`). What goes in shows at entry; what the device returned at exit, whether or
//! not the call failed (as strace does).

use std::fmt::Write;

use super::super::Ctx;
use super::super::print::CHex;
use super::super::structs::{iovec_array, u16_at, u32_at, u64_at};
use super::Phase;
use crate::xlat;

/// struct sg_io_hdr on a 64-bit tracee.
const V3_SIZE: usize = 88;
/// struct sg_io_v4.
const V4_SIZE: usize = 160;

const DXFER_TO_DEV: u32 = -2i32 as u32;
const DXFER_FROM_DEV: u32 = -3i32 as u32;
const DXFER_TO_FROM_DEV: u32 = -4i32 as u32;

/// SG_IO at entry: the structure named by its first int (`[42]` for another one).
pub(super) fn request(c: &mut Ctx, arg: u64) -> Phase {
    c.next();
    let Some(id) = c.read_u32(arg) else {
        c.ptr(arg);
        return Phase::Done;
    };
    match id {
        0x53 => v3_request(c, arg),
        0x51 => v4_request(c, arg),
        _ => {
            let _ = write!(c.out, "[{id}]");
            Phase::Done
        }
    }
}

/// SG_IO at exit (only after a request decoded at entry).
pub(super) fn response(c: &mut Ctx, arg: u64) -> Phase {
    match c.saved_list.first() {
        Some(0x53) => v3_response(c, arg),
        Some(0x51) => v4_response(c, arg),
        _ => {}
    }
    c.s("}");
    Phase::Done
}

/// The structure past its first int, or its address (and the closing brace).
fn read_rest<const N: usize>(c: &mut Ctx, arg: u64, b: &mut [u8; N]) -> bool {
    if c.read_exact(arg.wrapping_add(4), &mut b[4..]) {
        return true;
    }
    c.ptr(arg.wrapping_add(4));
    c.s("}");
    false
}

/// A data buffer: the iovec array when `iovecs` says there is one, else its bytes in hex.
fn buffer(c: &mut Ctx, addr: u64, len: u32, iovecs: u32) {
    if iovecs != 0 {
        iovec_array(c, addr, u64::from(iovecs), Some(u64::from(len)));
    } else {
        c.buf_hex(addr, u64::from(len));
    }
}

fn v3_request(c: &mut Ctx, arg: u64) -> Phase {
    c.s("{interface_id='S', ");
    let mut b = [0u8; V3_SIZE];
    if !read_rest(c, arg, &mut b) {
        return Phase::Done;
    }
    let direction = u32_at(&b, 4);
    let (cmd_len, iovecs, len) = (b[8], u32::from(u16_at(&b, 10)), u32_at(&b, 12));
    c.s("dxfer_direction=");
    c.xval(u64::from(direction), &DXFER_DIRECTIONS);
    let _ = write!(c.out, ", cmd_len={cmd_len}, cmdp=");
    buffer(c, u64_at(&b, 24), u32::from(cmd_len), 0);
    let _ = write!(
        c.out,
        ", mx_sb_len={}, iovec_count={iovecs}, dxfer_len={len}, timeout={}, flags=",
        b[9],
        u32_at(&b, 40)
    );
    c.flags(u64::from(u32_at(&b, 44)), &SG_FLAGS);
    if matches!(direction, DXFER_TO_DEV | DXFER_TO_FROM_DEV) {
        c.s(", dxferp=");
        buffer(c, u64_at(&b, 16), len, iovecs);
    }
    // What the exit needs if the structure cannot be read again.
    c.saved_list = vec![0x53, direction];
    c.saved[1] = u64_at(&b, 16);
    c.saved[2] = u64_at(&b, 32);
    Phase::Later
}

fn v3_response(c: &mut Ctx, arg: u64) {
    let mut b = [0u8; V3_SIZE];
    if !c.read_exact(arg, &mut b) {
        if c.saved_list.get(1) == Some(&DXFER_FROM_DEV) {
            c.s(", dxferp=");
            c.ptr(c.saved[1]);
        }
        c.s(", sbp=");
        c.ptr(c.saved[2]);
        return;
    }
    let id = u32_at(&b, 0);
    if id != 0x53 {
        let _ = write!(c.out, " => interface_id={}", id as i32);
        return;
    }
    let direction = u32_at(&b, 4);
    let resid = u32_at(&b, 72) as i32;
    if matches!(direction, DXFER_FROM_DEV | DXFER_TO_FROM_DEV) {
        let mut len = u32_at(&b, 12);
        if resid > 0 && resid as u32 <= len {
            len -= resid as u32;
        }
        let shown = if direction == DXFER_FROM_DEV {
            c.s(", ");
            true
        } else if len != 0 {
            c.s(" => ");
            true
        } else {
            false
        };
        if shown {
            c.s("dxferp=");
            buffer(c, u64_at(&b, 16), len, u32::from(u16_at(&b, 10)));
        }
    }
    let sb_len = b[67];
    let _ = write!(
        c.out,
        ", status={}, masked_status={}, msg_status={}, sb_len_wr={sb_len}, sbp=",
        CHex(b[64].into()),
        CHex(b[65].into()),
        CHex(b[66].into())
    );
    buffer(c, u64_at(&b, 32), u32::from(sb_len), 0);
    c.s(", host_status=");
    c.hex(u64::from(u16_at(&b, 68)));
    c.s(", driver_status=");
    c.hex(u64::from(u16_at(&b, 70)));
    let _ = write!(c.out, ", resid={resid}, duration={}, info=", u32_at(&b, 76));
    c.flags(u64::from(u32_at(&b, 80)), &SG_INFO);
}

fn v4_request(c: &mut Ctx, arg: u64) -> Phase {
    c.s("{guard='Q', ");
    let mut b = [0u8; V4_SIZE];
    if !read_rest(c, arg, &mut b) {
        return Phase::Done;
    }
    let u = |o: usize| u32_at(&b, o);
    c.s("protocol=");
    c.xval(u64::from(u(4)), &BSG_PROTOCOLS);
    c.s(", subprotocol=");
    c.xval(u64::from(u(8)), &BSG_SUBPROTOCOLS);
    let _ = write!(c.out, ", request_len={}, request=", u(12));
    buffer(c, u64_at(&b, 16), u(12), 0);
    c.s(", request_tag=");
    c.hex(u64_at(&b, 24));
    let _ = write!(
        c.out,
        ", request_attr={}, request_priority={}, request_extra={}, max_response_len={}, \
         dout_iovec_count={}, dout_xfer_len={}, din_iovec_count={}, din_xfer_len={}, \
         dout_xferp=",
        u(32),
        u(36),
        u(40),
        u(44),
        u(56),
        u(60),
        u(64),
        u(68)
    );
    buffer(c, u64_at(&b, 72), u(60), u(56));
    let _ = write!(c.out, ", timeout={}, flags=", u(88));
    c.flags(u64::from(u(92)), &BSG_FLAGS);
    c.s(", usr_ptr=");
    c.hex(u64_at(&b, 96));
    c.saved_list = vec![0x51];
    c.saved[1] = u64_at(&b, 48);
    c.saved[2] = u64_at(&b, 80);
    Phase::Later
}

fn v4_response(c: &mut Ctx, arg: u64) {
    let mut b = [0u8; V4_SIZE];
    if !c.read_exact(arg, &mut b) {
        c.s(", response=");
        c.hex(c.saved[1]);
        c.s(", din_xferp=");
        c.hex(c.saved[2]);
        return;
    }
    let u = |o: usize| u32_at(&b, o);
    if u(0) != 0x51 {
        let _ = write!(c.out, " => guard={}", u(0) as i32);
        return;
    }
    let response_len = u(132);
    let _ = write!(c.out, ", response_len={response_len}, response=");
    buffer(c, u64_at(&b, 48), response_len, 0);
    let resid = u(136) as i32;
    let mut len = u(68);
    if resid > 0 && resid as u32 <= len {
        len -= resid as u32;
    }
    c.s(", din_xferp=");
    buffer(c, u64_at(&b, 80), len, u(64));
    for (name, at) in [
        ("driver_status", 108),
        ("transport_status", 112),
        ("device_status", 116),
    ] {
        let _ = write!(c.out, ", {name}=");
        c.hex(u64::from(u(at)));
    }
    let _ = write!(c.out, ", retry_delay={}, info=", u(120));
    c.flags(u64::from(u(124)), &SG_INFO);
    let _ = write!(
        c.out,
        ", duration={}, response_len={response_len}, din_resid={resid}, dout_resid={}, \
         generated_tag=",
        u(128),
        u(140) as i32
    );
    c.hex(u64_at(&b, 144));
}

// strace 6.1's src/xlat/sg_io_dxfer_direction.in (the values as unsigned ints).
xlat::xlat!(DXFER_DIRECTIONS, "SG_DXFER_???", [
    -1i32 as u32 => "SG_DXFER_NONE", DXFER_TO_DEV => "SG_DXFER_TO_DEV",
    DXFER_FROM_DEV => "SG_DXFER_FROM_DEV", DXFER_TO_FROM_DEV => "SG_DXFER_TO_FROM_DEV",
]);
// strace 6.1's src/xlat/sg_io_flags.in.
xlat::xlat!(SG_FLAGS, "SG_FLAG_???", [
    0x1 => "SG_FLAG_DIRECT_IO", 0x2 => "SG_FLAG_UNUSED_LUN_INHIBIT", 0x4 => "SG_FLAG_MMAP_IO",
    0x10000 => "SG_FLAG_NO_DXFER", 0x10 => "SG_FLAG_Q_AT_TAIL", 0x20 => "SG_FLAG_Q_AT_HEAD",
]);

// strace 6.1's src/xlat/sg_io_info.in.
xlat::xlat!(SG_INFO, "SG_INFO_???", [
    0x1 => "SG_INFO_CHECK", 0x2 => "SG_INFO_DIRECT_IO", 0x4 => "SG_INFO_MIXED_IO",
]);

// strace 6.1's src/xlat/bsg_protocol.in.
xlat::xlat!(BSG_PROTOCOLS, "BSG_PROTOCOL_???", [
    0 => "BSG_PROTOCOL_SCSI",
]);

// strace 6.1's src/xlat/bsg_subprotocol.in.
xlat::xlat!(BSG_SUBPROTOCOLS, "BSG_SUB_PROTOCOL_???", [
    0 => "BSG_SUB_PROTOCOL_SCSI_CMD", 0x1 => "BSG_SUB_PROTOCOL_SCSI_TMF",
    0x2 => "BSG_SUB_PROTOCOL_SCSI_TRANSPORT",
]);

// strace 6.1's src/xlat/bsg_flags.in.
xlat::xlat!(BSG_FLAGS, "BSG_FLAG_???", [
    0x10 => "BSG_FLAG_Q_AT_TAIL", 0x20 => "BSG_FLAG_Q_AT_HEAD",
]);
