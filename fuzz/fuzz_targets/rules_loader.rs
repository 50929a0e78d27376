//! Fuzzes the rules loader on arbitrary file contents (split into two files to exercise
//! overrides across files): it must never panic and every diagnostic must render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saker_rules::{SourceFile, load};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, second) = text.split_once("\n---8<---\n").unwrap_or((text, ""));
    let files = [
        SourceFile::new("a.yaml", first),
        SourceFile::new("b.yaml", second),
    ];
    let (ruleset, diagnostics) = load(&files);
    for d in &diagnostics {
        let _ = d.render();
    }
    for rule in &ruleset.rules {
        let _ = rule.filter.to_string();
    }
});
