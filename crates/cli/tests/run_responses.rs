//! `saker run` with a `response:` section, for real: processes killed in the kernel before they
//! run and from user space after the alert, a container stopped through podman's API, dry
//! runs, and the safety rules. Each test starts its own `saker run` with its own rules, and
//! acts only on programs, containers and rules named for that test, so tests running at the
//! same time never act on each other's processes.
//!
//! Needs root and BPF; the container tests need podman with `saker-test/busybox:latest`
//! (scripts/podman-setup.sh) and script(1), and the stop test podman's API service. What is
//! missing is reported as `SKIPPED: ...` on stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const IMAGE: &str = "saker-test/busybox:latest";
const PODMAN_API: &str = "/run/podman/podman.sock";
const WAIT: Duration = Duration::from_secs(30);

fn saker() -> Command {
    Command::new(env!("CARGO_BIN_EXE_saker"))
}

fn live_skip_reason() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some("not root (the eBPF capture and kills need it)".into());
    }
    if !Path::new("/sys/kernel/btf/vmlinux").exists() {
        return Some("kernel without BTF (/sys/kernel/btf/vmlinux)".into());
    }
    None
}

fn podman_skip_reason() -> Option<String> {
    live_skip_reason().or_else(|| {
        let ok = Command::new("podman")
            .args(["image", "exists", IMAGE])
            .status()
            .is_ok_and(|s| s.success());
        (!ok).then(|| format!("podman or its image {IMAGE} missing (scripts/podman-setup.sh)"))
    })
}

/// A name no other test or run uses: `tag`, this process's pid and a counter (at most 15
/// bytes, what the kernel keeps of a program name).
fn unique(tag: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = format!("{tag}{:x}{n:x}", std::process::id());
    assert!(name.len() <= 15, "{name}");
    name
}

/// The test's saker.yaml: JSON alerts on stdout only, the web server on a port the kernel
/// picks when asked for, and `response` (the section's YAML, indented two spaces).
fn config_text(response: &str, webserver: bool) -> String {
    let webserver = if webserver {
        "{enabled: true, listen_address: 127.0.0.1, listen_port: 0}"
    } else {
        "{enabled: false}"
    };
    format!(
        "json_output: true\nbuffered_outputs: false\nsyslog_output: {{enabled: false}}\n\
         webserver: {webserver}\nresponse:\n{response}"
    )
}

/// A running `saker run -c CONFIG -r embedded -r RULES`, its JSON alerts collected.
struct Run {
    child: Child,
    alerts: Arc<Mutex<Vec<Value>>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
    dir: PathBuf,
}

impl Run {
    /// `response` is the YAML of the `response:` section (indented two spaces); `rules` the
    /// test's own rules file, loaded after the embedded rules.
    fn start(dir: &Path, response: &str, rules: &str, webserver: bool) -> Run {
        let config = dir.join("saker.yaml");
        std::fs::write(&config, config_text(response, webserver)).unwrap();
        let rules_file = dir.join("rules.yaml");
        std::fs::write(&rules_file, rules).unwrap();
        let mut child = saker()
            .args(["run", "-M", "600", "-c"])
            .arg(&config)
            .args(["-r", "embedded", "-r"])
            .arg(&rules_file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn saker run");
        let alerts = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().unwrap();
        let sink = Arc::clone(&alerts);
        let stdout_reader = std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    sink.lock().unwrap().push(v);
                }
            }
        });
        let err = child.stderr.take().unwrap();
        let text = Arc::clone(&stderr);
        let stderr_reader = std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut t = text.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
            }
        });
        let run = Run {
            child,
            alerts,
            stderr,
            readers: vec![stdout_reader, stderr_reader],
            dir: dir.to_path_buf(),
        };
        // Ready once the /proc walk is done; the kernel table is installed before that.
        run.wait_log("Watching ");
        run
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn wait_log(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !self.stderr().contains(text) {
            assert!(
                Instant::now() < deadline,
                "saker run never logged {text:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The first alert matching `pred`, waiting up to [`WAIT`].
    fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(a) = self.alerts.lock().unwrap().iter().find(|a| pred(a)) {
                return a.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no {what}; alerts:\n{}\nstderr:\n{}",
                self.alerts
                    .lock()
                    .unwrap()
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The record of `action` for an alert of `rule` about `program` (any program: `None`).
    fn record(&self, rule: &str, action: &str, program: Option<&str>) -> Value {
        self.wait_for(&format!("{action} record for {rule} ({program:?})"), |a| {
            a["source"] == "response"
                && field(a, "response.rule") == rule
                && field(a, "response.action") == action
                && program.is_none_or(|p| field(a, "proc.name") == p)
        })
    }

    /// Returns once everything that ran before has been through the rules and the responder:
    /// a write below /etc raises "Write below etc" on the same ring buffer, after the events
    /// before it; its alert is then in.
    fn barrier(&self) {
        static N: AtomicUsize = AtomicUsize::new(0);
        let marker = format!(
            "/etc/saker-response-barrier-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        std::fs::write(&marker, "").unwrap();
        let _ = std::fs::remove_file(&marker);
        self.wait_for("barrier alert", |a| {
            a["rule"] == "Write below etc" && field(a, "fd.name") == marker.as_str()
        });
    }

    fn all(&self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        self.alerts
            .lock()
            .unwrap()
            .iter()
            .filter(|a| pred(a))
            .cloned()
            .collect()
    }

    /// SIGHUP, then waits until the reload is logged as done (or failed).
    fn reload(&self, response: &str, rules: &str) -> String {
        let before = self.stderr().len();
        std::fs::write(self.dir.join("saker.yaml"), config_text(response, false)).unwrap();
        std::fs::write(self.dir.join("rules.yaml"), rules).unwrap();
        // SAFETY: kill on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGHUP) };
        let deadline = Instant::now() + WAIT;
        loop {
            let log = self.stderr()[before..].to_string();
            if log.contains("Reload complete") || log.contains("Reload failed") {
                return log;
            }
            assert!(Instant::now() < deadline, "no reload:\n{log}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGINT; the exit summary.
    fn stop(mut self) -> String {
        // SAFETY: kill on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let status = self.child.wait().unwrap();
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        assert!(status.success(), "saker run: {status}\n{}", self.stderr());
        self.stderr()
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn field<'a>(alert: &'a Value, name: &str) -> &'a Value {
    &alert["output_fields"][name]
}

/// A host program named `name` (a shell script): it creates `marker` first, then sleeps
/// `seconds` so that user space can find it alive.
fn host_program(dir: &Path, name: &str, marker: &Path, seconds: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n: > '{}'\nsleep {seconds}\nexit 0\n",
            marker.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Runs `program` so that it is not Saker's child nor this test's (the kernel's guard covers
/// Saker's descendants only, but the test stays clear of it anyway) and returns its exit
/// status as the shell saw it.
fn run_status(program: &Path) -> i32 {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("'{}'; echo $?", program.display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// A container removed at drop.
struct Container(String);

impl Container {
    fn start(name: &str) -> Container {
        let out = Command::new("podman")
            .args(["run", "-d", "--name", name, IMAGE, "sleep", "600"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "podman run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Container(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn short(&self) -> &str {
        &self.0[..12]
    }

    /// `podman exec` (with extra podman options); the exit status.
    fn exec(&self, options: &[&str], command: &str) -> i32 {
        Command::new("podman")
            .arg("exec")
            .args(options)
            .args([&self.0, "sh", "-c", command])
            .status()
            .unwrap()
            .code()
            .unwrap_or(-1)
    }

    fn running(&self) -> bool {
        let out = Command::new("podman")
            .args(["inspect", "-f", "{{.State.Running}}", &self.0])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim() == "true"
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
fn errors_point_at_the_config_and_dry_run_lists_where_each_response_runs() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "response:\n  actions:\n    - match: {rule: \"Launch Package Managment Process in Container\"}\n      do: kil_process\n    - match:\n        priority: \">=Noticee\"\n      do: kill_process\n",
    )
    .unwrap();
    let out = saker()
        .args(["run", "--dry-run", "-c"])
        .arg(&bad)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let bad = bad.display();
    for line in [
        format!(
            "{bad}:3:21: error: response.actions[0].match.rule: unknown rule `Launch Package Managment Process in Container`"
        ),
        format!(
            "{bad}:4:11: error: response.actions[0].do: unknown action `kil_process` (expected one of kill_process, kill_process_tree, stop_container, pause_container, kill_container, program, webhook)"
        ),
        format!(
            "{bad}:6:19: error: response.actions[1].match.priority: bad priority `>=Noticee`: expected a priority name (emergency, alert, critical, error, warning, notice, informational, debug), optionally after >=, >, <=, < or ="
        ),
        "saker run: the responses have errors".to_string(),
    ] {
        assert!(
            stderr.lines().any(|l| l == line),
            "{line}\n--- in ---\n{stderr}"
        );
    }

    let good = dir.path().join("good.yaml");
    std::fs::write(
        &good,
        "response:\n  actions:\n    - match: {rule: \"Launch Package Management Process in Container\"}\n      do: kill_process\n    - match: {tags: [container, shell], priority: \">=Notice\"}\n      do: [kill_process, program: \"logger -t saker-response\"]\n    - match: {rule: \"Launch Privileged Container\"}\n      do: stop_container\n",
    )
    .unwrap();
    let out = saker()
        .args(["run", "--dry-run", "-c"])
        .arg(&good)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = &stdout[stdout.find("Responses").expect("a response table")..];
    assert_eq!(
        table,
        "Responses (3 rules):
  Launch Package Management Process in Container
    kill_process       in the kernel at execve/execveat: in a container, proc.name in (apk, apt, apt-get, aptitude, dnf, dpkg, ... 14 names)
  Launch Privileged Container
    stop_container     in user space, through the container runtime's API
  Terminal shell in container
    kill_process       in user space, on the alert: `proc.tty != 0` is not a test the kernel makes at an exec
    program            in user space: `logger -t saker-response` (timeout 10s)
  Rate limit: 30 per rule, 100 in all, per 60s
  Never acted on: pid 1, Saker and its children, kernel threads, processes outside containers
Opens left out in the kernel: those no rule needs (kept: every path for write access, 21 paths or prefixes otherwise)
"
    );
}

#[test]
fn apt_get_in_a_container_is_killed_in_the_kernel_before_it_runs() {
    if let Some(why) = podman_skip_reason() {
        eprintln!("SKIPPED: apt_get_in_a_container: {why}");
        return;
    }
    let container = Container::start(&unique("sr-apt"));
    // busybox as apt-get, and an `apt` whose first act is to write a file.
    assert_eq!(
        container.exec(
            &[],
            "ln -s /bin/busybox /usr/bin/apt-get && printf '#!/bin/sh\\n: > /tmp/apt-ran\\n' > /usr/bin/apt && chmod +x /usr/bin/apt"
        ),
        0
    );
    let dir = tempfile::tempdir().unwrap();
    let run = Run::start(
        dir.path(),
        "  actions:\n    - match: {rule: \"Launch Package Management Process in Container\"}\n      do: kill_process\n",
        "",
        false,
    );
    let rule = "Launch Package Management Process in Container";
    assert_eq!(container.exec(&[], "apt-get update"), 137);
    assert_eq!(container.exec(&[], "apt update"), 137);
    assert_eq!(
        container.exec(&[], "test ! -e /tmp/apt-ran"),
        0,
        "apt ran before it was killed"
    );
    // Other programs in the container run.
    assert_eq!(container.exec(&[], "true"), 0);
    for program in ["apt-get", "apt"] {
        let record = run.record(rule, "kill_process", Some(program));
        assert_eq!(field(&record, "response.result"), "ok", "{record}");
        assert_eq!(field(&record, "response.place"), "kernel", "{record}");
        assert_eq!(
            field(&record, "container.id"),
            container.short(),
            "{record}"
        );
        assert!(
            field(&record, "response.detail")
                .as_str()
                .unwrap()
                .ends_with("before the program ran"),
            "{record}"
        );
        assert!(field(&record, "response.latency_us").is_u64(), "{record}");
        // The rule's own alert still comes: the exec happened.
        run.wait_for(&format!("{rule} alert for {program}"), |a| {
            a["rule"] == rule && field(a, "proc.name") == program
        });
    }
    run.barrier();
    // One record each: the alert that followed the kernel's kill was not acted on again.
    let records =
        run.all(|a| a["source"] == "response" && field(a, "container.id") == container.short());
    assert_eq!(records.len(), 2, "{records:?}");
    run.stop();
}

#[test]
fn a_terminal_shell_in_a_container_is_killed_from_user_space() {
    if let Some(why) = podman_skip_reason() {
        eprintln!("SKIPPED: a_terminal_shell_in_a_container: {why}");
        return;
    }
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: a_terminal_shell_in_a_container: script(1) missing (bsdutils)");
        return;
    }
    let container = Container::start(&unique("sr-sh"));
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("program-got.json");
    // The default shell rule acts on every container of the host: this run replaces it with
    // one for the test's container, tagged as it is.
    let rules = format!(
        "- rule: Terminal shell in container\n  enabled: false\n  override: {{enabled: replace}}\n\
         - rule: Response test shell\n  desc: d\n  condition: spawned_process and container.id = {} and proc.name in (shell_binaries) and proc.tty != 0\n  output: a shell with a terminal (pid=%proc.pid)\n  priority: NOTICE\n  tags: [container, shell]\n",
        container.short()
    );
    let run = Run::start(
        dir.path(),
        &format!(
            "  actions:\n    - match: {{tags: [container, shell], priority: \">=Notice\"}}\n      do: [kill_process, program: \"cat > {}\"]\n",
            got.display()
        ),
        &rules,
        false,
    );
    let started = Instant::now();
    let status = Command::new("script")
        .args(["-q", "-e", "-c"])
        .arg(format!("podman exec -it {} sh -c 'sleep 600'", container.0))
        .arg("/dev/null")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(137), "the shell was not killed");
    assert!(started.elapsed() < Duration::from_secs(300));
    let record = run.record("Response test shell", "kill_process", Some("sh"));
    assert_eq!(field(&record, "response.result"), "ok", "{record}");
    assert_eq!(field(&record, "response.place"), "user", "{record}");
    let latency = field(&record, "response.latency_us").as_u64().unwrap();
    assert!(
        record["output"].as_str().unwrap().contains(" latency="),
        "{record}"
    );
    assert!(latency > 0, "{record}");
    // The program got the alert as JSON on its stdin.
    let program = run.record("Response test shell", "program", Some("sh"));
    assert_eq!(field(&program, "response.result"), "ok", "{program}");
    let alert: Value = serde_json::from_str(std::fs::read_to_string(&got).unwrap().trim()).unwrap();
    assert_eq!(alert["rule"], "Response test shell");
    assert_eq!(alert["source"], "syscall");
    run.stop();
}

#[test]
fn stop_container_stops_a_container_that_reads_etc_shadow() {
    if let Some(why) = podman_skip_reason() {
        eprintln!("SKIPPED: stop_container: {why}");
        return;
    }
    // A socket file whose service is gone (a restarted machine) is no API either.
    if std::os::unix::net::UnixStream::connect(PODMAN_API).is_err() {
        eprintln!(
            "SKIPPED: stop_container: no podman API service answers at {PODMAN_API} (scripts/podman-setup.sh --service)"
        );
        return;
    }
    let container = Container::start(&unique("sr-stop"));
    assert_eq!(
        container.exec(&[], "echo 'root:*:19000::::::' > /etc/shadow"),
        0
    );
    // With rule_matching: first, the default rules on sensitive files would alert instead.
    let rules = format!(
        "- rule: Read sensitive file untrusted\n  enabled: false\n  override: {{enabled: replace}}\n\
         - rule: Read sensitive file trusted after startup\n  enabled: false\n  override: {{enabled: replace}}\n\
         - rule: Response test shadow read\n  desc: d\n  condition: open_read and container.id = {} and fd.name = /etc/shadow\n  output: shadow read (pid=%proc.pid)\n  priority: WARNING\n",
        container.short()
    );
    let dir = tempfile::tempdir().unwrap();
    let run = Run::start(
        dir.path(),
        "  timeout: 4s\n  actions:\n    - match: {rule: Response test shadow read}\n      do: stop_container\n",
        &rules,
        false,
    );
    assert!(container.running());
    container.exec(&[], "cat /etc/shadow > /dev/null");
    let record = run.record("Response test shadow read", "stop_container", None);
    assert_eq!(field(&record, "response.result"), "ok", "{record}");
    assert!(
        field(&record, "response.detail")
            .as_str()
            .unwrap()
            .starts_with("stopped through /run/podman/podman.sock"),
        "{record}"
    );
    let deadline = Instant::now() + WAIT;
    while container.running() {
        assert!(Instant::now() < deadline, "the container still runs");
        std::thread::sleep(Duration::from_millis(50));
    }
    run.stop();
}

/// Rules on a host program: one the kernel decides (by name), one only user space can (the
/// command line is not a kernel test).
fn host_rules(kernel: &str, user: &str) -> String {
    format!(
        "- rule: Response test kernel {kernel}\n  desc: d\n  condition: spawned_process and proc.name = {kernel}\n  output: o (pid=%proc.pid)\n  priority: WARNING\n\
         - rule: Response test user {user}\n  desc: d\n  condition: spawned_process and proc.name = {user} and proc.cmdline contains {user}\n  output: o (pid=%proc.pid)\n  priority: WARNING\n"
    )
}

#[test]
fn dry_run_kills_nothing_and_says_what_it_would_have_done() {
    if let Some(why) = live_skip_reason() {
        eprintln!("SKIPPED: dry_run: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (kernel, user) = (unique("srdk"), unique("srdu"));
    let run = Run::start(
        dir.path(),
        &format!(
            "  dry_run: true\n  allow_host: true\n  actions:\n    - match: {{rule: [Response test kernel {kernel}, Response test user {user}]}}\n      do: [kill_process, program: \"touch {}/program-ran\"]\n",
            dir.path().display()
        ),
        &host_rules(&kernel, &user),
        false,
    );
    for name in [&kernel, &user] {
        let marker = dir.path().join(format!("{name}.ran"));
        let program = host_program(dir.path(), name, &marker, 1);
        assert_eq!(run_status(&program), 0, "{name} was killed");
        assert!(marker.exists());
    }
    let record = run.record(
        &format!("Response test kernel {kernel}"),
        "kill_process",
        Some(&kernel),
    );
    assert_eq!(field(&record, "response.result"), "dry_run", "{record}");
    assert_eq!(field(&record, "response.place"), "kernel", "{record}");
    assert!(
        field(&record, "response.detail")
            .as_str()
            .unwrap()
            .starts_with("would have sent SIGKILL at execve of "),
        "{record}"
    );
    let record = run.record(
        &format!("Response test user {user}"),
        "kill_process",
        Some(&user),
    );
    assert_eq!(field(&record, "response.result"), "dry_run", "{record}");
    assert_eq!(
        field(&record, "response.detail"),
        "would have sent SIGKILL to the process"
    );
    for (kind, name) in [("kernel", &kernel), ("user", &user)] {
        let record = run.record(
            &format!("Response test {kind} {name}"),
            "program",
            Some(name),
        );
        assert_eq!(field(&record, "response.result"), "dry_run", "{record}");
    }
    run.barrier();
    assert!(!dir.path().join("program-ran").exists());
    run.stop();
}

#[test]
fn host_processes_and_saker_children_are_never_touched_and_reloads_apply() {
    if let Some(why) = live_skip_reason() {
        eprintln!("SKIPPED: host_processes: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (kernel, user) = (unique("srhk"), unique("srhu"));
    let rules = host_rules(&kernel, &user);
    let kill_both = format!(
        "    - match: {{rule: [Response test kernel {kernel}, Response test user {user}]}}\n      do: kill_process_tree\n"
    );
    let run = Run::start(
        dir.path(),
        &format!("  actions:\n{kill_both}"),
        &rules,
        false,
    );
    let programs: Vec<(String, PathBuf, PathBuf)> = [&kernel, &user]
        .iter()
        .map(|name| {
            let marker = dir.path().join(format!("{name}.ran"));
            let program = host_program(dir.path(), name, &marker, 1);
            (name.to_string(), program, marker)
        })
        .collect();
    for (name, program, marker) in &programs {
        assert_eq!(run_status(program), 0, "host program {name} was killed");
        assert!(marker.exists());
        std::fs::remove_file(marker).unwrap();
    }
    for (place, name) in [("kernel", &kernel), ("user", &user)] {
        let record = run.record(
            &format!("Response test {place} {name}"),
            "kill_process_tree",
            Some(name),
        );
        assert_eq!(field(&record, "response.result"), "refused", "{record}");
        assert_eq!(field(&record, "response.place"), place, "{record}");
        assert_eq!(
            field(&record, "response.detail"),
            "a host process (allow_host is false)"
        );
    }

    // Reloaded with allow_host: the host programs are killed, except a protected one and what
    // Saker starts itself (a program action runs one of them).
    let protected = unique("srhp");
    let protected_program = host_program(dir.path(), &protected, &dir.path().join("p.ran"), 1);
    let rules = format!(
        "{rules}- rule: Response test protected {protected}\n  desc: d\n  condition: spawned_process and proc.name = {protected}\n  output: o (pid=%proc.pid)\n  priority: WARNING\n"
    );
    let log = run.reload(
        &format!(
            "  allow_host: true\n  protected: {{programs: [{protected}]}}\n  actions:\n{kill_both}    - match: {{rule: Response test protected {protected}}}\n      do: kill_process\n    - match: {{rule: Response test user {user}}}\n      do: {{program: '{}'}}\n",
            programs[0].1.display()
        ),
        &rules,
    );
    assert!(log.contains("Reload complete"), "{log}");
    // The kernel-decided one dies before its first line; the other once user space sees it.
    assert_eq!(run_status(&programs[0].1), 137);
    assert!(!programs[0].2.exists(), "killed in the kernel, yet it ran");
    assert_eq!(run_status(&programs[1].1), 137);
    assert_eq!(run_status(&protected_program), 0);
    let record = run.record(
        &format!("Response test protected {protected}"),
        "kill_process",
        Some(&protected),
    );
    assert_eq!(field(&record, "response.result"), "refused", "{record}");
    assert_eq!(
        field(&record, "response.detail"),
        format!("program {protected} is protected").as_str()
    );
    // The user program's alert ran the kernel-rule program as Saker's child: untouched.
    let program = run.record(
        &format!("Response test user {user}"),
        "program",
        Some(&user),
    );
    assert_eq!(field(&program, "response.result"), "ok", "{program}");
    let guard = run.wait_for("a refusal for Saker's child", |a| {
        a["source"] == "response"
            && field(a, "proc.name") == kernel.as_str()
            && field(a, "response.result") == "refused"
            && field(a, "response.detail") == "Saker and the processes it starts are never acted on"
    });
    assert_eq!(field(&guard, "response.place"), "kernel", "{guard}");
    assert!(programs[0].2.exists(), "Saker's child was killed");

    // A bad `response:` in a reload changes nothing.
    let log = run.reload(
        "  actions:\n    - match: {rule: No Such Rule}\n      do: kill_process\n",
        &rules,
    );
    assert!(log.contains("Reload failed"), "{log}");
    assert!(log.contains("unknown rule `No Such Rule`"), "{log}");
    std::fs::remove_file(&programs[0].2).unwrap();
    assert_eq!(
        run_status(&programs[0].1),
        137,
        "the previous responses stay in force"
    );
    run.stop();
}

/// GET `path` on 127.0.0.1:`port`; the body.
fn http_get(port: u16, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

#[test]
fn a_storm_is_cut_off_with_one_alert_and_counted_in_metrics() {
    if let Some(why) = live_skip_reason() {
        eprintln!("SKIPPED: a_storm: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (kernel, user) = (unique("srsk"), unique("srsu"));
    let run = Run::start(
        dir.path(),
        &format!(
            "  allow_host: true\n  rate_limit: {{per_rule: 2, global: 100, interval: 1h}}\n  actions:\n    - match: {{rule: Response test kernel {kernel}}}\n      do: kill_process\n"
        ),
        &host_rules(&kernel, &user),
        true,
    );
    let marker = dir.path().join("ran");
    let program = host_program(dir.path(), &kernel, &marker, 0);
    let statuses: Vec<i32> = (0..6).map(|_| run_status(&program)).collect();
    assert_eq!(statuses, [137, 137, 0, 0, 0, 0]);
    run.barrier();
    let storms = run.all(|a| a["rule"] == "Saker response rate limit");
    assert_eq!(storms.len(), 1, "{storms:?}");
    assert!(
        storms[0]["output"].as_str().unwrap().contains(&format!(
            "more than 2 actions for rule \"Response test kernel {kernel}\""
        )),
        "{}",
        storms[0]
    );
    assert_eq!(run.all(|a| a["rule"] == "Saker response").len(), 2);
    let log = run.stderr();
    let port: u16 = log
        .split_once("listening on port ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in the log:\n{log}"));
    let metrics = http_get(port, "/metrics");
    for line in [
        "saker_response_actions_total{action=\"kill_process\",result=\"ok\",place=\"kernel\"} 2",
        "saker_response_skipped_total 4",
        "saker_response_rate_limited_total 1",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line}\n{metrics}");
    }
    assert!(
        metrics.contains(
            "saker_alerts_total{rule=\"Saker response\",priority=\"warning\",source=\"response\"} 2"
        ),
        "{metrics}"
    );
    run.stop();
}
