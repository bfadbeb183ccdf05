//! Lists walked page after page: an endpoint declared with
//! `paginate = ...` returns a [`Paginated`] stream of its items, which
//! fetches the next page when the items of this one are used up.
//!
//! The request of each following page is the first page's request with one
//! query parameter replaced (a page number, an offset, a cursor), or a link
//! the last answer handed out (in the body, or in a `Link` header), followed
//! only within the service's origins. All of it is ordinary code here; the
//! macro only names a [`Pagination`].

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::call::run;
use crate::client::{AuthParts, Client, ErrorOf};
use crate::endpoint::Endpoint;
use crate::error::{Error, Printable};
use crate::response::{FromResponse, read_body};
use crate::scope::{KeyKind, Scope};
use crate::transport::{BoxFuture, HttpRequest, HttpResponse};

/// How a paginated endpoint's pages follow one another: what
/// `#[endpoint(GET, "/things", scope = read, paginate = ...)]` declares.
///
/// Every style finds the page's items at the JSON pointer
/// [`items`](Self::items) (`""`: the body is the array; `null` is an empty
/// page), and stops when [`more`](Self::more) points at `false`.
///
/// ```
/// use hacktron_runtime::{PageStyle, Pagination};
///
/// // `paginate = offset("from", items = "/objects", total = "/total")`
/// static SEARCH: Pagination = Pagination {
///     style: PageStyle::Offset { param: "from" },
///     items: "/objects",
///     total: Some("/total"),
///     more: None,
/// };
/// assert!(matches!(SEARCH.style, PageStyle::Offset { param: "from" }));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Pagination {
    /// Where the next page is.
    pub style: PageStyle,
    /// JSON pointer to the page's array of items; `""` for the whole body.
    pub items: &'static str,
    /// JSON pointer to the number of items in the whole list ([`PageStyle::Page`]
    /// and [`PageStyle::Offset`]): the walk stops once it is reached (with
    /// an offset, this page's offset plus its items; with page numbers, the
    /// pages walked from `start` to this one times the first page's length)
    /// instead of fetching an empty page.
    pub total: Option<&'static str>,
    /// JSON pointer to a boolean that is `false` on the last page
    /// (`/has_more`): the walk stops there.
    pub more: Option<&'static str>,
}

/// Where the next page is, in one of the five common styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageStyle {
    /// `page("page")`: query parameter `param` numbers the pages; the next
    /// is one more than this one. The first page is the first request's
    /// value, or `start` (1, unless `start = 0`) when it has none. An empty
    /// page ends the list.
    Page {
        /// The query parameter.
        param: &'static str,
        /// The number of the first page, 1 or 0.
        start: u64,
    },
    /// `offset("offset")`: query parameter `param` counts the items to
    /// skip; the next is this one plus the items received. The first is the
    /// first request's value, or 0. An empty page ends the list.
    Offset {
        /// The query parameter.
        param: &'static str,
    },
    /// `cursor("cursor", next = "/next_cursor")`: the body holds the next
    /// page's cursor (a string or a number) at the JSON pointer `next`, sent
    /// back in query parameter `param`; none, `null` or `""` ends the list.
    Cursor {
        /// The query parameter.
        param: &'static str,
        /// JSON pointer to the next cursor.
        next: &'static str,
    },
    /// `next_url("/links/next")`: the body holds the next page's URL at
    /// the JSON pointer `next` (absolute, or relative to the URL this page
    /// was requested at); none, `null` or `""` ends the list.
    NextUrl {
        /// JSON pointer to the next URL.
        next: &'static str,
    },
    /// `link_header`: the next page's URL is the `Link` header's
    /// `rel="next"` target (RFC 8288; relative to the URL this page was
    /// requested at); no such link ends the list.
    LinkHeader,
}

/// Why a walk through a list stopped that is not the server's answer, nor
/// what any call can hit: found in [`Error::Pagination`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The next page's link leads to an origin that is not the service's
    /// (the base URL's, `Service::ORIGINS`, `ClientBuilder::trust_origin`)
    /// nor the first request's: it was not followed, and nothing was sent
    /// there.
    #[error(
        "the link to page {} leads to {}, which is not one of the service's origins; it was not followed (if the service answers there, trust it with `ClientBuilder::trust_origin`)",
        .page,
        Printable(origin)
    )]
    ForeignOrigin {
        /// The link as resolved.
        link: String,
        /// Its origin (`https://elsewhere.example`).
        origin: String,
        /// The number of the page it would have fetched (1-based).
        page: u64,
    },
    /// The server handed out a cursor or link the walk already followed:
    /// following it again would fetch the same pages forever.
    #[error(
        "after {} pages the server handed out `{}` again; following it would fetch the same pages forever",
        .pages,
        Printable(cursor)
    )]
    Repeated {
        /// The cursor or link, as the server sent it.
        cursor: String,
        /// Pages fetched so far.
        pages: u64,
    },
    /// The server answered a page number or offset with the very page it
    /// sent before: it ignores the parameter, and the walk would never end.
    #[error(
        "the server answered `{param}={value}` with the same page as the one before; it ignores `{param}`, so the walk stopped after {pages} pages"
    )]
    Ignored {
        /// The query parameter.
        param: &'static str,
        /// Its value in the request answered with the same page.
        value: u64,
        /// Pages fetched so far.
        pages: u64,
    },
    /// The next page's link is not an `http(s)` URL.
    #[error("the link to the next page, `{}`, is not an http(s) URL: {}", Printable(link), .reason)]
    BadLink {
        /// The link as the server sent it.
        link: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// One page's response, not decoded yet.
struct RawPage {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl FromResponse for RawPage {
    fn from_response(response: HttpResponse, max_body: usize) -> impl Future<Output = Result<Self, Error>> + Send {
        let HttpResponse {
            status,
            headers,
            mut body,
        } = response;
        async move {
            match read_body(&mut *body, max_body).await? {
                (body, true) => Ok(RawPage { status, headers, body }),
                (_, false) => Err(Error::BodyTooLarge {
                    status,
                    limit: max_body,
                    attempts: 1,
                }),
            }
        }
    }
}

type Fetch<E> = Box<dyn Fn(HttpRequest) -> BoxFuture<'static, Result<RawPage, E>> + Send + Sync>;

/// Every item of a paginated list, fetched one page at a time as it is
/// read: a [`Stream`] of `Result<T, E>`, what an endpoint declared with
/// `paginate = ...` returns. `T` is one item, decoded from JSON; `E` the
/// service's error (or a type with `From` it).
///
/// It owns what it needs (a clone of the client: the same pool, limiter and
/// hooks), so it can move into `tokio::spawn`. Nothing is sent before the
/// first read. Each page is one call, retried as any other. After an error
/// the stream ends: the error is its last item.
///
/// ```
/// # use hacktron_runtime::example::{Example, read, Token};
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::{ApiError, Client, Paginated, endpoint};
/// use hacktron_runtime::transport::Canned;
///
/// trait Things {
///     #[endpoint(GET, "/things", scope = read, paginate = cursor("after", next = "/next", items = "/data"))]
///     fn all_things(&self, #[query] limit: u32) -> Paginated<serde_json::Value, ApiError>;
/// }
/// impl Things for Client<Token> {}
///
/// let canned = Canned::json(200, r#"{"data": [{"id": 1}, {"id": 2}], "next": "c2"}"#)
///     .then_json(200, r#"{"data": [{"id": 3}], "next": null}"#);
/// let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
///
/// let mut things = client.all_things(2);
/// let mut ids = Vec::new();
/// while let Some(thing) = things.next().await {
///     ids.push(thing?["id"].as_u64().unwrap());
/// }
/// assert_eq!(ids, [1, 2, 3]);
/// assert_eq!(things.pages_fetched(), 2);
/// let requests = canned.requests();
/// assert_eq!(requests.lock().unwrap()[1].url.query(), Some("limit=2&after=c2"));
/// # Ok(()) }
/// ```
#[must_use = "a list does nothing until it is read"]
pub struct Paginated<T, E> {
    fetch: Fetch<E>,
    /// How a runtime error becomes `E`, fixed where the client's key kind
    /// was known.
    convert: fn(Error) -> E,
    walk: Walk,
    /// The next page's request; `None` at the end.
    next: Option<HttpRequest>,
    /// What to report once the items before it are read.
    failed: Option<Error>,
    /// The page being fetched, and the request it was fetched with.
    pending: Option<(HttpRequest, BoxFuture<'static, Result<RawPage, E>>)>,
    buffer: std::vec::IntoIter<T>,
    pages: u64,
}

// Nothing is pinned structurally: the page's future is boxed.
impl<T, E> Unpin for Paginated<T, E> {}

impl<T, E> std::fmt::Debug for Paginated<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginated")
            .field("style", &self.walk.spec.style)
            .field("pages_fetched", &self.pages)
            .field("next_path", &self.next.as_ref().map(|r| r.url.path()))
            .field("fetching", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

/// Starts the walk of `endpoint` at `first` (the first page's request, or
/// why it could not be built). Nothing is sent until the stream is read.
pub(crate) fn start<S: Scope + ?Sized, K: KeyKind, T, E>(
    client: &Client<K>,
    endpoint: &'static Endpoint,
    first: Result<HttpRequest, Error>,
    spec: &'static Pagination,
) -> Paginated<T, E>
where
    E: From<ErrorOf<K>> + Send + 'static,
{
    let inner = &*client.inner;
    let mut walk = Walk {
        spec,
        trusted: inner.origins.clone(),
        auth_query: None,
        seen: HashSet::new(),
        per_page: None,
        last_page: None,
    };
    let (next, failed) = match first {
        Ok(request) => {
            walk.begin(&request, &inner.auth);
            (Some(request), None)
        }
        Err(e) => (None, Some(e)),
    };
    let client = client.clone();
    let fetch: Fetch<E> = Box::new(move |request| {
        let client = client.clone();
        Box::pin(async move {
            let here = Some(Box::new(request.url.clone()));
            run::<K, RawPage, Result<RawPage, E>>(
                &client,
                endpoint,
                Ok(request),
                S::KEY != crate::scope::KeyUse::Never,
                here,
            )
            .await
        })
    });
    Paginated {
        fetch,
        convert: |e| E::from(ErrorOf::<K>::from(e)),
        walk,
        next,
        failed,
        pending: None,
        buffer: Vec::new().into_iter(),
        pages: 0,
    }
}

impl<T: DeserializeOwned + Send + 'static, E> Paginated<T, E> {
    /// The next item, fetching the next page when this one is used up;
    /// `None` at the end of the list (and after an error).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Token};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{ApiError, Client, Paginated, endpoint};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// trait Things {
    ///     #[endpoint(GET, "/things", scope = read, paginate = page("page"))]
    ///     fn all_things(&self) -> Paginated<u32, ApiError>;
    /// }
    /// impl Things for Client<Token> {}
    ///
    /// let canned = Canned::json(200, "[1, 2]").then_json(200, "[3]").then_json(200, "[]");
    /// let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
    /// let mut things = client.all_things();
    /// assert_eq!(things.next().await.transpose()?, Some(1));
    /// assert_eq!(things.pages_fetched(), 1);
    /// let rest: Vec<u32> = things.try_collect().await?;
    /// assert_eq!(rest, [2, 3]); // the empty page 3 ended the list
    /// assert_eq!(canned.requests().lock().unwrap()[2].url.query(), Some("page=3"));
    /// # Ok(()) }
    /// ```
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the whole list into a `Vec`, stopping at the first error.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Token};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{ApiError, Client, Paginated, endpoint};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// trait Things {
    ///     #[endpoint(GET, "/things", scope = read, paginate = offset("skip", items = "/items", total = "/total"))]
    ///     fn all_things(&self) -> Paginated<u32, ApiError>;
    /// }
    /// impl Things for Client<Token> {}
    ///
    /// let canned = Canned::json(200, r#"{"items": [1, 2], "total": 3}"#).then_json(200, r#"{"items": [3], "total": 3}"#);
    /// let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
    /// assert_eq!(client.all_things().try_collect().await?, [1, 2, 3]);
    /// assert_eq!(canned.requests().lock().unwrap()[1].url.query(), Some("skip=2"));
    /// # Ok(()) }
    /// ```
    pub async fn try_collect(mut self) -> Result<Vec<T>, E> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    /// The pages rather than the items: a stream of `Result<Vec<T>, E>`,
    /// one `Vec` per page fetched from now on (items of the current page not
    /// read yet come first, as a page of their own).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Token};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{ApiError, Client, Paginated, endpoint};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// trait Things {
    ///     #[endpoint(GET, "/things", scope = read, paginate = link_header)]
    ///     fn all_things(&self) -> Paginated<u32, ApiError>;
    /// }
    /// impl Things for Client<Token> {}
    ///
    /// let mut link = hacktron_runtime::HeaderMap::new();
    /// link.insert("link", r#"</v1/things?after=2>; rel="next""#.parse()?);
    /// let canned = Canned::new();
    /// canned.push(200, link, "[1, 2]");
    /// canned.push_json(200, "[3]");
    /// let client = Client::<Token>::builder("secret-key").transport(canned).build()?;
    /// let mut pages = client.all_things().pages();
    /// assert_eq!(pages.next().await.transpose()?, Some(vec![1, 2]));
    /// assert_eq!(pages.next().await.transpose()?, Some(vec![3]));
    /// assert!(pages.next().await.is_none());
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> Pages<T, E> {
        Pages(self)
    }

    /// How many pages were fetched so far.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Token};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{ApiError, Client, Paginated, endpoint};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// trait Things {
    ///     #[endpoint(GET, "/things", scope = read, paginate = page("page"))]
    ///     fn all_things(&self) -> Paginated<u32, ApiError>;
    /// }
    /// impl Things for Client<Token> {}
    ///
    /// let canned = Canned::json(200, "[1]").then_json(200, "[]");
    /// let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
    /// let mut things = client.all_things();
    /// assert_eq!(things.pages_fetched(), 0); // nothing is sent before the first read
    /// assert!(canned.requests().lock().unwrap().is_empty());
    /// things.next().await.transpose()?;
    /// assert_eq!(things.pages_fetched(), 1);
    /// # Ok(()) }
    /// ```
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// The next page's items; `None` at the end.
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<T>, E>>> {
        if self.pending.is_none() {
            if let Some(e) = self.failed.take() {
                self.next = None;
                return Poll::Ready(Some(Err((self.convert)(e))));
            }
            let Some(request) = self.next.take() else {
                return Poll::Ready(None);
            };
            let future = (self.fetch)(request.clone());
            self.pending = Some((request, future));
        }
        let Some((_, future)) = self.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let result = std::task::ready!(future.as_mut().poll(cx));
        let Some((sent, _)) = self.pending.take() else {
            return Poll::Ready(None);
        };
        // `next` was taken: after an error, the stream ends.
        let page = match result {
            Ok(page) => page,
            Err(e) => return Poll::Ready(Some(Err(e))),
        };
        self.pages += 1;
        match self.walk.after::<T>(&sent, page, self.pages) {
            Ok((items, Ok(next))) => {
                self.next = next;
                Poll::Ready(Some(Ok(items)))
            }
            // This page's items first, then why the walk cannot go on.
            Ok((items, Err(e))) => {
                self.failed = Some(e);
                Poll::Ready(Some(Ok(items)))
            }
            Err(e) => Poll::Ready(Some(Err((self.convert)(e)))),
        }
    }
}

impl<T: DeserializeOwned + Send + 'static, E> Stream for Paginated<T, E> {
    type Item = Result<T, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(this.poll_page(cx)) {
                Some(Ok(items)) => this.buffer = items.into_iter(),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        let ended = self.next.is_none() && self.pending.is_none() && self.failed.is_none();
        (buffered, ended.then_some(buffered))
    }
}

/// The pages of a [`Paginated`] list: a [`Stream`] of `Result<Vec<T>, E>`,
/// from [`Paginated::pages`].
#[must_use = "a list does nothing until it is read"]
#[derive(Debug)]
pub struct Pages<T, E>(Paginated<T, E>);

impl<T: DeserializeOwned + Send + 'static, E> Pages<T, E> {
    /// The next page; `None` at the end of the list (and after an error).
    pub async fn next(&mut self) -> Option<Result<Vec<T>, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// How many pages were fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.0.pages
    }
}

impl<T: DeserializeOwned + Send + 'static, E> Stream for Pages<T, E> {
    type Item = Result<Vec<T>, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let inner = &mut self.0;
        if inner.buffer.len() > 0 {
            let rest = std::mem::replace(&mut inner.buffer, Vec::new().into_iter());
            return Poll::Ready(Some(Ok(rest.collect())));
        }
        inner.poll_page(cx)
    }
}

/// What a paginated endpoint can be declared to return, whatever the
/// client: [`Paginated<T, E>`] (or an alias of it) with items `T` decoded
/// from JSON. Checked where the endpoint is declared.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a paginated endpoint's return type",
    label = "expected `Paginated<T, E>`",
    note = "an endpoint with `paginate = ...` returns `Paginated<T, E>` (or an alias of it, such as an SDK's `Items<T>`): a stream of items `T`, each decoded from JSON, failing with `E`, the service's error type"
)]
pub trait PagedType {}

impl<T: DeserializeOwned + Send + 'static, E: Send + 'static> PagedType for Paginated<T, E> {}

/// Compiles only for a [`PagedType`]: what generated code checks the
/// declared return type with.
pub fn paged_type<T: PagedType>() {}

/// What a paginated endpoint can be declared to return on a client whose
/// errors are `F`: [`Paginated<T, E>`] (or an alias of it) whose `E` holds
/// them through `From`. Checked where the endpoint is called.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a paginated endpoint's return type on a client whose errors are `{F}`",
    label = "the error type here must implement `From<{F}>`",
    note = "declare the endpoint as returning `Paginated<T, E>` with `E` the service's error type, or an error type that implements `From<{F}>`"
)]
pub trait PagedOutput<F>: Sized {
    /// One item.
    type Item: DeserializeOwned + Send + 'static;
    /// The stream's error.
    type Error: From<F> + Send + 'static;
    /// The return value from the walk.
    fn from_walk(walk: Paginated<Self::Item, Self::Error>) -> Self;
}

#[diagnostic::do_not_recommend]
impl<T: DeserializeOwned + Send + 'static, E: From<F> + Send + 'static, F> PagedOutput<F> for Paginated<T, E> {
    type Item = T;
    type Error = E;
    fn from_walk(walk: Self) -> Self {
        walk
    }
}

/// What decides the next page: the declaration, and what the walk has
/// seen so far.
struct Walk {
    spec: &'static Pagination,
    /// Where a next link may lead: the service's origins and the first
    /// request's.
    trusted: Vec<url::Origin>,
    /// The credential as a query pair (`api_key=...`), when the first
    /// request carried it: a next link gets it in place of its own.
    auth_query: Option<String>,
    /// Cursors and links already followed.
    seen: HashSet<String>,
    /// The first page's length, for `total` with page numbers.
    per_page: Option<u64>,
    /// The last page's body, for page numbers and offsets: a server that
    /// ignores the parameter answers each page with the same one.
    last_page: Option<Bytes>,
}

impl Walk {
    fn begin(&mut self, first: &HttpRequest, auth: &AuthParts) {
        let origin = first.url.origin();
        if !self.trusted.contains(&origin) {
            self.trusted.push(origin);
        }
        if let AuthParts::Query(pair) = auth
            && first.url.query().is_some_and(|q| q.split('&').any(|p| p == pair))
        {
            self.auth_query = Some(pair.clone());
        }
        match self.spec.style {
            PageStyle::Cursor { param, .. } => {
                if let Some(cursor) = query_value(&first.url, param) {
                    self.seen.insert(cursor);
                }
            }
            PageStyle::NextUrl { .. } | PageStyle::LinkHeader => {
                let key = self.key(&first.url);
                self.seen.insert(key);
            }
            PageStyle::Page { .. } | PageStyle::Offset { .. } => {}
        }
    }

    /// This page's items, and the next page's request (`None` at the end;
    /// `Err` when the walk cannot go on). `Err` outright when the page
    /// itself cannot be read.
    #[allow(clippy::type_complexity)]
    fn after<T: DeserializeOwned>(
        &mut self,
        sent: &HttpRequest,
        page: RawPage,
        pages: u64,
    ) -> Result<(Vec<T>, Result<Option<HttpRequest>, Error>), Error> {
        let spec = self.spec;
        let mut body: Value = crate::response::decode(page.status, page.body.clone())?;
        let items = match body.pointer_mut(spec.items).map(Value::take) {
            Some(Value::Array(items)) => items,
            Some(Value::Null) => Vec::new(),
            found => {
                let found = match found {
                    None => "nothing".to_owned(),
                    Some(v) => kind(&v).to_owned(),
                };
                return Err(shape_error(
                    &page,
                    spec.items,
                    format!("expected an array of items, found {found}"),
                ));
            }
        };
        let count = items.len() as u64;
        let items = decode_items::<T>(&page, spec.items, items)?;
        let more = match spec.more.map(|p| (p, body.pointer(p))) {
            None | Some((_, None | Some(Value::Null))) => true,
            Some((_, Some(Value::Bool(more)))) => *more,
            Some((p, Some(other))) => {
                return Err(shape_error(
                    &page,
                    p,
                    format!("expected a boolean, found {}", kind(other)),
                ));
            }
        };
        let total = match spec.total.map(|p| (p, body.pointer(p))) {
            None | Some((_, None | Some(Value::Null))) => None,
            Some((p, Some(value))) => match value.as_u64() {
                Some(total) => Some(total),
                None => {
                    return Err(shape_error(
                        &page,
                        p,
                        format!("expected a count, found {}", kind(value)),
                    ));
                }
            },
        };
        if !more {
            return Ok((items, Ok(None)));
        }
        if let PageStyle::Page { param, .. } | PageStyle::Offset { param } = spec.style {
            let again = count > 0 && self.last_page.as_ref() == Some(&page.body);
            self.last_page = Some(page.body.clone());
            if again {
                let value = query_value(&sent.url, param)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_default();
                // Its items were all read already, with the page before.
                let error = Error::Pagination(PaginationError::Ignored { param, value, pages });
                return Ok((Vec::new(), Err(error)));
            }
        }
        let next = match spec.style {
            PageStyle::Page { param, start } => {
                let this = match number(sent, param, start) {
                    Ok(n) => n,
                    Err(e) => return Ok((items, Err(e))),
                };
                let per_page = *self.per_page.get_or_insert(count);
                let reached = total.is_some_and(|total| {
                    (u128::from(this.saturating_sub(start)) + 1) * u128::from(per_page) >= u128::from(total)
                });
                if count == 0 || reached {
                    Ok(None)
                } else {
                    Ok(this.checked_add(1).map(|n| with_query(sent, param, &n.to_string())))
                }
            }
            PageStyle::Offset { param } => {
                let this = match number(sent, param, 0) {
                    Ok(n) => n,
                    Err(e) => return Ok((items, Err(e))),
                };
                let next = this.saturating_add(count);
                if count == 0 || total.is_some_and(|total| next >= total) {
                    Ok(None)
                } else {
                    Ok(Some(with_query(sent, param, &next.to_string())))
                }
            }
            PageStyle::Cursor { param, next } => match text_at(&body, next) {
                Ok(None) => Ok(None),
                Ok(Some(cursor)) => self
                    .first_time(cursor, pages)
                    .map(|cursor| Some(with_query(sent, param, &cursor))),
                Err(found) => return Err(shape_error(&page, next, found)),
            },
            PageStyle::NextUrl { next } => match text_at(&body, next) {
                Ok(None) => Ok(None),
                Ok(Some(link)) => self.follow(sent, &link, pages).map(Some),
                Err(found) => return Err(shape_error(&page, next, found)),
            },
            PageStyle::LinkHeader => match next_link(&page.headers) {
                None => Ok(None),
                Some(link) => self.follow(sent, &link, pages).map(Some),
            },
        };
        Ok((items, next))
    }

    /// How a followed link is remembered: without the credential.
    fn key(&self, url: &url::Url) -> String {
        match (&self.auth_query, url.query()) {
            (Some(pair), Some(query)) => {
                let mut url = url.clone();
                let rest = without(query, pair.split('=').next().unwrap_or_default());
                url.set_query((!rest.is_empty()).then_some(rest.as_str()));
                url.into()
            }
            _ => url.as_str().to_owned(),
        }
    }

    /// `cursor`, unless the walk followed it already.
    fn first_time(&mut self, cursor: String, pages: u64) -> Result<String, Error> {
        if self.seen.insert(cursor.clone()) {
            Ok(cursor)
        } else {
            Err(Error::Pagination(PaginationError::Repeated { cursor, pages }))
        }
    }

    /// The request for `link` (relative to `sent`'s URL), on a trusted
    /// origin and not followed before.
    fn follow(&mut self, sent: &HttpRequest, link: &str, pages: u64) -> Result<HttpRequest, Error> {
        // The link as errors show it: as the server gave it, less a query
        // credential it echoed.
        let shown = match &self.auth_query {
            Some(pair) if link.contains(pair.as_str()) => {
                let cut = link
                    .replace(&format!("&{pair}"), "")
                    .replace(&format!("{pair}&"), "")
                    .replace(pair.as_str(), "");
                cut.trim_end_matches('?').to_owned()
            }
            _ => link.to_owned(),
        };
        let bad = |reason: String| {
            Error::Pagination(PaginationError::BadLink {
                link: shown.clone(),
                reason,
            })
        };
        let mut url = sent.url.join(link).map_err(|e| bad(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
            return Err(bad("another scheme than http or https".to_owned()));
        }
        url.set_fragment(None);
        let origin = url.origin();
        if !self.trusted.contains(&origin) {
            return Err(Error::Pagination(PaginationError::ForeignOrigin {
                link: self.key(&url),
                origin: origin.ascii_serialization(),
                page: pages + 1,
            }));
        }
        if !self.seen.insert(self.key(&url)) {
            return Err(Error::Pagination(PaginationError::Repeated { cursor: shown, pages }));
        }
        if let Some(pair) = &self.auth_query {
            let name = pair.split('=').next().unwrap_or_default();
            let mut query = without(url.query().unwrap_or_default(), name);
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(pair);
            url.set_query(Some(&query));
        }
        let mut next = sent.clone();
        next.url = url;
        Ok(next)
    }
}

/// JSON's name for the kind of `value`.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A page whose shape is not the declared one, as a decoding error at
/// `pointer`.
fn shape_error(page: &RawPage, pointer: &str, message: String) -> Error {
    Error::Decode {
        status: page.status,
        path: path_of(pointer, ""),
        message,
        body: page.body.clone(),
        attempts: 1,
    }
}

/// A JSON pointer and serde's path below it as one path: `/data` and
/// `[1].severity` are `data[1].severity`.
fn path_of(pointer: &str, below: &str) -> String {
    let mut path = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".");
    if !below.is_empty() && below != "." {
        if !path.is_empty() && !below.starts_with('[') {
            path.push('.');
        }
        path.push_str(below);
    }
    if path.is_empty() { ".".to_owned() } else { path }
}

fn decode_items<T: DeserializeOwned>(page: &RawPage, pointer: &str, items: Vec<Value>) -> Result<Vec<T>, Error> {
    serde_path_to_error::deserialize::<_, Vec<T>>(Value::Array(items)).map_err(|e| Error::Decode {
        status: page.status,
        path: path_of(pointer, &e.path().to_string()),
        message: e.into_inner().to_string(),
        body: page.body.clone(),
        attempts: 1,
    })
}

/// The text at `pointer`: a string or a number; `None` for none, `null`
/// or `""`; `Err` with what was found instead.
fn text_at(body: &Value, pointer: &str) -> Result<Option<String>, String> {
    match body.pointer(pointer) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!("expected a string, found {}", kind(other))),
    }
}

/// The value of query parameter `name` in `url`, decoded.
fn query_value(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The number in query parameter `param` of `sent`, or `default`.
fn number(sent: &HttpRequest, param: &'static str, default: u64) -> Result<u64, Error> {
    match query_value(&sent.url, param) {
        None => Ok(default),
        Some(text) => text.parse().map_err(|_| Error::InvalidArgument {
            name: param,
            reason: format!("`{}` is not a page number or an offset", Printable(&text)),
        }),
    }
}

/// `query` without the pairs named `name`, the others as they are.
fn without(query: &str, name: &str) -> String {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            url::form_urlencoded::parse(key.as_bytes())
                .next()
                .is_none_or(|(k, _)| k != name)
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `sent` with query parameter `name` set to `value` (replacing any), at
/// the end of the query.
fn with_query(sent: &HttpRequest, name: &str, value: &str) -> HttpRequest {
    let mut next = sent.clone();
    let mut query = without(sent.url.query().unwrap_or_default(), name);
    let pair = url::form_urlencoded::Serializer::new(String::new())
        .append_pair(name, value)
        .finish();
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&pair);
    next.url.set_query(Some(&query));
    next
}

/// The target of the first link of `headers`' `Link` fields whose `rel`
/// holds `next` (RFC 8288), as written (perhaps relative).
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|text| link_with_rel(text, "next"))
}

/// The target of the first link in one `Link` field value whose first `rel`
/// parameter holds `rel` among its space-separated relation types.
fn link_with_rel(text: &str, rel: &str) -> Option<String> {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        let after = rest.strip_prefix('<')?;
        let end = after.find('>')?;
        let target = after[..end].trim();
        rest = &after[end + 1..];
        let mut rels: Option<String> = None;
        loop {
            rest = rest.trim_start();
            let Some(after) = rest.strip_prefix(';') else { break };
            rest = after.trim_start();
            let name_end = rest
                .find(|c: char| matches!(c, '=' | ';' | ',') || c.is_ascii_whitespace())
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            rest = rest[name_end..].trim_start();
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                rest = after.trim_start();
                if let Some(quoted) = rest.strip_prefix('"') {
                    let mut close = quoted.len();
                    let mut chars = quoted.char_indices();
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => value.extend(chars.next().map(|(_, e)| e)),
                            '"' => {
                                close = i + 1;
                                break;
                            }
                            c => value.push(c),
                        }
                    }
                    rest = &quoted[close..];
                } else {
                    let end = rest
                        .find(|c: char| matches!(c, ';' | ',') || c.is_ascii_whitespace())
                        .unwrap_or(rest.len());
                    value.push_str(&rest[..end]);
                    rest = &rest[end..];
                }
            }
            // Only the first `rel` counts (RFC 8288, 3.3).
            if name.eq_ignore_ascii_case("rel") && rels.is_none() {
                rels = Some(value);
            }
        }
        if rels.is_some_and(|r| r.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case(rel))) {
            return Some(target.to_owned());
        }
        // Whatever is left of this link (nothing, unless it is malformed).
        let comma = rest.find(',')?;
        rest = &rest[comma..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_are_read_as_rfc_8288_writes_them() {
        let cases = [
            (
                r#"<https://a.example/x?page=2>; rel="next""#,
                Some("https://a.example/x?page=2"),
            ),
            (
                r#"<https://a/1>; rel="prev", <https://a/3>; rel="next""#,
                Some("https://a/3"),
            ),
            (r#"<https://a/3>; rel=next; title="a, b; c""#, Some("https://a/3")),
            (r#"<https://a/3>; title="x\"y, rel=next"; rel="last""#, None),
            (r#"<https://a/3>; REL="Prev NEXT""#, Some("https://a/3")),
            (r#"</relative?c=1>;rel="next""#, Some("/relative?c=1")),
            (r#"<https://a/3>; rel="nextish""#, None),
            (r#"<https://a/3>; rel="last"; rel="next""#, None),
            (
                r#"<https://a/1,2>; rel="first",<https://a/2>;rel=next"#,
                Some("https://a/2"),
            ),
            ("", None),
            ("garbage", None),
            (r#"<https://a/3"#, None),
        ];
        for (text, expected) in cases {
            assert_eq!(link_with_rel(text, "next").as_deref(), expected, "{text}");
        }
        let mut headers = HeaderMap::new();
        headers.append("link", r#"<https://a/1>; rel="first""#.parse().unwrap());
        headers.append("link", r#"<https://a/2>; rel="next""#.parse().unwrap());
        assert_eq!(next_link(&headers).as_deref(), Some("https://a/2"));
    }

    #[test]
    fn a_query_parameter_is_replaced_and_the_others_kept_as_they_are() {
        let request = HttpRequest {
            method: http::Method::GET,
            url: url::Url::parse("https://a.example/v1/x?q=a+b%26c&page=1&page=7&sort=asc").unwrap(),
            headers: HeaderMap::new(),
            body: None,
            stream: None,
            timeout: None,
        };
        let next = with_query(&request, "page", "2");
        assert_eq!(next.url.query(), Some("q=a+b%26c&sort=asc&page=2"));
        let next = with_query(&request, "cursor", "x y&z");
        assert_eq!(
            next.url.query(),
            Some("q=a+b%26c&page=1&page=7&sort=asc&cursor=x+y%26z")
        );
    }

    #[test]
    fn paths_join_the_pointer_and_serdes_path() {
        assert_eq!(path_of("/data", "[1].severity"), "data[1].severity");
        assert_eq!(path_of("", "[0]"), "[0]");
        assert_eq!(path_of("", "."), ".");
        assert_eq!(path_of("/a~1b/c", ""), "a/b.c");
    }
}
