//! NETLINK_ROUTE bridge multicast database messages (strace's rtnl_mdb.c):
//! `struct br_port_msg` and the `MDBA_*` attributes.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, attr_struct};
use super::nlmsg::fixed_part;
use super::print::Ctx;
use super::sockaddr::ifindex;
use super::structs::{u16_at, u32_at};
use crate::xlat;

/// RTM_NEWMDB, RTM_DELMDB, RTM_GETMDB.
pub(crate) fn br_port_msg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("ifindex=");
        ifindex(c, u32_at(b, 4));
    };
    fixed_part(
        c,
        "family",
        (family, addr, len),
        8,
        fields,
        Some((&MDB_ATTR_TABLE, 0)),
    );
}

const MDB_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &MDB_ATTRS,
    &[
        Nla::Hex,
        Nla::Nested(&MDBA_MDB_TABLE),
        Nla::Nested(&MDBA_ROUTER_TABLE),
    ],
);
const MDBA_MDB_TABLE: NlaTable = NlaTable::indexed(
    &MDBA_MDB_ATTRS,
    &[Nla::Hex, Nla::Nested(&MDBA_MDB_ENTRY_TABLE)],
);
const MDBA_MDB_ENTRY_TABLE: NlaTable = NlaTable::indexed(
    &MDBA_MDB_ENTRY_ATTRS,
    &[Nla::Hex, Nla::Custom(mdb_entry_info)],
);
const MDBA_MDB_EATTR_TABLE: NlaTable =
    NlaTable::indexed(&MDBA_MDB_EATTR_ATTRS, &[Nla::Hex, Nla::ClockT]);
const MDBA_ROUTER_TABLE: NlaTable =
    NlaTable::indexed(&MDBA_ROUTER_ATTRS, &[Nla::Hex, Nla::Custom(router_port)]);
const MDBA_ROUTER_PATTR_TABLE: NlaTable = NlaTable::indexed(
    &MDBA_ROUTER_PATTR_ATTRS,
    &[
        Nla::Hex,
        Nla::ClockT,
        Nla::Custom(router_type),
        Nla::ClockT,
        Nla::ClockT,
    ],
);

/// `struct br_mdb_entry`, then its own attributes after it.
fn mdb_entry_info(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    const SIZE: u32 = 28;
    let shown = attr_struct::<28>(c, addr, len, |c, b| {
        c.s("{ifindex=");
        ifindex(c, u32_at(b, 0));
        c.s(", state=");
        c.xval(u64::from(b[4]), &MDB_STATES);
        c.s(", flags=");
        c.flags(u64::from(b[5]), &MDB_FLAGS);
        let _ = write!(c.out, ", vid={}, addr={{", u16_at(b, 6));
        // The address's protocol is an ethertype, which strace names as an address family.
        let proto = u16::from_be(u16_at(b, 24));
        entry_addr(c, proto, &b[8..24]);
        c.s(", proto=htons(");
        c.xval(u64::from(proto), &xlat::ADDRESS_FAMILIES);
        c.s(")}}");
    });
    if shown && len > SIZE {
        c.s(", ");
        nlattr::decode(
            c,
            addr + u64::from(SIZE),
            len - SIZE,
            &MDBA_MDB_EATTR_TABLE,
            0,
        );
    }
    shown
}

/// strace's print_inet_addr of the entry's address union, named `u`.
fn entry_addr(c: &mut Ctx, family: u16, u: &[u8]) {
    match family {
        2 => {
            c.s("u=");
            super::sockaddr::inet_addr_value(c, u);
        }
        10 => super::sockaddr::inet6_addr(c, Some("u"), u),
        _ => {
            c.s("u=");
            super::print::quote(c.out, u, 2, b"", true);
        }
    }
}

/// An ifindex, then the port's attributes after it.
fn router_port(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    if !attr_struct::<4>(c, addr, len, |c, b| ifindex(c, u32_at(b, 0))) {
        return false;
    }
    if len > 4 {
        c.s(", ");
        nlattr::decode(c, addr + 4, len - 4, &MDBA_ROUTER_PATTR_TABLE, 0);
    }
    true
}

fn router_type(c: &mut Ctx, addr: u64, _len: u32, _: u64) -> bool {
    let mut b = [0u8; 1];
    if c.read_exact(addr, &mut b) {
        c.xval(u64::from(b[0]), &MULTICAST_ROUTER_TYPES);
    } else {
        c.ptr(addr);
    }
    true
}

// strace's src/xlat/rtnl_mdb*.in, mdb_*.in, multicast_router_types.in (linux/if_bridge.h).
xlat::xlat!(MDB_ATTRS, "MDBA_???", [
    0 => "MDBA_UNSPEC", 1 => "MDBA_MDB", 2 => "MDBA_ROUTER",
]);

xlat::xlat!(MDBA_MDB_ATTRS, "MDBA_MDB_???", [
    0 => "MDBA_MDB_UNSPEC", 1 => "MDBA_MDB_ENTRY",
]);

xlat::xlat!(MDBA_MDB_ENTRY_ATTRS, "MDBA_MDB_ENTRY_???", [
    0 => "MDBA_MDB_ENTRY_UNSPEC", 1 => "MDBA_MDB_ENTRY_INFO",
]);

xlat::xlat!(MDBA_MDB_EATTR_ATTRS, "MDBA_MDB_EATTR_???", [
    0 => "MDBA_MDB_EATTR_UNSPEC", 1 => "MDBA_MDB_EATTR_TIMER", 2 => "MDBA_MDB_EATTR_SRC_LIST",
    3 => "MDBA_MDB_EATTR_GROUP_MODE", 4 => "MDBA_MDB_EATTR_SOURCE", 5 => "MDBA_MDB_EATTR_RTPROT",
]);

xlat::xlat!(MDBA_ROUTER_ATTRS, "MDBA_ROUTER_???", [
    0 => "MDBA_ROUTER_UNSPEC", 1 => "MDBA_ROUTER_PORT",
]);

xlat::xlat!(MDBA_ROUTER_PATTR_ATTRS, "MDBA_ROUTER_PATTR_???", [
    0 => "MDBA_ROUTER_PATTR_UNSPEC", 1 => "MDBA_ROUTER_PATTR_TIMER",
    2 => "MDBA_ROUTER_PATTR_TYPE", 3 => "MDBA_ROUTER_PATTR_INET_TIMER",
    4 => "MDBA_ROUTER_PATTR_INET6_TIMER",
]);

xlat::xlat!(MDB_STATES, "MDB_???", [
    0 => "MDB_TEMPORARY", 1 => "MDB_PERMANENT",
]);

xlat::xlat!(MDB_FLAGS, "MDB_FLAGS_???", [
    0x1 => "MDB_FLAGS_OFFLOAD", 0x2 => "MDB_FLAGS_FAST_LEAVE", 0x4 => "MDB_FLAGS_STAR_EXCL",
    0x8 => "MDB_FLAGS_BLOCKED",
]);

xlat::xlat!(MULTICAST_ROUTER_TYPES, "MDB_RTR_TYPE_???", [
    0 => "MDB_RTR_TYPE_DISABLED", 1 => "MDB_RTR_TYPE_TEMP_QUERY", 2 => "MDB_RTR_TYPE_PERM",
    3 => "MDB_RTR_TYPE_TEMP",
]);
