//! Behaviour tests of the default ruleset, as data: `tests/default_rules/<rule>.jsonl` holds,
//! after a `# rule: NAME` header, one event that must fire NAME and one near miss that must
//! not. `<rule>.expected` is the golden list of alerts every event raises (all-match mode),
//! refreshed with `UPDATE_GOLDEN=1 cargo test -p saker-engine --test default_rules`.
//! A rule that never fires until a user tunes it (Launch Disallowed Container) has that
//! tuning beside its test, `<rule>.tuning.yaml`, loaded after the default rules.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use saker_engine::{
    DEFAULT_RULES_FILE_NAME, Engine, EngineOptions, JsonlEvent, RuleMatching, default_rules,
    load_default_rules,
};
use saker_rules::SourceFile;

fn engine() -> Engine {
    engine_with(None)
}

/// The default rules, then `tuning` (a rules file's text) when given.
fn engine_with(tuning: Option<&Path>) -> Engine {
    let (ruleset, diagnostics) = match tuning {
        None => load_default_rules(),
        Some(path) => saker_rules::load(&[
            SourceFile::new(DEFAULT_RULES_FILE_NAME, default_rules()),
            SourceFile::new(
                path.display().to_string(),
                fs::read_to_string(path).unwrap(),
            ),
        ]),
    };
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "default rules have errors: {errors:#?}");
    let options = EngineOptions {
        rule_matching: RuleMatching::All,
        hostname: "test-host".to_string(),
        ..EngineOptions::default()
    };
    Engine::new(&ruleset, options).expect("default rules compile")
}

fn test_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/default_rules");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/default_rules exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    files
}

#[test]
fn default_rules_load_without_warnings_or_errors() {
    let (_, diagnostics) = load_default_rules();
    assert!(
        diagnostics.is_empty(),
        "{}",
        saker_rules::diagnostic::render_all(&diagnostics)
    );
}

#[test]
fn every_default_rule_fires_on_its_event_and_not_on_its_near_miss() {
    let default_engine = engine();
    let (ruleset, _) = load_default_rules();
    let mut tested = BTreeSet::new();
    let mut failures = Vec::new();
    for path in test_files() {
        let text = fs::read_to_string(&path).unwrap();
        let tuning = path.with_extension("tuning.yaml");
        let tuned;
        let engine = if tuning.exists() {
            tuned = engine_with(Some(&tuning));
            &tuned
        } else {
            &default_engine
        };
        let rule = text
            .lines()
            .find_map(|line| line.strip_prefix("# rule: "))
            .unwrap_or_else(|| panic!("{}: no '# rule: NAME' header", path.display()))
            .trim()
            .to_string();
        assert!(
            ruleset.rule(&rule).is_some(),
            "{}: no default rule named '{rule}'",
            path.display()
        );
        let events: Vec<(usize, JsonlEvent)> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
            .map(|(i, line)| {
                let event = JsonlEvent::parse(line, engine)
                    .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1));
                (i + 1, event)
            })
            .collect();
        assert_eq!(events.len(), 2, "{}: want 2 events", path.display());

        let mut golden = String::new();
        for (n, (line, event)) in events.iter().enumerate() {
            let alerts = engine.process(event);
            let fired = alerts.iter().any(|a| a.rule == rule);
            if n == 0 && !fired {
                failures.push(format!("{}:{line}: '{rule}' did not fire", path.display()));
            }
            if n == 1 && fired {
                failures.push(format!(
                    "{}:{line}: '{rule}' fired on the near miss",
                    path.display()
                ));
            }
            if alerts.is_empty() {
                let _ = writeln!(golden, "line {line}: no alert");
            }
            for alert in alerts {
                let _ = writeln!(
                    golden,
                    "line {line}: {} {}: {}",
                    alert.priority, alert.rule, alert.output
                );
            }
        }
        check_golden(&path.with_extension("expected"), &golden, &mut failures);
        tested.insert(rule);
    }
    let untested: Vec<_> = ruleset
        .rules
        .iter()
        .filter(|r| !tested.contains(&r.name))
        .map(|r| r.name.as_str())
        .collect();
    assert!(untested.is_empty(), "rules without tests: {untested:?}");
    assert!(tested.len() >= 28, "only {} rules tested", tested.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_golden(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(path, actual).unwrap();
        return;
    }
    match fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{}: golden mismatch (UPDATE_GOLDEN=1 to refresh)\n--- expected\n{expected}--- actual\n{actual}",
            path.display()
        )),
        Err(_) => failures.push(format!(
            "{}: missing golden file (UPDATE_GOLDEN=1 to create)",
            path.display()
        )),
    }
}

#[test]
fn container_outputs_name_the_container_image_and_pod() {
    let (ruleset, _) = load_default_rules();
    for rule in &ruleset.rules {
        for needle in [
            "container_id=%container.id",
            "container_name=%container.name",
            "container_image_repository=%container.image.repository",
            "k8s_ns=%k8s.ns.name",
            "k8s_pod=%k8s.pod.name",
            "%user.name",
            "%proc.cmdline",
            "%proc.pname",
            "%proc.tty",
        ] {
            assert!(
                rule.output.contains(needle),
                "rule '{}' output lacks {needle}",
                rule.name
            );
        }
    }
}
