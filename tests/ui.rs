//! Compile-time diagnostics of `#[endpoint]`: each `tests/ui/*.rs` is one
//! mistake with its reviewed `.stderr`; `tests/ui/pass/*.rs` must build and run.
//! Regenerate with `TRYBUILD=overwrite cargo test --test ui`, then read the diff.

#[path = "support/toolchain.rs"]
mod toolchain;
use toolchain::{SNAPSHOTS_FROM, other_compiler};

#[test]
fn ui() {
    if let Some(other) = other_compiler() {
        eprintln!("skipped: the UI snapshots are from {SNAPSHOTS_FROM}and this is {other}");
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
