//! NETLINK_ROUTE messages (strace's netlink_route.c and rtnl_*.c): the `RTM_*` types, their
//! flags, and the fixed part and attributes of each message type.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, uint_struct};
use super::nlmsg::{
    self, NETLINK_DELETE_FLAGS, NETLINK_GET_FLAGS, NETLINK_NEW_FLAGS, NLMSG_DONE, NlMsgHdr,
    family_only, fixed_part,
};
use super::print::{self, Ctx};
use super::rtnl_route::{ROUTING_SCOPES, fib_rule_hdr, rtmsg};
use super::sockaddr::ifindex;
use super::structs::u32_at;
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
        28 | 29 => super::rtnl_neigh::ndmsg,
        30 => super::rtnl_neigh::rtm_getneigh,
        64 | 66 | 67 => super::rtnl_neigh::ndtmsg,
        84..=86 => super::rtnl_mdb::br_port_msg,
        32..=34 => fib_rule_hdr,
        36..=38 | 40..=42 | 44..=46 | 100..=102 => super::rtnl_tc::tcmsg,
        48..=50 => super::rtnl_tc::tcamsg,
        72..=74 => ifaddrlblmsg,
        78 | 79 => dcbmsg,
        80..=82 => netconfmsg,
        88..=90 => nsid,
        92 | 94 => super::rtnl_stats::ifstatsmsg,
        96 => cachereport,
        104..=106 => super::rtnl_nexthop::nhmsg,
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
    let names = ["ifa_prefered", "ifa_valid", "cstamp", "tstamp"];
    uint_struct(c, addr, len, 4, &names)
}

fn ifaddrlblmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    // struct ifaddrlblmsg: a reserved byte after the family.
    let fields = |c: &mut Ctx, b: &[u8]| {
        let _ = write!(
            c.out,
            "ifal_prefixlen={}, ifal_flags={}, ifal_index=",
            b[2], b[3]
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

/// RTM_NEWCACHEREPORT: a multicast routing family (or an address family), then the
/// report's attributes of that family.
fn cachereport(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    const RTNL_FAMILY_IPMR: u8 = 128;
    const RTNL_FAMILY_IP6MR: u8 = 129;
    c.s("{rtgen_family=");
    let name = [&RTNL_FAMILIES, &xlat::ADDRESS_FAMILIES]
        .iter()
        .find_map(|x| x.entries.iter().find(|e| e.0 == u64::from(family)))
        .map(|e| e.1);
    print::write_named(c.out, name, &RTNL_FAMILIES, |out| {
        print::write_hex(out, u64::from(family))
    });
    c.s("}");
    if len > 4 {
        c.s(", ");
        let (at, rest) = (addr + 4, len - 4);
        match family {
            RTNL_FAMILY_IPMR => nlattr::decode(c, at, rest, &IPMRA_CREPORT_TABLE, 0),
            RTNL_FAMILY_IP6MR => nlattr::decode(c, at, rest, &IP6MRA_CREPORT_TABLE, 0),
            _ => c.buf_hex(at, u64::from(rest)),
        }
    }
}

const IPMRA_CREPORT_TABLE: NlaTable = NlaTable::indexed(
    &IPMRA_CREPORT_ATTRS,
    &[
        Nla::Hex,
        Nla::Xval(&IPMRA_MSG_TYPES, 1),
        Nla::U32,
        Nla::InAddr,
        Nla::InAddr,
        Nla::Hex,
        Nla::U32,
    ],
);

const IP6MRA_CREPORT_TABLE: NlaTable = NlaTable::indexed(
    &IP6MRA_CREPORT_ATTRS,
    &[
        Nla::Hex,
        Nla::Xval(&IP6MRA_MSG_TYPES, 1),
        Nla::U32,
        Nla::In6Addr,
        Nla::In6Addr,
    ],
);

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

// strace's src/xlat/rtnl_family.in, rtnl_ip*mra_*.in (linux/rtnetlink.h, linux/mroute.h,
// linux/mroute6.h).
xlat::xlat!(RTNL_FAMILIES, "RTNL_FAMILY_???", [
    128 => "RTNL_FAMILY_IPMR", 129 => "RTNL_FAMILY_IP6MR",
]);

xlat::xlat!(IPMRA_MSG_TYPES, "IGMPMSG_???", [
    1 => "IGMPMSG_NOCACHE", 2 => "IGMPMSG_WRONGVIF", 3 => "IGMPMSG_WHOLEPKT",
    4 => "IGMPMSG_WRVIFWHOLE",
]);

xlat::xlat!(IP6MRA_MSG_TYPES, "MRT6MSG_???", [
    1 => "MRT6MSG_NOCACHE", 2 => "MRT6MSG_WRONGMIF", 3 => "MRT6MSG_WHOLEPKT",
]);

xlat::xlat!(IPMRA_CREPORT_ATTRS, "IPMRA_CREPORT_???", [
    0 => "IPMRA_CREPORT_UNSPEC", 1 => "IPMRA_CREPORT_MSGTYPE", 2 => "IPMRA_CREPORT_VIF_ID",
    3 => "IPMRA_CREPORT_SRC_ADDR", 4 => "IPMRA_CREPORT_DST_ADDR", 5 => "IPMRA_CREPORT_PKT",
    6 => "IPMRA_CREPORT_TABLE",
]);

xlat::xlat!(IP6MRA_CREPORT_ATTRS, "IP6MRA_CREPORT_???", [
    0 => "IP6MRA_CREPORT_UNSPEC", 1 => "IP6MRA_CREPORT_MSGTYPE", 2 => "IP6MRA_CREPORT_MIF_ID",
    3 => "IP6MRA_CREPORT_SRC_ADDR", 4 => "IP6MRA_CREPORT_DST_ADDR", 5 => "IP6MRA_CREPORT_PKT",
]);
