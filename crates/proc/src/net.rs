//! `/proc/PID/net/{tcp,tcp6,udp,udp6,raw,raw6,unix,netlink}`: the socket tables of the network
//! namespace a process lives in, keyed by socket inode (the number in `socket:[N]`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The transport of an inet socket table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
    Raw,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "TCP",
            Transport::Udp => "UDP",
            Transport::Raw => "RAW",
        }
    }
}

/// One row of a tcp/udp/raw table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InetSocket {
    pub transport: Transport,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    /// The kernel's `st` value (include/net/tcp_states.h).
    pub state: u8,
    pub uid: u32,
    pub inode: u64,
}

impl InetSocket {
    /// The TCP state name as `ss`/`netstat` print it; for UDP, 7 (`CLOSE`) means unconnected
    /// and 1 (`ESTABLISHED`) connected.
    pub fn state_name(&self) -> &'static str {
        tcp_state_name(self.state)
    }
}

/// Names of the states in include/net/tcp_states.h.
pub fn tcp_state_name(state: u8) -> &'static str {
    match state {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        12 => "NEW_SYN_RECV",
        _ => "UNKNOWN",
    }
}

impl fmt::Display for InetSocket {
    /// `TCP 127.0.0.1:2379 -> 127.0.0.1:55012 ESTABLISHED`, `TCP 0.0.0.0:22 LISTEN`,
    /// `UDP 0.0.0.0:5353`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.transport.name(), self.local)?;
        let unconnected = self.remote.port() == 0 && self.remote.ip().is_unspecified();
        if !unconnected {
            write!(f, " -> {}", self.remote)?;
        }
        match self.transport {
            Transport::Tcp => write!(f, " {}", self.state_name()),
            Transport::Udp | Transport::Raw if !unconnected => write!(f, " {}", self.state_name()),
            _ => Ok(()),
        }
    }
}

/// Parses a tcp, tcp6, udp, udp6, raw or raw6 table (the address width tells v4 from v6).
pub fn parse_inet(text: &str, transport: Transport) -> Result<Vec<InetSocket>, String> {
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_ascii_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        if f.len() < 10 {
            return Err(format!("short line {line:?}"));
        }
        let bad = |what: &str| format!("bad {what} in line {line:?}");
        out.push(InetSocket {
            transport,
            local: parse_addr(f[1]).ok_or_else(|| bad("local address"))?,
            remote: parse_addr(f[2]).ok_or_else(|| bad("remote address"))?,
            state: u8::from_str_radix(f[3], 16).map_err(|_| bad("state"))?,
            uid: f[7].parse().map_err(|_| bad("uid"))?,
            inode: f[9].parse().map_err(|_| bad("inode"))?,
        });
    }
    Ok(out)
}

/// `0100007F:094B` or 32 hex digits + port. The kernel prints each 32-bit word of the address
/// with `%08X` in host byte order (net/ipv4/tcp_ipv4.c, get_tcp4_sock), the port in network
/// order already converted to a number.
fn parse_addr(s: &str) -> Option<SocketAddr> {
    let (addr, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let word = |i: usize| -> Option<[u8; 4]> {
        let w = u32::from_str_radix(addr.get(i * 8..i * 8 + 8)?, 16).ok()?;
        Some(w.to_ne_bytes())
    };
    let ip = match addr.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(0)?)),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            let v6 = Ipv6Addr::from(bytes);
            // Show v4-mapped peers of a dual-stack socket as plain IPv4, as ss does.
            match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(v6),
            }
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// Socket type of a unix socket (`Type` column: SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnixSocket {
    pub kind: u16,
    /// The `St` column: 1 unconnected, 2 connecting, 3 connected, 4 disconnecting.
    pub state: u8,
    /// `__SO_ACCEPTCON` in `Flags`: a listening socket.
    pub listening: bool,
    pub inode: u64,
    /// Bound path; abstract names start with `@`. `None` when unbound (typically the client end).
    pub path: Option<String>,
}

impl UnixSocket {
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            1 => "STREAM",
            2 => "DGRAM",
            5 => "SEQPACKET",
            _ => "?",
        }
    }
}

impl fmt::Display for UnixSocket {
    /// `UNIX /run/x.sock LISTEN`, `UNIX /run/x.sock CONNECTED`, `UNIX (unbound) CONNECTED`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UNIX {}", self.path.as_deref().unwrap_or("(unbound)"))?;
        if self.kind != 1 {
            write!(f, " {}", self.kind_name())?;
        }
        let state = if self.listening {
            "LISTEN"
        } else {
            match self.state {
                3 => "CONNECTED",
                2 => "CONNECTING",
                4 => "DISCONNECTING",
                _ => "UNCONNECTED",
            }
        };
        write!(f, " {state}")
    }
}

const SO_ACCEPTCON: u32 = 0x0001_0000;

/// Parses `/proc/net/unix`.
pub fn parse_unix(text: &str) -> Result<Vec<UnixSocket>, String> {
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let mut f = line.split_ascii_whitespace();
        let cols: Vec<&str> = f.by_ref().take(7).collect();
        if cols.is_empty() {
            continue;
        }
        if cols.len() < 7 {
            return Err(format!("short line {line:?}"));
        }
        let bad = |what: &str| format!("bad {what} in line {line:?}");
        // The path is everything after the inode column; it may contain spaces.
        let path = after_column(line, 7);
        out.push(UnixSocket {
            kind: u16::from_str_radix(cols[4], 16).map_err(|_| bad("type"))?,
            state: u8::from_str_radix(cols[5], 16).map_err(|_| bad("state"))?,
            listening: u32::from_str_radix(cols[3], 16).map_err(|_| bad("flags"))? & SO_ACCEPTCON
                != 0,
            inode: cols[6].parse().map_err(|_| bad("inode"))?,
            path,
        });
    }
    Ok(out)
}

/// The rest of `line` after `n` whitespace-separated columns, trimmed; `None` if empty.
fn after_column(line: &str, n: usize) -> Option<String> {
    let mut rest = line;
    for _ in 0..n {
        rest = rest.trim_start();
        let end = rest.find(|c: char| c.is_ascii_whitespace())?;
        rest = &rest[end..];
    }
    let rest = rest.trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

/// One row of `/proc/net/netlink`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetlinkSocket {
    /// The netlink family (`Eth` column), e.g. 0 NETLINK_ROUTE.
    pub protocol: u32,
    /// Port id (`Pid` column), usually the owning process's pid.
    pub port_id: u32,
    pub groups: u32,
    pub inode: u64,
}

impl NetlinkSocket {
    /// Family names from include/uapi/linux/netlink.h.
    pub fn protocol_name(&self) -> &'static str {
        match self.protocol {
            0 => "ROUTE",
            2 => "USERSOCK",
            4 => "SOCK_DIAG",
            5 => "NFLOG",
            6 => "XFRM",
            7 => "SELINUX",
            8 => "ISCSI",
            9 => "AUDIT",
            10 => "FIB_LOOKUP",
            11 => "CONNECTOR",
            12 => "NETFILTER",
            13 => "IP6_FW",
            14 => "DNRTMSG",
            15 => "KOBJECT_UEVENT",
            16 => "GENERIC",
            18 => "SCSITRANSPORT",
            19 => "ECRYPTFS",
            20 => "RDMA",
            21 => "CRYPTO",
            22 => "SMC",
            _ => "?",
        }
    }
}

impl fmt::Display for NetlinkSocket {
    /// `NETLINK ROUTE pid=1234 groups=00000000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "NETLINK {} pid={} groups={:08x}",
            self.protocol_name(),
            self.port_id,
            self.groups
        )
    }
}

/// Parses `/proc/net/netlink`.
pub fn parse_netlink(text: &str) -> Result<Vec<NetlinkSocket>, String> {
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_ascii_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        if f.len() < 10 {
            return Err(format!("short line {line:?}"));
        }
        let bad = |what: &str| format!("bad {what} in line {line:?}");
        out.push(NetlinkSocket {
            protocol: f[1].parse().map_err(|_| bad("protocol"))?,
            port_id: f[2].parse().map_err(|_| bad("pid"))?,
            groups: u32::from_str_radix(f[3], 16).map_err(|_| bad("groups"))?,
            inode: f[9].parse().map_err(|_| bad("inode"))?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(socks: &[InetSocket]) -> Vec<(u64, String)> {
        socks.iter().map(|s| (s.inode, s.to_string())).collect()
    }

    #[test]
    fn captured_tcp4() {
        let socks = parse_inet(
            include_str!("../tests/fixtures/net-tcp.txt"),
            Transport::Tcp,
        )
        .unwrap();
        assert_eq!(
            rendered(&socks),
            [
                (1629, "TCP 0.0.0.0:2024 LISTEN".to_string()),
                (14142, "TCP 127.0.0.1:2379 LISTEN".to_string()),
                (
                    14143,
                    "TCP 127.0.0.1:53522 -> 127.0.0.1:2379 ESTABLISHED".to_string()
                ),
                (
                    14144,
                    "TCP 127.0.0.1:2379 -> 127.0.0.1:53522 ESTABLISHED".to_string()
                ),
            ]
        );
        assert_eq!(socks[0].uid, 0);
    }

    #[test]
    fn captured_tcp6() {
        let socks = parse_inet(
            include_str!("../tests/fixtures/net-tcp6.txt"),
            Transport::Tcp,
        )
        .unwrap();
        assert_eq!(
            rendered(&socks),
            [
                (14145, "TCP [::1]:8443 LISTEN".to_string()),
                (
                    14147,
                    "TCP [::1]:8443 -> [::1]:54934 ESTABLISHED".to_string()
                ),
                (
                    14146,
                    "TCP [::1]:54934 -> [::1]:8443 ESTABLISHED".to_string()
                ),
            ]
        );
    }

    #[test]
    fn captured_udp() {
        let socks = parse_inet(
            include_str!("../tests/fixtures/net-udp.txt"),
            Transport::Udp,
        )
        .unwrap();
        let udp: Vec<_> = rendered(&socks).into_iter().map(|(_, s)| s).collect();
        assert!(udp.contains(&"UDP 0.0.0.0:5353".to_string()), "{udp:?}");
        assert!(
            parse_inet(
                include_str!("../tests/fixtures/net-udp6.txt"),
                Transport::Udp
            )
            .is_ok()
        );
        assert!(
            parse_inet(
                include_str!("../tests/fixtures/net-raw.txt"),
                Transport::Raw
            )
            .is_ok()
        );
    }

    #[test]
    fn v4_mapped_and_global_v6() {
        let text = "hdr\n 0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000A00000A:C000 01 0:0 0:0 0 1000 0 77 1\n \
                    1: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 78 1\n";
        let socks = parse_inet(text, Transport::Tcp).unwrap();
        assert_eq!(
            socks[0].to_string(),
            "TCP 127.0.0.1:8080 -> 10.0.0.10:49152 ESTABLISHED"
        );
        assert_eq!(socks[0].uid, 1000);
        assert_eq!(socks[1].to_string(), "TCP [2001:db8::1]:80 LISTEN");
    }

    #[test]
    fn captured_unix() {
        let socks = parse_unix(include_str!("../tests/fixtures/net-unix.txt")).unwrap();
        let listen = socks.iter().find(|s| s.inode == 14148).unwrap();
        assert_eq!(listen.to_string(), "UNIX /tmp/saker-fixture.sock LISTEN");
        let served = socks.iter().find(|s| s.inode == 14150).unwrap();
        assert_eq!(served.to_string(), "UNIX /tmp/saker-fixture.sock CONNECTED");
        let client = socks.iter().find(|s| s.inode == 14149).unwrap();
        assert_eq!(client.to_string(), "UNIX (unbound) CONNECTED");
        let attach = socks.iter().find(|s| s.inode == 11122).unwrap();
        assert_eq!(attach.path.as_deref(), Some("/proc/self/fd/13/attach"));
        assert_eq!(attach.kind_name(), "SEQPACKET");
    }

    #[test]
    fn unix_path_with_spaces_and_abstract() {
        let text = "Num RefCount Protocol Flags Type St Inode Path\n\
                    0000000000000000: 00000002 00000000 00010000 0001 01 42 /run/my dir/x.sock\n\
                    0000000000000000: 00000002 00000000 00000000 0002 01 43 @/tmp/.X11-unix/X0\n";
        let socks = parse_unix(text).unwrap();
        assert_eq!(socks[0].to_string(), "UNIX /run/my dir/x.sock LISTEN");
        assert_eq!(
            socks[1].to_string(),
            "UNIX @/tmp/.X11-unix/X0 DGRAM UNCONNECTED"
        );
    }

    #[test]
    fn captured_netlink() {
        let socks = parse_netlink(include_str!("../tests/fixtures/net-netlink.txt")).unwrap();
        let audit = socks.iter().find(|s| s.protocol == 9).unwrap();
        assert_eq!(
            audit.to_string(),
            format!("NETLINK AUDIT pid={} groups=00000000", audit.port_id)
        );
        assert!(socks.iter().any(|s| s.protocol_name() == "ROUTE"));
    }

    #[test]
    fn malformed() {
        assert!(parse_inet("h\n 0: zz:1 0:0 0A 0 0 0 0 0 1\n", Transport::Tcp).is_err());
        assert!(parse_inet("h\n 0: 0100007F:0050\n", Transport::Tcp).is_err());
        assert!(parse_unix("h\n0: 1 2\n").is_err());
        assert!(parse_netlink("h\nx y\n").is_err());
    }
}
