//! `saker run --ptrace -- CMD`: the same rules and fields on one command's process tree,
//! through the ptrace tracer (what Falco's pdig did), for places without BPF. A thin adapter
//! turns tracer stops into the [`SyscallEvent`]s the eBPF capture produces, decoding arguments
//! with the shared decoder over the tracee's memory at the syscall's exit.

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;

use saker_event::{
    ArgMemory, Bytes, Comm, EventBody, EventHeader, ExecInfo, SockAddr, SyscallDetail,
    SyscallEvent, SyscallExit, decode_detail,
};
use saker_ptrace::{Command, Handler, Options, ProcessMemory, Stop, StopContext, Target, Tracer};
use saker_state::StateOptions;

use crate::{Ended, Flow, NoCounters, Sink, Source, SourceError};

/// What one thread is doing between its syscall entry and exit.
struct InFlight {
    nr: i64,
    args: [u64; 6],
    /// execve's path and argv, read at entry (the memory is gone after a successful exec).
    exec: Option<(Bytes, Vec<Bytes>)>,
}

/// Per-process identity, read from /proc once and after exec/setuid.
#[derive(Clone)]
struct Identity {
    pid: u32,
    ppid: u32,
    ids: [u32; 4],
    comm: Comm,
}

struct Adapter<'p> {
    sink: &'p mut dyn Sink,
    stopped: bool,
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
        comm: Comm::from(comm.trim_end()),
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

/// The tracee's memory at the syscall's exit, for the shared decoder.
struct TraceeMemory<'m>(&'m mut ProcessMemory);

/// Read/write data is not needed by `run --ptrace`'s rules: the snap length is 0.
impl ArgMemory for TraceeMemory<'_> {
    fn string(&mut self, args: &[u64; 6], arg: usize) -> Bytes {
        read_string(self.0, args[arg])
    }

    fn sockaddr(&mut self, args: &[u64; 6], arg: usize, len: u64) -> Option<SockAddr> {
        read_sockaddr(self.0, args[arg], len)
    }

    fn peer(&mut self, args: &[u64; 6]) -> Option<SockAddr> {
        let len = read_u32(self.0, args[2])?;
        read_sockaddr(self.0, args[1], u64::from(len))
    }

    fn fd_pair(&mut self, args: &[u64; 6], arg: usize) -> Option<[i32; 2]> {
        let at = args[arg];
        Some([
            read_u32(self.0, at)? as i32,
            read_u32(self.0, at + 4)? as i32,
        ])
    }

    fn open_how(&mut self, args: &[u64; 6]) -> (u64, u32) {
        // struct open_how { u64 flags; u64 mode; u64 resolve; }
        let mut how = [0u8; 16];
        self.0.read(args[2], &mut how);
        let word = |b: &[u8]| u64::from_ne_bytes(b.try_into().unwrap_or([0; 8]));
        (word(&how[..8]), word(&how[8..]) as u32)
    }

    fn data(&mut self, _: &[u64; 6], _: u64) -> (Bytes, bool) {
        (Bytes::default(), true)
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
                let exec = match nr {
                    libc::SYS_execve => {
                        Some((read_string(&mut mem, args[0]), read_argv(&mut mem, args[1])))
                    }
                    libc::SYS_execveat => {
                        Some((read_string(&mut mem, args[1]), read_argv(&mut mem, args[2])))
                    }
                    _ => None,
                };
                self.in_flight.insert(tid, InFlight { nr, args, exec });
                true
            }
            Stop::SyscallExit { ret, .. } => {
                let Some(call) = self.in_flight.remove(&tid) else {
                    return false;
                };
                // A successful exec was reported at its exec stop.
                if call.exec.is_some() && ret == 0 {
                    return false;
                }
                let mut mem = ProcessMemory::new(tid);
                let detail = match call.exec {
                    // The path as read at entry: a failed exec's memory is still there, but
                    // this is what the call was given.
                    Some((path, _)) => SyscallDetail::ExecFailed {
                        dirfd: if call.nr == libc::SYS_execveat {
                            call.args[0] as i32
                        } else {
                            saker_event::syscall_event::AT_FDCWD
                        },
                        path,
                    },
                    None => decode_detail(call.nr, call.args, ret, &mut TraceeMemory(&mut mem)),
                };
                if matches!(detail, SyscallDetail::SetIds { .. }) {
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
                        off_cpu_ns: None,
                        detail,
                    }),
                };
                self.push(&event);
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
                self.push(&event);
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
                    Some(InFlight {
                        nr,
                        exec: Some((filename, argv)),
                        ..
                    }) => (nr, filename, argv),
                    _ => (libc::SYS_execve, Bytes::default(), Vec::new()),
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
                        envp: None,
                        old_tid: former_pid as u32,
                        vtid: tid as u32,
                        vpid: header.pid,
                        loginuid,
                        tty,
                        // The tracee is stopped at its exec: the state reads /proc.
                        caps: None,
                        exe_upper_layer: false,
                    }),
                };
                self.push(&event);
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
    /// Hands an event over; once the sink said stop, nothing more is.
    fn push(&mut self, event: &SyscallEvent) {
        if !self.stopped && self.sink.event(event) != Flow::Continue {
            self.stopped = true;
        }
    }

    fn exit(&mut self, tid: i32, status: i32) {
        let header = self.header(tid);
        let process_exited = header.pid == tid as u32;
        self.identities.remove(&tid);
        self.in_flight.remove(&tid);
        self.push(&SyscallEvent {
            header,
            body: EventBody::Exit {
                status,
                process_exited,
            },
        });
    }
}

/// One command's process tree under ptrace.
pub struct PtraceSource {
    /// The command and its arguments.
    pub command: Vec<String>,
    /// The syscalls to stop at (a seccomp filter keeps the others running at full speed).
    pub syscalls: BTreeSet<i64>,
}

impl Source for PtraceSource {
    /// Only the command's tree: no /proc walk; processes are read as they appear.
    fn state_options(&self) -> StateOptions {
        StateOptions::default()
    }

    fn run(&mut self, sink: &mut dyn Sink) -> Result<Ended, SourceError> {
        let args: Vec<OsString> = self.command.iter().map(OsString::from).collect();
        let command = Command::new(&args)?;
        let options = Options {
            follow_forks: true,
            seccomp_filter: Some(self.syscalls.iter().map(|&nr| nr as u32).collect()),
            spin: Some(saker_ptrace::DEFAULT_SPIN),
            ..Options::default()
        };
        sink.ready();
        let mut adapter = Adapter {
            sink,
            stopped: false,
            interesting: self.syscalls.clone(),
            in_flight: HashMap::new(),
            identities: HashMap::new(),
        };
        let tracer = Tracer::start(options, Target::Spawn(command), &mut adapter, &mut |_| {})?;
        let finish = tracer.run(&mut adapter)?;
        adapter.sink.tick(&mut NoCounters);
        let code = match finish {
            saker_ptrace::Finish::Exited(code) => code.clamp(0, 255) as u8,
            saker_ptrace::Finish::Killed(sig) | saker_ptrace::Finish::Interrupted(sig) => {
                (128 + sig).clamp(0, 255) as u8
            }
            saker_ptrace::Finish::Done => 0,
        };
        Ok(Ended {
            exit_code: Some(code),
            ..Ended::default()
        })
    }
}
