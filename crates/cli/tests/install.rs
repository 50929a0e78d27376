//! scripts/install.sh (issue 16): the binary, unit, configuration and default rules land where
//! packaging/saker.service and packaging/saker.yaml expect them, the installed configuration
//! loads the same rules as the embedded set, and a second install keeps what the admin changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn install(destdir: &Path, extra: &[&str]) -> Output {
    Command::new("bash")
        .arg(repo().join("scripts/install.sh"))
        .args(["--destdir", destdir.to_str().unwrap()])
        .args(["--binary", env!("CARGO_BIN_EXE_saker")])
        .args(extra)
        .output()
        .expect("bash")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `saker run --dry-run` with the installed config, its rules_files pointed into `destdir`:
/// the rules loaded and the syscalls traced.
fn dry_run(destdir: &Path, config: &Path) -> Output {
    let etc = destdir.join("etc/saker");
    let mut cmd = Command::new(destdir.join("usr/bin/saker"));
    cmd.args(["run", "--dry-run", "-c", config.to_str().unwrap()]);
    for (i, name) in [
        "saker_rules.yaml",
        "saker_k8s_audit_rules.yaml",
        "saker_rules.local.yaml",
        "rules.d",
    ]
    .iter()
    .enumerate()
    {
        cmd.arg("-o")
            .arg(format!("rules_files[{i}]={}", etc.join(name).display()));
    }
    cmd.output().unwrap()
}

#[test]
fn install_puts_everything_where_the_unit_expects_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = install(d, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Every absolute path the unit names exists under the destdir.
    let unit = std::fs::read_to_string(d.join("etc/systemd/system/saker.service")).unwrap();
    for line in unit.lines().filter(|l| l.starts_with("ExecStart")) {
        for word in line
            .split(['=', ' '])
            .filter(|w| w.starts_with("/usr/") || w.starts_with("/etc/saker"))
        {
            assert!(
                d.join(&word[1..]).exists(),
                "{word} (from {line}) not installed"
            );
        }
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &str| std::fs::metadata(d.join(p)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("usr/bin/saker"), 0o755);
    assert_eq!(
        mode("etc/saker/saker.yaml"),
        0o640,
        "the config may hold tokens"
    );
    assert_eq!(mode("etc/saker/saker_rules.yaml"), 0o644);
    // The default rules on disk are the ones the installed binary embeds.
    for (file, source) in [
        ("saker_rules.yaml", "syscall"),
        ("saker_k8s_audit_rules.yaml", "k8s_audit"),
    ] {
        let shown = Command::new(d.join("usr/bin/saker"))
            .args(["rules", "show-default", "--source", source])
            .output()
            .unwrap();
        assert!(shown.status.success(), "{}", text(&shown.stderr));
        let on_disk = std::fs::read(d.join("etc/saker").join(file)).unwrap();
        assert!(on_disk == shown.stdout, "{file} differs from show-default");
    }
    assert!(d.join("etc/saker/rules.d").is_dir());
    assert!(d.join("etc/logrotate.d/saker").is_file());

    // Every rules_files entry of the installed config was installed.
    let config = std::fs::read_to_string(d.join("etc/saker/saker.yaml")).unwrap();
    let listed: Vec<&str> = config
        .lines()
        .skip_while(|l| !l.starts_with("rules_files:"))
        .skip(1)
        .take_while(|l| l.starts_with("  - "))
        .map(|l| l.trim_start_matches("  - "))
        .collect();
    assert_eq!(listed.len(), 4, "{listed:?}");
    for path in &listed {
        assert!(
            d.join(&path[1..]).exists(),
            "{path} listed but not installed"
        );
    }

    // The rules on disk are the embedded ones: the same rules, the same syscalls.
    let embedded = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["run", "--dry-run", "-r", "embedded"])
        .output()
        .unwrap();
    let installed = dry_run(d, &d.join("etc/saker/saker.yaml"));
    assert!(installed.status.success(), "{}", text(&installed.stderr));
    assert_eq!(text(&installed.stdout), text(&embedded.stdout));
    assert!(text(&installed.stdout).contains("Syscalls traced"));
}

#[test]
fn reinstall_keeps_the_admins_config_and_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(install(d, &[]).status.success());
    let config = d.join("etc/saker/saker.yaml");
    let local = d.join("etc/saker/saker_rules.local.yaml");
    std::fs::write(&config, "priority: warning\n").unwrap();
    std::fs::write(
        &local,
        "- list: shell_binaries\n  items: [fish]\n  override:\n    items: append\n",
    )
    .unwrap();
    let out = install(d, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("kept your"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "priority: warning\n"
    );
    assert!(std::fs::read_to_string(&local).unwrap().contains("fish"));
    assert!(d.join("etc/saker/saker.yaml.new").exists());

    let out = install(d, &["--uninstall"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!d.join("usr/bin/saker").exists());
    assert!(!d.join("etc/saker/saker_rules.yaml").exists());
    assert!(config.exists() && local.exists());
}

#[test]
fn a_missing_rules_file_in_the_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("saker.yaml");
    let missing = dir.path().join("nowhere/saker_rules.yaml");
    std::fs::write(
        &config,
        format!(
            "rules_files:\n  - {}\n  - {}/rules.d\n",
            missing.display(),
            dir.path().display()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(["run", "--dry-run", "-c", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!(
            "saker: rules file {} (in the config's rules_files) does not exist",
            missing.display()
        )),
        "{}",
        text(&out.stderr)
    );
}
