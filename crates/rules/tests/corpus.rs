//! Falco's upstream rules corpus loads and compiles with zero errors.
//!
//! The corpus directory comes from `SAKER_FALCO_CORPUS`; without it the test says SKIPPED.

use std::path::PathBuf;

use saker_rules::{Severity, SourceFile, files::read_paths, load};

fn corpus_dir() -> Option<PathBuf> {
    match std::env::var_os("SAKER_FALCO_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            eprintln!(
                "SKIPPED: SAKER_FALCO_CORPUS is not set (point it at the falco-rules corpus directory)"
            );
            None
        }
    }
}

fn read(dir: &std::path::Path, names: &[&str]) -> Vec<SourceFile> {
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    read_paths(&paths).expect("corpus files are readable")
}

fn assert_no_errors(names: &[&str], expected_rules: usize) {
    let Some(dir) = corpus_dir() else { return };
    let files = read(&dir, names);
    let (ruleset, diagnostics) = load(&files);
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.render())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert_eq!(
        ruleset.rules.len(),
        expected_rules,
        "rules compiled from {names:?}"
    );
}

#[test]
fn stable_rules_load() {
    assert_no_errors(&["falco_rules.yaml"], 25);
}

#[test]
fn incubating_rules_load_after_stable() {
    // Falco loads falco_rules.yaml before the incubating and sandbox files.
    assert_no_errors(
        &["falco_rules.yaml", "falco-incubating_rules.yaml"],
        25 + 31,
    );
}

#[test]
fn sandbox_rules_load_after_stable() {
    assert_no_errors(&["falco_rules.yaml", "falco-sandbox_rules.yaml"], 25 + 37);
}

#[test]
fn k8s_audit_rules_load() {
    assert_no_errors(&["k8s_audit_rules.yaml"], 48);
}

#[test]
fn all_four_files_load_together() {
    assert_no_errors(
        &[
            "falco_rules.yaml",
            "falco-incubating_rules.yaml",
            "falco-sandbox_rules.yaml",
            "k8s_audit_rules.yaml",
        ],
        25 + 31 + 37 + 48,
    );
}

#[test]
fn each_file_alone_loads() {
    // Incubating and sandbox are self-contained too (they repeat the macros they need).
    let Some(dir) = corpus_dir() else { return };
    for name in ["falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"] {
        let (_, diagnostics) = load(&read(&dir, &[name]));
        let errors: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render())
            .collect();
        assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
    }
}

#[test]
fn corpus_warnings_are_falco_like() {
    // The corpus is clean for Falco: no unknown keys, no deprecated appends. Unused macros and
    // lists exist only when a file is loaded alone.
    let Some(dir) = corpus_dir() else { return };
    let (_, diagnostics) = load(&read(&dir, &["falco_rules.yaml"]));
    for d in &diagnostics {
        eprintln!("{}", d);
    }
    assert!(
        diagnostics.iter().all(|d| matches!(
            d.code,
            "LOAD_UNUSED_MACRO" | "LOAD_UNUSED_LIST" | "LOAD_NO_EVTTYPE"
        )),
        "unexpected diagnostics"
    );
}
