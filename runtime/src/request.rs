//! Building one call's request from an endpoint's arguments: path, query,
//! headers, body and credential. Generated code drives this through
//! `__private`; it is ordinary code so it is tested as such. Sending it is
//! [`crate::call`]'s job.

use std::fmt::{Display, Write as _};
use std::future::Future;

use bytes::Bytes;
use http::HeaderMap;
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::call::run;
use crate::client::{AuthParts, Client, ErrorOf, Inner, ServiceOf};
use crate::endpoint::{Endpoint, Method};
use crate::error::Error;
use crate::multipart::Multipart;
use crate::output::CallOutput;
use crate::response::{FromResponse, Text};
use crate::scope::{KeyKind, KeyUse, Scope};
use crate::service::Service;
use crate::transport::{HttpRequest, StreamedBody};

/// Everything but RFC 3986 unreserved characters is escaped, so a value is
/// always exactly one path segment: `/`, `?`, `#`, `%`, spaces and non-ASCII
/// cannot change the route.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// One call being assembled. Argument errors are kept and reported by
/// [`send`](Self::send), so generated code stays a straight line.
pub struct Request<'c, K> {
    client: &'c Client<K>,
    endpoint: &'static Endpoint,
    /// The base URL's path (`/v1`), then the endpoint's path as it is built.
    path: String,
    /// Where the endpoint's path starts in `path`.
    base_len: usize,
    query: String,
    headers: HeaderMap,
    body: Option<Bytes>,
    /// A body read as it is sent (`#[body(multipart)]`).
    stream: Option<StreamedBody>,
    /// The body's `Content-Type` when it is not JSON (`#[body(form)]`).
    body_type: Option<HeaderValue>,
    /// Another origin than the base URL's (an absolute path template, or a
    /// `#[url]` argument); `path` is then the whole path.
    origin: Option<url::Url>,
    error: Option<Error>,
}

impl<'c, K: KeyKind> Request<'c, K> {
    /// Starts a call of `endpoint` on `client`.
    pub fn new(client: &'c Client<K>, endpoint: &'static Endpoint) -> Self {
        let base_path = &client.inner.base_path;
        let mut path = String::with_capacity(base_path.len() + endpoint.path.len() + 40);
        path.push_str(base_path);
        Request {
            client,
            endpoint,
            path,
            base_len: base_path.len(),
            query: String::new(),
            headers: HeaderMap::new(),
            body: None,
            stream: None,
            body_type: None,
            origin: None,
            error: None,
        }
    }

    fn fail(&mut self, name: &'static str, reason: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(Error::InvalidArgument {
                name,
                reason: reason.into(),
            });
        }
    }

    /// Sends the call to `origin` (`https://uploads.example.com`, from an
    /// absolute path template) instead of the base URL; the path template
    /// follows as usual. The credential goes only to the service's own
    /// origins (the base URL's and [`Service::ORIGINS`]).
    pub fn origin(&mut self, origin: &'static str) {
        match url::Url::parse(origin) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                self.origin = Some(url);
                self.path.clear();
                self.base_len = 0;
            }
            _ => {
                if self.error.is_none() {
                    self.error = Some(Error::Config(format!("`{origin}` is not an http(s) origin")));
                }
            }
        }
    }

    /// Sends the call to the whole URL `value` (a `#[url]` argument: a link
    /// an earlier answer handed out), with its own query first. It must be
    /// `http` or `https`; the credential goes only to the service's own
    /// origins (the base URL's and [`Service::ORIGINS`]), never to another.
    pub fn whole_url<V: AsRef<str> + ?Sized>(&mut self, name: &'static str, value: &V) {
        let text = value.as_ref();
        let mut url = match url::Url::parse(text) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => url,
            Ok(_) => return self.fail(name, format!("`{text}` is not an http(s) URL")),
            Err(e) => return self.fail(name, format!("`{text}` is not a URL: {e}")),
        };
        if let Some(query) = url.query().filter(|q| !q.is_empty()) {
            let own = std::mem::take(&mut self.query);
            self.query = query.to_owned();
            self.push_query(&own);
        }
        self.path.clear();
        self.path.push_str(url.path());
        self.base_len = 0;
        url.set_query(None);
        url.set_fragment(None);
        self.origin = Some(url);
    }

    /// Appends a literal piece of the path template.
    pub fn literal(&mut self, piece: &'static str) {
        self.path.push_str(piece);
    }

    /// Appends `value` as exactly one percent-encoded path segment.
    pub fn segment<V: Display + ?Sized>(&mut self, name: &'static str, value: &V) {
        // Encoded straight into the path, without an intermediate string.
        // `.` is unreserved, so the encoded text is `""`, `.` or `..` exactly
        // when the value is.
        let start = self.path.len();
        let _ = write!(EncodeSegment(&mut self.path), "{value}");
        match &self.path[start..] {
            "" => self.fail(name, "a path parameter cannot be empty"),
            raw @ ("." | "..") => {
                let reason = format!("a path parameter cannot be `{raw}`");
                self.path.truncate(start);
                self.fail(name, reason);
            }
            _ => {}
        }
    }

    /// Appends `value` as one or more path segments (`{path*}` in the
    /// template): its text is split at `/`, each piece percent-encoded as a
    /// segment, `/` kept between them. An empty piece (`a//b`, a leading or
    /// trailing `/`), `.` or `..` is refused, so no value walks out of the
    /// endpoint's path.
    pub fn segments<V: Display + ?Sized>(&mut self, name: &'static str, value: &V) {
        let text = value.to_string();
        let start = self.path.len();
        for (i, piece) in text.split('/').enumerate() {
            if i > 0 {
                self.path.push('/');
            }
            if matches!(piece, "" | "." | "..") {
                let reason = if piece.is_empty() {
                    format!("`{text}` has an empty path segment")
                } else {
                    format!("`{text}` has a `{piece}` path segment, which would leave the endpoint's path")
                };
                self.path.truncate(start);
                self.fail(name, reason);
                return;
            }
            let _ = write!(EncodeSegment(&mut self.path), "{piece}");
        }
    }

    /// Adds `name=value` to the query string; a `None` adds nothing, and a
    /// sequence (a slice, a `Vec`) adds the key once per item
    /// (`tag=a&tag=b`).
    pub fn query<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        match serde_urlencoded::to_string([(name, value)]) {
            Ok(pair) => self.push_query(&pair),
            // Only a value that is not a scalar gets here: try it as a list.
            Err(e) => match serde_json::to_value(value) {
                Ok(serde_json::Value::Array(items)) => {
                    for item in &items {
                        match serde_urlencoded::to_string([(name, item)]) {
                            Ok(pair) => self.push_query(&pair),
                            Err(e) => {
                                return self.fail(name, format!("an item cannot be sent in a query string: {e}"));
                            }
                        }
                    }
                }
                _ => self.fail(name, format!("cannot be sent in a query string: {e}")),
            },
        }
    }

    /// Adds `name=a,b,c` for a sequence (OpenAPI's `explode: false`,
    /// `#[query(explode = false)]`): the items' text joined by `,`, then
    /// form-encoded (a `,` inside an item is encoded, the joining ones are
    /// not); a scalar as [`query`](Self::query) does; `None` or an empty
    /// sequence adds nothing.
    pub fn query_joined<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        let items = match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => items,
            Ok(_) => return self.query(name, value),
            Err(e) => return self.fail(name, format!("cannot be sent in a query string: {e}")),
        };
        let mut joined = Vec::with_capacity(items.len());
        for item in &items {
            match scalar_text(item) {
                Some(text) => joined.push(utf8_percent_encode(&text, QUERY_VALUE).to_string()),
                None => return self.fail(name, "an item of a joined list must be a string, a number or a bool"),
            }
        }
        if joined.is_empty() {
            return;
        }
        let key = serde_urlencoded::to_string([(name, "")]).unwrap_or_default();
        self.push_query(&format!("{key}{}", joined.join(",")));
    }

    /// Adds `name[key]=value` for every field of `value`, a struct or map
    /// (OpenAPI's `deepObject` style, `#[query(deep_object)]`), nested
    /// objects as `name[a][b]=…`, sequences as `name[a][]=…`, in the order
    /// of the keys; `None` fields are left out.
    pub fn query_deep_object<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => {
                let mut pairs = Vec::new();
                deep_pairs(name.to_owned(), &map, &mut pairs);
                if let Err(reason) = pairs.iter().try_for_each(|(k, v)| {
                    let pair = serde_urlencoded::to_string([(k.as_str(), v.as_str())]).map_err(|e| e.to_string())?;
                    self.push_query(&pair);
                    Ok::<(), String>(())
                }) {
                    self.fail(name, reason);
                }
            }
            Ok(serde_json::Value::Null) => {}
            Ok(_) => self.fail(name, "a `deep_object` query parameter must be a struct or a map"),
            Err(e) => self.fail(name, format!("cannot be sent in a query string: {e}")),
        }
    }

    /// Sets a form-encoded body (`#[body(form)]`, `application/x-www-form-urlencoded`):
    /// every field of a flat serde struct, `None` fields left out.
    pub fn form<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        match serde_urlencoded::to_string(value) {
            Ok(text) => {
                self.body_type = Some(HeaderValue::from_static("application/x-www-form-urlencoded"));
                self.body = Some(Bytes::from(text));
            }
            Err(e) => self.fail(
                name,
                format!("cannot be sent as a form (it must be a flat struct): {e}"),
            ),
        }
    }

    /// Sets the body to `value` as it is (`#[body(raw)]`): bytes as
    /// `application/octet-stream`, text as `text/plain; charset=utf-8`,
    /// unless a `#[header("content-type")]` argument says otherwise.
    pub fn raw<V: RawBody + ?Sized>(&mut self, name: &'static str, value: &V) {
        let _ = name;
        self.body_type = Some(HeaderValue::from_static(V::CONTENT_TYPE));
        self.body = Some(value.to_bytes());
    }

    /// Sends `form` as the `multipart/form-data` body, read as it is sent.
    pub fn multipart(&mut self, name: &'static str, form: &Multipart) {
        match HeaderValue::from_str(&form.content_type()) {
            Ok(content_type) => {
                self.body_type = Some(content_type);
                self.stream = Some(form.streamed());
                // A stand-in, so that the rules for a request with a body
                // apply (its `Content-Type`); the stream is what is sent.
                self.body = Some(Bytes::new());
            }
            Err(_) => self.fail(name, "has a boundary that cannot be sent"),
        }
    }

    /// Adds every field of `value` (a flat serde struct) to the query
    /// string; fields that serialize to nothing (`None`) are left out.
    pub fn query_all<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        match serde_urlencoded::to_string(value) {
            Ok(pairs) => self.push_query(&pairs),
            Err(e) => self.fail(
                name,
                format!("cannot be sent in a query string (it must be a flat struct): {e}"),
            ),
        }
    }

    fn push_query(&mut self, pairs: &str) {
        if pairs.is_empty() {
            return;
        }
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(pairs);
    }

    /// Sets header `header` to `value`; a `None` sets nothing.
    pub fn header<V: HeaderArg + ?Sized>(&mut self, name: &'static str, header: &'static str, value: &V) {
        let Some(text) = value.header_text() else { return };
        let parsed = HeaderName::from_bytes(header.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|n| {
                HeaderValue::try_from(text.as_ref())
                    .map(|v| (n, v))
                    .map_err(|_| "a header value cannot contain line breaks or other control characters".to_owned())
            });
        match parsed {
            Ok((n, v)) => {
                self.headers.append(n, v);
            }
            Err(reason) => self.fail(name, reason),
        }
    }

    /// Sets the JSON body (its `Content-Type` is the service's
    /// `JSON_CONTENT_TYPE`, unless a `#[header]` argument gives one).
    pub fn json<V: Serialize + ?Sized>(&mut self, name: &'static str, value: &V) {
        match serde_json::to_vec(value) {
            Ok(bytes) => {
                self.body = Some(Bytes::from(bytes));
            }
            Err(e) => self.fail(name, format!("cannot be serialized as JSON: {e}")),
        }
    }

    /// Sends the call, retrying as the client's [`RetryPolicy`](crate::RetryPolicy)
    /// and its service's classifier say, and builds its result `R`, the
    /// endpoint's declared return type. The request is complete when this is
    /// called: the future borrows only the client.
    pub fn send<S: Scope + ?Sized, R>(self) -> impl Future<Output = R> + Send + 'c
    where
        R: CallOutput<ErrorOf<K>>,
        R::Ok: FromResponse,
    {
        let client = self.client;
        let endpoint = self.endpoint;
        let elsewhere = self.origin.is_some();
        let request = self.into_http::<S>(<R::Ok as FromResponse>::ACCEPT);
        let here = elsewhere_url(elsewhere, &request);
        run::<K, R::Ok, R>(client, endpoint, request, S::KEY != KeyUse::Never, here)
    }

    /// [`send`](Self::send) for an endpoint declared to return `String`:
    /// asks for `text/*` and reads the body as text.
    pub fn send_text<S: Scope + ?Sized, R>(self) -> impl Future<Output = R> + Send + 'c
    where
        R: CallOutput<ErrorOf<K>, Ok = String>,
    {
        let client = self.client;
        let endpoint = self.endpoint;
        let elsewhere = self.origin.is_some();
        let request = self.into_http::<S>(<Text as FromResponse>::ACCEPT);
        let here = elsewhere_url(elsewhere, &request);
        run::<K, Text, R>(client, endpoint, request, S::KEY != KeyUse::Never, here)
    }

    /// Starts the walk of a paginated endpoint (`paginate = ...`): this is
    /// the first page's request, the following ones are made from it as
    /// `pagination` says. Nothing is sent until the stream is read.
    pub fn paginate<S: Scope + ?Sized, R>(self, pagination: &'static crate::paginate::Pagination) -> R
    where
        R: crate::paginate::PagedOutput<ErrorOf<K>>,
    {
        let client = self.client;
        let endpoint = self.endpoint;
        let request = self.into_http::<S>("application/json");
        R::from_walk(crate::paginate::start::<S, K, R::Item, R::Error>(
            client, endpoint, request, pagination,
        ))
    }

    fn into_http<S: Scope + ?Sized>(mut self, accept: &'static str) -> Result<HttpRequest, Error> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let inner = &*self.client.inner;
        // From strongest to weakest: the credential (below), the endpoint's
        // `#[header]` arguments (already here), the service's defaults, what
        // the endpoint implies. A weaker one never adds a second value.
        // (Lookups only in maps that are not empty: most calls have neither
        // header arguments nor service defaults, and pay for no hashing.)
        let mut headers = std::mem::take(&mut self.headers);
        // A default `Content-Type` stands in for JSON's only: a form or raw
        // body keeps its own, and a request without a body sends none.
        let default_type = self.body.is_some() && self.body_type.is_none();
        if !inner.default_headers.is_empty() {
            let args: Vec<HeaderName> = headers.keys().cloned().collect();
            for (name, value) in &inner.default_headers {
                if !args.contains(name) && (name != CONTENT_TYPE || default_type) {
                    headers.append(name.clone(), value.clone());
                }
            }
        }
        let given = |name| !headers.is_empty() && headers.contains_key(name);
        let (accept_given, type_given) = (given(ACCEPT), self.body.is_some() && given(CONTENT_TYPE));
        if !accept_given {
            headers.insert(ACCEPT, HeaderValue::from_static(accept));
        }
        if self.body.is_some() && !type_given {
            // `json_content_type` was checked when the client was built.
            let body_type = self.body_type.take();
            headers.insert(
                CONTENT_TYPE,
                body_type.unwrap_or_else(|| HeaderValue::from_static(inner.json_content_type)),
            );
        }
        // An optional scope's key goes along when the client has one.
        if S::KEY != KeyUse::Never {
            // Another origin gets the credential only if it is the service's.
            let trusted = self
                .origin
                .as_ref()
                .is_none_or(|url| inner.origins.contains(&url.origin()));
            match &inner.auth {
                AuthParts::Header(name, value) if trusted => {
                    headers.insert(name.clone(), value.clone());
                }
                AuthParts::Query(pair) if trusted => {
                    let pair = pair.clone();
                    self.push_query(&pair);
                }
                AuthParts::Header(..) | AuthParts::Query(_) => {
                    tracing::debug!(
                        endpoint = self.endpoint.name,
                        "credential withheld: the URL is not on one of the service's origins"
                    );
                }
                AuthParts::None
                    if S::KEY == KeyUse::Required
                        && inner.key.is_none()
                        && inner.credential.is_none()
                        && !matches!(<ServiceOf<K> as Service>::AUTH, crate::service::Auth::None) =>
                {
                    return Err(Error::Config(format!(
                        "`{}` needs scope `{}` but this client has no API key",
                        self.endpoint.name,
                        S::NAME
                    )));
                }
                AuthParts::None => {}
            }
        }
        let url = self.url(inner)?;
        // A `POST`, `PUT` or `PATCH` without a body still says so
        // (`Content-Length: 0`): some servers refuse one that does not, and
        // the HTTP stack sends none for an empty body.
        let mut body = self.body.take();
        let stream = self.stream.take();
        if let Some(stream) = &stream {
            body = None;
            if let Some(len) = stream.len() {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
            }
        } else if body.as_ref().is_none_or(Bytes::is_empty)
            && matches!(self.endpoint.method, Method::Post | Method::Put | Method::Patch)
        {
            headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        Ok(HttpRequest {
            method: self.endpoint.method.to_http(),
            url,
            headers,
            body,
            stream,
            timeout: inner.timeout,
        })
    }

    /// The URL `base + path + ?query`. The base was parsed when the client
    /// was built: only the path and query are parsed here, not the scheme and
    /// host again (a full parse costs about as much as the rest of building
    /// the request).
    fn url(&self, inner: &Inner) -> Result<url::Url, Error> {
        if let Some(origin) = &self.origin {
            let mut url = origin.clone();
            url.set_path(&self.path);
            url.set_query((!self.query.is_empty()).then_some(self.query.as_str()));
            return Ok(url);
        }
        let own_path = &self.path[self.base_len..];
        // Whatever a `?` or `#` would start in a full parse (they cannot come
        // from segments or `query`, which escape them), or a path not
        // starting with `/`, goes through the full parse, as before.
        if own_path.starts_with('/') && !self.path.contains(['?', '#']) && !self.query.contains('#') {
            let mut url = inner.base_url.clone();
            url.set_path(&self.path);
            if !self.query.is_empty() {
                url.set_query(Some(&self.query));
            }
            return Ok(url);
        }
        let mut url = String::with_capacity(inner.base.len() + own_path.len() + self.query.len() + 1);
        url.push_str(&inner.base);
        url.push_str(own_path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        url::Url::parse(&url).map_err(|e| Error::Config(format!("cannot form a URL for {}: {e}", self.endpoint.path)))
    }
}

/// What `query_joined` escapes in an item: everything but unreserved
/// characters, so the joining `,` stays the only one.
const QUERY_VALUE: &AsciiSet = SEGMENT;

/// A JSON scalar as query text; `None` for arrays, objects and null.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `prefix[key]=value` pairs of an object, depth first, nulls left out.
fn deep_pairs(prefix: String, map: &serde_json::Map<String, serde_json::Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in map {
        let name = format!("{prefix}[{key}]");
        match value {
            serde_json::Value::Object(inner) => deep_pairs(name, inner, out),
            serde_json::Value::Array(items) => {
                out.extend(items.iter().filter_map(scalar_text).map(|v| (format!("{name}[]"), v)));
            }
            other => out.extend(scalar_text(other).map(|v| (name, v))),
        }
    }
}

/// The URL of a request that does not go to the base URL's origin (an
/// absolute path template, a `#[url]` argument), kept for the redirects it
/// may get; `None` for one that does (the common call pays nothing).
fn elsewhere_url(elsewhere: bool, request: &Result<HttpRequest, Error>) -> Option<Box<url::Url>> {
    match request {
        Ok(request) if elsewhere => Some(Box::new(request.url.clone())),
        _ => None,
    }
}

/// Percent-encodes what is written to it as one path segment.
struct EncodeSegment<'a>(&'a mut String);

impl std::fmt::Write for EncodeSegment<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        // Ids are usually all unreserved characters: copy them as they are.
        if s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
        {
            self.0.push_str(s);
        } else {
            self.0.extend(utf8_percent_encode(s, SEGMENT));
        }
        Ok(())
    }
}

/// What a `#[body(raw)]` argument can be: bytes (`&[u8]`, `Vec<u8>`,
/// `Bytes`) or text (`&str`, `String`), sent as they are.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a raw body",
    label = "not bytes or text",
    note = "a `#[body(raw)]` argument is `&[u8]`, `Vec<u8>`, `Bytes`, `&str` or `String`; for a serde value use `#[body]` (JSON) or `#[body(form)]`"
)]
pub trait RawBody {
    /// The `Content-Type` it is sent with unless an argument gives one.
    const CONTENT_TYPE: &'static str;
    /// The bytes to send.
    fn to_bytes(&self) -> Bytes;
}

impl RawBody for [u8] {
    const CONTENT_TYPE: &'static str = "application/octet-stream";
    fn to_bytes(&self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl RawBody for Vec<u8> {
    const CONTENT_TYPE: &'static str = "application/octet-stream";
    fn to_bytes(&self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl RawBody for Bytes {
    const CONTENT_TYPE: &'static str = "application/octet-stream";
    fn to_bytes(&self) -> Bytes {
        self.clone()
    }
}

impl RawBody for str {
    const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";
    fn to_bytes(&self) -> Bytes {
        Bytes::copy_from_slice(self.as_bytes())
    }
}

impl RawBody for String {
    const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";
    fn to_bytes(&self) -> Bytes {
        Bytes::copy_from_slice(self.as_bytes())
    }
}

impl<T: RawBody + ?Sized> RawBody for &T {
    const CONTENT_TYPE: &'static str = T::CONTENT_TYPE;
    fn to_bytes(&self) -> Bytes {
        (**self).to_bytes()
    }
}

/// A value an endpoint can send as a header: strings, numbers, `bool`, and
/// `Option`s of them (`None` sends no header).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a header value",
    label = "not a header value",
    note = "a `#[header]` argument is a string, a number, a `bool`, or an `Option` of one of them"
)]
pub trait HeaderArg {
    /// The header's text, or `None` to send no header.
    fn header_text(&self) -> Option<std::borrow::Cow<'_, str>>;
}

impl HeaderArg for str {
    fn header_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.into())
    }
}
impl HeaderArg for String {
    fn header_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.as_str().into())
    }
}
impl<T: HeaderArg + ?Sized> HeaderArg for &T {
    fn header_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        (**self).header_text()
    }
}
impl<T: HeaderArg> HeaderArg for Option<T> {
    fn header_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.as_ref().and_then(HeaderArg::header_text)
    }
}
macro_rules! header_arg_display {
    ($($t:ty),*) => {$(
        impl HeaderArg for $t {
            fn header_text(&self) -> Option<std::borrow::Cow<'_, str>> {
                Some(self.to_string().into())
            }
        }
    )*};
}
header_arg_display!(bool, u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorResponse;
    use crate::scope::KeyKind;
    use crate::service::Auth;

    enum Test {}
    impl Service for Test {
        type Error = Error;
        const NAME: &'static str = "Test";
        const AUTH: Auth = Auth::Header {
            name: "x-test-key",
            scheme: None,
        };
        const USER_AGENT: &'static str = "test";
        fn error_from_response(r: ErrorResponse) -> Error {
            Error::Config(r.to_string())
        }
    }
    #[allow(non_camel_case_types)]
    struct read;
    impl Scope for read {
        const NAME: &'static str = "read";
    }
    #[allow(non_camel_case_types)]
    struct public;
    impl Scope for public {
        const NAME: &'static str = "public";
        const KEY: KeyUse = KeyUse::Never;
    }
    #[allow(non_camel_case_types)]
    struct search;
    impl Scope for search {
        const NAME: &'static str = "search";
        const KEY: KeyUse = KeyUse::Optional;
    }
    struct ReadWrite;
    impl KeyKind for ReadWrite {
        type Service = Test;
    }

    static EP: Endpoint = Endpoint {
        name: "get_thing",
        method: crate::Method::Get,
        path: "/things/{id}",
        scope: "read",
        max_attempts: None,
        idempotent: None,
    };

    fn client() -> Client<ReadWrite> {
        Client::<ReadWrite>::builder("test_abcdefghijklmnop")
            .base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap()
    }

    #[test]
    fn multi_segment_parameters_keep_slashes_and_never_leave_the_path() {
        let c = client();
        let mut r = Request::new(&c, &EP);
        r.literal("/files/");
        r.segments("path", "docs/guide v2/ü?.md");
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(http.url.path(), "/v1/files/docs/guide%20v2/%C3%BC%3F.md");
        for bad in ["", "a//b", "/a", "a/", "..", "a/../../admin", "./a"] {
            let mut r = Request::new(&c, &EP);
            r.literal("/files/");
            r.segments("path", bad);
            let e = r.into_http::<read>("application/json").unwrap_err();
            assert!(
                matches!(e, Error::InvalidArgument { name: "path", .. }),
                "{bad:?}: {e:?}"
            );
        }
    }

    #[test]
    fn query_styles_follow_openapi() {
        let c = client();
        let mut r = Request::new(&c, &EP);
        r.query_joined("labels", &["bug", "ui,ux", "p 1"]);
        r.query_joined("ids", &[1, 2]);
        r.query_joined("none", &Option::<Vec<u8>>::None);
        r.query_joined("empty", &Vec::<u8>::new());
        r.query_joined("one", "x");
        #[derive(Serialize)]
        struct Filter {
            status: &'static str,
            page: Option<u32>,
            owner: Option<&'static str>,
            nested: std::collections::BTreeMap<&'static str, u8>,
        }
        let nested = [("a", 1)].into_iter().collect();
        r.query_deep_object(
            "filter",
            &Filter {
                status: "open",
                page: Some(2),
                owner: None,
                nested,
            },
        );
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(
            http.url.query(),
            Some(
                "labels=bug,ui%2Cux,p%201&ids=1,2&one=x&filter%5Bnested%5D%5Ba%5D=1&filter%5Bpage%5D=2&filter%5Bstatus%5D=open"
            )
        );
        let mut r = Request::new(&c, &EP);
        r.query_deep_object("filter", &[1, 2]);
        assert!(matches!(
            r.into_http::<read>("application/json"),
            Err(Error::InvalidArgument { name: "filter", .. })
        ));
    }

    #[test]
    fn form_bodies_are_encoded_and_typed() {
        let c = client();
        let mut r = Request::new(&c, &EP);
        #[derive(Serialize)]
        struct Login {
            user: &'static str,
            password: &'static str,
            otp: Option<u32>,
        }
        r.form(
            "login",
            &Login {
                user: "ann",
                password: "a&b=c",
                otp: None,
            },
        );
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(http.headers["content-type"], "application/x-www-form-urlencoded");
        assert_eq!(http.body.as_deref(), Some(&b"user=ann&password=a%26b%3Dc"[..]));
    }

    #[test]
    fn another_origin_gets_no_key_unless_it_is_the_services() {
        let c = client();
        let mut r = Request::new(&c, &EP);
        r.origin("https://uploads.example.com");
        r.literal("/files/");
        r.segment("name", "a b");
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(http.url.as_str(), "https://uploads.example.com/files/a%20b");
        assert!(!http.headers.contains_key("x-test-key"));

        let mut r = Request::new(&c, &EP);
        r.query("page", &2);
        r.whole_url("next", "http://127.0.0.1:1/v1/things?cursor=x#top");
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(http.url.as_str(), "http://127.0.0.1:1/v1/things?cursor=x&page=2");
        assert!(http.headers.contains_key("x-test-key"), "the base URL's own origin");

        for bad in ["/relative", "ftp://127.0.0.1/x", "mailto:a@b.c"] {
            let mut r = Request::new(&c, &EP);
            r.whole_url("next", bad);
            assert!(
                matches!(
                    r.into_http::<read>("application/json"),
                    Err(Error::InvalidArgument { name: "next", .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn segments_cannot_change_the_route() {
        let c = client();
        let mut r = Request::new(&c, &EP);
        r.literal("/things/");
        r.segment("id", "a/../b?c#d %é");
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(
            http.url.as_str(),
            "http://127.0.0.1:1/v1/things/a%2F..%2Fb%3Fc%23d%20%25%C3%A9"
        );
        for bad in ["", ".", ".."] {
            let mut r = Request::new(&c, &EP);
            r.segment("id", bad);
            assert!(matches!(
                r.into_http::<read>("application/json"),
                Err(Error::InvalidArgument { name: "id", .. })
            ));
        }
    }

    #[test]
    fn urls_are_what_a_full_parse_of_base_path_and_query_gives() {
        static ROOT: Endpoint = Endpoint {
            name: "root",
            method: crate::Method::Get,
            path: "/",
            scope: "read",
            max_attempts: None,
            idempotent: None,
        };
        let bases = [
            "https://api.example.com/v1",
            "https://api.example.com/v1/",
            "https://API.Example.com:443",
            "http://[::1]:9/a/b//",
            "http://localhost:8080/v1/x%20y",
        ];
        let cases: [(&[&str], &[&str], Option<&str>); 5] = [
            (&["/things/"], &["a b/é"], Some("q")),
            (&["/"], &[], None),
            (&["/a/./b/../c/"], &["..."], Some("a b")),
            (&["/x\\y/"], &["%2e%2E"], None),
            (&["//double/"], &["~-_."], Some("é?")),
        ];
        for base in bases {
            let c = Client::<ReadWrite>::builder("test_abcdefghijklmnop")
                .base_url(base)
                .build()
                .unwrap();
            for (literals, segments, query) in cases {
                let mut r = Request::new(&c, &ROOT);
                let mut expected = c.base_url().to_owned();
                for (i, l) in literals.iter().enumerate() {
                    r.literal(l);
                    expected.push_str(l);
                    if let Some(s) = segments.get(i) {
                        r.segment("s", *s);
                        expected.extend(utf8_percent_encode(s, SEGMENT));
                    }
                }
                if let Some(q) = query {
                    r.query("q", q);
                    expected.push('?');
                    expected.push_str(&serde_urlencoded::to_string([("q", q)]).unwrap());
                }
                let http = r.into_http::<read>("application/json").unwrap();
                assert_eq!(http.url, url::Url::parse(&expected).unwrap(), "{base} {literals:?}");
            }
        }
    }

    #[test]
    fn query_omits_none_and_flattens_structs() {
        #[derive(Serialize)]
        struct Filter {
            page: Option<u32>,
            state: Option<&'static str>,
        }
        let c = client();
        let mut r = Request::new(&c, &EP);
        r.literal("/things");
        r.query("version", &None::<&str>);
        r.query("limit", &Some(5));
        r.query_all(
            "filter",
            &Filter {
                page: None,
                state: Some("open & shut"),
            },
        );
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(http.url.query(), Some("limit=5&state=open+%26+shut"));
    }

    #[test]
    fn key_is_sent_only_for_keyed_scopes_and_marked_sensitive() {
        let c = client();
        let http = Request::new(&c, &EP).into_http::<read>("application/json").unwrap();
        assert!(http.headers["x-test-key"].is_sensitive());
        let http = Request::new(&c, &EP).into_http::<public>("application/json").unwrap();
        assert!(!http.headers.contains_key("x-test-key"));
        let http = Request::new(&c, &EP).into_http::<search>("application/json").unwrap();
        assert!(http.headers["x-test-key"].is_sensitive());
    }

    #[test]
    fn sequences_repeat_the_query_key() {
        let c = client();
        let mut r = Request::new(&c, &EP);
        r.literal("/things");
        r.query("tag", &["a", "b c"]);
        r.query("n", &vec![1, 2]);
        r.query("none", &Vec::<u8>::new());
        let http = r.into_http::<read>("application/json").unwrap();
        assert_eq!(http.url.query(), Some("tag=a&tag=b+c&n=1&n=2"));
        let mut r = Request::new(&c, &EP);
        r.query("nested", &[[1, 2]]);
        assert!(matches!(
            r.into_http::<read>("application/json"),
            Err(Error::InvalidArgument { name: "nested", .. })
        ));
    }

    #[test]
    fn accept_follows_the_return_type() {
        let c = client();
        let http = Request::new(&c, &EP)
            .into_http::<read>(<Text as FromResponse>::ACCEPT)
            .unwrap();
        assert_eq!(http.headers[ACCEPT], "text/*");
        let http = Request::new(&c, &EP)
            .into_http::<read>(<crate::ByteStream as FromResponse>::ACCEPT)
            .unwrap();
        assert_eq!(http.headers[ACCEPT], "*/*");
    }

    #[test]
    fn bad_header_values_are_argument_errors() {
        let c = client();
        let mut r = Request::new(&c, &EP);
        r.header("trace", "x-trace", "a\r\nb");
        assert!(matches!(
            r.into_http::<read>("application/json"),
            Err(Error::InvalidArgument { name: "trace", .. })
        ));
        let mut r = Request::new(&c, &EP);
        r.header("trace", "x-trace", &None::<String>);
        r.header("n", "x-n", &7u32);
        let http = r.into_http::<read>("application/json").unwrap();
        assert!(!http.headers.contains_key("x-trace"));
        assert_eq!(http.headers["x-n"], "7");
    }
    /// Generated code boxes the call's future: kept under glibc's largest
    /// cached block size (1,032 bytes), the box is a cache hit. Shrinking it
    /// from 3,488 to 904 bytes saved 1,442 (POST) and 1,004 (GET)
    /// instructions a call (BENCHMARKS.md). Sizes depend on the compiler;
    /// this fails when a change makes the future grow past the cache.
    #[test]
    fn the_call_future_fits_the_allocators_cache() {
        // Future sizes are the compiler's layout: measured on rustc 1.95.0.
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
        let version = std::process::Command::new(rustc)
            .arg("-V")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        if !version.starts_with("rustc 1.95.0 ") {
            eprintln!("skipped: the size limit was measured on rustc 1.95.0, this is {version:?}");
            return;
        }
        let c = client();
        let call = Request::new(&c, &EP).send::<read, Result<serde_json::Value, Error>>();
        let size = std::mem::size_of_val(&call);
        assert!(size <= 1_000, "the call's future grew to {size} bytes");
        let text = Request::new(&c, &EP).send_text::<read, Result<String, Error>>();
        let size = std::mem::size_of_val(&text);
        assert!(size <= 1_000, "the text call's future grew to {size} bytes");
    }
}
