//! The engine's view of one captured event: field values computed from the event and the
//! state, on demand.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::{Arc, OnceLock};

use saker_container::ContainerMeta;
use saker_engine::{Engine, Event, EventTypeId, FieldArg, FieldRef, Value};
use saker_event::{EventBody, SyscallDetail, SyscallEvent};
use saker_rules::Source;
use saker_rules::fields::FieldId;

use crate::container::ContainerInfo;
use crate::container_fields::{CONTAINER_FIELDS, ContainerField};
use crate::names;
use crate::path;
use crate::process::ProcessEntry;
use crate::table::{ContainerStarted, EventContext, State, open_mode};

/// Engine event-type ids, resolved once per syscall number.
#[derive(Debug, Clone)]
pub struct EventTypes {
    by_nr: Vec<EventTypeId>,
    procexit: EventTypeId,
    container: EventTypeId,
}

const MAX_NR: usize = 512;

impl EventTypes {
    pub fn new(engine: &Engine) -> EventTypes {
        let by_nr = (0..MAX_NR as u64)
            .map(|nr| {
                saker_syscalls::name(nr).map_or(EventTypeId::OTHER, |n| engine.event_type_id(n))
            })
            .collect();
        EventTypes {
            by_nr,
            procexit: engine.event_type_id("procexit"),
            container: engine.event_type_id("container"),
        }
    }

    fn id(&self, nr: i64) -> EventTypeId {
        usize::try_from(nr)
            .ok()
            .and_then(|i| self.by_nr.get(i))
            .copied()
            .unwrap_or(EventTypeId::OTHER)
    }
}

/// `evt.type` of an event, or `None` for events the rules never see: forks (the clone exit
/// is the event), and failed execs, whose process fields are the caller's (the default
/// rules' `spawned_process` does not test the result, so a shell's `PATH` search would
/// look like the shell being spawned again).
pub fn event_type_name(event: &SyscallEvent) -> Option<&'static str> {
    match &event.body {
        // A signal record comes from a tracer's capture only (`saker trace --ebpf`).
        EventBody::Fork { .. } | EventBody::Signal { .. } => None,
        EventBody::Exec(info) => saker_syscalls::name(info.nr as u64).or(Some("execve")),
        EventBody::Exit { .. } => Some("procexit"),
        EventBody::Syscall(exit) => match exit.detail {
            SyscallDetail::ExecFailed { .. } => None,
            _ => saker_syscalls::name(exit.nr as u64),
        },
    }
}

/// One event with its state, as the engine reads it.
pub struct LiveEvent<'a> {
    pub(crate) state: &'a State,
    event: &'a SyscallEvent,
    ctx: &'a EventContext,
    pub(crate) process: Option<&'a ProcessEntry>,
    /// The container the event happened in; `None` on the host.
    pub(crate) container: Option<&'a ContainerInfo>,
    /// The container's metadata, read once per event when a field asks.
    meta: OnceCell<Option<Arc<ContainerMeta>>>,
    type_id: EventTypeId,
    type_name: &'static str,
    num: u64,
}

impl<'a> LiveEvent<'a> {
    /// The view of `event`, after [`State::apply`] returned `ctx` for it. `None` for events
    /// the rules do not see (see [`event_type_name`]). `num` is `evt.num`.
    pub fn new(
        state: &'a State,
        types: &EventTypes,
        event: &'a SyscallEvent,
        ctx: &'a EventContext,
        num: u64,
    ) -> Option<LiveEvent<'a>> {
        let type_name = event_type_name(event)?;
        let type_id = match &event.body {
            EventBody::Exec(info) => types.id(info.nr),
            EventBody::Exit { .. } => types.procexit,
            EventBody::Syscall(exit) => types.id(exit.nr),
            EventBody::Fork { .. } | EventBody::Signal { .. } => return None,
        };
        let process = state.process(event.header.pid);
        Some(LiveEvent {
            state,
            event,
            ctx,
            process,
            container: process.and_then(|p| p.container.as_deref()),
            meta: OnceCell::new(),
            type_id,
            type_name,
            num,
        })
    }

    /// Falco's `container` event (`evt.type = container`) for a container whose first
    /// process ran: the container's fields, and its first process as it was at its exec.
    pub fn container_started(
        state: &'a State,
        types: &EventTypes,
        started: &'a ContainerStarted,
        ctx: &'a EventContext,
        num: u64,
    ) -> LiveEvent<'a> {
        LiveEvent {
            state,
            event: &started.event,
            ctx,
            process: Some(&started.process),
            container: Some(&started.container),
            meta: OnceCell::new(),
            type_id: types.container,
            type_name: "container",
            num,
        }
    }

    /// The metadata of the event's container, once its runtime has answered.
    pub(crate) fn container_meta(&self) -> Option<&ContainerMeta> {
        self.meta
            .get_or_init(|| self.container.and_then(ContainerInfo::meta))
            .as_deref()
    }

    fn ancestor(&self, level: u64) -> Option<&'a ProcessEntry> {
        let mut p = self.process?;
        for _ in 0..level {
            if p.ppid == 0 || p.ppid == p.pid {
                return None;
            }
            p = self.state.process(p.ppid)?;
        }
        Some(p)
    }

    pub(crate) fn ancestors(&self) -> impl Iterator<Item = &'a ProcessEntry> + '_ {
        (1..64).map_while(move |level| self.ancestor(level))
    }

    fn syscall(&self) -> Option<(i64, &'a SyscallDetail, [u64; 6])> {
        match &self.event.body {
            EventBody::Syscall(exit) => Some((exit.ret, &exit.detail, exit.args)),
            _ => None,
        }
    }

    fn ret(&self) -> Option<i64> {
        match &self.event.body {
            EventBody::Syscall(exit) => Some(exit.ret),
            EventBody::Exec(_) => Some(0),
            _ => None,
        }
    }

    /// An ancestor's text field: `[N]` the Nth ancestor's, without an index every ancestor's
    /// (Falco's `proc.aname`, `proc.aexepath`).
    fn ancestor_field(
        &self,
        arg: Option<&FieldArg>,
        text: impl Fn(&ProcessEntry) -> &String,
    ) -> Option<Value<'a>> {
        match arg {
            Some(FieldArg::Index(i)) => self.ancestor(*i).map(|a| Value::str(text(a))),
            _ => Some(Value::List(Cow::Owned(
                self.ancestors()
                    .map(|a| Value::Str(Cow::Owned(text(a).clone())))
                    .collect(),
            ))),
        }
    }

    fn open_flags(&self) -> Option<u64> {
        match self.syscall()?.1 {
            SyscallDetail::Open { flags, .. } => Some(*flags),
            _ => None,
        }
    }

    fn arg(&self, arg: &FieldArg) -> Option<Value<'a>> {
        use SyscallDetail as D;
        let (ret, detail, raw) = self.syscall()?;
        let key: Cow<'_, str> = match arg {
            FieldArg::Key(k) => Cow::Borrowed(k.as_str()),
            FieldArg::Index(i) => {
                // By position: the kernel's argument names (evt.arg[0] of openat is dirfd).
                let nr = match &self.event.body {
                    EventBody::Syscall(exit) => exit.nr as u64,
                    _ => return None,
                };
                let name = saker_syscalls::arg_names(nr).get(*i as usize)?;
                Cow::Borrowed(*name)
            }
        };
        let owned = |s: String| Some(Value::Str(Cow::Owned(s)));
        match (key.as_ref(), detail) {
            ("res", _) => Some(Value::Int(ret)),
            // For calls that create an fd, Falco's `fd` argument is the new one.
            ("fd", D::Open { .. } | D::Socket { .. } | D::MemfdCreate { .. }) => {
                Some(Value::Int(ret))
            }
            ("flags", D::Open { flags, .. }) => owned(names::open_flags(*flags as u32)),
            ("mode", D::Open { mode, .. } | D::Mkdir { mode, .. } | D::Chmod { mode, .. }) => {
                owned(names::mode(*mode))
            }
            ("name" | "path" | "filename" | "pathname", D::Open { .. }) => {
                self.ctx.fd.as_ref().map(|e| Value::str(e.name.as_str()))
            }
            ("name" | "path" | "filename" | "pathname", _) => {
                self.ctx.fs_name.as_deref().map(Value::str)
            }
            ("domain", D::Socket { domain, .. }) => owned(names::socket_domain(*domain)),
            ("type", D::Socket { kind, .. }) => Some(Value::Int(i64::from(*kind))),
            ("request", D::Ptrace { request, .. }) => owned(names::ptrace_request(*request)),
            ("pid", D::Ptrace { pid, .. } | D::Kill { pid, .. }) => {
                Some(Value::Int(i64::from(*pid)))
            }
            ("sig", D::Kill { sig, .. }) => Some(Value::Int(i64::from(*sig))),
            ("fd" | "oldfd", _) => self.ctx.fd_num.map(Value::Int),
            ("uid", D::Chown { uid, .. }) => Some(Value::UInt(u64::from(*uid))),
            ("gid", D::Chown { gid, .. }) => Some(Value::UInt(u64::from(*gid))),
            ("nstype", D::Setns { nstype, .. }) => Some(Value::Int(i64::from(*nstype))),
            ("target", D::Symlink { .. }) | ("oldpath", _) => {
                self.ctx.fs_source.as_deref().map(Value::str)
            }
            ("linkpath" | "newpath", _) => self.ctx.fs_target.as_deref().map(Value::str),
            // Anything else by name: the raw register of a known argument name.
            (name, _) => {
                let nr = match &self.event.body {
                    EventBody::Syscall(exit) => exit.nr as u64,
                    _ => return None,
                };
                let i = saker_syscalls::arg_names(nr)
                    .iter()
                    .position(|n| *n == name)?;
                Some(Value::UInt(raw[i]))
            }
        }
    }

    fn env(&self, key: Option<&FieldArg>) -> Option<Value<'a>> {
        if !self.state.options().read_proc {
            return None;
        }
        let vars = saker_proc::Process::open(self.event.header.pid)
            .ok()?
            .environ()
            .ok()?;
        match key {
            Some(FieldArg::Key(k)) => vars
                .into_iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| Value::Str(Cow::Owned(v))),
            _ => Some(Value::Str(Cow::Owned(
                vars.iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ))),
        }
    }

    fn user_name(&self, uid: u32) -> Option<Value<'a>> {
        self.state.user_name(uid).map(Value::str)
    }
}

/// The live fields, each a small integer: the registry is matched by name once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Live {
    EvtType,
    EvtTime,
    EvtDir,
    EvtNum,
    EvtRawres,
    EvtRes,
    EvtFailed,
    EvtIsOpenRead,
    EvtIsOpenWrite,
    EvtArg,
    EvtRawarg,
    ProcName,
    ProcPid,
    ProcVpid,
    ProcPpid,
    ProcPname,
    ProcExe,
    ProcExepath,
    ProcPexe,
    ProcPexepath,
    ProcArgs,
    ProcCmdline,
    ProcPcmdline,
    ProcCwd,
    ProcTty,
    ProcDuration,
    ProcAname,
    ProcAexepath,
    ProcApid,
    ProcEnv,
    ProcIsExeFromMemfd,
    ProcIsExeUpperLayer,
    ProcNthreads,
    ProcLoginshellid,
    ThreadTid,
    ThreadCapEffective,
    ThreadCapPermitted,
    ThreadCapInheritable,
    UserUid,
    UserName,
    UserLoginuid,
    UserLoginname,
    GroupGid,
    GroupName,
    FdNum,
    FdName,
    FdNameraw,
    FdDirectory,
    FdFilename,
    FdType,
    FdTypechar,
    FdSip,
    FdSport,
    FdCip,
    FdCport,
    FdRip,
    FdRport,
    FdLip,
    FdLport,
    FsPathName,
    FsPathSource,
    FsPathTarget,
    Container(ContainerField),
}

const LIVE_FIELDS: &[(&str, Live)] = &[
    ("evt.type", Live::EvtType),
    ("evt.time", Live::EvtTime),
    ("evt.rawtime", Live::EvtTime),
    ("evt.dir", Live::EvtDir),
    ("evt.num", Live::EvtNum),
    ("evt.rawres", Live::EvtRawres),
    ("evt.res", Live::EvtRes),
    ("evt.failed", Live::EvtFailed),
    ("evt.is_open_read", Live::EvtIsOpenRead),
    ("evt.is_open_write", Live::EvtIsOpenWrite),
    ("evt.arg", Live::EvtArg),
    ("evt.rawarg", Live::EvtRawarg),
    ("proc.name", Live::ProcName),
    ("proc.pid", Live::ProcPid),
    ("proc.vpid", Live::ProcVpid),
    ("proc.ppid", Live::ProcPpid),
    ("proc.pname", Live::ProcPname),
    ("proc.exe", Live::ProcExe),
    ("proc.exepath", Live::ProcExepath),
    ("proc.pexe", Live::ProcPexe),
    ("proc.pexepath", Live::ProcPexepath),
    ("proc.args", Live::ProcArgs),
    ("proc.cmdline", Live::ProcCmdline),
    ("proc.pcmdline", Live::ProcPcmdline),
    ("proc.cwd", Live::ProcCwd),
    ("proc.tty", Live::ProcTty),
    ("proc.duration", Live::ProcDuration),
    ("proc.aname", Live::ProcAname),
    ("proc.aexepath", Live::ProcAexepath),
    ("proc.apid", Live::ProcApid),
    ("proc.env", Live::ProcEnv),
    ("proc.is_exe_from_memfd", Live::ProcIsExeFromMemfd),
    ("proc.is_exe_upper_layer", Live::ProcIsExeUpperLayer),
    ("proc.nthreads", Live::ProcNthreads),
    ("proc.loginshellid", Live::ProcLoginshellid),
    ("thread.tid", Live::ThreadTid),
    ("thread.cap_effective", Live::ThreadCapEffective),
    ("thread.cap_permitted", Live::ThreadCapPermitted),
    ("thread.cap_inheritable", Live::ThreadCapInheritable),
    ("user.uid", Live::UserUid),
    ("user.name", Live::UserName),
    ("user.loginuid", Live::UserLoginuid),
    ("user.loginname", Live::UserLoginname),
    ("group.gid", Live::GroupGid),
    ("group.name", Live::GroupName),
    ("fd.num", Live::FdNum),
    ("fd.name", Live::FdName),
    ("fd.nameraw", Live::FdNameraw),
    ("fd.directory", Live::FdDirectory),
    ("fd.filename", Live::FdFilename),
    ("fd.type", Live::FdType),
    ("fd.typechar", Live::FdTypechar),
    ("fd.sip", Live::FdSip),
    ("fd.sport", Live::FdSport),
    ("fd.cip", Live::FdCip),
    ("fd.cport", Live::FdCport),
    ("fd.rip", Live::FdRip),
    ("fd.rport", Live::FdRport),
    ("fd.lip", Live::FdLip),
    ("fd.lport", Live::FdLport),
    ("fs.path.name", Live::FsPathName),
    ("fs.path.source", Live::FsPathSource),
    ("fs.path.target", Live::FsPathTarget),
];

/// Every live field with its name: the process/fd/event ones and the container ones.
fn all_live_fields() -> impl Iterator<Item = (&'static str, Live)> {
    LIVE_FIELDS.iter().copied().chain(
        CONTAINER_FIELDS
            .iter()
            .map(|(name, field)| (*name, Live::Container(*field))),
    )
}

/// The names of the fields that live events fill (for `saker fields`).
pub fn live_field_names() -> impl Iterator<Item = &'static str> {
    all_live_fields().map(|(n, _)| n)
}

fn live(id: FieldId) -> Option<Live> {
    static TABLE: OnceLock<Vec<Option<Live>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = vec![None; saker_rules::fields::all().len()];
        for (name, live) in all_live_fields() {
            if let Some(id) = saker_rules::fields::lookup(name) {
                table[id.0 as usize] = Some(live);
            }
        }
        table
    });
    table.get(id.0 as usize).copied().flatten()
}

fn str_owned<'a>(s: String) -> Option<Value<'a>> {
    Some(Value::Str(Cow::Owned(s)))
}

impl Event for LiveEvent<'_> {
    fn source(&self) -> Source {
        Source::Syscall
    }

    fn event_type(&self) -> EventTypeId {
        self.type_id
    }

    fn time_ns(&self) -> u64 {
        self.event.header.ts_ns
    }

    fn value(&self, field: &FieldRef) -> Option<Value<'_>> {
        let h = &self.event.header;
        let p = self.process;
        let fd = self.ctx.fd.as_deref();
        match live(field.id)? {
            Live::EvtType => Some(Value::str(self.type_name)),
            Live::EvtTime => Some(Value::UInt(h.ts_ns)),
            Live::EvtDir => Some(Value::str("<")),
            Live::EvtNum => Some(Value::UInt(self.num)),
            Live::EvtRawres => self.ret().map(Value::Int),
            Live::EvtRes => self.ret().map(|r| {
                if !(-4095..0).contains(&r) {
                    Value::str("SUCCESS")
                } else {
                    Value::str(saker_syscalls::errno_name((-r) as i32).unwrap_or("E?"))
                }
            }),
            Live::EvtFailed => self.ret().map(|r| Value::Bool((-4095..0).contains(&r))),
            Live::EvtIsOpenRead => self.open_flags().map(|f| Value::Bool(open_mode(f).0)),
            Live::EvtIsOpenWrite => self.open_flags().map(|f| Value::Bool(open_mode(f).1)),
            Live::EvtArg => self.arg(field.arg.as_ref()?),
            Live::EvtRawarg => match self.arg(field.arg.as_ref()?)? {
                v @ (Value::Int(_) | Value::UInt(_)) => Some(v),
                _ => None,
            },
            Live::ProcName => p.map(|p| Value::str(&p.comm)),
            Live::ProcPid => Some(Value::Int(i64::from(h.pid))),
            Live::ProcVpid => p.map(|p| Value::Int(i64::from(p.vpid))),
            Live::ProcPpid => Some(Value::Int(i64::from(h.ppid))),
            Live::ProcPname => self.ancestor(1).map(|a| Value::str(&a.comm)),
            Live::ProcExe => p.map(|p| Value::str(&p.exe)),
            Live::ProcExepath => p.map(|p| Value::str(&p.exepath)),
            Live::ProcPexe => self.ancestor(1).map(|a| Value::str(&a.exe)),
            Live::ProcPexepath => self.ancestor(1).map(|a| Value::str(&a.exepath)),
            Live::ProcArgs => p.and_then(|p| str_owned(p.args_joined())),
            Live::ProcCmdline => p.and_then(|p| str_owned(p.cmdline())),
            Live::ProcPcmdline => self.ancestor(1).and_then(|a| str_owned(a.cmdline())),
            Live::ProcCwd => p.map(|p| Value::str(&p.cwd)),
            Live::ProcTty => p.map(|p| Value::UInt(u64::from(p.tty))),
            Live::ProcDuration => p
                .filter(|p| p.start_ns != 0)
                .map(|p| Value::UInt(h.ts_ns.saturating_sub(p.start_ns))),
            Live::ProcAname => self.ancestor_field(field.arg.as_ref(), |a| &a.comm),
            Live::ProcAexepath => self.ancestor_field(field.arg.as_ref(), |a| &a.exepath),
            Live::ProcApid => match &field.arg {
                Some(FieldArg::Index(i)) => self.ancestor(*i).map(|a| Value::Int(i64::from(a.pid))),
                _ => Some(Value::List(Cow::Owned(
                    self.ancestors()
                        .map(|a| Value::Int(i64::from(a.pid)))
                        .collect(),
                ))),
            },
            Live::ProcEnv => self.env(field.arg.as_ref()),
            Live::ProcIsExeFromMemfd => p.map(|p| Value::Bool(p.exe_from_memfd)),
            Live::ProcIsExeUpperLayer => p.map(|p| Value::Bool(p.exe_upper_layer)),
            Live::ProcNthreads => p.map(|p| Value::UInt(u64::from(p.threads))),
            Live::ProcLoginshellid => {
                // The pid of the outermost shell among the ancestors (Falco's definition).
                let shells = [
                    "sh", "bash", "ash", "dash", "zsh", "ksh", "csh", "tcsh", "fish",
                ];
                let mut found = None;
                for a in std::iter::once(p?).chain(self.ancestors()) {
                    if shells.contains(&a.comm.as_str()) {
                        found = Some(a.pid);
                    }
                }
                found.map(|pid| Value::Int(i64::from(pid)))
            }
            Live::ThreadTid => Some(Value::Int(i64::from(h.tid))),
            Live::ThreadCapEffective | Live::ThreadCapPermitted | Live::ThreadCapInheritable => {
                let caps = match p.and_then(|p| p.caps) {
                    Some(c) => c,
                    None if self.state.options().read_proc => {
                        crate::seed::read_capabilities(h.pid)?
                    }
                    None => return None,
                };
                let set = match live(field.id)? {
                    Live::ThreadCapEffective => caps.effective,
                    Live::ThreadCapPermitted => caps.permitted,
                    _ => caps.inheritable,
                };
                str_owned(names::capabilities(set))
            }
            Live::UserUid => Some(Value::UInt(u64::from(h.euid))),
            Live::UserName => self.user_name(h.euid),
            Live::UserLoginuid => p.map(|p| Value::Int(p.loginuid.map_or(-1, i64::from))),
            Live::UserLoginname => p
                .and_then(|p| p.loginuid)
                .and_then(|uid| self.user_name(uid)),
            Live::GroupGid => Some(Value::UInt(u64::from(h.egid))),
            Live::GroupName => self.state.group_name(h.egid).map(Value::str),
            Live::FdNum => self.ctx.fd_num.map(Value::Int),
            Live::FdName => fd
                .filter(|e| !e.name.is_empty())
                .map(|e| Value::str(&e.name)),
            // The path as the open passed it, unresolved (Falco's directory traversal rule
            // reads it); the table keeps only resolved names, so other events have none.
            Live::FdNameraw => match self.syscall()?.1 {
                SyscallDetail::Open { path, .. } => Some(match path.to_string_lossy() {
                    Cow::Borrowed(s) => Value::str(s),
                    Cow::Owned(s) => Value::Str(Cow::Owned(s)),
                }),
                _ => None,
            },
            Live::FdDirectory => fd
                .filter(|e| {
                    matches!(
                        e.kind,
                        crate::FdKind::File | crate::FdKind::Directory | crate::FdKind::Memfd
                    )
                })
                .map(|e| Value::str(path::directory(&e.name))),
            Live::FdFilename => fd
                .filter(|e| {
                    matches!(
                        e.kind,
                        crate::FdKind::File | crate::FdKind::Directory | crate::FdKind::Memfd
                    )
                })
                .map(|e| Value::str(path::file_name(&e.name))),
            Live::FdType => fd.map(|e| Value::str(e.kind.name())),
            Live::FdTypechar => fd.map(|e| Value::str(e.kind.typechar())),
            Live::FdSip => fd.and_then(|e| e.server()).map(|a| Value::Ip(a.ip())),
            Live::FdSport => fd
                .and_then(|e| e.server())
                .map(|a| Value::UInt(u64::from(a.port()))),
            Live::FdCip => fd.and_then(|e| e.client_end()).map(|a| Value::Ip(a.ip())),
            Live::FdCport => fd
                .and_then(|e| e.client_end())
                .map(|a| Value::UInt(u64::from(a.port()))),
            Live::FdRip => fd.and_then(|e| e.remote).map(|a| Value::Ip(a.ip())),
            Live::FdRport => fd
                .and_then(|e| e.remote)
                .map(|a| Value::UInt(u64::from(a.port()))),
            Live::FdLip => fd.and_then(|e| e.local).map(|a| Value::Ip(a.ip())),
            Live::FdLport => fd
                .and_then(|e| e.local)
                .map(|a| Value::UInt(u64::from(a.port()))),
            Live::FsPathName => self.ctx.fs_name.as_deref().map(Value::str),
            Live::FsPathSource => self.ctx.fs_source.as_deref().map(Value::str),
            Live::FsPathTarget => self.ctx.fs_target.as_deref().map(Value::str),
            Live::Container(which) => self.container_value(which, field.arg.as_ref()),
        }
    }
}
