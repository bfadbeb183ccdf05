//! The app crate's view of the SDK's `#[endpoint]`: what compiles with a
//! dependency on `depot-sdk` alone, and what fails, with reviewed messages.
//! Regenerate with `TRYBUILD=overwrite cargo test -p depot-app --test ui`.

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

/// The compiler the reviewed `.stderr` snapshots come from: another one
/// words its messages differently, so there the snapshots are not checked.
const SNAPSHOTS_FROM: &str = "rustc 1.95.0 ";

/// `None` on the snapshots' compiler, or the compiler found instead.
fn other_compiler() -> Option<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = std::process::Command::new(rustc).arg("-V").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!version.starts_with(SNAPSHOTS_FROM)).then_some(version)
}
