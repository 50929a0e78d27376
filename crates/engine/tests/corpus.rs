//! The Falco corpus (stable, incubating, sandbox, k8s audit) compiles into one engine, and its
//! rules fire on field-level events of both sources. Needs `SAKER_FALCO_CORPUS`.

use std::path::PathBuf;

use saker_engine::{Engine, EngineOptions, JsonlEvent, RuleMatching};
use saker_rules::{Source, files, load};

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("SAKER_FALCO_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            eprintln!("SKIPPED: SAKER_FALCO_CORPUS is not set (directory with falco_rules.yaml)");
            None
        }
    }
}

#[test]
fn all_corpus_files_compile_and_fire() {
    let Some(dir) = corpus() else { return };
    let paths: Vec<PathBuf> = [
        "falco_rules.yaml",
        "falco-incubating_rules.yaml",
        "falco-sandbox_rules.yaml",
        "k8s_audit_rules.yaml",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let sources = files::read_paths(&paths).expect("corpus readable");
    let (ruleset, diagnostics) = load(&sources);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let options = EngineOptions {
        rule_matching: RuleMatching::All,
        ..EngineOptions::default()
    };
    let engine = Engine::new(&ruleset, options).expect("corpus compiles");
    let enabled = ruleset.rules.iter().filter(|r| r.enabled).count();
    assert_eq!(engine.rule_count(), enabled);
    assert!(engine.source_rule_count(Source::K8sAudit) > 40);

    // Every syscall rule of the stable file restricts event types: the kernel-side filter
    // gets a finite set.
    let needs = engine.event_type_needs(Source::Syscall);
    for syscall in ["execve", "openat", "connect"] {
        assert!(needs.types.contains(syscall), "{:?}", needs.types);
    }

    let fired = |json: &str| -> Vec<String> {
        let event = JsonlEvent::parse(json, &engine).unwrap();
        engine.process(&event).into_iter().map(|a| a.rule).collect()
    };
    let shell = fired(
        r#"{"evt.type":"execve","proc.name":"bash","proc.pname":"runc","proc.tty":34816,"container.id":"01a09577e624"}"#,
    );
    assert!(
        shell.contains(&"Terminal shell in container".to_string()),
        "{shell:?}"
    );

    let exec_pod = fired(
        r#"{"evt.source":"k8s_audit","jevt.value[/stage]":"ResponseStarted","ka.verb":"create","ka.target.resource":"pods","ka.target.subresource":"exec","ka.user.name":"alice","ka.target.name":"web","ka.target.namespace":"default","ka.uri":"/api/v1/namespaces/default/pods/web/exec?command=sh","jevt.value[/objectRef/resource]":"pods","jevt.value[/objectRef/subresource]":"exec","ka.uri.param[command]":"sh","ka.auth.decision":"allow","ka.response.code":"101"}"#,
    );
    assert!(
        exec_pod.contains(&"Attach/Exec Pod".to_string()),
        "{exec_pod:?}"
    );
    // k8s audit events never meet syscall rules.
    assert!(!exec_pod.contains(&"Terminal shell in container".to_string()));
}
