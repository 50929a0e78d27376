//! Loader semantics: overrides, appends, exceptions, lists of lists, several files.

use saker_rules::{Severity, SourceFile, load};

fn load_ok(files: &[(&str, &str)]) -> (saker_rules::RuleSet, Vec<saker_rules::Diagnostic>) {
    let files: Vec<SourceFile> = files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect();
    let (ruleset, diagnostics) = load(&files);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    (ruleset, diagnostics)
}

fn expanded(ruleset: &saker_rules::RuleSet, rule: &str) -> String {
    ruleset.rule(rule).expect("rule exists").filter.to_string()
}

const BASE: &str = r#"
- required_engine_version: 0.57.0
- list: shells
  items: [bash, sh]
- list: all_shells
  items: [shells, zsh, "fish shell"]
- macro: spawned
  condition: evt.type in (execve, execveat)
- macro: shell_spawned
  condition: spawned and proc.name in (all_shells)
- rule: Shell
  desc: a shell
  condition: shell_spawned
  output: "shell %proc.name"
  priority: info
  tags: [shell]
"#;

#[test]
fn lists_of_lists_and_nested_macros_expand() {
    let (ruleset, diagnostics) = load_ok(&[("base.yaml", BASE)]);
    assert_eq!(
        expanded(&ruleset, "Shell"),
        r#"evt.type in (execve, execveat) and proc.name in (bash, sh, zsh, "fish shell")"#
    );
    assert!(diagnostics.iter().all(|d| d.severity == Severity::Warning));
    let rule = ruleset.rule("Shell").unwrap();
    assert_eq!(rule.priority.falco_name(), "Informational");
    assert_eq!(ruleset.list("all_shells").unwrap().expanded.len(), 4);
}

#[test]
fn overrides_append_and_replace_across_files() {
    let user = r#"
- list: shells
  items: [ash]
  override:
    items: append
- macro: spawned
  condition: evt.type = execve
  override:
    condition: replace
- rule: Shell
  condition: and not user.name = root
  output: "user=%user.name"
  tags: [mitre_execution]
  priority: WARNING
  override:
    condition: append
    output: append
    tags: append
    priority: replace
"#;
    let (ruleset, _) = load_ok(&[("base.yaml", BASE), ("user.yaml", user)]);
    let rule = ruleset.rule("Shell").unwrap();
    assert_eq!(
        rule.filter.to_string(),
        r#"evt.type = execve and proc.name in (bash, sh, ash, zsh, "fish shell") and not user.name = root"#
    );
    assert_eq!(rule.output, "shell %proc.name user=%user.name");
    assert_eq!(rule.tags, ["shell", "mitre_execution"]);
    assert_eq!(rule.priority.falco_name(), "Warning");
    // Lists are expanded after every file is loaded: `all_shells` sees the appended `ash`.
    assert_eq!(
        ruleset.list("shells").unwrap().expanded,
        ["bash", "sh", "ash"]
    );
}

#[test]
fn legacy_append_warns_and_standalone_enabled_disables() {
    let user = r#"
- rule: Shell
  condition: and proc.tty != 0
  append: true
- rule: Shell
  enabled: false
"#;
    let (ruleset, diagnostics) = load_ok(&[("base.yaml", BASE), ("user.yaml", user)]);
    let rule = ruleset.rule("Shell").unwrap();
    assert!(!rule.enabled);
    assert!(rule.filter.to_string().ends_with("and proc.tty != 0"));
    assert!(
        diagnostics
            .iter()
            .any(|d| d.code == "LOAD_DEPRECATED_ITEM" && d.file == "user.yaml" && d.line == 4)
    );
}

#[test]
fn exceptions_compile_like_falco() {
    let rules = r#"
- list: trusted
  items: [apk, dpkg]
- rule: Write below etc
  desc: x
  condition: evt.type = openat and fd.name startswith /etc
  output: "%fd.name"
  priority: ERROR
  exceptions:
    - name: known_writers
      fields: [proc.name, fd.directory]
      comps: [=, in]
      values:
        - [vim, [/etc/vim, /etc/vimrc.d]]
        - [apt, /etc/apk]
    - name: by_name
      fields: proc.pname
      values: [sshd, trusted]
    - name: prefixes
      fields: [fd.name]
      comps: [pmatch]
      values: [[[/etc/ssl, /etc/pki]]]
    - name: empty
      fields: [proc.name]
      values: []
"#;
    let (ruleset, _) = load_ok(&[("r.yaml", rules)]);
    assert_eq!(
        expanded(&ruleset, "Write below etc"),
        "evt.type = openat and fd.name startswith /etc \
         and not ((proc.name = vim and fd.directory in (/etc/vim, /etc/vimrc.d)) or (proc.name = apt and fd.directory in (/etc/apk))) \
         and not proc.pname in (sshd, apk, dpkg) \
         and not fd.name pmatch (/etc/ssl, /etc/pki)"
    );
    // Appending values to an existing exception by name.
    let more = r#"
- rule: Write below etc
  exceptions:
    - name: by_name
      values: [cron]
  override:
    exceptions: append
"#;
    let (ruleset, _) = load_ok(&[("r.yaml", rules), ("more.yaml", more)]);
    assert!(
        expanded(&ruleset, "Write below etc").contains("not proc.pname in (sshd, apk, dpkg, cron)")
    );
}

#[test]
fn later_files_redefine_rules_and_macros() {
    let user = r#"
- macro: spawned
  condition: evt.type = clone
- rule: Shell
  desc: replaced
  condition: spawned
  output: "%proc.name"
  priority: DEBUG
  enabled: false
"#;
    let (ruleset, _) = load_ok(&[("base.yaml", BASE), ("user.yaml", user)]);
    assert_eq!(ruleset.rules.len(), 1);
    let rule = ruleset.rule("Shell").unwrap();
    assert_eq!((rule.desc.as_str(), rule.enabled), ("replaced", false));
    assert_eq!(rule.filter.to_string(), "evt.type = clone");
    assert_eq!(rule.location.file, "user.yaml");
}

#[test]
fn warnings_like_falco() {
    let rules = r#"
- list: unused_list
  items: [a]
- macro: unused_macro
  condition: proc.name = a
- rule: No evttype
  desc: x
  condition: proc.name = a
  output: "%proc.name"
  priority: INFO
- rule: No evttype but quiet
  desc: x
  condition: proc.name = b
  output: "%proc.name"
  priority: INFO
  warn_evttypes: false
- rule: Plugin source
  desc: x
  condition: ct.name = x
  output: x
  priority: INFO
  source: aws_cloudtrail
"#;
    let (ruleset, diagnostics) = load_ok(&[("w.yaml", rules)]);
    let codes: Vec<(&str, u32)> = diagnostics.iter().map(|d| (d.code, d.line)).collect();
    assert_eq!(
        codes,
        [
            ("LOAD_UNUSED_LIST", 2),
            ("LOAD_UNUSED_MACRO", 4),
            ("LOAD_NO_EVTTYPE", 6),
            ("LOAD_UNKNOWN_SOURCE", 22),
        ]
    );
    assert_eq!(ruleset.rules.len(), 2);
}

#[test]
fn k8s_audit_source_and_fields() {
    let rules = r#"
- required_engine_version: 15
- required_plugin_versions:
    - name: k8saudit
      version: 0.7.0
      alternatives:
        - name: k8saudit-eks
          version: 0.4.0
- rule: Exec into pod
  desc: x
  condition: ka.target.subresource = exec and ka.uri.param[command] contains sh and jevt.value[/stage] = ResponseComplete
  output: "%ka.user.name %ka.uri.param[command]"
  priority: NOTICE
  source: k8s_audit
- rule: Wrong source
  desc: syscall fields in a k8s_audit rule
  condition: proc.name = x
  output: x
  priority: NOTICE
  source: k8s_audit
"#;
    let files = [SourceFile::new("k.yaml", rules)];
    let (ruleset, diagnostics) = load(&files);
    let errors: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        errors,
        ["rule 'Wrong source': field 'proc.name' is not available for source 'k8s_audit'"]
    );
    assert_eq!(ruleset.rules.len(), 1);
    assert_eq!(ruleset.rules[0].source.as_str(), "k8s_audit");
    assert_eq!(
        ruleset.required_engine_version.unwrap().to_string(),
        "0.15.0"
    );
}

#[test]
fn unsupported_plugin_is_an_error() {
    let rules = "- required_plugin_versions:\n    - name: cloudtrail\n      version: 0.1.0\n";
    let (_, diagnostics) = load(&[SourceFile::new("p.yaml", rules)]);
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].message.starts_with(
            "Plugin requirement not satisfied, must load one of: cloudtrail (>= 0.1.0)"
        )
    );
}

#[test]
fn directories_load_yaml_files_alphabetically() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "- rule: Shell\n  enabled: false\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.yml"), BASE).unwrap();
    std::fs::write(dir.path().join("c.txt"), "not yaml: [").unwrap();
    let files = saker_rules::files::read_paths(&[dir.path()]).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.name.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(names, ["a.yml", "b.yaml"]);
    let (ruleset, _) = load(&files);
    assert!(!ruleset.rule("Shell").unwrap().enabled);
    assert!(saker_rules::files::read_paths(&[dir.path().join("missing.yaml")]).is_err());
}

/// A file over the size limit, or one that never ends, is refused after reading the limit,
/// with an error that names it (issue 14: bounded memory on any input).
#[test]
fn files_over_the_size_limit_are_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    let file = std::fs::File::create(&big).unwrap();
    // Sparse: no disk space used.
    file.set_len(saker_rules::MAX_RULES_FILE_BYTES as u64 + 1)
        .unwrap();
    for path in [big.as_path(), std::path::Path::new("/dev/zero")] {
        let err = saker_rules::files::read_paths(&[path]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "rules file {} is larger than the limit of {} bytes (MAX_RULES_FILE_BYTES)",
                path.display(),
                saker_rules::MAX_RULES_FILE_BYTES
            )
        );
    }
}

#[test]
fn errors_in_appended_conditions_point_into_the_file_that_appended() {
    let user = "- rule: Shell\n  condition: >\n    and proc.nmae = x\n  override:\n    condition: append\n";
    let files = [
        SourceFile::new("base.yaml", BASE),
        SourceFile::new("user.yaml", user),
    ];
    let (_, diagnostics) = load(&files);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        errors,
        ["user.yaml:3:9: error: rule 'Shell': unknown field 'proc.nmae'"]
    );
}

#[test]
fn output_fields_must_belong_to_the_rule_source() {
    let rules = r#"
- rule: Mixed output
  desc: x
  condition: evt.type = open
  output: "%ka.user.name at %evt.time"
  priority: INFO
"#;
    let (_, diagnostics) = load(&[SourceFile::new("o.yaml", rules)]);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "o.yaml:5:12: error: rule 'Mixed output': invalid formatting token '%ka.user.name' in output: field 'ka.user.name' is not available for source 'syscall'"
        ]
    );
}

#[test]
fn deprecated_fields_warn() {
    let rules = "- rule: Old\n  desc: x\n  condition: evt.type = open and evt.dir = <\n  output: \"%proc.name\"\n  priority: INFO\n";
    let (ruleset, diagnostics) = load(&[SourceFile::new("d.yaml", rules)]);
    assert_eq!(ruleset.rules.len(), 1);
    let shown: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            "d.yaml:3:34: warning: rule 'Old': usage of deprecated field 'evt.dir': due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. The rule expression can be simplified by removing the condition on 'evt.dir'"
        ]
    );
}

#[test]
fn hostile_nesting_is_an_error_not_a_stack_overflow() {
    let deep_yaml = format!("{}x\n", "- ".repeat(100_000));
    let (_, diagnostics) = load(&[SourceFile::new("deep.yaml", deep_yaml)]);
    assert_eq!(
        diagnostics[0].message,
        "invalid YAML: nesting deeper than 256 levels"
    );

    // Each macro uses the one defined before it (Falco's visibility order).
    let mut chain = String::from("- macro: m3000\n  condition: proc.name = x\n");
    for i in (0..3000).rev() {
        chain.push_str(&format!(
            "- macro: m{i}\n  condition: (evt.type = open and m{})\n",
            i + 1
        ));
    }
    chain.push_str("- rule: Deep\n  desc: x\n  condition: m0\n  output: x\n  priority: INFO\n");
    let (ruleset, diagnostics) = load(&[SourceFile::new("chain.yaml", chain)]);
    assert!(ruleset.rules.is_empty());
    assert!(diagnostics.iter().any(|d| {
        d.is_error()
            && d.message
                .contains("condition nested deeper than 400 levels after macro expansion")
    }));
}

#[test]
fn exponential_macros_and_lists_are_bounded() {
    // Macros doubling at every level; lists naming lists defined after them, which the
    // condition text substitution pastes in pass after pass (doubling too); and one list
    // naming a large one many times.
    let mut text = String::from("- macro: m0\n  condition: proc.name = x\n");
    for i in 1..40 {
        text.push_str(&format!(
            "- macro: m{i}\n  condition: (m{p} or m{p})\n",
            p = i - 1
        ));
    }
    // Long names: fewer pastes per byte keep the test quick.
    let f = |i: usize| format!("f{i}{}", "_".repeat(100));
    for i in 0..39 {
        text.push_str(&format!(
            "- list: {}\n  items: [{}]\n",
            f(i),
            vec![f(i + 1); 8].join(", ")
        ));
    }
    text.push_str(&format!("- list: {}\n  items: [x]\n", f(39)));
    text.push_str(&format!(
        "- list: big\n  items: [{}]\n",
        vec!["a"; 400].join(", ")
    ));
    text.push_str(&format!(
        "- list: bigger\n  items: [{}]\n",
        vec!["big"; 400].join(", ")
    ));
    text.push_str(&format!(
        "- rule: Huge\n  desc: x\n  condition: evt.type = open and m39\n  output: x\n  priority: INFO\n\
         - rule: Long\n  desc: x\n  condition: evt.type = open and proc.name in ({}, bigger)\n  output: x\n  priority: INFO\n",
        f(0)
    ));
    let (ruleset, diagnostics) = load(&[SourceFile::new("huge.yaml", text)]);
    assert!(ruleset.rules.is_empty());
    let errors: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect();
    for expected in [
        "list 'bigger' expands to more than 100000 items",
        "macro 'm3': condition larger than 100000 nodes",
        "rule 'Long': the condition grows beyond 16777216 bytes when list 'f",
    ] {
        assert!(
            errors.iter().any(|m| m.contains(expected)),
            "{expected}: {errors:?}"
        );
    }
}
