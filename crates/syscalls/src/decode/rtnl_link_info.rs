//! NETLINK_ROUTE link kinds (strace's rtnl_link.c, IFLA_LINKINFO): the kind a link and
//! its master name decide how their IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA decode.

use std::cell::Cell;
use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, attr_struct, uint_struct};
use super::print::Ctx;
use super::rtnl_bridge::{BRPORT_ATTR_TABLE, bridge_id};
use crate::xlat;

/// The kinds strace decodes the data of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Other,
    Bridge,
    Tun,
    Can,
}

thread_local! {
    /// The link's and its master's kinds as the IFLA_INFO_KIND and IFLA_INFO_SLAVE_KIND
    /// seen so far in this IFLA_LINKINFO set them (strace's ifla_linkinfo_ctx): data
    /// before its kind is shown in hex, as strace does.
    static KINDS: Cell<(Kind, Kind)> = const { Cell::new((Kind::Other, Kind::Other)) };
}

/// IFLA_LINKINFO: its attributes, with the kinds known only within it.
pub(crate) fn ifla_linkinfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let outer = KINDS.with(|k| k.replace((Kind::Other, Kind::Other)));
    nlattr::decode(c, addr, len, &INFO_ATTR_TABLE, 0);
    KINDS.with(|k| k.set(outer));
    true
}

const INFO_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &INFO_ATTRS,
    &[
        Nla::Hex,
        Nla::Custom(info_kind),
        Nla::Custom(info_data),
        Nla::Custom(info_xstats),
        Nla::Custom(info_slave_kind),
        Nla::Custom(info_slave_data),
    ],
);

/// strace's update_ctx_str: the kind named by the data, up to its NUL; none when it
/// cannot be read or is too long for strace's 64-byte buffer.
fn kind_of(c: &mut Ctx, addr: u64, len: u32) -> Kind {
    const KIND_SIZE: u32 = 64;
    let mut b = [0u8; KIND_SIZE as usize];
    if len >= KIND_SIZE || !c.read_exact(addr, &mut b[..len as usize]) {
        return Kind::Other;
    }
    let name = b.split(|x| *x == 0).next().unwrap_or(&[]);
    match name {
        b"bridge" => Kind::Bridge,
        b"tun" => Kind::Tun,
        b"can" => Kind::Can,
        _ => Kind::Other,
    }
}

fn info_kind(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let kind = kind_of(c, addr, len);
    KINDS.with(|k| k.set((kind, k.get().1)));
    c.cstr_bounded(addr, u64::from(len));
    true
}

fn info_slave_kind(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let kind = kind_of(c, addr, len);
    KINDS.with(|k| k.set((k.get().0, kind)));
    c.cstr_bounded(addr, u64::from(len));
    true
}

fn info_data(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let table = match KINDS.with(|k| k.get().0) {
        Kind::Bridge => &BRIDGE_DATA_TABLE,
        Kind::Tun => &TUN_DATA_TABLE,
        _ => return false,
    };
    nlattr::decode(c, addr, len, table, 0);
    true
}

fn info_slave_data(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    if KINDS.with(|k| k.get().1) != Kind::Bridge {
        return false;
    }
    nlattr::decode(c, addr, len, &BRPORT_ATTR_TABLE, 0);
    true
}

/// CAN devices' `struct can_device_stats`.
fn info_xstats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    if KINDS.with(|k| k.get().0) != Kind::Can {
        return false;
    }
    let names = [
        "bus_error",
        "error_warning",
        "error_passive",
        "bus_off",
        "arbitration_lost",
        "restarts",
    ];
    uint_struct(c, addr, len, 4, &names)
}

/// strace's ifla_info_data_bridge_nla_decoders.
const BRIDGE_DATA_TABLE: NlaTable = NlaTable::indexed(
    &BRIDGE_DATA_ATTRS,
    &[
        Nla::Hex,                             // IFLA_BR_UNSPEC
        Nla::ClockT,                          // IFLA_BR_FORWARD_DELAY
        Nla::ClockT,                          // IFLA_BR_HELLO_TIME
        Nla::ClockT,                          // IFLA_BR_MAX_AGE
        Nla::ClockT,                          // IFLA_BR_AGEING_TIME
        Nla::U32,                             // IFLA_BR_STP_STATE
        Nla::U16,                             // IFLA_BR_PRIORITY
        Nla::U8,                              // IFLA_BR_VLAN_FILTERING
        Nla::EtherProto,                      // IFLA_BR_VLAN_PROTOCOL
        Nla::X16,                             // IFLA_BR_GROUP_FWD_MASK
        Nla::Custom(bridge_id),               // IFLA_BR_ROOT_ID
        Nla::Custom(bridge_id),               // IFLA_BR_BRIDGE_ID
        Nla::U16,                             // IFLA_BR_ROOT_PORT
        Nla::U32,                             // IFLA_BR_ROOT_PATH_COST
        Nla::U8,                              // IFLA_BR_TOPOLOGY_CHANGE
        Nla::U8,                              // IFLA_BR_TOPOLOGY_CHANGE_DETECTED
        Nla::ClockT,                          // IFLA_BR_HELLO_TIMER
        Nla::ClockT,                          // IFLA_BR_TCN_TIMER
        Nla::ClockT,                          // IFLA_BR_TOPOLOGY_CHANGE_TIMER
        Nla::ClockT,                          // IFLA_BR_GC_TIMER
        Nla::Hwaddr,                          // IFLA_BR_GROUP_ADDR
        Nla::Hex,                             // IFLA_BR_FDB_FLUSH
        Nla::U8,                              // IFLA_BR_MCAST_ROUTER
        Nla::U8,                              // IFLA_BR_MCAST_SNOOPING
        Nla::U8,                              // IFLA_BR_MCAST_QUERY_USE_IFADDR
        Nla::U8,                              // IFLA_BR_MCAST_QUERIER
        Nla::U32,                             // IFLA_BR_MCAST_HASH_ELASTICITY
        Nla::U32,                             // IFLA_BR_MCAST_HASH_MAX
        Nla::U32,                             // IFLA_BR_MCAST_LAST_MEMBER_CNT
        Nla::U32,                             // IFLA_BR_MCAST_STARTUP_QUERY_CNT
        Nla::ClockT,                          // IFLA_BR_MCAST_LAST_MEMBER_INTVL
        Nla::ClockT,                          // IFLA_BR_MCAST_MEMBERSHIP_INTVL
        Nla::ClockT,                          // IFLA_BR_MCAST_QUERIER_INTVL
        Nla::ClockT,                          // IFLA_BR_MCAST_QUERY_INTVL
        Nla::ClockT,                          // IFLA_BR_MCAST_QUERY_RESPONSE_INTVL
        Nla::ClockT,                          // IFLA_BR_MCAST_STARTUP_QUERY_INTVL
        Nla::U8,                              // IFLA_BR_NF_CALL_IPTABLES
        Nla::U8,                              // IFLA_BR_NF_CALL_IP6TABLES
        Nla::U8,                              // IFLA_BR_NF_CALL_ARPTABLES
        Nla::U16,                             // IFLA_BR_VLAN_DEFAULT_PVID
        Nla::Hex,                             // IFLA_BR_PAD
        Nla::U8,                              // IFLA_BR_VLAN_STATS_ENABLED
        Nla::U8,                              // IFLA_BR_MCAST_STATS_ENABLED
        Nla::U8,                              // IFLA_BR_MCAST_IGMP_VERSION
        Nla::U8,                              // IFLA_BR_MCAST_MLD_VERSION
        Nla::U8,                              // IFLA_BR_VLAN_STATS_PER_PORT
        Nla::Custom(br_boolopt),              // IFLA_BR_MULTI_BOOLOPT
        Nla::Nested(&BR_MCAST_QUERIER_TABLE), // IFLA_BR_MCAST_QUERIER_STATE
    ],
);

/// `struct br_boolopt_multi`.
fn br_boolopt(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<8>(c, addr, len, |c, b| {
        c.s("{optval=");
        c.flags(u64::from(super::structs::u32_at(b, 0)), &BR_BOOLOPT_FLAGS);
        c.s(", optmask=");
        c.flags(u64::from(super::structs::u32_at(b, 4)), &BR_BOOLOPT_FLAGS);
        let _ = write!(c.out, "}}");
    })
}

const BR_MCAST_QUERIER_TABLE: NlaTable = NlaTable::indexed(
    &BR_MCAST_QUERIER_ATTRS,
    &[
        Nla::Hex,
        Nla::InAddr,
        Nla::Ifindex,
        Nla::ClockT,
        Nla::Hex,
        Nla::In6Addr,
        Nla::Ifindex,
        Nla::ClockT,
    ],
);

/// strace's ifla_info_data_tun_nla_decoders.
const TUN_DATA_TABLE: NlaTable = NlaTable::indexed(
    &TUN_DATA_ATTRS,
    &[
        Nla::Hex,
        Nla::Uid,
        Nla::Uid,
        Nla::Xval(&TUN_DEVICE_TYPES, 1),
        Nla::U8,
        Nla::U8,
        Nla::U8,
        Nla::U8,
        Nla::U32,
        Nla::U32,
    ],
);

// strace's src/xlat/rtnl_ifla_info_attrs.in (linux/if_link.h).
xlat::xlat!(INFO_ATTRS, "IFLA_INFO_???", [
    0 => "IFLA_INFO_UNSPEC", 1 => "IFLA_INFO_KIND", 2 => "IFLA_INFO_DATA",
    3 => "IFLA_INFO_XSTATS", 4 => "IFLA_INFO_SLAVE_KIND", 5 => "IFLA_INFO_SLAVE_DATA",
]);

// strace's src/xlat/rtnl_ifla_info_data_*.in, rtnl_ifla_br_*.in, tun_device_types.in
// (linux/if_link.h, linux/if_bridge.h, linux/if_tun.h).
xlat::xlat!(BRIDGE_DATA_ATTRS, "IFLA_BR_???", [
    0 => "IFLA_BR_UNSPEC", 1 => "IFLA_BR_FORWARD_DELAY", 2 => "IFLA_BR_HELLO_TIME",
    3 => "IFLA_BR_MAX_AGE", 4 => "IFLA_BR_AGEING_TIME", 5 => "IFLA_BR_STP_STATE",
    6 => "IFLA_BR_PRIORITY", 7 => "IFLA_BR_VLAN_FILTERING", 8 => "IFLA_BR_VLAN_PROTOCOL",
    9 => "IFLA_BR_GROUP_FWD_MASK", 10 => "IFLA_BR_ROOT_ID", 11 => "IFLA_BR_BRIDGE_ID",
    12 => "IFLA_BR_ROOT_PORT", 13 => "IFLA_BR_ROOT_PATH_COST", 14 => "IFLA_BR_TOPOLOGY_CHANGE",
    15 => "IFLA_BR_TOPOLOGY_CHANGE_DETECTED", 16 => "IFLA_BR_HELLO_TIMER",
    17 => "IFLA_BR_TCN_TIMER", 18 => "IFLA_BR_TOPOLOGY_CHANGE_TIMER", 19 => "IFLA_BR_GC_TIMER",
    20 => "IFLA_BR_GROUP_ADDR", 21 => "IFLA_BR_FDB_FLUSH", 22 => "IFLA_BR_MCAST_ROUTER",
    23 => "IFLA_BR_MCAST_SNOOPING", 24 => "IFLA_BR_MCAST_QUERY_USE_IFADDR",
    25 => "IFLA_BR_MCAST_QUERIER", 26 => "IFLA_BR_MCAST_HASH_ELASTICITY",
    27 => "IFLA_BR_MCAST_HASH_MAX", 28 => "IFLA_BR_MCAST_LAST_MEMBER_CNT",
    29 => "IFLA_BR_MCAST_STARTUP_QUERY_CNT", 30 => "IFLA_BR_MCAST_LAST_MEMBER_INTVL",
    31 => "IFLA_BR_MCAST_MEMBERSHIP_INTVL", 32 => "IFLA_BR_MCAST_QUERIER_INTVL",
    33 => "IFLA_BR_MCAST_QUERY_INTVL", 34 => "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL",
    35 => "IFLA_BR_MCAST_STARTUP_QUERY_INTVL", 36 => "IFLA_BR_NF_CALL_IPTABLES",
    37 => "IFLA_BR_NF_CALL_IP6TABLES", 38 => "IFLA_BR_NF_CALL_ARPTABLES",
    39 => "IFLA_BR_VLAN_DEFAULT_PVID", 40 => "IFLA_BR_PAD", 41 => "IFLA_BR_VLAN_STATS_ENABLED",
    42 => "IFLA_BR_MCAST_STATS_ENABLED", 43 => "IFLA_BR_MCAST_IGMP_VERSION",
    44 => "IFLA_BR_MCAST_MLD_VERSION", 45 => "IFLA_BR_VLAN_STATS_PER_PORT",
    46 => "IFLA_BR_MULTI_BOOLOPT", 47 => "IFLA_BR_MCAST_QUERIER_STATE",
]);

xlat::xlat!(BR_MCAST_QUERIER_ATTRS, "BRIDGE_QUERIER_???", [
    0 => "BRIDGE_QUERIER_UNSPEC", 1 => "BRIDGE_QUERIER_IP_ADDRESS", 2 => "BRIDGE_QUERIER_IP_PORT",
    3 => "BRIDGE_QUERIER_IP_OTHER_TIMER", 4 => "BRIDGE_QUERIER_PAD",
    5 => "BRIDGE_QUERIER_IPV6_ADDRESS", 6 => "BRIDGE_QUERIER_IPV6_PORT",
    7 => "BRIDGE_QUERIER_IPV6_OTHER_TIMER",
]);

xlat::xlat!(BR_BOOLOPT_FLAGS, "1<<BR_BOOLOPT_???", [
    0x1 => "1<<BR_BOOLOPT_NO_LL_LEARN", 0x2 => "1<<BR_BOOLOPT_MCAST_VLAN_SNOOPING",
    0x4 => "1<<BR_BOOLOPT_MST_ENABLE",
]);

xlat::xlat!(TUN_DATA_ATTRS, "IFLA_TUN_???", [
    0 => "IFLA_TUN_UNSPEC", 1 => "IFLA_TUN_OWNER", 2 => "IFLA_TUN_GROUP", 3 => "IFLA_TUN_TYPE",
    4 => "IFLA_TUN_PI", 5 => "IFLA_TUN_VNET_HDR", 6 => "IFLA_TUN_PERSIST",
    7 => "IFLA_TUN_MULTI_QUEUE", 8 => "IFLA_TUN_NUM_QUEUES", 9 => "IFLA_TUN_NUM_DISABLED_QUEUES",
]);

xlat::xlat!(TUN_DEVICE_TYPES, "IFF_???", [
    1 => "IFF_TUN", 2 => "IFF_TAP",
]);
