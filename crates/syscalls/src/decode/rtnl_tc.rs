//! NETLINK_ROUTE traffic control messages (strace's rtnl_tc.c and rtnl_tc_action.c):
//! `struct tcmsg`, `struct tcamsg` and their attributes.

use std::fmt::Write;

use super::nlattr::{Nla, NlaTable, attr_struct, uint_struct};
use super::nlmsg::{family_only, fixed_part};
use super::print::Ctx;
use super::sockaddr::ifindex;
use super::structs::{u16_at, u32_at, u64_at};
use crate::xlat;

/// RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER, RTM_*CHAIN.
pub(crate) fn tcmsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("tcm_ifindex=");
        ifindex(c, u32_at(b, 4));
        let _ = write!(
            c.out,
            ", tcm_handle={}, tcm_parent={}, tcm_info={}",
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16)
        );
    };
    fixed_part(
        c,
        "tcm_family",
        (family, addr, len),
        20,
        fields,
        Some((&TC_ATTR_TABLE, 0)),
    );
}

/// RTM_*ACTION.
pub(crate) fn tcamsg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    family_only(c, "tca_family", (family, addr, len), &TC_ACTION_ATTR_TABLE);
}

const TC_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &TC_ATTRS,
    &[
        Nla::Hex,
        Nla::Str,
        Nla::Hex,
        Nla::Custom(tc_stats),
        Nla::Hex,
        Nla::Custom(tc_estimator),
        Nla::U32,
        Nla::Nested(&TCA_STATS_TABLE),
        Nla::Nested(&TCA_STAB_TABLE),
        Nla::Hex,
        Nla::Hex,
        Nla::U32,
        Nla::U8,
        Nla::U32,
        Nla::U32,
        Nla::U32,
    ],
);

const TC_ACTION_ATTR_TABLE: NlaTable = NlaTable::indexed(
    &TC_ACTION_ATTRS,
    &[
        Nla::Hex,
        Nla::Str,
        Nla::Hex,
        Nla::U32,
        Nla::Nested(&TCA_STATS_TABLE),
        Nla::Hex,
        Nla::Hex,
        Nla::Flags(&TCA_ACT_FLAGS, 4),
        Nla::Flags(&TCA_ACT_HW_STATS, 4),
        Nla::Flags(&TCA_ACT_HW_STATS, 4),
        Nla::U32,
    ],
);

/// strace's decode_nla_tc_stats: TCA_STATS2's attributes.
pub(crate) const TCA_STATS_TABLE: NlaTable = NlaTable::indexed(
    &TCA_STATS_ATTRS,
    &[
        Nla::Hex,
        Nla::Custom(gnet_stats_basic),
        Nla::Custom(gnet_stats_rate_est),
        Nla::Custom(gnet_stats_queue),
        Nla::Hex,
        Nla::Custom(gnet_stats_rate_est64),
        Nla::Hex,
        Nla::Custom(gnet_stats_basic),
        Nla::U64,
    ],
);

/// `struct tc_stats` up to its `backlog`.
fn tc_stats(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<36>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{bytes={}, packets={}, drops={}, overlimits={}, bps={}, pps={}, qlen={}, \
             backlog={}}}",
            u64_at(b, 0),
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16),
            u32_at(b, 20),
            u32_at(b, 24),
            u32_at(b, 28),
            u32_at(b, 32)
        );
    })
}

fn tc_estimator(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<2>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{interval={}, ewma_log={}}}", b[0] as i8, b[1]);
    })
}

/// `struct gnet_stats_basic` up to its `packets`.
fn gnet_stats_basic(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<12>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{bytes={}, packets={}}}",
            u64_at(b, 0),
            u32_at(b, 8)
        );
    })
}

fn gnet_stats_rate_est(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 4, &["bps", "pps"])
}

fn gnet_stats_rate_est64(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 8, &["bps", "pps"])
}

fn gnet_stats_queue(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = ["qlen", "backlog", "drops", "requeues", "overlimits"];
    uint_struct(c, addr, len, 4, &names)
}

const TCA_STAB_TABLE: NlaTable = NlaTable::indexed(
    &TCA_STAB_ATTRS,
    &[Nla::Hex, Nla::Custom(tc_sizespec), Nla::Custom(u16_array)],
);

fn tc_sizespec(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<24>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{cell_log={}, size_log={}, cell_align={}, overhead={}, linklayer={}, mpu={}, \
             mtu={}, tsize={}}}",
            b[0],
            b[1],
            u16_at(b, 2) as i16,
            u32_at(b, 4) as i32,
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16),
            u32_at(b, 20)
        );
    })
}

/// `[1, 2, 3]`: the data as `u16`s.
fn u16_array(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let count = len / 2;
    if count == 0 {
        return false;
    }
    c.array(addr, u64::from(count), 2, |c, b| {
        c.udec(u64::from(u16_at(b, 0)));
        true
    });
    true
}

// strace's src/xlat/rtnl_tc*.in, rtnl_tca_*.in (linux/rtnetlink.h, linux/gen_stats.h,
// linux/pkt_sched.h, linux/pkt_cls.h).
xlat::xlat!(TC_ATTRS, "TCA_???", [
    0 => "TCA_UNSPEC", 1 => "TCA_KIND", 2 => "TCA_OPTIONS", 3 => "TCA_STATS", 4 => "TCA_XSTATS",
    5 => "TCA_RATE", 6 => "TCA_FCNT", 7 => "TCA_STATS2", 8 => "TCA_STAB", 9 => "TCA_PAD",
    10 => "TCA_DUMP_INVISIBLE", 11 => "TCA_CHAIN", 12 => "TCA_HW_OFFLOAD",
    13 => "TCA_INGRESS_BLOCK", 14 => "TCA_EGRESS_BLOCK", 15 => "TCA_DUMP_FLAGS",
]);

xlat::xlat!(TCA_STATS_ATTRS, "TCA_STATS_???", [
    0 => "TCA_STATS_UNSPEC", 1 => "TCA_STATS_BASIC", 2 => "TCA_STATS_RATE_EST",
    3 => "TCA_STATS_QUEUE", 4 => "TCA_STATS_APP", 5 => "TCA_STATS_RATE_EST64",
    6 => "TCA_STATS_PAD", 7 => "TCA_STATS_BASIC_HW", 8 => "TCA_STATS_PKT64",
]);

xlat::xlat!(TCA_STAB_ATTRS, "TCA_STAB_???", [
    0 => "TCA_STAB_UNSPEC", 1 => "TCA_STAB_BASE", 2 => "TCA_STAB_DATA",
]);

xlat::xlat!(TC_ACTION_ATTRS, "TCA_ACT_???", [
    0 => "TCA_ACT_UNSPEC", 1 => "TCA_ACT_KIND", 2 => "TCA_ACT_OPTIONS", 3 => "TCA_ACT_INDEX",
    4 => "TCA_ACT_STATS", 5 => "TCA_ACT_PAD", 6 => "TCA_ACT_COOKIE", 7 => "TCA_ACT_FLAGS",
    8 => "TCA_ACT_HW_STATS", 9 => "TCA_ACT_USED_HW_STATS", 10 => "TCA_ACT_IN_HW_COUNT",
]);

xlat::xlat!(TCA_ACT_FLAGS, "TCA_ACT_FLAGS_???", [
    0x1 => "TCA_ACT_FLAGS_NO_PERCPU_STATS", 0x2 => "TCA_ACT_FLAGS_SKIP_HW",
    0x4 => "TCA_ACT_FLAGS_SKIP_SW",
]);

xlat::xlat!(TCA_ACT_HW_STATS, "TCA_ACT_HW_STATS_???", [
    0x1 => "TCA_ACT_HW_STATS_IMMEDIATE", 0x2 => "TCA_ACT_HW_STATS_DELAYED",
]);
