//! The control messages of a struct msghdr (msg_control) as strace 6.1's msghdr.c prints
//! them: SCM_RIGHTS fds, credentials, timestamps, IP packet info and errors.

use std::fmt::Write;

use super::Ctx;
use super::print::quote;
use super::sockaddr::{self, MAX_LEN};
use super::structs::{u32_at, u64_at};
use crate::xlat::{self, Xlat};

/// sizeof(struct cmsghdr) on a 64-bit tracee.
const CMSG_SIZE: usize = 16;

/// cmsg_level names as strace prints them here (setsockopt's table, another unknown text).
const LEVELS: Xlat = Xlat {
    entries: super::sockopt::SOCKET_LAYERS.entries,
    unknown: "SOL_???",
};

xlat::xlat!(SCM_TYPES, "SCM_???", [
    1 => "SCM_RIGHTS", 2 => "SCM_CREDENTIALS", 3 => "SCM_SECURITY", 41 => "SO_WIFI_STATUS",
    61 => "SO_TXTIME", 29 => "SO_TIMESTAMP_OLD", 35 => "SO_TIMESTAMPNS_OLD",
    37 => "SO_TIMESTAMPING_OLD", 63 => "SO_TIMESTAMP_NEW", 64 => "SO_TIMESTAMPNS_NEW",
    65 => "SO_TIMESTAMPING_NEW", 0x36 => "SCM_TIMESTAMPING_OPT_STATS",
    0x3a => "SCM_TIMESTAMPING_PKTINFO",
]);

xlat::xlat!(IP_TYPES, "IP_???", [
    1 => "IP_TOS", 2 => "IP_TTL", 6 => "IP_RECVOPTS", 7 => "IP_RETOPTS", 8 => "IP_PKTINFO",
    11 => "IP_RECVERR", 20 => "IP_ORIGDSTADDR", 23 => "IP_CHECKSUM", 3 => "SCM_SECURITY",
]);

/// `, msg_control=[...]` for `len` bytes at `addr` (nothing when `len` is 0).
pub(crate) fn msg_control(c: &mut Ctx, addr: u64, len: u64) {
    if len == 0 {
        return;
    }
    c.s(", msg_control=");
    let control_len = len.min(optmem_max()) as usize;
    let mut buf = vec![0u8; control_len];
    if control_len < CMSG_SIZE || !c.read_exact(addr, &mut buf) {
        c.ptr(addr);
        return;
    }
    c.s("[");
    let mut at = 0;
    let mut left = control_len;
    while left >= CMSG_SIZE {
        let cmsg = &buf[at..];
        let cmsg_len = u64_at(cmsg, 0);
        let level = u32_at(cmsg, 8);
        let kind = u32_at(cmsg, 12);
        if at > 0 {
            c.s(", ");
        }
        let _ = write!(c.out, "{{cmsg_len={cmsg_len}, cmsg_level=");
        c.xval(u64::from(level), &LEVELS);
        c.s(", cmsg_type=");
        let len = cmsg_len.min(left as u64) as usize;
        let data: &[u8] = if len > CMSG_SIZE {
            &cmsg[CMSG_SIZE..len]
        } else {
            &[]
        };
        type_and_data(c, level, kind, data);
        c.s("}");
        if len < CMSG_SIZE {
            left -= CMSG_SIZE;
            break;
        }
        let aligned = cmsg_len.saturating_add(7) & !7;
        if aligned >= left as u64 {
            left = 0;
            break;
        }
        at += aligned as usize;
        left -= aligned as usize;
    }
    if left > 0 {
        c.s(", ... /* ");
        c.hex(addr + (control_len - left) as u64);
        c.s(" */");
    } else if (control_len as u64) < len {
        c.s(", ...");
    }
    c.s("]");
}

/// net.core.optmem_max rounded up to 8: how much control data strace reads at most.
fn optmem_max() -> u64 {
    static MAX: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/net/core/optmem_max")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|&v| v > 0)
            .map_or(8 * (2 * 1024 + 512), |v| (v + 7) & !7)
    })
}

fn type_and_data(c: &mut Ctx, level: u32, kind: u32, data: &[u8]) {
    const SOL_SOCKET: u32 = 1;
    const SOL_IP: u32 = 0;
    let min_len = match (level, kind) {
        (SOL_SOCKET, 1) => 4,
        (SOL_SOCKET, 2) => 12,
        (SOL_SOCKET, 3 | 29 | 35 | 37 | 63 | 64 | 65) => 1,
        (SOL_IP, 8) => 12,
        (SOL_IP, 2 | 23) => 4,
        (SOL_IP, 1 | 6 | 7 | 3) => 1,
        (SOL_IP, 11) => 32,
        (SOL_IP, 20) => 16,
        _ => usize::MAX,
    };
    match level {
        SOL_SOCKET => c.xval(u64::from(kind), &SCM_TYPES),
        SOL_IP => c.xval(u64::from(kind), &IP_TYPES),
        _ => {
            c.hex(u64::from(kind));
            return;
        }
    }
    if data.len() < min_len {
        return;
    }
    c.s(", cmsg_data=");
    match (level, kind) {
        (SOL_SOCKET, 1) => local_elements(c, data, 4, |c, e| c.fd(u64::from(u32_at(e, 0)))),
        (SOL_SOCKET, 2) => {
            c.s("{pid=");
            c.pid(u64::from(u32_at(data, 0)), super::PidKind::Tgid);
            c.s(", uid=");
            c.uid(u64::from(u32_at(data, 4)));
            c.s(", gid=");
            c.uid(u64::from(u32_at(data, 8)));
            c.s("}");
        }
        (_, 3) => quote(c.out, data, c.style.hex, b"", true),
        (SOL_SOCKET, 29 | 63) => time_value(c, data, "tv_usec"),
        (SOL_SOCKET, 35 | 64) => time_value(c, data, "tv_nsec"),
        (SOL_SOCKET, _) => {
            if data.len() < 48 {
                c.s("???");
            } else {
                local_elements(c, &data[..48], 16, |c, t| time_value(c, t, "tv_nsec"));
            }
        }
        (_, 8) => {
            c.s("{ipi_ifindex=");
            sockaddr::ifindex(c, u32_at(data, 0));
            c.s(", ");
            inet_addr(c, "ipi_spec_dst", &data[4..8]);
            c.s(", ");
            inet_addr(c, "ipi_addr", &data[8..12]);
            c.s("}");
        }
        (_, 2 | 23) => local_elements(c, data, 4, |c, e| c.udec(u64::from(u32_at(e, 0)))),
        (_, 1 | 6 | 7) => local_elements(c, data, 1, |c, e| c.hex(u64::from(e[0]))),
        (_, 11) => {
            let _ = write!(
                c.out,
                "{{ee_errno={}, ee_origin={}, ee_type={}, ee_code={}, ee_info={}, ee_data={}, offender=",
                u32_at(data, 0),
                data[4],
                data[5],
                data[6],
                u32_at(data, 8),
                u32_at(data, 12)
            );
            let mut sa = [0u8; MAX_LEN + 1];
            sa[..16].copy_from_slice(&data[16..32]);
            sockaddr::write_sockaddr(c, &sa, 16);
            c.s("}");
        }
        _ => {
            let n = data.len().min(MAX_LEN);
            let mut sa = [0u8; MAX_LEN + 1];
            sa[..n].copy_from_slice(&data[..n]);
            sockaddr::write_sockaddr(c, &sa, n);
        }
    }
}

fn inet_addr(c: &mut Ctx, name: &str, a: &[u8]) {
    let _ = write!(
        c.out,
        "{name}=inet_addr(\"{}\")",
        std::net::Ipv4Addr::new(a[0], a[1], a[2], a[3])
    );
}

/// SO_TIMESTAMP's timeval or SO_TIMESTAMPNS's timespec (`fraction` names the second field).
fn time_value(c: &mut Ctx, data: &[u8], fraction: &str) {
    if data.len() < 16 {
        c.s("???");
        return;
    }
    super::structs::write_seconds_and(c.out, data, fraction);
}

/// strace's print_local_array: the elements of `size` bytes in `data`, cut at `-s`
/// elements unless -v.
fn local_elements(c: &mut Ctx, data: &[u8], size: usize, mut element: impl FnMut(&mut Ctx, &[u8])) {
    let count = data.len() / size;
    super::structs::local_array(c, count, u32::MAX, |c, i| {
        element(c, &data[i * size..(i + 1) * size])
    });
}
