//! NETLINK_SOCK_DIAG messages (strace's netlink_sock_diag.c and netlink_*_diag.c): the
//! request and reply of each socket family, then their attributes.

use std::fmt::Write;

use super::netlink_inet_diag::{
    TCP_STATE_FLAGS, TCP_STATES, inet_diag_msg, inet_diag_req, smc_diag_msg, smc_diag_req,
};
use super::nlattr::{Nla, NlaTable, attr_struct, uint_struct};
use super::nlmsg::{self, NLMSG_DONE, NlMsgHdr, fixed_part};
use super::print::Ctx;
use super::structs::{u16_at, u32_at, u64_at};
use crate::xlat::{self, Xlat};

const NLM_F_REQUEST: u16 = 1;
const AF_UNIX: u8 = 1;
const AF_NETLINK: u8 = 16;
const AF_PACKET: u8 = 17;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const AF_SMC: u8 = 43;

/// strace's decode_netlink_sock_diag: the message after its header; false for NLMSG_DONE.
pub(crate) fn decode(c: &mut Ctx, h: &NlMsgHdr, addr: u64, len: u32) -> bool {
    if h.kind == NLMSG_DONE {
        return false;
    }
    let Some(family) = nlmsg::read_family(c, addr) else {
        return true;
    };
    let request = h.flags & NLM_F_REQUEST != 0;
    if len <= 1 {
        nlmsg::family_and_data(c, family, addr, len);
        return true;
    }
    match (family, request) {
        (AF_UNIX, true) => unix_diag_req(c, family, addr, len),
        (AF_UNIX, false) => unix_diag_msg(c, family, addr, len),
        (AF_INET | AF_INET6, true) => inet_diag_req(c, h.kind, family, addr, len),
        (AF_INET | AF_INET6, false) => inet_diag_msg(c, family, addr, len),
        (AF_NETLINK, true) => netlink_diag_req(c, family, addr, len),
        (AF_NETLINK, false) => netlink_diag_msg(c, family, addr, len),
        (AF_PACKET, true) => packet_diag_req(c, family, addr, len),
        (AF_PACKET, false) => packet_diag_msg(c, family, addr, len),
        (AF_SMC, true) => smc_diag_req(c, family, addr, len),
        (AF_SMC, false) => smc_diag_msg(c, family, addr, len),
        _ => nlmsg::family_and_data(c, family, addr, len),
    }
    true
}

/// `name=[a, b]`: a socket cookie, two `u32`s.
fn cookie(c: &mut Ctx, name: &str, b: &[u8], at: usize) {
    let _ = write!(c.out, "{name}=[{}, {}]", u32_at(b, at), u32_at(b, at + 4));
}

fn unix_diag_req(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        let _ = write!(c.out, "sdiag_protocol={}, udiag_states=", b[1]);
        c.flags(u64::from(u32_at(b, 4)), &TCP_STATE_FLAGS);
        let _ = write!(c.out, ", udiag_ino={}, udiag_show=", u32_at(b, 8));
        c.flags(u64::from(u32_at(b, 12)), &UNIX_DIAG_SHOW);
        c.s(", ");
        cookie(c, "udiag_cookie", b, 16);
    };
    fixed_part(c, "sdiag_family", (family, addr, len), 24, fields, None);
}

fn unix_diag_msg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("udiag_type=");
        c.xval(u64::from(b[1]), &xlat::SOCK_TYPES);
        c.s(", udiag_state=");
        c.xval(u64::from(b[2]), &TCP_STATES);
        let _ = write!(c.out, ", udiag_ino={}, ", u32_at(b, 4));
        cookie(c, "udiag_cookie", b, 8);
    };
    fixed_part(
        c,
        "udiag_family",
        (family, addr, len),
        16,
        fields,
        Some((&UNIX_DIAG_ATTRS, 0)),
    );
}

const UNIX_DIAG_ATTRS: NlaTable = NlaTable::indexed(
    &UNIX_DIAG_ATTR_NAMES,
    &[
        Nla::Str,
        Nla::Custom(unix_diag_vfs),
        Nla::U32,
        Nla::Custom(u32_array),
        Nla::Custom(unix_diag_rqlen),
        Nla::Meminfo,
        Nla::U8,
        Nla::Uid,
    ],
);

fn unix_diag_vfs(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<8>(c, addr, len, |c, b| {
        c.s("{udiag_vfs_dev=");
        // struct unix_diag_vfs: the inode first.
        super::structs::write_dev(c.out, u64::from(u32_at(b, 4)));
        let _ = write!(c.out, ", udiag_vfs_ino={}}}", u32_at(b, 0));
    })
}

fn unix_diag_rqlen(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    uint_struct(c, addr, len, 4, &["udiag_rqueue", "udiag_wqueue"])
}

/// `[1, 2, 3]`: the data as `u32`s.
fn u32_array(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let count = len / 4;
    if count == 0 {
        return false;
    }
    c.array(addr, u64::from(count), 4, |c, b| {
        c.udec(u64::from(u32_at(b, 0)));
        true
    });
    true
}

fn netlink_diag_req(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    const NDIAG_PROTO_ALL: u8 = 255;
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("sdiag_protocol=");
        if b[1] == NDIAG_PROTO_ALL {
            c.xval(u64::from(b[1]), &NDIAG_PROTO_ALL_NAME);
        } else {
            c.xval(u64::from(b[1]), &xlat::NETLINK_PROTOCOLS);
        }
        let _ = write!(c.out, ", ndiag_ino={}, ndiag_show=", u32_at(b, 4));
        c.flags(u64::from(u32_at(b, 8)), &NETLINK_DIAG_SHOW);
        c.s(", ");
        cookie(c, "ndiag_cookie", b, 12);
    };
    fixed_part(c, "sdiag_family", (family, addr, len), 20, fields, None);
}

fn netlink_diag_msg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("ndiag_type=");
        c.xval(u64::from(b[1]), &xlat::SOCK_TYPES);
        c.s(", ndiag_protocol=");
        c.xval(u64::from(b[2]), &xlat::NETLINK_PROTOCOLS);
        c.s(", ndiag_state=");
        c.xval(u64::from(b[3]), &NETLINK_STATES);
        let _ = write!(
            c.out,
            ", ndiag_portid={}, ndiag_dst_portid={}, ndiag_dst_group={}, ndiag_ino={}, ",
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16)
        );
        cookie(c, "ndiag_cookie", b, 20);
    };
    fixed_part(
        c,
        "ndiag_family",
        (family, addr, len),
        28,
        fields,
        Some((&NETLINK_DIAG_ATTRS, 0)),
    );
}

const NETLINK_DIAG_ATTRS: NlaTable = NlaTable::indexed(
    &NETLINK_DIAG_ATTR_NAMES,
    &[
        Nla::Meminfo,
        Nla::Custom(netlink_diag_groups),
        Nla::Custom(netlink_diag_ring),
        Nla::Custom(netlink_diag_ring),
        Nla::FlagsU32(&NETLINK_SOCKET_FLAGS),
    ],
);

/// The multicast group bitmap, in words.
fn netlink_diag_groups(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let count = len / 8;
    if count == 0 {
        return false;
    }
    c.array(addr, u64::from(count), 8, |c, b| {
        super::print::write_padded_hex(c.out, u64_at(b, 0), 16);
        true
    });
    true
}

fn netlink_diag_ring(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = [
        "ndr_block_size",
        "ndr_block_nr",
        "ndr_frame_size",
        "ndr_frame_nr",
    ];
    uint_struct(c, addr, len, 4, &names)
}

fn packet_diag_req(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        // AF_PACKET takes no protocol but 0: strace shows it in hex.
        c.s("sdiag_protocol=");
        c.hex(u64::from(b[1]));
        let _ = write!(c.out, ", pdiag_ino={}, pdiag_show=", u32_at(b, 4));
        c.flags(u64::from(u32_at(b, 8)), &PACKET_DIAG_SHOW);
        c.s(", ");
        cookie(c, "pdiag_cookie", b, 12);
    };
    fixed_part(c, "sdiag_family", (family, addr, len), 20, fields, None);
}

fn packet_diag_msg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("pdiag_type=");
        c.xval(u64::from(b[1]), &xlat::SOCK_TYPES);
        c.s(", pdiag_num=");
        c.xval(
            u64::from(u16_at(b, 2)),
            &super::sockaddr::ETHERNET_PROTOCOLS,
        );
        let _ = write!(c.out, ", pdiag_ino={}, ", u32_at(b, 4));
        cookie(c, "pdiag_cookie", b, 8);
    };
    fixed_part(
        c,
        "pdiag_family",
        (family, addr, len),
        16,
        fields,
        Some((&PACKET_DIAG_ATTRS, 0)),
    );
}

const PACKET_DIAG_ATTRS: NlaTable = NlaTable::indexed(
    &PACKET_DIAG_ATTR_NAMES,
    &[
        Nla::Custom(packet_diag_info),
        Nla::Custom(packet_diag_mclist),
        Nla::Custom(packet_diag_ring),
        Nla::Custom(packet_diag_ring),
        Nla::U32,
        Nla::Uid,
        Nla::Meminfo,
        Nla::Custom(packet_diag_filter),
    ],
);

fn packet_diag_info(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<24>(c, addr, len, |c, b| {
        c.s("{pdi_index=");
        super::sockaddr::ifindex(c, u32_at(b, 0));
        c.s(", pdi_version=");
        c.xval(u64::from(u32_at(b, 4)), &AF_PACKET_VERSIONS);
        let _ = write!(
            c.out,
            ", pdi_reserve={}, pdi_copy_thresh={}, pdi_tstamp={}, pdi_flags=",
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16)
        );
        c.flags(u64::from(u32_at(b, 20)), &PACKET_DIAG_INFO_FLAGS);
        c.s("}");
    })
}

fn packet_diag_mclist(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    const SIZE: u32 = 44;
    let count = len / SIZE;
    if count == 0 {
        return false;
    }
    c.array(addr, u64::from(count), SIZE as usize, |c, b| {
        let alen = u16_at(b, 10);
        c.s("{pdmc_index=");
        super::sockaddr::ifindex(c, u32_at(b, 0));
        let _ = write!(
            c.out,
            ", pdmc_count={}, pdmc_type={}, pdmc_alen={alen}, pdmc_addr=",
            u32_at(b, 4),
            u16_at(b, 8)
        );
        let shown = usize::from(alen).min(32);
        super::print::quote(c.out, &b[12..12 + shown], 2, b"", true);
        c.s("}");
        true
    });
    true
}

fn packet_diag_ring(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = [
        "pdr_block_size",
        "pdr_block_nr",
        "pdr_frame_size",
        "pdr_frame_nr",
        "pdr_retire_tmo",
        "pdr_sizeof_priv",
        "pdr_features",
    ];
    uint_struct(c, addr, len, 4, &names)
}

/// The socket's classic BPF filter, `struct sock_filter`s.
fn packet_diag_filter(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let count = len / 8;
    if count == 0 || count > u32::from(u16::MAX) {
        return false;
    }
    super::bpf_filter::program(c, addr, u64::from(count), super::bpf_filter::Filter::Socket);
    true
}

// strace's src/xlat/nl_sock_diag_types.in (linux/inet_diag.h, linux/sock_diag.h).
xlat::xlat!(pub(crate) TYPES, "SOCK_DIAG_???", [
    18 => "TCPDIAG_GETSOCK", 19 => "DCCPDIAG_GETSOCK", 20 => "SOCK_DIAG_BY_FAMILY",
    21 => "SOCK_DESTROY",
]);

// strace's src/xlat/unix_diag_*.in (linux/unix_diag.h).
xlat::xlat!(UNIX_DIAG_SHOW, "UDIAG_SHOW_???", [
    0x1 => "UDIAG_SHOW_NAME", 0x2 => "UDIAG_SHOW_VFS", 0x4 => "UDIAG_SHOW_PEER",
    0x8 => "UDIAG_SHOW_ICONS", 0x10 => "UDIAG_SHOW_RQLEN", 0x20 => "UDIAG_SHOW_MEMINFO",
    0x40 => "UDIAG_SHOW_UID",
]);
xlat::xlat!(UNIX_DIAG_ATTR_NAMES, "UNIX_DIAG_???", [
    0 => "UNIX_DIAG_NAME", 1 => "UNIX_DIAG_VFS", 2 => "UNIX_DIAG_PEER", 3 => "UNIX_DIAG_ICONS",
    4 => "UNIX_DIAG_RQLEN", 5 => "UNIX_DIAG_MEMINFO", 6 => "UNIX_DIAG_SHUTDOWN",
    7 => "UNIX_DIAG_UID",
]);

// strace's src/xlat/netlink_diag_*.in, netlink_socket_flags.in, netlink_states.in
// (linux/netlink_diag.h).
const NDIAG_PROTO_ALL_NAME: Xlat = Xlat {
    entries: &[(255, "NDIAG_PROTO_ALL")],
    unknown: "",
};
xlat::xlat!(NETLINK_DIAG_SHOW, "NDIAG_SHOW_???", [
    0x1 => "NDIAG_SHOW_MEMINFO", 0x2 => "NDIAG_SHOW_GROUPS", 0x4 => "NDIAG_SHOW_RING_CFG",
    0x8 => "NDIAG_SHOW_FLAGS",
]);
xlat::xlat!(NETLINK_DIAG_ATTR_NAMES, "NETLINK_DIAG_???", [
    0 => "NETLINK_DIAG_MEMINFO", 1 => "NETLINK_DIAG_GROUPS", 2 => "NETLINK_DIAG_RX_RING",
    3 => "NETLINK_DIAG_TX_RING", 4 => "NETLINK_DIAG_FLAGS",
]);
xlat::xlat!(NETLINK_SOCKET_FLAGS, "NDIAG_FLAG_???", [
    0x1 => "NDIAG_FLAG_CB_RUNNING", 0x2 => "NDIAG_FLAG_PKTINFO", 0x4 => "NDIAG_FLAG_BROADCAST_ERROR",
    0x8 => "NDIAG_FLAG_NO_ENOBUFS", 0x10 => "NDIAG_FLAG_LISTEN_ALL_NSID", 0x20 => "NDIAG_FLAG_CAP_ACK",
]);
xlat::xlat!(NETLINK_STATES, "NETLINK_???", [
    0 => "NETLINK_UNCONNECTED", 1 => "NETLINK_CONNECTED", 7 => "TCP_CLOSE",
]);

// strace's src/xlat/packet_diag_*.in, af_packet_versions.in (linux/packet_diag.h,
// linux/if_packet.h).
xlat::xlat!(PACKET_DIAG_SHOW, "PACKET_SHOW_???", [
    0x1 => "PACKET_SHOW_INFO", 0x2 => "PACKET_SHOW_MCLIST", 0x4 => "PACKET_SHOW_RING_CFG",
    0x8 => "PACKET_SHOW_FANOUT", 0x10 => "PACKET_SHOW_MEMINFO", 0x20 => "PACKET_SHOW_FILTER",
]);
xlat::xlat!(PACKET_DIAG_ATTR_NAMES, "PACKET_DIAG_???", [
    0 => "PACKET_DIAG_INFO", 1 => "PACKET_DIAG_MCLIST", 2 => "PACKET_DIAG_RX_RING",
    3 => "PACKET_DIAG_TX_RING", 4 => "PACKET_DIAG_FANOUT", 5 => "PACKET_DIAG_UID",
    6 => "PACKET_DIAG_MEMINFO", 7 => "PACKET_DIAG_FILTER",
]);
xlat::xlat!(PACKET_DIAG_INFO_FLAGS, "PDI_???", [
    0x1 => "PDI_RUNNING", 0x2 => "PDI_AUXDATA", 0x4 => "PDI_ORIGDEV", 0x8 => "PDI_VNETHDR",
    0x10 => "PDI_LOSS",
]);
xlat::xlat!(AF_PACKET_VERSIONS, "TPACKET_???", [
    0 => "TPACKET_V1", 1 => "TPACKET_V2", 2 => "TPACKET_V3",
]);
