//! Golden diagnostics for bad rules files: each file in tests/bad/*.yaml is loaded alone and its
//! rendered diagnostics are compared with tests/bad/*.expected (refresh with UPDATE_GOLDEN=1).

use std::path::Path;

use saker_rules::{SourceFile, load};

fn golden(case: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let input = dir.join(format!("{case}.yaml"));
    let text = std::fs::read_to_string(&input).expect("fixture exists");
    let name = format!("{case}.yaml");
    let (_, diagnostics) = load(&[SourceFile::new(name, text)]);
    let rendered: String = diagnostics.iter().map(|d| d.render()).collect();
    let expected_path = dir.join(format!("{case}.expected"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &rendered).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "missing {}; run with UPDATE_GOLDEN=1",
            expected_path.display()
        )
    });
    assert_eq!(
        rendered, expected,
        "diagnostics of {case} differ from the golden file"
    );
    assert!(
        diagnostics.iter().any(|d| d.is_error()),
        "{case} must produce at least one error"
    );
}

macro_rules! golden_tests {
    ($($case:ident),* $(,)?) => {
        $(#[test] fn $case() { golden(stringify!($case)); })*
    };
}

golden_tests!(
    malformed_yaml,
    wrong_types,
    unknown_keys,
    missing_keys,
    undefined_names,
    cyclic_macros,
    unknown_field,
    bad_operator,
    unbalanced_parens,
    bad_regex,
    bad_overrides,
    bad_exceptions,
    several_problems,
);
