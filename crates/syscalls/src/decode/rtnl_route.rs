//! NETLINK_ROUTE routes and rules (strace's rtnl_route.c and rtnl_rule.c): `struct rtmsg`,
//! `struct fib_rule_hdr`, their attributes, and the routing names other messages share.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, attr_struct, uint_struct};
use super::nlmsg::fixed_part;
use super::print::{CHex, Ctx};
use super::sockaddr::ifindex;
use super::structs::{u16_at, u32_at};
use crate::xlat::{self, Xlat};

pub(crate) fn fib_rule_hdr(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        route_head(c, "", b, &ROUTING_TABLE_IDS_RULE);
        c.s(", action=");
        c.xval(u64::from(b[7]), &FIB_RULE_ACTIONS);
        c.s(", flags=");
        c.flags(u64::from(u32_at(b, 8)), &FIB_RULE_FLAGS);
    };
    let attrs = (&RULE_ATTR_TABLE, u64::from(family));
    fixed_part(c, "family", (family, addr, len), 12, fields, Some(attrs));
}

/// What `struct rtmsg` and `struct fib_rule_hdr` (made to look like it) start with after
/// the family: prefix lengths, type of service, routing table.
fn route_head(c: &mut Ctx, prefix: &str, b: &[u8], table_ids: &Xlat) {
    let _ = write!(
        c.out,
        "{prefix}dst_len={}, {prefix}src_len={}, {prefix}tos=",
        b[1], b[2]
    );
    c.flags(u64::from(b[3]), &IP_TYPE_OF_SERVICES);
    let _ = write!(c.out, ", {prefix}table=");
    c.xval(u64::from(b[4]), table_ids);
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
    uint_struct(c, addr, len, 4, &["start", "end"])
}

/// `struct fib_rule_port_range`.
fn u16_range(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 2, &["start", "end"])
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

pub(crate) fn rtmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        route_head(c, "rtm_", b, &ROUTING_TABLE_IDS);
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
             rta_id={}, rta_ts={}, rta_tsage={}}}",
            u32_at(b, 0),
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16),
            CHex(u64::from(u32_at(b, 20))),
            u32_at(b, 24),
            u32_at(b, 28)
        );
    })
}

fn rta_mfc_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = ["mfcs_packets", "mfcs_bytes", "mfcs_wrong_if"];
    uint_struct(c, addr, len, 8, &names)
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

// strace's src/xlat/routing_*.in, rtnl_route_attrs.in, rtnl_rule_attrs.in, fib_rule_*.in,
// ip_type_of_services.in, lwtunnel_encap_types.in (linux/rtnetlink.h, linux/fib_rules.h,
// linux/lwtunnel.h).
xlat::xlat!(pub(crate) ROUTING_SCOPES, "", [
    0 => "RT_SCOPE_UNIVERSE", 200 => "RT_SCOPE_SITE", 253 => "RT_SCOPE_LINK",
    254 => "RT_SCOPE_HOST", 255 => "RT_SCOPE_NOWHERE",
]);

xlat::xlat!(pub(crate) IP_TYPE_OF_SERVICES, "IPTOS_TOS_???", [
    0x10 => "IPTOS_LOWDELAY", 0x8 => "IPTOS_THROUGHPUT", 0x4 => "IPTOS_RELIABILITY",
    0x2 => "IPTOS_MINCOST",
]);

xlat::xlat!(pub(crate) ROUTING_TABLE_IDS, "", [
    0 => "RT_TABLE_UNSPEC", 252 => "RT_TABLE_COMPAT", 253 => "RT_TABLE_DEFAULT",
    254 => "RT_TABLE_MAIN", 255 => "RT_TABLE_LOCAL",
]);

xlat::xlat!(pub(crate) FIB_RULE_ACTIONS, "FR_ACT_???", [
    0 => "FR_ACT_UNSPEC", 1 => "FR_ACT_TO_TBL", 2 => "FR_ACT_GOTO", 3 => "FR_ACT_NOP",
    4 => "FR_ACT_RES3", 5 => "FR_ACT_RES4", 6 => "FR_ACT_BLACKHOLE", 7 => "FR_ACT_UNREACHABLE",
    8 => "FR_ACT_PROHIBIT",
]);

xlat::xlat!(pub(crate) FIB_RULE_FLAGS, "FIB_RULE_???", [
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

xlat::xlat!(pub(crate) ROUTE_ATTRS, "RTA_???", [
    0 => "RTA_UNSPEC", 1 => "RTA_DST", 2 => "RTA_SRC", 3 => "RTA_IIF", 4 => "RTA_OIF",
    5 => "RTA_GATEWAY", 6 => "RTA_PRIORITY", 7 => "RTA_PREFSRC", 8 => "RTA_METRICS",
    9 => "RTA_MULTIPATH", 10 => "RTA_PROTOINFO", 11 => "RTA_FLOW", 12 => "RTA_CACHEINFO",
    13 => "RTA_SESSION", 14 => "RTA_MP_ALGO", 15 => "RTA_TABLE", 16 => "RTA_MARK",
    17 => "RTA_MFC_STATS", 18 => "RTA_VIA", 19 => "RTA_NEWDST", 20 => "RTA_PREF",
    21 => "RTA_ENCAP_TYPE", 22 => "RTA_ENCAP", 23 => "RTA_EXPIRES", 24 => "RTA_PAD",
    25 => "RTA_UID", 26 => "RTA_TTL_PROPAGATE", 27 => "RTA_IP_PROTO", 28 => "RTA_SPORT",
    29 => "RTA_DPORT", 30 => "RTA_NH_ID",
]);

xlat::xlat!(pub(crate) RTA_METRICS_ATTRS, "RTAX_???", [
    0 => "RTAX_UNSPEC", 1 => "RTAX_LOCK", 2 => "RTAX_MTU", 3 => "RTAX_WINDOW", 4 => "RTAX_RTT",
    5 => "RTAX_RTTVAR", 6 => "RTAX_SSTHRESH", 7 => "RTAX_CWND", 8 => "RTAX_ADVMSS",
    9 => "RTAX_REORDERING", 10 => "RTAX_HOPLIMIT", 11 => "RTAX_INITCWND", 12 => "RTAX_FEATURES",
    13 => "RTAX_RTO_MIN", 14 => "RTAX_INITRWND", 15 => "RTAX_QUICKACK", 16 => "RTAX_CC_ALGO",
    17 => "RTAX_FASTOPEN_NO_COOKIE",
]);

xlat::xlat!(pub(crate) ROUTING_FLAGS, "RTM_F_???", [
    0x100 => "RTM_F_NOTIFY", 0x200 => "RTM_F_CLONED", 0x400 => "RTM_F_EQUALIZE",
    0x800 => "RTM_F_PREFIX", 0x1000 => "RTM_F_LOOKUP_TABLE", 0x2000 => "RTM_F_FIB_MATCH",
    0x4000 => "RTM_F_OFFLOAD", 0x8000 => "RTM_F_TRAP", 0x20000000 => "RTM_F_OFFLOAD_FAILED",
]);

xlat::xlat!(pub(crate) LWTUNNEL_ENCAP_TYPES, "LWTUNNEL_ENCAP_???", [
    0 => "LWTUNNEL_ENCAP_NONE", 1 => "LWTUNNEL_ENCAP_MPLS", 2 => "LWTUNNEL_ENCAP_IP",
    3 => "LWTUNNEL_ENCAP_ILA", 4 => "LWTUNNEL_ENCAP_IP6", 5 => "LWTUNNEL_ENCAP_SEG6",
    6 => "LWTUNNEL_ENCAP_BPF", 7 => "LWTUNNEL_ENCAP_SEG6_LOCAL", 8 => "LWTUNNEL_ENCAP_RPL",
]);

xlat::xlat!(pub(crate) RULE_ATTRS, "FRA_???", [
    0 => "FRA_UNSPEC", 1 => "FRA_DST", 2 => "FRA_SRC", 3 => "FRA_IIFNAME", 4 => "FRA_GOTO",
    5 => "FRA_UNUSED2", 6 => "FRA_PRIORITY", 7 => "FRA_UNUSED3", 8 => "FRA_UNUSED4",
    9 => "FRA_UNUSED5", 10 => "FRA_FWMARK", 11 => "FRA_FLOW", 12 => "FRA_TUN_ID",
    13 => "FRA_SUPPRESS_IFGROUP", 14 => "FRA_SUPPRESS_PREFIXLEN", 15 => "FRA_TABLE",
    16 => "FRA_FWMASK", 17 => "FRA_OIFNAME", 18 => "FRA_PAD", 19 => "FRA_L3MDEV",
    20 => "FRA_UID_RANGE", 21 => "FRA_PROTOCOL", 22 => "FRA_IP_PROTO", 23 => "FRA_SPORT_RANGE",
    24 => "FRA_DPORT_RANGE",
]);
