//! NETLINK_ROUTE messages (strace's netlink_route.c and rtnl_*.c): the `RTM_*` types, their
//! flags, and the fixed part and attributes of each message type.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, attr_struct};
use super::nlmsg::{
    self, NETLINK_DELETE_FLAGS, NETLINK_GET_FLAGS, NETLINK_NEW_FLAGS, NLMSG_DONE, NlMsgHdr,
    family_only, fixed_part,
};
use super::print::Ctx;
use super::sockaddr::ifindex;
use super::structs::{u16_at, u32_at};
use crate::xlat::{self, Xlat};

const RTM_DELACTION: u16 = 49;

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

/// The decoder of a message's fixed part and attributes: family, address and length.
type Decoder = fn(&mut Ctx, u8, u64, u32);

/// strace's route_decoders, by message type.
fn decoder(kind: u16) -> Option<Decoder> {
    Some(match kind {
        16..=19 => super::rtnl_link::ifinfomsg,
        20..=22 | 58 | 62 => ifaddrmsg,
        24..=26 => rtmsg,
        28 | 29 => ndmsg,
        30 => rtm_getneigh,
        32..=34 => fib_rule_hdr,
        36..=46 | 100..=102 => super::rtnl_tc::tcmsg,
        48..=50 => super::rtnl_tc::tcamsg,
        72..=74 => ifaddrlblmsg,
        78 | 79 => dcbmsg,
        80..=82 => netconfmsg,
        88..=90 => nsid,
        _ => return None,
    })
}

/// strace's decode_netlink_route: the message after its header; false for NLMSG_DONE.
pub(crate) fn decode(c: &mut Ctx, h: &NlMsgHdr, addr: u64, len: u32) -> bool {
    if h.kind == NLMSG_DONE {
        return false;
    }
    let Some(family) = nlmsg::read_family(c, addr) else {
        return true;
    };
    match decoder(h.kind) {
        Some(decoder) => decoder(c, family, addr, len),
        None => nlmsg::family_and_data(c, family, addr, len),
    }
    true
}

fn ifaddrmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        let _ = write!(c.out, "ifa_prefixlen={}, ifa_flags=", b[1]);
        c.flags(u64::from(b[2]), &IFADDR_FLAGS);
        c.s(", ifa_scope=");
        c.xval(u64::from(b[3]), &ROUTING_SCOPES);
        c.s(", ifa_index=");
        ifindex(c, u32_at(b, 4));
    };
    let attrs = (&ADDR_ATTR_TABLE, u64::from(family));
    fixed_part(c, "ifa_family", (family, addr, len), 8, fields, Some(attrs));
}

const ADDR_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &ADDR_ATTRS,
    &[
        Nla::Hex,
        Nla::InetAddr,
        Nla::InetAddr,
        Nla::Str,
        Nla::InetAddr,
        Nla::InetAddr,
        Nla::Custom(ifa_cacheinfo),
        Nla::InetAddr,
        Nla::FlagsU32(&IFADDR_FLAGS),
        Nla::U32,
        Nla::S32,
    ],
);

fn ifa_cacheinfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<16>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{ifa_prefered={}, ifa_valid={}, cstamp={}, tstamp={}}}",
            u32_at(b, 0),
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12)
        );
    })
}

fn ifaddrlblmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        let _ = write!(
            c.out,
            "ifal_prefixlen={}, ifal_flags={}, ifal_index=",
            b[1], b[2]
        );
        ifindex(c, u32_at(b, 4));
        let _ = write!(c.out, ", ifal_seq={}", u32_at(b, 8));
    };
    let attrs = (&ADDRLABEL_ATTR_TABLE, u64::from(family));
    fixed_part(
        c,
        "ifal_family",
        (family, addr, len),
        12,
        fields,
        Some(attrs),
    );
}

const ADDRLABEL_ATTR_TABLE: NlaTable =
    NlaTable::indexed(&ADDRLABEL_ATTRS, &[Nla::Hex, Nla::InetAddr, Nla::U32]);

fn netconfmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    family_only(c, "ncm_family", (family, addr, len), &NETCONF_ATTR_TABLE);
}

const NETCONF_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &NETCONF_ATTRS,
    &[
        Nla::Hex,
        Nla::Ifindex,
        Nla::S32,
        Nla::S32,
        Nla::S32,
        Nla::S32,
        Nla::S32,
        Nla::S32,
        Nla::S32,
    ],
);

fn nsid(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    family_only(c, "rtgen_family", (family, addr, len), &NSID_ATTR_TABLE);
}

const NSID_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &NSID_ATTRS,
    &[Nla::Hex, Nla::S32, Nla::U32, Nla::Fd, Nla::S32, Nla::S32],
);

fn dcbmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("cmd=");
        c.xval(u64::from(b[1]), &DCB_COMMANDS);
    };
    let attrs = (&DCB_ATTR_TABLE, 0);
    fixed_part(c, "dcb_family", (family, addr, len), 4, fields, Some(attrs));
}

const DCB_ATTR_TABLE: NlaTable = NlaTable::names(&DCB_ATTRS);

fn fib_rule_hdr(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        let _ = write!(c.out, "dst_len={}, src_len={}, tos=", b[1], b[2]);
        c.flags(u64::from(b[3]), &IP_TYPE_OF_SERVICES);
        c.s(", table=");
        c.xval(u64::from(b[4]), &ROUTING_TABLE_IDS_RULE);
        c.s(", action=");
        c.xval(u64::from(b[7]), &FIB_RULE_ACTIONS);
        c.s(", flags=");
        c.flags(u64::from(u32_at(b, 8)), &FIB_RULE_FLAGS);
    };
    let attrs = (&RULE_ATTR_TABLE, u64::from(family));
    fixed_part(c, "family", (family, addr, len), 12, fields, Some(attrs));
}

/// fib_rule_hdr's table names unknown ids as `RT_TABLE_???`, unlike rtmsg's.
const ROUTING_TABLE_IDS_RULE: Xlat = Xlat {
    entries: ROUTING_TABLE_IDS.entries,
    unknown: "RT_TABLE_???",
};

const RULE_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &RULE_ATTRS,
    &[
        Nla::Hex,
        Nla::InetAddr,
        Nla::InetAddr,
        Nla::Str,
        Nla::U32,
        Nla::Hex,
        Nla::U32,
        Nla::Hex,
        Nla::Hex,
        Nla::Hex,
        Nla::U32,
        Nla::U32,
        Nla::Be64,
        Nla::U32,
        Nla::U32,
        Nla::Custom(rt_class),
        Nla::U32,
        Nla::Str,
        Nla::Hex,
        Nla::U8,
        Nla::Custom(u32_range),
        Nla::Custom(rt_proto),
        Nla::IpProto,
        Nla::Custom(u16_range),
        Nla::Custom(u16_range),
    ],
);

/// `struct fib_rule_uid_range`.
fn u32_range(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<8>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{start={}, end={}}}", u32_at(b, 0), u32_at(b, 4));
    })
}

/// `struct fib_rule_port_range`.
fn u16_range(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<4>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{start={}, end={}}}", u16_at(b, 0), u16_at(b, 2));
    })
}

/// strace's decode_nla_rt_class: a routing table id.
pub(crate) fn rt_class(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<4>(c, addr, len, |c, b| {
        c.xval(u64::from(u32_at(b, 0)), &ROUTING_TABLE_IDS)
    })
}

/// strace's decode_nla_rt_proto: a routing protocol.
pub(crate) fn rt_proto(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<1>(c, addr, len, |c, b| {
        c.xval(u64::from(b[0]), &ROUTING_PROTOCOLS)
    })
}

fn rtmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        let _ = write!(
            c.out,
            "rtm_dst_len={}, rtm_src_len={}, rtm_tos=",
            b[1], b[2]
        );
        c.flags(u64::from(b[3]), &IP_TYPE_OF_SERVICES);
        c.s(", rtm_table=");
        c.xval(u64::from(b[4]), &ROUTING_TABLE_IDS);
        c.s(", rtm_protocol=");
        c.xval(u64::from(b[5]), &ROUTING_PROTOCOLS);
        c.s(", rtm_scope=");
        c.xval(u64::from(b[6]), &ROUTING_SCOPES);
        c.s(", rtm_type=");
        c.xval(u64::from(b[7]), &ROUTING_TYPES);
        c.s(", rtm_flags=");
        c.flags(u64::from(u32_at(b, 8)), &ROUTING_FLAGS);
    };
    let attrs = (&ROUTE_ATTR_TABLE, u64::from(family));
    fixed_part(
        c,
        "rtm_family",
        (family, addr, len),
        12,
        fields,
        Some(attrs),
    );
}

const ROUTE_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &ROUTE_ATTRS,
    &[
        Nla::Hex,
        Nla::InetAddr,
        Nla::InetAddr,
        Nla::Ifindex,
        Nla::Ifindex,
        Nla::InetAddr,
        Nla::U32,
        Nla::InetAddr,
        Nla::Nested(&RTA_METRICS_TABLE),
        Nla::Custom(rta_multipath),
        Nla::U32,
        Nla::U32,
        Nla::Custom(rta_cacheinfo),
        Nla::Hex,
        Nla::U32,
        Nla::Custom(rt_class),
        Nla::U32,
        Nla::Custom(rta_mfc_stats),
        Nla::Custom(rtvia),
        Nla::InetAddr,
        Nla::U8,
        Nla::Custom(lwt_encap_type),
        Nla::Hex,
        Nla::U64,
        Nla::Hex,
        Nla::U32,
        Nla::U8,
        Nla::U8,
        Nla::U16,
        Nla::U16,
    ],
);

const RTA_METRICS_TABLE: NlaTable = NlaTable::indexed(
    &RTA_METRICS_ATTRS,
    &[
        Nla::Hex,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::Str,
    ],
);

fn rta_cacheinfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<32>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{rta_clntref={}, rta_lastuse={}, rta_expires={}, rta_error={}, rta_used={}, \
             rta_id={:#x}, rta_ts={}, rta_tsage={}}}",
            u32_at(b, 0),
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16),
            u32_at(b, 20),
            u32_at(b, 24),
            u32_at(b, 28)
        );
    })
}

fn rta_mfc_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<24>(c, addr, len, |c, b| {
        let u64_at = super::structs::u64_at;
        let _ = write!(
            c.out,
            "{{mfcs_packets={}, mfcs_bytes={}, mfcs_wrong_if={}}}",
            u64_at(b, 0),
            u64_at(b, 8),
            u64_at(b, 16)
        );
    })
}

/// `struct rtvia`: a family and an address of it.
fn rtvia(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<2>(c, addr, len, |c, b| {
        let family = u16_at(b, 0);
        c.s("{rtvia_family=");
        c.xval(u64::from(family), &xlat::ADDRESS_FAMILIES);
        if len > 2 {
            c.s(", ");
            nlattr::inet_addr(c, addr + 2, len - 2, u64::from(family), Some("rtvia_addr"));
        }
        c.s("}");
    })
}

/// strace's decode_nla_lwt_encap_type.
pub(crate) fn lwt_encap_type(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<2>(c, addr, len, |c, b| {
        c.xval(u64::from(u16_at(b, 0)), &LWTUNNEL_ENCAP_TYPES)
    })
}

/// `struct rtnexthop`s, each with its route attributes (strace's decode_rta_multipath).
fn rta_multipath(c: &mut Ctx, addr: u64, len: u32, family: u64) -> bool {
    const SIZE: u64 = 8;
    if u64::from(len) < SIZE {
        return false;
    }
    let (mut at, mut left) = (addr, u64::from(len));
    let mut in_array = false;
    loop {
        let mut b = [0u8; SIZE as usize];
        if !c.read_exact(at, &mut b) {
            c.ptr(at);
            break;
        }
        let rtnh_len = u64::from(u16_at(&b, 0));
        let shown = left.min(rtnh_len);
        if at == addr && rtnh_len < u64::from(len) {
            c.s("[");
            in_array = true;
        }
        if at > addr {
            c.s(", ");
        }
        if shown > SIZE {
            c.s("[");
        }
        let _ = write!(c.out, "{{rtnh_len={rtnh_len}, rtnh_flags=");
        c.flags(u64::from(b[2]), &ROUTE_NEXTHOP_FLAGS);
        let _ = write!(c.out, ", rtnh_hops={}, rtnh_ifindex=", b[3]);
        ifindex(c, u32_at(&b, 4));
        c.s("}");
        if shown > SIZE {
            c.s(", ");
            nlattr::decode(
                c,
                at + SIZE,
                (shown - SIZE) as u32,
                &ROUTE_ATTR_TABLE,
                family,
            );
            c.s("]");
        }
        let step = (shown + 3) & !3;
        if step >= left || c.over_budget() {
            break;
        }
        at += step;
        left -= step;
    }
    if in_array {
        c.s("]");
    }
    true
}

/// RTM_GETNEIGH asks AF_BRIDGE for links, other families for neighbours.
fn rtm_getneigh(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    const AF_BRIDGE: u8 = 7;
    if family == AF_BRIDGE {
        super::rtnl_link::ifinfomsg(c, family, addr, len);
    } else {
        ndmsg(c, family, addr, len);
    }
}

fn ndmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("ndm_ifindex=");
        ifindex(c, u32_at(b, 4));
        c.s(", ndm_state=");
        c.flags(u64::from(u16_at(b, 8)), &NEIGH_STATES);
        c.s(", ndm_flags=");
        c.flags(u64::from(b[10]), &NEIGH_FLAGS);
        c.s(", ndm_type=");
        c.xval(u64::from(b[11]), &ROUTING_TYPES);
    };
    let attrs = (&NEIGH_ATTR_TABLE, u64::from(family));
    fixed_part(
        c,
        "ndm_family",
        (family, addr, len),
        12,
        fields,
        Some(attrs),
    );
}

const NEIGH_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &NEIGH_ATTRS,
    &[
        Nla::Hex,
        Nla::InetAddr,
        Nla::Hwaddr,
        Nla::Custom(nda_cacheinfo),
        Nla::U32,
        Nla::U16,
        Nla::Be16,
        Nla::U32,
        Nla::Ifindex,
        Nla::Ifindex,
        Nla::U32,
        Nla::U32,
        Nla::IpProto,
        Nla::U32,
        Nla::Nested(&NEIGH_FDB_EXT_TABLE),
        Nla::Flags(&NEIGH_EXT_FLAGS, 4),
        Nla::Flags(&NEIGH_STATES, 2),
        Nla::Flags(&NEIGH_FLAGS, 1),
    ],
);

const NEIGH_FDB_EXT_TABLE: NlaTable = NlaTable::indexed(
    &NEIGH_FDB_EXT_ATTRS,
    &[Nla::Hex, Nla::Flags(&FDB_NOTIFY_FLAGS, 1)],
);

fn nda_cacheinfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<16>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{ndm_confirmed={}, ndm_used={}, ndm_updated={}, ndm_refcnt={}}}",
            u32_at(b, 0),
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12)
        );
    })
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

// strace's src/xlat/*.in for NETLINK_ROUTE (linux/rtnetlink.h, linux/if_addr.h,
// linux/fib_rules.h, linux/neighbour.h, linux/lwtunnel.h, linux/dcbnl.h).
xlat::xlat!(pub(crate) ROUTING_SCOPES, "", [
    0 => "RT_SCOPE_UNIVERSE", 200 => "RT_SCOPE_SITE", 253 => "RT_SCOPE_LINK",
    254 => "RT_SCOPE_HOST", 255 => "RT_SCOPE_NOWHERE",
]);

xlat::xlat!(IFADDR_FLAGS, "IFA_F_???", [
    0x1 => "IFA_F_SECONDARY", 0x2 => "IFA_F_NODAD", 0x4 => "IFA_F_OPTIMISTIC",
    0x8 => "IFA_F_DADFAILED", 0x10 => "IFA_F_HOMEADDRESS", 0x20 => "IFA_F_DEPRECATED",
    0x40 => "IFA_F_TENTATIVE", 0x80 => "IFA_F_PERMANENT", 0x100 => "IFA_F_MANAGETEMPADDR",
    0x200 => "IFA_F_NOPREFIXROUTE", 0x400 => "IFA_F_MCAUTOJOIN", 0x800 => "IFA_F_STABLE_PRIVACY",
]);

xlat::xlat!(ADDR_ATTRS, "IFA_???", [
    0 => "IFA_UNSPEC", 1 => "IFA_ADDRESS", 2 => "IFA_LOCAL", 3 => "IFA_LABEL",
    4 => "IFA_BROADCAST", 5 => "IFA_ANYCAST", 6 => "IFA_CACHEINFO", 7 => "IFA_MULTICAST",
    8 => "IFA_FLAGS", 9 => "IFA_RT_PRIORITY", 10 => "IFA_TARGET_NETNSID", 11 => "IFA_PROTO",
]);

xlat::xlat!(ADDRLABEL_ATTRS, "IFAL_???", [
    0 => "IFAL_UNSPEC", 1 => "IFAL_ADDRESS", 2 => "IFAL_LABEL",
]);

xlat::xlat!(NETCONF_ATTRS, "NETCONFA_???", [
    0 => "NETCONFA_UNSPEC", 1 => "NETCONFA_IFINDEX", 2 => "NETCONFA_FORWARDING",
    3 => "NETCONFA_RP_FILTER", 4 => "NETCONFA_MC_FORWARDING", 5 => "NETCONFA_PROXY_NEIGH",
    6 => "NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN", 7 => "NETCONFA_INPUT",
    8 => "NETCONFA_BC_FORWARDING",
]);

xlat::xlat!(NSID_ATTRS, "NETNSA_???", [
    0 => "NETNSA_NONE", 1 => "NETNSA_NSID", 2 => "NETNSA_PID", 3 => "NETNSA_FD",
    4 => "NETNSA_TARGET_NSID", 5 => "NETNSA_CURRENT_NSID",
]);

xlat::xlat!(RULE_ATTRS, "FRA_???", [
    0 => "FRA_UNSPEC", 1 => "FRA_DST", 2 => "FRA_SRC", 3 => "FRA_IIFNAME", 4 => "FRA_GOTO",
    5 => "FRA_UNUSED2", 6 => "FRA_PRIORITY", 7 => "FRA_UNUSED3", 8 => "FRA_UNUSED4",
    9 => "FRA_UNUSED5", 10 => "FRA_FWMARK", 11 => "FRA_FLOW", 12 => "FRA_TUN_ID",
    13 => "FRA_SUPPRESS_IFGROUP", 14 => "FRA_SUPPRESS_PREFIXLEN", 15 => "FRA_TABLE",
    16 => "FRA_FWMASK", 17 => "FRA_OIFNAME", 18 => "FRA_PAD", 19 => "FRA_L3MDEV",
    20 => "FRA_UID_RANGE", 21 => "FRA_PROTOCOL", 22 => "FRA_IP_PROTO", 23 => "FRA_SPORT_RANGE",
    24 => "FRA_DPORT_RANGE",
]);

xlat::xlat!(DCB_ATTRS, "DCB_ATTR_???", [
    0 => "DCB_ATTR_UNDEFINED", 1 => "DCB_ATTR_IFNAME", 2 => "DCB_ATTR_STATE",
    3 => "DCB_ATTR_PFC_STATE", 4 => "DCB_ATTR_PFC_CFG", 5 => "DCB_ATTR_NUM_TC",
    6 => "DCB_ATTR_PG_CFG", 7 => "DCB_ATTR_SET_ALL", 8 => "DCB_ATTR_PERM_HWADDR",
    9 => "DCB_ATTR_CAP", 10 => "DCB_ATTR_NUMTCS", 11 => "DCB_ATTR_BCN", 12 => "DCB_ATTR_APP",
    13 => "DCB_ATTR_IEEE", 14 => "DCB_ATTR_DCBX", 15 => "DCB_ATTR_FEATCFG", 16 => "DCB_ATTR_CEE",
]);

xlat::xlat!(DCB_COMMANDS, "DCB_CMD_???", [
    0 => "DCB_CMD_UNDEFINED", 1 => "DCB_CMD_GSTATE", 2 => "DCB_CMD_SSTATE",
    3 => "DCB_CMD_PGTX_GCFG", 4 => "DCB_CMD_PGTX_SCFG", 5 => "DCB_CMD_PGRX_GCFG",
    6 => "DCB_CMD_PGRX_SCFG", 7 => "DCB_CMD_PFC_GCFG", 8 => "DCB_CMD_PFC_SCFG",
    9 => "DCB_CMD_SET_ALL", 10 => "DCB_CMD_GPERM_HWADDR", 11 => "DCB_CMD_GCAP",
    12 => "DCB_CMD_GNUMTCS", 13 => "DCB_CMD_SNUMTCS", 14 => "DCB_CMD_PFC_GSTATE",
    15 => "DCB_CMD_PFC_SSTATE", 16 => "DCB_CMD_BCN_GCFG", 17 => "DCB_CMD_BCN_SCFG",
    18 => "DCB_CMD_GAPP", 19 => "DCB_CMD_SAPP", 20 => "DCB_CMD_IEEE_SET",
    21 => "DCB_CMD_IEEE_GET", 22 => "DCB_CMD_GDCBX", 23 => "DCB_CMD_SDCBX",
    24 => "DCB_CMD_GFEATCFG", 25 => "DCB_CMD_SFEATCFG", 26 => "DCB_CMD_CEE_GET",
    27 => "DCB_CMD_IEEE_DEL",
]);

xlat::xlat!(IP_TYPE_OF_SERVICES, "IPTOS_TOS_???", [
    0x10 => "IPTOS_LOWDELAY", 0x8 => "IPTOS_THROUGHPUT", 0x4 => "IPTOS_RELIABILITY",
    0x2 => "IPTOS_MINCOST",
]);

xlat::xlat!(pub(crate) ROUTING_TABLE_IDS, "", [
    0 => "RT_TABLE_UNSPEC", 252 => "RT_TABLE_COMPAT", 253 => "RT_TABLE_DEFAULT",
    254 => "RT_TABLE_MAIN", 255 => "RT_TABLE_LOCAL",
]);

xlat::xlat!(FIB_RULE_ACTIONS, "FR_ACT_???", [
    0 => "FR_ACT_UNSPEC", 1 => "FR_ACT_TO_TBL", 2 => "FR_ACT_GOTO", 3 => "FR_ACT_NOP",
    4 => "FR_ACT_RES3", 5 => "FR_ACT_RES4", 6 => "FR_ACT_BLACKHOLE", 7 => "FR_ACT_UNREACHABLE",
    8 => "FR_ACT_PROHIBIT",
]);

xlat::xlat!(FIB_RULE_FLAGS, "FIB_RULE_???", [
    0x1 => "FIB_RULE_PERMANENT", 0x2 => "FIB_RULE_INVERT", 0x4 => "FIB_RULE_UNRESOLVED",
    0x8 => "FIB_RULE_IIF_DETACHED", 0x10 => "FIB_RULE_OIF_DETACHED",
    0x10000 => "FIB_RULE_FIND_SADDR",
]);

xlat::xlat!(pub(crate) ROUTING_PROTOCOLS, "RTPROT_???", [
    0 => "RTPROT_UNSPEC", 1 => "RTPROT_REDIRECT", 2 => "RTPROT_KERNEL", 3 => "RTPROT_BOOT",
    4 => "RTPROT_STATIC", 8 => "RTPROT_GATED", 9 => "RTPROT_RA", 10 => "RTPROT_MRT",
    11 => "RTPROT_ZEBRA", 12 => "RTPROT_BIRD", 13 => "RTPROT_DNROUTED", 14 => "RTPROT_XORP",
    15 => "RTPROT_NTK", 16 => "RTPROT_DHCP", 17 => "RTPROT_MROUTED", 18 => "RTPROT_KEEPALIVED",
    42 => "RTPROT_BABEL", 99 => "RTPROT_OPENR", 186 => "RTPROT_BGP", 187 => "RTPROT_ISIS",
    188 => "RTPROT_OSPF", 189 => "RTPROT_RIP", 192 => "RTPROT_EIGRP",
]);

xlat::xlat!(pub(crate) ROUTING_TYPES, "RTN_???", [
    0 => "RTN_UNSPEC", 1 => "RTN_UNICAST", 2 => "RTN_LOCAL", 3 => "RTN_BROADCAST",
    4 => "RTN_ANYCAST", 5 => "RTN_MULTICAST", 6 => "RTN_BLACKHOLE", 7 => "RTN_UNREACHABLE",
    8 => "RTN_PROHIBIT", 9 => "RTN_THROW", 10 => "RTN_NAT", 11 => "RTN_XRESOLVE",
]);

xlat::xlat!(pub(crate) ROUTE_NEXTHOP_FLAGS, "RTNH_F_???", [
    0x1 => "RTNH_F_DEAD", 0x2 => "RTNH_F_PERVASIVE", 0x4 => "RTNH_F_ONLINK",
    0x8 => "RTNH_F_OFFLOAD", 0x10 => "RTNH_F_LINKDOWN", 0x20 => "RTNH_F_UNRESOLVED",
    0x40 => "RTNH_F_TRAP",
]);

xlat::xlat!(ROUTE_ATTRS, "RTA_???", [
    0 => "RTA_UNSPEC", 1 => "RTA_DST", 2 => "RTA_SRC", 3 => "RTA_IIF", 4 => "RTA_OIF",
    5 => "RTA_GATEWAY", 6 => "RTA_PRIORITY", 7 => "RTA_PREFSRC", 8 => "RTA_METRICS",
    9 => "RTA_MULTIPATH", 10 => "RTA_PROTOINFO", 11 => "RTA_FLOW", 12 => "RTA_CACHEINFO",
    13 => "RTA_SESSION", 14 => "RTA_MP_ALGO", 15 => "RTA_TABLE", 16 => "RTA_MARK",
    17 => "RTA_MFC_STATS", 18 => "RTA_VIA", 19 => "RTA_NEWDST", 20 => "RTA_PREF",
    21 => "RTA_ENCAP_TYPE", 22 => "RTA_ENCAP", 23 => "RTA_EXPIRES", 24 => "RTA_PAD",
    25 => "RTA_UID", 26 => "RTA_TTL_PROPAGATE", 27 => "RTA_IP_PROTO", 28 => "RTA_SPORT",
    29 => "RTA_DPORT", 30 => "RTA_NH_ID",
]);

xlat::xlat!(RTA_METRICS_ATTRS, "RTAX_???", [
    0 => "RTAX_UNSPEC", 1 => "RTAX_LOCK", 2 => "RTAX_MTU", 3 => "RTAX_WINDOW", 4 => "RTAX_RTT",
    5 => "RTAX_RTTVAR", 6 => "RTAX_SSTHRESH", 7 => "RTAX_CWND", 8 => "RTAX_ADVMSS",
    9 => "RTAX_REORDERING", 10 => "RTAX_HOPLIMIT", 11 => "RTAX_INITCWND", 12 => "RTAX_FEATURES",
    13 => "RTAX_RTO_MIN", 14 => "RTAX_INITRWND", 15 => "RTAX_QUICKACK", 16 => "RTAX_CC_ALGO",
    17 => "RTAX_FASTOPEN_NO_COOKIE",
]);

xlat::xlat!(ROUTING_FLAGS, "RTM_F_???", [
    0x100 => "RTM_F_NOTIFY", 0x200 => "RTM_F_CLONED", 0x400 => "RTM_F_EQUALIZE",
    0x800 => "RTM_F_PREFIX", 0x1000 => "RTM_F_LOOKUP_TABLE", 0x2000 => "RTM_F_FIB_MATCH",
    0x4000 => "RTM_F_OFFLOAD", 0x8000 => "RTM_F_TRAP", 0x20000000 => "RTM_F_OFFLOAD_FAILED",
]);

xlat::xlat!(pub(crate) LWTUNNEL_ENCAP_TYPES, "LWTUNNEL_ENCAP_???", [
    0 => "LWTUNNEL_ENCAP_NONE", 1 => "LWTUNNEL_ENCAP_MPLS", 2 => "LWTUNNEL_ENCAP_IP",
    3 => "LWTUNNEL_ENCAP_ILA", 4 => "LWTUNNEL_ENCAP_IP6", 5 => "LWTUNNEL_ENCAP_SEG6",
    6 => "LWTUNNEL_ENCAP_BPF", 7 => "LWTUNNEL_ENCAP_SEG6_LOCAL", 8 => "LWTUNNEL_ENCAP_RPL",
]);

xlat::xlat!(pub(crate) NEIGH_STATES, "NUD_???", [
    0x0 => "NUD_NONE", 0x1 => "NUD_INCOMPLETE", 0x2 => "NUD_REACHABLE", 0x4 => "NUD_STALE",
    0x8 => "NUD_DELAY", 0x10 => "NUD_PROBE", 0x20 => "NUD_FAILED", 0x40 => "NUD_NOARP",
    0x80 => "NUD_PERMANENT",
]);

xlat::xlat!(pub(crate) NEIGH_FLAGS, "NTF_???", [
    0x1 => "NTF_USE", 0x2 => "NTF_SELF", 0x4 => "NTF_MASTER", 0x8 => "NTF_PROXY",
    0x10 => "NTF_EXT_LEARNED", 0x20 => "NTF_OFFLOADED", 0x40 => "NTF_STICKY",
    0x80 => "NTF_ROUTER",
]);

xlat::xlat!(NEIGH_EXT_FLAGS, "NTF_EXT_???", [
    0x1 => "NTF_EXT_MANAGED",
]);

xlat::xlat!(NEIGH_ATTRS, "NDA_???", [
    0 => "NDA_UNSPEC", 1 => "NDA_DST", 2 => "NDA_LLADDR", 3 => "NDA_CACHEINFO", 4 => "NDA_PROBES",
    5 => "NDA_VLAN", 6 => "NDA_PORT", 7 => "NDA_VNI", 8 => "NDA_IFINDEX", 9 => "NDA_MASTER",
    10 => "NDA_LINK_NETNSID", 11 => "NDA_SRC_VNI", 12 => "NDA_PROTOCOL", 13 => "NDA_NH_ID",
    14 => "NDA_FDB_EXT_ATTRS", 15 => "NDA_FLAGS_EXT", 16 => "NDA_NDM_STATE_MASK",
    17 => "NDA_NDM_FLAGS_MASK",
]);

xlat::xlat!(FDB_NOTIFY_FLAGS, "FDB_NOTIFY_???", [
    0x1 => "FDB_NOTIFY_BIT", 0x2 => "FDB_NOTIFY_INACTIVE_BIT",
]);

xlat::xlat!(NEIGH_FDB_EXT_ATTRS, "NFEA_???", [
    0 => "NFEA_UNSPEC", 1 => "NFEA_ACTIVITY_NOTIFY", 2 => "NFEA_DONT_REFRESH",
]);
