//! perf event fd requests (`'$'`, linux/perf_event.h) as strace's perf_ioctl.c prints them.

use std::fmt::Write;

use super::super::Ctx;
use super::super::perf;
use super::super::structs::{read_struct, u32_at, u64_at};
use super::{Phase, io, ior, iow, iowr};
use crate::xlat;

const ENABLE: u32 = io(b'$', 0);
const DISABLE: u32 = io(b'$', 1);
const REFRESH: u32 = io(b'$', 2);
const RESET: u32 = io(b'$', 3);
const PERIOD: u32 = iow(b'$', 4, 8);
const SET_OUTPUT: u32 = io(b'$', 5);
const SET_FILTER: u32 = iow(b'$', 6, 8);
const ID: u32 = ior(b'$', 7, 8);
const SET_BPF: u32 = iow(b'$', 8, 4);
const PAUSE_OUTPUT: u32 = iow(b'$', 9, 4);
const QUERY_BPF: u32 = iowr(b'$', 10, 8);
const MODIFY_ATTRIBUTES: u32 = iow(b'$', 11, 8);

pub(super) static NAMES: &[(u32, &str)] = &[
    (ENABLE, "PERF_EVENT_IOC_ENABLE"),
    (DISABLE, "PERF_EVENT_IOC_DISABLE"),
    (REFRESH, "PERF_EVENT_IOC_REFRESH"),
    (RESET, "PERF_EVENT_IOC_RESET"),
    (PERIOD, "PERF_EVENT_IOC_PERIOD"),
    (SET_OUTPUT, "PERF_EVENT_IOC_SET_OUTPUT"),
    (SET_FILTER, "PERF_EVENT_IOC_SET_FILTER"),
    (ID, "PERF_EVENT_IOC_ID"),
    (SET_BPF, "PERF_EVENT_IOC_SET_BPF"),
    (PAUSE_OUTPUT, "PERF_EVENT_IOC_PAUSE_OUTPUT"),
    (QUERY_BPF, "PERF_EVENT_IOC_QUERY_BPF"),
    (MODIFY_ATTRIBUTES, "PERF_EVENT_IOC_MODIFY_ATTRIBUTES"),
];

xlat::xlat!(IOC_FLAGS, "PERF_IOC_FLAG_???", [1 => "PERF_IOC_FLAG_GROUP"]);

/// strace's perf_ioctl.
pub(super) fn perf_ioctl(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        ID | QUERY_BPF if !c.entering() => return at_exit(c, code, arg),
        ID => return Phase::Later,
        _ => {}
    }
    c.next();
    match code {
        ENABLE | DISABLE | RESET => c.flags(arg & 0xffff_ffff, &IOC_FLAGS),
        REFRESH => c.dec(i64::from(arg as u32 as i32)),
        PERIOD => u64_ptr(c, arg),
        SET_OUTPUT | SET_BPF => c.fd(arg & 0xffff_ffff),
        PAUSE_OUTPUT => c.udec(arg),
        SET_FILTER => c.cstr_bounded(arg, 4096),
        QUERY_BPF => {
            let Some(len) = read_struct::<4>(c, arg, false) else {
                return Phase::Done;
            };
            let _ = write!(c.out, "{{ids_len={}, ", u32_at(&len, 0));
            return Phase::Later;
        }
        MODIFY_ATTRIBUTES => match perf::fetch_size(c, arg) {
            Some(size) => perf::print_attr(c, arg, size, None),
            None => c.ptr(arg),
        },
        _ => {
            c.hex(arg);
        }
    }
    Phase::Done
}

fn at_exit(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    if code == ID {
        c.next();
        if let Some(b) = read_struct::<8>(c, arg, true) {
            let _ = write!(c.out, "[{}]", u64_at(&b, 0));
        }
        return Phase::Done;
    }
    // QUERY_BPF: how many programs and their ids, when the call succeeded.
    let count = c.read_u32(arg.wrapping_add(4)).filter(|_| c.ok());
    match count {
        Some(count) => {
            let _ = write!(c.out, "prog_cnt={count}, ids=");
            c.array(arg + 8, u64::from(count), 4, |c, e| {
                c.udec(u64::from(u32_at(e, 0)));
                true
            });
            c.s("}");
        }
        None => c.s("...}"),
    }
    Phase::Done
}

fn u64_ptr(c: &mut Ctx, arg: u64) {
    if let Some(b) = read_struct::<8>(c, arg, false) {
        let _ = write!(c.out, "[{}]", u64_at(&b, 0));
    }
}
