//! Saker's own capture file: JSON lines, one record per line, documented in
//! docs/capture-format.md; and [`JsonlSource`], its replay.
//!
//! ```text
//! {"kind":"header","format":"saker-capture","version":1,...}
//! {"kind":"container",...}      containers the snapshot refers to
//! {"kind":"process",...}        the thread table when recording started
//! {"kind":"cgroup",...}         cgroup id -> container, before the first event that needs it
//! {"kind":"event",...}          raw captured events, in order
//! ```

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};

use saker_event::{
    Bytes, Comm, CopiedMemory, EventBody, EventHeader, ExecInfo, SockAddr, SyscallDetail,
    SyscallEvent, SyscallExit,
};
use saker_proc::users::NameTable;
use saker_state::{
    Capabilities, ContainerInfo, ContainerMeta, ContainerType, FdEntry, FdKind, L4Proto,
    ProcessEntry, StateOptions,
};

use crate::{Ended, Flow, NoCounters, Sink, Source, SourceError};

pub const FORMAT: &str = "saker-capture";
pub const VERSION: u64 = 1;

/// One record of a capture file.
pub enum Record {
    Header {
        created_ns: u64,
        hostname: String,
        passwd: String,
        group: String,
    },
    Container(ContainerInfo),
    Process {
        entry: ProcessEntry,
        container_id: Option<String>,
    },
    Cgroup {
        id: u64,
        container_id: Option<String>,
    },
    Event(SyscallEvent),
}

/// Bytes as a JSON string when they are UTF-8, else as `{"hex": "..."}`: paths need not be
/// UTF-8 and a replay must see the bytes the kernel saw.
fn bytes(b: &Bytes) -> Value {
    bytes_value(&b.0)
}

fn bytes_value(b: &[u8]) -> Value {
    match std::str::from_utf8(b) {
        Ok(s) => Value::String(s.to_string()),
        Err(_) => json!({ "hex": b.iter().map(|x| format!("{x:02x}")).collect::<String>() }),
    }
}

fn from_bytes(v: &Value) -> Result<Bytes, String> {
    match v {
        Value::String(s) => Ok(Bytes(s.as_bytes().to_vec())),
        Value::Object(o) => {
            let hex = o
                .get("hex")
                .and_then(Value::as_str)
                .ok_or("bytes object without hex")?;
            (0..hex.len())
                .step_by(2)
                .map(|i| {
                    u8::from_str_radix(hex.get(i..i + 2).ok_or("odd hex")?, 16)
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<u8>, String>>()
                .map(Bytes)
        }
        _ => Err(format!("expected bytes, got {v}")),
    }
}

fn sockaddr(a: &SockAddr) -> Value {
    match a {
        SockAddr::Inet(a) => json!({"inet": a.to_string()}),
        SockAddr::Inet6(a) => json!({"inet6": a.to_string()}),
        SockAddr::Unix {
            path,
            abstract_name,
        } => json!({"unix": bytes(path), "abstract": abstract_name}),
        SockAddr::Other { family, data } => json!({"family": family, "data": bytes(data)}),
    }
}

fn from_sockaddr(v: &Value) -> Result<Option<SockAddr>, String> {
    if v.is_null() {
        return Ok(None);
    }
    if let Some(s) = v.get("inet").and_then(Value::as_str) {
        return s
            .parse()
            .map(|a| Some(SockAddr::Inet(a)))
            .map_err(|e| format!("{s}: {e}"));
    }
    if let Some(s) = v.get("inet6").and_then(Value::as_str) {
        return s
            .parse()
            .map(|a| Some(SockAddr::Inet6(a)))
            .map_err(|e| format!("{s}: {e}"));
    }
    if let Some(p) = v.get("unix") {
        return Ok(Some(SockAddr::Unix {
            path: from_bytes(p)?,
            abstract_name: v["abstract"].as_bool().unwrap_or(false),
        }));
    }
    Ok(Some(SockAddr::Other {
        family: v["family"].as_u64().unwrap_or(0) as u16,
        data: from_bytes(&v["data"])?,
    }))
}

fn opt<T: serde::Serialize>(v: &Option<T>) -> Value {
    v.as_ref().map_or(Value::Null, |x| json!(x))
}

/// The detail as `{"type": "...", fields...}`.
fn detail(d: &SyscallDetail) -> Value {
    use SyscallDetail as D;
    match d {
        D::Open {
            dirfd,
            path,
            flags,
            mode,
        } => json!({"type":"open","dirfd":dirfd,"path":bytes(path),"flags":flags,"mode":mode}),
        D::ExecFailed { dirfd, path } => {
            json!({"type":"exec_failed","dirfd":dirfd,"path":bytes(path)})
        }
        D::Clone { flags } => json!({"type":"clone","flags":flags}),
        D::Chdir { path } => json!({"type":"chdir","path":bytes(path)}),
        D::Fchdir { fd } => json!({"type":"fchdir","fd":fd}),
        D::Close { fd } => json!({"type":"close","fd":fd}),
        D::Rename {
            old_dirfd,
            old_path,
            new_dirfd,
            new_path,
            flags,
        } => {
            json!({"type":"rename","old_dirfd":old_dirfd,"old_path":bytes(old_path),"new_dirfd":new_dirfd,"new_path":bytes(new_path),"flags":flags})
        }
        D::Unlink { dirfd, path, flags } => {
            json!({"type":"unlink","dirfd":dirfd,"path":bytes(path),"flags":flags})
        }
        D::Mkdir { dirfd, path, mode } => {
            json!({"type":"mkdir","dirfd":dirfd,"path":bytes(path),"mode":mode})
        }
        D::Symlink {
            target,
            dirfd,
            link_path,
        } => {
            json!({"type":"symlink","target":bytes(target),"dirfd":dirfd,"link_path":bytes(link_path)})
        }
        D::Link {
            old_dirfd,
            old_path,
            new_dirfd,
            new_path,
            flags,
        } => {
            json!({"type":"link","old_dirfd":old_dirfd,"old_path":bytes(old_path),"new_dirfd":new_dirfd,"new_path":bytes(new_path),"flags":flags})
        }
        D::Chmod {
            dirfd,
            path,
            fd,
            mode,
        } => {
            json!({"type":"chmod","dirfd":dirfd,"path":path.as_ref().map(bytes),"fd":fd,"mode":mode})
        }
        D::Chown {
            dirfd,
            path,
            fd,
            uid,
            gid,
        } => {
            json!({"type":"chown","dirfd":dirfd,"path":path.as_ref().map(bytes),"fd":fd,"uid":uid,"gid":gid})
        }
        D::Truncate { path, fd, length } => {
            json!({"type":"truncate","path":path.as_ref().map(bytes),"fd":fd,"length":length})
        }
        D::Dup { old_fd } => json!({"type":"dup","old_fd":old_fd}),
        D::Fcntl { fd, cmd, arg } => json!({"type":"fcntl","fd":fd,"cmd":cmd,"arg":arg}),
        D::FdPair { fds, flags } => json!({"type":"fd_pair","fds":fds,"flags":flags}),
        D::MemfdCreate { name, flags } => {
            json!({"type":"memfd_create","name":bytes(name),"flags":flags})
        }
        D::Socket {
            domain,
            kind,
            protocol,
        } => json!({"type":"socket","domain":domain,"kind":kind,"protocol":protocol}),
        D::Connect { fd, addr } => {
            json!({"type":"connect","fd":fd,"addr":addr.as_ref().map(sockaddr)})
        }
        D::Accept { fd, peer } => {
            json!({"type":"accept","fd":fd,"peer":peer.as_ref().map(sockaddr)})
        }
        D::Bind { fd, addr } => json!({"type":"bind","fd":fd,"addr":addr.as_ref().map(sockaddr)}),
        D::Listen { fd, backlog } => json!({"type":"listen","fd":fd,"backlog":backlog}),
        D::SendTo { fd, len, addr } => {
            json!({"type":"sendto","fd":fd,"len":len,"addr":addr.as_ref().map(sockaddr)})
        }
        D::SetIds {
            real,
            effective,
            saved,
        } => json!({"type":"set_ids","real":real,"effective":effective,"saved":saved}),
        D::Capset { header, data } => json!({"type":"capset","header":header,"data":data}),
        D::Ptrace { request, pid } => json!({"type":"ptrace","request":request,"pid":pid}),
        D::Mount {
            source,
            target,
            flags,
        } => json!({"type":"mount","source":bytes(source),"target":bytes(target),"flags":flags}),
        D::Umount { target, flags } => {
            json!({"type":"umount","target":bytes(target),"flags":flags})
        }
        D::Setns { fd, nstype } => json!({"type":"setns","fd":fd,"nstype":nstype}),
        D::Unshare { flags } => json!({"type":"unshare","flags":flags}),
        D::Kill { pid, sig } => json!({"type":"kill","pid":pid,"sig":sig}),
        D::Bpf { cmd } => json!({"type":"bpf","cmd":cmd}),
        D::LoadModule { fd } => json!({"type":"load_module","fd":fd}),
        D::Read {
            fd,
            data,
            truncated,
        } => json!({"type":"read","fd":fd,"data":bytes(data),"truncated":truncated}),
        D::Write {
            fd,
            data,
            truncated,
        } => json!({"type":"write","fd":fd,"data":bytes(data),"truncated":truncated}),
        D::Other => json!({"type":"other"}),
        D::Memory { regions, netlink } => json!({"type":"memory","regions":regions
            .iter()
            .map(|r| json!({"addr":r.addr,"bytes":bytes(&r.bytes),"at_entry":r.at_entry}))
            .collect::<Vec<_>>(), "netlink":netlink}),
    }
}

/// Typed field access with the field name in errors.
struct Obj<'a>(&'a Value);

impl Obj<'_> {
    fn get(&self, k: &str) -> Result<&Value, String> {
        self.0.get(k).ok_or_else(|| format!("missing `{k}`"))
    }
    fn i64(&self, k: &str) -> Result<i64, String> {
        self.get(k)?
            .as_i64()
            .ok_or_else(|| format!("`{k}` is not an integer"))
    }
    fn u64(&self, k: &str) -> Result<u64, String> {
        self.get(k)?
            .as_u64()
            .ok_or_else(|| format!("`{k}` is not an unsigned integer"))
    }
    fn i32(&self, k: &str) -> Result<i32, String> {
        i32::try_from(self.i64(k)?).map_err(|_| format!("`{k}` out of range"))
    }
    fn u32(&self, k: &str) -> Result<u32, String> {
        u32::try_from(self.u64(k)?).map_err(|_| format!("`{k}` out of range"))
    }
    fn bytes(&self, k: &str) -> Result<Bytes, String> {
        from_bytes(self.get(k)?)
    }
    fn opt_bytes(&self, k: &str) -> Result<Option<Bytes>, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => from_bytes(v).map(Some),
        }
    }
    fn opt_u32(&self, k: &str) -> Result<Option<u32>, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.u32(k).map(Some),
        }
    }
    fn opt_i32(&self, k: &str) -> Result<Option<i32>, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.i32(k).map(Some),
        }
    }
    fn bool(&self, k: &str) -> Result<bool, String> {
        self.get(k)?
            .as_bool()
            .ok_or_else(|| format!("`{k}` is not a boolean"))
    }
    /// A boolean that files written before it existed leave out: `default` then.
    fn bool_or(&self, k: &str, default: bool) -> Result<bool, String> {
        match self.0.get(k) {
            None => Ok(default),
            Some(_) => self.bool(k),
        }
    }
    fn str(&self, k: &str) -> Result<&str, String> {
        self.get(k)?
            .as_str()
            .ok_or_else(|| format!("`{k}` is not a string"))
    }
}

fn from_detail(v: &Value) -> Result<SyscallDetail, String> {
    use SyscallDetail as D;
    let o = Obj(v);
    Ok(match o.str("type")? {
        "open" => D::Open {
            dirfd: o.i32("dirfd")?,
            path: o.bytes("path")?,
            flags: o.u64("flags")?,
            mode: o.u32("mode")?,
        },
        "exec_failed" => D::ExecFailed {
            dirfd: o.i32("dirfd")?,
            path: o.bytes("path")?,
        },
        "clone" => D::Clone {
            flags: o.u64("flags")?,
        },
        "chdir" => D::Chdir {
            path: o.bytes("path")?,
        },
        "fchdir" => D::Fchdir { fd: o.i32("fd")? },
        "close" => D::Close { fd: o.i32("fd")? },
        "rename" => D::Rename {
            old_dirfd: o.i32("old_dirfd")?,
            old_path: o.bytes("old_path")?,
            new_dirfd: o.i32("new_dirfd")?,
            new_path: o.bytes("new_path")?,
            flags: o.u32("flags")?,
        },
        "unlink" => D::Unlink {
            dirfd: o.i32("dirfd")?,
            path: o.bytes("path")?,
            flags: o.u32("flags")?,
        },
        "mkdir" => D::Mkdir {
            dirfd: o.i32("dirfd")?,
            path: o.bytes("path")?,
            mode: o.u32("mode")?,
        },
        "symlink" => D::Symlink {
            target: o.bytes("target")?,
            dirfd: o.i32("dirfd")?,
            link_path: o.bytes("link_path")?,
        },
        "link" => D::Link {
            old_dirfd: o.i32("old_dirfd")?,
            old_path: o.bytes("old_path")?,
            new_dirfd: o.i32("new_dirfd")?,
            new_path: o.bytes("new_path")?,
            flags: o.u32("flags")?,
        },
        "chmod" => D::Chmod {
            dirfd: o.i32("dirfd")?,
            path: o.opt_bytes("path")?,
            fd: o.opt_i32("fd")?,
            mode: o.u32("mode")?,
        },
        "chown" => D::Chown {
            dirfd: o.i32("dirfd")?,
            path: o.opt_bytes("path")?,
            fd: o.opt_i32("fd")?,
            uid: o.u32("uid")?,
            gid: o.u32("gid")?,
        },
        "truncate" => D::Truncate {
            path: o.opt_bytes("path")?,
            fd: o.opt_i32("fd")?,
            length: o.u64("length")?,
        },
        "dup" => D::Dup {
            old_fd: o.i32("old_fd")?,
        },
        "fcntl" => D::Fcntl {
            fd: o.i32("fd")?,
            cmd: o.i32("cmd")?,
            arg: o.u64("arg")?,
        },
        "fd_pair" => D::FdPair {
            fds: match o.get("fds")? {
                Value::Null => None,
                v => Some(serde_json::from_value(v.clone()).map_err(|e| format!("fds: {e}"))?),
            },
            flags: o.u64("flags")?,
        },
        "memfd_create" => D::MemfdCreate {
            name: o.bytes("name")?,
            flags: o.u32("flags")?,
        },
        "socket" => D::Socket {
            domain: o.i32("domain")?,
            kind: o.i32("kind")?,
            protocol: o.i32("protocol")?,
        },
        "connect" => D::Connect {
            fd: o.i32("fd")?,
            addr: from_sockaddr(o.get("addr")?)?,
        },
        "accept" => D::Accept {
            fd: o.i32("fd")?,
            peer: from_sockaddr(o.get("peer")?)?,
        },
        "bind" => D::Bind {
            fd: o.i32("fd")?,
            addr: from_sockaddr(o.get("addr")?)?,
        },
        "listen" => D::Listen {
            fd: o.i32("fd")?,
            backlog: o.i32("backlog")?,
        },
        "sendto" => D::SendTo {
            fd: o.i32("fd")?,
            len: o.u64("len")?,
            addr: from_sockaddr(o.get("addr")?)?,
        },
        "set_ids" => D::SetIds {
            real: o.u32("real")?,
            effective: o.u32("effective")?,
            saved: o.u32("saved")?,
        },
        "capset" => D::Capset {
            header: o.u64("header")?,
            data: o.u64("data")?,
        },
        "ptrace" => D::Ptrace {
            request: o.i64("request")?,
            pid: o.i32("pid")?,
        },
        "mount" => D::Mount {
            source: o.bytes("source")?,
            target: o.bytes("target")?,
            flags: o.u64("flags")?,
        },
        "umount" => D::Umount {
            target: o.bytes("target")?,
            flags: o.u32("flags")?,
        },
        "setns" => D::Setns {
            fd: o.i32("fd")?,
            nstype: o.i32("nstype")?,
        },
        "unshare" => D::Unshare {
            flags: o.u64("flags")?,
        },
        "kill" => D::Kill {
            pid: o.i32("pid")?,
            sig: o.i32("sig")?,
        },
        "bpf" => D::Bpf { cmd: o.i32("cmd")? },
        "load_module" => D::LoadModule {
            fd: o.opt_i32("fd")?,
        },
        "read" => D::Read {
            fd: o.i32("fd")?,
            data: o.bytes("data")?,
            truncated: o.bool("truncated")?,
        },
        "write" => D::Write {
            fd: o.i32("fd")?,
            data: o.bytes("data")?,
            truncated: o.bool("truncated")?,
        },
        "other" => D::Other,
        "memory" => D::Memory {
            regions: o
                .get("regions")?
                .as_array()
                .ok_or("`regions` is not an array")?
                .iter()
                .map(|r| {
                    let r = Obj(r);
                    Ok(CopiedMemory {
                        addr: r.u64("addr")?,
                        bytes: r.bytes("bytes")?,
                        // Older captures have exit copies only.
                        at_entry: r.bool("at_entry").unwrap_or(false),
                    })
                })
                .collect::<Result<_, String>>()?,
            // Older captures did not look sockets up.
            netlink: o
                .get("netlink")
                .ok()
                .and_then(|v| v.as_u64())
                .and_then(|p| u8::try_from(p).ok()),
        },
        t => return Err(format!("unknown detail type `{t}`")),
    })
}

fn event(e: &SyscallEvent) -> Value {
    let h = &e.header;
    let header = json!({"ts":h.ts_ns,"tid":h.tid,"pid":h.pid,"ppid":h.ppid,"uid":h.uid,"gid":h.gid,"euid":h.euid,"egid":h.egid,"cgroup":h.cgroup_id,"comm":bytes_value(h.comm.as_bytes())});
    let body = match &e.body {
        EventBody::Syscall(x) => {
            json!({"syscall":{"nr":x.nr,"ret":x.ret,"args":x.args,"duration_ns":x.duration_ns,"detail":detail(&x.detail)}})
        }
        EventBody::Fork {
            child_tid,
            child_pid,
            child_vtid,
            child_vpid,
        } => {
            json!({"fork":{"child_tid":child_tid,"child_pid":child_pid,"child_vtid":child_vtid,"child_vpid":child_vpid}})
        }
        EventBody::Exec(x) => {
            json!({"exec":{"nr":x.nr,"filename":bytes(&x.filename),"argv":x.argv.iter().map(bytes).collect::<Vec<_>>(),"argv_truncated":x.argv_truncated,"env_count":x.env_count,"old_tid":x.old_tid,"vtid":x.vtid,"vpid":x.vpid,"loginuid":x.loginuid,"tty":x.tty,"caps":x.caps.map(caps_json),"exe_upper_layer":x.exe_upper_layer}})
        }
        EventBody::Exit {
            status,
            process_exited,
        } => json!({"exit":{"status":status,"process_exited":process_exited}}),
        EventBody::Signal { signo, siginfo } => {
            json!({"signal":{"signo":signo,"siginfo":bytes(siginfo)}})
        }
    };
    json!({"kind":"event","header":header,"body":body})
}

fn from_event(v: &Value) -> Result<SyscallEvent, String> {
    let h = Obj(v.get("header").ok_or("missing `header`")?);
    let header = EventHeader {
        ts_ns: h.u64("ts")?,
        tid: h.u32("tid")?,
        pid: h.u32("pid")?,
        ppid: h.u32("ppid")?,
        uid: h.u32("uid")?,
        gid: h.u32("gid")?,
        euid: h.u32("euid")?,
        egid: h.u32("egid")?,
        cgroup_id: h.u64("cgroup")?,
        comm: Comm::new(&h.bytes("comm")?.0),
    };
    let b = v.get("body").ok_or("missing `body`")?;
    let body = if let Some(x) = b.get("syscall") {
        let o = Obj(x);
        EventBody::Syscall(SyscallExit {
            nr: o.i64("nr")?,
            ret: o.i64("ret")?,
            args: serde_json::from_value(o.get("args")?.clone())
                .map_err(|e| format!("args: {e}"))?,
            duration_ns: x.get("duration_ns").and_then(Value::as_u64),
            // A trace-only measure (strace -c's system time), not part of the format.
            off_cpu_ns: None,
            detail: from_detail(o.get("detail")?)?,
        })
    } else if let Some(x) = b.get("fork") {
        let o = Obj(x);
        EventBody::Fork {
            child_tid: o.u32("child_tid")?,
            child_pid: o.u32("child_pid")?,
            child_vtid: o.u32("child_vtid")?,
            child_vpid: o.u32("child_vpid")?,
        }
    } else if let Some(x) = b.get("exec") {
        let o = Obj(x);
        EventBody::Exec(ExecInfo {
            nr: o.i64("nr")?,
            filename: o.bytes("filename")?,
            argv: o
                .get("argv")?
                .as_array()
                .ok_or("`argv` is not an array")?
                .iter()
                .map(from_bytes)
                .collect::<Result<_, _>>()?,
            argv_truncated: o.bool("argv_truncated")?,
            env_count: o.opt_u32("env_count")?,
            envp: None,
            old_tid: o.u32("old_tid")?,
            vtid: o.u32("vtid")?,
            vpid: o.u32("vpid")?,
            loginuid: o.u32("loginuid")?,
            tty: serde_json::from_value(o.get("tty")?.clone()).map_err(|e| format!("tty: {e}"))?,
            // Files written before exec records carried capabilities have no `caps`.
            caps: from_caps(x.get("caps"))?,
            // Nor, before it was captured, `exe_upper_layer`.
            exe_upper_layer: o.bool_or("exe_upper_layer", false)?,
        })
    } else if let Some(x) = b.get("signal") {
        let o = Obj(x);
        EventBody::Signal {
            signo: o.i32("signo")?,
            siginfo: o.bytes("siginfo")?,
        }
    } else if let Some(x) = b.get("exit") {
        let o = Obj(x);
        EventBody::Exit {
            status: o.i32("status")?,
            process_exited: o.bool("process_exited")?,
        }
    } else {
        return Err("unknown event body".into());
    };
    Ok(SyscallEvent { header, body })
}

fn fd_kind(k: FdKind) -> &'static str {
    match k {
        FdKind::File => "file",
        FdKind::Directory => "directory",
        FdKind::Ipv4 => "ipv4",
        FdKind::Ipv6 => "ipv6",
        FdKind::Unix => "unix",
        FdKind::Netlink => "netlink",
        FdKind::Socket => "socket",
        FdKind::Pipe => "pipe",
        FdKind::Memfd => "memfd",
        FdKind::Unknown => "unknown",
    }
}

fn from_fd_kind(s: &str) -> FdKind {
    match s {
        "file" => FdKind::File,
        "directory" => FdKind::Directory,
        "ipv4" => FdKind::Ipv4,
        "ipv6" => FdKind::Ipv6,
        "unix" => FdKind::Unix,
        "netlink" => FdKind::Netlink,
        "socket" => FdKind::Socket,
        "pipe" => FdKind::Pipe,
        "memfd" => FdKind::Memfd,
        _ => FdKind::Unknown,
    }
}

fn process(p: &ProcessEntry) -> Value {
    let mut fds: Vec<(&i32, &std::sync::Arc<FdEntry>)> = p.fds.iter().collect();
    fds.sort_by_key(|(fd, _)| **fd);
    let fds: Vec<Value> = fds
        .into_iter()
        .map(|(fd, e)| json!({"fd":fd,"kind":fd_kind(e.kind),"name":e.name,"flags":e.flags,"local":opt(&e.local.map(|a| a.to_string())),"remote":opt(&e.remote.map(|a| a.to_string())),"client":e.client,"l4proto":e.l4proto.name(),"connected":e.connected}))
        .collect();
    json!({
        "kind":"process","pid":p.pid,"ppid":p.ppid,"vpid":p.vpid,"comm":p.comm,"exe":p.exe,"exepath":p.exepath,
        "args":p.args,"cwd":p.cwd,"uid":p.uid,"gid":p.gid,"euid":p.euid,"egid":p.egid,"loginuid":p.loginuid,
        "tty":p.tty,"start_ns":p.start_ns,"container":p.container.as_ref().map(|c| c.id.clone()),
        "caps":p.caps.map(caps_json),
        "exe_from_memfd":p.exe_from_memfd,"exe_upper_layer":p.exe_upper_layer,"threads":p.threads,"fds":fds,
    })
}

fn caps_json(c: Capabilities) -> Value {
    json!({"effective":c.effective,"permitted":c.permitted,"inheritable":c.inheritable})
}

/// A `caps` object; absent or `null`: unknown.
fn from_caps(v: Option<&Value>) -> Result<Option<Capabilities>, String> {
    match v {
        Some(Value::Null) | None => Ok(None),
        Some(c) => {
            let c = Obj(c);
            Ok(Some(Capabilities {
                effective: c.u64("effective")?,
                permitted: c.u64("permitted")?,
                inheritable: c.u64("inheritable")?,
            }))
        }
    }
}

fn from_process(v: &Value) -> Result<(ProcessEntry, Option<String>), String> {
    let o = Obj(v);
    let s = |k: &str| o.str(k).map(str::to_string);
    let mut fds = saker_state::FdTable::default();
    for f in o.get("fds")?.as_array().ok_or("`fds` is not an array")? {
        let fo = Obj(f);
        let addr = |k: &str| -> Result<Option<SocketAddr>, String> {
            match f.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(a)) => a.parse().map(Some).map_err(|e| format!("{k}: {e}")),
                Some(other) => Err(format!("{k}: {other} is not an address")),
            }
        };
        let entry = FdEntry {
            kind: from_fd_kind(fo.str("kind")?),
            name: fo.str("name")?.to_string(),
            flags: fo.u64("flags")?,
            local: addr("local")?,
            remote: addr("remote")?,
            client: fo.bool("client")?,
            // Absent from snapshots older than these fields.
            l4proto: f
                .get("l4proto")
                .and_then(Value::as_str)
                .map_or(L4Proto::Unknown, L4Proto::from_name),
            connected: f.get("connected").and_then(Value::as_bool).unwrap_or(false),
        };
        fds.insert(fo.i32("fd")?, std::sync::Arc::new(entry));
    }
    let caps = from_caps(v.get("caps"))?;
    let entry = ProcessEntry {
        pid: o.u32("pid")?,
        ppid: o.u32("ppid")?,
        vpid: o.u32("vpid")?,
        comm: s("comm")?,
        exe: s("exe")?,
        exepath: s("exepath")?,
        args: serde_json::from_value(o.get("args")?.clone()).map_err(|e| format!("args: {e}"))?,
        cwd: s("cwd")?,
        uid: o.u32("uid")?,
        gid: o.u32("gid")?,
        euid: o.u32("euid")?,
        egid: o.u32("egid")?,
        loginuid: v.get("loginuid").and_then(Value::as_u64).map(|u| u as u32),
        tty: o.u32("tty")?,
        start_ns: o.u64("start_ns")?,
        container: None,
        caps,
        exe_from_memfd: o.bool("exe_from_memfd")?,
        // Absent from files written before it was captured.
        exe_upper_layer: o.bool_or("exe_upper_layer", false)?,
        threads: o.u32("threads")?,
        fds,
    };
    let container = v
        .get("container")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok((entry, container))
}

/// A container record: the id and runtime from the cgroup, whether its runtime has answered
/// (`settled`), and what it answered (`meta`, a [`saker_state::ContainerMeta`]). A container
/// is written again when the answer arrives, so a replay learns it at the same point.
fn container(c: &ContainerInfo) -> Value {
    json!({"kind":"container","id":c.id,"runtime":c.runtime,"settled":c.is_settled(),"meta":c.meta().as_deref()})
}

fn from_container(v: &Value) -> Result<ContainerInfo, String> {
    let o = Obj(v);
    let runtime = ContainerType::from_name(o.str("runtime")?).unwrap_or(ContainerType::Cri);
    let info = ContainerInfo::new(o.str("id")?, runtime);
    match v.get("meta") {
        Some(Value::Null) => {
            if v.get("settled").and_then(Value::as_bool) == Some(true) {
                info.set_meta(None);
            }
        }
        Some(meta) => {
            let meta: ContainerMeta =
                serde_json::from_value(meta.clone()).map_err(|e| format!("meta: {e}"))?;
            info.set_meta(Some(std::sync::Arc::new(meta)));
        }
        // Saker 0.1's record: name, image and privileged only.
        None => {
            let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default();
            let image = text("image");
            let (repository, tag) = saker_container::parse_repo_tag(image);
            info.set_meta(Some(std::sync::Arc::new(ContainerMeta {
                id: info.id.clone(),
                kind: runtime,
                name: text("name").to_string(),
                image: image.to_string(),
                image_repository: repository.to_string(),
                image_tag: tag.to_string(),
                privileged: v
                    .get("privileged")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                ..ContainerMeta::default()
            })));
        }
    }
    Ok(info)
}

impl Record {
    pub fn to_json(&self) -> Value {
        match self {
            Record::Header {
                created_ns,
                hostname,
                passwd,
                group,
            } => json!({
                "kind":"header","format":FORMAT,"version":VERSION,"created_ns":created_ns,
                "hostname":hostname,"passwd":passwd,"group":group,
            }),
            Record::Container(c) => container(c),
            Record::Process { entry, .. } => process(entry),
            Record::Cgroup { id, container_id } => {
                json!({"kind":"cgroup","id":id,"container":container_id})
            }
            Record::Event(e) => event(e),
        }
    }

    pub fn from_json(v: &Value) -> Result<Record, String> {
        let o = Obj(v);
        Ok(match o.str("kind")? {
            "header" => {
                if o.str("format")? != FORMAT {
                    return Err("not a saker capture file".into());
                }
                let version = o.u64("version")?;
                if version != VERSION {
                    return Err(format!(
                        "capture format version {version}; this saker reads {VERSION}"
                    ));
                }
                Record::Header {
                    created_ns: o.u64("created_ns")?,
                    hostname: o.str("hostname")?.to_string(),
                    passwd: o.str("passwd")?.to_string(),
                    group: o.str("group")?.to_string(),
                }
            }
            "container" => Record::Container(from_container(v)?),
            "process" => {
                let (entry, container_id) = from_process(v)?;
                Record::Process {
                    entry,
                    container_id,
                }
            }
            "cgroup" => Record::Cgroup {
                id: o.u64("id")?,
                container_id: v
                    .get("container")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
            "event" => Record::Event(from_event(v)?),
            k => return Err(format!("unknown record kind `{k}`")),
        })
    }
}

/// Writes one record as a line.
pub fn write_record(out: &mut impl Write, record: &Record) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &record.to_json())?;
    out.write_all(b"\n")
}

/// The longest record line read (an exec's arguments and a process's fds fit many times).
const MAX_LINE: usize = 16 << 20;

/// How many events a replay hands over between two [`Sink::tick`]s.
pub(crate) const TICK_EVERY: u64 = 4096;

/// The replay of a JSON-lines capture file.
pub struct JsonlSource {
    pub path: PathBuf,
}

impl Source for JsonlSource {
    fn state_options(&self) -> StateOptions {
        crate::replay_state_options()
    }

    fn run(&mut self, sink: &mut dyn Sink) -> Result<Ended, SourceError> {
        let file = std::fs::File::open(&self.path).map_err(|source| SourceError::Open {
            path: self.path.clone(),
            source,
        })?;
        // The runtimes' answers are records of the file: `container` events wait for them.
        sink.state().expect_container_records();
        let mut containers: HashMap<String, Arc<ContainerInfo>> = HashMap::new();
        let mut events = 0u64;
        let mut ready = false;
        let result = read_records(BufReader::new(file), |record| match record {
            Record::Header { passwd, group, .. } => {
                sink.state()
                    .set_name_tables(NameTable::parse(&passwd), NameTable::parse(&group));
                Flow::Continue
            }
            Record::Container(info) => {
                let info = sink.state().insert_container(info);
                containers.insert(info.id.clone(), info);
                Flow::Continue
            }
            Record::Process {
                mut entry,
                container_id,
            } => {
                entry.container = container_id.and_then(|id| containers.get(&id).cloned());
                sink.state().insert_process(entry);
                Flow::Continue
            }
            Record::Cgroup { id, container_id } => {
                let container = container_id.and_then(|c| containers.get(&c).cloned());
                sink.state().learn_cgroup(id, container);
                Flow::Continue
            }
            Record::Event(event) => {
                if !ready {
                    sink.ready();
                    ready = true;
                }
                events += 1;
                match sink.event(&event) {
                    Flow::Continue if events.is_multiple_of(TICK_EVERY) => {
                        sink.tick(&mut NoCounters)
                    }
                    flow => flow,
                }
            }
        });
        if !ready {
            sink.ready();
        }
        sink.tick(&mut NoCounters);
        result.map_err(|message| SourceError::Capture {
            path: self.path.clone(),
            message,
        })?;
        Ok(Ended::default())
    }
}

/// Reads records, calling `f` for each until it says stop; errors name the line.
pub fn read_records(
    mut input: impl BufRead,
    mut f: impl FnMut(Record) -> Flow,
) -> Result<(), String> {
    let mut line = Vec::new();
    for i in 0.. {
        line.clear();
        // A line is read up to a bound: a file without newlines (binary, or zeros) must not
        // be read into memory whole.
        let n = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("line {}: {e}", i + 1))?;
        if n == 0 {
            break;
        }
        if line.len() > MAX_LINE {
            return Err(format!(
                "line {}: longer than {} MiB (not a capture file?)",
                i + 1,
                MAX_LINE >> 20
            ));
        }
        let text = std::str::from_utf8(&line)
            .map_err(|e| format!("line {}: not UTF-8 text ({e}): not a capture file?", i + 1))?;
        if text.trim().is_empty() {
            continue;
        }
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("line {}: {e}", i + 1))?;
        if i == 0 && value.get("kind").and_then(Value::as_str) != Some("header") {
            return Err("line 1: not a saker capture file (no header record)".into());
        }
        let record = Record::from_json(&value).map_err(|e| format!("line {}: {e}", i + 1))?;
        if f(record) == Flow::Stop {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(e: SyscallEvent) {
        let v = Record::Event(e.clone()).to_json();
        let text = v.to_string();
        let back = Record::from_json(&serde_json::from_str(&text).unwrap()).unwrap();
        let Record::Event(back) = back else {
            panic!("not an event")
        };
        assert_eq!(back, e);
    }

    fn header() -> EventHeader {
        EventHeader {
            ts_ns: 5,
            tid: 2,
            pid: 1,
            ppid: 0,
            uid: 1,
            gid: 2,
            euid: 3,
            egid: 4,
            cgroup_id: 99,
            comm: Comm::new(b"a\xffb"),
        }
    }

    #[test]
    fn events_round_trip() {
        use SyscallDetail as D;
        let details = vec![
            D::Open {
                dirfd: -100,
                path: "/etc/x".into(),
                flags: 0o101,
                mode: 0o644,
            },
            D::Rename {
                old_dirfd: 3,
                old_path: "a".into(),
                new_dirfd: -100,
                new_path: "b".into(),
                flags: 1,
            },
            D::Chmod {
                dirfd: -100,
                path: None,
                fd: Some(3),
                mode: 0o4755,
            },
            D::FdPair {
                fds: Some([3, 4]),
                flags: 0,
            },
            D::Connect {
                fd: 3,
                addr: Some(SockAddr::Inet("10.0.0.1:80".parse().unwrap())),
            },
            D::Accept {
                fd: 3,
                peer: Some(SockAddr::Inet6("[::1]:8080".parse().unwrap())),
            },
            D::Bind {
                fd: 3,
                addr: Some(SockAddr::Unix {
                    path: "/run/x".into(),
                    abstract_name: false,
                }),
            },
            D::SendTo {
                fd: 3,
                len: 9,
                addr: Some(SockAddr::Other {
                    family: 17,
                    data: Bytes(vec![0, 1, 255]),
                }),
            },
            D::Write {
                fd: 1,
                data: Bytes(vec![0, 159, 146, 150]),
                truncated: true,
            },
            D::LoadModule { fd: None },
            D::Other,
        ];
        for detail in details {
            round_trip(SyscallEvent {
                header: header(),
                body: EventBody::Syscall(SyscallExit {
                    nr: 257,
                    ret: -2,
                    args: [1, 2, 3, 4, 5, u64::MAX],
                    duration_ns: Some(7),
                    off_cpu_ns: None,
                    detail,
                }),
            });
        }
        round_trip(SyscallEvent {
            header: header(),
            body: EventBody::Fork {
                child_tid: 3,
                child_pid: 3,
                child_vtid: 1,
                child_vpid: 1,
            },
        });
        round_trip(SyscallEvent {
            header: header(),
            body: EventBody::Exec(ExecInfo {
                nr: 59,
                filename: "/bin/sh".into(),
                argv: vec!["sh".into(), "-c".into()],
                argv_truncated: false,
                env_count: Some(3),
                envp: None,
                old_tid: 2,
                vtid: 1,
                vpid: 1,
                loginuid: u32::MAX,
                tty: Some((136, 2)),
                caps: Some(Capabilities {
                    effective: 0x1ff,
                    permitted: 0x3ff,
                    inheritable: 0,
                }),
                exe_upper_layer: true,
            }),
        });
        round_trip(SyscallEvent {
            header: header(),
            body: EventBody::Exit {
                status: 256,
                process_exited: true,
            },
        });
    }

    #[test]
    fn container_records_round_trip() {
        let id = "c".repeat(64);
        let meta = ContainerMeta {
            id: id.clone(),
            kind: ContainerType::Podman,
            name: "web".into(),
            image: "localhost/app:v1".into(),
            privileged: true,
            ..ContainerMeta::default()
        };
        let back = |info: ContainerInfo| match Record::from_json(&Record::Container(info).to_json())
        {
            Ok(Record::Container(c)) => c,
            _ => panic!("not a container record"),
        };
        let described = back(ContainerInfo::with_meta(meta.clone()));
        assert_eq!(described.meta().as_deref(), Some(&meta));
        assert!(described.is_settled());
        // Asked, no answer yet; and answered "unknown".
        let pending = back(ContainerInfo::new(id.clone(), ContainerType::Docker));
        assert!(!pending.is_settled() && pending.meta().is_none());
        let unknown = ContainerInfo::new(id.clone(), ContainerType::Docker);
        unknown.set_meta(None);
        let unknown = back(unknown);
        assert!(unknown.is_settled() && unknown.meta().is_none());
        // Saker 0.1's record still reads.
        let old = json!({"kind":"container","id":id,"runtime":"podman","name":"web","image":"localhost/app:v1","privileged":true});
        let Ok(Record::Container(old)) = Record::from_json(&old) else {
            panic!("old record");
        };
        let old = old.meta().unwrap();
        assert_eq!(
            (
                old.name.as_str(),
                old.image_repository.as_str(),
                old.image_tag.as_str()
            ),
            ("web", "localhost/app", "v1")
        );
        assert!(old.privileged);
    }

    #[test]
    fn bad_files_are_reported_with_their_line() {
        let err = read_records(&b"{\"kind\":\"event\"}\n"[..], |_| Flow::Continue).unwrap_err();
        assert!(err.contains("line 1: not a saker capture file"), "{err}");
        let text = format!(
            "{}\n{{\"kind\":\"event\",\"header\":{{}}}}\n",
            Record::Header {
                created_ns: 1,
                hostname: "h".into(),
                passwd: String::new(),
                group: String::new()
            }
            .to_json()
        );
        let err = read_records(text.as_bytes(), |_| Flow::Continue).unwrap_err();
        assert_eq!(err, "line 2: missing `ts`");
    }
}
