//! Which compiler a test's reviewed output comes from (shared by the UI
//! tests of this package and of `tests/depot-app`).

/// The compiler the reviewed `.stderr` snapshots come from: another one
/// words its messages differently, so there the snapshots are not checked.
pub const SNAPSHOTS_FROM: &str = "rustc 1.95.0 ";

/// `None` on the snapshots' compiler, or the compiler found instead.
pub fn other_compiler() -> Option<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = std::process::Command::new(rustc).arg("-V").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!version.starts_with(SNAPSHOTS_FROM)).then_some(version)
}
