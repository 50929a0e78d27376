//! NETLINK_XFRM message types and their request flags (strace's netlink.c,
//! nl_xfrm_types.in); the messages themselves strace does not decode.

use super::nlmsg::{NETLINK_DELETE_FLAGS, NETLINK_GET_FLAGS, NETLINK_NEW_FLAGS};
use crate::xlat::{self, Xlat};

/// strace's decode_nlmsg_flags_xfrm.
pub(crate) fn flags_table(kind: u16) -> Option<&'static Xlat> {
    match kind {
        // XFRM_MSG_NEWSA, NEWPOLICY, NEWAE, NEWSADINFO, NEWSPDINFO
        0x10 | 0x13 | 0x1e | 0x22 | 0x24 => Some(&NETLINK_NEW_FLAGS),
        // XFRM_MSG_DELSA, DELPOLICY
        0x11 | 0x14 => Some(&NETLINK_DELETE_FLAGS),
        // XFRM_MSG_GETSA, GETPOLICY, GETAE, GETSADINFO, GETSPDINFO
        0x12 | 0x15 | 0x1f | 0x23 | 0x25 => Some(&NETLINK_GET_FLAGS),
        _ => None,
    }
}

// strace's src/xlat/nl_xfrm_types.in (linux/xfrm.h).
xlat::xlat!(pub(crate) TYPES, "XFRM_MSG_???", [
    0x10 => "XFRM_MSG_NEWSA", 0x11 => "XFRM_MSG_DELSA", 0x12 => "XFRM_MSG_GETSA",
    0x13 => "XFRM_MSG_NEWPOLICY", 0x14 => "XFRM_MSG_DELPOLICY", 0x15 => "XFRM_MSG_GETPOLICY",
    0x16 => "XFRM_MSG_ALLOCSPI", 0x17 => "XFRM_MSG_ACQUIRE", 0x18 => "XFRM_MSG_EXPIRE",
    0x19 => "XFRM_MSG_UPDPOLICY", 0x1a => "XFRM_MSG_UPDSA", 0x1b => "XFRM_MSG_POLEXPIRE",
    0x1c => "XFRM_MSG_FLUSHSA", 0x1d => "XFRM_MSG_FLUSHPOLICY", 0x1e => "XFRM_MSG_NEWAE",
    0x1f => "XFRM_MSG_GETAE", 0x20 => "XFRM_MSG_REPORT", 0x21 => "XFRM_MSG_MIGRATE",
    0x22 => "XFRM_MSG_NEWSADINFO", 0x23 => "XFRM_MSG_GETSADINFO", 0x24 => "XFRM_MSG_NEWSPDINFO",
    0x25 => "XFRM_MSG_GETSPDINFO", 0x26 => "XFRM_MSG_MAPPING", 0x27 => "XFRM_MSG_SETDEFAULT",
    0x28 => "XFRM_MSG_GETDEFAULT",
]);
