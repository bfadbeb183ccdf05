//! Generates a trait per scope, its `Scope` metadata, and the grants.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::parse::{Input, Kind};
use super::valid::Checked;

/// The word for a key when the service names none.
const DEFAULT_CREDENTIAL: &str = "API key";

// Input:
//     credential = "token";
//     /// Read channels.
//     pub channels_read = "channels:read";
//     grants { UserToken: channels_read; }
// Output:
//     /// Read channels.
//     #[diagnostic::on_unimplemented(message = "token missing required scope: channels:read", ...)]
//     pub trait channels_read {}
//     impl ::rt::__private::v0_1::Scope for dyn channels_read {
//         const NAME: &'static str = "channels:read";
//         const KEY: ::rt::__private::v0_1::KeyUse = ::rt::__private::v0_1::KeyUse::Required;
//     }
//     impl channels_read for UserToken {}
//
// A scope is a trait, not a type, because a trait's `on_unimplemented`
// message is literal text: each scope's error can then carry its wire
// name, whatever characters it has, and the service's word for its key.
// Grants are one explicit impl per key kind (never a blanket impl), so that
// rustc's help lists exactly the key kinds holding the scope, and any-of
// scopes never overlap.
pub fn expand(input: &Input, checked: &Checked, errors: &mut Vec<syn::Error>) -> TokenStream {
    let krate = match &input.krate {
        Some(path) => quote!(#path),
        None => match crate::krate::default_path() {
            Ok(path) => path,
            Err(e) => {
                errors.push(e);
                return TokenStream::new();
            }
        },
    };
    let version = crate::expand::private_module();
    let p = quote!(#krate::__private::#version);
    let credential = input
        .credential
        .as_ref()
        .map_or_else(|| DEFAULT_CREDENTIAL.to_owned(), |c| c.value());
    let mut out = TokenStream::new();
    for &i in &checked.scopes {
        let scope = &input.scopes[i];
        let ident = &scope.ident;
        let rust_name = ident.unraw().to_string();
        let (name, key) = match &scope.kind {
            Kind::Required(lit) => (lit.value(), quote!(Required)),
            Kind::Optional(lit) => (lit.value(), quote!(Optional)),
            Kind::Public(lit) => (
                lit.as_ref().map_or_else(|| "public".to_owned(), |l| l.value()),
                quote!(Never),
            ),
            Kind::AnyOf(members) => {
                let names: Vec<String> = members.iter().map(|m| wire_name(input, m)).collect();
                (names.join(" or "), quote!(Required))
            }
        };
        let attrs = &scope.attrs;
        let vis = &scope.vis;
        // `{` and `}` are format syntax in these strings.
        let text = escape(&name);
        let message = format!("{} missing required scope: {text}", escape(&credential));
        let label = match &scope.kind {
            Kind::AnyOf(members) => {
                let names: Vec<String> = members
                    .iter()
                    .map(|m| format!("`{}`", escape(&wire_name(input, m))))
                    .collect();
                format!("key kind `{{Self}}` is granted none of {}", names.join(", "))
            }
            _ => format!("key kind `{{Self}}` is not granted scope `{text}`"),
        };
        let note = match &scope.kind {
            Kind::AnyOf(_) => "call it on a client whose key kind holds one of these scopes (the kinds listed below), or grant one to a key kind of yours in the `grants` of `scopes!`".to_owned(),
            _ => format!(
                "call it on a client whose key kind is granted it (the kinds listed below), or grant it to a key kind of yours: `impl {rust_name} for YourKey {{{{}}}}`"
            ),
        };
        // Spanned on the scope's name: rustc points there, not at the
        // whole `scopes!`, when it shows the trait.
        out.extend(quote_spanned! {ident.span()=>
            #(#attrs)*
            #[allow(non_camel_case_types)]
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            #vis trait #ident {}

            impl #p::Scope for dyn #ident {
                const NAME: &'static str = #name;
                const KEY: #p::KeyUse = #p::KeyUse::#key;
            }
        });
        if matches!(scope.kind, Kind::Optional(_) | Kind::Public(_)) {
            let k = format_ident!("__K");
            out.extend(quote_spanned! {ident.span()=>
                impl<#k: #p::KeyKind> #ident for #k {}
            });
        }
    }
    for (kind, scopes) in &checked.grants {
        let first = quote_spanned!(kind.span()=> impl);
        for (scope, span) in scopes {
            // From the kind to the scope in its table line: the span rustc's
            // help shows for a key kind holding the scope.
            let body = quote_spanned!(*span=> {});
            out.extend(quote!(#first #scope for #kind #body));
        }
    }
    out
}

/// The wire name of the scope declared as `ident`, or its Rust name when
/// it is not declared (an error already says so).
fn wire_name(input: &Input, ident: &syn::Ident) -> String {
    input
        .scopes
        .iter()
        .find(|s| s.ident.unraw() == ident.unraw())
        .and_then(|s| match &s.kind {
            Kind::Required(lit) | Kind::Optional(lit) | Kind::Public(Some(lit)) => Some(lit.value()),
            _ => None,
        })
        .unwrap_or_else(|| ident.unraw().to_string())
}

fn escape(s: &str) -> String {
    s.replace('{', "{{").replace('}', "}}")
}
