//! End-to-end checks: synthetic events through the state and the default rules.

use std::collections::BTreeMap;

use saker_engine::{Engine, EngineOptions, RuleMatching};
use saker_event::{
    Bytes, Comm, EventBody, EventHeader, ExecInfo, SockAddr, SyscallDetail, SyscallEvent,
    SyscallExit,
};

use saker_container::{ContainerMeta, ContainerType, Mount};

use crate::{
    ContainerInfo, EventContext, EventTypes, LiveEvent, ProcessEntry, State, StateOptions,
};

struct Fixture {
    state: State,
    engine: Engine,
    types: EventTypes,
    ts: u64,
}

const CID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A syscall's exit event with no raw arguments.
fn syscall_exit(header: EventHeader, nr: i64, ret: i64, detail: SyscallDetail) -> SyscallEvent {
    SyscallEvent {
        header,
        body: EventBody::Syscall(SyscallExit {
            nr,
            ret,
            args: [0; 6],
            duration_ns: None,
            off_cpu_ns: None,
            detail,
        }),
    }
}

impl Fixture {
    fn new() -> Fixture {
        let (ruleset, diags) = saker_engine::load_default_rules();
        assert!(diags.iter().all(|d| !d.is_error()));
        let engine = Engine::new(
            &ruleset,
            EngineOptions {
                rule_matching: RuleMatching::All,
                ..EngineOptions::default()
            },
        )
        .unwrap();
        let types = EventTypes::new(&engine);
        let mut state = State::new(StateOptions {
            read_proc: false,
            containers: None,
        });
        // init and a login shell on pts/0 on the host; a container's init.
        state.insert_process(proc_entry(1, 0, "systemd", "/", None));
        let mut bash = proc_entry(100, 1, "bash", "/root", None);
        bash.tty = 34816;
        state.insert_process(bash);
        let container = state.insert_container(ContainerInfo::with_meta(busybox_meta(CID)));
        // Running before the capture: no `container` event for it.
        container.announce();
        state.insert_process(proc_entry(200, 1, "conmon", "/", None));
        let mut cinit = proc_entry(201, 200, "sleep", "/", Some(container));
        cinit.vpid = 1;
        state.insert_process(cinit);
        Fixture {
            state,
            engine,
            types,
            ts: 1_700_000_000_000_000_000,
        }
    }

    fn header(&mut self, pid: u32, comm: &str) -> EventHeader {
        self.ts += 1000;
        let ppid = self.state.process(pid).map_or(1, |p| p.ppid);
        EventHeader {
            ts_ns: self.ts,
            tid: pid,
            pid,
            ppid,
            uid: 0,
            gid: 0,
            euid: 0,
            egid: 0,
            cgroup_id: 0,
            comm: Comm::from(comm),
        }
    }

    /// Feeds one event; returns `rule -> output` of the alerts it raised.
    fn feed(&mut self, event: SyscallEvent) -> BTreeMap<String, String> {
        let ctx = self.state.apply(&event);
        let Some(live) = LiveEvent::new(&self.state, &self.types, &event, &ctx, 1) else {
            return BTreeMap::new();
        };
        self.engine
            .process(&live)
            .into_iter()
            .map(|a| (a.rule, a.output))
            .collect()
    }

    fn fork(&mut self, parent: u32, child: u32) {
        let comm = self.state.process(parent).unwrap().comm.clone();
        let header = self.header(parent, &comm);
        self.feed(SyscallEvent {
            header,
            body: EventBody::Fork {
                child_tid: child,
                child_pid: child,
                child_vtid: child,
                child_vpid: child,
            },
        });
    }

    fn exec(
        &mut self,
        pid: u32,
        path: &str,
        argv: &[&str],
        tty: Option<(u32, u32)>,
    ) -> BTreeMap<String, String> {
        let comm = path.rsplit('/').next().unwrap();
        let header = self.header(pid, comm);
        self.feed(SyscallEvent {
            header,
            body: EventBody::Exec(ExecInfo {
                nr: libc::SYS_execve,
                filename: path.into(),
                argv: argv.iter().map(|a| Bytes::from(*a)).collect(),
                argv_truncated: false,
                env_count: None,
                envp: None,
                old_tid: pid,
                vtid: pid,
                vpid: pid,
                loginuid: u32::MAX,
                tty,
                caps: None,
                exe_upper_layer: false,
            }),
        })
    }

    fn syscall(
        &mut self,
        pid: u32,
        nr: i64,
        ret: i64,
        detail: SyscallDetail,
    ) -> BTreeMap<String, String> {
        let comm = self
            .state
            .process(pid)
            .map(|p| p.comm.clone())
            .unwrap_or_default();
        let header = self.header(pid, &comm);
        self.feed(syscall_exit(header, nr, ret, detail))
    }

    /// A TCP socket of `pid` bound to `server` (fd 3) accepts a connection from `client`
    /// (fd 4): the accept's alerts.
    fn tcp_accept(&mut self, pid: u32, server: &str, client: &str) -> BTreeMap<String, String> {
        let socket = SyscallDetail::Socket {
            domain: libc::AF_INET,
            kind: libc::SOCK_STREAM,
            protocol: 0,
        };
        self.syscall(pid, libc::SYS_socket, 3, socket);
        let addr = Some(SockAddr::Inet(server.parse().unwrap()));
        self.syscall(pid, libc::SYS_bind, 0, SyscallDetail::Bind { fd: 3, addr });
        let peer = Some(SockAddr::Inet(client.parse().unwrap()));
        self.syscall(
            pid,
            libc::SYS_accept4,
            4,
            SyscallDetail::Accept { fd: 3, peer },
        )
    }

    fn open(&mut self, pid: u32, path: &str, flags: u64, ret: i64) -> BTreeMap<String, String> {
        self.syscall(
            pid,
            libc::SYS_openat,
            ret,
            SyscallDetail::Open {
                dirfd: -100,
                path: path.into(),
                flags,
                mode: 0o644,
            },
        )
    }

    fn exit(&mut self, pid: u32) {
        let comm = self
            .state
            .process(pid)
            .map(|p| p.comm.clone())
            .unwrap_or_default();
        let header = self.header(pid, &comm);
        self.feed(SyscallEvent {
            header,
            body: EventBody::Exit {
                status: 0,
                process_exited: true,
            },
        });
    }
}

/// A podman container of the test image, as podman's API describes it.
fn busybox_meta(id: &str) -> ContainerMeta {
    let (repository, tag) = ("localhost/saker-test/busybox", "latest");
    ContainerMeta {
        id: id.into(),
        kind: ContainerType::Podman,
        name: "web".into(),
        image: format!("{repository}:{tag}"),
        image_repository: repository.into(),
        image_tag: tag.into(),
        ..ContainerMeta::default()
    }
}

fn proc_entry(
    pid: u32,
    ppid: u32,
    comm: &str,
    cwd: &str,
    container: Option<std::sync::Arc<ContainerInfo>>,
) -> ProcessEntry {
    ProcessEntry {
        pid,
        ppid,
        vpid: pid,
        comm: comm.into(),
        exe: comm.into(),
        exepath: format!("/usr/bin/{comm}"),
        cwd: cwd.into(),
        threads: 1,
        container,
        ..ProcessEntry::default()
    }
}

const O_WRONLY_CREAT: u64 = 0o101;

#[test]
fn write_below_etc_with_relative_path_and_ancestry() {
    let mut f = Fixture::new();
    f.fork(100, 300);
    f.exec(300, "/usr/bin/touch", &["touch", "x"], Some((136, 0)));
    // cd /etc first: the relative path resolves against the new cwd.
    f.syscall(
        300,
        libc::SYS_chdir,
        0,
        SyscallDetail::Chdir {
            path: "/etc".into(),
        },
    );
    let alerts = f.open(300, "x", O_WRONLY_CREAT, 3);
    let out = &alerts["Write below etc"];
    assert!(out.contains("file=/etc/x"), "{out}");
    assert!(out.contains("command=touch x"), "{out}");
    assert!(out.contains("parent=bash"), "{out}");
    assert!(out.contains("gparent=systemd"), "{out}");
    assert!(out.contains("container_id=host"), "{out}");
    assert!(out.contains("user=<NA>") || out.contains("user="), "{out}");
    // The fd stays known: fd.name is right on the close.
    assert_eq!(f.state.process(300).unwrap().fds[&3].name, "/etc/x");
    f.syscall(300, libc::SYS_close, 0, SyscallDetail::Close { fd: 3 });
    assert!(!f.state.process(300).unwrap().fds.contains_key(&3));

    // A trusted program writing the same file raises nothing, nor a failed open.
    f.fork(100, 301);
    f.exec(301, "/usr/sbin/useradd", &["useradd", "bob"], None);
    assert!(f.open(301, "/etc/x", O_WRONLY_CREAT, 3).is_empty());
    assert!(f.open(300, "/etc/y", O_WRONLY_CREAT, -13).is_empty());
}

#[test]
fn sensitive_read_and_environ() {
    let mut f = Fixture::new();
    f.fork(100, 310);
    f.exec(310, "/usr/bin/cat", &["cat", "/etc/shadow"], None);
    let alerts = f.open(310, "/etc/shadow", 0, 3);
    assert!(
        alerts["Read sensitive file untrusted"].contains("program=cat"),
        "{alerts:?}"
    );
    let alerts = f.open(310, "/proc/1/environ", 0, 4);
    assert!(
        alerts.contains_key("Read environment variable from /proc files"),
        "{alerts:?}"
    );
    assert!(f.open(310, "/proc/self/environ", 0, 5).is_empty());

    f.fork(100, 311);
    f.exec(311, "/usr/sbin/sshd", &["sshd"], None);
    let alerts = f.open(311, "/etc/shadow", 0, 3);
    assert!(
        !alerts.contains_key("Read sensitive file untrusted"),
        "{alerts:?}"
    );
}

#[test]
fn container_shell_and_package_manager() {
    let mut f = Fixture::new();
    f.fork(201, 400);
    let alerts = f.exec(400, "/bin/sh", &["sh"], Some((136, 3)));
    let out = &alerts["Terminal shell in container"];
    assert!(out.contains("container_id=0123456789ab "), "{out}");
    assert!(
        out.contains("container_image_repository=localhost/saker-test/busybox"),
        "{out}"
    );
    assert!(out.contains("shell=sh"), "{out}");
    // Without a terminal: no alert.
    f.fork(201, 401);
    assert!(
        f.exec(401, "/bin/sh", &["sh", "-c", "true"], None)
            .is_empty()
    );

    f.fork(400, 402);
    let alerts = f.exec(402, "/bin/apk", &["apk", "add", "curl"], Some((136, 3)));
    assert!(
        alerts["Launch Package Management Process in Container"].contains("command=apk add curl")
    );
    // The same on the host: no alert.
    f.fork(100, 403);
    assert!(
        !f.exec(403, "/usr/bin/apt-get", &["apt-get", "update"], None)
            .contains_key("Launch Package Management Process in Container")
    );

    // `echo x >> /etc/passwd` from the shell (apk itself is trusted to write /etc).
    assert!(
        !f.open(402, "/etc/passwd", 0o2101, 3)
            .contains_key("Write below etc")
    );
    let alerts = f.open(400, "/etc/passwd", 0o2101, 3);
    assert!(alerts["Write below etc"].contains("container_id=0123456789ab"));
}

#[test]
fn fd_table_follows_dup_socket_and_connect() {
    let mut f = Fixture::new();
    f.fork(201, 500);
    f.exec(500, "/bin/nc", &["nc", "10.0.0.5", "4444"], None);
    f.syscall(
        500,
        libc::SYS_socket,
        3,
        SyscallDetail::Socket {
            domain: 2,
            kind: 1,
            protocol: 0,
        },
    );
    let addr = SockAddr::Inet("10.96.0.1:443".parse().unwrap());
    let alerts = f.syscall(
        500,
        libc::SYS_connect,
        0,
        SyscallDetail::Connect {
            fd: 3,
            addr: Some(addr),
        },
    );
    assert!(
        alerts["Contact K8S API Server From Container"].contains("connection=->10.96.0.1:443"),
        "{alerts:?}"
    );
    let alerts = f.syscall(500, libc::SYS_dup2, 0, SyscallDetail::Dup { old_fd: 3 });
    assert!(
        alerts.contains_key("Redirect STDOUT/STDIN to Network Connection in Container"),
        "{alerts:?}"
    );
    assert_eq!(
        f.state.process(500).unwrap().fds[&0].kind,
        crate::FdKind::Ipv4
    );
    // Dup of a pipe: no alert.
    f.syscall(
        500,
        libc::SYS_pipe2,
        0,
        SyscallDetail::FdPair {
            fds: Some([5, 6]),
            flags: 0,
        },
    );
    assert!(
        f.syscall(500, libc::SYS_dup2, 1, SyscallDetail::Dup { old_fd: 5 })
            .is_empty()
    );
    // O_CLOEXEC fds close at exec, others survive.
    f.open(500, "/tmp/a", 0o2000000, 7);
    f.open(500, "/tmp/b", 0, 8);
    f.exec(500, "/bin/true", &["true"], None);
    let fds = &f.state.process(500).unwrap().fds;
    assert!(!fds.contains_key(&7) && fds.contains_key(&8));
}

#[test]
fn paths_of_rename_symlink_and_chmod() {
    let mut f = Fixture::new();
    f.fork(100, 600);
    f.exec(600, "/bin/mv", &["mv"], None);
    let alerts = f.syscall(
        600,
        libc::SYS_renameat2,
        0,
        SyscallDetail::Rename {
            old_dirfd: -100,
            old_path: ".bash_history".into(),
            new_dirfd: -100,
            new_path: "/tmp/h".into(),
            flags: 0,
        },
    );
    assert!(
        alerts["Delete or rename shell history"].contains("source=/root/.bash_history"),
        "{alerts:?}"
    );
    let alerts = f.syscall(
        600,
        libc::SYS_symlinkat,
        0,
        SyscallDetail::Symlink {
            target: "/etc/shadow".into(),
            dirfd: -100,
            link_path: "s".into(),
        },
    );
    assert!(
        alerts["Create Symlink Over Sensitive Files"].contains("linkpath=/root/s"),
        "{alerts:?}"
    );
    let alerts = f.syscall(
        600,
        libc::SYS_fchmodat,
        0,
        SyscallDetail::Chmod {
            dirfd: -100,
            path: Some("bin/x".into()),
            fd: None,
            mode: 0o4755,
        },
    );
    assert!(
        alerts["Set Setuid or Setgid bit"].contains("file=/root/bin/x"),
        "{alerts:?}"
    );
}

#[test]
fn fork_exec_storm_leaves_the_table_bounded() {
    let mut f = Fixture::new();
    let before = f.state.len();
    for i in 0..5000u32 {
        let pid = 10_000 + i;
        f.fork(100, pid);
        f.exec(pid, "/bin/true", &["true"], None);
        f.open(pid, "/etc/ld.so.cache", 0o2000000, 3);
        f.exit(pid);
    }
    // The last exited process leaves at the next event.
    f.open(100, "/tmp/z", 0, 9);
    assert_eq!(f.state.len(), before);
    assert_eq!(f.state.stats().purged, 5000);
}

#[test]
fn unknown_process_is_built_from_the_header() {
    let mut f = Fixture::new();
    let alerts = f.open(7777, "/etc/shadow", 0, 3);
    // Its name comes from the header's comm (empty here): proc_name_exists keeps it quiet.
    assert!(alerts.is_empty());
    assert_eq!(f.state.stats().late_from_header, 1);
    assert_eq!(f.state.process(7777).unwrap().fds[&3].name, "/etc/shadow");
}

const NEW_CID: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

impl Fixture {
    /// Evaluates the `container` events ready; returns `rule -> output` of their alerts.
    fn container_events(&mut self) -> BTreeMap<String, String> {
        let mut alerts = BTreeMap::new();
        let ctx = EventContext::default();
        while let Some(started) = self.state.take_container_started() {
            let live = LiveEvent::container_started(&self.state, &self.types, &started, &ctx, 1);
            for a in self.engine.process(&live) {
                alerts.insert(a.rule, a.output);
            }
        }
        alerts
    }

    /// A `getpid` by `pid`: an event that changes nothing, for reading fields.
    fn getpid(&mut self, pid: u32, comm: &str) -> SyscallEvent {
        let header = self.header(pid, comm);
        syscall_exit(
            header,
            libc::SYS_getpid,
            i64::from(pid),
            SyscallDetail::Other,
        )
    }

    /// A new container's first process (vpid 1), forked by conmon, not yet executed.
    fn new_container_init(&mut self, pid: u32, meta: Option<ContainerMeta>) {
        let info = match meta {
            Some(meta) => ContainerInfo::with_meta(meta),
            None => ContainerInfo::new(NEW_CID, ContainerType::Podman),
        };
        let container = self.state.insert_container(info);
        let mut init = proc_entry(pid, 200, "runc:[2:INIT]", "/", Some(container));
        init.vpid = 1;
        self.state.insert_process(init);
    }
}

/// Field values by name, as text (`None`: `<NA>`).
fn field(live: &LiveEvent, name: &str) -> Option<String> {
    use saker_engine::{Event, FieldRef, Slot, Value, resolve_field};
    let (id, arg) = resolve_field(name, None).unwrap();
    let value = live.value(&FieldRef {
        id,
        arg,
        slot: Slot(0),
    })?;
    Some(match value {
        Value::Str(s) => s.into_owned(),
        Value::Bool(b) => b.to_string(),
        Value::UInt(n) => n.to_string(),
        Value::Int(n) => n.to_string(),
        other => format!("{other:?}"),
    })
}

#[test]
fn container_event_waits_for_the_runtime_then_fires_the_launch_rules() {
    let mut f = Fixture::new();
    f.state.expect_container_records();
    f.new_container_init(500, None);
    f.exec(500, "/bin/sleep", &["sleep", "600"], None);
    // The runtime has not answered: no `container` event yet.
    assert!(f.state.take_container_started().is_none());
    let mut meta = busybox_meta(NEW_CID);
    meta.name = "priv".into();
    meta.privileged = true;
    meta.mounts = vec![Mount {
        source: "/etc".into(),
        dest: "/host/etc".into(),
        mode: "ro".into(),
        rdwr: false,
        propagation: "rprivate".into(),
    }];
    meta.labels
        .insert("io.kubernetes.pod.name".into(), "web-7d9".into());
    meta.labels
        .insert("io.kubernetes.pod.namespace".into(), "shop".into());
    f.state.insert_container(ContainerInfo::with_meta(meta));
    let alerts = f.container_events();
    let out = &alerts["Launch Privileged Container"];
    for part in [
        "process=sleep",
        "command=sleep 600",
        "privileged=true",
        "container_id=fedcba987654",
        "container_name=priv",
        "container_image_repository=localhost/saker-test/busybox",
        "k8s_ns=shop",
        "k8s_pod=web-7d9",
    ] {
        assert!(out.contains(part), "{part}: {out}");
    }
    assert!(
        alerts["Launch Sensitive Mount Container"]
            .contains("mounts=/etc:/host/etc:ro:false:rprivate"),
        "{alerts:?}"
    );
    // Once per container: a later exec in it raises no second event.
    f.fork(500, 501);
    f.exec(501, "/bin/sh", &["sh"], None);
    assert!(f.state.take_container_started().is_none());
    assert_eq!(f.state.stats().containers_started, 1);
}

#[test]
fn container_event_of_a_plain_container_is_quiet() {
    let mut f = Fixture::new();
    f.new_container_init(500, Some(busybox_meta(NEW_CID)));
    f.exec(500, "/bin/sleep", &["sleep", "600"], None);
    let alerts = f.container_events();
    assert!(alerts.is_empty(), "{alerts:?}");
    assert_eq!(f.state.stats().containers_started, 1);
}

#[test]
fn container_fields_follow_falco() {
    let mut f = Fixture::new();
    let mut meta = busybox_meta(NEW_CID);
    meta.image_digest = "sha256:1211".into();
    meta.host_network = true;
    meta.ip = "10.88.0.8".into();
    meta.mounts = vec![
        Mount {
            source: "/etc".into(),
            dest: "/host/etc".into(),
            rdwr: false,
            propagation: "rprivate".into(),
            ..Mount::default()
        },
        Mount {
            source: "/srv".into(),
            dest: "/data".into(),
            rdwr: true,
            ..Mount::default()
        },
    ];
    meta.labels.insert("app".into(), "web".into());
    meta.labels
        .insert("io.kubernetes.pod.name".into(), "web-7d9".into());
    meta.labels
        .insert("io.kubernetes.pod.namespace".into(), "shop".into());
    meta.labels
        .insert("io.kubernetes.pod.uid".into(), "3e41dc6b".into());
    meta.pod_sandbox_id = "ab".repeat(32);
    meta.pod_sandbox_labels
        .insert("tier".into(), "front".into());
    meta.probes.push(saker_container::HealthProbe {
        kind: saker_container::ProbeKind::Healthcheck,
        exe: "/bin/sh".into(),
        args: vec!["-c".into(), "true".into()],
    });
    f.new_container_init(500, Some(meta));
    f.state
        .process(500)
        .unwrap()
        .container
        .as_ref()
        .unwrap()
        .note_init_start(1_000);
    f.exec(500, "/bin/sh", &["/bin/sh", "-c", "true"], None);
    let event = f.getpid(500, "sh");
    let ctx = f.state.apply(&event);
    let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 1).unwrap();
    for (name, expect) in [
        ("container.id", Some("fedcba987654")),
        ("container.full_id", Some(NEW_CID)),
        ("container.name", Some("web")),
        ("container.type", Some("podman")),
        (
            "container.image",
            Some("localhost/saker-test/busybox:latest"),
        ),
        (
            "container.image.repository",
            Some("localhost/saker-test/busybox"),
        ),
        ("container.image.tag", Some("latest")),
        ("container.image.digest", Some("sha256:1211")),
        ("container.image.id", None),
        ("container.privileged", Some("false")),
        ("container.host_network", Some("true")),
        ("container.host_pid", Some("false")),
        ("container.ip", Some("10.88.0.8")),
        ("container.cni.json", None),
        (
            "container.mounts",
            Some("/etc:/host/etc::false:rprivate,/srv:/data::true:"),
        ),
        ("container.mount[1]", Some("/srv:/data::true:")),
        ("container.mount[7]", None),
        ("container.mount.dest[/etc]", Some("/host/etc")),
        ("container.mount.dest[/e*]", Some("/host/etc")),
        ("container.mount.dest[/]", None),
        ("container.mount.source[/data]", Some("/srv")),
        ("container.mount.rdwr[/srv]", Some("true")),
        ("container.mount.propagation[0]", Some("rprivate")),
        ("container.label[app]", Some("web")),
        ("container.label.app", Some("web")),
        ("container.label[nope]", None),
        ("container.labels", Some("app:web")),
        ("container.healthcheck", Some("/bin/sh -c true")),
        ("container.liveness_probe", Some("NONE")),
        ("proc.is_container_healthcheck", Some("true")),
        ("proc.is_container_liveness_probe", Some("false")),
        ("container.start_ts", Some("1000")),
        ("k8s.pod.name", Some("web-7d9")),
        ("k8s.ns.name", Some("shop")),
        ("k8s.pod.uid", Some("3e41dc6b")),
        ("k8s.pod.id", Some("3e41dc6b")),
        ("k8s.pod.sandbox_id", Some("abababababab")),
        ("k8s.pod.full_sandbox_id", Some(&*"ab".repeat(32))),
        ("k8s.pod.label[tier]", Some("front")),
        ("k8s.pod.labels", Some("tier:front")),
        ("k8s.pod.ip", None),
        ("k8s.rc.name", None),
        ("k8s.deployment.label[app]", None),
    ] {
        assert_eq!(field(&live, name).as_deref(), expect, "{name}");
    }
    let duration: u64 = field(&live, "container.duration").unwrap().parse().unwrap();
    assert_eq!(duration, event.header.ts_ns - 1_000);
}

#[test]
fn host_and_undescribed_container_fields() {
    let mut f = Fixture::new();
    // A container no runtime described: its id, type and start, nothing else.
    f.new_container_init(500, None);
    let event = f.getpid(500, "runc:[2:INIT]");
    let ctx = f.state.apply(&event);
    let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 1).unwrap();
    for (name, expect) in [
        ("container.id", Some("fedcba987654")),
        ("container.type", Some("podman")),
        ("container.name", None),
        ("container.image.repository", None),
        ("container.privileged", None),
        ("container.mounts", None),
        ("k8s.pod.name", None),
    ] {
        assert_eq!(field(&live, name).as_deref(), expect, "{name}");
    }
    // The host.
    let event = f.getpid(100, "bash");
    let ctx = f.state.apply(&event);
    let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 1).unwrap();
    for (name, expect) in [
        ("container.id", Some("host")),
        ("container.full_id", Some("host")),
        ("container.name", Some("host")),
        ("container.type", Some("host")),
        ("container.image.repository", None),
        ("container.privileged", None),
        ("container.start_ts", None),
        ("k8s.ns.name", None),
        ("proc.is_container_healthcheck", Some("false")),
    ] {
        assert_eq!(field(&live, name).as_deref(), expect, "{name}");
    }
}

#[test]
fn runtime_network_housekeeping_below_etc_is_quiet() {
    let mut f = Fixture::new();
    f.fork(100, 600);
    f.exec(
        600,
        "/usr/bin/podman",
        &["podman", "run", "--rm", "img"],
        None,
    );
    let alerts = f.open(
        600,
        "/etc/containers/networks/netavark.lock",
        O_WRONLY_CREAT,
        3,
    );
    assert!(!alerts.contains_key("Write below etc"), "{alerts:?}");
    // The same program writing elsewhere below /etc still alerts.
    let alerts = f.open(600, "/etc/containers/policy.json", O_WRONLY_CREAT, 4);
    assert!(alerts.contains_key("Write below etc"), "{alerts:?}");
}

#[test]
fn runtime_setup_is_not_the_containers_first_program() {
    let mut f = Fixture::new();
    f.new_container_init(500, Some(busybox_meta(NEW_CID)));
    // runc re-executing itself in the container's cgroup, then the entrypoint.
    f.exec(500, "/usr/bin/runc", &["runc", "init"], None);
    assert!(f.state.take_container_started().is_none());
    f.exec(500, "/bin/sleep", &["sleep", "600"], None);
    let started = f.state.take_container_started().expect("container event");
    assert_eq!(started.process.comm, "sleep");
}

#[test]
fn ancestor_fields_by_index_and_all() {
    let mut f = Fixture::new();
    f.fork(100, 300);
    f.exec(300, "/usr/local/bin/tool", &["tool"], None);
    let event = f.getpid(300, "tool");
    let ctx = f.state.apply(&event);
    let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 1).unwrap();
    for (name, expect) in [
        ("proc.aname[1]", Some("bash")),
        ("proc.aexepath[1]", Some("/usr/bin/bash")),
        ("proc.aexepath[2]", Some("/usr/bin/systemd")),
        ("proc.aexepath[3]", None),
    ] {
        assert_eq!(field(&live, name).as_deref(), expect, "{name}");
    }
    let all = field(&live, "proc.aexepath").unwrap();
    assert!(
        all.contains("/usr/bin/bash") && all.contains("/usr/bin/systemd"),
        "{all}"
    );
}

#[test]
fn every_container_and_k8s_field_is_live() {
    let live: std::collections::HashSet<&str> = crate::live_field_names().collect();
    let missing: Vec<&str> = saker_rules::fields::all()
        .iter()
        .map(|f| f.name)
        .filter(|n| n.starts_with("container.") || n.starts_with("k8s."))
        .filter(|n| !live.contains(n))
        .collect();
    assert!(missing.is_empty(), "not filled live: {missing:?}");
}

#[test]
fn the_container_cache_stays_bounded() {
    let mut f = Fixture::new();
    for n in 0..crate::container::MAX_CACHED + 10 {
        let id = format!("{n:064x}");
        f.state
            .insert_container(ContainerInfo::with_meta(busybox_meta(&id)));
    }
    assert!(f.state.containers().count() > crate::container::MAX_CACHED);
    f.state.sweep();
    // Only the fixture's container, which a process is in, is left.
    let left: Vec<String> = f.state.containers().map(|c| c.id.clone()).collect();
    assert_eq!(left, [CID.to_string()]);
    assert!(f.state.process(201).unwrap().container.is_some());
}

/// A process reparented to a parent the table never saw start (a subreaper such as conmon,
/// after the process that forked it exited) gets that parent from /proc, as a process first
/// seen late does: proc.pname is not `<NA>`. (Found by the .scap round trip of the CKS
/// scenarios: live said parent=<NA> where the capture's table knew conmon.)
#[test]
fn a_new_parent_the_table_lacks_is_read_from_proc() {
    let mut state = State::new(StateOptions {
        read_proc: true,
        containers: None,
    });
    // Stands for the reparented child: any pid the table holds, with a parent that is gone.
    let child = 0x3fff_fff0;
    let mut entry = ProcessEntry {
        pid: child,
        ppid: 0x3fff_fff1,
        comm: "sh".to_string(),
        ..ProcessEntry::default()
    };
    entry.vpid = child;
    state.insert_process(entry);
    // This test's own process is the new parent: alive, in /proc, not in the table.
    let parent = std::process::id();
    assert!(state.process(parent).is_none());
    let header = EventHeader {
        ts_ns: 1,
        tid: child,
        pid: child,
        ppid: parent,
        uid: 0,
        gid: 0,
        euid: 0,
        egid: 0,
        cgroup_id: 0,
        comm: Comm::from("sh"),
    };
    state.apply(&syscall_exit(
        header,
        libc::SYS_getpid,
        i64::from(child),
        SyscallDetail::Other,
    ));
    assert_eq!(state.process(child).map(|p| p.ppid), Some(parent));
    let read = state
        .process(parent)
        .expect("the new parent is read from /proc");
    assert_eq!(read.pid, parent);
}

/// The capture leaves out the opens no rule needs: a later event on such an fd (here fchmod,
/// whose `fs.path.name` is the fd's file) is named from /proc, without adding the fd to the
/// table (its close is left out too).
#[test]
fn an_fd_the_table_lacks_is_named_from_proc() {
    use std::os::fd::AsRawFd;

    let mut state = State::new(StateOptions {
        read_proc: true,
        containers: None,
    });
    let pid = std::process::id();
    state.insert_process(ProcessEntry {
        pid,
        comm: "test".to_string(),
        ..ProcessEntry::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("left-out");
    let file = std::fs::File::create(&path).unwrap();
    let fd = file.as_raw_fd();
    let fchmod = |fd: i32| SyscallEvent {
        header: EventHeader {
            ts_ns: 1,
            tid: pid,
            pid,
            ppid: 1,
            uid: 0,
            gid: 0,
            euid: 0,
            egid: 0,
            cgroup_id: 0,
            comm: Comm::from("test"),
        },
        body: EventBody::Syscall(SyscallExit {
            nr: libc::SYS_fchmod,
            ret: 0,
            args: [0; 6],
            duration_ns: None,
            off_cpu_ns: None,
            detail: SyscallDetail::Chmod {
                dirfd: -100,
                path: None,
                fd: Some(fd),
                mode: 0o4755,
            },
        }),
    };
    let ctx = state.apply(&fchmod(fd));
    assert_eq!(ctx.fs_name.as_deref(), path.to_str());
    assert!(!state.process(pid).unwrap().fds.contains_key(&fd));
    assert_eq!(state.stats().fds_named_from_proc, 1);
    // A pipe is not a regular file: it stays unnamed, as before.
    let (reader, _writer) = std::io::pipe().unwrap();
    let ctx = state.apply(&fchmod(reader.as_raw_fd()));
    assert_eq!(ctx.fs_name, None);
    assert_eq!(state.stats().fds_unnamed, 1);
    // A failed *at call with that file as its directory fd (ENOTDIR) resolves against its
    // name too, as it would had the open been seen.
    let mut symlinkat = fchmod(fd);
    symlinkat.body = EventBody::Syscall(SyscallExit {
        nr: libc::SYS_symlinkat,
        ret: -i64::from(libc::ENOTDIR),
        args: [0; 6],
        duration_ns: None,
        off_cpu_ns: None,
        detail: SyscallDetail::Symlink {
            target: "../shadow".into(),
            dirfd: fd,
            link_path: "link".into(),
        },
    });
    let ctx = state.apply(&symlinkat);
    assert_eq!(
        ctx.fs_target.as_deref(),
        Some(format!("{}/link", path.display()).as_str())
    );
    assert_eq!(state.stats().fds_named_from_proc, 2);
    drop(file);
}

/// The engine's fast paths (`str_value`, `int_value`) answer what `value` answers, for every
/// live field on events of each kind: an open in a container, a close, a connect, an exec
/// and an unlink.
#[test]
fn lent_values_agree_with_value() {
    use saker_engine::{Event, FieldRef, Slot, Value, resolve_field};

    fn check(live: &LiveEvent, what: &str) {
        let mut lent = 0;
        for name in crate::live_field_names() {
            // Fields that need an argument are left to their own tests.
            let Ok((id, arg)) = resolve_field(name, None) else {
                continue;
            };
            let field = FieldRef {
                id,
                arg,
                slot: Slot(0),
            };
            let value = live.value(&field);
            if let Some(s) = live.str_value(&field) {
                assert_eq!(value, Some(Value::str(s)), "{what}: {name}");
                lent += 1;
            }
            if let Some(n) = live.int_value(&field) {
                let number = value.as_ref().and_then(Value::as_number);
                assert_eq!(number, Some(i128::from(n)), "{what}: {name}");
                assert!(!matches!(value, Some(Value::Str(_))), "{what}: {name}");
                lent += 1;
            }
        }
        assert!(lent > 20, "{what}: only {lent} fields lent");
    }

    let mut f = Fixture::new();
    f.fork(201, 600);
    f.exec(600, "/bin/cat", &["cat", "/etc/shadow"], Some((136, 0)));
    let events = [
        (
            "open",
            libc::SYS_openat,
            3,
            SyscallDetail::Open {
                dirfd: -100,
                path: "/etc/shadow".into(),
                flags: 0,
                mode: 0,
            },
        ),
        ("close", libc::SYS_close, 0, SyscallDetail::Close { fd: 3 }),
        (
            "connect",
            libc::SYS_connect,
            -111,
            SyscallDetail::Connect {
                fd: 1,
                addr: Some(SockAddr::Inet("10.0.0.1:80".parse().unwrap())),
            },
        ),
        (
            "unlink",
            libc::SYS_unlinkat,
            0,
            SyscallDetail::Unlink {
                dirfd: -100,
                path: "x".into(),
                flags: 0,
            },
        ),
    ];
    for (what, nr, ret, detail) in events {
        let header = f.header(600, "cat");
        let event = syscall_exit(header, nr, ret, detail);
        let ctx = f.state.apply(&event);
        let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 7).unwrap();
        check(&live, what);
    }
}

/// `EventTypes::can_match` (what `saker run` checks before building an event's view) says
/// yes exactly when the engine hands the event to some rule.
#[test]
fn can_match_is_having_candidate_rules() {
    let mut f = Fixture::new();
    f.fork(100, 700);
    let exec = f.exec(700, "/bin/cat", &["cat"], None);
    assert!(exec.is_empty(), "{exec:?}");
    let mut seen = Vec::new();
    let details = [
        (
            libc::SYS_openat,
            3,
            SyscallDetail::Open {
                dirfd: -100,
                path: "/etc/hosts".into(),
                flags: 0,
                mode: 0,
            },
        ),
        (libc::SYS_close, 0, SyscallDetail::Close { fd: 3 }),
        (
            libc::SYS_read,
            5,
            SyscallDetail::Read {
                fd: 0,
                data: Bytes::default(),
                truncated: false,
            },
        ),
        (
            libc::SYS_setns,
            0,
            SyscallDetail::Setns { fd: 0, nstype: 0 },
        ),
    ];
    for (nr, ret, detail) in details {
        let header = f.header(700, "cat");
        let event = syscall_exit(header, nr, ret, detail);
        let ctx = f.state.apply(&event);
        let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 1).unwrap();
        let candidates = f.engine.candidate_count(&live);
        assert_eq!(f.types.can_match(&event), candidates > 0, "nr {nr}");
        seen.push(candidates > 0);
    }
    // Both answers occur: opens and setns have rules, closes and reads none.
    assert_eq!(seen, [true, false, false, true]);
}

/// The socket fields (`fd.l4proto`, `fd.sockfamily`, `fd.is_server`, `fd.connected`,
/// `fd.name_changed`, the ends) along libsinsp's own cases, as data. Source:
/// falcosecurity/libs userspace/libsinsp/test/events_net.ut.cpp (net_socket,
/// net_ipv4_connect, net_ipv6_multiple_connects, net_bind_listen_accept_ipv4,
/// net_connect_exit_event_fails) and events_file.ut.cpp (a file fd's socket fields), with its
/// addresses (test_utils.h). Saker's capture has connect's address argument, not the kernel's
/// tuple: the client end of a connect is unknown (`fd.cip` and the like stay `<NA>`).
#[test]
fn socket_fields_follow_libsinsp_net_tests() {
    const SERVER4: &str = "142.251.111.147:443";
    const SERVER6: &str = "[2001:4860:4860::8888]:443";
    const CLIENT4: &str = "172.40.111.222:54321";
    let mut f = Fixture::new();
    f.fork(100, 700);
    let on = |f: &mut Fixture,
              nr: i64,
              ret: i64,
              detail: SyscallDetail,
              fields: &[(&str, Option<&str>)]| {
        let header = f.header(700, "bash");
        let event = syscall_exit(header, nr, ret, detail);
        let ctx = f.state.apply(&event);
        let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 1).unwrap();
        for (name, want) in fields {
            assert_eq!(field(&live, name).as_deref(), *want, "{name} after {nr}");
        }
    };
    let socket = |domain: i32, kind: i32| SyscallDetail::Socket {
        domain,
        kind,
        protocol: 0,
    };
    let connect = |fd: i32, to: &str| SyscallDetail::Connect {
        fd,
        addr: Some(match to.parse().unwrap() {
            std::net::SocketAddr::V4(a) => SockAddr::Inet(a),
            std::net::SocketAddr::V6(a) => SockAddr::Inet6(a),
        }),
    };

    // net_socket: a new socket has no role: no protocol yet, not connected, no ends.
    on(
        &mut f,
        libc::SYS_socket,
        3,
        socket(libc::AF_INET, libc::SOCK_STREAM),
        &[
            ("fd.connected", Some("false")),
            ("fd.l4proto", Some("<NA>")),
            ("fd.sockfamily", Some("ip")),
            ("fd.is_server", Some("false")),
            ("fd.name_changed", Some("false")),
            ("fd.sip", None),
            ("fd.cip", None),
            ("fd.rip", None),
            ("fd.lip", None),
            ("fd.sport", None),
            ("fd.ip", None),
            ("fd.port", None),
        ],
    );
    // net_ipv4_connect: connected, the client, the server's end known.
    on(
        &mut f,
        libc::SYS_connect,
        0,
        connect(3, SERVER4),
        &[
            ("fd.connected", Some("true")),
            ("fd.l4proto", Some("tcp")),
            ("fd.is_server", Some("false")),
            ("fd.name_changed", Some("true")),
            ("fd.sip", Some("Ip(142.251.111.147)")),
            ("fd.snet", Some("Ip(142.251.111.147)")),
            ("fd.sport", Some("443")),
            ("fd.rip", Some("Ip(142.251.111.147)")),
            ("fd.rnet", Some("Ip(142.251.111.147)")),
            ("fd.ip", Some("List([Ip(142.251.111.147)])")),
            ("fd.net", Some("List([Ip(142.251.111.147)])")),
            ("fd.port", Some("List([UInt(443)])")),
        ],
    );
    // net_connect_exit_event_fails: a failed connect to another server changes nothing.
    on(
        &mut f,
        libc::SYS_connect,
        -2,
        connect(3, "152.40.111.222:25632"),
        &[
            ("fd.connected", Some("true")),
            ("fd.name_changed", Some("false")),
            ("fd.sip", Some("Ip(142.251.111.147)")),
            ("fd.sport", Some("443")),
        ],
    );
    // net_ipv6_multiple_connects: a udp socket connected to one server, then another: the
    // name changed; a sendto without an address changes nothing.
    on(
        &mut f,
        libc::SYS_socket,
        4,
        socket(libc::AF_INET6, libc::SOCK_DGRAM),
        &[("fd.sockfamily", Some("ip")), ("fd.typechar", Some("6"))],
    );
    on(
        &mut f,
        libc::SYS_connect,
        0,
        connect(4, SERVER6),
        &[
            ("fd.connected", Some("true")),
            ("fd.l4proto", Some("udp")),
            ("fd.sip", Some("Ip(2001:4860:4860::8888)")),
        ],
    );
    on(
        &mut f,
        libc::SYS_connect,
        0,
        connect(4, "[2001:4860:4860::8888]:8"),
        &[
            ("fd.name_changed", Some("true")),
            ("fd.name", Some("->[2001:4860:4860::8888]:8")),
        ],
    );
    on(
        &mut f,
        libc::SYS_sendto,
        6,
        SyscallDetail::SendTo {
            fd: 4,
            len: 6,
            addr: None,
        },
        &[
            ("fd.name_changed", Some("false")),
            ("fd.name", Some("->[2001:4860:4860::8888]:8")),
        ],
    );
    // net_bind_listen_accept_ipv4: the bound socket is the server, with only a server end;
    // the accepted one is tcp, connected, both ends known.
    on(
        &mut f,
        libc::SYS_socket,
        5,
        socket(libc::AF_INET, libc::SOCK_STREAM),
        &[],
    );
    on(
        &mut f,
        libc::SYS_bind,
        0,
        SyscallDetail::Bind {
            fd: 5,
            addr: Some(SockAddr::Inet(SERVER4.parse().unwrap())),
        },
        &[
            ("fd.name", Some(SERVER4)),
            ("fd.is_server", Some("true")),
            ("fd.connected", Some("false")),
            ("fd.l4proto", Some("tcp")),
            ("fd.sip", Some("Ip(142.251.111.147)")),
            ("fd.sport", Some("443")),
            ("fd.cip", None),
            ("fd.rip", None),
            ("fd.lip", None),
            ("fd.cport", None),
            ("fd.rport", None),
            ("fd.lport", None),
            ("fd.ip", Some("List([Ip(142.251.111.147)])")),
        ],
    );
    on(
        &mut f,
        libc::SYS_accept4,
        6,
        SyscallDetail::Accept {
            fd: 5,
            peer: Some(SockAddr::Inet(CLIENT4.parse().unwrap())),
        },
        &[
            ("fd.name", Some("172.40.111.222:54321->142.251.111.147:443")),
            ("fd.sip", Some("Ip(142.251.111.147)")),
            ("fd.cip", Some("Ip(172.40.111.222)")),
            ("fd.rip", Some("Ip(172.40.111.222)")),
            ("fd.lip", Some("Ip(142.251.111.147)")),
            ("fd.cport", Some("54321")),
            ("fd.sport", Some("443")),
            ("fd.lport", Some("443")),
            ("fd.rport", Some("54321")),
            ("fd.l4proto", Some("tcp")),
            ("fd.is_server", Some("true")),
            ("fd.connected", Some("true")),
            ("fd.cnet", Some("Ip(172.40.111.222)")),
            ("fd.lnet", Some("Ip(142.251.111.147)")),
            (
                "fd.ip",
                Some("List([Ip(142.251.111.147), Ip(172.40.111.222)])"),
            ),
            ("fd.port", Some("List([UInt(443), UInt(54321)])")),
        ],
    );
    // events_file.ut.cpp: a file has no socket fields but these flags.
    on(
        &mut f,
        libc::SYS_openat,
        7,
        SyscallDetail::Open {
            dirfd: -100,
            path: "/tmp/x".into(),
            flags: 0,
            mode: 0,
        },
        &[
            ("fd.l4proto", Some("<NA>")),
            ("fd.is_server", Some("false")),
            ("fd.connected", Some("false")),
            ("fd.name_changed", Some("false")),
            ("fd.sockfamily", None),
            ("fd.ip", None),
        ],
    );
    // A unix socket is of the unix family.
    on(
        &mut f,
        libc::SYS_socket,
        8,
        socket(libc::AF_UNIX, libc::SOCK_STREAM),
        &[
            ("fd.sockfamily", Some("unix")),
            ("fd.l4proto", Some("<NA>")),
        ],
    );
}

/// libsinsp's add_socket: the protocol from socket()'s type and protocol arguments.
/// Source: falcosecurity/libs userspace/libsinsp/parsers.cpp (`sinsp_parser::add_socket`).
#[test]
fn l4proto_from_socket_arguments() {
    use crate::L4Proto as P;
    let cases = [
        (libc::AF_INET, libc::SOCK_STREAM, 0, P::Tcp),
        (
            libc::AF_INET,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK,
            0,
            P::Tcp,
        ),
        (
            libc::AF_INET6,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            0,
            P::Udp,
        ),
        (libc::AF_INET, libc::SOCK_STREAM, libc::IPPROTO_TCP, P::Tcp),
        (libc::AF_INET, libc::SOCK_DGRAM, libc::IPPROTO_UDP, P::Udp),
        (libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_UDP, P::Raw),
        (libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_TCP, P::Raw),
        (libc::AF_INET, libc::SOCK_DGRAM, libc::IPPROTO_ICMP, P::Icmp),
        (libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_ICMP, P::Raw),
        (libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_RAW, P::Raw),
        (libc::AF_UNIX, libc::SOCK_STREAM, 0, P::Unknown),
    ];
    for (domain, kind, protocol, want) in cases {
        assert_eq!(
            P::from_socket(domain, kind, protocol),
            want,
            "{domain} {kind} {protocol}"
        );
    }
}

/// A datagram sent to an address from an unconnected udp socket names the socket for good
/// (libsinsp's parse_write_exit), changes its name, and marks it connected, as libsinsp does
/// before the rules see the event: the `outbound` macro's sendto branch
/// (`fd.connected=false`) does not hold in Falco either.
#[test]
fn sendto_names_an_unconnected_udp_socket() {
    let mut f = Fixture::new();
    f.fork(100, 710);
    let header = f.header(710, "bash");
    let sendto = |header, fd, to: &str| SyscallEvent {
        header,
        body: EventBody::Syscall(SyscallExit {
            nr: libc::SYS_sendto,
            ret: 5,
            args: [0; 6],
            duration_ns: None,
            off_cpu_ns: None,
            detail: SyscallDetail::SendTo {
                fd,
                len: 5,
                addr: Some(SockAddr::Inet(to.parse().unwrap())),
            },
        }),
    };
    let socket = SyscallEvent {
        header,
        body: EventBody::Syscall(SyscallExit {
            nr: libc::SYS_socket,
            ret: 3,
            args: [0; 6],
            duration_ns: None,
            off_cpu_ns: None,
            detail: SyscallDetail::Socket {
                domain: libc::AF_INET,
                kind: libc::SOCK_DGRAM,
                protocol: 0,
            },
        }),
    };
    f.state.apply(&socket);
    let header = f.header(710, "bash");
    let event = sendto(header, 3, "8.8.8.8:53");
    let ctx = f.state.apply(&event);
    let live = LiveEvent::new(&f.state, &f.types, &event, &ctx, 1).unwrap();
    assert_eq!(field(&live, "fd.name_changed").as_deref(), Some("true"));
    assert_eq!(field(&live, "fd.connected").as_deref(), Some("true"));
    assert_eq!(field(&live, "fd.l4proto").as_deref(), Some("udp"));
    assert_eq!(field(&live, "fd.sport").as_deref(), Some("53"));
    let e = &f.state.process(710).unwrap().fds[&3];
    assert_eq!(e.name, "->8.8.8.8:53");
    // The same address again: no change; another: a change.
    let header = f.header(710, "bash");
    let event = sendto(header, 3, "8.8.8.8:53");
    let ctx = f.state.apply(&event);
    assert!(!ctx.fd_name_changed);
    let header = f.header(710, "bash");
    let event = sendto(header, 3, "1.1.1.1:53");
    let ctx = f.state.apply(&event);
    assert!(ctx.fd_name_changed);
    assert_eq!(ctx.fd.unwrap().name, "->1.1.1.1:53");
}

/// Falco's stable rule "Disallowed SSH Connection Non Standard Port" (its `outbound` macro:
/// fd.l4proto, fd.ip, fd.net, fd.snet) fires on a non-blocking connect by an `ssh` to a public
/// address on port 443, and not on its near misses: port 22, a private address, the loopback,
/// a failed connect. Needs SAKER_FALCO_CORPUS (falco_rules.yaml, loaded as is).
#[test]
fn falco_outbound_ssh_rule_fires_on_connect() {
    let Some(dir) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!(
            "SKIPPED: falco_outbound_ssh_rule_fires_on_connect: SAKER_FALCO_CORPUS is not set"
        );
        return;
    };
    let path = std::path::Path::new(&dir).join("falco_rules.yaml");
    let sources = saker_rules::files::read_paths(&[path]).expect("falco_rules.yaml");
    let (ruleset, diags) = saker_rules::load(&sources);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let engine = Engine::new(
        &ruleset,
        EngineOptions {
            rule_matching: RuleMatching::All,
            ..EngineOptions::default()
        },
    )
    .unwrap();
    const RULE: &str = "Disallowed SSH Connection Non Standard Port";
    let mut f = Fixture::new();
    f.types = EventTypes::new(&engine);
    f.engine = engine;
    f.fork(100, 720);
    f.exec(720, "/usr/bin/ssh", &["ssh", "-p", "443", "x"], None);
    let mut fd = 3;
    let mut try_connect = |f: &mut Fixture, to: &str, ret: i64| {
        fd += 1;
        f.syscall(
            720,
            libc::SYS_socket,
            fd,
            SyscallDetail::Socket {
                domain: libc::AF_INET,
                kind: libc::SOCK_STREAM | libc::SOCK_NONBLOCK,
                protocol: 0,
            },
        );
        f.syscall(
            720,
            libc::SYS_connect,
            ret,
            SyscallDetail::Connect {
                fd: fd as i32,
                addr: Some(SockAddr::Inet(to.parse().unwrap())),
            },
        )
    };
    let einprogress = -i64::from(libc::EINPROGRESS);
    let alerts = try_connect(&mut f, "1.2.3.4:443", einprogress);
    assert!(
        alerts
            .get(RULE)
            .is_some_and(|o| o.contains("connection=->1.2.3.4:443") && o.contains("fd_proto=tcp")),
        "{alerts:?}"
    );
    assert!(try_connect(&mut f, "1.2.3.4:443", 0).contains_key(RULE));
    for (to, ret) in [
        ("1.2.3.4:22", einprogress),
        ("10.0.0.1:443", einprogress),
        ("192.168.1.1:443", 0),
        ("127.0.0.1:443", einprogress),
        ("1.2.3.4:443", -i64::from(libc::ECONNREFUSED)),
    ] {
        let alerts = try_connect(&mut f, to, ret);
        assert!(!alerts.contains_key(RULE), "{to} {ret}: {alerts:?}");
    }
}

/// `fd.ip`, `fd.net` and `fd.port` hold for either end of a connection, `!=` only when
/// neither end equals, `in` when an end is in the set (libsinsp's compare_ip, compare_net,
/// compare_port in userspace/libsinsp/sinsp_filtercheck_fd.cpp).
#[test]
fn either_end_fields_match_like_libsinsp() {
    let conditions = [
        ("fd.ip = 172.40.111.222", true),
        ("fd.ip = 142.251.111.147", true),
        ("fd.ip = 1.1.1.1", false),
        ("fd.ip != 172.40.111.222", false),
        ("fd.ip != 1.1.1.1", true),
        ("fd.ip in (1.1.1.1, 172.40.111.222)", true),
        ("fd.ip in (1.1.1.1)", false),
        ("fd.net = 172.16.0.0/12", false),
        ("fd.net = 172.32.0.0/11", true),
        ("fd.net != 142.251.0.0/16", false),
        ("fd.net != 127.0.0.0/8", true),
        ("fd.net in (10.0.0.0/8, 142.0.0.0/8)", true),
        ("fd.snet in (142.0.0.0/8)", true),
        ("fd.cnet in (142.0.0.0/8)", false),
        ("fd.lnet = 142.251.111.147/32", true),
        ("fd.rnet = 172.40.0.0/16", true),
        ("fd.port = 54321", true),
        ("fd.port = 443", true),
        ("fd.port != 443", false),
        ("fd.port != 22", true),
        ("fd.port in (22, 443)", true),
        ("fd.port in (22)", false),
        ("fd.port < 500", true),
        ("fd.port > 60000", false),
        ("fd.l4proto = tcp", true),
        ("fd.l4proto != tcp", false),
        ("fd.sockfamily = ip", true),
        ("fd.is_server = true", true),
        ("fd.connected = true", true),
        ("fd.name_changed = false", true),
    ];
    let mut yaml = String::new();
    for (i, (condition, _)) in conditions.iter().enumerate() {
        yaml.push_str(&format!(
            "- rule: r{i}\n  desc: d\n  condition: evt.type = accept4 and {condition}\n  output: o\n  priority: INFO\n"
        ));
    }
    let (ruleset, diags) =
        saker_rules::load(&[saker_rules::files::SourceFile::new("t.yaml", yaml)]);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let engine = Engine::new(
        &ruleset,
        EngineOptions {
            rule_matching: RuleMatching::All,
            ..EngineOptions::default()
        },
    )
    .unwrap();
    let mut f = Fixture::new();
    f.types = EventTypes::new(&engine);
    f.engine = engine;
    f.fork(100, 730);
    let alerts = f.tcp_accept(730, "142.251.111.147:443", "172.40.111.222:54321");
    for (i, (condition, want)) in conditions.iter().enumerate() {
        assert_eq!(alerts.contains_key(&format!("r{i}")), *want, "{condition}");
    }
}

/// Answers domain names from a table; names it lacks do not resolve. No name server is asked.
struct NameTable(&'static [(&'static str, &'static str)]);

impl saker_engine::Resolve for NameTable {
    fn resolve(&self, name: &str) -> std::io::Result<Vec<std::net::IpAddr>> {
        let addresses: Vec<std::net::IpAddr> = self
            .0
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, a)| a.parse().unwrap())
            .collect();
        if addresses.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such name",
            ));
        }
        Ok(addresses)
    }
}

/// The fixture's state with an engine of `sources`' rules, resolving names as `resolution`.
fn fixture_with_rules(
    sources: &[saker_rules::files::SourceFile],
    resolution: saker_engine::NameResolution,
) -> Fixture {
    let (ruleset, diags) = saker_rules::load(sources);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let engine = Engine::new(
        &ruleset,
        EngineOptions {
            rule_matching: RuleMatching::All,
            name_resolution: Some(resolution),
            ..EngineOptions::default()
        },
    )
    .unwrap();
    let mut f = Fixture::new();
    f.types = EventTypes::new(&engine);
    f.engine = engine;
    f
}

/// A TCP socket `fd` of `pid`, then its connect to `to`; the alerts of the connect.
fn socket_and_connect(f: &mut Fixture, pid: u32, fd: i32, to: &str) -> BTreeMap<String, String> {
    f.syscall(
        pid,
        libc::SYS_socket,
        i64::from(fd),
        SyscallDetail::Socket {
            domain: libc::AF_INET,
            kind: libc::SOCK_STREAM,
            protocol: 0,
        },
    );
    f.syscall(
        pid,
        libc::SYS_connect,
        0,
        SyscallDetail::Connect {
            fd,
            addr: Some(SockAddr::Inet(to.parse().unwrap())),
        },
    )
}

/// `fd.sip.name = localhost` fires on a connect to 127.0.0.1 and not on one to another
/// address; `%fd.sip.name` prints the name. `localhost` comes from /etc/hosts through the
/// host's resolver (getaddrinfo), as `saker run` resolves names.
#[test]
fn server_domain_name_matches_a_connect_to_its_address() {
    let yaml = "
- rule: To localhost
  desc: d
  condition: evt.type = connect and fd.sip.name = localhost
  output: name=%fd.sip.name ip=%fd.sip
  priority: INFO
- rule: Elsewhere
  desc: d
  condition: evt.type = connect and fd.sip.name != localhost
  output: name=%fd.sip.name ip=%fd.sip
  priority: INFO
";
    let sources = [saker_rules::files::SourceFile::new("names.yaml", yaml)];
    let mut f = fixture_with_rules(&sources, saker_engine::NameResolution::system());
    f.fork(100, 740);
    let alerts = socket_and_connect(&mut f, 740, 3, "127.0.0.1:8080");
    assert_eq!(
        alerts.get("To localhost").map(String::as_str),
        Some("name=localhost ip=127.0.0.1"),
        "{alerts:?}"
    );
    assert!(!alerts.contains_key("Elsewhere"), "{alerts:?}");

    let alerts = socket_and_connect(&mut f, 740, 4, "10.0.0.1:8080");
    assert!(!alerts.contains_key("To localhost"), "{alerts:?}");
    assert_eq!(
        alerts.get("Elsewhere").map(String::as_str),
        Some("name=<NA> ip=10.0.0.1"),
        "{alerts:?}"
    );
}

/// The client, local and remote ends of an accepted connection (libsinsp's
/// TYPE_CLIENTIP_NAME, TYPE_LIP_NAME, TYPE_RIP_NAME): names of the addresses `fd.cip`,
/// `fd.lip` and `fd.rip` give.
#[test]
fn client_local_and_remote_names_follow_their_addresses() {
    let names = NameTable(&[("web.test", "10.1.0.1"), ("laptop.test", "10.2.0.7")]);
    let rules = [
        ("client", "fd.cip.name = laptop.test"),
        ("server as client", "fd.cip.name = web.test"),
        ("local", "fd.lip.name = web.test"),
        ("remote", "fd.rip.name in (laptop.test)"),
        ("remote not", "fd.rip.name != laptop.test"),
    ];
    let mut yaml = String::new();
    for (name, condition) in rules {
        yaml.push_str(&format!(
            "- rule: {name}\n  desc: d\n  condition: evt.type = accept4 and {condition}\n  output: c=%fd.cip.name l=%fd.lip.name r=%fd.rip.name s=%fd.sip.name\n  priority: INFO\n"
        ));
    }
    let sources = [saker_rules::files::SourceFile::new("names.yaml", yaml)];
    let resolution = saker_engine::NameResolution::with_resolver(std::sync::Arc::new(names));
    let mut f = fixture_with_rules(&sources, resolution);
    f.fork(100, 741);
    let alerts = f.tcp_accept(741, "10.1.0.1:443", "10.2.0.7:54321");
    let fired: Vec<&str> = alerts.keys().map(String::as_str).collect();
    assert_eq!(fired, ["client", "local", "remote"], "{alerts:?}");
    assert_eq!(
        alerts["client"],
        "c=laptop.test l=web.test r=laptop.test s=web.test"
    );
}

/// Falco's stable rule "Contact K8S API Server From Container" (macro `k8s_api_server`:
/// `fd.sip.name="kubernetes.default.svc.cluster.local"`), loaded as is, fires on a connect
/// from a container to an address of that name and not to another address nor from the
/// host. The cluster's name comes from a table standing in for the cluster's DNS. Needs
/// SAKER_FALCO_CORPUS.
#[test]
fn falco_k8s_api_server_rule_fires_on_a_connect_to_its_name() {
    let Some(dir) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!(
            "SKIPPED: falco_k8s_api_server_rule_fires_on_a_connect_to_its_name: SAKER_FALCO_CORPUS is not set"
        );
        return;
    };
    const RULE: &str = "Contact K8S API Server From Container";
    let path = std::path::Path::new(&dir).join("falco_rules.yaml");
    let sources = saker_rules::files::read_paths(&[path]).expect("falco_rules.yaml");
    let names = NameTable(&[("kubernetes.default.svc.cluster.local", "10.96.0.1")]);
    let resolution = saker_engine::NameResolution::with_resolver(std::sync::Arc::new(names));
    let mut f = fixture_with_rules(&sources, resolution);
    // A program in the busybox container, and one on the host.
    f.fork(201, 742);
    f.exec(742, "/usr/bin/wget", &["wget", "https://10.96.0.1/"], None);
    f.fork(100, 743);
    f.exec(743, "/usr/bin/wget", &["wget", "https://10.96.0.1/"], None);

    let alerts = socket_and_connect(&mut f, 742, 3, "10.96.0.1:443");
    let output = alerts.get(RULE).unwrap_or_else(|| panic!("{alerts:?}"));
    assert!(output.contains("connection=->10.96.0.1:443"), "{output}");
    assert!(output.contains("process=wget"), "{output}");
    assert!(!socket_and_connect(&mut f, 742, 4, "10.96.0.2:443").contains_key(RULE));
    assert!(!socket_and_connect(&mut f, 743, 3, "10.96.0.1:443").contains_key(RULE));
}
