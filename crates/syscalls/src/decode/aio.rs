//! Linux native AIO (strace's aio.c): io_setup, io_destroy, io_submit's iocbs, io_cancel,
//! io_getevents and io_pgetevents (x86_64 layouts of linux/aio_abi.h).

use std::fmt::Write;

use super::Ctx;
use super::structs::{self as st, read_struct, u16_at, u32_at, u64_at};
use crate::table::nr;
use crate::xlat;

xlat::xlat!(AIO_CMDS, "IOCB_CMD_???", [
    0 => "IOCB_CMD_PREAD", 1 => "IOCB_CMD_PWRITE", 2 => "IOCB_CMD_FSYNC", 3 => "IOCB_CMD_FDSYNC",
    4 => "IOCB_CMD_PREADX", 5 => "IOCB_CMD_POLL", 6 => "IOCB_CMD_NOOP", 7 => "IOCB_CMD_PREADV",
    8 => "IOCB_CMD_PWRITEV",
]);
xlat::xlat!(IOCB_FLAGS, "IOCB_FLAG_???", [1 => "IOCB_FLAG_RESFD", 2 => "IOCB_FLAG_IOPRIO"]);
xlat::xlat!(RWF_FLAGS, "RWF_???", [
    1 => "RWF_HIPRI", 2 => "RWF_DSYNC", 4 => "RWF_SYNC", 8 => "RWF_NOWAIT", 0x10 => "RWF_APPEND",
]);

const IOCB_FLAG_RESFD: u32 = 1;
const IOCB_FLAG_IOPRIO: u32 = 2;
const IOCB_SIZE: usize = 64;

pub(super) fn io_setup(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.uint(a[0]);
        c.stop();
    } else {
        c.next();
        if let Some(b) = read_struct::<8>(c, a[1], true) {
            c.s("[");
            c.ptr(u64_at(&b, 0));
            c.s("]");
        }
    }
}

pub(super) fn io_submit(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    let count = a[1] as i64;
    c.next();
    c.ptr(a[0]);
    c.next();
    c.dec(count);
    c.next();
    if count < 0 {
        c.ptr(a[2]);
        return;
    }
    c.array(a[2], count as u64, 8, |c, p| {
        let addr = u64_at(p, 0);
        if let Some(cb) = read_struct::<IOCB_SIZE>(c, addr, false) {
            iocb(c, &cb);
        }
        true
    });
}

pub(super) fn io_cancel(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.ptr(a[0]);
        c.next();
        if let Some(cb) = read_struct::<IOCB_SIZE>(c, a[1], false) {
            c.s("{");
            iocb_header(c, &cb);
            c.s("}");
        }
        c.stop();
    } else {
        c.next();
        if let Some(e) = read_struct::<32>(c, a[2], true) {
            io_event(c, &e);
        }
    }
}

/// io_getevents(ctx, min_nr, nr, events, timeout) and io_pgetevents(..., sig): the events at
/// exit; the timeout and signal mask, read by the kernel at entry, print either way.
pub(super) fn io_getevents(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        c.next();
        c.ptr(a[0]);
        c.next();
        c.dec(a[1] as i64);
        c.next();
        c.dec(a[2] as i64);
        c.stop();
        return;
    }
    c.next();
    c.array(a[3], c.rval() as u64, 32, |c, e| {
        io_event(c, e);
        true
    });
    c.next();
    let failed = std::mem::replace(&mut c.failed, false);
    st::timespec(c, a[4], false);
    if c.nr == nr::io_pgetevents {
        c.next();
        if let Some(b) = read_struct::<16>(c, a[5], false) {
            let (mask, size) = (u64_at(&b, 0), u64_at(&b, 8));
            c.s("{sigmask=");
            st::sigset(c, mask, size, false);
            let _ = write!(c.out, ", sigsetsize={size}}}");
        }
    }
    c.failed = failed;
}

fn io_event(c: &mut Ctx, e: &[u8]) {
    c.s("{data=");
    c.hex(u64_at(e, 0));
    c.s(", obj=");
    c.hex(u64_at(e, 8));
    let _ = write!(
        c.out,
        ", res={}, res2={}}}",
        u64_at(e, 16) as i64,
        u64_at(e, 24) as i64
    );
}

/// The fields every iocb has; the opcode decides what follows.
fn iocb_header(c: &mut Ctx, cb: &[u8]) -> u64 {
    let (key, rw_flags) = (u32_at(cb, 8), u32_at(cb, 12));
    let opcode = u64::from(u16_at(cb, 16));
    let reqprio = u16_at(cb, 18);
    c.s("aio_data=");
    c.hex(u64_at(cb, 0));
    if key != 0 {
        let _ = write!(c.out, ", aio_key={key}");
    }
    if rw_flags != 0 {
        c.s(", aio_rw_flags=");
        c.flags(u64::from(rw_flags), &RWF_FLAGS);
    }
    c.s(", aio_lio_opcode=");
    let name = AIO_CMDS.entries.iter().find(|e| e.0 == opcode).map(|e| e.1);
    super::print::write_named(c.out, name, &AIO_CMDS, |out| {
        super::print::push_udec(out, opcode)
    });
    if u32_at(cb, 56) & IOCB_FLAG_IOPRIO != 0 {
        c.s(", aio_reqprio=");
        c.s(&super::admin::ioprio_text(u32::from(reqprio)));
    } else if reqprio != 0 {
        let _ = write!(c.out, ", aio_reqprio={}", reqprio as i16);
    }
    c.s(", aio_fildes=");
    c.fd(u64::from(u32_at(cb, 20)));
    opcode
}

/// `{aio_data=..., aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=1, aio_buf="...", ...}`.
fn iocb(c: &mut Ctx, cb: &[u8]) {
    c.s("{");
    let opcode = iocb_header(c, cb);
    let (buf, nbytes, offset) = (u64_at(cb, 24), u64_at(cb, 32), u64_at(cb, 40) as i64);
    // strace's iocb_is_valid: a size the call could be given.
    let valid = (nbytes as i64) >= 0;
    match opcode {
        // IOCB_CMD_PREAD, IOCB_CMD_PWRITE
        0 | 1 => {
            c.s(", aio_buf=");
            if opcode == 1 && valid {
                c.buf(buf, nbytes);
            } else {
                c.hex(buf);
            }
            let _ = write!(c.out, ", aio_nbytes={nbytes}, aio_offset={offset}");
            common_flags(c, cb);
        }
        // IOCB_CMD_PREADV, IOCB_CMD_PWRITEV
        7 | 8 => {
            if valid {
                c.s(", aio_buf=");
                let data = (opcode == 8).then_some(u64::MAX);
                st::iovec_array(c, buf, nbytes, data);
            } else {
                c.s(", aio_buf=");
                c.hex(buf);
                let _ = write!(c.out, ", aio_nbytes={nbytes}");
            }
            let _ = write!(c.out, ", aio_offset={offset}");
            common_flags(c, cb);
        }
        // IOCB_CMD_POLL
        5 => {
            c.s(", aio_buf=");
            c.flags(buf, &xlat::POLL_EVENTS);
            common_flags(c, cb);
        }
        _ => {}
    }
    c.s("}");
}

fn common_flags(c: &mut Ctx, cb: &[u8]) {
    let (flags, resfd) = (u32_at(cb, 56), u32_at(cb, 60));
    if flags != 0 {
        c.s(", aio_flags=");
        c.flags(u64::from(flags), &IOCB_FLAGS);
    }
    if flags & IOCB_FLAG_RESFD != 0 {
        c.s(", aio_resfd=");
        c.fd(u64::from(resfd));
    } else if resfd != 0 {
        c.s(", aio_resfd=");
        c.hex(u64::from(resfd));
    }
}
