//! `saker rules validate|list|describe` and `saker fields`, run as the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn saker(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_saker"))
        .args(args)
        .output()
        .expect("run saker")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

const GOOD: &str = r#"- list: shells
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- rule: Shell in container
  desc: a shell started in a container
  condition: spawned_process and container.id != host and proc.name in (shells)
  output: "shell in container (user=%user.name cmd=%proc.cmdline container_id=%container.id)"
  priority: NOTICE
  tags: [container, shell]
- rule: Disabled rule
  desc: off
  condition: evt.type = open and fd.name = /etc/shadow
  output: "%fd.name"
  priority: INFO
  enabled: false
"#;

const BAD: &str = r#"- rule: Bad
  desc: a type error and an unknown field
  condition: evt.type = open and proc.pid contains foo and proc.nmae = x
  output: "%proc.name"
  priority: WARNING
"#;

#[test]
fn validate_good_file_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD);
    let out = saker(&["rules", "validate", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "ok: 2 rules, 1 macros, 1 lists; 0 errors, 0 warnings\n"
    );
}

#[test]
fn validate_bad_file_prints_every_error_with_caret_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.yaml", BAD);
    let out = saker(&["rules", "validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let name = bad.display().to_string();
    let expected = format!(
        "{name}:3:34: error: rule 'Bad': 'contains' operator not supported for numeric filters (field 'proc.pid' of type int64)
  |
3 |   condition: evt.type = open and proc.pid contains foo and proc.nmae = x
  |                                  ^^^^^^^^^^^^^^^^^^^^^
{name}:3:60: error: rule 'Bad': unknown field 'proc.nmae'
  |
3 |   condition: evt.type = open and proc.pid contains foo and proc.nmae = x
  |                                                            ^^^^^^^^^
invalid: 0 rules, 0 macros, 0 lists; 2 errors, 0 warnings
"
    );
    assert_eq!(stdout(&out), expected);
}

#[test]
fn validate_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.yaml", BAD);
    let good = write(dir.path(), "good.yaml", GOOD);
    let out = saker(&[
        "rules",
        "validate",
        "--json",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 2);
    assert_eq!(report["rules"], 2);
    let first = &report["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["line"], 3);
    assert_eq!(first["col"], 34);
    assert_eq!(first["len"], 21);
    assert_eq!(first["code"], "LOAD_ERR_COMPILE_CONDITION");
    assert_eq!(first["item"], "Bad");
    assert!(first["file"].as_str().unwrap().ends_with("bad.yaml"));
}

#[test]
fn validate_directory_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", GOOD);
    write(
        dir.path(),
        "b.yml",
        "- rule: Disabled rule\n  enabled: true\n",
    );
    write(dir.path(), "notes.txt", "ignored: [");
    let out = saker(&["rules", "validate", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let out = saker(&["rules", "validate", "/nonexistent/rules.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    // The OS error is said once (the chain used to repeat it).
    assert_eq!(
        stderr(&out),
        "saker: loading rules: cannot read rules file /nonexistent/rules.yaml: \
         No such file or directory (os error 2)\n"
    );

    // A rules file in the directory that is a symlink to nothing is an error, not a file
    // left out ("ok: 0 rules" once).
    let broken = dir.path().join("c.yaml");
    std::os::unix::fs::symlink("/nonexistent/target.yaml", &broken).unwrap();
    let out = saker(&["rules", "validate", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "saker: loading rules: cannot read rules file {}: \
             No such file or directory (os error 2)\n",
            broken.display()
        )
    );
}

#[test]
fn list_shows_rules() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD);
    let out = saker(&["rules", "list", "-r", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "NAME                PRIORITY       SOURCE     ENABLED  TAGS
Shell in container  Notice         syscall    yes      container,shell
Disabled rule       Informational  syscall    no
"
    );
    let out = saker(&["rules", "list", "--json", "-r", good.to_str().unwrap()]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[1]["name"], "Disabled rule");
    assert_eq!(rows[1]["enabled"], false);
    assert_eq!(rows[0]["tags"][1], "shell");
}

/// falco.yaml's `rules` selection applies to what `rules list` shows, as to what `run` loads.
#[test]
fn list_applies_the_configs_rules_selection() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD);
    let config = write(
        dir.path(),
        "saker.yaml",
        "rules:\n  - disable: {tag: shell}\n  - enable: {rule: 'Disabled*'}\n",
    );
    let out = saker(&[
        "rules",
        "list",
        "-c",
        config.to_str().unwrap(),
        "-r",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "NAME                PRIORITY       SOURCE     ENABLED  TAGS
Shell in container  Notice         syscall    no       container,shell
Disabled rule       Informational  syscall    yes
"
    );
}

/// A rules file's control characters reach the terminal escaped in list and describe (issue
/// 14; validate's diagnostics: saker_rules::diagnostic's tests).
#[test]
fn text_from_rules_files_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "esc.yaml",
        "- rule: \"R\\e[31m\"\n  desc: \"line\\nfake\"\n  condition: \"evt.type = open and proc.name = '\\e[2J'\"\n  output: o\n  priority: INFO\n  tags: [\"t\\e\"]\n",
    );
    let path = rules.to_str().unwrap();
    for args in [
        vec!["rules", "list", "-r", path],
        vec!["rules", "describe", "R\u{1b}[31m", "-r", path],
    ] {
        let out = saker(&args);
        let text = stdout(&out);
        assert!(!text.contains('\u{1b}'), "{args:?}: {text}");
    }
    let described = stdout(&saker(&["rules", "describe", "R\u{1b}[31m", "-r", path]));
    assert!(described.contains("rule: R\\33[31m\n"), "{described}");
    assert!(described.contains("desc: line\nfake\n"), "{described}");
    assert!(described.contains("proc.name = '\\33[2J'"), "{described}");
}

#[test]
fn validate_without_paths_checks_what_run_loads() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "saker.yaml", "rules_files: [embedded]\n");
    let out = saker(&[
        "rules",
        "validate",
        "--json",
        "-c",
        config.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    assert_eq!(
        report["files"],
        serde_json::json!(["saker_k8s_audit_rules.yaml", "saker_rules.yaml"])
    );
}

/// A file that tunes the default rules only makes sense on top of them.
#[test]
fn validate_with_default_rules_checks_tuning_files() {
    let dir = tempfile::tempdir().unwrap();
    let tuning = write(
        dir.path(),
        "tuning.yaml",
        "- rule: Terminal shell in container\n  enabled: false\n  override:\n    enabled: replace\n\
         - rule: Create Privileged Pod\n  condition: and ka.user.name != admin\n  override:\n    condition: append\n",
    );
    let tuning = tuning.to_str().unwrap();
    let out = saker(&["rules", "validate", tuning]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("error: rule 'Create Privileged Pod': Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"),
        "{}",
        stdout(&out)
    );
    let out = saker(&[
        "rules",
        "validate",
        "--with-default-rules",
        "--json",
        tuning,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["warnings"], 0, "{report}");
    assert_eq!(
        report["files"],
        serde_json::json!(["saker_k8s_audit_rules.yaml", "saker_rules.yaml", tuning])
    );
}

/// validate loads with the config's append_output, as run does: a bad field there is an
/// error of every rule it applies to.
#[test]
fn validate_uses_the_configs_append_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD);
    let config = write(
        dir.path(),
        "saker.yaml",
        "append_output:\n  - match:\n      tags: [shell]\n    extra_output: \"parent=%proc.pnme\"\n",
    );
    let args = [
        "rules",
        "validate",
        "-c",
        config.to_str().unwrap(),
        good.to_str().unwrap(),
    ];
    let out = saker(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("error: rule 'Shell in container': invalid formatting token '%proc.pnme' in output: unknown field 'proc.pnme'"),
        "{text}"
    );
    assert!(
        text.ends_with("invalid: 1 rules, 1 macros, 1 lists; 1 error, 0 warnings\n"),
        "{text}"
    );

    let fixed = write(
        dir.path(),
        "fixed.yaml",
        "append_output:\n  - match: {tags: [shell]}\n    extra_output: \"parent=%proc.pname\"\n    extra_fields: [{who: \"%user.name\"}]\n",
    );
    let out = saker(&[
        "rules",
        "describe",
        "Shell in container",
        "-c",
        fixed.to_str().unwrap(),
        "-r",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("output with append_output: shell in container (user=%user.name cmd=%proc.cmdline container_id=%container.id) parent=%proc.pname\n"),
        "{text}"
    );
    assert!(text.contains("extra field who: %user.name\n"), "{text}");
}

/// Falco's old `rules_file` key names the files to validate, with Falco's warning.
#[test]
fn validate_reads_the_old_rules_file_key() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD);
    let config = write(
        dir.path(),
        "falco.yaml",
        &format!("rules_file:\n  - {}\n", good.display()),
    );
    let out = saker(&["rules", "validate", "-c", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "{}:1: warning: Using deprecated config key 'rules_file' (singular form). Please use new 'rules_files' config key (plural form).\n",
            config.display()
        )
    );
    assert!(stdout(&out).starts_with("ok: "), "{}", stdout(&out));
}

/// The embedded rules print as YAML that loads to the same rules.
#[test]
fn show_default_prints_loadable_rules_per_source() {
    let dir = tempfile::tempdir().unwrap();
    let count = |args: &[&str]| -> usize {
        let out = saker(args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        listed.as_array().unwrap().len()
    };
    let config = write(dir.path(), "saker.yaml", "rules_files: [embedded]\n");
    let config = config.to_str().unwrap();
    let all = count(&["rules", "list", "--json", "-c", config]);
    let mut per_source = 0;
    for source in ["syscall", "k8s_audit"] {
        let out = saker(&["rules", "show-default", "--source", source]);
        assert_eq!(out.status.code(), Some(0));
        let file = write(dir.path(), &format!("{source}.yaml"), &stdout(&out));
        let listed = saker(&["rules", "list", "--json", "-r", file.to_str().unwrap()]);
        let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
        let rows = rows.as_array().unwrap();
        assert!(rows.iter().all(|r| r["source"] == source), "{source}");
        per_source += rows.len();
    }
    assert_eq!(per_source, all);
    let out = saker(&["rules", "show-default"]);
    let both = write(dir.path(), "both.yaml", &stdout(&out));
    assert_eq!(
        count(&["rules", "list", "--json", "-r", both.to_str().unwrap()]),
        all
    );
}

#[test]
fn list_without_rules_shows_every_source() {
    let out = saker(&["rules", "list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Terminal shell in container"), "{names:?}");
    assert!(names.contains(&"Create Privileged Pod"), "{names:?}");
}

#[test]
fn describe_expands_macros_and_lists() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.yaml", GOOD);
    let out = saker(&[
        "rules",
        "describe",
        "Shell in container",
        "-r",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "expanded: evt.type in (execve, execveat) and container.id != host and proc.name in (bash, sh)\n"
        ),
        "{text}"
    );
    assert!(text.contains("priority: Notice\n"));

    let out = saker(&[
        "rules",
        "describe",
        "No such rule",
        "-r",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "saker: no rule named 'No such rule'\n");
}

/// Compares with a golden file under tests/golden/ (refresh with UPDATE_GOLDEN=1).
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

#[test]
fn fields_k8s_audit_text_is_golden() {
    let out = saker(&["fields", "--source", "k8s_audit"]);
    assert_eq!(out.status.code(), Some(0));
    golden("rules_cli/fields_k8s_audit.txt", &stdout(&out));
}

#[test]
fn fields_lists_the_registry() {
    let out = saker(&["fields"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Field class: proc\n"));
    assert!(text.starts_with("Fields marked * are filled from live capture by `saker run`.\n"));
    // Live syscall fields are starred (the DNS names too); fields no live event gives
    // (service names of ports) are not.
    assert!(text.lines().any(|l| l.starts_with("* proc.aname[N] ")));
    assert!(text.lines().any(|l| l.starts_with("* fd.sip.name ")));
    assert!(text.lines().any(|l| l.starts_with("  fd.sproto ")));

    let out = saker(&["fields", "--source", "k8s_audit", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.iter().all(|r| {
        r["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "k8s_audit")
    }));
    let param = rows.iter().find(|r| r["name"] == "ka.uri.param").unwrap();
    assert_eq!(param["arg"], "key");
    assert_eq!(param["arg_required"], true);
    assert!(rows.iter().any(|r| r["name"] == "evt.time"));
    assert!(!rows.iter().any(|r| r["name"] == "proc.name"));
    assert!(rows.iter().all(|r| {
        r["live"] == false
            || r["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "syscall")
    }));

    let out = saker(&["fields", "--source", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn corpus_validates_with_zero_errors() {
    let Some(dir) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!("SKIPPED: SAKER_FALCO_CORPUS is not set");
        return;
    };
    let dir = PathBuf::from(dir);
    let files: Vec<String> = [
        "falco_rules.yaml",
        "falco-incubating_rules.yaml",
        "falco-sandbox_rules.yaml",
        "k8s_audit_rules.yaml",
    ]
    .iter()
    .map(|n| dir.join(n).display().to_string())
    .collect();
    let mut args = vec!["rules", "validate", "-q"];
    args.extend(files.iter().map(String::as_str));
    let out = saker(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("ok: 141 rules"),
        "{}",
        stdout(&out)
    );
}
