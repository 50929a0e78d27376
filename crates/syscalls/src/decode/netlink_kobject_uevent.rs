//! NETLINK_KOBJECT_UEVENT messages (strace's netlink_kobject_uevent.c): libudev's monitor
//! header before the properties; kernel uevents (no header) are plain strings.

use std::fmt::Write;

use super::print::{self, CHex, Ctx};
use super::structs::u32_at;

/// `struct udev_monitor_netlink_header`: "libudev", then eight `u32`s.
const HEADER_SIZE: usize = 40;

/// `len` bytes at `addr` of a uevent socket.
pub(crate) fn decode(c: &mut Ctx, addr: u64, len: u64) {
    let mut b = [0u8; HEADER_SIZE];
    let failed = !c.entering() && !c.ok();
    if !c.style.dereference
        || failed
        || addr == 0
        || len < HEADER_SIZE as u64
        || !c.read_exact(addr, &mut b)
        || &b[..8] != b"libudev\0"
    {
        c.buf(addr, len);
        return;
    }
    let more = len > HEADER_SIZE as u64;
    if more {
        c.s("[");
    }
    c.s("{prefix=");
    print::quote(c.out, b"libudev", c.style.hex, b"", true);
    // The magic and the hashes are in network order.
    let htonl = |c: &mut Ctx, name: &str, at: usize| {
        let _ = write!(
            c.out,
            ", {name}=htonl({})",
            CHex(u64::from(u32::from_be(u32_at(&b, at))))
        );
    };
    htonl(c, "magic", 8);
    let _ = write!(
        c.out,
        ", header_size={}, properties_off={}, properties_len={}",
        u32_at(&b, 12),
        u32_at(&b, 16),
        u32_at(&b, 20)
    );
    htonl(c, "filter_subsystem_hash", 24);
    htonl(c, "filter_devtype_hash", 28);
    htonl(c, "filter_tag_bloom_hi", 32);
    htonl(c, "filter_tag_bloom_lo", 36);
    c.s("}");
    if more {
        c.s(", ");
        c.buf(addr + HEADER_SIZE as u64, len - HEADER_SIZE as u64);
        c.s("]");
    }
}
