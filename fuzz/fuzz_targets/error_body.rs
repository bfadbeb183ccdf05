//! cargo-fuzz target `error_body`; the logic is `targets::error_body` in targets_common.rs,
//! which tests/fuzz_corpus.rs replays over fuzz/corpus/error_body/.
#![no_main]

#[path = "../targets_common.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::error_body(data));
