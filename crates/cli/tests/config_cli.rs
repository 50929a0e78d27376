//! `saker config show` through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn saker(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_saker"));
    command.args(args).env_remove("SAKER_TEST_PORT");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run saker")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn show_prints_effective_config_with_env_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "saker.yaml",
        "json_output: true\nwebserver:\n  listen_port: ${SAKER_TEST_PORT}\n",
    );
    let out = saker(
        &[
            "config",
            "show",
            "-c",
            file.to_str().unwrap(),
            "-o",
            "priority=warning",
            "-o",
            "file_output.enabled=true",
        ],
        &[("SAKER_TEST_PORT", "9123")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "# effective configuration, from {}",
            file.display()
        )),
        "{stdout}"
    );
    for line in [
        "json_output: true",
        "  listen_port: 9123",
        "priority: warning",
        "  listen_address: 127.0.0.1",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "missing `{line}`:\n{stdout}"
        );
    }
    // file_output.enabled=true landed in its section.
    let file_section: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "file_output:")
        .take(4)
        .collect();
    assert!(
        file_section.contains(&"  enabled: true"),
        "{file_section:?}"
    );
}

#[test]
fn unknown_keys_warn_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "saker.yaml",
        "stdout_output:\n  enabled: true\n  colour: red\n",
    );
    let out = saker(&["config", "show", "-c", file.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{}:3: warning: unknown configuration key `stdout_output.colour`\n",
            file.display()
        )
    );
}

#[test]
fn bad_config_exits_2_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "saker.yaml",
        "webserver:\n  enabled: true\n  listen_port: lots\n",
    );
    let missing = dir.path().join("missing.yaml");
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec!["-c".into(), file.display().to_string()],
            format!(
                "saker: {}:3: `webserver.listen_port`: invalid type: string \"lots\", expected u16\n",
                file.display()
            ),
        ),
        (
            vec!["-c".into(), missing.display().to_string()],
            format!("saker: {}: No such file or directory (os error 2)\n", missing.display()),
        ),
        (
            vec!["-o".into(), "log_stderr=maybe".into()],
            "saker: -o log_stderr=maybe: `log_stderr`: invalid type: string \"maybe\", expected a boolean\n".to_string(),
        ),
    ];
    for (args, expect) in cases {
        let mut full = vec!["config", "show"];
        full.extend(args.iter().map(String::as_str));
        let out = saker(&full, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stderr), expect, "{args:?}");
        assert_eq!(text(&out.stdout), "");
    }
}

#[test]
fn packaged_example_config_loads_cleanly() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/saker.yaml");
    let out = saker(&["config", "show", "-c", example.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "",
        "the example config must have no unknown keys"
    );
}
