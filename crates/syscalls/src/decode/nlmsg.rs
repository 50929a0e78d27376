//! What every netlink protocol's messages share (strace's netlink.h and the fixed-part
//! frames its protocol decoders repeat): the `nlmsghdr`, the request flag tables, and the
//! `{family=AF_X, ...}` fixed part before a message's attributes.

use std::fmt::Write;

use super::nlattr::{self, NlaTable};
use super::print::Ctx;
use super::structs::{u16_at, u32_at};
use crate::xlat;

/// `sizeof(struct nlmsghdr)`, already aligned.
pub(crate) const NLMSG_HDRLEN: u32 = 16;
/// The end of a multipart dump; protocols may put more than an int there.
pub(crate) const NLMSG_DONE: u16 = 3;

/// One `struct nlmsghdr`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NlMsgHdr {
    pub len: u32,
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
}

impl NlMsgHdr {
    pub(crate) fn parse(b: &[u8; 16]) -> NlMsgHdr {
        NlMsgHdr {
            len: u32_at(b, 0),
            kind: u16_at(b, 4),
            flags: u16_at(b, 6),
            seq: u32_at(b, 8),
            pid: u32_at(b, 12),
        }
    }
}

/// The first byte of a message, its address family (`umove_or_printaddr`).
pub(crate) fn read_family(c: &mut Ctx, addr: u64) -> Option<u8> {
    let mut b = [0u8; 1];
    if c.read_exact(addr, &mut b) {
        Some(b[0])
    } else {
        c.ptr(addr);
        None
    }
}

/// strace's decode_family: a message this decoder knows only the family of,
/// `{family=AF_INET, data="\x..."}`.
pub(crate) fn family_and_data(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    c.s("{family=");
    c.xval(u64::from(family), &xlat::ADDRESS_FAMILIES);
    if len > 1 {
        c.s(", data=");
        c.buf_hex(addr + 1, u64::from(len - 1));
    }
    c.s("}");
}

/// The fixed part every message of a protocol family starts with (strace's
/// `struct ifaddrmsg`, `unix_diag_msg`, ...): `{family_field=AF_X, ...}` where `fields`
/// prints the rest of the `size`-byte struct (given all of its bytes, the family first), `...`
/// when the message is shorter; then the attributes after the aligned struct, with their
/// context.
pub(crate) fn fixed_part(
    c: &mut Ctx,
    family_field: &str,
    (family, addr, len): (u8, u64, u32),
    size: usize,
    fields: impl FnOnce(&mut Ctx, &[u8]),
    attrs: Option<(&NlaTable, u64)>,
) {
    let _ = write!(c.out, "{{{family_field}=");
    c.xval(u64::from(family), &xlat::ADDRESS_FAMILIES);
    c.s(", ");
    let mut decoded = false;
    if len as usize >= size {
        let mut b = vec![0u8; size];
        b[0] = family;
        if c.read_exact(addr + 1, &mut b[1..]) {
            fields(c, &b);
            decoded = true;
        } else {
            c.ptr(addr + 1);
        }
    } else {
        c.s("...");
    }
    c.s("}");
    if decoded && let Some((table, ctx)) = attrs {
        attrs_after(c, addr, len, size as u32, table, ctx);
    }
}

/// A message whose fixed part is its family alone (`struct rtgenmsg`, `netconfmsg`), then
/// its attributes.
pub(crate) fn family_only(
    c: &mut Ctx,
    family_field: &str,
    (family, addr, len): (u8, u64, u32),
    table: &NlaTable,
) {
    let _ = write!(c.out, "{{{family_field}=");
    c.xval(u64::from(family), &xlat::ADDRESS_FAMILIES);
    c.s("}");
    attrs_after(c, addr, len, 1, table, 0);
}

/// `, attributes` after a `size`-byte fixed part (NLMSG_ALIGNed), if the message has more.
fn attrs_after(c: &mut Ctx, addr: u64, len: u32, size: u32, table: &NlaTable, ctx: u64) {
    let offset = (size + 3) & !3;
    if len > offset {
        c.s(", ");
        nlattr::decode(c, addr + u64::from(offset), len - offset, table, ctx);
    }
}

// strace's src/xlat/netlink_{get,new,delete}_flags.in (linux/netlink.h).
xlat::xlat!(pub(crate) NETLINK_GET_FLAGS, "NLM_F_???", [
    0x300 => "NLM_F_DUMP", 0x100 => "NLM_F_ROOT", 0x200 => "NLM_F_MATCH", 0x400 => "NLM_F_ATOMIC",
]);
xlat::xlat!(pub(crate) NETLINK_NEW_FLAGS, "NLM_F_???", [
    0x100 => "NLM_F_REPLACE", 0x200 => "NLM_F_EXCL", 0x400 => "NLM_F_CREATE", 0x800 => "NLM_F_APPEND",
]);
xlat::xlat!(pub(crate) NETLINK_DELETE_FLAGS, "NLM_F_???", [
    0x100 => "NLM_F_NONREC", 0x200 => "NLM_F_BULK",
]);
