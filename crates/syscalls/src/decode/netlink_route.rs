//! NETLINK_ROUTE messages (strace's netlink_route.c): the `RTM_*` types, their flags, and
//! the decoder of each message's fixed part and attributes.

use super::netlink::{self, NETLINK_DELETE_FLAGS, NETLINK_GET_FLAGS, NETLINK_NEW_FLAGS, NlMsgHdr};
use super::print::Ctx;
use crate::xlat::{self, Xlat};

const RTM_DELACTION: u16 = 49;
const NLMSG_DONE: u16 = 3;

/// The flags of a request type: the types come in fours (new, delete, get, set).
pub(crate) fn flags_table(kind: u16) -> Option<&'static Xlat> {
    // RTM_DELACTION takes NLM_F_ROOT.
    if kind == RTM_DELACTION {
        return Some(&NETLINK_GET_FLAGS);
    }
    match kind & 3 {
        0 => Some(&NETLINK_NEW_FLAGS),
        1 => Some(&NETLINK_DELETE_FLAGS),
        2 => Some(&NETLINK_GET_FLAGS),
        _ => None,
    }
}

/// strace's decode_netlink_route: the message after its header; false for NLMSG_DONE.
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

// strace's src/xlat/nl_route_types.in (linux/rtnetlink.h).
xlat::xlat!(pub(crate) TYPES, "RTM_???", [
    16 => "RTM_NEWLINK", 17 => "RTM_DELLINK", 18 => "RTM_GETLINK", 19 => "RTM_SETLINK",
    20 => "RTM_NEWADDR", 21 => "RTM_DELADDR", 22 => "RTM_GETADDR",
    24 => "RTM_NEWROUTE", 25 => "RTM_DELROUTE", 26 => "RTM_GETROUTE",
    28 => "RTM_NEWNEIGH", 29 => "RTM_DELNEIGH", 30 => "RTM_GETNEIGH",
    32 => "RTM_NEWRULE", 33 => "RTM_DELRULE", 34 => "RTM_GETRULE",
    36 => "RTM_NEWQDISC", 37 => "RTM_DELQDISC", 38 => "RTM_GETQDISC",
    40 => "RTM_NEWTCLASS", 41 => "RTM_DELTCLASS", 42 => "RTM_GETTCLASS",
    44 => "RTM_NEWTFILTER", 45 => "RTM_DELTFILTER", 46 => "RTM_GETTFILTER",
    48 => "RTM_NEWACTION", 49 => "RTM_DELACTION", 50 => "RTM_GETACTION",
    52 => "RTM_NEWPREFIX", 58 => "RTM_GETMULTICAST", 62 => "RTM_GETANYCAST",
    64 => "RTM_NEWNEIGHTBL", 66 => "RTM_GETNEIGHTBL", 67 => "RTM_SETNEIGHTBL",
    68 => "RTM_NEWNDUSEROPT",
    72 => "RTM_NEWADDRLABEL", 73 => "RTM_DELADDRLABEL", 74 => "RTM_GETADDRLABEL",
    78 => "RTM_GETDCB", 79 => "RTM_SETDCB",
    80 => "RTM_NEWNETCONF", 81 => "RTM_DELNETCONF", 82 => "RTM_GETNETCONF",
    84 => "RTM_NEWMDB", 85 => "RTM_DELMDB", 86 => "RTM_GETMDB",
    88 => "RTM_NEWNSID", 89 => "RTM_DELNSID", 90 => "RTM_GETNSID",
    92 => "RTM_NEWSTATS", 94 => "RTM_GETSTATS", 96 => "RTM_NEWCACHEREPORT",
    100 => "RTM_NEWCHAIN", 101 => "RTM_DELCHAIN", 102 => "RTM_GETCHAIN",
    104 => "RTM_NEWNEXTHOP", 105 => "RTM_DELNEXTHOP", 106 => "RTM_GETNEXTHOP",
    108 => "RTM_NEWLINKPROP", 109 => "RTM_DELLINKPROP", 110 => "RTM_GETLINKPROP",
    112 => "RTM_NEWVLAN", 113 => "RTM_DELVLAN", 114 => "RTM_GETVLAN",
    116 => "RTM_NEWNEXTHOPBUCKET", 117 => "RTM_DELNEXTHOPBUCKET", 118 => "RTM_GETNEXTHOPBUCKET",
]);
