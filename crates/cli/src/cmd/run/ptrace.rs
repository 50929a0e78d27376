//! `saker run --ptrace -- CMD`: the same rules and fields on one command's process tree,
//! through the ptrace tracer (what Falco's pdig did), for places without BPF. A thin adapter
//! turns tracer stops into the [`SyscallEvent`]s the eBPF capture produces.

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;

use saker_event::syscall_event::AT_FDCWD;
use saker_event::{
    Bytes, EventBody, EventHeader, ExecInfo, SockAddr, SyscallDetail, SyscallEvent, SyscallExit,
};
use saker_ptrace::{Command, Handler, Options, ProcessMemory, Stop, StopContext, Target, Tracer};

use super::pipeline::Pipeline;
use crate::exit::Failure;

/// What one thread is doing between its syscall entry and exit.
struct InFlight {
    nr: i64,
    args: [u64; 6],
    detail: SyscallDetail,
    /// execve's argv, read at entry (the memory is gone after a successful exec).
    argv: Vec<Bytes>,
}

/// Per-process identity, read from /proc once and after exec/setuid.
#[derive(Clone)]
struct Identity {
    pid: u32,
    ppid: u32,
    ids: [u32; 4],
    comm: Bytes,
}

struct Adapter<'p> {
    pipeline: &'p mut Pipeline,
    interesting: BTreeSet<i64>,
    in_flight: HashMap<i32, InFlight>,
    identities: HashMap<i32, Identity>,
}

const MAX_STRING: usize = 4096;

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

fn identity(tid: i32) -> Identity {
    let status = saker_proc::Process::open(tid as u32)
        .and_then(|p| p.status())
        .ok();
    let comm = std::fs::read_to_string(format!("/proc/{tid}/comm")).unwrap_or_default();
    Identity {
        pid: status.as_ref().map_or(tid as u32, |s| s.tgid),
        ppid: status.as_ref().map_or(0, |s| s.ppid),
        ids: status
            .as_ref()
            .map_or([0; 4], |s| [s.uid[0], s.gid[0], s.uid[1], s.gid[1]]),
        comm: Bytes::from(comm.trim_end()),
    }
}

fn read_string(mem: &mut ProcessMemory, addr: u64) -> Bytes {
    let mut out = Vec::new();
    let mut chunk = [0u8; 256];
    let mut at = addr;
    while out.len() < MAX_STRING {
        // Stay within one page per read: the string may end just before an unmapped page.
        let room = (4096 - (at % 4096) as usize).min(chunk.len());
        let n = mem.read(at, &mut chunk[..room]);
        if n == 0 {
            break;
        }
        if let Some(end) = chunk[..n].iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..end]);
            return Bytes(out);
        }
        out.extend_from_slice(&chunk[..n]);
        at += n as u64;
    }
    Bytes(out)
}

fn read_argv(mem: &mut ProcessMemory, addr: u64) -> Vec<Bytes> {
    let mut argv = Vec::new();
    for i in 0..1024u64 {
        let mut word = [0u8; 8];
        if mem.read(addr + i * 8, &mut word) != 8 {
            break;
        }
        let p = u64::from_ne_bytes(word);
        if p == 0 {
            break;
        }
        argv.push(read_string(mem, p));
    }
    argv
}

fn read_sockaddr(mem: &mut ProcessMemory, addr: u64, len: u64) -> Option<SockAddr> {
    let mut buf = vec![0u8; len.min(128) as usize];
    let n = mem.read(addr, &mut buf);
    SockAddr::parse(&buf[..n])
}

fn read_u32(mem: &mut ProcessMemory, addr: u64) -> Option<u32> {
    let mut b = [0u8; 4];
    (mem.read(addr, &mut b) == 4).then(|| u32::from_ne_bytes(b))
}

/// The arguments of a call at entry, as [`SyscallDetail`]. Output arguments (pipe fds,
/// accept's peer) are read at exit by [`finish_detail`].
fn entry_detail(mem: &mut ProcessMemory, nr: i64, a: [u64; 6]) -> SyscallDetail {
    use SyscallDetail as D;
    let fd = |i: usize| a[i] as i32;
    let s = |mem: &mut ProcessMemory, i: usize| read_string(mem, a[i]);
    match nr {
        libc::SYS_open => D::Open {
            dirfd: AT_FDCWD,
            path: s(mem, 0),
            flags: a[1],
            mode: a[2] as u32,
        },
        libc::SYS_creat => D::Open {
            dirfd: AT_FDCWD,
            path: s(mem, 0),
            flags: 0o1101,
            mode: a[1] as u32,
        },
        libc::SYS_openat => D::Open {
            dirfd: fd(0),
            path: s(mem, 1),
            flags: a[2],
            mode: a[3] as u32,
        },
        libc::SYS_openat2 => {
            // struct open_how { u64 flags; u64 mode; u64 resolve; }
            let mut how = [0u8; 16];
            mem.read(a[2], &mut how);
            D::Open {
                dirfd: fd(0),
                path: s(mem, 1),
                flags: u64::from_ne_bytes(how[..8].try_into().unwrap_or([0; 8])),
                mode: u64::from_ne_bytes(how[8..].try_into().unwrap_or([0; 8])) as u32,
            }
        }
        libc::SYS_close => D::Close { fd: fd(0) },
        libc::SYS_dup | libc::SYS_dup2 | libc::SYS_dup3 => D::Dup { old_fd: fd(0) },
        libc::SYS_fcntl if matches!(a[1] as i32, libc::F_DUPFD | libc::F_DUPFD_CLOEXEC) => {
            D::Dup { old_fd: fd(0) }
        }
        libc::SYS_fcntl => D::Fcntl {
            fd: fd(0),
            cmd: a[1] as i32,
            arg: a[2],
        },
        libc::SYS_pipe | libc::SYS_pipe2 => D::FdPair {
            fds: None,
            flags: if nr == libc::SYS_pipe2 { a[1] } else { 0 },
        },
        libc::SYS_socketpair => D::FdPair {
            fds: None,
            flags: 0,
        },
        libc::SYS_socket => D::Socket {
            domain: a[0] as i32,
            kind: a[1] as i32,
            protocol: a[2] as i32,
        },
        libc::SYS_connect => D::Connect {
            fd: fd(0),
            addr: read_sockaddr(mem, a[1], a[2]),
        },
        libc::SYS_bind => D::Bind {
            fd: fd(0),
            addr: read_sockaddr(mem, a[1], a[2]),
        },
        libc::SYS_listen => D::Listen {
            fd: fd(0),
            backlog: a[1] as i32,
        },
        libc::SYS_accept | libc::SYS_accept4 => D::Accept {
            fd: fd(0),
            peer: None,
        },
        libc::SYS_sendto => D::SendTo {
            fd: fd(0),
            len: a[2],
            addr: (a[4] != 0)
                .then(|| read_sockaddr(mem, a[4], a[5]))
                .flatten(),
        },
        libc::SYS_chdir => D::Chdir { path: s(mem, 0) },
        libc::SYS_fchdir => D::Fchdir { fd: fd(0) },
        libc::SYS_rename => D::Rename {
            old_dirfd: AT_FDCWD,
            old_path: s(mem, 0),
            new_dirfd: AT_FDCWD,
            new_path: s(mem, 1),
            flags: 0,
        },
        libc::SYS_renameat | libc::SYS_renameat2 => D::Rename {
            old_dirfd: fd(0),
            old_path: s(mem, 1),
            new_dirfd: fd(2),
            new_path: s(mem, 3),
            flags: if nr == libc::SYS_renameat2 {
                a[4] as u32
            } else {
                0
            },
        },
        libc::SYS_unlink => D::Unlink {
            dirfd: AT_FDCWD,
            path: s(mem, 0),
            flags: 0,
        },
        libc::SYS_rmdir => D::Unlink {
            dirfd: AT_FDCWD,
            path: s(mem, 0),
            flags: libc::AT_REMOVEDIR as u32,
        },
        libc::SYS_unlinkat => D::Unlink {
            dirfd: fd(0),
            path: s(mem, 1),
            flags: a[2] as u32,
        },
        libc::SYS_mkdir => D::Mkdir {
            dirfd: AT_FDCWD,
            path: s(mem, 0),
            mode: a[1] as u32,
        },
        libc::SYS_mkdirat => D::Mkdir {
            dirfd: fd(0),
            path: s(mem, 1),
            mode: a[2] as u32,
        },
        libc::SYS_symlink => D::Symlink {
            target: s(mem, 0),
            dirfd: AT_FDCWD,
            link_path: s(mem, 1),
        },
        libc::SYS_symlinkat => D::Symlink {
            target: s(mem, 0),
            dirfd: fd(1),
            link_path: s(mem, 2),
        },
        libc::SYS_link => D::Link {
            old_dirfd: AT_FDCWD,
            old_path: s(mem, 0),
            new_dirfd: AT_FDCWD,
            new_path: s(mem, 1),
            flags: 0,
        },
        libc::SYS_linkat => D::Link {
            old_dirfd: fd(0),
            old_path: s(mem, 1),
            new_dirfd: fd(2),
            new_path: s(mem, 3),
            flags: a[4] as u32,
        },
        libc::SYS_chmod => D::Chmod {
            dirfd: AT_FDCWD,
            path: Some(s(mem, 0)),
            fd: None,
            mode: a[1] as u32,
        },
        libc::SYS_fchmod => D::Chmod {
            dirfd: AT_FDCWD,
            path: None,
            fd: Some(fd(0)),
            mode: a[1] as u32,
        },
        libc::SYS_fchmodat => D::Chmod {
            dirfd: fd(0),
            path: Some(s(mem, 1)),
            fd: None,
            mode: a[2] as u32,
        },
        libc::SYS_ptrace => D::Ptrace {
            request: a[0] as i64,
            pid: a[1] as i32,
        },
        libc::SYS_setns => D::Setns {
            fd: fd(0),
            nstype: a[1] as i32,
        },
        libc::SYS_unshare => D::Unshare { flags: a[0] },
        libc::SYS_memfd_create => D::MemfdCreate {
            name: s(mem, 0),
            flags: a[1] as u32,
        },
        libc::SYS_kill | libc::SYS_tkill => D::Kill {
            pid: a[0] as i32,
            sig: a[1] as i32,
        },
        libc::SYS_tgkill => D::Kill {
            pid: a[1] as i32,
            sig: a[2] as i32,
        },
        libc::SYS_execve => D::ExecFailed {
            dirfd: AT_FDCWD,
            path: s(mem, 0),
        },
        libc::SYS_execveat => D::ExecFailed {
            dirfd: fd(0),
            path: s(mem, 1),
        },
        libc::SYS_clone => D::Clone { flags: a[0] },
        libc::SYS_clone3 | libc::SYS_fork | libc::SYS_vfork => D::Clone { flags: 0 },
        libc::SYS_setuid | libc::SYS_setgid => D::SetIds {
            real: a[0] as u32,
            effective: a[0] as u32,
            saved: a[0] as u32,
        },
        libc::SYS_setreuid | libc::SYS_setregid => D::SetIds {
            real: a[0] as u32,
            effective: a[1] as u32,
            saved: u32::MAX,
        },
        libc::SYS_setresuid | libc::SYS_setresgid => D::SetIds {
            real: a[0] as u32,
            effective: a[1] as u32,
            saved: a[2] as u32,
        },
        _ => D::Other,
    }
}

/// Fills the output arguments once the call returned.
fn finish_detail(
    mem: &mut ProcessMemory,
    nr: i64,
    args: [u64; 6],
    ret: i64,
    detail: &mut SyscallDetail,
) {
    match detail {
        SyscallDetail::FdPair { fds, .. } if ret == 0 => {
            let at = if nr == libc::SYS_socketpair {
                args[3]
            } else {
                args[0]
            };
            if let (Some(a), Some(b)) = (read_u32(mem, at), read_u32(mem, at + 4)) {
                *fds = Some([a as i32, b as i32]);
            }
        }
        SyscallDetail::Accept { peer, .. } if ret >= 0 && args[1] != 0 => {
            if let Some(len) = read_u32(mem, args[2]) {
                *peer = read_sockaddr(mem, args[1], u64::from(len));
            }
        }
        _ => {}
    }
}

impl Adapter<'_> {
    fn header(&mut self, tid: i32) -> EventHeader {
        let id = self
            .identities
            .entry(tid)
            .or_insert_with(|| identity(tid))
            .clone();
        EventHeader {
            ts_ns: now_ns(),
            tid: tid as u32,
            pid: id.pid,
            ppid: id.ppid,
            uid: id.ids[0],
            gid: id.ids[1],
            euid: id.ids[2],
            egid: id.ids[3],
            cgroup_id: 0,
            comm: id.comm,
        }
    }
}

impl Handler for Adapter<'_> {
    fn on_stop(&mut self, ctx: &StopContext, stop: Stop<'_>) -> bool {
        // The command before its first execve is still Saker's own start-up.
        if ctx.hidden {
            return false;
        }
        let tid = ctx.pid;
        match stop {
            Stop::SyscallEntry { nr, args } => {
                let nr = nr as i64;
                if !self.interesting.contains(&nr) {
                    return false;
                }
                let mut mem = ProcessMemory::new(tid);
                let detail = entry_detail(&mut mem, nr, args);
                let argv = match nr {
                    libc::SYS_execve => read_argv(&mut mem, args[1]),
                    libc::SYS_execveat => read_argv(&mut mem, args[2]),
                    _ => Vec::new(),
                };
                self.in_flight.insert(
                    tid,
                    InFlight {
                        nr,
                        args,
                        detail,
                        argv,
                    },
                );
                true
            }
            Stop::SyscallExit { ret, .. } => {
                let Some(mut call) = self.in_flight.remove(&tid) else {
                    return false;
                };
                // A successful exec was reported at its exec stop.
                if matches!(call.nr, libc::SYS_execve | libc::SYS_execveat) && ret == 0 {
                    return false;
                }
                let mut mem = ProcessMemory::new(tid);
                finish_detail(&mut mem, call.nr, call.args, ret, &mut call.detail);
                if matches!(call.detail, SyscallDetail::SetIds { .. }) {
                    self.identities.remove(&tid);
                }
                let header = self.header(tid);
                let event = SyscallEvent {
                    header,
                    body: EventBody::Syscall(SyscallExit {
                        nr: call.nr,
                        ret,
                        args: call.args,
                        duration_ns: None,
                        detail: call.detail,
                    }),
                };
                self.pipeline.handle(&event);
                false
            }
            Stop::Attached { .. } => {
                // A new child: its parent (or, for a thread, its process) forked it.
                let child = identity(tid);
                let parent_tid = if child.pid != tid as u32 {
                    child.pid
                } else {
                    child.ppid
                };
                let header = self.header(parent_tid as i32);
                let event = SyscallEvent {
                    header,
                    body: EventBody::Fork {
                        child_tid: tid as u32,
                        child_pid: child.pid,
                        child_vtid: tid as u32,
                        child_vpid: child.pid,
                    },
                };
                self.identities.insert(tid, child);
                self.pipeline.handle(&event);
                false
            }
            Stop::Exec { former_pid } => {
                let call = self
                    .in_flight
                    .remove(&former_pid)
                    .or_else(|| self.in_flight.remove(&tid));
                self.identities.remove(&tid);
                let header = self.header(tid);
                let (nr, filename, argv) = match call {
                    Some(c) => {
                        let filename = match &c.detail {
                            SyscallDetail::ExecFailed { path, .. } => path.clone(),
                            _ => Bytes::default(),
                        };
                        (c.nr, filename, c.argv)
                    }
                    None => (libc::SYS_execve, Bytes::default(), Vec::new()),
                };
                // The command's own first exec happened before tracing was visible: the
                // stopped process's /proc files tell the same.
                let (filename, argv) = if argv.is_empty() {
                    let proc = saker_proc::Process::open(tid as u32).ok();
                    let argv = proc
                        .as_ref()
                        .and_then(|p| p.cmdline().ok())
                        .unwrap_or_default();
                    let exe = proc
                        .as_ref()
                        .and_then(|p| p.readlink("exe").ok())
                        .unwrap_or_default();
                    (
                        Bytes::from(exe.as_str()),
                        argv.iter().map(|a| Bytes::from(a.as_str())).collect(),
                    )
                } else {
                    (filename, argv)
                };
                let proc = saker_proc::Process::open(tid as u32).ok();
                let loginuid = proc
                    .as_ref()
                    .and_then(|p| p.loginuid().ok().flatten())
                    .unwrap_or(u32::MAX);
                let tty_nr = proc
                    .as_ref()
                    .and_then(|p| p.stat().ok())
                    .map_or(0, |s| s.tty_nr);
                let tty = (tty_nr != 0).then_some((
                    (tty_nr >> 8) & 0xfff,
                    (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00),
                ));
                let event = SyscallEvent {
                    header: header.clone(),
                    body: EventBody::Exec(ExecInfo {
                        nr,
                        filename,
                        argv,
                        argv_truncated: false,
                        env_count: None,
                        old_tid: former_pid as u32,
                        vtid: tid as u32,
                        vpid: header.pid,
                        loginuid,
                        tty,
                        // The tracee is stopped at its exec: the state reads /proc.
                        caps: None,
                    }),
                };
                self.pipeline.handle(&event);
                false
            }
            Stop::Exited { code } => {
                self.exit(tid, code << 8);
                false
            }
            Stop::Killed { sig, .. } => {
                self.exit(tid, sig);
                false
            }
            Stop::Signal { .. }
            | Stop::GroupStop { .. }
            | Stop::Detached
            | Stop::UnknownExit
            | Stop::UnknownDetached => false,
        }
    }
}

impl Adapter<'_> {
    fn exit(&mut self, tid: i32, status: i32) {
        let header = self.header(tid);
        let process_exited = header.pid == tid as u32;
        self.identities.remove(&tid);
        self.in_flight.remove(&tid);
        self.pipeline.handle(&SyscallEvent {
            header,
            body: EventBody::Exit {
                status,
                process_exited,
            },
        });
    }
}

/// Runs `command` under ptrace; returns the command's exit status as Saker's, and the
/// summary to print once the outputs are drained.
pub fn run(
    command: &[String],
    syscalls: BTreeSet<i64>,
    mut pipeline: Pipeline,
) -> anyhow::Result<(u8, String)> {
    let args: Vec<OsString> = command.iter().map(OsString::from).collect();
    let command = Command::new(&args).map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
    let options = Options {
        follow_forks: true,
        seccomp_filter: Some(syscalls.iter().map(|&nr| nr as u32).collect()),
        spin: Some(saker_ptrace::DEFAULT_SPIN),
        ..Options::default()
    };
    let finish = {
        let mut adapter = Adapter {
            pipeline: &mut pipeline,
            interesting: syscalls,
            in_flight: HashMap::new(),
            identities: HashMap::new(),
        };
        let tracer = Tracer::start(options, Target::Spawn(command), &mut adapter, &mut |_| {})
            .map_err(|e| Failure::new(2, format!("saker run: {e}")))?;
        tracer
            .run(&mut adapter)
            .map_err(|e| Failure::new(2, format!("saker run: {e}")))?
    };
    let summary = pipeline.finish();
    let code = match finish {
        saker_ptrace::Finish::Exited(code) => code.clamp(0, 255) as u8,
        saker_ptrace::Finish::Killed(sig) | saker_ptrace::Finish::Interrupted(sig) => {
            (128 + sig).clamp(0, 255) as u8
        }
        saker_ptrace::Finish::Done => 0,
    };
    Ok((code, summary))
}
