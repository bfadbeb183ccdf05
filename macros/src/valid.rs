//! Checks an endpoint declaration, collecting every mistake.

use std::collections::HashSet;

use syn::ext::IdentExt;
use syn::{FnArg, GenericArgument, Ident, PathArguments, ReturnType, TraitItemFn, Type};

use crate::ast::{Arg, Binding, Piece};

pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

pub fn method(method: &Ident, errors: &mut Vec<syn::Error>) {
    let name = method.to_string();
    if !METHODS.contains(&name.as_str()) {
        let hint = if METHODS.contains(&name.to_ascii_uppercase().as_str()) {
            format!("; write it in upper case: `{}`", name.to_ascii_uppercase())
        } else {
            String::new()
        };
        errors.push(syn::Error::new(
            method.span(),
            format!("unknown HTTP method `{name}`; expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`{hint}"),
        ));
    }
}

pub fn signature(item: &TraitItemFn, errors: &mut Vec<syn::Error>) {
    let sig = &item.sig;
    if sig.asyncness.is_none() {
        errors.push(syn::Error::new_spanned(
            sig.fn_token,
            format!("endpoint methods are `async fn`: write `async fn {}`", sig.ident),
        ));
    }
    match sig.inputs.first() {
        Some(FnArg::Receiver(r)) if matches!(r.kind, syn::ReceiverKind::Reference(_, _, None)) => {}
        Some(FnArg::Receiver(r)) => errors.push(syn::Error::new_spanned(r, "endpoint methods take `&self`")),
        _ => errors.push(syn::Error::new_spanned(
            &sig.ident,
            format!("endpoint methods take `&self` first: `fn {}(&self, ...)`", sig.ident),
        )),
    }
    if let Some(body) = &item.default {
        errors.push(syn::Error::new_spanned(
            body,
            "endpoint methods have no body; `#[endpoint]` writes it: end the declaration with `;`",
        ));
    }
    // Lifetimes are fine: the request is built before the future is made.
    for param in &sig.generics.params {
        match param {
            syn::GenericParam::Lifetime(_) => {}
            other => errors.push(syn::Error::new_spanned(
                other,
                "endpoint methods cannot have type or const parameters; take a concrete type, or `impl Serialize` as an argument",
            )),
        }
    }
    if ok_type(&sig.output).is_none() {
        let msg = "endpoint methods return `Result<T, E>` (or an alias of it, of any name, whose first parameter is `T`: `FleetResult<T>`), with `T` a type to decode from JSON, `()` for an empty body, `String` for text, `ByteStream` or `Response<T>`, and `E` the service's error type";
        match &sig.output {
            ReturnType::Default => errors.push(syn::Error::new_spanned(&sig.ident, msg)),
            ReturnType::Type(_, ty) => errors.push(syn::Error::new_spanned(ty, msg)),
        }
    }
}

/// `T` of a return type `Result<T, E>`, or of an alias of any name whose
/// first parameter is `T` (`Result<T>`, `FleetResult<T>`).
pub fn ok_type(output: &ReturnType) -> Option<&Type> {
    let ReturnType::Type(_, ty) = output else { return None };
    let Type::Path(path) = &**ty else { return None };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

pub fn bindings(method: &Ident, path: &syn::LitStr, pieces: &[Piece], args: &[Arg], errors: &mut Vec<syn::Error>) {
    let mut seen = HashSet::new();
    for piece in pieces {
        if let Piece::Param(name, _) = piece
            && !seen.insert(name.as_str())
        {
            errors.push(syn::Error::new_spanned(
                path,
                format!("path parameter `{{{name}}}` appears twice"),
            ));
        }
    }
    for name in &seen {
        let bound = args
            .iter()
            .filter(|a| matches!(&a.binding, Binding::Path(n) if n == name))
            .count();
        if bound == 0 {
            errors.push(syn::Error::new_spanned(
                path,
                format!("path parameter `{{{name}}}` has no matching argument; add `{name}: &str`, or bind one with `#[path(\"{name}\")]`"),
            ));
        } else if bound > 1 {
            errors.push(syn::Error::new_spanned(
                path,
                format!("path parameter `{{{name}}}` is bound by {bound} arguments"),
            ));
        }
    }
    let urls = args.iter().filter(|a| matches!(a.binding, Binding::Url)).count();
    match (path.value().is_empty(), urls) {
        (true, 0) => errors.push(syn::Error::new_spanned(
            path,
            "an empty path needs a `#[url] next: &str` argument, the whole URL to call",
        )),
        (false, 1..) => errors.push(syn::Error::new_spanned(
            path,
            "an endpoint with a `#[url]` argument takes its whole URL from it: make the path `\"\"`",
        )),
        (_, 2..) => errors.push(syn::Error::new_spanned(
            path,
            "an endpoint has at most one `#[url]` argument",
        )),
        _ => {}
    }
    let mut headers: Vec<String> = Vec::new();
    let mut bodies = 0;
    for arg in args {
        match &arg.binding {
            Binding::Unbound => errors.push(syn::Error::new(
                arg.ident.span(),
                format!(
                    "argument `{}` is not bound to the request; use `{{{}}}` in the path, or mark it `#[query]`, `#[body]` or `#[header(\"Name\")]`",
                    arg.ident,
                    arg.ident.unraw()
                ),
            )),
            Binding::Path(name) if !seen.contains(name.as_str()) => errors.push(syn::Error::new_spanned(
                &arg.site,
                format!("`#[path]` names `{{{name}}}`, which is not in the path"),
            )),
            Binding::Body(_) => {
                bodies += 1;
                // `get` is reported as a method in upper case; the body is
                // still wrong, and reported in the same build.
                let method = method.to_string().to_ascii_uppercase();
                if method == "GET" || method == "DELETE" || method == "HEAD" {
                    errors.push(syn::Error::new_spanned(&arg.site, format!("a `{method}` endpoint cannot have a body; send it as `#[query]`")));
                } else if bodies > 1 {
                    errors.push(syn::Error::new_spanned(&arg.site, "an endpoint has at most one `#[body]`; put the fields in one struct"));
                }
            }
            Binding::Header(name) => {
                let valid = !name.value().is_empty()
                    && name.value().bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                if !valid {
                    errors.push(syn::Error::new_spanned(name, "not a valid HTTP header name"));
                }
                let lower = name.value().to_ascii_lowercase();
                if headers.contains(&lower) {
                    errors.push(syn::Error::new_spanned(
                        name,
                        format!("header `{}` is bound by two arguments; a header is sent once, from one argument", name.value()),
                    ));
                }
                headers.push(lower);
            }
            _ => {}
        }
    }
}
