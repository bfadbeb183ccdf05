//! Generates the endpoint's metadata constant and its method body.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{FnArg, TraitItemFn};

use crate::args::Args;
use crate::ast::{self, Binding, BodyKind, PageStyle, Piece, QueryStyle};
use crate::valid;

pub fn endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    if let Ok(tr) = syn::parse2::<syn::ItemTrait>(item.clone()) {
        return on_trait(args, tr);
    }
    let msg = "`#[endpoint]` goes on a method declared in a trait: `async fn get_scan(&self, id: &str) -> Result<Scan, Error>;`";
    let mut item = match syn::parse2::<TraitItemFn>(item.clone()) {
        // A free function parses as a trait method with a default body; with
        // no `self` either, it is not a trait method gone wrong.
        Ok(f) if f.default.is_some() && !matches!(f.sig.inputs.first(), Some(FnArg::Receiver(_))) => {
            let err = syn::Error::new_spanned(&f.sig, msg).into_compile_error();
            return quote!(#err #item);
        }
        Ok(item) => item,
        Err(_) => {
            let err = match syn::parse2::<syn::Item>(item.clone()) {
                Ok(syn::Item::Fn(f)) => syn::Error::new_spanned(&f.sig, msg),
                Ok(other) => syn::Error::new_spanned(other, msg),
                Err(_) => syn::Error::new(Span::call_site(), msg),
            };
            let err = err.into_compile_error();
            return quote!(#err #item);
        }
    };
    let mut errors = Vec::new();
    let args = match syn::parse2::<Args>(args) {
        Ok(args) => Some(args),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let scope = args.as_ref().and_then(|a| a.scope.clone());
    // Nothing is generated from an endpoint with errors: its parts may be
    // anything (a method that is no method at all).
    let expanded = args
        .and_then(|args| check(&item, args, &mut errors))
        .filter(|_| errors.is_empty())
        .map(|ep| generate(&item, ep));
    strip_arg_attrs(&mut item);
    match (expanded, combine(errors)) {
        (Some(tokens), None) => tokens,
        (_, err) => fallback(item, scope, err),
    }
}

/// A checked endpoint, ready to expand.
struct Endpoint {
    method: syn::Ident,
    path: syn::LitStr,
    pieces: Vec<Piece>,
    scope: TokenStream,
    /// The path generated code names the runtime through.
    krate: TokenStream,
    max_attempts: Option<u32>,
    idempotent: Option<bool>,
    args: Vec<ast::Arg>,
    /// `paginate = ...`: the method returns the runtime's stream of items.
    paginate: Option<ast::Pagination>,
}

fn check(item: &TraitItemFn, args: Args, errors: &mut Vec<syn::Error>) -> Option<Endpoint> {
    // Roughly in source order: the method comes before the other arguments.
    valid::method(&args.method, errors);
    errors.extend(args.errors);
    valid::signature(item, args.paginate.is_some(), errors);
    let scope = match &args.scope {
        Some(path) => Some(quote!(#path)),
        None => {
            errors.push(syn::Error::new_spanned(
                &args.tokens,
                "missing `scope = ...`; every endpoint names the scope it needs, such as `scope = read`",
            ));
            None
        }
    };
    // The crate the attribute names (serde's `crate = "..."`: an SDK whose
    // root re-exports `__private`), or the runtime this crate depends on.
    let krate = match &args.krate {
        Some(path) => Some(quote!(#path)),
        None => crate::krate::default_path().map_err(|e| errors.push(e)).ok(),
    };
    let path = args.path?;
    let pieces = ast::template(&path, errors);
    let placeholders: Vec<String> = pieces
        .iter()
        .filter_map(|p| {
            if let Piece::Param(n, _) = p {
                Some(n.clone())
            } else {
                None
            }
        })
        .collect();
    let fn_args = ast::args(item, &placeholders, errors);
    valid::bindings(&args.method, &path, &pieces, &fn_args, errors);
    let paginate = args
        .paginate
        .as_ref()
        .and_then(|p| valid::paginate(p, &args.method, &fn_args, errors));
    Some(Endpoint {
        method: args.method,
        path,
        pieces,
        scope: scope?,
        krate: krate?,
        max_attempts: args.max_attempts,
        idempotent: args.idempotent,
        args: fn_args,
        paginate,
    })
}

/// The version-named module of `__private` this macro's code is written
/// for: `v0_1` for 0.1.x (the runtime checks its own side of the name).
pub fn private_module() -> syn::Ident {
    let version = env!("CARGO_PKG_VERSION");
    let mut parts = version.split('.');
    let (major, minor) = (parts.next().unwrap_or("0"), parts.next().unwrap_or("0"));
    if major == "0" {
        format_ident!("v0_{}", minor)
    } else {
        format_ident!("v{}", major)
    }
}

fn generate(item: &TraitItemFn, ep: Endpoint) -> TokenStream {
    let krate = &ep.krate;
    let version = private_module();
    let p = quote!(#krate::__private::#version);
    let sig = &item.sig;
    let name = &sig.ident;
    let name_str = name.to_string();
    let const_name = format_ident!(
        "{}",
        name_str.trim_start_matches("r#").to_uppercase(),
        span = name.span()
    );
    let method = format_ident!("{}", {
        let m = ep.method.to_string().to_lowercase();
        let mut chars = m.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    });
    let path = &ep.path;
    let scope = &ep.scope;
    let summary = format!(
        "`{} {}`: metadata of [`{name_str}`](Self::{name_str}).",
        ep.method,
        path.value()
    );
    let max_attempts = match ep.max_attempts {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    let idempotent = match ep.idempotent {
        Some(declared) => quote!(::core::option::Option::Some(#declared)),
        None => quote!(::core::option::Option::None),
    };
    let metadata = quote! {
        #p::Endpoint {
            name: #name_str,
            method: #p::Method::#method,
            path: #path,
            scope: <dyn #scope as #p::Scope>::NAME,
            max_attempts: #max_attempts,
            idempotent: #idempotent,
        }
    };

    // Input:  `/scans/{id}/status` with `id: &str`
    // Output: `__req.literal("/scans/"); __req.segment::<str>("id", id); __req.literal("/status");`
    let mut steps = Vec::new();
    for piece in &ep.pieces {
        match piece {
            Piece::Literal(lit) => steps.push(quote!(__req.literal(#lit);)),
            Piece::Origin(origin) => steps.push(quote!(__req.origin(#origin);)),
            Piece::Param(param, multi) => {
                let arg = ep
                    .args
                    .iter()
                    .find(|a| matches!(&a.binding, Binding::Path(n) if n == param));
                if let Some(arg) = arg {
                    let label = arg.ident.unraw().to_string();
                    let (span, ty, value) = pass(arg);
                    steps.push(if *multi {
                        quote_spanned!(span=> __req.segments #ty (#label, #value);)
                    } else {
                        quote_spanned!(span=> __req.segment #ty (#label, #value);)
                    });
                }
            }
        }
    }
    for arg in &ep.args {
        let label = arg.ident.unraw().to_string();
        let (span, ty, value) = pass(arg);
        steps.push(match &arg.binding {
            Binding::Query(key, QueryStyle::Form) => quote_spanned!(span=> __req.query #ty (#key, #value);),
            Binding::Query(key, QueryStyle::Joined) => quote_spanned!(span=> __req.query_joined #ty (#key, #value);),
            Binding::Query(key, QueryStyle::DeepObject) => {
                quote_spanned!(span=> __req.query_deep_object #ty (#key, #value);)
            }
            Binding::QueryAll => quote_spanned!(span=> __req.query_all #ty (#label, #value);),
            Binding::Body(BodyKind::Json) => quote_spanned!(span=> __req.json #ty (#label, #value);),
            Binding::Body(BodyKind::Form) => quote_spanned!(span=> __req.form #ty (#label, #value);),
            Binding::Body(BodyKind::Raw) => quote_spanned!(span=> __req.raw #ty (#label, #value);),
            Binding::Body(BodyKind::Multipart) => quote_spanned!(span=> __req.multipart(#label, #value);),
            Binding::Header(header) => quote_spanned!(span=> __req.header #ty (#label, #header, #value);),
            Binding::Url => quote_spanned!(span=> __req.whole_url #ty (#label, #value);),
            Binding::Path(_) | Binding::Unbound | Binding::Invalid => continue,
        });
    }

    let attrs = &item.attrs;
    let inputs = strip(&sig.inputs);
    let output = match &sig.output {
        syn::ReturnType::Type(_, ty) => quote!(#ty),
        syn::ReturnType::Default => quote!(()),
    };
    let send = if valid::ok_type(&sig.output).is_some_and(is_string) {
        quote!(send_text::<dyn #scope, #output>)
    } else {
        quote!(send::<dyn #scope, #output>)
    };
    let lifetimes = &sig.generics.params;
    let user_where = sig.generics.where_clause.as_ref().map(|w| {
        let preds = &w.predicates;
        quote!(#preds,)
    });
    let grants = quote_spanned!(scope.span()=> #scope);
    // `T` of `Result<T, E>` or of an alias's first parameter (`valid`).
    let ok = valid::ok_type(&sig.output).map(|t| quote!(, Ok = #t));
    let output_bound = quote_spanned!(sig.output.span()=>
        #output: #p::CallOutput<#p::ErrorOf<#p::KeyOf<Self>> #ok>
    );
    if let Some(pagination) = &ep.paginate {
        // Input:  `paginate = page("page", items = "/data")` on
        //         `fn all_things(&self) -> Paginated<Thing, Error>;`
        // Output: a method that builds the first page's request and returns
        //         the runtime's stream, which makes the following ones.
        let spec = pagination_tokens(&p, pagination);
        let paged_bound = quote_spanned!(sig.output.span()=>
            #output: #p::PagedOutput<#p::ErrorOf<#p::KeyOf<Self>>>
        );
        // Names no `Self`: a return type that is no stream at all is
        // reported on it where the endpoint is declared, not at each call.
        let output_span = match &sig.output {
            syn::ReturnType::Type(_, ty) => ty.span(),
            syn::ReturnType::Default => sig.ident.span(),
        };
        let paged_type = quote_spanned!(output_span=> #p::paged_type::<#output>(););
        return quote! {
            #[doc = #summary]
            const #const_name: #p::Endpoint = #metadata;

            #(#attrs)*
            fn #name<#lifetimes>(#inputs) -> #output
            where
                #user_where
                Self: #p::Api,
                #p::KeyOf<Self>: #grants,
                #paged_bound,
            {
                static __ENDPOINT: #p::Endpoint = #metadata;
                static __PAGINATION: #p::Pagination = #spec;
                #paged_type
                let mut __req = #p::Request::new(#p::AsClient::as_client(#p::Api::client(self)), &__ENDPOINT);
                #(#steps)*
                __req.paginate::<dyn #scope, #output>(&__PAGINATION)
            }
        };
    }
    // The return type is a named (boxed) future, not `impl Future`: when the
    // scope bound fails, the error is then reported once, at the call, and
    // not again for the opaque type at the receiver and at `.await`. The
    // request is built before the future is made, so the future borrows only
    // `self`. The box is made with `::std`'s path, not the runtime's: when the
    // runtime's path cannot be found (a forgotten `crate =`), every failing
    // path in the expansion is then the same error, and rustc prints it once.
    quote! {
        #[doc = #summary]
        const #const_name: #p::Endpoint = #metadata;

        #(#attrs)*
        fn #name<#lifetimes>(#inputs) -> #p::Pending<'_, #output>
        where
            #user_where
            Self: #p::Api,
            #p::KeyOf<Self>: #grants,
            #output_bound,
        {
            static __ENDPOINT: #p::Endpoint = #metadata;
            let mut __req = #p::Request::new(#p::AsClient::as_client(#p::Api::client(self)), &__ENDPOINT);
            #(#steps)*
            ::std::boxed::Box::pin(__req.#send())
        }
    }
}

/// The runtime's `Pagination` for a checked `paginate = ...`.
fn pagination_tokens(p: &TokenStream, pagination: &ast::Pagination) -> TokenStream {
    let some = |v: &Option<String>| match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };
    let style = match &pagination.style {
        PageStyle::Page { param, start } => quote!(#p::PageStyle::Page { param: #param, start: #start }),
        PageStyle::Offset { param } => quote!(#p::PageStyle::Offset { param: #param }),
        PageStyle::Cursor { param, next } => quote!(#p::PageStyle::Cursor { param: #param, next: #next }),
        PageStyle::NextUrl { next } => quote!(#p::PageStyle::NextUrl { next: #next }),
        PageStyle::LinkHeader => quote!(#p::PageStyle::LinkHeader),
    };
    let items = &pagination.items;
    let (total, more) = (some(&pagination.total), some(&pagination.more));
    quote!(#p::Pagination { style: #style, items: #items, total: #total, more: #more })
}

/// `String` (or `std::string::String`): the endpoint reads a text body.
fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "String" && s.arguments.is_none())
        && matches!(p.path.segments.len(), 1 | 3))
}

/// How an argument `id: T` goes to a `Request` method taking `value: &V`:
/// `::<T>(&id)`, or `::<U>(id)` when `T` is `&U`. The type, with the user's
/// spans, is the call's type argument, so a missing `Display`, `Serialize` or
/// `HeaderArg` is reported once, on the argument's type. `impl Trait` cannot
/// be named and is left to inference.
fn pass(arg: &ast::Arg) -> (Span, TokenStream, TokenStream) {
    fn has_impl(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(id) => id == "impl",
            proc_macro2::TokenTree::Group(g) => has_impl(g.stream()),
            _ => false,
        })
    }
    let id = &arg.ident;
    let (ty, value) = match &arg.ty {
        syn::Type::Reference(r) => (&*r.elem, quote!(#id)),
        ty => (ty, quote_spanned!(ty.span()=> &#id)),
    };
    let turbofish = if has_impl(ty.to_token_stream()) {
        TokenStream::new()
    } else {
        quote!(::<#ty>)
    };
    (ty.span(), turbofish, value)
}

fn strip(inputs: &syn::punctuated::Punctuated<FnArg, syn::Token![,]>) -> TokenStream {
    let mut inputs = inputs.clone();
    for input in inputs.iter_mut() {
        if let FnArg::Typed(t) = input {
            t.attrs.retain(|a| !ast::is_arg_attr(a));
        }
    }
    quote!(#inputs)
}

fn strip_arg_attrs(item: &mut TraitItemFn) {
    for input in item.sig.inputs.iter_mut() {
        if let FnArg::Typed(t) = input {
            t.attrs.retain(|a| !ast::is_arg_attr(a));
        }
    }
}

fn combine(errors: Vec<syn::Error>) -> Option<syn::Error> {
    errors.into_iter().reduce(|mut all, e| {
        all.combine(e);
        all
    })
}

/// On error the method is still emitted, with a body that never runs, so
/// one mistake does not cascade into "missing trait item" errors in impls.
fn fallback(mut item: TraitItemFn, scope: Option<syn::Path>, err: Option<syn::Error>) -> TokenStream {
    // The scope is still named, so its import is not reported unused.
    let scope = scope.map(|s| quote!(let _: ::core::marker::PhantomData<dyn #s>;));
    item.default = Some(syn::parse_quote!({ #scope ::core::unimplemented!() }));
    item.semi_token = None;
    // The arguments are unused in that body; a wrong `self` (by value,
    // already reported) would add "size of `Self` unknown" to the errors.
    item.attrs.push(syn::parse_quote!(#[allow(unused_variables)]));
    if let Some(FnArg::Receiver(receiver)) = item.sig.inputs.first_mut() {
        *receiver = syn::parse_quote!(&self);
    }
    let err = err.map(syn::Error::into_compile_error);
    quote!(#err #item)
}

/// `#[endpoint(crate = path)]` on a trait: every `#[endpoint]` method in it
/// that names no crate gets `crate = path`.
fn on_trait(args: TokenStream, mut tr: syn::ItemTrait) -> TokenStream {
    let parsed = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream| {
            input.parse::<syn::Token![crate]>()?;
            input.parse::<syn::Token![=]>()?;
            let path: syn::Path = input.parse()?;
            input.parse::<Option<syn::Token![,]>>()?;
            Ok(path)
        },
        args.clone(),
    );
    let krate = match parsed {
        Ok(path) => path,
        Err(_) => {
            let span = if args.is_empty() {
                Span::call_site()
            } else {
                args.span()
            };
            let err = syn::Error::new(
                span,
                "on a trait, `#[endpoint]` takes only `crate = path`: the crate that re-exports the runtime, for every endpoint of the trait, such as `#[endpoint(crate = your_sdk)]`",
            )
            .into_compile_error();
            return quote!(#err #tr);
        }
    };
    for item in &mut tr.items {
        let syn::TraitItem::Fn(f) = item else { continue };
        for attr in &mut f.attrs {
            let is_endpoint = attr.path().segments.last().is_some_and(|s| s.ident == "endpoint");
            if let (true, syn::Meta::List(list)) = (is_endpoint, &mut attr.meta) {
                // `crate =` at the top level (not `crate::` in a scope's path).
                let tokens: Vec<_> = list.tokens.clone().into_iter().collect();
                let names_crate = tokens.windows(2).any(|w| {
                    matches!(&w[0], proc_macro2::TokenTree::Ident(i) if i == "crate")
                        && matches!(&w[1], proc_macro2::TokenTree::Punct(p) if p.as_char() == '=')
                });
                if !names_crate {
                    let ends_with_comma =
                        matches!(tokens.last(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ',');
                    let tokens = &list.tokens;
                    list.tokens = if ends_with_comma {
                        quote!(#tokens crate = #krate)
                    } else {
                        quote!(#tokens, crate = #krate)
                    };
                }
            }
        }
    }
    tr.into_token_stream()
}
