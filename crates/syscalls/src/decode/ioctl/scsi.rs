//! SCSI generic requests (type 0x22, scsi/sg.h) as strace 6.1's scsi.c prints them; SG_IO's
//! structures are [`super::sg_io`]'s.

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::{read_struct, u16_at, u32_at, u64_at};
use super::{Phase, sg_io};
use crate::xlat;

const SG_SET_TIMEOUT: u32 = 0x2201;
const SG_GET_TIMEOUT: u32 = 0x2202;
const SG_EMULATED_HOST: u32 = 0x2203;
const SG_SET_TRANSFORM: u32 = 0x2204;
const SG_GET_TRANSFORM: u32 = 0x2205;
const SG_GET_COMMAND_Q: u32 = 0x2270;
const SG_SET_COMMAND_Q: u32 = 0x2271;
const SG_GET_RESERVED_SIZE: u32 = 0x2272;
const SG_SET_RESERVED_SIZE: u32 = 0x2275;
const SG_GET_SCSI_ID: u32 = 0x2276;
const SG_SET_FORCE_LOW_DMA: u32 = 0x2279;
const SG_GET_LOW_DMA: u32 = 0x227a;
const SG_SET_FORCE_PACK_ID: u32 = 0x227b;
const SG_GET_PACK_ID: u32 = 0x227c;
const SG_GET_NUM_WAITING: u32 = 0x227d;
const SG_SET_DEBUG: u32 = 0x227e;
const SG_GET_SG_TABLESIZE: u32 = 0x227f;
const SG_GET_VERSION_NUM: u32 = 0x2282;
const SG_NEXT_CMD_LEN: u32 = 0x2283;
const SG_SCSI_RESET: u32 = 0x2284;
const SG_IO: u32 = 0x2285;
const SG_GET_REQUEST_TABLE: u32 = 0x2286;
const SG_SET_KEEP_ORPHAN: u32 = 0x2287;
const SG_GET_KEEP_ORPHAN: u32 = 0x2288;
const SG_GET_ACCESS_COUNT: u32 = 0x2289;

pub(super) static NAMES: &[(u32, &str)] = &[
    (SG_SET_TIMEOUT, "SG_SET_TIMEOUT"),
    (SG_GET_TIMEOUT, "SG_GET_TIMEOUT"),
    (SG_EMULATED_HOST, "SG_EMULATED_HOST"),
    (SG_SET_TRANSFORM, "SG_SET_TRANSFORM"),
    (SG_GET_TRANSFORM, "SG_GET_TRANSFORM"),
    (SG_GET_COMMAND_Q, "SG_GET_COMMAND_Q"),
    (SG_SET_COMMAND_Q, "SG_SET_COMMAND_Q"),
    (SG_GET_RESERVED_SIZE, "SG_GET_RESERVED_SIZE"),
    (SG_SET_RESERVED_SIZE, "SG_SET_RESERVED_SIZE"),
    (SG_GET_SCSI_ID, "SG_GET_SCSI_ID"),
    (SG_SET_FORCE_LOW_DMA, "SG_SET_FORCE_LOW_DMA"),
    (SG_GET_LOW_DMA, "SG_GET_LOW_DMA"),
    (SG_SET_FORCE_PACK_ID, "SG_SET_FORCE_PACK_ID"),
    (SG_GET_PACK_ID, "SG_GET_PACK_ID"),
    (SG_GET_NUM_WAITING, "SG_GET_NUM_WAITING"),
    (SG_SET_DEBUG, "SG_SET_DEBUG"),
    (SG_GET_SG_TABLESIZE, "SG_GET_SG_TABLESIZE"),
    (SG_GET_VERSION_NUM, "SG_GET_VERSION_NUM"),
    (SG_NEXT_CMD_LEN, "SG_NEXT_CMD_LEN"),
    (SG_SCSI_RESET, "SG_SCSI_RESET"),
    (SG_IO, "SG_IO"),
    (SG_GET_REQUEST_TABLE, "SG_GET_REQUEST_TABLE"),
    (SG_SET_KEEP_ORPHAN, "SG_SET_KEEP_ORPHAN"),
    (SG_GET_KEEP_ORPHAN, "SG_GET_KEEP_ORPHAN"),
    (SG_GET_ACCESS_COUNT, "SG_GET_ACCESS_COUNT"),
];

xlat::xlat!(RESETS, "SG_SCSI_RESET_???", [
    0 => "SG_SCSI_RESET_NOTHING", 1 => "SG_SCSI_RESET_DEVICE", 2 => "SG_SCSI_RESET_BUS",
    3 => "SG_SCSI_RESET_HOST", 4 => "SG_SCSI_RESET_TARGET", 0x100 => "SG_SCSI_RESET_NO_ESCALATE",
]);

/// strace's scsi_ioctl.
pub(super) fn scsi(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    let entering = c.entering();
    match code {
        SG_IO if entering => return sg_io::request(c, arg),
        SG_IO => return sg_io::response(c, arg),
        SG_GET_SCSI_ID | SG_GET_REQUEST_TABLE if entering => return Phase::Later,
        SG_GET_SCSI_ID => {
            c.next();
            if let Some(b) = read_struct::<32>(c, arg, true) {
                let d = |at: usize| u32_at(&b, at) as i32;
                let _ = write!(c.out, "{{host_no={}, channel={}, scsi_id=", d(0), d(4));
                c.hex(u64::from(u32_at(&b, 8)));
                let _ = write!(c.out, ", lun={}, scsi_type=", d(12));
                c.hex(u64::from(u32_at(&b, 16)));
                let _ = write!(
                    c.out,
                    ", h_cmd_per_lun={}, d_queue_depth={}}}",
                    u16_at(&b, 20) as i16,
                    u16_at(&b, 22) as i16
                );
            }
        }
        SG_GET_REQUEST_TABLE => {
            c.next();
            if let Some(b) = read_struct::<24>(c, arg, true) {
                let _ = write!(
                    c.out,
                    "{{req_state={}, orphan={}, sg_io_owned={}, problem={}, pack_id={}, usr_ptr=",
                    b[0] as i8,
                    b[1] as i8,
                    b[2] as i8,
                    b[3] as i8,
                    u32_at(&b, 4) as i32
                );
                c.ptr(u64_at(&b, 8));
                let _ = write!(c.out, ", duration={}}}", u32_at(&b, 16));
            }
        }
        SG_SCSI_RESET => {
            c.next();
            if let Some(b) = read_struct::<4>(c, arg, false) {
                let v = u64::from(u32_at(&b, 0));
                c.s("[");
                if v & 0x100 != 0 {
                    c.xval(0x100, &RESETS);
                    c.s("|");
                }
                c.xval(v & !0x100, &RESETS);
                c.s("]");
            }
        }
        SG_NEXT_CMD_LEN | SG_SET_COMMAND_Q | SG_SET_DEBUG | SG_SET_FORCE_LOW_DMA
        | SG_SET_FORCE_PACK_ID | SG_SET_KEEP_ORPHAN | SG_SET_RESERVED_SIZE | SG_SET_TIMEOUT => {
            int_ptr(c, arg)
        }
        SG_EMULATED_HOST | SG_GET_ACCESS_COUNT | SG_GET_COMMAND_Q | SG_GET_KEEP_ORPHAN
        | SG_GET_LOW_DMA | SG_GET_NUM_WAITING | SG_GET_PACK_ID | SG_GET_RESERVED_SIZE
        | SG_GET_SG_TABLESIZE | SG_GET_TRANSFORM | SG_GET_VERSION_NUM => {
            if entering {
                return Phase::Later;
            }
            int_ptr(c, arg);
        }
        SG_SET_TRANSFORM => {
            c.next();
            c.hex(arg & 0xffff_ffff);
        }
        SG_GET_TIMEOUT => {}
        _ => return Phase::Generic,
    }
    Phase::Done
}

/// `[42]`: strace's printnum_int with `%d`.
fn int_ptr(c: &mut Ctx, arg: u64) {
    c.next();
    if let Some(b) = read_struct::<4>(c, arg, !c.entering()) {
        let _ = write!(c.out, "[{}]", u32_at(&b, 0) as i32);
    }
}
