//! The k8s_audit source end to end: real audit events POSTed to the real saker-server on
//! 127.0.0.1:0, evaluated by the engine through [`AuditPipeline`], alerts collected.
//!
//! Each case is a realistic `audit.k8s.io/v1` Event in tests/fixtures/ that must raise one
//! rule, and a benign twin (the same event with one or two values changed) that must not.
//! The same cases run against Saker's default rules and against Falco's k8s_audit_rules.yaml
//! (`SAKER_FALCO_CORPUS`), whose rules carry the same names.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use saker_engine::{Engine, EngineOptions, RuleMatching};
use saker_event::{Alert, Priority};
use saker_k8saudit::{
    AuditPipeline, default_k8s_audit_rules_file, load_default_k8s_audit_rules, replay_file,
};
use saker_rules::{Source, files, load};
use saker_server::{Metrics, Server, ServerContext, ServerOptions};
use serde_json::{Value as Json, json};

struct Case {
    fixture: &'static str,
    rule: &'static str,
    priority: Priority,
    /// `output_fields` the default rule's alert must carry.
    fields: &'static [(&'static str, &'static str)],
    /// JSON pointer → value: the benign twin.
    twin: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        fixture: "privileged_pod",
        rule: "Create Privileged Pod",
        priority: Priority::Warning,
        fields: &[
            ("ka.user.name", "alice"),
            ("ka.resp.name", "debug-tools"),
            ("ka.target.namespace", "prod"),
            (
                "ka.req.pod.containers.image",
                r#"["docker.io/library/alpine:3.20"]"#,
            ),
            ("ka.req.pod.containers.privileged", r#"["true"]"#),
        ],
        twin: &[(
            "/requestObject/spec/containers/0/securityContext/privileged",
            "false",
        )],
    },
    Case {
        fixture: "sensitive_mount_pod",
        rule: "Create Sensitive Mount Pod",
        priority: Priority::Warning,
        fields: &[
            ("ka.user.name", "alice"),
            ("ka.resp.name", "log-reader"),
            ("ka.req.pod.volumes.hostpath", r#"["/etc"]"#),
            ("ka.req.pod.containers.image", r#"["busybox:1.36"]"#),
        ],
        twin: &[(
            "/requestObject/spec/volumes/0/hostPath/path",
            r#""/var/log/app""#,
        )],
    },
    Case {
        fixture: "hostnetwork_pod",
        rule: "Create HostNetwork Pod",
        priority: Priority::Warning,
        fields: &[
            ("ka.user.name", "alice"),
            ("ka.resp.name", "net-probe"),
            (
                "ka.req.pod.containers.image",
                r#"["nicolaka/netshoot:v0.13"]"#,
            ),
        ],
        twin: &[("/requestObject/spec/hostNetwork", "false")],
    },
    Case {
        fixture: "hostpid_pod",
        rule: "Create HostPid Pod",
        priority: Priority::Warning,
        fields: &[
            ("ka.resp.name", "pid-peek"),
            ("ka.target.namespace", "prod"),
        ],
        twin: &[("/requestObject/spec/hostPID", "false")],
    },
    Case {
        fixture: "hostipc_pod",
        rule: "Create HostIPC Pod",
        priority: Priority::Warning,
        fields: &[("ka.resp.name", "shm-peek"), ("ka.user.name", "alice")],
        twin: &[("/requestObject/spec/hostIPC", "false")],
    },
    Case {
        fixture: "exec_pod",
        rule: "Attach/Exec Pod",
        priority: Priority::Notice,
        fields: &[
            ("ka.user.name", "alice"),
            ("ka.target.name", "payments-7d9f8b6c5-x2kqp"),
            ("ka.target.subresource", "exec"),
            ("ka.uri.param[command]", "/bin/sh"),
            ("ka.uri.param[container]", "payments"),
        ],
        twin: &[("/objectRef/subresource", r#""log""#)],
    },
    Case {
        fixture: "nodeport_service",
        rule: "Create NodePort Service",
        priority: Priority::Warning,
        fields: &[
            ("ka.target.name", "admin-panel"),
            (
                "ka.req.service.ports",
                r#"["{\"nodePort\":31337,\"port\":8080,\"protocol\":\"TCP\",\"targetPort\":8080}"]"#,
            ),
        ],
        twin: &[("/requestObject/spec/type", r#""ClusterIP""#)],
    },
    Case {
        fixture: "configmap_credentials",
        rule: "Create/Modify Configmap With Private Credentials",
        priority: Priority::Warning,
        fields: &[
            ("ka.req.configmap.name", "backup-config"),
            ("ka.verb", "create"),
        ],
        twin: &[(
            "/requestObject/data",
            r#"{"bucket": "s3://acme-backups", "log_level": "debug"}"#,
        )],
    },
    Case {
        fixture: "anonymous_allowed",
        rule: "Anonymous Request Allowed",
        priority: Priority::Warning,
        fields: &[
            ("ka.user.name", "system:anonymous"),
            ("ka.uri", "/api/v1/namespaces/kube-system/secrets?limit=500"),
        ],
        twin: &[
            ("/annotations/authorization.k8s.io~1decision", r#""forbid""#),
            ("/responseStatus/code", "403"),
        ],
    },
    Case {
        fixture: "cluster_admin_binding",
        rule: "Attach to cluster-admin Role",
        priority: Priority::Warning,
        fields: &[
            ("ka.target.name", "mallory-admin"),
            ("ka.req.binding.role", "cluster-admin"),
            (
                "ka.req.binding.subjects",
                r#"["{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"mallory\"}"]"#,
            ),
        ],
        twin: &[("/requestObject/roleRef/name", r#""view""#)],
    },
    Case {
        fixture: "wildcard_clusterrole",
        rule: "ClusterRole With Wildcard Created",
        priority: Priority::Warning,
        fields: &[
            ("ka.target.name", "ops-everything"),
            ("ka.req.role.rules.verbs", r#"["get","list","watch","*"]"#),
        ],
        twin: &[
            ("/requestObject/rules/1/resources", r#"["deployments"]"#),
            ("/requestObject/rules/1/verbs", r#"["get"]"#),
        ],
    },
    Case {
        fixture: "secret_created",
        rule: "K8s Secret Created",
        priority: Priority::Informational,
        fields: &[
            ("ka.target.name", "db-password"),
            ("ka.target.namespace", "prod"),
            ("ka.response.code", r#""201""#),
        ],
        twin: &[(
            "/user/username",
            r#""system:serviceaccount:prod:sealed-secrets""#,
        )],
    },
    Case {
        fixture: "secret_deleted",
        rule: "K8s Secret Deleted",
        priority: Priority::Informational,
        fields: &[("ka.target.name", "db-password"), ("ka.verb", "delete")],
        twin: &[("/responseStatus/code", "404")],
    },
    Case {
        fixture: "disallowed_namespace",
        rule: "Create Disallowed Namespace",
        priority: Priority::Warning,
        fields: &[
            ("ka.target.name", "crypto-miner"),
            ("ka.user.name", "alice"),
        ],
        twin: &[("/objectRef/name", r#""kube-public""#)],
    },
];

fn fixture(name: &str) -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn twin(case: &Case) -> Json {
    let mut event = fixture(case.fixture);
    for (pointer, value) in case.twin {
        set(&mut event, pointer, value);
    }
    event
}

/// Sets the member `pointer` names (its parent must exist) to the JSON `value`.
fn set(event: &mut Json, pointer: &str, value: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let parent = event
        .pointer_mut(parent)
        .and_then(Json::as_object_mut)
        .unwrap_or_else(|| panic!("no object at the parent of {pointer}"));
    parent.insert(key, serde_json::from_str(value).unwrap());
}

fn engine_of(sources: &[saker_rules::SourceFile]) -> Arc<Engine> {
    let (ruleset, diagnostics) = load(sources);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let options = EngineOptions {
        rule_matching: RuleMatching::All,
        hostname: "node-1".to_string(),
        ..EngineOptions::default()
    };
    Arc::new(Engine::new(&ruleset, options).unwrap())
}

fn default_engine() -> Arc<Engine> {
    engine_of(&[default_k8s_audit_rules_file()])
}

fn corpus_engine() -> Option<Arc<Engine>> {
    let Some(dir) = std::env::var_os("SAKER_FALCO_CORPUS") else {
        eprintln!("SKIPPED: SAKER_FALCO_CORPUS is not set (directory with k8s_audit_rules.yaml)");
        return None;
    };
    let path = PathBuf::from(dir).join("k8s_audit_rules.yaml");
    let sources = files::read_paths(&[&path]).expect("corpus k8s_audit_rules.yaml readable");
    Some(engine_of(&sources))
}

/// The real web server with the k8s_audit handler; alerts land in `alerts`.
struct Receiver {
    server: Server,
    pipeline: Arc<AuditPipeline>,
    alerts: Arc<Mutex<Vec<Alert>>>,
    agent: ureq::Agent,
}

impl Receiver {
    fn start(engine: Arc<Engine>) -> Receiver {
        let alerts = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&alerts);
        let pipeline = Arc::new(AuditPipeline::new(engine, move |alert| {
            sink.lock().unwrap().push(alert)
        }));
        let mut context = ServerContext::new(Arc::new(Metrics::new("test", 1)));
        context.k8s_audit = Some(pipeline.handler());
        let options = ServerOptions {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..ServerOptions::default()
        };
        let server = Server::start(options, context).expect("server starts");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Receiver {
            server,
            pipeline,
            alerts,
            agent,
        }
    }

    /// POSTs `body`, expects 200, returns the alerts it raised.
    fn post(&self, body: &Json) -> Vec<Alert> {
        let before = self.alerts.lock().unwrap().len();
        let url = format!("http://{}/k8s-audit", self.server.local_addr());
        let mut response = self
            .agent
            .post(&url)
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes())
            .expect("POST /k8s-audit");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        assert_eq!(status, 200, "{text}");
        // The handler evaluates synchronously: the alerts exist once the response is back.
        self.alerts.lock().unwrap()[before..].to_vec()
    }
}

fn rules(alerts: &[Alert]) -> Vec<&str> {
    alerts.iter().map(|a| a.rule.as_str()).collect()
}

#[test]
fn each_default_rule_fires_and_its_benign_twin_does_not() {
    let receiver = Receiver::start(default_engine());
    for case in CASES {
        let alerts = receiver.post(&fixture(case.fixture));
        assert_eq!(rules(&alerts), [case.rule], "{}", case.fixture);
        let alert = &alerts[0];
        assert_eq!(alert.priority, case.priority, "{}", case.rule);
        assert_eq!(alert.source, "k8s_audit");
        assert_eq!(alert.hostname, "node-1");
        assert!(alert.tags.contains(&"k8s".to_string()));
        for (field, expect) in case.fields {
            let got = alert
                .output_fields
                .get(*field)
                .unwrap_or_else(|| panic!("{}: no output field {field}", case.rule));
            let expect: Json = serde_json::from_str(expect).unwrap_or(json!(expect));
            assert_eq!(got, &expect, "{}: {field}", case.rule);
            assert!(
                alert.output.contains(&format!("={}", display(got))),
                "{}: output lacks {field}: {}",
                case.rule,
                alert.output
            );
        }
        // The stage time of the fixture, not the time of arrival.
        let stage_time =
            fixture(case.fixture)["stageTimestamp"].as_str().unwrap()[..26].to_string();
        assert_eq!(saker_engine::iso8601(alert.time_ns)[..26], stage_time);

        let alerts = receiver.post(&twin(case));
        assert_eq!(
            rules(&alerts),
            Vec::<&str>::new(),
            "twin of {}",
            case.fixture
        );
    }
    let stats = receiver.pipeline.stats();
    assert_eq!(stats.events, 2 * CASES.len() as u64);
    assert_eq!(stats.alerts, CASES.len() as u64);
    assert_eq!(stats.rejected, 0);
}

/// An output field value as `%field` prints it.
fn display(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Array(items) => {
            let items: Vec<String> = items.iter().map(display).collect();
            format!("({})", items.join(","))
        }
        other => other.to_string(),
    }
}

#[test]
fn an_event_list_is_evaluated_in_order_and_bad_items_are_dropped() {
    let receiver = Receiver::start(default_engine());
    let mut items: Vec<Json> = CASES.iter().map(|c| fixture(c.fixture)).collect();
    // An object without any timestamp: logged and dropped, the rest of the batch stands.
    items.insert(
        3,
        json!({"kind": "Event", "auditID": "no-time", "verb": "get"}),
    );
    let alerts = receiver.post(&json!({
        "kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": {}, "items": items
    }));
    let expected: Vec<&str> = CASES.iter().map(|c| c.rule).collect();
    assert_eq!(rules(&alerts), expected);
    let stats = receiver.pipeline.stats();
    assert_eq!((stats.events, stats.rejected), (CASES.len() as u64, 1));
}

#[test]
fn default_rule_outputs_match_golden_file() {
    let receiver = Receiver::start(default_engine());
    let mut text = String::new();
    for case in CASES {
        for alert in receiver.post(&fixture(case.fixture)) {
            text.push_str(&format!(
                "{} {} [{}]\n  {}\n",
                alert.priority.falco_name(),
                alert.rule,
                case.fixture,
                alert.output
            ));
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/default_rules_alerts.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(
        text, golden,
        "refresh with UPDATE_GOLDEN=1 if the change is intended"
    );
}

#[test]
fn corpus_k8s_audit_rules_load_and_fire_over_http() {
    let Some(engine) = corpus_engine() else {
        return;
    };
    assert!(engine.source_rule_count(Source::K8sAudit) > 40);
    let receiver = Receiver::start(engine);
    for case in CASES {
        let fired = receiver.post(&fixture(case.fixture));
        assert!(
            rules(&fired).contains(&case.rule),
            "{}: Falco's rule did not fire; got {:?}",
            case.fixture,
            rules(&fired)
        );
        let twin = receiver.post(&twin(case));
        assert!(
            !rules(&twin).contains(&case.rule),
            "twin of {} fired {}",
            case.fixture,
            case.rule
        );
    }
    // A rule that reads jevt.value[...] and %jevt.value in its output.
    let alerts = receiver.post(&fixture("sensitive_mount_pod"));
    let alert = alerts
        .iter()
        .find(|a| a.rule == "Create Sensitive Mount Pod")
        .unwrap();
    let volumes = alert.output_fields["jevt.value[/requestObject/spec/volumes]"]
        .as_str()
        .unwrap();
    assert!(volumes.contains(r#""path":"/etc""#), "{volumes}");
}

#[test]
fn default_and_corpus_rules_load_together_with_syscall_rules() {
    // The daemon loads every rules file into one engine; the k8s audit rules must coexist
    // with the syscall defaults and only see audit events.
    let mut sources = vec![saker_rules::SourceFile::new(
        saker_engine::DEFAULT_RULES_FILE_NAME,
        saker_engine::default_rules(),
    )];
    sources.push(default_k8s_audit_rules_file());
    let engine = engine_of(&sources);
    let (k8s_only, _) = load_default_k8s_audit_rules();
    assert_eq!(
        engine.source_rule_count(Source::K8sAudit),
        k8s_only.rules.iter().filter(|r| r.enabled).count()
    );
    assert!(engine.source_rule_count(Source::Syscall) > 0);
    let receiver = Receiver::start(engine);
    let alerts = receiver.post(&fixture("privileged_pod"));
    assert_eq!(rules(&alerts), ["Create Privileged Pod"]);
}

#[test]
fn replaying_a_file_gives_the_alerts_of_the_webhook() {
    let engine = default_engine();
    let dir = tempfile::tempdir().unwrap();
    let events: Vec<Json> = CASES.iter().map(|c| fixture(c.fixture)).collect();

    // JSON lines, as the API server's log backend writes them.
    let jsonl = dir.path().join("audit.log");
    let lines: Vec<String> = events.iter().map(Json::to_string).collect();
    std::fs::write(&jsonl, lines.join("\n") + "\n").unwrap();
    // A pretty-printed EventList, as the webhook receives it.
    let list = dir.path().join("audit.json");
    let body = json!({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": events});
    std::fs::write(&list, serde_json::to_string_pretty(&body).unwrap()).unwrap();

    let expected: Vec<&str> = CASES.iter().map(|c| c.rule).collect();
    for path in [&jsonl, &list] {
        let mut alerts = Vec::new();
        let summary = replay_file(path, &engine, |a| alerts.push(a)).unwrap();
        assert_eq!(rules(&alerts), expected, "{}", path.display());
        assert_eq!(
            (summary.events, summary.alerts, summary.skipped),
            (CASES.len() as u64, CASES.len() as u64, 0)
        );
    }

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, format!("{}\n{{\"kind\": \"Event\",\n", lines[0])).unwrap();
    let err = replay_file(&broken, &engine, |_| {})
        .unwrap_err()
        .to_string();
    assert!(err.starts_with(&format!("{}:", broken.display())), "{err}");
    assert!(err.contains("invalid JSON"), "{err}");

    let missing = replay_file(&dir.path().join("nope.json"), &engine, |_| {}).unwrap_err();
    assert!(
        missing.to_string().contains("cannot read audit events"),
        "{missing}"
    );
}

/// JSON pointer → new JSON value.
type Changes = &'static [(&'static str, &'static str)];

/// Falco rules beyond the default set's names, on fixtures changed into other requests:
/// `(base fixture, changes, rule, fires)`.
const CORPUS_EXTRA: &[(&str, Changes, &str, bool)] = &[
    (
        "exec_pod",
        &[
            ("/stage", r#""ResponseComplete""#),
            ("/verb", r#""patch""#),
            ("/objectRef/subresource", r#""ephemeralcontainers""#),
            (
                "/requestObject",
                r#"{"kind": "EphemeralContainers", "ephemeralContainers": [{"name": "debugger", "image": "busybox:1.36"}]}"#,
            ),
        ],
        "EphemeralContainers Created",
        true,
    ),
    (
        "exec_pod",
        &[("/objectRef/subresource", r#""portforward""#)],
        "port-forward",
        true,
    ),
    (
        "secret_created",
        &[
            ("/objectRef/resource", r#""ingresses""#),
            ("/requestObject", r#"{"spec": {"rules": []}}"#),
        ],
        "Ingress Object without TLS Certificate Created",
        true,
    ),
    (
        "secret_created",
        &[
            ("/objectRef/resource", r#""ingresses""#),
            (
                "/requestObject",
                r#"{"spec": {"tls": [{"secretName": "web-tls"}]}}"#,
            ),
        ],
        "Ingress Object without TLS Certificate Created",
        false,
    ),
    (
        "hostpid_pod",
        &[
            ("/objectRef/namespace", r#""kube-system""#),
            ("/requestObject/spec/hostPID", "false"),
        ],
        "Pod Created in Kube Namespace",
        true,
    ),
    (
        "hostpid_pod",
        &[
            ("/objectRef/namespace", r#""kube-system""#),
            ("/requestObject/spec/hostPID", "false"),
            (
                "/requestObject/spec/containers/0/image",
                r#""registry.k8s.io/kube-apiserver:v1.31.2""#,
            ),
        ],
        "Pod Created in Kube Namespace",
        false,
    ),
    (
        "secret_created",
        &[("/verb", r#""get""#), ("/responseStatus/code", "200")],
        "K8s Secret Get Successfully",
        true,
    ),
];

#[test]
fn more_corpus_rules_fire_on_their_requests() {
    let Some(engine) = corpus_engine() else {
        return;
    };
    let receiver = Receiver::start(engine);
    for (base, changes, rule, fires) in CORPUS_EXTRA {
        let mut event = fixture(base);
        for (pointer, value) in *changes {
            set(&mut event, pointer, value);
        }
        let alerts = receiver.post(&event);
        assert_eq!(
            rules(&alerts).contains(rule),
            *fires,
            "{rule} on {base} {changes:?}: {:?}",
            rules(&alerts)
        );
        if *rule == "EphemeralContainers Created" {
            let alert = alerts.iter().find(|a| a.rule == *rule).unwrap();
            assert!(
                alert.output.contains(
                    "ephemeral_container_name=debugger ephemeral_container_image=busybox:1.36"
                ),
                "{}",
                alert.output
            );
        }
    }
}
