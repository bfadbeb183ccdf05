//! cargo-fuzz target `decode`; the logic is `targets::decode` in targets_common.rs,
//! which tests/fuzz_corpus.rs replays over fuzz/corpus/decode/.
#![no_main]

#[path = "../targets_common.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::decode(data));
