//! NETLINK_ROUTE link messages (strace's rtnl_link.c): `struct ifinfomsg` and the `IFLA_*`
//! attributes.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, attr_struct, uint_struct_since};
use super::nlmsg::fixed_part;
use super::print::{CHex, Ctx};
use super::rtnl_bridge::BRPORT_ATTR_TABLE;
use super::sockaddr::{ARP_HARDWARE_TYPES, ifindex};
use super::structs::{u32_at, u64_at};
use crate::xlat;

/// RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK (and AF_BRIDGE RTM_GETNEIGH).
pub(crate) fn ifinfomsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("ifi_type=");
        c.xval(u64::from(super::structs::u16_at(b, 2)), &ARP_HARDWARE_TYPES);
        c.s(", ifi_index=");
        ifindex(c, u32_at(b, 4));
        c.s(", ifi_flags=");
        c.flags(u64::from(u32_at(b, 8)), &xlat::IFF_FLAGS);
        c.s(", ifi_change=");
        c.hex(u64::from(u32_at(b, 12)));
    };
    let attrs = (&LINK_ATTR_TABLE, u64::from(family));
    fixed_part(
        c,
        "ifi_family",
        (family, addr, len),
        16,
        fields,
        Some(attrs),
    );
}

const LINK_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &LINK_ATTRS,
    &[
        Nla::Hex,                                             // IFLA_UNSPEC
        Nla::Hwaddr,                                          // IFLA_ADDRESS
        Nla::Hwaddr,                                          // IFLA_BROADCAST
        Nla::Str,                                             // IFLA_IFNAME
        Nla::U32,                                             // IFLA_MTU
        Nla::U32,                                             // IFLA_LINK
        Nla::Str,                                             // IFLA_QDISC
        Nla::Custom(link_stats),                              // IFLA_STATS
        Nla::Hex,                                             // IFLA_COST
        Nla::Hex,                                             // IFLA_PRIORITY
        Nla::U32,                                             // IFLA_MASTER
        Nla::Hex,                                             // IFLA_WIRELESS
        Nla::Custom(ifla_protinfo),                           // IFLA_PROTINFO
        Nla::U32,                                             // IFLA_TXQLEN
        Nla::Custom(link_ifmap),                              // IFLA_MAP
        Nla::U32,                                             // IFLA_WEIGHT
        Nla::U8,                                              // IFLA_OPERSTATE
        Nla::U8,                                              // IFLA_LINKMODE
        Nla::Custom(super::rtnl_link_info::ifla_linkinfo),    // IFLA_LINKINFO
        Nla::U32,                                             // IFLA_NET_NS_PID
        Nla::Str,                                             // IFLA_IFALIAS
        Nla::U32,                                             // IFLA_NUM_VF
        Nla::Nested(&super::rtnl_link_vf::VFINFO_LIST_TABLE), // IFLA_VFINFO_LIST
        Nla::Custom(link_stats64),                            // IFLA_STATS64
        Nla::Nested(&VF_PORT_ATTR_TABLE),                     // IFLA_VF_PORTS
        Nla::Nested(&PORT_ATTR_TABLE),                        // IFLA_PORT_SELF
        Nla::Custom(ifla_af_spec),                            // IFLA_AF_SPEC
        Nla::U32,                                             // IFLA_GROUP
        Nla::Fd,                                              // IFLA_NET_NS_FD
        Nla::Flags(&EXT_FILTER_FLAGS, 4),                     // IFLA_EXT_MASK
        Nla::U32,                                             // IFLA_PROMISCUITY
        Nla::U32,                                             // IFLA_NUM_TX_QUEUES
        Nla::U32,                                             // IFLA_NUM_RX_QUEUES
        Nla::U8,                                              // IFLA_CARRIER
        Nla::Hex,                                             // IFLA_PHYS_PORT_ID
        Nla::U32,                                             // IFLA_CARRIER_CHANGES
        Nla::Hex,                                             // IFLA_PHYS_SWITCH_ID
        Nla::S32,                                             // IFLA_LINK_NETNSID
        Nla::Str,                                             // IFLA_PHYS_PORT_NAME
        Nla::U8,                                              // IFLA_PROTO_DOWN
        Nla::U32,                                             // IFLA_GSO_MAX_SEGS
        Nla::U32,                                             // IFLA_GSO_MAX_SIZE
        Nla::Hex,                                             // IFLA_PAD
        Nla::Nested(&XDP_ATTR_TABLE),                         // IFLA_XDP
        Nla::Custom(ifla_event),                              // IFLA_EVENT
        Nla::S32,                                             // IFLA_NEW_NETNSID
        Nla::S32,                                             // IFLA_IF_NETNSID
        Nla::U32,                                             // IFLA_CARRIER_UP_COUNT
        Nla::U32,                                             // IFLA_CARRIER_DOWN_COUNT
        Nla::Ifindex,                                         // IFLA_NEW_IFINDEX
        Nla::U32,                                             // IFLA_MIN_MTU
        Nla::U32,                                             // IFLA_MAX_MTU
        Nla::Nested(&PROP_LIST_TABLE),                        // IFLA_PROP_LIST
        Nla::Str,                                             // IFLA_ALT_IFNAME
        Nla::Hwaddr,                                          // IFLA_PERM_ADDRESS
        Nla::Nested(&PROTO_DOWN_REASON_TABLE),                // IFLA_PROTO_DOWN_REASON
        Nla::Str,                                             // IFLA_PARENT_DEV_NAME
        Nla::Str,                                             // IFLA_PARENT_DEV_BUS_NAME
        Nla::U32,                                             // IFLA_GRO_MAX_SIZE
        Nla::U32,                                             // IFLA_TSO_MAX_SIZE
        Nla::U32,                                             // IFLA_TSO_MAX_SEGS
        Nla::U32,                                             // IFLA_ALLMULTI
    ],
);

/// The counters of `struct rtnl_link_stats` (`u32`) and `rtnl_link_stats64` (`u64`), in
/// order; the last ones only when the data holds them.
const LINK_STATS_FIELDS: [&str; 25] = [
    "rx_packets",
    "tx_packets",
    "rx_bytes",
    "tx_bytes",
    "rx_errors",
    "tx_errors",
    "rx_dropped",
    "tx_dropped",
    "multicast",
    "collisions",
    "rx_length_errors",
    "rx_over_errors",
    "rx_crc_errors",
    "rx_frame_errors",
    "rx_fifo_errors",
    "rx_missed_errors",
    "tx_aborted_errors",
    "tx_carrier_errors",
    "tx_fifo_errors",
    "tx_heartbeat_errors",
    "tx_window_errors",
    "rx_compressed",
    "tx_compressed",
    "rx_nohandler",
    "rx_otherhost_dropped",
];

/// strace's decode_rtnl_link_stats: up to tx_compressed from older kernels.
fn link_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct_since(c, addr, len, 4, &LINK_STATS_FIELDS[..24], 23)
}

/// strace's decode_nla_rtnl_link_stats64.
pub(crate) fn link_stats64(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct_since(c, addr, len, 8, &LINK_STATS_FIELDS, 23)
}

/// `struct rtnl_link_ifmap` up to its `port` (the padding after it is not needed).
fn link_ifmap(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<28>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{mem_start={}, mem_end={}, base_addr={}, irq={}, dma={}, port={}}}",
            CHex(u64_at(b, 0)),
            CHex(u64_at(b, 8)),
            CHex(u64_at(b, 16)),
            super::structs::u16_at(b, 24),
            b[26],
            b[27]
        );
    })
}

fn ifla_event(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<4>(c, addr, len, |c, b| {
        c.xval(u64::from(u32_at(b, 0)), &IFLA_EVENTS)
    })
}

const VF_PORT_ATTR_TABLE: NlaTable =
    NlaTable::indexed(&VF_PORT_ATTRS, &[Nla::Hex, Nla::Nested(&PORT_ATTR_TABLE)]);

const PORT_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &PORT_ATTRS,
    &[
        Nla::Hex,
        Nla::U32,
        Nla::Str,
        Nla::Custom(port_vsi),
        Nla::Hex,
        Nla::Hex,
        Nla::U8,
        Nla::U16,
    ],
);

/// `struct ifla_port_vsi`: its padding only when not all zeros.
fn port_vsi(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<8>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{vsi_mgr_id={}, vsi_type_id=", b[0]);
        super::print::quote(c.out, &b[1..4], 2, b"", true);
        let _ = write!(c.out, ", vsi_type_version={}", b[4]);
        if b[5..8].iter().any(|x| *x != 0) {
            c.s(", pad=");
            super::print::quote(c.out, &b[5..8], 2, b"", true);
        }
        c.s("}");
    })
}

const XDP_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &XDP_ATTRS,
    &[
        Nla::Hex,
        Nla::Fd,
        Nla::Xval(&XDP_ATTACHED_MODES, 1),
        Nla::FlagsU32(&XDP_FLAGS),
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::Fd,
    ],
);

/// IFLA_PROP_LIST holds IFLA_* attributes, of which only IFLA_ALT_IFNAME is decoded.
const PROP_LIST_TABLE: NlaTable = NlaTable::uniform(&LINK_ATTRS, &[Nla::Custom(prop_list_attr)]);

fn prop_list_attr(c: &mut Ctx, addr: u64, len: u32, nla_type: u64) -> bool {
    const IFLA_ALT_IFNAME: u64 = 53;
    nla_type & 0x3fff == IFLA_ALT_IFNAME && nlattr::data_of(c, Nla::Str, addr, len, 0)
}

const PROTO_DOWN_REASON_TABLE: NlaTable =
    NlaTable::indexed(&PROTO_DOWN_REASON_ATTRS, &[Nla::Hex, Nla::X32, Nla::X32]);

/// IFLA_PROTINFO: bridge port attributes for AF_BRIDGE, IPv6 ones (as in IFLA_AF_SPEC)
/// for AF_INET6, others in hex.
fn ifla_protinfo(c: &mut Ctx, addr: u64, len: u32, family: u64) -> bool {
    const AF_BRIDGE: u64 = 7;
    const AF_INET6: u64 = 10;
    match family {
        AF_BRIDGE => nlattr::decode(c, addr, len, &BRPORT_ATTR_TABLE, 0),
        AF_INET6 => nlattr::decode(c, addr, len, &INET6_ATTR_TABLE, 0),
        _ => c.buf_hex(addr, u64::from(len)),
    }
    true
}

/// strace's ifla_inet6_nla_decoders.
const INET6_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &INET6_ATTRS,
    &[
        Nla::Hex,
        Nla::Flags(&INET6_IF_FLAGS, 4),
        Nla::Custom(inet6_conf),
        Nla::Custom(inet6_stats),
        Nla::Hex,
        Nla::Custom(inet6_cacheinfo),
        Nla::Custom(icmp6_stats),
        Nla::In6Addr,
        Nla::Xval(&IN6_ADDR_GEN_MODES, 1),
        Nla::U32,
    ],
);

fn inet6_conf(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    nlattr::indexed_array(c, addr, len, 4, true, &INET6_DEVCONF_INDICES)
}

fn inet6_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    nlattr::indexed_array(c, addr, len, 8, false, &SNMP_IP_STATS)
}

fn icmp6_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    nlattr::indexed_array(c, addr, len, 8, false, &SNMP_ICMP6_STATS)
}

fn inet6_cacheinfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = ["max_reasm_len", "tstamp", "reachable_time", "retrans_time"];
    nlattr::uint_struct(c, addr, len, 4, &names)
}

/// IFLA_AF_SPEC: bridge attributes for AF_BRIDGE; for other families a list of attributes
/// typed by address family, each holding that family's link attributes.
fn ifla_af_spec(c: &mut Ctx, addr: u64, len: u32, family: u64) -> bool {
    const AF_BRIDGE: u64 = 7;
    let table = match family {
        AF_BRIDGE => &BRIDGE_AF_ATTR_TABLE,
        _ => &AF_SPEC_TABLE,
    };
    nlattr::decode(c, addr, len, table, 0);
    true
}

const AF_SPEC_TABLE: NlaTable = NlaTable::uniform(&xlat::ADDRESS_FAMILIES, &[Nla::Custom(ifla_af)]);

/// One family's link attributes (strace's decode_ifla_af); the attribute type is the family.
fn ifla_af(c: &mut Ctx, addr: u64, len: u32, family: u64) -> bool {
    const AF_INET: u64 = 2;
    const AF_INET6: u64 = 10;
    const AF_MCTP: u64 = 45;
    let table = match family & 0x3fff {
        AF_INET => &INET_ATTR_TABLE,
        AF_INET6 => &INET6_ATTR_TABLE,
        AF_MCTP => &MCTP_ATTR_TABLE,
        _ => {
            c.buf_hex(addr, u64::from(len));
            return true;
        }
    };
    nlattr::decode(c, addr, len, table, 0);
    true
}

const INET_ATTR_TABLE: NlaTable =
    NlaTable::indexed(&INET_ATTRS, &[Nla::Hex, Nla::Custom(inet_conf)]);
const MCTP_ATTR_TABLE: NlaTable = NlaTable::indexed(&MCTP_ATTRS, &[Nla::Hex, Nla::U32]);

fn inet_conf(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    nlattr::indexed_array(c, addr, len, 4, true, &INET_DEVCONF_INDICES)
}

/// strace's ifla_af_spec_bridge_nla_decoders.
const BRIDGE_AF_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &BRIDGE_AF_ATTRS,
    &[
        Nla::Flags(&BRIDGE_FLAGS, 2),
        Nla::Xval(&BRIDGE_MODES, 2),
        Nla::Custom(bridge_vlan_info),
        Nla::Nested(&BRIDGE_VLAN_TUNNEL_TABLE),
    ],
);

const BRIDGE_VLAN_TUNNEL_TABLE: NlaTable = NlaTable::indexed(
    &BRIDGE_VLAN_TUNNEL_ATTRS,
    &[
        Nla::Hex,
        Nla::U32,
        Nla::U16,
        Nla::Flags(&BRIDGE_VLAN_FLAGS, 2),
    ],
);

/// `struct bridge_vlan_info`, then the rest in hex.
fn bridge_vlan_info(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    nlattr::struct_then_hex::<4>(c, addr, len, |c, b| {
        c.s("{flags=");
        c.flags(u64::from(super::structs::u16_at(b, 0)), &BRIDGE_VLAN_FLAGS);
        let _ = write!(c.out, ", vid={}}}", super::structs::u16_at(b, 2));
    })
}

// strace's src/xlat/rtnl_link_attrs.in, rtnl_ifla_*.in, xdp_flags.in (linux/if_link.h).
xlat::xlat!(LINK_ATTRS, "IFLA_???", [
    0 => "IFLA_UNSPEC", 1 => "IFLA_ADDRESS", 2 => "IFLA_BROADCAST", 3 => "IFLA_IFNAME",
    4 => "IFLA_MTU", 5 => "IFLA_LINK", 6 => "IFLA_QDISC", 7 => "IFLA_STATS", 8 => "IFLA_COST",
    9 => "IFLA_PRIORITY", 10 => "IFLA_MASTER", 11 => "IFLA_WIRELESS", 12 => "IFLA_PROTINFO",
    13 => "IFLA_TXQLEN", 14 => "IFLA_MAP", 15 => "IFLA_WEIGHT", 16 => "IFLA_OPERSTATE",
    17 => "IFLA_LINKMODE", 18 => "IFLA_LINKINFO", 19 => "IFLA_NET_NS_PID", 20 => "IFLA_IFALIAS",
    21 => "IFLA_NUM_VF", 22 => "IFLA_VFINFO_LIST", 23 => "IFLA_STATS64", 24 => "IFLA_VF_PORTS",
    25 => "IFLA_PORT_SELF", 26 => "IFLA_AF_SPEC", 27 => "IFLA_GROUP", 28 => "IFLA_NET_NS_FD",
    29 => "IFLA_EXT_MASK", 30 => "IFLA_PROMISCUITY", 31 => "IFLA_NUM_TX_QUEUES",
    32 => "IFLA_NUM_RX_QUEUES", 33 => "IFLA_CARRIER", 34 => "IFLA_PHYS_PORT_ID",
    35 => "IFLA_CARRIER_CHANGES", 36 => "IFLA_PHYS_SWITCH_ID", 37 => "IFLA_LINK_NETNSID",
    38 => "IFLA_PHYS_PORT_NAME", 39 => "IFLA_PROTO_DOWN", 40 => "IFLA_GSO_MAX_SEGS",
    41 => "IFLA_GSO_MAX_SIZE", 42 => "IFLA_PAD", 43 => "IFLA_XDP", 44 => "IFLA_EVENT",
    45 => "IFLA_NEW_NETNSID", 46 => "IFLA_IF_NETNSID", 47 => "IFLA_CARRIER_UP_COUNT",
    48 => "IFLA_CARRIER_DOWN_COUNT", 49 => "IFLA_NEW_IFINDEX", 50 => "IFLA_MIN_MTU",
    51 => "IFLA_MAX_MTU", 52 => "IFLA_PROP_LIST", 53 => "IFLA_ALT_IFNAME",
    54 => "IFLA_PERM_ADDRESS", 55 => "IFLA_PROTO_DOWN_REASON", 56 => "IFLA_PARENT_DEV_NAME",
    57 => "IFLA_PARENT_DEV_BUS_NAME", 58 => "IFLA_GRO_MAX_SIZE", 59 => "IFLA_TSO_MAX_SIZE",
    60 => "IFLA_TSO_MAX_SEGS", 61 => "IFLA_ALLMULTI",
]);

xlat::xlat!(IFLA_EVENTS, "IFLA_EVENT_???", [
    0 => "IFLA_EVENT_NONE", 1 => "IFLA_EVENT_REBOOT", 2 => "IFLA_EVENT_FEATURES",
    3 => "IFLA_EVENT_BONDING_FAILOVER", 4 => "IFLA_EVENT_NOTIFY_PEERS",
    5 => "IFLA_EVENT_IGMP_RESEND", 6 => "IFLA_EVENT_BONDING_OPTIONS",
]);

xlat::xlat!(EXT_FILTER_FLAGS, "RTEXT_FILTER_???", [
    0x1 => "RTEXT_FILTER_VF", 0x2 => "RTEXT_FILTER_BRVLAN",
    0x4 => "RTEXT_FILTER_BRVLAN_COMPRESSED", 0x8 => "RTEXT_FILTER_SKIP_STATS",
    0x10 => "RTEXT_FILTER_MRP", 0x20 => "RTEXT_FILTER_CFM_CONFIG",
    0x40 => "RTEXT_FILTER_CFM_STATUS",
]);

xlat::xlat!(XDP_ATTRS, "IFLA_XDP_???", [
    0 => "IFLA_XDP_UNSPEC", 1 => "IFLA_XDP_FD", 2 => "IFLA_XDP_ATTACHED", 3 => "IFLA_XDP_FLAGS",
    4 => "IFLA_XDP_PROG_ID", 5 => "IFLA_XDP_DRV_PROG_ID", 6 => "IFLA_XDP_SKB_PROG_ID",
    7 => "IFLA_XDP_HW_PROG_ID", 8 => "IFLA_XDP_EXPECTED_FD",
]);

xlat::xlat!(XDP_ATTACHED_MODES, "XDP_ATTACHED_???", [
    0 => "XDP_ATTACHED_NONE", 1 => "XDP_ATTACHED_DRV", 2 => "XDP_ATTACHED_SKB",
    3 => "XDP_ATTACHED_HW", 4 => "XDP_ATTACHED_MULTI",
]);

xlat::xlat!(XDP_FLAGS, "XDP_FLAGS_???", [
    0xe => "XDP_FLAGS_MODES", 0x1 => "XDP_FLAGS_UPDATE_IF_NOEXIST", 0x2 => "XDP_FLAGS_SKB_MODE",
    0x4 => "XDP_FLAGS_DRV_MODE", 0x8 => "XDP_FLAGS_HW_MODE", 0x10 => "XDP_FLAGS_REPLACE",
]);

xlat::xlat!(PROTO_DOWN_REASON_ATTRS, "IFLA_PROTO_DOWN_REASON_???", [
    0 => "IFLA_PROTO_DOWN_REASON_UNSPEC", 1 => "IFLA_PROTO_DOWN_REASON_MASK",
    2 => "IFLA_PROTO_DOWN_REASON_VALUE",
]);

xlat::xlat!(VF_PORT_ATTRS, "IFLA_VF_PORT_???", [
    0 => "IFLA_VF_PORT_UNSPEC", 1 => "IFLA_VF_PORT",
]);

xlat::xlat!(PORT_ATTRS, "IFLA_VF_PORT_???", [
    0 => "IFLA_PORT_UNSPEC", 1 => "IFLA_PORT_VF", 2 => "IFLA_PORT_PROFILE",
    3 => "IFLA_PORT_VSI_TYPE", 4 => "IFLA_PORT_INSTANCE_UUID", 5 => "IFLA_PORT_HOST_UUID",
    6 => "IFLA_PORT_REQUEST", 7 => "IFLA_PORT_RESPONSE",
]);

// strace's src/xlat/rtnl_ifla_af_spec_inet6_attrs.in, inet6_if_flags.in,
// in6_addr_gen_mode.in, inet6_devconf_indices.in, snmp_ip_stats.in, snmp_icmp6_stats.in
// (linux/if_link.h, linux/ipv6.h, linux/snmp.h).
xlat::xlat!(INET6_ATTRS, "IFLA_INET6_???", [
    0 => "IFLA_INET6_UNSPEC", 1 => "IFLA_INET6_FLAGS", 2 => "IFLA_INET6_CONF",
    3 => "IFLA_INET6_STATS", 4 => "IFLA_INET6_MCAST", 5 => "IFLA_INET6_CACHEINFO",
    6 => "IFLA_INET6_ICMP6STATS", 7 => "IFLA_INET6_TOKEN", 8 => "IFLA_INET6_ADDR_GEN_MODE",
    9 => "IFLA_INET6_RA_MTU",
]);

xlat::xlat!(INET6_IF_FLAGS, "IF_???", [
    0x10 => "IF_RS_SENT", 0x20 => "IF_RA_RCVD", 0x40 => "IF_RA_MANAGED",
    0x80 => "IF_RA_OTHERCONF", 0x80000000 => "IF_READY",
]);

xlat::xlat!(IN6_ADDR_GEN_MODES, "IN6_ADDR_GEN_MODE_???", [
    0 => "IN6_ADDR_GEN_MODE_EUI64", 1 => "IN6_ADDR_GEN_MODE_NONE",
    2 => "IN6_ADDR_GEN_MODE_STABLE_PRIVACY", 3 => "IN6_ADDR_GEN_MODE_RANDOM",
]);

xlat::xlat!(INET6_DEVCONF_INDICES, "DEVCONF_???", [
    0 => "DEVCONF_FORWARDING", 1 => "DEVCONF_HOPLIMIT", 2 => "DEVCONF_MTU6",
    3 => "DEVCONF_ACCEPT_RA", 4 => "DEVCONF_ACCEPT_REDIRECTS", 5 => "DEVCONF_AUTOCONF",
    6 => "DEVCONF_DAD_TRANSMITS", 7 => "DEVCONF_RTR_SOLICITS",
    8 => "DEVCONF_RTR_SOLICIT_INTERVAL", 9 => "DEVCONF_RTR_SOLICIT_DELAY",
    10 => "DEVCONF_USE_TEMPADDR", 11 => "DEVCONF_TEMP_VALID_LFT",
    12 => "DEVCONF_TEMP_PREFERED_LFT", 13 => "DEVCONF_REGEN_MAX_RETRY",
    14 => "DEVCONF_MAX_DESYNC_FACTOR", 15 => "DEVCONF_MAX_ADDRESSES",
    16 => "DEVCONF_FORCE_MLD_VERSION", 17 => "DEVCONF_ACCEPT_RA_DEFRTR",
    18 => "DEVCONF_ACCEPT_RA_PINFO", 19 => "DEVCONF_ACCEPT_RA_RTR_PREF",
    20 => "DEVCONF_RTR_PROBE_INTERVAL", 21 => "DEVCONF_ACCEPT_RA_RT_INFO_MAX_PLEN",
    22 => "DEVCONF_PROXY_NDP", 23 => "DEVCONF_OPTIMISTIC_DAD",
    24 => "DEVCONF_ACCEPT_SOURCE_ROUTE", 25 => "DEVCONF_MC_FORWARDING",
    26 => "DEVCONF_DISABLE_IPV6", 27 => "DEVCONF_ACCEPT_DAD", 28 => "DEVCONF_FORCE_TLLAO",
    29 => "DEVCONF_NDISC_NOTIFY", 30 => "DEVCONF_MLDV1_UNSOLICITED_REPORT_INTERVAL",
    31 => "DEVCONF_MLDV2_UNSOLICITED_REPORT_INTERVAL", 32 => "DEVCONF_SUPPRESS_FRAG_NDISC",
    33 => "DEVCONF_ACCEPT_RA_FROM_LOCAL", 34 => "DEVCONF_USE_OPTIMISTIC",
    35 => "DEVCONF_ACCEPT_RA_MTU", 36 => "DEVCONF_STABLE_SECRET",
    37 => "DEVCONF_USE_OIF_ADDRS_ONLY", 38 => "DEVCONF_ACCEPT_RA_MIN_HOP_LIMIT",
    39 => "DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN", 40 => "DEVCONF_DROP_UNICAST_IN_L2_MULTICAST",
    41 => "DEVCONF_DROP_UNSOLICITED_NA", 42 => "DEVCONF_KEEP_ADDR_ON_DOWN",
    43 => "DEVCONF_RTR_SOLICIT_MAX_INTERVAL", 44 => "DEVCONF_SEG6_ENABLED",
    45 => "DEVCONF_SEG6_REQUIRE_HMAC", 46 => "DEVCONF_ENHANCED_DAD",
    47 => "DEVCONF_ADDR_GEN_MODE", 48 => "DEVCONF_DISABLE_POLICY",
    49 => "DEVCONF_ACCEPT_RA_RT_INFO_MIN_PLEN", 50 => "DEVCONF_NDISC_TCLASS",
    51 => "DEVCONF_RPL_SEG_ENABLED", 52 => "DEVCONF_RA_DEFRTR_METRIC",
    53 => "DEVCONF_IOAM6_ENABLED", 54 => "DEVCONF_IOAM6_ID", 55 => "DEVCONF_IOAM6_ID_WIDE",
    56 => "DEVCONF_NDISC_EVICT_NOCARRIER", 57 => "DEVCONF_ACCEPT_UNTRACKED_NA",
]);

xlat::xlat!(SNMP_IP_STATS, "IPSTATS_MIB_???", [
    0 => "IPSTATS_MIB_NUM", 1 => "IPSTATS_MIB_INPKTS", 2 => "IPSTATS_MIB_INOCTETS",
    3 => "IPSTATS_MIB_INDELIVERS", 4 => "IPSTATS_MIB_OUTFORWDATAGRAMS",
    5 => "IPSTATS_MIB_OUTPKTS", 6 => "IPSTATS_MIB_OUTOCTETS", 7 => "IPSTATS_MIB_INHDRERRORS",
    8 => "IPSTATS_MIB_INTOOBIGERRORS", 9 => "IPSTATS_MIB_INNOROUTES",
    10 => "IPSTATS_MIB_INADDRERRORS", 11 => "IPSTATS_MIB_INUNKNOWNPROTOS",
    12 => "IPSTATS_MIB_INTRUNCATEDPKTS", 13 => "IPSTATS_MIB_INDISCARDS",
    14 => "IPSTATS_MIB_OUTDISCARDS", 15 => "IPSTATS_MIB_OUTNOROUTES",
    16 => "IPSTATS_MIB_REASMTIMEOUT", 17 => "IPSTATS_MIB_REASMREQDS",
    18 => "IPSTATS_MIB_REASMOKS", 19 => "IPSTATS_MIB_REASMFAILS", 20 => "IPSTATS_MIB_FRAGOKS",
    21 => "IPSTATS_MIB_FRAGFAILS", 22 => "IPSTATS_MIB_FRAGCREATES",
    23 => "IPSTATS_MIB_INMCASTPKTS", 24 => "IPSTATS_MIB_OUTMCASTPKTS",
    25 => "IPSTATS_MIB_INBCASTPKTS", 26 => "IPSTATS_MIB_OUTBCASTPKTS",
    27 => "IPSTATS_MIB_INMCASTOCTETS", 28 => "IPSTATS_MIB_OUTMCASTOCTETS",
    29 => "IPSTATS_MIB_INBCASTOCTETS", 30 => "IPSTATS_MIB_OUTBCASTOCTETS",
    31 => "IPSTATS_MIB_CSUMERRORS", 32 => "IPSTATS_MIB_NOECTPKTS", 33 => "IPSTATS_MIB_ECT1PKTS",
    34 => "IPSTATS_MIB_ECT0PKTS", 35 => "IPSTATS_MIB_CEPKTS", 36 => "IPSTATS_MIB_REASM_OVERLAPS",
]);

xlat::xlat!(SNMP_ICMP6_STATS, "ICMP6_MIB_???", [
    0 => "ICMP6_MIB_NUM", 1 => "ICMP6_MIB_INMSGS", 2 => "ICMP6_MIB_INERRORS",
    3 => "ICMP6_MIB_OUTMSGS", 4 => "ICMP6_MIB_OUTERRORS", 5 => "ICMP6_MIB_CSUMERRORS",
]);

// strace's src/xlat/rtnl_ifla_af_spec_*.in, rtnl_ifla_bridge_*.in, nl_bridge_vlan_flags.in,
// inet_devconf_indices.in (linux/if_link.h, linux/if_bridge.h, linux/ip.h).
xlat::xlat!(INET_ATTRS, "IFLA_INET_???", [
    0 => "IFLA_INET_UNSPEC", 1 => "IFLA_INET_CONF",
]);

xlat::xlat!(MCTP_ATTRS, "IFLA_MCTP_???", [
    0 => "IFLA_MCTP_UNSPEC", 1 => "IFLA_MCTP_NET",
]);

xlat::xlat!(BRIDGE_AF_ATTRS, "IFLA_BRIDGE_???", [
    0 => "IFLA_BRIDGE_FLAGS", 1 => "IFLA_BRIDGE_MODE", 2 => "IFLA_BRIDGE_VLAN_INFO",
    3 => "IFLA_BRIDGE_VLAN_TUNNEL_INFO", 4 => "IFLA_BRIDGE_MRP", 5 => "IFLA_BRIDGE_CFM",
    6 => "IFLA_BRIDGE_MST",
]);

xlat::xlat!(BRIDGE_FLAGS, "BRIDGE_FLAGS_???", [
    1 => "BRIDGE_FLAGS_MASTER", 2 => "BRIDGE_FLAGS_SELF",
]);

xlat::xlat!(BRIDGE_MODES, "BRIDGE_MODE_???", [
    0 => "BRIDGE_MODE_VEB", 1 => "BRIDGE_MODE_VEPA", 0xffff => "BRIDGE_MODE_UNDEF",
]);

xlat::xlat!(pub(crate) BRIDGE_VLAN_FLAGS, "BRIDGE_VLAN_INFO_???", [
    0x1 => "BRIDGE_VLAN_INFO_MASTER", 0x2 => "BRIDGE_VLAN_INFO_PVID",
    0x4 => "BRIDGE_VLAN_INFO_UNTAGGED", 0x8 => "BRIDGE_VLAN_INFO_RANGE_BEGIN",
    0x10 => "BRIDGE_VLAN_INFO_RANGE_END", 0x20 => "BRIDGE_VLAN_INFO_BRENTRY",
    0x40 => "BRIDGE_VLAN_INFO_ONLY_OPTS",
]);

xlat::xlat!(BRIDGE_VLAN_TUNNEL_ATTRS, "IFLA_BRIDGE_VLAN_TUNNEL_???", [
    0 => "IFLA_BRIDGE_VLAN_TUNNEL_UNSPEC", 1 => "IFLA_BRIDGE_VLAN_TUNNEL_ID",
    2 => "IFLA_BRIDGE_VLAN_TUNNEL_VID", 3 => "IFLA_BRIDGE_VLAN_TUNNEL_FLAGS",
]);

xlat::xlat!(INET_DEVCONF_INDICES, "IPV4_DEVCONF_???", [
    0 => "IPV4_DEVCONF_FORWARDING-1", 1 => "IPV4_DEVCONF_MC_FORWARDING-1",
    2 => "IPV4_DEVCONF_PROXY_ARP-1", 3 => "IPV4_DEVCONF_ACCEPT_REDIRECTS-1",
    4 => "IPV4_DEVCONF_SECURE_REDIRECTS-1", 5 => "IPV4_DEVCONF_SEND_REDIRECTS-1",
    6 => "IPV4_DEVCONF_SHARED_MEDIA-1", 7 => "IPV4_DEVCONF_RP_FILTER-1",
    8 => "IPV4_DEVCONF_ACCEPT_SOURCE_ROUTE-1", 9 => "IPV4_DEVCONF_BOOTP_RELAY-1",
    10 => "IPV4_DEVCONF_LOG_MARTIANS-1", 11 => "IPV4_DEVCONF_TAG-1",
    12 => "IPV4_DEVCONF_ARPFILTER-1", 13 => "IPV4_DEVCONF_MEDIUM_ID-1",
    14 => "IPV4_DEVCONF_NOXFRM-1", 15 => "IPV4_DEVCONF_NOPOLICY-1",
    16 => "IPV4_DEVCONF_FORCE_IGMP_VERSION-1", 17 => "IPV4_DEVCONF_ARP_ANNOUNCE-1",
    18 => "IPV4_DEVCONF_ARP_IGNORE-1", 19 => "IPV4_DEVCONF_PROMOTE_SECONDARIES-1",
    20 => "IPV4_DEVCONF_ARP_ACCEPT-1", 21 => "IPV4_DEVCONF_ARP_NOTIFY-1",
    22 => "IPV4_DEVCONF_ACCEPT_LOCAL-1", 23 => "IPV4_DEVCONF_SRC_VMARK-1",
    24 => "IPV4_DEVCONF_PROXY_ARP_PVLAN-1", 25 => "IPV4_DEVCONF_ROUTE_LOCALNET-1",
    26 => "IPV4_DEVCONF_IGMPV2_UNSOLICITED_REPORT_INTERVAL-1",
    27 => "IPV4_DEVCONF_IGMPV3_UNSOLICITED_REPORT_INTERVAL-1",
    28 => "IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN-1",
    29 => "IPV4_DEVCONF_DROP_UNICAST_IN_L2_MULTICAST-1",
    30 => "IPV4_DEVCONF_DROP_GRATUITOUS_ARP-1", 31 => "IPV4_DEVCONF_BC_FORWARDING-1",
    32 => "IPV4_DEVCONF_ARP_EVICT_NOCARRIER-1",
]);
