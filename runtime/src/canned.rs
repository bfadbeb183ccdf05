//! [`Canned`]: a transport that answers from a script, for tests.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::error::Error;
use crate::transport::{BoxFuture, FullBody, HttpRequest, HttpResponse, Transport};

/// A transport that answers from a script, for unit tests of code that
/// calls endpoints: no server, no network, nothing else to depend on.
/// Each request takes the next reply; the last one repeats. Clones share
/// the script and the record of requests, so replies can be added after a
/// client was built on it ([`push`](Self::push)); a request with no reply
/// at all is answered `501` with a body that says so. For answers a real
/// server gave, recorded once and replayed, see [`record`](crate::record).
///
/// ```
/// use hacktron_runtime::transport::Canned;
///
/// let canned = Canned::json(200, r#"{"data": [], "total": 0}"#).then_status(204);
/// let seen = canned.requests(); // what the client sent, to assert on
/// assert!(seen.lock().unwrap().is_empty());
/// // ClientBuilder::transport(canned) puts a client on it.
/// ```
#[derive(Debug, Clone, Default)]
pub struct Canned {
    replies: std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<CannedReply>>>,
    requests: std::sync::Arc<std::sync::Mutex<Vec<HttpRequest>>>,
}

#[derive(Debug, Clone)]
struct CannedReply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Canned {
    /// A script with no reply yet: add them with [`push`](Self::push) or
    /// the `then_*` methods.
    ///
    /// ```
    /// use hacktron_runtime::transport::{Canned, HttpRequest, Transport};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let get = || -> Result<HttpRequest, url::ParseError> { Ok(HttpRequest { method: http::Method::GET, url: "http://127.0.0.1:1/v1/x".parse()?, headers: Default::default(), body: None, stream: None, timeout: None }) };
    /// let canned = Canned::new();
    /// assert_eq!(canned.send(get()?).await?.status.as_u16(), 501); // nothing scripted
    /// canned.push_json(200, "{}");
    /// assert_eq!(canned.send(get()?).await?.status.as_u16(), 200);
    /// assert_eq!(canned.requests().lock().unwrap().len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a reply with `status`, `headers` and `body` to the script (of
    /// this transport and of every clone of it).
    ///
    /// ```
    /// use hacktron_runtime::transport::{Canned, HttpRequest, Transport};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let get = || -> Result<HttpRequest, url::ParseError> { Ok(HttpRequest { method: http::Method::GET, url: "http://127.0.0.1:1/v1/x".parse()?, headers: Default::default(), body: None, stream: None, timeout: None }) };
    /// let canned = Canned::new();
    /// let in_client = canned.clone(); // as `ClientBuilder::transport` takes it
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("etag", "\"v1\"".parse()?);
    /// canned.push(304, headers, "");
    /// assert_eq!(in_client.send(get()?).await?.status.as_u16(), 304);
    /// # Ok(()) }
    /// ```
    pub fn push(&self, status: u16, headers: HeaderMap, body: impl Into<Bytes>) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.replies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push_back(CannedReply {
                status,
                headers,
                body: body.into(),
            });
    }

    /// Adds a reply with `status` and `body` as `application/json`.
    ///
    /// ```
    /// use hacktron_runtime::transport::Canned;
    ///
    /// let canned = Canned::new();
    /// canned.push_json(200, r#"{"id": "t-1"}"#);
    /// canned.push_json(404, r#"{"message": "gone"}"#);
    /// ```
    pub fn push_json(&self, status: u16, body: impl Into<Bytes>) {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        self.push(status, headers, body);
    }

    /// Answers with `status` and `body` as `application/json`.
    ///
    /// ```
    /// use hacktron_runtime::transport::{Canned, HttpRequest, Transport};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let get = || -> Result<HttpRequest, url::ParseError> { Ok(HttpRequest { method: http::Method::GET, url: "http://127.0.0.1:1/v1/x".parse()?, headers: Default::default(), body: None, stream: None, timeout: None }) };
    /// let response = Canned::json(201, r#"{"id": "t-1"}"#).send(get()?).await?;
    /// assert_eq!(response.status.as_u16(), 201);
    /// assert_eq!(response.headers["content-type"], "application/json");
    /// # Ok(()) }
    /// ```
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        let canned = Canned {
            replies: Default::default(),
            requests: Default::default(),
        };
        canned.then_json(status, body)
    }

    /// Then answers with `status` and `body` as `application/json`.
    ///
    /// ```
    /// use hacktron_runtime::transport::{Body, Canned, HttpRequest, Transport};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let get = || -> Result<HttpRequest, url::ParseError> { Ok(HttpRequest { method: http::Method::GET, url: "http://127.0.0.1:1/v1/x".parse()?, headers: Default::default(), body: None, stream: None, timeout: None }) };
    /// let canned = Canned::json(200, r#"{"status": "running"}"#).then_json(200, r#"{"status": "completed"}"#);
    /// canned.send(get()?).await?;
    /// let mut second = canned.send(get()?).await?;
    /// assert_eq!(second.body.next_chunk().await?.unwrap_or_default(), r#"{"status": "completed"}"#);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn then_json(self, status: u16, body: impl Into<Bytes>) -> Self {
        self.push_json(status, body);
        self
    }

    /// Then answers with `status` and an empty body.
    ///
    /// ```
    /// use hacktron_runtime::transport::{Body, Canned, HttpRequest, Transport};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let get = || -> Result<HttpRequest, url::ParseError> { Ok(HttpRequest { method: http::Method::GET, url: "http://127.0.0.1:1/v1/x".parse()?, headers: Default::default(), body: None, stream: None, timeout: None }) };
    /// let canned = Canned::json(200, "{}").then_status(204);
    /// canned.send(get()?).await?;
    /// let mut deleted = canned.send(get()?).await?;
    /// assert_eq!(deleted.status.as_u16(), 204);
    /// assert_eq!(deleted.body.next_chunk().await?.unwrap_or_default(), "");
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn then_status(self, status: u16) -> Self {
        self.then(status, HeaderMap::new(), Bytes::new())
    }

    /// Then answers with `status`, `headers` and `body`. A status outside
    /// 100–999 is answered as `500`.
    ///
    /// ```
    /// use hacktron_runtime::transport::{Canned, HttpRequest, Transport};
    /// use hacktron_runtime::HeaderMap;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut headers = HeaderMap::new();
    /// headers.insert("retry-after", "7".parse()?);
    /// let canned = Canned::json(200, "{}").then(429, headers, "").then_status(204);
    /// # let get = || -> Result<HttpRequest, url::ParseError> { Ok(HttpRequest { method: http::Method::GET, url: "http://127.0.0.1:1/v1/x".parse()?, headers: Default::default(), body: None, stream: None, timeout: None }) };
    /// let statuses = [
    ///     canned.send(get()?).await?.status.as_u16(),
    ///     canned.send(get()?).await?.status.as_u16(),
    ///     canned.send(get()?).await?.status.as_u16(),
    ///     canned.send(get()?).await?.status.as_u16(), // the last reply repeats
    /// ];
    /// assert_eq!(statuses, [200, 429, 204, 204]);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn then(self, status: u16, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        self.push(status, headers, body);
        self
    }

    /// Every request sent so far (shared with clones of this transport).
    ///
    /// ```
    /// use hacktron_runtime::transport::{Canned, HttpRequest, Transport};
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let canned = Canned::json(200, "{}");
    /// let seen = canned.requests();
    /// # let request = HttpRequest { method: http::Method::DELETE, url: "http://127.0.0.1:1/v1/things/t-1".parse()?, headers: Default::default(), body: None, stream: None, timeout: None };
    /// canned.send(request).await?;
    /// assert_eq!(seen.lock().unwrap()[0].method, http::Method::DELETE);
    /// # Ok(()) }
    /// ```
    pub fn requests(&self) -> std::sync::Arc<std::sync::Mutex<Vec<HttpRequest>>> {
        self.requests.clone()
    }
}

impl Transport for Canned {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let reply = {
            let mut replies = self.replies.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if replies.len() > 1 {
                replies.pop_front()
            } else {
                replies.front().cloned()
            }
        };
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(request);
        Box::pin(async move {
            let reply = reply.unwrap_or(CannedReply {
                status: StatusCode::NOT_IMPLEMENTED,
                headers: HeaderMap::new(),
                body: Bytes::from_static(b"Canned has no reply scripted: add one with push_json, push or then_json"),
            });
            Ok(HttpResponse {
                status: reply.status,
                headers: reply.headers,
                body: Box::new(FullBody::new(reply.body)),
            })
        })
    }
}
