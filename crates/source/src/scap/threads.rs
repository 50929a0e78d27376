//! The threads and fds a `.scap` file describes, kept as libsinsp keeps them while it reads
//! one: what event headers lack (a scap event names only its thread), and the fd names the
//! printer shows (`fd=3(<f>/etc/passwd)`, `<4t>10.0.0.1:40000->10.0.0.2:80`).

use rustc_hash::FxHashMap;

use super::meta::{FdInfo, ThreadInfo};

/// An fd as sinsp names it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fd {
    /// `f` file, `d` directory, `4`/`6` inet, `u` unix, `p` pipe, `n` netlink, `e` eventfd,
    /// `s` signalfd, `l` epoll, `i` inotify, `t` timerfd, `o` other.
    pub typechar: u8,
    /// `t` tcp, `u` udp, `i` icmp, `r` raw, 0 unknown (inet sockets only).
    pub l4: u8,
    pub name: Vec<u8>,
    /// Open flags in libscap's encoding (files).
    pub ppm_flags: u32,
    /// An inet socket's ends (source ip and port, destination ip and port).
    pub tuple: Option<(std::net::IpAddr, u16, std::net::IpAddr, u16)>,
}

/// A thread.
#[derive(Clone, Debug, Default)]
pub struct Thread {
    pub pid: u64,
    pub ptid: u64,
    pub comm: Vec<u8>,
    pub exe: Vec<u8>,
    pub exepath: Vec<u8>,
    /// argv[1..], NUL-separated.
    pub args: Vec<u8>,
    pub cwd: Vec<u8>,
    pub uid: u32,
    pub gid: u32,
    pub loginuid: u32,
    pub tty: u32,
    pub vtid: i64,
    pub vpid: i64,
    pub cgroups: Vec<u8>,
    pub caps: Option<(u64, u64, u64)>,
    /// The container the cgroups name, and the made-up cgroup id Saker's events carry for it
    /// (0: the host).
    pub container_id: Option<String>,
    pub cgroup_id: u64,
}

impl Thread {
    /// Whether anything more than the thread's id is known: sinsp's threads made up for an
    /// id have no command, or `<NA>`.
    pub fn described(&self) -> bool {
        !self.comm.is_empty() && self.comm != b"<NA>"
    }

    /// Sets the cgroups (`subsys=path` entries, NUL-separated) and the container they name.
    pub fn set_cgroups(&mut self, cgroups: Vec<u8>) {
        if cgroups == self.cgroups && (self.container_id.is_some() || cgroups.is_empty()) {
            return;
        }
        let text = String::from_utf8_lossy(&cgroups).into_owned();
        self.container_id = text
            .split('\0')
            .filter_map(|entry| entry.split_once('=').map(|(_, path)| path))
            .find_map(saker_proc::cgroup::container_of_path)
            .map(|c| c.id);
        self.cgroup_id = self.container_id.as_deref().map_or(0, cgroup_id_of);
        self.cgroups = cgroups;
    }
}

/// A stable made-up cgroup id for a container (FNV-1a of its id, top bit set so that it
/// cannot be a real cgroup inode).
pub fn cgroup_id_of(container_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in container_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | 1 << 63
}

/// Threads by tid, fds by process.
#[derive(Debug, Default)]
pub struct Threads {
    threads: FxHashMap<u64, Thread>,
    fds: FxHashMap<u64, FxHashMap<i64, Fd>>,
}

impl Threads {
    pub fn get(&self, tid: u64) -> Option<&Thread> {
        self.threads.get(&tid)
    }

    pub fn get_mut(&mut self, tid: u64) -> Option<&mut Thread> {
        self.threads.get_mut(&tid)
    }

    pub fn insert(&mut self, tid: u64, thread: Thread) {
        self.threads.insert(tid, thread);
    }

    pub fn remove(&mut self, tid: u64) -> Option<Thread> {
        let thread = self.threads.remove(&tid)?;
        if !self.threads.values().any(|t| t.pid == thread.pid) {
            self.fds.remove(&thread.pid);
        }
        Some(thread)
    }

    /// The children of process `pid` (which exited) now have `reaper` as their parent.
    pub fn reparent(&mut self, pid: u64, reaper: u64) {
        let of_pid: Vec<u64> = self
            .threads
            .iter()
            .filter(|(_, t)| t.pid == pid)
            .map(|(tid, _)| *tid)
            .collect();
        for t in self.threads.values_mut() {
            if t.pid != pid && of_pid.contains(&t.ptid) {
                t.ptid = reaper;
            }
        }
    }

    /// Threads still alive in process `pid`.
    pub fn count_in(&self, pid: u64) -> usize {
        self.threads.values().filter(|t| t.pid == pid).count()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&u64, &Thread)> {
        self.threads.iter()
    }

    /// The fd table of `tid`'s process.
    pub fn fd(&self, tid: u64, fd: i64) -> Option<&Fd> {
        let pid = self.threads.get(&tid)?.pid;
        self.fds.get(&pid)?.get(&fd)
    }

    pub fn fds_of(&self, pid: u64) -> Option<&FxHashMap<i64, Fd>> {
        self.fds.get(&pid)
    }

    pub fn set_fd(&mut self, tid: u64, fd: i64, entry: Fd) {
        let pid = self.threads.get(&tid).map_or(tid, |t| t.pid);
        self.fds.entry(pid).or_default().insert(fd, entry);
    }

    pub fn fd_mut(&mut self, tid: u64, fd: i64) -> Option<&mut Fd> {
        let pid = self.threads.get(&tid)?.pid;
        self.fds.get_mut(&pid)?.get_mut(&fd)
    }

    pub fn close_fd(&mut self, tid: u64, fd: i64) -> Option<Fd> {
        let pid = self.threads.get(&tid).map_or(tid, |t| t.pid);
        self.fds.get_mut(&pid)?.remove(&fd)
    }

    /// A new process gets a copy of its parent's fds (fork), a thread shares them.
    pub fn copy_fds(&mut self, from_pid: u64, to_pid: u64) {
        if from_pid == to_pid {
            return;
        }
        if let Some(fds) = self.fds.get(&from_pid).cloned() {
            self.fds.insert(to_pid, fds);
        }
    }

    /// Seeds a thread from the file's process list.
    pub fn seed(&mut self, t: &ThreadInfo) {
        self.threads.insert(
            t.tid,
            Thread {
                pid: t.pid,
                ptid: t.ptid,
                comm: t.comm.clone(),
                exe: t.exe.clone(),
                exepath: t.exepath.clone(),
                args: t.args.clone(),
                cwd: with_slash(&t.cwd),
                uid: t.uid,
                gid: t.gid,
                loginuid: t.loginuid,
                tty: t.tty,
                vtid: t.vtid,
                vpid: t.vpid,
                cgroups: Vec::new(),
                caps: (t.cap_permitted != 0 || t.cap_effective != 0).then_some((
                    t.cap_effective,
                    t.cap_permitted,
                    t.cap_inheritable,
                )),
                container_id: None,
                cgroup_id: 0,
            },
        );
        if let Some(thread) = self.threads.get_mut(&t.tid) {
            thread.set_cgroups(t.cgroups.clone());
        }
    }

    /// Seeds an fd from the file's fd lists.
    pub fn seed_fd(&mut self, tid: u64, fd: i64, info: &FdInfo) {
        let entry = fd_of_info(info);
        let pid = self.threads.get(&tid).map_or(tid, |t| t.pid);
        self.fds.entry(pid).or_default().insert(fd, entry);
    }
}

/// sinsp keeps a cwd with a trailing slash.
pub fn with_slash(cwd: &[u8]) -> Vec<u8> {
    let mut out = cwd.to_vec();
    if !out.ends_with(b"/") {
        out.push(b'/');
    }
    out
}

fn l4char(proto: u8) -> u8 {
    match proto {
        2 => b't',
        3 => b'u',
        4 => b'i',
        5 => b'r',
        _ => 0,
    }
}

fn fd_of_info(info: &FdInfo) -> Fd {
    match info {
        FdInfo::File { name, flags } => Fd {
            typechar: b'f',
            name: name.clone(),
            ppm_flags: *flags,
            ..Fd::default()
        },
        FdInfo::Directory { name } => Fd {
            typechar: b'd',
            name: name.clone(),
            ..Fd::default()
        },
        FdInfo::Ipv4 {
            sip,
            sport,
            dip,
            dport,
            l4,
        } => Fd {
            typechar: b'4',
            l4: l4char(*l4),
            name: format!("{sip}:{sport}->{dip}:{dport}").into_bytes(),
            ppm_flags: 0,
            tuple: Some(((*sip).into(), *sport, (*dip).into(), *dport)),
        },
        FdInfo::Ipv6 {
            sip,
            sport,
            dip,
            dport,
            l4,
        } => Fd {
            typechar: b'6',
            l4: l4char(*l4),
            name: format!("{sip}:{sport}->{dip}:{dport}").into_bytes(),
            ppm_flags: 0,
            tuple: Some(((*sip).into(), *sport, (*dip).into(), *dport)),
        },
        FdInfo::Ipv4Server { ip, port, l4 } => Fd {
            typechar: b'4',
            l4: l4char(*l4),
            name: format!("{ip}:{port}").into_bytes(),
            ..Fd::default()
        },
        FdInfo::Ipv6Server { ip, port, l4 } => Fd {
            typechar: b'6',
            l4: l4char(*l4),
            name: format!("{ip}:{port}").into_bytes(),
            ..Fd::default()
        },
        FdInfo::Unix { name, .. } => Fd {
            typechar: b'u',
            name: name.clone(),
            ..Fd::default()
        },
        FdInfo::Other { kind, name } => Fd {
            typechar: typechar_of_kind(*kind),
            name: name.clone(),
            ..Fd::default()
        },
    }
}

/// sinsp's `get_typechar` for a scap fd type.
pub fn typechar_of_kind(kind: u8) -> u8 {
    match kind {
        1 | 16 => b'f',
        2 => b'd',
        3 | 5 => b'4',
        4 | 6 => b'6',
        7 => b'p',
        8 => b'u',
        9 => b'e',
        11 => b's',
        12 => b'l',
        13 => b'i',
        14 => b't',
        15 => b'n',
        17 => b'b',
        18 => b'u',
        19 => b'r',
        20 => b'm',
        21 => b'P',
        _ => b'o',
    }
}
