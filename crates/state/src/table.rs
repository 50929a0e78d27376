//! The thread table: every process, kept current by fork, exec, exit and the fd syscalls.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use saker_event::syscall_event::AT_FDCWD;
use saker_event::{EventBody, EventHeader, SockAddr, SyscallDetail, SyscallEvent};
use saker_proc::SystemInfo;
use saker_proc::users::NameTable;

use crate::cgroup_ids::CgroupIds;
use crate::container::{ContainerCache, ContainerInfo, MAX_CACHED};
use crate::error::StateError;
use crate::fd::{FdEntry, FdKind, L4Proto};
use crate::path;
use crate::process::ProcessEntry;
use crate::seed;

/// How the state finds what events do not carry.
#[derive(Clone, Debug)]
pub struct StateOptions {
    /// Read /proc for processes first seen in an event, for the container and capabilities of
    /// a new image at exec, and for `proc.env`. Off when replaying a capture file (the
    /// processes it names are not this machine's) and in unit tests.
    pub read_proc: bool,
    /// Which container runtimes to ask about the containers events come from (name, image,
    /// pod...), on a background thread; `None` when nothing should be asked (a capture file
    /// carries its own answers).
    pub containers: Option<saker_container::Config>,
}

impl Default for StateOptions {
    fn default() -> Self {
        StateOptions {
            read_proc: true,
            containers: Some(saker_container::Config::default()),
        }
    }
}

/// Counters about the table, for the run summary and metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateStats {
    /// Processes read from /proc at start.
    pub seeded: u64,
    /// Processes first seen in an event and read from /proc then.
    pub late_from_proc: u64,
    /// Processes first seen in an event that /proc no longer had: built from the event header.
    pub late_from_header: u64,
    /// Processes removed after they exited.
    pub purged: u64,
    /// `container` events raised (containers that started while Saker ran).
    pub containers_started: u64,
    /// Events on a regular file's fd the table did not hold, named from /proc/PID/fd (the
    /// capture leaves out the opens no rule needs, and their closes).
    pub fds_named_from_proc: u64,
    /// Events on an fd neither the table nor /proc (as a regular file) could name.
    pub fds_unnamed: u64,
}

/// What one event told about the fd and paths it concerns, for the fields of that event:
/// the entry is kept here because the event may have just removed it from the table (close).
#[derive(Clone, Debug, Default)]
pub struct EventContext {
    pub fd: Option<Arc<FdEntry>>,
    pub fd_num: Option<i64>,
    /// `fs.path.name` (unlink, mkdir, chmod...), `fs.path.source`/`target` (rename, link, symlink).
    pub fs_name: Option<String>,
    pub fs_source: Option<String>,
    pub fs_target: Option<String>,
    /// `fd.name_changed`: the event changed the name of an fd it found open (connect, bind,
    /// a datagram sent to a new address), as libsinsp compares the name before and after.
    pub fd_name_changed: bool,
}

/// The live state: processes and their fds.
pub struct State {
    options: StateOptions,
    /// Keyed by pid (bounded by pid_max), Fx-hashed: see [`ProcessEntry::fds`].
    processes: FxHashMap<u32, ProcessEntry>,
    containers: ContainerCache,
    cgroups: CgroupIds,
    users: NameTable,
    groups: NameTable,
    system: Option<SystemInfo>,
    /// A process whose last thread exited: removed at the next event, after the engine saw
    /// the exit event with the process's fields.
    pending_removal: Option<u32>,
    /// Containers whose first process ran, waiting for their runtime's answer...
    starts_waiting: Vec<ContainerStarted>,
    /// ...and those ready for their `container` event.
    starts_ready: VecDeque<ContainerStarted>,
    stats: StateStats,
}

/// A container whose first process ran: Falco's `container` event (`evt.type = container`),
/// raised once the runtime has said what the container is. Its process is the container's
/// first, as it was when it executed.
#[derive(Debug)]
pub struct ContainerStarted {
    pub container: Arc<ContainerInfo>,
    pub process: ProcessEntry,
    /// The header the event carries (the process's ids, the time of its exec).
    pub event: SyscallEvent,
}

/// Containers waiting for their runtime, at most: past that the oldest is raised without
/// metadata rather than held.
const MAX_STARTS_WAITING: usize = 1024;

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("processes", &self.processes.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

const O_ACCMODE: u64 = 0o3;
const O_DIRECTORY: u64 = 0o200000;
const O_CLOEXEC: u64 = 0o2000000;

impl State {
    pub fn new(options: StateOptions) -> State {
        let (users, groups, system) = if options.read_proc {
            (
                NameTable::users(),
                NameTable::groups(),
                SystemInfo::read().ok(),
            )
        } else {
            (NameTable::default(), NameTable::default(), None)
        };
        let service = options
            .containers
            .as_ref()
            .filter(|c| !c.is_disabled())
            .map(|c| saker_container::Service::start(c.clone()));
        State {
            containers: ContainerCache::new(service),
            cgroups: CgroupIds::new(options.read_proc),
            options,
            processes: FxHashMap::default(),
            users,
            groups,
            system,
            pending_removal: None,
            starts_waiting: Vec::new(),
            starts_ready: VecDeque::new(),
            stats: StateStats::default(),
        }
    }

    /// Reads every process from /proc. Processes that exit meanwhile are skipped.
    pub fn seed_from_proc(&mut self) -> Result<usize, StateError> {
        let pids = saker_proc::all_pids().map_err(|source| StateError::ListProcesses { source })?;
        let mut n = 0;
        for pid in pids {
            if let Some(entry) = seed::read_process(pid, self.system.as_ref(), &mut self.containers)
            {
                // Running before Saker: no `container` event for its container.
                if let Some(c) = &entry.container {
                    c.announce();
                    if entry.vpid == 1 {
                        c.note_init_start(entry.start_ns);
                    }
                }
                self.processes.insert(pid, entry);
                n += 1;
            }
        }
        self.stats.seeded += n as u64;
        Ok(n)
    }

    pub fn options(&self) -> &StateOptions {
        &self.options
    }

    pub fn stats(&self) -> StateStats {
        self.stats
    }

    /// Number of processes in the table.
    pub fn len(&self) -> usize {
        self.processes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.processes.is_empty()
    }

    pub fn process(&self, pid: u32) -> Option<&ProcessEntry> {
        self.processes.get(&pid)
    }

    pub fn processes(&self) -> impl Iterator<Item = &ProcessEntry> {
        self.processes.values()
    }

    /// Adds or replaces a process (capture-file snapshots, tests).
    pub fn insert_process(&mut self, entry: ProcessEntry) {
        self.processes.insert(entry.pid, entry);
    }

    /// Adds a container known from a snapshot, so processes can refer to it, or records what
    /// its runtime said (a capture file's later record).
    pub fn insert_container(&mut self, info: ContainerInfo) -> Arc<ContainerInfo> {
        let info = self.containers.insert(info);
        self.release_settled_starts();
        info
    }

    /// The container `id`, when known (`k8s.pod.*` read the pod's sandbox container).
    pub fn container(&self, id: &str) -> Option<&Arc<ContainerInfo>> {
        self.containers.lookup(id)
    }

    /// Every container the state knows.
    pub fn containers(&self) -> impl Iterator<Item = &Arc<ContainerInfo>> {
        self.containers.iter()
    }

    /// Asks the runtimes about the containers running now (from /proc's cgroup files), for a
    /// start that reads no processes (`run --ptrace`): their metadata is then known before
    /// their first event.
    pub fn discover_containers(&mut self) {
        let Ok(pids) = saker_proc::all_pids() else {
            return;
        };
        for pid in pids {
            if let Ok(Some(found)) = saker_proc::Process::open(pid).and_then(|p| p.container()) {
                self.containers.get(&found);
            }
        }
    }

    /// Waits, at most `limit`, for the runtimes to answer about the containers known so far.
    /// For start-up only, before the first event: the event path itself never waits.
    pub fn wait_for_containers(&mut self, limit: std::time::Duration) {
        let deadline = std::time::Instant::now() + limit;
        while self.containers.iter().any(|c| !c.is_settled())
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(5));
            self.poll_containers();
        }
    }

    /// Past [`MAX_CACHED`] containers, forgets those no process is in (and their cgroups).
    fn trim_containers(&mut self) {
        if self.containers.len() <= MAX_CACHED {
            return;
        }
        let live: std::collections::HashSet<&str> = self
            .processes
            .values()
            .filter_map(|p| p.container.as_ref().map(|c| c.id.as_str()))
            .collect();
        let gone = self.containers.forget_unless(|id| live.contains(id));
        self.cgroups.forget(&gone);
    }

    /// Takes what the container runtimes answered since the last call, so that later events
    /// carry it. Cheap when nothing arrived; call it before each event. Returns the containers
    /// whose metadata changed.
    #[inline]
    pub fn poll_containers(&mut self) -> Vec<Arc<ContainerInfo>> {
        // The common case, inlined into the caller's loop: nothing came.
        if !self.containers.has_work() {
            return Vec::new();
        }
        self.take_container_answers()
    }

    fn take_container_answers(&mut self) -> Vec<Arc<ContainerInfo>> {
        let (changed, stopped) = self.containers.poll();
        if !stopped.is_empty() {
            // A cgroup's inode can be reused by a later container.
            self.cgroups.forget(&stopped);
        }
        if !changed.is_empty() {
            self.release_settled_starts();
        }
        changed
    }

    /// Whether a `container` event is ready ([`State::take_container_started`]); checked
    /// after every event.
    #[inline]
    pub fn has_container_started(&self) -> bool {
        !self.starts_ready.is_empty()
    }

    /// The next `container` event to evaluate, if any.
    pub fn take_container_started(&mut self) -> Option<ContainerStarted> {
        self.starts_ready.pop_front()
    }

    /// Makes `container` events wait for metadata records ([`State::insert_container`]), as
    /// they waited for the runtimes when the capture file was recorded.
    pub fn expect_container_records(&mut self) {
        self.containers.expect_records();
    }

    /// Raises the `container` events still waiting for metadata (the end of a capture file).
    pub fn flush_container_starts(&mut self) {
        self.stats.containers_started += self.starts_waiting.len() as u64;
        self.starts_ready.extend(self.starts_waiting.drain(..));
    }

    fn release_settled_starts(&mut self) {
        let mut i = 0;
        while i < self.starts_waiting.len() {
            if self.starts_waiting[i].container.is_settled() {
                let started = self.starts_waiting.remove(i);
                self.stats.containers_started += 1;
                self.starts_ready.push_back(started);
            } else {
                i += 1;
            }
        }
    }

    /// Queues the `container` event of a container whose first process just executed.
    fn container_started(&mut self, pid: u32, event: &SyscallEvent) {
        let Some(process) = self.processes.get(&pid) else {
            return;
        };
        let Some(container) = process.container.clone() else {
            return;
        };
        if process.vpid == 1 {
            container.note_init_start(if process.start_ns != 0 {
                process.start_ns
            } else {
                event.header.ts_ns
            });
        }
        if !container.announce() {
            return;
        }
        let started = ContainerStarted {
            container: container.clone(),
            process: process.clone(),
            event: SyscallEvent {
                header: event.header.clone(),
                body: EventBody::Syscall(saker_event::SyscallExit {
                    nr: -1,
                    ret: 0,
                    args: [0; 6],
                    duration_ns: None,
                    off_cpu_ns: None,
                    detail: SyscallDetail::Other,
                }),
            },
        };
        if container.is_settled() || !self.containers.answers_later() {
            self.stats.containers_started += 1;
            self.starts_ready.push_back(started);
        } else {
            if self.starts_waiting.len() >= MAX_STARTS_WAITING {
                self.stats.containers_started += 1;
                self.starts_ready.push_back(self.starts_waiting.remove(0));
            }
            self.starts_waiting.push(started);
        }
    }

    /// The container of cgroup v2 `id` (what event headers carry): `None` when unknown,
    /// `Some(None)` for a host cgroup. Looks at the cgroup2 mount when `read_proc` is on.
    pub fn container_of_cgroup(&mut self, id: u64) -> Option<Option<Arc<ContainerInfo>>> {
        self.cgroups.lookup(id, &mut self.containers)
    }

    /// Records the container of a cgroup id (a capture file's mapping).
    pub fn learn_cgroup(&mut self, id: u64, container: Option<Arc<ContainerInfo>>) {
        self.cgroups.learn(id, container);
    }

    /// Replaces the uid/gid name tables (a capture file carries the recording host's).
    pub fn set_name_tables(&mut self, users: NameTable, groups: NameTable) {
        self.users = users;
        self.groups = groups;
    }

    pub fn user_name(&self, uid: u32) -> Option<&str> {
        self.users.get(uid)
    }

    pub fn group_name(&self, gid: u32) -> Option<&str> {
        self.groups.get(gid)
    }

    /// Removes processes that no longer exist although no exit event said so (its exit
    /// event was dropped, or a late event re-created it). Needs `read_proc`; call it every
    /// few seconds. Also bounds the container cache. Returns how many processes were removed.
    pub fn sweep(&mut self) -> usize {
        self.trim_containers();
        if !self.options.read_proc {
            return 0;
        }
        let before = self.processes.len();
        self.processes.retain(|&pid, _| {
            // SAFETY: kill with signal 0 only checks that the pid exists.
            let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
            r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
        });
        let removed = before - self.processes.len();
        self.stats.purged += removed as u64;
        removed
    }

    /// Updates the table with one event and returns what the event's fd and path fields need.
    pub fn apply(&mut self, event: &SyscallEvent) -> EventContext {
        if let Some(pid) = self.pending_removal.take()
            && self.processes.remove(&pid).is_some()
        {
            self.stats.purged += 1;
        }
        let h = &event.header;
        let mut ctx = EventContext::default();
        match &event.body {
            EventBody::Fork {
                child_pid,
                child_vpid,
                ..
            } => {
                self.ensure(h);
                if *child_pid == h.pid {
                    if let Some(p) = self.processes.get_mut(&h.pid) {
                        p.threads += 1;
                    }
                } else if let Some(parent) = self.processes.get(&h.pid) {
                    let mut child = parent.clone();
                    child.pid = *child_pid;
                    child.ppid = h.pid;
                    child.vpid = *child_vpid;
                    child.start_ns = h.ts_ns;
                    child.threads = 1;
                    self.processes.insert(*child_pid, child);
                }
            }
            EventBody::Exec(info) => {
                self.ensure(h);
                // What the new image runs in and with, without /proc when the event says it:
                // the container from the header's cgroup id (a map lookup once the id is known;
                // replays learn ids from the capture file), the capabilities from the exec
                // record (the eBPF capture reads them from the new cred). /proc is the fallback
                // (ptrace, an unknown or removed cgroup), and may be gone by now.
                let mut container = self.cgroups.lookup(h.cgroup_id, &mut self.containers);
                let mut caps = info.caps;
                if self.options.read_proc
                    && (container.is_none() || caps.is_none())
                    && let Ok(proc) = saker_proc::Process::open(h.pid)
                {
                    if container.is_none() {
                        container = proc
                            .container()
                            .ok()
                            .map(|c| c.map(|c| self.containers.get(&c)));
                        if let Some(container) = &container {
                            self.cgroups.learn(h.cgroup_id, container.clone());
                        }
                    }
                    if caps.is_none() {
                        caps = seed::read_capabilities(h.pid);
                    }
                }
                if let Some(p) = self.processes.get_mut(&h.pid) {
                    let argv: Vec<String> = info
                        .argv
                        .iter()
                        .map(|a| a.to_string_lossy().into_owned())
                        .collect();
                    let filename = info.filename.to_string_lossy();
                    p.comm = h.comm.to_string_lossy().into_owned();
                    p.exe = argv
                        .first()
                        .cloned()
                        .unwrap_or_else(|| filename.to_string());
                    p.args = argv.into_iter().skip(1).collect();
                    p.exe_from_memfd = false;
                    p.exe_upper_layer = info.exe_upper_layer;
                    p.exepath = match filename
                        .strip_prefix("/dev/fd/")
                        .and_then(|n| n.parse::<i32>().ok())
                    {
                        // fexecve / execveat(fd, "", AT_EMPTY_PATH): the image is what the fd is.
                        Some(fd) => match p.fds.get(&fd) {
                            Some(e) => {
                                p.exe_from_memfd = e.kind == FdKind::Memfd;
                                e.name.clone()
                            }
                            None => filename.to_string(),
                        },
                        None => path::resolve(&p.cwd, &filename),
                    };
                    p.vpid = info.vpid;
                    p.loginuid = (info.loginuid != u32::MAX).then_some(info.loginuid);
                    p.tty = info
                        .tty
                        .map_or(0, |(major, minor)| crate::names::tty_nr(major, minor));
                    p.threads = 1;
                    p.fds.retain(|_, e| !e.close_on_exec());
                    p.caps = caps;
                    if let Some(container) = container {
                        p.container = container;
                    }
                }
                // The container's own first program, not the runtime setting it up (runc
                // re-executes itself inside the new cgroup before the entrypoint).
                if self.processes.get(&h.pid).is_some_and(|p| {
                    p.container.as_ref().is_some_and(|c| !c.is_announced())
                        && !is_runtime_helper(&p.comm)
                }) {
                    self.container_started(h.pid, event);
                }
            }
            // Signals change no state the rules read.
            EventBody::Signal { .. } => {}
            EventBody::Exit { process_exited, .. } => {
                if *process_exited {
                    self.pending_removal = Some(h.pid);
                } else if let Some(p) = self.processes.get_mut(&h.pid) {
                    p.threads = p.threads.saturating_sub(1).max(1);
                }
            }
            EventBody::Syscall(exit) => {
                self.ensure(h);
                if let Some(p) = self.processes.get_mut(&h.pid) {
                    let mut fds = FdLookup {
                        read_proc: self.options.read_proc,
                        stats: &mut self.stats,
                    };
                    apply_syscall(p, exit.nr, exit.ret, &exit.detail, &mut ctx, &mut fds);
                }
            }
        }
        ctx
    }

    /// Makes sure the event's process is in the table, refreshing what the header tells.
    fn ensure(&mut self, h: &EventHeader) {
        if let Some(p) = self.processes.get_mut(&h.pid) {
            p.ppid = h.ppid;
            p.uid = h.uid;
            p.gid = h.gid;
            p.euid = h.euid;
            p.egid = h.egid;
            // The parent may be one the table never saw start (a subreaper such as conmon,
            // after the old parent exited) or no longer has: read from /proc whenever it is
            // missing, not only when the parent changes (a CI run once showed `podman exec`'s
            // conmon as proc.pname <NA> live, where the replay knew it). A lookup when present.
            self.ensure_ancestors(h.ppid);
            return;
        }
        let from_proc = if self.options.read_proc {
            seed::read_process(h.pid, self.system.as_ref(), &mut self.containers)
        } else {
            None
        };
        let entry = match from_proc {
            Some(mut e) => {
                self.stats.late_from_proc += 1;
                e.uid = h.uid;
                e.gid = h.gid;
                e.euid = h.euid;
                e.egid = h.egid;
                e
            }
            None => {
                self.stats.late_from_header += 1;
                let from_cgroup = if self.options.read_proc {
                    self.cgroups.lookup(h.cgroup_id, &mut self.containers)
                } else {
                    None
                };
                // Inherit what a child would have from its parent, when the parent is known.
                let parent = self.processes.get(&h.ppid);
                ProcessEntry {
                    pid: h.pid,
                    ppid: h.ppid,
                    vpid: h.pid,
                    comm: h.comm.to_string_lossy().into_owned(),
                    cwd: parent.map(|p| p.cwd.clone()).unwrap_or_default(),
                    uid: h.uid,
                    gid: h.gid,
                    euid: h.euid,
                    egid: h.egid,
                    container: from_cgroup
                        .unwrap_or_else(|| parent.and_then(|p| p.container.clone())),
                    loginuid: parent.and_then(|p| p.loginuid),
                    tty: parent.map_or(0, |p| p.tty),
                    threads: 1,
                    start_ns: h.ts_ns,
                    ..ProcessEntry::default()
                }
            }
        };
        let parent = entry.ppid;
        self.processes.insert(h.pid, entry);
        self.ensure_ancestors(parent);
    }

    /// Reads `ancestor` and its own ancestors from /proc where the table lacks them, for
    /// proc.pname and proc.aname[N] (a few levels suffice).
    fn ensure_ancestors(&mut self, mut ancestor: u32) {
        if !self.options.read_proc {
            return;
        }
        for _ in 0..4 {
            if ancestor <= 1 || self.processes.contains_key(&ancestor) {
                break;
            }
            let Some(e) = seed::read_process(ancestor, self.system.as_ref(), &mut self.containers)
            else {
                break;
            };
            self.stats.late_from_proc += 1;
            let next = e.ppid;
            self.processes.insert(ancestor, e);
            ancestor = next;
        }
    }
}

/// Programs of the container runtime that run inside a container's cgroup while it is set up.
fn is_runtime_helper(comm: &str) -> bool {
    matches!(comm, "runc" | "crun" | "exe" | "conmon" | "catatonit") || comm.starts_with("runc:[")
}

/// `path` resolved as the kernel does for `dirfd`: against the cwd, or the directory fd's name.
/// A dirfd the table lacks is looked up like any fd (`FdLookup`): only a failed call can have
/// a regular file there (ENOTDIR), and the capture may have left out that file's open.
fn resolve_at(
    p: &ProcessEntry,
    dirfd: i32,
    path: &saker_event::Bytes,
    fds: &mut FdLookup<'_>,
) -> String {
    let path = path.to_string_lossy();
    if dirfd == AT_FDCWD || path.starts_with('/') {
        return path::resolve(&p.cwd, &path);
    }
    let dir = fds.get(p, dirfd);
    path::resolve(dir.as_ref().map_or("", |e| e.name.as_str()), &path)
}

/// `fd.num` of a call that creates an fd: the fd, or -1 when it failed, as Falco has it (its
/// `open_file_failed` macro tests `fd.num=-1`); evt.rawres and evt.arg.fd keep the error.
fn new_fd_num(ret: i64) -> i64 {
    if ret >= 0 { ret } else { -1 }
}

/// Applies `change` to an fd's entry and says whether it changed the fd's name
/// (`fd.name_changed`, libsinsp compares the name before and after the event).
fn renames(entry: &mut FdEntry, change: impl FnOnce(&mut FdEntry)) -> bool {
    let before = entry.name.clone();
    change(entry);
    entry.name != before
}

fn inet(addr: &SockAddr) -> Option<SocketAddr> {
    match addr {
        SockAddr::Inet(a) => Some(SocketAddr::V4(*a)),
        SockAddr::Inet6(a) => Some(SocketAddr::V6(*a)),
        _ => None,
    }
}

fn socket_kind(domain: i32) -> FdKind {
    match domain {
        libc::AF_INET => FdKind::Ipv4,
        libc::AF_INET6 => FdKind::Ipv6,
        libc::AF_UNIX => FdKind::Unix,
        libc::AF_NETLINK => FdKind::Netlink,
        _ => FdKind::Socket,
    }
}

/// The fd an event names: the table's entry or, live, a regular file /proc still shows.
struct FdLookup<'s> {
    read_proc: bool,
    stats: &'s mut StateStats,
}

impl FdLookup<'_> {
    /// `fd`'s entry. One the table does not hold is read from /proc when it is a regular
    /// file: the capture leaves out the opens no rule needs (and their closes), so a later
    /// fchmod, dup or write finds no entry. It is not added to the table, whose closes of
    /// such fds never come.
    fn get(&mut self, p: &ProcessEntry, fd: i32) -> Option<Arc<FdEntry>> {
        if let Some(entry) = p.fds.get(&fd) {
            return Some(entry.clone());
        }
        if !self.read_proc {
            return None;
        }
        let entry = seed::regular_file_fd(p.pid, fd).map(Arc::new);
        match entry {
            Some(_) => self.stats.fds_named_from_proc += 1,
            None => self.stats.fds_unnamed += 1,
        }
        entry
    }
}

fn apply_syscall(
    p: &mut ProcessEntry,
    nr: i64,
    ret: i64,
    detail: &SyscallDetail,
    ctx: &mut EventContext,
    fds: &mut FdLookup<'_>,
) {
    use SyscallDetail as D;
    let ok = ret >= 0;
    match detail {
        D::Open {
            dirfd, path, flags, ..
        } => {
            let name = resolve_at(p, *dirfd, path, fds);
            let kind = if flags & O_DIRECTORY != 0 {
                FdKind::Directory
            } else {
                FdKind::File
            };
            let entry = Arc::new(FdEntry::file(name, *flags, kind));
            if ok {
                p.fds.insert(ret as i32, entry.clone());
            }
            ctx.fd = Some(entry);
            ctx.fd_num = Some(new_fd_num(ret));
        }
        D::Close { fd } => {
            ctx.fd = p.fds.remove(fd);
            ctx.fd_num = Some(i64::from(*fd));
        }
        D::Dup { old_fd } => {
            let old = fds.get(p, *old_fd);
            if ok && let Some(old) = &old {
                // A duplicate never inherits O_CLOEXEC (dup3 may set it again: rare enough).
                let mut dup = (**old).clone();
                dup.flags &= !O_CLOEXEC;
                p.fds.insert(ret as i32, Arc::new(dup));
            }
            ctx.fd = old;
            ctx.fd_num = Some(i64::from(*old_fd));
        }
        D::Fcntl { fd, cmd, arg } => {
            if ok
                && *cmd == libc::F_SETFD
                && let Some(e) = p.fds.get_mut(fd)
            {
                let e = Arc::make_mut(e);
                if arg & libc::FD_CLOEXEC as u64 != 0 {
                    e.flags |= O_CLOEXEC;
                } else {
                    e.flags &= !O_CLOEXEC;
                }
            }
            ctx.fd = fds.get(p, *fd);
            ctx.fd_num = Some(i64::from(*fd));
        }
        D::FdPair { fds, flags } => {
            let kind = if nr == libc::SYS_socketpair {
                FdKind::Unix
            } else {
                FdKind::Pipe
            };
            if let (true, Some(fds)) = (ok, fds) {
                for fd in fds {
                    p.fds
                        .insert(*fd, Arc::new(FdEntry::file(String::new(), *flags, kind)));
                }
            }
        }
        D::MemfdCreate { name, flags } => {
            // MFD_CLOEXEC is bit 0.
            let cloexec = if flags & 1 != 0 { O_CLOEXEC } else { 0 };
            let entry = Arc::new(FdEntry::file(
                format!("/memfd:{name}"),
                cloexec,
                FdKind::Memfd,
            ));
            if ok {
                p.fds.insert(ret as i32, entry.clone());
            }
            ctx.fd = Some(entry);
            ctx.fd_num = Some(new_fd_num(ret));
        }
        D::Socket {
            domain,
            kind,
            protocol,
        } => {
            let mut entry = FdEntry::socket(socket_kind(*domain));
            entry.l4proto = L4Proto::from_socket(*domain, *kind, *protocol);
            let entry = Arc::new(entry);
            if ok {
                p.fds.insert(ret as i32, entry.clone());
            }
            ctx.fd = Some(entry);
            ctx.fd_num = Some(new_fd_num(ret));
        }
        D::Connect { fd, addr } => {
            // EINPROGRESS (non-blocking connect) still names the peer, and the socket counts
            // as connected (libsinsp's default, without connection status tracking).
            if (ok || ret == -i64::from(libc::EINPROGRESS))
                && let Some(e) = p.fds.get_mut(fd)
            {
                let e = Arc::make_mut(e);
                e.connected = true;
                ctx.fd_name_changed = renames(e, |e| match addr {
                    Some(SockAddr::Unix { path, .. }) => {
                        e.name = path.to_string_lossy().into_owned()
                    }
                    Some(a) => {
                        if let Some(remote) = inet(a) {
                            e.kind = FdKind::inet_of(&remote);
                            e.set_tuple(None, Some(remote), true);
                        }
                    }
                    None => {}
                });
            }
            ctx.fd = p.fds.get(fd).cloned();
            ctx.fd_num = Some(i64::from(*fd));
        }
        D::Accept { fd, peer } => {
            let listening = p.fds.get(fd).cloned();
            let mut entry = FdEntry::socket(listening.as_ref().map_or(FdKind::Socket, |l| l.kind));
            // libsinsp: an accepted inet connection is tcp, the server end, and connected.
            entry.connected = true;
            match peer.as_ref() {
                Some(SockAddr::Unix { path, .. }) => {
                    entry.kind = FdKind::Unix;
                    entry.name = listening
                        .as_ref()
                        .map(|l| l.name.clone())
                        .unwrap_or_else(|| path.to_string_lossy().into_owned());
                }
                Some(a) => {
                    if let Some(remote) = inet(a) {
                        entry.kind = FdKind::inet_of(&remote);
                        entry.l4proto = L4Proto::Tcp;
                        entry.set_tuple(
                            listening.as_ref().and_then(|l| l.local),
                            Some(remote),
                            false,
                        );
                    }
                }
                None => {}
            }
            let entry = Arc::new(entry);
            if ok {
                p.fds.insert(ret as i32, entry.clone());
            }
            ctx.fd = Some(entry);
            ctx.fd_num = Some(ret);
        }
        D::Bind { fd, addr } => {
            if ok && let Some(e) = p.fds.get_mut(fd) {
                let e = Arc::make_mut(e);
                ctx.fd_name_changed = renames(e, |e| match addr {
                    Some(SockAddr::Unix { path, .. }) => {
                        e.name = path.to_string_lossy().into_owned()
                    }
                    Some(a) => {
                        if let Some(local) = inet(a) {
                            e.kind = FdKind::inet_of(&local);
                            e.set_tuple(Some(local), None, false);
                        }
                    }
                    None => {}
                });
            }
            ctx.fd = p.fds.get(fd).cloned();
            ctx.fd_num = Some(i64::from(*fd));
        }
        D::Listen { fd, .. } | D::Read { fd, .. } | D::Write { fd, .. } | D::Setns { fd, .. } => {
            ctx.fd = fds.get(p, *fd);
            ctx.fd_num = Some(i64::from(*fd));
        }
        D::SendTo { fd, addr, .. } => {
            // As libsinsp's parse_write_exit: a successful send on an inet socket marks it
            // connected; one with an address on a socket that is not a named tcp one (an
            // unconnected udp socket) takes that address as its remote end, for good (udp
            // when the protocol is still unknown), and the event tells whether the name changed.
            if ok && let Some(e) = p.fds.get_mut(fd) {
                let e = Arc::make_mut(e);
                if e.kind.is_inet() {
                    e.connected = true;
                }
                if let Some(remote) = addr.as_ref().and_then(inet)
                    && (e.name.is_empty() || e.l4proto != L4Proto::Tcp)
                {
                    ctx.fd_name_changed = renames(e, |e| {
                        e.kind = FdKind::inet_of(&remote);
                        if e.l4proto == L4Proto::Unknown {
                            e.l4proto = L4Proto::Udp;
                        }
                        // A bound socket answering keeps its server role.
                        let client = e.client || e.local.is_none();
                        e.set_tuple(None, Some(remote), client);
                    });
                }
            }
            ctx.fd = fds.get(p, *fd);
            ctx.fd_num = Some(i64::from(*fd));
        }
        D::Chdir { path } => {
            if ok {
                p.cwd = path::resolve(&p.cwd, &path.to_string_lossy());
            }
        }
        D::Fchdir { fd } => {
            if ok && let Some(e) = p.fds.get(fd) {
                p.cwd = e.name.clone();
            }
        }
        D::Rename {
            old_dirfd,
            old_path,
            new_dirfd,
            new_path,
            ..
        }
        | D::Link {
            old_dirfd,
            old_path,
            new_dirfd,
            new_path,
            ..
        } => {
            ctx.fs_source = Some(resolve_at(p, *old_dirfd, old_path, fds));
            ctx.fs_target = Some(resolve_at(p, *new_dirfd, new_path, fds));
        }
        D::Symlink {
            target,
            dirfd,
            link_path,
        } => {
            // The target is stored as written; a relative one is relative to the link's
            // directory, which is how the kernel will follow it.
            let link = resolve_at(p, *dirfd, link_path, fds);
            let target = target.to_string_lossy();
            ctx.fs_source = Some(path::resolve(path::directory(&link), &target));
            ctx.fs_target = Some(link);
        }
        D::Unlink { dirfd, path, .. } | D::Mkdir { dirfd, path, .. } => {
            ctx.fs_name = Some(resolve_at(p, *dirfd, path, fds));
        }
        D::Chmod {
            dirfd, path, fd, ..
        }
        | D::Chown {
            dirfd, path, fd, ..
        } => {
            ctx.fs_name = match (path, fd) {
                (Some(path), _) => Some(resolve_at(p, *dirfd, path, fds)),
                (None, Some(fd)) => {
                    ctx.fd = fds.get(p, *fd);
                    ctx.fd_num = Some(i64::from(*fd));
                    ctx.fd.as_ref().map(|e| e.name.clone())
                }
                (None, None) => None,
            };
        }
        D::Truncate { path, fd, .. } => {
            ctx.fs_name = match (path, fd) {
                (Some(path), _) => Some(path::resolve(&p.cwd, &path.to_string_lossy())),
                (None, Some(fd)) => {
                    ctx.fd = fds.get(p, *fd);
                    ctx.fd_num = Some(i64::from(*fd));
                    ctx.fd.as_ref().map(|e| e.name.clone())
                }
                (None, None) => None,
            };
        }
        D::Capset { .. } => p.caps = None,
        D::ExecFailed { .. }
        | D::Clone { .. }
        | D::SetIds { .. }
        | D::Ptrace { .. }
        | D::Mount { .. }
        | D::Umount { .. }
        | D::Unshare { .. }
        | D::Kill { .. }
        | D::Bpf { .. }
        | D::LoadModule { .. }
        | D::Other
        | D::Memory { .. } => {}
    }
}

/// `evt.is_open_read` / `evt.is_open_write` from open flags.
pub fn open_mode(flags: u64) -> (bool, bool) {
    match flags & O_ACCMODE {
        0 => (true, false),
        1 => (false, true),
        _ => (true, true),
    }
}
