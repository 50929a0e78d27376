//! What a tracee's file descriptors point to, for `-y` (paths) and `-yy` (socket endpoints,
//! device numbers). Read from `/proc/PID/fd` and the `/proc/PID/net/*` tables at the moment the
//! call is printed, like strace without its netlink `sock_diag` queries.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use crate::nlquery::u32_at;

/// The fd view of one traced process.
#[derive(Debug, Clone, Copy)]
pub struct ProcessFds {
    pid: i32,
    /// `pid` as the mounted /proc numbers it: another number when the tracer runs in a PID
    /// namespace of its own without a /proc of its own (`unshare -p` without a new mount).
    proc_pid: i32,
}

impl ProcessFds {
    pub fn new(pid: i32) -> ProcessFds {
        ProcessFds {
            pid,
            proc_pid: proc_pid(pid),
        }
    }

    /// The process these fds belong to.
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// The target of `/proc/PID/fd/FD`: a path, `socket:[INODE]`, `pipe:[INODE]`,
    /// `anon_inode:[eventfd]`, ... `None` when the fd is not open.
    /// `AT_FDCWD` (-100) gives the working directory, which strace shows as `AT_FDCWD</dir>`.
    pub fn path(&self, fd: i64) -> Option<String> {
        self.path_bytes(fd)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The link target as the kernel has it: file names are bytes, not always UTF-8, and
    /// strace prints them byte by byte (`\377`).
    pub fn path_bytes(&self, fd: i64) -> Option<Vec<u8>> {
        use std::os::unix::ffi::OsStringExt;
        let link = if fd == i64::from(libc::AT_FDCWD) {
            std::fs::read_link(format!("/proc/{}/cwd", self.proc_pid)).ok()?
        } else if fd < 0 {
            return None;
        } else {
            std::fs::read_link(format!("/proc/{}/fd/{fd}", self.proc_pid)).ok()?
        };
        Some(link.into_os_string().into_vec())
    }

    /// For `-yy`: the socket's protocol and endpoints (`TCP:[127.0.0.1:80->127.0.0.1:4321]`,
    /// `UNIX-STREAM:[1234,"/run/x.sock"]`), or `None` when the fd is not a socket or the
    /// socket is in no table we read.
    pub fn socket(&self, fd: i64) -> Option<String> {
        let target = self.path(fd)?;
        let inode: u64 = target
            .strip_prefix("socket:[")?
            .strip_suffix(']')?
            .parse()
            .ok()?;
        // A netlink socket is in no table but sock_diag's: `NETLINK:[ROUTE:1234]` is written
        // by the decoders from `netlink_socket`, which names its protocol.
        if self.socket_protocol(fd).as_deref() != Some("NETLINK")
            && let Some(found) = self.describe_socket(inode)
        {
            return Some(found);
        }
        // Not bound or connected yet, so in no table: strace then prints the protocol the
        // kernel names in the `system.sockprotoname` attribute, with the inode.
        let protocol = self.socket_protocol(fd)?;
        Some(format!("{protocol}:[{inode}]"))
    }

    /// strace's getfdproto: the protocol the kernel names in the socket's
    /// `system.sockprotoname` attribute (`NETLINK`, `TCP`, `UNIX`); `None` for other fds.
    pub fn socket_protocol(&self, fd: i64) -> Option<String> {
        let path = std::ffi::CString::new(format!("/proc/{}/fd/{fd}", self.proc_pid)).ok()?;
        let mut buf = [0u8; 64];
        // SAFETY: getxattr writes at most buf.len() bytes.
        let len = unsafe {
            libc::getxattr(
                path.as_ptr(),
                c"system.sockprotoname".as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        if len <= 0 {
            return None;
        }
        let name = &buf[..len as usize];
        let name = name.strip_suffix(&[0]).unwrap_or(name);
        let name = String::from_utf8_lossy(name).into_owned();
        Some(name)
    }

    /// For `-yy` and the netlink decoders: a bound netlink socket's protocol and port id, as
    /// the kernel's `sock_diag` reports them (strace's netlink_get); `None` for other fds and
    /// for netlink sockets not bound yet.
    pub fn netlink_socket(&self, fd: i64) -> Option<(u8, u32)> {
        let target = self.path(fd)?;
        let inode: u32 = target
            .strip_prefix("socket:[")?
            .strip_suffix(']')?
            .parse()
            .ok()?;
        if self.socket_protocol(fd).as_deref() != Some("NETLINK") {
            return None;
        }
        netlink_diag(inode)
    }

    /// Whether fd `fd` is the file at `name` (same device and inode): a link target that
    /// ends in " (deleted)" may be a live file that has that name.
    pub fn is_file_at(&self, fd: i64, name: &str) -> bool {
        use std::os::unix::fs::MetadataExt;
        let (Ok(open), Ok(named)) = (
            std::fs::metadata(format!("/proc/{}/fd/{fd}", self.proc_pid)),
            std::fs::symlink_metadata(name),
        ) else {
            return false;
        };
        open.dev() == named.dev() && open.ino() == named.ino()
    }

    /// For `-e decode-fds=pidfd`: the process a pidfd refers to (the `Pid:` line of
    /// /proc/PID/fdinfo/FD, in our PID namespace); `None` for other fds.
    pub fn pidfd_pid(&self, fd: i64) -> Option<i32> {
        let info = std::fs::read_to_string(format!("/proc/{}/fdinfo/{fd}", self.proc_pid)).ok()?;
        info.lines()
            .find_map(|line| line.strip_prefix("Pid:"))?
            .trim()
            .parse()
            .ok()
    }

    /// For `-yy` on device files: `char 1:3` / `block 8:0`.
    pub fn device(&self, fd: i64) -> Option<String> {
        device_of(format!("/proc/{}/fd/{fd}", self.proc_pid).as_ref())
    }

    fn describe_socket(&self, inode: u64) -> Option<String> {
        // sock_diag first: unlike /proc/net/tcp it also lists bound sockets that are not
        // listening yet (Linux 6.8+), so `listen(5<TCP:[127.0.0.1:8080]>, 1)` reads like strace's.
        let protocols: [(i32, u8, &str); 4] = [
            (libc::AF_INET, libc::IPPROTO_TCP as u8, "TCP"),
            (libc::AF_INET6, libc::IPPROTO_TCP as u8, "TCPv6"),
            (libc::AF_INET, libc::IPPROTO_UDP as u8, "UDP"),
            (libc::AF_INET6, libc::IPPROTO_UDP as u8, "UDPv6"),
        ];
        for (family, protocol, label) in protocols {
            if let Some(found) = inet_diag(inode, family, protocol, label) {
                return Some(found);
            }
        }
        let tables: [(&str, &str, bool); 4] = [
            ("tcp", "TCP", false),
            ("tcp6", "TCPv6", true),
            ("udp", "UDP", false),
            ("udp6", "UDPv6", true),
        ];
        for (file, label, v6) in tables {
            let text =
                std::fs::read_to_string(format!("/proc/{}/net/{file}", self.proc_pid)).ok()?;
            if let Some(found) = find_inet(&text, inode, label, v6) {
                return Some(found);
            }
        }
        if let Some(found) = unix_diag(inode) {
            return Some(found);
        }
        let text = std::fs::read_to_string(format!("/proc/{}/net/unix", self.proc_pid)).ok()?;
        find_unix(&text, inode)
    }
}

/// Finds `inode` in a `/proc/net/tcp`-style table.
pub fn find_inet(table: &str, inode: u64, label: &str, v6: bool) -> Option<String> {
    for line in table.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(9).and_then(|f| f.parse::<u64>().ok()) != Some(inode) {
            continue;
        }
        let local = parse_endpoint(fields.get(1)?, v6)?;
        let remote_raw = fields.get(2)?;
        let mut out = format!("{label}:[{local}");
        if !is_zero_endpoint(remote_raw) {
            let remote = parse_endpoint(remote_raw, v6)?;
            let _ = write!(out, "->{remote}");
        }
        out.push(']');
        return Some(out);
    }
    None
}

fn is_zero_endpoint(raw: &str) -> bool {
    raw.bytes().all(|b| b == b'0' || b == b':')
}

/// `0100007F:1F90` -> `127.0.0.1:8080`; IPv6 addresses come as four host-order 32-bit words.
fn parse_endpoint(raw: &str, v6: bool) -> Option<String> {
    let (addr, port) = raw.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    if v6 {
        let mut bytes = [0u8; 16];
        for (i, chunk) in addr.as_bytes().chunks(8).enumerate().take(4) {
            let word = u32::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
            bytes[i * 4..i * 4 + 4].copy_from_slice(&word.to_ne_bytes());
        }
        Some(format!("[{}]:{port}", Ipv6Addr::from(bytes)))
    } else {
        let word = u32::from_str_radix(addr, 16).ok()?;
        Some(format!("{}:{port}", Ipv4Addr::from(word.to_ne_bytes())))
    }
}

/// Dumps the kernel's inet sockets of one family and protocol through `sock_diag`
/// (`inet_diag_req_v2`, all states) and describes the one with `inode`.
fn inet_diag(inode: u64, family: i32, protocol: u8, label: &str) -> Option<String> {
    let inode32 = u32::try_from(inode).ok()?;
    let mut request = [0u8; 56];
    request[0] = family as u8;
    request[1] = protocol;
    request[4..8].copy_from_slice(&u32::MAX.to_ne_bytes());
    sock_diag_dump(&request, |message| {
        (message.len() >= 72 && u32_at(message, 68) == inode32)
            .then(|| describe_inet(message, family == libc::AF_INET6, label))
    })
}

/// The protocol and port id of the netlink socket with `inode` (`netlink_diag_req` for every
/// protocol, `netlink_diag_msg` in reply). Kept per inode like strace: a bound socket keeps
/// both for its life.
fn netlink_diag(inode: u32) -> Option<(u8, u32)> {
    const NDIAG_PROTO_ALL: u8 = 255;
    const CACHE_SIZE: usize = 256;
    static CACHE: std::sync::Mutex<Vec<(u32, u8, u32)>> = std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, protocol, port)) = cache.iter().find(|entry| entry.0 == inode) {
        return Some((protocol, port));
    }
    // struct netlink_diag_req: family, protocol, pad, ino, show, cookie[2]; the reply's
    // struct netlink_diag_msg: family, type, protocol, state, portid, dst_portid, dst_group,
    // ino, cookie[2].
    let mut request = [0u8; 20];
    request[0] = libc::AF_NETLINK as u8;
    request[1] = NDIAG_PROTO_ALL;
    let found = sock_diag_dump(&request, |message| {
        (message.len() >= 20
            && u32_at(message, 16) == inode
            && message[0] == libc::AF_NETLINK as u8)
            .then(|| (message[2], u32_at(message, 4)))
    })?;
    if cache.len() >= CACHE_SIZE {
        cache.remove(0);
    }
    cache.push((inode, found.0, found.1));
    Some(found)
}

/// Sends one `SOCK_DIAG_BY_FAMILY` dump request with `body` after its header and hands each
/// reply message's body to `pick` until it returns something or the dump ends.
fn sock_diag_dump<R>(body: &[u8], pick: impl FnMut(&[u8]) -> Option<R>) -> Option<R> {
    const SOCK_DIAG_BY_FAMILY: u16 = 20;
    crate::nlquery::dump(libc::NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, body, pick)
}

/// `struct inet_diag_msg`: family, state, timer, retrans, then the socket id (ports big
/// endian, addresses in network order).
fn describe_inet(message: &[u8], v6: bool, label: &str) -> String {
    let id = &message[4..52];
    let port = |o: usize| u16::from_be_bytes([id[o], id[o + 1]]);
    let address = |o: usize| -> String {
        if v6 {
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&id[o..o + 16]);
            format!("[{}]", Ipv6Addr::from(bytes))
        } else {
            Ipv4Addr::new(id[o], id[o + 1], id[o + 2], id[o + 3]).to_string()
        }
    };
    let (sport, dport) = (port(0), port(2));
    let mut out = format!("{label}:[{}:{sport}", address(4));
    let remote_zero = dport == 0 && id[20..36].iter().all(|b| *b == 0);
    if !remote_zero {
        let _ = write!(out, "->{}:{dport}", address(20));
    }
    out.push(']');
    out
}

/// Asks the kernel's `sock_diag` netlink interface about a UNIX socket: its type, peer inode
/// and bound name, which `/proc/net/unix` does not show (strace's `unix_send_query`).
fn unix_diag(inode: u64) -> Option<String> {
    // Like strace, a description with a peer or a name is kept for the socket's inode
    // (one slot per inode modulo the size): a socket whose peer has gone still shows it.
    const CACHE_SIZE: usize = 1024;
    static CACHE: std::sync::Mutex<Vec<(u64, String)>> = std::sync::Mutex::new(Vec::new());
    let slot = (inode as usize) % CACHE_SIZE;
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() < CACHE_SIZE {
        cache.resize(CACHE_SIZE, (0, String::new()));
    }
    if cache[slot].0 == inode && inode != 0 {
        return Some(cache[slot].1.clone());
    }
    let (details, keep) = unix_diag_query(inode)?;
    if keep {
        cache[slot] = (inode, details.clone());
    }
    Some(details)
}

/// The sock_diag query of [`unix_diag`]; true with the text when it has a peer or a name.
fn unix_diag_query(inode: u64) -> Option<(String, bool)> {
    const SOCK_DIAG_BY_FAMILY: u16 = 20;
    const UDIAG_SHOW_NAME: u32 = 1;
    const UDIAG_SHOW_PEER: u32 = 4;
    const UNIX_DIAG_NAME: u16 = 0;
    const UNIX_DIAG_PEER: u16 = 2;
    let inode32 = u32::try_from(inode).ok()?;
    // SAFETY: plain socket calls on a descriptor we own and close below.
    let sock = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            libc::NETLINK_SOCK_DIAG,
        )
    };
    if sock < 0 {
        return None;
    }
    let mut request = [0u8; 16 + 24];
    request[0..4].copy_from_slice(&40u32.to_ne_bytes());
    request[4..6].copy_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    request[6..8].copy_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes());
    request[8..12].copy_from_slice(&1u32.to_ne_bytes());
    // struct unix_diag_req
    request[16] = libc::AF_UNIX as u8;
    request[20..24].copy_from_slice(&u32::MAX.to_ne_bytes());
    request[24..28].copy_from_slice(&inode32.to_ne_bytes());
    request[28..32].copy_from_slice(&(UDIAG_SHOW_NAME | UDIAG_SHOW_PEER).to_ne_bytes());
    request[32..40].copy_from_slice(&[0xff; 8]);
    let mut reply = [0u8; 8192];
    // SAFETY: buffers are ours and sized as passed.
    let got = unsafe {
        let sent = libc::send(sock, request.as_ptr().cast(), request.len(), 0);
        let got = if sent == request.len() as isize {
            libc::recv(sock, reply.as_mut_ptr().cast(), reply.len(), 0)
        } else {
            -1
        };
        libc::close(sock);
        got
    };
    if got < 16 + 16 {
        return None;
    }
    let reply = &reply[..got as usize];
    let u16_at = |o: usize| u16::from_ne_bytes([reply[o], reply[o + 1]]);
    let u32_at =
        |o: usize| u32::from_ne_bytes([reply[o], reply[o + 1], reply[o + 2], reply[o + 3]]);
    if u16_at(4) != SOCK_DIAG_BY_FAMILY || u32_at(16 + 4) != inode32 {
        return None;
    }
    let kind = match reply[16 + 1] as i32 {
        libc::SOCK_STREAM => "UNIX-STREAM",
        libc::SOCK_DGRAM => "UNIX-DGRAM",
        libc::SOCK_SEQPACKET => "UNIX-SEQPACKET",
        _ => "UNIX",
    };
    let message_end = (u32_at(0) as usize).min(reply.len());
    let mut peer = None;
    let mut name = None;
    let mut at = 16 + 16;
    while at + 4 <= message_end {
        let len = u16_at(at) as usize;
        if len < 4 || at + len > message_end {
            break;
        }
        let payload = &reply[at + 4..at + len];
        match u16_at(at + 2) {
            UNIX_DIAG_PEER if payload.len() >= 4 => {
                peer = Some(u32::from_ne_bytes([
                    payload[0], payload[1], payload[2], payload[3],
                ]));
            }
            UNIX_DIAG_NAME if !payload.is_empty() => {
                // Abstract names start with a NUL, which strace shows as an @ before the
                // quoted rest: `@"name"`.
                let text = match payload.split_first() {
                    Some((0, rest)) => format!("@\"{}\"", String::from_utf8_lossy(rest)),
                    _ => format!(
                        "\"{}\"",
                        String::from_utf8_lossy(
                            payload.split(|b| *b == 0).next().unwrap_or(payload),
                        )
                    ),
                };
                name = Some(text);
            }
            _ => {}
        }
        at += (len + 3) & !3;
    }
    let mut out = format!("{kind}:[{inode}");
    let peer = peer.filter(|p| *p != 0);
    if let Some(peer) = peer {
        let _ = write!(out, "->{peer}");
    }
    let keep = peer.is_some() || name.is_some();
    if let Some(name) = name {
        let _ = write!(out, ",{name}");
    }
    out.push(']');
    Some((out, keep))
}

/// Finds `inode` in `/proc/net/unix` (`Num RefCount Protocol Flags Type St Inode Path`).
pub fn find_unix(table: &str, inode: u64) -> Option<String> {
    for line in table.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(6).and_then(|f| f.parse::<u64>().ok()) != Some(inode) {
            continue;
        }
        let kind = match fields.get(4).copied() {
            Some("0001") => "UNIX-STREAM",
            Some("0002") => "UNIX-DGRAM",
            Some("0005") => "UNIX-SEQPACKET",
            _ => "UNIX",
        };
        return Some(match fields.get(7) {
            Some(path) => match path.strip_prefix('@') {
                Some(name) => format!("{kind}:[{inode},@\"{name}\"]"),
                None => format!("{kind}:[{inode},\"{path}\"]"),
            },
            None => format!("{kind}:[{inode}]"),
        });
    }
    None
}

/// `char 1:3` / `block 8:0` for a device file (`-yy`), `None` for anything else.
pub fn device_of(path: &std::path::Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let kind = if meta.file_type().is_char_device() {
        "char"
    } else if meta.file_type().is_block_device() {
        "block"
    } else {
        return None;
    };
    let rdev = meta.rdev();
    Some(format!(
        "{kind} {}:{}",
        libc::major(rdev),
        libc::minor(rdev)
    ))
}

/// `pid` (numbered in this process's PID namespace) as the mounted /proc numbers it (strace's
/// get_proc_pid). The same number unless /proc belongs to an ancestor namespace; then the
/// process whose `NSpid:` line has `pid` at this namespace's level, or `pid` if none has.
fn proc_pid(pid: i32) -> i32 {
    use std::sync::OnceLock;
    // Our level in /proc's `NSpid:` lines; `None` when /proc is our namespace's.
    static LEVEL: OnceLock<Option<usize>> = OnceLock::new();
    let level = LEVEL.get_or_init(|| {
        let me = std::fs::read_link("/proc/self").ok()?;
        if me.to_str()?.parse::<u32>().ok()? == std::process::id() {
            return None;
        }
        let ids = ns_pids(std::path::Path::new("/proc/self/status"))?;
        ids.len().checked_sub(1)
    });
    let Some(level) = *level else { return pid };
    // The last answers, checked again before use (pids are reused).
    static FOUND: std::sync::Mutex<Vec<(i32, i32)>> = std::sync::Mutex::new(Vec::new());
    let matches = |outer: i32| {
        ns_pids(format!("/proc/{outer}/status").as_ref())
            .is_some_and(|ids| ids.get(level) == Some(&pid))
    };
    let mut found = FOUND.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&(_, outer)) = found.iter().find(|(inner, _)| *inner == pid)
        && matches(outer)
    {
        return outer;
    }
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return pid;
    };
    // Processes of other namespaces at our level have such numbers too: one we trace
    // (TracerPid: us) wins, else the first found.
    let me = std::fs::read_link("/proc/self")
        .ok()
        .and_then(|p| p.to_str()?.parse::<i32>().ok());
    let mut first = None;
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(outer) = name.to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        if !matches(outer) {
            continue;
        }
        let traced = std::fs::read_to_string(format!("/proc/{outer}/status"))
            .ok()
            .and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("TracerPid:"))
                    .and_then(|v| v.trim().parse::<i32>().ok())
            })
            .is_some_and(|tracer| Some(tracer) == me);
        if traced {
            first = Some(outer);
            break;
        }
        first = first.or(Some(outer));
    }
    let Some(outer) = first else { return pid };
    found.retain(|(inner, _)| *inner != pid);
    if found.len() >= 64 {
        found.remove(0);
    }
    found.push((pid, outer));
    outer
}

/// The ids of a `/proc/PID/status` `NSpid:` line, /proc's namespace first.
fn ns_pids(status: &std::path::Path) -> Option<Vec<i32>> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("NSpid:"))?;
    Some(
        line.split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// /proc numbers this test process as it numbers itself (no separate PID namespace
    /// without a /proc of its own here), so the translation is the identity.
    #[test]
    fn proc_pid_of_self() {
        let me = std::process::id() as i32;
        let ids = ns_pids("/proc/self/status".as_ref()).unwrap();
        if ids.first() == Some(&me) {
            assert_eq!(proc_pid(me), me);
        }
        assert!(!ids.is_empty());
    }

    #[test]
    fn inet_tables() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n\
   1: 0100007F:A2C4 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1\n";
        assert_eq!(
            find_inet(table, 4242, "TCP", false).as_deref(),
            Some("TCP:[127.0.0.1:8080]")
        );
        assert_eq!(
            find_inet(table, 4343, "TCP", false).as_deref(),
            Some("TCP:[127.0.0.1:41668->127.0.0.1:8080]")
        );
        assert_eq!(find_inet(table, 1, "TCP", false), None);
        let table6 = "header\n   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1\n";
        assert_eq!(
            find_inet(table6, 77, "TCPv6", true).as_deref(),
            Some("TCPv6:[[::1]:80]")
        );
    }

    #[test]
    fn unix_socketpair_has_peers() {
        let mut pair = [0i32; 2];
        // SAFETY: creates two sockets we close below.
        assert_eq!(
            unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, pair.as_mut_ptr()) },
            0
        );
        let fds = ProcessFds::new(std::process::id() as i32);
        let inode = |fd: i32| -> String {
            let link = fds.path(fd.into()).unwrap();
            link.trim_start_matches("socket:[")
                .trim_end_matches(']')
                .to_string()
        };
        let (a, b) = (inode(pair[0]), inode(pair[1]));
        assert_eq!(
            fds.socket(pair[0].into()),
            Some(format!("UNIX-STREAM:[{a}->{b}]"))
        );
        assert_eq!(
            fds.socket(pair[1].into()),
            Some(format!("UNIX-STREAM:[{b}->{a}]"))
        );
        // SAFETY: closing our own fds.
        unsafe {
            libc::close(pair[0]);
            libc::close(pair[1]);
        }
    }

    #[test]
    fn netlink_socket_has_protocol_and_port() {
        // SAFETY: a socket we bind and close below.
        let fd = unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_RAW, libc::NETLINK_SOCK_DIAG) };
        assert!(fd >= 0);
        // SAFETY: sockaddr_nl is plain data.
        let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        addr.nl_family = libc::AF_NETLINK as u16;
        let size = std::mem::size_of::<libc::sockaddr_nl>() as u32;
        // SAFETY: binding our socket to an address we own.
        let bound = unsafe { libc::bind(fd, (&raw const addr).cast(), size) };
        assert_eq!(bound, 0);
        let fds = ProcessFds::new(std::process::id() as i32);
        assert_eq!(fds.socket_protocol(fd.into()).as_deref(), Some("NETLINK"));
        let (protocol, port) = fds.netlink_socket(fd.into()).unwrap();
        assert_eq!(i32::from(protocol), libc::NETLINK_SOCK_DIAG);
        assert_ne!(port, 0);
        // SAFETY: closing our own fd.
        unsafe { libc::close(fd) };
    }

    #[test]
    fn unix_table() {
        let table = "Num       RefCount Protocol Flags    Type St Inode Path\n\
0000000000000000: 00000002 00000000 00010000 0001 01 5555 /run/test.sock\n\
0000000000000000: 00000003 00000000 00000000 0001 03 5556\n\
0000000000000000: 00000002 00000000 00010000 0001 01 5557 @79666\n";
        assert_eq!(
            find_unix(table, 5555).as_deref(),
            Some("UNIX-STREAM:[5555,\"/run/test.sock\"]")
        );
        assert_eq!(
            find_unix(table, 5556).as_deref(),
            Some("UNIX-STREAM:[5556]")
        );
        // strace's net-yy-unix: an abstract name as @ before the quoted rest.
        assert_eq!(
            find_unix(table, 5557).as_deref(),
            Some("UNIX-STREAM:[5557,@\"79666\"]")
        );
    }
}
