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

    pub fn server_ip(&self) -> Option<IpAddr> {
        self.server().map(|a| a.ip())
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
