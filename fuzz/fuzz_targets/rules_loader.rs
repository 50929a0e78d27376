//! Fuzzes the rules loader on arbitrary file contents (split into two files at a `---8<---`
//! line to exercise overrides across files), and the engine on what loads: nothing may panic,
//! and every diagnostic must render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saker_engine::{Engine, EngineOptions};
use saker_rules::{AppendOutput, LoadOptions, SourceFile, load_with};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, second) = text.split_once("\n---8<---\n").unwrap_or((text, ""));
    let files = [
        SourceFile::new("a.yaml", first),
        SourceFile::new("b.yaml", second),
    ];
    // falco.yaml's append_output, as `saker run` passes it.
    let options = LoadOptions {
        append_output: vec![AppendOutput {
            format: Some("container_id=%container.id".to_string()),
            ..AppendOutput::default()
        }],
        ..LoadOptions::default()
    };
    let (ruleset, diagnostics) = load_with(&files, &options);
    for d in &diagnostics {
        let _ = d.render();
    }
    for rule in &ruleset.rules {
        let _ = rule.filter.to_string();
        let _ = saker_rules::parse(&rule.condition_compiled);
    }
    if !diagnostics.iter().any(|d| d.is_error()) {
        let _ = Engine::new(&ruleset, EngineOptions::default());
    }
});
