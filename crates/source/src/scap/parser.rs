//! Reads a `.scap` file's events as libsinsp does: keeps the threads and fds they describe
//! ([`Threads`]) and turns them into Saker's event model ([`SyscallEvent`]): one event per
//! syscall exit (with what its enter event said), fork, exec and exit events.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::sync::OnceLock;

use saker_event::syscall_event::AT_FDCWD;
use saker_event::{
    Bytes, Capabilities, Comm, EventBody, EventHeader, ExecInfo, SockAddr, SyscallDetail,
    SyscallEvent, SyscallExit,
};

use super::flags;
use super::reader::Event;
use super::table::{self, EventInfo};
use super::threads::{Fd, Thread, Threads, with_slash};

/// What the parser does with an event type, resolved once per type from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Open,
    Creat,
    Close,
    Socket,
    Bind,
    Connect,
    Accept,
    Listen,
    Pipe,
    SocketPair,
    /// A call whose result is a new fd of a kind with no name (eventfd, signalfd, timerfd,
    /// inotify), with sinsp's type letter.
    NewFd(u8),
    Dup,
    Fcntl,
    Clone,
    Execve,
    ProcExit,
    Chdir,
    Fchdir,
    Rename,
    Unlink,
    Mkdir,
    Rmdir,
    Symlink,
    Link,
    Chmod,
    SetId,
    Kill,
    Ptrace,
    Mount,
    Umount,
    Setns,
    Unshare,
    Bpf,
    Read,
    Write,
    SendTo,
    /// A syscall without an event of its own (`ID` and `nativeID`).
    Generic,
    /// Container metadata (Falco's JSON, or the old id/type/name/image parameters).
    Container,
    Other,
}

impl Kind {
    /// Whether the event changes the threads or fds (what a printer needs kept); the others
    /// matter only when Saker events are built.
    fn changes_threads(self) -> bool {
        !matches!(
            self,
            Kind::Listen
                | Kind::Read
                | Kind::Write
                | Kind::Generic
                | Kind::Other
                | Kind::Rename
                | Kind::Unlink
                | Kind::Mkdir
                | Kind::Rmdir
                | Kind::Symlink
                | Kind::Link
                | Kind::Chmod
                | Kind::Kill
                | Kind::Ptrace
                | Kind::Mount
                | Kind::Umount
                | Kind::Setns
                | Kind::Unshare
                | Kind::Bpf
        )
    }
}

fn kind_of(info: &EventInfo) -> Kind {
    match info.name.as_str() {
        "open" | "openat" | "openat2" => Kind::Open,
        "creat" => Kind::Creat,
        "close" => Kind::Close,
        "socket" => Kind::Socket,
        "bind" => Kind::Bind,
        "connect" => Kind::Connect,
        "accept" => Kind::Accept,
        "listen" => Kind::Listen,
        "pipe" => Kind::Pipe,
        "eventfd" => Kind::NewFd(b'e'),
        "signalfd" => Kind::NewFd(b's'),
        "timerfd_create" => Kind::NewFd(b't'),
        "inotify_init" => Kind::NewFd(b'i'),
        "socketpair" => Kind::SocketPair,
        "dup" => Kind::Dup,
        "fcntl" => Kind::Fcntl,
        "clone" | "fork" | "vfork" | "clone3" => Kind::Clone,
        "execve" | "execveat" => Kind::Execve,
        "procexit" => Kind::ProcExit,
        "chdir" => Kind::Chdir,
        "fchdir" => Kind::Fchdir,
        "rename" | "renameat" | "renameat2" => Kind::Rename,
        "unlink" | "unlinkat" => Kind::Unlink,
        "mkdir" | "mkdirat" => Kind::Mkdir,
        "rmdir" => Kind::Rmdir,
        "symlink" | "symlinkat" => Kind::Symlink,
        "link" | "linkat" => Kind::Link,
        "chmod" | "fchmodat" | "fchmod" => Kind::Chmod,
        "setuid" | "setgid" | "setresuid" | "setresgid" => Kind::SetId,
        "kill" | "tkill" | "tgkill" => Kind::Kill,
        "ptrace" => Kind::Ptrace,
        "mount" => Kind::Mount,
        "umount" => Kind::Umount,
        "setns" => Kind::Setns,
        "unshare" => Kind::Unshare,
        "bpf" => Kind::Bpf,
        "read" | "pread" | "readv" | "preadv" | "recv" | "recvfrom" | "recvmsg" => Kind::Read,
        "write" | "pwrite" | "writev" | "pwritev" | "send" => Kind::Write,
        "sendto" | "sendmsg" => Kind::SendTo,
        "syscall" => Kind::Generic,
        "container" => Kind::Container,
        _ => Kind::Other,
    }
}

/// Per event type: the parser's kind, the x86_64 syscall number its name stands for, and the
/// index of each parameter name (looked up once, not per event).
struct TypeInfo {
    kind: Kind,
    nr: Option<i64>,
    names: FxHashMap<&'static str, usize>,
}

fn types() -> &'static [TypeInfo] {
    static TYPES: OnceLock<Vec<TypeInfo>> = OnceLock::new();
    TYPES.get_or_init(|| {
        (0..table::event_count())
            .map(|k| {
                let info = table::info(k as u16).expect("in the table");
                let name = match info.name.as_str() {
                    "pread" => "pread64",
                    "pwrite" => "pwrite64",
                    "umount" => "umount2",
                    n => n,
                };
                TypeInfo {
                    kind: kind_of(info),
                    nr: saker_syscalls::number(name).map(|n| n as i64),
                    names: info
                        .params
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (&*p.name.clone().leak(), i))
                        .collect(),
                }
            })
            .collect()
    })
}

/// The syscall number an event type stands for.
pub fn syscall_number(kind: u16) -> Option<i64> {
    types().get(usize::from(kind)).and_then(|t| t.nr)
}

/// An enter event's parameters, kept until its exit (buffers reused).
#[derive(Default)]
struct Enter {
    kind: u16,
    data: Vec<u8>,
    ranges: Vec<(usize, usize)>,
}

impl Enter {
    fn param(&self, i: usize) -> Option<&[u8]> {
        let &(a, b) = self.ranges.get(i)?;
        self.data.get(a..b)
    }
}

/// The event's parameters by name, with the enter event's as a fallback.
struct Params<'e, 'a> {
    event: &'e Event<'a>,
    names: &'static FxHashMap<&'static str, usize>,
    enter: Option<(&'e Enter, &'static FxHashMap<&'static str, usize>)>,
}

impl<'a> Params<'_, 'a> {
    fn get(&self, name: &str) -> Option<&[u8]> {
        if let Some(&i) = self.names.get(name)
            && let Some(v) = self.event.param(i)
        {
            return Some(v);
        }
        let (enter, names) = self.enter?;
        enter.param(*names.get(name)?)
    }
    fn i64(&self, name: &str) -> Option<i64> {
        Some(i64::from_le_bytes(
            self.get(name)?.get(..8)?.try_into().ok()?,
        ))
    }
    fn u32(&self, name: &str) -> Option<u32> {
        let v = self.get(name)?;
        Some(match v.len() {
            1 => u32::from(v[0]),
            2 => u32::from(u16::from_le_bytes(v.try_into().ok()?)),
            _ => u32::from_le_bytes(v.get(..4)?.try_into().ok()?),
        })
    }
    fn str(&self, name: &str) -> Vec<u8> {
        self.get(name).map(c_str).unwrap_or_default().to_vec()
    }
}

pub fn c_str(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&x| x == 0).unwrap_or(b.len())]
}

/// The parser: threads, fds, the pending enter events.
#[derive(Default)]
pub struct Parser {
    pub threads: Threads,
    enters: FxHashMap<u64, Enter>,
    /// A thread whose procexit was seen: removed at the next event, after it was printed.
    pending_exit: Option<u64>,
    /// Build Saker events (replay); off for a printer that only needs the threads.
    pub map_events: bool,
    /// Containers the file's container events described, by full id.
    pub containers: HashMap<String, saker_state::ContainerInfo>,
}

impl Parser {
    pub fn new(map_events: bool) -> Parser {
        Parser {
            map_events,
            ..Parser::default()
        }
    }

    /// Updates the threads with `event` and appends the Saker events it stands for to `out`.
    pub fn parse(&mut self, event: &Event<'_>, out: &mut Vec<SyscallEvent>) {
        if let Some(tid) = self.pending_exit.take() {
            self.threads.remove(tid);
        }
        let types = types();
        let Some(ty) = types.get(usize::from(event.kind)) else {
            return;
        };
        if self.threads.get(event.tid).is_none() {
            // sinsp makes an empty thread for one it has not seen (`proc.name` is `<NA>`),
            // whose fds it then tracks.
            self.threads.insert(event.tid, empty_thread(event.tid));
        }
        if ty.kind == Kind::Container {
            if let Some(c) = container_of_event(event, &ty.names) {
                self.containers.insert(c.id.clone(), c);
            }
            return;
        }
        if !self.map_events && !ty.kind.changes_threads() {
            return;
        }
        if table::is_enter(event.kind) && ty.kind != Kind::ProcExit {
            // An enter event: keep its parameters for the exit.
            let enter = self.enters.entry(event.tid).or_default();
            enter.kind = event.kind;
            enter.data.clear();
            enter.ranges.clear();
            for p in event.params() {
                let start = enter.data.len();
                enter.data.extend_from_slice(p);
                enter.ranges.push((start, enter.data.len()));
            }
            return;
        }
        // Taken out while the exit is applied (the buffers go back for the next enter).
        let enter = self.enters.remove(&event.tid);
        let p = Params {
            event,
            names: &ty.names,
            enter: enter
                .as_ref()
                .filter(|e| e.kind + 1 == event.kind)
                .map(|e| (e, &types[usize::from(e.kind)].names)),
        };
        self.apply(event, ty, &p, out);
        if let Some(enter) = enter {
            self.enters.insert(event.tid, enter);
        }
    }

    fn header(&self, event: &Event<'_>) -> EventHeader {
        let t = self.threads.get(event.tid);
        let pid = t.map_or(event.tid, |t| t.pid);
        let ppid = t
            .and_then(|t| self.threads.get(t.ptid).map(|p| p.pid).or(Some(t.ptid)))
            .unwrap_or(0);
        EventHeader {
            ts_ns: event.ts,
            tid: event.tid as u32,
            pid: pid as u32,
            ppid: ppid as u32,
            uid: t.map_or(0, |t| t.uid),
            gid: t.map_or(0, |t| t.gid),
            euid: t.map_or(0, |t| t.uid),
            egid: t.map_or(0, |t| t.gid),
            cgroup_id: t.map_or(0, |t| t.cgroup_id),
            comm: Comm::new(t.map_or(&[][..], |t| &t.comm)),
        }
    }

    /// The absolute path of `path` as sinsp resolves it: against the dirfd's path or the
    /// thread's cwd. `None` when the dirfd is not an fd the thread is known to have: sinsp
    /// then prints the path as it is, and names an fd opened through it `<UNKNOWN>path`.
    pub fn resolve(&self, tid: u64, dirfd: Option<i64>, path: &[u8]) -> Option<Vec<u8>> {
        if path.starts_with(b"/") {
            return Some(normalize(path));
        }
        let base = match dirfd {
            Some(fd) if fd != i64::from(AT_FDCWD) => {
                let dir = &self.threads.fd(tid, fd)?.name;
                if !dir.starts_with(b"/") {
                    // Itself opened through an unknown dirfd (`<UNKNOWN>dir`): joined as is.
                    return Some([&with_slash(dir)[..], path].concat());
                }
                with_slash(dir)
            }
            _ => self
                .threads
                .get(tid)
                .map(|t| t.cwd.clone())
                .unwrap_or_default(),
        };
        let mut full = base;
        full.extend_from_slice(path);
        Some(normalize(&full))
    }

    fn apply(
        &mut self,
        event: &Event<'_>,
        ty: &TypeInfo,
        p: &Params<'_, '_>,
        out: &mut Vec<SyscallEvent>,
    ) {
        let tid = event.tid;
        let res = p.i64("res").or_else(|| p.i64("fd")).unwrap_or(0);
        let mut nr = ty.nr.unwrap_or(-1);
        let mut detail = SyscallDetail::Other;
        let mut args = [0u64; 6];
        match ty.kind {
            Kind::Open | Kind::Creat => {
                let fd = p.i64("fd").unwrap_or(-1);
                let name = p.str("name");
                let dirfd = p.i64("dirfd");
                let ppm = if ty.kind == Kind::Creat {
                    // O_CREAT|O_WRONLY|O_TRUNC
                    (1 << 2) | 2 | (1 << 8)
                } else {
                    p.u32("flags").unwrap_or(0)
                };
                let mode = p.u32("mode").unwrap_or(0);
                if fd >= 0 {
                    let full = self
                        .resolve(tid, dirfd, &name)
                        .unwrap_or_else(|| [&b"<UNKNOWN>"[..], &name].concat());
                    let typechar = if ppm & (1 << 10) != 0 { b'd' } else { b'f' };
                    self.threads.set_fd(
                        tid,
                        fd,
                        Fd {
                            typechar,
                            l4: 0,
                            name: full,
                            ppm_flags: ppm,
                            tuple: None,
                        },
                    );
                }
                detail = SyscallDetail::Open {
                    dirfd: dirfd.map_or(AT_FDCWD, |d| d as i32),
                    path: Bytes(name),
                    flags: flags::open_to_linux(ppm),
                    mode,
                };
            }
            Kind::Close => {
                let fd = p.i64("fd").unwrap_or(-1);
                if res >= 0 {
                    self.threads.close_fd(tid, fd);
                }
                detail = SyscallDetail::Close { fd: fd as i32 };
                args[0] = fd as u64;
            }
            Kind::Socket => {
                let domain = p.u32("domain").unwrap_or(0);
                let kind = p.u32("type").unwrap_or(0);
                let proto = p.u32("proto").unwrap_or(0);
                // Without its enter event the socket's kind is unknown: sinsp then keeps no
                // fd for it, and neither does Saker.
                if res >= 0 && p.get("domain").is_some() {
                    self.threads
                        .set_fd(tid, res, socket_fd(domain, kind, proto));
                }
                detail = SyscallDetail::Socket {
                    domain: flags::family(domain),
                    kind: kind as i32,
                    protocol: proto as i32,
                };
            }
            Kind::Bind => {
                let fd = p.i64("fd").unwrap_or(-1);
                let addr = p.get("addr").and_then(parse_sockaddr);
                if res >= 0
                    && let Some(a) = &addr
                    && let Some(f) = self.threads.fd_mut(tid, fd)
                {
                    if let SockAddr::Inet(_) | SockAddr::Inet6(_) = a
                        && sockaddr_port(a) > 0
                    {
                        f.l4 |= ROLE_SERVER;
                    }
                    f.name = sockaddr_text(a).into_bytes();
                }
                detail = SyscallDetail::Bind {
                    fd: fd as i32,
                    addr,
                };
            }
            Kind::Connect => {
                let fd = p.i64("fd").unwrap_or(-1);
                let tuple = p.get("tuple").and_then(parse_tuple);
                let addr = p
                    .get("addr")
                    .and_then(parse_sockaddr)
                    .or_else(|| tuple.as_ref().map(|t| t.remote.clone()));
                // A non-blocking connect (EINPROGRESS) still names the socket.
                if (res >= 0 || res == -115)
                    && let Some(t) = &tuple
                    && let Some(f) = self.threads.fd_mut(tid, fd)
                {
                    set_addresses(f, t);
                    f.l4 |= ROLE_CLIENT;
                }
                detail = SyscallDetail::Connect {
                    fd: fd as i32,
                    addr,
                };
            }
            Kind::Accept => {
                let tuple = p.get("tuple").and_then(parse_tuple);
                let listening = p.i64("fd_listen").unwrap_or(-1);
                if res >= 0 {
                    let mut fd = tuple.as_ref().map(|t| t.fd.clone()).unwrap_or_default();
                    fd.l4 |= ROLE_SERVER;
                    self.threads.set_fd(tid, res, fd);
                }
                detail = SyscallDetail::Accept {
                    fd: listening as i32,
                    peer: tuple.map(|t| t.local),
                };
            }
            Kind::Listen => {
                detail = SyscallDetail::Listen {
                    fd: p.i64("fd").unwrap_or(-1) as i32,
                    backlog: p.u32("backlog").unwrap_or(0) as i32,
                };
            }
            Kind::Pipe | Kind::SocketPair => {
                let fd1 = p.i64("fd1").unwrap_or(-1);
                let fd2 = p.i64("fd2").unwrap_or(-1);
                if res >= 0 {
                    let typechar = if ty.kind == Kind::Pipe { b'p' } else { b'u' };
                    for fd in [fd1, fd2] {
                        self.threads.set_fd(
                            tid,
                            fd,
                            Fd {
                                typechar,
                                ..Fd::default()
                            },
                        );
                    }
                }
                detail = SyscallDetail::FdPair {
                    fds: (res >= 0).then_some([fd1 as i32, fd2 as i32]),
                    flags: 0,
                };
            }
            Kind::NewFd(typechar) => {
                if res >= 0 {
                    self.threads.set_fd(
                        tid,
                        res,
                        Fd {
                            typechar,
                            ..Fd::default()
                        },
                    );
                }
            }
            Kind::Dup => {
                let old = p.i64("fd").unwrap_or(-1);
                self.dup(tid, old, res);
                detail = SyscallDetail::Dup { old_fd: old as i32 };
            }
            Kind::Fcntl => {
                let fd = p.i64("fd").unwrap_or(-1);
                let cmd = p.u32("cmd").unwrap_or(0) as u8;
                if flags::fcntl_is_dup(cmd) {
                    self.dup(tid, fd, res);
                    detail = SyscallDetail::Dup { old_fd: fd as i32 };
                } else {
                    detail = SyscallDetail::Fcntl {
                        fd: fd as i32,
                        cmd: i32::from(cmd),
                        arg: 0,
                    };
                }
            }
            Kind::Clone => {
                self.clone_exit(event, p, res, out);
                detail = SyscallDetail::Clone {
                    flags: flags::clone_to_linux(p.u32("flags").unwrap_or(0)),
                };
                if res == 0 {
                    // The child's own return: its thread is known now; the parent's exit is
                    // the event.
                    return;
                }
            }
            Kind::Execve => {
                if !table::is_enter(event.kind) {
                    if res == 0 {
                        self.exec_exit(event, p, out);
                        return;
                    }
                    let filename = p.str("filename");
                    let path = if filename.is_empty() {
                        p.str("exe")
                    } else {
                        filename
                    };
                    detail = SyscallDetail::ExecFailed {
                        dirfd: p.i64("dirfd").map_or(AT_FDCWD, |d| d as i32),
                        path: Bytes(path),
                    };
                }
            }
            Kind::ProcExit => {
                // The process's children go to its reaper: the one current captures name
                // (`reaper_tid`, a fifth parameter), or else its parent (the subreaper of a
                // double fork, such as conmon for runc's child).
                if let Some(t) = self.threads.get(tid).cloned()
                    && self.threads.count_in(t.pid) <= 1
                {
                    let reaper = event
                        .param(4)
                        .filter(|v| v.len() == 8)
                        .map(|v| i64::from_le_bytes(v.try_into().expect("8 bytes")))
                        .filter(|r| *r > 0)
                        .map_or(t.ptid, |r| r as u64);
                    self.threads.reparent(t.pid, reaper);
                }
                if self.map_events {
                    let header = self.header(event);
                    let pid = header.pid as u64;
                    let status = p.i64("status").unwrap_or(0) as i32;
                    out.push(SyscallEvent {
                        header,
                        body: EventBody::Exit {
                            status,
                            process_exited: self.threads.count_in(pid) <= 1,
                        },
                    });
                }
                self.pending_exit = Some(tid);
                return;
            }
            Kind::Chdir => {
                let path = p.str("path");
                if res >= 0 {
                    let full = self.resolve(tid, None, &path).unwrap_or_default();
                    if let Some(t) = self.threads.get_mut(tid) {
                        t.cwd = with_slash(&full);
                    }
                }
                detail = SyscallDetail::Chdir { path: Bytes(path) };
            }
            Kind::Fchdir => {
                let fd = p.i64("fd").unwrap_or(-1);
                if res >= 0
                    && let Some(name) = self.threads.fd(tid, fd).map(|f| f.name.clone())
                    && let Some(t) = self.threads.get_mut(tid)
                {
                    t.cwd = with_slash(&name);
                }
                detail = SyscallDetail::Fchdir { fd: fd as i32 };
            }
            Kind::Rename => {
                detail = SyscallDetail::Rename {
                    old_dirfd: dirfd(p, "olddirfd"),
                    old_path: Bytes(p.str("oldpath")),
                    new_dirfd: dirfd(p, "newdirfd"),
                    new_path: Bytes(p.str("newpath")),
                    flags: p.u32("flags").unwrap_or(0),
                };
            }
            Kind::Unlink => {
                let path = if p.get("name").is_some() {
                    p.str("name")
                } else {
                    p.str("path")
                };
                detail = SyscallDetail::Unlink {
                    dirfd: dirfd(p, "dirfd"),
                    path: Bytes(path),
                    flags: p.u32("flags").unwrap_or(0),
                };
            }
            Kind::Mkdir => {
                detail = SyscallDetail::Mkdir {
                    dirfd: dirfd(p, "dirfd"),
                    path: Bytes(p.str("path")),
                    mode: p.u32("mode").unwrap_or(0),
                };
            }
            Kind::Rmdir => {
                detail = SyscallDetail::Unlink {
                    dirfd: AT_FDCWD,
                    path: Bytes(p.str("path")),
                    flags: 0x200,
                };
            }
            Kind::Symlink => {
                detail = SyscallDetail::Symlink {
                    target: Bytes(p.str("target")),
                    dirfd: dirfd(p, "linkdirfd"),
                    link_path: Bytes(p.str("linkpath")),
                };
            }
            Kind::Link => {
                detail = SyscallDetail::Link {
                    old_dirfd: dirfd(p, "olddir"),
                    old_path: Bytes(p.str("oldpath")),
                    new_dirfd: dirfd(p, "newdir"),
                    new_path: Bytes(p.str("newpath")),
                    flags: p.u32("flags").unwrap_or(0),
                };
            }
            Kind::Chmod => {
                let fd = p.i64("fd");
                detail = SyscallDetail::Chmod {
                    dirfd: dirfd(p, "dirfd"),
                    path: fd.is_none().then(|| Bytes(p.str("filename"))),
                    fd: fd.map(|f| f as i32),
                    mode: p.u32("mode").unwrap_or(0),
                };
            }
            Kind::SetId => {
                let id = |names: &[&str]| names.iter().find_map(|n| p.u32(n)).unwrap_or(u32::MAX);
                let (real, effective, saved) = match p.get("uid").or(p.get("gid")) {
                    Some(_) => (u32::MAX, id(&["uid", "gid"]), u32::MAX),
                    None => (
                        id(&["ruid", "rgid"]),
                        id(&["euid", "egid"]),
                        id(&["suid", "sgid"]),
                    ),
                };
                if res == 0
                    && effective != u32::MAX
                    && let Some(t) = self.threads.get_mut(tid)
                {
                    if p.get("uid").is_some() || p.get("euid").is_some() {
                        t.uid = effective;
                    } else {
                        t.gid = effective;
                    }
                }
                detail = SyscallDetail::SetIds {
                    real,
                    effective,
                    saved,
                };
            }
            Kind::Kill => {
                let sig = p.u32("sig").unwrap_or(0) as i32;
                let pid = p.i64("tid").or_else(|| p.i64("pid")).unwrap_or(0);
                detail = SyscallDetail::Kill {
                    pid: pid as i32,
                    sig,
                };
            }
            Kind::Ptrace => {
                detail = SyscallDetail::Ptrace {
                    request: flags::ptrace_to_linux(p.u32("request").unwrap_or(0) as u16),
                    pid: p.i64("pid").unwrap_or(0) as i32,
                };
            }
            Kind::Mount => {
                detail = SyscallDetail::Mount {
                    source: Bytes(p.str("dev")),
                    target: Bytes(p.str("dir")),
                    flags: flags::mount_to_linux(p.u32("flags").unwrap_or(0)),
                };
            }
            Kind::Umount => {
                detail = SyscallDetail::Umount {
                    target: Bytes(p.str("name")),
                    flags: p.u32("flags").unwrap_or(0),
                };
            }
            Kind::Setns => {
                detail = SyscallDetail::Setns {
                    fd: p.i64("fd").unwrap_or(-1) as i32,
                    nstype: flags::clone_to_linux(p.u32("nstype").unwrap_or(0)) as i32,
                };
            }
            Kind::Unshare => {
                detail = SyscallDetail::Unshare {
                    flags: flags::clone_to_linux(p.u32("flags").unwrap_or(0)),
                };
            }
            Kind::Bpf => {
                detail = SyscallDetail::Bpf {
                    cmd: p.i64("cmd").unwrap_or(0) as i32,
                };
            }
            Kind::Read | Kind::Write => {
                let fd = p.i64("fd").unwrap_or(-1) as i32;
                let data = Bytes(p.get("data").unwrap_or_default().to_vec());
                detail = if ty.kind == Kind::Read {
                    SyscallDetail::Read {
                        fd,
                        data,
                        truncated: false,
                    }
                } else {
                    SyscallDetail::Write {
                        fd,
                        data,
                        truncated: false,
                    }
                };
            }
            Kind::SendTo => {
                let fd = p.i64("fd").unwrap_or(-1);
                if res >= 0
                    && let Some(mut t) = p.get("tuple").and_then(parse_tuple)
                    && let Some(f) = self.threads.fd_mut(tid, fd)
                {
                    // An unbound source on the loopback is the loopback (sinsp fills it from
                    // the interface list).
                    if let (Some(s), Some(d)) = (socket_addr(&t.local), socket_addr(&t.remote))
                        && s.ip().is_unspecified()
                        && d.ip().is_loopback()
                    {
                        t.local = match t.local {
                            SockAddr::Inet(a) => {
                                SockAddr::Inet(SocketAddrV4::new(Ipv4Addr::LOCALHOST, a.port()))
                            }
                            SockAddr::Inet6(a) => SockAddr::Inet6(SocketAddrV6::new(
                                Ipv6Addr::LOCALHOST,
                                a.port(),
                                0,
                                0,
                            )),
                            other => other,
                        };
                    }
                    set_addresses(f, &t);
                    if f.l4 & 0x3f == 0 {
                        f.l4 |= 3;
                    }
                    if f.l4 & ROLE_SERVER == 0 {
                        f.l4 |= ROLE_CLIENT;
                    }
                }
                detail = SyscallDetail::SendTo {
                    fd: p.i64("fd").unwrap_or(-1) as i32,
                    len: p.u32("size").map_or(0, u64::from),
                    addr: p.get("tuple").and_then(parse_tuple).map(|t| t.remote),
                };
            }
            Kind::Generic => {
                nr = p
                    .u32("nativeID")
                    .map(i64::from)
                    .filter(|n| *n > 0)
                    .or_else(|| {
                        let name = table::ppm_sc_name(p.u32("ID")? as u16)?;
                        saker_syscalls::number(name).map(|n| n as i64)
                    })
                    .unwrap_or(-1);
            }
            Kind::Other | Kind::Container => {}
        }
        if !self.map_events || nr < 0 || table::is_enter(event.kind) {
            return;
        }
        let header = self.header(event);
        out.push(SyscallEvent {
            header,
            body: EventBody::Syscall(SyscallExit {
                nr,
                ret: res,
                args,
                duration_ns: None,
                off_cpu_ns: None,
                detail,
            }),
        });
    }

    fn dup(&mut self, tid: u64, old: i64, new: i64) {
        if new >= 0
            && let Some(fd) = self.threads.fd(tid, old).cloned()
        {
            self.threads.set_fd(tid, new, fd);
        }
    }

    /// A clone exit: the parent's (res > 0) or the child's (res == 0). The child thread is
    /// created from whichever comes first, except that a parent in another pid namespace than
    /// the host sees the child's namespace pid as `res`: then only the child's own exit, which
    /// carries its host tid, creates it (as libsinsp does).
    fn clone_exit(
        &mut self,
        event: &Event<'_>,
        p: &Params<'_, '_>,
        res: i64,
        out: &mut Vec<SyscallEvent>,
    ) {
        if res < 0 || (res > 0 && parent_in_pid_namespace(event, p)) {
            return;
        }
        let ppm_flags = p.u32("flags").unwrap_or(0);
        let is_thread = ppm_flags & flags::clone_thread() != 0;
        let (child_tid, parent_tid) = if res == 0 {
            (event.tid, p.i64("ptid").unwrap_or(0) as u64)
        } else {
            (res as u64, event.tid)
        };
        // A thread made empty for an earlier event is filled in here.
        let known = self.threads.get(child_tid).is_some_and(Thread::described);
        if known && res == 0 && !is_thread {
            // A process described again (Saker's writer does so when a process is
            // reparented): its parent is the one the event names now.
            if let Some(t) = self.threads.get_mut(child_tid) {
                t.ptid = parent_tid;
            }
        }
        if !known {
            self.create_child(p, res, child_tid, parent_tid, is_thread);
        }
        if res > 0 && self.map_events {
            let header = self.header(event);
            let child = self.threads.get(child_tid);
            out.push(SyscallEvent {
                header,
                body: EventBody::Fork {
                    child_tid: child_tid as u32,
                    child_pid: child.map_or(child_tid, |c| c.pid) as u32,
                    child_vtid: child.map_or(-1, |c| c.vtid) as u32,
                    child_vpid: child.map_or(-1, |c| c.vpid) as u32,
                },
            });
        }
    }

    /// The thread a clone exit creates. Its command is the event's `comm`, else its parent's;
    /// a parent the capture never described takes the event's command, executable and
    /// arguments too (events before `comm` was a parameter name the command by the
    /// executable, as sysdig does).
    fn create_child(
        &mut self,
        p: &Params<'_, '_>,
        res: i64,
        child_tid: u64,
        parent_tid: u64,
        is_thread: bool,
    ) {
        let parent = self
            .threads
            .get(parent_tid)
            .filter(|t| t.described())
            .cloned();
        // A thread's process is the caller's (the event's `pid`), a process is its own.
        let pid = if res == 0 || is_thread {
            p.i64("pid")
                .map(|pid| pid as u64)
                .or(parent.as_ref().map(|t| t.pid))
                .unwrap_or(child_tid)
        } else {
            child_tid
        };
        let parent_pid = parent.as_ref().map_or(parent_tid, |t| t.pid);
        let comm = Some(p.str("comm"))
            .filter(|c| !c.is_empty())
            .or_else(|| parent.as_ref().map(|t| t.comm.clone()))
            .unwrap_or_else(|| p.str("exe"));
        let mut thread = Thread {
            pid,
            ptid: if is_thread {
                parent.as_ref().map_or(0, |t| t.ptid)
            } else {
                parent_tid
            },
            comm,
            exe: p.str("exe"),
            args: p.get("args").unwrap_or_default().to_vec(),
            cwd: with_slash(&p.str("cwd")),
            uid: p.u32("uid").unwrap_or(0),
            gid: p.u32("gid").unwrap_or(0),
            vtid: p.i64("vtid").unwrap_or(-1),
            vpid: p.i64("vpid").unwrap_or(-1),
            ..parent.clone().unwrap_or_default()
        };
        if let Some(cgroups) = p.get("cgroups") {
            thread.set_cgroups(cgroups.to_vec());
        }
        if res > 0 && parent.is_none() {
            self.describe_caller(parent_tid, &thread);
        }
        self.threads.insert(child_tid, thread);
        if !is_thread {
            self.threads.copy_fds(parent_pid, pid);
        } else if self.threads.get(pid).is_none() {
            // sinsp looks the thread's process up, which makes it a thread called `<NA>`.
            let comm = b"<NA>".to_vec();
            self.threads.insert(
                pid,
                Thread {
                    comm,
                    ..empty_thread(pid)
                },
            );
        }
    }

    /// A clone's caller the capture never described takes what its child's event says.
    fn describe_caller(&mut self, tid: u64, child: &Thread) {
        if self.threads.get(tid).is_none() {
            self.threads.insert(tid, empty_thread(tid));
        }
        if let Some(caller) = self.threads.get_mut(tid) {
            caller.comm = child.comm.clone();
            caller.exe = child.exe.clone();
            caller.args = child.args.clone();
        }
    }

    fn exec_exit(&mut self, event: &Event<'_>, p: &Params<'_, '_>, out: &mut Vec<SyscallEvent>) {
        let tid = event.tid;
        let exe = p.str("exe");
        let args = p.get("args").unwrap_or_default().to_vec();
        let comm = p.str("comm");
        let comm = if comm.is_empty() {
            // Before `comm` was a parameter: the executable's base name, cut as the kernel does.
            let base = exe.rsplit(|&b| b == b'/').next().unwrap_or(&exe);
            base[..base.len().min(15)].to_vec()
        } else {
            comm
        };
        let cwd = p.get("cwd").map(c_str).map(with_slash);
        let old = self.threads.get(tid).cloned().unwrap_or_default();
        let pid = p.i64("pid").map_or(old.pid.max(tid), |p| p as u64);
        let filename = p.str("filename");
        let thread = Thread {
            pid,
            ptid: p.i64("ptid").map_or(old.ptid, |p| p as u64),
            comm,
            exe: exe.clone(),
            exepath: if filename.is_empty() {
                exe.clone()
            } else {
                filename.clone()
            },
            args,
            cwd: cwd.unwrap_or(old.cwd.clone()),
            tty: p.u32("tty").unwrap_or(old.tty),
            loginuid: p.u32("loginuid").unwrap_or(old.loginuid),
            ..old
        };
        let mut thread = thread;
        if let Some(cgroups) = p.get("cgroups") {
            thread.set_cgroups(cgroups.to_vec());
        }
        // Fds marked close-on-exec go away at exec.
        self.threads.insert(tid, thread);
        if !self.map_events {
            return;
        }
        let t = self.threads.get(tid).expect("inserted");
        let mut argv = vec![Bytes(t.exe.clone())];
        argv.extend(split_nul(&t.args));
        let tty = (t.tty != 0).then_some((
            (t.tty >> 8) & 0xfff,
            (t.tty & 0xff) | ((t.tty >> 12) & 0xfff00),
        ));
        let info = ExecInfo {
            nr: syscall_number(event.kind).unwrap_or(59),
            filename: Bytes(if filename.is_empty() {
                t.exe.clone()
            } else {
                filename
            }),
            argv,
            argv_truncated: false,
            env_count: None,
            envp: None,
            old_tid: tid as u32,
            vtid: t.vtid as u32,
            vpid: t.vpid as u32,
            loginuid: t.loginuid,
            tty,
            caps: t
                .caps
                .map(|(effective, permitted, inheritable)| Capabilities {
                    effective,
                    permitted,
                    inheritable,
                }),
            exe_upper_layer: p.u32("flags").unwrap_or(0) & flags::EXE_UPPER_LAYER != 0,
        };
        let header = self.header(event);
        out.push(SyscallEvent {
            header,
            body: EventBody::Exec(info),
        });
    }
}

/// sinsp's `set_ipv*_addresses_and_ports`: the source end always follows the tuple, the
/// destination only fills in what is unknown; the name follows.
fn set_addresses(f: &mut Fd, t: &Tuple) {
    let (Some(s), Some(d)) = (socket_addr(&t.local), socket_addr(&t.remote)) else {
        f.name = t.text.clone().into_bytes();
        return;
    };
    let new = (s.ip(), s.port(), d.ip(), d.port());
    let (sip, sport, mut dip, mut dport) = match f.tuple {
        Some(old) if old == new || (old.2, old.3, old.0, old.1) == new => return,
        Some(old) => (new.0, new.1, old.2, old.3),
        None => new,
    };
    if dip.is_unspecified() {
        dip = new.2;
    }
    if dport == 0 {
        dport = new.3;
    }
    f.tuple = Some((sip, sport, dip, dport));
    f.typechar = if matches!(sip, IpAddr::V4(_)) {
        b'4'
    } else {
        b'6'
    };
    let end = |ip: IpAddr, port: u16| match ip {
        IpAddr::V6(v6) => v6_text(&v6, port),
        IpAddr::V4(v4) => format!("{v4}:{port}"),
    };
    f.name = format!("{}->{}", end(sip, sport), end(dip, dport)).into_bytes();
}

/// A container event: Falco's JSON (`{"container": {"id", "full_id", "type", "name",
/// "image", "privileged"}}`) or the old event's parameters.
fn container_of_event(
    event: &Event<'_>,
    names: &FxHashMap<&'static str, usize>,
) -> Option<saker_state::ContainerInfo> {
    let param = |n: &str| event.param(*names.get(n)?).map(c_str);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (id, kind, name, image, privileged) = if let Some(json) = param("json") {
        let v: serde_json::Value = serde_json::from_slice(json).ok()?;
        let c = v.get("container")?;
        let s = |k: &str| {
            c.get(k)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        (
            s("full_id").or_else(|| s("id"))?,
            c.get("type")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            s("name"),
            s("image"),
            c.get("privileged").and_then(serde_json::Value::as_bool),
        )
    } else {
        (
            text(param("id")?),
            event
                .param(*names.get("type")?)
                .map_or(0, |v| u64::from(v.first().copied().unwrap_or(0))),
            param("name").map(text),
            param("image").map(text),
            None,
        )
    };
    let image = image.unwrap_or_default();
    let (image_repository, image_tag) = saker_container::parse_repo_tag(&image);
    let (image_repository, image_tag) = (image_repository.to_string(), image_tag.to_string());
    Some(saker_state::ContainerInfo::with_meta(
        saker_state::ContainerMeta {
            id,
            kind: runtime_of_type(kind),
            name: name.unwrap_or_default(),
            image_repository,
            image_tag,
            image,
            privileged: privileged.unwrap_or(false),
            ..Default::default()
        },
    ))
}

/// libscap's container type numbers.
pub fn runtime_of_type(kind: u64) -> saker_state::ContainerType {
    use saker_state::ContainerType;
    match kind {
        5 => ContainerType::CriO,
        6 => ContainerType::Cri,
        7 => ContainerType::Containerd,
        11 => ContainerType::Podman,
        _ => ContainerType::Docker,
    }
}

fn dirfd(p: &Params<'_, '_>, name: &str) -> i32 {
    p.i64(name).map_or(AT_FDCWD, |d| d as i32)
}

/// Role bits kept in `Fd::l4`'s high bits: sinsp shows the protocol letter only once the
/// socket is known to be a client or a server.
pub const ROLE_CLIENT: u8 = 0x40;
pub const ROLE_SERVER: u8 = 0x80;

fn socket_fd(domain: u32, kind: u32, proto: u32) -> Fd {
    let typechar = match domain {
        1 => b'u',
        2 => b'4',
        10 => b'6',
        16 => b'n',
        _ => b'o',
    };
    let raw = kind & 0xff == 3;
    let l4 = match (domain, proto) {
        (2 | 10, _) if raw => b'r',
        (2 | 10, 6) => b't',
        (2 | 10, 17) => b'u',
        (2 | 10, 1) => b'i',
        (2 | 10, 255) => b'r',
        (2 | 10, 0) if kind & 0xff == 1 => b't',
        (2 | 10, 0) if kind & 0xff == 2 => b'u',
        _ => 0,
    };
    Fd {
        typechar,
        l4: protocol_code(l4),
        ..Fd::default()
    }
}

/// The protocol letter packed in the low bits of `Fd::l4`.
fn protocol_code(letter: u8) -> u8 {
    match letter {
        b't' => 2,
        b'u' => 3,
        b'i' => 4,
        b'r' => 5,
        _ => 0,
    }
}

/// The protocol letter to print for an fd (`t`, `u`...), as sinsp's `get_l4proto`.
pub fn protocol_letter(fd: &Fd) -> Option<char> {
    let letter = match fd.l4 & 0x3f {
        2 => 't',
        3 => 'u',
        4 => 'i',
        5 => 'r',
        _ => return None,
    };
    (letter == 'r' || fd.l4 & (ROLE_CLIENT | ROLE_SERVER) != 0).then_some(letter)
}

fn sockaddr_port(a: &SockAddr) -> u16 {
    match a {
        SockAddr::Inet(a) => a.port(),
        SockAddr::Inet6(a) => a.port(),
        _ => 0,
    }
}

/// A scap sockaddr parameter (family byte, then address and port in host order).
pub fn parse_sockaddr(v: &[u8]) -> Option<SockAddr> {
    match *v.first()? {
        2 if v.len() >= 7 => {
            let ip = Ipv4Addr::new(v[1], v[2], v[3], v[4]);
            let port = u16::from_le_bytes([v[5], v[6]]);
            Some(SockAddr::Inet(SocketAddrV4::new(ip, port)))
        }
        10 if v.len() >= 19 => {
            let ip: [u8; 16] = v[1..17].try_into().ok()?;
            let port = u16::from_le_bytes([v[17], v[18]]);
            Some(SockAddr::Inet6(SocketAddrV6::new(ip.into(), port, 0, 0)))
        }
        1 => Some(SockAddr::Unix {
            path: Bytes(c_str(&v[1..]).to_vec()),
            abstract_name: false,
        }),
        family => Some(SockAddr::Other {
            family: u16::from(family),
            data: Bytes(v[1..].to_vec()),
        }),
    }
}

/// How sinsp prints a socket address.
pub fn sockaddr_text(a: &SockAddr) -> String {
    match a {
        SockAddr::Inet(a) => format!("{}:{}", a.ip(), a.port()),
        SockAddr::Inet6(a) => v6_text(a.ip(), a.port()),
        SockAddr::Unix { path, .. } => sanitize(&path.0),
        SockAddr::Other { family, .. } => format!("family {family}"),
    }
}

fn v6_text(ip: &Ipv6Addr, port: u16) -> String {
    match ip.to_ipv4_mapped() {
        Some(v4) => format!("{v4}:{port}"),
        None => format!("{ip}:{port}"),
    }
}

/// sinsp's `sanitize_string`: drops every byte that is not printable ASCII.
pub fn sanitize(b: &[u8]) -> String {
    b.iter()
        .filter(|c| (0x20..0x7f).contains(*c))
        .map(|&c| c as char)
        .collect()
}

/// A socket tuple parameter.
pub struct Tuple {
    /// The first end (`sip:sport`): the local end for connect, the peer for accept.
    pub local: SockAddr,
    pub remote: SockAddr,
    pub text: String,
    /// The fd an accept creates from it.
    pub fd: Fd,
}

pub fn parse_tuple(v: &[u8]) -> Option<Tuple> {
    let family = *v.first()?;
    let inet = |a: IpAddr, port: u16| match a {
        IpAddr::V4(ip) => SockAddr::Inet(SocketAddrV4::new(ip, port)),
        IpAddr::V6(ip) => SockAddr::Inet6(SocketAddrV6::new(ip, port, 0, 0)),
    };
    match family {
        2 if v.len() >= 13 => {
            let sip = Ipv4Addr::new(v[1], v[2], v[3], v[4]);
            let sport = u16::from_le_bytes([v[5], v[6]]);
            let dip = Ipv4Addr::new(v[7], v[8], v[9], v[10]);
            let dport = u16::from_le_bytes([v[11], v[12]]);
            let text = format!("{sip}:{sport}->{dip}:{dport}");
            Some(Tuple {
                local: inet(sip.into(), sport),
                remote: inet(dip.into(), dport),
                fd: Fd {
                    typechar: b'4',
                    l4: 2,
                    name: text.clone().into_bytes(),
                    ppm_flags: 0,
                    tuple: Some((sip.into(), sport, dip.into(), dport)),
                },
                text,
            })
        }
        10 if v.len() >= 37 => {
            let sip = Ipv6Addr::from(<[u8; 16]>::try_from(&v[1..17]).ok()?);
            let sport = u16::from_le_bytes([v[17], v[18]]);
            let dip = Ipv6Addr::from(<[u8; 16]>::try_from(&v[19..35]).ok()?);
            let dport = u16::from_le_bytes([v[35], v[36]]);
            let mapped = sip.to_ipv4_mapped().is_some() && dip.to_ipv4_mapped().is_some();
            let text = format!("{}->{}", v6_text(&sip, sport), v6_text(&dip, dport));
            Some(Tuple {
                local: inet(sip.into(), sport),
                remote: inet(dip.into(), dport),
                fd: Fd {
                    typechar: if mapped { b'4' } else { b'6' },
                    l4: 2,
                    name: text.clone().into_bytes(),
                    ppm_flags: 0,
                    tuple: Some((sip.into(), sport, dip.into(), dport)),
                },
                text,
            })
        }
        1 if v.len() >= 17 => {
            let source = u64::from_le_bytes(v[1..9].try_into().ok()?);
            let dest = u64::from_le_bytes(v[9..17].try_into().ok()?);
            let path = c_str(&v[17..]);
            let text = format!("{source:x}->{dest:x} {}", sanitize(path));
            Some(Tuple {
                local: SockAddr::Unix {
                    path: Bytes(path.to_vec()),
                    abstract_name: false,
                },
                remote: SockAddr::Unix {
                    path: Bytes(path.to_vec()),
                    abstract_name: false,
                },
                fd: Fd {
                    typechar: b'u',
                    name: text.clone().into_bytes(),
                    ..Fd::default()
                },
                text,
            })
        }
        _ => None,
    }
}

/// The socket ends as Saker's fd table keeps them.
pub fn socket_addr(a: &SockAddr) -> Option<SocketAddr> {
    match a {
        SockAddr::Inet(a) => Some((*a).into()),
        SockAddr::Inet6(a) => Some((*a).into()),
        _ => None,
    }
}

fn split_nul(b: &[u8]) -> Vec<Bytes> {
    let b = b.strip_suffix(&[0]).unwrap_or(b);
    if b.is_empty() {
        return Vec::new();
    }
    b.split(|&c| c == 0).map(|a| Bytes(a.to_vec())).collect()
}

/// `a/./b/../c` -> `a/c`, as sinsp's path concatenation does (a trailing slash stays).
pub fn normalize(path: &[u8]) -> Vec<u8> {
    let mut out = saker_event::path::lexically_normal(path);
    if path.ends_with(b"/") && out.len() > 1 {
        out.push(b'/');
    }
    out
}

/// Whether the caller of a clone runs in a pid namespace of its own: the event says so by a
/// flag, or by a `vtid` other than its host tid.
fn parent_in_pid_namespace(event: &Event<'_>, p: &Params<'_, '_>) -> bool {
    let flags = p.u32("flags").unwrap_or(0);
    flags & flags::CHILD_IN_PIDNS != 0 || p.i64("vtid").is_some_and(|vtid| vtid as u64 != event.tid)
}

/// A thread known only by its id, as sinsp makes one for a thread it has not seen
/// (`proc.name` is `<NA>`).
fn empty_thread(tid: u64) -> Thread {
    Thread {
        pid: tid,
        loginuid: u32::MAX,
        vtid: -1,
        vpid: -1,
        ..Thread::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize_like_sinsp() {
        let cases: [(&[u8], &[u8]); 5] = [
            (b"/etc/../etc/./passwd", b"/etc/passwd"),
            (b"/a//b", b"/a/b"),
            (b"/..", b"/"),
            (b"/tmp/x/", b"/tmp/x/"),
            (b"/", b"/"),
        ];
        for (input, expect) in cases {
            assert_eq!(normalize(input), expect);
        }
    }

    #[test]
    fn tuples_and_addresses_print_like_sinsp() {
        let mut v6 = vec![10];
        v6.extend("2001:db8::4".parse::<Ipv6Addr>().unwrap().octets());
        v6.extend(54405u16.to_le_bytes());
        v6.extend("2001:db8::3".parse::<Ipv6Addr>().unwrap().octets());
        v6.extend(1234u16.to_le_bytes());
        assert_eq!(
            parse_tuple(&v6).unwrap().text,
            "2001:db8::4:54405->2001:db8::3:1234"
        );
        let v4 = [2, 127, 0, 0, 1, 0x50, 0];
        assert_eq!(sockaddr_text(&parse_sockaddr(&v4).unwrap()), "127.0.0.1:80");
    }

    /// A clone exit of version 20 (params as events.txt lists them) from `tid`.
    fn clone_exit(res: i64, tid: i64, ptid: i64, vtid: i64, comm: &str) -> Vec<Vec<u8>> {
        let i64s = |v: i64| v.to_le_bytes().to_vec();
        let text = |t: &str| [t.as_bytes(), b"\0"].concat();
        vec![
            i64s(res),
            text("/bin/sh"),
            Vec::new(),
            i64s(tid),
            i64s(tid),
            i64s(ptid),
            text("/"),
            i64s(1024),
            0u64.to_le_bytes().to_vec(),
            0u64.to_le_bytes().to_vec(),
            0u32.to_le_bytes().to_vec(),
            0u32.to_le_bytes().to_vec(),
            0u32.to_le_bytes().to_vec(),
            text(comm),
            Vec::new(),
            0u32.to_le_bytes().to_vec(),
            0u32.to_le_bytes().to_vec(),
            0u32.to_le_bytes().to_vec(),
            i64s(vtid),
            i64s(vtid),
        ]
    }

    fn replay(events: &[(u32, Vec<Vec<u8>>)]) -> Parser {
        let mut bytes = Vec::new();
        let mut w = super::super::write::ScapWriter::new(&mut bytes, "t").unwrap();
        for (i, (tid, values)) in events.iter().enumerate() {
            w.raw_event(1_000 + i as u64, *tid, 223, values).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        let cursor = Box::new(std::io::Cursor::new(bytes));
        let mut file = super::super::ScapFile::from_reader(cursor, "t.scap".as_ref()).unwrap();
        let mut parser = Parser::new(true);
        let mut out = Vec::new();
        while let Some(e) = file.next_event().unwrap() {
            parser.parse(&e, &mut out);
        }
        parser
    }

    /// A parent in a container's pid namespace returns the child's namespace pid: the child is
    /// made from its own exit, which carries its host tid, never from the parent's `res`.
    #[test]
    fn a_clone_in_a_pid_namespace_makes_the_child_from_its_own_exit() {
        let parser = replay(&[
            (700, clone_exit(6, 700, 1, 5, "sh")),
            (701, clone_exit(0, 701, 700, 6, "sh")),
        ]);
        assert!(
            parser.threads.get(6).is_none(),
            "no thread for the namespace pid"
        );
        let child = parser
            .threads
            .get(701)
            .expect("the child from its own exit");
        assert_eq!(
            (child.comm.as_slice(), child.ptid, child.vtid),
            (&b"sh"[..], 700, 6)
        );
    }

    /// On the host (`vtid` equal to the tid) the parent's exit makes the child, and a caller
    /// the capture never described takes the event's command.
    #[test]
    fn a_clone_on_the_host_makes_the_child_from_the_parents_exit() {
        let parser = replay(&[(800, clone_exit(801, 800, 1, 800, "make"))]);
        let child = parser
            .threads
            .get(801)
            .expect("the child from the parent's exit");
        assert_eq!((child.comm.as_slice(), child.ptid), (&b"make"[..], 800));
        assert_eq!(parser.threads.get(800).unwrap().comm, b"make");
    }
}
