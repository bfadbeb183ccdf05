//! cargo-fuzz target `sandbox_request`; the logic is `targets::sandbox_request` in targets_common.rs,
//! which tests/fuzz_corpus.rs replays over fuzz/corpus/sandbox_request/.
#![no_main]

#[path = "../targets_common.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::sandbox_request(data));
