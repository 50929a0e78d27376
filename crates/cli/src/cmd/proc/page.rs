//! The `saker proc PID` page: gathered into [`ProcPage`], rendered as text or JSON.

use std::fmt::Write as _;

use saker_event::escape::escape;
use saker_proc::capabilities::{capability_names, describe_capabilities};
use saker_proc::cgroup::{CgroupEntry, Container, container_of};
use saker_proc::fdinfo::is_memfd_path;
use saker_proc::status::seccomp_mode_name;
use saker_proc::users::NameTable;
use saker_proc::{Error, Process, Stat, Status, SystemInfo, tty};
use serde_json::{Value, json};

use crate::cmd::containers::{self, ContainerNames};
use crate::cmd::ps::container_json;
use crate::cmd::ps::timefmt::{self, Clock};
use saker_container::ContainerMeta;

/// A value that may have been unreadable; the error text is shown in its place.
pub type Field<T> = Result<T, String>;

/// The executable, with the two markers an incident responder looks for first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exe {
    pub path: String,
    /// The file was unlinked after the process started it.
    pub deleted: bool,
    /// The program runs from an anonymous memfd: a classic fileless-malware sign.
    pub memfd: bool,
}

impl Exe {
    pub fn from_link(link: &str) -> Exe {
        let (path, deleted) = match link.strip_suffix(" (deleted)") {
            Some(p) => (p.to_string(), true),
            None => (link.to_string(), false),
        };
        Exe {
            memfd: is_memfd_path(&path),
            path,
            deleted,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceRow {
    pub kind: &'static str,
    pub inode: Field<u64>,
    /// `None` when init's namespace could not be read.
    pub same_as_init: Option<bool>,
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct ProcPage {
    pub stat: Stat,
    pub status: Status,
    pub exe: Field<Exe>,
    pub cmdline: Field<Vec<String>>,
    pub cwd: Field<String>,
    pub root: Field<String>,
    pub loginuid: Field<Option<u32>>,
    /// Parents from the direct parent up to init: (name, pid).
    pub parents: Vec<(String, u32)>,
    pub namespaces: Vec<NamespaceRow>,
    pub cgroups: Field<Vec<CgroupEntry>>,
    pub container: Option<Container>,
    /// What the container's runtime said about it, when it answered.
    pub container_meta: Option<ContainerMeta>,
    pub start: i64,
}

fn field<T>(r: saker_proc::Result<T>) -> Field<T> {
    r.map_err(|e| e.to_string())
}

/// Reads the page of `pid`. Only a missing process or an unreadable stat/status fail the
/// whole page; every other file shows its own error.
pub fn gather(pid: u32, sys: &SystemInfo) -> Result<ProcPage, Error> {
    let p = Process::open(pid)?;
    let stat = p.stat()?;
    let status = p.status()?;
    let cgroups = field(p.cgroups());
    let container = cgroups.as_ref().ok().and_then(|c| container_of(c));
    let container_meta = ContainerNames::lookup(container.iter())
        .of(container.as_ref())
        .cloned();
    let init_ns = initial_namespaces();
    let namespaces = p
        .namespaces()
        .into_iter()
        .map(|ns| {
            let inode = field(ns.inode);
            let init_inode = init_ns
                .iter()
                .find(|(kind, _)| *kind == ns.kind)
                .map(|(_, inode)| *inode);
            let same_as_init = match (&inode, init_inode) {
                (Ok(a), Some(b)) => Some(*a == b),
                _ => None,
            };
            NamespaceRow {
                kind: ns.kind,
                inode,
                same_as_init,
            }
        })
        .collect();
    Ok(ProcPage {
        exe: field(p.readlink("exe")).map(|l| Exe::from_link(&l)),
        cmdline: field(p.cmdline()),
        cwd: field(p.readlink("cwd")),
        root: field(p.readlink("root")),
        loginuid: field(p.loginuid()),
        parents: parent_chain(stat.ppid),
        namespaces,
        cgroups,
        container,
        container_meta,
        start: sys.start_epoch(stat.starttime) as i64,
        stat,
        status,
    })
}

/// The initial namespaces, by type: init's, or where init's cannot be read (a sandbox may
/// forbid it even to root) kthreadd's: kernel threads always live in the initial namespaces
/// (`init_nsproxy`, kernel/nsproxy.c).
fn initial_namespaces() -> Vec<(&'static str, u64)> {
    let readable = |pid: u32| -> Vec<(&'static str, u64)> {
        Process::open(pid)
            .map(|p| {
                p.namespaces()
                    .into_iter()
                    .filter_map(|ns| Some((ns.kind, ns.inode.ok()?)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut found = readable(1);
    let kthreadd_is_kernel = Process::open(2)
        .and_then(|p| p.stat())
        .is_ok_and(|s| s.is_kernel_thread());
    if found.len() < saker_proc::namespaces::NAMESPACE_KINDS.len() && kthreadd_is_kernel {
        for (kind, inode) in readable(2) {
            if !found.iter().any(|(k, _)| *k == kind) {
                found.push((kind, inode));
            }
        }
    }
    found
}

/// Walks ppid links up to init (or the first process that cannot be read).
fn parent_chain(mut ppid: u32) -> Vec<(String, u32)> {
    let mut chain = Vec::new();
    // A pid cycle cannot happen in the kernel, but reads race with reparenting; bound it.
    while ppid != 0 && chain.len() < 1024 {
        let Ok(stat) = Process::open(ppid).and_then(|p| p.stat()) else {
            chain.push(("?".to_string(), ppid));
            break;
        };
        chain.push((stat.comm, ppid));
        ppid = stat.ppid;
    }
    chain
}

fn id_with_name(id: u32, names: &NameTable) -> String {
    match names.get(id) {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    }
}

fn ids_line(ids: &[u32; 4], names: &NameTable) -> String {
    format!(
        "real {}  effective {}  saved {}  fs {}",
        id_with_name(ids[0], names),
        id_with_name(ids[1], names),
        id_with_name(ids[2], names),
        id_with_name(ids[3], names)
    )
}

fn show<T>(f: &Field<T>, fmt: impl Fn(&T) -> String) -> String {
    match f {
        Ok(v) => fmt(v),
        Err(e) => format!("? ({e})"),
    }
}

/// `a(1) <- b(2)`.
pub fn chain_text(self_name: &str, pid: u32, parents: &[(String, u32)]) -> String {
    std::iter::once(format!("{self_name}({pid})"))
        .chain(parents.iter().map(|(n, p)| format!("{n}({p})")))
        .collect::<Vec<_>>()
        .join(" <- ")
}

pub fn exe_text(e: &Exe) -> String {
    let mut s = e.path.clone();
    if e.memfd {
        s.push_str("  [memfd: running from anonymous memory]");
    } else if e.deleted {
        s.push_str("  [deleted: binary removed from disk]");
    }
    s
}

/// The text page.
pub fn render(page: &ProcPage, clock: &Clock, users: &NameTable, groups: &NameTable) -> String {
    let st = &page.status;
    let mut o = String::new();
    let mut line = |k: &str, v: String| {
        let _ = writeln!(o, "{k:<12}{}", escape(&v));
    };
    line("PID", page.stat.pid.to_string());
    // stat's comm, not status's Name: the kernel escapes some characters in the latter.
    line("Name", page.stat.comm.clone());
    line("State", st.state.clone());
    line("Exe", show(&page.exe, exe_text));
    line(
        "Cmdline",
        show(&page.cmdline, |c| {
            if c.is_empty() {
                "(none: kernel thread or zombie)".to_string()
            } else {
                c.join(" ")
            }
        }),
    );
    line("Cwd", show(&page.cwd, String::clone));
    line("Root", show(&page.root, String::clone));
    line("UIDs", ids_line(&st.uid, users));
    line("GIDs", ids_line(&st.gid, groups));
    if !st.groups.is_empty() {
        line(
            "Groups",
            st.groups
                .iter()
                .map(|g| id_with_name(*g, groups))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    line(
        "Login UID",
        show(&page.loginuid, |l| match l {
            Some(uid) => id_with_name(*uid, users),
            None => "unset".to_string(),
        }),
    );
    line("TTY", tty::tty_name(page.stat.tty_nr));
    line("Started", clock.describe(page.start));
    line(
        "Parents",
        chain_text(&page.stat.comm, page.stat.pid, &page.parents),
    );
    line("Threads", st.threads.to_string());
    if st.ns_pid.len() > 1 {
        line(
            "NSpid",
            st.ns_pid
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if st.tracer_pid != 0 {
        line("TracerPid", st.tracer_pid.to_string());
    }
    line(
        "Container",
        match &page.container {
            Some(c) => {
                let mut s = format!("{} ({}) {}", c.short_id(), c.runtime, c.id);
                if let Some(meta) = &page.container_meta {
                    if !meta.name.is_empty() {
                        let _ = write!(s, "  name {}", meta.name);
                    }
                    let image = containers::image_text(meta);
                    if !image.is_empty() {
                        let _ = write!(s, "  image {image}");
                    }
                    if meta.privileged {
                        s.push_str("  privileged");
                    }
                }
                if let Some(pod) = &c.pod {
                    let _ = write!(s, "  pod {} qos {}", pod.uid, pod.qos.name());
                }
                if let Some(meta) = &page.container_meta
                    && let Some(pod) = meta.pod_name()
                {
                    let _ = write!(
                        s,
                        "  k8s pod {pod} namespace {}",
                        meta.pod_namespace().unwrap_or("<NA>")
                    );
                }
                s
            }
            None => "none (host)".to_string(),
        },
    );
    o.push_str("Namespaces  (inode, same as init?)\n");
    for ns in &page.namespaces {
        let same = match ns.same_as_init {
            Some(true) => "same as init",
            Some(false) => "DIFFERENT from init",
            None => "unknown (initial namespace unreadable)",
        };
        let _ = match &ns.inode {
            Ok(inode) => writeln!(o, "  {:<10}{:<12}{same}", ns.kind, inode),
            Err(e) => writeln!(o, "  {:<10}? ({e})", ns.kind),
        };
    }
    match &page.cgroups {
        Ok(cgroups) => {
            o.push_str("Cgroups\n");
            for c in cgroups {
                let _ = writeln!(
                    o,
                    "  {}:{}:{}",
                    c.hierarchy,
                    escape(&c.controllers),
                    escape(&c.path)
                );
            }
        }
        Err(e) => {
            let _ = writeln!(o, "Cgroups     ? ({e})");
        }
    }
    o.push_str("Capabilities\n");
    for (name, set) in [
        ("CapEff", st.cap_eff),
        ("CapPrm", st.cap_prm),
        ("CapBnd", st.cap_bnd),
        ("CapInh", st.cap_inh),
        ("CapAmb", st.cap_amb),
    ] {
        let _ = writeln!(o, "  {name}    {set:016x}  {}", describe_capabilities(set));
    }
    let mut line = |k: &str, v: String| {
        let _ = writeln!(o, "{k:<12}{}", escape(&v));
    };
    let seccomp = if st.seccomp == 2 {
        let plural = if st.seccomp_filters == 1 { "" } else { "s" };
        format!("filter ({} filter{plural})", st.seccomp_filters)
    } else {
        seccomp_mode_name(st.seccomp).to_string()
    };
    line("Seccomp", seccomp);
    line(
        "NoNewPrivs",
        if st.no_new_privs { "1 (set)" } else { "0" }.to_string(),
    );
    o
}

fn field_json<T>(f: &Field<T>, v: impl Fn(&T) -> Value) -> Value {
    match f {
        Ok(x) => v(x),
        Err(_) => Value::Null,
    }
}

fn caps_json(set: u64) -> Value {
    json!({ "hex": format!("{set:016x}"), "names": capability_names(set) })
}

/// The JSON object of `saker proc PID --json`.
pub fn to_json(page: &ProcPage) -> Value {
    let st = &page.status;
    let mut errors = serde_json::Map::new();
    let mut note = |k: &str, e: Option<&String>| {
        if let Some(e) = e {
            errors.insert(k.to_string(), Value::String(e.clone()));
        }
    };
    note("exe", page.exe.as_ref().err());
    note("cmdline", page.cmdline.as_ref().err());
    note("cwd", page.cwd.as_ref().err());
    note("root", page.root.as_ref().err());
    note("loginuid", page.loginuid.as_ref().err());
    note("cgroups", page.cgroups.as_ref().err());
    for ns in &page.namespaces {
        note(&format!("ns/{}", ns.kind), ns.inode.as_ref().err());
    }
    json!({
        "pid": page.stat.pid,
        "name": page.stat.comm,
        "state": st.state,
        "exe": field_json(&page.exe, |e| json!({"path": e.path, "deleted": e.deleted, "memfd": e.memfd})),
        "cmdline": field_json(&page.cmdline, |c| json!(c)),
        "cwd": field_json(&page.cwd, |c| json!(c)),
        "root": field_json(&page.root, |c| json!(c)),
        "uids": {"real": st.uid[0], "effective": st.uid[1], "saved": st.uid[2], "fs": st.uid[3]},
        "gids": {"real": st.gid[0], "effective": st.gid[1], "saved": st.gid[2], "fs": st.gid[3]},
        "groups": st.groups,
        "loginuid": field_json(&page.loginuid, |l| json!(l)),
        "tty": tty::tty_name(page.stat.tty_nr),
        "start_time": timefmt::rfc3339_utc(page.start),
        "parents": page.parents.iter().map(|(n, p)| json!({"pid": p, "name": n})).collect::<Vec<_>>(),
        "threads": st.threads,
        "ns_pid": st.ns_pid,
        "tracer_pid": st.tracer_pid,
        "namespaces": page.namespaces.iter().map(|ns| json!({
            "type": ns.kind,
            "inode": ns.inode.as_ref().ok(),
            "same_as_init": ns.same_as_init,
        })).collect::<Vec<_>>(),
        "cgroups": field_json(&page.cgroups, |cs| json!(cs.iter().map(|c| json!({
            "hierarchy": c.hierarchy, "controllers": c.controllers, "path": c.path
        })).collect::<Vec<_>>())),
        "container": container_json(page.container.as_ref(), page.container_meta.as_ref()),
        "capabilities": {
            "effective": caps_json(st.cap_eff),
            "permitted": caps_json(st.cap_prm),
            "bounding": caps_json(st.cap_bnd),
            "inheritable": caps_json(st.cap_inh),
            "ambient": caps_json(st.cap_amb),
        },
        "seccomp": seccomp_mode_name(st.seccomp),
        "seccomp_filters": st.seccomp_filters,
        "no_new_privs": st.no_new_privs,
        "errors": errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::ps::tests::{check_golden, fixture, fixture_clock, fixture_system};
    use saker_proc::cgroup::parse_cgroup;
    use saker_proc::stat::parse_stat;
    use saker_proc::status::parse_status;

    /// The podman busybox `sleep` captured on this machine, with the links a root reader saw.
    fn fixture_page() -> ProcPage {
        let sys = fixture_system();
        let stat = parse_stat(&fixture("stat-podman-sleep.txt")).unwrap();
        let status =
            parse_status(&String::from_utf8(fixture("status-podman-sleep.txt")).unwrap()).unwrap();
        let cgroups =
            parse_cgroup(&String::from_utf8(fixture("cgroup-podman-sleep.txt")).unwrap()).unwrap();
        let kinds = saker_proc::namespaces::NAMESPACE_KINDS;
        let namespaces = kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| NamespaceRow {
                kind,
                inode: if *kind == "time" {
                    Err("permission denied reading /proc/7205/ns/time (root is needed)".into())
                } else {
                    Ok(4026532200 + i as u64)
                },
                same_as_init: match *kind {
                    "time" => None,
                    "user" => Some(true),
                    _ => Some(false),
                },
            })
            .collect();
        ProcPage {
            start: sys.start_epoch(stat.starttime) as i64,
            exe: Ok(Exe::from_link("/bin/busybox")),
            cmdline: Ok(saker_proc::environ::parse_cmdline(&fixture(
                "cmdline-podman-sleep.txt",
            ))),
            cwd: Ok("/".into()),
            root: Ok("/".into()),
            loginuid: Ok(None),
            parents: vec![("conmon".into(), 7194), ("process_api".into(), 1)],
            namespaces,
            container: container_of(&cgroups),
            container_meta: crate::cmd::ps::tests::fixture_names()
                .get("b8ef8b10085e4f69df624915fef02ba61d013fa8874e292237e21029ca9a3a09")
                .cloned(),
            cgroups: Ok(cgroups),
            stat,
            status,
        }
    }

    fn names() -> NameTable {
        NameTable::parse("root:x:0:0::/root:/bin/sh\n")
    }

    #[test]
    fn golden_page() {
        let text = render(&fixture_page(), &fixture_clock(), &names(), &names());
        check_golden("proc-page.txt", &text);
    }

    #[test]
    fn golden_json() {
        let json = serde_json::to_string_pretty(&to_json(&fixture_page())).unwrap();
        check_golden("proc-page.json", &(json + "\n"));
    }

    #[test]
    fn exe_markers() {
        assert_eq!(
            Exe::from_link("/usr/bin/x (deleted)"),
            Exe {
                path: "/usr/bin/x".into(),
                deleted: true,
                memfd: false
            }
        );
        let m = Exe::from_link("/memfd:payload (deleted)");
        assert!(m.memfd && m.deleted);
        assert!(exe_text(&m).contains("memfd"));
        assert_eq!(
            chain_text("sh", 5, &[("bash".into(), 4), ("init".into(), 1)]),
            "sh(5) <- bash(4) <- init(1)"
        );
    }
}
