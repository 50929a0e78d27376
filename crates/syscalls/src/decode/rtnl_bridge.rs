//! NETLINK_ROUTE bridge port attributes (strace's rtnl_link.c): what a bridge says of its
//! ports, in IFLA_PROTINFO and in a port's IFLA_INFO_SLAVE_DATA.

use std::fmt::Write;

use super::nlattr::{Nla, NlaTable, attr_struct};
use super::print::Ctx;
use crate::xlat;

/// strace's ifla_brport_nla_decoders.
pub(crate) const BRPORT_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &BRPORT_ATTRS,
    &[
        Nla::Hex,               // IFLA_BRPORT_UNSPEC
        Nla::U8,                // IFLA_BRPORT_STATE
        Nla::U16,               // IFLA_BRPORT_PRIORITY
        Nla::U32,               // IFLA_BRPORT_COST
        Nla::U8,                // IFLA_BRPORT_MODE
        Nla::U8,                // IFLA_BRPORT_GUARD
        Nla::U8,                // IFLA_BRPORT_PROTECT
        Nla::U8,                // IFLA_BRPORT_FAST_LEAVE
        Nla::U8,                // IFLA_BRPORT_LEARNING
        Nla::U8,                // IFLA_BRPORT_UNICAST_FLOOD
        Nla::U8,                // IFLA_BRPORT_PROXYARP
        Nla::U8,                // IFLA_BRPORT_LEARNING_SYNC
        Nla::U8,                // IFLA_BRPORT_PROXYARP_WIFI
        Nla::Custom(bridge_id), // IFLA_BRPORT_ROOT_ID
        Nla::Custom(bridge_id), // IFLA_BRPORT_BRIDGE_ID
        Nla::U16,               // IFLA_BRPORT_DESIGNATED_PORT
        Nla::U16,               // IFLA_BRPORT_DESIGNATED_COST
        Nla::U16,               // IFLA_BRPORT_ID
        Nla::U16,               // IFLA_BRPORT_NO
        Nla::U8,                // IFLA_BRPORT_TOPOLOGY_CHANGE_ACK
        Nla::U8,                // IFLA_BRPORT_CONFIG_PENDING
        Nla::ClockT,            // IFLA_BRPORT_MESSAGE_AGE_TIMER
        Nla::ClockT,            // IFLA_BRPORT_FORWARD_DELAY_TIMER
        Nla::ClockT,            // IFLA_BRPORT_HOLD_TIMER
        Nla::Hex,               // IFLA_BRPORT_FLUSH
        Nla::U8,                // IFLA_BRPORT_MULTICAST_ROUTER
        Nla::Hex,               // IFLA_BRPORT_PAD
        Nla::U8,                // IFLA_BRPORT_MCAST_FLOOD
        Nla::U8,                // IFLA_BRPORT_MCAST_TO_UCAST
        Nla::U8,                // IFLA_BRPORT_VLAN_TUNNEL
        Nla::U8,                // IFLA_BRPORT_BCAST_FLOOD
        Nla::X16,               // IFLA_BRPORT_GROUP_FWD_MASK
        Nla::U8,                // IFLA_BRPORT_NEIGH_SUPPRESS
        Nla::U8,                // IFLA_BRPORT_ISOLATED
        Nla::Ifindex,           // IFLA_BRPORT_BACKUP_PORT
        Nla::U8,                // IFLA_BRPORT_MRP_RING_OPEN
        Nla::U8,                // IFLA_BRPORT_MRP_IN_OPEN
        Nla::U32,               // IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT
        Nla::U32,               // IFLA_BRPORT_MCAST_EHT_HOSTS_CNT
        Nla::U8,                // IFLA_BRPORT_LOCKED
    ],
);

/// `struct ifla_bridge_id`: two priority bytes and a MAC address.
pub(crate) fn bridge_id(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<8>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{prio=[{}, {}], addr=", b[0], b[1]);
        super::sockaddr::hwaddr(c, &b[2..8]);
        c.s("}");
    })
}

// strace's src/xlat/rtnl_ifla_brport_attrs.in (linux/if_link.h).
xlat::xlat!(BRPORT_ATTRS, "IFLA_BRPORT_???", [
    0 => "IFLA_BRPORT_UNSPEC", 1 => "IFLA_BRPORT_STATE", 2 => "IFLA_BRPORT_PRIORITY",
    3 => "IFLA_BRPORT_COST", 4 => "IFLA_BRPORT_MODE", 5 => "IFLA_BRPORT_GUARD",
    6 => "IFLA_BRPORT_PROTECT", 7 => "IFLA_BRPORT_FAST_LEAVE", 8 => "IFLA_BRPORT_LEARNING",
    9 => "IFLA_BRPORT_UNICAST_FLOOD", 10 => "IFLA_BRPORT_PROXYARP",
    11 => "IFLA_BRPORT_LEARNING_SYNC", 12 => "IFLA_BRPORT_PROXYARP_WIFI",
    13 => "IFLA_BRPORT_ROOT_ID", 14 => "IFLA_BRPORT_BRIDGE_ID",
    15 => "IFLA_BRPORT_DESIGNATED_PORT", 16 => "IFLA_BRPORT_DESIGNATED_COST",
    17 => "IFLA_BRPORT_ID", 18 => "IFLA_BRPORT_NO", 19 => "IFLA_BRPORT_TOPOLOGY_CHANGE_ACK",
    20 => "IFLA_BRPORT_CONFIG_PENDING", 21 => "IFLA_BRPORT_MESSAGE_AGE_TIMER",
    22 => "IFLA_BRPORT_FORWARD_DELAY_TIMER", 23 => "IFLA_BRPORT_HOLD_TIMER",
    24 => "IFLA_BRPORT_FLUSH", 25 => "IFLA_BRPORT_MULTICAST_ROUTER", 26 => "IFLA_BRPORT_PAD",
    27 => "IFLA_BRPORT_MCAST_FLOOD", 28 => "IFLA_BRPORT_MCAST_TO_UCAST",
    29 => "IFLA_BRPORT_VLAN_TUNNEL", 30 => "IFLA_BRPORT_BCAST_FLOOD",
    31 => "IFLA_BRPORT_GROUP_FWD_MASK", 32 => "IFLA_BRPORT_NEIGH_SUPPRESS",
    33 => "IFLA_BRPORT_ISOLATED", 34 => "IFLA_BRPORT_BACKUP_PORT",
    35 => "IFLA_BRPORT_MRP_RING_OPEN", 36 => "IFLA_BRPORT_MRP_IN_OPEN",
    37 => "IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT", 38 => "IFLA_BRPORT_MCAST_EHT_HOSTS_CNT",
    39 => "IFLA_BRPORT_LOCKED",
]);
