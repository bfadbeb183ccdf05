//! The transport: how a request reaches the server. [`ReqwestTransport`] is
//! the default; implement [`Transport`] to send requests another way.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use crate::error::{BoxError, Error};

/// A boxed, `Send` future, as returned by [`Transport`] methods.
///
/// ```
/// use hacktron_runtime::transport::BoxFuture;
///
/// fn answer() -> BoxFuture<'static, u32> {
///     Box::pin(async { 42 })
/// }
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// assert_eq!(answer().await, 42);
/// # }
/// ```
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request ready to be sent: what a [`Transport`] gets, and what a
/// [`Hook`](crate::Hook)'s `before_send` may change.
///
/// ```
/// use hacktron_runtime::transport::HttpRequest;
///
/// let request = HttpRequest {
///     method: http::Method::GET,
///     url: "https://api.example.com/v1/things/t-1".parse()?,
///     headers: Default::default(),
///     body: None,
///     stream: None,
///     timeout: Some(std::time::Duration::from_secs(30)),
/// };
/// assert_eq!(request.url.path(), "/v1/things/t-1");
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL.
    pub url: url::Url,
    /// All headers, the API key among them when the endpoint needs it
    /// (marked sensitive).
    pub headers: HeaderMap,
    /// The body, if any. Cheap to clone, so a retry resends it intact.
    pub body: Option<Bytes>,
    /// A body read as it is sent, in place of `body` (a file upload, see
    /// [`Multipart`](crate::multipart::Multipart)): opened anew for each
    /// attempt.
    pub stream: Option<StreamedBody>,
    /// How long to wait for the response headers, and then for each chunk
    /// of the body.
    pub timeout: Option<Duration>,
}

/// A response whose body has not been read yet.
///
/// ```
/// use hacktron_runtime::transport::{FullBody, HttpResponse};
/// use hacktron_runtime::{HeaderMap, StatusCode};
///
/// let response = HttpResponse {
///     status: StatusCode::OK,
///     headers: HeaderMap::new(),
///     body: Box::new(FullBody::new(r#"{"ok": true}"#)),
/// };
/// assert!(response.status.is_success());
/// ```
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, read chunk by chunk.
    pub body: Box<dyn Body>,
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// A response body, read one chunk at a time.
///
/// ```
/// use hacktron_runtime::transport::{Body, FullBody};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), hacktron_runtime::Error> {
/// let mut body = FullBody::new("id,title\n");
/// let mut all = Vec::new();
/// while let Some(chunk) = body.next_chunk().await? {
///     all.extend_from_slice(&chunk);
/// }
/// assert_eq!(all, b"id,title\n");
/// # Ok(()) }
/// ```
pub trait Body: Send + 'static {
    /// The next chunk, or `None` at the end.
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Bytes>, Error>>;
}

/// Sends requests. Implement it to put the client on another HTTP stack or
/// to record traffic; the default is [`ReqwestTransport`], and
/// [`ClientBuilder::transport`](crate::ClientBuilder::transport) sets
/// another. (For scripted answers in tests, [`Canned`] is ready-made.)
///
/// ```
/// use hacktron_runtime::transport::{BoxFuture, FullBody, HttpRequest, HttpResponse, Transport};
/// use hacktron_runtime::{Error, HeaderMap, StatusCode};
///
/// /// Answers every request with the path it asked for.
/// struct Echo;
///
/// impl Transport for Echo {
///     fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
///         Box::pin(async move {
///             let body = format!(r#"{{"path": "{}"}}"#, request.url.path());
///             Ok(HttpResponse { status: StatusCode::OK, headers: HeaderMap::new(), body: Box::new(FullBody::new(body)) })
///         })
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let request = HttpRequest { method: http::Method::GET, url: "http://127.0.0.1:1/v1/things".parse()?, headers: HeaderMap::new(), body: None, stream: None, timeout: None };
/// let mut response = Echo.send(request).await?;
/// let chunk = response.body.next_chunk().await?.unwrap_or_default();
/// assert_eq!(chunk, r#"{"path": "/v1/things"}"#);
/// # Ok(()) }
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the response once its headers arrived.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>>;
}

/// The TLS stack [`ReqwestTransport::new`] uses, chosen by Cargo feature:
/// `Some("rustls")` (the `rustls` feature, on by default: rustls with the
/// aws-lc-rs provider and the platform's certificate verifier, no OpenSSL),
/// `Some("native-tls")` (the `native-tls` feature without `rustls`: the
/// platform's TLS library, OpenSSL on Linux), or `None` (neither: plain
/// http only, and a client for an `https` URL is refused when built).
///
/// ```
/// // With the default features:
/// assert_eq!(hacktron_runtime::transport::TLS_BACKEND, Some("rustls"));
/// ```
pub const TLS_BACKEND: Option<&str> = if cfg!(feature = "rustls") {
    Some("rustls")
} else if cfg!(feature = "native-tls") {
    Some("native-tls")
} else {
    None
};

/// Redirects followed in one attempt, at most; past them the last 3xx is the
/// answer.
pub const MAX_REDIRECTS: usize = 10;

/// Which redirects [`ReqwestTransport`] follows (at most [`MAX_REDIRECTS`]
/// in a row); one it does not follow comes back as its `3xx` response.
///
/// A client built by [`ClientBuilder`](crate::ClientBuilder) without a
/// transport of your own picks [`AnyOrigin`](Self::AnyOrigin) for a service
/// whose credential is `Authorization` (or none), [`SameOrigin`](Self::SameOrigin)
/// otherwise, and itself follows the redirects the transport hands back (at
/// most [`MAX_REDIRECTS`] hops of its own, each of which the transport may
/// follow further within an origin) with a fresh request: `Accept` and the
/// service's default headers, no body; a `303`, or a `301`/`302` after a
/// `POST`, becomes a `GET`; a redirect that would resend a body is not
/// followed. The credential is added only on the service's own origins,
/// and never once the chain went through another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Redirects {
    /// Only to the same origin (scheme, host, port): for a credential
    /// reqwest would carry along (a key in a header of the API's own name).
    SameOrigin,
    /// To any origin, as curl does: `Authorization` and cookies are dropped
    /// on the way to another host (reqwest's rule), and no `Referer` is
    /// sent, so this is for APIs whose credential is `Authorization`, or
    /// none.
    AnyOrigin,
    /// None: every `3xx` comes back as it is, for the client to follow as
    /// above (as a fresh request, within an origin too).
    None,
}

/// The default transport: reqwest over hyper, with the TLS stack of
/// [`TLS_BACKEND`] (by default rustls with the aws-lc-rs provider and the
/// platform's certificate verifier; no OpenSSL).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    /// The read timeout the reqwest client was built with: requests whose
    /// timeout equals it need no timer of their own.
    read_timeout: Option<Duration>,
}

impl ReqwestTransport {
    /// Builds a transport with the given connect timeout, read timeout (how
    /// long the server may send nothing: before the headers, and between two
    /// chunks of the body) and user agent.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::transport::ReqwestTransport;
    ///
    /// let transport = ReqwestTransport::new(Duration::from_secs(10), Some(Duration::from_secs(60)), "my-tool/1.0")?;
    /// # let _ = transport;
    /// # Ok::<(), hacktron_runtime::Error>(())
    /// ```
    pub fn new(connect_timeout: Duration, read_timeout: Option<Duration>, user_agent: &str) -> Result<Self, Error> {
        Self::build(connect_timeout, read_timeout, user_agent, Redirects::SameOrigin)
    }

    /// [`new`](Self::new), following redirects as `redirects` says.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::transport::{Redirects, ReqwestTransport};
    ///
    /// // For an API whose credential is `Authorization`: reqwest drops it
    /// // on a redirect to another host.
    /// let transport = ReqwestTransport::with_redirects(Duration::from_secs(10), None, "my-tool/1.0", Redirects::AnyOrigin)?;
    /// # let _ = transport;
    /// # Ok::<(), hacktron_runtime::Error>(())
    /// ```
    pub fn with_redirects(
        connect_timeout: Duration,
        read_timeout: Option<Duration>,
        user_agent: &str,
        redirects: Redirects,
    ) -> Result<Self, Error> {
        Self::build(connect_timeout, read_timeout, user_agent, redirects)
    }

    fn build(
        connect_timeout: Duration,
        read_timeout: Option<Duration>,
        user_agent: &str,
        redirects: Redirects,
    ) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder();
        #[cfg(feature = "rustls")]
        {
            // reqwest's own rustls setup: the aws-lc-rs provider (post-quantum
            // key exchange first) and the platform's verifier.
            builder = builder.tls_backend_rustls();
        }
        #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
        {
            builder = builder.tls_backend_native();
        }
        if let Some(t) = read_timeout {
            // Not reqwest's `timeout`: that is a deadline for the whole body
            // too, and would cut a long export that keeps arriving. A read
            // timeout resets whenever data arrives, and costs no timer per
            // request.
            builder = builder.read_timeout(t);
        }
        let client = builder
            .connect_timeout(connect_timeout)
            .user_agent(user_agent)
            // A `Referer` would carry the previous URL, its query (a key,
            // the caller's arguments) included, to where a redirect leads.
            .referer(false)
            // The key must never reach another origin, and reqwest strips
            // only `Authorization` (and cookies) on a redirect to another
            // host, not a key in a header the service names itself: another
            // origin is followed only where that is the credential (or there
            // is none); a redirect not followed comes back as its 3xx.
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                let same_origin = attempt
                    .previous()
                    .first()
                    .is_some_and(|first| first.origin() == attempt.url().origin());
                let allowed = match redirects {
                    Redirects::SameOrigin => same_origin,
                    Redirects::AnyOrigin => true,
                    Redirects::None => false,
                };
                if allowed && attempt.previous().len() <= MAX_REDIRECTS {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client setup failed: {e}")))?;
        Ok(ReqwestTransport { client, read_timeout })
    }

    /// Wraps a reqwest client you configured yourself. Request timeouts are
    /// then enforced around each wait for the headers and each chunk.
    ///
    /// Its redirect policy is yours: reqwest's default follows redirects to
    /// any origin and drops only `Authorization` and cookies on the way, so
    /// a key in a header of the service's own name (`x-api-key`) would go
    /// along. For such a service give it
    /// `.redirect(reqwest::redirect::Policy::none())`, or build the
    /// transport with [`with_redirects`](Self::with_redirects).
    ///
    /// ```
    /// use hacktron_runtime::transport::ReqwestTransport;
    ///
    /// let client = reqwest::Client::builder().pool_max_idle_per_host(4).build()?;
    /// let transport = ReqwestTransport::from_client(client);
    /// # let _ = transport;
    /// # Ok::<(), reqwest::Error>(())
    /// ```
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            read_timeout: None,
        }
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let timeout = request.timeout;
        // A request built whole and handed over: its header map is moved in,
        // not merged header by header as `RequestBuilder::headers` does.
        let mut http = reqwest::Request::new(request.method, request.url);
        *http.headers_mut() = request.headers;
        if let Some(body) = request.body {
            *http.body_mut() = Some(body.into());
        } else if let Some(stream) = request.stream {
            *http.body_mut() = Some(reqwest::Body::wrap(Streaming(std::sync::Mutex::new(StreamingState {
                body: stream.open(),
                pending: None,
                left: stream.len(),
            }))));
        }
        let sent = self.client.execute(http);
        // Only a timeout other than the client's read timeout needs a timer.
        let own_timer = if timeout == self.read_timeout { None } else { timeout };
        Box::pin(async move {
            let mut response = within(own_timer, sent).await?.map_err(|e| from_reqwest(e, timeout))?;
            Ok(HttpResponse {
                status: response.status(),
                headers: std::mem::take(response.headers_mut()),
                body: Box::new(ReqwestBody {
                    response,
                    timeout,
                    own_timer,
                }),
            })
        })
    }
}

struct ReqwestBody {
    response: reqwest::Response,
    timeout: Option<Duration>,
    own_timer: Option<Duration>,
}

impl Body for ReqwestBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Bytes>, Error>> {
        Box::pin(async move {
            within(self.own_timer, self.response.chunk())
                .await?
                .map_err(|e| from_reqwest(e, self.timeout))
        })
    }
}

/// Runs `f`, failing with [`Error::Timeout`] if it takes longer than `timeout`.
async fn within<F: Future>(timeout: Option<Duration>, f: F) -> Result<F::Output, Error> {
    match timeout {
        Some(after) => tokio::time::timeout(after, f)
            .await
            .map_err(|_| Error::Timeout { after, attempts: 1 }),
        None => Ok(f.await),
    }
}

fn from_reqwest(e: reqwest::Error, timeout: Option<Duration>) -> Error {
    // A connect timeout is a connection never made, not an unknown outcome:
    // asked first, so a write that was never sent is retried.
    if e.is_timeout() && !e.is_connect() {
        return Error::Timeout {
            after: timeout.unwrap_or_default(),
            attempts: 1,
        };
    }
    let host = e.url().map(host_of).unwrap_or_else(|| "the server".to_owned());
    // reqwest errors print the URL, which is ours to show, not theirs; keep
    // the cause only so a query string never lands in a log.
    let cause: BoxError = Box::new(e.without_url());
    if cause
        .downcast_ref::<reqwest::Error>()
        .is_some_and(reqwest::Error::is_connect)
    {
        Error::Connect {
            host,
            cause,
            attempts: 1,
        }
    } else {
        Error::Transport {
            host,
            cause,
            attempts: 1,
        }
    }
}

/// `host:port` of `url`, never its path or query.
fn host_of(url: &url::Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => "the server".to_owned(),
    }
}

/// A request body read as it is sent: how to open it (once per attempt)
/// and, when known, its length (sent as `Content-Length`).
///
/// ```
/// use hacktron_runtime::transport::{FullBody, StreamedBody};
///
/// let body = StreamedBody::new(Some(5), || Box::new(FullBody::new("hello")));
/// assert_eq!(body.len(), Some(5));
/// # let _ = body.open();
/// ```
#[derive(Clone)]
pub struct StreamedBody(std::sync::Arc<StreamedInner>);

struct StreamedInner {
    open: Box<dyn Fn() -> Box<dyn Body> + Send + Sync>,
    len: Option<u64>,
}

impl StreamedBody {
    /// A body of `len` bytes (if known) that `open` reads from the start.
    pub fn new(len: Option<u64>, open: impl Fn() -> Box<dyn Body> + Send + Sync + 'static) -> Self {
        StreamedBody(std::sync::Arc::new(StreamedInner {
            open: Box::new(open),
            len,
        }))
    }

    /// Its length, when known.
    pub fn len(&self) -> Option<u64> {
        self.0.len
    }

    /// Whether it is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.0.len == Some(0)
    }

    /// Opens it, to read it from the start.
    pub fn open(&self) -> Box<dyn Body> {
        (self.0.open)()
    }
}

impl std::fmt::Debug for StreamedBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamedBody")
            .field("len", &self.0.len)
            .finish_non_exhaustive()
    }
}

/// A [`StreamedBody`] as hyper reads it. (In a `Mutex` only to be `Sync`,
/// as reqwest asks: it is only ever used through `&mut`, never locked.)
struct Streaming(std::sync::Mutex<StreamingState>);

/// Reading the next chunk: the body goes into the future and comes back
/// with the chunk.
type NextChunk = BoxFuture<'static, (Box<dyn Body>, Result<Option<Bytes>, Error>)>;

struct StreamingState {
    body: Box<dyn Body>,
    pending: Option<NextChunk>,
    left: Option<u64>,
}

impl http_body::Body for Streaming {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Error>>> {
        let this = self.0.get_mut().unwrap_or_else(|p| p.into_inner());
        let mut pending = match this.pending.take() {
            Some(pending) => pending,
            None => {
                // The body moves into the future and comes back with the chunk.
                let mut body = std::mem::replace(&mut this.body, Box::new(FullBody(None)));
                Box::pin(async move {
                    let chunk = body.next_chunk().await;
                    (body, chunk)
                })
            }
        };
        match pending.as_mut().poll(cx) {
            std::task::Poll::Pending => {
                this.pending = Some(pending);
                std::task::Poll::Pending
            }
            std::task::Poll::Ready((body, chunk)) => {
                this.body = body;
                std::task::Poll::Ready(match chunk {
                    Ok(Some(bytes)) => {
                        if let Some(left) = &mut this.left {
                            *left = left.saturating_sub(bytes.len() as u64);
                        }
                        Some(Ok(http_body::Frame::data(bytes)))
                    }
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                })
            }
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        let left = self.0.lock().map_or(None, |s| s.left);
        match left {
            Some(left) => http_body::SizeHint::with_exact(left),
            None => http_body::SizeHint::default(),
        }
    }
}

/// A body that is already in memory; handy for custom transports.
#[derive(Debug, Clone, Default)]
pub struct FullBody(Option<Bytes>);

impl FullBody {
    /// Wraps `bytes`: the body is then that one chunk.
    ///
    /// ```
    /// use hacktron_runtime::transport::{Body, FullBody};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), hacktron_runtime::Error> {
    /// let mut body = FullBody::new("done");
    /// assert_eq!(body.next_chunk().await?.as_deref(), Some(&b"done"[..]));
    /// assert_eq!(body.next_chunk().await?, None);
    /// # Ok(()) }
    /// ```
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FullBody(Some(bytes.into()))
    }
}

impl Body for FullBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Bytes>, Error>> {
        let chunk = self.0.take();
        Box::pin(async move { Ok(chunk) })
    }
}

/// The scripted transport for tests, in a home of its own.
pub use crate::canned::Canned;
