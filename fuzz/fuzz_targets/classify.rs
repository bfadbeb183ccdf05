//! cargo-fuzz target `classify`; the logic is `targets::classify` in targets_common.rs,
//! which tests/fuzz_corpus.rs replays over fuzz/corpus/classify/.
#![no_main]

#[path = "../targets_common.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::classify(data));
