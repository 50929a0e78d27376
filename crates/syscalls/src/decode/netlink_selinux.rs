//! NETLINK_SELINUX messages (strace's netlink_selinux.c): the enforcing-mode and policy
//! load notifications.

use super::nlattr::attr_struct;
use super::nlmsg::NlMsgHdr;
use super::print::Ctx;
use super::structs::u32_at;
use crate::xlat;

const SELNL_MSG_SETENFORCE: u16 = 0x10;
const SELNL_MSG_POLICYLOAD: u16 = 0x11;

/// `struct selnl_msg_setenforce` or `selnl_msg_policyload`; false for other types.
pub(crate) fn decode(c: &mut Ctx, h: &NlMsgHdr, addr: u64, len: u32) -> bool {
    let (name, signed) = match h.kind {
        SELNL_MSG_SETENFORCE => ("val", true),
        SELNL_MSG_POLICYLOAD => ("seqno", false),
        _ => return false,
    };
    let shown = attr_struct::<4>(c, addr, len, |c, b| {
        let v = u32_at(b, 0);
        c.s("{");
        c.s(name);
        c.s("=");
        if signed {
            c.dec(i64::from(v as i32));
        } else {
            c.udec(u64::from(v));
        }
        c.s("}");
    });
    if !shown {
        c.buf_hex(addr, u64::from(len));
    }
    true
}

// strace's src/xlat/nl_selinux_types.in (linux/selinux_netlink.h).
xlat::xlat!(pub(crate) TYPES, "SELNL_MSG_???", [
    0x10 => "SELNL_MSG_SETENFORCE", 0x11 => "SELNL_MSG_POLICYLOAD",
]);
