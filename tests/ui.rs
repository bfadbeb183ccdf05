//! Compile-time diagnostics of `#[endpoint]`: each `tests/ui/*.rs` is one
//! mistake with its reviewed `.stderr`; `tests/ui/pass/*.rs` must build and run.
//! Regenerate with `TRYBUILD=overwrite cargo test --test ui`, then read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
