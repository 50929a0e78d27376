//! Fuzzes the condition parser, the printer and the checker: none may panic, and whatever
//! parses must print to text that parses to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut expr) = saker_rules::parse(text) {
        let printed = saker_rules::print(&expr);
        let mut again = saker_rules::parse(&printed)
            .unwrap_or_else(|e| panic!("printed form does not parse: {printed:?}: {e}"));
        saker_rules::ast::strip_spans(&mut expr);
        saker_rules::ast::strip_spans(&mut again);
        assert_eq!(expr, again, "roundtrip changed the tree: {printed:?}");
        let _ = saker_rules::check_condition(text);
    }
});
