//! NETLINK_NETFILTER messages (strace's netlink_netfilter.c and the netfilter parts of
//! netlink.c): types made of a subsystem and its message type, their flags, and
//! `struct nfgenmsg` before untyped attributes.

use super::nlattr::{self, NlaTable};
use super::nlmsg::{
    NETLINK_DELETE_FLAGS, NETLINK_GET_FLAGS, NETLINK_NEW_FLAGS, NLMSG_DONE, NlMsgHdr,
};
use super::print::{self, Ctx};
use super::structs::u16_at;
use crate::xlat::{self, Xlat};

const NFNL_SUBSYS_NFTABLES: u8 = 10;
const NLMSG_MIN_TYPE: u16 = 0x10;

/// The message types of each subsystem, by subsystem id.
const SUBSYS_MSG_TYPES: [Option<&Xlat>; 13] = [
    None,
    Some(&CTNETLINK),
    Some(&CTNETLINK_EXP),
    Some(&QUEUE),
    Some(&ULOG),
    Some(&OSF),
    Some(&IPSET),
    Some(&ACCT),
    Some(&CTTIMEOUT),
    Some(&CTHELPER),
    Some(&NFTABLES),
    Some(&NFT_COMPAT),
    Some(&HOOK),
];

/// strace's decode_nlmsg_type_netfilter: a batch control type, else
/// `NFNL_SUBSYS_X<<8|MSG`.
pub(crate) fn nlmsg_type(c: &mut Ctx, kind: u16) {
    if let Some((_, name)) = MSG_TYPES.entries.iter().find(|e| e.0 == u64::from(kind)) {
        print::write_named(c.out, Some(name), &MSG_TYPES, |out| {
            print::write_hex(out, u64::from(kind))
        });
        return;
    }
    let (subsys, msg) = ((kind >> 8) as u8, kind as u8);
    c.xval(u64::from(subsys), &SUBSYS_IDS);
    c.s("<<8|");
    match SUBSYS_MSG_TYPES.get(usize::from(subsys)).copied().flatten() {
        Some(types) => c.xval(u64::from(msg), types),
        None => c.hex(u64::from(msg)),
    }
}

/// strace's decode_nlmsg_flags_netfilter: which request flags a message type takes.
pub(crate) fn flags_table(kind: u16) -> Option<&'static Xlat> {
    const NEW: Option<&Xlat> = Some(&NETLINK_NEW_FLAGS);
    const GET: Option<&Xlat> = Some(&NETLINK_GET_FLAGS);
    const DELETE: Option<&Xlat> = Some(&NETLINK_DELETE_FLAGS);
    match ((kind >> 8) as u8, kind as u8) {
        (1, 0) | (2, 0) | (7, 0) | (8, 0) | (9, 0) => NEW,
        (1, 1 | 3..=7) | (2, 1 | 3) | (7, 1 | 2) | (8, 1) | (9, 1) => GET,
        (1, 2) | (2, 2) | (7, 3) | (8, 2) | (9, 2) => DELETE,
        (NFNL_SUBSYS_NFTABLES, 0 | 3 | 6 | 9 | 12 | 15 | 18 | 22) => NEW,
        (NFNL_SUBSYS_NFTABLES, 1 | 4 | 7 | 10 | 13 | 16 | 19 | 21 | 23) => GET,
        (NFNL_SUBSYS_NFTABLES, 2 | 5 | 8 | 11 | 14 | 20 | 24) => DELETE,
        (11 | 12, 0) => GET,
        _ => None,
    }
}

/// strace's decode_netlink_netfilter: `struct nfgenmsg`, then attributes (not for batch
/// control messages); false for NLMSG_DONE.
pub(crate) fn decode(c: &mut Ctx, h: &NlMsgHdr, addr: u64, len: u32) -> bool {
    const SIZE: u32 = 4;
    if h.kind == NLMSG_DONE {
        return false;
    }
    if len < SIZE {
        c.buf_hex(addr, u64::from(len));
        return true;
    }
    let mut b = [0u8; SIZE as usize];
    if !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return true;
    }
    c.s("{nfgen_family=");
    c.xval(u64::from(b[0]), &xlat::ADDRESS_FAMILIES);
    c.s(", version=");
    c.xval(u64::from(b[1]), &VERSIONS);
    c.s(", res_id=");
    res_id(c, (h.kind >> 8) as u8, u16_at(&b, 2));
    c.s("}");
    if len > SIZE {
        c.s(", ");
        let (at, rest) = (addr + u64::from(SIZE), len - SIZE);
        if h.kind < NLMSG_MIN_TYPE || MSG_TYPES.entries.iter().any(|e| e.0 == u64::from(h.kind)) {
            c.buf_hex(at, u64::from(rest));
        } else {
            nlattr::decode(c, at, rest, &UNNAMED_ATTRS, 0);
        }
    }
    true
}

/// The resource id, big endian; nf_tables sends its subsystem id there, which some kernels
/// wrote in host order (linux commit v4.3-rc1~28^2~47^2~1).
fn res_id(c: &mut Ctx, subsys: u8, raw: u16) {
    let host = u16::from_be(raw);
    let nftables = u16::from(NFNL_SUBSYS_NFTABLES);
    let name = match () {
        _ if subsys == NFNL_SUBSYS_NFTABLES && host == nftables => "htons(NFNL_SUBSYS_NFTABLES)",
        _ if subsys == NFNL_SUBSYS_NFTABLES && raw == nftables => "NFNL_SUBSYS_NFTABLES",
        _ => {
            c.s("htons(");
            c.udec(u64::from(host));
            c.s(")");
            return;
        }
    };
    print::write_named(c.out, Some(name), &UNNAMED, |out| {
        print::write_hex(out, u64::from(raw))
    });
}

/// Attributes strace names by number only.
const UNNAMED: Xlat = Xlat {
    entries: &[],
    unknown: "",
};
const UNNAMED_ATTRS: NlaTable = NlaTable::names(&UNNAMED);

// strace's src/xlat/nl_netfilter_*.in, netfilter_versions.in, nf_*_msg_types.in
// (linux/netfilter/nfnetlink*.h, nf_tables.h, ipset/ip_set.h).
xlat::xlat!(MSG_TYPES, "NFNL_MSG_???", [
    16 => "NFNL_MSG_BATCH_BEGIN", 17 => "NFNL_MSG_BATCH_END",
]);

xlat::xlat!(SUBSYS_IDS, "NFNL_SUBSYS_???", [
    0 => "NFNL_SUBSYS_NONE", 1 => "NFNL_SUBSYS_CTNETLINK", 2 => "NFNL_SUBSYS_CTNETLINK_EXP",
    3 => "NFNL_SUBSYS_QUEUE", 4 => "NFNL_SUBSYS_ULOG", 5 => "NFNL_SUBSYS_OSF",
    6 => "NFNL_SUBSYS_IPSET", 7 => "NFNL_SUBSYS_ACCT", 8 => "NFNL_SUBSYS_CTNETLINK_TIMEOUT",
    9 => "NFNL_SUBSYS_CTHELPER", 10 => "NFNL_SUBSYS_NFTABLES", 11 => "NFNL_SUBSYS_NFT_COMPAT",
    12 => "NFNL_SUBSYS_HOOK",
]);

xlat::xlat!(VERSIONS, "NFNETLINK_???", [
    0 => "NFNETLINK_V0",
]);

xlat::xlat!(CTNETLINK, "IPCTNL_MSG_CT_???", [
    0 => "IPCTNL_MSG_CT_NEW", 1 => "IPCTNL_MSG_CT_GET", 2 => "IPCTNL_MSG_CT_DELETE",
    3 => "IPCTNL_MSG_CT_GET_CTRZERO", 4 => "IPCTNL_MSG_CT_GET_STATS_CPU",
    5 => "IPCTNL_MSG_CT_GET_STATS", 6 => "IPCTNL_MSG_CT_GET_DYING",
    7 => "IPCTNL_MSG_CT_GET_UNCONFIRMED",
]);

xlat::xlat!(CTNETLINK_EXP, "IPCTNL_MSG_EXP_???", [
    0 => "IPCTNL_MSG_EXP_NEW", 1 => "IPCTNL_MSG_EXP_GET", 2 => "IPCTNL_MSG_EXP_DELETE",
    3 => "IPCTNL_MSG_EXP_GET_STATS_CPU",
]);

xlat::xlat!(QUEUE, "NFQNL_MSG_???", [
    0 => "NFQNL_MSG_PACKET", 1 => "NFQNL_MSG_VERDICT", 2 => "NFQNL_MSG_CONFIG",
    3 => "NFQNL_MSG_VERDICT_BATCH",
]);

xlat::xlat!(ULOG, "NFULNL_MSG_???", [
    0 => "NFULNL_MSG_PACKET", 1 => "NFULNL_MSG_CONFIG",
]);

xlat::xlat!(OSF, "OSF_MSG_???", [
    0 => "OSF_MSG_ADD", 1 => "OSF_MSG_REMOVE",
]);

xlat::xlat!(IPSET, "IPSET_CMD_???", [
    0 => "IPSET_CMD_NONE", 1 => "IPSET_CMD_PROTOCOL", 2 => "IPSET_CMD_CREATE",
    3 => "IPSET_CMD_DESTROY", 4 => "IPSET_CMD_FLUSH", 5 => "IPSET_CMD_RENAME",
    6 => "IPSET_CMD_SWAP", 7 => "IPSET_CMD_LIST", 8 => "IPSET_CMD_SAVE", 9 => "IPSET_CMD_ADD",
    10 => "IPSET_CMD_DEL", 11 => "IPSET_CMD_TEST", 12 => "IPSET_CMD_HEADER",
    13 => "IPSET_CMD_TYPE", 16 => "IPSET_CMD_RESTORE", 17 => "IPSET_CMD_HELP",
    18 => "IPSET_CMD_VERSION", 19 => "IPSET_CMD_QUIT", 20 => "IPSET_CMD_COMMIT",
]);

xlat::xlat!(ACCT, "NFNL_MSG_ACCT_???", [
    0 => "NFNL_MSG_ACCT_NEW", 1 => "NFNL_MSG_ACCT_GET", 2 => "NFNL_MSG_ACCT_GET_CTRZERO",
    3 => "NFNL_MSG_ACCT_DEL", 4 => "NFNL_MSG_ACCT_OVERQUOTA",
]);

xlat::xlat!(CTTIMEOUT, "IPCTNL_MSG_TIMEOUT_???", [
    0 => "IPCTNL_MSG_TIMEOUT_NEW", 1 => "IPCTNL_MSG_TIMEOUT_GET",
    2 => "IPCTNL_MSG_TIMEOUT_DELETE", 3 => "IPCTNL_MSG_TIMEOUT_DEFAULT_SET",
    4 => "IPCTNL_MSG_TIMEOUT_DEFAULT_GET",
]);

xlat::xlat!(CTHELPER, "NFNL_MSG_CTHELPER_???", [
    0 => "NFNL_MSG_CTHELPER_NEW", 1 => "NFNL_MSG_CTHELPER_GET", 2 => "NFNL_MSG_CTHELPER_DEL",
]);

xlat::xlat!(NFTABLES, "NFT_MSG_???", [
    0 => "NFT_MSG_NEWTABLE", 1 => "NFT_MSG_GETTABLE", 2 => "NFT_MSG_DELTABLE",
    3 => "NFT_MSG_NEWCHAIN", 4 => "NFT_MSG_GETCHAIN", 5 => "NFT_MSG_DELCHAIN",
    6 => "NFT_MSG_NEWRULE", 7 => "NFT_MSG_GETRULE", 8 => "NFT_MSG_DELRULE", 9 => "NFT_MSG_NEWSET",
    10 => "NFT_MSG_GETSET", 11 => "NFT_MSG_DELSET", 12 => "NFT_MSG_NEWSETELEM",
    13 => "NFT_MSG_GETSETELEM", 14 => "NFT_MSG_DELSETELEM", 15 => "NFT_MSG_NEWGEN",
    16 => "NFT_MSG_GETGEN", 17 => "NFT_MSG_TRACE", 18 => "NFT_MSG_NEWOBJ", 19 => "NFT_MSG_GETOBJ",
    20 => "NFT_MSG_DELOBJ", 21 => "NFT_MSG_GETOBJ_RESET", 22 => "NFT_MSG_NEWFLOWTABLE",
    23 => "NFT_MSG_GETFLOWTABLE", 24 => "NFT_MSG_DELFLOWTABLE",
]);

xlat::xlat!(NFT_COMPAT, "NFNL_MSG_COMPAT_???", [
    0 => "NFNL_MSG_COMPAT_GET",
]);

xlat::xlat!(HOOK, "NFT_MSG_HOOK_???", [
    0 => "NFNL_MSG_HOOK_GET",
]);
