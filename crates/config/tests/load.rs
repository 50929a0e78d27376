//! Loading behaviour as data: YAML + overrides + environment in, effective values or the
//! exact message out.

use saker_config::{
    Config, DropAction, EngineKind, ExtraFieldConfig, LogLevel, RuleMatching, load_str,
};
use saker_event::Priority;

fn env(name: &str) -> Option<String> {
    match name {
        "PORT" => Some("9100".to_string()),
        "HOST" => Some("node-7".to_string()),
        "FLAG" => Some("true".to_string()),
        _ => None,
    }
}

fn load(yaml: &str, overrides: &[&str]) -> Result<saker_config::LoadedConfig, String> {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load_str(yaml, "saker.yaml", &overrides, env).map_err(|e| e.to_string())
}

#[test]
fn defaults_follow_falco() {
    let c = load("", &[]).unwrap().config;
    assert_eq!(c, Config::default());
    assert_eq!(c.priority, Priority::Debug);
    assert_eq!(c.rule_matching, RuleMatching::First);
    assert!(!c.json_output && c.json_include_output_property && c.json_include_tags_property);
    assert!(!c.json_include_message_property && c.json_include_output_fields_property);
    assert!(!c.buffered_outputs);
    // Falco's 0 is unbounded; every queue of Saker has a bound.
    assert_eq!(c.outputs_queue.capacity, 10_000);
    assert_eq!(c.file_output.mode, "0600");
    assert!(c.stdout_output.enabled && c.syslog_output.enabled);
    assert!(!c.file_output.enabled && !c.file_output.keep_alive);
    assert!(!c.program_output.enabled && !c.http_output.enabled);
    assert!(c.webserver.enabled);
    assert_eq!(c.webserver.listen_address, "127.0.0.1");
    assert_eq!(c.webserver.listen_port, 8765);
    assert_eq!(c.webserver.k8s_healthz_endpoint, "/healthz");
    assert_eq!(c.syscall_event_drops.threshold, 0.1);
    assert_eq!(
        c.syscall_event_drops.actions,
        vec![DropAction::Log, DropAction::Alert]
    );
    assert_eq!(c.syscall_event_drops.max_burst, 1);
    assert_eq!(c.log_level, LogLevel::Info);
    assert!(c.log_stderr && c.log_syslog);
    assert_eq!(c.engine.kind, EngineKind::Ebpf);
    assert_eq!(
        c.rules_files,
        vec![
            std::path::PathBuf::from("embedded"),
            "/etc/saker/rules.d".into()
        ]
    );
}

#[test]
fn values_env_and_overrides() {
    let yaml = "\
# comment
priority: WARNING
rule_matching: all
json_output: ${FLAG}
engine:
  kind: ptrace
webserver:
  listen_port: ${PORT}
  listen_address: 0.0.0.0
hostname: \"host-${HOST}-${UNSET}-$${HOST}\"
file_output:
  enabled: true
  filename: /var/log/saker/events.json
syscall_event_drops:
  actions: [log, exit]
rules_files:
  - /etc/saker/a.yaml
  - /etc/saker/b.yaml
";
    let c = load(yaml, &[]).unwrap().config;
    assert_eq!(c.priority, Priority::Warning);
    assert_eq!(c.rule_matching, RuleMatching::All);
    assert!(c.json_output);
    assert_eq!(c.engine.kind, EngineKind::Ptrace);
    assert_eq!(c.webserver.listen_port, 9100);
    assert_eq!(c.webserver.listen_address, "0.0.0.0");
    assert_eq!(c.hostname.as_deref(), Some("host-node-7--${HOST}"));
    assert!(c.file_output.enabled);
    assert_eq!(
        c.syscall_event_drops.actions,
        vec![DropAction::Log, DropAction::Exit]
    );
    assert_eq!(c.rules_files.len(), 2);

    type Check = fn(&Config) -> bool;
    let cases: &[(&[&str], Check)] = &[
        (&["webserver.listen_port=1234"], |c| {
            c.webserver.listen_port == 1234
        }),
        (&["json_output=false"], |c| !c.json_output),
        (&["rules_files[1]=/x.yaml"], |c| {
            c.rules_files[1] == std::path::Path::new("/x.yaml")
        }),
        (&["rules_files[2]=/y.yaml"], |c| c.rules_files.len() == 3),
        (
            &[
                "http_output.enabled=true",
                "http_output.url=http://sidekick:2801/",
            ],
            |c| c.http_output.enabled && c.http_output.url == "http://sidekick:2801/",
        ),
        (&["syscall_event_drops.actions=[ignore]"], |c| {
            c.syscall_event_drops.actions == vec![DropAction::Ignore]
        }),
        (&["priority=notice", "priority=error"], |c| {
            c.priority == Priority::Error
        }),
        (
            &[
                "engine.replay.capture_file=/tmp/x.scap",
                "engine.kind=replay",
            ],
            |c| {
                c.engine.kind == EngineKind::Replay
                    && c.engine.replay.capture_file.as_deref()
                        == Some(std::path::Path::new("/tmp/x.scap"))
            },
        ),
    ];
    for (overrides, check) in cases {
        let c = load(yaml, overrides).unwrap().config;
        assert!(check(&c), "{overrides:?}");
    }
}

#[test]
fn unknown_keys_are_warnings_at_their_line() {
    let yaml = "\
json_output: true
colour: blue
webserver:
  enabled: true

  # a comment
  listen_prot: 8080
file_output:
  enabled: false
  rotate: daily
";
    let loaded = load(yaml, &["metrics.bogus=1"]).unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "saker.yaml:2: warning: unknown configuration key `colour`",
            "saker.yaml:10: warning: unknown configuration key `file_output.rotate`",
            "-o metrics.bogus=1: warning: unknown configuration key `metrics.bogus`",
            "saker.yaml:7: warning: unknown configuration key `webserver.listen_prot`",
        ]
    );
    assert!(loaded.config.json_output);
}

#[test]
fn errors_name_the_place() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "json_output: true\nwebserver:\n  listen_port: many\n",
            &[],
            "saker.yaml:3: `webserver.listen_port`: invalid type: string \"many\", expected u16",
        ),
        (
            "stdout_output:\n  enabled: yes please\n",
            &[],
            "saker.yaml:2: `stdout_output.enabled`: invalid type: string \"yes please\", expected a boolean",
        ),
        (
            "priority: loud\n",
            &[],
            "saker.yaml:1: `priority`: unknown priority `loud`, expected one of emergency, alert, critical, error, warning, notice, informational, debug",
        ),
        (
            "engine:\n  kind: kmod\n",
            &[],
            "saker.yaml:2: `engine.kind`: unknown variant `kmod`, expected one of `ebpf`, `modern_ebpf`, `ptrace`, `replay`",
        ),
        (
            "webserver:\n  listen_port: 80\n",
            &["webserver.listen_port=99999"],
            "-o webserver.listen_port=99999: `webserver.listen_port`: invalid value: integer `99999`, expected u16",
        ),
        (
            "a: [1, 2\n",
            &[],
            "saker.yaml:2:1: did not find expected ',' or ']'",
        ),
        (
            "- just\n- a list\n",
            &[],
            "saker.yaml: the configuration must be a mapping of keys to values",
        ),
        (
            "",
            &["no_equals_sign"],
            "-o no_equals_sign: expected key.path=value",
        ),
        (
            "",
            &["rules_files[5]=x"],
            "-o rules_files[5]=x: index 5 is past the end of a list of 2",
        ),
        ("", &["a..b=1"], "-o a..b=1: empty key name"),
        // Issue 14: accepted and doing nothing, or failing with a message about serde.
        (
            "engine:\n  ebpf:\n    buf_size_preset: 99\n",
            &[],
            "saker.yaml:3: `engine.ebpf.buf_size_preset`: 99 is not a preset: use 1 to 10 (1 MB to 512 MB per buffer, 4 = 8 MB; 0 is reserved)",
        ),
        (
            "engine:\n  ebpf:\n    buf_size_preset: 0\n",
            &[],
            "saker.yaml:3: `engine.ebpf.buf_size_preset`: 0 is not a preset: use 1 to 10 (1 MB to 512 MB per buffer, 4 = 8 MB; 0 is reserved)",
        ),
        (
            "metrics:\n  enabled: true\n  interval: banana\n",
            &[],
            "saker.yaml:3: `metrics.interval`: `banana` is not a duration: use a number and a unit, as 1h, 15m, 30s, 500ms or 1h30m",
        ),
        (
            "metrics:\n  interval: 10ms\n",
            &[],
            "saker.yaml:2: `metrics.interval`: `10ms` is below the 100ms minimum",
        ),
        (
            "log_level: ${UNSET}\n",
            &[],
            "saker.yaml:1: `log_level`: unknown variant ``, expected one of `emergency`, `alert`, `critical`, `error`, `warning`, `notice`, `info`, `debug` (the environment variable UNSET is not set)",
        ),
        (
            "webserver:\n  listen_port: ${UNSET}\n",
            &[],
            "saker.yaml:2: `webserver.listen_port`: invalid type: string \"\", expected u16 (the environment variable UNSET is not set)",
        ),
        (
            "file_output:\n  mode: \"0666\"\n",
            &[],
            "saker.yaml:2: `file_output.mode`: `0666`: alert and capture files may be readable by group or others, never writable by them or executable (use 0600, 0640 or 0644)",
        ),
        (
            "syscall_event_drops:\n  threshold: 10\n",
            &[],
            "saker.yaml:2: `syscall_event_drops.threshold`: 10 is not a fraction of events: use 0 to 1 (0.1 = 10%)",
        ),
        (
            "http_output:\n  enabled: true\n",
            &[],
            "saker.yaml:1: `http_output.url`: http_output is enabled but has no url",
        ),
        (
            "http_output:\n  enabled: true\n  url: https://x/\n  mtls: true\n",
            &[],
            "saker.yaml:4: `http_output.mtls`: mtls is true but client_cert and client_key are not both set",
        ),
        (
            "webserver:\n  listen_address: localhost\n",
            &[],
            "saker.yaml:2: `webserver.listen_address`: `localhost` is not an IP address",
        ),
        (
            "webserver:\n  k8s_healthz_endpoint: healthz\n",
            &[],
            "saker.yaml:2: `webserver.k8s_healthz_endpoint`: `healthz` must start with /",
        ),
        (
            "webserver:\n  k8s_audit_token: ${UNSET}\n",
            &[],
            "saker.yaml:2: `webserver.k8s_audit_token`: is empty (an unset environment variable?): remove the key to accept audit events without a token (the environment variable UNSET is not set)",
        ),
        (
            "webserver:\n  k8s_audit_token: a\n  k8s_audit_token_file: /t\n",
            &[],
            "saker.yaml:3: `webserver.k8s_audit_token_file`: set k8s_audit_token or k8s_audit_token_file, not both",
        ),
        (
            "webserver:\n  max_body_bytes: 1000\n  body_memory_bytes: 10\n",
            &[],
            "saker.yaml:3: `webserver.body_memory_bytes`: 10 is less than max_body_bytes (1000): a body of the largest size could never be accepted",
        ),
    ];
    for (yaml, overrides, expect) in cases {
        let err = load(yaml, overrides)
            .err()
            .unwrap_or_else(|| panic!("{yaml:?} {overrides:?} loaded"));
        assert_eq!(&err, expect, "{yaml:?} {overrides:?}");
    }
}

/// Issue 14: keys that Saker accepts but that would do nothing are said so, at their line.
#[test]
fn values_without_effect_are_warnings_at_their_line() {
    let yaml = "\
engine:
  ebpf:
    cpus_for_each_buffer: 2
outputs_queue:
  capacity: 0
syscall_event_drops:
  simulate_drops: true
hostname: node-${UNSET}
base_syscalls:
  custom_set: [execve, \"!clsoe\", frobnicate]
";
    let loaded = load(yaml, &[]).unwrap();
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "saker.yaml:3: warning: `engine.ebpf.cpus_for_each_buffer`: Saker captures through one ring buffer shared by all CPUs, as 0 does: 2 has no effect",
            "saker.yaml:5: warning: `outputs_queue.capacity`: 0 means unbounded in Falco; Saker bounds every queue and uses 10000",
            "saker.yaml:7: warning: `syscall_event_drops.simulate_drops`: Falco's switch for testing the drop alert; Saker has none: no effect",
            "saker.yaml:10: warning: `base_syscalls.custom_set`: unknown syscalls, ignored: clsoe, frobnicate",
            "saker.yaml:8: warning: `hostname` uses ${UNSET}, but the environment variable UNSET is not set: it expands to nothing",
        ]
    );
}

#[test]
fn shown_config_hides_the_audit_token() {
    let c = load("webserver:\n  k8s_audit_token: s3cret\n", &[])
        .unwrap()
        .config;
    let yaml = c.to_yaml();
    assert!(!yaml.contains("s3cret"), "{yaml}");
    assert!(yaml.contains("k8s_audit_token: <redacted>"), "{yaml}");
}

#[test]
fn shown_config_loads_back_unchanged() {
    let c = load(
        "json_output: true\nhttp_output:\n  enabled: true\n  url: http://x/\n",
        &[],
    )
    .unwrap()
    .config;
    let yaml = c.to_yaml();
    let again = load(&yaml, &[]).unwrap();
    assert_eq!(again.config, c);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
    assert!(yaml.contains("priority: debug\n"), "{yaml}");
}

#[test]
fn build_checks_what_cannot_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.txt");
    let c = load(
        &format!(
            "stdout_output: {{enabled: false}}\nsyslog_output: {{enabled: false}}\nfile_output:\n  enabled: true\n  filename: {}\n",
            file.display()
        ),
        &[],
    )
    .unwrap()
    .config;
    let sinks = c.build_sinks().unwrap();
    assert_eq!(
        sinks
            .iter()
            .map(|s| s.name().to_string())
            .collect::<Vec<_>>(),
        ["file"]
    );
    assert!(file.exists());

    let bad: &[(&[&str], &str)] = &[
        (
            &[
                "file_output.enabled=true",
                "file_output.filename=/nonexistent-dir/x",
            ],
            "file_output: /nonexistent-dir/x: No such file or directory",
        ),
        (
            &[
                "http_output.enabled=true",
                "http_output.url=https://x/",
                "http_output.ca_cert=/nonexistent.pem",
            ],
            "http_output: reading ca_cert /nonexistent.pem",
        ),
        (
            &[
                "http_output.enabled=true",
                "http_output.url=https://x/",
                "http_output.ca_path=/nonexistent-dir",
            ],
            "http_output.ca_path: /nonexistent-dir: No such file or directory",
        ),
    ];
    for (overrides, expect) in bad {
        let c = load("", overrides).unwrap().config;
        let err = c
            .build_sinks()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with(expect), "{overrides:?}: {err}");
    }

    let server = load("", &[])
        .unwrap()
        .config
        .webserver
        .build()
        .unwrap()
        .unwrap();
    assert_eq!(server.listen.to_string(), "127.0.0.1:8765");
    assert!(
        load("", &["webserver.enabled=false"])
            .unwrap()
            .config
            .webserver
            .build()
            .unwrap()
            .is_none()
    );
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    let build_with_token = |contents: &str| {
        std::fs::write(&token_file, contents).unwrap();
        let yaml = format!(
            "webserver:\n  k8s_audit_token_file: {}\n",
            token_file.display()
        );
        load(&yaml, &[]).unwrap().config.webserver.build()
    };
    let token = build_with_token("s3cret\n")
        .unwrap()
        .unwrap()
        .k8s_audit_token
        .unwrap();
    assert!(token.matches(b"s3cret") && !token.matches(b"s3cret\n"));
    let err = build_with_token("\n").unwrap_err();
    assert!(err.to_string().ends_with("token is empty"), "{err}");
}

#[test]
fn packaged_example_is_complete_and_clean() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/saker.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = load(&text, &[]).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    // The example documents the defaults, apart from the file name it suggests and the rules:
    // the default set as scripts/install.sh writes it to disk, then the admin's files.
    let mut expect = Config::default();
    expect.file_output.filename = "/var/log/saker/events.txt".into();
    expect.rules_files = [
        "/etc/saker/saker_rules.yaml",
        "/etc/saker/saker_k8s_audit_rules.yaml",
        "/etc/saker/saker_rules.local.yaml",
        "/etc/saker/rules.d",
    ]
    .map(std::path::PathBuf::from)
    .to_vec();
    // `response:` is read by saker-response, whose own test checks that the example's section
    // is its defaults.
    expect.response = loaded.config.response.clone();
    assert_eq!(loaded.config, expect);
    // And it names every key the configuration has.
    let shown = Config::default().to_yaml();
    for line in shown.lines() {
        let key = line
            .trim_start()
            .trim_start_matches("- ")
            .split(':')
            .next()
            .unwrap();
        if line.trim_start().starts_with("- ") || key.is_empty() {
            continue;
        }
        assert!(
            text.contains(&format!("{key}:")),
            "packaging/saker.yaml lacks `{key}`"
        );
    }
}

#[test]
fn hostname_comes_from_the_key_or_the_kernel() {
    let c = load("hostname: node-9\n", &[]).unwrap().config;
    assert_eq!(c.resolve_hostname(), "node-9");
    let kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    if std::env::var_os("FALCO_HOSTNAME").is_none() {
        assert_eq!(Config::default().resolve_hostname(), kernel.trim());
    }
}

/// A falco.yaml (Falco 0.44's keys, trimmed) loads as it is: shared keys mean the same
/// thing, Falco's engine names select Saker's eBPF capture, and the keys Saker has no use
/// for are warned about, each at its line.
#[test]
fn falco_yaml_loads_with_warnings_for_falco_only_keys() {
    let falco = "\
config_files:
  - /etc/falco/config.d
watch_config_files: true
rules_files:
  - /etc/falco/falco_rules.yaml
  - /etc/falco/rules.d
engine:
  kind: modern_ebpf
  kmod:
    buf_size_preset: 4
  modern_ebpf:
    cpus_for_each_buffer: 1
    buf_size_preset: 6
    drop_failed_exit: false
    disable_iterators: false
  replay:
    capture_file: \"\"
load_plugins: []
plugins:
  - name: container
    library_path: libcontainer.so
append_output:
  - suggested_output: true
  - match:
      source: syscall
      tags: [container]
    extra_output: \"on %container.name\"
    extra_fields:
      - user_and_proc: \"%user.name %proc.name\"
      - proc.pid
priority: warning
json_output: true
webserver:
  enabled: true
  threadiness: 0
  listen_port: 8765
";
    let loaded = load(falco, &[]).unwrap();
    let c = &loaded.config;
    assert_eq!(c.engine.kind, EngineKind::Ebpf);
    assert_eq!(c.engine.ebpf.cpus_for_each_buffer, 1);
    assert_eq!(c.engine.ebpf.buf_size_preset, 6);
    assert_eq!(c.priority, Priority::Warning);
    assert_eq!(
        c.rules_files[0].to_str(),
        Some("/etc/falco/falco_rules.yaml")
    );
    assert_eq!(c.append_output.len(), 2);
    assert!(c.append_output[0].suggested_output);
    let second = &c.append_output[1];
    assert_eq!(second.matching.source.as_deref(), Some("syscall"));
    assert_eq!(second.matching.tags, ["container"]);
    assert_eq!(second.extra_output.as_deref(), Some("on %container.name"));
    assert_eq!(
        second.extra_fields,
        [
            ExtraFieldConfig::Named(
                [(
                    "user_and_proc".to_string(),
                    "%user.name %proc.name".to_string()
                )]
                .into()
            ),
            ExtraFieldConfig::Raw("proc.pid".to_string()),
        ]
    );
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "saker.yaml:1: warning: unknown configuration key `config_files`",
            "saker.yaml:15: warning: unknown configuration key `engine.ebpf.disable_iterators`",
            "saker.yaml:9: warning: unknown configuration key `engine.kmod`",
            "saker.yaml:18: warning: unknown configuration key `load_plugins`",
            "saker.yaml:19: warning: unknown configuration key `plugins`",
            "saker.yaml:35: warning: unknown configuration key `webserver.threadiness`",
            "saker.yaml:12: warning: `engine.ebpf.cpus_for_each_buffer`: Saker captures through one ring buffer shared by all CPUs, as 0 does: 1 has no effect",
        ]
    );
    // Falco's legacy eBPF probe is the same capture for Saker (its kernel module is not:
    // errors_name_the_place).
    assert_eq!(
        load("engine: {kind: ebpf}", &[])
            .unwrap()
            .config
            .engine
            .kind,
        EngineKind::Ebpf
    );
    let both = load("engine:\n  ebpf: {}\n  modern_ebpf: {}\n", &[]).unwrap_err();
    assert_eq!(
        both,
        "saker.yaml:3: both 'engine.ebpf' and 'engine.modern_ebpf' set (the same section)"
    );
}

/// Falco's deprecated `rules_file` still works, with Falco's warning.
#[test]
fn old_rules_file_key_is_read_with_a_deprecation_warning() {
    let loaded = load(
        "json_output: true\nrules_file:\n  - /etc/falco/falco_rules.yaml\n",
        &[],
    )
    .unwrap();
    assert_eq!(
        loaded.config.rules_files,
        [std::path::PathBuf::from("/etc/falco/falco_rules.yaml")]
    );
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "saker.yaml:2: warning: Using deprecated config key 'rules_file' (singular form). Please use new 'rules_files' config key (plural form)."
        ]
    );
    let one = load("rules_file: /etc/falco/falco_rules.yaml\n", &[]).unwrap();
    assert_eq!(one.config.rules_files.len(), 1);
    let both = load("rules_files: []\nrules_file: [a.yaml]\n", &[]).unwrap_err();
    assert_eq!(
        both,
        "saker.yaml:2: both 'rules_files' and 'rules_file' keys set"
    );
}

/// The real falco.yaml of a Falco release, when the test data has it.
#[test]
fn falco_release_config_loads() {
    let Some(path) = std::env::var_os("SAKER_FALCO_CONFIG") else {
        eprintln!("SKIPPED: SAKER_FALCO_CONFIG (a Falco release's falco.yaml) is not set");
        return;
    };
    let loaded = saker_config::load(Some(std::path::Path::new(&path)), &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.config.engine.kind, EngineKind::Ebpf);
    // Falco 0.44.1's falco.yaml: keys Saker does not have (warned about, ignored) and two values
    // Saker cannot honour as written. A key that starts or stops being warned about shows here.
    let mut warned: Vec<&str> = loaded.warnings.iter().map(|w| w.key.as_str()).collect();
    warned.sort_unstable();
    assert_eq!(
        warned,
        [
            "buffer_format_base64",
            "capture",
            "config_files",
            "engine.ebpf.cpus_for_each_buffer",
            "engine.ebpf.disable_iterators",
            "engine.kmod",
            "falco_libs",
            "libs_logger",
            "load_plugins",
            "metrics.jemalloc_stats_enabled",
            "metrics.kernel_iter_event_counters_enabled",
            "metrics.libbpf_stats_enabled",
            "metrics.plugins_metrics_enabled",
            "output_timeout",
            "outputs_queue.capacity",
            "plugins",
            "plugins_hostinfo",
            "syscall_event_timeouts",
            "webserver.threadiness",
        ]
    );
}

#[test]
fn console_settings() {
    let c = load(
        "webserver:\n  ui_token: ${HOST}\nconsole:\n  history_size: 500\n  database: /var/lib/saker/console.db\n",
        &[],
    )
    .unwrap()
    .config;
    assert_eq!(c.webserver.ui_token.as_deref(), Some("node-7"));
    let options = c.console.build().unwrap().unwrap();
    assert_eq!(options.history_size, 500);
    assert_eq!(
        options.database.as_deref(),
        Some(std::path::Path::new("/var/lib/saker/console.db"))
    );
    // The token is a secret: `saker config show` does not print it.
    let shown = c.to_yaml();
    assert!(shown.contains("ui_token: <redacted>"), "{shown}");
    assert!(!shown.contains("node-7"), "{shown}");

    let defaults = load("", &[]).unwrap().config;
    assert_eq!(defaults.webserver.ui_token, None);
    let options = defaults.console.build().unwrap().unwrap();
    assert_eq!((options.history_size, options.database), (10_000, None));
    assert!(
        load("", &["console.enabled=false"])
            .unwrap()
            .config
            .console
            .build()
            .unwrap()
            .is_none()
    );
    for size in ["0", "1000001"] {
        let err = load("", &[&format!("console.history_size={size}")])
            .unwrap()
            .config
            .console
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("console.history_size: {size} is not 1 to 1000000")
        );
    }
}

#[test]
fn container_engines_choose_the_sockets_asked() {
    let c = load(
        "container_engines:\n  docker:\n    enabled: false\n  cri:\n    sockets: [/run/crio/crio.sock]\n  lookup_timeout_ms: 250\n",
        &[],
    )
    .unwrap()
    .config;
    let engines = c.build_container_engines();
    assert!(engines.docker.is_empty());
    assert_eq!(
        engines.podman,
        [std::path::PathBuf::from("/run/podman/podman.sock")]
    );
    assert_eq!(
        engines.cri,
        [std::path::PathBuf::from("/run/crio/crio.sock")]
    );
    assert_eq!(engines.timeout, std::time::Duration::from_millis(250));
    let off = load(
        "container_engines:\n  docker: {enabled: false}\n  podman: {enabled: false}\n  containerd: {enabled: false}\n  cri: {enabled: false}\n",
        &[],
    )
    .unwrap()
    .config;
    assert!(off.build_container_engines().is_disabled());
}

/// falco.yaml's rule selection (Falco 0.38+) is read, not warned about as unknown.
#[test]
fn rules_selection_is_read() {
    let loaded = load(
        "rules:\n  - disable:\n      rule: \"*\"\n  - enable:\n      tag: network\n      rule: Contact*\n",
        &[],
    )
    .unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let rules = &loaded.config.rules;
    assert_eq!(rules.len(), 2);
    let disable = rules[0].disable.as_ref().unwrap();
    assert_eq!(
        (disable.rule.as_deref(), disable.tag.as_deref()),
        (Some("*"), None)
    );
    let enable = rules[1].enable.as_ref().unwrap();
    assert_eq!(
        (enable.rule.as_deref(), enable.tag.as_deref()),
        (Some("Contact*"), Some("network"))
    );
    let typo = load("rules:\n  - disable:\n      rules: x\n", &[]).unwrap();
    assert_eq!(
        typo.warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["saker.yaml:3: warning: unknown configuration key `rules[0].disable.rules`"]
    );
}
