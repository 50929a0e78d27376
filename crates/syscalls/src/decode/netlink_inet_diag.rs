//! NETLINK_SOCK_DIAG for inet and SMC sockets (strace's netlink_inet_diag.c and
//! netlink_smc_diag.c): requests (with their filter bytecode), replies and the
//! `struct inet_diag_sockid` both share.

use std::fmt::Write;

use super::nlattr::{self, Nla, NlaTable, attr_struct, uint_struct};
use super::nlmsg::fixed_part;
use super::print::{self, CHex, Ctx};
use super::sockaddr::{self, ifindex};
use super::structs::{u16_at, u32_at, u64_at};
use crate::xlat;

const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const TCPDIAG_GETSOCK: u16 = 18;
const DCCPDIAG_GETSOCK: u16 = 19;

/// `struct inet_diag_sockid` (48 bytes at `b`): ports and addresses in network order.
fn sockid(c: &mut Ctx, b: &[u8], family: u8) {
    c.s("id={");
    sockaddr::port(c, "idiag_sport", &b[0..2]);
    c.s(", ");
    sockaddr::port(c, "idiag_dport", &b[2..4]);
    c.s(", ");
    inet_addr_field(c, family, "idiag_src", &b[4..20]);
    c.s(", ");
    inet_addr_field(c, family, "idiag_dst", &b[20..36]);
    c.s(", idiag_if=");
    ifindex(c, u32_at(b, 36));
    let _ = write!(
        c.out,
        ", idiag_cookie=[{}, {}]}}",
        u32_at(b, 40),
        u32_at(b, 44)
    );
}

/// strace's PRINT_FIELD_INET_ADDR: a 16-byte address field of `family`; an IPv4 one
/// shows all 16 bytes with -X raw.
fn inet_addr_field(c: &mut Ctx, family: u8, name: &str, b: &[u8]) {
    match family {
        AF_INET => {
            let _ = write!(c.out, "{name}=");
            sockaddr::inet_addr_value(c, b);
        }
        AF_INET6 => sockaddr::inet6_addr(c, Some(name), b),
        _ => {
            let _ = write!(c.out, "{name}=");
            print::quote(c.out, b, 2, b"", true);
        }
    }
}

/// A request: `inet_diag_req` for the old TCPDIAG/DCCPDIAG types, else `inet_diag_req_v2`.
pub(crate) fn inet_diag_req(c: &mut Ctx, kind: u16, family: u8, addr: u64, len: u32) {
    let attrs = Some((&INET_DIAG_REQ_TABLE, 0));
    if kind == TCPDIAG_GETSOCK || kind == DCCPDIAG_GETSOCK {
        let fields = |c: &mut Ctx, b: &[u8]| {
            let _ = write!(
                c.out,
                "idiag_src_len={}, idiag_dst_len={}, idiag_ext=",
                b[1], b[2]
            );
            c.flags(u64::from(b[3]), &INET_DIAG_EXTENDED_FLAGS);
            c.s(", ");
            sockid(c, &b[4..52], family);
            c.s(", idiag_states=");
            c.flags(u64::from(u32_at(b, 52)), &TCP_STATE_FLAGS);
            let _ = write!(c.out, ", idiag_dbs={}", u32_at(b, 56));
        };
        fixed_part(c, "idiag_family", (family, addr, len), 60, fields, attrs);
    } else {
        let fields = |c: &mut Ctx, b: &[u8]| {
            c.s("sdiag_protocol=");
            c.xval(u64::from(b[1]), &xlat::INET_PROTOCOLS);
            c.s(", idiag_ext=");
            c.flags(u64::from(b[2]), &INET_DIAG_EXTENDED_FLAGS);
            c.s(", idiag_states=");
            c.flags(u64::from(u32_at(b, 4)), &TCP_STATE_FLAGS);
            c.s(", ");
            sockid(c, &b[8..56], family);
        };
        fixed_part(c, "sdiag_family", (family, addr, len), 56, fields, attrs);
    }
}

const INET_DIAG_REQ_TABLE: NlaTable = NlaTable::indexed(
    &INET_DIAG_REQ_ATTRS,
    &[Nla::Hex, Nla::Custom(bc_op), Nla::Hex, Nla::IpProto],
);

/// `struct inet_diag_bc_op`.
fn print_bc_op(c: &mut Ctx, b: &[u8]) {
    c.s("{code=");
    c.xval(u64::from(b[0]), &INET_DIAG_BYTECODES);
    let _ = write!(c.out, ", yes={}, no={}}}", b[1], u16_at(b, 2));
}

/// A filter bytecode operation, then its operand (strace's decode_inet_diag_bc_op).
fn bc_op(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let mut code = None;
    let fits = attr_struct::<4>(c, addr, len, |c, b| {
        print_bc_op(c, b);
        code = Some(b[0]);
    });
    if let Some(code) = code
        && len > 4
    {
        c.s(", ");
        bc_operand(c, addr + 4, len - 4, code);
    }
    fits
}

/// strace's decode_bytecode_data: what follows an operation, by its code.
fn bc_operand(c: &mut Ctx, addr: u64, len: u32, code: u8) {
    const S_GE: u8 = 2;
    const D_LE: u8 = 5;
    const S_COND: u8 = 7;
    const D_COND: u8 = 8;
    const DEV_COND: u8 = 9;
    const MARK_COND: u8 = 10;
    let shown = match code {
        S_COND | D_COND => hostcond(c, addr, len),
        DEV_COND => attr_struct::<4>(c, addr, len, |c, b| ifindex(c, u32_at(b, 0))),
        S_GE..=D_LE => attr_struct::<4>(c, addr, len, |c, b| print_bc_op(c, b)),
        MARK_COND => uint_struct(c, addr, len, 4, &["mark", "mask"]),
        _ => false,
    };
    if !shown {
        c.buf_hex(addr, u64::from(len));
    }
}

/// `struct inet_diag_hostcond`, its address after it.
fn hostcond(c: &mut Ctx, addr: u64, len: u32) -> bool {
    let mut family = None;
    let fits = attr_struct::<8>(c, addr, len, |c, b| {
        family = Some(b[0]);
        c.s("{family=");
        c.xval(u64::from(b[0]), &xlat::ADDRESS_FAMILIES);
        let _ = write!(c.out, ", prefix_len={}, port={}", b[1], u32_at(b, 4) as i32);
    });
    if let Some(family) = family {
        if len > 8 {
            c.s(", ");
            nlattr::inet_addr(c, addr + 8, len - 8, u64::from(family), Some("addr"));
        }
        c.s("}");
    }
    fits
}

/// A reply: `struct inet_diag_msg` and its attributes.
pub(crate) fn inet_diag_msg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("idiag_state=");
        c.xval(u64::from(b[1]), &TCP_STATES);
        let _ = write!(c.out, ", idiag_timer={}, idiag_retrans={}, ", b[2], b[3]);
        sockid(c, &b[4..52], family);
        let _ = write!(
            c.out,
            ", idiag_expires={}, idiag_rqueue={}, idiag_wqueue={}, idiag_uid={}, idiag_inode={}",
            u32_at(b, 52),
            u32_at(b, 56),
            u32_at(b, 60),
            u32_at(b, 64),
            u32_at(b, 68)
        );
    };
    let attrs = Some((&INET_DIAG_TABLE, 0));
    fixed_part(c, "idiag_family", (family, addr, len), 72, fields, attrs);
}

const INET_DIAG_TABLE: NlaTable = NlaTable::indexed(
    &INET_DIAG_ATTRS,
    &[
        Nla::Hex,
        Nla::Custom(meminfo),
        Nla::Hex,
        Nla::Custom(vegas_info),
        Nla::Str,
        Nla::U8,
        Nla::U8,
        Nla::Meminfo,
        Nla::Custom(shutdown),
        Nla::Custom(dctcp_info),
        Nla::IpProto,
        Nla::U8,
        Nla::Custom(sockaddrs),
        Nla::Custom(sockaddrs),
        Nla::Hex,
        Nla::U32,
        Nla::Custom(bbr_info),
        Nla::U32,
        Nla::Custom(md5sig),
        Nla::Nested(&ULP_INFO_TABLE),
        Nla::Nested(&BPF_STORAGES_TABLE),
        Nla::U64,
        Nla::Custom(sockopt),
    ],
);

/// `struct tcp_diag_md5sig`s: the key up to its length.
fn md5sig(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    const SIZE: usize = 100;
    let count = len as usize / SIZE;
    if count == 0 {
        return false;
    }
    c.array(addr, count as u64, SIZE, |c, b| {
        let keylen = usize::from(u16_at(b, 2));
        c.s("{tcpm_family=");
        c.xval(u64::from(b[0]), &xlat::ADDRESS_FAMILIES);
        let _ = write!(c.out, ", tcpm_prefixlen={}, tcpm_keylen={keylen}, ", b[1]);
        inet_addr_field(c, b[0], "tcpm_addr", &b[4..20]);
        c.s(", tcpm_key=");
        print::quote(c.out, &b[20..20 + keylen.min(80)], 2, b"", true);
        c.s("}");
        true
    });
    true
}

const ULP_INFO_TABLE: NlaTable = NlaTable::indexed(
    &ULP_INFO_ATTRS,
    &[
        Nla::Hex,
        Nla::Str,
        Nla::Nested(&ULP_INFO_TLS_TABLE),
        Nla::Nested(&ULP_INFO_MPTCP_TABLE),
    ],
);

const ULP_INFO_TLS_TABLE: NlaTable = NlaTable::indexed(
    &ULP_INFO_TLS_ATTRS,
    &[
        Nla::Hex,
        Nla::Xval(&TLS_INFO_VERSIONS, 2),
        Nla::Xval(&TLS_INFO_CIPHERS, 2),
        Nla::Xval(&TLS_INFO_CONFIGS, 2),
        Nla::Xval(&TLS_INFO_CONFIGS, 2),
    ],
);

const ULP_INFO_MPTCP_TABLE: NlaTable = NlaTable::indexed(
    &ULP_INFO_MPTCP_ATTRS,
    &[
        Nla::Hex,
        Nla::X32,
        Nla::X32,
        Nla::U32,
        Nla::U64,
        Nla::U32,
        Nla::U32,
        Nla::U16,
        Nla::Flags(&MPTCP_SUBFLOW_FLAGS, 4),
        Nla::U8,
        Nla::U8,
    ],
);

const BPF_STORAGES_TABLE: NlaTable = NlaTable::indexed(
    &BPF_STORAGES_ATTRS,
    &[Nla::Hex, Nla::Nested(&BPF_STORAGE_TABLE)],
);

const BPF_STORAGE_TABLE: NlaTable = NlaTable::indexed(
    &BPF_STORAGE_ATTRS,
    &[Nla::Hex, Nla::Hex, Nla::U32, Nla::Xint],
);

/// `struct inet_diag_sockopt`: one-bit options (without -v only those set), then any
/// non-zero bytes after the two strace knows.
fn sockopt(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    const BITS: [&str; 11] = [
        "recverr",
        "is_icsk",
        "freebind",
        "hdrincl",
        "mc_loop",
        "transparent",
        "mc_all",
        "nodefrag",
        "bind_address_no_port",
        "recverr_rfc4884",
        "defer_connect",
    ];
    let mut shown = false;
    let fits = attr_struct::<2>(c, addr, len, |c, b| {
        let word = u16::from_le_bytes([b[0], b[1]]);
        let all = c.style.verbose;
        let mut sep = "{";
        for (i, name) in BITS.iter().enumerate() {
            let bit = (word >> i) & 1;
            if all || bit != 0 {
                let _ = write!(c.out, "{sep}{name}={bit}");
                sep = ", ";
            }
        }
        let unused = b[1] >> 3;
        if all || unused != 0 {
            let _ = write!(c.out, "{sep}unused=");
            c.hex(u64::from(unused));
            c.s(" /* bits 3..8 */");
            sep = ", ";
        }
        if sep == "{" {
            c.s("{");
        }
        c.s("}");
        shown = true;
    });
    if shown {
        c.nonzero_tail(addr, 2, u64::from(len).min(4096));
    }
    fits
}

fn meminfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = ["idiag_rmem", "idiag_wmem", "idiag_fmem", "idiag_tmem"];
    uint_struct(c, addr, len, 4, &names)
}

fn vegas_info(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    let names = ["tcpv_enabled", "tcpv_rttcnt", "tcpv_rtt", "tcpv_minrtt"];
    uint_struct(c, addr, len, 4, &names)
}

/// RCV_SHUTDOWN and SEND_SHUTDOWN are no UAPI names: strace always shows the number.
fn shutdown(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    print::with_number_shown(|| {
        nlattr::data_of(c, Nla::Flags(&INET_DIAG_SHUTDOWN_FLAGS, 1), addr, len, 0)
    })
}

fn dctcp_info(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<16>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{dctcp_enabled={}, dctcp_ce_state={}, dctcp_alpha={}, dctcp_ab_ecn={}, \
             dctcp_ab_tot={}}}",
            u16_at(b, 0),
            u16_at(b, 2),
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12)
        );
    })
}

fn bbr_info(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<20>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{bbr_bw_lo={}, bbr_bw_hi={}, bbr_min_rtt={}, bbr_pacing_gain={}, \
             bbr_cwnd_gain={}}}",
            CHex(u64::from(u32_at(b, 0))),
            CHex(u64::from(u32_at(b, 4))),
            u32_at(b, 8),
            u32_at(b, 12),
            u32_at(b, 16)
        );
    })
}

/// `struct sockaddr_storage`s.
fn sockaddrs(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    const SIZE: usize = 128;
    let count = len as usize / SIZE;
    if count == 0 {
        return false;
    }
    c.array(addr, count as u64, SIZE, |c, b| {
        let mut buf = [0u8; sockaddr::MAX_LEN + 1];
        let n = SIZE.min(sockaddr::MAX_LEN);
        buf[..n].copy_from_slice(&b[..n]);
        sockaddr::write_sockaddr(c, &buf, n);
        true
    });
    true
}

/// An SMC request: `struct smc_diag_req` (its socket id is an AF_INET one).
pub(crate) fn smc_diag_req(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("diag_ext=");
        // struct smc_diag_req: two bytes of padding before diag_ext.
        c.flags(u64::from(b[3]), &SMC_DIAG_EXTENDED_FLAGS);
        c.s(", ");
        sockid(c, &b[4..52], AF_INET);
    };
    fixed_part(c, "diag_family", (family, addr, len), 52, fields, None);
}

/// An SMC reply: `struct smc_diag_msg`; its attributes are named only.
pub(crate) fn smc_diag_msg(c: &mut Ctx, family: u8, addr: u64, len: u32) {
    let fields = |c: &mut Ctx, b: &[u8]| {
        c.s("diag_state=");
        c.xval(u64::from(b[1]), &SMC_STATES);
        c.s(", diag_fallback=");
        c.xval(u64::from(b[2]), &SMC_DIAG_MODES);
        let _ = write!(c.out, ", diag_shutdown={}, ", b[3]);
        sockid(c, &b[4..52], AF_INET);
        let _ = write!(
            c.out,
            ", diag_uid={}, diag_inode={}",
            u32_at(b, 52),
            u64_at(b, 56)
        );
    };
    let attrs = Some((&SMC_DIAG_TABLE, 0));
    fixed_part(c, "diag_family", (family, addr, len), 64, fields, attrs);
}

/// strace's smc_diag_msg_nla_decoders.
const SMC_DIAG_TABLE: NlaTable = NlaTable::indexed(
    &SMC_DIAG_ATTRS,
    &[
        Nla::Hex,
        Nla::Custom(smc_conninfo),
        Nla::Custom(smc_lgrinfo),
        Nla::Flags(&INET_DIAG_SHUTDOWN_FLAGS, 1),
        Nla::Custom(smc_dmbinfo),
        Nla::Custom(smc_fallback),
    ],
);

/// `struct smc_diag_cursor` at `at`.
fn smc_cursor(c: &mut Ctx, name: &str, b: &[u8], at: usize) {
    let _ = write!(
        c.out,
        "{name}={{reserved={}, wrap={}, count={}}}",
        u16_at(b, at),
        u16_at(b, at + 2),
        u32_at(b, at + 4)
    );
}

fn smc_conninfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<76>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{token={}, sndbuf_size={}, rmbe_size={}, peer_rmbe_size={}",
            u32_at(b, 0),
            u32_at(b, 4),
            u32_at(b, 8),
            u32_at(b, 12)
        );
        for (i, name) in ["rx_prod", "rx_cons", "tx_prod", "tx_cons"]
            .iter()
            .enumerate()
        {
            c.s(", ");
            smc_cursor(c, name, b, 16 + i * 8);
        }
        let flags = [
            "rx_prod_flags",
            "rx_conn_state_flags",
            "tx_prod_flags",
            "tx_conn_state_flags",
        ];
        for (i, name) in flags.iter().enumerate() {
            let _ = write!(c.out, ", {name}=");
            print::write_padded_hex(c.out, u64::from(b[48 + i]), 4);
        }
        for (i, name) in ["tx_prep", "tx_sent", "tx_fin"].iter().enumerate() {
            c.s(", ");
            smc_cursor(c, name, b, 52 + i * 8);
        }
        c.s("}");
    })
}

/// A fixed-size char array shown up to its NUL, `...` after it when it has none.
fn cstring_field(c: &mut Ctx, name: &str, b: &[u8]) {
    let _ = write!(c.out, "{name}=");
    let end = b.iter().position(|x| *x == 0);
    print::quote(c.out, &b[..end.unwrap_or(b.len())], c.style.hex, b"", true);
    if end.is_none() {
        c.s("...");
    }
}

/// `struct smc_diag_lgrinfo`: one link and the group's role.
fn smc_lgrinfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<147>(c, addr, len, |c, b| {
        let _ = write!(c.out, "{{lnk=[{{link_id={}, ", b[0]);
        cstring_field(c, "ibname", &b[1..65]);
        let _ = write!(c.out, ", ibport={}, ", b[65]);
        cstring_field(c, "gid", &b[66..106]);
        c.s(", ");
        cstring_field(c, "peer_gid", &b[106..146]);
        c.s("}], role=");
        c.xval(u64::from(b[146]), &SMC_LINK_GROUP_ROLES);
        c.s("}");
    })
}

fn smc_dmbinfo(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<40>(c, addr, len, |c, b| {
        let _ = write!(
            c.out,
            "{{linkid={}, peer_gid={}, my_gid={}, token={}, peer_token={}}}",
            u32_at(b, 0),
            CHex(u64_at(b, 8)),
            CHex(u64_at(b, 16)),
            CHex(u64_at(b, 24)),
            CHex(u64_at(b, 32))
        );
    })
}

/// The decline codes are no UAPI names: strace always shows the numbers.
fn smc_fallback(c: &mut Ctx, addr: u64, len: u32, _: u64) -> bool {
    attr_struct::<8>(c, addr, len, |c, b| {
        print::with_number_shown(|| {
            c.s("{reason=");
            c.xval(u64::from(u32_at(b, 0)), &SMC_DECL_CODES);
            c.s(", peer_diagnosis=");
            c.xval(u64::from(u32_at(b, 4)), &SMC_DECL_CODES);
            c.s("}");
        });
    })
}

// strace's src/xlat/inet_diag_*.in, smc_*.in (linux/inet_diag.h, linux/smc_diag.h).
xlat::xlat!(INET_DIAG_ATTRS, "INET_DIAG_???", [
    0 => "INET_DIAG_NONE", 1 => "INET_DIAG_MEMINFO", 2 => "INET_DIAG_INFO",
    3 => "INET_DIAG_VEGASINFO", 4 => "INET_DIAG_CONG", 5 => "INET_DIAG_TOS",
    6 => "INET_DIAG_TCLASS", 7 => "INET_DIAG_SKMEMINFO", 8 => "INET_DIAG_SHUTDOWN",
    9 => "INET_DIAG_DCTCPINFO", 10 => "INET_DIAG_PROTOCOL", 11 => "INET_DIAG_SKV6ONLY",
    12 => "INET_DIAG_LOCALS", 13 => "INET_DIAG_PEERS", 14 => "INET_DIAG_PAD",
    15 => "INET_DIAG_MARK", 16 => "INET_DIAG_BBRINFO", 17 => "INET_DIAG_CLASS_ID",
    18 => "INET_DIAG_MD5SIG", 19 => "INET_DIAG_ULP_INFO", 20 => "INET_DIAG_SK_BPF_STORAGES",
    21 => "INET_DIAG_CGROUP_ID", 22 => "INET_DIAG_SOCKOPT",
]);

xlat::xlat!(INET_DIAG_REQ_ATTRS, "INET_DIAG_REQ_???", [
    0 => "INET_DIAG_REQ_NONE", 1 => "INET_DIAG_REQ_BYTECODE",
    2 => "INET_DIAG_REQ_SK_BPF_STORAGES", 3 => "INET_DIAG_REQ_PROTOCOL",
]);

xlat::xlat!(INET_DIAG_EXTENDED_FLAGS, "1<<INET_DIAG_???-1", [
    0x1 => "1<<(INET_DIAG_MEMINFO-1)", 0x2 => "1<<(INET_DIAG_INFO-1)",
    0x4 => "1<<(INET_DIAG_VEGASINFO-1)", 0x8 => "1<<(INET_DIAG_CONG-1)",
    0x10 => "1<<(INET_DIAG_TOS-1)", 0x20 => "1<<(INET_DIAG_TCLASS-1)",
    0x40 => "1<<(INET_DIAG_SKMEMINFO-1)", 0x80 => "1<<(INET_DIAG_SHUTDOWN-1)",
    0x100 => "1<<(INET_DIAG_DCTCPINFO-1)", 0x200 => "1<<(INET_DIAG_PROTOCOL-1)",
    0x400 => "1<<(INET_DIAG_SKV6ONLY-1)", 0x800 => "1<<(INET_DIAG_LOCALS-1)",
    0x1000 => "1<<(INET_DIAG_PEERS-1)", 0x2000 => "1<<(INET_DIAG_PAD-1)",
    0x4000 => "1<<(INET_DIAG_MARK-1)", 0x8000 => "1<<(INET_DIAG_BBRINFO-1)",
    0x10000 => "1<<(INET_DIAG_CLASS_ID-1)", 0x20000 => "1<<(INET_DIAG_MD5SIG-1)",
    0x40000 => "1<<(INET_DIAG_ULP_INFO-1)", 0x80000 => "1<<(INET_DIAG_SK_BPF_STORAGES-1)",
    0x100000 => "1<<(INET_DIAG_CGROUP_ID-1)", 0x200000 => "1<<(INET_DIAG_SOCKOPT-1)",
]);

xlat::xlat!(INET_DIAG_BYTECODES, "INET_DIAG_BC_???", [
    0 => "INET_DIAG_BC_NOP", 1 => "INET_DIAG_BC_JMP", 2 => "INET_DIAG_BC_S_GE",
    3 => "INET_DIAG_BC_S_LE", 4 => "INET_DIAG_BC_D_GE", 5 => "INET_DIAG_BC_D_LE",
    6 => "INET_DIAG_BC_AUTO", 7 => "INET_DIAG_BC_S_COND", 8 => "INET_DIAG_BC_D_COND",
    9 => "INET_DIAG_BC_DEV_COND", 10 => "INET_DIAG_BC_MARK_COND", 11 => "INET_DIAG_BC_S_EQ",
    12 => "INET_DIAG_BC_D_EQ", 13 => "INET_DIAG_BC_CGROUP_COND",
]);

xlat::xlat!(INET_DIAG_SHUTDOWN_FLAGS, "???_SHUTDOWN", [
    0x1 => "RCV_SHUTDOWN", 0x2 => "SEND_SHUTDOWN",
]);

xlat::xlat!(SMC_DIAG_EXTENDED_FLAGS, "1<<SMC_DIAG_???-1", [
    0x1 => "1<<(SMC_DIAG_CONNINFO-1)", 0x2 => "1<<(SMC_DIAG_LGRINFO-1)",
]);

xlat::xlat!(SMC_STATES, "SMC_???", [
    1 => "SMC_ACTIVE", 2 => "SMC_INIT", 7 => "SMC_CLOSED", 10 => "SMC_LISTEN",
    20 => "SMC_PEERCLOSEWAIT1", 21 => "SMC_PEERCLOSEWAIT2", 24 => "SMC_APPFINCLOSEWAIT",
    22 => "SMC_APPCLOSEWAIT1", 23 => "SMC_APPCLOSEWAIT2", 25 => "SMC_PEERFINCLOSEWAIT",
    26 => "SMC_PEERABORTWAIT", 27 => "SMC_PROCESSABORT",
]);

xlat::xlat!(SMC_DIAG_MODES, "SMC_DIAG_MODE_???", [
    0 => "SMC_DIAG_MODE_SMCR", 1 => "SMC_DIAG_MODE_FALLBACK_TCP", 2 => "SMC_DIAG_MODE_SMCD",
]);

xlat::xlat!(SMC_DIAG_ATTRS, "SMC_DIAG_???", [
    0 => "SMC_DIAG_NONE", 1 => "SMC_DIAG_CONNINFO", 2 => "SMC_DIAG_LGRINFO",
    3 => "SMC_DIAG_SHUTDOWN", 4 => "SMC_DIAG_DMBINFO", 5 => "SMC_DIAG_FALLBACK",
]);

// strace's src/xlat/tcp_states.in and tcp_state_flags.in (net/tcp_states.h).
xlat::xlat!(pub(crate) TCP_STATES, "TCP_???", [
    1 => "TCP_ESTABLISHED", 2 => "TCP_SYN_SENT", 3 => "TCP_SYN_RECV", 4 => "TCP_FIN_WAIT1",
    5 => "TCP_FIN_WAIT2", 6 => "TCP_TIME_WAIT", 7 => "TCP_CLOSE", 8 => "TCP_CLOSE_WAIT",
    9 => "TCP_LAST_ACK", 10 => "TCP_LISTEN", 11 => "TCP_CLOSING", 12 => "TCP_NEW_SYN_RECV",
]);
xlat::xlat!(pub(crate) TCP_STATE_FLAGS, "1<<TCP_???", [
    1 << 1 => "1<<TCP_ESTABLISHED", 1 << 2 => "1<<TCP_SYN_SENT", 1 << 3 => "1<<TCP_SYN_RECV",
    1 << 4 => "1<<TCP_FIN_WAIT1", 1 << 5 => "1<<TCP_FIN_WAIT2", 1 << 6 => "1<<TCP_TIME_WAIT",
    1 << 7 => "1<<TCP_CLOSE", 1 << 8 => "1<<TCP_CLOSE_WAIT", 1 << 9 => "1<<TCP_LAST_ACK",
    1 << 10 => "1<<TCP_LISTEN", 1 << 11 => "1<<TCP_CLOSING", 1 << 12 => "1<<TCP_NEW_SYN_RECV",
]);

// strace's src/xlat/smc_decl_codes.in, smc_link_group_roles.in (net/smc/smc_clc.h,
// net/smc/smc_core.h).
xlat::xlat!(SMC_DECL_CODES, "SMC_CLC_DECL_???", [
    0x01010000 => "SMC_CLC_DECL_MEM", 0x02010000 => "SMC_CLC_DECL_TIMEOUT_CL",
    0x02020000 => "SMC_CLC_DECL_TIMEOUT_AL", 0x03000000 => "SMC_CLC_DECL_CNFERR",
    0x03010000 => "SMC_CLC_DECL_PEERNOSMC", 0x03020000 => "SMC_CLC_DECL_IPSEC",
    0x03030000 => "SMC_CLC_DECL_NOSMCDEV", 0x03040000 => "SMC_CLC_DECL_MODEUNSUPP",
    0x03050000 => "SMC_CLC_DECL_RMBE_EC", 0x03060000 => "SMC_CLC_DECL_OPTUNSUPP",
    0x04000000 => "SMC_CLC_DECL_SYNCERR", 0x05000000 => "SMC_CLC_DECL_PEERDECL",
    0x99990000 => "SMC_CLC_DECL_INTERR", 0x99990001 => "SMC_CLC_DECL_ERR_RTOK",
    0x99990002 => "SMC_CLC_DECL_ERR_RDYLNK", 0x99990003 => "SMC_CLC_DECL_ERR_REGRMB",
]);

xlat::xlat!(SMC_LINK_GROUP_ROLES, "SMC_???", [
    0 => "SMC_CLNT", 1 => "SMC_SERV",
]);

// strace's src/xlat/inet_diag_ulp_info_*.in, inet_diag_bpf_storage*.in, tls_info_*.in,
// mptcp_subflow_flags.in (linux/inet_diag.h, linux/tls.h, linux/mptcp.h, linux/sock_diag.h).
xlat::xlat!(ULP_INFO_ATTRS, "INET_ULP_INFO_???", [
    0 => "INET_ULP_INFO_UNSPEC", 1 => "INET_ULP_INFO_NAME", 2 => "INET_ULP_INFO_TLS",
    3 => "INET_ULP_INFO_MPTCP",
]);

xlat::xlat!(ULP_INFO_TLS_ATTRS, "TLS_INFO_???", [
    0 => "TLS_INFO_UNSPEC", 1 => "TLS_INFO_VERSION", 2 => "TLS_INFO_CIPHER",
    3 => "TLS_INFO_TXCONF", 4 => "TLS_INFO_RXCONF", 5 => "TLS_INFO_ZC_RO_TX",
    6 => "TLS_INFO_RX_NO_PAD",
]);

xlat::xlat!(ULP_INFO_MPTCP_ATTRS, "MPTCP_SUBFLOW_ATTR_???", [
    0 => "MPTCP_SUBFLOW_ATTR_UNSPEC", 1 => "MPTCP_SUBFLOW_ATTR_TOKEN_REM",
    2 => "MPTCP_SUBFLOW_ATTR_TOKEN_LOC", 3 => "MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ",
    4 => "MPTCP_SUBFLOW_ATTR_MAP_SEQ", 5 => "MPTCP_SUBFLOW_ATTR_MAP_SFSEQ",
    6 => "MPTCP_SUBFLOW_ATTR_SSN_OFFSET", 7 => "MPTCP_SUBFLOW_ATTR_MAP_DATALEN",
    8 => "MPTCP_SUBFLOW_ATTR_FLAGS", 9 => "MPTCP_SUBFLOW_ATTR_ID_REM",
    10 => "MPTCP_SUBFLOW_ATTR_ID_LOC", 11 => "MPTCP_SUBFLOW_ATTR_PAD",
]);

xlat::xlat!(BPF_STORAGES_ATTRS, "SK_DIAG_BPF_STORAGE_???", [
    0 => "SK_DIAG_BPF_STORAGE_REP_NONE", 1 => "SK_DIAG_BPF_STORAGE",
]);

xlat::xlat!(BPF_STORAGE_ATTRS, "SK_DIAG_BPF_STORAGE_???", [
    0 => "SK_DIAG_BPF_STORAGE_NONE", 1 => "SK_DIAG_BPF_STORAGE_PAD",
    2 => "SK_DIAG_BPF_STORAGE_MAP_ID", 3 => "SK_DIAG_BPF_STORAGE_MAP_VALUE",
]);

xlat::xlat!(TLS_INFO_VERSIONS, "TLS_???_VERSION", [
    0x303 => "TLS_1_2_VERSION", 0x304 => "TLS_1_3_VERSION",
]);

xlat::xlat!(TLS_INFO_CIPHERS, "TLS_CIPHER_???", [
    51 => "TLS_CIPHER_AES_GCM_128", 52 => "TLS_CIPHER_AES_GCM_256",
    53 => "TLS_CIPHER_AES_CCM_128", 54 => "TLS_CIPHER_CHACHA20_POLY1305",
    55 => "TLS_CIPHER_SM4_GCM", 56 => "TLS_CIPHER_SM4_CCM", 57 => "TLS_CIPHER_ARIA_GCM_128",
    58 => "TLS_CIPHER_ARIA_GCM_256",
]);

xlat::xlat!(TLS_INFO_CONFIGS, "TLS_CONF_???", [
    1 => "TLS_CONF_BASE", 2 => "TLS_CONF_SW", 3 => "TLS_CONF_HW", 4 => "TLS_CONF_HW_RECORD",
]);

xlat::xlat!(MPTCP_SUBFLOW_FLAGS, "MPTCP_SUBFLOW_FLAG_???", [
    0x1 => "MPTCP_SUBFLOW_FLAG_MCAP_REM", 0x2 => "MPTCP_SUBFLOW_FLAG_MCAP_LOC",
    0x4 => "MPTCP_SUBFLOW_FLAG_JOIN_REM", 0x8 => "MPTCP_SUBFLOW_FLAG_JOIN_LOC",
    0x10 => "MPTCP_SUBFLOW_FLAG_BKUP_REM", 0x20 => "MPTCP_SUBFLOW_FLAG_BKUP_LOC",
    0x40 => "MPTCP_SUBFLOW_FLAG_FULLY_ESTABLISHED", 0x80 => "MPTCP_SUBFLOW_FLAG_CONNECTED",
    0x100 => "MPTCP_SUBFLOW_FLAG_MAPVALID",
]);
