//! Every operation of the vendor's OpenAPI spec is bound exactly once, with
//! the documented scope, checked from the constants `#[endpoint]` generates.

use std::collections::BTreeMap;

use hacktron::api::ENDPOINTS;

/// `(METHOD, path) -> scope` as the spec gives them: operations with an empty
/// `security` list are public; otherwise GETs need `read`, the rest `write`.
fn spec_operations() -> BTreeMap<(String, String), String> {
    let spec: serde_json::Value = serde_json::from_str(include_str!("data/openapi.json")).unwrap();
    let mut ops = BTreeMap::new();
    for (path, methods) in spec["paths"].as_object().unwrap() {
        for (method, op) in methods.as_object().unwrap() {
            let public = op
                .get("security")
                .and_then(|s| s.as_array())
                .is_some_and(|s| s.is_empty());
            let scope = match (public, method.as_str()) {
                (true, _) => "public",
                (false, "get") => "read",
                (false, _) => "write",
            };
            ops.insert((method.to_uppercase(), path.clone()), scope.to_owned());
        }
    }
    ops
}

#[test]
fn every_spec_operation_is_bound_exactly_once_with_its_scope() {
    let spec = spec_operations();
    assert_eq!(spec.len(), 19, "the spec has 19 operations");
    let mut bound: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for ep in ENDPOINTS {
        bound
            .entry((ep.method.as_str().to_owned(), ep.path.to_owned()))
            .or_default()
            .push(ep.scope);
    }
    for ((method, path), scope) in &spec {
        let scopes = bound.get(&(method.clone(), path.clone()));
        assert_eq!(
            scopes.map(Vec::len),
            Some(1),
            "{method} {path} must be bound exactly once"
        );
        assert_eq!(scopes.unwrap()[0], scope, "{method} {path} must need scope `{scope}`");
    }
    let extra: Vec<_> = bound.keys().filter(|k| !spec.contains_key(*k)).collect();
    assert!(extra.is_empty(), "bound but not in the spec: {extra:?}");
}

#[test]
fn endpoint_names_are_unique() {
    let mut names: Vec<_> = ENDPOINTS.iter().map(|e| e.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len());
}
