//! Netlink messages in socket buffers (strace's netlink.c): the `nlmsghdr` of each message
//! of a buffer, with its type and flags named by the socket's netlink protocol, `NLMSG_ERROR`
//! and `NLMSG_DONE` payloads, and the protocol's own payload decoder for the rest.
//!
//! Everything here reads the tracee's memory piece by piece as strace does: a buffer is
//! attacker-controlled, so each length is checked against what is left, a message shorter
//! than its header ends the walk, and without `-v` at most `-s` messages are shown.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, Walk};
use super::nlmsg::{NETLINK_GET_FLAGS, NLMSG_DONE, NLMSG_HDRLEN, NlMsgHdr};
use super::print::{self, Ctx};
use super::structs::u32_at;
use super::{
    PidKind, netlink_audit, netlink_kobject_uevent, netlink_netfilter, netlink_route,
    netlink_selinux, netlink_sock_diag, netlink_xfrm,
};
use crate::xlat::{self, Xlat};

const NLMSG_ERROR: u16 = 2;
/// Types below this are the reserved control messages, the same in every protocol.
const NLMSG_MIN_TYPE: u16 = 0x10;
const NLM_F_CAPPED: u16 = 0x100;

pub(crate) const NETLINK_ROUTE: u8 = 0;
pub(crate) const NETLINK_SOCK_DIAG: u8 = 4;
const NETLINK_XFRM: u8 = 6;
const NETLINK_SELINUX: u8 = 7;
const NETLINK_AUDIT: u8 = 9;
const NETLINK_NETFILTER: u8 = 12;
const NETLINK_GENERIC: u8 = 16;

/// What an unnamed generic netlink family is called in comments.
const GENERIC_FAMILY_UNKNOWN: Xlat = Xlat {
    entries: &[],
    unknown: "GENERIC_FAMILY_???",
};

/// strace's decode_sockbuf: the data of a socket call on fd `fd`, decoded as netlink
/// messages when the fd is a netlink socket (and structures are shown at all), else as a
/// string.
pub(crate) fn sockbuf(c: &mut Ctx, fd: u64, addr: u64, len: u64) {
    if c.style.dereference && c.fds.socket_protocol(fd as i32).as_deref() == Some("NETLINK") {
        decode(c, fd, addr, len);
    } else {
        c.buf(addr, len);
    }
}

/// strace's decode_netlink: `len` bytes at `addr` sent or received on netlink socket `fd`.
pub(crate) fn decode(c: &mut Ctx, fd: u64, addr: u64, len: u64) {
    let family = c.fds.netlink_protocol(fd as i32);
    if family == Some(NETLINK_KOBJECT_UEVENT) {
        netlink_kobject_uevent::decode(c, addr, len);
        return;
    }
    let mut walk = Walk::new(addr, len);
    while let Some(header) = walk.fetch(c, NLMSG_HDRLEN, |c, at| {
        let mut b = [0u8; 16];
        c.read_exact(at, &mut b).then(|| NlMsgHdr::parse(&b))
    }) {
        if walk.at_limit(c) {
            break;
        }
        let (at, left) = walk.position();
        walk.advance(c, u64::from(header.len), NLMSG_HDRLEN);
        with_payload(c, family, &header, at, left);
        if !walk.next(c) {
            break;
        }
    }
    walk.finish(c);
}

const NETLINK_KOBJECT_UEVENT: u8 = 15;

/// strace's decode_nlmsghdr_with_payload: the header, then the payload the smaller of its
/// length and `len` covers, as `[{header}, payload]`.
fn with_payload(c: &mut Ctx, family: Option<u8>, header: &NlMsgHdr, addr: u64, len: u64) {
    let nlmsg_len = u64::from(header.len).min(len) as u32;
    let has_payload = nlmsg_len > NLMSG_HDRLEN;
    if has_payload {
        c.s("[");
    }
    nlmsghdr(c, family, header);
    if has_payload {
        c.s(", ");
        payload(
            c,
            family,
            header,
            addr + u64::from(NLMSG_HDRLEN),
            nlmsg_len - NLMSG_HDRLEN,
        );
        c.s("]");
    }
}

fn nlmsghdr(c: &mut Ctx, family: Option<u8>, h: &NlMsgHdr) {
    let _ = write!(c.out, "{{nlmsg_len={}, nlmsg_type=", h.len);
    nlmsg_type(c, h.kind, family);
    c.s(", nlmsg_flags=");
    let extra = if h.kind < NLMSG_MIN_TYPE {
        (h.kind == NLMSG_ERROR).then_some(&NETLINK_ACK_FLAGS)
    } else {
        family.and_then(|f| flags_table(f, h.kind))
    };
    let flags = u64::from(h.flags);
    match extra {
        Some(extra) => print::write_flags_in(c.out, flags, &[&NETLINK_FLAGS, extra], "NLM_F_???"),
        None => c.flags(flags, &NETLINK_FLAGS),
    }
    let _ = write!(c.out, ", nlmsg_seq={}, nlmsg_pid=", h.seq);
    c.pid(u64::from(h.pid), PidKind::Tgid);
    c.s("}");
}

fn nlmsg_type(c: &mut Ctx, kind: u16, family: Option<u8>) {
    if family == Some(NETLINK_NETFILTER) && kind >= NLMSG_MIN_TYPE {
        netlink_netfilter::nlmsg_type(c, kind);
        return;
    }
    if family == Some(NETLINK_GENERIC) && kind >= NLMSG_MIN_TYPE {
        // strace's genl_families_xlat: the kernel's names, asked at run time.
        let name = c.fds.generic_netlink_family(kind);
        print::write_named(c.out, name.as_deref(), &GENERIC_FAMILY_UNKNOWN, |out| {
            print::write_hex(out, u64::from(kind))
        });
        return;
    }
    let table = match family {
        Some(family) if kind >= NLMSG_MIN_TYPE => types_table(family),
        _ => None,
    };
    c.xval(u64::from(kind), table.unwrap_or(&NETLINK_TYPES));
}

/// The message type names of a protocol (strace's nlmsg_types).
fn types_table(family: u8) -> Option<&'static Xlat> {
    match family {
        NETLINK_ROUTE => Some(&netlink_route::TYPES),
        NETLINK_SOCK_DIAG => Some(&netlink_sock_diag::TYPES),
        NETLINK_XFRM => Some(&netlink_xfrm::TYPES),
        NETLINK_SELINUX => Some(&netlink_selinux::TYPES),
        NETLINK_AUDIT => Some(&netlink_audit::TYPES),
        _ => None,
    }
}

/// The flags a message type adds to the common ones (strace's nlmsg_flags decoders).
fn flags_table(family: u8, kind: u16) -> Option<&'static Xlat> {
    match family {
        NETLINK_ROUTE => netlink_route::flags_table(kind),
        NETLINK_SOCK_DIAG => Some(&NETLINK_GET_FLAGS),
        NETLINK_NETFILTER => netlink_netfilter::flags_table(kind),
        NETLINK_XFRM => netlink_xfrm::flags_table(kind),
        _ => None,
    }
}

/// strace's decode_payload.
fn payload(c: &mut Ctx, family: Option<u8>, h: &NlMsgHdr, addr: u64, len: u32) {
    if h.kind == NLMSG_ERROR {
        nlmsgerr(c, family, addr, len, h.flags & NLM_F_CAPPED != 0);
        return;
    }
    // NLMSG_DONE payloads are usually one int, but some protocols put more there.
    if (h.kind >= NLMSG_MIN_TYPE || h.kind == NLMSG_DONE)
        && let Some(family) = family
        && family_payload(c, family, h, addr, len)
    {
        return;
    }
    if h.kind == NLMSG_DONE && len == 4 {
        if let Some(v) = c.read_u32(addr) {
            c.dec(i64::from(v as i32));
        } else {
            c.ptr(addr);
        }
        return;
    }
    c.buf_hex(addr, u64::from(len));
}

/// The protocol's own decoder; false when it has none for this message.
fn family_payload(c: &mut Ctx, family: u8, h: &NlMsgHdr, addr: u64, len: u32) -> bool {
    match family {
        NETLINK_ROUTE => netlink_route::decode(c, h, addr, len),
        NETLINK_SOCK_DIAG => netlink_sock_diag::decode(c, h, addr, len),
        NETLINK_NETFILTER => netlink_netfilter::decode(c, h, addr, len),
        NETLINK_SELINUX => netlink_selinux::decode(c, h, addr, len),
        _ => false,
    }
}

/// `struct nlmsgerr`: the error and the request it answers (only its header when the
/// kernel capped it), then the extended-ack attributes after it.
fn nlmsgerr(c: &mut Ctx, family: Option<u8>, addr: u64, len: u32, capped: bool) {
    const SIZE: u32 = 4 + NLMSG_HDRLEN;
    if len < SIZE {
        c.buf_hex(addr, u64::from(len));
        return;
    }
    let mut b = [0u8; SIZE as usize];
    if !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    let error = u32_at(&b, 0) as i32;
    let mut msg_header = [0u8; 16];
    msg_header.copy_from_slice(&b[4..]);
    let msg = NlMsgHdr::parse(&msg_header);
    let (addr, len) = (addr + 4, len - 4);
    // A request length shorter than its header is taken as the header's.
    let msg_len = msg.len.max(NLMSG_HDRLEN);
    let shown = len.min(if capped { NLMSG_HDRLEN } else { msg_len });
    if len > shown {
        c.s("[");
    }
    c.s("{error=");
    super::ioctl::negated_errno(c, i64::from(error));
    c.s(", msg=");
    with_payload(c, family, &msg, addr, u64::from(shown));
    c.s("}");
    if len > shown {
        c.s(", ");
        nlattr::decode(c, addr + u64::from(shown), len - shown, &NLMSGERR_ATTRS, 0);
        c.s("]");
    }
}

/// strace's nlmsgerr_nla_decoders.
const NLMSGERR_ATTRS: NlaTable = NlaTable::indexed(
    &NLMSGERR_ATTR_NAMES,
    &[Nla::Hex, Nla::Str, Nla::U32, Nla::U8Array],
);

xlat::xlat!(NLMSGERR_ATTR_NAMES, "NLMSGERR_ATTR_???", [
    0 => "NLMSGERR_ATTR_UNUSED", 1 => "NLMSGERR_ATTR_MSG", 2 => "NLMSGERR_ATTR_OFFS",
    3 => "NLMSGERR_ATTR_COOKIE", 4 => "NLMSGERR_ATTR_POLICY", 5 => "NLMSGERR_ATTR_MISS_TYPE",
    6 => "NLMSGERR_ATTR_MISS_NEST",
]);

// strace's src/xlat/netlink_*.in (linux/netlink.h).
xlat::xlat!(NETLINK_TYPES, "NLMSG_???", [
    1 => "NLMSG_NOOP", 2 => "NLMSG_ERROR", 3 => "NLMSG_DONE", 4 => "NLMSG_OVERRUN",
]);
xlat::xlat!(NETLINK_FLAGS, "NLM_F_???", [
    0x1 => "NLM_F_REQUEST", 0x2 => "NLM_F_MULTI", 0x4 => "NLM_F_ACK", 0x8 => "NLM_F_ECHO",
    0x10 => "NLM_F_DUMP_INTR", 0x20 => "NLM_F_DUMP_FILTERED",
]);
xlat::xlat!(NETLINK_ACK_FLAGS, "NLM_F_???", [
    0x100 => "NLM_F_CAPPED", 0x200 => "NLM_F_ACK_TLVS",
]);
