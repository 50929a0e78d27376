//! The `.scap` reader on arbitrary bytes: blocks, metadata, events, the sinsp-like parser
//! (mapping to Saker's events) and the sysdig-style printer. Checks: no panic, no unbounded
//! allocation (libFuzzer's -rss_limit_mb), and an error is one message with an offset.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saker_source::scap::ScapFile;
use saker_source::scap::parser::Parser;
use saker_source::scap::print::{PrintOptions, print_file};

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.scap");
    let open = || ScapFile::from_reader(Box::new(std::io::Cursor::new(data.to_vec())), path);
    if let Ok(mut file) = open() {
        let options = PrintOptions {
            engine: None,
            custom_format: false,
            json: false,
            show_internal: true,
        };
        let _ = print_file(&mut file, &options, &mut std::io::sink());
    }
    if let Ok(mut file) = open() {
        let mut parser = Parser::new(true);
        let mut out = Vec::new();
        while let Ok(Some(event)) = file.next_event() {
            out.clear();
            parser.parse(&event, &mut out);
        }
    }
});
