//! `saker proc PID --fds`: every open fd, resolved like an incident responder would by hand
//! (`ls -l /proc/PID/fd`, `cat fdinfo/N`, matching `socket:[N]` in `/proc/PID/net/*`).

use std::collections::HashMap;
use std::fmt::Write as _;

use saker_event::escape::escape;
use saker_proc::fdinfo::{FdTarget, open_flags_to_string};
use saker_proc::{Error, Process};
use serde_json::{Value, json};

/// One resolved fd.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdRow {
    pub fd: u32,
    /// `file`, `socket`, `pipe`, `anon`, `other`, or `?` when the link could not be read.
    pub kind: &'static str,
    /// Path, socket description, `pipe:[N]`, anon inode kind.
    pub target: String,
    pub deleted: bool,
    /// Open flags and position, from fdinfo (absent if unreadable).
    pub flags: Option<String>,
    pub pos: Option<u64>,
}

/// Socket inode → description, from the socket tables of the process's network namespace.
#[derive(Default)]
pub struct SocketTable {
    by_inode: HashMap<u64, String>,
}

impl SocketTable {
    /// Reads every table; a missing one (e.g. no IPv6) is left out.
    pub fn read(p: &Process) -> SocketTable {
        let mut by_inode = HashMap::new();
        for table in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6"] {
            for s in p.net_inet(table).unwrap_or_default() {
                by_inode.entry(s.inode).or_insert_with(|| s.to_string());
            }
        }
        for s in p.net_unix().unwrap_or_default() {
            by_inode.entry(s.inode).or_insert_with(|| s.to_string());
        }
        for s in p.net_netlink().unwrap_or_default() {
            by_inode.entry(s.inode).or_insert_with(|| s.to_string());
        }
        SocketTable { by_inode }
    }

    pub fn describe(&self, inode: u64) -> String {
        match self.by_inode.get(&inode) {
            Some(s) => s.clone(),
            // Families without a /proc table (packet, vsock, bluetooth, ...).
            None => format!("socket:[{inode}] (family without a /proc/net table)"),
        }
    }
}

/// Reads and resolves every fd of `p`. Fails only if the fd directory cannot be listed.
pub fn gather(p: &Process) -> Result<Vec<FdRow>, Error> {
    let fds = p.fds()?;
    let mut sockets: Option<SocketTable> = None;
    let mut rows = Vec::with_capacity(fds.len());
    for fd in fds {
        let info = p.fdinfo(fd).ok();
        let (kind, target, deleted) = match p.fd_target(fd) {
            Ok(FdTarget::Path { path, deleted }) => ("file", path, deleted),
            Ok(FdTarget::Socket { inode }) => {
                let table = sockets.get_or_insert_with(|| SocketTable::read(p));
                ("socket", table.describe(inode), false)
            }
            Ok(FdTarget::Pipe { inode }) => ("pipe", format!("pipe:[{inode}]"), false),
            Ok(FdTarget::AnonInode { kind }) => ("anon", kind, false),
            Ok(FdTarget::Other(s)) => ("other", s, false),
            // Closed between listing and reading: not an fd any more.
            Err(Error::FdNotOpen { .. }) => continue,
            Err(e) => ("?", e.to_string(), false),
        };
        rows.push(FdRow {
            fd,
            kind,
            target,
            deleted,
            flags: info.map(|i| open_flags_to_string(i.flags)),
            pos: info.map(|i| i.pos),
        });
    }
    Ok(rows)
}

/// `  14 file    /tmp/db (deleted)  [O_RDWR|O_CLOEXEC pos=100]`.
pub fn render(rows: &[FdRow]) -> String {
    let mut o = String::new();
    for r in rows {
        let _ = write!(o, "{:>4} {:<7} {}", r.fd, r.kind, escape(&r.target));
        if r.deleted {
            o.push_str(" (deleted)");
        }
        match (r.kind, &r.flags, r.pos) {
            ("file", Some(flags), Some(pos)) => {
                let _ = write!(o, "  [{flags} pos={pos}]");
            }
            ("pipe", Some(flags), _) => {
                let _ = write!(o, "  [{flags}]");
            }
            _ => {}
        }
        o.push('\n');
    }
    o
}

pub fn to_json(rows: &[FdRow]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "fd": r.fd,
                    "type": r.kind,
                    "target": r.target,
                    "deleted": r.deleted,
                    "flags": r.flags,
                    "pos": r.pos,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering() {
        let rows = vec![
            FdRow {
                fd: 0,
                kind: "file",
                target: "/dev/null".into(),
                deleted: false,
                flags: Some("O_RDONLY".into()),
                pos: Some(0),
            },
            FdRow {
                fd: 3,
                kind: "socket",
                target: "TCP 127.0.0.1:2379 LISTEN".into(),
                deleted: false,
                flags: Some("O_RDWR".into()),
                pos: Some(0),
            },
            FdRow {
                fd: 14,
                kind: "file",
                target: "/tmp/db".into(),
                deleted: true,
                flags: Some("O_RDWR|O_CLOEXEC".into()),
                pos: Some(100),
            },
            FdRow {
                fd: 15,
                kind: "pipe",
                target: "pipe:[14152]".into(),
                deleted: false,
                flags: Some("O_RDONLY".into()),
                pos: Some(0),
            },
            FdRow {
                fd: 20,
                kind: "anon",
                target: "eventpoll".into(),
                deleted: false,
                flags: None,
                pos: None,
            },
        ];
        assert_eq!(
            render(&rows),
            "   0 file    /dev/null  [O_RDONLY pos=0]\n\
             \x20  3 socket  TCP 127.0.0.1:2379 LISTEN\n\
             \x20 14 file    /tmp/db (deleted)  [O_RDWR|O_CLOEXEC pos=100]\n\
             \x20 15 pipe    pipe:[14152]  [O_RDONLY]\n\
             \x20 20 anon    eventpoll\n"
        );
    }

    #[test]
    fn live_self() {
        let me = Process::myself().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let rows = gather(&me).unwrap();
        let want = format!("TCP 127.0.0.1:{port} LISTEN");
        assert!(
            rows.iter().any(|r| r.kind == "socket" && r.target == want),
            "{rows:#?}"
        );
    }
}
