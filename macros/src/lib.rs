//! The `#[endpoint]` attribute of `hacktron-runtime`, the framework for
//! declaring bindings of any HTTP API: it turns a method declared in a trait
//! into an HTTP call. Depend on `hacktron-runtime` (or on an SDK built on
//! it, such as `hacktron`), which re-exports the attribute.
#![forbid(unsafe_code)]

mod args;
mod ast;
mod expand;
mod krate;
mod scopes;
mod valid;

use proc_macro::TokenStream;

/// Turns a method declared in a trait into an HTTP call.
///
/// ```ignore
/// use hacktron_runtime::{endpoint, ApiError, Client};
/// use hacktron_runtime::scope::KeyKind;
///
/// pub trait Notes {
///     #[endpoint(GET, "/notes/{id}", scope = read)]
///     async fn note(&self, id: &str) -> Result<Note, ApiError>;
///
///     #[endpoint(GET, "/notes", scope = read)]
///     async fn notes(&self, #[query] tag: Option<&str>) -> Result<Vec<Note>, ApiError>;
/// }
/// impl<K: KeyKind<Service = NotesApi>> Notes for Client<K> {}
/// ```
///
/// `NotesApi` is the API's [`Service`] (its auth, host and errors), `read`
/// one of its scopes; the runtime's crate docs show them whole.
///
/// [`Service`]: https://docs.rs/hacktron-runtime/latest/hacktron_runtime/service/trait.Service.html
///
/// # Arguments of the attribute
///
/// - **Method**: `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD` or `OPTIONS`.
/// - **Path**: a string literal relative to the client's base URL. Each
///   `{name}` placeholder (a whole segment, or part of one:
///   `org.couchdb.user:{name}`) is bound to the argument of that name (or
///   to one marked `#[path("name")]`); its value, formatted with `Display`,
///   is percent-encoded as segment text, so it never adds a segment
///   (`{name*}`: one or more whole segments). An absolute template, `"https://uploads.example.com/files/{name}"`,
///   calls another host of the API; `""` with a `#[url]` argument calls a
///   whole URL given at call time. The credential goes only to the base
///   URL's origin and the service's `ORIGINS` (or `ClientBuilder::trust_origin`).
/// - **`scope = ...`** (required): the scope the endpoint needs, one
///   declared with `scopes!`, resolved where the endpoint is declared like
///   any trait (`read` after `use hacktron::scope::read`, or a scope of
///   your own). The method can only be called on a client whose key kind
///   holds the scope; otherwise the build fails once, at the call, with the
///   scope's own message, such as `API key missing required scope: write`.
///   The key is sent as the scope says: always, when the client has one
///   (an optional scope), or never (a public one).
/// - **`retry = never`** or **`retry = N`** (optional): at most `N` attempts
///   for this endpoint, whatever the client's retry policy allows (`never`
///   is 1).
/// - **`idempotent`** (optional): the API makes a repeat of this request
///   harmless although its method is `POST` or `PATCH`, so it may be resent
///   when its outcome is unknown. **`idempotent = false`**: a repeat is not
///   harmless although the method is `PUT` or `DELETE` (a `PUT` that issues
///   a new token), so it is not resent then.
/// - **`paginate = style(...)`** (optional, `GET` only): the method is a
///   plain `fn` returning `Paginated<T, E>` (or an alias, such as an SDK's
///   `Items<T>`), a stream of every item `T` of the list, fetched page after
///   page as it is read. See [Pagination](#pagination).
/// - **`crate = path`** (optional): the crate whose root re-exports the
///   runtime's hidden `__private` module. Without it, the attribute finds
///   the runtime among the dependencies in the crate's `Cargo.toml`
///   (`hacktron-runtime`, else `hacktron`, renamed or not). The users of an
///   SDK built on the runtime, who depend on the SDK alone, name it once per
///   trait, `#[endpoint(crate = the_sdk)]` on the trait, or per endpoint.
///
/// # Pagination
///
/// `paginate =` names where the next page is, in one of five styles; each
/// takes, after its name or pointer, the options `items = "/data"` (JSON
/// pointer to the page's array of items; by default the body is the array)
/// and `more = "/has_more"` (a boolean that is `false` on the last page):
///
/// | style | the next page |
/// |---|---|
/// | `page("page")`, `page("page", start = 0)` | query parameter `page` one more (from the first request's value, or `start`, 1 by default); an empty page ends |
/// | `offset("offset")` | query parameter `offset` plus the items received (from the first request's value, or 0); an empty page ends |
/// | `cursor("cursor", next = "/meta/next_cursor")` | query parameter `cursor` set to the string or number at `next`; none, `null` or `""` ends |
/// | `next_url("/links/next")` | the URL at that pointer in the body (absolute, or relative to the page's URL) |
/// | `link_header` | the `Link` header's `rel="next"` target (RFC 8288) |
///
/// `page` and `offset` also take `total = "/total"`, the number of items in
/// the whole list, to stop without fetching an empty page. Every other page
/// is the first request with one query parameter replaced, or the link, with
/// the same headers; a link is followed only to the service's origins (the
/// base URL's, `Service::ORIGINS`, `ClientBuilder::trust_origin`) or the
/// first request's; a cursor or link handed out twice, or a page number or
/// offset answered with the page before (a server that ignores it), ends the
/// walk. Each of these is a typed error, `Error::Pagination`, after the items
/// before it.
///
/// ```ignore
/// #[endpoint(GET, "/notes", scope = read, paginate = cursor("after", next = "/next", items = "/data"))]
/// fn all_notes(&self, #[query] tag: Option<&str>) -> Paginated<Note, ApiError>;
/// ```
///
/// The query parameter a style sets cannot also be an argument (a
/// `#[query(flatten)]` struct may hold it: its value is where the walk
/// starts).
///
/// # On a trait
///
/// `#[endpoint(crate = path)]` on the trait itself gives every endpoint in
/// it that `crate =`, unless the endpoint names one of its own.
///
/// # Method arguments
///
/// After `&self`, every argument binds to one part of the request; the
/// request is built when the method is called, so the returned future
/// borrows only the client (lifetime parameters are allowed):
///
/// | argument | sent as |
/// |---|---|
/// | `id: &str` with `{id}` in the path | path segment, percent-encoded: a `/` in it is `%2F` |
/// | `path: &str` with `{path*}` in the path | one or more segments: split at `/`, each encoded; an empty, `.` or `..` segment is refused |
/// | `#[path("packageName")] name: &str` | path segment `{packageName}` |
/// | `#[query] limit: Option<u32>` | `limit=...`, left out when `None` |
/// | `#[query("tag")] tags: &[&str]` | `tag=a&tag=b`: a sequence repeats the key (OpenAPI `style: form`) |
/// | `#[query("tag", explode = false)] tags: &[&str]` | `tag=a,b` (OpenAPI `explode: false`) |
/// | `#[query("filter", deep_object)] f: &Filter` | `filter[status]=open&filter[page]=2` (OpenAPI `deepObject`) |
/// | `#[query(flatten)] q: &ListQuery` | every field of a flat serde struct |
/// | `#[body] body: &CreateScan` | JSON body (not on `GET`/`DELETE`/`HEAD`; one per endpoint) |
/// | `#[body(form)] login: &Login` | `application/x-www-form-urlencoded` body of a flat serde struct |
/// | `#[body(raw)] content: &[u8]` | the bytes (`application/octet-stream`) or text (`&str`: `text/plain; charset=utf-8`) as they are |
/// | `#[header("X-Request-Id")] id: &str` | header (`Option`: left out when `None`) |
/// | `#[url] next: &str` (path `""`) | the whole URL, its query first (a link an answer handed out) |
///
/// An argument bound nowhere is a compile error. A header named twice follows
/// one rule (the credential, then `#[header]` arguments, then the service's
/// `DEFAULT_HEADERS`, then what the endpoint implies: `Accept`, the body's
/// `Content-Type`) and is never sent twice. A `POST`, `PUT` or `PATCH`
/// without a body sends `Content-Length: 0`.
///
/// # Return type
///
/// `Result<T, E>`, or an alias of any name whose first parameter is `T`
/// (`Result<T>`, `FleetResult<T>`), where
/// `E` is the client's service error (or any type implementing `From` it)
/// and `T` is any `DeserializeOwned` type (decoded from JSON, `Accept:
/// application/json`), `()` for an empty body (`204`), `String` for a text
/// body (`Accept: text/*`), `ByteStream` for a body read as it arrives
/// (`Accept: */*`), or `Response<T>` for `T` with the status and headers.
///
/// # What is generated
///
/// The method gets a body that returns a boxed `Send` future (a named type,
/// so a missing scope is one error at the call, not three), and the trait
/// gets a constant named after the method in upper case (`GET_SCAN`)
/// holding its `Endpoint` metadata: method, path template, scope, retry
/// limit, idempotence. Generated code names only `<crate>::__private::v0_1`,
/// whose version suffix the runtime shares with this macro.
#[proc_macro_attribute]
pub fn endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::endpoint(args.into(), item.into()).into()
}

/// Declares a service's scopes: each one a trait that the key kinds granted
/// it implement, named in `#[endpoint(..., scope = name)]`.
///
/// ```ignore
/// hacktron_runtime::scopes! {
///     credential = "token";           // the service's word for its key (default "API key")
///     /// Read channels.
///     pub channels_read = "channels:read";   // sent with the key; only kinds granted it
///     /// Read groups.
///     pub groups_read = "groups:read";
///     /// Public data, more with a token.
///     pub search = optional "search:read";   // any client; the key is sent when it has one
///     /// No key at all.
///     pub health = public;                    // any client; no key is sent
///     /// Accepted under either scope.
///     pub history = channels_read | groups_read;
///
///     grants {
///         UserToken: channels_read, groups_read;  // explicit impls, any-of ones computed
///         BotToken: channels_read;
///     }
/// }
/// ```
///
/// A client whose key kind lacks a scope cannot call its endpoints: the
/// build fails at the call with `token missing required scope:
/// channels:read`, and rustc's help lists the key kinds that hold it.
/// A key kind declared elsewhere is granted a scope with
/// `impl channels_read for MyToken {}`. `crate = path;` names the crate
/// re-exporting the runtime, as on `#[endpoint]`.
#[proc_macro]
pub fn scopes(input: TokenStream) -> TokenStream {
    syn::parse::<scopes::Input>(input)
        .map(scopes::scopes)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
