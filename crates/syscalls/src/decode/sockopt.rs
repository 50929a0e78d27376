//! getsockopt(2) and setsockopt(2): the option value is decoded by level and name as strace
//! 6.1's net.c does (linger, peer credentials, errors, multicast requests, packet rings,
//! ICMP filters, ints), and shown raw otherwise.

use std::fmt::Write;

use super::print::{self, Ctx};
use crate::xlat::{self, Xlat};

const SOL_IP: u64 = 0;
const SOL_SOCKET: u64 = 1;
const SOL_TCP: u64 = 6;
const SOL_IPV6: u64 = 41;
const SOL_RAW: u64 = 255;
const SOL_PACKET: u64 = 263;
const SOL_NETLINK: u64 = 270;

const SO_LINGER: u64 = 13;
const SO_PEERCRED: u64 = 17;
const SO_ERROR: u64 = 4;
const SO_ATTACH_FILTER: u64 = 26;
const SO_ATTACH_REUSEPORT_CBPF: u64 = 51;

/// The SOL_SOCKET options whose value is an int (strace's "all known int-like options").
const SO_TXREHASH: u64 = 74;

const TXREHASH: Xlat = Xlat {
    entries: &[
        (0, "SOCK_TXREHASH_DISABLED"),
        (1, "SOCK_TXREHASH_ENABLED"),
        (255, "SOCK_TXREHASH_DEFAULT"),
    ],
    unknown: "SOCK_TXREHASH_???",
};

/// SO_TXREHASH's value (linux/socket.h), an int printed in decimal when unknown.
fn txrehash(c: &mut Ctx, v: i32) {
    c.xval_d(i64::from(v), &TXREHASH);
}

fn is_int_option(name: u64) -> bool {
    matches!(
        name,
        1 | 2 | 5..=12 | 14..=16 | 18 | 19 | 27 | 29 | 30 | 32..=37 | 40..=46 | 49 | 53
            | 56 | 60 | 63..=65 | 68..=70 | 73 | 75
    )
}

fn fd_level_name(c: &mut Ctx, getting: bool) {
    let [fd, level, name, ..] = c.args;
    let (level, name) = (level & 0xffff_ffff, name & 0xffff_ffff);
    c.next();
    c.fd(fd);
    c.next();
    c.xval(level, &SOCKET_LAYERS);
    c.next();
    match level {
        SOL_SOCKET if name == SO_ATTACH_FILTER && getting => print::write_named(
            c.out,
            Some("SO_GET_FILTER"),
            &xlat::SOL_SOCKET_OPTS,
            |out| print::write_hex(out, name),
        ),
        SOL_SOCKET => c.xval(name, &xlat::SOL_SOCKET_OPTS),
        SOL_IP => c.xval(name, &xlat::IP_OPTS),
        SOL_IPV6 => c.xval(name, &xlat::IPV6_OPTS),
        SOL_TCP => c.xval(name, &xlat::TCP_OPTS),
        SOL_PACKET => c.xval(name, &PACKET_OPTIONS),
        SOL_RAW => c.xval(name, &RAW_OPTIONS),
        SOL_NETLINK => c.xval(name, &xlat::NETLINK_OPTS),
        _ => c.udec(name),
    }
}

/// `saved[1]` at entry: the option length could not be read, everything was printed.
const DONE_AT_ENTRY: u64 = 1;

pub(crate) fn getsockopt(c: &mut Ctx) {
    let a = c.args;
    if c.entering() {
        fd_level_name(c, true);
        match c.read_u32(a[4]).filter(|_| c.style.dereference) {
            Some(len) => {
                c.saved[0] = u64::from(len);
                c.stop();
            }
            None => {
                c.next();
                c.ptr(a[3]);
                c.next();
                c.ptr(a[4]);
                c.saved[1] = DONE_AT_ENTRY;
            }
        }
        return;
    }
    if c.saved[1] == DONE_AT_ENTRY {
        return;
    }
    let ulen = c.saved[0] as u32 as i32;
    let rlen = c.read_u32(a[4]).map(|v| v as i32);
    c.next();
    match rlen.filter(|_| c.ok()) {
        None => {
            c.ptr(a[3]);
            c.next();
            let _ = write!(c.out, "[{ulen}]");
        }
        Some(rlen) => {
            get_value(c, a[1] & 0xffff_ffff, a[2] & 0xffff_ffff, a[3], ulen, rlen);
            c.next();
            if ulen != rlen {
                let _ = write!(c.out, "[{ulen} => {rlen}]");
            } else {
                let _ = write!(c.out, "[{rlen}]");
            }
        }
    }
}

fn get_value(c: &mut Ctx, level: u64, name: u64, addr: u64, ulen: i32, rlen: i32) {
    if ulen <= 0 || rlen <= 0 {
        c.ptr(addr);
        return;
    }
    let len = rlen as u64;
    if addr != 0 && c.style.dereference {
        match (level, name) {
            (SOL_SOCKET, SO_LINGER) => return partial_struct(c, addr, len, &LINGER_FIELDS),
            (SOL_SOCKET, SO_PEERCRED) => return partial_struct(c, addr, len, &UCRED_FIELDS),
            (SOL_SOCKET, SO_ATTACH_FILTER) => {
                // SO_GET_FILTER: the kernel returns the instruction count (an unsigned short).
                if rlen as u16 as i32 == rlen {
                    super::bpf_filter::program(
                        c,
                        addr,
                        rlen as u64,
                        super::bpf_filter::Filter::Socket,
                    );
                } else {
                    c.ptr(addr);
                }
                return;
            }
            (SOL_SOCKET, SO_ERROR) => {
                if len < 4 {
                    c.buf_hex(addr, len);
                } else {
                    indirect_int(c, addr, |c, v| {
                        match crate::errno_name(v).filter(|_| v > 0) {
                            Some(name) => print::write_composite(
                                c.out,
                                |out| print::push_dec(out, i64::from(v as u32)),
                                |out| out.push_str(name),
                            ),
                            None => c.udec(u64::from(v as u32)),
                        }
                    });
                }
                return;
            }
            (SOL_SOCKET, SO_TXREHASH) => {
                if len >= 4 {
                    indirect_int(c, addr, txrehash);
                } else {
                    c.buf_hex(addr, len);
                }
                return;
            }
            (SOL_SOCKET, n) if is_int_option(n) => {
                if len >= 4 {
                    indirect_int(c, addr, |c, v| c.dec(i64::from(v)));
                } else {
                    c.buf_hex(addr, len);
                }
                return;
            }
            (SOL_PACKET, 6) => return partial_struct(c, addr, len, &TPACKET_STATS_FIELDS),
            (SOL_RAW, 1) => return icmp_filter(c, addr, rlen),
            (SOL_NETLINK, 9) => {
                let count = (ulen.min(rlen) as u64) / 4;
                c.array(addr, count, 4, |c, b| {
                    c.udec(u64::from(u32::from_ne_bytes(
                        b.try_into().unwrap_or([0; 4]),
                    )));
                    true
                });
                return;
            }
            (SOL_NETLINK, _) => return indirect_int(c, addr, |c, v| c.dec(i64::from(v))),
            _ => {}
        }
    }
    default_value(c, addr, len);
}

pub(crate) fn setsockopt(c: &mut Ctx) {
    if !c.entering() {
        return;
    }
    let a = c.args;
    fd_level_name(c, false);
    c.next();
    set_value(
        c,
        a[1] & 0xffff_ffff,
        a[2] & 0xffff_ffff,
        a[3],
        a[4] as u32 as i32,
    );
    c.next();
    c.int(a[4]);
}

fn set_value(c: &mut Ctx, level: u64, name: u64, addr: u64, len: i32) {
    if addr != 0 && c.style.dereference {
        match (level, name) {
            (SOL_SOCKET, SO_LINGER) => {
                let mut b = [0u8; 8];
                if len < 8 || !c.read_exact(addr, &mut b) {
                    c.ptr(addr);
                } else {
                    let _ = write!(
                        c.out,
                        "{{l_onoff={}, l_linger={}}}",
                        i32_at(&b, 0),
                        i32_at(&b, 4)
                    );
                }
                return;
            }
            (SOL_SOCKET, SO_ATTACH_FILTER | SO_ATTACH_REUSEPORT_CBPF) => {
                if len == 16 {
                    super::syscalls::sock_fprog(c, addr);
                } else {
                    c.ptr(addr);
                }
                return;
            }
            (SOL_SOCKET, SO_TXREHASH) => {
                if len < 4 {
                    c.ptr(addr);
                } else {
                    indirect_int(c, addr, txrehash);
                }
                return;
            }
            (SOL_SOCKET, n) if is_int_option(n) => {
                if len < 4 {
                    c.ptr(addr);
                } else {
                    indirect_int(c, addr, |c, v| c.dec(i64::from(v)));
                }
                return;
            }
            (SOL_IP, 35 | 36) => {
                let mut b = [0u8; 8];
                if len < 8 || !c.read_exact(addr, &mut b) {
                    c.ptr(addr);
                } else {
                    c.s("{imr_multiaddr=");
                    super::sockaddr::inet_addr_value(c, &b[..4]);
                    c.s(", imr_interface=");
                    super::sockaddr::inet_addr_value(c, &b[4..]);
                    c.s("}");
                }
                return;
            }
            // MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP: struct group_req.
            (SOL_IP | SOL_IPV6, 42 | 45) => return group_req(c, addr, len),
            // IPV6_ADD/DROP_MEMBERSHIP, IPV6_JOIN/LEAVE_ANYCAST: struct ipv6_mreq.
            (SOL_IPV6, 20 | 21 | 27 | 28) => return ipv6_mreq(c, addr, len),
            (SOL_PACKET, 5 | 13) => {
                let mut b = [0u8; 16];
                if len != 16 || !c.read_exact(addr, &mut b) {
                    c.ptr(addr);
                } else {
                    let _ = write!(
                        c.out,
                        "{{tp_block_size={}, tp_block_nr={}, tp_frame_size={}, tp_frame_nr={}}}",
                        u32_at(&b, 0),
                        u32_at(&b, 4),
                        u32_at(&b, 8),
                        u32_at(&b, 12)
                    );
                }
                return;
            }
            (SOL_PACKET, 1 | 2) => return packet_mreq(c, addr, len),
            (SOL_RAW, 1) => return icmp_filter(c, addr, len),
            (SOL_NETLINK, _) => {
                if len < 4 {
                    c.ptr(addr);
                } else {
                    indirect_int(c, addr, |c, v| c.dec(i64::from(v)));
                }
                return;
            }
            _ => {}
        }
    }
    default_value(c, addr, len as u32 as u64);
}

/// strace's fallback: an int when the length is an int's, else the bytes as a string.
fn default_value(c: &mut Ctx, addr: u64, len: u64) {
    if !c.style.dereference {
        c.ptr(addr);
    } else if len == 4 {
        indirect_int(c, addr, |c, v| c.dec(i64::from(v)));
    } else {
        c.buf(addr, len);
    }
}

/// strace's printnum_int: `[value]`, or the address when it cannot be read.
fn indirect_int(c: &mut Ctx, addr: u64, value: impl FnOnce(&mut Ctx, i32)) {
    if addr == 0 {
        c.s("NULL");
        return;
    }
    if c.ret.is_some() && !c.ok() {
        c.ptr(addr);
        return;
    }
    match c.read_u32(addr) {
        Some(v) => {
            c.s("[");
            value(c, v as i32);
            c.s("]");
        }
        None => c.ptr(addr),
    }
}

#[derive(Clone, Copy)]
enum Field {
    Signed,
    Unsigned,
    /// uid_t/gid_t: -1 stays -1.
    Id,
    /// A process id (translated with `--pidns-translation`).
    Pid,
}

const LINGER_FIELDS: [(&str, Field); 2] = [("l_onoff", Field::Signed), ("l_linger", Field::Signed)];
const UCRED_FIELDS: [(&str, Field); 3] =
    [("pid", Field::Pid), ("uid", Field::Id), ("gid", Field::Id)];
const TPACKET_STATS_FIELDS: [(&str, Field); 3] = [
    ("tp_packets", Field::Unsigned),
    ("tp_drops", Field::Unsigned),
    ("tp_freeze_q_cnt", Field::Unsigned),
];

/// A struct of 4-byte fields of which the kernel returned `len` bytes: the fields it
/// covers, a field it covers in part as hex bytes (strace's MAYBE_PRINT_FIELD_LEN).
fn partial_struct(c: &mut Ctx, addr: u64, len: u64, fields: &[(&str, Field)]) {
    let size = (fields.len() * 4) as u64;
    let len = len.min(size) as usize;
    let mut b = vec![0u8; len];
    if !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    c.s("{");
    for (i, (name, kind)) in fields.iter().enumerate() {
        let start = i * 4;
        if len <= start {
            break;
        }
        if i > 0 {
            c.s(", ");
        }
        let _ = write!(c.out, "{name}=");
        if len < start + 4 {
            print::quote(c.out, &b[start..len], 2, b"", true);
            continue;
        }
        let v = u32_at(&b, start);
        match kind {
            Field::Signed => c.dec(i64::from(v as i32)),
            Field::Unsigned => c.udec(u64::from(v)),
            Field::Id => c.uid(u64::from(v)),
            Field::Pid => c.pid(u64::from(v), super::PidKind::Tgid),
        }
    }
    c.s("}");
}

/// `struct group_req`: the interface and a sockaddr_storage.
fn group_req(c: &mut Ctx, addr: u64, len: i32) {
    use super::sockaddr::MAX_LEN;
    const SIZE: usize = 8 + MAX_LEN;
    let mut b = [0u8; SIZE];
    if len < SIZE as i32 || !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    c.s("{gr_interface=");
    super::sockaddr::ifindex(c, u32_at(&b, 0));
    c.s(", gr_group=");
    let mut storage = [0u8; MAX_LEN + 1];
    storage[..MAX_LEN].copy_from_slice(&b[8..]);
    super::sockaddr::write_sockaddr(c, &storage, MAX_LEN);
    c.s("}");
}

/// `struct ipv6_mreq`: the multicast address and the interface.
fn ipv6_mreq(c: &mut Ctx, addr: u64, len: i32) {
    let mut b = [0u8; 20];
    if len < 20 || !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    c.s("{");
    super::sockaddr::inet6_addr(c, Some("ipv6mr_multiaddr"), &b[..16]);
    c.s(", ipv6mr_interface=");
    super::sockaddr::ifindex(c, u32_at(&b, 16));
    c.s("}");
}

/// `struct packet_mreq`: interface, type, address length and the (at most 8 byte) address.
fn packet_mreq(c: &mut Ctx, addr: u64, len: i32) {
    let mut b = [0u8; 16];
    if len != 16 || !c.read_exact(addr, &mut b) {
        c.ptr(addr);
        return;
    }
    let alen = u16::from_ne_bytes([b[6], b[7]]);
    let _ = write!(c.out, "{{mr_ifindex={}, mr_type=", i32_at(&b, 0));
    c.xval(
        u64::from(u16::from_ne_bytes([b[4], b[5]])),
        &PACKET_MR_TYPES,
    );
    let _ = write!(c.out, ", mr_alen={alen}, mr_address=");
    mac_addr(c, &b[8..8 + usize::from(alen).min(8)]);
    c.s("}");
}

/// `struct icmp_filter`: the set bits as ICMP types, `~[...]` when most are set.
fn icmp_filter(c: &mut Ctx, addr: u64, len: i32) {
    if len <= 0 {
        c.ptr(addr);
        return;
    }
    let mut b = [0xffu8; 4];
    let n = (len as usize).min(4);
    if !c.read_exact(addr, &mut b[..n]) {
        c.ptr(addr);
        return;
    }
    let mut data = u32::from_ne_bytes(b);
    if data.count_ones() > 16 {
        data = !data;
        c.s("~");
    }
    c.s("[");
    let mut first = true;
    for bit in (0..32).filter(|bit| data & (1 << bit) != 0) {
        if !first {
            c.s(" ");
        }
        first = false;
        c.xval(bit, &ICMP_TYPES);
    }
    c.s("]");
}

/// A hardware address: `00:11:22:33:44:55`, in the `-X` style like [`inet_addr`].
fn mac_addr(c: &mut Ctx, b: &[u8]) {
    print::write_composite(
        c.out,
        |out| print::quote(out, b, 2, b"", true),
        |out| {
            for (i, byte) in b.iter().enumerate() {
                if i > 0 {
                    out.push(':');
                }
                let _ = write!(out, "{byte:02x}");
            }
        },
    );
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(b[at..at + 4].try_into().unwrap_or([0; 4]))
}

fn i32_at(b: &[u8], at: usize) -> i32 {
    u32_at(b, at) as i32
}

macro_rules! table {
    ($vis:vis $name:ident, $unknown:literal, [$($val:expr => $n:literal),* $(,)?]) => {
        $vis const $name: Xlat = Xlat { entries: &[$(($val as u64, $n)),*], unknown: $unknown };
    };
}

table!(pub(super) SOCKET_LAYERS, "SOL_??", [
    0 => "SOL_IP", 1 => "SOL_SOCKET", 6 => "SOL_TCP", 17 => "SOL_UDP", 40 => "AF_VSOCK",
    41 => "SOL_IPV6", 58 => "SOL_ICMPV6", 100 => "SOL_CAN_BASE", 101 => "SOL_CAN_RAW",
    132 => "SOL_SCTP", 136 => "SOL_UDPLITE", 255 => "SOL_RAW", 256 => "SOL_IPX",
    257 => "SOL_AX25", 258 => "SOL_ATALK", 259 => "SOL_NETROM", 260 => "SOL_ROSE",
    261 => "SOL_DECNET", 262 => "SOL_X25", 263 => "SOL_PACKET", 264 => "SOL_ATM",
    265 => "SOL_AAL", 266 => "SOL_IRDA", 267 => "SOL_NETBEUI", 268 => "SOL_LLC",
    269 => "SOL_DCCP", 270 => "SOL_NETLINK", 271 => "SOL_TIPC", 272 => "SOL_RXRPC",
    273 => "SOL_PPPOL2TP", 274 => "SOL_BLUETOOTH", 275 => "SOL_PNPIPE", 276 => "SOL_RDS",
    277 => "SOL_IUCV", 278 => "SOL_CAIF", 279 => "SOL_ALG", 280 => "SOL_NFC", 281 => "SOL_KCM",
    282 => "SOL_TLS", 283 => "SOL_XDP", 0xffff => "SOL_SOCKET",
]);

table!(PACKET_OPTIONS, "PACKET_???", [
    1 => "PACKET_ADD_MEMBERSHIP", 2 => "PACKET_DROP_MEMBERSHIP", 3 => "PACKET_RECV_OUTPUT",
    5 => "PACKET_RX_RING", 6 => "PACKET_STATISTICS", 7 => "PACKET_COPY_THRESH",
    8 => "PACKET_AUXDATA", 9 => "PACKET_ORIGDEV", 10 => "PACKET_VERSION", 11 => "PACKET_HDRLEN",
    12 => "PACKET_RESERVE", 13 => "PACKET_TX_RING", 14 => "PACKET_LOSS",
    15 => "PACKET_VNET_HDR", 16 => "PACKET_TX_TIMESTAMP", 17 => "PACKET_TIMESTAMP",
    18 => "PACKET_FANOUT", 19 => "PACKET_TX_HAS_OFF", 20 => "PACKET_QDISC_BYPASS",
    21 => "PACKET_ROLLOVER_STATS", 22 => "PACKET_FANOUT_DATA", 23 => "PACKET_IGNORE_OUTGOING",
]);

table!(RAW_OPTIONS, "RAW_???", [1 => "ICMP_FILTER"]);

table!(PACKET_MR_TYPES, "PACKET_MR_???", [
    0 => "PACKET_MR_MULTICAST", 1 => "PACKET_MR_PROMISC", 2 => "PACKET_MR_ALLMULTI",
    3 => "PACKET_MR_UNICAST",
]);

table!(ICMP_TYPES, "ICMP_???", [
    0 => "ICMP_ECHOREPLY", 3 => "ICMP_DEST_UNREACH", 4 => "ICMP_SOURCE_QUENCH",
    5 => "ICMP_REDIRECT", 8 => "ICMP_ECHO", 11 => "ICMP_TIME_EXCEEDED",
    12 => "ICMP_PARAMETERPROB", 13 => "ICMP_TIMESTAMP", 14 => "ICMP_TIMESTAMPREPLY",
    15 => "ICMP_INFO_REQUEST", 16 => "ICMP_INFO_REPLY", 17 => "ICMP_ADDRESS",
    18 => "ICMP_ADDRESSREPLY",
]);
