//! Writing `.scap` files that sysdig 0.29 and Falco read: format 1.2 blocks (section header,
//! machine info, a version-9 process list, version-2 fd and user lists), then Saker's events
//! as libscap enter/exit pairs in version-2 event blocks.
//!
//! Saker's events are exit-only; each becomes the enter event (with the arguments libscap's
//! enter event has) and the exit event of the event table version sysdig 0.29 knows. Threads
//! first seen in an event get a clone exit of their own (as the kernel's child side writes
//! it), so every event's thread is known to a reader. Syscalls without an event of their
//! own become libscap's generic `syscall` events with the native number.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::net::SocketAddr;

use saker_event::{EventBody, ExecInfo, SockAddr, SyscallDetail, SyscallEvent, SyscallExit};
use saker_state::{ContainerInfo, ContainerType, FdEntry, FdKind, ProcessEntry, State};

use super::flags;
use super::reader::{EV_V2, EV_V2_LARGE, FDL_V2, MI, PL_V9, SHB, SHB_MAGIC, UL_V2};
use super::table;

/// A `.scap` writer over any output.
pub struct ScapWriter<W: Write> {
    out: W,
    /// Threads the file has described (process list or an event), with the parent process
    /// it gave each: a reader knows a thread's parent only from what the file says.
    known: HashMap<u32, u32>,
    containers: HashSet<String>,
    buf: Vec<u8>,
    pub events: u64,
}

fn push_str16(buf: &mut Vec<u8>, s: &[u8]) {
    push_limited(buf, s, PATH_MAX);
}

/// libscap's readers refuse longer strings in the process list (`SCAP_MAX_PATH_SIZE`,
/// `SCAP_MAX_ARGS_SIZE`): longer values are cut, a NUL-separated list at an entry boundary.
const PATH_MAX: usize = 1023;
const ARGS_MAX: usize = 4095;

fn push_limited(buf: &mut Vec<u8>, s: &[u8], max: usize) {
    let mut s = &s[..s.len().min(max)];
    if s.len() == max
        && let Some(end) = s.iter().rposition(|&b| b == 0)
    {
        s = &s[..=end];
    }
    buf.extend((s.len() as u16).to_le_bytes());
    buf.extend(s);
}

/// What an exec exit event says of the image.
struct Image {
    exe: Vec<u8>,
    args: Vec<u8>,
    tty: u32,
    loginuid: u32,
    /// The exit's `flags` parameter (`flags::EXE_UPPER_LAYER`).
    flags: u32,
}

/// One parameter value.
enum P<'a> {
    I64(i64),
    U64(u64),
    U32(u32),
    U16(u16),
    U8(u8),
    Str(&'a [u8]),
    /// A string parameter built here.
    Owned(Vec<u8>),
}

impl P<'_> {
    fn bytes(&self) -> Vec<u8> {
        match self {
            P::I64(v) => v.to_le_bytes().to_vec(),
            P::U64(v) => v.to_le_bytes().to_vec(),
            P::U32(v) => v.to_le_bytes().to_vec(),
            P::U16(v) => v.to_le_bytes().to_vec(),
            P::U8(v) => vec![*v],
            P::Str(s) => {
                let mut v = s.to_vec();
                v.push(0);
                v
            }
            P::Owned(v) => v.clone(),
        }
    }
}

fn nul_joined(parts: impl IntoIterator<Item = impl AsRef<[u8]>>) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(p.as_ref());
        out.push(0);
    }
    out
}

/// A sockaddr parameter: family byte, then address and port (port in host order).
fn sockaddr(a: &SockAddr) -> Vec<u8> {
    match a {
        SockAddr::Inet(a) => {
            let mut v = vec![2];
            v.extend(a.ip().octets());
            v.extend(a.port().to_le_bytes());
            v
        }
        SockAddr::Inet6(a) => {
            let mut v = vec![10];
            v.extend(a.ip().octets());
            v.extend(a.port().to_le_bytes());
            v
        }
        SockAddr::Unix { path, .. } => {
            let mut v = vec![1];
            v.extend(&path.0);
            v.push(0);
            v
        }
        SockAddr::Other { family, .. } => vec![*family as u8],
    }
}

/// A tuple parameter from two ends (the unknown one as the any address, port 0).
fn tuple(local: Option<SocketAddr>, remote: Option<&SockAddr>) -> Vec<u8> {
    let remote = match remote {
        Some(SockAddr::Inet(a)) => SocketAddr::V4(*a),
        Some(SockAddr::Inet6(a)) => SocketAddr::V6(*a),
        Some(SockAddr::Unix { path, .. }) => {
            let mut v = vec![1];
            v.extend([0u8; 16]);
            v.extend(&path.0);
            v.push(0);
            return v;
        }
        _ => return Vec::new(),
    };
    let local = local.unwrap_or(match remote {
        SocketAddr::V4(_) => "0.0.0.0:0".parse().expect("address"),
        SocketAddr::V6(_) => "[::]:0".parse().expect("address"),
    });
    let mut v = Vec::new();
    match (local, remote) {
        (SocketAddr::V4(l), SocketAddr::V4(r)) => {
            v.push(2);
            v.extend(l.ip().octets());
            v.extend(l.port().to_le_bytes());
            v.extend(r.ip().octets());
            v.extend(r.port().to_le_bytes());
        }
        (l, r) => {
            let v6 = |a: SocketAddr| match a {
                SocketAddr::V4(a) => a.ip().to_ipv6_mapped(),
                SocketAddr::V6(a) => *a.ip(),
            };
            v.push(10);
            v.extend(v6(l).octets());
            v.extend(l.port().to_le_bytes());
            v.extend(v6(r).octets());
            v.extend(r.port().to_le_bytes());
        }
    }
    v
}

/// A cgroup path the readers map back to the container (as the runtime names it).
fn cgroup_of(c: &ContainerInfo) -> String {
    match c.runtime {
        ContainerType::Podman => format!("cpuset=/machine.slice/libpod-{}.scope", c.id),
        ContainerType::CriO => format!("cpuset=/kubepods.slice/crio-{}.scope", c.id),
        ContainerType::Containerd | ContainerType::Cri => format!("cpuset=/kubepods/{}", c.id),
        _ => format!("cpuset=/docker/{}", c.id),
    }
}

/// libscap's container type numbers.
fn container_type(runtime: ContainerType) -> u32 {
    match runtime {
        ContainerType::CriO => 5,
        ContainerType::Cri => 6,
        ContainerType::Containerd => 7,
        ContainerType::Podman => 11,
        ContainerType::Docker | ContainerType::Host => 0,
    }
}

impl<W: Write> ScapWriter<W> {
    /// Writes the section header and the machine info.
    pub fn new(out: W, hostname: &str) -> io::Result<ScapWriter<W>> {
        let mut w = ScapWriter {
            out,
            known: HashMap::new(),
            containers: HashSet::new(),
            buf: Vec::with_capacity(4096),
            events: 0,
        };
        let mut shb = Vec::new();
        shb.extend(SHB_MAGIC.to_le_bytes());
        shb.extend(1u16.to_le_bytes());
        shb.extend(2u16.to_le_bytes());
        shb.extend(u64::MAX.to_le_bytes()); // section length: unknown
        w.block(SHB, &shb)?;
        let mut mi = Vec::new();
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
        mi.extend(cpus.to_le_bytes());
        mi.extend(0u64.to_le_bytes()); // memory
        mi.extend(0u64.to_le_bytes()); // max pid
        let mut host = [0u8; 128];
        let name = &hostname.as_bytes()[..hostname.len().min(127)];
        host[..name.len()].copy_from_slice(name);
        mi.extend(host);
        mi.extend([0u8; 32]); // boot time, flags, reserved
        w.block(MI, &mi)?;
        Ok(w)
    }

    fn block(&mut self, kind: u32, body: &[u8]) -> io::Result<()> {
        let pad = (4 - body.len() % 4) % 4;
        let total = (12 + body.len() + pad) as u32;
        self.out.write_all(&kind.to_le_bytes())?;
        self.out.write_all(&total.to_le_bytes())?;
        self.out.write_all(body)?;
        self.out.write_all(&[0u8; 3][..pad])?;
        self.out.write_all(&total.to_le_bytes())
    }

    /// The users and groups of the recording host.
    pub fn user_list(
        &mut self,
        users: &[(u32, String)],
        groups: &[(u32, String)],
    ) -> io::Result<()> {
        let mut body = Vec::new();
        for (uid, name) in users {
            let mut e = vec![0u8];
            e.extend(uid.to_le_bytes());
            e.extend(0u32.to_le_bytes());
            push_str16(&mut e, name.as_bytes());
            push_str16(&mut e, b"");
            push_str16(&mut e, b"");
            body.extend((e.len() as u32 + 4).to_le_bytes());
            body.extend(e);
        }
        for (gid, name) in groups {
            let mut e = vec![1u8];
            e.extend(gid.to_le_bytes());
            push_str16(&mut e, name.as_bytes());
            body.extend((e.len() as u32 + 4).to_le_bytes());
            body.extend(e);
        }
        self.block(UL_V2, &body)
    }

    /// The process list (one main thread per process) and each process's fd list, from the
    /// state at the start of the capture.
    pub fn snapshot(&mut self, state: &State) -> io::Result<()> {
        let mut processes: Vec<&ProcessEntry> = state.processes().collect();
        processes.sort_by_key(|p| p.pid);
        let mut body = Vec::new();
        for p in &processes {
            body.extend(process_entry(p));
            self.known.insert(p.pid, p.ppid);
        }
        self.block(PL_V9, &body)?;
        for p in &processes {
            if p.fds.is_empty() {
                continue;
            }
            let mut body = Vec::new();
            body.extend(u64::from(p.pid).to_le_bytes());
            let mut fds: Vec<_> = p.fds.iter().collect();
            fds.sort_by_key(|(fd, _)| **fd);
            for (fd, entry) in fds {
                body.extend(fd_entry(*fd, entry));
            }
            self.block(FDL_V2, &body)?;
        }
        for p in &processes {
            if let Some(c) = &p.container {
                self.container(0, p.pid, c)?;
            }
        }
        Ok(())
    }

    /// What a container runtime said about a container, once the capture has it: a container
    /// already written is written again (readers take the later event as an update); one not
    /// written yet is written with its first event, already described.
    pub fn container_described(&mut self, c: &ContainerInfo) -> io::Result<()> {
        if !self.containers.remove(&c.id) {
            return Ok(());
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        self.container(now, 0, c)
    }

    /// A container event (`container` with Falco's JSON), once per container.
    fn container(&mut self, ts: u64, tid: u32, c: &ContainerInfo) -> io::Result<()> {
        if !self.containers.insert(c.id.clone()) {
            return Ok(());
        }
        let meta = c.meta();
        let json = serde_json::json!({"container": {
            "id": &c.id[..c.id.len().min(12)],
            "full_id": c.id,
            "type": container_type(c.runtime),
            "name": meta.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
            "image": meta.as_ref().map(|m| m.image.clone()).unwrap_or_default(),
            "privileged": meta.as_ref().is_some_and(|m| m.privileged),
        }});
        self.event(ts, tid, 272, &[P::Str(json.to_string().as_bytes())])
    }

    fn event(&mut self, ts: u64, tid: u32, kind: u16, params: &[P<'_>]) -> io::Result<()> {
        let values: Vec<Vec<u8>> = params.iter().map(P::bytes).collect();
        self.raw_event(ts, tid, kind, &values)
    }

    /// Writes an event of any type from its parameters' bytes (lengths of 4 bytes for the
    /// types the table marks large, 2 otherwise; a longer value is cut to fit).
    pub fn raw_event(
        &mut self,
        ts: u64,
        tid: u32,
        kind: u16,
        values: &[Vec<u8>],
    ) -> io::Result<()> {
        let large = table::info(kind).is_some_and(|info| info.large_payload);
        let (len_size, max) = if large {
            (4, u32::MAX as usize)
        } else {
            (2, u16::MAX as usize)
        };
        let len =
            26 + len_size * values.len() + values.iter().map(|v| v.len().min(max)).sum::<usize>();
        let mut body = std::mem::take(&mut self.buf);
        body.clear();
        body.extend(0u16.to_le_bytes()); // cpu
        body.extend(ts.to_le_bytes());
        body.extend(u64::from(tid).to_le_bytes());
        body.extend((len as u32).to_le_bytes());
        body.extend(kind.to_le_bytes());
        body.extend((values.len() as u32).to_le_bytes());
        for v in values {
            let n = v.len().min(max);
            if large {
                body.extend((n as u32).to_le_bytes());
            } else {
                body.extend((n as u16).to_le_bytes());
            }
        }
        for v in values {
            body.extend(&v[..v.len().min(max)]);
        }
        let r = self.block(if large { EV_V2_LARGE } else { EV_V2 }, &body);
        self.buf = body;
        self.events += 1;
        r
    }

    fn pair(&mut self, ts: u64, tid: u32, enter: u16, e: &[P<'_>], x: &[P<'_>]) -> io::Result<()> {
        self.event(ts, tid, enter, e)?;
        self.event(ts, tid, enter + 1, x)
    }

    /// Writes one of Saker's events; `state` is the state with the event applied, for what the
    /// event itself does not carry (an exec's cwd and container, a socket's local end).
    pub fn write(&mut self, event: &SyscallEvent, state: &State) -> io::Result<()> {
        let h = &event.header;
        match self.known.get(&h.tid) {
            None => self.introduce_thread(event, state)?,
            // Reparented since (to a subreaper such as conmon, or to init): said again.
            Some(&parent) if parent != h.ppid && h.ppid != 0 => {
                self.introduce_thread(event, state)?
            }
            Some(_) => {}
        }
        let ts = h.ts_ns;
        let tid = h.tid;
        match &event.body {
            EventBody::Syscall(s) => match &s.detail {
                SyscallDetail::ExecFailed { path, .. } => {
                    self.exec_failed(ts, s, &path.0, state, h)
                }
                _ => self.syscall(ts, tid, s, state, h.pid),
            },
            EventBody::Fork {
                child_tid,
                child_pid,
                child_vtid,
                child_vpid,
            } => {
                let parent = state.process(h.pid);
                let is_thread = child_pid == &h.pid;
                let flags = if is_thread {
                    flags::clone_from_linux(0x0001_0000 | 0x800 | 0x100)
                } else {
                    0
                };
                let params = |res: i64, tid: u32, pid: u32, ptid: u32, vtid: u32, vpid: u32| {
                    clone_params(parent, res, tid, pid, ptid, flags, vtid, vpid, h)
                };
                let x = params(i64::from(*child_tid), h.tid, h.pid, h.ppid, h.tid, h.pid);
                self.pair(ts, tid, 222, &[], &x)?;
                let child = params(0, *child_tid, *child_pid, h.pid, *child_vtid, *child_vpid);
                self.event(ts, *child_tid, 223, &child)?;
                self.known.insert(*child_tid, h.pid);
                Ok(())
            }
            EventBody::Exec(info) => self.exec(ts, tid, info, state, h),
            EventBody::Exit { status, .. } => {
                self.known.remove(&tid);
                let (code, sig) = if status & 0x7f != 0 {
                    (0, status & 0x7f)
                } else {
                    ((status >> 8) & 0xff, 0)
                };
                self.event(
                    ts,
                    tid,
                    186,
                    &[
                        P::I64(i64::from(*status)),
                        P::I64(i64::from(code)),
                        P::U8(sig as u8),
                        P::U8(u8::from(status & 0x80 != 0)),
                    ],
                )
            }
            EventBody::Signal { .. } => Ok(()),
        }
    }

    /// A thread the file has not described yet: a clone exit of the child side.
    /// Describes the event's thread as a clone child's return (its command, parent,
    /// container), the parent first when the file has not described it: a process
    /// reparented to one the capture never saw start (a subreaper read from /proc by the
    /// state) keeps its parent on replay.
    fn introduce_thread(&mut self, event: &SyscallEvent, state: &State) -> io::Result<()> {
        let h = &event.header;
        if h.ppid != 0
            && !self.known.contains_key(&h.ppid)
            && let Some(parent) = state.process(h.ppid)
        {
            self.introduce_process(h, parent)?;
        }
        self.known.insert(h.tid, h.ppid);
        let process = state.process(h.pid);
        let flags = if h.tid != h.pid {
            flags::clone_from_linux(0x0001_0000 | 0x800 | 0x100)
        } else {
            0
        };
        if let Some(c) = process.and_then(|p| p.container.clone()) {
            self.container(h.ts_ns, h.tid, &c)?;
        }
        let params = clone_params(process, 0, h.tid, h.pid, h.ppid, flags, h.tid, h.pid, h);
        self.event(h.ts_ns, h.tid, 223, &params)
    }

    /// Describes a process of the state the file has not described (a parent read from
    /// /proc), at the time of the event `h`, as its main thread's clone return.
    fn introduce_process(
        &mut self,
        h: &saker_event::EventHeader,
        process: &ProcessEntry,
    ) -> io::Result<()> {
        self.known.insert(process.pid, process.ppid);
        if let Some(c) = &process.container {
            self.container(h.ts_ns, process.pid, c)?;
        }
        let header = saker_event::EventHeader {
            tid: process.pid,
            pid: process.pid,
            ppid: process.ppid,
            uid: process.uid,
            gid: process.gid,
            ..h.clone()
        };
        let (pid, ppid) = (process.pid, process.ppid);
        let params = clone_params(Some(process), 0, pid, pid, ppid, 0, pid, pid, &header);
        self.event(h.ts_ns, pid, 223, &params)
    }

    fn exec(
        &mut self,
        ts: u64,
        tid: u32,
        info: &ExecInfo,
        state: &State,
        h: &saker_event::EventHeader,
    ) -> io::Result<()> {
        let exe = info.argv.first().map_or(&info.filename.0, |a| &a.0).clone();
        let args = nul_joined(info.argv.iter().skip(1).map(|a| &a.0));
        let tty = info.tty.map_or(0, |(major, minor)| {
            (major << 8) | (minor & 0xff) | ((minor & !0xff) << 12)
        });
        let image = Image {
            exe,
            args,
            tty,
            loginuid: info.loginuid,
            flags: if info.exe_upper_layer {
                flags::EXE_UPPER_LAYER
            } else {
                0
            },
        };
        self.exec_pair(ts, tid, info.nr, &info.filename.0, 0, &image, state, h)
    }

    /// A failed exec: the exit event still carries the (unchanged) process, as the kernel
    /// driver writes it and sinsp expects.
    fn exec_failed(
        &mut self,
        ts: u64,
        s: &SyscallExit,
        path: &[u8],
        state: &State,
        h: &saker_event::EventHeader,
    ) -> io::Result<()> {
        let process = state.process(h.pid);
        let image = Image {
            exe: process.map_or_else(|| h.comm.as_bytes().to_vec(), |p| p.exe.as_bytes().to_vec()),
            args: process.map_or_else(Vec::new, |p| nul_joined(p.args.iter())),
            tty: process.map_or(0, |p| p.tty),
            loginuid: process.and_then(|p| p.loginuid).unwrap_or(u32::MAX),
            flags: 0,
        };
        self.exec_pair(ts, h.tid, s.nr, path, s.ret, &image, state, h)
    }

    #[allow(clippy::too_many_arguments)]
    fn exec_pair(
        &mut self,
        ts: u64,
        tid: u32,
        nr: i64,
        filename: &[u8],
        ret: i64,
        image: &Image,
        state: &State,
        h: &saker_event::EventHeader,
    ) -> io::Result<()> {
        let process = state.process(h.pid);
        if let Some(c) = process.and_then(|p| p.container.clone()) {
            self.container(ts, tid, &c)?;
        }
        let cwd = process.map_or("/".to_string(), |p| p.cwd.clone());
        let cgroups = process
            .and_then(|p| p.container.as_ref())
            .map(|c| nul_joined([cgroup_of(c)]))
            .unwrap_or_default();
        let kind = if nr == 322 { 330 } else { 292 };
        let enter = if kind == 330 {
            vec![P::I64(-100), P::Str(filename), P::U32(0)]
        } else {
            vec![P::Str(filename)]
        };
        let exit = vec![
            P::I64(ret),
            P::Str(&image.exe),
            P::Owned(image.args.clone()),
            P::I64(i64::from(tid)),
            P::I64(i64::from(h.pid)),
            P::I64(i64::from(h.ppid)),
            P::Str(cwd.as_bytes()),
            P::U64(1024),
            P::U64(0),
            P::U64(0),
            P::U32(0),
            P::U32(0),
            P::U32(0),
            P::Str(h.comm.as_bytes()),
            P::Owned(cgroups),
            P::Owned(Vec::new()),
            P::U32(image.tty),
            P::I64(i64::from(h.pid)),
            P::U32(image.loginuid),
            P::U32(image.flags),
        ];
        self.pair(ts, tid, kind, &enter, &exit)
    }

    fn syscall(
        &mut self,
        ts: u64,
        tid: u32,
        s: &SyscallExit,
        state: &State,
        pid: u32,
    ) -> io::Result<()> {
        use SyscallDetail as D;
        let ret = s.ret;
        let fd_arg = |fd: i32| P::I64(i64::from(fd));
        match &s.detail {
            D::Open {
                dirfd,
                path: name,
                flags: f,
                mode,
            } => {
                let ppm = flags::open_from_linux(*f);
                match s.nr {
                    2 => self.pair(
                        ts,
                        tid,
                        2,
                        &[P::Str(&name.0), P::U32(ppm), P::U32(*mode)],
                        &[
                            P::I64(ret),
                            P::Str(&name.0),
                            P::U32(ppm),
                            P::U32(*mode),
                            P::U32(0),
                        ],
                    ),
                    85 => self.pair(
                        ts,
                        tid,
                        58,
                        &[P::Str(&name.0), P::U32(*mode)],
                        &[P::I64(ret), P::Str(&name.0), P::U32(*mode), P::U32(0)],
                    ),
                    _ => self.pair(
                        ts,
                        tid,
                        306,
                        &[fd_arg(*dirfd), P::Str(&name.0), P::U32(ppm), P::U32(*mode)],
                        &[
                            P::I64(ret),
                            fd_arg(*dirfd),
                            P::Str(&name.0),
                            P::U32(ppm),
                            P::U32(*mode),
                            P::U32(0),
                        ],
                    ),
                }
            }
            D::Close { fd } => self.pair(ts, tid, 4, &[fd_arg(*fd)], &[P::I64(ret)]),
            D::Socket {
                domain,
                kind,
                protocol,
            } => self.pair(
                ts,
                tid,
                18,
                &[
                    P::U32(*domain as u32),
                    P::U32(*kind as u32),
                    P::U32(*protocol as u32),
                ],
                &[P::I64(ret)],
            ),
            D::Connect { fd, addr } => {
                let local = fd_local(state, pid, *fd);
                self.pair(
                    ts,
                    tid,
                    22,
                    &[
                        fd_arg(*fd),
                        P::Owned(addr.as_ref().map(sockaddr).unwrap_or_default()),
                    ],
                    &[P::I64(ret), P::Owned(tuple(local, addr.as_ref()))],
                )
            }
            D::Bind { fd, addr } => self.pair(
                ts,
                tid,
                20,
                &[fd_arg(*fd)],
                &[
                    P::I64(ret),
                    P::Owned(addr.as_ref().map(sockaddr).unwrap_or_default()),
                ],
            ),
            D::Listen { fd, backlog } => self.pair(
                ts,
                tid,
                24,
                &[fd_arg(*fd), P::U32(*backlog as u32)],
                &[P::I64(ret)],
            ),
            D::Accept { fd, peer } => {
                let local = fd_local(state, pid, *fd);
                let t = match (peer, local) {
                    (Some(p), Some(l)) => tuple_from_peer(p, l),
                    _ => Vec::new(),
                };
                self.pair(
                    ts,
                    tid,
                    248,
                    &[P::U32(0)],
                    &[P::I64(ret), P::Owned(t), P::U8(0), P::U32(0), P::U32(0)],
                )
            }
            D::FdPair { fds, .. } => {
                let [a, b] = fds.unwrap_or([-1, -1]);
                if s.nr == 53 {
                    self.pair(
                        ts,
                        tid,
                        42,
                        &[P::U32(1), P::U32(1), P::U32(0)],
                        &[P::I64(ret), fd_arg(a), fd_arg(b), P::U64(0), P::U64(0)],
                    )
                } else {
                    self.pair(
                        ts,
                        tid,
                        60,
                        &[],
                        &[P::I64(ret), fd_arg(a), fd_arg(b), P::U64(0)],
                    )
                }
            }
            D::Dup { old_fd } if s.nr == 72 => self.pair(
                ts,
                tid,
                150,
                &[
                    fd_arg(*old_fd),
                    P::U8(flags::fcntl_from_linux(s.args[1] as i32)),
                ],
                &[P::I64(ret)],
            ),
            D::Dup { old_fd } => self.pair(ts, tid, 124, &[fd_arg(*old_fd)], &[P::I64(ret)]),
            D::Fcntl { fd, cmd, .. } => self.pair(
                ts,
                tid,
                150,
                &[fd_arg(*fd), P::U8(flags::fcntl_from_linux(*cmd))],
                &[P::I64(ret)],
            ),
            D::Clone { .. } if ret >= 0 => Ok(()), // written with the fork event
            D::Chdir { path: p } => self.pair(ts, tid, 94, &[], &[P::I64(ret), P::Str(&p.0)]),
            D::Fchdir { fd } => self.pair(ts, tid, 96, &[fd_arg(*fd)], &[P::I64(ret)]),
            D::Rename {
                old_dirfd,
                old_path,
                new_dirfd,
                new_path,
                flags: f,
            } => match s.nr {
                82 => self.pair(
                    ts,
                    tid,
                    174,
                    &[],
                    &[P::I64(ret), P::Str(&old_path.0), P::Str(&new_path.0)],
                ),
                264 => self.pair(
                    ts,
                    tid,
                    176,
                    &[],
                    &[
                        P::I64(ret),
                        fd_arg(*old_dirfd),
                        P::Str(&old_path.0),
                        fd_arg(*new_dirfd),
                        P::Str(&new_path.0),
                    ],
                ),
                _ => self.pair(
                    ts,
                    tid,
                    318,
                    &[],
                    &[
                        P::I64(ret),
                        fd_arg(*old_dirfd),
                        P::Str(&old_path.0),
                        fd_arg(*new_dirfd),
                        P::Str(&new_path.0),
                        P::U32(*f),
                    ],
                ),
            },
            D::Unlink {
                dirfd,
                path: p,
                flags: f,
            } => match s.nr {
                87 => self.pair(ts, tid, 300, &[], &[P::I64(ret), P::Str(&p.0)]),
                84 => self.pair(ts, tid, 278, &[], &[P::I64(ret), P::Str(&p.0)]),
                _ => self.pair(
                    ts,
                    tid,
                    302,
                    &[],
                    &[P::I64(ret), fd_arg(*dirfd), P::Str(&p.0), P::U32(*f)],
                ),
            },
            D::Mkdir {
                dirfd,
                path: p,
                mode,
            } => {
                if s.nr == 83 {
                    self.pair(ts, tid, 276, &[P::U32(*mode)], &[P::I64(ret), P::Str(&p.0)])
                } else {
                    self.pair(
                        ts,
                        tid,
                        304,
                        &[],
                        &[P::I64(ret), fd_arg(*dirfd), P::Str(&p.0), P::U32(*mode)],
                    )
                }
            }
            D::Symlink {
                target,
                dirfd,
                link_path,
            } => {
                if s.nr == 88 {
                    self.pair(
                        ts,
                        tid,
                        178,
                        &[],
                        &[P::I64(ret), P::Str(&target.0), P::Str(&link_path.0)],
                    )
                } else {
                    self.pair(
                        ts,
                        tid,
                        180,
                        &[],
                        &[
                            P::I64(ret),
                            P::Str(&target.0),
                            fd_arg(*dirfd),
                            P::Str(&link_path.0),
                        ],
                    )
                }
            }
            D::Link {
                old_dirfd,
                old_path,
                new_dirfd,
                new_path,
                flags: f,
            } => {
                if s.nr == 86 {
                    self.pair(
                        ts,
                        tid,
                        308,
                        &[],
                        &[P::I64(ret), P::Str(&old_path.0), P::Str(&new_path.0)],
                    )
                } else {
                    self.pair(
                        ts,
                        tid,
                        310,
                        &[],
                        &[
                            P::I64(ret),
                            fd_arg(*old_dirfd),
                            P::Str(&old_path.0),
                            fd_arg(*new_dirfd),
                            P::Str(&new_path.0),
                            P::U32(*f),
                        ],
                    )
                }
            }
            D::Chmod {
                dirfd,
                path: p,
                fd,
                mode,
            } => match (p, fd) {
                (_, Some(fd)) => self.pair(
                    ts,
                    tid,
                    316,
                    &[],
                    &[P::I64(ret), fd_arg(*fd), P::U32(ppm_mode(*mode))],
                ),
                (Some(p), None) if s.nr == 90 => self.pair(
                    ts,
                    tid,
                    314,
                    &[],
                    &[P::I64(ret), P::Str(&p.0), P::U32(ppm_mode(*mode))],
                ),
                (p, None) => self.pair(
                    ts,
                    tid,
                    312,
                    &[],
                    &[
                        P::I64(ret),
                        fd_arg(*dirfd),
                        P::Str(p.as_ref().map_or(&[][..], |p| &p.0)),
                        P::U32(ppm_mode(*mode)),
                    ],
                ),
            },
            D::SetIds {
                real,
                effective,
                saved,
            } => match s.nr {
                105 => self.pair(ts, tid, 198, &[P::U32(*effective)], &[P::I64(ret)]),
                106 => self.pair(ts, tid, 200, &[P::U32(*effective)], &[P::I64(ret)]),
                117 => self.pair(
                    ts,
                    tid,
                    192,
                    &[P::U32(*real), P::U32(*effective), P::U32(*saved)],
                    &[P::I64(ret)],
                ),
                119 => self.pair(
                    ts,
                    tid,
                    194,
                    &[P::U32(*real), P::U32(*effective), P::U32(*saved)],
                    &[P::I64(ret)],
                ),
                _ => self.generic(ts, tid, s),
            },
            D::Kill { pid: target, sig } => match s.nr {
                200 => self.pair(
                    ts,
                    tid,
                    130,
                    &[P::I64(i64::from(*target)), P::U8(*sig as u8)],
                    &[P::I64(ret)],
                ),
                234 => self.pair(
                    ts,
                    tid,
                    132,
                    &[
                        P::I64(s.args[0] as i64),
                        P::I64(i64::from(*target)),
                        P::U8(*sig as u8),
                    ],
                    &[P::I64(ret)],
                ),
                _ => self.pair(
                    ts,
                    tid,
                    128,
                    &[P::I64(i64::from(*target)), P::U8(*sig as u8)],
                    &[P::I64(ret)],
                ),
            },
            D::Ptrace {
                request,
                pid: target,
            } => self.pair(
                ts,
                tid,
                168,
                &[
                    P::U16(flags::ptrace_from_linux(*request)),
                    P::I64(i64::from(*target)),
                ],
                &[
                    P::I64(ret),
                    P::Owned(vec![0, 0, 0, 0, 0, 0, 0, 0, 0]),
                    P::Owned(vec![0, 0, 0, 0, 0, 0, 0, 0, 0]),
                ],
            ),
            D::Mount {
                source,
                target,
                flags: f,
            } => self.pair(
                ts,
                tid,
                256,
                &[P::U32(*f as u32)],
                &[
                    P::I64(ret),
                    P::Str(&source.0),
                    P::Str(&target.0),
                    P::Str(b""),
                ],
            ),
            D::Umount { target, flags: f } => self.pair(
                ts,
                tid,
                258,
                &[P::U32(*f)],
                &[P::I64(ret), P::Str(&target.0)],
            ),
            D::Setns { fd, nstype } => self.pair(
                ts,
                tid,
                240,
                &[fd_arg(*fd), P::U32(flags::clone_from_linux(*nstype as u64))],
                &[P::I64(ret)],
            ),
            D::Unshare { flags: f } => self.pair(
                ts,
                tid,
                284,
                &[P::U32(flags::clone_from_linux(*f))],
                &[P::I64(ret)],
            ),
            D::Bpf { cmd } => self.pair(ts, tid, 296, &[P::I64(i64::from(*cmd))], &[P::I64(ret)]),
            D::Read { fd, data, .. } => {
                let kind = if s.nr == 17 { 112 } else { 6 };
                self.pair(
                    ts,
                    tid,
                    kind,
                    &[fd_arg(*fd), P::U32(s.args[2] as u32)],
                    &[P::I64(ret), P::Owned(data.0.clone())],
                )
            }
            D::Write { fd, data, .. } => {
                let kind = if s.nr == 18 { 114 } else { 8 };
                self.pair(
                    ts,
                    tid,
                    kind,
                    &[fd_arg(*fd), P::U32(s.args[2] as u32)],
                    &[P::I64(ret), P::Owned(data.0.clone())],
                )
            }
            D::SendTo { fd, len, addr } => self.pair(
                ts,
                tid,
                30,
                &[
                    fd_arg(*fd),
                    P::U32(*len as u32),
                    P::Owned(tuple(fd_local(state, pid, *fd), addr.as_ref())),
                ],
                &[P::I64(ret), P::Owned(Vec::new())],
            ),
            _ => self.generic(ts, tid, s),
        }
    }

    /// A syscall without an event of its own: libscap's generic event, native number kept.
    fn generic(&mut self, ts: u64, tid: u32, s: &SyscallExit) -> io::Result<()> {
        let code = saker_syscalls::name(s.nr as u64).map_or(0, super::table::ppm_sc_code);
        self.pair(
            ts,
            tid,
            0,
            &[P::U16(code), P::U16(s.nr as u16)],
            &[P::U16(code)],
        )
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// chmod modes in libscap's `PPM_S_*` bits (the same as Linux's permission bits).
fn ppm_mode(mode: u32) -> u32 {
    mode & 0o7777
}

fn fd_local(state: &State, pid: u32, fd: i32) -> Option<SocketAddr> {
    state.process(pid)?.fds.get(&fd)?.local
}

fn tuple_from_peer(peer: &SockAddr, local: SocketAddr) -> Vec<u8> {
    let peer_addr = match peer {
        SockAddr::Inet(a) => SocketAddr::V4(*a),
        SockAddr::Inet6(a) => SocketAddr::V6(*a),
        _ => return Vec::new(),
    };
    let remote = match local {
        SocketAddr::V4(a) => SockAddr::Inet(a),
        SocketAddr::V6(a) => SockAddr::Inet6(a),
    };
    tuple(Some(peer_addr), Some(&remote))
}

#[allow(clippy::too_many_arguments)]
fn clone_params(
    process: Option<&ProcessEntry>,
    res: i64,
    tid: u32,
    pid: u32,
    ptid: u32,
    flags: u32,
    vtid: u32,
    vpid: u32,
    h: &saker_event::EventHeader,
) -> Vec<P<'static>> {
    let exe = process.map_or_else(|| h.comm.as_bytes().to_vec(), |p| p.exe.as_bytes().to_vec());
    let args = process.map_or_else(Vec::new, |p| nul_joined(p.args.iter()));
    let cwd = process.map_or_else(|| b"/".to_vec(), |p| p.cwd.as_bytes().to_vec());
    let comm = process.map_or_else(
        || h.comm.as_bytes().to_vec(),
        |p| p.comm.as_bytes().to_vec(),
    );
    let cgroups = process
        .and_then(|p| p.container.as_ref())
        .map(|c| nul_joined([cgroup_of(c)]))
        .unwrap_or_default();
    let with_nul = |mut v: Vec<u8>| {
        v.push(0);
        P::Owned(v)
    };
    vec![
        P::I64(res),
        with_nul(exe),
        P::Owned(args),
        P::I64(i64::from(tid)),
        P::I64(i64::from(pid)),
        P::I64(i64::from(ptid)),
        with_nul(cwd),
        P::I64(1024),
        P::U64(0),
        P::U64(0),
        P::U32(0),
        P::U32(0),
        P::U32(0),
        with_nul(comm),
        P::Owned(cgroups),
        P::U32(flags),
        P::U32(h.uid),
        P::U32(h.gid),
        P::I64(i64::from(vtid)),
        P::I64(i64::from(vpid)),
    ]
}

/// A version-9 process list entry in the layout every libscap reads: the fields up to `root`,
/// then loginuid, exe_writable and the capability sets (what readers before and after libs
/// 0.10 agree on).
fn process_entry(p: &ProcessEntry) -> Vec<u8> {
    let mut e = Vec::new();
    for id in [p.pid, p.pid, p.ppid] {
        e.extend(u64::from(id).to_le_bytes());
    }
    e.extend(u64::from(p.pid).to_le_bytes()); // sid
    e.extend(u64::from(p.pid).to_le_bytes()); // vpgid
    push_str16(&mut e, p.comm.as_bytes());
    push_str16(&mut e, p.exe.as_bytes());
    push_str16(&mut e, p.exepath.as_bytes());
    push_limited(&mut e, &nul_joined(p.args.iter()), ARGS_MAX);
    push_str16(&mut e, p.cwd.as_bytes());
    e.extend(1024u64.to_le_bytes()); // fdlimit
    e.extend(0u32.to_le_bytes()); // flags
    e.extend(p.uid.to_le_bytes());
    e.extend(p.gid.to_le_bytes());
    e.extend([0u8; 4 + 4 + 4 + 8 + 8]); // vm sizes, page faults
    push_str16(&mut e, b""); // env
    e.extend(u64::from(p.pid).to_le_bytes()); // vtid
    e.extend(u64::from(p.vpid).to_le_bytes());
    let cgroups = p
        .container
        .as_ref()
        .map(|c| nul_joined([cgroup_of(c)]))
        .unwrap_or_default();
    push_limited(&mut e, &cgroups, ARGS_MAX);
    push_str16(&mut e, b"/"); // root
    e.extend(p.loginuid.unwrap_or(u32::MAX).to_le_bytes());
    e.push(0); // exe_writable
    let caps = p.caps.unwrap_or_default();
    e.extend(caps.inheritable.to_le_bytes());
    e.extend(caps.permitted.to_le_bytes());
    e.extend(caps.effective.to_le_bytes());
    let mut out = ((e.len() + 4) as u32).to_le_bytes().to_vec();
    out.extend(e);
    out
}

/// A version-2 fd list entry.
fn fd_entry(fd: i32, entry: &FdEntry) -> Vec<u8> {
    let mut e = Vec::new();
    e.extend(i64::from(fd).to_le_bytes());
    e.extend(0u64.to_le_bytes()); // ino
    match (entry.kind, entry.local, entry.remote) {
        (FdKind::Ipv4, Some(SocketAddr::V4(l)), Some(SocketAddr::V4(r))) => {
            e.push(super::meta::FD_IPV4);
            e.extend(l.ip().octets());
            e.extend(r.ip().octets());
            e.extend(l.port().to_le_bytes());
            e.extend(r.port().to_le_bytes());
            e.push(2);
        }
        (FdKind::Ipv4, Some(SocketAddr::V4(l)), None) => {
            e.push(super::meta::FD_IPV4_SERVER);
            e.extend(l.ip().octets());
            e.extend(l.port().to_le_bytes());
            e.push(2);
        }
        (FdKind::Ipv6, Some(SocketAddr::V6(l)), Some(SocketAddr::V6(r))) => {
            e.push(super::meta::FD_IPV6);
            e.extend(l.ip().octets());
            e.extend(r.ip().octets());
            e.extend(l.port().to_le_bytes());
            e.extend(r.port().to_le_bytes());
            e.push(2);
        }
        (FdKind::Ipv6, Some(SocketAddr::V6(l)), None) => {
            e.push(super::meta::FD_IPV6_SERVER);
            e.extend(l.ip().octets());
            e.extend(l.port().to_le_bytes());
            e.push(2);
        }
        (FdKind::Unix, ..) => {
            e.push(super::meta::FD_UNIX);
            e.extend(0u64.to_le_bytes());
            e.extend(0u64.to_le_bytes());
            push_str16(&mut e, entry.name.as_bytes());
        }
        (FdKind::File | FdKind::Memfd, ..) => {
            e.push(super::meta::FD_FILE_V2);
            e.extend(flags::open_from_linux(entry.flags).to_le_bytes());
            push_str16(&mut e, entry.name.as_bytes());
        }
        (kind, ..) => {
            e.push(match kind {
                FdKind::Directory => super::meta::FD_DIRECTORY,
                FdKind::Pipe => super::meta::FD_FIFO,
                FdKind::Netlink => super::meta::FD_NETLINK,
                _ => super::meta::FD_UNSUPPORTED,
            });
            push_str16(&mut e, entry.name.as_bytes());
        }
    }
    let mut out = ((e.len() + 4) as u32).to_le_bytes().to_vec();
    out.extend(e);
    out
}

/// Converts a Saker JSON-lines capture to `.scap` (for `saker capture print` of a JSONL file,
/// and for archiving one in the format other tools read).
pub fn convert_jsonl(path: &std::path::Path, out: impl Write) -> Result<u64, crate::SourceError> {
    use crate::Flow;
    use crate::jsonl::{Record, read_records};
    use std::collections::HashMap;
    use std::sync::Arc;

    let file = std::fs::File::open(path).map_err(|source| crate::SourceError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut state = State::new(crate::replay_state_options());
    let mut containers: HashMap<String, Arc<ContainerInfo>> = HashMap::new();
    let mut writer: Option<ScapWriter<_>> = None;
    let mut out = Some(out);
    let mut hostname = String::new();
    let mut users = (String::new(), String::new());
    let mut error: Option<io::Error> = None;
    let result = read_records(io::BufReader::new(file), |record| {
        match record {
            Record::Header {
                hostname: h,
                passwd,
                group,
                ..
            } => {
                hostname = h;
                users = (passwd, group);
            }
            Record::Container(info) => {
                let info = state.insert_container(info);
                containers.insert(info.id.clone(), info);
            }
            Record::Process {
                mut entry,
                container_id,
            } => {
                entry.container = container_id.and_then(|id| containers.get(&id).cloned());
                state.insert_process(entry);
            }
            Record::Cgroup { id, container_id } => {
                let c = container_id.and_then(|c| containers.get(&c).cloned());
                state.learn_cgroup(id, c);
            }
            Record::Event(event) => {
                if writer.is_none() {
                    let started = out.take().map(|o| {
                        let mut w = ScapWriter::new(o, &hostname)?;
                        w.user_list(&id_names(&users.0), &id_names(&users.1))?;
                        w.snapshot(&state)?;
                        Ok::<_, io::Error>(w)
                    });
                    match started {
                        Some(Ok(w)) => writer = Some(w),
                        Some(Err(e)) => error = Some(e),
                        None => {}
                    }
                }
                state.apply(&event);
                if let Some(w) = &mut writer
                    && let Err(e) = w.write(&event, &state)
                {
                    error = Some(e);
                }
            }
        }
        if error.is_some() {
            Flow::Stop
        } else {
            Flow::Continue
        }
    });
    result.map_err(|message| crate::SourceError::Capture {
        path: path.to_path_buf(),
        message,
    })?;
    let io_error = |e: io::Error| crate::SourceError::Open {
        path: path.to_path_buf(),
        source: e,
    };
    if let Some(e) = error {
        return Err(io_error(e));
    }
    let mut w = match writer {
        Some(w) => w,
        None => {
            let mut w =
                ScapWriter::new(out.take().expect("unused"), &hostname).map_err(io_error)?;
            w.snapshot(&state).map_err(io_error)?;
            w
        }
    };
    w.flush().map_err(io_error)?;
    Ok(w.events)
}

/// `(id, name)` pairs of a passwd or group file's text.
pub fn id_names(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split(':');
            let name = f.next()?;
            f.next()?;
            Some((f.next()?.parse().ok()?, name.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scap::ScapFile;
    use crate::scap::parser::Parser;
    use saker_event::{Comm, EventHeader};
    use saker_state::StateOptions;

    fn header(tid: u32, ts: u64) -> EventHeader {
        EventHeader {
            ts_ns: ts,
            tid,
            pid: tid,
            ppid: 1,
            uid: 1000,
            gid: 1000,
            euid: 1000,
            egid: 1000,
            cgroup_id: 0,
            comm: Comm::from("tool"),
        }
    }

    fn syscall(nr: i64, ret: i64, detail: SyscallDetail) -> EventBody {
        EventBody::Syscall(SyscallExit {
            nr,
            ret,
            args: [0; 6],
            duration_ns: None,
            off_cpu_ns: None,
            detail,
        })
    }

    /// The events a parser gives for a written file, and the parser (its threads).
    fn read_back(bytes: Vec<u8>) -> (Vec<SyscallEvent>, Parser) {
        let mut file =
            ScapFile::from_reader(Box::new(std::io::Cursor::new(bytes)), "t.scap".as_ref())
                .unwrap();
        let mut parser = Parser::new(true);
        let mut back = Vec::new();
        while let Some(e) = file.next_event().unwrap() {
            parser.parse(&e, &mut back);
        }
        (back, parser)
    }

    /// A process reparented to one the file never described (a subreaper the state read from
    /// /proc, as conmon is for `podman exec`): the writer describes the new parent and the
    /// process again, so the reader's parent is the live one.
    #[test]
    fn a_reparented_process_keeps_its_new_parent_on_replay() {
        let mut state = State::new(StateOptions {
            read_proc: false,
            containers: None,
        });
        let process = |pid: u32, ppid: u32, comm: &str| ProcessEntry {
            pid,
            ppid,
            vpid: pid,
            comm: comm.into(),
            exe: format!("/usr/bin/{comm}"),
            exepath: format!("/usr/bin/{comm}"),
            cwd: "/".into(),
            threads: 1,
            ..ProcessEntry::default()
        };
        state.insert_process(process(42, 41, "sh"));
        let mut bytes = Vec::new();
        let mut w = ScapWriter::new(&mut bytes, "host").unwrap();
        let close = |ts: u64, ppid: u32| SyscallEvent {
            header: EventHeader {
                ppid,
                ..header(42, ts)
            },
            body: syscall(3, 0, SyscallDetail::Close { fd: 3 }),
        };
        // Described with parent 41, which the state does not know.
        let before = close(1000, 41);
        state.apply(&before);
        w.write(&before, &state).unwrap();
        // Reparented to 7, which the state read from /proc and the file never saw start.
        state.insert_process(process(7, 1, "conmon"));
        let after = close(2000, 7);
        state.apply(&after);
        w.write(&after, &state).unwrap();
        w.flush().unwrap();
        drop(w);

        let (back, parser) = read_back(bytes);
        let closes: Vec<u32> = back
            .iter()
            .filter(|e| matches!(e.body, EventBody::Syscall(_)))
            .map(|e| e.header.ppid)
            .collect();
        assert_eq!(closes, [41, 7]);
        let parent = parser.threads.get(7).expect("the new parent is described");
        assert_eq!(parent.comm, b"conmon");
    }

    /// An exec of a file in an overlayfs upper layer keeps that mark through the format (the
    /// execve exit's `flags` parameter, PPM_EXE_UPPER_LAYER), and a plain one stays unmarked.
    #[test]
    fn the_upper_layer_mark_of_an_exec_round_trips() {
        let mut state = State::new(StateOptions {
            read_proc: false,
            containers: None,
        });
        state.insert_process(ProcessEntry {
            pid: 42,
            ppid: 1,
            comm: "sh".into(),
            threads: 1,
            ..ProcessEntry::default()
        });
        let exec = |ts: u64, path: &str, exe_upper_layer: bool| SyscallEvent {
            header: header(42, ts),
            body: EventBody::Exec(ExecInfo {
                nr: 59,
                filename: path.into(),
                argv: vec![path.into()],
                argv_truncated: false,
                env_count: None,
                envp: None,
                old_tid: 42,
                vtid: 42,
                vpid: 42,
                loginuid: u32::MAX,
                tty: None,
                caps: None,
                exe_upper_layer,
            }),
        };
        let mut bytes = Vec::new();
        let mut w = ScapWriter::new(&mut bytes, "host").unwrap();
        for event in [
            exec(1000, "/tmp/dropped", true),
            exec(2000, "/bin/true", false),
        ] {
            state.apply(&event);
            w.write(&event, &state).unwrap();
        }
        w.flush().unwrap();
        drop(w);
        let (back, _) = read_back(bytes);
        let marks: Vec<(String, bool)> = back
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::Exec(x) => {
                    Some((x.filename.to_string_lossy().into_owned(), x.exe_upper_layer))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            marks,
            [
                ("/tmp/dropped".to_string(), true),
                ("/bin/true".to_string(), false)
            ]
        );
    }

    /// Saker's events written as .scap and read back give the same syscalls and details.
    #[test]
    fn events_round_trip_through_the_scap_format() {
        use SyscallDetail as D;
        let mut state = State::new(StateOptions {
            read_proc: false,
            containers: None,
        });
        state.insert_process(ProcessEntry {
            pid: 42,
            ppid: 1,
            vpid: 42,
            comm: "tool".into(),
            exe: "/usr/bin/tool".into(),
            exepath: "/usr/bin/tool".into(),
            cwd: "/work".into(),
            threads: 1,
            ..ProcessEntry::default()
        });
        let bodies = vec![
            syscall(
                257,
                3,
                D::Open {
                    dirfd: -100,
                    path: "/etc/shadow".into(),
                    flags: 0o2000000,
                    mode: 0,
                },
            ),
            syscall(
                257,
                4,
                D::Open {
                    dirfd: -100,
                    path: "notes.txt".into(),
                    flags: 0o1101,
                    mode: 0o644,
                },
            ),
            syscall(3, 0, D::Close { fd: 3 }),
            syscall(
                82,
                0,
                D::Rename {
                    old_dirfd: -100,
                    old_path: "a".into(),
                    new_dirfd: -100,
                    new_path: "b".into(),
                    flags: 0,
                },
            ),
            syscall(
                263,
                0,
                D::Unlink {
                    dirfd: -100,
                    path: "/tmp/x".into(),
                    flags: 0,
                },
            ),
            syscall(
                83,
                0,
                D::Mkdir {
                    dirfd: -100,
                    path: "/tmp/d".into(),
                    mode: 0o755,
                },
            ),
            syscall(
                41,
                5,
                D::Socket {
                    domain: 2,
                    kind: 1,
                    protocol: 6,
                },
            ),
            syscall(
                42,
                0,
                D::Connect {
                    fd: 5,
                    addr: Some(SockAddr::Inet("10.0.0.1:443".parse().unwrap())),
                },
            ),
            syscall(
                105,
                0,
                D::SetIds {
                    real: u32::MAX,
                    effective: 0,
                    saved: u32::MAX,
                },
            ),
            syscall(
                101,
                0,
                D::Ptrace {
                    request: 16,
                    pid: 7,
                },
            ),
            syscall(272, 0, D::Unshare { flags: 0x2000_0000 }),
            syscall(62, 0, D::Kill { pid: 7, sig: 9 }),
            syscall(
                59,
                -2,
                D::ExecFailed {
                    dirfd: -100,
                    path: "/nope".into(),
                },
            ),
            // A generic event (getpid): the event version sysdig 0.29 reads has no return
            // value in its exit.
            syscall(39, 0, D::Other),
        ];
        let mut bytes = Vec::new();
        let mut w = ScapWriter::new(&mut bytes, "host").unwrap();
        w.snapshot(&state).unwrap();
        let events: Vec<SyscallEvent> = bodies
            .into_iter()
            .enumerate()
            .map(|(i, body)| SyscallEvent {
                header: header(42, 1000 + i as u64),
                body,
            })
            .collect();
        for e in &events {
            state.apply(e);
            w.write(e, &state).unwrap();
        }
        w.flush().unwrap();
        drop(w);

        let mut file =
            ScapFile::from_reader(Box::new(std::io::Cursor::new(bytes)), "t.scap".as_ref())
                .unwrap();
        assert_eq!(file.metadata.threads.len(), 1);
        let mut parser = Parser::new(true);
        for t in &file.metadata.threads {
            parser.threads.seed(t);
        }
        let mut back = Vec::new();
        while let Some(e) = file.next_event().unwrap() {
            parser.parse(&e, &mut back);
        }
        let syscalls = |list: &[SyscallEvent]| -> Vec<(i64, i64, SyscallDetail)> {
            list.iter()
                .filter_map(|e| match &e.body {
                    EventBody::Syscall(s) => Some((s.nr, s.ret, s.detail.clone())),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(syscalls(&back), syscalls(&events));
        assert!(
            back.iter()
                .all(|e| e.header.pid == 42 && e.header.comm == Comm::from("tool"))
        );
    }
}
