//! io_uring_register(2) as strace 6.1's io_uring.c prints it: the argument each opcode
//! takes (fd arrays, iovecs, probe, restrictions, resource registrations and updates,
//! worker limits, ring fds, buffer rings).

use std::fmt::Write;

use super::Ctx;
use super::structs::{self as st, u16_at, u32_at, u64_at};
use crate::xlat;

xlat::xlat!(REGISTER_OPCODES, "IORING_REGISTER_???", [
    0 => "IORING_REGISTER_BUFFERS", 1 => "IORING_UNREGISTER_BUFFERS",
    2 => "IORING_REGISTER_FILES", 3 => "IORING_UNREGISTER_FILES",
    4 => "IORING_REGISTER_EVENTFD", 5 => "IORING_UNREGISTER_EVENTFD",
    6 => "IORING_REGISTER_FILES_UPDATE", 7 => "IORING_REGISTER_EVENTFD_ASYNC",
    8 => "IORING_REGISTER_PROBE", 9 => "IORING_REGISTER_PERSONALITY",
    10 => "IORING_UNREGISTER_PERSONALITY", 11 => "IORING_REGISTER_RESTRICTIONS",
    12 => "IORING_REGISTER_ENABLE_RINGS", 13 => "IORING_REGISTER_FILES2",
    14 => "IORING_REGISTER_FILES_UPDATE2", 15 => "IORING_REGISTER_BUFFERS2",
    16 => "IORING_REGISTER_BUFFERS_UPDATE", 17 => "IORING_REGISTER_IOWQ_AFF",
    18 => "IORING_UNREGISTER_IOWQ_AFF", 19 => "IORING_REGISTER_IOWQ_MAX_WORKERS",
    20 => "IORING_REGISTER_RING_FDS", 21 => "IORING_UNREGISTER_RING_FDS",
    22 => "IORING_REGISTER_PBUF_RING", 23 => "IORING_UNREGISTER_PBUF_RING",
]);

// The io_uring_op enum up to IORING_OP_URING_CMD, as strace 6.1 knows it.
xlat::xlat!(OPS, "IORING_OP_???", [
    0 => "IORING_OP_NOP", 1 => "IORING_OP_READV", 2 => "IORING_OP_WRITEV", 3 => "IORING_OP_FSYNC",
    4 => "IORING_OP_READ_FIXED", 5 => "IORING_OP_WRITE_FIXED", 6 => "IORING_OP_POLL_ADD",
    7 => "IORING_OP_POLL_REMOVE", 8 => "IORING_OP_SYNC_FILE_RANGE", 9 => "IORING_OP_SENDMSG",
    10 => "IORING_OP_RECVMSG", 11 => "IORING_OP_TIMEOUT", 12 => "IORING_OP_TIMEOUT_REMOVE",
    13 => "IORING_OP_ACCEPT", 14 => "IORING_OP_ASYNC_CANCEL", 15 => "IORING_OP_LINK_TIMEOUT",
    16 => "IORING_OP_CONNECT", 17 => "IORING_OP_FALLOCATE", 18 => "IORING_OP_OPENAT",
    19 => "IORING_OP_CLOSE", 20 => "IORING_OP_FILES_UPDATE", 21 => "IORING_OP_STATX",
    22 => "IORING_OP_READ", 23 => "IORING_OP_WRITE", 24 => "IORING_OP_FADVISE",
    25 => "IORING_OP_MADVISE", 26 => "IORING_OP_SEND", 27 => "IORING_OP_RECV",
    28 => "IORING_OP_OPENAT2", 29 => "IORING_OP_EPOLL_CTL", 30 => "IORING_OP_SPLICE",
    31 => "IORING_OP_PROVIDE_BUFFERS", 32 => "IORING_OP_REMOVE_BUFFERS", 33 => "IORING_OP_TEE",
    34 => "IORING_OP_SHUTDOWN", 35 => "IORING_OP_RENAMEAT", 36 => "IORING_OP_UNLINKAT",
    37 => "IORING_OP_MKDIRAT", 38 => "IORING_OP_SYMLINKAT", 39 => "IORING_OP_LINKAT",
    40 => "IORING_OP_MSG_RING", 41 => "IORING_OP_FSETXATTR", 42 => "IORING_OP_SETXATTR",
    43 => "IORING_OP_FGETXATTR", 44 => "IORING_OP_GETXATTR", 45 => "IORING_OP_SOCKET",
    46 => "IORING_OP_URING_CMD",
]);

xlat::xlat!(OP_FLAGS, "IO_URING_OP_???", [1 => "IO_URING_OP_SUPPORTED"]);

xlat::xlat!(RESTRICTION_OPCODES, "IORING_RESTRICTION_???", [
    0 => "IORING_RESTRICTION_REGISTER_OP", 1 => "IORING_RESTRICTION_SQE_OP",
    2 => "IORING_RESTRICTION_SQE_FLAGS_ALLOWED", 3 => "IORING_RESTRICTION_SQE_FLAGS_REQUIRED",
]);

xlat::xlat!(SQE_FLAGS, "IOSQE_???", [
    1 << 0 => "IOSQE_FIXED_FILE", 1 << 1 => "IOSQE_IO_DRAIN", 1 << 2 => "IOSQE_IO_LINK",
    1 << 3 => "IOSQE_IO_HARDLINK", 1 << 4 => "IOSQE_ASYNC", 1 << 5 => "IOSQE_BUFFER_SELECT",
    1 << 6 => "IOSQE_CQE_SKIP_SUCCESS",
]);

xlat::xlat!(RSRC_FLAGS, "IORING_RSRC_REGISTER_???", [1 => "IORING_RSRC_REGISTER_SPARSE"]);

// Negative fds of a files update other than -1 (strace prints the rest as numbers).
xlat::xlat!(FILES_UPDATE_FDS, "", [-2i64 => "IORING_REGISTER_FILES_SKIP"]);

xlat::xlat!(IOWQ_ACCT, "IO_WQ_???", [0 => "IO_WQ_BOUND", 1 => "IO_WQ_UNBOUND"]);

const REGISTER_BUFFERS: u64 = 0;
const REGISTER_FILES: u64 = 2;
const REGISTER_EVENTFD: u64 = 4;
const REGISTER_FILES_UPDATE: u64 = 6;
const REGISTER_EVENTFD_ASYNC: u64 = 7;
const REGISTER_PROBE: u64 = 8;
const REGISTER_RESTRICTIONS: u64 = 11;
const REGISTER_FILES2: u64 = 13;
const REGISTER_FILES_UPDATE2: u64 = 14;
const REGISTER_BUFFERS2: u64 = 15;
const REGISTER_BUFFERS_UPDATE: u64 = 16;
const REGISTER_IOWQ_AFF: u64 = 17;
const REGISTER_IOWQ_MAX_WORKERS: u64 = 19;
const REGISTER_RING_FDS: u64 = 20;
const UNREGISTER_RING_FDS: u64 = 21;
const REGISTER_PBUF_RING: u64 = 22;
const UNREGISTER_PBUF_RING: u64 = 23;

/// `Ctx::saved[0]` at entry when the argument is to be shown again at exit.
const SHOWN_AT_ENTRY: u64 = 1;
const LATER: u64 = 2;
/// `Ctx::saved[1]` at entry when the argument goes on at exit.
const PENDING: u64 = 1;

/// io_uring_register(fd, opcode, arg, nr_args). Two opcodes carry output: the probe (shown
/// at exit, after ` => ` when the caller filled it in) and the worker limits.
pub(super) fn dec_io_uring_register(c: &mut Ctx) {
    let a = c.args;
    let (opcode, arg, nargs) = (a[1] & 0xffff_ffff, a[2], a[3] & 0xffff_ffff);
    let done = if c.entering() {
        c.next();
        c.fd(a[0]);
        c.next();
        c.xval(opcode, &REGISTER_OPCODES);
        c.next();
        let done = argument(c, opcode, arg, nargs);
        if !done {
            c.saved[1] = PENDING;
            c.stop_after();
        }
        done
    } else if c.saved[1] != PENDING {
        return;
    } else {
        match opcode {
            REGISTER_PROBE => probe(c, arg, nargs),
            _ => max_workers(c, arg, nargs),
        };
        true
    };
    if done {
        let _ = write!(c.out, ", {nargs}");
    }
}

/// The argument at entry; false when more follows at exit.
fn argument(c: &mut Ctx, opcode: u64, arg: u64, nargs: u64) -> bool {
    match opcode {
        REGISTER_BUFFERS => st::iovec_array(c, arg, nargs, None),
        REGISTER_FILES | REGISTER_EVENTFD | REGISTER_EVENTFD_ASYNC => {
            c.array(arg, nargs, 4, |c, e| {
                c.fd(u64::from(u32_at(e, 0)));
                true
            });
        }
        REGISTER_FILES_UPDATE => files_update(c, arg, nargs),
        REGISTER_PROBE => return probe(c, arg, nargs),
        REGISTER_RESTRICTIONS => c.array(arg, nargs, 16, |c, e| {
            restriction(c, e);
            true
        }),
        REGISTER_FILES2 | REGISTER_BUFFERS2 => rsrc_register(c, opcode, arg, nargs),
        REGISTER_FILES_UPDATE2 | REGISTER_BUFFERS_UPDATE => rsrc_update(c, opcode, arg, nargs),
        REGISTER_IOWQ_AFF => super::syscalls::cpu_list(c, arg, nargs, false),
        REGISTER_IOWQ_MAX_WORKERS => {
            if max_workers(c, arg, nargs) {
                c.s(" => ");
                c.saved[0] = LATER;
                return false;
            }
        }
        REGISTER_RING_FDS => c.array(arg, nargs, 16, |c, e| {
            let offset = u32_at(e, 0);
            if offset == u32::MAX {
                c.s("{offset=-1");
            } else {
                let _ = write!(c.out, "{{offset={offset}");
            }
            resv(c, "resv", u64::from(u32_at(e, 4)));
            c.s(", data=");
            c.fd(u64_at(e, 8) & 0xffff_ffff);
            c.s("}");
            true
        }),
        UNREGISTER_RING_FDS => c.array(arg, nargs, 16, |c, e| {
            let _ = write!(c.out, "{{offset={}", u32_at(e, 0));
            resv(c, "resv", u64::from(u32_at(e, 4)));
            resv(c, "data", u64_at(e, 8));
            c.s("}");
            true
        }),
        REGISTER_PBUF_RING | UNREGISTER_PBUF_RING => buf_reg(c, arg),
        _ => c.ptr(arg),
    }
    true
}

/// `, name=0x...` for a reserved or unused field that is not zero.
fn resv(c: &mut Ctx, name: &str, v: u64) {
    if v != 0 {
        let _ = write!(c.out, ", {name}=");
        c.hex(v);
    }
}

/// An fd of an update: -1 and up as fds, IORING_REGISTER_FILES_SKIP (-2) by name.
fn update_fd(c: &mut Ctx, e: &[u8]) -> bool {
    let fd = u32_at(e, 0) as i32;
    if fd < -1 {
        c.xval_d(i64::from(fd), &FILES_UPDATE_FDS);
    } else {
        c.fd(u64::from(fd as u32));
    }
    true
}

/// struct io_uring_files_update: offset, resv, fds (nargs of them).
fn files_update(c: &mut Ctx, arg: u64, nargs: u64) {
    let Some(b) = st::read_struct::<16>(c, arg, false) else {
        return;
    };
    let _ = write!(c.out, "{{offset={}", u32_at(&b, 0));
    resv(c, "resv", u64::from(u32_at(&b, 4)));
    c.s(", fds=");
    c.array(u64_at(&b, 8), nargs, 4, update_fd);
    c.s("}");
}

/// struct io_uring_probe with `nargs` ops. At entry a probe still all zeros is not shown
/// (the kernel fills it); at exit it is shown after ` => ` when it was shown at entry. True
/// when the argument is complete.
fn probe(c: &mut Ctx, arg: u64, nargs: u64) -> bool {
    let entering = c.entering();
    let shown_before = !entering && c.saved[0] == SHOWN_AT_ENTRY;
    if !entering && !c.ok() {
        if !shown_before {
            c.ptr(arg);
        }
        return true;
    }
    if nargs > 256 {
        c.ptr(arg);
        return true;
    }
    if shown_before {
        c.s(" => ");
    }
    let mut b = vec![0u8; 16 + 8 * nargs as usize];
    if arg == 0 {
        c.s("NULL");
        return true;
    }
    if !c.read_exact(arg, &mut b) {
        c.ptr(arg);
        return true;
    }
    if entering && b.iter().all(|&x| x == 0) {
        return false;
    }
    if entering {
        c.saved[0] = SHOWN_AT_ENTRY;
    }
    c.s("{last_op=");
    c.xval_u(u64::from(b[0]), &OPS);
    let ops_len = u64::from(b[1]);
    let _ = write!(c.out, ", ops_len={ops_len}");
    resv(c, "resv", u64::from(u16_at(&b, 2)));
    if b[4..16].iter().any(|&x| x != 0) {
        c.s(", resv2=");
        hex_u32s(c, &b[4..16]);
    }
    c.s(", ops=[");
    let shown = if entering { nargs } else { ops_len.min(nargs) };
    // Like strace's arrays, at most `-s` elements unless -v.
    let limit = if c.style.verbose {
        usize::MAX
    } else {
        c.style.string_limit
    };
    let mut cut = false;
    for i in 0..shown as usize {
        if i > 0 {
            c.s(", ");
        }
        if i >= limit {
            c.s("...");
            cut = true;
            break;
        }
        let op = &b[16 + i * 8..24 + i * 8];
        c.s("{op=");
        c.xval_u(u64::from(op[0]), &OPS);
        resv(c, "resv", u64::from(op[1]));
        c.s(", flags=");
        c.flags(u64::from(u16_at(op, 2)), &OP_FLAGS);
        resv(c, "resv2", u64::from(u32_at(op, 4)));
        c.s("}");
    }
    if !entering && nargs < ops_len && !cut {
        c.s(if shown > 0 { ", ..." } else { "..." });
    }
    c.s("]}");
    !entering
}

fn hex_u32s(c: &mut Ctx, b: &[u8]) {
    c.s("[");
    for (i, word) in b.chunks_exact(4).enumerate() {
        if i > 0 {
            c.s(", ");
        }
        c.hex(u64::from(u32_at(word, 0)));
    }
    c.s("]");
}

/// struct io_uring_restriction: the opcode, then the union member it selects.
fn restriction(c: &mut Ctx, e: &[u8]) {
    let opcode = u16_at(e, 0);
    let value = u64::from(e[2]);
    c.s("{opcode=");
    c.xval(u64::from(opcode), &RESTRICTION_OPCODES);
    match opcode {
        0 => {
            c.s(", register_op=");
            c.xval(value, &REGISTER_OPCODES);
        }
        1 => {
            c.s(", sqe_op=");
            c.xval(value, &OPS);
        }
        2 | 3 => {
            c.s(", sqe_flags=");
            c.flags(value, &SQE_FLAGS);
        }
        _ => {
            c.s(" /* op: ");
            c.hex(value);
            c.s(" */");
        }
    }
    resv(c, "resv", u64::from(e[3]));
    if e[4..16].iter().any(|&x| x != 0) {
        c.s(", resv2=");
        hex_u32s(c, &e[4..16]);
    }
    c.s("}");
}

/// `data=` of a resource registration or update: fds, update fds or iovecs.
fn rsrc_data(c: &mut Ctx, opcode: u64, data: u64, nr: u64) {
    c.s(", data=");
    match opcode {
        REGISTER_FILES2 => c.array(data, nr, 4, |c, e| {
            c.fd(u64::from(u32_at(e, 0)));
            true
        }),
        REGISTER_FILES_UPDATE2 => c.array(data, nr, 4, update_fd),
        _ => st::iovec_array(c, data, nr, None),
    }
}

fn rsrc_tags(c: &mut Ctx, tags: u64, nr: u64) {
    c.s(", tags=");
    c.array(tags, nr, 8, |c, e| {
        c.hex(u64_at(e, 0));
        true
    });
}

/// struct io_uring_rsrc_register (`size` bytes, 32 known): nr, flags, data, tags.
fn rsrc_register(c: &mut Ctx, opcode: u64, arg: u64, size: u64) {
    if size < 32 {
        c.ptr(arg);
        return;
    }
    let Some(b) = st::read_struct::<32>(c, arg, false) else {
        return;
    };
    let nr = u64::from(u32_at(&b, 0));
    let _ = write!(c.out, "{{nr={nr}, flags=");
    c.flags(u64::from(u32_at(&b, 4)), &RSRC_FLAGS);
    resv(c, "resv2", u64_at(&b, 8));
    rsrc_data(c, opcode, u64_at(&b, 16), nr);
    rsrc_tags(c, u64_at(&b, 24), nr);
    c.nonzero_tail(arg, 32, size.min(4096));
    c.s("}");
}

/// struct io_uring_rsrc_update2 (`size` bytes, 32 known): offset, data, tags, nr.
fn rsrc_update(c: &mut Ctx, opcode: u64, arg: u64, size: u64) {
    if size < 32 {
        c.ptr(arg);
        return;
    }
    let Some(b) = st::read_struct::<32>(c, arg, false) else {
        return;
    };
    let nr = u64::from(u32_at(&b, 24));
    let _ = write!(c.out, "{{offset={}", u32_at(&b, 0));
    resv(c, "resv", u64::from(u32_at(&b, 4)));
    rsrc_data(c, opcode, u64_at(&b, 8), nr);
    rsrc_tags(c, u64_at(&b, 16), nr);
    let _ = write!(c.out, ", nr={nr}");
    resv(c, "resv2", u64::from(u32_at(&b, 28)));
    c.nonzero_tail(arg, 32, size.min(4096));
    c.s("}");
}

/// The worker limits, `[[IO_WQ_BOUND]=4, [IO_WQ_UNBOUND]=8]`: true when the whole array
/// could be shown (the kernel writes the old limits back).
fn max_workers(c: &mut Ctx, arg: u64, nargs: u64) -> bool {
    if !c.entering() && !c.ok() {
        c.ptr(arg);
        return false;
    }
    if arg == 0 || nargs == 0 {
        c.s(if arg == 0 { "NULL" } else { "[]" });
        return false;
    }
    let mut index = 0;
    c.array(arg, nargs, 4, |c, e| {
        c.s("[");
        c.xval_u(index, &IOWQ_ACCT);
        let _ = write!(c.out, "]={}", u32_at(e, 0));
        index += 1;
        true
    });
    index == nargs
}

/// struct io_uring_buf_reg: ring_addr, ring_entries, bgid, pad, resv[3].
fn buf_reg(c: &mut Ctx, arg: u64) {
    let Some(b) = st::read_struct::<40>(c, arg, false) else {
        return;
    };
    c.s("{ring_addr=");
    c.ptr(u64_at(&b, 0));
    let _ = write!(
        c.out,
        ", ring_entries={}, bgid={}",
        u32_at(&b, 8),
        u16_at(&b, 12)
    );
    resv(c, "pad", u64::from(u16_at(&b, 14)));
    if b[16..40].iter().any(|&x| x != 0) {
        c.s(", resv=[");
        for (i, word) in b[16..40].chunks_exact(8).enumerate() {
            if i > 0 {
                c.s(", ");
            }
            c.hex(u64_at(word, 0));
        }
        c.s("]");
    }
    c.s("}");
}
