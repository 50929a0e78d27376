use saker_rules::SourceFile;

use super::*;

fn ruleset() -> RuleSet {
    let (ruleset, diagnostics) = saker_rules::load(&[
        SourceFile::new("saker_rules.yaml", saker_engine::default_rules()),
        SourceFile::new(
            "extra.yaml",
            "- rule: Audit Thing\n  desc: d\n  condition: ka.verb = create\n  output: o\n  priority: WARNING\n  source: k8s_audit\n\
             - rule: Quiet Rule\n  desc: d\n  condition: spawned_process and proc.name = quiet\n  output: o\n  priority: DEBUG\n  enabled: false\n",
        ),
    ]);
    assert!(!diagnostics.iter().any(|d| d.is_error()));
    ruleset
}

fn build(yaml: &str) -> (Option<Plan>, Vec<String>) {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    let config = ResponseConfig::from_value(&value).unwrap();
    let (plan, problems) = Plan::build(
        &config,
        &ruleset(),
        &PlanOptions {
            min_priority: Priority::Debug,
        },
    );
    let problems = problems
        .iter()
        .map(|p| {
            format!(
                "{}: {}: {}",
                p.path,
                if p.is_error() { "error" } else { "warning" },
                p.message
            )
        })
        .collect();
    (plan, problems)
}

/// The issue's example, verbatim.
const ISSUE_EXAMPLE: &str = r#"
dry_run: false
actions:
  - match: {rule: "Launch Package Management Process in Container"}
    do: kill_process
  - match: {tags: [container, shell], priority: ">=Notice"}
    do: [kill_process, program: "logger -t saker-response"]
  - match: {rule: "Launch Privileged Container"}
    do: stop_container
"#;

#[test]
fn the_issue_example_builds_and_says_where_each_action_runs() {
    let (plan, problems) = build(ISSUE_EXAMPLE);
    assert!(problems.is_empty(), "{problems:?}");
    let plan = plan.unwrap();
    let pkg = plan
        .for_rule("Launch Package Management Process in Container")
        .unwrap();
    assert_eq!(pkg.actions, [Action::KillProcess]);
    assert!(
        matches!(pkg.coverage, Some(Coverage::Kernel { .. })),
        "{:?}",
        pkg.coverage
    );
    let shell = plan.for_rule("Terminal shell in container").unwrap();
    assert_eq!(shell.actions[0], Action::KillProcess);
    assert!(matches!(shell.actions[1], Action::Program { .. }));
    assert!(matches!(shell.coverage, Some(Coverage::UserSpace(_))));
    assert_eq!(
        plan.for_rule("Launch Privileged Container")
            .unwrap()
            .actions,
        [Action::StopContainer]
    );
    assert!(plan.for_rule("Write below etc").is_none());
    let described = plan.describe();
    for line in [
        "Responses (3 rules):",
        "  Launch Package Management Process in Container\n    kill_process       in the kernel at execve/execveat: in a container, proc.name in (apk, apt, apt-get, aptitude, dnf, dpkg, ... 14 names)",
        "  Terminal shell in container\n    kill_process       in user space, on the alert: `proc.tty != 0` is not a test the kernel makes at an exec\n    program            in user space: `logger -t saker-response` (timeout 10s)",
        "  Launch Privileged Container\n    stop_container     in user space, through the container runtime's API",
        "  Rate limit: 30 per rule, 100 in all, per 60s",
        "  Never acted on: pid 1, Saker and its children, kernel threads, processes outside containers",
    ] {
        assert!(described.contains(line), "{line}\n--- in ---\n{described}");
    }
}

#[test]
fn unknown_rules_actions_and_priorities_are_errors_at_their_key() {
    let (plan, problems) = build(
        r#"
actions:
  - match: {rule: "Launch Package Managment Process in Container"}
    do: kil_process
  - match: {rule: [Write below etc, "write below root"], priority: ">=Noticeable"}
    do: kill_process
  - match: {source: k8s}
    do: kill_process
  - match: {}
    do: kill_process
  - match: {rule: Audit Thing}
    do: [kill_process, webhook: "https://talon.example/"]
"#,
    );
    assert!(plan.is_none());
    assert_eq!(
        problems,
        [
            "response.actions[0].match.rule: error: unknown rule `Launch Package Managment Process in Container`",
            "response.actions[0].do: error: unknown action `kil_process` (expected one of kill_process, kill_process_tree, stop_container, pause_container, kill_container, program, webhook)",
            "response.actions[1].match.rule[1]: error: unknown rule `write below root` (did you mean `Write below root`?)",
            "response.actions[1].match.priority: error: bad priority `>=Noticeable`: expected a priority name (emergency, alert, critical, error, warning, notice, informational, debug), optionally after >=, >, <=, < or =",
            "response.actions[2].match.source: error: unknown source `k8s` (expected syscall or k8s_audit)",
            "response.actions[3].match: error: give at least one of rule, tags, priority, source (an empty match would act on every alert)",
            "response.actions[4].do: error: `kill_process` needs a process, and rule `Audit Thing` is a k8s_audit rule",
        ]
    );
}

#[test]
fn entries_that_never_act_are_warnings() {
    let (plan, problems) = build(
        "actions:\n  - match: {rule: Quiet Rule}\n    do: kill_process\n  - match: {tags: [no-such-tag]}\n    do: kill_process\n",
    );
    assert!(plan.unwrap().is_empty());
    assert_eq!(
        problems,
        [
            "response.actions[0].match.rule: warning: rule `Quiet Rule` is disabled: this entry never acts on it",
            "response.actions[0].match: warning: matches no loaded rule: this entry never acts",
            "response.actions[1].match: warning: matches no loaded rule: this entry never acts",
        ]
    );
}

#[test]
fn priority_thresholds_select_rules_by_severity() {
    for (priority, rule, expect) in [
        (">=Notice", "Terminal shell in container", true),
        (">=Warning", "Terminal shell in container", false),
        ("Notice", "Terminal shell in container", true),
        (">Notice", "Terminal shell in container", false),
        ("<=Notice", "Terminal shell in container", true),
        ("<Notice", "Terminal shell in container", false),
        ("=notice", "Terminal shell in container", true),
        (
            "==ERROR",
            "Launch Package Management Process in Container",
            true,
        ),
        (
            "<Error",
            "Launch Package Management Process in Container",
            false,
        ),
    ] {
        let (plan, problems) = build(&format!(
            "actions:\n  - match: {{priority: \"{priority}\", tags: [container]}}\n    do: kill_process\n"
        ));
        assert!(
            !problems.iter().any(|p| p.contains("error")),
            "{problems:?}"
        );
        assert_eq!(
            plan.unwrap().for_rule(rule).is_some(),
            expect,
            "{priority} {rule}"
        );
    }
}

#[test]
fn a_tree_kill_covers_a_process_kill_and_protection_reaches_the_kernel() {
    let (plan, problems) = build(
        r#"
allow_host: true
protected: {programs: [sshd], containers: [0123456789abcdef]}
actions:
  - match: {tags: [container]}
    do: kill_process
  - match: {rule: Launch Package Management Process in Container}
    do: [kill_process_tree, kill_process]
"#,
    );
    assert!(problems.is_empty(), "{problems:?}");
    let plan = plan.unwrap();
    assert_eq!(
        plan.for_rule("Launch Package Management Process in Container")
            .unwrap()
            .actions,
        [Action::KillProcessTree]
    );
    assert_eq!(plan.kernel.table.settings.allow_host, 1);
    assert!(plan.kernel.table.protected_ids.contains(b"0123456789ab"));
    assert!(plan.protected.container("0123456789abcdef0000", None));
    assert!(!plan.protected.container("fedcba", Some("web")));
}

#[test]
fn containers_protected_by_name_keep_kills_in_user_space() {
    let (plan, _) = build(
        "protected: {containers: [db]}\nactions:\n  - match: {rule: Launch Package Management Process in Container}\n    do: kill_process\n",
    );
    let plan = plan.unwrap();
    assert!(plan.kernel.table.is_empty());
    assert!(plan.describe().contains(
        "in user space, on the alert: containers are protected by name (db), which the kernel does not see"
    ));
    assert!(plan.protected.container("anything", Some("db")));
    let (plan, _) = build(
        "in_kernel: false\nactions:\n  - match: {rule: Launch Package Management Process in Container}\n    do: kill_process\n",
    );
    assert!(plan.unwrap().kernel.table.is_empty());
}

#[test]
fn the_packaged_example_is_the_defaults() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/saker.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let config = ResponseConfig::from_value(&value["response"]).unwrap();
    assert_eq!(config, ResponseConfig::default());
}
