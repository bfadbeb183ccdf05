//! Lifts the trait method and its arguments into small structs.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Attribute, FnArg, Ident, LitStr, Pat, TraitItemFn, Type};

/// How a method argument is sent.
pub enum Binding {
    /// A `{name}` path placeholder, by its own name or `#[path("name")]`.
    Path(String),
    /// `#[query]` or `#[query("name")]`: one `name=value` pair.
    Query(String),
    /// `#[query(flatten)]`: every field of a serde struct.
    QueryAll,
    /// `#[body]`: the JSON body.
    Body,
    /// `#[header("Name")]`.
    Header(LitStr),
    /// No attribute and no placeholder of that name (an error, reported later).
    Unbound,
    /// A malformed binding attribute, already reported: not reported again
    /// as unbound.
    Invalid,
}

pub struct Arg {
    pub ident: Ident,
    pub ty: Type,
    pub binding: Binding,
    /// Where errors about the binding point: the name in `#[path("name")]`,
    /// the binding attribute, or the argument's name when there is none.
    pub site: TokenStream,
}

/// A piece of the path template.
pub enum Piece {
    Literal(String),
    Param(String),
}

/// Arguments that bind by attribute.
const ARG_ATTRS: [&str; 4] = ["path", "query", "body", "header"];

pub fn is_arg_attr(attr: &Attribute) -> bool {
    ARG_ATTRS.iter().any(|name| attr.path().is_ident(name))
}

/// Lifts the method's typed arguments, reporting malformed ones in `errors`.
/// Arguments named in `placeholders` bind to the path without an attribute.
pub fn args(item: &TraitItemFn, placeholders: &[String], errors: &mut Vec<syn::Error>) -> Vec<Arg> {
    let mut out = Vec::new();
    for input in &item.sig.inputs {
        let FnArg::Typed(pat_type) = input else { continue };
        let ident = match &*pat_type.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => p.ident.clone(),
            other => {
                errors.push(syn::Error::new_spanned(
                    other,
                    "endpoint arguments must be plain names, such as `id: &str`",
                ));
                continue;
            }
        };
        let mut binding = None;
        let mut malformed = false;
        let mut site = ident.to_token_stream();
        for attr in pat_type.attrs.iter().filter(|a| is_arg_attr(a)) {
            if binding.is_some() {
                errors.push(syn::Error::new_spanned(
                    attr,
                    format!(
                        "argument `{ident}` is already bound; use one of `#[path]`, `#[query]`, `#[body]`, `#[header]`"
                    ),
                ));
                continue;
            }
            match binding_of(attr, &ident) {
                Ok(b) => {
                    site = match (&b, &attr.meta) {
                        (Binding::Path(_), syn::Meta::List(list)) => list.tokens.clone(),
                        _ => attr.to_token_stream(),
                    };
                    binding = Some(b);
                }
                Err(e) => {
                    errors.push(e);
                    malformed = true;
                }
            }
        }
        let binding = binding.unwrap_or_else(|| {
            // `r#type` binds to `{type}`.
            let name = ident.unraw().to_string();
            if malformed {
                Binding::Invalid
            } else if placeholders.contains(&name) {
                Binding::Path(name)
            } else {
                Binding::Unbound
            }
        });
        out.push(Arg {
            ident,
            ty: (*pat_type.ty).clone(),
            binding,
            site,
        });
    }
    out
}

fn binding_of(attr: &Attribute, ident: &Ident) -> syn::Result<Binding> {
    let name = attr.path().get_ident().map(Ident::to_string).unwrap_or_default();
    let own_name = || ident.unraw().to_string();
    match (name.as_str(), &attr.meta) {
        ("body", syn::Meta::Path(_)) => Ok(Binding::Body),
        ("path", syn::Meta::Path(_)) => Ok(Binding::Path(own_name())),
        ("path", syn::Meta::List(_)) => Ok(Binding::Path(attr.parse_args::<LitStr>()?.value())),
        ("query", syn::Meta::Path(_)) => Ok(Binding::Query(own_name())),
        ("query", syn::Meta::List(list)) => {
            if let Ok(flag) = syn::parse2::<Ident>(list.tokens.clone()) {
                if flag == "flatten" {
                    return Ok(Binding::QueryAll);
                }
                return Err(syn::Error::new_spanned(
                    flag,
                    "expected `#[query]`, `#[query(\"name\")]` or `#[query(flatten)]`",
                ));
            }
            Ok(Binding::Query(attr.parse_args::<LitStr>()?.value()))
        }
        ("header", syn::Meta::List(_)) => Ok(Binding::Header(attr.parse_args::<LitStr>()?)),
        ("header", _) => Err(syn::Error::new_spanned(
            attr,
            "a header needs its name: `#[header(\"X-Request-Id\")]`",
        )),
        _ => Err(syn::Error::new_spanned(
            attr,
            format!(
                "expected `#[{name}]`{}",
                if name == "body" {
                    ""
                } else {
                    " or with a name in parentheses"
                }
            ),
        )),
    }
}

/// Splits `/scans/{id}/status` into literal and parameter pieces.
pub fn template(path: &LitStr, errors: &mut Vec<syn::Error>) -> Vec<Piece> {
    let value = path.value();
    let mut pieces = Vec::new();
    let mut rest = value.as_str();
    if !rest.starts_with('/') {
        errors.push(syn::Error::new_spanned(
            path,
            "the path must start with `/`, relative to the base URL (\"/scans/{id}\")",
        ));
    }
    if rest.contains(['?', '#']) {
        errors.push(syn::Error::new_spanned(
            path,
            "the path cannot hold a query or fragment; bind query parameters with `#[query]`",
        ));
    }
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            errors.push(syn::Error::new_spanned(path, "unmatched `}` in the path"));
            return pieces;
        }
        let Some(len) = rest[open..].find('}') else {
            errors.push(syn::Error::new_spanned(path, "unclosed `{` in the path"));
            return pieces;
        };
        let name = &rest[open + 1..open + len];
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            errors.push(syn::Error::new_spanned(
                path,
                format!("path parameter `{{{name}}}` must be a name made of letters, digits and `_`"),
            ));
        }
        if open > 0 {
            pieces.push(Piece::Literal(rest[..open].to_owned()));
        }
        let whole_segment =
            rest[..open].ends_with('/') && matches!(rest[open + len + 1..].chars().next(), None | Some('/'));
        if valid && !whole_segment {
            errors.push(syn::Error::new_spanned(
                path,
                format!("path parameter `{{{name}}}` must be a whole path segment, between two `/`"),
            ));
        }
        pieces.push(Piece::Param(name.to_owned()));
        rest = &rest[open + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_owned()));
    }
    pieces
}
