//! NETLINK_ROUTE interface statistics (strace's rtnl_stats.c): `struct if_stats_msg` and
//! the `IFLA_STATS_*` attributes with their bridge, bond, offload and MPLS counters.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, struct_then_hex, uint_struct_then_hex};
use super::nlmsg::fixed_part;
use super::print::Ctx;
use super::rtnl_link::{BRIDGE_VLAN_FLAGS, link_stats64};
use super::sockaddr::ifindex;
use super::structs::{u16_at, u32_at, u64_at};
use crate::xlat;

/// RTM_NEWSTATS, RTM_GETSTATS: `struct if_stats_msg`, its padding only when set.
pub(crate) fn ifstatsmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        if b[1] != 0 {
            let _ = write!(c.out, "pad1={:#x}, ", b[1]);
        }
        if u16_at(b, 2) != 0 {
            let _ = write!(c.out, "pad2={:#x}, ", u16_at(b, 2));
        }
        c.s("ifindex=");
        ifindex(c, u32_at(b, 4));
        c.s(", filter_mask=");
        c.flags(u64::from(u32_at(b, 8)), &IFSTATS_ATTR_FLAGS);
    };
    let attrs = (&IFSTATS_ATTR_TABLE, u64::from(family));
    fixed_part(c, "family", (family, addr, len), 12, fields, Some(attrs));
}

const IFSTATS_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &IFSTATS_ATTRS,
    &[
        Nla::Hex,
        Nla::Custom(link_stats64),
        Nla::Nested(&XSTATS_TYPE_TABLE),
        Nla::Nested(&XSTATS_TYPE_TABLE),
        Nla::Nested(&OFFLOAD_TABLE),
        Nla::Nested(&AF_SPEC_TABLE),
    ],
);

const XSTATS_TYPE_TABLE: NlaTable = NlaTable::indexed(
    &XSTATS_TYPE_ATTRS,
    &[
        Nla::Hex,
        Nla::Nested(&XSTATS_BRIDGE_TABLE),
        Nla::Nested(&XSTATS_BOND_TABLE),
    ],
);

const XSTATS_BRIDGE_TABLE: NlaTable = NlaTable::indexed(
    &XSTATS_BRIDGE_ATTRS,
    &[
        Nla::Hex,
        Nla::Custom(bridge_vlan_xstats),
        Nla::Custom(bridge_mcast_xstats),
        Nla::Hex,
        Nla::Custom(bridge_stp_xstats),
    ],
);

const XSTATS_BOND_TABLE: NlaTable = NlaTable::indexed(
    &XSTATS_BOND_ATTRS,
    &[Nla::Hex, Nla::Nested(&XSTATS_BOND_3AD_TABLE)],
);

const XSTATS_BOND_3AD_TABLE: NlaTable = NlaTable::indexed(
    &XSTATS_BOND_3AD_ATTRS,
    &[
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
    ],
);

const OFFLOAD_TABLE: NlaTable =
    NlaTable::indexed(&OFFLOAD_ATTRS, &[Nla::Hex, Nla::Custom(link_stats64)]);

/// IFLA_STATS_AF_SPEC: attributes typed by address family; only MPLS has counters here.
const AF_SPEC_TABLE: NlaTable =
    NlaTable::uniform(&xlat::ADDRESS_FAMILIES, &[Nla::Custom(af_stats)]);

fn af_stats(c: &mut Ctx, addr: u64, len: u32, family: u64) -> bool {
    const AF_MPLS: u64 = 28;
    if family & 0x3fff == AF_MPLS {
        nlattr::decode(c, addr, len, &MPLS_TABLE, 0);
    } else {
        c.buf_hex(addr, u64::from(len));
    }
    true
}

const MPLS_TABLE: NlaTable = NlaTable::indexed(
    &AF_SPEC_MPLS_ATTRS,
    &[Nla::Hex, Nla::Custom(mpls_link_stats)],
);

fn mpls_link_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = [
        "rx_packets",
        "tx_packets",
        "rx_bytes",
        "tx_bytes",
        "rx_errors",
        "tx_errors",
        "rx_dropped",
        "tx_dropped",
        "rx_noroute",
    ];
    uint_struct_then_hex(c, addr, len, 8, &names)
}

fn bridge_stp_xstats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = [
        "transition_blk",
        "transition_fwd",
        "rx_bpdu",
        "tx_bpdu",
        "rx_tcn",
        "tx_tcn",
    ];
    uint_struct_then_hex(c, addr, len, 8, &names)
}

/// `struct bridge_vlan_xstats`: its padding only when set.
fn bridge_vlan_xstats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    struct_then_hex::<40>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{rx_bytes={}, rx_packets={}, tx_bytes={}, tx_packets={}, vid={}, flags=",
            u64_at(b, 0),
            u64_at(b, 8),
            u64_at(b, 16),
            u64_at(b, 24),
            u16_at(b, 32)
        );
        c.flags(u64::from(u16_at(b, 34)), &BRIDGE_VLAN_FLAGS);
        if u32_at(b, 36) != 0 {
            let _ = write!(c.out, ", pad2={:#x}", u32_at(b, 36));
        }
        c.s("}");
    })
}

/// `struct br_mcast_stats`: counters by direction (`[[BR_MCAST_DIR_RX]=1, ...]`) and two
/// plain ones.
fn bridge_mcast_xstats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    const FIELDS: [(&str, bool); 16] = [
        ("igmp_v1queries", true),
        ("igmp_v2queries", true),
        ("igmp_v3queries", true),
        ("igmp_leaves", true),
        ("igmp_v1reports", true),
        ("igmp_v2reports", true),
        ("igmp_v3reports", true),
        ("igmp_parse_errors", false),
        ("mld_v1queries", true),
        ("mld_v2queries", true),
        ("mld_leaves", true),
        ("mld_v1reports", true),
        ("mld_v2reports", true),
        ("mld_parse_errors", false),
        ("mcast_bytes", true),
        ("mcast_packets", true),
    ];
    struct_then_hex::<240>(c, addr, len, |c, b| {
        let mut at = 0;
        for (i, (name, by_direction)) in FIELDS.iter().enumerate() {
            let sep = if i == 0 { "{" } else { ", " };
            let _ = write!(c.out, "{sep}{name}=");
            if *by_direction {
                let _ = write!(c.out, "[[");
                // Indices are unsigned decimal (PRINT_FIELD_ARRAY_INDEXED).
                c.xval_u(0, &BRIDGE_MCAST_INDICES);
                let _ = write!(c.out, "]={}, [", u64_at(b, at));
                c.xval_u(1, &BRIDGE_MCAST_INDICES);
                let _ = write!(c.out, "]={}]", u64_at(b, at + 8));
                at += 16;
            } else {
                c.udec(u64_at(b, at));
                at += 8;
            }
        }
        c.s("}");
    })
}

// strace's src/xlat/ifstats_*.in (linux/if_link.h, linux/if_bridge.h, linux/mpls.h).
xlat::xlat!(XSTATS_BRIDGE_ATTRS, "BRIDGE_XSTATS_???", [
    0 => "BRIDGE_XSTATS_UNSPEC", 1 => "BRIDGE_XSTATS_VLAN", 2 => "BRIDGE_XSTATS_MCAST",
    3 => "BRIDGE_XSTATS_PAD", 4 => "BRIDGE_XSTATS_STP",
]);

xlat::xlat!(XSTATS_BOND_3AD_ATTRS, "BOND_XSTATS_???", [
    0 => "BOND_3AD_STAT_LACPDU_RX", 1 => "BOND_3AD_STAT_LACPDU_TX",
    2 => "BOND_3AD_STAT_LACPDU_UNKNOWN_RX", 3 => "BOND_3AD_STAT_LACPDU_ILLEGAL_RX",
    4 => "BOND_3AD_STAT_MARKER_RX", 5 => "BOND_3AD_STAT_MARKER_TX",
    6 => "BOND_3AD_STAT_MARKER_RESP_RX", 7 => "BOND_3AD_STAT_MARKER_RESP_TX",
    8 => "BOND_3AD_STAT_MARKER_UNKNOWN_RX", 9 => "BOND_3AD_STAT_PAD",
]);

xlat::xlat!(XSTATS_BOND_ATTRS, "BOND_XSTATS_???", [
    0 => "BOND_XSTATS_UNSPEC", 1 => "BOND_XSTATS_3AD",
]);

xlat::xlat!(XSTATS_TYPE_ATTRS, "LINK_XSTATS_TYPE_???", [
    0 => "LINK_XSTATS_TYPE_UNSPEC", 1 => "LINK_XSTATS_TYPE_BRIDGE", 2 => "LINK_XSTATS_TYPE_BOND",
]);

xlat::xlat!(OFFLOAD_ATTRS, "IFLA_OFFLOAD_XSTATS_???", [
    0 => "IFLA_OFFLOAD_XSTATS_UNSPEC", 1 => "IFLA_OFFLOAD_XSTATS_CPU_HIT",
]);

xlat::xlat!(AF_SPEC_MPLS_ATTRS, "MPLS_STATS_???", [
    0 => "MPLS_STATS_UNSPEC", 1 => "MPLS_STATS_LINK",
]);

xlat::xlat!(BRIDGE_MCAST_INDICES, "", [
    0 => "BR_MCAST_DIR_RX", 1 => "BR_MCAST_DIR_TX",
]);

xlat::xlat!(IFSTATS_ATTRS, "IFLA_STATS_???", [
    0 => "IFLA_STATS_UNSPEC", 1 => "IFLA_STATS_LINK_64", 2 => "IFLA_STATS_LINK_XSTATS",
    3 => "IFLA_STATS_LINK_XSTATS_SLAVE", 4 => "IFLA_STATS_LINK_OFFLOAD_XSTATS",
    5 => "IFLA_STATS_AF_SPEC",
]);

xlat::xlat!(IFSTATS_ATTR_FLAGS, "1<<IFLA_STATS_???", [
    0x1 => "1<<IFLA_STATS_UNSPEC", 0x2 => "1<<IFLA_STATS_LINK_64",
    0x4 => "1<<IFLA_STATS_LINK_XSTATS", 0x8 => "1<<IFLA_STATS_LINK_XSTATS_SLAVE",
    0x10 => "1<<IFLA_STATS_LINK_OFFLOAD_XSTATS", 0x20 => "1<<IFLA_STATS_AF_SPEC",
]);
