//! The app crate's view of the SDK's `#[endpoint]`: what compiles with a
//! dependency on `depot-sdk` alone, and what fails, with reviewed messages.
//! Regenerate with `TRYBUILD=overwrite cargo test -p depot-app --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
