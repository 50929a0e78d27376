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
    /// Whether some loaded rule can match an event of each type (by `EventTypeId`).
    matchable: Vec<bool>,
}

const MAX_NR: usize = 512;

impl EventTypes {
    pub fn new(engine: &Engine) -> EventTypes {
        let by_nr: Vec<EventTypeId> = (0..MAX_NR as u64)
            .map(|nr| {
                saker_syscalls::name(nr).map_or(EventTypeId::OTHER, |n| engine.event_type_id(n))
            })
            .collect();
        let procexit = engine.event_type_id("procexit");
        let container = engine.event_type_id("container");
        let last = by_nr
            .iter()
            .chain([&procexit, &container])
            .map(|id| id.0)
            .max();
        let matchable = (0..=last.unwrap_or(0))
            .map(|id| engine.type_candidate_count(Source::Syscall, EventTypeId(id)) > 0)
            .collect();
        EventTypes {
            by_nr,
            procexit,
            container,
            matchable,
        }
    }

    /// Whether some loaded rule can match `event`. `false` for an event of a type no rule
    /// names when no rule goes without an `evt.type` test (a close, under the default rules):
    /// its [`LiveEvent`] need not be built, the rules would not look at it.
    pub fn can_match(&self, event: &SyscallEvent) -> bool {
        self.type_id(event)
            .and_then(|id| self.matchable.get(usize::from(id.0)))
            .copied()
            .unwrap_or(false)
    }

    /// The engine's type id of an event the rules see.
    fn type_id(&self, event: &SyscallEvent) -> Option<EventTypeId> {
        match &event.body {
            EventBody::Exec(info) => Some(self.id(info.nr)),
            EventBody::Exit { .. } => Some(self.procexit),
            EventBody::Syscall(exit) => Some(self.id(exit.nr)),
            EventBody::Fork { .. } | EventBody::Signal { .. } => None,
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
        let type_id = types.type_id(event)?;
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
}

/// The live fields, each a small integer: the registry is matched by name once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Live {
    /// Text the event or the state holds: lent as is ([`Event::str_value`]).
    Text(TextField),
    /// A number or a flag ([`Event::int_value`]).
    Number(NumberField),
    EvtArg,
    EvtRawarg,
    ProcArgs,
    ProcCmdline,
    ProcPcmdline,
    ProcAname,
    ProcAexepath,
    ProcApid,
    ProcEnv,
    ProcLoginshellid,
    ThreadCapEffective,
    ThreadCapPermitted,
    ThreadCapInheritable,
    FdNameraw,
    FdSip,
    FdCip,
    FdRip,
    FdLip,
    /// `fd.ip`, `fd.net`: both ends' addresses, as a list the engine matches end by end.
    FdIp,
    /// `fd.port`: both ends' ports.
    FdPort,
    Container(ContainerField),
}

/// The fields whose value is a string the event or the state already holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextField {
    EvtType,
    EvtDir,
    EvtRes,
    ProcName,
    ProcPname,
    ProcExe,
    ProcExepath,
    ProcPexe,
    ProcPexepath,
    ProcCwd,
    UserName,
    UserLoginname,
    GroupName,
    FdName,
    FdDirectory,
    FdFilename,
    FdType,
    FdTypechar,
    FdL4proto,
    FdSockfamily,
    FsPathName,
    FsPathSource,
    FsPathTarget,
}

/// The fields whose value is a number or a flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberField {
    EvtTime,
    EvtNum,
    EvtRawres,
    EvtFailed,
    EvtIsOpenRead,
    EvtIsOpenWrite,
    ProcPid,
    ProcVpid,
    ProcPpid,
    ProcTty,
    ProcDuration,
    ProcIsExeFromMemfd,
    ProcIsExeUpperLayer,
    ProcNthreads,
    ThreadTid,
    UserUid,
    UserLoginuid,
    GroupGid,
    FdNum,
    FdSport,
    FdCport,
    FdRport,
    FdLport,
    FdIsServer,
    FdConnected,
    FdNameChanged,
}

/// The value of a [`NumberField`], typed as the field's `Value` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Number {
    Int(i64),
    UInt(u64),
    Bool(bool),
}

impl Number {
    fn into_value<'v>(self) -> Value<'v> {
        match self {
            Number::Int(n) => Value::Int(n),
            Number::UInt(n) => Value::UInt(n),
            Number::Bool(b) => Value::Bool(b),
        }
    }

    /// As the engine's numeric checks read it (`Value::as_number`); `None` past `i64`.
    fn as_i64(self) -> Option<i64> {
        match self {
            Number::Int(n) => Some(n),
            Number::UInt(n) => i64::try_from(n).ok(),
            Number::Bool(b) => Some(i64::from(b)),
        }
    }
}

use NumberField as N;
use TextField as T;

const LIVE_FIELDS: &[(&str, Live)] = &[
    ("evt.type", Live::Text(T::EvtType)),
    ("evt.time", Live::Number(N::EvtTime)),
    ("evt.rawtime", Live::Number(N::EvtTime)),
    ("evt.dir", Live::Text(T::EvtDir)),
    ("evt.num", Live::Number(N::EvtNum)),
    ("evt.rawres", Live::Number(N::EvtRawres)),
    ("evt.res", Live::Text(T::EvtRes)),
    ("evt.failed", Live::Number(N::EvtFailed)),
    ("evt.is_open_read", Live::Number(N::EvtIsOpenRead)),
    ("evt.is_open_write", Live::Number(N::EvtIsOpenWrite)),
    ("evt.arg", Live::EvtArg),
    ("evt.rawarg", Live::EvtRawarg),
    ("proc.name", Live::Text(T::ProcName)),
    ("proc.pid", Live::Number(N::ProcPid)),
    ("proc.vpid", Live::Number(N::ProcVpid)),
    ("proc.ppid", Live::Number(N::ProcPpid)),
    ("proc.pname", Live::Text(T::ProcPname)),
    ("proc.exe", Live::Text(T::ProcExe)),
    ("proc.exepath", Live::Text(T::ProcExepath)),
    ("proc.pexe", Live::Text(T::ProcPexe)),
    ("proc.pexepath", Live::Text(T::ProcPexepath)),
    ("proc.args", Live::ProcArgs),
    ("proc.cmdline", Live::ProcCmdline),
    ("proc.pcmdline", Live::ProcPcmdline),
    ("proc.cwd", Live::Text(T::ProcCwd)),
    ("proc.tty", Live::Number(N::ProcTty)),
    ("proc.duration", Live::Number(N::ProcDuration)),
    ("proc.aname", Live::ProcAname),
    ("proc.aexepath", Live::ProcAexepath),
    ("proc.apid", Live::ProcApid),
    ("proc.env", Live::ProcEnv),
    (
        "proc.is_exe_from_memfd",
        Live::Number(N::ProcIsExeFromMemfd),
    ),
    (
        "proc.is_exe_upper_layer",
        Live::Number(N::ProcIsExeUpperLayer),
    ),
    ("proc.nthreads", Live::Number(N::ProcNthreads)),
    ("proc.loginshellid", Live::ProcLoginshellid),
    ("thread.tid", Live::Number(N::ThreadTid)),
    ("thread.cap_effective", Live::ThreadCapEffective),
    ("thread.cap_permitted", Live::ThreadCapPermitted),
    ("thread.cap_inheritable", Live::ThreadCapInheritable),
    ("user.uid", Live::Number(N::UserUid)),
    ("user.name", Live::Text(T::UserName)),
    ("user.loginuid", Live::Number(N::UserLoginuid)),
    ("user.loginname", Live::Text(T::UserLoginname)),
    ("group.gid", Live::Number(N::GroupGid)),
    ("group.name", Live::Text(T::GroupName)),
    ("fd.num", Live::Number(N::FdNum)),
    ("fd.name", Live::Text(T::FdName)),
    ("fd.nameraw", Live::FdNameraw),
    ("fd.directory", Live::Text(T::FdDirectory)),
    ("fd.filename", Live::Text(T::FdFilename)),
    ("fd.type", Live::Text(T::FdType)),
    ("fd.typechar", Live::Text(T::FdTypechar)),
    ("fd.sip", Live::FdSip),
    ("fd.sport", Live::Number(N::FdSport)),
    ("fd.cip", Live::FdCip),
    ("fd.cport", Live::Number(N::FdCport)),
    ("fd.rip", Live::FdRip),
    ("fd.rport", Live::Number(N::FdRport)),
    ("fd.lip", Live::FdLip),
    ("fd.lport", Live::Number(N::FdLport)),
    ("fd.ip", Live::FdIp),
    ("fd.net", Live::FdIp),
    ("fd.port", Live::FdPort),
    ("fd.cnet", Live::FdCip),
    ("fd.snet", Live::FdSip),
    ("fd.lnet", Live::FdLip),
    ("fd.rnet", Live::FdRip),
    // The addresses behind `fd.*ip.name`: the engine compares them with the addresses of the
    // rules' domain names and prints the name that holds them.
    ("fd.sip.name", Live::FdSip),
    ("fd.cip.name", Live::FdCip),
    ("fd.lip.name", Live::FdLip),
    ("fd.rip.name", Live::FdRip),
    ("fd.l4proto", Live::Text(T::FdL4proto)),
    ("fd.sockfamily", Live::Text(T::FdSockfamily)),
    ("fd.is_server", Live::Number(N::FdIsServer)),
    ("fd.connected", Live::Number(N::FdConnected)),
    ("fd.name_changed", Live::Number(N::FdNameChanged)),
    ("fs.path.name", Live::Text(T::FsPathName)),
    ("fs.path.source", Live::Text(T::FsPathSource)),
    ("fs.path.target", Live::Text(T::FsPathTarget)),
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

/// One value per end of a socket (`fd.ip`, `fd.port`), a list the engine matches end by end;
/// none when no end is known.
fn ends_value(
    entry: &crate::FdEntry,
    each: impl Fn(std::net::SocketAddr) -> Value<'static>,
) -> Option<Value<'static>> {
    let ends: Vec<Value<'static>> = entry.ends().map(each).collect();
    (!ends.is_empty()).then_some(Value::List(Cow::Owned(ends)))
}

/// Whether an fd entry names a file (`fd.directory` and `fd.filename` have a value).
fn is_file_like(entry: &crate::FdEntry) -> bool {
    matches!(
        entry.kind,
        crate::FdKind::File | crate::FdKind::Directory | crate::FdKind::Memfd
    )
}

impl<'a> LiveEvent<'a> {
    /// A text field's value, lent from the event or the state: the engine compares it where
    /// it lies, without a [`Value`] built and dropped per check.
    fn text(&self, which: TextField) -> Option<&'a str> {
        let h = &self.event.header;
        let p = self.process;
        let fd = self.ctx.fd.as_deref();
        match which {
            T::EvtType => Some(self.type_name),
            T::EvtDir => Some("<"),
            T::EvtRes => self.ret().map(|r| {
                if !(-4095..0).contains(&r) {
                    "SUCCESS"
                } else {
                    saker_syscalls::errno_name((-r) as i32).unwrap_or("E?")
                }
            }),
            T::ProcName => p.map(|p| p.comm.as_str()),
            T::ProcPname => self.ancestor(1).map(|a| a.comm.as_str()),
            T::ProcExe => p.map(|p| p.exe.as_str()),
            T::ProcExepath => p.map(|p| p.exepath.as_str()),
            T::ProcPexe => self.ancestor(1).map(|a| a.exe.as_str()),
            T::ProcPexepath => self.ancestor(1).map(|a| a.exepath.as_str()),
            T::ProcCwd => p.map(|p| p.cwd.as_str()),
            T::UserName => self.state.user_name(h.euid),
            T::UserLoginname => p
                .and_then(|p| p.loginuid)
                .and_then(|uid| self.state.user_name(uid)),
            T::GroupName => self.state.group_name(h.egid),
            T::FdName => fd.filter(|e| !e.name.is_empty()).map(|e| e.name.as_str()),
            T::FdDirectory => fd
                .filter(|e| is_file_like(e))
                .map(|e| path::directory(&e.name)),
            T::FdFilename => fd
                .filter(|e| is_file_like(e))
                .map(|e| path::file_name(&e.name)),
            T::FdType => fd.map(|e| e.kind.name()),
            T::FdTypechar => fd.map(|e| e.kind.typechar()),
            T::FdL4proto => fd.map(|e| e.l4proto_name()),
            T::FdSockfamily => fd.and_then(|e| e.sockfamily()),
            T::FsPathName => self.ctx.fs_name.as_deref(),
            T::FsPathSource => self.ctx.fs_source.as_deref(),
            T::FsPathTarget => self.ctx.fs_target.as_deref(),
        }
    }

    /// A numeric or boolean field's value, without a [`Value`] for the engine's numeric
    /// checks.
    fn number(&self, which: NumberField) -> Option<Number> {
        let h = &self.event.header;
        let p = self.process;
        let fd = self.ctx.fd.as_deref();
        let port =
            |addr: Option<std::net::SocketAddr>| addr.map(|a| Number::UInt(u64::from(a.port())));
        match which {
            N::EvtTime => Some(Number::UInt(h.ts_ns)),
            N::EvtNum => Some(Number::UInt(self.num)),
            N::EvtRawres => self.ret().map(Number::Int),
            N::EvtFailed => self.ret().map(|r| Number::Bool((-4095..0).contains(&r))),
            N::EvtIsOpenRead => self.open_flags().map(|f| Number::Bool(open_mode(f).0)),
            N::EvtIsOpenWrite => self.open_flags().map(|f| Number::Bool(open_mode(f).1)),
            N::ProcPid => Some(Number::Int(i64::from(h.pid))),
            N::ProcVpid => p.map(|p| Number::Int(i64::from(p.vpid))),
            N::ProcPpid => Some(Number::Int(i64::from(h.ppid))),
            N::ProcTty => p.map(|p| Number::UInt(u64::from(p.tty))),
            N::ProcDuration => p
                .filter(|p| p.start_ns != 0)
                .map(|p| Number::UInt(h.ts_ns.saturating_sub(p.start_ns))),
            N::ProcIsExeFromMemfd => p.map(|p| Number::Bool(p.exe_from_memfd)),
            N::ProcIsExeUpperLayer => p.map(|p| Number::Bool(p.exe_upper_layer)),
            N::ProcNthreads => p.map(|p| Number::UInt(u64::from(p.threads))),
            N::ThreadTid => Some(Number::Int(i64::from(h.tid))),
            N::UserUid => Some(Number::UInt(u64::from(h.euid))),
            N::UserLoginuid => p.map(|p| Number::Int(p.loginuid.map_or(-1, i64::from))),
            N::GroupGid => Some(Number::UInt(u64::from(h.egid))),
            N::FdNum => self.ctx.fd_num.map(Number::Int),
            N::FdSport => port(fd.and_then(|e| e.server())),
            N::FdCport => port(fd.and_then(|e| e.client_end())),
            N::FdRport => port(fd.and_then(|e| e.remote)),
            N::FdLport => port(fd.and_then(|e| e.local_end())),
            N::FdIsServer => fd.map(|e| Number::Bool(e.is_server())),
            N::FdConnected => fd.map(|e| Number::Bool(e.connected)),
            N::FdNameChanged => fd.map(|_| Number::Bool(self.ctx.fd_name_changed)),
        }
    }
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

    #[inline]
    fn str_value(&self, field: &FieldRef) -> Option<&str> {
        match live(field.id)? {
            Live::Text(which) => self.text(which),
            _ => None,
        }
    }

    #[inline]
    fn int_value(&self, field: &FieldRef) -> Option<i64> {
        match live(field.id)? {
            Live::Number(which) => self.number(which)?.as_i64(),
            _ => None,
        }
    }

    fn value(&self, field: &FieldRef) -> Option<Value<'_>> {
        let h = &self.event.header;
        let p = self.process;
        let fd = self.ctx.fd.as_deref();
        match live(field.id)? {
            Live::Text(which) => self.text(which).map(Value::str),
            Live::Number(which) => self.number(which).map(Number::into_value),
            Live::EvtArg => self.arg(field.arg.as_ref()?),
            Live::EvtRawarg => match self.arg(field.arg.as_ref()?)? {
                v @ (Value::Int(_) | Value::UInt(_)) => Some(v),
                _ => None,
            },
            Live::ProcArgs => p.and_then(|p| str_owned(p.args_joined())),
            Live::ProcCmdline => p.and_then(|p| str_owned(p.cmdline())),
            Live::ProcPcmdline => self.ancestor(1).and_then(|a| str_owned(a.cmdline())),
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
            // The path as the open passed it, unresolved (Falco's directory traversal rule
            // reads it); the table keeps only resolved names, so other events have none.
            Live::FdNameraw => match self.syscall()?.1 {
                SyscallDetail::Open { path, .. } => Some(Value::Str(path.to_string_lossy())),
                _ => None,
            },
            Live::FdSip => fd.and_then(|e| e.server()).map(|a| Value::Ip(a.ip())),
            Live::FdCip => fd.and_then(|e| e.client_end()).map(|a| Value::Ip(a.ip())),
            Live::FdRip => fd.and_then(|e| e.remote).map(|a| Value::Ip(a.ip())),
            Live::FdLip => fd.and_then(|e| e.local_end()).map(|a| Value::Ip(a.ip())),
            Live::FdIp => fd.and_then(|e| ends_value(e, |a| Value::Ip(a.ip()))),
            Live::FdPort => fd.and_then(|e| ends_value(e, |a| Value::UInt(u64::from(a.port())))),
            Live::Container(which) => self.container_value(which, field.arg.as_ref()),
        }
    }
}
