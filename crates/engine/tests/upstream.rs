//! The upstream test cases ported as data (tests/upstream/, see
//! crates/rules/tests/upstream/README.md): the libsinsp filter compiler, operator, transformer
//! and event-type tests (compiler.jsonl) and the evaluation tests (evaluation.jsonl). Every case
//! names the upstream file, line and test it comes from. Cases marked `na` need something Saker
//! does not have and are only counted.

use std::path::Path;

use saker_engine::{Engine, EngineOptions, JsonlEvent};
use saker_rules::{EventTypes, Source, SourceFile};
use serde_json::{Value as J, json};

fn cases(name: &str) -> Vec<J> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/upstream")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|l| serde_json::from_str(l).expect("case is JSON"))
        .collect()
}

/// Runs every case; fails listing each failing case with its origin.
fn run_all(cases: Vec<J>, run: fn(&J) -> Result<(), String>) {
    let mut failures = Vec::new();
    let (mut passed, mut not_applicable) = (0, 0);
    for case in &cases {
        if case.get("na").is_some() {
            not_applicable += 1;
            continue;
        }
        match run(case) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{}: {why}", case["from"].as_str().unwrap())),
        }
    }
    println!(
        "{passed} passed, {} failed, {not_applicable} not applicable",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} upstream cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn upstream_compiler_cases() {
    run_all(cases("compiler.jsonl"), compiler_case);
}

#[test]
fn upstream_evaluation_cases() {
    run_all(cases("evaluation.jsonl"), evaluation_case);
}

fn text<'c>(case: &'c J, key: &str) -> &'c str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("case lacks {key}"))
}

fn expect_eq<T: PartialEq + std::fmt::Debug>(got: &T, want: &T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("got {got:?}, want {want:?}"))
    }
}

/// Compiles a condition as libsinsp's filter compiler does: Saker's checker, then the engine
/// (the checks only Falco's rule loader makes are not libsinsp's).
fn compile_filter(condition: &str) -> Result<Engine, String> {
    let filter = saker_rules::check_condition(condition)?;
    let holder =
        "- rule: r\n  desc: d\n  condition: evt.type exists\n  output: o\n  priority: INFO\n";
    let (mut ruleset, _) = saker_rules::load(&[SourceFile::new("holder.yaml", holder)]);
    let rule = &mut ruleset.rules[0];
    rule.filter = filter;
    rule.condition = condition.to_string();
    Engine::new(&ruleset, EngineOptions::default()).map_err(|e| e.to_string())
}

/// Loads a rules file with one rule of this condition and builds the engine, as Falco does.
fn load_rule(condition: &str, source: Source) -> Result<Engine, String> {
    let yaml = format!(
        "- rule: r\n  desc: d\n  condition: {}\n  output: o\n  priority: INFO\n  source: {}\n",
        serde_json::to_string(condition).unwrap(),
        source.as_str()
    );
    let (ruleset, diagnostics) = saker_rules::load(&[SourceFile::new("rule.yaml", yaml)]);
    if let Some(error) = diagnostics.iter().find(|d| d.is_error()) {
        return Err(error.message.clone());
    }
    Engine::new(&ruleset, EngineOptions::default()).map_err(|e| e.to_string())
}

fn event_types(condition: &str) -> Result<J, String> {
    let filter = saker_rules::check_condition(condition)?;
    Ok(match filter.evttype_set(false) {
        EventTypes::Only(set) => json!({ "only": set }),
        EventTypes::AllBut(set) => json!({ "all_but": set }),
    })
}

fn compiler_case(case: &J) -> Result<(), String> {
    let condition = text(case, "condition");
    match text(case, "kind") {
        "compile" => {
            // Kubernetes audit fields need a rule of that source.
            let source = if condition.contains("ka.") {
                Source::K8sAudit
            } else {
                Source::Syscall
            };
            let compiled = match source {
                Source::Syscall => compile_filter(condition),
                _ => load_rule(condition, source),
            };
            match (text(case, "expect"), compiled) {
                (_, Err(e)) if text(case, "expect") == "ok" => {
                    Err(format!("does not compile: {e}"))
                }
                ("fail", Ok(_)) => Err("compiles".to_string()),
                (_, Err(e)) => match case["message"].as_str() {
                    Some(m) if !e.contains(m.trim_start_matches("filter error: ")) => {
                        Err(format!("error {e:?} lacks {m:?}"))
                    }
                    _ => Ok(()),
                },
                (_, Ok(_)) => match case["warnings"].as_u64() {
                    Some(n) => {
                        let warnings = saker_rules::condition_warnings(condition, source);
                        expect_eq(&(warnings.len() as u64), &n)
                            .map_err(|e| format!("warnings {warnings:?}: {e}"))
                    }
                    None => Ok(()),
                },
            }
        }
        "evttypes" => expect_eq(&event_types(condition)?, &case["expected"]),
        "evttypes_equal" => expect_eq(&event_types(condition)?, &event_types(text(case, "other"))?),
        // Falco runs libsinsp's event-type search on every syscall rule it loads.
        "evttypes_search" => match (text(case, "expect"), load_rule(condition, Source::Syscall)) {
            ("ok", Err(e)) => Err(format!("does not load: {e}")),
            ("fail", Ok(_)) => Err("loads".to_string()),
            _ => Ok(()),
        },
        other => Err(format!("unknown kind {other}")),
    }
}

/// A condition evaluated on one event (the event fixtures stand for what libsinsp's test
/// event generators produce; see README.md).
fn evaluation_case(case: &J) -> Result<(), String> {
    let condition = text(case, "condition");
    let expect = &case["expect"];
    let engine = match (expect.as_str(), compile_filter(condition)) {
        (Some("throw"), Err(_)) | (Some("no_throw"), Ok(_)) => return Ok(()),
        (Some("throw"), Ok(_)) => return Err("compiles".to_string()),
        (_, Err(e)) => return Err(format!("does not compile: {e}")),
        (_, Ok(engine)) => engine,
    };
    let line = serde_json::to_string(&case["event"]).unwrap();
    let event = JsonlEvent::parse(&line, &engine).map_err(|e| format!("event fixture: {e}"))?;
    let matched = !engine.process(&event).is_empty();
    expect_eq(&matched, &expect.as_bool().expect("true or false"))
}
