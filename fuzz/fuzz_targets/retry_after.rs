//! cargo-fuzz target `retry_after`; the logic is `targets::retry_after` in targets_common.rs,
//! which tests/fuzz_corpus.rs replays over fuzz/corpus/retry_after/.
#![no_main]

#[path = "../targets_common.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::retry_after(data));
