//! Parses the attribute's arguments: `GET, "/scans/{id}", scope = read`.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

mod kw {
    syn::custom_keyword!(scope);
    syn::custom_keyword!(retry);
    syn::custom_keyword!(never);
    syn::custom_keyword!(idempotent);
    syn::custom_keyword!(paginate);
}

/// The keys an endpoint attribute accepts after the method and the path.
pub const KEYS: &str = "`scope`, `retry`, `idempotent`, `paginate`, `crate`";

pub struct Args {
    pub method: Ident,
    pub path: Option<LitStr>,
    /// The scope (a trait made by `scopes!`), as written: resolved where
    /// the endpoint is declared.
    pub scope: Option<syn::Path>,
    /// `crate = path`: the SDK crate whose `__private` generated code names.
    pub krate: Option<syn::Path>,
    /// `retry = never` (1 attempt) or `retry = N` (N attempts).
    pub max_attempts: Option<u32>,
    /// `idempotent` (or `= true`): the API makes a repeat harmless;
    /// `idempotent = false`: it does not, whatever the method.
    pub idempotent: Option<bool>,
    /// `paginate = style(...)`, as written: checked in `valid`.
    pub paginate: Option<Paginate>,
    /// All the arguments, where an error about a missing one points.
    pub tokens: proc_macro2::TokenStream,
    /// Problems found while parsing that do not stop the parse.
    pub errors: Vec<syn::Error>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut errors = Vec::new();
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "expected `#[endpoint(METHOD, \"/path\", scope = ...)]`",
            ));
        }
        let tokens = input.cursor().token_stream();
        let method: Ident = input.parse()?;
        input.parse::<Token![,]>()?;
        // Input: `"/scans/{id}"`; anything else (a const, `concat!`) is refused
        // so the path can be checked against the arguments at compile time.
        let path = if input.peek(LitStr) {
            Some(input.parse::<LitStr>()?)
        } else {
            let tokens: proc_macro2::TokenStream = parse_until_comma(input)?;
            errors.push(syn::Error::new_spanned(
                tokens,
                "the path must be a string literal, such as `\"/scans/{id}\"`",
            ));
            None
        };
        let mut scope = None;
        let mut krate = None;
        let mut max_attempts = None;
        let mut idempotent = None;
        let mut paginate = None;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let lookahead = input.lookahead1();
            if lookahead.peek(kw::scope) {
                let key = input.parse::<kw::scope>()?;
                input.parse::<Token![=]>()?;
                let value: syn::Path = input.parse()?;
                if input.peek(Token![|]) {
                    // Input: `scope = read | publish`: no bound says "either".
                    let rest = parse_until_comma(input)?;
                    errors.push(syn::Error::new_spanned(
                        quote::quote!(#value #rest),
                        format!(
                            "an endpoint names one scope; declare one the server accepts under either in `scopes!`, `pub either = {};`, and write `scope = either`",
                            quote::quote!(#value #rest)
                        ),
                    ));
                }
                if scope.is_some() {
                    errors.push(syn::Error::new(key.span, "duplicate key `scope`"));
                } else {
                    scope = Some(value);
                }
            } else if lookahead.peek(kw::retry) {
                let key = input.parse::<kw::retry>()?;
                input.parse::<Token![=]>()?;
                let value = if input.peek(kw::never) {
                    input.parse::<kw::never>()?;
                    1
                } else if input.peek(syn::LitInt) {
                    let lit: syn::LitInt = input.parse()?;
                    match lit.base10_parse::<u32>() {
                        Ok(n) if n >= 1 => n,
                        _ => {
                            errors.push(syn::Error::new(
                                lit.span(),
                                "`retry` takes `never` or a number of attempts, at least 1",
                            ));
                            1
                        }
                    }
                } else {
                    let tokens = parse_until_comma(input)?;
                    errors.push(syn::Error::new_spanned(
                        tokens,
                        "`retry` takes `never` or a number of attempts: `retry = 3`",
                    ));
                    1
                };
                if max_attempts.is_some() {
                    errors.push(syn::Error::new(key.span, "duplicate key `retry`"));
                } else {
                    max_attempts = Some(value);
                }
            } else if lookahead.peek(kw::idempotent) {
                // Input: `idempotent`, a flag, or `idempotent = false`.
                let key = input.parse::<kw::idempotent>()?;
                let value = if input.peek(Token![=]) {
                    input.parse::<Token![=]>()?;
                    input.parse::<syn::LitBool>()?.value
                } else {
                    true
                };
                if idempotent.is_some() {
                    errors.push(syn::Error::new(key.span, "duplicate key `idempotent`"));
                }
                idempotent = Some(value);
            } else if lookahead.peek(kw::paginate) {
                let key = input.parse::<kw::paginate>()?;
                input.parse::<Token![=]>()?;
                let value: Paginate = input.parse()?;
                if paginate.is_some() {
                    errors.push(syn::Error::new(key.span, "duplicate key `paginate`"));
                } else {
                    paginate = Some(value);
                }
            } else if lookahead.peek(Token![crate]) {
                // Input: `crate = fleet_sdk` (or `crate = ::fleet_sdk`, `crate = crate`).
                let key = input.parse::<Token![crate]>()?;
                input.parse::<Token![=]>()?;
                let value: syn::Path = if input.peek(LitStr) {
                    input.parse::<LitStr>()?.parse()?
                } else {
                    input.call(syn::Path::parse_mod_style)?
                };
                if krate.is_some() {
                    errors.push(syn::Error::new(key.span, "duplicate key `crate`"));
                } else {
                    krate = Some(value);
                }
            } else if input.peek(Ident) {
                let key: Ident = input.parse()?;
                errors.push(syn::Error::new(
                    key.span(),
                    format!("unknown key `{key}`; the valid keys are {KEYS}"),
                ));
                if input.parse::<Option<Token![=]>>()?.is_some() {
                    parse_until_comma(input)?;
                }
            } else {
                return Err(lookahead.error());
            }
        }
        Ok(Args {
            method,
            path,
            scope,
            krate,
            max_attempts,
            idempotent,
            paginate,
            tokens,
            errors,
        })
    }
}

/// `paginate = page("page", total = "/total")`: a style, then in
/// parentheses an optional string (a query parameter's name, or a JSON
/// pointer) and `key = literal` options. Which style and options are valid
/// is `valid`'s business, so every mistake is reported at once.
pub struct Paginate {
    pub style: Ident,
    /// The parentheses, where an error about their content points.
    pub parens: Option<proc_macro2::Span>,
    pub target: Option<LitStr>,
    pub options: Vec<(Ident, syn::Lit)>,
}

impl Parse for Paginate {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        // Input: `link_header`, `next_url("/links/next")`,
        // `cursor("cursor", next = "/meta/next", items = "/data")`.
        let style: Ident = input.parse()?;
        let mut paginate = Paginate {
            style,
            parens: None,
            target: None,
            options: Vec::new(),
        };
        if !input.peek(syn::token::Paren) {
            return Ok(paginate);
        }
        let content;
        let parens = syn::parenthesized!(content in input);
        paginate.parens = Some(parens.span.join());
        if content.peek(LitStr) {
            paginate.target = Some(content.parse()?);
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        while !content.is_empty() {
            let key: Ident = content.parse()?;
            content.parse::<Token![=]>()?;
            let value: syn::Lit = content.parse()?;
            paginate.options.push((key, value));
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        Ok(paginate)
    }
}

fn parse_until_comma(input: ParseStream) -> syn::Result<proc_macro2::TokenStream> {
    let mut tokens = proc_macro2::TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        let tt: proc_macro2::TokenTree = input.parse()?;
        tokens.extend([tt]);
    }
    Ok(tokens)
}
