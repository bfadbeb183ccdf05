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
/// body decodes as JSON `null`, so `()` fits a `204`), for [`ByteStream`]
/// and for [`Response<T>`].
pub trait FromResponse: Sized + Send + 'static {
    /// The `Accept` header a request for this type sends.
    const ACCEPT: &'static str = "application/json";

    /// Builds the value; `max_body` bounds what may be read into memory.
    fn from_response(response: HttpResponse, max_body: usize) -> impl Future<Output = Result<Self, Error>> + Send;
}

impl<T: DeserializeOwned + Send + 'static> FromResponse for T {
    async fn from_response(mut response: HttpResponse, max_body: usize) -> Result<Self, Error> {
        let status = response.status;
        let (bytes, complete) = read_body(&mut *response.body, max_body).await?;
        if !complete {
            return Err(Error::BodyTooLarge {
                status,
                limit: max_body,
                attempts: 1,
            });
        }
        decode(status, bytes)
    }
}

/// Decodes `bytes` as JSON into `T`; an empty body counts as `null`.
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

impl<T: FromResponse> FromResponse for Response<T> {
    const ACCEPT: &'static str = T::ACCEPT;

    async fn from_response(response: HttpResponse, max_body: usize) -> Result<Self, Error> {
        let (status, headers) = (response.status, response.headers.clone());
        let value = T::from_response(response, max_body).await?;
        Ok(Response { status, headers, value })
    }
}

/// A response body read as it arrives, for documents that should not be held
/// in memory whole (CSV and SARIF exports). Not limited in size.
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
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers (`Content-Type`, `Content-Disposition`, …).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next chunk, or `None` at the end.
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.body.next_chunk().await
    }

    /// Writes the whole body to `writer` as it arrives and flushes it;
    /// returns the number of bytes written. A body that ends early (the
    /// connection dropped, a chunked body cut short) is an error, never a
    /// short `Ok`; a failing writer is [`Error::Io`].
    pub async fn copy_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        while let Some(chunk) = self.body.next_chunk().await? {
            writer
                .write_all(&chunk)
                .await
                .map_err(|source| Error::Io { source, written })?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|source| Error::Io { source, written })?;
        Ok(written)
    }

    /// Reads the whole body into memory, refusing more than `limit` bytes.
    pub async fn bytes(mut self, limit: usize) -> Result<Bytes, Error> {
        let (bytes, complete) = read_body(&mut *self.body, limit).await?;
        if complete {
            Ok(bytes)
        } else {
            Err(Error::BodyTooLarge {
                status: self.status,
                limit,
                attempts: 1,
            })
        }
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl FromResponse for Text {
    const ACCEPT: &'static str = "text/*";

    async fn from_response(mut response: HttpResponse, max_body: usize) -> Result<Self, Error> {
        let status = response.status;
        let (bytes, complete) = read_body(&mut *response.body, max_body).await?;
        if !complete {
            return Err(Error::BodyTooLarge {
                status,
                limit: max_body,
                attempts: 1,
            });
        }
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
