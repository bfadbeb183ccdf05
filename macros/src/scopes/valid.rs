//! Checks a `scopes!` body, collecting every mistake.

use std::collections::{HashMap, HashSet};

use quote::ToTokens;
use syn::Ident;
use syn::ext::IdentExt;

use super::parse::{Input, Kind};

/// What expansion needs from the checks: for each key kind of the
/// `grants` table, the scopes it gets an impl of (any-of ones included).
pub struct Checked {
    pub grants: Vec<(syn::Type, Vec<Ident>)>,
}

pub fn check(input: &Input, errors: &mut Vec<syn::Error>) -> Checked {
    let mut kinds: HashMap<String, &Kind> = HashMap::new();
    for scope in &input.scopes {
        let name = scope.ident.unraw().to_string();
        if kinds.insert(name.clone(), &scope.kind).is_some() {
            errors.push(syn::Error::new(scope.ident.span(), format!("scope `{name}` is declared twice")));
        }
        match &scope.kind {
            Kind::Required(lit) | Kind::Optional(lit) | Kind::Public(Some(lit)) if lit.value().trim().is_empty() => {
                errors.push(syn::Error::new(
                    lit.span(),
                    format!("the name of scope `{name}` is empty; write it as the server spells it, such as `\"read\"`"),
                ));
            }
            _ => {}
        }
    }
    let declared = || {
        let mut names: Vec<_> = input.scopes.iter().map(|s| format!("`{}`", s.ident.unraw())).collect();
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
                Some(_) => errors.push(syn::Error::new(
                    member.span(),
                    format!("`{name}` is not granted key kind by key kind (it is optional, public or itself any-of); an any-of scope names scopes such as `\"read\"`"),
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
        let mut scopes: Vec<Ident> = Vec::new();
        let mut names = HashSet::new();
        for scope in &grant.scopes {
            let name = scope.unraw().to_string();
            if !names.insert(name.clone()) {
                errors.push(syn::Error::new(scope.span(), format!("`{name}` is granted twice to `{kind}`")));
                continue;
            }
            match kinds.get(&name) {
                None => errors.push(syn::Error::new(
                    scope.span(),
                    format!("unknown scope `{name}`; `grants` names scopes declared in this `scopes!`: {}", declared()),
                )),
                Some(Kind::Required(_)) => scopes.push(scope.clone()),
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
        for any in &input.scopes {
            let Kind::AnyOf(members) = &any.kind else { continue };
            if members.iter().any(|m| names.contains(&m.unraw().to_string())) {
                scopes.push(any.ident.clone());
            }
        }
        grants.push((grant.kind.clone(), scopes));
    }
    Checked { grants }
}
