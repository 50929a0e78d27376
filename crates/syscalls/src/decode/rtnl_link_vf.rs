//! NETLINK_ROUTE virtual function attributes of a link (strace's rtnl_link.c,
//! IFLA_VFINFO_LIST): one IFLA_VF_INFO list per VF, with its settings and counters.

use std::fmt::Write;

use super::nlattr::{Nla, NlaTable, attr_struct, uint_struct};
use super::print::{CHex, Ctx};
use super::sockaddr::{ETHERNET_PROTOCOLS, hwaddr};
use super::structs::{u16_at, u32_at, u64_at};
use crate::xlat;

/// IFLA_VFINFO_LIST's attributes.
pub(crate) const VFINFO_LIST_TABLE: NlaTable =
    NlaTable::indexed(&VFINFO_LIST_ATTRS, &[Nla::Hex, Nla::Nested(&VF_INFO_TABLE)]);

/// strace's ifla_vf_info_nla_decoders.
const VF_INFO_TABLE: NlaTable = NlaTable::indexed(
    &VF_INFO_ATTRS,
    &[
        Nla::Hex,
        Nla::Custom(vf_mac),
        Nla::Custom(vf_vlan),
        Nla::Custom(vf_tx_rate),
        Nla::Custom(vf_setting),
        Nla::Custom(vf_link_state),
        Nla::Custom(vf_rate),
        Nla::Custom(vf_setting),
        Nla::Nested(&VF_STATS_TABLE),
        Nla::Custom(vf_setting),
        Nla::Custom(vf_guid),
        Nla::Custom(vf_guid),
        Nla::Nested(&VF_VLAN_LIST_TABLE),
        Nla::Custom(vf_broadcast),
    ],
);

const VF_STATS_TABLE: NlaTable = NlaTable::indexed(
    &VF_STATS_ATTRS,
    &[
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::Hex,
        Nla::U64,
        Nla::U64,
    ],
);

const VF_VLAN_LIST_TABLE: NlaTable =
    NlaTable::indexed(&VF_VLAN_LIST_ATTRS, &[Nla::Hex, Nla::Custom(vf_vlan_info)]);

/// The length of a MAC address field of these structs (MAX_ADDR_LEN).
const MAC_LEN: usize = 32;

/// `struct ifla_vf_mac`.
fn vf_mac(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<{ 4 + MAC_LEN }>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{vf={}, mac=", u32_at(b, 0));
        hwaddr(c, &b[4..]);
        c.s("}");
    })
}

/// `struct ifla_vf_broadcast`.
fn vf_broadcast(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<MAC_LEN>(c, addr, len, |c, b| {
        c.s("{broadcast=");
        hwaddr(c, b);
        c.s("}");
    })
}

fn vf_vlan(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 4, &["vf", "vlan", "qos"])
}

fn vf_tx_rate(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 4, &["vf", "rate"])
}

/// `struct ifla_vf_spoofchk`, `ifla_vf_rss_query_en` and `ifla_vf_trust`.
fn vf_setting(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 4, &["vf", "setting"])
}

fn vf_rate(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 4, &["vf", "min_tx_rate", "max_tx_rate"])
}

fn vf_link_state(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<8>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{vf={}, link_state=", u32_at(b, 0));
        c.xval(u64::from(u32_at(b, 4)), &VF_LINK_STATES);
        c.s("}");
    })
}

/// `struct ifla_vf_guid`: its guid is not naturally aligned, so it comes packed (12 bytes)
/// or padded (16) depending on the sender's ABI.
fn vf_guid(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let guid_at = match len {
        12 => 4,
        16 => 8,
        _ => return false,
    };
    let mut b = [0u8; 16];
    let b = &mut b[..len as usize];
    if !c.read_exact(addr, b) {
        c.ptr(addr);
        return true;
    }
    let _ = write!(
        c.out,
        "{{vf={}, guid={}}}",
        u32_at(b, 0),
        CHex(u64_at(b, guid_at))
    );
    true
}

/// `struct ifla_vf_vlan_info`: the VLAN protocol in network order.
fn vf_vlan_info(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<16>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{vf={}, vlan={}, qos={}, vlan_proto=htons(",
            u32_at(b, 0),
            u32_at(b, 4),
            u32_at(b, 8)
        );
        c.xval(u64::from(u16::from_be(u16_at(b, 12))), &ETHERNET_PROTOCOLS);
        c.s(")}");
    })
}

// strace's src/xlat/rtnl_ifla_vf*.in (linux/if_link.h).
xlat::xlat!(VFINFO_LIST_ATTRS, "IFLA_VF_INFO_???", [
    0 => "IFLA_VF_INFO_UNSPEC", 1 => "IFLA_VF_INFO",
]);

xlat::xlat!(VF_INFO_ATTRS, "IFLA_VF_???", [
    0 => "IFLA_VF_UNSPEC", 1 => "IFLA_VF_MAC", 2 => "IFLA_VF_VLAN", 3 => "IFLA_VF_TX_RATE",
    4 => "IFLA_VF_SPOOFCHK", 5 => "IFLA_VF_LINK_STATE", 6 => "IFLA_VF_RATE",
    7 => "IFLA_VF_RSS_QUERY_EN", 8 => "IFLA_VF_STATS", 9 => "IFLA_VF_TRUST",
    10 => "IFLA_VF_IB_NODE_GUID", 11 => "IFLA_VF_IB_PORT_GUID", 12 => "IFLA_VF_VLAN_LIST",
    13 => "IFLA_VF_BROADCAST",
]);

xlat::xlat!(VF_STATS_ATTRS, "IFLA_VF_STATS_???", [
    0 => "IFLA_VF_STATS_RX_PACKETS", 1 => "IFLA_VF_STATS_TX_PACKETS",
    2 => "IFLA_VF_STATS_RX_BYTES", 3 => "IFLA_VF_STATS_TX_BYTES", 4 => "IFLA_VF_STATS_BROADCAST",
    5 => "IFLA_VF_STATS_MULTICAST", 6 => "IFLA_VF_STATS_PAD", 7 => "IFLA_VF_STATS_RX_DROPPED",
    8 => "IFLA_VF_STATS_TX_DROPPED",
]);

xlat::xlat!(VF_LINK_STATES, "IFLA_VF_LINK_STATE_???", [
    0 => "IFLA_VF_LINK_STATE_AUTO", 1 => "IFLA_VF_LINK_STATE_ENABLE",
    2 => "IFLA_VF_LINK_STATE_DISABLE",
]);

xlat::xlat!(VF_VLAN_LIST_ATTRS, "IFLA_VF_VLAN_INFO_???", [
    0 => "IFLA_VF_VLAN_INFO_UNSPEC", 1 => "IFLA_VF_VLAN_INFO",
]);
