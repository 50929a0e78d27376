//! Fuzzes the condition parser, the printers and the checker: none may panic, and whatever
//! parses must print (in the parseable style) to text that parses to the same tree. Falco's
//! own style (libsinsp's `as_string`) is printed too, but it does not always parse back
//! (libsinsp leaves commas and parentheses in values unquoted), so only its running is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saker_rules::print::{Style, print_with};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut expr) = saker_rules::parse(text) {
        let _ = saker_rules::print(&expr);
        let printed = print_with(&expr, Style::Parseable);
        let mut again = saker_rules::parse(&printed)
            .unwrap_or_else(|e| panic!("printed form does not parse: {printed:?}: {e}"));
        saker_rules::ast::strip_spans(&mut expr);
        saker_rules::ast::strip_spans(&mut again);
        assert_eq!(expr, again, "roundtrip changed the tree: {printed:?}");
        let _ = saker_rules::check_condition(text);
    }
});
