//! Parses the body of `scopes!`:
//!
//! ```text
//! credential = "token";
//! /// Read channels.
//! pub channels_read = "channels:read";
//! pub search = optional "search:read";
//! pub health = public;
//! pub history = channels_read | groups_read;
//! grants {
//!     UserToken: channels_read, groups_read;
//! }
//! ```

use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token, Visibility};

mod kw {
    syn::custom_keyword!(credential);
    syn::custom_keyword!(grants);
    syn::custom_keyword!(optional);
    syn::custom_keyword!(public);
}

/// What a scope is, by its right-hand side.
pub enum Kind {
    /// `"read"`: only the key kinds granted it; the key is sent.
    Required(LitStr),
    /// `optional "read"`: every key kind; the key is sent when there is one.
    Optional(LitStr),
    /// `public` or `public "name"`: every key kind; no key is sent.
    Public(Option<LitStr>),
    /// `read | publish`: the key kinds granted any of these scopes.
    AnyOf(Vec<Ident>),
}

pub struct ScopeDecl {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub kind: Kind,
}

/// `UserToken: channels_read, chat_write;` in `grants { ... }`.
pub struct Grant {
    pub kind: syn::Type,
    pub scopes: Vec<Ident>,
}

pub struct Input {
    pub credential: Option<LitStr>,
    pub krate: Option<syn::Path>,
    pub scopes: Vec<ScopeDecl>,
    pub grants: Vec<Grant>,
    /// Problems found while parsing that do not stop the parse.
    pub errors: Vec<syn::Error>,
}

const FORMS: &str = "`credential = \"token\";`, `crate = path;`, `pub name = \"wire:name\";` (or `optional \"wire:name\"`, `public`, `a | b`), `grants { KeyKind: scope, ...; }`";

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut parsed = Input {
            credential: None,
            krate: None,
            scopes: Vec::new(),
            grants: Vec::new(),
            errors: Vec::new(),
        };
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            if input.peek(kw::credential) && input.peek2(Token![=]) {
                // Input: `credential = "token";`
                let key = input.parse::<kw::credential>()?;
                input.parse::<Token![=]>()?;
                let value: LitStr = input.parse()?;
                input.parse::<Token![;]>()?;
                if parsed.credential.is_some() {
                    parsed.errors.push(syn::Error::new(key.span, "duplicate `credential`"));
                } else if value.value().trim().is_empty() {
                    parsed.errors.push(syn::Error::new(
                        value.span(),
                        "`credential` is the service's word for its key, such as `\"token\"`; it cannot be empty",
                    ));
                } else {
                    parsed.credential = Some(value);
                }
            } else if input.peek(Token![crate]) {
                // Input: `crate = fleet_sdk;`
                let key = input.parse::<Token![crate]>()?;
                input.parse::<Token![=]>()?;
                let value = input.call(syn::Path::parse_mod_style)?;
                input.parse::<Token![;]>()?;
                if parsed.krate.is_some() {
                    parsed.errors.push(syn::Error::new(key.span, "duplicate `crate`"));
                } else {
                    parsed.krate = Some(value);
                }
            } else if input.peek(kw::grants) && input.peek2(syn::token::Brace) {
                input.parse::<kw::grants>()?;
                let body;
                syn::braced!(body in input);
                while !body.is_empty() {
                    let kind: syn::Type = body.parse()?;
                    body.parse::<Token![:]>()?;
                    let mut scopes = Vec::new();
                    while !body.is_empty() && !body.peek(Token![;]) {
                        scopes.push(body.parse::<Ident>()?);
                        if body.peek(Token![,]) {
                            body.parse::<Token![,]>()?;
                        } else {
                            break;
                        }
                    }
                    if !body.is_empty() {
                        body.parse::<Token![;]>()?;
                    }
                    parsed.grants.push(Grant { kind, scopes });
                }
            } else {
                let vis: Visibility = input.parse()?;
                let lookahead = input.lookahead1();
                if !lookahead.peek(Ident) {
                    let mut err = lookahead.error();
                    err.combine(syn::Error::new(err.span(), format!("expected one of {FORMS}")));
                    return Err(err);
                }
                let ident: Ident = input.parse()?;
                input.parse::<Token![=]>()?;
                let kind = parse_kind(input, &ident, &mut parsed.errors)?;
                input.parse::<Token![;]>()?;
                if let Some(kind) = kind {
                    parsed.scopes.push(ScopeDecl {
                        attrs,
                        vis,
                        ident,
                        kind,
                    });
                }
            }
        }
        Ok(parsed)
    }
}

/// The right-hand side of `name = ...`; `None` (with an error) when it is
/// none of the forms, skipped up to the `;`.
fn parse_kind(input: ParseStream, ident: &Ident, errors: &mut Vec<syn::Error>) -> syn::Result<Option<Kind>> {
    if input.peek(LitStr) {
        return Ok(Some(Kind::Required(input.parse()?)));
    }
    if input.peek(kw::optional) && input.peek2(LitStr) {
        input.parse::<kw::optional>()?;
        return Ok(Some(Kind::Optional(input.parse()?)));
    }
    if input.peek(kw::public) && (input.peek2(Token![;]) || input.peek2(LitStr)) {
        input.parse::<kw::public>()?;
        let name = if input.peek(LitStr) { Some(input.parse()?) } else { None };
        return Ok(Some(Kind::Public(name)));
    }
    if input.peek(Ident) && input.peek2(Token![|]) {
        let mut members = vec![input.parse::<Ident>()?];
        while input.peek(Token![|]) {
            input.parse::<Token![|]>()?;
            members.push(input.parse()?);
        }
        return Ok(Some(Kind::AnyOf(members)));
    }
    let mut tokens = proc_macro2::TokenStream::new();
    while !input.is_empty() && !input.peek(Token![;]) {
        tokens.extend([input.parse::<proc_macro2::TokenTree>()?]);
    }
    let message = format!(
        "expected the scope's name as the server spells it: `{ident} = \"wire:name\"`, `{ident} = optional \"wire:name\"` (a key is sent when the client has one), `{ident} = public` (no key is sent), or `{ident} = a | b` (any of scopes declared here)"
    );
    errors.push(if tokens.is_empty() {
        syn::Error::new(input.span(), message)
    } else {
        syn::Error::new_spanned(tokens, message)
    });
    Ok(None)
}
