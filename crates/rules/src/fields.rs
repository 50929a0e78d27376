//! The typed field registry: every field a condition or an output may name.
//!
//! A [`FieldId`] is an index into [`all`], so it is cheap to copy and to switch on; the engine
//! keeps one extractor per id. Names follow libsinsp 0.25 and the container, k8saudit, k8smeta
//! and json plugins (Falco 0.44), so Falco rules files resolve unchanged.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::source::Sources;

/// Index of a field in the registry ([`all`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u16);

impl FieldId {
    pub fn info(self) -> &'static FieldInfo {
        &FIELDS[self.0 as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The type of a field's value (of each element, for list fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    String,
    /// An integer of the given width; `signed` tells i64 from u64 semantics.
    Int {
        signed: bool,
        bits: u8,
    },
    Double,
    Bool,
    /// An IPv4 or IPv6 address.
    Ip,
    /// An address compared against networks (`fd.net = 10.0.0.0/8`).
    IpNet,
    Port,
    /// An absolute filesystem path (compared as a string; `pmatch` is meant for these).
    AbsPath,
    /// A byte buffer (`bcontains`/`bstartswith` take hex).
    Bytes,
    /// An absolute time in nanoseconds since the epoch.
    AbsTime,
    /// A duration in nanoseconds.
    RelTime,
}

impl FieldType {
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldType::Int { .. }
                | FieldType::Double
                | FieldType::Port
                | FieldType::AbsTime
                | FieldType::RelTime
        )
    }

    pub fn is_stringish(self) -> bool {
        matches!(
            self,
            FieldType::String | FieldType::AbsPath | FieldType::Bytes
        )
    }

    /// Short name shown by `saker fields` (close to libsinsp's `PT_*` names).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Int {
                signed: true,
                bits: 16,
            } => "int16",
            FieldType::Int {
                signed: true,
                bits: 32,
            } => "int32",
            FieldType::Int { signed: true, .. } => "int64",
            FieldType::Int {
                signed: false,
                bits: 16,
            } => "uint16",
            FieldType::Int {
                signed: false,
                bits: 32,
            } => "uint32",
            FieldType::Int { signed: false, .. } => "uint64",
            FieldType::Double => "double",
            FieldType::Bool => "bool",
            FieldType::Ip => "ipaddr",
            FieldType::IpNet => "ipnet",
            FieldType::Port => "port",
            FieldType::AbsPath => "abspath",
            FieldType::Bytes => "bytebuf",
            FieldType::AbsTime => "abstime",
            FieldType::RelTime => "reltime",
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of argument a field takes between brackets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArgKind {
    None,
    /// A non-negative integer: `proc.aname[2]`.
    Index,
    /// A string key: `proc.env[HOME]`, `ka.uri.param[command]`, `jevt.value[/a/b]`.
    Key,
    /// Either: `evt.arg[0]` or `evt.arg[flags]`.
    IndexOrKey,
}

/// One field of the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    pub name: &'static str,
    pub ty: FieldType,
    /// The field yields several values (`ka.req.pod.containers.image`, `fd.types`); `intersects`
    /// and `in` compare sets.
    pub list: bool,
    pub description: &'static str,
    pub takes_arg: ArgKind,
    /// The argument must be given (`jevt.value` alone is meaningless).
    pub arg_required: bool,
    /// The argument may also be written after a dot: `evt.arg.flags` = `evt.arg[flags]`.
    pub dotted_arg: bool,
    pub sources: Sources,
    /// libsinsp's `EPF_NO_RHS`: the field cannot be compared with another field (`val()`),
    /// in either position.
    pub no_rhs: bool,
    /// libsinsp's `EPF_NO_TRANSFORMER`: no transformer can be applied to the field.
    pub no_transformer: bool,
    /// libsinsp's `EPF_FILTER_ONLY`: usable in conditions, not in outputs.
    pub filter_only: bool,
    /// Without an argument, a comparison holds when it holds for any of the values (the
    /// ancestors of `proc.aname`, `proc.apid`...), whatever the operator.
    pub any_match: bool,
    /// The values are a socket's two ends (`fd.ip`, `fd.net`, `fd.port`): a comparison holds
    /// when it holds for either end, `!=` when it holds for both (libsinsp's `compare_ip`,
    /// `compare_net`, `compare_port`); `in` too is per end, not "every value in the set".
    pub either_end: bool,
    /// The value is a socket end's address compared with domain names (`fd.sip.name`):
    /// libsinsp's `compare_domain` holds when the address is one the name resolves to, and
    /// only `=`, `!=`, `in` and `exists` compare it.
    pub domain_name: bool,
}

impl FieldInfo {
    const fn new(name: &'static str, ty: FieldType, description: &'static str) -> FieldInfo {
        FieldInfo {
            name,
            ty,
            list: false,
            description,
            takes_arg: ArgKind::None,
            arg_required: false,
            dotted_arg: false,
            sources: Sources::SYSCALL,
            no_rhs: false,
            no_transformer: false,
            filter_only: false,
            any_match: false,
            either_end: false,
            domain_name: false,
        }
    }
    const fn list(mut self) -> Self {
        self.list = true;
        self
    }
    const fn arg(mut self, kind: ArgKind) -> Self {
        self.takes_arg = kind;
        self
    }
    const fn arg_req(mut self, kind: ArgKind) -> Self {
        self.takes_arg = kind;
        self.arg_required = true;
        self
    }
    const fn dotted(mut self) -> Self {
        self.dotted_arg = true;
        self
    }
    /// A field with libsinsp's own comparison logic: no right-hand field, no transformer.
    const fn special(mut self) -> Self {
        self.no_rhs = true;
        self.no_transformer = true;
        self
    }
    const fn filter_only(mut self) -> Self {
        self.filter_only = true;
        self.special()
    }
    /// An ancestor field: without an index, any ancestor matches.
    const fn ancestors(mut self) -> Self {
        self.any_match = true;
        self.special()
    }
    /// A socket's two ends: see [`FieldInfo::either_end`].
    const fn either_end(mut self) -> Self {
        self.either_end = true;
        self.filter_only()
    }
    /// An address compared with domain names: see [`FieldInfo::domain_name`].
    const fn domain_name(mut self) -> Self {
        self.domain_name = true;
        self.special()
    }
    const fn no_rhs(mut self) -> Self {
        self.no_rhs = true;
        self
    }
    const fn any_source(mut self) -> Self {
        self.sources = Sources::ALL;
        self
    }
    const fn k8s_audit(mut self) -> Self {
        self.sources = Sources::K8S_AUDIT;
        self
    }

    /// The field class (`proc` for `proc.aname`, `fs.path` for `fs.path.name`).
    pub fn class(&self) -> &'static str {
        if self.name.starts_with("fs.path.") {
            return "fs.path";
        }
        self.name.split('.').next().unwrap_or(self.name)
    }
}

/// Every field, in display order.
pub fn all() -> &'static [FieldInfo] {
    FIELDS
}

/// Iterates ids with their info.
pub fn iter() -> impl Iterator<Item = (FieldId, &'static FieldInfo)> {
    FIELDS
        .iter()
        .enumerate()
        .map(|(i, f)| (FieldId(i as u16), f))
}

/// Looks a field up by its exact name (no argument).
pub fn lookup(name: &str) -> Option<FieldId> {
    static INDEX: OnceLock<HashMap<&'static str, FieldId>> = OnceLock::new();
    INDEX
        .get_or_init(|| iter().map(|(id, f)| (f.name, id)).collect())
        .get(name)
        .copied()
}

/// Resolves a field as written in a condition, where the argument may be dotted
/// (`evt.arg.flags`): returns the field and the dotted suffix, if any.
pub fn resolve(name: &str) -> Option<(FieldId, Option<&str>)> {
    if let Some(id) = lookup(name) {
        return Some((id, None));
    }
    // Longest registered prefix that accepts a dotted argument.
    let mut end = name.len();
    while let Some(dot) = name[..end].rfind('.') {
        if let Some(id) = lookup(&name[..dot])
            && id.info().dotted_arg
        {
            return Some((id, Some(&name[dot + 1..])));
        }
        end = dot;
    }
    None
}

use ArgKind::{Index, IndexOrKey, Key};
use FieldType::{AbsPath, AbsTime, Bool, Bytes, Double, Ip, IpNet, Port, RelTime, String as Str};

const I16: FieldType = FieldType::Int {
    signed: true,
    bits: 16,
};
const I64: FieldType = FieldType::Int {
    signed: true,
    bits: 64,
};
const U32: FieldType = FieldType::Int {
    signed: false,
    bits: 32,
};
const U64: FieldType = FieldType::Int {
    signed: false,
    bits: 64,
};

const fn f(name: &'static str, ty: FieldType, description: &'static str) -> FieldInfo {
    FieldInfo::new(name, ty, description)
}

/// A k8s audit field (k8saudit plugin).
const fn ka(name: &'static str, ty: FieldType, description: &'static str) -> FieldInfo {
    FieldInfo::new(name, ty, description).k8s_audit()
}

static FIELDS: &[FieldInfo] = &[
    // ---- evt: generic event fields ----
    f("evt.num", U64, "Event number, incremented for every event read.").any_source(),
    f("evt.time", AbsTime, "Event timestamp (nanoseconds since the epoch; printed as a time of day).").any_source(),
    f("evt.time.s", Str, "Event timestamp as a time of day with second precision.").any_source(),
    f("evt.time.iso8601", Str, "Event timestamp in ISO 8601 with nanoseconds and time zone.").any_source(),
    f("evt.datetime", Str, "Event timestamp including the date.").any_source(),
    f("evt.datetime.s", Str, "Event timestamp including the date, second precision.").any_source(),
    f("evt.rawtime", AbsTime, "Absolute event timestamp in nanoseconds since the epoch.").any_source(),
    f("evt.rawtime.s", AbsTime, "Integer part of the event timestamp (seconds).").any_source(),
    f("evt.rawtime.ns", AbsTime, "Fractional part of the event timestamp (nanoseconds).").any_source(),
    f("evt.reltime", RelTime, "Nanoseconds from the start of the capture.").any_source(),
    f("evt.reltime.s", RelTime, "Seconds part of evt.reltime.").any_source(),
    f("evt.reltime.ns", RelTime, "Fractional (nanoseconds) part of evt.reltime.").any_source(),
    f("evt.outputtime", AbsTime, "Timestamp used when printing the event.").any_source(),
    f("evt.hostname", Str, "Name of the host the event happened on.").any_source(),
    f("evt.source", Str, "Name of the event source (syscall, k8s_audit).").any_source(),
    f("evt.pluginname", Str, "Name of the plugin that generated the event, if any.").any_source(),
    f("evt.plugininfo", Str, "Summary of the event as formatted by its plugin.").any_source(),
    f("evt.is_async", Bool, "True if the event was generated asynchronously (not by a system call).").any_source(),
    f("evt.asynctype", Str, "Name of the asynchronous event, if evt.is_async.").any_source(),
    // ---- evt: system call fields ----
    f("evt.type", Str, "Event type: the system call name (open, execve, connect...)."),
    f("evt.type.is", U32, "1 if the event type equals the argument (evt.type.is[open]).").arg_req(Key),
    f("evt.category", Str, "Event category: file, net, memory, process, IPC, signal..."),
    f("evt.cpu", I16, "Number of the CPU where the event happened."),
    f("evt.args", Str, "All event arguments, formatted as text."),
    f("evt.arg", Str, "One event argument, by name (evt.arg.flags, evt.arg[flags]) or index (evt.arg[0]), formatted as text.").arg_req(IndexOrKey).dotted(),
    f("evt.rawarg", I64, "One event argument, by name or index, as its raw value.").arg_req(IndexOrKey).dotted().special(),
    f("evt.info", Str, "For most events, the same as evt.args; for some a more readable text."),
    f("evt.buffer", Bytes, "Binary data buffer of the event (read/write payload)."),
    f("evt.buflen", U64, "Length of the binary data buffer."),
    f("evt.res", Str, "Event return value as text: SUCCESS or an errno name (ENOENT)."),
    f("evt.rawres", I64, "Event return value as a number (negative errno on failure)."),
    f("evt.failed", Bool, "True for events that returned an error."),
    f("evt.dir", Str, "Event direction: > for enter, < for exit (deprecated)."),
    f("evt.is_io", Bool, "True for events that read or write to files, sockets, pipes."),
    f("evt.is_io_read", Bool, "True for I/O events that read data."),
    f("evt.is_io_write", Bool, "True for I/O events that write data."),
    f("evt.io_dir", Str, "r for events that read data, w for events that write data."),
    f("evt.is_wait", Bool, "True for events that make the thread wait (sleep, select, poll)."),
    f("evt.wait_latency", RelTime, "For waiting events, time spent waiting in nanoseconds."),
    f("evt.is_syslog", Bool, "True for writes to /dev/log."),
    f("evt.is_open_read", Bool, "True for open/openat/openat2/open_by_handle_at with O_RDONLY or O_RDWR."),
    f("evt.is_open_write", Bool, "True for open/openat/openat2/open_by_handle_at with O_WRONLY or O_RDWR."),
    f("evt.is_open_exec", Bool, "True for open events that create a file with execute permission."),
    f("evt.is_open_create", Bool, "True for open events that create a file (O_CREAT)."),
    f("evt.abspath", AbsPath, "Absolute path computed from dirfd and name for *at system calls."),
    f("evt.abspath.src", AbsPath, "Source absolute path for renameat/linkat style calls."),
    f("evt.abspath.dst", AbsPath, "Destination absolute path for renameat/linkat style calls."),
    f("evt.around", U64, "Matches events within the given number of milliseconds around a time.").arg_req(Key).filter_only(),
    f("evt.deltatime", RelTime, "Time since the previous event, in nanoseconds."),
    f("evt.deltatime.s", RelTime, "Seconds part of evt.deltatime."),
    f("evt.deltatime.ns", RelTime, "Fractional part of evt.deltatime."),
    f("evt.latency", RelTime, "Time between enter and exit of a system call (deprecated)."),
    f("evt.latency.s", RelTime, "Seconds part of evt.latency (deprecated)."),
    f("evt.latency.ns", RelTime, "Fractional part of evt.latency (deprecated)."),
    f("evt.latency.quantized", U64, "10-base logarithm of evt.latency (deprecated)."),
    f("evt.latency.human", Str, "evt.latency as human-readable text (deprecated)."),
    f("evt.buflen.in", U64, "Bytes read by I/O events."),
    f("evt.buflen.out", U64, "Bytes written by I/O events."),
    f("evt.buflen.file", U64, "Bytes read or written on files."),
    f("evt.buflen.file.in", U64, "Bytes read from files."),
    f("evt.buflen.file.out", U64, "Bytes written to files."),
    f("evt.buflen.net", U64, "Bytes read or written on the network."),
    f("evt.buflen.net.in", U64, "Bytes received from the network."),
    f("evt.buflen.net.out", U64, "Bytes sent to the network."),
    f("evt.count", U32, "1 for every event (for counting)."),
    f("evt.count.error", U32, "1 for events that returned an error."),
    f("evt.count.error.file", U32, "1 for file events that returned an error."),
    f("evt.count.error.net", U32, "1 for network events that returned an error."),
    f("evt.count.error.memory", U32, "1 for memory events that returned an error."),
    f("evt.count.error.other", U32, "1 for other events that returned an error."),
    f("evt.count.exit", U32, "1 for exit events."),
    f("evt.count.procinfo", U32, "1 for procinfo events generated by the driver."),
    f("evt.count.threadinfo", U32, "1 for procinfo events, per thread."),
    f("evt.infra.docker.name", Str, "Docker infrastructure event: object name."),
    f("evt.infra.docker.container.id", Str, "Docker infrastructure event: container id."),
    f("evt.infra.docker.container.name", Str, "Docker infrastructure event: container name."),
    f("evt.infra.docker.container.image", Str, "Docker infrastructure event: container image."),
    f("syscall.type", Str, "For system call events, the system call name."),
    // ---- proc ----
    f("proc.exe", Str, "First command-line argument (argv[0]) as the process was run."),
    f("proc.pexe", Str, "proc.exe of the parent process."),
    f("proc.aexe", Str, "proc.exe of an ancestor: [1] parent, [2] grandparent...; without an index, any ancestor.").arg(Index).ancestors(),
    f("proc.exepath", AbsPath, "Full path of the process executable (from the execve path or /proc/PID/exe)."),
    f("proc.pexepath", AbsPath, "proc.exepath of the parent process."),
    f("proc.aexepath", AbsPath, "proc.exepath of an ancestor ([N]); without an index, any ancestor.").arg(Index).ancestors(),
    f("proc.name", Str, "Process name (the executable file name, up to 16 chars in the kernel's comm)."),
    f("proc.pname", Str, "Name of the parent process."),
    f("proc.aname", Str, "Name of an ancestor: [0] self, [1] parent, [2] grandparent...; without an index, any ancestor.").arg(Index).ancestors(),
    f("proc.args", Str, "Command-line arguments, without the program, separated by spaces."),
    f("proc.aargs", Str, "proc.args of an ancestor ([N]); without an index, any ancestor.").arg(Index).ancestors(),
    f("proc.cmdline", Str, "Full command line: proc.name followed by proc.args."),
    f("proc.pcmdline", Str, "Full command line of the parent process."),
    f("proc.acmdline", Str, "Full command line of an ancestor ([N]); without an index, any ancestor.").arg(Index).ancestors(),
    f("proc.cmdnargs", U64, "Number of command-line arguments."),
    f("proc.cmdlenargs", U64, "Total length of the command-line arguments, spaces excluded."),
    f("proc.exeline", Str, "Full command line with proc.exe as first element."),
    f("proc.env", Str, "Environment variables; with [NAME], the value of one variable.").arg(Key),
    f("proc.aenv", Str, "An environment variable looked up in the process and its ancestors.").arg(Key).ancestors(),
    f("proc.cwd", AbsPath, "Current working directory."),
    f("proc.loginshellid", I64, "PID of the oldest shell among the ancestors."),
    f("proc.tty", U32, "Controlling terminal; 0 if none."),
    f("proc.pid", I64, "Process id."),
    f("proc.ppid", I64, "Parent process id."),
    f("proc.apid", I64, "PID of an ancestor ([N]); without an index, any ancestor.").arg(Index).ancestors(),
    f("proc.vpid", I64, "Process id as seen from its own PID namespace."),
    f("proc.pvpid", I64, "Parent process id as seen from its own PID namespace."),
    f("proc.sid", I64, "Session id."),
    f("proc.sname", Str, "Name of the session leader (the process whose pid is proc.sid)."),
    f("proc.sid.exe", Str, "proc.exe of the session leader."),
    f("proc.sid.exepath", AbsPath, "proc.exepath of the session leader."),
    f("proc.vpgid", I64, "Process group id as seen from the PID namespace."),
    f("proc.vpgid.name", Str, "Name of the process group leader (virtual pgid)."),
    f("proc.vpgid.exe", Str, "proc.exe of the process group leader (virtual pgid)."),
    f("proc.vpgid.exepath", AbsPath, "proc.exepath of the process group leader (virtual pgid)."),
    f("proc.pgid", I64, "Process group id."),
    f("proc.pgid.name", Str, "Name of the process group leader."),
    f("proc.pgid.exe", Str, "proc.exe of the process group leader."),
    f("proc.pgid.exepath", AbsPath, "proc.exepath of the process group leader."),
    f("proc.is_sid_leader", Bool, "True if the process is its session leader."),
    f("proc.is_vpgid_leader", Bool, "True if the process is its (virtual) process group leader."),
    f("proc.is_pgid_leader", Bool, "True if the process is its process group leader."),
    f("proc.duration", RelTime, "Nanoseconds since the process started."),
    f("proc.ppid.duration", RelTime, "Nanoseconds since the parent process started."),
    f("proc.pid.ts", AbsTime, "Start time of the process (nanoseconds since the epoch)."),
    f("proc.ppid.ts", AbsTime, "Start time of the parent process (nanoseconds since the epoch)."),
    f("proc.pidns_init_start_ts", AbsTime, "Start time of the PID namespace's init process."),
    f("proc.exe_ino", U64, "Inode number of the executable file."),
    f("proc.exe_ino.ctime", AbsTime, "Last status change time of the executable file."),
    f("proc.exe_ino.mtime", AbsTime, "Last modification time of the executable file."),
    f("proc.exe_ino.ctime_duration_proc_start", RelTime, "Time between the executable's last change (ctime) and the process start."),
    f("proc.exe_ino.ctime_duration_pidns_start", RelTime, "Time between the PID namespace start and the executable's last change."),
    f("proc.is_exe_writable", Bool, "True if the executable file is writable by the process's user."),
    f("proc.is_exe_upper_layer", Bool, "True if the executable lives in the upper (writable) layer of an overlay filesystem."),
    f("proc.is_exe_lower_layer", Bool, "True if the executable lives in a lower layer of an overlay filesystem."),
    f("proc.is_exe_from_memfd", Bool, "True if the executable is a memfd (fileless execution)."),
    f("proc.nthreads", U64, "Number of live threads of the process."),
    f("proc.nchilds", U64, "Number of live child threads, the main thread excluded."),
    f("proc.fdopencount", U64, "Number of open file descriptors."),
    f("proc.fdlimit", I64, "Maximum number of file descriptors the process may open."),
    f("proc.fdusage", Double, "Ratio of open file descriptors to the limit."),
    f("proc.vmsize", U64, "Total virtual memory (kB)."),
    f("proc.vmrss", U64, "Resident memory (kB)."),
    f("proc.vmswap", U64, "Swapped memory (kB)."),
    f("proc.stdin.type", Str, "Type of file descriptor 0 (file, pipe, ipv4...)."),
    f("proc.stdout.type", Str, "Type of file descriptor 1."),
    f("proc.stderr.type", Str, "Type of file descriptor 2."),
    f("proc.stdin.name", Str, "Name of file descriptor 0."),
    f("proc.stdout.name", Str, "Name of file descriptor 1."),
    f("proc.stderr.name", Str, "Name of file descriptor 2."),
    f("proc.is_container_healthcheck", Bool, "True if the process runs as a container health check."),
    f("proc.is_container_liveness_probe", Bool, "True if the process runs as a Kubernetes liveness probe."),
    f("proc.is_container_readiness_probe", Bool, "True if the process runs as a Kubernetes readiness probe."),
    // ---- thread ----
    f("thread.tid", I64, "Thread id."),
    f("thread.vtid", I64, "Thread id as seen from its own PID namespace."),
    f("thread.ismain", Bool, "True if the thread is the main thread of its process."),
    f("thread.nametid", Str, "Process name and thread id (name-tid)."),
    f("thread.exectime", RelTime, "CPU time spent by the last scheduled thread."),
    f("thread.totexectime", RelTime, "Total CPU time of the thread since capture start."),
    f("thread.cgroups", Str, "All cgroups of the thread, in one string."),
    f("thread.cgroup", Str, "The thread's cgroup for one subsystem: thread.cgroup[cpuacct].").arg_req(Key),
    f("thread.cap_permitted", Str, "Permitted capabilities (CAP_... names separated by spaces)."),
    f("thread.cap_inheritable", Str, "Inheritable capabilities."),
    f("thread.cap_effective", Str, "Effective capabilities."),
    f("thread.cpu", Double, "CPU consumed by the thread in the last second."),
    f("thread.cpu.user", Double, "User CPU consumed by the thread in the last second."),
    f("thread.cpu.system", Double, "System CPU consumed by the thread in the last second."),
    f("thread.vmsize", U64, "Virtual memory of the main thread (kB)."),
    f("thread.vmrss", U64, "Resident memory of the main thread (kB)."),
    f("thread.vmsize.b", U64, "Virtual memory of the main thread (bytes)."),
    f("thread.vmrss.b", U64, "Resident memory of the main thread (bytes)."),
    f("thread.pfmajor", U64, "Major page faults since thread start."),
    f("thread.pfminor", U64, "Minor page faults since thread start."),
    // ---- user / group ----
    f("user.uid", U32, "User id."),
    f("user.name", Str, "User name."),
    f("user.homedir", AbsPath, "Home directory of the user."),
    f("user.shell", Str, "Login shell of the user."),
    f("user.loginuid", I64, "Audit user id (the user who logged in); -1 if none."),
    f("user.loginname", Str, "Audit user name (the user who logged in)."),
    f("group.gid", U32, "Group id."),
    f("group.name", Str, "Group name."),
    // ---- fd ----
    f("fd.num", I64, "File descriptor number."),
    f("fd.type", Str, "Type of fd: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, memfd..."),
    f("fd.typechar", Str, "Type of fd as one letter: f file, 4 ipv4, 6 ipv6, u unix, p pipe, e event..."),
    f("fd.name", Str, "Full name of the fd: path for files, tuple for sockets."),
    f("fd.directory", Str, "Directory of a file fd."),
    f("fd.filename", Str, "File name (no directory) of a file fd."),
    f("fd.nameraw", Str, "Name of the fd as passed to the system call, without resolution."),
    f("fd.name_changed", Bool, "True when the event changed the fd name (rename, connect...)."),
    f("fd.containername", Str, "Container id and fd name (CONTAINER_ID:fd.name)."),
    f("fd.containerdirectory", Str, "Container id and directory (CONTAINER_ID:fd.directory)."),
    f("fd.ip", Ip, "Matches client or server IP of a socket fd.").either_end(),
    f("fd.cip", Ip, "Client IP address."),
    f("fd.sip", Ip, "Server IP address."),
    f("fd.lip", Ip, "Local IP address."),
    f("fd.rip", Ip, "Remote IP address."),
    f("fd.port", Port, "Matches client or server port.").either_end(),
    f("fd.cport", Port, "Client port."),
    f("fd.sport", Port, "Server port."),
    f("fd.lport", Port, "Local port."),
    f("fd.rport", Port, "Remote port."),
    f("fd.l4proto", Str, "IP protocol: tcp, udp, icmp, raw."),
    f("fd.sockfamily", Str, "Socket family: ip or unix."),
    f("fd.is_server", Bool, "True if the process owning the fd is the server end of the connection."),
    f("fd.uid", Str, "Unique id of the fd (thread id and fd number)."),
    f("fd.net", IpNet, "Matches client or server IP against a network (fd.net = 10.0.0.0/8).").either_end(),
    f("fd.cnet", IpNet, "Matches the client IP against a network.").filter_only(),
    f("fd.snet", IpNet, "Matches the server IP against a network.").filter_only(),
    f("fd.lnet", IpNet, "Matches the local IP against a network.").filter_only(),
    f("fd.rnet", IpNet, "Matches the remote IP against a network.").filter_only(),
    f("fd.connected", Bool, "True if the socket is connected."),
    f("fd.proto", Str, "Matches client or server protocol (service name).").filter_only(),
    f("fd.cproto", Str, "Client protocol."),
    f("fd.sproto", Str, "Server protocol (service name for the server port)."),
    f("fd.lproto", Str, "Local protocol."),
    f("fd.rproto", Str, "Remote protocol."),
    f("fd.cip.name", Str, "Domain name of the client IP: `fd.cip.name = NAME` holds when the client IP is one NAME resolves to.").domain_name(),
    f("fd.sip.name", Str, "Domain name of the server IP: `fd.sip.name = NAME` holds when the server IP is one NAME resolves to.").domain_name(),
    f("fd.lip.name", Str, "Domain name of the local IP: `fd.lip.name = NAME` holds when the local IP is one NAME resolves to.").domain_name(),
    f("fd.rip.name", Str, "Domain name of the remote IP: `fd.rip.name = NAME` holds when the remote IP is one NAME resolves to.").domain_name(),
    f("fd.dev", U32, "Device number (major/minor) of the file."),
    f("fd.dev.major", U32, "Major device number of the file."),
    f("fd.dev.minor", U32, "Minor device number of the file."),
    f("fd.ino", U64, "Inode number of the file."),
    f("fd.is_upper_layer", Bool, "True if the file lives in the upper layer of an overlay filesystem."),
    f("fd.is_lower_layer", Bool, "True if the file lives in a lower layer of an overlay filesystem."),
    f("fd.types", Str, "All fd types the process has open (optionally of one fd: fd.types[3]).").list().arg(Index).no_rhs(),
    f("fdlist.nums", Str, "For poll events, the fd numbers in the fds argument."),
    f("fdlist.names", Str, "For poll events, the fd names in the fds argument."),
    f("fdlist.cips", Str, "For poll events, the client IPs in the fds argument."),
    f("fdlist.sips", Str, "For poll events, the server IPs in the fds argument."),
    f("fdlist.cports", Str, "For poll events, the client ports in the fds argument."),
    f("fdlist.sports", Str, "For poll events, the server ports in the fds argument."),
    // ---- fs.path ----
    f("fs.path.name", AbsPath, "Path of a filesystem operation (mkdir, rmdir, unlink...), made absolute."),
    f("fs.path.nameraw", Str, "Path of a filesystem operation as given."),
    f("fs.path.source", AbsPath, "Source path of a filesystem operation with two paths (rename, link), made absolute."),
    f("fs.path.sourceraw", Str, "Source path as given."),
    f("fs.path.target", AbsPath, "Target path of a filesystem operation with two paths, made absolute."),
    f("fs.path.targetraw", Str, "Target path as given."),
    f("util.cnt", U64, "Incremental counter."),
    // ---- container (container plugin) ----
    f("container.id", Str, "Container id, 12 characters; host for processes outside containers."),
    f("container.full_id", Str, "Full container id (64 characters)."),
    f("container.name", Str, "Container name."),
    f("container.image", Str, "Container image name (repository:tag)."),
    f("container.image.id", Str, "Container image id."),
    f("container.image.repository", Str, "Container image repository (docker.io/library/nginx)."),
    f("container.image.tag", Str, "Container image tag."),
    f("container.image.digest", Str, "Container image registry digest."),
    f("container.type", Str, "Container runtime type: docker, cri-o, containerd, podman..."),
    f("container.privileged", Bool, "True if the container runs privileged."),
    f("container.mounts", Str, "All mounts: source:dest:mode:rdwr:propagation, comma separated."),
    f("container.mount", Str, "One mount, by index or by destination path: container.mount[/etc].").arg_req(IndexOrKey),
    f("container.mount.source", Str, "Source of a mount, by index or destination.").arg_req(IndexOrKey),
    f("container.mount.dest", Str, "Destination of a mount, by index or source (glob allowed): container.mount.dest[/var/run/docker.sock].").arg_req(IndexOrKey),
    f("container.mount.mode", Str, "Mode of a mount, by index or source.").arg_req(IndexOrKey),
    f("container.mount.rdwr", Str, "Read/write flag of a mount, by index or source.").arg_req(IndexOrKey),
    f("container.mount.propagation", Str, "Propagation of a mount, by index or source.").arg_req(IndexOrKey),
    f("container.healthcheck", Str, "Health check command of the container."),
    f("container.liveness_probe", Str, "Kubernetes liveness probe command."),
    f("container.readiness_probe", Str, "Kubernetes readiness probe command."),
    f("container.start_ts", AbsTime, "Container start time (nanoseconds since the epoch)."),
    f("container.duration", RelTime, "Nanoseconds since the container started."),
    f("container.ip", Str, "IP address of the container."),
    f("container.cni.json", Str, "CNI result of the container, as JSON."),
    f("container.host_pid", Bool, "True if the container shares the host PID namespace."),
    f("container.host_network", Bool, "True if the container shares the host network namespace."),
    f("container.host_ipc", Bool, "True if the container shares the host IPC namespace."),
    f("container.label", Str, "One container label: container.label[io.kubernetes.pod.name].").arg_req(Key).dotted(),
    f("container.labels", Str, "All container labels, key:value comma separated."),
    // ---- k8s (container plugin, from CRI labels) ----
    f("k8s.pod.name", Str, "Kubernetes pod name (from the container's CRI labels)."),
    f("k8s.pod.id", Str, "Kubernetes pod UID (legacy name)."),
    f("k8s.pod.uid", Str, "Kubernetes pod UID."),
    f("k8s.pod.sandbox_id", Str, "Pod sandbox id, 12 characters."),
    f("k8s.pod.full_sandbox_id", Str, "Pod sandbox id, full length."),
    f("k8s.pod.label", Str, "One pod label: k8s.pod.label[app].").arg_req(Key).dotted(),
    f("k8s.pod.labels", Str, "All pod labels, key:value comma separated."),
    f("k8s.pod.ip", Str, "Pod IP address."),
    f("k8s.pod.cni.json", Str, "CNI result of the pod sandbox, as JSON."),
    f("k8s.ns.name", Str, "Kubernetes namespace name (from the container's CRI labels)."),
    f("k8s.ns.id", Str, "Kubernetes namespace id (deprecated stub, see k8smeta.ns.uid)."),
    f("k8s.ns.label", Str, "Namespace label (deprecated stub).").arg_req(Key).dotted(),
    f("k8s.ns.labels", Str, "Namespace labels (deprecated stub)."),
    f("k8s.rc.name", Str, "Replication controller name (deprecated stub)."),
    f("k8s.rc.id", Str, "Replication controller id (deprecated stub)."),
    f("k8s.rc.label", Str, "Replication controller label (deprecated stub).").arg_req(Key).dotted(),
    f("k8s.rc.labels", Str, "Replication controller labels (deprecated stub)."),
    f("k8s.svc.name", Str, "Service name (deprecated stub)."),
    f("k8s.svc.id", Str, "Service id (deprecated stub)."),
    f("k8s.svc.label", Str, "Service label (deprecated stub).").arg_req(Key).dotted(),
    f("k8s.svc.labels", Str, "Service labels (deprecated stub)."),
    f("k8s.rs.name", Str, "Replica set name (deprecated stub)."),
    f("k8s.rs.id", Str, "Replica set id (deprecated stub)."),
    f("k8s.rs.label", Str, "Replica set label (deprecated stub).").arg_req(Key).dotted(),
    f("k8s.rs.labels", Str, "Replica set labels (deprecated stub)."),
    f("k8s.deployment.name", Str, "Deployment name (deprecated stub)."),
    f("k8s.deployment.id", Str, "Deployment id (deprecated stub)."),
    f("k8s.deployment.label", Str, "Deployment label (deprecated stub).").arg_req(Key).dotted(),
    f("k8s.deployment.labels", Str, "Deployment labels (deprecated stub)."),
    // ---- k8smeta (k8smeta plugin) ----
    f("k8smeta.pod.name", Str, "Pod name from the Kubernetes API."),
    f("k8smeta.pod.uid", Str, "Pod UID from the Kubernetes API."),
    f("k8smeta.pod.label", Str, "One pod label from the Kubernetes API.").arg_req(Key),
    f("k8smeta.pod.labels", Str, "All pod labels from the Kubernetes API.").list(),
    f("k8smeta.pod.ip", Str, "Pod IP from the Kubernetes API."),
    f("k8smeta.ns.name", Str, "Namespace name from the Kubernetes API."),
    f("k8smeta.ns.uid", Str, "Namespace UID from the Kubernetes API."),
    f("k8smeta.ns.label", Str, "One namespace label.").arg_req(Key),
    f("k8smeta.ns.labels", Str, "All namespace labels.").list(),
    f("k8smeta.deployment.name", Str, "Deployment name."),
    f("k8smeta.deployment.uid", Str, "Deployment UID."),
    f("k8smeta.deployment.label", Str, "One deployment label.").arg_req(Key),
    f("k8smeta.deployment.labels", Str, "All deployment labels.").list(),
    f("k8smeta.svc.name", Str, "Names of the services selecting the pod.").list(),
    f("k8smeta.svc.uid", Str, "UIDs of the services selecting the pod.").list(),
    f("k8smeta.svc.label", Str, "One label of the services selecting the pod.").arg_req(Key).list(),
    f("k8smeta.svc.labels", Str, "Labels of the services selecting the pod.").list(),
    f("k8smeta.rs.name", Str, "Replica set name."),
    f("k8smeta.rs.uid", Str, "Replica set UID."),
    f("k8smeta.rs.label", Str, "One replica set label.").arg_req(Key),
    f("k8smeta.rs.labels", Str, "All replica set labels.").list(),
    f("k8smeta.rc.name", Str, "Replication controller name."),
    f("k8smeta.rc.uid", Str, "Replication controller UID."),
    f("k8smeta.rc.label", Str, "One replication controller label.").arg_req(Key),
    f("k8smeta.rc.labels", Str, "All replication controller labels.").list(),
    // ---- k8s audit (k8saudit plugin) ----
    ka("ka.auditid", Str, "Unique id of the audit event."),
    ka("ka.stage", Str, "Stage of the request (RequestReceived, ResponseComplete...)."),
    ka("ka.auth.decision", Str, "Authorization decision: allow or forbid."),
    ka("ka.auth.reason", Str, "Authorization reason."),
    ka("ka.auth.openshift.decision", Str, "OpenShift authorization decision."),
    ka("ka.auth.openshift.username", Str, "OpenShift user name."),
    ka("ka.validations.admission.policy.failure", Str, "Validating admission policy failure, if any."),
    ka("ka.security.pod.violations", Str, "Pod security admission violations."),
    ka("ka.user.name", Str, "User name performing the request."),
    ka("ka.user.groups", Str, "Groups of the user performing the request.").list(),
    ka("ka.impuser.name", Str, "Impersonated user name."),
    ka("ka.verb", Str, "Action being performed (create, get, delete...)."),
    ka("ka.uri", Str, "Request URI as sent from client to server."),
    ka("ka.uri.param", Str, "Value of a query parameter of the URI: ka.uri.param[command].").arg_req(Key),
    ka("ka.target.name", Str, "Target object name."),
    ka("ka.target.namespace", Str, "Target object namespace."),
    ka("ka.target.resource", Str, "Target object resource (pods, secrets...)."),
    ka("ka.target.subresource", Str, "Target object subresource (exec, attach...)."),
    ka("ka.target.pod.name", Str, "Target pod name."),
    ka("ka.req.binding.subjects", Str, "Subjects of a role binding request.").list(),
    ka("ka.req.binding.subjects.user_names", Str, "User names among the binding subjects.").list(),
    ka("ka.req.binding.subjects.serviceaccount_names", Str, "Service account names among the binding subjects.").list(),
    ka("ka.req.binding.subjects.serviceaccount_ns_names", Str, "Service account namespaces among the binding subjects.").list(),
    ka("ka.req.binding.subjects.group_names", Str, "Group names among the binding subjects.").list(),
    ka("ka.req.binding.role", Str, "Role of a role binding request."),
    ka("ka.req.binding.subject.has_name", Str, "true if a binding subject has the given name: [NAME].").arg_req(Key),
    ka("ka.req.configmap.name", Str, "Config map name of the request."),
    ka("ka.req.configmap.obj", Str, "Config map object of the request, as JSON."),
    ka("ka.req.pod.containers.args", Str, "Arguments of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.command", Str, "Commands of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.name", Str, "Names of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.image", Str, "Images of the pod's containers.").list().arg(Index),
    ka("ka.req.container.image", Str, "Image of the first container (deprecated)."),
    ka("ka.req.pod.containers.image.repository", Str, "Image repositories of the pod's containers.").list().arg(Index),
    ka("ka.req.container.image.repository", Str, "Image repository of the first container (deprecated)."),
    ka("ka.req.pod.host_ipc", Str, "hostIPC of the pod spec."),
    ka("ka.req.pod.host_network", Str, "hostNetwork of the pod spec."),
    ka("ka.req.container.host_network", Str, "hostNetwork (deprecated alias)."),
    ka("ka.req.pod.host_pid", Str, "hostPID of the pod spec."),
    ka("ka.req.pod.containers.host_port", Str, "Host ports of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.privileged", Str, "privileged of the pod's containers.").list().arg(Index),
    ka("ka.req.container.privileged", Str, "true if any container is privileged (deprecated alias)."),
    ka("ka.req.pod.containers.allow_privilege_escalation", Str, "allowPrivilegeEscalation of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.read_only_fs", Str, "readOnlyRootFilesystem of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.run_as_user", Str, "runAsUser of the pod security context."),
    ka("ka.req.pod.containers.run_as_user", Str, "runAsUser of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.eff_run_as_user", Str, "Effective runAsUser of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.run_as_group", Str, "runAsGroup of the pod security context."),
    ka("ka.req.pod.containers.run_as_group", Str, "runAsGroup of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.eff_run_as_group", Str, "Effective runAsGroup of the pod's containers.").list().arg(Index),
    ka("ka.req.pod.containers.proc_mount", Str, "procMount of the pod's containers.").list().arg(Index),
    ka("ka.req.role.rules", Str, "Rules of a role request.").list(),
    ka("ka.req.role.rules.apiGroups", Str, "API groups of the role rules.").list().arg(Index),
    ka("ka.req.role.rules.nonResourceURLs", Str, "Non-resource URLs of the role rules.").list().arg(Index),
    ka("ka.req.role.rules.verbs", Str, "Verbs of the role rules.").list().arg(Index),
    ka("ka.req.role.rules.resources", Str, "Resources of the role rules.").list().arg(Index),
    ka("ka.req.pod.fs_group", Str, "fsGroup of the pod security context."),
    ka("ka.req.pod.supplemental_groups", Str, "supplementalGroups of the pod security context.").list(),
    ka("ka.req.pod.containers.add_capabilities", Str, "Capabilities added by the pod's containers.").list().arg(Index),
    ka("ka.req.service.type", Str, "Service type of the request."),
    ka("ka.req.service.ports", Str, "Service ports of the request.").list().arg(Index),
    ka("ka.req.pod.volumes.hostpath", Str, "Host paths of the pod volumes: ka.req.pod.volumes.hostpath[0] is the first.").list().arg(Index),
    ka("ka.req.volume.hostpath", Str, "true if a hostPath volume is PATH (PATH* matches a prefix): ka.req.volume.hostpath[/etc] (deprecated).").arg_req(Key),
    ka("ka.req.pod.volumes.flexvolume_driver", Str, "Flex volume drivers of the pod volumes.").list().arg(Index),
    ka("ka.req.pod.volumes.volume_type", Str, "Types of the pod volumes.").list().arg(Index),
    ka("ka.resp.name", Str, "Name of the object in the response."),
    ka("ka.response.code", Str, "Response code of the request."),
    ka("ka.response.reason", Str, "Response reason of the request."),
    ka("ka.useragent", Str, "User agent of the client."),
    ka("ka.sourceips", Str, "Source IP addresses of the request.").list().arg(Index),
    ka("ka.cluster.name", Str, "Name of the cluster the event comes from."),
    ka("ka.req.pod.initContainers.name", Str, "Names of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.image", Str, "Images of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.image.repository", Str, "Image repositories of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.command", Str, "Commands of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.args", Str, "Arguments of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.privileged", Str, "privileged of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.allow_privilege_escalation", Str, "allowPrivilegeEscalation of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.read_only_fs", Str, "readOnlyRootFilesystem of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.run_as_user", Str, "runAsUser of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.eff_run_as_user", Str, "Effective runAsUser of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.run_as_group", Str, "runAsGroup of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.eff_run_as_group", Str, "Effective runAsGroup of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.proc_mount", Str, "procMount of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.add_capabilities", Str, "Capabilities added by the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.initContainers.host_port", Str, "Host ports of the pod's init containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.name", Str, "Names of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.image", Str, "Images of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.image.repository", Str, "Image repositories of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.command", Str, "Commands of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.args", Str, "Arguments of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.privileged", Str, "privileged of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.allow_privilege_escalation", Str, "allowPrivilegeEscalation of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.read_only_fs", Str, "readOnlyRootFilesystem of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.run_as_user", Str, "runAsUser of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.eff_run_as_user", Str, "Effective runAsUser of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.run_as_group", Str, "runAsGroup of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.eff_run_as_group", Str, "Effective runAsGroup of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.proc_mount", Str, "procMount of the pod's ephemeral containers.").list().arg(Index),
    ka("ka.req.pod.ephemeralContainers.add_capabilities", Str, "Capabilities added by the pod's ephemeral containers.").list().arg(Index),
    // ---- json / jevt (json plugin) ----
    ka("json.value", Str, "Value of the event JSON at a JSON pointer: json.value[/user/name].").arg_req(Key),
    ka("json.obj", Str, "The whole event JSON object."),
    ka("json.rawtime", U64, "Event time in nanoseconds since the epoch."),
    ka("jevt.value", Str, "Legacy alias of json.value: jevt.value[/requestObject/spec].").arg_req(Key),
    ka("jevt.obj", Str, "Legacy alias of json.obj."),
    ka("jevt.rawtime", U64, "Legacy alias of json.rawtime."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_sources_set() {
        let mut seen = std::collections::HashSet::new();
        for f in all() {
            assert!(seen.insert(f.name), "duplicate field {}", f.name);
            assert!(
                f.sources.iter().next().is_some(),
                "{} has no source",
                f.name
            );
            assert!(!f.description.is_empty());
        }
    }

    #[test]
    fn resolves_dotted_arguments() {
        let (id, arg) = resolve("evt.arg.flags").expect("evt.arg.flags");
        assert_eq!((id.name(), arg), ("evt.arg", Some("flags")));
        let (id, arg) = resolve("k8s.pod.label.app.kubernetes.io").expect("label");
        assert_eq!(
            (id.name(), arg),
            ("k8s.pod.label", Some("app.kubernetes.io"))
        );
        assert_eq!(resolve("proc.name.x"), None);
        assert_eq!(resolve("proc.nosuch"), None);
    }

    #[test]
    fn every_field_used_by_the_falco_corpus_is_known() {
        // From falco-fields-used.txt (shared research notes): the 113 fields of the four files.
        let used = "proc.name fd.name proc.cmdline proc.pname evt.type evt.arg user.name proc.aname \
            user.uid proc.tty user.loginuid proc.exepath container.image.repository ka.target.resource \
            ka.user.name proc.args ka.target.name ka.target.namespace proc.pcmdline fd.directory \
            ka.response.code ka.auth.decision ka.auth.reason fd.l4proto fd.typechar fd.type fd.lport \
            fd.rport container.mount.dest evt.res proc.pexe proc.exe thread.cap_permitted evt.rawres \
            ka.uri ka.verb fd.net fd.num fd.sport k8s.ns.name fd.ip ka.req.pod.containers.image \
            ka.req.pod.containers.image.repository ka.resp.name ka.target.subresource jevt.value \
            ka.req.configmap.obj proc.cwd container.id fd.sip.name ka.req.role.rules evt.is_open_read \
            fd.connected fd.filename fd.name_changed fd.sip fd.snet proc.env thread.cap_effective \
            container.privileged evt.is_open_write evt.num fd.nameraw ka.req.binding.role \
            ka.req.binding.subjects proc.vpid container.start_ts evt.args fd.cip.name group.gid \
            group.name jevt.rawtime ka.req.role.rules.resources ka.req.role.rules.verbs proc.pexepath \
            proc.sname user.loginname container.mounts evt.buffer evt.is_open_exec fd.cip fd.cnet \
            fd.lip.name fd.port fd.rip fd.rip.name fd.rnet fd.sockfamily jevt.obj k8s.pod.name \
            ka.req.configmap.name ka.req.pod.containers.privileged ka.req.pod.ephemeralContainers.image \
            ka.req.pod.ephemeralContainers.privileged ka.req.pod.host_ipc ka.req.pod.host_network \
            ka.req.pod.host_pid ka.req.pod.initContainers.image ka.req.pod.initContainers.privileged \
            ka.req.pod.volumes.hostpath ka.req.service.ports ka.req.service.type ka.response.reason \
            ka.uri.param proc.aexe proc.aexepath proc.duration proc.exe_ino.ctime \
            proc.exe_ino.ctime_duration_proc_start proc.exe_ino.mtime proc.is_exe_from_memfd \
            proc.is_exe_upper_layer proc.is_vpgid_leader";
        let missing: Vec<&str> = used
            .split_whitespace()
            .filter(|n| lookup(n).is_none())
            .collect();
        assert!(missing.is_empty(), "missing fields: {missing:?}");
        assert_eq!(used.split_whitespace().count(), 113);
    }
}
