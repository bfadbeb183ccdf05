//! What an endpoint can return: decoded JSON, nothing, a byte stream, or any
//! of these with the response's status and headers.

use std::future::Future;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::transport::{Body, HttpResponse};

/// A type an endpoint can return, built from a success response.
///
/// Implemented for every `T: DeserializeOwned` (decoded from JSON; an empty
/// body decodes as JSON `null`, so `()` fits a `204`), for [`ByteStream`],
/// for [`Text`] and for [`Response<T>`].
///
/// ```
/// use hacktron_runtime::{ByteStream, FromResponse, Text};
///
/// assert_eq!(<serde_json::Value as FromResponse>::ACCEPT, "application/json");
/// assert_eq!(<ByteStream as FromResponse>::ACCEPT, "*/*");
/// assert_eq!(<Text as FromResponse>::ACCEPT, "text/*");
/// ```
pub trait FromResponse: Sized + Send + 'static {
    /// The `Accept` header a request for this type sends.
    const ACCEPT: &'static str = "application/json";
    /// Whether a `304 Not Modified` answers the call instead of failing it:
    /// only for [`Conditional`], the return type of a conditional request.
    const ACCEPTS_NOT_MODIFIED: bool = false;

    /// Builds the value; `max_body` bounds what may be read into memory.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{FromResponse, HeaderMap, StatusCode};
    /// use hacktron_runtime::transport::{FullBody, HttpResponse};
    ///
    /// let body = Box::new(FullBody::new("[1, 2]"));
    /// let response = HttpResponse { status: StatusCode::OK, headers: HeaderMap::new(), body };
    /// let numbers = Vec::<u32>::from_response(response, 1024).await?;
    /// assert_eq!(numbers, [1, 2]);
    /// # Ok(()) }
    /// ```
    fn from_response(response: HttpResponse, max_body: usize) -> impl Future<Output = Result<Self, Error>> + Send;
}

impl<T: DeserializeOwned + Send + 'static> FromResponse for T {
    fn from_response(response: HttpResponse, max_body: usize) -> impl Future<Output = Result<Self, Error>> + Send {
        // Only the status and the body are kept while the body is read.
        let HttpResponse { status, mut body, .. } = response;
        async move {
            let bytes = read_whole(status, &mut *body, max_body).await?;
            decode(status, bytes)
        }
    }
}

/// The whole body, or [`Error::BodyTooLarge`] past `limit` bytes.
async fn read_whole(status: StatusCode, body: &mut dyn Body, limit: usize) -> Result<Bytes, Error> {
    match read_body(body, limit).await? {
        (bytes, true) => Ok(bytes),
        (_, false) => Err(Error::BodyTooLarge {
            status,
            limit,
            attempts: 1,
        }),
    }
}

/// Decodes `bytes` as JSON into `T`; an empty body counts as `null`.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::{Error, StatusCode, decode};
///
/// let ids: Vec<u32> = decode(StatusCode::OK, "[1, 2]".into())?;
/// assert_eq!(ids, [1, 2]);
/// let nothing: () = decode(StatusCode::NO_CONTENT, "".into())?; // an empty body is `null`
/// # let _ = nothing;
/// let wrong = decode::<Vec<u32>>(StatusCode::OK, r#"[1, "two"]"#.into()).unwrap_err();
/// assert!(matches!(wrong, Error::Decode { ref path, .. } if path == "[1]"));
/// # Ok(()) }
/// ```
pub fn decode<T: DeserializeOwned>(status: StatusCode, bytes: Bytes) -> Result<T, Error> {
    let input: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &bytes
    };
    match serde_json::from_slice(input) {
        Ok(value) => Ok(value),
        // Only the failing path pays for locating the field.
        Err(first) => {
            let mut de = serde_json::Deserializer::from_slice(input);
            let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => (e.path().to_string(), e.into_inner().to_string()),
                Ok(_) => (".".to_owned(), first.to_string()),
            };
            Err(Error::Decode {
                status,
                path,
                message,
                body: bytes,
                attempts: 1,
            })
        }
    }
}

/// Reads `body` into memory, stopping after `limit` bytes. Returns the bytes
/// read (at most `limit`) and whether the body ended within the limit.
pub async fn read_body(body: &mut dyn Body, limit: usize) -> Result<(Bytes, bool), Error> {
    // Most bodies arrive in one chunk: keep it as is and copy only when a
    // second one comes.
    let mut first: Option<Bytes> = None;
    let mut buf = BytesMut::new();
    while let Some(chunk) = body.next_chunk().await? {
        let held = first.as_ref().map_or(buf.len(), Bytes::len);
        let room = limit - held;
        if let Some(f) = first.take() {
            buf.extend_from_slice(&f);
        }
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            return Ok((buf.freeze(), false));
        }
        if buf.is_empty() {
            first = Some(chunk);
        } else {
            buf.extend_from_slice(&chunk);
        }
    }
    Ok((first.unwrap_or_else(|| buf.freeze()), true))
}

/// A value together with the status and headers of the response it came
/// from. Declare an endpoint as returning `Result<Response<T>, Error>` to
/// get them.
///
/// ```
/// # use hacktron_runtime::example::{Example, read, Token};
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::{ApiError, Response, endpoint};
///
/// trait Things {
///     #[endpoint(GET, "/things/{id}", scope = read)]
///     async fn get_thing_with_headers(&self, id: &str) -> Result<Response<serde_json::Value>, ApiError>;
/// }
/// # impl Things for hacktron_runtime::Client<Token> {}
/// # let canned = hacktron_runtime::transport::Canned::json(200, r#"{"id": "7"}"#);
/// # let client = hacktron_runtime::Client::<Token>::builder("secret-key").transport(canned).build()?;
///
/// let thing = client.get_thing_with_headers("7").await?;
/// assert_eq!(thing.status, 200);
/// assert_eq!(thing.headers["content-type"], "application/json");
/// assert_eq!(thing["id"], "7"); // `Deref` to the value
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The decoded value.
    pub value: T,
}

impl<T> Response<T> {
    /// Drops the status and headers.
    ///
    /// ```
    /// use hacktron_runtime::{HeaderMap, Response, StatusCode};
    ///
    /// let response = Response { status: StatusCode::OK, headers: HeaderMap::new(), value: vec![1, 2] };
    /// let value: Vec<i32> = response.into_inner();
    /// assert_eq!(value, [1, 2]);
    /// ```
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Response<T> {
    /// The `ETag` header, when the server sent one: what to send back as
    /// `If-None-Match` (to be told [`Conditional::NotModified`]) or
    /// `If-Match` (to write only over this version).
    ///
    /// ```
    /// use hacktron_runtime::{HeaderMap, Response, StatusCode};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("etag", "\"v7\"".parse().unwrap());
    /// let page = Response { status: StatusCode::OK, headers, value: () };
    /// assert_eq!(page.etag(), Some("\"v7\""));
    /// ```
    pub fn etag(&self) -> Option<&str> {
        self.headers.get(http::header::ETAG).and_then(|v| v.to_str().ok())
    }
}

impl<T: FromResponse> FromResponse for Response<T> {
    const ACCEPT: &'static str = T::ACCEPT;
    const ACCEPTS_NOT_MODIFIED: bool = T::ACCEPTS_NOT_MODIFIED;

    async fn from_response(response: HttpResponse, max_body: usize) -> Result<Self, Error> {
        let (status, headers) = (response.status, response.headers.clone());
        let value = T::from_response(response, max_body).await?;
        Ok(Response { status, headers, value })
    }
}

/// A response body read as it arrives, for documents that should not be held
/// in memory whole (CSV and SARIF exports). Not limited in size.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # use hacktron_runtime::{ByteStream, FromResponse, HeaderMap, StatusCode};
/// # use hacktron_runtime::transport::{FullBody, HttpResponse};
/// # let mut headers = HeaderMap::new();
/// # headers.insert("content-type", "text/csv".parse()?);
/// # let body = Box::new(FullBody::new("id,title\r\n1,SQL injection\r\n"));
/// # let export = ByteStream::from_response(HttpResponse { status: StatusCode::OK, headers, body }, 0).await?;
/// // `export`: a `ByteStream`, the answer of an endpoint declared to return one.
/// assert_eq!(export.headers()["content-type"], "text/csv");
/// let mut file = Vec::new(); // or a `tokio::fs::File`
/// let written = export.copy_to(&mut file).await?;
/// assert_eq!(written, file.len() as u64);
/// # Ok(()) }
/// ```
pub struct ByteStream {
    status: StatusCode,
    headers: HeaderMap,
    body: Box<dyn Body>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    /// The status.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use hacktron_runtime::{ByteStream, FromResponse, HeaderMap, StatusCode};
    /// # use hacktron_runtime::transport::{FullBody, HttpResponse};
    /// # let mut headers = HeaderMap::new();
    /// # headers.insert("content-type", "text/csv".parse()?);
    /// # let body = Box::new(FullBody::new("id,title\r\n1,SQL injection\r\n"));
    /// # let export = ByteStream::from_response(HttpResponse { status: StatusCode::OK, headers, body }, 0).await?;
    /// // `export`: a `ByteStream`, the answer of an endpoint declared to return one.
    /// assert!(export.status().is_success());
    /// # Ok(()) }
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers (`Content-Type`, `Content-Disposition`, …).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use hacktron_runtime::{ByteStream, FromResponse, HeaderMap, StatusCode};
    /// # use hacktron_runtime::transport::{FullBody, HttpResponse};
    /// # let mut headers = HeaderMap::new();
    /// # headers.insert("content-type", "text/csv".parse()?);
    /// # let body = Box::new(FullBody::new("id,title\r\n1,SQL injection\r\n"));
    /// # let export = ByteStream::from_response(HttpResponse { status: StatusCode::OK, headers, body }, 0).await?;
    /// // `export`: a `ByteStream`, the answer of an endpoint declared to return one.
    /// let kind = export.headers().get("content-type").and_then(|v| v.to_str().ok());
    /// assert_eq!(kind, Some("text/csv"));
    /// # Ok(()) }
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next chunk, or `None` at the end.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use hacktron_runtime::{ByteStream, FromResponse, HeaderMap, StatusCode};
    /// # use hacktron_runtime::transport::{FullBody, HttpResponse};
    /// # let mut headers = HeaderMap::new();
    /// # headers.insert("content-type", "text/csv".parse()?);
    /// # let body = Box::new(FullBody::new("id,title\r\n1,SQL injection\r\n"));
    /// # let export = ByteStream::from_response(HttpResponse { status: StatusCode::OK, headers, body }, 0).await?;
    /// // `export`: a `ByteStream`, the answer of an endpoint declared to return one.
    /// let mut export = export;
    /// let mut lines = 0;
    /// while let Some(chunk) = export.next_chunk().await? {
    ///     lines += chunk.iter().filter(|&&b| b == b'\n').count();
    /// }
    /// assert_eq!(lines, 2);
    /// # Ok(()) }
    /// ```
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.body.next_chunk().await
    }

    /// Writes the whole body to `writer` as it arrives and flushes it;
    /// returns the number of bytes written. A body that ends early (the
    /// connection dropped, a chunked body cut short) is an
    /// [`Error::Incomplete`] saying how much was written, never a short `Ok`;
    /// a failing writer is [`Error::Io`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use hacktron_runtime::{ByteStream, FromResponse, HeaderMap, StatusCode};
    /// # use hacktron_runtime::transport::{FullBody, HttpResponse};
    /// # let mut headers = HeaderMap::new();
    /// # headers.insert("content-type", "text/csv".parse()?);
    /// # let body = Box::new(FullBody::new("id,title\r\n1,SQL injection\r\n"));
    /// # let export = ByteStream::from_response(HttpResponse { status: StatusCode::OK, headers, body }, 0).await?;
    /// // `export`: a `ByteStream`, the answer of an endpoint declared to return one.
    /// let mut out = tokio::io::sink(); // a `tokio::fs::File`, a socket, a `Vec<u8>`
    /// let written = export.copy_to(&mut out).await?;
    /// assert_eq!(written, 27);
    /// # Ok(()) }
    /// ```
    pub async fn copy_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        loop {
            let chunk = match self.body.next_chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => {
                    return Err(Error::Incomplete {
                        written,
                        cause: Box::new(e),
                    });
                }
            };
            // Not `write_all`: a writer that takes part of a chunk and then
            // fails must be reported with the bytes it did take.
            let mut rest = &chunk[..];
            while !rest.is_empty() {
                match writer.write(rest).await {
                    Ok(0) => {
                        let source = std::io::Error::from(std::io::ErrorKind::WriteZero);
                        return Err(Error::Io { source, written });
                    }
                    Ok(n) => {
                        written += n as u64;
                        rest = &rest[n..];
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(source) => return Err(Error::Io { source, written }),
                }
            }
        }
        writer.flush().await.map_err(|source| Error::Io { source, written })?;
        Ok(written)
    }

    /// Reads the whole body into memory, refusing more than `limit` bytes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # use hacktron_runtime::{ByteStream, FromResponse, HeaderMap, StatusCode};
    /// # use hacktron_runtime::transport::{FullBody, HttpResponse};
    /// # let mut headers = HeaderMap::new();
    /// # headers.insert("content-type", "text/csv".parse()?);
    /// # let body = Box::new(FullBody::new("id,title\r\n1,SQL injection\r\n"));
    /// # let export = ByteStream::from_response(HttpResponse { status: StatusCode::OK, headers, body }, 0).await?;
    /// // `export`: a `ByteStream`, the answer of an endpoint declared to return one.
    /// let csv = export.bytes(16 << 20).await?; // at most 16 MiB
    /// assert!(csv.starts_with(b"id,title"));
    /// # Ok(()) }
    /// ```
    pub async fn bytes(mut self, limit: usize) -> Result<Bytes, Error> {
        read_whole(self.status, &mut *self.body, limit).await
    }
}

impl FromResponse for ByteStream {
    const ACCEPT: &'static str = "*/*";

    async fn from_response(response: HttpResponse, _max_body: usize) -> Result<Self, Error> {
        Ok(ByteStream {
            status: response.status,
            headers: response.headers,
            body: response.body,
        })
    }
}

/// A `text/*` body read whole as a `String` (invalid UTF-8 is a
/// [`Error::Decode`]): what an endpoint declared to return `String` gets.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::{Error, FromResponse, HeaderMap, StatusCode, Text};
/// use hacktron_runtime::transport::{FullBody, HttpResponse};
///
/// let answer = |body: &'static [u8]| HttpResponse {
///     status: StatusCode::OK,
///     headers: HeaderMap::new(),
///     body: Box::new(FullBody::new(body)),
/// };
/// assert_eq!(Text::from_response(answer(b"pong"), 1024).await?, Text("pong".into()));
/// let not_utf8 = Text::from_response(answer(b"\xff"), 1024).await;
/// assert!(matches!(not_utf8, Err(Error::Decode { .. })));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl FromResponse for Text {
    const ACCEPT: &'static str = "text/*";

    fn from_response(response: HttpResponse, max_body: usize) -> impl Future<Output = Result<Self, Error>> + Send {
        let HttpResponse { status, mut body, .. } = response;
        async move {
            let bytes = read_whole(status, &mut *body, max_body).await?;
            match String::from_utf8(bytes.to_vec()) {
                Ok(text) => Ok(Text(text)),
                Err(e) => Err(Error::Decode {
                    status,
                    path: ".".to_owned(),
                    message: format!("the text body is not UTF-8: {e}"),
                    body: bytes,
                    attempts: 1,
                }),
            }
        }
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.0
    }
}

/// The answer to a conditional request (one sending `If-None-Match` or
/// `If-Modified-Since`): the resource as it is now, or `304 Not Modified`,
/// which is then not an error. Declare the endpoint as returning
/// `Result<Conditional<T>, E>`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # use hacktron_runtime::example::{read, Token};
/// use hacktron_runtime::{ApiError, Client, Conditional, endpoint};
/// use hacktron_runtime::transport::Canned;
///
/// trait Things {
///     #[endpoint(GET, "/things/{id}", scope = read)]
///     async fn thing_if_changed(&self, id: &str, #[header("if-none-match")] etag: Option<&str>)
///         -> Result<Conditional<serde_json::Value>, ApiError>;
/// }
/// impl Things for Client<Token> {}
///
/// let canned = Canned::new();
/// let mut headers = hacktron_runtime::HeaderMap::new();
/// headers.insert("etag", "\"v1\"".parse()?);
/// headers.insert("content-type", "application/json".parse()?);
/// canned.push(200, headers, r#"{"id": "7"}"#);
/// canned.push(304, Default::default(), "");
/// let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
///
/// let Conditional::Modified(first) = client.thing_if_changed("7", None).await? else { unreachable!() };
/// let etag = first.etag().unwrap().to_owned();
/// let again = client.thing_if_changed("7", Some(&etag)).await?;
/// assert!(matches!(again, Conditional::NotModified { .. }));
/// assert_eq!(canned.requests().lock().unwrap()[1].headers["if-none-match"], "\"v1\"");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub enum Conditional<T> {
    /// The resource, with the status and headers it came with (its new
    /// `ETag` among them).
    Modified(Response<T>),
    /// `304 Not Modified`: what the caller holds is current.
    NotModified {
        /// The `304`'s headers (`ETag`, `Cache-Control`, …).
        headers: HeaderMap,
    },
}

impl<T> Conditional<T> {
    /// The new value, or `None` when it was not modified.
    ///
    /// ```
    /// use hacktron_runtime::Conditional;
    ///
    /// let same: Conditional<u8> = Conditional::NotModified { headers: Default::default() };
    /// assert_eq!(same.modified(), None);
    /// ```
    pub fn modified(self) -> Option<T> {
        match self {
            Conditional::Modified(response) => Some(response.value),
            Conditional::NotModified { .. } => None,
        }
    }
}

impl<T: FromResponse> FromResponse for Conditional<T> {
    const ACCEPT: &'static str = T::ACCEPT;
    const ACCEPTS_NOT_MODIFIED: bool = true;

    async fn from_response(response: HttpResponse, max_body: usize) -> Result<Self, Error> {
        if response.status == StatusCode::NOT_MODIFIED {
            return Ok(Conditional::NotModified {
                headers: response.headers,
            });
        }
        Ok(Conditional::Modified(
            Response::from_response(response, max_body).await?,
        ))
    }
}
