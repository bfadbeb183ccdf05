//! `scopes!`: a service's scopes, each a trait its key kinds implement, with
//! the server's words in the error of a key kind that lacks it.

mod expand;
mod parse;
mod valid;

use proc_macro2::TokenStream;

pub use parse::Input;

pub fn scopes(input: Input) -> TokenStream {
    let mut errors = input.errors.clone();
    let checked = valid::check(&input, &mut errors);
    let expanded = expand::expand(&input, &checked, &mut errors);
    let errors = errors.into_iter().map(syn::Error::into_compile_error);
    quote::quote!(#(#errors)* #expanded)
}
