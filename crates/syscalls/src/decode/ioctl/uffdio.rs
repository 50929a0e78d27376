//! userfaultfd requests (type 0xAA, linux/userfaultfd.h) as strace 6.1's userfaultfd.c
//! prints them: the caller's part at entry, what the kernel wrote at exit.

use super::super::Ctx;
use super::super::structs::{read_struct, u64_at};
use super::{Phase, ior, iowr};
use crate::xlat;

const API: u32 = iowr(0xaa, 0x3f, 24);
const REGISTER: u32 = iowr(0xaa, 0x00, 32);
const UNREGISTER: u32 = ior(0xaa, 0x01, 16);
const WAKE: u32 = ior(0xaa, 0x02, 16);
const COPY: u32 = iowr(0xaa, 0x03, 40);
const ZEROPAGE: u32 = iowr(0xaa, 0x04, 32);

pub(super) static NAMES: &[(u32, &str)] = &[
    (API, "UFFDIO_API"),
    (REGISTER, "UFFDIO_REGISTER"),
    (UNREGISTER, "UFFDIO_UNREGISTER"),
    (WAKE, "UFFDIO_WAKE"),
    (COPY, "UFFDIO_COPY"),
    (ZEROPAGE, "UFFDIO_ZEROPAGE"),
];

xlat::xlat!(API_FEATURES, "UFFD_FEATURE_???", [
    1 << 0 => "UFFD_FEATURE_PAGEFAULT_FLAG_WP", 1 << 1 => "UFFD_FEATURE_EVENT_FORK",
    1 << 2 => "UFFD_FEATURE_EVENT_REMAP", 1 << 3 => "UFFD_FEATURE_EVENT_REMOVE",
    1 << 4 => "UFFD_FEATURE_MISSING_HUGETLBFS", 1 << 5 => "UFFD_FEATURE_MISSING_SHMEM",
    1 << 6 => "UFFD_FEATURE_EVENT_UNMAP", 1 << 7 => "UFFD_FEATURE_SIGBUS",
    1 << 8 => "UFFD_FEATURE_THREAD_ID", 1 << 9 => "UFFD_FEATURE_MINOR_HUGETLBFS",
    1 << 10 => "UFFD_FEATURE_MINOR_SHMEM", 1 << 11 => "UFFD_FEATURE_EXACT_ADDRESS",
    1 << 12 => "UFFD_FEATURE_WP_HUGETLBFS_SHMEM",
]);
xlat::xlat!(API_IOCTLS, "_UFFDIO_???", [
    1 << 0x00 => "1<<_UFFDIO_REGISTER", 1 << 0x01 => "1<<_UFFDIO_UNREGISTER",
    1u64 << 0x3f => "1<<_UFFDIO_API",
]);
xlat::xlat!(REGISTER_IOCTLS, "UFFDIO_???", [
    1 << 0x02 => "1<<_UFFDIO_WAKE", 1 << 0x03 => "1<<_UFFDIO_COPY",
    1 << 0x04 => "1<<_UFFDIO_ZEROPAGE", 1 << 0x06 => "1<<_UFFDIO_WRITEPROTECT",
    1 << 0x07 => "1<<_UFFDIO_CONTINUE",
]);
xlat::xlat!(COPY_MODES, "UFFDIO_COPY_???", [
    1 => "UFFDIO_COPY_MODE_DONTWAKE", 2 => "UFFDIO_COPY_MODE_WP",
]);
xlat::xlat!(REGISTER_MODES, "UFFDIO_REGISTER_MODE_???", [
    1 => "UFFDIO_REGISTER_MODE_MISSING", 2 => "UFFDIO_REGISTER_MODE_WP",
    4 => "UFFDIO_REGISTER_MODE_MINOR",
]);
xlat::xlat!(ZEROPAGE_MODES, "UFFDIO_ZEROPAGE_???", [1 => "UFFDIO_ZEROPAGE_MODE_DONTWAKE"]);

/// strace's uffdio_ioctl.
pub(super) fn uffdio(c: &mut Ctx, code: u32, arg: u64) -> Phase {
    match code {
        UNREGISTER | WAKE => {
            c.next();
            if let Some(b) = read_struct::<16>(c, arg, false) {
                range(c, &b);
            }
            Phase::Done
        }
        API | REGISTER | COPY | ZEROPAGE if c.entering() => {
            c.next();
            let mut b = [0u8; 40];
            let size = struct_size(code);
            let readable = arg != 0 && c.read_exact(arg, &mut b[..size]);
            if !readable {
                if arg == 0 {
                    c.s("NULL");
                } else {
                    c.ptr(arg);
                }
                return Phase::Done;
            }
            entry(c, code, &b);
            // What the caller asked for, to tell whether the kernel changed it.
            c.saved[1] = u64_at(&b, 8);
            Phase::Later
        }
        API | REGISTER | COPY | ZEROPAGE => {
            let mut b = [0u8; 40];
            if c.ok() && c.read_exact(arg, &mut b[..struct_size(code)]) {
                exit(c, code, &b);
            }
            c.s("}");
            Phase::Done
        }
        _ => Phase::Generic,
    }
}

fn struct_size(code: u32) -> usize {
    ((code >> 16) & 0x3fff) as usize
}

fn range(c: &mut Ctx, b: &[u8]) {
    c.s("{start=");
    c.hex(u64_at(b, 0));
    c.s(", len=");
    c.hex(u64_at(b, 8));
    c.s("}");
}

fn entry(c: &mut Ctx, code: u32, b: &[u8]) {
    match code {
        API => {
            c.s("{api=");
            c.hex(u64_at(b, 0));
            c.s(", features=");
            c.flags(u64_at(b, 8), &API_FEATURES);
        }
        COPY => {
            c.s("{dst=");
            c.hex(u64_at(b, 0));
            c.s(", src=");
            c.hex(u64_at(b, 8));
            c.s(", len=");
            c.hex(u64_at(b, 16));
            c.s(", mode=");
            c.flags(u64_at(b, 24), &COPY_MODES);
        }
        _ => {
            c.s("{range=");
            range(c, b);
            c.s(", mode=");
            let modes = if code == REGISTER {
                &REGISTER_MODES
            } else {
                &ZEROPAGE_MODES
            };
            c.flags(u64_at(b, 16), modes);
        }
    }
}

fn exit(c: &mut Ctx, code: u32, b: &[u8]) {
    match code {
        API => {
            let features = u64_at(b, 8);
            if features != c.saved[1] {
                c.s(" => features=");
                c.flags(features, &API_FEATURES);
            }
            c.s(", ioctls=");
            c.flags(u64_at(b, 16), &API_IOCTLS);
        }
        REGISTER => {
            c.s(", ioctls=");
            c.flags(u64_at(b, 24), &REGISTER_IOCTLS);
        }
        COPY => {
            c.s(", copy=");
            c.hex(u64_at(b, 32));
        }
        _ => {
            c.s(", zeropage=");
            c.hex(u64_at(b, 24));
        }
    }
}
