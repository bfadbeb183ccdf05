//! The app crate's view of the SDK's `#[endpoint]`: what compiles with a
//! dependency on `depot-sdk` alone, and what fails, with reviewed messages.
//! Regenerate with `TRYBUILD=overwrite cargo test -p depot-app --test ui`.

#[path = "../../support/toolchain.rs"]
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
