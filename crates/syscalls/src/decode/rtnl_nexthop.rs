//! NETLINK_ROUTE next hops (strace's rtnl_nh.c): `struct nhmsg` and the `NHA_*` attributes.

use std::fmt::Write;

use super::nlattr::{Nla, NlaTable};
use super::nlmsg::fixed_part;
use super::print::Ctx;
use super::rtnl_route::{ROUTE_NEXTHOP_FLAGS, ROUTING_PROTOCOLS, ROUTING_SCOPES, lwt_encap_type};
use super::structs::{u16_at, u32_at};
use crate::xlat;

/// RTM_NEWNEXTHOP, RTM_DELNEXTHOP, RTM_GETNEXTHOP.
pub(crate) fn nhmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("nh_scope=");
        c.xval(u64::from(b[1]), &ROUTING_SCOPES);
        c.s(", nh_protocol=");
        c.xval(u64::from(b[2]), &ROUTING_PROTOCOLS);
        if b[3] != 0 {
            c.s(", resvd=");
            c.hex(u64::from(b[3]));
        }
        c.s(", nh_flags=");
        c.flags(u64::from(u32_at(b, 4)), &ROUTE_NEXTHOP_FLAGS);
    };
    let attrs = (&NEXTHOP_ATTR_TABLE, u64::from(family));
    fixed_part(c, "nh_family", (family, addr, len), 8, fields, Some(attrs));
}

const NEXTHOP_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &NEXTHOP_ATTRS,
    &[
        Nla::Hex,
        Nla::U32,
        Nla::Custom(nh_group),
        Nla::Xval(&NEXTHOP_GRP_TYPES, 2),
        Nla::U32,
        Nla::Ifindex,
        Nla::InetAddr,
        Nla::Custom(lwt_encap_type),
        Nla::Hex,
        Nla::U32,
        Nla::Ifindex,
        Nla::U32,
        Nla::Nested(&NHA_RES_GROUP_TABLE),
        Nla::Nested(&NHA_RES_BUCKET_TABLE),
    ],
);

const NHA_RES_GROUP_TABLE: NlaTable = NlaTable::indexed(
    &NHA_RES_GROUP_ATTRS,
    &[Nla::Hex, Nla::U16, Nla::ClockT, Nla::ClockT, Nla::ClockT],
);

const NHA_RES_BUCKET_TABLE: NlaTable = NlaTable::indexed(
    &NHA_RES_BUCKET_ATTRS,
    &[Nla::Hex, Nla::U16, Nla::ClockT, Nla::U32],
);

/// `struct nexthop_grp`s: the reserved fields only when set.
fn nh_group(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let count = len / 8;
    if count == 0 {
        return false;
    }
    c.array(addr, u64::from(count), 8, |c, b| {
        let _ = write!(c.out, "{{id={}, weight={}", u32_at(b, 0), b[4]);
        if b[5] != 0 {
            let _ = write!(c.out, ", resvd1={:#x}", b[5]);
        }
        if u16_at(b, 6) != 0 {
            let _ = write!(c.out, ", resvd2={:#x}", u16_at(b, 6));
        }
        c.s("}");
        true
    });
    true
}

// strace's src/xlat/rtnl_nexthop_*.in, rtnl_nha_*.in (linux/nexthop.h).
xlat::xlat!(NEXTHOP_ATTRS, "NHA_???", [
    0 => "NHA_UNSPEC", 1 => "NHA_ID", 2 => "NHA_GROUP", 3 => "NHA_GROUP_TYPE",
    4 => "NHA_BLACKHOLE", 5 => "NHA_OIF", 6 => "NHA_GATEWAY", 7 => "NHA_ENCAP_TYPE",
    8 => "NHA_ENCAP", 9 => "NHA_GROUPS", 10 => "NHA_MASTER", 11 => "NHA_FDB",
    12 => "NHA_RES_GROUP", 13 => "NHA_RES_BUCKET",
]);

xlat::xlat!(NEXTHOP_GRP_TYPES, "NEXTHOP_GRP_TYPE_???", [
    0 => "NEXTHOP_GRP_TYPE_MPATH", 1 => "NEXTHOP_GRP_TYPE_RES",
]);

xlat::xlat!(NHA_RES_GROUP_ATTRS, "NHA_RES_GROUP_???", [
    0 => "NHA_RES_GROUP_PAD", 1 => "NHA_RES_GROUP_BUCKETS", 2 => "NHA_RES_GROUP_IDLE_TIMER",
    3 => "NHA_RES_GROUP_UNBALANCED_TIMER", 4 => "NHA_RES_GROUP_UNBALANCED_TIME",
]);

xlat::xlat!(NHA_RES_BUCKET_ATTRS, "NHA_RES_BUCKET_???", [
    0 => "NHA_RES_BUCKET_PAD", 1 => "NHA_RES_BUCKET_INDEX", 2 => "NHA_RES_BUCKET_IDLE_TIME",
    3 => "NHA_RES_BUCKET_NH_ID",
]);
