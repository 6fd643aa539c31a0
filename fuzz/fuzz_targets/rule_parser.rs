//! Feeds arbitrary text to the rule parser and renders its diagnostics: neither may panic,
//! whatever the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rulebench::rules::diagnostic::render_all;
use rulebench::rules::{parse_rules, text_columns};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_rules(text) {
        Ok(file) => {
            let _ = text_columns(&file);
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "a failed parse reports why");
            let rendered = render_all(&diagnostics, "fuzz.rules", text);
            assert!(rendered.contains("fuzz.rules"), "diagnostics name the file");
        }
    }
});
