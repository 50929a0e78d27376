//! `saker run` against real activity on this host, as root: the CKS-notes scenarios, each
//! with a near-miss twin that must stay quiet, plus a fork/exec storm and forced drops.
//!
//! Needs root, BPF (kernel BTF) and, for the container scenarios, podman with the image
//! `saker-test/busybox:latest` (../shared/tools/podman-setup). Missing pieces are reported as
//! `SKIPPED: ...` on stderr.

use std::cell::RefCell;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const IMAGE: &str = "saker-test/busybox:latest";

fn skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root (eBPF capture needs CAP_BPF/CAP_PERFMON)".into());
    }
    if !Path::new("/sys/kernel/btf/vmlinux").exists() {
        return Some("kernel without BTF (/sys/kernel/btf/vmlinux)".into());
    }
    None
}

/// A running `saker run`, its alerts collected as they arrive.
struct Saker {
    child: Child,
    alerts: Arc<Mutex<Vec<Value>>>,
    stderr: Arc<Mutex<String>>,
    /// The threads reading stdout and stderr; they end when the child closes them.
    readers: Vec<std::thread::JoinHandle<()>>,
    barriers: std::sync::atomic::AtomicUsize,
}

impl Saker {
    fn start(extra: &[&str]) -> Saker {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_saker"));
        cmd.args([
            "run",
            "--json",
            "-U",
            "-M",
            "600",
            "-o",
            "syslog_output.enabled=false",
            // Tests run in parallel: the web server's fixed port would be taken.
            "-o",
            "webserver.enabled=false",
        ]);
        cmd.args(extra);
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null());
        let mut child = cmd.spawn().expect("spawn saker run");
        let alerts = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().unwrap();
        let sink = alerts.clone();
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    sink.lock().unwrap().push(v);
                }
            }
        });
        let err = child.stderr.take().unwrap();
        let text = stderr.clone();
        let stderr_reader = std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut t = text.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
            }
        });
        let saker = Saker {
            child,
            alerts,
            stderr,
            readers: vec![stdout_reader, stderr_reader],
            barriers: Default::default(),
        };
        // Ready once the /proc walk is done (the capture runs already).
        let deadline = Instant::now() + Duration::from_secs(120);
        while !saker.stderr().contains("Watching ") {
            if let Ok(Some(status)) = saker.child_status() {
                panic!("saker run exited early ({status}):\n{}", saker.stderr());
            }
            assert!(
                Instant::now() < deadline,
                "saker run not ready:\n{}",
                saker.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        saker
    }

    fn child_status(&self) -> std::io::Result<Option<std::process::ExitStatus>> {
        // try_wait needs &mut; peek through /proc instead of taking the child.
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()));
        Ok(match stat {
            Ok(s) if s.contains(") Z ") => Some(std::process::ExitStatus::default()),
            Ok(_) => None,
            Err(_) => Some(std::process::ExitStatus::default()),
        })
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until an alert matches `pred` (or the timeout); returns it.
    fn wait_for(&self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(a) = self.alerts.lock().unwrap().iter().find(|a| pred(a)) {
                return Some(a.clone());
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs `action` once and waits for an alert that matches `pred`.
    fn raise(&self, action: impl FnOnce(), pred: impl Fn(&Value) -> bool) -> Option<Value> {
        action();
        self.wait_for(WAIT, pred)
    }

    /// Waits until alerts about `container` carry the name its runtime gave it (the lookup is
    /// asynchronous: the first events of a container may show `<NA>`). Each probe is a write
    /// below /etc in the container, and its alert says what the run knows by then.
    fn wait_until_described(&self, container: &Container) {
        let deadline = Instant::now() + WAIT;
        for n in 0.. {
            let marker = format!("/etc/saker-described-{}-{n}", std::process::id());
            let script = format!("touch {marker}; rm -f {marker}");
            let probe = Command::new("podman")
                .args(["exec", &container.0, "sh", "-c", &script])
                .output()
                .unwrap();
            assert!(probe.status.success(), "podman exec: {probe:?}");
            let alert = self
                .wait_for(WAIT, |a| {
                    is_rule(a, "Write below etc") && field(a, "fd.name") == marker.as_str()
                })
                .unwrap_or_else(|| panic!("no alert for {marker}:\n{}", self.stderr()));
            if field(&alert, "container.name")
                .as_str()
                .is_some_and(|n| n != "<NA>")
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the container is still undescribed: {alert}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Returns once every event of what ran before this call has been through the rules, so
    /// that a check that something did *not* fire is exact. The capture has one ring buffer,
    /// read in order: a marker write below /etc made now is read after those events, and its
    /// alert is written after theirs.
    fn barrier(&self) {
        let n = self
            .barriers
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let marker = format!("/etc/saker-barrier-{}-{n}", std::process::id());
        assert!(
            Command::new("touch")
                .arg(&marker)
                .status()
                .unwrap()
                .success()
        );
        let _ = std::fs::remove_file(&marker);
        let seen = self.wait_for(WAIT, |a| {
            is_rule(a, "Write below etc") && field(a, "fd.name") == marker.as_str()
        });
        assert!(
            seen.is_some(),
            "no alert for the barrier write {marker}:\n{}",
            self.stderr()
        );
    }

    fn any(&self, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        self.alerts
            .lock()
            .unwrap()
            .iter()
            .find(|a| pred(a))
            .cloned()
    }

    /// SIGINT, then the exit summary from stderr.
    fn stop(mut self) -> String {
        // SAFETY: kill on our own child's pid.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(
                    status.success(),
                    "saker run failed: {status}\n{}",
                    self.stderr()
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "saker run did not stop on SIGINT"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // The readers end at the end of the child's output, with the summary taken.
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        self.stderr()
    }
}

impl Drop for Saker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn field<'a>(alert: &'a Value, name: &str) -> &'a Value {
    &alert["output_fields"][name]
}

fn is_rule(alert: &Value, rule: &str) -> bool {
    alert["rule"] == rule
}

fn sh(script: &str) -> std::process::Output {
    Command::new("sh")
        .args(["-c", script])
        .output()
        .expect("run sh")
}

/// A copy of a system binary under another name (the name is what rules see as proc.name).
fn renamed(dir: &Path, from: &str, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(from, &to).unwrap();
    to
}

/// Collects failures so every scenario runs and reports.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.0.push(what.into());
        }
    }
}

/// How long an expected alert may take: the pipeline's latency is milliseconds when idle; a
/// loaded CI machine can starve it for seconds. Waits end as soon as the alert is there.
const WAIT: Duration = Duration::from_secs(30);

#[test]
fn host_scenarios() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: host_scenarios: {why}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    let mut failures = Failures::default();
    let nonce = std::process::id();

    // Write below etc: touch on the host; the twin is the same write by `useradd`.
    let target = format!("/etc/saker-scenario-{nonce}");
    let touch = || {
        assert!(
            Command::new("touch")
                .arg(&target)
                .status()
                .unwrap()
                .success()
        );
        let _ = std::fs::remove_file(&target);
    };
    let hit = saker.raise(touch, |a| {
        is_rule(a, "Write below etc") && field(a, "fd.name") == target.as_str()
    });
    failures.check(
        hit.is_some(),
        format!("no Write below etc for touch {target}"),
    );
    if let Some(a) = &hit {
        failures.check(field(a, "proc.name") == "touch", format!("proc.name: {a}"));
        failures.check(
            field(a, "container.id") == "host",
            format!("container.id: {a}"),
        );
        failures.check(field(a, "user.name") == "root", format!("user.name: {a}"));
    }
    let trusted = renamed(tmp.path(), "/usr/bin/touch", "useradd");
    let twin = format!("/etc/saker-scenario-trusted-{nonce}");
    assert!(
        Command::new(&trusted)
            .arg(&twin)
            .status()
            .unwrap()
            .success()
    );
    let _ = std::fs::remove_file(&twin);

    // Read sensitive file untrusted: cat /etc/shadow; the twin is the same read by `sshd`.
    let pids = RefCell::new(Vec::new());
    let run_cat = |program: &Path, arg: &str| {
        let child = Command::new(program)
            .arg(arg)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        pids.borrow_mut().push(child.id());
        child.wait_with_output().unwrap();
    };
    let cat = Path::new("/usr/bin/cat");
    let hit = saker.raise(
        || run_cat(cat, "/etc/shadow"),
        |a| {
            is_rule(a, "Read sensitive file untrusted")
                && pids.borrow().iter().any(|p| field(a, "proc.pid") == *p)
        },
    );
    failures.check(
        hit.is_some(),
        "no Read sensitive file untrusted for cat /etc/shadow",
    );
    if let Some(a) = &hit {
        failures.check(
            field(a, "fd.name") == "/etc/shadow",
            format!("fd.name: {a}"),
        );
        failures.check(
            field(a, "proc.cmdline") == "cat /etc/shadow",
            format!("cmdline: {a}"),
        );
    }
    pids.borrow_mut().clear();
    let sshd = renamed(tmp.path(), "/usr/bin/cat", "sshd");
    run_cat(&sshd, "/etc/shadow");
    let sshd_pid = pids.borrow()[0];

    // Read environment variable from /proc files: cat /proc/PID/environ of another process;
    // the twin is `ps` reading it.
    let mut victim = Command::new("sleep").arg("60").spawn().unwrap();
    let environ = format!("/proc/{}/environ", victim.id());
    pids.borrow_mut().clear();
    let hit = saker.raise(
        || run_cat(cat, &environ),
        |a| {
            is_rule(a, "Read environment variable from /proc files")
                && pids.borrow().iter().any(|p| field(a, "proc.pid") == *p)
        },
    );
    failures.check(
        hit.is_some(),
        format!("no Read environment variable alert for cat {environ}"),
    );
    if let Some(a) = &hit {
        failures.check(
            field(a, "fd.name") == environ.as_str(),
            format!("fd.name: {a}"),
        );
    }
    pids.borrow_mut().clear();
    let ps = renamed(tmp.path(), "/usr/bin/cat", "ps");
    run_cat(&ps, &environ);
    let ps_pid = pids.borrow()[0];
    let _ = victim.kill();
    let _ = victim.wait();

    // Every twin has run: what they raised is in by now.
    saker.barrier();
    failures.check(
        saker
            .any(|a| {
                field(a, "fd.name")
                    .as_str()
                    .is_some_and(|n| n.contains("saker-scenario-trusted"))
            })
            .is_none(),
        "the trusted twin (useradd) raised Write below etc",
    );
    failures.check(
        saker.any(|a| field(a, "proc.pid") == sshd_pid).is_none(),
        "the trusted twin (sshd) raised an alert",
    );
    failures.check(
        saker.any(|a| field(a, "proc.pid") == ps_pid).is_none(),
        "the trusted twin (ps) raised an alert",
    );

    let summary = saker.stop();
    assert!(summary.contains("Events seen: "), "no summary:\n{summary}");
    assert!(
        summary.contains("Write below etc: "),
        "summary lacks the rule counts:\n{summary}"
    );
    assert!(
        failures.0.is_empty(),
        "failures:\n{}\n\nsaker stderr:\n{summary}",
        failures.0.join("\n")
    );
}

fn podman_ready() -> Result<(), String> {
    let out = Command::new("podman")
        .args(["image", "exists", IMAGE])
        .output();
    match out {
        Err(e) => Err(format!("podman not runnable: {e}")),
        Ok(o) if !o.status.success() => Err(format!(
            "podman image {IMAGE} missing (run ../shared/tools/podman-setup)"
        )),
        Ok(_) if Command::new("script").arg("--version").output().is_err() => {
            Err("script(1) missing (bsdutils)".into())
        }
        Ok(_) => Ok(()),
    }
}

/// A container removed at drop.
struct Container(String);

impl Container {
    /// A detached busybox container that sleeps, for scenarios to exec into.
    fn start() -> Container {
        let out = Command::new("podman")
            .args(["run", "-d", "--rm", IMAGE, "sleep", "600"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "podman run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let container = Container(String::from_utf8_lossy(&out.stdout).trim().to_string());
        container.wait_for_command("sleep");
        container
    }

    /// Waits until the container's first process runs `comm`: `podman run -d` may return
    /// before the runtime's init has exec'd the command.
    fn wait_for_command(&self, comm: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let inspect = Command::new("podman")
                .args(["inspect", "-f", "{{.State.Pid}}", &self.0])
                .output()
                .unwrap();
            let pid = String::from_utf8_lossy(&inspect.stdout).trim().to_string();
            let now = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if now.trim_end() == comm {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "container {} does not run {comm} (pid {pid}: {now:?})",
                self.0
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        let _ = Command::new("podman")
            .args(["rm", "-f", "-t", "0", &self.0])
            .output();
    }
}

#[test]
fn container_scenarios() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: container_scenarios: {why}");
        return;
    }
    if let Err(why) = podman_ready() {
        eprintln!("SKIPPED: container_scenarios: {why}");
        return;
    }
    let container = Container::start();
    let full_id = container.0.clone();
    let cid = &full_id[..12];
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    let mut failures = Failures::default();
    let in_container = |a: &Value| field(a, "container.id") == cid;

    // Twins first: nothing may fire for the container until the real scenarios run.
    let exec = |script: &str| {
        let o = Command::new("podman")
            .args(["exec", &container.0, "sh", "-c", script])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "podman exec {script}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    exec("sleep 0.2; exit");
    exec("echo x >> /tmp/passwd");
    // A link to the image's busybox: its file is in the lower layer, and not named apk.
    exec("ln -s /bin/busybox /tmp/notapk && /tmp/notapk true; true");
    saker.barrier();
    if let Some(a) = saker.any(in_container) {
        failures.check(
            false,
            format!("a near-miss in the container raised an alert: {a}"),
        );
    }

    // Terminal shell in container: `podman exec -it` under script(1) for the terminal.
    let tty_shell = || {
        let o = sh(&format!(
            "script -qec \"podman exec -it {} sh -c 'exit'\" /dev/null",
            container.0
        ));
        assert!(
            o.status.success(),
            "script podman exec -it: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let hit = saker.raise(tty_shell, |a| {
        is_rule(a, "Terminal shell in container") && in_container(a)
    });
    failures.check(
        hit.is_some(),
        "no Terminal shell in container for podman exec -it",
    );
    if let Some(a) = &hit {
        failures.check(field(a, "proc.name") == "sh", format!("shell: {a}"));
        failures.check(field(a, "user.name") == "root", format!("user: {a}"));
        failures.check(
            field(a, "proc.tty").as_u64().is_some_and(|t| t != 0),
            format!("tty: {a}"),
        );
        failures.check(
            field(a, "container.image.repository")
                .as_str()
                .is_some_and(|i| i.ends_with("saker-test/busybox")),
            format!("image: {a}"),
        );
    }

    // Write below etc inside the container.
    let hit = saker.raise(
        || exec("echo x >> /etc/passwd"),
        |a| {
            is_rule(a, "Write below etc") && in_container(a) && field(a, "fd.name") == "/etc/passwd"
        },
    );
    failures.check(
        hit.is_some(),
        "no Write below etc for echo x >> /etc/passwd in the container",
    );

    // Drop and execute new binary in container: a copy of busybox in the upper layer runs.
    let hit = saker.raise(
        || exec("cp /bin/busybox /tmp/true && /tmp/true"),
        |a| {
            is_rule(a, "Drop and execute new binary in container")
                && in_container(a)
                && field(a, "proc.exepath") == "/tmp/true"
        },
    );
    failures.check(
        hit.is_some(),
        "no Drop and execute new binary in container for /tmp/true",
    );

    // Launch Package Management Process in Container: busybox copied to an apk-like name.
    let hit = saker.raise(
        || exec("cp /bin/busybox /tmp/apk && /tmp/apk true; true"),
        |a| is_rule(a, "Launch Package Management Process in Container") && in_container(a),
    );
    failures.check(
        hit.is_some(),
        "no Launch Package Management Process in Container for apk",
    );
    if let Some(a) = &hit {
        failures.check(field(a, "proc.name") == "apk", format!("process: {a}"));
    }

    // Launch Privileged Container: a --privileged container's first process; the twin is a
    // plain container started the same way.
    let start = |privileged: bool| -> Container {
        let mut cmd = Command::new("podman");
        cmd.args(["run", "-d", "--rm"]);
        if privileged {
            cmd.arg("--privileged");
        }
        let out = cmd.args([IMAGE, "sleep", "600"]).output().unwrap();
        assert!(
            out.status.success(),
            "podman run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let container = Container(String::from_utf8_lossy(&out.stdout).trim().to_string());
        container.wait_for_command("sleep");
        container
    };
    let plain = start(false);
    let privileged_rule = |a: &Value, c: &Container| {
        is_rule(a, "Launch Privileged Container") && field(a, "container.id") == &c.0[..12]
    };
    let privileged = RefCell::new(Vec::new());
    let hit = saker.raise(
        || privileged.borrow_mut().push(start(true)),
        |a| privileged.borrow().iter().any(|c| privileged_rule(a, c)),
    );
    failures.check(
        hit.is_some(),
        "no Launch Privileged Container for podman run --privileged",
    );
    if let Some(a) = &hit {
        failures.check(field(a, "proc.name") == "sleep", format!("process: {a}"));
    }
    // The plain container's sleep was exec'd before start() returned.
    saker.barrier();
    failures.check(
        saker.any(|a| privileged_rule(a, &plain)).is_none(),
        "a plain container raised Launch Privileged Container",
    );

    let summary = saker.stop();
    drop(container);
    drop(plain);
    drop(privileged);
    assert!(
        failures.0.is_empty(),
        "failures:\n{}\n\nsaker stderr:\n{summary}",
        failures.0.join("\n")
    );
}

/// Parses `Thread table: N processes (seeded S, ...)` and `Events dropped: D` from the summary.
fn summary_numbers(summary: &str) -> (u64, u64, u64) {
    let num_after = |prefix: &str| -> u64 {
        let line = summary
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in:\n{summary}"));
        line[prefix.len()..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let table = num_after("Thread table: ");
    let seeded_at = summary.find("(seeded ").expect("seeded count");
    let seeded = summary[seeded_at + 8..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (table, seeded, num_after("Events dropped: "))
}

#[test]
fn fork_exec_storm_keeps_the_table_bounded() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: fork_exec_storm_keeps_the_table_bounded: {why}");
        return;
    }
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    const N: usize = 3000;
    let o = sh(&format!(
        "i=0; while [ $i -lt {N} ]; do /bin/true; i=$((i+1)); done"
    ));
    assert!(o.status.success());
    // Every exit of the storm is in the table's hands before the summary is taken.
    saker.barrier();
    let summary = saker.stop();
    let (table, seeded, _) = summary_numbers(&summary);
    // Other activity on the machine changes the count a little; 3000 leftovers would not.
    assert!(
        table < seeded + N as u64 / 3,
        "thread table grew to {table} (seeded {seeded}):\n{summary}"
    );
}

#[test]
fn drops_are_counted_when_the_ring_buffer_is_tiny() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: drops_are_counted_when_the_ring_buffer_is_tiny: {why}");
        return;
    }
    // Every drop crosses the threshold; the token bucket allows an alert at once.
    let saker = Saker::start(&[
        "--buffer-bytes",
        "4096",
        "-o",
        "syscall_event_drops.threshold=0",
        "-o",
        "syscall_event_drops.rate=10",
        "-o",
        "syscall_event_drops.max_burst=10",
    ]);
    // A burst of opens far larger than one page of records, produced faster than it drains.
    let o = sh("i=0; while [ $i -lt 20000 ]; do : < /etc/hostname; i=$((i+1)); done");
    assert!(o.status.success());
    // The drop counters are read each second: the actions log and alert.
    let alert = saker.wait_for(WAIT, |a| a["rule"] == "Falco internal: syscall event drop");
    let alert = alert.unwrap_or_else(|| panic!("no drop alert:\n{}", saker.stderr()));
    assert_eq!(alert["source"], "internal");
    assert_eq!(alert["priority"], "Debug");
    let n_drops: u64 = alert["output_fields"]["n_drops"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n_drops > 0, "{alert}");
    assert!(
        saker
            .stderr()
            .contains("Falco internal: syscall event drop"),
        "{}",
        saker.stderr()
    );
    let summary = saker.stop();
    let (_, _, dropped) = summary_numbers(&summary);
    assert!(
        dropped > 0,
        "no drops reported with a 4 KiB ring buffer:\n{summary}"
    );
}

/// `saker capture` records what live `saker run` sees, and `saker run -e` replays it to the
/// same alerts.
#[test]
fn capture_replays_to_the_live_alerts() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: capture_replays_to_the_live_alerts: {why}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("capture.jsonl");
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    let target = format!("/etc/saker-capture-{}", std::process::id());
    let script = format!(
        "touch {target}; rm -f {target}; cat /etc/shadow > /dev/null; cd /etc && cat ./gshadow > /dev/null"
    );
    let replay = capture_and_replay(&file, &["sh", "-c", &script]);
    // The time prefix is left out: two captures convert the kernel's boot clock to wall-clock
    // time with offsets measured at their own start, which differ by microseconds.
    let key = |a: &Value| {
        let output = a["output"].as_str().unwrap_or("");
        let text = output.split_once(": ").map_or(output, |(_, rest)| rest);
        (
            a["rule"].as_str().unwrap_or("").to_string(),
            text.to_string(),
        )
    };
    let mut replayed: Vec<(String, String)> = replay.iter().map(key).collect();
    replayed.sort();
    assert!(
        replayed
            .iter()
            .any(|(r, o)| r == "Write below etc" && o.contains(&target)),
        "replay lacks Write below etc: {replayed:?}"
    );
    assert!(
        replayed
            .iter()
            .any(|(r, o)| r == "Read sensitive file untrusted" && o.contains("file=/etc/gshadow")),
        "replay lacks the relative-path read: {replayed:?}"
    );
    // The live run saw the same processes: its alerts for them must be the same.
    let pids: Vec<String> = replayed
        .iter()
        .filter_map(|(_, o)| {
            o.split(" pid=")
                .nth(1)
                .map(|s| s.split(' ').next().unwrap().to_string())
        })
        .collect();
    let live_for = |pids: &[String]| -> Vec<(String, String)> {
        let mut v: Vec<_> = saker
            .alerts
            .lock()
            .unwrap()
            .iter()
            .filter(|a| {
                let pid = field(a, "proc.pid").as_u64().map(|p| p.to_string());
                pids.iter().any(|p| Some(p) == pid.as_ref())
            })
            .map(key)
            .collect();
        v.sort();
        v
    };
    // The capture ran to its end before the barrier: the live run's alerts for it are all in.
    saker.barrier();
    let live = live_for(&pids);
    let summary = saker.stop();
    assert_eq!(live, replayed, "live and replayed alerts differ\n{summary}");
}

/// Records `command` with `saker capture -w file`, replays the file with `saker run -e`, and
/// returns the replay's alerts.
fn capture_and_replay(file: &Path, command: &[&str]) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["capture", "-w"])
        .arg(file)
        .arg("--")
        .args(command)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "saker capture: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replay = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["run", "--json", "-o", "syslog_output.enabled=false", "-e"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        replay.status.success(),
        "saker run -e: {}",
        String::from_utf8_lossy(&replay.stderr)
    );
    String::from_utf8_lossy(&replay.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// `GET /metrics` of a live run counts captured and dropped events per CPU, from the kernel's
/// per-CPU counters.
#[test]
fn live_metrics_count_events_per_cpu() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: live_metrics_count_events_per_cpu: {why}");
        return;
    }
    // Port 0: the kernel picks a free port, which the log names.
    let saker = Saker::start(&[
        "-o",
        "webserver.enabled=true",
        "-o",
        "webserver.listen_address=127.0.0.1",
        "-o",
        "webserver.listen_port=0",
    ]);
    let port: u16 = saker
        .stderr()
        .split_once("listening on port ")
        .and_then(|(_, rest)| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no web server port in the log:\n{}", saker.stderr()));
    let get_metrics = || -> Option<String> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(
            stream,
            "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        response.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
    };
    let per_cpu = |metrics: &str, family: &str| -> Vec<(usize, u64)> {
        metrics
            .lines()
            .filter_map(|l| l.strip_prefix(family)?.strip_prefix("{cpu=\""))
            .filter_map(|rest| {
                let (cpu, value) = rest.split_once("\"} ")?;
                Some((cpu.parse().ok()?, value.parse().ok()?))
            })
            .collect()
    };
    // The counters are published each second; opens are events on any host.
    let deadline = Instant::now() + WAIT;
    let mut metrics = String::new();
    loop {
        assert!(sh("cat /etc/hostname /etc/hostname").status.success());
        if let Some(m) = get_metrics() {
            metrics = m;
            let captured = per_cpu(&metrics, "saker_events_captured_total");
            if captured.iter().map(|(_, n)| n).sum::<u64>() > 0 {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no per-CPU captured events in /metrics:\n{metrics}\n{}",
            saker.stderr()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let captured = per_cpu(&metrics, "saker_events_captured_total");
    let dropped = per_cpu(&metrics, "saker_events_dropped_total");
    assert_eq!(captured.first().map(|(cpu, _)| *cpu), Some(0), "{metrics}");
    assert_eq!(captured.len(), dropped.len(), "{metrics}");
    assert!(
        !metrics
            .lines()
            .any(|l| l.starts_with("saker_events_captured_total ")),
        "an unlabelled total next to the per-CPU ones:\n{metrics}"
    );
    // The ring buffer's size (a power of two) and its use, which cannot exceed it.
    let gauge = |name: &str| -> u64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /metrics:\n{metrics}"))
    };
    let ring = gauge("saker_ring_buffer_bytes");
    assert!(ring.is_power_of_two() && ring >= 4096, "{metrics}");
    assert!(gauge("saker_ring_buffer_used_bytes") <= ring, "{metrics}");
    // The open filter is on for the default rules: its counter is there (the host's own
    // opens of libraries and caches make it grow, but none may have happened yet).
    gauge("saker_opens_left_out_total");
    saker.stop();
}

// ---------------------------------------------------------------------------------------------
// Container metadata from the runtimes' APIs (podman's Docker-compatible service, containerd).
// ---------------------------------------------------------------------------------------------

const PODMAN_API: &str = "/run/podman/podman.sock";
const CONTAINERD: &str = "/run/containerd/containerd.sock";
/// The test image as containerd knows it once imported from podman's tar.
const CONTAINERD_IMAGE: &str = "localhost/saker-test/busybox:latest";

/// A fresh 64-hex container id (containerd lets the client choose it; the cgroup path must
/// carry a real-looking id for Saker to see a container). Its first 12 characters, the short
/// id alerts show, come from the clock's fast-moving bits so that they are unique.
fn fresh_id(tag: u64) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    format!(
        "{:012x}{:016x}{:016x}{:020x}",
        (nanos ^ (tag << 40)) & 0xffff_ffff_ffff,
        std::process::id(),
        tag,
        nanos
    )
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A containerd container (and its task) removed at drop.
struct CtrContainer {
    namespace: &'static str,
    id: String,
}

impl Drop for CtrContainer {
    fn drop(&mut self) {
        let ctr = |args: &[&str]| {
            let _ = Command::new("ctr")
                .args(["-n", self.namespace])
                .args(args)
                .output();
        };
        ctr(&["task", "kill", "-s", "SIGKILL", &self.id]);
        for _ in 0..50 {
            let out = Command::new("ctr")
                .args(["-n", self.namespace, "task", "rm", &self.id])
                .output();
            if out.is_ok_and(|o| o.status.success()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        ctr(&["container", "rm", &self.id]);
    }
}

/// containerd is running and has the test image in `namespace` (imported from a tar that
/// podman writes, as a node without a registry would get it).
fn containerd_ready(namespace: &str) -> Result<(), String> {
    if !Path::new(CONTAINERD).exists() {
        return Err(format!("containerd not running (no {CONTAINERD})"));
    }
    if Command::new("ctr").arg("version").output().is_err() {
        return Err("ctr missing (Debian's containerd package)".into());
    }
    let images = Command::new("ctr")
        .args(["-n", namespace, "images", "ls", "-q"])
        .output()
        .map_err(|e| e.to_string())?;
    if String::from_utf8_lossy(&images.stdout)
        .lines()
        .any(|l| l == CONTAINERD_IMAGE)
    {
        return Ok(());
    }
    import_test_image(namespace)
}

fn import_test_image(namespace: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let tar = dir.path().join("busybox.tar");
    let tar = tar.to_str().unwrap();
    let save = Command::new("podman")
        .args(["save", "--format", "docker-archive", "-o", tar, IMAGE])
        .output()
        .map_err(|e| e.to_string())?;
    if !save.status.success() {
        return Err(format!(
            "podman save: {}",
            String::from_utf8_lossy(&save.stderr)
        ));
    }
    let import = Command::new("ctr")
        .args(["-n", namespace, "images", "import", tar])
        .output()
        .map_err(|e| e.to_string())?;
    if !import.status.success() {
        return Err(format!(
            "ctr images import: {}",
            String::from_utf8_lossy(&import.stderr)
        ));
    }
    Ok(())
}

#[test]
fn podman_launch_rules_and_shell_carry_the_runtimes_metadata() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: podman_launch_rules: {why}");
        return;
    }
    if let Err(why) = podman_ready() {
        eprintln!("SKIPPED: podman_launch_rules: {why}");
        return;
    }
    if !Path::new(PODMAN_API).exists() {
        eprintln!("SKIPPED: podman_launch_rules: no podman API service at {PODMAN_API}");
        return;
    }
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    let mut failures = Failures::default();
    let tag = std::process::id();
    let started = RefCell::new(Vec::new());
    let start = |name: &str, extra: &[&str]| -> String {
        let out = run_ok(
            Command::new("podman")
                .args(["run", "-d", "--rm", "--name", name])
                .args(extra)
                .args([IMAGE, "sleep", "600"]),
        );
        let id = out.trim().to_string();
        let container = Container(id.clone());
        container.wait_for_command("sleep");
        started.borrow_mut().push(container);
        id
    };
    let by_id =
        |a: &Value, rule: &str, id: &str| is_rule(a, rule) && field(a, "container.id") == &id[..12];

    // Privileged: name, image and privileged=true in the alert; a plain twin stays quiet.
    let mut n = 0;
    let privileged_ids = RefCell::new(Vec::new());
    let hit = saker.raise(
        || {
            n += 1;
            let id = start(&format!("saker-priv-{tag}-{n}"), &["--privileged"]);
            privileged_ids.borrow_mut().push(id);
        },
        |a| {
            privileged_ids
                .borrow()
                .iter()
                .any(|id| by_id(a, "Launch Privileged Container", id))
        },
    );
    failures.check(
        hit.is_some(),
        "no Launch Privileged Container for podman run --privileged",
    );
    if let Some(a) = &hit {
        failures.check(
            field(a, "container.privileged") == true,
            format!("privileged: {a}"),
        );
        failures.check(
            field(a, "container.name")
                .as_str()
                .is_some_and(|n| n.starts_with(&format!("saker-priv-{tag}-"))),
            format!("name: {a}"),
        );
        failures.check(
            field(a, "container.image.repository") == "localhost/saker-test/busybox",
            format!("image: {a}"),
        );
        failures.check(
            a["output"]
                .as_str()
                .is_some_and(|o| o.contains("privileged=true")),
            format!("output: {a}"),
        );
    }
    let plain = start(&format!("saker-plain-{tag}"), &[]);

    // Sensitive mount: /etc of the host inside; the plain twin has none.
    let mut n = 0;
    let mount_ids = RefCell::new(Vec::new());
    let hit = saker.raise(
        || {
            n += 1;
            let id = start(
                &format!("saker-mount-{tag}-{n}"),
                &["-v", "/etc:/host/etc:ro"],
            );
            mount_ids.borrow_mut().push(id);
        },
        |a| {
            mount_ids
                .borrow()
                .iter()
                .any(|id| by_id(a, "Launch Sensitive Mount Container", id))
        },
    );
    failures.check(
        hit.is_some(),
        "no Launch Sensitive Mount Container for -v /etc:/host/etc",
    );
    if let Some(a) = &hit {
        failures.check(
            field(a, "container.mounts")
                .as_str()
                .is_some_and(|m| m.contains("/etc:/host/etc:")),
            format!("mounts: {a}"),
        );
    }

    // `podman exec -it` into the plain container: the shell alert names it and its image.
    let hit = saker.raise(
        || {
            run_ok(Command::new("script").args([
                "-qec",
                &format!("podman exec -it {plain} sh -c 'exit'"),
                "/dev/null",
            ]));
        },
        |a| by_id(a, "Terminal shell in container", &plain),
    );
    failures.check(
        hit.is_some(),
        "no Terminal shell in container for podman exec -it",
    );
    if let Some(a) = &hit {
        failures.check(
            field(a, "container.name") == format!("saker-plain-{tag}").as_str(),
            format!("name: {a}"),
        );
        failures.check(
            field(a, "container.image.repository") == "localhost/saker-test/busybox",
            format!("image: {a}"),
        );
    }
    saker.barrier();
    for rule in [
        "Launch Privileged Container",
        "Launch Sensitive Mount Container",
    ] {
        failures.check(
            saker.any(|a| by_id(a, rule, &plain)).is_none(),
            format!("the plain container raised {rule}"),
        );
    }
    failures.check(
        saker
            .any(|a| {
                is_rule(a, "Write below etc")
                    && a["output"]
                        .as_str()
                        .is_some_and(|o| o.contains("netavark.lock"))
            })
            .is_none(),
        "podman's netavark.lock raised Write below etc",
    );
    let summary = saker.stop();
    drop(started);
    assert!(
        failures.0.is_empty(),
        "failures:\n{}\n\nsaker stderr:\n{summary}",
        failures.0.join("\n")
    );
}

#[test]
fn containerd_shell_alert_names_the_pod_namespace_and_image() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: containerd_shell: {why}");
        return;
    }
    if let Err(why) = podman_ready().and_then(|()| containerd_ready("k8s.io")) {
        eprintln!("SKIPPED: containerd_shell: {why}");
        return;
    }
    let id = fresh_id(1);
    let pod = format!("web-{}", std::process::id());
    run_ok(Command::new("ctr").args([
        "-n",
        "k8s.io",
        "run",
        "-d",
        "--label",
        &format!("io.kubernetes.pod.name={pod}"),
        "--label",
        "io.kubernetes.pod.namespace=shop",
        "--label",
        "io.kubernetes.pod.uid=3e41dc6b-08a8-44db-bc2a-3724b18ab19a",
        "--label",
        "io.kubernetes.container.name=web",
        CONTAINERD_IMAGE,
        &id,
        "sleep",
        "600",
    ]));
    let container = CtrContainer {
        namespace: "k8s.io",
        id: id.clone(),
    };
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    let mut failures = Failures::default();
    let mut n = 0;
    let hit = saker.raise(
        || {
            n += 1;
            run_ok(Command::new("script").args([
                "-qec",
                &format!("ctr -n k8s.io task exec -t --exec-id sh{n} {id} sh -c exit"),
                "/dev/null",
            ]));
        },
        |a| is_rule(a, "Terminal shell in container") && field(a, "container.id") == &id[..12],
    );
    failures.check(
        hit.is_some(),
        "no Terminal shell in container for ctr task exec -t",
    );
    if let Some(a) = &hit {
        failures.check(
            field(a, "k8s.pod.name") == pod.as_str(),
            format!("pod: {a}"),
        );
        failures.check(field(a, "k8s.ns.name") == "shop", format!("namespace: {a}"));
        failures.check(field(a, "container.name") == "web", format!("name: {a}"));
        failures.check(
            field(a, "container.image.repository") == "localhost/saker-test/busybox",
            format!("image: {a}"),
        );
        failures.check(
            a["output"]
                .as_str()
                .is_some_and(|o| o.contains(&format!("k8s_ns=shop k8s_pod={pod}"))),
            format!("output: {a}"),
        );
    }
    let summary = saker.stop();
    drop(container);
    assert!(
        failures.0.is_empty(),
        "failures:\n{}\n\nsaker stderr:\n{summary}",
        failures.0.join("\n")
    );
}

/// A runtime socket that accepts and never answers, and one that answers garbage.
fn bad_runtime(dir: &Path, name: &str, garbage: bool) -> PathBuf {
    let path = dir.join(name);
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                if garbage {
                    let _ = stream.write_all(b"\x16\x03\x01 certainly not HTTP\r\n\r\n");
                } else {
                    std::thread::sleep(Duration::from_secs(600));
                }
            });
        }
    });
    path
}

#[test]
fn broken_runtime_sockets_cost_one_warning_and_no_events() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: broken_runtime_sockets: {why}");
        return;
    }
    if let Err(why) = podman_ready() {
        eprintln!("SKIPPED: broken_runtime_sockets: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let hang = bad_runtime(dir.path(), "hang.sock", false);
    let garbage = bad_runtime(dir.path(), "garbage.sock", true);
    let config = dir.path().join("saker.yaml");
    std::fs::write(
        &config,
        format!(
            "container_engines:\n  podman:\n    sockets: [{}]\n  docker:\n    sockets: [{}]\n  containerd:\n    enabled: false\n  cri:\n    enabled: false\n  lookup_timeout_ms: 300\n",
            hang.display(),
            garbage.display()
        ),
    )
    .unwrap();
    let saker = Saker::start(&["-c", config.to_str().unwrap(), "--buffer-bytes", "67108864"]);
    let mut failures = Failures::default();
    let name = format!("saker-broken-{}", std::process::id());
    let id = run_ok(
        Command::new("podman").args(["run", "-d", "--rm", "--name", &name, IMAGE, "sleep", "600"]),
    );
    let container = Container(id.trim().to_string());
    let short = &container.0[..12];
    // Events keep flowing: a shell in the container alerts, with the id and no metadata.
    let hit = saker.raise(
        || {
            run_ok(Command::new("script").args([
                "-qec",
                &format!("podman exec -it {} sh -c 'exit'", container.0),
                "/dev/null",
            ]));
        },
        |a| is_rule(a, "Terminal shell in container") && field(a, "container.id") == short,
    );
    failures.check(
        hit.is_some(),
        "no Terminal shell in container with broken runtimes",
    );
    if let Some(a) = &hit {
        failures.check(field(a, "container.name").is_null(), format!("name: {a}"));
        failures.check(
            field(a, "container.image.repository").is_null(),
            format!("image: {a}"),
        );
    }
    let summary = saker.stop();
    drop(container);
    for socket in [&hang, &garbage] {
        let warnings = summary
            .lines()
            .filter(|l| l.contains(socket.to_str().unwrap()) && l.contains("show <NA>"))
            .count();
        failures.check(
            warnings == 1,
            format!("{warnings} warnings about {}", socket.display()),
        );
    }
    assert!(
        failures.0.is_empty(),
        "failures:\n{}\n\nsaker stderr:\n{summary}",
        failures.0.join("\n")
    );
}

#[test]
fn benign_node_work_raises_no_warning() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: benign_node_work: {why}");
        return;
    }
    if let Err(why) = podman_ready() {
        eprintln!("SKIPPED: benign_node_work: {why}");
        return;
    }
    let containerd = containerd_ready("saker-benign");
    if let Err(why) = &containerd {
        eprintln!("SKIPPED: benign_node_work: the containerd part: {why}");
    }
    // Everything this test does names this marker (paths, container names, commands), so
    // its alerts can be told from those of other work on the machine.
    let marker = format!("saker-benign-{}", std::process::id());
    let work = tempfile::Builder::new().prefix(&marker).tempdir().unwrap();
    let w = work.path().to_str().unwrap().to_string();
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    let mut ids = vec![marker.clone()];

    // podman: run, exec, stop, remove.
    let id = run_ok(
        Command::new("podman").args(["run", "-d", "--name", &marker, IMAGE, "sleep", "600"]),
    );
    ids.push(id.trim()[..12].to_string());
    run_ok(Command::new("podman").args(["exec", &marker, "sh", "-c", "ls / > /dev/null"]));
    run_ok(Command::new("podman").args(["stop", "-t", "0", &marker]));
    run_ok(Command::new("podman").args(["rm", &marker]));

    // containerd: image import from a tar, a container started, stopped and removed.
    if containerd.is_ok() {
        let tar = format!("{w}/image.tar");
        run_ok(Command::new("podman").args([
            "save",
            "--format",
            "docker-archive",
            "-o",
            &tar,
            IMAGE,
        ]));
        run_ok(Command::new("ctr").args(["-n", "saker-benign", "images", "import", &tar]));
        let cid = fresh_id(7);
        ids.push(cid[..12].to_string());
        {
            let _c = CtrContainer {
                namespace: "saker-benign",
                id: cid.clone(),
            };
            run_ok(Command::new("ctr").args([
                "-n",
                "saker-benign",
                "run",
                "-d",
                CONTAINERD_IMAGE,
                &cid,
                "sleep",
                "600",
            ]));
        }
    }

    // Compiling, git, tar and an HTTP server, in the work directory.
    std::fs::write(format!("{w}/hello.c"), "int main(void) { return 0; }\n").unwrap();
    run_ok(Command::new("cc").args(["-o", &format!("{w}/hello"), &format!("{w}/hello.c")]));
    run_ok(&mut Command::new(format!("{w}/hello")));
    let git = |args: &[&str]| {
        run_ok(
            Command::new("git")
                .args(["-C", &w])
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_AUTHOR_NAME", "t")
                .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
                .env("GIT_COMMITTER_NAME", "t")
                .env("GIT_COMMITTER_EMAIL", "t@example.invalid"),
        )
    };
    if Command::new("git").arg("--version").output().is_ok() {
        git(&["init", "-q"]);
        git(&["add", "hello.c"]);
        git(&["commit", "-qm", "hello"]);
        git(&["log", "--oneline"]);
    }
    run_ok(Command::new("tar").args(["-C", &w, "-czf", &format!("{w}/src.tgz"), "hello.c"]));
    std::fs::create_dir(format!("{w}/unpacked")).unwrap();
    run_ok(Command::new("tar").args([
        "-C",
        &format!("{w}/unpacked"),
        "-xzf",
        &format!("{w}/src.tgz"),
    ]));
    let mut server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            "--directory",
            &w,
            "0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(server) = &mut server {
        std::thread::sleep(Duration::from_secs(1));
        let _ = server.kill();
        let _ = server.wait();
    }
    saker.barrier();
    let alerts = saker.alerts.lock().unwrap().clone();
    let summary = saker.stop();
    let serious = ["Warning", "Error", "Critical", "Alert", "Emergency"];
    let ours: Vec<&Value> = alerts
        .iter()
        .filter(|a| serious.iter().any(|p| a["priority"] == *p))
        .filter(|a| {
            let text = a.to_string();
            ids.iter().any(|id| text.contains(id.as_str()))
        })
        .collect();
    assert!(
        ours.is_empty(),
        "benign work raised Warning or higher alerts:\n{}\n\nsaker stderr:\n{summary}",
        ours.iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn capture_of_a_container_start_replays_its_metadata() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: capture_of_a_container_start: {why}");
        return;
    }
    if let Err(why) = podman_ready() {
        eprintln!("SKIPPED: capture_of_a_container_start: {why}");
        return;
    }
    if !Path::new(PODMAN_API).exists() {
        eprintln!("SKIPPED: capture_of_a_container_start: no podman API service at {PODMAN_API}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("capture.jsonl");
    let name = format!("saker-capture-{}", std::process::id());
    let alerts = capture_and_replay(
        &file,
        &[
            "podman",
            "run",
            "--rm",
            "--privileged",
            "--name",
            &name,
            IMAGE,
            "sh",
            "-c",
            "sleep 1",
        ],
    );
    let hit = alerts.iter().find(|a| {
        is_rule(a, "Launch Privileged Container") && field(a, "container.name") == name.as_str()
    });
    assert!(
        hit.is_some_and(
            |a| field(a, "container.image.repository") == "localhost/saker-test/busybox"
        ),
        "no Launch Privileged Container for {name} in the replay: {alerts:?}"
    );
}

/// The CKS scenarios captured live as `.scap` (the host while a script drives them: a write
/// below /etc on the host, a terminal shell in a container, a write below /etc and a package
/// manager in the container): `saker run -e` raises the alerts the live run raised, and
/// `sysdig -r` reads the file.
#[test]
fn scap_capture_of_cks_scenarios_replays_to_the_live_alerts() {
    const NAME: &str = "scap_capture_of_cks_scenarios_replays_to_the_live_alerts";
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: {NAME}: {why}");
        return;
    }
    if let Err(why) = podman_ready() {
        eprintln!("SKIPPED: {NAME}: {why}");
        return;
    }
    let container = Container::start();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cks.scap");
    let target = format!("/etc/saker-cks-{}", std::process::id());
    let script = format!(
        "touch {target}; rm -f {target}; \
         script -qec \"podman exec -it {c} sh -c 'exit'\" /dev/null; \
         podman exec {c} sh -c 'echo x >> /etc/passwd'; \
         podman exec {c} sh -c 'cp /bin/busybox /tmp/apk && /tmp/apk true; true'",
        c = container.0
    );
    let saker = Saker::start(&["--buffer-bytes", "67108864"]);
    // The live run's alerts name the container only once podman has described it: compare
    // from then on.
    saker.wait_until_described(&container);
    let capture = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args([
            "capture",
            "--all-processes",
            "--buffer-bytes",
            "67108864",
            "-w",
        ])
        .arg(&file)
        .args(["--", "sh", "-c", &script])
        .output()
        .unwrap();
    assert!(
        capture.status.success(),
        "saker capture: {}",
        String::from_utf8_lossy(&capture.stderr)
    );

    if Command::new("sysdig").arg("--version").output().is_ok() {
        let read = Command::new("sysdig")
            .arg("-r")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            read.status.success() && !read.stdout.is_empty(),
            "sysdig -r: {}",
            String::from_utf8_lossy(&read.stderr)
        );
    } else {
        eprintln!("SKIPPED (part): {NAME}: sysdig not installed, the file was not read by sysdig");
    }

    let replay = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["run", "--json", "-o", "syslog_output.enabled=false", "-e"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        replay.status.success(),
        "saker run -e: {}",
        String::from_utf8_lossy(&replay.stderr)
    );
    // The scenarios' own alerts: in the container, or the host write of the target (podman's
    // own bookkeeping below /etc also alerts, with ancestors a replay cannot know when they
    // were reparented).
    let in_container = format!("container_id={}", &container.0[..12]);
    let host_write = format!("file={target} ");
    let scenario = |text: &str| text.contains(&in_container) || text.contains(&host_write);
    let scenario_rules = [
        "Write below etc",
        "Terminal shell in container",
        "Launch Package Management Process in Container",
    ];
    // The time prefix is left out (each run converts the boot clock with its own offset), and
    // so is the grandparent: above `podman exec`'s conmon stand runtime processes that exit
    // and are reparented while the scenario runs, which the live state follows from the
    // kernel's parent at each event and the replay from the file's reaper records.
    // TODO(scap): follow reparenting in the replay the way the live state does.
    let gparent = regex::Regex::new(r" gparent=\S+").unwrap();
    let key = |a: &Value| {
        let output = a["output"].as_str().unwrap_or("");
        let text = output.split_once(": ").map_or(output, |(_, rest)| rest);
        (
            a["rule"].as_str().unwrap_or("").to_string(),
            field(a, "proc.pid").as_u64().unwrap_or(0),
            gparent.replace_all(text, " gparent=*").into_owned(),
        )
    };
    let mut replayed: Vec<(String, u64, String)> = String::from_utf8_lossy(&replay.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|a| scenario_rules.iter().any(|r| is_rule(a, r)))
        .map(|a| key(&a))
        .filter(|(_, _, text)| scenario(text))
        .collect();
    replayed.sort();
    for rule in scenario_rules {
        assert!(
            replayed.iter().any(|(r, _, _)| r == rule),
            "replay lacks {rule}: {replayed:#?}\ncapture: {}\nreplay: {}",
            String::from_utf8_lossy(&capture.stderr),
            String::from_utf8_lossy(&replay.stderr)
        );
    }
    let pids: Vec<u64> = replayed.iter().map(|(_, pid, _)| *pid).collect();
    let live_for = || -> Vec<(String, u64, String)> {
        let mut v: Vec<_> = saker
            .alerts
            .lock()
            .unwrap()
            .iter()
            .filter(|a| scenario_rules.iter().any(|r| is_rule(a, r)))
            .map(key)
            .filter(|(_, pid, _)| pids.contains(pid))
            .collect();
        v.sort();
        v
    };
    // The capture ran to its end before the barrier: the live run's alerts for it are all in.
    saker.barrier();
    let live = live_for();
    let summary = saker.stop();
    assert_eq!(live, replayed, "live and replayed alerts differ\n{summary}");
}

/// The exit summary's count of opens and closes the kernel left out.
fn opens_left_out(summary: &str) -> u64 {
    summary
        .lines()
        .find_map(|l| {
            l.strip_prefix("Opens and closes left out in the kernel (no rule needs them): ")
        })
        .unwrap_or_else(|| panic!("no left-out count in:\n{summary}"))
        .parse()
        .unwrap()
}

/// The kernel leaves out the opens no default rule needs (a read of a file in /tmp) and their
/// closes, and counts them; a later fchmod of such an fd still alerts with the file's name,
/// which the state reads from /proc. The opens the rules need (the barrier's write below
/// /etc) still arrive.
#[test]
fn opens_no_rule_needs_are_left_out_and_their_fds_still_named() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: opens_no_rule_needs_are_left_out_and_their_fds_still_named: {why}");
        return;
    }
    // Not tempfile's default ".tmp" name: the kernel keeps paths with hidden components.
    let dir = tempfile::Builder::new()
        .prefix("saker-open-filter")
        .tempdir()
        .unwrap();
    let file = dir.path().join("setuid-me");
    std::fs::write(&file, "x").unwrap();
    let saker = Saker::start(&[]);
    assert!(
        saker
            .stderr()
            .contains("Opens no rule needs are left out in the kernel"),
        "{}",
        saker.stderr()
    );
    // perl's chmod of a file handle is fchmod(2); the handle stays open a while, as a
    // program's usually does after the call.
    let script = "open(my $f, '<', $ARGV[0]) or die; for (1..200) { open(my $g, '<', $ARGV[0]) } \
                  chmod(04755, $f) or die; select(undef, undef, undef, 1.0);";
    let path = file.to_str().unwrap();
    let hit = saker.raise(
        || {
            let status = Command::new("perl").args(["-e", script, path]).status();
            assert!(status.unwrap().success());
        },
        |a| is_rule(a, "Set Setuid or Setgid bit") && field(a, "fs.path.name") == path,
    );
    saker.barrier();
    let summary = saker.stop();
    assert!(
        hit.is_some(),
        "no Set Setuid alert naming {path}:\n{summary}"
    );
    let left_out = opens_left_out(&summary);
    // perl's 200 extra opens of the file, and their closes.
    assert!(left_out >= 400, "left out {left_out}:\n{summary}");
    assert!(
        summary.contains("Fds not in the table: ") && !summary.contains(": 0 named from /proc"),
        "{summary}"
    );
}

/// With Falco's own rules loaded, as a CKS user runs them, the kernel leaves out the reads no
/// rule names, and the rules on sensitive files and directory traversal (its `fd.nameraw`
/// tests, and `open_file_failed`'s `fd.num = -1`) still alert.
#[test]
fn falcos_rules_leave_out_unneeded_opens_and_still_alert() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: falcos_rules_leave_out_unneeded_opens_and_still_alert: {why}");
        return;
    }
    let Some(corpus) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!(
            "SKIPPED: falcos_rules_leave_out_unneeded_opens_and_still_alert: SAKER_FALCO_CORPUS is not set"
        );
        return;
    };
    let rules = Path::new(&corpus).join("falco_rules.yaml");
    let dir = tempfile::Builder::new()
        .prefix("saker-falco-filter")
        .tempdir()
        .unwrap();
    let file = dir.path().join("read-me");
    std::fs::write(&file, "x").unwrap();
    let saker = Saker::start(&["-r", rules.to_str().unwrap()]);
    assert!(
        saker.stderr().contains(
            "Opens no rule needs are left out in the kernel (kept: every path for write access, \
             8 paths or prefixes otherwise)"
        ),
        "{}",
        saker.stderr()
    );
    let reads = "for (1..200) { open(my $f, '<', $ARGV[0]) or die }";
    let path = file.to_str().unwrap();
    assert!(
        Command::new("perl")
            .args(["-e", reads, path])
            .status()
            .unwrap()
            .success()
    );
    // `cat PATH` succeeding or not, and the alert of `rule` whose `field` is that path.
    let cat = |path: &str, succeeds: bool, rule: &str, field_name: &str| {
        saker.raise(
            || {
                let status = Command::new("cat").arg(path).output().unwrap().status;
                assert_eq!(status.success(), succeeds, "cat {path}");
            },
            |a| is_rule(a, rule) && field(a, field_name) == path,
        )
    };
    let shadow = cat(
        "/etc/shadow",
        true,
        "Read sensitive file untrusted",
        "fd.name",
    );
    let traversal = "/etc/../etc/../etc/hostname";
    let climbed = cat(
        traversal,
        true,
        "Directory traversal monitored file read",
        "fd.nameraw",
    );
    // A failed attempt: Falco's `open_file_failed` (fd.num = -1, evt.res startswith E).
    let missing = "/etc/../etc/../etc/saker-no-such-file";
    let failed = cat(
        missing,
        false,
        "Directory traversal monitored file read",
        "fd.nameraw",
    );
    let summary = saker.stop();
    assert!(shadow.is_some(), "no alert for /etc/shadow:\n{summary}");
    assert!(climbed.is_some(), "no alert for {traversal}:\n{summary}");
    assert!(failed.is_some(), "no alert for {missing}:\n{summary}");
    let left_out = opens_left_out(&summary);
    // perl's 200 reads of the file, and their closes.
    assert!(left_out >= 400, "left out {left_out}:\n{summary}");
}

/// Falco's "Drop and execute new binary in container": a binary the container copied into
/// its own filesystem (the overlayfs upper layer) alerts when it runs, the image's own
/// binaries do not (`proc.is_exe_upper_layer`, from the exec record).
#[test]
fn falcos_drop_and_execute_rule_sees_the_upper_layer() {
    let name = "falcos_drop_and_execute_rule_sees_the_upper_layer";
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: {name}: {why}");
        return;
    }
    if let Err(why) = podman_ready() {
        eprintln!("SKIPPED: {name}: {why}");
        return;
    }
    let Some(corpus) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!("SKIPPED: {name}: SAKER_FALCO_CORPUS is not set");
        return;
    };
    let rules = Path::new(&corpus).join("falco_rules.yaml");
    let container = Container::start();
    let saker = Saker::start(&["-r", rules.to_str().unwrap(), "--buffer-bytes", "67108864"]);
    let rule = "Drop and execute new binary in container";
    let hit = saker.raise(
        || {
            let o = Command::new("podman")
                .args(["exec", &container.0, "sh", "-c"])
                .arg("cp /bin/busybox /tmp/true && /tmp/true")
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        },
        |a| is_rule(a, rule) && field(a, "proc.exepath") == "/tmp/true",
    );
    let summary = saker.stop();
    assert!(hit.is_some(), "no {rule} alert for /tmp/true:\n{summary}");
    // sh and cp ran from the image (the lower layer) before it: no alert for them.
    let alerts = summary
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{rule}: ")))
        .unwrap_or_else(|| panic!("no count of {rule} in:\n{summary}"));
    assert_eq!(alerts, "1", "{summary}");
}

/// A rules reload replaces the open filter: rules that add a rule on close() turn it off, and
/// the log says why.
#[test]
fn a_rules_reload_replaces_the_open_filter() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: a_rules_reload_replaces_the_open_filter: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.yaml");
    let etc_rule = "- rule: etc\n  desc: d\n  condition: evt.type = openat and fd.name startswith /etc/\n  output: o\n  priority: INFO\n";
    std::fs::write(&rules, etc_rule).unwrap();
    let saker = Saker::start(&["-r", rules.to_str().unwrap()]);
    assert!(
        saker
            .stderr()
            .contains("Opens no rule needs are left out in the kernel (kept: 1 path or prefix)"),
        "{}",
        saker.stderr()
    );
    let close_rule = "- rule: closes\n  desc: d\n  condition: evt.type = close and proc.name = nosuch\n  output: o\n  priority: INFO\n";
    std::fs::write(&rules, format!("{etc_rule}{close_rule}")).unwrap();
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(saker.child.id() as libc::pid_t, libc::SIGHUP) };
    let deadline = Instant::now() + WAIT;
    while !saker
        .stderr()
        .contains("Every open is reported: rule `closes` can match close()")
    {
        assert!(Instant::now() < deadline, "{}", saker.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    saker.stop();
}

/// Falco's stable rules file loaded as is: "Disallowed SSH Connection Non Standard Port" fires
/// on a non-blocking connect (EINPROGRESS, no network needed) by a program whose exe ends
/// with `ssh` to a public address on port 443, through the `outbound` macro (fd.l4proto,
/// fd.ip, fd.net, fd.snet). Its near misses stay quiet: the same program to port 22, and to a
/// private address on port 443. Needs root, BPF and SAKER_FALCO_CORPUS.
#[test]
fn falco_outbound_ssh_rule_fires_live() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: falco_outbound_ssh_rule_fires_live: {why}");
        return;
    }
    let Some(corpus) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!("SKIPPED: falco_outbound_ssh_rule_fires_live: SAKER_FALCO_CORPUS is not set");
        return;
    };
    const RULE: &str = "Disallowed SSH Connection Non Standard Port";
    let rules = Path::new(&corpus).join("falco_rules.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let ssh = renamed(tmp.path(), "/usr/bin/python3", "ssh");
    let saker = Saker::start(&["-r", rules.to_str().unwrap(), "--buffer-bytes", "67108864"]);
    // One process per address, each ending with a marker address the test waits for.
    let connect = |host: &str, port: u16| {
        let script = format!(
            "import socket\ns = socket.socket()\ns.setblocking(False)\n\
             print(s.connect_ex(('{host}', {port})))"
        );
        let out = Command::new(&ssh).args(["-c", &script]).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        // EINPROGRESS (115): the macro accepts it as an outbound connection.
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "115",
            "{out:?}"
        );
    };
    let to = |a: &Value, what: &str| {
        is_rule(a, RULE)
            && field(a, "fd.name")
                .as_str()
                .is_some_and(|n| n.ends_with(what))
    };
    // The near misses first: the capture reads one ring buffer in order, so once the hit's
    // alert is out, theirs would be too.
    connect("1.2.3.4", 22);
    connect("10.0.0.1", 443);
    connect("1.2.3.4", 443);
    let hit = saker.wait_for(WAIT, |a| to(a, "->1.2.3.4:443"));
    let missed_22 = saker.any(|a| to(a, "->1.2.3.4:22"));
    let missed_private = saker.any(|a| to(a, "->10.0.0.1:443"));
    let ssh_alerts: Vec<Value> = saker
        .alerts
        .lock()
        .unwrap()
        .iter()
        .filter(|a| {
            field(a, "proc.exepath")
                .as_str()
                .is_some_and(|p| p.ends_with("/ssh"))
        })
        .cloned()
        .collect();
    let stderr = saker.stop();
    let hit = hit.unwrap_or_else(|| {
        panic!("no alert for ssh -> 1.2.3.4:443 (the ssh's alerts: {ssh_alerts:?}):\n{stderr}")
    });
    assert_eq!(field(&hit, "fd.l4proto"), "tcp", "{hit}");
    assert_eq!(field(&hit, "evt.type"), "connect", "{hit}");
    assert!(
        field(&hit, "proc.exepath")
            .as_str()
            .is_some_and(|p| p.ends_with("/ssh")),
        "{hit}"
    );
    assert!(missed_22.is_none(), "port 22 fired: {missed_22:?}");
    assert!(
        missed_private.is_none(),
        "a private address fired: {missed_private:?}"
    );
}

/// `fd.sip.name = localhost` live: a connect to 127.0.0.1 (a listener the test holds) fires
/// and prints the name; a connect to 10.0.0.1 before it does not. `localhost` comes from
/// /etc/hosts through getaddrinfo at rule load. Needs root and BPF.
#[test]
fn server_domain_name_rule_fires_live() {
    if let Some(why) = skip_reason() {
        eprintln!("SKIPPED: server_domain_name_rule_fires_live: {why}");
        return;
    }
    const RULE: &str = "Connect to localhost by name";
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("names.yaml");
    std::fs::write(
        &rules,
        format!(
            "- rule: {RULE}\n  desc: d\n  condition: evt.type = connect and fd.sip.name = localhost and proc.exepath endswith /dnsprobe\n  output: name=%fd.sip.name connection=%fd.name\n  priority: WARNING\n"
        ),
    )
    .unwrap();
    let probe = renamed(tmp.path(), "/usr/bin/python3", "dnsprobe");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let saker = Saker::start(&["-r", rules.to_str().unwrap()]);
    let connect = |host: &str, port: u16| {
        let script = format!(
            "import socket\ns = socket.socket()\ns.setblocking(False)\n\
             print(s.connect_ex(('{host}', {port})))"
        );
        let out = Command::new(&probe).args(["-c", &script]).output().unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    let to = |a: &Value, what: &str| {
        is_rule(a, RULE)
            && field(a, "fd.name")
                .as_str()
                .is_some_and(|n| n.ends_with(what))
    };
    // The near miss first: the capture reads one ring buffer in order, so once the hit's
    // alert is out, the near miss's would be too.
    connect("10.0.0.1", 80);
    let local = format!("->127.0.0.1:{port}");
    connect("127.0.0.1", port);
    let hit = saker.wait_for(WAIT, |a| to(a, &local));
    let missed = saker.any(|a| to(a, "->10.0.0.1:80"));
    let stderr = saker.stop();
    drop(listener);
    let hit = hit.unwrap_or_else(|| panic!("no alert for the connect to {local}:\n{stderr}"));
    assert_eq!(field(&hit, "fd.sip.name"), "localhost", "{hit}");
    assert!(missed.is_none(), "10.0.0.1 fired: {missed:?}");
}
