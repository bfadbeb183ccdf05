//! Where generated code finds the runtime when no `crate =` says so: the
//! crate being compiled is the runtime or `hacktron`, or its manifest names
//! one of them as a dependency (by key, or renamed with `package = ...`).

use std::cell::RefCell;
use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// The packages whose root holds `__private`, most direct first.
const RUNTIMES: [&str; 2] = ["hacktron-runtime", "hacktron"];

/// What to write when no runtime is found, after the sentence saying so.
const HOW: &str = "name the crate that re-exports the runtime (its root has `#[doc(hidden)] pub use hacktron_runtime::__private;`): once on the trait, `#[endpoint(crate = your_sdk)]`, or per endpoint, `#[endpoint(GET, \"/path\", scope = read, crate = your_sdk)]`";

thread_local! {
    /// The last manifest read and what was found in it: one read per crate.
    static FOUND: RefCell<Option<(PathBuf, Option<String>)>> = const { RefCell::new(None) };
}

/// `::hacktron_runtime`, `::hacktron` or the name a dependency was renamed
/// to; an error saying what to write when the crate depends on neither.
pub fn default_path() -> Result<TokenStream, syn::Error> {
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
    let name = if RUNTIMES.contains(&package.as_str()) {
        // `extern crate self as ...` in each makes its own name work inside it.
        Some(package.replace('-', "_"))
    } else {
        let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
        FOUND.with(|found| {
            let mut found = found.borrow_mut();
            match &*found {
                Some((seen, name)) if *seen == dir => name.clone(),
                _ => {
                    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
                    let name = runtime_dependency(&manifest);
                    *found = Some((dir, name.clone()));
                    name
                }
            }
        })
    };
    match name {
        Some(name) => {
            let ident = syn::Ident::new(&name, Span::call_site());
            Ok(quote!(::#ident))
        }
        None => Err(syn::Error::new(
            Span::call_site(),
            format!(
                "cannot tell where the runtime is: `{package}` depends on neither `hacktron-runtime` nor `hacktron`; {HOW}"
            ),
        )),
    }
}

/// The crate name under which `manifest` depends on a runtime package, the
/// most direct one first. Reads the dependency tables line by line: enough
/// for the forms Cargo documents (`name = "1"`, `name = { ... }`,
/// `name.workspace = true`, `[dependencies.name]`, `package = "..."`).
fn runtime_dependency(manifest: &str) -> Option<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut table: Option<String> = None; // `[dependencies.key]`
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let header = header.trim();
            let deps = ["dependencies", "dev-dependencies", "build-dependencies"];
            in_deps = deps.iter().any(|d| header == *d || header.ends_with(&format!(".{d}")));
            table = header
                .rsplit_once('.')
                .filter(|(head, _)| deps.iter().any(|d| head == d || head.ends_with(&format!(".{d}"))))
                .map(|(_, key)| unquote(key).to_owned());
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (unquote(key.trim()), value.trim());
        if let Some(dep) = &table {
            // `[dependencies.rt]` then `package = "hacktron-runtime"`.
            if key == "package" {
                add(&mut found, dep, unquote(value));
            } else {
                add(&mut found, dep, dep);
            }
        } else if in_deps {
            let dep = key.split('.').next().unwrap_or(key);
            let package = value
                .split_once("package")
                .and_then(|(_, rest)| rest.trim_start().strip_prefix('='))
                .map(|rest| rest.trim_start().split(['"', '\'']).nth(1).unwrap_or_default())
                .unwrap_or(dep);
            add(&mut found, dep, package);
        }
    }
    found.sort();
    found.into_iter().next().map(|(_, name)| name)
}

fn add(found: &mut Vec<(usize, String)>, key: &str, package: &str) {
    if let Some(rank) = RUNTIMES.iter().position(|r| *r == package) {
        found.push((rank, key.replace('-', "_")));
    }
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches(['"', '\''])
}

#[cfg(test)]
mod tests {
    use super::runtime_dependency;

    #[test]
    fn the_runtime_is_found_in_every_documented_form() {
        let plain = "[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\nhacktron = \"0.1\"\n";
        assert_eq!(runtime_dependency(plain).as_deref(), Some("hacktron"));
        let both = "[dependencies]\nhacktron = { version = \"0.1\" }\nhacktron-runtime.workspace = true\n";
        assert_eq!(runtime_dependency(both).as_deref(), Some("hacktron_runtime"));
        let renamed = "[dependencies]\nrt = { package = \"hacktron-runtime\", version = \"0.1\" }\n";
        assert_eq!(runtime_dependency(renamed).as_deref(), Some("rt"));
        let table = "[dependencies.rt]\nversion = \"0.1\"\npackage = \"hacktron-runtime\"\n";
        assert_eq!(runtime_dependency(table).as_deref(), Some("rt"));
        let target = "[target.'cfg(unix)'.dev-dependencies]\nhacktron-runtime = { path = \"../runtime\" }\n";
        assert_eq!(runtime_dependency(target).as_deref(), Some("hacktron_runtime"));
        let sdk_only = "[dependencies]\ndepot-sdk = { path = \"../depot-sdk\" }\n# hacktron = \"0.1\"\n";
        assert_eq!(runtime_dependency(sdk_only), None);
        let elsewhere = "[package]\nname = \"hacktron-tools\"\n[features]\nhacktron = []\n";
        assert_eq!(runtime_dependency(elsewhere), None);
    }
}
