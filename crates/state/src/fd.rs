//! What one file descriptor refers to, as far as the events told us.

use std::net::{IpAddr, SocketAddr};

/// The kind of an fd, with Falco's `fd.type` / `fd.typechar` spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdKind {
    File,
    Directory,
    Ipv4,
    Ipv6,
    Unix,
    Netlink,
    /// Another socket family (packet, vsock...).
    Socket,
    Pipe,
    Memfd,
    Unknown,
}

impl FdKind {
    /// `fd.type`.
    pub fn name(self) -> &'static str {
        match self {
            FdKind::File | FdKind::Memfd => "file",
            FdKind::Directory => "directory",
            FdKind::Ipv4 => "ipv4",
            FdKind::Ipv6 => "ipv6",
            FdKind::Unix => "unix",
            FdKind::Netlink => "netlink",
            FdKind::Socket => "socket",
            FdKind::Pipe => "pipe",
            FdKind::Unknown => "unknown",
        }
    }

    /// `fd.typechar`.
    pub fn typechar(self) -> &'static str {
        match self {
            FdKind::File | FdKind::Memfd => "f",
            FdKind::Directory => "d",
            FdKind::Ipv4 => "4",
            FdKind::Ipv6 => "6",
            FdKind::Unix => "u",
            FdKind::Netlink => "n",
            FdKind::Pipe => "p",
            FdKind::Socket | FdKind::Unknown => "o",
        }
    }

    pub fn is_inet(self) -> bool {
        matches!(self, FdKind::Ipv4 | FdKind::Ipv6)
    }

    /// The kind of an inet socket with an end at `addr`.
    pub fn inet_of(addr: &SocketAddr) -> FdKind {
        if addr.is_ipv4() {
            FdKind::Ipv4
        } else {
            FdKind::Ipv6
        }
    }
}

/// The layer-4 protocol of an inet socket (`fd.l4proto`), as libsinsp's parser derives it
/// from socket()'s arguments (`sinsp_parser::add_socket`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum L4Proto {
    #[default]
    Unknown,
    Tcp,
    Udp,
    Icmp,
    Raw,
}

impl L4Proto {
    /// The protocol of a socket(domain, type, protocol); `Unknown` outside AF_INET/AF_INET6.
    /// The type's SOCK_NONBLOCK / SOCK_CLOEXEC bits are masked out (sinsp masks them only for
    /// protocol 0).
    pub fn from_socket(domain: i32, kind: i32, protocol: i32) -> L4Proto {
        if domain != libc::AF_INET && domain != libc::AF_INET6 {
            return L4Proto::Unknown;
        }
        let raw = kind & 0xff == libc::SOCK_RAW;
        match protocol {
            libc::IPPROTO_TCP if raw => L4Proto::Raw,
            libc::IPPROTO_TCP => L4Proto::Tcp,
            libc::IPPROTO_UDP if raw => L4Proto::Raw,
            libc::IPPROTO_UDP => L4Proto::Udp,
            libc::IPPROTO_IP => match kind & 0xff {
                libc::SOCK_STREAM => L4Proto::Tcp,
                libc::SOCK_DGRAM => L4Proto::Udp,
                _ => L4Proto::Unknown,
            },
            libc::IPPROTO_ICMP if raw => L4Proto::Raw,
            libc::IPPROTO_ICMP => L4Proto::Icmp,
            libc::IPPROTO_RAW => L4Proto::Raw,
            _ => L4Proto::Unknown,
        }
    }

    /// libsinsp's `scap_l4_proto` number (a .scap file's fd table): 2 tcp, 3 udp, 4 icmp, 5 raw.
    pub fn from_scap(code: u8) -> L4Proto {
        match code {
            2 => L4Proto::Tcp,
            3 => L4Proto::Udp,
            4 => L4Proto::Icmp,
            5 => L4Proto::Raw,
            _ => L4Proto::Unknown,
        }
    }

    const ALL: [L4Proto; 5] = [
        L4Proto::Unknown,
        L4Proto::Tcp,
        L4Proto::Udp,
        L4Proto::Icmp,
        L4Proto::Raw,
    ];

    /// `fd.l4proto`'s spelling; `<NA>` when unknown.
    pub fn name(self) -> &'static str {
        match self {
            L4Proto::Unknown => "<NA>",
            L4Proto::Tcp => "tcp",
            L4Proto::Udp => "udp",
            L4Proto::Icmp => "icmp",
            L4Proto::Raw => "raw",
        }
    }

    /// The protocol [`L4Proto::name`] spells `name`; `Unknown` for any other text.
    pub fn from_name(name: &str) -> L4Proto {
        L4Proto::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .unwrap_or(L4Proto::Unknown)
    }
}

/// One open fd.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdEntry {
    pub kind: FdKind,
    /// The resolved path for files, the tuple (`1.2.3.4:5->6.7.8.9:80`) for connected inet
    /// sockets, the path for unix sockets, the memfd name as `memfd:NAME`.
    pub name: String,
    /// The open flags (files); O_CLOEXEC decides whether the fd survives exec.
    pub flags: u64,
    /// Local and remote ends of an inet socket, once bind/connect/accept told us.
    pub local: Option<SocketAddr>,
    pub remote: Option<SocketAddr>,
    /// Whether this end initiated the connection (connect) or accepted it (accept).
    pub client: bool,
    /// The protocol of an inet socket, from socket()'s arguments (accept: tcp; a datagram
    /// sent to an address: udp when still unknown).
    pub l4proto: L4Proto,
    /// `fd.connected`: set as libsinsp sets it, by a connect that succeeded or is in progress,
    /// an accept, a successful sendto on an inet socket; never cleared.
    pub connected: bool,
}

const O_CLOEXEC: u64 = 0o2000000;

impl FdEntry {
    pub fn file(path: String, flags: u64, kind: FdKind) -> FdEntry {
        FdEntry {
            kind,
            name: path,
            flags,
            local: None,
            remote: None,
            client: false,
            l4proto: L4Proto::Unknown,
            connected: false,
        }
    }

    pub fn socket(kind: FdKind) -> FdEntry {
        FdEntry {
            kind,
            name: String::new(),
            flags: 0,
            local: None,
            remote: None,
            client: false,
            l4proto: L4Proto::Unknown,
            connected: false,
        }
    }

    pub fn close_on_exec(&self) -> bool {
        self.flags & O_CLOEXEC != 0
    }

    /// Sets the ends of an inet socket and renders Falco's `fd.name` tuple.
    pub fn set_tuple(
        &mut self,
        local: Option<SocketAddr>,
        remote: Option<SocketAddr>,
        client: bool,
    ) {
        if local.is_some() {
            self.local = local;
        }
        if remote.is_some() {
            self.remote = remote;
        }
        self.client = client;
        self.name = match (self.local, self.remote) {
            (Some(l), Some(r)) if client => format!("{l}->{r}"),
            (Some(l), Some(r)) => format!("{r}->{l}"),
            (None, Some(r)) if client => format!("->{r}"),
            (Some(l), None) => l.to_string(),
            (None, Some(r)) => r.to_string(),
            (None, None) => String::new(),
        };
    }

    /// Server side of the connection: `fd.sip`/`fd.sport` (the remote end for a client).
    pub fn server(&self) -> Option<SocketAddr> {
        if self.client { self.remote } else { self.local }
    }

    /// Client side: `fd.cip`/`fd.cport`.
    pub fn client_end(&self) -> Option<SocketAddr> {
        if self.client { self.local } else { self.remote }
    }

    /// Local end of a connection: `fd.lip`/`fd.lport`/`fd.lnet`. None for a socket only bound
    /// (libsinsp's server socket has a server address, no local/remote ends).
    pub fn local_end(&self) -> Option<SocketAddr> {
        self.remote.and(self.local)
    }

    pub fn server_ip(&self) -> Option<IpAddr> {
        self.server().map(|a| a.ip())
    }

    /// Whether bind, connect, accept or a datagram gave the socket an end (libsinsp's role is
    /// not "none").
    pub fn has_role(&self) -> bool {
        self.local.is_some() || self.remote.is_some()
    }

    /// `fd.l4proto`: `<NA>` for other fds and for an inet socket no end is known of yet
    /// (libsinsp's `get_l4proto`: a raw socket is `raw` from the start).
    pub fn l4proto_name(&self) -> &'static str {
        if !self.kind.is_inet() {
            return L4Proto::Unknown.name();
        }
        match self.l4proto {
            L4Proto::Raw => "raw",
            _ if !self.has_role() => L4Proto::Unknown.name(),
            p => p.name(),
        }
    }

    /// `fd.sockfamily`: `ip` for inet sockets, `unix` for unix ones.
    pub fn sockfamily(&self) -> Option<&'static str> {
        match self.kind {
            FdKind::Ipv4 | FdKind::Ipv6 => Some("ip"),
            FdKind::Unix => Some("unix"),
            _ => None,
        }
    }

    /// `fd.is_server`: a bound (listening) socket, an accepted connection, or a connection to
    /// a loopback server (libsinsp: the server address is one of this machine's; Saker knows
    /// the role the events gave, and takes loopback as local).
    pub fn is_server(&self) -> bool {
        if !self.kind.is_inet() || !self.has_role() {
            return false;
        }
        !self.client || self.server_ip().is_some_and(|ip| ip.is_loopback())
    }

    /// Both ends an inet socket has (the server's first): `fd.ip`, `fd.net` and `fd.port`
    /// hold when either end does (`!=`: when neither end equals).
    pub fn ends(&self) -> impl Iterator<Item = SocketAddr> + '_ {
        let inet = self.kind.is_inet();
        [self.server(), self.client_end()]
            .into_iter()
            .flatten()
            .filter(move |_| inet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuple_names() {
        let mut fd = FdEntry::socket(FdKind::Ipv4);
        fd.set_tuple(None, Some("10.96.0.1:443".parse().unwrap()), true);
        assert_eq!(fd.name, "->10.96.0.1:443");
        fd.set_tuple(Some("10.0.0.2:5555".parse().unwrap()), None, true);
        assert_eq!(fd.name, "10.0.0.2:5555->10.96.0.1:443");
        assert_eq!(fd.server_ip(), Some("10.96.0.1".parse().unwrap()));
        assert_eq!(fd.client_end().unwrap().port(), 5555);

        let mut accepted = FdEntry::socket(FdKind::Ipv4);
        accepted.set_tuple(
            Some("10.0.0.1:80".parse().unwrap()),
            Some("10.0.0.9:40000".parse().unwrap()),
            false,
        );
        assert_eq!(accepted.name, "10.0.0.9:40000->10.0.0.1:80");
        assert_eq!(accepted.server().unwrap().port(), 80);
    }
}
