//! cargo-fuzz target `byte_stream`; the logic is `targets::byte_stream` in targets_common.rs,
//! which tests/fuzz_corpus.rs replays over fuzz/corpus/byte_stream/.
#![no_main]

#[path = "../targets_common.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::byte_stream(data));
