//! NETLINK_ROUTE neighbour messages (strace's rtnl_neigh.c and rtnl_neightbl.c):
//! `struct ndmsg`, `struct ndtmsg` and their attributes.

use std::fmt::Write;

use super::nlattr::{Nla, NlaTable, attr_struct, uint_struct, uint_struct_since};
use super::nlmsg::{family_only, fixed_part};
use super::print::{self, Ctx};
use super::rtnl_route::ROUTING_TYPES;
use super::sockaddr::ifindex;
use super::structs::{u16_at, u32_at};
use crate::xlat;

/// RTM_GETNEIGH asks AF_BRIDGE for links, other families for neighbours.
pub(crate) fn rtm_getneigh(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    const AF_BRIDGE: u8 = 7;
    if family == AF_BRIDGE {
        super::rtnl_link::ifinfomsg(c, family, addr, len);
    } else {
        ndmsg(c, family, addr, len);
    }
}

pub(crate) fn ndmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
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
    let names = ["ndm_confirmed", "ndm_used", "ndm_updated", "ndm_refcnt"];
    uint_struct(c, addr, len, 4, &names)
}

/// RTM_NEWNEIGHTBL, RTM_GETNEIGHTBL, RTM_SETNEIGHTBL.
pub(crate) fn ndtmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    family_only(c, "ndtm_family", (family, addr, len), &NEIGHTBL_ATTR_TABLE);
}

const NEIGHTBL_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &NEIGHTBL_ATTRS,
    &[
        Nla::Hex,
        Nla::Str,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::Custom(ndt_config),
        Nla::Nested(&NEIGHTBL_PARMS_TABLE),
        Nla::Custom(ndt_stats),
        Nla::U64,
    ],
);

fn ndt_config(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<32>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{ndtc_key_len={}, ndtc_entry_size={}, ndtc_entries={}, ndtc_last_flush={}, \
             ndtc_last_rand={}, ndtc_hash_rnd={}, ndtc_hash_mask=",
            u16_at(b, 0),
            u16_at(b, 2),
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16)
        );
        print::write_padded_hex(c.out, u64::from(u32_at(b, 20)), 8);
        let _ = write!(
            c.out,
            ", ndtc_hash_chain_gc={}, ndtc_proxy_qlen={}}}",
            u32_at(b, 24),
            u32_at(b, 28)
        );
    })
}

/// `struct ndt_stats`, ndts_table_fulls only from newer kernels.
fn ndt_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = [
        "ndts_allocs",
        "ndts_destroys",
        "ndts_hash_grows",
        "ndts_res_failed",
        "ndts_lookups",
        "ndts_hits",
        "ndts_rcv_probes_mcast",
        "ndts_rcv_probes_ucast",
        "ndts_periodic_gc_runs",
        "ndts_forced_gc_runs",
        "ndts_table_fulls",
    ];
    uint_struct_since(c, addr, len, 8, &names, 10)
}

const NEIGHTBL_PARMS_TABLE: NlaTable = NlaTable::indexed(
    &NEIGHTBL_PARMS_ATTRS,
    &[
        Nla::Hex,
        Nla::Ifindex,
        Nla::U32,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U64,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U32,
        Nla::U64,
        Nla::U64,
        Nla::U32,
        Nla::U64,
        Nla::U32,
        Nla::U32,
        Nla::Hex,
        Nla::U64,
    ],
);

// strace's src/xlat/neighbor_cache_entry_*.in, rtnl_neigh*.in, fdb_notify_flags.in
// (linux/neighbour.h).
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

// strace's src/xlat/rtnl_neightbl*.in (linux/neighbour.h).
xlat::xlat!(NEIGHTBL_ATTRS, "NDTA_???", [
    0 => "NDTA_UNSPEC", 1 => "NDTA_NAME", 2 => "NDTA_THRESH1", 3 => "NDTA_THRESH2",
    4 => "NDTA_THRESH3", 5 => "NDTA_CONFIG", 6 => "NDTA_PARMS", 7 => "NDTA_STATS",
    8 => "NDTA_GC_INTERVAL", 9 => "NDTA_PAD",
]);

xlat::xlat!(NEIGHTBL_PARMS_ATTRS, "NDTPA_???", [
    0 => "NDTPA_UNSPEC", 1 => "NDTPA_IFINDEX", 2 => "NDTPA_REFCNT", 3 => "NDTPA_REACHABLE_TIME",
    4 => "NDTPA_BASE_REACHABLE_TIME", 5 => "NDTPA_RETRANS_TIME", 6 => "NDTPA_GC_STALETIME",
    7 => "NDTPA_DELAY_PROBE_TIME", 8 => "NDTPA_QUEUE_LEN", 9 => "NDTPA_APP_PROBES",
    10 => "NDTPA_UCAST_PROBES", 11 => "NDTPA_MCAST_PROBES", 12 => "NDTPA_ANYCAST_DELAY",
    13 => "NDTPA_PROXY_DELAY", 14 => "NDTPA_PROXY_QLEN", 15 => "NDTPA_LOCKTIME",
    16 => "NDTPA_QUEUE_LENBYTES", 17 => "NDTPA_MCAST_REPROBES", 18 => "NDTPA_PAD",
    19 => "NDTPA_INTERVAL_PROBE_TIME_MS",
]);
