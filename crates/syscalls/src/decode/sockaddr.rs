//! Socket addresses as strace 6.1's sockaddr.c prints them, family by family, with the
//! `-X raw|verbose` forms of ports and addresses (`"\x30\x39" /* htons(12345) */`).

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::Ctx;
use super::XlatStyle;
use super::print::{self, quote, with_xlat_style, write_composite, xlat_style};
use super::structs::{u16_at, u32_at, u64_at};
use crate::xlat::{self, Xlat};

/// sizeof(struct sockaddr_storage): what strace reads at most.
pub(crate) const MAX_LEN: usize = 128;

/// QUOTE_FORCE_HEX.
const FORCE_HEX: u8 = 2;

xlat::xlat!(PACKET_TYPES, "PACKET_???", [
    0 => "PACKET_HOST", 1 => "PACKET_BROADCAST", 2 => "PACKET_MULTICAST", 3 => "PACKET_OTHERHOST",
    4 => "PACKET_OUTGOING", 5 => "PACKET_LOOPBACK", 6 => "PACKET_USER", 7 => "PACKET_KERNEL",
]);
xlat::xlat!(RXRPC_SERVICES, "???_SERVICE", [
    1 => "CM_SERVICE", 2500 => "YFS_FS_SERVICE", 2501 => "YFS_CM_SERVICE", 2503 => "YFS_VL_SERVICE",
]);
// strace 6.1's socktypes as printed for a transport type.
xlat::xlat!(SOCKET_TYPES, "SOCK_???", [
    1 => "SOCK_STREAM", 2 => "SOCK_DGRAM", 3 => "SOCK_RAW", 4 => "SOCK_RDM",
    5 => "SOCK_SEQPACKET", 6 => "SOCK_DCCP", 10 => "SOCK_PACKET",
]);
xlat::xlat!(IEEE802154_ADDR_TYPES, "IEEE802154_ADDR_???", [
    0 => "IEEE802154_ADDR_NONE", 2 => "IEEE802154_ADDR_SHORT", 3 => "IEEE802154_ADDR_LONG",
]);
xlat::xlat!(IEEE802154_PAN_IDS, "", [0xffff => "IEEE802154_PANID_BROADCAST"]);
xlat::xlat!(IEEE802154_ADDRS, "", [
    0xfffe => "IEEE802154_ADDR_UNDEF", 0xffff => "IEEE802154_ADDR_BROADCAST",
]);
xlat::xlat!(ALG_FLAGS, "CRYPTO_ALG_???", [0x1000 => "CRYPTO_ALG_KERN_DRIVER_ONLY"]);
xlat::xlat!(NFC_PROTOCOLS, "NFC_PROTO_???", [
    1 => "NFC_PROTO_JEWEL", 2 => "NFC_PROTO_MIFARE", 3 => "NFC_PROTO_FELICA",
    4 => "NFC_PROTO_ISO14443", 5 => "NFC_PROTO_NFC_DEP", 6 => "NFC_PROTO_ISO14443_B",
    7 => "NFC_PROTO_ISO15693",
]);
xlat::xlat!(NFC_SAPS, "", [
    1 => "LLCP_SAP_SDP", 2 => "LLCP_SAP_IP", 3 => "LLCP_SAP_OBEX", 4 => "LLCP_SAP_SNEP",
    0xff => "LLCP_SAP_MAX",
]);
xlat::xlat!(VSOCK_CIDS, "", [
    0 => "VMADDR_CID_HYPERVISOR", 1 => "VMADDR_CID_LOCAL", 2 => "VMADDR_CID_HOST",
    0xffff_ffff => "VMADDR_CID_ANY",
]);
xlat::xlat!(VSOCK_PORTS, "", [0xffff_ffff => "VMADDR_PORT_ANY"]);
xlat::xlat!(VSOCK_FLAGS, "VMADDR_FLAG_???", [1 => "VMADDR_FLAG_TO_HOST"]);
xlat::xlat!(QRTR_NODES, "", [0xffff_ffff => "QRTR_NODE_BCAST"]);
xlat::xlat!(QRTR_PORTS, "", [0xffff_fffe => "QRTR_PORT_CTRL"]);
xlat::xlat!(XDP_FLAGS, "XDP_???", [
    1 => "XDP_SHARED_UMEM", 2 => "XDP_COPY", 4 => "XDP_ZEROCOPY", 8 => "XDP_USE_NEED_WAKEUP",
]);
xlat::xlat!(MCTP_NETS, "", [0 => "MCTP_NET_ANY"]);
xlat::xlat!(MCTP_ADDRS, "", [0 => "MCTP_ADDR_NULL", 0xff => "MCTP_ADDR_ANY"]);

/// `{sa_family=AF_INET, sin_port=htons(80), ...}`: `b` holds the `len` bytes the caller
/// passed (at most [`MAX_LEN`]), zero-padded.
pub(crate) fn write_sockaddr(c: &mut Ctx, b: &[u8; MAX_LEN + 1], len: usize) {
    let family = u16_at(b, 0);
    c.s("{sa_family=");
    c.xval(u64::from(family), &xlat::ADDRESS_FAMILIES);
    if len > 2 {
        c.s(", ");
        let min_len = match family {
            1 => 3,
            2 => 16,
            3 => 16,
            4 => 16,
            9 => 18,
            10 => 24,
            16 => 12,
            17 => 20,
            33 => 36,
            36 => 20,
            38 => 25,
            39 => 16,
            40 => 16,
            42 => 12,
            44 => 16,
            45 => 12,
            _ => usize::MAX,
        };
        if len < min_len {
            raw_data(c, &b[2..len]);
        } else {
            match family {
                1 => unix(c, b, len),
                2 => inet(c, b),
                3 => ax25(c, b, len),
                4 => ipx(c, b),
                9 => {
                    c.s("sx25_addr={x25_addr=");
                    super::ioctl::char_array(c, &b[2..18]);
                    c.s("}");
                }
                10 => inet6(c, b, len),
                16 => netlink(c, b),
                17 => packet(c, b, len),
                33 => rxrpc(c, b, len),
                36 => ieee802154(c, b),
                38 => alg(c, b, len),
                39 => nfc(c, b, len),
                40 => vsock(c, b),
                42 => {
                    c.s("sq_node=");
                    c.xval(u64::from(u32_at(b, 4)), &QRTR_NODES);
                    c.s(", sq_port=");
                    c.xval(u64::from(u32_at(b, 8)), &QRTR_PORTS);
                }
                44 => xdp(c, b),
                _ => mctp(c, b),
            }
        }
    }
    c.s("}");
}

fn raw_data(c: &mut Ctx, data: &[u8]) {
    c.s("sa_data=");
    quote(c.out, data, c.style.hex, b"", true);
}

fn unix(c: &mut Ctx, b: &[u8], len: usize) {
    // sun_path is 108 bytes, whatever length the caller claims.
    let path = &b[2..len.min(110)];
    let hex = c.style.hex;
    c.s("sun_path=");
    if path.first() == Some(&0) {
        c.s("@");
        quote(c.out, &path[1..], hex, b"", true);
    } else {
        let end = path.iter().position(|x| *x == 0).unwrap_or(path.len());
        quote(c.out, &path[..end], hex, b"", true);
    }
}

/// A value shown as `"\x..\x.."` with -X raw, `text` by default, both with -X verbose.
fn raw_or_text(c: &mut Ctx, raw: &[u8], text: impl FnOnce(&mut String)) {
    let style = xlat_style();
    if style != XlatStyle::Abbrev {
        quote(c.out, raw, FORCE_HEX, b"", true);
    }
    match style {
        XlatStyle::Raw => {}
        XlatStyle::Abbrev => text(c.out),
        XlatStyle::Verbose => {
            c.s(" /* ");
            text(c.out);
            c.s(" */");
        }
    }
}

/// `name=htons(80)`: a port in network byte order.
pub(crate) fn port(c: &mut Ctx, name: &str, b: &[u8]) {
    let _ = write!(c.out, "{name}=");
    let port = u16::from_be_bytes([b[0], b[1]]);
    raw_or_text(c, &b[..2], |out| {
        let _ = write!(out, "htons({port})");
    });
}

fn inet_addr(c: &mut Ctx, name: &str, a: &[u8]) {
    let _ = write!(c.out, "{name}=");
    inet_addr_value(c, &a[..4]);
}

/// An IPv4 address: `inet_addr("127.0.0.1")` of the first four bytes of `raw`; all of `raw`
/// (a field may be wider than the address) with -X raw, both with -X verbose.
pub(crate) fn inet_addr_value(c: &mut Ctx, raw: &[u8]) {
    let ip = Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3]);
    raw_or_text(c, raw, |out| {
        let _ = write!(out, "inet_addr(\"{ip}\")");
    });
}

/// An IPv6 address: `inet_pton(AF_INET6, "::1", &name)`; with -X raw/verbose
/// `name="\x00..."` and the call (without `&name`) in a comment. Without a name (a value
/// that is no field): `inet_pton(AF_INET6, "::1")`.
pub(crate) fn inet6_addr(c: &mut Ctx, name: Option<&str>, a: &[u8]) {
    let mut octets = [0u8; 16];
    octets.copy_from_slice(&a[..16]);
    let ip = Ipv6Addr::from(octets);
    match xlat_style() {
        XlatStyle::Abbrev => {
            let _ = write!(c.out, "inet_pton(AF_INET6, \"{ip}\"");
            if let Some(name) = name {
                let _ = write!(c.out, ", &{name}");
            }
            c.s(")");
        }
        style => {
            if let Some(name) = name {
                let _ = write!(c.out, "{name}=");
            }
            quote(c.out, &a[..16], FORCE_HEX, b"", true);
            if style == XlatStyle::Verbose {
                let _ = write!(c.out, " /* inet_pton(AF_INET6, \"{ip}\") */");
            }
        }
    }
}

fn inet(c: &mut Ctx, b: &[u8]) {
    port(c, "sin_port", &b[2..4]);
    c.s(", ");
    inet_addr(c, "sin_addr", &b[4..8]);
}

fn inet6(c: &mut Ctx, b: &[u8], len: usize) {
    port(c, "sin6_port", &b[2..4]);
    c.s(", sin6_flowinfo=");
    let flow = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
    raw_or_text(c, &b[4..8], |out| {
        let _ = write!(out, "htonl({flow})");
    });
    c.s(", ");
    inet6_addr(c, Some("sin6_addr"), &b[8..24]);
    if len <= 24 {
        return;
    }
    let scope = u32_at(b, 24);
    let link_local = b[8] == 0xfe && b[9] & 0xc0 == 0x80;
    let mc_link_local = b[8] == 0xff && b[9] & 0x0f == 0x02;
    c.s(", sin6_scope_id=");
    if link_local || mc_link_local {
        ifindex(c, scope);
    } else {
        c.udec(u64::from(scope));
    }
}

/// A network interface index: `if_nametoindex("lo")` when this machine has it.
pub(crate) fn ifindex(c: &mut Ctx, index: u32) {
    match interface_name(index) {
        Some(name) => write_composite(
            c.out,
            |out| print::push_udec(out, u64::from(index)),
            |out| {
                let _ = write!(out, "if_nametoindex(\"{name}\")");
            },
        ),
        None => c.udec(u64::from(index)),
    }
}

/// The name of the interface with this index in the tracer's network namespace.
fn interface_name(index: u32) -> Option<String> {
    if index == 0 {
        return None;
    }
    std::fs::read_dir("/sys/class/net")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let found = std::fs::read_to_string(entry.path().join("ifindex")).ok()?;
            (found.trim().parse::<u32>().ok()? == index)
                .then(|| entry.file_name().to_string_lossy().into_owned())
        })
}

fn netlink(c: &mut Ctx, b: &[u8]) {
    let pad = u16_at(b, 2);
    if pad != 0 {
        c.s("nl_pad=");
        c.hex(u64::from(pad));
        c.s(", ");
    }
    c.s("nl_pid=");
    c.pid(u64::from(u32_at(b, 4)), super::PidKind::Tgid);
    c.s(", nl_groups=");
    write_0x(c.out, u64::from(u32_at(b, 8)), 4);
}

/// C's `%#0*x` with two digits per byte of a `size`-byte field (strace's PRINT_VAL_0X):
/// `0x41`, `0x1`, and zero as `00` (C's `#` adds no `0x` to zero).
fn write_0x(out: &mut String, v: u64, size: usize) {
    let width = 2 * size;
    if v == 0 {
        out.extend(std::iter::repeat_n('0', width));
    } else {
        let _ = write!(out, "{v:#0width$x}");
    }
}

fn ipx(c: &mut Ctx, b: &[u8]) {
    port(c, "sipx_port", &b[2..4]);
    let network = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
    c.s(", sipx_network=htonl(");
    c.hex(u64::from(network));
    c.s("), sipx_node=[");
    for (i, &x) in b[8..14].iter().enumerate() {
        if i > 0 {
            c.s(", ");
        }
        write_0x(c.out, u64::from(x), 1);
    }
    c.s("], sipx_type=");
    write_0x(c.out, u64::from(b[14]), 1);
    if b[15] != 0 {
        c.s(", sipx_zero=");
        c.hex(u64::from(b[15]));
    }
}

fn packet(c: &mut Ctx, b: &[u8], len: usize) {
    let protocol = u16::from_be_bytes([b[2], b[3]]);
    c.s("sll_protocol=");
    raw_or_text(c, &b[2..4], |out| {
        out.push_str("htons(");
        with_xlat_style(XlatStyle::Abbrev, || {
            print::write_xval(out, u64::from(protocol), &ETHERNET_PROTOCOLS)
        });
        out.push(')');
    });
    c.s(", sll_ifindex=");
    ifindex(c, u32_at(b, 4));
    c.s(", sll_hatype=");
    c.xval(u64::from(u16_at(b, 8)), &ARP_HARDWARE_TYPES);
    c.s(", sll_pkttype=");
    c.xval(u64::from(b[10]), &PACKET_TYPES);
    let halen = usize::from(b[11]);
    let _ = write!(c.out, ", sll_halen={halen}");
    if halen == 0 {
        return;
    }
    let in_bounds = len - 12;
    c.s(", sll_addr=[");
    for i in 0..halen {
        if i > 0 {
            c.s(", ");
        }
        if i >= in_bounds {
            c.s("...");
            break;
        }
        write_0x(c.out, u64::from(b[12 + i]), 1);
    }
    c.s("]");
}

fn rxrpc(c: &mut Ctx, b: &[u8], len: usize) {
    const TRANSPORT: usize = 8;
    c.s("srx_service=");
    xval_verbose(c, u64::from(u16_at(b, 2)), &RXRPC_SERVICES);
    c.s(", transport_type=");
    c.xval(u64::from(u16_at(b, 4)), &SOCKET_TYPES);
    let declared = usize::from(u16_at(b, 6));
    let _ = write!(c.out, ", transport_len={declared}, transport={{");
    let transport_len = declared.min(len - TRANSPORT);
    let rest = transport_len.saturating_sub(2);
    let t = &b[TRANSPORT..];
    let family = u16_at(t, 0);
    let rest_bytes = |c: &mut Ctx| {
        if rest > 0 {
            c.s(", ");
            quote(c.out, &t[2..2 + rest], c.style.hex, b"", true);
        }
    };
    match family {
        2 => {
            c.s("sin={sin_family=");
            c.xval(2, &xlat::ADDRESS_FAMILIES);
            if declared >= 16 {
                c.s(", ");
                inet(c, t);
            } else {
                rest_bytes(c);
            }
            c.s("}");
        }
        10 => {
            c.s("sin6={sin6_family=");
            c.xval(10, &xlat::ADDRESS_FAMILIES);
            if declared >= 24 {
                c.s(", ");
                inet6(c, t, transport_len);
            } else {
                rest_bytes(c);
            }
            c.s("}");
        }
        _ => {
            c.s("family=");
            c.xval(u64::from(family), &xlat::ADDRESS_FAMILIES);
            rest_bytes(c);
        }
    }
    c.s("}");
}

/// A hardware address, `8a:8b:8c` (its bytes with -X raw, both with -X verbose).
pub(crate) fn hwaddr(c: &mut Ctx, hw: &[u8]) {
    raw_or_text(c, hw, |out| {
        for (i, x) in hw.iter().enumerate() {
            let sep = if i > 0 { ":" } else { "" };
            let _ = write!(out, "{sep}{x:02x}");
        }
    });
}

/// strace's PRINT_FIELD_XVAL_VERBOSE: the number with its name in a comment unless -X raw.
fn xval_verbose(c: &mut Ctx, v: u64, x: &Xlat) {
    super::print::with_number_shown(|| c.xval(v, x));
}

fn ieee802154(c: &mut Ctx, b: &[u8]) {
    let addr_type = u32_at(b, 4);
    c.s("addr={addr_type=");
    xval_verbose(c, u64::from(addr_type), &IEEE802154_ADDR_TYPES);
    c.s(", pan_id=");
    xval_verbose(c, u64::from(u16_at(b, 8)), &IEEE802154_PAN_IDS);
    match addr_type {
        0 => {}
        2 => {
            c.s(", short_addr=");
            xval_verbose(c, u64::from(u16_at(b, 10)), &IEEE802154_ADDRS);
        }
        _ => {
            c.s(", hwaddr=");
            hwaddr(c, &b[10..18]);
        }
    }
    c.s("}");
}

fn alg(c: &mut Ctx, b: &[u8], len: usize) {
    c.s("salg_type=");
    super::ioctl::char_array(c, &b[2..16]);
    for (name, at) in [("salg_feat", 16), ("salg_mask", 20)] {
        let _ = write!(c.out, ", {name}=");
        let style = match xlat_style() {
            XlatStyle::Raw => XlatStyle::Raw,
            _ => XlatStyle::Verbose,
        };
        let v = u64::from(u32_at(b, at));
        with_xlat_style(style, || c.flags(v, &ALG_FLAGS));
    }
    c.s(", salg_name=");
    super::ioctl::char_array(c, &b[24..len]);
}

fn nfc(c: &mut Ctx, b: &[u8], len: usize) {
    /// struct sockaddr_nfc_llcp on a 64-bit tracee.
    const LLCP_SIZE: usize = 96;
    c.s("dev_idx=");
    ifindex(c, u32_at(b, 4));
    c.s(", target_idx=");
    c.hex(u64::from(u32_at(b, 8)));
    c.s(", nfc_protocol=");
    c.xval(u64::from(u32_at(b, 12)), &NFC_PROTOCOLS);
    if len < LLCP_SIZE {
        if len > 16 {
            c.s(", ...");
        }
        return;
    }
    let name_len = u64_at(b, 88);
    c.s(", dsap=");
    xval_verbose(c, u64::from(b[16]), &NFC_SAPS);
    c.s(", ssap=");
    xval_verbose(c, u64::from(b[17]), &NFC_SAPS);
    c.s(", service_name=");
    let shown = name_len.min(63) as usize;
    quote(c.out, &b[18..18 + shown], c.style.hex, b"", true);
    let _ = write!(c.out, ", service_name_len={name_len}");
}

fn vsock(c: &mut Ctx, b: &[u8]) {
    let reserved = u16_at(b, 2);
    if reserved != 0 {
        c.s("svm_reserved1=");
        c.hex(u64::from(reserved));
        c.s(", ");
    }
    c.s("svm_cid=");
    c.xval(u64::from(u32_at(b, 8)), &VSOCK_CIDS);
    c.s(", svm_port=");
    c.xval(u64::from(u32_at(b, 4)), &VSOCK_PORTS);
    c.s(", svm_flags=");
    c.flags(u64::from(b[12]), &VSOCK_FLAGS);
    if b[13..16].iter().any(|&x| x != 0) {
        c.s(", svm_zero=");
        quote(c.out, &b[13..16], FORCE_HEX, b"", true);
    }
}

fn xdp(c: &mut Ctx, b: &[u8]) {
    let flags = u16_at(b, 2);
    c.s("sxdp_flags=");
    c.flags(u64::from(flags), &XDP_FLAGS);
    c.s(", sxdp_ifindex=");
    ifindex(c, u32_at(b, 4));
    let _ = write!(c.out, ", sxdp_queue_id={}", u32_at(b, 8));
    let fd = u32_at(b, 12);
    if flags & 1 != 0 {
        c.s(", sxdp_shared_umem_fd=");
        c.fd(u64::from(fd));
    } else if fd != 0 {
        c.s(", sxdp_shared_umem_fd=");
        c.hex(u64::from(fd));
    }
}

fn mctp(c: &mut Ctx, b: &[u8]) {
    let pad0 = u16_at(b, 2);
    if pad0 != 0 {
        c.s("__smctp_pad0=");
        c.hex(u64::from(pad0));
        c.s(", ");
    }
    c.s("smctp_network=");
    c.xval(u64::from(u32_at(b, 4)), &MCTP_NETS);
    c.s(", smctp_addr={s_addr=");
    c.xval(u64::from(b[8]), &MCTP_ADDRS);
    c.s("}, smctp_type=");
    c.hex(u64::from(b[9]));
    c.s(", smctp_tag=");
    c.hex(u64::from(b[10]));
    if b[11] != 0 {
        c.s(", __smctp_pad1=");
        c.hex(u64::from(b[11]));
    }
}

/// full_sockaddr_ax25: the callsign and digipeater count, and the digipeaters when the
/// caller passed more than a plain sockaddr_ax25 or claims some.
fn ax25(c: &mut Ctx, b: &[u8], len: usize) {
    const BASE: usize = 16;
    const ADDR: usize = 7;
    const MAX_DIGIS: usize = 8;
    let ndigis = u32_at(b, 12) as i32;
    let full = ndigis != 0 || len > BASE;
    if full {
        c.s("fsa_ax25={");
    }
    c.s("sax25_call=");
    ax25_address(c, &b[2..9]);
    let _ = write!(c.out, ", sax25_ndigis={ndigis}");
    if !full {
        return;
    }
    c.s("}");
    let has = ((len - BASE) / ADDR).min(MAX_DIGIS);
    let want = (ndigis.max(0) as usize).min(MAX_DIGIS);
    if want != 0 {
        c.s(", fsa_digipeater=[");
        let shown = has.min(want);
        for i in 0..shown {
            if i > 0 {
                c.s(", ");
            }
            ax25_address(c, &b[BASE + i * ADDR..BASE + (i + 1) * ADDR]);
        }
        if want > has {
            c.s(if shown > 0 { ", ..." } else { "..." });
        }
        c.s("]");
    }
    if len > has * ADDR + BASE {
        c.s(", ...");
    }
}

/// An ax25_address: `VALID-13`, or its bytes (with the readable form in a comment) when it
/// is not a plain callsign.
fn ax25_address(c: &mut Ctx, call: &[u8]) {
    let style = match ax25_style(call) {
        Some(forced) => forced,
        None => xlat_style(),
    };
    if style != XlatStyle::Abbrev {
        c.s("{ax25_call=");
        quote(c.out, call, FORCE_HEX, b"", true);
        c.s("}");
    }
    if style == XlatStyle::Raw {
        return;
    }
    let text = ax25_text(call);
    if style == XlatStyle::Verbose {
        let _ = write!(c.out, " /* {text} */");
    } else {
        c.s(&text);
    }
}

/// strace's check_ax25_address: None when the address prints as a callsign, else the style
/// it needs (raw for bytes that are not text at all).
fn ax25_style(call: &[u8]) -> Option<XlatStyle> {
    let mut style = None;
    let (mut space_seen, mut char_seen) = (false, false);
    for &byte in &call[..6] {
        if byte & 1 != 0 {
            style = Some(XlatStyle::Verbose);
        }
        let ch = byte >> 1;
        if ch == b' ' {
            space_seen = true;
        } else {
            char_seen = true;
        }
        if !ch.is_ascii_digit() && !ch.is_ascii_uppercase() && ch != b' ' {
            style = Some(XlatStyle::Verbose);
        }
        if ch != b' ' && space_seen {
            style = Some(XlatStyle::Verbose);
        }
        if !(b' '..=0x7e).contains(&ch) || ch == b'*' || ch == b'/' {
            return Some(XlatStyle::Raw);
        }
    }
    if call[6] & !0x1e != 0 || (!char_seen && call[6] != 0) {
        style = Some(XlatStyle::Verbose);
    }
    style
}

/// `CALL-SSID`, trailing spaces dropped; `*` for an empty callsign with SSID 0.
fn ax25_text(call: &[u8]) -> String {
    let end = (1..=6)
        .rev()
        .find(|&i| call[i - 1] >> 1 != b' ')
        .unwrap_or(0);
    let mut text: String = call[..end].iter().map(|&x| char::from(x >> 1)).collect();
    let ssid = (call[6] >> 1) & 0xf;
    let _ = write!(text, "-{ssid}");
    if text == "-0" {
        return "*".to_string();
    }
    text
}

// linux/if_ether.h, the protocols strace 6.1 names.
xlat::xlat!(pub(crate) ETHERNET_PROTOCOLS, "ETH_P_???", [
    0x1 => "ETH_P_802_3", 0x2 => "ETH_P_AX25", 0x3 => "ETH_P_ALL", 0x4 => "ETH_P_802_2",
    0x5 => "ETH_P_SNAP", 0x6 => "ETH_P_DDCMP", 0x7 => "ETH_P_WAN_PPP", 0x8 => "ETH_P_PPP_MP",
    0x9 => "ETH_P_LOCALTALK", 0xc => "ETH_P_CAN", 0xd => "ETH_P_CANFD", 0xe => "ETH_P_CANXL",
    0x10 => "ETH_P_PPPTALK", 0x11 => "ETH_P_TR_802_2", 0x15 => "ETH_P_MOBITEX",
    0x16 => "ETH_P_CONTROL", 0x17 => "ETH_P_IRDA", 0x18 => "ETH_P_ECONET", 0x19 => "ETH_P_HDLC",
    0x1a => "ETH_P_ARCNET", 0x1b => "ETH_P_DSA", 0x1c => "ETH_P_TRAILER", 0x60 => "ETH_P_LOOP",
    0xf5 => "ETH_P_PHONET", 0xf6 => "ETH_P_IEEE802154", 0xf7 => "ETH_P_CAIF", 0xf8 => "ETH_P_XDSA",
    0xf9 => "ETH_P_MAP", 0xfa => "ETH_P_MCTP", 0x200 => "ETH_P_PUP", 0x201 => "ETH_P_PUPAT",
    0x600 => "ETH_P_802_3_MIN", 0x800 => "ETH_P_IP", 0x805 => "ETH_P_X25", 0x806 => "ETH_P_ARP",
    0x8ff => "ETH_P_BPQ", 0xa00 => "ETH_P_IEEEPUP", 0xa01 => "ETH_P_IEEEPUPAT",
    0x22eb => "ETH_P_ERSPAN2", 0x22f0 => "ETH_P_TSN", 0x4305 => "ETH_P_BATMAN",
    0x6000 => "ETH_P_DEC", 0x6001 => "ETH_P_DNA_DL", 0x6002 => "ETH_P_DNA_RC",
    0x6003 => "ETH_P_DNA_RT", 0x6004 => "ETH_P_LAT", 0x6005 => "ETH_P_DIAG",
    0x6006 => "ETH_P_CUST", 0x6007 => "ETH_P_SCA", 0x6558 => "ETH_P_TEB", 0x8035 => "ETH_P_RARP",
    0x809b => "ETH_P_ATALK", 0x80f3 => "ETH_P_AARP", 0x8100 => "ETH_P_8021Q",
    0x8137 => "ETH_P_IPX", 0x86dd => "ETH_P_IPV6", 0x8808 => "ETH_P_PAUSE", 0x8809 => "ETH_P_SLOW",
    0x883e => "ETH_P_WCCP", 0x8847 => "ETH_P_MPLS_UC", 0x8848 => "ETH_P_MPLS_MC",
    0x884c => "ETH_P_ATMMPOA", 0x8863 => "ETH_P_PPP_DISC", 0x8864 => "ETH_P_PPP_SES",
    0x886c => "ETH_P_LINK_CTL", 0x8884 => "ETH_P_ATMFATE", 0x888e => "ETH_P_PAE",
    0x8899 => "ETH_P_REALTEK", 0x88a2 => "ETH_P_AOE", 0x88a8 => "ETH_P_8021AD",
    0x88b5 => "ETH_P_802_EX1", 0x88be => "ETH_P_ERSPAN", 0x88c7 => "ETH_P_PREAUTH",
    0x88ca => "ETH_P_TIPC", 0x88cc => "ETH_P_LLDP", 0x88e3 => "ETH_P_MRP",
    0x88e5 => "ETH_P_MACSEC", 0x88e7 => "ETH_P_8021AH", 0x88f5 => "ETH_P_MVRP",
    0x88f7 => "ETH_P_1588", 0x88f8 => "ETH_P_NCSI", 0x88fb => "ETH_P_PRP", 0x8902 => "ETH_P_CFM",
    0x8906 => "ETH_P_FCOE", 0x890d => "ETH_P_TDLS", 0x8914 => "ETH_P_FIP", 0x8915 => "ETH_P_IBOE",
    0x8917 => "ETH_P_80221", 0x892f => "ETH_P_HSR", 0x894f => "ETH_P_NSH",
    0x9000 => "ETH_P_LOOPBACK", 0x9100 => "ETH_P_QINQ1", 0x9200 => "ETH_P_QINQ2",
    0x9300 => "ETH_P_QINQ3", 0xdada => "ETH_P_EDSA", 0xdadb => "ETH_P_DSA_8021Q",
    0xe001 => "ETH_P_DSA_A5PSW", 0xed3e => "ETH_P_IFE", 0xfbfb => "ETH_P_AF_IUCV",
]);

// linux/if_arp.h.
xlat::xlat!(pub(crate) ARP_HARDWARE_TYPES, "ARPHRD_???", [
    0x0 => "ARPHRD_NETROM", 0x1 => "ARPHRD_ETHER", 0x2 => "ARPHRD_EETHER", 0x3 => "ARPHRD_AX25",
    0x4 => "ARPHRD_PRONET", 0x5 => "ARPHRD_CHAOS", 0x6 => "ARPHRD_IEEE802", 0x7 => "ARPHRD_ARCNET",
    0x8 => "ARPHRD_APPLETLK", 0xf => "ARPHRD_DLCI", 0x13 => "ARPHRD_ATM",
    0x17 => "ARPHRD_METRICOM", 0x18 => "ARPHRD_IEEE1394", 0x1b => "ARPHRD_EUI64",
    0x20 => "ARPHRD_INFINIBAND", 0x100 => "ARPHRD_SLIP", 0x101 => "ARPHRD_CSLIP",
    0x102 => "ARPHRD_SLIP6", 0x103 => "ARPHRD_CSLIP6", 0x104 => "ARPHRD_RSRVD",
    0x108 => "ARPHRD_ADAPT", 0x10e => "ARPHRD_ROSE", 0x10f => "ARPHRD_X25",
    0x110 => "ARPHRD_HWX25", 0x118 => "ARPHRD_CAN", 0x122 => "ARPHRD_MCTP", 0x200 => "ARPHRD_PPP",
    0x201 => "ARPHRD_CISCO", 0x204 => "ARPHRD_LAPB", 0x205 => "ARPHRD_DDCMP",
    0x206 => "ARPHRD_RAWHDLC", 0x207 => "ARPHRD_RAWIP", 0x300 => "ARPHRD_TUNNEL",
    0x301 => "ARPHRD_TUNNEL6", 0x302 => "ARPHRD_FRAD", 0x303 => "ARPHRD_SKIP",
    0x304 => "ARPHRD_LOOPBACK", 0x305 => "ARPHRD_LOCALTLK", 0x306 => "ARPHRD_FDDI",
    0x307 => "ARPHRD_BIF", 0x308 => "ARPHRD_SIT", 0x309 => "ARPHRD_IPDDP", 0x30a => "ARPHRD_IPGRE",
    0x30b => "ARPHRD_PIMREG", 0x30c => "ARPHRD_HIPPI", 0x30d => "ARPHRD_ASH",
    0x30e => "ARPHRD_ECONET", 0x30f => "ARPHRD_IRDA", 0x310 => "ARPHRD_FCPP",
    0x311 => "ARPHRD_FCAL", 0x312 => "ARPHRD_FCPL", 0x313 => "ARPHRD_FCFABRIC",
    0x320 => "ARPHRD_IEEE802_TR", 0x321 => "ARPHRD_IEEE80211", 0x322 => "ARPHRD_IEEE80211_PRISM",
    0x323 => "ARPHRD_IEEE80211_RADIOTAP", 0x324 => "ARPHRD_IEEE802154",
    0x325 => "ARPHRD_IEEE802154_MONITOR", 0x334 => "ARPHRD_PHONET", 0x335 => "ARPHRD_PHONET_PIPE",
    0x336 => "ARPHRD_CAIF", 0x337 => "ARPHRD_IP6GRE", 0x338 => "ARPHRD_NETLINK",
    0x339 => "ARPHRD_6LOWPAN", 0x33a => "ARPHRD_VSOCKMON", 0xfffe => "ARPHRD_NONE",
    0xffff => "ARPHRD_VOID",
]);
