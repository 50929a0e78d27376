//! NETLINK_SOCK_DIAG messages (strace's netlink_sock_diag.c and netlink_*_diag.c): the
//! request and reply of each socket family.

use super::netlink::{self, NlMsgHdr};
use super::print::Ctx;
use crate::xlat;

const NLMSG_DONE: u16 = 3;

/// strace's decode_netlink_sock_diag: the message after its header; false for NLMSG_DONE.
pub(crate) fn decode(c: &mut Ctx, h: &NlMsgHdr, addr: u64, len: u32) -> bool {
    if h.kind == NLMSG_DONE {
        return false;
    }
    let Some(family) = netlink::read_family(c, addr) else {
        return true;
    };
    netlink::family_and_data(c, family, addr, len);
    true
}

// strace's src/xlat/nl_sock_diag_types.in (linux/inet_diag.h, linux/sock_diag.h).
xlat::xlat!(pub(crate) TYPES, "SOCK_DIAG_???", [
    18 => "TCPDIAG_GETSOCK", 19 => "DCCPDIAG_GETSOCK", 20 => "SOCK_DIAG_BY_FAMILY",
    21 => "SOCK_DESTROY",
]);
