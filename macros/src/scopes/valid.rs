//! Checks a `scopes!` body, collecting every mistake.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use quote::ToTokens;
use syn::Ident;
use syn::ext::IdentExt;

use super::parse::{Input, Kind};

/// What expansion needs from the checks: for each key kind of the
/// `grants` table, the scopes it gets an impl of (any-of ones included).
pub struct Checked {
    /// Each key kind, the scopes it gets, and for each the token of the
    /// table the impl is spanned on (the scope, or the any-of's member).
    pub grants: Vec<(syn::Type, Vec<(Ident, Span)>)>,
    /// Indices of the scopes to generate: a scope declared twice is
    /// generated once.
    pub scopes: Vec<usize>,
}

pub fn check(input: &Input, errors: &mut Vec<syn::Error>) -> Checked {
    let mut kinds: HashMap<String, &Kind> = HashMap::new();
    let mut unique = Vec::new();
    for (i, scope) in input.scopes.iter().enumerate() {
        let name = scope.ident.unraw().to_string();
        if kinds.contains_key(&name) {
            errors.push(syn::Error::new(
                scope.ident.span(),
                format!("scope `{name}` is declared twice"),
            ));
            continue;
        }
        kinds.insert(name.clone(), &scope.kind);
        unique.push(i);
        match &scope.kind {
            Kind::Required(lit) | Kind::Optional(lit) | Kind::Public(Some(lit)) if lit.value().trim().is_empty() => {
                errors.push(syn::Error::new(
                    lit.span(),
                    format!(
                        "the name of scope `{name}` is empty; write it as the server spells it, such as `\"read\"`"
                    ),
                ));
            }
            _ => {}
        }
    }
    let declared = || {
        let mut names: Vec<_> = kinds.keys().map(|name| format!("`{name}`")).collect();
        names.sort();
        names.join(", ")
    };
    for scope in &input.scopes {
        let Kind::AnyOf(members) = &scope.kind else { continue };
        let mut seen = HashSet::new();
        for member in members {
            let name = member.unraw().to_string();
            if !seen.insert(name.clone()) {
                errors.push(syn::Error::new(member.span(), format!("`{name}` is named twice")));
                continue;
            }
            match kinds.get(&name) {
                None => errors.push(syn::Error::new(
                    member.span(),
                    format!("unknown scope `{name}`; an any-of scope names scopes declared in this `scopes!`: {}", declared()),
                )),
                Some(Kind::Required(_)) => {}
                Some(Kind::Optional(_) | Kind::Public(_)) => errors.push(syn::Error::new(
                    member.span(),
                    format!("every key kind holds `{name}`, so any of it is every key kind; an any-of scope names scopes declared as `name = \"wire:name\"`"),
                )),
                Some(Kind::AnyOf(_)) => errors.push(syn::Error::new(
                    member.span(),
                    format!("`{name}` is itself any of other scopes; name those scopes here"),
                )),
            }
        }
    }
    let mut grants = Vec::new();
    let mut tables: HashSet<String> = HashSet::new();
    for grant in &input.grants {
        let kind = grant.kind.to_token_stream().to_string();
        if !tables.insert(kind.clone()) {
            errors.push(syn::Error::new_spanned(
                &grant.kind,
                format!("key kind `{kind}` is listed twice in `grants`; list all its scopes on one line"),
            ));
            continue;
        }
        let mut scopes: Vec<(Ident, Span)> = Vec::new();
        let mut names: HashMap<String, Span> = HashMap::new();
        for scope in &grant.scopes {
            let name = scope.unraw().to_string();
            if names.insert(name.clone(), scope.span()).is_some() {
                errors.push(syn::Error::new(
                    scope.span(),
                    format!("`{name}` is granted twice to `{kind}`"),
                ));
                continue;
            }
            match kinds.get(&name) {
                None => errors.push(syn::Error::new(
                    scope.span(),
                    format!(
                        "unknown scope `{name}`; `grants` names scopes declared in this `scopes!`: {}",
                        declared()
                    ),
                )),
                Some(Kind::Required(_)) => scopes.push((scope.clone(), scope.span())),
                Some(Kind::Optional(_) | Kind::Public(_)) => errors.push(syn::Error::new(
                    scope.span(),
                    format!("every key kind holds `{name}`, which is not granted kind by kind; leave it out"),
                )),
                Some(Kind::AnyOf(_)) => errors.push(syn::Error::new(
                    scope.span(),
                    format!("`{name}` is held through the scopes it names, not granted itself; grant one of those"),
                )),
            }
        }
        // Any-of scopes: held by every kind granted one of their members.
        for &i in &unique {
            let any = &input.scopes[i];
            let Kind::AnyOf(members) = &any.kind else { continue };
            let granted = members.iter().find_map(|m| {
                scopes
                    .iter()
                    .find(|(s, _)| s.unraw() == m.unraw())
                    .map(|(_, span)| *span)
            });
            if let Some(span) = granted {
                scopes.push((any.ident.clone(), span));
            }
        }
        grants.push((grant.kind.clone(), scopes));
    }
    Checked { grants, scopes: unique }
}
