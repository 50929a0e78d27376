//! `saker run --ptrace -- CMD`: rules evaluated on one command's process tree through ptrace,
//! with the same fields as the eBPF capture.

use std::process::Command;

fn saker() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_saker"));
    cmd.args([
        "run",
        "-o",
        "syslog_output.enabled=false",
        "-o",
        "stdout_output.enabled=true",
    ]);
    cmd
}

#[test]
fn custom_rule_sees_fds_cwd_and_ancestry() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.yaml");
    let watched = dir.path().join("watched");
    std::fs::create_dir(&watched).unwrap();
    std::fs::write(
        &rules,
        format!(
            r#"
- rule: Write in watched dir
  desc: test
  condition: evt.type in (open, openat, creat) and evt.is_open_write = true and fd.directory = {w}
  output: "wrote %fd.name by %proc.name parent=%proc.pname cmd=%proc.cmdline typechar=%fd.typechar num=%fd.num"
  priority: WARNING
- rule: Dup of a pipe
  desc: test
  condition: evt.type in (dup2, dup3) and fd.type = pipe and proc.name = sh
  output: "dup %fd.type to %evt.rawres"
  priority: NOTICE
"#,
            w = watched.display()
        ),
    )
    .unwrap();
    // A relative path after cd: fd.name must be resolved against the new cwd.
    let script = format!(
        "cd {} && echo hi > out.txt && echo x | cat > /dev/null; exit 3",
        watched.display()
    );
    let out = saker()
        .arg("-r")
        .arg(&rules)
        .args(["--ptrace", "--", "sh", "-c", &script])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "the command's exit status passes through\n{stderr}"
    );
    let expected = format!(
        "wrote {}/out.txt by sh parent=saker cmd=sh -c {script} typechar=f num=",
        watched.display()
    );
    assert!(
        stdout.contains(&expected),
        "missing `{expected}` in:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("Warning wrote"),
        "Falco's text line shape:\n{stdout}"
    );
    assert!(stderr.contains("Events seen: "), "summary:\n{stderr}");
    assert!(
        stderr.contains("Write in watched dir: 1"),
        "summary:\n{stderr}"
    );
}

#[test]
fn default_rules_fire_on_sensitive_read() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!(
            "SKIPPED: default_rules_fire_on_sensitive_read: not root (/etc/shadow unreadable)"
        );
        return;
    }
    let out = saker()
        .args([
            "--json",
            "--ptrace",
            "--",
            "sh",
            "-c",
            "cat /etc/shadow > /dev/null; /bin/true",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let alerts: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let hit = alerts
        .iter()
        .find(|a| a["rule"] == "Read sensitive file untrusted");
    let hit = hit.unwrap_or_else(|| panic!("no alert in {alerts:?}"));
    assert_eq!(hit["output_fields"]["proc.name"], "cat");
    assert_eq!(hit["output_fields"]["fd.name"], "/etc/shadow");
    assert_eq!(hit["output_fields"]["proc.pname"], "sh");
    assert_eq!(hit["output_fields"]["container.id"], "host");
    // Nothing else in this command is suspicious.
    assert_eq!(alerts.len(), 1, "{alerts:?}");
}

/// Removes the container when the test ends, pass or fail.
struct Podman(String);

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = Command::new("podman")
            .args(["rm", "-f", "-t", "0", &self.0])
            .output();
    }
}

#[test]
fn container_fields_under_ptrace_come_from_the_runtime() {
    const IMAGE: &str = "saker-test/busybox:latest";
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIPPED: container_fields_under_ptrace: not root");
        return;
    }
    let ready = Command::new("podman")
        .args(["image", "exists", IMAGE])
        .status()
        .is_ok_and(|s| s.success());
    if !ready || !std::path::Path::new("/run/podman/podman.sock").exists() {
        eprintln!(
            "SKIPPED: container_fields_under_ptrace: podman, {IMAGE} or its API service missing"
        );
        return;
    }
    let name = format!("saker-ptrace-{}", std::process::id());
    let out = Command::new("podman")
        .args(["run", "-d", "--rm", "--name", &name, IMAGE, "sleep", "300"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _container = Podman(String::from_utf8_lossy(&out.stdout).trim().to_string());
    // script(1) gives `podman exec -it` its terminal.
    let inner = format!(
        "{} run --json -o syslog_output.enabled=false -o webserver.enabled=false --ptrace -- podman exec -it {name} sh -c exit",
        env!("CARGO_BIN_EXE_saker")
    );
    let out = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // The terminal script(1) records also carries what the terminal echoed, such as `^@` for
    // a NUL `podman exec -it` writes to it, ahead of the alert on the same line.
    let alert: serde_json::Value = text
        .lines()
        .filter_map(|l| l.find('{').map(|start| &l[start..]))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l.trim()).ok())
        .find(|a| a["rule"] == "Terminal shell in container")
        .unwrap_or_else(|| panic!("no Terminal shell in container:\n{text}"));
    assert_eq!(
        alert["output_fields"]["container.name"],
        name.as_str(),
        "{alert}"
    );
    assert_eq!(
        alert["output_fields"]["container.image.repository"], "localhost/saker-test/busybox",
        "{alert}"
    );
}
