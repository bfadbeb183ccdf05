//! Checks an endpoint declaration, collecting every mistake.

use std::collections::HashSet;

use syn::ext::IdentExt;
use syn::{FnArg, GenericArgument, Ident, PathArguments, ReturnType, TraitItemFn, Type};

use crate::args::Paginate;
use crate::ast::{Arg, Binding, PageStyle, Pagination, Piece};

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

pub fn signature(item: &TraitItemFn, paginated: bool, errors: &mut Vec<syn::Error>) {
    let sig = &item.sig;
    if paginated {
        if let Some(token) = sig.asyncness {
            errors.push(syn::Error::new_spanned(
                token,
                "a paginated endpoint returns a stream, not a future: write `fn`, not `async fn`",
            ));
        }
    } else if sig.asyncness.is_none() {
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
    if paginated {
        if let ReturnType::Default = sig.output {
            errors.push(syn::Error::new_spanned(
                &sig.ident,
                "a paginated endpoint returns `Paginated<T, E>`, a stream of items `T` failing with `E`, the service's error type",
            ));
        }
    } else if ok_type(&sig.output).is_none() {
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

/// The styles `paginate = ...` takes, for messages.
const STYLES: &str = "`page(\"page\")`, `offset(\"offset\")`, `cursor(\"cursor\", next = \"/next_cursor\")`, `next_url(\"/links/next\")` or `link_header`";

/// Checks `paginate = ...` against the method and its arguments, and lifts it.
pub fn paginate(paginate: &Paginate, method: &Ident, args: &[Arg], errors: &mut Vec<syn::Error>) -> Option<Pagination> {
    let before = errors.len();
    let style = paginate.style.to_string();
    // What the string in parentheses is, and the options the style takes.
    let (target, options): (Option<&str>, &[&str]) = match style.as_str() {
        "page" => (
            Some("the query parameter's name: `page(\"page\")`"),
            &["items", "total", "more", "start"],
        ),
        "offset" => (
            Some("the query parameter's name: `offset(\"offset\")`"),
            &["items", "total", "more"],
        ),
        "cursor" => (
            Some("the query parameter's name: `cursor(\"cursor\", next = \"/next_cursor\")`"),
            &["next", "items", "more"],
        ),
        "next_url" => (
            Some("the JSON pointer to the next page's URL in the body: `next_url(\"/links/next\")`"),
            &["items", "more"],
        ),
        "link_header" => (None, &["items", "more"]),
        _ => {
            errors.push(syn::Error::new_spanned(
                &paginate.style,
                format!("unknown pagination style `{style}`; expected {STYLES}"),
            ));
            return None;
        }
    };
    if !method.to_string().eq_ignore_ascii_case("GET") {
        errors.push(syn::Error::new_spanned(
            method,
            "`paginate` needs a `GET` endpoint: each following page repeats its request",
        ));
    }
    let name = match (target, &paginate.target) {
        (Some(what), None) => {
            errors.push(syn::Error::new(
                paginate.parens.unwrap_or_else(|| paginate.style.span()),
                format!("`{style}` needs {what}"),
            ));
            None
        }
        (None, Some(lit)) => {
            errors.push(syn::Error::new_spanned(
                lit,
                "`link_header` takes no name: the next page's URL is the `Link` header's `rel=\"next\"`",
            ));
            None
        }
        (Some(_), Some(lit)) if lit.value().is_empty() => {
            errors.push(syn::Error::new_spanned(
                lit,
                format!("`{style}` needs a name, not `\"\"`"),
            ));
            None
        }
        (Some(_), Some(lit)) => {
            if style == "next_url" {
                pointer(lit, false, errors);
            }
            Some(lit.value())
        }
        (None, None) => None,
    };
    // `#[query("page")]` sending what the walk sets on every page.
    if let Some(param) = name.as_ref().filter(|_| style != "next_url") {
        for arg in args {
            if let Binding::Query(key, _) = &arg.binding
                && key == param
            {
                errors.push(syn::Error::new_spanned(
                    &arg.site,
                    format!("query parameter `{param}` is set by `paginate = {style}(\"{param}\")` on every page; remove this argument"),
                ));
            }
        }
    }
    let mut found: Vec<(String, &syn::Lit)> = Vec::new();
    for (key, value) in &paginate.options {
        let key_name = key.to_string();
        if !options.contains(&key_name.as_str()) {
            let valid = options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ");
            errors.push(syn::Error::new_spanned(
                key,
                format!("`{style}` takes no option `{key_name}`; its options are {valid}"),
            ));
            continue;
        }
        if found.iter().any(|(k, _)| *k == key_name) {
            errors.push(syn::Error::new_spanned(key, format!("duplicate option `{key_name}`")));
            continue;
        }
        let ok = match (key_name.as_str(), value) {
            ("start", syn::Lit::Int(n)) => matches!(n.base10_parse::<u64>(), Ok(0 | 1)),
            ("start", _) => false,
            (_, syn::Lit::Str(s)) => pointer(s, key_name == "items", errors),
            _ => false,
        };
        if !ok {
            if !matches!(value, syn::Lit::Str(_)) || key_name == "start" {
                let expected = if key_name == "start" {
                    "`start` is the first page's number: `start = 0` or `start = 1`"
                } else {
                    "expected a JSON pointer, such as `\"/data\"`"
                };
                errors.push(syn::Error::new_spanned(value, expected));
            }
            continue;
        }
        found.push((key_name, value));
    }
    let text = |key: &str| {
        found.iter().find(|(k, _)| k == key).and_then(|(_, v)| match v {
            syn::Lit::Str(s) => Some(s.value()),
            _ => None,
        })
    };
    let start = found
        .iter()
        .find(|(k, _)| k == "start")
        .and_then(|(_, v)| match v {
            syn::Lit::Int(n) => n.base10_parse::<u64>().ok(),
            _ => None,
        })
        .unwrap_or(1);
    if style == "cursor" && text("next").is_none() && !paginate.options.iter().any(|(k, _)| k == "next") {
        errors.push(syn::Error::new(
            paginate.parens.unwrap_or_else(|| paginate.style.span()),
            "`cursor` needs `next = \"/pointer\"`, where the body holds the next page's cursor",
        ));
    }
    if errors.len() > before {
        return None;
    }
    let style = match style.as_str() {
        "page" => PageStyle::Page { param: name?, start },
        "offset" => PageStyle::Offset { param: name? },
        "cursor" => PageStyle::Cursor {
            param: name?,
            next: text("next")?,
        },
        "next_url" => PageStyle::NextUrl { next: name? },
        _ => PageStyle::LinkHeader,
    };
    Some(Pagination {
        style,
        items: text("items").unwrap_or_default(),
        total: text("total"),
        more: text("more"),
    })
}

/// A JSON pointer (RFC 6901): `""` (the whole body, only where `whole` is
/// allowed) or `/` and the path. Reports it if not.
fn pointer(lit: &syn::LitStr, whole: bool, errors: &mut Vec<syn::Error>) -> bool {
    let value = lit.value();
    if value.starts_with('/') || (whole && value.is_empty()) {
        return true;
    }
    let hint = if whole { "`\"\"` for the whole body, or " } else { "" };
    errors.push(syn::Error::new_spanned(
        lit,
        format!(
            "`{value}` is not a JSON pointer; write {hint}`/` and the path, such as `\"/{}\"`",
            value.trim_start_matches(['.', '$']).replace('.', "/")
        ),
    ));
    false
}
