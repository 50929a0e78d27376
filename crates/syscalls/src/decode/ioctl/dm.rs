//! Device mapper requests (type 0xfd, linux/dm-ioctl.h) as strace 6.1's dm.c prints them:
//! the struct dm_ioctl header, then the payload the request carries in the same buffer
//! (target specs, dependencies, device and target lists, messages), each walked within
//! `data_size` and cut at `-s` entries.

use std::fmt::Write;

use super::super::Ctx;
use super::super::structs::{u32_at, u64_at, write_dev};
use super::{Phase, char_array, iowr};
use crate::xlat;

const DM_VERSION: u32 = dm(0);
const DM_REMOVE_ALL: u32 = dm(1);
const DM_LIST_DEVICES: u32 = dm(2);
const DM_DEV_CREATE: u32 = dm(3);
const DM_DEV_REMOVE: u32 = dm(4);
const DM_DEV_RENAME: u32 = dm(5);
const DM_DEV_SUSPEND: u32 = dm(6);
const DM_DEV_STATUS: u32 = dm(7);
const DM_DEV_WAIT: u32 = dm(8);
const DM_TABLE_LOAD: u32 = dm(9);
const DM_TABLE_CLEAR: u32 = dm(10);
const DM_TABLE_DEPS: u32 = dm(11);
const DM_TABLE_STATUS: u32 = dm(12);
const DM_LIST_VERSIONS: u32 = dm(13);
const DM_TARGET_MSG: u32 = dm(14);
const DM_DEV_SET_GEOMETRY: u32 = dm(15);
const DM_DEV_ARM_POLL: u32 = dm(16);

/// Every request takes a struct dm_ioctl (312 bytes).
const fn dm(nr: u8) -> u32 {
    iowr(0xfd, nr, 312)
}

/// offsetof(struct dm_ioctl, data): the header strace reads.
const HEADER: usize = 305;
const VERSION_MAJOR: u32 = 4;
const SUSPEND_FLAG: u32 = 2;
const DATA_OUT_FLAG: u32 = 0x10000;
/// struct dm_target_spec: sector_start, length, status, next, target_type[16].
const TARGET_SPEC_SIZE: u32 = 40;

/// linux/dm-ioctl.h's requests, for the ioctl name table (strace 6.1's x86_64 list).
pub(super) static NAMES: &[(u32, &str)] = &[
    (0xc138fd00, "DM_VERSION"),
    (0xc138fd01, "DM_REMOVE_ALL"),
    (0xc138fd02, "DM_LIST_DEVICES"),
    (0xc138fd03, "DM_DEV_CREATE"),
    (0xc138fd04, "DM_DEV_REMOVE"),
    (0xc138fd05, "DM_DEV_RENAME"),
    (0xc138fd06, "DM_DEV_SUSPEND"),
    (0xc138fd07, "DM_DEV_STATUS"),
    (0xc138fd08, "DM_DEV_WAIT"),
    (0xc138fd09, "DM_TABLE_LOAD"),
    (0xc138fd0a, "DM_TABLE_CLEAR"),
    (0xc138fd0b, "DM_TABLE_DEPS"),
    (0xc138fd0c, "DM_TABLE_STATUS"),
    (0xc138fd0d, "DM_LIST_VERSIONS"),
    (0xc138fd0e, "DM_TARGET_MSG"),
    (0xc138fd0f, "DM_DEV_SET_GEOMETRY"),
    (0xc138fd10, "DM_DEV_ARM_POLL"),
    (0xc138fd11, "DM_GET_TARGET_VERSION"),
];

/// strace's dm_ioctl.
pub(super) fn dm_ioctl(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    if !(DM_VERSION..=DM_DEV_ARM_POLL).contains(&code) {
        return Phase::Generic;
    }
    let mut h = [0u8; HEADER];
    // A header that cannot be read, or whose data_size cannot even cover itself, is left
    // to the generic printing (at exit, so that the call can still fill it in).
    if !c.read_exact(arg, &mut h) || u32_at(&h, 12) < 12 {
        return if c.entering() {
            Phase::Later
        } else {
            Phase::Generic
        };
    }
    // version[3], data_size, data_start, flags: what exit compares with entry.
    let summary = [
        u32_at(&h, 0),
        u32_at(&h, 4),
        u32_at(&h, 8),
        u32_at(&h, 12),
        u32_at(&h, 16),
        u32_at(&h, 28),
    ];
    if c.entering() {
        c.saved_list = summary.to_vec();
        c.next();
    } else {
        let changed = c.saved_list != summary;
        if c.failed && !changed {
            return Phase::Done;
        }
        c.s(" => ");
    }
    c.s("[");
    if header(c, code, &h) {
        payload(c, code, arg, &h);
    }
    c.s("]");
    if c.entering() {
        Phase::Later
    } else {
        Phase::Done
    }
}

/// The struct dm_ioctl fields: false when the version or size rule out the rest.
fn header(c: &mut Ctx, code: u32, h: &[u8]) -> bool {
    let u = |o: usize| u32_at(h, o);
    let _ = write!(c.out, "{{version=[{}, {}, {}]", u(0), u(4), u(8));
    if u(0) != VERSION_MAJOR {
        c.s(" /* unsupported device mapper ABI version */}");
        return false;
    }
    let data_size = u(12);
    let _ = write!(c.out, ", data_size={data_size}");
    if (data_size as usize) < HEADER {
        c.s(" /* data_size too small */}");
        return false;
    }
    let has_params = !matches!(
        code,
        DM_VERSION
            | DM_REMOVE_ALL
            | DM_DEV_CREATE
            | DM_DEV_REMOVE
            | DM_DEV_SUSPEND
            | DM_DEV_STATUS
            | DM_TABLE_CLEAR
            | DM_DEV_ARM_POLL
    );
    if has_params {
        let _ = write!(c.out, ", data_start={}", u(16));
    }
    if !matches!(code, DM_REMOVE_ALL | DM_LIST_DEVICES | DM_LIST_VERSIONS) {
        let dev = u64_at(h, 40);
        if dev != 0 {
            c.s(", dev=");
            write_dev(c.out, dev);
        }
        if h[48] != 0 {
            c.s(", name=");
            char_array(c, &h[48..176]);
        }
        if h[176] != 0 {
            c.s(", uuid=");
            char_array(c, &h[176..305]);
        }
    }
    let (target_count, open_count, flags, event_nr) = (u(20), u(24) as i32, u(28), u(32));
    if c.entering() {
        match code {
            DM_TABLE_LOAD => {
                let _ = write!(c.out, ", target_count={target_count}");
            }
            DM_DEV_SUSPEND if flags & SUSPEND_FLAG != 0 => {}
            DM_DEV_SUSPEND | DM_DEV_RENAME | DM_DEV_REMOVE | DM_DEV_WAIT => {
                let _ = write!(c.out, ", event_nr={event_nr}");
            }
            _ => {}
        }
    } else if !c.failed
        && matches!(
            code,
            DM_DEV_CREATE
                | DM_DEV_RENAME
                | DM_DEV_SUSPEND
                | DM_DEV_STATUS
                | DM_DEV_WAIT
                | DM_TABLE_LOAD
                | DM_TABLE_CLEAR
                | DM_TABLE_DEPS
                | DM_TABLE_STATUS
                | DM_TARGET_MSG
        )
    {
        // strace prints open_count with %u although the field is signed.
        let _ = write!(
            c.out,
            ", target_count={target_count}, open_count={}, event_nr={event_nr}",
            open_count as u32
        );
    }
    c.s(", flags=");
    c.flags(u64::from(flags), &FLAGS);
    c.s("}");
    true
}

/// What follows the header in the buffer, by request and phase.
fn payload(c: &mut Ctx, code: u32, arg: u64, h: &[u8]) {
    let entering = c.entering();
    let out = !entering && !c.failed;
    match code {
        DM_DEV_WAIT | DM_TABLE_STATUS if out => target_specs(c, arg, h),
        DM_TABLE_LOAD if entering => target_specs(c, arg, h),
        DM_TABLE_DEPS if out => target_deps(c, arg, h),
        DM_LIST_DEVICES if out => name_list(c, arg, h),
        DM_LIST_VERSIONS if out => target_versions(c, arg, h),
        DM_TARGET_MSG if entering => target_msg(c, arg, h),
        DM_TARGET_MSG if out && u32_at(h, 28) & DATA_OUT_FLAG != 0 => string(c, arg, h),
        DM_DEV_RENAME | DM_DEV_SET_GEOMETRY if entering => string(c, arg, h),
        _ => {}
    }
}

/// `???` with the comment strace gives a record that does not fit where it should be.
fn misplaced(c: &mut Ctx, what: &str) {
    let _ = write!(c.out, "??? /* misplaced {what} */");
}

/// A NUL-terminated string of at most `len` bytes at `addr`, cut at `-s`; returns its
/// length with the NUL when the NUL was within what strace fetches (umovestr's answer).
fn string_in(c: &mut Ctx, addr: u64, len: u32) -> Option<usize> {
    c.cstr_bounded(addr, u64::from(len));
    if addr == 0 {
        return None;
    }
    let size = (c.style.string_limit as u64 + 1).min(u64::from(len)) as usize;
    let bytes = c.read_string(addr, size)?;
    (bytes.len() < size).then_some(bytes.len() + 1)
}

/// The struct dm_target_spec records of a table, each followed by its parameter string.
fn target_specs(c: &mut Ctx, arg: u64, h: &[u8]) {
    let (count, data_size, data_start) = (u32_at(h, 20), u32_at(h, 12), u32_at(h, 16));
    if !c.style.verbose {
        if count != 0 {
            c.s(", ...");
        }
        return;
    }
    let mut offset = data_start;
    let mut end = 0u32;
    for i in 0..count {
        c.s(", ");
        if i > 0 && offset <= end {
            return misplaced(c, "struct dm_target_spec");
        }
        end = offset.wrapping_add(TARGET_SPEC_SIZE);
        if end <= offset || end > data_size {
            return misplaced(c, "struct dm_target_spec");
        }
        // At -s records, or (with a huge -s) when the line is already absurdly long.
        if i as usize >= c.style.string_limit || c.over_budget() {
            c.s("...");
            return;
        }
        let mut s = [0u8; TARGET_SPEC_SIZE as usize];
        let at = arg.wrapping_add(u64::from(offset));
        if !c.read_exact(at, &mut s) {
            c.ptr(at);
            return;
        }
        let _ = write!(
            c.out,
            "{{sector_start={}, length={}",
            u64_at(&s, 0),
            u64_at(&s, 8)
        );
        if !c.entering() {
            let _ = write!(c.out, ", status={}", u32_at(&s, 16) as i32);
        }
        c.s(", target_type=");
        char_array(c, &s[24..40]);
        c.s(", string=");
        string_in(c, arg.wrapping_add(u64::from(end)), data_size - end);
        c.s("}");
        let next = u32_at(&s, 20);
        offset = if c.entering() {
            offset.wrapping_add(next)
        } else {
            data_start.wrapping_add(next)
        };
    }
}

/// The one record at data_start of TABLE_DEPS and TARGET_MSG: nothing when there is no
/// data, `...` without -v, `???` when its `fixed` part does not fit in data_size; else its
/// address and where its fixed part ends.
fn single_record(c: &mut Ctx, arg: u64, h: &[u8], fixed: u32, what: &str) -> Option<(u64, u32)> {
    let (data_size, offset) = (u32_at(h, 12), u32_at(h, 16));
    if offset == data_size {
        return None;
    }
    c.s(", ");
    if !c.style.verbose {
        c.s("...");
        return None;
    }
    let end = offset.wrapping_add(fixed);
    if end <= offset || end > data_size {
        misplaced(c, what);
        return None;
    }
    Some((arg.wrapping_add(u64::from(offset)), end))
}

/// struct dm_target_deps: the count and the devices.
fn target_deps(c: &mut Ctx, arg: u64, h: &[u8]) {
    const WHAT: &str = "struct dm_target_deps";
    let Some((at, end)) = single_record(c, arg, h, 8, WHAT) else {
        return;
    };
    // The count and its padding: strace reads the 8-byte struct.
    let Some(count) = c.read_u64(at).map(|v| v as u32) else {
        c.ptr(at);
        return;
    };
    if count > (u32_at(h, 12) - end) / 8 {
        return misplaced(c, WHAT);
    }
    let _ = write!(c.out, "{{count={count}, deps=");
    c.array(
        arg.wrapping_add(u64::from(end)),
        u64::from(count),
        8,
        |c, d| {
            write_dev(c.out, u64_at(d, 0));
            true
        },
    );
    c.s("}");
}

/// Walks the records chained by their `next` field from data_start: each must start past
/// the previous one's fixed part and fit in data_size, at most `-s` of them.
fn chained(
    c: &mut Ctx,
    arg: u64,
    h: &[u8],
    what: &str,
    fixed: u32,
    mut record: impl FnMut(&mut Ctx, u64, &[u8; 16], u32) -> u32,
) {
    let (data_size, mut offset) = (u32_at(h, 12), u32_at(h, 16));
    if offset == data_size {
        return;
    }
    if !c.style.verbose {
        c.s(", ...");
        return;
    }
    let mut end = 0u32;
    for count in 0u32.. {
        c.s(", ");
        if count > 0 && offset <= end {
            return misplaced(c, what);
        }
        end = offset.wrapping_add(fixed);
        if end <= offset || end > data_size {
            return misplaced(c, what);
        }
        if count as usize >= c.style.string_limit || c.over_budget() {
            c.s("...");
            return;
        }
        let at = arg.wrapping_add(u64::from(offset));
        let mut s = [0u8; 16];
        if !c.read_exact(at, &mut s) {
            c.ptr(at);
            return;
        }
        let next = record(c, at, &s, data_size - end);
        if next == 0 {
            return;
        }
        offset = offset.wrapping_add(next);
    }
}

/// struct dm_name_list records: dev, next, name, and (since DM 4.37) the event number
/// the kernel puts after the name when there is room for it.
fn name_list(c: &mut Ctx, arg: u64, h: &[u8]) {
    let minor = u32_at(h, 4);
    chained(c, arg, h, "struct dm_name_list", 12, |c, at, s, left| {
        c.s("{dev=");
        write_dev(c.out, u64_at(s, 0));
        c.s(", name=");
        let name = at.wrapping_add(12);
        let next = u32_at(s, 8);
        if let Some(len) = string_in(c, name, left)
            && minor >= 37
        {
            let event = name.wrapping_add(len as u64).wrapping_add(7) & !7;
            if event.wrapping_add(4) <= at.wrapping_add(u64::from(next))
                && let Some(nr) = c.read_u32(event)
            {
                let _ = write!(c.out, ", event_nr={nr}");
            }
        }
        c.s("}");
        next
    });
}

/// struct dm_target_versions records: next, version[3], name.
fn target_versions(c: &mut Ctx, arg: u64, h: &[u8]) {
    chained(
        c,
        arg,
        h,
        "struct dm_target_versions",
        16,
        |c, at, s, left| {
            c.s("{name=");
            string_in(c, at.wrapping_add(16), left);
            let _ = write!(
                c.out,
                ", version=[{}, {}, {}]}}",
                u32_at(s, 4),
                u32_at(s, 8),
                u32_at(s, 12)
            );
            u32_at(s, 0)
        },
    );
}

/// struct dm_target_msg: the sector and the message.
fn target_msg(c: &mut Ctx, arg: u64, h: &[u8]) {
    let Some((at, end)) = single_record(c, arg, h, 8, "struct dm_target_msg") else {
        return;
    };
    let Some(sector) = c.read_u64(at) else {
        c.ptr(at);
        return;
    };
    let _ = write!(c.out, "{{sector={sector}, message=");
    string_in(c, arg.wrapping_add(u64::from(end)), u32_at(h, 12) - end);
    c.s("}");
}

/// The new name of DM_DEV_RENAME, the geometry of DM_DEV_SET_GEOMETRY, a message's reply.
fn string(c: &mut Ctx, arg: u64, h: &[u8]) {
    let (data_size, offset) = (u32_at(h, 12), u32_at(h, 16));
    c.s(", ");
    if !c.style.verbose {
        c.s("...");
        return;
    }
    if offset > data_size {
        return misplaced(c, "string");
    }
    c.s("{string=");
    string_in(c, arg.wrapping_add(u64::from(offset)), data_size - offset);
    c.s("}");
}

// strace 6.1's src/xlat/dm_flags.in.
xlat::xlat!(FLAGS, "DM_???", [
    0x1 => "DM_READONLY_FLAG", 0x2 => "DM_SUSPEND_FLAG", 0x4 => "DM_EXISTS_FLAG",
    0x8 => "DM_PERSISTENT_DEV_FLAG", 0x10 => "DM_STATUS_TABLE_FLAG",
    0x20 => "DM_ACTIVE_PRESENT_FLAG", 0x40 => "DM_INACTIVE_PRESENT_FLAG",
    0x100 => "DM_BUFFER_FULL_FLAG", 0x200 => "DM_SKIP_BDGET_FLAG", 0x400 => "DM_SKIP_LOCKFS_FLAG",
    0x800 => "DM_NOFLUSH_FLAG", 0x1000 => "DM_QUERY_INACTIVE_TABLE_FLAG",
    0x2000 => "DM_UEVENT_GENERATED_FLAG", 0x4000 => "DM_UUID_FLAG",
    0x8000 => "DM_SECURE_DATA_FLAG", 0x10000 => "DM_DATA_OUT_FLAG",
    0x20000 => "DM_DEFERRED_REMOVE", 0x40000 => "DM_INTERNAL_SUSPEND_FLAG",
    0x80000 => "DM_IMA_MEASUREMENT_FLAG",
]);
