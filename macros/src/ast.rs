//! Lifts the trait method and its arguments into small structs.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Attribute, FnArg, Ident, LitStr, Pat, TraitItemFn, Type};

/// How a method argument is sent.
pub enum Binding {
    /// A `{name}` path placeholder, by its own name or `#[path("name")]`.
    Path(String),
    /// `#[query]` or `#[query("name")]`: one `name=value` pair (a sequence
    /// repeats the key), in the style given after the name.
    Query(String, QueryStyle),
    /// `#[query(flatten)]`: every field of a serde struct.
    QueryAll,
    /// `#[body]`: the JSON body; `#[body(form)]`: a form-encoded one.
    Body(BodyKind),
    /// `#[header("Name")]`.
    Header(LitStr),
    /// `#[url]`: the whole URL, given at call time (a link an answer handed
    /// out); the endpoint's path template is then `""`.
    Url,
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

/// How a `#[query]` argument is written, named as OpenAPI names it.
#[derive(Clone, Copy, PartialEq)]
pub enum QueryStyle {
    /// `style: form, explode: true` (the default): `tag=a&tag=b`.
    Form,
    /// `explode = false`: `tag=a,b`.
    Joined,
    /// `deep_object`: `filter[status]=open&filter[page]=2`.
    DeepObject,
}

/// What a `#[body]` argument is sent as.
#[derive(Clone, Copy, PartialEq)]
pub enum BodyKind {
    /// JSON (`#[body]`).
    Json,
    /// `application/x-www-form-urlencoded` (`#[body(form)]`).
    Form,
    /// The bytes or text as they are (`#[body(raw)]`).
    Raw,
    /// `multipart/form-data`, streamed (`#[body(multipart)]`).
    Multipart,
}

/// A piece of the path template.
pub enum Piece {
    Literal(String),
    /// `{name}`: one segment; `{name*}` (`multi`): one or more segments,
    /// `/` kept between them.
    Param(String, bool),
    /// `https://host`: the template is an absolute URL on another origin
    /// than the base URL's (always the first piece).
    Origin(String),
}

/// Arguments that bind by attribute.
const ARG_ATTRS: [&str; 5] = ["path", "query", "body", "header", "url"];

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
        ("body", syn::Meta::Path(_)) => Ok(Binding::Body(BodyKind::Json)),
        ("body", syn::Meta::List(list)) => match syn::parse2::<Ident>(list.tokens.clone()) {
            Ok(kind) if kind == "form" => Ok(Binding::Body(BodyKind::Form)),
            Ok(kind) if kind == "json" => Ok(Binding::Body(BodyKind::Json)),
            Ok(kind) if kind == "raw" => Ok(Binding::Body(BodyKind::Raw)),
            Ok(kind) if kind == "multipart" => Ok(Binding::Body(BodyKind::Multipart)),
            _ => Err(syn::Error::new_spanned(
                &list.tokens,
                "expected `#[body]` (JSON), `#[body(form)]` (`application/x-www-form-urlencoded`), `#[body(multipart)]` (`multipart/form-data`, files streamed) or `#[body(raw)]` (bytes or text as they are)",
            )),
        },
        ("path", syn::Meta::Path(_)) => Ok(Binding::Path(own_name())),
        ("url", syn::Meta::Path(_)) => Ok(Binding::Url),
        ("path", syn::Meta::List(_)) => Ok(Binding::Path(attr.parse_args::<LitStr>()?.value())),
        ("query", syn::Meta::Path(_)) => Ok(Binding::Query(own_name(), QueryStyle::Form)),
        ("query", syn::Meta::List(_)) => attr.parse_args_with(|input: syn::parse::ParseStream| {
            let expected = "expected `#[query]`, `#[query(\"name\")]`, `#[query(flatten)]`, or a style after the name: `#[query(\"tag\", explode = false)]` (`tag=a,b`), `#[query(\"filter\", deep_object)]` (`filter[status]=open`)";
            let name = if input.peek(LitStr) {
                let name = input.parse::<LitStr>()?.value();
                if !input.is_empty() {
                    input.parse::<syn::Token![,]>()?;
                }
                Some(name)
            } else {
                None
            };
            let mut style = QueryStyle::Form;
            while !input.is_empty() {
                let option: Ident = input.parse().map_err(|e| syn::Error::new(e.span(), expected))?;
                match option.to_string().as_str() {
                    "flatten" if name.is_none() && input.is_empty() => return Ok(Binding::QueryAll),
                    "deep_object" => style = QueryStyle::DeepObject,
                    "explode" => {
                        input.parse::<syn::Token![=]>()?;
                        let explode: syn::LitBool = input.parse()?;
                        style = if explode.value { QueryStyle::Form } else { QueryStyle::Joined };
                    }
                    _ => return Err(syn::Error::new_spanned(option, expected)),
                }
                if !input.is_empty() {
                    input.parse::<syn::Token![,]>()?;
                }
            }
            Ok(Binding::Query(name.unwrap_or_else(own_name), style))
        }),
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
    if rest.is_empty() {
        return pieces; // only with a `#[url]` argument (checked in `valid`)
    }
    // `https://uploads.example.com/files`: another origin of the API.
    if let Some(after) = rest.strip_prefix("https://").or_else(|| rest.strip_prefix("http://")) {
        let end = rest.len() - after.len() + after.find('/').unwrap_or(after.len());
        let origin = &rest[..end];
        let authority = &rest[rest.len() - after.len()..end];
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !authority.ends_with(']') => (host, Some(port)),
            _ => (authority, None),
        };
        let host_ok = !host.is_empty()
            && (host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                || (host.starts_with('[') && host.ends_with(']')));
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
        if !host_ok || !port_ok {
            errors.push(syn::Error::new_spanned(
                path,
                "an absolute path template names a fixed origin, `https://host[:port]`, then the path: \"https://uploads.example.com/files/{name}\"",
            ));
            return pieces;
        }
        pieces.push(Piece::Origin(origin.to_owned()));
        rest = &rest[end..];
        if rest.is_empty() {
            return pieces;
        }
    }
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
        let inside = &rest[open + 1..open + len];
        let (name, multi) = match inside.strip_suffix('*') {
            Some(name) => (name, true),
            None => (inside, false),
        };
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            errors.push(syn::Error::new_spanned(
                path,
                format!(
                    "path parameter `{{{inside}}}` must be a name made of letters, digits and `_` (with `*` after it for several segments: `{{path*}}`)"
                ),
            ));
        }
        if open > 0 {
            pieces.push(Piece::Literal(rest[..open].to_owned()));
        }
        let whole_segment =
            rest[..open].ends_with('/') && matches!(rest[open + len + 1..].chars().next(), None | Some('/'));
        // `{name}` may share its segment with text (`org.couchdb.user:{name}`):
        // its value is encoded as segment text either way. `{name*}` spans
        // whole segments only.
        if valid && multi && !whole_segment {
            errors.push(syn::Error::new_spanned(
                path,
                format!("path parameter `{{{inside}}}` must be whole path segments, between two `/`"),
            ));
        }
        if valid {
            pieces.push(Piece::Param(name.to_owned(), multi));
        }
        rest = &rest[open + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_owned()));
    }
    pieces
}

/// A checked `paginate = ...`: what the runtime's `Pagination` gets.
pub struct Pagination {
    pub style: PageStyle,
    pub items: String,
    pub total: Option<String>,
    pub more: Option<String>,
}

/// Where the next page is (the runtime's `PageStyle`).
pub enum PageStyle {
    Page { param: String, start: u64 },
    Offset { param: String },
    Cursor { param: String, next: String },
    NextUrl { next: String },
    LinkHeader,
}
